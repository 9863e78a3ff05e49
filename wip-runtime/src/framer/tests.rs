use super::*;
use wip_schema::EtxMeaning;

/// The rev 009 command set, from the spec.
fn rev009() -> &'static Dialect {
    static D: std::sync::OnceLock<Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let spec = wip_spec::default_spec().expect("the embedded spec checks");
        spec.dialect.clone()
    })
}

/// The index of a message of rev 009 by id.
fn msg(id: &str) -> usize {
    rev009()
        .messages
        .iter()
        .position(|m| m.id == id)
        .expect("a message of rev 009")
}

fn run(f: &mut Framer<'_>, bytes: &[u8]) -> Vec<OwnedEvent> {
    coalesce(f.feed_owned(bytes))
}

fn urc(ev: &OwnedEvent) -> Option<(usize, &str)> {
    match ev {
        OwnedEvent::Urc { message, line } => Some((*message, &*line.text)),
        _ => None,
    }
}

#[test]
fn final_codes_and_responses() {
    let mut f = Framer::new(rev009());
    assert_eq!(f.sent("AT+WIPBR=3,6,11"), Some(1));
    let ev = run(&mut f, b"\r\n+WIPBR: 6,11,\"APN name\"\r\n\r\nOK\r\n");
    assert_eq!(ev.len(), 2);
    match &ev[0] {
        OwnedEvent::Response {
            command: 1,
            message,
            line,
        } if *message == msg("WipBrOption") => {
            assert_eq!(line.prefix(), Some("+WIPBR"));
            assert_eq!(line.body(), "6,11,\"APN name\"");
            assert_eq!(line.fields, 3);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ev[1], OwnedEvent::Final(Final::Ok));
    assert!(!f.command_pending());
}

#[test]
fn bearer_urc_during_bearer_command_is_a_urc() {
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPBR=3,6,11");
    let ev = run(
        &mut f,
        b"\r\n+WIPBR: 6,1,\"10.0.0.2\",\"10.0.0.1\",\"8.8.8.8\",\"8.8.4.4\"\r\n\
          \r\n+WIPBR: 6,11,\"APN\"\r\n\r\n+CME ERROR: 803\r\n",
    );
    assert_eq!(urc(&ev[0]).map(|u| u.0), Some(msg("WipBrStatus")));
    assert!(matches!(ev[1], OwnedEvent::Response { message, .. } if message == msg("WipBrOption")));
    assert_eq!(ev[2], OwnedEvent::Final(Final::CmeError(Some(803))));
}

#[test]
fn bare_read_lines_and_unknown_lines() {
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPBR?");
    let ev = run(&mut f, b"\r\n6,1\r\n5,0\r\n+CREG: 1\r\nOK\r\n");
    assert!(matches!(ev[0], OwnedEvent::Response { message, .. } if message == msg("WipBrState")));
    assert!(matches!(ev[1], OwnedEvent::Response { message, .. } if message == msg("WipBrState")));
    assert_eq!(ev[2], OwnedEvent::Unknown(b"+CREG: 1".to_vec()));
    assert_eq!(ev[3], OwnedEvent::Final(Final::Ok));
    // Without a command in flight a bare line is nobody's.
    assert_eq!(
        run(&mut f, b"\r\n6,1\r\n"),
        vec![OwnedEvent::Unknown(b"6,1".to_vec())]
    );
}

#[test]
fn read_lines_with_the_command_prefix_are_responses_too() {
    // Real modems write the answer of AT+WIPBR? as `+WIPBR: 6,1`
    // (erratum E41); the six-field +WIPBR URC stays a URC.
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPBR?");
    let ev = run(
        &mut f,
        b"\r\n+WIPBR: 6,1\r\n\r\n+WIPBR: 6,0,\"10.0.0.2\",\"10.0.0.1\",\"8.8.8.8\",\"8.8.4.4\"\r\n\r\nOK\r\n",
    );
    match &ev[0] {
        OwnedEvent::Response { message, line, .. } if *message == msg("WipBrState") => {
            assert_eq!(line.body(), "6,1");
            assert_eq!(line.fields, 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(urc(&ev[1]).map(|u| u.0), Some(msg("WipBrStatus")));
    assert_eq!(ev[2], OwnedEvent::Final(Final::Ok));
    // Another command's prefix is no such response.
    f.sent("AT+WIPBR?");
    let ev = run(&mut f, b"\r\n+WIPCFG: 6,1\r\n\r\nOK\r\n");
    assert!(!matches!(ev[0], OwnedEvent::Response { .. }), "{ev:?}");
}

#[test]
fn echo_on_and_off() {
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPCFG=1");
    let ev = run(&mut f, b"AT+WIPCFG=1\r\r\nOK\r\n");
    assert_eq!(
        ev,
        vec![
            OwnedEvent::Echo(b"AT+WIPCFG=1".to_vec()),
            OwnedEvent::Final(Final::Ok)
        ]
    );
    f.sent("AT+WIPCFG=1");
    assert_eq!(
        run(&mut f, b"\r\nOK\r\n"),
        vec![OwnedEvent::Final(Final::Ok)]
    );
}

#[test]
fn wipdata_urcs_by_arity() {
    let mut f = Framer::new(rev009());
    let ev = run(
        &mut f,
        b"\r\n+WIPDATA: 2,1,1460\r\n\r\n+WIPDATA: 1,1,10,\"192.168.1.2\",1357\r\n\
          \r\n+WIPREADY: 5, 1\r\n\r\n+WIPPEERCLOSE: 2,1\r\n",
    );
    let shapes: Vec<usize> = ev.iter().filter_map(|e| urc(e).map(|u| u.0)).collect();
    assert_eq!(
        shapes,
        vec![
            msg("WipDataTcp"),
            msg("WipDataUdp"),
            msg("WipReady"),
            msg("WipPeerClose")
        ]
    );
}

#[test]
fn continuous_tcp_data_mode() {
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPDATA=2,1,1");
    let ev = run(&mut f, b"\r\nCONNECT\r\nab\x10\x03c\x10\x10dx");
    assert_eq!(
        ev,
        vec![
            OwnedEvent::Final(Final::Connect),
            OwnedEvent::Data(b"ab\x03c\x10dx".to_vec()),
        ]
    );
    assert!(f.in_data_mode());
    // "\r\nOK\r\n" inside data is data until the host sent +++.
    // The last CR LF may begin a SHUTDOWN indication: it is held.
    assert_eq!(
        run(&mut f, b"\r\nOK\r\n"),
        vec![OwnedEvent::Data(b"\r\nOK".to_vec())]
    );
    assert!(f.holds_bytes());
    f.escape_sent();
    let ev = run(&mut f, b"tail\r\nOK\r\n\r\n+WIPREADY: 2,2\r\n");
    assert_eq!(ev[0], OwnedEvent::Data(b"\r\ntail".to_vec()));
    assert_eq!(ev[1], OwnedEvent::Final(Final::Ok));
    assert_eq!(urc(&ev[2]).map(|u| u.0), Some(msg("WipReady")));
    assert!(!f.in_data_mode());
}

/// After `\r\nSHUTDOWN\r\n` the peer sends no more data (6.2.11.1): a
/// final result code that follows is the modem leaving data mode by itself
/// (`AT_WIP_NET_OPT_AUTO_SWITCH` at 1, 4.1.3), however the bytes are cut.
#[test]
fn a_final_after_the_peers_shutdown_ends_data_mode() {
    let bytes: &[u8] = b"\r\nCONNECT\r\nab\r\nSHUTDOWN\r\n\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,1\r\n";
    for cut in [bytes.len(), 1, 3, 7] {
        let mut f = Framer::new(rev009());
        f.sent("AT+WIPDATA=2,1,1");
        let mut got = Vec::new();
        for chunk in bytes.chunks(cut) {
            got.extend(f.feed_owned(chunk));
        }
        let ev = coalesce(got);
        assert_eq!(ev.len(), 5, "cut {cut}: {ev:?}");
        assert_eq!(ev[0], OwnedEvent::Final(Final::Connect));
        assert_eq!(ev[1], OwnedEvent::Data(b"ab".to_vec()));
        assert_eq!(ev[2], OwnedEvent::Shutdown);
        assert_eq!(ev[3], OwnedEvent::Final(Final::Ok), "cut {cut}");
        assert_eq!(urc(&ev[4]).map(|u| u.0), Some(msg("WipPeerClose")));
        assert!(!f.in_data_mode());
    }
}

/// A framer in the data mode `command` opened (its `CONNECT` framed).
fn connected(command: &str) -> Framer<'static> {
    let mut f = Framer::new(rev009());
    f.sent(command);
    run(&mut f, b"\r\nCONNECT\r\n");
    f
}

/// The events of `bytes` fed in reads of `cut` bytes, data merged.
fn feed_cut(f: &mut Framer<'_>, bytes: &[u8], cut: usize) -> Vec<OwnedEvent> {
    let mut got = Vec::new();
    for chunk in bytes.chunks(cut) {
        got.extend(f.feed_owned(chunk));
    }
    coalesce(got)
}

/// After the host's `+++` a URC that became due meanwhile comes before
/// the `OK` (erratum E42, the emulator's peer close): it is a URC, typed as
/// any, not payload, however the bytes are cut, in continuous and in
/// transparent mode; a line that is no URC of the spec stays payload, and
/// so does a URC line before the host sent `+++`.
#[test]
fn a_urc_between_the_escape_and_its_ok_is_a_urc() {
    let tail: &[u8] = b"ab\r\n+WIPPEERCLOSE: 2,1\r\n\r\nOK\r\n";
    for (command, transparent) in [("AT+WIPDATA=2,1,1", false), ("AT+WIPDATA=2,1,2", true)] {
        for cut in [tail.len(), 1, 2, 3, 5, 11] {
            let mut f = connected(command);
            assert_eq!(
                f.data_session()
                    .map(|s| s.escaping == Escaping::Transparent),
                Some(transparent)
            );
            f.escape_sent();
            let ev = feed_cut(&mut f, tail, cut);
            assert_eq!(ev.len(), 3, "{command} cut {cut}: {ev:?}");
            assert_eq!(ev[0], OwnedEvent::Data(b"ab".to_vec()));
            assert_eq!(
                urc(&ev[1]),
                Some((msg("WipPeerClose"), "+WIPPEERCLOSE: 2,1"))
            );
            assert_eq!(ev[2], OwnedEvent::Final(Final::Ok));
            assert!(!f.in_data_mode());
        }
    }
    // An ETX from the host that ends a transfer is no `+++`: a URC line
    // before its final result code stays payload.
    let mut f = connected("AT+WIPFILE=4,1,1,\"f\"");
    f.etx_sent();
    let ev = coalesce(f.feed_owned(b"\r\n+WIPPEERCLOSE: 2,1\r\n\r\nOK\r\n"));
    assert_eq!(
        ev,
        vec![
            OwnedEvent::Data(b"\r\n+WIPPEERCLOSE: 2,1\r\n".to_vec()),
            OwnedEvent::Final(Final::Ok)
        ]
    );
    // The longest URC of rev 009, a data offline block of 200 bytes (434
    // bytes framed), is taken whole.
    let block = format!("+WIPDATARW: 2,8,65535,65535,\"{}\"", "AB".repeat(200));
    let mut f = connected("AT+WIPDATA=2,1,1");
    f.escape_sent();
    let ev = feed_cut(&mut f, format!("\r\n{block}\r\n\r\nOK\r\n").as_bytes(), 7);
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!(urc(&ev[0]), Some((msg("WipDataRwData"), block.as_str())));
    // Not after the escape, or not a URC: payload.
    let mut f = connected("AT+WIPDATA=2,1,1");
    let ev = coalesce(f.feed_owned(b"\r\n+WIPPEERCLOSE: 2,1\r\nx"));
    assert_eq!(
        ev,
        vec![OwnedEvent::Data(b"\r\n+WIPPEERCLOSE: 2,1\r\nx".to_vec())]
    );
    f.escape_sent();
    let ev = coalesce(f.feed_owned(b"\r\n+NOTONE: 1\r\n\r\nOK\r\n"));
    assert_eq!(
        ev,
        vec![
            OwnedEvent::Data(b"\r\n+NOTONE: 1\r\n".to_vec()),
            OwnedEvent::Final(Final::Ok)
        ]
    );
}

/// An upload carries data from the host only (the spec's `upload`
/// outcomes, 6.1.2): the modem's final result code ends data mode with no
/// `+++` or ETX from the host (an MMS file cut at its declared size,
/// 6.1.9), however the bytes are cut; in a download the same bytes are
/// data.
#[test]
fn a_final_in_an_upload_ends_data_mode_and_is_data_in_a_download() {
    let bytes: &[u8] = b"\r\nCONNECT\r\n\r\nOK\r\n\r\n+WIPFILE: 8,1,4\r\n";
    for cut in [bytes.len(), 1, 3, 7] {
        for line in [
            "AT+WIPFILE=8,1,2,\"b.jpg\"",
            "AT+WIPFILE=4,1,2,\"up.bin\"",
            "AT+WIPFILE=4,1,5,\"up.bin\",1",
            "AT+WIPFILE=6,1,2",
        ] {
            let mut f = Framer::new(rev009());
            f.sent(line);
            assert!(f.expects_data(), "{line}");
            let mut got = Vec::new();
            for chunk in bytes.chunks(cut) {
                got.extend(f.feed_owned(chunk));
            }
            let ev = coalesce(got);
            assert_eq!(ev.len(), 3, "{line}, cut {cut}: {ev:?}");
            assert_eq!(ev[0], OwnedEvent::Final(Final::Connect));
            assert_eq!(ev[1], OwnedEvent::Final(Final::Ok), "{line}, cut {cut}");
            assert_eq!(
                urc(&ev[2]).map(|u| u.0),
                Some(msg("WipFileMmsSize")),
                "{line}"
            );
            assert!(!f.in_data_mode());
        }
        // A download's payload may hold the same bytes.
        for line in ["AT+WIPFILE=4,1,1,\"a.txt\"", "AT+WIPFILE=4,1,1,\"a.txt\",1"] {
            let mut f = Framer::new(rev009());
            f.sent(line);
            let mut got = Vec::new();
            for chunk in bytes.chunks(cut) {
                got.extend(f.feed_owned(chunk));
            }
            let ev = coalesce(got);
            assert_eq!(ev.first(), Some(&OwnedEvent::Final(Final::Connect)));
            assert!(f.in_data_mode(), "{line}, cut {cut}: {ev:?}");
            assert!(
                !ev.iter().any(|e| *e == OwnedEvent::Final(Final::Ok)),
                "{line}, cut {cut}: {ev:?}"
            );
        }
    }
}

#[test]
fn tcp_reset_ends_data_mode() {
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPDATA=2,1,1");
    let ev = run(&mut f, b"\r\nCONNECT\r\npayload\x03\r\n+CME ERROR: 843\r\n");
    assert_eq!(
        ev,
        vec![
            OwnedEvent::Final(Final::Connect),
            OwnedEvent::Data(b"payload".to_vec()),
            OwnedEvent::EndOfData(Some(EtxMeaning::Shutdown)),
            OwnedEvent::Final(Final::CmeError(Some(843))),
        ]
    );
    assert!(!f.in_data_mode());
}

#[test]
fn udp_etx_marks_datagrams_and_stays() {
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPDATA=1,1,1");
    let ev = run(&mut f, b"\r\nCONNECT\r\none\x03\r\nOK-ish\x03");
    assert_eq!(
        ev,
        vec![
            OwnedEvent::Final(Final::Connect),
            OwnedEvent::Data(b"one".to_vec()),
            OwnedEvent::EndOfData(Some(EtxMeaning::EndOfDatagram)),
            OwnedEvent::Data(b"\r\nOK-ish".to_vec()),
            OwnedEvent::EndOfData(Some(EtxMeaning::EndOfDatagram)),
        ]
    );
    assert!(f.in_data_mode());
}

#[test]
fn file_download_ends_with_etx_then_ok() {
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPFILE=4,1,1,\"data.bin\"");
    let ev = run(&mut f, b"\r\nCONNECT\r\nfile\x10\x03\x03\r\nOK\r\n");
    assert_eq!(
        ev,
        vec![
            OwnedEvent::Final(Final::Connect),
            OwnedEvent::Data(b"file\x03".to_vec()),
            OwnedEvent::EndOfData(Some(EtxMeaning::EndOfData)),
            OwnedEvent::Final(Final::Ok),
        ]
    );
}

#[test]
fn transparent_mode_passes_bytes() {
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPDATA=2,1,2");
    let ev = run(&mut f, b"\r\nCONNECT\r\n\x10\x03\r\nSHUTDOWN\r\n");
    assert_eq!(
        ev[1],
        OwnedEvent::Data(b"\x10\x03\r\nSHUTDOWN\r\n".to_vec())
    );
    f.escape_sent();
    let ev = run(&mut f, b"\r\nOK\r\n");
    assert_eq!(ev, vec![OwnedEvent::Final(Final::Ok)]);
}

#[test]
fn held_bytes_are_released_when_idle() {
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPDATA=2,1,1");
    let ev = run(&mut f, b"\r\nCONNECT\r\nline\r\n");
    assert_eq!(ev[1], OwnedEvent::Data(b"line".to_vec()));
    assert!(f.holds_bytes());
    let mut got = Vec::new();
    f.release_held(|e| got.push(e.to_owned_event()));
    assert_eq!(got, vec![OwnedEvent::Data(b"\r\n".to_vec())]);
    assert!(!f.holds_bytes());
}

#[test]
fn overlong_line_resyncs_at_next_line_feed() {
    let mut f = Framer::with_config(rev009(), FramerConfig { max_line: 16 });
    let mut input = vec![b'x'; 100];
    input.extend_from_slice(b"\r\n\r\n+WIPREADY: 2,1\r\n");
    for chunking in [input.len(), 7, 1] {
        let mut ev = Vec::new();
        for c in input.chunks(chunking) {
            ev.extend(f.feed_owned(c));
        }
        assert_eq!(ev.len(), 2, "chunks of {chunking}: {ev:?}");
        assert_eq!(
            ev[0],
            OwnedEvent::Error(FrameError::LineTooLong { max: 16 })
        );
        assert_eq!(urc(&ev[1]).map(|u| u.0), Some(msg("WipReady")));
    }
}

#[test]
fn a_held_line_whose_end_is_past_the_limit_is_not_copied() {
    // The start of a line is held from one read, and the next read brings
    // an end that takes it past the limit: the line is reported as too
    // long, and the framer's buffer does not grow to hold it.
    let mut f = Framer::with_config(rev009(), FramerConfig { max_line: 16 });
    let mut ev = run(&mut f, b"\r\n+WIPREADY: ");
    assert!(ev.is_empty(), "{ev:?}");
    let mut end = vec![b'1'; 10_000];
    end.extend_from_slice(b"\r\n\r\n+WIPREADY: 2,1\r\n");
    ev = run(&mut f, &end);
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!(
        ev[0],
        OwnedEvent::Error(FrameError::LineTooLong { max: 16 })
    );
    assert_eq!(urc(&ev[1]).map(|u| u.0), Some(msg("WipReady")));
    assert!(f.buf.capacity() <= 64, "{} bytes kept", f.buf.capacity());
}

#[test]
fn garbage_without_line_feed_stays_bounded() {
    let mut f = Framer::with_config(rev009(), FramerConfig { max_line: 64 });
    let mut errors = 0;
    for _ in 0..1000 {
        f.feed(&[0xAA; 100], |e| {
            if matches!(e, Event::Error(_)) {
                errors += 1;
            }
        });
        assert!(f.buf.len() <= 64);
    }
    assert_eq!(errors, 1);
    assert_eq!(
        run(&mut f, b"\n\r\nOK\r\n"),
        vec![OwnedEvent::Final(Final::Ok)]
    );
}

#[test]
fn unhandled_urcs_never_block_later_ones() {
    let mut f = Framer::new(rev009());
    let mut input = Vec::new();
    for i in 0..100 {
        input
            .extend_from_slice(format!("\r\n+UNKNOWN: {i}\r\n\r\n+WIPREADY: 2,{i}\r\n").as_bytes());
    }
    let ev = run(&mut f, &input);
    assert_eq!(ev.iter().filter(|e| urc(e).is_some()).count(), 100);
}

#[test]
fn non_utf8_response_is_unknown() {
    let mut f = Framer::new(rev009());
    let ev = run(&mut f, b"\r\n+WIPREADY: \xff,1\r\n");
    assert_eq!(ev, vec![OwnedEvent::Unknown(b"+WIPREADY: \xff,1".to_vec())]);
}

#[test]
fn lines_around_a_non_utf8_line_in_one_chunk_keep_their_text() {
    // A line that is not UTF-8 is unknown on its own: the lines before and
    // after it in the same chunk keep their text (trimmed, non-ASCII kept).
    let mut f = Framer::new(rev009());
    let ev = run(
        &mut f,
        b"\r\n+WIPREADY: 2,1\r\n\r\n+WIPREADY: \xff,1\r\n\r\n+WIPREADY: 2,3\r\n  +WIPREADY: 2,\xc3\xa9 \r\n+WIPREADY: 2,4\r\n",
    );
    let texts: Vec<Option<&str>> = ev.iter().map(|e| urc(e).map(|(_, t)| t)).collect();
    assert_eq!(
        texts,
        vec![
            Some("+WIPREADY: 2,1"),
            None,
            Some("+WIPREADY: 2,3"),
            Some("+WIPREADY: 2,\u{e9}"),
            Some("+WIPREADY: 2,4"),
        ]
    );
    assert_eq!(
        ev.get(1),
        Some(&OwnedEvent::Unknown(b"+WIPREADY: \xff,1".to_vec()))
    );
}

#[test]
fn text_of_lines_in_one_long_read_is_as_when_each_comes_alone() {
    // One read of several KiB: lines with a two-byte character at every
    // offset around each 4 KiB of the read, a line longer than 4 KiB, and
    // lines that are not UTF-8 between them. Each line gives the same event
    // as when it comes alone.
    let mut read = Vec::new();
    let mut alone = Vec::new();
    let mut push = |line: Vec<u8>, read: &mut Vec<u8>| {
        read.extend_from_slice(b"\r\n");
        read.extend_from_slice(&line);
        read.extend_from_slice(b"\r\n");
        alone.push(line);
    };
    for i in 0..700u32 {
        let line = match i % 9 {
            0 => format!("+WIPFILE: 5,1,2,201,\"\u{e9}t\u{e9} {i}\"").into_bytes(),
            4 => b"+WIPREADY: \xc3,1".to_vec(),
            _ => format!("+WIPREADY: 2,{}", i % 8 + 1).into_bytes(),
        };
        push(line, &mut read);
        if i == 350 {
            let long = format!("+WIPFILE: 5,1,2,201,\"{}\"", "\u{e9}".repeat(2_100));
            assert!(long.len() > 4096 && long.len() < 4_300);
            push(long.into_bytes(), &mut read);
        }
    }
    assert!(read.len() > 4 * 4096);
    let cfg = FramerConfig { max_line: 8192 };
    let want: Vec<OwnedEvent> = alone
        .iter()
        .flat_map(|l| {
            let mut one = b"\r\n".to_vec();
            one.extend_from_slice(l);
            one.extend_from_slice(b"\r\n");
            Framer::with_config(rev009(), cfg).feed_owned(&one)
        })
        .collect();
    assert_eq!(want.len(), alone.len());
    assert_eq!(
        want.iter()
            .filter(|e| matches!(e, OwnedEvent::Unknown(_)))
            .count(),
        78
    );
    assert!(want
        .iter()
        .any(|e| urc(e).is_some_and(|(_, t)| t.len() > 4_200)));
    // The whole read at once, and shifted by 1 to 3 bytes so that each
    // 4 KiB of it ends at every byte of a character.
    for shift in 0..4 {
        let mut f = Framer::with_config(rev009(), cfg);
        let mut got = f.feed_owned(read.get(..shift).unwrap_or_default());
        got.extend(f.feed_owned(read.get(shift..).unwrap_or_default()));
        assert_eq!(got, want, "shift {shift}");
    }
}

#[test]
fn data_sessions_stay_right_past_the_cache_of_command_lines() {
    let mut f = Framer::new(rev009());
    // More distinct data-mode lines than the cache holds, twice over: each
    // CONNECT opens the session of its own line.
    for round in 0..2 {
        for idx in 1..=(super::SESSION_CACHE as u32 + 4) {
            let (line, want) = if idx % 2 == 0 {
                (
                    format!("AT+WIPDATA=1,{},1", idx % 8 + 1),
                    EtxMeaning::EndOfDatagram,
                )
            } else {
                (
                    format!("AT+WIPDATA=2,{},1,{},5", idx % 8 + 1, idx + 10),
                    EtxMeaning::Shutdown,
                )
            };
            f.sent(&line);
            let ev = run(&mut f, b"\r\nCONNECT\r\nx\x03");
            assert_eq!(
                ev.last(),
                Some(&OwnedEvent::EndOfData(Some(want))),
                "round {round}, {line}"
            );
            f.leave_data_mode(|_| {});
        }
    }
}

/// A dialect that declares `SEND OK` and `DATA ACCEPT: <length>`.
fn with_finals() -> &'static Dialect {
    use wip_schema::{Command, FinalCode, Form, Param, Ty};
    static D: Dialect = {
        const FORMS: &[Form] =
            &[Form::action("Send").params(const { &[Param::req("link", Ty::int(0, 7))] })];
        const FINALS: &[FinalCode] = &[
            FinalCode::new("SEND OK", true),
            FinalCode::new("DATA ACCEPT", true)
                .fields(const { &[Param::req("length", Ty::int(1, 1460))] }),
        ];
        Dialect::new("X", "+X")
            .commands(const { &[Command::new("+XSEND", 1000, &[], FORMS)] })
            .finals(FINALS)
    };
    &D
}

#[test]
fn declared_finals_end_the_command_whatever_the_chunks() {
    let stream = b"\r\nSEND OK\r\n\r\nDATA ACCEPT: 12\r\n\r\nOK\r\n";
    let want = vec![
        OwnedEvent::Final(Final::Custom {
            index: 0,
            success: true,
        }),
        OwnedEvent::FinalLine(OwnedLine::parse("DATA ACCEPT: 12")),
        OwnedEvent::Final(Final::Custom {
            index: 1,
            success: true,
        }),
        OwnedEvent::Final(Final::Ok),
    ];
    // The `SEND OK` line has no fields, yet it too comes with its line.
    let mut want_all = want.clone();
    want_all.insert(0, OwnedEvent::FinalLine(OwnedLine::parse("SEND OK")));
    for size in 1..=stream.len() {
        let mut f = Framer::new(with_finals());
        let mut ev = Vec::new();
        f.sent("AT+XSEND=1");
        for chunk in stream.chunks(size) {
            ev.extend(f.feed_owned(chunk));
            if !f.command_pending() && ev.len() < want_all.len() {
                f.sent("AT+XSEND=1");
            }
        }
        assert_eq!(ev, want_all, "chunks of {size}");
    }
    // A dialect that does not declare it: `SEND OK` is an unknown line.
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPBR=1,6");
    assert_eq!(
        run(&mut f, b"\r\nSEND OK\r\n"),
        vec![OwnedEvent::Unknown(b"SEND OK".to_vec())]
    );
    assert!(f.command_pending());
}

#[test]
fn command_lines_are_cut_as_the_engine_cuts_them() {
    for l in [
        "AT+WIPBR=3,6,11",
        "AT +WIPBR=3,6,11",
        "at  +wipbr ?",
        "at+wipbr?",
        "AT+WIPBR=?",
        "AT+WIPBR = ?",
        "AT+WIPBR=? ",
        "AT+X= ?",
        "AT+X=?1",
        "AT+X?=?",
        "ATE1",
        "AT",
        "A",
        "+WIPBR",
        "AT+X=\u{3000}?",
        "AT+X=é",
        "AT+X=\"é\",?",
    ] {
        let engine = wip_schema::fields::command_line(l);
        let cut = cut_command(l.as_bytes());
        assert_eq!(
            cut.map(|c| c.name),
            engine.map(|e| e.name.as_bytes()),
            "{l:?}"
        );
        if let (Some(c), Some(e)) = (cut, engine) {
            let test = c.is_test().unwrap_or_else(|| is_test_line(l));
            assert_eq!(
                test,
                e.kind == wip_schema::fields::CommandKind::Test,
                "{l:?}"
            );
        }
    }
}

mod utf8_text {
    use super::utf8;
    use proptest::prelude::*;

    /// Bytes of up to `parts` pieces, each a run of up to `ascii` printable
    /// ASCII characters, a run of up to `multi` characters of two to four
    /// bytes, or one or two bytes past 0x7F; then up to `cut - 1` bytes
    /// cut off the end (a character may be cut).
    fn mixed(
        ascii: usize,
        multi: usize,
        parts: usize,
        cut: usize,
    ) -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            proptest::string::string_regex(&format!("[ -~]{{0,{ascii}}}"))
                .unwrap()
                .prop_map(String::into_bytes),
            proptest::string::string_regex(&format!("[é€😀a,]{{0,{multi}}}"))
                .unwrap()
                .prop_map(String::into_bytes),
            proptest::collection::vec(0x80u8..=0xff, 1..3),
        ];
        (proptest::collection::vec(piece, 0..parts), 0..cut).prop_map(|(pieces, cut)| {
            let mut bytes: Vec<u8> = pieces.concat();
            bytes.truncate(bytes.len().saturating_sub(cut));
            bytes
        })
    }

    proptest! {
        /// The text of a line (ASCII told word by word, a line of 64 bytes
        /// or more by `simdutf8`, any other by `core::str`) is the line
        /// itself exactly when it is UTF-8: ASCII of any length about a word
        /// and about 64 bytes, multi-byte characters, a character cut at the
        /// end, a byte past 0x7F anywhere.
        #[test]
        fn line_text_is_the_line_when_utf8(bytes in mixed(20, 4, 5, 3)) {
            let want = core::str::from_utf8(&bytes).ok();
            prop_assert_eq!(utf8(&bytes), want);
        }

        /// `line_text_is_the_line_when_utf8` of lines about 64 bytes
        /// long and longer, where `simdutf8` checks them.
        #[test]
        fn long_line_text_is_the_line_when_utf8(bytes in mixed(70, 12, 8, 4)) {
            let want = core::str::from_utf8(&bytes).ok();
            prop_assert_eq!(utf8(&bytes), want);
        }
    }
}

