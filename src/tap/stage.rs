//! `wip tap --stage`: the network side of the sockets, as `wip replay`
//! directives (`docs/transcript-directives.md`), so that a recorded session
//! can be replayed against `wip sim`.
//!
//! The tap sees only the serial line. What the modem's peers did shows
//! there when a socket is mapped in data mode (the peer sent what the modem
//! writes `<<`, and receives what the host writes `>>`) and in URCs
//! (`+WIPPEERCLOSE`). What the line does not show (the content of data read
//! in data offline mode, where a server's peer connects from) is said in a
//! comment instead.

use std::collections::BTreeMap;

use wip_runtime::escape::Unescaper;
use wip_schema::fields;
use wip_transcript::{encode_payload, Event};

/// A socket of the modem: (protocol, index), as `+WIPCREATE` names it.
type Socket = (u32, u32);

const UDP: u32 = 1;
const TCP_CLIENT: u32 = 2;
const TCP_SERVER: u32 = 3;

#[derive(Debug, Default)]
struct Peer {
    /// The modem's local port (UDP, TCP server), when the command gave it.
    local_port: Option<u32>,
    /// Declared with `@peer`.
    declared: bool,
}

/// Staging directives from the events of a session.
#[derive(Debug, Default)]
pub struct Stager {
    peers: BTreeMap<Socket, Peer>,
    /// TCP server index to its local port.
    servers: BTreeMap<u32, u32>,
    /// The socket a command on a channel is about to map (`AT+WIPDATA`),
    /// and whether the session is transparent (no DLE escaping).
    mapping: BTreeMap<String, (Socket, bool)>,
    /// The socket mapped in data mode on a channel, and whether the
    /// session is transparent.
    mapped: BTreeMap<String, (Socket, bool)>,
    /// Unescapers of the host's and the modem's payload, per channel.
    host_esc: BTreeMap<String, Unescaper>,
    modem_esc: BTreeMap<String, Unescaper>,
    /// The hosts `@ping` was written for.
    pinged: std::collections::BTreeSet<String>,
    /// `AT_WIP_NET_OPT_ESC_SEQ_NOT_SENT` (4.1.3, option 13) is 1: the
    /// `+++` that leaves data mode is not sent to the peer. At its
    /// default, 0, it is.
    esc_not_sent: bool,
    /// Its value stored with `AT+WIPCFG=4,1`, which a start of the stack
    /// applies (4.1.4, erratum E57).
    esc_stored: bool,
    /// What an `AT+WIPCFG` sent on a channel does once answered `OK`.
    cfg_pending: BTreeMap<String, Cfg>,
    /// The TCP sockets whose sending side the host shut down (a lone ETX,
    /// 6.2.2.3): nothing more reaches their peer.
    shut: std::collections::BTreeSet<Socket>,
    /// The datagram the host is writing on a UDP socket mapped in
    /// continuous mode, per channel: sent whole at its lone ETX (6.2.2.2),
    /// however many `>>` lines it took.
    datagram: BTreeMap<String, Vec<u8>>,
    /// The datagram a peer is sending to a UDP socket mapped in continuous
    /// mode, per channel: staged as one `@send` at its lone ETX (6.2.2.2:
    /// "a non escaped \[ETX\] signals the boundary of the current received
    /// datagram"), however many `<<` lines it took.
    incoming: BTreeMap<String, (Socket, Vec<u8>)>,
    /// The `@send` of datagrams that ended, with their channel, waiting to
    /// take the place held for them in [`Stager::held`].
    ended: Vec<(String, Event)>,
    /// What is written from the first `<<` line of a datagram a peer is
    /// sending on, until its `@send` is known: the `@send` goes before
    /// that line, so that a replay sends the datagram whole.
    held: std::collections::VecDeque<Unit>,
}

/// An event and the directives around it, as they are written.
#[derive(Debug)]
struct Unit {
    channel: String,
    items: Vec<Item>,
}

/// A line to write, or the place of the `@send` of the datagram a peer
/// began sending on the unit's channel.
#[derive(Debug)]
enum Item {
    Ready(Event),
    Incoming,
}

