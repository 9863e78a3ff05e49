//! MMS sessions (5.1.2 mode 8, 5.3.7.6, 9.9): two files sent with
//! +WIPFILE, the message posted by WIP_MMS_DONE as an OMA MMS `m-send-req`
//! to a test MMSC (tiny_http) that decodes it field by field and answers an
//! `m-send-conf`; its refusal is the manual's code.

mod common;

use std::sync::{Arc, Mutex};

use common::*;

/// A part: content type, headers (field, text), data.
type Part = (String, Vec<(u8, String)>, Vec<u8>);
/// What the MMSC got: URL and content type, then the PDU.
type Posted = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A decoded m-send-req: headers (field, value as text), content type and
/// parameters, parts (content type, headers, data).
#[derive(Debug, Default)]
struct Decoded {
    headers: Vec<(u8, String)>,
    content_type: Vec<u8>,
    parts: Vec<Part>,
}

fn uintvar(b: &[u8], i: &mut usize) -> usize {
    let mut n = 0;
    loop {
        let x = b[*i];
        *i += 1;
        n = (n << 7) | usize::from(x & 0x7f);
        if x & 0x80 == 0 {
            return n;
        }
    }
}

fn text(b: &[u8], i: &mut usize) -> String {
    if b[*i] == 127 || b[*i] == 0x22 {
        *i += 1;
    }
    let end = b[*i..].iter().position(|x| *x == 0).unwrap() + *i;
    let s = String::from_utf8_lossy(&b[*i..end]).into_owned();
    *i = end + 1;
    s
}

fn value_len(b: &[u8], i: &mut usize) -> usize {
    let x = b[*i];
    *i += 1;
    if x <= 30 {
        usize::from(x)
    } else {
        uintvar(b, i)
    }
}

/// An independent reading of OMA-TS-MMS_ENC: what the emulator must have
/// written.
fn decode(b: &[u8]) -> Decoded {
    let mut d = Decoded::default();
    let mut i = 0;
    loop {
        let f = b[i];
        i += 1;
        match f {
            0x8C | 0x8D | 0x8A | 0x8F | 0x94 => {
                d.headers.push((f, format!("{:02X}", b[i])));
                i += 1;
            }
            0x98 | 0x97 | 0x82 | 0x81 | 0x96 => {
                let t = text(b, &mut i);
                d.headers.push((f, t));
            }
            0x89 => {
                let n = value_len(b, &mut i);
                let v = &b[i..i + n];
                let s = if v[0] == 0x81 {
                    "insert-address".to_string()
                } else {
                    let mut j = 1;
                    text(v, &mut j)
                };
                d.headers.push((f, s));
                i += n;
            }
            0x84 => {
                if b[i] >= 0x80 {
                    d.content_type = vec![b[i]];
                    i += 1;
                } else {
                    let n = value_len(b, &mut i);
                    d.content_type = b[i..i + n].to_vec();
                    i += n;
                }
                break;
            }
            other => panic!("unexpected field {other:02X} at {i}"),
        }
    }
    let n = uintvar(b, &mut i);
    for _ in 0..n {
        let hl = uintvar(b, &mut i);
        let dl = uintvar(b, &mut i);
        let h = &b[i..i + hl];
        let mut j = 0;
        let ct = if h[0] < 0x20 {
            let n = value_len(h, &mut j);
            let mut k = j;
            let t = text(h, &mut k);
            j += n;
            t
        } else {
            text(h, &mut j)
        };
        let mut headers = Vec::new();
        while j < h.len() {
            let f = h[j];
            j += 1;
            headers.push((f, text(h, &mut j)));
        }
        i += hl;
        d.parts.push((ct, headers, b[i..i + dl].to_vec()));
        i += dl;
    }
    assert_eq!(i, b.len(), "nothing after the last part");
    d
}

