//! Typed requests and answers: a generated request in, its typed
//! responses out, and `+CME ERROR: <code>` as the spec's error enum.
//!
//! ```no_run
//! # fn demo<T: wip_runtime::transport::Transport, C: wip_runtime::schema::typed::TypedCommand>(
//! #     client: &mut wip_runtime::client::Client<'static, T>, req: &C) {
//! match client.send(req) {
//!     Ok(answer) => { let _ = answer.responses; }
//!     Err(wip_runtime::client::SendError::Refused { code, .. }) => eprintln!("refused: {code}"),
//!     Err(e) => eprintln!("{e}"),
//! }
//! # }
//! ```

use core::fmt;

use bytes::Bytes;

use wip_schema::typed::{FromCode, FromMessage, TypedCommand, TypedFinal};
use wip_schema::{Dialect, Error as SpecError, Final};

use super::{ClientError, Reply};

/// What a typed request got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer<R> {
    /// The information responses, typed, in order.
    pub responses: Vec<R>,
    /// `OK` or `CONNECT`, or a success final result code the spec
    /// declares (`SEND OK`; see [`Answer::final_as`]).
    pub final_code: Final,
    /// The line of the final result code when the spec declares it
    /// (`DATA ACCEPT: 12`); `None` for the built-in ones.
    pub final_line: Option<String>,
    /// The raw data after each response, in the order of
    /// [`Answer::responses`] (one entry per response): `Some` for a
    /// response whose message declares a payload (SIMCom
    /// `+CIPRXGET: 2,…` then `<read_len>` bytes, 27.005 `+CMGR: …` then
    /// the text line, the content of a u-blox `+USORD` counted field),
    /// `None` for the others. See [`Answer::with_payloads`].
    pub payloads: Vec<Option<Bytes>>,
}

impl<R> Answer<R> {
    /// Each response with the raw data the modem sent after it, if any:
    /// `+CIPRXGET: 2,0,17,0` with its 17 bytes, `+CMGR: …` with its text.
    pub fn with_payloads(&self) -> impl Iterator<Item = (&R, Option<&Bytes>)> + '_ {
        self.responses
            .iter()
            .enumerate()
            .map(|(i, r)| (r, self.payloads.get(i).and_then(Option::as_ref)))
    }

    /// The raw data after the first response that has one.
    pub fn payload(&self) -> Option<&Bytes> {
        self.payloads.iter().flatten().next()
    }

    /// The final result code as the spec's typed final `F` (`SEND OK`,
    /// `DATA ACCEPT: <length>` with its fields typed), when the answer
    /// ended with it; `None` when it ended with another one.
    pub fn final_as<F: TypedFinal>(&self) -> Option<Result<F, SpecError>> {
        if self.final_code != F::CODE {
            return None;
        }
        Some(F::parse(self.final_line.as_deref().unwrap_or_default()))
    }
}

/// Why a typed request failed.
#[derive(Debug, thiserror::Error)]
pub enum SendError<E: fmt::Debug> {
    /// The modem refused it with `+CME ERROR: <code>`: the spec's error
    /// (codes the spec does not define are kept as its unknown variant).
    #[error("the modem refused the command: +CME ERROR: {code}")]
    Refused {
        /// The typed error.
        error: E,
        /// The code on the wire.
        code: u32,
    },
    /// The modem answered another failure (`ERROR`, `NO CARRIER`, a
    /// failure final result code the spec declares such as `SEND FAIL`).
    #[error("the modem answered {0}")]
    Failed(Final),
    /// A response line does not decode as the message the framer tagged it
    /// with, or the framer knew no message for it.
    #[error("a response does not decode: {0}")]
    Decode(SpecError),
    /// The request breaks a rule of its form (a value out of range, a
    /// parameter another one needs left out): it was not sent.
    #[error("the request was not sent: {0}")]
    Invalid(SpecError),
    /// The client was made for another command set than the request's.
    #[error("the request belongs to {request}, the client speaks {client}")]
    OtherSpec {
        /// The request's command set.
        request: String,
        /// The client's.
        client: String,
    },
    /// The request's form opens no data session (its outcome in the spec
    /// is not continuous or transparent mode after `CONNECT`).
    #[error("`{0}` opens no data session")]
    NotData(String),
    /// The line or the port failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The command was answered, but the URC that completes it did not
    /// come in time.
    #[error("`{command}` was answered, but no {completion} completed it within {after:?}")]
    NoCompletion {
        /// The command line.
        command: String,
        /// The completion waited for (`+CIPOPEN with <link_num> = 0`).
        completion: String,
        /// How long it was waited for after the final result code.
        after: std::time::Duration,
    },
    /// The request's values make its form complete with its final result
    /// code: no completion URC is declared for them (`<async_connect>` = 0).
    #[error("`{0}` waits for no completion URC")]
    NotCompleting(String),
}

