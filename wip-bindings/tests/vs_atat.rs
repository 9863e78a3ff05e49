//! The stream of the `vs_atat` bench (its first 512 KiB, whole cycles),
//! decoded by the framer and the generated typed values (and framed alone,
//! as the bench's `vs_atat/framer` does) at every chunk
//! size the bench uses (and down to one byte): every line decodes, and
//! the counts never depend on how the stream was cut.

#[path = "../benches/modem_stream/mod.rs"]
mod modem_stream;

use modem_stream::{
    build_to, chunk_name, ops, run_framer, run_lines, run_wip, run_wip_buffered, run_wip_lines,
    run_wip_owned, AtatSide, Counts, CHUNKS,
};
use wip_bindings::rev009::{Response, Urc, DIALECT};
use wip_runtime::schema::typed::{parse_message_as, FromMessage};
use wip_runtime::{Event, Framer};

/// The part of the bench's stream tested: every cycle of the builder
/// several times over.
const SIZE: usize = 512 << 10;

#[test]
fn wip_counts_are_the_same_at_every_chunk_size() {
    let s = build_to(SIZE);
    let mut seen: Option<Counts> = None;
    for chunk in CHUNKS.into_iter().chain([Some(1), Some(7), Some(1000)]) {
        let o = ops(&s, chunk);
        let c = run_wip(&s, &o, &mut Framer::new(&DIALECT));
        let a = AtatSide::default().run(&s, &o);
        println!(
            "chunk {:>5}: wip {c:?}\n             atat {a:?}",
            chunk_name(chunk)
        );
        assert_eq!(c.failures, 0, "chunk {chunk:?}");
        // The framer alone (the bench's `vs_atat/framer`) sees the lines
        // the typed decode decodes.
        assert_eq!(
            run_framer(&s, &o, &mut Framer::new(&DIALECT)),
            c,
            "chunk {chunk:?}"
        );
        // Each value decoded anew (`vs_atat/owned`) rather than over the
        // last of its message counts the same.
        assert_eq!(
            run_wip_owned(&s, &o, &mut Framer::new(&DIALECT)),
            c,
            "chunk {chunk:?}"
        );
        // Commands told by their lines alone (`vs_atat/lines-sent`)
        // rather than by their typed requests' forms: the same.
        assert_eq!(
            run_wip_lines(&s, &o, &mut Framer::new(&DIALECT)),
            c,
            "chunk {chunk:?}"
        );
        // The host that keeps its reads (`vs_atat/buffered`) finds the
        // same.
        assert_eq!(
            run_wip_buffered(&s, &o, &mut Framer::new(&DIALECT)),
            c,
            "chunk {chunk:?}"
        );
        match seen {
            Some(first) => assert_eq!(c, first, "chunk {chunk:?}"),
            None => seen = Some(c),
        }
    }
    // What the stream holds, per the builder: every cycle has 16 URCs and
    // 2 `+CME ERROR`s.
    let c = seen.unwrap_or_default();
    assert!(s.bytes.len() >= SIZE);
    assert!(c.urcs > 6_000 && c.errors > 750, "{c:?}");
    assert_eq!(c.urcs, c.errors * 8, "{c:?}");
    // The bench's floor (`vs_atat/lines`) cuts the very lines the framer
    // gives: every one a URC, a response, an error or a final result code.
    let lines = c.urcs + c.responses + c.errors + c.finals;
    assert_eq!(run_lines(&s.bytes, true), lines);
    assert_eq!(run_lines(&s.bytes, false), lines);
    // A line that is not UTF-8 is cut but fails the check.
    let mut bad = s.bytes.clone();
    bad.extend_from_slice(b"\r\n+WIPREADY: 2,\xff\r\n");
    assert_eq!(run_lines(&bad, false), lines + 1);
    assert_eq!(run_lines(&bad, true), lines);
}

/// Every command the stream answers `OK` is one the spec accepts (a typed
/// request could be built from it); the stream's refused ones are
/// answered with an error code.
#[test]
fn every_command_answered_ok_checks_with_the_spec() {
    let s = build_to(SIZE);
    let mut accepted = 0;
    for (line, range) in s.answers() {
        let answer = s.bytes.get(range).unwrap_or_default();
        let ok = answer.windows(6).any(|w| w == b"\r\nOK\r\n");
        match wip_runtime::schema::parse_command(&DIALECT, line) {
            Ok(_) => accepted += 1,
            Err(e) if ok => panic!("{line} is answered OK, but: {e}"),
            Err(_) => assert!(
                answer.windows(11).any(|w| w == b"+CME ERROR:"),
                "{line}: refused by the spec, and answered neither OK nor an error code"
            ),
        }
    }
    assert!(
        accepted * 10 > s.commands.len() * 9,
        "{accepted} of {}",
        s.commands.len()
    );
}

/// The one-pass decode of a tagged line gives what the engine's full
/// binder gives, on every line of the stream and on lines with optional
/// fields left out, empty or of another kind.
#[test]
fn decode_agrees_with_the_full_binder() {
    fn full<T: FromMessage>(message: usize, text: &str) -> Result<T, wip_runtime::schema::Error> {
        T::from_message(message, &parse_message_as(&DIALECT, message, text)?)
    }
    let s = build_to(SIZE);
    let mut f = Framer::new(&DIALECT);
    let mut checked = 0;
    let extra: &[u8] = b"\r\n+WIPBR: 6,0,\"10.0.0.2\"\r\n\r\n+WIPDATA: 1,1,8,,1357\r\n\
        \r\n+WIPDATA: 1,1,8,\"1.2.3\",1357\r\n\r\n+WIPREADY: 2,9\r\n\r\n+WIPPING: 0,1\r\n\
        \r\n+WIPREADY: 2\r\n\r\n+WIPREADY: 5, 1\r\n\r\n+WIPDATARW: 2,1,2,1,\"3G\"\r\n";
    let mut check = |e: Event<'_>| match e {
        Event::Urc { message, line } => {
            assert_eq!(
                Urc::decode(&DIALECT, message, line.text),
                full::<Urc>(message, line.text),
                "{}",
                line.text
            );
            assert_eq!(
                Urc::decode_framed(&DIALECT, message, line.text, line.body),
                full::<Urc>(message, line.text),
                "{}",
                line.text
            );
            checked += 1;
        }
        Event::Response { message, line, .. } => {
            assert_eq!(
                Response::decode(&DIALECT, message, line.text),
                full::<Response>(message, line.text),
                "{}",
                line.text
            );
            assert_eq!(
                Response::decode_framed(&DIALECT, message, line.text, line.body),
                full::<Response>(message, line.text),
                "{}",
                line.text
            );
            checked += 1;
        }
        _ => {}
    };
    for op in ops(&s, None) {
        match op {
            modem_stream::Op::Sent(n) => {
                f.sent(s.command(n).expect("a command of the stream"));
            }
            modem_stream::Op::Feed(r) => f.feed(&s.bytes[r], &mut check),
        }
    }
    f.clear_pending();
    f.feed(extra, &mut check);
    assert!(checked > 8_000, "{checked}");
}
