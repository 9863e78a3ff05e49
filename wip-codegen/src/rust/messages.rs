//! One typed value per information response and URC, parsed from one
//! modem line and formatted back to it; the `Urc` and `Response` enums
//! across them.

use super::fields::{self, Plan};
use super::names::{Cx, Owner};
use super::options::{self, OptionSpec};
use super::{call, direct, docs, ident, new_line, Code};
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
    item: Code,
    name: Ident,
    kind: MessageKind,
    line: String,
}

fn message(cx: &Cx<'_>, mi: usize, m: &MessageRef) -> Result<MessageCode, String> {
    let name = ident(&m.id);
    let ctx = m.prefix.as_ref().unwrap_or(&m.id).to_string();
    let fields = m.fields();
    let opt: Option<OptionSpec> = m
        .options
        .as_ref()
        .map(|b| options::option_field(cx, Owner::Message, &m.id, &ctx, &fields, b));
    let (option_field, keyed_def) = match opt {
        Some(o) => (Some(o.field), o.keyed_def),
        None => (None, Code::default()),
    };
    let plan: Plan = fields::plan(
        cx.spec,
        &fields,
        &m.select,
        m.rest(),
        option_field,
        &fields::formats(&m.rules),
    )
    .map_err(|e| format!("message `{}`: {e}", m.id))?;
    let doc = message_docs(cx, mi, m);
    let decl = plan.decl(&name);
    let mut item = Code::default();
    item.items(quote! {
        #doc
        #decl
    });
    item.text(direct::with_section(
        call(
            "__typed_message",
            &format!("{}: {mi}", m.id),
            &new_line(&plan.new_args()),
            &plan.wire_entries(),
        ),
        direct::section(m.item, &plan),
    ));
    item.append(keyed_def);
    Ok(MessageCode {
        item,
        name,
        kind: m.kind,
        line: syntax(cx.spec, m),
    })
}

/// The variants of an enum over some messages (`Urc` or `Response`).
fn variants(ms: &[&MessageCode]) -> TokenStream {
    let variants = ms.iter().map(|m| {
        let n = &m.name;
        let d = docs::attrs(&[format!("{}: [`{n}`].", docs::code(&m.line))]);
        quote!(#d #n(#n))
    });
    quote!(#(#variants,)*)
}

/// Every message, `Urc` and `Response`.
pub(crate) fn emit(cx: &Cx<'_>) -> Result<Code, String> {
    let codes: Vec<MessageCode> = cx
        .spec
        .messages()
        .iter()
        .enumerate()
        .map(|(i, m)| message(cx, i, m))
        .collect::<Result<_, _>>()?;
    let urcs: Vec<&MessageCode> = codes
        .iter()
        .filter(|c| matches!(c.kind, MessageKind::Urc | MessageKind::Both))
        .collect();
    let responses: Vec<&MessageCode> = codes
        .iter()
        .filter(|c| matches!(c.kind, MessageKind::Info | MessageKind::Both))
        .collect();
    let urc_variants = variants(&urcs);
    let resp_variants = variants(&responses);
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
    let mut code = Code::default();
    let urc_names: Vec<String> = urcs.iter().map(|m| m.name.to_string()).collect();
    let resp_names: Vec<String> = responses.iter().map(|m| m.name.to_string()).collect();
    for c in codes {
        code.append(c.item);
    }
    code.items(quote! {
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
    });
    code.text(message_enums(&urc_names, &resp_names));
    Ok(code)
}

/// The invocation of the engine's `__message_enums!`.
fn message_enums(urcs: &[String], responses: &[String]) -> String {
    let urc = call("__message_enums", "Urc", &[], urcs);
    let resp = call("__message_enums", "Response", &[], responses);
    // Both lists in one invocation: `Urc { ... } Response { ... }`.
    let body = |s: &str| {
        s.lines()
            .skip(1)
            .take_while(|l| *l != "}")
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    };
    format!(
        "::wip_runtime::schema::__message_enums! {{\n{}{}}}\n",
        body(&urc),
        body(&resp)
    )
}
