//! What the framer reports.

use alloc::vec::Vec;
use bytes::Bytes;
use bytestring::ByteString;
use wip_schema::{EtxMeaning, Final};

/// One line the modem sent, cut into prefix, body and field count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// The whole line, without its CR LF framing.
    pub text: &'a str,
    /// The prefix without the colon (`+WIPBR`), if the line has one.
    pub prefix: Option<&'a str>,
    /// What follows the colon, leading blanks removed; the whole line when
    /// it has no prefix. Always a suffix of `text`. Split it with
    /// [`crate::fields::split`].
    pub body: &'a str,
    /// How many comma-separated fields the body holds.
    pub fields: usize,
}

/// Why part of the stream was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum FrameError {
    /// A line (or garbage without a line feed) grew past the maximum line
    /// length; it is dropped up to the next line feed.
    #[error("line longer than {max} bytes dropped")]
    LineTooLong {
        /// The maximum line length in force.
        max: usize,
    },
}

/// One thing the framer found in the modem's bytes.
///
/// Data may be cut into more or fewer [`Event::Data`] events depending on
/// how the input was chunked; every other event, and the concatenation of
/// the data between them, is the same for every chunking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// The echo of a command line (`ATE1`).
    Echo(&'a [u8]),
    /// An information response of the command in flight.
    Response {
        /// The index of the command in [`wip_schema::Dialect::commands`].
        command: usize,
        /// The index of the message it matched in
        /// [`wip_schema::Dialect::messages`].
        message: usize,
        /// The line.
        line: Line<'a>,
    },
    /// An unsolicited result code.
    Urc {
        /// The index of the message it matched in
        /// [`wip_schema::Dialect::messages`].
        message: usize,
        /// The line.
        line: Line<'a>,
    },
    /// A line that is neither a final result code, a response of the command
    /// in flight nor a URC of the dialect (for example the response of a
    /// command outside the dialect, or a line that is not UTF-8).
    Unknown(&'a [u8]),
    /// A final result code; `CONNECT` switches to data mode and the next
    /// final result code switches back.
    Final(Final),
    /// Payload bytes received in data mode, unescaped in continuous mode.
    Data(&'a [u8]),
    /// A lone ETX in continuous mode (6.2.2.3), with its meaning in the
    /// session (`None` when the session was not announced).
    EndOfData(Option<EtxMeaning>),
    /// The `\r\nSHUTDOWN\r\n` indication: the peer shut the TCP connection
    /// down; the line stays in data mode (6.2.11.1).
    Shutdown,
    /// Bytes were dropped; framing resumes at the next line feed.
    Error(FrameError),
    /// The line of a final result code the dialect declares (`DATA
    /// ACCEPT: 12`), given right before its [`Event::Final`] so that its
    /// fields can be typed.
    FinalLine(Line<'a>),
    /// The prompt of the command in flight (`> `, `@`), matched at a line
    /// start without a line end: the host may now write its payload (see
    /// [`wip_schema::payload`]).
    Prompt,
    /// Raw data right after the line of the response or URC reported just
    /// before it, as its message declares (counted bytes, or the next
    /// line); see [`wip_schema::PayloadAfter`].
    Payload(&'a [u8]),
}

/// [`Line`] with owned text: a [`ByteString`] (it derefs to `str`), which
/// the clients and the codec slice out of the chunk the line was read in
/// rather than copy ([`OwnedLine::in_chunk`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedLine {
    /// The whole line.
    pub text: ByteString,
    /// The length of the prefix in `text` (0 without a prefix).
    prefix_len: usize,
    /// Where the body starts in `text`.
    body_start: usize,
    /// How many comma-separated fields the body holds.
    pub fields: usize,
}

impl OwnedLine {
    /// The prefix without its colon, if the line has one.
    pub fn prefix(&self) -> Option<&str> {
        match self.prefix_len {
            0 => None,
            n => self.text.get(..n),
        }
    }

    /// The body: what follows the colon, or the whole line.
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or_default()
    }
}

impl OwnedLine {
    /// `l` with its text a slice of `chunk` when it lies inside it (no
    /// copy; the framer's lines do, unless the line was cut across
    /// chunks), else a copy.
    pub fn in_chunk(chunk: &Bytes, l: Line<'_>) -> OwnedLine {
        let (base, at) = (chunk.as_ptr() as usize, l.text.as_ptr() as usize);
        let inside = !l.text.is_empty() && at >= base && at + l.text.len() <= base + chunk.len();
        let text = inside
            .then(|| chunk.slice(at - base..at - base + l.text.len()))
            .and_then(|b| ByteString::try_from(b).ok())
            .unwrap_or_else(|| ByteString::from(l.text));
        OwnedLine::with_text(text, l)
    }

    fn with_text(text: ByteString, l: Line<'_>) -> OwnedLine {
        // The body is a suffix of the text (see `Line::body`).
        let body_start = l.text.len().saturating_sub(l.body.len());
        OwnedLine {
            text,
            prefix_len: l.prefix.map_or(0, str::len),
            body_start,
            fields: l.fields,
        }
    }
}

impl From<Line<'_>> for OwnedLine {
    fn from(l: Line<'_>) -> Self {
        OwnedLine::with_text(ByteString::from(l.text), l)
    }
}

/// [`Event`] with owned data, to keep or send across threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedEvent {
    /// See [`Event::Echo`].
    Echo(Vec<u8>),
    /// See [`Event::Response`].
    Response {
        /// The command index.
        command: usize,
        /// The message index.
        message: usize,
        /// The line.
        line: OwnedLine,
    },
    /// See [`Event::Urc`].
    Urc {
        /// The message index.
        message: usize,
        /// The line.
        line: OwnedLine,
    },
    /// See [`Event::Unknown`].
    Unknown(Vec<u8>),
    /// See [`Event::Final`].
    Final(Final),
    /// See [`Event::Data`].
    Data(Vec<u8>),
    /// See [`Event::EndOfData`].
    EndOfData(Option<EtxMeaning>),
    /// See [`Event::Shutdown`].
    Shutdown,
    /// See [`Event::Error`].
    Error(FrameError),
    /// See [`Event::FinalLine`].
    FinalLine(OwnedLine),
    /// See [`Event::Prompt`].
    Prompt,
    /// See [`Event::Payload`].
    Payload(Vec<u8>),
}

