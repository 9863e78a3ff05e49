//! The generated rev 009 API as a host and a modem emulator use it.

use std::net::Ipv4Addr;
use wip_bindings::rev009::*;
use wip_runtime::schema::{
    classify, Class, DataMode as Mode, ErrorKind, EtxMeaning, InFlight, Index,
};

#[test]
fn a_typed_request_encodes_to_the_wire_bytes() {
    let req = WipCreateTcpClient::new(1, "10.0.0.1", 80).unwrap();
    assert_eq!(req.to_bytes(), b"AT+WIPCREATE=2,1,\"10.0.0.1\",80\r");
    assert_eq!(req.to_string(), "AT+WIPCREATE=2,1,\"10.0.0.1\",80");
    assert_eq!(WipCreateTcpClient::parse(&req.encode()).unwrap(), req);
    assert_eq!(WipCreateTcpClient::TIMEOUT_MS, 10_000);
}

#[test]
fn errors_name_the_command_parameter_value_and_range() {
    let e = WipCreateTcpClient::new(9, "10.0.0.1", 80).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Value);
    assert_eq!(e.context, "+WIPCREATE");
    assert_eq!(e.param.as_deref(), Some("communication index"));
    assert_eq!(
        e.to_string(),
        "+WIPCREATE <communication index> = 9 is outside 1..=8"
    );
    let e = WipCreateTcpClient::new(1, "IP ADDR", 80).unwrap_err();
    assert!(e.to_string().contains("not a host name"), "{e}");
    // The same checks on the modem side.
    let e = Request::parse("AT+WIPCREATE=2,9,\"10.0.0.1\",80").unwrap_err();
    assert_eq!(
        e.to_string(),
        "+WIPCREATE <communication index> = 9 is outside 1..=8"
    );
}

#[test]
fn a_quoted_peer_port_is_refused_by_name() {
    // Erratum E01: 5.1.6 quotes the SMTP and POP3 ports; <peer port> is an
    // integer (5.1.3). The error names the parameter, not the field count
    // the line reaches once the port is read as <username>.
    for line in [
        "AT+WIPCREATE=6,1,\"smtp.mail.yahoo.fr\",\"587\",\"user\",\"pass\"",
        "AT+WIPCREATE=7,1,\"192.168.1.4\",\"110\",\"user\",\"pass\"",
    ] {
        let e = Request::parse(line).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Type, "{line}: {e}");
        assert_eq!(e.param.as_deref(), Some("peer port"), "{line}: {e}");
    }
    // The port written bare is taken.
    let smtp = Request::parse("AT+WIPCREATE=6,1,\"smtp.mail.yahoo.fr\",587,\"user\",\"pass\"");
    assert!(smtp.is_ok(), "{smtp:?}");
    // Where the fields fit without a port, the quoted field is <username>
    // (5.1.2 syntax): the line gives no port.
    let Ok(Request::WipCreateSmtp(s)) =
        Request::parse("AT+WIPCREATE=6,1,\"smtp.example.com\",\"587\",\"user\"")
    else {
        panic!("not an SMTP session");
    };
    assert_eq!(s.peer_port, None);
    assert_eq!(s.username.as_deref(), Some("587"));
}

#[test]
fn a_mandatory_parameter_left_out_is_missing_not_mistyped() {
    // 5.1.2 mode 8 (erratum E45): <peer port> is mandatory. Without it the
    // URL lands where the port goes; the line is one field short, and the
    // URL fits <url>: the port is missing (851 in the emulator).
    let e = Request::parse("AT+WIPCREATE=8,1,\"mms.example.com\",\"http://mms.example.com\"")
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Arity, "{e}");
    assert_eq!(e.param.as_deref(), Some("peer port"), "{e}");
    assert!(e.to_string().contains("is missing"), "{e}");
    // A quoted port with every field there stays a type fault (E01).
    let e =
        Request::parse("AT+WIPCREATE=8,1,\"mms.example.com\",\"8080\",\"http://x\"").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Type, "{e}");
    assert_eq!(e.param.as_deref(), Some("peer port"), "{e}");
}

