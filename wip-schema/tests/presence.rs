//! Forms told apart by which parameters are given, and rules that test
//! whether a parameter is given (issue 12, points 4 and 10).

use wip_schema::*;

/// `AT+XSEND=<link>,<length>[,<ip>,<port>]` (counted) and `AT+XSEND=<link>,`
/// (length left empty: terminated).
static D: Dialect = {
    const COUNTED: &[Param] = &[
        Param::req("link", Ty::int(0, 9)),
        Param::opt("length", Ty::int(1, 1500)),
        Param::opt("ip", Ty::Ip),
        Param::opt("port", Ty::int(0, 65535)),
    ];
    const TERMINATED: &[Param] = &[
        Param::req("link", Ty::int(0, 9)),
        Param::opt("length", Ty::int(1, 1500)),
    ];
    const FORMS: &[Form] = &[
        Form::action("Counted")
            .select(const { &[Cond::given(1, true)] })
            .params(COUNTED)
            .rules(const { &[Rule::require(const { &[Cond::given(2, true)] }, &[3])] }),
        Form::action("Terminated")
            .select(const { &[Cond::given(1, false)] })
            .params(TERMINATED),
    ];
    Dialect::new("X", "+X").commands(const { &[Command::new("+XSEND", 1000, &[], FORMS)] })
};

fn form(line: &str) -> Result<usize, Error> {
    parse_command(&D, line).map(|p| p.form)
}

#[test]
fn the_form_is_the_one_whose_presence_tests_hold() {
    assert_eq!(form("AT+XSEND=0,5").unwrap(), 0);
    assert_eq!(form("AT+XSEND=0,5,\"10.0.0.1\",6031").unwrap(), 0);
    assert_eq!(form("AT+XSEND=0").unwrap(), 1);
}

#[test]
fn an_empty_middle_field_counts_as_not_given() {
    assert_eq!(form("AT+XSEND=0,").unwrap(), 1);
}

#[test]
fn a_rule_on_presence_is_enforced_and_named() {
    let e = form("AT+XSEND=0,5,\"10.0.0.1\"").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rule);
    assert!(
        e.to_string().contains("needs <port> when <ip> is given"),
        "{e}"
    );
}

#[test]
fn values_of_a_form_chosen_by_presence_format_and_check() {
    let b = Bound::of(vec![Some(Val::Int(2)), Some(Val::Int(7))]);
    assert_eq!(command::checked_line(&D, 0, 0, &b).unwrap(), "AT+XSEND=2,7");
    // Without <length>, the line is the other form's.
    let b = Bound::of(vec![Some(Val::Int(2))]);
    let e = command::checked_line(&D, 0, 0, &b).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NoSuchForm);
    assert_eq!(command::checked_line(&D, 0, 1, &b).unwrap(), "AT+XSEND=2");
}

#[test]
fn a_presence_test_ignores_defaults() {
    let params = [Param::opt_or("a", Ty::int(0, 9), Lit::Int(1))];
    let when = [Cond::given(0, true)];
    assert!(!rules::holds(&params, &[None], &when));
    assert!(rules::holds(&params, &[Some(Val::Int(1))], &when));
    assert!(rules::holds(&params, &[None], &[Cond::new(0, &[1])]));
}
