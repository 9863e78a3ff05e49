//! `wip-spec`: the front end of the compiler of AT command-set specs.
//!
//! ```text
//! spec/*.ron ──serde+ron──▶ model ──check──▶ IR ──▶ run-time description (wip-schema)
//!                                               ├──▶ Markdown reference (doc)
//!                                               └──▶ semantic diff (diff)
//! ```
//!
//! Nothing here depends on syn, quote or prettyplease: tools that only
//! need to load a spec at run time (`wip verify`, `wip sim`) link this
//! crate, and the Rust emitter (`wip-codegen`) builds on it.
//!
//! [`load_str`] and [`load_file`] parse a spec and check it, reporting every
//! problem at once with its file, line and column ([`Diagnostics`]).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod diag;
pub mod diff;
pub mod doc;
pub mod ident;
pub mod model;
pub mod notes;

pub use notes::Spec;

pub use diag::{Diagnostic, Diagnostics, Location};

/// The rev 009 WIPsoft spec, embedded.
pub const DEFAULT_SPEC: &str = include_str!("../../spec/wipsoft-rev009.ron");
/// The file name the embedded spec is reported under.
pub const DEFAULT_SPEC_NAME: &str = "spec/wipsoft-rev009.ron";

/// Parses and checks a spec held in memory; `file` names it in diagnostics.
pub fn load_str(src: &str, file: &str) -> Result<Spec, Diagnostics> {
    let model = check::parse(src, file)?;
    check::check(&model, src, file)
}

/// Why a spec file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The spec has problems.
    #[error("{0}")]
    Spec(#[from] Diagnostics),
}

/// Reads, parses and checks a spec file.
pub fn load_file(path: &std::path::Path) -> Result<Spec, LoadError> {
    let shown = path.display().to_string();
    let src = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    Ok(load_str(&src, &shown)?)
}

/// The embedded rev 009 spec, checked.
pub fn default_spec() -> Result<Spec, Diagnostics> {
    load_str(DEFAULT_SPEC, DEFAULT_SPEC_NAME)
}
