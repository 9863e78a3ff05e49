//! The interactive session of `wip term`: a line editor (rustyline) that
//! completes and checks what is typed against the spec, a reader that shows
//! what the modem sends decoded, and the recorder of `wip tap` writing the
//! session as a transcript.
//!
//! Threads: the reader hands the modem's bytes to the recorder; the main
//! thread edits lines and writes them, handing a copy of each byte to the
//! recorder before it goes out; the recorder turns both into transcript
//! events, writes them (`--record`) and prints the modem's above the prompt.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config as EditorConfig, Editor, ExternalPrinter};
use wip_runtime::framer::{DataSession, Escaping};
use wip_transcript::Event;

use super::editor::{Help, Paint};
use super::spec::{Decoded, Guide};
use crate::tap::record::{Config, Recorder, Side};
use crate::tap::sink::{Options as SinkOptions, Sink};

/// Options of a session.
pub struct Options {
    /// `tcp:HOST:PORT`, or the path of a serial port or pty.
    pub target: String,
    /// Baud rate of a serial port.
    pub baud: u32,
    /// Write the session as a transcript here.
    pub record: Option<PathBuf>,
    /// The `+++` guard time.
    pub guard: Duration,
    /// Colour output (only when stdout is a terminal).
    pub color: bool,
    /// Keep the line history in this file.
    pub history: Option<PathBuf>,
    /// Leave out the times in the recorded transcript.
    pub no_time: bool,
}

const CHANNEL: &str = "1";

enum Msg {
    Bytes {
        side: Side,
        bytes: Vec<u8>,
        at: Instant,
    },
    Closed(String),
    Stop,
}

/// The host's side of the line: every byte is recorded, then written.
struct Wire {
    out: Box<dyn Write + Send>,
    tx: Sender<Msg>,
}

