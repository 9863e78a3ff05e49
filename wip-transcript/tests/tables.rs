//! One test per row of the tables of the format.

mod common;
use common::*;
use wip_transcript::Event;

// ---- Lines table

#[test]
fn hash_line_is_a_comment() {
    assert_eq!(one("# 9.1.2.1 TCP client"), comment("9.1.2.1 TCP client"));
    assert_eq!(one("#"), comment(""));
    assert_eq!(one("#no blank"), comment("no blank"));
}

#[test]
fn slash_slash_as_first_non_blank_is_a_comment() {
    assert_eq!(one("// a comment"), comment("a comment"));
    assert_eq!(one("   \t// indented  "), comment("indented"));
    assert_eq!(one("  # indented hash"), comment("indented hash"));
}

#[test]
fn at_line_is_a_directive() {
    assert_eq!(one("@replay strict"), directive("replay", "strict"));
    assert_eq!(one("@timing   100 ms  "), directive("timing", "100 ms"));
    assert_eq!(one("@pause"), directive("pause", ""));
    assert_eq!(one("  @x-y.z a"), directive("x-y.z", "a"));
}

#[test]
fn at_or_lower_at_is_a_command_exactly_as_sent() {
    assert_eq!(one("AT+WIPCFG=1"), cmd("AT+WIPCFG=1"));
    assert_eq!(one("at+wipcfg=1"), cmd("at+wipcfg=1"));
    assert_eq!(one("AT"), cmd("AT"));
    assert_eq!(one("ATE0"), cmd("ATE0"));
    assert_eq!(
        one("  AT+WIPBR=2,6,11,\"APN  name\"  "),
        cmd("AT+WIPBR=2,6,11,\"APN  name\"")
    );
    // Inner blanks are part of what is sent.
    assert_eq!(one("AT +WIPCFG = 1"), cmd("AT +WIPCFG = 1"));
}

#[test]
fn mixed_case_at_is_not_a_command() {
    assert_eq!(one("At+WIPCFG=1"), modem("At+WIPCFG=1"));
    assert_eq!(one("aT"), modem("aT"));
}

#[test]
fn anything_else_outside_data_mode_is_a_modem_line() {
    assert_eq!(one("OK"), modem("OK"));
    assert_eq!(one("+CME ERROR: 803"), modem("+CME ERROR: 803"));
    assert_eq!(one("  +WIPREADY: 2,1  "), modem("+WIPREADY: 2,1"));
    assert_eq!(one("NO CARRIER"), modem("NO CARRIER"));
    // `+++` outside data mode is just text from the modem; `>>` and `<<`
    // with their blank are the prompt and payload phases of
    // docs/transcript-extensions.md (E1), without it text.
    assert_eq!(one(">> abc"), host(b"abc"));
    assert_eq!(one("<< @"), dev(b"@"));
    assert_eq!(one(">>abc"), modem(">>abc"));
    assert_eq!(one("+++"), modem("+++"));
}

#[test]
fn blank_lines_mean_nothing() {
    assert_eq!(
        events("\n   \n\t\n\r\nOK\n \t \n"),
        vec![(5, "1".into(), modem("OK"))]
    );
    assert!(events("").is_empty());
}

// ---- Data mode table

#[test]
fn host_payload() {
    assert_eq!(in_data_mode(">> abc\n"), vec![host(b"abc")]);
}

#[test]
fn modem_payload() {
    assert_eq!(in_data_mode("<< abc\n"), vec![dev(b"abc")]);
}

#[test]
fn plus_plus_plus_alone_is_the_escape() {
    assert_eq!(in_data_mode("+++\n"), vec![escape()]);
    assert_eq!(in_data_mode("  +++  \n"), vec![escape()]);
    assert_eq!(
        in_data_mode("+++   // guard times\n"),
        vec![Event::Escape {
            comment: Some("guard times".into())
        }]
    );
}

#[test]
fn plus_plus_plus_with_text_is_a_modem_line() {
    assert_eq!(
        in_data_mode("+++a\n+++\n"),
        vec![modem("+++a"), modem("+++")]
    );
}

#[test]
fn other_lines_in_data_mode_are_modem_lines_that_end_it() {
    for end in ["OK", "ERROR", "+CME ERROR: 831", "NO CARRIER"] {
        let v = in_data_mode(&format!(">> a\n{end}\n+++\n"));
        assert_eq!(v, vec![host(b"a"), modem(end), modem("+++")], "{end}");
    }
}

#[test]
fn payload_is_everything_after_marker_and_one_blank() {
    assert_eq!(
        in_data_mode(">>   two blanks  // and no comment  \n"),
        vec![host(b"  two blanks  // and no comment  ")]
    );
    assert_eq!(in_data_mode(">> \n"), vec![host(b"")]);
    assert_eq!(
        in_data_mode("<< # not a comment\n"),
        vec![dev(b"# not a comment")]
    );
}

#[test]
fn marker_without_its_blank_is_a_modem_line() {
    assert_eq!(in_data_mode(">>abc\n"), vec![modem(">>abc")]);
    assert_eq!(in_data_mode(">>\n"), vec![modem(">>")]);
}

// ---- Payload table

#[test]
fn payload_etx() {
    assert_eq!(in_data_mode(">> a[ETX]b\n"), vec![host(b"a\x03b")]);
}

#[test]
fn payload_dle() {
    assert_eq!(
        in_data_mode("<< [DLE][ETX][DLE][DLE]\n"),
        vec![dev(b"\x10\x03\x10\x10")]
    );
}

#[test]
fn payload_hex() {
    assert_eq!(
        in_data_mode(">> \\x00\\xff\\xAb\\x7E\n"),
        vec![host(b"\x00\xff\xab\x7e")]
    );
}

#[test]
fn payload_cr_lf_backslash_bracket() {
    assert_eq!(in_data_mode(">> \\r\\n\\\\\\[\n"), vec![host(b"\r\n\\[")]);
    assert_eq!(in_data_mode(">> \\[ETX]\n"), vec![host(b"[ETX]")]);
}

#[test]
fn bare_bracket_is_literal() {
    assert_eq!(
        in_data_mode(">> [FOO] [etx] [ETX [DLE] ]\n"),
        vec![host(b"[FOO] [etx] [ETX \x10 ]")]
    );
    assert_eq!(in_data_mode(">> [\n"), vec![host(b"[")]);
}

#[test]
fn shutdown_indication_is_modem_data() {
    assert_eq!(
        in_data_mode("<< \\r\\nSHUTDOWN\\r\\n\n"),
        vec![dev(b"\r\nSHUTDOWN\r\n")]
    );
}

#[test]
fn non_ascii_payload_is_its_utf8_bytes() {
    assert_eq!(in_data_mode(">> é\t\n"), vec![host("é\t".as_bytes())]);
}

#[test]
fn a_byte_order_mark_is_no_part_of_the_first_line() {
    assert_eq!(
        values("\u{feff}@assume stack started\nAT+WIPCFG=1\n"),
        vec![directive("assume", "stack started"), cmd("AT+WIPCFG=1")]
    );
    assert_eq!(one("\u{feff}# 9.1 example"), comment("9.1 example"));
    // Only at the start of the file.
    assert_eq!(
        values("AT\n\u{feff}OK\n"),
        vec![cmd("AT"), modem("\u{feff}OK")]
    );
}
