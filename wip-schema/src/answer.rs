//! What typed requests need beyond conversions: the answer type of a form
//! that lists no response ([`NoResponse`]), and the checks of their
//! builders (one value against its parameter, nested optional parameters
//! set in order).

use crate::bind::Bound;
use crate::error::{Error, ErrorKind};
use crate::typed::{FromMessage, Wire};
use crate::types::Dialect;
use crate::value::check_value;
use alloc::format;
use alloc::string::{String, ToString};

/// The response type of a form that lists no information response: it
/// accepts no message, so an answer to such a form holds no responses and
/// any line the framer tags as a response is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoResponse {}

impl FromMessage for NoResponse {
    fn accepts(_message: usize) -> bool {
        false
    }
    fn from_message(message: usize, _b: &Bound) -> Result<Self, Error> {
        Err(Error::new(
            ErrorKind::Value,
            "",
            None,
            format!("message {message} answers a form that lists no response"),
        ))
    }
}

fn names(d: &Dialect, command: usize, form: usize, i: usize) -> (String, String) {
    let c = d.commands.get(command);
    let ctx = c.map_or_else(String::new, |c| c.name.to_string());
    let name = c
        .and_then(|c| c.forms.get(form))
        .and_then(|f| f.params.get(i))
        .map_or_else(|| format!("#{i}"), |p| p.name.to_string());
    (ctx, name)
}

/// Checks one value of a typed request against parameter `i` of form
/// `form` of command `command`, as the modem checks it: the error names
/// the parameter and what it allows.
pub fn check_param<T: Wire>(
    d: &Dialect,
    command: usize,
    form: usize,
    i: usize,
    v: &T,
) -> Result<(), Error> {
    check_val(d, command, form, i, &v.to_val())
}

/// [`check_param`] of a value already converted for the wire.
pub fn check_val(
    d: &Dialect,
    command: usize,
    form: usize,
    i: usize,
    val: &crate::Val,
) -> Result<(), Error> {
    let Some(p) = d
        .commands
        .get(command)
        .and_then(|c| c.forms.get(form))
        .and_then(|f| f.params.get(i))
    else {
        return Ok(());
    };
    // What `validate` refuses in any string (`command::check_strings`),
    // refused where the value is set.
    if let crate::Val::Str(s) = val {
        if s.contains(['"', '\r', '\n']) {
            return Err(param_error(
                d,
                command,
                form,
                i,
                format!(
                    "value \"{}\" holds a double quote or a line end, which AT strings cannot carry",
                    s.escape_debug()
                ),
            ));
        }
    }
    check_value(d, &p.ty, val).map_err(|m| param_error(d, command, form, i, m))
}

/// Checks every value of a typed request's parameters (`vals`, one per
/// parameter of form `form` of command `command`) as [`check_val`] does,
/// in order; a value outside its type's range and outside a range a rule
/// of the form narrows it to, for the values before it, is named with the
/// narrower range (`<idx> = 0 is outside 1..=4 when <protocol> is 3 (TCP
/// server)`), as a command line's parse names it.
pub fn check_bound(
    d: &Dialect,
    command: usize,
    form: usize,
    vals: &[Option<crate::Val>],
) -> Result<(), Error> {
    for (i, v) in vals.iter().enumerate() {
        let Some(v) = v else { continue };
        if let Err(mut e) = check_val(d, command, form, i, v) {
            let f = d.commands.get(command).and_then(|c| c.forms.get(form));
            if let (Some(f), crate::Val::Int(n)) = (f, v) {
                let before = vals.get(..i).unwrap_or_default();
                if let Some(m) =
                    crate::rules::narrowed_outside(d, &f.params, before, &f.rules, i, *n)
                {
                    e.message = m;
                }
            }
            return Err(e);
        }
    }
    Ok(())
}

/// The error of a value that does not fit parameter `i` of a form:
/// `message` says why (what the parameter allows).
pub fn param_error(d: &Dialect, command: usize, form: usize, i: usize, message: String) -> Error {
    let (ctx, name) = names(d, command, form, i);
    Error::new(ErrorKind::Value, &ctx, Some(&name), message)
}

/// The error of a builder asked to set nested optional parameter `i`
/// while the one it nests in, `outer`, is left out (`[<outer>[,<i>]]`).
pub fn nested_unset(d: &Dialect, command: usize, form: usize, i: usize, outer: usize) -> Error {
    let (ctx, name) = names(d, command, form, i);
    let (_, outer) = names(d, command, form, outer);
    Error::new(
        ErrorKind::Arity,
        &ctx,
        Some(&name),
        format!("is nested in `<{outer}>`: set `<{outer}>` first"),
    )
}
