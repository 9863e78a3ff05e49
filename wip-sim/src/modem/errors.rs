//! Final result codes (2.2), and the code a refused command gets.
//!
//! A line whose syntax is wrong answers `ERROR`. A line that is well formed
//! but whose values break the spec answers `+CME ERROR: <n>` (after
//! `AT+CMEE=1`, else `ERROR`), with the code the manual gives for that kind
//! of value: 830 for an index, 832 for a port, 837 for a protocol, 800 for
//! an unknown option (an option number outside the spec's range too), 801
//! for any other value, 851 for a wrong count of parameters where the
//! command lists it. An index range given backwards (`<from idx>` above
//! `<to idx>`, 5.1.7) is a bad index, 830. A rule that forbids a parameter
//! (6.2.11.2, 6.2.11.5) answers `ERROR`, as the manual says; so does half
//! of a bracket of parameters that go together (`AT+WIPPING="h",2`, 7.1.2)
//! where the command has no 851.

use std::time::Instant;

use wip_schema::{parse_command, rules, Command, Dialect, Error, ErrorKind, Form, Param, Rule, Ty};

use super::{Modem, UartId};

/// A final result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fin {
    /// `OK`
    Ok,
    /// `ERROR`
    Error,
    /// `+CME ERROR: <n>`, or `ERROR` without `AT+CMEE=1`.
    Cme(u32),
}

impl Modem {
    /// Sends the final result code of a command, then the URCs that waited.
    pub(super) fn finish(&mut self, u: UartId, fin: Fin, _t: Instant) {
        let cmee = self.uarts.get(&u).is_some_and(|x| x.cmee);
        let text = match fin {
            Fin::Ok => "OK".to_string(),
            Fin::Cme(code) if cmee && self.d.error_text(code).is_some() => {
                format!("+CME ERROR: {code}")
            }
            Fin::Cme(_) | Fin::Error => "ERROR".to_string(),
        };
        self.line(u, &text);
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.answering = false;
        }
        self.flush_urcs(u);
    }
}

fn form_of<'d>(d: &'d Dialect, line: &str) -> Option<(&'d wip_schema::Command, Vec<&'d Form>)> {
    let cl = wip_schema::fields::command_line(line)?;
    let (_, cmd) = d.command(cl.name)?;
    Some((cmd, cmd.forms.iter().collect()))
}

/// The code for a parameter whose value is refused, from its name and
/// type.
fn code_for_param(
    d: &Dialect,
    lists: &[u32],
    p: Option<&Param>,
    name: Option<&str>,
) -> Option<u32> {
    let listed = |c: u32| lists.contains(&c).then_some(c);
    let name = name.or(p.map(|p| p.name.as_ref())).unwrap_or_default();
    if let Some(Ty::Enum { set, .. }) = p.map(|p| &p.ty) {
        if d.value_sets.get(*set).is_some_and(|s| s.id == "protocol") {
            if let Some(c) = listed(837) {
                return Some(c);
            }
        }
    }
    // An index out of range is 830 "bad index" (10.1), as every example
    // of one answers (9.13, 9.15: "Index 9 is forbidden"), whether the
    // command's list names it or not (+WIPDATA's does not, erratum E53).
    if name.contains("idx") || name.contains("index") {
        return Some(830);
    }
    if name.contains("port") {
        return listed(832).or(Some(801));
    }
    None
}

/// Whether `name` is the option-number parameter of one of the command's
/// forms (`<opt num>`, `<optnum>`).
fn is_option_number(forms: &[&Form], name: Option<&str>) -> bool {
    let Some(name) = name else {
        return false;
    };
    forms.iter().any(|f| {
        f.options
            .as_ref()
            .and_then(|b| f.params.get(b.id_param))
            .is_some_and(|p| p.name == name)
    })
}

/// Whether a value error is a string past its length (`value::check`'s
/// wording).
fn too_long(message: &str) -> bool {
    message.contains(" characters long, more than ")
}

/// Whether a total's refusal is of a list's length (`Total::admits`'
/// wording), not of a count of values.
pub(super) fn list_too_long(message: &str) -> bool {
    message.contains(" characters long") && message.contains(", at most ")
}

/// Whether a command handles channels (sockets and sessions), whose
/// values 10.1's 850 names: +WIPCREATE, +WIPOPT and +WIPFILE.
fn is_channel(cmd: &Command) -> bool {
    matches!(cmd.name.as_ref(), "+WIPCREATE" | "+WIPOPT" | "+WIPFILE")
}

