//! The blocking client through a pseudo-terminal to a scripted modem.
#![cfg(feature = "std")]

mod common;

use std::time::Duration;

use common::*;
use common::{msg, rev009};
use wip_runtime::client::{Client, ClientConfig, ClientError, DataEvent};
use wip_runtime::framer::Escaping;
use wip_runtime::schema::EtxMeaning;
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

fn session(echo: bool) {
    let (controller, device) = serial::pty_pair().unwrap();
    let modem = spawn(controller, session_script(), echo, GUARD);
    let mut c = Client::new(device, rev009(), config());

    c.command("AT+WIPCFG=1").unwrap();
    c.command("AT+WIPBR=1,6").unwrap();
    c.command("AT+WIPBR=2,6,11,\"APN name\"").unwrap();
    c.command("AT+WIPBR=4,6,0").unwrap();
    // The bearer URC (6 fields) and the response (3 fields) share a prefix.
    let r = c.command("AT+WIPBR=3,6,11").unwrap();
    assert_eq!(r.lines.len(), 1);
    assert_eq!(r.lines[0].message, Some(msg("WipBrOption")));
    assert_eq!(r.lines[0].line.body(), "6,11,\"APN name\"");
    let bearer = c.next_urc(Duration::ZERO).unwrap().unwrap();
    assert_eq!(bearer.message, Some(msg("WipBrStatus")));
    assert_eq!(bearer.line.fields, 6);

    c.command("AT+WIPCREATE=2,1,\"127.0.0.1\",80").unwrap();
    let ready = c
        .wait_urc(Duration::from_secs(2), |u| {
            u.message == Some(msg("WipReady"))
        })
        .unwrap();
    assert_eq!(ready.line.body(), "2,1");

    let mut d = c.data("AT+WIPDATA=2,1,1").unwrap();
    assert_eq!(d.session().escaping, Escaping::Continuous);
    assert_eq!(d.session().etx, Some(EtxMeaning::Shutdown));
    d.send(UP).unwrap();
    let mut got = Vec::new();
    while got.len() < DOWN.len() {
        match d.recv(Duration::from_secs(2)).unwrap() {
            Some(DataEvent::Data(b)) => got.extend_from_slice(&b),
            other => panic!("unexpected {other:?} after {got:?}"),
        }
    }
    assert_eq!(got, DOWN);
    let left = d.leave().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    assert!(left.unread.is_empty());

    c.command("AT+WIPCLOSE=2,1").unwrap();
    modem.join().unwrap().unwrap();
}

#[test]
fn full_session_echo_off() {
    session(false);
}

#[test]
fn full_session_echo_on() {
    session(true);
}

#[test]
fn errors_timeouts_and_offline_blocks() {
    let (controller, device) = serial::pty_pair().unwrap();
    let mut script = vec![
        Expect("AT+WIPCREATE=2,1,\"127.0.0.1\",80"),
        line("+CME ERROR: 830"),
        Expect("AT+WIPBR?"),
    ];
    // The modem answers nothing to AT+WIPBR?: the client times out, then
    // the late reply must not be taken for the next command's.
    script.push(Expect("AT+WIPDATA=1,1,3"));
    script.push(line("+WIPDATARW: 1,1"));
    script.push(line("OK"));
    let data: Vec<u8> = (0..402u32).map(|i| i as u8).collect();
    for b in wip_runtime::hexdump::blocks(&data) {
        let l: &'static str = Box::leak(b.command_line(1).into_boxed_str());
        script.push(Expect(l));
        if b.command == 1 {
            script.push(line("+WIPDATARW: 3,1,402"));
        }
        script.push(line("OK"));
    }
    let modem = spawn(controller, script, false, GUARD);
    let mut c = Client::new(device, rev009(), config());
    match c.command("AT+WIPCREATE=2,1,\"127.0.0.1\",80") {
        Err(ClientError::Rejected { final_code, .. }) => {
            assert_eq!(final_code, Final::CmeError(Some(830)))
        }
        other => panic!("{other:?}"),
    }
    match c.exchange("AT+WIPBR?", Duration::from_millis(100)) {
        Err(ClientError::Timeout { .. }) => {}
        other => panic!("{other:?}"),
    }
    let r = c.command("AT+WIPDATA=1,1,3").unwrap();
    assert_eq!(r.final_code, Final::Ok);
    let r = c.send_offline(1, &data).unwrap();
    assert_eq!(r.lines[0].line.body(), "3,1,402");
    modem.join().unwrap().unwrap();
}

