//! What the network reports: sockets opened or not, connections
//! accepted, data, shutdowns and resets.

use std::time::Instant;

use wip_schema::Val;

use super::errors::Fin;
use super::sockets::{Key, Owner, Socket, State, TCP};
use super::uart::Mode;
use super::{Action, Modem, UartId};
use crate::names::bound;
use crate::net::{NetCmd, NetEvent};

impl Modem {
    // ------------------------------------------------------ the network

    pub(super) fn net_event(&mut self, ev: NetEvent, now: Instant) {
        let Some(ev) = self.ping_event(ev, now) else {
            return;
        };
        let Some(ev) = self.service_event(ev, now) else {
            return;
        };
        let id = match &ev {
            NetEvent::Opened { id, .. }
            | NetEvent::Failed { id, .. }
            | NetEvent::Data { id, .. }
            | NetEvent::Datagram { id, .. }
            | NetEvent::Sent { id, .. }
            | NetEvent::Eof { id }
            | NetEvent::Reset { id }
            | NetEvent::Echo { id, .. }
            | NetEvent::PingDone { id }
            | NetEvent::FileReady { id }
            | NetEvent::FileDone { id, .. }
            | NetEvent::Mailbox { id, .. }
            | NetEvent::Status { id, .. }
            | NetEvent::Deleted { id, .. } => *id,
            NetEvent::Accepted { server, .. } => *server,
        };
        let Some(owner) = self.socks.by_id(id) else {
            // A socket closed while it was opening is closed for real now;
            // an accepted connection of a closed server is refused.
            match ev {
                NetEvent::Accepted { id, .. } | NetEvent::Opened { id, .. } => {
                    self.out.push(Action::Net(NetCmd::Close { id }));
                }
                _ => {}
            }
            return;
        };
        match (owner, ev) {
            (Owner::Server(idx), NetEvent::Opened { .. }) => {
                let Some(s) = self.socks.servers.get_mut(&idx) else {
                    return;
                };
                s.state = State::Open;
                let u = s.owner;
                self.opened(u, None, now);
            }
            (Owner::Server(idx), NetEvent::Failed { error, .. }) => {
                let u = self.socks.remove_server(idx).map(|s| s.owner);
                if let Some(u) = u {
                    self.failed(u, error.code(), now);
                }
            }
            (Owner::Server(idx), NetEvent::Accepted { id, peer, .. }) => {
                self.accepted(idx, id, peer)
            }
            (
                Owner::Sock(k),
                NetEvent::Opened {
                    local_port, peer, ..
                },
            ) => {
                let Some(s) = self.socks.get_mut(k) else {
                    return;
                };
                s.state = State::Open;
                if s.local_port == 0 {
                    s.local_port = local_port;
                }
                if s.peer.is_none() {
                    s.peer = peer;
                }
                let u = s.owner;
                let text = self.fmt(
                    self.n.msg.ready,
                    &bound(
                        vec![Val::Int(i64::from(k.0)), Val::Int(i64::from(k.1))],
                        None,
                    ),
                );
                self.opened(u, Some(text), now);
                self.check_indication(k);
            }
            (Owner::Sock(k), NetEvent::Failed { error, .. }) => {
                if let Some(s) = self.socks.remove(k) {
                    self.failed(s.owner, error.code(), now);
                }
            }
            (Owner::Sock(k), NetEvent::Data { data, .. }) => {
                if let Some(s) = self.socks.get_mut(k) {
                    s.rx.push(data);
                }
                self.deliver(k, now);
            }
            (Owner::Sock(k), NetEvent::Datagram { from, mut data, .. }) => {
                // No datagram is larger than the module's (6.2.2.2).
                data.truncate(self.cfg.max_datagram);
                if let Some(s) = self.socks.get_mut(k) {
                    s.dgrams.push_back((from, data));
                }
                self.deliver(k, now);
            }
            (Owner::Sock(k), NetEvent::Sent { n, .. }) => {
                let mapped = self.socks.get_mut(k).and_then(|s| {
                    s.tx_inflight = s.tx_inflight.saturating_sub(n);
                    s.mapped
                });
                if let Some(u) = mapped {
                    self.settle(u);
                }
            }
            (Owner::Sock(k), NetEvent::Eof { .. }) => {
                if let Some(s) = self.socks.get_mut(k) {
                    s.eof = true;
                }
                self.deliver(k, now);
            }
            (Owner::Sock(k), NetEvent::Reset { .. }) => {
                if let Some(s) = self.socks.get_mut(k) {
                    s.reset = true;
                }
                self.deliver(k, now);
            }
            _ => {}
        }
    }

    fn deliver(&mut self, k: Key, now: Instant) {
        match self.socks.get(k).and_then(|s| s.mapped) {
            Some(u) => self.pump_uart(u, now),
            None => self.check_indication(k),
        }
    }

    /// A socket the UART waited for is open: `OK`, then its `+WIPREADY`
    /// before any indication that came meanwhile.
    fn opened(&mut self, u: UartId, urc: Option<String>, now: Instant) {
        if let Some(uart) = self.uarts.get_mut(&u) {
            if matches!(uart.mode, Mode::Busy) {
                uart.mode = Mode::At;
            }
            if let Some(text) = urc {
                uart.urcs.push_front((text, None));
            }
        }
        self.finish(u, Fin::Ok, now);
        self.process(u, now);
    }

    fn failed(&mut self, u: UartId, code: u32, now: Instant) {
        if let Some(uart) = self.uarts.get_mut(&u) {
            if matches!(uart.mode, Mode::Busy) {
                uart.mode = Mode::At;
            }
        }
        self.finish(u, Fin::Cme(code), now);
        self.process(u, now);
    }

    /// A server accepted a connection: spawned on the next index of its
    /// range not yet used, or accepted then shut down (5.1.7, 9.10).
    fn accepted(&mut self, srv: u8, id: crate::net::SockId, peer: crate::net::Peer) {
        let Some(s) = self.socks.servers.get(&srv) else {
            self.out.push(Action::Net(NetCmd::Close { id }));
            return;
        };
        let free =
            (s.from..=s.to).find(|i| !s.spent.contains(i) && self.socks.get((TCP, *i)).is_none());
        let Some(i) = free else {
            self.out.push(Action::Net(NetCmd::Close { id }));
            return;
        };
        let (owner, opts, port, lowat) = (s.owner, s.opts, s.port, s.snd_lowat);
        if let Some(s) = self.socks.servers.get_mut(&srv) {
            s.spent.insert(i);
        }
        let mut sock = Socket::new(id, owner, opts);
        sock.state = State::Open;
        sock.local_port = port;
        sock.peer = Some(peer);
        sock.spawned_by = Some(srv);
        sock.snd_lowat = lowat;
        self.socks.insert((TCP, i), sock);
        self.out.push(Action::Net(NetCmd::Adopt { id, opts }));
        let text = self.fmt(
            self.n.msg.accept,
            &bound(vec![Val::Int(i64::from(srv)), Val::Int(i64::from(i))], None),
        );
        self.urc(owner, text);
    }
}
