//! Changes of the spec's tables: value sets, option tables, error codes
//! and limits.

use super::params::{self, param_text, List};
use super::rules;
use super::{find, ids, merge_order, Class, Out};
use crate::model::Limit;
use crate::notes::{OptRef, TableRef, ValueNotes, ValueSetRef};
use crate::Spec;
use wip_schema::{Access, AccessSpec};

fn set_text(s: &ValueSetRef) -> String {
    let vals: Vec<String> = s
        .values
        .iter()
        .map(|(value, name)| format!("{value} {name}"))
        .chain(
            s.texts
                .iter()
                .map(|(value, name)| format!("{value:?} {name}")),
        )
        .collect();
    format!("{}: {}", s.id, vals.join(", "))
}

/// Value sets by id, values by number.
pub(crate) fn value_sets(out: &mut Out) {
    let (old, new) = (out.old, out.new);
    let key = |s: &ValueSetRef| s.id.to_string();
    let (osets, nsets) = (old.value_sets(), new.value_sets());
    for id in merge_order(&ids(&osets, key), &ids(&nsets, key)) {
        let here = format!("value_sets[{id}]");
        match (find(&osets, key, &id), find(&nsets, key, &id)) {
            (Some(o), None) => {
                out.removed(here, set_text(o), "value set removed", &o.notes.section)
            }
            (None, Some(n)) => out.added(
                here,
                Class::Compatible,
                set_text(n),
                "value set added",
                &n.notes.section,
            ),
            (Some(o), Some(n)) => {
                let (os, ns) = (o.notes.section.as_str(), n.notes.section.as_str());
                out.if_changed(
                    format!("{here}.rust"),
                    Class::Breaking,
                    &o.notes.rust,
                    &n.notes.rust,
                    "Rust type renamed",
                    os,
                    ns,
                );
                set_values(
                    out,
                    &here,
                    &o.values(),
                    &n.values(),
                    |v| v.to_string(),
                    os,
                    ns,
                );
                set_values(
                    out,
                    &here,
                    &o.texts(),
                    &n.texts(),
                    |v| format!("{v:?}"),
                    os,
                    ns,
                );
            }
            (None, None) => {}
        }
    }
}

/// The values of a set, by value: integers, or strings (`shown` writes a
/// value as the diff names it).
fn set_values<K: PartialEq + Clone>(
    out: &mut Out,
    here: &str,
    ovals: &[(K, &str, &ValueNotes)],
    nvals: &[(K, &str, &ValueNotes)],
    shown: impl Fn(&K) -> String,
    os: &str,
    ns: &str,
) {
    let ov: Vec<K> = ovals.iter().map(|v| v.0.clone()).collect();
    let nv: Vec<K> = nvals.iter().map(|v| v.0.clone()).collect();
    for v in merge_order(&ov, &nv) {
        let v_shown = shown(&v);
        let p = format!("{here}.values[{v_shown}]");
        let a = ovals.iter().find(|x| x.0 == v);
        let b = nvals.iter().find(|x| x.0 == v);
        match (a, b) {
            (Some(a), None) => out.removed(p, format!("{v_shown} ({})", a.1), "value removed", os),
            (None, Some(b)) => out.added(
                p,
                Class::Compatible,
                format!("{v_shown} ({})", b.1),
                "value added",
                ns,
            ),
            (Some(a), Some(b)) => {
                out.if_changed(
                    format!("{p}.name"),
                    Class::Compatible,
                    a.1,
                    b.1,
                    "renamed; the wire value is the same",
                    os,
                    ns,
                );
                out.if_changed(
                    format!("{p}.rust"),
                    Class::Breaking,
                    &a.2.rust,
                    &b.2.rust,
                    "Rust variant renamed",
                    os,
                    ns,
                );
            }
            (None, None) => {}
        }
    }
}