/// Checks a request before it is sent and gives its line and parsed form:
/// its values against its form's ranges and rules (a builder checks each
/// value as it is set, the rules across parameters only here), and that a
/// client made for `client` can send it. The line is formatted once, for
/// the check and for the wire.
pub(crate) fn prepare<C: TypedCommand>(
    client: &Dialect,
    req: &C,
) -> Result<(String, wip_schema::ParsedCommand), SendError<C::Error>> {
    same_spec::<C>(client)?;
    let values = req.to_bound();
    let line = wip_schema::command::checked_line(C::dialect(), C::COMMAND, C::FORM, &values)
        .map_err(SendError::Invalid)?;
    let parsed = wip_schema::ParsedCommand {
        command: C::COMMAND,
        form: C::FORM,
        values,
    };
    Ok((line, parsed))
}

/// Whether sending a request of `C` needs its values bound, beyond its
/// line: its form may open a data session (which its values pick), or a
/// parameter gives the command's timeout.
pub(crate) fn needs_values<C: TypedCommand>() -> bool {
    let Some(c) = C::dialect().commands.get(C::COMMAND) else {
        return true;
    };
    c.timeout_from.is_some() || c.forms.get(C::FORM).is_none_or(|f| !f.outcomes.is_empty())
}

/// The timeout of a request of `C` bound into `p`: the command's, unless
/// a parameter gives it (then `p` holds the values, see [`needs_values`]).
pub(crate) fn timeout_ms<C: TypedCommand>(p: &wip_schema::ParsedCommand) -> u32 {
    match C::dialect().commands.get(C::COMMAND) {
        Some(c) if c.timeout_from.is_none() => c.timeout_ms,
        _ => wip_schema::completion::timeout_ms(C::dialect(), p),
    }
}

/// Checks a typed request and formats its line into `out` (cleared
/// first): by the generated check of a simple form, else by the engine on
/// the values bound into `p`. `p` names the form and holds the values
/// when something after needs them ([`needs_values`]). Gives the timeout
/// in milliseconds.
pub(crate) fn checked_into<C: TypedCommand>(
    req: &C,
    out: &mut String,
    p: &mut wip_schema::ParsedCommand,
) -> Result<u32, SendError<C::Error>> {
    out.clear();
    (p.command, p.form) = (C::COMMAND, C::FORM);
    if req.write_checked(out, &mut p.values) {
        if needs_values::<C>() {
            req.to_bound_into(&mut p.values);
        }
    } else {
        req.to_bound_into(&mut p.values);
        wip_schema::command::checked_line_into(out, C::dialect(), p.command, p.form, &p.values)
            .map_err(SendError::Invalid)?;
    }
    Ok(timeout_ms::<C>(p))
}

/// Checks that a client made for `client` can send requests of `C`.
pub(crate) fn same_spec<C: TypedCommand>(client: &Dialect) -> Result<(), SendError<C::Error>> {
    let request = C::dialect();
    if core::ptr::eq(client, request) || client == request {
        Ok(())
    } else {
        Err(SendError::OtherSpec {
            request: request.name.to_string(),
            client: client.name.to_string(),
        })
    }
}

/// Types a reply: its lines by the messages the framer tagged them with,
/// its final result code as success or the spec's error.
pub(crate) fn answer<C: TypedCommand>(
    reply: Reply,
) -> Result<Answer<C::Response>, SendError<C::Error>> {
    match reply.final_code {
        Final::CmeError(Some(code)) => {
            return Err(SendError::Refused {
                error: C::Error::from_code(code),
                code,
            })
        }
        f if f.is_error() => return Err(SendError::Failed(f)),
        _ => {}
    }
    let d = C::dialect();
    let mut responses = Vec::with_capacity(reply.lines.len());
    let payloads = reply.lines.iter().map(|l| l.payload.clone()).collect();
    for l in &reply.lines {
        let Some(message) = l.message else {
            return Err(SendError::Decode(wip_schema::typed::not_a_response(
                d,
                (C::COMMAND, C::FORM),
                &l.line.text,
            )));
        };
        let r = C::Response::decode(d, message, &l.line.text).map_err(SendError::Decode)?;
        responses.push(r);
    }
    Ok(Answer {
        responses,
        payloads,
        final_code: reply.final_code,
        final_line: reply.final_line.map(|l| String::from(l.text)),
    })
}

/// The final result code of a basic command, typed as [`answer`] types
/// a request's: `+CME ERROR: <code>` as [`SendError::Refused`] with the
/// code, other failures as [`SendError::Failed`].
pub(crate) fn basic_answer(reply: Reply) -> Result<Final, SendError<u32>> {
    match reply.final_code {
        Final::CmeError(Some(code)) => Err(SendError::Refused { error: code, code }),
        f if f.is_error() => Err(SendError::Failed(f)),
        f => Ok(f),
    }
}
