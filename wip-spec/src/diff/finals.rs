//! Changes of the declared final result codes (`finals`) and of the final
//! result codes each form may end with.

use super::{merge_order, Class, Out};
use crate::Spec;
use wip_schema::{FinalCode, FinalRef, Form};

/// The line and the type of each field, as compared.
fn shape(spec: &Spec, f: &FinalCode) -> String {
    let types: Vec<String> = f
        .fields
        .iter()
        .map(|p| format!("<{}>: {}", p.name, spec.dialect.allowed(&p.ty)))
        .collect();
    if types.is_empty() {
        f.syntax()
    } else {
        format!("{} ({})", f.syntax(), types.join("; "))
    }
}

/// The declared final result codes, matched by their text.
pub(crate) fn finals(out: &mut Out) {
    let (old, new) = (out.old, out.new);
    let key = |f: &FinalCode| f.text.to_string();
    let o: Vec<String> = old.dialect.finals.iter().map(key).collect();
    let n: Vec<String> = new.dialect.finals.iter().map(key).collect();
    for text in merge_order(&o, &n) {
        let p = format!("finals[{text}]");
        let find = |s: &'_ Spec| {
            s.dialect
                .finals
                .iter()
                .zip(&s.notes.finals)
                .find(|(f, _)| f.text == text.as_str())
                .map(|(f, n)| (f.clone(), n.section.clone()))
        };
        match (find(old), find(new)) {
            (Some((a, os)), None) => {
                out.removed(p, shape(old, &a), "final result code removed", &os)
            }
            (None, Some((b, ns))) => out.added(
                p,
                Class::Compatible,
                shape(new, &b),
                "final result code added",
                &ns,
            ),
            (Some((a, os)), Some((b, ns))) => {
                if a.success != b.success {
                    out.changed(
                        format!("{p}.success"),
                        Class::Breaking,
                        a.success.to_string(),
                        b.success.to_string(),
                        "success and failure swapped",
                        &os,
                        &ns,
                    );
                }
                out.if_changed(
                    format!("{p}.fields"),
                    Class::Breaking,
                    &shape(old, &a),
                    &shape(new, &b),
                    "fields changed",
                    &os,
                    &ns,
                );
            }
            (None, None) => {}
        }
    }
}

/// The final result codes a form may end with, by name: none listed means
/// any, so a first list narrows what hosts get (compatible); a code added
/// to a list is one hosts may not handle.
pub(crate) fn form_finals(out: &mut Out, p: &str, (a, os): (&Form, &str), (b, ns): (&Form, &str)) {
    let names = |s: &Spec, f: &Form| -> Vec<String> {
        f.finals
            .iter()
            .map(|r: &FinalRef| r.name(&s.dialect))
            .collect()
    };
    let (o, n) = (names(out.old, a), names(out.new, b));
    if o.is_empty() || n.is_empty() {
        if o != n {
            let show = |l: &[String]| {
                if l.is_empty() {
                    "any".to_string()
                } else {
                    l.join(", ")
                }
            };
            let (class, note) = if o.is_empty() {
                (
                    Class::Compatible,
                    "the final result codes it may end with are now listed",
                )
            } else {
                (Class::Breaking, "any final result code may now end it")
            };
            out.changed(
                format!("{p}.finals"),
                class,
                show(&o),
                show(&n),
                note,
                os,
                ns,
            );
        }
        return;
    }
    for name in merge_order(&o, &n) {
        let here = format!("{p}.finals[{name}]");
        match (o.contains(&name), n.contains(&name)) {
            (true, false) => out.removed_as(
                here,
                Class::Compatible,
                name.clone(),
                "no longer ends it",
                os,
            ),
            (false, true) => out.added(
                here,
                Class::Breaking,
                name.clone(),
                "may now end it: hosts may not expect it",
                ns,
            ),
            _ => {}
        }
    }
}
