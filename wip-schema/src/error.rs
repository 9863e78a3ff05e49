//! Why a command line or a response does not fit its dialect.

use alloc::string::{String, ToString};
use core::fmt;

/// The broad class of a problem, for tools that react differently to each
/// (a verifier tells an unknown command from a bad value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorKind {
    /// Not a command line at all (no `AT`).
    NotACommand,
    /// A command name the dialect does not know.
    UnknownCommand,
    /// The command has no form of this syntax, or no action form for the
    /// discriminator given.
    NoSuchForm,
    /// The fields cannot be split (an unterminated quote …).
    Syntax,
    /// Too few or too many fields.
    Arity,
    /// A field of the wrong kind (a string where an integer is expected).
    Type,
    /// A value outside its range, set, length or format.
    Value,
    /// An option number the table does not have, or one without the
    /// access asked for.
    Option,
    /// A rule across parameters is broken.
    Rule,
    /// A modem line that is neither a response the pending command may
    /// return nor a URC.
    UnknownMessage,
}

/// A problem with one line, located by the item it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// The broad class.
    pub kind: ErrorKind,
    /// The command or message concerned (`+WIPCFG`, `+WIPCFG option 4
    /// (WIP_NET_OPT_TCP_MIN_MSS)`, `+WIPREADY`).
    pub context: String,
    /// The parameter concerned, when there is one (`communication index`).
    pub param: Option<String>,
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.param {
            Some(p) => write!(f, "{} <{}> {}", self.context, p, self.message),
            None if self.context.is_empty() => f.write_str(&self.message),
            None => write!(f, "{} {}", self.context, self.message),
        }
    }
}

impl Error {
    pub(crate) fn new(
        kind: ErrorKind,
        context: &str,
        param: Option<&str>,
        message: String,
    ) -> Self {
        Error {
            kind,
            context: context.to_string(),
            param: param.map(str::to_string),
            message,
        }
    }
}
