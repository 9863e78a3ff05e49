//! `wip tap`: sits on a serial line (or a TCP UART) between a host app and
//! a modem, forwards every byte at once, and writes what crossed as a
//! transcript; `--check` verifies it line by line as it grows.
//!
//! Each direction has a thread that reads, hands a copy of the bytes to the
//! recorder (a channel send, before the write, so that the recorder sees
//! the host's command before the modem's echo of it) and writes them on.
//! The recorder runs on the main thread and never blocks a forwarder.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use serialport::SerialPort;

use crate::tap::record::{Config, Recorder, Side};
use crate::tap::sink::{Options, Sink};

/// Options of `wip tap`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The spec file; the embedded rev 009 spec by default.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The modem's serial port; repeat for several UARTs (channels 1, 2, ...).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["listen", "connect"])]
    pub device: Vec<String>,
    /// The baud rate of the serial ports.
    #[arg(long, default_value_t = 115_200)]
    pub baud: u32,
    /// Give the host app a pseudo-terminal for each device; its path is
    /// printed on stderr as `pty PATH`.
    #[arg(long, requires = "device")]
    pub pty: bool,
    /// Also make a symbolic link PATH to each pseudo-terminal (in the order
    /// of the devices).
    #[arg(long, value_name = "PATH", requires = "pty")]
    pub link: Vec<PathBuf>,
    /// Accept the host app's TCP connections here (each one a UART); the
    /// address is printed on stderr as `listening on ADDR`.
    #[arg(long, value_name = "ADDR", requires = "connect")]
    pub listen: Option<SocketAddr>,
    /// Connect each accepted connection to the modem's TCP UART here
    /// (`wip sim --listen`).
    #[arg(long, value_name = "ADDR", requires = "listen")]
    pub connect: Option<String>,
    /// Write the transcript here (flushed line by line); stdout by default.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Verify the transcript as it is written; each violation is printed
    /// on stderr as `FILE:LINE: message` with the line; exit 1 if any.
    #[arg(long)]
    pub check: bool,
    /// Write the peers of the sockets as replay directives (`@peer`,
    /// `@send`, `@expect`, ...), and a comment where the line cannot tell.
    #[arg(long)]
    pub stage: bool,
    /// The +++ guard time in milliseconds; the spec's escape_guard_time by
    /// default. Silences of half of it count.
    #[arg(long, value_name = "MS")]
    pub guard_ms: Option<u64>,
    /// Leave out the times written as trailing comments, and the guard
    /// times seen around a `+++` (the recording is then the same however
    /// fast the host and modem were).
    #[arg(long)]
    pub no_time: bool,
}

/// What the forwarders tell the recorder.
enum Msg {
    /// A channel is open.
    Open(String),
    /// Bytes one side sent, read at the given time.
    Bytes {
        channel: String,
        side: Side,
        bytes: Vec<u8>,
        at: Instant,
    },
    /// One side of a channel is gone; `failed` when it never came up (the
    /// modem's address could not be reached): an I/O error.
    Closed {
        channel: String,
        why: String,
        failed: bool,
    },
    /// Ctrl-C (or SIGTERM).
    Stop,
}

/// How often time is let pass when nothing comes.
const TICK: Duration = Duration::from_millis(25);

