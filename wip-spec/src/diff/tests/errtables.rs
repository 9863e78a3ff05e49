//! Rules on named error tables and the tables commands name.

use super::*;

const TABLES: &str = r#"
Spec(
    name: "Tables", version: "1.0", revision: "1", source: "test",
    commands: [
        Command(name: "+XSEND", title: "Send", section: "1", timeout_ms: 1000,
            errors_table: "xms", errors: [300, 301],
            forms: [Form(kind: Action, name: "Send", section: "1.1",
                params: [Param(name: "n", ty: Int(min: 0, max: 9))])]),
        Command(name: "+XREAD", title: "Read", section: "2", timeout_ms: 1000, errors: [10],
            forms: [Form(kind: Action, name: "Read", section: "2.1",
                params: [Param(name: "n", ty: Int(min: 0, max: 9))])]),
    ],
    error_tables: [
        ErrorTable(id: "cme", line: "+CME ERROR: <code>", enabled_by: "AT+CMEE=1", section: "9", errors: [
            Error(code: 10, text: "SIM not inserted", section: "9.2"),
            Error(code: 11, text: "SIM PIN required", section: "9.2"),
        ]),
        ErrorTable(id: "xms", line: "+XMS ERROR: <code>", enabled_by: "AT+XMEE=1", section: "7", errors: [
            Error(code: 300, text: "ME failure", section: "7.1"),
            Error(code: 301, text: "SMS service reserved", section: "7.1"),
            Error(code: 302, text: "operation not allowed", section: "7.2"),
        ], reserved: [ReservedErrors(from: 0, to: 127, section: "7.3")]),
        ErrorTable(id: "sock", section: "8", errors: [
            Error(code: 1, text: "closed", section: "8.1"),
        ]),
    ],
)
"#;

/// The changes from TABLES to TABLES with each `(from, to)` replaced once.
fn edit_tables(edits: &[(&str, &str)]) -> Vec<Change> {
    let mut src = TABLES.to_string();
    for (from, to) in edits {
        assert_eq!(
            src.matches(from).count(),
            1,
            "edit target `{from}` must occur once"
        );
        src = src.replacen(from, to, 1);
    }
    let changes = diff(&load(TABLES), &load(&src));
    // The reverse edit is listed at the same paths.
    let back = diff(&load(&src), &load(TABLES));
    let sorted = |c: &[Change]| {
        let mut p: Vec<String> = c.iter().map(|c| c.path.clone()).collect();
        p.sort();
        p
    };
    assert_eq!(sorted(&changes), sorted(&back));
    changes
}

fn summary(c: &Change) -> (Kind, Class, Option<&str>, Option<&str>) {
    (c.kind, c.class, c.old.as_deref(), c.new.as_deref())
}

#[test]
fn identical_tables_have_no_change() {
    assert!(diff(&load(TABLES), &load(TABLES)).is_empty());
}

#[test]
fn removed_table_breaks_added_table_is_compatible() {
    let added = edit_tables(&[(
        "    ],\n)",
        "        ErrorTable(id: \"ext\", line: \"+EXT ERROR: <code>\", section: \"10\", errors: [\n\
         \x20           Error(code: 5, text: \"busy\", section: \"10.1\"),\n        ]),\n    ],\n)",
    )]);
    assert_eq!(paths(&added), vec!["error_tables[ext]"]);
    let ch = only(&added, "error_tables[ext]");
    assert_eq!(
        summary(ch),
        (
            Kind::Added,
            Class::Compatible,
            None,
            Some("ext (+EXT ERROR: <code>): 1 code")
        )
    );
    assert_eq!(ch.sections, vec!["10"]);

    let removed = diff(
        &load(&TABLES.replace(
            "        ErrorTable(id: \"sock\", section: \"8\", errors: [\n            Error(code: 1, text: \"closed\", section: \"8.1\"),\n        ]),\n",
            "",
        )),
        &load(TABLES),
    );
    // Seen the other way: TABLES has the table the edited spec lacks.
    let ch = only(&removed, "error_tables[sock]");
    assert_eq!(
        summary(ch),
        (Kind::Added, Class::Compatible, None, Some("sock: 1 code"))
    );
    let gone = diff(
        &load(TABLES),
        &load(&TABLES.replace(
            "        ErrorTable(id: \"sock\", section: \"8\", errors: [\n            Error(code: 1, text: \"closed\", section: \"8.1\"),\n        ]),\n",
            "",
        )),
    );
    assert_eq!(paths(&gone), vec!["error_tables[sock]"]);
    assert_eq!(
        summary(only(&gone, "error_tables[sock]")),
        (Kind::Removed, Class::Breaking, Some("sock: 1 code"), None)
    );
    assert!(has_breaking(&gone));
}

