//! The servers `wip replay` stages on loopback for the modem's services
//! (`@server`): HTTP (also a proxy), FTP (passive mode), SMTP, POP3 and an
//! MMSC. Each is small and strict: it knows the commands the emulator
//! sends, holds what the directives declare (`@file`, `@answer`, `@mail`)
//! and records what it receives for the `@expect-...` directives. Every
//! read is bounded by a timeout and every thread ends once the replay is
//! over.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How long a staged server waits for its client.
const IDLE: Duration = Duration::from_secs(10);
/// Largest request or upload a staged server takes.
const MAX_BODY: usize = 64 << 20;

/// Which protocol a staged server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// HTTP, as a server or a proxy.
    Http,
    /// FTP.
    Ftp,
    /// SMTP.
    Smtp,
    /// POP3.
    Pop3,
    /// An MMSC: answers every MMS with an `m-send-conf` Ok.
    Mmsc,
}

/// What a staged server holds and what it received.
#[derive(Debug, Default)]
pub struct Store {
    /// FTP files by path.
    pub files: BTreeMap<String, Vec<u8>>,
    /// HTTP answers: method, path, status, body.
    pub answers: Vec<(String, String, u16, Vec<u8>)>,
    /// HTTP requests received: method, target, body.
    pub requests: Vec<(String, String, Vec<u8>)>,
    /// POP3 mailbox (mail 1 first; `None` once deleted), or the mails the
    /// SMTP server received.
    pub mails: Vec<Option<Vec<u8>>>,
    /// Mails received checked so far by `@expect-mail`.
    pub mails_checked: usize,
    /// User and password (FTP, POP3).
    pub login: Option<(String, String)>,
}

/// A staged server.
#[derive(Debug)]
pub struct Server {
    /// Its protocol.
    pub kind: Kind,
    /// What it holds.
    pub store: Arc<Mutex<Store>>,
    stop: Arc<AtomicBool>,
}

fn lock(m: &Mutex<Store>) -> MutexGuard<'_, Store> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Server {
    /// Starts a server on 127.0.0.1; gives it and its address.
    pub fn start(
        kind: Kind,
        login: Option<(String, String)>,
    ) -> std::io::Result<(Server, SocketAddr)> {
        let l = TcpListener::bind("127.0.0.1:0")?;
        let addr = l.local_addr()?;
        l.set_nonblocking(true)?;
        let store = Arc::new(Mutex::new(Store {
            login,
            ..Store::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (Arc::clone(&store), Arc::clone(&stop));
        std::thread::Builder::new()
            .name("wip-replay-server".into())
            .spawn(move || loop {
                if sp.load(Ordering::SeqCst) {
                    return;
                }
                match l.accept() {
                    Ok((s, _)) => {
                        let (st, sp) = (Arc::clone(&st), Arc::clone(&sp));
                        let _ = std::thread::Builder::new()
                            .name("wip-replay-conn".into())
                            .spawn(move || {
                                let _ = s.set_nonblocking(false);
                                let _ = s.set_read_timeout(Some(IDLE));
                                let _ = s.set_write_timeout(Some(IDLE));
                                let _ = serve(kind, s, &st, &sp);
                            });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            })?;
        Ok((Server { kind, store, stop }, addr))
    }

    /// What it holds.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// Stops accepting; connections end with their clients or timeouts.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn serve(kind: Kind, s: TcpStream, st: &Mutex<Store>, stop: &AtomicBool) -> Option<()> {
    let w = s.try_clone().ok()?;
    let r = BufReader::new(s);
    match kind {
        Kind::Http | Kind::Mmsc => http(kind, r, w, st),
        Kind::Ftp => ftp(r, w, st, stop),
        Kind::Smtp => smtp(r, w, st),
        Kind::Pop3 => pop3(r, w, st),
    }
}

fn line(r: &mut BufReader<TcpStream>) -> Option<String> {
    let mut buf = Vec::new();
    if r.by_ref().take(8192).read_until(b'\n', &mut buf).ok()? == 0 {
        return None;
    }
    Some(
        String::from_utf8_lossy(&buf)
            .trim_end_matches(['\r', '\n'])
            .to_string(),
    )
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

/// The path of a request target (`http://host/path` for a proxy).
fn path_of(target: &str) -> &str {
    match target.strip_prefix("http://") {
        Some(rest) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/"),
        None => target,
    }
}

fn http(
    kind: Kind,
    mut r: BufReader<TcpStream>,
    mut w: TcpStream,
    st: &Mutex<Store>,
) -> Option<()> {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        if r.by_ref().take(8192).read_until(b'\n', &mut head).ok()? == 0 || head.len() > 65536 {
            return None;
        }
    }
    // Lenient on purpose: the manual's examples send header names with
    // blanks in them ("header name"), which a strict parser refuses.
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let fields: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let header = |n: &str| fields.iter().find(|(f, _)| f == n).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            let size = usize::from_str_radix(line(&mut r)?.split(';').next()?.trim(), 16).ok()?;
            if size == 0 {
                while !line(&mut r)?.is_empty() {}
                break;
            }
            if body.len() + size > MAX_BODY {
                return None;
            }
            let mut chunk = vec![0u8; size];
            r.read_exact(&mut chunk).ok()?;
            body.extend_from_slice(&chunk);
            line(&mut r)?;
        }
    } else if let Some(n) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body = vec![0u8; n.min(MAX_BODY)];
        r.read_exact(&mut body).ok()?;
    }
    let (status, data) = {
        let mut s = lock(st);
        s.requests.push((method.clone(), target.clone(), body));
        if kind == Kind::Mmsc {
            // m-send-conf, X-Mms-Response-Status Ok.
            (200, b"\x8C\x81\x98T1\0\x8D\x92\x92\x80".to_vec())
        } else {
            s.answers
                .iter()
                .find(|(m, p, ..)| *m == method && (*p == target || p == path_of(&target)))
                .map_or((404, Vec::new()), |(_, _, c, b)| (*c, b.clone()))
        }
    };
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reason(status),
        data.len()
    )
    .into_bytes();
    out.extend_from_slice(&data);
    w.write_all(&out).ok()
}

