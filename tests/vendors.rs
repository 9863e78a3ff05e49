//! The vendor specs — the 3GPP TS 27.007/27.005 base, u-blox SARA-R4 and
//! SIMCom SIM7600 — through every tool: `wip check`, `wip doc`, `wip diff`
//! and `wip verify` of the sessions under tests/vendors/<vendor>/ (each
//! conforms, with no report) and of their one-violation variants under
//! invalid/ (each caught at the line its header names, once).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Each vendor: its directory under tests/vendors and its spec.
const VENDORS: &[(&str, &str)] = &[
    ("base", "spec/3gpp-27007-27005.ron"),
    ("ublox", "spec/ublox-sara-r4.ron"),
    ("simcom", "spec/simcom-sim7600.ron"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn wip(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wip"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The `.at` files of a directory, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "at"))
        .collect();
    v.sort();
    v
}

fn dir(vendor: &str, sub: &str) -> PathBuf {
    root().join("tests/vendors").join(vendor).join(sub)
}

fn spec(path: &str) -> PathBuf {
    root().join(path)
}

/// `wip verify --spec SPEC FILES...`.
fn verify(spec_path: &str, files: &[PathBuf]) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec!["verify".as_ref(), "--spec".as_ref()];
    let s = spec(spec_path);
    args.push(s.as_os_str());
    args.extend(files.iter().map(|f| f.as_os_str()));
    wip(&args)
}

fn header<'a>(src: &'a str, key: &str) -> Option<&'a str> {
    src.lines().find_map(|l| l.strip_prefix(key)).map(str::trim)
}

#[test]
fn every_vendor_spec_checks_clean() {
    for (_, path) in VENDORS {
        let p = spec(path);
        let out = wip(&["check".as_ref(), p.as_os_str()]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains(": ok: "),
            "{}",
            text(&out.stdout)
        );
    }
}

#[test]
fn every_vendor_spec_has_a_reference_naming_each_command_and_message() {
    for (_, path) in VENDORS {
        let p = spec(path);
        let out = wip(&["doc".as_ref(), p.as_os_str()]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", text(&out.stderr));
        let doc = text(&out.stdout);
        let loaded = wip_spec::load_file(&p).unwrap();
        let d = &loaded.dialect;
        assert!(!d.commands.is_empty());
        for c in d.commands.iter() {
            assert!(doc.contains(c.name.as_ref()), "{path}: {} missing", c.name);
        }
        for m in d.messages.iter() {
            if let Some(prefix) = &m.prefix {
                assert!(doc.contains(prefix.as_ref()), "{path}: {prefix} missing");
            }
        }
        for e in &loaded.notes.errata {
            assert!(doc.contains(&e.id), "{path}: erratum {} missing", e.id);
        }
        // Deterministic.
        assert_eq!(out.stdout, wip(&["doc".as_ref(), p.as_os_str()]).stdout);
    }
}

#[test]
fn the_base_is_a_compatible_superset_of_the_27007_sample() {
    let (old, new) = (spec("spec/3gpp-27007-sample.ron"), spec(VENDORS[0].1));
    let out = wip(&["diff".as_ref(), old.as_os_str(), new.as_os_str()]);
    let s = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{s}");
    assert!(s.contains(", 0 breaking, "), "{s}");
    for added in [
        "compatible added   commands[+CMEE]",
        "compatible added   commands[+CMGS]",
        "compatible added   commands[+CMGR]",
        "compatible added   commands[+CMGL]",
        "compatible added   messages[CmtiIndication]",
    ] {
        assert!(s.contains(added), "{added} not in\n{s}");
    }
}

/// Each vendor spec includes the base: against it, the vendor's items are
/// additions and nothing of the base breaks.
#[test]
fn each_vendor_spec_is_a_compatible_extension_of_the_base() {
    let base = spec(VENDORS[0].1);
    for (vendor, path, command) in [
        ("ublox", VENDORS[1].1, "commands[+USOWR]"),
        ("simcom", VENDORS[2].1, "commands[+CIPSEND]"),
    ] {
        let p = spec(path);
        let out = wip(&["diff".as_ref(), base.as_os_str(), p.as_os_str()]);
        let s = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{vendor}: {s}{}",
            text(&out.stderr)
        );
        assert!(s.contains(", 0 breaking, "), "{vendor}: {s}");
        assert!(
            s.lines()
                .any(|l| l.starts_with("compatible added") && l.contains(command)),
            "{vendor}: {command} not added in\n{s}"
        );
        assert!(
            !s.contains("commands[+CMGS]"),
            "{vendor}: the base's +CMGS changed:\n{s}"
        );
    }
}

