//! Commands of another manual that a spec's prefix would own
//! (`foreign_commands`: WIPsoft's `+WIPS`, which the note of 4.1.3 leaves
//! to the Firmware manual): the dialect does not own them, and the check
//! refuses an empty, repeated or defined one.

use wip_spec::load_str;

const SPEC: &str = r#"Spec(
    name: "Foreign", version: "1.0", revision: "1", source: "test fixture", command_prefix: "+X",
    foreign_commands: FOREIGN,
    commands: [
        Command(
            name: "+XCFG", title: "Configure", section: "3", timeout_ms: 1000,
            forms: [Form(kind: Action, name: "Set", section: "3.1", params: [Param(name: "v", ty: Int(min: 0, max: 9))])],
        ),
    ],
    messages: [],
    errors: [],
)"#;

fn spec(foreign: &str) -> String {
    SPEC.replacen("FOREIGN", foreign, 1)
}

#[test]
fn a_foreign_command_is_not_owned() {
    let s = load_str(&spec(r#"["+XS"]"#), "f.ron").unwrap();
    let d = &s.dialect;
    assert!(!d.owns("+XS") && !d.owns("+xs"));
    assert!(d.owns("+XCFG") && d.owns("+XOTHER"));
    assert_eq!(d.foreign_commands.len(), 1);
}

#[test]
fn an_empty_repeated_or_defined_foreign_command_is_refused() {
    for (list, says) in [
        (r#"[" "]"#, "a foreign command's name must not be empty"),
        (
            r#"["+XS", "+xs"]"#,
            "foreign command \"+xs\" is listed twice",
        ),
        (r#"["+XCFG"]"#, "\"+XCFG\" is a command the spec defines"),
    ] {
        let e = load_str(&spec(list), "f.ron").unwrap_err();
        let text = e.to_string();
        assert!(text.contains(says), "{list}: {text}");
    }
}
