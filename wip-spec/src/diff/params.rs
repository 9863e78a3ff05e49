//! Changes of parameter lists: types, positions, optionality, defaults and
//! repeated groups.
//!
//! The same code serves command parameters, message fields and option
//! values, so one rule holds for all three: narrowing is breaking and
//! widening compatible (the modem reports new values only to hosts that
//! use the new features that produce them). Presence is the exception: a
//! field the modem may now leave out, or a new optional one it may add,
//! makes lines the old spec refuses whatever feature the host uses, so in
//! what the modem sends (message fields, option values read) "made
//! optional" and "optional field added" are breaking and "made mandatory"
//! compatible.

use super::{merge_order, Class, Out};
use crate::doc::syntax::{is_whole_set, ty_short};
use crate::notes::{ParamRef, RestRef};
use crate::Spec;
use std::collections::BTreeSet;
use wip_schema::value::runs_text;
use wip_schema::{Cond, Lit, Param, Ty};

/// A parameter list on one side, with what gives it meaning.
#[derive(Clone, Copy)]
pub(crate) struct List<'a> {
    /// The spec the list belongs to (value sets).
    pub(crate) spec: &'a Spec,
    /// The parameters with their notes.
    pub(crate) params: &'a [ParamRef<'a>],
    /// The discriminators of the enclosing form or message.
    pub(crate) select: &'a [Cond],
    /// The section of the enclosing item.
    pub(crate) section: &'a str,
    /// The modem sends the list (message fields, option values read), the
    /// host reads it: presence rules are reversed.
    pub(crate) sent_by_modem: bool,
}

impl<'a> List<'a> {
    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }

    pub(crate) fn name(&self, i: usize) -> String {
        self.params
            .get(i)
            .map_or_else(|| format!("#{i}"), |p| p.name.to_string())
    }

    fn section_of(&self, p: &Param) -> &'a str {
        // The parameter's own section outlives `p` only through `self`.
        self.params
            .iter()
            .find(|x| x.name == p.name)
            .and_then(|x| x.notes.section.as_deref())
            .unwrap_or(self.section)
    }

    /// Whether the string parameter at `i` can take one of `texts` here.
    fn can_take_text(&self, i: usize, texts: &[wip_schema::Text]) -> bool {
        let Some(p) = self.params.get(i) else {
            return false;
        };
        let sel = self.select.iter().find(|c| c.param == i);
        texts.iter().any(|v| {
            let in_type = match &p.ty {
                Ty::StrEnum { allowed, .. } => allowed.contains(v),
                Ty::Str { .. } => true,
                _ => false,
            };
            in_type && sel.is_none_or(|c| c.texts.contains(v))
        })
    }

    /// Whether the parameter at `i` can take one of `values` here.
    fn can_take(&self, i: usize, values: &[i64]) -> bool {
        let Some(p) = self.params.get(i) else {
            return false;
        };
        let sel = self.select.iter().find(|c| c.param == i);
        values.iter().any(|v| {
            let in_type = match &p.ty {
                Ty::Int { min, max } => (min..=max).contains(&v),
                Ty::Enum { allowed, .. } => allowed.contains(v),
                _ => true,
            };
            in_type && sel.is_none_or(|c| c.values.contains(v))
        })
    }
}

/// Whether some call (or line) valid on the `old` side meets every
/// condition, written against the `new` side's parameters.
pub(crate) fn reachable(conds: &[Cond], new: &List, old: &List) -> bool {
    conds.iter().all(|c| {
        let name = new.name(c.param);
        old.index(&name).is_some_and(|i| match c.given {
            // A parameter can be given; one left out needs it optional.
            Some(true) => true,
            Some(false) => old.params.get(i).is_some_and(|p| p.optional),
            None if !c.texts.is_empty() => old.can_take_text(i, &c.texts),
            None => old.can_take(i, &c.values),
        })
    })
}

/// A parameter in the manual's notation, with its type.
pub(crate) fn param_text(spec: &Spec, p: &Param) -> String {
    let mut s = format!("<{}>: {}", p.name, ty_short(&spec.dialect, &p.ty));
    if p.optional {
        s.push_str(", optional");
    }
    if let Some(d) = &p.default {
        s.push_str(&format!(", default {}", literal(d)));
    }
    if p.keep_empty {
        s.push_str(", kept as an empty field");
    }
    s
}

fn literal(l: &Lit) -> String {
    match l {
        Lit::Int(v) => v.to_string(),
        Lit::Str(s) => format!("\"{s}\""),
    }
}

