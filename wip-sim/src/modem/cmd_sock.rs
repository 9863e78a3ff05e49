//! Sockets: creation (+WIPCREATE, 5.1), closing (+WIPCLOSE, 5.2) and
//! options (+WIPOPT, 5.3).

use std::time::Instant;

use wip_schema::{ParsedCommand, Val};

use super::errors::Fin;
use super::sockets::{Owner, Server, Socket, State, SERVER, TCP, UDP};
use super::uart::Mode;
use super::{Action, Modem, UartId};
use crate::names::{self, bound};
use crate::net::{IpOpts, NetCmd, Peer};

/// Stack option numbers whose values become a new socket's defaults
/// (4.1.3: default TTL and TOS of outgoing packets).
const STACK_TTL: i64 = 0;
const STACK_TOS: i64 = 1;

impl Modem {
    fn form(&self, p: &ParsedCommand) -> Option<wip_schema::Form> {
        self.d.commands.get(p.command)?.forms.get(p.form).cloned()
    }

    pub(super) fn default_opts(&self) -> IpOpts {
        IpOpts {
            ttl: u32::try_from(self.stack_opt(STACK_TTL)).unwrap_or(64),
            tos: u32::try_from(self.stack_opt(STACK_TOS)).unwrap_or(0),
            nodelay: false,
        }
    }

