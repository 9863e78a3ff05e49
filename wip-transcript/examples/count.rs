//! Reads a transcript and prints how many events and errors it holds, and
//! each error as `FILE:LINE: message`.
//!
//! `cargo run -p wip-transcript --example count -- FILE`

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;

use wip_transcript::Reader;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: count FILE");
        return ExitCode::from(2);
    };
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut events, mut errors) = (0usize, 0usize);
    for item in Reader::new(BufReader::new(file)) {
        match item {
            Ok(_) => events += 1,
            Err(e) => {
                errors += 1;
                eprintln!("{path}:{}: {}", e.line, e.kind);
            }
        }
    }
    println!("{events} events, {errors} errors");
    if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
