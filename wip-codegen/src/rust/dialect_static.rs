//! The spec's [`wip_schema::Dialect`] as a `static` of borrowed data.
//!
//! It is written from the value [`crate::dialect::dialect`] builds, walking
//! the engine's types, so the static and the run-time dialect cannot
//! differ. Short names are imported inside the initializer's block, where
//! they cannot clash with the items around the generated code.

use super::{docs, index, int, u32_lit};
use crate::dialect::dialect;
use crate::ir;
use proc_macro2::TokenStream;
use quote::quote;
use wip_schema as s;

fn text(t: &str) -> TokenStream {
    quote!(Borrowed(#t))
}

fn list<T>(items: &[T], f: impl Fn(&T) -> TokenStream) -> TokenStream {
    let items = items.iter().map(f);
    quote!(Borrowed(&[#(#items),*]))
}

fn ints(v: &[i64]) -> TokenStream {
    list(v, |x| int(*x))
}

fn indexes(v: &[usize]) -> TokenStream {
    list(v, |x| {
        let i = index(*x);
        quote!(#i)
    })
}

fn opt<T>(o: &Option<T>, f: impl Fn(&T) -> TokenStream) -> TokenStream {
    match o {
        Some(x) => {
            let x = f(x);
            quote!(Some(#x))
        }
        None => quote!(None),
    }
}

fn opt_u32(o: Option<u32>) -> TokenStream {
    opt(&o, |x| {
        let l = u32_lit(*x);
        quote!(#l)
    })
}

fn ty(t: &s::Ty) -> TokenStream {
    match t {
        s::Ty::Int { min, max } => {
            let (min, max) = (int(*min), int(*max));
            quote!(Ty::Int { min: #min, max: #max })
        }
        s::Ty::Enum { set, allowed } => {
            let set = index(*set);
            let allowed = ints(allowed);
            quote!(Ty::Enum { set: #set, allowed: #allowed })
        }
        s::Ty::Str { max_len } => {
            let m = opt_u32(*max_len);
            quote!(Ty::Str { max_len: #m })
        }
        s::Ty::Host { max_len } => {
            let m = opt_u32(*max_len);
            quote!(Ty::Host { max_len: #m })
        }
        s::Ty::Ip => quote!(Ty::Ip),
        s::Ty::Hex { max_bytes } => {
            let m = u32_lit(*max_bytes);
            quote!(Ty::Hex { max_bytes: #m })
        }
        s::Ty::Text => quote!(Ty::Text),
    }
}

fn param(p: &s::Param) -> TokenStream {
    let name = text(&p.name);
    let t = ty(&p.ty);
    let optional = p.optional;
    let default = opt(&p.default, |l| match l {
        s::Lit::Int(v) => {
            let v = int(*v);
            quote!(Lit::Int(#v))
        }
        s::Lit::Str(v) => {
            let v = text(v);
            quote!(Lit::Str(#v))
        }
    });
    quote!(Param { name: #name, ty: #t, optional: #optional, default: #default })
}

fn rest(r: &Option<s::Rest>) -> TokenStream {
    opt(r, |r| {
        let name = text(&r.name);
        let t = ty(&r.ty);
        let group = u32_lit(r.group);
        let max = opt_u32(r.max_groups);
        quote!(Rest { name: #name, ty: #t, group: #group, max_groups: #max })
    })
}

fn conds(cs: &[s::Cond]) -> TokenStream {
    list(cs, |c| {
        let p = index(c.param);
        let v = ints(&c.values);
        quote!(Cond { param: #p, values: #v })
    })
}

fn rules(rs: &[s::Rule]) -> TokenStream {
    list(rs, |r| match r {
        s::Rule::Order { lesser, greater } => {
            let (l, g) = (index(*lesser), index(*greater));
            quote!(Rule::Order { lesser: #l, greater: #g })
        }
        s::Rule::Together(ps) => {
            let ps = indexes(ps);
            quote!(Rule::Together(#ps))
        }
        s::Rule::AnyOf(ps) => {
            let ps = indexes(ps);
            quote!(Rule::AnyOf(#ps))
        }
        s::Rule::Require { when, params } => {
            let (w, p) = (conds(when), indexes(params));
            quote!(Rule::Require { when: #w, params: #p })
        }
        s::Rule::Forbid { when, params } => {
            let (w, p) = (conds(when), indexes(params));
            quote!(Rule::Forbid { when: #w, params: #p })
        }
        s::Rule::Reject { when, reason } => {
            let (w, r) = (conds(when), text(reason));
            quote!(Rule::Reject { when: #w, reason: #r })
        }
        s::Rule::Range {
            when,
            param,
            min,
            max,
        } => {
            let (w, p, lo, hi) = (conds(when), index(*param), int(*min), int(*max));
            quote!(Rule::Range { when: #w, param: #p, min: #lo, max: #hi })
        }
    })
}

fn access(a: s::Access) -> TokenStream {
    match a {
        s::Access::R => quote!(Access::R),
        s::Access::W => quote!(Access::W),
        s::Access::RW => quote!(Access::RW),
        s::Access::None => quote!(Access::None),
    }
}

fn binding(b: &Option<s::Binding>) -> TokenStream {
    opt(b, |b| {
        let id = index(b.id_param);
        let key = opt(&b.key_param, |k| {
            let k = index(*k);
            quote!(#k)
        });
        let tables = list(&b.tables, |(keys, t)| {
            let keys = ints(keys);
            let t = index(*t);
            quote!((#keys, #t))
        });
        let a = access(b.access);
        quote!(Binding { id_param: #id, key_param: #key, tables: #tables, access: #a })
    })
}

fn opt_item(o: &s::Opt) -> TokenStream {
    let id = int(o.id);
    let name = text(&o.name);
    let values = list(&o.values, param);
    let r = rest(&o.rest);
    let read = list(&o.read, param);
    let read_rest = rest(&o.read_rest);
    let repeats = o.read_repeats;
    let rs = rules(&o.rules);
    let acc = match &o.access {
        s::AccessSpec::All(a) => {
            let a = access(*a);
            quote!(AccessSpec::All(#a))
        }
        s::AccessSpec::PerKey(m) => {
            let m = list(m, |(k, a)| {
                let (k, a) = (int(*k), access(*a));
                quote!((#k, #a))
            });
            quote!(AccessSpec::PerKey(#m))
        }
    };
    quote! {
        Opt {
            id: #id, name: #name, values: #values, rest: #r, read: #read,
            read_rest: #read_rest, read_repeats: #repeats, rules: #rs, access: #acc,
        }
    }
}

fn form_kind(k: s::FormKind) -> TokenStream {
    match k {
        s::FormKind::Action => quote!(FormKind::Action),
        s::FormKind::Read => quote!(FormKind::Read),
        s::FormKind::Test => quote!(FormKind::Test),
        s::FormKind::Execute => quote!(FormKind::Execute),
    }
}

fn outcome(o: &s::Outcome) -> TokenStream {
    let when = conds(&o.when);
    let data = match o.data {
        s::DataMode::Continuous => quote!(DataMode::Continuous),
        s::DataMode::Transparent => quote!(DataMode::Transparent),
        s::DataMode::HexDump => quote!(DataMode::HexDump),
    };
    let etx = opt(&o.etx, |e| match e {
        s::EtxMeaning::EndOfDatagram => quote!(EtxMeaning::EndOfDatagram),
        s::EtxMeaning::Shutdown => quote!(EtxMeaning::Shutdown),
        s::EtxMeaning::EndOfData => quote!(EtxMeaning::EndOfData),
    });
    quote!(Outcome { when: #when, data: #data, etx: #etx })
}

fn form(f: &s::Form) -> TokenStream {
    let kind = form_kind(f.kind);
    let name = text(&f.name);
    let select = conds(&f.select);
    let params = list(&f.params, param);
    let r = rest(&f.rest);
    let options = binding(&f.options);
    let rs = rules(&f.rules);
    let responses = indexes(&f.responses);
    let urcs = indexes(&f.urcs);
    let echo = indexes(&f.echo);
    let outcomes = list(&f.outcomes, outcome);
    quote! {
        Form {
            kind: #kind, name: #name, select: #select, params: #params, rest: #r,
            options: #options, rules: #rs, responses: #responses, urcs: #urcs,
            echo: #echo, outcomes: #outcomes,
        }
    }
}

fn message(m: &s::Message) -> TokenStream {
    let id = text(&m.id);
    let prefix = opt(&m.prefix, |p| text(p));
    let kind = match m.kind {
        s::MessageKind::Info => quote!(MessageKind::Info),
        s::MessageKind::Urc => quote!(MessageKind::Urc),
        s::MessageKind::Both => quote!(MessageKind::Both),
    };
    let select = conds(&m.select);
    let fields = list(&m.fields, param);
    let r = rest(&m.rest);
    let options = binding(&m.options);
    let rs = rules(&m.rules);
    quote! {
        Message {
            id: #id, prefix: #prefix, kind: #kind, select: #select, fields: #fields,
            rest: #r, options: #options, rules: #rs,
        }
    }
}

/// `pub static DIALECT`.
pub(crate) fn emit(spec: &ir::Spec) -> TokenStream {
    let d = dialect(spec);
    let name = text(&d.name);
    let prefix = text(&d.command_prefix);
    let sets = list(&d.value_sets, |v| {
        let id = text(&v.id);
        let values = list(&v.values, |(n, name)| {
            let (n, name) = (int(*n), text(name));
            quote!((#n, #name))
        });
        quote!(ValueSet { id: #id, values: #values })
    });
    let tables = list(&d.tables, |t| {
        let id = text(&t.id);
        let options = list(&t.options, opt_item);
        quote!(OptionTable { id: #id, options: #options })
    });
    let commands = list(&d.commands, |c| {
        let name = text(&c.name);
        let timeout = u32_lit(c.timeout_ms);
        let errors = list(&c.errors, |e| {
            let e = u32_lit(*e);
            quote!(#e)
        });
        let forms = list(&c.forms, form);
        quote!(Command { name: #name, timeout_ms: #timeout, errors: #errors, forms: #forms })
    });
    let messages = list(&d.messages, message);
    let errors = list(&d.errors, |e| {
        let code = u32_lit(e.code);
        let t = text(&e.text);
        quote!(ErrorCode { code: #code, text: #t })
    });
    let doc = docs::attrs(&[
        format!(
            "The command set {}, as data for the engine (`::wip_runtime::schema`), which parses, validates and formats every line the types below stand for.",
            docs::code(&d.name)
        ),
        format!("Source: {}", docs::prose(&spec.source)),
    ]);
    quote! {
        #doc
        pub static DIALECT: ::wip_runtime::schema::Dialect = {
            #[allow(unused_imports)]
            use ::core::option::Option::{None, Some};
            use ::std::borrow::Cow::Borrowed;
            use ::wip_runtime::schema::*;
            Dialect {
                name: #name,
                command_prefix: #prefix,
                value_sets: #sets,
                tables: #tables,
                commands: #commands,
                messages: #messages,
                errors: #errors,
            }
        };
    }
}