#[test]
fn table_codes_added_removed_and_renamed() {
    let ch = edit_tables(&[
        (
            "Error(code: 302, text: \"operation not allowed\", section: \"7.2\"),",
            "Error(code: 302, text: \"Operation not allowed\", section: \"7.2\"),\n\
             \x20           Error(code: 303, text: \"operation not supported\", section: \"7.2\"),",
        ),
        (
            "            Error(code: 301, text: \"SMS service reserved\", section: \"7.1\"),\n",
            "",
        ),
        ("errors: [300, 301]", "errors: [300]"),
    ]);
    assert_eq!(
        paths(&ch),
        vec![
            "commands[+XSEND].errors[301]",
            "error_tables[xms].errors[301]",
            "error_tables[xms].errors[302].text",
            "error_tables[xms].errors[303]",
        ]
    );
    // A command's listed code is named with its own table's text.
    assert_eq!(
        summary(only(&ch, "commands[+XSEND].errors[301]")),
        (
            Kind::Removed,
            Class::Compatible,
            Some("301 SMS service reserved"),
            None
        )
    );
    let removed = only(&ch, "error_tables[xms].errors[301]");
    assert_eq!(
        summary(removed),
        (
            Kind::Removed,
            Class::Breaking,
            Some("301 SMS service reserved"),
            None
        )
    );
    assert_eq!(removed.sections, vec!["7.1"]);
    assert_eq!(
        summary(only(&ch, "error_tables[xms].errors[302].text")),
        (
            Kind::Changed,
            Class::Compatible,
            Some("operation not allowed"),
            Some("Operation not allowed")
        )
    );
    assert_eq!(
        summary(only(&ch, "error_tables[xms].errors[303]")),
        (
            Kind::Added,
            Class::Compatible,
            None,
            Some("303 operation not supported")
        )
    );
}

#[test]
fn cme_codes_are_listed_once_as_the_specs_errors() {
    let ch = edit_tables(&[(
        "Error(code: 11, text: \"SIM PIN required\", section: \"9.2\"),",
        "Error(code: 11, text: \"SIM PIN required\", section: \"9.2\"),\n\
         \x20           Error(code: 12, text: \"SIM PUK required\", section: \"9.2\"),",
    )]);
    assert_eq!(paths(&ch), vec!["errors[12]"]);
    assert_eq!(only(&ch, "errors[12]").class, Class::Compatible);
}

#[test]
fn line_and_enabling_changes_break() {
    let ch = edit_tables(&[
        ("line: \"+XMS ERROR: <code>\"", "line: \"+XMS ERR: <code>\""),
        ("enabled_by: \"AT+XMEE=1\"", "enabled_by: \"AT+XMEE=2\""),
    ]);
    assert_eq!(
        paths(&ch),
        vec!["error_tables[xms].line", "error_tables[xms].enabled_by"]
    );
    assert_eq!(
        summary(only(&ch, "error_tables[xms].line")),
        (
            Kind::Changed,
            Class::Breaking,
            Some("+XMS ERROR: <code>"),
            Some("+XMS ERR: <code>")
        )
    );
    assert_eq!(
        summary(only(&ch, "error_tables[xms].enabled_by")),
        (
            Kind::Changed,
            Class::Breaking,
            Some("AT+XMEE=1"),
            Some("AT+XMEE=2")
        )
    );

    // A line the host must turn on first is compatible; one sent unasked is not.
    let asked = edit_tables(&[(
        "ErrorTable(id: \"sock\", section: \"8\",",
        "ErrorTable(id: \"sock\", line: \"+SOCK ERROR: <code>\", enabled_by: \"AT+XSEE=1\", section: \"8\",",
    )]);
    assert_eq!(
        summary(only(&asked, "error_tables[sock].line")),
        (
            Kind::Added,
            Class::Compatible,
            None,
            Some("+SOCK ERROR: <code>")
        )
    );
    assert_eq!(
        only(&asked, "error_tables[sock].enabled_by").class,
        Class::Breaking
    );
    let unasked = edit_tables(&[(
        "ErrorTable(id: \"sock\", section: \"8\",",
        "ErrorTable(id: \"sock\", line: \"+SOCK ERROR: <code>\", section: \"8\",",
    )]);
    assert_eq!(paths(&unasked), vec!["error_tables[sock].line"]);
    assert_eq!(
        summary(only(&unasked, "error_tables[sock].line")),
        (
            Kind::Added,
            Class::Breaking,
            None,
            Some("+SOCK ERROR: <code>")
        )
    );
}

