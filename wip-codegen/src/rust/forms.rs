//! One typed request per command form, and the `Request` enum across them.
//!
//! A request is built with `new` (checked by the engine exactly as a modem
//! would check the line), encodes to the exact wire bytes, and parses back
//! from a command line, which is what the modem side (the transcript
//! verifier, the emulator) does with it.

use super::fields::{self, Plan};
use super::names::{Cx, Owner};
use super::options::{self, OptionSpec};
use super::{call, docs, ident, new_line, Code};
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
                    match c.given {
                        Some(true) => return format!("`<{name}>` is given"),
                        Some(false) => return format!("`<{name}>` is left out"),
                        None => {}
                    }
                    let mut vals: Vec<String> = c
                        .values
                        .iter()
                        .map(|v| match p.map(|p| &p.ty) {
                            Some(Ty::Enum { set, .. }) => cx.spec.describe_value(*set, *v),
                            _ => v.to_string(),
                        })
                        .collect();
                    vals.extend(c.texts.iter().map(|t| format!("\"{t}\"")));
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

/// The prompt and payload of a form, for its docs.
fn prompt_text(cx: &Cx<'_>, f: &FormRef) -> String {
    let (Some(p), Some(n)) = (&f.prompt, &f.notes.prompt) else {
        return String::new();
    };
    let how = crate::doc::prompt::describe(&cx.spec.dialect, &f.params, p);
    format!(
        "Answers with a prompt: {} (section {}); send it with `send_with_payload`.",
        docs::markdown(&how),
        n.section
    )
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
    // How the line is written where an optional parameter is left out
    // before a given one: the manual's brackets do not show it.
    let gap = f
        .params
        .iter()
        .enumerate()
        .any(|(i, p)| p.optional && f.params.len() > i + 1);
    if gap {
        paras.push(
            "Written by `encode`, an optional parameter left out before a given one is an empty \
             field (`,,`), which the modem reads as left out; those left out at the end are not \
             written."
                .to_string(),
        );
    }
    // What the manual says of the command as a whole (state it needs,
    // answers common to its forms), read where a request is written.
    if !c.notes.doc.is_empty() {
        let name = docs::code(&format!("AT{}", c.name));
        paras.push(format!("{name}: {}", docs::prose(&c.notes.doc)));
    }
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
    paras.push(prompt_text(cx, f));
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
    item: Code,
    variant: TokenStream,
}

fn form(
    cx: &Cx<'_>,
    ci: usize,
    c: &CommandRef,
    fi: usize,
    f: &FormRef,
) -> Result<FormCode, String> {
    let name = ident(&f.notes.rust);
    let ctx: &str = &c.name;
    let params = f.params();
    let opt: Option<OptionSpec> = f
        .options
        .as_ref()
        .map(|b| options::option_field(cx, Owner::Form, &f.notes.rust, ctx, &params, b));
    let (option_field, keyed_def) = match opt {
        Some(o) => (Some(o.field), o.keyed_def),
        None => (None, Code::default()),
    };
    let plan: Plan = fields::plan(
        cx.spec,
        &params,
        &f.select,
        f.rest(),
        option_field,
        &fields::formats(&f.rules),
    )
    .map_err(|m| format!("form `{}` of {}: {m}", f.name, c.name))?;
    let doc = form_docs(cx, c, f);
    let decl = plan.decl(&name);
    let mut item = Code::default();
    item.items(quote! {
        #doc
        #decl
    });
    let (resp, resp_code) = response_type(cx, f)?;
    let head = format!(
        "{} in Request: {ci}, {fi}, {}{resp}",
        f.notes.rust, c.timeout_ms
    );
    let (required, setters, rest) = plan.builder(&params, &f.rules);
    let mut pre = match super::checked::entries(&cx.spec.dialect, ci, c, fi, f, &plan) {
        Some(d) => direct_line(&d),
        None => Vec::new(),
    };
    if setters.is_empty() && rest.is_none() {
        pre.extend(new_line(&plan.new_args()));
    } else {
        pre.extend(new_line(&required));
        pre.extend(with_line(&setters, rest.as_deref()));
    }
    item.append(resp_code);
    item.text(call("__typed_command", &head, &pre, &plan.wire_entries()));
    if let Some(comp) = &f.completion {
        let urc = ident(cx.spec.message_id(comp.message));
        let cdoc = docs::attrs(&[format!(
            "Its real outcome comes later, as [`{urc}`] (see `send_and_complete`)."
        )]);
        item.items(quote! {
            #cdoc
            impl ::wip_runtime::schema::typed::TypedCompletion for #name {
                type Completion = #urc;
            }
        });
    }
    if f.prompt.is_some() {
        item.items(quote! {
            impl ::wip_runtime::schema::payload::PromptCommand for #name {}
        });
    }
    item.append(keyed_def);
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

