use wip_schema::{Access, DataMode, EtxMeaning, Form, FormKind, Lit, Param, Rule, Ty};
use wip_spec::notes::{FormRef, OptRef, TableRef};
use wip_spec::Spec;

fn spec() -> Spec {
    wip_spec::default_spec().unwrap()
}

fn form<'a>(s: &'a Spec, cmd: &str, name: &str) -> FormRef<'a> {
    s.command(cmd)
        .unwrap()
        .forms()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{cmd} {name}"))
}

fn param<'a>(f: &'a Form, name: &str) -> &'a Param {
    f.params
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{} has no {name}", f.name))
}

fn table<'a>(s: &'a Spec, id: &str) -> TableRef<'a> {
    s.table_by_id(id).unwrap_or_else(|| panic!("table {id}"))
}

fn opt<'a>(s: &'a Spec, t: &str, id: i64) -> OptRef<'a> {
    table(s, t).option(id).unwrap_or_else(|| panic!("{t} {id}"))
}

fn set_values(s: &Spec, id: &str) -> Vec<i64> {
    s.value_sets()
        .into_iter()
        .find(|v| v.id == id)
        .unwrap_or_else(|| panic!("value set {id}"))
        .values
        .iter()
        .map(|v| v.0)
        .collect()
}

fn int_range(t: &Ty) -> (i64, i64) {
    match t {
        Ty::Int { min, max } => (*min, *max),
        other => panic!("not an int: {other:?}"),
    }
}

#[test]
fn nine_commands_with_read_and_test_forms_as_the_manual_gives() {
    let s = spec();
    let names: Vec<&str> = s.dialect.commands.iter().map(|c| c.name.as_ref()).collect();
    assert_eq!(
        names,
        [
            "+WIPCFG",
            "+WIPBR",
            "+WIPCREATE",
            "+WIPCLOSE",
            "+WIPOPT",
            "+WIPFILE",
            "+WIPDATA",
            "+WIPDATARW",
            "+WIPPING"
        ]
    );
    for c in s.commands() {
        assert!(
            c.form_of_kind(FormKind::Test).is_some(),
            "{} has a test form",
            c.name
        );
    }
    // "Read Command ... NONE" for these (5.1.2, 5.2.2, 5.3.2, 6.2.6).
    for c in ["+WIPCREATE", "+WIPCLOSE", "+WIPOPT", "+WIPDATA"] {
        assert!(
            s.command(c).unwrap().form_of_kind(FormKind::Read).is_none(),
            "{c}"
        );
    }
    for c in ["+WIPCFG", "+WIPBR", "+WIPFILE", "+WIPDATARW", "+WIPPING"] {
        assert!(
            s.command(c).unwrap().form_of_kind(FormKind::Read).is_some(),
            "{c}"
        );
    }
}

#[test]
fn wipcfg_options_4_1_3() {
    let s = spec();
    let expect = [
        (0, 0, 255, 64),
        (1, 0, 255, 0),
        (2, 1, 65535, 60),
        (3, 0, 65535, 0),
        (4, 536, 1460, 536),
        (5, 0, 3, 0),
        (12, 0, 100, 0),
        (13, 0, 1, 0),
        (14, 0, 1, 0),
        (15, 1, 32000, 2048),
        (16, 1, 64, 64),
        (17, 1, 12, 12),
    ];
    for (id, lo, hi, def) in expect {
        let o = opt(&s, "stack", id);
        assert_eq!(int_range(&o.values[0].ty), (lo, hi), "opt {id}");
        assert_eq!(o.values[0].default, Some(Lit::Int(def)), "opt {id}");
        assert_eq!(o.access_for(None), Access::RW);
    }
    assert_eq!(opt(&s, "stack", 0).name, "WIP_NET_OPT_IP_TTL");
    assert_eq!(opt(&s, "stack", 4).name, "WIP_NET_OPT_TCP_MIN_MSS");
    let cfg = s.command("+WIPCFG").unwrap();
    assert_eq!(cfg.errors, vec![800, 801, 802, 820, 821, 844, 850, 852]);
    assert_eq!(cfg.action_forms().len(), 5);
    assert!(form(&s, "+WIPCFG", "Version")
        .responses
        .iter()
        .any(|m| s.message_id(*m) == "WipCfgVersionLine"));
}

