//! Prompt and payload phases outside data mode (docs/transcript-extensions.md):
//! `<< PROMPT` right after a command whose form declares a prompt opens a
//! phase, `>> PAYLOAD` lines are the bytes the host writes in it, and the
//! next command or modem line closes it, when the payload is checked
//! against the form's rule (its count, or its terminator).

use super::{Channel, Verifier};
use crate::Event;
use wip_schema::payload::{check_payload, prompt_of};

/// An open prompt phase of a channel.
#[derive(Debug, Default)]
pub(super) struct Phase {
    /// The line of the first prompt.
    prompt_line: usize,
    /// The line of the first `>>` line.
    first_data: Option<usize>,
    /// The bytes the host wrote, across repeated prompts.
    bytes: Vec<u8>,
    /// Whether the payload is checked when the phase closes (the command
    /// parsed and its form declares the prompt).
    checked: bool,
}

/// The bytes of a prompt as compared: without leading CR and LF and
/// without trailing blanks, as [`wip_schema::Prompt::marker`] cuts the
/// declared text.
fn marker(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|x| !matches!(x, b'\r' | b'\n'))
        .unwrap_or(b.len());
    let b = b.get(start..).unwrap_or_default();
    let end = b
        .iter()
        .rposition(|x| !matches!(x, b' ' | b'\t'))
        .map_or(0, |i| i + 1);
    b.get(..end).unwrap_or_default()
}

impl Verifier<'_> {
    /// A `<<` or `>>` line outside data mode.
    pub(super) fn phase_event(&mut self, ch: &mut Channel, line: usize, ev: &Event) {
        match ev {
            Event::ModemData(b) => self.prompt_line(ch, line, b),
            Event::HostData(b) => match ch.phase.as_mut() {
                Some(ph) => {
                    ph.first_data.get_or_insert(line);
                    ph.bytes.extend_from_slice(b);
                }
                None => self.report(
                    line,
                    "payload with no prompt before it (outside data mode, `>>` follows a `<<` prompt)"
                        .into(),
                ),
            },
            _ => {}
        }
    }

    fn prompt_line(&mut self, ch: &mut Channel, line: usize, bytes: &[u8]) {
        let seen = String::from_utf8_lossy(marker(bytes)).into_owned();
        let Some(p) = ch.pending.as_ref() else {
            self.report(line, format!("prompt `{seen}` with no command pending"));
            return;
        };
        let declared = p
            .parsed
            .as_ref()
            .and_then(|c| prompt_of(self.d, c.command, c.form));
        if let Some(ph) = ch.phase.as_ref() {
            // A prompt again, inside the phase (27.005: after each CR).
            let again = declared.is_some_and(|d| d.again_after.is_some());
            if ph.checked && !again {
                self.report(
                    line,
                    format!("prompt again, but `{}` declares a single prompt", p.text),
                );
            }
            return;
        }
        let mut phase = Phase {
            prompt_line: line,
            ..Phase::default()
        };
        match (declared, &p.parsed, p.foreign) {
            (Some(d), Some(_), _) => {
                if marker(d.text.as_bytes()) != marker(bytes) {
                    self.report(
                        line,
                        format!(
                            "prompt `{seen}` where `{}` declares {:?}",
                            p.text,
                            d.text.as_ref()
                        ),
                    );
                }
                phase.checked = true;
            }
            (None, Some(_), false) => self.report(
                line,
                format!("prompt `{seen}` where `{}` declares none", p.text),
            ),
            // A foreign command, or one whose line broke the spec (reported
            // at its line): its prompt and payload pass unchecked.
            _ => {}
        }
        ch.phase = Some(phase);
    }

    /// Closes the prompt phase of a channel, checking its payload.
    pub(super) fn close_phase(&mut self, ch: &mut Channel) {
        let Some(ph) = ch.phase.take() else {
            return;
        };
        if !ph.checked {
            return;
        }
        let Some(parsed) = ch.pending.as_ref().and_then(|p| p.parsed.as_ref()) else {
            return;
        };
        if let Err(why) = check_payload(self.d, parsed, &ph.bytes) {
            let at = ph.first_data.unwrap_or(ph.prompt_line);
            self.report(at, why);
        }
    }
}
