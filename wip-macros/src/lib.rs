//! `include_spec!`: the proc-macro route to the Rust bindings of a spec.
//!
//! A shim over [`wip_codegen::rust::generate_source`], the function the
//! build-step API and `wip generate` call too, so the three routes produce
//! the same code. The path is resolved against `CARGO_MANIFEST_DIR`; the
//! expansion includes the spec with `include_str!` so that editing it
//! rebuilds the crate; a bad spec gives one `compile_error!` per problem,
//! with the spec's line and column.
//!
//! ```ignore
//! mod rev009 {
//!     wip_macros::include_spec!("../spec/wipsoft-rev009.ron");
//! }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{quote, quote_spanned};
use std::path::PathBuf;
use syn::LitStr;

/// Expands to the Rust bindings of the spec at the given path (relative to
/// the crate's `Cargo.toml`): the items `wip generate` writes.
#[proc_macro]
pub fn include_spec(input: TokenStream) -> TokenStream {
    match load(input) {
        Ok(spec) => {
            let code: TokenStream2 = match spec.code.parse() {
                Ok(c) => c,
                Err(e) => return error(spec.span, &format!("generated code does not lex: {e}")),
            };
            let abs = spec.abs;
            quote! {
                #code
                const _: &str = ::core::include_str!(#abs);
            }
            .into()
        }
        Err(e) => e,
    }
}

/// Expands to the text of the code [`include_spec!`] expands to, as a
/// string literal: lets tests prove the routes write the same bytes.
#[proc_macro]
pub fn generated_source(input: TokenStream) -> TokenStream {
    match load(input) {
        Ok(spec) => {
            let code = spec.code;
            let abs = spec.abs;
            quote!({
                const _: &str = ::core::include_str!(#abs);
                #code
            })
            .into()
        }
        Err(e) => e,
    }
}

struct Loaded {
    code: String,
    abs: String,
    span: Span,
}

fn load(input: TokenStream) -> Result<Loaded, TokenStream> {
    let lit: LitStr = syn::parse(input).map_err(|e| TokenStream::from(e.to_compile_error()))?;
    let span = lit.span();
    let rel = lit.value();
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let abs_path = base.join(&rel);
    let src = std::fs::read_to_string(&abs_path)
        .map_err(|e| error(span, &format!("cannot read spec {rel}: {e}")))?;
    let abs = abs_path.display().to_string();
    let code = wip_codegen::rust::generate_source(&src, &rel).map_err(|d| {
        let errors = d.items.iter().map(|item| {
            let msg = d.render(item);
            quote_spanned!(span=> ::core::compile_error!(#msg);)
        });
        // The spec stays an input of the crate, so that fixing it rebuilds.
        TokenStream::from(quote!(#(#errors)* const _: &str = ::core::include_str!(#abs);))
    })?;
    Ok(Loaded { code, abs, span })
}

fn error(span: Span, msg: &str) -> TokenStream {
    quote_spanned!(span=> ::core::compile_error!(#msg);).into()
}
