//! Values of parameters, and how one field of a line fits a type.

use crate::fields::Field;
use crate::ranges::Ranges;
use crate::types::{Dialect, Lit, Ty};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// A value on the wire: integers unquoted, everything else a string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Val {
    /// An integer (plain or coded).
    Int(i64),
    /// A string, host, IP address, hex dump or free text (without quotes),
    /// or a list of ranges as written (`(0-31,99)`).
    Str(String),
}

impl Val {
    /// The integer, if it is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Val::Int(v) => Some(*v),
            Val::Str(_) => None,
        }
    }

    /// The string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Int(_) => None,
            Val::Str(s) => Some(s),
        }
    }
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Int(v) => write!(f, "{v}"),
            Val::Str(s) => write!(f, "\"{s}\""),
        }
    }
}

impl From<&Lit> for Val {
    fn from(l: &Lit) -> Self {
        match l {
            Lit::Int(v) => Val::Int(*v),
            Lit::Str(s) => Val::Str(s.to_string()),
        }
    }
}

/// How a field fits a type.
pub(crate) enum Fit {
    /// It is a value of the type.
    Ok(Val),
    /// It is not even of the type's kind (quoted where a number is due):
    /// an optional parameter may be skipped over it.
    Mismatch(String),
    /// It is of the right kind but not a valid value: a hard error.
    Invalid(String),
}

/// Checks a value against a type, the same way parsing does; `Err` holds
/// the message.
pub fn check_value(d: &Dialect, ty: &Ty, v: &Val) -> Result<(), String> {
    match (ty, v) {
        (Ty::Int { .. } | Ty::Enum { .. } | Ty::Code { .. }, Val::Int(n)) => check_int(d, ty, *n),
        (Ty::Int { .. } | Ty::Enum { .. } | Ty::Code { .. }, Val::Str(s)) => Err(format!(
            "is \"{s}\", a string, where {} is expected",
            d.allowed(ty)
        )),
        (_, Val::Int(n)) => Err(format!(
            "is {n}, an integer, where {} is expected",
            d.allowed(ty)
        )),
        (_, Val::Str(s)) => check_text(d, ty, s),
    }
}

/// Whether string `s`, quoted on the wire, holds as a value of `ty` as a
/// command line's values must: no double quote or line end (which AT
/// strings cannot carry), and [`check_value`] passes. Generated requests
/// check their string fields with it (`ty` a constant of theirs) before
/// writing their line directly; a `false` sends them through the
/// engine's check, which names the fault.
pub fn quoted_holds(d: &Dialect, ty: &Ty, s: &str) -> bool {
    !s.contains(['"', '\r', '\n']) && check_text(d, ty, s).is_ok()
}

fn check_int(d: &Dialect, ty: &Ty, n: i64) -> Result<(), String> {
    match ty {
        Ty::Int { min, max } if n < *min || n > *max => {
            Err(format!("= {n} is outside {min}..={max}"))
        }
        Ty::Enum { allowed, .. } if !allowed.contains(&n) => {
            Err(format!("= {n} is not one of {}", d.allowed(ty)))
        }
        Ty::Code { .. } if !crate::direct::code(d, ty, n) => {
            Err(format!("= {n} is not {}", d.allowed(ty)))
        }
        _ => Ok(()),
    }
}

/// Whether `s` is written as a decimal integer (`-` then digits), whatever
/// its size: one past the range of `i64` is still an integer, only out of
/// range.
fn is_int_literal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The message of an integer too large for `i64`: the range or values the
/// type allows, as [`check_int`] words them.
fn out_of_i64(d: &Dialect, ty: &Ty, s: &str) -> String {
    match ty {
        Ty::Int { min, max } => format!("= {s} is outside {min}..={max}"),
        Ty::Enum { .. } => format!("= {s} is not one of {}", d.allowed(ty)),
        _ => format!("= {s} is not {}", d.allowed(ty)),
    }
}

