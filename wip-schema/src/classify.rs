//! The one classifier of modem lines: is a line an information response of
//! the command in flight, a URC, or neither (manual 2.2, and the shared
//! prefixes of `+WIPBR:`, `+WIPDATA:`, `+WIPDATARW:`)?
//!
//! The rule: a line is matched against the responses of the command in
//! flight and against the URCs, by prefix and by field count (the
//! message's [arity](Dialect::arity)). When both match, the narrower shape
//! (fewer accepted field counts) wins, and on a tie the response of the
//! command in flight wins, since the modem sends it right then. Among
//! messages of one prefix and arity, the one whose discriminating fields
//! (`select`) hold wins. So `+WIPBR: 6,11,"APN"` (3 fields) during
//! `AT+WIPBR=3,..` is the response and `+WIPBR: 6,1,"10.0.0.1",...` (6
//! fields) is the bearer URC, whatever is in flight.
//!
//! The runtime's framer, the engine's [`crate::parse_message`] and through
//! them `wip verify`, `wip sim` and the typed bindings all classify through
//! [`Index::classify`]; the [`Index`] is built once from a [`Dialect`] so
//! that a line costs a few integer compares.

use crate::types::{Access, Cond, Dialect, FormKind, Message, Ty};
use alloc::vec::Vec;

/// The field counts a message line may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// Between `min` and `max` comma-separated fields (`max` `None`:
    /// unbounded).
    Fields {
        /// The fewest fields.
        min: usize,
        /// The most fields, if bounded.
        max: Option<usize>,
    },
    /// Free text after the prefix: any content, fields not counted.
    Text,
}

impl Arity {
    /// Whether a line with `fields` fields fits.
    pub const fn accepts(&self, fields: usize) -> bool {
        match *self {
            Arity::Text => true,
            Arity::Fields { min, max } => {
                if fields < min {
                    return false;
                }
                match max {
                    Some(m) => fields <= m,
                    None => true,
                }
            }
        }
    }

    /// How many field counts it accepts (`usize::MAX` when unbounded or
    /// free text): the narrower of two matching shapes wins.
    pub const fn width(&self) -> usize {
        match *self {
            Arity::Text => usize::MAX,
            Arity::Fields { min, max } => match max {
                Some(m) => m.saturating_sub(min),
                None => usize::MAX,
            },
        }
    }
}

impl Dialect {
    /// The field counts of a message line, from its fields, repeated group
    /// and the values of the option tables it carries.
    pub fn arity(&self, m: &Message) -> Arity {
        if m.fields.len() == 1 && m.fields.first().is_some_and(|f| f.ty == Ty::Text) {
            return Arity::Text;
        }
        let mandatory = m.fields.iter().filter(|f| !f.optional).count();
        let all = m.fields.len();
        // Free text after other fields takes the rest of the line, commas
        // included.
        if m.rest.is_some() || m.fields.last().is_some_and(|f| f.ty == Ty::Text) {
            return Arity::Fields {
                min: mandatory,
                max: None,
            };
        }
        let Some(b) = &m.options else {
            return Arity::Fields {
                min: mandatory,
                max: Some(all),
            };
        };
        let read = b.access == Access::R;
        let mut min = usize::MAX;
        let mut max = Some(0usize);
        for (_, t) in b.tables.iter() {
            let Some(t) = self.tables.get(*t) else {
                continue;
            };
            for o in t.options.iter() {
                let (vals, rest) = if read {
                    (&o.read, &o.read_rest)
                } else {
                    (&o.values, &o.rest)
                };
                min = min.min(vals.iter().filter(|p| !p.optional).count());
                max = match (max, rest.is_some()) {
                    (Some(m), false) => Some(m.max(vals.len())),
                    _ => None,
                };
            }
        }
        if min == usize::MAX {
            min = 0;
        }
        Arity::Fields {
            min: mandatory + min,
            max: max.map(|x| all + x),
        }
    }

    /// The messages any form of command `command` may answer before its
    /// final result code, each once, in the order the forms list them.
    pub fn command_responses(&self, command: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        if let Some(c) = self.commands.get(command) {
            for f in c.forms.iter() {
                for &m in f.responses.iter() {
                    if !out.contains(&m) {
                        out.push(m);
                    }
                }
            }
        }
        out
    }
}

/// Where a line was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// An information response of the command in flight: the index of the
    /// message in [`Dialect::messages`].
    Response(usize),
    /// An unsolicited result code: the index of the message.
    Urc(usize),
    /// Neither.
    Unknown,
}

/// What a line may be answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum InFlight {
    /// No command of the dialect is in flight.
    #[default]
    None,
    /// A command, form unknown: any response of any of its forms.
    Command(usize),
    /// A form of a command: its own responses only.
    Form(usize, usize),
}

/// A prefix packed into an integer, so that a lookup compares integers
/// rather than calling `memcmp` on short slices; `None` past 16 bytes.
/// Prefixes hold no NUL byte, so zero padding is unambiguous.
pub fn key(prefix: &[u8]) -> Option<u128> {
    if prefix.len() > 16 {
        return None;
    }
    let mut a = [0u8; 16];
    for (d, s) in a.iter_mut().zip(prefix) {
        *d = *s;
    }
    Some(u128::from_le_bytes(a))
}

/// [`key`] of the first `len` bytes of `line`, read as one 16-byte load
/// when the line is long enough, else as two 8-byte loads that may
/// overlap (most lines shorter than 16 bytes have a prefix of 8 or more).
#[inline]
fn key_in(line: &[u8], len: usize) -> Option<u128> {
    if len > 16 {
        return None;
    }
    if let Some(chunk) = line.first_chunk::<16>() {
        let mask = if len == 16 {
            u128::MAX
        } else {
            (1u128 << (8 * len)) - 1
        };
        return Some(u128::from_le_bytes(*chunk) & mask);
    }
    let head = line.get(..len)?;
    match (line.first_chunk::<8>(), head.last_chunk::<8>()) {
        // `len` is 8 to 16: bytes 8.. of the prefix are the top `len - 8`
        // bytes of its last eight.
        (Some(lo), Some(last)) => {
            let hi = u64::from_le_bytes(*last)
                .checked_shr(8 * (16 - len as u32))
                .unwrap_or(0);
            Some(u128::from(u64::from_le_bytes(*lo)) | u128::from(hi) << 64)
        }
        // `len` is under 8, the line 8 or more.
        (Some(lo), None) => {
            let mask = (1u64 << (8 * len)) - 1;
            Some(u128::from(u64::from_le_bytes(*lo) & mask))
        }
        _ => key(head),
    }
}

/// A line cut into its prefix and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    /// The whole line.
    pub line: &'a [u8],
    /// `+NAME` before the colon, if the line has one.
    pub prefix: Option<&'a [u8]>,
    /// What follows the colon, leading blanks removed; the whole line
    /// without a prefix.
    pub body: &'a [u8],
    /// How many comma-separated fields the body holds.
    pub fields: usize,
    /// Bit `i` set: field `i` (the first 64) holds a quote, so it is a
    /// quoted string rather than a bare value.
    pub quoted: u64,
}

impl Parts<'_> {
    /// The unquoted integer in field `n` (from 0), as [`int_field`] reads
    /// it from the body. Read only where a discriminator decides (the line
    /// missed the memo), so the scan that counted the fields keeps no
    /// field starts for it: the body is cut again.
    fn int_field(&self, n: usize) -> Option<i64> {
        // A field past the count, or one holding a quote, is no integer.
        if n >= self.fields || (n < 64 && self.quoted & (1 << n) != 0) {
            return None;
        }
        int_field(self.body, n)
    }
}

impl Parts<'_> {
    /// Whether [`Index::unglue`] cut it: its body follows its prefix with
    /// no colon (`+IPD17`).
    pub fn is_glued(&self) -> bool {
        self.prefix.is_some_and(|pre| {
            !self.body.is_empty() && pre.len() + self.body.len() == self.line.len()
        })
    }
}

/// Bytes that may appear in a prefix after its `+`.
static NAME_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || matches!(b, b'+' | b'_' | b'#' | b'&' | b'%' | b'$');
        i += 1;
    }
    t
};

fn is_name_byte(b: u8) -> bool {
    NAME_BYTE[usize::from(b)]
}

/// Cuts `+NAME: body` into prefix and body; a line that does not start
/// with `+NAME:` (or is only `+NAME`) is bare. A prefix may hold single
/// blanks between words when a colon ends it (`+IP ERROR: 4`).
#[inline]
pub fn parts(line: &[u8]) -> Parts<'_> {
    let mut p = Parts::of(line);
    parts_into(line, &mut p);
    p
}

impl<'a> Parts<'a> {
    /// The parts of a line of no field, to be filled by [`parts_into`].
    pub fn of(line: &'a [u8]) -> Self {
        Parts {
            line,
            prefix: None,
            body: line,
            fields: 0,
            quoted: 0,
        }
    }
}

/// [`parts`] of `line` written into `p` (made by [`Parts::of`]), where
/// the caller reads them: parts returned from a call and copied would be
/// read back wider than they were written, which stalls the loads.
#[inline(never)]
pub fn parts_into<'a>(line: &'a [u8], p: &mut Parts<'a>) {
    let (prefix, body) = match line.split_first() {
        Some((b'+', rest)) => {
            let end = name_end(rest);
            let end = match end {
                Some(n) if rest.get(n) == Some(&b' ') => spaced_end(rest, n),
                e => e,
            };
            match end {
                None => (Some(line), line.get(line.len()..).unwrap_or_default()),
                Some(n) if rest.get(n) == Some(&b':') => {
                    let body = rest.get(n + 1..).unwrap_or_default();
                    // The usual `: ` then a field is cut without a loop.
                    let body = match body {
                        [b' ', c, ..] if !c.is_ascii_whitespace() => {
                            body.get(1..).unwrap_or_default()
                        }
                        _ => body.trim_ascii_start(),
                    };
                    (line.get(..n + 1), body)
                }
                Some(_) => (None, line),
            }
        }
        _ => (None, line),
    };
    p.line = line;
    p.prefix = prefix;
    p.body = body;
    scan_fields_into(body, &mut p.fields, &mut p.quoted);
}

/// Bit 7 set in each byte of `x` (eight bytes, little-endian) that is not
/// an ASCII upper-case letter; exact per byte (no carry crosses a byte):
/// bit 7 of each byte below 0x80 that is at least `A` and not past `Z` is
/// clear.
#[inline(always)]
fn not_upper(x: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    const LOW: u64 = !HIGH;
    let ge_a = ((x & LOW) + ONES * u64::from(0x80 - b'A')) & !x & HIGH;
    let gt_z = ((x & LOW) + ONES * u64::from(0x80 - b'Z' - 1)) & HIGH;
    !(ge_a & !gt_z) & HIGH
}

