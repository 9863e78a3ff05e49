//! The `direct(...) { ... }` section of a message's `__typed_message!`:
//! what its decoder of lines needs to read each field straight into the
//! typed value (types, ranges, value sets, lengths, discriminators, the
//! rules across integers), in one pass.
//!
//! An option-table message (its option number last) reads the number,
//! then the option's values through the value enum's own direct reader
//! (`__option_values!`, through `__keyed_options!` for a table a key
//! picks). A message the section cannot describe exactly (a repeated
//! group, optional fields, a rule over strings or presence, a
//! discriminator on a string) gets none, and its lines are decoded by the
//! engine alone.

use super::fields::{Kind, Plan, Role};
use super::str_lit;
use wip_schema::{Cond, Format, Message, Rule, Ty};

/// How one parameter is read.
enum Read {
    /// An integer, its values given by `item`: rules may read it.
    Int(String),
    /// Anything else.
    Other(String),
}

/// The section for message `m` of fields `plan`, as text, without its
/// indentation; `None` where the engine must decode its lines.
pub(crate) fn section(m: &Message, plan: &Plan) -> Option<String> {
    if m.rest.is_some() || plan.roles.len() != m.fields.len() {
        return None;
    }
    let n = m.fields.len();
    // An option table (or a table a key before it picks), its option
    // number the last field, so the option's values follow it.
    let mut key = None;
    if let Some(b) = &m.options {
        if b.key_param.is_some_and(|k| k >= b.id_param) || b.id_param + 1 != n {
            return None;
        }
        key = b.key_param;
    }
    // Free text last takes the rest of the line, and the engine's one-pass
    // binder reads such a line only when nothing is selected.
    let text_last = n > 1 && m.fields.last().is_some_and(|p| p.ty == Ty::Text);
    if text_last && !m.select.is_empty() {
        return None;
    }
    let mut reads = Vec::with_capacity(n);
    for (i, (p, role)) in m.fields.iter().zip(&plan.roles).enumerate() {
        if p.optional {
            return None;
        }
        let conds: Vec<&Cond> = m.select.iter().filter(|c| c.param == i).collect();
        let to = match role {
            Role::Field(f) => match plan.fields.get(*f) {
                Some(f)
                    if matches!(
                        f.kind,
                        Kind::Param {
                            optional: false,
                            ..
                        }
                    ) =>
                {
                    format!(" => {}", f.ident)
                }
                _ => return None,
            },
            Role::Const(_) | Role::OptionKey => String::new(),
            Role::OptionId if conds.is_empty() => {
                let f = plan.option_field()?;
                let ty = super::type_text(&f.ty);
                let by = key.map(|k| format!(" by p{k}")).unwrap_or_default();
                reads.push(Read::Int(format!("(option p{i} {ty}{by} => {})", f.ident)));
                continue;
            }
            _ => return None,
        };
        let name = format!("p{i}");
        let read = if conds.is_empty() {
            match &p.ty {
                Ty::Int { min, max } => Read::Int(format!("(int {name} {min} {max}{to})")),
                Ty::Enum { allowed, .. } => {
                    Read::Int(format!("(set {name} [{}]{to})", alts(allowed)?))
                }
                Ty::Code { .. } => Read::Int(format!("(code {name} {i}{to})")),
                Ty::Str { max_len: Some(l) } => Read::Other(format!("(str {name} {l}{to})")),
                Ty::Str { max_len: None } => Read::Other(format!("(str {name}{to})")),
                Ty::Hex { max_bytes } => Read::Other(format!("(hex {name} {max_bytes}{to})")),
                Ty::Ip => Read::Other(format!("(ip {name}{to})")),
                Ty::Text if n == 1 && m.select.is_empty() => {
                    Read::Other(format!("(all {name}{to})"))
                }
                Ty::Text if n > 1 && i + 1 == n => Read::Other(format!("(tail {name}{to})")),
                _ => Read::Other(format!("(fit {name} {i}{to})")),
            }
        } else {
            // A discriminator: the values both its type and the select allow.
            let mut vals: Vec<i64> = Vec::new();
            for c in &conds {
                if c.given.is_some() || !c.texts.is_empty() {
                    return None;
                }
            }
            let first = conds.first()?;
            for v in first.values.iter() {
                let fits = match &p.ty {
                    Ty::Int { min, max } => (*min..=*max).contains(v),
                    Ty::Enum { allowed, .. } => allowed.contains(v),
                    _ => return None,
                };
                if fits && conds.iter().all(|c| c.values.contains(v)) {
                    vals.push(*v);
                }
            }
            Read::Int(format!("(set {name} [{}]{to})", alts(&vals)?))
        };
        reads.push(read);
    }
    if m.select.iter().any(|c| c.param >= n) {
        return None;
    }
    let int = |i: usize| matches!(reads.get(i), Some(Read::Int(_)));
    let mut rules = Vec::new();
    for r in m.rules.iter() {
        let when = |when: &[Cond]| -> Option<String> {
            let mut out = String::new();
            for c in when {
                if c.given.is_some() || !c.texts.is_empty() || !int(c.param) {
                    return None;
                }
                out.push_str(&format!(" if p{} [{}]", c.param, alts(&c.values)?));
            }
            Some(out)
        };
        rules.push(match r {
            Rule::Order { lesser, greater } if int(*lesser) && int(*greater) => {
                format!("(order p{lesser} p{greater})")
            }
            Rule::Range {
                when: w,
                param,
                min,
                max,
            } if int(*param) => format!("(range p{param} {min} {max}{})", when(w)?),
            Rule::Format {
                when: w,
                param,
                format: Format::Digits { min, max },
            } if int(*param) => format!("(digits p{param} {min} {max}{})", when(w)?),
            _ => return None,
        });
    }
    let prefix = match (&m.prefix, m.glued) {
        (None, _) => "none".to_string(),
        (Some(p), true) => format!("glued {}", str_lit(p)),
        (Some(p), false) => str_lit(p),
    };
    let items: Vec<String> = reads
        .into_iter()
        .map(|r| match r {
            Read::Int(s) | Read::Other(s) => s,
        })
        .collect();
    Some(layout(&prefix, &items, &rules))
}

/// `a | b | c`; `None` for no value.
fn alts(vals: &[i64]) -> Option<String> {
    if vals.is_empty() {
        return None;
    }
    Some(
        vals.iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(" | "),
    )
}

/// The section laid out as [`super::call`] lays out its entries: items
/// then rules, as many a line as fit.
fn layout(prefix: &str, items: &[String], rules: &[String]) -> String {
    let mut out = format!("    direct({prefix}) {{\n");
    if rules.is_empty() {
        super::fill_lines(&mut out, items, ',');
    } else {
        super::fill_lines(&mut out, items, ';');
        super::fill_lines(&mut out, rules, ',');
    }
    out.push_str("    }\n");
    out
}

/// The invocation `call` (of `__typed_message!`, as [`super::call`] lays
/// it out) with the section added, if any.
pub(crate) fn with_section(call: String, section: Option<String>) -> String {
    let Some(section) = section else {
        return call;
    };
    match call.strip_suffix("}\n") {
        Some(head) => format!("{head}{section}}}\n"),
        None => call,
    }
}
