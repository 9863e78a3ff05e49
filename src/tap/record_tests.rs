use std::cell::RefCell;
use std::rc::Rc;

use super::*;
use crate::tap::sink::{Options, Sink};

const GUARD: Duration = Duration::from_millis(100);

fn spec() -> Dialect {
    let s = wip_spec::default_spec().unwrap();
    s.dialect.clone()
}

/// (side, bytes, milliseconds since the start)
type Script = Vec<(Side, Vec<u8>, u64)>;

fn session() -> Script {
    use Side::*;
    let mut up = b"GET /\r\n".to_vec();
    // Payload with an escaped DLE, an escaped ETX and `+++` inside data.
    up.extend_from_slice(&[0x10, 0x10, b'a', 0x10, 0x03, b'+', b'+', b'+', b'b']);
    let mut down = b"HTTP/1.0 200 OK\r\n".to_vec();
    // `\r\nOK\r\n` inside the payload is data: no `+++` was sent.
    down.extend_from_slice(b"x\r\nOK\r\ny\x10\x03z");
    vec![
        // The stack and the bearer were started before the recording.
        (Host, b"AT+WIPBR=4,6,0\r".to_vec(), 0),
        (Modem, b"AT+WIPBR=4,6,0\r\r\nOK\r\n".to_vec(), 5),
        (Host, b"AT+WIPCREATE=2,1,\"10.0.0.1\",80\r".to_vec(), 10),
        (
            Modem,
            b"AT+WIPCREATE=2,1,\"10.0.0.1\",80\r\r\nOK\r\n".to_vec(),
            15,
        ),
        (Modem, b"\r\n+WIPREADY: 2,1\r\n".to_vec(), 20),
        (Host, b"AT+WIPDATA=2,1,1\r".to_vec(), 30),
        (Modem, b"AT+WIPDATA=2,1,1\r\r\nCONNECT\r\n".to_vec(), 35),
        (Host, up, 40),
        (Modem, down, 50),
        (Host, b"+++".to_vec(), 400),
        (Modem, b"\r\nOK\r\n".to_vec(), 700),
        (Host, b"AT+WIPCLOSE=2,1\r".to_vec(), 800),
        (
            Modem,
            b"AT+WIPCLOSE=2,1\r\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,1\r\n".to_vec(),
            805,
        ),
    ]
}

/// A recorder with the tests' guard time, whose sides never go idle.
fn recorder(d: &Dialect) -> Recorder<'_> {
    recorder_timed(d, true)
}

/// [`recorder`], writing the guard times of a `+++` when `times`.
fn recorder_timed(d: &Dialect, times: bool) -> Recorder<'_> {
    Recorder::new(
        d,
        Config {
            guard: GUARD,
            idle: Duration::from_secs(3600),
            times,
        },
    )
}

/// Plays `script`, each message cut by `cut` (which gives the chunk
/// lengths), with a tick before each message.
fn play(script: &Script, cut: &mut dyn FnMut(usize) -> Vec<usize>) -> Vec<Recorded> {
    play_timed(script, cut, true)
}

/// [`play`] with a recorder that writes guard times when `times`.
fn play_timed(
    script: &Script,
    cut: &mut dyn FnMut(usize) -> Vec<usize>,
    times: bool,
) -> Vec<Recorded> {
    let d = spec();
    let mut r = recorder_timed(&d, times);
    let t0 = Instant::now();
    let mut out = Vec::new();
    for (side, bytes, ms) in script {
        let at = t0 + Duration::from_millis(*ms);
        r.tick(at);
        let mut rest: &[u8] = bytes;
        for n in cut(bytes.len()) {
            let (a, b) = rest.split_at(n.min(rest.len()));
            r.feed("1", *side, a, at);
            rest = b;
        }
        r.feed("1", *side, rest, at);
        out.extend(r.take());
    }
    r.close_all();
    out.extend(r.take());
    out
}

fn events(rs: &[Recorded]) -> Vec<Event> {
    rs.iter().map(|r| r.event.clone()).collect()
}

fn cmd(t: &str) -> Event {
    Event::Command {
        text: t.into(),
        comment: None,
    }
}

fn modem(t: &str) -> Event {
    Event::ModemLine {
        text: t.into(),
        comment: None,
    }
}

fn concat(rs: &[Event], host: bool) -> Vec<u8> {
    let mut v = Vec::new();
    for e in rs {
        match (e, host) {
            (Event::HostData(b), true) | (Event::ModemData(b), false) => v.extend_from_slice(b),
            _ => {}
        }
    }
    v
}

