//! Changes of commands, their forms and data-mode outcomes, and of
//! messages.

use super::errtables::code_text;
use super::params::reachable;
use super::params::{self, List};
use super::rules::{self, conds_text};
use super::{find, ids, merge_order, Class, Out};
use crate::doc::syntax::{form_line, message_line};
use crate::notes::{CommandRef, FormRef, MessageRef};
use crate::Spec;
use wip_schema::{DataMode, EtxMeaning, Form, FormKind, MessageKind, Outcome};

/// Commands by name.
pub(crate) fn commands(out: &mut Out) {
    let (old, new) = (out.old, out.new);
    let key = |c: &CommandRef| c.name.to_string();
    let text = |c: &CommandRef| format!("{}: {}", c.name, c.notes.title);
    let (oc, nc) = (old.commands(), new.commands());
    for name in merge_order(&ids(&oc, key), &ids(&nc, key)) {
        let here = format!("commands[{name}]");
        match (find(&oc, key, &name), find(&nc, key, &name)) {
            (Some(o), None) => out.removed(here, text(o), "command removed", &o.notes.section),
            (None, Some(n)) => out.added(
                here,
                Class::Compatible,
                text(n),
                "command added",
                &n.notes.section,
            ),
            (Some(o), Some(n)) => command(out, &here, o, n),
            (None, None) => {}
        }
    }
}

