//! The reference parts shared by commands: messages, option tables, coded
//! values, error codes, limits and errata.

use super::md::{anchor, cell, literal, prose, rule, sec, section_key, slug, ty_long};
use super::syntax::message_line;
use crate::notes::{OptRef, ParamRef, TableRef};
use crate::Spec;
use std::fmt::Write;
use wip_schema::{Access, AccessSpec, MessageKind, Param, Ty};

fn field_table(s: &mut String, spec: &Spec, params: &[ParamRef<'_>]) {
    if params.is_empty() {
        return;
    }
    s.push_str("| Field | Type and range | Meaning |\n|---|---|---|\n");
    for p in params {
        let mut ty = ty_long(&spec.dialect, &p.ty);
        if p.optional {
            ty.push_str(", optional");
        }
        if let Some(d) = &p.default {
            let _ = write!(ty, ", default {}", literal(d));
        }
        let _ = writeln!(
            s,
            "| `<{}>` | {} | {} |",
            p.name,
            ty.replace('|', "\\|"),
            cell(&p.notes.doc)
        );
    }
    s.push('\n');
}

/// Every message: its line, kind, fields and rules.
pub fn messages(s: &mut String, spec: &Spec) {
    for m in spec.messages() {
        let kind = match m.kind {
            MessageKind::Info if m.test => "test-command answer",
            MessageKind::Info => "response",
            MessageKind::Urc => "URC",
            MessageKind::Both => "response or URC",
        };
        s.push_str(&anchor(&slug("msg-", &m.id)));
        let _ = writeln!(s, "### {} ({kind}, {})\n", m.id, sec(&m.notes.section));
        let _ = writeln!(s, "`{}`\n", message_line(&spec.dialect, &m));
        if !m.notes.doc.is_empty() {
            let _ = writeln!(s, "{}\n", prose(&m.notes.doc));
        }
        field_table(s, spec, &m.fields());
        if let Some(r) = m.rest() {
            let _ = writeln!(
                s,
                "Then `<{}>`...: {}. {}\n",
                r.name,
                ty_long(&spec.dialect, &r.ty),
                prose(&r.notes.doc)
            );
        }
        if let Some(b) = &m.options {
            let tables: Vec<String> = b
                .tables
                .iter()
                .map(|(_, t)| {
                    let t = spec.table_id(*t);
                    format!("[{t}](#{})", slug("opt-", t))
                })
                .collect();
            let _ = writeln!(
                s,
                "The option's values follow, as its table gives them: {}.\n",
                tables.join(", ")
            );
        }
        for (r, sn) in m.rules.iter().zip(&m.notes.rules) {
            let _ = writeln!(s, "- {}", rule(&m.fields, r, sn));
        }
        if !m.rules.is_empty() {
            s.push('\n');
        }
        if let Some(p) = m.payload {
            let _ = writeln!(s, "{}\n", super::prompt::after(&m.fields, p));
        }
        if m.glued {
            let _ = writeln!(s, "{}\n", super::prompt::glued(m.item));
        }
    }
}

/// Names for the key values of a per-key table: the value names of the
/// key parameter of a binding that uses the table (`UDP`, `TCP client`).
fn key_names(spec: &Spec, table: usize) -> Vec<(i64, String)> {
    let mut keys: Vec<i64> = Vec::new();
    if let Some(t) = spec.dialect.tables.get(table) {
        for o in t.options.iter() {
            if let AccessSpec::PerKey(m) = &o.access {
                keys.extend(m.iter().map(|(k, _)| *k));
            }
        }
    }
    keys.sort_unstable();
    keys.dedup();
    let bindings = spec
        .dialect
        .commands
        .iter()
        .flat_map(|c| {
            c.forms
                .iter()
                .filter_map(|f| f.options.as_ref().map(|b| (b, &f.params)))
        })
        .chain(
            spec.dialect
                .messages
                .iter()
                .filter_map(|m| m.options.as_ref().map(|b| (b, &m.fields))),
        );
    let mut set: Option<usize> = None;
    for (b, params) in bindings {
        if b.tables.iter().any(|(_, t)| *t == table) {
            if let Some(Ty::Enum { set: s, .. }) =
                b.key_param.and_then(|k| params.get(k)).map(|p| &p.ty)
            {
                set = Some(*s);
                break;
            }
        }
    }
    keys.into_iter()
        .map(|k| {
            let name = set
                .and_then(|s| spec.dialect.value_sets.get(s))
                .and_then(|vs| vs.values.iter().find(|v| v.0 == k))
                .map_or_else(|| k.to_string(), |v| v.1.to_string());
            (k, name)
        })
        .collect()
}

fn access(a: Access) -> &'static str {
    match a {
        Access::R => "R",
        Access::W => "W",
        Access::RW => "RW",
        Access::None => "-",
    }
}