#[test]
fn cross_parameter_rules_are_enforced() {
    // 4.2.7.1: a UART bearer started as server needs a login and password.
    // The builder checks each value as it is set; the rules across
    // parameters are checked by `validate`, which sending runs.
    let server = WipBrStart::new(BearerId::Uart1, BearerMode::Server).unwrap();
    let e = server.validate().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rule);
    assert!(e.to_string().contains("<login>"), "{e}");
    let ok = server
        .with_login("user")
        .and_then(|r| r.with_password("pass"))
        .unwrap();
    ok.validate().unwrap();
    assert_eq!(ok.encode(), "AT+WIPBR=4,1,1,\"user\",\"pass\"");
    // 4.2.7.1: Ethernet starts in client mode only.
    let e = WipBrStart::new(BearerId::Ether, BearerMode::Server)
        .unwrap()
        .validate()
        .unwrap_err();
    assert!(e.to_string().contains("only in client mode"), "{e}");
    // 5.1.7: <to idx> >= <from idx>.
    assert!(WipCreateTcpServer::new(1, 80, 5, 4).is_err());
    // 5.1.2, erratum E20: a UDP socket needs a local port or a peer.
    let e = WipCreateUdp::new(1).unwrap().validate().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rule);
    assert!(e.to_string().contains("<local port>"), "{e}");
    WipCreateUdp::new(1)
        .and_then(|u| u.with_local_port(5000))
        .unwrap()
        .validate()
        .unwrap();
    assert!(WipCreateUdp::parse("AT+WIPCREATE=1,1").is_err());
    // An optional parameter left out in the middle (erratum E20): encoded
    // as an empty field; the manual's line without it parses the same.
    let udp = WipCreateUdp::new(1)
        .and_then(|u| u.with_peer_ip("www.example.com"))
        .and_then(|u| u.with_peer_port(80))
        .unwrap();
    assert_eq!(udp.encode(), "AT+WIPCREATE=1,1,,\"www.example.com\",80");
    assert_eq!(
        WipCreateUdp::parse("AT+WIPCREATE=1,1,\"www.example.com\",80").unwrap(),
        udp
    );
    assert_eq!(
        Request::parse(&udp.encode()).unwrap(),
        Request::WipCreateUdp(udp)
    );
}

#[test]
fn option_tables_are_typed_with_their_access() {
    let ttl = WipCfgConfigure::new(StackOptionValue::IpTtl(32)).unwrap();
    assert_eq!(ttl.encode(), "AT+WIPCFG=2,0,32");
    assert!(WipCfgConfigure::new(StackOptionValue::TcpMinMss(100)).is_err());
    let apn = WipBrSetOption::new(
        BearerId::Gprs,
        BearerOptionValue::GprsApn("APN name".into()),
    );
    assert_eq!(apn.unwrap().encode(), "AT+WIPBR=2,6,11,\"APN name\"");
    let get = WipBrGetOption::new(BearerId::Gprs, BearerOption::IpAddr).unwrap();
    assert_eq!(get.encode(), "AT+WIPBR=3,6,15");
    // +WIPOPT: the protocol picks the table.
    let set = WipOptSet::new(
        1,
        WipOptSetOption::Ftp(FtpOptionValue::DataType(FtpType::Binary)),
    );
    assert_eq!(set.unwrap().encode(), "AT+WIPOPT=4,1,2,40,1");
    let mms = WipOptSet::new(
        1,
        WipOptSetOption::Mms(MmsOptionValue::AddFile {
            file_type: MmsFileType::Jpeg,
            size: 304,
            file_name: None,
            content_id: Some("<003>".into()),
        }),
    )
    .unwrap();
    assert_eq!(mms.encode(), "AT+WIPOPT=8,1,2,93,4,304,,\"<003>\"");
    assert_eq!(
        Request::parse(&mms.encode()).unwrap(),
        Request::WipOptSet(mms)
    );
    // Per-protocol access: the port of a socket can be read, not written.
    let e = WipOptSet::new(1, WipOptSetOption::TcpClient(SocketOptionValue::Ttl(64)));
    assert!(e.is_ok());
    let e = Request::parse("AT+WIPOPT=2,1,2,0,80").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Option);
    assert!(e.to_string().contains("cannot be written"), "{e}");
    // SND_LOWAT exists for TCP only.
    let e = WipOptSet::new(1, WipOptSetOption::Udp(SocketOptionValue::SndLowat(100)));
    assert!(e.is_err());
    assert_eq!(StackOption::from_id(4), Some(StackOption::TcpMinMss));
    assert_eq!(StackOption::TcpMinMss.name(), "WIP_NET_OPT_TCP_MIN_MSS");
}

