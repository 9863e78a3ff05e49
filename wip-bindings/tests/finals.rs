//! Final result codes a spec declares (`SEND OK`, `SEND FAIL`, `DATA
//! ACCEPT: <length>`, tests/specs/finals.ron): generated as typed values,
//! and ending commands on both clients, which give success finals as the
//! answer (with their fields typed) and failure finals as
//! `SendError::Failed`. The modem is a script on the far end of a
//! loopback socket.

use std::io::Write;

#[allow(dead_code)]
mod finals {
    wip_macros::include_spec!("../tests/specs/finals.ron");
}

use finals::*;
use wip_runtime::client::{AsyncClient, Client, ClientConfig, SendError};
use wip_runtime::schema::typed::{TypedCommand, TypedFinal};
use wip_runtime::Final;

mod scripted;
use scripted::{pair, read_line};

/// The modem's side of the session both clients go through.
fn script(mut modem: std::net::TcpStream) {
    assert_eq!(read_line(&mut modem), b"AT+XSEND=0,\"hello\"\r");
    // Split inside the final result code: it is found whatever the chunks.
    modem.write_all(b"\r\nSEND ").unwrap();
    modem.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    modem.write_all(b"OK\r\n").unwrap();
    assert_eq!(read_line(&mut modem), b"AT+XSEND=1,\"hello\"\r");
    // A URC before the final result code stays queued.
    modem
        .write_all(b"\r\n+XRECV: 2,10\r\n\r\nSEND FAIL\r\n")
        .unwrap();
    assert_eq!(read_line(&mut modem), b"AT+XQSEND=0,\"hello\"\r");
    modem.write_all(b"\r\nDATA ACCEPT: 5\r\n").unwrap();
    assert_eq!(read_line(&mut modem), b"AT+XCLOSE=0\r");
    modem.write_all(b"\r\nOK\r\n").unwrap();
}

#[test]
fn the_static_equals_the_runtime_dialect() {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/finals.ron");
    assert_eq!(DIALECT, wip_codegen::load_file(&p).unwrap().dialect);
    assert_eq!(DIALECT.finals.len(), 3);
}

#[test]
fn typed_finals_round_trip_and_check_their_fields() {
    let a = DataAcceptFinal::new(12u16).unwrap();
    assert_eq!(a.format(), "DATA ACCEPT: 12");
    assert_eq!(DataAcceptFinal::parse("DATA ACCEPT: 12").unwrap(), a);
    assert_eq!(
        "DATA ACCEPT: 1460"
            .parse::<DataAcceptFinal>()
            .unwrap()
            .length,
        1460
    );
    let e = DataAcceptFinal::parse("DATA ACCEPT: 1461").unwrap_err();
    assert_eq!(e.param.as_deref(), Some("length"));
    assert!(DataAcceptFinal::new(0u16).is_err());
    assert_eq!(SendOkFinal.format(), "SEND OK");
    assert!(SendOkFinal::parse("SEND OKAY").is_err());
    assert_eq!(
        SendFailFinal::CODE,
        Final::Custom {
            index: 1,
            success: false
        }
    );
    assert_eq!(
        Final::parse_in(&DIALECT, b"SEND FAIL"),
        Some(SendFailFinal::CODE)
    );
    for n in 1..=1460u16 {
        let f = DataAcceptFinal::new(n).unwrap();
        assert_eq!(DataAcceptFinal::parse(&f.to_string()).unwrap(), f);
    }
}

#[test]
fn the_blocking_client_ends_commands_on_declared_finals() {
    let (host, modem) = pair();
    let t = std::thread::spawn(move || script(modem));
    let mut c = Client::new(host, &DIALECT, ClientConfig::default());
    let sent = c.send(&XsendSend::new(0u8, "hello").unwrap()).unwrap();
    assert_eq!(sent.final_code, SendOkFinal::CODE);
    assert_eq!(
        sent.final_as::<SendOkFinal>().unwrap().unwrap(),
        SendOkFinal
    );
    assert!(sent.final_as::<DataAcceptFinal>().is_none());
    match c.send(&XsendSend::new(1u8, "hello").unwrap()) {
        Err(SendError::Failed { final_code: f, .. }) => {
            assert_eq!(f, SendFailFinal::CODE);
            assert_eq!(DIALECT.final_text(&f), "SEND FAIL");
        }
        other => panic!("{other:?}"),
    }
    let urc = c.next_urc(std::time::Duration::ZERO).unwrap().unwrap();
    assert_eq!(urc.line.text, "+XRECV: 2,10");
    let quick = c.send(&XqsendSend::new(0u8, "hello").unwrap()).unwrap();
    let accepted: DataAcceptFinal = quick.final_as().unwrap().unwrap();
    assert_eq!(accepted.length, 5);
    let closed = c.send(&XcloseClose::new(0u8).unwrap()).unwrap();
    assert_eq!((closed.final_code, closed.final_line), (Final::Ok, None));
    t.join().unwrap();
}

#[tokio::test]
async fn the_async_client_ends_commands_on_declared_finals() {
    let (host, modem) = pair();
    let t = std::thread::spawn(move || script(modem));
    host.set_nonblocking(true).unwrap();
    let host = tokio::net::TcpStream::from_std(host).unwrap();
    let (mut c, _urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let sent = c
        .send(&XsendSend::new(0u8, "hello").unwrap())
        .await
        .unwrap();
    assert_eq!(
        sent.final_as::<SendOkFinal>().unwrap().unwrap(),
        SendOkFinal
    );
    assert!(matches!(
        c.send(&XsendSend::new(1u8, "hello").unwrap()).await,
        Err(SendError::Failed { final_code: f, .. }) if f == SendFailFinal::CODE
    ));
    let quick = c
        .send(&XqsendSend::new(0u8, "hello").unwrap())
        .await
        .unwrap();
    assert_eq!(
        quick.final_as::<DataAcceptFinal>().unwrap().unwrap().length,
        5
    );
    let closed = c.send(&XcloseClose::new(0u8).unwrap()).await.unwrap();
    assert_eq!(closed.final_code, Final::Ok);
    assert_eq!(<XcloseClose as TypedCommand>::TIMEOUT_MS, 1000);
    t.join().unwrap();
}
