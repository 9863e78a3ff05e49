//! Loading the spec a subcommand works on.

use std::path::Path;
use wip_spec::{LoadError, Spec};

/// What went wrong loading a spec, already rendered for people, with the
/// exit code it deserves.
pub struct Failure {
    /// Exit code: 1 for a spec with problems, 2 for an unreadable file.
    pub code: u8,
    /// The rendered problems.
    pub text: String,
}

/// Loads `path`, or the embedded rev 009 spec when `None`.
pub fn load(path: Option<&Path>) -> Result<(Spec, String), Failure> {
    match path {
        None => wip_spec::default_spec()
            .map(|s| (s, wip_spec::DEFAULT_SPEC_NAME.to_string()))
            .map_err(|d| Failure {
                code: 1,
                text: d.to_string(),
            }),
        Some(p) => match wip_spec::load_file(p) {
            Ok(s) => Ok((s, p.display().to_string())),
            Err(LoadError::Io { source, .. }) => Err(Failure {
                code: 2,
                text: format!("wip: cannot read spec {}: {source}", p.display()),
            }),
            Err(LoadError::Spec(d)) => Err(Failure {
                code: 1,
                text: d.to_string(),
            }),
        },
    }
}

/// Loads a spec or prints why not and returns the exit code.
pub fn load_or_report(path: Option<&Path>) -> Result<(Spec, String), u8> {
    load(path).map_err(|f| {
        eprintln!("{}", f.text);
        f.code
    })
}
