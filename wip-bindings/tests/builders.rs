//! The typed host API's constructors and answer types: builders for forms
//! with optional parameters, errors that name the parameter and its range,
//! nested optional parameters set in order, addresses as `Ipv4Addr`, and
//! each form's own answer type.

use std::any::TypeId;
use std::net::Ipv4Addr;

use wip_bindings::rev009::*;
use wip_runtime::schema::answer::NoResponse;
use wip_runtime::schema::typed::{FromMessage, TypedCommand};
use wip_runtime::schema::{ErrorKind, Host};

fn answers<C: TypedCommand, R: 'static>() -> bool
where
    C::Response: 'static,
{
    TypeId::of::<C::Response>() == TypeId::of::<R>()
}

#[test]
fn each_form_answers_its_own_type() {
    // One response listed: that message's struct.
    assert!(answers::<WipBrGetOption, WipBrOption>());
    assert!(answers::<WipCfgRead, WipCfgOption>());
    // None: a type that accepts nothing.
    assert!(answers::<WipBrStart, NoResponse>());
    assert!(answers::<WipCfgStart, NoResponse>());
    // Several: the form's own enum, which takes exactly those messages.
    assert!(answers::<WipDataRwWrite, WipDataRwWriteResponse>());
    let sent = <WipDataRwSent as wip_runtime::schema::typed::TypedMessage>::MESSAGE;
    let option = <WipBrOption as wip_runtime::schema::typed::TypedMessage>::MESSAGE;
    assert!(WipDataRwWriteResponse::accepts(sent));
    assert!(!WipDataRwWriteResponse::accepts(option));
    assert!(!<NoResponse as FromMessage>::accepts(sent));
    assert!(!<NoResponse as FromMessage>::accepts(option));
    // The spec-wide enum stays for untyped uses.
    assert!(Response::accepts(sent) && Response::accepts(option));
}

#[test]
fn a_form_answer_decodes_its_messages_only() {
    let line = "+WIPBR: 6,11,\"internet\"";
    let r = WipBrOption::decode(
        &DIALECT,
        <WipBrOption as wip_runtime::schema::typed::TypedMessage>::MESSAGE,
        line,
    )
    .unwrap();
    assert_eq!(r.bid, BearerId::Gprs);
    let e = <WipDataRwWriteResponse as FromMessage>::decode(
        &DIALECT,
        <WipBrOption as wip_runtime::schema::typed::TypedMessage>::MESSAGE,
        line,
    );
    assert!(e.is_err());
    assert!(<NoResponse as FromMessage>::decode(&DIALECT, 0, line).is_err());
}

#[test]
fn builders_set_optional_parameters_by_name() {
    let start = WipBrStart::new(BearerId::Gsm, BearerMode::Server)
        .and_then(|s| s.with_login("user"))
        .and_then(|s| s.with_password("pass"))
        .and_then(|s| s.with_caller_identity("+33123456789"))
        .unwrap();
    start.validate().unwrap();
    assert_eq!(
        start.encode(),
        "AT+WIPBR=4,5,1,\"user\",\"pass\",\"+33123456789\""
    );
    assert_eq!(WipBrStart::parse(&start.encode()).unwrap(), start);
    let ping = WipPingPing::new(Ipv4Addr::new(10, 0, 0, 9))
        .and_then(|p| p.with_repeat(3))
        .and_then(|p| p.with_interval(1000))
        .unwrap();
    assert_eq!(ping.host, Host::Ip(Ipv4Addr::new(10, 0, 0, 9)));
    assert_eq!(ping.encode(), "AT+WIPPING=\"10.0.0.9\",3,1000");
    // A required-only form keeps its checked `new`.
    assert!(WipBrStop::new(BearerId::Gprs).is_ok());
}

