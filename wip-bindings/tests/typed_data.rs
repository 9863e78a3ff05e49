//! Typed data sessions: entered from the typed request, the session
//! (escaping, ETX meaning) taken from the spec's outcome of its form; the
//! whole handle as `Read`/`Write` and `AsyncRead`/`AsyncWrite`; the codec
//! with typed requests.

use std::io::{Read, Write};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio_util::codec::Framed;
use wip_bindings::rev009::*;
use wip_runtime::client::{AsyncClient, Client, ClientConfig, ClientError, Frame, SendError};
use wip_runtime::codec::{Payload, WipCodec};
use wip_runtime::framer::{Escaping, EtxMeaning};
use wip_runtime::Final;

fn tcp_map(mode: DataMode) -> WipDataMap {
    WipDataMap::new(Protocol::TcpClient, 1, mode).unwrap()
}

/// The default settings with a 20 ms guard time, so that `+++` takes
/// tens of milliseconds rather than two seconds.
fn short_guard() -> ClientConfig {
    ClientConfig {
        guard: std::time::Duration::from_millis(20),
        ..ClientConfig::default()
    }
}

/// A loopback socket pair: (host side, modem side).
mod scripted;
use scripted::{pair, read_line};

#[test]
fn data_typed_opens_the_forms_session_and_the_handle_reads_and_writes() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPDATA=2,1,2\r");
        modem.write_all(b"\r\n+CME ERROR: 831\r\n").unwrap();
        assert_eq!(read_line(&mut modem), b"AT+WIPDATA=2,1,1\r");
        modem.write_all(b"\r\nCONNECT\r\n").unwrap();
        let mut wire = [0u8; 6];
        modem.read_exact(&mut wire).unwrap();
        assert_eq!(&wire, b"a\x10\x03b\x10\x10");
        modem
            .write_all(b"x\x10\x03y\x03\r\n+CME ERROR: 843\r\n")
            .unwrap();
    });
    let mut c = Client::new(host, &DIALECT, ClientConfig::default());
    match c.data_typed(&WipCfgStart::new().unwrap()) {
        Err(SendError::NotData(line)) => assert_eq!(line, "AT+WIPCFG=1"),
        other => panic!("{other:?}"),
    }
    match c.data_typed(&tcp_map(DataMode::Transparent)) {
        Err(SendError::Refused {
            error,
            code: 831,
            command,
        }) => {
            assert_eq!(error, CmeError::from_code(831));
            assert_eq!(command, "AT+WIPDATA");
        }
        other => panic!("{other:?}"),
    }
    let mut d = c.data_typed(&tcp_map(DataMode::Continuous)).unwrap();
    assert_eq!(d.session().escaping, Escaping::Continuous);
    assert_eq!(d.session().etx, Some(EtxMeaning::Shutdown));
    d.write_all(b"a\x03b\x10").unwrap();
    d.flush().unwrap();
    let mut got = Vec::new();
    // Read gives end of file at the ETX mark (the peer shut down).
    d.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"x\x03y");
    let left = d.leave().unwrap();
    assert_eq!(left.final_code, Final::CmeError(Some(843)));
    script.join().unwrap();
}

/// The modem side of an async data-mode test: reads the command line,
/// checks it is `expected`, answers `CONNECT`; gives the reader back.
async fn connects<R: tokio::io::AsyncRead + Unpin, W: tokio::io::AsyncWrite + Unpin>(
    rd: R,
    wr: &mut W,
    expected: &[u8],
) -> BufReader<R> {
    let mut rd = BufReader::new(rd);
    let mut line = Vec::new();
    rd.read_until(b'\r', &mut line).await.unwrap();
    assert_eq!(line, expected);
    wr.write_all(b"\r\nCONNECT\r\n").await.unwrap();
    rd
}

#[tokio::test]
async fn the_async_handle_is_async_read_and_write() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let mut rd = connects(rd, &mut wr, b"AT+WIPDATA=1,1,1\r").await;
        // The payload escaped, a lone ETX ending the datagram, an escaped
        // ETX of the next one.
        let mut wire = [0u8; 7];
        rd.read_exact(&mut wire).await.unwrap();
        assert_eq!(&wire, b"a\x10\x03b\x03\x10\x03");
        wr.write_all(b"pq\x10\x10r\x03").await.unwrap();
        (rd, wr)
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let udp = WipDataMap::new(Protocol::Udp, 1, DataMode::Continuous).unwrap();
    let mut d = c.data_typed(&udp).await.unwrap();
    assert_eq!(d.session().etx, Some(EtxMeaning::EndOfDatagram));
    d.write_all(b"a\x03b").await.unwrap();
    d.end_of_data().await.unwrap();
    d.write_all(b"\x03").await.unwrap();
    d.flush().await.unwrap();
    let mut got = Vec::new();
    // End of file at the end of the datagram.
    d.read_to_end(&mut got).await.unwrap();
    assert_eq!(got, b"pq\x10r");
    let (_rd, _wr) = script.await.unwrap();
    drop(d);
}

/// A CR at the end of what came may begin `\r\nSHUTDOWN\r\n`, so the
/// reader holds it; once the line has been idle it is payload, given with
/// no more bytes coming.
#[tokio::test]
async fn a_held_cr_is_payload_once_the_line_is_idle() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let rd = connects(rd, &mut wr, b"AT+WIPDATA=2,1,1\r").await;
        wr.write_all(b"pq\x10\x10\r").await.unwrap();
        // Silent from now on, the line kept open.
        (rd, wr)
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let mut d = c.data_typed(&tcp_map(DataMode::Continuous)).await.unwrap();
    let mut got = Vec::new();
    while got.len() < 4 {
        match d.recv(std::time::Duration::from_secs(5)).await.unwrap() {
            Some(wip_runtime::client::DataEvent::Data(b)) => got.extend_from_slice(&b),
            other => panic!("{other:?} after {got:?}"),
        }
    }
    assert_eq!(got, b"pq\x10\r");
    let (_rd, _wr) = script.await.unwrap();
    drop(d);
}

