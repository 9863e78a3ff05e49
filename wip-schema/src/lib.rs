//! `wip-schema`: AT command sets as data, and the one engine that parses,
//! validates and formats their command lines and modem lines.
//!
//! Generated bindings hold their command set as a `static` [`Dialect`] and
//! delegate to this engine; tools that load a spec at run time (`wip
//! verify`, `wip sim`) build the same [`Dialect`] from the spec and use the
//! same engine, so there is one description of the command set (the spec)
//! and one interpretation of it (this crate).
//!
//! - [`types`]: the description ([`Dialect`]), const-constructible.
//! - [`command`], [`message`], [`bind`], [`rules`]: parse, validate and
//!   format command lines and modem lines.
//! - [`classify`]: the one classifier of modem lines (response of the
//!   command in flight, URC, or neither), read by the runtime's framer and
//!   by [`parse_message`].
//! - [`result`]: final result codes.
//! - [`typed`]: what generated bindings build on: [`typed::TypedCommand`]
//!   and [`typed::TypedMessage`] provide encoding, parsing and validation
//!   for every generated request and message; [`prelude`] is what their
//!   impl blocks import. The impls every generated type would repeat
//!   (`ALL`, `from_code`, `new`, the conversions to and from [`Bound`] ...)
//!   are written once, in the hidden macros generated code invokes
//!   (`__value_set!`, `__typed_command!` ...), with one entry per variant
//!   or parameter.
//!
//! # Without std
//!
//! The default `std` feature only adds what needs the standard library
//! (runtime CPU detection in `memchr`). Without it the crate is
//! `#![no_std]` and needs only `alloc`: the description, parsing,
//! validation and formatting all work on a microcontroller host.
#![cfg_attr(not(any(feature = "std", test)), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod answer;
pub mod bind;
pub mod build;
pub mod classify;
pub mod command;
pub mod completion;
pub mod direct;
pub mod error;
pub mod fields;
pub mod finals;
pub mod host;
mod macros;
pub mod message;
pub mod payload;
pub mod prelude;
pub mod quick;
pub mod ranges;
pub mod result;
pub mod rules;
pub mod types;
pub mod value;

/// `Cow`, for code that writes a [`Dialect`] (`Cow::Borrowed`) without
/// naming `std` or `alloc`.
pub use alloc::borrow::Cow;
pub use bind::{Bound, BoundOption};
pub use classify::{Arity, Class, InFlight, Index};
pub use command::{
    form_of_line, format_command, outcome, parse_command, parse_command_noting,
    parse_command_strict, validate_command, Leniency, ParsedCommand,
};
pub use error::{Error, ErrorKind};
pub use finals::{bind_final, format_final};
pub use host::Host;
pub use message::{
    check_echo, format_message, parse_message, parse_message_in, parse_message_with, ParsedMessage,
    Pending,
};
pub use payload::{PayloadAfter, PayloadKind, PayloadRule, Prompt};
pub use ranges::Ranges;
pub use result::Final;
pub use types::*;
pub use value::Val;
pub mod typed;
