//! Requests whose real outcome is a later URC (tests/specs/completions.ron):
//! `send_and_complete` on both clients returns the answer and the typed
//! completion URC matched by the fields it repeats, keeps other URCs
//! queued, counts a completion that came before `OK`, and times out with
//! an error naming the command and the completion, after a wait taken
//! from a parameter. The modem is a script on the far end of a loopback
//! socket.

use std::io::{Read, Write};
use std::time::Duration;

#[allow(dead_code)]
mod comp {
    wip_macros::include_spec!("../tests/specs/completions.ron");
}

use comp::*;
use wip_runtime::client::{AsyncClient, Client, ClientConfig, SendError};
use wip_runtime::schema::typed::TypedCompletion;
use wip_runtime::Final;

mod scripted;
use scripted::{pair, read_line};

/// The modem's side of the session both clients go through.
fn script(mut modem: std::net::TcpStream) {
    assert_eq!(
        read_line(&mut modem),
        b"AT+XCONNECT=3,\"example.com\",80,1\r"
    );
    modem.write_all(b"\r\nOK\r\n").unwrap();
    modem.flush().unwrap();
    std::thread::sleep(Duration::from_millis(30));
    // Another URC, the completion of another socket, then ours.
    modem
        .write_all(b"\r\n+XCLOSED: 1\r\n\r\n+XUUSOCO: 2,0\r\n\r\n+XUUSOCO: 3,11\r\n")
        .unwrap();
    assert_eq!(read_line(&mut modem), b"AT+XOPEN=1,\"example.com\",80\r");
    // This completion may come before OK.
    modem.write_all(b"\r\n+XOPEN: 1,0\r\n\r\nOK\r\n").unwrap();
    assert_eq!(read_line(&mut modem), b"AT+XPING=\"example.com\",1\r");
    modem.write_all(b"\r\nOK\r\n").unwrap();
    // No +XPING comes: the client gives up after 1 s + 1 s.
    let mut rest = Vec::new();
    let _ = modem.read_to_end(&mut rest);
}

fn connect() -> XconnectConnect {
    XconnectConnect::new(3u8, "example.com", 80u16)
        .unwrap()
        .with_async_connect(1u8)
        .unwrap()
}

#[test]
fn the_completion_type_is_on_the_request() {
    fn urc_of<C: TypedCompletion>(_: &C) -> &'static str {
        std::any::type_name::<C::Completion>()
    }
    assert!(urc_of(&connect()).ends_with("XConnectResult"));
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/completions.ron");
    assert_eq!(DIALECT, wip_codegen::load_file(&p).unwrap().dialect);
}

#[test]
fn the_blocking_client_waits_for_the_matching_completion() {
    let (host, modem) = pair();
    let t = std::thread::spawn(move || script(modem));
    let mut c = Client::new(host, &DIALECT, ClientConfig::default());
    // Without <async_connect> = 1 nothing completes it later: not sent.
    let sync = XconnectConnect::new(3u8, "example.com", 80u16).unwrap();
    assert!(matches!(
        c.send_and_complete(&sync),
        Err(SendError::NotCompleting(l)) if l == "AT+XCONNECT=3,\"example.com\",80"
    ));
    let (answer, done) = c.send_and_complete(&connect()).unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    assert_eq!((done.socket, done.socket_error), (3, 11));
    let queued: Vec<String> = std::iter::from_fn(|| c.next_urc(Duration::ZERO).unwrap())
        .map(|u| String::from(u.line.text))
        .collect();
    assert_eq!(queued, ["+XCLOSED: 1", "+XUUSOCO: 2,0"]);
    let open = XopenOpen::new(1u8, "example.com", 80u16).unwrap();
    let (_, opened) = c.send_and_complete(&open).unwrap();
    assert_eq!((opened.link_num, opened.err), (1, 0));
    let ping = XpingPing::new("example.com")
        .unwrap()
        .with_timeout(1u8)
        .unwrap();
    match c.send_and_complete(&ping) {
        Err(SendError::NoCompletion {
            command,
            completion,
            after,
        }) => {
            assert_eq!(command, "AT+XPING=\"example.com\",1");
            assert_eq!(completion, "+XPING");
            assert_eq!(after, Duration::from_secs(2));
        }
        other => panic!("{other:?}"),
    }
    drop(c);
    t.join().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_async_client_waits_for_the_matching_completion() {
    let (host, modem) = pair();
    let t = std::thread::spawn(move || script(modem));
    host.set_nonblocking(true).unwrap();
    let host = tokio::net::TcpStream::from_std(host).unwrap();
    let (mut c, mut urcs) = AsyncClient::new(host, &DIALECT, ClientConfig::default());
    let (answer, done) = c.send_and_complete(&connect()).await.unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    assert_eq!((done.socket, done.socket_error), (3, 11));
    // The URC stream still has every URC, in order.
    let first = urcs.next_typed::<Urc>(|_| true).await.unwrap().unwrap();
    assert_eq!(first, Urc::XClosed(XClosed::new(1u8).unwrap()));
    let open = XopenOpen::new(1u8, "example.com", 80u16).unwrap();
    let (_, opened) = c.send_and_complete(&open).await.unwrap();
    assert_eq!((opened.link_num, opened.err), (1, 0));
    let ping = XpingPing::new("example.com")
        .unwrap()
        .with_timeout(1u8)
        .unwrap();
    assert!(matches!(
        c.send_and_complete(&ping).await,
        Err(SendError::NoCompletion { after, .. }) if after == Duration::from_secs(2)
    ));
    // The runtime must run for the aborted reader to close the socket.
    drop(c);
    tokio::task::spawn_blocking(move || t.join().unwrap())
        .await
        .unwrap();
}
