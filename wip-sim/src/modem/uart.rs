//! One UART: command lines in AT mode (echo, `<CR>`), the data mode of a
//! mapped socket (the `+++` escape, DLE/ETX), and its queue of URCs.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use wip_runtime::escape::Unescaper;
use wip_runtime::guard::EscapeDetector;
use wip_transcript::Event;

use super::sockets::Key;
use super::{Modem, UartId};
use crate::net::SockId;

/// Longest command line kept; a longer one is refused with `ERROR`. A
/// `+WIPDATARW` line with 200 bytes of dump is about 420 characters.
pub const MAX_LINE: usize = 1024;

/// How the host's bytes to a mapped socket are grouped before they go out
/// (6.2.2.2, 6.2.11.4, 6.2.11.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seg {
    /// UDP, continuous mode: a datagram ends at ETX or at 5904 bytes.
    Datagram,
    /// UDP, continuous transparent mode: datagrams of `size` bytes, or
    /// what is buffered after `wait` of silence.
    Chunks { size: usize, wait: Duration },
    /// TCP: written at once (`None`), or once twice the preferred size is
    /// buffered or after `wait` of silence.
    Stream(Option<(usize, Duration)>),
}

/// The bytes from the host not yet given to the network.
#[derive(Debug, Clone)]
pub(super) struct TxBuf {
    pub seg: Seg,
    pub buf: Vec<u8>,
    pub deadline: Option<Instant>,
    /// The last bytes filled a datagram to its maximum size, which went
    /// out whole: a lone [ETX] right after ends that datagram, not an
    /// empty one (6.2.2.2).
    pub full: bool,
}

/// A UART in data mode, mapped on a socket (6.2).
#[derive(Debug)]
pub(super) struct Session {
    pub key: Key,
    pub transparent: bool,
    pub detector: EscapeDetector,
    pub unesc: Unescaper,
    pub tx: TxBuf,
}

/// What a UART is doing.
#[derive(Debug)]
pub(super) enum Mode {
    /// Reading command lines.
    At,
    /// A command waits for the network; input waits with it.
    Busy,
    /// In data mode.
    Data(Box<Session>),
}

/// One UART.
#[derive(Debug)]
pub(super) struct Uart {
    /// `ATE1` (on by default).
    pub echo: bool,
    /// `AT+CMEE=1`: `+CME ERROR: <n>` instead of `ERROR` (2.2).
    pub cmee: bool,
    pub line: Vec<u8>,
    pub overflow: bool,
    pub mode: Mode,
    /// Bytes not yet processed, with the time they came.
    pub input: VecDeque<(Instant, Vec<u8>)>,
    /// Bytes taken from the UART's reader whose credit is not yet returned.
    pub owed: usize,
    /// Bytes given to the UART writer and not yet written.
    pub out_pending: usize,
    /// Unsolicited lines waiting for AT mode, each with the socket it
    /// tells of data to read on, if any (dropped once that socket is gone:
    /// nothing is received over a closed socket, 5.2.7).
    pub urcs: VecDeque<(String, Option<SockId>)>,
    /// A command line is being answered: URCs wait for its final result
    /// code.
    pub answering: bool,
}

impl Uart {
    pub fn new() -> Self {
        Uart {
            echo: true,
            cmee: false,
            line: Vec::new(),
            overflow: false,
            mode: Mode::At,
            input: VecDeque::new(),
            owed: 0,
            out_pending: 0,
            urcs: VecDeque::new(),
            answering: false,
        }
    }

    /// In AT mode with no command in flight: URCs may go out.
    pub fn idle(&self) -> bool {
        matches!(self.mode, Mode::At) && !self.answering
    }

    pub fn deadline(&self) -> Option<Instant> {
        match &self.mode {
            Mode::Data(s) => match (s.detector.deadline(), s.tx.deadline) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            _ => None,
        }
    }

    pub fn session(&mut self) -> Option<&mut Session> {
        match &mut self.mode {
            Mode::Data(s) => Some(s),
            _ => None,
        }
    }
}

impl Modem {
    /// Works through the input of a UART as far as its mode allows.
    pub(super) fn process(&mut self, u: UartId, now: Instant) {
        loop {
            let Some(uart) = self.uarts.get_mut(&u) else {
                return;
            };
            if matches!(uart.mode, Mode::Busy) {
                break;
            }
            let Some((t, chunk)) = uart.input.pop_front() else {
                break;
            };
            if matches!(uart.mode, Mode::Data(_)) {
                self.data_in(u, chunk, t);
                continue;
            }
            self.at_bytes(u, chunk, t);
        }
        self.settle(u);
        let _ = now;
    }

