//! Telling an information response from a URC (manual 2.2, and the
//! shared prefixes of `+WIPBR:`, `+WIPDATA:`, `+WIPOPT:`).
//!
//! The rule: a line is matched against the responses of the command in
//! flight and against the URCs, by prefix and by field count. When both
//! match, the narrower shape (fewer accepted field counts) wins, and on a
//! tie the response of the command in flight wins, since the modem sends
//! it right then. So `+WIPBR: 6,11,"APN"` (3 fields) during `AT+WIPBR=3,..`
//! is the response and `+WIPBR: 6,1,"10.0.0.1",...` (6 fields) is the
//! bearer URC, whatever is in flight.

use crate::meta::{CommandMeta, Dialect, LineShape};
use alloc::vec::Vec;

/// Where a line was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// A response shape of the command in flight.
    Response(usize),
    /// A URC shape of the dialect.
    Urc(usize),
    /// Neither.
    Unknown,
}

/// A prefix packed into an integer, so that a lookup compares integers
/// rather than calling `memcmp` on short slices; `None` past 16 bytes.
/// Prefixes hold no NUL byte, so zero padding is unambiguous.
pub(crate) fn key(prefix: &[u8]) -> Option<u128> {
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
/// when the line is long enough.
fn key_in(line: &[u8], len: usize) -> Option<u128> {
    if len > 16 {
        return None;
    }
    match line.first_chunk::<16>() {
        Some(chunk) => {
            let mask = if len == 16 {
                u128::MAX
            } else {
                (1u128 << (8 * len)) - 1
            };
            Some(u128::from_le_bytes(*chunk) & mask)
        }
        None => key(line.get(..len)?),
    }
}

/// One shape with its prefix key.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Option<u128>,
    prefix: Option<&'static [u8]>,
    shape: usize,
}

impl Entry {
    fn matches(&self, prefix: &[u8], prefix_key: Option<u128>) -> bool {
        match (self.key, prefix_key) {
            (Some(x), Some(y)) => x == y,
            _ => self.prefix == Some(prefix),
        }
    }
}

/// The dialect's shapes and command names with their keys, built once per
/// framer so that a line costs integer compares.
#[derive(Debug, Clone)]
pub(crate) struct Index {
    urcs: Vec<Entry>,
    responses: Vec<Vec<Entry>>,
    commands: Vec<&'static str>,
}

fn entries(shapes: &'static [LineShape], keep_bare: bool) -> Vec<Entry> {
    shapes
        .iter()
        .enumerate()
        .filter(|(_, s)| keep_bare || s.prefix.is_some())
        .map(|(i, s)| Entry {
            key: s.prefix.and_then(|p| key(p.as_bytes())),
            prefix: s.prefix.map(str::as_bytes),
            shape: i,
        })
        .collect()
}

impl Index {
    pub(crate) fn new(dialect: &Dialect) -> Self {
        Index {
            // A URC without a prefix would match every line.
            urcs: entries(dialect.urcs, false),
            responses: dialect
                .commands
                .iter()
                .map(|c| entries(c.responses, true))
                .collect(),
            commands: dialect.commands.iter().map(|c| c.name).collect(),
        }
    }

    /// The index of a command by name, in any ASCII case.
    pub(crate) fn command(&self, name: &[u8]) -> Option<usize> {
        self.commands
            .iter()
            .position(|n| n.len() == name.len() && n.as_bytes().eq_ignore_ascii_case(name))
    }
}

/// A line cut into its prefix and body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'a> {
    /// The whole line.
    pub(crate) line: &'a [u8],
    pub(crate) prefix: Option<&'a [u8]>,
    pub(crate) body: &'a [u8],
    pub(crate) fields: usize,
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
/// with `+NAME:` (or is only `+NAME`) is bare.
pub(crate) fn parts(line: &[u8]) -> Parts<'_> {
    let (prefix, body) = match line.split_first() {
        Some((b'+', rest)) => {
            let end = rest.iter().position(|&b| !is_name_byte(b));
            match end {
                None => (Some(line), line.get(line.len()..).unwrap_or_default()),
                Some(n) if rest.get(n) == Some(&b':') => {
                    let body = rest.get(n + 1..).unwrap_or_default();
                    (line.get(..n + 1), body.trim_ascii_start())
                }
                Some(_) => (None, line),
            }
        }
        _ => (None, line),
    };
    Parts {
        line,
        prefix,
        body,
        fields: count_fields(body),
    }
}

/// Counts comma-separated fields, commas inside quotes excluded; an empty
/// body has none (manual 2.1).
pub(crate) fn count_fields(body: &[u8]) -> usize {
    if body.iter().all(|&b| b == b' ' || b == b'\t') {
        return 0;
    }
    let mut n = 1;
    let mut i = 0;
    // Unquoted runs are short: a plain loop. Quoted strings may be long
    // (hex dumps): memchr to their end.
    while let Some(&b) = body.get(i) {
        match b {
            b',' => n += 1,
            b'"' => match body.get(i + 1..).and_then(|s| memchr::memchr(b'"', s)) {
                Some(close) => i += close + 1,
                // An open quote runs to the end of the line.
                None => break,
            },
            _ => {}
        }
        i += 1;
    }
    n
}

fn best<'s>(
    shapes: impl Iterator<Item = (usize, &'s LineShape)>,
    fields: usize,
) -> Option<(usize, usize)> {
    shapes
        .filter(|(_, s)| s.accepts(fields))
        .map(|(i, s)| (s.width(), i))
        .min()
        .map(|(w, i)| (i, w))
}