#[test]
fn builder_errors_name_the_parameter_and_its_range() {
    // A value out of range: an error, never a panic.
    let e = WipPingPing::new("example.com")
        .and_then(|p| p.with_repeat(0))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Value);
    assert_eq!(e.param.as_deref(), Some("repeat"));
    assert!(
        e.to_string()
            .starts_with("+WIPPING <repeat> = 0 is outside "),
        "{e}"
    );
    // Outside the type's 1..=8 and the TCP server's 1..=4 (5.1.3): the
    // narrower range is named, as a command line's parse names it.
    for idx in [0, 9] {
        let e = WipCloseClose::new(Protocol::TcpServer, idx).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("idx"));
        assert_eq!(
            e.to_string(),
            format!("+WIPCLOSE <idx> = {idx} is outside 1..=4 when <protocol> is 3 (TCP server)")
        );
    }
    let e = WipCloseClose::new(Protocol::Udp, 0).unwrap_err();
    assert_eq!(e.to_string(), "+WIPCLOSE <idx> = 0 is outside 1..=8");
    let e = WipCreateUdp::new(1)
        .and_then(|u| u.with_local_port(0))
        .unwrap_err();
    assert_eq!(e.param.as_deref(), Some("local port"));
    assert!(e.to_string().contains("outside 1..=65535"), "{e}");
    let e = WipBrStart::new(BearerId::Gprs, BearerMode::Client)
        .and_then(|s| s.with_login("x".repeat(65)))
        .unwrap_err();
    assert_eq!(e.param.as_deref(), Some("login"));
    assert!(e.to_string().contains("more than the 64 allowed"), "{e}");
    // A required value out of range, in `new`.
    let e = WipCreateUdp::new(9).unwrap_err();
    assert_eq!(e.param.as_deref(), Some("communication index"));
    assert!(e.to_string().contains("outside 1..=8"), "{e}");
}

#[test]
fn nested_optional_parameters_are_set_in_order() {
    // `[<repeat>,<interval>,[<timeout>...]]`: <timeout> without
    // <interval> is refused.
    let e = WipPingPing::new("example.com")
        .and_then(|p| p.with_timeout(1000))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Arity);
    assert_eq!(e.param.as_deref(), Some("timeout"));
    assert!(e.to_string().contains("set `<interval>` first"), "{e}");
    // <repeat> and <interval> share one bracket (7.1.2, erratum E18): one
    // without the other is refused by `validate`, which `send` runs.
    for half in [
        WipPingPing::new("example.com").and_then(|p| p.with_repeat(3)),
        WipPingPing::new("example.com").and_then(|p| p.with_interval(1000)),
    ] {
        let e = half.unwrap().validate().unwrap_err();
        assert!(e.to_string().contains("<repeat>"), "{e}");
        assert!(e.to_string().contains("<interval>"), "{e}");
    }
    // `[,<login>,<password>[,<caller identity>]]`.
    let e = WipBrStart::new(BearerId::Gsm, BearerMode::Server)
        .and_then(|s| s.with_caller_identity("+33123456789"))
        .unwrap_err();
    assert_eq!(e.param.as_deref(), Some("caller identity"));
    // Where the line tells them apart, a middle one may be left out
    // (erratum E20: a UDP socket with a peer and no local port).
    let udp = WipCreateUdp::new(1)
        .and_then(|u| u.with_peer_ip(Ipv4Addr::new(10, 0, 0, 1)))
        .and_then(|u| u.with_peer_port(7))
        .unwrap();
    assert_eq!(udp.encode(), "AT+WIPCREATE=1,1,,\"10.0.0.1\",7");
    // Brackets side by side, of the same kind: `[<filename>],[<content-id>]`
    // (6.1.4). 9.9 sends a content-id alone, the filename written empty.
    let mms = WipFileMms::new(1, FileMode::Upload)
        .and_then(|m| m.with_content_id("<003>"))
        .unwrap();
    assert_eq!(mms.encode(), "AT+WIPFILE=8,1,2,,\"<003>\"");
    assert!(mms.validate().is_ok());
    // `[,<server>[,<peer port>]]` (5.1.2, HTTP): the port is nested.
    let e = WipCreateHttp::new(1)
        .and_then(|h| h.with_peer_port(8080))
        .unwrap_err();
    assert_eq!(e.param.as_deref(), Some("peer port"));
    assert!(e.to_string().contains("set `<server>` first"), "{e}");
}

