//! Direct decoding of a modem line already known to be one message: what
//! the decoder generated for each message (the `direct` section of
//! `__typed_message!`) reads the line with.
//!
//! The generated decoder knows its message's fields (types, ranges, value
//! sets, lengths, discriminators, rules) and reads them in one pass with a
//! [`Cursor`]: integers parsed as they are scanned, closing quotes found
//! eight bytes at a time ([`crate::classify::find_byte`]), hex dumps and
//! IPv4 addresses checked in one loop each,
//! every value converted straight into its typed field. It accepts a
//! strict subset of what [`crate::quick::bind`] accepts (blanks other than
//! spaces and tabs around a field, an integer of more digits than `i64`
//! holds, a field of a rare type are left to it) and checks everything it
//! checks, so that where it gives a value the engine gives the same one,
//! and where it gives up ([`None`]) the engine runs and says why.

use crate::fields::{self, Fields};
use crate::quick::ValRef;
use crate::types::{Dialect, Format, Opt, Ty};
use crate::value::Val;
use core::net::Ipv4Addr;

/// The part of `line` after `prefix:` (a glued prefix: after the prefix,
/// digits only), or the whole line without a prefix: what
/// [`crate::Message::body`] gives for a message of that prefix.
///
/// Always inlined: the generated decoders pass their prefix as a literal,
/// so that it is compared as a few integers of known length, and the usual
/// `: ` before a field is stepped over without trimming.
#[inline(always)]
pub fn body<'a>(prefix: Option<&str>, glued: bool, line: &'a str) -> Option<&'a str> {
    match prefix {
        None => Some(line),
        Some(p) if glued => {
            let rest = line.strip_prefix(p)?;
            crate::classify::glued_body(rest.as_bytes()).then_some(rest)
        }
        Some(p) => {
            let rest = line.strip_prefix(p)?;
            if let [b':', b' ', c, ..] = rest.as_bytes() {
                if *c < 0x80 && !fields::ascii_space(*c) {
                    return rest.get(2..);
                }
            }
            spaced_body(rest)
        }
    }
}

/// The body after a prefix, `rest` what follows it: blanks, a colon,
/// blanks.
fn spaced_body(rest: &str) -> Option<&str> {
    let rest = fields::trim_start(rest).strip_prefix(':')?;
    Some(fields::trim_start(rest))
}

/// The most values of one option [`Cursor::option_values`] reads.
pub const OPTION_VALUES: usize = 8;

/// Reads the fields of a message body one by one, each as the type the
/// generated decoder expects; every read is `None` where the engine's
/// binder would not read the same value (the decoder then gives up).
///
/// It walks the body as [`crate::fields::iter`] splits it, and a field of
/// a type it has no fast read for is split and fitted by the engine's own
/// code ([`Cursor::fit`]).
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    f: Fields<'a>,
}

