//! One Rust enum per value set, named after the source
//! (`Protocol::Udp`), with its wire code and the source's name.

use super::names::Cx;
use super::{docs, ident, int, private, schema};
use crate::ir;
use proc_macro2::TokenStream;
use quote::quote;

fn value_set(vs: &ir::ValueSet) -> TokenStream {
    let s = schema();
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
    let all = vs.values.iter().map(|v| {
        let vi = ident(&v.rust);
        quote!(Self::#vi)
    });
    let n = super::index(vs.values.len());
    let from_arms = vs.values.iter().map(|v| {
        let vi = ident(&v.rust);
        let c = int(v.value);
        quote!(#c => Some(Self::#vi))
    });
    let name_arms = vs.values.iter().map(|v| {
        let vi = ident(&v.rust);
        let t = &v.name;
        quote!(Self::#vi => #t)
    });
    let impls = private(quote! {
        impl #name {
            /// Every value, in the order of their codes.
            pub const ALL: [Self; #n] = [#(#all),*];

            /// The code on the wire.
            pub const fn code(self) -> i64 {
                self as i64
            }

            /// The value of a code; `None` for a code the set does not have.
            pub const fn from_code(code: i64) -> Option<Self> {
                match code {
                    #(#from_arms,)*
                    _ => None,
                }
            }

            /// The source's name for the value.
            pub const fn name(self) -> &'static str {
                match self {
                    #(#name_arms,)*
                }
            }
        }

        #s::__value_set!(#name);
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(i64)]
        pub enum #name {
            #(#variants,)*
        }

        #impls
    }
}

/// Every value set.
pub(crate) fn emit(cx: &Cx<'_>) -> TokenStream {
    let sets = cx.spec.value_sets.iter().map(value_set);
    quote!(#(#sets)*)
}
