//! The network driver: the core's [`NetCmd`]s on the host's real sockets.
//!
//! Names and ports are mapped here and only here: a peer the modem names
//! `("192.168.0.1", 80)` is wherever [`SimConfig::routes`] puts it, and a
//! datagram from a routed address is reported as coming from the name the
//! route gives. Each TCP connection has a reader and a writer thread, each
//! UDP socket a reader thread, each listener an accept thread; readers
//! take credit ([`credit::Credit`]) before they read.

pub mod credit;
mod ftp;
mod http;
mod io;
mod jobs;
mod mail;
mod ping;
mod transfer;

pub(crate) use io::send_now;

/// A server's text (an HTTP reason phrase, an SMTP or POP3 reply) as a
/// quoted AT string can carry it: an AT string has no escape, so a double
/// quote becomes `'` and a control character (a CR, LF or tab) a blank.
pub(crate) fn at_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '"' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}
pub use io::CLOSE_LINGER;

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use crate::config::{Route, SimConfig};
use crate::threads::Threads;

use crate::net::{IpOpts, NetCmd, NetError, NetEvent, Peer, SockId};
use credit::Credit;

/// Unread bytes a TCP reader may hold ahead of the core.
pub const TCP_WINDOW: usize = 256 * 1024;
/// Unread datagrams a UDP reader may hold ahead of the core.
pub const UDP_WINDOW: usize = 64;
/// Numbers of accepted connections start here, apart from the core's.
const ACCEPT_IDS: u64 = 1 << 40;

/// Where events go.
pub type Sink = Arc<dyn Fn(NetEvent) + Send + Sync>;

/// A message to a TCP writer thread.
enum Write {
    Data(Vec<u8>),
    Shutdown,
    Close,
}

enum Handle {
    Udp {
        sock: Arc<UdpSocket>,
        peer: Option<SocketAddr>,
        credit: Arc<Credit>,
    },
    Tcp {
        stream: TcpStream,
        tx: mpsc::Sender<Write>,
        /// Messages given to the writer thread and not yet done with: while
        /// there are none, the core's thread writes to the socket itself
        /// (what it takes without waiting), sparing a hand-off.
        queued: Arc<AtomicUsize>,
        credit: Arc<Credit>,
    },
    Listener {
        stop: Arc<AtomicBool>,
        /// The listening socket, to wake its accept loop when closed.
        socket: Option<TcpListener>,
    },
    /// Accepted, not yet adopted or refused.
    Pending { stream: TcpStream },
    /// A file transfer on a thread of its own.
    Transfer {
        tx: mpsc::Sender<transfer::Chunk>,
        credit: Arc<Credit>,
        stop: Arc<AtomicBool>,
        conn: Arc<Mutex<Option<TcpStream>>>,
    },
    /// An FTP session's thread and its queue of transfers.
    Ftp {
        tx: mpsc::Sender<ftp::Job>,
        stop: Arc<AtomicBool>,
    },
    /// An SMTP or POP3 session's thread and its queue.
    Mail {
        tx: mpsc::Sender<mail::Job>,
        stop: Arc<AtomicBool>,
    },
    /// A job on a thread of its own (a ping, a service), stopped by the
    /// flag.
    Job { stop: Arc<AtomicBool> },
}

/// The state shared with the threads.
struct Shared {
    cfg: SimConfig,
    routes: Mutex<Vec<Route>>,
    /// Echo requests the staged network loses: (host as the modem names
    /// it, packet index).
    lost_echoes: Mutex<Vec<(String, u16)>>,
    sink: Sink,
    handles: Mutex<BTreeMap<SockId, Handle>>,
    /// Real addresses of the modem's local ports: (protocol, port).
    ports: Mutex<BTreeMap<(u8, u16), SocketAddr>>,
    /// UDP sockets closed whose reader may still hold them (it sees the
    /// close at its next poll): their ports are bound until it lets go.
    closing_udp: Mutex<Vec<std::sync::Weak<UdpSocket>>>,
    next_accept: AtomicU64,
    threads: Threads,
}

/// The driver.
#[derive(Clone)]
pub struct HostNet {
    sh: Arc<Shared>,
}

impl std::fmt::Debug for HostNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostNet").finish_non_exhaustive()
    }
}

impl HostNet {
    /// A driver reporting to `sink`.
    pub fn new(cfg: SimConfig, sink: Sink) -> Self {
        HostNet {
            sh: Arc::new(Shared {
                routes: Mutex::new(cfg.routes.clone()),
                lost_echoes: Mutex::new(Vec::new()),
                cfg,
                sink,
                handles: Mutex::new(BTreeMap::new()),
                ports: Mutex::new(BTreeMap::new()),
                closing_udp: Mutex::new(Vec::new()),
                next_accept: AtomicU64::new(ACCEPT_IDS),
                threads: Threads::default(),
            }),
        }
    }