fn values_cell(spec: &Spec, o: &OptRef<'_>) -> (String, String) {
    let one = |p: &Param| {
        let mut t = format!("`<{}>` {}", p.name, ty_long(&spec.dialect, &p.ty));
        if p.optional {
            t.push_str(", optional");
        }
        t
    };
    let mut vals: Vec<String> = o.values.iter().map(one).collect();
    if let Some(r) = &o.rest {
        vals.push(format!(
            "`<{}>`... {}",
            r.name,
            ty_long(&spec.dialect, &r.ty)
        ));
    }
    if o.read != o.values || o.notes.read != o.notes.values {
        let read: Vec<String> = o.read.iter().map(one).collect();
        vals.push(format!("read: {}", read.join("; ")));
    }
    if vals.is_empty() {
        vals.push("no value".to_string());
    }
    if o.read_repeats {
        vals.push("a read answers one line per value".to_string());
    }
    if let Some(code) = o.read_error {
        vals.push(format!(
            "not implemented: a read answers +CME ERROR: {code}"
        ));
    }
    let defaults: Vec<String> = o
        .values
        .iter()
        .filter_map(|p| p.default.as_ref().map(literal))
        .collect();
    (vals.join("; ").replace('|', "\\|"), defaults.join(", "))
}

fn option_table(s: &mut String, spec: &Spec, ti: usize, t: &TableRef<'_>) {
    s.push_str(&anchor(&slug("opt-", &t.id)));
    let _ = writeln!(
        s,
        "### {} ({})\n",
        prose(&t.notes.title),
        sec(&t.notes.section)
    );
    let per_key = t
        .options
        .iter()
        .any(|o| matches!(o.access, AccessSpec::PerKey(_)));
    let keys = if per_key {
        key_names(spec, ti)
    } else {
        Vec::new()
    };
    let mut head = "| Num | Name | Values | Default |".to_string();
    let mut sep = "|---|---|---|---|".to_string();
    if per_key {
        for (_, n) in &keys {
            let _ = write!(head, " {} |", cell(n));
            sep.push_str("---|");
        }
    } else {
        head.push_str(" Access |");
        sep.push_str("---|");
    }
    head.push_str(" Meaning |");
    sep.push_str("---|");
    let _ = writeln!(s, "{head}\n{sep}");
    for o in t.options() {
        let (vals, defaults) = values_cell(spec, &o);
        let mut row = format!("| {} | {} | {vals} | {defaults} |", o.id, cell(&o.name));
        if per_key {
            for (k, _) in &keys {
                let _ = write!(row, " {} |", access(o.access_for(Some(*k))));
            }
        } else {
            let _ = write!(row, " {} |", access(o.access_for(None)));
        }
        let mut meaning = cell(&o.notes.doc);
        if o.notes.section != t.notes.section {
            let _ = write!(meaning, " ({})", sec(&o.notes.section));
        }
        let _ = writeln!(s, "{row} {meaning} |");
    }
    s.push('\n');
    for o in t.options() {
        for (r, sn) in o.rules.iter().zip(&o.notes.rules) {
            let _ = writeln!(s, "- option {}: {}", o.id, rule(&o.values, r, sn));
        }
    }
    if t.options.iter().any(|o| !o.rules.is_empty()) {
        s.push('\n');
    }
    for (tot, sn) in t.totals.iter().zip(&t.notes.totals) {
        let _ = writeln!(s, "- {} ({})", total(tot), sec(sn));
    }
    if !t.totals.is_empty() {
        s.push('\n');
    }
}

/// A total across options in words: `at most 12 values written to
/// options 81, 82 in all`.
pub fn total(t: &wip_schema::Total) -> String {
    let opts = t
        .options
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let mut parts = Vec::new();
    if let Some(m) = t.max_count {
        parts.push(format!(
            "at most {m} values written to options {opts} in all, in one socket or session"
        ));
    }
    if let Some(m) = t.max_len {
        let mut with = vec!["each value".to_string()];
        for (o, x) in t.suffixes.iter() {
            with.push(format!("`{x}` after each value of option {o}"));
        }
        if !t.separator.is_empty() {
            with.push(format!("`{}` between two values", t.separator));
        }
        parts.push(format!(
            "the list of the values written to options {opts} is at most {m} characters: {}",
            with.join(", ")
        ));
    }
    parts.join("; ")
}

