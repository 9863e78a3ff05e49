//! One typed request per command form, and the `Request` enum across them.
//!
//! A request is built with `new` (checked by the engine exactly as a modem
//! would check the line), encodes to the exact wire bytes, and parses back
//! from a command line, which is what the modem side (the transcript
//! verifier, the emulator) does with it.

use super::fields::{self, Access, Plan};
use super::names::{Cx, Owner};
use super::options::{self, OptionSpec};
use super::{docs, ident, index, private, schema, u32_lit};
use proc_macro2::TokenStream;
use quote::quote;
use wip_schema::{Command, DataMode, EtxMeaning, Form, Ty};
use wip_spec::notes::{CommandRef, FormRef};
use wip_spec::Spec;

/// The syntax line of a form, as the manual writes it: the line the
/// Markdown reference shows.
pub(crate) fn syntax(spec: &Spec, c: &Command, f: &Form) -> String {
    crate::doc::syntax::form_line(&spec.dialect, c, f)
}

fn message_links(cx: &Cx<'_>, ids: &[usize]) -> String {
    ids.iter()
        .map(|i| match cx.spec.dialect.messages.get(*i) {
            Some(m) => format!("[`{}`]", m.id),
            None => "`?`".to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn outcome_text(cx: &Cx<'_>, f: &FormRef) -> String {
    let modes: Vec<String> = f
        .outcomes
        .iter()
        .zip(&f.notes.outcomes)
        .map(|(o, section)| {
            let mode = match o.data {
                DataMode::Continuous => "continuous data mode after `CONNECT`",
                DataMode::Transparent => "continuous transparent data mode after `CONNECT`",
                DataMode::HexDump => "data offline mode (hex dumps, no `CONNECT`)",
            };
            let etx = match o.etx {
                Some(EtxMeaning::EndOfDatagram) => ", a lone ETX ending a datagram",
                Some(EtxMeaning::Shutdown) => ", a lone ETX shutting down the sending side",
                Some(EtxMeaning::EndOfData) => ", a lone ETX ending the transfer",
                None => "",
            };
            let when: Vec<String> = o
                .when
                .iter()
                .map(|c| {
                    let p = f.params.get(c.param);
                    let name = p.map_or("?", |p| p.name.as_ref());
                    let vals: Vec<String> = c
                        .values
                        .iter()
                        .map(|v| match p.map(|p| &p.ty) {
                            Some(Ty::Enum { set, .. }) => cx.spec.describe_value(*set, *v),
                            _ => v.to_string(),
                        })
                        .collect();
                    format!("`<{name}>` is {}", docs::markdown(&vals.join(" or ")))
                })
                .collect();
            let when = if when.is_empty() {
                "always".to_string()
            } else {
                format!("when {}", when.join(" and "))
            };
            format!("{mode}{etx}, {when} (section {section})")
        })
        .collect();
    if modes.is_empty() {
        String::new()
    } else {
        format!("Opens {}.", modes.join("; "))
    }
}

fn form_docs(cx: &Cx<'_>, c: &CommandRef, f: &FormRef) -> TokenStream {
    let mut paras = vec![docs::code(&syntax(cx.spec, c, f))];
    paras.push(docs::prose(&f.notes.doc));
    paras.push(format!(
        "Form `{}` of `AT{}` ({}, section {}), section {}. Timeout: {} ms.",
        f.name,
        c.name,
        docs::markdown(&c.notes.title),
        c.notes.section,
        f.notes.section,
        c.timeout_ms
    ));
    if !f.responses.is_empty() {
        paras.push(format!(
            "Responses before the final result code: {}.",
            message_links(cx, &f.responses)
        ));
    }
    if !f.urcs.is_empty() {
        paras.push(format!(
            "Unsolicited result codes it may lead to: {}.",
            message_links(cx, &f.urcs)
        ));
    }
    paras.push(outcome_text(cx, f));
    if !c.errors.is_empty() {
        let codes: Vec<String> = c.errors.iter().map(u32::to_string).collect();
        let sec = c
            .notes
            .errors_section
            .as_ref()
            .map(|s| format!(" (section {s})"))
            .unwrap_or_default();
        paras.push(format!(
            "Error codes of the command{sec}: {}; see [`CmeError`].",
            codes.join(", ")
        ));
    }
    docs::attrs(&paras)
}

struct FormCode {
    item: TokenStream,
    variant: TokenStream,
}

fn form(
    cx: &Cx<'_>,
    ci: usize,
    c: &CommandRef,
    fi: usize,
    f: &FormRef,
) -> Result<FormCode, String> {
    let s = schema();
    let name = ident(&f.notes.rust);
    let ctx: &str = &c.name;
    let params = f.params();
    let opt: Option<OptionSpec> = f
        .options
        .as_ref()
        .map(|b| options::option_field(cx, Owner::Form, &f.notes.rust, ctx, &params, b));
    let (option_field, keyed_def, option_from) = match opt {
        Some(o) => (Some(o.field), o.keyed_def, o.from_bound),
        None => (None, quote!(), quote!()),
    };
    let plan: Plan = fields::plan(cx.spec, &params, &f.select, f.rest(), option_field)
        .map_err(|m| format!("form `{}` of {}: {m}", f.name, c.name))?;
    let doc = form_docs(cx, c, f);
    let (ci, fi) = (index(ci), index(fi));
    let timeout = u32_lit(c.timeout_ms);
    let params = plan.params_expr(Access::SelfField);
    let rest = plan.rest_expr(Access::SelfField);
    let option = plan.option_expr(Access::SelfField);
    let inits = plan.reads(&quote!(r), &option_from);
    let (args, arg_inits) = plan.args();
    let super::fields::StructParts {
        many,
        decl,
        built,
        from,
    } = plan.struct_parts(&name, &inits, &arg_inits);
    let bound = if plan.rest_field().is_none() && plan.option_field().is_none() {
        quote!(#s::Bound::of(#params))
    } else {
        quote!(#s::Bound { params: #params, rest: #rest, option: #option })
    };
    let reader = if plan.uses_reader() {
        quote!(let r = #s::typed::Reader::new(#ctx, b);)
    } else {
        quote!()
    };
    let impls = private(quote! {
        impl #name {
            /// Builds the request, checked as the modem checks the line:
            /// ranges, lengths, option tables and rules across parameters.
            #many
            pub fn new(#(#args),*) -> Result<Self, #s::Error> {
                let v = #built;
                v.validate()?;
                Ok(v)
            }
        }

        impl #s::typed::TypedCommand for #name {
            const COMMAND: usize = #ci;
            const FORM: usize = #fi;
            const TIMEOUT_MS: u32 = #timeout;
            type Response = Response;
            type Error = CmeError;

            fn dialect() -> &'static #s::Dialect {
                &DIALECT
            }

            fn to_bound(&self) -> #s::Bound {
                #bound
            }

            fn from_bound(b: &#s::Bound) -> Result<Self, #s::Error> {
                #reader
                #from
            }
        }

        #s::__typed_command!(#name in Request);
    });
    let item = quote! {
        #doc
        #decl

        #impls

        #keyed_def
    };
    let vdoc = docs::attrs(&[format!(
        "{}: [`{}`].",
        docs::code(&syntax(cx.spec, c, f)),
        f.notes.rust
    )]);
    Ok(FormCode {
        item,
        variant: quote!(#vdoc #name(#name)),
    })
}

/// Every form, and `Request`.
pub(crate) fn emit(cx: &Cx<'_>) -> Result<TokenStream, String> {
    let s = schema();
    let mut items = Vec::new();
    let mut variants = Vec::new();
    let mut names = Vec::new();
    let mut ids = Vec::new();
    for (ci, c) in cx.spec.commands().iter().enumerate() {
        for (fi, f) in c.forms().iter().enumerate() {
            let code = form(cx, ci, c, fi, f)?;
            items.push(code.item);
            variants.push(code.variant);
            names.push(ident(&f.notes.rust));
            ids.push((index(ci), index(fi)));
        }
    }
    let from_arms = names
        .iter()
        .zip(&ids)
        .map(|(n, (c, f))| quote!((#c, #f) => #n::from_bound(b).map(Self::#n)));
    let doc = docs::attrs(&[format!(
        "Every command line of {}, typed: one variant per command form.",
        docs::code(&format!(
            "{} {} rev {}",
            cx.spec.notes.name, cx.spec.notes.version, cx.spec.notes.revision
        ))
    )]);
    let impls = private(quote! {
        impl Request {
            /// Parses a command line (without its `<CR>`) into the form it
            /// selects, checked as the modem checks it.
            pub fn parse(line: &str) -> Result<Self, #s::Error> {
                let p = #s::parse_command(&DIALECT, line)?;
                Self::from_bound(p.command, p.form, &p.values)
            }

            /// The request of values the engine bound to a form.
            pub fn from_bound(command: usize, form: usize, b: &#s::Bound) -> Result<Self, #s::Error> {
                match (command, form) {
                    #(#from_arms,)*
                    _ => Err(#s::typed::no_such_form(&DIALECT, command, form)),
                }
            }

            /// The indexes of the command and its form in [`DIALECT`]: the
            /// pending command that [`Response::parse`] takes.
            pub const fn ids(&self) -> (usize, usize) {
                match self {
                    #(Self::#names(_) => (#names::COMMAND, #names::FORM),)*
                }
            }

            /// The values as the engine binds them.
            pub fn to_bound(&self) -> #s::Bound {
                match self {
                    #(Self::#names(v) => v.to_bound(),)*
                }
            }

            /// Checks the values as the modem checks the line.
            pub fn validate(&self) -> Result<(), #s::Error> {
                let (command, form) = self.ids();
                #s::validate_command(&DIALECT, command, form, &self.to_bound())
            }

            /// The command line, without its `<CR>`.
            pub fn encode(&self) -> String {
                let (command, form) = self.ids();
                #s::format_command(&DIALECT, command, form, &self.to_bound())
            }

            /// The bytes sent: the command line and its `<CR>`.
            pub fn to_bytes(&self) -> Vec<u8> {
                let mut line = self.encode();
                line.push('\r');
                line.into_bytes()
            }

            /// How long to wait for the final result code, in milliseconds.
            pub const fn timeout_ms(&self) -> u32 {
                match self {
                    #(Self::#names(_) => #names::TIMEOUT_MS,)*
                }
            }

            /// The data mode the request opens, if it opens one.
            pub fn outcome(&self) -> Option<&'static #s::Outcome> {
                let (command, form) = self.ids();
                #s::outcome(&DIALECT, &#s::ParsedCommand {
                    command,
                    form,
                    values: self.to_bound(),
                })
            }
        }

        impl fmt::Display for Request {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.encode())
            }
        }

        impl FromStr for Request {
            type Err = #s::Error;

            fn from_str(line: &str) -> Result<Self, Self::Err> {
                Self::parse(line)
            }
        }
    });
    Ok(quote! {
        #(#items)*

        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Request {
            #(#variants,)*
        }

        #impls
    })
}
