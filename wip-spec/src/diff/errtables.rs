//! Changes of the named error tables (`error_tables`) and of the tables
//! commands name for their error lists.
//!
//! The codes and reserved ranges of a table `cme` are also the spec's
//! `errors` and `reserved_errors`, whose changes [`super::tables::errors`]
//! lists; here only that table's own attributes are compared.

use super::{merge_order, Class, Entry, Kind, Out};
use crate::notes::{CommandRef, ErrorTableNotes};
use crate::Spec;
use wip_schema::ErrorTable;

/// A table with its notes.
type TableRef = (ErrorTable, ErrorTableNotes);

/// The spec's error tables; a spec that writes its codes as `errors` and
/// `error_report` rather than as a table `cme` has that table all the
/// same (its line and `enabled_by` from `error_report`, its codes the
/// spec's `errors`), so that either way of writing it compares alike.
fn tables(spec: &Spec) -> Vec<TableRef> {
    let mut out: Vec<TableRef> = spec
        .dialect
        .error_tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let notes = spec.notes.error_tables.get(i).cloned().unwrap_or_default();
            (t.clone(), notes)
        })
        .collect();
    if let (Some(r), false) = (
        &spec.notes.error_report,
        out.iter().any(|t| t.0.id.as_ref() == "cme"),
    ) {
        let table = ErrorTable {
            id: "cme".into(),
            line_prefix: None,
            codes: spec.dialect.errors.clone(),
            reserved: Default::default(),
            verbose: false,
        };
        let notes = ErrorTableNotes {
            line: Some(r.line.clone()),
            enabled_by: r.enabled_by.clone(),
            ..ErrorTableNotes::default()
        };
        out.push((table, notes));
    }
    out
}

fn table_text(t: &TableRef) -> String {
    let codes = t.0.codes.len();
    let s = if codes == 1 { "" } else { "s" };
    match &t.1.line {
        Some(line) => format!("{} ({line}): {codes} code{s}", t.0.id),
        None => format!("{}: {codes} code{s}", t.0.id),
    }
}

/// The text of `code` in table `table` of `spec` (the spec's `errors`
/// when `None`), as `code text`, or the bare code when it has no text.
pub(crate) fn code_text(spec: &Spec, table: Option<usize>, code: u32) -> String {
    let text = match table {
        None => return super::tables::error_text(spec, code),
        Some(i) => spec
            .dialect
            .error_tables
            .get(i)
            .and_then(|t| t.codes.iter().find(|e| e.code == code)),
    };
    match text {
        Some(e) => format!("{code} {}", e.text),
        None => code.to_string(),
    }
}

/// The id of the table a command's errors name, `-` for the spec's `errors`.
fn table_id(spec: &Spec, table: Option<usize>) -> String {
    table
        .and_then(|i| spec.dialect.error_tables.get(i))
        .map_or_else(|| "-".to_string(), |t| t.id.to_string())
}

/// Error tables by id; codes by number; reserved ranges by their bounds.
pub(crate) fn error_tables(out: &mut Out) {
    let (ot, nt) = (tables(out.old), tables(out.new));
    let key = |t: &TableRef| t.0.id.to_string();
    let oids: Vec<String> = ot.iter().map(key).collect();
    let nids: Vec<String> = nt.iter().map(key).collect();
    for id in merge_order(&oids, &nids) {
        let here = format!("error_tables[{id}]");
        let o = ot.iter().find(|t| key(t) == id);
        let n = nt.iter().find(|t| key(t) == id);
        match (o, n) {
            (Some(o), None) => {
                out.removed(here, table_text(o), "error table removed", &o.1.section)
            }
            (None, Some(n)) => out.added(
                here,
                Class::Compatible,
                table_text(n),
                "error table added",
                &n.1.section,
            ),
            (Some(o), Some(n)) => table(out, &here, o, n),
            (None, None) => {}
        }
    }
}

/// Records a change of an optional attribute, if it changed.
#[allow(clippy::too_many_arguments)]
fn optional(
    out: &mut Out,
    path: String,
    old: &Option<String>,
    new: &Option<String>,
    class: Class,
    note: &str,
    os: &str,
    ns: &str,
) {
    let kind = match (old, new) {
        (None, None) => return,
        (Some(a), Some(b)) if a == b => return,
        (None, Some(_)) => Kind::Added,
        (Some(_), None) => Kind::Removed,
        (Some(_), Some(_)) => Kind::Changed,
    };
    let e = Entry {
        kind,
        class,
        path,
        old: old.clone(),
        new: new.clone(),
        note: note.to_string(),
    };
    out.push(e, os, ns);
}

