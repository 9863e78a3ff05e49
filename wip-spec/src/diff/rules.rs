//! Changes of what binds a parameter list together: discriminators,
//! rules, data-mode conditions and option bindings. A new constraint breaks
//! only where calls that were valid can meet it.

use super::params::{reachable, List};
use super::{merge_order, Class, Out};
use std::collections::BTreeSet;
use wip_schema::value::runs_text;
use wip_schema::{Access, Binding, Cond, Format, Rule};

/// `mode=3`, `mode in {1, 2}`, joined by `and`, sorted.
pub(crate) fn conds_text(conds: &[Cond], l: &List) -> String {
    let mut parts: Vec<String> = conds
        .iter()
        .map(|c| match (c.given, c.values.as_ref()) {
            (Some(true), _) => format!("{} given", l.name(c.param)),
            (Some(false), _) => format!("{} left out", l.name(c.param)),
            (None, _) if !c.texts.is_empty() => {
                let t: Vec<String> = c.texts.iter().map(|t| format!("{t:?}")).collect();
                match t.as_slice() {
                    [one] => format!("{}={one}", l.name(c.param)),
                    _ => format!("{} in {{{}}}", l.name(c.param), t.join(", ")),
                }
            }
            (None, [v]) => format!("{}={v}", l.name(c.param)),
            (None, vs) => format!("{} in {{{}}}", l.name(c.param), runs_text(vs)),
        })
        .collect();
    parts.sort();
    parts.join(" and ")
}

/// The parameters a rule names, in their order in the list: the order a
/// spec writes them in a rule means nothing (`Together(["b", "a"])` is
/// `Together(["a", "b"])`).
fn names(ix: &[usize], l: &List) -> String {
    let mut ix = ix.to_vec();
    ix.sort_unstable();
    ix.dedup();
    ix.iter().map(|&i| l.name(i)).collect::<Vec<_>>().join(", ")
}

/// A rule as text, its identity in a diff (its section and a reject's
/// reason are documentation).
pub(crate) fn rule_text(r: &Rule, l: &List) -> String {
    // A rule that holds always names no condition.
    let cond = |c: &[Cond]| {
        if c.is_empty() {
            String::new()
        } else {
            format!(" when {}", conds_text(c, l))
        }
    };
    match r {
        Rule::Order {
            lesser, greater, ..
        } => {
            format!("order: {} <= {}", l.name(*lesser), l.name(*greater))
        }
        Rule::Together(params) => format!("together: {}", names(params, l)),
        Rule::AnyOf(params) => format!("any of: {}", names(params, l)),
        Rule::Require { when, params, .. } => {
            format!("require {}{}", names(params, l), cond(when))
        }
        Rule::Forbid { when, params, .. } => {
            format!("forbid {}{}", names(params, l), cond(when))
        }
        Rule::Reject { when: w, .. } => format!("reject{}", cond(w)),
        Rule::Range {
            when,
            param,
            min,
            max,
            ..
        } => format!("range {} {min}-{max}{}", l.name(*param), cond(when)),
        Rule::Format {
            when,
            param,
            format,
        } => {
            let f = match format {
                Format::Pattern(p) => format!("pattern {p:?}"),
                Format::Digits { min, max } => format!("digits {min}-{max}"),
            };
            if when.is_empty() {
                format!("format {} {f}", l.name(*param))
            } else {
                format!("format {} {f} when {}", l.name(*param), conds_text(when, l))
            }
        }
    }
}

/// Whether a rule new on the `new` side constrains calls the `old` side
/// allowed; a rule that only speaks of new parameters or new values
/// cannot.
fn rule_breaks(r: &Rule, old: &List, new: &List) -> bool {
    let known = |ix: &[usize]| ix.iter().any(|&i| old.index(&new.name(i)).is_some());
    match r {
        // At least one must be given: old calls may give none.
        Rule::AnyOf(_) => true,
        Rule::Together(params) => known(params),
        Rule::Order {
            lesser, greater, ..
        } => known(&[*lesser, *greater]),
        Rule::Forbid { when, params, .. } => known(params) && reachable(when, new, old),
        Rule::Require { when, .. } | Rule::Reject { when, .. } | Rule::Range { when, .. } => {
            reachable(when, new, old)
        }
        // A format narrows the values of a parameter the old side knew.
        Rule::Format { when, param, .. } => known(&[*param]) && reachable(when, new, old),
    }
}

