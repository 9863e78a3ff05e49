//! Raw data after a response or URC in the framer (schema point 5): the
//! counted bytes or the next line are taken raw (`OK` in them does not end
//! the command), reported as one payload event, whatever the chunking.

use proptest::prelude::*;
use wip_runtime::framer::{Framer, FramerConfig, OwnedEvent};
use wip_runtime::Dialect;

/// tests/specs/payload.ron: +CIPRXGET (counted), +CMGR (a line), +XRECV
/// (a URC, counted).
fn payloads() -> &'static Dialect {
    static D: std::sync::OnceLock<Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/payload.ron");
        wip_spec::load_file(&p)
            .expect("the payload spec checks")
            .dialect
    })
}

fn feed(cmd: &str, bytes: &[u8], cuts: &[usize], max_line: usize) -> Vec<OwnedEvent> {
    let mut points: Vec<usize> = cuts
        .iter()
        .copied()
        .filter(|&c| c <= bytes.len())
        .chain([0, bytes.len()])
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut f = Framer::with_config(payloads(), FramerConfig { max_line });
    f.sent(cmd);
    let mut out = Vec::new();
    for w in points.windows(2) {
        out.extend(f.feed_owned(&bytes[w[0]..w[1]]));
    }
    out
}

fn kinds(ev: &[OwnedEvent]) -> Vec<String> {
    ev.iter()
        .map(|e| match e {
            OwnedEvent::Payload(b) => format!("payload {:?}", String::from_utf8_lossy(b)),
            OwnedEvent::Response { line, .. } => format!("response {}", line.text),
            OwnedEvent::Urc { line, .. } => format!("urc {}", line.text),
            OwnedEvent::Final(f) => format!("final {f}"),
            OwnedEvent::Unknown(b) => format!("unknown {}", String::from_utf8_lossy(b)),
            other => format!("{other:?}"),
        })
        .collect()
}

const RXGET: &[u8] =
    b"\r\n+CIPRXGET: 2,0,17,0\r\nHTTP/1.0 200 OK\r\n\r\nOK\r\n\r\n+XRECV: 1,3\r\n\r\nOK\r\n";
const IPD: &[u8] = b"\r\n+IPD6\r\nOK\r\n,\"\r\n+IPD0\r\n\r\n+IPDX\r\n+IPD12a\r\n";
const USORD: &[u8] = b"\r\n+USORD: 3,10,\"a\"b,\r\nOK\r\n\"\r\n\r\nOK\r\n";
const USORD_HEX: &[u8] = b"\r\n+USORD: 3,2,\"4F4B\"\r\n\r\nOK\r\n";
const USORD_WAITING: &[u8] = b"\r\n+USORD: 3,23\r\n\r\nOK\r\n";
const CMGR: &[u8] = b"\r\n+CMGR: \"REC READ\",\"+49\"\r\nOK\r\n\r\nOK\r\n";
const EMPTY: &[u8] = b"\r\n+CMGR: \"REC READ\",\"+49\"\r\n\r\n\r\nOK\r\n";

#[test]
fn counted_bytes_ending_in_ok_do_not_end_the_command() {
    let ev = feed("AT+CIPRXGET=2,0,17", RXGET, &[], 4096);
    assert_eq!(
        kinds(&ev),
        [
            "response +CIPRXGET: 2,0,17,0",
            "payload \"HTTP/1.0 200 OK\\r\\n\"",
            "final OK",
            "urc +XRECV: 1,3",
            "payload \"\\r\\nO\"",
            "unknown K",
        ]
    );
}

#[test]
fn a_glued_count_is_read_after_its_prefix() {
    let ev = feed("AT", IPD, &[], 4096);
    assert_eq!(
        kinds(&ev),
        [
            "urc +IPD6",
            "payload \"OK\\r\\n,\\\"\"",
            "urc +IPD0",
            "payload \"\"",
            "unknown +IPDX",
            "unknown +IPD12a",
        ]
    );
    // The body of the glued line is its field.
    let OwnedEvent::Urc { line, .. } = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!((line.prefix(), line.body()), (Some("+IPD"), "6"));
}

#[test]
fn a_counted_field_is_read_by_count_from_its_opening_quote() {
    let ev = feed("AT+USORD=3,10", USORD, &[], 4096);
    assert_eq!(
        kinds(&ev),
        [
            "response +USORD: 3,10,\"\"",
            "payload \"a\\\"b,\\r\\nOK\\r\\n\"",
            "final OK",
        ]
    );
    let ev = feed("AT+USORD=3,2", USORD_HEX, &[], 4096);
    assert_eq!(
        kinds(&ev),
        ["response +USORD: 3,2,\"\"", "payload \"4F4B\"", "final OK"]
    );
    let ev = feed("AT+USORD=3,0", USORD_WAITING, &[], 4096);
    assert_eq!(kinds(&ev), ["response +USORD: 3,23", "final OK"]);
}

#[test]
fn a_line_payload_is_taken_even_when_it_reads_ok_or_is_empty() {
    let ev = feed("AT+CMGR=1", CMGR, &[], 4096);
    assert_eq!(
        kinds(&ev),
        [
            "response +CMGR: \"REC READ\",\"+49\"",
            "payload \"OK\"",
            "final OK"
        ]
    );
    let ev = feed("AT+CMGR=1", EMPTY, &[], 4096);
    assert_eq!(
        kinds(&ev),
        [
            "response +CMGR: \"REC READ\",\"+49\"",
            "payload \"\"",
            "final OK"
        ]
    );
}

