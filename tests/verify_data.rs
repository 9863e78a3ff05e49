//! `wip verify` on the modem's bytes in data mode: in continuous mode the
//! modem escapes every [DLE] and [ETX] of the data with a [DLE] (6.1.1,
//! 6.2.2.4), and where a lone [ETX] ends a transfer (6.1.2) nothing follows
//! it; continuous transparent mode passes bytes untouched (6.1.3, 6.2.3).

use wip_schema::Dialect;
use wip_transcript::verify::{verify, Violation};

fn d() -> &'static Dialect {
    static D: std::sync::OnceLock<Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| wip_spec::default_spec().unwrap().dialect)
}

fn check(text: &str) -> Vec<Violation> {
    verify(d(), text.as_bytes()).unwrap()
}

/// An FTP download (6.1.4 mode 1: continuous mode, a lone [ETX] ends it)
/// whose modem data are `lines`, ended by `OK`.
fn download(lines: &[&str]) -> String {
    let mut t = String::from("AT+WIPFILE=4,1,1,\"a.bin\"\nCONNECT\n");
    for l in lines {
        t.push_str(l);
        t.push('\n');
    }
    t.push_str("OK\n");
    t
}

/// The lines of the violations.
fn lines(v: &[Violation]) -> Vec<usize> {
    v.iter().map(|v| v.line).collect()
}

#[test]
fn escaped_data_and_the_closing_etx_conform() {
    assert_eq!(
        check(&download(&["<< ab[DLE][ETX]c[DLE][DLE]d[ETX]"])),
        vec![]
    );
    // An escape may be cut between two payload lines.
    assert_eq!(check(&download(&["<< ab[DLE]", "<< [ETX]cd[ETX]"])), vec![]);
}

#[test]
fn a_dle_that_escapes_nothing_is_a_violation() {
    let v = check(&download(&["<< ab[DLE]c[ETX]"]));
    assert_eq!(lines(&v), vec![3], "{v:?}");
    assert!(
        v[0].message.contains("[DLE] followed by 0x63") && v[0].message.contains("6.1.1.2"),
        "{v:?}"
    );
    // Cut between lines: reported where the wrong byte is, naming the DLE.
    let v = check(&download(&["<< ab[DLE]", "<< c[ETX]"]));
    assert_eq!(lines(&v), vec![4], "{v:?}");
    assert!(v[0].message.contains("the [DLE] is at line 3"), "{v:?}");
    // Last byte before the final result code.
    let v = check(&download(&["<< ab[DLE]"]));
    assert_eq!(lines(&v), vec![3], "{v:?}");
    assert!(v[0].message.contains("escapes nothing"), "{v:?}");
}

#[test]
fn data_after_the_etx_that_ends_a_transfer_is_a_violation() {
    let v = check(&download(&["<< abc[ETX]def"]));
    assert_eq!(lines(&v), vec![3], "{v:?}");
    assert!(
        v[0].message
            .contains("after the [ETX] that ended the transfer at line 3"),
        "{v:?}"
    );
    let v = check(&download(&["<< abc[ETX]", "<< d"]));
    assert_eq!(lines(&v), vec![4], "{v:?}");
}

#[test]
fn tcp_continuous_mode_escapes_but_its_etx_does_not_end_the_data() {
    // 6.2.2.3: a lone [ETX] from the modem is the peer's shutdown of the
    // downlink way; data mode goes on, the host may still send.
    let tcp = |payload: &str| format!("AT+WIPDATA=2,1,1\nCONNECT\n<< {payload}\n+++\nOK\n");
    assert_eq!(check(&tcp("a[DLE][ETX]c[DLE][DLE]")), vec![]);
    assert_eq!(check(&tcp("ab[ETX]\n>> more[DLE][ETX]")), vec![]);
    // A lone [ETX] again is no data (a reset sends one, 6.2.5).
    let reset = "AT+CMEE=1\nOK\nAT+WIPDATA=2,1,1\nCONNECT\n<< ab[ETX]\n<< [ETX]\n+CME ERROR: 843\n";
    assert_eq!(check(reset), vec![]);
    let v = check(&tcp("a[DLE]b"));
    assert_eq!(lines(&v), vec![3], "{v:?}");
    // The peer sends nothing after its shutdown: no data follows the
    // modem's lone [ETX], on its line or a later one.
    for payload in [
        "ab[ETX]c[DLE][DLE]",
        "ab[ETX]\n<< c",
        "ab[ETX]\n>> x\n<< [DLE][ETX]",
    ] {
        let v = check(&tcp(payload));
        let at = 3 + payload.matches('\n').count();
        assert_eq!(lines(&v), vec![at], "{payload}: {v:?}");
        assert!(
            v[0].message
                .contains("the modem sends data after its lone [ETX] at line 3"),
            "{v:?}"
        );
    }
}

