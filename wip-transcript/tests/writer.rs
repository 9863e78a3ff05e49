//! The writer: formatting, channel switches, refusal of what cannot be read back.

mod common;
use common::*;
use wip_transcript::{Event, WriteError, Writer};

fn written(events: &[(&str, Event)]) -> Result<String, WriteError> {
    let mut w = Writer::new(Vec::new());
    for (ch, e) in events {
        w.write_event(ch, e)?;
    }
    w.flush()?;
    Ok(String::from_utf8(w.into_inner()).unwrap())
}

#[test]
fn display_of_each_event() {
    assert_eq!(comment("x").to_string(), "# x");
    assert_eq!(comment("").to_string(), "#");
    assert_eq!(directive("channel", "2").to_string(), "@channel 2");
    assert_eq!(directive("pause", "").to_string(), "@pause");
    assert_eq!(
        cmd_c("AT+WIPCFG=1", "start").to_string(),
        "AT+WIPCFG=1  // start"
    );
    assert_eq!(modem_c("OK", "").to_string(), "OK  //");
    assert_eq!(
        host(b"GET\r\n\x03\x10[\\ \x00\xff ").to_string(),
        ">> GET\\r\\n[ETX][DLE]\\[\\\\ \\x00\\xFF\\x20"
    );
    assert_eq!(dev(b"").to_string(), "<< ");
    assert_eq!(escape().to_string(), "+++");
}

#[test]
fn writes_a_session_with_channel_switches() {
    let text = written(&[
        ("1", cmd("AT+WIPDATA=2,1,1")),
        ("1", modem("CONNECT")),
        ("1", host(b"a\r\n")),
        ("2", cmd("AT")),
        ("2", modem("OK")),
        ("1", dev(b"b")),
        ("1", escape()),
        ("1", modem("OK")),
    ])
    .unwrap();
    assert_eq!(
        text,
        "AT+WIPDATA=2,1,1\nCONNECT\n>> a\\r\\n\n@channel 2\nAT\nOK\n@channel 1\n<< b\n+++\nOK\n"
    );
    let back: Vec<_> = events(&text)
        .into_iter()
        .filter(|(_, _, e)| !matches!(e, Event::Directive { .. }))
        .map(|(_, c, e)| (c, e))
        .collect();
    assert_eq!(back.len(), 8);
    assert_eq!(back[3], ("2".to_owned(), cmd("AT")));
    assert_eq!(back[5], ("1".to_owned(), dev(b"b")));
}

#[test]
fn channel_directive_events_are_not_doubled() {
    let text = written(&[("2", directive("channel", "2")), ("2", modem("OK"))]).unwrap();
    assert_eq!(text, "@channel 2\nOK\n");
}

#[test]
fn refuses_what_would_read_back_differently() {
    let bad = [
        ("1", escape()),            // escape outside data mode
        ("1", modem("AT+X")),       // modem line that reads as a command
        ("1", modem("# x")),        // reads as a comment
        ("1", modem("")),           // reads as nothing
        ("1", modem("OK // x")),    // text holding a comment
        ("1", cmd("OK")),           // command not starting with AT
        ("1", cmd("AT\nOK")),       // line end inside
        ("1", comment(" x")),       // blanks would be trimmed
        ("1", cmd_c("AT", "a\nb")), // line end inside a comment
    ];
    for (ch, e) in bad {
        let r = written(&[(ch, e.clone())]);
        assert!(
            matches!(r, Err(WriteError::NotRepresentable { .. })),
            "{e:?} gave {r:?}"
        );
    }
}

#[test]
fn a_directive_without_a_name_reads_back_as_written() {
    // No tool knows it, so every tool ignores it; it still round-trips.
    let text = written(&[("1", directive("", "x")), ("1", directive("", ""))]).unwrap();
    assert_eq!(text, "@ x\n@\n");
}

#[test]
fn refuses_bad_channel_names() {
    assert!(matches!(
        written(&[("a b", cmd("AT"))]),
        Err(WriteError::BadChannel(_))
    ));
    assert!(matches!(
        written(&[("1", directive("channel", ""))]),
        Err(WriteError::BadChannel(_))
    ));
}

#[test]
fn modem_line_in_data_mode_must_not_look_like_data() {
    let r = written(&[("1", modem("CONNECT")), ("1", modem(">> x"))]);
    assert!(matches!(r, Err(WriteError::NotRepresentable { .. })));
    let r = written(&[("1", modem("CONNECT")), ("1", modem("+++"))]);
    assert!(matches!(r, Err(WriteError::NotRepresentable { .. })));
}

#[test]
fn cr_inside_a_line_is_written_as_is() {
    let text = written(&[
        ("1", comment("a\rb")),
        ("1", cmd("AT\rX")),
        ("1", modem("OK\r")),
    ])
    .unwrap();
    assert_eq!(text, "# a\rb\nAT\rX\nOK\r\r\n");
    assert_eq!(
        values(&text),
        vec![comment("a\rb"), cmd("AT\rX"), modem("OK\r")]
    );
}

/// Found by fuzzing: `<<` then a comment, in data mode.
#[test]
fn modem_line_marker_with_comment_in_data_mode() {
    let t = "CONNECT\n<<\t// x\n";
    let v = values(t);
    assert_eq!(v[1], modem_c("<<", "x"));
    let text = written(&[("1", v[0].clone()), ("1", v[1].clone())]).unwrap();
    assert_eq!(text, "CONNECT\n<<\t// x\n");
    assert_eq!(values(&text), v);
}

#[test]
fn prompt_and_payload_phases_round_trip_outside_data_mode() {
    // docs/transcript-extensions.md (E1): `<<` prompt, `>>` payload with
    // Ctrl-Z, binary bytes, CR LF and a payload reading `OK`.
    let events = [
        ("1", cmd("AT+USOWR=3,8")),
        ("1", dev(b"@")),
        ("1", host(b"\x00\r\nOK\r\n\xff")),
        ("1", modem("+USOWR: 3,8")),
        ("1", modem("OK")),
        ("1", cmd("AT+CMGS=\"1\"")),
        ("1", dev(b"\r\n> ")),
        ("1", host(b"Test SMS\x1a")),
        ("1", modem("OK")),
    ];
    let text = written(&events).unwrap();
    assert!(
        text.contains("<< @\n>> \\x00\\r\\nOK\\r\\n\\xFF\n"),
        "{text}"
    );
    let back: Vec<_> = wip_transcript::parse_str(&text)
        .unwrap()
        .into_iter()
        .map(|e| e.value)
        .collect();
    let want: Vec<_> = events.iter().map(|(_, e)| e.clone()).collect();
    assert_eq!(back, want);
    // A modem line that would read back as a prompt is refused.
    assert!(matches!(
        written(&[("1", modem("<< x"))]),
        Err(WriteError::NotRepresentable { .. })
    ));
}

/// A reader drops a byte order mark that starts a file: a first line that
/// starts with U+FEFF is written after an empty line, and reads back whole.
#[test]
fn a_first_line_starting_with_a_bom_reads_back_whole() {
    let text = written(&[("1", modem("\u{feff}x")), ("1", modem("OK"))]).unwrap();
    assert!(text.starts_with('\n'), "{text:?}");
    assert_eq!(values(&text), vec![modem("\u{feff}x"), modem("OK")]);
    // Elsewhere it is written as it is.
    let text = written(&[("1", modem("OK")), ("1", modem("\u{feff}y"))]).unwrap();
    assert!(text.starts_with("OK\n"), "{text:?}");
}
