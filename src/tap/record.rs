//! What crossed a tapped serial line, as transcript events.
//!
//! [`Recorder`] takes the bytes each side sent, with the time they were
//! read, and gives the events of the `.at` format in the order they
//! happened: command lines (without their echo), modem lines, data-mode
//! payloads exactly as they crossed the wire (DLE escaping included) and the
//! `+++` escape with the guard times seen. It never changes or delays the
//! bytes themselves: the caller forwards them first and records afterwards.
//!
//! Everything but time is byte by byte: the events and their text do not
//! depend on how the bytes were cut into reads. Time decides only where a
//! `>>`/`<<` line is cut when a side goes idle ([`Recorder::tick`]) and
//! whether `+` bytes after a silence are the escape sequence.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use wip_runtime::framer::{escaped_line, DataSession, EscapedLine, Escaping, EtxMeaning};
use wip_schema::classify::{self, Class, InFlight, Index};
use wip_schema::Dialect;
use wip_transcript::Event;

use wip_schema::Final;
use wip_transcript::verify::final_result;

/// Which side sent bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The host application (commands, `>>` payload, `+++`).
    Host,
    /// The modem (responses, URCs, `<<` payload).
    Modem,
}

/// A recorded event and the channel (UART) it crossed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The channel name (`1`, `2`, ...).
    pub channel: String,
    /// The event.
    pub event: Event,
}

/// The longest command or modem line kept; a longer one is recorded as a
/// comment when its line end comes.
const MAX_LINE: usize = 4096;
/// A `>>`/`<<` line is cut after this many bytes, and after each LF.
const MAX_PAYLOAD_LINE: usize = 96;
/// The most host bytes held behind a pending command; past it every line
/// held is read at once, in order.
const MAX_HELD: usize = 64 * 1024;
/// The longest CR LF framed final result looked for in data mode.
const MAX_INDICATION: usize = 32;
const CR: u8 = b'\r';
const LF: u8 = b'\n';
const DLE: u8 = 0x10;
const ETX: u8 = 0x03;

/// Settings of a recorder.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// The guard time of the `+++` escape (the spec's, or `--guard-ms`).
    /// Silences of at least half of it count, since the tap reads later
    /// than the bytes left the host.
    pub guard: Duration,
    /// A `>>`/`<<` line is written once its side has been idle this long.
    pub idle: Duration,
    /// Whether the guard times seen around a `+++` are written in its
    /// comment (`--no-time` leaves them out, as it leaves out the times of
    /// lines: a recording is then the same however fast the host was).
    pub times: bool,
}

/// The comment of a `+++`: the guard times seen (silence before it, and
/// after it when its end was seen) when `times`, then `tail` (what became
/// of it); `None` when there is nothing to say.
fn escape_comment(
    times: bool,
    before: Duration,
    after: Option<Duration>,
    tail: Option<&str>,
) -> Option<String> {
    let mut parts = Vec::new();
    if times {
        parts.push(format!("guard {} ms before", before.as_millis()));
        if let Some(a) = after {
            parts.push(format!("{} ms after", a.as_millis()));
        }
    }
    parts.extend(tail.map(str::to_owned));
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The `+++` being watched on the host side of a channel in data mode.
#[derive(Debug, Clone, Copy)]
struct Plus {
    /// How many `+` (1 to 3) follow a silence.
    count: usize,
    /// The silence before the first one.
    before: Duration,
    /// When the last one came.
    last: Instant,
}

/// Data mode on one channel.
#[derive(Debug)]
struct Data {
    session: DataSession,
    host: Vec<u8>,
    modem: Vec<u8>,
    /// Modem bytes that may begin a CR LF framed final result (or, after
    /// the host's `+++`, a URC).
    held: Vec<u8>,
    /// The host's `+++` was seen (confirmed by its guard time): a URC of
    /// the spec may come before the final result (erratum E42).
    escape_seen: bool,
    /// The last modem byte was a DLE that escapes the next one.
    modem_dle: bool,
    /// The same for the host's bytes.
    host_dle: bool,
    /// The last modem byte was a lone ETX: a final result may follow.
    after_etx: bool,
    /// The host sent `+++`, or another channel unmapped a socket: a final
    /// result may come.
    may_end: bool,
    /// The modem has sent no payload since `CONNECT`: in a file transfer
    /// (whose ETX ends the data) a final result may come first, as in an
    /// upload the server refused (the modem sends the host no data there).
    modem_quiet: bool,
    last_host: Instant,
    plus: Option<Plus>,
    /// The `+++` seen, with its silence before and when it ended, waiting
    /// for the modem's answer to write it with both guard times.
    escape: Option<(Duration, Instant)>,
    /// When each side last sent.
    host_at: Instant,
    modem_at: Instant,
}

/// The echo (ATE1) a command awaits.
#[derive(Debug)]
struct Echo {
    /// The command as recorded, from its prefix.
    command: Vec<u8>,
    /// The last bytes (at most [`MAX_LINE`]) the host sent before that
    /// prefix since its last command line: a modem in AT mode echoes
    /// those it took as AT input (line noise, lines without a prefix, the
    /// remains of data it stopped taking) before the command.
    before: Vec<u8>,
}

impl Echo {
    /// When `line` is this echo, the bytes it repeats before the command:
    /// the line ends with the command, and starts with the last bytes the
    /// host sent before its prefix, exactly.
    fn stray<'l>(&self, line: &'l [u8]) -> Option<&'l [u8]> {
        let n = line.len().checked_sub(self.command.len())?;
        let (stray, command) = (line.get(..n)?, line.get(n..)?);
        (command == self.command.as_slice() && self.before.ends_with(stray)).then_some(stray)
    }
}

