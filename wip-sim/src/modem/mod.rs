//! The emulator core: a deterministic, synchronous state machine.
//!
//! It is fed bytes from the UARTs ([`Modem::feed`]), network events
//! ([`Modem::net`]) and the time ([`Modem::tick`]), and it produces
//! [`Action`]s. It holds no thread, no clock and no socket, so one run of
//! inputs always gives the same outputs, whatever the chunking of the bytes.

mod cmd_sock;
mod cmd_stack;
mod data;
mod errors;
mod events;
mod mms;
mod mms_session;
mod offline;
mod ping;
mod rxbuf;
mod service;
mod sockets;
mod uart;
mod view;
mod xfer;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use wip_schema::{format_message, Bound, Dialect};
use wip_transcript::Event;

use crate::flash::Flash;
use crate::names::Names;
use crate::net::{NetCmd, NetEvent, SockId};
use crate::SimError;

pub use errors::Fin;
use sockets::Sockets;
use uart::Uart;

/// A UART of the modem, numbered from 1 (its transcript channel name).
pub type UartId = u32;

/// Most bytes a socket may have handed to the network and not yet sent
/// before the mapped UART stops being read (back-pressure).
pub const TX_HIGH: usize = 256 * 1024;
/// Most bytes waiting to be written to a UART before the core stops
/// moving received data to it.
pub const OUT_HIGH: usize = 256 * 1024;

/// What the core asks its surroundings to do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Write bytes to a UART.
    Uart(UartId, Vec<u8>),
    /// The core has taken `n` more bytes of this UART: its reader may read
    /// that many more (the UART's credit window).
    Credit(UartId, usize),
    /// A request to the network driver.
    Net(NetCmd),
    /// A transcript event on the channel of this UART, for the log.
    Log(UartId, Event),
}

/// Emulator settings the core uses.
#[derive(Debug, Clone)]
pub struct CoreConfig {
    /// The `+++` guard time.
    pub guard: Duration,
    /// The bearer's address (4.2.3 options 15 to 18).
    pub host_ip: String,
    /// DNS servers reported by a started bearer.
    pub dns: [String; 2],
    /// Largest datagram of UDP continuous mode (6.2.2.2 footnote: 5904).
    pub max_datagram: usize,
    /// Most bytes of one data offline TX buffer a TCP socket sends (6.3.1,
    /// the spec's `offline_tcp_buffer`); `None`: all.
    pub offline_tcp_buffer: Option<usize>,
    /// Whether [`Action::Log`] events are produced; without a log to
    /// write, the core spares itself a copy of every byte of data.
    pub log: bool,
}

impl Default for CoreConfig {
    fn default() -> Self {
        CoreConfig {
            guard: wip_runtime::guard::DEFAULT_GUARD,
            host_ip: "127.0.0.1".into(),
            dns: ["0.0.0.0".into(), "0.0.0.0".into()],
            max_datagram: 5904,
            offline_tcp_buffer: crate::config::embedded_limit("offline_tcp_buffer"),
            log: true,
        }
    }
}

/// The modem.
#[derive(Debug)]
pub struct Modem {
    d: Arc<Dialect>,
    n: Names,
    cfg: CoreConfig,
    flash: Flash,
    /// Whether the IP stack is started (4.1).
    started: bool,
    /// The stack options as configured (4.1.3), option number to value:
    /// what `AT+WIPCFG?` reads and `AT+WIPCFG=4,1` stores.
    stack_opts: BTreeMap<i64, i64>,
    /// The stack options in force: taken from the stored configuration or
    /// the defaults at `AT+WIPCFG=1`, and changed at run time only for the
    /// options 4.1.7 lists ([`wip_transcript::state::RUN_TIME_STACK_OPTIONS`]).
    stack_live: BTreeMap<i64, i64>,
    bearers: cmd_stack::Bearers,
    socks: Sockets,
    uarts: BTreeMap<UartId, Uart>,
    next_id: SockId,
    /// Pings running (7.1), and the UART that gets their URCs.
    pings: BTreeMap<SockId, UartId>,
    /// Service sessions (5.1.2 modes 4 to 8), by protocol and index.
    services: BTreeMap<sockets::Key, service::Service>,
    /// File transfers running (+WIPFILE), by their driver id.
    xfers: BTreeMap<SockId, xfer::Xfer>,
    /// POP3 deletions (option 74) waiting for the server, by session: the
    /// UART that asked and the echo it gets once the mail is deleted.
    deleting: BTreeMap<SockId, (UartId, String)>,
    out: Vec<Action>,
}

impl Modem {
    /// A powered-on modem with its stack stopped.
    pub fn new(d: Arc<Dialect>, cfg: CoreConfig, flash: Flash) -> Result<Self, SimError> {
        let n = Names::resolve(&d)?;
        let mut m = Modem {
            d,
            n,
            cfg,
            flash,
            started: false,
            stack_opts: BTreeMap::new(),
            stack_live: BTreeMap::new(),
            bearers: cmd_stack::Bearers::default(),
            socks: Sockets::default(),
            uarts: BTreeMap::new(),
            next_id: 1,
            pings: BTreeMap::new(),
            services: BTreeMap::new(),
            xfers: BTreeMap::new(),
            deleting: BTreeMap::new(),
            out: Vec::new(),
        };
        m.stack_opts = m.stack_defaults();
        m.stack_live = m.stack_opts.clone();
        Ok(m)
    }