    fn busy(&mut self, u: UartId) {
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.mode = Mode::Busy;
        }
    }

    /// +WIPCREATE; `None` when the answer waits for the network.
    pub(super) fn wipcreate(&mut self, u: UartId, p: &ParsedCommand, _t: Instant) -> Option<Fin> {
        let form = self.form(p)?;
        let kind = form.name.to_string();
        let b = &p.values;
        if !matches!(kind.as_str(), "Udp" | "TcpClient" | "TcpServer") {
            return self
                .create_service(u, &form, b)
                .unwrap_or(Some(Fin::Cme(801)));
        }
        let port = |name: &str| names::int(&form, b, name).and_then(|v| u16::try_from(v).ok());
        let opts = self.default_opts();
        match kind.as_str() {
            "Udp" => {
                let idx = names::int(&form, b, "communication index")? as u8;
                // WIP_NET_OPT_SOCK_MAX (838) is a state rule: `state::check`.
                let peer = match (names::string(&form, b, "peer IP"), port("peer port")) {
                    (Some(host), Some(port)) => Some(Peer { host, port }),
                    _ => None,
                };
                let id = self.new_id();
                let mut s = Socket::new(id, u, opts);
                s.bound = peer.is_some();
                s.peer = peer.clone();
                s.local_port = port("local port").unwrap_or(0);
                let local_port = port("local port");
                self.socks.insert((UDP, idx), s);
                self.busy(u);
                self.out.push(Action::Net(NetCmd::OpenUdp {
                    id,
                    local_port,
                    peer,
                    opts,
                }));
                None
            }
            "TcpClient" => {
                let idx = names::int(&form, b, "communication index")? as u8;
                let peer = Peer {
                    host: names::string(&form, b, "peer IP")?,
                    port: port("peer port")?,
                };
                let id = self.new_id();
                let mut s = Socket::new(id, u, opts);
                s.peer = Some(peer.clone());
                self.socks.insert((TCP, idx), s);
                self.busy(u);
                self.out
                    .push(Action::Net(NetCmd::Connect { id, peer, opts }));
                None
            }
            _ => {
                let idx = names::int(&form, b, "server index")? as u8;
                let from = names::int(&form, b, "from idx")? as u8;
                let to = names::int(&form, b, "to idx")? as u8;
                let lport = port("local port")?;
                let id = self.new_id();
                self.socks.insert_server(
                    idx,
                    Server {
                        id,
                        state: State::Opening,
                        owner: u,
                        port: lport,
                        from,
                        to,
                        spent: Default::default(),
                        opts,
                        snd_lowat: 1024,
                    },
                );
                self.busy(u);
                self.out.push(Action::Net(NetCmd::Listen {
                    id,
                    port: lport,
                    opts,
                }));
                None
            }
        }
    }

    /// +WIPCLOSE: OK for UDP and TCP whether the socket is active or not
    /// (5.2.7); the close of a session that is not active was refused
    /// before, where `state::check` says so (831, 5.2.7; never for MMS,
    /// erratum E12).
    pub(super) fn wipclose(&mut self, _u: UartId, p: &ParsedCommand, t: Instant) -> Fin {
        let proto = p
            .values
            .params
            .first()
            .cloned()
            .flatten()
            .and_then(|v| v.as_int())
            .unwrap_or(0);
        let idx = p
            .values
            .params
            .get(1)
            .cloned()
            .flatten()
            .and_then(|v| v.as_int())
            .unwrap_or(0) as u8;
        match proto as u8 {
            UDP | TCP => {
                self.close_socket((proto as u8, idx), t);
                Fin::Ok
            }
            SERVER => {
                if let Some(s) = self.socks.remove_server(idx) {
                    self.out.push(Action::Net(NetCmd::Close { id: s.id }));
                    if s.state == State::Opening {
                        self.abort_open(s.owner, t);
                    }
                }
                Fin::Ok
            }
            _ => self.close_service((proto as u8, idx), t),
        }
    }

    /// Closes a socket; a UART it is mapped on goes back to AT mode.
    pub(super) fn close_socket(&mut self, k: (u8, u8), t: Instant) {
        let mapped = self.socks.get(k).and_then(|s| s.mapped);
        if let Some(m) = mapped {
            self.leave_data(m, t, Some(Fin::Ok));
        }
        if let Some(s) = self.socks.remove(k) {
            self.out.push(Action::Net(NetCmd::Close { id: s.id }));
            if s.state == State::Opening {
                self.abort_open(s.owner, t);
            }
        }
    }

    /// A socket closed from another UART while its creation waited for the
    /// network: the creating command fails (839).
    fn abort_open(&mut self, owner: UartId, t: Instant) {
        if let Some(uart) = self.uarts.get_mut(&owner) {
            if matches!(uart.mode, Mode::Busy) {
                uart.mode = Mode::At;
                self.finish(owner, Fin::Cme(839), t);
                self.process(owner, t);
            }
        }
    }

    /// +WIPOPT on sockets (5.3.7.1) and sessions (5.3.7.2 to 5.3.7.6).
    pub(super) fn wipopt(&mut self, u: UartId, p: &ParsedCommand) -> Fin {
        let Some(form) = self.form(p) else {
            return Fin::Error;
        };
        let b = &p.values;
        let proto = names::int(&form, b, "protocol").unwrap_or(0);
        let idx = names::int(&form, b, "idx").unwrap_or(0) as u8;
        if (4..=8).contains(&proto) {
            return self.service_opt(u, p, &form, (proto as u8, idx));
        }
        if !(1..=3).contains(&proto) {
            return Fin::Cme(834);
        }
        let Some(o) = &b.option else {
            return Fin::Cme(800);
        };
        let Some(opt) = names::option(&self.d, o.table, o.option).cloned() else {
            return Fin::Cme(800);
        };
        let owner = if proto as u8 == SERVER {
            self.socks
                .servers
                .get(&idx)
                .filter(|s| s.state == State::Open)
                .map(|_| Owner::Server(idx))
        } else {
            self.socks
                .get((proto as u8, idx))
                .filter(|s| s.state == State::Open)
                .map(|_| Owner::Sock((proto as u8, idx)))
        };
        let Some(owner) = owner else {
            return Fin::Cme(830);
        };
        if form.name == "Get" {
            let v = match (opt.name.as_ref(), owner) {
                ("WIP_COPT_PEER_STRADDR", Owner::Sock(k)) => Val::Str(self.peer_addr(k)),
                _ => {
                    // A count larger than the option's range reads as its
                    // largest value.
                    let v = self.sock_opt(owner, &opt.name);
                    match opt.values.first().map(|p| &p.ty) {
                        Some(wip_schema::Ty::Int { min, max }) => Val::Int(v.clamp(*min, *max)),
                        _ => Val::Int(v),
                    }
                }
            };
            let mb = bound(
                vec![Val::Int(proto), Val::Int(opt.id)],
                Some((o.table, o.option, v)),
            );
            let text = self.fmt(self.n.msg.opt_value, &mb);
            self.line(u, &text);
            return Fin::Ok;
        }
        let Some(v) = names::option_value(&self.d, o).and_then(|v| v.as_int()) else {
            return Fin::Cme(801);
        };
        let (id, opts) = match owner {
            Owner::Server(i) => match self.socks.servers.get_mut(&i) {
                Some(s) => {
                    set_opt(&mut s.opts, &mut s.snd_lowat, &opt.name, v);
                    (s.id, s.opts)
                }
                None => return Fin::Cme(830),
            },
            Owner::Sock(k) => match self.socks.get_mut(k) {
                Some(s) => {
                    set_opt(&mut s.opts, &mut s.snd_lowat, &opt.name, v);
                    (s.id, s.opts)
                }
                None => return Fin::Cme(830),
            },
        };
        self.out.push(Action::Net(NetCmd::SetOpts { id, opts }));
        Fin::Ok
    }

    /// The value of a socket option, by its name in the spec.
    fn sock_opt(&self, owner: Owner, name: &str) -> i64 {
        let (opts, lowat) = match owner {
            Owner::Server(i) => match self.socks.servers.get(&i) {
                Some(s) => {
                    if name == "WIP_COPT_PORT" {
                        return i64::from(s.port);
                    }
                    (s.opts, s.snd_lowat)
                }
                None => return 0,
            },
            Owner::Sock(k) => match self.socks.get(k) {
                Some(s) => match name {
                    "WIP_COPT_PORT" => return i64::from(s.local_port),
                    "WIP_COPT_PEER_PORT" => {
                        return s.peer.as_ref().map_or(0, |p| i64::from(p.port))
                    }
                    "WIP_COPT_BOUND" => return i64::from(s.bound),
                    "WIP_COPT_NREAD" => {
                        let n = if k.0 == UDP {
                            s.dgrams.front().map_or(0, |(_, d)| d.len())
                        } else {
                            s.rx.len()
                        };
                        return i64::try_from(n).unwrap_or(0);
                    }
                    _ => (s.opts, s.snd_lowat),
                },
                None => return 0,
            },
        };
        match name {
            "WIP_COPT_SND_LOWAT" => lowat,
            "WIP_COPT_NODELAY" => i64::from(opts.nodelay),
            "WIP_COPT_TTL" => i64::from(opts.ttl),
            "WIP_COPT_TOS" => i64::from(opts.tos),
            _ => 0,
        }
    }

    /// The string value of WIP_COPT_PEER_STRADDR; the engine has it typed
    /// as a string, so it is answered apart.
    fn peer_addr(&self, k: (u8, u8)) -> String {
        self.socks
            .get(k)
            .and_then(|s| s.peer.as_ref())
            .map_or_else(String::new, |p| p.host.clone())
    }
}

fn set_opt(opts: &mut IpOpts, lowat: &mut i64, name: &str, v: i64) {
    match name {
        "WIP_COPT_SND_LOWAT" => *lowat = v,
        "WIP_COPT_NODELAY" => opts.nodelay = v != 0,
        "WIP_COPT_TTL" => opts.ttl = u32::try_from(v).unwrap_or(opts.ttl),
        "WIP_COPT_TOS" => opts.tos = u32::try_from(v).unwrap_or(opts.tos),
        _ => {}
    }
}
