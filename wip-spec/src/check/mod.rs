//! Turns the spec model into the run-time description
//! ([`wip_schema::Dialect`]) and the notes beside it ([`crate::notes`]),
//! collecting every problem at once.
//!
//! - `types`: value sets, types, parameters, conditions, rules, bindings;
//! - `tables`: option tables, their access, error codes;
//! - `items`: messages, commands and forms, Rust name clashes, limits,
//!   errata.
//!
//! Each problem names the item by its logical path and, where it can be
//! found again in the text, by line and column. A bad spec never panics.

use crate::diag::{Diagnostic, Diagnostics, Location, Locator};
use crate::ident;
use crate::include::{Origins, SourceFile};
use crate::model;
use crate::notes::{Notes, Spec};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// The codes of an error table and its reserved ranges.
type TableCodes = (BTreeSet<u32>, Vec<(u32, u32)>);
use wip_schema as s;

mod completion;
mod errtables;
mod finals;
mod glued;
mod items;
mod prompt;
mod tables;
mod test_answers;
mod types;

/// Parses the RON text of a spec into the model.
pub fn parse(src: &str, file: &str) -> Result<model::Spec, Diagnostics> {
    let opts =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    opts.from_str::<model::Spec>(src).map_err(|e| Diagnostics {
        file: file.to_string(),
        items: vec![Diagnostic {
            location: Some(Location {
                line: e.span.start.line.max(1),
                col: e.span.start.col.max(1),
            }),
            path: String::new(),
            message: format!("syntax: {}", e.code),
            file: None,
        }],
    })
}

/// Checks a parsed spec and builds its description and notes.
pub fn check(spec: &model::Spec, src: &str, file: &str) -> Result<Spec, Diagnostics> {
    check_assembled(
        spec,
        &[(file.to_string(), src.to_string())],
        &Origins::default(),
    )
}

/// Checks a spec assembled from several files (`texts`: name and text of
/// each, the root first), locating each problem in the file its item came
/// from.
pub(crate) fn check_assembled(
    spec: &model::Spec,
    texts: &[(String, String)],
    origins: &Origins,
) -> Result<Spec, Diagnostics> {
    let file = texts.first().map_or("", |(n, _)| n.as_str());
    let mut cx = Cx {
        files: texts
            .iter()
            .map(|(n, t)| (n.as_str(), Locator::new(t)))
            .collect(),
        origins,
        diags: Vec::new(),
        path: Vec::new(),
        anchors: Vec::new(),
        sets: Vec::new(),
        tables: Vec::new(),
        error_table_ids: Vec::new(),
        has_own_errors: false,
        table_codes: Vec::new(),
        own_codes: BTreeSet::new(),
        finals: Vec::new(),
    };
    let mut out = cx.spec(spec);
    out.notes.origins = origins.clone();
    if out.notes.origins.files.is_empty() {
        out.notes.origins.files.push(SourceFile {
            file: file.to_string(),
            name: format!("{} {} rev {}", spec.name, spec.version, spec.revision),
            source: spec.source.clone(),
        });
    }
    if cx.diags.is_empty() {
        Ok(out)
    } else {
        let mut items = cx.diags;
        // Problems in file order (the root's first); those without a
        // position last.
        items.sort_by(|a, b| {
            (
                &a.file,
                a.location.is_none(),
                a.location,
                &a.path,
                &a.message,
            )
                .cmp(&(
                    &b.file,
                    b.location.is_none(),
                    b.location,
                    &b.path,
                    &b.message,
                ))
        });
        items.dedup();
        Err(Diagnostics {
            file: file.to_string(),
            items,
        })
    }
}

