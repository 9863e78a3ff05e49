//! The facts tables state in prose, in a spec: checked by `wip check`,
//! shown by `wip doc`, compared by `wip diff`.

use wip_spec::{diff, doc, load_str};

fn rev009() -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/wipsoft-rev009.ron");
    std::fs::read_to_string(p).unwrap()
}

fn errors_of(src: &str) -> String {
    match load_str(src, "x.ron") {
        Ok(_) => panic!("accepted"),
        Err(d) => format!("{d:?}"),
    }
}

#[test]
fn the_reference_shows_formats_and_totals() {
    let spec = load_str(&rev009(), "wipsoft-rev009.ron").unwrap();
    let md = doc::render(&spec);
    assert!(
        md.contains("`<url>` is of the form `http://…` (…: any text) (§5.1.3)"),
        "url"
    );
    assert!(md.contains("`<http status code>` is written with 3 digits (§6.1.5)"));
    assert!(md.contains(
        "at most 12 values written to options 81, 82, 83, 84, 85, 86 in all, in one socket or session (§5.3.7.6.4.1)"
    ));
    assert!(md.contains("`/TYPE=PLMN` after each value of option 81"));
}

#[test]
fn the_diff_shows_a_format_and_a_total_that_changed() {
    let src = rev009();
    let old = load_str(&src, "old.ron").unwrap();
    let changed = src
        .replacen("Pattern(\"http://*\")", "Pattern(\"https://*\")", 1)
        .replacen("max_count: 12", "max_count: 10", 1);
    let new = load_str(&changed, "new.ron").unwrap();
    let changes = diff::diff(&old, &new);
    let text = diff::text(&old, &new, &changes);
    assert!(text.contains("format url pattern \"https://*\""), "{text}");
    assert!(text.contains("at most 10 values"), "{text}");
    assert!(diff::has_breaking(&changes), "{text}");
}

#[test]
fn misused_formats_and_totals_are_refused_with_their_reason() {
    let src = rev009();
    let e = errors_of(&src.replacen(
        "Format(param: \"url\", format: Pattern(\"http://*\")",
        "Format(param: \"peer port\", format: Pattern(\"http://*\")",
        1,
    ));
    assert!(
        e.contains("a Pattern format needs a string parameter, `peer port` is not"),
        "{e}"
    );
    let e = errors_of(&src.replacen("Digits(min: 3, max: 3)", "Digits(min: 4, max: 3)", 1));
    assert!(e.contains("at least one digit, and min <= max"), "{e}");
    let e = errors_of(&src.replacen("Pattern(\"http://*\")", "Pattern(\"http://**\")", 1));
    assert!(e.contains("two wildcards in a row"), "{e}");
    // A digit range must be `#{lo-hi}` with lo at most hi.
    for bad in ["#{12-1}", "#{1-}", "#{a-b}", "#{1-12"] {
        let e = errors_of(&src.replacen("#{1-12}", bad, 1));
        assert!(e.contains("that is not a range `#{lo-hi}`"), "{bad}: {e}");
    }
    let e = errors_of(&src.replacen(
        "Total(options: [81, 82], max_len: 249",
        "Total(options: [81, 99], max_len: 249",
        1,
    ));
    assert!(e.contains("option 99 is not in the table"), "{e}");
    let e = errors_of(&src.replacen(
        "Total(options: [81, 82, 83, 84, 85, 86], max_count: 12,",
        "Total(options: [81, 82, 83, 84, 85, 86],",
        1,
    ));
    assert!(
        e.contains("a Total needs max_count, max_len or both"),
        "{e}"
    );
}