#[test]
fn records_commands_lines_payload_and_escape() {
    let s = session();
    let ev = events(&play(&s, &mut |_| Vec::new()));
    let lines: Vec<&Event> = ev
        .iter()
        .filter(|e| !matches!(e, Event::HostData(_) | Event::ModemData(_)))
        .collect();
    assert_eq!(
        lines,
        vec![
            &cmd("AT+WIPBR=4,6,0"),
            &modem("OK"),
            &cmd("AT+WIPCREATE=2,1,\"10.0.0.1\",80"),
            &modem("OK"),
            &modem("+WIPREADY: 2,1"),
            &cmd("AT+WIPDATA=2,1,1"),
            &modem("CONNECT"),
            &Event::Escape {
                comment: Some("guard 360 ms before, 300 ms after".into())
            },
            &modem("OK"),
            &cmd("AT+WIPCLOSE=2,1"),
            &modem("OK"),
            &modem("+WIPPEERCLOSE: 2,1"),
        ]
    );
    // The payload is exactly what crossed the wire, escapes included.
    assert_eq!(concat(&ev, true), s[7].1);
    assert_eq!(concat(&ev, false), s[8].1);
    // Lines are cut after each LF.
    assert_eq!(ev[7], Event::HostData(b"GET /\r\n".to_vec()));
}

#[test]
fn without_times_an_escape_has_no_guard_times() {
    let escapes = |script: &Script, times: bool| -> Vec<Option<String>> {
        play_timed(script, &mut |_| Vec::new(), times)
            .into_iter()
            .filter_map(|r| match r.event {
                Event::Escape { comment } => Some(comment),
                _ => None,
            })
            .collect()
    };
    let s = session();
    assert_eq!(
        escapes(&s, true),
        vec![Some("guard 360 ms before, 300 ms after".to_string())]
    );
    assert_eq!(escapes(&s, false), vec![None]);
    // A `+++` the modem has not answered when the host writes again
    // keeps what became of it, without its guard times.
    let mut cut: Script = s
        .iter()
        .take_while(|(_, b, _)| b.as_slice() != b"+++")
        .cloned()
        .collect();
    cut.push((Side::Host, b"+++".to_vec(), 400));
    cut.push((Side::Host, b"x".to_vec(), 800));
    let with = escapes(&cut, true);
    assert!(
        matches!(with.as_slice(), [Some(c)] if c.starts_with("guard 360 ms before, ") && c.ends_with(" ms after, no answer yet")),
        "{with:?}"
    );
    assert_eq!(
        escapes(&cut, false),
        vec![Some("no answer yet".to_string())]
    );
}

#[test]
fn output_does_not_depend_on_chunking() {
    for s in [session(), session_with_urcs_at_the_escape()] {
        let whole = play(&s, &mut |_| Vec::new());
        let bytes = play(&s, &mut |n| vec![1; n]);
        assert_eq!(whole, bytes);
        for k in 2..7 {
            let split = play(&s, &mut |n| vec![k; n / k]);
            assert_eq!(whole, split, "chunks of {k}");
        }
    }
    // The URCs after the `+++` are lines, the one in the data before it
    // payload.
    let ev = events(&play(&session_with_urcs_at_the_escape(), &mut |_| {
        Vec::new()
    }));
    let lines: Vec<&Event> = ev
        .iter()
        .skip_while(|e| !matches!(e, Event::Escape { .. }))
        .take(4)
        .collect();
    assert!(
        matches!(lines.first(), Some(Event::Escape { .. })),
        "{ev:?}"
    );
    assert!(
        matches!(lines.get(1), Some(Event::ModemLine { text, .. }) if text.starts_with("+WIPDATARW: 2,2,1,1,")),
        "{ev:?}"
    );
    assert_eq!(lines.get(2), Some(&&modem("+WIPPEERCLOSE: 2,1")));
    assert_eq!(lines.get(3), Some(&&modem("OK")));
    assert!(
        concat(&ev, false).ends_with(b"\r\n+WIPREADY: 2,1\r\n"),
        "{ev:?}"
    );
}

/// The session, with a peer close and a data offline block that came
/// while the `+++` waited (erratum E42) before the escape's `OK`, and a
/// line that looks like a URC in the data before it.
fn session_with_urcs_at_the_escape() -> Script {
    let mut s = session();
    let block = format!(
        "\r\n+WIPDATARW: 2,2,1,1,\"{}\"\r\n\r\n+WIPPEERCLOSE: 2,1\r\n\r\nOK\r\n",
        "3A".repeat(200)
    );
    for (side, bytes, _) in s.iter_mut() {
        if *side == Side::Modem && bytes.as_slice() == b"\r\nOK\r\n" {
            *bytes = block.clone().into_bytes();
            break;
        }
    }
    if let Some((_, down, _)) = s.get_mut(8) {
        down.extend_from_slice(b"\r\n+WIPREADY: 2,1\r\n");
    }
    s
}

