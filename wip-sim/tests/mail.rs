//! SMTP (5.1.2 mode 6) and POP3 (mode 7) sessions against an SMTP and a
//! POP3 server written here over one mailbox, on loopback: a mail with CC
//! and BCC is delivered, then read back over POP3 with retrieve-and-delete;
//! refusals (sender, recipient, CC, authentication, an unknown mail) are
//! answered with the manual's codes.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use common::*;

/// A mail as the SMTP server got it: envelope recipients and content.
#[derive(Debug, Clone)]
struct Mail {
    rcpt: Vec<String>,
    data: Vec<u8>,
}

type Box_ = Arc<Mutex<Vec<Option<Mail>>>>;

fn serve(l: TcpListener, f: impl Fn(TcpStream) + Send + Sync + 'static) {
    let f = Arc::new(f);
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let f = Arc::clone(&f);
            std::thread::spawn(move || f(s));
        }
    });
}

fn lines(s: &TcpStream) -> (BufReader<TcpStream>, TcpStream) {
    let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(10)));
    (
        BufReader::new(s.try_clone().unwrap()),
        s.try_clone().unwrap(),
    )
}

fn smtp_server(mailbox: Box_) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    serve(l, move |s| {
        let (mut r, mut w) = lines(&s);
        let _ = w.write_all(b"220 test.example SMTP ready\r\n");
        let mut rcpt = Vec::new();
        let mut line = String::new();
        while r.read_line(&mut line).is_ok_and(|n| n > 0) {
            let cmd = line.trim_end().to_string();
            line.clear();
            let reply: &[u8] = if cmd.starts_with("EHLO") {
                b"250-test.example\r\n250 AUTH PLAIN\r\n"
            } else if let Some(tok) = cmd.strip_prefix("AUTH PLAIN ") {
                let raw = base64::engine::general_purpose::STANDARD
                    .decode(tok)
                    .unwrap_or_default();
                if raw == b"\0wip\0secret" {
                    b"235 ok\r\n"
                } else {
                    b"535 bad credentials\r\n"
                }
            } else if cmd.starts_with("MAIL FROM:") {
                rcpt.clear();
                if cmd.contains("refused") {
                    b"550 sender refused\r\n"
                } else {
                    b"250 ok\r\n"
                }
            } else if let Some(a) = cmd.strip_prefix("RCPT TO:") {
                if a.contains("refused") {
                    b"550 no such user\r\n"
                } else {
                    rcpt.push(a.trim_matches(['<', '>']).to_string());
                    b"250 ok\r\n"
                }
            } else if cmd == "DATA" {
                let _ = w.write_all(b"354 go on\r\n");
                let mut data = Vec::new();
                let mut l = Vec::new();
                loop {
                    l.clear();
                    if r.read_until(b'\n', &mut l).unwrap_or(0) == 0 {
                        return;
                    }
                    if l == b".\r\n" {
                        break;
                    }
                    data.extend_from_slice(l.strip_prefix(b".").unwrap_or(&l));
                }
                mailbox.lock().unwrap().push(Some(Mail {
                    rcpt: rcpt.clone(),
                    data,
                }));
                b"250 queued as 1\r\n"
            } else if cmd == "QUIT" {
                let _ = w.write_all(b"221 bye\r\n");
                return;
            } else {
                b"250 ok\r\n"
            };
            let _ = w.write_all(reply);
        }
    });
    addr
}

