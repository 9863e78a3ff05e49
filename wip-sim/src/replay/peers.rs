//! The network side of a replay: peers on loopback that listen, connect,
//! send, echo, shut down, close and reset.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What a connection or socket received, for `@expect`.
#[derive(Debug, Default)]
struct Inbox {
    bytes: Vec<u8>,
    datagrams: VecDeque<(SocketAddr, Vec<u8>)>,
    eof: bool,
    last_from: Option<SocketAddr>,
}

#[derive(Debug, Default)]
pub(super) struct Shared {
    inbox: Mutex<Inbox>,
    cv: Condvar,
}

impl Shared {
    fn with<R>(&self, f: impl FnOnce(&mut Inbox) -> R) -> R {
        let mut g = self
            .inbox
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let r = f(&mut g);
        self.cv.notify_all();
        r
    }

    /// Waits until `ready` holds or the deadline passes.
    fn wait<R>(&self, until: Instant, mut ready: impl FnMut(&mut Inbox) -> Option<R>) -> Option<R> {
        let mut g = self
            .inbox
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        loop {
            if let Some(r) = ready(&mut g) {
                return Some(r);
            }
            let now = Instant::now();
            if now >= until {
                return None;
            }
            g = self
                .cv
                .wait_timeout(g, until - now)
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }
}

/// One TCP connection of a peer.
#[derive(Debug)]
pub(super) struct Conn {
    stream: Mutex<Option<TcpStream>>,
    sh: Arc<Shared>,
}

impl Conn {
    fn new(stream: TcpStream, sh: Arc<Shared>) -> Self {
        Conn {
            stream: Mutex::new(Some(stream)),
            sh,
        }
    }

    /// Runs `f` on the stream while it is open.
    fn on(&self, f: impl FnOnce(&TcpStream) -> std::io::Result<()>) -> Result<(), String> {
        let g = self.stream.lock().map_err(|_| "poisoned".to_string())?;
        match g.as_ref() {
            Some(s) => f(s).map_err(|e| e.to_string()),
            None => Err("the connection is closed".into()),
        }
    }

    /// Drops the stream (with a zero linger, that sends RST).
    fn drop_stream(&self) {
        if let Ok(mut g) = self.stream.lock() {
            g.take();
        }
    }
}

fn spawn_reader(mut s: TcpStream, sh: Arc<Shared>, echo: bool) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        loop {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => {
                    sh.with(|i| i.eof = true);
                    return;
                }
                Ok(n) => {
                    let d = buf.get(..n).unwrap_or_default();
                    if echo {
                        if s.write_all(d).is_err() {
                            sh.with(|i| i.eof = true);
                            return;
                        }
                    } else {
                        sh.with(|i| i.bytes.extend_from_slice(d));
                    }
                }
            }
        }
    });
}

/// Accepts every connection waiting on a listener.
fn drain(l: &TcpListener, conns: &mut Vec<Conn>, echo: bool) {
    while let Ok((s, _)) = l.accept() {
        let _ = s.set_nonblocking(false);
        let sh = Arc::new(Shared::default());
        if let Ok(r) = s.try_clone() {
            spawn_reader(r, Arc::clone(&sh), echo);
        }
        conns.push(Conn::new(s, sh));
    }
}

/// A staged peer.
#[derive(Debug)]
pub(super) enum Peer {
    /// A UDP socket.
    Udp {
        /// The socket.
        sock: Arc<UdpSocket>,
        /// What it received.
        sh: Arc<Shared>,
        /// Stops its thread.
        stop: Arc<AtomicBool>,
    },
    /// A TCP listener and the connections it accepted.
    Listen {
        /// The listener (non-blocking).
        listener: Arc<TcpListener>,
        /// Whether connections echo.
        echo: bool,
        /// Accepted connections, oldest first.
        conns: Arc<Mutex<Vec<Conn>>>,
        /// Stops its thread.
        stop: Arc<AtomicBool>,
    },
    /// A TCP connection it opened.
    Connect(Conn),
}

