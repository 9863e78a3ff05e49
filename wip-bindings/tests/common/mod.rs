//! Round-trip properties of generated bindings, for any spec.
//!
//! Values are drawn from the spec's own description (the `DIALECT` static
//! the bindings carry): every parameter within its type, discriminators
//! from their values, options from their tables with the access the form
//! needs. A draw the engine refuses (a rule across parameters) is skipped.
//! For every value that passes, the typed value must encode to the engine's
//! line and parse back to itself; the same value with one field out of its
//! range must be refused by the typed constructor's check and by the parser.

#![allow(dead_code)]

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::sync::atomic::{AtomicUsize, Ordering};
use wip_runtime::schema::{
    self as s, format_command, format_message, parse_command, typed, validate_command, Access,
    Binding, Bound, BoundOption, Cond, Dialect, Error, Format, Param, Rest, Rule, Ty, Val,
};

/// The entry points of one generated module.
pub struct Api<R, U, P> {
    pub dialect: &'static Dialect,
    pub request_from_bound: fn(usize, usize, &Bound) -> Result<R, Error>,
    pub request_parse: fn(&str) -> Result<R, Error>,
    pub request_encode: fn(&R) -> String,
    pub request_ids: fn(&R) -> (usize, usize),
    pub request_validate: fn(&R) -> Result<(), Error>,
    pub request_to_bound: fn(&R) -> Bound,
    pub urc_from_bound: fn(usize, &Bound) -> Result<U, Error>,
    pub urc_parse: fn(&str) -> Result<U, Error>,
    pub urc_format: fn(&U) -> String,
    pub response_from_bound: fn(usize, &Bound) -> Result<P, Error>,
    pub response_parse: fn(&str, (usize, usize)) -> Result<P, Error>,
    pub response_format: fn(&P) -> String,
}

/// The [`Api`] of a generated module.
#[macro_export]
macro_rules! api {
    ($m:path) => {{
        use $m as m;
        common::Api {
            dialect: &m::DIALECT,
            request_from_bound: m::Request::from_bound,
            request_parse: m::Request::parse,
            request_encode: m::Request::encode,
            request_ids: m::Request::ids,
            request_validate: m::Request::validate,
            request_to_bound: m::Request::to_bound,
            urc_from_bound: m::Urc::from_bound,
            urc_parse: m::Urc::parse,
            urc_format: m::Urc::format,
            response_from_bound: m::Response::from_bound,
            response_parse: m::Response::parse,
            response_format: m::Response::format,
        }
    }};
}

fn ipv4() -> BoxedStrategy<String> {
    (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
        .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}"))
        .boxed()
}

/// IPv6 addresses in their canonical text (what `Ipv6Addr` writes back).
fn ipv6() -> BoxedStrategy<String> {
    prop_oneof![
        any::<[u16; 8]>(),
        // Runs of zeros, written with `::`.
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| [0x2001, 0xdb8, 0, 0, 0, 0, a, b]),
    ]
    .prop_map(|s| std::net::Ipv6Addr::from(s).to_string())
    .boxed()
}

