//! The vendor bindings on the manuals' own lines: typed requests encode to
//! them, their answers and URCs parse to typed values, and values the
//! manuals exclude are refused with the parameter and the range named.

use wip_vendor_bindings::{base, simcom, ublox};

#[test]
fn base_sms_and_registration_lines() {
    use base::*;
    assert_eq!(
        CmgfSet::new()
            .and_then(|s| s.with_mode(MessageFormat::Text))
            .unwrap()
            .encode(),
        "AT+CMGF=1"
    );
    let send = CmgsSendText::new("+4915123456789")
        .and_then(|s| s.with_toda(TypeOfAddress::International))
        .unwrap();
    assert_eq!(send.encode(), "AT+CMGS=\"+4915123456789\",145");
    assert_eq!(
        Request::parse("AT+CMGS=\"9194547830\"").unwrap(),
        Request::from(CmgsSendText::new("9194547830").unwrap())
    );
    let e = Request::parse("AT+CMGS=\"9194547830\",146").unwrap_err();
    assert_eq!(
        e.to_string(),
        "+CMGS <toda> = 146 is not one of 129 (national), 145 (international)"
    );
    assert_eq!(
        Urc::parse("+CMTI: \"SM\",3").unwrap(),
        Urc::CmtiIndication(CmtiIndication {
            mem: MessageStorage::Sim,
            index: 3
        })
    );
    // <mem> is a set of strings (27.005 3.4.1): a storage outside it is refused.
    assert!(Urc::parse("+CMTI: \"XX\",3").is_err());
    assert!(Request::parse("AT+CMGL=\"REC RAED\"").is_err());
    let r = Response::parse("+CMGS: 1", Request::from(send).ids()).unwrap();
    assert_eq!(r, Response::CmgsSent(CmgsSent { mr: 1 }));
    assert_eq!(
        Urc::parse("+CREG: 5").unwrap(),
        Urc::CregChanged(CregChanged {
            status: RegistrationStatus::Roaming
        })
    );
    assert_eq!(CmeError::from_code(10).text(), Some("SIM not inserted"));
    assert_eq!(
        CmeError::from_code(233).text(),
        Some("Wireline access area not allowed")
    );
    assert_eq!(CmeError::from_code(8), CmeError::Unknown(8));
    let (_, cms) = DIALECT.error_table("cms").unwrap();
    assert!(cms.accepts(330) && cms.accepts(17) && !cms.accepts(399));
}

#[test]
fn the_cms_table_is_a_typed_enum() {
    use base::CmsError;
    let e = CmsError::from_code(330);
    assert_eq!(e, CmsError::SmscAddressUnknown);
    assert_eq!(e.code(), 330);
    assert_eq!(e.text(), Some("SMSC address unknown"));
    assert_eq!(e.section(), Some("27.005 3.2.5"));
    assert_eq!(e.to_string(), "+CMS ERROR: 330: SMSC address unknown");
    // A text the table repeats gets its code in the variant name.
    assert_eq!(CmsError::from_code(500), CmsError::Unknown500);
    assert_eq!(CmsError::Unknown500.text(), Some("Unknown"));
    // Codes the table does not define are kept.
    assert_eq!(CmsError::from_code(17), CmsError::Unknown(17));
    assert_eq!(
        CmsError::Unknown(17).to_string(),
        "+CMS ERROR: 17: not defined by the spec"
    );
    assert!(CmsError::is_reserved(17) && !CmsError::is_reserved(399));
    // The enum and the run-time table hold the same codes.
    let (_, cms) = base::DIALECT.error_table("cms").unwrap();
    let codes: Vec<u32> = CmsError::ALL.iter().map(|e| e.code()).collect();
    let table: Vec<u32> = cms.codes.iter().map(|e| e.code).collect();
    assert_eq!(codes, table);
    for e in CmsError::ALL {
        assert_eq!(CmsError::from_code(e.code()), e);
    }
    // The typed-code trait the clients use is implemented as for `CmeError`.
    fn typed<E: wip_runtime::schema::typed::FromCode>(code: u32) -> E {
        E::from_code(code)
    }
    assert_eq!(typed::<CmsError>(330), CmsError::SmscAddressUnknown);
    assert_eq!(typed::<CmsError>(17), CmsError::Unknown(17));
}

