//! `wip replay [--spec SPEC] FILE...`: play transcripts against an
//! in-process emulator, staging the network side on loopback.

use std::io::Write;
use std::path::{Path, PathBuf};
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
    let d = Arc::new(spec.dialect.clone());
    let opts = Options {
        guard: super::sim::guard(&spec, a.guard_ms),
        timeout: Duration::from_millis(a.timeout_ms),
        max_datagram: wip_sim::SimConfig::from_spec(&spec).max_datagram,
        ..Options::default()
    };
    // Replays mostly wait (guard times, the network): several files run
    // at once, and their results are printed in the order given.
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get() * 4);
    let mut worst = 0u8;
    for batch in a.files.chunks(jobs) {
        let results: Vec<u8> = std::thread::scope(|s| {
            let handles: Vec<_> = batch
                .iter()
                .map(|f| {
                    let (d, opts) = (Arc::clone(&d), &opts);
                    s.spawn(move || one(d, opts, f, a.log_dir.as_deref()))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Outcome::Io("replay failed".into()))
                })
                .map(|o| match o {
                    Outcome::Pass => 0,
                    Outcome::Mismatch(line) => {
                        println!("{line}");
                        1
                    }
                    Outcome::Io(e) => {
                        eprintln!("wip: {e}");
                        2
                    }
                })
                .collect()
        });
        worst = results.into_iter().fold(worst, u8::max);
    }
    worst
}

enum Outcome {
    Pass,
    Mismatch(String),
    Io(String),
}

fn one(d: Arc<wip_schema::Dialect>, opts: &Options, f: &Path, log_dir: Option<&Path>) -> Outcome {
    let bytes = match std::fs::read(f) {
        Ok(b) => b,
        Err(e) => return Outcome::Io(format!("cannot read {}: {e}", f.display())),
    };
    // A file that is not UTF-8 is a malformed line, at its line, as
    // `wip verify` reports it: not an I/O error.
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let before = e.as_bytes().get(..bad).unwrap_or_default();
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = bad - start + 1;
            return Outcome::Mismatch(format!(
                "{}:{line}: malformed line: column {column}: not valid UTF-8",
                f.display()
            ));
        }
    };
    let log: Option<Box<dyn Write + Send>> = match log_dir {
        Some(dir) => {
            let name = f
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| "log.at".into());
            match std::fs::File::create(dir.join(name)) {
                Ok(file) => Some(Box::new(file)),
                Err(e) => {
                    return Outcome::Io(format!("cannot write the log in {}: {e}", dir.display()))
                }
            }
        }
        None => None,
    };
    match replay(d, &text, opts, log) {
        Ok(()) => Outcome::Pass,
        Err(m) => Outcome::Mismatch(format!("{}:{}: {}", f.display(), m.line, m.message)),
    }
}