#[test]
fn wipbr_bearers_options_and_start_table_4_2() {
    let s = spec();
    let bearers = set_values(&s, "bearer");
    assert_eq!(bearers, [1, 2, 4, 5, 6, 11, 12, 13, 14, 21, 22, 23, 24]);
    assert_eq!(
        opt(&s, "bearer", 11).values[0].ty,
        Ty::Str { max_len: Some(96) }
    );
    assert_eq!(
        opt(&s, "bearer", 0).values[0].ty,
        Ty::Str { max_len: Some(64) }
    );
    assert_eq!(
        opt(&s, "bearer", 2).values[0].ty,
        Ty::Str { max_len: Some(32) }
    );
    assert_eq!(int_range(&opt(&s, "bearer", 21).values[0].ty), (300, 1200));
    assert_eq!(
        opt(&s, "bearer", 21).values[0].default,
        Some(Lit::Int(1200))
    );
    assert_eq!(int_range(&opt(&s, "bearer", 12).values[0].ty), (1, 4));
    assert_eq!(opt(&s, "bearer", 15).values[0].ty, Ty::Ip);
    assert_eq!(opt(&s, "bearer", 24).access_for(None), Access::R);
    assert!(
        table(&s, "bearer").option(3).is_none(),
        "3 and 4 are reserved"
    );
    assert_eq!(opt(&s, "bearer", 28).values[0].default, Some(Lit::Int(0)));
    let start = form(&s, "+WIPBR", "Start");
    assert!(param(&start, "login").optional && param(&start, "caller identity").optional);
    // Ethernet starts only as a client; GPRS has no server row.
    let rejects: Vec<&Rule> = start
        .rules
        .iter()
        .filter(|r| matches!(r, Rule::Reject { .. }))
        .collect();
    assert_eq!(rejects.len(), 2);
    // 4.2.2: +WIPBR: <bid>,<opt num>,<value> repeats what AT+WIPBR=3 asked.
    let get = form(&s, "+WIPBR", "GetOption");
    let echoed: Vec<&str> = get
        .echo
        .iter()
        .map(|i| get.params[*i].name.as_ref())
        .collect();
    assert_eq!(echoed, ["bid", "opt num"]);
    let br = s.command("+WIPBR").unwrap();
    for e in [804, 847, 103, 150] {
        assert!(br.errors.contains(&e), "{e}");
    }
}

#[test]
fn wipcreate_forms_and_ranges_5_1() {
    let s = spec();
    let c = s.command("+WIPCREATE").unwrap();
    assert_eq!(c.action_forms().len(), 8);
    let server = form(&s, "+WIPCREATE", "TcpServer");
    assert_eq!(int_range(&param(&server, "server index").ty), (1, 4));
    assert_eq!(int_range(&param(&server, "from idx").ty), (1, 8));
    assert!(server.rules.iter().any(|r| matches!(r, Rule::Order { .. })));
    let client = form(&s, "+WIPCREATE", "TcpClient");
    assert_eq!(int_range(&param(&client, "communication index").ty), (1, 8));
    assert_eq!(int_range(&param(&client, "peer port").ty), (1, 65535));
    assert_eq!(param(&client, "peer IP").ty, Ty::Host { max_len: None });
    for (f, port) in [("Ftp", 21), ("Http", 80), ("Smtp", 25), ("Pop3", 110)] {
        let fr = form(&s, "+WIPCREATE", f);
        let p = param(&fr, "peer port");
        assert!(p.optional, "{f}");
        assert_eq!(p.default, Some(Lit::Int(port)), "{f}");
    }
    let ftp = form(&s, "+WIPCREATE", "Ftp");
    assert!(!param(&ftp, "username").optional && param(&ftp, "account").optional);
    assert!(form(&s, "+WIPCREATE", "Http")
        .rest
        .as_ref()
        .is_some_and(|r| r.group == 2));
    assert!(c.errors.contains(&845) && c.errors.contains(&3));
    // 838 is not in 5.1.5's list; erratum E05 adds it (9.14 shows it).
    assert!(!c.errors.contains(&838) && c.also_errors.contains(&838));
}

