//! Data offline sessions, `+WIPDATARW` (manual 6.3): payload written and
//! read as hexadecimal dumps, at most 200 bytes a line.
//!
//! Writing: a buffer of any size goes out as 200-byte blocks, each with
//! `<command>` 2 ("add to the TX buffer") except the last, with 1 ("add and
//! send") (6.3.3). Reading: the modem shows received data as
//! `+WIPDATARW: <state>,<idx>,<nb_block>,<num_block>,"<DATA DUMP>"` lines,
//! which [`Reassembler`] puts back together.

use crate::fields::{self, Field};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// The most data bytes in one `+WIPDATARW` line (6.3.3).
pub const BLOCK: usize = 200;

/// What went wrong with a dump.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HexError {
    /// The dump is not an even number of hex digits.
    #[error("bad hex dump: {0}")]
    // Without std, `hex` gives its error no `Error` impl to be a source of.
    Hex(#[cfg_attr(feature = "std", source)] hex::FromHexError),
    /// The line is not `<state>,<idx>,<nb_block>,<num_block>,"<DATA DUMP>"`.
    #[error("not a +WIPDATARW data line: {0}")]
    NotADump(String),
    /// A block holds more than [`BLOCK`] bytes.
    #[error("block of {0} bytes, more than 200")]
    BlockTooLong(usize),
    /// `<nb_block>` is 0 or above the reassembler's limit
    /// ([`Reassembler::new`]).
    #[error("<nb_block> = {count} is outside 1..={max}")]
    BlockCount {
        /// The `<nb_block>` of the line.
        count: u32,
        /// The most blocks the reassembler takes in one transfer.
        max: u32,
    },
    /// `<nb_block>` changed within one transfer.
    #[error("<nb_block> = {got} where the transfer announced {expected}")]
    BlockCountChanged {
        /// The `<nb_block>` of the transfer's first block.
        expected: u32,
        /// The `<nb_block>` of this line.
        got: u32,
    },
    /// A block came out of order; the transfer in progress was dropped.
    #[error("block {got} came where block {expected} was expected")]
    OutOfOrder {
        /// The block expected next.
        expected: u32,
        /// The block that came.
        got: u32,
    },
    /// The blocks ended within a transfer.
    #[error("the blocks end after block {got} of {of}")]
    Incomplete {
        /// The last block that came.
        got: u32,
        /// The blocks of the transfer.
        of: u32,
    },
}

impl From<hex::FromHexError> for HexError {
    fn from(e: hex::FromHexError) -> Self {
        HexError::Hex(e)
    }
}

/// Encodes bytes as the dump the modem expects (upper-case hex).
pub fn encode(data: &[u8]) -> String {
    hex::encode_upper(data)
}

/// Decodes a dump (either case, no quotes).
pub fn decode(dump: &str) -> Result<Vec<u8>, HexError> {
    Ok(hex::decode(dump.trim())?)
}

/// One block of a write: `<command>` and its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block<'a> {
    /// 2 to add to the TX buffer, 1 to add and send it (6.3.3).
    pub command: u8,
    /// At most [`BLOCK`] bytes.
    pub data: &'a [u8],
}

impl Block<'_> {
    /// The command line that writes this block on channel `idx`.
    pub fn command_line(&self, idx: u32) -> String {
        format!(
            "AT+WIPDATARW={},{},\"{}\"",
            self.command,
            idx,
            encode(self.data)
        )
    }
}

/// Splits `data` into write blocks: command 2 for all but the last, 1 for
/// the last. Empty data gives one empty block with command 1, which sends
/// what the TX buffer holds.
pub fn blocks(data: &[u8]) -> impl Iterator<Item = Block<'_>> {
    let n = data.len().div_ceil(BLOCK).max(1);
    (0..n).map(move |i| {
        let start = i * BLOCK;
        let end = (start + BLOCK).min(data.len());
        Block {
            command: if i + 1 == n { 1 } else { 2 },
            data: data.get(start..end).unwrap_or_default(),
        }
    })
}

