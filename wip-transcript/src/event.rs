//! The events of a transcript and how each is written as a line.

use std::fmt;

use crate::payload::encode_payload;

/// One line of a transcript, as the format defines it.
///
/// Blank lines produce no event. Every variant that may carry a trailing
/// comment (`// ...` after a blank, outside double quotes) keeps it, without
/// the `//` and the blanks around it, so that tools can show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Event {
    /// A comment line (`# text` or `// text`); the text is trimmed.
    Comment(String),
    /// A directive for a tool: `@name args`.
    Directive {
        /// The word right after `@`.
        name: String,
        /// The rest of the line, trimmed, without its trailing comment.
        args: String,
        /// The trailing comment, if any.
        comment: Option<String>,
    },
    /// A command line the host sends (it starts with `AT` or `at`), exactly
    /// as sent without its terminating `<CR>`.
    Command {
        /// The command without surrounding blanks and trailing comment.
        text: String,
        /// The trailing comment, if any.
        comment: Option<String>,
    },
    /// A line the modem sends between its `<CR><LF>` framing: an
    /// information response, a final result code or a URC.
    ModemLine {
        /// The line without surrounding blanks and trailing comment.
        text: String,
        /// The trailing comment, if any.
        comment: Option<String>,
    },
    /// Bytes the host writes in data mode (`>> PAYLOAD`), decoded.
    HostData(Vec<u8>),
    /// Bytes the modem writes in data mode (`<< PAYLOAD`), decoded.
    ModemData(Vec<u8>),
    /// The host's escape sequence `+++` (with its guard times) in data mode.
    Escape {
        /// The trailing comment, if any.
        comment: Option<String>,
    },
}

impl Event {
    /// The trailing comment of the line, if the event has one.
    pub fn trailing_comment(&self) -> Option<&str> {
        match self {
            Event::Directive { comment, .. }
            | Event::Command { comment, .. }
            | Event::ModemLine { comment, .. }
            | Event::Escape { comment } => comment.as_deref(),
            Event::Comment(_) | Event::HostData(_) | Event::ModemData(_) => None,
        }
    }

    /// Whether this is a modem line that puts its channel in data mode:
    /// `CONNECT`, alone or followed by a blank and more text
    /// (`CONNECT 115200`, the V.25ter form).
    pub fn is_connect(&self) -> bool {
        match self {
            Event::ModemLine { text, .. } => match text.strip_prefix("CONNECT") {
                Some(rest) => rest.is_empty() || rest.starts_with([' ', '\t']),
                None => false,
            },
            _ => false,
        }
    }
}

impl Event {
    /// Writes the line of the event, with `sep` between a text and its
    /// trailing comment (it must hold a blank).
    pub(crate) fn write_line(&self, f: &mut impl fmt::Write, sep: &str) -> fmt::Result {
        match self {
            Event::Comment(text) if text.is_empty() => f.write_str("#"),
            Event::Comment(text) => write!(f, "# {text}"),
            Event::Directive {
                name,
                args,
                comment,
            } => {
                write!(f, "@{name}")?;
                if !args.is_empty() {
                    write!(f, " {args}")?;
                }
                write_comment(f, sep, comment.as_deref())
            }
            Event::Command { text, comment } | Event::ModemLine { text, comment } => {
                f.write_str(text)?;
                write_comment(f, sep, comment.as_deref())
            }
            Event::HostData(bytes) => write!(f, ">> {}", encode_payload(bytes)),
            Event::ModemData(bytes) => write!(f, "<< {}", encode_payload(bytes)),
            Event::Escape { comment } => {
                f.write_str("+++")?;
                write_comment(f, sep, comment.as_deref())
            }
        }
    }
}

/// Writes the event as one transcript line, without its line end; two
/// blanks set a trailing comment apart from the text.
///
/// The line reads back as the same event when the event could have come
/// from a transcript; [`crate::Writer`] checks that and tracks data mode.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_line(f, "  ")
    }
}

/// Writes a trailing comment after `sep`.
fn write_comment(f: &mut impl fmt::Write, sep: &str, comment: Option<&str>) -> fmt::Result {
    match comment {
        None => Ok(()),
        Some("") => write!(f, "{sep}//"),
        Some(c) => write!(f, "{sep}// {c}"),
    }
}

/// A value with the place it comes from: its 1-based line number and the
/// channel (UART) that was current on that line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    /// 1-based line number in the transcript.
    pub line: usize,
    /// The channel the line belongs to: [`crate::DEFAULT_CHANNEL`] until an
    /// `@channel NAME` directive switches it.
    pub channel: String,
    /// The value itself.
    pub value: T,
}