/// Appends `bytes` to what the host sent before its next command, of
/// which only the last [`MAX_LINE`] bytes are kept (a longer echo is no
/// modem line).
fn keep_sent(sent: &mut Vec<u8>, bytes: &[u8]) {
    sent.extend_from_slice(bytes);
    if sent.len() > 2 * MAX_LINE {
        let cut = sent.len() - MAX_LINE;
        sent.drain(..cut);
    }
}

/// The last [`MAX_LINE`] bytes of `b`.
fn last_line(b: &[u8]) -> &[u8] {
    b.get(b.len().saturating_sub(MAX_LINE)..)
        .unwrap_or_default()
}

#[derive(Debug, Default)]
struct Channel {
    host_line: Vec<u8>,
    modem_line: Vec<u8>,
    /// The command sent last, until its echo (ATE1) or final result came:
    /// the modem line that repeats it is the echo, even after a URC.
    echo: Option<Echo>,
    /// What the host sent since its last command line, before the line
    /// being read (payload included: where the modem left data mode by
    /// itself, the rest of it was AT input); see [`keep_sent`].
    sent: Vec<u8>,
    /// The session the pending command opens at `CONNECT`.
    next_session: Option<DataSession>,
    data: Option<Data>,
    /// A command line was written and its final result has not come.
    pending: bool,
    /// [`Recorder::release_held`] is reading what was held.
    releasing: bool,
    /// What the host sent after the `<CR>` of the pending command: read
    /// once its final result comes, in AT mode, or as payload after
    /// `CONNECT`, as the modem reads it.
    held: Vec<u8>,
}

/// Bytes in, transcript events out; see the [module documentation](self).
pub struct Recorder<'d> {
    spec: &'d Dialect,
    /// The spec's messages, to tell a URC after the host's `+++` from
    /// payload (erratum E42).
    index: Index,
    cfg: Config,
    /// The host's bytes after a pending command are held until its final
    /// result: the spec's final results are all ones the tap knows, and no
    /// command awaits a prompt (whose payload follows the command line).
    holds: bool,
    channels: BTreeMap<String, Channel>,
    out: Vec<Recorded>,
}

impl<'d> Recorder<'d> {
    /// A recorder for lines of this command set.
    pub fn new(spec: &'d Dialect, cfg: Config) -> Self {
        let prompts = spec
            .commands
            .iter()
            .any(|c| c.forms.iter().any(|f| f.prompt.is_some()));
        Recorder {
            spec,
            index: Index::new(spec),
            cfg,
            holds: spec.finals.is_empty() && !prompts,
            channels: BTreeMap::new(),
            out: Vec::new(),
        }
    }

    fn threshold(&self) -> Duration {
        self.cfg.guard / 2
    }

    fn emit(&mut self, channel: &str, event: Event) {
        self.out.push(Recorded {
            channel: channel.to_owned(),
            event,
        });
    }

    /// Takes the events recorded so far.
    pub fn take(&mut self) -> Vec<Recorded> {
        std::mem::take(&mut self.out)
    }

