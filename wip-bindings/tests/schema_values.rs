//! Bindings of the schema's value features (issue 12): forms told apart
//! by which parameters are given and rules on presence
//! (`tests/specs/presence.ron`), compiled through `include_spec!` under
//! `#![deny(warnings)]` and put through the round-trip properties.

mod common;

#[deny(warnings)]
#[allow(dead_code)]
mod presence {
    wip_macros::include_spec!("../tests/specs/presence.ron");
}

use presence::{Request, XportQuery, XportSet, XsendCounted, XsendTerminated};
use wip_runtime::schema::typed::TypedCommand;

fn runtime_dialect(path: &str) -> wip_runtime::schema::Dialect {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    wip_codegen::load_file(&p).unwrap().dialect
}

#[test]
fn the_static_equals_the_runtime_dialect() {
    assert_eq!(
        presence::DIALECT,
        runtime_dialect("../tests/specs/presence.ron")
    );
}

#[test]
fn every_form_and_message_round_trips() {
    let forms = common::check_forms(&api!(crate::presence), 64);
    assert_eq!((forms.items, forms.values), (4, 4 * 64));
    assert!(forms.refusals > 0);
    let messages = common::check_messages(&api!(crate::presence), 64);
    assert_eq!((messages.items, messages.values), (3, 3 * 64));
}

#[test]
fn each_form_chosen_by_presence_has_its_own_request_type() {
    // The query has no <baud> field; the setter's <baud> is required.
    let q = XportQuery::new(1).unwrap();
    assert_eq!(q.encode(), "AT+XPORT=1");
    let s = XportSet::new(1, 9600).unwrap();
    assert_eq!(s.encode(), "AT+XPORT=1,9600");
    assert_eq!(Request::parse("AT+XPORT=1").unwrap(), Request::from(q));
    assert_eq!(Request::parse("AT+XPORT=1,9600").unwrap(), Request::from(s));
    // An empty <length> is the terminated form.
    assert_eq!(
        Request::parse("AT+XSEND=3,").unwrap(),
        Request::from(XsendTerminated::new(3).unwrap())
    );
}

#[test]
fn presence_rules_are_enforced_by_the_builders() {
    // <stop> without <parity>: the builder names the nesting, the parser
    // the rule.
    let e = XportSet::new(1, 9600)
        .and_then(|s| s.with_stop(2))
        .unwrap_err();
    assert!(e.to_string().contains("set `<parity>` first"), "{e}");
    let e = Request::parse("AT+XPORT=1,9600,,2").unwrap_err();
    assert!(
        e.to_string()
            .contains("does not take <stop> when <parity> is left out"),
        "{e}"
    );
    let ok = XportSet::new(1, 9600)
        .and_then(|s| s.with_parity(1))
        .and_then(|s| s.with_stop(2))
        .unwrap();
    assert_eq!(ok.encode(), "AT+XPORT=1,9600,1,2");
    // Each setter checks its value; the whole request is checked by the
    // engine before it is sent.
    let udp = XsendCounted::new(0, 5)
        .and_then(|s| s.with_ip(std::net::Ipv4Addr::new(10, 0, 0, 1)))
        .unwrap();
    let e = udp.validate().unwrap_err();
    assert!(
        e.to_string().contains("needs <port> when <ip> is given"),
        "{e}"
    );
}