/// A line with a byte past 0x7F is given as text when it is UTF-8, and
/// as unknown bytes when it is not, whatever the read it came in: short
/// reads, lines cut by the reads, and a long read.
#[test]
fn non_ascii_lines_are_text_only_when_utf8() {
    use wip_schema::{Message, Param, Ty};
    static D: Dialect = Dialect::new("X", "+X").messages(
        const {
            &[Message::urc("Note", Some("+NOTE"))
                .fields(const { &[Param::req("text", Ty::string(None))] })]
        },
    );
    let d = &D;
    let good = "\r\n+NOTE: \"caf\u{e9} \u{20ac}\"\r\n".as_bytes().to_vec();
    let mut bad = good.clone();
    // The second byte of `é` replaced: no longer UTF-8.
    let at = bad.iter().position(|&b| b == 0xC3).unwrap() + 1;
    bad[at] = b'x';
    let mut long = good.repeat(8);
    long.extend_from_slice(&bad);
    for (bytes, read) in [
        (&good, 1),
        (&good, 5),
        (&good, 64),
        (&bad, 3),
        (&bad, 64),
        (&long, 4096),
    ] {
        let mut f = Framer::new(d);
        let mut texts = Vec::new();
        let mut unknown = 0;
        for chunk in bytes.chunks(read) {
            f.feed(chunk, |e| match e {
                Event::Urc { line, .. } => texts.push(line.text.to_string()),
                Event::Unknown(_) => unknown += 1,
                other => panic!("unexpected {other:?}"),
            });
        }
        let lines = bytes.windows(2).filter(|w| w == b"\r\n").count() / 2;
        let bad_lines = usize::from(bytes.ends_with(&bad));
        assert_eq!(texts.len(), lines - bad_lines, "reads of {read}");
        assert_eq!(unknown, bad_lines, "reads of {read}");
        assert!(
            texts.iter().all(|t| t == "+NOTE: \"caf\u{e9} \u{20ac}\""),
            "{texts:?}"
        );
    }
}

