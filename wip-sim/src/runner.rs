//! The threads around the core: one thread owns the [`Modem`] and takes
//! every input from one queue (UART bytes, network events, writes done);
//! UART transports have a reader (with a credit window) and a writer.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use wip_schema::Dialect;

use crate::config::{Route, SimConfig};
use crate::flash::Flash;
use crate::hostnet::credit::Credit;
use crate::hostnet::{send_now, HostNet};
use crate::log::Log;
use crate::modem::{Action, CoreConfig, Modem, UartId};
use crate::net::NetEvent;
use crate::threads::Threads;
use crate::SimError;

/// Bytes a UART reader may read ahead of the core.
pub const UART_WINDOW: usize = 64 * 1024;

struct UartOut {
    tx: mpsc::Sender<Vec<u8>>,
    credit: Option<Arc<Credit>>,
    /// In-memory: written as soon as handed over.
    memory: bool,
    /// A TCP UART's socket, which the core's thread writes to itself
    /// (what it takes without waiting) while its writer has nothing left.
    direct: Option<TcpStream>,
    /// Buffers given to the writer thread and not yet written.
    queued: Arc<AtomicUsize>,
}

enum Input {
    Attach(UartId, UartOut),
    Bytes(UartId, Vec<u8>, Instant),
    Detach(UartId),
    Written(UartId, usize),
    Net(NetEvent),
    Stop,
}

/// A running emulator.
pub struct Sim {
    tx: mpsc::Sender<Input>,
    net: HostNet,
    core: Option<JoinHandle<()>>,
    next_uart: Arc<AtomicU32>,
    stop: Arc<AtomicBool>,
    threads: Threads,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim").finish_non_exhaustive()
    }
}

/// The host side of an in-memory UART.
#[derive(Debug)]
pub struct UartHandle {
    id: UartId,
    tx: mpsc::Sender<Input>,
    rx: mpsc::Receiver<Vec<u8>>,
}

impl UartHandle {
    /// The UART's number (its channel name in the log).
    pub fn id(&self) -> UartId {
        self.id
    }

    /// Writes bytes to the modem.
    pub fn send(&self, bytes: &[u8]) {
        let _ = self
            .tx
            .send(Input::Bytes(self.id, bytes.to_vec(), Instant::now()));
    }

    /// Bytes from the modem, waiting at most `d`.
    pub fn recv_timeout(&self, d: Duration) -> Option<Vec<u8>> {
        self.rx.recv_timeout(d).ok()
    }
}

impl Drop for UartHandle {
    fn drop(&mut self) {
        let _ = self.tx.send(Input::Detach(self.id));
    }
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Input")
    }
}

impl Sim {
    /// Starts an emulator for dialect `d`; `log` gets every line in and out
    /// in the transcript format.
    pub fn start(
        d: Arc<Dialect>,
        cfg: SimConfig,
        log: Option<Box<dyn Write + Send>>,
    ) -> Result<Sim, SimError> {
        let flash = match &cfg.flash {
            Some(p) => Flash::open(p)?,
            None => Flash::default(),
        };
        Self::start_with_flash(d, cfg, flash, log)
    }

    /// [`Sim::start`] with a given flash.
    pub fn start_with_flash(
        d: Arc<Dialect>,
        cfg: SimConfig,
        flash: Flash,
        log: Option<Box<dyn Write + Send>>,
    ) -> Result<Sim, SimError> {
        let core_cfg = CoreConfig {
            guard: cfg.guard,
            host_ip: cfg.host_ip.to_string(),
            dns: cfg.dns.map(|a| a.to_string()),
            max_datagram: cfg.max_datagram,
            offline_tcp_buffer: cfg.offline_tcp_buffer,
            log: log.is_some(),
        };
        let modem = Modem::new(d, core_cfg, flash)?;
        let (tx, rx) = mpsc::channel::<Input>();
        let sink_tx = tx.clone();
        let net = HostNet::new(
            cfg,
            Arc::new(move |ev| {
                let _ = sink_tx.send(Input::Net(ev));
            }),
        );
        let n2 = net.clone();
        let core = std::thread::Builder::new()
            .name("wip-sim-core".into())
            .spawn(move || run(modem, &rx, &n2, log.map(Log::new)))?;
        Ok(Sim {
            tx,
            net,
            core: Some(core),
            next_uart: Arc::new(AtomicU32::new(1)),
            stop: Arc::new(AtomicBool::new(false)),
            threads: Threads::default(),
        })
    }

