//! `wip-spec`: the front end of the compiler of AT command-set specs.
//!
//! ```text
//! spec/*.ron ──serde+ron──▶ model ──check──▶ Spec { dialect, notes }
//!                                              │  dialect: wip_schema::Dialect, the run-time description
//!                                              │  notes:   docs, sections, titles, Rust names, limits,
//!                                              │           errata, keyed by the dialect's indices
//!                                              ├──▶ Markdown reference (doc)
//!                                              └──▶ semantic diff (diff)
//! ```
//!
//! [`model`] is the file format (serde, one struct per RON item, no logic);
//! [`check`] turns it into the [`Spec`]: the [`wip_schema::Dialect`] every
//! run-time tool reads, and the [`notes::Notes`] beside it that hold what
//! the description lacks, in lists of the same lengths and order as the
//! description's (`notes.commands[c].forms[f].params[p]` is the notes of
//! `dialect.commands[c].forms[f].params[p]`). The views of [`notes`]
//! ([`notes::Noted`]) pair each item with its notes and dereference to the
//! item. There is no second typed copy of the command set.
//!
//! A new attribute of a parameter (say `secret: bool`) touches the model
//! (`model::Param`), its check (`check/types.rs`), the description
//! (`wip_schema::Param` and its `const` constructors in
//! `wip_schema::build`) and the emitters that use it (the static the Rust
//! emitter writes, the reference, the diff); an attribute that is only
//! documentation goes to [`notes::ParamNotes`] instead of the description.
//!
//! Nothing here depends on syn, quote or prettyplease: tools that only
//! need to load a spec at run time (`wip verify`, `wip sim`) link this
//! crate, and the Rust emitter (`wip-codegen`) builds on it.
//!
//! [`load_str`] and [`load_file`] parse a spec and check it, reporting every
//! problem at once with its file, line and column ([`Diagnostics`]);
//! [`load_files`] and [`load_with`] do so for a spec whose shared parts
//! ([`include`](mod@include)) are held in memory or read otherwise.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod diag;
pub mod diff;
pub mod doc;
pub mod ident;
pub mod include;
pub mod model;
pub mod notes;

pub use notes::Spec;

pub use diag::{Diagnostic, Diagnostics, Location};

/// The rev 009 WIPsoft spec, embedded.
pub const DEFAULT_SPEC: &str = include_str!("../../spec/wipsoft-rev009.ron");
/// The file name the embedded spec is reported under.
pub const DEFAULT_SPEC_NAME: &str = "spec/wipsoft-rev009.ron";

/// Parses and checks a spec held in memory; `file` names it in diagnostics.
/// A spec held alone has no directory: its `include`s are reported as
/// unreadable (use [`load_files`] to give it the files it includes).
pub fn load_str(src: &str, file: &str) -> Result<Spec, Diagnostics> {
    load_with(src, file, &|name: &str| {
        Err(format!(
            "{name} is not among the files given (a spec loaded from a string has no directory; use wip_spec::load_files)"
        ))
    })
}

/// Parses and checks a spec held in memory, reading the files it includes
/// through `read`: it gets each file's name resolved against the name of
/// the file that includes it ([`include::resolve`]) and returns its text,
/// or why it cannot. [`load_file`] and [`load_files`] are this with a
/// reader of the file system and of a set of texts.
pub fn load_with(
    src: &str,
    file: &str,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Spec, Diagnostics> {
    let model = check::parse(src, file)?;
    if model.include.is_empty() {
        return check::check(&model, src, file);
    }
    let r = include::assemble(file, src, model, read)?;
    check::check_assembled(&r.spec, &r.texts, &r.origins)
}

/// Parses and checks the spec named `root` among `files` (name, text), an
/// embedded spec and the shared parts it includes
/// (`include_str!` of each): includes resolve against the names, as
/// against paths on disk.
pub fn load_files(root: &str, files: &[(&str, &str)]) -> Result<Spec, Diagnostics> {
    let find = |name: &str| {
        files
            .iter()
            .find(|(n, _)| include::resolve("", n) == name)
            .map(|(_, t)| t.to_string())
    };
    let root = include::resolve("", root);
    let src = find(&root).ok_or_else(|| Diagnostics {
        file: root.clone(),
        items: vec![Diagnostic {
            location: None,
            path: String::new(),
            message: "not among the files given".into(),
            file: None,
        }],
    })?;
    load_with(&src, &root, &|name: &str| {
        find(name).ok_or_else(|| "not among the files given".to_string())
    })
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

/// Reads, parses and checks a spec file, with the files it includes
/// (paths relative to the including file). The loaded spec lists every
/// file read in `notes.origins.files` (for build scripts' `rerun-if-changed`).
pub fn load_file(path: &std::path::Path) -> Result<Spec, LoadError> {
    let shown = path.display().to_string();
    let src = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    Ok(load_with(&src, &shown, &|name: &str| {
        std::fs::read_to_string(name).map_err(|e| e.to_string())
    })?)
}

/// The embedded rev 009 spec, checked.
pub fn default_spec() -> Result<Spec, Diagnostics> {
    load_str(DEFAULT_SPEC, DEFAULT_SPEC_NAME)
}
