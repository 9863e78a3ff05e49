//! The state a transcript carries from line to line: the current channel
//! and which channels are in data mode.

use std::collections::BTreeSet;

use crate::error::ParseErrorKind;
use crate::event::Event;
use crate::grammar::Mode;

/// The channel every transcript starts on.
pub const DEFAULT_CHANNEL: &str = "1";

/// The name of the directive that switches channels: `@channel NAME`.
pub const CHANNEL_DIRECTIVE: &str = "channel";

/// Current channel and the set of channels in data mode.
///
/// Data mode belongs to a UART, and WIPsoft can run several UARTs at once
/// (manual §3 "Principles", "Multiple UARTs"), so each channel keeps its own.
#[derive(Debug, Clone)]
pub(crate) struct Channels {
    current: String,
    data_mode: BTreeSet<String>,
}

impl Default for Channels {
    fn default() -> Self {
        Channels {
            current: DEFAULT_CHANNEL.to_owned(),
            data_mode: BTreeSet::new(),
        }
    }
}

impl Channels {
    /// The current channel.
    pub(crate) fn current(&self) -> &str {
        &self.current
    }

    /// The rule the next line of the current channel is read with.
    pub(crate) fn mode(&self) -> Mode {
        if self.data_mode.contains(&self.current) {
            Mode::Data
        } else {
            Mode::Command
        }
    }

    /// Moves the state past `event`, read in the current mode.
    pub(crate) fn apply(&mut self, event: &Event) -> Result<(), ParseErrorKind> {
        match event {
            Event::Directive { name, args, .. } if name == CHANNEL_DIRECTIVE => {
                if !is_channel_name(args) {
                    return Err(ParseErrorKind::BadChannel { args: args.clone() });
                }
                self.current.clone_from(args);
            }
            Event::ModemLine { .. } if event.is_connect() => {
                self.data_mode.insert(self.current.clone());
            }
            // In data mode, any modem line but CONNECT ends it.
            Event::ModemLine { .. } => {
                self.data_mode.remove(&self.current);
            }
            _ => {}
        }
        Ok(())
    }
}

/// A channel name is one word of ASCII letters, digits, `_`, `-` or `.`
/// (`1`, `uart2`, `cmux-1`), as `docs/transcript-directives.md` defines it.
pub(crate) fn is_channel_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}
