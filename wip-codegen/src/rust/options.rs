//! Option tables as typed values.
//!
//! Every table has an enum of its options (`StackOption::IpTtl`). A table
//! whose values are written somewhere has an enum of options with the
//! values written (`StackOptionValue::IpTtl(u8)`), one whose values are
//! read back an enum with the values read (`StackOptionReading`). A
//! binding whose table depends on a key (`+WIPOPT`'s `<protocol>`) gets an
//! enum with one variant per key value (`WipOptSetOption::Ftp(...)`).

use super::fields::{self, Plan};
use super::names::{self, Cx, Owner, Payload};
use super::{call, docs, ident, str_lit, Code};
use proc_macro2::TokenStream;
use quote::quote;
use wip_schema::{Access as Acc, AccessSpec, Binding, Ty};
use wip_spec::notes::{OptRef, ParamRef, TableRef};
use wip_spec::Spec;

fn access_text(a: &AccessSpec, spec: &Spec, key_set: Option<usize>) -> String {
    let one = |a: Acc| match a {
        Acc::R => "read only",
        Acc::W => "write only",
        Acc::RW => "read and write",
        Acc::None => "no access",
    };
    match a {
        AccessSpec::All(a) => format!("Access: {}.", one(*a)),
        AccessSpec::PerKey(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, a)| {
                    let k = match key_set {
                        Some(set) => spec.describe_value(set, *k),
                        None => k.to_string(),
                    };
                    format!("{} for {}", one(*a), docs::markdown(&k))
                })
                .collect();
            format!("Access: {}; none otherwise.", parts.join(", "))
        }
    }
}

/// The value set of the keys of a table, for access docs: the key
/// parameter of the first binding that uses the table.
fn key_set(spec: &Spec, table: usize) -> Option<usize> {
    let d = &spec.dialect;
    let lists = d
        .commands
        .iter()
        .flat_map(|c| c.forms.iter())
        .map(|f| (&f.params, &f.options))
        .chain(d.messages.iter().map(|m| (&m.fields, &m.options)));
    for (params, b) in lists {
        let Some(b) = b else { continue };
        if !b.tables.iter().any(|(_, t)| *t == table) {
            continue;
        }
        if let Some(Ty::Enum { set, .. }) = b.key_param.and_then(|k| params.get(k)).map(|p| &p.ty) {
            return Some(*set);
        }
    }
    None
}

fn option_docs(spec: &Spec, (ti, t): (usize, &TableRef), o: &OptRef) -> TokenStream {
    docs::attrs_inline(&option_paras(spec, (ti, t), o))
}

fn option_paras(spec: &Spec, (ti, t): (usize, &TableRef), o: &OptRef) -> Vec<String> {
    let mut facts = format!(
        "Option `{}`, `{}`. {}",
        o.id,
        o.name,
        access_text(&o.access, spec, key_set(spec, ti))
    );
    if o.notes.section != t.notes.section {
        facts.push_str(&format!(" Section {}.", o.notes.section));
    }
    vec![docs::prose(&o.notes.doc), facts]
}

/// The options of one table: ids, names, indexes.
fn id_enum(cx: &Cx<'_>, (table, t): (usize, &TableRef)) -> Code {
    let name = ident(&t.notes.rust);
    let doc = docs::attrs(&[
        format!("{}: the options by number.", docs::prose(&t.notes.title)),
        format!("Option table `{}`, section {}.", t.id, t.notes.section),
    ]);
    let opts = t.options();
    let variants = opts.iter().map(|o| {
        let v = ident(&o.notes.rust);
        let d = option_docs(cx.spec, (table, t), o);
        quote!(#d #v)
    });
    let entries: Vec<String> = opts
        .iter()
        .map(|o| format!("{} {} {}", o.notes.rust, o.id, str_lit(&o.name)))
        .collect();
    let mut code = Code::default();
    code.items(quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum #name {
            #(#variants,)*
        }
    });
    let head = format!(
        "{}[{}] in {} {}",
        t.notes.rust,
        t.options.len(),
        table,
        str_lit(&t.id)
    );
    code.text(call("__option_table", &head, &[], &entries));
    code
}

/// Whether some key may write the option.
fn writable(o: &OptRef) -> bool {
    o.access.any_grants(Acc::W)
}