/// The MMSC: keeps each PDU posted; an MMS to an address with "unknown"
/// in it gets "sending address unresolved" (0x84).
fn mmsc() -> (Arc<tiny_http::Server>, std::net::SocketAddr, Posted) {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let addr = server.server_addr().to_ip().unwrap();
    let got: Posted = Arc::default();
    let (s, g) = (Arc::clone(&server), Arc::clone(&got));
    std::thread::spawn(move || {
        for mut req in s.incoming_requests() {
            let mut body = Vec::new();
            let _ = req.as_reader().read_to_end(&mut body);
            let ct = req
                .headers()
                .iter()
                .find(|h| h.field.equiv("Content-Type"))
                .map(|h| h.value.to_string())
                .unwrap_or_default();
            let status = if String::from_utf8_lossy(&body).contains("unknown") {
                0x84
            } else {
                0x80
            };
            g.lock()
                .unwrap()
                .push((format!("{} {}", req.url(), ct), body));
            let mut conf = vec![0x8C, 0x81, 0x98];
            conf.extend_from_slice(b"T1\0");
            conf.extend_from_slice(&[0x8D, 0x92, 0x92, status]);
            let _ = req.respond(tiny_http::Response::from_data(conf));
        }
    });
    (server, addr, got)
}

/// The creation of the MMS session on index 1 to the test MMSC (routed
/// from 192.168.10.200:8080).
const CREATE: &str = "AT+WIPCREATE=8,1,\"192.168.10.200\",8080,\"http://mms.example.com/mmsc\"";

/// A started modem with the MMS session of [`CREATE`] open: the MMSC
/// (kept alive with it), the emulator and its UART.
fn mms_session() -> (Arc<tiny_http::Server>, wip_sim::Sim, wip_sim::UartHandle) {
    let (server, addr, _got) = mmsc();
    let sim = sim();
    route(&sim, "192.168.10.200", 8080, addr);
    let u = started(&sim);
    assert_eq!(answer(&u, CREATE), "\r\nOK\r\n");
    (server, sim, u)
}

