//! Checks of option tables, their per-key access, and error codes.

use super::{owned, q, Cx};
use crate::ident;
use crate::model;
use crate::notes::{ErrorNotes, OptNotes, TableNotes};
use std::collections::{BTreeMap, BTreeSet};
use wip_schema as s;

impl Cx<'_> {
    // ----------------------------------------------------------- option tables

    /// Checks the option tables and keeps them, sorted by id, for the
    /// bindings that refer to them; returns their notes in the same order.
    pub(super) fn option_tables(&mut self, list: &[model::OptionTable]) -> Vec<TableNotes> {
        let mut seen = BTreeSet::new();
        let mut out: Vec<(s::OptionTable, TableNotes)> = Vec::new();
        for t in list {
            self.enter(
                format!("option_tables[{}]", t.id),
                Some(format!("id: {}", q(&t.id))),
            );
            if !seen.insert(t.id.clone()) {
                self.err(Some("id"), format!("duplicate option table id `{}`", t.id));
            }
            let rust = self.rust_name(&t.rust, ident::camel(&t.id));
            let mut ids = BTreeSet::new();
            let mut rusts = BTreeSet::new();
            let mut options = Vec::new();
            for o in &t.options {
                self.enter(format!("options[{}]", o.id), Some(format!("id: {}", o.id)));
                if !ids.insert(o.id) {
                    self.err(Some("id"), format!("duplicate option number {}", o.id));
                }
                let r = self.rust_name(&o.rust, ident::camel(&o.name));
                if !rusts.insert(r.clone()) {
                    self.err(
                        Some("name"),
                        format!("two options are both named `{r}` in Rust"),
                    );
                }
                let (values, value_notes) = self.params(&o.values, "values");
                let rest = self.rest(&o.rest);
                let (read, read_notes) = match &o.read {
                    Some(rd) => self.params(rd, "read"),
                    None => (values.clone(), value_notes.clone()),
                };
                let (rules, rule_sections) = self.rules(&o.rules, &values);
                if let model::AccessSpec::PerKey(m) = &o.access {
                    if m.is_empty() {
                        self.err(Some("access"), "PerKey access lists no key".into());
                    }
                }
                let (rest, rest_notes) = rest.unzip();
                options.push((
                    s::Opt {
                        id: o.id,
                        name: owned(&o.name),
                        read_rest: rest.clone(),
                        values: values.into(),
                        rest,
                        read: read.into(),
                        read_repeats: o.read_repeats,
                        read_error: o.read_error,
                        rules: rules.into(),
                        access: match &o.access {
                            model::AccessSpec::All(a) => s::AccessSpec::All(*a),
                            model::AccessSpec::PerKey(m) => {
                                s::AccessSpec::PerKey(m.iter().map(|(k, a)| (*k, *a)).collect())
                            }
                        },
                    },
                    OptNotes {
                        rust: r,
                        doc: o.doc.clone(),
                        section: o.section.clone().unwrap_or_else(|| t.section.clone()),
                        values: value_notes,
                        read_rest: rest_notes.clone(),
                        rest: rest_notes,
                        read: read_notes,
                        rules: rule_sections,
                    },
                ));
                self.leave();
            }
            options.sort_by_key(|o| o.0.id);
            let (options, option_notes): (Vec<_>, Vec<_>) = options.into_iter().unzip();
            let (totals, total_sections) = self.totals(&t.totals, &ids);
            out.push((
                s::OptionTable {
                    id: owned(&t.id),
                    options: options.into(),
                    totals: totals.into(),
                },
                TableNotes {
                    rust,
                    title: t.title.clone(),
                    section: t.section.clone(),
                    options: option_notes,
                    totals: total_sections,
                },
            ));
            self.leave();
        }
        out.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        let (tables, notes): (Vec<_>, Vec<_>) = out.into_iter().unzip();
        self.tables = tables;
        notes
    }

    /// The totals of a table whose option numbers are `ids`: each names
    /// options of the table, and a limit.
    fn totals(
        &mut self,
        list: &[model::Total],
        ids: &BTreeSet<i64>,
    ) -> (Vec<s::Total>, Vec<String>) {
        let mut out = Vec::new();
        let mut sections = Vec::new();
        for (n, t) in list.iter().enumerate() {
            self.enter(format!("totals[{n}]"), None);
            let mut options = t.options.clone();
            options.sort_unstable();
            options.dedup();
            if options.is_empty() {
                self.err(Some("options"), "a Total names no option".into());
            }
            for o in options.iter().chain(t.suffixes.keys()) {
                if !ids.contains(o) {
                    self.err(Some("options"), format!("option {o} is not in the table"));
                }
            }
            for o in t.suffixes.keys() {
                if !options.contains(o) {
                    self.err(
                        Some("suffixes"),
                        format!("option {o} has a suffix but is not one of the total's options"),
                    );
                }
            }
            if t.max_count.is_none() && t.max_len.is_none() {
                self.err(None, "a Total needs max_count, max_len or both".into());
            }
            out.push(s::Total {
                options: options.into(),
                max_count: t.max_count,
                max_len: t.max_len,
                suffixes: t
                    .suffixes
                    .iter()
                    .map(|(o, x)| (*o, owned(x)))
                    .collect::<Vec<_>>()
                    .into(),
                separator: owned(&t.separator),
            });
            sections.push(t.section.clone());
            self.leave();
        }
        (out, sections)
    }

    /// A PerKey access must name keys that some binding maps to the table,
    /// else the table refers to a protocol that cannot reach it.
    pub(super) fn per_key_access(&mut self, commands: &[s::Command], messages: &[s::Message]) {
        let mut keys_of: BTreeMap<usize, BTreeSet<i64>> = BTreeMap::new();
        let mut unkeyed: BTreeSet<usize> = BTreeSet::new();
        let bindings = commands
            .iter()
            .flat_map(|c| c.forms.iter().filter_map(|f| f.options.as_ref()))
            .chain(messages.iter().filter_map(|m| m.options.as_ref()));
        for b in bindings {
            for (keys, t) in b.tables.iter() {
                if b.key_param.is_none() {
                    unkeyed.insert(*t);
                }
                keys_of.entry(*t).or_default().extend(keys.iter().copied());
            }
        }
        let tables = std::mem::take(&mut self.tables);
        for (ti, t) in tables.iter().enumerate() {
            for o in t.options.iter() {
                let s::AccessSpec::PerKey(m) = &o.access else {
                    continue;
                };
                self.enter(
                    format!("option_tables[{}]", t.id),
                    Some(format!("id: {}", q(&t.id))),
                );
                self.enter(format!("options[{}]", o.id), Some(format!("id: {}", o.id)));
                if unkeyed.contains(&ti) {
                    self.err(
                        Some("access"),
                        "PerKey access in a table used without a key parameter".into(),
                    );
                }
                let known = keys_of.get(&ti);
                for (k, _) in m.iter() {
                    if known.is_some_and(|ks| !ks.contains(k)) {
                        self.err(
                            Some("access"),
                            format!(
                                "access for key {k}, which no binding maps to table `{}`",
                                t.id
                            ),
                        );
                    }
                }
                self.leave();
                self.leave();
            }
        }
        self.tables = tables;
    }

    // ----------------------------------------------------------- errors

    pub(super) fn errors(
        &mut self,
        list: &[model::ErrorCode],
        reserved: &[model::ReservedErrors],
    ) -> (Vec<s::ErrorCode>, Vec<ErrorNotes>) {
        let mut seen = BTreeSet::new();
        let mut rusts = BTreeSet::new();
        let mut out: Vec<(s::ErrorCode, ErrorNotes)> = Vec::new();
        for e in list {
            self.enter(
                format!("errors[{}]", e.code),
                Some(format!("code: {},", e.code)),
            );
            if !seen.insert(e.code) {
                self.err(Some("code"), format!("duplicate error code {}", e.code));
            }
            if e.text.trim().is_empty() {
                self.err(Some("text"), "an error code needs a text".into());
            }
            let mut r = self.rust_name(&e.rust, ident::camel(&e.text));
            if e.rust.is_none() && !rusts.insert(r.clone()) {
                // Two codes with the same text: tell them apart by number.
                r = format!("{r}{}", e.code);
                rusts.insert(r.clone());
            } else if e.rust.is_some() && !rusts.insert(r.clone()) {
                self.err(
                    Some("rust"),
                    format!("two error codes are both named `{r}` in Rust"),
                );
            }
            for rv in reserved {
                if (rv.from..=rv.to).contains(&e.code) {
                    self.err(
                        Some("code"),
                        format!(
                            "code {} is in the reserved range {}..={}",
                            e.code, rv.from, rv.to
                        ),
                    );
                }
            }
            out.push((
                s::ErrorCode {
                    code: e.code,
                    text: owned(&e.text),
                },
                ErrorNotes {
                    rust: r,
                    section: e.section.clone(),
                    group: e.group.clone(),
                },
            ));
            self.leave();
        }
        for rv in reserved {
            if rv.from > rv.to {
                self.enter("reserved_errors".into(), Some("reserved_errors:".into()));
                self.err(
                    None,
                    format!("empty reserved range {}..={}", rv.from, rv.to),
                );
                self.leave();
            }
        }
        out.sort_by_key(|e| e.0.code);
        out.into_iter().unzip()
    }

    /// The error line must show where the code goes; the docs quote both
    /// texts, which must not be blank.
    pub(super) fn error_report(&mut self, report: &Option<model::ErrorReport>) {
        let Some(r) = report else { return };
        self.enter("error_report".into(), Some("error_report:".into()));
        if r.line.matches("<code>").count() != 1 {
            self.err(
                Some("line"),
                format!(
                    "`{}` must show `<code>` once, where the number goes",
                    r.line
                ),
            );
        }
        if r.enabled_by.as_ref().is_some_and(|c| c.trim().is_empty()) {
            self.err(Some("enabled_by"), "`enabled_by` must not be blank".into());
        }
        self.leave();
    }
}