/// Loopback, the only address peers use.
pub const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

impl Peer {
    /// A UDP peer; gives it and its real address.
    pub fn udp(echo: bool) -> std::io::Result<(Peer, SocketAddr)> {
        let sock = Arc::new(UdpSocket::bind((LOOPBACK, 0))?);
        sock.set_read_timeout(Some(Duration::from_millis(50)))?;
        let addr = sock.local_addr()?;
        let sh = Arc::new(Shared::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (s2, sh2, st2) = (Arc::clone(&sock), Arc::clone(&sh), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            while !st2.load(Ordering::SeqCst) {
                if let Ok((n, from)) = s2.recv_from(&mut buf) {
                    let d = buf.get(..n).unwrap_or_default().to_vec();
                    if echo {
                        let _ = s2.send_to(&d, from);
                        sh2.with(|i| i.last_from = Some(from));
                    } else {
                        sh2.with(|i| {
                            i.last_from = Some(from);
                            i.datagrams.push_back((from, d));
                        });
                    }
                }
            }
        });
        Ok((Peer::Udp { sock, sh, stop }, addr))
    }

    /// A listening TCP peer.
    pub fn listen(echo: bool) -> std::io::Result<(Peer, SocketAddr)> {
        let l = TcpListener::bind((LOOPBACK, 0))?;
        let addr = l.local_addr()?;
        l.set_nonblocking(true)?;
        let l = Arc::new(l);
        let conns = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (l2, c2, st2) = (Arc::clone(&l), Arc::clone(&conns), Arc::clone(&stop));
        // Connections are accepted as they come; a directive also takes
        // those still queued before it picks the newest (`with_conn`).
        std::thread::spawn(move || {
            while !st2.load(Ordering::SeqCst) {
                if let Ok(mut g) = c2.lock() {
                    drain(&l2, &mut g, echo);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        Ok((
            Peer::Listen {
                listener: l,
                echo,
                conns,
                stop,
            },
            addr,
        ))
    }

    /// A TCP peer that connects from `local` to `to`.
    pub fn connect(local: socket2::Socket, to: SocketAddr) -> std::io::Result<Peer> {
        local.connect(&to.into())?;
        let s: TcpStream = local.into();
        let sh = Arc::new(Shared::default());
        spawn_reader(s.try_clone()?, Arc::clone(&sh), false);
        Ok(Peer::Connect(Conn::new(s, sh)))
    }

    /// A socket bound on loopback, to connect from (its address can be
    /// routed before the connection exists).
    pub fn bound_socket() -> std::io::Result<(socket2::Socket, SocketAddr)> {
        let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
        s.bind(&SocketAddr::from((LOOPBACK, 0)).into())?;
        let a = s
            .local_addr()?
            .as_socket()
            .ok_or_else(|| std::io::Error::other("no address"))?;
        Ok((s, a))
    }

    /// The connection directives act on: the newest one.
    fn with_conn<R>(&self, until: Instant, f: impl FnOnce(&Conn) -> R) -> Option<R> {
        match self {
            Peer::Connect(c) => Some(f(c)),
            Peer::Listen {
                listener,
                echo,
                conns,
                ..
            } => loop {
                if let Ok(mut g) = conns.lock() {
                    // Every connection the modem has made is in the
                    // listener's queue by now: take them all first.
                    drain(listener, &mut g, *echo);
                    if let Some(c) = g.last() {
                        return Some(f(c));
                    }
                }
                if Instant::now() >= until {
                    return None;
                }
                std::thread::sleep(Duration::from_millis(2));
            },
            Peer::Udp { .. } => None,
        }
    }

    /// Sends bytes (a datagram to `to` for UDP, else to the last sender).
    pub fn send(&self, data: &[u8], to: Option<SocketAddr>, until: Instant) -> Result<(), String> {
        match self {
            Peer::Udp { sock, sh, .. } => {
                let dest = to.or_else(|| sh.with(|i| i.last_from));
                let dest = dest.ok_or("the UDP peer has no destination (use `to PORT`)")?;
                sock.send_to(data, dest)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            _ => self
                .with_conn(until, |c| c.on(|mut s| s.write_all(data)))
                .unwrap_or_else(|| Err("no connection".into())),
        }
    }

    /// Waits for exactly `data`: the next datagram, or the next bytes.
    pub fn expect(&self, data: &[u8], until: Instant) -> Result<(), String> {
        let sh = match self {
            Peer::Udp { sh, .. } => {
                let got = sh.wait(until, |i| i.datagrams.pop_front());
                return match got {
                    Some((_, d)) if d == data => Ok(()),
                    Some((_, d)) => Err(show(&d)),
                    None => Err("nothing".into()),
                };
            }
            _ => self
                .with_conn(until, |c| Arc::clone(&c.sh))
                .ok_or("no connection")?,
        };
        let n = data.len();
        let got = sh.wait(until, |i| {
            if i.bytes.len() >= n || i.eof {
                let k = n.min(i.bytes.len());
                Some(i.bytes.drain(..k).collect::<Vec<u8>>())
            } else {
                None
            }
        });
        match got {
            Some(d) if d == data => Ok(()),
            Some(d) if d.is_empty() => Err("the end of the connection".into()),
            Some(d) => Err(show(&d)),
            None => Err(format!("{} only", show(&sh.with(|i| i.bytes.clone())))),
        }
    }

    /// Waits for the connection to end, with nothing else received.
    pub fn expect_closed(&self, until: Instant) -> Result<(), String> {
        let sh = self
            .with_conn(until, |c| Arc::clone(&c.sh))
            .ok_or("no connection")?;
        match sh.wait(until, |i| {
            (i.eof || !i.bytes.is_empty()).then(|| i.bytes.clone())
        }) {
            Some(b) if b.is_empty() => Ok(()),
            Some(b) => Err(show(&b)),
            None => Err("an open connection".into()),
        }
    }

    /// Shuts down the sending side, closes, or resets the connection.
    pub fn end(&self, how: End, until: Instant) -> Result<(), String> {
        self.with_conn(until, |c| match how {
            End::Shutdown => c.on(|s| s.shutdown(std::net::Shutdown::Write)),
            End::Close => {
                let r = c.on(|s| s.shutdown(std::net::Shutdown::Both));
                c.drop_stream();
                r
            }
            End::Reset => {
                // With a zero linger the last handle to close sends RST:
                // shutting down the reading side ends the reader thread
                // and its handle, then this one is dropped.
                let r = c.on(|s| {
                    socket2::SockRef::from(s).set_linger(Some(Duration::ZERO))?;
                    s.shutdown(std::net::Shutdown::Read)
                });
                std::thread::sleep(Duration::from_millis(20));
                c.drop_stream();
                r
            }
        })
        .unwrap_or_else(|| Err("no connection".into()))
    }

    /// Stops the peer's threads and closes its sockets.
    pub fn stop(&self) {
        match self {
            Peer::Udp { stop, .. } => stop.store(true, Ordering::SeqCst),
            Peer::Listen { stop, conns, .. } => {
                stop.store(true, Ordering::SeqCst);
                if let Ok(g) = conns.lock() {
                    for c in g.iter() {
                        let _ = c.on(|s| s.shutdown(std::net::Shutdown::Both));
                    }
                }
            }
            Peer::Connect(c) => {
                let _ = c.on(|s| s.shutdown(std::net::Shutdown::Both));
            }
        }
    }
}

/// How a connection ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// FIN of the sending side.
    Shutdown,
    /// Both sides.
    Close,
    /// RST.
    Reset,
}

/// Bytes as a transcript payload in quotes.
pub fn show(b: &[u8]) -> String {
    format!("\"{}\"", wip_transcript::encode_payload(b))
}
