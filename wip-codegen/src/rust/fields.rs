//! Which parameters of a form, message or option become which Rust
//! fields, their types, and the code that moves them into the engine's
//! `Bound` and back.
//!
//! A discriminator with one value (`<mode>` = 2 of `AT+WIPCREATE=2,...`)
//! is implied by the type and has no field. The option number and the key
//! that picks the table (`<optnum>`, `<protocol>`) are carried by the
//! option field's type. Every other parameter is a field; an optional one
//! is an `Option`, and a repeated group is a `Vec`.

use super::{docs, ident};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wip_schema::{Binding, Cond, Lit, Rule, Ty};
use wip_spec::notes::{ParamRef, RestRef};
use wip_spec::Spec;

/// What one parameter of the list becomes.
#[derive(Debug, Clone)]
pub(crate) enum Role {
    /// The field of this index.
    Field(usize),
    /// Always this value.
    Const(i64),
    /// Always this string (quoted on the wire).
    ConstText(String),
    /// The option number, from the option field.
    OptionId,
    /// The key that picks the option table, from the option field.
    OptionKey,
    /// Always left out: the form is the one without it.
    Absent,
}

/// What a field holds.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// A parameter, by index.
    Param { index: usize, optional: bool },
    /// The repeated group, items in groups of `group`.
    Rest { group: u32 },
    /// The option and its values.
    Option,
}

/// One Rust field.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub ident: Ident,
    /// The declared type.
    pub ty: TokenStream,
    /// Whether `new` takes `impl Into<Type>` for it.
    pub into: bool,
    /// The type inside the `Option` of an optional parameter.
    pub ty_inner: Option<TokenStream>,
    /// Whether its setter takes `impl Into<Type>`.
    pub into_opt: bool,
    pub docs: Vec<String>,
    pub kind: Kind,
}

/// The fields of a parameter list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub roles: Vec<Role>,
    pub fields: Vec<Field>,
    /// The parameter whose value picks the option table, if any.
    pub option_key: Option<usize>,
}

/// The option field of a list bound to option tables.
pub(crate) struct OptionField {
    pub binding: Binding,
    pub ty: TokenStream,
    pub docs: Vec<String>,
}

/// The smallest integer type that holds `min..=max`.
pub(crate) fn int_type(min: i64, max: i64) -> Ident {
    let name = if min >= 0 {
        if max <= i64::from(u8::MAX) {
            "u8"
        } else if max <= i64::from(u16::MAX) {
            "u16"
        } else if max <= i64::from(u32::MAX) {
            "u32"
        } else {
            "i64"
        }
    } else if min >= i64::from(i8::MIN) && max <= i64::from(i8::MAX) {
        "i8"
    } else if min >= i64::from(i16::MIN) && max <= i64::from(i16::MAX) {
        "i16"
    } else if min >= i64::from(i32::MIN) && max <= i64::from(i32::MAX) {
        "i32"
    } else {
        "i64"
    };
    ident(name)
}