    fn uart_id(&self) -> UartId {
        self.next_uart.fetch_add(1, Ordering::SeqCst)
    }

    /// A UART in memory, for tests and replay.
    pub fn attach_memory(&self) -> UartHandle {
        let id = self.uart_id();
        let (otx, orx) = mpsc::channel();
        let _ = self.tx.send(Input::Attach(
            id,
            UartOut {
                tx: otx,
                credit: None,
                memory: true,
                direct: None,
                queued: Arc::default(),
            },
        ));
        UartHandle {
            id,
            tx: self.tx.clone(),
            rx: orx,
        }
    }

    /// A UART over a byte stream (a TCP connection, a pseudo-terminal).
    /// Reads that time out are retried; the end of the stream detaches it.
    pub fn attach_stream<R, W>(&self, r: R, w: W) -> UartId
    where
        R: Read + Send + 'static,
        W: Write + Send + 'static,
    {
        self.handle().attach_stream(r, w)
    }

    fn handle(&self) -> SimRef {
        SimRef {
            tx: self.tx.clone(),
            next_uart: Arc::clone(&self.next_uart),
            stop: Arc::clone(&self.stop),
            threads: self.threads.clone(),
        }
    }

    /// A UART on a new pseudo-terminal: gives the path of its device side,
    /// for serial port clients, and the device itself, which must be kept
    /// open while the UART is in use.
    #[cfg(unix)]
    pub fn attach_pty(&self) -> Result<(String, serialport::TTYPort), SimError> {
        let (controller, device) = wip_runtime::serial::pty_pair()?;
        let name = serialport::SerialPort::name(&device).unwrap_or_default();
        let reader = controller.try_clone_native()?;
        self.attach_stream(reader, controller);
        Ok((name, device))
    }