/// Values of a type, within it.
fn value(ty: &Ty) -> BoxedStrategy<Val> {
    match ty {
        Ty::Int { min, max } => {
            let (min, max) = (*min, *max);
            prop_oneof![Just(min), Just(max), min..=max]
                .prop_map(Val::Int)
                .boxed()
        }
        Ty::Enum { allowed, .. } => proptest::sample::select(allowed.to_vec())
            .prop_map(Val::Int)
            .boxed(),
        Ty::StrEnum { allowed, .. } => proptest::sample::select(allowed.to_vec())
            .prop_map(|t| Val::Str(t.to_string()))
            .boxed(),
        // Empty, as the framer reports it (its content is the payload);
        // any other content must be exactly as long as its count field.
        Ty::Counted { .. } => Just(Val::Str(String::new())).boxed(),
        Ty::Str { max_len } => {
            let n = max_len.map_or(24, |m| m.min(24)) as usize;
            // Printable ASCII but the double quote, commas and blanks included.
            proptest::string::string_regex(&format!("[ !#-~]{{0,{n}}}"))
                .map_or_else(|_| Just(String::new()).boxed(), |s| s.boxed())
                .prop_map(Val::Str)
                .boxed()
        }
        Ty::Host { max_len } => {
            let max = max_len.map_or(usize::MAX, |m| m as usize);
            let name =
                proptest::string::string_regex("[a-z][a-z0-9-]{0,9}(\\.[a-z][a-z0-9_]{0,9}){0,2}")
                    .map_or_else(|_| Just("host".to_string()).boxed(), |s| s.boxed());
            prop_oneof![ipv4(), name]
                .prop_filter("within max_len", move |h| h.chars().count() <= max)
                .prop_map(Val::Str)
                .boxed()
        }
        Ty::Ip => ipv4().prop_map(Val::Str).boxed(),
        Ty::IpAny => prop_oneof![ipv4(), ipv6()].prop_map(Val::Str).boxed(),
        // The strategies do not see the dialect's tables; every error table
        // of the test specs holds code 0.
        Ty::Code { .. } => Just(Val::Int(0)).boxed(),
        Ty::HostAny { max_len } => {
            let max = max_len.map_or(usize::MAX, |m| m as usize);
            let name = proptest::string::string_regex("[a-z][a-z0-9-]{0,9}(\\.[a-z]{1,5}){0,2}")
                .map_or_else(|_| Just("host".to_string()).boxed(), |s| s.boxed());
            prop_oneof![ipv4(), ipv6(), name]
                .prop_filter("within max_len", move |h| h.chars().count() <= max)
                .prop_map(Val::Str)
                .boxed()
        }
        Ty::Hex { max_bytes } => {
            let n = (*max_bytes as usize).min(40);
            (vec(any::<u8>(), 0..=n), any::<bool>())
                .prop_map(|(bytes, upper)| {
                    let h: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                    Val::Str(if upper { h.to_uppercase() } else { h })
                })
                .boxed()
        }
        // Canonical lists (what `Ranges` writes back): integers and ranges.
        Ty::Ranges => vec((0i64..2000, 1i64..3, any::<bool>()), 1..5)
            .prop_map(|items| {
                let items: Vec<String> = items
                    .into_iter()
                    .map(|(a, len, single)| match single {
                        true => a.to_string(),
                        false => format!("{a}-{}", a + len),
                    })
                    .collect();
                Val::Str(format!("({})", items.join(",")))
            })
            .boxed(),
        // A letter first: a token is never an integer.
        Ty::Token => proptest::string::string_regex("[A-Za-z][A-Za-z0-9.:_/-]{0,20}")
            .map_or_else(|_| Just("token".to_string()).boxed(), |s| s.boxed())
            .prop_map(Val::Str)
            .boxed(),
        Ty::Text => proptest::string::string_regex("[A-Za-z0-9][A-Za-z0-9 .:,()/-]{0,30}")
            .map_or_else(|_| Just("text".to_string()).boxed(), |s| s.boxed())
            .prop_map(Val::Str)
            .boxed(),
    }
}

fn param(p: &Param) -> BoxedStrategy<Option<Val>> {
    if p.optional {
        proptest::option::of(value(&p.ty)).boxed()
    } else {
        value(&p.ty).prop_map(Some).boxed()
    }
}

fn params(ps: &[Param]) -> BoxedStrategy<Vec<Option<Val>>> {
    ps.iter().map(param).collect::<Vec<_>>().boxed()
}

fn rest(r: Option<&Rest>) -> BoxedStrategy<Vec<Val>> {
    match r {
        None => Just(Vec::new()).boxed(),
        Some(r) => {
            let group = r.group.max(1) as usize;
            let max = r.max_groups.map_or(3, |m| (m as usize).min(3));
            vec(vec(value(&r.ty), group..=group), 0..=max)
                .prop_map(|gs| gs.into_iter().flatten().collect())
                .boxed()
        }
    }
}