    /// The dialect.
    pub fn dialect(&self) -> &Dialect {
        &self.d
    }

    /// A UART comes up (a host connected to it).
    pub fn attach(&mut self, u: UartId) {
        self.uarts.insert(u, Uart::new());
    }

    /// A UART goes away: sockets mapped on it are unmapped.
    pub fn detach(&mut self, u: UartId, now: Instant) {
        if let Some(uart) = self.uarts.get(&u) {
            if let uart::Mode::Data(s) = &uart.mode {
                let key = s.key;
                self.leave_data(u, now, None);
                self.socks.unmap(key);
            }
        }
        self.uarts.remove(&u);
        self.socks.forget_uart(u);
    }

    /// The UARTs attached.
    pub fn uarts(&self) -> impl Iterator<Item = UartId> + '_ {
        self.uarts.keys().copied()
    }

    /// Bytes from the host on UART `u`, arrived at `now`.
    pub fn feed(&mut self, u: UartId, bytes: &[u8], now: Instant) {
        self.feed_vec(u, bytes.to_vec(), now);
    }

    /// [`Modem::feed`] with bytes the caller gives up, spared a copy.
    pub fn feed_vec(&mut self, u: UartId, bytes: Vec<u8>, now: Instant) {
        let Some(uart) = self.uarts.get_mut(&u) else {
            return;
        };
        uart.owed += bytes.len();
        uart.input.push_back((now, bytes));
        self.process(u, now);
    }

    /// `n` bytes given with [`Action::Uart`] have been written out.
    pub fn written(&mut self, u: UartId, n: usize, now: Instant) {
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.out_pending = uart.out_pending.saturating_sub(n);
        }
        self.pump_uart(u, now);
    }

    /// An event from the network driver.
    pub fn net(&mut self, ev: NetEvent, now: Instant) {
        self.net_event(ev, now);
    }

    /// The time passes: guard times and segmentation timers.
    pub fn tick(&mut self, now: Instant) {
        let ids: Vec<UartId> = self.uarts.keys().copied().collect();
        for u in ids {
            self.tick_uart(u, now);
        }
    }

    /// When [`Modem::tick`] next has something to do.
    pub fn deadline(&self) -> Option<Instant> {
        self.uarts.values().filter_map(Uart::deadline).min()
    }

    /// The actions produced so far, in order.
    pub fn take_actions(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.out)
    }

    fn new_id(&mut self) -> SockId {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    // ---------------------------------------------------------------- output

    fn log(&mut self, u: UartId, ev: Event) {
        if self.cfg.log {
            self.out.push(Action::Log(u, ev));
        }
    }

    /// Writes raw bytes to a UART.
    fn raw(&mut self, u: UartId, bytes: Vec<u8>) {
        if bytes.is_empty() {
            return;
        }
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.out_pending += bytes.len();
            self.out.push(Action::Uart(u, bytes));
        }
    }

    /// Sends one line framed by `<CR><LF>` (2.2), and logs it.
    fn line(&mut self, u: UartId, text: &str) {
        self.raw(u, format!("\r\n{text}\r\n").into_bytes());
        self.log(
            u,
            Event::ModemLine {
                text: text.to_string(),
                comment: None,
            },
        );
    }

    /// Formats a message of the dialect.
    fn fmt(&self, msg: usize, b: &Bound) -> String {
        format_message(&self.d, msg, b)
    }

    /// Queues an unsolicited line for UART `u` (or the first UART when it
    /// is gone); it goes out when that UART is in AT mode and idle.
    fn urc(&mut self, u: UartId, text: String) {
        self.urc_of(u, text, None);
    }

    /// [`Self::urc`] of a line that tells of data to read on socket
    /// `about`: a UART that holds it (in data mode, or answering a
    /// command) drops it when the socket is closed meanwhile, by another
    /// UART or the stack's stop (5.2.7: "no more data can be sent and
    /// received over the socket").
    fn urc_of(&mut self, u: UartId, text: String, about: Option<SockId>) {
        let target = if self.uarts.contains_key(&u) {
            Some(u)
        } else {
            self.uarts.keys().next().copied()
        };
        if let Some(t) = target {
            if let Some(uart) = self.uarts.get_mut(&t) {
                uart.urcs.push_back((text, about));
            }
            self.flush_urcs(t);
        }
    }

    fn flush_urcs(&mut self, u: UartId) {
        loop {
            let Some(uart) = self.uarts.get_mut(&u) else {
                return;
            };
            if !uart.idle() {
                return;
            }
            let Some((text, about)) = uart.urcs.pop_front() else {
                return;
            };
            if about.is_some_and(|id| self.socks.by_id(id).is_none()) {
                continue;
            }
            self.line(u, &text);
        }
    }

    /// Returns the credit owed to a UART when its data may flow.
    fn settle(&mut self, u: UartId) {
        let Some(uart) = self.uarts.get(&u) else {
            return;
        };
        if uart.owed == 0 || !uart.input.is_empty() {
            return;
        }
        if let uart::Mode::Data(s) = &uart.mode {
            if self
                .socks
                .get(s.key)
                .is_some_and(|k| k.tx_inflight > TX_HIGH)
            {
                return;
            }
        }
        if let Some(uart) = self.uarts.get_mut(&u) {
            let n = std::mem::take(&mut uart.owed);
            self.out.push(Action::Credit(u, n));
        }
    }
}
