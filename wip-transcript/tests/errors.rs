//! Errors carry their line number and the reader goes on after them.

mod common;
use common::*;
use std::io::{self, BufRead, BufReader, Read};
use wip_transcript::{decode_payload, parse_str, EscapeError, Event, ParseErrorKind, Reader};

/// The kinds of errors and the events, in order.
fn outcome(text: &str) -> Vec<Result<(usize, wip_transcript::Event), (usize, String)>> {
    all(text)
        .into_iter()
        .map(|r| match r {
            Ok((line, _, e)) => Ok((line, e)),
            Err(e) => Err((e.line, e.to_string())),
        })
        .collect()
}

#[test]
fn bad_hex_escape() {
    let v = outcome("CONNECT\n>> ab\\xZZ\n");
    assert_eq!(v[0], Ok((1, modem("CONNECT"))));
    assert_eq!(
        v[1],
        Err((
            2,
            "line 2: column 6: malformed payload escape `\\xZZ`: `\\x` needs two hex digits".into()
        ))
    );
    assert_eq!(v.len(), 2);
}

#[test]
fn escape_error_kinds() {
    let cases = [
        ("ab\\", 3, "\\"),
        ("\\x", 1, "\\x"),
        ("\\x4", 1, "\\x4"),
        ("\\x4g", 1, "\\x4g"),
        ("é\\q", 2, "\\q"),
        ("\\t", 1, "\\t"),
        ("\\x4\\n", 1, "\\x4"),
        ("\\ ", 1, "\\ "),
    ];
    for (payload, column, escape) in cases {
        assert_eq!(
            decode_payload(payload),
            Err(EscapeError {
                column,
                escape: escape.into()
            }),
            "{payload}"
        );
    }
    assert!(decode_payload("a\\")
        .unwrap_err()
        .to_string()
        .contains("lone backslash"));
    assert!(decode_payload("\\q")
        .unwrap_err()
        .to_string()
        .contains("unknown escape"));
}

#[test]
fn escape_error_column_counts_from_line_start() {
    let errs: Vec<_> = Reader::new("CONNECT\n  << abc\\q\n".as_bytes())
        .filter_map(Result::err)
        .collect();
    assert_eq!(errs.len(), 1);
    assert!(matches!(
        &errs[0].kind,
        ParseErrorKind::BadEscape(EscapeError { column: 9, escape }) if escape == "\\q"
    ));
}

#[test]
fn reader_continues_after_errors_and_keeps_data_mode() {
    let t = "CONNECT\n>> \\\n>> ok\n@\nOK\n@ x\n";
    let v = outcome(t);
    assert_eq!(v.len(), 6);
    assert_eq!(v[0], Ok((1, modem("CONNECT"))));
    assert!(
        matches!(&v[1], Err((2, m)) if m.contains("lone backslash")),
        "{:?}",
        v[1]
    );
    // A bad payload line does not end data mode.
    assert_eq!(v[2], Ok((3, host(b"ok"))));
    // A directive without a name is one no tool knows: read, and ignored
    // by the tools (transcript format: a tool ignores a directive it does
    // not know).
    assert!(
        matches!(&v[3], Ok((4, Event::Directive { name, args, .. })) if name.is_empty() && args.is_empty()),
        "{:?}",
        v[3]
    );
    assert_eq!(v[4], Ok((5, modem("OK"))));
    assert!(
        matches!(&v[5], Ok((6, Event::Directive { name, args, .. })) if name.is_empty() && args == "x"),
        "{:?}",
        v[5]
    );
}

#[test]
fn invalid_utf8_has_line_and_column() {
    let bytes: &[u8] = b"AT\nOK\xff\xfe\nAT\n";
    let v: Vec<_> = Reader::new(bytes).collect();
    assert_eq!(v.len(), 3);
    let err = v[1].as_ref().unwrap_err();
    assert_eq!(err.line, 2);
    assert!(matches!(
        err.kind,
        ParseErrorKind::InvalidUtf8 { column: 3 }
    ));
    assert_eq!(err.to_string(), "line 2: column 3: not valid UTF-8");
    assert_eq!(v[2].as_ref().unwrap().line, 3);
}

#[test]
fn bad_channel_directive() {
    let v = outcome("@channel\n@channel a b\nOK\n@channel a\"b\n@channel é\n");
    assert!(matches!(&v[3], Err((4, _))));
    assert!(matches!(&v[4], Err((5, _))));
    assert!(matches!(&v[0], Err((1, m)) if m.contains("exactly one channel name")));
    assert!(matches!(&v[1], Err((2, m)) if m.contains("`a b`")));
    // The channel did not change.
    assert_eq!(events_or_errors_channels("@channel a b\nOK\n"), vec!["1"]);
}

fn events_or_errors_channels(t: &str) -> Vec<String> {
    all(t)
        .into_iter()
        .filter_map(|r| r.ok().map(|(_, c, _)| c))
        .collect()
}

#[test]
fn too_long_line_is_skipped_and_reading_goes_on() {
    let long = "A".repeat(100);
    let t = format!("AT\n{long}\nOK\n{long}");
    let v: Vec<_> = Reader::new(t.as_bytes()).with_max_line_len(10).collect();
    assert_eq!(v.len(), 4);
    assert_eq!(v[0].as_ref().unwrap().value, cmd("AT"));
    let e = v[1].as_ref().unwrap_err();
    assert_eq!(e.line, 2);
    assert!(matches!(e.kind, ParseErrorKind::LineTooLong { limit: 10 }));
    assert_eq!(v[2].as_ref().unwrap().line, 3);
    assert_eq!(v[3].as_ref().unwrap_err().line, 4);
}

#[test]
fn line_at_the_limit_is_accepted_with_crlf() {
    let v: Vec<_> = Reader::new("0123456789\r\n".as_bytes())
        .with_max_line_len(10)
        .collect();
    assert_eq!(v[0].as_ref().unwrap().value, modem("0123456789"));
}

#[test]
fn too_long_line_over_small_chunks() {
    let t = format!("OK\n{}\nAT\n", "x".repeat(50));
    let r = BufReader::with_capacity(3, t.as_bytes());
    let v: Vec<_> = Reader::new(r).with_max_line_len(8).collect();
    assert_eq!(v.len(), 3);
    assert!(v[1].is_err());
    assert_eq!(v[2].as_ref().unwrap().value, cmd("AT"));
}

/// A source that fails after its data.
struct Failing<'a>(&'a [u8]);

impl Read for Failing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0.is_empty() {
            return Err(io::Error::other("unplugged"));
        }
        let n = self.0.len().min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn io_error_ends_the_iteration() {
    let r: Box<dyn BufRead> = Box::new(BufReader::new(Failing(b"AT\nOK\n")));
    let v: Vec<_> = Reader::new(r).collect();
    assert_eq!(v.len(), 3);
    let e = v[2].as_ref().unwrap_err();
    assert_eq!(e.line, 3);
    assert!(matches!(e.kind, ParseErrorKind::Io(_)));
    assert!(e.to_string().contains("unplugged"));
}

#[test]
fn parse_str_stops_at_the_first_error() {
    let e = parse_str("AT\nCONNECT\n>> \\x1\n@\n").unwrap_err();
    assert_eq!(e.line, 3);
}
