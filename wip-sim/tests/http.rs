//! HTTP sessions (5.1.2 mode 5, +WIPFILE 6.1.4) against a real HTTP server
//! (tiny_http) on loopback: GET, PUT, DELETE, POST, GET in data offline
//! mode, basic authentication, header fields, redirects, HTTP/1.0, and the
//! `+WIPFILE: 5,<index>,<mode>,<status>,"<reason>"` URC with what the
//! server answered.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use common::*;

/// What the server was sent: method, URL, headers, body.
type Seen = Arc<Mutex<Vec<(String, String, BTreeMap<String, String>, Vec<u8>)>>>;

struct Server {
    server: Arc<tiny_http::Server>,
    addr: std::net::SocketAddr,
    seen: Seen,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn server() -> Server {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let addr = server.server_addr().to_ip().unwrap();
    let seen: Seen = Arc::default();
    let store: Arc<Mutex<BTreeMap<String, Vec<u8>>>> = Arc::default();
    let (s, seen2) = (Arc::clone(&server), Arc::clone(&seen));
    let thread = std::thread::spawn(move || {
        for mut req in s.incoming_requests() {
            let mut body = Vec::new();
            let _ = req.as_reader().read_to_end(&mut body);
            let headers: BTreeMap<String, String> = req
                .headers()
                .iter()
                .map(|h| {
                    (
                        h.field.as_str().as_str().to_ascii_lowercase(),
                        h.value.to_string(),
                    )
                })
                .collect();
            let url = req.url().to_string();
            let method = req.method().as_str().to_string();
            seen2.lock().unwrap().push((
                method.clone(),
                url.clone(),
                headers.clone(),
                body.clone(),
            ));

            let reply = |code: u16, data: Vec<u8>| {
                tiny_http::Response::from_data(data).with_status_code(code)
            };
            // A proxy's request names the absolute URL.
            let url = match url
                .strip_prefix("http://")
                .and_then(|r| r.find('/').map(|i| &r[i..]))
            {
                Some(path) => path.to_string(),
                None => url,
            };
            let resp = match (method.as_str(), url.as_str()) {
                ("GET", "/hello") => reply(200, b"hello\x03world\x10!".to_vec()),
                ("GET", "/missing") => reply(404, b"no such page".to_vec()),
                ("GET", "/boom") => reply(500, b"it broke".to_vec()),
                ("GET", "/moved") => reply(302, Vec::new())
                    .with_header(tiny_http::Header::from_bytes("Location", "/hello").unwrap()),
                ("GET", "/private") => {
                    // user "wip", password "s3cret"
                    if headers.get("authorization").map(String::as_str)
                        == Some("Basic d2lwOnMzY3JldA==")
                    {
                        reply(200, b"welcome".to_vec())
                    } else {
                        reply(401, Vec::new())
                    }
                }
                ("GET", "/headers") => {
                    let v = format!(
                        "{}|{}",
                        headers.get("x-session").cloned().unwrap_or_default(),
                        headers.get("accept").cloned().unwrap_or_default()
                    );
                    reply(200, v.into_bytes())
                }
                ("PUT", _) => {
                    store.lock().unwrap().insert(url.clone(), body);
                    reply(201, Vec::new())
                }
                ("POST", _) => {
                    store.lock().unwrap().insert(url.clone(), body);
                    reply(200, b"stored".to_vec())
                }
                ("DELETE", _) => match store.lock().unwrap().remove(&url) {
                    Some(_) => reply(200, b"deleted".to_vec()),
                    None => reply(404, b"nothing there".to_vec()),
                },
                ("GET", _) => match store.lock().unwrap().get(&url) {
                    Some(d) => reply(200, d.clone()),
                    None => reply(404, Vec::new()),
                },
                _ => reply(405, Vec::new()),
            };
            let _ = req.respond(resp);
        }
    });
    Server {
        server,
        addr,
        seen,
        thread: Some(thread),
    }
}

fn escaped_upload(u: &wip_sim::UartHandle, data: &[u8]) {
    let mut wire = wip_runtime::escape::escape(data);
    wire.push(0x03);
    for piece in wire.chunks(64 * 1024) {
        u.send(piece);
    }
}

#[test]
fn get_put_delete_post_with_status_urcs() {
    let srv = server();
    let sim = sim();
    route(&sim, "www.example.com", 80, srv.addr);
    let u = started(&sim);
    assert_eq!(
        at(&u, "AT+WIPCREATE=5,1", "+WIPREADY: 5,1\r\n"),
        "\r\nOK\r\n\r\n+WIPREADY: 5,1\r\n"
    );
    // One session at a time (5.1.1).
    assert!(at(&u, "AT+WIPCREATE=5,2", "ERROR: 840\r\n").contains("+CME ERROR: 840"));

    // GET: the body with its DLE and ETX escaped, ETX, OK, the status.
    let got = download(
        &u,
        "AT+WIPFILE=5,1,1,\"http://www.example.com/hello\"",
        "\r\nOK\r\n\r\n+WIPFILE: 5,1,1,200,\"OK\"\r\n",
    );
    assert_eq!(got, b"hello\x03world\x10!");

    // PUT: the host's data, ended by ETX.
    u.send(b"AT+WIPFILE=5,1,2,\"http://www.example.com/t.json\"\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    escaped_upload(&u, b"{\"t\":21}");
    let tail = until(&u, b"+WIPFILE: 5,1,2,201,\"Created\"\r\n", 5);
    assert_eq!(tail, b"\r\nOK\r\n\r\n+WIPFILE: 5,1,2,201,\"Created\"\r\n");

    // A POST ended with `+++` (6.1.2): OK at once, the request still
    // goes out, and its status comes unsolicited (6.1.4).
    u.send(b"AT+WIPFILE=5,1,4,\"http://www.example.com/escaped\"\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    u.send(b"left with +++");
    std::thread::sleep(std::time::Duration::from_millis(200));
    u.send(b"+++");
    let tail = until(&u, b"+WIPFILE: 5,1,4,200,\"OK\"\r\n", 10);
    assert_eq!(tail, b"\r\nOK\r\n\r\n+WIPFILE: 5,1,4,200,\"OK\"\r\n");

    // DELETE: the response body is downloaded.
    let got = download(
        &u,
        "AT+WIPFILE=5,1,3,\"http://www.example.com/t.json\"",
        "\r\nOK\r\n\r\n+WIPFILE: 5,1,3,200,\"OK\"\r\n",
    );
    assert_eq!(got, b"deleted");

    // POST of 1 MB with every byte value, then GET it back: byte for byte.
    let big = pattern(1 << 20);
    u.send(b"AT+WIPFILE=5,1,4,\"http://www.example.com/big\"\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    escaped_upload(&u, &big);
    until(&u, b"\r\nOK\r\n\r\n+WIPFILE: 5,1,4,200,\"OK\"\r\n", 30);
    let got = download(
        &u,
        "AT+WIPFILE=5,1,1,\"http://www.example.com/big\"",
        "\r\nOK\r\n\r\n+WIPFILE: 5,1,1,200,\"OK\"\r\n",
    );
    assert!(got == big, "{} bytes back, {} sent", got.len(), big.len());

    // 404 and 500: the body the server sent, and its status.
    let got = download(
        &u,
        "AT+WIPFILE=5,1,1,\"http://www.example.com/missing\"",
        "\r\nOK\r\n\r\n+WIPFILE: 5,1,1,404,\"Not Found\"\r\n",
    );
    assert_eq!(got, b"no such page");
    let got = download(
        &u,
        "AT+WIPFILE=5,1,1,\"http://www.example.com/boom\"",
        "\r\nOK\r\n\r\n+WIPFILE: 5,1,1,500,\"Internal Server Error\"\r\n",
    );
    assert_eq!(got, b"it broke");

    let seen = srv.seen.lock().unwrap().clone();
    let put = seen.iter().find(|s| s.0 == "PUT").unwrap();
    assert_eq!(
        (put.1.as_str(), put.3.as_slice()),
        ("/t.json", b"{\"t\":21}".as_slice())
    );
    assert_eq!(
        put.2.get("host").map(String::as_str),
        Some("www.example.com")
    );
    // HTTP/1.1 by default (5.3.7.3): the body went out chunked.
    assert_eq!(
        put.2.get("transfer-encoding").map(String::as_str),
        Some("chunked")
    );
    assert!(seen.iter().any(|s| s.0 == "DELETE" && s.1 == "/t.json"));
    assert!(seen.iter().any(|s| s.0 == "POST" && s.3 == big));
    assert!(
        seen.iter()
            .any(|s| s.0 == "POST" && s.1 == "/escaped" && s.3 == b"left with ++++++"),
        "the escape's own +++ goes on as data: option 13 is 0 by default (4.1.3)"
    );

    assert_eq!(at(&u, "AT+WIPCLOSE=5,1", "OK\r\n"), "\r\nOK\r\n");
    assert!(at(&u, "AT+WIPCLOSE=5,1", "831\r\n").contains("+CME ERROR: 831"));
    stop(sim);
}

#[test]
fn auth_headers_redirects_options_and_offline_get() {
    let srv = server();
    let sim = sim();
    route(&sim, "www.example.com", 80, srv.addr);
    route(&sim, "proxy.example.com", 81, srv.addr);
    let u = started(&sim);
    // Through a proxy, with the session's header fields.
    let out = at(
        &u,
        "AT+WIPCREATE=5,1,\"proxy.example.com\",81,\"pu\",\"pp\",\"X-Session\",\" s1\"",
        "+WIPREADY: 5,1\r\n",
    );
    assert_eq!(out, "\r\nOK\r\n\r\n+WIPREADY: 5,1\r\n");
    // Options of 5.3.7.3 with the spec's defaults.
    assert_eq!(
        at(&u, "AT+WIPOPT=5,1,1,51", "OK\r\n"),
        "\r\n+WIPOPT: 5,51,0\r\n\r\nOK\r\n"
    );
    assert_eq!(
        at(&u, "AT+WIPOPT=5,1,1,52", "OK\r\n"),
        "\r\n+WIPOPT: 5,52,1\r\n\r\nOK\r\n"
    );
    assert!(at(&u, "AT+WIPOPT=5,1,1,54", "834\r\n").contains("+CME ERROR: 834"));
    let got = download(
        &u,
        "AT+WIPFILE=5,1,1,\"http://www.example.com/headers\",\"u\",\"p\",\"Accept\",\"text/html\"",
        "\r\nOK\r\n\r\n+WIPFILE: 5,1,1,200,\"OK\"\r\n",
    );
    assert_eq!(got, b"s1|text/html");
    {
        let seen = srv.seen.lock().unwrap();
        let last = seen.last().unwrap();
        // A proxy gets the absolute URL and its own credentials.
        assert_eq!(last.1, "http://www.example.com/headers");
        assert_eq!(
            last.2.get("proxy-authorization").map(String::as_str),
            Some("Basic cHU6cHA=")
        );
        assert_eq!(
            last.2.get("authorization").map(String::as_str),
            Some("Basic dTpw")
        );
    }
    assert_eq!(at(&u, "AT+WIPCLOSE=5,1", "OK\r\n"), "\r\nOK\r\n");

    at(&u, "AT+WIPCREATE=5,2", "+WIPREADY: 5,2\r\n");
    // Basic authentication: refused without, accepted with.
    download(
        &u,
        "AT+WIPFILE=5,2,1,\"http://www.example.com/private\"",
        "\r\nOK\r\n\r\n+WIPFILE: 5,2,1,401,\"Unauthorized\"\r\n",
    );
    let got = download(
        &u,
        "AT+WIPFILE=5,2,1,\"http://www.example.com/private\",\"wip\",\"s3cret\"",
        "\r\nOK\r\n\r\n+WIPFILE: 5,2,1,200,\"OK\"\r\n",
    );
    assert_eq!(got, b"welcome");
    // Redirects are followed; with WIP_COPT_HTTP_MAXREDIRECT 0 they are not.
    let got = download(
        &u,
        "AT+WIPFILE=5,2,1,\"http://www.example.com/moved\"",
        "\r\nOK\r\n\r\n+WIPFILE: 5,2,1,200,\"OK\"\r\n",
    );
    assert_eq!(got, b"hello\x03world\x10!");
    assert_eq!(at(&u, "AT+WIPOPT=5,2,2,53,0", "OK\r\n"), "\r\nOK\r\n");
    download(
        &u,
        "AT+WIPFILE=5,2,1,\"http://www.example.com/moved\"",
        "\r\nOK\r\n\r\n+WIPFILE: 5,2,1,302,\"Found\"\r\n",
    );
    // HTTP/1.0: the body goes out with its length.
    assert_eq!(at(&u, "AT+WIPOPT=5,2,2,52,0", "OK\r\n"), "\r\nOK\r\n");
    u.send(b"AT+WIPFILE=5,2,2,\"http://www.example.com/v10\"\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    escaped_upload(&u, b"abc");
    until(&u, b"+WIPFILE: 5,2,2,201,\"Created\"\r\n", 5);
    {
        let seen = srv.seen.lock().unwrap();
        let last = seen.last().unwrap();
        assert_eq!(last.2.get("content-length").map(String::as_str), Some("3"));
        assert_eq!(last.3, b"abc");
    }
    // GET in data offline mode (mode 7): 200-byte hex blocks (6.3).
    let out = at(
        &u,
        "AT+WIPFILE=5,2,7,\"http://www.example.com/hello\"",
        "+WIPFILE: 5,2,7,200,\"OK\"\r\n",
    );
    assert_eq!(
        out,
        "\r\n+WIPDATARW: 2,2,1,1,\"68656C6C6F03776F726C641021\"\r\n\r\n+WIPDATARW: 0,2\r\n\r\nOK\r\n\r\n+WIPFILE: 5,2,7,200,\"OK\"\r\n"
    );
    // A server that cannot be reached: 839, and the session goes on.
    assert!(at(
        &u,
        "AT+WIPFILE=5,2,1,\"http://nowhere.example.com/\"",
        "839\r\n"
    )
    .contains("+CME ERROR: 839"));
    stop(sim);
}

/// A server on loopback that takes one connection, reads the request and
/// writes `answer` (whole or cut short, as the test needs).
fn one_answer(answer: &'static [u8]) -> (std::net::SocketAddr, std::thread::JoinHandle<()>) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let t = std::thread::spawn(move || {
        if let Ok((mut s, _)) = l.accept() {
            let mut buf = [0u8; 1024];
            let _ = std::io::Read::read(&mut s, &mut buf);
            let _ = std::io::Write::write_all(&mut s, answer);
        }
    });
    (addr, t)
}

/// [`one_answer`], the connection then held open until the sender it
/// gives is used or dropped (at most 10 s): a download that stays running.
fn held_answer(
    answer: &'static [u8],
) -> (
    std::net::SocketAddr,
    std::sync::mpsc::Sender<()>,
    std::thread::JoinHandle<()>,
) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let t = std::thread::spawn(move || {
        if let Ok((mut s, _)) = l.accept() {
            let mut buf = [0u8; 1024];
            let _ = std::io::Read::read(&mut s, &mut buf);
            let _ = std::io::Write::write_all(&mut s, answer);
            let _ = done_rx.recv_timeout(std::time::Duration::from_secs(10));
        }
    });
    (addr, done_tx, t)
}

/// A proxy that no route allows is unreachable (842), and a server that
/// closes in the middle of a body ends the download with ETX and 860,
/// while other UARTs keep being served.
#[test]
fn refused_proxy_and_a_server_that_breaks_off() {
    let (addr, t) = one_answer(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial");
    let sim = sim();
    route(&sim, "broken.example.com", 80, addr);
    let u = started(&sim);
    let other = sim.attach_memory();
    assert!(
        at(&u, "AT+WIPCREATE=5,1,\"proxy.example.com\",81", "842\r\n").contains("+CME ERROR: 842")
    );
    at(&u, "AT+WIPCREATE=5,1", "+WIPREADY: 5,1\r\n");
    u.send(b"AT+WIPFILE=5,1,1,\"http://broken.example.com/\"\r");
    let got = until(&u, b"\r\n+CME ERROR: 860\r\n", 10);
    assert_eq!(got, b"\r\nCONNECT\r\npartial\x03\r\n+CME ERROR: 860\r\n");
    other.send(b"AT\r");
    assert_eq!(until(&other, b"OK\r\n", 5), b"AT\r\r\nOK\r\n");
    t.join().unwrap();
    stop(sim);
}

/// A session closed from another UART while a download runs: the UART in
/// data mode gets the [ETX] that ends a download (6.1.5) and is back in AT
/// mode with OK, and the emulator's threads end.
#[test]
fn closing_the_session_ends_a_running_download() {
    let (addr, done_tx, _server) =
        held_answer(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nstart");
    // The server's timeout is long: the download's thread must end
    // because the session is closed, not because the server timed out.
    let sim = {
        let d = std::sync::Arc::new(wip_sim::default_dialect().unwrap());
        let cfg = wip_sim::SimConfig {
            guard: std::time::Duration::from_millis(50),
            routed_only: true,
            service_timeout: std::time::Duration::from_secs(60),
            ..wip_sim::SimConfig::default()
        };
        wip_sim::Sim::start(d, cfg, None).unwrap()
    };
    route(&sim, "slow.example.com", 80, addr);
    let u = started(&sim);
    let other = sim.attach_memory();
    at(&other, "ATE0", "OK\r\n");
    at(&u, "AT+WIPCREATE=5,1", "+WIPREADY: 5,1\r\n");
    u.send(b"AT+WIPFILE=5,1,1,\"http://slow.example.com/\"\r");
    assert_eq!(until(&u, b"start", 5), b"\r\nCONNECT\r\nstart");
    assert_eq!(at(&other, "AT+WIPCLOSE=5,1", "OK\r\n"), "\r\nOK\r\n");
    // The download ends with its [ETX] (6.1.5), then the OK.
    assert_eq!(until(&u, b"OK\r\n", 5), b"\x03\r\nOK\r\n");
    // The UART takes commands again.
    assert_eq!(at(&u, "AT", "OK\r\n"), "\r\nOK\r\n");
    let t0 = std::time::Instant::now();
    while sim.threads() > 0 {
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(5),
            "the download's thread lives on"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    stop(sim);
    let _ = done_tx.send(());
}

/// A reason phrase holding a double quote, which an AT string cannot
/// carry: the URC writes it as `'`, so that the line still parses (and
/// `wip verify` takes it).
#[test]
fn a_reason_phrase_with_quotes_stays_one_quoted_string() {
    let (addr, t) = one_answer(
        b"HTTP/1.1 200 He said \"hi\"\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    );
    let sim = sim();
    route(&sim, "quote.example.com", 80, addr);
    let u = started(&sim);
    at(&u, "AT+WIPCREATE=5,1", "+WIPREADY: 5,1\r\n");
    u.send(b"AT+WIPFILE=5,1,1,\"http://quote.example.com/\"\r");
    let got = until(&u, b"+WIPFILE: 5,1,1,200,\"He said 'hi'\"\r\n", 10);
    let text = String::from_utf8_lossy(&got);
    let line = text
        .lines()
        .find(|l| l.starts_with("+WIPFILE:"))
        .unwrap_or_default();
    assert!(
        wip_sim::default_dialect()
            .map(|d| wip_schema::parse_message(&d, line, None).is_ok())
            .unwrap_or(false),
        "{line}"
    );
    t.join().unwrap();
    stop(sim);
}

/// The host's ETX ends a download and switches the UART back to AT mode
/// (6.1.2): a command line in the same write as the ETX is read in AT
/// mode, as it is when it comes in a write of its own.
#[test]
fn a_command_in_the_write_of_the_etx_that_ends_a_download_is_answered() {
    let answer = |split: bool| {
        let (addr, done_tx, t) =
            held_answer(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nstart");
        let sim = sim();
        route(&sim, "slow.example.com", 80, addr);
        let u = started(&sim);
        at(&u, "AT+WIPCREATE=5,1", "+WIPREADY: 5,1\r\n");
        u.send(b"AT+WIPFILE=5,1,1,\"http://slow.example.com/\"\r");
        assert_eq!(until(&u, b"start", 5), b"\r\nCONNECT\r\nstart");
        if split {
            u.send(b"\x03");
            u.send(b"AT+WIPCFG=3\r");
        } else {
            u.send(b"\x03AT+WIPCFG=3\r");
        }
        let got = until(&u, b"WIPsoft:v5.41\r\n\r\nOK\r\n", 5);
        let _ = done_tx.send(());
        t.join().unwrap();
        stop(sim);
        got
    };
    let whole = answer(false);
    assert!(whole.starts_with(b"\r\nOK\r\n"), "{whole:?}");
    assert_eq!(whole, answer(true));
}

/// An HTTP/1.1 upload's request is the same bytes however the host's
/// writes were cut: its body goes out in chunks of 4 KiB and a last one
/// with the rest, not one chunk a write.
#[test]
fn an_upload_request_does_not_follow_the_hosts_writes() {
    let body: Vec<u8> = (0..5000u32)
        .map(|i| b"abc\x03\x10xyz"[(i % 8) as usize])
        .collect();
    let request = |piece: usize| {
        // A server that records the request up to the end of its chunked
        // body, then answers 201.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let t = std::thread::spawn(move || {
            let mut got = Vec::new();
            if let Ok((mut s, _)) = l.accept() {
                let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                let mut buf = [0u8; 4096];
                while !got.ends_with(b"\r\n0\r\n\r\n") {
                    match std::io::Read::read(&mut s, &mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = std::io::Write::write_all(
                    &mut s,
                    b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
                );
            }
            got
        });
        let sim = sim();
        route(&sim, "www.example.com", 80, addr);
        let u = started(&sim);
        at(&u, "AT+WIPCREATE=5,1", "+WIPREADY: 5,1\r\n");
        u.send(b"AT+WIPFILE=5,1,2,\"http://www.example.com/up\"\r");
        until(&u, b"\r\nCONNECT\r\n", 5);
        let mut wire = wip_runtime::escape::escape(&body);
        wire.push(0x03);
        for p in wire.chunks(piece) {
            u.send(p);
        }
        until(&u, b"+WIPFILE: 5,1,2,201,\"Created\"\r\n", 10);
        stop(sim);
        t.join().unwrap()
    };
    let whole = request(1 << 20);
    // After the head: a chunk of 4096 bytes, one of the 904 left, the end.
    let mut chunked = b"1000\r\n".to_vec();
    chunked.extend_from_slice(&body[..4096]);
    chunked.extend_from_slice(b"\r\n388\r\n");
    chunked.extend_from_slice(&body[4096..]);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let head_end = whole.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert_eq!(&whole[head_end..], &chunked[..]);
    for piece in [1, 7, 1000] {
        assert_eq!(request(piece), whole, "writes of {piece} bytes");
    }
}

/// A server that answers an upload before reading its body (413 here) and
/// closes: the host gets the server's status, never 860, however far the
/// body got before the emulator found the connection closed.
#[test]
fn an_upload_answered_early_reports_the_servers_status() {
    for http11 in [false, true] {
        let (addr, t) = one_answer(
            b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        let sim = sim();
        route(&sim, "www.example.com", 80, addr);
        let u = started(&sim);
        at(&u, "AT+WIPCREATE=5,1", "+WIPREADY: 5,1\r\n");
        if !http11 {
            // HTTP/1.0 (option 52 at 0): the body is sent whole at the ETX.
            at(&u, "AT+WIPOPT=5,1,2,52,0", "OK\r\n");
        }
        u.send(b"AT+WIPFILE=5,1,2,\"http://www.example.com/up\"\r");
        until(&u, b"\r\nCONNECT\r\n", 5);
        // Part of the body, time for the server to answer and close, then
        // the rest: writes after the close fail.
        let body = vec![b'x'; 256 * 1024];
        for (n, piece) in body.chunks(8 * 1024).enumerate() {
            u.send(piece);
            if n == 0 {
                std::thread::sleep(std::time::Duration::from_millis(300));
            }
        }
        u.send(b"\x03");
        let got = until(&u, b"+WIPFILE: 5,1,2,413,\"Payload Too Large\"\r\n", 10);
        let text = String::from_utf8_lossy(&got);
        assert!(!text.contains("860"), "HTTP/1.1 {http11}: {text}");
        stop(sim);
        t.join().unwrap();
    }
}
