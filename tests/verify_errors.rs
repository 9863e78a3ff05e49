//! `wip verify` on how errors are worded and when a command cannot be
//! refused: after `AT+CMEE=0` every error is `ERROR` (2.2), and the close
//! of a UDP or TCP socket, or of an MMS session, is answered OK whether it
//! is active or not (5.2.7, erratum E12).

use wip_schema::Dialect;
use wip_transcript::verify::verify;

fn d() -> &'static Dialect {
    static D: std::sync::OnceLock<Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| wip_spec::default_spec().unwrap().dialect)
}

/// The lines of the violations of `text`.
fn lines(text: &str) -> Vec<usize> {
    verify(d(), text.as_bytes())
        .unwrap()
        .iter()
        .map(|v| v.line)
        .collect()
}

#[test]
fn codes_after_cmee_off_are_reported_until_turned_on_again() {
    let t = "AT+CMEE=0\nOK\nAT+WIPCFG=1\nOK\nAT+WIPCFG=1\nERROR\n\
             AT+WIPCFG=1\n+CME ERROR: 844\n\
             AT+CMEE=1\nOK\nAT+WIPCFG=1\n+CME ERROR: 844\n";
    assert_eq!(lines(t), vec![8]);
    // A refused AT+CMEE=0 changes nothing.
    let t = "AT+CMEE=0\nERROR\nAT+WIPCFG=1\nOK\nAT+WIPCFG=1\n+CME ERROR: 844\n";
    assert_eq!(lines(t), Vec::<usize>::new());
    // Nor does it on another channel.
    let t =
        "@channel a\nAT+CMEE=0\nOK\n@channel b\nAT+WIPCFG=1\nOK\nAT+WIPCFG=1\n+CME ERROR: 844\n";
    assert_eq!(lines(t), Vec::<usize>::new());
}

#[test]
fn a_socket_close_is_never_refused_while_the_stack_runs() {
    let start = "AT+CMEE=1\nOK\nAT+WIPCFG=1\nOK\n";
    for close in [
        "AT+WIPCLOSE=1,1",
        "AT+WIPCLOSE=2,3",
        "AT+WIPCLOSE=3,1",
        "AT+WIPCLOSE=8,1",
    ] {
        let t = format!("{start}{close}\n+CME ERROR: 831\n");
        assert_eq!(lines(&t), vec![6], "{close}");
        let t = format!("{start}{close}\nOK\n");
        assert_eq!(lines(&t), Vec::<usize>::new(), "{close}");
    }
    // An inactive FTP session is refused with 831 (5.2.7).
    let t = format!("{start}AT+WIPCLOSE=4,1\n+CME ERROR: 831\n");
    assert_eq!(lines(&t), Vec::<usize>::new());
    // With the stack stopped, 803 (the state says why).
    let t = "AT+CMEE=1\nOK\nAT+WIPCLOSE=1,1\n+CME ERROR: 803\n";
    assert_eq!(lines(t), Vec::<usize>::new());
    // An index out of range is refused for its value.
    let t = format!("{start}AT+WIPCLOSE=1,9\n+CME ERROR: 830\n");
    assert_eq!(lines(&t), Vec::<usize>::new());
}

/// Each violation is one printable line: bytes of the file that come into
/// a message (a prompt's CR LF, an ESC) are written out, not sent raw.
#[test]
fn messages_are_one_printable_line() {
    let t = "@assume stack started\n@assume socket 2,1 ready\nAT+WIPDATA=2,1,1\nCONNECT\n\
             +WIPPEERCLOSE: 2,1\n<< \\r\\nSHUTDOWN\\r\\n\n+++\nOK\n\
             AT+WIPCFG?\n<< a\\r\\nb\\x1b[31mRED\nOK\nAT+WIPCFG=9\u{1b}[31m\nERROR\n";
    let vs = verify(d(), t.as_bytes()).unwrap();
    assert!(vs.len() >= 2, "{vs:?}");
    for v in &vs {
        assert!(
            !v.message.chars().any(char::is_control),
            "line {}: {:?}",
            v.line,
            v.message
        );
    }
    assert!(
        vs.iter().any(|v| v.message.contains("SHUTDOWN\\r\\n")),
        "{vs:?}"
    );
}

/// An `@assume` value past what a byte holds is still a value: the
/// message names the parameter and its range, as for any value out of it.
#[test]
fn assumed_values_out_of_range_name_their_parameter() {
    for (directive, want) in [
        ("@assume socket 2,256 ready", "<idx> = 256 is outside 1..=8"),
        ("@assume server 2 1-300", "<to idx> = 300 is outside 1..=8"),
        (
            "@assume server 300 1-2",
            "<server index> = 300 is outside 1..=4",
        ),
    ] {
        let vs = verify(d(), format!("{directive}\n").as_bytes()).unwrap();
        assert_eq!(vs.len(), 1, "{directive}: {vs:?}");
        assert!(vs[0].message.contains(want), "{directive}: {vs:?}");
    }
}

#[test]
fn bad_port_state_is_a_code_of_socket_creation_only() {
    // 10.1 defines 833 "bad port state" and no section lists it: erratum
    // E59 takes it, beside 832 "bad port number", for +WIPCREATE alone.
    let start = "AT+WIPCFG=1\nOK\nAT+WIPBR=1,6\nOK\nAT+WIPBR=4,6,0\nOK\n";
    let create = format!("{start}AT+WIPCREATE=1,1,1000\n+CME ERROR: 833\n");
    assert_eq!(lines(&create), Vec::<usize>::new(), "{create}");
    let ping = format!("{start}AT+WIPPING=\"192.168.0.1\"\n+CME ERROR: 833\n");
    assert_eq!(lines(&ping), vec![8], "{ping}");
    let cfg = "AT+WIPCFG=1\nOK\nAT+WIPCFG=3\n+CME ERROR: 833\n";
    assert_eq!(lines(cfg), vec![4], "{cfg}");
}