/// Where the name bytes that start `rest` end (`rest.iter().position(|&b|
/// !is_name_byte(b))`): upper-case letters, most of every prefix, are
/// stepped over eight at a time.
fn name_end(rest: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(word) = rest.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let other = not_upper(u64::from_le_bytes(*word));
        if other != 0 {
            i += (other.trailing_zeros() / 8) as usize;
            break;
        }
        i += 8;
    }
    let tail = rest.get(i..)?;
    tail.iter().position(|&b| !is_name_byte(b)).map(|k| i + k)
}

/// The length of a name of upper-case letters that a colon ends, within
/// the first 16 bytes of `rest` (the usual prefix, `WIPDATARW:`): what
/// [`name_end`] gives for it, told from one or two words without a call.
/// `None` for any other start, which [`name_end`] reads.
#[inline(always)]
fn upper_name_colon(rest: &[u8]) -> Option<usize> {
    let first = u64::from_le_bytes(*rest.first_chunk::<8>()?);
    let o = not_upper(first);
    let at = if o != 0 {
        (o.trailing_zeros() / 8) as usize
    } else {
        let second = u64::from_le_bytes(*rest.get(8..)?.first_chunk::<8>()?);
        let o = not_upper(second);
        if o == 0 {
            return None;
        }
        8 + (o.trailing_zeros() / 8) as usize
    };
    // Upper-case letters are name bytes and a colon is none: `name_end`
    // stops there too.
    (at > 0 && rest.get(at) == Some(&b':')).then_some(at)
}

/// Where a line of the usual shape `+NAME: body` is cut, as [`parts`]
/// cuts it: (the prefix's length with its `+`, where the body starts), for
/// a line whose colon follows the name with no blank and whose body opens
/// with a byte other than an ASCII blank, right after the colon or after
/// one space. `None` for any other line, which [`parts`] cuts.
///
/// The fused decode of wip-runtime's framer reads a line's prefix through
/// it, and the line's fields through the generated decoders of the
/// [`Index::candidates`] of that prefix, without counting them first.
#[inline(always)]
pub fn prefix_cut(line: &[u8]) -> Option<(usize, usize)> {
    let rest = line.strip_prefix(b"+")?;
    let n = match upper_name_colon(rest) {
        Some(n) => n,
        None => name_end(rest)?,
    };
    if rest.get(n) != Some(&b':') {
        return None;
    }
    // `n + 2`: the byte after the colon, in `line`.
    match line.get(n + 2..)? {
        [b' ', c, ..] if !c.is_ascii_whitespace() => Some((n + 1, n + 3)),
        [c, ..] if !c.is_ascii_whitespace() => Some((n + 1, n + 2)),
        _ => None,
    }
}

/// [`key`] of the first `len` bytes of `line` (its prefix, as
/// [`prefix_cut`] gives its length), read in one or two loads.
#[inline(always)]
pub fn prefix_key(line: &[u8], len: usize) -> Option<u128> {
    key_in(line, len)
}

/// Where a name with blanks ends: from the blank at `n`, words of name
/// bytes each after one blank, up to a colon (`+IP ERROR:`). Without that
/// colon the name ends at the first blank, as one without blanks does.
fn spaced_end(rest: &[u8], n: usize) -> Option<usize> {
    let mut i = n;
    while rest.get(i) == Some(&b' ') && rest.get(i + 1).is_some_and(|&b| is_name_byte(b)) {
        i += 1;
        while rest.get(i).is_some_and(|&b| is_name_byte(b)) {
            i += 1;
        }
    }
    match rest.get(i) {
        Some(b':') => Some(i),
        _ => Some(n),
    }
}

/// Whether the rest of a line after a glued prefix is its field: one or
/// more ASCII digits (`5` of `+IPD5`).
pub fn glued_body(rest: &[u8]) -> bool {
    !rest.is_empty() && rest.iter().all(u8::is_ascii_digit)
}

/// Counts comma-separated fields, commas inside quotes excluded; an empty
/// body has none (manual 2.1).
pub fn count_fields(body: &[u8]) -> usize {
    count_quoted_fields(body).0
}

/// [`count_fields`], and in the same pass which of the first 64 fields
/// hold a quote (bit `i` for field `i`; see [`Parts::quoted`]).
pub fn count_quoted_fields(body: &[u8]) -> (usize, u64) {
    scan_fields(body)
}

/// The closing quote of a string opened before `from`.
fn closing_quote(body: &[u8], from: usize) -> Option<usize> {
    let rest = body.get(from..)?;
    // A long string (a hex dump) goes to memchr after its first 16
    // bytes rather than after 64 searched a word at a time.
    match rest.get(..16).and_then(|head| find_byte(b'"', head)) {
        Some(k) => Some(from + k),
        None if rest.len() > 64 => memchr::memchr(b'"', rest.get(16..)?).map(|k| from + 16 + k),
        None => find_byte(b'"', rest).map(|k| from + k),
    }
}

/// The first `needle` in `hay`: a short haystack (a line, a field) is
/// searched eight bytes at a time in place, a long one by memchr, whose
/// call costs more than a short search.
#[inline]
pub fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    find_byte_inline(needle, hay)
}

/// [`find_byte`], inlined into its caller: the framer's search for each
/// line's end, where a call costs a sizeable share of the search.
#[inline(always)]
pub fn find_byte_inline(needle: u8, hay: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let pattern = ONES * u64::from(needle);
    let mut i = 0;
    while let Some(word) = hay.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let x = u64::from_le_bytes(*word) ^ pattern;
        // The lowest set bit marks the first zero byte of `x` exactly
        // (a borrow can only mark bytes above a zero one).
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return Some(i + (zero.trailing_zeros() / 8) as usize);
        }
        i += 8;
        if i >= 64 {
            return memchr::memchr(needle, hay.get(i..)?).map(|k| i + k);
        }
    }
    // Fewer than eight bytes are left: the last eight bytes of a longer
    // haystack, read again in one word (those before `i` hold no match).
    if let Some(word) = hay.last_chunk::<8>() {
        let x = u64::from_le_bytes(*word) ^ pattern;
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero == 0 {
            return None;
        }
        return Some(hay.len() - 8 + (zero.trailing_zeros() / 8) as usize);
    }
    let tail = hay.get(i..)?;
    tail.iter().position(|&b| b == needle).map(|k| i + k)
}

/// One pass over a body: its field count, and which fields hold a quote.
/// Commas inside quotes, and in a `(` list that opens a field (fields.rs
/// `group_end`), are not field separators; an open quote runs to the end
/// of the line; a body of blanks has no field (manual 2.1).
fn scan_fields(body: &[u8]) -> (usize, u64) {
    let (mut n, mut quoted) = (0, 0);
    scan_fields_into(body, &mut n, &mut quoted);
    (n, quoted)
}

/// [`scan_fields`] into the places given. Inlined into [`parts_into`], its
/// one caller on the framer's line path: a line then costs one call
/// rather than two.
#[inline(always)]
fn scan_fields_into(body: &[u8], count: &mut usize, quoted_out: &mut u64) {
    // A body cut from a line starts with no blank: it has a field.
    if body.first().is_none_or(|&b| b == b' ' || b == b'\t')
        && body.iter().all(|&b| b == b' ' || b == b'\t')
    {
        *count = 0;
        *quoted_out = 0;
        return;
    }
    let mut n = 1;
    let mut quoted = 0u64;
    let mut i = 0;
    // At the start of a field, blanks aside.
    let mut start = true;
    loop {
        // Every byte the scan acts on (`,` `"` `(` blanks) is at most
        // `,`: digits, letters, `.` and `-` run through this loop.
        let run = i;
        while let Some(&b) = body.get(i) {
            if b <= b',' {
                break;
            }
            i += 1;
        }
        if i > run {
            start = false;
        }
        let Some(&b) = body.get(i) else {
            break;
        };
        // A comma first, by far the most frequent: tested alone, it
        // costs a well-predicted branch rather than a jump through a table.
        if b == b',' {
            n += 1;
            start = true;
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                let bit = u32::try_from(n - 1).ok().and_then(|s| 1u64.checked_shl(s));
                quoted |= bit.unwrap_or(0);
                match closing_quote(body, i + 1) {
                    Some(close) => {
                        i = close;
                        start = false;
                    }
                    // An open quote runs to the end of the line.
                    None => break,
                }
            }
            // A list opening a field keeps its commas.
            b'(' if start => {
                i = crate::fields::group_end(body, i).unwrap_or(i);
                start = false;
            }
            b' ' | b'\t' => {}
            _ => start = false,
        }
        i += 1;
    }
    *count = n;
    *quoted_out = quoted;
}

/// Which of the leading fields of a message are bare and which quoted
/// (bit `i` for field `i`, the first 64): the fields up to the first
/// optional one, whose positions on the line are fixed. Free text counts
/// as neither. Two messages of one prefix and field count whose masks
/// cross (one bare where the other is quoted) are told apart by the line
/// (`+USORD: 0,""` against `+USORD: 0,23`).
pub fn field_kinds(fields: &[crate::types::Param]) -> (u64, u64) {
    let (mut bare, mut quoted) = (0u64, 0u64);
    for (i, f) in fields.iter().take(64).enumerate() {
        if f.optional {
            break;
        }
        match f.ty.quoted() {
            Some(true) => quoted |= 1 << i,
            Some(false) => bare |= 1 << i,
            None => {}
        }
    }
    (bare, quoted)
}

/// Whether two [`field_kinds`] cross: some field is bare in one and
/// quoted in the other, so no line fits both.
pub fn kinds_cross(a: (u64, u64), b: (u64, u64)) -> bool {
    (a.0 & b.1) | (a.1 & b.0) != 0
}

/// The unquoted integer in field `n` (from 0) of a body, if it is one.
fn int_field(body: &[u8], n: usize) -> Option<i64> {
    let mut field = 0;
    let mut start = 0;
    let mut i = 0;
    let mut at_start = true;
    while let Some(&b) = body.get(i) {
        match b {
            b',' => {
                if field == n {
                    break;
                }
                field += 1;
                start = i + 1;
                at_start = true;
            }
            b'(' if at_start => {
                if field == n {
                    return None;
                }
                i = crate::fields::group_end(body, i).unwrap_or(i);
                at_start = false;
            }
            b' ' | b'\t' => {}
            b'"' => {
                if field == n {
                    return None;
                }
                i += body
                    .get(i + 1..)
                    .and_then(|s| memchr::memchr(b'"', s))
                    .map_or(body.len(), |c| c + 1);
                at_start = false;
            }
            _ => at_start = false,
        }
        i += 1;
    }
    if field != n {
        return None;
    }
    int_of(body.get(start..i.min(body.len()))?)
}

