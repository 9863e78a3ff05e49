//! The threads around the core: every input (UART bytes, network events,
//! writes done, the time) goes into one queue, in order, and the thread
//! that brings one while no other is at work runs the [`Modem`] on the
//! queue until it is empty (`Hub`); a timer thread brings the time when
//! the core has a deadline. UART transports have a reader (with a credit
//! window) and a writer; TCP UARTs are written by the core's runner itself
//! while their writer has nothing left.
//!
//! So the bytes of a reader go through the core and out to their socket on
//! the reader's thread, with no hand-off to another thread on the way.

use std::collections::{BTreeMap, VecDeque};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard, Weak};
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
    /// The time passes (a deadline of the core is due).
    Tick,
    /// The emulator stops: UART readers waiting for credit are let go.
    Stop,
}

/// A running emulator.
pub struct Sim {
    tx: Arc<Hub>,
    net: HostNet,
    /// The timer thread.
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
    tx: Arc<Hub>,
    rx: mpsc::Receiver<Vec<u8>>,
}

impl UartHandle {
    /// The UART's number (its channel name in the log).
    pub fn id(&self) -> UartId {
        self.id
    }

    /// Writes bytes to the modem.
    pub fn send(&self, bytes: &[u8]) {
        self.tx
            .submit(Input::Bytes(self.id, bytes.to_vec(), Instant::now()));
    }

    /// Bytes from the modem, waiting at most `d`.
    pub fn recv_timeout(&self, d: Duration) -> Option<Vec<u8>> {
        self.rx.recv_timeout(d).ok()
    }
}

impl Drop for UartHandle {
    fn drop(&mut self) {
        self.tx.submit(Input::Detach(self.id));
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
        let mut driver = None;
        let tx = Arc::new_cyclic(|hub: &Weak<Hub>| {
            // The driver's events reach the hub through a weak reference,
            // so that the hub, which holds the driver, is not kept alive
            // by it.
            let hub = Weak::clone(hub);
            let net = HostNet::new(
                cfg,
                Arc::new(move |ev| {
                    if let Some(h) = hub.upgrade() {
                        h.submit(Input::Net(ev));
                    }
                }),
            );
            driver = Some(net.clone());
            Hub::new(Core {
                modem,
                outs: BTreeMap::new(),
                net,
                log: log.map(Log::new),
            })
        });
        let Some(net) = driver else {
            return Err(SimError::MissingInSpec("network driver".into()));
        };
        let timer = Arc::clone(&tx);
        let core = std::thread::Builder::new()
            .name("wip-sim-core".into())
            .spawn(move || timer.timer())?;
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
        self.tx.submit(Input::Attach(
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
            tx: Arc::clone(&self.tx),
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
            tx: Arc::clone(&self.tx),
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
        self.tx.stop();
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
    tx: Arc<Hub>,
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
        self.tx.submit(Input::Attach(
            id,
            UartOut {
                tx: otx,
                credit: Some(Arc::clone(&credit)),
                memory: false,
                direct,
                queued: Arc::clone(&queued),
            },
        ));
        let tx = Arc::clone(&self.tx);
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
                        tx.submit(Input::Detach(id));
                        return;
                    }
                    n += b.len();
                    if n < UART_WINDOW {
                        next = orx.try_recv().ok();
                    }
                }
                if w.flush().is_err() {
                    tx.submit(Input::Detach(id));
                    return;
                }
                // All written: the core may write itself again.
                queued.fetch_sub(taken, Ordering::SeqCst);
                tx.submit(Input::Written(id, n));
            }
        });
        let tx = Arc::clone(&self.tx);
        let stop = Arc::clone(&self.stop);
        let detach = Arc::clone(&self.tx);
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
                        tx.submit(Input::Bytes(id, data, Instant::now()));
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
            tx.submit(Input::Detach(id));
        });
        if writer.is_err() || reader.is_err() {
            // A UART that cannot be read or written is no UART.
            detach.submit(Input::Detach(id));
        }
        id
    }
}

/// The emulator's state: the modem, what its UARTs are written with, the
/// network driver and the log. Only the thread at work on the hub's queue
/// uses it.
struct Core {
    modem: Modem,
    outs: BTreeMap<UartId, UartOut>,
    net: HostNet,
    log: Option<Log<Box<dyn Write + Send>>>,
}

/// What the threads share under the hub's lock.
#[derive(Default)]
struct Queue {
    inputs: VecDeque<Input>,
    /// A thread is at work on the inputs (the others only queue theirs).
    busy: bool,
    stopped: bool,
    /// When the core next has something to do on its own.
    deadline: Option<Instant>,
    /// When the timer thread wakes up of itself (`None`: only when told).
    timer_at: Option<Instant>,
}

