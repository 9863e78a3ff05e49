//! `Framer::feed_typed` (framing, classification and typed decode in one
//! pass) gives what `Framer::feed` then `decode_framed` of each URC and
//! response give: the same events, the same classes, the same typed
//! values and the same errors, for the `vs_atat` bench stream and for
//! lines of every prefix of the spec with fields of every kind, right and
//! wrong, under every command in flight, however the bytes are cut.

#[path = "../benches/modem_stream/mod.rs"]
mod modem_stream;

use modem_stream::{build_to, ops, Op, Stream};
use wip_bindings::rev009::{Response, Urc, DIALECT};
use wip_runtime::framer::{OwnedEvent, Typed};
use wip_runtime::schema::typed::FromMessage;
use wip_runtime::{Event, Framer};

/// One thing either path gave, owned: a URC or response with its class,
/// line and typed value (errors by their message), or another event.
#[derive(Debug, Clone, PartialEq)]
enum Got {
    Urc(usize, String, Result<Urc, String>),
    Response(usize, usize, String, Result<Response, String>),
    Other(OwnedEvent),
}

fn owned_typed(e: Typed<'_, Urc, Response>) -> Got {
    match e {
        Typed::Urc {
            message,
            line,
            value,
        } => Got::Urc(message, line.to_string(), value.map_err(|e| e.to_string())),
        Typed::Response {
            command,
            message,
            line,
            value,
        } => Got::Response(
            command,
            message,
            line.to_string(),
            value.map_err(|e| e.to_string()),
        ),
        Typed::Event(e) => Got::Other(e.to_owned_event()),
    }
}

fn owned_split(e: Event<'_>) -> Got {
    match e {
        Event::Urc { message, line } => Got::Urc(
            message,
            line.text.to_string(),
            Urc::decode_framed(&DIALECT, message, line.text, line.body).map_err(|e| e.to_string()),
        ),
        Event::Response {
            command,
            message,
            line,
        } => Got::Response(
            command,
            message,
            line.text.to_string(),
            Response::decode_framed(&DIALECT, message, line.text, line.body)
                .map_err(|e| e.to_string()),
        ),
        e => Got::Other(e.to_owned_event()),
    }
}

/// Data events merged, so that two lists compare whatever the cuts.
fn merged(v: Vec<Got>) -> Vec<Got> {
    let mut out: Vec<Got> = Vec::with_capacity(v.len());
    for g in v {
        match (out.last_mut(), g) {
            (Some(Got::Other(OwnedEvent::Data(a))), Got::Other(OwnedEvent::Data(b))) => {
                a.extend_from_slice(&b)
            }
            (_, g) => out.push(g),
        }
    }
    out
}

/// Both paths over `ops` of `s`, each with a framer of its own.
fn both(s: &Stream, ops: &[Op]) -> (Vec<Got>, Vec<Got>) {
    let (mut fused, mut split) = (Framer::new(&DIALECT), Framer::new(&DIALECT));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for op in ops {
        match op {
            Op::Sent(n) => {
                let line = &s.commands[*n].1;
                fused.sent(line);
                split.sent(line);
            }
            Op::Feed(r) => {
                let bytes = &s.bytes[r.clone()];
                fused.feed_typed(bytes, |e| a.push(owned_typed(e)));
                split.feed(bytes, |e| b.push(owned_split(e)));
            }
        }
    }
    (merged(a), merged(b))
}

#[test]
fn the_bench_stream_gives_the_same_at_every_cut() {
    let s = build_to(128 << 10);
    let mut first: Option<Vec<Got>> = None;
    for chunk in [
        None,
        Some(1),
        Some(7),
        Some(16),
        Some(64),
        Some(256),
        Some(4096),
    ] {
        let (fused, split) = both(&s, &ops(&s, chunk));
        assert_eq!(fused.len(), split.len(), "chunk {chunk:?}");
        for (i, (f, p)) in fused.iter().zip(&split).enumerate() {
            assert_eq!(f, p, "event {i}, chunk {chunk:?}");
        }
        // Every URC and response of the stream decodes.
        assert!(fused
            .iter()
            .all(|g| !matches!(g, Got::Urc(_, _, Err(_)) | Got::Response(_, _, _, Err(_)))));
        match &first {
            None => first = Some(fused),
            Some(f) => assert_eq!(f, &fused, "chunk {chunk:?} against whole"),
        }
    }
}

/// A pseudo-random sequence (an LCG), so that the lines are the same on
/// every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Field texts of every kind: integers in and out of every range, signed,
/// blank around, quoted strings, hex dumps (even and odd, too long),
/// addresses, lists, commas in quotes, empty fields.
const FIELDS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "11",
    "17",
    "20",
    "201",
    "999",
    "1000",
    "65535",
    "65536",
    "4294967295",
    "4294967296",
    "99999999999999999999",
    "-1",
    " 2",
    "2 ",
    "\t3",
    "",
    "\"\"",
    "\"abc\"",
    "\"a,b\"",
    "\"Created\"",
    "\"0A1B\"",
    "\"0a1b2c\"",
    "\"0A1\"",
    "\"0G\"",
    "\"10.0.0.1\"",
    "\"192.168.001.2\"",
    "\"256.1.1.1\"",
    "\"internet.example\"",
    "(1-2)",
    "(0,1)",
    "é",
    "\"é\"",
    "abc",
];