/// Blanks a field may have around it on the fast paths.
fn blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl<'a> Cursor<'a> {
    /// A cursor at the first field of `body`.
    #[inline]
    pub fn new(body: &'a str) -> Self {
        // What `fields::iter` finds (a blank body has no field), without
        // trimming a body that opens with a field.
        let done = match body.as_bytes().first() {
            None => true,
            Some(&c) if c < 0x80 && !fields::ascii_space(c) => false,
            Some(_) => fields::trim(body).is_empty(),
        };
        Cursor {
            f: Fields {
                s: body,
                i: 0,
                done,
            },
        }
    }

    /// A cursor at the first field of the body [`body`] gives for `line`,
    /// where the framer already cut it into `body` (after the prefix, its
    /// colon and the ASCII blanks after it; after a glued prefix, its
    /// digits), so that the prefix is not compared again: at `body` as it
    /// is when it opens with an ASCII character other than a blank (the
    /// framer's cut and [`body`] then agree), at `line` cut again by
    /// [`body`] otherwise.
    #[inline(always)]
    pub fn framed(prefix: Option<&str>, glued: bool, line: &'a str, body: &'a str) -> Option<Self> {
        match body.as_bytes().first() {
            Some(&c) if c < 0x80 && !fields::ascii_space(c) && (!glued || c.is_ascii_digit()) => {
                Some(Cursor {
                    f: Fields {
                        s: body,
                        i: 0,
                        done: false,
                    },
                })
            }
            _ => Some(Cursor::new(self::body(prefix, glued, line)?)),
        }
    }

    #[inline(always)]
    fn bytes(&self) -> &'a [u8] {
        self.f.s.as_bytes()
    }

    /// Where the next field's text starts: after the blanks before it;
    /// `None` when every field has been read.
    #[inline(always)]
    fn field_start(&self) -> Option<usize> {
        if self.f.done {
            return None;
        }
        let b = self.bytes();
        let mut i = self.f.i;
        while b.get(i).copied().is_some_and(blank) {
            i += 1;
        }
        Some(i)
    }

    /// Where a quoted field's text starts: after the blanks and the
    /// opening quote; `None` for a field that does not open with a quote.
    #[inline(always)]
    fn quote_start(&self) -> Option<usize> {
        let i = self.field_start()?;
        (self.bytes().get(i) == Some(&b'"')).then_some(i + 1)
    }

    /// Ends the field whose text ends at byte `j`: blanks, then the end of
    /// the line (no field left) or a comma (a field follows, empty if
    /// nothing does); `None` for anything else.
    #[inline(always)]
    fn end_field(&mut self, mut j: usize) -> Option<()> {
        let b = self.bytes();
        loop {
            match b.get(j) {
                None => {
                    self.f.i = j;
                    self.f.done = true;
                    return Some(());
                }
                Some(b',') => {
                    self.f.i = j + 1;
                    return Some(());
                }
                Some(&c) if blank(c) => j += 1,
                Some(_) => return None,
            }
        }
    }

    /// The next field, an unquoted decimal integer (optionally `-`), blanks
    /// around it; `None` for anything else, and for an integer `i64` does
    /// not hold.
    ///
    /// A field of one digit followed by a comma or the end of the line (an
    /// index, a mode: the most frequent) is read inline; other fields of
    /// digits alone by one loop, out of line; others by
    /// `Cursor::int_spaced`.
    //
    // Only the one-digit read is inlined: a copy of the whole loop in
    // every generated decoder made the decoders of a message enum, inlined
    // together into the caller's match, larger than the instruction cache
    // holds beside the framer (24 KiB for the `vs_atat` bench's closure,
    // 15 KiB with the loop out of line). The value comes back in two
    // registers.
    #[inline(always)]
    pub fn int(&mut self) -> Option<i64> {
        // One digit, then a comma or the end of the line: the most
        // frequent field (an index, a mode), read where the decoder is, in
        // a few instructions and no call.
        if !self.f.done {
            let (b, i) = (self.bytes(), self.f.i);
            if let Some(&c) = b.get(i) {
                let d = c.wrapping_sub(b'0');
                if d <= 9 {
                    match b.get(i + 1) {
                        Some(b',') => {
                            self.f.i = i + 2;
                            return Some(i64::from(d));
                        }
                        None => {
                            self.f.i = i + 1;
                            self.f.done = true;
                            return Some(i64::from(d));
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        self.int_call()
    }

    /// [`Cursor::int`] of any other field, out of line.
    #[inline(never)]
    fn int_call(&mut self) -> Option<i64> {
        if self.f.done {
            return None;
        }
        let b = self.bytes();
        let start = self.f.i;
        let mut j = start;
        let mut mag: u64 = 0;
        while let Some(&c) = b.get(j) {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            mag = mag.wrapping_mul(10).wrapping_add(u64::from(d));
            j += 1;
        }
        // 18 digits cannot overflow.
        if (1..=18).contains(&(j - start)) {
            match b.get(j) {
                Some(b',') => {
                    self.f.i = j + 1;
                    return Some(mag as i64);
                }
                None => {
                    self.f.i = j;
                    self.f.done = true;
                    return Some(mag as i64);
                }
                Some(_) => {}
            }
        }
        self.int_spaced()
    }

    /// [`Cursor::int`] of a field with blanks around it, a sign or more
    /// than 18 digits.
    #[inline(never)]
    fn int_spaced(&mut self) -> Option<i64> {
        let start = self.field_start()?;
        let rest = self.bytes().get(start..)?;
        let neg = rest.first() == Some(&b'-');
        let digits = rest.get(usize::from(neg)..)?;
        let mut mag: u64 = 0;
        let mut n = 0;
        for &c in digits {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            mag = mag.wrapping_mul(10).wrapping_add(u64::from(d));
            n += 1;
        }
        let end = start + usize::from(neg) + n;
        let v = match n {
            0 => return None,
            // 18 digits cannot overflow; more go through the engine's parse.
            1..=18 => {
                let m = mag as i64;
                if neg {
                    -m
                } else {
                    m
                }
            }
            _ => crate::value::parse_int(self.f.s.get(start..end)?)?,
        };
        self.end_field(end)?;
        Some(v)
    }

    /// The next field, quoted, without its quotes (blanks around the
    /// quotes); `None` for an unquoted or empty field.
    #[inline(always)]
    pub fn quoted(&mut self) -> Option<&'a str> {
        let start = self.quote_start()?;
        let len = crate::classify::find_byte(b'"', self.bytes().get(start..)?)?;
        let s = self.f.s.get(start..start + len)?;
        self.end_field(start + len + 1)?;
        Some(s)
    }

    /// The next field, a quoted string of at most `max` characters (any
    /// length for `None`).
    #[inline]
    pub fn string(&mut self, max: Option<u32>) -> Option<&'a str> {
        let s = self.quoted()?;
        match max {
            Some(m) if s.len() > m as usize && s.chars().count() > m as usize => None,
            _ => Some(s),
        }
    }

    /// The next field, a quoted hex dump of at most `max_bytes` bytes:
    /// its closing quote looked for no further than one digit past the
    /// limit, its digits checked in one loop the compiler vectorizes.
    #[inline]
    pub fn hex(&mut self, max_bytes: u32) -> Option<&'a str> {
        let start = self.quote_start()?;
        let rest = self.bytes().get(start..)?;
        let limit = usize::try_from(max_bytes).ok()?.checked_mul(2)?;
        let window = rest.get(..limit.saturating_add(1)).unwrap_or(rest);
        let n = memchr::memchr(b'"', window)?;
        let digits = window.get(..n)?;
        if n % 2 != 0 || !crate::value::all_hex(digits) {
            return None;
        }
        let s = self.f.s.get(start..start + n)?;
        self.end_field(start + n + 1)?;
        Some(s)
    }

    /// The next field, a quoted dotted IPv4 address that both the engine
    /// ([`crate::value::is_ipv4`]) and [`Ipv4Addr`]'s parser read (no
    /// part with a leading zero), and its text: read in one pass up to its
    /// closing quote.
    #[inline]
    pub fn ipv4(&mut self) -> Option<(Ipv4Addr, &'a str)> {
        let start = self.quote_start()?;
        let rest = self.bytes().get(start..)?;
        let (ip, len) = ipv4_quoted(rest)?;
        let s = self.f.s.get(start..start + len)?;
        self.end_field(start + len + 1)?;
        Some((ip, s))
    }

    /// The next field, of any type, split and fitted by the engine's own
    /// code (what [`crate::quick::bind`] does for a present parameter):
    /// the fields of rare types. `None` for an empty field, or one that
    /// does not fit.
    pub fn fit(&mut self, d: &Dialect, ty: &Ty) -> Option<ValRef<'a>> {
        let body = self.f.s;
        match self.f.next()? {
            Ok(fields::Field::Empty) | Err(_) => None,
            Ok(f) => crate::quick::fit(d, body, ty, f),
        }
    }

    /// The next field, a present value of type `ty`, read on the fast
    /// paths where the type has one and fitted by the engine's own code
    /// otherwise; `None` where [`crate::quick::bind`] would not bind the
    /// same value.
    #[inline]
    pub fn value(&mut self, d: &Dialect, ty: &Ty) -> Option<ValRef<'a>> {
        match ty {
            Ty::Int { min, max } => {
                let n = self.int()?;
                (*min..=*max).contains(&n).then_some(ValRef::Int(n))
            }
            Ty::Enum { allowed, .. } => {
                let n = self.int()?;
                allowed.contains(&n).then_some(ValRef::Int(n))
            }
            Ty::Str { max_len } => self.string(*max_len).map(ValRef::Str),
            Ty::Hex { max_bytes } => self.hex(*max_bytes).map(ValRef::Str),
            Ty::Ip => self.ipv4().map(|(_, s)| ValRef::Str(s)),
            _ => self.fit(d, ty),
        }
    }

    /// The values of option `opt` (its read values with `read`, else its
    /// written ones), each read by [`Cursor::value`], in order, into
    /// `out`; `None` for an option the engine must bind (a repeated
    /// group, optional values, rules, more than [`OPTION_VALUES`] values)
    /// or a value that does not fit.
    #[inline]
    pub fn option_values(
        &mut self,
        d: &Dialect,
        opt: &Opt,
        read: bool,
        out: &mut [Option<ValRef<'a>>; OPTION_VALUES],
    ) -> Option<()> {
        let (params, rest) = if read {
            (&opt.read, &opt.read_rest)
        } else {
            (&opt.values, &opt.rest)
        };
        if rest.is_some() || !opt.rules.is_empty() || params.len() > OPTION_VALUES {
            return None;
        }
        for (slot, p) in out.iter_mut().zip(params.iter()) {
            if p.optional {
                return None;
            }
            *slot = Some(self.value(d, &p.ty)?);
        }
        Some(())
    }

    /// The whole body, as it is: the one field of a message of free text.
    pub fn all(&mut self) -> &'a str {
        self.f.done = true;
        self.f.s
    }

    /// Free text to the end of the line, blanks before it removed, commas
    /// and quotes included: a last field of type [`Ty::Text`] after
    /// others. `None` when every field has been read.
    pub fn tail(&mut self) -> Option<&'a str> {
        let t = self.f.rest()?;
        self.f.done = true;
        Some(t)
    }

    /// Whether every field has been read (none, not even an empty one, is
    /// left).
    #[inline]
    pub fn finish(&self) -> bool {
        self.f.done
    }
}

