//! `wip tap`: what crossed a serial line, recorded as a transcript while
//! the bytes pass untouched.
//!
//! - [`record`]: bytes of each side in, transcript events out;
//! - [`sink`]: events to the file, checked live and staged on request;
//! - [`stage`]: the replay directives of the sockets' peers.

pub mod record;
pub mod sink;
pub mod stage;
