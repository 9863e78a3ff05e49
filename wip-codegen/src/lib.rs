//! `wip-codegen`: the Rust emitter of the AT command-set spec compiler.
//!
//! ```text
//! spec/*.ron ──wip-spec (model, check)──▶ Spec { dialect, notes } ──emit──▶ typed Rust bindings
//! ```
//!
//! The emitter ([`rust`]) reads a loaded [`wip_spec::Spec`]: the
//! [`wip_schema::Dialect`] (written out as the bindings' `static DIALECT`,
//! and the shapes of their types) and the notes beside it (doc comments,
//! sections, Rust names), through the views that pair each item with its
//! notes under the same indices. It holds no model of its own.
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