/// Classifies one line (without CR/LF) given the command in flight (its
/// index in the dialect).
pub(crate) fn classify(
    dialect: &Dialect,
    index: &Index,
    pending: Option<usize>,
    p: &Parts<'_>,
) -> Class {
    let line_key = p.prefix.and_then(|pre| key_in(p.line, pre.len()));
    let resp = pending.and_then(|cmd| {
        let meta: &CommandMeta = dialect.commands.get(cmd)?;
        let shapes = index
            .responses
            .get(cmd)?
            .iter()
            .filter(|e| match (e.prefix, p.prefix) {
                (Some(_), Some(b)) => e.matches(b, line_key),
                (None, None) => true,
                // Free text without a prefix takes any line the URCs leave.
                (None, Some(_)) => meta.responses.get(e.shape).is_some_and(|s| s.text),
                (Some(_), None) => false,
            })
            .filter_map(|e| meta.responses.get(e.shape).map(|s| (e.shape, s)));
        best(shapes, p.fields)
    });
    let urc = p.prefix.and_then(|prefix| {
        let shapes = index
            .urcs
            .iter()
            .filter(|e| e.matches(prefix, line_key))
            .filter_map(|e| dialect.urcs.get(e.shape).map(|s| (e.shape, s)));
        best(shapes, p.fields)
    });
    match (resp, urc) {
        (Some((_, rw)), Some((u, uw))) if uw < rw => Class::Urc(u),
        (Some((r, _)), _) => Class::Response(r),
        (None, Some((u, _))) => Class::Urc(u),
        (None, None) => Class::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::DataMode;

    const BR: usize = 0;
    const OPT: usize = 1;
    static D: Dialect = Dialect {
        commands: &[
            CommandMeta {
                name: "+WIPBR",
                responses: &[LineShape::exact("+WIPBR", 3), LineShape::bare(2, 2)],
                timeout_ms: 1000,
                data_mode: DataMode::None,
            },
            CommandMeta {
                name: "+WIPOPT",
                responses: &[LineShape::exact("+WIPOPT", 3)],
                timeout_ms: 1000,
                data_mode: DataMode::None,
            },
            CommandMeta {
                name: "+AVERYLONGCOMMANDNAME",
                responses: &[LineShape::exact("+AVERYLONGRESPONSENAME", 1)],
                timeout_ms: 1000,
                data_mode: DataMode::None,
            },
        ],
        urcs: &[
            LineShape::exact("+WIPBR", 6),
            LineShape::exact("+WIPDATA", 3),
            LineShape::exact("+WIPDATA", 5),
            LineShape::free_text(Some("+WIPOPT")),
            LineShape::free_text(None),
        ],
    };

    fn class(pending: Option<usize>, line: &str) -> Class {
        let idx = Index::new(&D);
        classify(&D, &idx, pending, &parts(line.as_bytes()))
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
        assert_eq!(parts(b"+a b: 1").prefix, None);
    }

    #[test]
    fn keys_tell_prefixes_apart() {
        assert_ne!(key(b"+WIPDATA"), key(b"+WIPDATARW"));
        assert_eq!(key(b"+WIPDATA"), key(b"+WIPDATA"));
        assert_eq!(key(&[b'A'; 17]), None);
        let idx = Index::new(&D);
        assert_eq!(idx.command(b"+wipopt"), Some(OPT));
        assert_eq!(idx.command(b"+averylongcommandname"), Some(2));
        assert_eq!(idx.command(b"+WIPCFG"), None);
    }

    #[test]
    fn long_prefixes_still_match() {
        assert_eq!(
            class(Some(2), "+AVERYLONGRESPONSENAME: 1"),
            Class::Response(0)
        );
        assert_eq!(class(Some(2), "+AVERYLONGRESPONSENAMEX: 1"), Class::Unknown);
    }

    #[test]
    fn wipbr_is_told_apart_by_arity() {
        assert_eq!(class(Some(BR), r#"+WIPBR: 6,11,"APN""#), Class::Response(0));
        assert_eq!(
            class(
                Some(BR),
                r#"+WIPBR: 6,1,"1.1.1.1","2.2.2.2","3.3.3.3","4.4.4.4""#
            ),
            Class::Urc(0)
        );
        assert_eq!(class(None, r#"+WIPBR: 6,11,"APN""#), Class::Unknown);
        assert_eq!(class(Some(BR), "6,1"), Class::Response(1));
        // A URC without a prefix is ignored.
        assert_eq!(class(None, "6,1"), Class::Unknown);
    }

    #[test]
    fn wipdata_urc_has_two_arities() {
        assert_eq!(class(None, "+WIPDATA: 2,1,1460"), Class::Urc(1));
        assert_eq!(
            class(None, r#"+WIPDATA: 1,1,10,"192.168.1.2",1357"#),
            Class::Urc(2)
        );
        assert_eq!(class(None, "+WIPDATA: 1,1"), Class::Unknown);
    }

    #[test]
    fn narrower_shape_wins_a_tie() {
        // Exactly 3 fields is narrower than the free-text URC.
        assert_eq!(class(Some(OPT), "+WIPOPT: 2,1,5"), Class::Response(0));
        assert_eq!(class(Some(OPT), "+WIPOPT: 5,52,x,y"), Class::Urc(3));
    }
}
