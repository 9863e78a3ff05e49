use super::*;
use alloc::string::String;
use alloc::vec;
use proptest::prelude::*;
use wip_schema::classify::Index;

/// The dialect of a spec fixture, which must check.
fn fixture(src: &str, name: &str) -> Dialect {
    match wip_spec::load_str(src, name) {
        Ok(s) => s.dialect,
        Err(e) => panic!("{name} does not check: {e}"),
    }
}

/// The dialects the proptests send lines of: rev 009 (data sessions),
/// u-blox SARA-R4 over 27.007 (prompts, test answers, basic commands),
/// and the fixtures of prompts and of test answers.
fn dialects() -> &'static [Dialect] {
    static D: std::sync::OnceLock<Vec<Dialect>> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let ublox = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/ublox-sara-r4.ron");
        vec![
            wip_spec::default_spec().expect("rev 009 checks").dialect,
            wip_spec::load_file(std::path::Path::new(ublox))
                .expect("SARA-R4 checks")
                .dialect,
            fixture(
                include_str!("../../../../tests/specs/prompt.ron"),
                "prompt.ron",
            ),
            fixture(
                include_str!("../../../../tests/specs/test-answers.ron"),
                "test-answers.ron",
            ),
        ]
    })
}

/// The cut of the former `sent`, kept as the reference.
struct FormerCut<'a> {
    name: &'a [u8],
    tail: &'a [u8],
}

fn former_cut(line: &[u8]) -> Option<FormerCut<'_>> {
    let line = line.trim_ascii();
    let (head, from_name) = line.split_at_checked(2)?;
    if !head.eq_ignore_ascii_case(b"AT") {
        return None;
    }
    let end = from_name
        .iter()
        .position(|&b| b == b'=' || b == b'?')
        .unwrap_or(from_name.len());
    let (name, tail) = from_name.split_at_checked(end)?;
    Some(FormerCut {
        name: name.trim_ascii_end(),
        tail,
    })
}

fn former_is_test(c: &FormerCut<'_>) -> Option<bool> {
    match c.tail.strip_prefix(b"=") {
        Some(a) if a.trim_ascii() == b"?" => Some(true),
        Some(a) if !a.is_ascii() => None,
        _ => Some(false),
    }
}

/// What the former `sent` left of a line: its answer, the command in
/// flight, the session `CONNECT` opens and the prompt watched for. The
/// command is found by the classifier's index, as before, and the session
/// parsed every time, with no cache.
type Effect = (
    Option<usize>,
    InFlight,
    Option<DataSession>,
    Option<prompt::Watch>,
);

fn former(d: &Dialect, index: &Index, line: &str) -> Effect {
    let cut = former_cut(line.as_bytes());
    let known = cut.as_ref().and_then(|c| index.command(c.name));
    let t = known
        .and_then(|c| traits(d).get(c).copied())
        .unwrap_or_default();
    let session = if t.opens {
        DataSession::for_line(d, line)
    } else {
        None
    };
    let in_flight = match (known, t.test) {
        (Some(c), Some(f))
            if cut
                .as_ref()
                .and_then(former_is_test)
                .unwrap_or_else(|| is_test_line(line)) =>
        {
            InFlight::Form(c, f)
        }
        // Narrowed to its form where the forms answer differently.
        (Some(c), _) if t.narrows => wip_schema::form_of_line(d, c, line)
            .map_or(InFlight::Command(c), |f| InFlight::Form(c, f)),
        (Some(c), _) => InFlight::Command(c),
        (None, _) => InFlight::None,
    };
    let prompt = match known {
        Some(c) if t.prompts => prompt::Watch::for_line(d, c, line),
        _ => None,
    };
    (known, in_flight, session, prompt)
}

fn effect(f: &mut Framer<'_>, line: &str) -> Effect {
    let known = f.sent(line);
    let pending = f.pending.expect("a command is in flight after sent");
    assert!(pending.fresh);
    (known, pending.in_flight, f.next_session, f.prompt.clone())
}

