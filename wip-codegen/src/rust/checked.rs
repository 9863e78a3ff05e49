//! The generated check and encoding of a request whose form is simple:
//! the `direct(...)` line of `__typed_command!`.
//!
//! A form is simple when the engine's check of its values
//! (`wip_schema::command::checked_line`) needs nothing but the values one
//! by one and the form's rules across parameters: no repeated group or
//! free text, no option table but one whose option it reads (its number
//! then checked as a value set); the command is the first of its name; the
//! form's own selection and every earlier form's rejection follow from its
//! constant parameters alone. Its request then checks each field against
//! its range, value set or length (constants in the generated code), its
//! rules if it has any (`(rules c f)`, by the engine on its bound values),
//! and writes its line straight into the client's buffer; any value that
//! fails sends it through the engine, which names the fault.

use super::fields::{Kind, Plan, Role};
use super::str_lit;
use wip_schema::{Access, Binding, Command, Cond, Dialect, Form, FormKind, Param, Ty, Val};

/// What a parameter of ours is known to be before the values are: given
/// with a value, left out, or a field (unknown).
enum Known {
    Value(Val),
    Absent,
    Field,
}

fn known(plan: &Plan, i: usize) -> Known {
    match plan.roles.get(i) {
        Some(Role::Const(v)) => Known::Value(Val::Int(*v)),
        Some(Role::ConstText(t)) => Known::Value(Val::Str(t.clone())),
        Some(Role::Absent) | None => Known::Absent,
        Some(_) => Known::Field,
    }
}

/// Whether a selection condition holds for our values: `None` when it
/// depends on a field.
fn holds(plan: &Plan, c: &Cond) -> Option<bool> {
    match known(plan, c.param) {
        Known::Value(v) => Some(c.holds_for(true, Some(&v))),
        Known::Absent => Some(c.holds_for(false, None)),
        Known::Field => None,
    }
}

/// The type of a quoted parameter as a `wip::Ty` expression (after
/// `Ty::`); `None` for types not written quoted or not checked here.
fn quoted_ty(ty: &Ty) -> Option<String> {
    let len = |m: &Option<u32>| match m {
        Some(m) => format!("Some({m})"),
        None => "None".to_string(),
    };
    Some(match ty {
        Ty::Str { max_len } => format!("Str {{ max_len: {} }}", len(max_len)),
        Ty::Host { max_len } => format!("Host {{ max_len: {} }}", len(max_len)),
        Ty::HostAny { max_len } => format!("HostAny {{ max_len: {} }}", len(max_len)),
        Ty::Ip => "Ip".to_string(),
        Ty::IpAny => "IpAny".to_string(),
        _ => return None,
    })
}

/// The check and encoding of one field of parameter `p`.
fn field(name: &str, p: &Param) -> Option<String> {
    let how = match &p.ty {
        Ty::Int { min, max } => format!("int {min} {max}"),
        Ty::Enum { allowed, .. } => {
            let a: Vec<String> = allowed.iter().map(i64::to_string).collect();
            format!("one_of [{}]", a.join(", "))
        }
        other => format!("quoted ({})", quoted_ty(other)?),
    };
    Some(if p.optional {
        format!("(opt {name} {} {how})", p.keep_empty)
    } else {
        format!("(req {name} {how})")
    })
}

/// The numbers of the options a form bound to option tables `b` may read,
/// when it reads options of one table, picked by their number alone, and
/// its line names the option and nothing after it; `None` otherwise.
fn readable_options(d: &Dialect, b: &Binding) -> Option<Vec<i64>> {
    if b.access != Access::R || b.key_param.is_some() {
        return None;
    }
    let [(_, table)] = b.tables.as_ref() else {
        return None;
    };
    let t = d.tables.get(*table)?;
    Some(
        t.options
            .iter()
            .filter(|o| {
                o.access_for(None).grants(Access::R) && o.read.iter().all(|p| !p.keep_empty)
            })
            .map(|o| o.id)
            .collect(),
    )
}

