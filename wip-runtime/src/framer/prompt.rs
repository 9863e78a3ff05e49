//! Prompts in command mode: after a command whose form declares one
//! (27.005 `+CMGS`, u-blox `+USOWR` binary, SIMCom `+CIPSEND`), the modem
//! sends its prompt (`\r\n> `, `@`, `>`) with no line end. The framer
//! matches the prompt's marker ([`wip_schema::Prompt::marker`]) where a
//! line starts, without waiting for a line feed, and reports
//! [`Event::Prompt`]. A marker cut by a chunk end is held until the next
//! chunk decides it, so the events do not depend on the chunking.

use super::{Event, Framer};
use alloc::boxed::Box;
use wip_schema::{Dialect, Prompt};

/// The prompt the command in flight is answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Watch {
    /// The bytes matched at a line start.
    marker: Box<[u8]>,
    /// The modem prompts again (27.005 after each CR): keep watching until
    /// the final result code.
    again: bool,
}

impl Watch {
    fn of(p: &Prompt) -> Option<Watch> {
        let marker = p.marker();
        (!marker.is_empty()).then(|| Watch {
            marker: marker.into(),
            again: p.again_after.is_some(),
        })
    }

    /// The prompt of a form, if it declares one.
    pub(super) fn for_form(d: &Dialect, command: usize, form: usize) -> Option<Watch> {
        wip_schema::payload::prompt_of(d, command, form).and_then(Watch::of)
    }

    /// The prompt of a command line of command `command`: its form's,
    /// parsed by the engine only when some form of the command has a
    /// prompt. A line that does not parse is watched for the prompt of
    /// the command's first form that has one.
    pub(super) fn for_line(d: &Dialect, command: usize, line: &str) -> Option<Watch> {
        if !wip_schema::payload::command_prompts(d, command) {
            return None;
        }
        match wip_schema::parse_command(d, line) {
            Ok(p) => Watch::for_form(d, p.command, p.form),
            Err(_) => d
                .commands
                .get(command)?
                .forms
                .iter()
                .find_map(|f| f.prompt.as_ref().and_then(Watch::of)),
        }
    }
}

/// What [`Framer::match_prompt`] found at a line start.
pub(super) enum Match {
    /// The prompt, ending after this many bytes of the input.
    Done(usize),
    /// The input is a beginning of the prompt: it is held, all used.
    Partial,
    /// Not the prompt: frame the input as a line.
    No,
}

impl Framer<'_> {
    /// Matches the awaited prompt at the start of `rest`, where a line
    /// starts (after what is held in the line buffer, which must itself be
    /// a beginning of the prompt).
    pub(super) fn match_prompt<F: FnMut(Event<'_>)>(&mut self, rest: &[u8], sink: &mut F) -> Match {
        let Some(w) = self.prompt.as_ref() else {
            return Match::No;
        };
        if self.discarding {
            return Match::No;
        }
        let have = self.buf.len();
        if w.marker.get(..have) != Some(self.buf.as_slice()) {
            return Match::No;
        }
        let need = w.marker.get(have..).unwrap_or_default();
        if need.is_empty() {
            return Match::No;
        }
        let n = need.len().min(rest.len());
        if rest.get(..n) != need.get(..n) {
            return Match::No;
        }
        if n < need.len() {
            self.buf.extend_from_slice(rest);
            return Match::Partial;
        }
        self.buf.clear();
        if !w.again {
            self.prompt = None;
        }
        if let Some(p) = self.pending.as_mut() {
            p.fresh = false;
        }
        sink(Event::Prompt);
        Match::Done(n)
    }

    /// Whether the framer waits for a prompt of the command in flight.
    pub fn awaits_prompt(&self) -> bool {
        self.prompt.is_some()
    }
}