proptest::proptest! {
    #[test]
    fn any_split_gives_the_same_events(seed in proptest::collection::vec(1usize..9, 1..40), urcs: bool) {
        let s = if urcs { session_with_urcs_at_the_escape() } else { session() };
        let whole = play(&s, &mut |_| Vec::new());
        let mut i = 0;
        let got = play(&s, &mut |n| {
            let mut v = Vec::new();
            let mut left = n;
            while left > 0 {
                let k = seed[i % seed.len()].min(left);
                i += 1;
                v.push(k);
                left -= k;
            }
            v
        });
        proptest::prop_assert_eq!(whole, got);
    }
}

#[test]
fn plus_inside_data_or_without_silence_is_data() {
    use Side::*;
    let s: Script = vec![
        (Host, b"AT+WIPDATA=2,1,1\r".to_vec(), 0),
        (Modem, b"\r\nCONNECT\r\n".to_vec(), 5),
        (Host, b"a+++".to_vec(), 300),
        (Host, b"+++b".to_vec(), 600),
    ];
    let ev = events(&play(&s, &mut |_| Vec::new()));
    assert!(!ev.iter().any(|e| matches!(e, Event::Escape { .. })));
    assert_eq!(concat(&ev, true), b"a++++++b");
}

#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_written_transcript_verifies_and_reads_back() {
    let d = spec();
    let s = session();
    let rs = play(&s, &mut |_| Vec::new());
    let (file, report) = (Shared::default(), Shared::default());
    let mut sink = Sink::new(
        Box::new(file.clone()),
        Box::new(report.clone()),
        Options {
            name: "t.at".into(),
            check: Some(&d),
            stage: true,
            timestamps: true,
        },
    );
    for r in &rs {
        sink.write(r, Some(Instant::now())).unwrap();
    }
    assert_eq!(sink.finish("end").unwrap(), 0);
    let text = String::from_utf8(file.0.borrow().clone()).unwrap();
    assert!(report.0.borrow().is_empty(), "{text}");
    assert!(
        text.contains("@peer tcp tcp1 listen 10.0.0.1:80\nAT+WIPCREATE"),
        "{text}"
    );
    assert!(text.contains("@expect tcp1 \"GET /\\r\\n\"\n"), "{text}");
    assert!(text.contains("@close tcp1\n+WIPPEERCLOSE: 2,1"), "{text}");
    assert!(wip_transcript::verify::verify(&d, text.as_bytes())
        .unwrap()
        .is_empty());
    // Read back, the payload is the bytes of the wire.
    let evs: Vec<Event> = wip_transcript::parse_str(&text)
        .unwrap()
        .into_iter()
        .map(|e| e.value)
        .collect();
    assert_eq!(concat(&evs, true), s[7].1);
    assert_eq!(concat(&evs, false), s[8].1);
}

#[test]
fn a_violation_is_reported_at_its_line() {
    use Side::*;
    let d = spec();
    let s: Script = vec![
        (Host, b"AT+WIPCFG=1\r".to_vec(), 0),
        (Modem, b"\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,9\r\n".to_vec(), 5),
    ];
    let rs = play(&s, &mut |_| Vec::new());
    let (file, report) = (Shared::default(), Shared::default());
    let mut sink = Sink::new(
        Box::new(file.clone()),
        Box::new(report.clone()),
        Options {
            name: "t.at".into(),
            check: Some(&d),
            stage: false,
            timestamps: false,
        },
    );
    for r in &rs {
        sink.write(r, None).unwrap();
    }
    let live = String::from_utf8(report.0.borrow().clone()).unwrap();
    assert!(live.starts_with("t.at:3: "), "{live}");
    assert!(live.contains("     3 | +WIPPEERCLOSE: 2,9"), "{live}");
    assert_eq!(sink.finish("end").unwrap(), 1);
}

#[test]
fn the_echo_is_dropped_even_after_a_urc() {
    use Side::*;
    let s: Script = vec![
        (Host, b"AT+WIPCFG=1\r".to_vec(), 0),
        (
            Modem,
            b"\r\n+WIPPEERCLOSE: 2,1\r\nAT+WIPCFG=1\r\r\nOK\r\n".to_vec(),
            5,
        ),
        // Without echo (ATE0), a modem line starting with AT is not one.
        (Host, b"AT+WIPCFG=3\r".to_vec(), 10),
        (Modem, b"\r\nAT+WIPCFG=1\r\n\r\nOK\r\n".to_vec(), 15),
    ];
    let ev = events(&play(&s, &mut |_| Vec::new()));
    assert_eq!(
        ev[..4],
        [
            cmd("AT+WIPCFG=1"),
            modem("+WIPPEERCLOSE: 2,1"),
            modem("OK"),
            cmd("AT+WIPCFG=3")
        ]
    );
    assert!(
        matches!(&ev[4], Event::Comment(c) if c.contains("AT+WIPCFG=1")),
        "{ev:?}"
    );
    assert_eq!(ev[5], modem("OK"));
}

