//! Changes of commands, their forms and data-mode outcomes, and of
//! messages.

use super::params::reachable;
use super::params::{self, List};
use super::rules::{self, conds_text};
use super::tables::error_text;
use super::{find, ids, merge_order, Class, Out};
use crate::doc::syntax::{form_line, message_line};
use crate::ir::{
    Command, DataMode, EtxMeaning, Form, FormKind, Message, MessageKind, Outcome, Spec,
};

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
    out.if_changed(
        format!("{here}.rust"),
        Class::Breaking,
        &o.rust,
        &n.rust,
        "Rust names renamed",
        os,
        ns,
    );
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
    let key = |f: &Form| format!("{}:{}", kind_name(f.kind), f.name);
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
    out.if_changed(
        format!("{p}.rust"),
        Class::Breaking,
        &a.rust,
        &b.rust,
        "Rust type renamed",
        os,
        ns,
    );
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
    rules::select(out, p, &ol, &nl);
    params::params(out, p, "params", ol, nl);
    params::rest(out, p, "rest", a.rest.as_ref(), b.rest.as_ref(), os, ns);
    rules::binding(
        out,
        p,
        a.options.as_ref().map(|x| (x, &ol)),
        b.options.as_ref().map(|x| (x, &nl)),
    );
    rules::rules(out, p, (&a.rules, &ol), (&b.rules, &nl));
    message_ids(out, p, "responses", (&a.responses, os), (&b.responses, ns));
    message_ids(out, p, "urcs", (&a.urcs, os), (&b.urcs, ns));
    echo(out, p, (a, os), (b, ns));
    outcomes(out, p, (&a.outcomes, &ol), (&b.outcomes, &nl));
}

/// The parameters responses repeat, by name: a guarantee dropped breaks
/// hosts that match responses to their command by it; a new one does not.
fn echo(out: &mut Out, p: &str, (a, os): (&Form, &str), (b, ns): (&Form, &str)) {
    let names = |f: &Form| -> Vec<String> {
        f.echo
            .iter()
            .filter_map(|i| f.params.get(*i))
            .map(|x| x.name.clone())
            .collect()
    };
    let (o, n) = (names(a), names(b));
    for name in merge_order(&o, &n) {
        let here = format!("{p}.echo[{name}]");
        match (o.contains(&name), n.contains(&name)) {
            (true, false) => out.removed(here, name.clone(), "responses no longer repeat it", os),
            (false, true) => out.added(
                here,
                Class::Compatible,
                name.clone(),
                "responses repeat it",
                ns,
            ),
            _ => {}
        }
    }
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

/// Form kinds as paths name them; fixed here, not taken from `Debug`, so
/// that the JSON schema does not move with the Rust source.
fn kind_name(k: FormKind) -> &'static str {
    match k {
        FormKind::Action => "Action",
        FormKind::Read => "Read",
        FormKind::Test => "Test",
        FormKind::Execute => "Execute",
    }
}

fn outcome_text(o: &Outcome, l: &List) -> String {
    let data = match o.data {
        DataMode::Continuous => "Continuous",
        DataMode::Transparent => "Transparent",
        DataMode::HexDump => "HexDump",
    };
    let etx = match o.etx {
        None => "",
        Some(EtxMeaning::EndOfDatagram) => " (ETX: EndOfDatagram)",
        Some(EtxMeaning::Shutdown) => " (ETX: Shutdown)",
        Some(EtxMeaning::EndOfData) => " (ETX: EndOfData)",
    };
    if o.when.is_empty() {
        format!("always: {data}{etx}")
    } else {
        format!("when {}: {data}{etx}", conds_text(&o.when, l))
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
    rules::select(out, p, &ol, &nl);
    params::params(out, p, "fields", ol, nl);
    params::rest(out, p, "rest", a.rest.as_ref(), b.rest.as_ref(), os, ns);
    rules::binding(
        out,
        p,
        a.options.as_ref().map(|x| (x, &ol)),
        b.options.as_ref().map(|x| (x, &nl)),
    );
    rules::rules(out, p, (&a.rules, &ol), (&b.rules, &nl));
}