/// One received data line, `<state>,<idx>,<nb_block>,<num_block>,"<DATA DUMP>"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpLine {
    /// `<state>`: 2, data reading (6.3.3). The file download example of
    /// 6.3.6 prints 3, the state 6.3.3 gives to data sent; both are taken.
    pub state: u32,
    /// The channel.
    pub idx: u32,
    /// How many blocks the transfer has.
    pub nb_block: u32,
    /// Which block this is, from 1.
    pub num_block: u32,
    /// The decoded data.
    pub data: Vec<u8>,
}

impl DumpLine {
    /// Parses the body of a `+WIPDATARW:` line (what follows the colon).
    pub fn parse(body: &str) -> Result<DumpLine, HexError> {
        let bad = || HexError::NotADump(body.chars().take(64).collect());
        let f = fields::split(body).map_err(|_| bad())?;
        let num = |i: usize| -> Result<u32, HexError> {
            match f.get(i) {
                Some(Field::Bare(s)) => s.parse().map_err(|_| bad()),
                _ => Err(bad()),
            }
        };
        let dump = match f.get(4) {
            Some(Field::Quoted(s)) if f.len() == 5 => s,
            _ => return Err(bad()),
        };
        let data = decode(dump)?;
        if data.len() > BLOCK {
            return Err(HexError::BlockTooLong(data.len()));
        }
        Ok(DumpLine {
            state: num(0)?,
            idx: num(1)?,
            nb_block: num(2)?,
            num_block: num(3)?,
            data,
        })
    }
}

/// Puts the blocks of one transfer back together.
#[derive(Debug, Clone)]
pub struct Reassembler {
    max_blocks: u32,
    /// (idx, nb_block, next num_block) of the transfer in progress.
    current: Option<(u32, u32, u32)>,
    buf: Vec<u8>,
}

/// A reassembler taking as many blocks as `<nb_block>` allows (1 to
/// 65,535, 6.3.2): at most about 13 MB a transfer.
impl Default for Reassembler {
    fn default() -> Self {
        Self::new(65_535)
    }
}

impl Reassembler {
    /// A reassembler that refuses transfers of more than `max_blocks`
    /// blocks, so that memory stays bounded.
    pub fn new(max_blocks: u32) -> Self {
        Reassembler {
            max_blocks,
            current: None,
            buf: Vec::new(),
        }
    }

    /// Whether a transfer is in progress.
    pub fn in_progress(&self) -> bool {
        self.current.is_some()
    }

    /// Takes one block; gives the whole data when it was the last one.
    /// Block 1 always starts a new transfer (dropping one in progress);
    /// any other block out of order drops the transfer with an error.
    pub fn push(&mut self, line: &DumpLine) -> Result<Option<Vec<u8>>, HexError> {
        if line.nb_block == 0 || line.nb_block > self.max_blocks {
            self.reset();
            return Err(HexError::BlockCount {
                count: line.nb_block,
                max: self.max_blocks,
            });
        }
        if line.num_block == 1 {
            self.reset();
            self.current = Some((line.idx, line.nb_block, 1));
        }
        let Some((idx, nb, next)) = self.current else {
            return Err(HexError::OutOfOrder {
                expected: 1,
                got: line.num_block,
            });
        };
        if line.num_block != next || line.idx != idx {
            self.reset();
            return Err(HexError::OutOfOrder {
                expected: next,
                got: line.num_block,
            });
        }
        if line.nb_block != nb {
            self.reset();
            return Err(HexError::BlockCountChanged {
                expected: nb,
                got: line.nb_block,
            });
        }
        self.buf.extend_from_slice(&line.data);
        if next == nb {
            self.current = None;
            return Ok(Some(core::mem::take(&mut self.buf)));
        }
        self.current = Some((idx, nb, next + 1));
        Ok(None)
    }

    /// Parses and takes the body of a `+WIPDATARW:` line.
    pub fn push_line(&mut self, body: &str) -> Result<Option<Vec<u8>>, HexError> {
        let line = DumpLine::parse(body)?;
        self.push(&line)
    }