#[tokio::test]
async fn framed_with_typed_requests_knows_the_forms_session() {
    let (host, mut modem) = tokio::io::duplex(1 << 16);
    let mut framed = Framed::new(host, WipCodec::new(&DIALECT));
    framed.send(&tcp_map(DataMode::Transparent)).await.unwrap();
    let mut line = [0u8; 17];
    modem.read_exact(&mut line).await.unwrap();
    assert_eq!(&line, b"AT+WIPDATA=2,1,2\r");
    modem.write_all(b"\r\nCONNECT\r\na\x10\x03b").await.unwrap();
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::Final(Final::Connect)
    );
    // Transparent: nothing is unescaped.
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::Data(bytes::Bytes::from_static(b"a\x10\x03b"))
    );
    framed.send(Payload(b"\x10\x03")).await.unwrap();
    let mut wire = [0u8; 2];
    modem.read_exact(&mut wire).await.unwrap();
    assert_eq!(&wire, b"\x10\x03");
}

/// 40,000 bytes, one in four DLE and one in four ETX.
fn dense_40k() -> Vec<u8> {
    (0..40_000)
        .map(|i| [0x10, b'p', 0x03, b'q'][i % 4])
        .collect()
}

/// A write takes at most 16 KiB of its buffer (escaped and on the line
/// before the next piece is escaped); `write_all` and `send` take it all,
/// escaped once, in order.
#[test]
fn a_write_takes_a_piece_and_write_all_takes_everything() {
    let data = dense_40k();
    let wire = wip_runtime::escape::escape(&data);
    let (host, mut modem) = pair();
    let want = wire.clone();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPDATA=2,1,1\r");
        modem.write_all(b"\r\nCONNECT\r\n").unwrap();
        // One write's piece, then all of it by write_all, then by send.
        let piece = wip_runtime::escape::escape(&dense_40k()[..16 * 1024]);
        let mut got = vec![0u8; piece.len() + 2 * want.len()];
        modem.read_exact(&mut got).unwrap();
        assert!(got[..piece.len()] == piece[..], "the first write's piece");
        assert!(got[piece.len()..piece.len() + want.len()] == want[..]);
        assert!(got[piece.len() + want.len()..] == want[..]);
        // The peer shut down (a lone ETX, 6.2.2.3).
        modem.write_all(b"x\x03").unwrap();
    });
    let mut c = Client::new(host, &DIALECT, ClientConfig::default());
    let mut d = c.data_typed(&tcp_map(DataMode::Continuous)).unwrap();
    assert_eq!(d.write(&data).unwrap(), 16 * 1024);
    d.write_all(&data).unwrap();
    d.send(&data).unwrap();
    d.flush().unwrap();
    let mut rest = Vec::new();
    d.read_to_end(&mut rest).unwrap();
    assert_eq!(rest, b"x");
    script.join().unwrap();
}

/// The async handle and its writer half take at most 16 KiB a write;
/// `write_all` and `send` take everything, in order.
#[tokio::test]
async fn an_async_write_takes_a_piece_and_write_all_takes_everything() {
    let data = dense_40k();
    let wire = wip_runtime::escape::escape(&data);
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let want = wire.clone();
    let script = tokio::spawn(async move {
        let mut rd = connects(rd, &mut wr, b"AT+WIPDATA=2,1,1\r").await;
        let piece = wip_runtime::escape::escape(&dense_40k()[..16 * 1024]);
        let mut got = vec![0u8; 2 * piece.len() + 2 * want.len()];
        rd.read_exact(&mut got).await.unwrap();
        let (a, rest) = got.split_at(piece.len());
        let (b, rest) = rest.split_at(piece.len());
        let (c, d) = rest.split_at(want.len());
        assert!(a == piece && b == piece, "each write's piece");
        assert!(c == want && d == want, "write_all and send");
        (rd, wr)
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let mut d = c.data_typed(&tcp_map(DataMode::Continuous)).await.unwrap();
    assert_eq!(d.write(&data).await.unwrap(), 16 * 1024);
    {
        let (_rx, mut tx) = d.split();
        assert_eq!(tx.write(&data).await.unwrap(), 16 * 1024);
        tx.write_all(&data).await.unwrap();
        tx.flush().await.unwrap();
    }
    d.send(&data).await.unwrap();
    let (_rd, _wr) = script.await.unwrap();
    drop(d);
}

/// Bytes the framer held back in case they began `\r\nSHUTDOWN\r\n` are
/// payload when the line ends instead: they come out before the end.
#[test]
fn held_bytes_are_payload_when_the_line_closes() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPDATA=2,1,1\r");
        modem.write_all(b"\r\nCONNECT\r\n").unwrap();
        modem.write_all(b"ab\r\n").unwrap();
    });
    let mut c = Client::new(host, &DIALECT, ClientConfig::default());
    let mut d = c.data_typed(&tcp_map(DataMode::Continuous)).unwrap();
    script.join().unwrap();
    let mut got = Vec::new();
    let t = std::time::Duration::from_secs(5);
    let end = loop {
        match d.recv(t) {
            Ok(Some(wip_runtime::client::DataEvent::Data(b))) => got.extend_from_slice(&b),
            other => break other,
        }
    };
    assert_eq!(got, b"ab\r\n");
    assert!(
        matches!(end, Err(wip_runtime::client::ClientError::Closed)),
        "{end:?}"
    );
}

/// [`held_bytes_are_payload_when_the_line_closes`], async.
#[tokio::test]
async fn held_bytes_are_payload_when_the_async_line_closes() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let rd = connects(rd, &mut wr, b"AT+WIPDATA=2,1,1\r").await;
        wr.write_all(b"ab\r\n").await.unwrap();
        drop((rd, wr));
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let mut d = c.data_typed(&tcp_map(DataMode::Continuous)).await.unwrap();
    script.await.unwrap();
    let mut got = Vec::new();
    let t = std::time::Duration::from_secs(5);
    let end = loop {
        match d.recv(t).await {
            Ok(Some(wip_runtime::client::DataEvent::Data(b))) => got.extend_from_slice(&b),
            other => break other,
        }
    };
    assert_eq!(got, b"ab\r\n");
    assert!(end.is_err(), "the line closed: {end:?}");
}

