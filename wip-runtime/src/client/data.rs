//! The blocking data mode handle (manual 6.1, 6.2).

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Buf, Bytes, BytesMut};

use super::{Client, ClientError, Frame, Opened, SendError};
use crate::escape::{escape_into, ETX};
use crate::framer::{DataSession, Escaping, EtxMeaning};
use crate::transport::Transport;
use wip_schema::typed::FromCode;
use wip_schema::typed::TypedCommand;
use wip_schema::Final;

/// What came from the modem in data mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataEvent {
    /// Payload, unescaped; all the payload that had come, merged.
    Data(Bytes),
    /// A lone ETX (end of datagram, TCP shutdown, end of file; 6.2.2.3);
    /// `None` when the session's meaning of ETX is not known.
    EndOfData(Option<EtxMeaning>),
    /// `\r\nSHUTDOWN\r\n`: the peer shut the connection down (6.2.11.1).
    Shutdown,
    /// Data mode ended with this final result code (`+CME ERROR: 843` on
    /// a reset, 6.2.5).
    Closed(Final),
}

/// How data mode ended, from [`DataHandle::leave`]. The modem is back in
/// command mode, but the transfer may have failed: an upload the server
/// refused ends with `+CME ERROR: 884` (an SMTP body), a TCP reset with
/// 843. [`Left::check`] gives such an end as the typed refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// The final result code that ended data mode (`OK` after `+++`).
    pub final_code: Final,
    /// Payload that came before it and was not read.
    pub unread: Vec<u8>,
    /// The command that opened data mode: `AT` and its name
    /// (`AT+WIPFILE`).
    pub command: String,
}

impl Left {
    /// `Ok` when data mode ended with a success (`OK`); else the failure
    /// typed as [`Client::send`] types a refusal: `+CME ERROR: <code>` as
    /// [`SendError::Refused`] with the spec's error enum
    /// (`left.check::<CmeError>()?`), another failure code as
    /// [`SendError::Failed`], both naming the command that opened data
    /// mode.
    pub fn check<E: FromCode>(&self) -> Result<(), SendError<E>> {
        match self.final_code {
            Final::CmeError(Some(code)) => Err(SendError::Refused {
                error: E::from_code(code),
                code,
                command: self.command.clone(),
            }),
            final_code if final_code.is_error() => Err(SendError::Failed {
                final_code,
                command: self.command.clone(),
            }),
            _ => Ok(()),
        }
    }
}

/// Leaving data mode failed; the handle is given back, still in data mode,
/// to read on or leave again ([`DataHandle::leave_with`] a longer guard
/// time after [`ClientError::StillInData`]).
///
/// It borrows the client through the handle: `ClientError::from` (or
/// [`LeaveError::into_error`]) gives the error alone, to return with `?`
/// from a function that returns `Box<dyn Error>`.
pub struct LeaveError<H> {
    // Boxed: the handle is large and the error path is rare.
    handle: Box<H>,
    error: ClientError,
}

impl<H> LeaveError<H> {
    pub(crate) fn new(handle: H, error: ClientError) -> Self {
        LeaveError {
            handle: Box::new(handle),
            error,
        }
    }

    /// Why leaving failed.
    pub fn error(&self) -> &ClientError {
        &self.error
    }

    /// The handle, still in data mode.
    pub fn into_handle(self) -> H {
        *self.handle
    }

    /// The error alone, what `?` can pass on. The handle is dropped while
    /// the modem is still in data mode: to leave again, keep it
    /// ([`LeaveError::into_handle`]).
    pub fn into_error(self) -> ClientError {
        self.error
    }

    /// The handle and the error.
    pub fn into_parts(self) -> (H, ClientError) {
        (*self.handle, self.error)
    }
}

impl<H> fmt::Debug for LeaveError<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeaveError")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<H> fmt::Display for LeaveError<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl<H> std::error::Error for LeaveError<H> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<H> From<LeaveError<H>> for ClientError {
    fn from(e: LeaveError<H>) -> Self {
        e.error
    }
}

/// What the reading side keeps between calls.
#[derive(Debug, Default)]
pub(crate) struct ReadState {
    /// Payload taken from the inbox and not read yet.
    pub(crate) unread: Bytes,
    /// The final result code that ended data mode.
    pub(crate) closed: Option<Final>,
    /// The modem marked the end of the transfer with an ETX whose meaning
    /// is [`EtxMeaning::EndOfData`]: it goes back to command mode by
    /// itself, and its final result code follows.
    pub(crate) ended: bool,
    /// No more payload can come (the peer shut its side down, the transfer
    /// ended): reads give end of file from now on.
    pub(crate) eof: bool,
}