/// Command lines that put each kind of command in flight, and none.
const COMMANDS: &[&str] = &[
    "",
    "AT",
    "AT+WIPCFG?",
    "AT+WIPCFG=1",
    "AT+WIPCFG=3",
    "AT+WIPCFG=2,0,64",
    "AT+WIPBR?",
    "AT+WIPBR=1,6",
    "AT+WIPBR=3,6,11",
    "AT+WIPBR=4,6,1",
    "AT+WIPBR=2,6,11,\"apn\"",
    "AT+WIPCREATE=2,1,\"10.0.0.1\",80",
    "AT+WIPCREATE=1,1,1024,\"10.0.0.1\",1357",
    "AT+WIPCREATE=3,1,80,2,8",
    "AT+WIPCLOSE=2,1",
    "AT+WIPOPT=2,1,1,8",
    "AT+WIPOPT=2,1,2,8,20",
    "AT+WIPOPT=4,1,1,40",
    "AT+WIPDATA=2,1,3",
    "AT+WIPDATA=2,1,1",
    "AT+WIPDATARW=1,1,\"3031\"",
    "AT+WIPDATARW=2,1,10",
    "AT+WIPDATARW=3,1",
    "AT+WIPPING=\"192.168.0.1\"",
    "AT+WIPFILE=4,1,2,\"http://example.com/upload\"",
    "AT+WIPFILE=5,1,1,\"/f\"",
    "AT+WIPBOGUS=1",
];

/// A random line: a prefix of the spec (or another, or none) with random
/// fields, or a final result code, with blanks and separators varied.
fn line(rng: &mut Lcg, prefixes: &[&str]) -> String {
    match rng.next(20) {
        0 => return ["OK", "ERROR", "+CME ERROR: 831", "+CME ERROR: 3"][rng.next(4)].into(),
        1 => return "WIPsoft v202 on Open AT OS v312".into(),
        _ => {}
    }
    let n = rng.next(8);
    let fields: Vec<&str> = (0..n).map(|_| FIELDS[rng.next(FIELDS.len())]).collect();
    let body = fields.join(",");
    let prefix = match rng.next(12) {
        0 => return body,
        1 => "+WIPFOO",
        _ => prefixes[rng.next(prefixes.len())],
    };
    let sep = [": ", ":", ":  ", " : ", ":\t", ": "][rng.next(6)];
    format!("{prefix}{sep}{body}")
}

#[test]
fn random_lines_give_the_same_under_every_command() {
    let mut prefixes: Vec<&str> = DIALECT
        .messages
        .iter()
        .filter_map(|m| m.prefix.as_deref())
        .collect();
    prefixes.extend(DIALECT.commands.iter().map(|c| c.name.as_ref()));
    prefixes.sort_unstable();
    prefixes.dedup();
    let mut rng = Lcg(0x00F0_5ED0);
    let mut fast = 0;
    let mut decoded = 0;
    for round in 0..400 {
        // A session: commands in flight, each answered by random lines
        // (and sometimes not answered at all).
        let mut s = Stream {
            bytes: Vec::new(),
            commands: Vec::new(),
        };
        for _ in 0..12 {
            let cmd = COMMANDS[rng.next(COMMANDS.len())];
            if !cmd.is_empty() {
                s.commands.push((s.bytes.len(), cmd.to_string()));
            }
            for _ in 0..1 + rng.next(6) {
                let l = line(&mut rng, &prefixes);
                s.bytes.extend_from_slice(b"\r\n");
                s.bytes.extend_from_slice(l.as_bytes());
                s.bytes.extend_from_slice(b"\r\n");
            }
        }
        // Lines before the first command are fed as a read of their own.
        let mut o = vec![Op::Feed(
            0..s.commands.first().map_or(s.bytes.len(), |c| c.0),
        )];
        o.extend(ops(&s, [None, Some(1), Some(5), Some(64)][round % 4]));
        let (fused, split) = both(&s, &o);
        assert_eq!(fused, split, "round {round}");
        fast += fused
            .iter()
            .filter(|g| matches!(g, Got::Urc(..) | Got::Response(..)))
            .count();
        decoded += fused
            .iter()
            .filter(|g| matches!(g, Got::Urc(_, _, Ok(_)) | Got::Response(_, _, _, Ok(_))))
            .count();
    }
    // The lines reached both classes and both outcomes: the comparison
    // is not of unknown lines only.
    assert!(fast > 2000, "{fast} URCs and responses");
    assert!(
        decoded > 500 && decoded < fast,
        "{decoded} of {fast} decoded"
    );
}