/// 6.1.9: "if data size is greater than the one specified via
/// WIP_MMS_ADD_FILE ..., the data will be truncated to said option's size,
/// and module will leave the data mode. When going back to AT mode,
/// +WIPFILE: proto,index,size will be received": no ETX or `+++` needed.
#[test]
fn an_mms_file_past_its_size_leaves_data_mode_by_itself() {
    let (_server, _sim, u) = mms_session();
    all_ok(
        &u,
        &[
            "AT+WIPOPT=8,1,2,83,\"+33623456789\"",
            "AT+WIPOPT=8,1,2,93,9,4,\"a.txt\",\"<001>\"",
        ],
    );
    u.send(b"AT+WIPFILE=8,1,2,\"a.txt\",\"<001>\"\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    // Six bytes for four declared, and no end of data from the host.
    u.send(b"abcdef");
    assert_eq!(
        until(&u, b"+WIPFILE: 8,1,4\r\n", 5),
        b"\r\nOK\r\n\r\n+WIPFILE: 8,1,4\r\n"
    );
    // Back in AT mode.
    assert_eq!(at(&u, "AT", "OK\r\n"), "\r\nOK\r\n");
}

/// What follows the end of an MMS file in the host's write is read in AT
/// mode, however the write was cut: after the ETX that ends a file within
/// its size (6.1.2), and from the first byte past its declared size, where
/// the module leaves data mode by itself (6.1.9); what comes before the
/// `AT` of the next command line is no part of it.
#[test]
fn what_follows_an_mms_file_is_at_input_however_the_write_is_cut() {
    let play = |wire: &[u8], cuts: &[usize]| {
        let (_server, _sim, u) = mms_session();
        all_ok(
            &u,
            &[
                "AT+WIPOPT=8,1,2,83,\"+33623456789\"",
                "AT+WIPOPT=8,1,2,93,3,10,\"a.txt\"",
            ],
        );
        u.send(b"AT+WIPFILE=8,1,2,\"a.txt\"\r");
        until(&u, b"\r\nCONNECT\r\n", 5);
        let mut at = 0;
        for &c in cuts.iter().chain([&wire.len()]) {
            u.send(wire.get(at..c).unwrap_or_default());
            at = c;
        }
        until(&u, b"WIPsoft:v5.41\r\n\r\nOK\r\n", 5)
    };
    // Within its size, ended by ETX.
    let short = b"hello\x03AT+WIPCFG=3\r";
    let whole = play(short, &[]);
    assert!(whole.starts_with(b"\r\nOK\r\n\r\nWIPsoft"), "{whole:?}");
    assert_eq!(play(short, &[6]), whole);
    // Past its size (10): cut at the byte after it, a DLE-escaped ETX
    // among the bytes past it, the ETX and the next command after them.
    let long = b"0123456789ab\x10\x03cd\x03AT+WIPCFG=3\r";
    let whole = play(long, &[]);
    assert!(
        whole.starts_with(b"\r\nOK\r\n\r\n+WIPFILE: 8,1,10\r\n\r\nWIPsoft"),
        "{whole:?}"
    );
    for cuts in [&[11][..], &[10], &[13], &[17], &[3, 9, 12, 14]] {
        assert_eq!(play(long, cuts), whole, "cut at {cuts:?}");
    }
}

#[test]
fn an_mms_of_two_files_decoded_field_by_field() {
    let (server, addr, got) = mmsc();
    let sim = sim();
    route(&sim, "192.168.10.200", 8080, addr);
    let u = started(&sim);
    let create = CREATE;
    assert_eq!(at(&u, create, "OK\r\n"), "\r\nOK\r\n");
    all_ok(
        &u,
        &[
            "AT+WIPOPT=8,1,2,82,\"Mr Smith <smith@example.com>\"",
            "AT+WIPOPT=8,1,2,83,\"+33623456789\"",
            "AT+WIPOPT=8,1,2,86,\"X <x@y.com>\"",
            "AT+WIPOPT=8,1,2,87,\"holiday\"",
            "AT+WIPOPT=8,1,2,89,2",
            "AT+WIPOPT=8,1,2,92,1,\"application/smil\",\"<001>\"",
            "AT+WIPOPT=8,1,2,93,9,20,\"1.smil\",\"<001>\"",
            "AT+WIPOPT=8,1,2,93,4,10,\"4.jpeg\",\"<004>\"",
        ],
    );
    u.send(b"AT+WIPFILE=8,1,2,\"1.smil\",\"<001>\"\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    u.send(b"<smil>..........</smil>\x03");
    // 23 bytes for 20 declared: cut, and the size kept reported (6.1.9).
    assert_eq!(
        until(&u, b"+WIPFILE: 8,1,20\r\n", 5),
        b"\r\nOK\r\n\r\n+WIPFILE: 8,1,20\r\n"
    );
    // The second file declared is 4.jpeg, <004>: a +WIPFILE naming
    // another is refused (6.1.5, erratum E60), and sends nothing.
    for other in ["\"1.smil\"", "\"4.jpeg\",\"<001>\"", ",\"<005>\""] {
        let line = format!("AT+WIPFILE=8,1,2,{other}");
        assert_eq!(
            at(&u, &line, "850\r\n"),
            "\r\n+CME ERROR: 850\r\n",
            "{line}"
        );
    }
    u.send(b"AT+WIPFILE=8,1,2,\"4.jpeg\",\"<004>\"\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    let jpeg = [0xFF, 0xD8, 0x10, 0x03, 0x00, 0x10, 0x10, 0x41, 0x42, 0xD9];
    let mut wire = wip_runtime::escape::escape(&jpeg);
    wire.push(0x03);
    u.send(&wire);
    assert_eq!(until(&u, b"\r\nOK\r\n", 5), b"\r\nOK\r\n");
    // No third file was declared.
    assert!(at(&u, "AT+WIPFILE=8,1,2,\"x\"", "831\r\n").ends_with("+CME ERROR: 831\r\n"));
    // WIP_MMS_DONE: posted, then the session closes itself.
    assert_eq!(
        at(&u, "AT+WIPOPT=8,1,2,96", "+WIPPEERCLOSE: 8,1\r\n"),
        "\r\nOK\r\n\r\n+WIPPEERCLOSE: 8,1\r\n"
    );
    // The ended session's close is answered OK, as 9.9 prints it (erratum
    // E12): 5.2.7 gives 831 only for FTP, HTTP, SMTP and POP3 sessions.
    assert_eq!(at(&u, "AT+WIPCLOSE=8,1", "OK\r\n"), "\r\nOK\r\n");

    let (what, pdu) = got.lock().unwrap()[0].clone();
    assert_eq!(
        what,
        "http://mms.example.com/mmsc application/vnd.wap.mms-message"
    );
    let d = decode(&pdu);
    let h = |f: u8| -> Vec<String> {
        d.headers
            .iter()
            .filter(|(x, _)| *x == f)
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(d.headers[0], (0x8C, "80".to_string()), "m-send-req first");
    assert!(h(0x98)[0].starts_with("WIP-1-"), "transaction id");
    assert_eq!(h(0x8D), ["92"], "MMS 1.2");
    assert_eq!(h(0x89), ["insert-address"]);
    assert_eq!(h(0x97), ["Mr Smith <smith@example.com>"]);
    assert_eq!(h(0x82), ["+33623456789/TYPE=PLMN"]);
    assert_eq!(h(0x81), ["X <x@y.com>"]);
    assert_eq!(h(0x96), ["holiday"]);
    assert_eq!(h(0x8A), ["80"], "personal");
    assert_eq!(h(0x8F), ["82"], "high");
    let mut ct = vec![0xB3, 0x89];
    ct.extend_from_slice(b"application/smil\0\x8A<001>\0");
    assert_eq!(d.content_type, ct, "multipart/related, type and start");
    assert_eq!(d.parts.len(), 2);
    assert_eq!(d.parts[0].0, "application/smil");
    assert_eq!(
        d.parts[0].1,
        [(0x8E, "1.smil".to_string()), (0xC0, "<001>".to_string())]
    );
    assert_eq!(d.parts[0].2, b"<smil>..........</sm");
    assert_eq!(d.parts[1].0, "image/jpeg");
    assert_eq!(d.parts[1].2, jpeg);

    // The MMSC refuses: "sending address unresolved" is 892.
    at(&u, create, "OK\r\n");
    at(&u, "AT+WIPOPT=8,1,2,82,\"unknown@example.com\"", "OK\r\n");
    assert!(at(&u, "AT+WIPOPT=8,1,2,96", "892\r\n").ends_with("+CME ERROR: 892\r\n"));
    assert_eq!(at(&u, "AT+WIPCLOSE=8,1", "OK\r\n"), "\r\nOK\r\n");
    server.unblock();
    stop(sim);
}

/// The final answer to a command: the bytes up to its `OK` or error line.
fn answer(u: &wip_sim::UartHandle, line: &str) -> String {
    u.send(format!("{line}\r").as_bytes());
    let mut got = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let s = String::from_utf8_lossy(&got).into_owned();
        if s.ends_with("OK\r\n") || (s.contains("ERROR") && s.ends_with("\r\n")) {
            return s;
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match u.recv_timeout(left) {
            Some(b) => got.extend_from_slice(&b),
            None => panic!("no final answer to {line}: {s:?}"),
        }
    }
}

/// What the tables of 5.1.3, 5.3.7.6 and 6.1.5 state in prose, the
/// emulator answers as the spec records it: a format (the URL's scheme),
/// a value made mandatory, and the totals across options (recipients
/// counted, each list's length with the `/TYPE=PLMN` it adds).
#[test]
fn the_prose_facts_of_the_mms_tables_are_answered_as_the_spec_states() {
    let (_server, addr, _got) = mmsc();
    let sim = sim();
    route(&sim, "192.168.10.200", 8080, addr);
    let u = started(&sim);
    // Format (5.1.3): the URL starts with http://.
    let no_scheme = "AT+WIPCREATE=8,1,\"192.168.10.200\",8080,\"mms.example.com\"";
    assert!(answer(&u, no_scheme).contains("ERROR"), "{no_scheme}");
    let create = CREATE;
    assert_eq!(answer(&u, create), "\r\nOK\r\n");
    // Mandatory values (5.3.7.6): Related needs its presentation type
    // and start file; the type is any string (the manual gives it no
    // format; 9.9 sends a MIME type).
    assert!(answer(&u, "AT+WIPOPT=8,1,2,92,1").contains("ERROR"));
    assert!(answer(&u, "AT+WIPOPT=8,1,2,92,1,\"smil\"").contains("ERROR"));
    assert_eq!(
        answer(&u, "AT+WIPOPT=8,1,2,92,1,\"smil\",\"<001>\""),
        "\r\nOK\r\n"
    );
    assert_eq!(
        answer(&u, "AT+WIPOPT=8,1,2,92,1,\"application/smil\",\"<001>\""),
        "\r\nOK\r\n"
    );
    // Length with the suffix the modem adds (5.3.7.6.4.1): 239 digits and
    // "/TYPE=PLMN" make 249 characters; 240 would make 250.
    let long = "0".repeat(240);
    let reply = answer(&u, &format!("AT+WIPOPT=8,1,2,81,\"{long}\""));
    assert!(reply.contains("ERROR"), "{reply}");
    // The To list holds 239 + 10 characters: one more recipient passes it.
    let fits = "0".repeat(239);
    assert_eq!(
        answer(&u, &format!("AT+WIPOPT=8,1,2,81,\"{fits}\"")),
        "\r\nOK\r\n"
    );
    // Past its length over several writes, the list is a value too long:
    // 850, as in one write (E55).
    assert_eq!(
        answer(&u, "AT+WIPOPT=8,1,2,82,\"a@b\""),
        "\r\n+CME ERROR: 850\r\n"
    );
    // Count (5.3.7.6.4.1): 12 recipients in To, Cc and Bcc, the 13th is
    // refused.
    for i in 0..11 {
        let opt = [83, 84, 85, 86][i % 4];
        let line = format!("AT+WIPOPT=8,1,2,{opt},\"{i}@example.com\"");
        assert_eq!(answer(&u, &line), "\r\nOK\r\n", "{line}");
    }
    assert_eq!(
        answer(&u, "AT+WIPOPT=8,1,2,84,\"last@example.com\""),
        "\r\n+CME ERROR: 801\r\n"
    );
    stop(sim);
}

/// A read of an MMS option gives back what was written (5.3.2): the
/// whole list of a recipient kind (5.3.7.6.4.2), the value of an option
/// of one value, and the related type with its presentation and start.
#[test]
fn mms_options_read_back_what_was_written() {
    let (_server, _sim, u) = mms_session();
    for w in [
        "AT+WIPOPT=8,1,2,83,\"0601020304\"",
        "AT+WIPOPT=8,1,2,84,\"cc@example.com\"",
        "AT+WIPOPT=8,1,2,87,\"subject line\"",
        "AT+WIPOPT=8,1,2,88,2",
        "AT+WIPOPT=8,1,2,92,1,\"application/smil\",\"<001>\"",
    ] {
        assert_eq!(answer(&u, w), "\r\nOK\r\n", "{w}");
    }
    let cc = "\"0601020304/TYPE=PLMN;cc@example.com\"";
    for (read, line) in [
        ("AT+WIPOPT=8,1,1,83", format!("+WIPOPT: 8,83,{cc}")),
        ("AT+WIPOPT=8,1,1,84", format!("+WIPOPT: 8,84,{cc}")),
        ("AT+WIPOPT=8,1,1,85", "+WIPOPT: 8,85,\"\"".to_string()),
        // An option of text never written reads as an empty string.
        ("AT+WIPOPT=8,1,1,91", "+WIPOPT: 8,91,\"\"".to_string()),
        (
            "AT+WIPOPT=8,1,1,87",
            "+WIPOPT: 8,87,\"subject line\"".to_string(),
        ),
        ("AT+WIPOPT=8,1,1,88", "+WIPOPT: 8,88,2".to_string()),
        (
            "AT+WIPOPT=8,1,1,92",
            "+WIPOPT: 8,92,1,\"application/smil\",\"<001>\"".to_string(),
        ),
    ] {
        assert_eq!(
            answer(&u, read),
            format!("\r\n{line}\r\n\r\nOK\r\n"),
            "{read}"
        );
    }
    // 6.1.4: the read command of +WIPFILE answers OK.
    assert_eq!(answer(&u, "AT+WIPFILE?"), "\r\nOK\r\n");
}

/// 5.3.5 and 5.3.7.6: an MMS option value that breaks a fact of its row
/// (the date's format, "Related" without its type and start, a file with
/// neither name nor content-id, a type that is no MIME type) has the
/// syntax of +WIPOPT: it is `+CME ERROR: 801`, invalid option value, as
/// a value out of its range is, not a bare `ERROR`. A phone list that the
/// `/TYPE=PLMN` the modem adds takes past 249 characters is a string too
/// long: 850, as for any channel value (erratum E55).
#[test]
fn mms_option_values_that_break_their_rows_are_801() {
    let (_server, _sim, u) = mms_session();
    let long_phone = format!("AT+WIPOPT=8,1,2,81,\"{}\"", "1".repeat(240));
    for w in [
        "AT+WIPOPT=8,1,2,80,\"2009-12-31\"",
        "AT+WIPOPT=8,1,2,92,1",
        "AT+WIPOPT=8,1,2,93,4,5",
        "AT+WIPOPT=8,1,2,94,\"imagexyz\",5,\"f\"",
        "AT+WIPOPT=8,1,2,88,4",
    ] {
        assert_eq!(answer(&u, w), "\r\n+CME ERROR: 801\r\n", "{w}");
    }
    assert_eq!(answer(&u, &long_phone), "\r\n+CME ERROR: 850\r\n");
    // What is still a syntax error stays one: a value more than the
    // option takes.
    assert_eq!(answer(&u, "AT+WIPOPT=8,1,2,88,2,3"), "\r\nERROR\r\n");
}

/// 5.3.7.6: WIP_MMS_DATE never written reads as the NULL string, and that
/// read conforms to the spec (its format is that of the dates written).
#[test]
fn an_unset_mms_date_reads_empty_and_conforms() {
    let (_server, _sim, u) = mms_session();
    let read = "AT+WIPOPT=8,1,1,80";
    assert_eq!(answer(&u, read), "\r\n+WIPOPT: 8,80,\"\"\r\n\r\nOK\r\n");
    let d = wip_sim::default_dialect().expect("the embedded spec loads");
    let cmd = wip_schema::parse_command(&d, read).expect("the read parses");
    let parsed = wip_schema::parse_message(&d, "+WIPOPT: 8,80,\"\"", Some((cmd.command, cmd.form)));
    assert!(parsed.is_ok(), "{parsed:?}");
    // A date written must still have the format.
    let bad = "+WIPOPT: 8,80,\"12-31-2009\"";
    assert!(wip_schema::parse_message(&d, bad, Some((cmd.command, cmd.form))).is_err());
}