impl Write for Wire {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.tx.send(Msg::Bytes {
            side: Side::Host,
            bytes: buf.to_vec(),
            at: Instant::now(),
        });
        self.out.write_all(buf)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

type Port = (Box<dyn Read + Send>, Box<dyn Write + Send>);

fn open(target: &str, baud: u32) -> Result<Port, String> {
    if let Some(addr) = target.strip_prefix("tcp:") {
        let s = std::net::TcpStream::connect(addr)
            .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
        let _ = s.set_nodelay(true);
        s.set_read_timeout(Some(Duration::from_millis(50)))
            .map_err(|e| e.to_string())?;
        let w = s.try_clone().map_err(|e| e.to_string())?;
        return Ok((Box::new(s), Box::new(w)));
    }
    let p = wip_runtime::serial::open_native(target, baud)
        .map_err(|e| format!("cannot open {target}: {e}"))?;
    let w = p.try_clone_native().map_err(|e| e.to_string())?;
    Ok((Box::new(p), Box::new(w)))
}

const HELP: &str = "\
Type AT commands; Tab completes names, forms, options and coded values, the
hint shows the syntax and the range of the parameter being typed. A line the
spec refuses is not sent; prefix it with ! to send it anyway.
In data mode (after CONNECT) each line is sent as payload with CR LF
(escaped with DLE in continuous mode); `+++` alone leaves data mode with the
guard time. Commands:
  :send FILE   send a file's bytes as payload (data mode)
  :raw TEXT    send TEXT as it is, with the escapes of transcripts
               ([ETX], [DLE], \\xHH, \\r, \\n); no line end is added
  :etx         send a lone ETX (end of data; continuous mode)
  :help        this text
  :quit        leave (or Ctrl-D)";

/// Runs the session; the exit code.
pub fn run(guide: &Guide<'_>, o: &Options) -> u8 {
    // A recording that cannot be written is refused before the session
    // starts, not found out after it.
    let record = match &o.record {
        None => None,
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("wip term: cannot record to {}: {e}", p.display());
                return 2;
            }
        },
    };
    let (reader, writer) = match open(&o.target, o.baud) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("wip term: {e}");
            return 2;
        }
    };
    let paint = Paint(o.color && std::io::stdout().is_terminal());
    let data_mode = Arc::new(AtomicBool::new(false));
    // Final result codes shown so far: after a command that may open data
    // mode, and after `+++`, the prompt comes back once the answer is shown
    // (or after a while), with the prompt of the mode the line is then in.
    let finals = Arc::new(AtomicU64::new(0));
    let cfg = EditorConfig::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .build();
    let mut rl: Editor<Help<'_>, DefaultHistory> = match Editor::with_config(cfg) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wip term: {e}");
            return 2;
        }
    };
    rl.set_helper(Some(Help {
        guide,
        paint,
        data_mode: Arc::clone(&data_mode),
    }));
    if let Some(h) = &o.history {
        let _ = rl.load_history(h);
    }
    let printer: Box<dyn FnMut(String) + Send> = match rl.create_external_printer() {
        Ok(mut p) => Box::new(move |s: String| {
            let _ = p.print(format!("{s}\n"));
        }),
        Err(_) => Box::new(|s: String| println!("{s}")),
    };
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let mut wire = Wire {
        out: writer,
        tx: tx.clone(),
    };
    println!(
        "wip term on {} ({}); :help for help, Ctrl-D to leave",
        o.target, guide.d.name
    );
    let code = std::thread::scope(|s| {
        let (stop2, tx2) = (Arc::clone(&stop), tx.clone());
        s.spawn(move || read_modem(reader, &tx2, &stop2));
        let dm = Arc::clone(&data_mode);
        let fin = Arc::clone(&finals);
        let shows = s.spawn(move || show(guide, o, record, &rx, printer, paint, &dm, &fin));
        let mut session: Option<DataSession> = None;
        let mut escaping = Escaping::Continuous;
        let mut was_data = false;
        // Lines read from a pipe or file (`echo AT+WIPCFG=1 | wip term
        // ...`) each wait for their answer, as a person would.
        let piped = !std::io::stdin().is_terminal();
        let mut last: Option<u64> = None;
        loop {
            let prompt = if data_mode.load(Ordering::Relaxed) {
                "data> "
            } else {
                "at> "
            };
            let line = match rl.readline(prompt) {
                Ok(l) => l,
                Err(ReadlineError::Interrupted) => continue,
                Err(_) => break,
            };
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if !line.trim().is_empty() {
                let _ = rl.add_history_entry(line.as_str());
            }
            let in_data = data_mode.load(Ordering::Relaxed);
            if in_data && !was_data {
                // The session the command that answered CONNECT opened.
                escaping = session.take().unwrap_or_default().escaping;
            }
            was_data = in_data;
            let before = finals.load(Ordering::Relaxed);
            match input(guide, &mut wire, &line, in_data, escaping, o.guard, paint) {
                Ok(Next::Go) => {}
                Ok(Next::Answer) => {
                    wait_final(&finals, before);
                    last = None;
                }
                Ok(Next::Sent(next)) if piped => {
                    wait_final(&finals, before);
                    session = next;
                    last = None;
                }
                Ok(Next::Sent(next)) => {
                    last = Some(before);
                    // Only a command that may answer CONNECT holds the
                    // prompt (whose text then changes): keys typed while
                    // it is held reach the editor together, and rustyline
                    // with an external printer handles such a burst one
                    // key per wake-up.
                    if next.is_some() {
                        wait_final(&finals, before);
                    }
                    session = next;
                }
                Ok(Next::Quit) => break,
                Err(e) => {
                    eprintln!("wip term: {e}");
                    break;
                }
            }
        }
        // The answer to the last command is shown before leaving.
        if let Some(before) = last {
            wait_final(&finals, before);
        }
        stop.store(true, Ordering::Relaxed);
        let _ = tx.send(Msg::Stop);
        shows.join().unwrap_or(2)
    });
    if let Some(h) = &o.history {
        let _ = rl.save_history(h);
    }
    code
}

/// How long the prompt waits for the final result code of what was sent.
const ANSWER_WAIT: Duration = Duration::from_secs(2);

fn wait_final(finals: &AtomicU64, before: u64) {
    let deadline = Instant::now() + ANSWER_WAIT;
    while finals.load(Ordering::Relaxed) == before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
}

enum Next {
    Go,
    /// `+++` was sent: the modem answers with a final result code.
    Answer,
    /// A command was sent; the data session it may open.
    Sent(Option<DataSession>),
    Quit,
}