fn command(out: &mut Out, here: &str, o: &CommandRef, n: &CommandRef) {
    let (os, ns) = (o.notes.section.as_str(), n.notes.section.as_str());
    out.if_changed(
        format!("{here}.rust"),
        Class::Breaking,
        &o.notes.rust,
        &n.notes.rust,
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
    super::finals::timeout_from(out, here, o, n, os, ns);
    let es = |c: &CommandRef| {
        c.notes
            .errors_section
            .clone()
            .unwrap_or_else(|| c.notes.section.clone())
    };
    let (oes, nes) = (es(o), es(n));
    super::errtables::command(out, here, o, n, &oes, &nes);
    for code in merge_order(&o.errors, &n.errors) {
        let p = format!("{here}.errors[{code}]");
        match (o.errors.contains(&code), n.errors.contains(&code)) {
            // A list that is not complete is documentation (nothing
            // checks a code against it): a code leaving it changes nothing
            // a host or a transcript sees. From a complete list, the code
            // is now refused after the command.
            (true, false) if n.also_errors.contains(&code) => out.removed_as(
                p,
                Class::Compatible,
                code_text(out.old, o.errors_table, code),
                "error no longer listed (still answered beyond the list)",
                &oes,
            ),
            (true, false) if o.errors_complete => out.removed(
                p,
                code_text(out.old, o.errors_table, code),
                "error no longer listed",
                &oes,
            ),
            (true, false) => out.removed_as(
                p,
                Class::Compatible,
                code_text(out.old, o.errors_table, code),
                "error no longer listed (the list is not complete: nothing checks it)",
                &oes,
            ),
            (false, true) => out.added(
                p,
                Class::Compatible,
                code_text(out.new, n.errors_table, code),
                "error may be answered",
                &nes,
            ),
            _ => {}
        }
    }
    for code in merge_order(&o.also_errors, &n.also_errors) {
        let p = format!("{here}.also_errors[{code}]");
        match (o.also_errors.contains(&code), n.also_errors.contains(&code)) {
            // As for `errors`: leaving a complete list, the code is now
            // refused after the command; else nothing checks it.
            (true, false) if o.errors_complete && !n.errors.contains(&code) => out.removed(
                p,
                code_text(out.old, o.errors_table, code),
                "error no longer answered beyond the list",
                &oes,
            ),
            (true, false) => out.removed_as(
                p,
                Class::Compatible,
                code_text(out.old, o.errors_table, code),
                "error no longer named beyond the list (nothing checks it, or the list names it now)",
                &oes,
            ),
            (false, true) => out.added(
                p,
                Class::Compatible,
                code_text(out.new, n.errors_table, code),
                "error may be answered beyond the list",
                &nes,
            ),
            _ => {}
        }
    }
    let key = |f: &FormRef| format!("{}:{}", kind_name(f.kind), f.name);
    let (of, nf) = (o.forms(), n.forms());
    for k in merge_order(&ids(&of, key), &ids(&nf, key)) {
        let p = format!("{here}.forms[{k}]");
        match (find(&of, key, &k), find(&nf, key, &k)) {
            (Some(a), None) => out.removed(
                p,
                form_line(&out.old.dialect, o, a),
                "form removed",
                &a.notes.section,
            ),
            (None, Some(b)) => out.added(
                p,
                Class::Compatible,
                form_line(&out.new.dialect, n, b),
                "form added",
                &b.notes.section,
            ),
            (Some(a), Some(b)) => form(out, &p, a, b),
            (None, None) => {}
        }
    }
}

fn form(out: &mut Out, p: &str, a: &FormRef, b: &FormRef) {
    let (os, ns) = (a.notes.section.as_str(), b.notes.section.as_str());
    out.if_changed(
        format!("{p}.rust"),
        Class::Breaking,
        &a.notes.rust,
        &b.notes.rust,
        "Rust type renamed",
        os,
        ns,
    );
    let (ap, bp) = (a.params(), b.params());
    let ol = List {
        spec: out.old,
        params: &ap,
        select: &a.select,
        section: os,
        sent_by_modem: false,
    };
    let nl = List {
        spec: out.new,
        params: &bp,
        select: &b.select,
        section: ns,
        sent_by_modem: false,
    };
    rules::select(out, p, &ol, &nl);
    params::params(out, p, "params", ol, nl);
    params::rest(out, p, "rest", a.rest(), b.rest(), os, ns);
    rules::binding(
        out,
        p,
        a.options.as_ref().map(|x| (x, &ol)),
        b.options.as_ref().map(|x| (x, &nl)),
    );
    rules::rules(
        out,
        p,
        (&a.rules, &a.notes.rules, &ol),
        (&b.rules, &b.notes.rules, &nl),
    );
    let names = |s: &Spec, ms: &[usize]| -> Vec<String> {
        ms.iter().map(|m| s.message_id(*m).to_string()).collect()
    };
    let (or, nr) = (names(out.old, &a.responses), names(out.new, &b.responses));
    message_ids(out, p, "responses", (&or, os), (&nr, ns));
    let (ou, nu) = (names(out.old, &a.urcs), names(out.new, &b.urcs));
    message_ids(out, p, "urcs", (&ou, os), (&nu, ns));
    echo(out, p, (a, os), (b, ns));
    super::finals::form_finals(out, p, (a, os), (b, ns));
    super::finals::completion(out, p, (a, os), (b, ns));
    outcomes(
        out,
        p,
        (&a.outcomes, &a.notes.outcomes, &ol),
        (&b.outcomes, &b.notes.outcomes, &nl),
    );
    super::prompt::prompt(out, p, (a, &ol), (b, &nl));
}

/// The parameters responses repeat, by name: a guarantee dropped breaks
/// hosts that match responses to their command by it; a new one does not.
fn echo(out: &mut Out, p: &str, (a, os): (&Form, &str), (b, ns): (&Form, &str)) {
    let names = |f: &Form| -> Vec<String> {
        f.echo
            .iter()
            .filter_map(|i| f.params.get(*i))
            .map(|x| x.name.to_string())
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
    let up = if o.upload { " (upload)" } else { "" };
    if o.when.is_empty() {
        format!("always: {data}{etx}{up}")
    } else {
        format!("when {}: {data}{etx}{up}", conds_text(&o.when, l))
    }
}

/// Outcomes on one side: the outcomes, their sections (from the notes)
/// and the parameters they speak of.
type Outcomes<'a, 'b> = (&'a [Outcome], &'a [String], &'a List<'b>);

fn outcomes(out: &mut Out, p: &str, old: Outcomes, new: Outcomes) {
    let ot: Vec<String> = old.0.iter().map(|o| outcome_text(o, old.2)).collect();
    let nt: Vec<String> = new.0.iter().map(|o| outcome_text(o, new.2)).collect();
    let section = |secs: &[String], i: usize| secs.get(i).cloned().unwrap_or_default();
    for t in merge_order(&ot, &nt) {
        let here = format!("{p}.outcomes[{t}]");
        let o = ot
            .iter()
            .position(|x| *x == t)
            .and_then(|i| old.0.get(i).map(|x| (x, section(old.1, i))));
        let n = nt
            .iter()
            .position(|x| *x == t)
            .and_then(|i| new.0.get(i).map(|x| (x, section(new.1, i))));
        match (o, n) {
            (Some((_, sec)), None) => {
                out.removed(here, t.clone(), "no longer opens this data mode", &sec)
            }
            (None, Some((x, sec))) => {
                let (class, note) = if reachable(&x.when, new.2, old.2) {
                    (
                        Class::Breaking,
                        "calls that were valid open another data mode",
                    )
                } else {
                    (Class::Compatible, "data mode of new parameter values only")
                };
                out.added(here, class, t.clone(), note, &sec);
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
            old.2.section,
            new.2.section,
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
    let key = |m: &MessageRef| m.id.to_string();
    let text = |s: &Spec, m: &MessageRef| {
        let kind = match m.test {
            true => "test answer",
            false => kind_text(m.kind),
        };
        format!("{kind}: {}", message_line(&s.dialect, m))
    };
    let (om, nm) = (old.messages(), new.messages());
    for id in merge_order(&ids(&om, key), &ids(&nm, key)) {
        let here = format!("messages[{id}]");
        match (find(&om, key, &id), find(&nm, key, &id)) {
            (Some(o), None) => out.removed(here, text(old, o), "message removed", &o.notes.section),
            (None, Some(n)) => out.added(
                here,
                Class::Compatible,
                text(new, n),
                "message added",
                &n.notes.section,
            ),
            (Some(o), Some(n)) => message(out, &here, o, n),
            (None, None) => {}
        }
    }
}

fn message(out: &mut Out, p: &str, a: &MessageRef, b: &MessageRef) {
    let (os, ns) = (a.notes.section.as_str(), b.notes.section.as_str());
    super::prompt::payload_after(out, p, (a, os), (b, ns));
    super::prompt::glued(out, p, (a, os), (b, ns));
    if a.prefix != b.prefix {
        let show = |x: &Option<wip_schema::Text>| {
            x.as_ref()
                .map_or_else(|| "none".to_string(), |p| p.to_string())
        };
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
    if a.test != b.test {
        let what = |t: bool| match t {
            true => "test-command answer",
            false => "response or URC",
        };
        out.changed(
            format!("{p}.test"),
            Class::Breaking,
            what(a.test).into(),
            what(b.test).into(),
            match b.test {
                true => "now a test-command answer: taken only while the command's test form is in flight",
                false => "no longer a test-command answer",
            },
            os,
            ns,
        );
    }
    let (af, bf) = (a.fields(), b.fields());
    let ol = List {
        spec: out.old,
        params: &af,
        select: &a.select,
        section: os,
        sent_by_modem: true,
    };
    let nl = List {
        spec: out.new,
        params: &bf,
        select: &b.select,
        section: ns,
        sent_by_modem: true,
    };
    rules::select(out, p, &ol, &nl);
    params::params(out, p, "fields", ol, nl);
    params::rest(out, p, "rest", a.rest(), b.rest(), os, ns);
    rules::binding(
        out,
        p,
        a.options.as_ref().map(|x| (x, &ol)),
        b.options.as_ref().map(|x| (x, &nl)),
    );
    rules::rules(
        out,
        p,
        (&a.rules, &a.notes.rules, &ol),
        (&b.rules, &b.notes.rules, &nl),
    );
}
