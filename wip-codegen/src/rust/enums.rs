//! One Rust enum per value set, named after the source
//! (`Protocol::Udp`), with its wire code and the source's name.

use super::names::Cx;
use super::{call, docs, ident, int, str_lit, Code};
use crate::ir;
use quote::quote;

fn value_set(vs: &ir::ValueSet) -> Code {
    let name = ident(&vs.rust);
    let doc = docs::attrs(&[
        docs::prose(&vs.doc),
        format!("Value set `{}`, section {}.", vs.id, vs.section),
    ]);
    let variants = vs.values.iter().map(|v| {
        let vi = ident(&v.rust);
        let mut first = format!("{}: `{}`", docs::markdown(&v.name), v.value);
        if v.doc.trim().is_empty() {
            first.push('.');
        } else {
            first.push_str(&format!(", {}", docs::prose(&v.doc)));
        }
        let doc = docs::attrs(&[first]);
        let c = int(v.value);
        quote!(#doc #vi = #c)
    });
    let entries: Vec<String> = vs
        .values
        .iter()
        .map(|v| format!("{} {}", v.rust, str_lit(&v.name)))
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
        &format!("{}[{}]", vs.rust, vs.values.len()),
        &[],
        &entries,
    ));
    code
}

/// Every value set.
pub(crate) fn emit(cx: &Cx<'_>) -> Code {
    let mut code = Code::default();
    for vs in &cx.spec.value_sets {
        code.append(value_set(vs));
    }
    code
}