#[test]
fn ublox_socket_lines() {
    use ublox::*;
    let connect = UsocoConnect::new(3, "151.9.34.66", 2222).unwrap();
    assert_eq!(connect.encode(), "AT+USOCO=3,\"151.9.34.66\",2222");
    let connect = connect.with_async_connect(AsyncMode::Async).unwrap();
    assert_eq!(connect.encode(), "AT+USOCO=3,\"151.9.34.66\",2222,1");
    let write = UsowrWriteString::new(3, 12, "Hello world!").unwrap();
    assert_eq!(write.encode(), "AT+USOWR=3,12,\"Hello world!\"");
    let e = UsowrWriteString::new(7, 12, "Hello world!").unwrap_err();
    assert_eq!(e.to_string(), "+USOWR <socket> = 7 is outside 0..=6");
    let read = UsordRead::new(3, 16).unwrap();
    let ids = Request::from(read).ids();
    assert_eq!(
        Response::parse("+USORD: 3,16,\"16 bytes of data\"", ids).unwrap(),
        Response::UsordData(UsordData {
            socket: 3,
            length: 16,
            data: "16 bytes of data".into()
        })
    );
    assert_eq!(
        Response::parse("+USORD: 3,23", ids).unwrap(),
        Response::UsordWaiting(UsordWaiting {
            socket: 3,
            length: 23
        })
    );
    // Nothing read (R16 p.219): two fields as UsordWaiting, the second
    // quoted (point 6).
    assert_eq!(
        Response::parse("+USORD: 3,\"\"", ids).unwrap(),
        Response::UsordNothing(UsordNothing {
            socket: 3,
            data: String::new()
        })
    );
    assert!(Response::parse("+USORD: 3,none", ids).is_err());
    assert_eq!(
        Urc::parse("+UUSOCO: 2,0").unwrap(),
        Urc::UusocoResult(UusocoResult {
            socket: 2,
            socket_error: 0
        })
    );
    assert_eq!(
        Urc::parse("+UUSOCL: 2").unwrap(),
        Urc::UusoclClosed(UusoclClosed { socket: 2 })
    );
    // IPv6 peers (R09 18.2.3), as the manual writes them.
    let v6 = Request::parse("AT+USOCO=2,\"2001:104::104:0:0\",7,1").unwrap();
    assert_eq!(v6.encode(), "AT+USOCO=2,\"2001:104::104:0:0\",7,1");
    assert!(Request::parse("AT+USOCO=2,\"2001:104::104::0\",7,1").is_err());
    // +USORD is a response, never a URC.
    assert!(Urc::parse("+USORD: 3,23").is_err());
}

#[test]
fn simcom_tcpip_lines() {
    use simcom::*;
    let open = CipopenOpen::new(0, IpProtocol::Tcp)
        .and_then(|o| o.with_server_ip("93.184.216.34"))
        .and_then(|o| o.with_server_port(80))
        .unwrap();
    assert_eq!(open.encode(), "AT+CIPOPEN=0,\"TCP\",\"93.184.216.34\",80");
    // <type> is "TCP" or "UDP" (17.2.13): the typo "TPC" is refused.
    assert!(Request::parse("AT+CIPOPEN=0,\"TPC\",\"93.184.216.34\",80").is_err());
    // The UDP form leaves the server empty in the middle (LOG).
    let udp = Request::parse("AT+CIPOPEN=5,\"UDP\",,,6031").unwrap();
    assert_eq!(udp.encode(), "AT+CIPOPEN=5,\"UDP\",,,6031");
    // serverIP and serverPort come together.
    assert!(Request::parse("AT+CIPOPEN=0,\"TCP\",\"93.184.216.34\"").is_err());
    assert_eq!(
        Urc::parse("+CIPOPEN: 1,11").unwrap(),
        Urc::CipopenResult(CipopenResult {
            link_num: 1,
            err: TcpipError::DnsParseFailed
        })
    );
    assert_eq!(
        Urc::parse("+IPCLOSE: 0,1").unwrap(),
        Urc::IpcloseClosed(IpcloseClosed {
            client_index: 0,
            close_reason: CloseReason::Remote
        })
    );
    assert_eq!(
        Urc::parse("+CIPRXGET: 1,0").unwrap(),
        Urc::CiprxgetPending(CiprxgetPending { link_num: 0 })
    );
    let query = CiprxgetQuery::new(0).unwrap();
    assert_eq!(query.encode(), "AT+CIPRXGET=4,0");
    assert_eq!(
        Response::parse("+CIPRXGET: 4,0,17", Request::from(query).ids()).unwrap(),
        Response::CiprxgetRest(CiprxgetRest {
            link_num: 0,
            rest_len: 17
        })
    );
    assert_eq!(
        Urc::parse("+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY").unwrap(),
        Urc::CipeventNetworkClosed(CipeventNetworkClosed {
            event: "NETWORK CLOSED UNEXPECTEDLY".into()
        })
    );
    assert!(Urc::parse("+CIPOPEN: 0,12").is_err());
    // A token (point 7): the client's address and port, unquoted.
    let client = ClientAccepted::new(1, 0, "10.0.0.2:5000").unwrap();
    assert_eq!(
        Urc::parse("+CLIENT: 1,0,10.0.0.2:5000").unwrap(),
        Urc::ClientAccepted(client.clone())
    );
    assert_eq!(client.format(), "+CLIENT: 1,0,10.0.0.2:5000");
    assert!(Urc::parse("+CLIENT: 1,0,\"10.0.0.2:5000\"").is_err());
    assert!(ClientAccepted::new(1, 0, "5000").is_err());
    // A prefix with a blank and free text (erratum S05).
    let open = Request::from(NetopenOpen::new().unwrap());
    assert_eq!(
        Response::parse("+IP ERROR: Network is already opened", open.ids()).unwrap(),
        Response::IpError(IpError {
            err_info: "Network is already opened".into()
        })
    );
}

