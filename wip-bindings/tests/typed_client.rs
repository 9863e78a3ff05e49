//! The typed host API against a scripted modem in memory: a generated
//! request in, its typed responses out, `+CME ERROR` as the spec's
//! `CmeError` (unknown codes kept), URCs left in their queue.

use std::collections::VecDeque;
use std::io::{self, Read, Write};

use wip_bindings::rev009::*;
use wip_runtime::client::{Client, ClientConfig, SendError};
use wip_runtime::Final;

/// A modem that answers each command line it expects with bytes.
struct Modem {
    script: VecDeque<(&'static str, &'static [u8])>,
    heard: Vec<u8>,
    out: VecDeque<u8>,
}

impl Modem {
    fn new(script: &[(&'static str, &'static [u8])]) -> Self {
        Modem {
            script: script.iter().copied().collect(),
            heard: Vec::new(),
            out: VecDeque::new(),
        }
    }
}

impl Write for Modem {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.heard.extend_from_slice(buf);
        while let Some(end) = self.heard.iter().position(|&b| b == b'\r') {
            let line: Vec<u8> = self.heard.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line[..line.len() - 1]).into_owned();
            let (want, answer) = self
                .script
                .pop_front()
                .expect("a command the script expects");
            assert_eq!(line, want);
            self.out.extend(answer.iter().copied());
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Its reads never block: nothing to bound.
impl wip_runtime::transport::Transport for Modem {
    fn set_read_timeout(&mut self, _: std::time::Duration) -> io::Result<()> {
        Ok(())
    }
}

impl Read for Modem {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out.is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        // A serial port delivers in small pieces.
        let n = buf.len().min(self.out.len()).min(7);
        for (d, s) in buf.iter_mut().zip(self.out.drain(..n)) {
            *d = s;
        }
        Ok(n)
    }
}

#[test]
fn send_returns_typed_responses_and_keeps_urcs_queued() {
    let modem = Modem::new(&[(
        "AT+WIPBR=3,6,11",
        b"\r\n+WIPBR: 6,1,\"10.0.0.2\",\"10.0.0.1\",\"8.8.8.8\",\"8.8.4.4\"\r\n\
          \r\n+WIPBR: 6,11,\"internet\"\r\n\r\nOK\r\n",
    )]);
    let mut c = Client::new(modem, &DIALECT, ClientConfig::default());
    let req = WipBrGetOption::new(BearerId::Gprs, BearerOption::GprsApn).unwrap();
    let answer = c.send(&req).unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    let want = WipBrOption::new(
        BearerId::Gprs,
        BearerOptionReading::GprsApn("internet".into()),
    )
    .unwrap();
    assert_eq!(answer.responses, vec![want]);
    // The bearer URC that came in between is in the URC queue, typed by its
    // message.
    let urc = c.next_urc(std::time::Duration::ZERO).unwrap().unwrap();
    let status = DIALECT
        .messages
        .iter()
        .position(|m| m.id == "WipBrStatus")
        .unwrap();
    assert_eq!(urc.message, Some(status));
}