/// An `AT+WIPCFG` that changes what `+++` does, applied at its `OK`.
#[derive(Debug, Clone, Copy)]
enum Cfg {
    /// `AT+WIPCFG=2,13,<v>`: option 13 set.
    Set13(bool),
    /// `AT+WIPCFG=1`: the stack starts with the stored configuration.
    Start,
    /// `AT+WIPCFG=4,1`: the configuration stored.
    Store,
    /// `AT+WIPCFG=4,0`: the stored configuration freed (defaults).
    Free,
}

/// The largest UDP datagram in continuous mode (6.2.2.2: "the maximum
/// size of the datagram", footnote: 5904 bytes; the spec's limit
/// `udp_datagram`): the data is sent as one when it reaches it.
const MAX_DATAGRAM: usize = 5904;

fn name((proto, idx): Socket) -> String {
    match proto {
        UDP => format!("udp{idx}"),
        TCP_CLIENT => format!("tcp{idx}"),
        _ => format!("peer{proto}-{idx}"),
    }
}

fn directive(name: &str, args: String) -> Event {
    Event::Directive {
        name: name.to_owned(),
        args,
        comment: None,
    }
}

/// A payload between quotes, as directives write it (`"` is `\x22`).
fn quoted(bytes: &[u8]) -> String {
    format!("\"{}\"", encode_payload(bytes).replace('"', "\\x22"))
}

fn comment(text: String) -> Event {
    Event::Comment(format!("stage: {text}"))
}

impl Stager {
    /// Stages `event`, recorded on `channel` and written as `written` (its
    /// time added): returns what is to be written now, in order, each with
    /// its channel. That is the event with the directives before and after
    /// it, unless a datagram a peer is sending is not over yet: from its
    /// first `<<` line everything is held until its ETX, so that its one
    /// `@send` can go first.
    pub fn stage(&mut self, channel: &str, event: &Event, written: Event) -> Vec<(String, Event)> {
        let mut items = self.before(channel, event);
        items.push(Item::Ready(written));
        items.extend(self.after(channel, event).into_iter().map(Item::Ready));
        self.held.push_back(Unit {
            channel: channel.to_owned(),
            items,
        });
        self.release()
    }

    /// Ends the staging: a datagram a peer was still sending is staged as
    /// far as it came; returns what is left to write.
    pub fn finish(&mut self) -> Vec<(String, Event)> {
        let channels: Vec<String> = self.incoming.keys().cloned().collect();
        for c in channels {
            self.incoming_ended(&c);
        }
        let mut out = self.release();
        // Nothing can be left waiting; should it be, it is written as it is.
        while let Some(u) = self.held.pop_front() {
            out.extend(u.items.into_iter().filter_map(|i| match i {
                Item::Ready(e) => Some((u.channel.clone(), e)),
                Item::Incoming => None,
            }));
        }
        out
    }

    /// Puts the `@send` of each datagram that ended in the place held for
    /// it (the first one on its channel), and returns the units from the
    /// front that wait for none.
    fn release(&mut self) -> Vec<(String, Event)> {
        for (channel, ev) in std::mem::take(&mut self.ended) {
            let slot = self
                .held
                .iter_mut()
                .filter(|u| u.channel == channel)
                .flat_map(|u| u.items.iter_mut())
                .find(|i| matches!(i, Item::Incoming));
            if let Some(slot) = slot {
                *slot = Item::Ready(ev);
            }
        }
        let mut out = Vec::new();
        while self
            .held
            .front()
            .is_some_and(|u| u.items.iter().all(|i| matches!(i, Item::Ready(_))))
        {
            if let Some(u) = self.held.pop_front() {
                out.extend(u.items.into_iter().filter_map(|i| match i {
                    Item::Ready(e) => Some((u.channel.clone(), e)),
                    Item::Incoming => None,
                }));
            }
        }
        out
    }

    /// Directives to write before `event` (on `channel`).
    fn before(&mut self, channel: &str, event: &Event) -> Vec<Item> {
        let ready = |v: Vec<Event>| v.into_iter().map(Item::Ready).collect();
        match event {
            Event::Command { text, .. } => ready(self.command(channel, text)),
            Event::ModemLine { text, .. } => ready(self.modem_line(channel, text)),
            Event::ModemData(raw) => self.modem_data(channel, raw),
            _ => Vec::new(),
        }
    }

