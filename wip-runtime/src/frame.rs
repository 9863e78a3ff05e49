//! Owned framer events over shared buffers: what the clients and the
//! [`codec`](crate::codec) hand out.
//!
//! The framer borrows from the chunk it was fed; a client reads each chunk
//! into a [`BytesMut`], freezes it, and keeps what it needs as [`Bytes`]
//! slices of that chunk (no copy). Adjacent payload is merged into one
//! [`Frame::Data`]: a run of payload that lies in one piece of the chunk is
//! a slice of it, and only payload cut by DLE escapes or chunk ends is
//! copied, once, into one buffer.

use bytes::{Bytes, BytesMut};

use crate::framer::{EtxMeaning, Event, FrameError, OwnedLine};
use crate::result::Final;

/// One thing the modem sent, owned: [`Event`] with shared bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// The echo of a command line (`ATE1`).
    Echo(Bytes),
    /// An information response of the command in flight.
    Response {
        /// The index of the command in [`wip_schema::Dialect::commands`].
        command: usize,
        /// The index of the message it matched in
        /// [`wip_schema::Dialect::messages`].
        message: usize,
        /// The line.
        line: OwnedLine,
    },
    /// An unsolicited result code.
    Urc {
        /// The index of the message it matched in
        /// [`wip_schema::Dialect::messages`].
        message: usize,
        /// The line.
        line: OwnedLine,
    },
    /// A line the dialect does not describe here (see [`Event::Unknown`]).
    Unknown(Bytes),
    /// A final result code.
    Final(Final),
    /// Payload, unescaped; adjacent payload of one chunk comes as one
    /// frame.
    Data(Bytes),
    /// A lone ETX in continuous mode (6.2.2.3), with its meaning in the
    /// session.
    EndOfData(Option<EtxMeaning>),
    /// `\r\nSHUTDOWN\r\n`: the peer shut the TCP connection down
    /// (6.2.11.1).
    Shutdown,
    /// Bytes were dropped; framing resumes at the next line feed.
    Error(FrameError),
    /// The line of a declared final result code (see
    /// [`Event::FinalLine`]), right before its [`Frame::Final`].
    FinalLine(OwnedLine),
    /// The prompt of the command in flight (see [`Event::Prompt`]).
    Prompt,
    /// Raw data after the response or URC before it (see
    /// [`Event::Payload`]).
    Payload(Bytes),
}

impl Frame {
    /// The typed value of a [`Frame::Response`] or [`Frame::Urc`], read by
    /// the generated decoder of `T` (a spec's `Urc` or `Response` enum, a
    /// form's response type, a message struct) from the fields where the
    /// framer cut them; `dialect` is the one the frame was framed with
    /// (`rev009::DIALECT`). `None` for any other frame; an error when the
    /// line is not a message `T` takes, or a value is out of its range.
    pub fn decode<T: wip_schema::typed::FromMessage>(
        &self,
        dialect: &wip_schema::Dialect,
    ) -> Option<Result<T, wip_schema::Error>> {
        match self {
            Frame::Response { message, line, .. } | Frame::Urc { message, line } => {
                Some(T::decode_framed(dialect, *message, &line.text, line.body()))
            }
            _ => None,
        }
    }
}

/// `s` as a slice of `chunk` when it lies inside it, else a copy.
pub(crate) fn share(chunk: &Bytes, s: &[u8]) -> Bytes {
    let base = chunk.as_ptr() as usize;
    let at = s.as_ptr() as usize;
    if !s.is_empty() && at >= base && at + s.len() <= base + chunk.len() {
        chunk.slice(at - base..at - base + s.len())
    } else {
        Bytes::copy_from_slice(s)
    }
}

/// Merges adjacent payload into one [`Frame::Data`].
#[derive(Debug, Default)]
pub(crate) struct Merger {
    /// Payload that is still one slice of a chunk.
    one: Option<Bytes>,
    /// Payload of several pieces, copied together.
    many: BytesMut,
}