/// The codec alone (a host's own event loop on `Framed`): frames typed
/// with `Frame::decode`, an HTTP upload ended by the `EndOfData` item (the
/// modem's `OK` after it ends data mode, rather than reading as payload),
/// and `codec::escape` leaving a socket's continuous mode.
#[tokio::test]
async fn framed_types_frames_ends_an_upload_and_escapes() {
    use wip_runtime::codec::{escape, EndOfData};
    let (host, mut modem) = tokio::io::duplex(1 << 16);
    let mut framed = Framed::new(host, WipCodec::new(&DIALECT));

    // A typed response and URC.
    framed.send(&WipBrRead).await.unwrap();
    let mut line = [0u8; 10];
    modem.read_exact(&mut line).await.unwrap();
    assert_eq!(&line, b"AT+WIPBR?\r");
    modem
        .write_all(b"\r\n6,1\r\n\r\nOK\r\n\r\n+WIPREADY: 2,1\r\n")
        .await
        .unwrap();
    let f = framed.next().await.unwrap().unwrap();
    let state = f.decode::<WipBrState>(&DIALECT).unwrap().unwrap();
    assert_eq!(
        (state.bid, state.state),
        (BearerId::Gprs, BearerState::Started)
    );
    assert!(f.decode::<Urc>(&DIALECT).unwrap().is_err(), "not a URC");
    let f = framed.next().await.unwrap().unwrap();
    assert_eq!(f, Frame::Final(Final::Ok));
    assert!(f.decode::<Urc>(&DIALECT).is_none(), "not a line");
    let f = framed.next().await.unwrap().unwrap();
    assert_eq!(
        f.decode::<Urc>(&DIALECT).unwrap().unwrap(),
        Urc::WipReady(WipReady::new(Protocol::TcpClient, 1u8).unwrap())
    );

    // An upload: the host's lone ETX ends it, the modem answers OK.
    let put = WipFileHttp::new(1, FileMode::Upload, "http://h/up").unwrap();
    framed.send(&put).await.unwrap();
    let mut line = [0u8; 31];
    modem.read_exact(&mut line).await.unwrap();
    assert_eq!(&line, b"AT+WIPFILE=5,1,2,\"http://h/up\"\r");
    modem.write_all(b"\r\nCONNECT\r\n").await.unwrap();
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::Final(Final::Connect)
    );
    framed.send(Payload(b"a\x03")).await.unwrap();
    framed.send(EndOfData).await.unwrap();
    let mut wire = [0u8; 4];
    modem.read_exact(&mut wire).await.unwrap();
    assert_eq!(&wire, b"a\x10\x03\x03");
    modem
        .write_all(b"\r\nOK\r\n\r\n+WIPFILE: 5,1,2,201,\"Created\"\r\n")
        .await
        .unwrap();
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::Final(Final::Ok)
    );
    assert!(!framed.codec().framer().in_data_mode());
    let f = framed.next().await.unwrap().unwrap();
    let status = f.decode::<WipFileHttpStatus>(&DIALECT).unwrap().unwrap();
    assert_eq!(status.http_status_code, 201);
    // No lone ETX outside data mode.
    assert!(framed.send(EndOfData).await.is_err());

    // A TCP socket in continuous mode, left with `+++`.
    framed.send(&tcp_map(DataMode::Continuous)).await.unwrap();
    let mut line = [0u8; 17];
    modem.read_exact(&mut line).await.unwrap();
    modem.write_all(b"\r\nCONNECT\r\n").await.unwrap();
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::Final(Final::Connect)
    );
    framed.feed(Payload(b"x")).await.unwrap();
    escape(&mut framed, std::time::Duration::from_millis(20))
        .await
        .unwrap();
    let mut wire = [0u8; 4];
    modem.read_exact(&mut wire).await.unwrap();
    assert_eq!(&wire, b"x+++", "the payload fed first, then the escape");
    modem.write_all(b"\r\nOK\r\n").await.unwrap();
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::Final(Final::Ok)
    );
    assert!(!framed.codec().framer().in_data_mode());
}

/// A data handle dropped without `leave` leaves the modem in data mode: a
/// command then would go to the peer as payload, so it is refused and
/// nothing is written; `leave_data` leaves data mode (with `+++`) and
/// gives the payload that came meanwhile; then commands go out again.
#[test]
fn a_command_after_a_dropped_handle_is_refused_until_data_mode_is_left() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPDATA=2,1,1\r");
        modem.write_all(b"\r\nCONNECT\r\n").unwrap();
        // The next bytes from the host are the escape, not the command.
        let mut wire = [0u8; 3];
        modem.read_exact(&mut wire).unwrap();
        assert_eq!(&wire, b"+++");
        modem.write_all(b"late\x10\x03\r\nOK\r\n").unwrap();
        assert_eq!(read_line(&mut modem), b"AT+WIPCFG=1\r");
        modem.write_all(b"\r\nOK\r\n").unwrap();
    });
    let cfg = short_guard();
    let mut c = Client::new(host, &DIALECT, cfg);
    assert_eq!(c.leave_data().unwrap(), None);
    let d = c.data_typed(&tcp_map(DataMode::Continuous)).unwrap();
    drop(d);
    match c.send(&WipCfgStart::new().unwrap()) {
        Err(SendError::Client(ClientError::InDataMode)) => {}
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        c.command("AT+WIPCFG=1"),
        Err(ClientError::InDataMode)
    ));
    let left = c.leave_data().unwrap().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    assert_eq!(left.unread, b"late\x03");
    let answer = c.send(&WipCfgStart::new().unwrap()).unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    assert_eq!(c.leave_data().unwrap(), None);
    script.join().unwrap();
}