#[test]
fn an_etx_the_host_sends_ends_an_upload_only() {
    // A +WIPFILE upload (6.1.2): after the host's lone ETX the modem's
    // final result code ends data mode.
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPFILE=5,1,2,\"http://h/up\"");
    assert_eq!(
        run(&mut f, b"\r\nCONNECT\r\n"),
        vec![OwnedEvent::Final(Final::Connect)]
    );
    assert_eq!(
        f.data_session().and_then(|s| s.etx),
        Some(EtxMeaning::EndOfData)
    );
    f.etx_sent();
    let ev = run(&mut f, b"\r\nOK\r\n\r\n+WIPFILE: 5,1,2,201,\"Created\"\r\n");
    assert_eq!(ev.first(), Some(&OwnedEvent::Final(Final::Ok)), "{ev:?}");
    assert!(!f.in_data_mode());

    // A TCP socket's ETX is a shutdown: an `OK` after it is still data.
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPDATA=2,1,1");
    run(&mut f, b"\r\nCONNECT\r\n");
    f.etx_sent();
    assert_eq!(
        run(&mut f, b"\r\nOK\r\nx"),
        vec![OwnedEvent::Data(b"\r\nOK\r\nx".to_vec())]
    );
    assert!(f.in_data_mode());
}

#[test]
fn data_mode_is_ending_after_an_escape_or_an_etx_that_ends_the_transfer() {
    // A +WIPFILE download (6.1.2): the modem's ETX ends the transfer.
    let mut f = Framer::new(rev009());
    assert!(!f.data_ending());
    f.sent("AT+WIPFILE=4,1,1,\"http://h/f\"");
    run(&mut f, b"\r\nCONNECT\r\n");
    run(&mut f, b"abc");
    assert!(!f.data_ending());
    run(&mut f, b"def\x03");
    assert!(f.data_ending());
    run(&mut f, b"\r\nOK\r\n");
    assert!(!f.in_data_mode());
    assert!(!f.data_ending());

    // An upload ended by the host's ETX.
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPFILE=4,1,2,\"http://h/up\"");
    run(&mut f, b"\r\nCONNECT\r\n");
    assert!(!f.data_ending());
    f.etx_sent();
    assert!(f.data_ending());

    // A TCP socket: its ETX is a shutdown, not the end of data mode; only
    // `+++` ends it.
    let mut f = Framer::new(rev009());
    f.sent("AT+WIPDATA=2,1,1");
    run(&mut f, b"\r\nCONNECT\r\n");
    f.etx_sent();
    run(&mut f, b"x\x03");
    assert!(!f.data_ending());
    f.escape_sent();
    assert!(f.data_ending());
}

