//! Data exchange: mapping a socket on a UART (+WIPDATA, 6.2), data
//! offline sessions (+WIPDATARW, 6.3), the indications of 6.2.6, and what
//! the network reports.

use std::time::{Duration, Instant};

use wip_runtime::escape::{escape_into, ETX};
use wip_runtime::guard::EscapeDetector;
use wip_schema::{ParsedCommand, Val};
use wip_transcript::Event;

use super::errors::Fin;
use super::sockets::{Key, Offline, State, TCP, UDP};
use super::uart::{Mode, Seg, Session, TxBuf, Uart};
use super::{Action, Modem, UartId, OUT_HIGH};
use crate::names::{self, bound};
use crate::net::NetCmd;

/// The shutdown indication on the mapped UART (6.2.11.1).
pub const SHUTDOWN: &[u8] = b"\r\nSHUTDOWN\r\n";

/// Stack options used here (4.1.3).
const OPT_MIN_MSS: i64 = wip_transcript::state::OPT_TCP_MIN_MSS;
const OPT_PREF_TIMEOUT: i64 = 12;
const OPT_ESC_NOT_SENT: i64 = 13;
const OPT_AUTO_SWITCH: i64 = 14;

fn tenths(n: i64) -> Duration {
    Duration::from_millis(u64::try_from(n).unwrap_or(0).saturating_mul(100))
}

impl Modem {
    // ------------------------------------------------------- +WIPDATA 6.2