pub(super) struct Cx<'a> {
    /// Name and locator of every file, the root first.
    files: Vec<(&'a str, Locator<'a>)>,
    /// Which file each included item came from.
    origins: &'a Origins,
    diags: Vec<Diagnostic>,
    path: Vec<String>,
    anchors: Vec<String>,
    /// The value sets checked so far, sorted by id: what types refer to.
    sets: Vec<s::ValueSet>,
    /// The option tables checked so far, sorted by id: what bindings
    /// refer to.
    tables: Vec<s::OptionTable>,
    /// The ids of the named error tables, in order: what `Code` fields
    /// refer to.
    error_table_ids: Vec<String>,
    /// Whether the spec lists its own error codes (`errors`), which
    /// `Code(table: "cme")` names when no table has that id.
    has_own_errors: bool,
    /// The codes and reserved ranges of each error table, in the order of
    /// `error_table_ids`, for conditions on `Code` values.
    table_codes: Vec<TableCodes>,
    /// The spec's own codes (`errors`).
    own_codes: BTreeSet<u32>,
    /// The declared final result codes, in the spec's order: what forms
    /// refer to.
    finals: Vec<s::FinalCode>,
}

pub(super) fn q(s: &str) -> String {
    format!("\"{s}\"")
}

/// An owned text of the description.
pub(super) fn owned(t: &str) -> s::Text {
    Cow::Owned(t.to_string())
}

