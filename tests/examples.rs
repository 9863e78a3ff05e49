//! The host app examples (`examples/`) against `wip sim` and loopback echo
//! servers, and what the typed data sessions promise: merged payload,
//! halves, and a `+++` that can be retried.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[path = "../examples/tcp_echo_async.rs"]
mod tcp_echo_async;
#[path = "../examples/tcp_echo_blocking.rs"]
mod tcp_echo_blocking;
#[path = "../examples/udp_echo.rs"]
mod udp_echo;

use wip_bindings::rev009::*;
use wip_runtime::client::{AsyncClient, Client, ClientConfig, ClientError, DataEvent};
use wip_runtime::transport;

/// `wip sim --listen` on an ephemeral loopback port, killed on drop.
struct Sim {
    child: Child,
    addr: String,
}

impl Sim {
    fn start(guard_ms: u64) -> Sim {
        let mut child = Sim::spawn(guard_ms);
        let addr = common::listening_address(&mut child);
        Sim { child, addr }
    }

    /// The `wip sim` process, its stdout piped and not read yet.
    fn spawn(guard_ms: u64) -> Child {
        Command::new(env!("CARGO_BIN_EXE_wip"))
            .args(["sim", "--listen", "127.0.0.1:0", "--ephemeral-ports"])
            .args(["--guard-ms", &guard_ms.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn config() -> ClientConfig {
    ClientConfig {
        guard: Duration::from_millis(150),
        ..ClientConfig::default()
    }
}

#[test]
fn the_blocking_example_echoes_1_mib_with_dle_and_etx() {
    let sim = Sim::start(100);
    let data = tcp_echo_blocking::payload(1 << 20);
    let echo = tcp_echo_blocking::echo_server().unwrap();
    let echoed = tcp_echo_blocking::run(&sim.addr, echo, &data, config()).unwrap();
    assert_eq!(echoed.len(), data.len());
    assert!(echoed == data, "the echo differs");
}

#[test]
fn the_async_example_echoes_1_mib_with_dle_and_etx() {
    let sim = Sim::start(100);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let data = tcp_echo_async::payload(1 << 20);
    let echoed = rt.block_on(async {
        let echo = tcp_echo_async::echo_server().await.unwrap();
        tcp_echo_async::run(&sim.addr, echo, &data, config())
            .await
            .unwrap()
    });
    assert_eq!(echoed.len(), data.len());
    assert!(echoed == data, "the echo differs");
}

#[test]
fn the_udp_example_echoes_datagrams_with_dle_and_etx() {
    let sim = Sim::start(100);
    let sent = udp_echo::datagrams(16, 1000);
    let echo = udp_echo::echo_server().unwrap();
    let echoes = udp_echo::run(&sim.addr, echo, &sent, config()).unwrap();
    assert_eq!(echoes, sent);
}

/// Opens the TCP client 1 to `echo` with typed requests.
fn open_blocking(c: &mut Client<'_, std::net::TcpStream>, echo: std::net::SocketAddrV4) {
    c.send(&WipCfgStart::new().unwrap()).unwrap();
    c.send(&WipBrOpen::new(BearerId::Gprs).unwrap()).unwrap();
    c.send(&WipBrStart::new(BearerId::Gprs, BearerMode::Client).unwrap())
        .unwrap();
    c.send(&WipCreateTcpClient::new(1, *echo.ip(), echo.port()).unwrap())
        .unwrap();
    c.wait_typed::<WipReady>(Duration::from_secs(10), |r| r.index == 1)
        .unwrap();
}

fn tcp_map() -> WipDataMap {
    WipDataMap::new(Protocol::TcpClient, 1, DataMode::Continuous).unwrap()
}

/// 1 MiB echoed comes in few merged `Data` events, not one per piece
/// between DLE escapes (there were 336 blocking, 310,314 async).
#[test]
fn data_events_merge_adjacent_payload() {
    let sim = Sim::start(100);
    let data = tcp_echo_blocking::payload(1 << 20);
    let echo = tcp_echo_blocking::echo_server().unwrap();
    let mut c = Client::new(transport::tcp(&sim.addr).unwrap(), &DIALECT, config());
    open_blocking(&mut c, echo);
    let mut d = c.data_typed(&tcp_map()).unwrap();
    let (mut rx, mut tx) = d.split().unwrap();
    let (mut got, mut blocking_events) = (Vec::new(), 0);
    std::thread::scope(|s| {
        s.spawn(|| tx.send(&data).unwrap());
        while got.len() < data.len() {
            match rx.recv(Duration::from_secs(5)).unwrap() {
                Some(DataEvent::Data(b)) => {
                    blocking_events += 1;
                    got.extend_from_slice(&b);
                }
                other => panic!("{other:?} after {} bytes", got.len()),
            }
        }
    });
    assert!(got == data);
    d.leave().unwrap();
    c.send(&WipCloseClose::new(Protocol::TcpClient, 1).unwrap())
        .unwrap();

    let rt = tokio::runtime::Runtime::new().unwrap();
    let async_events = rt.block_on(async {
        let io = transport::tcp_async(&sim.addr).await.unwrap();
        let (mut c, mut urcs) = AsyncClient::new(io, &DIALECT, config());
        c.send(&WipCreateTcpClient::new(1, *echo.ip(), echo.port()).unwrap())
            .await
            .unwrap();
        urcs.next_typed::<WipReady>(|r| r.index == 1)
            .await
            .unwrap()
            .unwrap();
        let mut d = c.data_typed(&tcp_map()).await.unwrap();
        let (mut rx, mut tx) = d.split();
        let (mut got, mut events) = (Vec::new(), 0);
        let read = async {
            while got.len() < data.len() {
                match rx.recv(Duration::from_secs(5)).await.unwrap() {
                    Some(DataEvent::Data(b)) => {
                        events += 1;
                        got.extend_from_slice(&b);
                    }
                    other => panic!("{other:?} after {} bytes", got.len()),
                }
            }
        };
        let ((), ()) = tokio::join!(async { tx.send(&data).await.unwrap() }, read);
        assert!(got == data);
        d.leave().await.unwrap();
        events
    });
    println!("Data events per MiB: blocking {blocking_events}, async {async_events}");
    // At least 256 bytes per event on average: a 16 KiB read merges every
    // piece of payload it holds.
    assert!(blocking_events <= 4096, "{blocking_events}");
    assert!(async_events <= 4096, "{async_events}");
}

/// A client guard time shorter than the modem's: `+++` is data to the
/// modem, the error says what guard time was used and that the modem is
/// still in data mode, and leaving again with a longer one works.
#[test]
fn leave_can_be_retried_with_a_longer_guard_time() {
    let sim = Sim::start(400);
    let echo = tcp_echo_blocking::echo_server().unwrap();
    let cfg = ClientConfig {
        guard: Duration::from_millis(20),
        default_timeout: Duration::from_secs(2),
        ..ClientConfig::default()
    };
    let mut c = Client::new(transport::tcp(&sim.addr).unwrap(), &DIALECT, cfg);
    open_blocking(&mut c, echo);
    let mut d = c.data_typed(&tcp_map()).unwrap();
    d.send(b"ping").unwrap();
    let err = d.leave().unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err.error(), ClientError::StillInData { guard, .. } if *guard == Duration::from_millis(20)),
        "{msg}"
    );
    assert!(
        msg.contains("20ms guard time") && msg.contains("still in data mode"),
        "{msg}"
    );
    let d = err.into_handle();
    let left = d.leave_with(Duration::from_millis(600)).unwrap();
    assert_eq!(left.final_code, wip_runtime::Final::Ok);
    // What came back before: the echo of the payload, and of the `+++`
    // the modem took for data.
    assert_eq!(left.unread, b"ping+++");
    c.send(&WipCloseClose::new(Protocol::TcpClient, 1).unwrap())
        .unwrap();
}

/// A peer that closes while `+++` waits for its guard time: the emulator
/// sends `+WIPPEERCLOSE` before the escape's `OK` (erratum E42), and the
/// client gives it as a typed URC; nothing is left unread as payload.
#[test]
fn a_peer_close_during_the_escape_comes_as_a_typed_urc() {
    use std::io::{Read, Write};
    let sim = Sim::start(400);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let std::net::SocketAddr::V4(peer_addr) = listener.local_addr().unwrap() else {
        panic!("an IPv4 listener");
    };
    let peer = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut ping = [0u8; 4];
        s.read_exact(&mut ping).unwrap();
        s.write_all(b"pong").unwrap();
        // The client's `+++` goes 500 ms after it reads `pong`, and the
        // emulator takes it 400 ms later: the close falls in between.
        std::thread::sleep(Duration::from_millis(700));
    });
    let cfg = ClientConfig {
        guard: Duration::from_millis(500),
        default_timeout: Duration::from_secs(3),
        ..ClientConfig::default()
    };
    let mut c = Client::new(transport::tcp(&sim.addr).unwrap(), &DIALECT, cfg);
    open_blocking(&mut c, peer_addr);
    let mut d = c.data_typed(&tcp_map()).unwrap();
    d.send(b"ping").unwrap();
    let mut got = Vec::new();
    while got.len() < 4 {
        match d.recv(Duration::from_secs(3)).unwrap() {
            Some(DataEvent::Data(b)) => got.extend_from_slice(&b),
            other => panic!("{other:?} after {got:?}"),
        }
    }
    assert_eq!(got, b"pong");
    let left = d.leave().unwrap();
    peer.join().unwrap();
    assert_eq!(left.final_code, wip_runtime::Final::Ok);
    assert!(left.unread.is_empty(), "{:?}", left.unread);
    let closed = c
        .wait_typed::<WipPeerClose>(Duration::from_secs(1), |p| p.idx == 1)
        .unwrap();
    assert_eq!(closed.protocol, Protocol::TcpClient);
    c.send(&WipCloseClose::new(Protocol::TcpClient, 1).unwrap())
        .unwrap();
}

