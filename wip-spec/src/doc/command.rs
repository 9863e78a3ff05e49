//! The section of one command: forms, parameters, option values,
//! constraints, responses, URCs, errors and the errata that name it.

use super::md::{
    anchor, cell, code_cell, conds, duration, literal, outcome, prose, rule, sec, slug, ty_long,
};
use super::syntax::{form_line, message_line};
use crate::notes::{CommandRef, FormRef, ParamRef, RestRef};
use crate::Spec;
use std::fmt::Write;
use wip_schema::{Access, Command, Param};

/// The anchor id of a command's section.
pub fn id(cmd: &Command) -> String {
    slug("cmd-", &cmd.name)
}

/// The Markdown of a command.
pub fn render(spec: &Spec, cmd: &CommandRef<'_>) -> String {
    let mut s = String::new();
    s.push_str(&anchor(&id(cmd)));
    let _ = writeln!(
        s,
        "### {}: {} ({})\n",
        cmd.name,
        cmd.notes.title,
        sec(&cmd.notes.section)
    );
    if let Some(o) = spec.notes.origins.of(&format!("commands[{}]", cmd.name)) {
        let _ = writeln!(
            s,
            "From {} (`{}`), after {}.\n",
            o.name,
            super::included_path(spec, &o.file),
            prose(&o.source)
        );
    }
    if !cmd.notes.doc.is_empty() {
        let _ = writeln!(s, "{}\n", prose(&cmd.notes.doc));
    }
    match &cmd.timeout_from {
        Some(t) => {
            let params = cmd.forms.iter().flat_map(|f| f.params.iter());
            let from = timeout_from(t, default_of(params, t));
            // `timeout_ms` is the wait of the forms without the parameter.
            let all = cmd
                .forms
                .iter()
                .all(|f| f.params.iter().any(|p| p.name == t.param));
            if all {
                let _ = write!(s, "Timeout: {from}");
            } else {
                let _ = write!(
                    s,
                    "Timeout: {}; {from} in the forms with `<{}>`",
                    duration(cmd.timeout_ms),
                    t.param
                );
            }
        }
        None => {
            let _ = write!(s, "Timeout: {}", duration(cmd.timeout_ms));
        }
    }
    if !cmd.notes.timeout_doc.is_empty() {
        let _ = write!(s, ". {}", prose(&cmd.notes.timeout_doc));
    }
    s.push_str("\n\n");
    forms(&mut s, spec, cmd);
    params(&mut s, spec, cmd);
    messages(&mut s, spec, cmd);
    errors(&mut s, spec, cmd);
    errata(&mut s, spec, cmd);
    s
}

fn forms(s: &mut String, spec: &Spec, cmd: &CommandRef<'_>) {
    let d = &spec.dialect;
    s.push_str("**Forms**\n\n");
    for f in cmd.forms() {
        let _ = write!(
            s,
            "- `{}`: **{}** ({})",
            form_line(d, cmd, &f),
            f.name,
            sec(&f.notes.section)
        );
        if !f.notes.doc.is_empty() {
            let _ = write!(s, ". {}", prose(&f.notes.doc));
        }
        s.push('\n');
        let presence: Vec<&wip_schema::Cond> =
            f.select.iter().filter(|c| c.given.is_some()).collect();
        if !presence.is_empty() {
            let when: Vec<wip_schema::Cond> = presence.into_iter().cloned().collect();
            let _ = writeln!(s, "  - chosen when {}", conds(&f.params, &when));
        }
        if let Some(b) = &f.options {
            let tables: Vec<String> = b
                .tables
                .iter()
                .map(|(keys, t)| {
                    let id = spec.table_id(*t);
                    let title = spec.table(*t).map_or(id, |x| x.notes.title.as_str());
                    let link = format!("[{}](#{})", prose(title), slug("opt-", id));
                    if keys.is_empty() {
                        link
                    } else {
                        let k: Vec<String> = keys.iter().map(i64::to_string).collect();
                        format!(
                            "{} for {} {}",
                            link,
                            key_name(&f.params, b.key_param),
                            k.join(", ")
                        )
                    }
                })
                .collect();
            let what = match b.access {
                Access::R => "reads",
                _ => "writes",
            };
            let _ = writeln!(
                s,
                "  - {what} the option `<{}>` of {}",
                f.params.get(b.id_param).map_or("?", |p| p.name.as_ref()),
                tables.join("; ")
            );
        }
        for (r, sn) in f.rules.iter().zip(&f.notes.rules) {
            let _ = writeln!(s, "  - {}", rule(&f.params, r, sn));
        }
        for (o, sn) in f.outcomes.iter().zip(&f.notes.outcomes) {
            let _ = writeln!(s, "  - {}", outcome(&f.params, o, sn));
        }
        if let (Some(p), Some(n)) = (&f.prompt, &f.notes.prompt) {
            let how = super::prompt::describe(&spec.dialect, &f.params, p);
            let _ = writeln!(s, "  - {} ({})", prose(&how), super::md::sec(&n.section));
        }
        if !f.responses.is_empty() {
            let _ = writeln!(s, "  - responses: {}", message_links(spec, &f.responses));
            if !f.echo.is_empty() {
                let names: Vec<String> = f
                    .echo
                    .iter()
                    .filter_map(|i| f.params.get(*i))
                    .map(|p| format!("`<{}>`", p.name))
                    .collect();
                let _ = writeln!(s, "  - responses repeat {} as given", names.join(", "));
            }
        }
        if !f.urcs.is_empty() {
            let _ = writeln!(s, "  - URCs: {}", message_links(spec, &f.urcs));
        }
        if let Some(c) = &f.completion {
            let _ = writeln!(s, "  - {}", completion(spec, &f, c));
        }
        if !f.finals.is_empty() {
            let names: Vec<String> = f
                .finals
                .iter()
                .map(|r| format!("`{}`", r.name(&spec.dialect)))
                .collect();
            let _ = writeln!(s, "  - ends with: {}", names.join(", "));
        }
    }
    s.push('\n');
}

