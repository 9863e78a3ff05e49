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
use core::marker::PhantomData;

use bytes::Bytes;

use wip_schema::typed::{FromCode, FromMessage, TypedCommand, TypedFinal};
use wip_schema::{Dialect, Error as SpecError, Final};

use super::{ClientError, Collect, Reply};
use crate::framer::OwnedLine;

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
    /// The raw data the modem sent after responses, in order, each with
    /// the index of its response in [`Answer::responses`]: SIMCom
    /// `+CIPRXGET: 2,…` then `<read_len>` bytes, 27.005 `+CMGR: …` then the
    /// text line, the content of a u-blox `+USORD` counted field. Only
    /// responses whose message declares a payload have an entry; empty
    /// (nothing allocated) when none has. See [`Answer::with_payloads`]
    /// and [`Answer::payload_of`].
    pub payloads: Vec<(usize, Bytes)>,
}

impl<R> Answer<R> {
    /// Each response with the raw data the modem sent after it, if any:
    /// `+CIPRXGET: 2,0,17,0` with its 17 bytes, `+CMGR: …` with its text.
    pub fn with_payloads(&self) -> impl Iterator<Item = (&R, Option<&Bytes>)> + '_ {
        let mut next = self.payloads.iter().peekable();
        self.responses.iter().enumerate().map(move |(i, r)| {
            while next.next_if(|(at, _)| *at < i).is_some() {}
            (r, next.next_if(|(at, _)| *at == i).map(|(_, b)| b))
        })
    }

    /// The raw data after response `i` of [`Answer::responses`], if any.
    pub fn payload_of(&self, i: usize) -> Option<&Bytes> {
        self.payloads
            .iter()
            .find_map(|(at, b)| (*at == i).then_some(b))
    }

    /// The raw data after the first response that has one.
    pub fn payload(&self) -> Option<&Bytes> {
        self.payloads.first().map(|(_, b)| b)
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

/// `" (<meaning>)"` of a refusal whose code the command set defines, for
/// [`SendError::Refused`]'s message; nothing otherwise.
struct RefusalText(Option<&'static str>);

impl fmt::Display for RefusalText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(t) => write!(f, " ({t})"),
            None => Ok(()),
        }
    }
}

/// Why a typed request failed.
#[derive(Debug, thiserror::Error)]
pub enum SendError<E: FromCode> {
    /// The modem refused it with `+CME ERROR: <code>`: the spec's error
    /// (codes the spec does not define are kept as its unknown variant).
    #[error(
        "the modem refused `{command}`: +CME ERROR: {code}{}",
        RefusalText(error.text())
    )]
    Refused {
        /// The typed error.
        error: E,
        /// The code on the wire.
        code: u32,
        /// The command refused: `AT` and its name (`AT+WIPCREATE`), or
        /// the line of a basic command (`AT+CMEE=1`).
        command: String,
    },
    /// The modem answered another failure (`ERROR`, `NO CARRIER`, a
    /// failure final result code the spec declares such as `SEND FAIL`).
    #[error("`{command}` failed: the modem answered {final_code}")]
    Failed {
        /// The final result code.
        final_code: Final,
        /// The command: `AT` and its name (`AT+WIPCREATE`), or the line of
        /// a basic command (`ATE0`).
        command: String,
    },
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
    /// The request opens a data session (`CONNECT`, then continuous or
    /// transparent mode): `send` would leave the modem in data mode with
    /// no handle to it. It was not sent; `data_typed` sends it and gives
    /// the handle.
    #[error("`{0}` opens data mode: send it with `data_typed`, which gives its handle")]
    OpensData(String),
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

/// Whether sending a request of form `form` of command `command` needs
/// its values bound, beyond its line: its form may open a data session
/// (which its values pick), or a parameter gives the command's timeout.
/// Not generic, as the rest of what [`checked_into`] does after the
/// request's own formatting: one copy for every request type.
fn needs_values(d: &Dialect, command: usize, form: usize) -> bool {
    let Some(c) = d.commands.get(command) else {
        return true;
    };
    c.timeout_from.is_some() || c.forms.get(form).is_none_or(|f| !f.outcomes.is_empty())
}

