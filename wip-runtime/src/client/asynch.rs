//! The async client (tokio): a task reads and frames the port, URCs go out
//! on a broadcast stream, replies and data to the client.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use std::collections::VecDeque;

use bytes::BytesMut;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadHalf, WriteHalf};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::{errors::BroadcastStreamRecvError, BroadcastStream};
use tokio_stream::Stream;
use tokio_stream::StreamExt as _;
use tokio_util::codec::{Decoder, FramedRead};

use super::{check_line, ClientConfig, ClientError, Collect, Frame, Lines, Reply, Routed, Urc};
use crate::codec::WipCodec;
use crate::framer::Framer;
use wip_schema::typed::{FromMessage, TypedCommand, TypedCompletion};
use wip_schema::{Dialect, Final, ParsedCommand};

use super::{Answer, Left, SendError};

/// How long the line must be idle before held data bytes are released.
const IDLE: Duration = Duration::from_millis(20);

/// The URCs of an [`AsyncClient`], as a stream. A reader that falls behind
/// loses the oldest URCs (counted by [`UrcStream::missed`]) instead of
/// holding up the client.
pub struct UrcStream {
    inner: BroadcastStream<Urc>,
    missed: u64,
    /// The client's command set, which types the URCs.
    dialect: &'static Dialect,
}

impl UrcStream {
    /// How many URCs this stream skipped because it was read too slowly.
    pub fn missed(&self) -> u64 {
        self.missed
    }

    /// The next URC of type `U` (one generated message, or the spec's
    /// `Urc` enum) that `pred` accepts, typed; URCs of other types or
    /// refused by `pred` are passed over (other streams of the client still
    /// get them). `None` when the client ended; a URC of type `U` whose
    /// fields do not decode is given as [`ClientError::Decode`]. It waits
    /// as long as it takes: [`UrcStream::wait_typed`] waits at most a
    /// given time.
    pub async fn next_typed<U: FromMessage>(
        &mut self,
        pred: impl FnMut(&U) -> bool,
    ) -> Option<Result<U, ClientError>> {
        self.next_typed_payload(pred)
            .await
            .map(|r| r.map(|(u, _)| u))
    }

    /// Waits at most `timeout` for a URC of type `U` (one generated
    /// message, or the spec's `Urc` enum) that `pred` accepts, as the
    /// blocking [`Client::wait_typed`](super::Client::wait_typed) does:
    /// [`ClientError::NoUrc`] when none came in time,
    /// [`ClientError::Closed`] when the client ended first, and a URC of
    /// type `U` whose fields do not decode as [`ClientError::Decode`]. The
    /// URCs passed over are gone from this stream only: the client's other
    /// streams ([`AsyncClient::urcs`]) still get them.
    pub async fn wait_typed<U: FromMessage>(
        &mut self,
        timeout: Duration,
        pred: impl FnMut(&U) -> bool,
    ) -> Result<U, ClientError> {
        self.wait_typed_payload(timeout, pred).await.map(|(u, _)| u)
    }

    /// [`UrcStream::wait_typed`], giving the URC with the raw data the
    /// modem sent after its line when its message declares a payload
    /// (SIMCom `+IPD<n>` then its `n` bytes); `None` for the others.
    pub async fn wait_typed_payload<U: FromMessage>(
        &mut self,
        timeout: Duration,
        pred: impl FnMut(&U) -> bool,
    ) -> Result<(U, Option<bytes::Bytes>), ClientError> {
        match tokio::time::timeout(timeout, self.next_typed_payload(pred)).await {
            Ok(Some(r)) => r,
            Ok(None) => Err(ClientError::Closed),
            Err(_) => Err(ClientError::NoUrc {
                what: super::urc_wanted::<U>(self.dialect),
                after: timeout,
            }),
        }
    }

