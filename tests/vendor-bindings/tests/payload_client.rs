//! Both clients deliver the raw data a modem sends after a response or a
//! URC with the typed answer (schema point 5), against a scripted modem on
//! a loopback TCP connection that writes its answers a few bytes at a time:
//! SIMCom `+CIPRXGET: 2,…` then its bytes, 27.005 `+CMGR:` then the text
//! line (reading `OK`), and a URC's payload in the typed URC queue.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;
use wip_runtime::client::{AsyncClient, Client, ClientConfig};
use wip_runtime::Final;
use wip_vendor_bindings::{base, simcom, ublox};

/// One command line the modem expects, and what it answers.
struct Step {
    line: &'static str,
    answer: &'static [u8],
}

/// Serves `steps` on one connection, writing each answer in pieces of
/// `piece` bytes.
fn modem(steps: Vec<Step>, piece: usize) -> (TcpListener, JoinHandle<()>, std::net::SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let l2 = listener.try_clone().unwrap();
    let handle = std::thread::spawn(move || {
        let (mut s, _) = l2.accept().unwrap();
        s.set_nodelay(true).unwrap();
        for step in steps {
            let mut line = Vec::new();
            let mut b = [0u8; 1];
            while let Ok(1) = s.read(&mut b) {
                if b[0] == b'\r' {
                    break;
                }
                line.push(b[0]);
            }
            assert_eq!(String::from_utf8_lossy(&line), step.line);
            for p in step.answer.chunks(piece) {
                s.write_all(p).unwrap();
                s.flush().unwrap();
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    });
    (listener, handle, addr)
}

const CIPRXGET: &[u8] = b"\r\n+CIPRXGET: 2,0,17,0\r\nHTTP/1.0 200 OK\r\n\r\nOK\r\n";
const CMGR: &[u8] =
    b"\r\n+CMGR: \"REC UNREAD\",\"+31628870634\",,\"11/01/09,10:26:26+04\"\r\nOK\r\n\r\nOK\r\n";

#[test]
fn ciprxget_read_gives_its_bytes_with_the_typed_answer() {
    for piece in [1, 3, 64] {
        let (_l, modem, addr) = modem(
            vec![Step {
                line: "AT+CIPRXGET=2,0,17",
                answer: CIPRXGET,
            }],
            piece,
        );
        let io = TcpStream::connect(addr).unwrap();
        let mut c = Client::new(io, &simcom::DIALECT, ClientConfig::default());
        let req = simcom::CiprxgetRead::new(2, 0)
            .and_then(|r| r.with_len(17))
            .unwrap();
        let answer = c.send(&req).unwrap();
        assert_eq!(answer.final_code, Final::Ok);
        assert_eq!(
            answer.responses,
            vec![simcom::CiprxgetReadResponse::CiprxgetData(
                simcom::CiprxgetData {
                    link_num: 0,
                    read_len: 17,
                    rest_len: 0
                }
            )]
        );
        // 17 bytes holding CR LF: the payload, not a line.
        assert_eq!(
            answer.payload().map(|b| &b[..]),
            Some(&b"HTTP/1.0 200 OK\r\n"[..])
        );
        let pairs: Vec<_> = answer.with_payloads().collect();
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].1.map(|b| b.len()), Some(17));
        drop(c);
        modem.join().unwrap();
    }
}

#[test]
fn cmgr_text_reading_ok_is_its_payload_not_the_final_result() {
    let (_l, modem, addr) = modem(
        vec![Step {
            line: "AT+CMGR=3",
            answer: CMGR,
        }],
        2,
    );
    let io = TcpStream::connect(addr).unwrap();
    let mut c = Client::new(io, &base::DIALECT, ClientConfig::default());
    let answer = c.send(&base::CmgrRead::new(3).unwrap()).unwrap();
    assert_eq!(answer.responses.len(), 1);
    assert_eq!(answer.payloads.len(), 1);
    assert_eq!(answer.payload().map(|b| &b[..]), Some(&b"OK"[..]));
    drop(c);
    modem.join().unwrap();
}

