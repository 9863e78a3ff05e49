//! Checks of value sets, types, parameters, conditions, rules and option bindings.

use super::{q, Cx};
use crate::ident;
use crate::ir;
use crate::model;
use crate::model::Literal;
use std::collections::{BTreeMap, BTreeSet};

impl Cx<'_> {
    // ----------------------------------------------------------- value sets

    pub(super) fn value_sets(&mut self, list: &[model::ValueSet]) -> Vec<ir::ValueSet> {
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

    pub(super) fn ty(&mut self, t: &model::Type, sets: &BTreeMap<String, ir::ValueSet>) -> ir::Ty {
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

    pub(super) fn literal_fits(
        &mut self,
        lit: &Literal,
        ty: &ir::Ty,
        sets: &BTreeMap<String, ir::ValueSet>,
    ) {
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

    pub(super) fn param(
        &mut self,
        p: &model::Param,
        sets: &BTreeMap<String, ir::ValueSet>,
    ) -> ir::Param {
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

    pub(super) fn params(
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

    pub(super) fn rest(
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

    pub(super) fn index_of(
        &mut self,
        params: &[ir::Param],
        name: &str,
        field: &str,
    ) -> Option<usize> {
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

    pub(super) fn conds(
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

    pub(super) fn rules(&mut self, list: &[model::Rule], params: &[ir::Param]) -> Vec<ir::Rule> {
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

    pub(super) fn binding(
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
}
