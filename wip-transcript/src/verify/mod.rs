//! Conformance of transcripts to a spec, by the rules of
//! `transcript-format.md` ("What conformance means").
//!
//! Commands and modem lines are parsed by the same engine the generated
//! bindings use ([`wip_schema`]), fed with the dialect of the spec: there
//! is no second description of the command set here, only the rules of
//! the transcript format (one final result per command, data mode, which
//! lines may come when).

mod completion;
mod errtables;
mod model;
mod prompt;
mod test_answer;

use crate::state::{self, Refusal, Request};
use crate::{Event, Spanned};
use model::Model;
use std::collections::BTreeMap;
use wip_schema::{self as schema, Dialect, ErrorKind, Final, Index};

/// One broken rule, at a line of the transcript.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    /// 1-based line number.
    pub line: usize,
    /// What rule broke, for people.
    pub message: String,
}

/// Recognises a final result code in a modem line of a transcript (outer
/// blanks allowed): the engine's one recognizer, [`Final::parse`].
pub fn final_result(line: &str) -> Option<Final> {
    Final::parse(blanks_trimmed(line).as_bytes())
}

/// A line without its outer blanks, as the reader takes them: space and
/// tab only (a CR left by `\r\r\n` line ends, or a no-break space, is
/// part of the line, as the reader and `wip replay` see it).
fn blanks_trimmed(line: &str) -> &str {
    line.trim_matches([' ', '\t'])
}

/// The command waiting for its final result on a channel.
struct Pending {
    line: usize,
    text: String,
    /// (command, form) when it parsed against the spec.
    parsed: Option<schema::ParsedCommand>,
    /// The command's index in the spec, when the spec has it (even when
    /// its line broke the spec).
    command: Option<usize>,
    /// Why it breaks the spec, when it does: a modem accepting it is a
    /// violation.
    breaks: Option<String>,
    /// The kind of that error: a wrong value (not a wrong syntax) is
    /// answered `+CME ERROR` once the codes are on (2.2).
    breaks_kind: Option<ErrorKind>,
    /// Not a command of the spec (`ATE0`): its responses pass unchecked.
    foreign: bool,
    /// What it asks of the modem's state.
    req: Request,
    /// Its completion URC came before its final result code.
    completed_early: bool,
    /// Why the state, as the transcript showed it, makes the modem refuse
    /// it: an `OK` is then a violation.
    refusal: Option<Refusal>,
    /// The modem prompted for its payload (a `<<` line came).
    prompted: bool,
    /// The host aborted its payload (ended it with the abort byte).
    aborted: bool,
    /// It was answered `CONNECT`: the next final result code ends the data
    /// session, not the command, and its form's `finals` do not apply.
    in_session: bool,
    /// The options its responses have carried so far: (message, table,
    /// option) and the line.
    options_read: Vec<((usize, usize, usize), usize)>,
    /// A value of an option whose read always fails came (reported at
    /// its line: the final result code is not reported again).
    failing_read_told: bool,
    /// The line of the `+WIPDATARW: 3,...` that answered it, once it
    /// came: one per command (6.3.3).
    send_told: Option<usize>,
    /// The bearers its `<bid>,<state>` lines named (`AT+WIPBR?`, 4.2.2).
    bearers_listed: Vec<i64>,
    /// Why an `OK` of it could not be, judged on the state as it stood
    /// when it was sent (`Model::datarw_refused`): its answer
    /// may change that state before the `OK` (a `+WIPDATARW: 0,<idx>`
    /// closing the session it names).
    refused_when_sent: Option<String>,
}

impl Pending {
    /// The command line `text` sent at `line`, nothing known of it yet: not
    /// parsed, breaking nothing, asking nothing of the state.
    fn new(line: usize, text: &str) -> Self {
        Pending {
            line,
            text: text.to_string(),
            parsed: None,
            command: None,
            breaks: None,
            breaks_kind: None,
            foreign: false,
            req: Request::Free,
            refusal: None,
            completed_early: false,
            prompted: false,
            aborted: false,
            in_session: false,
            options_read: Vec::new(),
            failing_read_told: false,
            bearers_listed: Vec::new(),
            send_told: None,
            refused_when_sent: None,
        }
    }
}

/// `BUSY`, `NO ANSWER` or `NO DIALTONE`: the result of a call (V.250),
/// which neither ends a data session nor rejects a command's values.
fn is_call_result(f: Final) -> bool {
    matches!(f, Final::Busy | Final::NoAnswer | Final::NoDialtone)
}

#[derive(Default)]
struct Channel {
    pending: Option<Pending>,
    /// In data mode since this `CONNECT` line.
    data_since: Option<usize>,
    /// The `CONNECT` line of the last data mode, until the channel's next
    /// command: the URCs that follow its end may have been held since
    /// then (a modem gives a channel its URCs once back in AT mode).
    held_from: Option<usize>,
    /// The host sent `+++` in this data mode: the modem's final result code
    /// is due, and a URC may come first.
    escaped: bool,
    /// The line of the first modem line between the host's `+++` and the
    /// final result code (erratum E42): the modem answers the escape from
    /// there, and sends no more data.
    escape_answered: Option<usize>,
    /// Commands answered whose completion URC has not come yet.
    awaiting: Vec<completion::Awaited>,
    /// Commands (by index) whose line broke the spec yet was answered
    /// with success: a completion of one of their forms may still come,
    /// and is not reported again.
    loose: Vec<usize>,
    /// The prompt phase open after the pending command's prompt.
    phase: Option<prompt::Phase>,
    /// Raw data the last message line announced.
    expect: Option<prompt::Expect>,
    /// The modem's bytes of a continuous-mode data session, as far as
    /// their escaping is checked; `None` outside one.
    stream: Option<Stream>,
    /// The line of the `AT+CMEE=0` in force on this channel: the modem then
    /// words every error `ERROR` (2.2). `None` when the transcript has not
    /// turned the codes off (or turned them on again, or reset the modem).
    cmee_off: Option<usize>,
    /// The line of the `@assume power-on` this channel's codes are off
    /// since (2.2: "By default, CMEE is set to 0"), until the transcript
    /// turns them on or resets the modem.
    cmee_default: Option<usize>,
    /// The line of the `AT+CMEE=1` (or `2`) in force on this channel: a
    /// well-formed command with a wrong value is then answered `+CME
    /// ERROR` (2.2). `None` while the transcript has not turned the codes
    /// on (or turned them off, or reset the modem).
    cmee_on: Option<usize>,
}

