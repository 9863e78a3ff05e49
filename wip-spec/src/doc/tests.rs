//! Command lines, escaping and anchors on small specs.

use super::md::{prose, section_key, slug};
use super::render;
use super::syntax::{form_line, message_line, ty_short};
use crate::Spec;

const MINI: &str = r#"
Spec(
    name: "Mini", version: "1.0", revision: "1", source: "test <fixture>",
    value_sets: [
        ValueSet(id: "proto", section: "1", values: [
            Value(value: 1, name: "UDP"),
            Value(value: 2, name: "TCP"),
        ]),
    ],
    option_tables: [
        OptionTable(id: "sock", title: "socket options", section: "2", options: [
            Opt(id: 0, name: "PORT", access: PerKey({1: R, 2: RW}),
                values: [Param(name: "value", ty: Int(min: 0, max: 65535))]),
            Opt(id: 1, name: "DONE", access: PerKey({1: W, 2: W}), values: []),
        ]),
    ],
    commands: [
        Command(name: "+XCFG", title: "Config", section: "3", timeout_ms: 1500, errors: [800],
            forms: [
                Form(kind: Action, name: "Set", section: "3.1",
                    select: [Select(param: "mode", values: [2])],
                    params: [
                        Param(name: "mode", ty: Int(min: 0, max: 4)),
                        Param(name: "port", ty: Int(min: 1, max: 9), optional: true),
                        Param(name: "host", ty: Host()),
                        Param(name: "user", ty: Str(), optional: true),
                        Param(name: "pass", ty: Str(), optional: true),
                        Param(name: "ttl", ty: Int(min: 0, max: 255), optional: true),
                    ],
                    rest: Rest(name: "header", ty: Str(), group: 2),
                    rules: [Together(params: ["user", "pass"], section: "3.1")]),
                Form(kind: Action, name: "Opt", section: "3.2",
                    select: [Select(param: "mode", values: [3, 4])],
                    params: [
                        Param(name: "mode", ty: Int(min: 0, max: 4)),
                        Param(name: "proto", ty: Enum(set: "proto")),
                        Param(name: "opt", ty: Int(min: 0, max: 255)),
                    ],
                    options: OptionBinding(id_param: "opt", key_param: "proto", access: W, tables: [TableRef(keys: [1, 2], table: "sock")])),
                Form(kind: Read, name: "Read", section: "3.3", responses: ["XState"]),
                Form(kind: Test, name: "Test", section: "3.3"),
                Form(kind: Execute, name: "Run", section: "3.3"),
            ]),
    ],
    messages: [
        Message(id: "XState", kind: Info, section: "3.4",
            fields: [
                Param(name: "proto", ty: Enum(set: "proto", only: [2])),
                Param(name: "state", ty: Int(min: 0, max: 1)),
            ]),
    ],
    errors: [Error(code: 800, text: "invalid <option>", section: "4")],
    errata: [Erratum(id: "E01", sections: ["3.1"], items: ["+XCFG"], issue: "a < b", decision: "use <port>")],
)
"#;

fn mini() -> Spec {
    match crate::load_str(MINI, "mini.ron") {
        Ok(s) => s,
        Err(d) => panic!("{d}"),
    }
}

fn line(spec: &Spec, form: &str) -> String {
    let d = &spec.dialect;
    let cmd = &d.commands[0];
    let f = cmd.forms.iter().find(|f| f.name == form).unwrap();
    form_line(d, cmd, f)
}

#[test]
fn optional_parameters_nest_and_together_ones_share_a_bracket() {
    let s = mini();
    // `<ttl>` may be given without `<user>` and `<pass>`: a bracket of its
    // own; the repeated group follows the parameter before it.
    assert_eq!(
        line(&s, "Set"),
        "AT+XCFG=2,[<port>],<host>[,<user>,<pass>][,<ttl>[,<header>[,...]]]"
    );
}

