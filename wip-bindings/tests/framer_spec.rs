//! The runtime's framer fed with the generated statics: with the spec
//! attached, the data session a command opens comes from the spec's
//! outcomes, and it agrees with what the metadata alone gives.

use wip_bindings::rev009::{DIALECT, META};
use wip_runtime::framer::{DataSession, Escaping, EtxMeaning};
use wip_runtime::meta::DataMode;
use wip_runtime::{Event, Framer};

const LINES: &[&str] = &[
    "AT+WIPDATA=1,1,1",
    "AT+WIPDATA=2,5,1",
    "AT+WIPDATA=2,5,1,10,5",
    "AT+WIPDATA=1,5,2,20,2",
    "AT+WIPDATA=2,5,2",
    "AT+WIPDATA=2,5,0",
    "AT+WIPDATA=1,1,3",
    r#"AT+WIPFILE=4,1,1,"data.bin""#,
    r#"AT+WIPFILE=4,1,1,"data.bin",1"#,
    r#"AT+WIPFILE=4,1,2,"report.log",0"#,
    r#"AT+WIPFILE=4,1,5,"report.log""#,
    r#"AT+WIPFILE=4,2,6,"./f.txt""#,
    r#"AT+WIPFILE=5,1,2,"urlForPut""#,
    "AT+WIPFILE=6,1,2",
    r#"AT+WIPFILE=7,1,3,"1""#,
    r#"AT+WIPFILE=8,1,2,"1.smil","<001>""#,
    "AT+WIPCFG=1",
    "AT+WIPBR?",
];

fn from_meta(line: &str) -> Option<DataSession> {
    let c = wip_runtime::fields::command_line(line)?;
    let (_, m) = META.command(c.name)?;
    if m.data_mode == DataMode::None || c.kind != wip_runtime::fields::CommandKind::Action {
        return None;
    }
    DataSession::for_command(m, c.args)
}

#[test]
fn spec_outcomes_and_metadata_agree_on_every_data_session() {
    for line in LINES {
        let spec = DataSession::for_line(&DIALECT, line);
        let meta = from_meta(line);
        // The metadata cannot tell a transparent session's ETX meaning
        // (it has none); compare what matters for framing.
        let key = |s: Option<DataSession>| {
            s.map(|s| {
                (
                    s.escaping,
                    if s.escaping == Escaping::Continuous {
                        Some(s.etx)
                    } else {
                        None
                    },
                )
            })
        };
        assert_eq!(key(spec), key(meta), "{line}");
    }
    let udp = DataSession::for_line(&DIALECT, "AT+WIPDATA=1,1,1").unwrap();
    assert_eq!(
        (udp.escaping, udp.etx),
        (Escaping::Continuous, EtxMeaning::EndOfDatagram)
    );
    assert!(DataSession::for_line(&DIALECT, "AT+WIPDATA=2,5,1")
        .unwrap()
        .watches_shutdown());
    assert_eq!(DataSession::for_line(&DIALECT, "AT+WIPDATA=1,1,3"), None);
    // A line the spec refuses opens nothing.
    assert_eq!(
        DataSession::for_line(&DIALECT, "AT+WIPDATA=1,1,1,20,2"),
        None
    );
}

#[test]
fn a_framer_with_the_spec_unescapes_and_marks_etx_by_outcome() {
    for (line, mark) in [
        ("AT+WIPDATA=1,1,1", EtxMeaning::EndOfDatagram),
        ("AT+WIPDATA=2,1,1", EtxMeaning::Shutdown),
        (r#"AT+WIPFILE=4,1,1,"data.bin""#, EtxMeaning::EndOfFile),
    ] {
        let mut f = Framer::new(&META).with_spec(&DIALECT);
        f.sent(line);
        let mut data = Vec::new();
        let mut marks = Vec::new();
        let mut connect = false;
        f.feed(b"\r\nCONNECT\r\nab\x10\x03c\x03", |e| match e {
            Event::Data(d) => data.extend_from_slice(d),
            Event::EndOfData(m) => marks.push(m),
            Event::Final(wip_runtime::result::Final::Connect) => connect = true,
            _ => {}
        });
        assert!(connect, "{line}");
        assert_eq!(data, b"ab\x03c", "{line}");
        assert_eq!(marks, vec![mark], "{line}");
    }
}
