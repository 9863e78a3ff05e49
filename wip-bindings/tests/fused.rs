//! `Framer::feed_typed` (framing, classification and typed decode in one
//! pass) gives what `Framer::feed` then `decode_framed` of each URC and
//! response give: the same events, the same classes, the same typed
//! values and the same errors, for the `vs_atat` bench stream and for
//! lines of every prefix of the spec with fields of every kind, right and
//! wrong, under every command in flight, however the bytes are cut.

#[path = "../benches/modem_stream/mod.rs"]
mod modem_stream;

mod fused_common;

use fused_common::{compare, Got, Step};
use modem_stream::{build_to, ops, Op};
use wip_bindings::rev009::{Response, Urc, DIALECT};

#[test]
fn the_bench_stream_gives_the_same_at_every_cut() {
    let s = build_to(128 << 10);
    let mut first: Option<Vec<Got<Urc, Response>>> = None;
    for chunk in [
        None,
        Some(1),
        Some(7),
        Some(16),
        Some(64),
        Some(256),
        Some(4096),
    ] {
        let (fused, split) =
            fused_common::both::<Urc, Response>(&DIALECT, &steps(&s, &ops(&s, chunk)), None);
        assert_eq!(fused.len(), split.len(), "chunk {chunk:?}");
        for (i, (f, p)) in fused.iter().zip(&split).enumerate() {
            assert_eq!(f, p, "event {i}, chunk {chunk:?}");
        }
        // Every URC and response of the stream decodes.
        assert!(fused
            .iter()
            .all(|g| !matches!(g, Got::Urc(_, _, Err(_)) | Got::Response(_, _, _, Err(_)))));
        // Most values come straight from their decoders to `on_urc` and
        // `on_response` (the rest, of lines the fused decode leaves, by
        // `on_typed`).
        let (direct, values) = fused_common::direct_values::<Urc, Response>(
            &DIALECT,
            &steps(&s, &ops(&s, chunk)),
            None,
        );
        assert!(direct * 10 > values * 8, "{direct} of {values}");
        match &first {
            None => first = Some(fused),
            Some(f) => assert_eq!(f, &fused, "chunk {chunk:?} against whole"),
        }
    }
}

/// The bench's commands and reads as the steps of a session.
fn steps(s: &modem_stream::Stream, ops: &[Op]) -> Vec<Step> {
    ops.iter()
        .map(|op| match op {
            Op::Sent(n) => Step::Sent(s.command(*n).expect("a command of the stream").to_string()),
            Op::Feed(r) => Step::Read(s.bytes[r.clone()].to_vec()),
        })
        .collect()
}

#[test]
fn random_sessions_give_the_same_under_every_command() {
    let t = compare::<Urc, Response>(&DIALECT, 0x00F0_5ED0, 1000);
    println!("{t:?}");
    // The lines reached both classes and both outcomes, and echoes: the
    // comparison is not of unknown lines only.
    assert!(t.urcs_ok > 1000 && t.urcs_ok < t.urcs, "{t:?}");
    assert!(
        t.responses_ok > 500 && t.responses_ok < t.responses,
        "{t:?}"
    );
    assert!(t.echoes > 100, "{t:?}");
}
