//! Prompts and payloads (schema point 1) end to end through `wip verify`:
//! the transcripts of tests/prompt-transcripts conform to
//! tests/specs/prompt.ron, and each one-violation variant under
//! tests/prompt-transcripts/invalid is caught once, at the line its header
//! names.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::at_files;

const SPEC: &str = "tests/specs/prompt.ron";

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
fn the_prompt_spec_checks() {
    let out = Command::new(env!("CARGO_BIN_EXE_wip"))
        .arg("check")
        .arg(root().join(SPEC))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn prompt_transcripts_conform() {
    let all = at_files("tests/prompt-transcripts");
    assert!(!all.is_empty());
    let out = verify(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn each_prompt_violation_is_caught_once_at_its_line() {
    let all = at_files("tests/prompt-transcripts/invalid");
    assert!(all.len() >= 7);
    for f in all {
        let text = std::fs::read_to_string(&f).unwrap();
        let expect: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect-line: "))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let out = verify(std::slice::from_ref(&f));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{}: {stdout}", f.display());
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 1, "{}: {stdout}", f.display());
        let prefix = format!("{}:{expect}: ", f.display());
        assert!(lines[0].starts_with(&prefix), "{}: {stdout}", f.display());
    }
}

#[test]
fn the_messages_name_what_broke() {
    let dir = "tests/prompt-transcripts/invalid";
    let cases = [
        (
            "payload-too-long.at",
            "payload of 17 bytes is longer than <length> = 16 of `+USOWR`",
        ),
        (
            "payload-too-short.at",
            "payload of 16 bytes is shorter than <length> = 18 of `+CIPSEND`",
        ),
        (
            "no-terminator.at",
            "payload does not end with its terminator 0x1A or its abort byte 0x1B",
        ),
        (
            "terminated-payload-too-long.at",
            "payload of 1501 bytes is longer than the 1500 bytes `+CIPSEND` may send",
        ),
        (
            "undeclared-prompt.at",
            "prompt `>` where `AT+CMGF=1` declares none",
        ),
        (
            "payload-without-prompt.at",
            "payload with no prompt before it",
        ),
        (
            "ok-without-prompt.at",
            "`AT+CIPSEND=0,18` answered OK without its prompt \">\": the host never got to write its payload",
        ),
        (
            "wrong-prompt.at",
            "prompt `>` where `AT+USOWR=3,2` declares \"@\"",
        ),
    ];
    for (file, message) in cases {
        let out = verify(&[root().join(dir).join(file)]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(message), "{file}: {stdout}");
    }
}