#[test]
fn a_file_sent_in_data_mode_ends_with_the_modems_ok() {
    use Side::*;
    let s: Script = vec![
        (Host, b"AT+WIPFILE=4,1,2,\"f.txt\"\r".to_vec(), 0),
        (Modem, b"\r\nCONNECT\r\n".to_vec(), 5),
        // An escaped ETX is data; the lone one ends the file.
        (Host, b"ab\x10\x03c\x03".to_vec(), 10),
        (Modem, b"\r\nOK\r\n".to_vec(), 15),
    ];
    let ev = events(&play(&s, &mut |_| Vec::new()));
    assert_eq!(
        ev,
        [
            cmd("AT+WIPFILE=4,1,2,\"f.txt\""),
            modem("CONNECT"),
            Event::HostData(b"ab\x10\x03c\x03".to_vec()),
            modem("OK"),
        ]
    );
}

#[test]
fn unmapping_from_another_channel_ends_data_mode() {
    let d = spec();
    let mut r = recorder(&d);
    let t = Instant::now();
    r.feed("1", Side::Host, b"AT+WIPDATA=1,1,1\r", t);
    r.feed("1", Side::Modem, b"\r\nCONNECT\r\n", t);
    r.feed("1", Side::Modem, b"x\r\nOK\r\n", t);
    // Channel 2 unmaps the socket of channel 1 (6.2.4, manual 9.2).
    r.feed("2", Side::Host, b"AT+WIPDATA=1,1,0\r", t);
    r.feed("2", Side::Modem, b"\r\nOK\r\n", t);
    r.feed("1", Side::Modem, b"y\r\nOK\r\n", t);
    let got: Vec<(String, Event)> = r.take().into_iter().map(|e| (e.channel, e.event)).collect();
    let on = |c: &str, e: Event| (c.to_owned(), e);
    assert_eq!(
        got,
        [
            on("1", cmd("AT+WIPDATA=1,1,1")),
            on("1", modem("CONNECT")),
            // Before the unmap, `\r\nOK\r\n` was data (lines are cut
            // after each LF).
            on("1", Event::ModemData(b"x\r\n".to_vec())),
            on("1", Event::ModemData(b"OK\r\n".to_vec())),
            on("2", cmd("AT+WIPDATA=1,1,0")),
            on("2", modem("OK")),
            on("1", Event::ModemData(b"y".to_vec())),
            on("1", modem("OK")),
        ]
    );
}

/// Data mode goes on where nothing can end it: after the host's ETX on a
/// TCP socket (a shutdown, 6.2.11.1), after a command of another UART that
/// unmaps nothing, and after a UDP datagram's ETX (6.2.2.3), the modem's
/// `\r\nOK\r\n` is data.
#[test]
fn data_mode_goes_on_where_nothing_can_end_it() {
    let d = spec();
    let mut r = recorder(&d);
    let t = Instant::now();
    // TCP: the host shuts its side down, the peer answers.
    r.feed("1", Side::Host, b"AT+WIPDATA=2,1,1\r", t);
    r.feed("1", Side::Modem, b"\r\nCONNECT\r\n", t);
    r.feed("1", Side::Host, b"GET /\r\n\x03", t);
    r.feed("1", Side::Modem, b"a\r\nOK\r\n", t);
    // Another UART sends a command that unmaps nothing.
    r.feed("2", Side::Host, b"AT\r", t);
    r.feed("2", Side::Modem, b"\r\nOK\r\n", t);
    r.feed("1", Side::Modem, b"b\r\nOK\r\n", t);
    // UDP: a datagram ends with the modem's ETX; more data follows.
    r.feed("3", Side::Host, b"AT+WIPDATA=1,2,1\r", t);
    r.feed("3", Side::Modem, b"\r\nCONNECT\r\n", t);
    r.feed("3", Side::Modem, b"first\x03\r\nOK\r\nsecond\x03", t);
    let got: Vec<(String, Event)> = r.take().into_iter().map(|e| (e.channel, e.event)).collect();
    let lines: Vec<&(String, Event)> = got
        .iter()
        .filter(|(_, e)| matches!(e, Event::ModemLine { .. }))
        .collect();
    let on = |c: &str, e: Event| (c.to_owned(), e);
    assert_eq!(
        lines,
        [
            &on("1", modem("CONNECT")),
            &on("2", modem("OK")),
            &on("3", modem("CONNECT")),
        ],
        "{got:?}"
    );
}