fn check_text(d: &Dialect, ty: &Ty, s: &str) -> Result<(), String> {
    let len = || s.chars().count();
    match ty {
        Ty::Str { max_len: Some(m) }
        | Ty::Host { max_len: Some(m) }
        | Ty::HostAny { max_len: Some(m) }
            if s.len() > *m as usize && len() > *m as usize =>
        {
            Err(format!(
                "= \"{s}\" is {} characters long, more than the {m} allowed",
                len()
            ))
        }
        Ty::Host { .. } if !is_host(s) => Err(format!(
            "= \"{s}\" is not a host name or IPv4 address{}",
            host_fault(s)
        )),
        Ty::Ip if !is_ipv4(s) => Err(format!("= \"{s}\" is not a dotted IPv4 address")),
        Ty::HostAny { .. } if !is_host(s) && !is_ipv6(s) => Err(format!(
            "= \"{s}\" is not a host name, IPv4 or IPv6 address{}",
            host_fault(s)
        )),
        Ty::IpAny if !is_ipv4(s) && !is_ipv6(s) => {
            Err(format!("= \"{s}\" is not an IPv4 or IPv6 address"))
        }
        Ty::Token if !is_token(s) => Err(format!("= {s:?} is not {}", d.allowed(ty))),
        Ty::StrEnum { allowed, .. } if !allowed.iter().any(|a| a == s) => {
            Err(format!("= \"{s}\" is not one of {}", d.allowed(ty)))
        }
        Ty::Ranges => match Ranges::parse(s) {
            Ok(_) => Ok(()),
            Err(e) => Err(format!("= {s} is not {} ({e})", d.allowed(ty))),
        },
        Ty::Hex { max_bytes } => {
            if s.len() % 2 != 0 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
                Err(format!(
                    "= \"{s}\" is not a hex dump (an even number of hex digits)"
                ))
            } else if s.len() / 2 > *max_bytes as usize {
                Err(format!(
                    "holds {} bytes, more than the {max_bytes} allowed",
                    s.len() / 2
                ))
            } else {
                Ok(())
            }
        }
        _ => {
            let _ = d;
            Ok(())
        }
    }
}

/// Fits one field to a type.
pub(crate) fn fit(d: &Dialect, ty: &Ty, f: &Field<'_>) -> Fit {
    match (ty, f) {
        (_, Field::Empty) => Fit::Mismatch("is empty".into()),
        (Ty::Int { .. } | Ty::Enum { .. } | Ty::Code { .. }, Field::Bare(s)) => {
            match parse_int(s) {
                Some(n) => match check_int(d, ty, n) {
                    Ok(()) => Fit::Ok(Val::Int(n)),
                    Err(m) => Fit::Invalid(m),
                },
                None if is_int_literal(s) => Fit::Invalid(out_of_i64(d, ty, s)),
                None => Fit::Mismatch(format!("= {s} is not an integer")),
            }
        }
        (Ty::Int { .. } | Ty::Enum { .. } | Ty::Code { .. }, Field::Quoted(s)) => Fit::Mismatch(
            format!("is \"{s}\", a quoted string, where an integer is expected"),
        ),
        (Ty::Text, f) => Fit::Ok(Val::Str(f.to_string())),
        (Ty::Ranges, Field::Bare(s)) if s.starts_with('(') => match Ranges::parse(s) {
            Ok(_) => Fit::Ok(Val::Str(s.to_string())),
            Err(e) => Fit::Invalid(format!("= {s} is not {} ({e})", d.allowed(ty))),
        },
        (Ty::Ranges, f) => Fit::Mismatch(format!("= {f} is not {}", d.allowed(ty))),
        (Ty::Token, Field::Bare(s)) if is_token(s) => Fit::Ok(Val::Str(s.to_string())),
        (Ty::Token, Field::Bare(s)) => Fit::Mismatch(format!(
            "= {s} is an integer; {} is expected",
            d.allowed(ty)
        )),
        (Ty::Token, Field::Quoted(s)) => Fit::Mismatch(format!(
            "is \"{s}\", a quoted string, where {} is expected",
            d.allowed(ty)
        )),
        (_, Field::Bare(s)) => Fit::Mismatch(format!(
            "= {s} is not quoted; {} is expected",
            d.allowed(ty)
        )),
        (_, Field::Quoted(s)) => match check_text(d, ty, s) {
            Ok(()) => Fit::Ok(Val::Str(s.to_string())),
            Err(m) => Fit::Invalid(m),
        },
    }
}