#[test]
fn a_response_without_payload_has_none() {
    let (_l, modem, addr) = modem(
        vec![Step {
            line: "AT+CIPRXGET=4,0",
            answer: b"\r\n+CIPRXGET: 4,0,17\r\n\r\nOK\r\n",
        }],
        64,
    );
    let io = TcpStream::connect(addr).unwrap();
    let mut c = Client::new(io, &simcom::DIALECT, ClientConfig::default());
    let answer = c.send(&simcom::CiprxgetQuery::new(0).unwrap()).unwrap();
    // A response without payload has no entry: nothing is allocated.
    assert!(answer.payloads.is_empty());
    assert_eq!(answer.payloads.capacity(), 0);
    assert_eq!(answer.payload(), None);
    assert_eq!(answer.payload_of(0), None);
    assert_eq!(
        answer.with_payloads().map(|(_, p)| p).collect::<Vec<_>>(),
        vec![None]
    );
    drop(c);
    modem.join().unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn async_client_gives_the_payload_too() {
    let (_l, modem, addr) = modem(
        vec![Step {
            line: "AT+CIPRXGET=2,0,17",
            answer: CIPRXGET,
        }],
        5,
    );
    let io = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut c, _urcs) = AsyncClient::new(io, &simcom::DIALECT, ClientConfig::default());
    let req = simcom::CiprxgetRead::new(2, 0)
        .and_then(|r| r.with_len(17))
        .unwrap();
    let answer = c.send(&req).await.unwrap();
    assert_eq!(
        answer.payload().map(|b| &b[..]),
        Some(&b"HTTP/1.0 200 OK\r\n"[..])
    );
    drop(c);
    tokio::task::spawn_blocking(move || modem.join().unwrap())
        .await
        .unwrap();
}

/// SIMCom direct push (simcom-sim7600.md 4): `+IPD<len>`, the count glued
/// to the prefix, then `len` raw bytes; the typed URC queue gives them with
/// the URC, even when they read like a line of their own.
const PUSH: &[u8] = b"\r\nOK\r\n\r\n+IPD6\r\nOK\r\n+X\r\n+CIPRXGET: 1,0\r\n";

#[test]
fn ipd_urc_carries_its_bytes_in_the_typed_urc_queue() {
    for piece in [1, 4, 64] {
        let (_l, modem, addr) = modem(
            vec![Step {
                line: "AT+CIPRXGET=0",
                answer: PUSH,
            }],
            piece,
        );
        let io = TcpStream::connect(addr).unwrap();
        let mut c = Client::new(io, &simcom::DIALECT, ClientConfig::default());
        c.send(&simcom::CiprxgetSetMode::new(0).unwrap()).unwrap();
        let (urc, data) = c
            .wait_typed_payload::<simcom::IpdData>(Duration::from_secs(10), |_| true)
            .unwrap();
        assert_eq!(urc, simcom::IpdData { len: 6 });
        assert_eq!(data.as_deref(), Some(&b"OK\r\n+X"[..]));
        // The next URC is whole, and carries no payload.
        let next = c.next_urc(Duration::from_secs(10)).unwrap().unwrap();
        assert_eq!(next.line.text, "+CIPRXGET: 1,0");
        assert_eq!(next.payload, None);
        drop(c);
        modem.join().unwrap();
    }
}

#[tokio::test(flavor = "current_thread")]
async fn async_urc_stream_carries_the_ipd_bytes() {
    let (_l, modem, addr) = modem(
        vec![Step {
            line: "AT+CIPRXGET=0",
            answer: PUSH,
        }],
        3,
    );
    let io = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut c, mut urcs) = AsyncClient::new(io, &simcom::DIALECT, ClientConfig::default());
    c.send(&simcom::CiprxgetSetMode::new(0).unwrap())
        .await
        .unwrap();
    let (urc, data) = urcs
        .next_typed_payload::<simcom::IpdData>(|_| true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(urc.len, 6);
    assert_eq!(data.as_deref(), Some(&b"OK\r\n+X"[..]));
    let (next, data) = urcs
        .next_typed_payload::<simcom::CiprxgetPending>(|_| true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((next.link_num, data), (0, None));
    drop(c);
    tokio::task::spawn_blocking(move || modem.join().unwrap())
        .await
        .unwrap();
}

/// u-blox `+USORD: <socket>,<length>,"<data>"` (ublox-sara.md: "An
/// application should rely on the <length> info"): the data holds `"`, a
/// comma, CR LF and `OK`; the client gives it as the response's payload,
/// the typed response with its field empty.
#[test]
fn usord_counted_data_comes_as_the_payload() {
    for piece in [1, 7, 64] {
        let (_l, modem, addr) = modem(
            vec![Step {
                line: "AT+USORD=3,10",
                answer: b"\r\n+USORD: 3,10,\"a\"b,\r\nOK\r\n\"\r\nOK\r\n",
            }],
            piece,
        );
        let io = TcpStream::connect(addr).unwrap();
        let mut c = Client::new(io, &ublox::DIALECT, ClientConfig::default());
        let answer = c.send(&ublox::UsordRead::new(3, 10).unwrap()).unwrap();
        assert_eq!(answer.final_code, Final::Ok);
        assert_eq!(
            answer.responses,
            vec![ublox::UsordReadResponse::UsordData(ublox::UsordData {
                socket: 3,
                length: 10,
                data: String::new()
            })]
        );
        assert_eq!(
            answer.payload().map(|b| &b[..]),
            Some(&b"a\"b,\r\nOK\r\n"[..])
        );
        drop(c);
        modem.join().unwrap();
    }
}
