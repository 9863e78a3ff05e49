//! A host app on the blocking client, typed from end to end: start the IP
//! stack and a GPRS bearer, open a UDP socket to an echo server, send
//! datagrams holding DLE and ETX bytes through continuous data mode (a
//! lone ETX ends each one) and read their echoes, leave with `+++`, close.
//!
//! ```text
//! wip sim --listen 127.0.0.1:7000 --guard-ms 100 --ephemeral-ports
//! cargo run --example udp_echo -- 127.0.0.1:7000
//! ```
//! (`main` starts the echo server on loopback itself.)

use std::error::Error;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

use wip_bindings::rev009::*;
use wip_runtime::basic::Cmee;
use wip_runtime::client::{Client, ClientConfig, ClientError, DataEvent};
use wip_runtime::transport;

/// The scenario against the modem on the TCP UART `uart`: each datagram
/// goes to the echo server at `echo` and back; gives what came back.
pub fn run(
    uart: &str,
    echo: SocketAddrV4,
    datagrams: &[Vec<u8>],
    cfg: ClientConfig,
) -> Result<Vec<Vec<u8>>, Box<dyn Error>> {
    let mut modem = Client::new(transport::tcp(uart)?, &DIALECT, cfg);
    modem.send_basic(&Cmee::Numeric)?; // +CME ERROR codes, typed by `send`
    modem.send(&WipCfgStart::new()?)?;
    modem.send(&WipBrOpen::new(BearerId::Gprs)?)?;
    let gprs = WipBrStart::new(BearerId::Gprs, BearerMode::Client)?;
    modem.send(&gprs)?;
    let udp = WipCreateUdp::new(1)?.with_local_port(5000)?;
    modem.send(&udp.with_peer_ip(*echo.ip())?.with_peer_port(echo.port())?)?;
    let ready = Duration::from_secs(10);
    modem.wait_typed::<WipReady>(ready, |r| r.mode == Protocol::Udp && r.index == 1)?;

    let map = WipDataMap::new(Protocol::Udp, 1, DataMode::Continuous)?;
    let mut session = modem.data_typed(&map)?;
    let mut echoes = Vec::new();
    for datagram in datagrams {
        session.send(datagram)?;
        session.end_of_data()?;
        let mut echo = Vec::new();
        loop {
            match session.recv(Duration::from_secs(5))? {
                Some(DataEvent::Data(d)) => echo.extend_from_slice(&d),
                Some(DataEvent::EndOfData(_)) => break,
                other => return Err(format!("{other:?} instead of an echo").into()),
            }
        }
        echoes.push(echo);
    }
    session.leave().map_err(ClientError::from)?;

    modem.send(&WipCloseClose::new(Protocol::Udp, 1)?)?;
    modem.send(&WipBrStop::new(BearerId::Gprs)?)?;
    modem.send(&WipCfgStop::new()?)?;
    Ok(echoes)
}

/// `n` datagrams of `len` bytes, DLE and ETX among them.
pub fn datagrams(n: usize, len: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|k| {
            (0..len)
                .map(|i| [0x10, 0x03, b'a', (k % 256) as u8][i % 4])
                .collect()
        })
        .collect()
}

/// A UDP echo server on loopback, on a thread of its own.
pub fn echo_server() -> std::io::Result<SocketAddrV4> {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0")?;
    let addr = SocketAddrV4::new(Ipv4Addr::LOCALHOST, socket.local_addr()?.port());
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            let _ = socket.send_to(&buf[..n], from);
        }
    });
    Ok(addr)
}

#[allow(dead_code)]
fn main() -> Result<(), Box<dyn Error>> {
    let uart = std::env::args().nth(1).unwrap_or("127.0.0.1:7000".into());
    let sent = datagrams(16, 1000);
    let cfg = ClientConfig {
        guard: Duration::from_millis(150),
        ..ClientConfig::default()
    };
    let echoes = run(&uart, echo_server()?, &sent, cfg)?;
    assert!(echoes == sent, "the echoes differ");
    println!("{} datagrams echoed", echoes.len());
    Ok(())
}
