//! `wip-codegen`: the Rust emitter of the AT command-set spec compiler.
//!
//! ```text
//! spec/*.ron ──wip-spec (model, check)──▶ IR ──emit──▶ typed Rust bindings
//! ```
//!
//! Loading, checking, Markdown and diffs live in [`wip_spec`], re-exported
//! here so that build scripts and the proc-macro need one dependency.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod build;
pub mod rust;

pub use wip_spec::{
    check, default_spec, diag, diff, doc, ident, load_file, load_str, model, notes, Diagnostic,
    Diagnostics, LoadError, Location, Spec, DEFAULT_SPEC, DEFAULT_SPEC_NAME,
};
