//! One typed value per information response and URC, parsed from one
//! modem line and formatted back to it; the `Urc` and `Response` enums
//! across them.

use super::fields::{self, Access, Plan};
use super::names::{Cx, Owner};
use super::options::{self, OptionSpec};
use super::{docs, ident, index, private, schema};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wip_schema::{Message, MessageKind};
use wip_spec::notes::MessageRef;
use wip_spec::Spec;

/// The line of a message, as the manual writes it: the line the Markdown
/// reference shows.
pub(crate) fn syntax(spec: &Spec, m: &Message) -> String {
    crate::doc::syntax::message_line(&spec.dialect, m)
}

fn message_docs(cx: &Cx<'_>, mi: usize, m: &MessageRef) -> TokenStream {
    let kind = match m.kind {
        MessageKind::Info => "An information response",
        MessageKind::Urc => "An unsolicited result code",
        MessageKind::Both => "An information response or an unsolicited result code",
    };
    let mut users: Vec<String> = Vec::new();
    for c in cx.spec.commands() {
        for f in c.forms() {
            if f.responses.contains(&mi) || f.urcs.contains(&mi) {
                users.push(format!("[`{}`]", f.notes.rust));
            }
        }
    }
    let users = if users.is_empty() {
        String::new()
    } else {
        format!(" Comes after {}.", users.join(", "))
    };
    docs::attrs(&[
        docs::code(&syntax(cx.spec, m)),
        docs::prose(&m.notes.doc),
        format!("{kind}, section {}.{users}", m.notes.section),
    ])
}

struct MessageCode {
    item: TokenStream,
    name: Ident,
    index: usize,
    kind: MessageKind,
    line: String,
}

fn message(cx: &Cx<'_>, mi: usize, m: &MessageRef) -> Result<MessageCode, String> {
    let s = schema();
    let name = ident(&m.id);
    let ctx = m.prefix.as_ref().unwrap_or(&m.id).to_string();
    let fields = m.fields();
    let opt: Option<OptionSpec> = m
        .options
        .as_ref()
        .map(|b| options::option_field(cx, Owner::Message, &m.id, &ctx, &fields, b));
    let (option_field, keyed_def, option_from) = match opt {
        Some(o) => (Some(o.field), o.keyed_def, o.from_bound),
        None => (None, quote!(), quote!()),
    };
    let plan: Plan = fields::plan(cx.spec, &fields, &m.select, m.rest(), option_field)
        .map_err(|e| format!("message `{}`: {e}", m.id))?;
    let doc = message_docs(cx, mi, m);
    let mi_lit = index(mi);
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
            /// Builds the message, checked as its parser checks the line.
            #many
            pub fn new(#(#args),*) -> Result<Self, #s::Error> {
                let v = #built;
                v.validate()?;
                Ok(v)
            }
        }

        impl #s::typed::TypedMessage for #name {
            const MESSAGE: usize = #mi_lit;

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

        #s::__typed_message!(#name);
    });
    let item = quote! {
        #doc
        #decl

        #impls

        #keyed_def
    };
    Ok(MessageCode {
        item,
        name,
        index: mi,
        kind: m.kind,
        line: syntax(cx.spec, m),
    })
}

