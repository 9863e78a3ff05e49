//! `wip verify` over the manual's examples (all conform) and over the
//! invalid transcripts (each caught at the line its header names).

use std::path::{Path, PathBuf};
use std::process::Command;

fn wip() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wip"))
}

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "at"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_manual_example_conforms() {
    let all = files("tests/transcripts");
    let out = wip().arg("verify").args(&all).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn every_example_section_of_the_manual_has_a_transcript() {
    let names: Vec<String> = files("tests/transcripts")
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    let mut sections: Vec<String> = [
        "4.1.6",
        "4.2.6",
        "5.1.6",
        "5.2.6",
        "5.3.6",
        "5.3.7.6.4.2",
        "6.1.8",
        "6.2.10",
        "6.3.6",
        "7.1.6",
        "9.1.1.1",
        "9.1.1.2",
        "9.1.2.1",
        "9.1.2.2",
        "9.17",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    sections.extend((2..=15).map(|n| format!("9.{n}")));
    for s in sections {
        assert!(
            names.iter().any(|n| n.starts_with(&format!("{s}-"))),
            "no transcript for section {s}"
        );
    }
}

#[test]
fn every_invalid_transcript_fails_at_its_line() {
    let all = files("tests/invalid-transcripts");
    assert!(all.len() >= 15);
    for f in all {
        let text = std::fs::read_to_string(&f).unwrap();
        let expect: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect-line: "))
            .unwrap_or_else(|| panic!("{} lacks `# expect-line:`", f.display()))
            .trim()
            .parse()
            .unwrap();
        let out = wip().arg("verify").arg(&f).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", f.display());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = stdout.lines().collect();
        assert!(!lines.is_empty(), "{}", f.display());
        let prefix = format!("{}:{expect}: ", f.display());
        for l in &lines {
            assert!(
                l.starts_with(&prefix),
                "{}: expected every violation at line {expect}, got `{l}`",
                f.display()
            );
        }
    }
}

#[test]
fn messages_name_the_parameter_the_value_and_the_range() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/invalid-transcripts/value-out-of-range-ok.at");
    let out = wip().arg("verify").arg(&f).output().unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("+WIPCFG option 4 (WIP_NET_OPT_TCP_MIN_MSS) = 535 is outside 536..=1460, yet the modem answered OK"), "{s}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(wip().arg("verify").output().unwrap().status.code(), Some(2));
    assert_eq!(
        wip()
            .args(["verify", "no/such/file.at"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        wip()
            .args(["verify", "--spec", "no/such/spec.ron", "x.at"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn output_is_deterministic_and_in_line_order() {
    let all = files("tests/invalid-transcripts");
    let a = wip().arg("verify").args(&all).output().unwrap();
    let b = wip().arg("verify").args(&all).output().unwrap();
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn every_erratum_a_transcript_cites_is_recorded_in_the_spec() {
    let spec = wip_spec::default_spec().unwrap();
    let mut cited = 0;
    for f in files("tests/transcripts") {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            // Every contradiction is recorded: no `erratum NEW` is left,
            // in a list of ids either (`erratum E19 and NEW`).
            assert!(
                !(line.contains("erratum")
                    && line
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| w == "NEW")),
                "{}:{}: cites an erratum the spec does not record yet (NEW)",
                f.display(),
                n + 1
            );
            let mut rest = line;
            while let Some(i) = rest.find("erratum ") {
                rest = &rest[i + "erratum ".len()..];
                let id: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                assert!(
                    spec.notes.errata.iter().any(|e| e.id == id),
                    "{}:{}: cites erratum `{id}`, which the spec does not record",
                    f.display(),
                    n + 1
                );
                cited += 1;
            }
        }
    }
    assert!(cited > 30, "{cited}");
}

#[test]
fn real_modem_tolerances_conform_with_a_note_under_strict() {
    let all = files("tests/tolerances");
    assert!(!all.is_empty());
    for f in all {
        let text = std::fs::read_to_string(&f).unwrap();
        let note: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("# note-line: "))
            .unwrap_or_else(|| panic!("{} lacks `# note-line:`", f.display()))
            .trim()
            .parse()
            .unwrap();
        let out = wip().arg("verify").arg(&f).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", f.display());
        assert!(
            out.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let out = wip()
            .arg("verify")
            .arg("--strict")
            .arg(&f)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", f.display());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 1, "{stdout}");
        assert!(
            lines[0].starts_with(&format!("{}:{note}: note: ", f.display())),
            "{stdout}"
        );
    }
}

/// A write to standard output that fails (a full disk) is an I/O error:
/// exit 2 with a word on stderr, never a panic, for every command that
/// prints its result; a reader that went away is not.
#[test]
fn a_failed_write_to_stdout_is_an_io_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not Linux: nothing to write into
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let invalid = root.join("tests/invalid-transcripts/unknown-command.at");
    let runs: [&[&str]; 5] = [
        &["doc"],
        &["generate"],
        &["check"],
        &["diff", "spec/wipsoft-rev008.ron", "spec/wipsoft-rev009.ron"],
        &["verify", invalid.to_str().unwrap()],
    ];
    for args in runs {
        let out = wip()
            .args(args)
            .current_dir(root)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot write"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
