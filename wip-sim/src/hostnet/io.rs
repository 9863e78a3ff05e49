//! The threads of the driver: TCP readers and writers, UDP readers,
//! accept loops.

use std::io::{IoSlice, Read, Write as _};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use super::credit::Credit;
use super::{apply_tcp, lock, reverse, Handle, Shared, Write, TCP_WINDOW};
use crate::net::{IpOpts, NetEvent, SockId};

/// How often blocked readers look whether their socket was closed.
pub(super) const POLL: Duration = Duration::from_millis(50);

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
    let queued = Arc::new(AtomicUsize::new(0));
    lock(&sh.handles).insert(
        id,
        Handle::Tcp {
            stream,
            tx,
            queued: Arc::clone(&queued),
            credit: Arc::clone(&credit),
        },
    );
    let s = Arc::clone(sh);
    let closed = Arc::clone(&credit);
    let writing = spawn(sh, "wip-tcp-writer", move || {
        tcp_writer(&s, id, writer, &rx, &closed, &queued)
    });
    ready();
    let s = Arc::clone(sh);
    let reading = writing
        && spawn(sh, "wip-tcp-reader", move || {
            tcp_reader(&s, id, reader, &credit)
        });
    if !reading {
        // A connection without its threads is as good as reset.
        (sh.sink)(NetEvent::Reset { id });
    }
}

/// Starts a counted thread of the driver; false when the system cannot
/// start one.
pub(super) fn spawn(sh: &Shared, name: &str, f: impl FnOnce() + Send + 'static) -> bool {
    sh.threads.spawn(name, f).is_ok()
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

/// Writes what a connected socket takes of `buf` now, without waiting;
/// gives how many bytes went out: 0 when it takes none or fails (the
/// socket's writer thread then writes them, and meets the error if there
/// is one). The socket stays in blocking mode for its threads.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn send_now(s: &TcpStream, buf: &[u8]) -> usize {
    let flags = libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL;
    loop {
        match socket2::SockRef::from(s).send_with_flags(buf, flags) {
            Ok(n) => return n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return 0,
        }
    }
}

/// Without a way to write without waiting, everything goes through the
/// writer thread.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) fn send_now(_: &TcpStream, _: &[u8]) -> usize {
    0
}

/// Most bytes the writer gathers from its queue into one write.
const WRITE_BATCH: usize = 256 * 1024;

/// How long the writer of a closed socket keeps offering what it still
/// holds to a peer that takes none of it, before it gives up: closing never
/// leaves a thread blocked on a peer that does not read.
pub const CLOSE_LINGER: Duration = Duration::from_secs(1);

/// Writes what the core sends, in order; the writes queued while one was
/// under way go out together in the next, with one `Sent` for them all.
/// `closed` is the connection's credit, closed when the core closes it;
/// `queued` counts the messages sent here and not yet done with.
fn tcp_writer(
    sh: &Shared,
    id: SockId,
    mut s: TcpStream,
    rx: &mpsc::Receiver<Write>,
    closed: &Credit,
    queued: &AtomicUsize,
) {
    // A write waits at most this long before it looks whether the socket
    // was closed meanwhile.
    let _ = s.set_write_timeout(Some(POLL));
    let mut batch: Vec<Vec<u8>> = Vec::new();
    while let Ok(first) = rx.recv() {
        let mut next = Some(first);
        let mut size = 0;
        let mut then = None;
        let mut taken = 0;
        while let Some(msg) = next.take() {
            taken += 1;
            match msg {
                Write::Data(d) => {
                    size += d.len();
                    batch.push(d);
                }
                other => {
                    then = Some(other);
                    break;
                }
            }
            if size < WRITE_BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            if write_all(&mut s, &batch, closed).is_err() {
                if !closed.is_closed() {
                    (sh.sink)(NetEvent::Reset { id });
                }
                // Wakes the reader too, so that neither thread outlives
                // the connection.
                let _ = s.shutdown(std::net::Shutdown::Both);
                return;
            }
            batch.clear();
            (sh.sink)(NetEvent::Sent { id, n: size });
        }
        match then {
            Some(Write::Shutdown) => {
                let _ = s.shutdown(std::net::Shutdown::Write);
            }
            Some(Write::Close) => {
                let _ = s.shutdown(std::net::Shutdown::Both);
                return;
            }
            Some(Write::Data(_)) | None => {}
        }
        // All done: the core may write to the socket itself again.
        queued.fetch_sub(taken, Ordering::SeqCst);
    }
}

/// Writes every buffer, in order, with as few system calls as the socket
/// allows. A peer that takes nothing is waited for as long as the socket
/// is open, and for [`CLOSE_LINGER`] once it is closed.
fn write_all(s: &mut TcpStream, bufs: &[Vec<u8>], closed: &Credit) -> std::io::Result<()> {
    let mut slices: Vec<IoSlice<'_>> = bufs.iter().map(|b| IoSlice::new(b)).collect();
    let mut rest = slices.as_mut_slice();
    let mut stalled: Option<Instant> = None;
    while !rest.is_empty() {
        match s.write_vectored(rest) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                IoSlice::advance_slices(&mut rest, n);
                stalled = None;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                if closed.is_closed() {
                    let since = *stalled.get_or_insert_with(Instant::now);
                    if since.elapsed() >= CLOSE_LINGER {
                        return Err(e);
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Starts the reader of a UDP socket.
pub(super) fn start_udp(sh: &Arc<Shared>, id: SockId, sock: Arc<UdpSocket>, credit: Arc<Credit>) {
    let _ = sock.set_read_timeout(Some(POLL));
    let s = Arc::clone(sh);
    spawn(sh, "wip-udp-reader", move || {
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

/// Starts the accept loop of a listener. It waits in `accept` (no
/// polling); closing the listener shuts it down, which wakes it, and a
/// read timeout bounds the wait where a shutdown would not.
pub(super) fn start_accept(
    sh: &Arc<Shared>,
    id: SockId,
    l: TcpListener,
    stop: Arc<AtomicBool>,
    opts: IpOpts,
) {
    let _ = l.set_nonblocking(false);
    let _ = socket2::SockRef::from(&l).set_read_timeout(Some(POLL));
    let s = Arc::clone(sh);
    spawn(sh, "wip-accept", move || loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        match l.accept() {
            Ok((stream, peer)) => {
                if stop.load(Ordering::SeqCst) {
                    // 5.1.7: accept() immediately followed by shutdown().
                    let _ = stream.shutdown(std::net::Shutdown::Both);
                    return;
                }
                let _ = stream.set_nonblocking(false);
                // The listener's timeout is inherited: the connection's
                // reader waits for data, however long it takes.
                let _ = stream.set_read_timeout(None);
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
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) => {}
            // Shut down by a close, or out of descriptors (try again a
            // little later).
            Err(_) => {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    });
}
