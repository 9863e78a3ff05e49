//! File transfers of the sessions (+WIPFILE, 6.1): a transfer is mapped
//! on its UART as a socket is (continuous, transparent) or runs as a data
//! offline session (+WIPDATARW, 6.3); here it starts, ends and is left.

use std::time::Instant;

use wip_runtime::escape::ETX;
use wip_runtime::hexdump;
use wip_schema::Val;

use super::errors::Fin;
use super::service::MMS;
use super::sockets::{Key, Offline, State};
use super::uart::{Mode, Seg, Session, TxBuf};
use super::{Action, Modem, UartId};
use crate::names::bound;
use crate::net::{FileOutcome, NetCmd, SockId};

/// A transfer.
#[derive(Debug)]
pub(super) struct Xfer {
    pub key: Key,
    pub uart: UartId,
    pub mode: i64,
    pub offline: bool,
    pub upload: bool,
    pub transparent: bool,
    /// The host left data mode (`+++`) or ended an offline upload: no
    /// final result code reports the end (an HTTP status URC still does).
    pub detached: bool,
    pub outcome: Option<FileOutcome>,
    /// An offline download, gathered until its end.
    pub gathered: Vec<u8>,
    /// An offline upload's session opened (`+WIPDATARW: 1,<idx>` and the
    /// command's `OK`): its end is reported by `+WIPDATARW`, and a refusal
    /// before it answers the command.
    pub opened: bool,
}

/// Most bytes an offline download gathers (then 836).
pub(super) const MAX_GATHERED: usize = 16 << 20;

