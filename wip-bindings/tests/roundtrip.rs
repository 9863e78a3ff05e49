//! Every command form, information response and URC of rev 009: typed
//! values encode to the engine's line and parse back to themselves, and a
//! field out of its range is refused by the check and by the parser.

mod common;

use wip_bindings::rev009;

#[test]
fn every_form_round_trips() {
    let api = api!(wip_bindings::rev009);
    let checked = common::check_forms(&api, 256);
    let expected: usize = rev009::DIALECT.commands.iter().map(|c| c.forms.len()).sum();
    assert_eq!(checked.items, expected);
    assert!(checked.items >= 40, "{checked:?}");
    assert_eq!(checked.values, checked.items * 256, "{checked:?}");
    assert!(checked.refusals > checked.values, "{checked:?}");
    eprintln!("forms: {checked:?}");
}

#[test]
fn every_message_round_trips() {
    let api = api!(wip_bindings::rev009);
    let checked = common::check_messages(&api, 256);
    assert_eq!(checked.items, rev009::DIALECT.messages.len());
    assert_eq!(checked.values, checked.items * 256, "{checked:?}");
    assert!(checked.refusals > checked.values, "{checked:?}");
    eprintln!("messages: {checked:?}");
}