#[test]
fn a_parameter_given_only_with_the_one_before_nests_in_its_bracket() {
    let src = MINI.replace(
        "Together(params: [\"user\", \"pass\"]",
        "Forbid(when: [Select(param: \"pass\", given: false)], params: [\"ttl\"], section: \"3.1\"), Together(params: [\"user\", \"pass\"]",
    );
    assert_ne!(src, MINI, "the fixture has the Together rule");
    let s = match crate::load_str(&src, "mini.ron") {
        Ok(s) => s,
        Err(d) => panic!("{d}"),
    };
    assert_eq!(
        line(&s, "Set"),
        "AT+XCFG=2,[<port>],<host>[,<user>,<pass>[,<ttl>[,<header>[,...]]]]"
    );
}

#[test]
fn several_selected_values_stay_a_parameter_and_option_values_may_be_empty() {
    let s = mini();
    // Option DONE takes no value, so the value is optional.
    assert_eq!(line(&s, "Opt"), "AT+XCFG=<mode>,<proto>,<opt>[,<value>]");
}

#[test]
fn read_test_and_execute_forms() {
    let s = mini();
    assert_eq!(line(&s, "Read"), "AT+XCFG?");
    assert_eq!(line(&s, "Test"), "AT+XCFG=?");
    assert_eq!(line(&s, "Run"), "AT+XCFG");
}

#[test]
fn a_message_without_prefix_is_its_fields() {
    let s = mini().dialect;
    assert_eq!(message_line(&s, &s.messages[0]), "<proto>,<state>");
}

#[test]
fn short_types_list_values_only_when_restricted() {
    let s = mini().dialect;
    let f = &s.commands[0].forms[1];
    assert_eq!(ty_short(&s, &f.params[1].ty), "enum proto");
    assert_eq!(ty_short(&s, &s.messages[0].fields[0].ty), "enum proto {2}");
    assert_eq!(ty_short(&s, &f.params[2].ty), "integer 0-255");
}

#[test]
fn prose_turns_parameters_into_code_and_escapes_the_rest() {
    assert_eq!(prose("set <opt num> to 1"), "set `<opt num>` to 1");
    assert_eq!(prose("ends with <CR><LF>."), "ends with `<CR><LF>`.");
    assert_eq!(prose("<a>,<b>"), "`<a>`,`<b>`");
    assert_eq!(prose("a < b and c > d"), "a &lt; b and c &gt; d");
    assert_eq!(prose("unclosed <x"), "unclosed &lt;x");
    assert_eq!(prose("no tags"), "no tags");
    // Code spans the spec writes are kept: nothing inside is escaped.
    assert_eq!(prose("the `>` prompt, a > b"), "the `>` prompt, a &gt; b");
    assert_eq!(prose("``a`<b>`` then <c>"), "``a`<b>`` then `<c>`");
}

#[test]
fn slugs_and_section_keys() {
    assert_eq!(slug("cmd-", "+WIPCFG"), "cmd-wipcfg");
    assert_eq!(slug("set-", "stack_mode"), "set-stack-mode");
    assert_eq!(slug("", "E01"), "e01");
    assert!(section_key("10.1") > section_key("9.17"));
    assert!(section_key("4.1.3") < section_key("4.2"));
}

#[test]
fn the_reference_of_a_small_spec() {
    let doc = render(&mini());
    assert!(doc.starts_with("<!-- @generated by wip-codegen from Mini 1.0 rev 1;"));
    assert!(
        doc.ends_with("Decision: use `<port>`\n"),
        "one newline at the end"
    );
    assert!(doc.contains("Generated from the spec of test `<fixture>`."));
    assert!(doc.contains("Timeout: 1500 ms\n"));
    assert!(doc.contains("| Num | Name | Values | Default | UDP | TCP | Meaning |"));
    assert!(doc.contains("| 0 | PORT | `<value>` integer 0-65535 |  | R | RW |"));
    assert!(doc.contains("| 1 | DONE | no value |  | W | W |"));
    assert!(doc.contains("  - `<user>` and `<pass>` are given together or not at all (§3.1)"));
    assert!(doc.contains("| 800 | invalid `<option>` |"));
    assert!(doc.contains("- [E01](#e01): use `<port>`"));
    assert!(doc.contains("**E01** (§3.1; +XCFG). a &lt; b"));
    assert_eq!(doc, render(&mini()));
}

