//! Turns the spec model into the IR, collecting every problem at once.
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
use crate::ir;
use crate::model;
use std::collections::{BTreeMap, BTreeSet};

mod items;
mod tables;
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
        }],
    })
}

/// Checks a parsed spec and builds its IR.
pub fn check(spec: &model::Spec, src: &str, file: &str) -> Result<ir::Spec, Diagnostics> {
    let mut cx = Cx {
        loc: Locator::new(src),
        diags: Vec::new(),
        path: Vec::new(),
        anchors: Vec::new(),
    };
    let out = cx.spec(spec);
    if cx.diags.is_empty() {
        Ok(out)
    } else {
        let mut items = cx.diags;
        // Problems in file order; those without a position last.
        items.sort_by(|a, b| {
            (a.location.is_none(), a.location, &a.path, &a.message).cmp(&(
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
    loc: Locator<'a>,
    diags: Vec<Diagnostic>,
    path: Vec<String>,
    anchors: Vec<String>,
}

pub(super) fn q(s: &str) -> String {
    format!("\"{s}\"")
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
        self.diags.push(Diagnostic {
            location: self.loc.find(&anchors),
            path,
            message,
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

    fn spec(&mut self, s: &model::Spec) -> ir::Spec {
        for (field, v) in [
            ("name", &s.name),
            ("version", &s.version),
            ("revision", &s.revision),
        ] {
            if v.trim().is_empty() {
                self.err(Some(field), format!("`{field}` must not be empty"));
            }
        }
        let value_sets = self.value_sets(&s.value_sets);
        let sets: BTreeMap<String, ir::ValueSet> = value_sets
            .iter()
            .map(|v| (v.id.clone(), v.clone()))
            .collect();
        let option_tables = self.option_tables(&s.option_tables, &sets);
        let tables: BTreeMap<String, ir::OptionTable> = option_tables
            .iter()
            .map(|t| (t.id.clone(), t.clone()))
            .collect();
        let errors = self.errors(&s.errors, &s.reserved_errors);
        self.error_report(&s.error_report);
        let codes: BTreeSet<u32> = errors.iter().map(|e| e.code).collect();
        let messages = self.messages(&s.messages, &sets, &tables);
        let commands = self.commands(&s.commands, &sets, &tables, &messages, &codes);
        self.ambiguous_messages(&messages, &commands, &tables);
        self.per_key_access(&option_tables, &commands, &messages, &sets);
        self.type_names(&value_sets, &option_tables, &commands, &messages);
        let limits = self.limits(&s.limits);
        let errata = self.errata(&s.errata, &commands, &messages);
        let mut reserved: Vec<(u32, u32, String)> = s
            .reserved_errors
            .iter()
            .map(|r| (r.from, r.to, r.section.clone()))
            .collect();
        reserved.sort();
        ir::Spec {
            name: s.name.clone(),
            version: s.version.clone(),
            revision: s.revision.clone(),
            source: s.source.clone(),
            doc: s.doc.clone(),
            command_prefix: s.command_prefix.clone(),
            value_sets,
            option_tables,
            commands,
            messages,
            error_report: s.error_report.clone(),
            errors,
            reserved_errors: reserved,
            limits,
            errata,
        }
    }
}