#[test]
fn transparent_mode_passes_every_byte() {
    // 6.2.3: continuous transparent mode, no escaping.
    let t = "AT+WIPDATA=2,1,2\nCONNECT\n<< a[DLE]b[ETX]c\n+++\nOK\n";
    assert_eq!(check(t), vec![]);
}

#[test]
fn a_form_that_opens_data_mode_is_not_answered_ok() {
    // 6.1.4 and 6.2.6: CONNECT (or an error); OK ends the data mode.
    for (cmd, mode) in [
        ("AT+WIPFILE=4,1,1,\"a.bin\"", "continuous mode"),
        ("AT+WIPDATA=2,1,1", "continuous mode"),
        ("AT+WIPDATA=2,1,2", "continuous transparent mode"),
    ] {
        let v = check(&format!("{cmd}\nOK\n"));
        assert_eq!(lines(&v), vec![2], "{cmd}: {v:?}");
        assert!(v[0].message.contains(&format!("opens {mode}")), "{v:?}");
        assert_eq!(check(&format!("{cmd}\n+CME ERROR: 831\n")), vec![], "{cmd}");
    }
    // Unmapping (mode 0) and a data offline session (mode 3) answer OK.
    assert_eq!(check("AT+WIPDATA=2,1,0\nOK\n"), vec![]);
    assert_eq!(check("AT+WIPDATA=2,1,3\n+WIPDATARW: 1,1\nOK\n"), vec![]);
}

/// `wip verify` reads a line's blanks as the reader does (space and tab):
/// a `CONNECT` followed by a CR (a file saved with `\r\r\n` line ends)
/// does not open data mode for one and not the other, so the violation is
/// reported at that line; and a `CONNECT` inside data mode is reported
/// there, the line staying in data mode as the reader keeps it.
#[test]
fn blanks_and_connect_are_read_as_the_reader_reads_them() {
    let d = wip_spec::default_spec().unwrap().dialect;
    let head = "@assume stack started\n@assume socket 2,1 ready\nAT+WIPDATA=2,1,1\n";
    let cr = format!("{head}CONNECT\r\r\n>> abc\n+++\nOK\n");
    let v = wip_transcript::verify::verify(&d, cr.as_bytes()).unwrap();
    assert_eq!(v.first().map(|v| v.line), Some(4), "{v:?}");
    let twice = format!("{head}CONNECT\nCONNECT\n+++\nOK\n");
    let v = wip_transcript::verify::verify(&d, twice.as_bytes()).unwrap();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].line, 5);
    assert!(v[0].message.contains("stays in data mode"), "{v:?}");
}

/// 6.2.2.2: a UDP datagram is at most 5904 bytes, and each one the modem
/// sends in continuous mode ends with a lone [ETX]: a datagram of 5905
/// bytes is a violation, however the transcript cuts its lines; escaped
/// [DLE] and [ETX] count as one byte each.
#[test]
fn a_udp_datagram_from_the_modem_is_at_most_5904_bytes() {
    let udp = |lines: &[String]| {
        let mut t = String::from("AT+WIPDATA=1,1,1\nCONNECT\n");
        for l in lines {
            t.push_str(&format!("<< {l}\n"));
        }
        t.push_str("+++\nOK\n");
        t
    };
    let x = |n: usize| "x".repeat(n);
    assert_eq!(check(&udp(&[format!("{}[ETX]", x(5904))])), vec![]);
    assert_eq!(
        check(&udp(&[format!("{}[ETX]{}[ETX]", x(5904), x(5904))])),
        vec![]
    );
    // 5902 bytes and two escaped ones: 5904.
    assert_eq!(
        check(&udp(&[format!("{}[DLE][ETX][DLE][DLE][ETX]", x(5902))])),
        vec![]
    );
    let v = check(&udp(&[format!("{}[ETX]", x(5905))]));
    assert_eq!(lines(&v), vec![3], "{v:?}");
    assert!(
        v[0].message.contains("5904 bytes") && v[0].message.contains("6.2.2.2"),
        "{v:?}"
    );
    // Cut over lines: reported at the line where it passes, once.
    let v = check(&udp(&[
        x(3000),
        x(2904),
        format!("{}{}[ETX]", x(1), x(100)),
    ]));
    assert_eq!(lines(&v), vec![5], "{v:?}");
    let v = check(&udp(&[x(3000), format!("{}[DLE][ETX]", x(2904)), x(5)]));
    assert_eq!(lines(&v), vec![4], "{v:?}");
    // A TCP socket's stream has no datagrams.
    let tcp = format!("AT+WIPDATA=2,1,1\nCONNECT\n<< {}\n+++\nOK\n", x(9000));
    assert_eq!(check(&tcp), vec![]);
}

