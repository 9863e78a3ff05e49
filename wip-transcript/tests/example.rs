//! The example of the format, parsed to the exact events.

mod common;
use common::*;

const EXAMPLE: &str = r#"# 9.1.2.1 TCP client socket using the GPRS bearer
AT+WIPCFG=1                       // start IP stack
OK
AT+WIPBR=1,6
OK
AT+WIPBR=2,6,11,"APN name"
OK
AT+WIPBR=4,6,0
OK
AT+WIPCREATE=2,1,"192.168.0.1",80
OK
+WIPREADY: 2,1                    // unsolicited: connected
AT+WIPDATA=2,1,1
CONNECT
>> GET / HTTP/1.0\r\n\r\n
<< HTTP/1.0 200 OK\r\n
+++
OK
AT+WIPCLOSE=2,1
OK
"#;

fn expected() -> Vec<(usize, String, wip_transcript::Event)> {
    let v = vec![
        comment("9.1.2.1 TCP client socket using the GPRS bearer"),
        cmd_c("AT+WIPCFG=1", "start IP stack"),
        modem("OK"),
        cmd("AT+WIPBR=1,6"),
        modem("OK"),
        cmd("AT+WIPBR=2,6,11,\"APN name\""),
        modem("OK"),
        cmd("AT+WIPBR=4,6,0"),
        modem("OK"),
        cmd("AT+WIPCREATE=2,1,\"192.168.0.1\",80"),
        modem("OK"),
        modem_c("+WIPREADY: 2,1", "unsolicited: connected"),
        cmd("AT+WIPDATA=2,1,1"),
        modem("CONNECT"),
        host(b"GET / HTTP/1.0\r\n\r\n"),
        dev(b"HTTP/1.0 200 OK\r\n"),
        escape(),
        modem("OK"),
        cmd("AT+WIPCLOSE=2,1"),
        modem("OK"),
    ];
    v.into_iter()
        .enumerate()
        .map(|(i, e)| (i + 1, "1".to_owned(), e))
        .collect()
}

#[test]
fn example_of_the_format() {
    assert_eq!(events(EXAMPLE), expected());
}

#[test]
fn example_with_crlf_line_ends() {
    assert_eq!(events(&EXAMPLE.replace('\n', "\r\n")), expected());
}

#[test]
fn example_without_final_line_end() {
    assert_eq!(events(EXAMPLE.trim_end_matches('\n')), expected());
}

#[test]
fn example_through_the_writer_reads_back_the_same() {
    let mut w = wip_transcript::Writer::new(Vec::new());
    for s in wip_transcript::parse_str(EXAMPLE).unwrap() {
        w.write(&s).unwrap();
    }
    let written = String::from_utf8(w.into_inner()).unwrap();
    assert_eq!(events(&written), expected());
}
