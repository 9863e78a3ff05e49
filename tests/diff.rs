//! `wip diff` between the rev 008 and rev 009 specs, both ways, through the
//! library and through the binary: the exact change list, the classes, the
//! exit codes, the text and JSON renderings and the usage errors.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use wip_spec::diff::{self, Change, Class, Kind};

const REV008: &str = "spec/wipsoft-rev008.ron";
const REV009: &str = "spec/wipsoft-rev009.ron";

/// Every change rev 009 brings, as its Document History lists them: opt num
/// 28 of +WIPBR and its GPRS errors, +WIPDATARW, +WIPCFG options 15-17,
/// +WIPFILE modes 6-9, +WIPDATA mode 3 and error 836, error 853, and MMS
/// (+WIPCREATE mode 8, its options and the +WIPPEERCLOSE that writing
/// WIP_MMS_DONE leads to, +WIPFILE, errors 890-897). Anything
/// else in the list fails the test.
const REV009_CHANGES: &[&str] = &[
    "value_sets[data_mode].values[3]",
    "value_sets[file_mode].values[6]",
    "value_sets[file_mode].values[7]",
    "value_sets[file_mode].values[8]",
    "value_sets[file_mode].values[9]",
    "value_sets[mms_class]",
    "value_sets[mms_encoding]",
    "value_sets[mms_file_type]",
    "value_sets[mms_multipart]",
    "value_sets[mms_priority]",
    "value_sets[mms_visibility]",
    "value_sets[offline_command]",
    "value_sets[offline_state]",
    "value_sets[protocol].values[8]",
    "option_tables[bearer].options[28]",
    "option_tables[mms]",
    "option_tables[stack].options[15]",
    "option_tables[stack].options[16]",
    "option_tables[stack].options[17]",
    "commands[+WIPBR].errors[103]",
    "commands[+WIPBR].errors[132]",
    "commands[+WIPBR].errors[133]",
    "commands[+WIPBR].errors[134]",
    "commands[+WIPBR].errors[148]",
    "commands[+WIPBR].errors[149]",
    "commands[+WIPBR].errors[150]",
    "commands[+WIPCREATE].forms[Action:Mms]",
    "commands[+WIPOPT].also_errors[890]",
    "commands[+WIPOPT].also_errors[891]",
    "commands[+WIPOPT].also_errors[892]",
    "commands[+WIPOPT].also_errors[893]",
    "commands[+WIPOPT].also_errors[894]",
    "commands[+WIPOPT].also_errors[895]",
    "commands[+WIPOPT].also_errors[896]",
    "commands[+WIPOPT].also_errors[897]",
    "commands[+WIPOPT].forms[Action:Get].options.tables[8]",
    "commands[+WIPOPT].forms[Action:Set].options.tables[8]",
    "commands[+WIPOPT].forms[Action:Set].urcs[WipPeerClose]",
    "commands[+WIPFILE].errors[890]",
    "commands[+WIPFILE].errors[891]",
    "commands[+WIPFILE].errors[892]",
    "commands[+WIPFILE].errors[893]",
    "commands[+WIPFILE].errors[894]",
    "commands[+WIPFILE].errors[895]",
    "commands[+WIPFILE].errors[896]",
    "commands[+WIPFILE].errors[897]",
    "commands[+WIPFILE].forms[Action:Ftp].params[mode].type",
    "commands[+WIPFILE].forms[Action:Ftp].responses[WipDataRwSession]",
    "commands[+WIPFILE].forms[Action:Ftp].responses[WipDataRwData]",
    "commands[+WIPFILE].forms[Action:Ftp].responses[WipDataRwSent]",
    "commands[+WIPFILE].forms[Action:Ftp].outcomes[when mode in {6, 7, 9}: HexDump]",
    "commands[+WIPFILE].forms[Action:Http].params[mode].type",
    "commands[+WIPFILE].forms[Action:Http].responses[WipDataRwSession]",
    "commands[+WIPFILE].forms[Action:Http].responses[WipDataRwData]",
    "commands[+WIPFILE].forms[Action:Http].outcomes[when mode=7: HexDump]",
    "commands[+WIPFILE].forms[Action:Smtp].params[mode].type",
    "commands[+WIPFILE].forms[Action:Smtp].responses[WipDataRwSession]",
    "commands[+WIPFILE].forms[Action:Smtp].responses[WipDataRwSent]",
    "commands[+WIPFILE].forms[Action:Smtp].outcomes[when mode=6: HexDump]",
    "commands[+WIPFILE].forms[Action:Pop3].params[mode].type",
    "commands[+WIPFILE].forms[Action:Pop3].responses[WipDataRwSession]",
    "commands[+WIPFILE].forms[Action:Pop3].responses[WipDataRwData]",
    "commands[+WIPFILE].forms[Action:Pop3].outcomes[when mode in {7, 8}: HexDump]",
    "commands[+WIPFILE].forms[Action:Mms]",
    "commands[+WIPDATA].errors[836]",
    "commands[+WIPDATA].also_errors[836]",
    "commands[+WIPDATA].forms[Action:Map].rules[forbid send size, wait time when mode=3]",
    "commands[+WIPDATA].forms[Action:Map].responses[WipDataRwSession]",
    "commands[+WIPDATA].forms[Action:Map].urcs[WipDataRwData]",
    "commands[+WIPDATA].forms[Action:Map].urcs[WipDataRwSession]",
    "commands[+WIPDATA].forms[Action:Map].outcomes[when mode=3: HexDump]",
    "commands[+WIPDATARW]",
    "messages[WipReady].fields[mode].type",
    "messages[WipOptValue].options.tables[8]",
    "messages[WipFileHttpStatus].fields[mode].type",
    "messages[WipFileMmsSize]",
    "messages[WipDataRwSession]",
    "messages[WipDataRwSent]",
    "messages[WipDataRwData]",
    "errors[103]",
    "errors[132]",
    "errors[133]",
    "errors[134]",
    "errors[148]",
    "errors[149]",
    "errors[150]",
    "errors[853]",
    "errors[890]",
    "errors[891]",
    "errors[892]",
    "errors[893]",
    "errors[894]",
    "errors[895]",
    "errors[896]",
    "errors[897]",
    "limits[offline_block]",
    "limits[offline_tcp_buffer]",
    "limits[mms_recipients]",
    "limits[mms_recipient_list]",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load(rel: &str) -> wip_spec::Spec {
    wip_spec::load_file(&root().join(rel)).unwrap()
}

fn wip(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wip"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn paths(changes: &[Change]) -> Vec<&str> {
    changes.iter().map(|c| c.path.as_str()).collect()
}

#[test]
fn rev008_to_rev009_lists_exactly_the_documented_additions() {
    let changes = diff::diff(&load(REV008), &load(REV009));
    assert_eq!(paths(&changes), REV009_CHANGES);
    for c in &changes {
        assert_eq!(c.class, Class::Compatible, "{c:#?}");
        assert!(!c.sections.is_empty(), "{c:#?}");
    }
    // Additions, apart from values added to parameters restricted to some of a set.
    let changed: Vec<&str> = changes
        .iter()
        .filter(|c| c.kind == Kind::Changed)
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(
        changed,
        [
            "commands[+WIPFILE].forms[Action:Ftp].params[mode].type",
            "commands[+WIPFILE].forms[Action:Http].params[mode].type",
            "commands[+WIPFILE].forms[Action:Smtp].params[mode].type",
            "commands[+WIPFILE].forms[Action:Pop3].params[mode].type",
            "messages[WipReady].fields[mode].type",
            "messages[WipFileHttpStatus].fields[mode].type",
        ]
    );
    let ftp = changes
        .iter()
        .find(|c| c.path == "commands[+WIPFILE].forms[Action:Ftp].params[mode].type")
        .unwrap();
    assert_eq!(ftp.old.as_deref(), Some("enum file_mode {1, 2, 5}"));
    assert_eq!(
        ftp.new.as_deref(),
        Some("enum file_mode {1, 2, 5, 6, 7, 9}")
    );
    assert_eq!(ftp.note, "values added: 6, 7, 9");
    assert_eq!(ftp.sections, ["6.1.5"]);
}

#[test]
fn rev009_to_rev008_lists_them_as_removals_that_break() {
    let changes = diff::diff(&load(REV009), &load(REV008));
    let mut got = paths(&changes);
    let mut want = REV009_CHANGES.to_vec();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    for c in &changes {
        let expect = if c.path.contains(".rules[") {
            // Dropping the rule on the dropped mode 3 lifts a constraint.
            (Kind::Removed, Class::Compatible)
        } else if c.path == "commands[+WIPDATA].errors[836]" {
            // Rev 008's +WIPDATA answers 836 beyond its list (E59): the
            // code leaving the list is still answered.
            (Kind::Removed, Class::Compatible)
        } else if c.path == "commands[+WIPDATA].also_errors[836]" {
            (Kind::Added, Class::Compatible)
        } else if c.path.ends_with("[mode].type") {
            (Kind::Changed, Class::Breaking)
        } else {
            (Kind::Removed, Class::Breaking)
        };
        assert_eq!((c.kind, c.class), expect, "{}", c.path);
    }
    assert!(diff::has_breaking(&changes));
}

#[test]
fn a_spec_is_compatible_with_itself() {
    let s = load(REV009);
    assert!(diff::diff(&s, &s).is_empty());
}

#[test]
fn exit_codes_follow_the_classes() {
    let fwd = wip(&["diff", REV008, REV009]);
    assert_eq!(
        fwd.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fwd.stderr)
    );
    let back = wip(&["diff", REV009, REV008]);
    assert_eq!(back.status.code(), Some(1));
    let same = wip(&["diff", REV009, REV009]);
    assert_eq!(same.status.code(), Some(0));
}

