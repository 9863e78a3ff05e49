//! HTTP requests of +WIPFILE (6.1.4) over the host's TCP: one connection a
//! request (`Connection: close`), the status line and headers parsed by
//! httparse (the server's reason phrase is kept for the `+WIPFILE` URC),
//! bodies sized by Content-Length, chunked or ended by the close.
//! An uploaded body goes out chunked in HTTP/1.1 (4 KiB chunks, the last
//! one shorter, however the host's writes were cut), and with a
//! Content-Length in HTTP/1.0 (buffered). Every read and write is
//! bounded by the service timeout.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use base64::Engine as _;

use super::transfer::{Chunk, Xfer};
use super::{resolve, Shared};
use crate::net::{FileOutcome, HttpReq, NetEvent, Peer};

/// "error during channel creation": the server could not be reached.
const UNREACHABLE: u32 = 839;
/// "protocol undefined or internal error": a broken or missing answer.
const PROTOCOL: u32 = 860;
/// "memory allocation error": an HTTP/1.0 body beyond what is buffered.
const TOO_BIG: u32 = 836;
/// Largest response head read.
const MAX_HEAD: usize = 64 * 1024;
/// Largest body buffered for an HTTP/1.0 upload.
const MAX_BUFFERED: usize = 64 << 20;

/// Where a URL goes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    /// The server (or the proxy).
    peer: Peer,
    /// The request target: a path, or the absolute URL for a proxy.
    target: String,
    /// The Host header.
    host: String,
}

/// `http://host[:port][/path]`; `None` for anything else.
fn split_url(url: &str) -> Option<(String, u16, String)> {
    let rest = url
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("http://"))
        .and_then(|_| url.get(7..))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (rest.get(..i)?, rest.get(i..)?),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (authority, 80),
    };
    if host.is_empty() {
        return None;
    }
    Some((host.to_string(), port, path.to_string()))
}

fn target(url: &str, proxy: Option<&Peer>) -> Option<Target> {
    match (split_url(url), proxy) {
        (Some((host, port, path)), None) => Some(Target {
            host: if port == 80 {
                host.clone()
            } else {
                format!("{host}:{port}")
            },
            peer: Peer { host, port },
            target: path,
        }),
        (Some((host, port, _)), Some(p)) => Some(Target {
            peer: p.clone(),
            target: url.to_string(),
            host: if port == 80 {
                host
            } else {
                format!("{host}:{port}")
            },
        }),
        // A URL without a server goes to the proxy as it is.
        (None, Some(p)) => Some(Target {
            peer: p.clone(),
            target: if url.starts_with('/') {
                url.to_string()
            } else {
                format!("/{url}")
            },
            host: p.host.clone(),
        }),
        // Neither: only a route of the empty host name (which replay's
        // `@server http NAME -:80` sets) takes it; elsewhere 839.
        (None, None) => Some(Target {
            peer: Peer {
                host: String::new(),
                port: 80,
            },
            target: if url.starts_with('/') {
                url.to_string()
            } else {
                format!("/{url}")
            },
            host: String::new(),
        }),
    }
}

fn basic(user: &str, pass: &str) -> String {
    let raw = format!("{user}:{pass}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// A response head.
struct Head {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads and parses the response head; what follows it stays in `r`.
fn read_head(r: &mut BufReader<TcpStream>) -> Option<Head> {
    let mut raw = Vec::new();
    loop {
        let n = {
            let buf = r.fill_buf().ok()?;
            if buf.is_empty() {
                return None;
            }
            let before = raw.len();
            raw.extend_from_slice(buf);
            // Consume only up to the end of the head once it is found.
            match find_end(&raw) {
                Some(end) => end - before,
                None => buf.len(),
            }
        };
        r.consume(n);
        if let Some(end) = find_end(&raw) {
            raw.truncate(end);
            break;
        }
        if raw.len() > MAX_HEAD {
            return None;
        }
    }
    let mut hs = [httparse::EMPTY_HEADER; 64];
    let mut resp = httparse::Response::new(&mut hs);
    match resp.parse(&raw) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return None,
    }
    Some(Head {
        status: resp.code?,
        reason: super::at_text(resp.reason.unwrap_or_default()),
        headers: resp
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).trim().to_string(),
                )
            })
            .collect(),
    })
}

