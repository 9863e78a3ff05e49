//! Typed bindings of the vendor specs, generated at build time from
//! `spec/3gpp-27007-27005.ron`, `spec/ublox-sara-r4.ron` and
//! `spec/simcom-sim7600.ron` (see `build.rs`). The crate denies warnings, so
//! generated code that warns fails the build.
//!
//! ```
//! use wip_vendor_bindings::ublox::{Request, SocketProtocol, UsocrCreate};
//! use wip_runtime::schema::typed::TypedCommand;
//!
//! let req = UsocrCreate::new(SocketProtocol::Tcp)?;
//! assert_eq!(req.to_bytes(), b"AT+USOCR=6\r");
//! assert_eq!(Request::parse("AT+USOCR=6")?, Request::from(req));
//! # Ok::<(), wip_runtime::schema::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(warnings)]
#![warn(missing_docs)]

/// 3GPP TS 27.007 general and network commands and TS 27.005 text-mode SMS.
#[rustfmt::skip]
pub mod base {
    include!(concat!(env!("OUT_DIR"), "/base.rs"));
}

/// u-blox SARA-R4 socket commands (UBX-17003787 R09, chapter 18).
#[rustfmt::skip]
pub mod ublox {
    include!(concat!(env!("OUT_DIR"), "/ublox.rs"));
}

/// SIMCom SIM7600 TCP/IP commands (AT Command Manual V1.08, 17.2).
#[rustfmt::skip]
pub mod simcom {
    include!(concat!(env!("OUT_DIR"), "/simcom.rs"));
}