/// A field's bytes as `str::trim` then `i64::from_str` read them, in one
/// pass over the bytes when they are ASCII (the Unicode blanks `trim`
/// also drops are not).
fn int_of(field: &[u8]) -> Option<i64> {
    // Plain digits, too few to overflow: the common case, read at once.
    // (A loop that stops at the first other byte: a vectorized one costs
    // more than the one or two digits of a discriminator.)
    if !field.is_empty() && field.len() <= 18 {
        let mut v = 0i64;
        let mut digits = true;
        for &b in field {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                digits = false;
                break;
            }
            v = v * 10 + i64::from(d);
        }
        if digits {
            return Some(v);
        }
    }
    if !field.is_ascii() {
        return core::str::from_utf8(field).ok()?.trim().parse().ok();
    }
    // `char::is_whitespace` of an ASCII byte.
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let end = field.iter().rposition(|b| !blank(b)).map_or(0, |e| e + 1);
    let start = field.iter().position(|b| !blank(b)).unwrap_or(end);
    let t = field.get(start..end)?;
    let (neg, digits) = match t.split_first() {
        Some((b'-', d)) => (true, d),
        Some((b'+', d)) => (false, d),
        _ => (false, t),
    };
    crate::value::signed_digits(neg, digits)
}

/// The text between the quotes of field `n` (from 0) of a body, if that
/// field is quoted.
fn quoted_field(body: &[u8], n: usize) -> Option<&[u8]> {
    let mut field = 0;
    let mut i = 0;
    let mut at_start = true;
    while let Some(&b) = body.get(i) {
        match b {
            b',' => {
                field += 1;
                at_start = true;
            }
            b'(' if at_start => {
                if field == n {
                    return None;
                }
                i = crate::fields::group_end(body, i).unwrap_or(i);
                at_start = false;
            }
            b' ' | b'\t' => {}
            b'"' => {
                let close = body
                    .get(i + 1..)
                    .and_then(|s| memchr::memchr(b'"', s))
                    .map(|c| i + 1 + c);
                if field == n {
                    return body.get(i + 1..close?);
                }
                i = close.unwrap_or(body.len());
                at_start = false;
            }
            _ => at_start = false,
        }
        i += 1;
    }
    None
}

/// The first byte of field `n` (from 0) of a body, blanks skipped;
/// `None` when the body has no such field or it is empty.
fn field_opens(body: &[u8], n: usize) -> Option<u8> {
    let mut field = 0;
    let mut i = 0;
    let mut at_start = true;
    while let Some(&b) = body.get(i) {
        match b {
            b' ' | b'\t' if at_start => {}
            b',' => {
                if field == n {
                    return None;
                }
                field += 1;
                at_start = true;
            }
            _ if at_start && field == n => return Some(b),
            b'(' if at_start => {
                i = crate::fields::group_end(body, i).unwrap_or(i);
                at_start = false;
            }
            b'"' => {
                i += body
                    .get(i + 1..)
                    .and_then(|s| memchr::memchr(b'"', s))
                    .map_or(body.len(), |c| c + 1);
                at_start = false;
            }
            _ => at_start = false,
        }
        i += 1;
    }
    None
}

/// One message with its prefix key and arity.
#[derive(Debug, Clone)]
struct Entry {
    key: Option<u128>,
    prefix: Option<Vec<u8>>,
    message: usize,
    /// The fewest and most fields of its arity (free text: any).
    lo: usize,
    hi: usize,
    /// [`Arity::width`] of its arity.
    width: usize,
    /// It has discriminators and a sibling: they must be read.
    discriminated: bool,
    select: Vec<Cond>,
    /// Free text without a prefix: takes any line the URCs leave.
    any_line: bool,
    /// Another entry of its list shares its prefix: its discriminators
    /// must be read to tell them apart.
    has_sibling: bool,
    /// [`field_kinds`] of its fields.
    kinds: (u64, u64),
    /// Another message of its prefix has fields of crossing kinds: the
    /// line's quotes must be read to tell them apart.
    kind_sibling: bool,
    /// The positions of its [`Ty::Ranges`] fields (a test answer's): the
    /// line must hold a `(` list there.
    ranges: Vec<usize>,
    /// Its field is glued to its prefix (`+IPD17`): it takes only lines
    /// cut so by [`Index::unglue`], and those only it takes.
    glued: bool,
    /// Raw data follows its line ([`Message::payload`]).
    payload: bool,
}

impl Entry {
    fn new(d: &Dialect, message: usize) -> Option<Entry> {
        let m = d.messages.get(message)?;
        let arity = d.arity(m);
        let kinds = field_kinds(&m.fields);
        let kind_sibling = m.prefix.is_some()
            && d.messages.iter().enumerate().any(|(i, o)| {
                i != message && o.prefix == m.prefix && kinds_cross(kinds, field_kinds(&o.fields))
            });
        Some(Entry {
            key: m.prefix.as_deref().and_then(|p| key(p.as_bytes())),
            prefix: m.prefix.as_deref().map(|p| p.as_bytes().to_vec()),
            message,
            lo: match arity {
                Arity::Fields { min, .. } => min,
                Arity::Text => 0,
            },
            hi: match arity {
                Arity::Fields { max: Some(m), .. } => m,
                _ => usize::MAX,
            },
            width: arity.width(),
            discriminated: false,
            select: m.select.to_vec(),
            any_line: m.prefix.is_none() && arity == Arity::Text,
            has_sibling: false,
            kinds,
            kind_sibling,
            ranges: m
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.ty == Ty::Ranges)
                .map(|(i, _)| i)
                .collect(),
            glued: m.glued,
            payload: m.payload.is_some(),
        })
    }

    /// Whether the line's quoted and bare fields fit its field kinds (only
    /// read where a message of crossing kinds could take the line).
    fn kinds_fit(&self, p: &Parts<'_>) -> bool {
        !self.kind_sibling || (p.quoted & self.kinds.0) | (self.kinds.1 & !p.quoted) == 0
    }

    /// Whether the line's fields are of the kinds it needs where that
    /// tells it from a line of the same prefix and arity: a list in
    /// parentheses at each of its `Ranges` fields (`+CREG: (0-2)` is the
    /// test answer, `+CREG: 1` is not).
    fn shape_fits(&self, body: &[u8]) -> bool {
        self.ranges
            .iter()
            .all(|&n| field_opens(body, n).is_none_or(|b| b == b'('))
    }

    fn same_prefix(&self, prefix: &[u8], prefix_key: Option<u128>) -> bool {
        match (self.key, prefix_key) {
            (Some(x), Some(y)) => x == y,
            _ => self.prefix.as_deref() == Some(prefix),
        }
    }

    /// Whether the line's prefix (or its lack) fits this entry; `glued`
    /// is [`Parts::is_glued`].
    fn fits_prefix(&self, p: &Parts<'_>, prefix_key: Option<u128>, glued: bool) -> bool {
        if self.glued != glued {
            return false;
        }
        match (&self.prefix, p.prefix) {
            (Some(_), Some(b)) => self.same_prefix(b, prefix_key),
            (None, None) => true,
            (None, Some(_)) => self.any_line,
            (Some(_), None) => false,
        }
    }

    /// Whether its discriminators fail on this body (only read where a
    /// sibling could take the line instead).
    fn unselected(&self, p: &Parts<'_>, first: &mut Option<Option<i64>>) -> bool {
        self.discriminated && !self.selects(p, first)
    }

    /// `first`: the integer of field 0, read once per line for all the
    /// siblings that are told apart by it.
    fn selects(&self, p: &Parts<'_>, first: &mut Option<Option<i64>>) -> bool {
        self.select.iter().all(|c| {
            if c.texts.is_empty() {
                let v = match c.param {
                    0 => *first.get_or_insert_with(|| p.int_field(0)),
                    n => p.int_field(n),
                };
                v.is_some_and(|v| c.values.contains(&v))
            } else {
                quoted_field(p.body, c.param)
                    .is_some_and(|t| c.texts.iter().any(|x| x.as_bytes() == t))
            }
        })
    }
}

/// The dialect's messages and command names with their keys and arities,
/// built once (per framer, per verifier run) so that a line costs integer
/// compares.
#[derive(Debug, Clone)]
pub struct Index {
    urcs: Vec<Entry>,
    /// The URCs whose prefix has a [`key`], grouped by it (each group in
    /// the order of `urcs`) and sorted by it: (key, range in `keyed`).
    urc_keys: Vec<(u128, core::ops::Range<usize>)>,
    /// The entries of `urcs` with a key, grouped as `urc_keys` says.
    keyed: Vec<Entry>,
    /// The URCs whose prefix is too long for a key.
    unkeyed: Vec<Entry>,
    /// Per command: the responses of all its forms.
    commands: Vec<Vec<Entry>>,
    /// Per command and form: that form's responses.
    forms: Vec<Vec<Vec<Entry>>>,
    names: Vec<Vec<u8>>,
    /// The prefixes of messages whose field is glued to them (`+IPD`).
    glued: Vec<Vec<u8>>,
    /// The [`key`] of each command name in upper case, sorted, with the
    /// first command of that name; names past 16 bytes are looked up in
    /// `names`.
    name_keys: Vec<(u128, usize)>,
    /// `name_keys` hashed: key to command.
    names_map: KeyMap,
    /// `urc_keys` hashed: key to its position in `urc_keys`.
    urcs_map: KeyMap,
}

/// Keys to indices in an open-addressing hash table: a lookup is about
/// one multiply and one compare, where a binary search over a few dozen
/// keys takes six rounds of mispredicted branches.
#[derive(Debug, Clone, Default)]
struct KeyMap {
    /// (key, index); `usize::MAX` marks an empty slot. A power of two
    /// long, at most half full.
    slots: Vec<(u128, usize)>,
    /// log2 of `slots.len()`.
    bits: u32,
}

impl KeyMap {
    const EMPTY: usize = usize::MAX;

    /// The first index of each key is kept.
    fn new(pairs: &[(u128, usize)]) -> KeyMap {
        let len = (pairs.len() * 2).next_power_of_two().max(2);
        let mut m = KeyMap {
            slots: alloc::vec![(0, Self::EMPTY); len],
            bits: len.trailing_zeros(),
        };
        for &(k, v) in pairs {
            let mut i = m.slot(k);
            while let Some(s) = m.slots.get_mut(i) {
                if s.1 == Self::EMPTY {
                    *s = (k, v);
                    break;
                }
                if s.0 == k {
                    break;
                }
                i = (i + 1) & (len - 1);
            }
        }
        m
    }

    fn slot(&self, k: u128) -> usize {
        // `k as u64` keeps the low half on purpose.
        let x = (k as u64) ^ ((k >> 64) as u64).rotate_left(29);
        let h = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits);
        usize::try_from(h).unwrap_or(0)
    }

    fn get(&self, k: u128) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = self.slot(k);
        // At most half full: an empty slot ends every probe.
        loop {
            let &(key, v) = self.slots.get(i)?;
            if v == Self::EMPTY {
                return None;
            }
            if key == k {
                return Some(v);
            }
            i = (i + 1) & mask;
        }
    }
}

/// The low `len` bytes (at most 16) of a key.
fn mask(len: usize) -> u128 {
    match len {
        16.. => u128::MAX,
        n => (1u128 << (8 * n)) - 1,
    }
}

