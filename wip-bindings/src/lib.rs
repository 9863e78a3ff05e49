//! Typed bindings of the WIPsoft 5.41 AT command set (rev 009 of the
//! manual), generated from `spec/wipsoft-rev009.ron` by `wip generate` and
//! checked in, so that a change of the spec shows up as a readable diff of
//! this API.
//!
//! Regenerate with:
//!
//! ```text
//! cargo run -p wip -- generate spec/wipsoft-rev009.ron -o wip-bindings/src/rev009.rs
//! ```
//!
//! The test `fresh` fails when the file is stale.
//!
//! Every request implements the engine's `TypedCommand` and every message
//! its `TypedMessage` (encode, parse, validate, format): glob-import the
//! module, or import the traits.
//!
//! ```
//! use wip_bindings::rev009::{Protocol, Request, WipCreateTcpClient};
//! use wip_runtime::schema::typed::TypedCommand;
//!
//! // The peer is a `Host`: a name or an address, `&str`, `String` or
//! // `Ipv4Addr` alike (`impl Into<Host>`).
//! let req = WipCreateTcpClient::new(1, "10.0.0.1", 80)?;
//! assert_eq!(req.to_bytes(), b"AT+WIPCREATE=2,1,\"10.0.0.1\",80\r");
//! let by_addr = WipCreateTcpClient::new(1, std::net::Ipv4Addr::new(10, 0, 0, 1), 80)?;
//! assert_eq!(by_addr.to_bytes(), req.to_bytes());
//! assert_eq!(Request::parse("AT+WIPCREATE=2,1,\"10.0.0.1\",80")?, Request::from(req));
//!
//! let err = WipCreateTcpClient::new(9, "10.0.0.1", 80).unwrap_err();
//! assert_eq!(err.to_string(), "+WIPCREATE <communication index> = 9 is outside 1..=8");
//! # let _ = Protocol::Udp;
//! # Ok::<(), wip_runtime::schema::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(warnings)]
#![warn(missing_docs)]

/// The bindings of `spec/wipsoft-rev009.ron`.
#[rustfmt::skip]
pub mod rev009;

pub mod offline;

pub mod pop3;

/// The engine's traits the generated types implement, documented here as
/// well as in `wip_runtime::schema::typed`: import them to encode, parse
/// and check requests (`TypedCommand`), to decode a response or URC line
/// or a framed one (`FromMessage::decode_framed`, or
/// `wip_runtime::frame::Frame::decode`) and to type a `+CME ERROR` code
/// (`FromCode::from_code`, `CmeError::from_code(840)`).
pub mod traits {
    #[doc(inline)]
    pub use wip_runtime::schema::typed::{FromCode, FromMessage, TypedCommand, TypedMessage};
}
