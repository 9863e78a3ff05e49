//! Splitting and joining the comma-separated fields of AT command
//! arguments and of response lines (manual 2.1 and 2.2).
//!
//! A field is empty, bare (`12`, `abc`) or quoted (`"APN name"`). Blanks
//! around a field, outside quotes, are not significant: the manual itself
//! prints `+WIPREADY: 5, 1`. A quoted string runs to the next `"`; AT
//! strings have no escape sequence inside quotes. A bare field that opens
//! with `(` runs to the next `)` and on to the next comma after it, so that
//! a test-command answer's list `(0-31,99)` is one field.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// One field of a command's arguments or of a response line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    /// Nothing between two commas (`1,,2`): an omitted optional value.
    Empty,
    /// An unquoted value, blanks around it removed.
    Bare(&'a str),
    /// A quoted value, without its quotes.
    Quoted(&'a str),
}

impl<'a> Field<'a> {
    /// True for [`Field::Empty`].
    pub fn is_empty(&self) -> bool {
        matches!(self, Field::Empty)
    }

    /// The text of the field, quoted or not; `""` when empty.
    pub fn text(&self) -> &'a str {
        match self {
            Field::Empty => "",
            Field::Bare(s) | Field::Quoted(s) => s,
        }
    }
}

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Empty => Ok(()),
            Field::Bare(s) => f.write_str(s),
            Field::Quoted(s) => write!(f, "\"{s}\""),
        }
    }
}

/// Why a line could not be split into fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// A `"` opened a string that the line never closed.
    #[error("unterminated quoted string starting at byte {0}")]
    UnterminatedQuote(usize),
    /// Something other than a comma or blanks follows a closing quote.
    #[error("unexpected text after a quoted string at byte {0}")]
    TextAfterQuote(usize),
    /// A `"` appears inside an unquoted field.
    #[error("stray quote inside an unquoted field at byte {0}")]
    StrayQuote(usize),
}

impl FieldError {
    /// The byte of the split text where the fault is.
    pub fn byte(&self) -> usize {
        match *self {
            FieldError::UnterminatedQuote(b)
            | FieldError::TextAfterQuote(b)
            | FieldError::StrayQuote(b) => b,
        }
    }

    /// The fault for people, at its column (from 1) in a line where the
    /// split text starts at byte `start`: `unterminated quoted string
    /// starting at column 15`.
    pub fn in_line(&self, start: usize) -> String {
        let column = start.saturating_add(self.byte()).saturating_add(1);
        let what = match self {
            FieldError::UnterminatedQuote(_) => "unterminated quoted string starting",
            FieldError::TextAfterQuote(_) => "unexpected text after a quoted string",
            FieldError::StrayQuote(_) => "stray quote inside an unquoted field",
        };
        format!("{what} at column {column}")
    }
}

impl FieldError {
    /// The fault for people, at its byte (from 0) in the fields of a
    /// message line after its prefix: `unterminated quoted string starting
    /// at byte 0 of the fields`.
    pub fn in_fields(&self) -> String {
        format!("{self} of the fields")
    }
}

/// Where `inner`, a part of `outer`, starts in it; `None` when it is not a
/// part of it.
pub fn offset_in(outer: &str, inner: &str) -> Option<usize> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (start.checked_add(inner.len())? <= outer.len()).then_some(start)
}

/// Splits `s` into its comma-separated fields.
///
/// An empty input gives no field at all; `","` gives two empty fields.
pub fn split(s: &str) -> Result<Vec<Field<'_>>, FieldError> {
    iter(s).collect()
}

/// The fields of `s` one by one, without collecting them: [`split`] for a
/// caller that binds each field as it comes. After an error it yields
/// nothing more.
#[inline]
pub fn iter(s: &str) -> Fields<'_> {
    Fields {
        s,
        i: 0,
        done: trim(s).is_empty(),
    }
}

/// Whether an ASCII byte is white space as [`char::is_whitespace`] finds
/// it (`\x0b` included, unlike [`u8::is_ascii_whitespace`]).
pub(crate) fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// [`str::trim`], with the ASCII blanks of modem lines stepped over byte
/// by byte; the Unicode rules apply only where a non-ASCII character
/// meets an end.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let mut start = 0;
    while b.get(start).copied().is_some_and(ascii_space) {
        start += 1;
    }
    let mut end = b.len();
    while end > start && b.get(end - 1).copied().is_some_and(ascii_space) {
        end -= 1;
    }
    let t = s.get(start..end).unwrap_or_default();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(&f), Some(&l)) if f >= 0x80 || l >= 0x80 => t.trim(),
        _ => t,
    }
}

