//! FTP sessions (5.1.2 mode 4, +WIPFILE 6.1.4) against a real FTP server
//! (libunftp with its file system back end) on loopback: login and its
//! refusals, upload, download and append in continuous, continuous
//! transparent and data offline mode, byte for byte with a 5 MB file full
//! of DLE and ETX bytes; options of 5.3.7.2; a server that refuses the user
//! or is not ready, written here in a few lines.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use unftp_core::auth::{AuthenticationError, Authenticator, Credentials, Principal};

/// One user: "wip", password "secret".
#[derive(Debug)]
struct OneUser;

#[async_trait::async_trait]
impl Authenticator for OneUser {
    async fn authenticate(
        &self,
        username: &str,
        creds: &Credentials,
    ) -> Result<Principal, AuthenticationError> {
        if username != "wip" {
            return Err(AuthenticationError::BadUser);
        }
        if creds.password.as_deref() != Some("secret") {
            return Err(AuthenticationError::BadPassword);
        }
        Ok(Principal {
            username: username.into(),
        })
    }
}

struct FtpServer {
    addr: SocketAddr,
    root: PathBuf,
    rt: Option<tokio::runtime::Runtime>,
}

impl Drop for FtpServer {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn ftp_server(name: &str) -> FtpServer {
    let root = std::env::temp_dir().join(format!("wip-sim-ftp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    // A port the system gave, handed to the server.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = root.clone();
    let server = libunftp::ServerBuilder::with_authenticator(
        Box::new(move || unftp_sbe_fs::Filesystem::new(dir.clone()).unwrap()),
        Arc::new(OneUser),
    )
    .active_passive_mode(libunftp::options::ActivePassiveMode::ActiveAndPassive)
    .build()
    .unwrap();
    rt.spawn(server.listen(addr.to_string()));
    let deadline = Instant::now() + Duration::from_secs(5);
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "the FTP server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    FtpServer {
        addr,
        root,
        rt: Some(rt),
    }
}

/// Waits until a file on the server holds `want` (5 s at most).
fn file_becomes(path: &std::path::Path, want: &[u8]) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if std::fs::read(path).is_ok_and(|d| d == want) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} never held the data",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn upload_escaped(u: &wip_sim::UartHandle, data: &[u8]) {
    let mut wire = wip_runtime::escape::escape(data);
    wire.push(0x03);
    for piece in wire.chunks(64 * 1024) {
        u.send(piece);
    }
}