/// `ATE` and `AT+CMEE` as typed basic commands: `+CMEE` decides whether a
/// refused request comes back as the spec's typed error or a bare `ERROR`.
#[test]
fn typed_ate_and_cmee_against_the_emulator() {
    use wip_runtime::basic::{Cmee, Echo};
    use wip_runtime::client::SendError;
    use wip_runtime::schema::Final;

    let sim = Sim::start(100);
    let mut c = Client::new(transport::tcp(&sim.addr).unwrap(), &DIALECT, config());
    assert_eq!(c.send_basic(&Echo::Off).unwrap(), Final::Ok);
    // Closing a socket that was never created is refused.
    let close = WipCloseClose::new(Protocol::TcpClient, 1).unwrap();
    c.send_basic(&Cmee::Disabled).unwrap();
    assert!(matches!(
        c.send(&close),
        Err(SendError::Failed {
            final_code: Final::Error,
            ..
        })
    ));
    c.send_basic(&Cmee::Numeric).unwrap();
    match c.send(&close) {
        Err(SendError::Refused {
            error,
            code,
            command,
        }) => {
            assert_eq!(error, CmeError::from_code(code));
            assert_eq!(command, "AT+WIPCLOSE");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.send_basic(&Echo::On).unwrap(), Final::Ok);
    c.send(&WipCfgStart::new().unwrap()).unwrap();

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let io = transport::tcp_async(&sim.addr).await.unwrap();
        let (mut c, _urcs) = AsyncClient::new(io, &DIALECT, config());
        assert_eq!(c.send_basic(&Echo::Off).await.unwrap(), Final::Ok);
        c.send_basic(&Cmee::Numeric).await.unwrap();
        // The stack the blocking client started: starting it again is refused.
        let r = c.send(&WipCfgStart::new().unwrap()).await;
        assert!(matches!(r, Err(SendError::Refused { .. })), "{r:?}");
    });
}