/// Whether an ETX from the modem with this meaning is the last payload of
/// the session: a TCP peer's shutdown, the end of a transfer; not the end
/// of one datagram, after which others come.
pub(crate) fn last_etx(m: Option<EtxMeaning>) -> bool {
    matches!(m, Some(EtxMeaning::Shutdown | EtxMeaning::EndOfData))
}

/// The line in data mode: payload in and out, escaping hidden; the session
/// (escaping, the meaning of ETX) is the one the spec gives the command's
/// form. It reads and writes as a [`Read`] + [`Write`], or splits into a
/// reader and a writer for two threads ([`DataHandle::split`]). Leave with
/// [`DataHandle::leave`], also once a transfer has ended on its own (a
/// `+WIPFILE` download read to its ETX, an upload ended with
/// [`DataHandle::end_of_data`]): it then takes the modem's final result
/// code without sending `+++`.
///
/// Dropping the handle instead leaves the modem in data mode, and its
/// unread payload is dropped with it. Where the transfer had ended on its
/// own, the next command first waits for the modem's final result code;
/// otherwise the client refuses commands ([`ClientError::InDataMode`],
/// nothing is written: the peer would get them as payload) until
/// [`Client::leave_data`].
pub struct DataHandle<'c, 'd, T: Transport> {
    client: &'c mut Client<'d, T>,
    session: DataSession,
    rd: ReadState,
    scratch: Vec<u8>,
    /// The host ended the transfer: an ETX meaning
    /// [`EtxMeaning::EndOfData`] was sent (from the handle or its writer
    /// half).
    host_ended: Arc<AtomicBool>,
}

impl<T: Transport> fmt::Debug for DataHandle<'_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataHandle")
            .field("session", &self.session)
            .field("unread", &self.rd.unread.len())
            .field("closed", &self.rd.closed)
            .finish_non_exhaustive()
    }
}

impl<'d, T: Transport> Client<'d, T> {
    /// Sends a command line that opens data mode (`AT+WIPDATA=2,1,1`) and
    /// gives the handle once `CONNECT` came. Prefer [`Client::data_typed`].
    pub fn data(&mut self, line: &str) -> Result<DataHandle<'_, 'd, T>, ClientError> {
        let timeout = self.timeout_of(line);
        let reply = self.exchange(line, timeout)?;
        if reply.final_code != Final::Connect {
            return Err(ClientError::NoConnect {
                command: line.to_owned(),
                final_code: reply.final_code,
            });
        }
        self.opened = Opened::of(line, timeout);
        Ok(self.handle())
    }

    /// Sends a typed request whose form opens a data session (continuous
    /// or transparent mode after `CONNECT`, as its outcome in the spec
    /// says) and gives the handle once `CONNECT` came; `+CME ERROR` comes
    /// back typed, as from [`Client::send`].
    pub fn data_typed<C: TypedCommand>(
        &mut self,
        req: &C,
    ) -> Result<DataHandle<'_, 'd, T>, SendError<C::Error>> {
        let (line, parsed) = super::typed::prepare(self.framer.dialect(), req)?;
        if DataSession::for_command(self.framer.dialect(), &parsed).is_none() {
            return Err(SendError::NotData(line));
        }
        let timeout = Duration::from_millis(u64::from(C::TIMEOUT_MS));
        let reply = self.exchange_inner(&line, Some(&parsed), timeout)?;
        let answer = super::typed::answer::<C>(reply)?;
        if answer.final_code != Final::Connect {
            return Err(SendError::Client(ClientError::NoConnect {
                command: line,
                final_code: answer.final_code,
            }));
        }
        self.opened = Opened::of(&line, timeout);
        Ok(self.handle())
    }

    fn handle(&mut self) -> DataHandle<'_, 'd, T> {
        let session = self.framer.data_session().unwrap_or_default();
        DataHandle {
            client: self,
            session,
            rd: ReadState::default(),
            scratch: Vec::new(),
            host_ended: Arc::default(),
        }
    }