    /// AT mode: echo, collect the line, run it at `<CR>`; what follows a
    /// command that changes the mode is put back for the new mode.
    fn at_bytes(&mut self, u: UartId, chunk: Vec<u8>, t: Instant) {
        let mut echo = Vec::new();
        for (i, &b) in chunk.iter().enumerate() {
            let Some(uart) = self.uarts.get_mut(&u) else {
                return;
            };
            if uart.echo {
                echo.push(b);
            }
            match b {
                b'\r' => {
                    let line = std::mem::take(&mut uart.line);
                    let overflow = std::mem::take(&mut uart.overflow);
                    self.raw(u, std::mem::take(&mut echo));
                    self.command_line(u, &line, overflow, t);
                    let Some(uart) = self.uarts.get_mut(&u) else {
                        return;
                    };
                    if !matches!(uart.mode, Mode::At) {
                        let rest = chunk.get(i + 1..).unwrap_or_default();
                        if !rest.is_empty() {
                            uart.input.push_front((t, rest.to_vec()));
                        }
                        return;
                    }
                }
                b'\n' => {}
                0x08 => {
                    uart.line.pop();
                }
                _ if uart.line.len() >= MAX_LINE => uart.overflow = true,
                _ => uart.line.push(b),
            }
        }
        self.raw(u, echo);
    }

    /// Runs one line: what comes before the command line prefix `AT` (or
    /// `at`) is ignored, as a modem waits for it, and a line without one is
    /// no command.
    fn command_line(&mut self, u: UartId, line: &[u8], overflow: bool, t: Instant) {
        let text = String::from_utf8_lossy(line);
        let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
        // The prefix is "AT" or "at" (V.250 5.2.1), not "At" or "aT": a
        // line without it is no command, and is ignored. Bytes before it
        // (what is left of a file past its declared size, 6.1.9, or line
        // noise) are not part of the command line.
        let Some(text) =
            wip_schema::fields::command_start(text.as_bytes()).and_then(|i| text.get(i..))
        else {
            return;
        };
        self.log(
            u,
            Event::Command {
                text: text.to_string(),
                comment: None,
            },
        );
        if overflow {
            self.finish(u, super::Fin::Error, t);
            return;
        }
        let text = text.to_string();
        self.exec(u, &text, t);
    }

    /// Data mode input: `+++` detection, then the payload.
    fn data_in(&mut self, u: UartId, chunk: Vec<u8>, t: Instant) {
        let guard = self.cfg.guard;
        let Some(s) = self.uarts.get_mut(&u).and_then(Uart::session) else {
            return;
        };
        let was_leaving = s.detector.escape_pending();
        let plain = if guard.is_zero() {
            let mut plain = Vec::with_capacity(chunk.len());
            s.detector.feed(&chunk, t, &mut plain);
            plain
        } else {
            // Bytes that came together have no silence between them: once
            // the detector holds no `+` after a byte of this chunk, the
            // rest of the chunk is data whatever it holds, and the detector
            // ends where a byte at `t` with no `+` held leaves it.
            match chunk.first() {
                None => return,
                Some(&first) if first != b'+' && s.detector.deadline().is_none() => {
                    s.detector = EscapeDetector::after(guard, t);
                    chunk
                }
                Some(_) => {
                    let mut plain = Vec::with_capacity(chunk.len());
                    let mut i = 0;
                    while let Some(b) = chunk.get(i) {
                        s.detector.feed(std::slice::from_ref(b), t, &mut plain);
                        i += 1;
                        if s.detector.deadline().is_none() {
                            break;
                        }
                    }
                    plain.extend_from_slice(chunk.get(i..).unwrap_or_default());
                    plain
                }
            }
        };
        let cancelled = was_leaving && !s.detector.escape_pending();
        self.host_payload(u, plain, t);
        if cancelled {
            // More bytes made the `+++` data: what it held comes now.
            self.pump_uart(u, t);
        }
    }