    /// Serves UARTs on a TCP address: every connection is one UART of this
    /// modem. Gives the bound address.
    pub fn listen(&self, addr: SocketAddr) -> Result<SocketAddr, SimError> {
        let l = TcpListener::bind(addr)?;
        let local = l.local_addr()?;
        l.set_nonblocking(true)?;
        let me = self.handle();
        self.threads.spawn("wip-uart-listener", move || loop {
            if me.stop.load(Ordering::SeqCst) {
                return;
            }
            match l.accept() {
                Ok((s, _)) => {
                    let _ = s.set_nonblocking(false);
                    let _ = s.set_nodelay(true);
                    let _ = s.set_read_timeout(Some(Duration::from_millis(100)));
                    // A client that does not read holds its UART's writer
                    // no longer than the emulator runs.
                    let _ = s.set_write_timeout(Some(Duration::from_millis(100)));
                    if let (Ok(r), Ok(direct)) = (s.try_clone(), s.try_clone()) {
                        me.attach(r, s, Some(direct));
                    }
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        })?;
        Ok(local)
    }

    /// Where the modem's local port really is (1: UDP, 3: TCP server).
    pub fn real_port(&self, proto: u8, port: u16) -> Option<SocketAddr> {
        self.net.real_port(proto, port)
    }

    /// Puts a peer the modem names `host:port` at `real`.
    pub fn add_route(&self, r: Route) {
        self.net.add_route(r);
    }

    /// Makes the network lose echo request `idx` of the pings of `host`
    /// (replay staging, `@ping HOST lose N`).
    pub fn lose_echo(&self, host: &str, idx: u16) {
        self.net.lose_echo(host, idx);
    }

    /// How many threads of this emulator are running: the network
    /// driver's and the UARTs' (the core's own is not counted). Once the
    /// emulator is stopped they all end, whatever their peers do.
    pub fn threads(&self) -> usize {
        self.threads.running() + self.net.threads()
    }

    /// Stops the emulator and closes its sockets.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.tx.send(Input::Stop);
        if let Some(h) = self.core.take() {
            let _ = h.join();
        }
        self.net.shutdown();
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What the listener thread needs to attach UARTs.
struct SimRef {
    tx: mpsc::Sender<Input>,
    next_uart: Arc<AtomicU32>,
    stop: Arc<AtomicBool>,
    threads: Threads,
}

impl SimRef {
    fn attach_stream<R, W>(&self, r: R, w: W) -> UartId
    where
        R: Read + Send + 'static,
        W: Write + Send + 'static,
    {
        self.attach(r, w, None)
    }

    /// A UART read by a reader thread and written by a writer thread, and,
    /// when `direct` is its TCP socket, by the core's thread itself while
    /// the writer has nothing left.
    fn attach<R, W>(&self, mut r: R, mut w: W, direct: Option<TcpStream>) -> UartId
    where
        R: Read + Send + 'static,
        W: Write + Send + 'static,
    {
        let id = self.next_uart.fetch_add(1, Ordering::SeqCst);
        let credit = Arc::new(Credit::new(UART_WINDOW));
        let (otx, orx) = mpsc::channel::<Vec<u8>>();
        let queued = Arc::new(AtomicUsize::new(0));
        let _ = self.tx.send(Input::Attach(
            id,
            UartOut {
                tx: otx,
                credit: Some(Arc::clone(&credit)),
                memory: false,
                direct,
                queued: Arc::clone(&queued),
            },
        ));
        let tx = self.tx.clone();
        let (stop, closed) = (Arc::clone(&self.stop), Arc::clone(&credit));
        let writer = self.threads.spawn("wip-uart-writer", move || {
            // A write that times out is tried again, unless the UART is
            // gone or the emulator stopped.
            let give_up = || stop.load(Ordering::SeqCst) || closed.is_closed();
            // What queued up while a write was under way goes out with the
            // next one, flushed once.
            while let Ok(first) = orx.recv() {
                let (mut n, mut taken) = (0, 0);
                let mut next = Some(first);
                while let Some(b) = next.take() {
                    taken += 1;
                    if write_patiently(&mut w, &b, give_up).is_err() {
                        let _ = tx.send(Input::Detach(id));
                        return;
                    }
                    n += b.len();
                    if n < UART_WINDOW {
                        next = orx.try_recv().ok();
                    }
                }
                if w.flush().is_err() {
                    let _ = tx.send(Input::Detach(id));
                    return;
                }
                // All written: the core may write itself again.
                queued.fetch_sub(taken, Ordering::SeqCst);
                let _ = tx.send(Input::Written(id, n));
            }
        });
        let tx = self.tx.clone();
        let stop = Arc::clone(&self.stop);
        let detach = self.tx.clone();
        let reader = self.threads.spawn("wip-uart-reader", move || {
            let mut buf = vec![0u8; UART_WINDOW];
            while let Some(n) = credit.acquire(buf.len()) {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let Some(dst) = buf.get_mut(..n) else {
                    return;
                };
                match r.read(dst) {
                    Ok(0) => break,
                    Ok(k) => {
                        credit.release(n - k);
                        let data = buf.get(..k).unwrap_or_default().to_vec();
                        if tx.send(Input::Bytes(id, data, Instant::now())).is_err() {
                            return;
                        }
                    }
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::TimedOut
                                | std::io::ErrorKind::WouldBlock
                                | std::io::ErrorKind::Interrupted
                        ) =>
                    {
                        credit.release(n);
                    }
                    Err(_) => break,
                }
            }
            let _ = tx.send(Input::Detach(id));
        });
        if writer.is_err() || reader.is_err() {
            // A UART that cannot be read or written is no UART.
            let _ = detach.send(Input::Detach(id));
        }
        id
    }
}

fn run(
    mut modem: Modem,
    rx: &mpsc::Receiver<Input>,
    net: &HostNet,
    mut log: Option<Log<Box<dyn Write + Send>>>,
) {
    let mut outs: BTreeMap<UartId, UartOut> = BTreeMap::new();
    serve(&mut modem, rx, net, &mut log, &mut outs);
    // UART readers waiting for credit the core will never give back.
    for o in outs.values() {
        if let Some(c) = &o.credit {
            c.close();
        }
    }
}

/// The core's loop, until the emulator stops.
fn serve(
    modem: &mut Modem,
    rx: &mpsc::Receiver<Input>,
    net: &HostNet,
    log: &mut Option<Log<Box<dyn Write + Send>>>,
    outs: &mut BTreeMap<UartId, UartOut>,
) {
    loop {
        let now = Instant::now();
        let msg = match modem.deadline() {
            Some(d) => match rx.recv_timeout(d.saturating_duration_since(now)) {
                Ok(m) => Some(m),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            },
            None => match rx.recv() {
                Ok(m) => Some(m),
                Err(_) => return,
            },
        };
        let now = Instant::now();
        match msg {
            Some(Input::Attach(u, out)) => {
                outs.insert(u, out);
                modem.attach(u);
            }
            Some(Input::Bytes(u, b, t)) => modem.feed_vec(u, b, t.min(now)),
            Some(Input::Detach(u)) => {
                if let Some(o) = outs.remove(&u) {
                    if let Some(c) = o.credit {
                        c.close();
                    }
                }
                modem.detach(u, now);
            }
            Some(Input::Written(u, n)) => modem.written(u, n, now),
            Some(Input::Net(ev)) => modem.net(ev, now),
            Some(Input::Stop) => return,
            None => {}
        }
        modem.tick(Instant::now());
        loop {
            let actions = modem.take_actions();
            if actions.is_empty() {
                break;
            }
            // The log is written before the bytes go out, so that a host
            // that has seen a reply finds it in the log.
            if let Some(l) = log.as_mut() {
                for a in &actions {
                    if let Action::Log(u, ev) = a {
                        l.event(*u, ev);
                    }
                }
            }
            let mut written = Vec::new();
            for a in actions {
                match a {
                    Action::Uart(u, mut b) => {
                        if let Some(o) = outs.get(&u) {
                            let n = b.len();
                            if o.memory {
                                let _ = o.tx.send(b);
                                written.push((u, n));
                                continue;
                            }
                            // In order: only when the writer has nothing
                            // left does a write bypass it.
                            if let Some(s) = o.direct.as_ref() {
                                if o.queued.load(Ordering::SeqCst) == 0 {
                                    let k = send_now(s, &b);
                                    if k > 0 {
                                        written.push((u, k));
                                    }
                                    if k >= n {
                                        continue;
                                    }
                                    b.drain(..k);
                                }
                            }
                            o.queued.fetch_add(1, Ordering::SeqCst);
                            let _ = o.tx.send(b);
                        }
                    }
                    Action::Credit(u, n) => {
                        if let Some(c) = outs.get(&u).and_then(|o| o.credit.as_ref()) {
                            c.release(n);
                        }
                    }
                    Action::Net(cmd) => net.exec(cmd),
                    Action::Log(..) => {}
                }
            }
            for (u, n) in written {
                modem.written(u, n, Instant::now());
            }
        }
    }
}

/// Writes all of `buf`; a write that times out is tried again until
/// `give_up` says otherwise.
fn write_patiently(
    w: &mut impl Write,
    buf: &[u8],
    give_up: impl Fn() -> bool,
) -> std::io::Result<()> {
    let mut rest = buf;
    while !rest.is_empty() {
        match w.write(rest) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => rest = rest.get(n..).unwrap_or_default(),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) && !give_up() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