fn pop3_server(mailbox: Box_) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    serve(l, move |s| {
        let (mut r, mut w) = lines(&s);
        let _ = w.write_all(b"+OK POP3 ready\r\n");
        let mut user_ok = false;
        let mut deleted = Vec::new();
        let mut line = String::new();
        while r.read_line(&mut line).is_ok_and(|n| n > 0) {
            let cmd = line.trim_end().to_string();
            line.clear();
            let mb = mailbox.lock().unwrap().clone();
            let live: Vec<(usize, &Mail)> = mb
                .iter()
                .enumerate()
                .filter(|(i, m)| m.is_some() && !deleted.contains(&(i + 1)))
                .map(|(i, m)| (i + 1, m.as_ref().unwrap()))
                .collect();
            let num = |c: &str| c.split(' ').nth(1).and_then(|n| n.parse::<usize>().ok());
            let reply = if let Some(u) = cmd.strip_prefix("USER ") {
                user_ok = u == "wip";
                if user_ok {
                    "+OK\r\n".into()
                } else {
                    "-ERR who?\r\n".into()
                }
            } else if let Some(p) = cmd.strip_prefix("PASS ") {
                if user_ok && p == "secret" {
                    "+OK in\r\n".into()
                } else {
                    "-ERR no\r\n".into()
                }
            } else if cmd == "STAT" {
                let size: usize = live.iter().map(|(_, m)| m.data.len()).sum();
                format!("+OK {} {size}\r\n", live.len())
            } else if cmd == "LIST" {
                let mut out = "+OK\r\n".to_string();
                for (i, m) in &live {
                    out.push_str(&format!("{i} {}\r\n", m.data.len()));
                }
                out + ".\r\n"
            } else if cmd.starts_with("RETR") {
                match num(&cmd).and_then(|n| live.iter().find(|(i, _)| *i == n)) {
                    Some((_, m)) => {
                        let text = String::from_utf8_lossy(&m.data).to_string();
                        let mut out = "+OK\r\n".to_string();
                        for l in text.split_inclusive("\r\n") {
                            if l.starts_with('.') {
                                out.push('.');
                            }
                            out.push_str(l);
                        }
                        out + ".\r\n"
                    }
                    None => "-ERR no such message\r\n".into(),
                }
            } else if cmd.starts_with("DELE") {
                match num(&cmd).filter(|n| live.iter().any(|(i, _)| i == n)) {
                    Some(n) => {
                        deleted.push(n);
                        "+OK\r\n".into()
                    }
                    None => "-ERR no such message\r\n".into(),
                }
            } else if cmd == "QUIT" {
                let mut mb = mailbox.lock().unwrap();
                for n in &deleted {
                    if let Some(slot) = mb.get_mut(n - 1) {
                        *slot = None;
                    }
                }
                let _ = w.write_all(b"+OK bye\r\n");
                return;
            } else {
                "-ERR unknown\r\n".to_string()
            };
            let _ = w.write_all(reply.as_bytes());
        }
    });
    addr
}