    /// Where the modem's local `port` of `proto` (1 UDP, 3 TCP server)
    /// really is, once a socket is bound on it.
    pub fn real_port(&self, proto: u8, port: u16) -> Option<SocketAddr> {
        self.sh.ports.lock().ok()?.get(&(proto, port)).copied()
    }

    /// Makes the network lose echo request `idx` (0-based, the URC's
    /// `<packet idx>`) of every ping of `host`, as a replay stages it
    /// (`@ping HOST lose N`): the modem reports it timed out.
    pub fn lose_echo(&self, host: &str, idx: u16) {
        lock(&self.sh.lost_echoes).push((host.to_string(), idx));
    }

    /// Adds a route at run time (replay stages peers as it goes); a route
    /// for the same name and port replaces the old one.
    pub fn add_route(&self, r: Route) {
        let mut routes = lock(&self.sh.routes);
        routes.retain(|x| {
            !(x.udp == r.udp && x.port == r.port && x.host.eq_ignore_ascii_case(&r.host))
        });
        routes.push(r);
    }

    /// Runs one command of the core.
    pub fn exec(&self, cmd: NetCmd) {
        let sh = &self.sh;
        match cmd {
            NetCmd::OpenUdp {
                id,
                local_port,
                peer,
                opts,
            } => {
                // Resolving a name may take a while: not on the core's
                // thread.
                let s = Arc::clone(sh);
                let started = io::spawn(sh, "wip-udp-open", move || {
                    if let Some(ev) = open_udp(&s, id, local_port, peer, opts) {
                        (s.sink)(ev);
                    }
                });
                if !started {
                    creation_failed(sh, id);
                }
            }
            NetCmd::Connect { id, peer, opts } => {
                let s = Arc::clone(sh);
                let started = io::spawn(sh, "wip-connect", move || {
                    if let Some(ev) = connect(&s, id, &peer, opts) {
                        (s.sink)(ev);
                    }
                });
                if !started {
                    creation_failed(sh, id);
                }
            }
            NetCmd::Listen { id, port, opts } => {
                let ev = listen(sh, id, port, opts);
                (sh.sink)(ev);
            }
            NetCmd::Adopt { id, opts } => {
                let stream = match lock(&sh.handles).remove(&id) {
                    Some(Handle::Pending { stream }) => stream,
                    _ => return,
                };
                apply_tcp(&stream, opts);
                io::start_tcp(sh, id, stream, || {});
            }
            NetCmd::Send { id, mut data } => match lock(&sh.handles).get(&id) {
                Some(Handle::Tcp {
                    stream, tx, queued, ..
                }) => {
                    // In order: only when the writer has nothing left does
                    // a write bypass it.
                    if queued.load(Ordering::SeqCst) == 0 {
                        let n = send_now(stream, &data);
                        if n > 0 {
                            (sh.sink)(NetEvent::Sent { id, n });
                        }
                        if n >= data.len() {
                            return;
                        }
                        data.drain(..n);
                    }
                    queued.fetch_add(1, Ordering::SeqCst);
                    let _ = tx.send(Write::Data(data));
                }
                Some(Handle::Transfer { tx, .. }) => {
                    let _ = tx.send(transfer::Chunk::Data(data));
                }
                _ => {}
            },
            NetCmd::SendTo { id, to, data } => {
                let target = to.and_then(|p| resolve(sh, &p, true));
                if let Some(Handle::Udp { sock, peer, .. }) = lock(&sh.handles).get(&id) {
                    if let Some(addr) = target.or(*peer) {
                        let _ = sock.send_to(&data, addr);
                    }
                }
            }
            NetCmd::ShutdownWrite { id } => match lock(&sh.handles).get(&id) {
                Some(Handle::Tcp { tx, queued, .. }) => {
                    queued.fetch_add(1, Ordering::SeqCst);
                    let _ = tx.send(Write::Shutdown);
                }
                Some(Handle::Transfer { tx, .. }) => {
                    let _ = tx.send(transfer::Chunk::End);
                }
                _ => {}
            },
            NetCmd::Close { id } => close(sh, id),
            NetCmd::Consumed { id, n } => {
                if let Some(
                    Handle::Udp { credit, .. }
                    | Handle::Tcp { credit, .. }
                    | Handle::Transfer { credit, .. },
                ) = lock(&sh.handles).get(&id)
                {
                    credit.release(n);
                }
            }
            NetCmd::Ping { id, req } => jobs::ping(sh, id, req),
            NetCmd::OpenFtp { id, session } => jobs::open_ftp(sh, id, session),
            NetCmd::OpenMail { id, session } => jobs::open_mail(sh, id, session),
            NetCmd::Pop3Delete { id, mail } => jobs::pop3_delete(sh, id, mail),
            NetCmd::Probe { id, peer } => jobs::probe(sh, id, peer),
            NetCmd::File { id, req } => jobs::file(sh, id, req),
            NetCmd::SetOpts { id, opts } => match lock(&sh.handles).get(&id) {
                Some(Handle::Tcp { stream, .. }) => apply_tcp(stream, opts),
                Some(Handle::Udp { sock, .. }) => apply_udp(sock, opts),
                _ => {}
            },
        }
    }