/// A command that opens data mode times out and its `CONNECT` comes
/// late: the modem is then in data mode, so the next command is refused
/// and nothing is written (the modem reads `+++` next, not the command);
/// `leave_data` leaves data mode with the payload that came, then commands
/// go out again.
#[test]
fn a_command_after_a_late_connect_is_refused_until_data_mode_is_left() {
    let (host, mut modem) = pair();
    let (timed_out, heard) = std::sync::mpsc::channel();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPDATA=2,1,1\r");
        heard.recv().unwrap();
        modem.write_all(b"\r\nCONNECT\r\nhello").unwrap();
        let mut wire = [0u8; 3];
        modem.read_exact(&mut wire).unwrap();
        assert_eq!(&wire, b"+++");
        modem.write_all(b"\r\nOK\r\n").unwrap();
        assert_eq!(read_line(&mut modem), b"AT+WIPCFG=1\r");
        modem.write_all(b"\r\nOK\r\n").unwrap();
    });
    let mut c = Client::new(host, &DIALECT, short_guard());
    let short = std::time::Duration::from_millis(50);
    match c.exchange("AT+WIPDATA=2,1,1", short) {
        Err(ClientError::Timeout { after, .. }) => assert_eq!(after, short),
        other => panic!("{other:?}"),
    }
    timed_out.send(()).unwrap();
    // The `CONNECT` reaches the host's socket, unread.
    std::thread::sleep(std::time::Duration::from_millis(200));
    match c.send(&WipCfgStart::new().unwrap()) {
        Err(SendError::Client(ClientError::InDataMode)) => {}
        other => panic!("{other:?}"),
    }
    let left = c.leave_data().unwrap().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    assert_eq!(left.unread, b"hello");
    let answer = c.send(&WipCfgStart::new().unwrap()).unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    script.join().unwrap();
}

/// [`a_command_after_a_late_connect_is_refused_until_data_mode_is_left`]
/// on the async client, whose reader task frames the late `CONNECT` as it
/// comes.
#[tokio::test]
async fn an_async_command_after_a_late_connect_is_refused_until_data_mode_is_left() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let (timed_out, heard) = tokio::sync::oneshot::channel::<()>();
    let script = tokio::spawn(async move {
        let mut rd = BufReader::new(rd);
        let mut line = Vec::new();
        rd.read_until(b'\r', &mut line).await.unwrap();
        assert_eq!(line, b"AT+WIPDATA=2,1,1\r");
        heard.await.unwrap();
        wr.write_all(b"\r\nCONNECT\r\nhello").await.unwrap();
        let mut wire = [0u8; 3];
        rd.read_exact(&mut wire).await.unwrap();
        assert_eq!(&wire, b"+++");
        wr.write_all(b"\r\nOK\r\n").await.unwrap();
        line.clear();
        rd.read_until(b'\r', &mut line).await.unwrap();
        assert_eq!(line, b"AT+WIPCFG=1\r");
        wr.write_all(b"\r\nOK\r\n").await.unwrap();
        (rd, wr)
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, short_guard());
    let short = std::time::Duration::from_millis(50);
    match c.exchange("AT+WIPDATA=2,1,1", short).await {
        Err(ClientError::Timeout { after, .. }) => assert_eq!(after, short),
        other => panic!("{other:?}"),
    }
    timed_out.send(()).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    match c.send(&WipCfgStart::new().unwrap()).await {
        Err(SendError::Client(ClientError::InDataMode)) => {}
        other => panic!("{other:?}"),
    }
    let left = c.leave_data().await.unwrap().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    assert_eq!(left.unread, b"hello");
    let answer = c.send(&WipCfgStart::new().unwrap()).await.unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    let _ = script.await.unwrap();
}

/// A download read to its ETX ends data mode on its own (6.1.2): with the
/// handle dropped before the modem's `OK` came, the next command waits
/// for that `OK` and then gets its own answer.
#[test]
fn a_command_after_a_transfer_that_ended_waits_for_its_final_result_code() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert!(read_line(&mut modem).starts_with(b"AT+WIPFILE="));
        modem.write_all(b"\r\nCONNECT\r\nabc\x03").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        modem.write_all(b"\r\nOK\r\n").unwrap();
        assert_eq!(read_line(&mut modem), b"AT+WIPCFG=1\r");
        modem.write_all(b"\r\n+CME ERROR: 844\r\n").unwrap();
    });
    let mut c = Client::new(host, &DIALECT, ClientConfig::default());
    let get = WipFileHttp::new(1, FileMode::Download, "http://h/f").unwrap();
    let mut d = c.data_typed(&get).unwrap();
    let mut got = Vec::new();
    d.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"abc");
    drop(d);
    // Its own answer, not the download's `OK`.
    match c.send(&WipCfgStart::new().unwrap()) {
        Err(SendError::Refused { code: 844, .. }) => {}
        other => panic!("{other:?}"),
    }
    script.join().unwrap();
}

#[tokio::test]
async fn an_async_command_after_a_dropped_handle_is_refused_until_data_mode_is_left() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let mut rd = connects(rd, &mut wr, b"AT+WIPDATA=2,1,1\r").await;
        let mut wire = [0u8; 3];
        rd.read_exact(&mut wire).await.unwrap();
        assert_eq!(&wire, b"+++");
        wr.write_all(b"late\r\nOK\r\n").await.unwrap();
        let mut line = Vec::new();
        rd.read_until(b'\r', &mut line).await.unwrap();
        assert_eq!(line, b"AT+WIPCFG=1\r");
        wr.write_all(b"\r\nOK\r\n").await.unwrap();
        // A download whose `OK` comes after its ETX, late.
        line.clear();
        rd.read_until(b'\r', &mut line).await.unwrap();
        assert!(line.starts_with(b"AT+WIPFILE="), "{line:?}");
        wr.write_all(b"\r\nCONNECT\r\nabc\x03").await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        wr.write_all(b"\r\nOK\r\n").await.unwrap();
        line.clear();
        rd.read_until(b'\r', &mut line).await.unwrap();
        assert_eq!(line, b"AT+WIPCFG=1\r");
        wr.write_all(b"\r\n+CME ERROR: 844\r\n").await.unwrap();
        (rd, wr)
    });
    let cfg = short_guard();
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, cfg);
    assert_eq!(c.leave_data().await.unwrap(), None);
    let d = c.data_typed(&tcp_map(DataMode::Continuous)).await.unwrap();
    drop(d);
    match c.send(&WipCfgStart::new().unwrap()).await {
        Err(SendError::Client(ClientError::InDataMode)) => {}
        other => panic!("{other:?}"),
    }
    let left = c.leave_data().await.unwrap().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    assert_eq!(left.unread, b"late");
    let answer = c.send(&WipCfgStart::new().unwrap()).await.unwrap();
    assert_eq!(answer.final_code, Final::Ok);

    let get = WipFileHttp::new(1, FileMode::Download, "http://h/f").unwrap();
    let mut d = c.data_typed(&get).await.unwrap();
    let mut got = Vec::new();
    d.read_to_end(&mut got).await.unwrap();
    assert_eq!(got, b"abc");
    drop(d);
    match c.send(&WipCfgStart::new().unwrap()).await {
        Err(SendError::Refused { code: 844, .. }) => {}
        other => panic!("{other:?}"),
    }
    let _ = script.await.unwrap();
}

