//! The hex decoder and the `+WIPDATARW` reassembler on arbitrary text: no
//! panic, decoding inverts encoding, memory stays bounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wip_runtime::hexdump::{self, DumpLine, Reassembler};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(bytes) = hexdump::decode(text) {
        assert_eq!(hexdump::decode(&hexdump::encode(&bytes)).ok(), Some(bytes));
    }
    let mut r = Reassembler::new(8);
    for line in text.lines() {
        if let Ok(d) = DumpLine::parse(line) {
            assert!(d.data.len() <= hexdump::BLOCK);
        }
        if let Ok(Some(whole)) = r.push_line(line) {
            assert!(whole.len() <= 8 * hexdump::BLOCK);
        }
    }
});