#[test]
fn a_payload_longer_than_the_line_limit_is_dropped_with_one_error() {
    let ev = feed("AT+CIPRXGET=2,0,17", RXGET, &[], 10);
    assert_eq!(
        ev[1],
        OwnedEvent::Error(wip_runtime::framer::FrameError::LineTooLong { max: 10 })
    );
    assert!(ev.contains(&OwnedEvent::Final(wip_runtime::Final::Ok)));
    assert!(!ev.iter().any(|e| matches!(e, OwnedEvent::Payload(_))));
}

#[test]
fn every_cut_gives_the_same_events() {
    for (cmd, bytes) in [
        ("AT+CIPRXGET=2,0,17", RXGET),
        ("AT+CMGR=1", CMGR),
        ("AT+CMGR=1", EMPTY),
        ("AT", IPD),
        ("AT+USORD=3,10", USORD),
        ("AT+USORD=3,2", USORD_HEX),
        ("AT+USORD=3,0", USORD_WAITING),
    ] {
        let whole = feed(cmd, bytes, &[], 4096);
        for cut in 0..=bytes.len() {
            assert_eq!(feed(cmd, bytes, &[cut], 4096), whole, "{cmd} cut at {cut}");
        }
        let every: Vec<usize> = (0..=bytes.len()).collect();
        assert_eq!(feed(cmd, bytes, &every, 4096), whole, "{cmd} byte by byte");
    }
}

/// A line limit shorter than a counted line's header (`+USORD: 3,10,"` is
/// 14 bytes): the header is an overlong line whether it comes whole or
/// byte by byte (found by the `framer` fuzz target with a limit of 10).
#[test]
fn a_header_past_the_line_limit_does_not_depend_on_chunking() {
    for max_line in 1..=40 {
        for (cmd, bytes) in [("AT+USORD=3,10", USORD), ("AT+USORD=3,2", USORD_HEX)] {
            let whole = feed(cmd, bytes, &[], max_line);
            let every: Vec<usize> = (0..=bytes.len()).collect();
            assert_eq!(
                feed(cmd, bytes, &every, max_line),
                whole,
                "{cmd} byte by byte, limit {max_line}"
            );
            for cut in 0..=bytes.len() {
                assert_eq!(
                    feed(cmd, bytes, &[cut], max_line),
                    whole,
                    "{cmd} cut at {cut}, limit {max_line}"
                );
            }
        }
    }
    // Under the limit the header is read and its content taken.
    let ev = feed("AT+USORD=3,10", USORD, &[], 15);
    assert!(
        ev.iter().any(|e| matches!(e, OwnedEvent::Payload(_))),
        "{ev:?}"
    );
    // Past it, an overlong line is reported.
    let ev = feed("AT+USORD=3,10", USORD, &[], 12);
    assert!(
        ev.iter().any(|e| matches!(e, OwnedEvent::Error(_))),
        "{ev:?}"
    );
}

/// The rest of a counted line after its content, longer than the line
/// limit: the line is too long whether that rest comes whole or in pieces
/// (found by the `framer` fuzz target: kept in part byte by byte, dropped
/// whole at once).
#[test]
fn a_long_rest_after_the_content_does_not_depend_on_chunking() {
    const LONG_TAIL: &[u8] =
        b"\r\n+USORD: 3,2,\"ab\" and a rest longer than the limit\r\n\r\nOK\r\n";
    for max_line in 16..=60 {
        let whole = feed("AT+USORD=3,2", LONG_TAIL, &[], max_line);
        let every: Vec<usize> = (0..=LONG_TAIL.len()).collect();
        assert_eq!(
            feed("AT+USORD=3,2", LONG_TAIL, &every, max_line),
            whole,
            "byte by byte, limit {max_line}"
        );
        for cut in 0..=LONG_TAIL.len() {
            assert_eq!(
                feed("AT+USORD=3,2", LONG_TAIL, &[cut], max_line),
                whole,
                "cut at {cut}, limit {max_line}"
            );
        }
    }
    // Past the limit: the line is too long, its content still comes.
    let ev = kinds(&feed("AT+USORD=3,2", LONG_TAIL, &[], 20));
    assert_eq!(
        ev,
        [
            "Error(LineTooLong { max: 20 })",
            "payload \"ab\"",
            "final OK"
        ]
    );
    // Within it, the line with its field empty, then the content.
    let ev = kinds(&feed("AT+USORD=3,2", LONG_TAIL, &[], 4096));
    assert_eq!(
        ev.get(1).map(String::as_str),
        Some("payload \"ab\""),
        "{ev:?}"
    );
}

proptest! {
    #[test]
    fn payloads_do_not_depend_on_chunking(
        which in 0usize..7,
        cuts in proptest::collection::vec(0usize..80, 0..16),
    ) {
        let (cmd, bytes) = [("AT+CIPRXGET=2,0,17", RXGET), ("AT+CMGR=1", CMGR), ("AT+CMGR=1", EMPTY), ("AT", IPD), ("AT+USORD=3,10", USORD), ("AT+USORD=3,2", USORD_HEX), ("AT+USORD=3,0", USORD_WAITING)][which];
        prop_assert_eq!(feed(cmd, bytes, &cuts, 4096), feed(cmd, bytes, &[], 4096));
    }
}