#[test]
fn usage_and_input_errors_exit_2() {
    let missing = wip(&["diff", REV008, "spec/no-such-spec.ron"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-spec.ron"));
    let broken = wip(&["diff", "tests/specs/broken/syntax-error.ron", REV009]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(broken.stdout.is_empty());
    let bad_format = wip(&["diff", REV008, REV009, "--format", "yaml"]);
    assert_eq!(bad_format.status.code(), Some(2));
    let one_arg = wip(&["diff", REV008]);
    assert_eq!(one_arg.status.code(), Some(2));
}

#[test]
fn text_names_each_change_with_its_class_sections_and_texts() {
    let out = wip(&["diff", REV009, REV008]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(
        "WIPsoft 5.41 rev 009 -> WIPsoft 5.41 rev 008: 99 changes, 96 breaking, 3 compatible\n"
    ));
    assert!(text.contains(
        "\nBREAKING   changed commands[+WIPFILE].forms[Action:Ftp].params[mode].type (6.1.5): values removed: 6, 7, 9\n    old: enum file_mode {1, 2, 5, 6, 7, 9}\n    new: enum file_mode {1, 2, 5}\n"
    ));
    assert!(text.contains(
        "\nBREAKING   removed commands[+WIPCREATE].forms[Action:Mms] (5.1.2): form removed\n    old: AT+WIPCREATE=8,<index>,<server>,<peer port>,<url>\n"
    ));
    assert!(text.contains(
        "\ncompatible removed commands[+WIPDATA].forms[Action:Map].rules[forbid send size, wait time when mode=3] (6.2.7): constraint lifted\n"
    ));
    assert!(text.ends_with("The new spec breaks host applications written for the old one.\n"));
    let fwd = String::from_utf8(wip(&["diff", REV008, REV009]).stdout).unwrap();
    assert!(fwd.ends_with("The new spec is compatible with the old one.\n"));
    // One block per change.
    assert_eq!(fwd.matches("\ncompatible ").count(), 99);
}

fn json(args: &[&str]) -> Value {
    let out = wip(args);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn json_follows_the_documented_schema() {
    let v = json(&["diff", REV009, REV008, "--format", "json"]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = [
        "format",
        "version",
        "old",
        "new",
        "compatible",
        "summary",
        "changes",
    ];
    want.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, want);
    assert_eq!(v["format"], "wip-diff");
    assert_eq!(v["version"], 1);
    assert_eq!(v["old"]["revision"], "009");
    assert_eq!(v["new"]["revision"], "008");
    assert_eq!(v["old"]["name"], "WIPsoft");
    assert_eq!(v["new"]["version"], "5.41");
    assert_eq!(v["compatible"], false);
    assert_eq!(v["summary"]["total"], 99);
    assert_eq!(v["summary"]["breaking"], 96);
    assert_eq!(v["summary"]["compatible"], 3);
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 99);
    for c in changes {
        let o = c.as_object().unwrap();
        let mut k: Vec<&str> = o.keys().map(String::as_str).collect();
        k.sort_unstable();
        assert_eq!(
            k,
            ["class", "kind", "new", "note", "old", "path", "sections"]
        );
        let kind = c["kind"].as_str().unwrap();
        assert!(["added", "removed", "changed"].contains(&kind));
        assert!(["breaking", "compatible"].contains(&c["class"].as_str().unwrap()));
        // `old` is null exactly for additions, `new` exactly for removals.
        assert_eq!(c["old"].is_null(), kind == "added");
        assert_eq!(c["new"].is_null(), kind == "removed");
        assert!(c["sections"]
            .as_array()
            .unwrap()
            .iter()
            .all(Value::is_string));
    }
    let paths: Vec<&str> = changes
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    let lib = diff::diff(&load(REV009), &load(REV008));
    assert_eq!(paths, self::paths(&lib));

    let fwd = json(&["diff", "--format", "json", REV008, REV009]);
    assert_eq!(fwd["compatible"], true);
    assert_eq!(fwd["summary"]["breaking"], 0);
}

#[test]
fn output_is_deterministic() {
    let a = wip(&["diff", REV008, REV009, "--format", "json"]).stdout;
    let b = wip(&["diff", REV008, REV009, "--format", "json"]).stdout;
    assert_eq!(a, b);
    let lib = diff::json(
        &load(REV008),
        &load(REV009),
        &diff::diff(&load(REV008), &load(REV009)),
    )
    .unwrap();
    assert_eq!(String::from_utf8(a).unwrap(), lib);
}

/// The JSON blocks of docs/diff-json.md, in order.
fn doc_examples() -> Vec<Value> {
    let text = std::fs::read_to_string(root().join("docs/diff-json.md")).unwrap();
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("```json\n") {
        let body = &rest[i + 8..];
        let end = body.find("```").unwrap();
        out.push(serde_json::from_str(&body[..end]).unwrap());
        rest = &body[end + 3..];
    }
    out
}

#[test]
fn the_documented_examples_are_real_output() {
    let examples = doc_examples();
    assert_eq!(
        examples.len(),
        2,
        "docs/diff-json.md holds a report and a breaking change"
    );
    let fwd = json(&["diff", "--format", "json", REV008, REV009]);
    let report = &examples[0];
    for key in ["format", "version", "old", "new", "compatible", "summary"] {
        assert_eq!(report[key], fwd[key], "{key}");
    }
    let real = fwd["changes"].as_array().unwrap();
    let shown = report["changes"].as_array().unwrap();
    assert!(!shown.is_empty());
    for c in shown {
        assert!(real.contains(c), "not in the real output: {c}");
    }
    let back = json(&["diff", "--format", "json", REV009, REV008]);
    assert!(back["changes"].as_array().unwrap().contains(&examples[1]));
}

/// The spec at `spec` with each `(from, to)` replaced once, written to a
/// file of the temp directory named after `name`.
fn edited(spec: &str, name: &str, edits: &[(&str, &str)]) -> std::path::PathBuf {
    let mut src = std::fs::read_to_string(root().join(spec)).unwrap();
    for (from, to) in edits {
        assert_eq!(src.matches(from).count(), 1, "`{from}` must occur once");
        src = src.replacen(from, to, 1);
    }
    let path = std::env::temp_dir().join(format!("wip-diff-{}-{name}.ron", std::process::id()));
    std::fs::write(&path, src).unwrap();
    path
}

/// [`edited`] of the 27.007/27.005 spec.
fn edited_3gpp(name: &str, edits: &[(&str, &str)]) -> std::path::PathBuf {
    edited("spec/3gpp-27007-27005.ron", name, edits)
}

#[test]
fn error_table_changes_of_the_3gpp_spec_are_classed() {
    let new = edited_3gpp(
        "tables",
        &[
            (
                "            Error(code: 301, text: \"SMS service reserved\", section: \"27.005 3.2.5\"),\n",
                "",
            ),
            (
                "Error(code: 302, text: \"Operation not allowed\", section: \"27.005 3.2.5\")",
                "Error(code: 302, text: \"Operation not permitted\", section: \"27.005 3.2.5\")",
            ),
            (" verbose_by: \"AT+CMEE=2\",", ""),
        ],
    );
    let new = new.to_str().unwrap();
    let old = "spec/3gpp-27007-27005.ron";
    let out = wip(&["diff", old, new, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "a removed code breaks");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (s("path"), s("kind"), s("class"))
        })
        .collect();
    let want = [
        ("error_tables[cme].verbose_by", "removed", "breaking"),
        ("error_tables[cms].errors[301]", "removed", "breaking"),
        (
            "error_tables[cms].errors[302].text",
            "changed",
            "compatible",
        ),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(p, k, c)| (p.to_string(), k.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);

    let text = wip(&["diff", old, new]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("error_tables[cms].errors[301] (27.005 3.2.5)"),
        "{text}"
    );
    assert!(text.contains("301 SMS service reserved"), "{text}");
    // Back the other way, the code comes back as a compatible addition.
    let back = wip(&["diff", new, old]);
    assert_eq!(back.status.code(), Some(0));
    std::fs::remove_file(new).unwrap();
}

/// [`edited`] of the rev 009 spec.
fn edited_rev009(name: &str, edits: &[(&str, &str)]) -> std::path::PathBuf {
    edited(REV009, name, edits)
}

/// The path and class of the one change `wip diff` finds from `old` to
/// `new` (there must be exactly one).
fn only_change(old: &str, new: &str) -> (String, String) {
    let v = json(&["diff", old, new, "--format", "json"]);
    let changes = v["changes"].as_array().unwrap().clone();
    assert_eq!(changes.len(), 1, "{changes:?}");
    (
        changes[0]["path"].as_str().unwrap().to_string(),
        changes[0]["class"].as_str().unwrap().to_string(),
    )
}

/// What the modem sends reverses the presence rules: a field it may now
/// leave out, or a new optional one, gives lines the old spec refuses
/// (breaking); one it now always sends is compatible. A command parameter
/// keeps the host's rules.
#[test]
fn presence_of_message_fields_is_judged_from_the_hosts_side() {
    let field = "Param(name: \"index\", ty: Int(min: 1, max: 8)),\n            ]),\n        Message(id: \"WipAccept\"";
    let optional = edited_rev009(
        "urc-optional",
        &[(
            field,
            "Param(name: \"index\", ty: Int(min: 1, max: 8), optional: true),\n            ]),\n        Message(id: \"WipAccept\"",
        )],
    );
    let added = edited_rev009(
        "urc-added",
        &[(
            field,
            "Param(name: \"index\", ty: Int(min: 1, max: 8)),\n                Param(name: \"extra\", ty: Int(min: 0, max: 9), optional: true),\n            ]),\n        Message(id: \"WipAccept\"",
        )],
    );
    let class_of = |old: &str, new: &std::path::Path| only_change(old, new.to_str().unwrap());
    assert_eq!(
        class_of(REV009, &optional),
        (
            "messages[WipReady].fields[index].optional".to_string(),
            "breaking".to_string()
        )
    );
    assert_eq!(
        class_of(REV009, &added),
        (
            "messages[WipReady].fields[extra]".to_string(),
            "breaking".to_string()
        )
    );
    // Back: the modem always sends the field again, compatible.
    let v = json(&[
        "diff",
        optional.to_str().unwrap(),
        REV009,
        "--format",
        "json",
    ]);
    assert_eq!(v["changes"][0]["class"], "compatible");
}

/// The order a rule lists its parameters in means nothing.
#[test]
fn a_rule_with_its_parameters_reordered_is_no_change() {
    let swapped = edited_rev009(
        "rule-order",
        &[(
            "Together(params: [\"repeat\", \"interval\"], section: \"7.1.2\")",
            "Together(params: [\"interval\", \"repeat\"], section: \"7.1.2\")",
        )],
    );
    let out = wip(&["diff", REV009, swapped.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(": 0 changes"), "{text}");
}

/// An option whose read now always fails (`read_error`) breaks hosts that
/// read it; one that no longer fails is compatible.
#[test]
fn a_read_error_of_an_option_is_classed() {
    let without = edited_rev009(
        "no-read-error",
        &[("access: All(R), read_error: 834,", "access: All(R),")],
    );
    let class_of = only_change;
    let without = without.to_str().unwrap();
    assert_eq!(
        class_of(REV009, without),
        (
            "option_tables[http].options[54].read_error".to_string(),
            "compatible".to_string()
        )
    );
    assert_eq!(class_of(without, REV009).1, "breaking");
}

/// A payload limit raised leaves what hosts write valid, one lowered
/// refuses it; a completion that comes sooner ends hosts' waits sooner,
/// one that may come later outlasts them (tests/specs/prompt.ron and
/// completions.ron).
#[test]
fn payload_limits_and_completion_waits_are_classed_by_direction() {
    let text = |rel: &str| std::fs::read_to_string(root().join(rel)).unwrap();
    let spec = |src: &str| wip_spec::load_str(src, "spec.ron").unwrap();
    let prompt = text("tests/specs/prompt.ron");
    let lower = prompt.replace(
        "escape: 0x03, max_len: 1500)",
        "escape: 0x03, max_len: 1000)",
    );
    assert_ne!(prompt, lower);
    let one = |a: &str, b: &str| {
        let c = diff::diff(&spec(a), &spec(b));
        assert_eq!(c.len(), 1, "{c:?}");
        c.into_iter().next().unwrap()
    };
    let c = one(&prompt, &lower);
    assert_eq!(
        (c.class, c.note.as_str()),
        (Class::Breaking, "prompt or payload changed")
    );
    let c = one(&lower, &prompt);
    assert_eq!(
        (c.class, c.note.as_str()),
        (Class::Compatible, "payload limit raised")
    );
    // Another change with it still breaks.
    let other = prompt.replace(
        "escape: 0x03, max_len: 1500)",
        "escape: 0x10, max_len: 2000)",
    );
    assert_eq!(one(&prompt, &other).class, Class::Breaking);
    let completions = text("tests/specs/completions.ron");
    let sooner = completions.replacen(
        "timeout_ms: 120000, before_final: true",
        "timeout_ms: 60000, before_final: true",
        1,
    );
    assert_ne!(completions, sooner);
    let c = one(&completions, &sooner);
    assert_eq!(
        (c.class, c.note.as_str()),
        (Class::Compatible, "the completion comes sooner")
    );
    let c = one(&sooner, &completions);
    assert_eq!(c.class, Class::Breaking);
    assert!(c.path.ends_with(".completion"), "{c:?}");
}

/// The summary line counts in English: one change, two changes.
#[test]
fn the_summary_counts_one_change_in_the_singular() {
    let old = load(REV009);
    let src = std::fs::read_to_string(root().join(REV009)).unwrap();
    let at = "enabled_by: \"AT+CMEE=1\")";
    assert!(src.contains(at));
    let new =
        wip_spec::load_str(&src.replace(at, "enabled_by: \"AT+CMEE=3\")"), "new.ron").unwrap();
    let changes = diff::diff(&old, &new);
    let text = diff::text(&old, &new, &changes);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with(": 1 change, 1 breaking, 0 compatible"),
        "{text}"
    );
    let none = diff::text(&old, &old, &[]);
    assert!(
        none.lines()
            .next()
            .unwrap()
            .ends_with(": 0 changes, 0 breaking, 0 compatible"),
        "{none}"
    );
}