/// Every command name of the dialects, and names that are none.
fn names() -> Vec<String> {
    let mut out: Vec<String> = dialects()
        .iter()
        .flat_map(|d| d.commands.iter().map(|c| String::from(&*c.name)))
        .collect();
    out.extend(
        [
            "",
            "+",
            "E",
            "E1",
            "&F",
            "+WIPX",
            "+WIPBRR",
            "+WIPB",
            "+WIPBR\0",
            "\0+WIPBR",
            "+WIP\0BR",
            "+WIPBRé",
            "é+WIPBR",
            "+WIP BR",
            "+WIPBR ",
            "+WIPBR\t",
            "+WIPBR\u{3000}",
            "+WIPBR\x0b",
            "+WIPDATARWX",
            "+WIPAVERYLONGCOMMANDNAME",
            "+USOWRWRITESDATA",
            "+AVERYLONGNAMEOF17",
            "+WIPBR\u{85}",
            "+wipbr+wipbr+wipbr",
        ]
        .map(String::from),
    );
    out
}

/// A name in random case: bit `i` of `case` flips letter `i`.
fn recase(name: &str, case: u32) -> String {
    name.chars()
        .enumerate()
        .map(|(i, ch)| {
            if case >> (i % 32) & 1 == 1 {
                if ch.is_ascii_lowercase() {
                    ch.to_ascii_uppercase()
                } else {
                    ch.to_ascii_lowercase()
                }
            } else {
                ch
            }
        })
        .collect()
}