/// Test-command answers (27.007 8.5, 10.1.9; u-blox R09 18.10.2): typed
/// lists of ranges, taken only while the test command is in flight.
#[test]
fn test_command_answers_are_typed_lists() {
    use base::*;
    use wip_runtime::schema::Ranges;
    let csq = Request::from(CsqTest);
    assert_eq!(csq.encode(), "AT+CSQ=?");
    let r = Response::parse("+CSQ: (0-31,99),(0-7,99)", csq.ids()).unwrap();
    let Response::CsqTestAnswer(a) = &r else {
        panic!("{r:?}")
    };
    assert_eq!(a.rssi.items(), &[(0, 31), (99, 99)]);
    assert!(a.rssi.contains(99) && !a.rssi.contains(50) && a.ber.contains(7));
    assert_eq!(
        r,
        Response::CsqTestAnswer(CsqTestAnswer {
            rssi: Ranges::parse("(0-31,99)").unwrap(),
            ber: Ranges::parse("(0-7,99)").unwrap(),
        })
    );
    let line = CsqTestAnswer::new(
        Ranges::new(vec![(0, 31), (99, 99)]).unwrap(),
        Ranges::new(vec![(0, 7), (99, 99)]).unwrap(),
    )
    .unwrap()
    .format();
    assert_eq!(line, "+CSQ: (0-31,99),(0-7,99)");
    // A malformed list is refused, naming the field.
    let e = Response::parse("+CSQ: (0-31,99),(7-0)", csq.ids()).unwrap_err();
    assert!(e.to_string().contains("<ber>"), "{e}");
    // +CGATT: (0,1) answers AT+CGATT=?; after AT+CGATT? it is no answer.
    let test = Request::from(CgattTest);
    let r = Response::parse("+CGATT: (0,1)", test.ids()).unwrap();
    assert!(
        matches!(&r, Response::CgattTestAnswer(a) if a.states == Ranges::values(&[0, 1]).unwrap())
    );
    let read = Request::from(CgattRead);
    assert!(Response::parse("+CGATT: (0,1)", read.ids()).is_err());
    assert!(matches!(
        Response::parse("+CGATT: 1", read.ids()).unwrap(),
        Response::CgattState(_)
    ));

    // u-blox: lists beside the quoted literal "HEX data", one line per syntax.
    use ublox::{Request as URequest, Response as UResponse, TestWriteSyntax, UsowrTest};
    let t = URequest::from(UsowrTest);
    let r = UResponse::parse("+USOWR: (0-6),(0-512),\"HEX data\"", t.ids()).unwrap();
    let UResponse::UsowrTestAnswer(a) = r else {
        panic!("{r:?}")
    };
    assert_eq!(a.syntax, Some(TestWriteSyntax::Hex));
    assert_eq!(a.lengths.highest(), Some(512));
    assert!(UResponse::parse("+USOWR: (0-6),(0-512),\"HEX dta\"", t.ids()).is_err());
}

/// The framer gives a test answer to the test command in flight, and the
/// same prefix to the read answer or the URC otherwise.
#[test]
fn the_framer_routes_test_answers_by_the_command_in_flight() {
    use wip_runtime::framer::{Framer, OwnedEvent};
    let d = &base::DIALECT;
    let id = |name: &str| d.messages.iter().position(|m| m.id == name).unwrap();
    let message = |e: &[OwnedEvent]| -> Vec<(bool, usize)> {
        e.iter()
            .filter_map(|e| match e {
                OwnedEvent::Response { message, .. } => Some((true, *message)),
                OwnedEvent::Urc { message, .. } => Some((false, *message)),
                _ => None,
            })
            .collect()
    };
    let mut f = Framer::new(d);
    f.sent("AT+CREG=?");
    let whole = b"\r\n+CREG: (0-2)\r\n\r\n+CREG: 5\r\n\r\nOK\r\n";
    let events = f.feed_owned(whole);
    assert_eq!(
        message(&events),
        vec![(true, id("CregTestAnswer")), (false, id("CregChanged"))]
    );
    // Byte by byte: the same events.
    let mut g = Framer::new(d);
    g.sent("AT+CREG=?");
    let mut bytewise = Vec::new();
    for b in whole {
        bytewise.extend(g.feed_owned(std::slice::from_ref(b)));
    }
    assert_eq!(message(&bytewise), message(&events));
    f.sent("AT+CGATT?");
    let events = f.feed_owned(b"\r\n+CGATT: 1\r\n\r\nOK\r\n");
    assert_eq!(message(&events), vec![(true, id("CgattState"))]);
    f.sent("AT+CGATT=?");
    let events = f.feed_owned(b"\r\n+CGATT: (0,1)\r\n\r\nOK\r\n");
    assert_eq!(message(&events), vec![(true, id("CgattTestAnswer"))]);
}