/// A string parameter sent without its quotes (`AT+WIPBR=2,6,11,internet`):
/// real modems take the bare text as the string (erratum E40 of the spec).
/// `None` where the tolerance does not apply: a type other than a plain
/// string, a quoted or empty field, or a bare integer (which belongs to
/// an integer parameter).
pub(crate) fn bare_string(d: &Dialect, ty: &Ty, f: &Field<'_>) -> Option<Fit> {
    match (ty, f) {
        // A quote in it could not be written back: a quoted string has no
        // escape for one.
        (Ty::Str { .. }, Field::Bare(s)) if s.contains('"') => Some(Fit::Invalid(
            "a string without quotes cannot hold a `\"`".into(),
        )),
        (Ty::Str { .. }, Field::Bare(s)) if parse_int(s).is_none() => {
            Some(match check_text(d, ty, s) {
                Ok(()) => Fit::Ok(Val::Str(s.to_string())),
                Err(m) => Fit::Invalid(m),
            })
        }
        _ => None,
    }
}

/// An integer option value sent in quotes (`AT+WIPBR=2,4,23,"1"`, as the
/// manual's own example of 4.2.6 writes it; erratum E08): the text is read
/// as the bare integer would be, range and set checked. `None` where the
/// tolerance does not apply: a type other than an integer or enumerated
/// one, a bare or empty field, or quoted text that is no integer.
pub(crate) fn quoted_int(d: &Dialect, ty: &Ty, f: &Field<'_>) -> Option<Fit> {
    match (ty, f) {
        (Ty::Int { .. } | Ty::Enum { .. }, Field::Quoted(s)) if parse_int(s).is_some() => {
            match fit(d, ty, &Field::Bare(s)) {
                Fit::Mismatch(_) => None,
                other => Some(other),
            }
        }
        _ => None,
    }
}

/// Whether an integer is a value of an integer or enumerated type (any
/// integer for other types), as [`check_value`] finds, without building
/// its message.
pub(crate) fn int_fits(ty: &Ty, n: i64) -> bool {
    match ty {
        Ty::Int { min, max } => (*min..=*max).contains(&n),
        Ty::Enum { allowed, .. } => allowed.contains(&n),
        _ => true,
    }
}

/// Whether `n` is a code of error table number `table` (or in one of its
/// reserved ranges).
pub(crate) fn code_fits(d: &Dialect, table: Option<usize>, n: i64) -> bool {
    u32::try_from(n).is_ok_and(|c| match table {
        Some(t) => d.error_tables.get(t).is_some_and(|t| t.accepts(c)),
        None => d.error_text(c).is_some(),
    })
}

/// Whether a string is a value of a text type, as [`check_value`] finds.
pub(crate) fn text_fits(d: &Dialect, ty: &Ty, s: &str) -> bool {
    match ty {
        // Lengths count characters; a string of no more bytes than the
        // limit has no more characters either.
        Ty::Str { max_len: Some(m) } if s.len() <= *m as usize => true,
        Ty::Str { max_len: None } | Ty::Text | Ty::Counted { .. } => true,
        Ty::StrEnum { allowed, .. } => allowed.iter().any(|a| a == s),
        Ty::Hex { max_bytes } => {
            s.len() % 2 == 0 && s.len() / 2 <= *max_bytes as usize && all_hex(s.as_bytes())
        }
        _ => check_text(d, ty, s).is_ok(),
    }
}