/// The Rust type of one value of a type.
pub(crate) fn value_type(spec: &Spec, t: &Ty) -> TokenStream {
    match t {
        Ty::Int { min, max } => {
            let i = int_type(*min, *max);
            quote!(#i)
        }
        Ty::Enum { set, .. } | Ty::StrEnum { set, .. } => {
            let i = ident(
                &spec
                    .value_set(*set)
                    .map_or_else(|| "i64".to_string(), |s| s.notes.rust.clone()),
            );
            quote!(#i)
        }
        Ty::Ip => quote!(::wip_runtime::schema::prelude::Ipv4Addr),
        Ty::Host { .. } | Ty::HostAny { .. } => quote!(::wip_runtime::schema::prelude::Host),
        Ty::IpAny => quote!(::core::net::IpAddr),
        Ty::Code { table, .. } => match table.and_then(|t| spec.dialect.error_tables.get(t)) {
            Some(t) if t.id.as_ref() != "cme" => {
                let i = ident(&super::errors::table_type(&t.id));
                quote!(#i)
            }
            _ => quote!(u32),
        },
        Ty::Ranges => quote!(::wip_runtime::schema::prelude::Ranges),
        _ => quote!(::wip_runtime::schema::prelude::String),
    }
}

fn is_string(t: &Ty) -> bool {
    !t.is_integer()
}

/// One argument of a constructor, as text.
fn arg(f: &Field) -> String {
    let ty = if f.into {
        format!("impl Into<{}>", super::type_text(&f.ty))
    } else {
        super::type_text(&f.ty)
    };
    format!("{}: {ty}", f.ident)
}

/// The allowed values of a type, for docs.
pub(crate) fn allowed(spec: &Spec, t: &Ty) -> String {
    match t {
        Ty::Counted { .. } => {
            "a string of as many bytes as its count field says (read by count)".to_string()
        }
        Ty::Int { min, max } => format!("`{min}..={max}`"),
        Ty::Enum { set, allowed } => match spec.value_set(*set) {
            Some(s) if s.values.len() == allowed.len() => format!("any [`{}`]", s.notes.rust),
            Some(s) => {
                let values = s.values();
                let names = fold_plain(
                    allowed,
                    |v| !values.iter().any(|x| x.0 == v),
                    |v| {
                        values.iter().find(|x| x.0 == v).map_or_else(
                            || v.to_string(),
                            |x| format!("[`{}::{}`]", s.notes.rust, x.2.rust),
                        )
                    },
                );
                format!("one of {}", names.join(", "))
            }
            None => "an integer".to_string(),
        },
        Ty::Str { max_len: Some(m) } => format!("a string of at most {m} characters"),
        Ty::Str { max_len: None } => "a string".to_string(),
        Ty::Host { max_len: Some(m) } => {
            format!("a host name or dotted IPv4 address of at most {m} characters")
        }
        Ty::Host { max_len: None } => "a host name or dotted IPv4 address".to_string(),
        Ty::Ip => "a dotted IPv4 address".to_string(),
        Ty::HostAny { max_len: Some(m) } => {
            format!("a host name, IPv4 or IPv6 address of at most {m} characters")
        }
        Ty::HostAny { max_len: None } => "a host name, IPv4 or IPv6 address".to_string(),
        Ty::IpAny => "an IPv4 or IPv6 address".to_string(),
        Ty::Code { table, success } => {
            let code = match table.and_then(|t| spec.dialect.error_tables.get(t)) {
                Some(t) => format!("a code of error table `{}`", t.id),
                None => "an error code of the spec".to_string(),
            };
            match success {
                Some(v) => format!("{v} (success) or {code}"),
                None => code,
            }
        }
        Ty::Hex { max_bytes } => {
            format!("a hex dump (pairs of hex digits) of at most {max_bytes} bytes")
        }
        Ty::Text => "free text to the end of the line".to_string(),
        Ty::Ranges => "a list of integers and ranges, `(0-31,99)` on the wire".to_string(),
        Ty::Token => "one unquoted word that is not an integer".to_string(),
        Ty::StrEnum { set, allowed } => match spec.value_set(*set) {
            Some(s) if s.texts.len() == allowed.len() => {
                format!("any [`{}`] (quoted on the wire)", s.notes.rust)
            }
            Some(s) => {
                let values = s.texts();
                let names: Vec<String> = allowed
                    .iter()
                    .map(|v| {
                        values.iter().find(|x| x.0 == v.as_ref()).map_or_else(
                            || format!("`{v:?}`"),
                            |x| format!("[`{}::{}`]", s.notes.rust, x.2.rust),
                        )
                    })
                    .collect();
                format!("one of {} (quoted on the wire)", names.join(", "))
            }
            None => "a quoted string".to_string(),
        },
    }
}

/// The values a form's selector gives parameter `i` when it names several
/// (`AT+WIPDATARW=<command>,...` is the Write form for commands 1 to 3):
/// the field takes only those.
fn selected(select: &[Cond], i: usize) -> Option<&[i64]> {
    select
        .iter()
        .find(|c| c.param == i && c.given.is_none() && c.texts.is_empty() && c.values.len() > 1)
        .map(|c| c.values.as_ref())
}

/// The shapes a list's rules give its values, by parameter index:
/// [`Rule::Format`] with no condition (`written with 1 to 10 digits`,
/// `of the form #,#`), for the `Allowed:` line of each field's docs.
pub(crate) fn formats(rules: &[Rule]) -> Vec<(usize, String)> {
    rules
        .iter()
        .filter_map(|r| match r {
            Rule::Format {
                when,
                param,
                format,
            } if when.is_empty() => Some((*param, format.describe())),
            _ => None,
        })
        .collect()
}

fn param_docs(
    spec: &Spec,
    p: &ParamRef,
    optional: bool,
    selected: Option<&[i64]>,
    formats: &[&str],
) -> Vec<String> {
    let mut d = vec![format!("`<{}>`: {}", p.name, docs::prose(&p.notes.doc))];
    if p.notes.doc.trim().is_empty() {
        d = vec![format!("`<{}>`.", p.name)];
    }
    let shown = match (&p.ty, selected) {
        // Narrowed to the values that select the form.
        (Ty::Enum { set, allowed: all }, Some(vals)) => {
            let narrowed: Vec<i64> = all.iter().copied().filter(|v| vals.contains(v)).collect();
            allowed(
                spec,
                &Ty::Enum {
                    set: *set,
                    allowed: narrowed.into(),
                },
            )
        }
        (_, Some(vals)) => {
            let vals = fold_plain(vals, |_| true, |v| format!("`{v}`"));
            format!("one of {} (the values of this form)", vals.join(", "))
        }
        (ty, None) => allowed(spec, ty),
    };
    let mut facts = format!("Allowed: {shown}");
    for f in formats {
        facts.push_str(&format!(", {f}"));
    }
    facts.push('.');
    if optional {
        facts.push_str(" Optional: `None` leaves it out.");
    }
    if let Some(def) = &p.default {
        match def {
            Lit::Int(v) => facts.push_str(&format!(" Default: `{v}`.")),
            Lit::Str(v) => facts.push_str(&format!(" Default: {}.", docs::code(v))),
        }
    }
    if let Some(s) = &p.notes.section {
        facts.push_str(&format!(" Section {s}."));
    }
    d.push(facts);
    d
}

/// The type of a repeated group.
fn rest_type(spec: &Spec, r: &RestRef) -> TokenStream {
    let item = value_type(spec, &r.ty);
    match r.group {
        0 | 1 => quote!(::wip_runtime::schema::prelude::Vec<#item>),
        2 => quote!(::wip_runtime::schema::prelude::Vec<(#item, #item)>),
        n => {
            let n = super::index(n as usize);
            quote!(::wip_runtime::schema::prelude::Vec<[#item; #n]>)
        }
    }
}

fn rest_docs(spec: &Spec, r: &RestRef) -> Vec<String> {
    let mut d = vec![format!("`<{}>`: {}", r.name, docs::prose(&r.notes.doc))];
    if r.notes.doc.trim().is_empty() {
        d = vec![format!("`<{}>`, repeated.", r.name)];
    }
    let mut facts = format!("Each item: {}.", allowed(spec, &r.ty));
    if r.group > 1 {
        facts.push_str(&format!(" Items come in groups of {}.", r.group));
    }
    if let Some(m) = r.max_groups {
        facts.push_str(&format!(" At most {m} groups."));
    }
    d.push(facts);
    d
}

/// Plans the fields of a parameter list. `select` are the discriminators
/// of a form or message; `option` the option field, for a list bound to
/// option tables.
pub(crate) fn plan(
    spec: &Spec,
    params: &[ParamRef],
    select: &[Cond],
    rest: Option<RestRef>,
    option: Option<OptionField>,
    formats: &[(usize, String)],
) -> Result<Plan, String> {
    // A field's role holds its index in `fields`, which grows in parameter
    // order (the option field at the place of the option number).
    let mut roles = Vec::with_capacity(params.len());
    let mut fields = Vec::new();
    let (id_param, key_param) = match &option {
        Some(o) => (Some(o.binding.id_param), o.binding.key_param),
        None => (None, None),
    };
    let mut option = option;
    for (i, p) in params.iter().enumerate() {
        if Some(i) == key_param {
            roles.push(Role::OptionKey);
            continue;
        }
        if Some(i) == id_param {
            roles.push(Role::OptionId);
            if let Some(o) = option.take() {
                let name = ["option", "option_value", "option_"]
                    .into_iter()
                    .find(|n| {
                        params.iter().all(|p| p.notes.rust != *n)
                            && rest.is_none_or(|r| r.notes.rust != *n)
                    })
                    .unwrap_or("option_field");
                fields.push(Field {
                    ident: ident(name),
                    ty: o.ty,
                    into: false,
                    ty_inner: None,
                    into_opt: false,
                    docs: o.docs,
                    kind: Kind::Option,
                });
            }
            continue;
        }
        let constant = select
            .iter()
            .find(|c| c.param == i && c.given.is_none() && c.values.len() == 1)
            .and_then(|c| c.values.first().copied());
        if let Some(v) = constant {
            roles.push(Role::Const(v));
            continue;
        }
        let constant_text = select
            .iter()
            .find(|c| c.param == i && c.given.is_none() && c.texts.len() == 1)
            .and_then(|c| c.texts.first());
        if let Some(t) = constant_text {
            roles.push(Role::ConstText(t.to_string()));
            continue;
        }
        // A form chosen by presence: the parameter it needs left out has
        // no field, the one it needs given is required.
        let given = select.iter().find(|c| c.param == i).and_then(|c| c.given);
        if given == Some(false) {
            roles.push(Role::Absent);
            continue;
        }
        let optional = p.optional && given != Some(true);
        let vt = value_type(spec, &p.ty);
        let ty = if optional {
            quote!(::core::option::Option<#vt>)
        } else {
            vt
        };
        roles.push(Role::Field(fields.len()));
        fields.push(Field {
            ident: ident(&p.notes.rust),
            ty,
            ty_inner: optional.then(|| value_type(spec, &p.ty)),
            into_opt: optional && is_string(&p.ty),
            into: !optional && is_string(&p.ty),
            docs: param_docs(
                spec,
                p,
                optional,
                selected(select, i),
                &formats
                    .iter()
                    .filter(|f| f.0 == i)
                    .map(|f| f.1.as_str())
                    .collect::<Vec<_>>(),
            ),
            kind: Kind::Param { index: i, optional },
        });
    }
    if let Some(r) = rest {
        if fields.iter().any(|f| f.ident == r.notes.rust) {
            return Err(format!(
                "the repeated group `{}` has the Rust name `{}` of a parameter; give it another `rust:` name",
                r.name, r.notes.rust
            ));
        }
        fields.push(Field {
            ident: ident(&r.notes.rust),
            ty: rest_type(spec, &r),
            into: false,
            ty_inner: Some(value_type(spec, &r.ty)),
            into_opt: false,
            docs: rest_docs(spec, &r),
            kind: Kind::Rest { group: r.group },
        });
    }
    Ok(Plan {
        roles,
        fields,
        option_key: key_param,
    })
}

impl Plan {
    /// Whether the list has no field.
    pub(crate) fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub(crate) fn option_field(&self) -> Option<&Field> {
        self.fields.iter().find(|f| matches!(f.kind, Kind::Option))
    }

    pub(crate) fn rest_field(&self) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| matches!(f.kind, Kind::Rest { .. }))
    }

    /// Field declarations with their docs; `vis` is `pub` for structs,
    /// nothing for enum variants.
    pub(crate) fn decls(&self, vis: &TokenStream) -> Vec<TokenStream> {
        self.fields
            .iter()
            .map(|f| {
                let doc = docs::attrs_inline(&f.docs);
                let i = &f.ident;
                let t = &f.ty;
                quote!(#doc #vis #i: #t)
            })
            .collect()
    }

    /// The declaration of the struct `name` that holds these fields, with
    /// their docs: shared by request and message structs.
    pub(crate) fn decl(&self, name: &Ident) -> TokenStream {
        if self.is_empty() {
            return quote! {
                #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
                pub struct #name;
            };
        }
        let decls = self.decls(&quote!(pub));
        quote! {
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub struct #name {
                #(#decls,)*
            }
        }
    }

    /// The arguments of the constructor, as text (`peer_ip: impl
    /// Into<Ipv4Addr>`), one per field.
    pub(crate) fn new_args(&self) -> Vec<String> {
        self.fields.iter().map(arg).collect()
    }

    /// The arguments of a builder's `new` (the fields of required
    /// parameters, the option, and a repeated group of groups of three or
    /// more), its setters, one per optional parameter: `with_login(login 3:
    /// impl Into<String>, after user 2)`, where `after` names the optional
    /// parameter it is nested in (`[<user>[,<login>]]`) when the line could
    /// not tell which of the two was left out; and the setter of a
    /// repeated group of single items or pairs, which starts empty:
    /// `with_headers(headers): pairs String`. No setters when no parameter
    /// is optional and there is no such group.
    pub(crate) fn builder(
        &self,
        params: &[ParamRef],
        rules: &[Rule],
    ) -> (Vec<String>, Vec<String>, Option<String>) {
        let mut required = Vec::new();
        let mut setters = Vec::new();
        let mut rest = None;
        // The trailing optional run nests: each one in the one before it,
        // except where a rule puts both in one bracket.
        let tail = params
            .iter()
            .rposition(|p| !p.optional)
            .map_or(0, |i| i + 1);
        for f in &self.fields {
            if let (&Kind::Rest { group }, Some(t)) = (&f.kind, &f.ty_inner) {
                let k = match group {
                    0 | 1 => "items",
                    2 => "pairs",
                    _ => {
                        required.push(arg(f));
                        continue;
                    }
                };
                let t = super::type_text(t);
                rest = Some(format!("with_{i}({i}): {k} {t}", i = f.ident));
                continue;
            }
            let Kind::Param {
                index,
                optional: true,
            } = f.kind
            else {
                required.push(arg(f));
                continue;
            };
            let inner = match &f.ty_inner {
                Some(t) => super::type_text(t),
                None => super::type_text(&f.ty),
            };
            let ty = if f.into_opt {
                format!("impl Into<{inner}>")
            } else {
                inner
            };
            let mut e = format!("with_{i}({i} {index}: {ty}", i = f.ident);
            if index > tail {
                let outer = index - 1;
                let together = |a: usize, b: usize| {
                    rules.iter().any(|r| match r {
                        Rule::Together(ps) => ps.contains(&a) && ps.contains(&b),
                        _ => false,
                    })
                };
                // Nested in the outer parameter (`[<interval>[,<timeout>]]`,
                // 7.1.2): the spec forbids it when the outer one, or one
                // given together with it, is left out. Brackets side by
                // side (`[<filename>],[<content-id>]`, 6.1.4) nest nothing:
                // a left-out parameter is written as an empty field (E20).
                let nested = rules.iter().any(|r| match r {
                    Rule::Forbid { when, params } => {
                        params.contains(&index)
                            && when.iter().any(|c| {
                                c.given == Some(false)
                                    && (c.param == outer || together(c.param, outer))
                            })
                    }
                    _ => false,
                });
                let outer_field = self.fields.iter().find(
                    |g| matches!(g.kind, Kind::Param { index: o, optional: true } if o == outer),
                );
                if let (false, true, Some(g)) = (together(outer, index), nested, outer_field) {
                    e.push_str(&format!(", after {} {outer}", g.ident));
                }
            }
            e.push(')');
            setters.push(e);
        }
        (required, setters, rest)
    }

    /// One entry of the engine's `__wire!` per parameter, in order, and
    /// one for the repeated group: `(= 2)`, `(req peer_ip 2)`, `(id option
    /// SocketOptionValue by 0)`, `(pairs headers)` ...
    pub(crate) fn wire_entries(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .roles
            .iter()
            .map(|r| match r {
                Role::Const(v) => format!("(= {v})"),
                Role::OptionId => match self.option_field() {
                    Some(f) => {
                        let ty = super::type_text(&f.ty);
                        match self.option_key {
                            Some(k) => format!("(id {} {ty} by {k})", f.ident),
                            None => format!("(id {} {ty})", f.ident),
                        }
                    }
                    None => "(none)".to_string(),
                },
                Role::OptionKey => match self.option_field() {
                    Some(f) => format!("(key {})", f.ident),
                    None => "(none)".to_string(),
                },
                Role::Absent => "(none)".to_string(),
                Role::ConstText(t) => format!("(text {})", super::str_lit(t)),
                Role::Field(n) => match self.fields.get(*n).map(|f| (&f.ident, &f.kind)) {
                    Some((i, Kind::Param { index, optional })) => {
                        let k = if *optional { "opt" } else { "req" };
                        format!("({k} {i} {index})")
                    }
                    _ => "(none)".to_string(),
                },
            })
            .collect();
        if let Some(f) = self.rest_field() {
            let k = match f.kind {
                Kind::Rest { group: 0 | 1 } => "items",
                Kind::Rest { group: 2 } => "pairs",
                _ => "groups",
            };
            out.push(format!("({k} {})", f.ident));
        }
        out
    }

    /// The fields as entries of the engine's option macros (`req value
    /// 0`, `opt start 2`, `pairs headers`), in order; an option field has
    /// none.
    pub(crate) fn entries(&self) -> Vec<String> {
        self.fields
            .iter()
            .filter_map(|f| {
                let i = &f.ident;
                Some(match f.kind {
                    Kind::Param {
                        index,
                        optional: false,
                    } => format!("req {i} {index}"),
                    Kind::Param {
                        index,
                        optional: true,
                    } => format!("opt {i} {index}"),
                    Kind::Rest { group: 0 | 1 } => format!("items {i}"),
                    Kind::Rest { group: 2 } => format!("pairs {i}"),
                    Kind::Rest { .. } => format!("groups {i}"),
                    Kind::Option => return None,
                })
            })
            .collect()
    }
}

/// [`wip_schema::value::fold_runs`] for rustdoc: a run of plain values as
/// `` `a..=b` ``.
fn fold_plain(
    values: &[i64],
    plain: impl Fn(i64) -> bool,
    item: impl Fn(i64) -> String,
) -> Vec<String> {
    wip_schema::value::fold_runs(values, plain, item, |a, b| format!("`{a}..={b}`"))
}