/// The codec refuses a command line in data mode: it would go to the
/// peer as payload.
#[test]
fn the_codec_refuses_a_command_in_data_mode() {
    use tokio_util::codec::{Decoder, Encoder};
    use wip_runtime::codec::RawLine;
    let mut codec = WipCodec::new(&DIALECT);
    let mut out = bytes::BytesMut::new();
    codec
        .encode(&tcp_map(DataMode::Continuous), &mut out)
        .unwrap();
    let mut input = bytes::BytesMut::from(&b"\r\nCONNECT\r\n"[..]);
    while codec.decode(&mut input).unwrap().is_some() {}
    out.clear();
    let e = codec
        .encode(&WipCfgStart::new().unwrap(), &mut out)
        .unwrap_err();
    assert!(e.to_string().contains("data mode"), "{e}");
    assert!(codec.encode(RawLine("AT"), &mut out).is_err());
    assert!(out.is_empty());
    let mut input = bytes::BytesMut::from(&b"\x03\r\n+CME ERROR: 843\r\n"[..]);
    while codec.decode(&mut input).unwrap().is_some() {}
    codec.encode(RawLine("AT"), &mut out).unwrap();
    assert_eq!(&out[..], b"AT\r");
}

/// An exchange cancelled after its line went out (its future dropped, as
/// by `select!` or `timeout`) leaves its answer behind: the next exchange
/// takes it first and gets its own.
#[tokio::test]
async fn a_cancelled_async_send_does_not_answer_the_next_one() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let mut rd = BufReader::new(rd);
        let mut line = Vec::new();
        rd.read_until(b'\r', &mut line).await.unwrap();
        assert_eq!(line, b"AT+WIPCFG=1\r");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        wr.write_all(b"\r\n+CME ERROR: 844\r\n").await.unwrap();
        line.clear();
        rd.read_until(b'\r', &mut line).await.unwrap();
        assert_eq!(line, b"AT+WIPCFG=1\r");
        wr.write_all(b"\r\nOK\r\n").await.unwrap();
        // A data-mode request cancelled before its CONNECT came.
        line.clear();
        rd.read_until(b'\r', &mut line).await.unwrap();
        assert_eq!(line, b"AT+WIPDATA=2,1,1\r");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        wr.write_all(b"\r\nCONNECT\r\n").await.unwrap();
        let mut wire = [0u8; 3];
        rd.read_exact(&mut wire).await.unwrap();
        assert_eq!(&wire, b"+++");
        wr.write_all(b"\r\nOK\r\n").await.unwrap();
        (rd, wr)
    });
    let cfg = short_guard();
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, cfg);
    let start = WipCfgStart::new().unwrap();
    let cut = std::time::Duration::from_millis(50);
    assert!(tokio::time::timeout(cut, c.send(&start)).await.is_err());
    let answer = c.send(&start).await.unwrap();
    assert_eq!(answer.final_code, Final::Ok);

    let map = tcp_map(DataMode::Continuous);
    assert!(tokio::time::timeout(cut, c.data_typed(&map)).await.is_err());
    // Its CONNECT is taken, and the modem is in data mode.
    match c.send(&start).await {
        Err(SendError::Client(ClientError::InDataMode)) => {}
        other => panic!("{other:?}"),
    }
    let left = c.leave_data().await.unwrap().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    let _ = script.await.unwrap();
}

/// The URC streams end when the port closes, and a stream asked for
/// afterwards ends at once.
#[tokio::test]
async fn the_urc_streams_end_when_the_port_closes() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (c, mut urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let mut other = c.urcs();
    drop(modem);
    let within = std::time::Duration::from_secs(5);
    let next = tokio::time::timeout(within, urcs.next_typed::<Urc>(|_| true)).await;
    assert!(matches!(next, Ok(None)), "{next:?}");
    let next = tokio::time::timeout(within, other.next()).await;
    assert!(matches!(next, Ok(None)), "{next:?}");
    let mut late = c.urcs();
    let next = tokio::time::timeout(within, late.next()).await;
    assert!(matches!(next, Ok(None)), "{next:?}");
}

/// A modem unmapped from another UART (`AT+WIPDATA=…,0`, 6.2.4) answers
/// `OK` with no mark the line can show: to the framer it is payload.
/// `forget_data_mode` takes the client back to command mode, with what
/// came as payload, and the next command gets its own answer.
#[test]
fn forget_data_mode_after_an_unmapping_the_line_cannot_show() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPDATA=2,1,1\r");
        modem.write_all(b"\r\nCONNECT\r\nabc").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        modem.write_all(b"\r\nOK\r\n").unwrap();
        assert_eq!(read_line(&mut modem), b"AT+WIPCFG=1\r");
        modem.write_all(b"\r\n+CME ERROR: 844\r\n").unwrap();
    });
    let mut c = Client::new(host, &DIALECT, ClientConfig::default());
    let d = c.data_typed(&tcp_map(DataMode::Continuous)).unwrap();
    drop(d);
    match c.send(&WipCfgStart::new().unwrap()) {
        Err(SendError::Client(ClientError::InDataMode)) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(c.forget_data_mode().unwrap(), b"abc\r\nOK\r\n");
    match c.send(&WipCfgStart::new().unwrap()) {
        Err(SendError::Refused { code: 844, .. }) => {}
        other => panic!("{other:?}"),
    }
    script.join().unwrap();
}

