//! Time to generate the Rust bindings of the rev 009 spec, the work of
//! `wip generate` (load and check the spec, emit, format), and of loading
//! alone.
//!
//! `cargo bench -p wip-codegen --bench generate`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use wip_codegen::{load_str, rust, DEFAULT_SPEC, DEFAULT_SPEC_NAME};

fn generate(c: &mut Criterion) {
    let mut g = c.benchmark_group("rev009");
    g.bench_function("load", |b| {
        b.iter(|| load_str(black_box(DEFAULT_SPEC), DEFAULT_SPEC_NAME))
    });
    g.bench_function("generate", |b| {
        b.iter(|| rust::generate_source(black_box(DEFAULT_SPEC), DEFAULT_SPEC_NAME))
    });
    g.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