/// An upload (the spec's `upload` outcomes: FTP modes 2 and 5, HTTP PUT, SMTP, MMS)
/// carries data from the host only: data from the modem there is a
/// violation, the host's is not.
#[test]
fn the_modem_sends_no_data_in_an_upload() {
    let up = |data: &str| format!("AT+WIPFILE=4,1,2,\"a.bin\"\nCONNECT\n{data}\nOK\n");
    assert_eq!(check(&up(">> file[ETX]")), vec![]);
    let v = check(&up("<< file[ETX]"));
    assert_eq!(lines(&v), vec![3], "{v:?}");
    assert!(v[0].message.contains("in an upload"), "{v:?}");
    let smtp = "AT+WIPFILE=6,1,2\nCONNECT\n<< 250 ok\n>> body[ETX]\nOK\n";
    assert_eq!(lines(&check(smtp)), vec![3]);
    // A lone [ETX] is no data: the modem ends an aborted upload so.
    let aborted = "AT+WIPFILE=4,1,2,\"a.bin\"\nCONNECT\n>> fi\n<< [ETX]\n+CME ERROR: 852\n";
    assert_eq!(check(aborted), vec![]);
    // A download's data comes from the modem.
    assert_eq!(check(&download(&["<< file[ETX]"])), vec![]);
}

/// HTTP PUT (6.1.5 mode 2: "uploading data to the specified URL", 6.1.8:
/// "<data terminated by [ETX] character>") is an upload; GET, DELETE and
/// POST (6.1.8: "<data received …>") carry the modem's data.
#[test]
fn an_http_put_is_an_upload() {
    let http = |mode: u8, data: &str| {
        format!("AT+WIPFILE=5,1,{mode},\"http://h/x\"\nCONNECT\n{data}\nOK\n")
    };
    assert_eq!(check(&http(2, ">> {\"t\":21}[ETX]")), vec![]);
    let v = check(&http(2, "<< body[ETX]"));
    assert_eq!(lines(&v), vec![3], "{v:?}");
    assert!(v[0].message.contains("in an upload"), "{v:?}");
    for mode in [1, 3, 4] {
        assert_eq!(check(&http(mode, "<< body[ETX]")), vec![], "mode {mode}");
    }
}

/// 9.2: "one datagram is ready to be read … composed of 25 bytes", then
/// "25 bytes + the [ETX] character … have been read": the first datagram
/// a continuous read gives is the one its `+WIPDATA` announced (6.2.6);
/// those after it were not announced.
#[test]
fn the_first_datagram_read_holds_the_size_announced() {
    // Lines 1-9: the stack, the bearer and UDP socket 1.
    let udp = "AT+WIPCFG=1\nOK\nAT+WIPBR=1,6\nOK\nAT+WIPBR=4,6,0\nOK\n\
               AT+WIPCREATE=1,1,55,\"192.168.0.1\",75\nOK\n+WIPREADY: 1,1\n";
    let read = |size: usize, data: &str| {
        format!(
            "{udp}+WIPDATA: 1,1,{size},\"192.168.0.1\",75\nAT+WIPDATA=1,1,1\nCONNECT\n<< {data}\n+++\nOK\n"
        )
    };
    assert_eq!(check(&read(5, "abcde[ETX]")), vec![]);
    assert_eq!(check(&read(5, "ab[DLE][ETX]de[ETX]xyz[ETX]")), vec![]);
    let v = check(&read(5, "abcdef[ETX]"));
    assert_eq!(lines(&v), vec![13], "{v:?}");
    assert!(
        v[0].message
            .contains("holds 6 bytes, but the +WIPDATA at line 10 announced a datagram of 5 bytes"),
        "{v:?}"
    );
    // Read as dumps (data offline mode) first: no continuous read's.
    let offline = format!(
        "{udp}+WIPDATA: 1,1,5,\"192.168.0.1\",75\nAT+WIPDATA=1,1,3\n+WIPDATARW: 1,1\nOK\n\
                   +WIPDATARW: 2,1,1,1,\"6162636465\"\nAT+WIPDATARW=0,1\n+WIPDATARW: 0,1\nOK\n\
                   AT+WIPDATA=1,1,1\nCONNECT\n<< abcdefgh[ETX]\n+++\nOK\n"
    );
    assert_eq!(check(&offline), vec![]);
}
