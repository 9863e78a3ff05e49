//! `wip-sim`: a WIPsoft modem that answers exactly as the manual says, with
//! the host's own sockets doing the networking, and a replayer that plays
//! `.at` transcripts against it.
//!
//! The layers, from the inside out:
//!
//! - [`modem::Modem`]: the emulator core, a deterministic synchronous state
//!   machine. It is fed bytes from UARTs, network events and the time, and
//!   produces [`modem::Action`]s: bytes for UARTs, commands for the
//!   network, log events. Every command line is parsed and every reply
//!   formatted through the `wip-schema` engine with the spec's dialect.
//! - [`hostnet`]: the network driver, real sockets on threads, bounded by
//!   credit windows so that nothing grows without bound.
//! - [`runner`]: the threads around the core: UART transports (in-memory,
//!   TCP connections, a pseudo-terminal), the network driver, timers and the
//!   transcript log.
//! - [`replay`]: plays a transcript against an in-process emulator, staging
//!   the network side with `@` directives (`docs/transcript-directives.md`).
//!
//! FTP, HTTP, SMTP, POP3 and MMS sessions and `+WIPPING` are clients of
//! real servers on the host's network stack (`hostnet`), their options and
//! data modes in the core (`modem`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod config;
pub mod flash;
pub mod hostnet;
pub mod log;
pub mod modem;
pub mod names;
pub mod net;
pub mod replay;
pub mod runner;
pub mod threads;

pub use config::{BindHook, Bound, SimConfig};
pub use modem::{Action, Modem};
pub use runner::{Sim, UartHandle};

/// Errors of the emulator's set-up (not of the modem's answers, which are
/// result codes).
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The spec lacks a command, form, message or option table the
    /// emulator needs.
    #[error("the spec has no {0}, which the emulator needs")]
    MissingInSpec(String),
    /// The flash state file could not be read or written.
    #[error("flash file {path}: {message}")]
    Flash {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// An I/O error (binding a UART listener, opening a pty ...).
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The pseudo-terminal could not be made.
    #[error("pseudo-terminal: {0}")]
    Serial(#[from] serialport::Error),
}

/// The dialect of the embedded rev 009 spec.
pub fn default_dialect() -> Result<wip_schema::Dialect, SimError> {
    let spec = wip_spec::default_spec()
        .map_err(|_| SimError::MissingInSpec("loadable embedded spec".into()))?;
    Ok(spec.dialect)
}
