//! The async data mode handle (manual 6.1, 6.2): `AsyncRead` +
//! `AsyncWrite`, split into halves for two tasks.

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf, WriteHalf};
use tokio::sync::mpsc;

use super::asynch::Shared;
use super::data::WRITE_PIECE;
use super::{AsyncClient, ClientError, DataEvent, Frame, LeaveError, Left, SendError};
use crate::escape::{escape_into, ETX};
use crate::framer::{DataSession, Escaping, EtxMeaning};
use crate::result::Final;
use wip_schema::typed::TypedCommand;

/// What the reading side keeps between calls.
#[derive(Debug, Default)]
struct ReadState {
    /// Payload taken from the inbox and not read yet.
    unread: Bytes,
    /// A frame taken from the inbox while merging payload.
    peeked: Option<Frame>,
    /// The final result code that ended data mode.
    closed: Option<Final>,
    /// The modem marked the end of the transfer with an ETX whose meaning
    /// is [`EtxMeaning::EndOfData`]: its final result code follows.
    ended: bool,
    /// No more payload can come (the peer shut its side down, the transfer
    /// or data mode ended): reads give end of file from now on.
    eof: bool,
}

/// What the writing side keeps between calls: escaped bytes not yet
/// written.
#[derive(Debug, Default)]
struct WriteState {
    out: Vec<u8>,
    pos: usize,
    /// The host ended the transfer: a lone ETX meaning
    /// [`EtxMeaning::EndOfData`] went out.
    ended: bool,
}

/// The async line in data mode: payload in and out, escaping hidden, the
/// session (escaping, the meaning of ETX) the one the spec gives the
/// command's form. It is an [`AsyncRead`] + [`AsyncWrite`] (writes are
/// buffered: flush, or use [`AsyncDataHandle::send`]), splits into a
/// reader and a writer ([`AsyncDataHandle::split`]), and leaves data mode
/// with [`AsyncDataHandle::leave`].
///
/// Dropping the handle instead leaves the modem in data mode, and its
/// unread payload is dropped with it. Where the transfer had ended on its
/// own, the next command first waits for the modem's final result code;
/// otherwise the client refuses commands
/// ([`ClientError::InDataMode`](super::ClientError::InDataMode), nothing
/// is written: the peer would get them as payload) until
/// [`AsyncClient::leave_data`](super::AsyncClient::leave_data).
pub struct AsyncDataHandle<'c, IO> {
    client: &'c mut AsyncClient<IO>,
    session: DataSession,
    rd: ReadState,
    wr: WriteState,
}

impl<IO> fmt::Debug for AsyncDataHandle<'_, IO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncDataHandle")
            .field("session", &self.session)
            .field("unread", &self.rd.unread.len())
            .finish_non_exhaustive()
    }
}

impl<IO> AsyncClient<IO>
where
    IO: AsyncRead + AsyncWrite + Send + 'static,
{
    /// Sends a command line that opens data mode and gives the handle once
    /// `CONNECT` came. Prefer [`AsyncClient::data_typed`].
    pub async fn data(&mut self, line: &str) -> Result<AsyncDataHandle<'_, IO>, ClientError> {
        let timeout = self.timeout_of(line);
        let reply = self.exchange(line, timeout).await?;
        if reply.final_code != Final::Connect {
            return Err(ClientError::NoConnect {
                command: line.to_owned(),
                final_code: reply.final_code,
            });
        }
        self.set_opened(super::Opened::of(line, timeout));
        Ok(self.handle())
    }

    /// Sends a typed request whose form opens a data session (its outcome
    /// in the spec) and gives the handle once `CONNECT` came; `+CME ERROR`
    /// comes back typed, as from [`AsyncClient::send`].
    pub async fn data_typed<C: TypedCommand>(
        &mut self,
        req: &C,
    ) -> Result<AsyncDataHandle<'_, IO>, SendError<C::Error>> {
        let dialect = self.with_framer(|f| f.dialect());
        let (line, parsed) = super::typed::prepare(dialect, req)?;
        if DataSession::for_command(dialect, &parsed).is_none() {
            return Err(SendError::NotData(line));
        }
        let timeout = Duration::from_millis(u64::from(C::TIMEOUT_MS));
        let reply = self.exchange_inner(&line, Some(&parsed), timeout).await?;
        let answer = super::typed::answer::<C>(reply)?;
        if answer.final_code != Final::Connect {
            return Err(SendError::Client(ClientError::NoConnect {
                command: line,
                final_code: answer.final_code,
            }));
        }
        self.set_opened(super::Opened::of(&line, timeout));
        Ok(self.handle())
    }

    fn handle(&mut self) -> AsyncDataHandle<'_, IO> {
        let session = self.with_framer(|f| f.data_session()).unwrap_or_default();
        AsyncDataHandle {
            client: self,
            session,
            rd: ReadState::default(),
            wr: WriteState::default(),
        }
    }
}