    /// Takes bytes `side` sent on `channel`, read at `now`.
    pub fn feed(&mut self, channel: &str, side: Side, bytes: &[u8], now: Instant) {
        let mut ch = self.channels.remove(channel).unwrap_or_default();
        match side {
            Side::Host => self.host(channel, &mut ch, bytes, now),
            Side::Modem => self.modem(channel, &mut ch, bytes, now),
        }
        self.channels.insert(channel.to_owned(), ch);
    }

    /// Lets time pass: writes payload lines of idle sides, and decides a
    /// `+++` that silence has confirmed.
    pub fn tick(&mut self, now: Instant) {
        let idle = self.cfg.idle;
        let threshold = self.threshold();
        let names: Vec<String> = self.channels.keys().cloned().collect();
        for name in names {
            let Some(mut ch) = self.channels.remove(&name) else {
                continue;
            };
            if let Some(d) = ch.data.as_mut() {
                if let Some(p) = d.plus {
                    if p.count == 3 && now.saturating_duration_since(p.last) >= threshold {
                        d.plus = None;
                        d.escape = Some((p.before, p.last));
                        d.escape_seen = true;
                        d.may_end = true;
                    }
                }
                if now.saturating_duration_since(d.host_at) >= idle {
                    Self::flush_host(&mut self.out, &name, d);
                }
                if now.saturating_duration_since(d.modem_at) >= idle {
                    Self::flush_modem(&mut self.out, &name, d, false);
                }
            }
            self.channels.insert(name, ch);
        }
    }

    /// Ends a channel (its connection closed): what is held is written.
    pub fn close(&mut self, channel: &str) {
        let Some(mut ch) = self.channels.remove(channel) else {
            return;
        };
        // Held behind a command never answered: written as they came. In
        // AT mode no time is read: any instant will do.
        self.release_held(channel, &mut ch, Instant::now());
        if let Some(mut d) = ch.data.take() {
            if let Some(p) = d.plus.take() {
                d.host.extend(std::iter::repeat_n(b'+', p.count));
            }
            Self::flush_host(&mut self.out, channel, &mut d);
            d.modem.append(&mut d.held);
            Self::flush_modem(&mut self.out, channel, &mut d, false);
            if let Some((before, _)) = d.escape {
                self.emit(
                    channel,
                    Event::Escape {
                        comment: escape_comment(self.cfg.times, before, None, Some("no answer")),
                    },
                );
            }
        }
        for (what, rest) in [("host", &ch.host_line), ("modem", &ch.modem_line)] {
            if !rest.trim_ascii().is_empty() {
                let text = format!(
                    "the {what} sent `{}` with no line end",
                    wip_transcript::encode_payload(rest)
                );
                self.out.push(Recorded {
                    channel: channel.to_owned(),
                    event: Event::Comment(text),
                });
            }
        }
    }

    /// Ends every channel.
    pub fn close_all(&mut self) {
        let names: Vec<String> = self.channels.keys().cloned().collect();
        for n in names {
            self.close(&n);
        }
    }

    fn host(&mut self, name: &str, ch: &mut Channel, bytes: &[u8], now: Instant) {
        let mut input = bytes;
        while !input.is_empty() {
            if ch.data.is_some() {
                self.host_data(name, ch, input, now);
                return;
            }
            // A modem reads a command line once the one before it is
            // answered: what comes meanwhile waits (in AT mode, or as the
            // payload of the data mode it opens).
            if ch.pending && self.holds {
                if ch.releasing {
                    ch.held.extend_from_slice(input);
                    return;
                }
                // Past what a modem would hold, the lines are written as
                // they came (in their order, whole), without waiting: at
                // exactly MAX_HELD bytes, however the reads were cut.
                let room = MAX_HELD.saturating_sub(ch.held.len());
                let (held, after) = input.split_at(room.min(input.len()));
                ch.held.extend_from_slice(held);
                if ch.held.len() < MAX_HELD {
                    return;
                }
                self.release_held(name, ch, now);
                input = after;
                continue;
            }
            let used = self.host_lines(name, ch, input);
            input = input.get(used..).unwrap_or_default();
        }
    }

