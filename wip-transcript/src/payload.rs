//! Payload escapes: the text after `>> ` or `<< ` and the bytes it stands for.

use std::fmt::Write as _;

use pest::Parser;

use crate::error::EscapeError;
use crate::grammar::{decode_payload_pair, LineParser, Rule};

/// Decodes a payload (the text after `>> ` or `<< `) into its bytes.
///
/// | text | byte |
/// | --- | --- |
/// | `[ETX]` | 0x03 |
/// | `[DLE]` | 0x10 |
/// | `\xHH` | the byte HH (two hex digits, either case) |
/// | `\r`, `\n`, `\\`, `\[` | CR, LF, backslash, `[` |
///
/// Every other character stands for its own UTF-8 bytes, blanks and `//`
/// included. A `[` that does not start `[ETX]` or `[DLE]` (exactly those,
/// upper case) is a literal `[`, so `[etx]` and `[FOO]` are text. Any other
/// backslash is an [`EscapeError`] whose column counts from 1 at the start
/// of `text`.
pub fn decode_payload(text: &str) -> Result<Vec<u8>, EscapeError> {
    let mut pairs = LineParser::parse(Rule::payload_only, text).map_err(|_| EscapeError {
        column: 1,
        escape: text.chars().take(4).collect(),
    })?;
    match pairs.next().and_then(|p| p.into_inner().next()) {
        Some(payload) => decode_payload_pair(payload, text),
        None => Ok(Vec::new()),
    }
}

/// Encodes bytes as a payload, the inverse of [`decode_payload`].
///
/// Printable ASCII is written as itself, except `\` (`\\`) and `[` (`\[`,
/// so that no `[ETX]` or `[DLE]` appears by chance). 0x03 is `[ETX]`, 0x10
/// is `[DLE]`, CR and LF are `\r` and `\n`, and every other byte is `\xHH`.
/// A blank at the very end is written `\x20` so that an editor that strips
/// trailing blanks cannot change the payload.
pub fn encode_payload(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let last = bytes.len().wrapping_sub(1);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            0x03 => out.push_str("[ETX]"),
            0x10 => out.push_str("[DLE]"),
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n"),
            b'\\' => out.push_str("\\\\"),
            b'[' => out.push_str("\\["),
            b' ' if i == last => out.push_str("\\x20"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\x{b:02X}");
            }
        }
    }
    out
}