/// The next frame of data mode: the one kept back, else the inbox's.
fn poll_frame(
    inbox: &mut mpsc::Receiver<Frame>,
    rd: &mut ReadState,
    cx: &mut Context<'_>,
) -> Poll<Option<Frame>> {
    if let Some(f) = rd.peeked.take() {
        return Poll::Ready(Some(f));
    }
    inbox.poll_recv(cx)
}

/// The next data event, all the payload already there merged.
fn poll_event(
    inbox: &mut mpsc::Receiver<Frame>,
    rd: &mut ReadState,
    cx: &mut Context<'_>,
) -> Poll<Result<DataEvent, ClientError>> {
    if !rd.unread.is_empty() {
        return Poll::Ready(Ok(DataEvent::Data(std::mem::take(&mut rd.unread))));
    }
    if let Some(f) = rd.closed {
        return Poll::Ready(Ok(DataEvent::Closed(f)));
    }
    loop {
        let ev = match ready!(poll_frame(inbox, rd, cx)) {
            None => return Poll::Ready(Err(ClientError::Closed)),
            Some(Frame::Data(first)) => {
                let mut many: Option<BytesMut> = None;
                loop {
                    match inbox.try_recv() {
                        Ok(Frame::Data(d)) => {
                            let m = many.get_or_insert_with(|| {
                                let mut m = BytesMut::with_capacity(first.len() + d.len());
                                m.extend_from_slice(&first);
                                m
                            });
                            m.extend_from_slice(&d);
                        }
                        Ok(other) => {
                            rd.peeked = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                DataEvent::Data(many.map_or(first, BytesMut::freeze))
            }
            Some(Frame::EndOfData(m)) => {
                rd.ended |= m == Some(EtxMeaning::EndOfData);
                rd.eof |= super::data::last_etx(m);
                DataEvent::EndOfData(m)
            }
            Some(Frame::Shutdown) => {
                rd.eof = true;
                DataEvent::Shutdown
            }
            Some(Frame::Final(f)) => {
                rd.closed = Some(f);
                DataEvent::Closed(f)
            }
            Some(_) => continue,
        };
        return Poll::Ready(Ok(ev));
    }
}

/// [`AsyncRead::poll_read`] of payload: end of file (0 bytes) at an ETX
/// mark, a SHUTDOWN or the end of data mode; an `UnexpectedEof` error when
/// the port closed in data mode (the data may be cut short), as the
/// blocking handle's read errs.
fn poll_read_data(
    inbox: &mut mpsc::Receiver<Frame>,
    rd: &mut ReadState,
    cx: &mut Context<'_>,
    buf: &mut ReadBuf<'_>,
) -> Poll<io::Result<()>> {
    if buf.remaining() == 0 || (rd.unread.is_empty() && rd.eof) {
        return Poll::Ready(Ok(()));
    }
    if rd.unread.is_empty() {
        match ready!(poll_event(inbox, rd, cx)) {
            Ok(DataEvent::Data(d)) => rd.unread = d,
            Ok(_) => return Poll::Ready(Ok(())),
            Err(ClientError::Closed) => {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    ClientError::Closed,
                )))
            }
            Err(e) => return Poll::Ready(Err(io::Error::other(e))),
        }
    }
    let n = buf.remaining().min(rd.unread.len());
    buf.put_slice(rd.unread.get(..n).unwrap_or_default());
    rd.unread.advance(n);
    Poll::Ready(Ok(()))
}

