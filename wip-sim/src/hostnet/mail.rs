//! SMTP (5.1.2 mode 6) and POP3 (mode 7) sessions over the host's TCP,
//! written by hand: the manual's codes need to know which command the
//! server refused (880 the sender, 881 a recipient, 882 a CC, 883 a BCC,
//! 884 the body; 861 the user, 862 the password, 867 a retrieval, 863 a
//! deletion), which a mail library does not tell. One thread a session
//! owns the connection, logs in at +WIPCREATE and runs the transfers in
//! order. Every read and write is bounded by the service timeout.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use base64::Engine as _;

use super::transfer::{Chunk, Xfer};
use super::{resolve, Shared};
use crate::net::{FileOutcome, MailSession, NetError, NetEvent, Pop3Req, SmtpReq, SockId};

/// How often an idle session looks whether it was closed.
const POLL: Duration = Duration::from_millis(50);
/// Longest reply line read.
const MAX_LINE: usize = 8192;

/// Work for a mail session's thread.
pub(super) enum Job {
    /// Send a mail.
    Smtp(SmtpReq, Xfer),
    /// Retrieve (and delete) a mail.
    Pop3(Pop3Req, Xfer),
    /// Delete a mail (POP3_DELETE_MAIL, 5.3.6).
    Delete(u32),
}

struct Conn {
    r: BufReader<TcpStream>,
    w: TcpStream,
    /// The last reply line.
    last: String,
    /// The last SMTP reply that refused something (code 400 and up) in
    /// the current job: what option 60 gives after a failed send, rather
    /// than the reply to the `RSET` that followed it.
    refusal: Option<String>,
}

impl Conn {
    fn open(sh: &Shared, s: &MailSession) -> Result<Conn, u32> {
        let addr = resolve(sh, &s.server, false).ok_or(842u32)?;
        let stream =
            TcpStream::connect_timeout(&addr, sh.cfg.connect_timeout).map_err(|_| 842u32)?;
        let t = Some(sh.cfg.service_timeout);
        let _ = stream.set_read_timeout(t);
        let _ = stream.set_write_timeout(t);
        let w = stream.try_clone().map_err(|_| 839u32)?;
        Ok(Conn {
            r: BufReader::new(stream),
            w,
            last: String::new(),
            refusal: None,
        })
    }

    fn line(&mut self) -> Option<String> {
        let mut buf = Vec::new();
        let n = (&mut self.r)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut buf)
            .ok()?;
        if n == 0 {
            return None;
        }
        let s = String::from_utf8_lossy(&buf);
        let s = s.trim_end_matches(['\r', '\n']).to_string();
        self.last.clone_from(&s);
        Some(s)
    }

    fn send(&mut self, cmd: &str) -> Option<()> {
        // Values come from the host: no line break gets into a command.
        let clean = cmd.replace(['\r', '\n'], " ");
        self.w.write_all(format!("{clean}\r\n").as_bytes()).ok()
    }

    /// An SMTP reply (multi-line ones read whole): its code.
    fn smtp_reply(&mut self) -> Option<u16> {
        loop {
            let l = self.line()?;
            let code: u16 = l.get(..3)?.parse().ok()?;
            if l.as_bytes().get(3) != Some(&b'-') {
                if code >= 400 {
                    self.refusal = Some(l);
                }
                return Some(code);
            }
        }
    }

    fn smtp(&mut self, cmd: &str) -> Option<u16> {
        self.send(cmd)?;
        self.smtp_reply()
    }

    /// A POP3 status line: `+OK` or not.
    fn pop3(&mut self, cmd: &str) -> Option<(bool, String)> {
        self.send(cmd)?;
        self.pop3_status()
    }

    fn pop3_status(&mut self) -> Option<(bool, String)> {
        let l = self.line()?;
        Some((l.starts_with("+OK"), l))
    }

    /// The lines of a POP3 multi-line answer, dot-unstuffed, up to ".".
    fn pop3_lines(&mut self, mut each: impl FnMut(&[u8]) -> bool) -> Option<()> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let n = (&mut self.r)
                .take(MAX_LINE as u64 * 128)
                .read_until(b'\n', &mut buf)
                .ok()?;
            if n == 0 {
                return None;
            }
            let body = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let body = body.strip_suffix(b"\r").unwrap_or(body);
            if body == b"." {
                return Some(());
            }
            let line = body.strip_prefix(b".").unwrap_or(body);
            let mut out = line.to_vec();
            out.extend_from_slice(b"\r\n");
            if !each(&out) {
                return None;
            }
        }
    }
}

use std::io::Read as _;