/// Command lines as a host writes them, and the odd ones: `AT` in any
/// case or missing, names known and not in any case, blanks of every
/// kind, every kind of tail, arguments with quotes and non-ASCII text.
fn lines() -> impl Strategy<Value = String> {
    let head = prop_oneof![
        4 => Just("AT"),
        2 => Just("at"),
        1 => Just("aT"),
        1 => Just("At"),
        1 => prop::sample::select(vec![
            " AT", "\tat", "\r\nAT", "A", "", "T", "ATAT", "\x0bAT", "\u{3000}AT", "@T", "AU",
        ]),
    ];
    let blank = prop::sample::select(vec!["", "", "", " ", "\t", "  ", "\u{3000}", "\x0b", "\r"]);
    let kind = prop::sample::select(vec![
        "",
        "?",
        "=",
        "=?",
        "=?",
        "= ?",
        "=? ",
        "=\t?\t",
        "=\u{3000}?",
        "=?\u{3000}",
        "=\x0b?",
        "=?\x0b",
        "=?junk",
        "?=?",
        "??",
        "=??",
        "=é",
        "=?é",
        "=\"é\",?",
        "=1,2",
        "=\"a=b?\"",
    ]);
    let args = prop_oneof![
        3 => Just(String::new()),
        3 => "[0-9,]{1,12}",
        2 => "[0-9,\"a-zA-Z./:? =é\u{3000}]{1,40}",
    ];
    let names = names();
    let name = (0..names.len(), any::<u32>())
        .prop_map(move |(i, case)| recase(names.get(i).map_or("", String::as_str), case));
    prop_oneof![
        8 => (head, name, blank.clone(), kind, args, blank).prop_map(
            |(h, n, b, k, a, e)| format!("{h}{n}{b}{k}{a}{e}")
        ),
        1 => "[aAtT+=?\\x00-\\x7f]{0,40}",
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// `sent` leaves what the former one left, for every dialect, the
    /// first time a line is sent and again (from the session cache).
    #[test]
    fn sent_does_what_the_former_path_did(line in lines(), d in 0..4usize) {
        let d = dialects().get(d).expect("a dialect");
        let mut f = Framer::new(d);
        let want = former(d, &f.index, &line);
        prop_assert_eq!(effect(&mut f, &line), want.clone(), "{:?}", line);
        prop_assert_eq!(effect(&mut f, &line), want, "again: {:?}", line);
    }

    /// `sent_form` of a line the engine parses, told with the command
    /// and form it parses to, leaves what `sent_parsed` of it leaves,
    /// the first time and again (from the session cache).
    #[test]
    fn sent_form_does_what_sent_parsed_does(line in lines(), d in 0..4usize) {
        let d = dialects().get(d).expect("a dialect");
        let Ok(p) = wip_schema::parse_command(d, &line) else {
            return Ok(());
        };
        let mut want = Framer::new(d);
        want.sent_parsed(&p);
        let want = (want.pending, want.next_session, want.prompt.clone());
        let mut f = Framer::new(d);
        for round in 0..2 {
            f.sent_form(p.command, p.form, &line);
            prop_assert_eq!(
                (f.pending, f.next_session, f.prompt.clone()),
                want.clone(),
                "{:?}, round {}",
                line,
                round
            );
        }
    }

    /// Sessions stay right over many lines that open one: the cache
    /// fills, starts over, and never gives one line's session for another.
    #[test]
    fn sessions_of_many_lines(lines in prop::collection::vec(
        (1..=2u8, 1..=8u8, 0..=3u8, prop::option::of(8..=1460u16), any::<u32>()), 1..60,
    )) {
        let d = dialects().first().expect("rev 009");
        let mut f = Framer::new(d);
        // The same lines told by their parsed command and form.
        let mut by_form = Framer::new(d);
        for (proto, idx, mode, size, case) in lines {
            let line = match (case % 3, size) {
                (0, Some(s)) => format!("AT+WIPDATA={proto},{idx},{mode},{s},5"),
                (1, _) => format!("{}={proto},{idx},{mode}", recase("AT+WIPDATA", case)),
                _ => format!(
                    "AT+WIPFILE=4,{idx},{mode},\"a/very/long/file/name/{size:?}\",{}",
                    proto - 1
                ),
            };
            let want = former(d, &f.index, &line);
            prop_assert_eq!(effect(&mut f, &line), want.clone(), "{:?}", line);
            if let Ok(p) = wip_schema::parse_command(d, &line) {
                by_form.sent_form(p.command, p.form, &line);
                prop_assert_eq!(by_form.next_session, want.2, "sent_form: {:?}", line);
                prop_assert_eq!(
                    by_form.pending.map(|p| p.in_flight),
                    Some(InFlight::Form(p.command, p.form)),
                    "sent_form: {:?}",
                    line
                );
            }
        }
    }
}

#[test]
fn odd_lines_are_cut_as_before() {
    let d = dialects().first().expect("rev 009");
    let mut f = Framer::new(d);
    for line in [
        "AT+WIPBR=3,6,11",
        "at+wipbr?",
        "AT+WIPBR=?",
        "AT+WIPBR = ?",
        " AT+WIPBR?",
        "AT+WIPBR ",
        "AT+WIPBR\0=1",
        "AT+WIPDATARW=?",
        "AT+WIPDATARW=\u{3000}?",
        "AT+WIPDATA=2,1,1",
        "AT+WIPFILE=4,1,1,\"a-very-long-file-name-past-32-bytes\"",
        "AT",
        "A",
        "",
    ] {
        let want = former(d, &f.index, line);
        assert_eq!(effect(&mut f, line), want, "{line:?}");
    }
    assert_eq!(f.sent("at+WipBr=1"), Some(1));
    assert_eq!(f.sent("AT+WIPBRR=1"), None);
}

/// A NUL between the name and `=?` reads as the padding of the name's
/// head, but the line's cut takes it into the name: the test command is
/// still told from its tail, for a command whose only form is its test
/// (no selector to fall back on).
#[test]
fn a_nul_after_the_name_is_cut_as_before() {
    let src = r#"Spec(
        name: "Test only", version: "1.0", revision: "1", source: "test fixture",
        command_prefix: "+X",
        commands: [
            Command(name: "+XTST", title: "Test only", section: "1", timeout_ms: 1000,
                forms: [Form(kind: Test, name: "Test", section: "1.1",
                    responses: ["XtstTestAnswer"])]),
        ],
        messages: [
            Message(id: "XtstTestAnswer", prefix: "+XTST", kind: Info, test: true,
                section: "1.1", fields: [Param(name: "states", ty: Ranges)]),
        ],
    )"#;
    let d = fixture(src, "test-only.ron");
    let mut f = Framer::new(&d);
    for line in [
        "AT+XTST=?",
        "AT+XTST\0=?",
        "AT+XTST\0\0=?",
        "AT+XTST\0?",
        "AT+XTST\0",
    ] {
        let want = former(&d, &f.index, line);
        assert_eq!(effect(&mut f, line), want, "{line:?}");
    }
    assert!(matches!(
        effect(&mut f, "AT+XTST\0=?").1,
        InFlight::Form(0, 0)
    ));
}

#[test]
fn loads_read_short_slices_whole() {
    let bytes: Vec<u8> = (1..=20).collect();
    for n in 0..=20 {
        let b = bytes.get(..n).expect("in range");
        let mut want = [0u8; 16];
        for (w, x) in want.iter_mut().zip(b) {
            *w = *x;
        }
        let (lo, hi) = load16(b);
        assert_eq!(
            u128::from(lo) | u128::from(hi) << 64,
            u128::from_le_bytes(want),
            "{n}"
        );
    }
}

