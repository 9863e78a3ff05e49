//! The blocking client.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use super::{check_line, is_idle, route, ClientConfig, ClientError, Reply, ReplyLine, Routed, Urc};
use crate::framer::{Framer, OwnedEvent, OwnedLine};
use crate::result::Final;
use wip_schema::typed::{FromMessage, TypedCommand};
use wip_schema::{Dialect, ParsedCommand};

use super::{Answer, SendError};

/// A blocking client over any `Read + Write`.
///
/// Reads must return now and then, with data or with a `TimedOut` or
/// `WouldBlock` error, so that timeouts can be kept: a serial port opened
/// by [`crate::serial::open`] does.
#[derive(Debug)]
pub struct Client<'d, T> {
    pub(super) io: T,
    pub(super) framer: Framer<'d>,
    pub(super) cfg: ClientConfig,
    urcs: VecDeque<Urc>,
    dropped_urcs: u64,
    pub(super) inbox: VecDeque<OwnedEvent>,
    awaiting: bool,
    buf: Vec<u8>,
}

impl<'d, T: Read + Write> Client<'d, T> {
    /// A client over `io` for `dialect`.
    pub fn new(io: T, dialect: &'d Dialect, cfg: ClientConfig) -> Self {
        Client {
            io,
            framer: Framer::with_config(dialect, cfg.framer),
            cfg,
            urcs: VecDeque::new(),
            dropped_urcs: 0,
            inbox: VecDeque::new(),
            awaiting: false,
            buf: vec![0; 4096],
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
    /// spec's error enum.
    pub fn send<C: TypedCommand>(
        &mut self,
        req: &C,
    ) -> Result<Answer<C::Response>, SendError<C::Error>> {
        super::typed::same_spec::<C>(self.framer.dialect())?;
        let timeout = Duration::from_millis(u64::from(C::TIMEOUT_MS));
        let (line, parsed) = super::typed::line_of(req);
        let reply = self.exchange_inner(&line, Some(&parsed), timeout)?;
        super::typed::answer::<C>(reply)
    }

    fn exchange_inner(
        &mut self,
        line: &str,
        parsed: Option<&ParsedCommand>,
        timeout: Duration,
    ) -> Result<Reply, ClientError> {
        check_line(line)?;
        // Whatever is left is the late reply of a command that timed out.
        self.inbox.clear();
        match parsed {
            Some(p) => self.framer.sent_parsed(p),
            None => {
                self.framer.sent(line);
            }
        }
        self.awaiting = true;
        let mut wire = Vec::with_capacity(line.len() + 1);
        wire.extend_from_slice(line.as_bytes());
        wire.push(b'\r');
        self.io.write_all(&wire)?;
        self.io.flush()?;
        let deadline = Instant::now() + timeout;
        let mut lines = Vec::new();
        loop {
            while let Some(ev) = self.inbox.pop_front() {
                match ev {
                    OwnedEvent::Response { message, line, .. } => lines.push(ReplyLine {
                        message: Some(message),
                        line,
                    }),
                    OwnedEvent::Unknown(b) => lines.push(ReplyLine {
                        message: None,
                        line: OwnedLine::parse(&String::from_utf8_lossy(&b)),
                    }),
                    OwnedEvent::Final(final_code) => return Ok(Reply { lines, final_code }),
                    _ => {}
                }
            }
            if Instant::now() >= deadline {
                self.framer.clear_pending();
                self.awaiting = false;
                return Err(ClientError::Timeout {
                    command: line.to_owned(),
                    after: timeout,
                });
            }
            self.pump()?;
        }
    }

    /// The next URC, waiting at most `timeout`; `None` when none came.
    pub fn next_urc(&mut self, timeout: Duration) -> Result<Option<Urc>, ClientError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(u) = self.urcs.pop_front() {
                return Ok(Some(u));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            self.pump()?;
        }
    }

    /// Waits at most `timeout` for a URC that `pred` accepts and takes it;
    /// the others stay queued, in order.
    pub fn wait_urc(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&Urc) -> bool,
    ) -> Result<Urc, ClientError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(i) = self.urcs.iter().position(&mut pred) {
                if let Some(u) = self.urcs.remove(i) {
                    return Ok(u);
                }
            }
            if Instant::now() >= deadline {
                return Err(ClientError::NoUrc(timeout));
            }
            self.pump()?;
        }
    }

    /// Waits at most `timeout` for a URC of type `U` (one generated
    /// message, or the spec's `Urc` enum) that `pred` accepts, and takes
    /// it; the other URCs stay queued, in order. A URC of type `U` whose
    /// fields do not decode is taken and given as [`ClientError::Decode`].
    pub fn wait_typed<U: FromMessage>(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&U) -> bool,
    ) -> Result<U, ClientError> {
        let deadline = Instant::now() + timeout;
        let d = self.framer.dialect();
        loop {
            let mut found = None;
            for (i, u) in self.urcs.iter().enumerate() {
                let Some(m) = u.message.filter(|m| U::accepts(*m)) else {
                    continue;
                };
                match U::decode(d, m, &u.line.text) {
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
                self.urcs.remove(i);
                return r.map_err(ClientError::Decode);
            }
            if Instant::now() >= deadline {
                return Err(ClientError::NoUrc(timeout));
            }
            self.pump()?;
        }
    }

    /// Sends `data` on the data offline session of channel `idx`
    /// (`+WIPDATARW`, 6.3) in 200-byte blocks; gives the reply of the last.
    pub fn send_offline(&mut self, idx: u32, data: &[u8]) -> Result<Reply, ClientError> {
        let mut last = None;
        for block in crate::hexdump::blocks(data) {
            last = Some(self.command(&block.command_line(idx))?);
        }
        last.ok_or(ClientError::Closed)
    }

    /// Reads once from the port (waiting at most the port's read timeout)
    /// and sorts what came into the inbox and the URC queue.
    pub(super) fn pump(&mut self) -> Result<(), ClientError> {
        let n = match self.io.read(&mut self.buf) {
            Ok(0) => return Err(ClientError::Closed),
            Ok(n) => n,
            Err(e) if is_idle(&e) => {
                // The line is idle: held bytes cannot begin an indication,
                // which a modem sends whole.
                let inbox = &mut self.inbox;
                self.framer
                    .release_held(|e| inbox.push_back(e.to_owned_event()));
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        let Client {
            framer,
            urcs,
            inbox,
            awaiting,
            dropped_urcs,
            buf,
            cfg,
            ..
        } = self;
        framer.feed(buf.get(..n).unwrap_or_default(), |ev| {
            match route(&ev, awaiting) {
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
        });
        Ok(())
    }

    /// Waits for the final result code that ends data mode.
    pub(super) fn wait_final(
        &mut self,
        timeout: Duration,
        mut data: impl FnMut(OwnedEvent),
    ) -> Result<Final, ClientError> {
        let deadline = Instant::now() + timeout;
        loop {
            while let Some(ev) = self.inbox.pop_front() {
                match ev {
                    OwnedEvent::Final(f) => return Ok(f),
                    other => data(other),
                }
            }
            if Instant::now() >= deadline {
                return Err(ClientError::Timeout {
                    command: "+++".to_owned(),
                    after: timeout,
                });
            }
            self.pump()?;
        }
    }
}
