//! The streaming reader: lines in, events out.

use std::io::{self, BufRead};

use crate::channels::Channels;
use crate::error::{ParseError, ParseErrorKind};
use crate::event::{Event, Spanned};
use crate::grammar::{column, parse_line, Mode};

/// Lines longer than this many bytes are skipped with an error by default.
pub const DEFAULT_MAX_LINE_LEN: usize = 1 << 20;

/// Reads a transcript line by line and yields its events.
///
/// Memory holds one line (at most [`Reader::with_max_line_len`] bytes), the
/// current channel and the set of channels in data mode, whatever the size
/// of the input. After an error the reader goes on with the next line,
/// except after an I/O error, which ends the iteration.
#[derive(Debug)]
pub struct Reader<R> {
    inner: R,
    line: usize,
    buf: Vec<u8>,
    channels: Channels,
    max_line_len: usize,
    done: bool,
}

/// One line as read from the input.
enum RawLine {
    /// The line's bytes are in the buffer, without the line end.
    Line,
    /// The line was longer than the limit and was skipped.
    TooLong,
}

impl<R: BufRead> Reader<R> {
    /// A reader of `inner`, starting on channel [`crate::DEFAULT_CHANNEL`]
    /// outside data mode.
    pub fn new(inner: R) -> Self {
        Reader {
            inner,
            line: 0,
            buf: Vec::new(),
            channels: Channels::default(),
            max_line_len: DEFAULT_MAX_LINE_LEN,
            done: false,
        }
    }

    /// Sets the longest line accepted, in bytes without the line end; a
    /// longer line gives [`ParseErrorKind::LineTooLong`] and is skipped
    /// without being held in memory.
    pub fn with_max_line_len(mut self, max: usize) -> Self {
        self.max_line_len = max;
        self
    }

    /// The number of the last line read (0 before the first).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The current channel.
    pub fn channel(&self) -> &str {
        self.channels.current()
    }

    /// Whether the current channel is in data mode.
    pub fn in_data_mode(&self) -> bool {
        self.channels.mode() == Mode::Data
    }

    /// Reads the next line into `self.buf`; `None` at the end of the input.
    fn read_line(&mut self) -> io::Result<Option<RawLine>> {
        let Reader {
            inner,
            buf,
            max_line_len,
            ..
        } = self;
        buf.clear();
        let mut too_long = false;
        let mut read_any = false;
        loop {
            let available = match inner.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            read_any = true;
            let (chunk, used, end) = match memchr::memchr(b'\n', available) {
                Some(i) => (available.get(..i).unwrap_or_default(), i + 1, true),
                None => (available, available.len(), false),
            };
            if !too_long {
                if buf.len() + chunk.len() > *max_line_len + 1 {
                    // One byte over the limit is allowed for the `\r` of a
                    // `\r\n` end, checked below.
                    too_long = true;
                    buf.clear();
                } else {
                    buf.extend_from_slice(chunk);
                }
            }
            inner.consume(used);
            if end {
                break;
            }
        }
        if !read_any {
            return Ok(None);
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        if too_long || buf.len() > *max_line_len {
            buf.clear();
            return Ok(Some(RawLine::TooLong));
        }
        Ok(Some(RawLine::Line))
    }

    /// Parses the line in `self.buf` and moves the channel state past it.
    fn parse_buffered(&mut self) -> Result<Option<Event>, ParseErrorKind> {
        let text = match std::str::from_utf8(&self.buf) {
            Ok(text) => text,
            Err(e) => {
                let valid = self.buf.get(..e.valid_up_to()).unwrap_or_default();
                let prefix = String::from_utf8_lossy(valid);
                return Err(ParseErrorKind::InvalidUtf8 {
                    column: column(&prefix, prefix.len()),
                });
            }
        };
        let event = parse_line(text, self.channels.mode())?;
        if let Some(event) = &event {
            self.channels.apply(event)?;
        }
        Ok(event)
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Spanned<Event>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let raw = match self.read_line() {
                Ok(Some(raw)) => raw,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    // Retrying a failing source could loop forever.
                    self.done = true;
                    return Some(Err(ParseError {
                        line: self.line + 1,
                        kind: ParseErrorKind::Io(e),
                    }));
                }
            };
            self.line += 1;
            // A byte order mark (as some editors save UTF-8) is no part of
            // the first line's text.
            if self.line == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") {
                self.buf.drain(..3);
            }
            let parsed = match raw {
                RawLine::TooLong => Err(ParseErrorKind::LineTooLong {
                    limit: self.max_line_len,
                }),
                RawLine::Line => self.parse_buffered(),
            };
            match parsed {
                Ok(None) => continue,
                Ok(Some(event)) => {
                    return Some(Ok(Spanned {
                        line: self.line,
                        channel: self.channels.current().to_owned(),
                        value: event,
                    }))
                }
                Err(kind) => {
                    return Some(Err(ParseError {
                        line: self.line,
                        kind,
                    }))
                }
            }
        }
        None
    }
}

/// Parses a whole transcript held in memory.
///
/// Stops at the first error; use [`Reader`] to see every error of a file.
pub fn parse_str(text: &str) -> Result<Vec<Spanned<Event>>, ParseError> {
    Reader::new(text.as_bytes()).collect()
}