#[test]
fn responses_and_urcs_parse_and_format() {
    let ready = Urc::parse("+WIPREADY: 2,1").unwrap();
    assert_eq!(
        ready,
        Urc::WipReady(WipReady {
            mode: Protocol::TcpClient,
            index: 1
        })
    );
    assert_eq!(ready.format(), "+WIPREADY: 2,1");
    // The manual's blank after the comma is accepted.
    assert_eq!(
        WipReady::parse("+WIPREADY: 5, 1").unwrap().mode,
        Protocol::Http
    );
    // +WIPREADY never reports a TCP server.
    assert!(WipReady::new(Protocol::TcpServer, 1).is_err());
    // +WIPDATA: the protocol and the arity tell UDP from TCP.
    assert!(matches!(
        Urc::parse("+WIPDATA: 2,1,100").unwrap(),
        Urc::WipDataTcp(_)
    ));
    let udp = Urc::parse("+WIPDATA: 1,1,25,\"10.0.0.1\",7").unwrap();
    assert!(matches!(
        udp,
        Urc::WipDataUdp(WipDataUdp {
            datagram_size: 25,
            ..
        })
    ));
    // +WIPBR: three fields answer AT+WIPBR=3; six are the bearer URC.
    let pending = Request::parse("AT+WIPBR=3,6,15").unwrap().ids();
    let r = Response::parse("+WIPBR: 6,15,\"10.0.0.2\"", pending).unwrap();
    let Response::WipBrOption(o) = r else {
        panic!("{r:?}")
    };
    assert_eq!(o.bid, BearerId::Gprs);
    assert_eq!(
        o.option,
        BearerOptionReading::IpAddr(Ipv4Addr::new(10, 0, 0, 2))
    );
    assert!(matches!(
        Urc::parse("+WIPBR: 5,0,\"1.2.3.4\",\"1.2.3.5\",\"0.0.0.0\",\"0.0.0.0\"").unwrap(),
        Urc::WipBrStatus(_)
    ));
    // An option value read back, typed by the protocol's table.
    let pending = Request::parse("AT+WIPOPT=4,1,1,40").unwrap().ids();
    let r = Response::parse("+WIPOPT: 4,40,1", pending).unwrap();
    assert_eq!(
        r,
        Response::WipOptValue(WipOptValue {
            option: WipOptValueOption::Ftp(FtpOptionReading::DataType(FtpType::Binary))
        })
    );
    assert_eq!(r.format(), "+WIPOPT: 4,40,1");
    // Each table's accessor gives its payload whichever key picked it.
    let Response::WipOptValue(v) = r else {
        panic!("{r:?}")
    };
    assert_eq!(
        v.option.ftp(),
        Some(&FtpOptionReading::DataType(FtpType::Binary))
    );
    assert_eq!(v.option.socket(), None);
    for proto in [1, 2, 3] {
        let pending = Request::parse(&format!("AT+WIPOPT={proto},1,1,8"))
            .unwrap()
            .ids();
        let Response::WipOptValue(v) =
            Response::parse(&format!("+WIPOPT: {proto},8,64"), pending).unwrap()
        else {
            panic!("protocol {proto}")
        };
        assert_eq!(v.option.socket(), Some(&SocketOptionReading::Ttl(64)));
        assert_eq!(v.option.smtp(), None);
    }
    let get = WipOptGet::new(1, WipOptGetOption::TcpClient(SocketOption::Ttl)).unwrap();
    assert_eq!(get.option.socket(), Some(&SocketOption::Ttl));
    // The SMTP status code is a u32 (5.3.7.4), not a 3-digit code.
    let pending = Request::parse("AT+WIPOPT=6,1,1,60").unwrap().ids();
    let r = Response::parse("+WIPOPT: 6,60,4294967295,\"too long\"", pending).unwrap();
    assert_eq!(
        r,
        Response::WipOptValue(WipOptValue {
            option: WipOptValueOption::Smtp(SmtpOptionReading::StatusCode {
                code: u32::MAX,
                text: "too long".into(),
            })
        })
    );
    let e = Response::parse("+WIPOPT: 6,60,4294967296,\"x\"", pending).unwrap_err();
    assert!(
        e.to_string().contains("code") && e.to_string().contains("4294967295"),
        "{e}"
    );
    // The version text of AT+WIPCFG=3 is free text.
    let v = WipCfgVersionLine::parse("WIPsoft v5.41.0 on Open AT OS v6.36").unwrap();
    assert_eq!(v.format(), "WIPsoft v5.41.0 on Open AT OS v6.36");
}

