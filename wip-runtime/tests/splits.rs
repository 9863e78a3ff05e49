//! Framing must not depend on chunking: every split of a stream, down to
//! one-byte chunks, gives the events of the whole stream in one chunk
//! (data events merged).

use proptest::prelude::*;
use wip_runtime::framer::{coalesce, Framer, FramerConfig, OwnedEvent};
use wip_runtime::sample::RECORDED;

/// The rev 009 command set, from the spec.
fn rev009() -> &'static wip_runtime::Dialect {
    static D: std::sync::OnceLock<wip_runtime::Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let spec = wip_spec::default_spec().expect("the embedded spec checks");
        spec.dialect.clone()
    })
}

/// A stream with the host's actions at byte offsets: (offset, command
/// line or "+++").
#[derive(Debug, Clone)]
struct Stream {
    bytes: Vec<u8>,
    sends: Vec<(usize, String)>,
}

fn stream(steps: &[(&str, &[u8])]) -> Stream {
    let mut s = Stream {
        bytes: Vec::new(),
        sends: Vec::new(),
    };
    for (cmd, b) in steps {
        s.sends.push((s.bytes.len(), (*cmd).to_owned()));
        s.bytes.extend_from_slice(b);
    }
    s
}

/// Feeds the stream cut at `cuts` (and at every send).
fn replay(s: &Stream, cuts: &[usize], max_line: usize) -> Vec<OwnedEvent> {
    replay_in(s, cuts, max_line, false)
}

/// [`replay`], through `Framer::feed_buffered` where `buffered`: the
/// host keeps a read buffer, appends each read to it and drops what the
/// framer used, the line it left given again with the next read.
fn replay_in(s: &Stream, cuts: &[usize], max_line: usize, buffered: bool) -> Vec<OwnedEvent> {
    let mut points: Vec<usize> = cuts
        .iter()
        .copied()
        .chain(s.sends.iter().map(|x| x.0))
        .chain([0, s.bytes.len()])
        .filter(|&p| p <= s.bytes.len())
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut f = Framer::with_config(rev009(), FramerConfig { max_line });
    let mut out = Vec::new();
    let mut kept: Vec<u8> = Vec::new();
    for w in points.windows(2) {
        for (_, cmd) in s.sends.iter().filter(|x| x.0 == w[0]) {
            if cmd == "+++" {
                f.escape_sent();
            } else {
                f.sent(cmd);
            }
        }
        let read = &s.bytes[w[0]..w[1]];
        if buffered {
            kept.extend_from_slice(read);
            let used = f.feed_buffered(&kept, |e| out.push(e.to_owned_event()));
            assert!(used <= kept.len(), "used {used} of {}", kept.len());
            kept.drain(..used);
        } else {
            out.extend(f.feed_owned(read));
        }
    }
    // What is left is a line still waiting for its end: at most the limit.
    assert!(kept.len() <= max_line, "{} bytes left", kept.len());
    coalesce(out)
}

fn every_byte(s: &Stream) -> Vec<usize> {
    (1..s.bytes.len()).collect()
}

#[test]
fn recorded_stream_is_what_we_think() {
    let s = stream(RECORDED);
    let ev = replay(&s, &[], 4096);
    use wip_runtime::schema::EtxMeaning;
    use wip_runtime::Final;
    let finals: Vec<Final> = ev
        .iter()
        .filter_map(|e| match e {
            OwnedEvent::Final(f) => Some(*f),
            _ => None,
        })
        .collect();
    assert_eq!(
        finals,
        vec![
            Final::Ok,
            Final::Ok,
            Final::Ok,
            Final::Ok,
            Final::Ok,
            Final::Connect,
            Final::CmeError(Some(843)),
            Final::Connect,
            Final::Ok,
            Final::Error
        ]
    );
    assert!(ev.contains(&OwnedEvent::Shutdown));
    assert!(ev.contains(&OwnedEvent::EndOfData(Some(EtxMeaning::EndOfDatagram))));
    assert!(
        ev.contains(&OwnedEvent::Data(b"ab\x03\x10\r\ncd\r\nOK".to_vec())) || {
            // SHUTDOWN splits the data in two.
            ev.contains(&OwnedEvent::Data(b"ab\x03\x10".to_vec()))
        }
    );
    let responses = ev
        .iter()
        .filter(|e| matches!(e, OwnedEvent::Response { .. }))
        .count();
    assert_eq!(responses, 3);
    let urcs = ev
        .iter()
        .filter(|e| matches!(e, OwnedEvent::Urc { .. }))
        .count();
    // Six: the `+WIPDATA` between `+++` and its `OK` is a URC too
    // (erratum E42), not payload.
    assert_eq!(urcs, 6);
    assert!(!ev
        .iter()
        .any(|e| matches!(e, OwnedEvent::Data(d) if d.windows(8).any(|w| w == b"+WIPDATA"))));
    // One-byte chunks give the same.
    assert_eq!(replay(&s, &every_byte(&s), 4096), ev);
}

