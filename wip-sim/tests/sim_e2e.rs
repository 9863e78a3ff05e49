//! End to end: the runtime's blocking client, over pseudo-terminals,
//! drives the emulator with 8 UDP sockets, 4 TCP clients and 4 TCP servers
//! (whose 4 spawned sockets make 8 TCP client sockets) at once, against
//! echo peers on loopback. Every byte sent in data mode, DLE and ETX
//! included, comes back in order; a peer close and a reset are reported
//! as the manual says.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use wip_runtime::client::{Client, ClientConfig, DataEvent};
use wip_runtime::transport::Transport;
use wip_runtime::Final;
use wip_sim::config::Route;
use wip_sim::{Sim, SimConfig};

const GUARD: Duration = Duration::from_millis(50);
const T: Duration = Duration::from_secs(5);

fn config() -> ClientConfig {
    ClientConfig {
        guard: GUARD,
        default_timeout: T,
        ..ClientConfig::default()
    }
}

/// Bytes with every value, DLE and ETX among them, in a pattern of its own.
fn payload(seed: u8, n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| match i % 7 {
            0 => 0x10,
            3 => 0x03,
            _ => (i as u8).wrapping_mul(31).wrapping_add(seed),
        })
        .collect()
}

fn udp_echo(stop: Arc<AtomicBool>) -> SocketAddr {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let a = s.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 65536];
        while !stop.load(Ordering::SeqCst) {
            if let Ok((n, from)) = s.recv_from(&mut buf) {
                let _ = s.send_to(&buf[..n], from);
            }
        }
    });
    a
}

fn echo(mut s: TcpStream) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 || s.write_all(&buf[..n]).is_err() {
                return;
            }
        }
    });
}

