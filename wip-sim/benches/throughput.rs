//! Aggregate data-mode throughput through the emulator, over loopback,
//! with 20 sockets: 8 UDP, 4 TCP clients, 4 TCP servers and the 4 sockets
//! they spawned. Each of the 16 data sockets is mapped on its own UART and
//! talks to an echo peer on 127.0.0.1: TCP sockets stream in continuous
//! transparent mode, UDP sockets send 5904-byte datagrams in continuous
//! mode (DLE/ETX escaping both ways), one in flight at a time. The figure
//! counts payload bytes that went out through the emulator and came back
//! through it. The echo peers set TCP_NODELAY; the emulator's sockets keep
//! the modem's default (WIP_COPT_NODELAY 0).
//!
//! `cargo bench -p wip-sim --bench throughput`

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wip_sim::config::Route;
use wip_sim::{Sim, SimConfig, UartHandle};

const TCP_BYTES: usize = 1 << 20;
const DATAGRAM: usize = 5904;
const DATAGRAMS: usize = 24;
const T: Duration = Duration::from_secs(10);

fn echo(mut s: TcpStream) {
    // The peer answers at once: with Nagle's algorithm on the peer's side
    // against the delayed ACKs of loopback, a socket now and then stalls
    // for 40 ms, which measures the host's TCP, not the emulator.
    s.set_nodelay(true).unwrap();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 65536];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 || s.write_all(&buf[..n]).is_err() {
                return;
            }
        }
    });
}

fn tcp_echo() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let a = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            echo(s);
        }
    });
    a
}

fn udp_echo() -> SocketAddr {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    let a = s.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 65536];
        while let Ok((n, from)) = s.recv_from(&mut buf) {
            let _ = s.send_to(&buf[..n], from);
        }
    });
    a
}

/// Reads from a UART until `want` bytes came (or the deadline).
fn read_until(u: &UartHandle, buf: &mut Vec<u8>, want: usize) {
    let deadline = Instant::now() + T;
    while buf.len() < want {
        match u.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Some(b) => buf.extend_from_slice(&b),
            None => panic!("timed out with {} of {want} bytes", buf.len()),
        }
    }
}

fn command(u: &UartHandle, line: &str, want: &str) {
    u.send(format!("{line}\r").as_bytes());
    let mut got = Vec::new();
    let deadline = Instant::now() + T;
    while !String::from_utf8_lossy(&got).contains(want) {
        match u.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Some(b) => got.extend_from_slice(&b),
            None => panic!("{line}: no {want} in {:?}", String::from_utf8_lossy(&got)),
        }
    }
}

struct Rig {
    _sim: Sim,
    tcp: Vec<UartHandle>,
    udp: Vec<UartHandle>,
    _peers: Vec<TcpStream>,
}

fn rig() -> Rig {
    let d = Arc::new(wip_sim::default_dialect().unwrap());
    let cfg = SimConfig {
        guard: Duration::from_millis(50),
        ephemeral_ports: true,
        routed_only: true,
        ..SimConfig::default()
    };
    let sim = Sim::start(d, cfg, None).unwrap();
    sim.add_route(Route {
        host: "10.0.2.1".into(),
        port: 7,
        real: tcp_echo(),
        udp: false,
    });
    let ctl = sim.attach_memory();
    command(&ctl, "ATE0", "OK");
    for l in [
        "AT+WIPCFG=1",
        "AT+WIPCFG=2,13,1",
        "AT+WIPBR=1,6",
        "AT+WIPBR=4,6,0",
    ] {
        command(&ctl, l, "OK");
    }
    for i in 1..=8 {
        sim.add_route(Route {
            host: format!("10.0.1.{i}"),
            port: 7,
            real: udp_echo(),
            udp: true,
        });
        command(
            &ctl,
            &format!("AT+WIPCREATE=1,{i},{},\"10.0.1.{i}\",7", 5000 + i),
            "+WIPREADY",
        );
    }
    let mut peers = Vec::new();
    for k in 1..=4 {
        command(
            &ctl,
            &format!("AT+WIPCREATE=2,{k},\"10.0.2.1\",7"),
            "+WIPREADY",
        );
        let port = 8000 + k;
        command(
            &ctl,
            &format!("AT+WIPCREATE=3,{k},{port},{i},{i}", i = k + 4),
            "OK",
        );
        let s = TcpStream::connect(sim.real_port(3, port as u16).unwrap()).unwrap();
        echo(s.try_clone().unwrap());
        peers.push(s);
    }
    std::thread::sleep(Duration::from_millis(100));
    let map = |line: String| {
        let u = sim.attach_memory();
        command(&u, "ATE0", "OK");
        command(&u, &line, "CONNECT\r\n");
        u
    };
    let tcp = (1..=8)
        .map(|i| map(format!("AT+WIPDATA=2,{i},2")))
        .collect();
    let udp = (1..=8)
        .map(|i| map(format!("AT+WIPDATA=1,{i},1")))
        .collect();
    Rig {
        _sim: sim,
        tcp,
        udp,
        _peers: peers,
    }
}

fn aggregate(c: &mut Criterion) {
    let mut r = rig();
    let tcp_data: Vec<u8> = (0..TCP_BYTES).map(|i| (i * 7) as u8).collect();
    // Datagrams hold every byte value, DLE and ETX included: escaped.
    let dgram: Vec<u8> = (0..DATAGRAM).map(|i| (i * 13) as u8).collect();
    let escaped = wip_runtime::escape::escape(&dgram);
    let total = 8 * TCP_BYTES + 8 * DATAGRAMS * DATAGRAM;
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("20 sockets, 16 echoing", |b| {
        b.iter_custom(|iters| {
            let mut elapsed = Duration::ZERO;
            for _ in 0..iters {
                let tcp = std::mem::take(&mut r.tcp);
                let udp = std::mem::take(&mut r.udp);
                let start = Instant::now();
                let mut hs = Vec::new();
                for u in tcp {
                    let data = tcp_data.clone();
                    hs.push(std::thread::spawn(move || {
                        for c in data.chunks(16 * 1024) {
                            u.send(c);
                        }
                        let mut got = Vec::with_capacity(data.len());
                        read_until(&u, &mut got, data.len());
                        assert!(got == data);
                        (true, u)
                    }));
                }
                for u in udp {
                    let (d, e) = (dgram.clone(), escaped.clone());
                    hs.push(std::thread::spawn(move || {
                        for _ in 0..DATAGRAMS {
                            let mut wire = e.clone();
                            wire.push(0x03);
                            u.send(&wire);
                            let mut got = Vec::new();
                            read_until(&u, &mut got, wire.len());
                            assert!(got == wire, "{} bytes of {}", got.len(), d.len());
                        }
                        (false, u)
                    }));
                }
                for h in hs {
                    let (is_tcp, u) = h.join().unwrap();
                    if is_tcp {
                        r.tcp.push(u);
                    } else {
                        r.udp.push(u);
                    }
                }
                elapsed += start.elapsed();
            }
            elapsed
        });
    });
    g.finish();
}

criterion_group!(benches, aggregate);
criterion_main!(benches);