/// A rule list on one side: the rules, their sections (from the notes)
/// and the parameters they speak of.
pub(crate) type Rules<'a, 'b> = (&'a [Rule], &'a [String], &'a List<'b>);

/// Compares two rule lists by their texts.
pub(crate) fn rules(out: &mut Out, path: &str, old: Rules, new: Rules) {
    let ot: Vec<String> = old.0.iter().map(|r| rule_text(r, old.2)).collect();
    let nt: Vec<String> = new.0.iter().map(|r| rule_text(r, new.2)).collect();
    let section = |secs: &[String], i: usize| secs.get(i).cloned().unwrap_or_default();
    for t in merge_order(&ot, &nt) {
        let here = format!("{path}.rules[{t}]");
        let oi = ot.iter().position(|x| *x == t);
        let ni = nt.iter().position(|x| *x == t);
        let o = oi.and_then(|i| old.0.get(i).map(|r| (r, section(old.1, i))));
        let n = ni.and_then(|i| new.0.get(i).map(|r| (r, section(new.1, i))));
        match (o, n) {
            (Some((_, sec)), None) => out.removed_as(
                here,
                Class::Compatible,
                t.clone(),
                "constraint lifted",
                &sec,
            ),
            (None, Some((r, sec))) => {
                let (class, note) = if rule_breaks(r, old.2, new.2) {
                    (Class::Breaking, "new constraint on calls that were valid")
                } else {
                    (
                        Class::Compatible,
                        "constraint on new parameters or values only",
                    )
                };
                out.added(here, class, t.clone(), note, &sec);
            }
            _ => {}
        }
    }
}

/// Compares discriminators, parameter by parameter.
pub(crate) fn select(out: &mut Out, path: &str, old: &List, new: &List) {
    let text = |c: Option<&Cond>| match c.map(|c| (c, c.given)) {
        None => "any".to_string(),
        Some((_, Some(true))) => "given".to_string(),
        Some((_, Some(false))) => "left out".to_string(),
        Some((c, None)) if !c.texts.is_empty() => {
            let t: Vec<String> = c.texts.iter().map(|t| format!("{t:?}")).collect();
            format!("{{{}}}", t.join(", "))
        }
        Some((c, None)) => format!("{{{}}}", runs_text(&c.values)),
    };
    let on: Vec<String> = old.select.iter().map(|c| old.name(c.param)).collect();
    let nn: Vec<String> = new.select.iter().map(|c| new.name(c.param)).collect();
    for name in merge_order(&on, &nn) {
        let o = old.select.iter().find(|c| old.name(c.param) == name);
        let n = new.select.iter().find(|c| new.name(c.param) == name);
        let (ov, nv): (BTreeSet<i64>, BTreeSet<i64>) = match (o, n) {
            (Some(a), Some(b))
                if a.values == b.values && a.given == b.given && a.texts == b.texts =>
            {
                continue
            }
            (Some(a), Some(b)) => (
                a.values.iter().copied().collect(),
                b.values.iter().copied().collect(),
            ),
            _ => (BTreeSet::new(), BTreeSet::new()),
        };
        let class = match (o, n) {
            // No condition selects everything: dropping one widens.
            (Some(_), None) => Class::Compatible,
            (None, Some(_)) => Class::Breaking,
            // A presence test changed, or turned into values or back:
            // the calls it selects are other calls.
            (Some(a), Some(b)) if a.given.is_some() || b.given.is_some() => Class::Breaking,
            (Some(a), Some(b)) if !a.texts.is_empty() || !b.texts.is_empty() => {
                if a.texts.iter().all(|t| b.texts.contains(t)) {
                    Class::Compatible
                } else {
                    Class::Breaking
                }
            }
            _ if nv.is_superset(&ov) => Class::Compatible,
            _ => Class::Breaking,
        };
        let note = if class == Class::Compatible {
            "selects more values"
        } else {
            "selects fewer values"
        };
        out.changed(
            format!("{path}.select[{name}]"),
            class,
            text(o),
            text(n),
            note,
            old.section,
            new.section,
        );
    }
}

