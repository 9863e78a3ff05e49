//! Throughput of escaping and framing.
//!
//! `cargo bench -p wip-runtime --bench throughput`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wip_runtime::escape::{escape, escape_into, Unescaper, DLE, ETX};
use wip_runtime::framer::{Event, Framer};
use wip_runtime::hexdump;

const MIB: usize = 1 << 20;

/// 1 MiB of pseudo-random payload with one DLE or ETX per KiB.
fn payload() -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    let mut out: Vec<u8> = (0..MIB)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            match (x >> 24) as u8 {
                DLE | ETX => b'x',
                b => b,
            }
        })
        .collect();
    for (n, i) in (512..MIB).step_by(1024).enumerate() {
        out[i] = if n % 2 == 0 { DLE } else { ETX };
    }
    out
}

/// 1 MiB where 2 bytes in 7 are DLE or ETX (the echo bench's payload).
fn dense() -> Vec<u8> {
    (0..MIB)
        .map(|i| match i % 7 {
            2 => DLE,
            5 => ETX,
            n => b'a' + n as u8,
        })
        .collect()
}

fn escaping(c: &mut Criterion) {
    let data = payload();
    let escaped = escape(&data);
    let dense = dense();
    let dense_escaped = escape(&dense);
    let mut out = Vec::with_capacity(2 * MIB);
    let mut g = c.benchmark_group("escape");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("memcpy", |b| {
        b.iter(|| {
            out.clear();
            out.extend_from_slice(black_box(&data));
            black_box(out.len())
        })
    });
    g.bench_function("escape", |b| {
        b.iter(|| {
            out.clear();
            escape_into(black_box(&data), &mut out);
            black_box(out.len())
        })
    });
    g.bench_function("unescape", |b| {
        b.iter(|| {
            out.clear();
            let marks = Unescaper::new().feed_into(black_box(&escaped), &mut out);
            black_box((out.len(), marks))
        })
    });
    g.bench_function("escape_dense", |b| {
        b.iter(|| {
            out.clear();
            escape_into(black_box(&dense), &mut out);
            black_box(out.len())
        })
    });
    g.bench_function("unescape_dense", |b| {
        b.iter(|| {
            out.clear();
            let marks = Unescaper::new().feed_into(black_box(&dense_escaped), &mut out);
            black_box((out.len(), marks))
        })
    });
    g.finish();
}

/// A modem's output in a busy session, as (command sent, bytes answered):
/// bearer and socket management with their responses, URCs between them,
/// and data read offline as `+WIPDATARW` dumps of 200-byte blocks (6.3).
fn session() -> Vec<(&'static str, Vec<u8>)> {
    let block: Vec<u8> = (0..200u32).map(|i| (i * 7) as u8).collect();
    let dump = hexdump::encode(&block);
    let mut steps = Vec::new();
    let mut total = 0;
    let mut i = 0u32;
    while total < MIB {
        let cycle: [(&'static str, String); 6] = [
            (
                "AT+WIPBR=3,6,11",
                "\r\n+WIPBR: 6,11,\"internet.example\"\r\n\r\nOK\r\n".to_owned(),
            ),
            (
                "AT+WIPBR?",
                "\r\n6,1\r\n\r\n5,0\r\n\r\nOK\r\n\r\n+WIPDATA: 2,1,1460\r\n".to_owned(),
            ),
            (
                "AT+WIPCREATE=1,2,\"10.0.0.1\",5000",
                format!(
                    "\r\nOK\r\n\r\n+WIPREADY: 1,2\r\n\r\n+WIPDATA: 1,2,{},\"192.168.1.2\",1357\r\n",
                    i % 5904
                ),
            ),
            (
                "AT+WIPDATA=1,2,3",
                format!(
                    "\r\n+WIPDATARW: 1,2\r\n\r\nOK\r\n\r\n+WIPDATARW: 2,2,2,1,\"{dump}\"\r\n\
                     \r\n+WIPDATARW: 2,2,2,2,\"{dump}\"\r\n"
                ),
            ),
            (
                "AT+WIPDATARW=1,2,\"30313233343536373839\"",
                "\r\n+WIPDATARW: 3,2,10\r\n\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,1\r\n".to_owned(),
            ),
            ("AT+WIPCLOSE=2,1", "\r\n+CME ERROR: 831\r\n".to_owned()),
        ];
        for (cmd, bytes) in cycle {
            total += bytes.len();
            steps.push((cmd, bytes.into_bytes()));
        }
        i += 1;
    }
    steps
}

fn framing(c: &mut Criterion) {
    let Ok(spec) = wip_spec::default_spec() else {
        return;
    };
    let dialect = spec.dialect.clone();
    let steps = session();
    let bytes: usize = steps.iter().map(|s| s.1.len()).sum();
    let mut g = c.benchmark_group("framing");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("parse", |b| {
        let mut f = Framer::new(&dialect);
        b.iter(|| {
            let mut fields = 0usize;
            let mut finals = 0usize;
            for (cmd, answer) in &steps {
                f.sent(cmd);
                f.feed(black_box(answer), |e| match e {
                    Event::Response { line, .. } | Event::Urc { line, .. } => fields += line.fields,
                    Event::Final(_) => finals += 1,
                    other => {
                        black_box(other);
                    }
                });
            }
            black_box((fields, finals))
        })
    });
    g.finish();
}

criterion_group!(benches, escaping, framing);
criterion_main!(benches);
