//! The socket table and its index rules (3.1.2, 5.1.7, 9.10 to 9.14).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::net::{IpOpts, Peer, SockId};

use super::rxbuf::RxBuf;
use super::UartId;

/// UDP (3.1.1).
pub(super) const UDP: u8 = 1;
/// TCP client, created or spawned.
pub(super) const TCP: u8 = 2;
/// TCP server.
pub(super) const SERVER: u8 = 3;

/// A UDP or TCP socket: (protocol, index).
pub(super) type Key = (u8, u8);

/// Where a socket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// Waiting for the network to open it; the UART waits too.
    Opening,
    /// Open.
    Open,
}

/// A data offline session (6.3).
#[derive(Debug, Clone)]
pub(super) struct Offline {
    pub uart: UartId,
    pub tx: Vec<u8>,
}

/// A UDP socket or TCP connection.
#[derive(Debug)]
pub(super) struct Socket {
    pub id: SockId,
    pub state: State,
    /// The UART that gets its URCs: where it was created or last mapped.
    pub owner: UartId,
    pub local_port: u16,
    pub peer: Option<Peer>,
    /// Created with a peer (WIP_COPT_BOUND, 5.3.7.1).
    pub bound: bool,
    pub opts: IpOpts,
    pub snd_lowat: i64,
    /// TCP bytes received and not yet read by the host.
    pub rx: RxBuf,
    /// UDP datagrams received and not yet read, with their senders.
    pub dgrams: VecDeque<(Peer, Vec<u8>)>,
    /// The sender of the last datagram read (where a socket without a peer
    /// answers).
    pub last_from: Option<Peer>,
    /// A `+WIPDATA` indication is out and the data not read since (6.2.6).
    pub indicated: bool,
    /// The peer shut its side down (FIN).
    pub eof: bool,
    /// `\r\nSHUTDOWN\r\n` has been written on the mapped UART (6.2.11.1).
    pub eof_told: bool,
    /// `+WIPPEERCLOSE` has been sent (or is queued).
    pub close_told: bool,
    /// The connection was reset.
    pub reset: bool,
    /// Our sending side is shut down.
    pub shut_wr: bool,
    /// Bytes handed to the network and not yet sent.
    pub tx_inflight: usize,
    /// The UART it is mapped on.
    pub mapped: Option<UartId>,
    pub offline: Option<Offline>,
    /// The server that spawned it.
    pub spawned_by: Option<u8>,
}

impl Socket {
    pub fn new(id: SockId, owner: UartId, opts: IpOpts) -> Self {
        Socket {
            id,
            state: State::Opening,
            owner,
            local_port: 0,
            peer: None,
            bound: false,
            opts,
            snd_lowat: 1024,
            rx: RxBuf::default(),
            dgrams: VecDeque::new(),
            last_from: None,
            indicated: false,
            eof: false,
            eof_told: false,
            close_told: false,
            reset: false,
            shut_wr: false,
            tx_inflight: 0,
            mapped: None,
            offline: None,
            spawned_by: None,
        }
    }
}

/// A TCP server (5.1.2 mode 3).
#[derive(Debug)]
pub(super) struct Server {
    pub id: SockId,
    pub state: State,
    pub owner: UartId,
    pub port: u16,
    pub from: u8,
    pub to: u8,
    /// Indexes of its range already given to a spawned socket: it accepts
    /// until it has no socket left (9.10).
    pub spent: BTreeSet<u8>,
    pub opts: IpOpts,
    pub snd_lowat: i64,
}

/// A range of communication indexes reserved by a server; it lasts until
/// the server and the sockets it spawned are all closed (5.1.7).
#[derive(Debug, Clone)]
pub(super) struct Reservation {
    pub server: u8,
    pub from: u8,
    pub to: u8,
    pub server_open: bool,
}

/// Which socket a network id belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    Sock(Key),
    Server(u8),
}

/// All sockets.
#[derive(Debug, Default)]
pub(super) struct Sockets {
    pub socks: BTreeMap<Key, Socket>,
    pub servers: BTreeMap<u8, Server>,
    pub reservations: Vec<Reservation>,
    pub ids: BTreeMap<SockId, Owner>,
}

impl Sockets {
    pub fn get(&self, k: Key) -> Option<&Socket> {
        self.socks.get(&k)
    }

    pub fn get_mut(&mut self, k: Key) -> Option<&mut Socket> {
        self.socks.get_mut(&k)
    }

    pub fn by_id(&self, id: SockId) -> Option<Owner> {
        self.ids.get(&id).copied()
    }

    /// The socket whose data offline session is open on index `idx`
    /// (6.3: one per index), with its key.
    pub fn offline_on(&self, idx: u8) -> Option<(Key, &Socket)> {
        self.socks
            .iter()
            .find(|((_, i), s)| *i == idx && s.offline.is_some())
            .map(|(k, s)| (*k, s))
    }

    pub fn count(&self, proto: u8) -> usize {
        self.socks.keys().filter(|(p, _)| *p == proto).count()
    }

    /// The reservation holding TCP index `idx`, if any.
    pub fn reserved(&self, idx: u8) -> Option<&Reservation> {
        self.reservations
            .iter()
            .find(|r| r.from <= idx && idx <= r.to)
    }

    pub fn insert(&mut self, k: Key, s: Socket) {
        self.ids.insert(s.id, Owner::Sock(k));
        self.socks.insert(k, s);
    }

    pub fn insert_server(&mut self, idx: u8, s: Server) {
        self.ids.insert(s.id, Owner::Server(idx));
        self.reservations.push(Reservation {
            server: idx,
            from: s.from,
            to: s.to,
            server_open: true,
        });
        self.servers.insert(idx, s);
    }

    /// Takes a socket out of the table; a reservation whose server and
    /// spawned sockets are all gone is released.
    pub fn remove(&mut self, k: Key) -> Option<Socket> {
        let s = self.socks.remove(&k)?;
        self.ids.remove(&s.id);
        self.release();
        Some(s)
    }

    pub fn remove_server(&mut self, idx: u8) -> Option<Server> {
        let s = self.servers.remove(&idx)?;
        self.ids.remove(&s.id);
        for r in &mut self.reservations {
            if r.server == idx && r.server_open {
                r.server_open = false;
            }
        }
        self.release();
        Some(s)
    }

    fn release(&mut self) {
        let socks = &self.socks;
        self.reservations.retain(|r| {
            r.server_open
                || (r.from..=r.to).any(|i| {
                    socks
                        .get(&(TCP, i))
                        .is_some_and(|s| s.spawned_by == Some(r.server))
                })
        });
    }

    pub fn unmap(&mut self, k: Key) {
        if let Some(s) = self.socks.get_mut(&k) {
            s.mapped = None;
        }
    }

    /// A UART went away: its sockets report to no one in particular.
    pub fn forget_uart(&mut self, u: UartId) {
        for s in self.socks.values_mut() {
            if s.mapped == Some(u) {
                s.mapped = None;
            }
            if s.offline.as_ref().is_some_and(|o| o.uart == u) {
                s.offline = None;
            }
        }
    }

    /// Everything, for a stack stop.
    pub fn clear(&mut self) -> Vec<SockId> {
        let ids: Vec<SockId> = self.ids.keys().copied().collect();
        *self = Sockets::default();
        ids
    }
}