fn find_end(raw: &[u8]) -> Option<usize> {
    memchr::memmem::find(raw, b"\r\n\r\n").map(|i| i + 4)
}

/// Runs one request; reports [`NetEvent::FileReady`], the data, and
/// [`NetEvent::FileDone`].
pub(super) fn run(sh: &Arc<Shared>, req: &HttpReq, x: &Xfer) {
    let outcome = request(sh, req, x).unwrap_or_else(FileOutcome::Error);
    if !x.stopped() {
        (sh.sink)(NetEvent::FileDone { id: x.id, outcome });
    }
}

fn connect(sh: &Shared, peer: &Peer) -> Result<TcpStream, u32> {
    let addr = resolve(sh, peer, false).ok_or(UNREACHABLE)?;
    let s = TcpStream::connect_timeout(&addr, sh.cfg.connect_timeout).map_err(|_| UNREACHABLE)?;
    let t = Some(sh.cfg.service_timeout);
    let _ = s.set_read_timeout(t);
    let _ = s.set_write_timeout(t);
    let _ = s.set_nodelay(true);
    Ok(s)
}

fn head_text(req: &HttpReq, t: &Target, body: Option<Option<usize>>) -> String {
    let version = if req.http11 { "1.1" } else { "1.0" };
    let mut h = format!(
        "{} {} HTTP/{version}\r\nHost: {}\r\n",
        req.method.name(),
        t.target,
        t.host
    );
    if let Some((u, p)) = &req.auth {
        h.push_str(&format!("Authorization: {}\r\n", basic(u, p)));
    }
    if let (Some(_), Some((u, p))) = (&req.proxy, &req.proxy_auth) {
        h.push_str(&format!("Proxy-Authorization: {}\r\n", basic(u, p)));
    }
    for (n, v) in &req.headers {
        // Header lines are the host's: no line breaks get through.
        let clean = |s: &str| s.replace(['\r', '\n'], " ").trim().to_string();
        h.push_str(&format!("{}: {}\r\n", clean(n), clean(v)));
    }
    match body {
        Some(Some(n)) => h.push_str(&format!("Content-Length: {n}\r\n")),
        Some(None) => h.push_str("Transfer-Encoding: chunked\r\n"),
        None => {}
    }
    h.push_str("Connection: close\r\n\r\n");
    h
}

fn request(sh: &Arc<Shared>, req: &HttpReq, x: &Xfer) -> Result<FileOutcome, u32> {
    let mut url = req.url.clone();
    let mut redirects = 0;
    loop {
        let t = target(&url, req.proxy.as_ref()).ok_or(UNREACHABLE)?;
        let mut s = connect(sh, &t.peer)?;
        x.watch(&s);
        if req.method.uploads() {
            match upload(sh, req, &t, &mut s, x) {
                Ok(()) => {}
                Err(Upload::Failed(code)) => return Err(code),
                // The server answered before the body was all sent (an
                // early 401 or 413) and closed: its answer is still there
                // to read, and is the outcome, however far the body got
                // before a write found the connection closed.
                Err(Upload::Refused) => {
                    let mut r = BufReader::new(s);
                    return match read_head(&mut r) {
                        Some(head) => Ok(FileOutcome::Http(head.status, head.reason)),
                        None => Err(PROTOCOL),
                    };
                }
            }
        } else {
            s.write_all(head_text(req, &t, None).as_bytes())
                .map_err(|_| PROTOCOL)?;
        }
        let mut r = BufReader::new(s);
        let head = read_head(&mut r).ok_or(PROTOCOL)?;
        let location = head.header("location").map(str::to_string);
        let redirect = matches!(head.status, 301 | 302 | 303 | 307 | 308);
        if redirect && !req.method.uploads() && redirects < req.max_redirect {
            if let Some(loc) = location {
                redirects += 1;
                url = if loc.starts_with('/') {
                    match split_url(&url) {
                        Some((h, p, _)) => format!("http://{h}:{p}{loc}"),
                        None => loc,
                    }
                } else {
                    loc
                };
                continue;
            }
        }
        let outcome = FileOutcome::Http(head.status, head.reason.clone());
        if req.method.uploads() {
            // The host sees only the status; the body is read and dropped.
            let _ = body(&mut r, &head, &mut |_| true);
            return Ok(outcome);
        }
        (sh.sink)(NetEvent::FileReady { id: x.id });
        let done = body(&mut r, &head, &mut |d| x.deliver(sh, d));
        return match done {
            Some(()) => Ok(outcome),
            None if x.stopped() => Ok(outcome),
            None => Err(PROTOCOL),
        };
    }
}

