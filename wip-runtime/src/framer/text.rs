//! A short line told as ASCII text without a branch on its length: the one
//! module of the crate allowed `unsafe` code, for one call.
//!
//! Most lines of a modem's output are ASCII and shorter than 64 bytes.
//! `<[u8]>::is_ascii` (and so `core::str::from_utf8`, and the `ascii`
//! crate) tests such a line a word and then a byte at a time and leaves
//! at a branch that depends on its length, which the processor mispredicts
//! for lines of varied lengths: 15 ns a line against 2.4 ns for the check
//! here, on 100,000 lines of 10 to 59 bytes (see
//! `docs/performance-history.md`, 2026-12-06). The check here reads eight
//! words at fixed offsets (clamped to the line's end, so that they overlap
//! on a shorter line) and ORs them, with no branch on the length past
//! "under 8 bytes".
//!
//! Knowing the bytes are ASCII, the text is made with
//! [`core::str::from_utf8_unchecked`]: checking them again with
//! `core::str::from_utf8` would bring back the branches this avoids.
//!
//! # Soundness
//!
//! [`ascii_short`] returns `Some` only when every byte of the line is
//! below `0x80`: each of the line's bytes lies in at least one of the
//! words OR-ed (offsets `0, 8, …, 56`, each clamped to `len - 8`, cover
//! `0..len` for every `len` in `8..=64`; a line of under 8 bytes is ORed a
//! byte at a time), and a word with any byte at `0x80` or above has a bit
//! of `0x8080_8080_8080_8080` set. Bytes below `0x80` are ASCII, and every
//! ASCII sequence is valid UTF-8, which is the one precondition of
//! `from_utf8_unchecked`. A line of more than 64 bytes is refused (`None`),
//! so no byte goes unread. The tests below check it against
//! `core::str::from_utf8` on every length from 0 to 80 with a high byte at
//! every offset, and on random lines (proptest); the framer's own tests
//! check [`super::utf8`], which calls it, against `core::str::from_utf8`.
#![allow(unsafe_code)]

/// The longest line [`ascii_short`] reads: eight words.
pub(super) const ASCII_SHORT_MAX: usize = 64;

/// `bytes` as text when it is at most [`ASCII_SHORT_MAX`] bytes long and
/// all ASCII; `None` otherwise (not ASCII, or too long), and the caller
/// checks it another way.
#[inline(always)]
pub(super) fn ascii_short(bytes: &[u8]) -> Option<&str> {
    if is_ascii_short(bytes) {
        // SAFETY: `is_ascii_short` is true only when every byte of
        // `bytes` is below 0x80 (see the module's docs), and a sequence of
        // ASCII bytes is valid UTF-8.
        Some(unsafe { core::str::from_utf8_unchecked(bytes) })
    } else {
        None
    }
}

/// Whether `bytes` is at most [`ASCII_SHORT_MAX`] long and every byte of
/// it is below `0x80`. Safe code: the one `unsafe` call above rests on it.
#[inline(always)]
fn is_ascii_short(bytes: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let n = bytes.len();
    if n > ASCII_SHORT_MAX {
        return false;
    }
    let Some(last) = n.checked_sub(8) else {
        return bytes.iter().fold(0u8, |a, &b| a | b) < 0x80;
    };
    let word = |i: usize| -> u64 {
        let at = (i * 8).min(last);
        bytes
            .get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            // Unreachable (`at + 8 <= n`); a high word refuses the line.
            .map_or(HIGH, u64::from_ne_bytes)
    };
    let all = word(0) | word(1) | word(2) | word(3) | word(4) | word(5) | word(6) | word(7);
    all & HIGH == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// What `ascii_short` must give: the text `core::str` gives, for an
    /// ASCII line short enough; `None` for any other.
    fn want(bytes: &[u8]) -> Option<&str> {
        if bytes.len() <= ASCII_SHORT_MAX && bytes.is_ascii() {
            core::str::from_utf8(bytes).ok()
        } else {
            None
        }
    }

    #[test]
    fn a_high_byte_anywhere_is_found_at_every_length() {
        for len in 0..=80usize {
            let line: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            assert_eq!(ascii_short(&line), want(&line), "ASCII line of {len}");
            assert_eq!(
                ascii_short(&line).is_some(),
                len <= ASCII_SHORT_MAX,
                "length {len}"
            );
            for at in 0..len {
                for high in [0x80u8, 0xC3, 0xFF] {
                    let mut bad = line.clone();
                    if let Some(b) = bad.get_mut(at) {
                        *b = high;
                    }
                    assert_eq!(ascii_short(&bad), None, "0x{high:02X} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn the_text_is_the_line() {
        let line = b"+WIPDATA: 1,2,\"abc\"";
        assert_eq!(ascii_short(line), Some("+WIPDATA: 1,2,\"abc\""));
    }

    proptest! {
        #[test]
        fn agrees_with_core_str(bytes in proptest::collection::vec(
            prop_oneof![8 => 0x20u8..0x7F, 1 => any::<u8>()], 0..90)) {
            prop_assert_eq!(ascii_short(&bytes), want(&bytes));
        }
    }
}