/// The queue of inputs and the core: a thread with an input queues it
/// and, unless another thread is at work already, works through the queue
/// itself, in order, until it is empty. Inputs queued meanwhile (by other
/// threads, or by the driver while the core runs it) are taken in the same
/// turn.
struct Hub {
    queue: Mutex<Queue>,
    /// Wakes the timer thread: a deadline came earlier, or the emulator
    /// stops.
    timer: Condvar,
    /// Wakes a thread waiting for the work to end (stopping).
    idle: Condvar,
    core: Mutex<Core>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Hub {
    fn new(core: Core) -> Self {
        Hub {
            queue: Mutex::new(Queue::default()),
            timer: Condvar::new(),
            idle: Condvar::new(),
            core: Mutex::new(core),
        }
    }

    /// Queues an input and, unless a thread is at work already, works
    /// through the queue. Inputs after the stop are dropped.
    fn submit(&self, input: Input) {
        let mut q = lock(&self.queue);
        if q.stopped {
            return;
        }
        q.inputs.push_back(input);
        if !q.busy {
            q.busy = true;
            drop(self.work(q));
        }
    }

    /// Works through the queue (the caller has set `busy`), then tells
    /// the timer thread when the core's deadline came earlier.
    fn work<'a>(&'a self, mut q: MutexGuard<'a, Queue>) -> MutexGuard<'a, Queue> {
        loop {
            let inputs = std::mem::take(&mut q.inputs);
            if inputs.is_empty() {
                break;
            }
            drop(q);
            let deadline = {
                let mut core = lock(&self.core);
                for input in inputs {
                    core.handle(input);
                }
                core.modem.deadline()
            };
            q = lock(&self.queue);
            q.deadline = deadline;
        }
        q.busy = false;
        if q.stopped {
            self.idle.notify_all();
        }
        if let Some(d) = q.deadline {
            if q.timer_at.is_none_or(|t| d < t) {
                self.timer.notify_one();
            }
        }
        q
    }

    /// The timer thread: brings the time to the core when its deadline is
    /// due, until the emulator stops.
    fn timer(&self) {
        let mut q = lock(&self.queue);
        loop {
            if q.stopped {
                return;
            }
            let now = Instant::now();
            match q.deadline {
                Some(d) if d <= now && !q.busy => {
                    q.inputs.push_back(Input::Tick);
                    q.busy = true;
                    q.timer_at = None;
                    q = self.work(q);
                }
                Some(d) if d > now => {
                    q.timer_at = Some(d);
                    q = self
                        .timer
                        .wait_timeout(q, d - now)
                        .map_or_else(|e| e.into_inner().0, |r| r.0);
                }
                // Nothing due, or the thread at work will tell.
                _ => {
                    q.timer_at = None;
                    q = self
                        .timer
                        .wait(q)
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                }
            }
        }
    }

    /// Stops: later inputs are dropped; once the work under way is done,
    /// UART readers waiting for credit are let go.
    fn stop(&self) {
        let mut q = lock(&self.queue);
        if q.stopped {
            return;
        }
        q.stopped = true;
        self.timer.notify_all();
        q.inputs.push_back(Input::Stop);
        if q.busy {
            while q.busy {
                q = self
                    .idle
                    .wait(q)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        } else {
            q.busy = true;
            drop(self.work(q));
        }
    }
}

impl Core {
    /// Takes one input, lets the time pass, and carries out what the modem
    /// asks until it asks nothing more.
    fn handle(&mut self, input: Input) {
        let Core {
            modem,
            outs,
            net,
            log,
        } = self;
        let now = Instant::now();
        match input {
            Input::Attach(u, out) => {
                outs.insert(u, out);
                modem.attach(u);
            }
            Input::Bytes(u, b, t) => modem.feed_vec(u, b, t.min(now)),
            Input::Detach(u) => {
                if let Some(o) = outs.remove(&u) {
                    if let Some(c) = o.credit {
                        c.close();
                    }
                }
                modem.detach(u, now);
            }
            Input::Written(u, n) => modem.written(u, n, now),
            Input::Net(ev) => modem.net(ev, now),
            Input::Tick => {}
            Input::Stop => {
                // UART readers waiting for credit the core will never
                // give back.
                for o in outs.values() {
                    if let Some(c) = &o.credit {
                        c.close();
                    }
                }
                return;
            }
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
                    Action::Uart(u, b) => {
                        if let Some(n) = outs.get(&u).and_then(|o| o.write(b)) {
                            written.push((u, n));
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

impl UartOut {
    /// Writes bytes of the modem to the UART, in order; gives how many
    /// are written already (the writer thread tells of the others).
    fn write(&self, mut b: Vec<u8>) -> Option<usize> {
        let n = b.len();
        if self.memory {
            let _ = self.tx.send(b);
            return Some(n);
        }
        let mut done = None;
        // Only when the writer has nothing left does a write bypass it.
        if let Some(s) = self.direct.as_ref() {
            if self.queued.load(Ordering::SeqCst) == 0 {
                let k = send_now(s, &b);
                if k >= n {
                    return Some(n);
                }
                b.drain(..k);
                done = (k > 0).then_some(k);
            }
        }
        self.queued.fetch_add(1, Ordering::SeqCst);
        let _ = self.tx.send(b);
        done
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
