//! The framer and the generated typed decode side by side with atat 0.25
//! (`AtDigester` + `#[derive(AtatUrc)]`) on one WIPsoft output stream of
//! about 4 MB, fed in reads of 16, 64, 256 and 4096 bytes and whole, the
//! host telling the framer each typed request it sends by its command,
//! form and line (`Framer::sent_form`). `vs_atat/atat/<reads>` is atat;
//! `vs_atat/wip/<reads>` is `Framer::feed_typed_in`, framing and typed
//! decode in one pass, each value decoded over the last one of its message
//! and lent to a method of the bench's `OnTypedRef`; `vs_atat/buffered/<reads>`
//! the same with the host keeping its reads (`Framer::feed_typed_in_buffered`).
//! Not compared: `vs_atat/owned/<reads>` gives each value anew, moved
//! (`Framer::feed_typed_into`, an `OnTyped`); `vs_atat/lines-sent/<reads>`
//! tells each command by its line alone (`Framer::sent`);
//! `vs_atat/closure/<reads>` takes a closure (`Framer::feed_typed`);
//! `vs_atat/split/<reads>` is the framer then the typed decode of each line
//! it framed (`Framer::feed`, then `decode_framed`), and
//! `vs_atat/framer/<reads>` the framer alone (lines framed and classified,
//! none decoded): what the typed decode adds is the difference.
//! `vs_atat/lines/<cut|utf8>` is a floor under both: the whole stream cut
//! at its line feeds, each line checked for UTF-8 or not, nothing
//! classified.
//!
//! `cargo bench -p wip-bindings --bench vs_atat`

mod modem_stream;
mod paired;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use modem_stream::{
    build, chunk_name, ops, run_framer, run_lines, run_split, run_wip, run_wip_buffered,
    run_wip_closure, run_wip_lines, run_wip_owned, AtatSide, Counts, Op, Stream, CHUNKS,
};
use wip_bindings::rev009::DIALECT;
use wip_runtime::Framer;

