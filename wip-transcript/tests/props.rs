//! Properties: payload round trip, no panic on any input, a total grammar,
//! output independent of chunking, and writer round trip.

use std::io::BufReader;

use proptest::prelude::*;
use wip_transcript::{
    decode_payload, encode_payload, parse_str, Event, ParseError, ParseErrorKind, Reader, Writer,
};

/// Pieces that steer the parser into its interesting states.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("AT".to_owned()),
        Just("at+x=".to_owned()),
        Just("CONNECT".to_owned()),
        Just("OK".to_owned()),
        Just(">> ".to_owned()),
        Just("<< ".to_owned()),
        Just(">>".to_owned()),
        Just("<<".to_owned()),
        Just("+++".to_owned()),
        Just("@channel ".to_owned()),
        Just("@".to_owned()),
        Just("#".to_owned()),
        Just("//".to_owned()),
        Just(" // ".to_owned()),
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just("\\x".to_owned()),
        Just("[ETX]".to_owned()),
        Just("[DLE]".to_owned()),
        Just("[".to_owned()),
        Just(" ".to_owned()),
        Just("\t".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        "[a-z0-9]{1,3}",
        "\\PC",
    ]
}

fn transcript() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..60).prop_map(|v| v.concat())
}

/// One item a reader yields, in a comparable form.
type Item = Result<(usize, String, Event), (usize, String)>;