/// A framed `OK` is told by one compare in a read of whole lines: the same
/// final, with the command in flight ended and its echo no longer awaited,
/// as a line cut by the general path gives; a limit shorter than `OK\r`
/// still reports the line as too long.
#[test]
fn a_framed_ok_ends_the_command_at_every_cut_and_limit() {
    let input = b"\r\nOK\r\n\r\n+WIPBR: 6,11,\"internet.example\"\r\n\r\nOK\r\nAT+WIPCFG=1\r\n";
    for max_line in [2, 3, 64] {
        for cut in [input.len(), 6, 5, 1] {
            let mut f = Framer::with_config(rev009(), FramerConfig { max_line });
            f.sent("AT+WIPBR=3,6,11");
            let mut ev = Vec::new();
            for c in input.chunks(cut) {
                ev.extend(f.feed_owned(c));
            }
            let finals = ev
                .iter()
                .filter(|e| matches!(e, OwnedEvent::Final(Final::Ok)))
                .count();
            let too_long = ev
                .iter()
                .filter(|e| matches!(e, OwnedEvent::Error(FrameError::LineTooLong { .. })))
                .count();
            let at = format!("max_line {max_line}, reads of {cut}: {ev:?}");
            // The lines: `OK\r` (3 bytes), `+WIPBR…\r` (32), `OK\r`,
            // `AT+WIPCFG=1\r` (12).
            let want = match max_line {
                2 => (0, 4),
                3 => (2, 2),
                _ => (2, 0),
            };
            assert_eq!((finals, too_long), want, "{at}");
            // The first `OK` ended `AT+WIPBR=3`: the `+WIPBR` line after it
            // is no response of it.
            assert!(
                !ev.iter().any(|e| matches!(e, OwnedEvent::Response { .. })),
                "{at}"
            );
            if max_line < 64 {
                continue;
            }
            // With nothing in flight, an `AT` line is an echo.
            assert!(matches!(ev.last(), Some(OwnedEvent::Echo(_))), "{at}");
        }
    }
}
