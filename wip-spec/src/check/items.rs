//! Checks of messages, commands, forms, Rust type names, limits and errata.

use super::{owned, q, Cx};
use crate::ident;
use crate::model;
use crate::model::FormKind;
use crate::notes::{CommandNotes, FormNotes, MessageNotes, TableNotes, ValueSetNotes};
use std::collections::{BTreeMap, BTreeSet};
use wip_schema as s;

impl Cx<'_> {
    // ----------------------------------------------------------- messages

    pub(super) fn messages(
        &mut self,
        list: &[model::Message],
    ) -> (Vec<s::Message>, Vec<MessageNotes>) {
        let mut seen = BTreeSet::new();
        let mut out: Vec<s::Message> = Vec::new();
        let mut notes = Vec::new();
        for m in list {
            self.enter(
                format!("messages[{}]", m.id),
                Some(format!("id: {}", q(&m.id))),
            );
            if !seen.insert(m.id.clone()) {
                self.err(Some("id"), format!("duplicate message id `{}`", m.id));
            }
            if !ident::is_valid(&m.id) {
                self.err(
                    Some("id"),
                    format!("message id `{}` is not a valid Rust identifier", m.id),
                );
            }
            if let Some(p) = &m.prefix {
                if p.is_empty() || p.contains(':') || p.contains(',') {
                    self.err(
                        Some("prefix"),
                        format!("prefix `{p}` must be non-empty, without ':' or ','"),
                    );
                } else if let Some(why) = spaced_prefix_problem(p) {
                    self.err(Some("prefix"), why);
                }
            }
            let (mut fields, field_notes) = self.params(&m.fields, "fields");
            self.counted(m, &mut fields);
            self.free_text_place(m, &fields);
            let select = self.conds(&m.select, &fields, "select");
            if select.iter().any(|c| c.given.is_some()) {
                self.err(
                    Some("select"),
                    "a `given` select tells command forms apart; messages are told apart by arity or by field values".into(),
                );
            }
            let (rest, rest_notes) = self.rest(&m.rest).unzip();
            let options = self.binding(&m.options, &fields);
            if rest.is_some() && options.is_some() {
                self.err(
                    Some("rest"),
                    "a message cannot have both a repeated group and option values".into(),
                );
            }
            let (rules, rule_sections) = self.rules(&m.rules, &fields);
            self.test_answer(m, &fields, rest.as_ref());
            let fields_for_payload = fields.clone();
            let glued = self.glued(m, &fields);
            out.push(s::Message {
                id: owned(&m.id),
                prefix: m.prefix.as_deref().map(owned),
                kind: m.kind,
                select: select.into(),
                fields: fields.into(),
                rest,
                options,
                rules: rules.into(),
                payload: m
                    .payload
                    .as_ref()
                    .and_then(|p| self.payload_after(p, &fields_for_payload)),
                test: m.test,
                glued,
            });
            notes.push(MessageNotes {
                section: m.section.clone(),
                doc: m.doc.clone(),
                fields: field_notes,
                rest: rest_notes,
                rules: rule_sections,
            });
            self.leave();
        }
        (out, notes)
    }

    /// Messages sharing a prefix must be told apart by arity or by a
    /// discriminating field value, unless both are information responses
    /// that no form lists together (the pending command then decides).
    pub(super) fn ambiguous_messages(&mut self, out: &[s::Message], commands: &[s::Command]) {
        let listed_together = |a: usize, b: usize| {
            commands
                .iter()
                .flat_map(|c| c.forms.iter())
                .any(|f| f.responses.contains(&a) && f.responses.contains(&b))
        };
        for (i, a) in out.iter().enumerate() {
            for (j, b) in out.iter().enumerate().skip(i + 1) {
                if a.prefix != b.prefix || a.prefix.is_none() {
                    continue;
                }
                if !a.is_urc() && !b.is_urc() && !listed_together(i, j) {
                    continue;
                }
                // A test answer is matched only while its Test form is in
                // flight: it meets only the messages that form lists.
                if (a.test || b.test) && !listed_together(i, j) {
                    continue;
                }
                let arity_overlap = arity(a, &self.tables).overlaps(&arity(b, &self.tables));
                // Told apart by a discriminator, or by a field bare in one
                // and quoted in the other (`+USORD: 0,""` and `+USORD: 0,23`).
                let disjoint = a
                    .select
                    .iter()
                    .any(|ca| b.select.iter().any(|cb| conds_disjoint(ca, cb)))
                    || s::classify::kinds_cross(
                        s::classify::field_kinds(&a.fields),
                        s::classify::field_kinds(&b.fields),
                    );
                if arity_overlap && !disjoint {
                    self.enter(
                        format!("messages[{}]", b.id),
                        Some(format!("id: {}", q(&b.id))),
                    );
                    self.err(Some("select"), format!(
                        "`{}` and `{}` share the prefix {} and cannot be told apart by arity, by a `select` on the same field, or by a field bare in one and quoted in the other",
                        a.id, b.id, a.prefix.as_deref().unwrap_or("")
                    ));
                    self.leave();
                }
            }
        }
    }

    // ----------------------------------------------------------- commands

    pub(super) fn commands(
        &mut self,
        list: &[model::Command],
        messages: &[s::Message],
        codes: &BTreeSet<u32>,
    ) -> (Vec<s::Command>, Vec<CommandNotes>) {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let mut notes = Vec::new();
        for c in list {
            self.enter(
                format!("commands[{}]", c.name),
                Some(format!("name: {}", q(&c.name))),
            );
            if !seen.insert(c.name.to_ascii_uppercase()) {
                self.err(Some("name"), format!("duplicate command `{}`", c.name));
            }
            if c.name.is_empty() || c.name.contains(['=', '?', ' ', ',']) {
                self.err(
                    Some("name"),
                    format!(
                        "command name `{}` must be non-empty, without '=', '?', ',' or blanks",
                        c.name
                    ),
                );
            }
            let rust = self.rust_name(&c.rust, ident::camel(&c.name));
            // Codes of another table are checked with the tables.
            let defined = |e: &u32| c.errors_table.is_some() || codes.contains(e);
            let errors = self.code_list("errors", &c.errors, &defined, &[]);
            let also = self.code_list("also_errors", &c.also_errors, &defined, &errors);
            if c.timeout_ms == 0 {
                self.err(
                    Some("timeout_ms"),
                    "a timeout of 0 ms leaves no time for an answer".into(),
                );
            }
            let mut forms = Vec::new();
            let mut form_notes = Vec::new();
            let mut names = BTreeSet::new();
            let mut kinds = BTreeSet::new();
            for f in &c.forms {
                self.enter(
                    format!("forms[{}]", f.name),
                    Some(format!("name: {}", q(&f.name))),
                );
                if !names.insert(f.name.clone()) {
                    self.err(Some("name"), format!("duplicate form name `{}`", f.name));
                }
                if f.kind != FormKind::Action && !kinds.insert(f.kind) {
                    self.err(Some("kind"), format!("two {:?} forms", f.kind));
                }
                let (form, n) = self.form(f, &rust, messages);
                forms.push(form);
                form_notes.push(n);
                self.leave();
            }
            self.discriminators(&forms);
            let timeout_from = self.command_timeout_from(c, &forms);
            out.push(s::Command {
                name: owned(&c.name),
                timeout_ms: c.timeout_ms,
                errors: errors.into(),
                forms: forms.into(),
                errors_table: None,
                errors_complete: false,
                also_errors: also.into(),
                timeout_from,
            });
            notes.push(CommandNotes {
                rust,
                title: c.title.clone(),
                section: c.section.clone(),
                doc: c.doc.clone(),
                timeout_doc: c.timeout_doc.clone(),
                errors_section: c.errors_section.clone(),
                forms: form_notes,
            });
            self.leave();
        }
        (out, notes)
    }

    pub(super) fn form(
        &mut self,
        f: &model::Form,
        cmd_rust: &str,
        messages: &[s::Message],
    ) -> (s::Form, FormNotes) {
        let (params, param_notes) = self.params(&f.params, "params");
        if f.kind != FormKind::Action
            && (!params.is_empty() || f.rest.is_some() || f.options.is_some())
        {
            self.err(
                Some("params"),
                format!("a {:?} form takes no parameters", f.kind),
            );
        }
        let select = self.conds(&f.select, &params, "select");
        for s in &select {
            if s.given.is_none() && params.get(s.param).is_some_and(|p| p.optional) {
                self.err(
                    Some("select"),
                    "a discriminating parameter cannot be optional".into(),
                );
            }
            if params.iter().take(s.param).any(|p| p.optional) {
                self.err(
                    Some("select"),
                    "a discriminating parameter must come before any optional one".into(),
                );
            }
        }
        let (rest, rest_notes) = self.rest(&f.rest).unzip();
        let options = self.binding(&f.options, &params);
        if rest.is_some() && options.is_some() {
            self.err(
                Some("rest"),
                "a form cannot have both a repeated group and option values".into(),
            );
        }
        let (rules, rule_sections) = self.rules(&f.rules, &params);
        let mut responses = Vec::new();
        for id in &f.responses {
            let found = messages.iter().position(|m| m.id == *id);
            match found.and_then(|i| messages.get(i)) {
                None => self.err(Some("responses"), format!("unknown message `{id}`")),
                Some(m) if m.kind == s::MessageKind::Urc => self.err(
                    Some("responses"),
                    format!("`{id}` is a URC, not an information response"),
                ),
                _ => {}
            }
            responses.push(found.unwrap_or(usize::MAX));
        }
        let mut urcs = Vec::new();
        for id in &f.urcs {
            let found = messages.iter().position(|m| m.id == *id);
            match found.and_then(|i| messages.get(i)) {
                None => self.err(Some("urcs"), format!("unknown message `{id}`")),
                Some(m) if m.kind == s::MessageKind::Info => self.err(
                    Some("urcs"),
                    format!("`{id}` is an information response, not a URC"),
                ),
                _ => {}
            }
            urcs.push(found.unwrap_or(usize::MAX));
        }
        let mut outcomes = Vec::new();
        let mut outcome_sections = Vec::new();
        for o in &f.outcomes {
            let when = self.conds(&o.when, &params, "outcomes");
            if o.etx.is_some() && o.data != model::DataMode::Continuous {
                self.err(
                    Some("outcomes"),
                    "an ETX meaning only applies to continuous mode".into(),
                );
            }
            if o.upload && o.data == model::DataMode::HexDump {
                self.err(
                    Some("outcomes"),
                    "an upload applies to a CONNECT session (continuous or transparent), not to hex dumps"
                        .into(),
                );
            }
            outcomes.push(s::Outcome {
                when: when.into(),
                data: o.data,
                etx: o.etx,
                upload: o.upload,
            });
            outcome_sections.push(o.section.clone());
        }
        if !ident::is_valid(&f.name) {
            self.err(
                Some("name"),
                format!("form name `{}` is not a valid Rust identifier", f.name),
            );
        }
        let echo: Vec<usize> = f
            .echo
            .iter()
            .filter_map(|n| self.index_of(&params, n, "echo"))
            .collect();
        let (completion, completion_notes) = self.completion(f, &params, messages);
        let (prompt, prompt_notes) = match &f.prompt {
            Some(p) => {
                let (p, n) = self.prompt(p, &params, !outcomes.is_empty(), &f.section);
                (Some(p), Some(n))
            }
            None => (None, None),
        };
        let form = s::Form {
            kind: f.kind,
            name: owned(&f.name),
            select: select.into(),
            params: params.into(),
            rest,
            options,
            rules: rules.into(),
            responses: responses.into(),
            urcs: urcs.into(),
            echo: echo.into(),
            outcomes: outcomes.into(),
            finals: self.form_finals(f).into(),
            completion,
            prompt,
        };
        let notes = FormNotes {
            rust: format!("{cmd_rust}{}", f.name),
            section: f.section.clone(),
            doc: f.doc.clone(),
            params: param_notes,
            rest: rest_notes,
            rules: rule_sections,
            outcomes: outcome_sections,
            completion: completion_notes,
            prompt: prompt_notes,
        };
        (form, notes)
    }

    /// Action forms of one command must be told apart by their
    /// discriminators: two forms need a discriminating parameter at the
    /// same position whose value sets are disjoint.
    /// A command's list of error codes, sorted without repeats: each code
    /// `defined`, and in neither this list twice nor `beside` (the list it
    /// adds to).
    fn code_list(
        &mut self,
        field: &str,
        list: &[u32],
        defined: &dyn Fn(&u32) -> bool,
        beside: &[u32],
    ) -> Vec<u32> {
        let mut out = list.to_vec();
        out.sort_unstable();
        for (n, e) in out.iter().enumerate() {
            if !defined(e) {
                self.err(
                    Some(field),
                    format!("error code {e} is used but not defined in `errors`"),
                );
            }
            if n > 0 && out.get(n - 1) == Some(e) {
                self.err(Some(field), format!("error code {e} is listed twice"));
            } else if beside.contains(e) {
                self.err(
                    Some(field),
                    format!("error code {e} is listed twice (in `errors` and `{field}`)"),
                );
            }
        }
        out.dedup();
        out
    }

    pub(super) fn discriminators(&mut self, forms: &[s::Form]) {
        let actions: Vec<&s::Form> = forms
            .iter()
            .filter(|f| f.kind == s::FormKind::Action)
            .collect();
        for (i, a) in actions.iter().enumerate() {
            if actions.len() > 1 && a.select.is_empty() {
                self.enter(
                    format!("forms[{}]", a.name),
                    Some(format!("name: {}", q(&a.name))),
                );
                self.err(
                    Some("select"),
                    "with several action forms, each needs a `select`".into(),
                );
                self.leave();
            }
            for b in actions.iter().skip(i + 1) {
                let disjoint = a
                    .select
                    .iter()
                    .any(|ca| b.select.iter().any(|cb| conds_disjoint(ca, cb)));
                if !disjoint && !a.select.is_empty() && !b.select.is_empty() {
                    self.enter(
                        format!("forms[{}]", b.name),
                        Some(format!("name: {}", q(&b.name))),
                    );
                    self.err(Some("select"), format!("overlapping discriminators: forms `{}` and `{}` can match the same command line", a.name, b.name));
                    self.leave();
                }
            }
        }
    }

    /// Rust type names must not collide across forms, messages, value sets
    /// and option tables, since they share one module.
    pub(super) fn type_names(
        &mut self,
        sets: &[ValueSetNotes],
        tables: &[TableNotes],
        commands: &[s::Command],
        command_notes: &[CommandNotes],
        messages: &[s::Message],
    ) {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut add = |cx: &mut Self, name: &str, what: String| {
            if let Some(prev) = seen.insert(name.to_string(), what.clone()) {
                cx.err(
                    None,
                    format!("Rust type name `{name}` is used by both {prev} and {what}"),
                );
            }
        };
        let set_ids: Vec<String> = self.sets.iter().map(|v| v.id.to_string()).collect();
        for (n, id) in sets.iter().zip(&set_ids) {
            add(self, &n.rust, format!("value set `{id}`"));
        }
        let table_ids: Vec<String> = self.tables.iter().map(|t| t.id.to_string()).collect();
        for (n, id) in tables.iter().zip(&table_ids) {
            add(self, &n.rust, format!("option table `{id}`"));
        }
        for (c, cn) in commands.iter().zip(command_notes) {
            for (f, fname) in c.forms.iter().zip(&cn.forms) {
                add(
                    self,
                    &fname.rust,
                    format!("form `{}` of {}", f.name, c.name),
                );
            }
        }
        for m in messages {
            add(self, &m.id, format!("message `{}`", m.id));
        }
    }

    // ----------------------------------------------------------- limits, errata

    pub(super) fn limits(&mut self, list: &[model::Limit]) -> Vec<model::Limit> {
        let mut seen = BTreeSet::new();
        list.iter()
            .map(|l| {
                if !seen.insert(l.id.clone()) {
                    self.enter(
                        format!("limits[{}]", l.id),
                        Some(format!("id: {}", q(&l.id))),
                    );
                    self.err(Some("id"), format!("duplicate limit `{}`", l.id));
                    self.leave();
                }
                l.clone()
            })
            .collect()
    }

    pub(super) fn errata(
        &mut self,
        list: &[model::Erratum],
        commands: &[s::Command],
        messages: &[s::Message],
    ) -> Vec<model::Erratum> {
        let mut seen = BTreeSet::new();
        let known: BTreeSet<String> = commands
            .iter()
            .map(|c| c.name.to_string())
            .chain(
                messages
                    .iter()
                    .filter_map(|m| m.prefix.as_ref().map(|p| p.to_string())),
            )
            .collect();
        list.iter()
            .map(|e| {
                self.enter(
                    format!("errata[{}]", e.id),
                    Some(format!("id: {}", q(&e.id))),
                );
                if !seen.insert(e.id.clone()) {
                    self.err(Some("id"), format!("duplicate erratum `{}`", e.id));
                }
                if e.sections.is_empty() {
                    self.err(
                        Some("sections"),
                        "an erratum names the sections it concerns".into(),
                    );
                }
                for i in &e.items {
                    if !known.contains(i) {
                        self.err(
                            Some("items"),
                            format!("`{i}` is neither a command nor a message prefix"),
                        );
                    }
                }
                self.leave();
                e.clone()
            })
            .collect()
    }
}