/// Runs a session until it is closed.
pub(super) fn run(
    sh: &Arc<Shared>,
    id: SockId,
    s: &MailSession,
    jobs: &mpsc::Receiver<Job>,
    stop: &AtomicBool,
) {
    let opened = if s.pop3 {
        pop3_login(sh, s)
    } else {
        smtp_login(sh, s)
    };
    let mut c = match opened {
        Ok((mut c, greeting)) => {
            status(sh, id, &greeting);
            // The mailbox is known before the session is (options 71 to
            // 73); a refusal of STAT or LIST then becomes its status.
            if s.pop3 {
                mailbox(sh, id, &mut c);
            }
            c
        }
        Err(code) => {
            (sh.sink)(NetEvent::Failed {
                id,
                error: NetError::Code(code),
            });
            return;
        }
    };
    (sh.sink)(NetEvent::Opened {
        id,
        local_port: 0,
        peer: None,
    });
    loop {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let job = match jobs.recv_timeout(POLL) {
            Ok(j) => j,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let (x, result) = match job {
            Job::Smtp(r, x) => {
                c.refusal = None;
                let res = send_mail(sh, &mut c, &r, &x);
                // A refused send: the reply that refused it, not the one
                // to the `RSET` after it.
                let last = match (&res, c.refusal.take()) {
                    (Err(_), Some(refusal)) => refusal,
                    _ => c.last.clone(),
                };
                status(sh, id, &last);
                (x, res)
            }
            Job::Pop3(r, x) => {
                let res = retrieve(sh, &mut c, &r, &x);
                // A refused retrieval or deletion: its reply is the last
                // protocol error (option 70, 5.3.7.5).
                if res.is_err() {
                    status(sh, id, &c.last);
                }
                if r.delete {
                    mailbox(sh, id, &mut c);
                }
                (x, res)
            }
            Job::Delete(n) => {
                // The reply is the session's status (option 70); a mail
                // deleted changes the mailbox (options 71 to 73): both are
                // reported before the answer, which the UART waits for.
                let reply = c.pop3(&format!("DELE {n}"));
                let ok = reply.as_ref().is_some_and(|r| r.0);
                if let Some((_, line)) = &reply {
                    status(sh, id, line);
                }
                if ok {
                    mailbox(sh, id, &mut c);
                }
                (sh.sink)(NetEvent::Deleted { id, ok });
                continue;
            }
        };
        super::lock(&sh.handles).remove(&x.id);
        if !x.stopped() {
            let outcome = match result {
                Ok(()) => FileOutcome::Done,
                Err(code) => FileOutcome::Error(code),
            };
            (sh.sink)(NetEvent::FileDone { id: x.id, outcome });
        }
    }
    let _ = c.send("QUIT");
}

/// Reports a reply line as the session's status.
fn status(sh: &Shared, id: SockId, line: &str) {
    let code = match line.get(..3).and_then(|c| c.parse().ok()) {
        Some(c) => c,
        None => u16::from(!line.starts_with("+OK")),
    };
    (sh.sink)(NetEvent::Status {
        id,
        code,
        text: super::at_text(line),
    });
}

fn smtp_login(sh: &Shared, s: &MailSession) -> Result<(Conn, String), u32> {
    let mut c = Conn::open(sh, s)?;
    if c.smtp_reply() != Some(220) {
        return Err(866);
    }
    let greeting = c.last.clone();
    if c.smtp("EHLO wipsoft") != Some(250) && c.smtp("HELO wipsoft") != Some(250) {
        return Err(860);
    }
    if let Some((user, pass)) = &s.auth {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("\0{user}\0{pass}"));
        if c.smtp(&format!("AUTH PLAIN {token}")) != Some(235) {
            return Err(865);
        }
    }
    Ok((c, greeting))
}