/// 6.2.2.1: the peer's shutdown of a mapped TCP socket is one line, `<<
/// \r\nSHUTDOWN\r\n`, even when the modem's bytes come one at a time; a
/// bare CR LF of the data is joined to the line after it.
#[test]
fn a_shutdown_indication_is_one_line() {
    let d = spec();
    let mut r = recorder(&d);
    let t = Instant::now();
    r.feed("1", Side::Host, b"AT+WIPDATA=2,1,1\r", t);
    r.feed("1", Side::Modem, b"\r\nCONNECT\r\n", t);
    for b in b"data\r\n\r\nmore\r\n\r\nSHUTDOWN\r\n" {
        r.feed("1", Side::Modem, &[*b], t);
    }
    let got: Vec<Event> = r.take().into_iter().map(|e| e.event).collect();
    assert_eq!(
        got,
        [
            cmd("AT+WIPDATA=2,1,1"),
            modem("CONNECT"),
            Event::ModemData(b"data\r\n".to_vec()),
            Event::ModemData(b"\r\nmore\r\n".to_vec()),
            Event::ModemData(b"\r\nSHUTDOWN\r\n".to_vec()),
        ]
    );
}

/// A modem reads a command line once the one before it is answered: lines
/// the host wrote meanwhile (in one write with it, or after) are written
/// after that answer, each with its own, and the bytes after the `<CR>` of
/// a command that opens data mode are its first payload, as the modem
/// takes them (`wip sim` puts them back for the new mode). The transcript
/// is the same however the host's writes were cut.
#[test]
fn lines_written_ahead_of_an_answer_are_read_after_it() {
    use Side::*;
    let ahead: Script = vec![
        (
            Host,
            b"AT\rAT+WIPCFG=1\rAT+WIPDATA=2,1,1\r\nping\n".to_vec(),
            0,
        ),
        (Modem, b"AT\r\r\nOK\r\n".to_vec(), 5),
        (Modem, b"AT+WIPCFG=1\r\r\nOK\r\n".to_vec(), 10),
        (Modem, b"AT+WIPDATA=2,1,1\r\r\nCONNECT\r\n".to_vec(), 15),
    ];
    let want = vec![
        cmd("AT"),
        modem("OK"),
        cmd("AT+WIPCFG=1"),
        modem("OK"),
        cmd("AT+WIPDATA=2,1,1"),
        modem("CONNECT"),
        Event::HostData(b"\n".to_vec()),
        Event::HostData(b"ping\n".to_vec()),
    ];
    assert_eq!(events(&play(&ahead, &mut |_| Vec::new())), want);
    // Byte by byte, and each line in a write of its own after its answer.
    assert_eq!(events(&play(&ahead, &mut |n| vec![1; n])), want);
    let apart: Script = vec![
        (Host, b"AT\r".to_vec(), 0),
        (Modem, b"AT\r\r\nOK\r\n".to_vec(), 5),
        (Host, b"AT+WIPCFG=1\r".to_vec(), 6),
        (Modem, b"AT+WIPCFG=1\r\r\nOK\r\n".to_vec(), 10),
        (Host, b"AT+WIPDATA=2,1,1\r".to_vec(), 11),
        (Host, b"\nping\n".to_vec(), 12),
        (Modem, b"AT+WIPDATA=2,1,1\r\r\nCONNECT\r\n".to_vec(), 15),
    ];
    assert_eq!(events(&play(&apart, &mut |_| Vec::new())), want);
    // A command never answered: what was held behind it is written when
    // the channel ends.
    let unanswered: Script = vec![(Host, b"AT+WIPCFG=1\rAT\rAT+WIPCFG?\r".to_vec(), 0)];
    assert_eq!(
        events(&play(&unanswered, &mut |_| Vec::new())),
        vec![cmd("AT+WIPCFG=1"), cmd("AT"), cmd("AT+WIPCFG?")]
    );
    // Past what is held (64 KiB), the lines are written in their order,
    // whole, however the host's writes were cut.
    let mut flood = b"AT+WIPCFG=1\r".to_vec();
    let mut want = vec![cmd("AT+WIPCFG=1")];
    for n in 0..7000 {
        flood.extend_from_slice(format!("AT+WIPCFG=2,0,{}\r", n % 256).as_bytes());
        want.push(cmd(&format!("AT+WIPCFG=2,0,{}", n % 256)));
    }
    let flooded: Script = vec![(Host, flood.clone(), 0)];
    assert_eq!(events(&play(&flooded, &mut |_| Vec::new())), want);
    assert_eq!(events(&play(&flooded, &mut |n| vec![4093; n / 4093])), want);
    assert_eq!(events(&play(&flooded, &mut |n| vec![3; n / 3])), want);
    // The release comes at exactly 64 KiB held: an answer after it is
    // written at the same place whatever the reads.
    let answered: Script = vec![(Host, flood, 0), (Modem, b"\r\nOK\r\n".to_vec(), 5)];
    let whole = events(&play(&answered, &mut |_| Vec::new()));
    assert!(whole.contains(&modem("OK")), "{whole:?}");
    assert_eq!(events(&play(&answered, &mut |n| vec![999; n / 999])), whole);
}

