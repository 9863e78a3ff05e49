//! Named error tables (`error_tables: [ErrorTable(...)]`): the `cme`
//! table in place of `errors` + `error_report`, the others (`cms`, a
//! vendor's) lowered to [`s::ErrorTable`]; commands' `errors_table` and
//! `errors_complete`.

use super::{owned, q, Cx};
use crate::model;
use crate::notes::ErrorTableNotes;
use std::collections::BTreeSet;
use wip_schema as s;

impl Cx<'_> {
    /// The spec with its `cme` table read as `errors`, `reserved_errors`
    /// and `error_report`; `None` when it has no such table.
    pub(super) fn cme_table(&mut self, s: &model::Spec) -> Option<model::Spec> {
        let t = s.error_tables.iter().find(|t| t.id == "cme")?;
        if !s.errors.is_empty() || s.error_report.is_some() {
            self.enter("error_tables[cme]".into(), Some("id: \"cme\"".into()));
            self.err(
                None,
                "both an error table `cme` and `errors`/`error_report`: write the codes in the table"
                    .into(),
            );
            self.leave();
        }
        let mut out = s.clone();
        out.errors = t.errors.clone();
        out.reserved_errors.extend(t.reserved.iter().cloned());
        out.error_report = t.line.as_ref().map(|line| model::ErrorReport {
            line: line.clone(),
            enabled_by: t.enabled_by.clone(),
        });
        Some(out)
    }

    /// Lowers the named tables and the commands' references to them.
    pub(super) fn error_tables(
        &mut self,
        s: &model::Spec,
        commands: &mut [s::Command],
    ) -> (Vec<s::ErrorTable>, Vec<ErrorTableNotes>) {
        let mut out = Vec::new();
        let mut notes = Vec::new();
        let mut ids = BTreeSet::new();
        for t in &s.error_tables {
            self.enter(
                format!("error_tables[{}]", t.id),
                Some(format!("id: {}", q(&t.id))),
            );
            if !ids.insert(t.id.clone()) {
                self.err(Some("id"), format!("duplicate error table `{}`", t.id));
            }
            if t.extend {
                self.err(
                    Some("extend"),
                    format!(
                        "`extend: true`, but no included file has an error table `{}`",
                        t.id
                    ),
                );
            }
            let line_prefix = t.line.as_ref().and_then(|line| {
                let prefix = line.split(':').next().unwrap_or("").trim();
                if !line.contains("<code>") || prefix.is_empty() || prefix == line.trim() {
                    self.err(
                        Some("line"),
                        format!("line {} must read `PREFIX: <code>`", q(line)),
                    );
                    None
                } else {
                    Some(owned(prefix))
                }
            });
            let mut codes: Vec<(s::ErrorCode, String)> = Vec::new();
            for e in &t.errors {
                if codes.iter().any(|(c, _)| c.code == e.code) {
                    self.err(
                        Some("errors"),
                        format!("duplicate error code {} in table `{}`", e.code, t.id),
                    );
                    continue;
                }
                codes.push((
                    s::ErrorCode {
                        code: e.code,
                        text: owned(&e.text),
                    },
                    e.section.clone(),
                ));
            }
            codes.sort_by_key(|(c, _)| c.code);
            let mut reserved: Vec<(u32, u32)> = Vec::new();
            for r in &t.reserved {
                if r.from > r.to {
                    self.err(
                        Some("reserved"),
                        format!("reserved range {}..{} is empty", r.from, r.to),
                    );
                }
                reserved.push((r.from, r.to));
            }
            reserved.sort_unstable();
            if t.verbose_by.is_some() && t.line.is_none() {
                self.err(
                    Some("verbose_by"),
                    "`verbose_by` needs the `line` that carries the texts".into(),
                );
            }
            if t.verbose_by.as_ref().is_some_and(|v| v.trim().is_empty()) {
                self.err(Some("verbose_by"), "`verbose_by` must not be blank".into());
            }
            self.leave();
            notes.push(ErrorTableNotes {
                line: t.line.clone(),
                enabled_by: t.enabled_by.clone(),
                section: t.section.clone(),
                sections: codes.iter().map(|(_, s)| s.clone()).collect(),
                verbose_by: t.verbose_by.clone(),
            });
            out.push(s::ErrorTable {
                id: owned(&t.id),
                line_prefix,
                codes: codes.into_iter().map(|(c, _)| c).collect::<Vec<_>>().into(),
                reserved: reserved.into(),
                verbose: t.verbose_by.is_some(),
            });
        }
        for c in &s.commands {
            let Some(cmd) = commands
                .iter_mut()
                .find(|x| x.name.eq_ignore_ascii_case(&c.name))
            else {
                continue;
            };
            cmd.errors_complete = c.errors_complete;
            let Some(id) = &c.errors_table else {
                continue;
            };
            self.enter(
                format!("commands[{}]", c.name),
                Some(format!("name: {}", q(&c.name))),
            );
            match out.iter().position(|t| t.id == *id) {
                None => self.err(Some("errors_table"), format!("no error table `{id}`")),
                Some(i) => {
                    cmd.errors_table = Some(i);
                    for (field, e) in cmd
                        .errors
                        .iter()
                        .map(|e| ("errors", e))
                        .chain(cmd.also_errors.iter().map(|e| ("also_errors", e)))
                    {
                        if out.get(i).is_some_and(|t| !t.accepts(*e)) {
                            self.err(
                                Some(field),
                                format!("error code {e} is not in error table `{id}`"),
                            );
                        }
                    }
                }
            }
            self.leave();
        }
        (out, notes)
    }
}