/// The resident memory of process `pid`, in KiB (Linux `/proc`).
#[cfg(target_os = "linux")]
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// A host that writes in data mode to a peer that does not read is held
/// back: its writes block once the buffers on the way are full, the
/// emulator's memory stays bounded meanwhile, and when the peer reads, it
/// gets every byte, in order.
#[cfg(target_os = "linux")]
#[test]
fn a_peer_that_does_not_read_holds_the_host_back_and_nothing_is_lost() {
    use std::io::{Read, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;

    const TOTAL: usize = 128 << 20;
    let sim = Sim::start(100);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let peer = match listener.local_addr().unwrap() {
        std::net::SocketAddr::V4(a) => a,
        other => panic!("{other}"),
    };
    // The peer takes the connection, reads nothing until told, then
    // everything.
    let (go, wait) = mpsc::channel::<()>();
    let reader = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        wait.recv().unwrap();
        let mut got = vec![0; TOTAL];
        conn.read_exact(&mut got).unwrap();
        got
    });
    let data = tcp_echo_blocking::payload(TOTAL);
    let mut c = Client::new(transport::tcp(&sim.addr).unwrap(), &DIALECT, config());
    open_blocking(&mut c, peer);
    let mut d = c.data_typed(&tcp_map()).unwrap();
    let (_rx, mut tx) = d.split().unwrap();
    let written = AtomicUsize::new(0);
    let (stalled_at, rss_kib) = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            for piece in data.chunks(64 << 10) {
                tx.write_all(piece).unwrap();
                written.fetch_add(piece.len(), Ordering::SeqCst);
            }
            tx.flush().unwrap();
        });
        // Wait until the writer has made no progress for a second.
        let mut last = (usize::MAX, std::time::Instant::now());
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let now = written.load(Ordering::SeqCst);
            assert!(
                !writer.is_finished(),
                "all {now} bytes went through a peer that reads nothing"
            );
            if now != last.0 {
                last = (now, std::time::Instant::now());
            } else if last.1.elapsed() > Duration::from_secs(1) {
                break;
            }
        }
        let stalled = (last.0, resident_kib(sim.child.id()));
        go.send(()).unwrap();
        writer.join().unwrap();
        stalled
    });
    println!("held back after {stalled_at} bytes, emulator resident {rss_kib} KiB");
    assert!(stalled_at < TOTAL / 2, "{stalled_at}");
    assert!(rss_kib < 64 << 10, "the emulator holds {rss_kib} KiB");
    let got = reader.join().unwrap();
    assert!(got == data, "the peer got other bytes");
    d.leave().unwrap();
}