/// [`str::trim_start`], as [`trim`] does it.
#[inline]
pub(crate) fn trim_start(s: &str) -> &str {
    let b = s.as_bytes();
    let mut start = 0;
    while b.get(start).copied().is_some_and(ascii_space) {
        start += 1;
    }
    let t = s.get(start..).unwrap_or_default();
    match t.as_bytes().first() {
        Some(&f) if f >= 0x80 => t.trim_start(),
        _ => t,
    }
}

/// The iterator of [`iter`].
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    pub(crate) s: &'a str,
    /// Where the next field starts.
    pub(crate) i: usize,
    pub(crate) done: bool,
}

impl<'a> Fields<'a> {
    /// The text not split yet, blanks before it removed: what a free-text
    /// field at this place takes, commas and quotes included. `None` when
    /// every field has been taken (no comma is left to open another).
    pub fn rest(&self) -> Option<&'a str> {
        if self.done {
            return None;
        }
        Some(self.s.get(self.i..).unwrap_or_default().trim_start())
    }
}

impl Fields<'_> {
    /// How many items (fields, and the error if one comes) are left:
    /// `self.clone().count()`, counted without cutting the fields.
    pub fn remaining(&self) -> usize {
        if self.done {
            return 0;
        }
        let b = self.s.as_bytes();
        let mut n = 0;
        let mut i = self.i;
        loop {
            n += 1;
            i = skip_blanks(b, i);
            match b.get(i) {
                // A trailing empty field.
                None => return n,
                Some(b'"') => {
                    let rest = b.get(i + 1..).unwrap_or_default();
                    let Some(len) = memchr::memchr(b'"', rest) else {
                        return n;
                    };
                    let after = skip_blanks(b, i + 1 + len + 1);
                    match b.get(after) {
                        Some(b',') => i = after + 1,
                        // The last field, or text after the quote (an
                        // error, the last item).
                        _ => return n,
                    }
                }
                Some(_) => {
                    // A list in parentheses keeps its commas.
                    i = group_end(b, i).unwrap_or(i);
                    loop {
                        match b.get(i) {
                            Some(b',') => {
                                i += 1;
                                break;
                            }
                            // The last field, or a stray quote (an error,
                            // the last item).
                            None | Some(b'"') => return n,
                            Some(_) => i += 1,
                        }
                    }
                }
            }
        }
    }
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<Field<'a>, FieldError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let s = self.s;
        let bytes = s.as_bytes();
        let i = skip_blanks(bytes, self.i);
        if i == bytes.len() {
            // A trailing comma leaves one empty field behind it.
            self.done = true;
            return Some(Ok(Field::Empty));
        }
        let (field, next) = if bytes.get(i) == Some(&b'"') {
            let start = i + 1;
            let rest = bytes.get(start..).unwrap_or_default();
            let Some(len) = memchr::memchr(b'"', rest) else {
                self.done = true;
                return Some(Err(FieldError::UnterminatedQuote(i)));
            };
            let end = start + len;
            let after = skip_blanks(bytes, end + 1);
            if after != bytes.len() && bytes.get(after) != Some(&b',') {
                self.done = true;
                return Some(Err(FieldError::TextAfterQuote(after)));
            }
            (Field::Quoted(s.get(start..end).unwrap_or_default()), after)
        } else {
            // A list in parentheses keeps its commas (and quotes). Bare
            // fields are short: one plain loop to the comma, which meets
            // a stray quote on its way.
            let mut end = group_end(bytes, i).unwrap_or(i);
            while let Some(&b) = bytes.get(end) {
                match b {
                    b',' => break,
                    b'"' => {
                        self.done = true;
                        return Some(Err(FieldError::StrayQuote(end)));
                    }
                    _ => end += 1,
                }
            }
            let raw = s.get(i..end).unwrap_or_default();
            let t = trim(raw);
            let f = if t.is_empty() {
                Field::Empty
            } else {
                Field::Bare(t)
            };
            (f, end)
        };
        if next == bytes.len() {
            self.done = true;
        } else {
            // `next` is at a comma.
            self.i = next + 1;
        }
        Some(Ok(field))
    }
}

