//! Clients: send command lines, get replies, URCs and data.
//!
//! [`Client`] is blocking and works over a [`crate::transport::Transport`]
//! whose reads it bounds (serial ports, ptys, TCP UARTs; see
//! [`crate::transport`]). With the `tokio` feature, [`AsyncClient`] reads
//! in a task of its own and hands URCs out on a stream.
//!
//! Both send typed requests ([`Client::send`]) and enter data mode from
//! them ([`Client::data_typed`]): the handle's escaping and ETX meaning
//! are the session the spec gives the request's form. Data handles are
//! `Read`/`Write` ([`DataHandle`]) or `AsyncRead`/`AsyncWrite`
//! ([`AsyncDataHandle`]), split into reader and writer halves, and leave
//! data mode with `+++`, giving the handle back when that fails
//! ([`LeaveError`]). Lines and payload are [`Frame`]s over shared
//! [`bytes::Bytes`] read buffers.

mod blocking;
mod complete;
mod data;
mod payloads;
mod prompt;
mod typed;

#[cfg(feature = "tokio")]
mod async_data;
#[cfg(feature = "tokio")]
mod async_prompt;
#[cfg(feature = "tokio")]
mod asynch;

pub use blocking::Client;
pub use complete::Completed;
pub use data::{DataEvent, DataHandle, DataReader, DataWriter, LeaveError, Left};
pub use typed::{Answer, SendError};

#[cfg(feature = "tokio")]
pub use async_data::{AsyncDataHandle, AsyncDataReader, AsyncDataWriter};
#[cfg(feature = "tokio")]
pub use asynch::{AsyncClient, UrcStream};

pub use crate::frame::Frame;

use std::time::Duration;

use bytes::Bytes;

use crate::framer::{FramerConfig, OwnedLine};
use crate::result::Final;

/// Settings of a client. The defaults: `default_timeout` 5 s, `guard`
/// 1 s, `urc_capacity` 256, lines of at most 4096 bytes.
///
/// ```
/// use std::time::Duration;
/// use wip_runtime::client::ClientConfig;
///
/// let d = ClientConfig::default();
/// assert_eq!(d.default_timeout, Duration::from_secs(5));
/// assert_eq!(d.guard, Duration::from_secs(1));
/// assert_eq!((d.urc_capacity, d.framer.max_line), (256, 4096));
/// // A modem (or `wip sim --guard-ms 100`) with a shorter guard time:
/// let fast = ClientConfig { guard: Duration::from_millis(150), ..d };
/// # let _ = fast;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientConfig {
    /// The timeout of a command the dialect does not know (5 s by
    /// default), and how long leaving data mode waits for the modem's
    /// final result code.
    pub default_timeout: Duration,
    /// The guard time around `+++` (1 s in the manual, 6.2.4, and by
    /// default). It must be at least the modem's.
    pub guard: Duration,
    /// How many unread URCs are kept (256 by default); past that the
    /// oldest are dropped and counted, so an unhandled URC never blocks
    /// the next ones.
    pub urc_capacity: usize,
    /// The framer's limits ([`FramerConfig::max_line`] 4096 bytes by
    /// default).
    pub framer: FramerConfig,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            default_timeout: Duration::from_secs(5),
            guard: crate::guard::DEFAULT_GUARD,
            urc_capacity: 256,
            framer: FramerConfig::default(),
        }
    }
}

/// An unsolicited line: a URC of the dialect, or an unknown line that came
/// while no command was in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urc {
    /// The index of the URC's message in the dialect
    /// ([`wip_schema::Dialect::messages`]); `None` for an unknown line.
    pub message: Option<usize>,
    /// The line.
    pub line: OwnedLine,
    /// The raw data the modem sent right after the line, when its message
    /// declares a payload (SIMCom `+IPD<n>` then its bytes, a u-blox
    /// counted field); `None` otherwise.
    pub payload: Option<Bytes>,
}

