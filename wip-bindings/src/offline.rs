//! Data offline sessions (`+WIPDATARW`, manual 6.3) with the typed requests
//! and URCs of [`rev009`](crate::rev009): data written as the blocks of at
//! most 200 bytes the modem takes (up to the size of its TX buffer a send,
//! see [`write_requests`]), and the blocks it shows put back together.
//!
//! A session is opened by `WipDataMap` with `DataMode::Offline` on a socket
//! (answered by `WipDataRwSession`), or by an offline mode of `+WIPFILE`.
//! On a socket, received data comes unsolicited, after its `+WIPDATA`
//! indication, as `WipDataRwData` blocks (6.3.6). The indications
//! (`WipDataUdp`, `WipDataTcp`) are URCs like any other: a client keeps
//! them until they are read, the oldest dropped (and counted) past its
//! `urc_capacity`, so an app that reads only the blocks loses nothing it
//! needs.
//!
//! ```
//! use wip_bindings::offline;
//! use wip_bindings::rev009::{OfflineCommand, WipDataRwData};
//! use wip_runtime::hexdump::{DumpLine, Reassembler};
//! use wip_runtime::schema::typed::TypedCommand;
//!
//! // 450 bytes: two blocks added to the TX buffer, the last one sends it.
//! let data = vec![0x10u8; 450];
//! let writes = offline::write_requests(1, &data)?;
//! let commands: Vec<_> = writes.iter().map(|w| w.command).collect();
//! use OfflineCommand::{WriteAndSend, WriteExt};
//! assert_eq!(commands, [WriteExt, WriteExt, WriteAndSend]);
//! assert!(writes[2].to_bytes().starts_with(b"AT+WIPDATARW=1,1,\"1010"));
//!
//! // Received blocks (`client.wait_typed::<WipDataRwData>(…)`) put back
//! // together: block 1 of 2, then block 2 of 2, on channel 1.
//! let blocks = [
//!     WipDataRwData::new(1, 2, 1, "0102")?,
//!     WipDataRwData::new(1, 2, 2, "03")?,
//! ];
//! let mut r = Reassembler::default();
//! assert_eq!(r.push(&DumpLine::try_from(&blocks[0])?)?, None);
//! assert_eq!(r.push(&DumpLine::try_from(&blocks[1])?)?, Some(vec![1, 2, 3]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With a client: `for w in offline::write_requests(idx, &data)? { client.send(&w)?; }`;
//! the answer of the last is `WipDataRwWriteResponse::WipDataRwSent` with
//! the size sent.
//!
//! An offline `+WIPFILE` read (`FileMode::OfflineDownload`, 6.3.6) is
//! answered by its blocks as information responses, before its `OK`: they
//! are in the [`Answer`](wip_runtime::client::Answer)'s
//! `responses` of `client.send(&req)`, and [`reassemble`] puts them back
//! together (`offline::reassemble(answer.responses.iter().filter_map(…))`,
//! taking the `WipDataRwData` variant of each); the session's end comes
//! as `WipDataRwSession` among them, the transfer's status as a URC
//! (`WipFileHttpStatus`).

use crate::rev009::{OfflineCommand, WipDataRwData, WipDataRwWrite};
use wip_runtime::hexdump::{self, DumpLine, HexError};
use wip_runtime::schema::Error;

/// The typed requests that write `data` on the offline session of
/// channel `idx`: blocks of at most 200 bytes, each added to the TX buffer
/// ([`OfflineCommand::WriteExt`]) but the last, which is added and sends
/// the buffer ([`OfflineCommand::WriteAndSend`], answered by
/// `WipDataRwSent`) (6.3.3). Empty data gives one empty `WriteAndSend`,
/// which sends what the buffer holds. An `idx` outside `1..=8` is the
/// error of [`WipDataRwWrite::new`], which names the parameter and its
/// range.
///
/// The requests of one call fill the modem's TX buffer before the last
/// sends it: data longer than the buffer (the stack's option 15,
/// `DataOfflineBufferSize`, 2048 bytes by default, 4.1) is refused from
/// the block that overflows it (`+CME ERROR: 853`, 6.3.5). On a socket,
/// write such data in several calls of at most the buffer's size, each
/// sent as one datagram (UDP) or one segment run (TCP). A `+WIPFILE`
/// upload in data offline mode (FTP 6 and 9, SMTP 6) ends with its first
/// send, which sends the file and closes the session (6.3.6): the whole
/// file must fit the buffer, so raise option 15 (up to 32,000 bytes, 4.1)
/// before the transfer for a larger one.
pub fn write_requests(idx: u8, data: &[u8]) -> Result<Vec<WipDataRwWrite>, Error> {
    hexdump::blocks(data)
        .map(|b| {
            let command = if b.command == 1 {
                OfflineCommand::WriteAndSend
            } else {
                OfflineCommand::WriteExt
            };
            WipDataRwWrite::new(command, idx, hexdump::encode(b.data))
        })
        .collect()
}

/// The most blocks of one transfer: the range of `<nb_block>` (6.3.2),
/// 65,535 blocks of 200 bytes, about 13 MB.
pub const MAX_BLOCKS: u32 = 65_535;

/// The data of received blocks, put back together in order: each
/// transfer (blocks 1 of n to n of n) after the one before it. An error
/// names a block that does not decode or comes out of order
/// ([`Reassembler`](wip_runtime::hexdump::Reassembler), at most
/// [`MAX_BLOCKS`] blocks a transfer, as `<nb_block>` allows), or blocks
/// that end within a transfer ([`HexError::Incomplete`]); no data is given
/// then.
pub fn reassemble<'a>(
    blocks: impl IntoIterator<Item = &'a WipDataRwData>,
) -> Result<Vec<u8>, HexError> {
    let mut r = hexdump::Reassembler::new(MAX_BLOCKS);
    let mut out = Vec::new();
    let mut open = None;
    for b in blocks {
        match r.push(&DumpLine::try_from(b)?)? {
            Some(whole) => {
                out.extend_from_slice(&whole);
                open = None;
            }
            None => open = Some((u32::from(b.num_block), u32::from(b.nb_block))),
        }
    }
    match open {
        Some((got, of)) => Err(HexError::Incomplete { got, of }),
        None => Ok(out),
    }
}

/// A received block, its dump decoded, for
/// [`Reassembler::push`](wip_runtime::hexdump::Reassembler::push).
impl TryFrom<&WipDataRwData> for DumpLine {
    type Error = HexError;

    fn try_from(b: &WipDataRwData) -> Result<DumpLine, HexError> {
        Ok(DumpLine {
            // Data reading (6.3.3): the only state of this message.
            state: 2,
            idx: u32::from(b.idx),
            nb_block: u32::from(b.nb_block),
            num_block: u32::from(b.num_block),
            data: hexdump::decode(&b.data)?,
        })
    }
}
