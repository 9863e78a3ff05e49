//! Framing and demultiplexing of the bytes a modem sends (manual 2.2, 6.1,
//! 6.2).
//!
//! Bytes arrive in chunks of any size; [`Framer::feed`] calls a sink with
//! [`Event`]s. In command mode the stream is cut into lines at each line
//! feed, CRs and blanks at both ends dropped and empty lines skipped, so
//! the `\r\n` framing of responses and the `\r` of an echoed command line
//! both work. Each line is a final result code, an echo, an information
//! response of the command in flight, a URC, or unknown; see
//! [`classify`](self) for the rule that tells responses from URCs.
//!
//! `CONNECT` switches to data mode; see [`DataSession`] and the module
//! `data` for how it ends. Every path is bounded: a line longer than
//! [`FramerConfig::max_line`] gives one [`FrameError::LineTooLong`] and is
//! dropped up to the next line feed.
//!
//! Responses are recognized as such only when the framer knows the
//! command in flight: call [`Framer::sent`] with each command line as it is
//! written to the modem, or [`Framer::sent_form`] with a typed request's
//! command, form and line.
//!
//! [`Framer::feed_typed`] gives the same events with each URC and response
//! decoded into a spec's generated types, most lines in one pass (see
//! [`Typed`]); [`Framer::feed_typed_in`] decodes each over the last value
//! of its message in the caller's [`Slots`] and lends it ([`OnTypedRef`]),
//! so that decoding allocates nothing once the values' strings have grown.
//!
//! A host that keeps its own read buffer (a `BytesMut`, a ring a UART's
//! DMA fills) feeds it with [`Framer::feed_buffered`] or
//! [`Framer::feed_typed_buffered`]: a line the buffer ends inside of is
//! left there, to be given again with the bytes that follow it, instead of
//! copied into the framer; the events are the same.

mod counted;
mod data;
mod event;
mod fused;
mod payload;
mod prompt;
mod sent;
mod stream;
mod text;

pub use data::{
    escaped_line, DataSession, EscapedLine, Escaping, EtxMeaning, MAX_ESCAPED_URC, MAX_INDICATION,
};
pub use event::{coalesce, Event, FrameError, Line, OwnedEvent, OwnedLine};
pub use fused::{OnTyped, OnTypedRef, Slots, Typed};
pub use sent::SESSION_CACHE;

use crate::escape::Unescaper;
use alloc::vec::Vec;
use fused::{Events, Sink};
use wip_schema::classify::{self, Class, InFlight, Index, Memo};
use wip_schema::{Dialect, Final};

/// Limits of the framer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FramerConfig {
    /// The longest line kept, in bytes, before its line feed. A
    /// `+WIPDATARW` line with a 200-byte dump is about 430 bytes (6.3.3).
    pub max_line: usize,
}

impl Default for FramerConfig {
    fn default() -> Self {
        FramerConfig { max_line: 4096 }
    }
}

/// The command in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pending {
    /// Its command and form in the dialect, as far as the dialect knows
    /// them.
    in_flight: InFlight,
    /// No line has come for it yet, so an `AT…` line is its echo.
    fresh: bool,
}

/// The state of the line in data mode.
#[derive(Debug, Clone, Default)]
struct DataState {
    session: DataSession,
    unescaper: Unescaper,
    /// The payload the unescaper gave, reused from feed to feed.
    unescaped: Vec<u8>,
    /// The last thing seen was a lone ETX: a final result code may follow.
    after_etx: bool,
    /// The host sent `+++`, or an ETX that ends the transfer: the modem's
    /// final result code is coming.
    escaped: bool,
    /// The host sent `+++` itself: a URC that became due meanwhile may come
    /// before the final result code (erratum E42).
    plus_escaped: bool,
    /// The modem told `\r\nSHUTDOWN\r\n`: the peer shut its side of the TCP
    /// connection and sends no more data (6.2.11.1), so a final result code
    /// that follows is the modem's (leaving data mode by itself, with
    /// `AT_WIP_NET_OPT_AUTO_SWITCH` at 1, 4.1.3), not data.
    shut: bool,
}

