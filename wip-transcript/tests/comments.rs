//! Comments in every position, and `//` inside quotes.

mod common;
use common::*;
use wip_transcript::Event;

#[test]
fn trailing_comment_on_a_command() {
    assert_eq!(
        one("AT+WIPCFG=1   // start IP stack"),
        cmd_c("AT+WIPCFG=1", "start IP stack")
    );
    assert_eq!(
        one("AT+WIPCFG=1\t//tab before"),
        cmd_c("AT+WIPCFG=1", "tab before")
    );
    assert_eq!(one("AT //"), cmd_c("AT", ""));
    assert_eq!(one("AT // a // b  "), cmd_c("AT", "a // b"));
}

#[test]
fn trailing_comment_on_a_modem_line() {
    assert_eq!(one("OK // fine"), modem_c("OK", "fine"));
    assert_eq!(
        one("+WIPREADY: 2,1                    // unsolicited: connected"),
        modem_c("+WIPREADY: 2,1", "unsolicited: connected")
    );
}

#[test]
fn trailing_comment_on_a_directive() {
    assert_eq!(
        one("@replay strict // be strict"),
        Event::Directive {
            name: "replay".into(),
            args: "strict".into(),
            comment: Some("be strict".into())
        }
    );
    assert_eq!(
        one("@pause // only a comment"),
        Event::Directive {
            name: "pause".into(),
            args: "".into(),
            comment: Some("only a comment".into())
        }
    );
}

#[test]
fn slash_slash_without_blank_before_is_text() {
    assert_eq!(one("AT+X=a//b"), cmd("AT+X=a//b"));
    assert_eq!(one("OK//x"), modem("OK//x"));
    assert_eq!(one("AT+X=\"a\"// b"), cmd("AT+X=\"a\"// b"));
}

#[test]
fn slash_slash_inside_quotes_is_text() {
    assert_eq!(
        one("AT+WIPFILE=4,1,2,\"http://x\""),
        cmd("AT+WIPFILE=4,1,2,\"http://x\"")
    );
    assert_eq!(
        one("AT+WIPFILE=4,1,2,\"ftp://a // b\",\"c\" // real"),
        cmd_c("AT+WIPFILE=4,1,2,\"ftp://a // b\",\"c\"", "real")
    );
    assert_eq!(
        one("+WIPDATA: \"http: //not\"  // yes"),
        modem_c("+WIPDATA: \"http: //not\"", "yes")
    );
}

#[test]
fn unclosed_quote_runs_to_the_end() {
    assert_eq!(one("AT+X=\"abc // def"), cmd("AT+X=\"abc // def"));
}

#[test]
fn hash_inside_a_line_is_text() {
    assert_eq!(one("AT+X=1 # no"), cmd("AT+X=1 # no"));
    assert_eq!(one("OK #1"), modem("OK #1"));
}

#[test]
fn comment_lines_in_data_mode_do_not_end_it() {
    assert_eq!(
        in_data_mode("# a\n  // b\n>> x\n"),
        vec![comment("a"), comment("b"), host(b"x")]
    );
}

#[test]
fn payload_lines_hold_no_comment() {
    assert_eq!(in_data_mode(">> a // b\n"), vec![host(b"a // b")]);
    assert_eq!(in_data_mode("<< // b\n"), vec![dev(b"// b")]);
}

#[test]
fn trailing_comment_on_the_line_that_ends_data_mode() {
    assert_eq!(
        in_data_mode("OK // back\n+++ x\n"),
        vec![modem_c("OK", "back"), modem("+++ x")]
    );
}

#[test]
fn trailing_comment_on_connect_keeps_data_mode() {
    assert_eq!(
        values("CONNECT // go\n>> x\n"),
        vec![modem_c("CONNECT", "go"), host(b"x")]
    );
}

#[test]
fn trailing_comment_accessor() {
    assert_eq!(one("OK // c").trailing_comment(), Some("c"));
    assert_eq!(one("# c").trailing_comment(), None);
}
