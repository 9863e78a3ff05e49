//! A host app on the async client, typed from end to end: start the IP
//! stack and a GPRS bearer, open a TCP client to an echo server, echo 1 MiB
//! holding DLE and ETX bytes through continuous data mode, leave it with
//! `+++`, close.
//!
//! ```text
//! wip sim --listen 127.0.0.1:7000 --guard-ms 100
//! cargo run --example tcp_echo_async -- 127.0.0.1:7000
//! ```
//! (`main` starts the echo server on loopback itself.)

use std::error::Error;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wip_bindings::rev009::*;
use wip_runtime::basic::Cmee;
use wip_runtime::client::{AsyncClient, ClientConfig, ClientError};
use wip_runtime::transport;

/// The scenario against the modem on the TCP UART `uart`: `data` goes to
/// the echo server at `echo` and back; gives what came back.
pub async fn run(
    uart: &str,
    echo: SocketAddrV4,
    data: &[u8],
    cfg: ClientConfig,
) -> Result<Vec<u8>, Box<dyn Error>> {
    let (mut modem, mut urcs) = AsyncClient::new(transport::tcp_async(uart).await?, &DIALECT, cfg);
    modem.send_basic(&Cmee::Numeric).await?; // +CME ERROR codes, typed by `send`
    modem.send(&WipCfgStart::new()?).await?;
    modem.send(&WipBrOpen::new(BearerId::Gprs)?).await?;
    let gprs = WipBrStart::new(BearerId::Gprs, BearerMode::Client)?;
    modem.send(&gprs).await?;
    modem
        .send(&WipCreateTcpClient::new(1, *echo.ip(), echo.port())?)
        .await?;
    urcs.wait_typed::<WipReady>(Duration::from_secs(10), |r| {
        r.mode == Protocol::TcpClient && r.index == 1
    })
    .await?;

    let map = WipDataMap::new(Protocol::TcpClient, 1, DataMode::Continuous)?;
    let mut session = modem.data_typed(&map).await?;
    let mut echoed = vec![0; data.len()];
    let (mut rx, mut tx) = session.split();
    let (sent, read) = tokio::join!(
        async { tx.write_all(data).await.and(tx.flush().await) },
        rx.read_exact(&mut echoed),
    );
    sent?;
    read?;
    let left = session.leave().await.map_err(ClientError::from)?;
    assert!(left.unread.is_empty(), "nothing came after the echo");

    modem
        .send(&WipCloseClose::new(Protocol::TcpClient, 1)?)
        .await?;
    modem.send(&WipBrStop::new(BearerId::Gprs)?).await?;
    modem.send(&WipCfgStop::new()?).await?;
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

/// A TCP echo server on loopback, as a task.
pub async fn echo_server() -> std::io::Result<SocketAddrV4> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = SocketAddrV4::new(Ipv4Addr::LOCALHOST, listener.local_addr()?.port());
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (mut r, mut w) = conn.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    Ok(addr)
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let uart = std::env::args().nth(1).unwrap_or("127.0.0.1:7000".into());
    let data = payload(1 << 20);
    let cfg = ClientConfig {
        guard: Duration::from_millis(150),
        ..ClientConfig::default()
    };
    let started = std::time::Instant::now();
    let echoed = run(&uart, echo_server().await?, &data, cfg).await?;
    assert!(echoed == data, "the echo differs");
    println!("echoed {} bytes in {:?}", echoed.len(), started.elapsed());
    Ok(())
}
