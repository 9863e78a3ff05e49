//! Binding the fields of a line to a list of parameters.
//!
//! Optional parameters may be left empty (`1,,2`) or left out altogether,
//! even in the middle (`<server>[,<peer port>],<username>`): a field that
//! is not of an optional parameter's kind (a quoted string where a port
//! number is due) is tried against the next parameter, and an optional
//! parameter gives way when the fields left are only enough for the
//! mandatory parameters after it. A field of the right kind is the
//! parameter's value, valid or not. When no reading fits, the error
//! reported is the one that got furthest into the line.

use crate::error::{Error, ErrorKind};
use crate::fields::Field;
use crate::rules;
use crate::types::{Access, Binding, Dialect, Param, Rest, Rule};
use crate::value::{bare_string, fit, quoted_int, Fit, Val};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// Values bound to a list of parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bound {
    /// One per parameter; `None` when left out or empty.
    pub params: Vec<Option<Val>>,
    /// Items of the repeated group.
    pub rest: Vec<Val>,
    /// Option values, for a form or message bound to option tables.
    pub option: Option<BoundOption>,
}

impl Bound {
    /// Values of parameters only: no repeated group, no option.
    pub fn of(params: Vec<Option<Val>>) -> Self {
        Bound {
            params,
            rest: Vec::new(),
            option: None,
        }
    }
}

/// The option a line names and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundOption {
    /// Index of the table in the dialect.
    pub table: usize,
    /// Index of the option in its table.
    pub option: usize,
    /// One per value of the option; `None` when left out.
    pub values: Vec<Option<Val>>,
    /// Items of the option's repeated group.
    pub rest: Vec<Val>,
}

/// A failed attempt, with how far into the line it got.
pub(crate) struct Failure {
    pub pos: usize,
    pub error: Error,
}

fn better(a: Failure, b: Failure) -> Failure {
    if b.pos > a.pos {
        b
    } else {
        a
    }
}

/// What is being bound, for messages.
pub(crate) struct Scope<'a> {
    pub d: &'a Dialect,
    pub context: String,
    /// Commands must respect option access; messages carry read values
    /// whatever the access, since a write may be echoed.
    pub check_access: bool,
    /// A string parameter may be sent without its quotes, as real modems
    /// accept (see [`crate::parse_command_noting`]).
    pub bare_strings: bool,
    /// An integer option value may be sent in quotes (erratum E08), in
    /// the values of an option only ([`Scope::in_options`]).
    pub quoted_ints: bool,
    /// Binding the values of an option.
    pub in_options: bool,
    /// The rules of the list being bound, which may narrow a parameter's
    /// range: a value outside both is named with the narrower one
    /// ([`rules::narrowed_outside`]).
    pub rules: &'a [Rule],
}

impl Scope<'_> {
    pub(crate) fn fail(
        &self,
        pos: usize,
        kind: ErrorKind,
        param: Option<&str>,
        message: String,
    ) -> Failure {
        Failure {
            pos,
            error: Error::new(kind, &self.context, param, message),
        }
    }
}

type Tail<'t, T> = dyn FnMut(&[Option<Val>], usize) -> Result<T, Failure> + 't;