/// Writes what is left of the escaped bytes.
fn poll_drain<W: AsyncWrite + Unpin>(
    w: &mut W,
    wr: &mut WriteState,
    cx: &mut Context<'_>,
) -> Poll<io::Result<()>> {
    while let Some(rest) = wr.out.get(wr.pos..).filter(|r| !r.is_empty()) {
        let n = ready!(Pin::new(&mut *w).poll_write(cx, rest))?;
        if n == 0 {
            return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
        }
        wr.pos += n;
    }
    wr.out.clear();
    wr.pos = 0;
    Poll::Ready(Ok(()))
}

/// [`AsyncWrite::poll_write`] of payload: the earlier bytes go first, then
/// up to [`WRITE_PIECE`] bytes of `buf` are taken, escaped, and written as
/// far as the port takes them; gives how many were taken.
fn poll_write_data<W: AsyncWrite + Unpin>(
    w: &mut W,
    wr: &mut WriteState,
    escaping: Escaping,
    cx: &mut Context<'_>,
    buf: &[u8],
) -> Poll<io::Result<usize>> {
    ready!(poll_drain(w, wr, cx))?;
    let piece = buf.get(..WRITE_PIECE).unwrap_or(buf);
    match escaping {
        Escaping::Continuous => escape_into(piece, &mut wr.out),
        Escaping::Transparent => wr.out.extend_from_slice(piece),
    }
    if let Poll::Ready(Err(e)) = poll_drain(w, wr, cx) {
        return Poll::Ready(Err(e));
    }
    Poll::Ready(Ok(piece.len()))
}

fn poll_flush_data<W: AsyncWrite + Unpin>(
    w: &mut W,
    wr: &mut WriteState,
    cx: &mut Context<'_>,
) -> Poll<io::Result<()>> {
    ready!(poll_drain(w, wr, cx))?;
    Pin::new(w).poll_flush(cx)
}

async fn send_all<W: AsyncWrite + Unpin>(
    w: &mut W,
    wr: &mut WriteState,
    escaping: Escaping,
    payload: &[u8],
) -> io::Result<()> {
    let mut rest = payload;
    while !rest.is_empty() {
        let n = poll_fn(|cx| poll_write_data(w, wr, escaping, cx, rest)).await?;
        rest = rest.get(n..).unwrap_or_default();
    }
    poll_fn(|cx| poll_drain(w, wr, cx)).await
}

/// Writes a lone ETX. `ends`: it ends the transfer, and the framer of the
/// client's reader task is told so before it leaves
/// ([`Framer::etx_sent`](crate::framer::Framer::etx_sent), so that the
/// modem's answer cannot be framed first); noted in `wr` too.
async fn send_etx<W: AsyncWrite + Unpin>(
    w: &mut W,
    wr: &mut WriteState,
    escaping: Escaping,
    ends: Option<&Shared>,
) -> Result<(), ClientError> {
    if escaping == Escaping::Transparent {
        return Err(ClientError::Transparent);
    }
    poll_fn(|cx| poll_drain(w, wr, cx)).await?;
    if let Some(shared) = ends {
        shared.codec().framer_mut().etx_sent();
        wr.ended = true;
    }
    wr.out.push(ETX);
    poll_fn(|cx| poll_drain(w, wr, cx)).await?;
    // What the modem answers waits for this byte: none of it may stay in
    // a buffer of the transport.
    poll_fn(|cx| Pin::new(&mut *w).poll_flush(cx)).await?;
    Ok(())
}

async fn recv_within(
    inbox: &mut mpsc::Receiver<Frame>,
    rd: &mut ReadState,
    timeout: Duration,
) -> Result<Option<DataEvent>, ClientError> {
    match tokio::time::timeout(timeout, poll_fn(|cx| poll_event(inbox, rd, cx))).await {
        Ok(r) => r.map(Some),
        Err(_) => Ok(None),
    }
}

