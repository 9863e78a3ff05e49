//! Completion URCs and timeouts taken from a parameter
//! (tests/specs/completions.ron): `wip verify` expects the completion
//! after a success final result code, matched by the fields it repeats;
//! one for another link, one no command waits for, or one before the
//! final result code where the spec does not allow it is a violation at
//! its line; a completion still missing at the end is a note. `wip doc`
//! and `wip diff` show them.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::at_files;

fn wip() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wip"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn spec() -> PathBuf {
    root().join("tests/specs/completions.ron")
}

fn verify(args: &[&str], files: &[PathBuf]) -> (Option<i32>, String) {
    let out = wip()
        .arg("verify")
        .args(args)
        .arg("--spec")
        .arg(spec())
        .args(files)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn completions_after_ok_conform() {
    let (code, out) = verify(&[], &at_files("tests/completions"));
    assert_eq!((code, out.as_str()), (Some(0), ""));
}

#[test]
fn each_wrong_completion_is_caught_at_its_line() {
    let all = at_files("tests/completions/invalid");
    assert!(all.len() >= 3);
    for f in all {
        let text = std::fs::read_to_string(&f).unwrap();
        let expect: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect-line: "))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let (code, out) = verify(&[], std::slice::from_ref(&f));
        assert_eq!(code, Some(1), "{}", f.display());
        let prefix = format!("{}:{expect}: ", f.display());
        assert!(!out.is_empty());
        for l in out.lines() {
            assert!(l.starts_with(&prefix), "{}: got `{l}`", f.display());
        }
    }
    let (_, out) = verify(
        &[],
        &[root().join("tests/completions/invalid/wrong-link.at")],
    );
    assert!(
        out.contains("`+XOPEN: 1,0` completes no command waiting for it: `AT+XOPEN=0,\"example.com\",80` (line 3) waits for +XOPEN with <link_num> = 0"),
        "{out}"
    );
}

#[test]
fn a_missing_completion_at_the_end_is_a_note() {
    let f = root().join("tests/completions/unfinished.at");
    let (code, out) = verify(&[], std::slice::from_ref(&f));
    assert_eq!((code, out.as_str()), (Some(0), ""));
    let (code, out) = verify(&["--strict"], &[f]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains(":2: note: `AT+XCONNECT=3,\"example.com\",80,1` was answered, but its completion (+XUUSOCO with <socket> = 3) never came"),
        "{out}"
    );
}

#[test]
fn doc_shows_the_completion_and_the_timeout_parameter() {
    let out = wip().arg("doc").arg(spec()).output().unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    // Every form has the parameter, with a default: what a line that
    // leaves it out waits (3 s + 2 s), as the clients wait.
    assert!(
        s.contains("Timeout: `<timeout>` s + 2 s; left out, its default 3: 5 s"),
        "{s}"
    );
    assert!(
        s.contains("within 5 s (`<timeout>` s + 1 s; left out, its default 3: 4 s)"),
        "{s}"
    );
    assert!(
        s.contains("completed after its final result code by"),
        "{s}"
    );
    assert!(
        s.contains("repeating `<socket>`, when `<async_connect>` = 1, within 120 s"),
        "{s}"
    );
    assert!(
        s.contains("it may also come before the final result code"),
        "{s}"
    );
}

#[test]
fn diff_reports_a_new_completion_as_breaking() {
    let src = std::fs::read_to_string(spec()).unwrap();
    let start = src
        .find("                    completion: Completion(message: \"XConnectResult\"")
        .unwrap();
    let end = start
        + src[start..].find("section: \"18.9.3\")),").unwrap()
        + "section: \"18.9.3\")),".len();
    let mut old = src.clone();
    old.replace_range(start..end, "),");
    let old = old.replace(
        "timeout_from: TimeoutFrom(param: \"timeout\", scale_ms: 1000, plus_ms: 2000),",
        "",
    );
    let dir = std::env::temp_dir().join(format!("wip-completions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("old.ron");
    std::fs::write(&path, old).unwrap();
    let out = wip().arg("diff").arg(&path).arg(spec()).output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let s = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(
        s.contains("commands[+XCONNECT].forms[Action:Connect].completion"),
        "{s}"
    );
    assert!(s.contains("commands[+XPING].timeout_from"), "{s}");
}
