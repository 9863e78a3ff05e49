//! Raw data after a response or URC (schema point 5) end to end through
//! `wip verify`: tests/payload-transcripts conform to
//! tests/specs/payload.ron (a counted payload ending in `OK\r\n`, a text
//! line reading `OK`, an empty one, a URC's data), and each one-violation
//! variant under tests/payload-transcripts/invalid is caught once, at the
//! line its header names.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::at_files;

const SPEC: &str = "tests/specs/payload.ron";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn verify(files: &[PathBuf]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wip"))
        .arg("verify")
        .arg("--spec")
        .arg(root().join(SPEC))
        .args(files)
        .output()
        .unwrap()
}

#[test]
fn payload_transcripts_conform() {
    let out = verify(&at_files("tests/payload-transcripts"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn each_payload_violation_is_caught_once_at_its_line() {
    let cases = [
        (
            "payload-longer.at",
            5,
            "payload of 18 bytes where `+CIPRXGET: 2,0,17,0` (line 4) announces 17",
        ),
        (
            "payload-missing.at",
            4,
            "`+CIPRXGET: 2,0,17,0` announces 17 bytes of raw data, none follows",
        ),
    ];
    assert_eq!(
        at_files("tests/payload-transcripts/invalid").len(),
        cases.len()
    );
    for (file, line, message) in cases {
        let f = root().join("tests/payload-transcripts/invalid").join(file);
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.contains(&format!("# expect-line: {line}\n")), "{file}");
        let out = verify(std::slice::from_ref(&f));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{file}: {stdout}");
        assert_eq!(
            stdout.trim_end(),
            format!("{}:{line}: {message}", f.display()),
            "{file}"
        );
    }
}
