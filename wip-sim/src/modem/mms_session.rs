//! MMS sessions (5.3.7.6, 9.9) in the core: the options that make the
//! message, the files sent with +WIPFILE, WIP_MMS_DONE and the MMSC's
//! answer. The encoding is in [`super::mms`].

use std::time::Instant;

use wip_schema::Val;

use super::errors::Fin;
use super::mms::{self as mmsenc, MmsFile};
use super::sockets::{Key, Socket, State};
use super::uart::{Mode, Seg, Session, TxBuf};
use super::{Action, Modem, UartId};
use crate::names::{self, bound};
use crate::net::{FileOutcome, FileReq, NetCmd, SockId};

impl Modem {
    /// +WIPOPT writes of an MMS session (5.3.7.6).
    pub(super) fn mms_opt(&mut self, u: UartId, key: Key, o: &wip_schema::BoundOption) -> Fin {
        let Some(opt) = names::option(&self.d, o.table, o.option).cloned() else {
            return Fin::Cme(800);
        };
        let vals: Vec<Option<Val>> = o.values.clone();
        let v = |i: usize| vals.get(i).cloned().flatten();
        let text = |i: usize| mmsenc::val_text(v(i).as_ref());
        let int = |i: usize| v(i).and_then(|x| x.as_int());
        let Some(s) = self.services.get_mut(&key) else {
            return Fin::Cme(830);
        };
        let m = &mut s.mms;
        // The totals across options of the spec (5.3.7.6.4.1: recipients
        // counted and each list's length, with the suffix added here).
        if let (Some(t), Some(x)) = (self.d.tables.get(o.table), v(0)) {
            let len = wip_schema::written_len(&x);
            if t.totals.iter().any(|t| t.options.contains(&opt.id)) {
                // A list past its length is a value too long, 850 (E55);
                // one recipient too many an invalid value, 801.
                if let Err(e) = t.totals_admit(&m.written, opt.id, len) {
                    return Fin::Cme(if super::errors::list_too_long(&e) {
                        850
                    } else {
                        801
                    });
                }
                m.written.push((opt.id, len));
            }
        }
        match opt.id {
            81..=86 => {
                let Some(entry) = text(0) else {
                    return Fin::Cme(801);
                };
                let phone = opt.id % 2 == 1;
                let a = mmsenc::address(&entry, phone);
                match opt.id {
                    81 | 82 => m.to.push(a),
                    83 | 84 => m.cc.push(a),
                    _ => m.bcc.push(a),
                }
            }
            87 => m.subject = text(0),
            88 => m.class = int(0).unwrap_or(0),
            89 => m.priority = int(0).unwrap_or(1),
            90 => m.hide_sender = int(0) == Some(1),
            91 => m.from = text(0),
            92 => {
                m.related = match (int(0), text(1), text(2)) {
                    (Some(1), Some(ty), Some(start)) => Some((ty, start)),
                    _ => None,
                }
            }
            93 | 94 => {
                let (mime, charset) = if opt.id == 93 {
                    let ty = int(0).unwrap_or(-1);
                    (
                        mmsenc::mime_of(ty).to_string(),
                        (0..=3).contains(&ty).then_some(ty),
                    )
                } else {
                    (text(0).unwrap_or_default(), None)
                };
                m.files.push(MmsFile {
                    mime,
                    size: int(1).and_then(|n| usize::try_from(n).ok()).unwrap_or(0),
                    name: text(2).filter(|t| !t.is_empty()),
                    cid: text(3).filter(|t| !t.is_empty()),
                    charset,
                    data: Vec::new(),
                });
            }
            96 => return self.mms_done(u, key),
            _ => {}
        }
        // What a read gives back (5.3.2): the value written, for the
        // options of one value; the lists of 81-86 and the related type of
        // 92 are read from the message.
        if !matches!(opt.id, 81..=86 | 93 | 94) {
            if let Some(x) = v(0) {
                s.opts.insert(opt.id, x);
            }
        }
        Fin::Ok
    }

