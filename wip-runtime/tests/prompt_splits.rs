//! Prompts in the framer (schema point 1): after a command whose form
//! declares one, the prompt is reported where a line starts, without a
//! line end, and the events do not depend on how the bytes were chunked.

use proptest::prelude::*;
use wip_runtime::framer::{Framer, OwnedEvent};
use wip_runtime::Dialect;

/// tests/specs/prompt.ron: +CMGS (`\r\n> `, again after CR), +USOWR (`@`),
/// +CIPSEND (`>`), +CMGF (no prompt).
fn prompts() -> &'static Dialect {
    static D: std::sync::OnceLock<Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/prompt.ron");
        wip_spec::load_file(&p)
            .expect("the prompt spec checks")
            .dialect
    })
}

/// The same spec with a prompt of several bytes (`\r\n>>> `) on +USOWR, so
/// that a chunk can end inside the prompt.
fn long_prompt() -> &'static Dialect {
    static D: std::sync::OnceLock<Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let mut d = prompts().clone();
        let (c, _) = d.command("+USOWR").unwrap();
        let mut cmds = d.commands.to_vec();
        let mut forms = cmds[c].forms.to_vec();
        let mut p = forms[0].prompt.clone().unwrap();
        p.text = "\r\n>>> ".into();
        forms[0].prompt = Some(p);
        cmds[c].forms = forms.into();
        d.commands = cmds.into();
        d
    })
}

/// Feeds `bytes` after sending `cmd`, cut at `cuts`.
fn feed(d: &Dialect, cmd: &str, bytes: &[u8], cuts: &[usize]) -> Vec<OwnedEvent> {
    let mut points: Vec<usize> = cuts
        .iter()
        .copied()
        .filter(|&c| c <= bytes.len())
        .chain([0, bytes.len()])
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut f = Framer::new(d);
    f.sent(cmd);
    let mut out = Vec::new();
    for w in points.windows(2) {
        out.extend(f.feed_owned(&bytes[w[0]..w[1]]));
    }
    out
}

fn kinds(ev: &[OwnedEvent]) -> Vec<String> {
    ev.iter()
        .map(|e| match e {
            OwnedEvent::Prompt => "prompt".to_string(),
            OwnedEvent::Response { line, .. } => format!("response {}", line.text),
            OwnedEvent::Urc { line, .. } => format!("urc {}", line.text),
            OwnedEvent::Final(f) => format!("final {f}"),
            OwnedEvent::Unknown(b) => format!("unknown {}", String::from_utf8_lossy(b)),
            other => format!("{other:?}"),
        })
        .collect()
}

const CMGS: &[u8] = b"\r\n> \r\n> \r\n+CMGS: 7\r\n\r\nOK\r\n";
const USOWR: &[u8] = b"\r\n@\r\n+USOWR: 3,16\r\n\r\nOK\r\n";
const LONG: &[u8] = b"\r\n>>> \r\n+USOWR: 3,2\r\n\r\nOK\r\n";

#[test]
fn the_27005_prompt_comes_without_a_line_end_and_again_after_cr() {
    let ev = feed(prompts(), "AT+CMGS=\"1\"", CMGS, &[]);
    assert_eq!(
        kinds(&ev),
        ["prompt", "prompt", "response +CMGS: 7", "final OK"]
    );
    // The prompt alone, with nothing after it yet, is reported at once.
    let ev = feed(prompts(), "AT+CMGS=\"1\"", b"\r\n> ", &[]);
    assert_eq!(kinds(&ev), ["prompt"]);
}

#[test]
fn the_ublox_at_prompt_is_not_a_line() {
    let mut f = Framer::new(prompts());
    f.sent("AT+USOWR=3,16");
    assert!(f.awaits_prompt());
    assert_eq!(kinds(&f.feed_owned(b"\r\n@")), ["prompt"]);
    assert!(!f.awaits_prompt(), "one prompt only");
    assert_eq!(
        kinds(&f.feed_owned(&USOWR[3..])),
        ["response +USOWR: 3,16", "final OK"]
    );
}

#[test]
fn a_form_without_prompt_frames_the_same_bytes_as_lines() {
    let ev = feed(prompts(), "AT+CMGF=1", b"\r\n> x\r\n\r\nOK\r\n", &[]);
    assert_eq!(kinds(&ev), ["unknown > x", "final OK"]);
    // After the final result code, the prompt is no longer awaited.
    let mut f = Framer::new(prompts());
    f.sent("AT+CIPSEND=0,5");
    assert_eq!(kinds(&f.feed_owned(b"\r\nERROR\r\n")), ["final ERROR"]);
    assert!(!f.awaits_prompt());
    assert_eq!(kinds(&f.feed_owned(b"\r\n>\r\n")), ["unknown >"]);
}

#[test]
fn a_prompt_cut_by_every_chunk_end_gives_the_same_events() {
    for (d, cmd, bytes) in [
        (prompts(), "AT+CMGS=\"1\"", CMGS),
        (prompts(), "AT+USOWR=3,16", USOWR),
        (long_prompt(), "AT+USOWR=3,2", LONG),
    ] {
        let whole = feed(d, cmd, bytes, &[]);
        assert!(whole.contains(&OwnedEvent::Prompt));
        for cut in 0..=bytes.len() {
            assert_eq!(feed(d, cmd, bytes, &[cut]), whole, "{cmd} cut at {cut}");
        }
        let every: Vec<usize> = (0..=bytes.len()).collect();
        assert_eq!(feed(d, cmd, bytes, &every), whole, "{cmd} byte by byte");
    }
}

#[test]
fn a_line_that_only_begins_like_the_prompt_is_a_line() {
    let bytes = b"\r\n>>x\r\n\r\nOK\r\n";
    let whole = feed(long_prompt(), "AT+USOWR=3,2", bytes, &[]);
    assert_eq!(kinds(&whole), ["unknown >>x", "final OK"]);
    for cut in 0..=bytes.len() {
        assert_eq!(feed(long_prompt(), "AT+USOWR=3,2", bytes, &[cut]), whole);
    }
}

proptest! {
    #[test]
    fn prompts_do_not_depend_on_chunking(
        which in 0usize..3,
        cuts in proptest::collection::vec(0usize..40, 0..12),
    ) {
        let (d, cmd, bytes) = [
            (prompts(), "AT+CMGS=\"1\"", CMGS),
            (prompts(), "AT+USOWR=3,16", USOWR),
            (long_prompt(), "AT+USOWR=3,2", LONG),
        ][which];
        prop_assert_eq!(feed(d, cmd, bytes, &cuts), feed(d, cmd, bytes, &[]));
    }
}