/// Largest m-send-conf read.
const MAX_CONF: usize = 64 * 1024;

/// Posts an MMS (`application/vnd.wap.mms-message`) to the MMSC through
/// its proxy; its answer, or 894 (network problem) when there is none.
pub(super) fn post_mms(sh: &Arc<Shared>, proxy: &Peer, url: &str, pdu: &[u8]) -> FileOutcome {
    let t = match target(url, Some(proxy)) {
        Some(t) => t,
        None => return FileOutcome::Error(894),
    };
    let Ok(mut s) = connect(sh, &t.peer) else {
        return FileOutcome::Error(894);
    };
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/vnd.wap.mms-message\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        t.target,
        t.host,
        pdu.len()
    );
    let mut out = head.into_bytes();
    out.extend_from_slice(pdu);
    if s.write_all(&out).is_err() {
        return FileOutcome::Error(894);
    }
    let mut r = BufReader::new(s);
    let Some(head) = read_head(&mut r) else {
        return FileOutcome::Error(894);
    };
    let mut conf = Vec::new();
    let _ = body(&mut r, &head, &mut |d| {
        conf.extend_from_slice(d);
        conf.len() <= MAX_CONF
    });
    FileOutcome::Mms(head.status, conf)
}

/// Why an upload stopped before its body was all sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Upload {
    /// The transfer failed with this error code.
    Failed(u32),
    /// A write failed: the server closed the connection (it may have
    /// answered first).
    Refused,
}

/// Sends the head and the host's body; FileReady lets the host type.
fn upload(
    sh: &Arc<Shared>,
    req: &HttpReq,
    t: &Target,
    s: &mut TcpStream,
    x: &Xfer,
) -> Result<(), Upload> {
    (sh.sink)(NetEvent::FileReady { id: x.id });
    if !req.http11 {
        let mut all = Vec::new();
        loop {
            match x.next() {
                Some(Chunk::Data(d)) => {
                    let n = d.len();
                    all.extend_from_slice(&d);
                    (sh.sink)(NetEvent::Sent { id: x.id, n });
                    if all.len() > MAX_BUFFERED {
                        return Err(Upload::Failed(TOO_BIG));
                    }
                }
                Some(Chunk::End) => break,
                None => return Err(Upload::Failed(PROTOCOL)),
            }
        }
        let mut out = head_text(req, t, Some(Some(all.len()))).into_bytes();
        out.extend_from_slice(&all);
        return s.write_all(&out).map_err(|_| Upload::Refused);
    }
    s.write_all(head_text(req, t, Some(None)).as_bytes())
        .map_err(|_| Upload::Refused)?;
    // The body goes out in chunks of UPLOAD_CHUNK bytes and a last one
    // with the rest: the request is the same however the host's writes
    // were cut.
    let mut pending = Vec::new();
    loop {
        match x.next() {
            Some(Chunk::Data(d)) => {
                pending.extend_from_slice(&d);
                (sh.sink)(NetEvent::Sent {
                    id: x.id,
                    n: d.len(),
                });
                while pending.len() >= UPLOAD_CHUNK {
                    let rest = pending.split_off(UPLOAD_CHUNK);
                    write_chunk(s, &pending)?;
                    pending = rest;
                }
            }
            Some(Chunk::End) => {
                write_chunk(s, &pending)?;
                return s.write_all(b"0\r\n\r\n").map_err(|_| Upload::Refused);
            }
            None => return Err(Upload::Failed(PROTOCOL)),
        }
    }
}

