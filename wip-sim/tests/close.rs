//! Closing a socket (`AT+WIPCLOSE`, a peer's reset, the emulator stopping)
//! leaves no thread of the emulator blocked on a peer that does not read.
//! Every wait is bounded, so that a regression fails rather than hangs.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

use wip_sim::config::Route;
use wip_sim::{Sim, SimConfig, UartHandle};

const GUARD: Duration = Duration::from_millis(50);
/// Far more than the kernel buffers between the emulator and its peer.
const FLOOD: usize = 16 << 20;

fn sim() -> Sim {
    let d = Arc::new(wip_sim::default_dialect().unwrap());
    let cfg = SimConfig {
        guard: GUARD,
        ephemeral_ports: true,
        routed_only: true,
        ..SimConfig::default()
    };
    Sim::start(d, cfg, None).unwrap()
}

/// Reads from a UART until `want` shows (5 s at most).
fn expect(u: &UartHandle, want: &str) -> String {
    let mut got = Vec::new();
    let until = Instant::now() + Duration::from_secs(5);
    while !String::from_utf8_lossy(&got).contains(want) {
        let left = until.saturating_duration_since(Instant::now());
        match u.recv_timeout(left) {
            Some(b) => got.extend_from_slice(&b),
            None => panic!("no {want:?} in {:?}", String::from_utf8_lossy(&got)),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

fn command(u: &UartHandle, line: &str, want: &str) {
    u.send(format!("{line}\r").as_bytes());
    expect(u, want);
}

/// Waits (5 s at most) until the emulator runs `n` threads.
fn threads_reach(sim: &Sim, n: usize) {
    let until = Instant::now() + Duration::from_secs(5);
    while sim.threads() != n {
        assert!(
            Instant::now() < until,
            "{} threads still running, {n} expected",
            sim.threads()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A started stack and a TCP socket 1 connected to a peer whose receive
/// buffer is small; the peer is given back, unread.
fn connected(sim: &Sim, ctl: &UartHandle) -> TcpStream {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    socket2::SockRef::from(&l)
        .set_recv_buffer_size(4096)
        .unwrap();
    started_with_peer(sim, ctl, &l);
    command(ctl, "AT+WIPCREATE=2,1,\"10.0.0.9\",80", "+WIPREADY: 2,1");
    let (peer, _) = l.accept().unwrap();
    // Its reader and writer.
    threads_reach(sim, 2);
    peer
}

/// Routes 10.0.0.9:80 to `peer` and starts the stack and the GPRS bearer
/// on `ctl` (echo off, error codes on).
fn started_with_peer(sim: &Sim, ctl: &UartHandle, peer: &TcpListener) {
    sim.add_route(Route {
        host: "10.0.0.9".into(),
        port: 80,
        real: peer.local_addr().unwrap(),
        udp: false,
    });
    for line in [
        "ATE0",
        "AT+CMEE=1",
        "AT+WIPCFG=1",
        "AT+WIPBR=1,6",
        "AT+WIPBR=4,6,0",
    ] {
        command(ctl, line, "OK");
    }
}

/// Maps socket 1 on `u` in transparent mode and sends far more than the
/// peer takes: the socket's writer ends up blocked.
fn flood(u: &UartHandle) -> Vec<u8> {
    command(u, "AT+WIPDATA=2,1,2", "CONNECT");
    let data: Vec<u8> = (0..FLOOD).map(|i| (i % 251) as u8).collect();
    for c in data.chunks(1 << 20) {
        u.send(c);
    }
    std::thread::sleep(Duration::from_millis(300));
    data
}

#[test]
fn wipclose_releases_a_writer_whose_peer_does_not_read() {
    let sim = sim();
    let ctl = sim.attach_memory();
    let mut peer = connected(&sim, &ctl);
    let data = flood(&ctl);
    std::thread::sleep(GUARD * 2);
    ctl.send(b"+++");
    expect(&ctl, "OK");
    let start = Instant::now();
    command(&ctl, "AT+WIPCLOSE=2,1", "OK");
    // The writer offers what it holds for a while, then gives up; the
    // reader goes with it.
    threads_reach(&sim, 0);
    assert!(start.elapsed() >= wip_sim::hostnet::CLOSE_LINGER);
    // The peer gets what the kernel had taken, in order, then the end.
    peer.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut got = Vec::new();
    match peer.read_to_end(&mut got) {
        Ok(_) => {}
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
    }
    assert!(!got.is_empty() && got.len() < data.len(), "{}", got.len());
    assert!(data.starts_with(&got));
}

#[test]
fn stopping_the_emulator_releases_a_blocked_writer() {
    let mut sim = sim();
    let ctl = sim.attach_memory();
    let _peer = connected(&sim, &ctl);
    flood(&ctl);
    let start = Instant::now();
    sim.stop();
    threads_reach(&sim, 0);
    // No linger: what the writer held is dropped at once.
    assert!(start.elapsed() < wip_sim::hostnet::CLOSE_LINGER);
}

#[test]
fn a_peer_reset_releases_a_blocked_writer() {
    let sim = sim();
    let ctl = sim.attach_memory();
    let peer = connected(&sim, &ctl);
    flood(&ctl);
    socket2::SockRef::from(&peer)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(peer);
    // 6.2.5: ETX, back to AT mode, 843.
    expect(&ctl, "\u{3}\r\n+CME ERROR: 843\r\n");
    threads_reach(&sim, 0);
}

/// A UART over TCP whose client stops reading: stopping the emulator ends
/// the UART's writer too.
#[test]
fn stopping_the_emulator_releases_a_uart_writer_whose_client_does_not_read() {
    let mut sim = sim();
    let at = sim.listen("127.0.0.1:0".parse().unwrap()).unwrap();
    let mut client = TcpStream::connect(at).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let ctl = sim.attach_memory();
    let mut peer = connected_after(&sim, &ctl, 3);
    // The client maps the socket, then reads no more.
    client.write_all(b"ATE0\rAT+WIPDATA=2,1,2\r").unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&got).contains("CONNECT") {
        let n = client.read(&mut buf).unwrap();
        assert!(n > 0);
        got.extend_from_slice(&buf[..n]);
    }
    // The peer floods the UART through the socket until it cannot.
    peer.set_write_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let chunk = vec![b'x'; 1 << 16];
    let mut sent = 0;
    while sent < FLOOD && peer.write_all(&chunk).is_ok() {
        sent += chunk.len();
    }
    let start = Instant::now();
    sim.stop();
    threads_reach(&sim, 0);
    assert!(start.elapsed() < Duration::from_secs(2));
}

/// [`connected`] for an emulator that already runs `extra` threads (a UART
/// listener, a UART's reader and writer).
fn connected_after(sim: &Sim, ctl: &UartHandle, extra: usize) -> TcpStream {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    sim.add_route(Route {
        host: "10.0.0.9".into(),
        port: 80,
        real: l.local_addr().unwrap(),
        udp: false,
    });
    for line in ["ATE0", "AT+WIPCFG=1", "AT+WIPBR=1,6", "AT+WIPBR=4,6,0"] {
        command(ctl, line, "OK");
    }
    command(ctl, "AT+WIPCREATE=2,1,\"10.0.0.9\",80", "+WIPREADY: 2,1");
    let (peer, _) = l.accept().unwrap();
    threads_reach(sim, extra + 2);
    peer
}

/// A peer that sends and then resets, while its socket is not mapped: the
/// `+WIPDATA` indication holds the peer's close until the host sends
/// `AT+WIPDATA` (6.2.6), which the reset answers with 843 (6.2.5); the
/// `+WIPPEERCLOSE` follows that answer.
#[test]
fn a_reset_after_an_indication_is_told_once_the_host_asks_for_the_data() {
    let sim = sim();
    let ctl = sim.attach_memory();
    let mut peer = connected(&sim, &ctl);
    peer.write_all(b"data then reset").unwrap();
    expect(&ctl, "+WIPDATA: 2,1,15\r\n");
    socket2::SockRef::from(&peer)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(peer);
    // The reset reaches the emulator (the socket's reader ends; its
    // writer waits for the close); nothing is told yet.
    threads_reach(&sim, 1);
    std::thread::sleep(Duration::from_millis(200));
    let mut early = Vec::new();
    while let Some(b) = ctl.recv_timeout(Duration::from_millis(50)) {
        early.extend_from_slice(&b);
    }
    assert!(
        !String::from_utf8_lossy(&early).contains("+WIPPEERCLOSE"),
        "{:?}",
        String::from_utf8_lossy(&early)
    );
    ctl.send(b"AT+WIPDATA=2,1,1\r");
    let got = expect(&ctl, "+WIPPEERCLOSE: 2,1\r\n");
    let cme = got.find("+CME ERROR: 843").expect("843");
    let close = got.find("+WIPPEERCLOSE: 2,1").unwrap_or_default();
    assert!(cme < close, "{got:?}");
}

/// 5.2.7: once `+WIPCLOSE` is answered the UDP socket is gone, so its local
/// port can be bound again at once (its reader, which sees the close at
/// its next poll, no longer holds the port when the next creation binds
/// it: that used to answer 832, "bad port number").
#[test]
fn a_closed_udp_port_can_be_taken_again_at_once() {
    let d = Arc::new(wip_sim::default_dialect().unwrap());
    let cfg = SimConfig {
        guard: GUARD,
        ephemeral_ports: false,
        routed_only: true,
        host_ip: std::net::Ipv4Addr::LOCALHOST,
        ..SimConfig::default()
    };
    let sim = Sim::start(d, cfg, None).unwrap();
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let u = common::started(&sim);
    for _ in 0..10 {
        u.send(format!("AT+WIPCREATE=1,1,{port}\r").as_bytes());
        let got = expect(&u, "+WIPREADY: 1,1\r\n");
        assert!(!got.contains("ERROR"), "{got:?}");
        u.send(b"AT+WIPCLOSE=1,1\r");
        assert_eq!(expect(&u, "OK\r\n"), "\r\nOK\r\n");
    }
}

/// Reads what a UART sends until it has been quiet for `quiet`.
fn drain(u: &UartHandle, quiet: Duration) -> String {
    let mut got = Vec::new();
    while let Some(b) = u.recv_timeout(quiet) {
        got.extend_from_slice(&b);
    }
    String::from_utf8_lossy(&got).into_owned()
}

/// 5.2.7: "no more data can be sent and received over the socket" once
/// `+WIPCLOSE` is answered. A `+WIPDATA` indication a UART holds while it
/// is in data mode on another socket is dropped when the socket it tells
/// of is closed from another UART meanwhile; one for a socket still open
/// is given once the UART is back in AT mode.
#[test]
fn a_held_indication_of_a_socket_closed_meanwhile_is_dropped() {
    let sim = sim();
    let u = sim.attach_memory();
    let other = sim.attach_memory();
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    started_with_peer(&sim, &u, &l);
    command(&other, "ATE0", "OK");
    let mut peers = Vec::new();
    for i in 1..=3 {
        command(
            &u,
            &format!("AT+WIPCREATE=2,{i},\"10.0.0.9\",80"),
            &format!("+WIPREADY: 2,{i}"),
        );
        peers.push(l.accept().unwrap().0);
    }
    command(&u, "AT+WIPDATA=2,1,1", "CONNECT");
    // Data for sockets 2 and 3 while UART 1 is in data mode: their
    // indications wait.
    for p in peers.iter_mut().skip(1) {
        p.write_all(b"hello").unwrap();
    }
    std::thread::sleep(Duration::from_millis(300));
    command(&other, "AT+WIPCLOSE=2,2", "OK");
    std::thread::sleep(GUARD * 3);
    u.send(b"+++");
    let got = expect(&u, "+WIPDATA: 2,3,5\r\n");
    let got = got + &drain(&u, Duration::from_millis(300));
    assert!(!got.contains("+WIPDATA: 2,2"), "{got:?}");
    // Socket 2 is gone: reading it is refused; socket 3 is read.
    command(&u, "AT+WIPOPT=2,2,1,6", "+CME ERROR: 830");
    common::stop(sim);
}