/// The streaming framer; see the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Framer<'d> {
    dialect: &'d Dialect,
    index: Index,
    /// The classes of lines already classified.
    memo: Memo,
    /// The dialect declares final result codes of its own.
    own_finals: bool,
    /// Some message of the dialect declares raw data after its line.
    payloads: bool,
    /// Per command: what [`Framer::sent`] must look up for it.
    traits: Vec<sent::Traits>,
    /// Per command: how [`Framer::sent`] finds the form of a line.
    selectors: Vec<Option<sent::Selector>>,
    /// The commands by name, for [`Framer::sent`].
    names: sent::Names,
    /// The data sessions of the last command lines that can open one.
    sessions: sent::Sessions,
    cfg: FramerConfig,
    pending: Option<Pending>,
    /// What [`Framer::line`] classifies against: the `in_flight` of
    /// `pending`, [`InFlight::None`] without one (a copy kept beside it by
    /// [`Framer::set_pending`], read without unpacking the option).
    in_flight: InFlight,
    next_session: Option<DataSession>,
    /// `Some` while in data mode.
    data: Option<DataState>,
    /// A partial line (command mode) or a held indication (data mode).
    buf: Vec<u8>,
    /// Dropping an overlong line up to the next line feed.
    discarding: bool,
    /// The length of the line in progress [`Framer::feed_buffered`] left
    /// to the caller, 0 when none: the next chunk starts with it.
    left: usize,
    /// The prompt the command in flight is answered with, while it is
    /// awaited.
    prompt: Option<prompt::Watch>,
    /// Taking raw data after a message's line.
    raw: Option<payload::Raw>,
    /// The prefixes of messages with a counted field (`+USORD`).
    sites: Vec<counted::Site>,
    /// Reading a counted field.
    taking: Option<counted::Taking>,
    /// The candidates of the prefixes [`Framer::feed_typed`] looked up.
    plans: fused::Plans,
}

impl<'d> Framer<'d> {
    /// A framer for `dialect` with the default limits.
    pub fn new(dialect: &'d Dialect) -> Self {
        Self::with_config(dialect, FramerConfig::default())
    }

    /// A framer for `dialect` with the given limits.
    pub fn with_config(dialect: &'d Dialect, cfg: FramerConfig) -> Self {
        let traits = sent::traits(dialect);
        let index = Index::new(dialect);
        let payloads = dialect.messages.iter().any(|m| m.payload.is_some());
        Framer {
            dialect,
            names: sent::Names::new(dialect, &traits),
            traits,
            selectors: sent::selectors(dialect),
            sessions: sent::Sessions::default(),
            plans: fused::Plans::default(),
            index,
            memo: Memo::default(),
            own_finals: !dialect.finals.is_empty(),
            payloads,
            cfg: FramerConfig {
                max_line: cfg.max_line.max(1),
            },
            pending: None,
            in_flight: InFlight::None,
            next_session: None,
            data: None,
            buf: Vec::new(),
            discarding: false,
            left: 0,
            prompt: None,
            raw: None,
            sites: counted::sites(dialect),
            taking: None,
        }
    }