/// Sixteen bytes in ASCII upper case, all at once; `None` when one is not
/// ASCII.
fn upper_ascii(x: u128) -> Option<u128> {
    const HIGH: u128 = u128::from_le_bytes([0x80; 16]);
    const EACH: u128 = u128::from_le_bytes([1; 16]);
    if x & HIGH != 0 {
        return None;
    }
    // Each byte is below 0x80, so adding at most 0x1f carries into no
    // other byte: bit 7 of a byte says `b >= 'a'`, then `b > 'z'`.
    let ge_a = x + EACH * (0x80 - u128::from(b'a'));
    let gt_z = x + EACH * (0x80 - u128::from(b'z') - 1);
    let lower = ge_a & !gt_z & HIGH;
    Some(x - (lower >> 2))
}

/// [`key`] of a name in ASCII upper case.
fn upper_key(name: &[u8]) -> Option<u128> {
    if name.len() > 16 {
        return None;
    }
    let mut a = [0u8; 16];
    for (d, s) in a.iter_mut().zip(name) {
        *d = s.to_ascii_uppercase();
    }
    Some(u128::from_le_bytes(a))
}

/// Groups the URCs by prefix key, each group keeping the order of `urcs`
/// (the first of a tie wins in [`best`]), sorted by key.
fn group_urcs(urcs: &[Entry]) -> (Vec<(u128, core::ops::Range<usize>)>, Vec<Entry>) {
    let mut keys: Vec<u128> = urcs.iter().filter_map(|e| e.key).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut groups = Vec::with_capacity(keys.len());
    let mut keyed = Vec::new();
    for k in keys {
        let start = keyed.len();
        keyed.extend(urcs.iter().filter(|e| e.key == Some(k)).cloned());
        groups.push((k, start..keyed.len()));
    }
    (groups, keyed)
}

/// Marks the entries of one list that share a prefix with another, and
/// those whose discriminators must be read: [`best`] looks at them only
/// to choose between two entries that both take the line and are as
/// narrow, so only beside a sibling of the same width whose field counts
/// overlap its own.
fn mark_siblings(mut entries: Vec<Entry>) -> Vec<Entry> {
    let shapes: Vec<(Option<Vec<u8>>, usize, usize, usize)> = entries
        .iter()
        .map(|e| (e.prefix.clone(), e.lo, e.hi, e.width))
        .collect();
    for (i, e) in entries.iter_mut().enumerate() {
        let (mut sibling, mut rival) = (false, false);
        for (j, s) in shapes.iter().enumerate() {
            if j != i && s.0 == e.prefix {
                sibling = true;
                rival |= s.3 == e.width && s.1 <= e.hi && e.lo <= s.2;
            }
        }
        e.has_sibling = sibling;
        e.discriminated = rival && !e.select.is_empty();
    }
    entries
}

impl Index {
    /// Indexes a dialect.
    pub fn new(d: &Dialect) -> Self {
        // A test answer is taken only while a Test form that lists it is
        // in flight: never for a command whose form is not known.
        let is_test = |m: usize| d.messages.get(m).is_some_and(|m| m.test);
        let entries = |ids: &[usize], test: bool| -> Vec<Entry> {
            mark_siblings(
                ids.iter()
                    .filter(|&&m| test || !is_test(m))
                    .filter_map(|&m| Entry::new(d, m))
                    .collect(),
            )
        };
        let mut index = Index {
            // A URC without a prefix would match every line.
            urcs: mark_siblings(
                (0..d.messages.len())
                    .filter(|&i| {
                        d.messages
                            .get(i)
                            .is_some_and(|m| m.is_urc() && m.prefix.is_some() && !m.test)
                    })
                    .filter_map(|i| Entry::new(d, i))
                    .collect(),
            ),
            commands: (0..d.commands.len())
                .map(|c| entries(&d.command_responses(c), false))
                .collect(),
            forms: d
                .commands
                .iter()
                .map(|c| {
                    c.forms
                        .iter()
                        .map(|f| entries(&f.responses, f.kind == FormKind::Test))
                        .collect()
                })
                .collect(),
            names: d
                .commands
                .iter()
                .map(|c| c.name.as_bytes().to_vec())
                .collect(),
            glued: d
                .messages
                .iter()
                .filter(|m| m.glued)
                .filter_map(|m| m.prefix.as_deref())
                .map(|p| p.as_bytes().to_vec())
                .collect(),
            urc_keys: Vec::new(),
            keyed: Vec::new(),
            unkeyed: Vec::new(),
            name_keys: Vec::new(),
            names_map: KeyMap::default(),
            urcs_map: KeyMap::default(),
        };
        (index.urc_keys, index.keyed) = group_urcs(&index.urcs);
        index.unkeyed = index
            .urcs
            .iter()
            .filter(|e| e.key.is_none())
            .cloned()
            .collect();
        let mut name_keys: Vec<(u128, usize)> = index
            .names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((upper_key(n)?, i)))
            .collect();
        // Sorted by key, then index: the first command of a name is kept.
        name_keys.sort_unstable();
        name_keys.dedup_by_key(|(k, _)| *k);
        index.names_map = KeyMap::new(&name_keys);
        index.name_keys = name_keys;
        let urc_keys: Vec<(u128, usize)> = index
            .urc_keys
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (*k, i))
            .collect();
        index.urcs_map = KeyMap::new(&urc_keys);
        index
    }

    /// A line whose prefix is glued to its one field (`+IPD5`, which
    /// [`parts`] reads as the prefix `+IPD5` with no body), cut as if it
    /// were `+IPD: 5`: the prefix of a glued message, then its digits as
    /// the body. Other lines are given back as they are. Every caller of
    /// [`Index::classify`] cuts lines through it.
    #[inline]
    pub fn unglue<'a>(&self, p: Parts<'a>) -> Parts<'a> {
        if !self.glues() || p.prefix.map(<[u8]>::len) != Some(p.line.len()) {
            return p;
        }
        self.unglue_slow(p)
    }

    /// Whether some message of the dialect is glued to its prefix, so
    /// that [`Index::unglue`] may change a line's parts.
    #[inline]
    pub fn glues(&self) -> bool {
        !self.glued.is_empty()
    }

    fn unglue_slow<'a>(&self, p: Parts<'a>) -> Parts<'a> {
        for g in &self.glued {
            if let Some(body) = p.line.strip_prefix(g.as_slice()) {
                if glued_body(body) {
                    return Parts {
                        line: p.line,
                        prefix: p.line.get(..g.len()),
                        body,
                        fields: 1,
                        // The glued field is digits: not quoted.
                        quoted: 0,
                    };
                }
            }
        }
        p
    }

    /// The index of a command by name (`+WIPBR`), in any ASCII case.
    pub fn command(&self, name: &[u8]) -> Option<usize> {
        self.command_in(name, name)
    }

    /// [`Index::command`] of a name that starts `line` (`+WIPBR` of
    /// `+WIPBR=3,6,11`, `name` a prefix of `line`): the key is read from
    /// the line in one 16-byte load when it is long enough.
    pub fn command_in(&self, line: &[u8], name: &[u8]) -> Option<usize> {
        let k = match line.first_chunk::<16>() {
            Some(chunk) if name.len() <= 16 => upper_ascii(u128::from_le_bytes(*chunk))
                .map(|u| u & mask(name.len()))
                .or_else(|| upper_key(name)),
            _ => upper_key(name),
        };
        match k {
            Some(k) => self.names_map.get(k),
            None => self
                .names
                .iter()
                .position(|n| n.len() == name.len() && n.eq_ignore_ascii_case(name)),
        }
    }

    /// The URCs of the line's prefix, found by its key.
    fn urcs_of(&self, prefix: &[u8], line_key: Option<u128>) -> &[Entry] {
        match line_key {
            Some(k) => self
                .urcs_map
                .get(k)
                .and_then(|i| self.urc_keys.get(i))
                .and_then(|(_, r)| self.keyed.get(r.clone()))
                .unwrap_or_default(),
            // A prefix past 16 bytes: only an unkeyed URC can have it.
            None if prefix.len() > 16 => &self.unkeyed,
            None => &[],
        }
    }

    fn responses(&self, pending: InFlight) -> &[Entry] {
        match pending {
            InFlight::None => &[],
            InFlight::Command(c) => self.commands.get(c).map_or(&[], Vec::as_slice),
            InFlight::Form(c, f) => self
                .forms
                .get(c)
                .and_then(|fs| fs.get(f))
                .map_or(&[], Vec::as_slice),
        }
    }

    /// Classifies one line (without CR/LF, cut by [`parts`]) given what is
    /// in flight.
    pub fn classify(&self, pending: InFlight, p: &Parts<'_>) -> Class {
        let line_key = p.prefix.and_then(|pre| key_in(p.line, pre.len()));
        self.classify_keyed(pending, p, line_key, p.is_glued()).0
    }

    /// [`Index::classify`] through a [`Memo`] of the classes already
    /// found: a line whose class follows from what is in flight, its
    /// prefix, its field count and which fields are quoted (no message
    /// that could take it has discriminators or `(` lists to read) is
    /// classified by one lookup after the first such line. It gives what
    /// [`Index::classify`] gives.
    ///
    /// The lookup is inlined into the caller; a line the memo does not
    /// hold is classified out of line.
    #[inline(always)]
    pub fn classify_memo(&self, memo: &mut Memo, pending: &InFlight, p: &Parts<'_>) -> Class {
        let glued = p.is_glued();
        let line_key = match p.prefix {
            Some(pre) => match key_in(p.line, pre.len()) {
                Some(k) => k,
                // A prefix past 16 bytes is compared byte by byte.
                None => return self.classify_miss(memo, pending, p, None, glued),
            },
            // No prefix starts with a NUL byte: 0 is the key of none.
            None => 0,
        };
        if let Some(meta) = MemoSlot::meta(pending, p.fields, glued) {
            let at = MemoSlot::hash(line_key, meta, p.quoted);
            if let Some(hit) = memo
                .slots
                .get(at)
                .filter(|s| s.key == line_key && s.meta == meta && s.quoted == p.quoted)
            {
                return hit.class;
            }
        }
        self.classify_miss(memo, pending, p, Some(line_key), glued)
    }

    /// [`Index::classify_memo`] of a line its own memo slot does not hold:
    /// `key` is its memo key (`None`: a prefix past 16 bytes, not kept).
    /// Looked for in the other slot of the pair, else classified by
    /// [`Index::classify_keyed`] and kept when its class follows from the
    /// memo key alone: in its own slot while that is free, else in the
    /// other one.
    #[inline(never)]
    fn classify_miss(
        &self,
        memo: &mut Memo,
        pending: &InFlight,
        p: &Parts<'_>,
        key: Option<u128>,
        glued: bool,
    ) -> Class {
        let Some(line_key) = key else {
            return self.classify_keyed(*pending, p, None, glued).0;
        };
        let prefix_key = p.prefix.map(|_| line_key);
        let Some(meta) = MemoSlot::meta(pending, p.fields, glued) else {
            return self.classify_keyed(*pending, p, prefix_key, glued).0;
        };
        let at = MemoSlot::hash(line_key, meta, p.quoted);
        // The other slot of its pair: a line whose own slot another line
        // holds was kept there.
        let alt = at ^ 1;
        let holds = |s: &MemoSlot| s.key == line_key && s.meta == meta && s.quoted == p.quoted;
        if let Some(hit) = memo.slots.get(alt).filter(|s| holds(s)) {
            return hit.class;
        }
        let (class, pure) = self.classify_keyed(*pending, p, prefix_key, glued);
        if pure {
            // Its own slot while that is free, else the other one of the
            // pair (where the lookup above finds it): two lines of one
            // slot, taking turns, then both stay.
            let free = memo
                .slots
                .get(at)
                .is_some_and(|s| s.meta == MemoSlot::EMPTY.meta);
            if let Some(s) = memo.slots.get_mut(if free { at } else { alt }) {
                *s = MemoSlot {
                    key: line_key,
                    meta,
                    quoted: p.quoted,
                    class,
                };
            }
        }
        class
    }

    /// [`Index::classify`] with the line's prefix key and
    /// [`Parts::is_glued`] already read; also whether the class follows
    /// from the memo key of [`Index::classify_memo`] alone (no message
    /// looked at reads discriminators or `(` lists, and the prefix has a
    /// key or there is none).
    fn classify_keyed(
        &self,
        pending: InFlight,
        p: &Parts<'_>,
        line_key: Option<u128>,
        glued: bool,
    ) -> (Class, bool) {
        let mut pure = p.prefix.is_none() || line_key.is_some();
        let resp = best(
            self.responses(pending)
                .iter()
                .filter(|e| e.fits_prefix(p, line_key, glued)),
            p,
            &mut pure,
        );
        // The URCs of a key all have the line's prefix; only those past 16
        // bytes are compared byte by byte.
        let urc = match p.prefix {
            Some(prefix) => best(
                self.urcs_of(prefix, line_key).iter().filter(|e| {
                    e.glued == glued && (line_key.is_some() || e.same_prefix(prefix, line_key))
                }),
                p,
                &mut pure,
            ),
            None => None,
        };
        let class = match (resp, urc) {
            (Some((_, rw)), Some((u, uw))) if uw < rw => Class::Urc(u),
            (Some((r, _)), _) => Class::Response(r),
            (None, Some((u, _))) => Class::Urc(u),
            (None, None) => match self.bare_of(pending, p, &mut pure) {
                Some(r) => Class::Response(r),
                None => Class::Unknown,
            },
        };
        (class, pure)
    }

    /// A response the manual prints bare (`<bid>,<state>`, 4.2.2) written
    /// with the command's own prefix (`+WIPBR: 6,1`), as real modems send
    /// it (erratum E41): the bare response its body fits, when no URC
    /// takes the line.
    pub fn prefixed_bare(&self, pending: InFlight, p: &Parts<'_>) -> Option<usize> {
        self.bare_of(pending, p, &mut true)
    }

    fn bare_of(&self, pending: InFlight, p: &Parts<'_>, pure: &mut bool) -> Option<usize> {
        let c = match pending {
            InFlight::Command(c) | InFlight::Form(c, _) => c,
            InFlight::None => return None,
        };
        let name = self.names.get(c)?;
        if !p.prefix.is_some_and(|pre| pre.eq_ignore_ascii_case(name)) {
            return None;
        }
        best(
            self.responses(pending)
                .iter()
                .filter(|e| e.prefix.is_none() && !e.any_line),
            p,
            pure,
        )
        .map(|(m, _)| m)
    }
}