fn input(
    guide: &Guide<'_>,
    wire: &mut Wire,
    line: &str,
    in_data: bool,
    escaping: Escaping,
    guard: Duration,
    paint: Paint,
) -> std::io::Result<Next> {
    let trimmed = line.trim();
    if let Some(meta) = trimmed.strip_prefix(':') {
        let (word, arg) = meta.split_once(' ').unwrap_or((meta, ""));
        match word {
            "quit" | "q" => return Ok(Next::Quit),
            "help" | "h" => println!("{HELP}"),
            "etx" => wire.write_all(&[0x03])?,
            "raw" => match wip_transcript::decode_payload(arg) {
                Ok(b) => wire.write_all(&b)?,
                Err(e) => println!("{}", paint.paint("31", &format!(":raw: {e}"))),
            },
            "send" => match std::fs::read(arg.trim()) {
                Ok(b) => payload(wire, &b, escaping)?,
                Err(e) => println!(
                    "{}",
                    paint.paint("31", &format!(":send: cannot read {}: {e}", arg.trim()))
                ),
            },
            _ => println!("{}", paint.paint("31", &format!("unknown :{word}; :help"))),
        }
        return Ok(Next::Go);
    }
    if in_data {
        if trimmed == "+++" {
            wip_runtime::guard::send_escape(wire, guard)?;
            return Ok(Next::Answer);
        } else {
            let mut b = line
                .replace("\r\n", "\n")
                .replace('\n', "\r\n")
                .into_bytes();
            b.extend_from_slice(b"\r\n");
            payload(wire, &b, escaping)?;
        }
        return Ok(Next::Go);
    }
    if trimmed.is_empty() {
        return Ok(Next::Go);
    }
    let (forced, text) = match trimmed.strip_prefix('!') {
        Some(t) => (true, t.trim()),
        None => (false, trimmed),
    };
    if !forced {
        if let Some(why) = guide.refuses(text) {
            println!("{}", paint.paint("31", &format!("refused: {why}")));
            // The syntax, without the parameter at the end of the line.
            if let Some(h) = guide.hint(text) {
                let syntax = h.split("  <").next().unwrap_or_default();
                println!("  {syntax}");
            }
            println!("  (prefix the line with ! to send it anyway)");
            return Ok(Next::Go);
        }
    }
    let next = DataSession::for_line(guide.d, text);
    let mut b = text.as_bytes().to_vec();
    b.push(b'\r');
    wire.write_all(&b)?;
    wire.flush()?;
    Ok(Next::Sent(next))
}

/// Sends payload, escaped in continuous mode.
fn payload(wire: &mut Wire, b: &[u8], escaping: Escaping) -> std::io::Result<()> {
    match escaping {
        Escaping::Continuous => {
            let mut out = Vec::with_capacity(b.len());
            wip_runtime::escape::escape_into(b, &mut out);
            wire.write_all(&out)
        }
        Escaping::Transparent => wire.write_all(b),
    }
}

fn read_modem(mut r: Box<dyn Read + Send>, tx: &Sender<Msg>, stop: &AtomicBool) {
    let mut buf = vec![0u8; 4096];
    while !stop.load(Ordering::Relaxed) {
        match r.read(&mut buf) {
            Ok(0) => {
                let _ = tx.send(Msg::Closed("the modem closed the line".into()));
                return;
            }
            Ok(n) => {
                let _ = tx.send(Msg::Bytes {
                    side: Side::Modem,
                    bytes: buf.get(..n).unwrap_or_default().to_vec(),
                    at: Instant::now(),
                });
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::Interrupted
                ) => {}
            Err(e) => {
                let _ = tx.send(Msg::Closed(format!("the line failed: {e}")));
                return;
            }
        }
    }
}