impl Modem {
    pub(super) fn file_ready(&mut self, id: SockId, t: Instant) {
        let Some(x) = self.xfers.get(&id) else {
            return;
        };
        let (key, u, offline, upload, transparent) =
            (x.key, x.uart, x.offline, x.upload, x.transparent);
        if let Some(s) = self.socks.get_mut(key) {
            s.state = State::Open;
        }
        if offline {
            if upload {
                if let Some(x) = self.xfers.get_mut(&id) {
                    x.opened = true;
                }
                if let Some(s) = self.socks.get_mut(key) {
                    s.offline = Some(Offline {
                        uart: u,
                        tx: Vec::new(),
                    });
                }
                if let Some(msg) = self.n.msg.rw_session {
                    let text = self.fmt(
                        msg,
                        &bound(vec![Val::Int(1), Val::Int(i64::from(key.1))], None),
                    );
                    self.line(u, &text);
                }
                self.unbusy(u);
                self.finish(u, Fin::Ok, t);
                self.process(u, t);
            }
            // An offline download answers once it has it all.
            return;
        }
        if let Some(s) = self.socks.get_mut(key) {
            s.mapped = Some(u);
        }
        let session = Session {
            key,
            transparent,
            detector: wip_runtime::guard::EscapeDetector::after(self.cfg.guard, t),
            unesc: Default::default(),
            tx: TxBuf {
                seg: Seg::Stream(None),
                buf: Vec::new(),
                deadline: None,
                full: false,
            },
        };
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.mode = Mode::Data(Box::new(session));
        }
        self.line(u, "CONNECT");
        self.pump_uart(u, t);
        self.process(u, t);
    }

    pub(super) fn unbusy(&mut self, u: UartId) {
        if let Some(uart) = self.uarts.get_mut(&u) {
            if matches!(uart.mode, Mode::Busy) {
                uart.mode = Mode::At;
            }
        }
    }

    /// The `+WIPFILE` URC of an HTTP transfer (6.1.4).
    pub(super) fn http_status(&mut self, x: &Xfer, outcome: &FileOutcome) {
        let (FileOutcome::Http(code, reason), Some(msg)) = (outcome, self.n.msg.file_http) else {
            return;
        };
        let v = vec![
            Val::Int(i64::from(x.key.0)),
            Val::Int(i64::from(x.key.1)),
            Val::Int(x.mode),
            Val::Int(i64::from(*code)),
            Val::Str(reason.clone()),
        ];
        let text = self.fmt(msg, &bound(v, None));
        self.urc(x.uart, text);
    }

    pub(super) fn file_done(&mut self, id: SockId, outcome: FileOutcome, t: Instant) {
        let Some(x) = self.xfers.get_mut(&id) else {
            return;
        };
        // A gathering error wins over the end.
        let outcome = x.outcome.clone().unwrap_or(outcome);
        x.outcome = Some(outcome.clone());
        let (key, u) = (x.key, x.uart);
        if x.detached {
            // The host left data mode (`+++`), or ended an offline upload:
            // no final result code is due, but an HTTP request still ends
            // with its unsolicited status (6.1.4).
            if let Some(x) = self.end_xfer(id) {
                self.http_status(&x, &outcome);
            }
            return;
        }
        let fin = match &outcome {
            FileOutcome::Error(c) => Fin::Cme(*c),
            _ => Fin::Ok,
        };
        let mapped = self.socks.get(key).and_then(|s| s.mapped);
        if mapped.is_some() {
            // Data mode: what is left goes out first (pump_uart ends it).
            self.pump_uart(u, t);
            return;
        }
        let x = self.end_xfer(id);
        let Some(x) = x else {
            return;
        };
        if x.offline && !x.upload {
            if fin == Fin::Ok {
                self.offline_dump(u, key, &x.gathered);
            }
            self.http_status(&x, &outcome);
            self.unbusy(u);
            self.finish(u, fin, t);
            self.process(u, t);
            return;
        }
        if x.offline && x.opened {
            // The upload was reported by +WIPDATARW already.
            self.http_status(&x, &outcome);
            return;
        }
        // Never got to data mode: the command fails (or an upload that
        // had no data mode ends).
        self.http_status(&x, &outcome);
        self.unbusy(u);
        self.finish(u, fin, t);
        self.process(u, t);
    }

    /// `+WIPDATARW: 2,...` blocks of a download, then the session's end
    /// (9.5).
    pub(super) fn offline_dump(&mut self, u: UartId, key: Key, data: &[u8]) {
        let idx = i64::from(key.1);
        if let Some(msg) = self.n.msg.rw_data {
            let blocks: Vec<&[u8]> = data.chunks(hexdump::BLOCK).collect();
            let nb = blocks.len() as i64;
            for (i, blk) in blocks.iter().enumerate() {
                let v = vec![
                    Val::Int(2),
                    Val::Int(idx),
                    Val::Int(nb),
                    Val::Int(i as i64 + 1),
                    Val::Str(hexdump::encode(blk)),
                ];
                let text = self.fmt(msg, &bound(v, None));
                self.line(u, &text);
            }
        }
        if let Some(msg) = self.n.msg.rw_session {
            let text = self.fmt(msg, &bound(vec![Val::Int(0), Val::Int(idx)], None));
            self.line(u, &text);
        }
    }

    /// Forgets a finished transfer.
    pub(super) fn end_xfer(&mut self, id: SockId) -> Option<Xfer> {
        let x = self.xfers.remove(&id)?;
        if self.socks.get(x.key).is_some_and(|s| s.id == id) {
            self.socks.remove(x.key);
        }
        if let Some(s) = self.services.get_mut(&x.key) {
            if s.xfer == Some(id) {
                s.xfer = None;
            }
        }
        Some(x)
    }

    /// A transfer's data mode has nothing left to write: once the
    /// transfer is over, `[ETX]` (continuous mode) and the result.
    pub(super) fn file_drained(&mut self, u: UartId, key: Key, transparent: bool, t: Instant) {
        let Some(id) = self.socks.get(key).map(|s| s.id) else {
            return;
        };
        let Some(x) = self.xfers.get(&id) else {
            return;
        };
        let Some(outcome) = x.outcome.clone() else {
            return;
        };
        if x.upload && self.socks.get(key).is_some_and(|s| !s.shut_wr) {
            // The server ended an upload the host had not ended: it failed.
        } else if transparent && !x.upload {
            // 6.1.3: the host leaves with +++.
            return;
        }
        let fin = match &outcome {
            FileOutcome::Error(c) => Fin::Cme(*c),
            _ => Fin::Ok,
        };
        let upload = x.upload;
        let Some(x) = self.end_xfer(id) else {
            return;
        };
        self.http_status(&x, &outcome);
        if !upload && !transparent {
            self.modem_etx(u);
        }
        self.leave_data(u, t, Some(fin));
    }

    pub(super) fn modem_etx(&mut self, u: UartId) {
        if self.cfg.log {
            self.log(u, wip_transcript::Event::ModemData(vec![ETX]));
        }
        self.raw(u, vec![ETX]);
    }

    /// The host's lone ETX ends an upload (6.1.2), and takes the UART of a
    /// download back to AT mode; an MMS file ends at
    /// once.
    pub(super) fn file_end(&mut self, u: UartId, key: Key, t: Instant) {
        let download = self
            .socks
            .get(key)
            .and_then(|s| self.xfers.get(&s.id))
            .is_some_and(|x| !x.upload);
        if key.0 == MMS {
            self.mms_file_end(u, key, t);
        } else if download {
            // 6.1.2: "The mapped UART can be switched back to AT mode
            // either by: 1. sending ETX character 2. sending +++": in a
            // download it leaves as `+++` does, the rest abandoned.
            self.file_escape(u, key, t);
        } else {
            self.file_etx(key);
        }
    }

    /// The host's lone ETX ends an upload (6.1.2).
    pub(super) fn file_etx(&mut self, key: Key) {
        if let Some(s) = self.socks.get_mut(key) {
            if !s.shut_wr {
                s.shut_wr = true;
                let id = s.id;
                self.out.push(Action::Net(NetCmd::ShutdownWrite { id }));
            }
        }
    }

    /// A data offline upload ends (+WIPDATARW 1, 3 or 0 on a transfer,
    /// 9.5): the server gets the end of the file, and the session is free
    /// for its next transfer at once (the driver runs them in order).
    pub(super) fn offline_upload_end(&mut self, key: Key) {
        let Some(id) = self.socks.get(key).map(|s| s.id) else {
            return;
        };
        self.file_etx(key);
        if let Some(x) = self.xfers.get_mut(&id) {
            x.detached = true;
        }
        self.socks.remove(key);
        if let Some(s) = self.services.get_mut(&key) {
            s.xfer = None;
        }
    }

    /// Whether the transfer of a file session's socket is an upload.
    pub(super) fn uploading(&self, key: Key) -> bool {
        self.socks
            .get(key)
            .and_then(|s| self.xfers.get(&s.id))
            .is_some_and(|x| x.upload)
    }

    /// `+++` during a transfer: an upload ends as the host left it, a
    /// download is abandoned (6.1.3); the UART is back in AT mode.
    pub(super) fn file_escape(&mut self, u: UartId, key: Key, t: Instant) {
        if key.0 == MMS {
            self.mms_file_end(u, key, t);
            return;
        }
        let id = self.socks.get(key).map(|s| s.id);
        self.leave_data(u, t, Some(Fin::Ok));
        let Some(id) = id else {
            return;
        };
        let upload = self.xfers.get(&id).is_some_and(|x| x.upload);
        if upload {
            self.file_etx(key);
            if let Some(x) = self.xfers.get_mut(&id) {
                x.detached = true;
            }
            // The session may start its next transfer meanwhile.
            self.socks.remove(key);
            if let Some(s) = self.services.get_mut(&key) {
                s.xfer = None;
            }
        } else {
            self.end_xfer(id);
            self.out.push(Action::Net(NetCmd::Close { id }));
        }
    }
}