#[test]
fn addresses_are_ipv4addr_in_requests_and_messages() {
    let tcp = WipCreateTcpClient::new(1, Ipv4Addr::new(192, 168, 0, 4), 80).unwrap();
    assert_eq!(tcp.encode(), "AT+WIPCREATE=2,1,\"192.168.0.4\",80");
    assert_eq!(tcp.peer_ip, Host::Ip(Ipv4Addr::new(192, 168, 0, 4)));
    let named = WipCreateTcpClient::new(1, "www.example.com", 80).unwrap();
    assert_eq!(named.peer_ip, Host::Name("www.example.com".into()));
    assert_eq!(WipCreateTcpClient::parse(&named.encode()).unwrap(), named);
    let Urc::WipBrStatus(s) =
        Urc::parse("+WIPBR: 6,0,\"10.0.0.2\",\"10.0.0.1\",\"8.8.8.8\",\"0.0.0.0\"").unwrap()
    else {
        panic!("not a bearer status")
    };
    assert_eq!(s.local_ip, Ipv4Addr::new(10, 0, 0, 2));
    assert_eq!(s.dns1, Ipv4Addr::new(8, 8, 8, 8));
    assert_eq!(s.dns2, Ipv4Addr::UNSPECIFIED);
    assert_eq!(Urc::parse(&s.format()).unwrap(), Urc::WipBrStatus(s));
}

proptest::proptest! {
    /// Any address round-trips as `Ipv4Addr` through a request's line and
    /// a URC's line.
    #[test]
    fn any_ipv4addr_round_trips(a: [u8; 4], b: [u8; 4], port in 1u16..) {
        let (a, b) = (Ipv4Addr::from(a), Ipv4Addr::from(b));
        let tcp = WipCreateTcpClient::new(1, a, port).unwrap();
        let back = WipCreateTcpClient::parse(&tcp.encode()).unwrap();
        proptest::prop_assert_eq!(&back.peer_ip, &Host::Ip(a));
        proptest::prop_assert_eq!(back, tcp);
        let line = format!("+WIPBR: 6,0,\"{a}\",\"{b}\",\"{a}\",\"{b}\"");
        let Urc::WipBrStatus(s) = Urc::parse(&line).unwrap() else {
            panic!("not a bearer status")
        };
        proptest::prop_assert_eq!((s.local_ip, s.remote_ip), (a, b));
        proptest::prop_assert_eq!(s.format(), line);
    }
}

