//! The escaper on arbitrary bytes, cut into arbitrary chunks appended to
//! a buffer that already holds bytes: the same as escaping byte by byte,
//! and unescaping it gives the input back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wip_runtime::escape::{escape_into, Unescaper, DLE, ETX};

fuzz_target!(|data: &[u8]| {
    let Some((&step, raw)) = data.split_first() else {
        return;
    };
    let mut want = vec![step];
    for &b in raw {
        if b == DLE || b == ETX {
            want.push(DLE);
        }
        want.push(b);
    }
    let mut got = vec![step];
    for c in raw.chunks(usize::from(step).max(1)) {
        escape_into(c, &mut got);
    }
    assert_eq!(got, want);
    let mut back = Vec::new();
    let mut u = Unescaper::new();
    let mut rest = want.get(1..).unwrap_or_default();
    while !rest.is_empty() {
        let r = u.unescape_into(rest, &mut back);
        assert!(!r.etx);
        rest = &rest[r.used..];
    }
    assert_eq!(back, raw);
});