fn send_mail(sh: &Shared, c: &mut Conn, r: &SmtpReq, x: &Xfer) -> Result<(), u32> {
    let ok = |code: Option<u16>| code.is_some_and(|c| (200..300).contains(&c));
    if !ok(c.smtp(&format!("MAIL FROM:<{}>", r.sender))) {
        return Err(880);
    }
    for (list, code) in [(&r.to, 881), (&r.cc, 882), (&r.bcc, 883)] {
        for a in addresses(list) {
            if !ok(c.smtp(&format!("RCPT TO:<{a}>"))) {
                let _ = c.smtp("RSET");
                return Err(code);
            }
        }
    }
    if c.smtp("DATA") != Some(354) {
        let _ = c.smtp("RSET");
        return Err(884);
    }
    (sh.sink)(NetEvent::FileReady { id: x.id });
    let mut out = Vec::new();
    if r.format_header {
        let from = if r.sender_name.is_empty() {
            format!("<{}>", r.sender)
        } else {
            format!("\"{}\" <{}>", r.sender_name, r.sender)
        };
        let mut h = format!("From: {from}\r\n");
        if !r.to.is_empty() {
            h.push_str(&format!("To: {}\r\n", r.to));
        }
        if !r.cc.is_empty() {
            h.push_str(&format!("Cc: {}\r\n", r.cc));
        }
        h.push_str(&format!("Subject: {}\r\n\r\n", r.subject));
        out.extend_from_slice(h.as_bytes());
    }
    // Dot-stuffing (RFC 5321 4.5.2) across the host's chunks.
    let mut at_line_start = true;
    let mut last_two = [b'\r', b'\n'];
    loop {
        match x.next() {
            Some(Chunk::Data(d)) => {
                for &b in &d {
                    if at_line_start && b == b'.' {
                        out.push(b'.');
                    }
                    out.push(b);
                    at_line_start = b == b'\n';
                    last_two = [last_two[1], b];
                }
                c.w.write_all(&out).map_err(|_| 884u32)?;
                out.clear();
                (sh.sink)(NetEvent::Sent {
                    id: x.id,
                    n: d.len(),
                });
            }
            Some(Chunk::End) => break,
            None => return Err(884),
        }
    }
    if last_two != [b'\r', b'\n'] {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    c.w.write_all(&out).map_err(|_| 884u32)?;
    if ok(c.smtp_reply()) {
        Ok(())
    } else {
        Err(884)
    }
}

/// The addresses of a list option ("a@b, c@d"), names in angle brackets
/// allowed ("Mr X <x@y>").
fn addresses(list: &str) -> Vec<String> {
    list.split([',', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| match (a.rfind('<'), a.rfind('>')) {
            (Some(i), Some(j)) if i < j => a.get(i + 1..j).unwrap_or(a).to_string(),
            _ => a.to_string(),
        })
        .collect()
}

fn pop3_login(sh: &Shared, s: &MailSession) -> Result<(Conn, String), u32> {
    let mut c = Conn::open(sh, s)?;
    if !c.pop3_status().is_some_and(|r| r.0) {
        return Err(866);
    }
    let greeting = c.last.clone();
    if let Some((user, pass)) = &s.auth {
        if !c.pop3(&format!("USER {user}")).is_some_and(|r| r.0) {
            return Err(861);
        }
        if !c.pop3(&format!("PASS {pass}")).is_some_and(|r| r.0) {
            return Err(862);
        }
    }
    Ok((c, greeting))
}

/// STAT and LIST, reported to the core for options 71 to 73; a reply
/// that refuses either is the session's status (option 70), and what it
/// left unknown reads 864 (5.3.5).
fn mailbox(sh: &Shared, id: SockId, c: &mut Conn) {
    let stat = match c.pop3("STAT") {
        Some((true, stat)) => stat,
        refused => {
            if let Some((_, line)) = &refused {
                status(sh, id, line);
            }
            (sh.sink)(NetEvent::Mailbox {
                id,
                count: 0,
                size: 0,
                listing: Vec::new(),
                stat_ok: false,
                list_ok: false,
            });
            return;
        }
    };
    let mut nums = stat
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok());
    let (count, size): (u64, u64) = (nums.next().unwrap_or(0), nums.next().unwrap_or(0));
    let mut listing = Vec::new();
    let list = c.pop3("LIST");
    let list_ok = list.as_ref().is_some_and(|r| r.0);
    if let (false, Some((_, line))) = (list_ok, &list) {
        status(sh, id, line);
    }
    if list_ok {
        let _ = c.pop3_lines(|l| {
            let text = String::from_utf8_lossy(l);
            let mut v = text.split_whitespace();
            if let (Some(n), Some(s)) = (v.next(), v.next()) {
                if let (Ok(n), Ok(s)) = (n.parse(), s.parse()) {
                    listing.push((n, s));
                }
            }
            true
        });
    }
    (sh.sink)(NetEvent::Mailbox {
        id,
        count,
        size,
        listing,
        stat_ok: true,
        list_ok,
    });
}

fn retrieve(sh: &Shared, c: &mut Conn, r: &Pop3Req, x: &Xfer) -> Result<(), u32> {
    let n: u32 = r.mail.trim().parse().map_err(|_| 867u32)?;
    if !c.pop3(&format!("RETR {n}")).is_some_and(|s| s.0) {
        return Err(867);
    }
    (sh.sink)(NetEvent::FileReady { id: x.id });
    c.pop3_lines(|l| x.deliver(sh, l)).ok_or(867u32)?;
    if r.delete && !c.pop3(&format!("DELE {n}")).is_some_and(|s| s.0) {
        return Err(863);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn address_lists() {
        assert_eq!(
            super::addresses("a@x.com, Mr B <b@y.com>;c@z"),
            ["a@x.com", "b@y.com", "c@z"]
        );
        assert!(super::addresses(" , ").is_empty());
    }
}
