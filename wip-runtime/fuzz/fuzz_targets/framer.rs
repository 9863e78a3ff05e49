//! The framer on arbitrary bytes and host actions: no panic, bounded
//! memory, and the same events whether each stretch of bytes comes whole
//! or one byte at a time, fed as it comes or kept by the host
//! (`Framer::feed_buffered`, the line in progress left to it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wip_runtime::framer::{coalesce, Framer, FramerConfig, OwnedEvent};

/// The rev 009 command set, from the spec.
fn rev009() -> &'static wip_runtime::Dialect {
    static D: std::sync::OnceLock<wip_runtime::Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| match wip_spec::default_spec() {
        Ok(spec) => spec.dialect.clone(),
        Err(e) => panic!("the embedded spec does not check: {e}"),
    })
}

const COMMANDS: &[&str] = &[
    "AT+WIPBR=3,6,11",
    "AT+WIPBR?",
    "AT+WIPDATA=2,1,1",
    "AT+WIPDATA=1,1,1",
    "AT+WIPDATA=2,1,2",
    "AT+WIPFILE=4,1,1,\"f\"",
    "AT+WIPFILE=4,1,1,\"f\",1",
    "AT+WIPCFG=1",
    "ATE1",
];

/// The fixture specs of prompts (`\r\n> `, `@`, `>`) and of raw data
/// after a line (counted, or the next line), with a command line each.
fn fixtures() -> &'static [(wip_runtime::Dialect, &'static [&'static str])] {
    static D: std::sync::OnceLock<Vec<(wip_runtime::Dialect, &'static [&'static str])>> =
        std::sync::OnceLock::new();
    D.get_or_init(|| {
        let load = |src: &str, name: &str| match wip_spec::load_str(src, name) {
            Ok(spec) => spec.dialect,
            Err(e) => panic!("{name} does not check: {e}"),
        };
        vec![
            (
                load(
                    include_str!("../../../tests/specs/prompt.ron"),
                    "prompt.ron",
                ),
                &[
                    "AT+CMGS=\"1\"",
                    "AT+USOWR=3,16",
                    "AT+CIPSEND=0,5",
                    "AT+CIPSEND=0",
                    "AT+CMGF=1",
                ][..],
            ),
            (
                load(
                    include_str!("../../../tests/specs/payload.ron"),
                    "payload.ron",
                ),
                &["AT+CIPRXGET=2,0,17", "AT+CMGR=1", "AT+CIPRXGET=2,0,1"][..],
            ),
        ]
    })
}

/// The input as steps: a host action (a command of `COMMANDS`, 9 for
/// `+++`, anything else for nothing), a length byte, then that many bytes
/// the modem sent after it. The first byte sets the line limit.
fn steps(data: &[u8]) -> (usize, Vec<(u8, &[u8])>) {
    let Some((&limit, mut rest)) = data.split_first() else {
        return (64, Vec::new());
    };
    let mut out = Vec::new();
    while let [action, len, tail @ ..] = rest {
        let (chunk, next) = tail.split_at(usize::from(*len).min(tail.len()));
        out.push((*action, chunk));
        rest = next;
    }
    (8 + usize::from(limit), out)
}

/// How the bytes of each step reach the framer.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Each step's bytes in one `feed`.
    Whole,
    /// One byte a `feed`.
    Bytewise,
    /// One byte at a time appended to the host's buffer, given to
    /// `feed_buffered`, what it used dropped.
    Buffered,
}

fn run(max_line: usize, steps: &[(u8, &[u8])], mode: Mode) -> Vec<OwnedEvent> {
    // The line limit's lowest bits pick the dialect: rev 009, or a fixture.
    let (dialect, commands) = match (max_line - 8) % 4 {
        1 => (&fixtures()[0].0, fixtures()[0].1),
        2 => (&fixtures()[1].0, fixtures()[1].1),
        _ => (rev009(), COMMANDS),
    };
    let mut f = Framer::with_config(dialect, FramerConfig { max_line });
    let mut out = Vec::new();
    let mut kept: Vec<u8> = Vec::new();
    for &(action, bytes) in steps {
        match usize::from(action) {
            i if i < commands.len() => {
                f.sent(commands[i]);
            }
            9 => f.escape_sent(),
            _ => {}
        }
        match mode {
            Mode::Whole => out.extend(f.feed_owned(bytes)),
            Mode::Bytewise => {
                for b in bytes.chunks(1) {
                    out.extend(f.feed_owned(b));
                }
            }
            Mode::Buffered => {
                for b in bytes.chunks(1) {
                    kept.extend_from_slice(b);
                    let used = f.feed_buffered(&kept, |e| out.push(e.to_owned_event()));
                    assert!(used <= kept.len());
                    kept.drain(..used);
                    // Only a line in progress is left, within the limit.
                    assert!(kept.len() <= max_line);
                }
            }
        }
    }
    coalesce(out)
}

fuzz_target!(|data: &[u8]| {
    let (max_line, steps) = steps(data);
    let whole = run(max_line, &steps, Mode::Whole);
    assert_eq!(whole, run(max_line, &steps, Mode::Bytewise));
    assert_eq!(whole, run(max_line, &steps, Mode::Buffered));
});