/// `RW`, or per key: `1: R, 2: R`.
pub(crate) fn access_spec_text(a: &AccessSpec) -> String {
    let one = |a: &Access| match a {
        Access::R => "R",
        Access::W => "W",
        Access::RW => "RW",
        Access::None => "none",
    };
    match a {
        AccessSpec::All(x) => one(x).to_string(),
        AccessSpec::PerKey(m) => m
            .iter()
            .map(|(k, v)| format!("{k}: {}", one(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Whether some key loses a read or a write it had.
fn access_lost(old: &AccessSpec, new: &AccessSpec) -> bool {
    let at = |a: &AccessSpec, k: i64| match a {
        AccessSpec::All(x) => *x,
        AccessSpec::PerKey(m) => m
            .iter()
            .find(|(x, _)| *x == k)
            .map_or(Access::None, |(_, a)| *a),
    };
    let mut keys: Vec<i64> = Vec::new();
    for a in [old, new] {
        if let AccessSpec::PerKey(m) = a {
            keys.extend(m.iter().map(|(k, _)| *k));
        }
    }
    match (old, new) {
        (AccessSpec::All(a), AccessSpec::All(b)) => !b.grants(*a),
        // Keys a per-key access does not list have none.
        (AccessSpec::All(a), AccessSpec::PerKey(_)) if *a != Access::None => true,
        _ => keys.iter().any(|&k| !at(new, k).grants(at(old, k))),
    }
}

fn opt_text(spec: &Spec, o: &OptRef) -> String {
    let vals: Vec<String> = o.values.iter().map(|p| param_text(spec, p)).collect();
    let vals = if vals.is_empty() {
        "no value".to_string()
    } else {
        vals.join("; ")
    };
    format!(
        "{} {} ({}): {vals}",
        o.id,
        o.name,
        access_spec_text(&o.access)
    )
}

/// Option tables by id, options by number.
pub(crate) fn option_tables(out: &mut Out) {
    let (old, new) = (out.old, out.new);
    let key = |t: &TableRef| t.id.to_string();
    let (ot, nt) = (old.tables(), new.tables());
    for id in merge_order(&ids(&ot, key), &ids(&nt, key)) {
        let here = format!("option_tables[{id}]");
        let text = |t: &TableRef| format!("{}: {} options", t.notes.title, t.options.len());
        match (find(&ot, key, &id), find(&nt, key, &id)) {
            (Some(o), None) => out.removed(here, text(o), "option table removed", &o.notes.section),
            (None, Some(n)) => out.added(
                here,
                Class::Compatible,
                text(n),
                "option table added",
                &n.notes.section,
            ),
            (Some(o), Some(n)) => {
                out.if_changed(
                    format!("{here}.rust"),
                    Class::Breaking,
                    &o.notes.rust,
                    &n.notes.rust,
                    "Rust type renamed",
                    &o.notes.section,
                    &n.notes.section,
                );
                let oi: Vec<i64> = o.options.iter().map(|x| x.id).collect();
                let ni: Vec<i64> = n.options.iter().map(|x| x.id).collect();
                for num in merge_order(&oi, &ni) {
                    let p = format!("{here}.options[{num}]");
                    match (o.option(num), n.option(num)) {
                        (Some(a), None) => {
                            out.removed(p, opt_text(old, &a), "option removed", &a.notes.section)
                        }
                        (None, Some(b)) => out.added(
                            p,
                            Class::Compatible,
                            opt_text(new, &b),
                            "option added",
                            &b.notes.section,
                        ),
                        (Some(a), Some(b)) => option(out, &p, &a, &b),
                        (None, None) => {}
                    }
                }
                totals(out, &here, o, n);
            }
            (None, None) => {}
        }
    }
}

/// Compares the totals across options by their texts: a new one limits
/// writes that were valid, one lifted allows more.
fn totals(out: &mut Out, here: &str, o: &TableRef, n: &TableRef) {
    let text =
        |t: &TableRef| -> Vec<String> { t.totals.iter().map(crate::doc::tables::total).collect() };
    let (ot, nt) = (text(o), text(n));
    let section = |t: &TableRef, i: usize| t.notes.totals.get(i).cloned().unwrap_or_default();
    for t in merge_order(&ot, &nt) {
        let p = format!("{here}.totals[{t}]");
        match (
            ot.iter().position(|x| *x == t),
            nt.iter().position(|x| *x == t),
        ) {
            (Some(i), None) => out.removed_as(
                p,
                Class::Compatible,
                t.clone(),
                "constraint lifted",
                &section(o, i),
            ),
            (None, Some(i)) => out.added(
                p,
                Class::Breaking,
                t.clone(),
                "new constraint on writes that were valid",
                &section(n, i),
            ),
            _ => {}
        }
    }
}

fn option(out: &mut Out, p: &str, a: &OptRef, b: &OptRef) {
    let (os, ns) = (a.notes.section.as_str(), b.notes.section.as_str());
    out.if_changed(
        format!("{p}.name"),
        Class::Compatible,
        &a.name,
        &b.name,
        "renamed; the option number is the same",
        os,
        ns,
    );
    out.if_changed(
        format!("{p}.rust"),
        Class::Breaking,
        &a.notes.rust,
        &b.notes.rust,
        "Rust variant renamed",
        os,
        ns,
    );
    if a.access != b.access {
        let (class, note) = if access_lost(&a.access, &b.access) {
            (Class::Breaking, "access lost")
        } else {
            (Class::Compatible, "access gained")
        };
        out.changed(
            format!("{p}.access"),
            class,
            access_spec_text(&a.access),
            access_spec_text(&b.access),
            note,
            os,
            ns,
        );
    }
    // Read values are compared only where some side reads other values
    // than it writes; otherwise the change is the one of `values`, judged
    // as the host writes them where it can, and as the modem sends them
    // where the option can be read: the stricter class of the two.
    let reads_other = |o: &OptRef| o.read != o.values || o.notes.read != o.notes.values;
    let can = |want: Access| a.access.any_grants(want) || b.access.any_grants(want);
    let written = can(Access::W) || !can(Access::R);
    let read = can(Access::R) && !reads_other(a) && !reads_other(b);
    let (av, bv) = (a.values(), b.values());
    let lists = |sent_by_modem: bool| {
        (
            List {
                spec: out.old,
                params: &av,
                select: &[],
                section: os,
                sent_by_modem,
            },
            List {
                spec: out.new,
                params: &bv,
                select: &[],
                section: ns,
                sent_by_modem,
            },
        )
    };
    let mut by_host = Out {
        old: out.old,
        new: out.new,
        changes: Vec::new(),
    };
    if written {
        let (ol, nl) = lists(false);
        params::params(&mut by_host, p, "values", ol, nl);
    }
    if read {
        let (ol, nl) = lists(true);
        let mut by_modem = Out {
            old: out.old,
            new: out.new,
            changes: Vec::new(),
        };
        params::params(&mut by_modem, p, "values", ol, nl);
        for c in by_modem.changes {
            match by_host.changes.iter_mut().find(|h| h.path == c.path) {
                Some(h) if h.class == Class::Compatible && c.class == Class::Breaking => *h = c,
                Some(_) => {}
                None => by_host.changes.push(c),
            }
        }
    }
    out.changes.extend(by_host.changes);
    params::rest(out, p, "rest", a.rest(), b.rest(), os, ns);
    if reads_other(a) || reads_other(b) {
        let (ar, br) = (a.read(), b.read());
        let (ol, nl) = (
            List {
                spec: out.old,
                params: &ar,
                select: &[],
                section: os,
                sent_by_modem: true,
            },
            List {
                spec: out.new,
                params: &br,
                select: &[],
                section: ns,
                sent_by_modem: true,
            },
        );
        params::params(out, p, "read", ol, nl);
    }
    let rest_other = |o: &OptRef| o.read_rest != o.rest || o.notes.read_rest != o.notes.rest;
    if rest_other(a) || rest_other(b) {
        params::rest(out, p, "read_rest", a.read_rest(), b.read_rest(), os, ns);
    }
    if a.read_error != b.read_error {
        let show = |e: Option<u32>| e.map_or_else(|| "none".to_string(), |c| c.to_string());
        // A read that now always fails takes a value hosts read; one that
        // no longer fails only answers where it did not.
        let (class, note) = if b.read_error.is_some() {
            (Class::Breaking, "a read now always answers an error")
        } else {
            (Class::Compatible, "a read answers a value")
        };
        out.changed(
            format!("{p}.read_error"),
            class,
            show(a.read_error),
            show(b.read_error),
            note,
            os,
            ns,
        );
    }
    if a.read_repeats != b.read_repeats {
        let (class, note) = if b.read_repeats {
            (Class::Breaking, "a read may answer several lines")
        } else {
            (Class::Compatible, "a read answers one line")
        };
        out.changed(
            format!("{p}.read_repeats"),
            class,
            a.read_repeats.to_string(),
            b.read_repeats.to_string(),
            note,
            os,
            ns,
        );
    }
    let (ol, nl) = lists(false);
    rules::rules(
        out,
        p,
        (&a.rules, &a.notes.rules, &ol),
        (&b.rules, &b.notes.rules, &nl),
    );
}

pub(crate) fn error_text(spec: &Spec, code: u32) -> String {
    match spec.error(code) {
        Some(e) => format!("{code} {}", e.text),
        None => code.to_string(),
    }
}

/// Error codes by code; reserved ranges by their bounds.
pub(crate) fn errors(out: &mut Out) {
    let (old, new) = (out.old, out.new);
    let oc: Vec<u32> = old.dialect.errors.iter().map(|e| e.code).collect();
    let nc: Vec<u32> = new.dialect.errors.iter().map(|e| e.code).collect();
    let mut codes = merge_order(&oc, &nc);
    codes.sort_unstable();
    for code in codes {
        let p = format!("errors[{code}]");
        match (old.error(code), new.error(code)) {
            (Some(o), None) => out.removed(
                p,
                error_text(old, code),
                "error code removed",
                &o.notes.section,
            ),
            (None, Some(n)) => out.added(
                p,
                Class::Compatible,
                error_text(new, code),
                "error code added",
                &n.notes.section,
            ),
            (Some(o), Some(n)) => {
                let (os, ns) = (o.notes.section.as_str(), n.notes.section.as_str());
                out.if_changed(
                    format!("{p}.text"),
                    Class::Compatible,
                    &o.text,
                    &n.text,
                    "text changed; the code is the same",
                    os,
                    ns,
                );
                out.if_changed(
                    format!("{p}.group"),
                    Class::Compatible,
                    &o.notes.group,
                    &n.notes.group,
                    "group changed; the code is the same",
                    os,
                    ns,
                );
                out.if_changed(
                    format!("{p}.rust"),
                    Class::Breaking,
                    &o.notes.rust,
                    &n.notes.rust,
                    "Rust variant renamed",
                    os,
                    ns,
                );
            }
            (None, None) => {}
        }
    }
    let key = |r: &(u32, u32, String)| format!("{}-{}", r.0, r.1);
    for k in merge_order(
        &ids(&old.notes.reserved_errors, key),
        &ids(&new.notes.reserved_errors, key),
    ) {
        let p = format!("reserved_errors[{k}]");
        // Reserved codes define nothing a host can use.
        match (
            find(&old.notes.reserved_errors, key, &k),
            find(&new.notes.reserved_errors, key, &k),
        ) {
            (Some(o), None) => {
                out.removed_as(p, Class::Compatible, k.clone(), "reservation removed", &o.2)
            }
            (None, Some(n)) => out.added(p, Class::Compatible, k.clone(), "codes reserved", &n.2),
            _ => {}
        }
    }
}

/// Limits by id.
pub(crate) fn limits(out: &mut Out) {
    let (old, new) = (out.old, out.new);
    let key = |l: &Limit| l.id.clone();
    let text = |l: &Limit| format!("{} {}", l.value, l.unit);
    for id in merge_order(&ids(&old.notes.limits, key), &ids(&new.notes.limits, key)) {
        let p = format!("limits[{id}]");
        match (old.limit(&id), new.limit(&id)) {
            (Some(o), None) => out.removed(p, text(o), "limit removed", &o.section),
            (None, Some(n)) => out.added(p, Class::Compatible, text(n), "limit added", &n.section),
            (Some(o), Some(n)) => {
                let (os, ns) = (o.section.as_str(), n.section.as_str());
                out.if_changed(
                    format!("{p}.unit"),
                    Class::Breaking,
                    &o.unit,
                    &n.unit,
                    "unit changed",
                    os,
                    ns,
                );
                if o.value != n.value {
                    // Limits are capacities, except times, which a host's timing must follow.
                    let (class, note) = if n.unit == "ms" || n.unit == "s" {
                        (Class::Breaking, "timing changed")
                    } else if n.value > o.value {
                        (Class::Compatible, "raised")
                    } else {
                        (Class::Breaking, "lowered")
                    };
                    out.changed(
                        format!("{p}.value"),
                        class,
                        o.value.to_string(),
                        n.value.to_string(),
                        note,
                        os,
                        ns,
                    );
                }
            }
            (None, None) => {}
        }
    }
}