/// One information response line of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyLine {
    /// The index of the response's message in the dialect
    /// ([`wip_schema::Dialect::messages`]); `None` for a line the dialect
    /// does not describe (a command outside it).
    pub message: Option<usize>,
    /// The line.
    pub line: OwnedLine,
    /// The raw data the modem sent right after the line, when its message
    /// declares a payload (`+CIPRXGET: 2,…` then its bytes, `+CMGR: …`
    /// then the text line, the content of a u-blox `+USORD` counted
    /// field); `None` otherwise.
    pub payload: Option<Bytes>,
}

/// What a command got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The information responses, in order.
    pub lines: Vec<ReplyLine>,
    /// `OK` or `CONNECT`; error codes come back as [`ClientError::Rejected`].
    pub final_code: Final,
    /// The line of the final result code when the dialect declares it
    /// (`DATA ACCEPT: 12`), for its fields; `None` for the built-in ones.
    pub final_line: Option<OwnedLine>,
}

/// Gathers the reply of a command frame by frame, as the frames come: into
/// owned lines ([`Lines`], for [`Reply`]) or straight into typed responses
/// (`typed::Typed`, for [`Answer`]).
pub(crate) trait Collect {
    /// A response line the framer tagged with message `message`.
    fn response(&mut self, message: usize, line: OwnedLine);
    /// A line the dialect does not describe, while the command waits.
    fn unknown(&mut self, line: &Bytes);
    /// Raw data after the last response line.
    fn payload(&mut self, data: Bytes);
    /// The line of a final result code the dialect declares.
    fn final_line(&mut self, line: OwnedLine);
}

/// Takes one frame of a reply into any collector; gives the final result
/// code when the frame is the one that ends it. Frames of no reply
/// (echoes, data) are passed over. One copy of the sorting of frames,
/// whatever the collector (a typed answer of each command would otherwise
/// get its own).
pub(crate) fn collect(into: &mut dyn Collect, f: Frame) -> Option<Final> {
    match f {
        Frame::Response { message, line, .. } => into.response(message, line),
        Frame::Unknown(b) => into.unknown(&b),
        Frame::Payload(b) => into.payload(b),
        Frame::FinalLine(l) => into.final_line(l),
        Frame::Final(f) => return Some(f),
        _ => {}
    }
    None
}

/// The lines of an untyped [`Reply`], as they come.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    lines: Vec<ReplyLine>,
    final_line: Option<OwnedLine>,
}

impl Lines {
    /// The reply these lines and `final_code` make.
    pub(crate) fn reply(self, final_code: Final) -> Reply {
        Reply {
            lines: self.lines,
            final_code,
            final_line: self.final_line,
        }
    }
}

impl Collect for Lines {
    #[inline]
    fn response(&mut self, message: usize, line: OwnedLine) {
        self.lines.push(ReplyLine {
            message: Some(message),
            line,
            payload: None,
        });
    }

    fn unknown(&mut self, line: &Bytes) {
        self.lines.push(ReplyLine {
            message: None,
            line: OwnedLine::parse(&String::from_utf8_lossy(line)),
            payload: None,
        });
    }

    fn payload(&mut self, data: Bytes) {
        payloads::attach(&mut self.lines, data);
    }

    fn final_line(&mut self, line: OwnedLine) {
        self.final_line = Some(line);
    }
}