#[test]
fn a_mail_with_cc_and_bcc_sent_then_retrieved_and_deleted() {
    let mailbox: Box_ = Arc::default();
    let sim = sim();
    route(
        &sim,
        "smtp.example.com",
        25,
        smtp_server(Arc::clone(&mailbox)),
    );
    route(
        &sim,
        "pop.example.com",
        110,
        pop3_server(Arc::clone(&mailbox)),
    );
    let u = started(&sim);

    // Authentication refused: 865.
    let out = at(
        &u,
        "AT+WIPCREATE=6,1,\"smtp.example.com\",25,\"wip\",\"nope\"",
        "865\r\n",
    );
    assert_eq!(out, "\r\n+CME ERROR: 865\r\n");
    let out = at(
        &u,
        "AT+WIPCREATE=6,1,\"smtp.example.com\",25,\"wip\",\"secret\"",
        "+WIPREADY: 6,1\r\n",
    );
    assert_eq!(out, "\r\nOK\r\n\r\n+WIPREADY: 6,1\r\n");
    assert_eq!(
        at(&u, "AT+WIPOPT=6,1,1,60", "OK\r\n"),
        "\r\n+WIPOPT: 6,60,220,\"220 test.example SMTP ready\"\r\n\r\nOK\r\n"
    );
    all_ok(
        &u,
        &[
            "AT+WIPOPT=6,1,2,61,\"sender@mail.com\"",
            "AT+WIPOPT=6,1,2,62,\"sender name\"",
            "AT+WIPOPT=6,1,2,63,\"rec01@mail.com, rec02@mail.com\"",
            "AT+WIPOPT=6,1,2,64,\"ccrec01@mail.com, ccrec02@mail.com\"",
            "AT+WIPOPT=6,1,2,65,\"bccrec01@mail.com, bccrec02@mail.com\"",
            "AT+WIPOPT=6,1,2,66,\"mail subject\"",
        ],
    );
    assert_eq!(
        at(&u, "AT+WIPOPT=6,1,1,66", "OK\r\n"),
        "\r\n+WIPOPT: 6,66,\"mail subject\"\r\n\r\nOK\r\n"
    );
    u.send(b"AT+WIPFILE=6,1,2\r");
    until(&u, b"\r\nCONNECT\r\n", 5);
    u.send(b"Hello,\r\n.a line with a dot\r\nbye\x03");
    assert_eq!(until(&u, b"\r\nOK\r\n", 10), b"\r\nOK\r\n");
    assert_eq!(
        at(&u, "AT+WIPOPT=6,1,1,60", "OK\r\n"),
        "\r\n+WIPOPT: 6,60,250,\"250 queued as 1\"\r\n\r\nOK\r\n"
    );
    let sent = mailbox.lock().unwrap()[0].clone().unwrap();
    assert_eq!(
        sent.rcpt,
        [
            "rec01@mail.com",
            "rec02@mail.com",
            "ccrec01@mail.com",
            "ccrec02@mail.com",
            "bccrec01@mail.com",
            "bccrec02@mail.com"
        ]
    );
    let text = String::from_utf8(sent.data.clone()).unwrap();
    assert_eq!(
        text,
        "From: \"sender name\" <sender@mail.com>\r\nTo: rec01@mail.com, rec02@mail.com\r\n\
         Cc: ccrec01@mail.com, ccrec02@mail.com\r\nSubject: mail subject\r\n\r\n\
         Hello,\r\n.a line with a dot\r\nbye\r\n"
    );
    // Refusals, each with its code; the session goes on.
    at(&u, "AT+WIPOPT=6,1,2,64,\"refused@mail.com\"", "OK\r\n");
    assert!(at(&u, "AT+WIPFILE=6,1,2", "882\r\n").ends_with("+CME ERROR: 882\r\n"));
    at(&u, "AT+WIPOPT=6,1,2,63,\"refused@mail.com\"", "OK\r\n");
    assert!(at(&u, "AT+WIPFILE=6,1,2", "881\r\n").ends_with("+CME ERROR: 881\r\n"));
    // Option 60 gives the reply that refused the mail, not the one to the
    // RSET after it (5.3.7.4: the last protocol error).
    assert_eq!(
        at(&u, "AT+WIPOPT=6,1,1,60", "OK\r\n"),
        "\r\n+WIPOPT: 6,60,550,\"550 no such user\"\r\n\r\nOK\r\n"
    );
    at(&u, "AT+WIPOPT=6,1,2,61,\"refused@mail.com\"", "OK\r\n");
    assert!(at(&u, "AT+WIPFILE=6,1,2", "880\r\n").ends_with("+CME ERROR: 880\r\n"));
    assert_eq!(
        at(&u, "AT+WIPOPT=6,1,1,60", "OK\r\n"),
        "\r\n+WIPOPT: 6,60,550,\"550 sender refused\"\r\n\r\nOK\r\n"
    );
    assert_eq!(at(&u, "AT+WIPCLOSE=6,1", "OK\r\n"), "\r\nOK\r\n");

    // POP3: a wrong password is 862.
    let out = at(
        &u,
        "AT+WIPCREATE=7,1,\"pop.example.com\",110,\"wip\",\"nope\"",
        "862\r\n",
    );
    assert_eq!(out, "\r\n+CME ERROR: 862\r\n");
    let out = at(
        &u,
        "AT+WIPCREATE=7,1,\"pop.example.com\",110,\"wip\",\"secret\"",
        "+WIPREADY: 7,1\r\n",
    );
    assert_eq!(out, "\r\nOK\r\n\r\n+WIPREADY: 7,1\r\n");
    let size = sent.data.len();
    assert_eq!(
        at(&u, "AT+WIPOPT=7,1,1,71", "OK\r\n"),
        "\r\n+WIPOPT: 7,71,1\r\n\r\nOK\r\n"
    );
    assert_eq!(
        at(&u, "AT+WIPOPT=7,1,1,72", "OK\r\n"),
        format!("\r\n+WIPOPT: 7,72,{size}\r\n\r\nOK\r\n")
    );
    assert_eq!(
        at(&u, "AT+WIPOPT=7,1,1,73", "OK\r\n"),
        format!("\r\n+WIPOPT: 7,73,\"1,{size}\"\r\n\r\nOK\r\n")
    );
    // Retrieve and delete (3): the mail as sent, dot line included.
    let got = download(&u, "AT+WIPFILE=7,1,3,\"1\"", "\r\nOK\r\n");
    assert_eq!(got, sent.data);
    assert_eq!(
        at(&u, "AT+WIPOPT=7,1,1,71", "OK\r\n"),
        "\r\n+WIPOPT: 7,71,0\r\n\r\nOK\r\n"
    );
    // An unknown mail: 867.
    assert!(at(&u, "AT+WIPFILE=7,1,1,\"9\"", "867\r\n").ends_with("+CME ERROR: 867\r\n"));
    assert_eq!(at(&u, "AT+WIPCLOSE=7,1", "OK\r\n"), "\r\nOK\r\n");
    // The deletion took effect on the server once the session quit.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while mailbox.lock().unwrap()[0].is_some() {
        assert!(std::time::Instant::now() < deadline, "mail not deleted");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    stop(sim);
}

