//! Prompts and the raw payload the host writes after them.
//!
//! Some commands do not end with their line: the modem answers a prompt
//! (`\r\n> ` of 27.005 `+CMGS`, `@` of u-blox `+USOWR`, `>` of SIMCom
//! `+CIPSEND`) without a line end, the host writes raw bytes (a declared
//! number of them, or up to a terminator such as Ctrl-Z), and the modem
//! then sends the form's responses and its final result code. A [`Form`]
//! says so with [`Form::prompt`]; this module holds that description and
//! the engine's work on it: which payload rule applies to a command line
//! ([`payload_rule`]), the bytes a host writes for a payload
//! ([`encode_payload`]) and the check of bytes seen on a line
//! ([`check_payload`]).

use crate::command::ParsedCommand;
use crate::error::{Error, ErrorKind};
use crate::rules;
use crate::types::{Cond, Dialect, Form, List, Text};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The prompt a form's command line is answered with, and the payload the
/// host writes after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// The prompt as the modem sends it (`"\r\n> "`, `"@"`, `">"`). It is
    /// matched at the start of a line, without its leading CR LF and its
    /// trailing blanks ([`Prompt::marker`]).
    pub text: Text,
    /// The modem prompts again after each of these bytes the host writes
    /// (27.005: CR).
    pub again_after: Option<u8>,
    /// How long the host waits after the prompt before it writes, in
    /// milliseconds.
    pub delay_ms: u32,
    /// The payload rules, first whose conditions hold applies.
    pub payload: List<PayloadRule>,
}

impl Prompt {
    /// The bytes matched at a line start: the prompt text without its
    /// leading CR and LF and its trailing blanks (`">"` for `"\r\n> "`).
    pub fn marker(&self) -> &[u8] {
        let t = self.text.as_bytes();
        let start = t
            .iter()
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .unwrap_or(t.len());
        let t = t.get(start..).unwrap_or_default();
        let end = t
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t'))
            .map_or(0, |i| i + 1);
        t.get(..end).unwrap_or_default()
    }
}

/// One way the payload after a prompt is delimited, when its conditions
/// hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadRule {
    /// Conditions on the form's parameters; all must hold. Empty: always.
    pub when: List<Cond>,
    /// How the payload is delimited.
    pub kind: PayloadKind,
}

/// How the payload after a prompt is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    /// Exactly as many bytes as parameter `param` of the form says.
    Counted {
        /// Index of the parameter holding the byte count.
        param: usize,
    },
    /// Bytes up to the terminator `end`, which is not data.
    Terminated {
        /// The byte that ends (and sends) the payload (Ctrl-Z, 0x1A).
        end: u8,
        /// The byte that aborts the payload (ESC, 0x1B).
        abort: Option<u8>,
        /// The byte that makes the next byte data, so the payload can hold
        /// `end`, `abort` and itself (SIMCom's ETX, 0x03).
        escape: Option<u8>,
        /// The most data bytes it may hold (terminator and escape bytes
        /// not counted), if limited.
        max_len: Option<u32>,
    },
}

/// How a payload seen on the line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadEnd {
    /// Complete: the count reached, or the terminator written.
    Sent,
    /// The abort byte was written: nothing is sent.
    Aborted,
}

/// The prompt of a form, if it declares one.
pub fn prompt_of(d: &Dialect, command: usize, form: usize) -> Option<&Prompt> {
    d.commands.get(command)?.forms.get(form)?.prompt.as_ref()
}

/// Whether some form of a command declares a prompt.
pub fn command_prompts(d: &Dialect, command: usize) -> bool {
    d.commands
        .get(command)
        .is_some_and(|c| c.forms.iter().any(|f| f.prompt.is_some()))
}

fn form_of<'d>(d: &'d Dialect, p: &ParsedCommand) -> Option<&'d Form> {
    d.commands.get(p.command)?.forms.get(p.form)
}

fn context(d: &Dialect, p: &ParsedCommand) -> String {
    d.commands
        .get(p.command)
        .map_or_else(String::new, |c| c.name.to_string())
}

/// The payload rule that applies to a command line: the first of its
/// form's prompt whose conditions hold; `None` when the form declares no
/// prompt or no rule applies.
pub fn payload_rule<'d>(d: &'d Dialect, p: &ParsedCommand) -> Option<&'d PayloadKind> {
    let f = form_of(d, p)?;
    f.prompt
        .as_ref()?
        .payload
        .iter()
        .find(|r| rules::holds(&f.params, &p.values.params, &r.when))
        .map(|r| &r.kind)
}