/// An option choice: the key, the option number, and its bound values.
type Choice = (Option<i64>, i64, BoundOption);

fn options(d: &'static Dialect, b: &Binding, for_command: bool) -> BoxedStrategy<Choice> {
    let mut choices: Vec<BoxedStrategy<Choice>> = Vec::new();
    for (keys, ti) in b.tables.iter() {
        let Some(t) = d.tables.get(*ti) else { continue };
        let keys: Vec<Option<i64>> = if b.key_param.is_some() {
            keys.iter().map(|k| Some(*k)).collect()
        } else {
            vec![None]
        };
        for key in keys {
            for (oi, o) in t.options.iter().enumerate() {
                if for_command && !o.access_for(key).grants(b.access) {
                    continue;
                }
                let (ti, id) = (*ti, o.id);
                let shape = if b.access == Access::W || o.reads_as_written() {
                    o.rules.to_vec()
                } else {
                    Vec::new()
                };
                let (vals, r) = if for_command && b.access == Access::R {
                    (Just(Vec::new()).boxed(), Just(Vec::new()).boxed())
                } else if b.access == Access::R {
                    (params(&o.read), rest(o.read_rest.as_ref()))
                } else {
                    (params(&o.values), rest(o.rest.as_ref()))
                };
                choices.push(
                    (vals, r)
                        .prop_map(move |(mut values, rest)| {
                            conform(&shape, &mut values);
                            (
                                key,
                                id,
                                BoundOption {
                                    table: ti,
                                    option: oi,
                                    values,
                                    rest,
                                },
                            )
                        })
                        .boxed(),
                );
            }
        }
    }
    Union::new(choices).boxed()
}

/// A value of the shape a [`Format`] rule asks for, drawn from `v`: the
/// generator makes values by type, which a format rarely fits.
fn shaped(f: &Format, v: &Val) -> Val {
    let seed = match v {
        Val::Int(i) => i.unsigned_abs(),
        Val::Str(s) => s.bytes().map(u64::from).sum(),
    };
    let digit = |k: u64| {
        char::from(b'0' + u8::try_from((seed / 10u64.pow(k as u32 % 18)) % 10).unwrap_or(0))
    };
    match (f, v) {
        (Format::Digits { min, .. }, Val::Int(_)) => {
            let lo = if *min <= 1 { 0 } else { 10i64.pow(min - 1) };
            let hi = 10i64.pow(*min) - 1;
            Val::Int(lo + i64::try_from(seed % u64::try_from(hi - lo + 1).unwrap()).unwrap())
        }
        (Format::Digits { min, .. }, Val::Str(_)) => {
            Val::Str((0..u64::from(*min)).map(digit).collect())
        }
        (Format::Pattern(p), _) => Val::Str(
            p.chars()
                .enumerate()
                .map(|(i, c)| match c {
                    '#' => digit(i as u64).to_string(),
                    '*' => format!("x{}", seed % 100),
                    c => c.to_string(),
                })
                .collect(),
        ),
    }
}

/// Gives the values the formats their rules ask for.
fn conform(rules: &[Rule], vals: &mut [Option<Val>]) {
    for r in rules {
        if let Rule::Format { param, format, .. } = r {
            if let Some(Some(v)) = vals.get_mut(*param) {
                *v = shaped(format, v);
            }
        }
    }
}