/// A file transfer the modem ends before any payload (an upload the server
/// refused: the modem sends the host no data in an upload) ends data mode
/// with that final result, whether or not the host's ETX came, however the
/// host's payload was cut.
#[test]
fn a_final_result_before_any_payload_ends_a_transfer() {
    use Side::*;
    let refused: Script = vec![
        (Host, b"AT+WIPFILE=5,1,4,\"http://h/up\"\r".to_vec(), 0),
        (
            Modem,
            b"AT+WIPFILE=5,1,4,\"http://h/up\"\r\r\nCONNECT\r\n".to_vec(),
            5,
        ),
        (Host, b"body".to_vec(), 10),
        (Modem, b"\r\n+CME ERROR: 860\r\n".to_vec(), 15),
        (Host, b"AT\r".to_vec(), 20),
        (Modem, b"AT\r\r\nOK\r\n".to_vec(), 25),
    ];
    let want = vec![
        cmd("AT+WIPFILE=5,1,4,\"http://h/up\""),
        modem("CONNECT"),
        Event::HostData(b"body".to_vec()),
        modem("+CME ERROR: 860"),
        cmd("AT"),
        modem("OK"),
    ];
    assert_eq!(events(&play(&refused, &mut |_| Vec::new())), want);
    assert_eq!(events(&play(&refused, &mut |n| vec![1; n])), want);
    // Once the modem sent payload (a download), `\r\nOK\r\n` in it is data.
    let download: Script = vec![
        (Host, b"AT+WIPFILE=5,1,1,\"http://h/d\"\r".to_vec(), 0),
        (
            Modem,
            b"AT+WIPFILE=5,1,1,\"http://h/d\"\r\r\nCONNECT\r\n".to_vec(),
            5,
        ),
        (Modem, b"x\r\nOK\r\n".to_vec(), 10),
    ];
    let got = events(&play(&download, &mut |_| Vec::new()));
    assert!(!got.contains(&modem("OK")), "{got:?}");
}

/// A command line with the remains of data before its `AT` (what a modem
/// passes over, as `wip sim` does) is recorded from its `AT`, and its
/// echo, the whole line, is left out, what it repeats before the prefix
/// written as a comment; a line without a prefix is no command, and gets
/// no answer: the modem's echo of it runs on into the next command's.
#[test]
fn a_command_after_the_remains_of_data_is_recorded_from_its_prefix() {
    use Side::*;
    let d = spec();
    let script: Script = vec![
        (Host, b"il>\x03AT+WIPCFG?\r".to_vec(), 0),
        (Modem, b"il>\x03AT+WIPCFG?\r\r\nOK\r\n".to_vec(), 5),
        (Host, b"no prefix\r".to_vec(), 10),
        (Host, b" AT\r".to_vec(), 20),
        (Modem, b"no prefix\r AT\r\r\nOK\r\n".to_vec(), 25),
    ];
    let rs = play(&script, &mut |_| Vec::new());
    let got = events(&rs);
    assert_eq!(
        got,
        [
            cmd("AT+WIPCFG?"),
            Event::Comment(
                "the modem echoed `il>[ETX]` before the command, bytes the host sent ahead of its prefix"
                    .into()
            ),
            modem("OK"),
            Event::Comment("the host sent `no prefix`, which is not a command line".into()),
            cmd("AT"),
            Event::Comment(
                "the modem echoed `no prefix\\r\\x20` before the command, bytes the host sent ahead of its prefix"
                    .into()
            ),
            modem("OK"),
        ],
    );
    assert_eq!(events(&play(&script, &mut |n| vec![1; n])), got);
    let (text, live, n) = write_checked(&d, &rs);
    assert_eq!((n, live.as_str()), (0, ""), "{text}");
}

/// Writes `rs` as `wip tap --check` does; gives the transcript, the live
/// report and its count of violations.
fn write_checked(d: &Dialect, rs: &[Recorded]) -> (String, String, usize) {
    let (file, report) = (Shared::default(), Shared::default());
    let mut sink = Sink::new(
        Box::new(file.clone()),
        Box::new(report.clone()),
        Options {
            name: "t.at".into(),
            check: Some(d),
            stage: false,
            timestamps: false,
        },
    );
    for r in rs {
        sink.write(r, None).unwrap();
    }
    let n = sink.finish("end").unwrap();
    let text = String::from_utf8(file.0.borrow().clone()).unwrap();
    let live = String::from_utf8(report.0.borrow().clone()).unwrap();
    (text, live, n)
}