#[test]
fn five_megabytes_up_and_down_in_every_mode() {
    let srv = ftp_server("modes");
    let sim = sim();
    route(&sim, "ftp.example.com", 21, srv.addr);
    let u = started(&sim);
    // Refusals from the server: the password (862).
    let out = at(
        &u,
        "AT+WIPCREATE=4,1,\"ftp.example.com\",21,\"wip\",\"wrong\"",
        "ERROR: 862\r\n",
    );
    assert_eq!(out, "\r\n+CME ERROR: 862\r\n");
    // Logged in: OK alone (6.1.8, 9.4), the peer port left out.
    assert_eq!(
        at(
            &u,
            "AT+WIPCREATE=4,1,\"ftp.example.com\",\"wip\",\"secret\"",
            "OK\r\n"
        ),
        "\r\nOK\r\n"
    );
    assert_eq!(
        at(&u, "AT+WIPOPT=4,1,1,40", "OK\r\n"),
        "\r\n+WIPOPT: 4,40,0\r\n\r\nOK\r\n"
    );
    assert_eq!(
        at(&u, "AT+WIPOPT=4,1,1,41", "OK\r\n"),
        "\r\n+WIPOPT: 4,41,1\r\n\r\nOK\r\n"
    );
    assert_eq!(at(&u, "AT+WIPOPT=4,1,2,40,1", "OK\r\n"), "\r\nOK\r\n");

    let big = pattern(5 << 20);
    assert!(big.contains(&0x03) && big.contains(&0x10));
    // Continuous mode up (2) and down (1).
    u.send(b"AT+WIPFILE=4,1,2,\"big.bin\"\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    upload_escaped(&u, &big);
    until(&u, b"\r\nOK\r\n", 60);
    assert!(std::fs::read(srv.root.join("big.bin")).unwrap() == big);
    let got = download(&u, "AT+WIPFILE=4,1,1,\"big.bin\"", "\r\nOK\r\n");
    assert!(got == big, "continuous download: {} bytes", got.len());

    // 6.1.2: the host's lone ETX takes the UART of a download back to AT
    // mode, the rest of the file abandoned; the session's next transfer
    // works.
    u.send(b"AT+WIPFILE=4,1,1,\"big.bin\"\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    u.send(b"\x03");
    until(&u, b"\r\nOK\r\n", 30);
    assert_eq!(at(&u, "AT", "OK\r\n"), "\r\nOK\r\n");

    // Append (5).
    u.send(b"AT+WIPFILE=4,1,5,\"big.bin\"\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    upload_escaped(&u, b"tail\x03\x10");
    until(&u, b"\r\nOK\r\n", 10);
    let mut appended = big.clone();
    appended.extend_from_slice(b"tail\x03\x10");
    assert!(std::fs::read(srv.root.join("big.bin")).unwrap() == appended);

    // Continuous transparent mode (<dle_mode> 1): bytes as they are, the
    // host leaves with +++.
    u.send(b"AT+WIPFILE=4,1,1,\"big.bin\",1\r");
    let mut got = until(&u, b"\r\nCONNECT\r\n", 5);
    got.clear();
    while got.len() < appended.len() {
        got.extend_from_slice(&u.recv_timeout(Duration::from_secs(10)).expect("data"));
    }
    assert!(got == appended, "transparent download: {} bytes", got.len());
    std::thread::sleep(Duration::from_millis(100));
    u.send(b"+++");
    assert_eq!(until(&u, b"\r\nOK\r\n", 5), b"\r\nOK\r\n");

    // A continuous transparent upload of `big`, left with `+++`.
    let upload_transparent = || {
        u.send(b"AT+WIPFILE=4,1,2,\"copy.bin\",1\r");
        until(&u, b"\r\nCONNECT\r\n", 5);
        for piece in big.chunks(64 * 1024) {
            u.send(piece);
        }
        std::thread::sleep(Duration::from_millis(200));
        u.send(b"+++");
        assert_eq!(until(&u, b"\r\nOK\r\n", 30), b"\r\nOK\r\n");
    };
    upload_transparent();
    // AT_WIP_NET_OPT_ESC_SEQ_NOT_SENT is 0 by default: the `+++` went on
    // to the server as data (4.1.3) ...
    let mut escaped = big.clone();
    escaped.extend_from_slice(b"+++");
    file_becomes(&srv.root.join("copy.bin"), &escaped);
    // ... and not once it is set.
    at(&u, "AT+WIPCFG=2,13,1", "OK\r\n");
    upload_transparent();
    file_becomes(&srv.root.join("copy.bin"), &big);
    at(&u, "AT+WIPCFG=2,13,0", "OK\r\n");

    // Data offline mode: upload (6) with +WIPDATARW, download (7) as
    // 200-byte blocks of the whole 5 MB.
    let out = at(&u, "AT+WIPFILE=4,1,6,\"./filename.txt\"", "OK\r\n");
    assert_eq!(out, "\r\n+WIPDATARW: 1,1\r\n\r\nOK\r\n");
    // 6.3.3: command 3 "is only supported for +WIPDATA session".
    let out = at(&u, "AT+WIPDATARW=3,1,\"3031\"", "801\r\n");
    assert_eq!(out, "\r\n+CME ERROR: 801\r\n");
    let out = at(&u, "AT+WIPDATARW=1,1,\"30313233343536373839\"", "OK\r\n");
    assert_eq!(
        out,
        "\r\n+WIPDATARW: 3,1,10\r\n\r\n+WIPDATARW: 0,1\r\n\r\nOK\r\n"
    );
    file_becomes(&srv.root.join("filename.txt"), b"0123456789");
    let out = at(&u, "AT+WIPFILE=4,1,7,\"./filename.txt\"", "OK\r\n");
    assert_eq!(
        out,
        "\r\n+WIPDATARW: 2,1,1,1,\"30313233343536373839\"\r\n\r\n+WIPDATARW: 0,1\r\n\r\nOK\r\n"
    );
    u.send(b"AT+WIPFILE=4,1,7,\"copy.bin\"\r");
    let out = until(&u, b"\r\n+WIPDATARW: 0,1\r\n\r\nOK\r\n", 60);
    let text = String::from_utf8(out).unwrap();
    let blocks = big.len().div_ceil(200);
    let mut back = Vec::new();
    for (i, line) in text
        .lines()
        .filter(|l| l.starts_with("+WIPDATARW: 2,"))
        .enumerate()
    {
        let head = format!("+WIPDATARW: 2,1,{blocks},{},\"", i + 1);
        let hex = line.strip_prefix(&head).unwrap().strip_suffix('"').unwrap();
        back.extend(wip_runtime::hexdump::decode(hex).unwrap());
    }
    assert!(back == big, "offline download: {} bytes", back.len());

    // Active mode (FTP_MODE 0) works too.
    assert_eq!(at(&u, "AT+WIPOPT=4,1,2,41,0", "OK\r\n"), "\r\nOK\r\n");
    let got = download(&u, "AT+WIPFILE=4,1,1,\"filename.txt\"", "\r\nOK\r\n");
    assert_eq!(got, b"0123456789");

    // An unknown file: the server's 550 is 860, and the session goes on.
    assert!(at(&u, "AT+WIPFILE=4,1,1,\"nothing.bin\"", "860\r\n").contains("+CME ERROR: 860"));
    let got = download(&u, "AT+WIPFILE=4,1,1,\"filename.txt\"", "\r\nOK\r\n");
    assert_eq!(got, b"0123456789");

    // Closing: OK, then +WIPPEERCLOSE (5.2.7).
    assert_eq!(
        at(&u, "AT+WIPCLOSE=4,1", "+WIPPEERCLOSE: 4,1\r\n"),
        "\r\nOK\r\n\r\n+WIPPEERCLOSE: 4,1\r\n"
    );
    stop(sim);
}

/// A server written here: greets with `greeting`, answers USER with
/// `user_reply`, then PASS with 230.
fn tiny_server(greeting: &'static str, user_reply: &'static str) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        let Ok((s, _)) = l.accept() else { return };
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let mut w = s.try_clone().unwrap();
        let _ = w.write_all(greeting.as_bytes());
        let mut r = BufReader::new(s);
        let mut line = String::new();
        while r.read_line(&mut line).is_ok_and(|n| n > 0) {
            let reply = if line.starts_with("USER") {
                user_reply
            } else if line.starts_with("PASS") {
                "230 in\r\n"
            } else if line.starts_with("ACCT") {
                "530 no account\r\n"
            } else {
                "221 bye\r\n"
            };
            let _ = w.write_all(reply.as_bytes());
            line.clear();
        }
    });
    addr
}