#[test]
fn heads_end_at_the_first_equals_or_question_mark() {
    for b in 0..=255u8 {
        let want = if b == b'=' || b == b'?' { HIGH } else { 0 };
        assert_eq!(stops(u64::from_le_bytes([b; 8])), want, "{b}");
    }
    // Bytes differ from their neighbours: no carry crosses a byte.
    let x = u64::from_le_bytes(*b"a=z?{`\xff\0");
    assert_eq!(stops(x), 0x80 << 8 | 0x80 << 24);
    assert_eq!(below(stops(x)), 0xff);
    assert_eq!(below(0), u64::MAX);
    let word = |b: &[u8]| load16(b).0;
    assert_eq!(head(b"at+wipbr=1,2"), Some((word(b"at+wipbr"), 0)));
    assert_eq!(
        head(b"AT+WIPDATARW?"),
        Some((word(b"AT+WIPDA"), word(b"TARW")))
    );
    assert_eq!(head(b"AT+WIPCFG"), Some((word(b"AT+WIPCF"), word(b"G"))));
    assert_eq!(head(b"AT+AVERYLONGNAMEX=1"), None);
    assert_eq!(
        head(b"AT+AVERYLONGNAME"),
        load16(b"AT+AVERYLONGNAME").into()
    );
    assert_eq!(head(b""), Some((0, 0)));
}

#[test]
fn session_keys_tell_lines_apart() {
    let a = LineKey::of(b"AT+WIPDATA=2,1,1");
    assert_eq!(a, LineKey::of(b"AT+WIPDATA=2,1,1"));
    assert_ne!(a, LineKey::of(b"AT+WIPDATA=2,1,2"));
    assert_ne!(LineKey::of(b"AT\0"), LineKey::of(b"AT"));
    assert!(a.whole());
    let file = b"AT+WIPFILE=4,1,1,\"a-very-long-file-name-here\"";
    assert_eq!(file.len(), 45);
    assert!(LineKey::of(file).whole());
    assert_ne!(
        LineKey::of(file),
        LineKey::of(b"AT+WIPFILE=4,1,1,\"a-very-long-file-name-HERE\"")
    );
    assert_ne!(
        LineKey::of(file),
        LineKey::of(b"AT+WIPFILE=4,1,1,\"a-very-lonG-file-name-here\"")
    );
    // Lines past 48 bytes that share a key are told apart by their text.
    let mut s = Sessions::default();
    let x = "AT+WIPFILE=4,1,1,\"0123456789abcdef\",0123456789,0123456789abcdef";
    let y = "AT+WIPFILE=4,1,1,\"0123456789abcdef\",9876543210,0123456789abcdef";
    assert!(!LineKey::of(x.as_bytes()).whole());
    assert_eq!(LineKey::of(x.as_bytes()), LineKey::of(y.as_bytes()));
    let session = Some(DataSession::default());
    s.insert(LineKey::of(x.as_bytes()), x, session);
    assert_eq!(s.get(&LineKey::of(x.as_bytes()), x), Some(session));
    assert_eq!(s.get(&LineKey::of(y.as_bytes()), y), None);
}

/// `sent_form` with indexes the dialect does not have (a request of
/// another spec's bindings, say) expects nothing the dialect knows: the
/// modem's answer is framed without a panic, its `+WIPBR` line taken for
/// no response of the unknown command, and its final result code ends it.
#[test]
fn sent_form_of_indexes_the_dialect_lacks_frames_without_panic() {
    let d = dialects().first().expect("rev 009");
    for (command, form) in [(usize::MAX, 0), (0, usize::MAX), (d.commands.len(), 1)] {
        let mut f = Framer::new(d);
        f.sent_form(command, form, "AT+WIPBR?");
        let mut events = Vec::new();
        f.feed(b"\r\n+WIPBR: 6,1\r\n\r\nOK\r\n", |e| {
            events.push(e.to_owned_event())
        });
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, crate::framer::OwnedEvent::Response { .. })),
            "{command}, {form}: {events:?}"
        );
        assert_eq!(
            events.last(),
            Some(&crate::framer::OwnedEvent::Final(wip_schema::Final::Ok)),
            "{command}, {form}"
        );
        assert!(!f.command_pending());
    }
}