    /// The dialect this framer classifies lines with.
    pub fn dialect(&self) -> &'d Dialect {
        self.dialect
    }

    /// Tells the framer which data session the next `CONNECT` opens, when
    /// [`Framer::sent`] cannot know it.
    pub fn expect_data(&mut self, session: DataSession) {
        self.next_session = Some(session);
    }

    /// Whether the last command sent can open a data session: a `CONNECT`
    /// would open it (see [`Framer::expect_data`]). Stays so after
    /// [`Framer::clear_pending`], as the modem may still answer `CONNECT`
    /// to a command the host stopped waiting for.
    pub fn expects_data(&self) -> bool {
        self.next_session.is_some()
    }

    /// Tells the framer that the host sent the `+++` escape sequence: the
    /// modem's final result code ends data mode (6.2.4), and a URC of the
    /// spec that comes before it, CR LF framed, is taken as that URC, not
    /// as payload (erratum E42: a URC that became due while `+++` waited for
    /// its guard time, a peer's close).
    pub fn escape_sent(&mut self) {
        if let Some(d) = self.data.as_mut() {
            d.escaped = true;
            d.plus_escaped = true;
        }
    }

    /// Tells the framer that the host sent a lone ETX in data mode: where
    /// the session's ETX ends the transfer ([`EtxMeaning::EndOfData`], a
    /// `+WIPFILE` upload, 6.1.2), the modem goes back to command mode by
    /// itself and its final result code ends data mode; in other sessions
    /// (a datagram's end, a shutdown) nothing changes. Call it before the
    /// ETX leaves, so that the answer cannot be framed first.
    pub fn etx_sent(&mut self) {
        if let Some(d) = self.data.as_mut() {
            if d.session.etx == Some(EtxMeaning::EndOfData) {
                d.escaped = true;
            }
        }
    }

    /// Whether the line is in data mode.
    pub fn in_data_mode(&self) -> bool {
        self.data.is_some()
    }

    /// Whether data mode is ending without a `+++` still to send: the host
    /// sent `+++` ([`Framer::escape_sent`]) or an ETX that ends the
    /// transfer ([`Framer::etx_sent`]), or the last thing from the modem
    /// was an ETX that ends it ([`EtxMeaning::EndOfData`]). The modem's
    /// final result code is then on its way. `false` in command mode.
    pub fn data_ending(&self) -> bool {
        self.data.as_ref().is_some_and(|d| {
            d.escaped || (d.after_etx && d.session.etx == Some(EtxMeaning::EndOfData))
        })
    }

    /// The session of the current data mode, if any.
    pub fn data_session(&self) -> Option<DataSession> {
        self.data.as_ref().map(|d| d.session)
    }

    /// Whether a command is waiting for its final result code.
    pub fn command_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Forgets the command in flight (after a timeout).
    pub fn clear_pending(&mut self) {
        self.set_pending(None);
        self.prompt = None;
        self.raw = None;
        self.taking = None;
    }

    /// Whether bytes are held: a partial line, or in data mode bytes that
    /// may begin an indication.
    pub fn holds_bytes(&self) -> bool {
        !self.buf.is_empty()
    }

    /// In data mode, gives the held bytes as data. A client calls this when
    /// the line has been idle for a while, since a modem sends its
    /// indications whole: what was held cannot be one.
    pub fn release_held(&mut self, mut sink: impl FnMut(Event<'_>)) {
        if self.data.is_some() && !self.buf.is_empty() {
            let held = core::mem::take(&mut self.buf);
            if let Some(d) = self.data.as_mut() {
                d.after_etx = false;
            }
            sink(Event::Data(&held));
            self.buf = held;
            self.buf.clear();
        }
    }

    /// Switches back to command mode without waiting for the modem (the
    /// host dropped DTR, or gave up). Held data is given to `sink`.
    pub fn leave_data_mode(&mut self, sink: impl FnMut(Event<'_>)) {
        self.release_held(sink);
        self.data = None;
        self.buf.clear();
    }

    /// Feeds one chunk of bytes from the modem; `sink` receives the events
    /// it completes, in order.
    pub fn feed(&mut self, chunk: &[u8], sink: impl FnMut(Event<'_>)) {
        self.feed_sink(chunk, &mut Events(sink));
    }

    /// [`Framer::feed`] for a caller that keeps its read buffer (a
    /// `BytesMut`, a ring a UART's DMA fills): a line the buffer ends
    /// inside of is left there instead of copied into the framer, and the
    /// bytes used are returned. The caller drops those and gives the rest
    /// again, followed by the bytes read since, to the next call:
    ///
    /// ```
    /// use wip_runtime::{Event, Framer};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let dialect = wip_spec::default_spec()?.dialect;
    /// let mut framer = Framer::new(&dialect);
    /// let mut buf: Vec<u8> = Vec::new();
    /// let mut lines = Vec::new();
    /// for read in [&b"\r\n+WIPREA"[..], b"DY: 1,1\r\n\r\nOK\r\n"] {
    ///     buf.extend_from_slice(read);
    ///     let used = framer.feed_buffered(&buf, |e| {
    ///         if let Event::Urc { line, .. } = e {
    ///             lines.push(line.text.to_string());
    ///         }
    ///     });
    ///     buf.drain(..used);
    /// }
    /// assert_eq!(lines, ["+WIPREADY: 1,1"]);
    /// assert!(buf.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// The events are those [`Framer::feed`] gives for the same stream,
    /// however it is cut. Only a line that waits in plain command mode is
    /// left; one longer than [`FramerConfig::max_line`] is not (it is
    /// dropped as [`Framer::feed`] drops it), and data, payloads and
    /// prompts are always used whole. A caller that gives other bytes than
    /// those left breaks the stream as it would by losing them.
    pub fn feed_buffered(&mut self, buf: &[u8], sink: impl FnMut(Event<'_>)) -> usize {
        self.feed_sink_keep::<_, true>(buf, &mut Events(sink))
    }

    /// Feeds a chunk and returns the events as owned values.
    pub fn feed_owned(&mut self, chunk: &[u8]) -> Vec<OwnedEvent> {
        let mut out = Vec::new();
        self.feed(chunk, |e| out.push(e.to_owned_event()));
        out
    }

    fn feed_sink<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) {
        self.feed_sink_keep::<S, false>(chunk, sink);
    }

    /// [`Framer::feed_sink`]; where `KEEP`, a line the chunk ends inside
    /// of, met on the path of whole lines, is not held but left to the
    /// caller: returns the bytes used (the chunk's length, or where that
    /// line starts).
    #[inline(always)]
    fn feed_sink_keep<S: Sink, const KEEP: bool>(&mut self, chunk: &[u8], sink: &mut S) -> usize {
        let mut done = 0;
        if self.left != 0 {
            match self.resume::<S, KEEP>(chunk, sink) {
                Ok(used) => done = used,
                Err(kept) => return kept,
            }
        }
        while let Some(rest) = chunk.get(done..).filter(|r| !r.is_empty()) {
            let used = if self.data.is_some() {
                self.feed_data(rest, &mut |e| sink.event(e))
            } else {
                match self.feed_command::<S, KEEP>(rest, sink) {
                    Ok(used) => used,
                    Err(kept) => return done + kept,
                }
            };
            done += used;
        }
        chunk.len()
    }

    /// The chunk starts with the line in progress a buffered feed left
    /// ([`Framer::left`]); returns the bytes used, or `Err` of where a
    /// line left again starts, as [`Framer::feed_lines`].
    ///
    /// While the framer is as it was, the line is framed where it is: a
    /// short one is searched again with the lines after it (the line loop
    /// does it for less than a call of its own costs), a long one past
    /// what was searched already ([`Framer::resume_past`]). Where a
    /// command sent since armed something a line is looked at for from
    /// its start (a prompt), the line is held as it would have been had
    /// it been fed, so that it is not taken for one.
    #[cold]
    #[inline(never)]
    fn resume<S: Sink, const KEEP: bool>(
        &mut self,
        chunk: &[u8],
        sink: &mut S,
    ) -> Result<usize, usize> {
        let n = core::mem::take(&mut self.left);
        if !self.plain() || self.data.is_some() {
            let started = chunk.get(..n).unwrap_or(chunk);
            self.stash(started, sink);
            return Ok(started.len());
        }
        if n < RESUME_PAST {
            return Ok(0);
        }
        self.resume_past::<S, KEEP>(chunk, n, sink)
    }

    /// [`Framer::resume`] of a long line: its end is searched for past the
    /// `n` bytes searched already (the caller gives again what was left),
    /// so that a line that comes a few bytes at a time is searched once,
    /// not once a read. A chunk shorter than what was left is not what was
    /// left: it is framed from its start.
    #[cold]
    #[inline(never)]
    fn resume_past<S: Sink, const KEEP: bool>(
        &mut self,
        chunk: &[u8],
        n: usize,
        sink: &mut S,
    ) -> Result<usize, usize> {
        let Some(past) = chunk.get(n..) else {
            return Ok(0);
        };
        let max = self.cfg.max_line;
        match classify::find_byte(b'\n', past) {
            Some(k) => {
                self.whole_line(chunk.get(..n + k).unwrap_or_default(), sink);
                Ok(n + k + 1)
            }
            None if KEEP && chunk.len() <= max => {
                self.left = chunk.len();
                Err(0)
            }
            None => {
                self.stash(chunk, sink);
                Ok(chunk.len())
            }
        }
    }

    /// Whether nothing but whole lines can come next: no partial line
    /// held, no payload, counted field or prompt awaited. Lines are then
    /// framed by [`Framer::feed_lines`] without the per-line checks of the
    /// general path.
    fn plain(&self) -> bool {
        self.buf.is_empty() && self.lines_only()
    }

    /// Whether nothing but lines can come next, the first of them perhaps
    /// the end of one held ([`Framer::plain`] but for the held line): no
    /// payload, counted field or prompt awaited, no overlong line being
    /// dropped. [`Framer::feed_lines`] then frames them, the held one
    /// joined first.
    fn lines_only(&self) -> bool {
        !self.discarding
            && self.raw.is_none()
            && self.taking.is_none()
            && self.prompt.is_none()
            && self.sites.is_empty()
    }

    /// Command mode: consumes lines until the chunk ends or data mode
    /// starts; returns the bytes used, or (where `KEEP`) `Err` of where
    /// the line left to the caller starts.
    ///
    /// Inlined into the feed that calls it: each sink type has an instance
    /// of its own anyway, nearly always called from one place, so little
    /// code is copied, and a read costs no call into it. Measured on
    /// 2026-12-07 in the `vs_atat` bench (rotated runs, medians): +2.1 % at
    /// 256-byte reads (ten rounds), +2–3 % at 16 and 64 bytes and whole
    /// answers (four).
    #[inline(always)]
    fn feed_command<S: Sink, const KEEP: bool>(
        &mut self,
        input: &[u8],
        sink: &mut S,
    ) -> Result<usize, usize> {
        let mut pos = 0;
        while pos < input.len() {
            pos = if self.lines_only() {
                if KEEP {
                    self.feed_lines_kept::<S>(input, pos, sink)?
                } else {
                    self.feed_lines::<S, KEEP>(input, pos, sink)?
                }
            } else {
                self.feed_step(input, pos, sink)
            };
            if self.data.is_some() {
                return Ok(pos);
            }
        }
        Ok(pos)
    }

    /// Frames whole lines from `input[pos..]` while [`Framer::lines_only`]
    /// holds, the line held from the last read ([`Framer::stash`]) joined
    /// with its end first; returns where it stopped. Where `KEEP`, a line
    /// the input ends inside of (within the limit) is left: `Err` of where
    /// it starts, after the CR LF that opens it, its length in
    /// [`Framer::left`].
    ///
    /// The joined line goes through the one copy of the line code that
    /// every line goes through (the loop's one call of
    /// [`Framer::whole_line`]), not a copy of its own: a line joined from
    /// two reads is framed and decoded by the same instructions, and the
    /// same branch history, as the lines around it.
    ///
    /// Inlined, as [`Framer::feed_command`] is: the loop then lies in the
    /// feed itself, with no call a read. Measured on 2026-12-07 in the
    /// `vs_atat` bench (rotated runs, medians): `vs_atat/wip` +3.6 % at
    /// 256-byte reads and whole answers (six rounds), +8 % at 16 bytes
    /// and +5 % at 64 (four); the framer alone within the spread.
    #[inline(always)]
    fn feed_lines<S: Sink, const KEEP: bool>(
        &mut self,
        input: &[u8],
        mut pos: usize,
        sink: &mut S,
    ) -> Result<usize, usize> {
        let max = self.cfg.max_line;
        // `OK` framed `\r\n…\r\n`, the most frequent line, is told by one
        // compare where the dialect has no final result codes of its own
        // and the line fits (`OK\r` is three bytes).
        let fast_ok = !self.own_finals && max >= 3;
        let mut join = !self.buf.is_empty();
        while let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) {
            // The held line, taken out of the framer while it is framed,
            // and its buffer put back after.
            let mut held: Option<Vec<u8>> = None;
            let seg = if join {
                join = false;
                let Some(off) = classify::find_byte(b'\n', rest) else {
                    self.stash(rest, sink);
                    return Ok(input.len());
                };
                let end = rest.get(..off).unwrap_or_default();
                pos += off + 1;
                if !self.join_held(end, sink) {
                    continue;
                }
                held.insert(core::mem::take(&mut self.buf)).as_slice()
            } else {
                if fast_ok && rest.first_chunk::<6>() == Some(b"\r\nOK\r\n") {
                    pos += 6;
                    self.final_code(Final::Ok, b"OK", &mut |e| sink.event(e));
                    continue;
                }
                // Most lines are framed `\r\n…\r\n`: step over the empty
                // line that opens each of them without a search, and search
                // on from there (another empty line is cut as one, and
                // skipped as one).
                let (rest, at) = match rest.strip_prefix(b"\r\n") {
                    Some(r) => (r, pos + 2),
                    None => (rest, pos),
                };
                let Some(off) = classify::find_byte_inline(b'\n', rest) else {
                    if KEEP && rest.len() <= max {
                        self.left = rest.len();
                        return Err(at);
                    }
                    self.stash(rest, sink);
                    return Ok(input.len());
                };
                pos = at + off + 1;
                rest.get(..off).unwrap_or_default()
            };
            self.whole_line(seg, sink);
            if let Some(held) = held {
                self.put_back(held);
            }
            // A line can only arm a payload or open data mode: the rest
            // of `lines_only` holds still.
            if self.raw.is_some() || self.data.is_some() {
                break;
            }
        }
        Ok(pos)
    }

    /// [`Framer::feed_lines`] out of line, for the feeds that leave a line
    /// the read ends inside of to the caller (`KEEP`): inlined there it was
    /// slower (`vs_atat/buffered` 940.9 -> 885.1 MiB/s at 256-byte reads,
    /// six rotated rounds on 2026-12-07), where the framer's own reads
    /// gained.
    #[inline(never)]
    fn feed_lines_kept<S: Sink>(
        &mut self,
        input: &[u8],
        pos: usize,
        sink: &mut S,
    ) -> Result<usize, usize> {
        self.feed_lines::<S, true>(input, pos, sink)
    }

    /// One step of the general path (a partial line held, or a payload,
    /// counted field or prompt awaited); returns where it stopped.
    ///
    /// Out of line, as [`Framer::stash`]: the loop of whole lines it
    /// leaves inlined in [`Framer::feed_command`] is then smaller, keeps
    /// fewer values on the stack, and fits the instruction cache beside a
    /// client's own code.
    #[inline(never)]
    fn feed_step<S: Sink>(&mut self, input: &[u8], pos: usize, sink: &mut S) -> usize {
        let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) else {
            return input.len();
        };
        if self.raw.is_some() {
            return pos + self.feed_raw(rest, &mut |e| sink.event(e));
        }
        if self.taking.is_some() {
            return pos + self.feed_counted(rest, &mut |e| sink.event(e));
        }
        if rest.starts_with(b"\r\n") && self.buf.is_empty() && !self.discarding {
            return pos + 2;
        }
        // A prompt has no line end: it is matched where a line starts.
        match self.match_prompt(rest, &mut |e| sink.event(e)) {
            prompt::Match::Done(used) => return pos + used,
            prompt::Match::Partial => return input.len(),
            prompt::Match::No => {}
        }
        if let Some(used) = self.match_counted(rest, &mut |e| sink.event(e)) {
            return pos + used;
        }
        let Some(off) = classify::find_byte(b'\n', rest) else {
            self.stash(rest, sink);
            return input.len();
        };
        let seg = rest.get(..off).unwrap_or_default();
        let next = pos + off + 1;
        if self.discarding {
            self.discarding = false;
            return next;
        }
        if self.buf.is_empty() {
            self.whole_line(seg, sink);
        } else if self.join_held(seg, sink) {
            let line = core::mem::take(&mut self.buf);
            self.line(&line, sink);
            self.put_back(line);
        }
        next
    }

    /// Joins the held line ([`Framer::stash`]) with its end, `end` (its
    /// line feed removed): whether the buffer now holds the whole line,
    /// which the caller takes out of the framer while it is framed and
    /// gives back with [`Framer::put_back`]. A line past the limit is
    /// reported as [`Framer::whole_line`] reports it, without its end
    /// copied, and the buffer emptied: it stays within
    /// [`FramerConfig::max_line`] (a microcontroller host sizes it so).
    ///
    /// It answers `bool` rather than handing the buffer out: moved through
    /// an `Option<Vec<u8>>` on every join, the line loop took 0.96 % more
    /// instructions a pass (callgrind, `vs_atat/wip` at 256-byte reads).
    #[inline(always)]
    fn join_held<S: Sink>(&mut self, end: &[u8], sink: &mut S) -> bool {
        let max = self.cfg.max_line;
        if self.buf.len() + end.len() > max {
            self.buf.clear();
            sink.event(Event::Error(FrameError::LineTooLong { max }));
            return false;
        }
        self.buf.extend_from_slice(end);
        settle();
        true
    }

    /// Gives back the buffer of a joined line ([`Framer::join_held`]),
    /// emptied, its capacity kept for the next held line.
    #[inline(always)]
    fn put_back(&mut self, mut held: Vec<u8>) {
        // The line code holds no line of its own: the buffer is still the
        // empty one left in its place.
        debug_assert!(self.buf.is_empty(), "a line held by the line code");
        held.clear();
        self.buf = held;
    }

    /// Keeps the start of a line whose line feed has not come yet (at most
    /// once a read: out of line).
    #[inline(never)]
    fn stash<S: Sink>(&mut self, rest: &[u8], sink: &mut S) {
        if self.discarding {
            return;
        }
        let max = self.cfg.max_line;
        if self.buf.len() + rest.len() > max {
            self.buf.clear();
            self.discarding = true;
            sink.event(Event::Error(FrameError::LineTooLong { max }));
        } else {
            self.buf.extend_from_slice(rest);
        }
    }

    /// A whole line found in the input (its line feed removed): classified,
    /// or reported as too long past [`FramerConfig::max_line`].
    #[inline(always)]
    fn whole_line<S: Sink>(&mut self, seg: &[u8], sink: &mut S) {
        let max = self.cfg.max_line;
        if seg.len() > max {
            sink.event(Event::Error(FrameError::LineTooLong { max }));
        } else {
            self.line(seg, sink);
        }
    }

    /// Classifies one complete line (its line feed removed).
    ///
    /// Each line given as text is checked for UTF-8 on its own, when it is
    /// given ([`utf8`]): the lines told without their text (`OK`, `+CME
    /// ERROR`) and the framing between lines are not checked at all.
    #[inline(always)]
    fn line<S: Sink>(&mut self, raw: &[u8], sink: &mut S) {
        let line = trim_line(raw);
        let Some(&first) = line.first() else {
            return;
        };
        if first == b'+' {
            // Most lines are prefixed responses and URCs: the only
            // built-in final result codes with a `+` are `+CME ERROR` and
            // `+CMS ERROR`, so such a line is looked at as a final result
            // code only when its name starts so, or when the dialect
            // declares its own.
            if self.own_finals || matches!(line.get(1..4), Some(b"CME" | b"CMS")) {
                if let Some(f) = Final::parse_in(self.dialect, line) {
                    self.final_code(f, line, &mut |e| sink.event(e));
                    return;
                }
            }
            // Read by the generated decoder of the message it can only
            // be, where the sink types lines (`fused`).
            if S::FUSES && self.fused(line, sink) {
                return;
            }
        } else {
            // `OK`, the most frequent line, is told with one compare
            // (the dialect's own final result codes come first), and
            // given as a constant: a code parsed into memory and read
            // back wider than it was written would stall the load.
            if !self.own_finals && line == b"OK" {
                self.final_code(Final::Ok, line, &mut |e| sink.event(e));
                return;
            }
            if let Some(f) = Final::parse_in(self.dialect, line) {
                self.final_code(f, line, &mut |e| sink.event(e));
                return;
            }
            // Before any response line, an `AT…` line is the echo of the
            // command in flight (`ATE1`); without a command in flight it
            // can only be an echo too.
            if self.pending.is_none_or(|p| p.fresh)
                && line.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(b"AT"))
            {
                self.not_fresh();
                sink.event(Event::Echo(line));
                return;
            }
        }
        let mut parts = classify::Parts::of(line);
        classify::parts_into(line, &mut parts);
        if self.index.glues() {
            parts = self.index.unglue(parts);
        }
        // Read field by field where it lies: `sent` has just written it,
        // and a copy would read it back wider than it was written.
        let command = match &self.in_flight {
            InFlight::Command(c) | InFlight::Form(c, _) => Some(*c),
            InFlight::None => None,
        };
        let class = self
            .index
            .classify_memo(&mut self.memo, &self.in_flight, &parts);
        if !matches!(class, Class::Urc(_)) {
            self.not_fresh();
        }
        if class == Class::Unknown {
            sink.event(Event::Unknown(line));
            return;
        }
        let Some(l) = to_line(line, &parts) else {
            sink.event(Event::Unknown(line));
            return;
        };
        match (class, command) {
            (Class::Response(message), Some(command)) => {
                sink.event(Event::Response {
                    command,
                    message,
                    line: l,
                });
                if self.payloads {
                    self.arm_payload(message, l.body, &mut |e| sink.event(e));
                }
            }
            (Class::Urc(message), _) => {
                sink.event(Event::Urc { message, line: l });
                if self.payloads {
                    self.arm_payload(message, l.body, &mut |e| sink.event(e));
                }
            }
            _ => sink.event(Event::Unknown(line)),
        }
    }
}

