//! Reading and writing `.at` transcripts: what crossed one serial line
//! between a host and a WIPsoft modem, one event a line.
//!
//! The format is defined in `shared/transcript-format.md`. This crate
//! parses and writes it, and [`verify`] checks a transcript's commands and
//! modem lines against a command-set description (the engine's
//! [`wip_schema::Dialect`]), by the rules of the format's "What conformance
//! means": `wip verify`, `wip replay` and tests call it.
//!
//! - [`Reader`] streams [`Spanned`]`<`[`Event`]`>` from any [`std::io::BufRead`],
//!   one line at a time, with the 1-based line number and the channel of
//!   each event; [`parse_str`] is the same over a `&str`.
//! - [`decode_payload`] and [`encode_payload`] convert between the text of a
//!   `>> `/`<< ` payload and its bytes.
//! - [`Event`] implements [`std::fmt::Display`] (one line), and [`Writer`]
//!   writes events as lines that read back as the same events.
//!
//! The grammar is a pest grammar of one line (`src/transcript.pest`) with one
//! entry rule per state: outside data mode and in data mode. The reader keeps
//! the state and picks the rule for each line.
//!
//! # Example
//!
//! ```
//! use wip_transcript::{parse_str, Event};
//!
//! let transcript = "\
//! AT+WIPDATA=2,1,1   // map the socket on the UART
//! CONNECT
//! >> GET / HTTP/1.0\\r\\n\\r\\n
//! +++
//! OK
//! ";
//! let events = parse_str(transcript)?;
//! assert_eq!(events.len(), 5);
//! assert_eq!(events[0].line, 1);
//! assert_eq!(
//!     events[0].value,
//!     Event::Command {
//!         text: "AT+WIPDATA=2,1,1".into(),
//!         comment: Some("map the socket on the UART".into()),
//!     }
//! );
//! assert_eq!(events[2].value, Event::HostData(b"GET / HTTP/1.0\r\n\r\n".to_vec()));
//! assert_eq!(events[3].value, Event::Escape { comment: None });
//! assert_eq!(events[4].channel, "1");
//! # Ok::<(), wip_transcript::ParseError>(())
//! ```
//!
//! # Channels
//!
//! A transcript may record several UARTs (WIPsoft can map a different socket
//! on each, manual §3 "Principles"). The directive `@channel NAME` makes
//! `NAME` the current channel from that line on; a transcript starts on
//! channel [`DEFAULT_CHANNEL`] (`"1"`). Every event carries the channel that
//! is current on its line (an `@channel` directive carries the channel it
//! switches to). Data mode belongs to a channel: `CONNECT` on channel 1 puts
//! channel 1 in data mode, and after `@channel 2` lines are read outside
//! data mode until channel 2 gets its own `CONNECT`; back on channel 1 with
//! `@channel 1`, payload lines are read again. `@channel` needs exactly one
//! name of ASCII letters, digits, `_`, `-` or `.` (case matters), else the
//! line is an error and the channel does not change. The directive itself is
//! defined in `docs/transcript-directives.md`.
//!
//! # Decisions where the format leaves room
//!
//! - Blanks are ASCII space and tab. A raw `\r` right before `\n` is the line
//!   end, not text.
//! - Comment text (of `#`, `//` and trailing comments) is trimmed; a `//`
//!   comment line and a `#` one give the same [`Event::Comment`].
//! - Double quotes toggle at each `"`; an unclosed quote runs to the end of
//!   the line, so no trailing comment follows it.
//! - Directives (`@...`) are read in data mode too and do not end it: they
//!   are for tools, not bytes on the wire (and `@channel` must work while a
//!   channel is in data mode). `@` without a name right after it (`@`
//!   alone, `@ args`) is a directive with an empty name, which no tool
//!   knows and every tool ignores. Directive names are case-sensitive; the
//!   name is everything up to the first blank.
//! - Commands start with `AT` or `at` exactly (`At` is a modem line). In data
//!   mode a line starting with `AT` is a modem line that ends data mode, as
//!   the format's data-mode table says of "any other non-comment line".
//! - Data mode is entered by a modem line `CONNECT`, alone or followed by a
//!   blank and more text (V.25ter `CONNECT <text>`); a `CONNECT` in data mode
//!   keeps it.
//! - In data mode, blanks before `>> `, `<< ` and `+++` are skipped (a line's
//!   indentation never carries meaning); the payload is exactly what follows
//!   the marker and its one blank, trailing blanks included. `>>` without the
//!   blank, and `+++` followed by text other than a trailing comment, are
//!   modem lines that end data mode. `+++` may have a trailing comment, since
//!   it is not a payload line. Outside data mode, `<< ` and `>> ` lines are
//!   the prompt and payload phases of docs/transcript-extensions.md (E1),
//!   read as the same payload events; `+++` there is a modem line.
//! - Payload escapes are exactly those of the table; `[ETX]` and `[DLE]` are
//!   upper case. A `[` that starts neither is a literal `[` (so `[FOO]` and
//!   `[etx]` are text); a backslash that starts no escape (`\q`, `\xZZ`, a
//!   lone `\` at the end) is an error. Hex digits may be either case. Other
//!   characters stand for their UTF-8 bytes.
//! - Lines over [`DEFAULT_MAX_LINE_LEN`] bytes are errors and skipped.
#![warn(missing_docs)]

mod channels;
mod error;
mod event;
mod grammar;
mod payload;
mod reader;
pub mod state;
pub mod verify;
mod writer;

pub use channels::{CHANNEL_DIRECTIVE, DEFAULT_CHANNEL};
pub use error::{EscapeError, ParseError, ParseErrorKind, WriteError};
pub use event::{Event, Spanned};
pub use payload::{decode_payload, encode_payload};
pub use reader::{parse_str, Reader, DEFAULT_MAX_LINE_LEN};
pub use writer::Writer;
