//! A command line told to the framer as a string (`Framer::sent`, the
//! string client's path) expects the answers of its own form, as a typed
//! request (`Framer::sent_parsed`) and `Response::parse` do: a line of
//! another form's answer is not typed as one (4.1.2: only `AT+WIPCFG?`
//! answers `+WIPCFG: <opt num>,<value>`; 4.2.2: only `AT+WIPBR?` answers
//! `<bid>,<state>`).

use wip_bindings::rev009::{Request, Response, Urc, DIALECT};
use wip_runtime::framer::Typed;
use wip_runtime::Framer;

/// What the framer makes of `line` after `cmd`: the typed response, or
/// `None` when the line is not taken as one.
fn framed(cmd: &str, line: &str, parsed: bool) -> Option<Result<Response, String>> {
    let mut f = Framer::new(&DIALECT);
    if parsed {
        let p = wip_runtime::schema::parse_command(&DIALECT, cmd).expect("a valid command");
        f.sent_parsed(&p);
    } else {
        f.sent(cmd);
    }
    let mut out = None;
    f.feed_typed::<Urc, Response>(format!("\r\n{line}\r\nOK\r\n").as_bytes(), |t| {
        if let Typed::Response { value, .. } = t {
            out = Some(value.map_err(|e| e.to_string()));
        }
    });
    out
}

#[test]
fn a_string_command_expects_its_own_forms_answers() {
    let cases = [
        ("AT+WIPCFG?", "+WIPCFG: 0"),
        ("AT+WIPCFG?", "+WIPCFG: 0,64,1"),
        ("AT+WIPCFG?", "WIPsoft v5.41"),
        ("AT+WIPCFG=1", "+WIPCFG: 0,64"),
        ("AT+WIPCFG=2,0,64", "+WIPCFG: 0,64"),
        ("AT+WIPBR=3,6,0", "+WIPBR: 6,0"),
        ("AT+WIPBR=3,6,11", "6,1"),
        ("AT+WIPBR=1,6", "6,0"),
        ("AT+WIPBR?", "+WIPBR: 6,11,\"APN name\""),
        ("AT+WIPBR=5,6", "+WIPBR: 6,11,\"x\""),
        // And the answers each form has.
        ("AT+WIPCFG?", "+WIPCFG: 0,64"),
        ("AT+WIPCFG=3", "WIPsoft v5.41 on Open AT OS v6.63"),
        ("AT+WIPBR=3,6,11", "+WIPBR: 6,11,\"APN name\""),
        ("AT+WIPBR?", "6,1"),
        ("AT+WIPOPT=2,1,1,2", "+WIPOPT: 2,2,3000"),
    ];
    for (cmd, line) in cases {
        let request = Request::parse(cmd).expect("a valid command");
        let want = Response::parse(line, request.ids()).ok();
        let got = framed(cmd, line, false);
        assert_eq!(
            got.clone().and_then(Result::ok),
            want,
            "{cmd} / {line}: {got:?}"
        );
        assert_eq!(framed(cmd, line, true), got, "{cmd} / {line}: sent_parsed");
    }
    // The answers of the forms are typed, the others are not.
    assert!(framed("AT+WIPCFG?", "+WIPCFG: 0,64", false).is_some_and(|r| r.is_ok()));
    assert_eq!(framed("AT+WIPCFG=1", "+WIPCFG: 0,64", false), None);
    assert_eq!(framed("AT+WIPBR=3,6,0", "+WIPBR: 6,0", false), None);
}
