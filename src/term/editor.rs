//! The line editor's side of `wip term`: completion and hints from the
//! spec for rustyline, and colours only where they are wanted.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use super::spec::Guide;

/// ANSI colours, or nothing.
#[derive(Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    /// `s` in the colour of the SGR `code`, when colours are on.
    pub fn paint(self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
}

/// The line editor's helper: completion and hints from the spec.
pub struct Help<'a> {
    /// The command set.
    pub guide: &'a Guide<'a>,
    /// Colours.
    pub paint: Paint,
    /// The line is in data mode: no completion, no hints.
    pub data_mode: Arc<AtomicBool>,
}

/// A hint that is only shown, never inserted.
pub struct Shown(String);

impl Hint for Shown {
    fn display(&self) -> &str {
        &self.0
    }
    fn completion(&self) -> Option<&str> {
        None
    }
}

impl Completer for Help<'_> {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if self.data_mode.load(Ordering::Relaxed) {
            return Ok((pos, Vec::new()));
        }
        let head = line.get(..pos).unwrap_or(line);
        let forced = head.starts_with('!');
        let typed = if forced {
            head.get(1..).unwrap_or_default()
        } else {
            head
        };
        let (start, found) = self.guide.complete(typed);
        let start = start + usize::from(forced);
        Ok((
            start,
            found
                .into_iter()
                .map(|c| Pair {
                    display: c.display,
                    replacement: c.replacement,
                })
                .collect(),
        ))
    }
}

impl Hinter for Help<'_> {
    type Hint = Shown;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<Shown> {
        if pos < line.len() || self.data_mode.load(Ordering::Relaxed) {
            return None;
        }
        let typed = line.strip_prefix('!').unwrap_or(line);
        self.guide.hint(typed).map(|h| Shown(format!("   {h}")))
    }
}

impl Highlighter for Help<'_> {
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        Cow::Owned(self.paint.paint("2", hint))
    }
}

impl Validator for Help<'_> {}
impl Helper for Help<'_> {}
