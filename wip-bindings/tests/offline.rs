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

/// Blocks of several transfers put back together in order; an error for
/// blocks out of order or ending within a transfer.
#[test]
fn reassemble_puts_transfers_together_and_names_what_is_missing() {
    use wip_bindings::offline::reassemble;
    use wip_runtime::hexdump::HexError;
    let b =
        |nb, num, dump: &str| wip_bindings::rev009::WipDataRwData::new(1, nb, num, dump).unwrap();
    let blocks = [b(2, 1, "0102"), b(2, 2, "03"), b(1, 1, "04"), b(3, 1, "05")];
    assert_eq!(reassemble(&blocks[..3]), Ok(vec![1, 2, 3, 4]));
    assert_eq!(reassemble(&[]), Ok(vec![]));
    assert_eq!(
        reassemble(&blocks),
        Err(HexError::Incomplete { got: 1, of: 3 })
    );
    assert_eq!(
        reassemble(&[blocks[1].clone()]),
        Err(HexError::OutOfOrder {
            expected: 1,
            got: 2
        })
    );
    // A long transfer cut short.
    assert_eq!(
        reassemble(&[b(2000, 1, "00")]),
        Err(HexError::Incomplete { got: 1, of: 2000 })
    );
    // As many blocks as `<nb_block>` allows are put back together: 1,500
    // blocks of 200 bytes (the limit was 1,024).
    let dump = "41".repeat(200);
    let many: Vec<_> = (1..=1500).map(|n| b(1500, n, &dump)).collect();
    assert_eq!(reassemble(&many).map(|d| d.len()), Ok(300_000));
}
