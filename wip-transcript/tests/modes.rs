//! Data mode entered and left, per channel; CRLF; channel attached to events.

mod common;
use common::*;

#[test]
fn connect_enters_data_mode_and_final_code_leaves_it() {
    // After OK, `+++` is a modem line again (a `>>` line outside data mode
    // is a payload phase line of docs/transcript-extensions.md).
    let t = "AT+WIPDATA=2,1,1\nCONNECT\n>> a\n<< b\n+++\nOK\n+++\n";
    assert_eq!(
        values(t),
        vec![
            cmd("AT+WIPDATA=2,1,1"),
            modem("CONNECT"),
            host(b"a"),
            dev(b"b"),
            escape(),
            modem("OK"),
            modem("+++"),
        ]
    );
}

#[test]
fn no_carrier_ends_data_mode_without_escape() {
    assert_eq!(
        values("CONNECT\n<< a\nNO CARRIER\n+++\n"),
        vec![
            modem("CONNECT"),
            dev(b"a"),
            modem("NO CARRIER"),
            modem("+++")
        ]
    );
}

#[test]
fn connect_with_text_enters_data_mode_but_connected_does_not() {
    assert_eq!(
        values("CONNECT 115200\n>> a\n"),
        vec![modem("CONNECT 115200"), host(b"a")]
    );
    assert_eq!(
        values("CONNECTED\n+++\n"),
        vec![modem("CONNECTED"), modem("+++")]
    );
    assert_eq!(
        values("connect\n+++\n"),
        vec![modem("connect"), modem("+++")]
    );
}

#[test]
fn connect_in_data_mode_keeps_it() {
    assert_eq!(
        values("CONNECT\nCONNECT\n>> a\n"),
        vec![modem("CONNECT"), modem("CONNECT"), host(b"a")]
    );
}

#[test]
fn command_in_data_mode_is_a_modem_line_that_ends_it() {
    assert_eq!(
        values("CONNECT\nAT+WIPCLOSE=2,1\n+++\n"),
        vec![modem("CONNECT"), modem("AT+WIPCLOSE=2,1"), modem("+++")]
    );
}

#[test]
fn directive_in_data_mode_does_not_end_it() {
    assert_eq!(
        values("CONNECT\n@timing 1s\n>> a\n"),
        vec![modem("CONNECT"), directive("timing", "1s"), host(b"a")]
    );
}

#[test]
fn indented_payload_markers_in_data_mode() {
    assert_eq!(
        values("CONNECT\n  >> a \n\t<< b\n   +++\n OK\n"),
        vec![
            modem("CONNECT"),
            host(b"a "),
            dev(b"b"),
            escape(),
            modem("OK")
        ]
    );
}

#[test]
fn crlf_line_ends_are_not_payload() {
    assert_eq!(
        values("CONNECT\r\n>> a \r\n<< b\\r\r\nOK\r\n"),
        vec![modem("CONNECT"), host(b"a "), dev(b"b\r"), modem("OK")]
    );
}

#[test]
fn mixed_line_ends() {
    assert_eq!(
        events("AT\r\nOK\nAT\r\nOK"),
        vec![
            (1, "1".into(), cmd("AT")),
            (2, "1".into(), modem("OK")),
            (3, "1".into(), cmd("AT")),
            (4, "1".into(), modem("OK")),
        ]
    );
}

#[test]
fn cr_in_the_middle_of_a_line_is_text() {
    assert_eq!(
        values("CONNECT\n>> a\rb\n"),
        vec![modem("CONNECT"), host(b"a\rb")]
    );
}

#[test]
fn events_carry_the_default_channel() {
    for (_, ch, _) in events("# c\nAT\nOK\n") {
        assert_eq!(ch, wip_transcript::DEFAULT_CHANNEL);
    }
}

#[test]
fn data_mode_is_per_channel() {
    let t = "\
AT+WIPDATA=2,1,1
CONNECT
>> one
@channel 2
+++
AT+WIPDATA=2,2,1
CONNECT
<< two
@channel 1
<< still data on channel 1
+++
OK
@channel 2
>> channel 2 still in data mode
";
    assert_eq!(
        events(t),
        vec![
            (1, "1".into(), cmd("AT+WIPDATA=2,1,1")),
            (2, "1".into(), modem("CONNECT")),
            (3, "1".into(), host(b"one")),
            (4, "2".into(), directive("channel", "2")),
            (5, "2".into(), modem("+++")),
            (6, "2".into(), cmd("AT+WIPDATA=2,2,1")),
            (7, "2".into(), modem("CONNECT")),
            (8, "2".into(), dev(b"two")),
            (9, "1".into(), directive("channel", "1")),
            (10, "1".into(), dev(b"still data on channel 1")),
            (11, "1".into(), escape()),
            (12, "1".into(), modem("OK")),
            (13, "2".into(), directive("channel", "2")),
            (14, "2".into(), host(b"channel 2 still in data mode")),
        ]
    );
}

#[test]
fn channel_names_are_any_word() {
    let v = events("@channel UART2\nOK\n@channel cmux-1.1_a // virtual port\nOK\n");
    assert_eq!(v[1].1, "UART2");
    assert_eq!(v[3].1, "cmux-1.1_a");
}

#[test]
fn reader_exposes_its_state() {
    let mut r = wip_transcript::Reader::new("CONNECT\n@channel 2\n".as_bytes());
    assert!(!r.in_data_mode());
    r.next().unwrap().unwrap();
    assert!(r.in_data_mode());
    assert_eq!(r.channel(), "1");
    r.next().unwrap().unwrap();
    assert!(!r.in_data_mode());
    assert_eq!(r.channel(), "2");
    assert_eq!(r.line(), 2);
    assert!(r.next().is_none());
}

/// The example of `docs/transcript-directives.md`: two sockets mapped on two
/// UARTs, a shutdown sent on one and seen on the other.
#[test]
fn two_channels_in_data_mode_at_once() {
    let t = r"AT+WIPDATA=2,3,1
CONNECT                         // channel 1 maps socket 3
@channel 2
AT+WIPDATA=2,1,1
CONNECT                         // channel 2 maps socket 1
>> [ETX]
@channel 1
<< \r\nSHUTDOWN\r\n
+++
OK
+WIPPEERCLOSE: 2,3
@channel 2
+++
OK
@channel 1
AT+WIPCLOSE=3,2
OK
";
    let got: Vec<(String, wip_transcript::Event)> =
        events(t).into_iter().map(|(_, c, e)| (c, e)).collect();
    let want = [
        ("1", cmd("AT+WIPDATA=2,3,1")),
        ("1", modem_c("CONNECT", "channel 1 maps socket 3")),
        ("2", directive("channel", "2")),
        ("2", cmd("AT+WIPDATA=2,1,1")),
        ("2", modem_c("CONNECT", "channel 2 maps socket 1")),
        ("2", host(b"\x03")),
        ("1", directive("channel", "1")),
        ("1", dev(b"\r\nSHUTDOWN\r\n")),
        ("1", escape()),
        ("1", modem("OK")),
        ("1", modem("+WIPPEERCLOSE: 2,3")),
        ("2", directive("channel", "2")),
        ("2", escape()),
        ("2", modem("OK")),
        ("1", directive("channel", "1")),
        ("1", cmd("AT+WIPCLOSE=3,2")),
        ("1", modem("OK")),
    ];
    let want: Vec<_> = want.into_iter().map(|(c, e)| (c.to_owned(), e)).collect();
    assert_eq!(got, want);
}
