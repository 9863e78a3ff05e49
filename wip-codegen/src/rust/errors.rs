//! The error codes of `+CME ERROR: <n>` as an enum, with the source's
//! text of each and a variant for codes the spec does not define.

use super::names::Cx;
use super::{docs, ident, index, private, u32_lit};
use proc_macro2::TokenStream;
use quote::quote;

/// `pub enum CmeError`.
pub(crate) fn emit(cx: &Cx<'_>) -> TokenStream {
    let errors = cx.spec.errors();
    let notes = &cx.spec.notes;
    let variants = errors.iter().map(|e| {
        let v = ident(&e.notes.rust);
        let group = if e.notes.group.is_empty() {
            String::new()
        } else {
            format!(", group `{}`", e.notes.group)
        };
        let d = docs::attrs_inline(&[
            format!("`{}`: {}", e.code, docs::prose(&e.text)),
            format!("Section {}{group}.", e.notes.section),
        ]);
        quote!(#d #v)
    });
    let all = errors.iter().map(|e| ident(&e.notes.rust));
    let n = index(errors.len());
    let code_arms = errors.iter().map(|e| {
        let v = ident(&e.notes.rust);
        let c = u32_lit(e.code);
        quote!(Self::#v => #c)
    });
    let from_arms = errors.iter().map(|e| {
        let v = ident(&e.notes.rust);
        let c = u32_lit(e.code);
        quote!(#c => Self::#v)
    });
    // Codes by section, in the order sections first appear: one arm each.
    let mut sections: Vec<(&str, Vec<u32>)> = Vec::new();
    for e in &errors {
        match sections.iter_mut().find(|(s, _)| *s == e.notes.section) {
            Some((_, codes)) => codes.push(e.code),
            None => sections.push((&e.notes.section, vec![e.code])),
        }
    }
    let section_arms = sections.iter().map(|(sec, codes)| {
        let codes = codes.iter().map(|c| u32_lit(*c));
        quote!(#(#codes)|* => Some(#sec))
    });
    let reserved = notes.reserved_errors.iter().map(|(a, b, _)| {
        let (a, b) = (u32_lit(*a), u32_lit(*b));
        quote!((#a, #b))
    });
    let reserved_doc = if notes.reserved_errors.is_empty() {
        "Ranges of codes the source reserves without defining them: none.".to_string()
    } else {
        let secs: Vec<String> = notes
            .reserved_errors
            .iter()
            .map(|(a, b, s)| format!("{a}-{b} (section {s})"))
            .collect();
        format!(
            "Ranges of codes the source reserves without defining them: {}.",
            secs.join(", ")
        )
    };
    let reserved_doc = docs::attrs(&[reserved_doc]);
    let report = match &notes.error_report {
        Some(r) => {
            let after = r
                .enabled_by
                .as_ref()
                .map(|c| format!(" after {}", docs::code(c)))
                .unwrap_or_default();
            format!(" The modem reports them as {}{after}.", docs::code(&r.line))
        }
        None => String::new(),
    };
    let doc = docs::attrs(&[format!(
        "The error codes that {} defines, and [`CmeError::Unknown`] for any other code.{report}",
        docs::code(&format!(
            "{} {} rev {}",
            notes.name, notes.version, notes.revision
        ))
    )]);
    let impls = private(quote! {
        impl CmeError {
            /// Every code the spec defines, in the order of their numbers.
            pub const ALL: [Self; #n] = [#(Self::#all),*];

            #reserved_doc
            pub const RESERVED: &'static [(u32, u32)] = &[#(#reserved),*];

            /// The error of a code.
            pub const fn from_code(code: u32) -> Self {
                match code {
                    #(#from_arms,)*
                    other => Self::Unknown(other),
                }
            }

            /// The code the error line carries.
            pub const fn code(self) -> u32 {
                match self {
                    #(#code_arms,)*
                    Self::Unknown(code) => code,
                }
            }

            /// The source's text for the code, from [`DIALECT`]; `None` for a
            /// code the spec does not define.
            pub fn text(self) -> Option<&'static str> {
                match self {
                    Self::Unknown(_) => None,
                    _ => DIALECT.error_text(self.code()),
                }
            }

            /// The source section that defines the code.
            pub const fn section(self) -> Option<&'static str> {
                if let Self::Unknown(_) = self {
                    return None;
                }
                match self.code() {
                    #(#section_arms,)*
                    _ => None,
                }
            }

            /// Whether a code lies in a range the source reserves.
            pub fn is_reserved(code: u32) -> bool {
                Self::RESERVED.iter().any(|(a, b)| (*a..=*b).contains(&code))
            }
        }

        impl fmt::Display for CmeError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.text() {
                    Some(t) => write!(f, "+CME ERROR: {}: {}", self.code(), t),
                    None => write!(f, "+CME ERROR: {}: not defined by the spec", self.code()),
                }
            }
        }

        impl ::core::error::Error for CmeError {}
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum CmeError {
            #(#variants,)*
            /// A code the spec does not define.
            Unknown(u32),
        }

        #impls
    }
}