/// Runs until Ctrl-C or the end of the line; 0, 1 with `--check` when a
/// violation was found, 2 on a usage or I/O error.
pub fn run(a: &Args) -> u8 {
    let (spec, _) = match super::spec::load_or_report(a.spec.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if a.device.is_empty() && a.listen.is_none() {
        eprintln!("wip tap: give --device PATH --pty, or --listen ADDR --connect ADDR");
        return 2;
    }
    if !a.device.is_empty() && !a.pty {
        eprintln!("wip tap: --device needs --pty (the host app's side)");
        return 2;
    }
    let d = spec.dialect.clone();
    let guard = super::sim::guard(&spec, a.guard_ms);
    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(Msg::Stop);
    }) {
        eprintln!("wip tap: cannot catch Ctrl-C: {e}");
        return 2;
    }
    let serial = !a.device.is_empty();
    let mut keep = Vec::new();
    let what = match start(a, tx, &mut keep) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("wip tap: {e}");
            return 2;
        }
    };
    // The file is opened (and emptied) only once the line is: a wrong
    // device or an address in use leaves the last session's file as it was.
    let (out, name): (Box<dyn Write>, String) = match &a.output {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => (
                Box::new(std::io::BufWriter::new(f)),
                p.display().to_string(),
            ),
            Err(e) => {
                eprintln!("wip tap: cannot write {}: {e}", p.display());
                return 2;
            }
        },
        None => (Box::new(std::io::stdout()), "-".to_owned()),
    };
    let mut sink = Sink::new(
        out,
        Box::new(std::io::stderr()),
        Options {
            name,
            check: a.check.then_some(&d),
            stage: a.stage,
            timestamps: !a.no_time,
        },
    );
    let header = format!(
        "wip tap: {what}, {}, guard {} ms",
        humantime::format_rfc3339_millis(std::time::SystemTime::now()),
        guard.as_millis()
    );
    if let Err(e) = sink.comment(&header) {
        eprintln!("wip tap: cannot write the transcript: {e}");
        return 2;
    }
    let cfg = Config {
        guard,
        idle: Duration::from_millis(100),
        times: !a.no_time,
    };
    let mut rec = Recorder::new(&d, cfg);
    let mut io_failed = false;
    let why = match record(&rx, &mut rec, &mut sink, serial, &mut io_failed) {
        Ok(why) => why,
        Err(e) => {
            eprintln!("wip tap: cannot write the transcript: {e}");
            return 2;
        }
    };
    match sink.finish(&format!("wip tap: end ({why})")) {
        // A modem that could not be reached is an I/O error (said on
        // stderr as it happened).
        Ok(_) if io_failed => 2,
        Ok(0) => 0,
        Ok(_) => 1,
        Err(e) => {
            eprintln!("wip tap: cannot write the transcript: {e}");
            2
        }
    }
}

/// The recorder's loop; returns why the session ended.
fn record(
    rx: &Receiver<Msg>,
    rec: &mut Recorder<'_>,
    sink: &mut Sink<'_>,
    serial: bool,
    io_failed: &mut bool,
) -> std::io::Result<String> {
    let mut open: Vec<String> = Vec::new();
    let why = loop {
        let msg = match rx.recv_timeout(TICK) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break "every side closed".to_owned(),
        };
        let now = Instant::now();
        match msg {
            None => rec.tick(now),
            Some(Msg::Open(ch)) => open.push(ch),
            Some(Msg::Bytes {
                channel,
                side,
                bytes,
                at,
            }) => {
                rec.tick(at);
                rec.feed(&channel, side, &bytes, at);
                // Stamped with the time the bytes were read.
                for ev in rec.take() {
                    sink.write(&ev, Some(at))?;
                }
            }
            Some(Msg::Closed {
                channel,
                why,
                failed,
            }) => {
                *io_failed |= failed;
                if let Some(i) = open.iter().position(|c| *c == channel) {
                    open.remove(i);
                    rec.close(&channel);
                    for ev in rec.take() {
                        sink.write(&ev, Some(now))?;
                    }
                    if serial || open.is_empty() {
                        break why;
                    }
                    sink.comment(&format!("channel {channel}: {why}"))?;
                }
            }
            Some(Msg::Stop) => break "interrupted".to_owned(),
        }
        for ev in rec.take() {
            sink.write(&ev, Some(now))?;
        }
    };
    rec.close_all();
    let now = Instant::now();
    for ev in rec.take() {
        sink.write(&ev, Some(now))?;
    }
    Ok(why)
}