#[test]
fn wipclose_and_wipopt_5_2_5_3() {
    let s = spec();
    assert_eq!(
        s.command("+WIPCLOSE").unwrap().errors,
        vec![802, 803, 830, 831, 834, 837]
    );
    // 5.3.7.1 access per protocol.
    let cases = [
        (0, [Access::R, Access::R, Access::R]),
        (1, [Access::R, Access::R, Access::None]),
        (3, [Access::R, Access::None, Access::None]),
        (4, [Access::None, Access::RW, Access::RW]),
        (7, [Access::None, Access::RW, Access::RW]),
        (8, [Access::RW, Access::RW, Access::RW]),
    ];
    for (id, acc) in cases {
        let o = opt(&s, "socket", id);
        for (k, a) in (1..=3).zip(acc) {
            assert_eq!(o.access_for(Some(k)), a, "socket opt {id} protocol {k}");
        }
    }
    assert_eq!(int_range(&opt(&s, "socket", 4).values[0].ty), (1, 5839));
    assert_eq!(opt(&s, "http", 53).access_for(None), Access::W);
    assert_eq!(opt(&s, "http", 54).access_for(None), Access::R);
    assert_eq!(opt(&s, "smtp", 60).read.len(), 2);
    assert!(opt(&s, "pop3", 73).read_repeats);
    assert_eq!(opt(&s, "mms", 93).values.len(), 4);
    assert!(
        opt(&s, "mms", 96).values.is_empty(),
        "WIP_MMS_DONE takes no value (E02)"
    );
    let get = form(&s, "+WIPOPT", "Get");
    let b = get.options.as_ref().unwrap();
    assert_eq!(b.table_for(Some(3)).map(|t| s.table_id(t)), Some("socket"));
    assert_eq!(b.table_for(Some(8)).map(|t| s.table_id(t)), Some("mms"));
}

#[test]
fn wipfile_modes_per_protocol_6_1_5() {
    let s = spec();
    let modes = |f: &str| match &param(&form(&s, "+WIPFILE", f), "mode").ty {
        Ty::Enum { allowed, .. } => allowed.to_vec(),
        t => panic!("{t:?}"),
    };
    assert_eq!(modes("Ftp"), [1, 2, 5, 6, 7, 9]);
    assert_eq!(modes("Http"), [1, 2, 3, 4, 7]);
    assert_eq!(modes("Smtp"), [2, 6]);
    assert_eq!(modes("Pop3"), [1, 3, 7, 8]);
    let ftp = form(&s, "+WIPFILE", "Ftp");
    assert_eq!(param(&ftp, "filename").ty, Ty::Str { max_len: Some(128) });
    assert_eq!(param(&ftp, "dle_mode").default, Some(Lit::Int(0)));
    // Transparent (upload, download), continuous (upload, download), hex
    // dumps: an upload (modes 2 and 5) carries no data from the modem.
    let shape: Vec<(DataMode, Option<EtxMeaning>, bool)> = ftp
        .outcomes
        .iter()
        .map(|o| (o.data, o.etx, o.upload))
        .collect();
    assert_eq!(
        shape,
        [
            (DataMode::Transparent, None, true),
            (DataMode::Transparent, None, false),
            (DataMode::Continuous, Some(EtxMeaning::EndOfData), true),
            (DataMode::Continuous, Some(EtxMeaning::EndOfData), false),
            (DataMode::HexDump, None, false),
        ]
    );
    let uploads = |f: &str| {
        form(&s, "+WIPFILE", f)
            .outcomes
            .iter()
            .filter(|o| o.upload)
            .count()
    };
    assert_eq!(
        (
            uploads("Http"),
            uploads("Smtp"),
            uploads("Pop3"),
            uploads("Mms")
        ),
        (1, 1, 0, 1)
    );
    // HTTP PUT (mode 2) is the upload: 6.1.5 describes it as FTP's and
    // SMTP's uploads, 6.1.8 shows "<data terminated by [ETX] character>"
    // after its CONNECT; DELETE and POST show "<data received …>".
    let http_upload: Vec<_> = form(&s, "+WIPFILE", "Http")
        .outcomes
        .iter()
        .filter(|o| o.upload)
        .flat_map(|o| o.when.iter().flat_map(|w| w.values.iter().copied()))
        .collect();
    assert_eq!(http_upload, [2]);
    let e = &s.command("+WIPFILE").unwrap().errors;
    assert!((890..=897).all(|c| e.contains(&c)));
}