/// The address of `a.b.c.d"` at the start of `s` and the length of its
/// text (up to the quote): each part 1-3 digits without a leading zero, at
/// most 255. Such a text and its quote fit in 16 bytes: it reads the first
/// 16 bytes of `s` (padded with NULs past its end) as one array, so that
/// no read is checked against the end of `s`.
#[inline]
fn ipv4_quoted(s: &[u8]) -> Option<(Ipv4Addr, usize)> {
    match s.first_chunk::<16>() {
        Some(w) => ipv4_window(w),
        None => {
            let mut w = [0u8; 16];
            for (d, c) in w.iter_mut().zip(s) {
                *d = *c;
            }
            ipv4_window(&w)
        }
    }
}

/// [`ipv4_quoted`] of the first 16 bytes.
#[inline(always)]
fn ipv4_window(w: &[u8; 16]) -> Option<(Ipv4Addr, usize)> {
    // Parts start at most 4 bytes apart, so no index below passes 15;
    // the mask only shows the compiler that none can.
    let at = |i: usize| w.get(i & 15).copied().unwrap_or(0);
    let digit = |i: usize| at(i).wrapping_sub(b'0');
    let mut parts = [0u8; 4];
    let mut i = 0;
    for (k, part) in parts.iter_mut().enumerate() {
        if k > 0 {
            if at(i) != b'.' {
                return None;
            }
            i += 1;
        }
        let d0 = digit(i);
        if d0 > 9 {
            return None;
        }
        let d1 = digit(i + 1);
        if d1 > 9 {
            *part = d0;
            i += 1;
            continue;
        }
        if d0 == 0 {
            return None;
        }
        let d2 = digit(i + 2);
        if d2 > 9 {
            *part = d0 * 10 + d1;
            i += 2;
            continue;
        }
        let v = u16::from(d0) * 100 + u16::from(d1) * 10 + u16::from(d2);
        *part = u8::try_from(v).ok()?;
        i += 3;
    }
    let [a, b, c, d] = parts;
    (at(i) == b'"').then(|| (Ipv4Addr::new(a, b, c, d), i))
}