#[tokio::test]
async fn async_forget_data_mode_after_an_unmapping_the_line_cannot_show() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let mut rd = connects(rd, &mut wr, b"AT+WIPDATA=2,1,1\r").await;
        wr.write_all(b"abc").await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        wr.write_all(b"\r\nOK\r\n").await.unwrap();
        let mut line = Vec::new();
        rd.read_until(b'\r', &mut line).await.unwrap();
        assert_eq!(line, b"AT+WIPCFG=1\r");
        wr.write_all(b"\r\n+CME ERROR: 844\r\n").await.unwrap();
        (rd, wr)
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let d = c.data_typed(&tcp_map(DataMode::Continuous)).await.unwrap();
    drop(d);
    assert_eq!(c.forget_data_mode().await, b"abc\r\nOK\r\n");
    match c.send(&WipCfgStart::new().unwrap()).await {
        Err(SendError::Refused { code: 844, .. }) => {}
        other => panic!("{other:?}"),
    }
    let _ = script.await.unwrap();
}

/// After a TCP peer's shutdown (its ETX) nothing more can come: end of
/// file is given again at once; after the end of a UDP datagram the next
/// read waits for the next datagram.
#[tokio::test]
async fn end_of_file_stays_after_a_shutdown_not_after_a_datagram() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let _rd = connects(rd, &mut wr, b"AT+WIPDATA=2,1,1\r").await;
        wr.write_all(b"abc\x03").await.unwrap();
        (_rd, wr)
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let mut d = c.data_typed(&tcp_map(DataMode::Continuous)).await.unwrap();
    let mut got = Vec::new();
    d.read_to_end(&mut got).await.unwrap();
    assert_eq!(got, b"abc");
    let within = std::time::Duration::from_secs(2);
    let again = tokio::time::timeout(within, d.read_to_end(&mut got)).await;
    assert!(matches!(again, Ok(Ok(0))), "{again:?}");
    let (_rd, _wr) = script.await.unwrap();
    drop(d);

    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let _rd = connects(rd, &mut wr, b"AT+WIPDATA=1,1,1\r").await;
        wr.write_all(b"pq\x03").await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        wr.write_all(b"rs\x03").await.unwrap();
        (_rd, wr)
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let udp = WipDataMap::new(Protocol::Udp, 1, DataMode::Continuous).unwrap();
    let mut d = c.data_typed(&udp).await.unwrap();
    let mut got = Vec::new();
    d.read_to_end(&mut got).await.unwrap();
    assert_eq!(got, b"pq");
    got.clear();
    d.read_to_end(&mut got).await.unwrap();
    assert_eq!(got, b"rs");
    let (_rd, _wr) = script.await.unwrap();
    drop(d);
}

#[test]
fn blocking_end_of_file_stays_after_a_shutdown() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPDATA=2,1,1\r");
        modem.write_all(b"\r\nCONNECT\r\nabc\x03").unwrap();
        modem
    });
    let cfg = ClientConfig {
        default_timeout: std::time::Duration::from_secs(3),
        ..ClientConfig::default()
    };
    let mut c = Client::new(host, &DIALECT, cfg);
    let mut d = c.data_typed(&tcp_map(DataMode::Continuous)).unwrap();
    let mut got = Vec::new();
    d.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"abc");
    // Without it, the read would wait the default timeout and fail.
    assert_eq!(d.read_to_end(&mut got).unwrap(), 0);
    let _modem = script.join().unwrap();
}

/// An upload ended with an ETX: the modem answers once the server took
/// it, which may be later than the client's default timeout; `leave`
/// waits up to the opening command's timeout rather than sending `+++`,
/// and `Left::check` types a refusal.
#[test]
fn leave_after_an_upload_waits_for_the_server_and_types_its_refusal() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPFILE=6,1,2\r");
        modem.write_all(b"\r\nCONNECT\r\n").unwrap();
        let mut wire = [0u8; 7];
        modem.read_exact(&mut wire).unwrap();
        assert_eq!(&wire, b"body\r\n\x03");
        std::thread::sleep(std::time::Duration::from_millis(600));
        modem.write_all(b"\r\n+CME ERROR: 884\r\n").unwrap();
        // No `+++` came meanwhile: the next bytes are the next command.
        assert_eq!(read_line(&mut modem), b"AT+WIPCFG=1\r");
        modem.write_all(b"\r\nOK\r\n").unwrap();
    });
    let cfg = ClientConfig {
        default_timeout: std::time::Duration::from_millis(200),
        ..short_guard()
    };
    let mut c = Client::new(host, &DIALECT, cfg);
    let mut mail = c
        .data_typed(&WipFileSmtp::new(1, FileMode::Upload).unwrap())
        .unwrap();
    mail.send(b"body\r\n").unwrap();
    mail.end_of_data().unwrap();
    let left = mail.leave().map_err(ClientError::from).unwrap();
    assert_eq!(left.final_code, Final::CmeError(Some(884)));
    assert_eq!(left.command, "AT+WIPFILE");
    match left.check::<CmeError>() {
        Err(SendError::Refused {
            error,
            code: 884,
            command,
        }) => {
            assert_eq!(error, CmeError::from_code(884));
            assert_eq!(command, "AT+WIPFILE");
        }
        other => panic!("{other:?}"),
    }
    c.send(&WipCfgStart::new().unwrap()).unwrap();
    script.join().unwrap();
}

#[tokio::test]
async fn async_leave_after_an_upload_waits_for_the_server() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let mut rd = connects(rd, &mut wr, b"AT+WIPFILE=6,1,2\r").await;
        let mut wire = [0u8; 7];
        rd.read_exact(&mut wire).await.unwrap();
        assert_eq!(&wire, b"body\r\n\x03");
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        wr.write_all(b"\r\nOK\r\n").await.unwrap();
        let mut line = Vec::new();
        rd.read_until(b'\r', &mut line).await.unwrap();
        assert_eq!(line, b"AT+WIPCFG=1\r");
        wr.write_all(b"\r\nOK\r\n").await.unwrap();
        (rd, wr)
    });
    let cfg = ClientConfig {
        default_timeout: std::time::Duration::from_millis(200),
        ..short_guard()
    };
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, cfg);
    let mut mail = c
        .data_typed(&WipFileSmtp::new(1, FileMode::Upload).unwrap())
        .await
        .unwrap();
    mail.send(b"body\r\n").await.unwrap();
    mail.end_of_data().await.unwrap();
    let left = mail.leave().await.map_err(ClientError::from).unwrap();
    assert_eq!(left.final_code, Final::Ok);
    left.check::<CmeError>().unwrap();
    c.send(&WipCfgStart::new().unwrap()).await.unwrap();
    let _ = script.await.unwrap();
}

