//! `wip verify [--spec SPEC] [--strict] FILE...`: check transcripts against a
//! spec.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Prints one `FILE:LINE: message` per violation (and with `strict` one
/// `FILE:LINE: note: ...` where the transcript follows real modems rather
/// than the manual's letter); 0 when every file conforms, 1 on any
/// violation, 2 on a usage or I/O error. Notes never change the status.
pub fn run(spec: Option<&Path>, strict: bool, files: &[PathBuf]) -> u8 {
    let (spec, _) = match super::spec::load_or_report(spec) {
        Ok(s) => s,
        Err(_) => return 2,
    };
    let d = spec.dialect.clone();
    let mut worst = 0u8;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for f in files {
        let file = match std::fs::File::open(f) {
            Ok(file) => file,
            Err(e) => {
                eprintln!("wip: cannot read {}: {e}", f.display());
                worst = 2;
                continue;
            }
        };
        match wip_transcript::verify::verify_with_notes(&d, std::io::BufReader::new(file)) {
            Ok((vs, notes)) => {
                let mut shown: Vec<&wip_transcript::verify::Violation> = vs.iter().collect();
                if strict {
                    shown.extend(notes.iter());
                    shown.sort();
                }
                for v in shown {
                    // A closed stdout (`| head`) is no reason to panic; a
                    // write that fails otherwise loses violations: exit 2.
                    if let Err(e) = writeln!(out, "{}:{}: {}", f.display(), v.line, v.message) {
                        if e.kind() == std::io::ErrorKind::BrokenPipe {
                            return worst.max(1);
                        }
                        return super::write_failed(&e);
                    }
                }
                if !vs.is_empty() && worst == 0 {
                    worst = 1;
                }
            }
            Err(e) => {
                eprintln!("wip: cannot read {}: {e}", f.display());
                worst = 2;
            }
        }
    }
    worst
}
