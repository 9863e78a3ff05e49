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

/// The URC shapes, sorted by prefix for a binary search.
#[derive(Debug, Clone)]
pub(crate) struct UrcIndex {
    by_prefix: Vec<(&'static [u8], usize)>,
}

impl UrcIndex {
    pub(crate) fn new(dialect: &Dialect) -> Self {
        let mut by_prefix: Vec<(&'static [u8], usize)> = dialect
            .urcs
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.prefix.map(|p| (p.as_bytes(), i)))
            .collect();
        by_prefix.sort();
        UrcIndex { by_prefix }
    }

    fn with_prefix(&self, prefix: &[u8]) -> &[(&'static [u8], usize)] {
        let lo = self.by_prefix.partition_point(|(p, _)| *p < prefix);
        let hi = self.by_prefix.partition_point(|(p, _)| *p <= prefix);
        self.by_prefix.get(lo..hi).unwrap_or_default()
    }
}

/// A line cut into its prefix and body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'a> {
    pub(crate) prefix: Option<&'a [u8]>,
    pub(crate) body: &'a [u8],
    pub(crate) fields: usize,
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'_' | b'#' | b'&' | b'%' | b'$')
}

/// Cuts `+NAME: body` into prefix and body; a line that does not start
/// with `+NAME:` (or is only `+NAME`) is bare.
pub(crate) fn parts(line: &[u8]) -> Parts<'_> {
    let (prefix, body) = match line.split_first() {
        Some((b'+', rest)) => {
            let end = rest.iter().position(|&b| !is_name_byte(b));
            match end {
                None => (Some(line), &line[line.len()..]),
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
    while let Some(off) = body.get(i..).and_then(|s| memchr::memchr2(b',', b'"', s)) {
        let pos = i + off;
        if body.get(pos) == Some(&b',') {
            n += 1;
            i = pos + 1;
        } else {
            match body.get(pos + 1..).and_then(|s| memchr::memchr(b'"', s)) {
                Some(close) => i = pos + 1 + close + 1,
                // An open quote runs to the end of the line.
                None => break,
            }
        }
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

/// Classifies one line (without CR/LF) given the command in flight.
pub(crate) fn classify(
    dialect: &Dialect,
    index: &UrcIndex,
    pending: Option<&CommandMeta>,
    p: &Parts<'_>,
) -> Class {
    let resp = pending.and_then(|cmd| {
        let shapes = cmd
            .responses
            .iter()
            .enumerate()
            .filter(|(_, s)| match (s.prefix, p.prefix) {
                (Some(a), Some(b)) => a.as_bytes() == b,
                (None, None) => true,
                // Free text without a prefix takes any line the URCs leave.
                (None, Some(_)) => s.text,
                (Some(_), None) => false,
            });
        best(shapes, p.fields)
    });
    let urc = p.prefix.and_then(|prefix| {
        let shapes = index
            .with_prefix(prefix)
            .iter()
            .filter_map(|&(_, i)| dialect.urcs.get(i).map(|s| (i, s)));
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

    static BR: CommandMeta = CommandMeta {
        name: "+WIPBR",
        responses: &[LineShape::exact("+WIPBR", 3), LineShape::bare(2, 2)],
        timeout_ms: 1000,
        data_mode: DataMode::None,
    };
    static D: Dialect = Dialect {
        commands: &[],
        urcs: &[
            LineShape::exact("+WIPBR", 6),
            LineShape::exact("+WIPDATA", 3),
            LineShape::exact("+WIPDATA", 5),
            LineShape::free_text(Some("+WIPOPT")),
        ],
    };

    fn class(pending: Option<&CommandMeta>, line: &str) -> Class {
        let idx = UrcIndex::new(&D);
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
    fn wipbr_is_told_apart_by_arity() {
        assert_eq!(
            class(Some(&BR), r#"+WIPBR: 6,11,"APN""#),
            Class::Response(0)
        );
        assert_eq!(
            class(
                Some(&BR),
                r#"+WIPBR: 6,1,"1.1.1.1","2.2.2.2","3.3.3.3","4.4.4.4""#
            ),
            Class::Urc(0)
        );
        assert_eq!(class(None, r#"+WIPBR: 6,11,"APN""#), Class::Unknown);
        assert_eq!(class(Some(&BR), "6,1"), Class::Response(1));
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
        static OPT: CommandMeta = CommandMeta {
            name: "+WIPOPT",
            responses: &[LineShape::exact("+WIPOPT", 3)],
            timeout_ms: 1000,
            data_mode: DataMode::None,
        };
        // Exactly 3 fields is narrower than the free-text URC.
        assert_eq!(class(Some(&OPT), "+WIPOPT: 2,1,5"), Class::Response(0));
        assert_eq!(class(Some(&OPT), "+WIPOPT: 5,52,x,y"), Class::Urc(3));
    }
}
