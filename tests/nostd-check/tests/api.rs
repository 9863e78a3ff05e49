//! The no-std build's API, run on the host: every function here goes
//! through `wip-schema` and `wip-runtime` built without their `std`
//! feature (when the crate is tested alone, as `.ci/run` does).

use wip_nostd_check::*;
use wip_runtime::escape::{DLE, ETX};
use wip_runtime::framer::OwnedEvent;
use wip_runtime::hexdump::HexError;
use wip_runtime::schema::{ErrorKind, Val};
use wip_runtime::Final;

#[test]
fn engine_parses_validates_and_formats() {
    assert_eq!(
        command_round_trip("AT+WIPCLOSE=2, 7").as_deref(),
        Ok("AT+WIPCLOSE=2,7")
    );
    // A TCP server index is at most 4 (the rule), an index at most 8.
    let e = command_round_trip("AT+WIPCLOSE=3,7").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rule);
    let e = command_round_trip("AT+WIPCLOSE=2,9").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Value);
    assert_eq!(e.param.as_deref(), Some("idx"));
    let e = command_round_trip("AT+WIPOPEN=1").unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownCommand);

    let m = parse_urc("+WIPREADY: 2,1").unwrap();
    assert_eq!(m.message, 0);
    assert!(!m.solicited);
    assert_eq!(m.values.params, [Some(Val::Int(2)), Some(Val::Int(1))]);
    assert_eq!(
        parse_urc("+WIPREADY: 5,1").unwrap_err().kind,
        ErrorKind::Value
    );
}

#[test]
fn framer_tells_responses_urcs_and_final_codes_in_any_chunking() {
    let modem: &[u8] = b"AT+WIPCLOSE=2,1\r\r\n+WIPBR: 6,11,\"APN, name\"\r\n\
        \r\n+WIPREADY: 2,1\r\n\r\n+CME ERROR: 803\r\n";
    let whole = frame("AT+WIPCLOSE=2,1", modem, modem.len());
    for chunk in 1..modem.len() {
        assert_eq!(
            frame("AT+WIPCLOSE=2,1", modem, chunk),
            whole,
            "chunk {chunk}"
        );
    }
    assert_eq!(whole.len(), 4, "{whole:?}");
    assert_eq!(whole[0], OwnedEvent::Echo(b"AT+WIPCLOSE=2,1".to_vec()));
    // The excerpt describes no +WIPBR line: the framer says so.
    assert_eq!(
        whole[1],
        OwnedEvent::Unknown(b"+WIPBR: 6,11,\"APN, name\"".to_vec())
    );
    match &whole[2] {
        OwnedEvent::Urc { message, line } => {
            assert_eq!(*message, 0);
            assert_eq!(line.text, "+WIPREADY: 2,1");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(whole[3], OwnedEvent::Final(Final::CmeError(Some(803))));
    assert_eq!(final_code(b"NO CARRIER"), Some(Final::NoCarrier));
    assert_eq!(final_code(b"+WIPREADY: 2,1"), None);
}

#[test]
fn escaping_round_trips() {
    let data = [b'a', ETX, DLE, b'b', DLE, DLE, ETX];
    let (wire, back, marks) = escape_round_trip(&data, true);
    assert_eq!(
        wire,
        [b'a', DLE, ETX, DLE, DLE, b'b', DLE, DLE, DLE, DLE, DLE, ETX, ETX]
    );
    assert_eq!(back, data);
    assert_eq!(marks, 1);
    let (wire, back, marks) = escape_round_trip(b"plain", false);
    assert_eq!(
        (wire.as_slice(), back.as_slice(), marks),
        (&b"plain"[..], &b"plain"[..], 0)
    );
}

#[test]
fn hex_dumps_round_trip() {
    let data: Vec<u8> = (0..=255).cycle().take(450).collect();
    let lines = dump_lines(&data, 1);
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("AT+WIPDATARW=2,1,\"000102"));
    assert!(lines[2].starts_with("AT+WIPDATARW=1,1,\""));
    let bodies: Vec<String> = data
        .chunks(200)
        .enumerate()
        .map(|(i, b)| format!("2,1,3,{},\"{}\"", i + 1, wip_runtime::hexdump::encode(b)))
        .collect();
    assert_eq!(
        reassemble(bodies.iter().map(String::as_str)),
        Ok(Some(data))
    );
    assert!(matches!(
        reassemble(["2,1,1,1,\"ABC\""]),
        Err(HexError::Hex(_))
    ));
}

#[test]
fn escape_detector_runs_on_a_tick_count() {
    assert_eq!(
        detect_escape(100, &[(0, b"data"), (150, b"+++")], 250),
        (true, b"data".to_vec())
    );
    // `a+++` and `+++a` are data.
    assert_eq!(
        detect_escape(100, &[(0, b"a+++")], 500),
        (false, b"a+++".to_vec())
    );
    assert_eq!(
        detect_escape(100, &[(200, b"+++"), (250, b"a")], 500),
        (false, b"+++a".to_vec())
    );
}