#[test]
fn wipdata_and_wipdatarw_6_2_6_3() {
    let s = spec();
    let map = form(&s, "+WIPDATA", "Map");
    assert_eq!(int_range(&param(&map, "send size").ty), (8, 1460));
    assert_eq!(param(&map, "send size").default, Some(Lit::Int(1020)));
    assert_eq!(int_range(&param(&map, "wait time").ty), (1, 100));
    assert_eq!(param(&map, "wait time").default, Some(Lit::Int(2)));
    let etx: Vec<Option<EtxMeaning>> = map.outcomes.iter().map(|o| o.etx).collect();
    assert_eq!(
        etx,
        [
            Some(EtxMeaning::EndOfDatagram),
            Some(EtxMeaning::Shutdown),
            None,
            None
        ]
    );
    // 6.2.9's list; erratum E05 adds 842 (6.2.11.3) and 847 (6.2.11.4).
    let data = s.command("+WIPDATA").unwrap();
    assert_eq!(data.errors, vec![831, 836, 837, 843]);
    assert!(data.also_errors.contains(&842) && data.also_errors.contains(&847));
    let w = form(&s, "+WIPDATARW", "Write");
    assert_eq!(param(&w, "DATA DUMP").ty, Ty::Hex { max_bytes: 200 });
    let states = set_values(&s, "offline_state");
    assert_eq!(states, [0, 1, 2, 3], "E03: no state 4");
    assert_eq!(
        s.command("+WIPDATARW").unwrap().errors,
        vec![800, 801, 830, 831, 836, 853]
    );
}

#[test]
fn wipping_7_1() {
    let s = spec();
    let p = form(&s, "+WIPPING", "Ping");
    let names: Vec<&str> = p.params.iter().map(|x| x.name.as_ref()).collect();
    assert_eq!(
        names,
        ["host", "repeat", "interval", "timeout", "nwrite", "ttl"]
    );
    assert_eq!(int_range(&param(&p, "nwrite").ty), (1, 1500));
    assert_eq!(param(&p, "interval").default, Some(Lit::Int(2000)));
    assert_eq!(s.command("+WIPPING").unwrap().errors, vec![800, 801, 819]);
}

#[test]
fn urcs_and_shared_prefixes() {
    let s = spec();
    let urcs: Vec<&str> = s
        .dialect
        .messages
        .iter()
        .filter(|m| m.is_urc())
        .filter_map(|m| m.prefix.as_deref())
        .collect();
    for p in [
        "+WIPREADY",
        "+WIPACCEPT",
        "+WIPPEERCLOSE",
        "+WIPDATA",
        "+WIPFILE",
        "+WIPPING",
        "+WIPBR",
        "+WIPDATARW",
    ] {
        assert!(urcs.contains(&p), "{p}");
    }
    assert_eq!(s.message("WipBrStatus").unwrap().fields.len(), 6);
    assert_eq!(s.message("WipDataUdp").unwrap().fields.len(), 5);
    assert_eq!(s.message("WipDataTcp").unwrap().fields.len(), 3);
    assert_eq!(
        int_range(&s.message("WipAccept").unwrap().fields[0].ty),
        (1, 4)
    );
}

