//! `wip doc` and `wip diff` on forms chosen by presence and presence rules
//! (`tests/specs/presence.ron`).

use wip_spec::{diff, doc, load_str};

fn source() -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/presence.ron");
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn the_reference_writes_each_form_with_what_it_needs_given() {
    let spec = load_str(&source(), "presence.ron").unwrap();
    let md = doc::render(&spec);
    // The query is written without <baud>, the setter with it required.
    assert!(md.contains("`AT+XPORT=<id>`: **Query**"), "{md}");
    assert!(
        md.contains("`AT+XPORT=<id>,<baud>[,<parity>[,<stop>]]`: **Set**"),
        "{md}"
    );
    assert!(md.contains("chosen when `<baud>` is left out"), "{md}");
    assert!(md.contains("chosen when `<baud>` is given"), "{md}");
    assert!(
        md.contains("when `<parity>` is left out: `<stop>` must not be given"),
        "{md}"
    );
}

#[test]
fn the_diff_shows_a_presence_test_that_changed() {
    let src = source();
    let old = load_str(&src, "old.ron").unwrap();
    let changed = src.replacen(
        "Require(when: [Select(param: \"ip\", given: true)]",
        "Require(when: [Select(param: \"ip\", given: false)]",
        1,
    );
    let new = load_str(&changed, "new.ron").unwrap();
    let changes = diff::diff(&old, &new);
    let text = diff::text(&old, &new, &changes);
    assert!(text.contains("require port when ip given"), "{text}");
    assert!(text.contains("require port when ip left out"), "{text}");
    assert!(diff::has_breaking(&changes), "{text}");
}