impl Cx<'_> {
    /// Free text takes the rest of the line: it is a message's last field,
    /// after mandatory ones only, with no repeated group or option values.
    fn free_text_place(&mut self, m: &model::Message, fields: &[s::Param]) {
        let Some(at) = fields.iter().position(|f| f.ty == s::Ty::Text) else {
            return;
        };
        if at + 1 != fields.len() {
            self.err(
                Some("fields"),
                "a free-text field must be the message's last field (it takes the rest of the line, commas included)".into(),
            );
        } else if let Some(p) = fields.iter().take(at).find(|f| f.optional) {
            self.err(
                Some("fields"),
                format!(
                    "`{}` cannot be optional: the fields before free text are counted to find where the text starts",
                    p.name
                ),
            );
        }
        if m.rest.is_some() || m.options.is_some() {
            self.err(
                Some("fields"),
                "a message with a free-text field has no repeated group or option values (the text takes the rest of the line)".into(),
            );
        }
    }
}

/// Why a message prefix holding a blank cannot be read as one (the line
/// classifier reads words of letters, digits and `+_#&%$` separated by
/// single blanks, ended by a colon, after a leading `+`); `None` when it
/// has no blank or is fine.
fn spaced_prefix_problem(p: &str) -> Option<String> {
    if !p.contains([' ', '\t']) {
        return None;
    }
    let word = |w: &str| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+_#&%$".contains(&b))
    };
    let ok = p.starts_with('+') && !p.contains('\t') && p.split(' ').all(word);
    (!ok).then(|| {
        format!("prefix `{p}` holds a blank: it must start with '+' and be words of letters, digits or `+_#&%$` separated by single blanks (`+IP ERROR`)")
    })
}