#[test]
fn a_repeated_group_starts_empty_and_is_set_by_its_setter() {
    // 6.1.4 with erratum E52: a header list without credentials leaves
    // them empty.
    let get = WipFileHttp::new(1, FileMode::Download, "http://h/f").unwrap();
    assert!(get.headers.is_empty());
    assert_eq!(get.encode(), "AT+WIPFILE=5,1,1,\"http://h/f\"");
    let put = WipFileHttp::new(1, FileMode::Upload, "http://h/up")
        .unwrap()
        .with_headers([("Content-Type", "text/plain"), ("X-Fleet", "7")]);
    put.validate().unwrap();
    assert_eq!(
        put.encode(),
        "AT+WIPFILE=5,1,2,\"http://h/up\",,,\"Content-Type\",\"text/plain\",\"X-Fleet\",\"7\""
    );
    assert_eq!(WipFileHttp::parse(&put.encode()).unwrap(), put);
    let with_login = WipFileHttp::new(1, FileMode::Download, "http://h/f")
        .and_then(|r| r.with_username("u"))
        .and_then(|r| r.with_password("p"))
        .unwrap()
        .with_headers(vec![(String::from("Accept"), String::from("*/*"))]);
    assert_eq!(
        with_login.encode(),
        "AT+WIPFILE=5,1,1,\"http://h/f\",\"u\",\"p\",\"Accept\",\"*/*\""
    );
    // Setting it again replaces it.
    let none = with_login.with_headers(Vec::<(String, String)>::new());
    assert_eq!(none.encode(), "AT+WIPFILE=5,1,1,\"http://h/f\",\"u\",\"p\"");
    let session = WipCreateHttp::new(1)
        .and_then(|s| s.with_server("proxy.example"))
        .unwrap()
        .with_headers([("User-Agent", "wip")]);
    assert_eq!(
        session.encode(),
        "AT+WIPCREATE=5,1,\"proxy.example\",,,,\"User-Agent\",\"wip\""
    );
    // A value the line cannot carry is refused when checked, naming the
    // group.
    let bad = WipFileHttp::new(1, FileMode::Upload, "http://h/up")
        .unwrap()
        .with_headers([("X", "a\"b")]);
    let e = bad.validate().unwrap_err();
    assert_eq!(e.param.as_deref(), Some("header list"));
    assert!(e.to_string().contains("<header list>"), "{e}");
}

#[test]
fn an_option_is_written_through_its_protocols_table() {
    // The README's example: FTP files go as ASCII unless FTP_TYPE (40) is
    // set to binary (5.3.7.2).
    let binary = WipOptSet::new(
        1,
        WipOptSetOption::Ftp(FtpOptionValue::DataType(FtpType::Binary)),
    )
    .unwrap();
    assert_eq!(binary.to_bytes(), b"AT+WIPOPT=4,1,2,40,1\r");
    assert_eq!(WipOptSet::parse(&binary.encode()).unwrap(), binary);
    // The index is checked like any parameter.
    let e = WipOptSet::new(
        9,
        WipOptSetOption::Ftp(FtpOptionValue::DataType(FtpType::Binary)),
    )
    .unwrap_err();
    assert_eq!(e.param.as_deref(), Some("idx"), "{e}");
}

/// A string that would break the command line (a double quote, a CR or
/// LF, which would end it and start another command) is refused by the
/// `new` and the setter that take it, as `validate` refuses it.
#[test]
fn strings_that_would_break_the_line_are_refused_where_they_are_set() {
    let e = WipCreateFtp::new(1, "ftp.example.com", "user", "p\r\nAT").unwrap_err();
    assert_eq!(e.param.as_deref(), Some("password"));
    assert!(e.to_string().contains("double quote or a line end"), "{e}");
    let e = WipCreateFtp::new(1, "ftp.example.com", "us\"er", "p").unwrap_err();
    assert_eq!(e.param.as_deref(), Some("username"));
    let e = WipFileFtp::new(1, FileMode::Download, "a\rAT+WIPCFG=0").unwrap_err();
    assert_eq!(e.param.as_deref(), Some("filename"));
    let e = WipBrStart::new(BearerId::Gsm, BearerMode::Server)
        .and_then(|s| s.with_login("u\r"))
        .unwrap_err();
    assert_eq!(e.param.as_deref(), Some("login"));
    // The same values without the breaking byte are taken.
    assert!(WipCreateFtp::new(1, "ftp.example.com", "user", "p").is_ok());
    assert!(WipFileFtp::new(1, FileMode::Download, "a.txt").is_ok());
}

/// An option value that would break the line is refused naming the
/// option and its value, not the command alone.
#[test]
fn an_option_value_that_would_break_the_line_names_the_option() {
    let e = WipOptSet::new(
        1,
        WipOptSetOption::Smtp(SmtpOptionValue::Subject("a\"b".into())),
    )
    .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("option 66 (WIP_COPT_SMTP_SUBJ)") && text.contains("<optval>"),
        "{text}"
    );
}