#[test]
fn error_codes_and_limits_10_3() {
    let s = spec();
    assert_eq!(s.error(830).unwrap().text, "bad index");
    assert_eq!(s.error(843).unwrap().text, "connection reset by peer");
    assert_eq!(s.error(853).unwrap().text, "Data offline buffer filled");
    assert_eq!(s.error(149).unwrap().notes.group, "gprs");
    assert!(s.error(825).is_none() && s.error(870).is_none());
    let general = s
        .notes
        .errors
        .iter()
        .filter(|e| e.group == "general")
        .count();
    assert_eq!(general, 68);
    for (id, v) in [
        ("udp_sockets", 8),
        ("tcp_clients", 8),
        ("tcp_servers", 4),
        ("service_sessions", 1),
        ("offline_block", 200),
        ("udp_datagram", 5904),
        ("ftp_filename", 128),
        ("escape_guard_time", 1000),
    ] {
        assert_eq!(s.limit(id).unwrap().value, v, "{id}");
    }
}

#[test]
fn errata_are_recorded_with_sections() {
    let s = spec();
    for id in ["E01", "E02", "E03", "E04", "E11", "E12"] {
        let e = s.notes.errata.iter().find(|e| e.id == id).unwrap();
        assert!(!e.sections.is_empty() && !e.decision.is_empty());
    }
}

#[test]
fn smtp_and_pop3_status_codes_are_u32_as_the_tables_type_them() {
    // 5.3.7.4 and 5.3.7.5: "digit/string", value type "u32/ascii"; option 60
    // has the default "NULL string", option 70 none.
    let s = spec();
    for (t, id) in [("smtp", 60), ("pop3", 70)] {
        let o = opt(&s, t, id);
        assert_eq!(o.access_for(None), Access::R, "{t} {id}");
        assert_eq!(o.values.len(), 2, "{t} {id}");
        assert_eq!(int_range(&o.values[0].ty), (0, 4_294_967_295), "{t} {id}");
        assert_eq!(o.values[1].ty, Ty::Str { max_len: None }, "{t} {id}");
    }
    assert_eq!(
        opt(&s, "smtp", 60).values[1].default,
        Some(Lit::Str("".into()))
    );
    assert_eq!(opt(&s, "pop3", 70).values[1].default, None);
}

#[test]
fn the_mms_peer_port_is_mandatory_with_the_default_5_1_3_gives() {
    // 5.1.2: AT+WIPCREATE=8,<index>,<server>,<peer port>,<url>; 5.1.3:
    // "default value for MMS: 8080" (erratum E45).
    let s = spec();
    let f = form(&s, "+WIPCREATE", "Mms");
    let names: Vec<&str> = f.params.iter().map(|p| p.name.as_ref()).collect();
    assert_eq!(names, ["mode", "index", "server", "peer port", "url"]);
    let port = param(&f, "peer port");
    assert!(!port.optional);
    assert_eq!(int_range(&port.ty), (1, 65535));
    assert_eq!(port.default, Some(Lit::Int(8080)));
}

#[test]
fn gprs_error_texts_are_those_of_10_2() {
    // 10.2 prints them so, 103 with its period before "(#3)"; 4.2.5.2
    // writes the same causes in lower case (erratum E44).
    let s = spec();
    for (code, text) in [
        (103, "Incorrect MS identity.(#3)"),
        (132, "Service option not supported (#32)"),
        (133, "Requested service option not subscribed (#33)"),
        (
            134,
            "Service option temporarily out of order (#26, #34, #38)",
        ),
        (148, "Unspecified GPRS error"),
        (149, "PDP authentication failure (#29)"),
        (150, "Invalid mobile class"),
    ] {
        let e = s.error(code).unwrap_or_else(|| panic!("no error {code}"));
        assert_eq!(&*e.text, text, "{code}");
    }
}