#[test]
fn pop3_offline_retrieve_and_delete_option() {
    let mailbox: Box_ = Arc::new(Mutex::new(vec![
        Some(Mail {
            rcpt: vec![],
            data: b"Subject: one\r\n\r\nfirst\r\n".to_vec(),
        }),
        Some(Mail {
            rcpt: vec![],
            data: b"Subject: two\r\n\r\nsecond\r\n".to_vec(),
        }),
    ]));
    let sim = sim();
    route(
        &sim,
        "pop.example.com",
        110,
        pop3_server(Arc::clone(&mailbox)),
    );
    let u = started(&sim);
    at(
        &u,
        "AT+WIPCREATE=7,1,\"pop.example.com\",110,\"wip\",\"secret\"",
        "+WIPREADY: 7,1\r\n",
    );
    // A mail id is "in string format" (6.1.5), the listing's digits: a
    // name is refused before the server is asked.
    assert_eq!(
        at(&u, "AT+WIPFILE=7,1,7,\"two\"", "ERROR: 801\r\n"),
        "\r\n+CME ERROR: 801\r\n"
    );
    // Data offline retrieval (7): hex blocks, then the session's end.
    let out = at(&u, "AT+WIPFILE=7,1,7,\"2\"", "OK\r\n");
    let hex = wip_runtime::hexdump::encode(b"Subject: two\r\n\r\nsecond\r\n");
    assert_eq!(
        out,
        format!("\r\n+WIPDATARW: 2,1,1,1,\"{hex}\"\r\n\r\n+WIPDATARW: 0,1\r\n\r\nOK\r\n")
    );
    // POP3_DELETE_MAIL: echoed (5.3.6) once the server deleted it; the
    // mailbox read right after has one mail.
    assert_eq!(
        at(&u, "AT+WIPOPT=7,1,2,74,1", "OK\r\n"),
        "\r\n+WIPOPT: 7,74,1\r\n\r\nOK\r\n"
    );
    assert_eq!(
        at(&u, "AT+WIPOPT=7,1,1,71", "OK\r\n"),
        "\r\n+WIPOPT: 7,71,1\r\n\r\nOK\r\n"
    );
    // A deletion the server refuses is 863, protocol delete error (5.3.5),
    // and its reply is the session's last status (option 70).
    assert_eq!(
        at(&u, "AT+WIPOPT=7,1,2,74,1", "863\r\n"),
        "\r\n+CME ERROR: 863\r\n"
    );
    let status = at(&u, "AT+WIPOPT=7,1,1,70", "OK\r\n");
    assert!(status.starts_with("\r\n+WIPOPT: 7,70,1,\"-ERR"), "{status}");
    stop(sim);
}

