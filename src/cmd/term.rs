//! `wip term TARGET`: an interactive terminal on a modem's serial line, a
//! pty or a TCP UART, that completes, checks and decodes with the spec.

use std::path::PathBuf;

use crate::term::session::{self, Options};
use crate::term::spec::Guide;

/// Options of `wip term`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A serial port or pty (`/dev/ttyUSB0`), or a TCP UART as
    /// `tcp:HOST:PORT` (`wip sim --listen`).
    pub target: String,
    /// The spec file; the embedded rev 009 spec by default.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The baud rate of a serial port.
    #[arg(long, default_value_t = 115_200)]
    pub baud: u32,
    /// Record the session as a transcript.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// The +++ guard time in milliseconds; the spec's escape_guard_time by
    /// default.
    #[arg(long, value_name = "MS")]
    pub guard_ms: Option<u64>,
    /// Keep the line history in this file.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// No colour, even on a terminal (also when NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,
    /// Leave out the times written as comments in the recording, and the
    /// guard times seen around a `+++`.
    #[arg(long)]
    pub no_time: bool,
}

/// Runs until Ctrl-D or `:quit`; 2 on a usage or I/O error.
pub fn run(a: &Args) -> u8 {
    let (spec, _) = match super::spec::load_or_report(a.spec.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let guide = Guide {
        d: &spec.dialect,
        notes: &spec.notes,
    };
    let o = Options {
        target: a.target.clone(),
        baud: a.baud,
        record: a.record.clone(),
        guard: super::sim::guard(&spec, a.guard_ms),
        color: !a.no_color && std::env::var_os("NO_COLOR").is_none(),
        history: a.history.clone(),
        no_time: a.no_time,
    };
    session::run(&guide, &o)
}
