//! Requests whose real outcome is a later URC (`OK` now,
//! `+CIPOPEN: <link>,<err>` when the connection is up):
//! `send_and_complete` sends the request, takes its answer, then waits for
//! the URC that matches it by the fields its spec says it repeats. Other
//! URCs stay queued.

use std::time::Duration;

use wip_schema::completion as c;
use wip_schema::typed::{parse_message_as, FromCode, FromMessage, TypedCompletion};
use wip_schema::{Dialect, ParsedCommand};

use super::{Answer, SendError, Urc};

/// What a completion waits for: the message, the timeout and its
/// description for errors.
pub(crate) struct Waiting {
    pub(crate) message: usize,
    pub(crate) after: Duration,
    pub(crate) what: String,
}

/// The completion a sent request waits for, or why it waits for none.
pub(crate) fn waiting<E: FromCode>(
    d: &Dialect,
    line: &str,
    parsed: &ParsedCommand,
) -> Result<Waiting, SendError<E>> {
    let comp = c::completion(d, parsed).ok_or_else(|| SendError::NotCompleting(line.into()))?;
    Ok(Waiting {
        message: comp.message,
        after: Duration::from_millis(u64::from(c::completion_timeout_ms(d, parsed, comp))),
        what: c::describe(d, parsed, comp),
    })
}

/// Whether a URC is the completion of the request.
pub(crate) fn matches(d: &Dialect, parsed: &ParsedCommand, w: &Waiting, u: &Urc) -> bool {
    u.message == Some(w.message)
        && parse_message_as(d, w.message, &u.line.text)
            .is_ok_and(|b| c::completes(d, parsed, w.message, &b))
}

/// The typed completion of a URC [`matches`] accepted.
pub(crate) fn typed<C: TypedCompletion>(
    d: &Dialect,
    w: &Waiting,
    u: &Urc,
) -> Result<C::Completion, SendError<C::Error>> {
    C::Completion::decode_framed(d, w.message, &u.line.text, u.line.body())
        .map_err(SendError::Decode)
}

/// A request's answer and the URC that completed it.
pub type Completed<C> = (
    Answer<<C as wip_schema::typed::TypedCommand>::Response>,
    <C as TypedCompletion>::Completion,
);
