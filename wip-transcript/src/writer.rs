//! The writer: events out as transcript lines that read back the same.

use std::io::Write;

use crate::channels::{is_channel_name, Channels, CHANNEL_DIRECTIVE};
use crate::error::{ParseErrorKind, WriteError};
use crate::event::{Event, Spanned};
use crate::grammar::parse_line;

/// Writes events as transcript lines, ending in `\n` (or in `\r\n` when the
/// line itself ends in `\r`, which would otherwise be taken as its line end).
///
/// It tracks the current channel and data mode as [`crate::Reader`] does:
/// it writes `@channel NAME` before an event of another channel, and it
/// refuses an event whose line would read back as something else (for
/// example a payload outside data mode, or a modem line starting with `AT`),
/// so that what it writes always reads back as the events it was given.
#[derive(Debug)]
pub struct Writer<W> {
    out: W,
    channels: Channels,
    /// Nothing is written yet: the next line is the file's first.
    first: bool,
}

impl<W: Write> Writer<W> {
    /// A writer to `out`, starting on channel [`crate::DEFAULT_CHANNEL`]
    /// outside data mode.
    pub fn new(out: W) -> Self {
        Writer {
            out,
            channels: Channels::default(),
            first: true,
        }
    }

    /// Writes `event` on `channel`, switching channels first if needed.
    ///
    /// An `@channel` directive event switches to its own argument, whatever
    /// `channel` says.
    pub fn write_event(&mut self, channel: &str, event: &Event) -> Result<(), WriteError> {
        let switches = matches!(event, Event::Directive { name, .. } if name == CHANNEL_DIRECTIVE);
        if !switches && channel != self.channels.current() {
            if !is_channel_name(channel) {
                return Err(WriteError::BadChannel(channel.to_owned()));
            }
            self.write_line(&Event::Directive {
                name: CHANNEL_DIRECTIVE.to_owned(),
                args: channel.to_owned(),
                comment: None,
            })?;
        }
        self.write_line(event)
    }

    /// Writes a spanned event (its line number is not used).
    pub fn write(&mut self, event: &Spanned<Event>) -> Result<(), WriteError> {
        self.write_event(&event.channel, &event.value)
    }

    /// Flushes the output.
    pub fn flush(&mut self) -> Result<(), WriteError> {
        Ok(self.out.flush()?)
    }

    /// The output back.
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Formats, checks by reading back, and writes one line.
    fn write_line(&mut self, event: &Event) -> Result<(), WriteError> {
        let line = self.format_checked(event)?;
        self.channels.apply(event).map_err(|e| match e {
            ParseErrorKind::BadChannel { args } => WriteError::BadChannel(args),
            _ => WriteError::NotRepresentable { line: line.clone() },
        })?;
        // A reader drops a byte order mark that starts the file: a first
        // line that starts with U+FEFF goes after an empty line, which
        // readers skip, so that it reads back whole.
        if std::mem::take(&mut self.first) && line.starts_with('\u{feff}') {
            self.out.write_all(b"\n")?;
        }
        self.out.write_all(line.as_bytes())?;
        // A `\r` is text anywhere but right before the line end, so a line
        // ending in one gets a `\r\n` end.
        let end: &[u8] = if line.ends_with('\r') { b"\r\n" } else { b"\n" };
        self.out.write_all(end)?;
        Ok(())
    }

    /// The line of `event` that reads back as `event` in the current mode.
    ///
    /// Two blanks before a trailing comment read best, but in data mode
    /// they would turn a modem line `<<` or `>>` into a payload marker; a
    /// tab does not.
    fn format_checked(&self, event: &Event) -> Result<String, WriteError> {
        let mut first = None;
        for sep in ["  ", "\t"] {
            let mut line = String::new();
            if event.write_line(&mut line, sep).is_err() {
                continue;
            }
            // A `\n` would split the line.
            let reads_back = !line.contains('\n')
                && matches!(parse_line(&line, self.channels.mode()), Ok(Some(read)) if read == *event);
            if reads_back {
                return Ok(line);
            }
            first.get_or_insert(line);
        }
        Err(WriteError::NotRepresentable {
            line: first.unwrap_or_default(),
        })
    }
}