fn tcp_echo_listener(stop: Arc<AtomicBool>) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let a = l.local_addr().unwrap();
    std::thread::spawn(move || {
        while !stop.load(Ordering::SeqCst) {
            match l.accept() {
                Ok((s, _)) => {
                    s.set_nonblocking(false).unwrap();
                    echo(s);
                }
                Err(_) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    });
    a
}

fn ok<T: Transport>(c: &mut Client<'_, T>, line: &str) {
    c.command(line).unwrap_or_else(|e| panic!("{line}: {e}"));
}

/// Maps a socket, sends `data` (a datagram for UDP), reads the echo back
/// and leaves data mode.
fn exchange<T: Transport>(c: &mut Client<'_, T>, proto: u8, idx: u8, data: &[u8]) {
    let mut d = c.data(&format!("AT+WIPDATA={proto},{idx},1")).unwrap();
    d.send(data).unwrap();
    if proto == 1 {
        d.end_of_data().unwrap();
    }
    let mut got = Vec::new();
    loop {
        match d.recv(T).unwrap() {
            Some(DataEvent::Data(b)) => got.extend_from_slice(&b),
            Some(DataEvent::EndOfData(_)) if proto == 1 => break,
            other => panic!("{proto},{idx}: {other:?} after {} bytes", got.len()),
        }
        if proto == 2 && got.len() >= data.len() {
            break;
        }
    }
    assert_eq!(got.len(), data.len(), "{proto},{idx}");
    assert!(got == data, "{proto},{idx}: the bytes differ");
    let left = d.leave().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    assert!(left.unread.is_empty());
}

#[test]
fn twenty_sockets_over_two_pseudo_terminals() {
    let stop = Arc::new(AtomicBool::new(false));
    let cfg = SimConfig {
        guard: GUARD,
        ephemeral_ports: true,
        routed_only: true,
        ..SimConfig::default()
    };
    let d = Arc::new(wip_sim::default_dialect().unwrap());
    let sim = Sim::start(d.clone(), cfg, None).unwrap();
    for i in 1..=8u16 {
        let real = udp_echo(Arc::clone(&stop));
        sim.add_route(Route {
            host: format!("10.0.1.{i}"),
            port: 7,
            real,
            udp: true,
        });
    }
    let real = tcp_echo_listener(Arc::clone(&stop));
    sim.add_route(Route {
        host: "10.0.2.1".into(),
        port: 7,
        real,
        udp: false,
    });

    let dialect: &'static wip_runtime::Dialect = Box::leak(Box::new(d.as_ref().clone()));
    let (path_a, _dev_a) = sim.attach_pty().unwrap();
    let (path_b, _dev_b) = sim.attach_pty().unwrap();
    let mut a = Client::new(
        wip_runtime::serial::open(&path_a, 921_600).unwrap(),
        dialect,
        config(),
    );
    let mut b = Client::new(
        wip_runtime::serial::open(&path_b, 921_600).unwrap(),
        dialect,
        config(),
    );
    for line in [
        "AT+CMEE=1",
        "AT+WIPCFG=1",
        "AT+WIPCFG=2,13,1",
        "AT+WIPBR=1,6",
        "AT+WIPBR=4,6,0",
    ] {
        ok(&mut a, line);
    }
    ok(&mut b, "AT+CMEE=1");

    // Everything is created before any data moves: 20 sockets at once.
    for i in 1..=8 {
        ok(
            &mut a,
            &format!("AT+WIPCREATE=1,{i},{},\"10.0.1.{i}\",7", 5000 + i),
        );
        a.wait_urc(T, |u| u.line.text == format!("+WIPREADY: 1,{i}"))
            .unwrap();
    }
    let mut peers = Vec::new();
    for k in 1..=4u8 {
        ok(&mut b, &format!("AT+WIPCREATE=2,{k},\"10.0.2.1\",7"));
        b.wait_urc(T, |u| u.line.text == format!("+WIPREADY: 2,{k}"))
            .unwrap();
        let port = 8000 + u16::from(k);
        ok(
            &mut b,
            &format!("AT+WIPCREATE=3,{k},{port},{i},{i}", i = k + 4),
        );
        let s = TcpStream::connect(sim.real_port(3, port).unwrap()).unwrap();
        echo(s.try_clone().unwrap());
        peers.push(s);
        b.wait_urc(T, |u| u.line.text == format!("+WIPACCEPT: {k},{}", k + 4))
            .unwrap();
    }
    // A ninth UDP socket and a second server on a reserved index fail.
    assert!(a.command("AT+WIPCREATE=1,9,6000").is_err());
    assert!(b.command("AT+WIPCREATE=2,5,\"10.0.2.1\",7").is_err());

    let udp = std::thread::spawn(move || {
        for i in 1..=8u8 {
            exchange(&mut a, 1, i, &payload(i, 1400));
        }
        a
    });
    for i in 1..=8u8 {
        exchange(&mut b, 2, i, &payload(100 + i, 20_000));
    }
    let mut a = udp.join().unwrap();

    // The peer of spawned socket 5 closes: +WIPPEERCLOSE (5.2.2).
    peers[0].shutdown(std::net::Shutdown::Both).unwrap();
    b.wait_urc(T, |u| u.line.text == "+WIPPEERCLOSE: 2,5")
        .unwrap();
    // The peer of spawned socket 6 resets while it is mapped: ETX, then
    // +CME ERROR: 843 and AT mode (6.2.5).
    let mut d = b.data("AT+WIPDATA=2,6,1").unwrap();
    let sock = socket2::SockRef::from(&peers[1]);
    sock.set_linger(Some(Duration::ZERO)).unwrap();
    peers[1].shutdown(std::net::Shutdown::Read).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    drop(peers.remove(1));
    let mut events = Vec::new();
    loop {
        match d.recv(T).unwrap() {
            Some(DataEvent::Closed(f)) => {
                assert!(f.is_connection_reset(), "{f:?} after {events:?}");
                break;
            }
            Some(e) => events.push(e),
            None => panic!("no reset after {events:?}"),
        }
    }
    drop(d);
    for i in 1..=8 {
        ok(&mut a, &format!("AT+WIPCLOSE=1,{i}"));
    }
    for k in 1..=8 {
        ok(&mut b, &format!("AT+WIPCLOSE=2,{k}"));
    }
    stop.store(true, Ordering::SeqCst);
}