impl Cx<'_> {
    pub(super) fn enter(&mut self, seg: String, anchor: Option<String>) {
        self.path.push(seg);
        self.anchors.push(anchor.unwrap_or_default());
    }

    pub(super) fn leave(&mut self) {
        self.path.pop();
        self.anchors.pop();
    }

    /// Reports a problem at the current item; `field` is the RON field
    /// name the problem is about, used to point at it in the text.
    pub(super) fn err(&mut self, field: Option<&str>, message: String) {
        let mut anchors: Vec<String> = self
            .anchors
            .iter()
            .filter(|a| !a.is_empty())
            .cloned()
            .collect();
        if let Some(f) = field {
            anchors.push(format!("{f}:"));
        }
        let mut path = self.path.join(".");
        if let Some(f) = field {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(f);
        }
        // An item of an included file is found in that file.
        let origin = self
            .path
            .first()
            .map_or(0, |seg| self.origins.index_of(seg));
        let (location, file) = match self.files.get(origin) {
            Some((name, loc)) => (loc.find(&anchors), (origin > 0).then(|| name.to_string())),
            None => (None, None),
        };
        self.diags.push(Diagnostic {
            location,
            path,
            message,
            file,
        });
    }

    pub(super) fn rust_name(&mut self, given: &Option<String>, derived: String) -> String {
        match given {
            Some(r) => {
                if !ident::is_valid(r) {
                    self.err(
                        Some("rust"),
                        format!("`{r}` is not a valid Rust identifier"),
                    );
                }
                r.clone()
            }
            None => derived,
        }
    }

    /// The prefix list (`command_prefixes`), checked: not together with
    /// `command_prefix`, no empty prefix (it would own every command).
    fn prefixes(&mut self, s: &model::Spec) -> Option<s::List<s::Text>> {
        let list = s.command_prefixes.as_ref()?;
        if !s.command_prefix.is_empty() {
            self.err(
                Some("command_prefixes"),
                format!(
                    "`command_prefix` ({}) and `command_prefixes` are both given; write the prefix in the list",
                    q(&s.command_prefix)
                ),
            );
        }
        let mut out: Vec<s::Text> = Vec::new();
        for p in list {
            if p.trim().is_empty() {
                self.err(
                    Some("command_prefixes"),
                    "a command prefix must not be empty (it would own every command)".into(),
                );
            } else if out.iter().any(|o| o.eq_ignore_ascii_case(p)) {
                self.err(
                    Some("command_prefixes"),
                    format!("command prefix {} is listed twice", q(p)),
                );
            } else {
                out.push(owned(p));
            }
        }
        Some(out.into())
    }

    /// The commands of another manual (`foreign_commands`), checked: none
    /// empty, none listed twice, none a command the spec defines (which it
    /// would then both check and not).
    fn foreign(&mut self, s: &model::Spec) -> s::List<s::Text> {
        let mut out: Vec<s::Text> = Vec::new();
        for f in &s.foreign_commands {
            if f.trim().is_empty() {
                self.err(
                    Some("foreign_commands"),
                    "a foreign command's name must not be empty".into(),
                );
            } else if out.iter().any(|o| o.eq_ignore_ascii_case(f)) {
                self.err(
                    Some("foreign_commands"),
                    format!("foreign command {} is listed twice", q(f)),
                );
            } else if s.commands.iter().any(|c| c.name.eq_ignore_ascii_case(f)) {
                self.err(
                    Some("foreign_commands"),
                    format!(
                        "{} is a command the spec defines: it cannot also be another manual's",
                        q(f)
                    ),
                );
            } else {
                out.push(owned(f));
            }
        }
        out.into()
    }

    fn spec(&mut self, s: &model::Spec) -> Spec {
        // A table `cme` stands for the spec's `errors` + `error_report`.
        let cme;
        let s = match self.cme_table(s) {
            Some(x) => {
                cme = x;
                &cme
            }
            None => s,
        };
        for (field, v) in [
            ("name", &s.name),
            ("version", &s.version),
            ("revision", &s.revision),
        ] {
            if v.trim().is_empty() {
                self.err(Some(field), format!("`{field}` must not be empty"));
            }
        }
        self.error_table_ids = s.error_tables.iter().map(|t| t.id.clone()).collect();
        self.has_own_errors = !s.errors.is_empty();
        self.table_codes = s
            .error_tables
            .iter()
            .map(|t| {
                (
                    t.errors.iter().map(|e| e.code).collect(),
                    t.reserved.iter().map(|r| (r.from, r.to)).collect(),
                )
            })
            .collect();
        self.own_codes = s.errors.iter().map(|e| e.code).collect();
        let prefixes = self.prefixes(s);
        let foreign = self.foreign(s);
        let set_notes = self.value_sets(&s.value_sets);
        let table_notes = self.option_tables(&s.option_tables);
        let (errors, error_notes) = self.errors(&s.errors, &s.reserved_errors);
        self.error_report(&s.error_report);
        let codes: BTreeSet<u32> = errors.iter().map(|e| e.code).collect();
        for t in &s.option_tables {
            for o in &t.options {
                if let Some(code) = o.read_error.filter(|c| !codes.contains(c)) {
                    self.enter(
                        format!("option_tables[{}].options[{}]", t.id, o.id),
                        Some(format!("id: {}", o.id)),
                    );
                    self.err(
                        Some("read_error"),
                        format!("error code {code} is used but not defined in `errors`"),
                    );
                    self.leave();
                }
            }
        }
        let final_notes = self.finals(&s.finals);
        let (messages, message_notes) = self.messages(&s.messages);
        let (mut commands, command_notes) = self.commands(&s.commands, &messages, &codes);
        let (error_tables, error_table_notes) = self.error_tables(s, &mut commands);
        self.test_answers(&messages, &commands);
        self.ambiguous_messages(&messages, &commands);
        self.per_key_access(&commands, &messages);
        self.type_names(
            &set_notes,
            &table_notes,
            &commands,
            &command_notes,
            &messages,
        );
        let limits = self.limits(&s.limits);
        let errata = self.errata(&s.errata, &commands, &messages);
        let mut reserved: Vec<(u32, u32, String)> = s
            .reserved_errors
            .iter()
            .map(|r| (r.from, r.to, r.section.clone()))
            .collect();
        reserved.sort();
        let dialect = s::Dialect {
            name: Cow::Owned(format!("{} {} rev {}", s.name, s.version, s.revision)),
            command_prefix: owned(&s.command_prefix),
            value_sets: std::mem::take(&mut self.sets).into(),
            tables: std::mem::take(&mut self.tables).into(),
            commands: commands.into(),
            messages: messages.into(),
            errors: errors.into(),
            finals: std::mem::take(&mut self.finals).into(),
            command_prefixes: prefixes,
            foreign_commands: foreign,
            error_tables: error_tables.into(),
        };
        let notes = Notes {
            name: s.name.clone(),
            version: s.version.clone(),
            revision: s.revision.clone(),
            source: s.source.clone(),
            doc: s.doc.clone(),
            value_sets: set_notes,
            tables: table_notes,
            commands: command_notes,
            messages: message_notes,
            errors: error_notes,
            error_report: s.error_report.clone(),
            reserved_errors: reserved,
            limits,
            errata,
            finals: final_notes,
            origins: Origins::default(),
            error_tables: error_table_notes,
        };
        Spec { dialect, notes }
    }
}
