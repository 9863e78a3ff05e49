//! Any bytes as a transcript: `verify` against the embedded rev 009 spec
//! never panics, and gives the same violations when run again (its state
//! model, data-mode and ping checks included).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wip_schema::Dialect;

fn dialect() -> &'static Dialect {
    static D: OnceLock<Dialect> = OnceLock::new();
    D.get_or_init(|| {
        wip_spec::default_spec()
            .expect("the embedded spec loads")
            .dialect
    })
}

fuzz_target!(|data: &[u8]| {
    let first = wip_transcript::verify::verify(dialect(), data);
    let again = wip_transcript::verify::verify(dialect(), data);
    match (first, again) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("verify gave a result once and an error the next time"),
    }
});