    /// Directives to write after `event` (on `channel`).
    fn after(&mut self, channel: &str, event: &Event) -> Vec<Event> {
        if let Event::Escape { .. } = event {
            return self.escaped(channel);
        }
        let Event::HostData(raw) = event else {
            return Vec::new();
        };
        let Some(&(sock, transparent)) = self.mapped.get(channel) else {
            return Vec::new();
        };
        let pieces = if transparent {
            vec![Piece::Data(raw.clone())]
        } else {
            unescape(self.host_esc.entry(channel.to_owned()).or_default(), raw)
        };
        let mut out = Vec::new();
        if sock.0 == UDP && !transparent {
            for p in pieces {
                match p {
                    Piece::Data(d) => out.extend(self.datagram_data(channel, sock, &d)),
                    Piece::Etx => out.extend(self.datagram_sent(channel, sock)),
                }
            }
            return out;
        }
        for p in pieces {
            match p {
                Piece::Data(d) if self.known(sock) => {
                    out.push(directive(
                        "expect",
                        format!("{} {}", name(sock), quoted(&d)),
                    ));
                }
                Piece::Data(d) => out.push(comment(format!(
                    "the peer of socket {},{} received {} bytes",
                    sock.0,
                    sock.1,
                    d.len()
                ))),
                Piece::Etx if sock.0 == UDP => {}
                Piece::Etx => {
                    self.shut.insert(sock);
                    out.push(comment(format!(
                        "the host shut down its side of socket {},{}",
                        sock.0, sock.1
                    )));
                }
            }
        }
        out
    }

    /// The host's `+++` on `channel`: with option 13 at 0 the peer gets it
    /// as data (4.1.3), at the end of the datagram being written on a UDP
    /// socket in continuous mode.
    fn escaped(&mut self, channel: &str) -> Vec<Event> {
        let Some(&(sock, transparent)) = self.mapped.get(channel) else {
            return Vec::new();
        };
        if self.esc_not_sent || self.shut.contains(&sock) {
            return Vec::new();
        }
        if sock.0 == UDP && !transparent {
            return self.datagram_data(channel, sock, b"+++");
        }
        if self.known(sock) {
            vec![directive(
                "expect",
                format!("{} {}", name(sock), quoted(b"+++")),
            )]
        } else {
            Vec::new()
        }
    }

    /// Data the host wrote into the datagram on `channel`: each time it
    /// reaches [`MAX_DATAGRAM`] bytes, that much goes out as one.
    fn datagram_data(&mut self, channel: &str, sock: Socket, data: &[u8]) -> Vec<Event> {
        let mut out = Vec::new();
        let mut rest = data;
        while !rest.is_empty() {
            let buf = self.datagram.entry(channel.to_owned()).or_default();
            let room = MAX_DATAGRAM.saturating_sub(buf.len());
            let (now, later) = rest.split_at(room.min(rest.len()));
            buf.extend_from_slice(now);
            rest = later;
            if buf.len() >= MAX_DATAGRAM {
                out.extend(self.datagram_sent(channel, sock));
            }
        }
        out
    }

    /// The datagram the host wrote on `channel` went out: `@expect` it
    /// whole (an empty one is not staged).
    fn datagram_sent(&mut self, channel: &str, sock: Socket) -> Vec<Event> {
        let d = self.datagram.remove(channel).unwrap_or_default();
        if d.is_empty() {
            return Vec::new();
        }
        if self.known(sock) {
            vec![directive(
                "expect",
                format!("{} {}", name(sock), quoted(&d)),
            )]
        } else {
            vec![comment(format!(
                "the peer of socket {},{} received {} bytes",
                sock.0,
                sock.1,
                d.len()
            ))]
        }
    }

    fn known(&self, sock: Socket) -> bool {
        self.peers.get(&sock).is_some_and(|p| p.declared)
    }

