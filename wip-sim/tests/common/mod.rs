//! What the service tests share: an emulator with only routed peers, a
//! UART with a started stack, and reading its bytes.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use wip_runtime::escape::{Piece, Unescaper};
use wip_sim::config::Route;
use wip_sim::{Sim, SimConfig, UartHandle};

/// An emulator reaching only routed peers, with a short guard time.
pub fn sim() -> Sim {
    let d = Arc::new(wip_sim::default_dialect().unwrap());
    let cfg = SimConfig {
        guard: Duration::from_millis(50),
        ephemeral_ports: true,
        routed_only: true,
        service_timeout: Duration::from_secs(3),
        ..SimConfig::default()
    };
    Sim::start(d, cfg, None).unwrap()
}

/// Routes a TCP name to a real address.
pub fn route(sim: &Sim, host: &str, port: u16, real: std::net::SocketAddr) {
    sim.add_route(Route {
        host: host.into(),
        port,
        real,
        udp: false,
    });
}

/// A UART with echo off, `+CME ERROR` codes, the stack and a bearer
/// started.
pub fn started(sim: &Sim) -> UartHandle {
    let u = sim.attach_memory();
    for line in [
        "ATE0",
        "AT+CMEE=1",
        "AT+WIPCFG=1",
        "AT+WIPBR=1,6",
        "AT+WIPBR=4,6,0",
    ] {
        u.send(format!("{line}\r").as_bytes());
        until(&u, b"OK\r\n", 5);
    }
    u
}

/// Reads until the bytes read end with `tail` (`secs` at most).
pub fn until(u: &UartHandle, tail: &[u8], secs: u64) -> Vec<u8> {
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !got.ends_with(tail) {
        let left = deadline.saturating_duration_since(Instant::now());
        match u.recv_timeout(left) {
            Some(b) => got.extend_from_slice(&b),
            None => panic!(
                "no {:?} at the end of {:?}",
                String::from_utf8_lossy(tail),
                String::from_utf8_lossy(&got[got.len().saturating_sub(300)..])
            ),
        }
    }
    got
}

/// Sends a command and reads until its answer ends with `tail`.
pub fn at(u: &UartHandle, line: &str, tail: &str) -> String {
    u.send(format!("{line}\r").as_bytes());
    String::from_utf8_lossy(&until(u, tail.as_bytes(), 10)).into_owned()
}

/// Sends each command line in turn, each answered `OK` and nothing else.
pub fn all_ok(u: &UartHandle, lines: &[&str]) {
    for line in lines {
        assert_eq!(at(u, line, "OK\r\n"), "\r\nOK\r\n", "{line}");
    }
}

/// The data of a continuous-mode download: `CONNECT`, the escaped bytes,
/// the lone ETX, then `rest` (the final result and URCs) must follow.
pub fn download(u: &UartHandle, line: &str, rest: &str) -> Vec<u8> {
    u.send(format!("{line}\r").as_bytes());
    let got = until(u, rest.as_bytes(), 30);
    let body = got
        .strip_prefix(b"\r\nCONNECT\r\n".as_slice())
        .unwrap_or_else(|| panic!("{:?}", String::from_utf8_lossy(&got[..got.len().min(200)])));
    let wire = &body[..body.len() - rest.len()];
    let mut out = Vec::new();
    let mut etx = Vec::new();
    let mut un = Unescaper::new();
    un.feed(wire, |p| match p {
        Piece::Data(d) => out.extend_from_slice(d),
        Piece::Etx => etx.push(out.len()),
    });
    assert_eq!(etx, [out.len()], "one lone ETX, at the end");
    out
}

/// Bytes with every value, DLE and ETX among them, `n` long.
pub fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// Stops the emulator; every thread of it must end (5 s at most).
pub fn stop(mut sim: Sim) {
    sim.stop();
    let deadline = Instant::now() + Duration::from_secs(5);
    while sim.threads() > 0 {
        assert!(Instant::now() < deadline, "{} threads left", sim.threads());
        std::thread::sleep(Duration::from_millis(10));
    }
}
