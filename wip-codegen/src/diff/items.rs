//! Changes of the spec's lists: value sets, option tables, commands and
//! their forms, messages, error codes and limits.

use super::params::{self, conds_text, param_text, reachable, List};
use super::{merge_order, Class, Out};
use crate::doc::syntax::{form_line, message_line};
use crate::ir::{
    grants, Access, AccessSpec, Command, Form, Message, MessageKind, Opt, OptionTable, Outcome,
    Spec, ValueSet,
};

fn ids<T>(list: &[T], key: impl Fn(&T) -> String) -> Vec<String> {
    list.iter().map(key).collect()
}

fn find<'a, T>(list: &'a [T], key: impl Fn(&T) -> String, k: &str) -> Option<&'a T> {
    list.iter().find(|x| key(x) == k)
}

fn set_text(s: &ValueSet) -> String {
    let vals: Vec<String> = s
        .values
        .iter()
        .map(|v| format!("{} {}", v.value, v.name))
        .collect();
    format!("{}: {}", s.id, vals.join(", "))
}

/// Value sets by id, values by number.
pub(crate) fn value_sets(out: &mut Out) {
    let (old, new) = (out.old, out.new);
    let key = |s: &ValueSet| s.id.clone();
    for id in merge_order(&ids(&old.value_sets, key), &ids(&new.value_sets, key)) {
        let here = format!("value_sets[{id}]");
        match (
            find(&old.value_sets, key, &id),
            find(&new.value_sets, key, &id),
        ) {
            (Some(o), None) => out.removed(here, set_text(o), "value set removed", &o.section),
            (None, Some(n)) => out.added(
                here,
                Class::Compatible,
                set_text(n),
                "value set added",
                &n.section,
            ),
            (Some(o), Some(n)) => {
                let (os, ns) = (o.section.as_str(), n.section.as_str());
                if o.rust != n.rust {
                    out.changed(
                        format!("{here}.rust"),
                        Class::Breaking,
                        o.rust.clone(),
                        n.rust.clone(),
                        "Rust type renamed",
                        os,
                        ns,
                    );
                }
                let ov: Vec<i64> = o.values.iter().map(|v| v.value).collect();
                let nv: Vec<i64> = n.values.iter().map(|v| v.value).collect();
                for v in merge_order(&ov, &nv) {
                    let p = format!("{here}.values[{v}]");
                    let a = o.values.iter().find(|x| x.value == v);
                    let b = n.values.iter().find(|x| x.value == v);
                    match (a, b) {
                        (Some(a), None) => {
                            out.removed(p, format!("{v} ({})", a.name), "value removed", os)
                        }
                        (None, Some(b)) => out.added(
                            p,
                            Class::Compatible,
                            format!("{v} ({})", b.name),
                            "value added",
                            ns,
                        ),
                        (Some(a), Some(b)) => {
                            if a.name != b.name {
                                out.changed(
                                    format!("{p}.name"),
                                    Class::Compatible,
                                    a.name.clone(),
                                    b.name.clone(),
                                    "renamed; the wire value is the same",
                                    os,
                                    ns,
                                );
                            }
                            if a.rust != b.rust {
                                out.changed(
                                    format!("{p}.rust"),
                                    Class::Breaking,
                                    a.rust.clone(),
                                    b.rust.clone(),
                                    "Rust variant renamed",
                                    os,
                                    ns,
                                );
                            }
                        }
                        (None, None) => {}
                    }
                }
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
        AccessSpec::PerKey(m) => m.get(&k).copied().unwrap_or(Access::None),
    };
    let mut keys: Vec<i64> = Vec::new();
    for a in [old, new] {
        if let AccessSpec::PerKey(m) = a {
            keys.extend(m.keys());
        }
    }
    match (old, new) {
        (AccessSpec::All(a), AccessSpec::All(b)) => !grants(*b, *a),
        // Keys a per-key access does not list have none.
        (AccessSpec::All(a), AccessSpec::PerKey(_)) if *a != Access::None => true,
        _ => keys.iter().any(|&k| !grants(at(new, k), at(old, k))),
    }
}

fn opt_text(spec: &Spec, o: &Opt) -> String {
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
    let key = |t: &OptionTable| t.id.clone();
    for id in merge_order(&ids(&old.option_tables, key), &ids(&new.option_tables, key)) {
        let here = format!("option_tables[{id}]");
        let text = |t: &OptionTable| format!("{}: {} options", t.title, t.options.len());
        match (
            find(&old.option_tables, key, &id),
            find(&new.option_tables, key, &id),
        ) {
            (Some(o), None) => out.removed(here, text(o), "option table removed", &o.section),
            (None, Some(n)) => out.added(
                here,
                Class::Compatible,
                text(n),
                "option table added",
                &n.section,
            ),
            (Some(o), Some(n)) => {
                if o.rust != n.rust {
                    out.changed(
                        format!("{here}.rust"),
                        Class::Breaking,
                        o.rust.clone(),
                        n.rust.clone(),
                        "Rust type renamed",
                        &o.section,
                        &n.section,
                    );
                }
                let oi: Vec<i64> = o.options.iter().map(|x| x.id).collect();
                let ni: Vec<i64> = n.options.iter().map(|x| x.id).collect();
                for num in merge_order(&oi, &ni) {
                    let p = format!("{here}.options[{num}]");
                    match (o.option(num), n.option(num)) {
                        (Some(a), None) => {
                            out.removed(p, opt_text(old, a), "option removed", &a.section)
                        }
                        (None, Some(b)) => out.added(
                            p,
                            Class::Compatible,
                            opt_text(new, b),
                            "option added",
                            &b.section,
                        ),
                        (Some(a), Some(b)) => option(out, &p, a, b),
                        (None, None) => {}
                    }
                }
            }
            (None, None) => {}
        }
    }
}

fn option(out: &mut Out, p: &str, a: &Opt, b: &Opt) {
    let (os, ns) = (a.section.as_str(), b.section.as_str());
    if a.name != b.name {
        out.changed(
            format!("{p}.name"),
            Class::Compatible,
            a.name.clone(),
            b.name.clone(),
            "renamed; the option number is the same",
            os,
            ns,
        );
    }
    if a.rust != b.rust {
        out.changed(
            format!("{p}.rust"),
            Class::Breaking,
            a.rust.clone(),
            b.rust.clone(),
            "Rust variant renamed",
            os,
            ns,
        );
    }
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
    let (ol, nl) = (
        List {
            spec: out.old,
            params: &a.values,
            select: &[],
            section: os,
        },
        List {
            spec: out.new,
            params: &b.values,
            select: &[],
            section: ns,
        },
    );
    params::params(out, p, "values", ol, nl);
    params::rest(out, p, "rest", a.rest.as_ref(), b.rest.as_ref(), os, ns);
    // Read values are compared only where some side reads other values
    // than it writes; otherwise the change is the one of `values`.
    if a.read != a.values || b.read != b.values {
        let (ol, nl) = (
            List {
                spec: out.old,
                params: &a.read,
                select: &[],
                section: os,
            },
            List {
                spec: out.new,
                params: &b.read,
                select: &[],
                section: ns,
            },
        );
        params::params(out, p, "read", ol, nl);
    }
    if a.read_rest != a.rest || b.read_rest != b.rest {
        params::rest(
            out,
            p,
            "read_rest",
            a.read_rest.as_ref(),
            b.read_rest.as_ref(),
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
    params::rules(out, p, (&a.rules, &ol), (&b.rules, &nl));
}

fn error_text(spec: &Spec, code: u32) -> String {
    match spec.error(code) {
        Some(e) => format!("{code} {}", e.text),
        None => code.to_string(),
    }
}

/// Commands by name.
pub(crate) fn commands(out: &mut Out) {
    let (old, new) = (out.old, out.new);
    let key = |c: &Command| c.name.clone();
    let text = |c: &Command| format!("{}: {}", c.name, c.title);
    for name in merge_order(&ids(&old.commands, key), &ids(&new.commands, key)) {
        let here = format!("commands[{name}]");
        match (
            find(&old.commands, key, &name),
            find(&new.commands, key, &name),
        ) {
            (Some(o), None) => out.removed(here, text(o), "command removed", &o.section),
            (None, Some(n)) => out.added(
                here,
                Class::Compatible,
                text(n),
                "command added",
                &n.section,
            ),
            (Some(o), Some(n)) => command(out, &here, o, n),
            (None, None) => {}
        }
    }
}

fn command(out: &mut Out, here: &str, o: &Command, n: &Command) {
    let (os, ns) = (o.section.as_str(), n.section.as_str());
    if o.rust != n.rust {
        out.changed(
            format!("{here}.rust"),
            Class::Breaking,
            o.rust.clone(),
            n.rust.clone(),
            "Rust names renamed",
            os,
            ns,
        );
    }
    if o.timeout_ms != n.timeout_ms {
        let (class, note) = if n.timeout_ms > o.timeout_ms {
            (Class::Breaking, "may take longer than hosts wait")
        } else {
            (Class::Compatible, "answers sooner")
        };
        out.changed(
            format!("{here}.timeout_ms"),
            class,
            o.timeout_ms.to_string(),
            n.timeout_ms.to_string(),
            note,
            os,
            ns,
        );
    }
    let es = |c: &Command| {
        c.errors_section
            .clone()
            .unwrap_or_else(|| c.section.clone())
    };
    let (oes, nes) = (es(o), es(n));
    for code in merge_order(&o.errors, &n.errors) {
        let p = format!("{here}.errors[{code}]");
        match (o.errors.contains(&code), n.errors.contains(&code)) {
            (true, false) => {
                out.removed(p, error_text(out.old, code), "error no longer listed", &oes)
            }
            (false, true) => out.added(
                p,
                Class::Compatible,
                error_text(out.new, code),
                "error may be answered",
                &nes,
            ),
            _ => {}
        }
    }
    let key = |f: &Form| format!("{:?}:{}", f.kind, f.name);
    for k in merge_order(&ids(&o.forms, key), &ids(&n.forms, key)) {
        let p = format!("{here}.forms[{k}]");
        match (find(&o.forms, key, &k), find(&n.forms, key, &k)) {
            (Some(a), None) => out.removed(p, form_line(out.old, o, a), "form removed", &a.section),
            (None, Some(b)) => out.added(
                p,
                Class::Compatible,
                form_line(out.new, n, b),
                "form added",
                &b.section,
            ),
            (Some(a), Some(b)) => form(out, &p, a, b),
            (None, None) => {}
        }
    }
}

fn form(out: &mut Out, p: &str, a: &Form, b: &Form) {
    let (os, ns) = (a.section.as_str(), b.section.as_str());
    if a.rust != b.rust {
        out.changed(
            format!("{p}.rust"),
            Class::Breaking,
            a.rust.clone(),
            b.rust.clone(),
            "Rust type renamed",
            os,
            ns,
        );
    }
    let ol = List {
        spec: out.old,
        params: &a.params,
        select: &a.select,
        section: os,
    };
    let nl = List {
        spec: out.new,
        params: &b.params,
        select: &b.select,
        section: ns,
    };
    params::select(out, p, &ol, &nl);
    params::params(out, p, "params", ol, nl);
    params::rest(out, p, "rest", a.rest.as_ref(), b.rest.as_ref(), os, ns);
    params::binding(
        out,
        p,
        a.options.as_ref().map(|x| (x, &ol)),
        b.options.as_ref().map(|x| (x, &nl)),
    );
    params::rules(out, p, (&a.rules, &ol), (&b.rules, &nl));
    message_ids(out, p, "responses", (&a.responses, os), (&b.responses, ns));
    message_ids(out, p, "urcs", (&a.urcs, os), (&b.urcs, ns));
    outcomes(out, p, (&a.outcomes, &ol), (&b.outcomes, &nl));
}

fn message_ids(
    out: &mut Out,
    p: &str,
    seg: &str,
    (o, os): (&[String], &str),
    (n, ns): (&[String], &str),
) {
    for id in merge_order(o, n) {
        let here = format!("{p}.{seg}[{id}]");
        match (o.contains(&id), n.contains(&id)) {
            (true, false) => out.removed(here, id.clone(), "no longer sent", os),
            (false, true) => out.added(here, Class::Compatible, id.clone(), "may be sent", ns),
            _ => {}
        }
    }
}

fn outcome_text(o: &Outcome, l: &List) -> String {
    let etx = o.etx.map(|e| format!(" (ETX: {e:?})")).unwrap_or_default();
    if o.when.is_empty() {
        format!("always: {:?}{etx}", o.data)
    } else {
        format!("when {}: {:?}{etx}", conds_text(&o.when, l), o.data)
    }
}

fn outcomes(out: &mut Out, p: &str, old: (&[Outcome], &List), new: (&[Outcome], &List)) {
    let ot: Vec<String> = old.0.iter().map(|o| outcome_text(o, old.1)).collect();
    let nt: Vec<String> = new.0.iter().map(|o| outcome_text(o, new.1)).collect();
    for t in merge_order(&ot, &nt) {
        let here = format!("{p}.outcomes[{t}]");
        let o = ot.iter().position(|x| *x == t).and_then(|i| old.0.get(i));
        let n = nt.iter().position(|x| *x == t).and_then(|i| new.0.get(i));
        match (o, n) {
            (Some(x), None) => out.removed(
                here,
                t.clone(),
                "no longer opens this data mode",
                &x.section,
            ),
            (None, Some(x)) => {
                let (class, note) = if reachable(&x.when, new.1, old.1) {
                    (
                        Class::Breaking,
                        "calls that were valid open another data mode",
                    )
                } else {
                    (Class::Compatible, "data mode of new parameter values only")
                };
                out.added(here, class, t.clone(), note, &x.section);
            }
            _ => {}
        }
    }
    // First match wins: the same outcomes in another order mean another thing.
    let common_old: Vec<&String> = ot.iter().filter(|t| nt.contains(t)).collect();
    let common_new: Vec<&String> = nt.iter().filter(|t| ot.contains(t)).collect();
    if common_old != common_new {
        let join = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" | ");
        out.changed(
            format!("{p}.outcomes"),
            Class::Breaking,
            join(&common_old),
            join(&common_new),
            "outcomes reordered; the first that matches wins",
            old.1.section,
            new.1.section,
        );
    }
}

fn kind_text(k: MessageKind) -> &'static str {
    match k {
        MessageKind::Info => "response",
        MessageKind::Urc => "URC",
        MessageKind::Both => "response or URC",
    }
}

/// Messages by id.
pub(crate) fn messages(out: &mut Out) {
    let (old, new) = (out.old, out.new);
    let key = |m: &Message| m.id.clone();
    let text = |s: &Spec, m: &Message| format!("{}: {}", kind_text(m.kind), message_line(s, m));
    for id in merge_order(&ids(&old.messages, key), &ids(&new.messages, key)) {
        let here = format!("messages[{id}]");
        match (find(&old.messages, key, &id), find(&new.messages, key, &id)) {
            (Some(o), None) => out.removed(here, text(old, o), "message removed", &o.section),
            (None, Some(n)) => out.added(
                here,
                Class::Compatible,
                text(new, n),
                "message added",
                &n.section,
            ),
            (Some(o), Some(n)) => message(out, &here, o, n),
            (None, None) => {}
        }
    }
}

fn message(out: &mut Out, p: &str, a: &Message, b: &Message) {
    let (os, ns) = (a.section.as_str(), b.section.as_str());
    if a.prefix != b.prefix {
        let show = |x: &Option<String>| x.clone().unwrap_or_else(|| "none".to_string());
        out.changed(
            format!("{p}.prefix"),
            Class::Breaking,
            show(&a.prefix),
            show(&b.prefix),
            "prefix changed",
            os,
            ns,
        );
    }
    if a.kind != b.kind {
        let widened = b.kind == MessageKind::Both;
        let (class, note) = if widened {
            (Class::Compatible, "may now come either way")
        } else {
            (Class::Breaking, "comes another way")
        };
        out.changed(
            format!("{p}.kind"),
            class,
            kind_text(a.kind).into(),
            kind_text(b.kind).into(),
            note,
            os,
            ns,
        );
    }
    let ol = List {
        spec: out.old,
        params: &a.fields,
        select: &a.select,
        section: os,
    };
    let nl = List {
        spec: out.new,
        params: &b.fields,
        select: &b.select,
        section: ns,
    };
    params::select(out, p, &ol, &nl);
    params::params(out, p, "fields", ol, nl);
    params::rest(out, p, "rest", a.rest.as_ref(), b.rest.as_ref(), os, ns);
    params::binding(
        out,
        p,
        a.options.as_ref().map(|x| (x, &ol)),
        b.options.as_ref().map(|x| (x, &nl)),
    );
    params::rules(out, p, (&a.rules, &ol), (&b.rules, &nl));
}

/// Error codes by code; reserved ranges by their bounds.
pub(crate) fn errors(out: &mut Out) {
    let (old, new) = (out.old, out.new);
    let oc: Vec<u32> = old.errors.iter().map(|e| e.code).collect();
    let nc: Vec<u32> = new.errors.iter().map(|e| e.code).collect();
    let mut codes = merge_order(&oc, &nc);
    codes.sort_unstable();
    for code in codes {
        let p = format!("errors[{code}]");
        match (old.error(code), new.error(code)) {
            (Some(o), None) => {
                out.removed(p, error_text(old, code), "error code removed", &o.section)
            }
            (None, Some(n)) => out.added(
                p,
                Class::Compatible,
                error_text(new, code),
                "error code added",
                &n.section,
            ),
            (Some(o), Some(n)) => {
                let (os, ns) = (o.section.as_str(), n.section.as_str());
                if o.text != n.text {
                    out.changed(
                        format!("{p}.text"),
                        Class::Compatible,
                        o.text.clone(),
                        n.text.clone(),
                        "text changed; the code is the same",
                        os,
                        ns,
                    );
                }
                if o.group != n.group {
                    out.changed(
                        format!("{p}.group"),
                        Class::Compatible,
                        o.group.clone(),
                        n.group.clone(),
                        "group changed; the code is the same",
                        os,
                        ns,
                    );
                }
                if o.rust != n.rust {
                    out.changed(
                        format!("{p}.rust"),
                        Class::Breaking,
                        o.rust.clone(),
                        n.rust.clone(),
                        "Rust variant renamed",
                        os,
                        ns,
                    );
                }
            }
            (None, None) => {}
        }
    }
    let key = |r: &(u32, u32, String)| format!("{}-{}", r.0, r.1);
    for k in merge_order(
        &ids(&old.reserved_errors, key),
        &ids(&new.reserved_errors, key),
    ) {
        let p = format!("reserved_errors[{k}]");
        // Reserved codes define nothing a host can use.
        match (
            find(&old.reserved_errors, key, &k),
            find(&new.reserved_errors, key, &k),
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
    let key = |l: &crate::ir::Limit| l.id.clone();
    let text = |l: &crate::ir::Limit| format!("{} {}", l.value, l.unit);
    for id in merge_order(&ids(&old.limits, key), &ids(&new.limits, key)) {
        let p = format!("limits[{id}]");
        match (old.limit(&id), new.limit(&id)) {
            (Some(o), None) => out.removed(p, text(o), "limit removed", &o.section),
            (None, Some(n)) => out.added(p, Class::Compatible, text(n), "limit added", &n.section),
            (Some(o), Some(n)) => {
                let (os, ns) = (o.section.as_str(), n.section.as_str());
                if o.unit != n.unit {
                    out.changed(
                        format!("{p}.unit"),
                        Class::Breaking,
                        o.unit.clone(),
                        n.unit.clone(),
                        "unit changed",
                        os,
                        ns,
                    );
                }
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
