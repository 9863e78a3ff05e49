//! The blocking client.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};

use super::{
    check_line, is_idle, ClientConfig, ClientError, Collect, Frame, Lines, Reply, Routed, Urc,
};
use crate::frame::Merger;
use crate::framer::Framer;
use crate::result::Final;
use crate::transport::{Transport, READ_TIMEOUT, SLACK};
use wip_schema::typed::{FromCode, FromMessage, TypedCommand, TypedCompletion};
use wip_schema::{Dialect, ParsedCommand};

use super::{Answer, Left, SendError};

/// How much one read asks for: as the async client's reader, enough for
/// what a fast line delivers between two reads (a data session's echo
/// comes back in runs of 20 KiB and more), so that it comes in one read.
const READ_SIZE: usize = 64 * 1024;

/// What the framer is told of the command line being sent, to frame its
/// reply.
#[derive(Clone, Copy)]
enum Sent<'p> {
    /// Only the line: the framer finds its command and form.
    Line,
    /// Its command and form.
    Parsed(&'p ParsedCommand),
    /// Its command and form, in the client's `request`.
    Request,
}

/// A blocking client over a [`Transport`].
///
/// Reads must return now and then, with data or with a `TimedOut` or
/// `WouldBlock` error, so that timeouts can be kept: [`Client::new`] sets
/// the transport's read timeout (see [`crate::transport`]), and a read
/// that still blocks past its deadline is an error.
#[derive(Debug)]
pub struct Client<'d, T> {
    pub(super) io: T,
    pub(super) framer: Framer<'d>,
    pub(super) cfg: ClientConfig,
    urcs: VecDeque<Urc>,
    dropped_urcs: u64,
    pub(super) inbox: VecDeque<Frame>,
    pub(super) awaiting: bool,
    buf: BytesMut,
    /// What one read fills, zeroed once: a read copies only what came
    /// into `buf`, rather than zeroing `READ_SIZE` bytes of it each time.
    scratch: Box<[u8]>,
    merger: Merger,
    /// Holds a URC back until its payload came.
    router: super::payloads::Router,
    /// The command line being sent and its CR: formatted in place and
    /// written at once, its buffer kept from one command to the next.
    out: String,
    /// The values of the typed request being sent, bound in place.
    request: ParsedCommand,
    /// Why the transport's reads could not be bounded.
    unbounded: Option<std::io::Error>,
    /// Set by a data handle's writer half (another thread) before it sends
    /// a lone ETX that ends the transfer: the framer is told
    /// ([`Framer::etx_sent`]) before it frames the next read.
    pub(super) etx_sent: Arc<AtomicBool>,
    /// The command that opened the current (or last) data mode.
    pub(super) opened: super::Opened,
    /// A command that can open data mode timed out: its `CONNECT` may
    /// still come, unread, so the next command first reads what came (see
    /// [`Client::ready_for_command`]).
    late_opener: bool,
}

impl<'d, T: Transport> Client<'d, T> {
    /// A client over `io` for `dialect`. The transport's reads are bounded
    /// by [`READ_TIMEOUT`]; if that fails, the first call that reads gives
    /// [`ClientError::Unbounded`].
    pub fn new(mut io: T, dialect: &'d Dialect, cfg: ClientConfig) -> Self {
        let unbounded = io.set_read_timeout(READ_TIMEOUT).err();
        Client {
            io,
            unbounded,
            merger: Merger::default(),
            router: super::payloads::Router::default(),
            framer: Framer::with_config(dialect, cfg.framer),
            cfg,
            urcs: VecDeque::new(),
            dropped_urcs: 0,
            inbox: VecDeque::new(),
            awaiting: false,
            buf: BytesMut::with_capacity(READ_SIZE),
            scratch: vec![0; READ_SIZE].into_boxed_slice(),
            out: String::with_capacity(64),
            request: ParsedCommand {
                command: 0,
                form: 0,
                values: wip_schema::Bound::default(),
            },
            etx_sent: Arc::default(),
            opened: super::Opened::default(),
            late_opener: false,
        }
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.cfg
    }