    fn reset(&mut self) {
        self.current = None;
        self.buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_dump_keeps_hex_error() {
        let e = decode("ABC").unwrap_err();
        assert_eq!(e, HexError::Hex(hex::FromHexError::OddLength));
        // With std, it is the source of ours as well.
        #[cfg(feature = "std")]
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn encodes_and_decodes_like_the_manual() {
        // 6.3.6: "30313233343536373839" is "0123456789".
        assert_eq!(encode(b"0123456789"), "30313233343536373839");
        assert_eq!(decode("3132616263").unwrap(), b"12abc");
        assert_eq!(decode("0aFf").unwrap(), vec![0x0a, 0xff]);
        assert!(matches!(decode("123"), Err(HexError::Hex(_))));
        assert!(matches!(decode("zz"), Err(HexError::Hex(_))));
    }

    #[test]
    fn blocks_of_200_with_command_1_last() {
        let data: Vec<u8> = (0..402u32).map(|i| i as u8).collect();
        let b: Vec<Block<'_>> = blocks(&data).collect();
        assert_eq!(b.len(), 3);
        assert_eq!(
            b.iter()
                .map(|b| (b.command, b.data.len()))
                .collect::<Vec<_>>(),
            vec![(2, 200), (2, 200), (1, 2)]
        );
        let lens: Vec<usize> = blocks(&data[..200]).map(|b| b.data.len()).collect();
        assert_eq!(lens, vec![200]);
        let empty: Vec<Block<'_>> = blocks(&[]).collect();
        assert_eq!(
            empty,
            vec![Block {
                command: 1,
                data: &[]
            }]
        );
        assert_eq!(
            Block {
                command: 1,
                data: b"09"
            }
            .command_line(1),
            "AT+WIPDATARW=1,1,\"3039\""
        );
    }

    #[test]
    fn reassembles_blocks() {
        let mut r = Reassembler::default();
        assert_eq!(r.push_line(r#"3,2,2,1,"3132""#).unwrap(), None);
        assert!(r.in_progress());
        assert_eq!(
            r.push_line(r#"3,2,2,2,"33""#).unwrap(),
            Some(b"123".to_vec())
        );
        assert_eq!(
            r.push_line(r#"2,1,1,1,"3132333435363738""#).unwrap(),
            Some(b"12345678".to_vec())
        );
    }

    #[test]
    fn rejects_bad_sequences() {
        let mut r = Reassembler::new(4);
        assert!(matches!(
            r.push_line(r#"2,1,2,2,"31""#),
            Err(HexError::OutOfOrder {
                expected: 1,
                got: 2
            })
        ));
        r.push_line(r#"2,1,3,1,"31""#).unwrap();
        assert!(matches!(
            r.push_line(r#"2,1,3,3,"31""#),
            Err(HexError::OutOfOrder {
                expected: 2,
                got: 3
            })
        ));
        assert!(!r.in_progress());
        assert!(matches!(
            r.push_line(r#"2,1,9,1,"31""#),
            Err(HexError::BlockCount { count: 9, max: 4 })
        ));
        assert!(matches!(
            r.push_line(r#"2,1,0,1,"31""#),
            Err(HexError::BlockCount { count: 0, max: 4 })
        ));
        r.push_line(r#"2,1,3,1,"31""#).unwrap();
        assert_eq!(
            r.push_line(r#"2,1,2,2,"31""#).map_err(|e| e.to_string()),
            Err("<nb_block> = 2 where the transfer announced 3".to_string())
        );
        assert!(matches!(
            r.push_line(r#"2,1,1,1"#),
            Err(HexError::NotADump(_))
        ));
        assert!(matches!(
            r.push_line(r#"2,1,1,1,3132"#),
            Err(HexError::NotADump(_))
        ));
        let long = format!("2,1,1,1,\"{}\"", "00".repeat(201));
        assert!(matches!(
            r.push_line(&long),
            Err(HexError::BlockTooLong(201))
        ));
    }
}
