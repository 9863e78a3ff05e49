//! Option tables as typed values.
//!
//! Every table has an enum of its options (`StackOption::IpTtl`). A table
//! whose values are written somewhere has an enum of options with the
//! values written (`StackOptionValue::IpTtl(u8)`), one whose values are
//! read back an enum with the values read (`StackOptionReading`). A
//! binding whose table depends on a key (`+WIPOPT`'s `<protocol>`) gets an
//! enum with one variant per key value (`WipOptSetOption::Ftp(...)`).

use super::fields::{self, Access, Plan};
use super::names::{self, Cx, Owner, Payload};
use super::{docs, ident, index, int, private, schema};
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
fn id_enum(cx: &Cx<'_>, (table, t): (usize, &TableRef)) -> TokenStream {
    let s = schema();
    let name = ident(&t.notes.rust);
    let ti = index(table);
    let ctx = format!("option table {}", t.id);
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
    let vi = || opts.iter().map(|o| ident(&o.notes.rust));
    let all = vi();
    let n = index(t.options.len());
    let id_arms = opts.iter().map(|o| {
        let v = ident(&o.notes.rust);
        let id = int(o.id);
        quote!(Self::#v => #id)
    });
    let from_arms = opts.iter().map(|o| {
        let v = ident(&o.notes.rust);
        let id = int(o.id);
        quote!(#id => Some(Self::#v))
    });
    let index_arms = opts.iter().enumerate().map(|(i, o)| {
        let v = ident(&o.notes.rust);
        let i = index(i);
        quote!(Self::#v => #i)
    });
    let from_index_arms = opts.iter().enumerate().map(|(i, o)| {
        let v = ident(&o.notes.rust);
        let i = index(i);
        quote!(#i => Ok(Self::#v))
    });
    let name_arms = opts.iter().map(|o| {
        let v = ident(&o.notes.rust);
        let n: &str = &o.name;
        quote!(Self::#v => #n)
    });
    let impls = private(quote! {
        impl #name {
            /// Index of the table in [`DIALECT`].
            pub const TABLE: usize = #ti;

            /// Every option, by number.
            pub const ALL: [Self; #n] = [#(Self::#all),*];

            /// The option number on the wire.
            pub const fn id(self) -> i64 {
                match self {
                    #(#id_arms,)*
                }
            }

            /// The option of a number; `None` for a number the table does not have.
            pub const fn from_id(id: i64) -> Option<Self> {
                match id {
                    #(#from_arms,)*
                    _ => None,
                }
            }

            /// Index of the option in its table in [`DIALECT`].
            pub const fn index(self) -> usize {
                match self {
                    #(#index_arms,)*
                }
            }

            /// The source's symbolic name of the option.
            pub const fn name(self) -> &'static str {
                match self {
                    #(#name_arms,)*
                }
            }

            /// The option alone, as the engine binds the option a command reads.
            pub fn to_bound_option(self) -> #s::BoundOption {
                #s::BoundOption {
                    table: Self::TABLE,
                    option: self.index(),
                    values: Vec::new(),
                    rest: Vec::new(),
                }
            }

            /// The option the engine bound.
            pub fn from_bound_option(o: &#s::BoundOption) -> Result<Self, #s::Error> {
                if o.table != Self::TABLE {
                    return Err(#s::typed::no_such_option(#ctx, o));
                }
                match o.option {
                    #(#from_index_arms,)*
                    _ => Err(#s::typed::no_such_option(#ctx, o)),
                }
            }
        }

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum #name {
            #(#variants,)*
        }

        #impls
    }
}

/// Whether some key may write the option.
fn writable(o: &OptRef) -> bool {
    match &o.access {
        AccessSpec::All(a) => a.grants(Acc::W),
        AccessSpec::PerKey(m) => m.iter().any(|(_, a)| a.grants(Acc::W)),
    }
}

/// The options of a table with their values written or read.
fn value_enum(
    cx: &Cx<'_>,
    (table, t): (usize, &TableRef),
    p: Payload,
) -> Result<TokenStream, String> {
    let s = schema();
    let name = ident(&names::table_type(t, p));
    let id_ty = ident(&t.notes.rust);
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
    let mut to_arms = Vec::new();
    let mut from_arms = Vec::new();
    let mut option_arms = Vec::new();
    let mut reads = false;
    for (oi, o) in t.options().iter().enumerate() {
        if p == Payload::Value && !writable(o) {
            continue;
        }
        let (values, rest) = match p {
            Payload::Reading => (o.read(), o.read_rest()),
            _ => (o.values(), o.rest()),
        };
        let plan: Plan = fields::plan(cx.spec, &values, &[], rest, None)
            .map_err(|m| format!("option {} of table `{}`: {m}", o.id, t.id))?;
        let v = ident(&o.notes.rust);
        let d = option_docs(cx.spec, (table, t), o);
        let oi = index(oi);
        let params = plan.params_expr(Access::Binding);
        let rest_e = plan.rest_expr(Access::Binding);
        let bound = quote!((#oi, #params, #rest_e));

        let inits = plan.reads_unnamed(&quote!(r));
        reads |= plan.uses_reader();
        let idents = plan.idents();
        let tuple = plan.fields.len() == 1
            && plan
                .fields
                .first()
                .is_some_and(|f| matches!(f.kind, fields::Kind::Param { .. }));
        if plan.is_empty() {
            variants.push(quote!(#d #v));
            to_arms.push(quote!(Self::#v => #bound));
            from_arms.push(quote!(#oi => Ok(Self::#v)));
            option_arms.push(quote!(Self::#v => #id_ty::#v));
        } else if tuple {
            let f = plan.fields.first().map(|f| (&f.ty, &f.ident, &f.docs));
            let (ty, fi, fdocs) = match f {
                Some(x) => x,
                None => continue,
            };
            // The one value is described with the variant.
            let mut paras = option_paras(cx.spec, (table, t), o);
            paras.push(format!("Value {}", fdocs.join(" ")));
            let d = docs::attrs_inline(&paras);
            variants.push(quote!(#d #v(#ty)));
            // One value: the short form, so that the arm fits a line.
            let one = match plan.fields.first().map(|f| &f.kind) {
                Some(fields::Kind::Param {
                    optional: false, ..
                }) if values.len() == 1 && rest.is_none() => {
                    quote!((#oi, #s::typed::one(#fi), Vec::new()))
                }
                _ => bound,
            };
            to_arms.push(quote!(Self::#v(#fi) => #one));
            let init = inits.first().cloned().unwrap_or_default();
            // `ident: expr` of a struct init; a tuple variant takes the expr.
            let expr = strip_field_name(&init);
            from_arms.push(quote!(#oi => Ok(Self::#v(#expr))));
            option_arms.push(quote!(Self::#v(_) => #id_ty::#v));
        } else {
            let decls = plan.decls(&quote!());
            variants.push(quote!(#d #v { #(#decls),* }));
            to_arms.push(quote!(Self::#v { #(#idents),* } => #bound));
            from_arms.push(quote!(#oi => Ok(Self::#v { #(#inits),* })));
            option_arms.push(quote!(Self::#v { .. } => #id_ty::#v));
        }
    }
    let ctx = format!("option table {}", t.id);
    let from_arms = from_arms.iter();
    let reader = if reads {
        let read = p == Payload::Reading;
        quote!(let r = #s::typed::OptionReader::new(&DIALECT, o, #read);)
    } else {
        quote!()
    };
    let impls = private(quote! {
        impl #name {
            /// The option.
            pub const fn option(&self) -> #id_ty {
                match self {
                    #(#option_arms,)*
                }
            }

            /// The option number on the wire.
            pub const fn id(&self) -> i64 {
                self.option().id()
            }

            /// The option and its values, as the engine binds them.
            pub fn to_bound_option(&self) -> #s::BoundOption {
                let (option, values, rest) = match self {
                    #(#to_arms,)*
                };
                #s::BoundOption { table: #id_ty::TABLE, option, values, rest }
            }

            /// The option and values the engine bound.
            pub fn from_bound_option(o: &#s::BoundOption) -> Result<Self, #s::Error> {
                if o.table != #id_ty::TABLE {
                    return Err(#s::typed::no_such_option(#ctx, o));
                }
                #reader
                match o.option {
                    #(#from_arms,)*
                    _ => Err(#s::typed::no_such_option(#ctx, o)),
                }
            }
        }
    });
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants,)*
        }

        #impls
    })
}

/// `name: expr` → `expr`.
fn strip_field_name(init: &TokenStream) -> TokenStream {
    let mut it = init.clone().into_iter();
    // Skip the identifier and the colon.
    it.next();
    it.next();
    it.collect()
}

/// Every table's enums.
pub(crate) fn emit(cx: &Cx<'_>) -> Result<TokenStream, String> {
    let mut out = TokenStream::new();
    for (ti, t) in cx.spec.tables().iter().enumerate() {
        out.extend(id_enum(cx, (ti, t)));
        for p in [Payload::Value, Payload::Reading] {
            if cx.payloads.contains(&(t.id.to_string(), p)) {
                out.extend(value_enum(cx, (ti, t), p)?);
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
    pub keyed_def: TokenStream,
    pub from_bound: TokenStream,
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
    let s = schema();
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
                    keyed_def: quote!(),
                    from_bound: quote!(()),
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
                keyed_def: quote!(),
                from_bound: quote!(#ty::from_bound_option(#s::typed::option(#ctx, b)?)?),
            }
        }
        Some(k) => {
            let key_param = params.get(k);
            let key_name = key_param.map_or("", |p| p.name.as_ref());
            let key_ty = key_param.map(|p| &p.ty);
            let name = ident(&names::keyed_type(owner_rust));
            let mut variants = Vec::new();
            let mut key_arms = Vec::new();
            let mut id_arms = Vec::new();
            let mut to_arms = Vec::new();
            let mut from_arms = Vec::new();
            for (keys, tid) in b.tables.iter() {
                let Some(t) = table_of(tid) else { continue };
                let tt = ident(&names::table_type(&t, p));
                for key in keys.iter() {
                    let v = ident(&names::key_variant(cx.spec, key_ty, *key));
                    let kv = int(*key);
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
                    key_arms.push(quote!(Self::#v(_) => #kv));
                    id_arms.push(quote!(Self::#v(o) => o.id()));
                    to_arms.push(quote!(Self::#v(o) => o.to_bound_option()));
                    from_arms.push(quote!(#kv => Ok(Self::#v(#tt::from_bound_option(o)?))));
                }
            }
            let doc = docs::attrs(&[format!(
                "{what} of [`{owner_rust}`], by `<{key_name}>`, which picks the option table."
            )]);
            let keyed_impls = private(quote! {
                impl #name {
                    /// The key on the wire.
                    pub const fn key(&self) -> i64 {
                        match self {
                            #(#key_arms,)*
                        }
                    }

                    /// The option number on the wire.
                    pub fn id(&self) -> i64 {
                        match self {
                            #(#id_arms,)*
                        }
                    }

                    /// The option and its values, as the engine binds them.
                    pub fn to_bound_option(&self) -> #s::BoundOption {
                        match self {
                            #(#to_arms,)*
                        }
                    }

                    /// The option of a key and the option values the engine bound.
                    pub fn from_bound_option(key: i64, o: &#s::BoundOption) -> Result<Self, #s::Error> {
                        match key {
                            #(#from_arms,)*
                            _ => Err(#s::typed::no_such_key(#ctx, #key_name, key)),
                        }
                    }
                }
            });
            let keyed_def = quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                pub enum #name {
                    #(#variants,)*
                }

                #keyed_impls
            };
            let ki = index(k);
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
                from_bound: quote!(#name::from_bound_option(
                    #s::typed::required(#ctx, #key_name, &b.params, #ki)?,
                    #s::typed::option(#ctx, b)?,
                )?),
            }
        }
    }
}