/// The option tables in the manual's order, with their indices.
pub fn by_section(spec: &Spec) -> Vec<(usize, TableRef<'_>)> {
    let mut v: Vec<(usize, TableRef<'_>)> = spec.tables().into_iter().enumerate().collect();
    v.sort_by_key(|(_, t)| (section_key(&t.notes.section), t.id.to_string()));
    v
}

/// Every option table, in the manual's order.
pub fn option_tables(s: &mut String, spec: &Spec) {
    for (i, t) in by_section(spec) {
        option_table(s, spec, i, &t);
    }
}

/// Every value set.
pub fn value_sets(s: &mut String, spec: &Spec) {
    for vs in spec.value_sets() {
        s.push_str(&anchor(&slug("set-", &vs.id)));
        let _ = writeln!(s, "### {} ({})\n", vs.id, sec(&vs.notes.section));
        if !vs.notes.doc.is_empty() {
            let _ = writeln!(s, "{}\n", prose(&vs.notes.doc));
        }
        s.push_str("| Value | Name | Meaning |\n|---|---|---|\n");
        for (value, name, n) in vs.values() {
            let _ = writeln!(s, "| {} | {} | {} |", value, cell(name), cell(&n.doc));
        }
        for (value, name, n) in vs.texts() {
            let quoted = format!("\"{value}\"");
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                crate::doc::md::code_cell(&quoted),
                cell(name),
                cell(&n.doc)
            );
        }
        s.push('\n');
    }
}

/// The error code table and the reserved ranges.
pub fn errors(s: &mut String, spec: &Spec) {
    s.push_str("| Code | Meaning | Group | § |\n|---|---|---|---|\n");
    for e in spec.errors() {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            e.code,
            cell(&e.text),
            cell(&e.notes.group),
            sec(&e.notes.section)
        );
    }
    s.push('\n');
    if !spec.notes.reserved_errors.is_empty() {
        let r: Vec<String> = spec
            .notes
            .reserved_errors
            .iter()
            .map(|(a, b, sn)| format!("{a}-{b} ({})", sec(sn)))
            .collect();
        let _ = writeln!(s, "Reserved for future use: {}.\n", r.join(", "));
    }
}

/// The final result codes the spec declares beyond the built-in ones.
pub fn finals(s: &mut String, spec: &Spec) {
    s.push_str("| Line | Reports | Fields | Meaning | § |\n|---|---|---|---|---|\n");
    for (f, n) in spec.dialect.finals.iter().zip(&spec.notes.finals) {
        let fields: Vec<String> = f
            .fields
            .iter()
            .map(|p| format!("`<{}>`: {}", p.name, cell(&spec.dialect.allowed(&p.ty))))
            .collect();
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} |",
            f.syntax(),
            if f.success { "success" } else { "failure" },
            fields.join("; "),
            cell(&n.doc),
            sec(&n.section)
        );
    }
    s.push('\n');
}

/// The limits table.
pub fn limits(s: &mut String, spec: &Spec) {
    s.push_str("| Limit | Value | Meaning | § |\n|---|---|---|---|\n");
    for l in &spec.notes.limits {
        let _ = writeln!(
            s,
            "| `{}` | {} {} | {} | {} |",
            l.id,
            l.value,
            cell(&l.unit),
            cell(&l.doc),
            sec(&l.section)
        );
    }
    s.push('\n');
}

/// Every erratum: what the manual says and what the spec decided.
pub fn errata(s: &mut String, spec: &Spec) {
    for e in &spec.notes.errata {
        s.push_str(&anchor(&slug("", &e.id)));
        let secs: Vec<String> = e.sections.iter().map(|x| sec(x)).collect();
        let _ = write!(s, "**{}** ({}", e.id, secs.join(", "));
        if !e.items.is_empty() {
            let _ = write!(s, "; {}", e.items.join(", "));
        }
        let _ = writeln!(s, "). {}\n", prose(&e.issue));
        let _ = writeln!(s, "Decision: {}\n", prose(&e.decision));
    }
}