#[test]
fn verbose_texts_gained_are_compatible_lost_break() {
    let ch = edit_tables(&[(
        "enabled_by: \"AT+CMEE=1\",",
        "enabled_by: \"AT+CMEE=1\", verbose_by: \"AT+CMEE=2\",",
    )]);
    assert_eq!(paths(&ch), vec!["error_tables[cme].verbose_by"]);
    assert_eq!(
        summary(only(&ch, "error_tables[cme].verbose_by")),
        (Kind::Added, Class::Compatible, None, Some("AT+CMEE=2"))
    );
    let with = TABLES.replace(
        "enabled_by: \"AT+CMEE=1\",",
        "enabled_by: \"AT+CMEE=1\", verbose_by: \"AT+CMEE=2\",",
    );
    let lost = diff(&load(&with), &load(TABLES));
    assert_eq!(
        summary(only(&lost, "error_tables[cme].verbose_by")),
        (Kind::Removed, Class::Breaking, Some("AT+CMEE=2"), None)
    );
    assert_eq!(
        only(&lost, "error_tables[cme].verbose_by").note,
        "texts no longer reported"
    );
}

#[test]
fn reserved_ranges_of_a_table_are_reported_as_compatible() {
    let ch = edit_tables(&[(
        "ReservedErrors(from: 0, to: 127, section: \"7.3\")",
        "ReservedErrors(from: 0, to: 255, section: \"7.3\")",
    )]);
    assert_eq!(
        paths(&ch),
        vec![
            "error_tables[xms].reserved[0-127]",
            "error_tables[xms].reserved[0-255]"
        ]
    );
    assert_eq!(
        summary(only(&ch, "error_tables[xms].reserved[0-127]")),
        (Kind::Removed, Class::Compatible, Some("0-127"), None)
    );
    assert_eq!(
        summary(only(&ch, "error_tables[xms].reserved[0-255]")),
        (Kind::Added, Class::Compatible, None, Some("0-255"))
    );
    assert!(!has_breaking(&ch));
}

#[test]
fn a_commands_error_table_and_completeness() {
    let moved = edit_tables(&[(
        "timeout_ms: 1000, errors: [10],",
        "timeout_ms: 1000, errors_table: \"sock\", errors: [1],",
    )]);
    assert_eq!(
        paths(&moved),
        vec![
            "commands[+XREAD].errors_table",
            "commands[+XREAD].errors[10]",
            "commands[+XREAD].errors[1]",
        ]
    );
    assert_eq!(
        summary(only(&moved, "commands[+XREAD].errors_table")),
        (Kind::Changed, Class::Breaking, Some("-"), Some("sock"))
    );
    assert_eq!(
        summary(only(&moved, "commands[+XREAD].errors[10]")),
        (
            Kind::Removed,
            Class::Compatible,
            Some("10 SIM not inserted"),
            None
        )
    );
    assert_eq!(
        summary(only(&moved, "commands[+XREAD].errors[1]")),
        (Kind::Added, Class::Compatible, None, Some("1 closed"))
    );

    let complete = TABLES.replace(
        "errors: [300, 301],",
        "errors: [300, 301], errors_complete: true,",
    );
    let made = diff(&load(TABLES), &load(&complete));
    assert_eq!(paths(&made), vec!["commands[+XSEND].errors_complete"]);
    assert_eq!(
        summary(only(&made, "commands[+XSEND].errors_complete")),
        (Kind::Changed, Class::Breaking, Some("false"), Some("true"))
    );
    let lifted = diff(&load(&complete), &load(TABLES));
    assert_eq!(
        summary(only(&lifted, "commands[+XSEND].errors_complete")),
        (
            Kind::Changed,
            Class::Compatible,
            Some("true"),
            Some("false")
        )
    );
    // A code taken out of a complete list breaks, as any listed code does.
    let narrowed = diff(
        &load(&complete),
        &load(&complete.replace("errors: [300, 301],", "errors: [300],")),
    );
    assert_eq!(
        summary(only(&narrowed, "commands[+XSEND].errors[301]")),
        (
            Kind::Removed,
            Class::Breaking,
            Some("301 SMS service reserved"),
            None
        )
    );
}