impl Merger {
    /// Adds payload that `chunk` (or the framer's held bytes) holds.
    pub(crate) fn data(&mut self, chunk: &Bytes, d: &[u8]) {
        if d.is_empty() {
            return;
        }
        if !self.many.is_empty() {
            self.many.extend_from_slice(d);
            return;
        }
        let Some(prev) = self.one.take() else {
            self.one = Some(share(chunk, d));
            return;
        };
        // Two pieces that touch in the chunk are still one slice.
        let base = chunk.as_ptr() as usize;
        let (p, q) = (prev.as_ptr() as usize, d.as_ptr() as usize);
        if p >= base && p + prev.len() == q && q + d.len() <= base + chunk.len() {
            self.one = Some(chunk.slice(p - base..q - base + d.len()));
            return;
        }
        self.many.reserve(prev.len() + d.len());
        self.many.extend_from_slice(&prev);
        self.many.extend_from_slice(d);
    }

    /// The merged payload, if any.
    pub(crate) fn take(&mut self) -> Option<Bytes> {
        if let Some(b) = self.one.take() {
            return Some(b);
        }
        (!self.many.is_empty()).then(|| self.many.split().freeze())
    }

    /// Turns one framer event of `chunk` into frames: payload is kept
    /// back to merge with what follows, anything else first gives the
    /// payload before it.
    pub(crate) fn event(&mut self, chunk: &Bytes, ev: Event<'_>, out: &mut impl FnMut(Frame)) {
        let frame = match ev {
            Event::Data(d) => return self.data(chunk, d),
            Event::Echo(b) => Frame::Echo(share(chunk, b)),
            Event::Response {
                command,
                message,
                line,
            } => Frame::Response {
                command,
                message,
                line: OwnedLine::in_chunk(chunk, line),
            },
            Event::Urc { message, line } => Frame::Urc {
                message,
                line: OwnedLine::in_chunk(chunk, line),
            },
            Event::Unknown(b) => Frame::Unknown(share(chunk, b)),
            Event::Final(f) => Frame::Final(f),
            Event::EndOfData(m) => Frame::EndOfData(m),
            Event::Shutdown => Frame::Shutdown,
            Event::Error(e) => Frame::Error(e),
            Event::FinalLine(l) => Frame::FinalLine(OwnedLine::in_chunk(chunk, l)),
            Event::Prompt => Frame::Prompt,
            Event::Payload(b) => Frame::Payload(share(chunk, b)),
        };
        self.flush(out);
        out(frame);
    }

    /// Gives the payload kept back, as one frame.
    pub(crate) fn flush(&mut self, out: &mut impl FnMut(Frame)) {
        if let Some(d) = self.take() {
            out(Frame::Data(d));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(chunk: &Bytes, pieces: &[core::ops::Range<usize>]) -> Vec<Frame> {
        let mut m = Merger::default();
        let mut out = Vec::new();
        for r in pieces {
            m.event(chunk, Event::Data(&chunk[r.clone()]), &mut |f| out.push(f));
        }
        m.event(chunk, Event::Shutdown, &mut |f| out.push(f));
        out
    }

    #[test]
    fn touching_pieces_stay_one_slice_of_the_chunk() {
        let chunk = Bytes::from_static(b"abcdef");
        let out = run(&chunk, &[0..2, 2..4, 4..6]);
        assert_eq!(out, vec![Frame::Data(chunk.clone()), Frame::Shutdown]);
        let Frame::Data(d) = &out[0] else { panic!() };
        assert_eq!(d.as_ptr(), chunk.as_ptr(), "a slice, not a copy");
    }

    #[test]
    fn pieces_with_gaps_are_merged_into_one_copy() {
        // `a\x10\x03b`: the DLE is dropped by the unescaper.
        let chunk = Bytes::from_static(b"a\x10\x03b");
        let out = run(&chunk, &[0..1, 2..4]);
        assert_eq!(
            out,
            vec![Frame::Data(Bytes::from_static(b"a\x03b")), Frame::Shutdown]
        );
    }

    #[test]
    fn bytes_outside_the_chunk_are_copied() {
        let chunk = Bytes::from_static(b"xyz");
        let held = b"\r".to_vec();
        assert_eq!(share(&chunk, &held), Bytes::from_static(b"\r"));
        assert_eq!(share(&chunk, &chunk[1..]).as_ptr(), chunk[1..].as_ptr());
    }
}