/// Bound values of a parameter list: discriminators from their values,
/// option number and key from the option chosen.
fn bound(
    d: &'static Dialect,
    ps: &[Param],
    rules: &[Rule],
    select: &[Cond],
    r: Option<&Rest>,
    b: Option<&Binding>,
    for_command: bool,
) -> BoxedStrategy<Bound> {
    let per_param: Vec<BoxedStrategy<Option<Val>>> = ps
        .iter()
        .enumerate()
        .map(|(i, p)| match select.iter().find(|c| c.param == i) {
            // A form chosen by presence: given, or left out.
            Some(c) if c.given == Some(true) => value(&p.ty).prop_map(Some).boxed(),
            Some(c) if c.given == Some(false) => Just(None).boxed(),
            Some(c) if !c.texts.is_empty() => proptest::sample::select(c.texts.to_vec())
                .prop_map(|t| Some(Val::Str(t.to_string())))
                .boxed(),
            Some(c) => proptest::sample::select(c.values.to_vec())
                .prop_map(|v| Some(Val::Int(v)))
                .boxed(),
            None => param(p),
        })
        .collect();
    let rest_s = rest(r);
    let opt_s: BoxedStrategy<Option<Choice>> = match b {
        Some(b) => options(d, b, for_command).prop_map(Some).boxed(),
        None => Just(None).boxed(),
    };
    let (id_param, key_param) = b.map_or((None, None), |b| (Some(b.id_param), b.key_param));
    let rules = rules.to_vec();
    (per_param, rest_s, opt_s)
        .prop_map(move |(mut params, rest, choice)| {
            conform(&rules, &mut params);
            let option = choice.map(|(key, id, o)| {
                if let Some(slot) = id_param.and_then(|i| params.get_mut(i)) {
                    *slot = Some(Val::Int(id));
                }
                if let (Some(slot), Some(k)) = (key_param.and_then(|i| params.get_mut(i)), key) {
                    *slot = Some(Val::Int(k));
                }
                o
            });
            Bound {
                params,
                rest,
                option,
            }
        })
        .boxed()
}

/// A value just outside a type, when there is one.
fn outside(ty: &Ty) -> Option<Val> {
    match ty {
        Ty::Int { min, max } => max
            .checked_add(1)
            .or_else(|| min.checked_sub(1))
            .map(Val::Int),
        Ty::Enum { allowed, .. } => allowed
            .iter()
            .max()
            .and_then(|m| m.checked_add(1))
            .map(Val::Int),
        Ty::Str { max_len: Some(m) } => Some(Val::Str("x".repeat(*m as usize + 1))),
        Ty::Host { max_len: Some(m) } => Some(Val::Str("h".repeat(*m as usize + 1))),
        Ty::Ip => Some(Val::Str("256.1.1.1".into())),
        Ty::IpAny => Some(Val::Str("2001:db8:::1".into())),
        Ty::StrEnum { allowed, .. } => Some("not in the set")
            .filter(|x| !allowed.iter().any(|a| a == x))
            .map(|x| Val::Str(x.into())),
        Ty::Hex { max_bytes } => Some(Val::Str("00".repeat(*max_bytes as usize + 1))),
        Ty::Ranges => Some(Val::Str("(5-1)".into())),
        // An integer is not a token.
        Ty::Token => Some(Val::Str("5000".into())),
        _ => None,
    }
}

/// Every way to put one field of a bound value out of range: (what, the
/// bound value).
fn mutations(
    d: &Dialect,
    ps: &[Param],
    select: &[Cond],
    b: Option<&Binding>,
    v: &Bound,
) -> Vec<(String, Bound)> {
    let mut out = Vec::new();
    let fixed = |i: usize| {
        select.iter().any(|c| c.param == i && c.given.is_none())
            || b.is_some_and(|b| b.id_param == i || b.key_param == Some(i))
    };
    for (i, p) in ps.iter().enumerate() {
        if fixed(i) || v.params.get(i).is_none_or(|x| x.is_none()) {
            continue;
        }
        if let Some(bad) = outside(&p.ty) {
            let mut m = v.clone();
            if let Some(slot) = m.params.get_mut(i) {
                *slot = Some(bad);
            }
            out.push((format!("<{}>", p.name), m));
        }
    }
    if let Some(o) = &v.option {
        if let Some(opt) = d.tables.get(o.table).and_then(|t| t.options.get(o.option)) {
            let read = b.is_some_and(|b| b.access == Access::R);
            let vals = if read { &opt.read } else { &opt.values };
            for (i, p) in vals.iter().enumerate() {
                if o.values.get(i).is_none_or(|x| x.is_none()) {
                    continue;
                }
                if let Some(bad) = outside(&p.ty) {
                    let mut m = v.clone();
                    if let Some(slot) = m.option.as_mut().and_then(|x| x.values.get_mut(i)) {
                        *slot = Some(bad);
                    }
                    out.push((format!("option {} <{}>", opt.name, p.name), m));
                }
            }
        }
    }
    out
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        max_global_rejects: 100_000,
        failure_persistence: None,
        ..Config::default()
    })
}