/// Each vendor spec against itself (no change) and against a copy with one
/// command removed and one range narrowed: both reported, as breaking.
#[test]
fn diff_of_each_vendor_spec_against_an_edited_copy() {
    let edits: &[(&str, &str, &str, &str)] = &[
        (
            "base",
            "name: \"+CMGL\",",
            "name: \"+CMGX\",",
            "commands[+CMGL]",
        ),
        (
            "ublox",
            "Param(name: \"length\", ty: Int(min: 0, max: 1024)),\n                    ],\n                    responses: [\"UsordData\"",
            "Param(name: \"length\", ty: Int(min: 0, max: 512)),\n                    ],\n                    responses: [\"UsordData\"",
            "commands[+USORD].forms[Action:Read].params[length]",
        ),
        (
            "simcom",
            "Value(value: 255, name: \"Unknown error\"),",
            "",
            "value_sets[tcpip_err].values[255]",
        ),
    ];
    let tmp = std::env::temp_dir().join(format!("wip-vendors-diff-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    // The vendor specs include the base by a path relative to themselves.
    std::fs::copy(spec(VENDORS[0].1), tmp.join("3gpp-27007-27005.ron")).unwrap();
    for (vendor, path) in VENDORS {
        let p = spec(path);
        let same = wip(&["diff".as_ref(), p.as_os_str(), p.as_os_str()]);
        assert_eq!(same.status.code(), Some(0), "{}", text(&same.stdout));
        assert!(
            text(&same.stdout).contains(": 0 changes"),
            "{}",
            text(&same.stdout)
        );
        let (_, from, to, changed) = edits.iter().find(|e| e.0 == *vendor).unwrap();
        let src = std::fs::read_to_string(&p).unwrap();
        assert!(src.contains(from), "{vendor}: edit anchor not found");
        let edited = tmp.join(format!("{vendor}.ron"));
        std::fs::write(&edited, src.replacen(from, to, 1)).unwrap();
        let out = wip(&["diff".as_ref(), p.as_os_str(), edited.as_os_str()]);
        let s = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{vendor}: {s}{}",
            text(&out.stderr)
        );
        assert!(
            s.lines()
                .any(|l| l.starts_with("BREAKING") && l.contains(changed)),
            "{vendor}: {changed} not reported breaking in\n{s}"
        );
    }
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn every_vendor_session_conforms() {
    for (vendor, path) in VENDORS {
        let all = files(&dir(vendor, ""));
        assert!(!all.is_empty(), "{vendor} has no sessions");
        let out = verify(path, &all);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{vendor}:\n{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    }
}

/// Test-command answers (schema point 13): the sessions of the base and
/// of u-blox verify; an answer after the read command is named as the
/// test command's; with `--strict`, the u-blox `<length>` lists that start
/// at 0 where the set syntax starts at 1 (erratum U04) are notes.
#[test]
fn test_command_answers_verify_and_a_misplaced_one_is_named() {
    for (vendor, path, file) in [
        ("base", VENDORS[0].1, "27007-test-answers.at"),
        ("ublox", VENDORS[1].1, "test-answers.at"),
    ] {
        let out = verify(path, &[dir(vendor, "").join(file)]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
        assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    }
    let out = verify(
        VENDORS[0].1,
        &[dir("base", "invalid").join("test-answer-after-read.at")],
    );
    assert!(
        text(&out.stdout).contains(
            "`+CGATT: (0,1)` is the answer to the test command AT+CGATT=?, not to AT+CGATT?"
        ),
        "{}",
        text(&out.stdout)
    );
    let s = spec(VENDORS[1].1);
    let f = dir("ublox", "").join("test-answers.at");
    let out = wip(&[
        "verify".as_ref(),
        "--strict".as_ref(),
        "--spec".as_ref(),
        s.as_os_str(),
        f.as_os_str(),
    ]);
    let notes = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{notes}");
    assert_eq!(notes.lines().count(), 3, "{notes}");
    assert!(
        notes.contains("test-answers.at:6: note: `+USOWR: (0-6),(0-1024)`: <length> lists (0-1024), beyond the 1..=1024 that AT+USOWR= accepts"),
        "{notes}"
    );
}

/// Every file of `sub` fails with exactly one violation, at its
/// `# expect-line:`.
fn each_caught_once_at_its_line(vendor: &str, spec_path: &str, sub: &str) -> usize {
    let all = files(&dir(vendor, sub));
    for f in &all {
        let src = std::fs::read_to_string(f).unwrap();
        let expect: usize = header(&src, "# expect-line: ")
            .unwrap_or_else(|| panic!("{} lacks `# expect-line:`", f.display()))
            .parse()
            .unwrap();
        assert!(
            header(&src, "# why: ").is_some(),
            "{} lacks `# why:`",
            f.display()
        );
        let out = verify(spec_path, std::slice::from_ref(f));
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{}: {stdout}", f.display());
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "{}: one violation expected:\n{stdout}",
            f.display()
        );
        let at = format!("{}:{expect}: ", f.display());
        assert!(
            lines[0].starts_with(&at),
            "{}: expected at line {expect}, got `{}`",
            f.display(),
            lines[0]
        );
    }
    all.len()
}

#[test]
fn every_one_violation_variant_is_caught_once_at_its_line() {
    for (vendor, path) in VENDORS {
        let n = each_caught_once_at_its_line(vendor, path, "invalid");
        assert!(n >= 2, "{vendor}: {n} variants");
    }
}

#[test]
fn every_erratum_a_session_cites_is_in_its_spec() {
    for (vendor, path) in VENDORS {
        let loaded = wip_spec::load_file(&spec(path)).unwrap();
        let mut all = files(&dir(vendor, ""));
        all.extend(files(&dir(vendor, "invalid")));
        for f in all {
            let src = std::fs::read_to_string(&f).unwrap();
            let mut rest = src.as_str();
            while let Some(i) = rest.find("erratum ") {
                rest = &rest[i + "erratum ".len()..];
                let id: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                assert!(
                    loaded.notes.errata.iter().any(|e| e.id == id),
                    "{}: cites erratum `{id}`, which {path} does not record",
                    f.display()
                );
            }
        }
    }
}

/// Every command line the vendor sessions send, and the lines the manuals
/// write, parse to a form and format back to the same line: a parameter
/// the spec keeps as an empty field (`AT+CIPSEND=<link_num>,[<length>]`,
/// SIM7600 17.2.14) keeps its comma.
#[test]
fn every_vendor_command_line_formats_back_as_sent() {
    let manual: &[(&str, &str)] = &[
        ("simcom", "AT+CIPSEND=0,"),
        ("simcom", "AT+CIPSEND=0,5"),
        ("simcom", "AT+CIPSEND=5,5,\"183.230.174.137\",6031"),
    ];
    let mut lines: Vec<(String, String)> = manual
        .iter()
        .map(|(v, l)| ((*v).to_string(), (*l).to_string()))
        .collect();
    for (vendor, _) in VENDORS {
        for f in files(&dir(vendor, "")) {
            let src = std::fs::read_to_string(&f).unwrap();
            for l in src.lines().filter(|l| l.starts_with("AT")) {
                let l = l.split(" //").next().unwrap_or(l).trim_end();
                lines.push(((*vendor).to_string(), l.to_string()));
            }
        }
    }
    assert!(lines.iter().filter(|(_, l)| l.ends_with(',')).count() >= 2);
    for (vendor, line) in &lines {
        let path = VENDORS.iter().find(|(v, _)| v == vendor).unwrap().1;
        let d = &wip_spec::load_file(&spec(path)).unwrap().dialect;
        let p = match wip_schema::parse_command(d, line) {
            Ok(p) => p,
            // Commands outside the spec (ATE0) are the sessions' setup.
            Err(e) if e.kind == wip_schema::ErrorKind::UnknownCommand => continue,
            Err(e) => panic!("{line}: {e}"),
        };
        assert_eq!(
            wip_schema::format_command(d, p.command, p.form, &p.values),
            *line,
            "{vendor}"
        );
    }
}

/// SIM7600 17.2.14: "Single <ESC> is used to cancel the sending": the
/// cancelled send reports nothing, so `--strict` gives no note that its
/// `+CIPSEND:` never came (`unless_aborted`); a send that went out and
/// lacks its `+CIPSEND:` still gets the note.
#[test]
fn an_aborted_send_waits_for_no_completion_and_a_sent_one_does() {
    let session = dir("simcom", "events-send.at");
    let strict = |f: &Path| {
        let s = spec("spec/simcom-sim7600.ron");
        let out = wip(&[
            "verify".as_ref(),
            "--strict".as_ref(),
            "--spec".as_ref(),
            s.as_os_str(),
            f.as_os_str(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
        text(&out.stdout)
    };
    let out = strict(&session);
    assert!(!out.contains("never came"), "{out}");
    // Without the +CIPSEND: of the first send (line 16), the note is given
    // at that send's line.
    let src = std::fs::read_to_string(&session).unwrap();
    assert!(src.lines().nth(15) == Some("+CIPSEND: 0,7,7"));
    let cut: Vec<&str> = src
        .lines()
        .enumerate()
        .map(|(i, l)| if i == 15 { "# (no +CIPSEND: here)" } else { l })
        .collect();
    let tmp = std::env::temp_dir().join(format!(
        "wip-vendors-{}-no-completion.at",
        std::process::id()
    ));
    std::fs::write(&tmp, cut.join("\n") + "\n").unwrap();
    let out = strict(&tmp);
    let _ = std::fs::remove_file(&tmp);
    let notes: Vec<&str> = out.lines().filter(|l| l.contains("never came")).collect();
    assert_eq!(notes.len(), 1, "{out}");
    assert!(
        notes[0].contains(":12: note: `AT+CIPSEND=0,` was answered"),
        "{out}"
    );
}

/// `unless_aborted` needs a payload that can be aborted: on the counted
/// `+CIPSEND` it is refused, naming the form.
#[test]
fn unless_aborted_without_an_abort_byte_is_refused() {
    let src = std::fs::read_to_string(spec("spec/simcom-sim7600.ron")).unwrap();
    let old = "completion: Completion(message: \"CipsendResult\", echo: [\"link_num\"], timeout_ms: 15000,\n";
    assert!(src.contains(old));
    let bad = src.replacen(
        old,
        "completion: Completion(message: \"CipsendResult\", echo: [\"link_num\"], timeout_ms: 15000, unless_aborted: true,\n",
        1,
    );
    let files = [
        ("spec/simcom-sim7600.ron", bad.as_str()),
        (
            "spec/3gpp-27007-27005.ron",
            include_str!("../spec/3gpp-27007-27005.ron"),
        ),
    ];
    let err = wip_spec::load_files("spec/simcom-sim7600.ron", &files)
        .unwrap_err()
        .to_string();
    assert!(err.contains("`unless_aborted`"), "{err}");
    assert!(
        err.contains("form `Send` has no payload with an `abort` byte"),
        "{err}"
    );
}

/// The reference says the cancelled send reports nothing; `wip diff`
/// names the change when `unless_aborted` goes.
#[test]
fn doc_and_diff_show_a_completion_that_no_abort_reports() {
    let path = spec("spec/simcom-sim7600.ron");
    let new = wip_spec::load_file(&path).unwrap();
    let md = wip_spec::doc::render(&new);
    assert!(
        md.contains("none comes when the host aborts the payload"),
        "{md}"
    );
    let src = std::fs::read_to_string(&path).unwrap();
    let without = src.replacen(" unless_aborted: true,", "", 1);
    assert_ne!(without, src);
    let base = include_str!("../spec/3gpp-27007-27005.ron");
    let old = wip_spec::load_files(
        "spec/simcom-sim7600.ron",
        &[
            ("spec/simcom-sim7600.ron", without.as_str()),
            ("spec/3gpp-27007-27005.ron", base),
        ],
    )
    .unwrap();
    let changes = wip_spec::diff::diff(&old, &new);
    let t = wip_spec::diff::text(&old, &new, &changes);
    assert!(t.contains("forms[Action:SendVariable].completion"), "{t}");
    assert!(t.contains(", none after an aborted payload"), "{t}");
    assert_eq!(changes.len(), 1, "{t}");
}
