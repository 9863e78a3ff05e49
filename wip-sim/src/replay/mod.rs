//! `wip replay`: plays a transcript against an in-process emulator.
//!
//! Host lines (`AT...`, `>>`, `+++`) are sent on the UART of their channel;
//! modem lines and `<<` payloads are read back and compared. The network
//! side is staged with directives (`@peer`, `@send`, `@expect`, ...,
//! `docs/transcript-directives.md`): peers on loopback, known to the modem
//! by the names and addresses of the transcript through the emulator's
//! routes. Nothing leaves 127.0.0.1: names no route gives are unreachable.

mod directive;
mod pattern;
mod peers;
pub mod servers;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use wip_schema::classify::{self, InFlight, Index};
use wip_schema::Dialect;
use wip_transcript::{parse_str, Event};

pub use directive::{parse as parse_directive, Directive};
pub use pattern::{matches, substitute};

use crate::config::{Route, SimConfig};
use crate::flash::{Flash, FlashData};
use crate::runner::{Sim, UartHandle};
use peers::{show, End, Peer};
use servers::Server;

/// The path of a request target, as a staged server sees it.
fn servers_path(t: &str) -> &str {
    match t.strip_prefix("http://") {
        Some(rest) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/"),
        None => t,
    }
}

/// Waits until `f` holds, or `until`.
fn wait_for(until: Instant, mut f: impl FnMut() -> bool) -> Result<(), ()> {
    loop {
        if f() {
            return Ok(());
        }
        if Instant::now() >= until {
            return Err(());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// How a replay runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The emulator's `+++` guard time.
    pub guard: Duration,
    /// How long to wait for an expected line or payload.
    pub timeout: Duration,
    /// How long the lines must stay quiet at the end.
    pub quiet: Duration,
    /// The largest UDP datagram of continuous mode (the spec's limit).
    pub max_datagram: usize,
    /// The most a data offline TCP socket sends of one buffer (6.3.1, the
    /// spec's limit).
    pub offline_tcp_buffer: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            guard: wip_runtime::guard::DEFAULT_GUARD,
            timeout: Duration::from_secs(5),
            quiet: Duration::from_millis(100),
            max_datagram: SimConfig::default().max_datagram,
            offline_tcp_buffer: SimConfig::default().offline_tcp_buffer,
        }
    }
}

/// Where a replay went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// 1-based line of the transcript.
    pub line: usize,
    /// `expected …, got …`.
    pub message: String,
}

/// One UART of the replay.
struct Chan {
    uart: UartHandle,
    buf: Vec<u8>,
    echo: bool,
    data: bool,
    last_write: Instant,
    /// When bytes from the emulator last arrived: the emulator entered a
    /// data mode no later than it sent them, so the silence before a
    /// `+++` is counted from here too.
    last_read: Instant,
    /// The command of the spec last sent, by index.
    command: Option<usize>,
}

impl Chan {
    fn send(&mut self, b: &[u8]) {
        self.uart.send(b);
        self.last_write = Instant::now();
    }

    /// Waits for more bytes; false at the deadline.
    fn fill(&mut self, until: Instant) -> bool {
        let left = until.saturating_duration_since(Instant::now());
        match self.uart.recv_timeout(left) {
            Some(b) => {
                self.buf.extend_from_slice(&b);
                self.last_read = Instant::now();
                true
            }
            None => false,
        }
    }

