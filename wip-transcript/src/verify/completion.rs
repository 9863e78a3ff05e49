//! Completion URCs (`OK` now, `+CIPOPEN: <link>,<err>` later): each
//! command answered with success whose form declares a completion waits
//! for it on its channel; the URC must match a waiting command by the
//! fields its spec says it repeats.

use super::{Channel, Pending, Verifier};
use wip_schema::{self as schema, completion as c, ParsedMessage};

/// A command answered, waiting for its completion URC.
pub(super) struct Awaited {
    /// The command's line in the transcript.
    pub line: usize,
    /// The command line.
    pub text: String,
    pub parsed: schema::ParsedCommand,
    /// `+CIPOPEN with <link_num> = 0`.
    pub what: String,
}

impl Verifier<'_> {
    /// After a success final result code: the command now waits for its
    /// completion, unless it came already.
    pub(super) fn expect_completion(&mut self, ch: &mut Channel, p: &Pending) {
        let Some(parsed) = &p.parsed else {
            // A line that breaks the spec, answered with success (reported
            // once, at its line): judged as if it had been right, it may
            // still be completed by a completion of its command's forms.
            if let (Some(c), false) = (p.command, p.foreign) {
                let completes = self
                    .d
                    .commands
                    .get(c)
                    .is_some_and(|cmd| cmd.forms.iter().any(|f| f.completion.is_some()));
                if completes {
                    ch.loose.push(c);
                }
            }
            return;
        };
        let Some(comp) = c::completion(self.d, parsed) else {
            return;
        };
        // An aborted payload sends nothing: a completion declared
        // `unless_aborted` does not come.
        if p.completed_early || (p.aborted && comp.unless_aborted) {
            return;
        }
        ch.awaiting.push(Awaited {
            line: p.line,
            text: p.text.clone(),
            parsed: parsed.clone(),
            what: c::describe(self.d, parsed, comp),
        });
    }

    /// Whether message `m` completes some form and may not come on its own
    /// (no form lists it among its `urcs`).
    fn completion_only(&self, m: usize) -> bool {
        let forms = || self.d.commands.iter().flat_map(|c| c.forms.iter());
        forms().any(|f| f.completion.as_ref().is_some_and(|c| c.message == m))
            && !forms().any(|f| f.urcs.contains(&m))
    }

    /// A message line that may be a completion: it ends the wait of the
    /// command it matches; one that matches none while a command waits
    /// for that message, or that can only be a completion, is a violation.
    pub(super) fn completion_urc(
        &mut self,
        ch: &mut Channel,
        line: usize,
        text: &str,
        m: &ParsedMessage,
    ) {
        let d = self.d;
        if let Some(i) = ch
            .awaiting
            .iter()
            .position(|a| c::completes(d, &a.parsed, m.message, &m.values))
        {
            ch.awaiting.remove(i);
            return;
        }
        // Before the final result code of its own command.
        if let Some(p) = ch.pending.as_mut() {
            if let Some(parsed) = &p.parsed {
                if c::completes(d, parsed, m.message, &m.values) {
                    let early = c::completion(d, parsed).is_some_and(|x| x.before_final);
                    p.completed_early = true;
                    if !early {
                        let msg = format!(
                            "`{text}` completes `{}` before its final result code, which its spec does not allow (`before_final`)",
                            p.text
                        );
                        self.report(line, msg);
                    }
                    return;
                }
            }
        }
        if m.solicited {
            return;
        }
        // The completion of a command line that broke the spec.
        if let Some(i) = ch.loose.iter().position(|&c| {
            d.commands.get(c).is_some_and(|cmd| {
                cmd.forms.iter().any(|f| {
                    f.completion
                        .as_ref()
                        .is_some_and(|x| x.message == m.message)
                })
            })
        }) {
            ch.loose.remove(i);
            return;
        }
        let waiting: Vec<String> = ch
            .awaiting
            .iter()
            .filter(|a| c::completion(d, &a.parsed).is_some_and(|x| x.message == m.message))
            .map(|a| format!("`{}` (line {}) waits for {}", a.text, a.line, a.what))
            .collect();
        if !waiting.is_empty() {
            self.report(
                line,
                format!(
                    "`{text}` completes no command waiting for it: {}",
                    waiting.join("; ")
                ),
            );
        } else if self.completion_only(m.message) {
            self.report(
                line,
                format!("`{text}` is the completion of a command, but no command waits for it"),
            );
        }
    }
}