/// The byte count of a counted payload: the value of its parameter.
fn count(d: &Dialect, p: &ParsedCommand, param: usize) -> Result<usize, Error> {
    let f = form_of(d, p);
    let params = f.map(|f| f.params.as_ref()).unwrap_or_default();
    let name = params.get(param).map(|x| x.name.as_ref());
    rules::effective_ref(params, &p.values.params, param)
        .and_then(|v| v.as_int())
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Value,
                &context(d, p),
                name,
                "is not given, so the payload has no length".into(),
            )
        })
}

fn no_rule(d: &Dialect, p: &ParsedCommand) -> Error {
    Error::new(
        ErrorKind::NoSuchForm,
        &context(d, p),
        None,
        "declares no prompt and payload for these values".into(),
    )
}

/// The bytes a host writes after the prompt of a command line, for the
/// `data` it wants to send: a counted payload is `data` itself, which must
/// be exactly as long as the count parameter says (the error names the
/// parameter); a terminated payload is `data` with its special bytes
/// escaped as declared, then the terminator (a special byte the form
/// cannot escape is an error).
pub fn encode_payload(d: &Dialect, p: &ParsedCommand, data: &[u8]) -> Result<Vec<u8>, Error> {
    let kind = payload_rule(d, p).ok_or_else(|| no_rule(d, p))?;
    match *kind {
        PayloadKind::Counted { param } => {
            let n = count(d, p, param)?;
            if data.len() != n {
                let name = form_of(d, p)
                    .and_then(|f| f.params.get(param))
                    .map(|x| x.name.as_ref());
                return Err(Error::new(
                    ErrorKind::Value,
                    &context(d, p),
                    name,
                    format!("= {n}, but the payload has {} bytes", data.len()),
                ));
            }
            Ok(data.to_vec())
        }
        PayloadKind::Terminated {
            end,
            abort,
            escape,
            max_len,
        } => {
            if let Some(max) = max_len.filter(|m| data.len() > *m as usize) {
                return Err(Error::new(
                    ErrorKind::Value,
                    &context(d, p),
                    None,
                    format!(
                        "payload of {} bytes is longer than the {max} bytes it may hold",
                        data.len()
                    ),
                ));
            }
            let mut out = Vec::with_capacity(data.len() + 1);
            for &b in data {
                let special = b == end || Some(b) == abort || Some(b) == escape;
                match (special, escape) {
                    (false, _) => {}
                    (true, Some(e)) => out.push(e),
                    (true, None) => {
                        return Err(Error::new(
                            ErrorKind::Value,
                            &context(d, p),
                            None,
                            format!(
                                "payload holds byte 0x{b:02X}, which ends or aborts it and cannot be escaped"
                            ),
                        ))
                    }
                }
                out.push(b);
            }
            out.push(end);
            Ok(out)
        }
    }
}

/// Checks the bytes a host wrote after a prompt (all of them, across
/// prompts repeated by [`Prompt::again_after`]): a counted payload must
/// have exactly its count; a terminated one must end with its terminator
/// or its abort byte, and hold neither before (unless escaped). The error
/// is a sentence for people.
pub fn check_payload(d: &Dialect, p: &ParsedCommand, bytes: &[u8]) -> Result<PayloadEnd, String> {
    let kind = payload_rule(d, p).ok_or_else(|| no_rule(d, p).to_string())?;
    match *kind {
        PayloadKind::Counted { param } => {
            let n = count(d, p, param).map_err(|e| e.to_string())?;
            let name = form_of(d, p)
                .and_then(|f| f.params.get(param))
                .map_or("?", |x| x.name.as_ref());
            match bytes.len() {
                len if len == n => Ok(PayloadEnd::Sent),
                len if len > n => Err(format!(
                    "payload of {len} bytes is longer than <{name}> = {n} of `{}`",
                    context(d, p)
                )),
                len => Err(format!(
                    "payload of {len} bytes is shorter than <{name}> = {n} of `{}`",
                    context(d, p)
                )),
            }
        }
        PayloadKind::Terminated {
            end,
            abort,
            escape,
            max_len,
        } => {
            let mut escaped = false;
            // Data bytes so far (an escape byte is not one, the byte it
            // escapes is).
            let mut data = 0usize;
            for (i, &b) in bytes.iter().enumerate() {
                if escaped {
                    escaped = false;
                    data += 1;
                    continue;
                }
                if Some(b) == escape {
                    escaped = true;
                    continue;
                }
                let how = if b == end {
                    PayloadEnd::Sent
                } else if Some(b) == abort {
                    PayloadEnd::Aborted
                } else {
                    data += 1;
                    continue;
                };
                if i + 1 == bytes.len() {
                    if let Some(max) =
                        max_len.filter(|m| how == PayloadEnd::Sent && data > *m as usize)
                    {
                        return Err(format!(
                            "payload of {data} bytes is longer than the {max} bytes `{}` may send",
                            context(d, p)
                        ));
                    }
                    return Ok(how);
                }
                return Err(format!(
                    "payload goes on for {} bytes after its {} byte 0x{b:02X}",
                    bytes.len() - i - 1,
                    if how == PayloadEnd::Sent {
                        "terminator"
                    } else {
                        "abort"
                    }
                ));
            }
            let abort = abort
                .map(|a| format!(" or its abort byte 0x{a:02X}"))
                .unwrap_or_default();
            Err(format!(
                "payload does not end with its terminator 0x{end:02X}{abort}"
            ))
        }
    }
}