/// A data offline session (`+WIPDATARW`, 6.3) on a UDP socket, typed from
/// end to end: 450 bytes written as three typed blocks (`offline::write_requests`),
/// the size sent answered typed, and the echo read as typed blocks and put
/// back together.
#[test]
fn an_offline_session_writes_and_reads_more_than_one_block() {
    use wip_bindings::offline;
    use wip_runtime::hexdump::{DumpLine, Reassembler};

    let sim = Sim::start(100);
    let echo = udp_echo::echo_server().unwrap();
    let mut c = Client::new(transport::tcp(&sim.addr).unwrap(), &DIALECT, config());
    c.send(&WipCfgStart::new().unwrap()).unwrap();
    c.send(&WipBrOpen::new(BearerId::Gprs).unwrap()).unwrap();
    c.send(&WipBrStart::new(BearerId::Gprs, BearerMode::Client).unwrap())
        .unwrap();
    let udp = WipCreateUdp::new(1).unwrap().with_local_port(5001).unwrap();
    let udp = udp.with_peer_ip(*echo.ip()).unwrap();
    c.send(&udp.with_peer_port(echo.port()).unwrap()).unwrap();
    c.wait_typed::<WipReady>(Duration::from_secs(10), |r| r.index == 1)
        .unwrap();
    let map = WipDataMap::new(Protocol::Udp, 1, DataMode::Offline).unwrap();
    let opened = c.send(&map).unwrap();
    assert_eq!(
        opened.responses,
        [WipDataRwSession::new(OfflineState::Opened, 1u8).unwrap()]
    );

    let data = tcp_echo_blocking::payload(450);
    let writes = offline::write_requests(1, &data).unwrap();
    assert_eq!(writes.len(), 3);
    let mut answers = Vec::new();
    for w in &writes {
        answers.push(c.send(w).unwrap().responses);
    }
    // The first two fill the TX buffer, the last sends all of it.
    assert_eq!(answers[..2], [vec![], vec![]]);
    assert_eq!(
        answers[2],
        [WipDataRwWriteResponse::WipDataRwSent(
            WipDataRwSent::new(1u8, 450u16).unwrap()
        )]
    );

    let mut r = Reassembler::default();
    let mut blocks = 0;
    let echoed = loop {
        let block = c
            .wait_typed::<WipDataRwData>(Duration::from_secs(5), |b| b.idx == 1)
            .unwrap();
        blocks += 1;
        if let Some(whole) = r.push(&DumpLine::try_from(&block).unwrap()).unwrap() {
            break whole;
        }
    };
    assert_eq!(blocks, 3);
    assert!(echoed == data, "the echo differs");
}