    /// Bytes from the host that are data (not a held `+++`).
    ///
    /// Where they end data mode (a lone ETX that ends a file transfer,
    /// 6.1.2; an MMS file past its declared size, 6.1.9), what follows in
    /// the same read is not data: it goes back to the UART's input, to be
    /// read in AT mode as it would be had it come in a read of its own.
    pub(super) fn host_payload(&mut self, u: UartId, wire: Vec<u8>, t: Instant) {
        if wire.is_empty() {
            return;
        }
        let Some(s) = self.uarts.get_mut(&u).and_then(Uart::session) else {
            self.log_host(u, &wire);
            return;
        };
        let key = s.key;
        if s.transparent {
            self.log_host(u, &wire);
            self.tx_push(u, wire, t);
            return;
        }
        // An MMS file takes its declared size, no more: the bytes from
        // the first one past it are read in AT mode.
        let cut = if key.0 == super::service::MMS {
            let room = self.mms_room(key);
            self.uarts
                .get_mut(&u)
                .and_then(Uart::session)
                .and_then(|s| mms_cut(&s.unesc, &wire, room))
        } else {
            None
        };
        let (wire, after_cut) = match cut {
            Some(at) => {
                let (a, b) = wire.split_at(at.min(wire.len()));
                (a.to_vec(), Some(b.to_vec()))
            }
            None => (wire, None),
        };
        // Only a file transfer's ETX can end data mode: the read is logged
        // whole otherwise, as it came.
        let file = super::service::is_file(key);
        if !file {
            self.log_host(u, &wire);
        }
        let Some(s) = self.uarts.get_mut(&u).and_then(Uart::session) else {
            return;
        };
        // The payload unescaped in one buffer, and where the lone ETX
        // marks fall in it and in the read.
        let mut data = Vec::with_capacity(wire.len());
        let mut marks = Vec::new();
        let mut rest = wire.as_slice();
        while !rest.is_empty() {
            let r = s.unesc.unescape_into(rest, &mut data);
            rest = rest.get(r.used.max(1)..).unwrap_or_default();
            if r.etx {
                marks.push((data.len(), wire.len() - rest.len()));
            }
        }
        let mut from = 0;
        let mut logged = 0;
        for (m, end) in marks {
            if file {
                self.log_host(u, wire.get(logged..end).unwrap_or_default());
                logged = end;
            }
            // A datagram that ends the chunk is moved, not copied.
            let run = if from == 0 && m == data.len() {
                std::mem::take(&mut data)
            } else {
                data.get(from..m).unwrap_or_default().to_vec()
            };
            self.tx_push(u, run, t);
            self.host_etx(u, t);
            from = m;
            if !self.in_session(u, key) {
                let back = wire.get(end..).unwrap_or_default();
                self.put_back(u, back, after_cut, t);
                return;
            }
        }
        if file {
            self.log_host(u, wire.get(logged..).unwrap_or_default());
        }
        let rest = data.get(from..).unwrap_or_default().to_vec();
        self.tx_push(u, rest, t);
        if let Some(after) = after_cut {
            if self.in_session(u, key) {
                self.tx_flush(u, t, true);
                self.mms_cut_now(u, key, t);
            }
            self.put_back(u, &[], Some(after), t);
        }
    }

    /// Logs bytes the host sent in data mode.
    fn log_host(&mut self, u: UartId, wire: &[u8]) {
        if self.cfg.log && !wire.is_empty() {
            self.log(u, Event::HostData(wire.to_vec()));
        }
    }

    /// Whether UART `u` is still in data mode on socket or session `key`.
    fn in_session(&mut self, u: UartId, key: Key) -> bool {
        self.uarts
            .get_mut(&u)
            .and_then(Uart::session)
            .is_some_and(|s| s.key == key)
    }

    /// Puts `a` then `b` back at the front of UART `u`'s input, for the
    /// mode the UART is in now.
    fn put_back(&mut self, u: UartId, a: &[u8], b: Option<Vec<u8>>, t: Instant) {
        let mut back = a.to_vec();
        back.extend(b.unwrap_or_default());
        if let (false, Some(uart)) = (back.is_empty(), self.uarts.get_mut(&u)) {
            uart.input.push_front((t, back));
        }
    }

    /// Guard times and segmentation timers of one UART.
    pub(super) fn tick_uart(&mut self, u: UartId, now: Instant) {
        let Some(s) = self.uarts.get_mut(&u).and_then(Uart::session) else {
            return;
        };
        let mut plain = Vec::new();
        let escaped = s.detector.poll(now, &mut plain);
        let due = s.tx.deadline.is_some_and(|d| d <= now);
        self.host_payload(u, plain, now);
        if due {
            self.tx_flush(u, now, false);
        }
        if escaped {
            self.log(u, Event::Escape { comment: None });
            self.escape(u, now);
        }
    }
}

/// Where in `wire` (escaped, as the host wrote it) the MMS file being
/// sent passes its declared size: the start of the first byte past the
/// `room` bytes it still takes, before any lone ETX ends it. `None` when
/// it does not pass it in this read. Read with a copy of the session's
/// unescaper, a byte at a time (an MMS file is short, and this is only the
/// MMS path).
fn mms_cut(unesc: &Unescaper, wire: &[u8], room: Option<usize>) -> Option<usize> {
    let room = room?;
    let mut probe = unesc.clone();
    let mut out = Vec::new();
    // Where the byte being read began: a DLE and the byte it escapes are
    // one byte of data.
    let mut start = 0;
    for (i, b) in wire.iter().enumerate() {
        if !probe.pending_dle() {
            start = i;
        }
        let r = probe.unescape_into(std::slice::from_ref(b), &mut out);
        if r.etx {
            return None;
        }
        if out.len() > room {
            return Some(start);
        }
    }
    None
}