fn key_name(params: &[Param], key: Option<usize>) -> String {
    key.and_then(|k| params.get(k))
        .map_or_else(|| "key".to_string(), |p| format!("`<{}>`", p.name))
}

fn message_links(spec: &Spec, ids: &[usize]) -> String {
    ids.iter()
        .map(|i| match spec.dialect.messages.get(*i) {
            Some(m) => format!(
                "[`{}`](#{})",
                message_line(&spec.dialect, m),
                slug("msg-", &m.id)
            ),
            None => format!("`{}`", spec.message_id(*i)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One row of the parameter table and the forms that share it.
struct Row {
    name: String,
    ty: String,
    default: String,
    sections: Vec<String>,
    meaning: String,
    forms: Vec<String>,
}

fn param_row(
    spec: &Spec,
    f: &FormRef<'_>,
    i: usize,
    p: &ParamRef<'_>,
    selects: Option<&[i64]>,
) -> Row {
    // A parameter that selects the form in every form that has it takes
    // only the values that select one (+WIPFILE's <protocol>: 4 to 8 of
    // the protocol set, 6.1.5).
    let mut ty = match (&p.ty, selects) {
        (wip_schema::Ty::Enum { set, allowed }, Some(vals)) => {
            let narrowed = wip_schema::Ty::Enum {
                set: *set,
                allowed: allowed
                    .iter()
                    .copied()
                    .filter(|v| vals.contains(v))
                    .collect(),
            };
            ty_long(&spec.dialect, &narrowed)
        }
        _ => ty_long(&spec.dialect, &p.ty),
    };
    if p.optional {
        ty.push_str(", optional");
    }
    let meaning =
        if p.notes.doc.is_empty() && f.select.iter().any(|c| c.param == i && c.given.is_none()) {
            "selects the form: the value in its command line".to_string()
        } else {
            p.notes.doc.clone()
        };
    Row {
        name: format!("`<{}>`", p.name),
        ty,
        default: p.default.as_ref().map_or_else(String::new, literal),
        sections: vec![sec(p.notes.section.as_deref().unwrap_or(&f.notes.section))],
        meaning,
        forms: vec![f.name.to_string()],
    }
}

fn rest_row(spec: &Spec, f: &FormRef<'_>, r: &RestRef<'_>) -> Row {
    let mut ty = format!("{}, repeated", ty_long(&spec.dialect, &r.ty));
    if r.group > 1 {
        let _ = write!(ty, " in groups of {}", r.group);
    }
    if let Some(m) = r.max_groups {
        let _ = write!(ty, ", at most {m} times");
    }
    Row {
        name: format!("`<{}>`...", r.name),
        ty,
        default: String::new(),
        sections: vec![sec(&f.notes.section)],
        meaning: r.notes.doc.clone(),
        forms: vec![f.name.to_string()],
    }
}

/// One table for the command: a parameter the forms share is one row; a
/// name whose type, default or meaning differs between forms gets one row
/// per variant, naming its forms.
fn params(s: &mut String, spec: &Spec, cmd: &CommandRef<'_>) {
    let mut rows: Vec<Row> = Vec::new();
    // The values of a parameter (by name) that select the form in every
    // form that has it.
    let selects = |name: &str| -> Option<Vec<i64>> {
        let mut vals = Vec::new();
        for f in cmd.forms() {
            let Some(i) = f.params().iter().position(|p| p.name == name) else {
                continue;
            };
            let mut own = f
                .select
                .iter()
                .filter(|c| c.param == i && c.given.is_none())
                .peekable();
            own.peek()?;
            for c in own {
                vals.extend(c.values.iter().copied());
            }
        }
        vals.sort_unstable();
        vals.dedup();
        (!vals.is_empty()).then_some(vals)
    };
    for f in cmd.forms() {
        let mut mine: Vec<Row> = f
            .params()
            .iter()
            .enumerate()
            .map(|(i, p)| param_row(spec, &f, i, p, selects(&p.name).as_deref()))
            .collect();
        if let Some(r) = f.rest() {
            mine.push(rest_row(spec, &f, &r));
        }
        for r in mine {
            let same = |x: &&mut Row| {
                (&x.name, &x.ty, &x.default, &x.meaning) == (&r.name, &r.ty, &r.default, &r.meaning)
            };
            match rows.iter_mut().find(|x| same(x)) {
                Some(x) => {
                    x.forms.push(f.name.to_string());
                    for sn in r.sections {
                        if !x.sections.contains(&sn) {
                            x.sections.push(sn);
                        }
                    }
                }
                None => rows.push(r),
            }
        }
    }
    if rows.is_empty() {
        return;
    }
    s.push_str("**Parameters**\n\n| Parameter | Type and range | Default | § | Meaning |\n|---|---|---|---|---|\n");
    for r in &rows {
        let variants = rows.iter().filter(|x| x.name == r.name).count();
        let name = if variants > 1 {
            format!("{} ({})", r.name, r.forms.join(", "))
        } else {
            r.name.clone()
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            name.replace('|', "\\|"),
            r.ty.replace('|', "\\|"),
            r.default.replace('|', "\\|"),
            r.sections.join(", "),
            cell(&r.meaning)
        );
    }
    s.push('\n');
}

fn messages(s: &mut String, spec: &Spec, cmd: &CommandRef<'_>) {
    let mut ids: Vec<(usize, bool)> = Vec::new();
    for f in cmd.forms.iter() {
        for id in f.responses.iter() {
            if !ids.contains(&(*id, false)) {
                ids.push((*id, false));
            }
        }
        for id in f.urcs.iter() {
            if !ids.contains(&(*id, true)) {
                ids.push((*id, true));
            }
        }
    }
    if ids.is_empty() {
        return;
    }
    s.push_str("**Responses and URCs**\n\n| Line | Kind | Meaning |\n|---|---|---|\n");
    for (id, urc) in ids {
        let Some(m) = spec.message_at(id) else {
            continue;
        };
        let kind = match (urc, m.test) {
            (true, _) => "URC",
            (false, true) => "test answer",
            (false, false) => "response",
        };
        let _ = writeln!(
            s,
            "| [{}](#{}) | {kind} | {} |",
            code_cell(&message_line(&spec.dialect, &m)),
            slug("msg-", &m.id),
            cell(&m.notes.doc)
        );
    }
    s.push('\n');
}

fn errors(s: &mut String, spec: &Spec, cmd: &CommandRef<'_>) {
    if cmd.errors.is_empty() {
        // No list of its own: only the codes beyond it, if any.
        if !cmd.also_errors.is_empty() {
            s.push_str("**Errors**");
            if cmd.errors_complete {
                s.push_str(", complete");
            }
            s.push_str(": its section lists none.\n\n");
            also_errors(s, cmd);
        }
        return;
    }
    let _ = write!(s, "**Errors**");
    if let Some(es) = &cmd.notes.errors_section {
        let _ = write!(s, " ({})", sec(es));
    }
    let table = cmd.errors_table.and_then(|t| {
        Some((
            spec.dialect.error_tables.get(t)?,
            spec.notes.error_tables.get(t)?,
        ))
    });
    if cmd.errors_complete {
        s.push_str(", complete");
    }
    if let Some((t, n)) = table {
        let _ = write!(s, ": table `{}`", t.id);
        if let Some(line) = &n.line {
            let _ = write!(s, ", `{line}`");
        }
        s.push_str("\n\n| Code | Meaning |\n|---|---|\n");
        for code in cmd.errors.iter() {
            let text = t
                .codes
                .iter()
                .find(|e| e.code == *code)
                .map_or("", |e| e.text.as_ref());
            let _ = writeln!(s, "| {code} | {} |", cell(text));
        }
        s.push('\n');
        also_errors(s, cmd);
        return;
    }
    if let Some(r) = &spec.notes.error_report {
        let _ = write!(s, ": `{}`", r.line);
        if let Some(c) = &r.enabled_by {
            let _ = write!(s, " after `{c}`");
        }
    }
    s.push_str("\n\n| Code | Meaning |\n|---|---|\n");
    for code in cmd.errors.iter() {
        let text = spec.dialect.error_text(*code).unwrap_or("");
        let _ = writeln!(s, "| {code} | {} |", cell(text));
    }
    s.push('\n');
    also_errors(s, cmd);
}

/// The codes a command may answer beyond its section's list, one line.
fn also_errors(s: &mut String, cmd: &CommandRef<'_>) {
    if cmd.also_errors.is_empty() {
        return;
    }
    let codes: Vec<String> = cmd.also_errors.iter().map(u32::to_string).collect();
    let _ = writeln!(
        s,
        "Beyond this list it may answer {} (the general codes its section does not list, and those the errata add).\n",
        codes.join(", ")
    );
}

fn errata(s: &mut String, spec: &Spec, cmd: &Command) {
    let list: Vec<_> = spec
        .notes
        .errata
        .iter()
        .filter(|e| e.items.iter().any(|i| i == &cmd.name))
        .collect();
    if list.is_empty() {
        return;
    }
    s.push_str("**Errata**\n\n");
    for e in list {
        let _ = writeln!(
            s,
            "- [{}](#{}): {}",
            e.id,
            slug("", &e.id),
            prose(&e.decision)
        );
    }
    s.push('\n');
}

/// The default of the parameter a timeout is taken from, among `params`.
fn default_of<'p>(
    mut params: impl Iterator<Item = &'p wip_schema::Param>,
    t: &wip_schema::TimeoutFrom,
) -> Option<i64> {
    params.find_map(|p| match &p.default {
        Some(wip_schema::Lit::Int(v)) if p.name == t.param => Some(*v),
        _ => None,
    })
}

/// `` `<timeout>` s + 2 s when given ``: a timeout taken from a parameter;
/// with its default, what a line that leaves it out waits (`` `<timeout>`
/// s + 1 s; left out, its default 10: 11 s ``).
fn timeout_from(t: &wip_schema::TimeoutFrom, default: Option<i64>) -> String {
    let unit = match t.scale_ms {
        1 => " ms".to_string(),
        1000 => " s".to_string(),
        n => format!(" x {n} ms"),
    };
    let plus = if t.plus_ms == 0 {
        String::new()
    } else {
        format!(" + {}", duration(t.plus_ms))
    };
    match default {
        Some(v) => format!(
            "`<{}>`{unit}{plus}; left out, its default {v}: {}",
            t.param,
            duration(t.of(v))
        ),
        None => format!("`<{}>`{unit}{plus} when given", t.param),
    }
}

/// The completion URC of a form, for its list item.
fn completion(spec: &Spec, f: &FormRef<'_>, c: &wip_schema::Completion) -> String {
    let mut out = format!(
        "completed after its final result code by {}",
        message_links(spec, &[c.message])
    );
    let echo: Vec<String> = c
        .echo
        .iter()
        .filter_map(|(p, _)| f.params.get(*p))
        .map(|p| format!("`<{}>`", p.name))
        .collect();
    if !echo.is_empty() {
        let _ = write!(out, " repeating {}", echo.join(", "));
    }
    if !c.when.is_empty() {
        let conds: Vec<String> = c
            .when
            .iter()
            .map(|k| {
                let name = f.params.get(k.param).map_or("?", |p| p.name.as_ref());
                let vals: Vec<String> = k.values.iter().map(i64::to_string).collect();
                format!("`<{name}>` = {}", vals.join(" or "))
            })
            .collect();
        let _ = write!(out, ", when {}", conds.join(" and "));
    }
    let _ = write!(out, ", within {}", duration(c.timeout_ms));
    if let Some(t) = &c.timeout_from {
        let _ = write!(
            out,
            " ({})",
            timeout_from(t, default_of(f.params.iter(), t))
        );
    }
    if c.before_final {
        out.push_str("; it may also come before the final result code");
    }
    if c.unless_aborted {
        out.push_str("; none comes when the host aborts the payload");
    }
    if let Some((section, doc)) = &f.notes.completion {
        if !doc.is_empty() {
            let _ = write!(out, ". {}", prose(doc));
        }
        let _ = write!(out, " ({})", sec(section));
    }
    out
}