/// With `--ephemeral-ports`, `wip sim` prints where each local port of the
/// modem really is (`port tcp 6000 127.0.0.1:N`), so that a host outside
/// the emulator's process can connect to a TCP server of the modem; the
/// connection comes to the host as the typed `WipAccept`.
#[test]
fn ephemeral_ports_are_printed_where_a_host_can_reach_them() {
    use std::io::BufRead;
    use std::sync::mpsc;

    let mut child = Sim::spawn(100);
    // stdout read line by line on a thread, so that a line that never
    // comes fails the test instead of hanging it.
    let (tx, lines) = mpsc::channel::<String>();
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let next = || lines.recv_timeout(Duration::from_secs(10)).unwrap();
    let first = next();
    let addr = first.strip_prefix("listening on ").unwrap().to_string();
    let sim = Sim { child, addr };

    let mut c = Client::new(transport::tcp(&sim.addr).unwrap(), &DIALECT, config());
    c.send(&WipCfgStart::new().unwrap()).unwrap();
    c.send(&WipBrOpen::new(BearerId::Gprs).unwrap()).unwrap();
    c.send(&WipBrStart::new(BearerId::Gprs, BearerMode::Client).unwrap())
        .unwrap();
    c.send(&WipCreateTcpServer::new(1, 6000, 1, 2).unwrap())
        .unwrap();
    let line = next();
    let real = line
        .strip_prefix("port tcp 6000 ")
        .unwrap_or_else(|| panic!("{line}"));
    let real: std::net::SocketAddr = real.parse().unwrap();
    let _peer = std::net::TcpStream::connect(real).unwrap();
    let accepted = c
        .wait_typed::<WipAccept>(Duration::from_secs(10), |a| a.server_index == 1)
        .unwrap();
    assert!(
        (1..=2).contains(&accepted.communication_idx),
        "{accepted:?}"
    );
    // A UDP socket's local port too.
    let udp = WipCreateUdp::new(3).unwrap().with_local_port(5000).unwrap();
    c.send(&udp).unwrap();
    let line = next();
    let real = line
        .strip_prefix("port udp 5000 ")
        .unwrap_or_else(|| panic!("{line}"));
    assert!(real.parse::<std::net::SocketAddr>().is_ok(), "{line}");
}

/// A loopback HTTP server (tiny_http) for two requests: `GET /file` gives
/// `body`, `PUT /up` is answered 201 and its body sent back on the
/// channel.
fn http_server(body: Vec<u8>) -> (String, std::sync::mpsc::Receiver<Vec<u8>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for mut req in server.incoming_requests().take(2) {
            let mut got = Vec::new();
            let _ = req.as_reader().read_to_end(&mut got);
            let resp = match (req.method(), req.url()) {
                (tiny_http::Method::Get, "/file") => {
                    tiny_http::Response::from_data(body.clone()).with_status_code(200)
                }
                (tiny_http::Method::Put, "/up") => {
                    let _ = tx.send(got);
                    tiny_http::Response::from_data(Vec::new()).with_status_code(201)
                }
                _ => tiny_http::Response::from_data(Vec::new()).with_status_code(404),
            };
            let _ = req.respond(resp);
        }
    });
    (base, rx)
}