/// A typed request whose form declares a prompt: the modem answers its
/// line with the prompt, and the host then writes a payload. Generated
/// code implements it for such forms, so a client's `send_with_payload`
/// takes only requests that have a prompt.
pub trait PromptCommand: crate::typed::TypedCommand {
    /// The form's prompt.
    fn prompt() -> Option<&'static Prompt> {
        prompt_of(Self::dialect(), Self::COMMAND, Self::FORM)
    }
}

/// Raw data the modem sends right after a message's line (schema point 5):
/// SIMCom `+CIPRXGET: 2,<l>,<read_len>,<rest_len>` then `<read_len>` bytes,
/// 27.005 `+CMGR: ...` then the text on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadAfter {
    /// As many raw bytes as integer field `field` of the line says, then
    /// CR LF.
    Counted {
        /// Index of the field holding the byte count.
        field: usize,
    },
    /// Exactly the next line, whatever it reads (even empty, or `OK`); it
    /// is not classified.
    Line,
}

/// The byte count of a counted payload after a message line whose body
/// (after `PREFIX:`) is `body`: the integer in field `field`.
pub fn counted_len(body: &str, field: usize) -> Option<usize> {
    match crate::fields::iter(body).nth(field)? {
        Ok(crate::fields::Field::Bare(v)) => v.trim().parse().ok(),
        _ => None,
    }
}

/// Checks the [`Ty::Counted`](crate::Ty::Counted) fields of bound message
/// values: a content of as many bytes as its count field says, or of twice
/// as many hex digits (hex mode). An empty content passes: the framer
/// gives the content of a line it read by count as the payload after the
/// line (see [`counted_field`]). The error gives the field's index and a
/// sentence naming the count field.
pub fn check_counted(
    fields: &[crate::types::Param],
    b: &crate::Bound,
) -> Result<(), (usize, String)> {
    for (i, f) in fields.iter().enumerate() {
        let crate::types::Ty::Counted { len_field } = f.ty else {
            continue;
        };
        let Some(Some(crate::value::Val::Str(s))) = b.params.get(i) else {
            continue;
        };
        let Some(Some(crate::value::Val::Int(n))) = b.params.get(len_field) else {
            continue;
        };
        let n = usize::try_from(*n).unwrap_or(usize::MAX);
        let hex = s.len() == n.saturating_mul(2) && s.bytes().all(|c| c.is_ascii_hexdigit());
        if s.is_empty() || s.len() == n || hex {
            continue;
        }
        let name = fields.get(len_field).map_or("?", |p| p.name.as_ref());
        return Err((
            i,
            format!(
                "holds {} bytes where <{name}> = {n} says how many it holds",
                s.len()
            ),
        ));
    }
    Ok(())
}

/// The first [`Ty::Counted`](crate::Ty::Counted) field of message `m`:
/// (its index, the index of its count field).
pub fn counted_field(d: &Dialect, m: usize) -> Option<(usize, usize)> {
    d.messages
        .get(m)?
        .fields
        .iter()
        .enumerate()
        .find_map(|(i, f)| match f.ty {
            crate::types::Ty::Counted { len_field } => Some((i, len_field)),
            _ => None,
        })
}