/// An enum over some messages (`Urc` or `Response`): its variants and the
/// methods they share.
fn across(what: &str, ms: &[&MessageCode]) -> (TokenStream, TokenStream) {
    let s = schema();
    let names: Vec<&Ident> = ms.iter().map(|m| &m.name).collect();
    let variants = ms.iter().map(|m| {
        let n = &m.name;
        let d = docs::attrs(&[format!("{}: [`{n}`].", docs::code(&m.line))]);
        quote!(#d #n(#n))
    });
    let from_arms = ms.iter().map(|m| {
        let n = &m.name;
        let i = index(m.index);
        quote!(#i => #n::from_bound(b).map(Self::#n))
    });
    let variants = quote!(#(#variants,)*);
    let indexes = ms.iter().map(|m| index(m.index));
    let accepts = if ms.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(message, #(#indexes)|*))
    };
    let methods = quote! {
        /// Whether message `message` of [`DIALECT`] is one of this enum's.
        pub const fn accepts(message: usize) -> bool {
            #accepts
        }

        /// The value of a message the engine bound.
        pub fn from_bound(message: usize, b: &#s::Bound) -> Result<Self, #s::Error> {
            match message {
                #(#from_arms,)*
                _ => Err(#s::typed::no_such_message(&DIALECT, message, #what)),
            }
        }

        /// Index of the message in [`DIALECT`].
        pub const fn message(&self) -> usize {
            match self {
                #(Self::#names(_) => #names::MESSAGE,)*
            }
        }

        /// The values as the engine binds them.
        pub fn to_bound(&self) -> #s::Bound {
            match self {
                #(Self::#names(v) => v.to_bound(),)*
            }
        }

        /// The line, without its `<CR><LF>` framing.
        pub fn format(&self) -> String {
            #s::format_message(&DIALECT, self.message(), &self.to_bound())
        }
    };
    (variants, methods)
}

/// Every message, `Urc` and `Response`.
pub(crate) fn emit(cx: &Cx<'_>) -> Result<TokenStream, String> {
    let s = schema();
    let codes: Vec<MessageCode> = cx
        .spec
        .messages()
        .iter()
        .enumerate()
        .map(|(i, m)| message(cx, i, m))
        .collect::<Result<_, _>>()?;
    let items = codes.iter().map(|c| &c.item);
    let urcs: Vec<&MessageCode> = codes
        .iter()
        .filter(|c| matches!(c.kind, MessageKind::Urc | MessageKind::Both))
        .collect();
    let responses: Vec<&MessageCode> = codes
        .iter()
        .filter(|c| matches!(c.kind, MessageKind::Info | MessageKind::Both))
        .collect();
    let (urc_variants, urc_methods) = across("URC", &urcs);
    let (resp_variants, resp_methods) = across("response", &responses);
    let spec_name = docs::code(&format!(
        "{} {} rev {}",
        cx.spec.notes.name, cx.spec.notes.version, cx.spec.notes.revision
    ));
    let urc_doc = docs::attrs(&[format!(
        "Every unsolicited result code of {spec_name}: one variant per message that may come unsolicited."
    )]);
    let resp_doc = docs::attrs(&[format!(
        "Every information response of {spec_name}: one variant per message a command may return before its final result code."
    )]);
    let impls = private(quote! {
        impl Urc {
            /// Parses one modem line (without its `<CR><LF>`) as an
            /// unsolicited result code.
            pub fn parse(line: &str) -> Result<Self, #s::Error> {
                let p = #s::parse_message(&DIALECT, line, None)?;
                Self::from_bound(p.message, &p.values)
            }

            #urc_methods
        }

        impl fmt::Display for Urc {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.format())
            }
        }

        impl FromStr for Urc {
            type Err = #s::Error;

            fn from_str(line: &str) -> Result<Self, Self::Err> {
                Self::parse(line)
            }
        }

        impl Response {
            /// Parses one modem line (without its `<CR><LF>`) as a
            /// response of the pending command, given by
            /// [`Request::ids`]; a URC is an error here.
            pub fn parse(line: &str, pending: (usize, usize)) -> Result<Self, #s::Error> {
                let p = #s::parse_message(&DIALECT, line, Some(pending))?;
                if !p.solicited {
                    return Err(#s::typed::not_a_response(&DIALECT, pending, line));
                }
                Self::from_bound(p.message, &p.values)
            }

            #resp_methods
        }

        impl fmt::Display for Response {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.format())
            }
        }

        #s::__typed_enums!(Response, Urc; CmeError);
    });
    Ok(quote! {
        #(#items)*

        #urc_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Urc {
            #urc_variants
        }

        #resp_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Response {
            #resp_variants
        }

        #impls
    })
}
