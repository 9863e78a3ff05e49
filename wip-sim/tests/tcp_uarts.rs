//! Two TCP UARTs at once, each echoing half a megabyte of DLE/ETX-dense
//! payload through its own TCP socket: the UART readers and the socket
//! readers run the core in turn (whichever brings an input while no other
//! is at work), and the core writes to the sockets itself while their
//! writers have nothing left. Every byte comes back in order on the UART
//! that sent it, `+++` still finds its guard times (the timer thread), and
//! the UARTs answer commands afterwards.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use wip_runtime::client::{Client, ClientConfig, DataEvent};
use wip_runtime::Final;
use wip_sim::config::Route;
use wip_sim::{Sim, SimConfig};

const GUARD: Duration = Duration::from_millis(50);
const T: Duration = Duration::from_secs(10);
const SIZE: usize = 512 << 10;
const WINDOW: usize = 48 << 10;

/// Bytes where 2 in 7 are DLE or ETX, in a pattern of their own.
fn payload(seed: u8) -> Vec<u8> {
    (0..SIZE)
        .map(|i| match i % 7 {
            1 => 0x10,
            4 => 0x03,
            _ => (i as u8).wrapping_mul(13).wrapping_add(seed),
        })
        .collect()
}

fn echo_server() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let a = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 32768];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 || s.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
            });
        }
    });
    a
}

fn session(uart: SocketAddr, dialect: &'static wip_runtime::Dialect, idx: u8) {
    let s = TcpStream::connect(uart).unwrap();
    s.set_nodelay(true).unwrap();
    let cfg = ClientConfig {
        guard: Duration::from_millis(60),
        default_timeout: T,
        ..ClientConfig::default()
    };
    let mut c = Client::new(s, dialect, cfg);
    c.command("ATE0").unwrap();
    c.command(&format!("AT+WIPCREATE=2,{idx},\"10.0.2.1\",7"))
        .unwrap();
    c.wait_urc(T, |u| u.line.text == format!("+WIPREADY: 2,{idx}"))
        .unwrap();
    let data = payload(idx);
    let mut d = c.data(&format!("AT+WIPDATA=2,{idx},1")).unwrap();
    let (mut sent, mut got) = (0, Vec::with_capacity(SIZE));
    while got.len() < SIZE {
        if sent < SIZE && sent - got.len() < WINDOW {
            let end = (sent + 3000).min(SIZE);
            d.send(&data[sent..end]).unwrap();
            sent = end;
            continue;
        }
        match d.recv(T).unwrap() {
            Some(DataEvent::Data(b)) => got.extend_from_slice(&b),
            other => panic!("socket {idx}: {other:?} after {} bytes", got.len()),
        }
    }
    assert!(got == data, "socket {idx}: the echo differs");
    let left = d.leave().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    assert!(left.unread.is_empty());
    c.command(&format!("AT+WIPCLOSE=2,{idx}")).unwrap();
}

#[test]
fn two_tcp_uarts_echo_at_once() {
    let cfg = SimConfig {
        guard: GUARD,
        ephemeral_ports: true,
        routed_only: true,
        ..SimConfig::default()
    };
    let d = Arc::new(wip_sim::default_dialect().unwrap());
    let sim = Sim::start(Arc::clone(&d), cfg, None).unwrap();
    sim.add_route(Route {
        host: "10.0.2.1".into(),
        port: 7,
        real: echo_server(),
        udp: false,
    });
    let uart = sim.listen("127.0.0.1:0".parse().unwrap()).unwrap();
    let dialect: &'static wip_runtime::Dialect = Box::leak(Box::new(d.as_ref().clone()));
    {
        let s = TcpStream::connect(uart).unwrap();
        let mut c = Client::new(s, dialect, ClientConfig::default());
        for line in ["AT+WIPCFG=1", "AT+WIPBR=1,6", "AT+WIPBR=4,6,0"] {
            c.command(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        }
    }
    let a = std::thread::spawn(move || session(uart, dialect, 1));
    let b = std::thread::spawn(move || session(uart, dialect, 2));
    a.join().unwrap();
    b.join().unwrap();
}
