//! A parameter kept as an empty field when left out (`keep_empty`): the
//! engine writes its comma (SIM7600 17.2.14 `AT+CIPSEND=<link_num>,[<length>]`
//! is sent `AT+CIPSEND=0,`), `wip doc` shows it, `wip diff` names a change
//! of it, and the check refuses it where it means nothing.

use wip_spec::{diff, doc, load_str};

const SPEC: &str = r#"Spec(
    name: "KeepEmpty", version: "1.0", revision: "1", source: "test fixture", command_prefix: "+X",
    commands: [
        Command(
            name: "+XSEND", title: "Send data", section: "2", timeout_ms: 1000,
            forms: [
                Form(kind: Action, name: "Counted", section: "2.1",
                    select: [Select(param: "length", given: true)],
                    params: [
                        Param(name: "link", ty: Int(min: 0, max: 9)),
                        Param(name: "length", ty: Int(min: 1, max: 1500), optional: true),
                    ]),
                Form(kind: Action, name: "Variable", section: "2.2",
                    select: [Select(param: "length", given: false)],
                    params: [
                        Param(name: "link", ty: Int(min: 0, max: 9)),
                        Param(name: "length", ty: Int(min: 1, max: 1500), optional: true, keep_empty: true),
                    ]),
            ],
        ),
        Command(
            name: "+XCFG", title: "Configure", section: "3", timeout_ms: 1000,
            forms: [
                Form(kind: Action, name: "Set", section: "3.1",
                    params: [
                        Param(name: "mode", ty: Int(min: 0, max: 9)),
                        Param(name: "ttl", ty: Int(min: 0, max: 255), optional: true, keep_empty: true),
                        Param(name: "name", ty: Str(max_len: 8), optional: true),
                    ]),
            ],
        ),
    ],
)"#;

fn round_trip(d: &wip_schema::Dialect, line: &str) -> String {
    let p = wip_schema::parse_command(d, line).unwrap();
    wip_schema::format_command(d, p.command, p.form, &p.values)
}

#[test]
fn a_parameter_kept_empty_keeps_its_comma_and_the_others_are_cut() {
    let spec = load_str(SPEC, "keep.ron").unwrap();
    let d = &spec.dialect;
    assert_eq!(round_trip(d, "AT+XSEND=0,"), "AT+XSEND=0,");
    // The line without the comma is the same form, sent as the manual writes it.
    assert_eq!(round_trip(d, "AT+XSEND=0"), "AT+XSEND=0,");
    assert_eq!(round_trip(d, "AT+XSEND=0,5"), "AT+XSEND=0,5");
    // Only up to the parameter kept empty: the one after it is cut.
    assert_eq!(round_trip(d, "AT+XCFG=1"), "AT+XCFG=1,");
    assert_eq!(round_trip(d, "AT+XCFG=1,,"), "AT+XCFG=1,");
    assert_eq!(round_trip(d, "AT+XCFG=1,,\"ab\""), "AT+XCFG=1,,\"ab\"");
}

#[test]
fn the_reference_writes_the_comma_of_a_parameter_kept_empty() {
    let spec = load_str(SPEC, "keep.ron").unwrap();
    let md = doc::render(&spec);
    assert!(md.contains("`AT+XSEND=<link>,`: **Variable**"), "{md}");
    assert!(
        md.contains("`AT+XSEND=<link>,<length>`: **Counted**"),
        "{md}"
    );
    assert!(
        // `<name>` may be given without `<ttl>` (`AT+XCFG=1,,"ab"`): a
        // bracket of its own.
        md.contains("`AT+XCFG=<mode>,[<ttl>][,<name>]`: **Set**"),
        "{md}"
    );
}

#[test]
fn the_diff_names_a_parameter_no_longer_kept_empty() {
    let old = load_str(SPEC, "old.ron").unwrap();
    let changed = SPEC.replacen(
        "optional: true, keep_empty: true),\n                    ]),\n            ],",
        "optional: true),\n                    ]),\n            ],",
        1,
    );
    assert_ne!(changed, SPEC);
    let new = load_str(&changed, "new.ron").unwrap();
    let changes = diff::diff(&old, &new);
    let text = diff::text(&old, &new, &changes);
    assert!(text.contains("params[length].keep_empty"), "{text}");
    assert!(
        text.contains("left out, no longer written as an empty field"),
        "{text}"
    );
    assert!(!diff::has_breaking(&changes), "{text}");
}

#[test]
fn keep_empty_on_a_mandatory_parameter_is_refused() {
    let bad = SPEC.replacen(
        "Param(name: \"mode\", ty: Int(min: 0, max: 9)),",
        "Param(name: \"mode\", ty: Int(min: 0, max: 9), keep_empty: true),",
        1,
    );
    let err = load_str(&bad, "bad.ron").unwrap_err().to_string();
    assert!(err.contains("keep_empty"), "{err}");
    assert!(err.contains("`mode`"), "{err}");
}
