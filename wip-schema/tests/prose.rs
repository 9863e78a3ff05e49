//! The facts tables state in prose: formats ([`Format`]) and totals
//! across options ([`Total`]).

use wip_schema::{Format, Total, Val};

fn s(x: &str) -> Val {
    Val::Str(x.into())
}

#[test]
fn patterns_match_digits_any_text_and_literals_in_either_case() {
    let url = Format::pattern("http://*");
    assert!(url.matches(&s("http://mms.example.com")));
    assert!(url.matches(&s("HTTP://x")));
    assert!(!url.matches(&s("http://")), "* is one character or more");
    assert!(!url.matches(&s("https://x")));
    assert!(!url.matches(&s("mms.example.com")));
    let date = Format::pattern("#/#/# #:#:#");
    assert!(date.matches(&s("12/31/2010 23:59:00")));
    assert!(date.matches(&s("1/2/10 3:4:5")));
    assert!(!date.matches(&s("12/31/2010")));
    assert!(!date.matches(&s("12/xx/2010 23:59:00")));
    let mime = Format::pattern("*/*");
    assert!(mime.matches(&s("image/xyz")));
    assert!(!mime.matches(&s("smil")));
    assert!(!mime.matches(&s("/smil")));
    assert!(!mime.matches(&Val::Int(3)), "a pattern takes strings only");
}

#[test]
fn digits_count_a_strings_digits_or_an_integers() {
    let three = Format::digits(3, 3);
    assert!(three.matches(&Val::Int(200)));
    assert!(three.matches(&Val::Int(255)));
    assert!(!three.matches(&Val::Int(2)));
    assert!(!three.matches(&Val::Int(1000)));
    assert!(!three.matches(&Val::Int(-200)));
    assert!(three.matches(&s("007")));
    assert!(!three.matches(&s("7a7")));
    let id = Format::digits(1, 10);
    assert!(id.matches(&s("15")));
    assert!(!id.matches(&s("")));
    assert!(!id.matches(&s("two")));
    assert!(id.matches(&Val::Int(0)));
    assert_eq!(three.describe(), "written with 3 digits");
    assert_eq!(
        Format::pattern("http://*").describe(),
        "of the form `http://…` (…: any text)"
    );
}

#[test]
fn totals_count_values_and_list_lengths_with_suffixes() {
    let count = Total::new(&[81, 82, 83]).max_count(2);
    assert!(count.admits(&[], 81, 5).is_ok());
    assert!(count.admits(&[(81, 5)], 83, 5).is_ok());
    let e = count.admits(&[(81, 5), (82, 5)], 83, 5).unwrap_err();
    assert!(e.contains("3 values of options 81, 82, 83"), "{e}");
    assert!(e.contains("at most 2"), "{e}");
    // Other options do not count.
    assert!(count.admits(&[(81, 5), (82, 5)], 87, 5).is_ok());
    assert!(count.admits(&[(81, 5), (87, 5)], 82, 5).is_ok());

    let len = Total::new(&[81, 82])
        .max_len(20)
        .suffixes(&[(81, wip_schema::Cow::Borrowed("/T"))])
        .separator(";");
    // 18 + "/T" = 20: fits; 19 + 2 = 21 does not.
    assert!(len.admits(&[], 81, 18).is_ok());
    assert!(len.admits(&[], 81, 19).is_err());
    // Emails take no suffix: 20 fit.
    assert!(len.admits(&[], 82, 20).is_ok());
    // "aaaa/T;bbbbbbbbbbbbb" = 6 + 1 + 13 = 20.
    assert!(len.admits(&[(81, 4)], 82, 13).is_ok());
    let e = len.admits(&[(81, 4)], 82, 14).unwrap_err();
    assert!(e.contains("21 characters"), "{e}");
    assert!(e.contains("\"/T\" after each of option 81"), "{e}");
}
