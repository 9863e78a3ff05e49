//! Checks of value sets, types, parameters, conditions, rules and option bindings.

use super::{owned, q, Cx};
use crate::ident;
use crate::model;
use crate::model::{Coded, Literal};
use crate::notes::{ParamNotes, RestNotes, ValueNotes, ValueSetNotes};
use std::collections::BTreeSet;
use wip_schema as s;

impl Cx<'_> {
    /// Whether `v` is a code of error table `table` (one of its codes or
    /// reserved ranges), or of the spec's own codes for `None`.
    fn code_accepts(&self, table: Option<usize>, v: i64) -> bool {
        let Ok(c) = u32::try_from(v) else {
            return false;
        };
        match table {
            Some(t) => self.table_codes.get(t).is_some_and(|(codes, reserved)| {
                codes.contains(&c) || reserved.iter().any(|(a, b)| (*a..=*b).contains(&c))
            }),
            None => self.own_codes.contains(&c),
        }
    }

    // ----------------------------------------------------------- value sets

    /// Checks the value sets and keeps them, sorted by id, for the types
    /// that refer to them; returns their notes in the same order.
    pub(super) fn value_sets(&mut self, list: &[model::ValueSet]) -> Vec<ValueSetNotes> {
        let mut seen = BTreeSet::new();
        let mut out: Vec<(s::ValueSet, ValueSetNotes)> = Vec::new();
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
            let strings = vs
                .values
                .first()
                .is_some_and(|v| matches!(v.value, Coded::Str(_)));
            let mut values = Vec::new();
            let mut texts = Vec::new();
            let mut nums = BTreeSet::new();
            let mut names = BTreeSet::new();
            for v in &vs.values {
                self.enter(
                    format!("values[{}]", v.value),
                    Some(format!("value: {}", v.value)),
                );
                if !nums.insert(v.value.clone()) {
                    self.err(Some("value"), format!("duplicate value {}", v.value));
                }
                let r = self.rust_name(&v.rust, ident::camel(&v.name));
                if !names.insert(r.clone()) {
                    self.err(Some("name"), format!("two values of the set are both named `{r}` in Rust; give one a `rust:` name"));
                }
                let notes = ValueNotes {
                    rust: r,
                    doc: v.doc.clone(),
                };
                match &v.value {
                    Coded::Int(x) if !strings => values.push(((*x, owned(&v.name)), notes)),
                    Coded::Str(x) if strings => {
                        if x.contains(['"', '\r', '\n']) || x.is_empty() {
                            self.err(
                                Some("value"),
                                format!("string value {:?} must be non-empty, without a double quote or a line end", x),
                            );
                        }
                        texts.push(((owned(x), owned(&v.name)), notes));
                    }
                    _ => self.err(
                        Some("value"),
                        format!(
                            "value {} mixes kinds: a value set is all integers or all strings",
                            v.value
                        ),
                    ),
                }
                self.leave();
            }
            values.sort_by_key(|v| v.0 .0);
            texts.sort_by(|a, b| a.0 .0.cmp(&b.0 .0));
            let _ = n;
            let (values, mut value_notes): (Vec<_>, Vec<_>) = values.into_iter().unzip();
            let (texts, text_notes): (Vec<_>, Vec<_>) = texts.into_iter().unzip();
            value_notes.extend(text_notes);
            out.push((
                s::ValueSet {
                    id: owned(&vs.id),
                    values: values.into(),
                    texts: texts.into(),
                },
                ValueSetNotes {
                    rust,
                    doc: vs.doc.clone(),
                    section: vs.section.clone(),
                    values: value_notes,
                },
            ));
            self.leave();
        }
        out.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        let (sets, notes): (Vec<_>, Vec<_>) = out.into_iter().unzip();
        self.sets = sets;
        notes
    }

    /// The index of a value set by id (the last of that id, as a map
    /// built from the list would keep it).
    fn set_index(&self, id: &str) -> Option<usize> {
        self.sets.iter().rposition(|v| v.id == id)
    }

    /// The id of a value set by index, for messages.
    fn set_id(&self, set: usize) -> String {
        self.sets
            .get(set)
            .map_or_else(String::new, |v| v.id.to_string())
    }

    // ----------------------------------------------------------- types

    pub(super) fn ty(&mut self, t: &model::Type) -> s::Ty {
        match t {
            model::Type::Int { min, max } => {
                if min > max {
                    self.err(Some("ty"), format!("empty range: min {min} > max {max}"));
                }
                s::Ty::Int {
                    min: *min,
                    max: *max,
                }
            }
            model::Type::Enum { set, only } => {
                let found = self
                    .set_index(set)
                    .and_then(|i| Some((i, self.sets.get(i)?)));
                if let Some((i, vs)) = found.filter(|(_, vs)| !vs.texts.is_empty()) {
                    let all: Vec<String> = vs.texts.iter().map(|v| v.0.to_string()).collect();
                    return self.text_enum(set, i, all, only);
                }
                let (index, all): (usize, Vec<i64>) = match found {
                    Some((i, vs)) => (i, vs.values.iter().map(|v| v.0).collect()),
                    None => {
                        self.err(Some("ty"), format!("unknown value set `{set}`"));
                        // Carry on as an unbounded integer so one unknown
                        // set gives one diagnostic, not one per use.
                        return s::Ty::Int {
                            min: i64::MIN,
                            max: i64::MAX,
                        };
                    }
                };
                let mut allowed: Vec<i64> = if only.is_empty() {
                    all.clone()
                } else {
                    let mut out = Vec::new();
                    for v in only {
                        match v {
                            Coded::Int(x) => {
                                if !all.is_empty() && !all.contains(x) {
                                    self.err(
                                        Some("ty"),
                                        format!("`only` value {x} is not in value set `{set}`"),
                                    );
                                }
                                out.push(*x);
                            }
                            Coded::Str(_) => self.err(
                                Some("ty"),
                                format!("`only` value {v} is a string, but value set `{set}` holds integers"),
                            ),
                        }
                    }
                    out
                };
                allowed.sort_unstable();
                allowed.dedup();
                s::Ty::Enum {
                    set: index,
                    allowed: allowed.into(),
                }
            }
            model::Type::Str { max_len } => s::Ty::Str { max_len: *max_len },
            model::Type::Host { max_len, v6: false } => s::Ty::Host { max_len: *max_len },
            model::Type::Host { max_len, v6: true } => s::Ty::HostAny { max_len: *max_len },
            model::Type::IpAny => s::Ty::IpAny,
            model::Type::Code { table, success } => {
                // `cme` names the spec's own codes (`errors`) when no
                // named table has that id.
                let own = table == "cme" && self.has_own_errors;
                match self.error_table_ids.iter().position(|t| t == table) {
                    Some(t) => s::Ty::Code {
                        table: Some(t),
                        success: *success,
                    },
                    None if own => s::Ty::Code {
                        table: None,
                        success: *success,
                    },
                    None => {
                        self.err(Some("ty"), format!("no error table `{table}`"));
                        s::Ty::Int {
                            min: 0,
                            max: i64::from(u32::MAX),
                        }
                    }
                }
            }
            model::Type::Ip => s::Ty::Ip,
            model::Type::Hex { max_bytes } => {
                if *max_bytes == 0 {
                    self.err(
                        Some("ty"),
                        "a hex dump needs max_bytes of at least 1".into(),
                    );
                }
                s::Ty::Hex {
                    max_bytes: *max_bytes,
                }
            }
            model::Type::Text => s::Ty::Text,
            model::Type::Ranges => s::Ty::Ranges,
            model::Type::Token => s::Ty::Token,
            // The count field is resolved by name with the message's other
            // fields (`Cx::counted`).
            model::Type::Counted { .. } => s::Ty::Counted {
                len_field: usize::MAX,
            },
        }
    }

    /// The type of a value of a set of strings, `only` some of them.
    fn text_enum(&mut self, set: &str, index: usize, all: Vec<String>, only: &[Coded]) -> s::Ty {
        let mut allowed: Vec<String> = if only.is_empty() {
            all
        } else {
            let mut out = Vec::new();
            for v in only {
                match v {
                    Coded::Str(x) => {
                        if !all.contains(x) {
                            self.err(
                                Some("ty"),
                                format!("`only` value {v} is not in value set `{set}`"),
                            );
                        }
                        out.push(x.clone());
                    }
                    Coded::Int(_) => self.err(
                        Some("ty"),
                        format!(
                            "`only` value {v} is an integer, but value set `{set}` holds strings"
                        ),
                    ),
                }
            }
            out
        };
        allowed.sort_unstable();
        allowed.dedup();
        s::Ty::StrEnum {
            set: index,
            allowed: allowed
                .into_iter()
                .map(Into::into)
                .collect::<Vec<_>>()
                .into(),
        }
    }

    pub(super) fn literal_fits(&mut self, lit: &Literal, ty: &s::Ty) {
        let problem = match (lit, ty) {
            (Literal::Int(v), s::Ty::Int { min, max }) => {
                (v < min || v > max).then(|| format!("default {v} is outside {min}..={max}"))
            }
            (Literal::Int(v), s::Ty::Enum { set, allowed }) => (!allowed.contains(v)).then(|| {
                let names: Vec<String> = allowed
                    .iter()
                    .map(|a| {
                        match self
                            .sets
                            .get(*set)
                            .and_then(|s| s.values.iter().find(|x| x.0 == *a))
                        {
                            Some(x) => format!("{a} ({})", x.1),
                            None => a.to_string(),
                        }
                    })
                    .collect();
                format!(
                    "default {v} is not one of the allowed values {}",
                    names.join(", ")
                )
            }),
            (
                Literal::Str(s),
                s::Ty::Str { max_len } | s::Ty::Host { max_len } | s::Ty::HostAny { max_len },
            ) => match max_len {
                Some(m) if s.chars().count() > *m as usize => {
                    Some(format!("default \"{s}\" is longer than {m} characters"))
                }
                _ => None,
            },
            (Literal::Str(_), s::Ty::Ip | s::Ty::Text | s::Ty::IpAny) => None,
            (Literal::Str(v), s::Ty::StrEnum { allowed, .. }) => (!allowed.iter().any(|a| a == v))
                .then(|| {
                    let names: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
                    format!(
                        "default \"{v}\" is not one of the allowed values {}",
                        names.join(", ")
                    )
                }),
            (Literal::Str(v), s::Ty::Token) => (!wip_schema::value::is_token(v)).then(|| {
                format!("default \"{v}\" is not a token (one bare word that is not an integer, without ',' or '\"')")
            }),
            (Literal::Int(v), s::Ty::Code { .. }) => {
                (*v < 0).then(|| format!("default {v} is not an error code"))
            }
            (Literal::Str(s), s::Ty::Hex { max_bytes }) => (s.len() % 2 != 0
                || s.len() / 2 > *max_bytes as usize
                || !s.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| format!("default \"{s}\" is not a hex dump of at most {max_bytes} bytes")),
            (Literal::Str(s), s::Ty::Ranges) => wip_schema::Ranges::parse(s)
                .err()
                .map(|e| format!("default \"{s}\" is not a list such as \"(0-31,99)\" ({e})")),
            (Literal::Int(v), _) => Some(format!("default {v} is an integer but the type is not")),
            (Literal::Str(s), _) => Some(format!(
                "default \"{s}\" is a string but the type is an integer"
            )),
        };
        if let Some(p) = problem {
            self.err(Some("default"), p);
        }
    }

    pub(super) fn param(&mut self, p: &model::Param) -> (s::Param, ParamNotes) {
        if p.name.trim().is_empty() {
            self.err(Some("name"), "a parameter needs a name".into());
        }
        let rust = self.rust_name(&p.rust, ident::snake(&p.name));
        let ty = self.ty(&p.ty);
        if let Some(d) = &p.default {
            self.literal_fits(d, &ty);
        }
        if p.keep_empty && (!p.optional || p.default.is_some()) {
            self.err(
                Some("keep_empty"),
                format!(
                    "parameter `{}`: `keep_empty` is for an optional parameter without a default (its field is written empty when it is left out)",
                    p.name
                ),
            );
        }
        (
            s::Param {
                name: owned(&p.name),
                ty,
                optional: p.optional,
                default: p.default.as_ref().map(|l| match l {
                    Literal::Int(v) => s::Lit::Int(*v),
                    Literal::Str(v) => s::Lit::Str(owned(v)),
                }),
                keep_empty: p.keep_empty,
            },
            ParamNotes {
                rust,
                doc: p.doc.clone(),
                section: p.section.clone(),
            },
        )
    }

    pub(super) fn params(
        &mut self,
        list: &[model::Param],
        what: &str,
    ) -> (Vec<s::Param>, Vec<ParamNotes>) {
        let mut out = Vec::new();
        let mut notes = Vec::new();
        let mut names = BTreeSet::new();
        let mut rusts = BTreeSet::new();
        for p in list {
            self.enter(
                format!("{what}[{}]", p.name),
                Some(format!("name: {}", q(&p.name))),
            );
            let (ip, n) = self.param(p);
            if !names.insert(p.name.clone()) {
                self.err(Some("name"), format!("duplicate {what} name `{}`", p.name));
            } else if !rusts.insert(n.rust.clone()) {
                self.err(
                    Some("name"),
                    format!("two {what} are both named `{}` in Rust", n.rust),
                );
            }
            if ip.ty == s::Ty::Text && what != "fields" {
                self.err(Some("ty"), "free text is only for message fields".into());
            }
            if matches!(ip.ty, s::Ty::Counted { .. }) && what != "fields" {
                self.err(
                    Some("ty"),
                    format!("a `Counted` field is only for a message's fields, not for {what}"),
                );
            }
            if ip.ty == s::Ty::Ranges && what != "fields" {
                self.err(
                    Some("ty"),
                    format!("a `Ranges` list is only for the fields of a test answer (a `test: true` message), not for {what}"),
                );
            }
            out.push(ip);
            notes.push(n);
            self.leave();
        }
        (out, notes)
    }

    pub(super) fn rest(&mut self, r: &Option<model::Rest>) -> Option<(s::Rest, RestNotes)> {
        let r = r.as_ref()?;
        self.enter("rest".into(), Some("rest:".into()));
        if r.group == 0 {
            self.err(
                Some("group"),
                "a repeated group needs at least one item".into(),
            );
        }
        let rust = self.rust_name(&r.rust, ident::snake(&r.name));
        let ty = self.ty(&r.ty);
        self.leave();
        Some((
            s::Rest {
                name: owned(&r.name),
                ty,
                group: r.group.max(1),
                max_groups: r.max_groups,
            },
            RestNotes {
                rust,
                doc: r.doc.clone(),
            },
        ))
    }

    pub(super) fn index_of(
        &mut self,
        params: &[s::Param],
        name: &str,
        field: &str,
    ) -> Option<usize> {
        let i = params.iter().position(|p| p.name == name);
        if i.is_none() {
            let known: Vec<&str> = params.iter().map(|p| p.name.as_ref()).collect();
            self.err(
                Some(field),
                format!("unknown parameter `{name}` (known: {})", known.join(", ")),
            );
        }
        i
    }

    pub(super) fn conds(
        &mut self,
        list: &[model::Select],
        params: &[s::Param],
        field: &str,
    ) -> Vec<s::Cond> {
        let mut out = Vec::new();
        for s in list {
            let Some(i) = self.index_of(params, &s.param, field) else {
                continue;
            };
            if let Some(g) = s.given {
                if !s.values.is_empty() {
                    self.err(
                        Some(field),
                        format!(
                            "condition on `{}` has both `given` and `values`; use one",
                            s.param
                        ),
                    );
                }
                if !g && params.get(i).is_some_and(|p| !p.optional) {
                    self.err(
                        Some(field),
                        format!(
                            "`{}` is mandatory, so `given: false` never holds; make it optional",
                            s.param
                        ),
                    );
                }
                out.push(s::Cond {
                    param: i,
                    values: Vec::new().into(),
                    given: Some(g),
                    texts: Vec::new().into(),
                });
                continue;
            }
            if s.values.is_empty() {
                self.err(
                    Some(field),
                    format!("condition on `{}` lists no value", s.param),
                );
            }
            let on_text = params
                .get(i)
                .is_some_and(|p| matches!(p.ty, s::Ty::StrEnum { .. } | s::Ty::Str { .. }));
            if on_text {
                out.push(self.text_cond(s, i, params));
                continue;
            }
            let mut values: Vec<i64> = Vec::new();
            for v in &s.values {
                match v {
                    Coded::Int(x) => values.push(*x),
                    Coded::Str(_) => self.err(
                        Some(field),
                        format!(
                            "value {v} of `{}` is a string, but `{}` is not",
                            s.param, s.param
                        ),
                    ),
                }
            }
            values.sort_unstable();
            values.dedup();
            if let Some(p) = params.get(i) {
                match &p.ty {
                    s::Ty::Int { min, max } => {
                        for v in &values {
                            if v < min || v > max {
                                self.err(
                                    Some(field),
                                    format!("value {v} of `{}` is outside {min}..={max}", s.param),
                                );
                            }
                        }
                    }
                    s::Ty::Enum { allowed, set } => {
                        let set = self.set_id(*set);
                        for v in &values {
                            if !allowed.contains(v) {
                                self.err(
                                    Some(field),
                                    format!(
                                        "value {v} of `{}` is not among the values it takes: {} (of value set `{set}`)",
                                        s.param,
                                        wip_schema::value::runs_text(allowed)
                                    ),
                                );
                            }
                        }
                    }
                    s::Ty::Code { table, success } => {
                        for v in &values {
                            if *success != Some(*v) && !self.code_accepts(*table, *v) {
                                let what = match success {
                                    Some(ok) => format!("{ok} (success) nor a code of its table"),
                                    None => "a code of its table".to_string(),
                                };
                                self.err(
                                    Some(field),
                                    format!("value {v} of `{}` is not {what}", s.param),
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
            out.push(s::Cond {
                param: i,
                values: values.into(),
                given: None,
                texts: Vec::new().into(),
            });
        }
        out
    }

    /// A condition on a string parameter: its values are strings, of the
    /// parameter's value set when it has one.
    fn text_cond(&mut self, s: &model::Select, i: usize, params: &[s::Param]) -> s::Cond {
        let field = "select";
        let allowed: Option<&[s::Text]> = match params.get(i).map(|p| &p.ty) {
            Some(s::Ty::StrEnum { allowed, .. }) => Some(allowed),
            _ => None,
        };
        let mut texts: Vec<String> = Vec::new();
        let mut problems = Vec::new();
        for v in &s.values {
            match v {
                Coded::Str(x) => {
                    if allowed.is_some_and(|a| !a.iter().any(|y| y == x)) {
                        problems.push(format!(
                            "value {v} of `{}` is not one of its allowed strings",
                            s.param
                        ));
                    }
                    texts.push(x.clone());
                }
                Coded::Int(_) => problems.push(format!(
                    "value {v} of `{}` is an integer, but `{}` is a quoted string",
                    s.param, s.param
                )),
            }
        }
        for p in problems {
            self.err(Some(field), p);
        }
        texts.sort_unstable();
        texts.dedup();
        s::Cond {
            param: i,
            values: Vec::new().into(),
            given: None,
            texts: texts.into_iter().map(Into::into).collect::<Vec<_>>().into(),
        }
    }

    /// The rules of a parameter list, and the section of each.
    pub(super) fn rules(
        &mut self,
        list: &[model::Rule],
        params: &[s::Param],
    ) -> (Vec<s::Rule>, Vec<String>) {
        let mut out = Vec::new();
        let mut sections = Vec::new();
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
                        (Some(lesser), Some(greater)) => {
                            (s::Rule::Order { lesser, greater }, section)
                        }
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
                    (s::Rule::Together(idx(self, ps).into()), section)
                }
                model::Rule::AnyOf {
                    params: ps,
                    section,
                } => (s::Rule::AnyOf(idx(self, ps).into()), section),
                model::Rule::Require {
                    when,
                    params: ps,
                    section,
                } => {
                    let when = self.conds(when, params, "rules");
                    let ps = idx(self, ps);
                    (
                        s::Rule::Require {
                            when: when.into(),
                            params: ps.into(),
                        },
                        section,
                    )
                }
                model::Rule::Forbid {
                    when,
                    params: ps,
                    section,
                } => {
                    let when = self.conds(when, params, "rules");
                    let ps = idx(self, ps);
                    (
                        s::Rule::Forbid {
                            when: when.into(),
                            params: ps.into(),
                        },
                        section,
                    )
                }
                model::Rule::Reject {
                    when,
                    reason,
                    section,
                } => {
                    let when = self.conds(when, params, "rules");
                    (
                        s::Rule::Reject {
                            when: when.into(),
                            reason: owned(reason),
                        },
                        section,
                    )
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
                    if let Some(s::Ty::Int { min: lo, max: hi }) = params.get(i).map(|p| &p.ty) {
                        if min > max || min < lo || max > hi {
                            self.err(Some("rules"), format!("range {min}..={max} of `{param}` is not within its type's {lo}..={hi}"));
                        }
                    } else {
                        self.err(
                            Some("rules"),
                            format!("a Range rule needs an integer parameter, `{param}` is not"),
                        );
                    }
                    (
                        s::Rule::Range {
                            when: when.into(),
                            param: i,
                            min: *min,
                            max: *max,
                        },
                        section,
                    )
                }
                model::Rule::Format {
                    when,
                    param,
                    format,
                    section,
                } => {
                    let when = self.conds(when, params, "rules");
                    let Some(i) = self.index_of(params, param, "rules") else {
                        continue;
                    };
                    let Some(format) = self.format(format, params.get(i).map(|p| &p.ty), param)
                    else {
                        continue;
                    };
                    (
                        s::Rule::Format {
                            when: when.into(),
                            param: i,
                            format,
                        },
                        section,
                    )
                }
            };
            out.push(rule.0);
            sections.push(rule.1.clone());
        }
        (out, sections)
    }

    /// A format rule's format, if it fits the parameter's type: a pattern
    /// is for strings, digits for strings and integers.
    fn format(&mut self, f: &model::Format, ty: Option<&s::Ty>, param: &str) -> Option<s::Format> {
        let stringy = matches!(ty, Some(s::Ty::Str { .. } | s::Ty::Host { .. }));
        match f {
            model::Format::Pattern(p) => {
                if !stringy {
                    self.err(
                        Some("rules"),
                        format!("a Pattern format needs a string parameter, `{param}` is not"),
                    );
                    return None;
                }
                if p.is_empty() || p.contains("**") || p.contains("*#") || p.contains("#*") {
                    self.err(
                        Some("rules"),
                        format!("pattern {p:?} of `{param}` is empty or has two wildcards in a row (`#` digits, `*` any text)"),
                    );
                    return None;
                }
                // A `{` after `#` opens a range `{lo-hi}`, lo at most hi.
                let bad_range = p.match_indices("#{").any(|(i, _)| {
                    p.get(i + 1..)
                        .is_none_or(|r| s::pattern_range(r.as_bytes()).is_none())
                });
                if bad_range {
                    self.err(
                        Some("rules"),
                        format!("pattern {p:?} of `{param}` has a `#{{` that is not a range `#{{lo-hi}}` with lo at most hi"),
                    );
                    return None;
                }
                Some(s::Format::Pattern(owned(p)))
            }
            model::Format::Digits { min, max } => {
                if !stringy && !matches!(ty, Some(s::Ty::Int { .. })) {
                    self.err(
                        Some("rules"),
                        format!(
                            "a Digits format needs a string or integer parameter, `{param}` is not"
                        ),
                    );
                    return None;
                }
                if *min == 0 || min > max {
                    self.err(
                        Some("rules"),
                        format!(
                            "digits {min}..={max} of `{param}`: at least one digit, and min <= max"
                        ),
                    );
                    return None;
                }
                Some(s::Format::Digits {
                    min: *min,
                    max: *max,
                })
            }
        }
    }

    pub(super) fn binding(
        &mut self,
        b: &Option<model::OptionBinding>,
        params: &[s::Param],
    ) -> Option<s::Binding> {
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
                Some(s::Ty::Enum { allowed, .. }) => Some(allowed.to_vec()),
                Some(s::Ty::Int { min, max })
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
            // The last table of that id, as a map built from the list
            // would keep it; an unknown one is reported and never read.
            let index = self.tables.iter().rposition(|x| x.id == t.table);
            if index.is_none() {
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
            out.push((keys.into(), index.unwrap_or(usize::MAX)));
        }
        if key_param.is_none() && out.len() > 1 {
            self.err(
                Some("options"),
                "several tables need a key parameter to choose among them".into(),
            );
        }
        Some(s::Binding {
            id_param,
            key_param,
            tables: out.into(),
            access: b.access,
        })
    }
}
