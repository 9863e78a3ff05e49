//! `wip-runtime`: what a host app links to talk to a WIPsoft modem.
//!
//! It knows bytes, lines, escaping, timing and transports. It does not
//! depend on `wip-codegen`; generated bindings call into it through
//! absolute paths (`::wip_runtime::…`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod fields;
