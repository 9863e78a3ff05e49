//! `wip doc [SPEC] [-o FILE]`: the Markdown reference of a spec.

use std::path::Path;

/// Renders the reference to FILE (rewritten only when its content
/// changes, so that builds watching it do not rerun) or to stdout.
pub fn run(spec: Option<&Path>, output: Option<&Path>) -> u8 {
    let (spec, _) = match super::spec::load_or_report(spec) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let text = wip_spec::doc::render(&spec);
    match output {
        None => super::emit(&text, 0),
        Some(path) => {
            if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
                return 0;
            }
            match std::fs::write(path, text) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("wip: cannot write {}: {e}", path.display());
                    2
                }
            }
        }
    }
}
