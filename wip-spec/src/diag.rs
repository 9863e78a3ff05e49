//! Diagnostics about a spec: what is wrong and where.
//!
//! The RON parser gives a line and column for syntax errors. Semantic
//! problems found after parsing carry a logical path
//! (`commands[+WIPCFG].forms[Configure].params[opt num].default`) and, where
//! the item can be found again in the text, its line and column too.

use std::fmt;

/// A line and column in a spec file, both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Where in the text, when known.
    pub location: Option<Location>,
    /// The logical path of the item in the spec.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// The file it is in, when not the spec's own (an included file).
    pub file: Option<String>,
}

/// Every problem found in a spec file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics {
    /// The file name shown in front of each problem.
    pub file: String,
    /// The problems, in the order of the file.
    pub items: Vec<Diagnostic>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, d) in self.items.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.render(d))?;
        }
        Ok(())
    }
}

impl Diagnostics {
    /// One diagnostic as `FILE:LINE:COL: PATH: MESSAGE`.
    pub fn render(&self, d: &Diagnostic) -> String {
        let mut s = d.file.clone().unwrap_or_else(|| self.file.clone());
        if let Some(l) = d.location {
            s.push_str(&format!(":{}:{}", l.line, l.col));
        }
        s.push_str(": ");
        if !d.path.is_empty() {
            s.push_str(&d.path);
            s.push_str(": ");
        }
        s.push_str(&d.message);
        s
    }
}

/// Finds items again in the spec text by a chain of anchors: each anchor
/// is searched for after the previous one's position, so
/// `["\"+WIPCFG\"", "\"Configure\"", "\"opt num\"", "default"]` lands on
/// the default of that parameter.
pub(crate) struct Locator<'a> {
    src: &'a str,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Locator { src }
    }

    /// The location of the last anchor found; anchors that cannot be found
    /// are skipped, so a partial chain still points near the item.
    pub(crate) fn find(&self, anchors: &[String]) -> Option<Location> {
        let mut pos = 0usize;
        let mut found = None;
        for a in anchors {
            if let Some(rest) = self.src.get(pos..) {
                if let Some(off) = find_outside_comments(rest, a) {
                    pos += off;
                    found = Some(pos);
                    pos += a.len();
                }
            }
        }
        found.map(|p| self.location_of(p))
    }

    fn location_of(&self, byte: usize) -> Location {
        let before = self.src.get(..byte).unwrap_or(self.src);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        Location { line, col }
    }
}

/// The offset of `needle` in `hay`, ignoring matches inside `//` comments.
fn find_outside_comments(hay: &str, needle: &str) -> Option<usize> {
    let mut start = 0;
    while let Some(off) = hay.get(start..)?.find(needle) {
        let at = start + off;
        let line_start = hay.get(..at)?.rfind('\n').map_or(0, |n| n + 1);
        let line = hay.get(line_start..at)?;
        if !line.trim_start().starts_with("//") {
            return Some(at);
        }
        start = at + needle.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locator_follows_anchor_chains() {
        let src = "A(\n  // \"b\" in a comment\n  x: \"b\",\n  y: (\"b\", default: 3),\n)";
        let l = Locator::new(src);
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(l.find(&a(&["\"b\""])), Some(Location { line: 3, col: 6 }));
        assert_eq!(
            l.find(&a(&["y:", "\"b\"", "default"])),
            Some(Location { line: 4, col: 12 })
        );
        assert_eq!(l.find(&a(&["nothing"])), None);
    }
}
