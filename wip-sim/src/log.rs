//! The `-v` log: every line in and out, in the transcript format, one
//! channel per UART, so that `wip verify` can check what the emulator did.

use std::io::Write;

use wip_transcript::{Event, Writer};

use crate::modem::UartId;

/// Writes events as transcript lines.
#[derive(Debug)]
pub struct Log<W: Write> {
    w: Writer<W>,
}

impl<W: Write> Log<W> {
    /// A log to `out`. It starts with `@assume power-on`: the modem the
    /// log follows has just been powered on, so `wip verify` knows all its
    /// state from the first line (docs/transcript-directives.md).
    pub fn new(out: W) -> Self {
        let mut w = Writer::new(out);
        let _ = w.write_event(
            wip_transcript::DEFAULT_CHANNEL,
            &Event::Directive {
                name: "assume".into(),
                args: "power-on".into(),
                comment: None,
            },
        );
        Log { w }
    }

    /// Writes one event of a UART; an event the format cannot carry is
    /// written as a comment rather than lost.
    pub fn event(&mut self, u: UartId, ev: &Event) {
        let ch = u.to_string();
        if let Err(e) = self.w.write_event(&ch, ev) {
            // Worded as `wip tap` words it (docs/transcript-extensions.md,
            // "Lines the format cannot carry").
            let text = match ev {
                Event::Command { text, .. } => format!(
                    "the host sent `{}`, which cannot be written as a command line",
                    wip_transcript::encode_payload(text.as_bytes())
                ),
                Event::ModemLine { text, .. } => format!(
                    "the modem sent `{}`, which cannot be written as a modem line",
                    wip_transcript::encode_payload(text.as_bytes())
                ),
                _ => format!("not written as a line of its own: {e}"),
            };
            let _ = self.w.write_event(&ch, &Event::Comment(text));
        }
        let _ = self.w.flush();
    }

    /// The output back.
    pub fn into_inner(self) -> W {
        self.w.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A command line holding ` //` outside quotes (the unquoted-string
    /// tolerance of E40 lets one through) cannot be a command line of the
    /// format: it is written as a comment that says what the host sent.
    #[test]
    fn a_line_the_format_cannot_carry_becomes_a_comment_naming_it() {
        let mut log = Log::new(Vec::new());
        log.event(
            1,
            &Event::Command {
                text: "AT+WIPBR=2,6,11,a // b".into(),
                comment: None,
            },
        );
        let text = String::from_utf8(log.into_inner()).unwrap_or_default();
        assert!(
            text.contains(
                "# the host sent `AT+WIPBR=2,6,11,a // b`, which cannot be written as a command line"
            ),
            "{text}"
        );
    }
}