/// Where the parenthesised group that opens at byte `i` closes: the index
/// of its `)`, when `bytes[i]` is `(` and a `)` follows. Groups do not
/// nest: 27.007 lists hold integers, ranges and strings only.
pub(crate) fn group_end(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'(') {
        return None;
    }
    memchr::memchr(b')', bytes.get(i..)?).map(|n| i + n)
}

/// Joins fields back into their wire form, without blanks.
pub fn join(fields: &[Field<'_>]) -> String {
    let mut out = String::new();
    for (n, f) in fields.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&f.to_string());
    }
    out
}

/// The parts of one command line sent by the host (`AT+WIPCFG=2,0,10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandLine<'a> {
    /// The command name with its `+`, upper-cased by the caller if needed
    /// (`+WIPCFG`); for basic commands such as `ATE0` the text after `AT`.
    pub name: &'a str,
    /// Which syntax was used.
    pub kind: CommandKind,
    /// The text after `=` for an action command, else `""`.
    pub args: &'a str,
}

/// The four AT command syntaxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CommandKind {
    /// `AT+CMD=<args>`
    Action,
    /// `AT+CMD?`
    Read,
    /// `AT+CMD=?`
    Test,
    /// `AT+CMD` with nothing after the name.
    Execute,
}

/// Where the command line in a line the host typed (without its `<CR>`)
/// starts: at its first prefix, `AT` or `at` (V.250 5.2.1, not `At` or
/// `aT`). A modem waits for the prefix and passes over what comes before
/// it: the remains of data it stopped taking (`...\x03AT+CMD`), or line
/// noise (`xAT+CMD`, and `what`, whose `at` it takes for a command). `None`
/// when the line has no prefix.
pub fn command_start(line: &[u8]) -> Option<usize> {
    line.windows(2).position(|w| w == b"AT" || w == b"at")
}