    /// AT mode: reads `bytes` up to the end of the first command line it
    /// writes (a command is then pending) or to their end; returns how
    /// many it read.
    fn host_lines(&mut self, name: &str, ch: &mut Channel, bytes: &[u8]) -> usize {
        for (i, &b) in bytes.iter().enumerate() {
            if b != CR {
                if ch.host_line.len() <= MAX_LINE {
                    ch.host_line.push(b);
                }
                continue;
            }
            let line = std::mem::take(&mut ch.host_line);
            let text = line.trim_ascii();
            if text.is_empty() {
                keep_sent(&mut ch.sent, &line);
                keep_sent(&mut ch.sent, &[CR]);
                continue;
            }
            // The command starts at its first `AT` (a modem passes over
            // what comes before, as `wip sim` does); its echo may repeat
            // what the host sent before it (see [`Echo`]).
            let start = wip_schema::fields::command_start(text);
            let command = start
                .and_then(|i| text.get(i..))
                .and_then(|c| std::str::from_utf8(c).ok());
            match command {
                Some(t) if line.len() <= MAX_LINE => {
                    // What the host sent before the prefix: since its last
                    // command, and on this line (blanks included).
                    let lead = line.len() - line.trim_ascii_start().len();
                    let prefix = start.map_or(0, |s| s + lead);
                    let mut before = std::mem::take(&mut ch.sent);
                    before.extend_from_slice(line.get(..prefix).unwrap_or_default());
                    ch.echo = Some(Echo {
                        command: t.as_bytes().to_vec(),
                        before: last_line(&before).to_vec(),
                    });
                    ch.pending = true;
                    ch.next_session = DataSession::for_line(self.spec, t);
                    // `AT+WIPDATA=…,0` on one UART unmaps a socket from
                    // another, which then leaves data mode with a final
                    // result code of its own (6.2.4); so may a close of
                    // the socket or a stop of the stack. Another command
                    // leaves the other UARTs' data alone: their data may
                    // hold `\r\nOK\r\n`.
                    if may_end_others(t) {
                        for other in self.channels.values_mut() {
                            if let Some(d) = other.data.as_mut() {
                                d.may_end = true;
                            }
                        }
                    }
                    self.emit(
                        name,
                        Event::Command {
                            text: t.to_owned(),
                            comment: None,
                        },
                    );
                    if self.holds {
                        return i + 1;
                    }
                }
                _ => {
                    // No answer comes: the modem's echo of it may run on
                    // into that of the next command.
                    keep_sent(&mut ch.sent, &line);
                    keep_sent(&mut ch.sent, &[CR]);
                    let text = format!(
                        "the host sent `{}`, which is not a command line",
                        wip_transcript::encode_payload(text)
                    );
                    self.emit(name, Event::Comment(text));
                }
            }
        }
        bytes.len()
    }

    /// Reads every line held behind the pending command now, each as if
    /// the one before it had been answered.
    fn release_held(&mut self, name: &str, ch: &mut Channel, now: Instant) {
        // One loop, not one call per line: the lines it reads hold the
        // rest again, which the loop then reads.
        ch.releasing = true;
        while !ch.held.is_empty() {
            ch.pending = false;
            let held = std::mem::take(&mut ch.held);
            self.host(name, ch, &held, now);
        }
        ch.releasing = false;
    }

    fn host_data(&mut self, name: &str, ch: &mut Channel, bytes: &[u8], now: Instant) {
        let threshold = self.threshold();
        let times = self.cfg.times;
        let Some(d) = ch.data.as_mut() else {
            return;
        };
        if bytes.is_empty() {
            return;
        }
        // The modem's payload so far came first.
        Self::flush_modem(&mut self.out, name, d, true);
        if let Some((before, end)) = d.escape.take() {
            // The host sent more before the modem answered: the `+++`
            // stood, the modem just has not answered yet.
            let after = now.saturating_duration_since(end);
            let comment = escape_comment(times, before, Some(after), Some("no answer yet"));
            Self::flush_host(&mut self.out, name, d);
            self.out.push(Recorded {
                channel: name.to_owned(),
                event: Event::Escape { comment },
            });
        }
        // Every byte as it came (`+` included): the modem may have left
        // data mode before them.
        keep_sent(&mut ch.sent, bytes);
        for &b in bytes {
            let silence = now.saturating_duration_since(d.last_host);
            if let Some(mut p) = d.plus.take() {
                let since = now.saturating_duration_since(p.last);
                if b == b'+' && p.count < 3 && since < threshold {
                    p.count += 1;
                    p.last = now;
                    d.plus = Some(p);
                    d.last_host = now;
                    continue;
                }
                if p.count == 3 && since >= threshold {
                    // Silence after `+++`: the escape, then new bytes.
                    d.escape = Some((p.before, p.last));
                    d.escape_seen = true;
                } else {
                    for _ in 0..p.count {
                        host_byte(d, b'+');
                        d.host.push(b'+');
                    }
                }
            }
            if d.escape.is_some() {
                // Bytes after a confirmed escape: see above.
                if let Some((before, end)) = d.escape.take() {
                    let after = now.saturating_duration_since(end);
                    Self::flush_host(&mut self.out, name, d);
                    self.out.push(Recorded {
                        channel: name.to_owned(),
                        event: Event::Escape {
                            comment: escape_comment(
                                times,
                                before,
                                Some(after),
                                Some("no answer yet"),
                            ),
                        },
                    });
                }
            }
            if b == b'+' && silence >= threshold {
                d.plus = Some(Plus {
                    count: 1,
                    before: silence,
                    last: now,
                });
            } else {
                host_byte(d, b);
                d.host.push(b);
                if b == LF || d.host.len() >= MAX_PAYLOAD_LINE {
                    Self::flush_host(&mut self.out, name, d);
                }
            }
            d.last_host = now;
        }
        d.host_at = now;
    }