/// The recorder's thread: records, and shows the modem's side decoded.
#[allow(clippy::too_many_arguments)]
fn show(
    guide: &Guide<'_>,
    o: &Options,
    record: Option<std::fs::File>,
    rx: &Receiver<Msg>,
    mut print: Box<dyn FnMut(String) + Send + '_>,
    paint: Paint,
    data_mode: &AtomicBool,
    finals: &AtomicU64,
) -> u8 {
    let mut sink = match (record, &o.record) {
        (Some(f), Some(p)) => Some(Sink::new(
            Box::new(std::io::BufWriter::new(f)),
            Box::new(std::io::stderr()),
            SinkOptions {
                name: p.display().to_string(),
                check: None,
                stage: false,
                timestamps: !o.no_time,
            },
        )),
        _ => None,
    };
    if let Some(s) = sink.as_mut() {
        let _ = s.comment(&format!(
            "wip term on {}, {}",
            o.target,
            humantime::format_rfc3339_millis(std::time::SystemTime::now())
        ));
    }
    let mut rec = Recorder::new(
        guide.d,
        Config {
            guard: o.guard,
            idle: Duration::from_millis(100),
            times: !o.no_time,
        },
    );
    let mut pending: wip_schema::Pending = None;
    let mut why = "left".to_owned();
    // The line went away under the session: an I/O error, exit 2.
    let mut lost = false;
    loop {
        let now = Instant::now();
        match rx.recv_timeout(Duration::from_millis(25)) {
            Ok(Msg::Bytes { side, bytes, at }) => {
                rec.tick(at);
                rec.feed(CHANNEL, side, &bytes, at);
            }
            Ok(Msg::Closed(w)) => {
                print(paint.paint("31", &format!("-- {w}; Ctrl-D to leave")));
                why = w;
                lost = true;
            }
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => rec.tick(now),
        }
        for ev in rec.take() {
            if let Some(s) = sink.as_mut() {
                if let Err(e) = s.write(&ev, Some(now)) {
                    print(paint.paint("31", &format!("cannot record: {e}")));
                    sink = None;
                }
            }
            let shown = render(guide, &ev.event, &mut pending, paint, data_mode);
            if let Some(text) = shown {
                print(text);
            }
            if let Event::ModemLine { text, .. } = &ev.event {
                if wip_transcript::verify::final_result(text).is_some() {
                    finals.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
    rec.close_all();
    let now = Instant::now();
    if let Some(mut s) = sink {
        for ev in rec.take() {
            let _ = s.write(&ev, Some(now));
        }
        if let Err(e) = s.finish(&format!("wip term: end ({why})")) {
            eprintln!("wip term: cannot record: {e}");
            return 2;
        }
    }
    if lost {
        eprintln!("wip term: {why}");
        return 2;
    }
    0
}

/// What is shown for an event; `None` for what the person typed.
fn render(
    guide: &Guide<'_>,
    ev: &Event,
    pending: &mut wip_schema::Pending,
    paint: Paint,
    data_mode: &AtomicBool,
) -> Option<String> {
    match ev {
        Event::Command { text, .. } => {
            *pending = guide.pending(text);
            None
        }
        Event::HostData(_) => None,
        Event::ModemLine { text, .. } => {
            let decoded = guide.decode(text, *pending);
            if ev.is_connect() {
                data_mode.store(true, Ordering::Relaxed);
                return Some(format!(
                    "{}\n{}",
                    paint.paint("32", text),
                    paint.paint(
                        "2",
                        "-- data mode: lines go out as payload; +++ alone leaves; :send FILE, :etx"
                    )
                ));
            }
            if matches!(decoded, Decoded::Final | Decoded::Error(_)) {
                *pending = None;
                data_mode.store(false, Ordering::Relaxed);
            }
            Some(match decoded {
                Decoded::Final => paint.paint("32", text),
                Decoded::Error(t) if t.is_empty() => paint.paint("31", text),
                Decoded::Error(t) => format!(
                    "{}  {}",
                    paint.paint("31", text),
                    paint.paint("31", &format!("-- {t}"))
                ),
                Decoded::Message { urc: true, text: t } => {
                    format!(
                        "{}  {}",
                        paint.paint("33", text),
                        paint.paint("33", &format!("-- {t}"))
                    )
                }
                Decoded::Message {
                    urc: false,
                    text: t,
                } => {
                    format!(
                        "{}  {}",
                        paint.paint("36", text),
                        paint.paint("2", &format!("-- {t}"))
                    )
                }
                Decoded::Bad(why) => format!(
                    "{}  {}",
                    paint.paint("31", text),
                    paint.paint("31", &format!("-- breaks the spec: {why}"))
                ),
                Decoded::Unknown(_) => text.clone(),
            })
        }
        Event::ModemData(b) => Some(format!(
            "<< {}",
            paint.paint("35", &wip_transcript::encode_payload(b))
        )),
        Event::Escape { comment } => Some(paint.paint(
            "2",
            &format!("+++ {}", comment.as_deref().unwrap_or_default()),
        )),
        Event::Comment(c) => Some(paint.paint("2", &format!("# {c}"))),
        Event::Directive { .. } => None,
    }
}
