//! Compile-fail tests: what a user sees when `include_spec!` cannot
//! compile a spec.
//!
//! trybuild compiles each `tests/ui/*.rs` as a binary of a crate it makes
//! under the target directory (`<target>/tests/trybuild/wip-macros`), and
//! that crate's `CARGO_MANIFEST_DIR` is what `include_spec!` resolves spec
//! paths against. So that the cases name their specs as `tests/ui/x.ron`
//! wherever the build goes (`CARGO_TARGET_DIR`, `build.target-dir`), the
//! specs are copied to the same place under that crate first.

use std::path::PathBuf;
use std::process::Command;

/// The target directory, as cargo (and so trybuild) resolves it.
fn target_dir() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata failed: {out:?}");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let dir = meta["target_directory"]
        .as_str()
        .expect("metadata names the target directory");
    PathBuf::from(dir)
}

#[test]
fn ui() {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let there = target_dir()
        .join("tests/trybuild")
        .join(env!("CARGO_PKG_NAME"))
        .join("tests/ui");
    std::fs::create_dir_all(&there).expect("trybuild's crate directory can be made");
    let mut copied = 0;
    for entry in std::fs::read_dir(&here).expect("tests/ui is readable") {
        let path = entry.expect("tests/ui is readable").path();
        if path.extension().is_some_and(|e| e == "ron") {
            let name = path.file_name().expect("a file has a name");
            std::fs::copy(&path, there.join(name)).expect("a spec can be copied");
            copied += 1;
        }
    }
    assert!(copied >= 2, "the UI specs are in tests/ui");
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