#[test]
fn refusals_map_to_the_manuals_codes() {
    let sim = sim();
    route(
        &sim,
        "user.example.com",
        21,
        tiny_server("220 hi\r\n", "530 no such user\r\n"),
    );
    route(
        &sim,
        "busy.example.com",
        21,
        tiny_server("421 busy\r\n", "331 pass\r\n"),
    );
    route(
        &sim,
        "acct.example.com",
        21,
        tiny_server("220 hi\r\n", "332 account?\r\n"),
    );
    let u = started(&sim);
    let other = sim.attach_memory();
    let cases = [
        ("user.example.com", 861),
        ("busy.example.com", 866),
        ("acct.example.com", 865),
        ("unrouted.example.com", 842),
    ];
    for (host, code) in cases {
        let line = format!("AT+WIPCREATE=4,1,\"{host}\",21,\"u\",\"p\"");
        let want = format!("+CME ERROR: {code}\r\n");
        assert!(at(&u, &line, &want).ends_with(&want), "{host}");
        // Other UARTs are served meanwhile.
        other.send(b"AT\r");
        until(&other, b"OK\r\n", 5);
    }
    stop(sim);
}

/// A server that breaks off a download: it sends part of the file, closes
/// the data connection and says so (426). The host gets what came, ETX,
/// and 860; other UARTs are served meanwhile. The server takes `TYPE A`
/// and `TYPE I` only, as some do (pyftpdlib refuses `TYPE A N`).
#[test]
fn a_download_broken_off_by_the_server() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        let Ok((s, _)) = l.accept() else { return };
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let mut w = s.try_clone().unwrap();
        let mut r = BufReader::new(s);
        let _ = w.write_all(b"220 hi\r\n");
        let mut data_l: Option<TcpListener> = None;
        let mut line = String::new();
        while r.read_line(&mut line).is_ok_and(|n| n > 0) {
            let cmd = line.trim_end().to_string();
            line.clear();
            let reply = if cmd.starts_with("USER") {
                "331 pass\r\n".to_string()
            } else if cmd.starts_with("PASS") {
                "230 in\r\n".to_string()
            } else if cmd == "TYPE A" || cmd == "TYPE I" {
                "200 ok\r\n".to_string()
            } else if cmd.starts_with("TYPE") {
                // As pyftpdlib answers `TYPE A N`.
                "504 Unsupported type\r\n".to_string()
            } else if cmd.starts_with("PASV") {
                let dl = TcpListener::bind("127.0.0.1:0").unwrap();
                let p = dl.local_addr().unwrap().port();
                data_l = Some(dl);
                format!(
                    "227 Entering Passive Mode (127,0,0,1,{},{})\r\n",
                    p >> 8,
                    p & 0xff
                )
            } else if cmd.starts_with("RETR") {
                let _ = w.write_all(b"150 here it comes\r\n");
                if let Some(dl) = data_l.take() {
                    if let Ok((mut d, _)) = dl.accept() {
                        let _ = d.write_all(b"partial");
                    }
                }
                "426 connection closed; transfer aborted\r\n".to_string()
            } else {
                "221 bye\r\n".to_string()
            };
            let _ = w.write_all(reply.as_bytes());
        }
    });
    let sim = sim();
    route(&sim, "ftp.example.com", 21, addr);
    let u = started(&sim);
    let other = sim.attach_memory();
    at(
        &u,
        "AT+WIPCREATE=4,1,\"ftp.example.com\",\"u\",\"p\"",
        "OK\r\n",
    );
    u.send(b"AT+WIPFILE=4,1,1,\"f.bin\"\r");
    let got = until(&u, b"\r\n+CME ERROR: 860\r\n", 10);
    assert_eq!(got, b"\r\nCONNECT\r\npartial\x03\r\n+CME ERROR: 860\r\n");
    other.send(b"AT\r");
    assert_eq!(until(&other, b"OK\r\n", 5), b"AT\r\r\nOK\r\n");
    stop(sim);
}

