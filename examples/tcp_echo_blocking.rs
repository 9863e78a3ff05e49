//! A host app on the blocking client, typed from end to end: start the IP
//! stack and a GPRS bearer, open a TCP client to an echo server, echo 1 MiB
//! holding DLE and ETX bytes through continuous data mode, leave it with
//! `+++`, close.
//!
//! ```text
//! wip sim --listen 127.0.0.1:7000 --guard-ms 100
//! cargo run --example tcp_echo_blocking -- 127.0.0.1:7000
//! ```
//! (`main` starts the echo server on loopback itself.)

use std::error::Error;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

use wip_bindings::rev009::*;
use wip_runtime::basic::Cmee;
use wip_runtime::client::{Client, ClientConfig, ClientError};
use wip_runtime::transport;

/// The scenario against the modem on the TCP UART `uart`: `data` goes to
/// the echo server at `echo` and back; gives what came back.
pub fn run(
    uart: &str,
    echo: SocketAddrV4,
    data: &[u8],
    cfg: ClientConfig,
) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut modem = Client::new(transport::tcp(uart)?, &DIALECT, cfg);
    modem.send_basic(&Cmee::Numeric)?; // +CME ERROR codes, typed by `send`
    modem.send(&WipCfgStart::new()?)?;
    modem.send(&WipBrOpen::new(BearerId::Gprs)?)?;
    let gprs = WipBrStart::new(BearerId::Gprs, BearerMode::Client)?;
    modem.send(&gprs)?;
    modem.send(&WipCreateTcpClient::new(1, *echo.ip(), echo.port())?)?;
    let ready = Duration::from_secs(10);
    modem.wait_typed::<WipReady>(ready, |r| r.mode == Protocol::TcpClient && r.index == 1)?;

    let map = WipDataMap::new(Protocol::TcpClient, 1, DataMode::Continuous)?;
    let mut session = modem.data_typed(&map)?;
    let mut echoed = vec![0; data.len()];
    let (mut rx, mut tx) = session.split()?;
    std::thread::scope(|s| -> Result<(), Box<dyn Error>> {
        let writer = s.spawn(move || tx.write_all(data).and_then(|()| tx.flush()));
        rx.read_exact(&mut echoed)?;
        writer.join().map_err(|_| "the writer panicked")??;
        Ok(())
    })?;
    let left = session.leave().map_err(ClientError::from)?;
    assert!(left.unread.is_empty(), "nothing came after the echo");

    modem.send(&WipCloseClose::new(Protocol::TcpClient, 1)?)?;
    modem.send(&WipBrStop::new(BearerId::Gprs)?)?;
    modem.send(&WipCfgStop::new()?)?;
    Ok(echoed)
}

/// 1 MiB in which two bytes in seven are DLE or ETX.
pub fn payload(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| match i % 7 {
            0 => 0x10,
            3 => 0x03,
            k => b'a' + ((i / 7 + k) % 26) as u8,
        })
        .collect()
}

/// A TCP echo server on loopback, on a thread of its own.
pub fn echo_server() -> std::io::Result<SocketAddrV4> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = SocketAddrV4::new(Ipv4Addr::LOCALHOST, listener.local_addr()?.port());
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                if let Ok(mut back) = conn.try_clone() {
                    let _ = std::io::copy(&mut conn, &mut back);
                }
            });
        }
    });
    Ok(addr)
}

#[allow(dead_code)]
fn main() -> Result<(), Box<dyn Error>> {
    let uart = std::env::args().nth(1).unwrap_or("127.0.0.1:7000".into());
    let data = payload(1 << 20);
    let cfg = ClientConfig {
        guard: Duration::from_millis(150),
        ..ClientConfig::default()
    };
    let started = std::time::Instant::now();
    let echoed = run(&uart, echo_server()?, &data, cfg)?;
    assert!(echoed == data, "the echo differs");
    println!("echoed {} bytes in {:?}", echoed.len(), started.elapsed());
    Ok(())
}