/// An MMS file past its declared size (6.1.9): the modem leaves data mode
/// by itself after the 4 bytes of `b.jpg` and answers `OK`; the `AB` the
/// host wrote after them, which the tap saw as payload, and the `+++` it
/// sends later are the modem's AT input, and its echo of the next command
/// starts with them.
fn past_its_size(escape_in_data: bool) -> Script {
    use Side::*;
    let mut s: Script = vec![
        (Host, b"AT+WIPFILE=8,1,2,\"b.jpg\",\"<b>\"\r".to_vec(), 0),
        (
            Modem,
            b"AT+WIPFILE=8,1,2,\"b.jpg\",\"<b>\"\r\r\nCONNECT\r\n".to_vec(),
            5,
        ),
        (Host, b"\xFF\xD8\x10\x10\x10\x03AB".to_vec(), 10),
    ];
    if escape_in_data {
        // The tap reads the host's `+++` before the modem's `OK`.
        s.push((Host, b"+++".to_vec(), 300));
        s.push((Modem, b"\r\nOK\r\n".to_vec(), 305));
    } else {
        s.push((Modem, b"\r\nOK\r\n".to_vec(), 15));
        s.push((Host, b"+++".to_vec(), 300));
    }
    s.extend([
        (Modem, b"\r\n+WIPFILE: 8,1,4\r\n".to_vec(), 400),
        (Host, b"AT+WIPCFG?\r".to_vec(), 1000),
        (
            Modem,
            b"AB+++AT+WIPCFG?\r\r\n+WIPCFG: 0,64\r\n\r\nOK\r\n".to_vec(),
            1005,
        ),
        (Host, b"AT\r".to_vec(), 1010),
        (Modem, b"AT\r\r\nOK\r\n".to_vec(), 1015),
    ]);
    s
}

/// The modem's echo of a command may start with bytes the host sent before
/// its prefix, some of them payload to the tap (the remains of data the
/// modem stopped taking): the echo is left out, those bytes are written in
/// a comment, and the transcript verifies, however the reads were cut.
#[test]
fn an_echo_after_the_remains_of_data_is_left_out() {
    let d = spec();
    for escape_in_data in [false, true] {
        let s = past_its_size(escape_in_data);
        let whole = play(&s, &mut |_| Vec::new());
        let ev = events(&whole);
        let lines: Vec<&Event> = ev
            .iter()
            .filter(|e| !matches!(e, Event::HostData(_) | Event::ModemData(_)))
            .collect();
        let stray = Event::Comment(
            "the modem echoed `AB+++` before the command, bytes the host sent ahead of its prefix"
                .into(),
        );
        let mut want = vec![
            cmd("AT+WIPFILE=8,1,2,\"b.jpg\",\"<b>\""),
            modem("CONNECT"),
            modem("OK"),
            modem("+WIPFILE: 8,1,4"),
            cmd("AT+WIPCFG?"),
            stray,
            modem("+WIPCFG: 0,64"),
            modem("OK"),
            cmd("AT"),
            modem("OK"),
        ];
        if escape_in_data {
            want.insert(2, Event::Escape { comment: None });
        }
        let lines: Vec<Event> = lines
            .into_iter()
            .cloned()
            .map(|e| match e {
                Event::Escape { .. } => Event::Escape { comment: None },
                e => e,
            })
            .collect();
        assert_eq!(lines, want, "{ev:?}");
        assert_eq!(concat(&ev, true), b"\xFF\xD8\x10\x10\x10\x03AB");
        assert_eq!(play(&s, &mut |n| vec![1; n]), whole);
        for k in 2..9 {
            assert_eq!(play(&s, &mut |n| vec![k; n / k]), whole, "chunks of {k}");
        }
        let (text, live, n) = write_checked(&d, &whole);
        assert_eq!((n, live.as_str()), (0, ""), "{text}");
        assert!(
            wip_transcript::verify::verify(&d, text.as_bytes())
                .unwrap()
                .is_empty(),
            "{text}"
        );
    }
}

/// Only the bytes the host sent right before the prefix make an echo: a
/// modem line that ends with the command but starts otherwise is the
/// modem's own, and is written.
#[test]
fn a_modem_line_ending_with_the_command_is_no_echo_unless_the_host_sent_its_start() {
    use Side::*;
    for start in [&b"XB+++"[..], b"AB++", b"A+++", b"xAB+++"] {
        let mut s = past_its_size(false);
        let mut line = start.to_vec();
        line.extend_from_slice(b"AT+WIPCFG?\r\r\n+WIPCFG: 0,64\r\n\r\nOK\r\n");
        for (side, bytes, _) in s.iter_mut() {
            if *side == Modem && bytes.ends_with(b"+WIPCFG: 0,64\r\n\r\nOK\r\n") {
                *bytes = line.clone();
            }
        }
        let ev = events(&play(&s, &mut |_| Vec::new()));
        let shown = String::from_utf8_lossy(start);
        assert!(ev.contains(&modem(&format!("{shown}AT+WIPCFG?"))), "{ev:?}");
        assert!(
            !ev.iter()
                .any(|e| matches!(e, Event::Comment(c) if c.contains("echoed"))),
            "{ev:?}"
        );
    }
}