#[test]
fn all_two_way_splits_of_the_recorded_stream() {
    let s = stream(RECORDED);
    let whole = replay(&s, &[], 4096);
    for i in 0..=s.bytes.len() {
        assert_eq!(replay(&s, &[i], 4096), whole, "split at {i}");
        assert_eq!(
            replay_in(&s, &[i], 4096, true),
            whole,
            "buffered, split at {i}"
        );
    }
}

/// A host that keeps its reads is left each line it has only the start
/// of, and nothing else: the events are those of the whole stream, and a
/// line longer than the limit is dropped as it is in one chunk.
#[test]
fn a_buffered_host_is_left_the_line_in_progress_only() {
    let d = rev009();
    let mut f = Framer::new(d);
    f.sent("AT+WIPCREATE=2,1,\"1.2.3.4\",80");
    let mut n = 0;
    let mut count = |_: wip_runtime::Event<'_>| n += 1;
    // `\r\nOK\r\n` and the CR LF before the URC are used, the URC's start
    // is left.
    assert_eq!(f.feed_buffered(b"\r\nOK\r\n\r\n+WIPREA", &mut count), 8);
    assert!(!f.holds_bytes(), "nothing of the line is copied");
    assert_eq!(f.feed_buffered(b"+WIPREADY: 2,1\r\n", &mut count), 16);
    assert_eq!(n, 2);
    // Past the limit, the line is dropped, with its error, and used.
    let mut f = Framer::with_config(d, FramerConfig { max_line: 8 });
    let mut got = Vec::new();
    assert_eq!(
        f.feed_buffered(b"\r\n+WIP", |e| got.push(e.to_owned_event())),
        2
    );
    assert_eq!(
        f.feed_buffered(b"+WIPREADY: 2", |e| got.push(e.to_owned_event())),
        12
    );
    assert_eq!(
        f.feed_buffered(b",1\r\n\r\nOK\r\n", |e| got.push(e.to_owned_event())),
        10
    );
    assert_eq!(
        got,
        f_events_of_whole(d, 8, b"\r\n+WIPREADY: 2,1\r\n\r\nOK\r\n")
    );
}

/// A line begun before a command that awaits a prompt is not taken for
/// the prompt when it ends after it, whether the framer held its start or
/// left it to the host (`>` then a line feed is a line here, as in one
/// chunk).
#[test]
fn a_line_left_before_a_prompting_command_is_no_prompt() {
    let spec = wip_spec::load_str(include_str!("../../tests/specs/prompt.ron"), "prompt.ron")
        .expect("the prompt fixture checks");
    let d = &spec.dialect;
    let run = |buffered: bool| {
        let mut f = Framer::new(d);
        let mut got = Vec::new();
        let mut kept: Vec<u8> = Vec::new();
        for (send, read) in [(None, &b"\r\nx\r\n>"[..]), (Some("AT+CMGS=\"1\""), b"\n")] {
            if let Some(line) = send {
                f.sent(line);
            }
            if buffered {
                kept.extend_from_slice(read);
                let used = f.feed_buffered(&kept, |e| got.push(e.to_owned_event()));
                kept.drain(..used);
            } else {
                got.extend(f.feed_owned(read));
            }
        }
        coalesce(got)
    };
    let fed = run(false);
    assert!(
        !fed.iter().any(|e| matches!(e, OwnedEvent::Prompt)),
        "{fed:?}"
    );
    assert_eq!(run(true), fed);
}

/// A long line a buffered host gets a byte at a time (searched for its end
/// past what was searched, not again from its start) gives the events of
/// the line in one chunk, and one past the limit gives its one error.
#[test]
fn a_long_line_left_a_byte_at_a_time_is_the_line_whole() {
    let d = rev009();
    let hex = "3031".repeat(100);
    let stream = format!("\r\n+WIPDATARW: 2,1,2,1,\"{hex}\"\r\n\r\nOK\r\n\r\n+WIPREADY: 2,1\r\n");
    for max_line in [4096, 100] {
        let mut f = Framer::with_config(d, FramerConfig { max_line });
        let mut got = Vec::new();
        let mut kept: Vec<u8> = Vec::new();
        for b in stream.as_bytes() {
            kept.push(*b);
            let used = f.feed_buffered(&kept, |e| got.push(e.to_owned_event()));
            kept.drain(..used);
            assert!(kept.len() <= max_line, "{} bytes left", kept.len());
        }
        assert!(kept.is_empty());
        let whole = f_events_of_whole(d, max_line, stream.as_bytes());
        assert_eq!(coalesce(got), coalesce(whole.clone()), "limit {max_line}");
        let errors = whole
            .iter()
            .filter(|e| matches!(e, OwnedEvent::Error(_)))
            .count();
        assert_eq!(errors, usize::from(max_line == 100), "{whole:?}");
    }
}

