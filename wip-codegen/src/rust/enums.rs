//! One Rust enum per value set, named after the source
//! (`Protocol::Udp`), with its wire code and the source's name.

use super::names::Cx;
use super::{docs, ident, int, private, schema};
use proc_macro2::TokenStream;
use quote::quote;
use wip_spec::notes::ValueSetRef;

fn value_set(vs: &ValueSetRef) -> TokenStream {
    let s = schema();
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
    let all = values.iter().map(|(_, _, n)| {
        let vi = ident(&n.rust);
        quote!(Self::#vi)
    });
    let n = super::index(values.len());
    let from_arms = values.iter().map(|(value, _, n)| {
        let vi = ident(&n.rust);
        let c = int(*value);
        quote!(#c => Some(Self::#vi))
    });
    let name_arms = values.iter().map(|(_, t, n)| {
        let vi = ident(&n.rust);
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
    let sets = cx.spec.value_sets().into_iter().map(|v| value_set(&v));
    quote!(#(#sets)*)
}
