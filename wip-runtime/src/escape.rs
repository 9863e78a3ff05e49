//! DLE/ETX escaping of continuous data mode (manual 6.1.1.1, 6.1.1.2,
//! 6.2.2.3, 6.2.2.4).
//!
//! In continuous mode a lone `[ETX]` is a mark (end of datagram for UDP,
//! shutdown for TCP, end of file for `+WIPFILE`), and `[DLE]` makes the
//! byte after it plain data: `[DLE][ETX]` is an ETX byte, `[DLE][DLE]` a
//! DLE byte. A single DLE before any other byte is not transmitted (6.2.2.4),
//! so `[DLE]x` is just `x`. In continuous transparent mode (6.1.3, 6.2.3)
//! nothing is escaped and this module is not used.
//!
//! Both directions copy the runs between special bytes in bulk, found with
//! `memchr2`, never byte by byte.

use alloc::vec::Vec;

/// `[DLE]`, data link escape (0x10).
pub const DLE: u8 = 0x10;
/// `[ETX]`, end of text (0x03).
pub const ETX: u8 = 0x03;

/// Appends `input` to `out` with every DLE and ETX preceded by a DLE.
///
/// Escaping has no state: each byte is escaped on its own, so a stream can
/// be escaped chunk by chunk with the same result as in one piece.
pub fn escape_into(input: &[u8], out: &mut Vec<u8>) {
    // Most payloads have few special bytes; one growth step is enough.
    out.reserve(input.len() + input.len() / 256 + 1);
    let mut start = 0;
    let mut from = 0;
    while let Some(off) = input.get(from..).and_then(|s| memchr::memchr2(DLE, ETX, s)) {
        let pos = from + off;
        out.extend_from_slice(input.get(start..pos).unwrap_or_default());
        out.push(DLE);
        // The special byte itself goes out with the next run.
        start = pos;
        from = pos + 1;
    }
    out.extend_from_slice(input.get(start..).unwrap_or_default());
}

/// `input` escaped, in a new buffer.
pub fn escape(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    escape_into(input, &mut out);
    out
}

/// What the unescaper finds in the bytes the modem sends in continuous mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Payload bytes, already unescaped; borrowed from the input.
    Data(&'a [u8]),
    /// A lone ETX: a mark whose meaning depends on the protocol (6.2.2.3).
    Etx,
}

/// A streaming unescaper: feed it chunks as they come; a DLE at the end of
/// one chunk escapes the first byte of the next.
#[derive(Debug, Clone, Default)]
pub struct Unescaper {
    dle: bool,
}

impl Unescaper {
    /// A new unescaper, in the state of a fresh stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the last chunk ended with a DLE whose byte has not come yet.
    pub fn pending_dle(&self) -> bool {
        self.dle
    }

    /// Forgets a pending DLE (when data mode ends).
    pub fn reset(&mut self) {
        self.dle = false;
    }

    /// Unescapes one chunk, calling `sink` with each run of payload bytes
    /// and each lone ETX, in order. Runs are never empty.
    pub fn feed<'a>(&mut self, input: &'a [u8], mut sink: impl FnMut(Piece<'a>)) {
        let mut start = 0;
        let mut from = 0;
        if self.dle && !input.is_empty() {
            // The first byte is escaped: it is data, whatever it is.
            self.dle = false;
            from = 1;
        }
        while let Some(off) = input.get(from..).and_then(|s| memchr::memchr2(DLE, ETX, s)) {
            let pos = from + off;
            let run = input.get(start..pos).unwrap_or_default();
            if !run.is_empty() {
                sink(Piece::Data(run));
            }
            if input.get(pos) == Some(&ETX) {
                sink(Piece::Etx);
                start = pos + 1;
                from = pos + 1;
            } else if pos + 1 < input.len() {
                // Keep the escaped byte as the first of the next run.
                start = pos + 1;
                from = pos + 2;
            } else {
                self.dle = true;
                start = input.len();
                from = input.len();
            }
        }
        let run = input.get(start..).unwrap_or_default();
        if !run.is_empty() {
            sink(Piece::Data(run));
        }
    }

    /// Unescapes one chunk into `out`; returns how many lone ETX it held.
    /// Use [`Unescaper::feed`] when the place of each ETX matters.
    pub fn feed_into(&mut self, input: &[u8], out: &mut Vec<u8>) -> usize {
        out.reserve(input.len());
        let mut marks = 0;
        self.feed(input, |p| match p {
            Piece::Data(d) => out.extend_from_slice(d),
            Piece::Etx => marks += 1,
        });
        marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(chunks: &[&[u8]]) -> Vec<Option<Vec<u8>>> {
        let mut u = Unescaper::new();
        let mut out: Vec<Option<Vec<u8>>> = Vec::new();
        for c in chunks {
            u.feed(c, |p| match p {
                Piece::Data(d) => match out.last_mut() {
                    Some(Some(prev)) => prev.extend_from_slice(d),
                    _ => out.push(Some(d.to_vec())),
                },
                Piece::Etx => out.push(None),
            });
        }
        out
    }

    #[test]
    fn escapes_dle_and_etx() {
        assert_eq!(escape(b"a\x03b\x10c"), b"a\x10\x03b\x10\x10c");
        assert_eq!(escape(b""), b"");
        assert_eq!(escape(b"\x10\x10"), b"\x10\x10\x10\x10");
        assert_eq!(escape(b"plain"), b"plain");
    }

    #[test]
    fn unescapes_and_marks_lone_etx() {
        let got = pieces(&[b"a\x10\x03b\x10\x10c\x03d"]);
        assert_eq!(
            got,
            vec![Some(b"a\x03b\x10c".to_vec()), None, Some(b"d".to_vec())]
        );
    }

    #[test]
    fn escape_split_across_chunks() {
        let got = pieces(&[b"a\x10", b"\x03b", b"\x10", b"\x10", b"\x03"]);
        assert_eq!(got, vec![Some(b"a\x03b\x10".to_vec()), None]);
        let mut u = Unescaper::new();
        u.feed(b"x\x10", |_| {});
        assert!(u.pending_dle());
    }

    #[test]
    fn single_dle_is_not_transmitted() {
        // 6.2.2.4: a single DLE is ignored; the byte after it is data.
        assert_eq!(pieces(&[b"a\x10bc"]), vec![Some(b"abc".to_vec())]);
    }

    #[test]
    fn feed_into_counts_marks() {
        let mut out = Vec::new();
        let n = Unescaper::new().feed_into(b"\x03a\x10\x03\x03", &mut out);
        assert_eq!((n, out.as_slice()), (2, &b"a\x03"[..]));
    }
}