    fn modem(&mut self, name: &str, ch: &mut Channel, bytes: &[u8], now: Instant) {
        let mut rest: Vec<u8>;
        let mut input = bytes;
        loop {
            if ch.data.is_some() {
                match self.modem_data(name, ch, input, now) {
                    Some(after) => {
                        rest = after;
                        input = &rest;
                        continue;
                    }
                    None => return,
                }
            }
            let mut i = 0;
            while let Some(&b) = input.get(i) {
                i += 1;
                if b != LF {
                    if ch.modem_line.len() <= MAX_LINE {
                        ch.modem_line.push(b);
                    }
                    continue;
                }
                let line = std::mem::take(&mut ch.modem_line);
                self.modem_line(name, ch, &line, now);
                if ch.data.is_some() {
                    break;
                }
            }
            if ch.data.is_none() || i >= input.len() {
                return;
            }
            rest = input.get(i..).unwrap_or_default().to_vec();
            input = &rest;
        }
    }

    fn modem_line(&mut self, name: &str, ch: &mut Channel, line: &[u8], now: Instant) {
        let text = line.trim_ascii();
        if text.is_empty() {
            return;
        }
        let is_at = text.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(b"AT"));
        if let Some(stray) = ch.echo.as_ref().and_then(|e| e.stray(text)) {
            // The echo of the command (ATE1): transcripts leave it out.
            // What it repeats before the command is noise the modem passed
            // over, written as a comment.
            ch.echo = None;
            if !stray.is_empty() {
                let what = format!(
                    "the modem echoed `{}` before the command, bytes the host sent ahead of its prefix",
                    wip_transcript::encode_payload(stray)
                );
                self.emit(name, Event::Comment(what));
            }
            return;
        }
        let t = match std::str::from_utf8(text) {
            Ok(t) if line.len() <= MAX_LINE && !is_at => t,
            _ => {
                let what = format!(
                    "the modem sent `{}`, which cannot be written as a modem line",
                    wip_transcript::encode_payload(text)
                );
                self.emit(name, Event::Comment(what));
                return;
            }
        };
        let fin = final_result(t);
        if let Some(f) = fin {
            ch.echo = None;
            ch.pending = false;
            if f == Final::Connect {
                ch.sent.clear();
                let session = ch.next_session.take().unwrap_or_default();
                ch.data = Some(Data {
                    session,
                    host: Vec::new(),
                    modem: Vec::new(),
                    held: Vec::new(),
                    escape_seen: false,
                    modem_dle: false,
                    host_dle: false,
                    after_etx: false,
                    may_end: false,
                    modem_quiet: true,
                    last_host: now,
                    plus: None,
                    escape: None,
                    host_at: now,
                    modem_at: now,
                });
            }
        }
        self.emit(
            name,
            Event::ModemLine {
                text: t.to_owned(),
                comment: None,
            },
        );
        if fin.is_some() && !ch.held.is_empty() {
            let held = std::mem::take(&mut ch.held);
            self.host(name, ch, &held, now);
        }
    }

    /// Data mode on the modem side; returns the bytes after the final
    /// result that ended it, if one did.
    fn modem_data(
        &mut self,
        name: &str,
        ch: &mut Channel,
        bytes: &[u8],
        now: Instant,
    ) -> Option<Vec<u8>> {
        let d = ch.data.as_mut()?;
        if !bytes.is_empty() {
            Self::flush_host(&mut self.out, name, d);
            d.modem_at = now;
        }
        let mut work = std::mem::take(&mut d.held);
        work.extend_from_slice(bytes);
        let mut i = 0;
        while let Some(&b) = work.get(i) {
            let watching = d.may_end
                || d.after_etx
                || d.plus.is_some_and(|p| p.count == 3)
                || (d.modem_quiet && d.session.etx == Some(EtxMeaning::EndOfData));
            if b == CR && watching && !d.modem_dle {
                match indication(work.get(i..).unwrap_or_default()) {
                    Indication::More => {
                        d.held = work.get(i..).unwrap_or_default().to_vec();
                        return None;
                    }
                    Indication::Final(len) => {
                        let line = work.get(i..i + len).unwrap_or_default().to_vec();
                        let after = work.get(i + len..).unwrap_or_default().to_vec();
                        self.end_data(name, ch, &line, now);
                        return Some(after);
                    }
                    Indication::No => {}
                }
                // After the host's `+++`, a URC that became due meanwhile
                // comes before the final result (erratum E42): written as
                // the modem's line after the `+++`, not as payload.
                let escaped = d.escape_seen || d.plus.is_some_and(|p| p.count == 3);
                if escaped {
                    let rest = work.get(i..).unwrap_or_default();
                    match escaped_line(rest) {
                        EscapedLine::More => {
                            d.held = rest.to_vec();
                            return None;
                        }
                        EscapedLine::Line(len) => {
                            let text = rest
                                .get(2..len.saturating_sub(2))
                                .and_then(|t| std::str::from_utf8(t).ok())
                                .filter(|t| is_urc(&self.index, t));
                            if let Some(text) = text {
                                Self::flush_modem(&mut self.out, name, d, false);
                                if let Some(p) = d.plus.take() {
                                    if p.count == 3 {
                                        d.escape = Some((p.before, p.last));
                                    } else {
                                        d.host.extend(std::iter::repeat_n(b'+', p.count));
                                    }
                                }
                                // What the host sent before the URC
                                // came first (a lone `+`).
                                Self::flush_host(&mut self.out, name, d);
                                if let Some((before, end)) = d.escape.take() {
                                    let after = now.saturating_duration_since(end);
                                    self.out.push(Recorded {
                                        channel: name.to_owned(),
                                        event: Event::Escape {
                                            comment: escape_comment(
                                                self.cfg.times,
                                                before,
                                                Some(after),
                                                None,
                                            ),
                                        },
                                    });
                                }
                                self.out.push(Recorded {
                                    channel: name.to_owned(),
                                    event: Event::ModemLine {
                                        text: text.to_owned(),
                                        comment: None,
                                    },
                                });
                                d.escape_seen = true;
                                d.may_end = true;
                                d.after_etx = false;
                                d.modem_at = now;
                                i += len;
                                continue;
                            }
                        }
                        EscapedLine::No => {}
                    }
                }
            }
            match d.session.escaping {
                Escaping::Continuous if d.modem_dle => {
                    d.modem_dle = false;
                    d.after_etx = false;
                }
                Escaping::Continuous if b == DLE => d.modem_dle = true,
                // A UDP datagram's ETX only ends the datagram (6.2.2.3):
                // more data follows, not a final result code.
                Escaping::Continuous if b == ETX => {
                    d.after_etx = d.session.etx != Some(EtxMeaning::EndOfDatagram);
                }
                _ => d.after_etx = false,
            }
            d.modem.push(b);
            d.modem_quiet = false;
            // A bare CR LF where the modem may send `\r\nSHUTDOWN\r\n`
            // (6.2.2.1) waits for what follows, so that the indication is
            // one line (`<< \r\nSHUTDOWN\r\n`), as the format writes it
            // and `--stage` reads it.
            let held_crlf = d.modem == b"\r\n" && d.session.watches_shutdown();
            if (b == LF && !held_crlf) || d.modem.len() >= MAX_PAYLOAD_LINE {
                Self::flush_modem(&mut self.out, name, d, false);
            }
            i += 1;
        }
        None
    }

    /// The modem's final result `line` (CR LF framed) ends data mode.
    fn end_data(&mut self, name: &str, ch: &mut Channel, line: &[u8], now: Instant) {
        let Some(mut d) = ch.data.take() else {
            return;
        };
        if let Some(p) = d.plus.take() {
            // `+++` answered before the tap's own threshold passed.
            if p.count == 3 {
                d.escape = Some((p.before, p.last));
            } else {
                d.host.extend(std::iter::repeat_n(b'+', p.count));
            }
        }
        Self::flush_host(&mut self.out, name, &mut d);
        Self::flush_modem(&mut self.out, name, &mut d, false);
        if let Some((before, end)) = d.escape {
            let after = now.saturating_duration_since(end);
            self.emit(
                name,
                Event::Escape {
                    comment: escape_comment(self.cfg.times, before, Some(after), None),
                },
            );
        }
        ch.echo = None;
        self.modem_line(name, ch, line, now);
    }

    fn flush_host(out: &mut Vec<Recorded>, name: &str, d: &mut Data) {
        if !d.host.is_empty() {
            out.push(Recorded {
                channel: name.to_owned(),
                event: Event::HostData(std::mem::take(&mut d.host)),
            });
        }
    }

    /// Writes the modem's payload; with `held`, also the bytes held as the
    /// possible start of a final result (the host spoke, so they were data).
    fn flush_modem(out: &mut Vec<Recorded>, name: &str, d: &mut Data, held: bool) {
        if held && !d.held.is_empty() {
            d.modem.append(&mut d.held);
        }
        if !d.modem.is_empty() {
            out.push(Recorded {
                channel: name.to_owned(),
                event: Event::ModemData(std::mem::take(&mut d.modem)),
            });
        }
    }
}

