//! Direct decoding of a modem line already known to be one message: what
//! the decoder generated for each message (the `direct` section of
//! `__typed_message!`) reads the line with.
//!
//! The generated decoder knows its message's fields (types, ranges, value
//! sets, lengths, discriminators, rules) and reads them in one pass with a
//! [`Cursor`]: integers parsed as they are scanned, quoted strings found
//! with `memchr`, hex dumps and IPv4 addresses checked in one loop each,
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
#[inline]
pub fn body<'a>(prefix: Option<&str>, glued: bool, line: &'a str) -> Option<&'a str> {
    match prefix {
        None => Some(line),
        Some(p) if glued => {
            let rest = line.strip_prefix(p)?;
            crate::classify::glued_body(rest.as_bytes()).then_some(rest)
        }
        Some(p) => {
            let rest = line.strip_prefix(p)?;
            let rest = fields::trim_start(rest).strip_prefix(':')?;
            Some(fields::trim_start(rest))
        }
    }
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
        Cursor {
            f: fields::iter(body),
        }
    }

    #[inline(always)]
    fn bytes(&self) -> &'a [u8] {
        self.f.s.as_bytes()
    }

    #[inline(always)]
    fn skip_blanks(&mut self) {
        let b = self.bytes();
        while b.get(self.f.i).copied().is_some_and(blank) {
            self.f.i += 1;
        }
    }

    /// After a field and its blanks: the end of the line (no field left)
    /// or a comma (a field follows, empty if nothing does).
    #[inline(always)]
    fn separator(&mut self) -> Option<()> {
        match self.bytes().get(self.f.i) {
            None => {
                self.f.done = true;
                Some(())
            }
            Some(b',') => {
                self.f.i += 1;
                Some(())
            }
            Some(_) => None,
        }
    }

    /// The next field, an unquoted decimal integer (optionally `-`), blanks
    /// around it; `None` for anything else, and for an integer `i64` does
    /// not hold.
    #[inline(always)]
    pub fn int(&mut self) -> Option<i64> {
        if self.f.done {
            return None;
        }
        self.skip_blanks();
        let b = self.bytes();
        let start = self.f.i;
        let neg = b.get(start) == Some(&b'-');
        let digits = start + usize::from(neg);
        let mut i = digits;
        let mut mag: u64 = 0;
        while let Some(d) = b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|d| *d <= 9) {
            mag = mag.wrapping_mul(10).wrapping_add(u64::from(d));
            i += 1;
        }
        let n = match i - digits {
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
            _ => crate::value::parse_int(self.f.s.get(start..i)?)?,
        };
        self.f.i = i;
        self.skip_blanks();
        self.separator()?;
        Some(n)
    }

    /// The next field, quoted, without its quotes (blanks around the
    /// quotes); `None` for an unquoted or empty field.
    #[inline(always)]
    pub fn quoted(&mut self) -> Option<&'a str> {
        if self.f.done {
            return None;
        }
        self.skip_blanks();
        let b = self.bytes();
        let start = self.f.i + 1;
        if b.get(self.f.i) != Some(&b'"') {
            return None;
        }
        let len = memchr::memchr(b'"', b.get(start..)?)?;
        let s = self.f.s.get(start..start + len)?;
        self.f.i = start + len + 1;
        self.skip_blanks();
        self.separator()?;
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

    /// The next field, a quoted hex dump of at most `max_bytes` bytes.
    #[inline]
    pub fn hex(&mut self, max_bytes: u32) -> Option<&'a str> {
        let s = self.quoted()?;
        (s.len() % 2 == 0
            && s.len() / 2 <= max_bytes as usize
            && crate::value::all_hex(s.as_bytes()))
        .then_some(s)
    }

    /// The next field, a quoted dotted IPv4 address that both the engine
    /// ([`crate::value::is_ipv4`]) and [`Ipv4Addr`]'s parser read (no
    /// part with a leading zero), and its text.
    #[inline]
    pub fn ipv4(&mut self) -> Option<(Ipv4Addr, &'a str)> {
        let s = self.quoted()?;
        Some((parse_ipv4(s.as_bytes())?, s))
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
    /// written ones), each read by [`Cursor::value`], in order; `None`
    /// for an option the engine must bind (a repeated group, optional
    /// values, rules, more than [`OPTION_VALUES`] values) or a value that
    /// does not fit.
    #[inline]
    pub fn option_values(
        &mut self,
        d: &Dialect,
        opt: &Opt,
        read: bool,
    ) -> Option<[Option<ValRef<'a>>; OPTION_VALUES]> {
        let (params, rest) = if read {
            (&opt.read, &opt.read_rest)
        } else {
            (&opt.values, &opt.rest)
        };
        if rest.is_some() || !opt.rules.is_empty() || params.len() > OPTION_VALUES {
            return None;
        }
        let mut out = [None; OPTION_VALUES];
        for (slot, p) in out.iter_mut().zip(params.iter()) {
            if p.optional {
                return None;
            }
            *slot = Some(self.value(d, &p.ty)?);
        }
        Some(out)
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

/// `a.b.c.d`, each part 1-3 digits without a leading zero, at most 255.
fn parse_ipv4(s: &[u8]) -> Option<Ipv4Addr> {
    let mut out = [0u8; 4];
    let mut part = 0usize;
    let mut len = 0u8;
    let mut val = 0u16;
    for &b in s {
        if b == b'.' {
            *out.get_mut(part)? = u8::try_from(val).ok()?;
            if len == 0 || part == 3 {
                return None;
            }
            part += 1;
            (len, val) = (0, 0);
        } else {
            let d = b.wrapping_sub(b'0');
            if d > 9 || len == 3 || (len == 1 && val == 0) {
                return None;
            }
            len += 1;
            val = val * 10 + u16::from(d);
        }
    }
    if part != 3 || len == 0 {
        return None;
    }
    *out.get_mut(3)? = u8::try_from(val).ok()?;
    Some(Ipv4Addr::from(out))
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