    /// The next thing from the modem in data mode, waiting at most
    /// `timeout`; all the payload that came is merged into one event.
    fn recv_data(
        &mut self,
        rd: &mut ReadState,
        timeout: Duration,
    ) -> Result<Option<DataEvent>, ClientError> {
        if !rd.unread.is_empty() {
            return Ok(Some(DataEvent::Data(std::mem::take(&mut rd.unread))));
        }
        if let Some(f) = rd.closed {
            return Ok(Some(DataEvent::Closed(f)));
        }
        let deadline = super::deadline(Instant::now(), timeout);
        loop {
            let mut one: Option<Bytes> = None;
            let mut many = BytesMut::new();
            while let Some(Frame::Data(_)) = self.inbox.front() {
                let Some(Frame::Data(d)) = self.inbox.pop_front() else {
                    break;
                };
                match one.take() {
                    None if many.is_empty() => one = Some(d),
                    None => many.extend_from_slice(&d),
                    Some(prev) => {
                        many.reserve(prev.len() + d.len());
                        many.extend_from_slice(&prev);
                        many.extend_from_slice(&d);
                    }
                }
            }
            if let Some(d) = one.or_else(|| (!many.is_empty()).then(|| many.freeze())) {
                return Ok(Some(DataEvent::Data(d)));
            }
            let out = match self.inbox.pop_front() {
                Some(Frame::EndOfData(m)) => {
                    rd.ended |= m == Some(EtxMeaning::EndOfData);
                    rd.eof |= last_etx(m);
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
                None if Instant::now() >= deadline => return Ok(None),
                None => {
                    self.pump(deadline)?;
                    continue;
                }
            };
            return Ok(Some(out));
        }
    }

    /// [`Read::read`] of payload: 0 at an ETX mark, a SHUTDOWN or the end
    /// of data mode; `TimedOut` when nothing came within the default
    /// timeout.
    fn read_data(&mut self, rd: &mut ReadState, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() || (rd.unread.is_empty() && rd.eof) {
            return Ok(0);
        }
        if rd.unread.is_empty() {
            let timeout = self.cfg.default_timeout;
            match self.recv_data(rd, timeout).map_err(io::Error::other)? {
                Some(DataEvent::Data(d)) => rd.unread = d,
                Some(_) => return Ok(0),
                None => return Err(io::ErrorKind::TimedOut.into()),
            }
        }
        let n = out.len().min(rd.unread.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), rd.unread.get(..n)) {
            dst.copy_from_slice(src);
        }
        rd.unread.advance(n);
        Ok(n)
    }
}

/// Payload escaped and written at a time: a write of more is cut into
/// pieces of this size, so that the first bytes are on the line while the
/// rest is still being escaped, and the escaped copy stays small whatever
/// the size of the write.
pub(crate) const WRITE_PIECE: usize = 16 * 1024;

/// Writes payload as the session wants it: escaped in continuous mode, a
/// piece of [`WRITE_PIECE`] bytes at a time.
fn write_payload<W: Write + ?Sized>(
    io: &mut W,
    escaping: Escaping,
    scratch: &mut Vec<u8>,
    payload: &[u8],
) -> io::Result<()> {
    match escaping {
        Escaping::Continuous => {
            for piece in payload.chunks(WRITE_PIECE) {
                scratch.clear();
                escape_into(piece, scratch);
                io.write_all(scratch)?;
            }
            Ok(())
        }
        Escaping::Transparent => io.write_all(payload),
    }
}

/// The part of `buf` one [`Write::write`] takes: at most [`WRITE_PIECE`]
/// bytes.
fn piece(buf: &[u8]) -> &[u8] {
    buf.get(..WRITE_PIECE).unwrap_or(buf)
}

/// Writes a lone ETX. Where the session's ETX ends the transfer, the
/// flags of `ends` are set first (so that the modem's answer cannot be
/// framed before): the one the client's reads look at
/// ([`Client::etx_sent`](super::Client)) and the handle's.
fn write_etx<W: Write + ?Sized>(
    io: &mut W,
    escaping: Escaping,
    ends: Option<&Ends>,
) -> Result<(), ClientError> {
    if escaping == Escaping::Transparent {
        return Err(ClientError::Transparent);
    }
    if let Some(e) = ends {
        e.framer.store(true, Ordering::Release);
        e.handle.store(true, Ordering::Release);
    }
    io.write_all(&[ETX])?;
    // What the modem answers waits for this byte: nothing of the payload
    // before it may stay in a buffer of the transport.
    io.flush()?;
    Ok(())
}

