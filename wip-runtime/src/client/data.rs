//! The blocking data mode handle (manual 6.1, 6.2).

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use super::{Client, ClientError};
use crate::escape::{escape_into, ETX};
use crate::framer::{DataSession, Escaping, EtxMeaning, OwnedEvent};
use wip_schema::Final;

/// What came from the modem in data mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataEvent {
    /// Payload, unescaped.
    Data(Vec<u8>),
    /// A lone ETX (end of datagram, TCP shutdown, end of file; 6.2.2.3);
    /// `None` when the session's meaning of ETX is not known.
    EndOfData(Option<EtxMeaning>),
    /// `\r\nSHUTDOWN\r\n`: the peer shut the connection down (6.2.11.1).
    Shutdown,
    /// Data mode ended with this final result code (`+CME ERROR: 843` on
    /// a reset, 6.2.5).
    Closed(Final),
}

/// How data mode ended, from [`DataHandle::leave`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// The final result code that ended data mode (`OK` after `+++`).
    pub final_code: Final,
    /// Payload that came before it and was not read.
    pub unread: Vec<u8>,
}

/// The line in data mode: payload in and out, escaping hidden. Leave with
/// [`DataHandle::leave`]; dropping the handle leaves the modem in data
/// mode.
#[derive(Debug)]
pub struct DataHandle<'c, 'd, T: Read + Write> {
    client: &'c mut Client<'d, T>,
    session: DataSession,
    closed: Option<Final>,
    unread: Vec<u8>,
    scratch: Vec<u8>,
}

impl<'d, T: Read + Write> Client<'d, T> {
    /// Sends a command that opens data mode (`AT+WIPDATA=2,1,1`) and gives
    /// the handle once `CONNECT` came.
    pub fn data(&mut self, line: &str) -> Result<DataHandle<'_, 'd, T>, ClientError> {
        let reply = self.exchange(line, self.timeout_of(line))?;
        if reply.final_code != Final::Connect {
            return Err(ClientError::NoConnect {
                command: line.to_owned(),
                final_code: reply.final_code,
            });
        }
        let session = self.framer.data_session().unwrap_or_default();
        Ok(DataHandle {
            client: self,
            session,
            closed: None,
            unread: Vec::new(),
            scratch: Vec::new(),
        })
    }
}

impl<T: Read + Write> DataHandle<'_, '_, T> {
    /// The session: escaping and the meaning of ETX.
    pub fn session(&self) -> DataSession {
        self.session
    }

    /// Sends payload, escaped in continuous mode.
    pub fn send(&mut self, payload: &[u8]) -> Result<(), ClientError> {
        match self.session.escaping {
            Escaping::Continuous => {
                self.scratch.clear();
                escape_into(payload, &mut self.scratch);
                self.client.io.write_all(&self.scratch)?;
            }
            Escaping::Transparent => self.client.io.write_all(payload)?,
        }
        Ok(())
    }

    /// Sends a lone ETX: the end of a datagram (UDP), a shutdown (TCP) or
    /// the end of the file (`+WIPFILE`); continuous mode only (6.2.2.3).
    pub fn end_of_data(&mut self) -> Result<(), ClientError> {
        if self.session.escaping == Escaping::Transparent {
            return Err(ClientError::Transparent);
        }
        self.client.io.write_all(&[ETX])?;
        Ok(())
    }

    /// The next thing from the modem, waiting at most `timeout`; `None`
    /// when nothing came. Adjacent payload comes as one [`DataEvent::Data`].
    pub fn recv(&mut self, timeout: Duration) -> Result<Option<DataEvent>, ClientError> {
        if !self.unread.is_empty() {
            return Ok(Some(DataEvent::Data(std::mem::take(&mut self.unread))));
        }
        if let Some(f) = self.closed {
            return Ok(Some(DataEvent::Closed(f)));
        }
        let deadline = Instant::now() + timeout;
        loop {
            let mut data: Option<Vec<u8>> = None;
            while let Some(ev) = self.client.inbox.front() {
                match (ev, data.as_mut()) {
                    (OwnedEvent::Data(d), Some(acc)) => acc.extend_from_slice(d),
                    (OwnedEvent::Data(d), None) => data = Some(d.clone()),
                    (_, Some(_)) => break,
                    (_, None) => {}
                }
                let Some(ev) = self.client.inbox.pop_front() else {
                    break;
                };
                let out = match ev {
                    OwnedEvent::EndOfData(m) => DataEvent::EndOfData(m),
                    OwnedEvent::Shutdown => DataEvent::Shutdown,
                    OwnedEvent::Final(f) => {
                        self.closed = Some(f);
                        DataEvent::Closed(f)
                    }
                    _ => continue,
                };
                return Ok(Some(out));
            }
            if let Some(d) = data {
                return Ok(Some(DataEvent::Data(d)));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            self.client.pump()?;
        }
    }

    /// Leaves data mode with `+++` and the guard time, and waits for the
    /// modem's final result code (6.2.4).
    pub fn leave(mut self) -> Result<Left, ClientError> {
        let mut unread = std::mem::take(&mut self.unread);
        if let Some(final_code) = self.closed {
            return Ok(Left { final_code, unread });
        }
        let guard = self.client.cfg.guard;
        crate::guard::send_escape(&mut self.client.io, guard)?;
        self.client.framer.escape_sent();
        let timeout = self.client.cfg.default_timeout;
        let final_code = self.client.wait_final(timeout, |ev| {
            if let OwnedEvent::Data(d) = ev {
                unread.extend_from_slice(&d);
            }
        })?;
        Ok(Left { final_code, unread })
    }
}

impl<T: Read + Write> Read for DataHandle<'_, '_, T> {
    /// Reads payload; gives 0 (end of file) at an ETX mark, a SHUTDOWN or
    /// the end of data mode, and a `TimedOut` error when nothing came
    /// within the client's default timeout.
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.unread.is_empty() {
            let timeout = self.client.cfg.default_timeout;
            match self.recv(timeout).map_err(io::Error::other)? {
                Some(DataEvent::Data(d)) => self.unread = d,
                Some(_) => return Ok(0),
                None => return Err(io::ErrorKind::TimedOut.into()),
            }
        }
        let n = out.len().min(self.unread.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), self.unread.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.unread.drain(..n);
        Ok(n)
    }
}

impl<T: Read + Write> Write for DataHandle<'_, '_, T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.send(buf).map_err(io::Error::other)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.client.io.flush()
    }
}