    /// +WIPFILE of an MMS session: the next declared file, in data mode;
    /// its bytes stay in the core until WIP_MMS_DONE.
    pub(super) fn mms_file(
        &mut self,
        u: UartId,
        key: Key,
        given: (Option<String>, Option<String>),
        t: Instant,
    ) -> Option<Fin> {
        let Some(s) = self.services.get(&key) else {
            return Some(Fin::Cme(831));
        };
        let Some(next) = s.mms.files.get(s.mms.sent) else {
            // No file declared for it.
            return Some(Fin::Cme(831));
        };
        // It names the next file declared, or none (6.1.5, erratum E60).
        if !wip_transcript::state::names_declared_file(
            (next.name.as_deref(), next.cid.as_deref()),
            (given.0.as_deref(), given.1.as_deref()),
        ) {
            return Some(Fin::Cme(wip_transcript::state::MMS_FILE_NOT_NEXT));
        }
        let id = self.new_id();
        let mut sock = Socket::new(id, u, self.default_opts());
        sock.state = State::Open;
        sock.mapped = Some(u);
        self.socks.insert(key, sock);
        let session = Session {
            key,
            transparent: false,
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
        None
    }

    /// How many more bytes the MMS file being sent takes before its
    /// declared size (6.1.9); `None` without a file being sent.
    pub(super) fn mms_room(&self, key: Key) -> Option<usize> {
        let s = self.services.get(&key)?;
        let f = s.mms.files.get(s.mms.sent)?;
        Some(f.size.saturating_sub(f.data.len()))
    }

    /// The MMS file being sent has just passed its declared size: the
    /// module leaves data mode by itself and tells the size kept (6.1.9).
    pub(super) fn mms_cut_now(&mut self, u: UartId, key: Key, t: Instant) {
        if let Some(s) = self.services.get_mut(&key) {
            s.mms.cut = true;
        }
        self.mms_file_end(u, key, t);
    }

    /// The host's data for the MMS file being sent, cut at its declared
    /// size.
    pub(super) fn mms_data(&mut self, key: Key, data: &[u8]) {
        if let Some(s) = self.services.get_mut(&key) {
            let i = s.mms.sent;
            if let Some(f) = s.mms.files.get_mut(i) {
                let room = f.size.saturating_sub(f.data.len());
                f.data
                    .extend_from_slice(data.get(..room.min(data.len())).unwrap_or_default());
                if data.len() > room {
                    s.mms.cut = true;
                }
            }
        }
    }

    /// The end of an MMS file (ETX or +++): OK, and the size kept when
    /// data was cut (6.1.9).
    pub(super) fn mms_file_end(&mut self, u: UartId, key: Key, t: Instant) {
        let mut urc = None;
        if let Some(s) = self.services.get_mut(&key) {
            let cut = std::mem::take(&mut s.mms.cut);
            if let Some(f) = s.mms.files.get(s.mms.sent) {
                if cut {
                    urc = Some(f.data.len());
                }
            }
            s.mms.sent += 1;
        }
        if let (Some(size), Some(msg)) = (urc, self.n.msg.file_mms) {
            let v = vec![
                Val::Int(i64::from(key.0)),
                Val::Int(i64::from(key.1)),
                Val::Int(i64::try_from(size).unwrap_or(0)),
            ];
            let text = self.fmt(msg, &bound(v, None));
            self.urc(u, text);
        }
        self.leave_data(u, t, Some(Fin::Ok));
        self.socks.remove(key);
    }

    /// WIP_MMS_DONE: the message is encoded and posted; the UART waits
    /// for the MMSC's answer.
    pub(super) fn mms_done(&mut self, u: UartId, key: Key) -> Fin {
        let id = self.new_id();
        let Some(s) = self.services.get_mut(&key) else {
            return Fin::Cme(830);
        };
        let Some(proxy) = s.proxy.clone() else {
            return Fin::Cme(831);
        };
        let pdu = mmsenc::encode_send_req(&s.mms, &format!("WIP-{}-{}", key.1, id));
        s.posting = Some(id);
        let url = s.mms_url.clone();
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.mode = Mode::Busy;
        }
        self.out.push(Action::Net(NetCmd::File {
            id,
            req: FileReq::Mms { proxy, url, pdu },
        }));
        // Answered once posted (mms_posted).
        Fin::Ok
    }

    pub(super) fn mms_posted(&mut self, id: SockId, outcome: &FileOutcome, t: Instant) {
        let Some(key) = self
            .services
            .iter()
            .find(|(_, s)| s.posting == Some(id))
            .map(|(k, _)| *k)
        else {
            return;
        };
        let Some(u) = self.services.get(&key).map(|s| s.owner) else {
            return;
        };
        let code = match outcome {
            FileOutcome::Mms(status, conf) if (200..300).contains(status) => {
                mmsenc::send_conf_error(conf)
            }
            FileOutcome::Mms(..) => Some(890),
            FileOutcome::Error(c) => Some(*c),
            _ => Some(897),
        };
        self.unbusy(u);
        match code {
            None => {
                // Sent: the session closes itself (5.3.7.6, erratum E12).
                self.services.remove(&key);
                let text = self.fmt(
                    self.n.msg.peer_close,
                    &bound(
                        vec![Val::Int(i64::from(key.0)), Val::Int(i64::from(key.1))],
                        None,
                    ),
                );
                if let Some(uart) = self.uarts.get_mut(&u) {
                    uart.urcs.push_back((text, None));
                }
                self.finish(u, Fin::Ok, t);
            }
            Some(c) => {
                if let Some(s) = self.services.get_mut(&key) {
                    s.posting = None;
                }
                self.finish(u, Fin::Cme(c), t);
            }
        }
        self.process(u, t);
    }
}
