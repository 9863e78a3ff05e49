//! Rules across parameters: order, together, any-of, require, forbid,
//! reject, narrowed ranges and formats.

use crate::types::{Cond, Dialect, Param, Rule, Ty};
use crate::value::Val;
use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The value of a parameter, its default standing in when it is absent.
pub fn effective(params: &[Param], vals: &[Option<Val>], i: usize) -> Option<Val> {
    effective_ref(params, vals, i).map(Cow::into_owned)
}

/// [`effective`] without a copy of a value given: the value where it is,
/// or the default made into one (which copies nothing for an integer).
/// The rules look at values through it: a string value is then never
/// copied to be compared.
pub fn effective_ref<'v>(
    params: &[Param],
    vals: &'v [Option<Val>],
    i: usize,
) -> Option<Cow<'v, Val>> {
    match vals.get(i).and_then(Option::as_ref) {
        Some(v) => Some(Cow::Borrowed(v)),
        None => params
            .get(i)
            .and_then(|p| p.default.as_ref())
            .map(|d| Cow::Owned(Val::from(d))),
    }
}

/// Whether every condition holds (defaults standing in for absent values;
/// a presence test looks at the values given, not at defaults).
pub fn holds(params: &[Param], vals: &[Option<Val>], when: &[Cond]) -> bool {
    when.iter().all(|c| {
        c.holds_for(
            present(vals, c.param),
            effective_ref(params, vals, c.param).as_deref(),
        )
    })
}

fn name(params: &[Param], i: usize) -> String {
    params
        .get(i)
        .map_or_else(|| format!("#{i}"), |p| format!("<{}>", p.name))
}

fn names(params: &[Param], list: &[usize]) -> String {
    list.iter()
        .map(|i| name(params, *i))
        .collect::<Vec<_>>()
        .join(", ")
}

fn present(vals: &[Option<Val>], i: usize) -> bool {
    vals.get(i).is_some_and(|v| v.is_some())
}

fn conditions(d: &Dialect, params: &[Param], when: &[Cond]) -> String {
    when.iter()
        .map(|c| {
            match c.given {
                Some(true) => return format!("{} is given", name(params, c.param)),
                Some(false) => return format!("{} is left out", name(params, c.param)),
                None => {}
            }
            let p = params.get(c.param);
            let mut vs: Vec<String> = c
                .values
                .iter()
                .map(|v| p.map_or_else(|| v.to_string(), |p| d.describe(&p.ty, *v)))
                .collect();
            vs.extend(c.texts.iter().map(|t| match p.map(|p| &p.ty) {
                Some(Ty::StrEnum { set, .. }) => d.describe_text(*set, t),
                _ => format!("\"{t}\""),
            }));
            format!("{} is {}", name(params, c.param), vs.join(" or "))
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The message of integer `n`, out of the range of parameter `param`'s
/// type, when a [`Rule::Range`] of `rules` narrows that range for the
/// values bound so far (`vals`, the parameters before `param`) and `n`
/// is outside the narrower range too: `= 0 is outside 1..=4 when
/// <protocol> is 3 (TCP server)`, where the type alone gives 1..=8.
/// `None` when no such rule holds: the type's range is then the one that
/// applies. Only conditions on earlier parameters are weighed, as the
/// later ones are not bound yet.
pub(crate) fn narrowed_outside(
    d: &Dialect,
    params: &[Param],
    vals: &[Option<Val>],
    rules: &[Rule],
    param: usize,
    n: i64,
) -> Option<String> {
    rules.iter().find_map(|r| match r {
        Rule::Range {
            when,
            param: p,
            min,
            max,
        } if *p == param
            && (n < *min || n > *max)
            && when.iter().all(|c| c.param < param && c.param < vals.len())
            && holds(params, vals, when) =>
        {
            Some(format!(
                "= {n} is outside {min}..={max} when {}",
                conditions(d, params, when)
            ))
        }
        _ => None,
    })
}

/// Checks every rule; the first broken one is described in the error.
pub fn check(
    d: &Dialect,
    params: &[Param],
    vals: &[Option<Val>],
    rules: &[Rule],
) -> Result<(), String> {
    for r in rules {
        match r {
            Rule::Order { lesser, greater } => {
                let a = effective_ref(params, vals, *lesser).and_then(|v| v.as_int());
                let b = effective_ref(params, vals, *greater).and_then(|v| v.as_int());
                if let (Some(a), Some(b)) = (a, b) {
                    if b < a {
                        return Err(format!(
                            "breaks {} >= {}: {b} < {a}",
                            name(params, *greater),
                            name(params, *lesser)
                        ));
                    }
                }
            }
            Rule::Together(list) => {
                let n = list.iter().filter(|i| present(vals, **i)).count();
                if n != 0 && n != list.len() {
                    return Err(format!(
                        "needs {} all together or none of them",
                        names(params, list)
                    ));
                }
            }
            Rule::AnyOf(list) => {
                if !list.iter().any(|i| present(vals, *i)) {
                    return Err(format!("needs at least one of {}", names(params, list)));
                }
            }
            Rule::Require { when, params: list } => {
                if holds(params, vals, when) {
                    if let Some(i) = list.iter().find(|i| !present(vals, **i)) {
                        return Err(format!(
                            "needs {} when {}",
                            name(params, *i),
                            conditions(d, params, when)
                        ));
                    }
                }
            }
            Rule::Forbid { when, params: list } => {
                if holds(params, vals, when) {
                    if let Some(i) = list.iter().find(|i| present(vals, **i)) {
                        return Err(format!(
                            "does not take {} when {}",
                            name(params, *i),
                            conditions(d, params, when)
                        ));
                    }
                }
            }
            Rule::Reject { when, reason } => {
                if holds(params, vals, when) {
                    return Err(format!(
                        "is refused when {}: {reason}",
                        conditions(d, params, when)
                    ));
                }
            }
            Rule::Range {
                when,
                param,
                min,
                max,
            } => {
                if holds(params, vals, when) {
                    if let Some(v) = vals.get(*param).cloned().flatten().and_then(|v| v.as_int()) {
                        if v < *min || v > *max {
                            return Err(format!(
                                "{} = {v} is outside {min}..={max} when {}",
                                name(params, *param),
                                conditions(d, params, when)
                            ));
                        }
                    }
                }
            }
            Rule::Format {
                when,
                param,
                format,
            } => {
                if holds(params, vals, when) {
                    if let Some(v) = vals.get(*param).cloned().flatten() {
                        if !format.matches(&v) {
                            let shown = match &v {
                                Val::Int(i) => i.to_string(),
                                Val::Str(s) => format!("{s:?}"),
                            };
                            let when = if when.is_empty() {
                                String::new()
                            } else {
                                format!(" when {}", conditions(d, params, when))
                            };
                            return Err(format!(
                                "{} = {shown} is not {}{when}",
                                name(params, *param),
                                format.describe()
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// Checks only the [`Rule::Format`] rules: those that still hold of values
/// read back (an option's read values, when they are its written ones).
/// An empty string read back passes: a text option never written reads as
/// the NULL string (the default the tables of 5.3.7.4 give their text
/// options), whatever format its writes must have (an MMS date, 5.3.7.6).
pub fn check_formats(
    d: &Dialect,
    params: &[Param],
    vals: &[Option<Val>],
    rules: &[Rule],
) -> Result<(), String> {
    for r in rules {
        if let Rule::Format { param, .. } = r {
            if matches!(vals.get(*param), Some(Some(Val::Str(s))) if s.is_empty()) {
                continue;
            }
            check(d, params, vals, core::slice::from_ref(r))?;
        }
    }
    Ok(())
}