/// The `direct(...)` entries of a form: its line's constant start, then
/// one entry per parameter; `None` when the form is not simple.
pub(crate) fn entries(
    d: &Dialect,
    ci: usize,
    c: &Command,
    fi: usize,
    f: &Form,
    plan: &Plan,
) -> Option<Vec<String>> {
    if d.command(&c.name).map(|(i, _)| i) != Some(ci) {
        return None;
    }
    let mut out = Vec::new();
    if f.kind != FormKind::Action {
        let first = c.forms.iter().position(|x| x.kind == f.kind) == Some(fi);
        let suffix = match f.kind {
            FormKind::Read => "?",
            FormKind::Test => "=?",
            _ => "",
        };
        let none = plan.fields.is_empty()
            && (0..f.params.len()).all(|i| matches!(known(plan, i), Known::Absent));
        if !first || !none {
            return None;
        }
        out.push(str_lit(&format!("AT{}{suffix}", c.name)));
        return Some(out);
    }
    if f.rest.is_some() {
        return None;
    }
    // A form bound to option tables is simple when it reads an option of
    // one table: its line names the option only.
    let readable = match &f.options {
        None => None,
        Some(b) => Some(readable_options(d, b)?),
    };
    let fields_ok = plan.fields.iter().all(|x| match x.kind {
        Kind::Param { .. } => true,
        Kind::Option => readable.is_some(),
        Kind::Rest { .. } => false,
    });
    if plan.roles.len() != f.params.len() || !fields_ok {
        return None;
    }
    // The form selects our values, and no earlier action form does.
    if !f.select.iter().all(|x| holds(plan, x) == Some(true)) {
        return None;
    }
    let shadowed = c
        .forms
        .iter()
        .take(fi)
        .filter(|x| x.kind == FormKind::Action)
        .any(|x| !x.select.iter().any(|x| holds(plan, x) == Some(false)));
    if shadowed {
        return None;
    }
    out.push(str_lit(&format!("AT{}=", c.name)));
    for (i, p) in f.params.iter().enumerate() {
        let e = match plan.roles.get(i)? {
            Role::Const(v) => {
                let ok = matches!(p.ty, Ty::Int { .. } | Ty::Enum { .. } | Ty::Code { .. })
                    && wip_schema::value::check_value(d, &p.ty, &Val::Int(*v)).is_ok();
                if !ok {
                    return None;
                }
                format!("(lit {})", str_lit(&v.to_string()))
            }
            Role::ConstText(t) => {
                let v = Val::Str(t.clone());
                let ok = quoted_ty(&p.ty).is_some()
                    && !t.contains(['"', '\r', '\n'])
                    && wip_schema::value::check_value(d, &p.ty, &v).is_ok();
                if !ok {
                    return None;
                }
                format!("(lit {})", str_lit(&format!("\"{t}\"")))
            }
            Role::OptionId => {
                let ids = readable.as_ref()?;
                let x = plan
                    .fields
                    .iter()
                    .find(|x| matches!(x.kind, Kind::Option))?;
                let a: Vec<String> = ids.iter().map(i64::to_string).collect();
                format!("(id_of {} one_of [{}])", x.ident, a.join(", "))
            }
            Role::Absent if p.optional && p.keep_empty => "(none keep)".to_string(),
            Role::Absent if p.optional => "(none)".to_string(),
            Role::Field(n) => {
                let x = plan.fields.get(*n)?;
                match x.kind {
                    Kind::Param { index, optional } if index == i && optional == p.optional => {}
                    _ => return None,
                }
                field(&x.ident.to_string(), p)?
            }
            _ => return None,
        };
        out.push(e);
    }
    if !f.rules.is_empty() {
        out.push(format!("(rules {ci} {fi})"));
    }
    Some(out)
}