/// Pairs of passes timed for the paired ratio of each read size;
/// `WIP_BENCH_PAIRS` sets another number (0 to skip them, as under a
/// profiler).
fn pairs() -> usize {
    std::env::var("WIP_BENCH_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15)
}

/// The read sizes benched: all of [`CHUNKS`], or those `WIP_BENCH_READS`
/// names (`256,whole`), as under a profiler that should see one.
fn reads() -> Vec<Option<usize>> {
    let only = std::env::var("WIP_BENCH_READS").ok();
    let reads: Vec<_> = CHUNKS
        .into_iter()
        .filter(|c| {
            only.as_deref()
                .is_none_or(|o| o.split(',').any(|n| n.trim() == chunk_name(*c)))
        })
        .collect();
    if reads.is_empty() {
        let known: Vec<_> = CHUNKS.into_iter().map(chunk_name).collect();
        eprintln!(
            "WIP_BENCH_READS={:?} names no read size; the sizes are {}",
            only.unwrap_or_default(),
            known.join(",")
        );
        std::process::exit(2);
    }
    reads
}

/// One pass of a wip path over the stream, read by read.
type Run = fn(&Stream, &[Op], &mut Framer<'_>) -> Counts;

/// The wip paths benched at each read size after atat, in this order, by
/// id. Each `run_*` is out of line: the pointer's call is one per pass.
const PATHS: [(&str, Run); 7] = [
    // The framer and the typed decode in one pass, values lent
    // (`Framer::feed_typed_in`; compared with atat).
    ("wip", run_wip),
    // The same with the reads kept in the host's buffer (a line a read
    // ends inside of left there, not copied into the framer).
    ("buffered", run_wip_buffered),
    // The same with each command told by its line alone (not compared).
    ("lines-sent", run_wip_lines),
    // The same with each value decoded anew and moved to the sink (not
    // compared).
    ("owned", run_wip_owned),
    // The same with a closure for sink (not compared).
    ("closure", run_wip_closure),
    // The framer, then the typed decode of each line it framed (two
    // passes, as `Framer::feed` then `decode_framed`; not compared).
    ("split", run_split),
    // The framer alone, without the typed decode (not compared).
    ("framer", run_framer),
];

fn vs_atat(c: &mut Criterion) {
    let s = build();
    println!(
        "stream: {} bytes, {} commands",
        s.bytes.len(),
        s.commands.len()
    );
    let plans: Vec<_> = reads().into_iter().map(|ch| (ch, ops(&s, ch))).collect();
    for (ch, o) in &plans {
        let w = run_wip(&s, o, &mut Framer::new(&DIALECT));
        // The framer alone, and the framer then the typed decode of each
        // line, count what the one-pass typed decode counts.
        assert_eq!(run_framer(&s, o, &mut Framer::new(&DIALECT)), w);
        assert_eq!(run_split(&s, o, &mut Framer::new(&DIALECT)), w);
        assert_eq!(run_wip_closure(&s, o, &mut Framer::new(&DIALECT)), w);
        assert_eq!(run_wip_buffered(&s, o, &mut Framer::new(&DIALECT)), w);
        assert_eq!(run_wip_owned(&s, o, &mut Framer::new(&DIALECT)), w);
        assert_eq!(run_wip_lines(&s, o, &mut Framer::new(&DIALECT)), w);
        let a = AtatSide::default().run(&s, o);
        println!(
            "chunk {:>5}: wip  urcs {} responses {} errors {} finals {} failures {}",
            chunk_name(*ch),
            w.urcs,
            w.responses,
            w.errors,
            w.finals,
            w.failures
        );
        println!(
            "             atat urcs {} responses {} errors {} finals {} failures {}",
            a.urcs, a.responses, a.errors, a.finals, a.failures
        );
    }
    // The speed ratio over alternating pairs of passes (see `paired`), of
    // the framer fed each read and of the host that keeps its reads.
    let n = pairs();
    let runs = PATHS
        .iter()
        .filter(|(id, _)| matches!(*id, "wip" | "buffered"));
    for (ch, o) in &plans {
        for &(name, run) in runs.clone() {
            let mut f = Framer::new(&DIALECT);
            let mut side = AtatSide::default();
            if let Some(p) = paired::ratios(n, || run(&s, o, &mut f), || side.run(&s, o)) {
                let (lo, mid, hi) = p.ratios;
                let mib = |secs: f64| s.bytes.len() as f64 / secs / f64::from(1 << 20);
                println!(
                    "chunk {:>5}: {name} / atat speed over {} alternating pairs of passes: median {mid:.2}x, \
                     lowest {lo:.2}x, highest {hi:.2}x; fastest passes: {name} {:.0} MiB/s, atat {:.0} MiB/s",
                    chunk_name(*ch),
                    n,
                    mib(p.fastest.0),
                    mib(p.fastest.1)
                );
            }
        }
    }
    let mut g = c.benchmark_group("vs_atat");
    g.throughput(Throughput::Bytes(s.bytes.len() as u64));
    for (ch, o) in &plans {
        let name = chunk_name(*ch);
        g.bench_with_input(BenchmarkId::new("atat", &name), o, |b, o| {
            let mut side = AtatSide::default();
            b.iter(|| side.run(&s, o))
        });
        for (id, run) in PATHS {
            g.bench_with_input(BenchmarkId::new(id, &name), o, |b, o| {
                let mut f = Framer::new(&DIALECT);
                b.iter(|| run(&s, o, &mut f))
            });
        }
    }
    // The floor: lines cut from the whole stream, with and without the
    // UTF-8 check of each.
    for (name, utf8) in [("cut", false), ("utf8", true)] {
        g.bench_function(BenchmarkId::new("lines", name), |b| {
            b.iter(|| run_lines(&s.bytes, utf8))
        });
    }
    g.finish();
}

criterion_group!(benches, vs_atat);
criterion_main!(benches);