    fn command(&mut self, channel: &str, text: &str) -> Vec<Event> {
        let Some(c) = fields::command_line(text) else {
            return Vec::new();
        };
        if c.kind != fields::CommandKind::Action {
            return Vec::new();
        }
        let Ok(f) = fields::split(c.args) else {
            return Vec::new();
        };
        let num = |i: usize| f.get(i).and_then(|x| x.text().trim().parse::<u32>().ok());
        let txt = |i: usize| f.get(i).map(|x| x.text().to_owned());
        let mut out = Vec::new();
        if c.name.eq_ignore_ascii_case("+WIPCREATE") {
            let (Some(proto), Some(idx)) = (num(0), num(1)) else {
                return out;
            };
            // A socket created anew has both sides open.
            self.shut.remove(&(proto, idx));
            match proto {
                UDP => {
                    let mut peer = Peer {
                        local_port: num(2),
                        declared: false,
                    };
                    match (txt(3), num(4)) {
                        (Some(host), Some(port)) if !host.is_empty() => {
                            out.push(directive(
                                "peer",
                                format!("udp {} {host}:{port}", name((UDP, idx))),
                            ));
                            peer.declared = true;
                        }
                        _ => out.push(comment(format!(
                            "UDP socket {idx} names no peer; the datagrams it gets come from peers the line does not show"
                        ))),
                    }
                    self.peers.insert((UDP, idx), peer);
                }
                TCP_CLIENT => {
                    if let (Some(host), Some(port)) = (txt(2), num(3)) {
                        out.push(directive(
                            "peer",
                            format!("tcp {} listen {host}:{port}", name((TCP_CLIENT, idx))),
                        ));
                        self.peers.insert(
                            (TCP_CLIENT, idx),
                            Peer {
                                local_port: None,
                                declared: true,
                            },
                        );
                    }
                }
                TCP_SERVER => {
                    if let Some(port) = num(2) {
                        self.servers.insert(idx, port);
                    }
                }
                _ => out.push(comment(format!(
                    "protocol {proto} sessions are not staged: add the `@server` (and for HTTP the \
                     `@answer`) directives they need by hand (docs/transcript-directives.md)"
                ))),
            }
        } else if c.name.eq_ignore_ascii_case("+WIPCFG") {
            // AT+WIPCFG=2,13,<value> (4.1.3), a start, a store, a free:
            // applied once answered OK.
            let cfg = match (num(0), num(1), num(2)) {
                (Some(2), Some(13), Some(v)) => Some(Cfg::Set13(v == 1)),
                (Some(1), None, _) => Some(Cfg::Start),
                (Some(4), Some(1), _) => Some(Cfg::Store),
                (Some(4), Some(0), _) => Some(Cfg::Free),
                _ => None,
            };
            match cfg {
                Some(cfg) => {
                    self.cfg_pending.insert(channel.to_owned(), cfg);
                }
                None => {
                    self.cfg_pending.remove(channel);
                }
            }
        } else if c.name.eq_ignore_ascii_case("+WIPPING") {
            // The host pinged answers, as it did on the line (a request
            // that timed out there is not told apart: `lose` by hand).
            if let Some(host) = txt(0).filter(|h| !h.is_empty()) {
                if self.pinged.insert(host.clone()) {
                    out.push(directive("ping", host));
                }
            }
        } else if c.name.eq_ignore_ascii_case("+WIPDATA") {
            // 6.2.7: mode 1 continuous, 2 continuous transparent, 0 unmap.
            if let (Some(proto), Some(idx), Some(mode)) = (num(0), num(1), num(2)) {
                if mode != 0 {
                    self.mapping
                        .insert(channel.to_owned(), ((proto, idx), mode == 2));
                }
            }
        }
        out
    }