/// The modem's side of a continuous-mode data session (6.1.1, 6.1.2,
/// 6.2.2): every [DLE] it sends escapes a [DLE] or an [ETX] that came as
/// data, and where a lone [ETX] ends the transfer, nothing follows it.
#[derive(Debug, Clone, Copy)]
struct Stream {
    /// What a lone [ETX] means in this session.
    etx: Option<schema::EtxMeaning>,
    /// The line of a [DLE] whose escaped byte has not come yet.
    dle: Option<usize>,
    /// The line of the lone [ETX] that ended the transfer.
    ended: Option<usize>,
    /// The host's last byte was a [DLE], escaping the next one.
    host_dle: bool,
    /// The host sent a lone [ETX]: where it ends the transfer (an
    /// upload), the final result code may follow.
    host_ended: bool,
    /// The modem sent data in this session (a download).
    modem_sent: bool,
    /// The line of the modem's last lone [ETX] in this session (on a TCP
    /// socket: the reset, 6.2.5).
    modem_etx: Option<usize>,
    /// In a UDP session (a lone [ETX] ends a datagram): the bytes of the
    /// modem's datagram since its last lone [ETX], data unescaped.
    datagram: usize,
    /// The session is an upload (the spec's `upload` outcome): the modem
    /// sends no data in it.
    upload: bool,
    /// The size a `+WIPDATA` announced of the first datagram this UDP
    /// session reads, with the line of the indication (6.2.6, 9.2); taken
    /// when that datagram's lone [ETX] comes.
    announced: Option<(i64, usize)>,
}

impl Channel {
    /// `CONNECT` at `line` opens data mode: no escape sent in it yet, and
    /// the URCs that follow its end may have been held since this line.
    fn enter_data(&mut self, line: usize) {
        self.data_since = Some(line);
        self.escaped = false;
        self.escape_answered = None;
        self.held_from = Some(line);
    }
}

/// The largest UDP datagram (6.2.2.2: "Maximum size of an UDP datagram
/// has been fixed to 5904 Bytes"; the spec's `udp_datagram` limit).
const MAX_DATAGRAM: usize = 5904;

const DLE: u8 = 0x10;
const ETX: u8 = 0x03;
/// "connection reset by peer" (10.1), after a TCP socket's reset (6.2.5).
const RESET: u32 = 843;

/// Checks the events of one transcript, streaming: feed events in order,
/// then call [`Verifier::finish`].
pub struct Verifier<'d> {
    d: &'d Dialect,
    index: Index,
    channels: BTreeMap<String, Channel>,
    out: Vec<Violation>,
    /// Where the transcript follows real modems rather than the manual's
    /// letter: shown under `wip verify --strict`, never violations.
    notes: Vec<Violation>,
    /// The modem's state as the transcript established it.
    model: Model,
    /// The dialect without rules across parameters or totals: what a
    /// line that breaks one asks of the state, judged as if it were right.
    lax: Dialect,
    /// The line of the last `@assume power-on`: every channel has its
    /// error codes off from there (2.2).
    power_on: Option<usize>,
}

impl<'d> Verifier<'d> {
    /// A verifier for transcripts of this dialect.
    pub fn new(d: &'d Dialect) -> Self {
        Verifier {
            d,
            index: Index::new(d),
            channels: BTreeMap::new(),
            out: Vec::new(),
            notes: Vec::new(),
            model: Model::default(),
            lax: d.without_rules(),
            power_on: None,
        }
    }

    fn report(&mut self, line: usize, message: String) {
        let message = printable(message);
        self.out.push(Violation { line, message });
    }

    fn note(&mut self, line: usize, message: String) {
        self.notes.push(Violation {
            line,
            message: printable(format!("note: {message}")),
        });
    }

    /// Takes the next event.
    pub fn event(&mut self, ev: &Spanned<Event>) {
        let line = ev.line;
        let mut ch = self
            .channels
            .remove(&ev.channel)
            .unwrap_or_else(|| Channel {
                cmee_default: self.power_on,
                ..Channel::default()
            });
        match &ev.value {
            Event::Directive { name, args, .. } if name == "assume" => {
                match self.model.assume(self.d, args, line) {
                    Err(e) => self.report(line, e),
                    // Just powered on: the codes are off on every UART.
                    Ok(()) if args.split_whitespace().any(|w| w == "power-on") => {
                        self.power_on = Some(line);
                        for c in self.channels.values_mut().chain([&mut ch]) {
                            c.cmee_default = Some(line);
                            c.cmee_off = None;
                            c.cmee_on = None;
                        }
                    }
                    Ok(()) => {}
                }
            }
            Event::Comment(_) | Event::Directive { .. } => {}
            Event::Command { text, .. } => {
                self.payload_missing(&mut ch);
                self.close_phase(&mut ch);
                self.command(&mut ch, &ev.channel, line, text)
            }
            // A line payload is taken whatever it reads.
            Event::ModemLine { .. } if self.payload_line(&mut ch) => {}
            Event::ModemLine { text, .. } => {
                self.close_phase(&mut ch);
                self.modem_line(&mut ch, &ev.channel, line, text)
            }
            Event::HostData(_) | Event::ModemData(_) if ch.data_since.is_none() => {
                self.phase_event(&mut ch, line, &ev.value)
            }
            Event::HostData(_) | Event::ModemData(_) | Event::Escape { .. } => {
                if ch.data_since.is_none() {
                    self.report(line, "data outside data mode".into());
                }
                // 6.2.4: "+++" with 1 second guard time before and after;
                // the modem's answer ends the guard time after it.
                if ch.escaped && !matches!(ev.value, Event::ModemData(_)) {
                    let what = match ev.value {
                        Event::Escape { .. } => "another `+++`",
                        _ => "data",
                    };
                    self.report(
                        line,
                        format!("the host sends {what} after its `+++`, before the modem answered it: the escape sequence needs a guard time of silence after it (6.2.4)"),
                    );
                }
                if let (Event::ModemData(_), Some(at)) = (&ev.value, ch.escape_answered) {
                    self.report(
                        line,
                        format!("the modem sends data after its line at line {at}, between `+++` and the final result code: from its first line there the modem answers the escape and sends no more data (6.2.4, erratum E42)"),
                    );
                }
                if let Event::ModemData(bytes) = &ev.value {
                    self.modem_data(&mut ch, line, bytes);
                }
                if let (Event::HostData(bytes), Some(s)) = (&ev.value, ch.stream.as_mut()) {
                    for &b in bytes {
                        if std::mem::take(&mut s.host_dle) {
                            continue;
                        }
                        match b {
                            DLE => s.host_dle = true,
                            ETX => s.host_ended = true,
                            _ => {}
                        }
                    }
                }
                if matches!(ev.value, Event::Escape { .. }) {
                    ch.escaped = true;
                }
            }
        }
        self.channels.insert(ev.channel.clone(), ch);
    }