impl Framer<'_> {
    /// The fused decode of a `+` line (without its framing): when its
    /// prefix is of the usual shape and has [`classify::Candidates`] while
    /// the command in flight is, the
    /// generated decoder of each is offered the line; the first that takes
    /// it gives its typed value to the sink. Returns whether one did (else
    /// the line is classified as [`Framer::feed`] does).
    #[inline(always)]
    fn fused<S: Sink>(&mut self, line: &[u8], sink: &mut S) -> bool {
        let Some((pre, at_body)) = classify::prefix_cut(line) else {
            return false;
        };
        let Some(key) = classify::prefix_key(line, pre) else {
            return false;
        };
        let candidates = self.plans.get(&self.index, key, self.in_flight);
        if candidates.is_empty() {
            return false;
        }
        let Some(text) = utf8(line) else {
            return false;
        };
        let body = text.get(at_body..).unwrap_or_default();
        // A response is only ever a candidate with a command in flight.
        let command = match self.in_flight {
            InFlight::Command(c) | InFlight::Form(c, _) => c,
            InFlight::None => 0,
        };
        for (message, urc) in candidates.iter() {
            if sink.decode(message, urc, command, text, body) {
                // As the classifier's response does: an `AT` line after
                // it is no longer the echo.
                if !urc {
                    self.not_fresh();
                }
                return true;
            }
        }
        false
    }

    /// A final result code ends the command in flight; `CONNECT` opens
    /// data mode.
    ///
    /// Inlined, so that the code stays in registers on its way to the
    /// sink; a declared code and `CONNECT` take [`Framer::final_more`].
    #[inline(always)]
    fn final_code<F: FnMut(Event<'_>)>(&mut self, f: Final, line: &[u8], sink: &mut F) {
        self.set_pending(None);
        self.prompt = None;
        match f {
            Final::Custom { .. } | Final::Connect => self.final_more(f, line, sink),
            // `OK`, the most frequent, as a constant: not copied from `f`.
            Final::Ok => sink(Event::Final(Final::Ok)),
            f => sink(Event::Final(f)),
        }
    }

    /// [`Framer::final_code`] of a declared final result code or
    /// `CONNECT`.
    #[inline(never)]
    fn final_more<F: FnMut(Event<'_>)>(&mut self, f: Final, line: &[u8], sink: &mut F) {
        // A declared final result code may carry fields: its line comes
        // first, for the client to type them.
        if let Final::Custom { .. } = f {
            if let Some(l) = final_line(line) {
                sink(Event::FinalLine(l));
            }
        }
        if f == Final::Connect {
            self.data = Some(DataState {
                session: self.next_session.take().unwrap_or_default(),
                ..DataState::default()
            });
        }
        sink(Event::Final(f));
    }

    /// Sets the command in flight, and [`Framer::in_flight`] with it.
    #[inline(always)]
    fn set_pending(&mut self, p: Option<Pending>) {
        self.in_flight = p.map_or(InFlight::None, |p| p.in_flight);
        self.pending = p;
    }

    fn not_fresh(&mut self) {
        if let Some(p) = self.pending.as_mut() {
            p.fresh = false;
        }
    }
}