    fn modem_line(&mut self, channel: &str, text: &str) -> Vec<Event> {
        let mut out = Vec::new();
        if let Some(f) = wip_transcript::verify::final_result(text) {
            if let (Some(cfg), wip_schema::Final::Ok) = (self.cfg_pending.remove(channel), f) {
                match cfg {
                    Cfg::Set13(v) => self.esc_not_sent = v,
                    Cfg::Start => self.esc_not_sent = self.esc_stored,
                    Cfg::Store => self.esc_stored = self.esc_not_sent,
                    Cfg::Free => self.esc_stored = false,
                }
            }
            // Leaving data mode, a UDP socket sends what it holds as one
            // datagram (6.2.2.2).
            if let Some(&(mapped, _)) = self.mapped.get(channel) {
                out.extend(self.datagram_sent(channel, mapped));
            }
            // A datagram a peer was sending is staged as far as it came.
            self.incoming_ended(channel);
            let sock = self.mapping.remove(channel);
            self.mapped.remove(channel);
            self.host_esc.remove(channel);
            self.modem_esc.remove(channel);
            if f == wip_schema::Final::Connect {
                if let Some(s) = sock {
                    self.mapped.insert(channel.to_owned(), s);
                }
            }
            return out;
        }
        let Some((prefix, body)) = text.split_once(':') else {
            return out;
        };
        let nums: Vec<Option<u32>> = body.split(',').map(|x| x.trim().parse().ok()).collect();
        let at = |i: usize| nums.get(i).copied().flatten();
        match prefix.trim() {
            "+WIPACCEPT" => {
                if let (Some(server), Some(idx)) = (at(0), at(1)) {
                    match self.servers.get(&server) {
                        Some(port) => {
                            // The spawned socket is a TCP client on the
                            // index the URC gives (5.1.2, 9.1.1.1:
                            // `+WIPACCEPT: 1,5` then `AT+WIPDATA=2,5,1`).
                            let sock = (TCP_CLIENT, idx);
                            self.shut.remove(&sock);
                            out.push(directive(
                                "peer",
                                format!("tcp {} connect {port}", name(sock)),
                            ));
                            out.push(comment(format!(
                                "the address the peer of socket 2,{idx} connected from is not on the line"
                            )));
                            self.peers.insert(
                                sock,
                                Peer {
                                    local_port: Some(*port),
                                    declared: true,
                                },
                            );
                        }
                        None => out.push(comment(format!(
                            "a peer connected to server {server}, created before the tap started"
                        ))),
                    }
                }
            }
            "+WIPPEERCLOSE" => {
                if let (Some(proto), Some(idx)) = (at(0), at(1)) {
                    if self.known((proto, idx)) {
                        out.push(directive("close", name((proto, idx))));
                    }
                }
            }
            "+WIPDATA" => {
                if let (Some(proto), Some(idx)) = (at(0), at(1)) {
                    out.push(comment(format!(
                        "the peer of socket {proto},{idx} sent data the line shows only if it is read (+WIPDATARW hex dumps): stage it with @send"
                    )));
                }
            }
            _ => {}
        }
        out
    }

    fn modem_data(&mut self, channel: &str, raw: &[u8]) -> Vec<Item> {
        let Some(&(sock, transparent)) = self.mapped.get(channel) else {
            return Vec::new();
        };
        let pieces = if transparent {
            vec![Piece::Data(raw.to_vec())]
        } else {
            unescape(self.modem_esc.entry(channel.to_owned()).or_default(), raw)
        };
        let mut out = Vec::new();
        if sock.0 == UDP && !transparent {
            for p in pieces {
                match p {
                    Piece::Data(d) => match self.incoming.get_mut(channel) {
                        Some((_, buf)) => buf.extend_from_slice(&d),
                        None => {
                            // Its `@send` goes here once it has ended.
                            out.push(Item::Incoming);
                            self.incoming.insert(channel.to_owned(), (sock, d));
                        }
                    },
                    Piece::Etx => {
                        let Some(ev) = self.incoming_event(channel) else {
                            continue;
                        };
                        // Its place is in this unit when it began here.
                        match out.iter_mut().find(|i| matches!(i, Item::Incoming)) {
                            Some(slot) => *slot = Item::Ready(ev),
                            None => self.ended.push((channel.to_owned(), ev)),
                        }
                    }
                }
            }
            return out;
        }
        for p in pieces {
            match p {
                Piece::Data(d) if d == b"\r\nSHUTDOWN\r\n" && sock.0 != UDP => {
                    out.push(Item::Ready(directive("shutdown", name(sock))));
                }
                Piece::Data(d) => out.push(Item::Ready(self.peer_sent(sock, &d))),
                // The modem's lone ETX on a TCP socket is the peer's reset
                // (6.2.5: ETX, then +CME ERROR: 843); its shutdown is the
                // SHUTDOWN text (erratum E56).
                Piece::Etx if sock.0 != UDP && self.known(sock) => {
                    out.push(Item::Ready(directive("reset", name(sock))));
                }
                Piece::Etx => {}
            }
        }
        out
    }