/// What a run checked.
#[derive(Debug, Default)]
pub struct Checked {
    /// Forms or messages.
    pub items: usize,
    /// Values that passed the round trip.
    pub values: usize,
    /// Values with one field out of range that were refused.
    pub refusals: usize,
}

/// Runs the properties on every command form.
pub fn check_forms<R: PartialEq + std::fmt::Debug, U, P>(
    api: &Api<R, U, P>,
    cases: u32,
) -> Checked {
    let d = api.dialect;
    let mut n = 0;
    let values = AtomicUsize::new(0);
    let refusals = AtomicUsize::new(0);
    for (ci, c) in d.commands.iter().enumerate() {
        for (fi, f) in c.forms.iter().enumerate() {
            n += 1;
            let strat = bound(
                d,
                &f.params,
                &f.rules,
                &f.select,
                f.rest.as_ref(),
                f.options.as_ref(),
                true,
            )
            .prop_filter("the engine accepts it", move |b| {
                validate_command(d, ci, fi, b).is_ok()
            });
            let result = runner(cases).run(&strat, |b| {
                let line = format_command(d, ci, fi, &b);
                let t = (api.request_from_bound)(ci, fi, &b)
                    .map_err(|e| TestCaseError::fail(format!("from_bound: {e}")))?;
                prop_assert_eq!((api.request_ids)(&t), (ci, fi));
                prop_assert_eq!((api.request_encode)(&t), line.clone());
                prop_assert!((api.request_validate)(&t).is_ok());
                let back = (api.request_parse)(&line)
                    .map_err(|e| TestCaseError::fail(format!("parse `{line}`: {e}")))?;
                prop_assert_eq!(&back, &t);
                let again = (api.request_from_bound)(ci, fi, &(api.request_to_bound)(&t))
                    .map_err(|e| TestCaseError::fail(format!("to/from bound: {e}")))?;
                prop_assert_eq!(&again, &t);
                values.fetch_add(1, Ordering::Relaxed);
                for (what, bad) in mutations(d, &f.params, &f.select, f.options.as_ref(), &b) {
                    refusals.fetch_add(1, Ordering::Relaxed);
                    prop_assert!(
                        validate_command(d, ci, fi, &bad).is_err(),
                        "{} {} out of range accepted",
                        c.name,
                        what
                    );
                    let bad_line = format_command(d, ci, fi, &bad);
                    prop_assert!(
                        (api.request_parse)(&bad_line).is_err(),
                        "`{}` parsed",
                        bad_line
                    );
                    if let Ok(t) = (api.request_from_bound)(ci, fi, &bad) {
                        prop_assert!(
                            (api.request_validate)(&t).is_err(),
                            "{} {} out of range passes validate",
                            c.name,
                            what
                        );
                    }
                }
                Ok(())
            });
            if let Err(e) = result {
                panic!("{} form {}: {e}", c.name, f.name);
            }
        }
    }
    Checked {
        items: n,
        values: values.into_inner(),
        refusals: refusals.into_inner(),
    }
}

