//! Data mode on the modem's side of the line (manual 6.1.1-6.1.3,
//! 6.2.2-6.2.5, 6.2.11.1).
//!
//! After `CONNECT` the bytes are payload. In continuous mode they are
//! unescaped and a lone ETX becomes a mark; in continuous transparent mode
//! they pass untouched. Data mode ends with a final result code framed by
//! CR LF, which is looked for only where the manual puts one: right after a
//! lone ETX (`+CME ERROR: 843` on a TCP reset, 6.2.5; `OK` at the end of a
//! `+WIPFILE` transfer, 6.1.8) and after the host sent `+++` (6.2.4), and
//! all along in an upload, where the modem sends no payload (it leaves by
//! itself when an MMS file passes its declared size, 6.1.9). A TCP
//! session in continuous mode also watches for `\r\nSHUTDOWN\r\n` (6.2.2.1).
//! After the host's `+++`, a CR LF framed URC of the spec that comes before
//! the final result code is that URC (erratum E42). Bytes that may begin
//! such a line are held back until the line is decided, at most
//! [`MAX_INDICATION`] bytes ([`MAX_ESCAPED_URC`] after a `+++`).

use wip_schema::{DataMode, Dialect, Outcome, ParsedCommand};

pub use wip_schema::{EtxMeaning, Final};

/// The longest CR LF framed indication looked for in data mode, framing
/// included (`\r\n+CME ERROR: 65535\r\n` is 21 bytes).
pub const MAX_INDICATION: usize = 32;

/// The longest CR LF framed URC looked for between the host's `+++` and
/// the final result code that ends data mode (erratum E42: a URC that
/// became due meanwhile, a peer's close, comes before the `OK`), framing
/// included. The longest URC of rev 009, a data offline block
/// `+WIPDATARW: 2,8,65535,65535,"<400 hex digits>"`, is 434 bytes framed.
pub const MAX_ESCAPED_URC: usize = 512;

/// How the payload is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Escaping {
    /// Continuous mode: DLE/ETX escaping, a lone ETX is a mark (6.2.2).
    #[default]
    Continuous,
    /// Continuous transparent mode: bytes pass untouched (6.2.3, 6.1.3).
    Transparent,
}

/// What the framer must know about a data mode before `CONNECT` arrives.
/// It comes from the spec: the outcome of the form the command line
/// selects ([`wip_schema::outcome`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DataSession {
    /// Continuous or transparent.
    pub escaping: Escaping,
    /// What a lone ETX means in continuous mode (6.2.2.3, 6.1.2); `None`
    /// when the session was not announced, or the spec does not say.
    pub etx: Option<EtxMeaning>,
    /// The session only carries data from the host (an upload: the spec's
    /// `Outcome::upload`): the modem sends no payload, so a final result
    /// code framed by CR LF is the modem leaving data mode by itself (an
    /// MMS file cut at its declared size, 6.1.9), looked for all along.
    pub upload: bool,
}

impl DataSession {
    /// The session a spec's data-mode outcome describes; `None` for a
    /// hex-dump (data offline) session, which never answers `CONNECT`.
    pub fn from_outcome(o: &Outcome) -> Option<DataSession> {
        match o.data {
            DataMode::HexDump => None,
            DataMode::Transparent => Some(DataSession {
                escaping: Escaping::Transparent,
                etx: None,
                upload: o.upload,
            }),
            DataMode::Continuous => Some(DataSession {
                escaping: Escaping::Continuous,
                etx: o.etx,
                upload: o.upload,
            }),
        }
    }

    /// The session a command line opens according to a spec: the line is
    /// parsed by the command-set engine and its form's outcome taken.
    /// `None` when the line does not parse or opens no `CONNECT` session.
    pub fn for_line(spec: &Dialect, line: &str) -> Option<DataSession> {
        let p = wip_schema::parse_command(spec, line).ok()?;
        Self::for_command(spec, &p)
    }

    /// The session a parsed command line opens, from its form's outcome.
    pub fn for_command(spec: &Dialect, p: &ParsedCommand) -> Option<DataSession> {
        wip_schema::outcome(spec, p).and_then(Self::from_outcome)
    }

    /// Whether the modem may send `\r\nSHUTDOWN\r\n` in this session: TCP
    /// in continuous mode (6.2.2.1, 6.2.11.1).
    pub fn watches_shutdown(&self) -> bool {
        self.escaping == Escaping::Continuous && self.etx == Some(EtxMeaning::Shutdown)
    }
}

/// The result of looking at bytes that start with CR in data mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Indication {
    /// A final result code line of this many bytes, framing included.
    Final(Final, usize),
    /// `\r\nSHUTDOWN\r\n` (12 bytes).
    Shutdown(usize),
    /// After the host's `+++`: a URC of the dialect (its message index),
    /// this many bytes with its CR LF framing (see [`MAX_ESCAPED_URC`]).
    Urc(usize, usize),
    /// Not an indication: the CR is data.
    No,
    /// Cannot tell yet.
    More,
}