/// How a type changed: `None` when it did not (for the host).
pub(crate) fn ty_change(
    old_spec: &Spec,
    old: &Ty,
    new_spec: &Spec,
    new: &Ty,
) -> Option<(Class, String)> {
    let widened = |what: &str| Some((Class::Compatible, format!("{what} widened")));
    let narrowed = |what: &str| Some((Class::Breaking, format!("{what} narrowed")));
    match (old, new) {
        (Ty::Int { min: a, max: b }, Ty::Int { min: c, max: d }) => {
            if (a, b) == (c, d) {
                None
            } else if c <= a && d >= b {
                widened("range")
            } else {
                narrowed("range")
            }
        }
        (
            Ty::Enum {
                set: s1,
                allowed: a1,
            },
            Ty::Enum {
                set: s2,
                allowed: a2,
            },
        ) => {
            let (i1, i2) = (old_spec.set_id(*s1), new_spec.set_id(*s2));
            if i1 != i2 {
                return Some((
                    Class::Breaking,
                    format!("value set changed from {i1} to {i2}"),
                ));
            }
            // Where both take the whole set, a change is the set's own
            // and is reported once, on the set.
            if is_whole_set(&old_spec.dialect, *s1, a1) && is_whole_set(&new_spec.dialect, *s2, a2)
            {
                return None;
            }
            let o: BTreeSet<i64> = a1.iter().copied().collect();
            let n: BTreeSet<i64> = a2.iter().copied().collect();
            let added: Vec<i64> = n.difference(&o).copied().collect();
            let removed: Vec<i64> = o.difference(&n).copied().collect();
            match (added.is_empty(), removed.is_empty()) {
                (true, true) => None,
                (false, true) => Some((
                    Class::Compatible,
                    format!("values added: {}", runs_text(&added)),
                )),
                (true, false) => Some((
                    Class::Breaking,
                    format!("values removed: {}", runs_text(&removed)),
                )),
                (false, false) => Some((
                    Class::Breaking,
                    format!(
                        "values removed: {}; added: {}",
                        runs_text(&removed),
                        runs_text(&added)
                    ),
                )),
            }
        }
        (Ty::Str { max_len: a }, Ty::Str { max_len: b })
        | (Ty::Host { max_len: a }, Ty::Host { max_len: b })
        | (Ty::HostAny { max_len: a }, Ty::HostAny { max_len: b }) => {
            let lim = |x: &Option<u32>| x.map_or(u64::MAX, u64::from);
            match lim(b).cmp(&lim(a)) {
                std::cmp::Ordering::Equal => None,
                std::cmp::Ordering::Greater => widened("length"),
                std::cmp::Ordering::Less => narrowed("length"),
            }
        }
        (Ty::Hex { max_bytes: a }, Ty::Hex { max_bytes: b }) => match b.cmp(a) {
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => widened("length"),
            std::cmp::Ordering::Less => narrowed("length"),
        },
        (Ty::Ip, Ty::Ip) | (Ty::Text, Ty::Text) | (Ty::IpAny, Ty::IpAny) => None,
        (
            Ty::Code {
                table: t1,
                success: s1,
            },
            Ty::Code {
                table: t2,
                success: s2,
            },
        ) => {
            let id = |spec: &Spec, t: Option<usize>| match t {
                Some(t) => spec
                    .dialect
                    .error_tables
                    .get(t)
                    .map_or_else(|| "?".to_string(), |x| x.id.to_string()),
                None => "cme".to_string(),
            };
            let (i1, i2) = (id(old_spec, *t1), id(new_spec, *t2));
            if i1 != i2 {
                return Some((
                    Class::Breaking,
                    format!("error table changed from {i1} to {i2}"),
                ));
            }
            match (s1, s2) {
                (None, Some(v)) => Some((Class::Compatible, format!("success value {v} added"))),
                (Some(v), None) => Some((Class::Breaking, format!("success value {v} removed"))),
                (Some(a), Some(b)) if a != b => Some((
                    Class::Breaking,
                    format!("success value changed from {a} to {b}"),
                )),
                _ => None,
            }
        }
        (Ty::Ranges, Ty::Ranges) => None,
        (Ty::Token, Ty::Token) => None,
        (Ty::Counted { len_field: a }, Ty::Counted { len_field: b }) if a == b => None,
        (Ty::Ip, Ty::IpAny) | (Ty::Host { .. }, Ty::HostAny { .. }) => {
            Some((Class::Compatible, "IPv6 addresses accepted too".to_string()))
        }
        (
            Ty::StrEnum {
                set: s1,
                allowed: a1,
            },
            Ty::StrEnum {
                set: s2,
                allowed: a2,
            },
        ) => {
            let (i1, i2) = (old_spec.set_id(*s1), new_spec.set_id(*s2));
            if i1 != i2 {
                return Some((
                    Class::Breaking,
                    format!("value set changed from {i1} to {i2}"),
                ));
            }
            let whole = |spec: &Spec, s: usize, a: &[wip_schema::Text]| {
                spec.dialect
                    .value_sets
                    .get(s)
                    .is_some_and(|v| v.texts.len() == a.len())
            };
            if whole(old_spec, *s1, a1) && whole(new_spec, *s2, a2) {
                return None;
            }
            let o: BTreeSet<&str> = a1.iter().map(|t| t.as_ref()).collect();
            let n: BTreeSet<&str> = a2.iter().map(|t| t.as_ref()).collect();
            let q = |v: Vec<&&str>| {
                v.iter()
                    .map(|t| format!("{t:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let added: Vec<&&str> = n.difference(&o).collect();
            let removed: Vec<&&str> = o.difference(&n).collect();
            match (added.is_empty(), removed.is_empty()) {
                (true, true) => None,
                (false, true) => Some((Class::Compatible, format!("values added: {}", q(added)))),
                (true, false) => Some((Class::Breaking, format!("values removed: {}", q(removed)))),
                (false, false) => Some((
                    Class::Breaking,
                    format!("values removed: {}; added: {}", q(removed), q(added)),
                )),
            }
        }
        _ => Some((Class::Breaking, "type changed".to_string())),
    }
}

/// Compares two parameter lists; `seg` names them in paths (`params`,
/// `fields`, `values`, `read`).
pub(crate) fn params(out: &mut Out, path: &str, seg: &str, old: List, new: List) {
    let on: Vec<&str> = old.params.iter().map(|p| p.name.as_ref()).collect();
    let nn: Vec<&str> = new.params.iter().map(|p| p.name.as_ref()).collect();
    for name in merge_order(&on, &nn) {
        let here = format!("{path}.{seg}[{name}]");
        let o = old
            .index(name)
            .and_then(|i| old.params.get(i).map(|p| (i, p)));
        let n = new
            .index(name)
            .and_then(|i| new.params.get(i).map(|p| (i, p)));
        match (o, n) {
            (Some((_, op)), None) => {
                out.removed(
                    here,
                    param_text(old.spec, op),
                    "parameter removed",
                    old.section_of(op),
                );
            }
            (None, Some((_, np))) => {
                let (class, note) = match (np.optional, new.sent_by_modem) {
                    (true, false) => (Class::Compatible, "optional parameter added"),
                    (true, true) => (
                        Class::Breaking,
                        "optional field added: a line with it is refused by the old spec",
                    ),
                    (false, _) => (Class::Breaking, "mandatory parameter added"),
                };
                out.added(
                    here,
                    class,
                    param_text(new.spec, np),
                    note,
                    new.section_of(np),
                );
            }
            (Some((oi, op)), Some((ni, np))) => {
                param(out, &here, (oi, op, &old), (ni, np, &new));
            }
            (None, None) => {}
        }
    }
}

fn param(
    out: &mut Out,
    path: &str,
    o: (usize, &ParamRef<'_>, &List),
    n: (usize, &ParamRef<'_>, &List),
) {
    let (oi, op, ol) = o;
    let (ni, np, nl) = n;
    let (os, ns) = (ol.section_of(op), nl.section_of(np));
    if oi != ni {
        out.changed(
            format!("{path}.position"),
            Class::Breaking,
            (oi + 1).to_string(),
            (ni + 1).to_string(),
            "position changed",
            os,
            ns,
        );
    }
    if let Some((class, note)) = ty_change(ol.spec, &op.ty, nl.spec, &np.ty) {
        out.changed(
            format!("{path}.type"),
            class,
            ty_short(&ol.spec.dialect, &op.ty),
            ty_short(&nl.spec.dialect, &np.ty),
            &note,
            os,
            ns,
        );
    }
    if op.optional != np.optional {
        let (class, note) = match (np.optional, nl.sent_by_modem) {
            (true, false) => (Class::Compatible, "made optional"),
            (false, false) => (Class::Breaking, "made mandatory"),
            (true, true) => (
                Class::Breaking,
                "made optional: a line without it is refused by the old spec",
            ),
            (false, true) => (
                Class::Compatible,
                "made mandatory: the modem always sends it",
            ),
        };
        out.changed(
            format!("{path}.optional"),
            class,
            op.optional.to_string(),
            np.optional.to_string(),
            note,
            os,
            ns,
        );
    }
    if op.default != np.default {
        let show = |d: &Option<Lit>| d.as_ref().map_or_else(|| "none".to_string(), literal);
        let (class, note) = match (&op.default, &np.default) {
            (None, Some(_)) => (Class::Compatible, "default documented"),
            (Some(_), None) => (Class::Breaking, "default no longer given"),
            _ => (
                Class::Breaking,
                "default changed: hosts that leave the parameter out get another behaviour",
            ),
        };
        out.changed(
            format!("{path}.default"),
            class,
            show(&op.default),
            show(&np.default),
            note,
            os,
            ns,
        );
    }
    if op.keep_empty != np.keep_empty {
        // Both lines parse to the same values; only what is sent changes.
        let note = if np.keep_empty {
            "left out, now written as an empty field"
        } else {
            "left out, no longer written as an empty field"
        };
        out.changed(
            format!("{path}.keep_empty"),
            Class::Compatible,
            op.keep_empty.to_string(),
            np.keep_empty.to_string(),
            note,
            os,
            ns,
        );
    }
    out.if_changed(
        format!("{path}.rust"),
        Class::Breaking,
        &op.notes.rust,
        &np.notes.rust,
        "Rust field renamed",
        os,
        ns,
    );
}

fn rest_text(spec: &Spec, r: &RestRef<'_>) -> String {
    let mut s = format!("<{}>...: {}", r.name, ty_short(&spec.dialect, &r.ty));
    if r.group > 1 {
        s.push_str(&format!(", in groups of {}", r.group));
    }
    if let Some(m) = r.max_groups {
        s.push_str(&format!(", at most {m}"));
    }
    s
}

/// Compares the repeated trailing groups; `seg` is `rest` or `read_rest`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn rest(
    out: &mut Out,
    path: &str,
    seg: &str,
    old: Option<RestRef<'_>>,
    new: Option<RestRef<'_>>,
    os: &str,
    ns: &str,
) {
    let here = format!("{path}.{seg}");
    let (os_spec, ns_spec) = (out.old, out.new);
    match (old, new) {
        (None, None) => {}
        (Some(o), None) => out.removed(here, rest_text(os_spec, &o), "repeated group removed", os),
        (None, Some(n)) => out.added(
            here,
            Class::Compatible,
            rest_text(ns_spec, &n),
            "repeated group added",
            ns,
        ),
        (Some(o), Some(n)) => {
            out.if_changed(
                format!("{here}.name"),
                Class::Compatible,
                &o.name,
                &n.name,
                "renamed",
                os,
                ns,
            );
            if let Some((class, note)) = ty_change(os_spec, &o.ty, ns_spec, &n.ty) {
                out.changed(
                    format!("{here}.type"),
                    class,
                    ty_short(&os_spec.dialect, &o.ty),
                    ty_short(&ns_spec.dialect, &n.ty),
                    &note,
                    os,
                    ns,
                );
            }
            if o.group != n.group {
                out.changed(
                    format!("{here}.group"),
                    Class::Breaking,
                    o.group.to_string(),
                    n.group.to_string(),
                    "group size changed",
                    os,
                    ns,
                );
            }
            if o.max_groups != n.max_groups {
                let lim = |x: Option<u32>| x.map_or(u64::MAX, u64::from);
                let show =
                    |x: Option<u32>| x.map_or_else(|| "unbounded".to_string(), |v| v.to_string());
                let (class, note) = if lim(n.max_groups) > lim(o.max_groups) {
                    (Class::Compatible, "more groups allowed")
                } else {
                    (Class::Breaking, "fewer groups allowed")
                };
                out.changed(
                    format!("{here}.max_groups"),
                    class,
                    show(o.max_groups),
                    show(n.max_groups),
                    note,
                    os,
                    ns,
                );
            }
            out.if_changed(
                format!("{here}.rust"),
                Class::Breaking,
                &o.notes.rust,
                &n.notes.rust,
                "Rust field renamed",
                os,
                ns,
            );
        }
    }
}
