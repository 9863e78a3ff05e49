//! The build-script route: compile a spec into `$OUT_DIR`, the way
//! prost-build compiles `.proto` files.
//!
//! In `build.rs`'s `main`:
//!
//! ```no_run
//! if let Err(e) = wip_codegen::build::compile("../spec/wipsoft-rev009.ron", "rev009.rs") {
//!     panic!("{e}");
//! }
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/rev009.rs"));`.

use crate::Diagnostics;
use std::path::{Path, PathBuf};

/// Why a spec could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The spec file could not be read.
    #[error("cannot read spec {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The spec has problems, or its names collide in Rust.
    #[error("{0}")]
    Spec(#[from] Diagnostics),
    /// `OUT_DIR` is not set: not running in a build script.
    #[error(
        "OUT_DIR is not set; `compile` is meant for build scripts (use `compile_to` elsewhere)"
    )]
    NoOutDir,
    /// The output could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Reads a spec file (and the files it includes) and generates its
/// bindings.
pub fn generate_file(spec: &Path) -> Result<String, BuildError> {
    generate_file_with_inputs(spec).map(|(code, _)| code)
}

/// [`generate_file`], with the paths of every file read: the spec and the
/// files it includes.
pub fn generate_file_with_inputs(spec: &Path) -> Result<(String, Vec<PathBuf>), BuildError> {
    let shown = spec.display().to_string();
    let src = std::fs::read_to_string(spec).map_err(|source| BuildError::Read {
        path: shown.clone(),
        source,
    })?;
    let (code, files) = crate::rust::generate_with(&src, &shown, &|name: &str| {
        std::fs::read_to_string(name).map_err(|e| e.to_string())
    })?;
    Ok((code, files.into_iter().map(PathBuf::from).collect()))
}

/// Writes `content` to `path` unless the file already holds exactly it,
/// so that an unchanged spec does not make cargo rebuild the crate; true
/// when the file was written.
pub fn write_if_changed(path: &Path, content: &str) -> std::io::Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    std::fs::write(path, content)?;
    Ok(true)
}

/// Compiles a spec into `out`, wherever it is.
pub fn compile_to(spec: &Path, out: &Path) -> Result<(), BuildError> {
    compile_inputs(spec, out).map(|_| ())
}

/// Compiles a spec into `out`; returns every file read.
fn compile_inputs(spec: &Path, out: &Path) -> Result<Vec<PathBuf>, BuildError> {
    let (code, inputs) = generate_file_with_inputs(spec)?;
    write_if_changed(out, &code).map_err(|source| BuildError::Write {
        path: out.display().to_string(),
        source,
    })?;
    Ok(inputs)
}

/// Compiles a spec (a path relative to the crate being built) into
/// `$OUT_DIR/<out_file_name>` and tells cargo to run the build script
/// again when the spec or a file it includes changes. Returns the file
/// written.
pub fn compile(spec: impl AsRef<Path>, out_file_name: &str) -> Result<PathBuf, BuildError> {
    let spec = spec.as_ref();
    println!("cargo:rerun-if-changed={}", spec.display());
    let out_dir = std::env::var_os("OUT_DIR").ok_or(BuildError::NoOutDir)?;
    let out = Path::new(&out_dir).join(out_file_name);
    let inputs = compile_inputs(spec, &out)?;
    for f in inputs.iter().skip(1) {
        println!("cargo:rerun-if-changed={}", f.display());
    }
    Ok(out)
}