/// Whether every byte is a hex digit; without an early exit, so that the
/// compiler can check many bytes at once (dumps are long).
///
/// Each byte is mapped to a number below 10 exactly when it is a hex
/// digit: `c - b'0'` for a decimal digit, `(c | 0x20) - b'a' + 4`
/// (saturating) for a letter, the smaller of the two kept; the largest over
/// the dump is then below 10. Three byte operations and a minimum and
/// maximum a byte, which the compiler runs on 16 bytes at once (unsigned
/// byte minimum and maximum are vector instructions of every x86-64 CPU),
/// where a test of two ranges on each byte compiles to more.
pub(crate) fn all_hex(b: &[u8]) -> bool {
    b.iter().fold(0u8, |worst, &c| {
        let digit = c.wrapping_sub(b'0');
        let letter = (c | 0x20).wrapping_sub(b'a').saturating_add(4);
        worst.max(digit.min(letter))
    }) < 10
}

#[cfg(test)]
mod hex_tests {
    use super::all_hex;

    /// Every byte value, alone and inside a dump long enough for the
    /// compiler's vector loop, against the definition.
    #[test]
    fn all_hex_takes_exactly_the_hex_digits() {
        for c in 0..=255u8 {
            let want = c.is_ascii_hexdigit();
            assert_eq!(all_hex(&[c]), want, "byte {c:#04x}");
            for at in [0, 17, 63] {
                let mut dump = [b'a'; 64];
                if let Some(d) = dump.get_mut(at) {
                    *d = c;
                }
                assert_eq!(all_hex(&dump), want, "byte {c:#04x} at {at}");
            }
        }
        assert!(all_hex(b""));
        assert!(all_hex(b"0123456789abcdefABCDEF"));
    }
}

/// A decimal integer, optionally signed; no blanks, no `+` inside.
pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    signed_digits(neg, digits.as_bytes())
}

/// The value of ASCII decimal `digits` (at least one, nothing else),
/// negated when `neg`; `None` past the range of `i64`. Digits are checked
/// and summed in one pass.
pub(crate) fn signed_digits(neg: bool, digits: &[u8]) -> Option<i64> {
    if digits.is_empty() {
        return None;
    }
    let mut mag: u64 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        mag = mag.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    if neg {
        0i64.checked_sub_unsigned(mag)
    } else {
        i64::try_from(mag).ok()
    }
}

/// A value of [`Ty::Token`]: not empty, not an integer, no comma, quote
/// or line end, no blank at either end.
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && parse_int(s).is_none() && !s.contains([',', '"', '\r', '\n']) && s.trim() == s
}

/// `a.b.c.d` with each part 0-255, no leading `+` or blanks, and no
/// leading zero in a part of two or three digits (`01.2.3.4` is no
/// address: the manual prints dotted decimal, 4.2.3, and a leading zero
/// reads as octal to many resolvers): what [`core::net::Ipv4Addr`] reads,
/// so that the engine and the typed decode agree.
pub fn is_ipv4(s: &str) -> bool {
    // One pass over the bytes: 4 parts of 1-3 digits, each at most 255.
    let (mut dots, mut len, mut val) = (0u8, 0u8, 0u16);
    for &b in s.as_bytes() {
        if b == b'.' {
            if len == 0 || dots == 3 {
                return false;
            }
            dots += 1;
            (len, val) = (0, 0);
        } else if b.is_ascii_digit() && len < 3 && !(len == 1 && val == 0) {
            len += 1;
            val = val * 10 + u16::from(b - b'0');
            if val > 255 {
                return false;
            }
        } else {
            return false;
        }
    }
    dots == 3 && len > 0
}

