//! Changes of the declared final result codes (`finals`), of the final
//! result codes each form may end with, of completion URCs and of
//! timeouts taken from a parameter.

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

/// A timeout taken from a parameter, as compared.
fn timeout_text(t: &Option<wip_schema::TimeoutFrom>) -> String {
    match t {
        None => "none".into(),
        Some(t) => format!("<{}> x {} ms + {} ms", t.param, t.scale_ms, t.plus_ms),
    }
}

/// A command's `timeout_from`: any change may make hosts wait too little.
pub(crate) fn timeout_from(
    out: &mut Out,
    here: &str,
    o: &wip_schema::Command,
    n: &wip_schema::Command,
    os: &str,
    ns: &str,
) {
    let (a, b) = (timeout_text(&o.timeout_from), timeout_text(&n.timeout_from));
    out.if_changed(
        format!("{here}.timeout_from"),
        Class::Breaking,
        &a,
        &b,
        "the timeout hosts wait for changed",
        os,
        ns,
    );
}

/// A form's completion URC, as compared: message, echoed parameters,
/// conditions, timeout.
fn completion_text(spec: &Spec, f: &Form) -> Option<String> {
    completion_text_timed(spec, f, None)
}

/// [`completion_text`] with the timeout written as `timeout` when given
/// (to tell a change of the timeout alone).
fn completion_text_timed(spec: &Spec, f: &Form, timeout: Option<&str>) -> Option<String> {
    let c = f.completion.as_ref()?;
    let echo: Vec<String> = c
        .echo
        .iter()
        .filter_map(|(p, _)| f.params.get(*p))
        .map(|p| p.name.to_string())
        .collect();
    let when: Vec<String> = c
        .when
        .iter()
        .map(|k| {
            let name = f.params.get(k.param).map_or("?", |p| p.name.as_ref());
            format!("{name} in {:?}", k.values)
        })
        .collect();
    Some(format!(
        "{} echo [{}] when [{}] within {} ms ({}){}{}",
        spec.message_id(c.message),
        echo.join(", "),
        when.join(", "),
        timeout.map_or_else(|| c.timeout_ms.to_string(), str::to_string),
        timeout_text(&c.timeout_from),
        if c.before_final {
            ", may come before the final"
        } else {
            ""
        },
        if c.unless_aborted {
            ", none after an aborted payload"
        } else {
            ""
        }
    ))
}

/// A form's completion URC: a new one changes what hosts wait for
/// (breaking), as does any change; one removed leaves the URC to hosts
/// that already read URCs (compatible).
pub(crate) fn completion(out: &mut Out, p: &str, (a, os): (&Form, &str), (b, ns): (&Form, &str)) {
    let here = format!("{p}.completion");
    match (completion_text(out.old, a), completion_text(out.new, b)) {
        (None, Some(n)) => out.added(
            here,
            Class::Breaking,
            n,
            "the outcome now comes later, as a URC",
            ns,
        ),
        (Some(o), None) => out.removed_as(
            here,
            Class::Compatible,
            o,
            "no completion URC is declared",
            os,
        ),
        (Some(o), Some(n)) => {
            // The wait alone changed: a shorter one only ends sooner
            // (compatible), a longer one outlasts hosts' waits.
            let same_but_wait = completion_text_timed(out.old, a, Some("T"))
                == completion_text_timed(out.new, b, Some("T"));
            let waits = (
                a.completion.as_ref().map(|c| c.timeout_ms),
                b.completion.as_ref().map(|c| c.timeout_ms),
            );
            let (class, note) = match waits {
                (Some(x), Some(y)) if same_but_wait && y < x => {
                    (Class::Compatible, "the completion comes sooner")
                }
                (Some(_), Some(_)) if same_but_wait => (
                    Class::Breaking,
                    "the completion may come later than hosts wait",
                ),
                _ => (Class::Breaking, "the completion changed"),
            };
            out.if_changed(here, class, &o, &n, note, os, ns)
        }
        (None, None) => {}
    }
}