fn table(out: &mut Out, here: &str, o: &TableRef, n: &TableRef) {
    let (os, ns) = (o.1.section.as_str(), n.1.section.as_str());
    // A line the host must turn on first changes nothing for hosts that
    // do not; one sent unasked replaces the `ERROR` they expect.
    let (line_class, line_note) = match (&o.1.line, &n.1.line, &n.1.enabled_by) {
        (None, _, Some(_)) => (
            Class::Compatible,
            "codes reported once the host turns it on",
        ),
        (None, _, None) => (Class::Breaking, "codes reported instead of ERROR"),
        (Some(_), None, _) => (Class::Breaking, "codes no longer reported"),
        (Some(_), Some(_), _) => (Class::Breaking, "hosts read the old line"),
    };
    let enabled_note = match (&o.1.enabled_by, &n.1.enabled_by) {
        (None, _) => "the report must now be turned on",
        (Some(_), None) => "the report comes unasked",
        (Some(_), Some(_)) => "hosts turn the report on with the old command line",
    };
    optional(
        out,
        format!("{here}.line"),
        &o.1.line,
        &n.1.line,
        line_class,
        line_note,
        os,
        ns,
    );
    optional(
        out,
        format!("{here}.enabled_by"),
        &o.1.enabled_by,
        &n.1.enabled_by,
        Class::Breaking,
        enabled_note,
        os,
        ns,
    );
    let (verbose_class, verbose_note) = match (&o.1.verbose_by, &n.1.verbose_by) {
        (None, _) => (Class::Compatible, "texts reported once the host asks"),
        (Some(_), None) => (Class::Breaking, "texts no longer reported"),
        (Some(_), Some(_)) => (
            Class::Breaking,
            "hosts ask for texts with the old command line",
        ),
    };
    optional(
        out,
        format!("{here}.verbose_by"),
        &o.1.verbose_by,
        &n.1.verbose_by,
        verbose_class,
        verbose_note,
        os,
        ns,
    );
    if o.0.id.as_ref() == "cme" {
        return; // its codes are the spec's `errors`
    }
    codes(out, here, o, n);
    // Reserved codes define nothing a host can use.
    let range = |r: &(u32, u32)| format!("{}-{}", r.0, r.1);
    let ork: Vec<String> = o.0.reserved.iter().map(range).collect();
    let nrk: Vec<String> = n.0.reserved.iter().map(range).collect();
    for k in merge_order(&ork, &nrk) {
        let p = format!("{here}.reserved[{k}]");
        match (ork.contains(&k), nrk.contains(&k)) {
            (true, false) => {
                out.removed_as(p, Class::Compatible, k.clone(), "reservation removed", os)
            }
            (false, true) => out.added(p, Class::Compatible, k.clone(), "codes reserved", ns),
            _ => {}
        }
    }
}

/// The codes of two tables, by number.
fn codes(out: &mut Out, here: &str, o: &TableRef, n: &TableRef) {
    let section = |t: &TableRef, i: usize| -> String {
        t.1.sections
            .get(i)
            .filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| t.1.section.clone())
    };
    let oc: Vec<u32> = o.0.codes.iter().map(|e| e.code).collect();
    let nc: Vec<u32> = n.0.codes.iter().map(|e| e.code).collect();
    let mut all = merge_order(&oc, &nc);
    all.sort_unstable();
    for code in all {
        let p = format!("{here}.errors[{code}]");
        let a = o.0.codes.iter().position(|e| e.code == code);
        let b = n.0.codes.iter().position(|e| e.code == code);
        let at = |t: &TableRef, i: usize| t.0.codes.get(i).map(|e| e.text.to_string());
        match (a, b) {
            (Some(i), None) => out.removed(
                p,
                format!("{code} {}", at(o, i).unwrap_or_default()),
                "error code removed",
                &section(o, i),
            ),
            (None, Some(j)) => out.added(
                p,
                Class::Compatible,
                format!("{code} {}", at(n, j).unwrap_or_default()),
                "error code added",
                &section(n, j),
            ),
            (Some(i), Some(j)) => out.if_changed(
                format!("{p}.text"),
                Class::Compatible,
                &at(o, i).unwrap_or_default(),
                &at(n, j).unwrap_or_default(),
                "text changed; the code is the same",
                &section(o, i),
                &section(n, j),
            ),
            (None, None) => {}
        }
    }
}

/// A command's `errors_table` and `errors_complete`.
pub(crate) fn command(
    out: &mut Out,
    here: &str,
    o: &CommandRef,
    n: &CommandRef,
    os: &str,
    ns: &str,
) {
    let (ot, nt) = (
        table_id(out.old, o.errors_table),
        table_id(out.new, n.errors_table),
    );
    out.if_changed(
        format!("{here}.errors_table"),
        Class::Breaking,
        &ot,
        &nt,
        "its error codes are read in another table",
        os,
        ns,
    );
    if o.errors_complete != n.errors_complete {
        let (class, note) = if n.errors_complete {
            (
                Class::Breaking,
                "error list made complete: other codes are no longer answered",
            )
        } else {
            (Class::Compatible, "error list no longer complete")
        };
        out.changed(
            format!("{here}.errors_complete"),
            class,
            o.errors_complete.to_string(),
            n.errors_complete.to_string(),
            note,
            os,
            ns,
        );
    }
}
