//! `include_spec!`: the proc-macro route to the Rust bindings of a spec.
//!
//! A shim over [`wip_codegen::rust::generate_source`], the function the
//! build-step API and `wip generate` call too, so the three routes produce
//! the same code. The path is resolved against `CARGO_MANIFEST_DIR`; the
//! expansion includes the spec with `include_str!` so that editing it
//! rebuilds the crate; a bad spec gives one `compile_error!` per problem,
//! with the spec's line and column, and stand-in items so that code using
//! the bindings does not add errors of its own (as thiserror's derive does).
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
///
/// A spec that does not compile gives one error per problem and stand-in
/// items ([`wip_codegen::rust::fallback`]), so that the code using the
/// bindings reports the spec's problems, not the names they would define.
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
                #(const _: &str = ::core::include_str!(#abs);)*
            }
            .into()
        }
        Err(failed) => {
            let errors = failed.errors;
            // Stand-ins that do not lex are left out: the errors still stand.
            let stubs = wip_codegen::rust::fallback(&failed.src)
                .parse::<TokenStream2>()
                .unwrap_or_default();
            quote!(#errors #stubs).into()
        }
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
                #(const _: &str = ::core::include_str!(#abs);)*
                #code
            })
            .into()
        }
        Err(failed) => failed.errors.into(),
    }
}

struct Loaded {
    code: String,
    /// Absolute paths of the spec and of every file it includes.
    abs: Vec<String>,
    span: Span,
}

/// Why a spec gave no code: the errors to report, and the spec's text as
/// far as it could be read (empty when not at all).
struct Failed {
    errors: TokenStream2,
    src: String,
}

impl Failed {
    fn unread(errors: TokenStream2) -> Self {
        Failed {
            errors,
            src: String::new(),
        }
    }
}

fn load(input: TokenStream) -> Result<Loaded, Failed> {
    let lit: LitStr = syn::parse(input).map_err(|e| Failed::unread(e.to_compile_error()))?;
    let span = lit.span();
    let rel = lit.value();
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let abs_path = base.join(&rel);
    let src = std::fs::read_to_string(&abs_path)
        .map_err(|e| Failed::unread(error2(span, &format!("cannot read spec {rel}: {e}"))))?;
    let abs = abs_path.display().to_string();
    // Included files resolve against the spec's name, read from the crate's
    // directory, as the spec itself.
    let read = |name: &str| std::fs::read_to_string(base.join(name)).map_err(|e| e.to_string());
    match wip_codegen::rust::generate_with(&src, &rel, &read) {
        Ok((code, files)) => Ok(Loaded {
            code,
            abs: files
                .iter()
                .map(|f| base.join(f).display().to_string())
                .collect(),
            span,
        }),
        Err(d) => {
            let errors = d.items.iter().map(|item| {
                let msg = d.render(item);
                quote_spanned!(span=> ::core::compile_error!(#msg);)
            });
            // The spec stays an input of the crate, so that fixing it rebuilds.
            Err(Failed {
                errors: quote!(#(#errors)* const _: &str = ::core::include_str!(#abs);),
                src,
            })
        }
    }
}

fn error(span: Span, msg: &str) -> TokenStream {
    error2(span, msg).into()
}

fn error2(span: Span, msg: &str) -> TokenStream2 {
    quote_spanned!(span=> ::core::compile_error!(#msg);)
}
