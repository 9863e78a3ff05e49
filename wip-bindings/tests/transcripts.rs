//! Every `AT+WIP` command line of the manual's examples
//! (`tests/transcripts/*.at`) parses into a typed `Request`, unless the
//! modem refused it for a reason a static check can see.
//!
//! The modem's answer decides what is expected:
//! - `OK` or `CONNECT`: the line parses, and its typed value encodes to a
//!   line that parses back to the same value;
//! - `+CME ERROR: 830` (bad index): the parse fails with a range error;
//! - another refusal (840 already active, 845 reserved, 838 no free socket,
//!   831 bad state): a state the line alone does not show, so the line
//!   parses.

use std::path::Path;
use wip_bindings::rev009::{CmeError, Request, DIALECT};
use wip_runtime::schema::fields::command_line;
use wip_runtime::schema::ErrorKind;
use wip_transcript::{parse_str, Event};

/// Codes a command line alone lets a static check predict.
const STATIC_REFUSALS: [u32; 1] = [830];

#[derive(Debug, PartialEq)]
enum Answer {
    Accepted,
    Refused(Option<u32>),
}

fn answer(text: &str) -> Option<Answer> {
    if text == "OK" || text == "CONNECT" || text.starts_with("CONNECT ") {
        return Some(Answer::Accepted);
    }
    if text == "ERROR" {
        return Some(Answer::Refused(None));
    }
    text.strip_prefix("+CME ERROR:")
        .map(|c| Answer::Refused(c.trim().parse().ok()))
}

/// (file:line, command line, the modem's answer) for every `AT+WIP...`.
fn commands() -> Vec<(String, String, Answer)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/transcripts");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "at"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let events = parse_str(&text).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        for (i, ev) in events.iter().enumerate() {
            let Event::Command { text: line, .. } = &ev.value else {
                continue;
            };
            let owned = command_line(line).is_some_and(|c| DIALECT.owns(c.name));
            if !owned {
                continue;
            }
            let ans = events[i + 1..]
                .iter()
                .filter(|e| e.channel == ev.channel)
                .find_map(|e| match &e.value {
                    Event::ModemLine { text, .. } => answer(text),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("{name}:{}: no final result", ev.line));
            out.push((format!("{name}:{}", ev.line), line.clone(), ans));
        }
    }
    out
}

#[test]
fn every_manual_command_line_is_typed() {
    let all = commands();
    let (mut accepted, mut refused_static, mut refused_state) = (0, 0, 0);
    for (at, line, ans) in &all {
        let parsed = Request::parse(line);
        match ans {
            Answer::Accepted => {
                let req = parsed.unwrap_or_else(|e| panic!("{at}: `{line}`: {e}"));
                let again = Request::parse(&req.encode())
                    .unwrap_or_else(|e| panic!("{at}: re-encoded `{}`: {e}", req.encode()));
                assert_eq!(again, req, "{at}");
                accepted += 1;
            }
            Answer::Refused(Some(code)) if STATIC_REFUSALS.contains(code) => {
                let e = parsed.expect_err(&format!("{at}: `{line}` refused with {code} parses"));
                assert_eq!(e.kind, ErrorKind::Value, "{at}: {e}");
                assert!(
                    e.message.contains("outside"),
                    "{at}: not a range error: {e}"
                );
                refused_static += 1;
            }
            Answer::Refused(code) => {
                parsed.unwrap_or_else(|e| {
                    panic!("{at}: `{line}` refused for a state ({code:?}) does not parse: {e}")
                });
                if let Some(c) = code {
                    assert!(
                        CmeError::from_code(*c).text().is_some(),
                        "{at}: code {c} is not in the spec"
                    );
                }
                refused_state += 1;
            }
        }
    }
    assert!(accepted > 350, "{accepted} accepted lines");
    assert!(refused_static >= 4, "{refused_static} range refusals");
    assert!(refused_state >= 5, "{refused_state} state refusals");
    eprintln!(
        "{} command lines: {accepted} accepted, {refused_static} refused for a range, {refused_state} for a state",
        all.len()
    );
}
