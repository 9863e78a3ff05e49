//! The spec's [`wip_schema::Dialect`] as a `static` of borrowed data.
//!
//! It is written from the loaded spec's own [`wip_schema::Dialect`],
//! walking the engine's types, so the static and the run-time dialect
//! cannot differ. It uses the `const fn` constructors of [`wip_schema::build`]
//! (`Param::req("mode", Ty::int(0, 1))`), so that each parameter, value,
//! condition and error code takes one line and each form, message or
//! option a few. Lists of such values are `const { &[...] }` blocks (a
//! value built by a call is not promoted to `'static`); each option table
//! and each command's forms are a `const` item of their own, which keeps
//! the nesting shallow. Short names are imported inside the initializer's
//! block, where they cannot clash with the items around the generated
//! code.

use std::collections::BTreeSet;

use super::{docs, ident, index, int, u32_lit};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use wip_schema as s;
use wip_spec::Spec;

/// A slice of values the engine promotes to `'static` by itself (integers,
/// tuples of literals).
fn slice<T>(items: &[T], f: impl Fn(&T) -> TokenStream) -> TokenStream {
    let items = items.iter().map(f);
    quote!(&[#(#items),*])
}

/// A `'static` slice of values built by `const fn` calls: an inline
/// `const` block, unless empty.
fn consts<T>(items: &[T], f: impl Fn(&T) -> TokenStream) -> TokenStream {
    if items.is_empty() {
        quote!(&[])
    } else {
        let items = slice(items, f);
        quote!(const { #items })
    }
}

fn ints(v: &[i64]) -> TokenStream {
    slice(v, |x| int(*x))
}

/// A slice of borrowed texts: `&[Borrowed("TCP"), ...]`.
fn texts(v: &[s::Text]) -> TokenStream {
    slice(v, |t| {
        let t: &str = t;
        quote!(Borrowed(#t))
    })
}

fn indexes(v: &[usize]) -> TokenStream {
    slice(v, |x| {
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
            quote!(Ty::int(#min, #max))
        }
        s::Ty::Enum { set, allowed } => {
            let set = index(*set);
            let allowed = ints(allowed);
            quote!(Ty::set(#set, #allowed))
        }
        s::Ty::Str { max_len } => {
            let m = opt_u32(*max_len);
            quote!(Ty::string(#m))
        }
        s::Ty::Host { max_len } => {
            let m = opt_u32(*max_len);
            quote!(Ty::host(#m))
        }
        s::Ty::Ip => quote!(Ty::Ip),
        s::Ty::Hex { max_bytes } => {
            let m = u32_lit(*max_bytes);
            quote!(Ty::hex(#m))
        }
        s::Ty::Text => quote!(Ty::Text),
        s::Ty::Token => quote!(Ty::Token),
        s::Ty::HostAny { max_len } => {
            let m = opt_u32(*max_len);
            quote!(Ty::host_any(#m))
        }
        s::Ty::IpAny => quote!(Ty::IpAny),
        s::Ty::StrEnum { set, allowed } => {
            let set = index(*set);
            let allowed = texts(allowed);
            quote!(Ty::text_set(#set, #allowed))
        }
        s::Ty::Code { table, success } => {
            let t = match table {
                Some(t) => {
                    let t = index(*t);
                    quote!(Some(#t))
                }
                None => quote!(None),
            };
            let s = match success {
                Some(v) => {
                    let v = proc_macro2::Literal::i64_unsuffixed(*v);
                    quote!(Some(#v))
                }
                None => quote!(None),
            };
            quote!(Ty::Code { table: #t, success: #s })
        }
        s::Ty::Ranges => quote!(Ty::Ranges),
        s::Ty::Counted { len_field } => {
            let f = index(*len_field);
            quote!(Ty::Counted { len_field: #f })
        }
    }
}

fn lit(l: &s::Lit) -> TokenStream {
    match l {
        s::Lit::Int(v) => {
            let v = int(*v);
            quote!(Lit::Int(#v))
        }
        s::Lit::Str(v) => {
            let v: &str = v;
            quote!(Lit::str(#v))
        }
    }
}

fn param(p: &s::Param) -> TokenStream {
    let made = param_made(p);
    if p.keep_empty {
        quote!(#made.keep_empty())
    } else {
        made
    }
}

fn param_made(p: &s::Param) -> TokenStream {
    let name: &str = &p.name;
    let t = ty(&p.ty);
    match (p.optional, &p.default) {
        (false, None) => quote!(Param::req(#name, #t)),
        (true, None) => quote!(Param::opt(#name, #t)),
        (true, Some(d)) => {
            let d = lit(d);
            quote!(Param::opt_or(#name, #t, #d))
        }
        (false, Some(d)) => {
            let d = lit(d);
            quote!(Param::req(#name, #t).default(#d))
        }
    }
}

fn params(ps: &[s::Param]) -> TokenStream {
    consts(ps, param)
}

fn rest(r: &s::Rest) -> TokenStream {
    let name: &str = &r.name;
    let t = ty(&r.ty);
    let group = u32_lit(r.group);
    let max = opt_u32(r.max_groups);
    quote!(Rest::new(#name, #t, #group, #max))
}

fn conds(cs: &[s::Cond]) -> TokenStream {
    consts(cs, |c| {
        let p = index(c.param);
        match c.given {
            Some(g) => quote!(Cond::given(#p, #g)),
            None if !c.texts.is_empty() => {
                let t = texts(&c.texts);
                quote!(Cond::texts(#p, #t))
            }
            None => {
                let v = ints(&c.values);
                quote!(Cond::new(#p, #v))
            }
        }
    })
}

fn rules(rs: &[s::Rule]) -> TokenStream {
    consts(rs, |r| match r {
        s::Rule::Order { lesser, greater } => {
            let (l, g) = (index(*lesser), index(*greater));
            quote!(Rule::order(#l, #g))
        }
        s::Rule::Together(ps) => {
            let ps = indexes(ps);
            quote!(Rule::together(#ps))
        }
        s::Rule::AnyOf(ps) => {
            let ps = indexes(ps);
            quote!(Rule::any_of(#ps))
        }
        s::Rule::Require { when, params } => {
            let (w, p) = (conds(when), indexes(params));
            quote!(Rule::require(#w, #p))
        }
        s::Rule::Forbid { when, params } => {
            let (w, p) = (conds(when), indexes(params));
            quote!(Rule::forbid(#w, #p))
        }
        s::Rule::Reject { when, reason } => {
            let (w, r): (_, &str) = (conds(when), reason);
            quote!(Rule::reject(#w, #r))
        }
        s::Rule::Range {
            when,
            param,
            min,
            max,
        } => {
            let (w, p, lo, hi) = (conds(when), index(*param), int(*min), int(*max));
            quote!(Rule::range(#w, #p, #lo, #hi))
        }
        s::Rule::Format {
            when,
            param,
            format,
        } => {
            let (w, p) = (conds(when), index(*param));
            let f = match format {
                s::Format::Pattern(pat) => {
                    let pat: &str = pat;
                    quote!(Format::pattern(#pat))
                }
                s::Format::Digits { min, max } => {
                    let (lo, hi) = (u32_lit(*min), u32_lit(*max));
                    quote!(Format::digits(#lo, #hi))
                }
            };
            quote!(Rule::format(#w, #p, #f))
        }
    })
}

/// A total across options, built with the setters it needs.
fn total(t: &s::Total) -> TokenStream {
    let options = t.options.iter().map(|o| int(*o));
    let mut out = quote!(Total::new(&[#(#options),*]));
    if let Some(m) = t.max_count {
        let m = u32_lit(m);
        out = quote!(#out.max_count(#m));
    }
    if let Some(m) = t.max_len {
        let m = u32_lit(m);
        out = quote!(#out.max_len(#m));
    }
    if !t.suffixes.is_empty() {
        let sfx = t.suffixes.iter().map(|(o, x)| {
            let (o, x): (_, &str) = (int(*o), x);
            quote!((#o, Borrowed(#x)))
        });
        out = quote!(#out.suffixes(&[#(#sfx),*]));
    }
    if !t.separator.is_empty() {
        let sep: &str = &t.separator;
        out = quote!(#out.separator(#sep));
    }
    out
}

fn access(a: s::Access) -> TokenStream {
    match a {
        s::Access::R => quote!(Access::R),
        s::Access::W => quote!(Access::W),
        s::Access::RW => quote!(Access::RW),
        s::Access::None => quote!(Access::None),
    }
}

fn binding(b: &s::Binding) -> TokenStream {
    let id = index(b.id_param);
    let key = opt(&b.key_param, |k| {
        let k = index(*k);
        quote!(#k)
    });
    let tables = slice(&b.tables, |(keys, t)| {
        let keys = ints(keys);
        let t = index(*t);
        quote!((Borrowed(#keys), #t))
    });
    let a = access(b.access);
    quote!(Binding::new(#id, #key, #tables, #a))
}

/// `.name(value)` calls for the fields that differ from the constructor's.
#[derive(Default)]
struct Calls(Vec<TokenStream>);

impl Calls {
    fn set(&mut self, on: bool, name: &str, value: impl FnOnce() -> TokenStream) {
        if on {
            let (name, value) = (ident(name), value());
            self.0.push(quote!(.#name(#value)));
        }
    }

    fn flag(&mut self, on: bool, name: &str) {
        if on {
            let name = ident(name);
            self.0.push(quote!(.#name()));
        }
    }

    fn after(self, base: TokenStream) -> TokenStream {
        let calls = self.0;
        quote!(#base #(#calls)*)
    }
}

fn opt_item(o: &s::Opt) -> TokenStream {
    let id = int(o.id);
    let name: &str = &o.name;
    let values = params(&o.values);
    let mut c = Calls::default();
    c.set(o.read != o.values, "read", || params(&o.read));
    c.set(o.rest.is_some(), "rest", || {
        o.rest.as_ref().map(rest).unwrap_or_default()
    });
    c.set(o.read_rest.is_some(), "read_rest", || {
        o.read_rest.as_ref().map(rest).unwrap_or_default()
    });
    c.flag(o.read_repeats, "read_repeats");
    if let Some(code) = o.read_error {
        c.set(true, "read_error", || quote!(#code));
    }
    c.set(!o.rules.is_empty(), "rules", || rules(&o.rules));
    c.set(o.access != s::AccessSpec::RW, "access", || {
        match &o.access {
            s::AccessSpec::All(s::Access::R) => quote!(AccessSpec::R),
            s::AccessSpec::All(s::Access::W) => quote!(AccessSpec::W),
            s::AccessSpec::All(s::Access::RW) => quote!(AccessSpec::RW),
            s::AccessSpec::All(s::Access::None) => quote!(AccessSpec::NONE),
            s::AccessSpec::PerKey(m) => {
                let m = slice(m, |(k, a)| {
                    let (k, a) = (int(*k), access(*a));
                    quote!((#k, #a))
                });
                quote!(AccessSpec::per_key(#m))
            }
        }
    });
    c.after(quote!(Opt::new(#id, #name, #values)))
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
    if o.upload {
        quote!(Outcome::new(#when, #data, #etx).upload())
    } else {
        quote!(Outcome::new(#when, #data, #etx))
    }
}

fn form(f: &s::Form) -> TokenStream {
    let name: &str = &f.name;
    let base = match f.kind {
        s::FormKind::Action => quote!(Form::action(#name)),
        s::FormKind::Read => quote!(Form::read(#name)),
        s::FormKind::Test => quote!(Form::test(#name)),
        s::FormKind::Execute => quote!(Form::execute(#name)),
    };
    let mut c = Calls::default();
    c.set(!f.select.is_empty(), "select", || conds(&f.select));
    c.set(!f.params.is_empty(), "params", || params(&f.params));
    c.set(f.rest.is_some(), "rest", || {
        f.rest.as_ref().map(rest).unwrap_or_default()
    });
    c.set(f.options.is_some(), "options", || {
        f.options.as_ref().map(binding).unwrap_or_default()
    });
    c.set(!f.rules.is_empty(), "rules", || rules(&f.rules));
    c.set(!f.responses.is_empty(), "responses", || {
        indexes(&f.responses)
    });
    c.set(!f.urcs.is_empty(), "urcs", || indexes(&f.urcs));
    c.set(!f.echo.is_empty(), "echo", || indexes(&f.echo));
    c.set(!f.outcomes.is_empty(), "outcomes", || {
        consts(&f.outcomes, outcome)
    });
    c.set(!f.finals.is_empty(), "finals", || {
        slice(&f.finals, final_ref)
    });
    c.set(f.completion.is_some(), "completion", || {
        f.completion.as_ref().map(completion).unwrap_or_default()
    });
    c.set(f.prompt.is_some(), "prompt", || {
        f.prompt.as_ref().map(prompt).unwrap_or_default()
    });
    c.after(base)
}

fn final_ref(r: &s::FinalRef) -> TokenStream {
    match r {
        s::FinalRef::Ok => quote!(FinalRef::Ok),
        s::FinalRef::Error => quote!(FinalRef::Error),
        s::FinalRef::CmeError => quote!(FinalRef::CmeError),
        s::FinalRef::CmsError => quote!(FinalRef::CmsError),
        s::FinalRef::Connect => quote!(FinalRef::Connect),
        s::FinalRef::NoCarrier => quote!(FinalRef::NoCarrier),
        s::FinalRef::Busy => quote!(FinalRef::Busy),
        s::FinalRef::NoAnswer => quote!(FinalRef::NoAnswer),
        s::FinalRef::NoDialtone => quote!(FinalRef::NoDialtone),
        s::FinalRef::Custom(i) => {
            let i = proc_macro2::Literal::u16_unsuffixed(*i);
            quote!(FinalRef::Custom(#i))
        }
    }
}

fn timeout_from(t: &s::TimeoutFrom) -> TokenStream {
    let param: &str = &t.param;
    let (scale, plus) = (u32_lit(t.scale_ms), u32_lit(t.plus_ms));
    quote!(TimeoutFrom::new(#param, #scale, #plus))
}

fn completion(c: &s::Completion) -> TokenStream {
    let message = index(c.message);
    let echo = slice(&c.echo, |(p, f)| {
        let (p, f) = (index(*p), index(*f));
        quote!((#p, #f))
    });
    let timeout = u32_lit(c.timeout_ms);
    let mut calls = Calls::default();
    calls.set(!c.when.is_empty(), "when", || conds(&c.when));
    calls.set(c.timeout_from.is_some(), "timeout_from", || {
        c.timeout_from
            .as_ref()
            .map(timeout_from)
            .unwrap_or_default()
    });
    calls.flag(c.before_final, "before_final");
    calls.set(!c.success.is_empty(), "success", || conds(&c.success));
    calls.flag(c.unless_aborted, "unless_aborted");
    calls.after(quote!(Completion::new(#message, #echo, #timeout)))
}

fn final_code(f: &s::FinalCode) -> TokenStream {
    let text: &str = &f.text;
    let success = f.success;
    let mut c = Calls::default();
    c.set(!f.fields.is_empty(), "fields", || params(&f.fields));
    c.after(quote!(FinalCode::new(#text, #success)))
}

fn prompt(p: &s::Prompt) -> TokenStream {
    let text: &str = &p.text;
    let rules = consts(&p.payload, |r| {
        let when = conds(&r.when);
        match r.kind {
            s::PayloadKind::Counted { param } => {
                let param = index(param);
                quote!(PayloadRule::counted(#when, #param))
            }
            s::PayloadKind::Terminated {
                end,
                abort,
                escape,
                max_len,
            } => {
                let byte = |b: &u8| {
                    let l = Literal::u8_unsuffixed(*b);
                    quote!(#l)
                };
                let (end, abort, escape) = (byte(&end), opt(&abort, byte), opt(&escape, byte));
                match max_len {
                    Some(m) => {
                        let m = Literal::u32_unsuffixed(m);
                        quote!(PayloadRule::terminated_max(#when, #end, #abort, #escape, #m))
                    }
                    None => quote!(PayloadRule::terminated(#when, #end, #abort, #escape)),
                }
            }
        }
    });
    let mut c = Calls::default();
    c.set(p.again_after.is_some(), "again_after", || {
        let l = Literal::u8_unsuffixed(p.again_after.unwrap_or_default());
        quote!(#l)
    });
    c.set(p.delay_ms != 0, "delay_ms", || {
        let l = u32_lit(p.delay_ms);
        quote!(#l)
    });
    c.after(quote!(Prompt::new(#text, #rules)))
}

fn message(m: &s::Message) -> TokenStream {
    let id: &str = &m.id;
    let prefix = opt(&m.prefix, |p| {
        let p: &str = p;
        quote!(#p)
    });
    let base = match m.kind {
        s::MessageKind::Info => quote!(Message::info(#id, #prefix)),
        s::MessageKind::Urc => quote!(Message::urc(#id, #prefix)),
        s::MessageKind::Both => quote!(Message::both(#id, #prefix)),
    };
    let mut c = Calls::default();
    c.set(!m.select.is_empty(), "select", || conds(&m.select));
    c.set(!m.fields.is_empty(), "fields", || params(&m.fields));
    c.set(m.rest.is_some(), "rest", || {
        m.rest.as_ref().map(rest).unwrap_or_default()
    });
    c.set(m.options.is_some(), "options", || {
        m.options.as_ref().map(binding).unwrap_or_default()
    });
    c.set(!m.rules.is_empty(), "rules", || rules(&m.rules));
    c.set(m.payload.is_some(), "payload", || match m.payload {
        Some(s::PayloadAfter::Counted { field }) => {
            let field = index(field);
            quote!(PayloadAfter::Counted { field: #field })
        }
        _ => quote!(PayloadAfter::Line),
    });
    c.flag(m.test, "test");
    c.flag(m.glued, "glued");
    c.after(base)
}

/// Names for the block's `const` items: `PREFIX_ID` from an id, made
/// unique.
#[derive(Default)]
struct Names(BTreeSet<String>);

impl Names {
    fn take(&mut self, prefix: &str, id: &str) -> proc_macro2::Ident {
        let mut base = format!("{prefix}_");
        for ch in id
            .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
            .chars()
        {
            base.push(if ch.is_ascii_alphanumeric() {
                ch.to_ascii_uppercase()
            } else {
                '_'
            });
        }
        let mut name = base.clone();
        let mut n = 2;
        while !self.0.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        ident(&name)
    }
}

/// `pub static DIALECT`.
pub(crate) fn emit(spec: &Spec) -> TokenStream {
    let d = &spec.dialect;
    let name: &str = &d.name;
    let prefix: &str = &d.command_prefix;
    let mut names = Names::default();
    let sets = d.value_sets.iter().map(|v| {
        let id: &str = &v.id;
        if !v.texts.is_empty() {
            let values = slice(&v.texts, |(t, name)| {
                let (t, name): (&str, &str) = (t, name);
                quote!((Borrowed(#t), Borrowed(#name)))
            });
            return quote!(ValueSet::texts(#id, #values));
        }
        let values = slice(&v.values, |(n, name)| {
            let (n, name): (_, &str) = (int(*n), name);
            quote!((#n, Borrowed(#name)))
        });
        quote!(ValueSet::new(#id, #values))
    });
    let mut items = Vec::new();
    let tables: Vec<_> = d
        .tables
        .iter()
        .map(|t| {
            let id: &str = &t.id;
            let item = names.take("OPTIONS", id);
            let options = t.options.iter().map(opt_item);
            items.push(quote!(const #item: &[Opt] = &[#(#options),*];));
            if t.totals.is_empty() {
                quote!(OptionTable::new(#id, #item))
            } else {
                let totals = t.totals.iter().map(total);
                quote!(OptionTable::new(#id, #item).totals(const { &[#(#totals),*] }))
            }
        })
        .collect();
    let commands: Vec<_> = d
        .commands
        .iter()
        .map(|c| {
            let name: &str = &c.name;
            let item = names.take("FORMS", name);
            let forms = c.forms.iter().map(form);
            items.push(quote!(const #item: &[Form] = &[#(#forms),*];));
            let timeout = u32_lit(c.timeout_ms);
            let errors = slice(&c.errors, |e| {
                let e = u32_lit(*e);
                quote!(#e)
            });
            let table = c.errors_table.map(|t| {
                let t = index(t);
                quote!(.errors_table(#t))
            });
            let complete = c.errors_complete.then(|| quote!(.errors_complete(true)));
            let also = (!c.also_errors.is_empty()).then(|| {
                let codes = c.also_errors.iter().map(|e| u32_lit(*e));
                quote!(.also_errors(&[#(#codes),*]))
            });
            let mut calls = Calls::default();
            calls.set(c.timeout_from.is_some(), "timeout_from", || {
                c.timeout_from
                    .as_ref()
                    .map(timeout_from)
                    .unwrap_or_default()
            });
            let base = calls.after(quote!(Command::new(#name, #timeout, #errors, #item)));
            quote!(#base #table #complete #also)
        })
        .collect();
    let messages = d.messages.iter().map(message);
    let errors = d.errors.iter().map(|e| {
        let (code, t): (_, &str) = (u32_lit(e.code), &e.text);
        quote!(ErrorCode::new(#code, #t))
    });
    let error_tables = (!d.error_tables.is_empty()).then(|| {
        let tables = d.error_tables.iter().map(|t| {
            let id: &str = &t.id;
            let line = match &t.line_prefix {
                Some(p) => {
                    let p: &str = p;
                    quote!(Some(#p))
                }
                None => quote!(None),
            };
            let codes = t.codes.iter().map(|e| {
                let (code, text): (_, &str) = (u32_lit(e.code), &e.text);
                quote!(ErrorCode::new(#code, #text))
            });
            let reserved = slice(&t.reserved, |(a, b)| {
                let (a, b) = (u32_lit(*a), u32_lit(*b));
                quote!((#a, #b))
            });
            let verbose = t.verbose.then(|| quote!(.verbose(true)));
            quote!(ErrorTable::new(#id, #line, const { &[#(#codes),*] }, #reserved) #verbose)
        });
        quote!(.error_tables(const { &[#(#tables),*] }))
    });
    // Only a spec that declares final result codes says so: the statics
    // of the others stay as they were.
    let (finals_item, finals_call) = if d.finals.is_empty() {
        (quote!(), quote!())
    } else {
        let finals = d.finals.iter().map(final_code);
        (
            quote!(const FINALS: &[FinalCode] = &[#(#finals),*];),
            quote!(.finals(FINALS)),
        )
    };
    let prefixes = d.command_prefixes.as_ref().map(|list| {
        let list = slice(list, |p| {
            let p: &str = p;
            quote!(Borrowed(#p))
        });
        quote!(.command_prefixes(#list))
    });
    let foreign = (!d.foreign_commands.is_empty()).then(|| {
        let list = slice(&d.foreign_commands, |p| {
            let p: &str = p;
            quote!(Borrowed(#p))
        });
        quote!(.foreign_commands(#list))
    });
    let doc = docs::attrs(&[
        format!(
            "The command set {}, as data for the engine (`::wip_runtime::schema`), which parses, validates and formats every line the types below stand for.",
            docs::code(&d.name)
        ),
        format!("Source: {}", docs::prose(&spec.notes.source)),
    ]);
    quote! {
        #doc
        pub static DIALECT: ::wip_runtime::schema::Dialect = {
            #[allow(unused_imports)]
            use ::core::option::Option::{None, Some};
            #[allow(unused_imports)]
            use ::wip_runtime::schema::Cow::Borrowed;
            use ::wip_runtime::schema::*;
            const VALUE_SETS: &[ValueSet] = &[#(#sets),*];
            #(#items)*
            const TABLES: &[OptionTable] = &[#(#tables),*];
            const COMMANDS: &[Command] = &[#(#commands),*];
            const MESSAGES: &[Message] = &[#(#messages),*];
            const ERRORS: &[ErrorCode] = &[#(#errors),*];
            #finals_item
            Dialect::new(#name, #prefix)
                .value_sets(VALUE_SETS)
                .tables(TABLES)
                .commands(COMMANDS)
                .messages(MESSAGES)
                .errors(ERRORS)
                #finals_call
                #prefixes
                #foreign
                #error_tables
        };
    }
}
