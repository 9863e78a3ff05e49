//! Test-command answers (`tests/specs/test-answers.ron`): the checks that
//! refuse a misplaced `Ranges` list or test answer, `wip doc` and `wip diff`.

use wip_spec::{diff, doc, load_str};

fn source() -> String {
    let p =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/test-answers.ron");
    std::fs::read_to_string(p).unwrap()
}

/// The fixture with one replacement, checked: its diagnostics.
fn refused(from: &str, to: &str) -> String {
    let src = source();
    assert!(src.contains(from), "anchor `{from}` not in the fixture");
    match load_str(&src.replacen(from, to, 1), "t.ron") {
        Ok(_) => panic!("accepted with `{to}`"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_fixture_checks_and_lowers_its_test_answers() {
    let spec = load_str(&source(), "t.ron").unwrap();
    let d = &spec.dialect;
    let m = d
        .messages
        .iter()
        .find(|m| m.id == "XattTestAnswer")
        .unwrap();
    assert!(m.test);
    assert_eq!(m.fields[0].ty, wip_schema::Ty::Ranges);
    assert!(
        !d.messages
            .iter()
            .find(|m| m.id == "XattState")
            .unwrap()
            .test
    );
}

#[test]
fn misplaced_lists_and_test_answers_are_refused_naming_the_item() {
    // A list in a message that is no test answer.
    let e = refused(
        "Param(name: \"state\", ty: Int(min: 0, max: 1))]),\n        Message(id: \"XattChanged\"",
        "Param(name: \"state\", ty: Ranges)]),\n        Message(id: \"XattChanged\"",
    );
    assert!(e.contains("messages[XattState]"), "{e}");
    assert!(e.contains("field `state` is a `Ranges` list, which only a test-command answer holds: mark the message `test: true`"), "{e}");
    // A list as a command parameter.
    let e = refused(
        "Param(name: \"state\", ty: Int(min: 0, max: 1))]),\n                Form(kind: Read",
        "Param(name: \"state\", ty: Ranges)]),\n                Form(kind: Read",
    );
    assert!(
        e.contains("a `Ranges` list is only for the fields of a test answer"),
        "{e}"
    );
    // A test answer the read form lists.
    let e = refused(
        "responses: [\"XattState\"]",
        "responses: [\"XattState\", \"XattTestAnswer\"]",
    );
    assert!(e.contains("forms[Read]"), "{e}");
    assert!(e.contains("`XattTestAnswer` is a test-command answer (`test: true`): only the Test form lists it, not this Read form"), "{e}");
    // A test answer whose prefix no command with a Test form owns.
    let e = refused(
        "Message(id: \"XattTestAnswer\", prefix: \"+XATT\"",
        "Message(id: \"XattTestAnswer\", prefix: \"+XNONE\"",
    );
    assert!(
        e.contains("`XattTestAnswer` is a test answer of +XNONE, not of AT+XATT=?"),
        "{e}"
    );
    let e = refused(
        "Form(kind: Test, name: \"Test\", section: \"1.3\", responses: [\"XattTestAnswer\"]),",
        "",
    );
    assert!(e.contains("messages[XattTestAnswer]"), "{e}");
    assert!(
        e.contains("command +XATT has no Test form to answer it"),
        "{e}"
    );
    // A test answer that would come unsolicited.
    let e = refused(
        "Message(id: \"XattTestAnswer\", prefix: \"+XATT\", kind: Info",
        "Message(id: \"XattTestAnswer\", prefix: \"+XATT\", kind: Both",
    );
    assert!(e.contains("its kind is Info, not Both"), "{e}");
    // Its lists are kept apart from the read answer and the URC: no
    // ambiguity is reported for the one-field shapes of +XATT.
    assert!(load_str(&source(), "t.ron").is_ok());
}

#[test]
fn the_reference_names_test_answers() {
    let spec = load_str(&source(), "t.ron").unwrap();
    let md = doc::render(&spec);
    assert!(
        md.contains("### XattTestAnswer (test-command answer, "),
        "{md}"
    );
    assert!(md.contains("| test answer |"), "{md}");
    assert!(
        md.contains("list of integers and ranges in parentheses, e.g. `(0-31,99)`"),
        "{md}"
    );
}

#[test]
fn the_diff_reports_added_and_removed_test_answers() {
    let src = source();
    let old = load_str(&src, "old.ron").unwrap();
    let start = src.find("        Message(id: \"XwrTestAnswer\"").unwrap();
    let end = start + src[start..].find("            ]),\n").unwrap() + "            ]),\n".len();
    let mut changed = src.clone();
    changed.replace_range(start..end, "");
    let changed = changed.replacen(", responses: [\"XwrTestAnswer\"]", "", 1);
    let new = load_str(&changed, "new.ron").unwrap_or_else(|e| panic!("{e}"));
    let changes = diff::diff(&old, &new);
    let text = diff::text(&old, &new, &changes);
    assert!(
        text.contains("BREAKING   removed messages[XwrTestAnswer]"),
        "{text}"
    );
    assert!(
        text.contains("test answer: +XWR: <socket>,<length>[,<syntax>]"),
        "{text}"
    );
    assert!(diff::has_breaking(&changes), "{text}");
    // The other way: a test answer added is compatible.
    let changes = diff::diff(&new, &old);
    let text = diff::text(&new, &old, &changes);
    assert!(
        text.contains(
            "compatible added   commands[+XWR].forms[Test:Test].responses[XwrTestAnswer]"
        ),
        "{text}"
    );
    assert!(!diff::has_breaking(&changes), "{text}");
    assert!(diff::diff(&old, &old).is_empty());
}