/// The codes a command answers beyond its list follow the list, and stand
/// alone where its section lists none.
#[test]
fn codes_beyond_a_list_follow_it() {
    let load = |errors: &str| {
        let src = MINI
            .replace(
                "timeout_ms: 1500, errors: [800],",
                &format!("timeout_ms: 1500, {errors} errors_complete: true, also_errors: [801],"),
            )
            .replace(
                "errors: [Error(code: 800, text: \"invalid <option>\", section: \"4\")],",
                "errors: [Error(code: 800, text: \"invalid <option>\", section: \"4\"), Error(code: 801, text: \"bad value\", section: \"4\")],",
            );
        match crate::load_str(&src, "mini.ron") {
            Ok(s) => render(&s),
            Err(d) => panic!("{d}"),
        }
    };
    let listed = load("errors: [800],");
    assert!(
        listed.contains("| 800 | invalid `<option>` |\n\nBeyond this list it may answer 801 ("),
        "{listed}"
    );
    let none = load("");
    assert!(
        none.contains(
            "**Errors**, complete: its section lists none.\n\nBeyond this list it may answer 801 ("
        ),
        "{none}"
    );
}

#[test]
fn the_error_table_quotes_the_spec_s_error_report() {
    // Without `error_report`, the table names no format.
    let neutral = render(&mini());
    assert!(
        neutral.contains("**Errors**\n\n| Code | Meaning |"),
        "{neutral}"
    );
    assert!(!neutral.contains("CME"));
    let with = |report: &str| {
        let src = MINI.replace(
            "    errors: [",
            &format!("    error_report: {report},\n    errors: ["),
        );
        crate::load_str(&src, "mini.ron")
    };
    let spec = with(r##"ErrorReport(line: "#ERR <code>", enabled_by: "AT#ERRS=1")"##).unwrap();
    assert!(render(&spec).contains("**Errors**: `#ERR <code>` after `AT#ERRS=1`\n\n"));
    let spec = with(r##"ErrorReport(line: "#ERR <code>")"##).unwrap();
    assert!(render(&spec).contains("**Errors**: `#ERR <code>`\n\n"));
    let bad = with(r##"ErrorReport(line: "#ERR", enabled_by: " ")"##).unwrap_err();
    let text = bad.to_string();
    assert!(
        text.contains("error_report.line: `#ERR` must show `<code>` once"),
        "{text}"
    );
    assert!(
        text.contains("error_report.enabled_by: `enabled_by` must not be blank"),
        "{text}"
    );
}

#[test]
fn foreign_commands_are_named_under_the_title() {
    assert!(!render(&mini()).contains("Commands of another manual"));
    let src = MINI.replacen("source:", r#"foreign_commands: ["+XS"], source:"#, 1);
    let s = crate::load_str(&src, "mini.ron").unwrap();
    assert!(render(&s).contains("Commands of another manual, passed unchecked: `AT+XS`."));
}

#[test]
fn a_prefix_list_is_named_under_the_title() {
    assert!(!render(&mini()).contains("Command lines checked"));
    let src = MINI.replacen("source:", r#"command_prefixes: ["+X", "+Y"], source:"#, 1);
    let s = crate::load_str(&src, "mini.ron").unwrap();
    assert!(render(&s).contains(
        "Command lines checked: the commands below and any other starting with `+X`, `+Y`; others pass unchecked."
    ));
}
