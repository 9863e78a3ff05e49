//! `wip doc` and `wip diff` on value sets of strings and string
//! discriminators (`tests/specs/strings.ron`).

use wip_spec::{diff, doc, load_str};

fn source() -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/strings.ron");
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn the_reference_shows_the_strings_quoted() {
    let spec = load_str(&source(), "strings.ron").unwrap();
    let md = doc::render(&spec);
    assert!(
        md.contains("`AT+XOPEN=<link>,\"UDP\",<local_port>`: **Udp**"),
        "{md}"
    );
    assert!(md.contains("`+XURC: \"recv\",<link>`"), "{md}");
    assert!(
        md.contains("| `\"REC UNREAD\"` | received unread |"),
        "{md}"
    );
    assert!(md.contains("(quoted): \"TCP\", \"UDP\""), "{md}");
}

#[test]
fn the_diff_compares_the_strings() {
    let src = source();
    let old = load_str(&src, "old.ron").unwrap();
    let changed = src
        .replacen(
            "Value(value: \"ALL\", name: \"all\"),",
            "Value(value: \"ALL\", name: \"all\"), Value(value: \"ANY\", name: \"any\"),",
            1,
        )
        .replacen(
            "Select(param: \"stat\", values: [\"STO UNSENT\"])",
            "Select(param: \"stat\", values: [\"STO UNSENT\", \"STO SENT\"])",
            1,
        )
        .replacen(
            "only: [\"REC UNREAD\", \"REC READ\", \"STO UNSENT\", \"STO SENT\"]",
            "only: [\"REC UNREAD\", \"REC READ\"]",
            1,
        );
    let new = load_str(&changed, "new.ron").unwrap_or_else(|e| panic!("{e}"));
    let changes = diff::diff(&old, &new);
    let text = diff::text(&old, &new, &changes);
    assert!(
        text.contains("value_sets[sms_stat].values[\"ANY\"]"),
        "{text}"
    );
    assert!(
        text.contains("values removed: \"STO SENT\", \"STO UNSENT\""),
        "{text}"
    );
    assert!(
        text.contains("stat in {\"STO SENT\", \"STO UNSENT\"}"),
        "{text}"
    );
    assert!(diff::has_breaking(&changes), "{text}");
    // The same spec gives no change.
    assert!(diff::diff(&old, &old).is_empty());
}