/// The `direct(...);` line of a simple form's generated check: one line
/// when it fits, else one entry a line.
fn direct_line(entries: &[String]) -> Vec<String> {
    let one = format!("direct({});", entries.join(", "));
    if 8 + one.len() <= super::WIDTH {
        return vec![one];
    }
    let mut lines = vec!["direct(".to_string()];
    lines.extend(entries.iter().map(|a| format!("    {a},")));
    lines.push(");".to_string());
    lines
}

/// The `with(...);` line of a builder's setters and the setter of its
/// repeated group (`; rest with_headers(headers): pairs String`): one
/// line when it fits, else one setter a line.
fn with_line(setters: &[String], rest: Option<&str>) -> Vec<String> {
    let rest = rest.map(|r| format!("; rest {r}")).unwrap_or_default();
    let one = format!("with({}{rest});", setters.join(", "));
    if 8 + one.len() <= super::WIDTH {
        return vec![one];
    }
    let mut lines = vec!["with(".to_string()];
    lines.extend(setters.iter().map(|a| format!("    {a},")));
    if !rest.is_empty() {
        lines.push(format!("    {rest}"));
    }
    lines.push(");".to_string());
    lines
}

/// The answer type of a form, as the ` -> Type` of its invocation (empty
/// for a form that lists no response: the engine's `NoResponse`), and the
/// enum of its responses when it lists several (`<Form>Response`).
fn response_type(cx: &Cx<'_>, f: &FormRef) -> Result<(String, Code), String> {
    let names: Vec<String> = f
        .responses
        .iter()
        .filter_map(|i| cx.spec.dialect.messages.get(*i).map(|m| m.id.to_string()))
        .collect();
    let mut code = Code::default();
    match names.as_slice() {
        [] => Ok((String::new(), code)),
        [one] => Ok((format!(" -> {one}"), code)),
        several => {
            let enum_name = format!("{}Response", f.notes.rust);
            let name = ident(&enum_name);
            let variants: Vec<TokenStream> = several
                .iter()
                .map(|n| {
                    let v = ident(n);
                    let d = docs::attrs(&[format!("[`{n}`].")]);
                    quote!(#d #v(#v))
                })
                .collect();
            let doc = docs::attrs(&[format!(
                "A response of [`{}`] before its final result code: {}.",
                f.notes.rust,
                message_links(cx, &f.responses)
            )]);
            code.items(quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                pub enum #name {
                    #(#variants,)*
                }
            });
            code.text(call("__form_response", &enum_name, &[], several));
            Ok((format!(" -> {enum_name}"), code))
        }
    }
}

/// Every form, and `Request`.
pub(crate) fn emit(cx: &Cx<'_>) -> Result<Code, String> {
    let mut code = Code::default();
    let mut variants = Vec::new();
    let mut names = Vec::new();
    for (ci, c) in cx.spec.commands().iter().enumerate() {
        for (fi, f) in c.forms().iter().enumerate() {
            let form = form(cx, ci, c, fi, f)?;
            code.append(form.item);
            variants.push(form.variant);
            names.push(f.notes.rust.clone());
        }
    }
    let doc = docs::attrs(&[format!(
        "Every command line of {}, typed: one variant per command form.",
        docs::code(&format!(
            "{} {} rev {}",
            cx.spec.notes.name, cx.spec.notes.version, cx.spec.notes.revision
        ))
    )]);
    code.items(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Request {
            #(#variants,)*
        }
    });
    code.text(call("__request_enum", "Request", &[], &names));
    Ok(code)
}