/// `send` of a request that opens data mode is refused unsent (the client
/// would be left in data mode with no handle); one of the same form that
/// opens none (data offline mode) is sent.
#[test]
fn send_refuses_a_request_that_opens_data_mode() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPDATA=1,1,3\r");
        modem.write_all(b"\r\n+WIPDATARW: 1,1\r\nOK\r\n").unwrap();
    });
    let mut c = Client::new(host, &DIALECT, ClientConfig::default());
    match c.send(&tcp_map(DataMode::Continuous)) {
        Err(e @ SendError::OpensData(_)) => {
            assert_eq!(
                e.to_string(),
                "`AT+WIPDATA=2,1,1` opens data mode: send it with `data_typed`, which gives its handle"
            );
        }
        other => panic!("{other:?}"),
    }
    let put = WipFileSmtp::new(1, FileMode::Upload).unwrap();
    assert!(matches!(c.send(&put), Err(SendError::OpensData(_))));
    let offline = WipDataMap::new(Protocol::Udp, 1, DataMode::Offline).unwrap();
    assert_eq!(c.send(&offline).unwrap().final_code, Final::Ok);
    script.join().unwrap();
}

/// A transport that holds what is written until it is flushed, as a
/// host's own buffered writer does.
struct Buffered {
    rd: std::net::TcpStream,
    wr: std::io::BufWriter<std::net::TcpStream>,
}

impl Read for Buffered {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.rd.read(buf)
    }
}

impl Write for Buffered {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.wr.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.wr.flush()
    }
}

impl wip_runtime::transport::Transport for Buffered {
    fn set_read_timeout(&mut self, timeout: std::time::Duration) -> std::io::Result<()> {
        self.rd.set_read_timeout(Some(timeout))
    }
}

/// The ETX that ends an upload reaches the modem without a `flush` of the
/// app's: `end_of_data` flushes the transport, else the modem would never
/// answer and `leave` would time out.
#[test]
fn end_of_data_flushes_a_buffering_transport() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPFILE=6,1,2\r");
        modem.write_all(b"\r\nCONNECT\r\n").unwrap();
        // Held in the buffer, the bytes would come only with the `+++`
        // that `leave` sends once the command's own timeout is over
        // (a minute): far past this.
        modem
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut wire = [0u8; 7];
        modem
            .read_exact(&mut wire)
            .expect("the payload and its ETX reach the modem");
        assert_eq!(&wire, b"body\r\n\x03");
        modem.write_all(b"\r\nOK\r\n").unwrap();
        // No `+++` came: the next bytes are the next command.
        assert_eq!(read_line(&mut modem), b"AT+WIPCFG=1\r");
        modem.write_all(b"\r\nOK\r\n").unwrap();
    });
    let io = Buffered {
        rd: host.try_clone().unwrap(),
        wr: std::io::BufWriter::with_capacity(1 << 16, host),
    };
    let cfg = ClientConfig {
        default_timeout: std::time::Duration::from_millis(500),
        ..short_guard()
    };
    let mut c = Client::new(io, &DIALECT, cfg);
    let mut mail = c
        .data_typed(&WipFileSmtp::new(1, FileMode::Upload).unwrap())
        .unwrap();
    mail.write_all(b"body\r\n").unwrap();
    mail.end_of_data().unwrap();
    let left = mail.leave().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    c.send(&WipCfgStart).unwrap();
    script.join().unwrap();
}

/// The async handle's ETX reaches the modem through a transport that
/// buffers writes (`tokio::io::BufStream`) without a flush of the app's.
#[tokio::test]
async fn async_end_of_data_flushes_a_buffering_transport() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let mut rd = connects(rd, &mut wr, b"AT+WIPFILE=6,1,2\r").await;
        let mut wire = [0u8; 7];
        tokio::time::timeout(std::time::Duration::from_secs(10), rd.read_exact(&mut wire))
            .await
            .expect("the payload and its ETX reach the modem")
            .unwrap();
        assert_eq!(&wire, b"body\r\n\x03");
        (rd, wr)
    });
    let io = tokio::io::BufStream::with_capacity(1 << 16, 1 << 16, host);
    let (mut c, _urcs) = AsyncClient::new(io, &DIALECT, ClientConfig::default());
    let mut mail = c
        .data_typed(&WipFileSmtp::new(1, FileMode::Upload).unwrap())
        .await
        .unwrap();
    mail.write_all(b"body\r\n").await.unwrap();
    mail.end_of_data().await.unwrap();
    // The modem has the ETX before `leave` (which flushes too) runs.
    let (_rd, mut wr) = script.await.unwrap();
    wr.write_all(b"\r\nOK\r\n").await.unwrap();
    let left = mail.leave().await.unwrap();
    assert_eq!(left.final_code, Final::Ok);
}

/// With `AT_WIP_NET_OPT_AUTO_SWITCH` at 1 (4.1.3) the modem leaves data
/// mode by itself when the TCP peer closes: after `SHUTDOWN` (the peer
/// sends nothing more, 6.2.11.1) its `OK` ends the session, `leave` sends
/// no `+++`, and the `+WIPPEERCLOSE` that follows is a typed URC.
#[test]
fn the_modem_leaving_data_mode_after_the_peers_shutdown_ends_the_session() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPDATA=2,1,1\r");
        modem.write_all(b"\r\nCONNECT\r\n").unwrap();
        modem
            .write_all(b"abc\r\nSHUTDOWN\r\n\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,1\r\n")
            .unwrap();
        // The next thing the host sends is a command, not `+++`.
        assert_eq!(read_line(&mut modem), b"AT+WIPCLOSE=2,1\r");
        modem.write_all(b"\r\nOK\r\n").unwrap();
    });
    let mut c = Client::new(host, &DIALECT, short_guard());
    let mut d = c.data_typed(&tcp_map(DataMode::Continuous)).unwrap();
    let mut got = Vec::new();
    d.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"abc");
    let left = d.leave().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    let close = c
        .wait_typed::<WipPeerClose>(std::time::Duration::from_secs(2), |p| p.idx == 1)
        .unwrap();
    assert_eq!(close.protocol, Protocol::TcpClient);
    c.send(&WipCloseClose::new(Protocol::TcpClient, 1).unwrap())
        .unwrap();
    script.join().unwrap();
}