/// The messages a prefixed line may be while a command is in flight,
/// when what [`Index::classify`] gives for the line follows from which of
/// them takes its fields ([`Index::candidates`]): at most four, each with
/// whether it is a URC (else a response of the command in flight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Candidates {
    len: u8,
    items: [(u32, bool); Candidates::MAX],
}

impl Candidates {
    /// The most candidates kept; a prefix with more is left to the
    /// classifier.
    pub const MAX: usize = 4;

    /// The candidates, as (message, is a URC).
    #[inline(always)]
    pub fn iter(&self) -> impl Iterator<Item = (usize, bool)> + '_ {
        self.items
            .iter()
            .take(usize::from(self.len))
            .map(|&(m, urc)| (m as usize, urc))
    }

    /// Whether there is none: the classifier must read the line.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn push(&mut self, message: usize, urc: bool) -> Option<()> {
        let slot = self.items.get_mut(usize::from(self.len))?;
        *slot = (u32::try_from(message).ok()?, urc);
        self.len += 1;
        Some(())
    }
}

impl Index {
    /// The messages a line cut by [`prefix_cut`] with the prefix key
    /// `key` may be while `pending` is in flight, such that the line is
    /// the one of them whose fields it fits: for any line one of them
    /// takes (its field count within the message's arity), [`Index::classify`]
    /// gives that message, as a response when the command in flight has it
    /// among its responses, else as a URC.
    ///
    /// That holds when the responses and URCs of the prefix take field
    /// counts that do not overlap (so that at most one fits a line, and
    /// no choice by width or discriminator is made), and none of them
    /// reads more than the field count and the fields' kinds: no `(`
    /// list, no free text without a prefix (which takes any line); and
    /// none has raw data after its line (the framer reads it after the
    /// line's event). Otherwise, or past
    /// [`Candidates::MAX`] messages, there is none, and the line is left to
    /// the classifier.
    ///
    /// A decoder that gives a value for a line reads exactly its message's
    /// fields (its arity), so the line fits that message: the framer's
    /// fused decode gives the class [`Index::classify`] gives.
    pub fn candidates(&self, pending: InFlight, key: u128) -> Candidates {
        self.candidates_of(pending, key).unwrap_or_default()
    }

    fn candidates_of(&self, pending: InFlight, key: u128) -> Option<Candidates> {
        // A glued message takes only a line without a colon, which
        // `prefix_cut` never cuts: it is no candidate, and no obstacle.
        // Quoted-field kinds need no look: a decoder reads each field of a
        // quoted type only quoted and each of a bare type only bare, so a
        // line it takes fits the kinds the classifier compares.
        let plain = |e: &Entry| !e.any_line && !e.payload && e.ranges.is_empty() && e.key.is_some();
        let mut out = Candidates::default();
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        for e in self.responses(pending) {
            let takes = match e.prefix {
                Some(_) => e.key == Some(key),
                None => e.any_line,
            };
            if !takes || e.glued {
                continue;
            }
            if !plain(e) {
                return None;
            }
            out.push(e.message, false)?;
            spans.push((e.message, e.lo, e.hi));
        }
        for e in self.urcs_of(&[], Some(key)) {
            if e.glued {
                continue;
            }
            if !plain(e) {
                return None;
            }
            // A message that is both a response of the command in flight
            // and a URC is the response: the classifier prefers the
            // response of the same width.
            if spans.iter().any(|s| s.0 == e.message) {
                continue;
            }
            out.push(e.message, true)?;
            spans.push((e.message, e.lo, e.hi));
        }
        for (i, a) in spans.iter().enumerate() {
            for b in spans.iter().skip(i + 1) {
                if a.1 <= b.2 && b.1 <= a.2 {
                    return None;
                }
            }
        }
        Some(out)
    }
}

/// The classes [`Index::classify_memo`] found, by what is in flight,
/// prefix key, field count, quoted fields and glue: a small table, one
/// per framer. A line is looked for in its own slot (inlined, the usual
/// hit), then in the other slot of its pair (`Index::classify_miss`):
/// two frequent lines whose keys hash to one slot (in the rev009 bench
/// stream, `+WIPOPT` and `+WIPREADY` after a failed command) then do not
/// push each other out.
#[derive(Debug, Clone)]
pub struct Memo {
    slots: Vec<MemoSlot>,
}

/// How many classes a [`Memo`] keeps (a power of two): 6 KiB a framer.
/// With the pair probe, the rev009 bench stream misses only in its first
/// pass (17 lines, each the first of its memo key).
const MEMO_SLOTS: usize = 128;

impl Default for Memo {
    fn default() -> Self {
        Memo {
            slots: alloc::vec![MemoSlot::EMPTY; MEMO_SLOTS],
        }
    }
}

/// One class of a [`Memo`] with the line it was found for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MemoSlot {
    key: u128,
    /// [`MemoSlot::meta`] of the line.
    meta: u64,
    quoted: u64,
    class: Class,
}

impl MemoSlot {
    /// A slot no line matches: [`MemoSlot::meta`] is never `u64::MAX`.
    const EMPTY: MemoSlot = MemoSlot {
        key: 0,
        meta: u64::MAX,
        quoted: 0,
        class: Class::Unknown,
    };

    /// What is in flight, the field count and the glue of a line in one
    /// integer; `None` past the sizes it holds (such a line is not kept).
    #[inline]
    fn meta(pending: &InFlight, fields: usize, glued: bool) -> Option<u64> {
        let (c, f) = match *pending {
            InFlight::None => (0, 0),
            InFlight::Command(c) => (c.checked_add(1)?, 0),
            InFlight::Form(c, f) => (c.checked_add(1)?, f.checked_add(1)?),
        };
        let narrow = |v: usize| u16::try_from(v).ok().map(u64::from);
        Some(
            narrow(c)? << 48
                | narrow(f)? << 32
                | u64::from(u32::try_from(fields).ok().filter(|&n| n < u32::MAX >> 1)?) << 1
                | u64::from(glued),
        )
    }

    #[inline]
    fn hash(key: u128, meta: u64, quoted: u64) -> usize {
        // `as u64` keeps the low half of the key on purpose.
        let x = (key as u64) ^ ((key >> 64) as u64).rotate_left(17) ^ meta.rotate_left(29) ^ quoted;
        let h = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MEMO_SLOTS.trailing_zeros());
        usize::try_from(h).unwrap_or(0)
    }
}

