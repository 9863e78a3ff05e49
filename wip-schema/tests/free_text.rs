//! Free text after other fields and tokens (issue 12 point 7), round-trip:
//! any values formatted into a line parse back to the same values, by the
//! binder and by the borrowing reader alike, and a line is told from its
//! sibling of the same field count by its quotes (point 6).

use proptest::prelude::*;
use wip_schema::classify::{parts, Class, InFlight, Index};
use wip_schema::types::{Command, Form, Message, Param, Ty};
use wip_schema::{format_message, parse_message, Bound, Dialect, Val};

static D: Dialect = {
    const MESSAGES: &[Message] = &[
        Message::urc("Note", Some("+XNOTE")).fields(
            const {
                &[
                    Param::req("code", Ty::int(0, 99)),
                    Param::req("peer", Ty::Token),
                    Param::opt("text", Ty::Text),
                ]
            },
        ),
        Message::urc("Waiting", Some("+XRD")).fields(
            const {
                &[
                    Param::req("socket", Ty::int(0, 6)),
                    Param::req("n", Ty::int(0, 99)),
                ]
            },
        ),
        Message::urc("Nothing", Some("+XRD")).fields(
            const {
                &[
                    Param::req("socket", Ty::int(0, 6)),
                    Param::req("data", Ty::string(None)),
                ]
            },
        ),
    ];
    Dialect::new("T", "+X")
        .commands(
            const {
                &[Command::new(
                    "+XQ",
                    1000,
                    &[],
                    const { &[Form::execute("Q")] },
                )]
            },
        )
        .messages(MESSAGES)
};

proptest! {
    #[test]
    fn free_text_and_tokens_round_trip(
        code in 0i64..=99,
        peer in "[A-Za-z][A-Za-z0-9.:_/-]{0,16}( [A-Za-z0-9.:]{1,5})?",
        text in proptest::option::of("[ -~]{0,40}"),
    ) {
        let b = Bound {
            params: vec![
                Some(Val::Int(code)),
                Some(Val::Str(peer.clone())),
                text.clone().map(|t| Val::Str(t.trim_start().to_string())),
            ],
            ..Bound::default()
        };
        let line = format_message(&D, 0, &b);
        let p = parse_message(&D, &line, None).unwrap();
        prop_assert_eq!(p.message, 0);
        let want = b.params.clone();
        prop_assert_eq!(&p.values.params, &want, "{}", line);
        let m = &D.messages[0];
        let fast = wip_schema::quick::bind(&D, m, m.body(&line).unwrap()).unwrap();
        prop_assert_eq!(fast.to_bound().params, want);
    }

    #[test]
    fn quotes_tell_siblings_of_one_count_apart(socket in 0i64..=6, n in 0i64..=99, data in "[ !#-~]{0,20}") {
        let index = Index::new(&D);
        let c = |line: &str| index.classify(InFlight::None, &parts(line.as_bytes()));
        prop_assert_eq!(c(&format!("+XRD: {socket},{n}")), Class::Urc(1));
        prop_assert_eq!(c(&format!("+XRD: {socket},\"{data}\"")), Class::Urc(2));
    }
}