/// The timeout of the request bound into `p`: its command's, unless a
/// parameter gives it (then `p` holds the values, see [`needs_values`]).
fn timeout_ms(d: &Dialect, p: &wip_schema::ParsedCommand) -> u32 {
    match d.commands.get(p.command) {
        Some(c) if c.timeout_from.is_none() => c.timeout_ms,
        _ => wip_schema::completion::timeout_ms(d, p),
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
    let d = C::dialect();
    out.clear();
    (p.command, p.form) = (C::COMMAND, C::FORM);
    if req.write_checked(out, &mut p.values) {
        if needs_values(d, C::COMMAND, C::FORM) {
            req.to_bound_into(&mut p.values);
        }
    } else {
        req.to_bound_into(&mut p.values);
        if let Err(e) = wip_schema::command::checked_line_into(out, d, p.command, p.form, &p.values)
        {
            return Err(invalid(e));
        }
    }
    Ok(timeout_ms(d, p))
}

/// [`SendError::Client`], out of line.
#[cold]
#[inline(never)]
pub(crate) fn client_error<E: FromCode>(e: ClientError) -> SendError<E> {
    SendError::Client(e)
}

/// [`SendError::Invalid`], out of line.
#[cold]
#[inline(never)]
fn invalid<E: FromCode>(e: SpecError) -> SendError<E> {
    SendError::Invalid(e)
}

/// Checks that a client made for `client` can send requests of `C`.
#[inline]
pub(crate) fn same_spec<C: TypedCommand>(client: &Dialect) -> Result<(), SendError<C::Error>> {
    let request = C::dialect();
    if core::ptr::eq(client, request) {
        return Ok(());
    }
    other_spec(client, request)
}

/// A request whose values make its form open a data session is refused
/// by `send` ([`SendError::OpensData`]); the check costs a look at the
/// form's outcomes for the others.
pub(crate) fn opens_no_data<C: TypedCommand>(
    d: &Dialect,
    req: &C,
) -> Result<(), SendError<C::Error>> {
    let may = d
        .commands
        .get(C::COMMAND)
        .and_then(|c| c.forms.get(C::FORM))
        .is_some_and(|f| {
            f.outcomes
                .iter()
                .any(|o| o.data != wip_schema::DataMode::HexDump)
        });
    if may {
        opens_data(d, req)
    } else {
        Ok(())
    }
}

/// [`opens_no_data`] of a form with a data-mode outcome: its values decide.
#[cold]
fn opens_data<C: TypedCommand>(d: &Dialect, req: &C) -> Result<(), SendError<C::Error>> {
    if crate::framer::DataSession::for_command(d, &req.parsed()).is_some() {
        return Err(SendError::OpensData(req.encode()));
    }
    Ok(())
}

/// [`same_spec`] of two dialects at different addresses: equal, or the
/// error naming both.
#[cold]
fn other_spec<E: FromCode>(client: &Dialect, request: &Dialect) -> Result<(), SendError<E>> {
    if client == request {
        Ok(())
    } else {
        Err(SendError::OtherSpec {
            request: request.name.to_string(),
            client: client.name.to_string(),
        })
    }
}

/// A typed answer, decoded line by line as the reply comes: each response
/// by the message the framer tagged it with (no second classification,
/// no owned line kept), its payload noted by its index.
///
/// Generic in the response type `R` and the error type `E` only, not in
/// the request: requests with the same responses (the many that answer
/// none) share this code.
pub(crate) struct Typed<R, E> {
    responses: Vec<R>,
    payloads: Vec<(usize, Bytes)>,
    final_line: Option<OwnedLine>,
    /// Why the first line that failed did not decode; the lines after it
    /// are not decoded.
    error: Option<SpecError>,
    /// The request's dialect, and its command and form, to decode its
    /// responses and to name it.
    dialect: &'static Dialect,
    pending: (usize, usize),
    refusal: PhantomData<fn() -> E>,
}

impl<R: FromMessage, E: FromCode> Typed<R, E> {
    /// The empty answer of a request of `C`.
    #[inline]
    pub(crate) fn of<C: TypedCommand<Response = R, Error = E>>() -> Self {
        Typed {
            responses: Vec::new(),
            payloads: Vec::new(),
            final_line: None,
            error: None,
            dialect: C::dialect(),
            pending: (C::COMMAND, C::FORM),
            refusal: PhantomData,
        }
    }

    /// A line no message of the command describes.
    fn not_a_response(&mut self, text: &str) {
        if self.error.is_none() {
            self.error = Some(wip_schema::typed::not_a_response(
                self.dialect,
                self.pending,
                text,
            ));
        }
    }

    /// The answer, once `final_code` ended the reply: success, or the
    /// spec's error (before any line that did not decode).
    pub(crate) fn answer(self, final_code: Final) -> Result<Answer<R>, SendError<E>> {
        if final_code.is_error() || self.error.is_some() {
            return Err(self.failure(final_code));
        }
        Ok(Answer {
            responses: self.responses,
            payloads: self.payloads,
            final_code,
            final_line: self.final_line.map(line_text),
        })
    }

    /// `AT` and the name of the request's command, for an error.
    fn command_name(&self) -> String {
        let name = self
            .dialect
            .commands
            .get(self.pending.0)
            .map_or("", |c| &*c.name);
        format!("AT{name}")
    }

    /// Why the answer is a failure: the refusal or failure `final_code`
    /// says, else the first line that did not decode. Out of line, so
    /// that the answers that succeed run (and cache) less code.
    #[cold]
    #[inline(never)]
    fn failure(self, final_code: Final) -> SendError<E> {
        if let Final::CmeError(Some(code)) = final_code {
            return SendError::Refused {
                error: E::from_code(code),
                code,
                command: self.command_name(),
            };
        }
        let command = self.command_name();
        match (final_code, self.error) {
            (f, Some(e)) if !f.is_error() => SendError::Decode(e),
            (final_code, _) => SendError::Failed {
                final_code,
                command,
            },
        }
    }
}

impl<R: FromMessage, E: FromCode> Collect for Typed<R, E> {
    fn response(&mut self, message: usize, line: OwnedLine) {
        if self.error.is_some() {
            return;
        }
        match R::decode_framed(self.dialect, message, &line.text, line.body()) {
            Ok(r) => self.responses.push(r),
            Err(e) => self.error = Some(e),
        }
    }

    fn unknown(&mut self, line: &Bytes) {
        self.not_a_response(&String::from_utf8_lossy(line));
    }

    fn payload(&mut self, data: Bytes) {
        // The payload follows the last response line (as
        // `ReplyLine::payload`); nothing is kept after a failed line.
        let Some(i) = self.responses.len().checked_sub(1) else {
            return;
        };
        if self.error.is_some() {
            return;
        }
        match self.payloads.last_mut() {
            Some((at, b)) if *at == i => *b = data,
            _ => self.payloads.push((i, data)),
        }
    }

    fn final_line(&mut self, line: OwnedLine) {
        self.final_line = Some(line);
    }
}

/// The text of a declared final result code's line, out of line: one
/// copy for every answer type.
#[inline(never)]
fn line_text(l: OwnedLine) -> String {
    String::from(l.text)
}

/// Types a reply of owned lines: its lines by the messages the framer
/// tagged them with, its final result code as success or the spec's error.
pub(crate) fn answer<C: TypedCommand>(
    reply: Reply,
) -> Result<Answer<C::Response>, SendError<C::Error>> {
    let mut typed = Typed::of::<C>();
    for l in reply.lines {
        match l.message {
            Some(m) => typed.response(m, l.line),
            None => typed.not_a_response(&l.line.text),
        }
        if let Some(p) = l.payload {
            typed.payload(p);
        }
    }
    if let Some(l) = reply.final_line {
        typed.final_line(l);
    }
    typed.answer(reply.final_code)
}

/// The final result code of a basic command, typed as [`answer`] types
/// a request's: `+CME ERROR: <code>` as [`SendError::Refused`] with the
/// code, other failures as [`SendError::Failed`].
pub(crate) fn basic_answer(reply: Reply, line: &str) -> Result<Final, SendError<u32>> {
    match reply.final_code {
        Final::CmeError(Some(code)) => Err(SendError::Refused {
            error: code,
            code,
            command: line.to_string(),
        }),
        final_code if final_code.is_error() => Err(SendError::Failed {
            final_code,
            command: line.to_string(),
        }),
        f => Ok(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(payloads: Vec<(usize, Bytes)>) -> Answer<u32> {
        Answer {
            responses: vec![10, 11, 12],
            final_code: Final::Ok,
            final_line: None,
            payloads,
        }
    }

    #[test]
    fn payloads_pair_with_their_responses_by_index() {
        let a = answer(vec![(1, Bytes::from_static(b"one"))]);
        let pairs: Vec<_> = a
            .with_payloads()
            .map(|(r, p)| (*r, p.map(|b| &b[..])))
            .collect();
        assert_eq!(pairs, vec![(10, None), (11, Some(&b"one"[..])), (12, None)]);
        assert_eq!(a.payload_of(1).map(|b| &b[..]), Some(&b"one"[..]));
        assert_eq!(a.payload_of(0), None);
        assert_eq!(a.payload_of(3), None);
        assert_eq!(a.payload().map(|b| &b[..]), Some(&b"one"[..]));
    }

    #[test]
    fn several_payloads_and_none() {
        let a = answer(vec![
            (0, Bytes::from_static(b"a")),
            (2, Bytes::from_static(b"c")),
        ]);
        let got: Vec<_> = a.with_payloads().map(|(_, p)| p.map(|b| &b[..])).collect();
        assert_eq!(got, vec![Some(&b"a"[..]), None, Some(&b"c"[..])]);
        assert_eq!(a.payload().map(|b| &b[..]), Some(&b"a"[..]));
        let none = answer(Vec::new());
        assert!(none.with_payloads().all(|(_, p)| p.is_none()));
        assert_eq!(none.with_payloads().count(), 3);
        assert_eq!(none.payload(), None);
    }
}
