//! Transports the blocking client can keep its deadlines on.
//!
//! A blocking [`Client`](crate::client::Client) reads in a loop and checks
//! its deadline between reads, so each read must return now and then, with
//! data or with a `TimedOut`/`WouldBlock` error. A `TcpStream` or a serial
//! port without a read timeout would block in `read` until the modem
//! speaks, and `next_urc(100 ms)` would hang. So the client takes a
//! [`Transport`], and [`Client::new`](crate::client::Client::new) sets its
//! read timeout to [`READ_TIMEOUT`] (a transport that cannot have one makes
//! the first call fail with [`ClientError::Unbounded`](crate::client::ClientError::Unbounded));
//! a read that still blocks past its deadline by more than [`SLACK`] is
//! [`ClientError::ReadBlocked`](crate::client::ClientError::ReadBlocked),
//! never a silent hang.
//!
//! - [`tcp`]: a TCP UART (`wip sim --listen`, a serial-to-TCP bridge);
//! - [`serial`]: a serial port, 8N1, no flow control;
//! - [`pty`]: a pseudo-terminal pair (a modem emulator on one end);
//! - [`NonBlocking`]: an io whose reads never block (in memory).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// The read timeout the client sets: how long one read may wait.
pub const READ_TIMEOUT: Duration = crate::serial::READ_TIMEOUT;

/// How far past its deadline a read may return before the client calls it
/// blocked ([`ClientError::ReadBlocked`](crate::client::ClientError::ReadBlocked)).
pub const SLACK: Duration = Duration::from_secs(1);

/// A byte stream to a modem whose reads can be bounded by a timeout.
pub trait Transport: Read + Write {
    /// Makes each read return within `timeout`, with a `TimedOut` or
    /// `WouldBlock` error when nothing came.
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()>;

    /// A second handle that writes to the same line, so that a data
    /// session can be split into a reader and a writer on two threads
    /// ([`DataHandle::split`](crate::client::DataHandle::split)).
    /// `Unsupported` by default.
    fn try_clone_writer(&self) -> io::Result<Box<dyn Write + Send>> {
        Err(io::ErrorKind::Unsupported.into())
    }
}

impl Transport for TcpStream {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        TcpStream::set_read_timeout(self, Some(timeout.max(Duration::from_millis(1))))
    }

    fn try_clone_writer(&self) -> io::Result<Box<dyn Write + Send>> {
        Ok(Box::new(self.try_clone()?))
    }
}

#[cfg(unix)]
impl Transport for std::os::unix::net::UnixStream {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        std::os::unix::net::UnixStream::set_read_timeout(
            self,
            Some(timeout.max(Duration::from_millis(1))),
        )
    }

    fn try_clone_writer(&self) -> io::Result<Box<dyn Write + Send>> {
        Ok(Box::new(self.try_clone()?))
    }
}

impl Transport for Box<dyn serialport::SerialPort> {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.set_timeout(timeout).map_err(io::Error::from)
    }

    fn try_clone_writer(&self) -> io::Result<Box<dyn Write + Send>> {
        Ok(Box::new(self.try_clone().map_err(io::Error::from)?))
    }
}

#[cfg(unix)]
impl Transport for serialport::TTYPort {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        serialport::SerialPort::set_timeout(self, timeout).map_err(io::Error::from)
    }

    fn try_clone_writer(&self) -> io::Result<Box<dyn Write + Send>> {
        Ok(Box::new(self.try_clone_native().map_err(io::Error::from)?))
    }
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn set_read_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        (**self).set_read_timeout(timeout)
    }

    fn try_clone_writer(&self) -> io::Result<Box<dyn Write + Send>> {
        (**self).try_clone_writer()
    }
}

/// An io whose reads never block: they return `WouldBlock` (or
/// `TimedOut`) when nothing is there, as an in-memory modem does. The
/// wrapper says so to the client; wrapping a blocking io in it brings back
/// the hang [`Transport`] exists to prevent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NonBlocking<T>(pub T);

impl<T: Read> Read for NonBlocking<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl<T: Write> Write for NonBlocking<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<T: Read + Write> Transport for NonBlocking<T> {
    fn set_read_timeout(&mut self, _: Duration) -> io::Result<()> {
        Ok(())
    }
}

/// Connects to a TCP UART (`wip sim --listen ADDR`, a serial-to-TCP
/// bridge): reads time out after [`READ_TIMEOUT`], writes go out at once
/// (no Nagle delay, which the `+++` guard time counts on).
pub fn tcp(addr: impl ToSocketAddrs) -> io::Result<TcpStream> {
    let addrs: Vec<SocketAddr> = addr.to_socket_addrs()?.collect();
    let s = TcpStream::connect(&addrs[..]).map_err(|e| cannot_connect(&addrs, e))?;
    s.set_nodelay(true)?;
    TcpStream::set_read_timeout(&s, Some(READ_TIMEOUT))?;
    Ok(s)
}

/// Connects to a TCP UART for the async client (no Nagle delay).
#[cfg(feature = "tokio")]
pub async fn tcp_async(addr: impl tokio::net::ToSocketAddrs) -> io::Result<tokio::net::TcpStream> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host(addr).await?.collect();
    let s = tokio::net::TcpStream::connect(&addrs[..])
        .await
        .map_err(|e| cannot_connect(&addrs, e))?;
    s.set_nodelay(true)?;
    Ok(s)
}

/// A connection error that names the addresses tried (of the same kind).
fn cannot_connect(addrs: &[SocketAddr], e: io::Error) -> io::Error {
    let tried: Vec<String> = addrs.iter().map(ToString::to_string).collect();
    let tried = match tried.as_slice() {
        [] => "no address".to_string(),
        _ => tried.join(", "),
    };
    io::Error::new(e.kind(), format!("cannot connect to {tried}: {e}"))
}

/// Opens a serial port 8N1 without flow control, reads timing out after
/// [`READ_TIMEOUT`].
pub fn serial(path: &str, baud: u32) -> io::Result<Box<dyn serialport::SerialPort>> {
    crate::serial::open(path, baud).map_err(io::Error::from)
}

/// A pseudo-terminal pair in raw mode, (controller, device), reads of both
/// timing out after [`READ_TIMEOUT`]: a modem emulator runs on the
/// controller, a client on the device (whose path is its `name()`).
#[cfg(unix)]
pub fn pty() -> io::Result<(serialport::TTYPort, serialport::TTYPort)> {
    crate::serial::pty_pair().map_err(io::Error::from)
}