#[test]
fn reset_in_data_mode_and_shutdown() {
    let (controller, device) = serial::pty_pair().unwrap();
    let script = vec![
        Expect("AT+WIPDATA=2,1,1"),
        line("CONNECT"),
        Send(b"abc\r\nSHUTDOWN\r\nd\x10\x03".to_vec()),
        ExpectData(b"x\x03".to_vec()),
        Send(b"\x03\r\n+CME ERROR: 843\r\n".to_vec()),
    ];
    let modem = spawn(controller, script, false, GUARD);
    let mut c = Client::new(device, rev009(), config());
    let mut d = c.data("AT+WIPDATA=2,1,1").unwrap();
    let mut events = Vec::new();
    let mut data_len = 0;
    while data_len < b"abcd\x03".len() {
        let ev = d.recv(Duration::from_secs(2)).unwrap().expect("data");
        if let DataEvent::Data(b) = &ev {
            data_len += b.len();
        }
        events.push(ev);
    }
    d.send(b"x").unwrap();
    d.end_of_data().unwrap();
    loop {
        match d.recv(Duration::from_secs(2)).unwrap() {
            Some(DataEvent::Closed(f)) => {
                events.push(DataEvent::Closed(f));
                break;
            }
            Some(ev) => events.push(ev),
            None => panic!("no reset after {events:?}"),
        }
    }
    let mut merged: Vec<DataEvent> = Vec::new();
    for ev in events {
        match (merged.last_mut(), ev) {
            (Some(DataEvent::Data(a)), DataEvent::Data(b)) => *a = [&a[..], &b[..]].concat().into(),
            (_, ev) => merged.push(ev),
        }
    }
    assert_eq!(
        merged,
        vec![
            DataEvent::Data(b"abc"[..].into()),
            DataEvent::Shutdown,
            DataEvent::Data(b"d\x03"[..].into()),
            DataEvent::EndOfData(Some(EtxMeaning::Shutdown)),
            DataEvent::Closed(Final::CmeError(Some(843))),
        ]
    );
    let left = d.leave().unwrap();
    assert!(left.final_code.is_connection_reset());
    modem.join().unwrap().unwrap();
}

/// A `+WIPPEERCLOSE` between `+++` and its `OK` (erratum E42) is a URC in
/// the client's queue, not payload left unread.
#[test]
fn a_peer_close_before_the_escapes_ok_is_a_urc() {
    let (controller, device) = serial::pty_pair().unwrap();
    let modem = spawn(controller, peer_close_at_escape_script(), false, GUARD);
    let mut c = Client::new(device, rev009(), config());
    let mut d = c.data("AT+WIPDATA=2,1,1").unwrap();
    let mut got = Vec::new();
    while got.len() < 4 {
        match d.recv(Duration::from_secs(2)).unwrap() {
            Some(DataEvent::Data(b)) => got.extend_from_slice(&b),
            other => panic!("unexpected {other:?} after {got:?}"),
        }
    }
    assert_eq!(got, b"tail");
    let left = d.leave().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    assert!(left.unread.is_empty(), "{:?}", left.unread);
    let urc = c.next_urc(Duration::ZERO).unwrap().expect("the peer close");
    assert_eq!(urc.message, Some(msg("WipPeerClose")));
    assert_eq!(urc.line.body(), "2,1");
    c.command("AT+WIPCLOSE=2,1").unwrap();
    modem.join().unwrap().unwrap();
}
