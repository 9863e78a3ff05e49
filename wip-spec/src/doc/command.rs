//! The section of one command: forms, parameters, option values,
//! constraints, responses, URCs, errors and the errata that name it.

use super::md::{
    anchor, cell, code_cell, duration, literal, outcome, prose, rule, sec, slug, ty_long,
};
use super::syntax::{form_line, message_line};
use crate::ir::{Command, Form, Param, Rest, Spec};
use std::fmt::Write;

/// The anchor id of a command's section.
pub fn id(cmd: &Command) -> String {
    slug("cmd-", &cmd.name)
}

/// The Markdown of a command.
pub fn render(spec: &Spec, cmd: &Command) -> String {
    let mut s = String::new();
    s.push_str(&anchor(&id(cmd)));
    let _ = writeln!(
        s,
        "### {}: {} ({})\n",
        cmd.name,
        cmd.title,
        sec(&cmd.section)
    );
    if !cmd.doc.is_empty() {
        let _ = writeln!(s, "{}\n", prose(&cmd.doc));
    }
    let _ = write!(s, "Timeout: {}", duration(cmd.timeout_ms));
    if !cmd.timeout_doc.is_empty() {
        let _ = write!(s, ". {}", prose(&cmd.timeout_doc));
    }
    s.push_str("\n\n");
    forms(&mut s, spec, cmd);
    params(&mut s, spec, cmd);
    messages(&mut s, spec, cmd);
    errors(&mut s, spec, cmd);
    errata(&mut s, spec, cmd);
    s
}

fn forms(s: &mut String, spec: &Spec, cmd: &Command) {
    s.push_str("**Forms**\n\n");
    for f in &cmd.forms {
        let _ = write!(
            s,
            "- `{}`: **{}** ({})",
            form_line(spec, cmd, f),
            f.name,
            sec(&f.section)
        );
        if !f.doc.is_empty() {
            let _ = write!(s, ". {}", prose(&f.doc));
        }
        s.push('\n');
        if let Some(b) = &f.options {
            let tables: Vec<String> = b
                .tables
                .iter()
                .map(|(keys, t)| {
                    let title = spec
                        .option_table(t)
                        .map_or(t.as_str(), |x| x.title.as_str());
                    let link = format!("[{}](#{})", prose(title), slug("opt-", t));
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
                crate::ir::Access::R => "reads",
                _ => "writes",
            };
            let _ = writeln!(
                s,
                "  - {what} the option `<{}>` of {}",
                f.params.get(b.id_param).map_or("?", |p| p.name.as_str()),
                tables.join("; ")
            );
        }
        for r in &f.rules {
            let _ = writeln!(s, "  - {}", rule(&f.params, r));
        }
        for o in &f.outcomes {
            let _ = writeln!(s, "  - {}", outcome(&f.params, o));
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
    }
    s.push('\n');
}

fn key_name(params: &[Param], key: Option<usize>) -> String {
    key.and_then(|k| params.get(k))
        .map_or_else(|| "key".to_string(), |p| format!("`<{}>`", p.name))
}

fn message_links(spec: &Spec, ids: &[String]) -> String {
    ids.iter()
        .map(|id| match spec.message(id) {
            Some(m) => format!("[`{}`](#{})", message_line(spec, m), slug("msg-", id)),
            None => format!("`{id}`"),
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

fn param_row(spec: &Spec, f: &Form, i: usize, p: &Param) -> Row {
    let mut ty = ty_long(spec, &p.ty);
    if p.optional {
        ty.push_str(", optional");
    }
    let meaning = if p.doc.is_empty() && f.select.iter().any(|c| c.param == i) {
        "selects the form: the value in its command line".to_string()
    } else {
        p.doc.clone()
    };
    Row {
        name: format!("`<{}>`", p.name),
        ty,
        default: p.default.as_ref().map_or_else(String::new, literal),
        sections: vec![sec(p.section.as_deref().unwrap_or(&f.section))],
        meaning,
        forms: vec![f.name.clone()],
    }
}

fn rest_row(spec: &Spec, f: &Form, r: &Rest) -> Row {
    let mut ty = format!("{}, repeated", ty_long(spec, &r.ty));
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
        sections: vec![sec(&f.section)],
        meaning: r.doc.clone(),
        forms: vec![f.name.clone()],
    }
}

/// One table for the command: a parameter the forms share is one row; a
/// name whose type, default or meaning differs between forms gets one row
/// per variant, naming its forms.
fn params(s: &mut String, spec: &Spec, cmd: &Command) {
    let mut rows: Vec<Row> = Vec::new();
    for f in &cmd.forms {
        let mut mine: Vec<Row> = f
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| param_row(spec, f, i, p))
            .collect();
        if let Some(r) = &f.rest {
            mine.push(rest_row(spec, f, r));
        }
        for r in mine {
            let same = |x: &&mut Row| {
                (&x.name, &x.ty, &x.default, &x.meaning) == (&r.name, &r.ty, &r.default, &r.meaning)
            };
            match rows.iter_mut().find(|x| same(x)) {
                Some(x) => {
                    x.forms.push(f.name.clone());
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

fn messages(s: &mut String, spec: &Spec, cmd: &Command) {
    let mut ids: Vec<(&str, bool)> = Vec::new();
    for f in &cmd.forms {
        for id in &f.responses {
            if !ids.contains(&(id.as_str(), false)) {
                ids.push((id.as_str(), false));
            }
        }
        for id in &f.urcs {
            if !ids.contains(&(id.as_str(), true)) {
                ids.push((id.as_str(), true));
            }
        }
    }
    if ids.is_empty() {
        return;
    }
    s.push_str("**Responses and URCs**\n\n| Line | Kind | Meaning |\n|---|---|---|\n");
    for (id, urc) in ids {
        let Some(m) = spec.message(id) else { continue };
        let kind = if urc { "URC" } else { "response" };
        let _ = writeln!(
            s,
            "| [{}](#{}) | {kind} | {} |",
            code_cell(&message_line(spec, m)),
            slug("msg-", id),
            cell(&m.doc)
        );
    }
    s.push('\n');
}

fn errors(s: &mut String, spec: &Spec, cmd: &Command) {
    if cmd.errors.is_empty() {
        return;
    }
    let _ = write!(s, "**Errors**");
    if let Some(es) = &cmd.errors_section {
        let _ = write!(s, " ({})", sec(es));
    }
    if let Some(r) = &spec.error_report {
        let _ = write!(s, ": `{}`", r.line);
        if let Some(c) = &r.enabled_by {
            let _ = write!(s, " after `{c}`");
        }
    }
    s.push_str("\n\n| Code | Meaning |\n|---|---|\n");
    for code in &cmd.errors {
        let text = spec.error(*code).map_or("", |e| e.text.as_str());
        let _ = writeln!(s, "| {code} | {} |", cell(text));
    }
    s.push('\n');
}

fn errata(s: &mut String, spec: &Spec, cmd: &Command) {
    let list: Vec<_> = spec
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