/// A POP3 server that refuses STAT, LIST and RETR: what it refused reads
/// 864, list error (5.3.5), not an empty mailbox, and option 70 holds the
/// last refusal (5.3.7.5: "last protocol error code and associated error
/// string").
#[test]
fn pop3_refusals_are_the_sessions_status_and_an_unknown_mailbox_is_864() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    serve(l, move |s| {
        let (mut r, mut w) = lines(&s);
        let _ = w.write_all(b"+OK POP3 ready\r\n");
        let mut line = String::new();
        while r.read_line(&mut line).is_ok_and(|n| n > 0) {
            let reply = match line.trim_end() {
                "STAT" | "LIST" => "-ERR auth first\r\n",
                c if c.starts_with("RETR") => "-ERR no such message\r\n",
                _ => "+OK bye\r\n",
            };
            line.clear();
            let _ = w.write_all(reply.as_bytes());
        }
    });
    let sim = sim();
    route(&sim, "pop.example.com", 110, addr);
    let u = started(&sim);
    at(
        &u,
        "AT+WIPCREATE=7,1,\"pop.example.com\",110",
        "+WIPREADY: 7,1\r\n",
    );
    for opt in [71, 72, 73] {
        assert_eq!(
            at(&u, &format!("AT+WIPOPT=7,1,1,{opt}"), "\r\n"),
            "\r\n+CME ERROR: 864\r\n",
            "option {opt}"
        );
    }
    assert_eq!(
        at(&u, "AT+WIPOPT=7,1,1,70", "OK\r\n"),
        "\r\n+WIPOPT: 7,70,1,\"-ERR auth first\"\r\n\r\nOK\r\n"
    );
    assert!(at(&u, "AT+WIPFILE=7,1,1,\"1\"", "867\r\n").ends_with("+CME ERROR: 867\r\n"));
    assert_eq!(
        at(&u, "AT+WIPOPT=7,1,1,70", "OK\r\n"),
        "\r\n+WIPOPT: 7,70,1,\"-ERR no such message\"\r\n\r\nOK\r\n"
    );
    stop(sim);
}

/// A send the server refuses before the data offline session opens (its
/// sender) answers the `AT+WIPFILE` with its code (880, 10.1): the command
/// does not wait for ever, and the UART takes commands again.
#[test]
fn an_offline_send_refused_before_its_session_opens_answers_its_code() {
    let mailbox: Box_ = Arc::default();
    let sim = sim();
    route(&sim, "smtp.example.com", 25, smtp_server(mailbox));
    let u = started(&sim);
    let out = at(
        &u,
        "AT+WIPCREATE=6,1,\"smtp.example.com\",25,\"wip\",\"secret\"",
        "+WIPREADY: 6,1\r\n",
    );
    assert_eq!(out, "\r\nOK\r\n\r\n+WIPREADY: 6,1\r\n");
    all_ok(
        &u,
        &[
            "AT+WIPOPT=6,1,2,61,\"refused@mail.com\"",
            "AT+WIPOPT=6,1,2,63,\"rec01@mail.com\"",
        ],
    );
    assert_eq!(
        at(&u, "AT+WIPFILE=6,1,6", "\r\n+CME ERROR: 880\r\n"),
        "\r\n+CME ERROR: 880\r\n"
    );
    assert_eq!(at(&u, "AT", "OK\r\n"), "\r\nOK\r\n");
}
