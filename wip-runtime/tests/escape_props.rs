//! The escaper and the streaming unescaper: round trips, and identical
//! output whatever the chunking.

use proptest::prelude::*;
use wip_runtime::escape::{escape, escape_into, Piece, Unescaper, DLE, ETX};
use wip_runtime::hexdump;

/// Payload rich in DLE and ETX.
fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![Just(DLE), Just(ETX), Just(b'\r'), any::<u8>()],
        0..300,
    )
}

/// Unescapes `chunks` in order; `None` stands for a lone ETX, data runs
/// are merged.
fn unescape(chunks: &[&[u8]]) -> Vec<Option<Vec<u8>>> {
    let mut u = Unescaper::new();
    let mut out: Vec<Option<Vec<u8>>> = Vec::new();
    for c in chunks {
        u.feed(c, |p| match p {
            Piece::Data(d) => {
                assert!(!d.is_empty());
                match out.last_mut() {
                    Some(Some(prev)) => prev.extend_from_slice(d),
                    _ => out.push(Some(d.to_vec())),
                }
            }
            Piece::Etx => out.push(None),
        });
    }
    out
}

/// [`unescape`] through [`Unescaper::unescape_into`]: one buffer per
/// run between marks.
fn unescape_bulk(chunks: &[&[u8]]) -> Vec<Option<Vec<u8>>> {
    let mut u = Unescaper::new();
    let mut out: Vec<Option<Vec<u8>>> = Vec::new();
    let mut cur = Vec::new();
    for c in chunks {
        let mut rest = *c;
        while !rest.is_empty() {
            let r = u.unescape_into(rest, &mut cur);
            assert!(r.used > 0 && r.used <= rest.len());
            rest = &rest[r.used..];
            if r.etx {
                if !cur.is_empty() {
                    out.push(Some(std::mem::take(&mut cur)));
                }
                out.push(None);
            }
        }
    }
    if !cur.is_empty() {
        out.push(Some(cur));
    }
    out
}

fn split_at(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|&c| c.min(bytes.len())).collect();
    points.push(0);
    points.push(bytes.len());
    points.sort_unstable();
    points
        .windows(2)
        .map(|w| bytes[w[0]..w[1]].to_vec())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn escape_then_unescape_is_identity(data in payload()) {
        let got = unescape(&[&escape(&data)]);
        let want = if data.is_empty() { vec![] } else { vec![Some(data.clone())] };
        prop_assert_eq!(got, want);
    }

    #[test]
    fn escaping_in_chunks_is_escaping_whole(data in payload(), cuts in prop::collection::vec(0usize..300, 0..8)) {
        let mut out = Vec::new();
        for c in split_at(&data, &cuts) {
            escape_into(&c, &mut out);
        }
        prop_assert_eq!(out, escape(&data));
    }

    #[test]
    fn unescaping_any_chunking_is_the_same(
        raw in prop::collection::vec(prop_oneof![Just(DLE), Just(ETX), any::<u8>()], 0..300),
        cuts in prop::collection::vec(0usize..300, 0..12),
    ) {
        let whole = unescape(&[&raw]);
        let chunks = split_at(&raw, &cuts);
        let refs: Vec<&[u8]> = chunks.iter().map(|c| c.as_slice()).collect();
        prop_assert_eq!(&unescape(&refs), &whole);
        let bytes: Vec<&[u8]> = raw.chunks(1).collect();
        prop_assert_eq!(&unescape(&bytes), &whole);
    }

    #[test]
    fn bulk_unescaping_is_piecewise_unescaping(
        raw in prop::collection::vec(prop_oneof![Just(DLE), Just(ETX), Just(b'a'), any::<u8>()], 0..600),
        cuts in prop::collection::vec(0usize..600, 0..12),
    ) {
        let whole = unescape(&[&raw]);
        let chunks = split_at(&raw, &cuts);
        let refs: Vec<&[u8]> = chunks.iter().map(|c| c.as_slice()).collect();
        prop_assert_eq!(&unescape_bulk(&refs), &whole);
        prop_assert_eq!(&unescape_bulk(&[&raw]), &whole);
    }

    #[test]
    fn escaping_is_byte_by_byte(data in prop::collection::vec(prop_oneof![Just(DLE), Just(ETX), Just(b'a'), any::<u8>()], 0..600)) {
        let mut want = Vec::new();
        for &b in &data {
            if b == DLE || b == ETX {
                want.push(DLE);
            }
            want.push(b);
        }
        prop_assert_eq!(escape(&data), want);
    }

    #[test]
    fn datagrams_survive_escaping(datagrams in prop::collection::vec(payload(), 1..5)) {
        let mut wire = Vec::new();
        for d in &datagrams {
            escape_into(d, &mut wire);
            wire.push(ETX);
        }
        let mut got = Vec::new();
        let mut cur = Vec::new();
        let mut u = Unescaper::new();
        for b in wire.chunks(7) {
            u.feed(b, |p| match p {
                Piece::Data(d) => cur.extend_from_slice(d),
                Piece::Etx => got.push(std::mem::take(&mut cur)),
            });
        }
        prop_assert_eq!(got, datagrams);
    }

    #[test]
    fn hex_dumps_round_trip(data in prop::collection::vec(any::<u8>(), 0..1000)) {
        let mut r = hexdump::Reassembler::default();
        let blocks: Vec<_> = hexdump::blocks(&data).collect();
        let n = blocks.len();
        let mut whole = None;
        for (i, b) in blocks.iter().enumerate() {
            prop_assert!(b.data.len() <= hexdump::BLOCK);
            prop_assert_eq!(b.command, if i + 1 == n { 1 } else { 2 });
            let body = format!("2,1,{},{},\"{}\"", n, i + 1, hexdump::encode(b.data));
            whole = r.push_line(&body).unwrap();
        }
        prop_assert_eq!(whole, Some(data));
    }
}
