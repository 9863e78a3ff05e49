//! A [`tokio_util::codec`] codec, so the framer composes with `Framed`,
//! `FramedRead` and `FramedWrite`.
//!
//! Decoding gives [`Frame`]s: each chunk the transport delivers is frozen
//! once and lines and payload are slices of it (see [`crate::frame`]);
//! adjacent payload of a chunk is one [`Frame::Data`]. Encoding takes a
//! typed request (`&C` where `C: TypedCommand`), which also tells the
//! framer what is in flight (its responses and the data session its form
//! opens), a [`RawLine`] for a command outside the spec (an
//! [`crate::basic`] command: `RawLine(&Cmee::Numeric.line())`), [`Payload`]
//! escaped as the current data session wants it, or [`EndOfData`] (a lone
//! ETX). [`escape`] leaves data mode with `+++`.
//!
//! A command's answer is the frames up to its [`Frame::Final`]: the echo
//! of its line first while the modem echoes (`ATE1`, a modem's default;
//! send `ATE0`, [`crate::basic::Echo::Off`], to stop it), its responses,
//! URCs among them. [`Frame::decode`] types a response or URC with the
//! generated bindings (`frame.decode::<rev009::Urc>(&rev009::DIALECT)`),
//! and `FromCode::from_code` a `+CME ERROR` code.
//!
//! ```no_run
//! # async fn demo<C: wip_runtime::schema::typed::TypedCommand>(
//! #     io: tokio::io::DuplexStream, req: C) -> std::io::Result<()> {
//! use futures_util::{SinkExt, StreamExt};
//! use tokio_util::codec::Framed;
//! use wip_runtime::codec::WipCodec;
//!
//! let mut framed = Framed::new(io, WipCodec::new(C::dialect()));
//! framed.send(&req).await?;
//! while let Some(frame) = framed.next().await {
//!     println!("{:?}", frame?);
//! }
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::codec::{Decoder, Encoder, Framed};

use crate::escape::escape_into;
use crate::frame::{Frame, Merger};
use crate::framer::{Escaping, Framer, FramerConfig};
use wip_schema::typed::TypedCommand;
use wip_schema::Dialect;

/// The framer as a codec; see the [module documentation](self).
#[derive(Debug)]
pub struct WipCodec<'d> {
    framer: Framer<'d>,
    merger: Merger,
    queue: VecDeque<Frame>,
    scratch: Vec<u8>,
}

/// A command line outside the spec, without its CR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawLine<'a>(pub &'a str);

/// Payload for the current data session: DLE/ETX escaped in continuous
/// mode, as is in transparent mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payload<'a>(pub &'a [u8]);

/// A lone ETX in the current data session (continuous mode only,
/// 6.2.2.3): the end of a datagram (UDP), a shutdown (TCP) or the end of
/// a `+WIPFILE` upload. Where it ends the transfer, the framer is told
/// ([`Framer::etx_sent`]), so that the modem's final result code that
/// follows ends data mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndOfData;

/// Leaves data mode on a [`Framed`] codec (6.2.4): flushes what the sink
/// holds, tells the framer ([`Framer::escape_sent`]) and sends `+++` with
/// `guard` of silence before and after. The modem's final result code
/// then comes out of the stream as a [`Frame::Final`]; if none comes, the
/// modem did not take `+++` as an escape (a guard time shorter than its
/// own): escape again with a longer one.
pub async fn escape<T>(framed: &mut Framed<T, WipCodec<'_>>, guard: Duration) -> io::Result<()>
where
    T: AsyncRead + AsyncWrite + Unpin,
{
    std::future::poll_fn(|cx| {
        futures_sink::Sink::<EndOfData>::poll_flush(Pin::new(&mut *framed), cx)
    })
    .await?;
    framed.codec_mut().framer_mut().escape_sent();
    crate::guard::send_escape_async(framed.get_mut(), guard).await
}

impl<'d> WipCodec<'d> {
    /// A codec for `dialect` with the framer's default limits.
    pub fn new(dialect: &'d Dialect) -> Self {
        Self::with_config(dialect, FramerConfig::default())
    }

    /// A codec for `dialect` with the given framer limits.
    pub fn with_config(dialect: &'d Dialect, cfg: FramerConfig) -> Self {
        WipCodec {
            framer: Framer::with_config(dialect, cfg),
            merger: Merger::default(),
            queue: VecDeque::new(),
            scratch: Vec::new(),
        }
    }

    /// The framer (whether it is in data mode, which session).
    pub fn framer(&self) -> &Framer<'d> {
        &self.framer
    }

    /// The framer, to tell it of what was sent outside the codec (`+++`:
    /// [`Framer::escape_sent`]).
    pub fn framer_mut(&mut self) -> &mut Framer<'d> {
        &mut self.framer
    }

    /// The line has been idle: bytes held in data mode (a CR that might
    /// have begun an indication, which a modem sends whole) are payload.
    /// Their frames come out of the next [`Decoder::decode`].
    pub fn idle(&mut self) {
        self.frames(&Bytes::new(), true);
    }

    fn frames(&mut self, chunk: &Bytes, held: bool) {
        let WipCodec {
            framer,
            merger,
            queue,
            ..
        } = self;
        let mut out = |f| queue.push_back(f);
        if held {
            framer.release_held(|ev| merger.event(chunk, ev, &mut out));
        } else {
            framer.feed(chunk, |ev| merger.event(chunk, ev, &mut out));
        }
        merger.flush(&mut out);
    }
}