/// An MMS file written past the size declared with `WIP_MMS_ADD_FILE` is
/// cut there, and the modem leaves data mode by itself (6.1.9): its `OK`
/// ends the session (an upload: the modem sends no data, spec `upload`),
/// `leave` sends no `+++`, and the `+WIPFILE: 8,<idx>,<size>` that follows
/// is a typed URC.
#[test]
fn an_mms_file_cut_at_its_declared_size_ends_the_session() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPFILE=8,1,2,\"b.jpg\"\r");
        modem.write_all(b"\r\nCONNECT\r\n").unwrap();
        let mut wire = [0u8; 6];
        modem.read_exact(&mut wire).unwrap();
        assert_eq!(&wire, b"abcdef");
        modem
            .write_all(b"\r\nOK\r\n\r\n+WIPFILE: 8,1,4\r\n")
            .unwrap();
        // The next thing the host sends is a command, not `+++`.
        assert_eq!(read_line(&mut modem), b"AT+WIPCFG=1\r");
        modem.write_all(b"\r\nOK\r\n").unwrap();
    });
    let mut c = Client::new(host, &DIALECT, short_guard());
    let mut file = c
        .data_typed(
            &WipFileMms::new(1, FileMode::Upload)
                .unwrap()
                .with_filename("b.jpg")
                .unwrap(),
        )
        .unwrap();
    file.write_all(b"abcdef").unwrap();
    file.flush().unwrap();
    let mut got = Vec::new();
    file.read_to_end(&mut got).unwrap();
    assert!(got.is_empty(), "the modem sent no data: {got:?}");
    let left = file.leave().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    let cut = c
        .wait_typed::<WipFileMmsSize>(std::time::Duration::from_secs(2), |s| s.index == 1)
        .unwrap();
    assert_eq!(cut.size, 4);
    c.send(&WipCfgStart).unwrap();
    script.join().unwrap();
}

/// A download read to its size: the modem's ETX and `OK` end it (6.1.2).
/// When the ETX was framed but the app did not read the mark, `leave`
/// waits for the `OK` and sends no `+++`, which the modem, back in AT mode,
/// would take as the start of the next command line.
#[test]
fn leaving_a_download_read_to_its_size_sends_no_escape() {
    let (host, mut modem) = pair();
    let script = std::thread::spawn(move || {
        assert_eq!(read_line(&mut modem), b"AT+WIPFILE=4,1,1,\"a.bin\"\r");
        modem.write_all(b"\r\nCONNECT\r\nabc\x03").unwrap();
        // Nothing comes from the host meanwhile (no `+++`).
        modem
            .set_read_timeout(Some(std::time::Duration::from_millis(400)))
            .unwrap();
        let mut b = [0u8; 8];
        match modem.read(&mut b) {
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            r => panic!("the host sent something before the OK: {r:?} {:?}", &b),
        }
        modem.set_read_timeout(None).unwrap();
        modem.write_all(b"\r\nOK\r\n").unwrap();
        assert_eq!(read_line(&mut modem), b"AT+WIPCFG=1\r");
        modem.write_all(b"\r\nOK\r\n").unwrap();
    });
    let mut c = Client::new(host, &DIALECT, short_guard());
    let mut file = c
        .data_typed(&WipFileFtp::new(1, FileMode::Download, "a.bin").unwrap())
        .unwrap();
    let mut got = [0u8; 3];
    file.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"abc");
    let left = file.leave().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    c.send(&WipCfgStart).unwrap();
    script.join().unwrap();
}

/// [`leaving_a_download_read_to_its_size_sends_no_escape`] with the async
/// client.
#[tokio::test]
async fn async_leaving_a_download_read_to_its_size_sends_no_escape() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let mut rd = connects(rd, &mut wr, b"AT+WIPFILE=4,1,1,\"a.bin\"\r").await;
        wr.write_all(b"abc\x03").await.unwrap();
        let mut b = [0u8; 8];
        let r = tokio::time::timeout(std::time::Duration::from_millis(400), rd.read(&mut b)).await;
        assert!(
            r.is_err(),
            "the host sent something before the OK: {r:?} {b:?}"
        );
        wr.write_all(b"\r\nOK\r\n").await.unwrap();
        (rd, wr)
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, short_guard());
    let mut file = c
        .data_typed(&WipFileFtp::new(1, FileMode::Download, "a.bin").unwrap())
        .await
        .unwrap();
    let mut got = [0u8; 3];
    file.read_exact(&mut got).await.unwrap();
    assert_eq!(&got, b"abc");
    let left = file.leave().await.unwrap();
    assert_eq!(left.final_code, Final::Ok);
    script.await.unwrap();
}

/// The port closing in data mode cuts the data short: the async handle's
/// read says so (`UnexpectedEof`), as the blocking one's errs, rather than
/// ending as a complete transfer would.
#[tokio::test]
async fn async_read_errs_when_the_port_closes_in_data_mode() {
    let (host, modem) = tokio::io::duplex(1 << 16);
    let (rd, mut wr) = tokio::io::split(modem);
    let script = tokio::spawn(async move {
        let rd = connects(rd, &mut wr, b"AT+WIPFILE=4,1,1,\"a.bin\"\r").await;
        wr.write_all(b"abc").await.unwrap();
        drop((rd, wr));
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, short_guard());
    let mut file = c
        .data_typed(&WipFileFtp::new(1, FileMode::Download, "a.bin").unwrap())
        .await
        .unwrap();
    script.await.unwrap();
    let mut got = Vec::new();
    let e = file.read_to_end(&mut got).await.unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof, "{e}");
    assert_eq!(got, b"abc");
}
