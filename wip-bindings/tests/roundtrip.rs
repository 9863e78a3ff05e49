//! Every command form, information response and URC of rev 009: typed
//! values encode to the engine's line and parse back to themselves, and a
//! field out of its range is refused by the check and by the parser.

mod common;

use wip_bindings::rev009;

#[test]
fn every_form_round_trips() {
    let api = api!(wip_bindings::rev009);
    let forms = common::check_forms(&api, 64);
    let expected: usize = rev009::DIALECT.commands.iter().map(|c| c.forms.len()).sum();
    assert_eq!(forms, expected);
    assert!(forms >= 40, "{forms} forms");
}

#[test]
fn every_message_round_trips() {
    let api = api!(wip_bindings::rev009);
    let messages = common::check_messages(&api, 64);
    assert_eq!(messages, rev009::DIALECT.messages.len());
}
