//! One Rust enum per value set, named after the source
//! (`Protocol::Udp`), with its wire code and the source's name.

use super::names::Cx;
use super::{call, docs, ident, int, str_lit, Code};
use quote::quote;
use wip_spec::notes::ValueSetRef;

/// A set of strings: a plain enum whose wire form is the quoted string.
fn text_set(vs: &ValueSetRef) -> Code {
    let name = ident(&vs.notes.rust);
    let doc = docs::attrs(&[
        docs::prose(&vs.notes.doc),
        format!(
            "Value set `{}` of strings, quoted on the wire, section {}.",
            vs.id, vs.notes.section
        ),
    ]);
    let values = vs.texts();
    let variants = values.iter().map(|(value, vname, n)| {
        let vi = ident(&n.rust);
        let mut first = format!("{}: `\"{}\"`", docs::markdown(vname), value);
        if n.doc.trim().is_empty() {
            first.push('.');
        } else {
            first.push_str(&format!(", {}", docs::prose(&n.doc)));
        }
        let doc = docs::attrs(&[first]);
        quote!(#doc #vi)
    });
    let entries: Vec<String> = values
        .iter()
        .map(|(value, vname, n)| format!("{} {} {}", n.rust, str_lit(value), str_lit(vname)))
        .collect();
    let mut code = Code::default();
    code.items(quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum #name {
            #(#variants,)*
        }
    });
    code.text(call(
        "__text_set",
        &format!("{}[{}]", vs.notes.rust, values.len()),
        &[],
        &entries,
    ));
    code
}

fn value_set(vs: &ValueSetRef) -> Code {
    if !vs.texts.is_empty() {
        return text_set(vs);
    }
    let name = ident(&vs.notes.rust);
    let doc = docs::attrs(&[
        docs::prose(&vs.notes.doc),
        format!("Value set `{}`, section {}.", vs.id, vs.notes.section),
    ]);
    let values = vs.values();
    let variants = values.iter().map(|(value, vname, n)| {
        let vi = ident(&n.rust);
        let mut first = format!("{}: `{}`", docs::markdown(vname), value);
        if n.doc.trim().is_empty() {
            first.push('.');
        } else {
            first.push_str(&format!(", {}", docs::prose(&n.doc)));
        }
        let doc = docs::attrs(&[first]);
        let c = int(*value);
        quote!(#doc #vi = #c)
    });
    let entries: Vec<String> = values
        .iter()
        .map(|(_, vname, n)| format!("{} {}", n.rust, str_lit(vname)))
        .collect();
    let mut code = Code::default();
    code.items(quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(i64)]
        pub enum #name {
            #(#variants,)*
        }
    });
    code.text(call(
        "__value_set",
        &format!("{}[{}]", vs.notes.rust, values.len()),
        &[],
        &entries,
    ));
    code
}

/// Every value set.
pub(crate) fn emit(cx: &Cx<'_>) -> Code {
    let mut code = Code::default();
    for vs in cx.spec.value_sets() {
        code.append(value_set(&vs));
    }
    code
}
