//! `wip check` and the loader on broken fixture specs: each fixture under
//! tests/specs/broken/ names, in `// expect:` lines, what its diagnostics
//! must say; each must also carry a line and column.

use std::path::Path;
use std::process::Command;

fn wip() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wip"))
}

#[test]
fn embedded_spec_checks_clean() {
    let out = wip().arg("check").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("9 commands"), "{text}");
}

#[test]
fn spec_file_checks_clean_and_matches_embedded() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = wip()
        .arg("check")
        .arg(root.join("spec/wipsoft-rev009.ron"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let on_disk = std::fs::read_to_string(root.join("spec/wipsoft-rev009.ron")).unwrap();
    assert_eq!(on_disk, wip_spec::DEFAULT_SPEC);
}

#[test]
fn missing_file_is_an_io_error() {
    let out = wip().args(["check", "no/such/spec.ron"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // The message names the file and says why it could not be read.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read spec no/such/spec.ron: ") && err.contains("No such file"),
        "{err}"
    );
}

#[test]
fn usage_error_exits_2() {
    let out = wip().args(["check", "a", "b"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_broken_fixture_gives_its_diagnostic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/broken");
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let src = std::fs::read_to_string(&path).unwrap();
        let expects: Vec<&str> = src
            .lines()
            .filter_map(|l| l.strip_prefix("// expect: "))
            .collect();
        assert!(
            !expects.is_empty(),
            "{} has no `// expect:` line",
            path.display()
        );
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let err = wip_spec::load_str(&src, &name).expect_err(&name);
        let rendered = err.to_string();
        for e in &expects {
            assert!(
                rendered.contains(e),
                "{name}: expected `{e}` in:\n{rendered}"
            );
        }
        for d in &err.items {
            assert!(d.location.is_some(), "{name}: no line/column for {d:?}");
        }
        // The CLI says the same, with exit code 1.
        let out = wip().arg("check").arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for e in &expects {
            assert!(
                stderr.contains(e),
                "{name}: CLI output lacks `{e}`:\n{stderr}"
            );
        }
        assert!(
            stderr
                .lines()
                .all(|l| l.starts_with(&path.display().to_string())),
            "{stderr}"
        );
        n += 1;
    }
    assert!(n >= 15, "only {n} broken fixtures");
}

#[test]
fn default_out_of_range_points_at_the_default() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/broken");
    let src = std::fs::read_to_string(dir.join("default-out-of-range.ron")).unwrap();
    let err = wip_spec::load_str(&src, "x.ron").unwrap_err();
    let d = &err.items[0];
    let loc = d.location.unwrap();
    let line = src.lines().nth(loc.line - 1).unwrap();
    let at: String = line.chars().skip(loc.col - 1).collect();
    assert!(at.starts_with("default: Int(300)"), "points at `{at}`");
}

#[test]
fn syntax_error_has_line_and_column() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/broken");
    let src = std::fs::read_to_string(dir.join("syntax-error.ron")).unwrap();
    let err = wip_spec::load_str(&src, "x.ron").unwrap_err();
    let loc = err.items[0].location.unwrap();
    // The missing comma is at the end of the `title` line; RON reports the
    // start of the next token.
    assert!(
        src.lines().nth(loc.line - 1).unwrap().contains("section:")
            || src.lines().nth(loc.line - 2).unwrap().contains("title"),
        "{loc:?}"
    );
}

#[test]
fn garbage_never_panics() {
    for s in [
        "",
        "(",
        "Spec(",
        "Spec()",
        "\u{0}",
        "Spec(name: 1)",
        "[[[[[[[[",
        "Spec(commands: [Command(forms: [Form(kind: Bogus)])])",
    ] {
        assert!(wip_spec::load_str(s, "g.ron").is_err());
    }
}
