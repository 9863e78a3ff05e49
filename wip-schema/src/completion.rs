//! Timeouts taken from a parameter, and the URC that completes a command
//! after its final result code (`OK` now, `+CIPOPEN: <link>,<err>` when
//! the connection is up).

use crate::bind::Bound;
use crate::command::ParsedCommand;
use crate::rules::{effective_ref, holds};
use crate::types::{Completion, Dialect, Form, Param, TimeoutFrom};
use crate::value::Val;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// The form of a parsed command line.
fn form_of<'d>(d: &'d Dialect, p: &ParsedCommand) -> Option<&'d Form> {
    d.commands.get(p.command)?.forms.get(p.form)
}

/// `from` for a form's values: `None` when the form has no such parameter
/// or it has no value (nor default).
fn from_param(from: &TimeoutFrom, params: &[Param], vals: &[Option<Val>]) -> Option<u32> {
    let i = params.iter().position(|p| p.name == from.param)?;
    let v = effective_ref(params, vals, i)?.as_int()?;
    Some(from.of(v))
}

/// How long to wait for the final result code of a command line: from
/// its `timeout_from` parameter when the form has it, else the command's
/// `timeout_ms`.
pub fn timeout_ms(d: &Dialect, p: &ParsedCommand) -> u32 {
    let Some(c) = d.commands.get(p.command) else {
        return 0;
    };
    c.timeout_from
        .as_ref()
        .zip(form_of(d, p))
        .and_then(|(from, f)| from_param(from, &f.params, &p.values.params))
        .unwrap_or(c.timeout_ms)
}

/// The completion a command line waits for, if its form declares one and
/// its conditions hold.
pub fn completion<'d>(d: &'d Dialect, p: &ParsedCommand) -> Option<&'d Completion> {
    let f = form_of(d, p)?;
    let c = f.completion.as_ref()?;
    holds(&f.params, &p.values.params, &c.when).then_some(c)
}

/// How long to wait for the completion of a command line after its final
/// result code, in milliseconds.
pub fn completion_timeout_ms(d: &Dialect, p: &ParsedCommand, c: &Completion) -> u32 {
    c.timeout_from
        .as_ref()
        .zip(form_of(d, p))
        .and_then(|(from, f)| from_param(from, &f.params, &p.values.params))
        .unwrap_or(c.timeout_ms)
}

/// Whether message `message`, bound to `b`, is the completion of the
/// command line `p`: the completion's message, its echoed fields holding
/// the values the command gave.
pub fn completes(d: &Dialect, p: &ParsedCommand, message: usize, b: &Bound) -> bool {
    let (Some(f), Some(c)) = (form_of(d, p), completion(d, p)) else {
        return false;
    };
    let Some(m) = d.messages.get(message) else {
        return false;
    };
    message == c.message
        && c.echo.iter().all(|&(pi, fi)| {
            effective_ref(&f.params, &p.values.params, pi)
                == effective_ref(&m.fields, &b.params, fi)
        })
}

/// Whether a completion reports success: its `success` conditions hold
/// on the URC's fields (always, without conditions).
pub fn succeeded(d: &Dialect, c: &Completion, b: &Bound) -> bool {
    d.messages
        .get(c.message)
        .is_some_and(|m| holds(&m.fields, &b.params, &c.success))
}

/// `+CIPOPEN` matched by `<link_num>` = 0: the completion a command line
/// waits for, for messages.
pub fn describe(d: &Dialect, p: &ParsedCommand, c: &Completion) -> String {
    let m = d.messages.get(c.message);
    let name = m
        .map(|m| m.prefix.as_deref().unwrap_or(m.id.as_ref()))
        .unwrap_or("?");
    let f = form_of(d, p);
    let pairs: Vec<String> = c
        .echo
        .iter()
        .filter_map(|&(pi, fi)| {
            let field = m?.fields.get(fi)?;
            let v = effective_ref(&f?.params, &p.values.params, pi)?;
            Some(format!("<{}> = {v}", field.name))
        })
        .collect();
    if pairs.is_empty() {
        name.into()
    } else {
        format!("{name} with {}", pairs.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Command, Cond, Form, Message, Param, Ty};
    use crate::Lit;

    static D: Dialect = {
        const FORMS: &[Form] = &[Form::action("Open")
            .params(
                const {
                    &[
                        Param::req("link", Ty::int(0, 9)),
                        Param::opt_or("async", Ty::int(0, 1), Lit::Int(1)),
                        Param::opt_or("wait", Ty::int(1, 120), Lit::Int(10)),
                    ]
                },
            )
            .completion(
                Completion::new(0, &[(0, 0)], 5000)
                    .when(const { &[Cond::new(1, &[1])] })
                    .timeout_from(TimeoutFrom::new("wait", 1000, 500))
                    .success(const { &[Cond::new(1, &[0])] }),
            )];
        const MESSAGES: &[Message] = &[Message::urc("Opened", Some("+XOPEN")).fields(
            const {
                &[
                    Param::req("link", Ty::int(0, 9)),
                    Param::req("err", Ty::int(0, 99)),
                ]
            },
        )];
        Dialect::new("X", "+X")
            .commands(
                const {
                    &[Command::new("+XOPEN", 1000, &[], FORMS)
                        .timeout_from(TimeoutFrom::new("wait", 100, 0))]
                },
            )
            .messages(MESSAGES)
    };

    #[test]
    fn completions_match_by_their_echoed_fields_and_time_out_by_parameter() {
        let p = crate::parse_command(&D, "AT+XOPEN=3").unwrap();
        let c = completion(&D, &p).unwrap();
        assert_eq!(timeout_ms(&D, &p), 1000, "default 10 x 100 ms");
        assert_eq!(completion_timeout_ms(&D, &p, c), 10_500);
        let mine = crate::parse_message(&D, "+XOPEN: 3,0", None).unwrap();
        let other = crate::parse_message(&D, "+XOPEN: 4,0", None).unwrap();
        assert!(completes(&D, &p, mine.message, &mine.values));
        assert!(!completes(&D, &p, other.message, &other.values));
        assert!(succeeded(&D, c, &mine.values));
        let failed = crate::parse_message(&D, "+XOPEN: 3,11", None).unwrap();
        assert!(!succeeded(&D, c, &failed.values));
        assert_eq!(describe(&D, &p, c), "+XOPEN with <link> = 3");
        let sync = crate::parse_command(&D, "AT+XOPEN=3,0,60").unwrap();
        assert!(completion(&D, &sync).is_none(), "async = 0: no completion");
        assert_eq!(timeout_ms(&D, &sync), 6000);
    }
}