/// The events of `bytes` in one chunk, no command in flight.
fn f_events_of_whole(d: &wip_runtime::Dialect, max_line: usize, bytes: &[u8]) -> Vec<OwnedEvent> {
    Framer::with_config(d, FramerConfig { max_line }).feed_owned(bytes)
}

#[test]
fn all_three_way_splits_of_the_recorded_stream() {
    let s = stream(RECORDED);
    let whole = replay(&s, &[], 4096);
    let n = s.bytes.len();
    let mut count = 0;
    for i in 0..=n {
        for j in i..=n {
            assert_eq!(replay(&s, &[i, j], 4096), whole, "split at {i}, {j}");
            count += 1;
        }
    }
    assert!(count > 50_000, "{count} splits");
}

/// Pieces that make streams the framer finds hard.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"\r\nOK\r\n".to_vec()),
        Just(b"\r\nERROR\r\n".to_vec()),
        Just(b"\r\nCONNECT\r\n".to_vec()),
        Just(b"\r\n+CME ERROR: 843\r\n".to_vec()),
        Just(b"\r\nNO CARRIER\r\n".to_vec()),
        Just(b"\r\nSHUTDOWN\r\n".to_vec()),
        Just(b"\r\n+WIPREADY: 2,1\r\n".to_vec()),
        Just(b"\r\n+WIPDATA: 2,1,1460\r\n".to_vec()),
        Just(b"\r\n+WIPDATA: 1,1,10,\"1.2.3.4\",80\r\n".to_vec()),
        Just(b"\r\n+WIPBR: 6,11,\"a,b\"\r\n".to_vec()),
        Just(b"\r\n+WIPBR: 6,1,\"1\",\"2\",\"3\",\"4\"\r\n".to_vec()),
        Just(b"\r\n6,1\r\n".to_vec()),
        Just(b"AT+WIPCFG=1\r".to_vec()),
        Just(vec![0x10]),
        Just(vec![0x03]),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        prop::collection::vec(any::<u8>(), 0..40),
        prop::collection::vec(b'x'..=b'z', 60..120),
    ]
}

fn command() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("AT+WIPBR=3,6,11".to_owned()),
        Just("AT+WIPBR?".to_owned()),
        Just("AT+WIPDATA=2,1,1".to_owned()),
        Just("AT+WIPDATA=1,1,1".to_owned()),
        Just("AT+WIPDATA=2,1,2".to_owned()),
        Just("AT+WIPFILE=4,1,1,\"f\"".to_owned()),
        Just("AT+CGSN".to_owned()),
        Just("+++".to_owned()),
    ]
}

fn generated() -> impl Strategy<Value = Stream> {
    prop::collection::vec((command(), prop::collection::vec(piece(), 0..8)), 1..6).prop_map(
        |steps| {
            let mut s = Stream {
                bytes: Vec::new(),
                sends: Vec::new(),
            };
            for (cmd, pieces) in steps {
                s.sends.push((s.bytes.len(), cmd));
                for p in pieces {
                    s.bytes.extend_from_slice(&p);
                }
            }
            s
        },
    )
}

fn cuts(len: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..=len, 0..12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn generated_streams_split_anywhere(
        (s, cuts) in generated().prop_flat_map(|s| {
            let n = s.bytes.len();
            (Just(s), cuts(n))
        })
    ) {
        // A small line limit exercises the overlong-line resync too.
        let whole = replay(&s, &[], 64);
        prop_assert_eq!(&replay(&s, &cuts, 64), &whole);
        prop_assert_eq!(&replay(&s, &every_byte(&s), 64), &whole);
        // The same with the host keeping the reads (a line left to it).
        prop_assert_eq!(&replay_in(&s, &[], 64, true), &whole);
        prop_assert_eq!(&replay_in(&s, &cuts, 64, true), &whole);
        prop_assert_eq!(&replay_in(&s, &every_byte(&s), 64, true), &whole);
    }

    #[test]
    fn recorded_stream_split_anywhere(cuts in cuts(1000)) {
        let s = stream(RECORDED);
        prop_assert_eq!(replay(&s, &cuts, 4096), replay(&s, &[], 4096));
        prop_assert_eq!(replay_in(&s, &cuts, 4096, true), replay(&s, &[], 4096));
    }
}
