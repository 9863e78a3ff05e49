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

/// Each spec of tests/specs/include-broken/ is refused with the
/// diagnostics its `// expect:` lines name (file, line, message), by
/// `wip check`.
#[test]
fn broken_includes_are_refused_naming_the_files() {
    let all = files("tests/specs/include-broken", "ron");
    assert!(all.len() >= 5);
    for f in all {
        let rel = f.strip_prefix(root()).unwrap();
        let text = std::fs::read_to_string(&f).unwrap();
        let expects: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("// expect: "))
            .collect();
        assert!(!expects.is_empty(), "{}", f.display());
        let out = wip()
            .current_dir(root())
            .arg("check")
            .arg(rel)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", f.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        for e in expects {
            assert!(
                stderr.contains(e),
                "{}: `{e}` not in\n{stderr}",
                f.display()
            );
        }
    }
}

/// The shared part's items keep their file: the reference and the diff
/// cite the base's source for them, not the vendor's.
#[test]
fn included_items_cite_their_file() {
    let spec = "tests/specs/schema/include-vendor.ron";
    let out = wip()
        .current_dir(root())
        .args(["doc", spec])
        .output()
        .unwrap();
    let doc = String::from_utf8_lossy(&out.stdout);
    assert!(doc.contains("- 27.007 base 17 rev 1 (`parts/base-27007.ron`), after 3GPP TS 27.007 V17, sections 7.2, 9.1 and 10.1.9"), "{doc}");
    assert!(doc.contains("From 27.007 base 17 rev 1 (`parts/base-27007.ron`)"));
    // +CGATT was left out of the include; the base's error codes came in
    // through the base's own include.
    assert!(!doc.contains("### +CGATT"));
    assert!(doc.contains("no network service"));
    let out = wip()
        .current_dir(root())
        .args(["diff", "tests/specs/schema/prefixes.ron", spec])
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("from 27.007 base 17 rev 1 (tests/specs/schema/parts/base-27007.ron)"),
        "{diff}"
    );
}

/// An embedded spec and its parts, held in memory, load as the files do.
#[test]
fn includes_resolve_the_same_in_memory() {
    const FILES: &[(&str, &str)] = &[
        (
            "spec/include-vendor.ron",
            include_str!("specs/schema/include-vendor.ron"),
        ),
        (
            "spec/parts/base-27007.ron",
            include_str!("specs/schema/parts/base-27007.ron"),
        ),
        (
            "spec/parts/errors-27007.ron",
            include_str!("specs/schema/parts/errors-27007.ron"),
        ),
    ];
    let mem = wip_spec::load_files("spec/include-vendor.ron", FILES).unwrap();
    let disk = wip_spec::load_file(&root().join("tests/specs/schema/include-vendor.ron")).unwrap();
    assert_eq!(mem.dialect, disk.dialect);
    assert_eq!(mem.notes.origins.files.len(), 3);
    assert_eq!(
        mem.notes.origins.files[2].file,
        "spec/parts/errors-27007.ron"
    );
    // Alone, the string has no directory to include from.
    let e = wip_spec::load_str(FILES[0].1, "x.ron")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("x.ron:8:") && e.contains("use wip_spec::load_files"),
        "{e}"
    );
    let e = wip_spec::load_files("spec/include-vendor.ron", &FILES[..2])
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("spec/parts/base-27007.ron:7:"), "{e}");
}

/// Tokens, free text after fields and field kinds (points 6 and 7) in the
/// reference and in `wip diff`: a token turned into a string breaks.
#[test]
fn tokens_and_free_text_in_doc_and_diff() {
    let spec = root().join("tests/specs/schema/fields.ron");
    let out = wip().arg("doc").arg(&spec).output().unwrap();
    let doc = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        doc.contains("| `<client>` | unquoted word, not an integer |"),
        "{doc}"
    );
    assert!(doc.contains("`+XNOTE: <server_index>,<note>`"), "{doc}");
    assert!(doc.contains("`+IP ERROR: <err_info>`"), "{doc}");
    let src = std::fs::read_to_string(&spec).unwrap();
    let tmp = std::env::temp_dir().join(format!("wip-fields-diff-{}.ron", std::process::id()));
    let from = r#"Param(name: "client", ty: Token"#;
    assert!(src.contains(from));
    std::fs::write(
        &tmp,
        src.replace(from, r#"Param(name: "client", ty: Str()"#),
    )
    .unwrap();
    let out = wip().arg("diff").arg(&spec).arg(&tmp).output().unwrap();
    std::fs::remove_file(&tmp).ok();
    let s = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(
        s.contains("BREAKING   changed messages[ClientAccepted].fields[client].type")
            && s.contains("old: token"),
        "{s}"
    );
}