#[test]
fn cme_errors_come_back_as_the_specs_error_enum() {
    let modem = Modem::new(&[
        (
            "AT+WIPCREATE=2,1,\"10.0.0.1\",80",
            b"\r\n+CME ERROR: 840\r\n",
        ),
        (
            "AT+WIPCREATE=2,1,\"10.0.0.1\",80",
            b"\r\n+CME ERROR: 999\r\n",
        ),
        ("AT+WIPCREATE=2,1,\"10.0.0.1\",80", b"\r\nERROR\r\n"),
    ]);
    let mut c = Client::new(modem, &DIALECT, ClientConfig::default());
    let req = WipCreateTcpClient::new(1, "10.0.0.1", 80).unwrap();
    match c.send(&req) {
        Err(e @ SendError::Refused { code: 840, .. }) => {
            let SendError::Refused { error, .. } = &e else {
                unreachable!()
            };
            assert_eq!(*error, CmeError::from_code(840));
            assert_ne!(*error, CmeError::Unknown(840));
            // The message says what the code means, in the spec's words.
            let text = error.text().unwrap();
            assert_eq!(
                e.to_string(),
                format!("the modem refused `AT+WIPCREATE`: +CME ERROR: 840 ({text})")
            );
        }
        other => panic!("{other:?}"),
    }
    match c.send(&req) {
        Err(e @ SendError::Refused { code: 999, .. }) => {
            assert!(matches!(
                e,
                SendError::Refused {
                    error: CmeError::Unknown(999),
                    ..
                }
            ));
            // A code the spec does not define: the code alone.
            assert_eq!(
                e.to_string(),
                "the modem refused `AT+WIPCREATE`: +CME ERROR: 999"
            );
        }
        other => panic!("{other:?}"),
    }
    match c.send(&req) {
        Err(
            e @ SendError::Failed {
                final_code: Final::Error,
                ..
            },
        ) => {
            assert_eq!(
                e.to_string(),
                "`AT+WIPCREATE` failed: the modem answered ERROR"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A basic command refused: the code as a number, named by its line.
#[test]
fn a_refused_basic_command_is_named_by_its_line() {
    use wip_runtime::basic::Cmee;
    let modem = Modem::new(&[("AT+CMEE=1", b"\r\n+CME ERROR: 3\r\n")]);
    let mut c = Client::new(modem, &DIALECT, ClientConfig::default());
    match c.send_basic(&Cmee::Numeric) {
        Err(e @ SendError::Refused { .. }) => {
            assert!(matches!(
                &e,
                SendError::Refused { error: 3, code: 3, command } if command == "AT+CMEE=1"
            ));
            assert_eq!(
                e.to_string(),
                "the modem refused `AT+CMEE=1`: +CME ERROR: 3"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_request_of_another_command_set_is_refused_before_sending() {
    let other = wip_runtime::Dialect {
        name: "another".into(),
        ..DIALECT.clone()
    };
    let modem = Modem::new(&[]);
    let mut c = Client::new(modem, &other, ClientConfig::default());
    let req = WipCfgStart::new().unwrap();
    assert!(matches!(c.send(&req), Err(SendError::OtherSpec { .. })));
}

/// The modem's side of a script: it hears the APN read of bearer 6 and
/// answers it, then hears `second` and answers `answer`.
async fn apn_then(modem: tokio::io::DuplexStream, second: &'static [u8], answer: &'static [u8]) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    let (rd, mut wr) = tokio::io::split(modem);
    let mut rd = BufReader::new(rd);
    let mut line = Vec::new();
    rd.read_until(b'\r', &mut line).await.unwrap();
    assert_eq!(line, b"AT+WIPBR=3,6,11\r");
    wr.write_all(b"\r\n+WIPBR: 6,11,\"internet\"\r\n\r\nOK\r\n")
        .await
        .unwrap();
    line.clear();
    rd.read_until(b'\r', &mut line).await.unwrap();
    assert_eq!(line, second);
    wr.write_all(answer).await.unwrap();
}

#[tokio::test]
async fn the_async_client_sends_typed_requests_too() {
    use wip_runtime::client::AsyncClient;

    let (host, modem) = tokio::io::duplex(1024);
    let script = tokio::spawn(apn_then(
        modem,
        b"AT+WIPCFG=1\r",
        b"\r\n+CME ERROR: 844\r\n",
    ));
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let req = WipBrGetOption::new(BearerId::Gprs, BearerOption::GprsApn).unwrap();
    let answer = c.send(&req).await.unwrap();
    assert_eq!(
        answer.responses,
        vec![WipBrOption::new(
            BearerId::Gprs,
            BearerOptionReading::GprsApn("internet".into())
        )
        .unwrap()]
    );
    match c.send(&WipCfgStart::new().unwrap()).await {
        Err(SendError::Refused {
            error,
            code: 844,
            command,
        }) => {
            assert_eq!(error, CmeError::from_code(844));
            assert_eq!(command, "AT+WIPCFG");
        }
        other => panic!("{other:?}"),
    }
    script.await.unwrap();
}

#[test]
fn typed_urc_waits_take_their_kind_and_keep_the_others() {
    let modem = Modem::new(&[(
        "AT+WIPCREATE=2,1,\"10.0.0.1\",80",
        b"\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,3\r\n\r\n+WIPREADY: 2,2\r\n\
          \r\n+WIPREADY: 2,1\r\n\r\n+WIPREADY: 2,9\r\n",
    )]);
    let mut c = Client::new(modem, &DIALECT, ClientConfig::default());
    c.send(&WipCreateTcpClient::new(1, "10.0.0.1", 80).unwrap())
        .unwrap();
    let t = std::time::Duration::from_millis(200);
    // The +WIPREADY of socket 1, typed; the others stay queued in order.
    let ready: WipReady = c.wait_typed(t, |r: &WipReady| r.index == 1).unwrap();
    assert_eq!(ready.index, 1);
    // A +WIPREADY whose index is out of 1..=8 is typed as a decode error,
    // not passed over.
    assert!(matches!(
        c.wait_typed(t, |r: &WipReady| r.index == 9),
        Err(wip_runtime::client::ClientError::Decode(_))
    ));
    // The spec's Urc enum takes any URC: the peer close came first.
    let first: Urc = c.wait_typed(t, |_: &Urc| true).unwrap();
    assert!(matches!(first, Urc::WipPeerClose(_)), "{first:?}");
    let second: Urc = c.wait_typed(t, |_: &Urc| true).unwrap();
    assert!(
        matches!(second, Urc::WipReady(ref r) if r.index == 2),
        "{second:?}"
    );
    assert!(matches!(
        c.wait_typed(std::time::Duration::ZERO, |_: &Urc| true),
        Err(wip_runtime::client::ClientError::NoUrc { ref what, .. })
            if what == "URC of type Urc that the predicate accepts"
    ));
    // A wait for one message's type names its prefix.
    let none = c.wait_typed(std::time::Duration::ZERO, |_: &WipReady| true);
    assert_eq!(
        none.map_err(|e| e.to_string()).unwrap_err(),
        "no +WIPREADY URC that the predicate accepts within 0ns"
    );
}

/// The modem's side of a script: it hears one command line, answers
/// `answer`, and keeps the line open until the test is done.
async fn answer_and_hold(modem: tokio::io::DuplexStream, answer: &'static [u8]) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    let (rd, mut wr) = tokio::io::split(modem);
    let mut rd = BufReader::new(rd);
    let mut line = Vec::new();
    rd.read_until(b'\r', &mut line).await.unwrap();
    wr.write_all(answer).await.unwrap();
    let _ = rd.read_until(b'\r', &mut line).await;
}

#[tokio::test]
async fn the_async_urc_stream_gives_typed_urcs() {
    use wip_runtime::client::AsyncClient;

    let (host, modem) = tokio::io::duplex(1024);
    let script = tokio::spawn(answer_and_hold(
        modem,
        b"\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,3\r\n\r\n+WIPREADY: 2,1\r\n",
    ));
    let (mut c, mut urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    c.send(&WipCreateTcpClient::new(1, "10.0.0.1", 80).unwrap())
        .await
        .unwrap();
    let ready = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        urcs.next_typed(|r: &WipReady| r.index == 1),
    )
    .await
    .unwrap()
    .unwrap()
    .unwrap();
    assert_eq!(ready.index, 1);
    drop(c);
    script.abort();
}

/// The async stream's bounded typed wait: it passes over the URCs of other
/// types and those the predicate refuses, gives the one it accepts,
/// reports a URC that does not decode, times out with `NoUrc`, and ends
/// with `Closed` once the client is gone.
#[tokio::test]
async fn the_async_urc_stream_waits_for_a_typed_urc_within_a_time() {
    use std::time::Duration;
    use wip_runtime::client::{AsyncClient, ClientError};

    let (host, modem) = tokio::io::duplex(1024);
    let script = tokio::spawn(answer_and_hold(
        modem,
        b"\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,3\r\n\r\n+WIPREADY: 2,4\r\n\r\n+WIPREADY: 2,1\r\n\
          \r\n+WIPREADY: 9,1\r\n",
    ));
    let (mut c, mut urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let mut others = c.urcs();
    c.send(&WipCreateTcpClient::new(1, "10.0.0.1", 80).unwrap())
        .await
        .unwrap();
    let ready = urcs
        .wait_typed::<WipReady>(Duration::from_secs(5), |r| r.index == 1)
        .await
        .unwrap();
    assert_eq!((ready.mode, ready.index), (Protocol::TcpClient, 1));
    // `+WIPREADY: 9,1`: a mode outside 1..=3 is tagged `+WIPREADY` but
    // does not decode.
    let bad = urcs
        .wait_typed::<WipReady>(Duration::from_secs(5), |_| true)
        .await;
    assert!(matches!(bad, Err(ClientError::Decode(_))), "{bad:?}");
    // Nothing more comes: the wait ends at its deadline.
    let none = urcs
        .wait_typed::<Urc>(Duration::from_millis(50), |_| true)
        .await;
    assert!(
        matches!(none, Err(ClientError::NoUrc { after, .. }) if after == Duration::from_millis(50)),
        "{none:?}"
    );
    // The URCs this stream passed over are still in the others.
    let first = others
        .wait_typed::<Urc>(Duration::from_secs(5), |_| true)
        .await
        .unwrap();
    assert!(matches!(first, Urc::WipPeerClose(_)), "{first:?}");
    drop(c);
    script.abort();
    let closed = urcs
        .wait_typed::<Urc>(Duration::from_secs(5), |_| true)
        .await;
    assert!(matches!(closed, Err(ClientError::Closed)), "{closed:?}");
}

#[test]
fn responses_decode_as_they_come_and_errors_keep_their_order() {
    let modem = Modem::new(&[
        // <state> 7 is out of range: the answer does not decode.
        ("AT+WIPBR?", b"\r\n6,7\r\n\r\n5,0\r\n\r\nOK\r\n"),
        // A refusal wins over a line that does not decode.
        ("AT+WIPBR?", b"\r\n6,7\r\n\r\n+CME ERROR: 840\r\n"),
        // A line no message describes.
        ("AT+WIPBR?", b"\r\n6,1\r\n\r\nHELLO\r\n\r\nOK\r\n"),
        // The client is in step after each of them.
        ("AT+WIPBR?", b"\r\n6,1\r\n\r\n5,0\r\n\r\nOK\r\n"),
        ("AT+WIPBR?", b"\r\nOK\r\n"),
    ]);
    let mut c = Client::new(modem, &DIALECT, ClientConfig::default());
    let req = WipBrRead::new().unwrap();
    match c.send(&req) {
        Err(SendError::Decode(e)) => assert!(e.to_string().contains('7'), "{e}"),
        other => panic!("{other:?}"),
    }
    match c.send(&req) {
        Err(SendError::Refused { code: 840, .. }) => {}
        other => panic!("{other:?}"),
    }
    match c.send(&req) {
        Err(SendError::Decode(e)) => {
            let e = e.to_string();
            assert!(e.contains("HELLO") && e.contains("+WIPBR"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    let answer = c.send(&req).unwrap();
    assert_eq!(
        answer.responses,
        vec![
            WipBrState::new(BearerId::Gprs, BearerState::Started).unwrap(),
            WipBrState::new(BearerId::Gsm, BearerState::Stopped).unwrap(),
        ]
    );
    assert!(answer.payloads.is_empty());
    assert_eq!(answer.final_line, None);
    // No response: nothing allocated for responses or payloads.
    let answer = c.send(&req).unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    assert_eq!(answer.responses.capacity(), 0);
    assert_eq!(answer.payloads.capacity(), 0);
}

#[tokio::test]
async fn the_async_client_decodes_as_the_blocking_one() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use wip_runtime::client::AsyncClient;

    const ANSWERS: [&[u8]; 3] = [
        b"\r\n6,7\r\n\r\n5,0\r\n\r\nOK\r\n",
        b"\r\n6,7\r\n\r\n+CME ERROR: 840\r\n",
        b"\r\n6,1\r\n\r\n5,0\r\n\r\nOK\r\n",
    ];
    let (host, modem) = tokio::io::duplex(1024);
    let script = tokio::spawn(async move {
        let (rd, mut wr) = tokio::io::split(modem);
        let mut rd = BufReader::new(rd);
        let mut line = Vec::new();
        for answer in ANSWERS {
            line.clear();
            rd.read_until(b'\r', &mut line).await.unwrap();
            assert_eq!(line, b"AT+WIPBR?\r");
            wr.write_all(answer).await.unwrap();
        }
    });
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let req = WipBrRead::new().unwrap();
    match c.send(&req).await {
        Err(SendError::Decode(e)) => assert!(e.to_string().contains('7'), "{e}"),
        other => panic!("{other:?}"),
    }
    match c.send(&req).await {
        Err(SendError::Refused { code: 840, .. }) => {}
        other => panic!("{other:?}"),
    }
    let answer = c.send(&req).await.unwrap();
    assert_eq!(
        answer.responses,
        vec![
            WipBrState::new(BearerId::Gprs, BearerState::Started).unwrap(),
            WipBrState::new(BearerId::Gsm, BearerState::Stopped).unwrap(),
        ]
    );
    assert!(answer.payloads.is_empty());
    script.await.unwrap();
}

/// Whatever the request, the async client's futures are `Send`: an app
/// moves the client into a task of a multi-threaded runtime. (The reply
/// loop is shared by every answer type through a `dyn` collector, so this
/// rests on the generated responses being `Send`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_async_clients_futures_can_be_spawned() {
    use wip_runtime::client::AsyncClient;

    fn spawnable<F: std::future::Future + Send>(f: F) -> F {
        f
    }

    let (host, modem) = tokio::io::duplex(1024);
    let script = tokio::spawn(apn_then(modem, b"AT+WIPCFG?\r", b"\r\nOK\r\n"));
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let task = tokio::spawn(async move {
        let req = WipBrGetOption::new(BearerId::Gprs, BearerOption::GprsApn).unwrap();
        let answer = spawnable(c.send(&req)).await.unwrap();
        let reply = spawnable(c.command("AT+WIPCFG?")).await.unwrap();
        (answer.responses.len(), reply.final_code)
    });
    assert_eq!(task.await.unwrap(), (1, Final::Ok));
    script.await.unwrap();
}