/// Whether no line satisfies both conditions: two value sets on the same
/// parameter with no value in common, `given: true` and `given: false`,
/// or `given: false` and a value (a value needs the parameter given).
fn conds_disjoint(a: &s::Cond, b: &s::Cond) -> bool {
    if a.param != b.param {
        return false;
    }
    match (a.given, b.given) {
        (Some(x), Some(y)) => x != y,
        (Some(g), None) | (None, Some(g)) => !g,
        (None, None) => {
            a.values.iter().all(|v| !b.values.contains(v))
                && a.texts.iter().all(|v| !b.texts.contains(v))
        }
    }
}

/// The field counts a message line can have.
#[derive(Debug, Clone, Copy)]
struct Arity {
    min: usize,
    max: Option<usize>,
}

impl Arity {
    fn overlaps(&self, o: &Arity) -> bool {
        let a_max = self.max.unwrap_or(usize::MAX);
        let b_max = o.max.unwrap_or(usize::MAX);
        self.min <= b_max && o.min <= a_max
    }
}

/// Option values count too: a message bound to option tables has the
/// field counts its options' read values give.
fn arity(m: &s::Message, tables: &[s::OptionTable]) -> Arity {
    let mandatory = m.fields.iter().filter(|f| !f.optional).count();
    let all = m.fields.len();
    let text_last = all > 1 && m.fields.last().is_some_and(|f| f.ty == s::Ty::Text);
    if m.rest.is_some() || text_last {
        return Arity {
            min: mandatory,
            max: None,
        };
    }
    let Some(b) = &m.options else {
        return Arity {
            min: mandatory,
            max: Some(all),
        };
    };
    let mut min = usize::MAX;
    let mut max = Some(0usize);
    for (_, t) in b.tables.iter() {
        let Some(t) = tables.get(*t) else { continue };
        for o in t.options.iter() {
            let lo = o.read.iter().filter(|p| !p.optional).count();
            min = min.min(lo);
            max = match (max, o.read_rest.is_some()) {
                (Some(m), false) => Some(m.max(o.read.len())),
                _ => None,
            };
        }
    }
    if min == usize::MAX {
        min = 0;
    }
    Arity {
        min: mandatory + min,
        max: max.map(|x| all + x),
    }
}
