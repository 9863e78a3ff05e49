//! Data offline sessions (+WIPDATARW, 6.3): the host writes and reads a
//! socket with hex dumps in AT commands instead of data mode.

use std::time::Instant;

use wip_runtime::hexdump;
use wip_schema::{ParsedCommand, Val};

use super::errors::Fin;
use super::sockets::{Key, TCP, UDP};
use super::{Action, Modem, UartId};
use crate::names::{self, bound};
use crate::net::NetCmd;

/// The offline buffer size (4.1.3 option 15).
const OPT_OFFLINE_BUF: i64 = 15;

impl Modem {
    /// Data of a socket in a data offline session goes out as dumps of at
    /// most 200 bytes (6.3.2), each transfer announced by `+WIPDATA`.
    pub(super) fn offline_pump(&mut self, key: Key) {
        let Some(msg) = self.n.msg.rw_data else {
            return;
        };
        let max = usize::try_from(self.stack_opt(OPT_OFFLINE_BUF))
            .unwrap_or(2048)
            .max(1);
        loop {
            let Some(s) = self.socks.get_mut(key) else {
                return;
            };
            let Some(off) = &s.offline else {
                return;
            };
            let u = off.uart;
            let id = s.id;
            let idx = i64::from(key.1);
            let (head, data, n) = if let Some((from, d)) = s.dgrams.pop_front() {
                s.last_from = Some(from.clone());
                let v = vec![
                    Val::Int(1),
                    Val::Int(idx),
                    Val::Int(d.len() as i64),
                    Val::Str(from.host),
                    Val::Int(i64::from(from.port)),
                ];
                ((self.n.msg.data_udp, v), d, 1)
            } else if !s.rx.is_empty() {
                let n = s.rx.len().min(max);
                let d = s.rx.take(n);
                let v = vec![Val::Int(2), Val::Int(idx), Val::Int(n as i64)];
                ((self.n.msg.data_tcp, v), d, n)
            } else {
                return;
            };
            self.out.push(Action::Net(NetCmd::Consumed { id, n }));
            let text = self.fmt(head.0, &bound(head.1, None));
            self.urc(u, text);
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
                self.urc(u, text);
            }
        }
    }

    // ---------------------------------------------------- +WIPDATARW 6.3

    pub(super) fn wipdatarw(&mut self, u: UartId, p: &ParsedCommand, t: Instant) -> Fin {
        let (Some(m_session), Some(m_sent)) = (self.n.msg.rw_session, self.n.msg.rw_sent) else {
            return Fin::Cme(834);
        };
        let Some(form) = self
            .d
            .commands
            .get(p.command)
            .and_then(|c| c.forms.get(p.form))
            .cloned()
        else {
            return Fin::Error;
        };
        let b = &p.values;
        let cmd = names::int(&form, b, "command").unwrap_or(0);
        let idx = names::int(&form, b, "idx").unwrap_or(0);
        let key = u8::try_from(idx)
            .ok()
            .and_then(|i| self.socks.offline_on(i))
            .map(|(k, _)| k);
        let Some(key) = key else {
            return Fin::Cme(831);
        };
        let closed = bound(vec![Val::Int(0), Val::Int(idx)], None);
        let file = super::service::is_file(key);
        // 6.3.3: command 3 "is only supported for +WIPDATA session"; the
        // manual names no code, and 801 (invalid option value) is the one
        // of 6.3.5 for a value the session does not take.
        if cmd == 3 && file {
            return Fin::Cme(801);
        }
        if cmd == 0 {
            if let Some(s) = self.socks.get_mut(key) {
                s.offline = None;
            }
            let text = self.fmt(m_session, &closed);
            self.line(u, &text);
            if file {
                self.offline_upload_end(key);
            }
            self.check_indication(key);
            return Fin::Ok;
        }
        let data = names::string(&form, b, "DATA DUMP")
            .and_then(|h| hexdump::decode(&h).ok())
            .unwrap_or_default();
        // The buffer size of option 15 (853) is a state rule:
        // `state::check`.
        let Some(s) = self.socks.get_mut(key) else {
            return Fin::Cme(831);
        };
        let Some(off) = s.offline.as_mut() else {
            return Fin::Cme(831);
        };
        off.tx.extend_from_slice(&data);
        if cmd == 2 {
            return Fin::Ok;
        }
        let mut buf = std::mem::take(&mut off.tx);
        let size = buf.len();
        // A file's upload ends with its data (9.5).
        let last = cmd == 3 || file;
        if last {
            s.offline = None;
        }
        if key.0 == TCP {
            if let Some(max) = self.cfg.offline_tcp_buffer {
                // 6.3.1: "Over this size data are lost but no error is
                // returned"; the report still gives the size written.
                buf.truncate(max);
            }
        }
        if key.0 == UDP {
            // Each send is one datagram, an empty one too.
            self.send_datagram(key, buf);
        } else {
            self.send(key, buf);
        }
        let text = self.fmt(
            m_sent,
            &bound(
                vec![Val::Int(3), Val::Int(idx), Val::Int(size as i64)],
                None,
            ),
        );
        self.line(u, &text);
        if last {
            let text = self.fmt(m_session, &closed);
            self.line(u, &text);
            if file {
                self.offline_upload_end(key);
            }
            self.check_indication(key);
        }
        let _ = t;
        Fin::Ok
    }
}
