//! The runtime's framer fed with the generated `DIALECT`: the data session
//! a command opens comes from the spec's outcomes (manual 6.1.2, 6.1.3,
//! 6.2.7), through the engine.

use wip_bindings::rev009::DIALECT;
use wip_runtime::framer::{DataSession, Escaping};
use wip_runtime::schema::EtxMeaning;
use wip_runtime::{Event, Framer};

const CONT: Escaping = Escaping::Continuous;
const TRANSP: Escaping = Escaping::Transparent;

/// A session as the framer sees it: escaping and the meaning of ETX.
type Session = (Escaping, Option<EtxMeaning>);

/// Each line with the session the manual says it opens.
const SESSIONS: &[(&str, Option<Session>)] = &[
    // 6.2.7: UDP in continuous mode marks datagrams with ETX.
    (
        "AT+WIPDATA=1,1,1",
        Some((CONT, Some(EtxMeaning::EndOfDatagram))),
    ),
    // TCP: ETX is a shutdown (6.2.2.3).
    ("AT+WIPDATA=2,5,1", Some((CONT, Some(EtxMeaning::Shutdown)))),
    (
        "AT+WIPDATA=2,5,1,10,5",
        Some((CONT, Some(EtxMeaning::Shutdown))),
    ),
    // Mode 2: continuous transparent.
    ("AT+WIPDATA=1,5,2,20,2", Some((TRANSP, None))),
    ("AT+WIPDATA=2,5,2", Some((TRANSP, None))),
    // Unmap and data offline open no CONNECT session.
    ("AT+WIPDATA=2,5,0", None),
    ("AT+WIPDATA=1,1,3", None),
    // +WIPFILE: ETX ends the file (6.1.2); FTP <dle_mode> 1 is
    // transparent (6.1.3); modes 6-9 are data offline (6.3).
    (
        r#"AT+WIPFILE=4,1,1,"data.bin""#,
        Some((CONT, Some(EtxMeaning::EndOfData))),
    ),
    (r#"AT+WIPFILE=4,1,1,"data.bin",1"#, Some((TRANSP, None))),
    (
        r#"AT+WIPFILE=4,1,2,"report.log",0"#,
        Some((CONT, Some(EtxMeaning::EndOfData))),
    ),
    (
        r#"AT+WIPFILE=4,1,5,"report.log""#,
        Some((CONT, Some(EtxMeaning::EndOfData))),
    ),
    (r#"AT+WIPFILE=4,2,6,"./f.txt""#, None),
    (
        r#"AT+WIPFILE=5,1,2,"urlForPut""#,
        Some((CONT, Some(EtxMeaning::EndOfData))),
    ),
    (
        "AT+WIPFILE=6,1,2",
        Some((CONT, Some(EtxMeaning::EndOfData))),
    ),
    (
        r#"AT+WIPFILE=7,1,3,"1""#,
        Some((CONT, Some(EtxMeaning::EndOfData))),
    ),
    (
        r#"AT+WIPFILE=8,1,2,"1.smil","<001>""#,
        Some((CONT, Some(EtxMeaning::EndOfData))),
    ),
    ("AT+WIPCFG=1", None),
    ("AT+WIPBR?", None),
    // A line the spec refuses opens nothing.
    ("AT+WIPDATA=1,1,1,20,2", None),
];

#[test]
fn every_data_session_comes_from_the_spec_outcomes() {
    for (line, want) in SESSIONS {
        let got = DataSession::for_line(&DIALECT, line).map(|s| (s.escaping, s.etx));
        assert_eq!(got, *want, "{line}");
    }
    assert!(DataSession::for_line(&DIALECT, "AT+WIPDATA=2,5,1")
        .unwrap()
        .watches_shutdown());
    assert!(!DataSession::for_line(&DIALECT, "AT+WIPDATA=1,5,1")
        .unwrap()
        .watches_shutdown());
}

#[test]
fn a_framer_unescapes_and_marks_etx_by_outcome() {
    for (line, mark) in [
        ("AT+WIPDATA=1,1,1", EtxMeaning::EndOfDatagram),
        ("AT+WIPDATA=2,1,1", EtxMeaning::Shutdown),
        (r#"AT+WIPFILE=4,1,1,"data.bin""#, EtxMeaning::EndOfData),
    ] {
        let mut f = Framer::new(&DIALECT);
        f.sent(line);
        let mut data = Vec::new();
        let mut marks = Vec::new();
        let mut connect = false;
        f.feed(b"\r\nCONNECT\r\nab\x10\x03c\x03", |e| match e {
            Event::Data(d) => data.extend_from_slice(d),
            Event::EndOfData(m) => marks.push(m),
            Event::Final(wip_runtime::Final::Connect) => connect = true,
            _ => {}
        });
        assert!(connect, "{line}");
        assert_eq!(data, b"ab\x03c", "{line}");
        assert_eq!(marks, vec![Some(mark)], "{line}");
    }
}
