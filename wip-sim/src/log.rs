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
        if self.w.write_event(&ch, ev).is_err() {
            let _ = self
                .w
                .write_event(&ch, &Event::Comment(format!("unrepresentable: {ev:?}")));
        }
        let _ = self.w.flush();
    }

    /// The output back.
    pub fn into_inner(self) -> W {
        self.w.into_inner()
    }
}
