//! The threads of the driver: TCP readers and writers, UDP readers,
//! accept loops.

use std::io::{Read, Write as _};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use super::credit::Credit;
use super::{apply_tcp, lock, reverse, Handle, Shared, Write, TCP_WINDOW};
use crate::net::{IpOpts, NetEvent, SockId};

/// How often blocked readers look whether their socket was closed.
const POLL: Duration = Duration::from_millis(50);

/// Registers a connection and starts its writer, calls `ready` (which
/// tells the core it is open: from then on the core may write to it), then
/// starts its reader, so that no data comes before the core knows.
pub(super) fn start_tcp(sh: &Arc<Shared>, id: SockId, stream: TcpStream, ready: impl FnOnce()) {
    let (Ok(reader), Ok(writer)) = (stream.try_clone(), stream.try_clone()) else {
        (sh.sink)(NetEvent::Reset { id });
        return;
    };
    let credit = Arc::new(Credit::new(TCP_WINDOW));
    let (tx, rx) = mpsc::channel();
    lock(&sh.handles).insert(
        id,
        Handle::Tcp {
            stream,
            tx,
            credit: Arc::clone(&credit),
        },
    );
    let s = Arc::clone(sh);
    std::thread::spawn(move || tcp_writer(&s, id, writer, &rx));
    ready();
    let s = Arc::clone(sh);
    std::thread::spawn(move || tcp_reader(&s, id, reader, &credit));
}

fn is_reset(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::BrokenPipe
    )
}

fn tcp_reader(sh: &Shared, id: SockId, mut s: TcpStream, credit: &Credit) {
    let mut buf = vec![0u8; 64 * 1024];
    while let Some(n) = credit.acquire(buf.len()) {
        let Some(dst) = buf.get_mut(..n) else {
            return;
        };
        match s.read(dst) {
            Ok(0) => {
                credit.release(n);
                if !credit.is_closed() {
                    (sh.sink)(NetEvent::Eof { id });
                }
                return;
            }
            Ok(k) => {
                credit.release(n - k);
                let data = buf.get(..k).unwrap_or_default().to_vec();
                (sh.sink)(NetEvent::Data { id, data });
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => credit.release(n),
            Err(e) => {
                if !credit.is_closed() {
                    (sh.sink)(if is_reset(&e) {
                        NetEvent::Reset { id }
                    } else {
                        NetEvent::Eof { id }
                    });
                }
                return;
            }
        }
    }
}

fn tcp_writer(sh: &Shared, id: SockId, mut s: TcpStream, rx: &mpsc::Receiver<super::Write>) {
    while let Ok(msg) = rx.recv() {
        match msg {
            Write::Data(d) => {
                if s.write_all(&d).is_err() {
                    (sh.sink)(NetEvent::Reset { id });
                    return;
                }
                (sh.sink)(NetEvent::Sent { id, n: d.len() });
            }
            Write::Shutdown => {
                let _ = s.shutdown(std::net::Shutdown::Write);
            }
            Write::Close => {
                let _ = s.shutdown(std::net::Shutdown::Both);
                return;
            }
        }
    }
}

/// Starts the reader of a UDP socket.
pub(super) fn start_udp(sh: &Arc<Shared>, id: SockId, sock: Arc<UdpSocket>, credit: Arc<Credit>) {
    let _ = sock.set_read_timeout(Some(POLL));
    let s = Arc::clone(sh);
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 65536];
        while credit.acquire(1).is_some() {
            loop {
                if credit.is_closed() {
                    return;
                }
                match sock.recv_from(&mut buf) {
                    Ok((n, from)) => {
                        let data = buf.get(..n).unwrap_or_default().to_vec();
                        let from = reverse(&s, from, true);
                        (s.sink)(NetEvent::Datagram { id, from, data });
                        break;
                    }
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock
                                | std::io::ErrorKind::TimedOut
                                | std::io::ErrorKind::Interrupted
                                | std::io::ErrorKind::ConnectionRefused
                        ) => {}
                    Err(_) => return,
                }
            }
        }
    });
}

/// Starts the accept loop of a listener.
pub(super) fn start_accept(
    sh: &Arc<Shared>,
    id: SockId,
    l: TcpListener,
    stop: Arc<AtomicBool>,
    opts: IpOpts,
) {
    let _ = l.set_nonblocking(true);
    let s = Arc::clone(sh);
    std::thread::spawn(move || loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        match l.accept() {
            Ok((stream, peer)) => {
                let _ = stream.set_nonblocking(false);
                apply_tcp(&stream, opts);
                let conn = s.next_accept.fetch_add(1, Ordering::SeqCst);
                let local_port = stream.local_addr().map_or(0, |a| a.port());
                lock(&s.handles).insert(conn, Handle::Pending { stream });
                let peer = reverse(&s, peer, false);
                (s.sink)(NetEvent::Accepted {
                    server: id,
                    id: conn,
                    peer,
                    local_port,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    });
}