fn normalize(path: &str) -> String {
    path.trim_start_matches("./")
        .trim_start_matches('/')
        .to_string()
}

fn ftp(
    mut r: BufReader<TcpStream>,
    mut w: TcpStream,
    st: &Mutex<Store>,
    stop: &AtomicBool,
) -> Option<()> {
    let say = |w: &mut TcpStream, s: &str| w.write_all(format!("{s}\r\n").as_bytes()).ok();
    say(&mut w, "220 wip replay FTP")?;
    let mut user = String::new();
    let mut pasv: Option<TcpListener> = None;
    loop {
        if stop.load(Ordering::SeqCst) {
            return None;
        }
        let l = line(&mut r)?;
        let (cmd, arg) = l.split_once(' ').unwrap_or((l.as_str(), ""));
        let cmd = cmd.to_ascii_uppercase();
        let login = lock(st).login.clone();
        match cmd.as_str() {
            "USER" => {
                user = arg.to_string();
                say(&mut w, "331 password please")?;
            }
            "PASS" => match &login {
                Some((u, p)) if *u != user || p != arg => say(&mut w, "530 login incorrect")?,
                _ => say(&mut w, "230 logged in")?,
            },
            "TYPE" => say(&mut w, "200 type set")?,
            "PASV" | "EPSV" => {
                let l = TcpListener::bind("127.0.0.1:0").ok()?;
                let port = l.local_addr().ok()?.port();
                pasv = Some(l);
                if cmd == "PASV" {
                    say(
                        &mut w,
                        &format!(
                            "227 Entering Passive Mode (127,0,0,1,{},{})",
                            port >> 8,
                            port & 0xff
                        ),
                    )?;
                } else {
                    say(
                        &mut w,
                        &format!("229 Entering Extended Passive Mode (|||{port}|)"),
                    )?;
                }
            }
            "RETR" | "STOR" | "APPE" => {
                let path = normalize(arg);
                let Some(l) = pasv.take() else {
                    say(&mut w, "425 use PASV first")?;
                    continue;
                };
                let held = lock(st).files.get(&path).cloned();
                if cmd == "RETR" && held.is_none() {
                    say(&mut w, "550 no such file")?;
                    continue;
                }
                say(&mut w, "150 opening data connection")?;
                let (mut d, _) = l.accept().ok()?;
                let _ = d.set_read_timeout(Some(IDLE));
                if cmd == "RETR" {
                    d.write_all(&held.unwrap_or_default()).ok()?;
                } else {
                    let mut data = Vec::new();
                    Read::by_ref(&mut d)
                        .take(MAX_BODY as u64)
                        .read_to_end(&mut data)
                        .ok()?;
                    let mut s = lock(st);
                    let f = s.files.entry(path).or_default();
                    if cmd == "STOR" {
                        *f = data;
                    } else {
                        f.extend_from_slice(&data);
                    }
                }
                drop(d);
                say(&mut w, "226 transfer complete")?;
            }
            "QUIT" => {
                say(&mut w, "221 bye")?;
                return Some(());
            }
            "NOOP" => say(&mut w, "200 ok")?,
            _ => say(&mut w, "502 not implemented")?,
        }
    }
}