    fn take(&mut self, n: usize, until: Instant) -> Result<Vec<u8>, Vec<u8>> {
        while self.buf.len() < n {
            if !self.fill(until) {
                return Err(std::mem::take(&mut self.buf));
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// The next `<CR><LF>`-framed line; in data mode nothing may come
    /// before it.
    fn line(&mut self, until: Instant) -> Result<String, String> {
        loop {
            if self.data {
                if self.buf.len() >= 2 && !self.buf.starts_with(b"\r\n") {
                    return Err(format!("data {}", show(&self.buf)));
                }
                if let Some(end) = find(self.buf.get(2..).unwrap_or_default(), b"\r\n") {
                    let line: Vec<u8> = self.buf.drain(..end + 4).collect();
                    let text = line.get(2..end + 2).unwrap_or_default();
                    return Ok(String::from_utf8_lossy(text).into_owned());
                }
            } else {
                let skip = self
                    .buf
                    .iter()
                    .take_while(|b| **b == b'\r' || **b == b'\n')
                    .count();
                self.buf.drain(..skip);
                if let Some(end) = find(&self.buf, b"\r\n") {
                    let line: Vec<u8> = self.buf.drain(..end + 2).collect();
                    let text = line.get(..end).unwrap_or_default();
                    return Ok(String::from_utf8_lossy(text).into_owned());
                }
            }
            if !self.fill(until) {
                return Err(if self.buf.is_empty() {
                    "nothing".into()
                } else {
                    show(&self.buf)
                });
            }
        }
    }
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

/// The flash at power-on, from the `@flash` directives.
fn flash_of(events: &[wip_transcript::Spanned<Event>]) -> FlashData {
    let mut f = FlashData::default();
    for ev in events {
        if let Event::Directive { name, args, .. } = &ev.value {
            match directive::parse(name, args) {
                Ok(Some(Directive::FlashStack(o, v))) => {
                    f.stack.get_or_insert_with(BTreeMap::new).insert(o, v);
                }
                Ok(Some(Directive::FlashBearer(b, o, v))) => {
                    f.bearers.entry(b).or_default().insert(o, v);
                }
                _ => {}
            }
        }
    }
    f
}

/// Replays a transcript; `log` gets the emulator's own log of the session.
/// Gives the first mismatch, if any.
pub fn replay(
    d: Arc<Dialect>,
    text: &str,
    opts: &Options,
    log: Option<Box<dyn Write + Send>>,
) -> Result<(), Mismatch> {
    let events = parse_str(text).map_err(|e| Mismatch {
        line: e.line,
        message: format!("malformed line: {}", e.kind),
    })?;
    let cfg = SimConfig {
        guard: opts.guard,
        ephemeral_ports: true,
        routed_only: true,
        max_datagram: opts.max_datagram,
        offline_tcp_buffer: opts.offline_tcp_buffer,
        ..SimConfig::default()
    };
    let index = Index::new(&d);
    let dialect = d.clone();
    let sim =
        Sim::start_with_flash(d, cfg, Flash::in_memory(flash_of(&events)), log).map_err(|e| {
            Mismatch {
                line: 1,
                message: format!("the emulator cannot start: {e}"),
            }
        })?;
    let mut r = Run {
        sim,
        d: dialect,
        index,
        opts,
        chans: BTreeMap::new(),
        peers: BTreeMap::new(),
        servers: BTreeMap::new(),
        vars: BTreeMap::new(),
        pattern: None,
        skipping: false,
        last_line: 1,
    };
    let out = r.run(&events);
    for p in r.peers.values() {
        p.stop();
    }
    for s in r.servers.values() {
        s.stop();
    }
    out
}

struct Run<'o> {
    sim: Sim,
    d: Arc<Dialect>,
    index: Index,
    opts: &'o Options,
    chans: BTreeMap<String, Chan>,
    peers: BTreeMap<String, Peer>,
    servers: BTreeMap<String, Server>,
    vars: BTreeMap<String, String>,
    pattern: Option<String>,
    skipping: bool,
    last_line: usize,
}

impl Run<'_> {
    fn until(&self) -> Instant {
        Instant::now() + self.opts.timeout
    }

    fn chan(&mut self, name: &str) -> &mut Chan {
        if !self.chans.contains_key(name) {
            let c = Chan {
                uart: self.sim.attach_memory(),
                buf: Vec::new(),
                echo: true,
                data: false,
                last_write: Instant::now(),
                last_read: Instant::now(),
                command: None,
            };
            self.chans.insert(name.to_string(), c);
        }
        // Inserted just above when missing.
        self.chans.get_mut(name).unwrap_or_else(|| unreachable!())
    }

    fn run(&mut self, events: &[wip_transcript::Spanned<Event>]) -> Result<(), Mismatch> {
        for ev in events {
            let line = ev.line;
            self.last_line = line;
            let fail = |message: String| Mismatch { line, message };
            if self.skipping {
                if let Event::Directive { name, .. } = &ev.value {
                    if name == "resume" {
                        self.skipping = false;
                    }
                }
                continue;
            }
            let until = self.until();
            match &ev.value {
                Event::Comment(_) => {}
                Event::Directive { name, args, .. } => {
                    let args = substitute(args, &self.vars);
                    match directive::parse(name, &args) {
                        Ok(Some(dir)) => self.directive(dir).map_err(fail)?,
                        Ok(None) => {}
                        Err(e) => return Err(fail(format!("bad directive @{name}: {e}"))),
                    }
                }
                Event::Command { text, .. } => {
                    if self.pattern.is_some() {
                        return Err(fail("@match is not followed by a modem line".into()));
                    }
                    let command = wip_schema::fields::command_line(text)
                        .and_then(|cl| self.d.command(cl.name))
                        .map(|(i, _)| i);
                    let c = self.chan(&ev.channel);
                    c.command = command;
                    let mut wire = text.clone().into_bytes();
                    wire.push(b'\r');
                    c.send(&wire);
                    if c.echo {
                        match c.take(wire.len(), until) {
                            Ok(got) if got == wire => {}
                            Ok(got) | Err(got) => {
                                return Err(fail(format!(
                                    "expected the echo of `{text}`, got {}",
                                    show(&got)
                                )))
                            }
                        }
                    }
                    let t = text.to_ascii_uppercase();
                    if t == "ATE0" || t == "ATE" {
                        c.echo = false;
                    } else if t == "ATE1" {
                        c.echo = true;
                    }
                }
                Event::ModemLine { text, .. } => {
                    let pattern = self.pattern.take();
                    let c = self.chan(&ev.channel);
                    let command = c.command;
                    let got = c
                        .line(until)
                        .map_err(|got| fail(format!("expected `{text}`, got {got}")))?;
                    let ok = match &pattern {
                        Some(p) => matches(p, &got, &mut self.vars),
                        None => {
                            got == *text || prefix_only(&self.d, &self.index, command, text, &got)
                        }
                    };
                    if !ok {
                        let want = pattern.as_deref().unwrap_or(text);
                        return Err(fail(format!("expected `{want}`, got `{got}`")));
                    }
                    let c = self.chan(&ev.channel);
                    c.data = ev.value.is_connect();
                }
                Event::HostData(b) => self.chan(&ev.channel).send(b),
                Event::ModemData(b) => {
                    let c = self.chan(&ev.channel);
                    match c.take(b.len(), until) {
                        Ok(got) if got == *b => {}
                        Ok(got) | Err(got) => {
                            return Err(fail(format!(
                                "expected {}, got {}",
                                show(b),
                                if got.is_empty() {
                                    "nothing".into()
                                } else {
                                    show(&got)
                                }
                            )))
                        }
                    }
                }
                Event::Escape { .. } => {
                    let guard = self.opts.guard;
                    let c = self.chan(&ev.channel);
                    // Silence on the host's side since both its last byte
                    // and the emulator's last answer: under load the
                    // emulator may enter data mode well after the host
                    // wrote the command that opened it.
                    let ready = c.last_write.max(c.last_read) + guard + guard / 5;
                    let now = Instant::now();
                    if ready > now {
                        std::thread::sleep(ready - now);
                    }
                    c.send(b"+++");
                }
            }
        }
        self.quiet()
    }

    /// Nothing more may come once the transcript is over.
    fn quiet(&mut self) -> Result<(), Mismatch> {
        std::thread::sleep(self.opts.quiet);
        let line = self.last_line;
        for (name, c) in &mut self.chans {
            while let Some(b) = c.uart.recv_timeout(Duration::ZERO) {
                c.buf.extend_from_slice(&b);
            }
            if !c.buf.is_empty() {
                return Err(Mismatch {
                    line,
                    message: format!(
                        "expected nothing more on channel {name}, got {}",
                        show(&c.buf)
                    ),
                });
            }
        }
        Ok(())
    }

    /// Where the modem's TCP server on `port` listens.
    fn modem_port(&self, port: u16, until: Instant) -> Result<std::net::SocketAddr, String> {
        loop {
            if let Some(a) = self.sim.real_port(3, port) {
                return Ok(a);
            }
            if Instant::now() >= until {
                return Err(format!("the modem listens on no port {port}"));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn peer(&self, name: &str) -> Result<&Peer, String> {
        self.peers
            .get(name)
            .ok_or_else(|| format!("no peer `{name}`"))
    }

    fn add_peer(&mut self, name: String, p: Peer) -> Result<(), String> {
        if let Some(old) = self.peers.insert(name.clone(), p) {
            old.stop();
        }
        Ok(())
    }

    fn directive(&mut self, dir: Directive) -> Result<(), String> {
        let until = self.until();
        let err = |e: std::io::Error| e.to_string();
        match dir {
            Directive::UdpPeer {
                name,
                host,
                port,
                echo,
            } => {
                let (p, real) = Peer::udp(echo).map_err(err)?;
                self.sim.add_route(Route {
                    host,
                    port,
                    real,
                    udp: true,
                });
                self.add_peer(name, p)
            }
            Directive::TcpListen {
                name,
                host,
                port,
                echo,
            } => {
                let (p, real) = Peer::listen(echo).map_err(err)?;
                self.sim.add_route(Route {
                    host,
                    port,
                    real,
                    udp: false,
                });
                self.add_peer(name, p)
            }
            Directive::Route {
                host,
                port,
                modem_port,
            } => {
                let real = self.modem_port(modem_port, until)?;
                self.sim.add_route(Route {
                    host,
                    port,
                    real,
                    udp: false,
                });
                Ok(())
            }
            Directive::TcpConnect {
                name,
                port,
                as_peer,
            } => {
                let to = self.modem_port(port, until)?;
                let (sock, local) = Peer::bound_socket().map_err(err)?;
                if let Some((host, port)) = as_peer {
                    self.sim.add_route(Route {
                        host,
                        port,
                        real: local,
                        udp: false,
                    });
                }
                let p = Peer::connect(sock, to).map_err(err)?;
                self.add_peer(name, p)
            }
            Directive::Send { name, to, data } => {
                let dest = match to {
                    Some(port) => Some(
                        self.sim
                            .real_port(1, port)
                            .ok_or_else(|| format!("the modem has no UDP port {port}"))?,
                    ),
                    None => None,
                };
                self.peer(&name)?.send(&data, dest, until)
            }
            Directive::Expect { name, data } => self
                .peer(&name)?
                .expect(&data, until)
                .map_err(|got| format!("expected {} at peer {name}, got {got}", show(&data))),
            Directive::Shutdown(n) => self.peer(&n)?.end(End::Shutdown, until),
            Directive::Close(n) => self.peer(&n)?.end(End::Close, until),
            Directive::Reset(n) => self.peer(&n)?.end(End::Reset, until),
            Directive::ExpectClosed(n) => self
                .peer(&n)?
                .expect_closed(until)
                .map_err(|got| format!("expected peer {n} closed, got {got}")),
            Directive::Match(p) => {
                self.pattern = Some(p);
                Ok(())
            }
            Directive::Skip => {
                self.skipping = true;
                Ok(())
            }
            Directive::Resume => Ok(()),
            Directive::Wait(ms) => {
                std::thread::sleep(Duration::from_millis(ms));
                Ok(())
            }
            Directive::FlashStack(..) | Directive::FlashBearer(..) => Ok(()),
            Directive::Server {
                kind,
                name,
                host,
                port,
                login,
            } => {
                let (s, real) = Server::start(kind, login).map_err(err)?;
                self.sim.add_route(Route {
                    host,
                    port,
                    real,
                    udp: false,
                });
                self.servers.insert(name, s);
                Ok(())
            }
            Directive::Ping(host, lost) => {
                for idx in lost {
                    self.sim.lose_echo(&host, idx);
                }
                self.sim.add_route(Route {
                    host,
                    port: 0,
                    real: SocketAddr::from(([127, 0, 0, 1], 0)),
                    udp: false,
                });
                Ok(())
            }
            Directive::File(n, path, data) => {
                let path = path
                    .trim_start_matches("./")
                    .trim_start_matches('/')
                    .to_string();
                self.server(&n)?.store().files.insert(path, data);
                Ok(())
            }
            Directive::Answer(n, method, path, status, body) => {
                self.server(&n)?
                    .store()
                    .answers
                    .push((method, path, status, body));
                Ok(())
            }
            Directive::Mail(n, i, data) => {
                let s = self.server(&n)?;
                let mut st = s.store();
                while st.mails.len() < i {
                    let k = st.mails.len() + 1;
                    st.mails.push(Some(
                        format!("Subject: mail {k}\r\n\r\nMail {k}.\r\n").into_bytes(),
                    ));
                }
                if let Some(slot) = i.checked_sub(1).and_then(|j| st.mails.get_mut(j)) {
                    *slot = Some(data);
                }
                Ok(())
            }
            Directive::ExpectFile(n, path, data) => {
                let path = path
                    .trim_start_matches("./")
                    .trim_start_matches('/')
                    .to_string();
                let s = self.server(&n)?;
                wait_for(until, || s.store().files.get(&path) == Some(&data)).map_err(|_| {
                    let got = s.store().files.get(&path).map(|d| show(d));
                    format!(
                        "expected {} in file {path} of {n}, got {got:?}",
                        show(&data)
                    )
                })
            }
            Directive::ExpectRequest(n, method, path, body) => {
                let s = self.server(&n)?;
                let hit = |st: &servers::Store| {
                    st.requests.iter().any(|(m, t, b)| {
                        *m == method && (*t == path || servers_path(t) == path) && *b == body
                    })
                };
                wait_for(until, || hit(&s.store())).map_err(|_| {
                    format!(
                        "{n} got no {method} {path} with {}; got {:?}",
                        show(&body),
                        s.store()
                            .requests
                            .iter()
                            .map(|(m, t, b)| format!("{m} {t} {}", show(b)))
                            .collect::<Vec<_>>()
                    )
                })
            }
            Directive::ExpectMail(n, data) => {
                let s = self.server(&n)?;
                let next = |st: &servers::Store| st.mails.get(st.mails_checked).cloned().flatten();
                wait_for(until, || next(&s.store()).is_some())
                    .map_err(|_| format!("{n} got no mail"))?;
                let mut st = s.store();
                let got = next(&st).unwrap_or_default();
                st.mails_checked += 1;
                if got == data {
                    Ok(())
                } else {
                    Err(format!(
                        "expected mail {} at {n}, got {}",
                        show(&data),
                        show(&got)
                    ))
                }
            }
        }
    }

    fn server(&self, name: &str) -> Result<&Server, String> {
        self.servers
            .get(name)
            .ok_or_else(|| format!("no server `{name}`"))
    }
}

/// Whether two modem lines are one response, written once bare as the
/// manual prints it and once with the command's prefix as real modems
/// send it (erratum E41: `6,1` and `+WIPBR: 6,1` answering `AT+WIPBR?`).
fn prefix_only(d: &Dialect, index: &Index, command: Option<usize>, a: &str, b: &str) -> bool {
    let Some(c) = command else {
        return false;
    };
    let in_flight = InFlight::Command(c);
    let parse = |t: &str| wip_schema::parse_message_in(d, index, t, in_flight).ok();
    let prefixed = |t: &str| index.prefixed_bare(in_flight, &classify::parts(t.as_bytes()));
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => {
            x.message == y.message
                && x.values == y.values
                && (prefixed(a) == Some(x.message)) != (prefixed(b) == Some(y.message))
        }
        _ => false,
    }
}
