//! Stateful `wip verify`: what the transcript established (and what
//! `@assume` declares) decides which answers a modem could have given;
//! what the transcript did not show is unknown.

use wip_schema::Dialect;
use wip_transcript::verify::{verify, Violation};

fn d() -> &'static Dialect {
    static D: std::sync::OnceLock<Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| wip_spec::default_spec().unwrap().dialect)
}

fn check(text: &str) -> Vec<Violation> {
    verify(d(), text.as_bytes()).unwrap()
}

#[test]
fn a_partial_transcript_assumes_nothing() {
    // No stack start, no creation: every socket and session named here may
    // exist, and a data offline session may be open.
    let text = "\
AT+WIPDATA=2,1,1
CONNECT
>> hello
+++
OK
AT+WIPDATARW=1,3,\"3031\"
+WIPDATARW: 3,3,2
OK
+WIPREADY: 1,2
AT+WIPCREATE=4,1,\"ftp.example.com\",21,\"u\",\"p\"
OK
AT+WIPPING=\"192.168.0.1\"
OK
";
    assert_eq!(check(text), vec![]);
}

#[test]
fn assume_declares_what_came_before() {
    let ok = "\
@assume stack started
@assume bearer GPRS started
AT+WIPCREATE=1,1,\"192.168.0.1\",5000
OK
";
    assert_eq!(check(ok), vec![]);
    let in_use = "\
@assume socket 2,1 ready
AT+WIPCREATE=2,1,\"192.168.0.1\",80
OK
";
    let v = check(in_use);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].line, 3);
    assert!(
        v[0].message
            .contains("socket TCP client 1 was assumed ready at line 1"),
        "{}",
        v[0].message
    );
    let offline = "\
@assume socket 1,2 offline
AT+WIPDATARW=1,2,\"30\"
+WIPDATARW: 3,2,1
OK
";
    assert_eq!(check(offline), vec![]);
}

#[test]
fn a_refused_command_changes_nothing() {
    // 840 is the right answer; the socket stays as it was, and its close
    // then makes a later mapping impossible.
    let text = "\
AT+WIPCFG=1
OK
AT+WIPBR=1,6
OK
AT+WIPBR=4,6,0
OK
AT+WIPCREATE=2,1,\"192.168.0.1\",80
OK
+WIPREADY: 2,1
AT+WIPCREATE=2,1,\"192.168.0.1\",80
+CME ERROR: 840
AT+WIPCLOSE=2,1
OK
AT+WIPDATA=2,1,1
+CME ERROR: 831
AT+WIPDATA=2,1,1
CONNECT
+++
OK
";
    let v = check(text);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].line, 17);
    assert!(v[0].message.contains("was closed at line 13"), "{v:?}");
}

#[test]
fn a_violation_is_judged_as_if_it_had_been_right() {
    // The second creation wrongly answered OK is reported once; the
    // socket is then open, so mapping it conforms.
    let text = "\
@assume power-on
AT+WIPCREATE=2,1,\"192.168.0.1\",80
OK
+WIPREADY: 2,1
AT+WIPDATA=2,1,1
CONNECT
+++
OK
";
    let v = check(text);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].line, 3);
    assert!(v[0].message.contains("+CME ERROR: 803"), "{v:?}");
}

#[test]
fn stopping_the_stack_closes_everything() {
    let text = "\
@assume stack started
@assume socket 1,1 ready
AT+WIPCFG=0
OK
AT+WIPCFG=1
OK
+WIPDATA: 1,1,10,\"192.168.0.1\",5000
";
    let v = check(text);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].line, 7);
    assert!(
        v[0].message.contains(
            "socket UDP 1 does not exist (none since the IP stack was started at line 6)"
        ),
        "{}",
        v[0].message
    );
}

#[test]
fn assume_directives_round_trip_through_reader_and_writer() {
    let text = "@assume stack started\n@assume socket 2,1 ready  // from the log before\n@assume server 1 1-4\n";
    let events = wip_transcript::parse_str(text).unwrap();
    assert_eq!(events.len(), 3);
    let mut out = Vec::new();
    {
        let mut w = wip_transcript::Writer::new(&mut out);
        for e in &events {
            w.write(e).unwrap();
        }
    }
    assert_eq!(String::from_utf8(out).unwrap(), text);
}

#[test]
fn a_server_accepts_only_on_a_free_index_of_its_range() {
    // Started stack: the server's range (5 to 8) and the sockets it spawned
    // are known. An index freed by its close can be spawned again.
    let text = "\
AT+WIPCFG=1
OK
AT+WIPBR=1,6
OK
AT+WIPBR=4,6,0
OK
AT+WIPCREATE=3,1,80,5,8
OK
+WIPACCEPT: 1,5
+WIPACCEPT: 1,8
AT+WIPCLOSE=2,5
OK
+WIPACCEPT: 1,5
+WIPACCEPT: 1,4
+WIPACCEPT: 1,8
";
    let v = check(text);
    let lines: Vec<usize> = v.iter().map(|v| v.line).collect();
    assert_eq!(lines, vec![14, 15], "{v:?}");
    assert!(v[0].message.contains("5 to 8 only"), "{v:?}");
    assert!(v[1].message.contains("TCP client 8 is in use"), "{v:?}");

    // Nothing shown about the server: any accept may be right.
    assert_eq!(check("+WIPACCEPT: 2,4\n+WIPACCEPT: 3,1\n"), vec![]);
}

#[test]
fn a_directive_without_a_name_is_ignored() {
    // Transcript format: a tool ignores a directive it does not know; one
    // without a name is known to none.
    assert_eq!(check("@\n@ foo bar\nAT+WIPCFG=1\nOK\n"), vec![]);
}

#[test]
fn a_payload_line_answering_a_foreign_command_passes_unchecked() {
    // Outside data mode and with no prompt, `>> hi` is a modem line; the
    // answer of a command that is not the spec's passes unchecked (rule 4
    // of the transcript format). After a command of the spec it is no
    // line of the spec.
    assert_eq!(check("ATI\n>> hi\nOK\n"), vec![]);
    let v = check("AT+WIPCFG=1\n>> hi\nOK\n");
    assert_eq!(
        v.iter().map(|v| v.line).collect::<Vec<_>>(),
        vec![2],
        "{v:?}"
    );
}