impl Event<'_> {
    /// A copy that owns its bytes.
    pub fn to_owned_event(&self) -> OwnedEvent {
        match *self {
            Event::Echo(b) => OwnedEvent::Echo(b.to_vec()),
            Event::Response {
                command,
                message,
                line,
            } => OwnedEvent::Response {
                command,
                message,
                line: line.into(),
            },
            Event::Urc { message, line } => OwnedEvent::Urc {
                message,
                line: line.into(),
            },
            Event::Unknown(b) => OwnedEvent::Unknown(b.to_vec()),
            Event::Final(f) => OwnedEvent::Final(f),
            Event::Data(b) => OwnedEvent::Data(b.to_vec()),
            Event::EndOfData(m) => OwnedEvent::EndOfData(m),
            Event::Shutdown => OwnedEvent::Shutdown,
            Event::Error(e) => OwnedEvent::Error(e),
            Event::FinalLine(l) => OwnedEvent::FinalLine(l.into()),
            Event::Prompt => OwnedEvent::Prompt,
            Event::Payload(b) => OwnedEvent::Payload(b.to_vec()),
        }
    }
}

/// Merges adjacent [`OwnedEvent::Data`] events, so that event lists from
/// different chunkings of one stream compare equal.
pub fn coalesce(events: Vec<OwnedEvent>) -> Vec<OwnedEvent> {
    let mut out: Vec<OwnedEvent> = Vec::with_capacity(events.len());
    for e in events {
        match (out.last_mut(), e) {
            (Some(OwnedEvent::Data(prev)), OwnedEvent::Data(d)) => prev.extend_from_slice(&d),
            (_, e) => out.push(e),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_line_keeps_prefix_and_body() {
        let text = "+WIPBR: 6,11";
        let line = Line {
            text,
            prefix: text.get(..6),
            body: text.get(8..).unwrap(),
            fields: 2,
        };
        let o = OwnedLine::from(line);
        assert_eq!(
            (o.prefix(), o.body(), o.fields),
            (Some("+WIPBR"), "6,11", 2)
        );
    }

    #[test]
    fn a_line_in_its_chunk_is_a_slice_of_it_and_one_outside_a_copy() {
        let chunk = Bytes::from_static(b"\r\n+WIPBR: 6,11\r\n");
        let text = core::str::from_utf8(&chunk[2..14]).unwrap();
        let line = Line {
            text,
            prefix: text.get(..6),
            body: text.get(8..).unwrap(),
            fields: 2,
        };
        let o = OwnedLine::in_chunk(&chunk, line);
        assert_eq!(o, OwnedLine::from(line));
        assert_eq!((o.text.as_ptr(), o.body()), (chunk[2..].as_ptr(), "6,11"));
        let elsewhere = OwnedLine::in_chunk(&Bytes::from_static(b"other"), line);
        assert_eq!(elsewhere, o);
        assert_ne!(elsewhere.text.as_ptr(), chunk[2..].as_ptr());
    }

    #[test]
    fn coalesce_merges_data_only() {
        let ev = vec![
            OwnedEvent::Data(b"a".to_vec()),
            OwnedEvent::Data(b"b".to_vec()),
            OwnedEvent::Shutdown,
            OwnedEvent::Data(b"c".to_vec()),
        ];
        assert_eq!(
            coalesce(ev),
            vec![
                OwnedEvent::Data(b"ab".to_vec()),
                OwnedEvent::Shutdown,
                OwnedEvent::Data(b"c".to_vec())
            ]
        );
    }
}