/// What can go wrong talking to the modem.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The port failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The port could not be opened.
    #[error("serial port: {0}")]
    Serial(#[from] serialport::Error),
    /// No final result code came in time. When the command can open data
    /// mode, its `CONNECT` may still come: the next command first reads
    /// what arrived, and is refused with [`ClientError::InDataMode`] if
    /// that was a `CONNECT`.
    #[error("no final result code for `{command}` within {after:?}")]
    Timeout {
        /// The command line.
        command: String,
        /// The time waited.
        after: Duration,
    },
    /// No matching URC came in time.
    #[error("no {what} within {after:?}")]
    NoUrc {
        /// What was waited for: the prefixes of the URCs of the type
        /// waited for (`+WIPREADY URC that the predicate accepts`), or
        /// `URC that the predicate accepts` for an untyped wait.
        what: String,
        /// The time waited.
        after: Duration,
    },
    /// The modem answered with an error code.
    #[error("`{command}` failed: {final_code}")]
    Rejected {
        /// The command line.
        command: String,
        /// The error code.
        final_code: Final,
        /// The responses that came before it.
        lines: Vec<ReplyLine>,
    },
    /// A command meant to open data mode did not answer `CONNECT`.
    #[error("`{command}` answered {final_code}, not CONNECT")]
    NoConnect {
        /// The command line.
        command: String,
        /// What it answered.
        final_code: Final,
    },
    /// The port reached its end (the other side closed it).
    #[error("the port was closed")]
    Closed,
    /// A command line holds a CR or LF, which would end it early.
    #[error("a command line cannot hold CR or LF")]
    BadCommandLine,
    /// A line the framer tagged as a message of the spec does not decode
    /// into its typed value (a value out of its range, say).
    #[error("a line does not decode: {0}")]
    Decode(wip_schema::Error),
    /// Escaping is not possible in continuous transparent mode.
    #[error("no ETX mark in continuous transparent mode")]
    Transparent,
    /// `+++` was sent but no final result code came: the modem did not
    /// take it as an escape (a guard time shorter than the modem's, or
    /// payload sent within it) and is still in data mode (6.2.4). Leave
    /// again, with a longer guard time. A modem that left data mode in a
    /// way the line cannot show (unmapped from another UART) takes `+++`
    /// as the start of a command line instead: see
    /// [`Client::forget_data_mode`].
    #[error(
        "no final result code within {waited:?} after `+++` sent with a {guard:?} guard time: \
         the modem is still in data mode (is its guard time longer? if it left data mode in a \
         way the line cannot show, such as an unmapping from another UART, `forget_data_mode`)"
    )]
    StillInData {
        /// The guard time used before and after `+++`.
        guard: Duration,
        /// How long the final result code was waited for.
        waited: Duration,
    },
    /// The transport's reads could not be bounded by a timeout, so a read
    /// could block past the client's deadlines.
    #[error("the transport's reads cannot be given a timeout: {0}")]
    Unbounded(std::io::Error),
    /// A command was to be sent while the modem is in data mode: a data
    /// handle was dropped without [`DataHandle::leave`], or a `CONNECT`
    /// came after its command timed out, and the command line would have
    /// gone to the peer as payload. Nothing was sent;
    /// [`Client::leave_data`] (or `AsyncClient::leave_data`) leaves data
    /// mode.
    #[error(
        "the modem is in data mode (a data handle was dropped without `leave`, \
         or a CONNECT came late): nothing was sent; leave data mode first (`leave_data`)"
    )]
    InDataMode,
    /// A read blocked past its deadline: the transport ignores the read
    /// timeout the client set.
    #[error("a read of the transport blocked for {0:?}, past its deadline")]
    ReadBlocked(Duration),
}

/// The command that opened the current data mode, as leaving it needs it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Opened {
    /// `AT` and its name (`AT+WIPFILE`), for [`Left::command`].
    pub(crate) command: String,
    /// Its timeout: how long the modem may take to end a transfer that
    /// was ended with an ETX (an upload the server must take first).
    pub(crate) timeout: Duration,
}

impl Opened {
    /// The record of `line`, sent within `timeout`.
    pub(crate) fn of(line: &str, timeout: Duration) -> Self {
        let name = crate::fields::command_line(line).map_or("", |c| c.name);
        Opened {
            command: format!("AT{name}"),
            timeout,
        }
    }
}

/// How long the line must stay quiet before `forget_data_mode` takes what
/// it brought as all there was: longer than the async reader's wait for
/// held bytes, and than a read's timeout.
pub(crate) const QUIET: Duration = Duration::from_millis(200);

