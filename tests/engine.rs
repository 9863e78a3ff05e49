//! The wip-schema engine driven by the rev 009 spec: how command lines and
//! modem lines are matched, refused and formatted back.

use proptest::prelude::*;
use wip_schema::{self as schema, ErrorKind, Val};

/// Loaded once: property tests call this thousands of times.
fn d() -> &'static schema::Dialect {
    static D: std::sync::OnceLock<schema::Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| wip_spec::default_spec().unwrap().dialect)
}

fn form_name(d: &schema::Dialect, p: &schema::ParsedCommand) -> String {
    let c = &d.commands[p.command];
    format!("{}:{}", c.name, c.forms[p.form].name)
}

fn ok(d: &schema::Dialect, line: &str) -> schema::ParsedCommand {
    schema::parse_command(d, line).unwrap_or_else(|e| panic!("{line}: {e}"))
}

fn err(d: &schema::Dialect, line: &str) -> schema::Error {
    schema::parse_command(d, line).expect_err(line)
}

#[test]
fn optional_parameter_in_the_middle_left_out_or_left_empty() {
    let d = d();
    // <server>[,<peer_port>],<username>: left out (5.1.6) and left empty (9.15).
    for line in [
        r#"AT+WIPCREATE=4,1,"ftp.wavecom.com","admin","123456""#,
        r#"AT+WIPCREATE=4,1,"ftp.wavecom.com",,"admin","123456""#,
    ] {
        let p = ok(d, line);
        assert_eq!(form_name(d, &p), "+WIPCREATE:Ftp");
        assert_eq!(p.values.params[3], None, "{line}");
        assert_eq!(p.values.params[4], Some(Val::Str("admin".into())));
        assert_eq!(p.values.params.get(6).cloned().flatten(), None);
    }
    let p = ok(d, r#"AT+WIPCREATE=4,1,"srv",21,"u","p","acct""#);
    assert_eq!(p.values.params[3], Some(Val::Int(21)));
    assert_eq!(p.values.params[6], Some(Val::Str("acct".into())));
    // Left out and account given: the port is skipped, not mistaken.
    let p = ok(d, r#"AT+WIPCREATE=4,1,"srv","u","p","acct""#);
    assert_eq!(p.values.params[3], None);
    assert_eq!(p.values.params[6], Some(Val::Str("acct".into())));
}

#[test]
fn out_of_range_optional_value_is_an_error_not_a_skip() {
    let d = d();
    let e = err(d, r#"AT+WIPCREATE=4,1,"srv",70000,"u","p""#);
    assert_eq!(e.kind, ErrorKind::Value);
    assert_eq!(e.param.as_deref(), Some("peer port"));
    assert!(e.to_string().contains("70000 is outside 1..=65535"), "{e}");
}

#[test]
fn an_integer_past_i64_is_out_of_range_not_a_non_integer() {
    let d = d();
    // Past i64: still written as an integer, so the message gives the range.
    let e = err(d, r#"AT+WIPPING="h",99999999999999999999999999,1000"#);
    assert_eq!(e.kind, ErrorKind::Value);
    assert_eq!(e.param.as_deref(), Some("repeat"));
    assert!(
        e.to_string()
            .contains("99999999999999999999999999 is outside 1..=65535"),
        "{e}"
    );
    let e = err(d, "AT+WIPCLOSE=2,-18446744073709551616");
    assert_eq!(e.param.as_deref(), Some("idx"));
    assert!(e.to_string().contains("is outside 1..=8"), "{e}");
    // Outside the type's 1..=8 and the TCP server's 1..=4 (5.1.3): the
    // narrower range, the one that applies, is named.
    for line in ["AT+WIPCLOSE=3,0", "AT+WIPCLOSE=3,9"] {
        let e = err(d, line);
        assert_eq!(e.kind, ErrorKind::Value, "{line}");
        assert_eq!(e.param.as_deref(), Some("idx"), "{line}");
        assert!(
            e.to_string()
                .contains("is outside 1..=4 when <protocol> is 3 (TCP server)"),
            "{line}: {e}"
        );
    }
    // Inside the type's range, the rule itself refuses it, in the same words.
    let e = err(d, "AT+WIPCLOSE=3,5");
    assert!(
        e.to_string()
            .contains("<idx> = 5 is outside 1..=4 when <protocol> is 3 (TCP server)"),
        "{e}"
    );
    // No rule narrows a UDP socket's index: the type's range.
    let e = err(d, "AT+WIPCLOSE=1,0");
    assert!(e.to_string().ends_with("= 0 is outside 1..=8"), "{e}");
    // An enumerated parameter lists its values.
    let e = err(d, "AT+WIPCLOSE=99999999999999999999,1");
    assert!(e.to_string().contains("is not one of"), "{e}");
    // Not written as an integer: still said so.
    let e = err(d, r#"AT+WIPPING="h",1x,1000"#);
    assert!(e.to_string().contains("1x is not an integer"), "{e}");
}

#[test]
fn a_field_of_the_right_kind_is_never_skipped() {
    let d = d();
    // An invalid <interval> must not be read as <interval> left out and the
    // later integers shifted onto <timeout>, <nwrite> and <ttl>.
    let e = err(d, r#"AT+WIPPING="h",1,0"#);
    assert_eq!(e.param.as_deref(), Some("interval"), "{e}");
    let e = err(d, r#"AT+WIPCREATE=1,1,0,"h",80"#);
    assert_eq!(e.param.as_deref(), Some("local port"), "{e}");
    let p = ok(d, r#"AT+WIPPING="h",3,1000"#);
    assert_eq!(p.values.params[1], Some(Val::Int(3)));
    assert_eq!(p.values.params[2], Some(Val::Int(1000)));
    // <repeat> and <interval> share one bracket (7.1.2, erratum E18).
    let e = err(d, r#"AT+WIPPING="h",3"#);
    assert!(e.to_string().contains("<interval>"), "{e}");
}

#[test]
fn quoted_port_is_refused_erratum_e01() {
    let d = d();
    assert!(schema::parse_command(
        d,
        r#"AT+WIPCREATE=6,1,"smtp.mail.yahoo.fr","587","user","pass""#
    )
    .is_err());
    ok(
        d,
        r#"AT+WIPCREATE=6,1,"smtp.mail.yahoo.fr",587,"user","pass""#,
    );
}

#[test]
fn discriminators_select_forms() {
    let d = d();
    assert_eq!(form_name(d, &ok(d, "AT+WIPCFG=1")), "+WIPCFG:Start");
    assert_eq!(
        form_name(d, &ok(d, "AT+WIPCFG=2,0,10")),
        "+WIPCFG:Configure"
    );
    assert_eq!(form_name(d, &ok(d, "AT+WIPOPT=2,1,1,8")), "+WIPOPT:Get");
    assert_eq!(form_name(d, &ok(d, "AT+WIPOPT=2,1,2,8,20")), "+WIPOPT:Set");
    assert_eq!(form_name(d, &ok(d, "AT+WIPCFG?")), "+WIPCFG:Read");
    assert_eq!(form_name(d, &ok(d, "at+wipcfg=?")), "+WIPCFG:Test");
    let e = err(d, "AT+WIPCFG=7");
    assert_eq!(e.kind, ErrorKind::NoSuchForm);
    assert!(e.to_string().contains("<mode> = 7 selects no form"), "{e}");
    assert_eq!(err(d, "AT+WIPCREATE?").kind, ErrorKind::NoSuchForm);
    assert_eq!(err(d, "AT+WIPFOO=1").kind, ErrorKind::UnknownCommand);
}

#[test]
fn option_tables_type_values_and_access() {
    let d = d();
    let e = err(d, "AT+WIPCFG=2,4,535");
    assert_eq!(
        e.to_string(),
        "+WIPCFG option 4 (WIP_NET_OPT_TCP_MIN_MSS) = 535 is outside 536..=1460"
    );
    ok(d, "AT+WIPCFG=2,4,1460");
    assert_eq!(err(d, "AT+WIPCFG=2,99,1").kind, ErrorKind::Option);
    // 5.3.7.1: the port is read only; TTL is writable on every socket.
    assert!(err(d, "AT+WIPOPT=1,1,2,0,80")
        .to_string()
        .contains("cannot be written for 1 (UDP)"));
    ok(d, "AT+WIPOPT=1,1,2,8,20");
    // Peer port is not an option of TCP servers.
    assert_eq!(err(d, "AT+WIPOPT=3,1,1,1").kind, ErrorKind::Option);
    // MMS options with several values, and none (E02).
    ok(d, r#"AT+WIPOPT=8,1,2,93,4,1024,"4.jpeg","<004>""#);
    ok(d, r#"AT+WIPOPT=8,1,2,93,3,304,,"<003>""#);
    assert_eq!(err(d, "AT+WIPOPT=8,1,2,93,3,304").kind, ErrorKind::Rule);
    ok(d, "AT+WIPOPT=8,1,2,96");
    assert_eq!(err(d, "AT+WIPOPT=8,1,2,96,1").kind, ErrorKind::Arity);
    // A read names the option only.
    assert_eq!(err(d, "AT+WIPOPT=2,1,1,8,20").kind, ErrorKind::Arity);
}

#[test]
fn cross_parameter_rules() {
    let d = d();
    assert_eq!(err(d, "AT+WIPCREATE=3,1,80,6,5").kind, ErrorKind::Rule);
    ok(d, "AT+WIPCREATE=3,1,80,5,5");
    // 4.2.7.1 start table.
    ok(d, "AT+WIPBR=4,6,0");
    assert_eq!(err(d, r#"AT+WIPBR=4,6,0,"l","p""#).kind, ErrorKind::Rule);
    ok(d, r#"AT+WIPBR=4,1,1,"l","p""#);
    assert_eq!(err(d, "AT+WIPBR=4,1,1").kind, ErrorKind::Rule);
    assert_eq!(
        err(d, r#"AT+WIPBR=4,1,1,"l","p","0601""#).kind,
        ErrorKind::Rule
    );
    ok(d, r#"AT+WIPBR=4,5,1,"l","p","0601""#);
    assert_eq!(err(d, "AT+WIPBR=4,4,1").kind, ErrorKind::Rule);
    // 6.2.7 / E11: segmentation parameters.
    ok(d, "AT+WIPDATA=2,5,1,10,5");
    ok(d, "AT+WIPDATA=1,5,2,20,2");
    assert_eq!(err(d, "AT+WIPDATA=1,5,1,20,2").kind, ErrorKind::Rule);
    assert_eq!(err(d, "AT+WIPDATA=1,5,0,20,2").kind, ErrorKind::Rule);
    assert_eq!(err(d, "AT+WIPDATA=2,5,1,10").kind, ErrorKind::Rule);
    // Server indexes are 1-4 also when closing.
    assert_eq!(err(d, "AT+WIPCLOSE=3,5").kind, ErrorKind::Rule);
    ok(d, "AT+WIPCLOSE=2,5");
}

#[test]
fn strings_hex_and_hosts() {
    let d = d();
    let apn = "a".repeat(96);
    ok(d, &format!(r#"AT+WIPBR=2,6,11,"{apn}""#));
    let e = err(d, &format!(r#"AT+WIPBR=2,6,11,"{apn}a""#));
    assert!(
        e.to_string()
            .contains("97 characters long, more than the 96 allowed"),
        "{e}"
    );
    ok(d, &format!(r#"AT+WIPDATARW=2,1,"{}""#, "30".repeat(200)));
    assert_eq!(
        err(d, &format!(r#"AT+WIPDATARW=2,1,"{}""#, "30".repeat(201))).kind,
        ErrorKind::Value
    );
    assert_eq!(err(d, r#"AT+WIPDATARW=2,1,"303""#).kind, ErrorKind::Value);
    assert_eq!(
        err(d, r#"AT+WIPCREATE=2,1,"IP ADDR",80"#).kind,
        ErrorKind::Value
    );
    assert_eq!(err(d, r#"AT+WIPBR=2,6,15,"1.2.3""#).kind, ErrorKind::Value);
    assert_eq!(
        err(d, r#"AT+WIPBR=2,6,11,"unterminated"#).kind,
        ErrorKind::Syntax
    );
}

#[test]
fn responses_and_urcs_are_told_apart_by_context_and_arity() {
    let d = d();
    let get = ok(d, "AT+WIPBR=3,6,11");
    let pending = Some((get.command, get.form));
    let r = schema::parse_message(d, r#"+WIPBR: 6,11,"APN name""#, pending).unwrap();
    assert!(r.solicited);
    assert_eq!(d.messages[r.message].id, "WipBrOption");
    // Six fields: the URC, even while AT+WIPBR=3 is pending.
    let u = schema::parse_message(
        d,
        r#"+WIPBR: 6,0,"1.1.1.1","2.2.2.2","3.3.3.3","4.4.4.4""#,
        pending,
    )
    .unwrap();
    assert!(!u.solicited);
    assert_eq!(d.messages[u.message].id, "WipBrStatus");
    // <status> is 0 (successful) or an error code value (4.2.3): of 10.1 or
    // of the GPRS codes of 10.2, no other number.
    let status = |s: &str| {
        schema::parse_message(
            d,
            &format!(r#"+WIPBR: 1,{s},"0.0.0.0","0.0.0.0","0.0.0.0","0.0.0.0""#),
            None,
        )
    };
    for ok in ["0", "814", "848", "148"] {
        assert!(status(ok).is_ok(), "{ok}");
    }
    for bad in ["5", "999", "822", "1000"] {
        let e = status(bad).unwrap_err();
        assert!(
            e.message.contains("is not 0 (success) or an error code"),
            "{bad}: {e:?}"
        );
    }
    // Without the command pending, the 3-field line is no URC.
    assert!(schema::parse_message(d, r#"+WIPBR: 6,11,"APN name""#, None).is_err());
    // Bare lines only as the response of AT+WIPBR?.
    let read = ok(d, "AT+WIPBR?");
    assert!(schema::parse_message(d, "6,1", Some((read.command, read.form))).is_ok());
    assert_eq!(
        schema::parse_message(d, "6,1", None).unwrap_err().kind,
        ErrorKind::UnknownMessage
    );
    // +WIPDATA: the UDP and TCP forms.
    let udp = schema::parse_message(d, r#"+WIPDATA: 1,1,25,"192.168.0.2",2397"#, None).unwrap();
    assert_eq!(d.messages[udp.message].id, "WipDataUdp");
    let tcp = schema::parse_message(d, "+WIPDATA: 2,5,120", None).unwrap();
    assert_eq!(d.messages[tcp.message].id, "WipDataTcp");
    assert!(schema::parse_message(d, "+WIPDATA: 2,5", None).is_err());
    // Option values in responses, typed by the option table (E06).
    let gopt = ok(d, "AT+WIPOPT=4,1,1,40");
    assert!(schema::parse_message(d, "+WIPOPT: 4,40,1", Some((gopt.command, gopt.form))).is_ok());
    assert!(schema::parse_message(d, "+WIPOPT: 4,40,2", Some((gopt.command, gopt.form))).is_err());
    // Blanks after commas, as the manual prints them.
    assert!(schema::parse_message(d, "+WIPREADY: 5, 1", None).is_ok());
    assert!(
        schema::parse_message(d, "+WIPDATARW: 4,2,10", None).is_err(),
        "E03: no state 4"
    );
    // Formatting gives the canonical line back.
    let m = schema::parse_message(d, "+WIPREADY: 5, 1", None).unwrap();
    assert_eq!(
        schema::format_message(d, m.message, &m.values),
        "+WIPREADY: 5,1"
    );
}

#[test]
fn formatting_round_trips_every_manual_command_line() {
    let d = d();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "at") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for ev in wip_transcript::parse_str(&text).unwrap() {
            let wip_transcript::Event::Command { text: line, .. } = ev.value else {
                continue;
            };
            let Ok(p) = schema::parse_command(d, &line) else {
                continue;
            };
            let back = schema::format_command(d, p.command, p.form, &p.values);
            let again = schema::parse_command(d, &back).unwrap();
            assert_eq!(again, p, "{line} -> {back}");
            schema::validate_command(d, p.command, p.form, &p.values).unwrap();
            n += 1;
        }
    }
    assert!(n > 150, "{n}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn command_parser_never_panics(s in "AT\\+WIP[A-Z]{0,8}[=?]{0,2}[0-9,\"a-z. ]{0,40}") {
        let d = d();
        let _ = schema::parse_command(d, &s);
    }

    #[test]
    fn message_parser_never_panics(s in "(\\+WIP[A-Z]{0,9}: ?)?[0-9,\"a-z. ]{0,40}", pending in 0usize..60) {
        let d = d();
        let p = d.commands.iter().enumerate().flat_map(|(c, cmd)| (0..cmd.forms.len()).map(move |f| (c, f))).nth(pending);
        let _ = schema::parse_message(d, &s, p);
    }

    #[test]
    fn wipcfg_ttl_round_trips_and_range_is_enforced(v in -10i64..300) {
        let d = d();
        let line = format!("AT+WIPCFG=2,0,{v}");
        match schema::parse_command(d, &line) {
            Ok(p) => {
                prop_assert!((0..=255).contains(&v));
                prop_assert_eq!(schema::format_command(d, p.command, p.form, &p.values), line);
            }
            Err(e) => {
                prop_assert!(!(0..=255).contains(&v));
                prop_assert_eq!(e.kind, ErrorKind::Value);
            }
        }
    }
}

/// Erratum E08: the manual's own example writes an integer option value in
/// quotes (`AT+WIPBR=2,4,23,"1"`, 4.2.6); it is taken as the integer, its
/// range still checked, for option values only.
#[test]
fn a_quoted_integer_option_value_is_taken_as_the_integer() {
    let d = d();
    let line = "AT+WIPBR=2,4,23,\"1\"";
    let (p, lenient) = schema::parse_command_noting(d, line).unwrap();
    assert!(lenient.quoted_ints && !lenient.bare_strings, "{lenient:?}");
    let o = p.values.option.as_ref().unwrap();
    assert_eq!(o.values[0], Some(Val::Int(1)));
    assert_eq!(
        schema::format_command(d, p.command, p.form, &p.values),
        "AT+WIPBR=2,4,23,1"
    );
    assert!(schema::parse_command_strict(d, line).is_err());
    // Out of its range, it is refused as the bare value is, naming it.
    let e = schema::parse_command(d, "AT+WIPBR=2,4,23,\"2\"").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Value, "{e}");
    assert!(e.to_string().contains("0..=1"), "{e}");
    // A parameter, not an option value: a quoted <peer port> stays
    // refused (erratum E01).
    assert!(schema::parse_command(d, "AT+WIPCREATE=2,1,\"192.168.0.1\",\"80\"").is_err());
    // Both tolerances in one line are both told.
    let (_, both) = schema::parse_command_noting(d, "AT+WIPOPT=8,1,2,93,\"3\",10,a.txt").unwrap();
    assert!(both.quoted_ints && both.bare_strings, "{both:?}");
}

#[test]
fn strings_without_quotes_are_taken_as_real_modems_take_them() {
    let d = d();
    // Erratum E40: `AT+WIPBR=2,6,11,internet`, answered OK by a WISMO228.
    let line = "AT+WIPBR=2,6,11,internet";
    let (p, lenient) = schema::parse_command_noting(d, line).unwrap();
    assert!(lenient.bare_strings);
    let o = p.values.option.as_ref().unwrap();
    assert_eq!(o.values[0], Some(Val::Str("internet".into())));
    assert_eq!(schema::parse_command(d, line).unwrap(), p);
    // The manual's letter refuses it, naming the value.
    let e = schema::parse_command_strict(d, line).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Type, "{e}");
    // Written back, the string is quoted: bindings send the manual's form.
    assert_eq!(
        schema::format_command(d, p.command, p.form, &p.values),
        "AT+WIPBR=2,6,11,\"internet\""
    );
    // The quoted line is valid to the letter, with no leniency.
    let (_, lenient) = schema::parse_command_noting(d, "AT+WIPBR=2,6,11,\"internet\"").unwrap();
    assert!(!lenient.bare_strings);
    // A bare integer is no string, and a host stays quoted (5.1.3: "a
    // string between quotes").
    assert!(schema::parse_command(d, "AT+WIPBR=2,6,11,1234").is_err());
    assert!(schema::parse_command(d, "AT+WIPCREATE=2,1,myhost,80").is_err());
    // A bare string still obeys its length.
    let long = format!("AT+WIPBR=2,6,11,{}", "a".repeat(200));
    assert_eq!(
        schema::parse_command(d, &long).unwrap_err().kind,
        ErrorKind::Value
    );
}

#[test]
fn a_bare_response_with_the_command_prefix_is_that_response() {
    let d = d();
    // Erratum E41: real modems answer AT+WIPBR? with `+WIPBR: 6,1`.
    let read = ok(d, "AT+WIPBR?");
    let m = schema::parse_message(d, "+WIPBR: 6,1", Some((read.command, read.form))).unwrap();
    assert!(m.solicited);
    assert_eq!(d.messages[m.message].id, "WipBrState");
    assert_eq!(m.values.params, vec![Some(Val::Int(6)), Some(Val::Int(1))]);
    // Not without the read in flight, and not with another prefix.
    assert!(schema::parse_message(d, "+WIPBR: 6,1", None).is_err());
    assert!(schema::parse_message(d, "+WIPCFG: 6,1", Some((read.command, read.form))).is_err());
}

/// A string sent without quotes (erratum E40) cannot hold a `"`: a quoted
/// string has no escape for one, so it could not be written back (found
/// by the `command` fuzz target: a `(` group in option 92's free string).
#[test]
fn a_bare_string_with_a_quote_is_refused() {
    let d = d();
    let e = err(d, "AT+WIPOPT=8,1,2,92,1,D@TA=(,(,x,2\"2 )2(2");
    assert!(e.to_string().contains("cannot hold"), "{e}");
    let e = err(d, "AT+WIPBR=2,6,11,ap\"n");
    assert!(e.to_string().contains("quote"), "{e}");
    // Without the quote, as before.
    ok(d, "AT+WIPBR=2,6,11,apn");
    // Whatever parses formats back to a line that parses to the same.
    for line in [
        "AT+WIPOPT=8,1,2,92,1,D@TA=(,(,x,2 )2(2",
        "AT+WIPBR=2,6,11,apn",
    ] {
        let p = ok(d, line);
        let back = schema::format_command(d, p.command, p.form, &p.values);
        assert_eq!(ok(d, &back), p, "{line} -> {back}");
    }
}

#[test]
fn a_line_no_message_selects_names_the_values_that_select() {
    let d = d();
    // +WIPFILE lines are the HTTP status (5) and the MMS size (8).
    let e = schema::parse_message(d, "+WIPFILE: 9,1", None).unwrap_err();
    assert_eq!(e.param.as_deref(), Some("protocol"));
    assert!(
        e.to_string()
            .contains("= 9 selects no +WIPFILE line (a +WIPFILE line gives one of 5, 8)"),
        "{e}"
    );
    let e = schema::parse_message(d, "+WIPFILE:", None).unwrap_err();
    assert!(
        e.to_string()
            .contains("<protocol> is missing: a +WIPFILE line gives one of 5, 8"),
        "{e}"
    );
    let e = schema::parse_message(d, "+WIPDATARW: 7,1", None).unwrap_err();
    assert!(e.to_string().contains("gives one of 0, 1, 2, 3"), "{e}");
}

#[test]
fn a_host_name_refused_says_why() {
    let d = d();
    let long = "a".repeat(64);
    let e = err(d, &format!("AT+WIPPING=\"{long}.com\""));
    assert_eq!(e.param.as_deref(), Some("host"));
    assert!(
        e.to_string().contains(&format!(
            "its label \"{long}\" is 64 characters long, more than 63"
        )),
        "{e}"
    );
    let e = err(d, "AT+WIPPING=\"a..b\"");
    assert!(e.to_string().contains("an empty label"), "{e}");
    let e = err(d, "AT+WIPPING=\"a b\"");
    assert!(
        e.to_string()
            .contains("' ' is not a letter, digit, '-' or '_'"),
        "{e}"
    );
}

#[test]
fn text_after_the_question_mark_of_a_read_is_refused_as_such() {
    let d = d();
    for (line, name) in [("AT+WIPPING?1", "+WIPPING"), ("AT+WIPCFG? 1", "+WIPCFG")] {
        let e = err(d, line);
        assert_eq!(e.kind, ErrorKind::Syntax, "{line}");
        assert!(
            e.to_string().contains(&format!(
                "has `1` after its `?`: the read command AT{name}? takes nothing after it"
            )),
            "{e}"
        );
    }
    assert!(schema::parse_command(d, "AT+WIPCFG?").is_ok());
}

#[test]
fn a_bare_response_written_with_its_prefix_is_judged_by_its_body() {
    let d = d();
    let read = schema::parse_command(d, "AT+WIPBR?").unwrap();
    let pending = Some((read.command, read.form));
    // E41: real modems prefix the `<bid>,<state>` lines of AT+WIPBR?; a
    // wrong one is judged by its fields, not with the prefix as a value.
    let e = schema::parse_message(d, "+WIPBR: 3,1", pending).unwrap_err();
    assert_eq!(e.param.as_deref(), Some("bid"), "{e}");
    assert!(
        e.to_string()
            .starts_with("the <bid>,<state> line <bid> = 3 is not one of 1 (UART1)"),
        "{e}"
    );
    assert!(schema::parse_message(d, "+WIPBR: 6,1", pending).is_ok());
}

/// Refusals name what is wrong as the manual's tables name it: a quoted
/// form selector is a quoted value, not a value no form takes; the first
/// parameter left out is the one named; an option left without its value
/// names its value; an option number outside the table lists the table's
/// options (4.1.3, 4.2.3 and 5.3.7 give no range 0-255); a quoted port
/// before a bracket of parameters that go together is a quoted port
/// (erratum E01); a syntax fault is at its column in the line.
#[test]
fn refusals_name_the_parameter_and_what_it_may_be() {
    let d = d();
    let msg = |line: &str| {
        let e = err(d, line);
        (e.kind, e.to_string())
    };
    assert_eq!(
        msg("AT+WIPCFG=\"1\""),
        (
            ErrorKind::Type,
            "+WIPCFG <mode> is \"1\", a quoted string, where an integer is expected (one of 0 (stop), \
             1 (start), 2 (configure), 3 (version), 4 (storage))"
                .into()
        )
    );
    assert_eq!(msg("AT+WIPCFG=7").0, ErrorKind::NoSuchForm);
    assert_eq!(
        msg("AT+WIPOPT=1"),
        (
            ErrorKind::Arity,
            "+WIPOPT <idx> is missing (1..=8 expected)".into()
        )
    );
    assert!(
        msg("AT+WIPOPT=").1.starts_with("+WIPOPT <protocol> is "),
        "{:?}",
        msg("AT+WIPOPT=")
    );
    assert_eq!(
        msg("AT+WIPCFG=2,0"),
        (
            ErrorKind::Arity,
            "+WIPCFG option 0 (WIP_NET_OPT_IP_TTL) <value> is missing (0..=255 expected)".into()
        )
    );
    // A value out of range still needs no name.
    assert_eq!(
        msg("AT+WIPCFG=2,4,535").1,
        "+WIPCFG option 4 (WIP_NET_OPT_TCP_MIN_MSS) = 535 is outside 536..=1460"
    );
    assert_eq!(
        msg("AT+WIPCFG=2"),
        (
            ErrorKind::Arity,
            "+WIPCFG <opt num> is missing (one of the options 0..=17 expected)".into()
        )
    );
    for line in ["AT+WIPBR=3,6,256", "AT+WIPBR=3,6,29"] {
        assert_eq!(
            msg(line),
            (
                ErrorKind::Option,
                format!(
                    "+WIPBR names option {}, which is not defined (options: 0..=2, 5..=28)",
                    &line[13..]
                )
            )
        );
    }
    // The options of a +WIPOPT protocol are those it has access to
    // (5.3.7.1): a TCP server has 0, 4, 7, 8 and 9, a UDP socket no 4.
    for (line, known) in [
        ("AT+WIPOPT=3,1,1,5", "0, 4, 7..=9"),
        ("AT+WIPOPT=2,1,1,5", "0..=2, 4, 6..=9"),
        ("AT+WIPOPT=1,1,1,5", "0..=3, 6, 8, 9"),
    ] {
        assert_eq!(
            msg(line),
            (
                ErrorKind::Option,
                format!("+WIPOPT names option 5, which is not defined (options: {known})")
            ),
            "{line}"
        );
    }
    assert_eq!(
        msg("AT+WIPOPT=3,1,1").1,
        "+WIPOPT <optnum> is missing (one of the options 0, 4, 7..=9 expected)"
    );
    assert_eq!(
        msg("AT+WIPCREATE=6,1,\"s\",\"587\""),
        (
            ErrorKind::Type,
            "+WIPCREATE <peer port> is \"587\", a quoted string, where an integer is expected"
                .into()
        )
    );
    assert_eq!(
        msg("AT+WIPCFG=2,0,\"1").1,
        "+WIPCFG unterminated quoted string starting at column 15"
    );
}