/// An IPv6 address in the text forms of RFC 4291 2.2 (`2001:db8::1`,
/// `::ffff:10.0.0.1`), as [`core::net::Ipv6Addr`] reads them.
pub fn is_ipv6(s: &str) -> bool {
    s.contains(':') && s.parse::<core::net::Ipv6Addr>().is_ok()
}

/// Why `s`, which [`is_host`] refuses, is no host name, for the message
/// (`: its label "a…" is 64 characters long, more than 63`); empty when
/// nothing more precise can be said.
fn host_fault(s: &str) -> String {
    // A fully qualified name may end with the root's dot (`a.example.`).
    let name = match s.strip_suffix('.') {
        Some(n) if !n.is_empty() => n,
        _ => s,
    };
    if name.is_empty() {
        return ": it is empty".into();
    }
    if name.len() > 253 {
        return format!(
            ": it is {} characters long, more than 253",
            s.chars().count()
        );
    }
    for l in name.split('.') {
        if l.is_empty() {
            return ": it has an empty label (two dots, or a dot at its start)".into();
        }
        if l.len() > 63 {
            return format!(
                ": its label \"{l}\" is {} characters long, more than 63",
                l.chars().count()
            );
        }
        if let Some(c) = l
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            return format!(": {c:?} is not a letter, digit, '-' or '_'");
        }
        if l.starts_with('-') || l.ends_with('-') {
            return format!(": its label \"{l}\" starts or ends with '-'");
        }
    }
    // RFC 1123 2.1: a name's last label is not all digits, so that a
    // name is never taken for a dotted address (`999.999.999.999`).
    if name
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return ": it is written in digits and dots, but is no dotted IPv4 address (each part 0-255, four parts)".into();
    }
    String::new()
}

/// A DNS name (letters, digits, `-`, `_` and dots, labels of at most 63
/// characters, 253 in all) or an IPv4 address.
pub fn is_host(s: &str) -> bool {
    if is_ipv4(s) {
        return true;
    }
    host_fault(s).is_empty()
}

/// Integers for people, runs of three or more folded, comma-separated:
/// `0..=5, 12..=17` ([`fold_runs`] of plain numbers).
pub fn runs_text(values: &[i64]) -> String {
    fold_runs(
        values,
        |_| true,
        |v| v.to_string(),
        |a, b| format!("{a}..={b}"),
    )
    .join(", ")
}

