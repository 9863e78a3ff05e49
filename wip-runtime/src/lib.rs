//! `wip-runtime`: what a host app links to talk to a WIPsoft modem.
//!
//! It knows bytes, lines, escaping, timing and transports. It does not
//! depend on the spec compiler; generated bindings call into it through
//! absolute paths (`::wip_runtime::…`) and hand it their command set, a
//! static [`Dialect`]: the same description the engine ([`schema`]) parses
//! and validates with, and the one classifier of modem lines
//! ([`schema::classify`]) reads.
//!
//! - [`framer`]: bytes in, events out (responses, URCs, final result
//!   codes, data), in command and data mode.
//! - [`escape`]: DLE/ETX escaping of continuous data mode.
//! - [`guard`]: the `+++` escape sequence and its guard time.
//! - [`hexdump`]: the hex dumps and 200-byte blocks of `+WIPDATARW`.
//! - [`client`]: a blocking client over a [`transport::Transport`]
//!   (serial ports, ptys, TCP UARTs, opened by [`transport`] with the read
//!   timeouts the client needs); with the `tokio` feature, an async client
//!   and a `tokio_util` [`codec`].
//! - [`frame`]: owned events over shared [`bytes::Bytes`] buffers.
//!
//! # Without std
//!
//! The default `std` feature brings the clients, the serial ports, the
//! host side of `+++` ([`guard::send_escape`]) and [`std::time::Instant`]
//! for the escape detector; `tokio` implies it. Without it the crate is
//! `#![no_std]` and needs only `alloc`: the command-set engine
//! ([`schema`]), the framer, escaping, hex dumps, final result codes and
//! the escape detector (driven by the caller's own clock) are all there.
#![cfg_attr(not(any(feature = "std", test)), no_std)]
#![deny(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]
#![warn(missing_docs)]

extern crate alloc;

/// The command-set description and the engine that parses, validates and
/// formats command lines and responses; generated bindings use it as
/// `::wip_runtime::schema`.
pub use wip_schema as schema;

pub mod basic;
#[cfg(feature = "std")]
pub mod client;
#[cfg(feature = "tokio")]
pub mod codec;
pub mod escape;
#[cfg(feature = "std")]
pub mod frame;
/// Comma-separated fields of command arguments and response lines (the
/// same splitter the command-set engine uses).
pub use wip_schema::fields;
pub mod framer;
pub mod guard;
pub mod hexdump;
pub mod sample;
#[cfg(feature = "std")]
pub mod serial;
#[cfg(feature = "std")]
pub mod transport;

/// Shared byte buffers: the chunks read, and the lines and payload sliced
/// out of them.
pub use bytes;
/// The text of an owned line ([`framer::OwnedLine::text`]): UTF-8 over
/// shared [`bytes::Bytes`], a `str` by deref.
pub use bytestring::ByteString;
pub use framer::{Event, Framer};
/// Final result codes: the engine's one recognizer.
pub use wip_schema::result;
pub use wip_schema::{Dialect, Final};