impl<'c, IO> AsyncDataHandle<'c, IO>
where
    IO: AsyncRead + AsyncWrite + Send + 'static,
{
    /// The session: escaping and the meaning of ETX.
    pub fn session(&self) -> DataSession {
        self.session
    }

    /// Sends payload, escaped in continuous mode, and writes it out.
    ///
    /// DLE and ETX are escaped; `+` is not, as the manual has no escape
    /// for it: three `+` written alone, with silences of the modem's guard
    /// time before and after, are the escape sequence (6.2.4), and the
    /// modem leaves data mode (its `OK` then comes as `DataEvent::Closed`).
    /// Payload that may hold `+++` goes out with other bytes around it.
    pub async fn send(&mut self, payload: &[u8]) -> Result<(), ClientError> {
        let w = self.client.writer_mut();
        send_all(w, &mut self.wr, self.session.escaping, payload).await?;
        Ok(())
    }

    /// Sends a lone ETX (continuous mode only, 6.2.2.3). Where it ends
    /// the transfer (a `+WIPFILE` upload), the modem goes back to command
    /// mode by itself: [`AsyncDataHandle::leave`] then takes its final
    /// result code without `+++`.
    pub async fn end_of_data(&mut self) -> Result<(), ClientError> {
        let ends = self.session.etx == Some(EtxMeaning::EndOfData);
        let client = &mut *self.client;
        let shared = ends.then_some(&*client.shared);
        send_etx(
            &mut client.writer,
            &mut self.wr,
            self.session.escaping,
            shared,
        )
        .await
    }

    /// The next thing from the modem, waiting at most `timeout`; `None`
    /// when nothing came. The payload that came is merged into one
    /// [`DataEvent::Data`].
    pub async fn recv(&mut self, timeout: Duration) -> Result<Option<DataEvent>, ClientError> {
        recv_within(&mut self.client.inbox, &mut self.rd, timeout).await
    }

    /// Splits the handle into a reader and a writer, to use from two
    /// futures at once (`tokio::join!`, `tokio::select!`); the halves
    /// borrow the handle, which is usable again once both are dropped:
    /// still in data mode, to be left with [`AsyncDataHandle::leave`].
    pub fn split(&mut self) -> (AsyncDataReader<'_>, AsyncDataWriter<'_, IO>) {
        let escaping = self.session.escaping;
        let client = &mut *self.client;
        let reader = AsyncDataReader {
            inbox: &mut client.inbox,
            rd: &mut self.rd,
        };
        let writer = AsyncDataWriter {
            w: &mut client.writer,
            wr: &mut self.wr,
            escaping,
            ends: (self.session.etx == Some(EtxMeaning::EndOfData)).then_some(&*client.shared),
        };
        (reader, writer)
    }

    /// Leaves data mode with `+++` framed by the client's guard time and
    /// waits for the modem's final result code (6.2.4). On failure the
    /// handle comes back inside the error, still in data mode; after
    /// [`ClientError::StillInData`], try [`AsyncDataHandle::leave_with`] a
    /// longer guard time.
    ///
    /// When data mode has ended, or is ending, on its own, no `+++` is
    /// sent (the modem, back in command mode, would take it as the start of
    /// the next command line): after the modem's final result code, after
    /// an ETX from the modem that ends the transfer (a `+WIPFILE`
    /// download), or after [`AsyncDataHandle::end_of_data`] where the ETX
    /// ends it (an upload), the final result code is waited for (within
    /// the client's default timeout; `+++` is sent only if none comes).
    ///
    /// A `+++` the modem did not take as an escape was data to it: it
    /// went to the peer like any other payload (6.2.4).
    ///
    /// The error holds the handle, which borrows the client, so it cannot
    /// leave the function that owns the client: to pass it on with `?`,
    /// turn it into the [`ClientError`] it carries first,
    /// `handle.leave().await.map_err(ClientError::from)?`.
    pub async fn leave(self) -> Result<Left, LeaveError<Self>> {
        let guard = self.client.config_ref().guard;
        self.leave_with(guard).await
    }

    /// [`AsyncDataHandle::leave`] with another guard time.
    pub async fn leave_with(mut self, guard: Duration) -> Result<Left, LeaveError<Self>> {
        let mut unread = std::mem::take(&mut self.rd.unread).to_vec();
        match self.rd.peeked.take() {
            Some(Frame::Data(d)) => unread.extend_from_slice(&d),
            Some(Frame::Final(f)) => self.rd.closed = Some(f),
            _ => {}
        }
        if let Some(final_code) = self.rd.closed {
            return Ok(self.client.left(final_code, unread));
        }
        // Data mode has ended, or is ending, on its own: `+++` would be
        // the start of the next command line to the modem.
        // The framer may have framed the modem's ending ETX (a download
        // read to its size) before the app read the mark.
        let ending = self.rd.ended
            || self.wr.ended
            || self
                .client
                .with_framer(|f| !f.in_data_mode() || f.data_ending());
        let flushed = {
            let w = self.client.writer_mut();
            poll_fn(|cx| poll_flush_data(w, &mut self.wr, cx)).await
        };
        let left = match flushed {
            Ok(()) => self.client.leave_inner(ending, guard, &mut unread).await,
            Err(e) => Err(e.into()),
        };
        match left {
            Ok(final_code) => Ok(self.client.left(final_code, unread)),
            Err(e) => {
                self.rd.unread = unread.into();
                Err(LeaveError::new(self, e))
            }
        }
    }
}