fn allowed(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b' ' | b'+' | b':')
}

/// Looks for an indication at the start of `b` (which starts with CR).
pub(crate) fn indication(b: &[u8], finals: bool, shutdown: bool) -> Indication {
    match b.get(1) {
        None => return Indication::More,
        Some(b'\n') => {}
        Some(_) => return Indication::No,
    }
    let content_max = MAX_INDICATION - 4;
    for (k, &c) in b.iter().enumerate().skip(2) {
        if c == b'\r' {
            match b.get(k + 1) {
                None => return Indication::More,
                Some(b'\n') => {}
                Some(_) => return Indication::No,
            }
            let content = b.get(2..k).unwrap_or_default();
            if shutdown && content == b"SHUTDOWN" {
                return Indication::Shutdown(k + 2);
            }
            return match Final::parse(content) {
                Some(f) if finals && f != Final::Connect => Indication::Final(f, k + 2),
                _ => Indication::No,
            };
        }
        if !allowed(c) || k - 2 >= content_max {
            return Indication::No;
        }
    }
    Indication::More
}

/// What the bytes at a CR begin after the host's `+++`: [`escaped_line`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscapedLine {
    /// A line `\r\n+…\r\n` of printable ASCII, of this many bytes with
    /// its CR LF framing: a URC if the spec has one of its shape.
    Line(usize),
    /// Cannot tell yet: more bytes are needed.
    More,
    /// No such line: the CR is data.
    No,
}

/// After the host's `+++`, looks for a line that may be a URC at the
/// start of `b` (which starts with CR): `\r\n+…\r\n` of printable ASCII,
/// at most [`MAX_ESCAPED_URC`] bytes (erratum E42). The framer and `wip
/// tap` read the modem's bytes after an escape so.
pub fn escaped_line(b: &[u8]) -> EscapedLine {
    match b.get(1) {
        None => return EscapedLine::More,
        Some(b'\n') => {}
        Some(_) => return EscapedLine::No,
    }
    match b.get(2) {
        None => return EscapedLine::More,
        Some(b'+') => {}
        Some(_) => return EscapedLine::No,
    }
    for (k, &c) in b.iter().enumerate().skip(3) {
        if c == b'\r' {
            return match b.get(k + 1) {
                None => EscapedLine::More,
                Some(b'\n') => EscapedLine::Line(k + 2),
                Some(_) => EscapedLine::No,
            };
        }
        if !(b' '..=b'~').contains(&c) || k + 2 >= MAX_ESCAPED_URC {
            return EscapedLine::No;
        }
    }
    EscapedLine::More
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_indications() {
        let ok = b"\r\nOK\r\nrest";
        assert_eq!(indication(ok, true, false), Indication::Final(Final::Ok, 6));
        assert_eq!(indication(ok, false, false), Indication::No);
        assert_eq!(
            indication(b"\r\n+CME ERROR: 843\r\n", true, false),
            Indication::Final(Final::CmeError(Some(843)), 19)
        );
        assert_eq!(
            indication(b"\r\nSHUTDOWN\r\n", false, true),
            Indication::Shutdown(12)
        );
        assert_eq!(indication(b"\r\nSHUT", false, true), Indication::More);
        assert_eq!(indication(b"\r", true, true), Indication::More);
        assert_eq!(indication(b"\rx", true, true), Indication::No);
        assert_eq!(indication(b"\r\nok\r\n", true, true), Indication::No);
        assert_eq!(indication(b"\r\nCONNECT\r\n", true, true), Indication::No);
        assert_eq!(
            indication(&[b'\r', b'\n', b'A'].repeat(20), true, true),
            Indication::No
        );
    }

    #[test]
    fn finds_lines_after_an_escape() {
        use EscapedLine::{Line, More, No};
        assert_eq!(escaped_line(b"\r\n+WIPPEERCLOSE: 2,1\r\nOK"), Line(22));
        assert_eq!(escaped_line(b"\r\n+WIPPEERCLOSE: 2"), More);
        assert_eq!(escaped_line(b"\r"), More);
        assert_eq!(escaped_line(b"\r\n"), More);
        assert_eq!(escaped_line(b"\r\nOK\r\n"), No);
        assert_eq!(escaped_line(b"\r\n+A\x01\r\n"), No);
        assert_eq!(escaped_line(b"\r\n+A\rx"), No);
        let mut long = b"\r\n+".to_vec();
        long.resize(MAX_ESCAPED_URC + 8, b'A');
        assert_eq!(escaped_line(&long), No);
        let mut fits = b"\r\n+".to_vec();
        fits.resize(MAX_ESCAPED_URC - 2, b'A');
        fits.extend_from_slice(b"\r\n");
        assert_eq!(escaped_line(&fits), Line(MAX_ESCAPED_URC));
    }
}
