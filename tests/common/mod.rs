//! Helpers shared by the integration tests: the address `wip sim` listens
//! on, and the transcripts of a directory.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Child;

/// The `.at` files of `dir` (relative to the workspace root), sorted.
#[allow(dead_code)] // not every test that shares this module lists transcripts
pub fn at_files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "at"))
        .collect();
    v.sort();
    v
}

/// The address `wip sim --listen` prints on its first line (`listening on
/// ADDR`), read from the child's piped stdout.
#[allow(dead_code)] // not every test that shares this module starts `wip sim`
pub fn listening_address(child: &mut Child) -> String {
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout is piped"))
        .read_line(&mut first)
        .expect("wip sim prints its address");
    first
        .trim()
        .strip_prefix("listening on ")
        .expect("the first line names the address")
        .to_string()
}
