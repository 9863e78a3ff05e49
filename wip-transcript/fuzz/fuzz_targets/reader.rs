//! Any bytes: the reader never panics, the grammar accepts every line it
//! does not report on purpose, and whatever parses writes back as the
//! same events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wip_transcript::{parse_str, Event, ParseErrorKind, Reader, Writer};

fuzz_target!(|data: &[u8]| {
    let mut events = Vec::new();
    for item in Reader::new(data) {
        match item {
            Ok(e) => events.push(e),
            Err(e) => assert!(!matches!(e.kind, ParseErrorKind::Grammar { .. }), "{e}"),
        }
    }
    // Events read from a transcript are always writable, and read back equal.
    let mut w = Writer::new(Vec::new());
    for e in &events {
        w.write(e).expect("an event read from a transcript must be writable");
    }
    let text = String::from_utf8(w.into_inner()).expect("the writer writes UTF-8");
    let back: Vec<(String, Event)> = parse_str(&text)
        .expect("written transcripts parse")
        .into_iter()
        .map(|s| (s.channel, s.value))
        .collect();
    let orig: Vec<(String, Event)> = events.into_iter().map(|s| (s.channel, s.value)).collect();
    assert_eq!(strip_channel_directives(back), strip_channel_directives(orig));
});

/// The writer may add `@channel` lines of its own; compare the rest.
fn strip_channel_directives(v: Vec<(String, Event)>) -> Vec<(String, Event)> {
    v.into_iter()
        .filter(|(_, e)| !matches!(e, Event::Directive { name, .. } if name == "channel"))
        .collect()
}
