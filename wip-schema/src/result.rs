//! Final result codes (manual 2.2, and the V.250 codes that end a call).
//!
//! One recognizer serves the runtime's framer, `wip verify` and `wip sim`.

use core::fmt;

/// A final result code: the line that ends a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Final {
    /// `OK`: the command line was executed.
    Ok,
    /// `ERROR`: the command syntax is incorrect (or `+CMEE` is 0).
    Error,
    /// `+CME ERROR: <err>` with `+CMEE=1`; `None` when the code is not a
    /// number (verbose `+CMEE=2` text).
    CmeError(Option<u32>),
    /// `+CMS ERROR: <err>`; `None` when the code is not a number.
    CmsError(Option<u32>),
    /// `CONNECT`: the line switches to data mode (6.1, 6.2).
    Connect,
    /// `NO CARRIER`.
    NoCarrier,
    /// `BUSY` (V.250): a call was refused.
    Busy,
    /// `NO ANSWER` (V.250).
    NoAnswer,
    /// `NO DIALTONE` (V.250).
    NoDialtone,
    /// A final result code the dialect declares
    /// ([`crate::Dialect::finals`]), recognized by [`Final::parse_in`].
    Custom {
        /// Its index in [`crate::Dialect::finals`].
        index: u16,
        /// Whether it reports success (`SEND OK`) rather than a failure.
        success: bool,
    },
}

impl Final {
    /// Whether this code reports a failure.
    pub fn is_error(&self) -> bool {
        match self {
            Final::Ok | Final::Connect => false,
            Final::Custom { success, .. } => !success,
            _ => true,
        }
    }

    /// Whether this is `+CME ERROR: 843`, the reset of a TCP socket while
    /// in data mode (6.2.5).
    pub fn is_connection_reset(&self) -> bool {
        *self == Final::CmeError(Some(843))
    }

    /// Whether this code ends a call (`NO CARRIER`, `BUSY`, `NO ANSWER`,
    /// `NO DIALTONE`).
    pub fn ends_call(&self) -> bool {
        matches!(
            self,
            Final::NoCarrier | Final::Busy | Final::NoAnswer | Final::NoDialtone
        )
    }

    /// Recognizes a built-in final result code in one line (without its
    /// CR/LF and outer blanks); [`Final::parse_in`] also knows the
    /// dialect's own.
    pub fn parse(line: &[u8]) -> Option<Final> {
        // Most lines are responses and URCs: rule them out at once.
        if !matches!(line.first(), Some(b'O' | b'E' | b'N' | b'C' | b'B' | b'+')) {
            return None;
        }
        match line {
            b"OK" => return Some(Final::Ok),
            b"ERROR" => return Some(Final::Error),
            b"NO CARRIER" => return Some(Final::NoCarrier),
            b"CONNECT" => return Some(Final::Connect),
            b"BUSY" => return Some(Final::Busy),
            b"NO ANSWER" => return Some(Final::NoAnswer),
            b"NO DIALTONE" => return Some(Final::NoDialtone),
            _ => {}
        }
        // `CONNECT <rate>` is the V.25ter long form.
        if line.starts_with(b"CONNECT ") {
            return Some(Final::Connect);
        }
        if line.get(1..4) != Some(b"CME") && line.get(1..4) != Some(b"CMS") {
            return None;
        }
        if let Some(rest) = line.strip_prefix(b"+CME ERROR") {
            return Some(Final::CmeError(code(after_colon(rest)?)));
        }
        if let Some(rest) = line.strip_prefix(b"+CMS ERROR") {
            return Some(Final::CmsError(code(after_colon(rest)?)));
        }
        None
    }
}

/// What follows the colon of `+CME ERROR: <err>` (blanks allowed before it).
fn after_colon(rest: &[u8]) -> Option<&[u8]> {
    rest.trim_ascii_start().strip_prefix(b":")
}

