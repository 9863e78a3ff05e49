//! The generated bindings of each vendor spec, put through the round-trip
//! properties of rev 009 (wip-bindings/tests/common): every form and every
//! message, values drawn from the spec, encode → parse gives the value back,
//! and one field out of range is refused by the constructor and the parser.

#[path = "../../../wip-bindings/tests/common/mod.rs"]
mod common;

use wip_vendor_bindings::{base, simcom, ublox};

fn runtime_dialect(path: &str) -> wip_runtime::schema::Dialect {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    wip_codegen::load_file(&p).unwrap().dialect
}

#[test]
fn statics_equal_the_runtime_dialects() {
    assert_eq!(
        base::DIALECT,
        runtime_dialect("../../spec/3gpp-27007-27005.ron")
    );
    assert_eq!(
        ublox::DIALECT,
        runtime_dialect("../../spec/ublox-sara-r4.ron")
    );
    assert_eq!(
        simcom::DIALECT,
        runtime_dialect("../../spec/simcom-sim7600.ron")
    );
}

fn counts(d: &wip_runtime::schema::Dialect) -> (usize, usize) {
    let forms = d.commands.iter().map(|c| c.forms.len()).sum();
    (forms, d.messages.len())
}

#[test]
fn base_forms_and_messages_round_trip() {
    let (forms, messages) = counts(&base::DIALECT);
    let f = common::check_forms(&api!(wip_vendor_bindings::base), 64);
    assert_eq!((f.items, f.values), (forms, forms * 64));
    assert!(f.refusals > 0);
    let m = common::check_messages(&api!(wip_vendor_bindings::base), 64);
    assert_eq!((m.items, m.values), (messages, messages * 64));
    assert!(m.refusals > 0);
}

#[test]
fn ublox_forms_and_messages_round_trip() {
    let (forms, messages) = counts(&ublox::DIALECT);
    let f = common::check_forms(&api!(wip_vendor_bindings::ublox), 64);
    assert_eq!((f.items, f.values), (forms, forms * 64));
    assert!(f.refusals > 0);
    let m = common::check_messages(&api!(wip_vendor_bindings::ublox), 64);
    assert_eq!((m.items, m.values), (messages, messages * 64));
    assert!(m.refusals > 0);
}

#[test]
fn simcom_forms_and_messages_round_trip() {
    let (forms, messages) = counts(&simcom::DIALECT);
    let f = common::check_forms(&api!(wip_vendor_bindings::simcom), 64);
    assert_eq!((f.items, f.values), (forms, forms * 64));
    assert!(f.refusals > 0);
    let m = common::check_messages(&api!(wip_vendor_bindings::simcom), 64);
    assert_eq!((m.items, m.values), (messages, messages * 64));
    assert!(m.refusals > 0);
}
