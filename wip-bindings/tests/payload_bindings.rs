//! The generated bindings of tests/specs/prompt.ron and
//! tests/specs/payload.ron (schema points 1 and 5) compile under
//! `#![deny(warnings)]`, hold the prompt and payload declarations in their
//! static dialect as the spec loads them at run time, and round-trip.

mod common;

#[deny(warnings)]
mod payloads {
    wip_macros::include_spec!("../tests/specs/payload.ron");
}

use wip_runtime::schema::PayloadAfter;

#[test]
fn the_static_dialect_equals_the_runtime_one() {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/payload.ron");
    let d = wip_codegen::load_file(&p).unwrap().dialect;
    assert_eq!(payloads::DIALECT, d);
    let (_, m) = d
        .messages
        .iter()
        .enumerate()
        .find(|(_, m)| m.id == "CiprxgetData")
        .unwrap();
    assert_eq!(m.payload, Some(PayloadAfter::Counted { field: 2 }));
}

#[test]
fn every_form_and_message_round_trips() {
    let forms = common::check_forms(&api!(crate::payloads), 64);
    assert_eq!((forms.items, forms.values), (3, 3 * 64));
    let messages = common::check_messages(&api!(crate::payloads), 64);
    assert_eq!((messages.items, messages.values), (6, 6 * 64));
}
