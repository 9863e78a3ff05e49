//! The schema's multi-vendor features (prefix lists, includes, error
//! tables, IPv6, test-command answers) end to end: the small specs under
//! tests/specs/schema/ pass `wip check`, the transcripts under
//! tests/schema-transcripts/ name their spec in a `# spec:` line and
//! either verify clean or, with a `# expect-line:` line, are caught at
//! exactly that line.

use std::path::{Path, PathBuf};
use std::process::Command;

fn wip() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wip"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

fn header<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .map(str::trim)
}

#[test]
fn every_schema_spec_checks_clean() {
    let specs = files("tests/specs/schema", "ron");
    assert!(!specs.is_empty());
    for s in specs {
        let out = wip().arg("check").arg(&s).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            s.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Each transcript verifies against the spec its `# spec:` line names:
/// clean without `# expect-line:`, with violations at that line only
/// (and at least one) with it.
#[test]
fn every_schema_transcript_verifies_or_fails_at_its_line() {
    let all = files("tests/schema-transcripts", "at");
    let (mut clean, mut caught) = (0, 0);
    for f in all {
        let text = std::fs::read_to_string(&f).unwrap();
        let spec =
            header(&text, "# spec: ").unwrap_or_else(|| panic!("{} lacks `# spec:`", f.display()));
        let out = wip()
            .arg("verify")
            .arg("--spec")
            .arg(root().join(spec))
            .arg(&f)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match header(&text, "# expect-line: ") {
            None => {
                assert_eq!(
                    out.status.code(),
                    Some(0),
                    "{}: {stdout}{stderr}",
                    f.display()
                );
                assert!(stdout.is_empty(), "{stdout}");
                clean += 1;
            }
            Some(n) => {
                assert_eq!(
                    out.status.code(),
                    Some(1),
                    "{}: {stdout}{stderr}",
                    f.display()
                );
                let prefix = format!("{}:{n}: ", f.display());
                let lines: Vec<&str> = stdout.lines().collect();
                assert!(!lines.is_empty());
                for l in lines {
                    assert!(
                        l.starts_with(&prefix),
                        "{}: expected line {n}, got `{l}`",
                        f.display()
                    );
                }
                if let Some(says) = header(&text, "# says: ") {
                    assert!(
                        stdout.contains(says),
                        "{}: expected `{says}` in {stdout}",
                        f.display()
                    );
                }
                caught += 1;
            }
        }
    }
    assert!(clean >= 1 && caught >= 1, "{clean} clean, {caught} caught");
}