/// A peer close that came between the host's `+++` and its `OK` (erratum
/// E42) is the modem's line after the `+++`, not payload, however the
/// bytes are cut; the transcript verifies. A line that is no URC of the
/// spec stays payload.
#[test]
fn a_urc_between_the_escape_and_its_ok_is_a_line_after_the_escape() {
    use Side::*;
    let script = |answer: &[u8]| -> Script {
        vec![
            (Host, b"AT+WIPDATA=2,1,1\r".to_vec(), 0),
            (Modem, b"\r\nCONNECT\r\n".to_vec(), 5),
            (Modem, b"data".to_vec(), 10),
            (Host, b"+++".to_vec(), 400),
            (Modem, answer.to_vec(), 700),
        ]
    };
    let s = script(b"\r\n+WIPPEERCLOSE: 2,1\r\n\r\nOK\r\n");
    let mut whole = None;
    for n in [0usize, 1, 2, 5, 7] {
        let ev = events(&play(&s, &mut |len| {
            if n == 0 {
                Vec::new()
            } else {
                vec![n; len / n]
            }
        }));
        let want = vec![
            cmd("AT+WIPDATA=2,1,1"),
            modem("CONNECT"),
            Event::ModemData(b"data".to_vec()),
            Event::Escape {
                comment: Some("guard 395 ms before, 300 ms after".into()),
            },
            modem("+WIPPEERCLOSE: 2,1"),
            modem("OK"),
        ];
        assert_eq!(ev, want, "cut {n}");
        whole.get_or_insert(ev);
    }
    // The transcript it writes verifies (E42's tolerance).
    let d = spec();
    let (text, live, violations) = write_checked(&d, &play(&s, &mut |_| Vec::new()));
    assert_eq!(violations, 0, "{text}");
    assert!(live.is_empty(), "{text}");
    assert!(text.contains("+++"), "{text}");
    let at = |needle: &str| text.find(needle).unwrap_or(usize::MAX);
    assert!(at("+++") < at("+WIPPEERCLOSE: 2,1"), "{text}");
    assert!(at("+WIPPEERCLOSE: 2,1") < at("\nOK"), "{text}");
    // Not a URC of the spec: payload, before the `+++`.
    let ev = events(&play(&script(b"\r\n+NOTONE: 1\r\n\r\nOK\r\n"), &mut |_| {
        Vec::new()
    }));
    assert!(
        ev.contains(&Event::ModemData(b"\r\n+NOTONE: 1\r\n".to_vec())),
        "{ev:?}"
    );
    assert!(!ev.iter().any(|e| e == &modem("+NOTONE: 1")), "{ev:?}");
}

/// Only the host's own `+++` lets a URC come before the final result: in
/// a transfer the host ended with its ETX (6.1.2), bytes that look like a
/// URC are the modem's payload.
#[test]
fn a_urc_like_line_after_the_hosts_etx_is_payload() {
    use Side::*;
    let script: Script = vec![
        (Host, b"AT+WIPFILE=4,1,1,\"f\"\r".to_vec(), 0),
        (Modem, b"\r\nCONNECT\r\n".to_vec(), 5),
        (Host, b"\x03".to_vec(), 10),
        (Modem, b"\r\n+WIPPEERCLOSE: 2,1\r\n\r\nOK\r\n".to_vec(), 50),
    ];
    let ev = events(&play(&script, &mut |_| Vec::new()));
    assert_eq!(concat(&ev, false), b"\r\n+WIPPEERCLOSE: 2,1\r\n");
    assert!(!ev.contains(&modem("+WIPPEERCLOSE: 2,1")), "{ev:?}");
    assert_eq!(ev.last(), Some(&modem("OK")));
}

/// After a `+++` the host sends one `+` after a silence, then a URC comes:
/// the `+` is the host's data, not a second escape.
#[test]
fn a_lone_plus_before_a_urc_after_the_escape_is_data() {
    use Side::*;
    let script: Script = vec![
        (Host, b"AT+WIPDATA=2,1,1\r".to_vec(), 0),
        (Modem, b"\r\nCONNECT\r\n".to_vec(), 5),
        (Host, b"+++".to_vec(), 400),
        (Host, b"+".to_vec(), 700),
        (
            Modem,
            b"\r\n+WIPPEERCLOSE: 2,1\r\n\r\nOK\r\n".to_vec(),
            1000,
        ),
    ];
    let ev = events(&play(&script, &mut |_| Vec::new()));
    let escapes = ev
        .iter()
        .filter(|e| matches!(e, Event::Escape { .. }))
        .count();
    assert_eq!(escapes, 1, "{ev:?}");
    // In the order they crossed the line: the `+`, then the URC.
    let at = |e: &Event| ev.iter().position(|x| x == e);
    let plus = at(&Event::HostData(b"+".to_vec()));
    let urc = at(&modem("+WIPPEERCLOSE: 2,1"));
    assert!(plus.is_some() && urc.is_some() && plus < urc, "{ev:?}");
}