/// The final result for a line the engine refused.
pub(super) fn refusal(d: &Dialect, line: &str, e: &Error) -> Fin {
    let Some((cmd, forms)) = form_of(d, line) else {
        return Fin::Error;
    };
    let lists: &[u32] = &cmd.errors;
    let find = |name: &str| {
        forms
            .iter()
            .find_map(|f| f.params.iter().find(|p| p.name == name))
    };
    match e.kind {
        ErrorKind::NotACommand | ErrorKind::UnknownCommand | ErrorKind::Syntax => Fin::Error,
        ErrorKind::NoSuchForm => match &e.param {
            // A discriminator with a value no form takes.
            Some(name) if e.message.contains("selects no form") => {
                Fin::Cme(code_for_param(d, lists, find(name), Some(name)).unwrap_or(801))
            }
            _ => Fin::Error,
        },
        ErrorKind::Type => Fin::Error,
        ErrorKind::Arity => {
            if lists.contains(&851) {
                Fin::Cme(851)
            } else {
                Fin::Error
            }
        }
        ErrorKind::Value => {
            let p = e.param.as_deref().and_then(find);
            // A string too long for a channel (a socket's or session's
            // parameter or option) is 850, "invalid channel option or
            // parameter value (for example, HTTP user name too long)"
            // (10.1; erratum E55).
            if too_long(&e.message) && is_channel(cmd) {
                return Fin::Cme(850);
            }
            if e.context.contains(" option ") {
                return Fin::Cme(801);
            }
            // The option number itself out of range: no such option
            // (4.1.5, 4.2.5.1, 5.3.5: 800 invalid option).
            if is_option_number(&forms, e.param.as_deref()) && lists.contains(&800) {
                return Fin::Cme(800);
            }
            Fin::Cme(code_for_param(d, lists, p, e.param.as_deref()).unwrap_or(801))
        }
        ErrorKind::Option => Fin::Cme(800),
        // A list of a channel's values past its length (5.3.7.6.4.1: an MMS
        // recipient list over 249 characters with its `/TYPE=PLMN`
        // suffixes) is a string too long too: 850, as above.
        ErrorKind::Rule if is_channel(cmd) && list_too_long(&e.message) => Fin::Cme(850),
        ErrorKind::Rule => rule_refusal(d, line, lists),
        ErrorKind::UnknownMessage => Fin::Error,
    }
}

/// Which rule a line breaks: parse it again without the rules, then check
/// them one by one.
fn rule_refusal(d: &Dialect, line: &str, lists: &[u32]) -> Fin {
    // Without the rules of forms and option values and the totals (5.3.7.6:
    // an MMS date's format, a multipart type's values, the recipients'
    // length): a line that breaks only those has the syntax of its form.
    let lax = d.without_rules();
    let Ok(p) = parse_command(&lax, line) else {
        return Fin::Error;
    };
    let Some(form) = d.commands.get(p.command).and_then(|c| c.forms.get(p.form)) else {
        return Fin::Error;
    };
    for r in form.rules.iter() {
        if rules::check(d, &form.params, &p.values.params, std::slice::from_ref(r)).is_ok() {
            continue;
        }
        return match r {
            Rule::Forbid { .. } => Fin::Error,
            // Parameters that go together are one bracket of the syntax
            // (`[,<repeat>,<interval>...]`, 7.1.2): half of it is a wrong
            // count where the command has a code for that (851), else a
            // syntax error (2.2).
            Rule::Together(_) if lists.contains(&851) => Fin::Cme(851),
            Rule::Together(_) => Fin::Error,
            Rule::Require { .. } | Rule::AnyOf(_) => {
                if lists.contains(&851) {
                    Fin::Cme(851)
                } else {
                    Fin::Cme(801)
                }
            }
            Rule::Range { param, .. } => {
                let p = form.params.get(*param);
                Fin::Cme(code_for_param(d, lists, p, None).unwrap_or(801))
            }
            Rule::Order { greater, .. } => {
                let p = form.params.get(*greater);
                Fin::Cme(code_for_param(d, lists, p, None).unwrap_or(801))
            }
            Rule::Reject { .. } | Rule::Format { .. } => Fin::Cme(801),
        };
    }
    Fin::Cme(801)
}
