//! Turns the spec model into the IR, collecting every problem at once.
//!
//! Each problem names the item by its logical path and, where it can be
//! found again in the text, by line and column. A bad spec never panics.

use crate::diag::{Diagnostic, Diagnostics, Location, Locator};
use crate::ident;
use crate::ir;
use crate::model::{self, FormKind, Literal, MessageKind};
use std::collections::{BTreeMap, BTreeSet};

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

struct Cx<'a> {
    loc: Locator<'a>,
    diags: Vec<Diagnostic>,
    path: Vec<String>,
    anchors: Vec<String>,
}

fn q(s: &str) -> String {
    format!("\"{s}\"")
}

impl Cx<'_> {
    fn enter(&mut self, seg: String, anchor: Option<String>) {
        self.path.push(seg);
        self.anchors.push(anchor.unwrap_or_default());
    }

    fn leave(&mut self) {
        self.path.pop();
        self.anchors.pop();
    }

    /// Reports a problem at the current item; `field` is the RON field
    /// name the problem is about, used to point at it in the text.
    fn err(&mut self, field: Option<&str>, message: String) {
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

    fn rust_name(&mut self, given: &Option<String>, derived: String) -> String {
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
        let codes: BTreeSet<u32> = errors.iter().map(|e| e.code).collect();
        let messages = self.messages(&s.messages, &sets, &tables);
        let commands = self.commands(&s.commands, &sets, &tables, &messages, &codes);
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
            errors,
            reserved_errors: reserved,
            limits,
            errata,
        }
    }

    // ----------------------------------------------------------- value sets

    fn value_sets(&mut self, list: &[model::ValueSet]) -> Vec<ir::ValueSet> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (n, vs) in list.iter().enumerate() {
            self.enter(
                format!("value_sets[{}]", vs.id),
                Some(format!("id: {}", q(&vs.id))),
            );
            if !seen.insert(vs.id.clone()) {
                self.err(Some("id"), format!("duplicate value set id `{}`", vs.id));
            }
            if vs.values.is_empty() {
                self.err(
                    Some("values"),
                    "a value set needs at least one value".into(),
                );
            }
            let rust = self.rust_name(&vs.rust, ident::camel(&vs.id));
            let mut values = Vec::new();
            let mut nums = BTreeSet::new();
            let mut names = BTreeSet::new();
            for v in &vs.values {
                self.enter(
                    format!("values[{}]", v.value),
                    Some(format!("value: {}", v.value)),
                );
                if !nums.insert(v.value) {
                    self.err(Some("value"), format!("duplicate value {}", v.value));
                }
                let r = self.rust_name(&v.rust, ident::camel(&v.name));
                if !names.insert(r.clone()) {
                    self.err(Some("name"), format!("two values of the set are both named `{r}` in Rust; give one a `rust:` name"));
                }
                values.push(ir::Value {
                    value: v.value,
                    name: v.name.clone(),
                    rust: r,
                    doc: v.doc.clone(),
                });
                self.leave();
            }
            values.sort_by_key(|v| v.value);
            let _ = n;
            out.push(ir::ValueSet {
                id: vs.id.clone(),
                rust,
                doc: vs.doc.clone(),
                section: vs.section.clone(),
                values,
            });
            self.leave();
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    // ----------------------------------------------------------- types

    fn ty(&mut self, t: &model::Type, sets: &BTreeMap<String, ir::ValueSet>) -> ir::Ty {
        match t {
            model::Type::Int { min, max } => {
                if min > max {
                    self.err(Some("ty"), format!("empty range: min {min} > max {max}"));
                }
                ir::Ty::Int {
                    min: *min,
                    max: *max,
                }
            }
            model::Type::Enum { set, only } => {
                let all: Vec<i64> = match sets.get(set) {
                    Some(vs) => vs.values.iter().map(|v| v.value).collect(),
                    None => {
                        self.err(Some("ty"), format!("unknown value set `{set}`"));
                        // Carry on as an unbounded integer so one unknown
                        // set gives one diagnostic, not one per use.
                        return ir::Ty::Int {
                            min: i64::MIN,
                            max: i64::MAX,
                        };
                    }
                };
                let mut allowed: Vec<i64> = if only.is_empty() {
                    all.clone()
                } else {
                    for v in only {
                        if !all.is_empty() && !all.contains(v) {
                            self.err(
                                Some("ty"),
                                format!("`only` value {v} is not in value set `{set}`"),
                            );
                        }
                    }
                    only.clone()
                };
                allowed.sort_unstable();
                allowed.dedup();
                ir::Ty::Enum {
                    set: set.clone(),
                    allowed,
                }
            }
            model::Type::Str { max_len } => ir::Ty::Str { max_len: *max_len },
            model::Type::Host { max_len } => ir::Ty::Host { max_len: *max_len },
            model::Type::Ip => ir::Ty::Ip,
            model::Type::Hex { max_bytes } => {
                if *max_bytes == 0 {
                    self.err(
                        Some("ty"),
                        "a hex dump needs max_bytes of at least 1".into(),
                    );
                }
                ir::Ty::Hex {
                    max_bytes: *max_bytes,
                }
            }
            model::Type::Text => ir::Ty::Text,
        }
    }

    fn literal_fits(&mut self, lit: &Literal, ty: &ir::Ty, sets: &BTreeMap<String, ir::ValueSet>) {
        let problem = match (lit, ty) {
            (Literal::Int(v), ir::Ty::Int { min, max }) => {
                (v < min || v > max).then(|| format!("default {v} is outside {min}..={max}"))
            }
            (Literal::Int(v), ir::Ty::Enum { set, allowed }) => (!allowed.contains(v)).then(|| {
                let names: Vec<String> = allowed
                    .iter()
                    .map(|a| {
                        match sets
                            .get(set)
                            .and_then(|s| s.values.iter().find(|x| x.value == *a))
                        {
                            Some(x) => format!("{a} ({})", x.name),
                            None => a.to_string(),
                        }
                    })
                    .collect();
                format!(
                    "default {v} is not one of the allowed values {}",
                    names.join(", ")
                )
            }),
            (Literal::Str(s), ir::Ty::Str { max_len } | ir::Ty::Host { max_len }) => {
                match max_len {
                    Some(m) if s.chars().count() > *m as usize => {
                        Some(format!("default \"{s}\" is longer than {m} characters"))
                    }
                    _ => None,
                }
            }
            (Literal::Str(_), ir::Ty::Ip | ir::Ty::Text) => None,
            (Literal::Str(s), ir::Ty::Hex { max_bytes }) => (s.len() % 2 != 0
                || s.len() / 2 > *max_bytes as usize
                || !s.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| format!("default \"{s}\" is not a hex dump of at most {max_bytes} bytes")),
            (Literal::Int(v), _) => Some(format!("default {v} is an integer but the type is not")),
            (Literal::Str(s), _) => Some(format!(
                "default \"{s}\" is a string but the type is an integer"
            )),
        };
        if let Some(p) = problem {
            self.err(Some("default"), p);
        }
    }

    fn param(&mut self, p: &model::Param, sets: &BTreeMap<String, ir::ValueSet>) -> ir::Param {
        if p.name.trim().is_empty() {
            self.err(Some("name"), "a parameter needs a name".into());
        }
        let rust = self.rust_name(&p.rust, ident::snake(&p.name));
        let ty = self.ty(&p.ty, sets);
        if let Some(d) = &p.default {
            self.literal_fits(d, &ty, sets);
        }
        ir::Param {
            name: p.name.clone(),
            rust,
            ty,
            optional: p.optional,
            default: p.default.clone(),
            doc: p.doc.clone(),
            section: p.section.clone(),
        }
    }

    fn params(
        &mut self,
        list: &[model::Param],
        sets: &BTreeMap<String, ir::ValueSet>,
        what: &str,
    ) -> Vec<ir::Param> {
        let mut out = Vec::new();
        let mut names = BTreeSet::new();
        let mut rusts = BTreeSet::new();
        for p in list {
            self.enter(
                format!("{what}[{}]", p.name),
                Some(format!("name: {}", q(&p.name))),
            );
            let ip = self.param(p, sets);
            if !names.insert(p.name.clone()) {
                self.err(Some("name"), format!("duplicate {what} name `{}`", p.name));
            } else if !rusts.insert(ip.rust.clone()) {
                self.err(
                    Some("name"),
                    format!("two {what} are both named `{}` in Rust", ip.rust),
                );
            }
            if ip.ty == ir::Ty::Text && what != "fields" {
                self.err(Some("ty"), "free text is only for message fields".into());
            }
            out.push(ip);
            self.leave();
        }
        out
    }

    fn rest(
        &mut self,
        r: &Option<model::Rest>,
        sets: &BTreeMap<String, ir::ValueSet>,
    ) -> Option<ir::Rest> {
        let r = r.as_ref()?;
        self.enter("rest".into(), Some("rest:".into()));
        if r.group == 0 {
            self.err(
                Some("group"),
                "a repeated group needs at least one item".into(),
            );
        }
        let rust = self.rust_name(&r.rust, ident::snake(&r.name));
        let ty = self.ty(&r.ty, sets);
        self.leave();
        Some(ir::Rest {
            name: r.name.clone(),
            rust,
            ty,
            group: r.group.max(1),
            max_groups: r.max_groups,
            doc: r.doc.clone(),
        })
    }

    fn index_of(&mut self, params: &[ir::Param], name: &str, field: &str) -> Option<usize> {
        let i = params.iter().position(|p| p.name == name);
        if i.is_none() {
            let known: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
            self.err(
                Some(field),
                format!("unknown parameter `{name}` (known: {})", known.join(", ")),
            );
        }
        i
    }

    fn conds(
        &mut self,
        list: &[model::Select],
        params: &[ir::Param],
        field: &str,
    ) -> Vec<ir::Cond> {
        let mut out = Vec::new();
        for s in list {
            let Some(i) = self.index_of(params, &s.param, field) else {
                continue;
            };
            let mut values = s.values.clone();
            values.sort_unstable();
            values.dedup();
            if values.is_empty() {
                self.err(
                    Some(field),
                    format!("condition on `{}` lists no value", s.param),
                );
            }
            if let Some(p) = params.get(i) {
                match &p.ty {
                    ir::Ty::Int { min, max } => {
                        for v in &values {
                            if v < min || v > max {
                                self.err(
                                    Some(field),
                                    format!("value {v} of `{}` is outside {min}..={max}", s.param),
                                );
                            }
                        }
                    }
                    ir::Ty::Enum { allowed, set } => {
                        for v in &values {
                            if !allowed.contains(v) {
                                self.err(
                                    Some(field),
                                    format!(
                                        "value {v} of `{}` is not allowed by value set `{set}`",
                                        s.param
                                    ),
                                );
                            }
                        }
                    }
                    _ => self.err(
                        Some(field),
                        format!("condition on `{}`, which is not an integer", s.param),
                    ),
                }
            }
            out.push(ir::Cond { param: i, values });
        }
        out
    }

    fn rules(&mut self, list: &[model::Rule], params: &[ir::Param]) -> Vec<ir::Rule> {
        let mut out = Vec::new();
        for r in list {
            let idx = |cx: &mut Self, names: &[String]| -> Vec<usize> {
                names
                    .iter()
                    .filter_map(|n| cx.index_of(params, n, "rules"))
                    .collect()
            };
            let rule = match r {
                model::Rule::Order {
                    lesser,
                    greater,
                    section,
                } => {
                    let (a, b) = (
                        self.index_of(params, lesser, "rules"),
                        self.index_of(params, greater, "rules"),
                    );
                    for i in [a, b].into_iter().flatten() {
                        if params.get(i).is_some_and(|p| !p.ty.is_integer()) {
                            self.err(Some("rules"), "an Order rule compares integers".into());
                        }
                    }
                    match (a, b) {
                        (Some(lesser), Some(greater)) => ir::Rule::Order {
                            lesser,
                            greater,
                            section: section.clone(),
                        },
                        _ => continue,
                    }
                }
                model::Rule::Together {
                    params: ps,
                    section,
                } => {
                    if ps.len() < 2 {
                        self.err(
                            Some("rules"),
                            "a Together rule needs two parameters or more".into(),
                        );
                    }
                    ir::Rule::Together {
                        params: idx(self, ps),
                        section: section.clone(),
                    }
                }
                model::Rule::AnyOf {
                    params: ps,
                    section,
                } => ir::Rule::AnyOf {
                    params: idx(self, ps),
                    section: section.clone(),
                },
                model::Rule::Require {
                    when,
                    params: ps,
                    section,
                } => {
                    let when = self.conds(when, params, "rules");
                    let ps = idx(self, ps);
                    ir::Rule::Require {
                        when,
                        params: ps,
                        section: section.clone(),
                    }
                }
                model::Rule::Forbid {
                    when,
                    params: ps,
                    section,
                } => {
                    let when = self.conds(when, params, "rules");
                    let ps = idx(self, ps);
                    ir::Rule::Forbid {
                        when,
                        params: ps,
                        section: section.clone(),
                    }
                }
                model::Rule::Reject {
                    when,
                    reason,
                    section,
                } => {
                    let when = self.conds(when, params, "rules");
                    ir::Rule::Reject {
                        when,
                        reason: reason.clone(),
                        section: section.clone(),
                    }
                }
                model::Rule::Range {
                    when,
                    param,
                    min,
                    max,
                    section,
                } => {
                    let when = self.conds(when, params, "rules");
                    let Some(i) = self.index_of(params, param, "rules") else {
                        continue;
                    };
                    if let Some(ir::Ty::Int { min: lo, max: hi }) = params.get(i).map(|p| &p.ty) {
                        if min > max || min < lo || max > hi {
                            self.err(Some("rules"), format!("range {min}..={max} of `{param}` is not within its type's {lo}..={hi}"));
                        }
                    } else {
                        self.err(
                            Some("rules"),
                            format!("a Range rule needs an integer parameter, `{param}` is not"),
                        );
                    }
                    ir::Rule::Range {
                        when,
                        param: i,
                        min: *min,
                        max: *max,
                        section: section.clone(),
                    }
                }
            };
            out.push(rule);
        }
        out
    }

    fn binding(
        &mut self,
        b: &Option<model::OptionBinding>,
        params: &[ir::Param],
        tables: &BTreeMap<String, ir::OptionTable>,
    ) -> Option<ir::Binding> {
        let b = b.as_ref()?;
        let id_param = self.index_of(params, &b.id_param, "options")?;
        if params.get(id_param).is_some_and(|p| !p.ty.is_integer()) {
            self.err(
                Some("options"),
                format!("option number parameter `{}` is not an integer", b.id_param),
            );
        }
        let key_param = match &b.key_param {
            Some(k) => Some(self.index_of(params, k, "options")?),
            None => None,
        };
        let key_allowed: Option<Vec<i64>> =
            key_param.and_then(|k| match params.get(k).map(|p| &p.ty) {
                Some(ir::Ty::Enum { allowed, .. }) => Some(allowed.clone()),
                Some(ir::Ty::Int { min, max })
                    if max.checked_sub(*min).is_some_and(|d| d < 4096) =>
                {
                    Some((*min..=*max).collect())
                }
                _ => None,
            });
        let mut seen_keys = BTreeSet::new();
        let mut out = Vec::new();
        if b.tables.is_empty() {
            self.err(
                Some("options"),
                "an option binding needs at least one table".into(),
            );
        }
        for t in &b.tables {
            if !tables.contains_key(&t.table) {
                self.err(
                    Some("options"),
                    format!("unknown option table `{}`", t.table),
                );
            }
            let mut keys = t.keys.clone();
            keys.sort_unstable();
            keys.dedup();
            if key_param.is_none() && !keys.is_empty() {
                self.err(
                    Some("options"),
                    format!(
                        "table `{}` has keys but the binding has no key parameter",
                        t.table
                    ),
                );
            }
            if key_param.is_some() && keys.is_empty() {
                self.err(
                    Some("options"),
                    format!("table `{}` lists no key value", t.table),
                );
            }
            for k in &keys {
                if !seen_keys.insert(*k) {
                    self.err(Some("options"), format!("key {k} picks two tables"));
                }
                if let Some(allowed) = &key_allowed {
                    if !allowed.contains(k) {
                        self.err(
                            Some("options"),
                            format!(
                                "key {k} of table `{}` is not a value of the key parameter",
                                t.table
                            ),
                        );
                    }
                }
            }
            out.push((keys, t.table.clone()));
        }
        if key_param.is_none() && out.len() > 1 {
            self.err(
                Some("options"),
                "several tables need a key parameter to choose among them".into(),
            );
        }
        Some(ir::Binding {
            id_param,
            key_param,
            tables: out,
            access: b.access,
        })
    }

    // ----------------------------------------------------------- option tables

    fn option_tables(
        &mut self,
        list: &[model::OptionTable],
        sets: &BTreeMap<String, ir::ValueSet>,
    ) -> Vec<ir::OptionTable> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
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
                let values = self.params(&o.values, sets, "values");
                let rest = self.rest(&o.rest, sets);
                let read = match &o.read {
                    Some(rd) => self.params(rd, sets, "read"),
                    None => values.clone(),
                };
                let rules = self.rules(&o.rules, &values);
                if let model::AccessSpec::PerKey(m) = &o.access {
                    if m.is_empty() {
                        self.err(Some("access"), "PerKey access lists no key".into());
                    }
                }
                options.push(ir::Opt {
                    id: o.id,
                    name: o.name.clone(),
                    rust: r,
                    doc: o.doc.clone(),
                    section: o.section.clone().unwrap_or_else(|| t.section.clone()),
                    read_rest: rest.clone(),
                    values,
                    rest,
                    read,
                    read_repeats: o.read_repeats,
                    rules,
                    access: o.access.clone(),
                });
                self.leave();
            }
            options.sort_by_key(|o| o.id);
            out.push(ir::OptionTable {
                id: t.id.clone(),
                rust,
                title: t.title.clone(),
                section: t.section.clone(),
                options,
            });
            self.leave();
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// A PerKey access must name keys that some binding maps to the table,
    /// else the table refers to a protocol that cannot reach it.
    fn per_key_access(
        &mut self,
        tables: &[ir::OptionTable],
        commands: &[ir::Command],
        messages: &[ir::Message],
        _sets: &BTreeMap<String, ir::ValueSet>,
    ) {
        let mut keys_of: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
        let mut unkeyed: BTreeSet<&str> = BTreeSet::new();
        let bindings = commands
            .iter()
            .flat_map(|c| c.forms.iter().filter_map(|f| f.options.as_ref()))
            .chain(messages.iter().filter_map(|m| m.options.as_ref()));
        for b in bindings {
            for (keys, t) in &b.tables {
                if b.key_param.is_none() {
                    unkeyed.insert(t);
                }
                keys_of.entry(t).or_default().extend(keys.iter().copied());
            }
        }
        for t in tables {
            for o in &t.options {
                let model::AccessSpec::PerKey(m) = &o.access else {
                    continue;
                };
                self.enter(
                    format!("option_tables[{}]", t.id),
                    Some(format!("id: {}", q(&t.id))),
                );
                self.enter(format!("options[{}]", o.id), Some(format!("id: {}", o.id)));
                if unkeyed.contains(t.id.as_str()) {
                    self.err(
                        Some("access"),
                        "PerKey access in a table used without a key parameter".into(),
                    );
                }
                let known = keys_of.get(t.id.as_str());
                for k in m.keys() {
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
    }

    // ----------------------------------------------------------- errors

    fn errors(
        &mut self,
        list: &[model::ErrorCode],
        reserved: &[model::ReservedErrors],
    ) -> Vec<ir::ErrorCode> {
        let mut seen = BTreeSet::new();
        let mut rusts = BTreeSet::new();
        let mut out = Vec::new();
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
            out.push(ir::ErrorCode {
                code: e.code,
                text: e.text.clone(),
                rust: r,
                section: e.section.clone(),
                group: e.group.clone(),
            });
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
        out.sort_by_key(|e| e.code);
        out
    }

    // ----------------------------------------------------------- messages

    fn messages(
        &mut self,
        list: &[model::Message],
        sets: &BTreeMap<String, ir::ValueSet>,
        tables: &BTreeMap<String, ir::OptionTable>,
    ) -> Vec<ir::Message> {
        let mut seen = BTreeSet::new();
        let mut out: Vec<ir::Message> = Vec::new();
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
                }
            }
            let fields = self.params(&m.fields, sets, "fields");
            let text_at: Vec<usize> = fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.ty == ir::Ty::Text)
                .map(|(i, _)| i)
                .collect();
            if !text_at.is_empty() && (fields.len() != 1 || m.rest.is_some() || m.options.is_some())
            {
                self.err(
                    Some("fields"),
                    "a free-text field must be the message's only field".into(),
                );
            }
            let select = self.conds(&m.select, &fields, "select");
            let rest = self.rest(&m.rest, sets);
            let options = self.binding(&m.options, &fields, tables);
            if rest.is_some() && options.is_some() {
                self.err(
                    Some("rest"),
                    "a message cannot have both a repeated group and option values".into(),
                );
            }
            let rules = self.rules(&m.rules, &fields);
            out.push(ir::Message {
                id: m.id.clone(),
                prefix: m.prefix.clone(),
                kind: m.kind,
                section: m.section.clone(),
                doc: m.doc.clone(),
                select,
                fields,
                rest,
                options,
                rules,
            });
            self.leave();
        }
        // Messages sharing a prefix must be told apart by arity or by a
        // discriminating field value.
        for (i, a) in out.iter().enumerate() {
            for b in out.iter().skip(i + 1) {
                if a.prefix != b.prefix || a.prefix.is_none() {
                    continue;
                }
                let arity_overlap = arity(a, tables).overlaps(&arity(b, tables));
                let disjoint = a.select.iter().any(|ca| {
                    b.select.iter().any(|cb| {
                        ca.param == cb.param && ca.values.iter().all(|v| !cb.values.contains(v))
                    })
                });
                if arity_overlap && !disjoint {
                    self.enter(
                        format!("messages[{}]", b.id),
                        Some(format!("id: {}", q(&b.id))),
                    );
                    self.err(Some("select"), format!(
                        "`{}` and `{}` share the prefix {} and cannot be told apart by arity or by a `select` on the same field",
                        a.id, b.id, a.prefix.as_deref().unwrap_or("")
                    ));
                    self.leave();
                }
            }
        }
        out
    }

    // ----------------------------------------------------------- commands

    fn commands(
        &mut self,
        list: &[model::Command],
        sets: &BTreeMap<String, ir::ValueSet>,
        tables: &BTreeMap<String, ir::OptionTable>,
        messages: &[ir::Message],
        codes: &BTreeSet<u32>,
    ) -> Vec<ir::Command> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
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
            let mut errors = c.errors.clone();
            errors.sort_unstable();
            for (n, e) in errors.iter().enumerate() {
                if !codes.contains(e) {
                    self.err(
                        Some("errors"),
                        format!("error code {e} is used but not defined in `errors`"),
                    );
                }
                if n > 0 && errors.get(n - 1) == Some(e) {
                    self.err(Some("errors"), format!("error code {e} is listed twice"));
                }
            }
            errors.dedup();
            if c.timeout_ms == 0 {
                self.err(
                    Some("timeout_ms"),
                    "a timeout of 0 ms leaves no time for an answer".into(),
                );
            }
            let mut forms = Vec::new();
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
                forms.push(self.form(f, &rust, sets, tables, messages));
                self.leave();
            }
            self.discriminators(&forms);
            out.push(ir::Command {
                name: c.name.clone(),
                rust,
                title: c.title.clone(),
                section: c.section.clone(),
                doc: c.doc.clone(),
                timeout_ms: c.timeout_ms,
                timeout_doc: c.timeout_doc.clone(),
                errors,
                errors_section: c.errors_section.clone(),
                forms,
            });
            self.leave();
        }
        out
    }

    fn form(
        &mut self,
        f: &model::Form,
        cmd_rust: &str,
        sets: &BTreeMap<String, ir::ValueSet>,
        tables: &BTreeMap<String, ir::OptionTable>,
        messages: &[ir::Message],
    ) -> ir::Form {
        let params = self.params(&f.params, sets, "params");
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
            if params.get(s.param).is_some_and(|p| p.optional) {
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
        let rest = self.rest(&f.rest, sets);
        let options = self.binding(&f.options, &params, tables);
        if rest.is_some() && options.is_some() {
            self.err(
                Some("rest"),
                "a form cannot have both a repeated group and option values".into(),
            );
        }
        let rules = self.rules(&f.rules, &params);
        for id in &f.responses {
            match messages.iter().find(|m| &m.id == id) {
                None => self.err(Some("responses"), format!("unknown message `{id}`")),
                Some(m) if m.kind == MessageKind::Urc => self.err(
                    Some("responses"),
                    format!("`{id}` is a URC, not an information response"),
                ),
                _ => {}
            }
        }
        for id in &f.urcs {
            match messages.iter().find(|m| &m.id == id) {
                None => self.err(Some("urcs"), format!("unknown message `{id}`")),
                Some(m) if m.kind == MessageKind::Info => self.err(
                    Some("urcs"),
                    format!("`{id}` is an information response, not a URC"),
                ),
                _ => {}
            }
        }
        let mut outcomes = Vec::new();
        for o in &f.outcomes {
            let when = self.conds(&o.when, &params, "outcomes");
            if o.etx.is_some() && o.data != model::DataMode::Continuous {
                self.err(
                    Some("outcomes"),
                    "an ETX meaning only applies to continuous mode".into(),
                );
            }
            outcomes.push(ir::Outcome {
                when,
                data: o.data,
                etx: o.etx,
                section: o.section.clone(),
            });
        }
        if !ident::is_valid(&f.name) {
            self.err(
                Some("name"),
                format!("form name `{}` is not a valid Rust identifier", f.name),
            );
        }
        ir::Form {
            kind: f.kind,
            name: f.name.clone(),
            rust: format!("{cmd_rust}{}", f.name),
            section: f.section.clone(),
            doc: f.doc.clone(),
            select,
            params,
            rest,
            options,
            rules,
            responses: f.responses.clone(),
            urcs: f.urcs.clone(),
            outcomes,
        }
    }

    /// Action forms of one command must be told apart by their
    /// discriminators: two forms need a discriminating parameter at the
    /// same position whose value sets are disjoint.
    fn discriminators(&mut self, forms: &[ir::Form]) {
        let actions: Vec<&ir::Form> = forms
            .iter()
            .filter(|f| f.kind == FormKind::Action)
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
                let disjoint = a.select.iter().any(|ca| {
                    b.select.iter().any(|cb| {
                        ca.param == cb.param && ca.values.iter().all(|v| !cb.values.contains(v))
                    })
                });
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
    fn type_names(
        &mut self,
        sets: &[ir::ValueSet],
        tables: &[ir::OptionTable],
        commands: &[ir::Command],
        messages: &[ir::Message],
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
        for s in sets {
            add(self, &s.rust, format!("value set `{}`", s.id));
        }
        for t in tables {
            add(self, &t.rust, format!("option table `{}`", t.id));
        }
        for c in commands {
            for f in &c.forms {
                add(self, &f.rust, format!("form `{}` of {}", f.name, c.name));
            }
        }
        for m in messages {
            add(self, &m.id, format!("message `{}`", m.id));
        }
    }

    // ----------------------------------------------------------- limits, errata

    fn limits(&mut self, list: &[model::Limit]) -> Vec<ir::Limit> {
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
                ir::Limit {
                    id: l.id.clone(),
                    value: l.value,
                    unit: l.unit.clone(),
                    doc: l.doc.clone(),
                    section: l.section.clone(),
                }
            })
            .collect()
    }

    fn errata(
        &mut self,
        list: &[model::Erratum],
        commands: &[ir::Command],
        messages: &[ir::Message],
    ) -> Vec<ir::Erratum> {
        let mut seen = BTreeSet::new();
        let known: BTreeSet<String> = commands
            .iter()
            .map(|c| c.name.clone())
            .chain(messages.iter().filter_map(|m| m.prefix.clone()))
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
                ir::Erratum {
                    id: e.id.clone(),
                    sections: e.sections.clone(),
                    items: e.items.clone(),
                    issue: e.issue.clone(),
                    decision: e.decision.clone(),
                }
            })
            .collect()
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
fn arity(m: &ir::Message, tables: &BTreeMap<String, ir::OptionTable>) -> Arity {
    let mandatory = m.fields.iter().filter(|f| !f.optional).count();
    let all = m.fields.len();
    if m.rest.is_some() {
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
    for (_, t) in &b.tables {
        let Some(t) = tables.get(t) else { continue };
        for o in &t.options {
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
