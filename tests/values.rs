//! `wip verify` over the transcripts of the schema's value features
//! (tests/values): each `NAME[-variant].at` is verified against
//! `tests/specs/NAME.ron`. A transcript without `# expect-line:` conforms;
//! one with it is caught there and only there.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn transcripts() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/values"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "at"))
        .collect();
    v.sort();
    v
}

fn spec_of(t: &Path) -> PathBuf {
    let stem = t.file_stem().unwrap().to_string_lossy().to_string();
    let name = stem.split('-').next().unwrap().to_string();
    root().join(format!("tests/specs/{name}.ron"))
}

fn verify(t: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wip"))
        .arg("verify")
        .arg("--spec")
        .arg(spec_of(t))
        .arg(t)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[test]
fn value_feature_transcripts_conform_or_fail_at_their_line() {
    let all = transcripts();
    assert!(all.len() >= 3);
    for t in all {
        let text = std::fs::read_to_string(&t).unwrap();
        let expect: Option<usize> = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect-line: "))
            .map(|n| n.trim().parse().unwrap());
        let (code, out) = verify(&t);
        match expect {
            None => assert_eq!((code, out.as_str()), (Some(0), ""), "{}", t.display()),
            Some(line) => {
                assert_eq!(code, Some(1), "{}: {out}", t.display());
                let prefix = format!("{}:{line}: ", t.display());
                assert!(!out.is_empty());
                for l in out.lines() {
                    assert!(l.starts_with(&prefix), "{}: got `{l}`", t.display());
                }
            }
        }
    }
}