/// Option 92 Related (5.3.7.6): the presentation file type and the start
/// are both needed, and the manual gives the type no format, so a type
/// that is not `type/subtype` is not refused (the MIME type of 9.9 is an
/// example, not a rule). Option 93's file type takes the values of
/// 5.3.7.6.3, not of the table its row names (erratum E49).
#[test]
fn mms_related_presentation_type_is_any_string_and_add_file_types_are_5_3_7_6_3() {
    let d = spec().dialect;
    let run = |cmd: &str| {
        let text = format!("AT+WIPOPT=8,1,2,{cmd}\r\nOK\r\n");
        wip_transcript::verify::verify(&d, text.as_bytes()).unwrap()
    };
    assert_eq!(run("92,1,\"smil\",\"<start>\""), vec![]);
    assert_eq!(run("92,1,\"application/smil\",\"<start>\""), vec![]);
    assert_eq!(run("92,1,\"smil\"").len(), 1);
    assert_eq!(run("92,1").len(), 1);
    assert_eq!(
        set_values(&spec(), "mms_file_type"),
        (0..=9).collect::<Vec<_>>()
    );
    assert_eq!(run("93,9,10,\"a.smil\"").len(), 0);
    assert_eq!(run("93,10,10,\"a.smil\"").len(), 1);
    let s = spec();
    assert!(s
        .notes
        .errata
        .iter()
        .any(|e| e.id == "E49" && e.sections.iter().any(|x| x == "5.3.7.6.3")));
}

/// GPRS is started as a client only (4.2.7.1, erratum E50); the MAC
/// address of option 24 is any string (4.2.6 reads "1.1.1.1").
#[test]
fn gprs_has_no_server_mode_and_the_mac_address_is_any_string() {
    let d = spec().dialect;
    let run = |text: &str| wip_transcript::verify::verify(&d, text.as_bytes()).unwrap();
    let v = run("AT+WIPBR=4,6,1,\"u\",\"p\"\r\nOK\r\n");
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].message.contains("E50"), "{v:?}");
    assert_eq!(run("AT+WIPBR=4,6,0\r\nOK\r\n"), vec![]);
    let long = "0".repeat(40);
    assert_eq!(
        run(&format!(
            "AT+WIPBR=3,4,24\r\n+WIPBR: 4,24,\"{long}\"\r\nOK\r\n"
        )),
        vec![]
    );
    assert!(spec().notes.errata.iter().any(|e| e.id == "E50"));
}

/// +WIPDATA's defaults of 6.2.7 hold for UDP; a TCP socket takes
/// +WIPCFG options 4 and 12 (6.2.11.4, erratum E51). An HTTP +WIPFILE's
/// header list without credentials leaves them empty (6.1.4, E52).
#[test]
fn wipdata_tcp_defaults_and_wipfile_http_headers_are_recorded() {
    let s = spec();
    let map = form(&s, "+WIPDATA", "Map");
    assert_eq!(param(&map, "send size").default, Some(Lit::Int(1020)));
    let reference =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference.md")).unwrap();
    for name in ["send size", "wait time"] {
        let row = reference
            .lines()
            .find(|l| l.starts_with(&format!("| `<{name}>` |")))
            .unwrap_or_else(|| panic!("no row for {name}"));
        assert!(row.contains("for TCP") && row.contains("E51"), "{row}");
    }
    for id in ["E51", "E52"] {
        assert!(s.notes.errata.iter().any(|e| e.id == id), "{id}");
    }
    let d = s.dialect;
    let run = |text: &str| wip_transcript::verify::verify(&d, text.as_bytes()).unwrap();
    let headers = "AT+WIPFILE=5,1,1,\"http://h/x\",,,\"Accept\",\"text/html\"\r\nCONNECT\r\n<< hi[ETX]\r\nOK\r\n";
    assert_eq!(run(headers), vec![]);
    let odd =
        "AT+WIPFILE=5,1,1,\"http://h/x\",\"u\",\"p\",\"Accept\"\r\nCONNECT\r\n<< hi[ETX]\r\nOK\r\n";
    assert_eq!(run(odd).len(), 1);
}