/// Splits a command line (without its `<CR>`) into name, kind and
/// arguments. Returns `None` when the line does not start with `AT`
/// (in any case). Blanks between the name and `=` are tolerated.
pub fn command_line(line: &str) -> Option<CommandLine<'_>> {
    let line = line.trim();
    let head = line.get(..2)?;
    if !head.eq_ignore_ascii_case("AT") {
        return None;
    }
    // V.250 5.2.1: blanks outside strings are ignored, `AT +X` included.
    let rest = line.get(2..).unwrap_or_default().trim_start();
    let name_end = rest.find(['=', '?']).unwrap_or(rest.len());
    let name = rest[..name_end].trim_end();
    let tail = rest[name_end..].trim_start();
    let (kind, args) = if tail.is_empty() {
        (CommandKind::Execute, "")
    } else if tail == "?" {
        (CommandKind::Read, "")
    } else if let Some(a) = tail.strip_prefix('=') {
        if a.trim() == "?" {
            (CommandKind::Test, "")
        } else {
            (CommandKind::Action, a)
        }
    } else {
        // `AT+X?junk`: keep it an action with unparseable args so the
        // caller reports it rather than silently accepting it.
        (CommandKind::Action, tail)
    };
    Some(CommandLine { name, kind, args })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_mixed_fields() {
        let f = split(r#"5,1,"proxy",,"user", 80 "#).unwrap();
        assert_eq!(
            f,
            vec![
                Field::Bare("5"),
                Field::Bare("1"),
                Field::Quoted("proxy"),
                Field::Empty,
                Field::Quoted("user"),
                Field::Bare("80"),
            ]
        );
        assert_eq!(join(&f), r#"5,1,"proxy",,"user",80"#);
    }

    #[test]
    fn quoted_commas_stay_inside() {
        let f = split(r#"7,73,"1,1024""#).unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[2], Field::Quoted("1,1024"));
    }

    #[test]
    fn parenthesised_lists_stay_whole() {
        assert_eq!(
            split("(0-31,99),(0-7,99)").unwrap(),
            vec![Field::Bare("(0-31,99)"), Field::Bare("(0-7,99)")]
        );
        assert_eq!(
            split(r#" (0-6) , (0-512),"HEX data""#).unwrap(),
            vec![
                Field::Bare("(0-6)"),
                Field::Bare("(0-512)"),
                Field::Quoted("HEX data")
            ]
        );
        assert_eq!(
            split(r#"(1-16),("IP","PPP")"#).unwrap(),
            vec![Field::Bare("(1-16)"), Field::Bare(r#"("IP","PPP")"#)]
        );
        // Text after the `)` stays in the field; an unclosed `(` is an
        // ordinary bare field.
        assert_eq!(
            split("(0,1)x,2").unwrap(),
            vec![Field::Bare("(0,1)x"), Field::Bare("2")]
        );
        assert_eq!(
            split("(0,1").unwrap(),
            vec![Field::Bare("(0"), Field::Bare("1")]
        );
        assert_eq!(split(r#"(0)"a""#), Err(FieldError::StrayQuote(3)));
        assert_eq!(split("1,(2,3)").unwrap().len(), 2);
    }

    #[test]
    fn trailing_comma_is_an_empty_field() {
        assert_eq!(split("1,").unwrap(), vec![Field::Bare("1"), Field::Empty]);
        assert_eq!(
            split(r#""a","#).unwrap(),
            vec![Field::Quoted("a"), Field::Empty]
        );
        assert!(split("").unwrap().is_empty());
    }

    #[test]
    fn the_rest_after_some_fields() {
        let mut f = iter(r#"1, 2,he said "a,b""#);
        assert_eq!(f.rest(), Some(r#"1, 2,he said "a,b""#));
        f.next();
        f.next();
        assert_eq!(f.rest(), Some(r#"he said "a,b""#));
        let mut f = iter("1,");
        f.next();
        assert_eq!(f.rest(), Some(""));
        let mut f = iter("1");
        f.next();
        assert_eq!(f.rest(), None);
        assert_eq!(iter("").rest(), None);
    }

    #[test]
    fn counts_what_is_left_as_the_iterator_does() {
        for s in [
            "",
            " ",
            "1",
            "1,",
            ",",
            " , ",
            "1,2,3",
            r#""a,b",2"#,
            r#"1,"a" ,2"#,
            r#"1,"a"x,2"#,
            r#"1,"open"#,
            r#"1,a"b,2"#,
            "(0,1),(2-3)",
            r#"(0,"a"),1"#,
            "(0,1",
            "1,(a)\"b,2",
            "1,a(b,c),2",
            r#""a"  "#,
            r#"1, "a" , "b""#,
            "\t1\t,\t",
            r#"","",,"#,
        ] {
            let mut f = iter(s);
            loop {
                assert_eq!(f.remaining(), f.clone().count(), "{s:?}");
                if f.next().is_none() {
                    break;
                }
            }
        }
    }

    #[test]
    fn trims_as_str_trim_does() {
        for s in [
            "",
            " ",
            " a ",
            "\t\x0b\x0ca\r\n",
            "\u{a0}a\u{a0}",
            " \u{2003}b c\u{3000} ",
            "é",
            " é ",
            "a\u{a0}",
            "\u{a0}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
        }
        assert_eq!(
            split(" 1 ,\u{a0}2\u{a0}").unwrap(),
            [Field::Bare("1"), Field::Bare("2")]
        );
    }

    #[test]
    fn errors_have_positions() {
        assert_eq!(split(r#"1,"abc"#), Err(FieldError::UnterminatedQuote(2)));
        assert_eq!(split(r#""a"b"#), Err(FieldError::TextAfterQuote(3)));
        assert_eq!(split(r#"ab"c""#), Err(FieldError::StrayQuote(2)));
    }

    #[test]
    fn command_lines() {
        let c = command_line("AT+WIPCFG=2,0,10").unwrap();
        assert_eq!(
            (c.name, c.kind, c.args),
            ("+WIPCFG", CommandKind::Action, "2,0,10")
        );
        assert_eq!(command_line("at+wipbr?").unwrap().kind, CommandKind::Read);
        assert_eq!(command_line("AT+WIPBR=?").unwrap().kind, CommandKind::Test);
        let c = command_line("AT+WIPBR =2,4").unwrap();
        assert_eq!((c.name, c.args), ("+WIPBR", "2,4"));
        let c = command_line("AT +WIPCFG=2,0,300").unwrap();
        assert_eq!((c.name, c.args), ("+WIPCFG", "2,0,300"));
        assert_eq!(command_line("ATE0").unwrap().kind, CommandKind::Execute);
        assert!(command_line("OK").is_none());
        assert!(command_line("A").is_none());
    }
}