/// `a.b.c.d`, each part 1-3 digits without a leading zero, at most 255.
#[cfg(test)]
fn parse_ipv4(s: &[u8]) -> Option<Ipv4Addr> {
    let mut q = s.to_vec();
    q.push(b'"');
    let short = match ipv4_quoted(&q) {
        Some((ip, n)) if n == s.len() => Some(ip),
        _ => None,
    };
    // The same text with the rest of a line after it, read in place
    // rather than padded.
    q.extend_from_slice(b",\"255.255.255.255\",1");
    let long = match ipv4_quoted(&q) {
        Some((ip, n)) if n == s.len() => Some(ip),
        _ => None,
    };
    assert_eq!(short, long, "{}", String::from_utf8_lossy(s));
    short
}

/// Whether integer `v` is a value of `ty`, a [`Ty::Code`]: its success
/// value or a code of its table, as the engine finds (`false` for another
/// type).
#[inline]
pub fn code(d: &Dialect, ty: &Ty, v: i64) -> bool {
    match ty {
        Ty::Code { table, success } => *success == Some(v) || crate::value::code_fits(d, *table, v),
        _ => false,
    }
}

/// Whether integer `v` has the format `min..=max` digits, as
/// [`Format::matches`] finds.
#[inline]
pub fn digits(v: i64, min: u32, max: u32) -> bool {
    Format::Digits { min, max }.matches(&Val::Int(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_as_the_engine_and_the_parser_both_do() {
        for t in [
            "0.0.0.0",
            "10.0.0.1",
            "255.255.255.255",
            "010.0.0.1",
            "1.2.3.04",
            "1.2.3.256",
            "1.2.3",
            "1.2.3.4.",
            ".1.2.3",
            "1..2.3",
            "1.2.3.4.5",
            "100.200.250.255",
            "255.255.255.2555",
            "9.99.199.0",
            "1.2.3.-1",
            "1.2.3. 4",
            "1234.1.1.1",
            "",
            "a.b.c.d",
        ] {
            let both = crate::value::is_ipv4(t)
                .then(|| t.parse::<Ipv4Addr>().ok())
                .flatten();
            assert_eq!(parse_ipv4(t.as_bytes()), both, "{t}");
        }
    }

    /// `Cursor::int`, with its inline one-digit read, reads every field
    /// as the out-of-line digit loop alone (`Cursor::int_call`) does.
    #[test]
    fn integers_read_as_the_digit_loop_reads_them() {
        // Every body of up to 5 bytes over these, and longer ones.
        let alphabet = b"09,5 -a\"/:\0";
        let mut bodies: Vec<String> = vec![String::new()];
        let mut last = bodies.clone();
        for _ in 0..5 {
            let mut next = Vec::new();
            for b in &last {
                for &c in alphabet {
                    let mut s = b.clone();
                    s.push(char::from(c));
                    next.push(s);
                }
            }
            bodies.extend(next.iter().cloned());
            last = next;
        }
        for t in [
            "1,22,333,4444,55555,666666,7777777,88888888,999999999",
            "65535,65535,4294967295",
            "123456789012345678,1234567890123456789",
            "1,2,\"ab\",3",
            "7,",
            ",7",
            " 7 ,8",
        ] {
            bodies.push(t.to_string());
        }
        for body in &bodies {
            // From every field, as the fields before were read.
            for skip in 0..4 {
                let (mut a, mut b) = (Cursor::new(body), Cursor::new(body));
                for _ in 0..skip {
                    a.f.next();
                    b.f.next();
                }
                for _ in 0..8 {
                    let (x, y) = (a.int(), b.int_call());
                    assert_eq!(x, y, "{body:?} after {skip}");
                    assert_eq!((a.f.i, a.f.done), (b.f.i, b.f.done), "{body:?}");
                    if x.is_none() {
                        break;
                    }
                }
            }
        }
    }

    #[test]
    fn integers_and_strings_read_field_by_field() {
        let mut c = Cursor::new(r#" 12 ,-3,"a,b" , 0042"#);
        assert_eq!(c.int(), Some(12));
        assert_eq!(c.int(), Some(-3));
        assert_eq!(c.quoted(), Some("a,b"));
        assert!(!c.finish());
        assert_eq!(c.int(), Some(42));
        assert!(c.finish());
        assert_eq!(c.int(), None);
        // A trailing comma leaves a field behind it.
        let mut c = Cursor::new("1,");
        assert_eq!(c.int(), Some(1));
        assert!(!c.finish());
        // Not an integer, a stray character, too large for i64.
        assert_eq!(Cursor::new("1a").int(), None);
        assert_eq!(Cursor::new("\"1\"").int(), None);
        assert_eq!(Cursor::new("-").int(), None);
        // Digits alone, then a comma or the end: the one-loop read.
        let mut c = Cursor::new("0042,7");
        assert_eq!((c.int(), c.int(), c.finish()), (Some(42), Some(7), true));
        let mut c = Cursor::new("123456789012345678,1234567890123456789");
        assert_eq!(c.int(), Some(123_456_789_012_345_678));
        assert_eq!(c.int(), Some(1_234_567_890_123_456_789));
        assert_eq!(Cursor::new("12 x").int(), None);
        assert_eq!(Cursor::new("12\"").int(), None);
        assert_eq!(Cursor::new("99999999999999999999").int(), None);
        assert_eq!(
            Cursor::new("-9223372036854775808").int(),
            Some(i64::MIN),
            "the engine's parse takes over past 18 digits"
        );
        assert_eq!(Cursor::new(r#""ab"x"#).quoted(), None);
        assert_eq!(Cursor::new(r#""ab"#).quoted(), None);
        assert_eq!(Cursor::new("\"0aFf\"").hex(2), Some("0aFf"));
        assert_eq!(Cursor::new("\"0aF\"").hex(2), None);
        assert_eq!(Cursor::new("\"0aFf00\"").hex(2), None);
        assert_eq!(Cursor::new("\"é\"").string(Some(1)), Some("é"));
        assert_eq!(Cursor::new("\"éé\"").string(Some(1)), None);
    }

    #[test]
    fn bodies_are_the_messages_bodies() {
        assert_eq!(body(Some("+X"), false, "+X: 1,2"), Some("1,2"));
        assert_eq!(body(Some("+X"), false, "+X :  1"), Some("1"));
        assert_eq!(body(Some("+X"), false, "+Y: 1"), None);
        assert_eq!(body(Some("+X"), false, "+X 1"), None);
        assert_eq!(body(Some("+IPD"), true, "+IPD12"), Some("12"));
        assert_eq!(body(Some("+IPD"), true, "+IPD"), None);
        assert_eq!(body(None, false, "a,b"), Some("a,b"));
    }
}
