//! Transports that cannot hang: a read that would block past the client's
//! deadline is bounded or an error.

mod common;

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use common::rev009;
use wip_runtime::client::{Client, ClientConfig, ClientError};
use wip_runtime::transport::{self, Transport};

/// Runs `f` on a thread and gives its result, or fails the test when it
/// never returns (the hang this module is about).
fn within<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the client hung")
}

/// A peer on loopback that accepts and sends nothing; its address.
fn silent_peer() -> std::net::SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in l.incoming().flatten() {
            held.push(c);
        }
    });
    addr
}

/// A `TcpStream` connected without any read timeout: the client bounds
/// its reads, so waiting 100 ms for a URC gives `None` instead of hanging.
#[test]
fn a_tcp_stream_without_read_timeout_does_not_hang_next_urc() {
    let addr = silent_peer();
    let got = within(move || {
        let s = TcpStream::connect(addr).unwrap();
        assert_eq!(s.read_timeout().unwrap(), None);
        let mut c = Client::new(s, rev009(), ClientConfig::default());
        let urc = c
            .next_urc(Duration::from_millis(100))
            .map_err(|e| e.to_string());
        let timeout = c.get_mut().read_timeout().unwrap();
        (urc, timeout)
    });
    assert_eq!(got, (Ok(None), Some(transport::READ_TIMEOUT)));
}

/// A command the silent peer never answers times out as a command does.
#[test]
fn a_command_to_a_silent_tcp_peer_times_out() {
    let addr = silent_peer();
    let got = within(move || {
        let mut c = Client::new(
            transport::tcp(addr).unwrap(),
            rev009(),
            ClientConfig::default(),
        );
        c.exchange("AT+WIPCFG=1", Duration::from_millis(100))
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    assert_eq!(
        got,
        Err("no final result code for `AT+WIPCFG=1` within 100ms".to_owned())
    );
}

/// A transport that cannot bound its reads.
struct Stubborn;

impl Read for Stubborn {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::ErrorKind::WouldBlock.into())
    }
}

impl Write for Stubborn {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Transport for Stubborn {
    fn set_read_timeout(&mut self, _: Duration) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "no timeouts here",
        ))
    }
}

#[test]
fn a_transport_whose_reads_cannot_be_bounded_is_refused() {
    let mut c = Client::new(Stubborn, rev009(), ClientConfig::default());
    let e = c.next_urc(Duration::from_millis(10)).unwrap_err();
    assert!(matches!(e, ClientError::Unbounded(_)), "{e}");
    assert_eq!(
        e.to_string(),
        "the transport's reads cannot be given a timeout: no timeouts here"
    );
}

/// A transport that says it bounds its reads but blocks past the deadline.
struct Liar;

impl Read for Liar {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        std::thread::sleep(transport::SLACK + Duration::from_millis(300));
        Err(io::ErrorKind::WouldBlock.into())
    }
}

impl Write for Liar {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Transport for Liar {
    fn set_read_timeout(&mut self, _: Duration) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_read_that_blocks_past_its_deadline_is_an_error() {
    let mut c = Client::new(Liar, rev009(), ClientConfig::default());
    let e = c.next_urc(Duration::from_millis(10)).unwrap_err();
    assert!(matches!(e, ClientError::ReadBlocked(_)), "{e}");
}

/// Split halves on two threads over a real socket: the writer escapes,
/// the reader unescapes, both through the client's one framer.
#[test]
fn split_halves_run_on_two_threads() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    // A modem that opens data mode and echoes the escaped bytes back.
    let modem = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        while !line.ends_with(b"\r") {
            s.read_exact(&mut b).unwrap();
            line.push(b[0]);
        }
        assert_eq!(line, b"AT+WIPDATA=2,1,1\r");
        s.write_all(b"\r\nCONNECT\r\n").unwrap();
        let mut buf = [0u8; 4096];
        let mut seen = 0;
        while seen < 3000 {
            let n = s.read(&mut buf).unwrap();
            seen += n;
            s.write_all(&buf[..n]).unwrap();
        }
        s
    });
    let mut c = Client::new(
        transport::tcp(addr).unwrap(),
        rev009(),
        ClientConfig::default(),
    );
    let mut d = c.data("AT+WIPDATA=2,1,1").unwrap();
    // 2000 bytes, 1000 of them DLE or ETX: 3000 on the wire.
    let data: Vec<u8> = (0..2000).map(|i| [0x10, b'x', 0x03, b'y'][i % 4]).collect();
    let mut got = vec![0u8; data.len()];
    {
        let (mut rx, mut tx) = d.split().unwrap();
        std::thread::scope(|s| {
            s.spawn(|| tx.write_all(&data).unwrap());
            rx.read_exact(&mut got).unwrap();
        });
    }
    assert!(got == data);
    drop(modem.join().unwrap());
}

/// A refused connection names the address tried.
#[test]
fn a_refused_connection_names_the_address() {
    // A port just freed: nothing listens there.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap();
    let e = wip_runtime::transport::tcp(addr).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::ConnectionRefused);
    assert!(
        e.to_string()
            .starts_with(&format!("cannot connect to {addr}: ")),
        "{e}"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let e = rt
        .block_on(wip_runtime::transport::tcp_async(addr))
        .unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::ConnectionRefused);
    assert!(e.to_string().contains(&addr.to_string()), "{e}");
}

/// `Duration::MAX` is "wait for ever": a deadline past the clock's range
/// waits, it does not panic. A peer that answers after a while is heard.
#[test]
fn waiting_for_ever_waits_and_does_not_panic() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Some(Ok(mut c)) = l.incoming().next() {
            std::thread::sleep(Duration::from_millis(150));
            let _ = c.write_all(b"\r\n+WIPREADY: 2,1\r\n");
            let mut buf = [0u8; 64];
            // The command's line, then its answer.
            let _ = c.read(&mut buf);
            let _ = c.write_all(b"\r\nOK\r\n");
            std::thread::sleep(Duration::from_secs(5));
        }
    });
    let got = within(move || {
        let mut c = Client::new(
            TcpStream::connect(addr).unwrap(),
            rev009(),
            ClientConfig::default(),
        );
        let urc = c
            .next_urc(Duration::MAX)
            .map(|u| u.map(|u| u.line.text.to_string()))
            .map_err(|e| e.to_string());
        let answer = c
            .exchange("AT", Duration::MAX)
            .map(|r| r.final_code.to_string())
            .map_err(|e| e.to_string());
        (urc, answer)
    });
    assert_eq!(
        got,
        (Ok(Some("+WIPREADY: 2,1".to_owned())), Ok("OK".to_owned()))
    );
}
