//! The streaming unescaper on arbitrary bytes: no panic, the same output
//! for any chunking, in pieces (`feed`) and in bulk (`unescape_into`), and
//! escaping its output (checked against escaping byte by byte) gives it
//! back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wip_runtime::escape::{escape, Piece, Unescaper};

fn unescape<'a>(chunks: impl Iterator<Item = &'a [u8]>) -> Vec<Option<Vec<u8>>> {
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

/// [`unescape`] through `unescape_into`, one buffer per run between marks.
fn unescape_bulk<'a>(chunks: impl Iterator<Item = &'a [u8]>) -> Vec<Option<Vec<u8>>> {
    let mut u = Unescaper::new();
    let mut out: Vec<Option<Vec<u8>>> = Vec::new();
    let mut cur = Vec::new();
    for c in chunks {
        let mut rest = c;
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

fuzz_target!(|data: &[u8]| {
    let Some((&step, raw)) = data.split_first() else {
        return;
    };
    let whole = unescape(std::iter::once(raw));
    let size = usize::from(step).max(1);
    assert_eq!(unescape(raw.chunks(size)), whole);
    assert_eq!(unescape(raw.chunks(1)), whole);
    assert_eq!(unescape_bulk(std::iter::once(raw)), whole);
    assert_eq!(unescape_bulk(raw.chunks(size)), whole);
    for d in whole.iter().flatten() {
        let mut bytewise = Vec::new();
        for &b in d {
            if b == wip_runtime::escape::DLE || b == wip_runtime::escape::ETX {
                bytewise.push(wip_runtime::escape::DLE);
            }
            bytewise.push(b);
        }
        assert_eq!(escape(d), bytewise);
        assert_eq!(
            unescape(std::iter::once(escape(d).as_slice())),
            vec![Some(d.clone())]
        );
    }
});
