//! `wip`: check, compile, document, diff and verify WIPsoft AT command specs.
//!
//! Exit codes, for every subcommand: 0 when all is well, 1 when the input
//! has problems (diagnostics, violations, breaking changes), 2 on a usage
//! or I/O error.
#![forbid(unsafe_code)]

mod cmd;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Tools for the WIPsoft AT command set, driven by one declarative spec.
#[derive(Parser)]
#[command(name = "wip", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load and check a spec; without SPEC, the embedded rev 009 spec.
    Check {
        /// The spec file (RON).
        spec: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check { spec } => cmd::check::run(spec.as_deref()),
    };
    ExitCode::from(code)
}