/// Binds `params` to `fields[start..]`, then calls `tail` with the values
/// and the index of the first field left.
pub(crate) fn walk<T>(
    s: &Scope<'_>,
    params: &[Param],
    fields: &[Field<'_>],
    start: usize,
    tail: &mut Tail<'_, T>,
) -> Result<T, Failure> {
    let mut acc = Vec::with_capacity(params.len());
    step(s, params, fields, 0, start, &mut acc, tail)
}

fn step<T>(
    s: &Scope<'_>,
    params: &[Param],
    fields: &[Field<'_>],
    i: usize,
    j: usize,
    acc: &mut Vec<Option<Val>>,
    tail: &mut Tail<'_, T>,
) -> Result<T, Failure> {
    let Some(p) = params.get(i) else {
        return tail(acc, j);
    };
    let absent = |acc: &mut Vec<Option<Val>>, tail: &mut Tail<'_, T>, next_j: usize| {
        acc.push(None);
        let r = step(s, params, fields, i + 1, next_j, acc, tail);
        acc.pop();
        r
    };
    // An optional parameter cannot take a field the mandatory ones after
    // it need: `[<a>],<b>` with one field gives it to `<b>`.
    let mandatory_after = params.iter().skip(i + 1).filter(|q| !q.optional).count();
    if p.optional && fields.len().saturating_sub(j) <= mandatory_after {
        let skipped = absent(acc, tail, j);
        // The field may still be this parameter's, a mandatory one after
        // it then missing (`…,21,"admin"` without its password, 5.1.2):
        // that fault is named, rather than the type the field has for the
        // next parameter. Only the error changes: the line is refused
        // either way.
        return match skipped {
            Err(e) if e.error.kind == ErrorKind::Type => {
                let Some(Fit::Ok(v)) = fields.get(j).map(|f| fit(s.d, &p.ty, f)) else {
                    return Err(e);
                };
                acc.push(Some(v));
                let here = step(s, params, fields, i + 1, j + 1, acc, tail);
                acc.pop();
                match here {
                    Err(e2) if e2.error.kind == ErrorKind::Arity && e2.error.param.is_some() => {
                        Err(e2)
                    }
                    _ => Err(e),
                }
            }
            r => r,
        };
    }
    match fields.get(j) {
        None => {
            if p.optional {
                absent(acc, tail, j)
            } else {
                Err(s.fail(
                    j,
                    ErrorKind::Arity,
                    Some(&p.name),
                    format!("is missing ({} expected)", s.d.allowed(&p.ty)),
                ))
            }
        }
        Some(Field::Empty) => {
            if p.optional {
                absent(acc, tail, j + 1)
            } else {
                Err(s.fail(
                    j,
                    ErrorKind::Arity,
                    Some(&p.name),
                    "is mandatory but left empty".into(),
                ))
            }
        }
        Some(f) => match fit(s.d, &p.ty, f) {
            Fit::Ok(v) => {
                // A field of the parameter's kind is its value: skipping the
                // parameter to give the field to a later one of the same kind
                // would read `AT+WIPPING="h",1,0` as a valid ping with
                // <interval> left out.
                acc.push(Some(v));
                let r = step(s, params, fields, i + 1, j + 1, acc, tail);
                acc.pop();
                r
            }
            Fit::Mismatch(m) => {
                // A string sent without quotes, as modems accept (erratum
                // E40), or an option's integer value in quotes (E08).
                let tolerated = bare_string(s.d, &p.ty, f)
                    .filter(|_| s.bare_strings)
                    .or_else(|| {
                        quoted_int(s.d, &p.ty, f).filter(|_| s.quoted_ints && s.in_options)
                    });
                match tolerated {
                    Some(Fit::Ok(v)) => {
                        acc.push(Some(v));
                        let r = step(s, params, fields, i + 1, j + 1, acc, tail);
                        acc.pop();
                        r
                    }
                    Some(Fit::Invalid(m) | Fit::Mismatch(m)) => {
                        Err(s.fail(j, ErrorKind::Value, Some(&p.name), m))
                    }
                    None => {
                        let here = s.fail(j, ErrorKind::Type, Some(&p.name), m);
                        if p.optional {
                            // Left out, the field went to a later parameter:
                            // if that only leaves too many fields, the field
                            // was this parameter's, of the wrong type
                            // (`"587"` for <peer port>, erratum E01).
                            // So too if it only breaks a rule that later
                            // parameters come together (`AT+WIPCREATE=6,1,
                            // "s","587"` is no <username> without its
                            // <password>).
                            absent(acc, tail, j).map_err(|e2| match e2.error.param {
                                None if matches!(
                                    e2.error.kind,
                                    ErrorKind::Arity | ErrorKind::Rule
                                ) =>
                                {
                                    here
                                }
                                _ => better(here, e2),
                            })
                        } else if short_of(s, params, fields, i, j, f) {
                            // Too few fields for the mandatory parameters
                            // left, and this one is of a later one's type:
                            // the parameter is missing, not of the wrong
                            // type (`AT+WIPCREATE=8,1,"mms",<url>` without
                            // its port).
                            Err(s.fail(
                                j,
                                ErrorKind::Arity,
                                Some(&p.name),
                                format!("is missing ({} expected)", s.d.allowed(&p.ty)),
                            ))
                        } else {
                            Err(here)
                        }
                    }
                }
            }
            Fit::Invalid(m) => {
                // `AT+WIPCLOSE=3,0`: outside 1..=8, and outside the 1..=4
                // that a TCP server's index has; the narrower range is the
                // one that applies.
                let narrowed = match f {
                    Field::Bare(t) => t
                        .parse::<i64>()
                        .ok()
                        .and_then(|n| rules::narrowed_outside(s.d, params, acc, s.rules, i, n)),
                    _ => None,
                };
                Err(s.fail(j, ErrorKind::Value, Some(&p.name), narrowed.unwrap_or(m)))
            }
        },
    }
}

/// Whether the fields from `j` are fewer than the mandatory parameters from
/// `i` (this one included) and `f`, the field at `j`, fits a later
/// parameter: the line lacks parameter `i` rather than giving it a field
/// of the wrong type.
fn short_of(
    s: &Scope<'_>,
    params: &[Param],
    fields: &[Field<'_>],
    i: usize,
    j: usize,
    f: &Field<'_>,
) -> bool {
    let left = fields.len().saturating_sub(j);
    let needed = params.iter().skip(i).filter(|q| !q.optional).count();
    left < needed
        && params
            .iter()
            .skip(i + 1)
            .any(|q| matches!(fit(s.d, &q.ty, f), Fit::Ok(_)))
}

/// Binds the items of a repeated group: every remaining field.
pub(crate) fn rest_items(
    s: &Scope<'_>,
    rest: &Rest,
    fields: &[Field<'_>],
    start: usize,
) -> Result<Vec<Val>, Failure> {
    let items = fields.get(start..).unwrap_or(&[]);
    let mut out = Vec::with_capacity(items.len());
    for (n, f) in items.iter().enumerate() {
        match fit(s.d, &rest.ty, f) {
            Fit::Ok(v) => out.push(v),
            Fit::Mismatch(m) | Fit::Invalid(m) => {
                return Err(s.fail(start + n, ErrorKind::Value, Some(&rest.name), m))
            }
        }
    }
    let group = rest.group.max(1) as usize;
    if out.len() % group != 0 {
        return Err(s.fail(
            fields.len(),
            ErrorKind::Arity,
            Some(&rest.name),
            format!("has {} items; they come in groups of {group}", out.len()),
        ));
    }
    if let Some(m) = rest.max_groups {
        if out.len() / group > m as usize {
            return Err(s.fail(
                fields.len(),
                ErrorKind::Arity,
                Some(&rest.name),
                format!(
                    "has {} groups, more than the {m} allowed",
                    out.len() / group
                ),
            ));
        }
    }
    Ok(out)
}

fn too_many(s: &Scope<'_>, fields: &[Field<'_>], used: usize) -> Failure {
    s.fail(
        used,
        ErrorKind::Arity,
        None,
        format!("has {} fields, more than the {used} it takes", fields.len()),
    )
}

/// Binds a whole list: parameters, then option values or a repeated group,
/// then checks the rules.
pub(crate) fn bind_all(
    s: &Scope<'_>,
    params: &[Param],
    rest: Option<&Rest>,
    options: Option<&Binding>,
    rule_list: &[Rule],
    fields: &[Field<'_>],
    start: usize,
) -> Result<Bound, Failure> {
    let end = fields.len();
    let mut tail = |vals: &[Option<Val>], j: usize| -> Result<Bound, Failure> {
        let mut bound = Bound {
            params: vals.to_vec(),
            ..Bound::default()
        };
        if let Some(b) = options {
            bound.option = Some(bind_option(s, params, b, vals, fields, j)?);
        } else if let Some(r) = rest {
            bound.rest = rest_items(s, r, fields, j)?;
        } else if j < end {
            return Err(too_many(s, fields, j));
        }
        if let Err(m) = rules::check(s.d, params, vals, rule_list) {
            return Err(s.fail(end + 1, ErrorKind::Rule, None, m));
        }
        Ok(bound)
    };
    walk(s, params, fields, start, &mut tail)
        .map_err(|f| option_number_failure(s, params, options, fields, f))
}

/// The option number of a binding left out or out of its range is named
/// with the options of its table, which are what it may be (4.1.3 lists
/// options 0 to 5 and 12 to 17; no range 0-255): "names option 256,
/// which is not defined (options: 0..=5, 12..=17)".
fn option_number_failure(
    s: &Scope<'_>,
    params: &[Param],
    options: Option<&Binding>,
    fields: &[Field<'_>],
    mut f: Failure,
) -> Failure {
    let Some(b) = options else {
        return f;
    };
    let Some(p) = params.get(b.id_param) else {
        return f;
    };
    if f.error.param.as_deref() != Some(&*p.name)
        || !matches!(f.error.kind, ErrorKind::Arity | ErrorKind::Value)
    {
        return f;
    }
    let key = b.key_param.and_then(|k| match fields.get(k) {
        Some(Field::Bare(v)) => v.parse::<i64>().ok(),
        _ => None,
    });
    let Some(t) = b.table_of_line(key).and_then(|t| s.d.tables.get(t)) else {
        return f;
    };
    let known = option_ids(t, key);
    match (f.error.kind, fields.get(f.pos)) {
        (ErrorKind::Arity, None) => {
            f.error.message = format!("is missing (one of the options {known} expected)");
        }
        (ErrorKind::Value, Some(Field::Bare(v))) => {
            // As an option number inside the range that no table defines.
            f.error.kind = ErrorKind::Option;
            f.error.param = None;
            f.error.message = format!("names option {v}, which is not defined (options: {known})");
        }
        _ => {}
    }
    f
}

/// The option numbers of a table, runs folded: `0..=5, 12..=17`; with the
/// key of the line (a `+WIPOPT` protocol), those the key has access to (a
/// TCP server: `0, 4, 7..=9`, 5.3.7.1).
fn option_ids(t: &crate::types::OptionTable, key: Option<i64>) -> String {
    let mut ids: Vec<i64> = t
        .options
        .iter()
        .filter(|o| key.is_none() || o.access_for(key) != Access::None)
        .map(|o| o.id)
        .collect();
    if ids.is_empty() {
        ids = t.options.iter().map(|o| o.id).collect();
    }
    ids.sort_unstable();
    ids.dedup();
    crate::value::runs_text(&ids)
}

/// The table and option a binding picks for these values.
pub fn pick_option(
    d: &Dialect,
    b: &Binding,
    vals: &[Option<Val>],
) -> Result<(usize, usize), String> {
    let key = b
        .key_param
        .and_then(|k| vals.get(k).cloned().flatten())
        .and_then(|v| v.as_int());
    let id = vals
        .get(b.id_param)
        .cloned()
        .flatten()
        .and_then(|v| v.as_int())
        .ok_or_else(|| "has no option number".to_string())?;
    let table = b.table_of_line(key).ok_or_else(|| match key {
        Some(k) => format!("has no option table for {k}"),
        None => "has no option table".to_string(),
    })?;
    let t = d
        .tables
        .get(table)
        .ok_or_else(|| "refers to a missing option table".to_string())?;
    let opt = t.options.iter().position(|o| o.id == id).ok_or_else(|| {
        format!(
            "names option {id}, which is not defined (options: {})",
            option_ids(t, key)
        )
    })?;
    Ok((table, opt))
}

fn bind_option(
    s: &Scope<'_>,
    params: &[Param],
    b: &Binding,
    vals: &[Option<Val>],
    fields: &[Field<'_>],
    j: usize,
) -> Result<BoundOption, Failure> {
    let (table, oi) =
        pick_option(s.d, b, vals).map_err(|m| s.fail(j, ErrorKind::Option, None, m))?;
    let Some(opt) = s.d.tables.get(table).and_then(|t| t.options.get(oi)) else {
        return Err(s.fail(
            j,
            ErrorKind::Option,
            None,
            "refers to a missing option".into(),
        ));
    };
    let key = b
        .key_param
        .and_then(|k| vals.get(k).cloned().flatten())
        .and_then(|v| v.as_int());
    let access = opt.access_for(key);
    let (values, rest, is_read) = if b.access == Access::R {
        (&opt.read, opt.read_rest.as_ref(), true)
    } else {
        (&opt.values, opt.rest.as_ref(), false)
    };
    let ctx = format!("{} option {} ({})", s.context, opt.id, opt.name);
    // A line of a message may carry a value the command could only write
    // (an echo, E07), but not one of an option the key has no access to
    // at all ("-" in 5.3.7.1): no command reads or writes it.
    let none_at_all = !s.check_access && key.is_some() && access == Access::None;
    if (s.check_access && !access.grants(b.access)) || none_at_all {
        let what = if is_read { "read" } else { "written" };
        let key_ty = b.key_param.and_then(|k| params.get(k)).map(|p| &p.ty);
        let for_key = match (key, key_ty) {
            (Some(k), Some(ty)) => format!(" for {}", s.d.describe(ty, k)),
            _ => String::new(),
        };
        return Err(Failure {
            pos: j,
            error: Error::new(
                ErrorKind::Option,
                &ctx,
                None,
                format!("cannot be {what}{for_key}"),
            ),
        });
    }
    let inner = Scope {
        d: s.d,
        context: ctx,
        check_access: s.check_access,
        bare_strings: s.bare_strings,
        quoted_ints: s.quoted_ints,
        in_options: true,
        rules: &opt.rules,
    };
    if s.check_access && is_read {
        // A command that reads an option names it; the values come back
        // in the response.
        if j < fields.len() {
            return Err(too_many(&inner, fields, j));
        }
        return Ok(BoundOption {
            table,
            option: oi,
            values: Vec::new(),
            rest: Vec::new(),
        });
    }
    let mut tail = |ov: &[Option<Val>], k: usize| -> Result<BoundOption, Failure> {
        let r = match rest {
            Some(r) => rest_items(&inner, r, fields, k)?,
            None if k < fields.len() => return Err(too_many(&inner, fields, k)),
            None => Vec::new(),
        };
        let checked = if !is_read {
            rules::check(inner.d, values, ov, &opt.rules).and_then(|()| {
                // One value alone may pass a total across options (a
                // length with the suffix the modem adds).
                match (inner.d.tables.get(table), ov.first().cloned().flatten()) {
                    (Some(t), Some(v)) => {
                        t.totals_admit(&[], opt.id, crate::types::written_len(&v))
                    }
                    _ => Ok(()),
                }
            })
        } else if opt.reads_as_written() {
            rules::check_formats(inner.d, values, ov, &opt.rules)
        } else {
            Ok(())
        };
        if let Err(m) = checked {
            return Err(inner.fail(fields.len() + 1, ErrorKind::Rule, None, m));
        }
        Ok(BoundOption {
            table,
            option: oi,
            values: ov.to_vec(),
            rest: r,
        })
    };
    let single = values.len() == 1 && rest.is_none();
    walk(&inner, values, fields, j, &mut tail).map_err(|mut f| {
        // An option's only value needs no name: "+WIPCFG option 4
        // (WIP_NET_OPT_TCP_MIN_MSS) = 535 is outside 536..=1460"; but
        // for a value left out, the option is there and its value is
        // what is missing: "+WIPCFG option 0 (WIP_NET_OPT_IP_TTL)
        // <value> is missing".
        if single && f.error.context == inner.context && f.error.kind != ErrorKind::Arity {
            f.error.param = None;
        }
        f
    })
}