    /// Closes every socket at once (the emulator stops): what the writers
    /// still hold is dropped, and every thread of the driver ends.
    pub fn shutdown(&self) {
        let handles = std::mem::take(&mut *lock(&self.sh.handles));
        for (_, h) in handles {
            close_handle(h, true);
        }
    }

    /// How many threads of the driver are running: readers, writers,
    /// accept loops, opening sockets.
    pub fn threads(&self) -> usize {
        self.sh.threads.running()
    }
}

fn creation_failed(sh: &Shared, id: SockId) {
    (sh.sink)(NetEvent::Failed {
        id,
        error: NetError::Creation,
    });
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Where a peer the modem names really is.
fn resolve(sh: &Shared, p: &Peer, udp: bool) -> Option<SocketAddr> {
    let cfg = &sh.cfg;
    let hit = lock(&sh.routes)
        .iter()
        .find(|r| r.udp == udp && r.port == p.port && r.host.eq_ignore_ascii_case(&p.host))
        .map(|r| r.real);
    if hit.is_some() {
        return hit;
    }
    if cfg.routed_only {
        return None;
    }
    (p.host.as_str(), p.port)
        .to_socket_addrs()
        .ok()?
        .find(SocketAddr::is_ipv4)
}

/// Where a host the modem pings is: the address of a route of that host
/// (any port), else, unless routed only, what the system resolves.
fn resolve_host(sh: &Shared, host: &str) -> Option<std::net::Ipv4Addr> {
    let hit = lock(&sh.routes)
        .iter()
        .find(|r| r.host.eq_ignore_ascii_case(host))
        .map(|r| r.real.ip());
    match hit {
        Some(IpAddr::V4(a)) => return Some(a),
        Some(IpAddr::V6(_)) => return None,
        None => {}
    }
    if sh.cfg.routed_only {
        return None;
    }
    (host, 0)
        .to_socket_addrs()
        .ok()?
        .find_map(|a| match a.ip() {
            IpAddr::V4(v4) => Some(v4),
            IpAddr::V6(_) => None,
        })
}

/// The name the modem gives a real address.
/// Only a route named by a dotted address names a sender: indications
/// carry an IP address (6.2.6), not a host name.
fn reverse(sh: &Shared, a: SocketAddr, udp: bool) -> Peer {
    let routes = lock(&sh.routes);
    let hit = routes
        .iter()
        .find(|r| r.udp == udp && r.real == a && wip_schema::value::is_ipv4(&r.host));
    match hit {
        Some(r) => Peer {
            host: r.host.clone(),
            port: r.port,
        },
        None => Peer {
            host: a.ip().to_string(),
            port: a.port(),
        },
    }
}

/// Notes where the modem's local `port` of `protocol` really is, and
/// tells [`SimConfig::on_bind`].
fn bound(sh: &Shared, protocol: u8, port: u16, real: SocketAddr) {
    lock(&sh.ports).insert((protocol, port), real);
    if let Some(hook) = &sh.cfg.on_bind {
        (hook.0)(crate::config::Bound {
            protocol,
            port,
            real,
        });
    }
}

fn bind_addr(cfg: &SimConfig, port: Option<u16>) -> SocketAddr {
    let p = if cfg.ephemeral_ports {
        0
    } else {
        port.unwrap_or(0)
    };
    SocketAddr::new(IpAddr::V4(cfg.host_ip), p)
}

fn bind_error(e: &std::io::Error) -> NetError {
    match e.kind() {
        std::io::ErrorKind::AddrInUse | std::io::ErrorKind::PermissionDenied => NetError::BadPort,
        _ => NetError::Creation,
    }
}

fn apply_udp(s: &UdpSocket, o: IpOpts) {
    let _ = s.set_ttl(o.ttl);
    let _ = socket2::SockRef::from(s).set_tos_v4(o.tos);
}

fn apply_tcp(s: &TcpStream, o: IpOpts) {
    let _ = s.set_ttl(o.ttl);
    let _ = s.set_nodelay(o.nodelay);
    let _ = socket2::SockRef::from(s).set_tos_v4(o.tos);
}

fn open_udp(
    sh: &Arc<Shared>,
    id: SockId,
    local_port: Option<u16>,
    peer: Option<Peer>,
    opts: IpOpts,
) -> Option<NetEvent> {
    let peer_addr = match &peer {
        Some(p) => match resolve(sh, p, true) {
            Some(a) => Some(a),
            None => {
                return Some(NetEvent::Failed {
                    id,
                    error: NetError::Unreachable,
                })
            }
        },
        None => None,
    };
    let sock = match bind_udp(sh, local_port) {
        Ok(s) => s,
        Err(e) => {
            return Some(NetEvent::Failed {
                id,
                error: bind_error(&e),
            })
        }
    };
    apply_udp(&sock, opts);
    let real = sock.local_addr().ok();
    let port = real.map_or(0, |a| a.port());
    if let Some(a) = real {
        bound(sh, 1, local_port.unwrap_or(port), a);
    }
    let sock = Arc::new(sock);
    let credit = Arc::new(Credit::new(UDP_WINDOW));
    lock(&sh.handles).insert(
        id,
        Handle::Udp {
            sock: Arc::clone(&sock),
            peer: peer_addr,
            credit: Arc::clone(&credit),
        },
    );
    // The core hears that the socket is open before any datagram.
    (sh.sink)(NetEvent::Opened {
        id,
        local_port: port,
        peer: None,
    });
    io::start_udp(sh, id, sock, credit);
    None
}

fn connect(sh: &Arc<Shared>, id: SockId, peer: &Peer, opts: IpOpts) -> Option<NetEvent> {
    let fail = Some(NetEvent::Failed {
        id,
        error: NetError::Unreachable,
    });
    let Some(addr) = resolve(sh, peer, false) else {
        return fail;
    };
    let Ok(stream) = TcpStream::connect_timeout(&addr, sh.cfg.connect_timeout) else {
        return fail;
    };
    apply_tcp(&stream, opts);
    let port = stream.local_addr().map_or(0, |a| a.port());
    io::start_tcp(sh, id, stream, || {
        (sh.sink)(NetEvent::Opened {
            id,
            local_port: port,
            peer: None,
        })
    });
    None
}

fn listen(sh: &Arc<Shared>, id: SockId, port: u16, opts: IpOpts) -> NetEvent {
    let l = match TcpListener::bind(bind_addr(&sh.cfg, Some(port))) {
        Ok(l) => l,
        Err(e) => {
            return NetEvent::Failed {
                id,
                error: bind_error(&e),
            }
        }
    };
    if let Ok(a) = l.local_addr() {
        bound(sh, 3, port, a);
    }
    let stop = Arc::new(AtomicBool::new(false));
    lock(&sh.handles).insert(
        id,
        Handle::Listener {
            stop: Arc::clone(&stop),
            socket: l.try_clone().ok(),
        },
    );
    io::start_accept(sh, id, l, stop, opts);
    NetEvent::Opened {
        id,
        local_port: port,
        peer: None,
    }
}

fn close(sh: &Arc<Shared>, id: SockId) {
    let h = lock(&sh.handles).remove(&id);
    if let Some(h) = h {
        if let Handle::Udp { sock, .. } = &h {
            let mut closing = lock(&sh.closing_udp);
            closing.retain(|w| w.strong_count() > 0);
            closing.push(Arc::downgrade(sock));
        }
        close_handle(h, false);
    }
}

/// Binds a UDP socket. The port of a socket the modem just closed is
/// still held by its reader until its next poll: a bind to it waits for
/// that reader to let go (5.2.7: once `+WIPCLOSE` is answered the socket is
/// gone, and its port may be taken again at once).
fn bind_udp(sh: &Arc<Shared>, local_port: Option<u16>) -> std::io::Result<UdpSocket> {
    let addr = bind_addr(&sh.cfg, local_port);
    match UdpSocket::bind(addr) {
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && addr.port() != 0 => {
            let held = || {
                lock(&sh.closing_udp).iter().any(|w| {
                    w.upgrade()
                        .and_then(|s| s.local_addr().ok())
                        .is_some_and(|a| a.port() == addr.port())
                })
            };
            let deadline = std::time::Instant::now() + io::POLL * 4;
            while held() && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            UdpSocket::bind(addr)
        }
        r => r,
    }
}

/// Closes a socket: a TCP writer sends what it holds first (a peer that
/// takes none of it for [`CLOSE_LINGER`] loses it), unless `abort`.
fn close_handle(h: Handle, abort: bool) {
    match h {
        Handle::Udp { credit, .. } => credit.close(),
        Handle::Tcp {
            stream, tx, credit, ..
        } => {
            let _ = tx.send(Write::Close);
            credit.close();
            if abort {
                // Wakes a writer blocked on a peer that does not read, and
                // the reader.
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        }
        Handle::Listener { stop, socket } => {
            stop.store(true, Ordering::SeqCst);
            if let Some(l) = socket {
                let _ = socket2::SockRef::from(&l).shutdown(std::net::Shutdown::Both);
            }
        }
        Handle::Pending { stream } => {
            // 5.1.7: accept() immediately followed by shutdown().
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Handle::Job { stop } | Handle::Ftp { stop, .. } | Handle::Mail { stop, .. } => {
            stop.store(true, Ordering::SeqCst)
        }
        Handle::Transfer {
            stop, credit, conn, ..
        } => {
            stop.store(true, Ordering::SeqCst);
            credit.close();
            let held = conn.lock().ok().and_then(|mut c| c.take());
            if let Some(s) = held {
                let _ = s.shutdown(std::net::Shutdown::Both);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn net() -> (HostNet, Arc<Mutex<Vec<NetEvent>>>) {
        let evs = Arc::new(Mutex::new(Vec::new()));
        let e2 = Arc::clone(&evs);
        let cfg = SimConfig {
            routed_only: true,
            ephemeral_ports: true,
            ..SimConfig::default()
        };
        (
            HostNet::new(cfg, Arc::new(move |ev| lock(&e2).push(ev))),
            evs,
        )
    }

    fn wait_opened(evs: &Mutex<Vec<NetEvent>>, id: SockId) {
        let until = Instant::now() + Duration::from_secs(3);
        while !lock(evs)
            .iter()
            .any(|e| matches!(e, NetEvent::Opened { id: x, .. } if *x == id))
        {
            assert!(Instant::now() < until, "{:?}", lock(evs));
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// TTL, TOS and NODELAY reach the real sockets (5.3.7.1).
    #[test]
    fn ip_options_are_applied() {
        let (n, evs) = net();
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        n.add_route(Route {
            host: "peer".into(),
            port: 80,
            real: l.local_addr().unwrap(),
            udp: false,
        });
        let opts = IpOpts {
            ttl: 17,
            tos: 0x20,
            nodelay: true,
        };
        let peer = Peer {
            host: "peer".into(),
            port: 80,
        };
        n.exec(NetCmd::Connect { id: 1, peer, opts });
        wait_opened(&evs, 1);
        let check = |want: IpOpts| match lock(&n.sh.handles).get(&1) {
            Some(Handle::Tcp { stream, .. }) => {
                assert_eq!(stream.ttl().unwrap(), want.ttl);
                assert_eq!(stream.nodelay().unwrap(), want.nodelay);
                assert_eq!(socket2::SockRef::from(stream).tos_v4().unwrap(), want.tos);
            }
            _ => panic!("no connection"),
        };
        check(opts);
        let later = IpOpts {
            ttl: 99,
            tos: 0x10,
            nodelay: false,
        };
        n.exec(NetCmd::SetOpts { id: 1, opts: later });
        check(later);
        n.exec(NetCmd::OpenUdp {
            id: 2,
            local_port: Some(80),
            peer: None,
            opts,
        });
        wait_opened(&evs, 2);
        match lock(&n.sh.handles).get(&2) {
            Some(Handle::Udp { sock, .. }) => {
                assert_eq!(sock.ttl().unwrap(), 17);
                assert_eq!(socket2::SockRef::from(&**sock).tos_v4().unwrap(), 0x20);
            }
            _ => panic!("no UDP socket"),
        }
        // Routed only: a name no route gives is unreachable.
        let nowhere = Peer {
            host: "192.0.2.1".into(),
            port: 80,
        };
        n.exec(NetCmd::Connect {
            id: 3,
            peer: nowhere,
            opts,
        });
        let until = Instant::now() + Duration::from_secs(3);
        while !lock(&evs).iter().any(|e| {
            matches!(
                e,
                NetEvent::Failed {
                    id: 3,
                    error: NetError::Unreachable
                }
            )
        }) {
            assert!(Instant::now() < until);
            std::thread::sleep(Duration::from_millis(2));
        }
        n.shutdown();
    }
}