/// What a lone ETX that ends the transfer sets (see [`write_etx`]).
#[derive(Debug, Clone, Default)]
struct Ends {
    /// Read by the client before it frames a read.
    framer: Arc<AtomicBool>,
    /// Read by [`DataHandle::leave`].
    handle: Arc<AtomicBool>,
}

impl<'c, 'd, T: Transport> DataHandle<'c, 'd, T> {
    /// The session: escaping and the meaning of ETX.
    pub fn session(&self) -> DataSession {
        self.session
    }

    /// Sends payload, escaped in continuous mode.
    ///
    /// DLE and ETX are escaped; `+` is not, as the manual has no escape
    /// for it: three `+` written alone, with silences of the modem's guard
    /// time before and after, are the escape sequence (6.2.4), and the
    /// modem leaves data mode (its `OK` then comes as `DataEvent::Closed`).
    /// Payload that may hold `+++` goes out with other bytes around it.
    pub fn send(&mut self, payload: &[u8]) -> Result<(), ClientError> {
        write_payload(
            &mut self.client.io,
            self.session.escaping,
            &mut self.scratch,
            payload,
        )?;
        Ok(())
    }

    /// Sends a lone ETX: the end of a datagram (UDP), a shutdown (TCP) or
    /// the end of the file (`+WIPFILE`); continuous mode only (6.2.2.3).
    ///
    /// Where the ETX ends the transfer, the modem then goes back to
    /// command mode by itself: [`DataHandle::leave`] takes its final
    /// result code without `+++`.
    pub fn end_of_data(&mut self) -> Result<(), ClientError> {
        let ends = self.ends();
        write_etx(&mut self.client.io, self.session.escaping, ends.as_ref())
    }

    /// What a lone ETX sets in this session, where it ends the transfer.
    fn ends(&self) -> Option<Ends> {
        (self.session.etx == Some(EtxMeaning::EndOfData)).then(|| Ends {
            framer: Arc::clone(&self.client.etx_sent),
            handle: Arc::clone(&self.host_ended),
        })
    }

    /// The next thing from the modem, waiting at most `timeout`; `None`
    /// when nothing came. The payload that came is merged into one
    /// [`DataEvent::Data`].
    pub fn recv(&mut self, timeout: Duration) -> Result<Option<DataEvent>, ClientError> {
        self.client.recv_data(&mut self.rd, timeout)
    }

    /// Splits the handle into a reader (on this client) and a writer (on a
    /// second handle of the transport, [`Transport::try_clone_writer`]),
    /// to use from two threads (`std::thread::scope`); the halves
    /// borrow the handle, which is usable again once both are dropped:
    /// still in data mode, to be left with [`DataHandle::leave`].
    pub fn split(&mut self) -> io::Result<(DataReader<'_, 'd, T>, DataWriter)> {
        let io = self.client.io.try_clone_writer()?;
        let writer = DataWriter {
            io,
            escaping: self.session.escaping,
            scratch: Vec::new(),
            ends: self.ends(),
        };
        let reader = DataReader {
            client: &mut *self.client,
            rd: &mut self.rd,
        };
        Ok((reader, writer))
    }

    /// Leaves data mode with `+++` framed by the client's guard time and
    /// waits for the modem's final result code (6.2.4). On failure the
    /// handle comes back inside the error, still in data mode; after
    /// [`ClientError::StillInData`], try [`DataHandle::leave_with`] a
    /// longer guard time.
    ///
    /// When data mode has ended, or is ending, on its own, no `+++` is
    /// sent (the modem, back in command mode, would take it as the start of
    /// the next command line): after the modem's final result code, after
    /// an ETX from the modem that ends the transfer (a `+WIPFILE`
    /// download), or after [`DataHandle::end_of_data`] where the ETX ends
    /// it (an upload), the final result code is waited for (within the
    /// client's default timeout; `+++` is sent only if none comes).
    ///
    /// A `+++` the modem did not take as an escape was data to it: it
    /// went to the peer like any other payload (6.2.4).
    ///
    /// The error holds the handle, which borrows the client, so it cannot
    /// leave the function that owns the client: to pass it on with `?`,
    /// turn it into the [`ClientError`] it carries first,
    /// `handle.leave().map_err(ClientError::from)?`.
    pub fn leave(self) -> Result<Left, LeaveError<Self>> {
        let guard = self.client.cfg.guard;
        self.leave_with(guard)
    }