/// What a reader yields, asserting on the way that the grammar never
/// rejects a line by itself: it accepts every line but those it reports on
/// purpose (bad escapes).
fn summary<I: Iterator<Item = Result<wip_transcript::Spanned<Event>, ParseError>>>(
    it: I,
) -> Vec<Item> {
    it.map(|r| {
        r.map(|s| (s.line, s.channel, s.value)).map_err(|e| {
            assert!(
                !matches!(e.kind, ParseErrorKind::Grammar { .. }),
                "grammar rejected a line: {e}"
            );
            (e.line, e.to_string())
        })
    })
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn payload_round_trip(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = encode_payload(&bytes);
        prop_assert!(text.bytes().all(|b| (0x20..0x7f).contains(&b)), "{}", text);
        prop_assert!(!text.ends_with(' '));
        prop_assert_eq!(decode_payload(&text).unwrap(), bytes.clone());
        // Also as a whole line through the reader, with LF and CRLF ends.
        for end in ["\n", "\r\n"] {
            let t = format!("CONNECT\n<< {text}{end}>> {text}{end}");
            let v = parse_str(&t).unwrap();
            prop_assert_eq!(&v[1].value, &Event::ModemData(bytes.clone()));
            prop_assert_eq!(&v[2].value, &Event::HostData(bytes.clone()));
        }
    }

    #[test]
    fn decode_never_panics_and_reencodes(text in "\\PC*") {
        if let Ok(bytes) = decode_payload(&text) {
            prop_assert_eq!(decode_payload(&encode_payload(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn reader_never_panics_on_any_string(text in "(?s).{0,300}") {
        let _ = summary(Reader::new(text.as_bytes()));
    }

    #[test]
    fn reader_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = summary(Reader::new(bytes.as_slice()));
    }

    #[test]
    fn reader_on_structured_input(text in transcript()) {
        let items = summary(Reader::new(text.as_bytes()));
        // Line numbers never go back.
        let lines: Vec<usize> = items.iter().map(|r| match r { Ok((l, _, _)) | Err((l, _)) => *l }).collect();
        prop_assert!(lines.windows(2).all(|w| w[0] < w[1]));
        // Whatever was read writes back as the same events.
        let read: Vec<(String, Event)> = items.into_iter().flatten().map(|(_, c, e)| (c, e)).collect();
        let mut w = Writer::new(Vec::new());
        for (c, e) in &read {
            w.write_event(c, e).unwrap();
        }
        let text = String::from_utf8(w.into_inner()).unwrap();
        let back: Vec<(String, Event)> = parse_str(&text)
            .unwrap()
            .into_iter()
            .map(|s| (s.channel, s.value))
            .collect();
        prop_assert_eq!(back, read);
    }

    #[test]
    fn output_does_not_depend_on_chunking(text in transcript(), cap in 1usize..8) {
        let whole = summary(Reader::new(text.as_bytes()));
        let chunked = summary(Reader::new(BufReader::with_capacity(cap, text.as_bytes())));
        prop_assert_eq!(whole, chunked);
    }

    #[test]
    fn written_events_read_back(
        events in prop::collection::vec((prop_oneof![Just("1"), Just("2")], event()), 0..30)
    ) {
        let mut w = Writer::new(Vec::new());
        let mut accepted = Vec::new();
        for (ch, e) in &events {
            if w.write_event(ch, e).is_ok() {
                accepted.push((ch.to_string(), e.clone()));
            }
        }
        let text = String::from_utf8(w.into_inner()).unwrap();
        let back: Vec<(String, Event)> = parse_str(&text)
            .unwrap()
            .into_iter()
            .filter(|s| !matches!(&s.value, Event::Directive { name, .. } if name == "channel"))
            .map(|s| (s.channel, s.value))
            .collect();
        prop_assert_eq!(back, accepted);
    }

    #[test]
    fn well_formed_events_are_always_written(
        steps in prop::collection::vec(good_step(), 0..30)
    ) {
        let mut w = Writer::new(Vec::new());
        let mut expected = Vec::new();
        for step in steps {
            for e in step {
                w.write_event("1", &e).unwrap();
                expected.push(e);
            }
        }
        let text = String::from_utf8(w.into_inner()).unwrap();
        let back: Vec<Event> = parse_str(&text).unwrap().into_iter().map(|s| s.value).collect();
        prop_assert_eq!(back, expected);
    }
}

/// Any event, representable or not.
fn event() -> impl Strategy<Value = Event> {
    let text = "[ -~]{0,12}";
    let comment = prop::option::of("[ -~]{0,6}");
    prop_oneof![
        text.prop_map(Event::Comment),
        ("[ -~]{0,5}", text, comment.clone()).prop_map(|(name, args, comment)| Event::Directive {
            name,
            args,
            comment
        }),
        (text, comment.clone()).prop_map(|(t, comment)| Event::Command {
            text: format!("AT{t}"),
            comment
        }),
        (text, comment.clone()).prop_map(|(text, comment)| Event::ModemLine { text, comment }),
        Just(Event::ModemLine {
            text: "CONNECT".into(),
            comment: None
        }),
        prop::collection::vec(any::<u8>(), 0..10).prop_map(Event::HostData),
        prop::collection::vec(any::<u8>(), 0..10).prop_map(Event::ModemData),
        comment.prop_map(|comment| Event::Escape { comment }),
    ]
}

/// A command and its answer, or a data-mode exchange, that always write.
fn good_step() -> impl Strategy<Value = Vec<Event>> {
    let word = "[A-Z0-9+=,?:]{1,8}";
    let words = "[a-z]{1,4}( [a-z]{1,4}){0,2}";
    prop_oneof![
        (word, prop::option::of(words)).prop_map(|(w, comment)| vec![
            Event::Command {
                text: format!("AT{w}"),
                comment
            },
            Event::ModemLine {
                text: "OK".into(),
                comment: None
            },
        ]),
        (
            prop::collection::vec(any::<u8>(), 0..20),
            prop::collection::vec(any::<u8>(), 0..20),
            words
        )
            .prop_map(|(a, b, c)| vec![
                Event::ModemLine {
                    text: "CONNECT".into(),
                    comment: None
                },
                Event::HostData(a),
                Event::Comment(c),
                Event::ModemData(b),
                Event::Escape { comment: None },
                Event::ModemLine {
                    text: "OK".into(),
                    comment: None
                },
            ]),
    ]
}
