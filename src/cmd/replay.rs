//! `wip replay [--spec SPEC] FILE...`: play transcripts against an
//! in-process emulator, staging the network side on loopback.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use wip_sim::replay::{replay, Options};

/// Options of `wip replay`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The spec file; the embedded rev 009 spec by default.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The +++ guard time in milliseconds; the spec's escape_guard_time
    /// (1000 ms) by default.
    #[arg(long, value_name = "MS")]
    pub guard_ms: Option<u64>,
    /// How long to wait for each expected line or payload, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub timeout_ms: u64,
    /// Write the emulator's log of each replay (transcript format) to this
    /// directory, under the transcript's file name.
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
    /// Transcript files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Prints `FILE:LINE: expected …, got …` for the first mismatch of each
/// file; 0 when all replay, 1 on a mismatch, 2 on a usage or I/O error.
pub fn run(a: &Args) -> u8 {
    let (spec, _) = match super::spec::load_or_report(a.spec.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let d = Arc::new(wip_codegen::dialect::dialect(&spec));
    let opts = Options {
        guard: super::sim::guard(&spec, a.guard_ms),
        timeout: Duration::from_millis(a.timeout_ms),
        max_datagram: wip_sim::SimConfig::from_spec(&spec).max_datagram,
        ..Options::default()
    };
    let mut worst = 0u8;
    for f in &a.files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("wip: cannot read {}: {e}", f.display());
                worst = 2;
                continue;
            }
        };
        let log: Option<Box<dyn Write + Send>> = match &a.log_dir {
            Some(dir) => {
                let name = f
                    .file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| "log.at".into());
                match std::fs::File::create(dir.join(name)) {
                    Ok(file) => Some(Box::new(file)),
                    Err(e) => {
                        eprintln!("wip: cannot write the log in {}: {e}", dir.display());
                        return 2;
                    }
                }
            }
            None => None,
        };
        if let Err(m) = replay(Arc::clone(&d), &text, &opts, log) {
            println!("{}:{}: {}", f.display(), m.line, m.message);
            worst = worst.max(1);
        }
    }
    worst
}
