//! Prompt and payload phases outside data mode (docs/transcript-extensions.md):
//! `<< PROMPT` right after a command whose form declares a prompt opens a
//! phase, `>> PAYLOAD` lines are the bytes the host writes in it, and the
//! next command or modem line closes it, when the payload is checked
//! against the form's rule (its count, or its terminator).

use super::{Channel, Pending, Verifier};
use crate::Event;
use wip_schema::payload::{check_payload, counted_len, prompt_of, PayloadAfter, PayloadEnd};

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
                // Outside data mode and with no prompt, a `>>` line is a
                // modem line of the transcript format; the answer of a
                // command that is not the spec's passes unchecked (rule 4).
                None if ch.pending.as_ref().is_some_and(|p| p.foreign) => {}
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
        if let Some(e) = ch.expect.take() {
            // A count of 0 is met by nothing: an empty `<< ` line may
            // still write the empty payload, and any other `<<` line is
            // what it is without it.
            if e.count != Some(0) || bytes.is_empty() {
                self.counted_payload(line, &e, bytes);
                return;
            }
        }
        // Written as the file writes it (`\r\n`, `[ETX]`): one violation
        // stays one line of output, and no control byte reaches a
        // terminal.
        let seen = crate::payload::encode_payload(marker(bytes));
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
        if let Some(p) = ch.pending.as_mut() {
            p.prompted = true;
        }
    }

    /// A command whose form declares a prompt, answered with a success
    /// final result code though no prompt came: the host never got to
    /// write its payload. Reported at the final result code.
    pub(super) fn prompt_skipped(&mut self, p: &Pending, line: usize, text: &str) {
        if p.prompted || p.foreign {
            return;
        }
        let Some(parsed) = &p.parsed else { return };
        let Some(d) = prompt_of(self.d, parsed.command, parsed.form) else {
            return;
        };
        self.report(
            line,
            format!(
                "`{}` answered {} without its prompt {:?}: the host never got to write its payload",
                p.text,
                text.trim(),
                d.text.as_ref()
            ),
        );
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
        match check_payload(self.d, parsed, &ph.bytes) {
            Err(why) => {
                let at = ph.first_data.unwrap_or(ph.prompt_line);
                self.report(at, why);
            }
            Ok(PayloadEnd::Aborted) => {
                if let Some(p) = ch.pending.as_mut() {
                    p.aborted = true;
                }
            }
            Ok(PayloadEnd::Sent) => {}
        }
    }
}

/// Raw data a message's line announced (schema point 5).
#[derive(Debug)]
pub(super) struct Expect {
    /// The line of the message.
    line: usize,
    /// Its text.
    text: String,
    /// The byte count, for a counted payload; `None` for a line.
    count: Option<usize>,
}

impl Verifier<'_> {
    /// After a message line: notes the raw data its message declares.
    pub(super) fn expect_payload(
        &mut self,
        ch: &mut Channel,
        line: usize,
        text: &str,
        message: usize,
    ) {
        let Some(m) = self.d.messages.get(message) else {
            return;
        };
        let count = match m.payload {
            // A counted field written empty (`+USORD: 3,7,""`): its content
            // is the `<<` line after it, as the framer reports it.
            None => match counted_elsewhere(self.d, message, m, text) {
                Some(n) => Some(n),
                None => return,
            },
            Some(PayloadAfter::Line) => None,
            Some(PayloadAfter::Counted { field }) => {
                match m.body(text.trim()).and_then(|b| counted_len(b, field)) {
                    Some(n) => Some(n),
                    None => return,
                }
            }
        };
        ch.expect = Some(Expect {
            line,
            text: text.to_string(),
            count,
        });
    }

    /// A `<<` line after a message that declares a payload.
    fn counted_payload(&mut self, line: usize, e: &Expect, bytes: &[u8]) {
        match e.count {
            Some(n) if bytes.len() != n => self.report(
                line,
                format!(
                    "payload of {} bytes where `{}` (line {}) announces {n}",
                    bytes.len(),
                    e.text,
                    e.line
                ),
            ),
            None if bytes.iter().any(|b| matches!(b, b'\r' | b'\n')) => self.report(
                line,
                format!("payload line after `{}` holds a line end", e.text),
            ),
            _ => {}
        }
    }

    /// A modem line where a payload is due: the payload itself for a line
    /// payload (taken whatever it reads, `OK` included; returns true), else
    /// the counted payload is missing.
    pub(super) fn payload_line(&mut self, ch: &mut Channel) -> bool {
        match ch.expect.take() {
            Some(Expect { count: None, .. }) => true,
            // No bytes were due: the line is the next one.
            Some(Expect { count: Some(0), .. }) => false,
            Some(e) => {
                self.missing(&e);
                false
            }
            None => false,
        }
    }

    /// Anything else where a payload is due.
    pub(super) fn payload_missing(&mut self, ch: &mut Channel) {
        if let Some(e) = ch.expect.take() {
            self.missing(&e);
        }
    }

    fn missing(&mut self, e: &Expect) {
        let what = match e.count {
            // Nothing was due.
            Some(0) => return,
            Some(n) => format!("{n} bytes of raw data"),
            None => "a line of raw data".to_string(),
        };
        self.report(
            e.line,
            format!("`{}` announces {what}, none follows", e.text),
        );
    }
}

/// The count of a message's [`Ty::Counted`](wip_schema::Ty::Counted) field
/// when the line writes that field empty and the count is not 0: its
/// content then follows as a `<<` line.
fn counted_elsewhere(
    d: &wip_schema::Dialect,
    message: usize,
    m: &wip_schema::Message,
    text: &str,
) -> Option<usize> {
    let (field, len_field) = wip_schema::payload::counted_field(d, message)?;
    let body = m.body(text.trim())?;
    let empty = matches!(
        wip_schema::fields::iter(body).nth(field),
        Some(Ok(wip_schema::fields::Field::Quoted("")))
    );
    counted_len(body, len_field).filter(|&n| empty && n > 0)
}