/// The options of a table with their values written or read.
fn value_enum(cx: &Cx<'_>, (table, t): (usize, &TableRef), p: Payload) -> Result<Code, String> {
    let type_name = names::table_type(t, p);
    let name = ident(&type_name);
    let (what, which) = match p {
        Payload::Reading => ("read", "every option, as a response or an echo reports it"),
        _ => ("written", "the options that can be written"),
    };
    let doc = docs::attrs(&[
        format!(
            "{}: {which}, with the values {what}.",
            docs::prose(&t.notes.title).trim_end_matches('.')
        ),
        format!("Option table `{}`, section {}.", t.id, t.notes.section),
    ]);
    let mut variants = Vec::new();
    let mut entries = Vec::new();
    for (oi, o) in t.options().iter().enumerate() {
        if p == Payload::Value && !writable(o) {
            continue;
        }
        let (values, rest) = match p {
            Payload::Reading => (o.read(), o.read_rest()),
            _ => (o.values(), o.rest()),
        };
        // The rules speak of the values written; a read that gives them
        // back in the same shape has them too.
        let shapes = match p {
            Payload::Reading if !o.reads_as_written() => Vec::new(),
            _ => fields::formats(&o.rules),
        };
        let plan: Plan = fields::plan(cx.spec, &values, &[], rest, None, &shapes)
            .map_err(|m| format!("option {} of table `{}`: {m}", o.id, t.id))?;
        let v = ident(&o.notes.rust);
        let d = option_docs(cx.spec, (table, t), o);
        let tuple = plan.fields.len() == 1
            && plan
                .fields
                .first()
                .is_some_and(|f| matches!(f.kind, fields::Kind::Param { .. }));
        if plan.is_empty() {
            variants.push(quote!(#d #v));
            entries.push(format!("{} = {oi}", o.notes.rust));
        } else if tuple {
            let f = plan.fields.first().map(|f| (&f.ty, &f.docs));
            let (ty, fdocs) = match f {
                Some(x) => x,
                None => continue,
            };
            // The one value is described with the variant.
            let mut paras = option_paras(cx.spec, (table, t), o);
            paras.push(format!("Value {}", fdocs.join(" ")));
            let d = docs::attrs_inline(&paras);
            variants.push(quote!(#d #v(#ty)));
            entries.push(format!(
                "{}({}) = {oi}",
                o.notes.rust,
                plan.entries().join(", ")
            ));
        } else {
            let decls = plan.decls(&quote!());
            variants.push(quote!(#d #v { #(#decls),* }));
            entries.push(format!(
                "{} {{ {} }} = {oi}",
                o.notes.rust,
                plan.entries().join(", ")
            ));
        }
    }
    let access = match p {
        Payload::Reading => "read",
        _ => "written",
    };
    let mut code = Code::default();
    code.items(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants,)*
        }
    });
    let head = format!("{type_name}: {} {access} {}", t.notes.rust, str_lit(&t.id));
    code.text(call("__option_values", &head, &[], &entries));
    Ok(code)
}

/// Every table's enums.
pub(crate) fn emit(cx: &Cx<'_>) -> Result<Code, String> {
    let mut out = Code::default();
    for (ti, t) in cx.spec.tables().iter().enumerate() {
        out.append(id_enum(cx, (ti, t)));
        for p in [Payload::Value, Payload::Reading] {
            if cx.payloads.contains(&(t.id.to_string(), p)) {
                out.append(value_enum(cx, (ti, t), p)?);
            }
        }
    }
    Ok(out)
}

/// The option field of a form or message: its type, its docs, the
/// definition of its keyed enum if it has one, and the expression that
/// reads it from a `Bound` named `b`.
pub(crate) struct OptionSpec {
    pub field: fields::OptionField,
    pub keyed_def: Code,
}

/// Plans the option field of a list bound to option tables.
pub(crate) fn option_field(
    cx: &Cx<'_>,
    owner: Owner,
    owner_rust: &str,
    ctx: &str,
    params: &[ParamRef],
    b: &Binding,
) -> OptionSpec {
    let p = names::payload(owner, b.access);
    let what = match p {
        Payload::Id => "The option read",
        Payload::Value => "The option written and its values",
        Payload::Reading => "The option and its values",
    };
    let id_name = params.get(b.id_param).map_or("", |p| p.name.as_ref());
    let table_of = |t: &usize| cx.spec.table(*t);
    match b.key_param {
        None => {
            let Some(t) = b.tables.first().and_then(|(_, t)| table_of(t)) else {
                return OptionSpec {
                    field: fields::OptionField {
                        binding: b.clone(),
                        ty: quote!(()),
                        docs: vec![],
                    },
                    keyed_def: Code::default(),
                };
            };
            let ty = ident(&names::table_type(&t, p));
            let docs = vec![format!(
                "{what} (`<{id_name}>` and what follows it): table `{}`, section {}.",
                t.id, t.notes.section
            )];
            OptionSpec {
                field: fields::OptionField {
                    binding: b.clone(),
                    ty: quote!(#ty),
                    docs,
                },
                keyed_def: Code::default(),
            }
        }
        Some(k) => {
            let key_param = params.get(k);
            let key_name = key_param.map_or("", |p| p.name.as_ref());
            let key_ty = key_param.map(|p| &p.ty);
            let name = ident(&names::keyed_type(owner_rust));
            let mut variants = Vec::new();
            let mut entries = Vec::new();
            // Per table, in order: its accessor's name, payload type and
            // variants.
            let mut by_table: Vec<(String, String, Vec<String>)> = Vec::new();
            for (keys, tid) in b.tables.iter() {
                let Some(t) = table_of(tid) else { continue };
                let tt_name = names::table_type(&t, p);
                let tt = ident(&tt_name);
                let getter = wip_spec::ident::snake(&t.id);
                let at = match by_table.iter().position(|(g, _, _)| *g == getter) {
                    Some(i) => i,
                    None => {
                        by_table.push((getter, tt_name.clone(), Vec::new()));
                        by_table.len() - 1
                    }
                };
                for key in keys.iter() {
                    let vname = names::key_variant(cx.spec, key_ty, *key);
                    let v = ident(&vname);
                    if let Some((_, _, vs)) = by_table.get_mut(at) {
                        vs.push(vname.clone());
                    }
                    let described = match key_ty {
                        Some(Ty::Enum { set, .. }) => cx.spec.describe_value(*set, *key),
                        _ => key.to_string(),
                    };
                    let d = docs::attrs(&[format!(
                        "`<{key_name}>` = {}: table `{}`.",
                        docs::markdown(&described),
                        t.id
                    )]);
                    variants.push(quote!(#d #v(#tt)));
                    entries.push(format!("{vname} {key} {tt_name}"));
                }
            }
            let doc = docs::attrs(&[format!(
                "{what} of [`{owner_rust}`], by `<{key_name}>`, which picks the option table."
            )]);
            let mut keyed_def = Code::default();
            keyed_def.items(quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                pub enum #name {
                    #(#variants,)*
                }
            });
            let head = format!(
                "{} {} {}",
                names::keyed_type(owner_rust),
                str_lit(ctx),
                str_lit(key_name)
            );
            keyed_def.text(call("__keyed_options", &head, &[], &entries));
            if let Some(getters) = table_getters(&names::keyed_type(owner_rust), &by_table) {
                keyed_def.text(getters);
            }
            let docs = vec![format!(
                "{what} (`<{key_name}>`, `<{id_name}>` and what follows them)."
            )];
            OptionSpec {
                field: fields::OptionField {
                    binding: b.clone(),
                    ty: quote!(#name),
                    docs,
                },
                keyed_def,
            }
        }
    }
}

/// Methods the keyed macro defines: a table accessor must not take one's
/// name.
const KEYED_METHODS: &[&str] = &[
    "key",
    "id",
    "to_bound_option",
    "decode_direct_option",
    "from_bound_option",
    "from_ref_option",
];

/// One accessor per option table of a keyed enum, named after the table
/// (`socket()`, `smtp()`): the payload whatever key picked the table
/// (`Udp`, `TcpClient` and `TcpServer` all give the socket table), `None`
/// for another table; as the invocation of the engine's
/// `__table_getters!`. A table whose name is not an identifier, or is one
/// of the enum's methods, gets none.
fn table_getters(name: &str, by_table: &[(String, String, Vec<String>)]) -> Option<String> {
    let entries: Vec<String> = by_table
        .iter()
        .filter(|(g, _, _)| !KEYED_METHODS.contains(&g.as_str()) && is_ident(g))
        .map(|(g, tt, vs)| format!("{g} {tt} [{}]", vs.join(", ")))
        .collect();
    (!entries.is_empty()).then(|| call("__table_getters", name, &[], &entries))
}

/// Whether `name` is an identifier (not a keyword, not starting with a
/// digit).
fn is_ident(name: &str) -> bool {
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// Rust keywords, which no accessor may be named.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];