/// Reads that give nothing now are not errors: the caller checks its
/// deadline and reads again.
pub(crate) fn is_idle(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut
            | std::io::ErrorKind::WouldBlock
            | std::io::ErrorKind::Interrupted
    )
}

/// Checks a command line before it is written.
pub(crate) fn check_line(line: &str) -> Result<(), ClientError> {
    if line.bytes().any(|b| b == b'\r' || b == b'\n') {
        return Err(ClientError::BadCommandLine);
    }
    Ok(())
}

/// Where a frame goes.
pub(crate) enum Routed {
    /// To whoever waits for a reply or for data.
    Inbox(Frame),
    /// To the URC queue.
    Urc(Urc),
    /// Nowhere (echoes, dropped bytes).
    Drop,
}

/// Routes one frame; `awaiting` says a command waits for its final result
/// code, so that an unknown line is its response rather than unsolicited.
pub(crate) fn route(f: Frame, awaiting: &mut bool) -> Routed {
    match f {
        Frame::Echo(_) | Frame::Error(_) => Routed::Drop,
        Frame::Urc { message, line } => Routed::Urc(Urc {
            message: Some(message),
            line,
            payload: None,
        }),
        Frame::Unknown(b) if !*awaiting => Routed::Urc(Urc {
            message: None,
            line: OwnedLine::parse(&String::from_utf8_lossy(&b)),
            payload: None,
        }),
        Frame::Final(_) => {
            *awaiting = false;
            Routed::Inbox(f)
        }
        other => Routed::Inbox(other),
    }
}

/// `from + timeout`, or a time so far ahead that no wait reaches it when
/// the sum does not fit the clock (`Duration::MAX`, "wait for ever"):
/// a deadline never panics.
pub(crate) fn deadline(from: std::time::Instant, timeout: Duration) -> std::time::Instant {
    from.checked_add(timeout)
        .unwrap_or_else(|| far(from, |d| from.checked_add(d)))
}

/// [`deadline`] on tokio's clock.
#[cfg(feature = "tokio")]
pub(crate) fn deadline_tokio(
    from: tokio::time::Instant,
    timeout: Duration,
) -> tokio::time::Instant {
    from.checked_add(timeout)
        .unwrap_or_else(|| far(from, |d| from.checked_add(d)))
}

/// The furthest of 30 years, one year, one day ahead of `from` that the
/// clock holds (else `from` itself).
fn far<T: Copy>(from: T, add: impl Fn(Duration) -> Option<T>) -> T {
    const DAY: u64 = 86_400;
    [30 * 365 * DAY, 365 * DAY, DAY]
        .into_iter()
        .find_map(|s| add(Duration::from_secs(s)))
        .unwrap_or(from)
}

/// What a typed wait for `U` waits for, in [`ClientError::NoUrc`]: the
/// prefixes of the dialect's URCs of that type (`+WIPREADY URC that the
/// predicate accepts`; `URC of type ...` for a type with no prefixed
/// URC of the dialect).
pub(crate) fn urc_wanted<U: wip_schema::typed::FromMessage>(d: &wip_schema::Dialect) -> String {
    let mut names: Vec<&str> = Vec::new();
    for (i, m) in d.messages.iter().enumerate() {
        if m.is_urc() && U::accepts(i) {
            if let Some(p) = m.prefix.as_deref() {
                if !names.contains(&p) {
                    names.push(p);
                }
            }
        }
    }
    let ty = core::any::type_name::<U>();
    let ty = ty.rsplit("::").next().unwrap_or(ty);
    match names.as_slice() {
        [] => format!("URC of type {ty} that the predicate accepts"),
        [one] => format!("{one} URC that the predicate accepts"),
        many if many.len() <= 4 => format!("{} URC that the predicate accepts", many.join(" or ")),
        _ => format!("URC of type {ty} that the predicate accepts"),
    }
}

/// What an untyped wait waits for, in [`ClientError::NoUrc`].
pub(crate) const ANY_URC: &str = "URC that the predicate accepts";