/// Follows the host's escaping: a lone ETX from the host may be answered
/// by a final result where it ends the transfer (a `+WIPFILE` session,
/// 6.1.2, or a session the spec says nothing of); on a TCP socket it shuts
/// the sending side down and the UART stays in data mode (6.2.11.1), on a
/// UDP socket it ends a datagram.
fn host_byte(d: &mut Data, b: u8) {
    if d.session.escaping != Escaping::Continuous {
        return;
    }
    if d.host_dle {
        d.host_dle = false;
    } else if b == DLE {
        d.host_dle = true;
    } else if b == ETX && matches!(d.session.etx, Some(EtxMeaning::EndOfData) | None) {
        d.may_end = true;
    }
}

/// Whether a command line on one UART may end data mode on another: an
/// unmap (`AT+WIPDATA=<p>,<idx>,0`, 6.2.4), a close (5.2) or a stop of the
/// stack (4.1).
fn may_end_others(line: &str) -> bool {
    let upper = line.trim().to_ascii_uppercase();
    (upper.starts_with("AT+WIPDATA=") && upper.ends_with(",0"))
        || upper.starts_with("AT+WIPCLOSE=")
        || upper == "AT+WIPCFG=0"
}

/// What bytes starting with CR are, in data mode.
enum Indication {
    /// A CR LF framed final result code of this many bytes, framing
    /// included (`CONNECT` excluded).
    Final(usize),
    /// Data.
    No,
    /// Cannot tell yet.
    More,
}

/// Whether `line` is a URC of the spec, with no command in flight.
fn is_urc(index: &Index, line: &str) -> bool {
    let parts = index.unglue(classify::parts(line.as_bytes()));
    matches!(index.classify(InFlight::None, &parts), Class::Urc(_))
}

/// Looks for `\r\n<final result>\r\n` at the start of `b`, as a host's
/// framer does (manual 6.2.4, 6.2.5).
fn indication(b: &[u8]) -> Indication {
    match b.get(1) {
        None => return Indication::More,
        Some(&LF) => {}
        Some(_) => return Indication::No,
    }
    for (k, &c) in b.iter().enumerate().skip(2) {
        if c == CR {
            match b.get(k + 1) {
                None => return Indication::More,
                Some(&LF) => {}
                Some(_) => return Indication::No,
            }
            let content = b.get(2..k).unwrap_or_default();
            let fin = std::str::from_utf8(content).ok().and_then(final_result);
            return match fin {
                Some(f) if f != Final::Connect => Indication::Final(k + 2),
                _ => Indication::No,
            };
        }
        let allowed =
            c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, b' ' | b'+' | b':');
        if !allowed || k >= MAX_INDICATION {
            return Indication::No;
        }
    }
    Indication::More
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