impl<IO> AsyncRead for AsyncDataHandle<'_, IO>
where
    IO: AsyncRead + AsyncWrite + Send + 'static,
{
    /// Reads payload; end of file (0 bytes) at an ETX mark, a SHUTDOWN or
    /// the end of data mode, and an `UnexpectedEof` error when the port
    /// closed meanwhile (the data may be cut short). After the end of a
    /// datagram (UDP) the next read waits for the next datagram; after a
    /// TCP peer's shutdown, the end of a transfer or of data mode, every
    /// read gives end of file.
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        poll_read_data(&mut this.client.inbox, &mut this.rd, cx, buf)
    }
}

impl<IO> AsyncWrite for AsyncDataHandle<'_, IO>
where
    IO: AsyncRead + AsyncWrite + Send + 'static,
{
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let escaping = this.session.escaping;
        poll_write_data(this.client.writer_mut(), &mut this.wr, escaping, cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        poll_flush_data(this.client.writer_mut(), &mut this.wr, cx)
    }

    /// Flushes; the port stays open and the modem in data mode (leave
    /// with [`AsyncDataHandle::leave`]).
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// The reading half of an [`AsyncDataHandle`], from
/// [`AsyncDataHandle::split`].
pub struct AsyncDataReader<'a> {
    inbox: &'a mut mpsc::Receiver<Frame>,
    rd: &'a mut ReadState,
}

impl fmt::Debug for AsyncDataReader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncDataReader")
            .field("unread", &self.rd.unread.len())
            .finish_non_exhaustive()
    }
}

impl AsyncDataReader<'_> {
    /// See [`AsyncDataHandle::recv`].
    pub async fn recv(&mut self, timeout: Duration) -> Result<Option<DataEvent>, ClientError> {
        recv_within(self.inbox, self.rd, timeout).await
    }
}

impl AsyncRead for AsyncDataReader<'_> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        poll_read_data(this.inbox, this.rd, cx, buf)
    }
}

/// The writing half of an [`AsyncDataHandle`], from
/// [`AsyncDataHandle::split`]: payload escaped as the session wants it.
pub struct AsyncDataWriter<'a, IO> {
    w: &'a mut WriteHalf<IO>,
    wr: &'a mut WriteState,
    escaping: Escaping,
    /// Where a lone ETX ends the transfer in this session: what the
    /// client's reader task frames with, told of it.
    ends: Option<&'a Shared>,
}

impl<IO> fmt::Debug for AsyncDataWriter<'_, IO> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncDataWriter")
            .field("escaping", &self.escaping)
            .finish_non_exhaustive()
    }
}

impl<IO: AsyncWrite> AsyncDataWriter<'_, IO> {
    /// Sends payload, escaped in continuous mode, and writes it out.
    ///
    /// DLE and ETX are escaped; `+` is not, as the manual has no escape
    /// for it: three `+` written alone, with silences of the modem's guard
    /// time before and after, are the escape sequence (6.2.4), and the
    /// modem leaves data mode (its `OK` then comes as `DataEvent::Closed`).
    /// Payload that may hold `+++` goes out with other bytes around it.
    pub async fn send(&mut self, payload: &[u8]) -> Result<(), ClientError> {
        send_all(self.w, self.wr, self.escaping, payload).await?;
        Ok(())
    }

    /// Sends a lone ETX (continuous mode only, 6.2.2.3).
    pub async fn end_of_data(&mut self) -> Result<(), ClientError> {
        send_etx(self.w, self.wr, self.escaping, self.ends).await
    }
}

impl<IO: AsyncWrite> AsyncWrite for AsyncDataWriter<'_, IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        poll_write_data(this.w, this.wr, this.escaping, cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        poll_flush_data(this.w, this.wr, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}