    /// What the peer of `sock` sent the modem (`data`, one datagram on a
    /// UDP socket): `@send` when the line names the peer, else a comment.
    fn peer_sent(&self, sock: Socket, data: &[u8]) -> Event {
        if !self.known(sock) {
            return comment(format!(
                "a peer the line does not name sent {} bytes to socket {},{}",
                data.len(),
                sock.0,
                sock.1
            ));
        }
        let to = self
            .peers
            .get(&sock)
            .and_then(|p| p.local_port)
            .filter(|_| sock.0 == UDP)
            .map(|p| format!(" to {p}"))
            .unwrap_or_default();
        directive("send", format!("{}{to} {}", name(sock), quoted(data)))
    }

    /// The datagram a peer was sending on `channel` has ended: its
    /// `@send`, or `None` when none was begun.
    fn incoming_event(&mut self, channel: &str) -> Option<Event> {
        let (sock, d) = self.incoming.remove(channel)?;
        Some(self.peer_sent(sock, &d))
    }

    /// [`Stager::incoming_event`], its `@send` put in the place held for
    /// it.
    fn incoming_ended(&mut self, channel: &str) {
        if let Some(ev) = self.incoming_event(channel) {
            self.ended.push((channel.to_owned(), ev));
        }
    }
}

enum Piece {
    Data(Vec<u8>),
    Etx,
}