    fn command(&mut self, ch: &mut Channel, channel: &str, line: usize, text: &str) {
        ch.held_from = None;
        // 6.2.11.2: `ATO` gets "no response ... when GSM bearer is used".
        if ch
            .pending
            .as_ref()
            .is_some_and(|p| p.text.trim().eq_ignore_ascii_case("ATO") && self.gsm_may_be_started())
        {
            ch.pending = None;
        }
        if let Some(p) = &ch.pending {
            let msg = format!(
                "`{text}` is sent before `{}` (line {}) got its final result code",
                p.text, p.line
            );
            self.report(line, msg);
        }
        if let Some(p) = ch.pending.take() {
            // Judged as if it had got its OK.
            self.model.accepted(self.d, &p.req, p.line, channel, false);
        }
        let name = schema::fields::command_line(text)
            .map(|c| c.name.to_string())
            .unwrap_or_default();
        let mut pending = Pending {
            command: self.d.command(&name).map(|(i, _)| i),
            ..Pending::new(line, text)
        };
        if !self.d.owns(&name) {
            pending.foreign = true;
        } else {
            match schema::parse_command_noting(self.d, text) {
                Ok((p, lenient)) => {
                    if lenient.bare_strings {
                        self.note(
                            line,
                            format!("`{text}` sends a string parameter without quotes; the manual's tables quote strings, real modems accept it (erratum E40, tolerance)"),
                        );
                    }
                    if lenient.quoted_ints {
                        self.note(
                            line,
                            format!("`{text}` sends an integer option value in quotes; the manual's tables write integers bare, its example of 4.2.6 quotes one (erratum E08, tolerance)"),
                        );
                    }
                    pending.req = Request::of(self.d, &p);
                    self.model.sent(&pending.req);
                    pending.refusal = state::check(&self.model, &pending.req).err();
                    if let Request::DataRw { .. } = pending.req {
                        pending.refused_when_sent =
                            self.model.datarw_refused(self.d, &p, &pending.req);
                    }
                    pending.parsed = Some(p);
                }
                Err(e) if e.kind == ErrorKind::UnknownCommand => {
                    self.report(line, format!("{e}"));
                    pending.foreign = true;
                }
                Err(e) => {
                    if e.kind == ErrorKind::Rule {
                        // What it asks of the state, as if it were right:
                        // the lines after it are judged by that.
                        if let Ok(p) = schema::parse_command(&self.lax, text) {
                            pending.req = Request::of(self.d, &p);
                        }
                    }
                    pending.breaks = Some(e.to_string());
                    pending.breaks_kind = Some(e.kind);
                }
            }
        }
        ch.pending = Some(pending);
        ch.data_since = None;
        ch.stream = None;
        ch.escaped = false;
        ch.escape_answered = None;
    }

    /// Whether another channel than the one being judged has a command in
    /// flight (the channel judged is out of `channels` meanwhile): its
    /// effect may come before its answer, so what it may change is not
    /// judged against the state.
    fn others_busy(&self) -> bool {
        self.channels.values().any(|c| c.pending.is_some())
    }

    /// Whether the GPRS bearer is known started and no GSM bearer may be.
    fn gprs_only(&self) -> bool {
        state::bearer_id(self.d, "GPRS").is_some_and(|gprs| {
            state::View::bearer(&self.model, gprs) == Some(state::BearerState::Started)
        }) && !self.gsm_may_be_started()
    }

    /// Whether the dialect has a GSM bearer known to be started.
    fn gsm_started(&self) -> bool {
        state::bearer_id(self.d, "GSM").is_some_and(|gsm| {
            state::View::bearer(&self.model, gsm) == Some(state::BearerState::Started)
        })
    }

    /// Whether the dialect has a GSM bearer that may be started (it is,
    /// or the transcript has not shown).
    fn gsm_may_be_started(&self) -> bool {
        state::bearer_id(self.d, "GSM").is_some_and(|gsm| {
            state::View::bearer(&self.model, gsm).is_none_or(|b| b == state::BearerState::Started)
        })
    }

    /// The modem's bytes at `line` in data mode: checked for their
    /// escaping in a continuous-mode session ([`Stream`]).
    fn modem_data(&mut self, ch: &mut Channel, line: usize, bytes: &[u8]) {
        let Some(mut s) = ch.stream else {
            return;
        };
        // A lone [ETX] is no data: the modem ends a transfer it aborts so
        // (then a final result code, as after a reset, 6.2.5).
        if s.upload && bytes.iter().any(|&b| b != ETX) {
            self.report(
                line,
                "the modem sends data in an upload: the data of this session goes from the host to the server, and the modem sends none until it leaves data mode (6.1.2, 6.1.4)".into(),
            );
            // Reported once: the rest of the session is not checked.
            ch.stream = None;
            return;
        }
        s.modem_sent |= !bytes.is_empty();
        let datagrams = s.etx == Some(schema::EtxMeaning::EndOfDatagram);
        for &b in bytes {
            // 6.2.2.3: on a TCP socket the modem's lone [ETX] signals that
            // the peer shut the downlink way down: no data follows it.
            // (A lone [ETX] again is no data: a reset's, 6.2.5.)
            if let (Some(schema::EtxMeaning::Shutdown), Some(at), true) =
                (s.etx, s.modem_etx, b != ETX)
            {
                self.report(
                    line,
                    format!("the modem sends data after its lone [ETX] at line {at}: on a TCP socket that [ETX] signals that the peer shut the downlink way down, so no data follows it (6.2.2.3, erratum E56)"),
                );
                // Reported once: the rest of the session is not checked.
                ch.stream = None;
                return;
            }
            if let Some(end) = s.ended {
                self.report(
                    line,
                    format!("the modem sends data after the [ETX] that ended the transfer at line {end}: a lone [ETX] marks the end of the data, and the UART is back in AT mode (6.1.1.1, 6.1.2)"),
                );
                // Reported once: the rest of the session is not checked.
                ch.stream = None;
                return;
            }
            let data = s.dle.is_some() || (b != DLE && b != ETX);
            if datagrams && data {
                s.datagram = s.datagram.saturating_add(1);
                if s.datagram == MAX_DATAGRAM + 1 {
                    self.report(
                        line,
                        format!("the modem's datagram passes {MAX_DATAGRAM} bytes with no lone [ETX] to end it: a UDP datagram is at most {MAX_DATAGRAM} bytes, and each one read ends with an [ETX] (6.2.2.2)"),
                    );
                }
            }
            if let Some(at) = s.dle.take() {
                if b != DLE && b != ETX {
                    let here = if at == line {
                        String::new()
                    } else {
                        format!(" (the [DLE] is at line {at})")
                    };
                    self.report(
                        line,
                        format!("the modem sends a [DLE] followed by 0x{b:02X}{here}: it sends a [DLE] only before a [DLE] or an [ETX] of the data, each of which it escapes (6.1.1.2, 6.2.2.4)"),
                    );
                }
            } else if b == DLE {
                s.dle = Some(line);
            } else if b == ETX {
                s.modem_etx = Some(line);
                if let Some((size, at)) = s.announced.take().filter(|_| datagrams) {
                    let got = i64::try_from(s.datagram).unwrap_or(i64::MAX);
                    if got != size {
                        self.report(
                            line,
                            format!("the first datagram read holds {got} bytes, but the +WIPDATA at line {at} announced a datagram of {size} bytes: it is the datagram read next (6.2.6, 9.2)"),
                        );
                    }
                }
                s.datagram = 0;
                if s.etx == Some(schema::EtxMeaning::EndOfData) {
                    s.ended = Some(line);
                }
            }
        }
        ch.stream = Some(s);
    }