/// 100,000 bytes, DLE and ETX among them.
fn file_body() -> Vec<u8> {
    (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

/// A `+WIPFILE` download read to its ETX, and an upload ended with
/// `end_of_data`, end data mode on their own: `leave` takes the modem's
/// `OK` without sending `+++`, which the modem, back in command mode,
/// would take as the start of the next command line (the next command
/// then went unanswered).
#[test]
fn http_transfers_that_end_on_their_own_are_left_without_escape() {
    use std::io::{Read as _, Write as _};
    let sim = Sim::start(100);
    let body = file_body();
    let (base, uploads) = http_server(body.clone());
    let cfg = ClientConfig {
        default_timeout: Duration::from_secs(10),
        ..config()
    };
    let mut c = Client::new(transport::tcp(&sim.addr).unwrap(), &DIALECT, cfg);
    c.send_basic(&wip_runtime::basic::Cmee::Numeric).unwrap();
    c.send(&WipCfgStart::new().unwrap()).unwrap();
    c.send(&WipBrOpen::new(BearerId::Gprs).unwrap()).unwrap();
    c.send(&WipBrStart::new(BearerId::Gprs, BearerMode::Client).unwrap())
        .unwrap();
    c.send(&WipCreateHttp::new(1).unwrap()).unwrap();
    c.wait_typed::<WipReady>(Duration::from_secs(10), |r| r.index == 1)
        .unwrap();

    let get = WipFileHttp::new(1, FileMode::Download, format!("{base}/file")).unwrap();
    let mut file = c.data_typed(&get).unwrap();
    let mut got = Vec::new();
    file.read_to_end(&mut got).unwrap();
    let left = file.leave().unwrap();
    assert_eq!(left.final_code, wip_runtime::Final::Ok);
    assert!(got == body, "the download differs ({} bytes)", got.len());
    let status = c
        .wait_typed::<WipFileHttpStatus>(Duration::from_secs(5), |s| s.index == 1)
        .unwrap();
    assert_eq!(status.http_status_code, 200);

    // The next command is answered: no `+++` went before it.
    let put = WipFileHttp::new(1, FileMode::Upload, format!("{base}/up")).unwrap();
    let mut up = c.data_typed(&put).unwrap();
    up.write_all(&body[..5000]).unwrap();
    up.end_of_data().unwrap();
    let left = up.leave().unwrap();
    assert_eq!(left.final_code, wip_runtime::Final::Ok);
    let sent = uploads.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(
        sent == body[..5000],
        "the upload differs ({} bytes)",
        sent.len()
    );
    c.send(&WipCloseClose::new(Protocol::Http, 1).unwrap())
        .unwrap();
}

/// The same on the async client.
#[test]
fn async_http_transfers_that_end_on_their_own_are_left_without_escape() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let sim = Sim::start(100);
    let body = file_body();
    let (base, uploads) = http_server(body.clone());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let cfg = ClientConfig {
            default_timeout: Duration::from_secs(10),
            ..config()
        };
        let io = transport::tcp_async(&sim.addr).await.unwrap();
        let (mut c, mut urcs) = AsyncClient::new(io, &DIALECT, cfg);
        c.send_basic(&wip_runtime::basic::Cmee::Numeric)
            .await
            .unwrap();
        c.send(&WipCfgStart::new().unwrap()).await.unwrap();
        c.send(&WipBrOpen::new(BearerId::Gprs).unwrap())
            .await
            .unwrap();
        c.send(&WipBrStart::new(BearerId::Gprs, BearerMode::Client).unwrap())
            .await
            .unwrap();
        c.send(&WipCreateHttp::new(1).unwrap()).await.unwrap();
        urcs.wait_typed::<WipReady>(Duration::from_secs(10), |r| r.index == 1)
            .await
            .unwrap();

        let url = format!("{base}/file");
        let get = WipFileHttp::new(1, FileMode::Download, url).unwrap();
        let mut file = c.data_typed(&get).await.unwrap();
        let mut got = Vec::new();
        file.read_to_end(&mut got).await.unwrap();
        let left = file.leave().await.unwrap();
        assert_eq!(left.final_code, wip_runtime::Final::Ok);
        assert!(got == body, "the download differs ({} bytes)", got.len());

        let put = WipFileHttp::new(1, FileMode::Upload, format!("{base}/up")).unwrap();
        let mut up = c.data_typed(&put).await.unwrap();
        up.write_all(&body[..5000]).await.unwrap();
        up.flush().await.unwrap();
        up.end_of_data().await.unwrap();
        let left = up.leave().await.unwrap();
        assert_eq!(left.final_code, wip_runtime::Final::Ok);
        c.send(&WipCloseClose::new(Protocol::Http, 1).unwrap())
            .await
            .unwrap();
    });
    let sent = uploads.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(
        sent == body[..5000],
        "the upload differs ({} bytes)",
        sent.len()
    );
}
