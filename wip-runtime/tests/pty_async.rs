//! The async client through a pseudo-terminal (tokio-serial) to a scripted
//! modem.
#![cfg(feature = "tokio")]

mod common;

use std::time::Duration;

use common::*;
use common::{msg, rev009};
use tokio_stream::StreamExt;
use wip_runtime::client::{AsyncClient, ClientConfig, ClientError, DataEvent};
use wip_runtime::serial;
use wip_runtime::Final;

const GUARD: Duration = Duration::from_millis(50);

fn config() -> ClientConfig {
    ClientConfig {
        guard: GUARD,
        default_timeout: Duration::from_secs(3),
        ..ClientConfig::default()
    }
}

/// The device side reopened by path through tokio-serial, as an app would
/// open a real port.
fn open_pair() -> (serialport::TTYPort, tokio_serial::SerialStream) {
    use serialport::SerialPort;
    let (controller, device) = serial::pty_pair().unwrap();
    let path = device.name().unwrap();
    let port = serial::open_async(&path, 115_200).unwrap();
    drop(device);
    (controller, port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_session_async() {
    let (controller, port) = open_pair();
    let modem = spawn(controller, session_script(), true, GUARD);
    let (mut c, mut urcs) = AsyncClient::new(port, rev009(), config());

    c.command("AT+WIPCFG=1").await.unwrap();
    c.command("AT+WIPBR=1,6").await.unwrap();
    c.command("AT+WIPBR=2,6,11,\"APN name\"").await.unwrap();
    c.command("AT+WIPBR=4,6,0").await.unwrap();
    let r = c.command("AT+WIPBR=3,6,11").await.unwrap();
    assert_eq!(r.lines.len(), 1);
    assert_eq!(r.lines[0].line.fields, 3);
    let bearer = urcs.next().await.unwrap();
    assert_eq!(bearer.message, Some(msg("WipBrStatus")));

    c.command("AT+WIPCREATE=2,1,\"127.0.0.1\",80")
        .await
        .unwrap();
    let ready = tokio::time::timeout(Duration::from_secs(2), urcs.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ready.message, Some(msg("WipReady")));

    let mut d = c.data("AT+WIPDATA=2,1,1").await.unwrap();
    d.send(UP).await.unwrap();
    let mut got = Vec::new();
    while got.len() < DOWN.len() {
        match d.recv(Duration::from_secs(2)).await.unwrap() {
            Some(DataEvent::Data(b)) => got.extend_from_slice(&b),
            other => panic!("unexpected {other:?} after {got:?}"),
        }
    }
    assert_eq!(got, DOWN);
    let left = d.leave().await.unwrap();
    assert_eq!(left.final_code, Final::Ok);

    c.command("AT+WIPCLOSE=2,1").await.unwrap();
    assert_eq!(urcs.missed(), 0);
    tokio::task::spawn_blocking(move || modem.join().unwrap().unwrap())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urcs_nobody_reads_never_block_replies() {
    let (controller, port) = open_pair();
    let mut script = Vec::new();
    let mut storm = Vec::new();
    for i in 0..50 {
        storm.extend_from_slice(format!("\r\n+WIPDATA: 2,1,{i}\r\n").as_bytes());
    }
    script.push(Send(storm));
    script.push(Expect("AT+WIPCLOSE=2,1"));
    script.push(line("ERROR"));
    let modem = spawn(controller, script, false, GUARD);
    let cfg = ClientConfig {
        urc_capacity: 4,
        ..config()
    };
    let (mut c, mut urcs) = AsyncClient::new(port, rev009(), cfg);
    tokio::time::sleep(Duration::from_millis(100)).await;
    match c.command("AT+WIPCLOSE=2,1").await {
        Err(ClientError::Rejected { final_code, .. }) => assert_eq!(final_code, Final::Error),
        other => panic!("{other:?}"),
    }
    // The slow reader lost the oldest URCs, and still gets the newest.
    let last = urcs.next().await.unwrap();
    assert!(urcs.missed() > 0);
    assert_eq!(last.message, Some(msg("WipDataTcp")));
    tokio::task::spawn_blocking(move || modem.join().unwrap().unwrap())
        .await
        .unwrap();
}

/// A `+WIPPEERCLOSE` between `+++` and its `OK` (erratum E42) comes on the
/// URC stream, not as payload left unread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_close_before_the_escapes_ok_is_a_urc() {
    let (controller, port) = open_pair();
    let modem = spawn(controller, peer_close_at_escape_script(), false, GUARD);
    let (mut c, mut urcs) = AsyncClient::new(port, rev009(), config());
    let mut d = c.data("AT+WIPDATA=2,1,1").await.unwrap();
    let mut got = Vec::new();
    while got.len() < 4 {
        match d.recv(Duration::from_secs(2)).await.unwrap() {
            Some(DataEvent::Data(b)) => got.extend_from_slice(&b),
            other => panic!("unexpected {other:?} after {got:?}"),
        }
    }
    assert_eq!(got, b"tail");
    let left = d.leave().await.unwrap();
    assert_eq!(left.final_code, Final::Ok);
    assert!(left.unread.is_empty(), "{:?}", left.unread);
    let urc = tokio::time::timeout(Duration::from_secs(2), urcs.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(urc.message, Some(msg("WipPeerClose")));
    c.command("AT+WIPCLOSE=2,1").await.unwrap();
    tokio::task::spawn_blocking(move || modem.join().unwrap().unwrap())
        .await
        .unwrap();
}
