//! `wip diff OLD NEW [--format text|json]`: the semantic changes from one
//! spec to another, classed breaking or compatible for host applications.
//!
//! Exit 0 when NEW is compatible with OLD, 1 when a change breaks, 2 when a
//! spec cannot be read or has problems (there is nothing to compare then,
//! and CI must not read that as a verdict on compatibility).

use std::path::Path;
use wip_spec::diff;

/// The renderings of a change list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: one block per change.
    Text,
    /// For CI: the schema of docs/diff-json.md.
    Json,
}

/// Compares the specs and prints the change list.
pub fn run(old: &Path, new: &Path, format: Format) -> u8 {
    let load = |p: &Path| {
        super::spec::load(Some(p)).map_err(|f| {
            eprintln!("{}", f.text);
            2
        })
    };
    let (o, n) = match (load(old), load(new)) {
        (Ok((o, _)), Ok((n, _))) => (o, n),
        _ => return 2,
    };
    let changes = diff::diff(&o, &n);
    let out = match format {
        Format::Text => diff::text(&o, &n, &changes),
        Format::Json => match diff::json(&o, &n, &changes) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("wip: cannot render JSON: {e}");
                return 2;
            }
        },
    };
    super::emit(&out, u8::from(diff::has_breaking(&changes)))
}