    fn modem_line(&mut self, ch: &mut Channel, channel: &str, line: usize, text: &str) {
        // The spec's own final result codes (`SEND OK`) end a command too.
        let fin = Final::parse_in(self.d, blanks_trimmed(text).as_bytes());
        if let Some(since) = ch.data_since {
            // A CONNECT keeps the line in data mode, as the reader reads it
            // (it does not end the session it would open again).
            if fin == Some(Final::Connect) {
                self.report(
                    line,
                    format!("`{text}` comes in data mode (since line {since}), where the modem sends no CONNECT: the line stays in data mode"),
                );
                return;
            }
        }
        // Real modems may send a URC between `+++` and its OK (a peer
        // closing meanwhile, 6.2.11.1), where 6.2.4 shows OK alone: the
        // data session's final result code is still due, and the session
        // ends at it, judged as the end of the session (erratum E42).
        // Another line ends data mode, as the transcript format reads it.
        let urc = fin.is_none() && ch.escaped && ch.data_since.is_some() && self.is_urc(text);
        if urc {
            // The modem answers the escape from its first line there: the
            // socket is unmapped then (another UART may map it before the
            // final result), the session's checks wait for the final.
            if ch.escape_answered.is_none() {
                ch.escape_answered = Some(line);
                self.model.left_data(channel, line);
            }
            self.notes.push(Violation {
                line,
                message: format!(
                    "note: `{text}` comes between `+++` and its final result code; 6.2.4 shows `OK` right after `+++`, real modems send pending URCs first (erratum E42, tolerance)"
                ),
            });
        }
        // Checked and recorded as a URC; after such a URC the line is in
        // AT mode (the transcript format), and another line is judged as
        // a modem line there, the final result code still due.
        if urc || (fin.is_none() && ch.data_since.is_some() && ch.escape_answered.is_some()) {
            self.message(ch, line, text);
            return;
        }
        if let Some(since) = ch.data_since.take() {
            ch.escape_answered = None;
            self.model.left_data(channel, line);
            let stream = ch.stream.take();
            if let Some(at) = stream.and_then(|s| s.dle) {
                self.report(
                    at,
                    "the modem's data ends with a [DLE] that escapes nothing: the modem sends a [DLE] only before a [DLE] or an [ETX] of the data (6.1.1.2, 6.2.2.4)".into(),
                );
            }
            // A download whose lone [ETX] ends it (a +WIPFILE one, 6.1.2)
            // goes back to AT mode after that [ETX] (6.1.5: "the end of
            // the file is marked by [ETX]"), after the host's own [ETX] or
            // its `+++` (6.1.2): the host tells the final result code from
            // the file's data so. (In an upload the modem sends no data,
            // and its final result code is not mistaken for any.)
            let unmarked = stream.is_some_and(|s| {
                s.etx == Some(schema::EtxMeaning::EndOfData)
                    && s.modem_sent
                    && s.ended.is_none()
                    && !s.host_ended
                    && s.dle.is_none()
            });
            // 6.2.5: "When the socket is reset, an [ETX] character is sent
            // on the mapped UART to indicate the end of communication. The
            // mapped UART switches to AT mode and "+CME ERROR: 843" is
            // displayed"; a UDP socket has no connection to reset.
            if fin == Some(Final::CmeError(Some(RESET))) {
                match stream.map(|s| (s.etx, s.modem_etx)) {
                    Some((Some(schema::EtxMeaning::Shutdown), None)) => self.report(
                        line,
                        format!(
                            "`{}` (connection reset by peer) ends the session of line {since} with no lone [ETX] from the modem before it: a reset sends an [ETX] on the mapped UART first (6.2.5)",
                            text.trim()
                        ),
                    ),
                    Some((Some(schema::EtxMeaning::EndOfDatagram), _)) => self.report(
                        line,
                        format!(
                            "`{}` (connection reset by peer) ends a UDP session (line {since}): only a TCP socket is reset (6.2.5)",
                            text.trim()
                        ),
                    ),
                    _ => {}
                }
            }
            if unmarked && !ch.escaped && fin.is_some_and(|f| f != Final::Connect) {
                self.report(
                    line,
                    format!(
                        "the download in data mode since line {since} is left by `{}` with no lone [ETX] before it: the end of the data is marked by [ETX] (6.1.2, 6.1.5), or the host leaves with `+++`",
                        text.trim()
                    ),
                );
            }
            // The reader ends data mode at any modem line: it must be the
            // final result code that closes the session.
            if fin.is_none() {
                self.report(line, format!("data mode (since line {since}) is left by `{text}`, which is not a final result code"));
                ch.pending = None;
                return;
            }
        }
        match fin {
            Some(f) => self.final_code(ch, channel, line, text, f),
            None => self.message(ch, line, text),
        }
    }