impl OwnedLine {
    /// Cuts a line (without CR/LF) into prefix, body and fields, as the
    /// framer does.
    pub fn parse(text: &str) -> OwnedLine {
        let parts = classify::parts(text.as_bytes());
        match to_line(text.as_bytes(), &parts) {
            Some(l) => l.into(),
            None => OwnedLine::from(Line {
                text,
                prefix: None,
                body: text,
                fields: parts.fields,
            }),
        }
    }
}

/// A line without its CR LF framing and outer blanks; a line framed
/// `\r\n…\r\n` is cut with one compare.
#[inline(always)]
fn trim_line(raw: &[u8]) -> &[u8] {
    let line = match raw.split_last() {
        Some((b'\r', l)) => l,
        _ => raw,
    };
    match (line.first(), line.last()) {
        (Some(a), Some(z)) if !a.is_ascii_whitespace() && !z.is_ascii_whitespace() => line,
        _ => line.trim_ascii(),
    }
}

/// The [`Line`] of a declared final result code (`DATA ACCEPT: 12`); `None`
/// when it is not UTF-8.
fn final_line(line: &[u8]) -> Option<Line<'_>> {
    let parts = classify::parts(line);
    to_line(line, &parts)
}

/// Builds the borrowed [`Line`] once the line is known to be a response or
/// a URC; `None` when it is not UTF-8.
///
/// Built in place by its caller: a `Line` returned through memory from a
/// call is read back wider than it was written, which stalls the load.
#[inline(always)]
fn to_line<'a>(line: &'a [u8], p: &classify::Parts<'a>) -> Option<Line<'a>> {
    let text = utf8(line)?;
    // Prefix and body are sub-slices of `line`: cut `text` at the same
    // offsets, which fall on ASCII bytes.
    let body_start = line.len().saturating_sub(p.body.len());
    Some(Line {
        text,
        prefix: p.prefix.and_then(|pre| text.get(..pre.len())),
        body: text.get(body_start..)?,
        fields: p.fields,
    })
}