    /// The transport.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.io
    }

    /// Gives the transport back.
    pub fn into_inner(self) -> T {
        self.io
    }

    /// How many URCs were dropped because nobody read them in time.
    pub fn dropped_urcs(&self) -> u64 {
        self.dropped_urcs
    }

    /// The timeout of a command line: the dialect's, else the default.
    pub fn timeout_of(&self, line: &str) -> Duration {
        crate::fields::command_line(line)
            .and_then(|c| self.framer.dialect().command(c.name))
            .map_or(self.cfg.default_timeout, |(_, m)| {
                Duration::from_millis(u64::from(m.timeout_ms))
            })
    }

    /// Sends a command line (without CR) and waits for its final result
    /// code. Error codes come back as [`ClientError::Rejected`].
    pub fn command(&mut self, line: &str) -> Result<Reply, ClientError> {
        let timeout = self.timeout_of(line);
        let reply = self.exchange(line, timeout)?;
        if reply.final_code.is_error() {
            return Err(ClientError::Rejected {
                command: line.to_owned(),
                final_code: reply.final_code,
                lines: reply.lines,
            });
        }
        Ok(reply)
    }

    /// Sends a command line and waits for its final result code, whatever it
    /// is, within `timeout`.
    pub fn exchange(&mut self, line: &str, timeout: Duration) -> Result<Reply, ClientError> {
        self.exchange_inner(line, None, timeout)
    }

    /// Sends a typed request and waits for its typed answer, within the
    /// form's timeout: the responses typed by the messages the framer
    /// tagged them with (no second classification), `+CME ERROR` as the
    /// spec's error enum. A request that opens data mode (`CONNECT`) is
    /// refused unsent ([`SendError::OpensData`]): `data_typed` sends it.
    pub fn send<C: TypedCommand>(
        &mut self,
        req: &C,
    ) -> Result<Answer<C::Response>, SendError<C::Error>> {
        super::typed::same_spec::<C>(self.framer.dialect())?;
        super::typed::opens_no_data(self.framer.dialect(), req)?;
        // The line is checked and formatted into the buffer it is written
        // from (by the generated check of a simple form, else by the
        // engine on the values bound into the client's own, `request`):
        // nothing is allocated for a request of numbers.
        let ms = super::typed::checked_into(req, &mut self.out, &mut self.request)?;
        self.send_checked(super::typed::Typed::of::<C>(), ms)
    }

    /// Sends the request checked and formatted into `self.out` and
    /// `self.request` within `ms` milliseconds, its responses decoded
    /// into `typed` as their lines come (no owned lines kept in between).
    /// Generic in the answer's types only, so that requests with the same
    /// responses share it.
    fn send_checked<R: FromMessage, E: FromCode>(
        &mut self,
        mut typed: super::typed::Typed<R, E>,
        ms: u32,
    ) -> Result<Answer<R>, SendError<E>> {
        let timeout = Duration::from_millis(u64::from(ms));
        match self.exchange_out(Sent::Request, timeout, true, &mut typed) {
            Ok(final_code) => typed.answer(final_code),
            Err(e) => Err(super::typed::client_error(e)),
        }
    }

    /// Sends a prepared request within its timeout (the form's, or the one
    /// its `timeout_from` parameter gives) and types the answer.
    fn send_prepared<C: TypedCommand>(
        &mut self,
        line: &str,
        parsed: &ParsedCommand,
    ) -> Result<Answer<C::Response>, SendError<C::Error>> {
        let ms = wip_schema::completion::timeout_ms(C::dialect(), parsed);
        let timeout = Duration::from_millis(u64::from(ms));
        let mut typed = super::typed::Typed::of::<C>();
        let final_code = self.exchange_into(line, Some(parsed), timeout, &mut typed)?;
        typed.answer(final_code)
    }

    /// Sends a request whose real outcome is a later URC (`OK` now,
    /// `+CIPOPEN: <link>,<err>` when the connection is up), takes its
    /// answer, then waits for that URC: the one of the spec's completion
    /// message whose fields repeat the request's values, within the
    /// completion's timeout. Other URCs stay queued, in order; a
    /// completion that came before the final result code counts.
    pub fn send_and_complete<C: TypedCompletion>(
        &mut self,
        req: &C,
    ) -> Result<super::Completed<C>, SendError<C::Error>> {
        let d = self.framer.dialect();
        let (line, parsed) = super::typed::prepare(d, req)?;
        let w = super::complete::waiting(d, &line, &parsed)?;
        let answer = self.send_prepared::<C>(&line, &parsed)?;
        let u = match self.wait_urc(w.after, |u| super::complete::matches(d, &parsed, &w, u)) {
            Ok(u) => u,
            Err(ClientError::NoUrc { after, .. }) => {
                return Err(SendError::NoCompletion {
                    command: line,
                    completion: w.what,
                    after,
                })
            }
            Err(e) => return Err(e.into()),
        };
        let done = super::complete::typed::<C>(d, &w, &u)?;
        Ok((answer, done))
    }

    /// Sends a basic command ([`Echo`](crate::basic::Echo),
    /// [`Cmee`](crate::basic::Cmee)) and waits for its final result code:
    /// `OK`, or the refusal typed as from [`Client::send`] (the code as a
    /// number: the command belongs to no spec).
    pub fn send_basic<B: crate::basic::BasicCommand>(
        &mut self,
        cmd: &B,
    ) -> Result<Final, SendError<u32>> {
        let timeout = Duration::from_millis(u64::from(B::TIMEOUT_MS));
        let reply = self.exchange_inner(cmd.line(), None, timeout)?;
        super::typed::basic_answer(reply, cmd.line())
    }

    pub(super) fn exchange_inner(
        &mut self,
        line: &str,
        parsed: Option<&ParsedCommand>,
        timeout: Duration,
    ) -> Result<Reply, ClientError> {
        let mut lines = Lines::default();
        let final_code = self.exchange_into(line, parsed, timeout, &mut lines)?;
        Ok(lines.reply(final_code))
    }

    /// Sends a command line and gives the frames of its reply to `into`;
    /// gives the final result code that ended it.
    fn exchange_into(
        &mut self,
        line: &str,
        parsed: Option<&ParsedCommand>,
        timeout: Duration,
        into: &mut dyn Collect,
    ) -> Result<Final, ClientError> {
        self.out.clear();
        self.out.push_str(line);
        let sent = parsed.map_or(Sent::Line, Sent::Parsed);
        self.exchange_out(sent, timeout, false, into)
    }

    /// Sends the command line in `self.out` (without its CR) and gives
    /// the frames of its reply to `into` as they come, within `timeout`;
    /// gives the final result code that ended it.
    ///
    /// One copy for every collector (`into` is dynamic): a typed request
    /// of each command would otherwise get its own copy of this loop, and
    /// a program sending several commands would run more code than fits
    /// the instruction cache.
    fn exchange_out(
        &mut self,
        sent: Sent<'_>,
        timeout: Duration,
        // The line of a typed request whose values were checked: its
        // strings hold no CR or LF.
        checked: bool,
        into: &mut dyn Collect,
    ) -> Result<Final, ClientError> {
        if !checked {
            check_line(&self.out)?;
        }
        self.ready_for_command()?;
        // Whatever is left is the late reply of a command that timed out.
        self.inbox.clear();
        match sent {
            Sent::Line => {
                self.framer.sent(&self.out);
            }
            Sent::Parsed(p) => self.framer.sent_parsed(p),
            Sent::Request => self.framer.sent_parsed(&self.request),
        }
        self.awaiting = true;
        self.out.push('\r');
        let written = self.io.write_all(self.out.as_bytes());
        self.out.pop();
        written?;
        self.io.flush()?;
        // The clock is read once here and once after each read (reading
        // it is a good part of a command's time against a fast modem).
        let mut now = Instant::now();
        let deadline = super::deadline(now, timeout);
        loop {
            while let Some(ev) = self.inbox.pop_front() {
                if let Some(final_code) = super::collect(into, ev) {
                    return Ok(final_code);
                }
            }
            if now >= deadline {
                self.late_opener = self.framer.expects_data();
                self.framer.clear_pending();
                self.awaiting = false;
                return Err(ClientError::Timeout {
                    command: self.out.clone(),
                    after: timeout,
                });
            }
            now = self.pump_since(now, deadline)?;
        }
    }

    /// The next URC, waiting at most `timeout`; `None` when none came.
    pub fn next_urc(&mut self, timeout: Duration) -> Result<Option<Urc>, ClientError> {
        let deadline = super::deadline(Instant::now(), timeout);
        loop {
            if let Some(u) = self.urcs.pop_front() {
                return Ok(Some(u));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            self.pump(deadline)?;
        }
    }

    /// Waits at most `timeout` for a URC that `pred` accepts and takes it;
    /// the others stay queued, in order.
    pub fn wait_urc(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&Urc) -> bool,
    ) -> Result<Urc, ClientError> {
        let deadline = super::deadline(Instant::now(), timeout);
        loop {
            if let Some(i) = self.urcs.iter().position(&mut pred) {
                if let Some(u) = self.urcs.remove(i) {
                    return Ok(u);
                }
            }
            if Instant::now() >= deadline {
                return Err(ClientError::NoUrc {
                    what: super::ANY_URC.into(),
                    after: timeout,
                });
            }
            self.pump(deadline)?;
        }
    }

    /// Waits at most `timeout` for a URC of type `U` (one generated
    /// message, or the spec's `Urc` enum) that `pred` accepts, and takes
    /// it; the other URCs stay queued, in order. A URC of type `U` whose
    /// fields do not decode is taken and given as [`ClientError::Decode`].
    pub fn wait_typed<U: FromMessage>(
        &mut self,
        timeout: Duration,
        pred: impl FnMut(&U) -> bool,
    ) -> Result<U, ClientError> {
        self.wait_typed_payload(timeout, pred).map(|(u, _)| u)
    }

    /// [`Client::wait_typed`], giving the URC with the raw data the modem
    /// sent after its line when its message declares a payload (SIMCom
    /// `+IPD<n>` then its `n` bytes); `None` for the others.
    pub fn wait_typed_payload<U: FromMessage>(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&U) -> bool,
    ) -> Result<(U, Option<Bytes>), ClientError> {
        let deadline = super::deadline(Instant::now(), timeout);
        let d = self.framer.dialect();
        loop {
            let mut found = None;
            for (i, u) in self.urcs.iter().enumerate() {
                let Some(m) = u.message.filter(|m| U::accepts(*m)) else {
                    continue;
                };
                match U::decode_framed(d, m, &u.line.text, u.line.body()) {
                    Ok(v) if pred(&v) => {
                        found = Some((i, Ok(v)));
                        break;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        found = Some((i, Err(e)));
                        break;
                    }
                }
            }
            if let Some((i, r)) = found {
                let payload = self.urcs.remove(i).and_then(|u| u.payload);
                return r.map(|v| (v, payload)).map_err(ClientError::Decode);
            }
            if Instant::now() >= deadline {
                return Err(ClientError::NoUrc {
                    what: super::urc_wanted::<U>(d),
                    after: timeout,
                });
            }
            self.pump(deadline)?;
        }
    }

    /// Sends `data` on the data offline session of channel `idx`
    /// (`+WIPDATARW`, 6.3) in 200-byte blocks; gives the reply of the last,
    /// untyped. For typed answers (`+WIPDATARW: 3,<idx>,<size>` as a
    /// value, `+CME ERROR` as the spec's error), send each request of the
    /// bindings' `offline::write_requests(idx, data)` with [`Client::send`].
    pub fn send_offline(&mut self, idx: u32, data: &[u8]) -> Result<Reply, ClientError> {
        let mut last = None;
        for block in crate::hexdump::blocks(data) {
            last = Some(self.command(&block.command_line(idx))?);
        }
        last.ok_or(ClientError::Closed)
    }

    /// Reads once from the port (waiting at most the port's read timeout)
    /// and sorts what came into the inbox and the URC queue. A read that
    /// returns more than [`SLACK`] past `deadline` is
    /// [`ClientError::ReadBlocked`] (what it read is kept).
    pub(super) fn pump(&mut self, deadline: Instant) -> Result<(), ClientError> {
        self.pump_since(Instant::now(), deadline).map(|_| ())
    }

    /// Frames and routes the bytes the framer held back (a CR, or the
    /// start of what might have been `\r\nSHUTDOWN\r\n`, a final result
    /// code, or after `+++` a URC).
    fn release_held(&mut self) {
        let empty = Bytes::new();
        let Client {
            framer,
            merger,
            urcs,
            inbox,
            awaiting,
            dropped_urcs,
            cfg,
            router,
            ..
        } = self;
        let d = framer.dialect();
        let mut out = |f| {
            router.route(d, f, awaiting, |r| {
                dispatch(r, inbox, urcs, dropped_urcs, cfg)
            })
        };
        framer.release_held(|ev| merger.event(&empty, ev, &mut out));
        merger.flush(&mut out);
    }

    /// [`Client::pump`], given the time just before (`started`, for the
    /// error of a read that blocked); gives the time the read returned.
    fn pump_since(&mut self, started: Instant, deadline: Instant) -> Result<Instant, ClientError> {
        if let Some(e) = self.unbounded.take() {
            return Err(ClientError::Unbounded(e));
        }
        let read = self.io.read(&mut self.scratch);
        let now = Instant::now();
        let late = now.checked_duration_since(deadline + SLACK);
        let n = match read {
            // Bytes held back in case they began an indication can begin
            // none now: they go out before the end of the line is told.
            Ok(0) if self.framer.holds_bytes() => {
                self.release_held();
                return Ok(now);
            }
            Ok(0) => return Err(ClientError::Closed),
            Ok(n) => n,
            Err(e) if is_idle(&e) => {
                // The line is idle: held bytes cannot begin an indication,
                // which a modem sends whole.
                self.release_held();
                return match late {
                    Some(_) => Err(ClientError::ReadBlocked(
                        now.saturating_duration_since(started),
                    )),
                    None => Ok(now),
                };
            }
            Err(e) => return Err(e.into()),
        };
        // The writer half's ETX went out before these bytes came back.
        self.take_etx_sent();
        self.buf.clear();
        self.buf
            .extend_from_slice(self.scratch.get(..n).unwrap_or_default());
        let chunk = self.buf.split().freeze();
        let Client {
            framer,
            merger,
            urcs,
            inbox,
            awaiting,
            dropped_urcs,
            cfg,
            router,
            ..
        } = self;
        let d = framer.dialect();
        let mut out = |f| {
            router.route(d, f, awaiting, |r| {
                dispatch(r, inbox, urcs, dropped_urcs, cfg)
            })
        };
        framer.feed(&chunk, |ev| merger.event(&chunk, ev, &mut out));
        merger.flush(&mut out);
        match late {
            Some(_) => Err(ClientError::ReadBlocked(
                now.saturating_duration_since(started),
            )),
            None => Ok(now),
        }
    }

    /// Tells the framer of a lone ETX that ends the transfer, if a data
    /// handle (or its writer half, on another thread) sent one.
    fn take_etx_sent(&mut self) {
        if self.etx_sent.load(Ordering::Relaxed) && self.etx_sent.swap(false, Ordering::AcqRel) {
            self.framer.etx_sent();
        }
    }

    /// Before a command line is written: the modem must be in command
    /// mode. Data mode that is ending on its own (a data handle dropped
    /// after its transfer ended or after `+++`, before the final result
    /// code was read) is waited out, within the default timeout, its
    /// unread payload dropped with the handle; otherwise the command is
    /// refused with [`ClientError::InDataMode`], as it would go to the
    /// peer as payload.
    pub(super) fn ready_for_command(&mut self) -> Result<(), ClientError> {
        if core::mem::take(&mut self.late_opener) && !self.framer.in_data_mode() {
            // The `CONNECT` of a command that timed out may have come
            // since: read what is there (one read, bounded by the port's
            // read timeout) so that it puts the framer in data mode before
            // a command line goes out to the peer as payload.
            let now = Instant::now();
            self.pump_since(now, now)?;
            // That `CONNECT` answered the command that timed out: it is
            // not the final result code of a data mode that is ending.
            self.inbox
                .retain(|f| !matches!(f, Frame::Final(Final::Connect)));
        }
        if !self.framer.in_data_mode() {
            return Ok(());
        }
        self.take_etx_sent();
        if self.framer.data_ending() {
            let timeout = self.cfg.default_timeout.max(self.opened.timeout);
            let guard = self.cfg.guard;
            match self.wait_final(timeout, guard, |_| {}) {
                Ok(_) => return Ok(()),
                Err(ClientError::StillInData { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Err(ClientError::InDataMode)
    }

    /// Leaves data mode after a data handle was dropped without
    /// [`DataHandle::leave`](super::DataHandle::leave) (commands are then
    /// refused with [`ClientError::InDataMode`]), as `leave` would: the
    /// modem's final result code is waited for where data mode is ending
    /// on its own, else `+++` is sent framed by the client's guard time.
    /// The payload that came since the handle was dropped is in
    /// [`Left::unread`]. `None` when the modem is not in data mode and no
    /// final result code that ended it is waiting.
    pub fn leave_data(&mut self) -> Result<Option<Left>, ClientError> {
        let guard = self.cfg.guard;
        self.leave_data_with(guard)
    }

    /// [`Client::leave_data`] with another guard time (after
    /// [`ClientError::StillInData`], a longer one).
    pub fn leave_data_with(&mut self, guard: Duration) -> Result<Option<Left>, ClientError> {
        let waiting = self.inbox.iter().any(|f| matches!(f, Frame::Final(_)));
        if !waiting && !self.framer.in_data_mode() {
            return Ok(None);
        }
        self.take_etx_sent();
        let ending = waiting || self.framer.data_ending();
        let mut unread = Vec::new();
        let final_code = self.leave_inner(ending, guard, &mut unread)?;
        Ok(Some(self.left(final_code, unread)))
    }

    /// The [`Left`] of data mode ended with `final_code`.
    pub(super) fn left(&self, final_code: Final, unread: Vec<u8>) -> Left {
        Left {
            final_code,
            unread,
            command: self.opened.command.clone(),
        }
    }

    /// Takes the client back to command mode without a word to the modem,
    /// for a modem that left data mode in a way the line cannot show: a
    /// UART unmapped from another one (`AT+WIPDATA=<proto>,<idx>,0`,
    /// 6.2.4), DTR dropped (`AT&D`), a final result code in continuous
    /// transparent mode. There [`Client::leave_data`] waits in vain
    /// ([`ClientError::StillInData`]), since the modem takes `+++` as the
    /// start of a command line. Gives the payload that came and was not
    /// read (the final result code that ended data mode among it, as the
    /// bytes it came as). What the line still brings is read first, as
    /// payload, until it has been quiet for a moment
    /// (200 ms, within the default timeout), so that none of it
    /// is taken for the next command's answer.
    pub fn forget_data_mode(&mut self) -> Result<Vec<u8>, ClientError> {
        let mut now = Instant::now();
        let deadline = super::deadline(now, self.cfg.default_timeout);
        let mut heard = now;
        while self.framer.in_data_mode() && now < deadline && now < heard + super::QUIET {
            let before = self.inbox.len();
            now = self.pump_since(now, deadline)?;
            if self.inbox.len() != before || self.framer.holds_bytes() {
                heard = now;
            }
        }
        let mut out = Vec::new();
        for f in self.inbox.drain(..) {
            if let Frame::Data(d) = f {
                out.extend_from_slice(&d);
            }
        }
        self.framer.leave_data_mode(|ev| {
            if let crate::framer::Event::Data(d) = ev {
                out.extend_from_slice(d);
            }
        });
        self.etx_sent.store(false, Ordering::Release);
        Ok(out)
    }

    /// Leaves data mode: when `ending`, waits for the final result code
    /// first (within the timeout of the command that opened data mode, if
    /// longer than the default: the modem may have a server to talk to
    /// first); without one (or when not `ending`) sends `+++` framed by
    /// `guard` and waits for it. The payload before it is added to
    /// `unread`.
    pub(super) fn leave_inner(
        &mut self,
        ending: bool,
        guard: Duration,
        unread: &mut Vec<u8>,
    ) -> Result<Final, ClientError> {
        let timeout = self.cfg.default_timeout;
        let mut keep = |ev| {
            if let Frame::Data(d) = ev {
                unread.extend_from_slice(&d);
            }
        };
        if ending {
            let ends_within = timeout.max(self.opened.timeout);
            match self.wait_final(ends_within, guard, &mut keep) {
                // No final result code: the modem is still in data mode.
                Err(ClientError::StillInData { .. }) => {}
                r => return r,
            }
        }
        crate::guard::send_escape(&mut self.io, guard)?;
        self.framer.escape_sent();
        self.wait_final(timeout, guard, keep)
    }

    /// Waits for the final result code that ends data mode.
    pub(super) fn wait_final(
        &mut self,
        timeout: Duration,
        guard: Duration,
        mut data: impl FnMut(Frame),
    ) -> Result<Final, ClientError> {
        let deadline = super::deadline(Instant::now(), timeout);
        loop {
            while let Some(ev) = self.inbox.pop_front() {
                match ev {
                    // `CONNECT` opened data mode (the late answer of a
                    // command that timed out): not the end of it.
                    Frame::Final(Final::Connect) => {}
                    Frame::Final(f) => return Ok(f),
                    other => data(other),
                }
            }
            if Instant::now() >= deadline {
                return Err(ClientError::StillInData {
                    guard,
                    waited: timeout,
                });
            }
            self.pump(deadline)?;
        }
    }
}

/// Sorts one routed frame into the inbox or the URC queue (oldest URC
/// dropped and counted when it is full).
fn dispatch(
    routed: Routed,
    inbox: &mut VecDeque<Frame>,
    urcs: &mut VecDeque<Urc>,
    dropped_urcs: &mut u64,
    cfg: &ClientConfig,
) {
    match routed {
        Routed::Inbox(e) => inbox.push_back(e),
        Routed::Urc(u) => {
            if urcs.len() >= cfg.urc_capacity.max(1) {
                urcs.pop_front();
                *dropped_urcs += 1;
            }
            urcs.push_back(u);
        }
        Routed::Drop => {}
    }
}