impl Decoder for WipCodec<'_> {
    type Item = Frame;
    type Error = io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> io::Result<Option<Frame>> {
        if self.queue.is_empty() && !src.is_empty() {
            let chunk = src.split().freeze();
            self.frames(&chunk, false);
        }
        Ok(self.queue.pop_front())
    }

    /// At the end of the stream, bytes held in data mode (a CR that might
    /// have begun an indication) are payload.
    fn decode_eof(&mut self, src: &mut BytesMut) -> io::Result<Option<Frame>> {
        if let Some(f) = self.decode(src)? {
            return Ok(Some(f));
        }
        self.frames(&Bytes::new(), true);
        Ok(self.queue.pop_front())
    }
}

impl WipCodec<'_> {
    /// A command line is refused in data mode: the modem would pass it to
    /// the peer as payload. Data mode ends with the modem's final result
    /// code, which comes out of the stream as [`Frame::Final`] (after
    /// [`escape`], or an ETX that ends the transfer).
    fn command_mode(&self) -> io::Result<()> {
        if self.framer.in_data_mode() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a command line in data mode would go to the peer as payload: \
                 read the final result code that ends data mode first (after `escape`)",
            ));
        }
        Ok(())
    }
}

impl<C: TypedCommand> Encoder<&C> for WipCodec<'_> {
    type Error = io::Error;

    /// Writes the request's command line and CR; the framer now expects
    /// its form's responses and, if it opens one, its data session.
    fn encode(&mut self, req: &C, dst: &mut BytesMut) -> io::Result<()> {
        let d = self.framer.dialect();
        if !(core::ptr::eq(d, C::dialect()) || d == C::dialect()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the request belongs to {}, the codec speaks {}",
                    C::dialect().name,
                    d.name
                ),
            ));
        }
        self.command_mode()?;
        self.framer.sent_parsed(&req.parsed());
        dst.put_slice(req.encode().as_bytes());
        dst.put_u8(b'\r');
        Ok(())
    }
}

impl Encoder<RawLine<'_>> for WipCodec<'_> {
    type Error = io::Error;

    fn encode(&mut self, line: RawLine<'_>, dst: &mut BytesMut) -> io::Result<()> {
        if line.0.bytes().any(|b| b == b'\r' || b == b'\n') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a command line cannot hold CR or LF",
            ));
        }
        self.command_mode()?;
        self.framer.sent(line.0);
        dst.put_slice(line.0.as_bytes());
        dst.put_u8(b'\r');
        Ok(())
    }
}

impl Encoder<EndOfData> for WipCodec<'_> {
    type Error = io::Error;

    fn encode(&mut self, _: EndOfData, dst: &mut BytesMut) -> io::Result<()> {
        match self.framer.data_session().map(|s| s.escaping) {
            Some(Escaping::Continuous) => {
                self.framer.etx_sent();
                dst.put_u8(crate::escape::ETX);
                Ok(())
            }
            Some(Escaping::Transparent) => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no lone ETX in continuous transparent mode",
            )),
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a lone ETX outside data mode",
            )),
        }
    }
}

impl Encoder<Payload<'_>> for WipCodec<'_> {
    type Error = io::Error;

    fn encode(&mut self, p: Payload<'_>, dst: &mut BytesMut) -> io::Result<()> {
        match self.framer.data_session().map(|s| s.escaping) {
            Some(Escaping::Continuous) => {
                self.scratch.clear();
                escape_into(p.0, &mut self.scratch);
                dst.put_slice(&self.scratch);
            }
            Some(Escaping::Transparent) => dst.put_slice(p.0),
            None => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "payload outside data mode",
                ))
            }
        }
        Ok(())
    }
}