    /// +WIPDATA; `None` when it answered `CONNECT` itself.
    pub(super) fn wipdata(&mut self, u: UartId, p: &ParsedCommand, t: Instant) -> Option<Fin> {
        let form = self.d.commands.get(p.command)?.forms.get(p.form)?.clone();
        let b = &p.values;
        let proto = names::int(&form, b, "protocol")? as u8;
        let idx = names::int(&form, b, "idx")? as u8;
        let mode = names::int(&form, b, "mode")?;
        let key = (proto, idx);
        let Some(s) = self.socks.get(key).filter(|s| s.state == State::Open) else {
            return Some(Fin::Cme(831));
        };
        if mode == 0 {
            // 6.2.4: unmap the socket from the UART it is mapped on.
            let Some(m) = s.mapped else {
                return Some(Fin::Cme(831));
            };
            self.leave_data(m, t, Some(Fin::Ok));
            return Some(Fin::Ok);
        }
        if s.reset {
            // The data announced is lost; the close held since its
            // `+WIPDATA` (6.2.6) follows the 843, once it is answered.
            if let Some(s) = self.socks.get_mut(key) {
                s.indicated = false;
            }
            self.check_indication(key);
            return Some(Fin::Cme(843));
        }
        if mode == 3 {
            let Some(msg) = self.n.msg.rw_session else {
                return Some(Fin::Cme(834));
            };
            if let Some(s) = self.socks.get_mut(key) {
                s.offline = Some(Offline {
                    uart: u,
                    tx: Vec::new(),
                });
                s.owner = u;
                s.indicated = false;
            }
            let text = self.fmt(
                msg,
                &bound(vec![Val::Int(1), Val::Int(i64::from(idx))], None),
            );
            self.line(u, &text);
            self.finish(u, Fin::Ok, t);
            self.offline_pump(key);
            return None;
        }
        let given = |name: &str| {
            names::param_pos(&form, name)
                .and_then(|i| b.params.get(i).cloned().flatten())
                .is_some()
        };
        let size = names::int(&form, b, "send size").unwrap_or(1020);
        let wait = names::int(&form, b, "wait time").unwrap_or(2);
        let seg = match (proto, mode) {
            (UDP, 1) => Seg::Datagram,
            (UDP, _) => Seg::Chunks {
                size: usize::try_from(size).unwrap_or(1020).max(1),
                wait: tenths(wait),
            },
            _ => {
                // A <send size> over twice TCP_MIN_MSS was refused with
                // 847 by the state rules (6.2.11.4).
                let mss = self.stack_opt(OPT_MIN_MSS);
                let pref = self.stack_opt(OPT_PREF_TIMEOUT);
                if given("send size") {
                    Some((usize::try_from(size).unwrap_or(536), tenths(wait)))
                } else if pref > 0 {
                    Some((usize::try_from(mss).unwrap_or(536), tenths(pref)))
                } else {
                    None
                }
                .map_or(Seg::Stream(None), |x| Seg::Stream(Some(x)))
            }
        };
        if let Some(s) = self.socks.get_mut(key) {
            s.mapped = Some(u);
            s.owner = u;
            s.indicated = false;
        }
        let session = Session {
            key,
            transparent: mode == 2,
            detector: EscapeDetector::after(self.cfg.guard, t),
            unesc: Default::default(),
            tx: TxBuf {
                seg,
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
        None
    }

    /// Leaves data mode on UART `u`: unsent data goes out (6.2.4), then the
    /// final result code, then the URCs that waited.
    pub(super) fn leave_data(&mut self, u: UartId, t: Instant, fin: Option<Fin>) {
        self.leave_data_with(u, t, fin, false);
    }

    /// [`Self::leave_data`]; with `urcs_first`, the indications that became
    /// due while the UART was leaving data mode come before `fin`
    /// (erratum E42).
    fn leave_data_with(&mut self, u: UartId, t: Instant, fin: Option<Fin>, urcs_first: bool) {
        // `+` the host sent that the escape detector still held (a `+++`
        // within its guard time when a reset, an unmap or a stop ends the
        // session): sent in data mode, so logged; never data of the
        // socket, whose session is over.
        let held = self
            .uarts
            .get_mut(&u)
            .and_then(Uart::session)
            .map_or(0, |s| s.detector.take_held());
        if held > 0 && self.cfg.log {
            self.log(u, Event::HostData(vec![b'+'; held]));
        }
        self.tx_flush(u, t, false);
        let Some(uart) = self.uarts.get_mut(&u) else {
            return;
        };
        let Mode::Data(s) = std::mem::replace(&mut uart.mode, Mode::At) else {
            return;
        };
        let key = s.key;
        self.socks.unmap(key);
        if urcs_first {
            // Only the mapped socket's own close goes before the final
            // result (erratum E42); the URCs the UART held in data mode
            // come after it, as they do when no peer closed (9.2).
            let held = self
                .uarts
                .get_mut(&u)
                .map(|x| std::mem::take(&mut x.urcs))
                .unwrap_or_default();
            self.check_indication(key);
            if let Some(uart) = self.uarts.get_mut(&u) {
                let unsent = std::mem::replace(&mut uart.urcs, held);
                uart.urcs.extend(unsent);
            }
        }
        if let Some(fin) = fin {
            self.finish(u, fin, t);
        }
        self.check_indication(key);
        self.process(u, t);
    }

    /// `+++` was recognised (6.2.4); option 13 at 0 sends it as data too.
    pub(super) fn escape(&mut self, u: UartId, t: Instant) {
        let key = self
            .uarts
            .get_mut(&u)
            .and_then(Uart::session)
            .map(|s| s.key);
        let file = key.filter(|k| super::service::is_file(*k));
        // The `+++` goes to the peer as data unless option 13 is set
        // (4.1.3): on a socket, and in an upload, whose data goes to its
        // server (a download carries no data from the host, and an MMS
        // file has the size its WIP_MMS_ADD_FILE declared, 6.1.9).
        let to_peer = match file {
            Some(k) => k.0 != super::service::MMS && self.uploading(k),
            None => true,
        };
        if to_peer && self.stack_opt(OPT_ESC_NOT_SENT) == 0 {
            self.tx_push(u, b"+++".to_vec(), t);
        }
        if let Some(key) = file {
            self.file_escape(u, key, t);
            return;
        }
        // A peer that closed while `+++` waited for its guard time was
        // never shown as SHUTDOWN: its +WIPPEERCLOSE is due before the OK
        // of the escape, as on real modems (6.2.11.1, erratum E42).
        let meanwhile = key.and_then(|k| self.socks.get_mut(k)).is_some_and(|s| {
            let due = s.eof && !s.eof_told && !s.reset;
            if due {
                s.eof_told = true;
            }
            due
        });
        self.leave_data_with(u, t, Some(Fin::Ok), meanwhile);
    }

    // ------------------------------------------------- host to network

    /// Payload from the host, grouped as the socket's segmentation says.
    pub(super) fn tx_push(&mut self, u: UartId, data: Vec<u8>, t: Instant) {
        if data.is_empty() {
            return;
        }
        let max_datagram = self.cfg.max_datagram.max(1);
        let Some(s) = self.uarts.get_mut(&u).and_then(Uart::session) else {
            return;
        };
        let key = s.key;
        if s.tx.buf.is_empty() {
            s.tx.buf = data;
        } else {
            s.tx.buf.extend_from_slice(&data);
        }
        let mut out: Vec<Vec<u8>> = Vec::new();
        s.tx.full = false;
        match s.tx.seg {
            Seg::Datagram => {
                cut(&mut s.tx.buf, max_datagram, &mut out);
                s.tx.full = s.tx.buf.is_empty() && !out.is_empty();
            }
            Seg::Chunks { size, wait } => {
                cut(&mut s.tx.buf, size, &mut out);
                s.tx.deadline = (!s.tx.buf.is_empty()).then_some(t + wait);
            }
            Seg::Stream(None) => out.push(std::mem::take(&mut s.tx.buf)),
            Seg::Stream(Some((size, wait))) => {
                if s.tx.buf.len() >= size.saturating_mul(2) {
                    out.push(std::mem::take(&mut s.tx.buf));
                    s.tx.deadline = None;
                } else {
                    s.tx.deadline = Some(t + wait);
                }
            }
        }
        for d in out {
            self.send(key, d);
        }
        // An MMS file past its declared size is cut there, and the module
        // leaves data mode by itself, then tells the size kept (6.1.9);
        // what the host sends after is no longer data.
        if key.0 == super::service::MMS && self.services.get(&key).is_some_and(|s| s.mms.cut) {
            self.mms_file_end(u, key, t);
        }
    }

    /// Everything buffered goes out now (timer, ETX, unmapping).
    pub(super) fn tx_flush(&mut self, u: UartId, _t: Instant, _force: bool) {
        let Some(s) = self.uarts.get_mut(&u).and_then(Uart::session) else {
            return;
        };
        let key = s.key;
        s.tx.deadline = None;
        let data = std::mem::take(&mut s.tx.buf);
        if !data.is_empty() {
            self.send(key, data);
        }
    }

    /// A lone ETX from the host (6.2.2.3): the end of a datagram, or a
    /// shutdown of the sending side of a TCP socket.
    pub(super) fn host_etx(&mut self, u: UartId, t: Instant) {
        // On a UDP socket it ends a datagram, an empty one too, as a lone
        // [ETX] shows an empty datagram received ("the behavior is
        // symmetrical", 6.2.2.3).
        if let Some(s) = self.uarts.get_mut(&u).and_then(Uart::session) {
            if s.key.0 == UDP && !super::service::is_file(s.key) {
                let key = s.key;
                s.tx.deadline = None;
                // A datagram that reached its maximum size went out whole
                // with its last byte; this [ETX] ends it (6.2.2.2).
                if std::mem::take(&mut s.tx.full) && s.tx.buf.is_empty() {
                    return;
                }
                let data = std::mem::take(&mut s.tx.buf);
                self.send_datagram(key, data);
                return;
            }
        }
        self.tx_flush(u, t, true);
        let Some(key) = self
            .uarts
            .get_mut(&u)
            .and_then(Uart::session)
            .map(|s| s.key)
        else {
            return;
        };
        if super::service::is_file(key) {
            self.file_end(u, key, t);
        } else if key.0 == TCP {
            if let Some(s) = self.socks.get_mut(key) {
                if !s.shut_wr {
                    s.shut_wr = true;
                    let id = s.id;
                    self.out.push(Action::Net(NetCmd::ShutdownWrite { id }));
                }
            }
        }
    }

    /// Hands bytes to the network: a TCP write or one UDP datagram.
    pub(super) fn send(&mut self, key: Key, data: Vec<u8>) {
        if key.0 == super::service::MMS {
            self.mms_data(key, &data);
            return;
        }
        if data.is_empty() {
            return;
        }
        if key.0 == UDP {
            self.send_datagram(key, data);
            return;
        }
        let Some(s) = self.socks.get_mut(key) else {
            return;
        };
        let id = s.id;
        if !s.shut_wr && !s.reset {
            s.tx_inflight += data.len();
            self.out.push(Action::Net(NetCmd::Send { id, data }));
        }
    }

    /// One datagram on UDP socket `key`, empty or not: to its peer, or
    /// without one (a socket made with a local port only) to the last
    /// sender read.
    pub(super) fn send_datagram(&mut self, key: Key, data: Vec<u8>) {
        let Some(s) = self.socks.get_mut(key) else {
            return;
        };
        let to = if s.peer.is_some() {
            None
        } else {
            s.last_from.clone()
        };
        if s.peer.is_none() && to.is_none() {
            return;
        }
        let id = s.id;
        self.out.push(Action::Net(NetCmd::SendTo { id, to, data }));
    }

    // ------------------------------------------------- network to host

    /// Moves received data to the UART a socket is mapped on, as far as the
    /// UART's output allows; then the shutdown or reset indications.
    pub(super) fn pump_uart(&mut self, u: UartId, t: Instant) {
        let Some(uart) = self.uarts.get_mut(&u) else {
            return;
        };
        let room = OUT_HIGH.saturating_sub(uart.out_pending);
        let Mode::Data(sess) = &uart.mode else {
            return;
        };
        let (key, transparent) = (sess.key, sess.transparent);
        let leaving = sess.detector.escape_pending();
        let Some(s) = self.socks.get_mut(key) else {
            return;
        };
        let id = s.id;
        let mut wire = Vec::new();
        let mut consumed = 0;
        if key.0 == UDP {
            while let Some((from, d)) = s.dgrams.front() {
                if wire.len() + d.len() * 2 + 1 > room && !wire.is_empty() {
                    break;
                }
                if transparent {
                    wire.extend_from_slice(d);
                } else {
                    escape_into(d, &mut wire);
                    wire.push(ETX);
                }
                s.last_from = Some(from.clone());
                s.dgrams.pop_front();
                consumed += 1;
            }
        } else {
            let n = s.rx.len().min(room);
            consumed = n;
            if transparent {
                wire = s.rx.take(n);
            } else {
                s.rx.take_with(n, |run| escape_into(run, &mut wire));
            }
        }
        let drained = s.rx.is_empty() && s.dgrams.is_empty();
        let (eof, eof_told, reset) = (s.eof, s.eof_told, s.reset);
        if consumed > 0 {
            self.out
                .push(Action::Net(NetCmd::Consumed { id, n: consumed }));
        }
        self.modem_data(u, wire);
        if super::service::is_file(key) {
            if drained {
                self.file_drained(u, key, transparent, t);
            }
            return;
        }
        if !drained || key.0 != TCP {
            return;
        }
        if reset {
            // 6.2.5: ETX, back to AT mode, +CME ERROR: 843, which tells
            // the host all there is to tell.
            if let Some(s) = self.socks.get_mut(key) {
                s.close_told = true;
            }
            self.modem_data(u, vec![ETX]);
            self.leave_data(u, t, Some(Fin::Cme(843)));
        } else if eof && !eof_told && !leaving {
            // While `+++` waits for its guard time the shutdown is held:
            // the escape turns it into +WIPPEERCLOSE before its OK, or,
            // if more bytes cancel the escape, the next pump shows it.
            if let Some(s) = self.socks.get_mut(key) {
                s.eof_told = true;
            }
            if !transparent {
                self.modem_data(u, SHUTDOWN.to_vec());
            }
            if self.stack_opt(OPT_AUTO_SWITCH) == 1 {
                self.leave_data(u, t, Some(Fin::Ok));
            }
        }
    }

    /// Bytes from the modem to the host of UART `u` in data mode, logged.
    pub(super) fn modem_data(&mut self, u: UartId, wire: Vec<u8>) {
        if wire.is_empty() {
            return;
        }
        if self.cfg.log {
            self.log(u, Event::ModemData(wire.clone()));
        }
        self.raw(u, wire);
    }

    /// The indications of an unmapped socket (6.2.6): `+WIPDATA` for the
    /// first data not read, `+WIPPEERCLOSE` once the peer closed and what
    /// it sent was read.
    pub(super) fn check_indication(&mut self, key: Key) {
        if super::service::is_file(key) {
            return;
        }
        let Some(s) = self.socks.get_mut(key) else {
            return;
        };
        if s.mapped.is_some() || s.state != State::Open {
            return;
        }
        if s.offline.is_some() {
            // A DATA offline session shows the data as `+WIPDATARW`; once
            // all of it is shown, a TCP peer's close or reset is told as
            // it is outside one (6.2.6 holds it only until AT+WIPDATA).
            self.offline_pump(key);
            let Some(s) = self.socks.get_mut(key) else {
                return;
            };
            if (s.eof || s.reset) && s.rx.is_empty() && !s.close_told && key.0 == TCP {
                s.close_told = true;
                let to = s.offline.as_ref().map_or(s.owner, |o| o.uart);
                let v = vec![Val::Int(2), Val::Int(i64::from(key.1))];
                let text = self.fmt(self.n.msg.peer_close, &bound(v, None));
                self.urc(to, text);
            }
            return;
        }
        if s.reset {
            s.rx.clear();
        }
        let owner = s.owner;
        let id = s.id;
        let idx = i64::from(key.1);
        let mut lines = Vec::new();
        if !s.indicated {
            if let Some((from, d)) = s.dgrams.front() {
                let v = vec![
                    Val::Int(1),
                    Val::Int(idx),
                    Val::Int(d.len() as i64),
                    Val::Str(from.host.clone()),
                    Val::Int(i64::from(from.port)),
                ];
                lines.push((self.n.msg.data_udp, v, Some(id)));
                s.indicated = true;
            } else if !s.rx.is_empty() {
                let v = vec![Val::Int(2), Val::Int(idx), Val::Int(s.rx.len() as i64)];
                lines.push((self.n.msg.data_tcp, v, Some(id)));
                s.indicated = true;
            }
        }
        // 6.2.6: "Once the +WIPDATA indication has been received, on peer
        // closed, +WIPPEERCLOSE indication won't be received unless
        // AT+WIPDATA has been sent", a reset that lost the data included.
        if (s.eof || s.reset) && s.rx.is_empty() && !s.close_told && key.0 == TCP && !s.indicated {
            s.close_told = true;
            lines.push((
                self.n.msg.peer_close,
                vec![Val::Int(2), Val::Int(idx)],
                None,
            ));
        }
        for (m, v, about) in lines {
            let text = self.fmt(m, &bound(v, None));
            self.urc_of(owner, text, about);
        }
    }
}

/// Moves the whole `size`-byte pieces at the front of `buf` to `out`,
/// leaving the rest in `buf`; a buffer of exactly one piece is moved
/// whole.
fn cut(buf: &mut Vec<u8>, size: usize, out: &mut Vec<Vec<u8>>) {
    let size = size.max(1);
    if buf.len() == size {
        out.push(std::mem::take(buf));
        return;
    }
    let mut start = 0;
    while let Some(piece) = buf.get(start..start + size) {
        out.push(piece.to_vec());
        start += size;
    }
    buf.drain(..start);
}