/// Waits until the bytes just copied into a held line are in the cache
/// before the line is read: on x86 a sequentially consistent fence (a
/// locked instruction, which waits for all earlier stores); elsewhere
/// nothing.
///
/// A line joined from two reads is read right after it is copied, by
/// loads wider than, or astride, the copy's stores; such a load cannot
/// take its bytes from the stores still in flight and waits for them,
/// with a penalty, where a fence costs less. Measured on 2026-12-07 in
/// the `vs_atat` bench (medians of eight passes each, the two builds
/// alternating): 745 -> 788 MiB/s at 256-byte reads, 611 -> 632 at 64,
/// 461 -> 475 at 16, 871 -> 896 at 4 KiB; 901 -> 914 at whole answers,
/// where no line is joined (so about what the spread of the layout is).
#[inline(always)]
fn settle() {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    core::sync::atomic::fence(core::sync::atomic::Ordering::SeqCst);
}

/// The line as text, `None` when it is not UTF-8; out of line, and
/// returning in two registers. A line of 64 bytes or more is checked by
/// `simdutf8`; a shorter one of ASCII, the most frequent, is told by
/// [`text::ascii_short`] without a branch on its length, and only another
/// is checked by `core::str`.
#[inline(never)]
fn utf8(line: &[u8]) -> Option<&str> {
    if line.len() >= SIMD_MIN {
        return simdutf8::basic::from_utf8(line).ok();
    }
    match text::ascii_short(line) {
        Some(t) => Some(t),
        None => core::str::from_utf8(line).ok(),
    }
}

/// A line left to the caller at least this long is searched for its end
/// past what was searched already when the caller gives it again
/// ([`Framer::resume`]); a shorter one is searched again from its start.
const RESUME_PAST: usize = 64;

/// Below this length `simdutf8` checks with `core::str` itself; a line
/// shorter than it is one [`text::ascii_short`] reads whole.
const SIMD_MIN: usize = text::ASCII_SHORT_MAX;

#[cfg(test)]
use sent::{cut_command, is_test_line};

#[cfg(test)]
mod tests;
