//! A `#![no_std]` user of the core of wip: the command-set description
//! and engine (`wip-schema`), the framer, DLE/ETX escaping, hex dumps,
//! final result codes and the `+++` detector (`wip-runtime`), all with
//! their `std` feature off, as a microcontroller host links them.
//!
//! It builds for a bare-metal target (`cargo build -p wip-nostd-check
//! --target thumbv7em-none-eabihf`); on the host, `cargo test -p
//! wip-nostd-check` runs its functions from `tests/api.rs`.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use wip_runtime::escape::{self, Unescaper};
use wip_runtime::framer::{coalesce, Framer, OwnedEvent};
use wip_runtime::guard::EscapeDetector;
use wip_runtime::hexdump::{self, HexError, Reassembler};
use wip_runtime::schema::{self, Dialect, ParsedMessage};
use wip_runtime::Final;

/// Two items of WIPsoft as a `static` description, written the way the
/// code generator writes one: `AT+WIPCLOSE=<protocol>,<idx>` (manual
/// 5.3, `<idx>` at most 4 for a TCP server) and the `+WIPREADY:
/// <protocol>,<idx>` URC (6.2.8).
pub static DIALECT: Dialect = {
    use alloc::borrow::Cow::Borrowed;
    use wip_runtime::schema::*;
    const PROTOCOL: Param = Param::req("protocol", Ty::set(0, &[1, 2, 3, 4]));
    const IDX: Param = Param::req("idx", Ty::int(1, 8));
    const VALUE_SETS: &[ValueSet] = &[ValueSet::new(
        "protocol",
        &[
            (1, Borrowed("UDP")),
            (2, Borrowed("TCP client")),
            (3, Borrowed("TCP server")),
            (4, Borrowed("FTP")),
        ],
    )];
    const FORMS: &[Form] = &[Form::action("Close")
        .params(const { &[PROTOCOL, IDX] })
        .rules(const { &[Rule::range(const { &[Cond::new(0, &[3])] }, 1, 1, 4)] })
        .urcs(&[0])];
    const COMMANDS: &[Command] = &[Command::new("+WIPCLOSE", 10_000, &[], FORMS)];
    const MESSAGES: &[Message] =
        &[Message::urc("WipReady", Some("+WIPREADY")).fields(const { &[PROTOCOL, IDX] })];
    Dialect::new("WIPsoft excerpt", "+WIP")
        .value_sets(VALUE_SETS)
        .commands(COMMANDS)
        .messages(MESSAGES)
};

/// Parses a command line with the engine, validates the values it bound
/// and formats them back into a line.
pub fn command_round_trip(line: &str) -> Result<String, schema::Error> {
    let p = schema::parse_command(&DIALECT, line)?;
    schema::validate_command(&DIALECT, p.command, p.form, &p.values)?;
    Ok(schema::format_command(
        &DIALECT, p.command, p.form, &p.values,
    ))
}

/// Parses a modem line with the engine, no command pending.
pub fn parse_urc(line: &str) -> Result<ParsedMessage, schema::Error> {
    schema::parse_message(&DIALECT, line, None)
}

/// Frames what the modem sent after the host sent `command`, in chunks
/// of `chunk` bytes (at least 1), with [`DIALECT`].
pub fn frame(command: &str, modem: &[u8], chunk: usize) -> Vec<OwnedEvent> {
    let mut f = Framer::new(&DIALECT);
    f.sent(command);
    let mut events = Vec::new();
    for piece in modem.chunks(chunk.max(1)) {
        events.extend(f.feed_owned(piece));
    }
    coalesce(events)
}

/// Recognizes a final result code.
pub fn final_code(line: &[u8]) -> Option<Final> {
    Final::parse(line)
}

/// Escapes `data` for continuous data mode and unescapes it again, one
/// byte at a time; returns the escaped bytes, the payload recovered and
/// how many lone ETX came after it (`end` adds one).
pub fn escape_round_trip(data: &[u8], end: bool) -> (Vec<u8>, Vec<u8>, usize) {
    let mut wire = escape::escape(data);
    if end {
        wire.push(escape::ETX);
    }
    let mut u = Unescaper::new();
    let mut back = Vec::new();
    let mut marks = 0;
    for b in wire.chunks(1) {
        marks += u.feed_into(b, &mut back);
    }
    (wire, back, marks)
}

/// The `+WIPDATARW` command lines that write `data` on channel `idx`.
pub fn dump_lines(data: &[u8], idx: u32) -> Vec<String> {
    hexdump::blocks(data).map(|b| b.command_line(idx)).collect()
}

/// Puts received `+WIPDATARW` line bodies back together.
pub fn reassemble<'a>(
    bodies: impl IntoIterator<Item = &'a str>,
) -> Result<Option<Vec<u8>>, HexError> {
    let mut r = Reassembler::default();
    let mut done = None;
    for body in bodies {
        done = r.push_line(body)?;
    }
    Ok(done)
}

/// Runs the `+++` detector on bytes stamped with a millisecond tick
/// count, as a modem without `std::time` would; returns whether it saw
/// the escape by `poll_ms`, and the bytes it passed on as data.
pub fn detect_escape(guard_ms: u64, input: &[(u64, &[u8])], poll_ms: u64) -> (bool, Vec<u8>) {
    let ms = Duration::from_millis;
    let mut d: EscapeDetector<Duration> = EscapeDetector::new(ms(guard_ms));
    let mut out = Vec::new();
    for &(t, bytes) in input {
        d.feed(bytes, ms(t), &mut out);
    }
    let escaped = d.poll(ms(poll_ms), &mut out);
    (escaped, out)
}