    /// [`UrcStream::next_typed`], giving the URC with the raw data the
    /// modem sent after its line when its message declares a payload
    /// (SIMCom `+IPD<n>` then its `n` bytes); `None` for the others.
    pub async fn next_typed_payload<U: FromMessage>(
        &mut self,
        mut pred: impl FnMut(&U) -> bool,
    ) -> Option<Result<(U, Option<bytes::Bytes>), ClientError>> {
        use tokio_stream::StreamExt as _;
        // The URCs are typed with the client's own command set: their
        // message indexes are that set's.
        let dialect = self.dialect;
        while let Some(u) = self.next().await {
            let Some(m) = u.message.filter(|m| U::accepts(*m)) else {
                continue;
            };
            match U::decode_framed(dialect, m, &u.line.text, u.line.body()) {
                Ok(v) if pred(&v) => return Some(Ok((v, u.payload))),
                Ok(_) => {}
                Err(e) => return Some(Err(ClientError::Decode(e))),
            }
        }
        None
    }
}

impl std::fmt::Debug for UrcStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UrcStream")
            .field("missed", &self.missed)
            .finish()
    }
}

impl Stream for UrcStream {
    type Item = Urc;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Urc>> {
        loop {
            match Pin::new(&mut self.inner).poll_next(cx) {
                Poll::Ready(Some(Ok(u))) => return Poll::Ready(Some(u)),
                Poll::Ready(Some(Err(BroadcastStreamRecvError::Lagged(n)))) => self.missed += n,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// State shared with the reader task.
pub(super) struct Shared {
    /// The reader task frames what comes through it; the client tells its
    /// framer what was sent.
    codec: Mutex<WipCodec<'static>>,
    pub(super) awaiting: AtomicBool,
}

impl Shared {
    pub(super) fn codec(&self) -> std::sync::MutexGuard<'_, WipCodec<'static>> {
        match self.codec.lock() {
            Ok(g) => g,
            // The reader task never panics while holding it; if it did,
            // the framer is still in a consistent state between feeds.
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// An async client over any `AsyncRead + AsyncWrite` (a
/// `tokio_serial::SerialStream`, a pipe, a socket).
///
/// Its exchanges may be cancelled (their futures dropped by `select!` or
/// a `timeout`): a command whose line went out still has its answer on
/// the way, and the next exchange takes that answer first (up to the
/// cancelled command's deadline) and drops it, so that it gets its own.
/// A cancelled request that opens data mode leaves the modem there:
/// commands are then refused ([`ClientError::InDataMode`]) until
/// [`AsyncClient::leave_data`].
pub struct AsyncClient<IO> {
    pub(super) writer: WriteHalf<IO>,
    pub(super) shared: Arc<Shared>,
    pub(super) inbox: mpsc::Receiver<Frame>,
    /// The reader task holds the only strong sender: once it ends (the
    /// port closed), every URC stream ends.
    urcs: broadcast::WeakSender<Urc>,
    cfg: ClientConfig,
    task: tokio::task::JoinHandle<()>,
    /// The command line being sent and its CR: formatted in place and
    /// written at once, its buffer kept from one command to the next.
    out: String,
    /// The values of the typed request being sent, bound in place.
    request: ParsedCommand,
    /// The deadline of a command whose future was dropped (cancelled)
    /// after its line went out and before its final result code came: the
    /// next exchange takes that answer first, so that it cannot be taken
    /// for its own.
    stale: Option<tokio::time::Instant>,
    /// The command that opened the current (or last) data mode.
    opened: super::Opened,
}

impl<IO> std::fmt::Debug for AsyncClient<IO> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncClient")
            .field("cfg", &self.cfg)
            .finish()
    }
}

impl<IO> Drop for AsyncClient<IO> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl<IO> AsyncClient<IO>
where
    IO: AsyncRead + AsyncWrite + Send + 'static,
{
    /// Starts a client on `io` (spawning its reader task on the current
    /// tokio runtime) and gives it with its URC stream.
    pub fn new(io: IO, dialect: &'static Dialect, cfg: ClientConfig) -> (Self, UrcStream) {
        let (reader, writer) = tokio::io::split(io);
        let shared = Arc::new(Shared {
            codec: Mutex::new(WipCodec::with_config(dialect, cfg.framer)),
            awaiting: AtomicBool::new(false),
        });
        let (tx, inbox) = mpsc::channel(1024);
        let (urcs, first) = broadcast::channel(cfg.urc_capacity.max(1));
        let weak = urcs.downgrade();
        let task = tokio::spawn(read_loop(reader, shared.clone(), tx, urcs));
        let client = AsyncClient {
            writer,
            shared,
            inbox,
            urcs: weak,
            cfg,
            task,
            out: String::with_capacity(64),
            request: ParsedCommand {
                command: 0,
                form: 0,
                values: wip_schema::Bound::default(),
            },
            stale: None,
            opened: super::Opened::default(),
        };
        let stream = UrcStream {
            inner: BroadcastStream::new(first),
            missed: 0,
            dialect,
        };
        (client, stream)
    }

    /// Another stream of the URCs that come from now on; it ends when the
    /// port closes (at once if it has).
    pub fn urcs(&self) -> UrcStream {
        UrcStream {
            inner: BroadcastStream::new(self.subscribe()),
            missed: 0,
            dialect: self.with_framer(|f| f.dialect()),
        }
    }

    /// A receiver of the URCs from now on; one that is closed already
    /// when the reader task has ended.
    fn subscribe(&self) -> broadcast::Receiver<Urc> {
        match self.urcs.upgrade() {
            Some(tx) => tx.subscribe(),
            None => broadcast::channel(1).1,
        }
    }

    pub(super) fn with_framer<R>(&self, f: impl FnOnce(&mut Framer<'static>) -> R) -> R {
        f(self.shared.codec().framer_mut())
    }

    /// The timeout of a command line: the dialect's, else the default.
    pub fn timeout_of(&self, line: &str) -> Duration {
        self.with_framer(|f| {
            crate::fields::command_line(line)
                .and_then(|c| f.dialect().command(c.name))
                .map_or(self.cfg.default_timeout, |(_, m)| {
                    Duration::from_millis(u64::from(m.timeout_ms))
                })
        })
    }

    /// Sends a command line and waits for its final result code; error
    /// codes come back as [`ClientError::Rejected`].
    pub async fn command(&mut self, line: &str) -> Result<Reply, ClientError> {
        let reply = self.exchange(line, self.timeout_of(line)).await?;
        if reply.final_code.is_error() {
            return Err(ClientError::Rejected {
                command: line.to_owned(),
                final_code: reply.final_code,
                lines: reply.lines,
            });
        }
        Ok(reply)
    }

    /// Sends a command line and waits at most `timeout` for its final
    /// result code, whatever it is.
    pub async fn exchange(&mut self, line: &str, timeout: Duration) -> Result<Reply, ClientError> {
        self.exchange_inner(line, None, timeout).await
    }

    /// Sends a basic command ([`Echo`](crate::basic::Echo),
    /// [`Cmee`](crate::basic::Cmee)) and waits for its final result code:
    /// `OK`, or the refusal typed as from [`AsyncClient::send`] (the code
    /// as a number: the command belongs to no spec).
    pub async fn send_basic<B: crate::basic::BasicCommand>(
        &mut self,
        cmd: &B,
    ) -> Result<Final, SendError<u32>> {
        let timeout = Duration::from_millis(u64::from(B::TIMEOUT_MS));
        let reply = self.exchange_inner(cmd.line(), None, timeout).await?;
        super::typed::basic_answer(reply, cmd.line())
    }

    /// Sends a typed request and waits for its typed answer, within the
    /// form's timeout: the responses typed by the messages the framer
    /// tagged them with (no second classification), `+CME ERROR` as the
    /// spec's error enum. A request that opens data mode (`CONNECT`) is
    /// refused unsent ([`SendError::OpensData`]): `data_typed` sends it.
    pub async fn send<C: TypedCommand>(
        &mut self,
        req: &C,
    ) -> Result<Answer<C::Response>, SendError<C::Error>> {
        let dialect = self.with_framer(|f| f.dialect());
        super::typed::same_spec::<C>(dialect)?;
        super::typed::opens_no_data(dialect, req)?;
        // The line is checked and formatted into the buffer it is written
        // from (see `Client::send`).
        let mut p = std::mem::take(&mut self.request);
        let r = self.send_bound(req, &mut p).await;
        self.request = p;
        r
    }

    /// Checks, formats and sends a typed request, its values bound into
    /// `p` when the engine needs them.
    async fn send_bound<C: TypedCommand>(
        &mut self,
        req: &C,
        p: &mut ParsedCommand,
    ) -> Result<Answer<C::Response>, SendError<C::Error>> {
        let ms = super::typed::checked_into(req, &mut self.out, p)?;
        // The responses are decoded as their lines come.
        let mut typed = super::typed::Typed::of::<C>();
        let timeout = Duration::from_millis(u64::from(ms));
        let final_code = self
            .exchange_out(Some(p), timeout, true, &mut typed)
            .await?;
        typed.answer(final_code)
    }

    /// Sends a prepared request within its timeout (the form's, or the one
    /// its `timeout_from` parameter gives) and types the answer.
    async fn send_prepared<C: TypedCommand>(
        &mut self,
        line: &str,
        parsed: &ParsedCommand,
    ) -> Result<Answer<C::Response>, SendError<C::Error>> {
        let ms = wip_schema::completion::timeout_ms(C::dialect(), parsed);
        let timeout = Duration::from_millis(u64::from(ms));
        let reply = self.exchange_inner(line, Some(parsed), timeout).await?;
        super::typed::answer::<C>(reply)
    }

    /// Sends a request whose real outcome is a later URC (`OK` now,
    /// `+CIPOPEN: <link>,<err>` when the connection is up), takes its
    /// answer, then waits for that URC: the one of the spec's completion
    /// message whose fields repeat the request's values, within the
    /// completion's timeout. The URC streams still get every URC,
    /// the completion included; one that came before the final result
    /// code counts.
    pub async fn send_and_complete<C: TypedCompletion>(
        &mut self,
        req: &C,
    ) -> Result<super::Completed<C>, SendError<C::Error>> {
        let d = self.with_framer(|f| f.dialect());
        let (line, parsed) = super::typed::prepare(d, req)?;
        let w = super::complete::waiting(d, &line, &parsed)?;
        // Listening from before the command leaves: the URC may come
        // before its final result code.
        let mut rx = self.subscribe();
        let answer = self.send_prepared::<C>(&line, &parsed).await?;
        let wait = async {
            loop {
                match rx.recv().await {
                    Ok(u) if super::complete::matches(d, &parsed, &w, &u) => return Ok(u),
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return Err(ClientError::Closed),
                }
            }
        };
        let u = match tokio::time::timeout(w.after, wait).await {
            Ok(Ok(u)) => u,
            Ok(Err(e)) => return Err(e.into()),
            Err(_) => {
                return Err(SendError::NoCompletion {
                    command: line,
                    completion: w.what,
                    after: w.after,
                })
            }
        };
        let done = super::complete::typed::<C>(d, &w, &u)?;
        Ok((answer, done))
    }

    pub(super) async fn exchange_inner(
        &mut self,
        line: &str,
        parsed: Option<&ParsedCommand>,
        timeout: Duration,
    ) -> Result<Reply, ClientError> {
        self.out.clear();
        self.out.push_str(line);
        let mut lines = Lines::default();
        let final_code = self
            .exchange_out(parsed, timeout, false, &mut lines)
            .await?;
        Ok(lines.reply(final_code))
    }

    /// Sends the command line in `self.out` (without its CR) and gives
    /// the frames of its reply to `into` as they come; gives the final
    /// result code that ended it.
    async fn exchange_out(
        &mut self,
        parsed: Option<&ParsedCommand>,
        timeout: Duration,
        // The line of a typed request whose values were checked: its
        // strings hold no CR or LF.
        checked: bool,
        // One copy of this future serves every answer type: generic in
        // the collector, each typed request would get its own, and the
        // copies would crowd the instruction cache.
        into: &mut (dyn Collect + Send),
    ) -> Result<Final, ClientError> {
        if !checked {
            check_line(&self.out)?;
        }
        self.settle().await?;
        self.ready_for_command().await?;
        while self.inbox.try_recv().is_ok() {}
        // The framer learns of the command before its bytes leave, so
        // the reply cannot be framed without it.
        let line = &self.out;
        self.with_framer(|f| match parsed {
            Some(p) => f.sent_parsed(p),
            None => {
                f.sent(line);
            }
        });
        self.shared.awaiting.store(true, Ordering::SeqCst);
        // Dropped from here on, this exchange leaves its answer to the
        // next one to take first.
        self.stale = Some(super::deadline_tokio(tokio::time::Instant::now(), timeout));
        self.out.push('\r');
        let mut written = self.writer.write_all(self.out.as_bytes()).await;
        self.out.pop();
        if written.is_ok() {
            written = self.writer.flush().await;
        }
        if let Err(e) = written {
            // The port failed: no answer to wait for.
            self.stale = None;
            return Err(e.into());
        }
        let collect = async {
            loop {
                match self.inbox.recv().await {
                    None => return Err(ClientError::Closed),
                    Some(f) => {
                        if let Some(final_code) = super::collect(into, f) {
                            return Ok(final_code);
                        }
                    }
                }
            }
        };
        let r = tokio::time::timeout(timeout, collect).await;
        self.stale = None;
        match r {
            Ok(done) => done,
            Err(_) => {
                self.with_framer(|f| f.clear_pending());
                self.shared.awaiting.store(false, Ordering::SeqCst);
                Err(ClientError::Timeout {
                    command: self.out.clone(),
                    after: timeout,
                })
            }
        }
    }

    /// Takes the answer of a command whose exchange was cancelled after
    /// its line went out (its future dropped), up to that command's
    /// deadline, and drops it: the modem answers one command line at a
    /// time, and that answer must not be taken for the next one's. Past
    /// the deadline the command is forgotten, as after a timeout.
    pub(super) async fn settle(&mut self) -> Result<(), ClientError> {
        let Some(deadline) = self.stale.take() else {
            return Ok(());
        };
        let inbox = &mut self.inbox;
        let wait = async {
            loop {
                match inbox.recv().await {
                    None => return Err(ClientError::Closed),
                    Some(Frame::Final(_)) => return Ok(()),
                    Some(_) => {}
                }
            }
        };
        match tokio::time::timeout_at(deadline, wait).await {
            Ok(r) => r,
            Err(_) => {
                self.with_framer(|f| f.clear_pending());
                self.shared.awaiting.store(false, Ordering::SeqCst);
                Ok(())
            }
        }
    }

    /// Marks an exchange in flight (see [`AsyncClient::settle`]) until
    /// `deadline`, or ended (`None`).
    pub(super) fn set_stale(&mut self, deadline: Option<tokio::time::Instant>) {
        self.stale = deadline;
    }

    /// Before a command line is written: the modem must be in command
    /// mode. Data mode that is ending on its own (a data handle dropped
    /// after its transfer ended or after `+++`, before the final result
    /// code was read) is waited out, within the default timeout, its
    /// unread payload dropped with the handle; otherwise the command is
    /// refused with [`ClientError::InDataMode`], as it would go to the
    /// peer as payload.
    pub(super) async fn ready_for_command(&mut self) -> Result<(), ClientError> {
        let (data, ending) = self.with_framer(|f| (f.in_data_mode(), f.data_ending()));
        if !data {
            return Ok(());
        }
        if ending {
            let ends_within = self.cfg.default_timeout.max(self.opened.timeout);
            match self.wait_final_within(ends_within, &mut Vec::new()).await {
                Ok(_) => return Ok(()),
                Err(ClientError::StillInData { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Err(ClientError::InDataMode)
    }

    /// Leaves data mode after a data handle was dropped without
    /// [`AsyncDataHandle::leave`](super::AsyncDataHandle::leave)
    /// (commands are then refused with [`ClientError::InDataMode`]), as
    /// `leave` would: the modem's final result code is waited for where
    /// data mode is ending on its own, else `+++` is sent framed by the
    /// client's guard time. The payload that came since the handle was
    /// dropped is in [`Left::unread`]. `None` when the modem is not in
    /// data mode and no final result code that ended it is waiting.
    pub async fn leave_data(&mut self) -> Result<Option<Left>, ClientError> {
        let guard = self.cfg.guard;
        self.leave_data_with(guard).await
    }

    /// [`AsyncClient::leave_data`] with another guard time (after
    /// [`ClientError::StillInData`], a longer one).
    pub async fn leave_data_with(&mut self, guard: Duration) -> Result<Option<Left>, ClientError> {
        let mut unread = Vec::new();
        let (data, ending) = self.with_framer(|f| (f.in_data_mode(), f.data_ending()));
        if !data {
            // The final result code that ended data mode may have come.
            while let Ok(f) = self.inbox.try_recv() {
                match f {
                    Frame::Data(d) => unread.extend_from_slice(&d),
                    Frame::Final(final_code) => return Ok(Some(self.left(final_code, unread))),
                    _ => {}
                }
            }
            return Ok(None);
        }
        let final_code = self.leave_inner(ending, guard, &mut unread).await?;
        Ok(Some(self.left(final_code, unread)))
    }

    /// Notes the command that opened data mode.
    pub(super) fn set_opened(&mut self, opened: super::Opened) {
        self.opened = opened;
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
    /// transparent mode. There [`AsyncClient::leave_data`] waits in vain
    /// ([`ClientError::StillInData`]), since the modem takes `+++` as the
    /// start of a command line. Gives the payload that came and was not
    /// read (the final result code that ended data mode among it, as the
    /// bytes it came as). What the line still brings is taken first, as
    /// payload, until it has been quiet for a moment
    /// (200 ms, within the default timeout), so that none of it
    /// is taken for the next command's answer.
    pub async fn forget_data_mode(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let deadline = super::deadline_tokio(tokio::time::Instant::now(), self.cfg.default_timeout);
        while tokio::time::Instant::now() < deadline {
            match tokio::time::timeout(super::QUIET, self.inbox.recv()).await {
                Ok(Some(Frame::Data(d))) => out.extend_from_slice(&d),
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        self.with_framer(|f| {
            f.leave_data_mode(|ev| {
                if let crate::framer::Event::Data(d) = ev {
                    out.extend_from_slice(d);
                }
            })
        });
        out
    }

    /// Leaves data mode: when `ending`, waits for the final result code
    /// first; without one (or when not `ending`) sends `+++` framed by
    /// `guard` and waits for it. The payload before it is added to
    /// `unread`.
    pub(super) async fn leave_inner(
        &mut self,
        ending: bool,
        guard: Duration,
        unread: &mut Vec<u8>,
    ) -> Result<Final, ClientError> {
        if ending {
            let ends_within = self.cfg.default_timeout.max(self.opened.timeout);
            match self.wait_final_within(ends_within, unread).await {
                // No final result code: the modem is still in data mode.
                Err(ClientError::StillInData { .. }) => {}
                r => return r,
            }
        }
        self.writer.flush().await?;
        tokio::time::sleep(guard).await;
        // The reader task frames the modem's `OK` as soon as it comes,
        // which may be before the second guard time has run out here: the
        // framer must know of the escape before `+++` leaves.
        self.with_framer(|f| f.escape_sent());
        self.writer.write_all(crate::guard::ESCAPE).await?;
        self.writer.flush().await?;
        tokio::time::sleep(guard).await;
        match self.wait_final(unread).await {
            Err(ClientError::StillInData { waited, .. }) => {
                Err(ClientError::StillInData { guard, waited })
            }
            r => r,
        }
    }

    /// Waits for the final result code that ends data mode (within the
    /// client's default timeout: [`ClientError::StillInData`] after it,
    /// with the client's guard time), the payload before it added to
    /// `unread`.
    async fn wait_final(&mut self, unread: &mut Vec<u8>) -> Result<Final, ClientError> {
        let timeout = self.cfg.default_timeout;
        self.wait_final_within(timeout, unread).await
    }

    /// [`AsyncClient::wait_final`] within `timeout`.
    async fn wait_final_within(
        &mut self,
        timeout: Duration,
        unread: &mut Vec<u8>,
    ) -> Result<Final, ClientError> {
        let inbox = &mut self.inbox;
        let wait = async {
            loop {
                match inbox.recv().await {
                    None => return Err(ClientError::Closed),
                    // `CONNECT` opened data mode: the answer of a
                    // cancelled exchange, not the end.
                    Some(Frame::Final(Final::Connect)) => {}
                    Some(Frame::Final(f)) => return Ok(f),
                    Some(Frame::Data(d)) => unread.extend_from_slice(&d),
                    Some(_) => {}
                }
            }
        };
        match tokio::time::timeout(timeout, wait).await {
            Ok(r) => r,
            Err(_) => Err(ClientError::StillInData {
                guard: self.cfg.guard,
                waited: timeout,
            }),
        }
    }

    pub(super) fn writer_mut(&mut self) -> &mut WriteHalf<IO> {
        &mut self.writer
    }

    pub(super) fn config_ref(&self) -> &ClientConfig {
        &self.cfg
    }
}

/// How much one read asks for: enough for what a fast line delivers while
/// the client is busy, so that it comes in one read, one frame and one
/// message to the client rather than several.
const READ_SIZE: usize = 64 * 1024;

/// The reader task's decoder: the client's [`WipCodec`], with each frame
/// routed to the inbox or the URC streams as soon as its chunk is framed,
/// under the same lock, so that a command sent meanwhile cannot take an
/// earlier line for its response.
struct Routing {
    shared: Arc<Shared>,
    routed: VecDeque<Routed>,
    /// Holds a URC back until its payload came.
    router: super::payloads::Router,
    /// Whether the framer held bytes after the last chunk (in data mode,
    /// bytes that may begin an indication): only then does the line's
    /// idleness matter, and the reader watch for it.
    holds: bool,
}

impl Routing {
    /// Frames and routes what `f` gives, unless frames are still waiting.
    fn fill(
        &mut self,
        mut f: impl FnMut(&mut WipCodec<'static>) -> std::io::Result<Option<Frame>>,
    ) -> std::io::Result<Option<Routed>> {
        if self.routed.is_empty() {
            let mut codec = self.shared.codec();
            let mut awaiting = self.shared.awaiting.load(Ordering::SeqCst);
            let d = codec.framer().dialect();
            while let Some(frame) = f(&mut codec)? {
                let routed = &mut self.routed;
                self.router
                    .route(d, frame, &mut awaiting, |r| routed.push_back(r));
            }
            self.holds = codec.framer().data_session().is_some() && codec.framer().holds_bytes();
            self.shared.awaiting.store(awaiting, Ordering::SeqCst);
        }
        Ok(self.routed.pop_front())
    }

    /// The line has been idle (see [`WipCodec::idle`]): the frames of
    /// the bytes released are routed and waiting.
    fn idle(&mut self) {
        let mut released = false;
        let first = self.fill(|codec| {
            if !released {
                released = true;
                codec.idle();
            }
            codec.decode(&mut BytesMut::new())
        });
        if let Ok(Some(r)) = first {
            self.routed.push_front(r);
        }
    }
}

impl Decoder for Routing {
    type Item = Routed;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> std::io::Result<Option<Routed>> {
        let r = self.fill(|codec| codec.decode(src));
        // The next read has room for a run of the line whole: the chunks
        // split off leave less and less of the buffer, and a read that
        // fills it is followed by another one at once.
        if src.capacity() < READ_SIZE / 2 {
            src.reserve(READ_SIZE);
        }
        r
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> std::io::Result<Option<Routed>> {
        self.fill(|codec| codec.decode_eof(src))
    }
}

/// Reads the port through the codec (each chunk frozen once; lines and
/// payload are slices of it) and hands frames out.
async fn read_loop<R: AsyncRead>(
    reader: ReadHalf<R>,
    shared: Arc<Shared>,
    inbox: mpsc::Sender<Frame>,
    urcs: broadcast::Sender<Urc>,
) {
    let routing = Routing {
        shared,
        routed: VecDeque::new(),
        router: super::payloads::Router::default(),
        holds: false,
    };
    let mut frames = FramedRead::with_capacity(reader, routing, READ_SIZE);
    loop {
        // The time is watched only while bytes are held, rather than with
        // a timer armed and dropped for every chunk.
        let next = if frames.decoder().holds {
            tokio::time::timeout(IDLE, frames.next()).await
        } else {
            Ok(frames.next().await)
        };
        match next {
            Ok(Some(Ok(r))) => {
                if !deliver(r, &inbox, &urcs).await {
                    return;
                }
            }
            Ok(Some(Err(_)) | None) => return,
            Err(_) => {
                frames.decoder_mut().idle();
                while let Some(r) = frames.decoder_mut().routed.pop_front() {
                    if !deliver(r, &inbox, &urcs).await {
                        return;
                    }
                }
            }
        }
    }
}

/// Hands one routed frame out; `false` once the client is gone.
async fn deliver(r: Routed, inbox: &mpsc::Sender<Frame>, urcs: &broadcast::Sender<Urc>) -> bool {
    match r {
        Routed::Inbox(e) => return inbox.send(e).await.is_ok(),
        // No subscriber is not an error: nobody wants URCs.
        Routed::Urc(u) => drop(urcs.send(u)),
        Routed::Drop => {}
    }
    true
}
