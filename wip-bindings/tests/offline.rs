//! `wip_bindings::offline`: the typed write requests of data of any length.

use wip_bindings::offline::write_requests;
use wip_bindings::rev009::OfflineCommand::{WriteAndSend, WriteExt};
use wip_runtime::schema::typed::TypedCommand;

fn commands(n: usize) -> Vec<(wip_bindings::rev009::OfflineCommand, usize)> {
    write_requests(2, &vec![0xAB; n])
        .unwrap()
        .iter()
        .map(|w| (w.command, w.data.len() / 2))
        .collect()
}

#[test]
fn blocks_are_200_bytes_and_only_the_last_sends() {
    assert_eq!(commands(1), [(WriteAndSend, 1)]);
    assert_eq!(commands(200), [(WriteAndSend, 200)]);
    assert_eq!(commands(201), [(WriteExt, 200), (WriteAndSend, 1)]);
    assert_eq!(
        commands(600),
        [(WriteExt, 200), (WriteExt, 200), (WriteAndSend, 200)]
    );
}

#[test]
fn empty_data_sends_what_the_buffer_holds() {
    let w = write_requests(1, &[]).unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].to_bytes(), b"AT+WIPDATARW=1,1,\"\"\r");
}

#[test]
fn the_lines_carry_the_channel_and_the_dump() {
    let w = write_requests(3, &[0x10, 0x03, b'a']).unwrap();
    assert_eq!(w[0].to_bytes(), b"AT+WIPDATARW=1,3,\"100361\"\r");
}

#[test]
fn a_bad_channel_names_the_parameter_and_its_range() {
    let e = write_requests(9, b"x").unwrap_err();
    assert_eq!(e.to_string(), "+WIPDATARW <idx> = 9 is outside 1..=8");
}
