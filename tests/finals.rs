//! Declared final result codes (`finals`, tests/specs/finals.ron): `wip
//! verify` ends commands on them and catches a final result code a form
//! may not end with at its line; `wip doc` and `wip diff` show them.

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
    root().join("tests/specs/finals.ron")
}

#[test]
fn declared_finals_end_their_commands() {
    let out = wip()
        .arg("verify")
        .arg("--spec")
        .arg(spec())
        .args(at_files("tests/finals"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn each_wrong_final_is_caught_at_its_line() {
    let all = at_files("tests/finals/invalid");
    assert!(all.len() >= 4);
    for f in all {
        let text = std::fs::read_to_string(&f).unwrap();
        let expect: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect-line: "))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let out = wip()
            .arg("verify")
            .arg("--spec")
            .arg(spec())
            .arg(&f)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", f.display());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let prefix = format!("{}:{expect}: ", f.display());
        assert!(!stdout.is_empty(), "{}", f.display());
        for l in stdout.lines() {
            assert!(l.starts_with(&prefix), "{}: got `{l}`", f.display());
        }
    }
}

#[test]
fn a_wrong_final_names_the_command_and_what_it_may_end_with() {
    let f = root().join("tests/finals/invalid/close-no-carrier.at");
    let out = wip()
        .arg("verify")
        .arg("--spec")
        .arg(spec())
        .arg(&f)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains(
            "AT+XCLOSE ends with NO CARRIER, which it may not (it ends with OK, +CME ERROR)"
        ),
        "{s}"
    );
    let f = root().join("tests/finals/invalid/data-accept-zero.at");
    let out = wip()
        .arg("verify")
        .arg("--spec")
        .arg(spec())
        .arg(&f)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("DATA ACCEPT <length>"), "{s}");
    assert!(s.contains("1..=1460"), "{s}");
}

#[test]
fn without_the_declaration_send_ok_is_an_unknown_line() {
    // The same session against a spec that does not declare `SEND OK`:
    // the line is no final result code, so the next command is sent
    // before its command got one.
    let src = std::fs::read_to_string(spec()).unwrap();
    let start = src.find("    finals: [").unwrap();
    let end = start + src[start..].find("\n    ],\n").unwrap() + "\n    ],\n".len();
    let mut plain = src.clone();
    plain.replace_range(start..end, "");
    let plain = plain
        .replace(
            r#"finals: ["SEND OK", "SEND FAIL", "ERROR", "+CME ERROR"]"#,
            "",
        )
        .replace(r#"finals: ["DATA ACCEPT: <length>", "ERROR"]"#, "");
    let dir = std::env::temp_dir().join(format!("wip-finals-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plain.ron");
    std::fs::write(&path, plain).unwrap();
    let out = wip()
        .arg("verify")
        .arg("--spec")
        .arg(&path)
        .arg(root().join("tests/finals/sends.at"))
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let s = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(s.contains("got its final result code"), "{s}");
}

#[test]
fn doc_lists_the_finals_and_what_each_form_ends_with() {
    let out = wip().arg("doc").arg(spec()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("## Final result codes"), "{s}");
    assert!(
        s.contains("| `DATA ACCEPT: <length>` | success | `<length>`: 1..=1460 |"),
        "{s}"
    );
    assert!(s.contains("| `SEND FAIL` | failure |"), "{s}");
    assert!(
        s.contains("  - ends with: `SEND OK`, `SEND FAIL`, `ERROR`, `+CME ERROR`"),
        "{s}"
    );
}

#[test]
fn diff_shows_finals_added_and_a_form_that_may_end_with_more() {
    let src = std::fs::read_to_string(spec()).unwrap();
    let new = src
        .replace(
            r#"finals: ["OK", "+CME ERROR"]),"#,
            r#"finals: ["OK", "+CME ERROR", "NO CARRIER"]),"#,
        )
        .replace(
            r#"        FinalCode(text: "SEND FAIL", success: false, section: "8.2.3","#,
            r#"        FinalCode(text: "CLOSE OK", success: true, section: "8.2.4"),
        FinalCode(text: "SEND FAIL", success: false, section: "8.2.3","#,
        );
    assert_ne!(new, src);
    let dir = std::env::temp_dir().join(format!("wip-finals-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("new.ron");
    std::fs::write(&path, new).unwrap();
    let out = wip().arg("diff").arg(spec()).arg(&path).output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("finals[CLOSE OK]"), "{s}");
    assert!(
        s.contains("commands[+XCLOSE].forms[Action:Close].finals[NO CARRIER]"),
        "{s}"
    );
}