/// A message whose field is an error code of a table (`Code`).
const CODED: &str = r#"
Spec(
    name: "Coded", version: "1.0", revision: "1", source: "test",
    commands: [],
    messages: [
        Message(id: "XOpen", prefix: "+XOPEN", kind: Urc, section: "1",
            fields: [Param(name: "link", ty: Int(min: 0, max: 9)), Param(name: "err", ty: Code(table: "sock"))]),
    ],
    error_tables: [
        ErrorTable(id: "cme", line: "+CME ERROR: <code>", section: "9", errors: [
            Error(code: 10, text: "SIM not inserted", section: "9.2"),
        ]),
        ErrorTable(id: "sock", section: "8", errors: [
            Error(code: 1, text: "closed", section: "8.1"),
        ]),
    ],
)
"#;

#[test]
fn an_error_code_field_changes_with_its_table_and_its_success_value() {
    // The same field is no change (it was once "type changed").
    assert!(diff(&load(CODED), &load(CODED)).is_empty());
    let field = "messages[XOpen].fields[err].type";
    let with_success = CODED.replace("Code(table: \"sock\")", "Code(table: \"sock\", success: 0)");
    let added = diff(&load(CODED), &load(&with_success));
    assert_eq!(paths(&added), vec![field]);
    let ch = only(&added, field);
    assert_eq!(ch.class, Class::Compatible);
    assert!(ch.note.contains("success value 0 added"), "{ch:?}");
    // The texts tell the two apart.
    assert_eq!(
        (ch.old.as_deref(), ch.new.as_deref()),
        (Some("error code of sock"), Some("error code of sock, or 0"))
    );
    let removed = diff(&load(&with_success), &load(CODED));
    assert_eq!(only(&removed, field).class, Class::Breaking);
    let other = CODED.replace("Code(table: \"sock\")", "Code(table: \"cme\")");
    let changed = diff(&load(CODED), &load(&other));
    let ch = only(&changed, field);
    assert_eq!(ch.class, Class::Breaking);
    assert!(
        ch.note.contains("error table changed from sock to cme"),
        "{ch:?}"
    );
}

/// A spec that writes its codes as `errors` and `error_report` (rev 009)
/// has its table `cme` compared as one written `error_tables[cme]`: its
/// line and `enabled_by`.
#[test]
fn an_error_report_changes_as_the_cme_table() {
    let rev009 = crate::DEFAULT_SPEC;
    let old = crate::load_str(rev009, "old.ron").unwrap();
    let at = "enabled_by: \"AT+CMEE=1\")";
    assert!(rev009.contains(at));
    let other =
        crate::load_str(&rev009.replace(at, "enabled_by: \"AT+CMEE=3\")"), "new.ron").unwrap();
    let c = diff(&old, &other);
    let ch = only(&c, "error_tables[cme].enabled_by");
    assert_eq!(ch.class, Class::Breaking);
    assert_eq!(c.len(), 1, "{c:?}");
    let line = crate::load_str(
        &rev009.replace("line: \"+CME ERROR: <code>\"", "line: \"+CME ERR: <code>\""),
        "new.ron",
    )
    .unwrap();
    assert_eq!(
        only(&diff(&old, &line), "error_tables[cme].line").class,
        Class::Breaking
    );
    assert!(diff(&old, &old).is_empty());
}
