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
//! Payload may be dense in special bytes (binary data, or a test's two in
//! seven) or free of them (text): both directions look at eight bytes at a
//! time, copy the runs between special bytes in bulk (found with
//! `memchr2`), and write a word that holds special bytes with one
//! eight-byte store per byte escaped (or DLE dropped), none per plain
//! byte, gathered in a small buffer on the stack and appended to the
//! output a few hundred bytes at a time.

use alloc::vec::Vec;

/// `[DLE]`, data link escape (0x10).
pub const DLE: u8 = 0x10;
/// `[ETX]`, end of text (0x03).
pub const ETX: u8 = 0x03;

/// Bytes looked at together, as one little-endian `u64` (byte `n` of a
/// word is bits `8n..8n+8`).
const WORD: usize = 8;
const LOW7: u64 = u64::from_le_bytes([0x7f; WORD]);
const DLES: u64 = u64::from_le_bytes([DLE; WORD]);
const ETXS: u64 = u64::from_le_bytes([ETX; WORD]);
/// Output gathered on the stack before it goes to the vector at once.
const STAGE: usize = 256;

/// 1 in each byte of `x` that is zero, 0 in the others (exact, whatever
/// the other bytes hold: no carry crosses a byte).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    (!(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)) >> 7
}

/// Bit `n` set when byte `n` of `flags` (bytes of 0 or 1) is 1.
#[inline(always)]
fn bits(flags: u64) -> u8 {
    // Byte n times 2^(56-7n) lands on bit 56+n; no other product does.
    (flags.wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// For each set of DLE bytes in a word (bit `n`: byte `n` is DLE), those
/// that escape the byte after them: the first of each run of DLEs, the
/// third... The set is at `dles`, or at `256 + dles` when the word's first
/// byte is escaped by the DLE that ended the word before.
const ESCAPERS: [u8; 512] = {
    let mut t = [0; 512];
    let mut carry = 0;
    while carry < 2 {
        let mut dles = 0;
        while dles < 256 {
            let mut escaped = carry == 1;
            let mut e = 0u8;
            let mut n = 0;
            while n < WORD {
                let escapes = !escaped && (dles >> n) & 1 == 1;
                if escapes {
                    e |= 1 << n;
                }
                escaped = escapes;
                n += 1;
            }
            t[carry * 256 + dles] = e;
            dles += 1;
        }
        carry += 1;
    }
    t
};

/// Appends `input` to `out` with every DLE and ETX preceded by a DLE.
///
/// Escaping has no state: each byte is escaped on its own, so a stream can
/// be escaped chunk by chunk with the same result as in one piece.
pub fn escape_into(input: &[u8], out: &mut Vec<u8>) {
    // Words with special bytes are escaped into `buf` (on the stack, so
    // that the index stays in a register and no store has to be checked
    // against the vector), which goes to `out` a few hundred bytes at a
    // time; plain runs go straight to `out`.
    out.reserve(2 * input.len());
    let mut buf = [0; STAGE + 3 * WORD];
    let mut j = 0;
    let mut i = 0;
    loop {
        let rest = input.get(i..).unwrap_or_default();
        let mut plain = false;
        for c in rest.chunks_exact(WORD) {
            let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
            let special = zero_bytes(w ^ DLES) | zero_bytes(w ^ ETXS);
            if special == 0 {
                plain = true;
                break;
            }
            i += WORD;
            // `j` is below STAGE here: the mask only tells the compiler.
            let at = j & (STAGE - 1);
            if let Some(dst) = buf
                .get_mut(at..at + 3 * WORD)
                .and_then(|d| <&mut [u8; 3 * WORD]>::try_from(d).ok())
            {
                j = at + escape_word(w, bits(special), dst);
            }
            if j >= STAGE {
                out.extend_from_slice(buf.get(..j).unwrap_or_default());
                j = 0;
            }
        }
        out.extend_from_slice(buf.get(..j).unwrap_or_default());
        j = 0;
        let rest = input.get(i..).unwrap_or_default();
        if !plain {
            // The last few bytes, one at a time.
            for &b in rest {
                if b == DLE || b == ETX {
                    out.push(DLE);
                }
                out.push(b);
            }
            return;
        }
        // A plain run: copy up to the next special byte at once.
        let run = memchr::memchr2(DLE, ETX, rest).unwrap_or(rest.len());
        out.extend_from_slice(rest.get(..run).unwrap_or_default());
        i += run;
    }
}

/// Writes the eight bytes of `w` escaped at the start of `dst`,
/// `specials` (bit `n`: byte `n` is DLE or ETX) telling which are
/// escaped; gives how many bytes that is.
///
/// The word is written whole, then for each special byte, lowest first,
/// a DLE and the bytes from it on, shifted up by one (one eight-byte
/// store, which moves everything after it): a few operations per special
/// byte, none per plain byte.
#[inline(always)]
fn escape_word(w: u64, specials: u8, dst: &mut [u8; 3 * WORD]) -> usize {
    dst[..WORD].copy_from_slice(&w.to_le_bytes());
    let mut k = 0;
    let mut m = u32::from(specials);
    while m != 0 {
        let p = m.trailing_zeros() as usize;
        // Its DLE goes to p + k; k <= p.
        let at = (p + k) & (2 * WORD - 1);
        dst[at] = DLE;
        dst[at + 1..at + 1 + WORD].copy_from_slice(&(w >> (8 * p)).to_le_bytes());
        k += 1;
        m &= m - 1;
    }
    WORD + k
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
    /// Use [`Unescaper::unescape_into`] when the place of each ETX matters.
    pub fn feed_into(&mut self, input: &[u8], out: &mut Vec<u8>) -> usize {
        let mut marks = 0;
        let mut rest = input;
        while !rest.is_empty() {
            let r = self.unescape_into(rest, out);
            marks += usize::from(r.etx);
            rest = rest.get(r.used..).unwrap_or_default();
        }
        marks
    }

    /// Unescapes `input` into `out` up to the first lone ETX, which is
    /// used but not written; the payload of [`Unescaper::feed`], in one
    /// buffer. Call again with the rest of the input after an ETX.
    pub fn unescape_into(&mut self, input: &[u8], out: &mut Vec<u8>) -> Unescaped {
        /// Why the loop over whole words stopped.
        enum Stop {
            /// Fewer than eight bytes are left.
            Tail,
            /// A word without DLE or ETX.
            Plain,
            /// A word with a lone ETX.
            Etx,
        }
        // As `escape_into`: words with escapes go through `buf`.
        out.reserve(input.len());
        let mut buf = [0; STAGE + 2 * WORD];
        let mut j = 0;
        let mut i = 0;
        loop {
            let mut dle = usize::from(self.dle);
            let mut stop = Stop::Tail;
            for c in input.get(i..).unwrap_or_default().chunks_exact(WORD) {
                let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
                let (dles, etxs) = (zero_bytes(w ^ DLES), zero_bytes(w ^ ETXS));
                if dles | etxs == 0 {
                    stop = Stop::Plain;
                    break;
                }
                // The DLEs that escape the byte after them, and the bytes
                // they escape.
                let escapers = ESCAPERS[(dle << 8) | usize::from(bits(dles))];
                let escaped = (escapers << 1) | dle as u8;
                if bits(etxs) & !escaped != 0 {
                    stop = Stop::Etx;
                    break;
                }
                i += WORD;
                // `j` is below STAGE here: the mask only tells the compiler.
                let at = j & (STAGE - 1);
                if let Some(dst) = buf
                    .get_mut(at..at + 2 * WORD)
                    .and_then(|d| <&mut [u8; 2 * WORD]>::try_from(d).ok())
                {
                    j = at + unescape_word(w, escapers, dst);
                }
                dle = usize::from(escapers >> (WORD - 1));
                if j >= STAGE {
                    out.extend_from_slice(buf.get(..j).unwrap_or_default());
                    j = 0;
                }
            }
            self.dle = dle == 1;
            out.extend_from_slice(buf.get(..j).unwrap_or_default());
            j = 0;
            let rest = input.get(i..).unwrap_or_default();
            match stop {
                Stop::Tail => {
                    let (used, etx) = self.unescape_bytes(rest, out);
                    return Unescaped {
                        used: i + used,
                        etx,
                    };
                }
                Stop::Plain => {
                    // A plain run (its first byte may be the escaped one):
                    // copy up to the next special byte at once.
                    let run = memchr::memchr2(DLE, ETX, rest).unwrap_or(rest.len());
                    out.extend_from_slice(rest.get(..run).unwrap_or_default());
                    i += run;
                    self.dle = false;
                }
                Stop::Etx => {
                    // A lone ETX in this word: one byte at a time.
                    let (used, etx) =
                        self.unescape_bytes(rest.get(..WORD).unwrap_or_default(), out);
                    i += used;
                    if etx {
                        return Unescaped { used: i, etx };
                    }
                }
            }
        }
    }

    /// Unescapes `bytes` one at a time into `out` up to the first lone
    /// ETX; gives (bytes used, stopped at an ETX).
    fn unescape_bytes(&mut self, bytes: &[u8], out: &mut Vec<u8>) -> (usize, bool) {
        for (n, &b) in bytes.iter().enumerate() {
            if self.dle || (b != DLE && b != ETX) {
                out.push(b);
                self.dle = false;
            } else if b == DLE {
                self.dle = true;
            } else {
                return (n + 1, true);
            }
        }
        (bytes.len(), false)
    }
}

/// Writes the eight bytes of `w` but the DLEs that escape (bit `n` of
/// `escapers`: byte `n` is one) at the start of `dst`; gives how many
/// bytes that is.
///
/// The word is written whole, then for each escaping DLE, lowest first,
/// the bytes after it, written where it was less the DLEs already dropped
/// (one eight-byte store, which moves everything after it down): a few
/// operations per escaping DLE, none per other byte.
#[inline(always)]
fn unescape_word(w: u64, escapers: u8, dst: &mut [u8; 2 * WORD]) -> usize {
    dst[..WORD].copy_from_slice(&w.to_le_bytes());
    let after = w >> 8;
    let mut k = 0;
    let mut m = u32::from(escapers);
    while m != 0 {
        let p = m.trailing_zeros() as usize;
        // The bytes after DLE p go where it was, less k; k <= p.
        let at = (p - k) & (WORD - 1);
        dst[at..at + WORD].copy_from_slice(&(after >> (8 * p)).to_le_bytes());
        k += 1;
        m &= m - 1;
    }
    WORD - k
}

/// Where [`Unescaper::unescape_into`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unescaped {
    /// Input bytes used, the ETX included.
    pub used: usize,
    /// Whether it stopped at a lone ETX (the last byte used): a mark.
    pub etx: bool,
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

    /// What `escape` did byte by byte before it copied in bulk.
    fn escape_bytewise(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for &b in input {
            if b == DLE || b == ETX {
                out.push(DLE);
            }
            out.push(b);
        }
        out
    }

    /// Dense, sparse and plain stretches, long enough for every path.
    fn mixed() -> Vec<u8> {
        let mut v = Vec::new();
        for i in 0..9000u32 {
            let b = match i % 1000 {
                0..=299 => [b'a', DLE, b'c', ETX, b'e', b'f', DLE][(i % 7) as usize],
                300..=599 if i % 37 == 0 => ETX,
                300..=599 if i % 53 == 0 => DLE,
                _ => (i * 31 % 251) as u8 | 0x20,
            };
            v.push(b);
        }
        v
    }

    #[test]
    fn escapes_as_byte_by_byte() {
        let data = mixed();
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 100, 4095, 4096, 4097, data.len()] {
            let d = &data[..len];
            assert_eq!(escape(d), escape_bytewise(d), "{len} bytes");
        }
        let all: Vec<u8> = (0..=255).cycle().take(5000).collect();
        assert_eq!(escape(&all), escape_bytewise(&all));
    }

    #[test]
    fn unescape_into_stops_at_each_lone_etx() {
        let mut u = Unescaper::new();
        let mut out = Vec::new();
        let input = b"0123456789\x10\x03abcdefgh\x03ijklmnopq\x10";
        let r = u.unescape_into(input, &mut out);
        assert_eq!((r.used, r.etx), (21, true));
        assert_eq!(out, b"0123456789\x03abcdefgh");
        out.clear();
        let r = u.unescape_into(&input[21..], &mut out);
        assert_eq!((r.used, r.etx), (10, false));
        assert_eq!(out, b"ijklmnopq");
        assert!(u.pending_dle());
        out.clear();
        let r = u.unescape_into(b"\x03\x03", &mut out);
        assert_eq!((r.used, r.etx, out.as_slice()), (2, true, &b"\x03"[..]));
    }

    #[test]
    fn unescape_into_is_feed_in_one_buffer() {
        let mut wire = escape(&mixed());
        // Lone ETX marks and single DLEs among the escaped bytes.
        for at in [5, 900, 2000, 2001, 3500] {
            wire.insert(at, if at % 2 == 0 { ETX } else { DLE });
        }
        for size in [1, 3, 8, 13, 64, 4096, wire.len()] {
            let (mut a, mut b) = (Unescaper::new(), Unescaper::new());
            let (mut want, mut got) = (Vec::new(), Vec::new());
            for c in wire.chunks(size) {
                a.feed(c, |p| match p {
                    Piece::Data(d) => want.extend_from_slice(d),
                    Piece::Etx => want.push(b'|'),
                });
                let mut rest = c;
                while !rest.is_empty() {
                    let r = b.unescape_into(rest, &mut got);
                    if r.etx {
                        got.push(b'|');
                    }
                    rest = &rest[r.used..];
                }
                assert_eq!(a.pending_dle(), b.pending_dle());
            }
            assert_eq!(got, want, "chunks of {size}");
        }
    }

    #[test]
    fn words_of_only_special_bytes() {
        // Eight specials in a word (sixteen bytes out), four escaping DLEs
        // in a wire word, at every alignment and cut.
        for lead in 0..WORD {
            let mut data = vec![b'x'; lead];
            data.extend([DLE, ETX].iter().cycle().take(40));
            data.extend_from_slice(b"tail");
            let wire = escape(&data);
            assert_eq!(wire, escape_bytewise(&data), "{lead} bytes before");
            for cut in 0..wire.len() {
                let mut u = Unescaper::new();
                let mut out = Vec::new();
                for part in [&wire[..cut], &wire[cut..]] {
                    let r = u.unescape_into(part, &mut out);
                    assert_eq!((r.used, r.etx), (part.len(), false));
                }
                assert_eq!(out, data, "{lead} bytes before, cut at {cut}");
            }
        }
    }

    #[test]
    fn feed_into_counts_marks() {
        let mut out = Vec::new();
        let n = Unescaper::new().feed_into(b"\x03a\x10\x03\x03", &mut out);
        assert_eq!((n, out.as_slice()), (2, &b"a\x03"[..]));
    }
}