#[test]
fn data_mode_outcomes_and_runtime_metadata() {
    let ftp = WipFileFtp::new(1, FileMode::Download, "file.bin")
        .and_then(|f| f.with_dle_mode(DleMode::Transparent));
    let o = ftp.unwrap().outcome().unwrap();
    assert_eq!(o.data, Mode::Transparent);
    let tcp = Request::parse("AT+WIPDATA=2,1,1").unwrap();
    let o = tcp.outcome().unwrap();
    assert_eq!(
        (o.data, o.etx),
        (Mode::Continuous, Some(EtxMeaning::Shutdown))
    );
    assert!(Request::parse("AT+WIPDATA=2,1,0")
        .unwrap()
        .outcome()
        .is_none());
    assert_eq!(tcp.timeout_ms(), 10_000);
    // Which commands can open a data mode is read off the one description.
    let opens = |name: &str| {
        DIALECT
            .command(name)
            .is_some_and(|(_, c)| c.forms.iter().any(|f| !f.outcomes.is_empty()))
    };
    assert!(opens("+WIPDATA") && opens("+WIPFILE") && !opens("+WIPBR"));
    let (br_index, br) = DIALECT.command("+WIPBR").unwrap();
    assert_eq!(br.timeout_ms, 130_000);
    // +WIPBR answers three fields or a bare <bid>,<state> line; its URC has
    // six: the one classifier tells them apart by arity.
    let index = Index::new(&DIALECT);
    let class =
        |in_flight, line: &str| index.classify(in_flight, &classify::parts(line.as_bytes()));
    let message = |id: &str| DIALECT.messages.iter().position(|m| m.id == id).unwrap();
    let during = InFlight::Command(br_index);
    assert_eq!(
        class(during, r#"+WIPBR: 6,11,"APN""#),
        Class::Response(message("WipBrOption"))
    );
    assert_eq!(class(during, "6,1"), Class::Response(message("WipBrState")));
    let status = r#"+WIPBR: 6,1,"1.1.1.1","2.2.2.2","3.3.3.3","4.4.4.4""#;
    assert_eq!(class(during, status), Class::Urc(message("WipBrStatus")));
    assert_eq!(
        class(InFlight::None, status),
        Class::Urc(message("WipBrStatus"))
    );
    assert_eq!(class(InFlight::None, "6,1"), Class::Unknown);
    assert_eq!(
        class(InFlight::None, r#"+WIPBR: 6,11,"APN""#),
        Class::Unknown
    );
}

#[test]
fn error_codes_with_their_text() {
    assert_eq!(CmeError::from_code(830), CmeError::BadIndex);
    assert_eq!(CmeError::BadIndex.code(), 830);
    assert_eq!(CmeError::BadIndex.text(), Some("bad index"));
    assert_eq!(CmeError::from_code(825), CmeError::Unknown(825));
    assert!(CmeError::is_reserved(825) && !CmeError::is_reserved(830));
    assert_eq!(CmeError::BadIndex.to_string(), "+CME ERROR: 830: bad index");
    assert_eq!(CmeError::ALL.len(), DIALECT.errors.len());
    assert!(CmeError::ALL
        .iter()
        .all(|e| CmeError::from_code(e.code()) == *e));
}

#[test]
fn value_sets_are_named_after_the_manual() {
    assert_eq!(Protocol::Udp.code(), 1);
    assert_eq!(Protocol::from_code(3), Some(Protocol::TcpServer));
    assert_eq!(Protocol::from_code(9), None);
    assert_eq!(Protocol::Pop3.name(), "POP3");
    assert_eq!(BearerId::Uart1Cmux2.code(), 12);
    assert_eq!(Protocol::ALL.len(), 8);
}

#[test]
fn a_selector_value_of_another_form_is_named() {
    // 6.3.3: a write takes <command> 1, 2 or 3; 0 (close) is another form,
    // which takes no data. The error names <command> and this form's
    // values, not the field count of the other form.
    let e = WipDataRwWrite::new(OfflineCommand::Close, 1, "0000").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Value, "{e}");
    assert_eq!(e.param.as_deref(), Some("command"), "{e}");
    assert!(e.to_string().contains("is not one of 1"), "{e}");
    assert!(WipDataRwWrite::new(OfflineCommand::WriteAndSend, 1, "0000").is_ok());
}

#[test]
fn a_missing_parameter_after_an_optional_one_is_named() {
    // 5.1.2: FTP takes [<peer port>],<username>,<password>. With the port
    // given and the password left out, the fault is the missing password,
    // not the type the port would have as <username>.
    let e = Request::parse("AT+WIPCREATE=4,1,\"ftp.example.com\",21,\"admin\"").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Arity, "{e}");
    assert_eq!(e.param.as_deref(), Some("password"), "{e}");
}
