//! The services' side of the driver: pings, sessions (FTP, SMTP, POP3),
//! probes of a proxy, and file transfers, each on threads of its own.

use std::net::TcpStream;
use std::sync::atomic::AtomicBool;
use std::sync::{mpsc, Arc, Mutex};

use super::credit::Credit;
use super::{
    creation_failed, ftp, http, io, lock, mail, ping, resolve, resolve_host, transfer, Handle,
    Shared, TCP_WINDOW,
};
use crate::net::{FileReq, FtpSession, MailSession, NetError, NetEvent, Peer, PingReq, SockId};

/// Registers `handle` for `id` and runs `work` on a thread of its own named
/// `name`; the handle goes when the work ends. When no thread can be
/// started, the creation fails.
fn start(
    sh: &Arc<Shared>,
    id: SockId,
    handle: Handle,
    name: &str,
    work: impl FnOnce(&Arc<Shared>) + Send + 'static,
) {
    lock(&sh.handles).insert(id, handle);
    let s = Arc::clone(sh);
    let started = io::spawn(sh, name, move || {
        work(&s);
        lock(&s.handles).remove(&id);
    });
    if !started {
        lock(&sh.handles).remove(&id);
        creation_failed(sh, id);
    }
}

/// Runs a +WIPPING on a thread of its own.
pub(super) fn ping(sh: &Arc<Shared>, id: SockId, req: PingReq) {
    let stop = Arc::new(AtomicBool::new(false));
    let lost: Vec<u16> = lock(&sh.lost_echoes)
        .iter()
        .filter(|(h, _)| h.eq_ignore_ascii_case(&req.host))
        .map(|(_, i)| *i)
        .collect();
    let handle = Handle::Job {
        stop: Arc::clone(&stop),
    };
    start(sh, id, handle, "wip-ping", move |s| {
        let ident = (id & 0xffff) as u16;
        let sock = match ping::IcmpSocket::open(req.ttl, ident) {
            Ok(sock) => sock,
            Err(_) => {
                lock(&s.handles).remove(&id);
                creation_failed(s, id);
                return;
            }
        };
        let target = resolve_host(s, &req.host);
        let sock = match target {
            // A TTL of 0 lets no packet out.
            Some(t) if req.ttl > 0 && sock.connect(t).is_ok() => Some(sock),
            _ => None,
        };
        (s.sink)(NetEvent::Opened {
            id,
            local_port: 0,
            peer: None,
        });
        ping::run(sock, id, target, &req, &lost, &stop, &s.sink);
    });
}

/// Starts an FTP session's thread.
pub(super) fn open_ftp(sh: &Arc<Shared>, id: SockId, session: FtpSession) {
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let handle = Handle::Ftp {
        tx,
        stop: Arc::clone(&stop),
    };
    start(sh, id, handle, "wip-ftp", move |s| {
        ftp::run(s, id, &session, &rx, &stop)
    });
}

/// Starts an SMTP or POP3 session's thread.
pub(super) fn open_mail(sh: &Arc<Shared>, id: SockId, session: MailSession) {
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let handle = Handle::Mail {
        tx,
        stop: Arc::clone(&stop),
    };
    start(sh, id, handle, "wip-mail", move |s| {
        mail::run(s, id, &session, &rx, &stop)
    });
}

/// Queues a deletion on a POP3 session.
pub(super) fn pop3_delete(sh: &Arc<Shared>, id: SockId, mail: u32) {
    if let Some(Handle::Mail { tx, .. }) = lock(&sh.handles).get(&id) {
        let _ = tx.send(mail::Job::Delete(mail));
    }
}

/// Checks on a thread that a server is allowed and reachable.
pub(super) fn probe(sh: &Arc<Shared>, id: SockId, peer: Peer) {
    let s = Arc::clone(sh);
    let started = io::spawn(sh, "wip-probe", move || {
        let ok = resolve(&s, &peer, false)
            .is_some_and(|a| TcpStream::connect_timeout(&a, s.cfg.connect_timeout).is_ok());
        (s.sink)(if ok {
            NetEvent::Opened {
                id,
                local_port: 0,
                peer: None,
            }
        } else {
            NetEvent::Failed {
                id,
                error: NetError::Unreachable,
            }
        });
    });
    if !started {
        creation_failed(sh, id);
    }
}

/// Starts a file transfer: on its own thread (HTTP, MMS) or on its session's (FTP, SMTP, POP3).
pub(super) fn file(sh: &Arc<Shared>, id: SockId, req: FileReq) {
    let (tx, rx) = mpsc::channel();
    let credit = Arc::new(Credit::new(TCP_WINDOW));
    let stop = Arc::new(AtomicBool::new(false));
    let conn = Arc::new(Mutex::new(None));
    lock(&sh.handles).insert(
        id,
        Handle::Transfer {
            tx,
            credit: Arc::clone(&credit),
            stop: Arc::clone(&stop),
            conn: Arc::clone(&conn),
        },
    );
    let x = transfer::Xfer {
        id,
        rx,
        credit,
        stop,
        conn,
    };
    let r = match req {
        crate::net::FileReq::Ftp(r) => {
            let job = ftp::Job { req: r, x };
            let queued = match lock(&sh.handles).get(&job.req.session) {
                Some(Handle::Ftp { tx, .. }) => tx.send(job).is_ok(),
                _ => false,
            };
            if !queued {
                lock(&sh.handles).remove(&id);
                (sh.sink)(NetEvent::FileDone {
                    id,
                    outcome: crate::net::FileOutcome::Error(860),
                });
            }
            return;
        }
        crate::net::FileReq::Smtp(r) => {
            let session = r.session;
            queue_mail(sh, id, session, mail::Job::Smtp(r, x));
            return;
        }
        crate::net::FileReq::Pop3(r) => {
            let session = r.session;
            queue_mail(sh, id, session, mail::Job::Pop3(r, x));
            return;
        }
        crate::net::FileReq::Mms { proxy, url, pdu } => {
            let s = Arc::clone(sh);
            let started = io::spawn(sh, "wip-mms", move || {
                let outcome = http::post_mms(&s, &proxy, &url, &pdu);
                lock(&s.handles).remove(&id);
                if !x.stopped() {
                    (s.sink)(NetEvent::FileDone { id, outcome });
                }
            });
            if !started {
                lock(&sh.handles).remove(&id);
                (sh.sink)(NetEvent::FileDone {
                    id,
                    outcome: crate::net::FileOutcome::Error(894),
                });
            }
            return;
        }
        crate::net::FileReq::Http(r) => r,
    };
    let s = Arc::clone(sh);
    let started = io::spawn(sh, "wip-http", move || {
        http::run(&s, &r, &x);
        lock(&s.handles).remove(&id);
    });
    if !started {
        lock(&sh.handles).remove(&id);
        (sh.sink)(NetEvent::FileDone {
            id,
            outcome: crate::net::FileOutcome::Error(839),
        });
    }
}

/// Hands a transfer to its mail session's thread; 860 without one.
pub(super) fn queue_mail(sh: &Shared, id: SockId, session: SockId, job: mail::Job) {
    let queued = match lock(&sh.handles).get(&session) {
        Some(Handle::Mail { tx, .. }) => tx.send(job).is_ok(),
        _ => false,
    };
    if !queued {
        lock(&sh.handles).remove(&id);
        (sh.sink)(NetEvent::FileDone {
            id,
            outcome: crate::net::FileOutcome::Error(860),
        });
    }
}