/// An FTP session closed from another UART: its owner is told at once
/// (`+WIPPEERCLOSE`, 5.2.7), not after its next command, where it would
/// read as the close of a session created since. A stack stop ends a
/// session without a URC, as it ends sockets.
#[test]
fn a_session_closed_elsewhere_is_told_at_once_and_a_stack_stop_tells_nothing() {
    let srv = ftp_server("closed-elsewhere");
    let sim = sim();
    route(&sim, "ftp.example.com", 21, srv.addr);
    let u = started(&sim);
    let create = "AT+WIPCREATE=4,1,\"ftp.example.com\",\"wip\",\"secret\"";
    assert_eq!(at(&u, create, "OK\r\n"), "\r\nOK\r\n");
    let other = sim.attach_memory();
    other.send(b"ATE0\r");
    until(&other, b"OK\r\n", 5);
    assert_eq!(at(&other, "AT+WIPCLOSE=4,1", "OK\r\n"), "\r\nOK\r\n");
    // The owner, idle, gets the URC without sending anything.
    assert_eq!(
        until(&u, b"+WIPPEERCLOSE: 4,1\r\n", 5),
        b"\r\n+WIPPEERCLOSE: 4,1\r\n"
    );
    // A new session; the stack stopped with it open: OK alone.
    assert_eq!(at(&u, create, "OK\r\n"), "\r\nOK\r\n");
    assert_eq!(at(&u, "AT+WIPCFG=0", "OK\r\n"), "\r\nOK\r\n");
    assert!(u.recv_timeout(Duration::from_millis(300)).is_none());
    stop(sim);
}

/// A server that ends an idle session (`421`, then its close): the
/// session is gone, its owner told with `+WIPPEERCLOSE` as after
/// `+WIPCLOSE` (5.2.7), and a new session can be created (no 840).
#[test]
fn a_session_the_server_ends_is_closed_and_told() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for (n, s) in l.incoming().flatten().enumerate() {
            std::thread::spawn(move || {
                let mut w = s.try_clone().unwrap();
                let _ = w.write_all(b"220 hi\r\n");
                let mut r = BufReader::new(s);
                let mut line = String::new();
                while r.read_line(&mut line).is_ok_and(|k| k > 0) {
                    let reply: &[u8] = if line.starts_with("USER") {
                        b"331 pass\r\n"
                    } else if line.starts_with("PASS") {
                        b"230 in\r\n"
                    } else {
                        b"221 bye\r\n"
                    };
                    let _ = w.write_all(reply);
                    line.clear();
                    // The first session is ended by the server once in.
                    if n == 0 && reply.starts_with(b"230") {
                        std::thread::sleep(Duration::from_millis(300));
                        let _ = w.write_all(b"421 Timeout.\r\n");
                        return;
                    }
                }
            });
        }
    });
    let sim = sim();
    route(&sim, "drop.example.com", 21, addr);
    let u = started(&sim);
    let create = "AT+WIPCREATE=4,1,\"drop.example.com\",\"u\",\"p\"";
    assert_eq!(at(&u, create, "OK\r\n"), "\r\nOK\r\n");
    assert_eq!(
        until(&u, b"+WIPPEERCLOSE: 4,1\r\n", 5),
        b"\r\n+WIPPEERCLOSE: 4,1\r\n"
    );
    assert_eq!(at(&u, create, "OK\r\n"), "\r\nOK\r\n");
    stop(sim);
}