fn code(rest: &[u8]) -> Option<u32> {
    // `: 831`: one blank then digits, too few to overflow, read at once.
    if let Some(d) = rest.strip_prefix(b" ") {
        if !d.is_empty() && d.len() <= 9 {
            let mut v = 0u32;
            for &b in d {
                let x = b.wrapping_sub(b'0');
                if x > 9 {
                    return core::str::from_utf8(rest).ok()?.trim().parse().ok();
                }
                v = v * 10 + u32::from(x);
            }
            return Some(v);
        }
    }
    core::str::from_utf8(rest).ok()?.trim().parse().ok()
}

impl fmt::Display for Final {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Final::Ok => f.write_str("OK"),
            Final::Error => f.write_str("ERROR"),
            Final::CmeError(Some(n)) => write!(f, "+CME ERROR: {n}"),
            Final::CmeError(None) => f.write_str("+CME ERROR: ?"),
            Final::CmsError(Some(n)) => write!(f, "+CMS ERROR: {n}"),
            Final::CmsError(None) => f.write_str("+CMS ERROR: ?"),
            Final::Connect => f.write_str("CONNECT"),
            Final::NoCarrier => f.write_str("NO CARRIER"),
            Final::Busy => f.write_str("BUSY"),
            Final::NoAnswer => f.write_str("NO ANSWER"),
            Final::NoDialtone => f.write_str("NO DIALTONE"),
            // The text is the dialect's: `Dialect::final_text` gives it.
            Final::Custom { index, .. } => write!(f, "final result code #{index} of the spec"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_trim_then_parse_does() {
        for t in [
            "",
            " ",
            " 1",
            "1",
            " 007",
            " 999999999",
            " 4294967295",
            " 4294967296",
            " 1 ",
            "  3",
            " +3",
            " -3",
            " 3a",
            " \u{a0}3",
            " 0",
        ] {
            assert_eq!(code(t.as_bytes()), t.trim().parse().ok(), "{t:?}");
        }
    }

    #[test]
    fn parses_every_final_code() {
        assert_eq!(Final::parse(b"OK"), Some(Final::Ok));
        assert_eq!(Final::parse(b"ERROR"), Some(Final::Error));
        assert_eq!(
            Final::parse(b"+CME ERROR: 843"),
            Some(Final::CmeError(Some(843)))
        );
        assert_eq!(
            Final::parse(b"+CME ERROR:3"),
            Some(Final::CmeError(Some(3)))
        );
        assert_eq!(
            Final::parse(b"+CMS ERROR: 500"),
            Some(Final::CmsError(Some(500)))
        );
        assert_eq!(
            Final::parse(b"+CME ERROR: bad"),
            Some(Final::CmeError(None))
        );
        assert_eq!(Final::parse(b"CONNECT"), Some(Final::Connect));
        assert_eq!(Final::parse(b"CONNECT 9600"), Some(Final::Connect));
        assert_eq!(Final::parse(b"NO CARRIER"), Some(Final::NoCarrier));
        assert_eq!(Final::parse(b"BUSY"), Some(Final::Busy));
        assert_eq!(Final::parse(b"NO ANSWER"), Some(Final::NoAnswer));
        assert_eq!(Final::parse(b"NO DIALTONE"), Some(Final::NoDialtone));
        assert_eq!(
            Final::parse(b"+CME ERROR : 3"),
            Some(Final::CmeError(Some(3)))
        );
        assert_eq!(Final::parse(b"+CME ERRORS"), None);
        assert!(Final::Busy.ends_call() && !Final::Ok.ends_call());
        assert_eq!(Final::parse(b"OKAY"), None);
        assert_eq!(Final::parse(b"+WIPBR: 1"), None);
        assert!(Final::parse(b"+CME ERROR: 843").is_some_and(|f| f.is_connection_reset()));
    }

    #[test]
    fn displays_as_on_the_wire() {
        assert_eq!(Final::CmeError(Some(831)).to_string(), "+CME ERROR: 831");
        assert_eq!(Final::NoCarrier.to_string(), "NO CARRIER");
    }
}