/// The narrowest entry accepting the line's field count, preferring one
/// whose discriminators hold, then the first; (message, width).
///
/// `pure` is cleared when an entry that reads more of the line than its
/// field count and quotes (discriminators, `(` lists) is looked at.
fn best<'e>(
    entries: impl Iterator<Item = &'e Entry>,
    p: &Parts<'_>,
    pure: &mut bool,
) -> Option<(usize, usize)> {
    let mut best: Option<(usize, bool, usize)> = None;
    let mut first = None;
    for e in entries {
        if e.discriminated || !e.ranges.is_empty() {
            *pure = false;
        }
        if p.fields < e.lo
            || p.fields > e.hi
            || !e.kinds_fit(p)
            || (!e.ranges.is_empty() && !e.shape_fits(p.body))
        {
            continue;
        }
        let width = e.width;
        match best {
            Some((w, false, _)) if w <= width => continue,
            Some((w, true, _)) if w < width => continue,
            _ => {}
        }
        let unselected = e.discriminated && e.unselected(p, &mut first);
        match best {
            Some((w, bu, _)) if w == width && (unselected || !bu) => continue,
            _ => best = Some((width, unselected, e.message)),
        }
    }
    best.map(|(w, _, m)| (m, w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Command, Form, Message, Param, Ty};

    /// The field count of the former two-pass cut, kept as the reference
    /// of the one-pass scan.
    fn reference_count(body: &[u8]) -> (usize, u64) {
        if body.iter().all(|&b| b == b' ' || b == b'\t') {
            return (0, 0);
        }
        let mut n = 1;
        let mut quoted = 0u64;
        let mut i = 0;
        // At the start of a field, blanks aside: a `(` there opens a list
        // that keeps its commas (fields.rs `group_end`).
        let mut start = true;
        // Unquoted runs are short: a plain loop. Quoted strings may be long
        // (hex dumps): memchr to their end.
        while let Some(&b) = body.get(i) {
            match b {
                b',' => {
                    n += 1;
                    start = true;
                }
                b'"' => {
                    let bit = u32::try_from(n - 1).ok().and_then(|s| 1u64.checked_shl(s));
                    quoted |= bit.unwrap_or(0);
                    match body.get(i + 1..).and_then(|s| memchr::memchr(b'"', s)) {
                        Some(close) => {
                            i += close + 1;
                            start = false;
                        }
                        // An open quote runs to the end of the line.
                        None => break,
                    }
                }
                b'(' if start => {
                    i = crate::fields::group_end(body, i).unwrap_or(i);
                    start = false;
                }
                b' ' | b'\t' => {}
                _ => start = false,
            }
            i += 1;
        }
        (n, quoted)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        /// The one-pass scan counts and marks fields as the former cut
        /// did, and integers read through its parts are those read
        /// by cutting the body again.
        #[test]
        fn the_scan_reads_fields_as_a_second_cut_does(
            body in proptest::collection::vec(
                proptest::sample::select(&b"0123456789 ,\"()-+a\t\xc3\xa9"[..]), 0..40)
        ) {
            let (fields, quoted) = scan_fields(&body);
            let p = Parts { line: &body, prefix: None, body: &body, fields, quoted };
            proptest::prop_assert_eq!((p.fields, p.quoted), reference_count(&body));
            for n in 0..12 {
                proptest::prop_assert_eq!(p.int_field(n), int_field(&body, n), "field {}", n);
            }
        }
    }

    proptest::proptest! {
        /// The word-wise end of a name is where the first byte that is
        /// not a name byte stands.
        #[test]
        fn names_end_at_the_first_other_byte(
            rest in proptest::collection::vec(
                proptest::sample::select(&b"AZaz09+_#:  ,@[`{\x80\xc1\xda\xff"[..]), 0..40),
            upper in 0usize..24,
        ) {
            let mut line = b"WIPDATARWXYZABCDEFGHIJKL".get(..upper).unwrap_or_default().to_vec();
            line.extend_from_slice(&rest);
            proptest::prop_assert_eq!(
                name_end(&line),
                line.iter().position(|&b| !is_name_byte(b))
            );
            // The two-word read of an upper-case name and its colon stops
            // where `name_end` does, or leaves the line to it.
            if let Some(n) = upper_name_colon(&line) {
                proptest::prop_assert_eq!(Some(n), name_end(&line));
            }
        }

        /// Every usual prefix of up to 15 upper-case letters is read by
        /// the two-word path, and cut where `name_end` cuts it.
        #[test]
        fn upper_names_are_read_in_two_words(
            upper in 1usize..16,
            tail in proptest::collection::vec(
                proptest::sample::select(&b"AZ09 ,\"x"[..]), 8..20),
        ) {
            let mut line = b"WIPDATARWXYZABCDEFGHIJKL".get(..upper).unwrap_or_default().to_vec();
            line.push(b':');
            line.extend_from_slice(&tail);
            proptest::prop_assert_eq!(upper_name_colon(&line), Some(upper));
            proptest::prop_assert_eq!(name_end(&line), Some(upper));
        }
    }

    proptest::proptest! {
        /// The word-wise search finds what a plain search finds, in
        /// short and long haystacks, at every offset.
        #[test]
        fn find_byte_finds_the_first_match(
            hay in proptest::collection::vec(
                proptest::sample::select(&b"\n\r\"\x0a\x0b\x8a\xff\x00a"[..]), 0..150),
            needle in proptest::sample::select(&b"\n\"\x00\xff"[..]),
        ) {
            proptest::prop_assert_eq!(
                find_byte(needle, &hay),
                hay.iter().position(|&b| b == needle)
            );
        }
    }

    #[test]
    fn counts_fields_outside_quotes() {
        assert_eq!(count_fields(b""), 0);
        assert_eq!(count_fields(b"  "), 0);
        assert_eq!(count_fields(b"1"), 1);
        assert_eq!(count_fields(br#"7,73,"1,1024""#), 3);
        assert_eq!(count_fields(b"1,,"), 3);
        assert_eq!(count_fields(br#"1,"open,"#), 2);
    }

    #[test]
    fn cuts_prefix_and_body() {
        let p = parts(b"+WIPBR: 6,11");
        assert_eq!(
            (p.prefix, p.body, p.fields),
            (Some(&b"+WIPBR"[..]), &b"6,11"[..], 2)
        );
        let p = parts(b"+WIPX");
        assert_eq!((p.prefix, p.fields), (Some(&b"+WIPX"[..]), 0));
        let p = parts(b"6,1");
        assert_eq!((p.prefix, p.fields), (None, 2));
        // A prefix with blanks ends at its colon; without one, at the
        // first blank.
        let p = parts(b"+IP ERROR: Network is already opened");
        assert_eq!(
            (p.prefix, p.body),
            (Some(&b"+IP ERROR"[..]), &b"Network is already opened"[..])
        );
        assert_eq!(parts(b"+a b c: 1").prefix, Some(&b"+a b c"[..]));
        assert_eq!(parts(b"+a b").prefix, None);
        assert_eq!(parts(b"+a  b: 1").prefix, None);
        assert_eq!(parts(b"+a b : 1").prefix, None);
        assert_eq!(parts(b"+WIPBR : 1").prefix, None);
        assert_eq!(parts(br#"1,"a",2,"b""#).quoted, 0b1010);
    }

    #[test]
    fn keys_tell_prefixes_apart() {
        assert_ne!(key(b"+WIPDATA"), key(b"+WIPDATARW"));
        assert_eq!(key(b"+WIPDATA"), key(b"+WIPDATA"));
        assert_eq!(key(&[b'A'; 17]), None);
        assert_eq!(key_in(b"+WIPDATARW: 1,2,3,4,5", 9), key(b"+WIPDATAR"));
    }

    #[test]
    fn key_in_is_the_key_of_the_head_at_every_length() {
        // Every line length around the 8- and 16-byte loads, every prefix
        // length up to past 16, bytes all different.
        let bytes: Vec<u8> = (1..=24u8).map(|b| b.wrapping_mul(37)).collect();
        for n in 0..=bytes.len() {
            let line = &bytes[..n];
            for len in 0..=18 {
                let want = line.get(..len).and_then(key);
                assert_eq!(key_in(line, len), want, "line of {n}, prefix of {len}");
            }
        }
    }

    #[test]
    fn key_maps_find_what_a_sorted_search_finds() {
        let pairs: Vec<(u128, usize)> = (0..200u128)
            .map(|i| {
                (
                    i.wrapping_mul(0x0101_0101_0101_0101_0101_0101_0101_0101) ^ (i << 100),
                    0,
                )
            })
            .enumerate()
            .map(|(n, (k, _))| (k, n))
            .collect();
        for n in [0, 1, 2, 3, 17, 200] {
            let some = pairs.get(..n).unwrap();
            let m = KeyMap::new(some);
            for (k, v) in &pairs {
                let want = some.iter().find(|(x, _)| x == k).map(|(_, v)| *v);
                assert_eq!(m.get(*k), want, "{n} {v}");
            }
        }
        // The first index of a key is kept.
        assert_eq!(KeyMap::new(&[(5, 1), (5, 2)]).get(5), Some(1));
    }

    #[test]
    fn names_are_found_in_their_line_in_any_case() {
        let i = Index::new(&D);
        for (line, name) in [
            (&b"+xq=1,2,3,4,5,6,7,8"[..], &b"+xq"[..]),
            (b"+XQ?", b"+XQ"),
            (b"+Xq=?..........................", b"+Xq"),
            (b"+XQ\xc3\xa9=..............", b"+XQ\xc3\xa9"),
            (b"+XQQ=1,2,3,4,5,6,7,8,9", b"+XQQ"),
            (b"+X{=1,2,3,4,5,6,7,8,9", b"+X{"),
            (b"+X`=1,2,3,4,5,6,7,8,9", b"+X`"),
        ] {
            assert_eq!(i.command_in(line, name), i.command(name), "{line:?}");
        }
        assert_eq!(i.command_in(b"+xQ=1,2,3,4,5,6,7,8", b"+xQ"), Some(0));
        for b in 0..=255u8 {
            let x = u128::from_le_bytes([b; 16]);
            let want = b
                .is_ascii()
                .then(|| u128::from_le_bytes([b.to_ascii_uppercase(); 16]));
            assert_eq!(upper_ascii(x), want, "{b}");
        }
    }

    #[test]
    fn integers_read_as_trim_then_parse_does() {
        for s in [
            "",
            " ",
            "+",
            "-",
            "1",
            " 22 ",
            "+5",
            "-0",
            "007",
            "000000000000000001",
            "999999999999999999",
            "1234567890123456789",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999",
            "1 2",
            "\x0b7\x0c",
            "\r\n8\t",
            "\u{a0}3",
            "3\u{3000}",
            "٣",
            "0x1",
            "--1",
            "+-1",
            "12a",
            " - 1",
        ] {
            assert_eq!(int_of(s.as_bytes()), s.trim().parse::<i64>().ok(), "{s:?}");
        }
    }

    #[test]
    fn reads_integer_fields() {
        assert_eq!(int_field(b"1, 22 ,3", 1), Some(22));
        assert_eq!(int_field(br#""a,b",7"#, 1), Some(7));
        assert_eq!(int_field(br#""a,b",7"#, 0), None);
        assert_eq!(int_field(b"1,2", 2), None);
        assert_eq!(int_field(b"x,2", 0), None);
    }

    /// A command whose two responses share a prefix and an arity, told
    /// apart by their first field (`"+XURC: 1,<id>"` and `"+XURC: 2,<id>"`),
    /// a URC of the same prefix with three fields, a free-text URC and a
    /// prefix longer than 16 bytes.
    static D: Dialect = {
        const ID: Param = Param::req("id", Ty::int(0, 9));
        const MESSAGES: &[Message] = &[
            Message::info("Opened", Some("+XURC"))
                .select(const { &[Cond::new(0, &[1])] })
                .fields(const { &[Param::req("what", Ty::int(1, 2)), ID] }),
            Message::info("Closed", Some("+XURC"))
                .select(const { &[Cond::new(0, &[2])] })
                .fields(const { &[Param::req("what", Ty::int(1, 2)), ID] }),
            Message::urc("Event", Some("+XURC")).fields(const { &[ID, ID, ID] }),
            Message::urc("Note", Some("+XNOTE")).fields(const { &[Param::req("text", Ty::Text)] }),
            Message::info("Long", Some("+AVERYLONGRESPONSENAME")).fields(const { &[ID] }),
        ];
        const FORMS: &[Form] = &[Form::action("Query")
            .params(const { &[ID] })
            .responses(&[0, 1, 4])];
        Dialect::new("X", "+X")
            .commands(const { &[Command::new("+XQ", 1000, &[], FORMS)] })
            .messages(MESSAGES)
    };

    fn class(in_flight: InFlight, line: &str) -> Class {
        Index::new(&D).classify(in_flight, &parts(line.as_bytes()))
    }

    #[test]
    fn discriminators_tell_siblings_of_one_arity_apart() {
        let q = InFlight::Command(0);
        assert_eq!(class(q, "+XURC: 1,5"), Class::Response(0));
        assert_eq!(class(q, "+XURC: 2,5"), Class::Response(1));
        // Neither discriminator holds: the first sibling, so that the
        // engine's binding names the wrong field.
        assert_eq!(class(q, "+XURC: 7,5"), Class::Response(0));
        // Three fields: the URC, in flight or not.
        assert_eq!(class(q, "+XURC: 1,2,3"), Class::Urc(2));
        assert_eq!(class(InFlight::None, "+XURC: 1,2,3"), Class::Urc(2));
        assert_eq!(class(InFlight::None, "+XURC: 1,5"), Class::Unknown);
        assert_eq!(
            class(InFlight::Form(0, 0), "+XURC: 2,5"),
            Class::Response(1)
        );
    }

    /// `+XW`: siblings told apart by field 0, of widths 0 and 1 and of
    /// overlapping and disjoint field counts, as responses and as URCs.
    static W: Dialect = {
        const N: Param = Param::req("n", Ty::int(0, 9));
        const MESSAGES: &[Message] = &[
            Message::info("A", Some("+XW"))
                .select(const { &[Cond::new(0, &[1])] })
                .fields(const { &[N, Param::opt("m", Ty::int(0, 9))] }),
            Message::info("B", Some("+XW"))
                .select(const { &[Cond::new(0, &[2])] })
                .fields(const { &[N, N] }),
            Message::info("C", Some("+XW"))
                .select(const { &[Cond::new(0, &[3])] })
                .fields(const { &[N, N, N] }),
            Message::info("D", Some("+XW"))
                .select(const { &[Cond::new(0, &[1])] })
                .fields(const { &[N, N] }),
            Message::urc("E", Some("+XW"))
                .select(const { &[Cond::new(0, &[4])] })
                .fields(const { &[N, N, N] }),
            Message::urc("F", Some("+XW"))
                .select(const { &[Cond::new(0, &[5])] })
                .fields(const { &[N, N, N, N] }),
            Message::urc("G", Some("+XW"))
                .select(const { &[Cond::new(0, &[6])] })
                .fields(const { &[N, N, N, N] }),
        ];
        const FORMS: &[Form] = &[
            Form::action("Set")
                .params(const { &[N] })
                .responses(&[0, 1, 2]),
            Form::read("Read").responses(&[1, 2, 3]),
        ];
        Dialect::new("W", "+X")
            .commands(const { &[Command::new("+XW", 1000, &[], FORMS)] })
            .messages(MESSAGES)
    };

    /// An index whose entries all read their discriminators whenever a
    /// sibling shares their prefix: the former rule, kept as the reference
    /// of the narrower one.
    fn with_every_sibling_discriminated(mut ix: Index) -> Index {
        let mark = |es: &mut Vec<Entry>| {
            for e in es.iter_mut() {
                e.discriminated = e.has_sibling && !e.select.is_empty();
            }
        };
        mark(&mut ix.urcs);
        mark(&mut ix.keyed);
        mark(&mut ix.unkeyed);
        ix.commands.iter_mut().for_each(mark);
        ix.forms.iter_mut().flatten().for_each(mark);
        ix
    }

    proptest::proptest! {
        /// Discriminators read only between siblings of one width and
        /// overlapping field counts classify every line as reading them
        /// between all siblings did.
        #[test]
        fn discriminators_read_only_where_they_decide(
            fields in proptest::collection::vec(
                proptest::sample::select(&["1", "2", "3", "4", "5", "6", "7", "\"a\""][..]), 0..6),
            flight in 0usize..4,
            prefix in proptest::sample::select(&["+XW", "+XURC"][..]),
        ) {
            let line = alloc::format!("{prefix}: {}", fields.join(","));
            let p = parts(line.as_bytes());
            let in_flight = [
                InFlight::None,
                InFlight::Command(0),
                InFlight::Form(0, 0),
                InFlight::Form(0, 1),
            ][flight];
            for d in [&W, &D] {
                let ix = Index::new(d);
                let former = with_every_sibling_discriminated(ix.clone());
                proptest::prop_assert_eq!(
                    ix.classify(in_flight, &p),
                    former.classify(in_flight, &p),
                    "{}", line
                );
            }
        }
    }

    proptest::proptest! {
        /// The memo classifies every line of a sequence as classifying it
        /// afresh does: lines of siblings told apart by discriminators, of
        /// `(` lists, of quoted and bare fields, glued, without a prefix
        /// and with one past 16 bytes, under every command in flight.
        #[test]
        fn the_memo_classifies_as_classify_does(
            lines in proptest::collection::vec((
                proptest::sample::select(&[
                    "+XW: ", "+XURC: ", "+XNOTE: ", "+XG: ", "+USORD: ", "+XEV: ", "+IP ERROR: ",
                    "+IPD", "+IPDX: ", "+AVERYLONGRESPONSENAME: ", "+XQ: ", "+xw: ", "",
                ][..]),
                proptest::collection::vec(
                    proptest::sample::select(&["1", "2", "4", "5", "7", "12", "\"a\"", "\"\"", "(0-1)", ""][..]),
                    0..6),
                0usize..5,
            ), 1..24),
        ) {
            let dialects = [&D, &W, &T, &KINDS, &G];
            let indexes: Vec<Index> = dialects.iter().map(|d| Index::new(d)).collect();
            let mut memos: Vec<Memo> = dialects.iter().map(|_| Memo::default()).collect();
            // Each line is followed by lines of the same memo key that
            // differ where only discriminators and `(` lists look: its
            // fields reversed, and with other values in them.
            let variants = lines.iter().flat_map(|(prefix, fields, flight)| {
                let reversed: Vec<&str> = fields.iter().rev().copied().collect();
                let other: Vec<&str> = fields
                    .iter()
                    .map(|f| match *f { "(0-1)" => "1", "1" => "2", "2" => "(0-1)", f => f })
                    .collect();
                [fields.clone(), reversed, other].map(|f| (prefix, f, flight))
            });
            for (prefix, fields, flight) in variants {
                let line = alloc::format!("{prefix}{}", fields.join(","));
                let in_flight = [
                    InFlight::None,
                    InFlight::Command(0),
                    InFlight::Form(0, 0),
                    InFlight::Form(0, 1),
                    InFlight::Form(0, 2),
                ][*flight];
                for (ix, memo) in indexes.iter().zip(memos.iter_mut()) {
                    let p = ix.unglue(parts(line.as_bytes()));
                    proptest::prop_assert_eq!(
                        ix.classify_memo(memo, &in_flight, &p),
                        ix.classify(in_flight, &p),
                        "{}", line
                    );
                }
            }
        }
    }

    /// Lines of many memo keys, more than the memo has slots, so that
    /// many share a slot: classified through the memo in several orders,
    /// each as [`Index::classify`] classifies it; and two lines of one
    /// slot, taking turns, are both kept (the second in the other slot of
    /// the pair).
    #[test]
    fn lines_sharing_a_memo_slot_classify_as_classify_does_and_both_stay() {
        let ix = Index::new(&D);
        let flights = [InFlight::None, InFlight::Command(0), InFlight::Form(0, 0)];
        let mut lines = Vec::new();
        for n in 1..120 {
            for prefix in ["+XNOTE: ", "+XURC: ", "+AVERYLONGRESPONSENAME: "] {
                let fields: Vec<String> = (0..n).map(|i| alloc::format!("{}", i % 3)).collect();
                for (f, flight) in flights.iter().enumerate() {
                    lines.push((alloc::format!("{prefix}{}", fields.join(",")), f, *flight));
                }
            }
        }
        let mut memo = Memo::default();
        for round in 0..3 {
            for k in 0..lines.len() {
                // Each round in another order.
                let (line, _, flight) = &lines[(k * (2 * round + 1) + round) % lines.len()];
                let p = parts(line.as_bytes());
                assert_eq!(
                    ix.classify_memo(&mut memo, flight, &p),
                    ix.classify(*flight, &p),
                    "{line}"
                );
            }
        }
        // Two `+XNOTE` lines (pure: their class follows from the memo key)
        // whose keys hash to one slot.
        let slot = |line: &str, flight: &InFlight| {
            let p = parts(line.as_bytes());
            let key = key_in(p.line, p.prefix.map_or(0, <[u8]>::len)).unwrap();
            let meta = MemoSlot::meta(flight, p.fields, false).unwrap();
            (MemoSlot::hash(key, meta, p.quoted), key, meta)
        };
        let notes: Vec<&(String, usize, InFlight)> =
            lines.iter().filter(|l| l.0.starts_with("+XNOTE")).collect();
        let (a, b) = notes
            .iter()
            .enumerate()
            .find_map(|(i, a)| {
                let at = slot(&a.0, &a.2).0;
                notes
                    .get(i + 1..)?
                    .iter()
                    .find(|b| slot(&b.0, &b.2).0 == at)
                    .map(|b| (a, b))
            })
            .expect("two lines of one slot");
        let mut memo = Memo::default();
        for _ in 0..2 {
            for (line, _, flight) in [a, b] {
                let p = parts(line.as_bytes());
                assert_eq!(
                    ix.classify_memo(&mut memo, flight, &p),
                    ix.classify(*flight, &p)
                );
            }
        }
        for (line, _, flight) in [a, b] {
            let (at, key, meta) = slot(line, flight);
            let kept = [at, at ^ 1]
                .iter()
                .filter_map(|&i| memo.slots.get(i))
                .any(|s| s.key == key && s.meta == meta);
            assert!(kept, "{line} is kept");
        }
    }

    #[test]
    fn free_text_and_long_prefixes() {
        assert_eq!(class(InFlight::None, "+XNOTE: a, b, \"c\""), Class::Urc(3));
        let q = InFlight::Command(0);
        assert_eq!(class(q, "+AVERYLONGRESPONSENAME: 1"), Class::Response(4));
        assert_eq!(class(q, "+AVERYLONGRESPONSENAMEX: 1"), Class::Unknown);
        assert_eq!(Index::new(&D).command(b"+xq"), Some(0));
        assert_eq!(Index::new(&D).command(b"+XQQ"), None);
    }

    /// Command names and URC prefixes are found by key, long ones (past
    /// 16 bytes) by a scan; the first command of a name wins.
    #[test]
    fn keyed_lookups() {
        const MESSAGES: &[Message] = &[
            Message::urc("Short", Some("+XS")).fields(const { &[Param::req("n", Ty::int(0, 9))] }),
            Message::urc("Long", Some("+XAVERYLONGURCNAME1"))
                .fields(const { &[Param::req("n", Ty::int(0, 9))] }),
            Message::urc("Long2", Some("+XAVERYLONGURCNAME2"))
                .fields(const { &[Param::req("n", Ty::int(0, 9))] }),
        ];
        static L: Dialect = Dialect::new("L", "+X")
            .commands(
                const {
                    &[
                        Command::new("+XB", 1000, &[], &[]),
                        Command::new("+XA", 1000, &[], &[]),
                        Command::new("+xa", 1000, &[], &[]),
                        Command::new("+XAVERYLONGCOMMANDNAME", 1000, &[], &[]),
                    ]
                },
            )
            .messages(MESSAGES);
        let ix = Index::new(&L);
        assert_eq!(ix.command(b"+XA"), Some(1));
        assert_eq!(ix.command(b"+xB"), Some(0));
        assert_eq!(ix.command(b"+xaverylongcommandname"), Some(3));
        assert_eq!(ix.command(b"+XAVERYLONGCOMMANDNAMEX"), None);
        assert_eq!(ix.command(b""), None);
        let c = |line: &str| ix.classify(InFlight::None, &parts(line.as_bytes()));
        assert_eq!(c("+XS: 1"), Class::Urc(0));
        assert_eq!(c("+XAVERYLONGURCNAME1: 1"), Class::Urc(1));
        assert_eq!(c("+XAVERYLONGURCNAME2: 1"), Class::Urc(2));
        assert_eq!(c("+XAVERYLONGURCNAME3: 1"), Class::Unknown);
        assert_eq!(c("+XT: 1"), Class::Unknown);
    }

    /// `+XG`: a read answer `+XG: <state>`, a test answer `+XG: <states>`
    /// (a list) and a URC `+XG: <state>`, all of one field.
    static T: Dialect = {
        const MESSAGES: &[Message] = &[
            Message::info("State", Some("+XG"))
                .fields(const { &[Param::req("state", Ty::int(0, 1))] }),
            Message::info("States", Some("+XG"))
                .test()
                .fields(const { &[Param::req("state", Ty::Ranges)] }),
            Message::urc("Changed", Some("+XG"))
                .fields(const { &[Param::req("state", Ty::int(0, 1))] }),
        ];
        const FORMS: &[Form] = &[
            Form::read("Read").responses(&[0]),
            Form::test("Test").responses(&[1]),
        ];
        Dialect::new("T", "+X")
            .commands(const { &[Command::new("+XG", 1000, &[], FORMS)] })
            .messages(MESSAGES)
    };

    /// u-blox `+USORD`: data (3 fields), the amount waiting (2 integer
    /// fields) and nothing to read (`+USORD: 0,""`, an integer and a
    /// string); a SIMCom-like URC with a token and one ending in free
    /// text; a prefix with a blank.
    static KINDS: Dialect = {
        const S: Param = Param::req("socket", Ty::int(0, 6));
        const MESSAGES: &[Message] = &[
            Message::info("Data", Some("+USORD")).fields(
                const {
                    &[
                        S,
                        Param::req("length", Ty::int(0, 1024)),
                        Param::req("data", Ty::string(None)),
                    ]
                },
            ),
            Message::info("Waiting", Some("+USORD"))
                .fields(const { &[S, Param::req("length", Ty::int(0, 65535))] }),
            Message::info("Nothing", Some("+USORD"))
                .fields(const { &[S, Param::req("data", Ty::string(Some(0)))] }),
            Message::urc("Client", Some("+CLIENT")).fields(
                const {
                    &[
                        Param::req("link", Ty::int(0, 9)),
                        Param::req("client", Ty::Token),
                    ]
                },
            ),
            Message::urc("Event", Some("+XEV")).fields(
                const {
                    &[
                        Param::req("link", Ty::int(0, 9)),
                        Param::req("text", Ty::Text),
                    ]
                },
            ),
            Message::info("IpError", Some("+IP ERROR"))
                .fields(const { &[Param::req("info", Ty::Text)] }),
        ];
        const FORMS: &[Form] = &[Form::action("Read")
            .params(const { &[S] })
            .responses(&[0, 1, 2, 5])];
        Dialect::new("K", "+USO")
            .commands(const { &[Command::new("+USORD", 1000, &[], FORMS)] })
            .messages(MESSAGES)
    };

    #[test]
    fn test_answers_only_while_the_test_form_is_in_flight() {
        let ix = Index::new(&T);
        let c = |f, l: &str| ix.classify(f, &parts(l.as_bytes()));
        let (read, test) = (InFlight::Form(0, 0), InFlight::Form(0, 1));
        assert_eq!(c(test, "+XG: (0,1)"), Class::Response(1));
        assert_eq!(c(test, "+XG: (0-1)"), Class::Response(1));
        // Not a list: the URC, even while the test form is in flight.
        assert_eq!(c(test, "+XG: 1"), Class::Urc(2));
        // Another form, or only the command known: never the test answer.
        assert_eq!(c(read, "+XG: (0,1)"), Class::Response(0));
        assert_eq!(c(InFlight::Command(0), "+XG: (0,1)"), Class::Response(0));
        assert_eq!(c(InFlight::None, "+XG: (0,1)"), Class::Urc(2));
        assert_eq!(parts(b"+XG: (0-31,99),(0-7,99)").fields, 2);
        assert_eq!(int_field(b"(0,1),5", 1), Some(5));
        assert_eq!(int_field(b"(0,1),5", 0), None);
        assert_eq!(quoted_field(br#"(0,1),"a""#, 1), Some(&b"a"[..]));
        assert_eq!(field_opens(b" (0,1), 5", 1), Some(b'5'));
        assert_eq!(field_opens(b"1,", 1), None);
    }

    #[test]
    fn a_test_answer_parses_only_as_one_and_is_named_when_misplaced() {
        let m = crate::parse_message(&T, "+XG: (0,1)", Some((0, 1))).unwrap();
        assert_eq!((m.message, m.solicited), (1, true));
        assert_eq!(
            m.values.params,
            alloc::vec![Some(crate::Val::Str("(0,1)".into()))]
        );
        assert_eq!(crate::format_message(&T, 1, &m.values), "+XG: (0,1)");
        let e = crate::parse_message(&T, "+XG: (0,1)", Some((0, 0))).unwrap_err();
        let text = alloc::string::ToString::to_string(&e);
        assert!(
            text.contains("test command AT+XG=?, not to AT+XG?"),
            "{text}"
        );
        let e = crate::parse_message(&T, "+XG: (1-0)", Some((0, 1))).unwrap_err();
        let text = alloc::string::ToString::to_string(&e);
        assert!(text.contains("runs backwards"), "{text}");
    }

    /// `+IPD<len>` glued, beside `+IPDX: <id>` whose prefix starts alike.
    static G: Dialect = {
        const MESSAGES: &[Message] = &[
            Message::urc("Ipd", Some("+IPD"))
                .fields(const { &[Param::req("len", Ty::int(0, 1500))] })
                .glued(),
            Message::urc("Other", Some("+IPDX"))
                .fields(const { &[Param::req("id", Ty::int(0, 9))] }),
        ];
        Dialect::new("G", "+X").messages(MESSAGES)
    };

    #[test]
    fn a_glued_field_is_cut_from_its_prefix() {
        let index = Index::new(&G);
        let class =
            |line: &str| index.classify(InFlight::None, &index.unglue(parts(line.as_bytes())));
        assert_eq!(class("+IPD17"), Class::Urc(0));
        let p = index.unglue(parts(b"+IPD17"));
        assert_eq!(
            (p.prefix, p.body, p.fields),
            (Some(&b"+IPD"[..]), &b"17"[..], 1)
        );
        assert_eq!(class("+IPDX: 3"), Class::Urc(1));
        for not in ["+IPD", "+IPDX", "+IPD: 17", "+IPD1a", "+IPDX3"] {
            assert_eq!(class(not), Class::Unknown, "{not}");
        }
        let m = crate::parse_message(&G, "+IPD17", None).unwrap();
        assert_eq!(m.message, 0);
        assert_eq!(crate::format_message(&G, 0, &m.values), "+IPD17");
        assert!(crate::parse_message(&G, "+IPD1501", None).is_err());
        // Without a glued message, a line is cut as before.
        assert_eq!(
            Index::new(&D).unglue(parts(b"+XURC5")).prefix,
            Some(&b"+XURC5"[..])
        );
    }

    #[test]
    fn bare_and_quoted_fields_tell_messages_of_one_arity_apart() {
        let c =
            |line: &str| Index::new(&KINDS).classify(InFlight::Form(0, 0), &parts(line.as_bytes()));
        assert_eq!(c(r#"+USORD: 0,"""#), Class::Response(2));
        assert_eq!(c("+USORD: 0,23"), Class::Response(1));
        assert_eq!(c(r#"+USORD: 3,16,"16 bytes of data""#), Class::Response(0));
        // Quoted where both want an integer: neither of the two.
        assert_eq!(c(r#"+USORD: "0","""#), Class::Unknown);
        assert_eq!(field_kinds(&KINDS.messages[2].fields), (0b01, 0b10));
        assert!(kinds_cross(
            field_kinds(&KINDS.messages[1].fields),
            field_kinds(&KINDS.messages[2].fields)
        ));
        assert!(!kinds_cross(
            field_kinds(&KINDS.messages[0].fields),
            field_kinds(&KINDS.messages[1].fields)
        ));
    }

    #[test]
    fn free_text_after_fields_is_open_ended_and_blank_prefixes_match() {
        assert_eq!(
            KINDS.arity(&KINDS.messages[4]),
            Arity::Fields { min: 2, max: None }
        );
        let c = |f, line: &str| Index::new(&KINDS).classify(f, &parts(line.as_bytes()));
        assert_eq!(c(InFlight::None, "+XEV: 1,a, b, \"c\""), Class::Urc(4));
        assert_eq!(c(InFlight::None, "+CLIENT: 0,10.0.0.2:5000"), Class::Urc(3));
        assert_eq!(
            c(InFlight::Form(0, 0), "+IP ERROR: Network is already opened"),
            Class::Response(5)
        );
        assert_eq!(c(InFlight::None, "+IP ERROR: 4"), Class::Unknown);
    }

    #[test]
    fn arity_bounds() {
        let a = Arity::Fields {
            min: 3,
            max: Some(5),
        };
        assert!(!a.accepts(2) && a.accepts(3) && a.accepts(5) && !a.accepts(6));
        assert_eq!(a.width(), 2);
        assert!(Arity::Text.accepts(99));
        assert_eq!(Arity::Text.width(), usize::MAX);
    }
}