fn smtp(mut r: BufReader<TcpStream>, mut w: TcpStream, st: &Mutex<Store>) -> Option<()> {
    w.write_all(b"220 wip replay SMTP\r\n").ok()?;
    loop {
        let l = line(&mut r)?;
        let cmd = l.get(..4).unwrap_or_default().to_ascii_uppercase();
        let reply: &[u8] = match cmd.as_str() {
            "EHLO" => b"250-wip replay\r\n250 AUTH PLAIN LOGIN\r\n",
            "AUTH" => b"235 authenticated\r\n",
            "DATA" => {
                w.write_all(b"354 end with .\r\n").ok()?;
                let mut data = Vec::new();
                loop {
                    let mut l = Vec::new();
                    if r.by_ref().take(65536).read_until(b'\n', &mut l).ok()? == 0 {
                        return None;
                    }
                    if l == b".\r\n" {
                        break;
                    }
                    data.extend_from_slice(l.strip_prefix(b".").unwrap_or(&l));
                    if data.len() > MAX_BODY {
                        return None;
                    }
                }
                lock(st).mails.push(Some(data));
                b"250 queued\r\n"
            }
            "QUIT" => {
                w.write_all(b"221 bye\r\n").ok()?;
                return Some(());
            }
            _ => b"250 ok\r\n",
        };
        w.write_all(reply).ok()?;
    }
}

fn pop3(mut r: BufReader<TcpStream>, mut w: TcpStream, st: &Mutex<Store>) -> Option<()> {
    w.write_all(b"+OK wip replay POP3\r\n").ok()?;
    let mut user = String::new();
    let mut deleted: Vec<usize> = Vec::new();
    loop {
        let l = line(&mut r)?;
        let (cmd, arg) = l.split_once(' ').unwrap_or((l.as_str(), ""));
        let n = arg.trim().parse::<usize>().ok();
        let mut s = lock(st);
        let live: Vec<(usize, usize)> = s
            .mails
            .iter()
            .enumerate()
            .filter_map(|(i, m)| Some((i + 1, m.as_ref()?.len())))
            .filter(|(i, _)| !deleted.contains(i))
            .collect();
        let reply = match cmd.to_ascii_uppercase().as_str() {
            "USER" => {
                user = arg.to_string();
                "+OK\r\n".to_string()
            }
            "PASS" => match &s.login {
                Some((u, p)) if *u != user || p != arg => "-ERR denied\r\n".into(),
                _ => "+OK\r\n".into(),
            },
            "STAT" => format!(
                "+OK {} {}\r\n",
                live.len(),
                live.iter().map(|(_, z)| z).sum::<usize>()
            ),
            "LIST" => {
                let mut o = "+OK\r\n".to_string();
                for (i, z) in &live {
                    o.push_str(&format!("{i} {z}\r\n"));
                }
                o + ".\r\n"
            }
            "RETR" => match n.filter(|n| live.iter().any(|(i, _)| i == n)) {
                Some(n) => {
                    let m = s.mails.get(n - 1).cloned().flatten().unwrap_or_default();
                    let text = String::from_utf8_lossy(&m).into_owned();
                    let mut o = "+OK\r\n".to_string();
                    for l in text.split_inclusive("\r\n") {
                        if l.starts_with('.') {
                            o.push('.');
                        }
                        o.push_str(l);
                    }
                    if !o.ends_with("\r\n") {
                        o.push_str("\r\n");
                    }
                    o + ".\r\n"
                }
                None => "-ERR no such message\r\n".into(),
            },
            "DELE" => match n.filter(|n| live.iter().any(|(i, _)| i == n)) {
                Some(n) => {
                    deleted.push(n);
                    "+OK\r\n".into()
                }
                None => "-ERR no such message\r\n".into(),
            },
            "QUIT" => {
                for n in &deleted {
                    if let Some(m) = s.mails.get_mut(n - 1) {
                        *m = None;
                    }
                }
                drop(s);
                w.write_all(b"+OK bye\r\n").ok()?;
                return Some(());
            }
            _ => "+OK\r\n".into(),
        };
        drop(s);
        w.write_all(reply.as_bytes()).ok()?;
    }
}