/// Unescapes payload of continuous mode into data and lone ETX marks.
fn unescape(u: &mut Unescaper, raw: &[u8]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    u.feed(raw, |p| match p {
        wip_runtime::escape::Piece::Data(d) => match out.last_mut() {
            Some(Piece::Data(prev)) => prev.extend_from_slice(d),
            _ => out.push(Piece::Data(d.to_vec())),
        },
        wip_runtime::escape::Piece::Etx => out.push(Piece::Etx),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modem(t: &str) -> Event {
        Event::ModemLine {
            text: t.into(),
            comment: None,
        }
    }

    fn cmd(t: &str) -> Event {
        Event::Command {
            text: t.into(),
            comment: None,
        }
    }

    /// The directives `s` writes around `events` on channel 1.
    fn play(s: &mut Stager, events: &[Event]) -> Vec<String> {
        directives(&written(s, events))
    }

    /// Everything `s` has written once `events` (on channel 1) and the
    /// end of the staging are given, in order.
    fn written(s: &mut Stager, events: &[Event]) -> Vec<Event> {
        let mut all = Vec::new();
        for e in events {
            all.extend(s.stage("1", e, e.clone()).into_iter().map(|(_, e)| e));
        }
        all.extend(s.finish().into_iter().map(|(_, e)| e));
        all
    }

    /// The directives among `events`, as written (`@peer tcp tcp5 ...`).
    fn directives(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Directive { name, args, .. } => Some(format!("@{name} {args}")),
                _ => None,
            })
            .collect()
    }

    /// The socket a TCP server spawns is a TCP client on the URC's index
    /// (5.1.2, 9.1.1.1): its peer is staged under that name, the one the
    /// later `AT+WIPDATA=2,5,...` and `+WIPPEERCLOSE: 2,5` use.
    #[test]
    fn an_accepted_socket_is_staged_as_a_tcp_client() {
        let mut s = Stager::default();
        let directives = play(
            &mut s,
            &[
                cmd("AT+WIPCREATE=3,1,6000,5,8"),
                modem("OK"),
                modem("+WIPACCEPT: 1,5"),
                modem("+WIPPEERCLOSE: 2,5"),
            ],
        );
        assert!(
            directives.contains(&"@peer tcp tcp5 connect 6000".to_string()),
            "{directives:?}"
        );
        assert!(
            directives.contains(&"@close tcp5".to_string()),
            "{directives:?}"
        );
    }

    /// A datagram the host writes in continuous mode is one `@expect`
    /// however many `>>` lines it took (a pause, a line feed, the 96-byte
    /// cut), up to its ETX; what is left when data mode ends is one more.
    #[test]
    fn a_datagram_is_expected_whole() {
        let mut s = Stager::default();
        let d = play(
            &mut s,
            &[
                cmd("AT+WIPCREATE=1,1,5000,\"127.0.0.1\",6000"),
                modem("OK"),
                modem("+WIPREADY: 1,1"),
                cmd("AT+WIPDATA=1,1,1"),
                modem("CONNECT"),
                Event::HostData(b"dgr".to_vec()),
                Event::HostData(b"am\nline\x10\x03\x03".to_vec()),
                Event::HostData(b"rest".to_vec()),
                Event::Escape { comment: None },
                modem("OK"),
            ],
        );
        assert!(
            d.contains(&"@expect udp1 \"dgram\\nline[ETX]\"".to_string()),
            "{d:?}"
        );
        // With option 13 at 0, the `+++` goes with it (4.1.3).
        assert!(d.contains(&"@expect udp1 \"rest+++\"".to_string()), "{d:?}");
        assert_eq!(
            d.iter().filter(|x| x.starts_with("@expect")).count(),
            2,
            "{d:?}"
        );
    }

    /// A datagram a peer sends to a UDP socket in continuous mode is one
    /// `@send`, written before its first `<<` line, however many lines it
    /// took, up to its lone ETX (6.2.2.2); one ending and the next
    /// beginning in one read are two, and what came of one when data mode
    /// ends is one more.
    #[test]
    fn a_datagram_from_a_peer_is_sent_whole_before_its_lines() {
        let mut s = Stager::default();
        let setup = [
            cmd("AT+WIPCREATE=1,1,5000,\"127.0.0.1\",6000"),
            modem("OK"),
            modem("+WIPREADY: 1,1"),
            cmd("AT+WIPDATA=1,1,1"),
            modem("CONNECT"),
        ];
        let n = written(&mut s, &setup).len();
        let data = |b: &[u8]| Event::ModemData(b.to_vec());
        let session = [
            data(b"first "),
            data(b"line\n"),
            data(b"and \x10\x03 more\x03sec"),
            data(b"ond\x03thi"),
            Event::Escape { comment: None },
            modem("OK"),
        ];
        let out = written(&mut s, &session);
        let send = |p: &str| Event::Directive {
            name: "send".into(),
            args: format!("udp1 to 5000 \"{p}\""),
            comment: None,
        };
        assert_eq!(
            out,
            vec![
                send("first line\\nand [ETX] more"),
                data(b"first "),
                data(b"line\n"),
                send("second"),
                data(b"and \x10\x03 more\x03sec"),
                // The third begins in this line: its `@send` goes before
                // it, once data mode has ended.
                send("thi"),
                data(b"ond\x03thi"),
                Event::Escape { comment: None },
                Event::Directive {
                    name: "expect".into(),
                    args: "udp1 \"+++\"".into(),
                    comment: None,
                },
                modem("OK"),
            ],
            "after {n} setup lines"
        );
    }

    /// Option 13 at its default (0): the `+++` that leaves data mode goes
    /// to the peer as data (4.1.3), staged as `@expect`; at 1 it does not.
    #[test]
    fn the_escape_sequence_sent_to_the_peer_is_expected() {
        let session = [
            cmd("AT+WIPCREATE=2,1,\"10.0.0.1\",80"),
            modem("OK"),
            modem("+WIPREADY: 2,1"),
            cmd("AT+WIPDATA=2,1,1"),
            modem("CONNECT"),
            Event::HostData(b"hi".to_vec()),
            Event::Escape { comment: None },
            modem("OK"),
        ];
        let mut s = Stager::default();
        let d = play(&mut s, &session);
        assert!(
            d.ends_with(&[
                "@expect tcp1 \"hi\"".to_string(),
                "@expect tcp1 \"+++\"".to_string()
            ]),
            "{d:?}"
        );
        let mut s = Stager::default();
        play(&mut s, &[cmd("AT+WIPCFG=2,13,1"), modem("OK")]);
        let d = play(&mut s, &session);
        assert!(!d.contains(&"@expect tcp1 \"+++\"".to_string()), "{d:?}");
    }

    /// A datagram reaching 5904 bytes goes out as one (6.2.2.2); the rest
    /// is the next.
    #[test]
    fn a_datagram_is_cut_at_its_largest_size() {
        let mut s = Stager::default();
        let mut big = vec![b'x'; 7000];
        big.push(0x03);
        let d = play(
            &mut s,
            &[
                cmd("AT+WIPCREATE=1,1,5000,\"127.0.0.1\",6000"),
                modem("OK"),
                cmd("AT+WIPDATA=1,1,1"),
                modem("CONNECT"),
                Event::HostData(big),
            ],
        );
        let sizes: Vec<usize> = d
            .iter()
            .filter_map(|d| d.strip_prefix("@expect udp1 \""))
            .map(|d| d.len() - 1)
            .collect();
        assert_eq!(sizes, [5904, 1096]);
    }

    /// After the host shut its side of a TCP socket down (a lone ETX),
    /// the `+++` reaches no peer (6.2.2.3); an `OK` refusing nothing, or a
    /// refused option 13, changes nothing; a start of the stack takes the
    /// stored option 13 back (4.1.4).
    #[test]
    fn the_escape_reaches_no_peer_after_a_shutdown_nor_with_option_13_at_1() {
        let plus = "@expect tcp1 \"+++\"".to_string();
        let open = [
            cmd("AT+WIPCREATE=2,1,\"10.0.0.1\",80"),
            modem("OK"),
            cmd("AT+WIPDATA=2,1,1"),
            modem("CONNECT"),
        ];
        let mut s = Stager::default();
        play(&mut s, &open);
        let d = play(
            &mut s,
            &[
                Event::HostData(b"hi\x03".to_vec()),
                Event::Escape { comment: None },
                modem("OK"),
            ],
        );
        assert!(!d.contains(&plus), "{d:?}");
        // Refused, option 13 stays 0; set, then the stack restarted
        // without storing it, it is 0 again.
        for cfg in [
            vec![cmd("AT+WIPCFG=2,13,1"), modem("ERROR")],
            vec![
                cmd("AT+WIPCFG=2,13,1"),
                modem("OK"),
                cmd("AT+WIPCFG=0"),
                modem("OK"),
                cmd("AT+WIPCFG=1"),
                modem("OK"),
            ],
        ] {
            let mut s = Stager::default();
            play(&mut s, &cfg);
            play(&mut s, &open);
            let d = play(&mut s, &[Event::Escape { comment: None }, modem("OK")]);
            assert!(d.contains(&plus), "{cfg:?}: {d:?}");
        }
        // Stored, it survives the restart.
        let mut s = Stager::default();
        play(
            &mut s,
            &[
                cmd("AT+WIPCFG=2,13,1"),
                modem("OK"),
                cmd("AT+WIPCFG=4,1"),
                modem("OK"),
                cmd("AT+WIPCFG=1"),
                modem("OK"),
            ],
        );
        play(&mut s, &open);
        let d = play(&mut s, &[Event::Escape { comment: None }, modem("OK")]);
        assert!(!d.contains(&plus), "{d:?}");
    }

    /// A ping's host is staged as answering (`@ping HOST`), once.
    #[test]
    fn a_pinged_host_is_staged_once() {
        let mut s = Stager::default();
        let d = play(
            &mut s,
            &[
                cmd("AT+WIPPING=\"127.0.0.1\",2"),
                modem("OK"),
                cmd("AT+WIPPING=\"127.0.0.1\""),
                modem("OK"),
            ],
        );
        assert_eq!(d, ["@ping 127.0.0.1"]);
    }

    /// 6.2.5: a peer's reset of a mapped TCP socket shows as the modem's
    /// lone ETX, then 843: staged as `@reset` before it.
    #[test]
    fn a_reset_is_staged() {
        let mut s = Stager::default();
        let directives = play(
            &mut s,
            &[
                cmd("AT+WIPCREATE=2,1,\"10.0.0.1\",80"),
                modem("OK"),
                modem("+WIPREADY: 2,1"),
                cmd("AT+WIPDATA=2,1,1"),
                modem("CONNECT"),
                Event::ModemData(b"ab\x03".to_vec()),
                modem("+CME ERROR: 843"),
            ],
        );
        assert!(
            directives.contains(&"@reset tcp1".to_string()),
            "{directives:?}"
        );
    }
}
