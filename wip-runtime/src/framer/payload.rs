//! Raw data after a message's line (schema point 5): after a line whose
//! message declares [`PayloadAfter::Counted`], the framer takes exactly
//! that many bytes raw (a payload holding CR LF or `OK` included) and
//! reports them as one [`Event::Payload`]; after one declaring
//! [`PayloadAfter::Line`], it takes the next line raw, even when it is
//! empty or reads `OK`. The bytes are gathered whole before the event, so
//! the events do not depend on the chunking; a payload longer than
//! [`FramerConfig::max_line`](super::FramerConfig::max_line) is dropped
//! with one [`FrameError::LineTooLong`].

use super::{Event, FrameError, Framer};
use alloc::vec::Vec;
use wip_schema::payload::{counted_len, PayloadAfter};

/// The raw state of the framer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Raw {
    /// Taking `left` more bytes into `got`.
    Count { left: usize, got: Vec<u8> },
    /// Dropping `left` more bytes of a payload too long to keep.
    Skip { left: usize },
    /// Taking the next line into `got`.
    Line { got: Vec<u8> },
}

impl Framer<'_> {
    /// After a message line is reported: enters the raw state its message
    /// declares, if any.
    pub(super) fn arm_payload<F: FnMut(Event<'_>)>(
        &mut self,
        message: usize,
        body: &str,
        sink: &mut F,
    ) {
        let Some(kind) = self.dialect.messages.get(message).and_then(|m| m.payload) else {
            return;
        };
        let max = self.cfg.max_line;
        self.raw = match kind {
            PayloadAfter::Line => Some(Raw::Line { got: Vec::new() }),
            PayloadAfter::Counted { field } => match counted_len(body, field) {
                // A count that does not read: nothing can be taken by it.
                None => None,
                Some(0) => {
                    sink(Event::Payload(&[]));
                    None
                }
                Some(n) if n > max => {
                    sink(Event::Error(FrameError::LineTooLong { max }));
                    Some(Raw::Skip { left: n })
                }
                Some(n) => Some(Raw::Count {
                    left: n,
                    got: Vec::with_capacity(n),
                }),
            },
        };
    }

    /// Takes raw bytes from the start of `rest`; returns how many.
    pub(super) fn feed_raw<F: FnMut(Event<'_>)>(&mut self, rest: &[u8], sink: &mut F) -> usize {
        let max = self.cfg.max_line;
        match self.raw.take() {
            None => 0,
            Some(Raw::Skip { left }) => {
                let n = left.min(rest.len());
                if n < left {
                    self.raw = Some(Raw::Skip { left: left - n });
                }
                n
            }
            Some(Raw::Count { left, mut got }) => {
                let n = left.min(rest.len());
                got.extend_from_slice(rest.get(..n).unwrap_or_default());
                if n < left {
                    self.raw = Some(Raw::Count {
                        left: left - n,
                        got,
                    });
                } else {
                    sink(Event::Payload(&got));
                }
                n
            }
            Some(Raw::Line { mut got }) => match memchr::memchr(b'\n', rest) {
                None => {
                    if got.len() + rest.len() > max {
                        sink(Event::Error(FrameError::LineTooLong { max }));
                        self.discarding = true;
                    } else {
                        got.extend_from_slice(rest);
                        self.raw = Some(Raw::Line { got });
                    }
                    rest.len()
                }
                Some(off) => {
                    let seg = rest.get(..off).unwrap_or_default();
                    if got.len() + seg.len() > max {
                        sink(Event::Error(FrameError::LineTooLong { max }));
                    } else {
                        got.extend_from_slice(seg);
                        if got.last() == Some(&b'\r') {
                            got.pop();
                        }
                        sink(Event::Payload(&got));
                    }
                    off + 1
                }
            },
        }
    }
}
