//! Any bytes round-trip through the payload encoding; any text decodes
//! without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wip_transcript::{decode_payload, encode_payload};

fuzz_target!(|data: &[u8]| {
    let text = encode_payload(data);
    assert_eq!(decode_payload(&text).expect("encoded payloads decode"), data);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = decode_payload(s);
    }
});