/// The first form that lists a message as a response.
fn pending_for(d: &Dialect, mi: usize) -> Option<(usize, usize)> {
    d.commands.iter().enumerate().find_map(|(ci, c)| {
        c.forms
            .iter()
            .position(|f| f.responses.contains(&mi))
            .map(|fi| (ci, fi))
    })
}

/// Runs the properties on every message.
pub fn check_messages<R, U: PartialEq + std::fmt::Debug, P: PartialEq + std::fmt::Debug>(
    api: &Api<R, U, P>,
    cases: u32,
) -> Checked {
    let d = api.dialect;
    let values = AtomicUsize::new(0);
    let refusals = AtomicUsize::new(0);
    for (mi, m) in d.messages.iter().enumerate() {
        let strat = bound(
            d,
            &m.fields,
            &m.rules,
            &m.select,
            m.rest.as_ref(),
            m.options.as_ref(),
            false,
        )
        .prop_filter("the engine accepts it", move |b| {
            typed::validate_message(d, mi, b).is_ok()
        });
        let pending = pending_for(d, mi);
        let result = runner(cases).run(&strat, |b| {
            let line = format_message(d, mi, &b);
            let back = typed::parse_message_as(d, mi, &line)
                .map_err(|e| TestCaseError::fail(format!("parse `{line}`: {e}")))?;
            prop_assert_eq!(format_message(d, mi, &back), line.clone());
            if m.is_urc() {
                let u = (api.urc_from_bound)(mi, &b)
                    .map_err(|e| TestCaseError::fail(format!("Urc::from_bound: {e}")))?;
                prop_assert_eq!((api.urc_format)(&u), line.clone());
                if m.prefix.is_some() {
                    let parsed = (api.urc_parse)(&line)
                        .map_err(|e| TestCaseError::fail(format!("Urc::parse `{line}`: {e}")))?;
                    prop_assert_eq!(&parsed, &u);
                }
            }
            if m.kind != s::MessageKind::Urc {
                let r = (api.response_from_bound)(mi, &b)
                    .map_err(|e| TestCaseError::fail(format!("Response::from_bound: {e}")))?;
                prop_assert_eq!((api.response_format)(&r), line.clone());
                if let Some(p) = pending {
                    let parsed = (api.response_parse)(&line, p).map_err(|e| {
                        TestCaseError::fail(format!("Response::parse `{line}`: {e}"))
                    })?;
                    prop_assert_eq!(&parsed, &r);
                }
            }
            values.fetch_add(1, Ordering::Relaxed);
            for (what, bad) in mutations(d, &m.fields, &m.select, m.options.as_ref(), &b) {
                refusals.fetch_add(1, Ordering::Relaxed);
                prop_assert!(
                    typed::validate_message(d, mi, &bad).is_err(),
                    "{} {} out of range accepted",
                    m.id,
                    what
                );
                let bad_line = format_message(d, mi, &bad);
                prop_assert!(
                    typed::parse_message_as(d, mi, &bad_line).is_err(),
                    "`{}` parsed",
                    bad_line
                );
                if m.is_urc() && m.prefix.is_some() {
                    prop_assert!(
                        (api.urc_parse)(&bad_line).is_err(),
                        "URC `{}` parsed",
                        bad_line
                    );
                }
                if let (Some(p), true) = (pending, m.kind != s::MessageKind::Urc) {
                    prop_assert!(
                        (api.response_parse)(&bad_line, p).is_err(),
                        "response `{}` parsed",
                        bad_line
                    );
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("message {}: {e}", m.id);
        }
    }
    Checked {
        items: d.messages.len(),
        values: values.into_inner(),
        refusals: refusals.into_inner(),
    }
}

/// The engine's own command parse, for tests that compare with it.
pub fn engine_parse(d: &Dialect, line: &str) -> Result<(usize, usize), Error> {
    parse_command(d, line).map(|p| (p.command, p.form))
}