    /// [`DataHandle::leave`] with another guard time.
    pub fn leave_with(mut self, guard: Duration) -> Result<Left, LeaveError<Self>> {
        let mut unread = std::mem::take(&mut self.rd.unread).to_vec();
        if let Some(final_code) = self.rd.closed {
            return Ok(self.client.left(final_code, unread));
        }
        // The framer may have framed the modem's ending ETX (a download
        // read to its size) before the app read the mark.
        let ending = self.rd.ended
            || self.host_ended.load(Ordering::Acquire)
            || !self.client.framer.in_data_mode()
            || self.client.framer.data_ending();
        match self.client.leave_inner(ending, guard, &mut unread) {
            Ok(final_code) => Ok(self.client.left(final_code, unread)),
            Err(e) => {
                self.rd.unread = unread.into();
                Err(LeaveError::new(self, e))
            }
        }
    }
}

impl<T: Transport> Read for DataHandle<'_, '_, T> {
    /// Reads payload; gives 0 (end of file) at an ETX mark, a SHUTDOWN or
    /// the end of data mode, and a `TimedOut` error when nothing came
    /// within the client's default timeout. After the end of a datagram
    /// (UDP) the next read waits for the next datagram; after a TCP peer's
    /// shutdown, the end of a transfer or of data mode, every read gives 0.
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.client.read_data(&mut self.rd, out)
    }
}

/// Nothing is held back by the handle: each write goes to the transport
/// whole, escaped in continuous mode, before it returns, and
/// [`DataHandle::end_of_data`] flushes the transport after its ETX, so no
/// `flush` is needed before it. `flush` flushes the transport (a buffered
/// writer of the host's own, say).
impl<T: Transport> Write for DataHandle<'_, '_, T> {
    /// Writes up to `WRITE_PIECE` bytes of `buf` (16 KiB), escaped in
    /// continuous mode.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let piece = piece(buf);
        self.send(piece).map_err(io::Error::other)?;
        Ok(piece.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.client.io.flush()
    }
}

/// The reading half of a [`DataHandle`], from [`DataHandle::split`].
pub struct DataReader<'a, 'd, T: Transport> {
    client: &'a mut Client<'d, T>,
    rd: &'a mut ReadState,
}

impl<T: Transport> fmt::Debug for DataReader<'_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataReader")
            .field("unread", &self.rd.unread.len())
            .finish_non_exhaustive()
    }
}

impl<T: Transport> DataReader<'_, '_, T> {
    /// See [`DataHandle::recv`].
    pub fn recv(&mut self, timeout: Duration) -> Result<Option<DataEvent>, ClientError> {
        self.client.recv_data(self.rd, timeout)
    }
}

impl<T: Transport> Read for DataReader<'_, '_, T> {
    /// See [`DataHandle`]'s `read`.
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.client.read_data(self.rd, out)
    }
}

/// The writing half of a [`DataHandle`], from [`DataHandle::split`]:
/// payload escaped as the session wants it.
pub struct DataWriter {
    io: Box<dyn Write + Send>,
    escaping: Escaping,
    scratch: Vec<u8>,
    /// What a lone ETX sets, where it ends the transfer.
    ends: Option<Ends>,
}

impl fmt::Debug for DataWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataWriter")
            .field("escaping", &self.escaping)
            .finish_non_exhaustive()
    }
}

impl DataWriter {
    /// Sends payload, escaped in continuous mode.
    ///
    /// DLE and ETX are escaped; `+` is not, as the manual has no escape
    /// for it: three `+` written alone, with silences of the modem's guard
    /// time before and after, are the escape sequence (6.2.4), and the
    /// modem leaves data mode (its `OK` then comes as `DataEvent::Closed`).
    /// Payload that may hold `+++` goes out with other bytes around it.
    pub fn send(&mut self, payload: &[u8]) -> Result<(), ClientError> {
        write_payload(&mut *self.io, self.escaping, &mut self.scratch, payload)?;
        Ok(())
    }

    /// Sends a lone ETX (continuous mode only, 6.2.2.3).
    pub fn end_of_data(&mut self) -> Result<(), ClientError> {
        write_etx(&mut *self.io, self.escaping, self.ends.as_ref())
    }
}

impl Write for DataWriter {
    /// Writes up to `WRITE_PIECE` bytes of `buf` (16 KiB), escaped in
    /// continuous mode.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let piece = piece(buf);
        write_payload(&mut *self.io, self.escaping, &mut self.scratch, piece)?;
        Ok(piece.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.io.flush()
    }
}
