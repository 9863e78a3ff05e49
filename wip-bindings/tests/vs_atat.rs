//! The stream of the `vs_atat` bench, decoded by the framer and the
//! generated typed values at every chunk size the bench uses (and down to
//! one byte): every line decodes, and the counts never depend on how the
//! stream was cut.

#[path = "../benches/modem_stream/mod.rs"]
mod modem_stream;

use modem_stream::{build, chunk_name, ops, run_wip, AtatSide, Counts, CHUNKS};
use wip_bindings::rev009::DIALECT;
use wip_runtime::Framer;

#[test]
fn wip_counts_are_the_same_at_every_chunk_size() {
    let s = build();
    let mut seen: Option<Counts> = None;
    for chunk in CHUNKS.into_iter().chain([Some(1), Some(7), Some(1000)]) {
        let o = ops(&s, chunk);
        let c = run_wip(&s, &o, &mut Framer::new(&DIALECT));
        let a = AtatSide::default().run(&s, &o);
        println!("chunk {:>5}: wip {c:?}\n             atat {a:?}", chunk_name(chunk));
        assert_eq!(c.failures, 0, "chunk {chunk:?}");
        match seen {
            Some(first) => assert_eq!(c, first, "chunk {chunk:?}"),
            None => seen = Some(c),
        }
    }
    // What the stream holds, per the builder: every cycle has 16 URCs and
    // 2 `+CME ERROR`s.
    let c = seen.unwrap_or_default();
    assert!(s.bytes.len() >= modem_stream::TARGET);
    assert!(c.urcs > 100_000 && c.errors > 10_000, "{c:?}");
    assert_eq!(c.urcs, c.errors * 8, "{c:?}");
}
