//! The same generator on other AT dialects: a few 3GPP TS 27.007 commands
//! (`spec/3gpp-27007-sample.ron`) and the small fixture spec
//! (`tests/specs/mini.ron`), compiled here through `include_spec!` and put
//! through the round-trip properties of rev 009.

mod common;

#[allow(dead_code)]
mod gsm {
    wip_macros::include_spec!("../spec/3gpp-27007-sample.ron");
}

#[allow(dead_code)]
mod mini {
    wip_macros::include_spec!("../tests/specs/mini.ron");
}

use gsm::{
    AttachState, CgattSet, CmeError, CregChanged, CregRead, CregSet, CregStatus, CsqQuality,
    CsqQuery, RegistrationReporting, RegistrationStatus, Request, Response, Urc,
};
use wip_runtime::schema::typed::{TypedCommand, TypedMessage};

fn runtime_dialect(path: &str) -> wip_runtime::schema::Dialect {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    wip_codegen::load_file(&p).unwrap().dialect
}

#[test]
fn statics_equal_the_runtime_dialects() {
    assert_eq!(
        gsm::DIALECT,
        runtime_dialect("../spec/3gpp-27007-sample.ron")
    );
    assert_eq!(mini::DIALECT, runtime_dialect("../tests/specs/mini.ron"));
}

#[test]
fn every_form_and_message_round_trips() {
    let forms = common::check_forms(&api!(crate::gsm), 64);
    assert_eq!((forms.items, forms.values), (8, 8 * 64));
    assert!(forms.refusals > 0);
    let messages = common::check_messages(&api!(crate::gsm), 64);
    assert_eq!((messages.items, messages.values), (6, 6 * 64));
    assert!(messages.refusals > 0);
    let forms = common::check_forms(&api!(crate::mini), 64);
    assert_eq!((forms.items, forms.values), (4, 4 * 64));
    let messages = common::check_messages(&api!(crate::mini), 64);
    assert_eq!((messages.items, messages.values), (2, 2 * 64));
}

#[test]
fn commands_encode_and_parse() {
    assert_eq!(CsqQuery::new().unwrap().to_bytes(), b"AT+CSQ\r");
    let attach = CgattSet::new(AttachState::Attached).unwrap();
    assert_eq!(attach.encode(), "AT+CGATT=1");
    assert_eq!(Request::parse("AT+CGATT=1").unwrap(), Request::from(attach));
    let e = Request::parse("AT+CGATT=2").unwrap_err();
    assert_eq!(
        e.to_string(),
        "+CGATT <state> = 2 is not one of 0 (detached), 1 (attached)"
    );
    assert_eq!(
        CregSet::new()
            .and_then(|s| s.with_mode(RegistrationReporting::Enabled))
            .unwrap()
            .encode(),
        "AT+CREG=1"
    );
    assert_eq!(CregSet::new().unwrap().encode(), "AT+CREG=");
    assert_eq!(
        Request::parse("AT+CREG?").unwrap(),
        Request::CregRead(CregRead)
    );
    // Lines outside the dialect's namespace are not its commands.
    assert!(Request::parse("AT+WIPCFG=1").is_err());
}

#[test]
fn responses_and_the_creg_urc_are_told_apart_by_arity() {
    let u = Urc::parse("+CREG: 5").unwrap();
    assert_eq!(
        u,
        Urc::CregChanged(CregChanged {
            status: RegistrationStatus::Roaming
        })
    );
    assert_eq!(u.format(), "+CREG: 5");
    // Two fields: the answer to AT+CREG?, never a URC.
    assert!(Urc::parse("+CREG: 1,5").is_err());
    let r = Response::parse("+CREG: 1,5", Request::CregRead(CregRead).ids()).unwrap();
    assert_eq!(
        r,
        Response::CregStatus(CregStatus {
            mode: RegistrationReporting::Enabled,
            status: RegistrationStatus::Roaming
        })
    );
    // A URC is not a response, even while AT+CREG? is pending.
    assert!(Response::parse("+CREG: 5", Request::CregRead(CregRead).ids()).is_err());
    let q = CsqQuality::parse("+CSQ: 21,99").unwrap();
    assert_eq!((q.rssi, q.ber), (21, 99));
    assert!(CsqQuality::parse("+CSQ: 100,0").is_err());
    assert!(CsqQuality::new(31, 100).is_err());
}

#[test]
fn error_codes_and_runtime_metadata() {
    assert_eq!(CmeError::from_code(100), CmeError::UnknownError);
    assert_eq!(CmeError::from_code(3).text(), Some("operation not allowed"));
    assert_eq!(CmeError::from_code(999), CmeError::Unknown(999));
    assert_eq!(CmeError::Unknown(999).text(), None);
    let d = &gsm::DIALECT;
    let (creg_index, _) = d.command("+CREG").unwrap();
    let responses = d.command_responses(creg_index);
    // +CREG: <n>,<stat>, and +CREG: <n>,<stat>,<lac>,<ci>[,<AcT>] with <n> = 2.
    assert_eq!(responses.len(), 2);
    let arity = d.arity(&d.messages[responses[0]]);
    assert!(arity.accepts(2) && !arity.accepts(1));
    assert_eq!(
        d.messages
            .iter()
            .filter(|m| m.is_urc() && m.prefix.is_some())
            .count(),
        2
    );
    assert_eq!(d.command("+CGATT").unwrap().1.timeout_ms, 60_000);
}

#[test]
fn keyed_option_tables_of_the_fixture() {
    let get = mini::XcfgGet::new(mini::XcfgGetOption::Tcp(mini::Sock::Port)).unwrap();
    assert_eq!(get.encode(), "AT+XCFG=3,2,0");
    assert_eq!(
        mini::XcfgGet::parse("AT+XCFG=3,1,0").unwrap().option.key(),
        1
    );
    // The table has no option 1.
    assert!(mini::Request::parse("AT+XCFG=3,1,1").is_err());
    let set = mini::XcfgSet::new().unwrap();
    assert_eq!(set.encode(), "AT+XCFG=2");
    assert!(mini::XReady::new(9).is_err());
    assert_eq!(mini::XReady::new(8).unwrap().format(), "+XREADY: 8");
}