/// Opens the line and starts the forwarders; says what is tapped.
fn start(a: &Args, tx: Sender<Msg>, keep: &mut Vec<serialport::TTYPort>) -> Result<String, String> {
    if let (Some(listen), Some(connect)) = (a.listen, a.connect.clone()) {
        let l = TcpListener::bind(listen).map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let local = l.local_addr().map_err(|e| e.to_string())?;
        eprintln!("listening on {local}");
        let what = format!("TCP UARTs accepted on {local}, forwarded to {connect}");
        std::thread::spawn(move || accept(&l, &connect, &tx));
        return Ok(what);
    }
    let mut names = Vec::new();
    for (i, path) in a.device.iter().enumerate() {
        let channel = (i + 1).to_string();
        let modem = wip_runtime::serial::open_native(path, a.baud)
            .map_err(|e| format!("cannot open {path}: {e}"))?;
        let (host, app) =
            wip_runtime::serial::pty_pair().map_err(|e| format!("cannot open a pty: {e}"))?;
        let pty = app.name().unwrap_or_default();
        if let Some(link) = a.link.get(i) {
            // Replace a link left by an earlier run, never a file.
            let old = std::fs::symlink_metadata(link);
            if old.is_ok_and(|m| m.file_type().is_symlink()) {
                let _ = std::fs::remove_file(link);
            }
            std::os::unix::fs::symlink(&pty, link)
                .map_err(|e| format!("cannot link {}: {e}", link.display()))?;
        }
        eprintln!("pty {pty}");
        names.push(format!("{path} as {pty}"));
        let modem2 = modem.try_clone_native().map_err(|e| e.to_string())?;
        let host2 = host.try_clone_native().map_err(|e| e.to_string())?;
        let (t1, t2) = (tx.clone(), tx.clone());
        let _ = tx.send(Msg::Open(channel.clone()));
        let c1 = channel.clone();
        std::thread::spawn(move || pump(host, modem, &c1, Side::Host, &t1, || {}));
        std::thread::spawn(move || pump(modem2, host2, &channel, Side::Modem, &t2, || {}));
        // The app's end stays open, so that the pty lives while no app
        // has it open.
        keep.push(app);
    }
    Ok(format!("{} at {} baud", names.join(", "), a.baud))
}

fn accept(l: &TcpListener, connect: &str, tx: &Sender<Msg>) {
    let mut n = 0usize;
    for host in l.incoming() {
        let Ok(host) = host else { continue };
        n += 1;
        let channel = n.to_string();
        let modem = match TcpStream::connect(connect) {
            Ok(m) => m,
            Err(e) => {
                let why = format!("cannot connect to {connect}: {e}");
                eprintln!("wip tap: channel {channel}: {why}");
                let _ = tx.send(Msg::Open(channel.clone()));
                let _ = tx.send(Msg::Closed {
                    channel,
                    why,
                    failed: true,
                });
                continue;
            }
        };
        let _ = host.set_nodelay(true);
        let _ = modem.set_nodelay(true);
        let (Ok(h2), Ok(m2), Ok(h3), Ok(m3)) = (
            host.try_clone(),
            modem.try_clone(),
            host.try_clone(),
            modem.try_clone(),
        ) else {
            continue;
        };
        let _ = tx.send(Msg::Open(channel.clone()));
        let (t1, t2) = (tx.clone(), tx.clone());
        let c1 = channel.clone();
        let shut = move || {
            let _ = h3.shutdown(std::net::Shutdown::Both);
            let _ = m3.shutdown(std::net::Shutdown::Both);
        };
        let (h4, m4) = (h2.try_clone(), m2.try_clone());
        std::thread::spawn(move || pump(host, modem, &c1, Side::Host, &t1, shut));
        std::thread::spawn(move || {
            pump(m2, h2, &channel, Side::Modem, &t2, move || {
                if let (Ok(h), Ok(m)) = (&h4, &m4) {
                    let _ = h.shutdown(std::net::Shutdown::Both);
                    let _ = m.shutdown(std::net::Shutdown::Both);
                }
            })
        });
    }
}

/// Forwards `from` to `to` until either ends; hands every chunk to the
/// recorder before writing it on.
fn pump<R: Read, W: Write>(
    mut from: R,
    mut to: W,
    channel: &str,
    side: Side,
    tx: &Sender<Msg>,
    on_end: impl FnOnce(),
) {
    let mut buf = vec![0u8; 16 * 1024];
    let who = match side {
        Side::Host => "host",
        Side::Modem => "modem",
    };
    let why = loop {
        match from.read(&mut buf) {
            Ok(0) => break format!("the {who} closed the line"),
            Ok(n) => {
                let bytes = buf.get(..n).unwrap_or_default();
                let _ = tx.send(Msg::Bytes {
                    channel: channel.to_owned(),
                    side,
                    bytes: bytes.to_vec(),
                    at: Instant::now(),
                });
                if let Err(e) = to.write_all(bytes) {
                    break format!("cannot write to the other side of the {who}: {e}");
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::Interrupted
                ) => {}
            // A pty whose other end is gone reports a hangup.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                break format!("the {who} closed the line ({e})")
            }
            Err(e) => break format!("the {who}'s side failed: {e}"),
        }
    };
    // Told before the other direction is shut down, so that the reason
    // given is this side's.
    let _ = tx.send(Msg::Closed {
        channel: channel.to_owned(),
        why,
        failed: false,
    });
    on_end();
}