/// The size of the chunks an HTTP/1.1 upload's body is sent in.
const UPLOAD_CHUNK: usize = 4096;

/// Writes one chunk of a chunked body; nothing for no bytes (an empty
/// chunk would end the body).
fn write_chunk(s: &mut TcpStream, data: &[u8]) -> Result<(), Upload> {
    if data.is_empty() {
        return Ok(());
    }
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    s.write_all(&out).map_err(|_| Upload::Refused)
}

/// Reads a body as the head says, handing it to `sink` piece by piece
/// (false from `sink`: stop); `None` when it broke off.
fn body(
    r: &mut BufReader<TcpStream>,
    head: &Head,
    sink: &mut dyn FnMut(&[u8]) -> bool,
) -> Option<()> {
    if matches!(head.status, 100..=199 | 204 | 304) {
        return Some(());
    }
    let chunked = head
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let mut buf = vec![0u8; 64 * 1024];
    if chunked {
        loop {
            let mut line = String::new();
            r.read_line(&mut line).ok()?;
            let size = line.trim().split(';').next().unwrap_or_default();
            let mut left = usize::from_str_radix(size.trim(), 16).ok()?;
            if left == 0 {
                // Trailers, up to the empty line.
                loop {
                    let mut t = String::new();
                    if r.read_line(&mut t).ok()? == 0 || t.trim().is_empty() {
                        return Some(());
                    }
                }
            }
            while left > 0 {
                let want = left.min(buf.len());
                let dst = buf.get_mut(..want)?;
                r.read_exact(dst).ok()?;
                if !sink(dst) {
                    return None;
                }
                left -= want;
            }
            let mut crlf = [0u8; 2];
            r.read_exact(&mut crlf).ok()?;
        }
    }
    let mut left = head
        .header("content-length")
        .and_then(|v| v.parse::<u64>().ok());
    loop {
        let want = match left {
            Some(0) => return Some(()),
            Some(n) => usize::try_from(n).unwrap_or(usize::MAX).min(buf.len()),
            None => buf.len(),
        };
        let dst = buf.get_mut(..want)?;
        let k = match r.read(dst) {
            Ok(0) => return left.is_none().then_some(()),
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        if !sink(dst.get(..k)?) {
            return None;
        }
        if let Some(n) = left.as_mut() {
            *n = n.saturating_sub(k as u64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            split_url("http://a.b:81/x?y"),
            Some(("a.b".into(), 81, "/x?y".into()))
        );
        assert_eq!(split_url("HTTP://a"), Some(("a".into(), 80, "/".into())));
        assert_eq!(split_url("urlForGet"), None);
        assert_eq!(split_url("http://:80/"), None);
        let proxy = Peer {
            host: "proxy".into(),
            port: 81,
        };
        let t = target("urlForGet", Some(&proxy)).unwrap();
        assert_eq!((t.peer, t.target.as_str()), (proxy.clone(), "/urlForGet"));
        let t = target("http://h:8080/p", Some(&proxy)).unwrap();
        assert_eq!(
            (t.target.as_str(), t.host.as_str()),
            ("http://h:8080/p", "h:8080")
        );
        assert_eq!(target("urlForGet", None).unwrap().peer.host, "");
        assert_eq!(
            basic("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }
}