/// A list of values for people, runs of three or more consecutive values
/// that `plain` (no name to show) folded into one range: `0, 1..=1460`
/// rather than 1,461 values. `item` writes one value, `range` a run.
pub fn fold_runs(
    values: &[i64],
    plain: impl Fn(i64) -> bool,
    item: impl Fn(i64) -> String,
    range: impl Fn(i64, i64) -> String,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&first) = values.get(i) {
        let mut j = i;
        while plain(first)
            && values.get(j + 1).is_some_and(|&next| {
                plain(next)
                    && values
                        .get(j)
                        .is_some_and(|&v| v.checked_add(1) == Some(next))
            })
        {
            j += 1;
        }
        if j >= i + 2 {
            out.push(range(first, values.get(j).copied().unwrap_or(first)));
        } else {
            out.extend(
                values
                    .get(i..=j)
                    .unwrap_or_default()
                    .iter()
                    .map(|&v| item(v)),
            );
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_plain_values_are_folded() {
        let plain = |v: i64| v != 5;
        let f = |v: &[i64]| fold_runs(v, plain, |v| v.to_string(), |a, b| format!("{a}..={b}"));
        assert_eq!(f(&[0, 1, 2, 3, 7]), ["0..=3", "7"]);
        assert_eq!(f(&[1, 2, 4, 5, 6, 7]), ["1", "2", "4", "5", "6", "7"]);
        assert_eq!(f(&[6, 7, 8]), ["6..=8"]);
        assert_eq!(f(&[]), Vec::<String>::new());
        assert_eq!(
            f(&[i64::MAX - 1, i64::MAX]),
            ["9223372036854775806", "9223372036854775807"]
        );
    }

    #[test]
    fn hosts_and_addresses() {
        assert!(is_ipv4("192.168.0.1") && is_ipv4("0.0.0.0"));
        for t in [
            "255.255.255.255",
            "010.0.0.1",
            "1.2.3.4.",
            ".1.2.3",
            "1.2.3.4.5",
            "1.2.3.",
            "1.2.3.256",
            "1.2.3.0255",
            "",
            "1.2.3.-1",
            "1.2.3. 4",
            "١.2.3.4",
        ] {
            let split = t.split('.').count() == 4
                && t.split('.').all(|p| {
                    !p.is_empty()
                        && p.len() <= 3
                        && p.bytes().all(|b| b.is_ascii_digit())
                        && p.parse::<u16>().is_ok_and(|n| n <= 255)
                        && !(p.len() > 1 && p.starts_with('0'))
                });
            assert_eq!(is_ipv4(t), split, "{t}");
            // As the standard library reads an address.
            assert_eq!(is_ipv4(t), t.parse::<core::net::Ipv4Addr>().is_ok(), "{t}");
        }
        // A leading zero: dotted decimal has none (4.2.3).
        for t in ["010.0.0.1", "1.2.3.04", "01.2.3.4", "1.00.3.4"] {
            assert!(!is_ipv4(t), "{t}");
        }
        assert!(is_ipv4("10.0.0.1") && is_ipv4("1.2.3.0") && is_ipv4("100.0.0.100"));
        assert!(
            !is_ipv4("256.1.1.1") && !is_ipv4("1.2.3") && !is_ipv4("1..2.3") && !is_ipv4("a.b.c.d")
        );
        assert!(is_host("www.sierrawireless.com") && is_host("ftp-server") && is_host("10.0.0.1"));
        assert!(!is_host("IP ADDR") && !is_host("") && !is_host("a..b"));
        // Digits and dots that are no address; a label around a '-'; the
        // root's dot of a fully qualified name.
        for t in [
            "999.999.999.999",
            "256.0.0.1",
            "1.2.3.4.5",
            "-a",
            "a-.b",
            "1.2.3.4.",
            ".",
        ] {
            assert!(!is_host(t), "{t}");
        }
        assert!(
            is_host("a.")
                && is_host("www.example.com.")
                && is_host("host-1.a1")
                && is_host("3com.com")
        );
        assert!(is_ipv6("2001:104::104:0:0") && is_ipv6("::1") && is_ipv6("::ffff:10.0.0.1"));
        assert!(!is_ipv6("10.0.0.1") && !is_ipv6("2001:::1") && !is_ipv6("fe80::1%eth0"));
    }

    #[test]
    fn tokens() {
        assert!(is_token("10.0.0.2:5000") && is_token("NETWORK CLOSED") && is_token("-"));
        assert!(!is_token("12") && !is_token("-3") && !is_token(""));
        assert!(!is_token("a,b") && !is_token("a\"b") && !is_token(" a") && !is_token("a "));
    }

    #[test]
    fn integers() {
        assert_eq!(parse_int("42"), Some(42));
        assert_eq!(parse_int("-1"), Some(-1));
        assert_eq!(parse_int("+1"), None);
        assert_eq!(parse_int("1e3"), None);
        assert_eq!(parse_int("99999999999999999999"), None);
        // The whole range of i64, as `str::parse` reads it, and no more.
        for t in ["-9223372036854775808", "9223372036854775807", "-0", "007"] {
            assert_eq!(parse_int(t), t.parse().ok(), "{t}");
        }
        for t in [
            "9223372036854775808",
            "-9223372036854775809",
            "-",
            "--1",
            "",
            "1 ",
            "١",
        ] {
            assert_eq!(parse_int(t), None, "{t}");
        }
    }
}
