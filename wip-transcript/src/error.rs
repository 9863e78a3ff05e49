//! Errors of reading and writing transcripts.

use std::io;

use thiserror::Error;

/// A malformed escape inside a payload (`>> ` or `<< ` line).
///
/// The escapes a payload knows are `[ETX]`, `[DLE]`, `\xHH`, `\r`, `\n`,
/// `\\` and `\[`; any other backslash is an error. A `[` that does not start
/// `[ETX]` or `[DLE]` is not an escape at all but a literal `[`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "column {column}: malformed payload escape `{escape}`: {}",
    escape_problem(escape)
)]
pub struct EscapeError {
    /// 1-based column (in characters) where the escape starts.
    pub column: usize,
    /// The offending text: the backslash and what follows it.
    pub escape: String,
}

/// Why an escape is malformed, for the error message.
fn escape_problem(escape: &str) -> &'static str {
    if escape == "\\" {
        "a lone backslash at the end of the payload (write `\\\\` for a backslash)"
    } else if escape.starts_with("\\x") {
        "`\\x` needs two hex digits"
    } else {
        "unknown escape (known: [ETX], [DLE], \\xHH, \\r, \\n, \\\\, \\[)"
    }
}

/// What went wrong on one line.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The line is not valid UTF-8.
    #[error("column {column}: not valid UTF-8")]
    InvalidUtf8 {
        /// 1-based column (in characters) of the first byte that is not UTF-8.
        column: usize,
    },
    /// A payload escape is malformed.
    #[error(transparent)]
    BadEscape(#[from] EscapeError),
    /// `@channel` is not followed by exactly one channel name (one word of
    /// ASCII letters, digits, `_`, `-` or `.`).
    #[error(
        "`@channel` takes exactly one channel name (letters, digits, `_`, `-`, `.`), found `{args}`"
    )]
    BadChannel {
        /// The arguments found after `@channel`.
        args: String,
    },
    /// The line is longer than the reader accepts; it is skipped.
    #[error("line longer than {limit} bytes")]
    LineTooLong {
        /// The limit in bytes, without the line end.
        limit: usize,
    },
    /// Reading failed; the reader stops after this error.
    #[error("read error: {0}")]
    Io(#[from] io::Error),
    /// The line matches no rule of the grammar. The grammar accepts every
    /// line but the cases above, so this is a bug of the grammar.
    #[error("{message}")]
    Grammar {
        /// The parser's message.
        message: String,
    },
}

/// An error of one transcript line, with its 1-based line number.
///
/// The reader goes on with the next line after any error but
/// [`ParseErrorKind::Io`], so a tool can report every error of a file.
#[derive(Debug, Error)]
#[error("line {line}: {kind}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

/// An event that cannot be written as a transcript line meaning that event.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The event's text holds a line end, or would read back as another
    /// event (a modem line starting with `AT`, a command not starting with
    /// it, a text with ` //` outside quotes, a payload outside data mode...).
    #[error("cannot be written as a transcript line: `{line}`")]
    NotRepresentable {
        /// The line the event would have been written as.
        line: String,
    },
    /// A channel name must be one word of ASCII letters, digits, `_`, `-`
    /// or `.`.
    #[error("bad channel name `{0}`")]
    BadChannel(String),
    /// Writing failed.
    #[error("write error: {0}")]
    Io(#[from] io::Error),
}
