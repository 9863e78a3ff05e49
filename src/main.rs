//! `wip`: check, compile, document, diff and verify WIPsoft AT command specs.
//!
//! Exit codes, for every subcommand: 0 when all is well, 1 when the input
//! has problems (diagnostics, violations, breaking changes), 2 on a usage
//! or I/O error.
#![forbid(unsafe_code)]

mod cmd;
mod tap;
mod term;

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
    /// Emulate a WIPsoft modem on the host's TCP/IP stack, on TCP
    /// connections (--listen) or a pseudo-terminal (--pty).
    Sim(cmd::sim::Args),
    /// Sit on a serial line (or TCP UARTs) between a host app and a modem,
    /// forward every byte at once, and record the session as a transcript;
    /// --check verifies it as it grows.
    Tap(cmd::tap::Args),
    /// An interactive terminal on a serial port, a pty or tcp:HOST:PORT that
    /// completes, checks and decodes AT commands with the spec.
    Term(cmd::term::Args),
    /// Play transcripts against an emulated modem and compare what it
    /// answers; one FILE:LINE: message per file that does not replay.
    Replay(cmd::replay::Args),
    /// Load and check a spec; without SPEC, the embedded rev 009 spec.
    Check {
        /// The spec file (RON).
        spec: Option<PathBuf>,
    },
    /// Check transcripts (.at files) against a spec; one FILE:LINE: message
    /// per violation.
    Verify {
        /// The spec file; the embedded rev 009 spec by default.
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Also show, as `note:` lines, where a transcript follows real
        /// modems rather than the manual's letter (never a violation).
        #[arg(long)]
        strict: bool,
        /// Transcript files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the semantic changes from OLD to NEW, each classed breaking or
    /// compatible for host applications; exit 1 when one breaks.
    Diff {
        /// The old spec file.
        old: PathBuf,
        /// The new spec file.
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = cmd::diff::Format::Text)]
        format: cmd::diff::Format,
    },
    /// Write the Rust bindings of a spec (the code `include_spec!` and the
    /// build-script API generate); without SPEC, of the embedded rev 009
    /// spec.
    Generate {
        /// The spec file (RON).
        spec: Option<PathBuf>,
        /// Write to this file instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write the Markdown reference of a spec; without SPEC, of the
    /// embedded rev 009 spec.
    Doc {
        /// The spec file (RON).
        spec: Option<PathBuf>,
        /// Write to this file instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check { spec } => cmd::check::run(spec.as_deref()),
        Command::Sim(a) => cmd::sim::run(&a),
        Command::Replay(a) => cmd::replay::run(&a),
        Command::Tap(a) => cmd::tap::run(&a),
        Command::Term(a) => cmd::term::run(&a),
        Command::Verify {
            spec,
            strict,
            files,
        } => cmd::verify::run(spec.as_deref(), strict, &files),
        Command::Diff { old, new, format } => cmd::diff::run(&old, &new, format),
        Command::Doc { spec, output } => cmd::doc::run(spec.as_deref(), output.as_deref()),
        Command::Generate { spec, output } => {
            cmd::generate::run(spec.as_deref(), output.as_deref())
        }
    };
    ExitCode::from(code)
}