    fn final_code(&mut self, ch: &mut Channel, channel: &str, line: usize, text: &str, f: Final) {
        let Some(mut p) = ch.pending.take() else {
            self.report(
                line,
                format!("final result code `{text}` with no command pending"),
            );
            // A CONNECT still opens data mode (transcript format): the
            // lines of the session that follows are judged as such, not
            // reported again as out of place.
            if f == Final::Connect {
                ch.enter_data(line);
                ch.pending = Some(Pending {
                    foreign: true,
                    in_session: true,
                    ..Pending::new(line, text.trim())
                });
            }
            return;
        };
        // 6.2.11.2: "If ATO command is used to switch the embedded module
        // back to DATA mode, +CME ERROR:3 will be received when GPRS bearer
        // is used" (AT+WIPDATA maps a socket again).
        let ato = !p.in_session && p.text.trim().eq_ignore_ascii_case("ATO");
        if ato && self.gprs_only() && !matches!(f, Final::CmeError(Some(3)) | Final::Error) {
            self.report(
                line,
                format!(
                    "`{}` answered {}, but with the GPRS bearer started the modem answers +CME ERROR: 3 (6.2.11.2): AT+WIPDATA switches back to data mode",
                    p.text.trim(),
                    text.trim()
                ),
            );
        } else if ato && self.gsm_started() {
            self.report(
                line,
                format!(
                    "`{}` answered {}, but with the GSM bearer started \"no response is received\" (6.2.11.2)",
                    p.text.trim(),
                    text.trim()
                ),
            );
        }
        // 2.2: "The possible error message is displayed only if
        // AT+CMEE=1 is activated, else ERROR is displayed."
        if let (Final::CmeError(_), Some(at)) = (&f, ch.cmee_off) {
            self.report(
                line,
                format!(
                    "`{}` after `AT+CMEE=0` (line {at}): with the codes off the modem answers ERROR (2.2)",
                    text.trim()
                ),
            );
        } else if let (Final::CmeError(_), Some(at)) = (&f, ch.cmee_default) {
            self.report(
                line,
                format!(
                    "`{}` with no `AT+CMEE=1` since the modem was powered on (line {at}): \
                     \"by default, CMEE is set to 0, and the error message is only ERROR\" (2.2)",
                    text.trim()
                ),
            );
        }
        // 2.2: "If command syntax is correct but transmitted with wrong
        // parameters, the +CME ERROR: <Err> ... is returned with adequate
        // error codes if CMEE was previously set to 1."
        // A command whose syntax and values are right and that the modem
        // refuses (its state, the network) is refused with a code too,
        // unless its form declares a bare ERROR among its final result
        // codes (a vendor's `finals`).
        let declares_error = p
            .parsed
            .as_ref()
            .and_then(|x| self.d.commands.get(x.command)?.forms.get(x.form))
            .is_some_and(|form| form.finals.contains(&schema::FinalRef::Error));
        if let (Final::Error, Some(at), None, false, true) = (
            &f,
            ch.cmee_on,
            p.breaks_kind,
            p.foreign || p.in_session || declares_error,
            p.parsed.is_some(),
        ) {
            self.report(
                line,
                format!(
                    "`{}` answered ERROR after `AT+CMEE=1` (line {at}), but its syntax and values are right: a command the modem refuses then answers +CME ERROR with a code (2.2, 4.1.5)",
                    p.text
                ),
            );
        }
        if let (Final::Error, Some(at), Some(ErrorKind::Value | ErrorKind::Option), false) =
            (&f, ch.cmee_on, p.breaks_kind, p.foreign)
        {
            self.report(
                line,
                format!(
                    "`{}` answered ERROR after `AT+CMEE=1` (line {at}), but its syntax is right and a value wrong ({}): the modem answers +CME ERROR with a code (2.2)",
                    p.text,
                    p.breaks.as_deref().unwrap_or_default()
                ),
            );
        }
        // `AT+CFUN=1` restarts the module (27.007): its state is that of a
        // power-on, as `@assume power-on` declares it (the stack stopped,
        // 4.1.4; CMEE at 0 on every UART, 2.2).
        if !f.is_error()
            && p.text
                .trim()
                .to_ascii_uppercase()
                .strip_prefix("AT+CFUN=1")
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(','))
            && self.model.assume(self.d, "power-on", line).is_ok()
        {
            self.power_on = Some(line);
            for c in self.channels.values_mut().chain([&mut *ch]) {
                c.cmee_default = Some(line);
                c.cmee_off = None;
                c.cmee_on = None;
            }
        }
        if !f.is_error() {
            match cmee_setting(&p.text) {
                Some(Cmee::Off) => {
                    ch.cmee_off = Some(p.line);
                    ch.cmee_on = None;
                }
                Some(Cmee::On) => {
                    ch.cmee_off = None;
                    ch.cmee_default = None;
                    let explicit = p.text.trim().to_ascii_uppercase().starts_with("AT+CMEE");
                    ch.cmee_on = explicit.then_some(p.line);
                }
                None => {}
            }
        }
        // 5.2.7: "In case of TCP and UDP sockets, response OK is returned
        // when the +WIPCLOSE command is executed irrespective of whether the
        // socket is active or not" (an MMS session too: erratum E12). Only
        // a close the modem can refuse for another reason is let through:
        // values that break the spec, a stopped or unknown stack.
        if let (Request::Close((proto, _)), true) = (&p.req, f.is_error()) {
            let always_ok = matches!(*proto, state::UDP | state::TCP | state::SERVER | state::MMS);
            if always_ok
                && !p.foreign
                && p.breaks.is_none()
                && state::View::stack(&self.model) == Some(true)
            {
                self.report(
                    line,
                    format!(
                        "`{}` answered {}, but the close of a UDP or TCP socket (or an MMS session) \
                         is answered OK whether it is active or not (5.2.7, erratum E12)",
                        p.text,
                        text.trim()
                    ),
                );
            }
        }
        // An error code that states what the transcript shows false (844
        // with the stack stopped, 840 on a free index, ...).
        // Not while another channel has a command in flight (a stack stop
        // or a creation whose answer has not come, yet whose effect may
        // have), nor for the code that ends a data session (the
        // session's, not the command's).
        let others_busy = self.others_busy();
        // 844 and 852 state the stack's state whatever the line: checked
        // of a line that breaks the spec too.
        let stack_code = matches!(f, Final::CmeError(Some(844 | 852)));
        // A code whose text names a service ends a transfer of that
        // service only, the code that ends its data session included
        // (10.1: an SMTP upload does not end in a POP3 error).
        let service_code = matches!(f, Final::CmeError(Some(c)) if model::service_of(c).is_some());
        if let (Final::CmeError(Some(code)), false, true, true, false) = (
            &f,
            p.foreign,
            p.breaks.is_none() || stack_code,
            !p.in_session || service_code,
            others_busy,
        ) {
            // The request a data session ended was taken as answered at
            // its CONNECT: what it asked is read again from its line.
            let session_req;
            let req = if p.in_session {
                session_req = p
                    .parsed
                    .as_ref()
                    .map_or(Request::Free, |x| Request::of(self.d, x));
                &session_req
            } else {
                &p.req
            };
            if let Some(why) = self.model.code_contradicted(self.d, req, *code) {
                let meaning = self
                    .d
                    .error_text(*code)
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default();
                self.report(
                    line,
                    format!("`{}` answered {}{meaning}, but {why}", p.text, text.trim()),
                );
            }
        }
        if let (Final::CmeError(Some(code)), false) = (&f, p.foreign) {
            if self.d.error_text(*code).is_none() {
                self.report(
                    line,
                    format!(
                        "`{text}`: error code {code} is not defined by {}",
                        self.d.name
                    ),
                );
            }
        }
        // A spec without a `+CMS ERROR` table defines none of its codes
        // (conformance rule 1: a rejection with a code the spec does not
        // define), unless the command's form declares the line among its
        // final result codes.
        if let (Final::CmsError(_), false) = (&f, p.foreign) {
            let declared = p
                .parsed
                .as_ref()
                .and_then(|x| self.d.commands.get(x.command)?.forms.get(x.form))
                .is_some_and(|form| !form.finals.is_empty());
            if self.d.error_table_of_line("+CMS ERROR").is_none() && !declared {
                self.report(
                    line,
                    format!(
                        "`{}`: {} defines no +CMS ERROR code",
                        text.trim(),
                        self.d.name
                    ),
                );
            }
        }
        if !p.foreign {
            self.table_errors(line, text, &f, p.command);
        }
        if let (Final::CmeError(None), false) = (&f, p.foreign) {
            self.cme_text(line, text);
        }
        // A CONNECT the form's finals exclude is reported there, once.
        let refused = !p.foreign && !self.final_allowed(&p, line, text, f);
        let accepted = !f.is_error();
        if f.is_error() {
            if let Some(why) = self.model.refused(&p.req, line) {
                self.report(
                    line,
                    format!("`{}` answers `{}`, but {why}", text.trim(), p.text),
                );
            }
        }
        if accepted {
            self.prompt_skipped(&p, line, text);
        }
        // Data mode ends with OK, ERROR, +CME ERROR or NO CARRIER (the
        // transcript format's data mode), not with a call's result.
        if p.in_session && is_call_result(f) {
            self.report(
                line,
                format!(
                    "`{}` ends the data mode of `{}`, which ends with OK, ERROR, +CME ERROR: <n> or NO CARRIER",
                    text.trim(),
                    p.text
                ),
            );
        }
        // Values that break the spec are rejected with ERROR or an error
        // code (conformance rule 1), not with a call's result (`BUSY`,
        // `NO CARRIER`, `NO ANSWER`, `NO DIALTONE`).
        if let (Some(why), false) = (&p.breaks, accepted) {
            if f == Final::NoCarrier || is_call_result(f) {
                self.report(
                    line,
                    format!(
                        "`{}` rejects `{}` ({why}), but a modem rejects values that break the spec \
                         with ERROR or +CME ERROR: <n>",
                        text.trim(),
                        p.text
                    ),
                );
            }
        }
        if let (Some(why), true) = (p.breaks.take(), accepted) {
            self.report(
                p.line,
                format!("{why}, yet the modem answered {}", text.trim()),
            );
        }
        if accepted {
            let others_busy = self.others_busy();
            if let Some(why) = self.bearer_left_out(&p).filter(|_| !others_busy) {
                self.report(
                    line,
                    format!("`{}` answered {}, but {why}", p.text, text.trim()),
                );
            }
            if let Some(why) = self.read_that_fails(&p).filter(|_| !p.failing_read_told) {
                self.report(
                    line,
                    format!("`{}` answered {}, but {why}", p.text, text.trim()),
                );
            }
            self.expect_completion(ch, &p);
            // Judged again at the answer: another channel's command may
            // have changed the state meanwhile (a close crossing a
            // creation), so only a refusal that still holds is reported.
            if p.refusal.is_some() && state::check(&self.model, &p.req).is_ok() {
                p.refusal = None;
            }
            let refused = p.refusal.is_some();
            if let Some(r) = p.refusal.take() {
                let why = self.model.explain(self.d, &r.why);
                self.report(
                    line,
                    format!(
                        "`{}` answered {}, but {why} (the modem refuses it: +CME ERROR: {})",
                        p.text,
                        text.trim(),
                        r.code
                    ),
                );
                self.model.repair(&r.why, line);
            }
            if let Some(parsed) = &p.parsed {
                if let Some(why) = self
                    .model
                    .total_breach(self.d, parsed, &p.req)
                    .filter(|_| !refused)
                {
                    self.report(
                        line,
                        format!(
                            "`{}` answered {}, but {why} (the modem refuses it)",
                            p.text,
                            text.trim()
                        ),
                    );
                }
                if let Some(why) = p
                    .refused_when_sent
                    .clone()
                    .or_else(|| self.model.datarw_refused(self.d, parsed, &p.req))
                    .filter(|_| !refused)
                {
                    self.report(
                        line,
                        format!("`{}` answered {}, but {why}", p.text, text.trim()),
                    );
                }
                self.model.wrote(self.d, parsed, &p.req, line);
            } else {
                // A write that broke the spec, answered as if right: what
                // it declared is not known.
                self.model.forget_files(&p.req);
            }
            if !refused && p.breaks.is_none() {
                self.model.shown_started(&p.req, line);
            }
            // Judged as if the answer were right.
            let req = std::mem::replace(&mut p.req, Request::Free);
            let unreported = self
                .model
                .unreported_send(&req)
                .filter(|_| p.send_told.is_none());
            self.model
                .accepted(self.d, &req, line, channel, f == Final::Connect);
            if let Some(u) = unreported {
                self.model.keep_unreported(u, line);
            }
            if let Some(parsed) = &p.parsed {
                self.model.created(self.d, parsed, &req, line);
            }
        }
        if f == Final::Connect {
            // The data mode the form opens for these values, looked up once.
            let (judged, outcome) = match (&p.parsed, refused) {
                (Some(parsed), false) => (true, schema::outcome(self.d, parsed)),
                _ => (false, None),
            };
            let opens = outcome.is_some_and(|o| o.data != schema::DataMode::HexDump);
            if judged && !opens {
                self.report(
                    line,
                    format!(
                        "`{}` does not open data mode, yet the modem answered CONNECT",
                        p.text
                    ),
                );
            }
            ch.enter_data(line);
            // The first datagram a UDP socket reads in continuous mode is
            // the one its +WIPDATA announced.
            let announced = match (&p.parsed, outcome.and_then(|o| o.etx)) {
                (Some(parsed), Some(schema::EtxMeaning::EndOfDatagram)) => {
                    match state::Request::of(self.d, parsed) {
                        state::Request::Data { key, .. } => self.model.take_announced_size(key),
                        _ => None,
                    }
                }
                _ => None,
            };
            ch.stream = outcome
                .filter(|o| o.data == schema::DataMode::Continuous)
                .map(|o| Stream {
                    etx: o.etx,
                    dle: None,
                    ended: None,
                    modem_etx: None,
                    host_dle: false,
                    host_ended: false,
                    modem_sent: false,
                    datagram: 0,
                    upload: o.upload,
                    announced,
                });
            // The data session ends with a final result code of its own.
            p.in_session = true;
            ch.pending = Some(p);
        }
    }

    /// A final result code the command's form may not end with (its
    /// `finals` list it not), or a declared one whose fields do not fit.
    /// False when the form may not end with it (reported here). The final
    /// result code that ends a data session is not the command's own: the
    /// form's `finals` judged its `CONNECT`.
    fn final_allowed(&mut self, p: &Pending, line: usize, text: &str, f: Final) -> bool {
        if let Final::Custom { index, .. } = f {
            if let Err(e) = schema::bind_final(self.d, usize::from(index), text) {
                self.report(line, format!("`{}`: {e}", text.trim()));
            }
        }
        let Some(parsed) = &p.parsed else {
            return true;
        };
        let Some((c, form)) = self
            .d
            .commands
            .get(parsed.command)
            .and_then(|c| Some((c, c.forms.get(parsed.form)?)))
        else {
            return true;
        };
        if p.in_session {
            return true;
        }
        if !form.may_end_with(&f) {
            let may: Vec<String> = form.finals.iter().map(|r| r.name(self.d)).collect();
            self.report(
                line,
                format!(
                    "AT{} ends with {}, which it may not (it ends with {})",
                    c.name,
                    text.trim(),
                    may.join(", ")
                ),
            );
            return false;
        }
        // A form whose outcome here is a data mode answers CONNECT (or an
        // error): its OK comes only after the data mode it opens (6.1.4,
        // 6.2.6).
        let opens = schema::outcome(self.d, parsed).filter(|o| o.data != schema::DataMode::HexDump);
        if let (Final::Ok, Some(o)) = (f, opens) {
            let mode = match o.data {
                schema::DataMode::Transparent => "continuous transparent mode",
                _ => "continuous mode",
            };
            self.report(
                line,
                format!(
                    "`{}` opens {mode}: the modem answers CONNECT or an error, and OK only when the data mode ends",
                    p.text
                ),
            );
            return false;
        }
        true
    }

    fn message(&mut self, ch: &mut Channel, line: usize, text: &str) {
        // A command whose line broke the spec is reported at its line once;
        // what answers it is judged as if it had been right: any response
        // of any of its forms.
        let in_flight = match ch.pending.as_ref() {
            Some(Pending {
                parsed: Some(p), ..
            }) => schema::InFlight::Form(p.command, p.form),
            Some(Pending {
                command: Some(c), ..
            }) => schema::InFlight::Command(*c),
            _ => schema::InFlight::None,
        };
        match schema::parse_message_in(self.d, &self.index, text, in_flight) {
            Ok(m) => {
                let parts = schema::classify::parts(text.as_bytes());
                if m.solicited && self.index.prefixed_bare(in_flight, &parts) == Some(m.message) {
                    self.note(
                        line,
                        format!("`{text}` carries the command's prefix; the manual prints this response without it, real modems send it (erratum E41, tolerance)"),
                    );
                }
                self.completion_urc(ch, line, text, &m);
                self.option_read_once(ch, line, text, &m);
                if m.solicited
                    && self
                        .d
                        .messages
                        .get(m.message)
                        .is_some_and(|x| x.id == "WipBrState")
                {
                    if let (Some(p), Some(bid)) = (
                        ch.pending.as_mut(),
                        state::field_int(m.values.params.first()),
                    ) {
                        // 4.2.2: one line per open bearer.
                        if p.bearers_listed.contains(&bid) {
                            self.report(
                                line,
                                format!(
                                    "`{text}`: bearer {} is listed twice in the answer to `{}` (4.2.2: one line per open bearer)",
                                    state::bearer_name(self.d, bid),
                                    p.text
                                ),
                            );
                        } else {
                            p.bearers_listed.push(bid);
                        }
                    }
                }
                self.test_answer_ranges(ch, line, text, &m);
                let req = ch.pending.as_ref().map(|p| &p.req);
                // Which send this channel's command was answered with: kept
                // per channel, as two channels may send at once.
                self.model
                    .set_answered_send(ch.pending.as_ref().and_then(|p| p.send_told));
                // A URC may answer another channel's command still in flight
                // (a +WIPREADY before that creation's OK, a bearer started
                // there): the state it names is not judged meanwhile.
                let others_busy = self.others_busy();
                let why = self
                    .model
                    .message(self.d, &m, line, req, ch.held_from)
                    .filter(|_| !others_busy);
                if let Some(p) = ch.pending.as_mut() {
                    p.send_told = self.model.answered_send();
                }
                if let Some(why) = why {
                    self.report(line, format!("`{text}`: {why}"));
                }
                let read = ch
                    .pending
                    .as_ref()
                    .and_then(|p| Some((&p.req, p.parsed.as_ref()?)));
                // Not while another channel's write may be landing.
                let others_busy = self.others_busy();
                if let Some(why) = self
                    .model
                    .read_back(self.d, &m, read)
                    .filter(|_| !others_busy)
                {
                    self.report(line, format!("`{text}`: {why}"));
                }
                let parsed = ch.pending.as_ref().and_then(|p| p.parsed.as_ref());
                if let (true, Some(cmd)) = (m.solicited, parsed) {
                    if let Err(e) = schema::check_echo(self.d, cmd, &m) {
                        self.report(line, e.to_string());
                    }
                }
                self.expect_payload(ch, line, text, m.message);
            }
            Err(e) => {
                // A foreign command's responses pass unchecked (rule 4).
                if ch.pending.as_ref().is_some_and(|p| p.foreign)
                    && e.kind == ErrorKind::UnknownMessage
                {
                    return;
                }
                self.report(line, e.to_string());
            }
        }
    }

    /// A response carrying an option (`+WIPBR: 6,12,…`, `+WIPOPT: 2,8,…`,
    /// a line of `AT+WIPCFG?`): one line per option in an answer (4.1.2,
    /// 4.2.2, 5.3.2), unless the option's reading answers several lines
    /// (`read_repeats`: the POP3 mail listing, 5.3.7.5).
    fn option_read_once(
        &mut self,
        ch: &mut Channel,
        line: usize,
        text: &str,
        m: &schema::ParsedMessage,
    ) {
        let (Some(o), true) = (&m.values.option, m.solicited) else {
            return;
        };
        let Some(p) = ch.pending.as_mut() else {
            return;
        };
        let Some(opt) = self
            .d
            .tables
            .get(o.table)
            .and_then(|t| t.options.get(o.option))
        else {
            return;
        };
        if let Some(code) = opt.read_error {
            let msg = format!(
                "`{text}`: option {} ({}) is not implemented: a read answers +CME ERROR: {code}, no value",
                opt.id, opt.name
            );
            p.failing_read_told = true;
            self.report(line, msg);
            return;
        }
        if opt.read_repeats {
            return;
        }
        let key = (m.message, o.table, o.option);
        match p.options_read.iter().find(|(k, _)| *k == key) {
            Some(&(_, first)) => {
                let msg = format!(
                    "`{text}`: option {} ({}) was already answered at line {first}; the answer gives one line per option",
                    opt.id, opt.name
                );
                self.report(line, msg);
            }
            None => p.options_read.push((key, line)),
        }
    }

    /// The answer to `AT+WIPBR?` lists every open bearer with its state
    /// (4.2.2, 4.2.6): one the transcript knows open that it leaves out.
    fn bearer_left_out(&self, p: &Pending) -> Option<String> {
        let parsed = p.parsed.as_ref()?;
        let cmd = self.d.commands.get(parsed.command)?;
        let form = cmd.forms.get(parsed.form)?;
        if cmd.name.as_ref() != "+WIPBR" || form.kind != schema::FormKind::Read {
            return None;
        }
        let (bid, how, at) = self
            .model
            .open_bearers()
            .into_iter()
            .find(|(bid, _, _)| !p.bearers_listed.contains(bid))?;
        Some(format!(
            "bearer {} was {how} at line {at} and is open: AT+WIPBR? lists every open bearer (4.2.2, 4.2.6)",
            state::bearer_name(self.d, bid)
        ))
    }

    /// Why a read the spec says always fails (`read_error`: an option the
    /// table lists but the modem does not implement) cannot be answered
    /// with success.
    fn read_that_fails(&self, p: &Pending) -> Option<String> {
        let parsed = p.parsed.as_ref()?;
        let form = self
            .d
            .commands
            .get(parsed.command)?
            .forms
            .get(parsed.form)?;
        if form.options.as_ref()?.access != schema::Access::R {
            return None;
        }
        let o = parsed.values.option.as_ref()?;
        let opt = self.d.tables.get(o.table)?.options.get(o.option)?;
        let code = opt.read_error?;
        Some(format!(
            "option {} ({}) is not implemented: a read answers +CME ERROR: {code}",
            opt.id, opt.name
        ))
    }

    /// Whether a modem line is a URC of the spec.
    fn is_urc(&self, text: &str) -> bool {
        schema::parse_message_in(self.d, &self.index, text, schema::InFlight::None)
            .is_ok_and(|m| !m.solicited)
    }

    /// The notes so far: places where the transcript follows real modems
    /// rather than the manual's letter (`wip verify --strict` shows them).
    pub fn notes(&self) -> &[Violation] {
        &self.notes
    }

    /// Takes the violations found so far, for a caller that reports them
    /// as the transcript grows (`wip tap --check`).
    pub fn take_violations(&mut self) -> Vec<Violation> {
        std::mem::take(&mut self.out)
    }

    /// Ends the transcript: commands still waiting are reported.
    pub fn finish(self) -> Vec<Violation> {
        self.finish_with_notes().0
    }

    /// [`Verifier::finish`], with the notes (sorted): among them the
    /// commands whose completion URC had not come when the transcript
    /// ended.
    pub fn finish_with_notes(mut self) -> (Vec<Violation>, Vec<Violation>) {
        let channels = std::mem::take(&mut self.channels);
        for (_, mut ch) in channels {
            for a in &ch.awaiting {
                // A transcript may stop before the URC: a note, not a
                // violation.
                self.note(
                    a.line,
                    format!(
                        "`{}` was answered, but its completion ({}) never came; the transcript may stop early",
                        a.text, a.what
                    ),
                );
            }
            self.close_phase(&mut ch);
            self.payload_missing(&mut ch);
            if let Some(since) = ch.data_since {
                self.report(
                    since,
                    "data mode opened here is never closed by a final result code".into(),
                );
            } else if let Some(p) = ch.pending {
                self.report(p.line, format!("`{}` gets no final result code", p.text));
            }
        }
        self.out.sort();
        self.notes.sort();
        (self.out, self.notes)
    }
}

