//! The two renderings of a change list: text for people, JSON for CI.
//!
//! The JSON schema is documented in `docs/diff-json.md`; its `format` and
//! `version` fields name it, and a change of its shape changes `version`.

use super::{has_breaking, Change, Class, Kind};
use crate::Spec;
use serde::Serialize;

/// The `format` field of the JSON rendering.
pub const JSON_FORMAT: &str = "wip-diff";
/// The `version` field of the JSON rendering.
const JSON_VERSION: u32 = 1;

/// Which spec a side of the diff is.
#[derive(Serialize)]
struct SpecId<'a> {
    name: &'a str,
    version: &'a str,
    revision: &'a str,
}

impl<'a> SpecId<'a> {
    fn of(s: &'a Spec) -> Self {
        SpecId {
            name: &s.notes.name,
            version: &s.notes.version,
            revision: &s.notes.revision,
        }
    }
}

#[derive(Serialize)]
struct Summary {
    total: usize,
    breaking: usize,
    compatible: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    format: &'static str,
    version: u32,
    old: SpecId<'a>,
    new: SpecId<'a>,
    compatible: bool,
    summary: Summary,
    changes: &'a [Change],
}

fn summary(changes: &[Change]) -> Summary {
    let breaking = changes.iter().filter(|c| c.is_breaking()).count();
    Summary {
        total: changes.len(),
        breaking,
        compatible: changes.len() - breaking,
    }
}

/// The change list as pretty-printed JSON, ending with a newline.
pub fn json(old: &Spec, new: &Spec, changes: &[Change]) -> Result<String, serde_json::Error> {
    let report = Report {
        format: JSON_FORMAT,
        version: JSON_VERSION,
        old: SpecId::of(old),
        new: SpecId::of(new),
        compatible: !has_breaking(changes),
        summary: summary(changes),
        changes,
    };
    let mut s = serde_json::to_string_pretty(&report)?;
    s.push('\n');
    Ok(s)
}

fn spec_name(s: &Spec) -> String {
    format!(
        "{} {} rev {}",
        s.notes.name, s.notes.version, s.notes.revision
    )
}

/// The change list as text: a header, then per change its class, kind,
/// path, sections and note, with the old and new text below.
pub fn text(old: &Spec, new: &Spec, changes: &[Change]) -> String {
    let sum = summary(changes);
    let mut out = format!(
        "{} -> {}: {} change{}, {} breaking, {} compatible\n",
        spec_name(old),
        spec_name(new),
        sum.total,
        if sum.total == 1 { "" } else { "s" },
        sum.breaking,
        sum.compatible
    );
    for c in changes {
        let class = match c.class {
            Class::Breaking => "BREAKING  ",
            Class::Compatible => "compatible",
        };
        let kind = match c.kind {
            Kind::Added => "added  ",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
        };
        let secs = if c.sections.is_empty() {
            String::new()
        } else {
            format!(" ({})", c.sections.join(", "))
        };
        out.push_str(&format!("\n{class} {kind} {}{secs}: {}\n", c.path, c.note));
        if let Some(o) = &c.old {
            out.push_str(&format!("    old: {o}\n"));
        }
        if let Some(n) = &c.new {
            out.push_str(&format!("    new: {n}\n"));
        }
    }
    out.push('\n');
    out.push_str(if sum.breaking == 0 {
        "The new spec is compatible with the old one.\n"
    } else {
        "The new spec breaks host applications written for the old one.\n"
    });
    out
}