fn access_text(a: Access) -> &'static str {
    match a {
        Access::R => "R",
        Access::W => "W",
        Access::RW => "RW",
        Access::None => "none",
    }
}

/// Compares option bindings (`options` of a form or message).
pub(crate) fn binding(
    out: &mut Out,
    path: &str,
    old: Option<(&Binding, &List)>,
    new: Option<(&Binding, &List)>,
) {
    let here = format!("{path}.options");
    let text = |b: &Binding, l: &List| {
        let tables: Vec<String> = b
            .tables
            .iter()
            .map(|(k, t)| {
                let t = l.spec.table_id(*t);
                if k.is_empty() {
                    t.to_string()
                } else {
                    format!("{}: {t}", runs_text(k))
                }
            })
            .collect();
        format!(
            "<{}> {} of {}",
            l.name(b.id_param),
            access_text(b.access),
            tables.join("; ")
        )
    };
    match (old, new) {
        (None, None) => {}
        (Some((b, l)), None) => out.removed(here, text(b, l), "option values removed", l.section),
        (None, Some((b, l))) => out.added(
            here,
            Class::Compatible,
            text(b, l),
            "option values added",
            l.section,
        ),
        (Some((ob, ol)), Some((nb, nl))) => {
            let (os, ns) = (ol.section, nl.section);
            if ol.name(ob.id_param) != nl.name(nb.id_param) {
                out.changed(
                    format!("{here}.id_param"),
                    Class::Breaking,
                    ol.name(ob.id_param),
                    nl.name(nb.id_param),
                    "option number parameter changed",
                    os,
                    ns,
                );
            }
            let key = |b: &Binding, l: &List| {
                b.key_param
                    .map_or_else(|| "none".to_string(), |k| l.name(k))
            };
            if key(ob, ol) != key(nb, nl) {
                out.changed(
                    format!("{here}.key_param"),
                    Class::Breaking,
                    key(ob, ol),
                    key(nb, nl),
                    "key parameter changed",
                    os,
                    ns,
                );
            }
            if ob.access != nb.access {
                out.changed(
                    format!("{here}.access"),
                    Class::Breaking,
                    access_text(ob.access).into(),
                    access_text(nb.access).into(),
                    "reads or writes other values",
                    os,
                    ns,
                );
            }
            table_keys(out, &here, (ob, ol), (nb, nl));
        }
    }
}

fn table_keys(out: &mut Out, here: &str, (ob, ol): (&Binding, &List), (nb, nl): (&Binding, &List)) {
    let (os, ns) = (ol.section, nl.section);
    // Per key value, or one entry for a binding without key.
    let flat = |b: &Binding, l: &List| -> Vec<(Option<i64>, String)> {
        let mut v = Vec::new();
        for (keys, t) in b.tables.iter() {
            let t = l.spec.table_id(*t).to_string();
            if keys.is_empty() {
                v.push((None, t.clone()));
            }
            for k in keys.iter() {
                v.push((Some(*k), t.clone()));
            }
        }
        v.sort();
        v
    };
    let (of, nf) = (flat(ob, ol), flat(nb, nl));
    let keys: BTreeSet<Option<i64>> = of.iter().chain(nf.iter()).map(|(k, _)| *k).collect();
    for k in keys {
        let p = match k {
            Some(k) => format!("{here}.tables[{k}]"),
            None => format!("{here}.table"),
        };
        let o = of.iter().find(|(x, _)| *x == k).map(|(_, t)| t.clone());
        let n = nf.iter().find(|(x, _)| *x == k).map(|(_, t)| t.clone());
        match (o, n) {
            (Some(o), None) => out.removed(p, o, "option table removed for this key", os),
            (None, Some(n)) => out.added(
                p,
                Class::Compatible,
                n,
                "option table added for this key",
                ns,
            ),
            (Some(o), Some(n)) if o != n => {
                out.changed(p, Class::Breaking, o, n, "another option table", os, ns);
            }
            _ => {}
        }
    }
}