/// Verifies a transcript read from `r`; reader errors are violations too.
pub fn verify<R: std::io::BufRead>(d: &Dialect, r: R) -> std::io::Result<Vec<Violation>> {
    verify_with_notes(d, r).map(|(violations, _)| violations)
}

/// [`verify`], with the notes: where the transcript follows real modems
/// rather than the manual's letter (sorted by line).
pub fn verify_with_notes<R: std::io::BufRead>(
    d: &Dialect,
    r: R,
) -> std::io::Result<(Vec<Violation>, Vec<Violation>)> {
    let mut v = Verifier::new(d);
    let mut errors = Vec::new();
    for item in crate::Reader::new(r) {
        match item {
            Ok(ev) => v.event(&ev),
            Err(e) => match e.kind {
                crate::ParseErrorKind::Io(io) => return Err(io),
                kind => errors.push(Violation {
                    line: e.line,
                    message: format!("malformed line: {kind}"),
                }),
            },
        }
    }
    let (mut out, notes) = v.finish_with_notes();
    out.extend(errors);
    out.sort();
    Ok((out, notes))
}

/// What an accepted command line does to the wording of errors (2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmee {
    /// `AT+CMEE=0`: every error is `ERROR`.
    Off,
    /// `AT+CMEE=1` or `2`, or a reset (`ATZ`, `AT&F`): codes may come.
    On,
}

/// [`Cmee`] of a command line, `None` for a line that does not set it.
fn cmee_setting(line: &str) -> Option<Cmee> {
    let upper = line.trim().to_ascii_uppercase();
    match upper.as_str() {
        "AT+CMEE=0" | "AT+CMEE=" => Some(Cmee::Off),
        "AT+CMEE=1" | "AT+CMEE=2" | "ATZ" | "AT&F" => Some(Cmee::On),
        _ => None,
    }
}

/// A message as one printable line: the control characters a file's own
/// text may bring into it (a CR, an ESC) written as `\r`, `\x1b`, so that
/// each violation is one `FILE:LINE: message` line and nothing of the file
/// reaches a terminal as a control sequence.
fn printable(message: String) -> String {
    if !message.chars().any(char::is_control) {
        return message;
    }
    let mut out = String::with_capacity(message.len() + 8);
    for c in message.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}
