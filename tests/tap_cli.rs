//! `wip tap` between the runtime's blocking client and `wip sim` (over TCP
//! and over pseudo-terminals): the transcript it records verifies and holds
//! exactly the bytes that crossed; and a scripted fake modem's violation is
//! reported while the session is still going.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wip_bindings::rev009::DIALECT;
use wip_runtime::client::{Client, ClientConfig, DataEvent};
use wip_runtime::transport::Transport;
use wip_runtime::Final;
use wip_transcript::Event;

const GUARD_MS: u64 = 50;
/// Generous: the machine may be busy.
const WAIT: Duration = Duration::from_secs(20);

fn wip() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wip"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wip-tap-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A child process killed when the test ends, however it ends.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The lines a child writes on a pipe, as they come.
fn lines(r: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(r).lines() {
            match l {
                Ok(l) => {
                    if tx.send(l).is_err() {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    });
    rx
}

/// Waits for a line starting with `prefix`; gives the rest. On a timeout
/// the lines that came meanwhile are in the panic's message.
fn wait_for(rx: &Receiver<String>, prefix: &str) -> String {
    let mut others = Vec::new();
    loop {
        let l = rx
            .recv_timeout(WAIT)
            .unwrap_or_else(|e| panic!("no `{prefix}` line: {e}; lines before: {others:?}"));
        if let Some(rest) = l.strip_prefix(prefix) {
            return rest.to_string();
        }
        others.push(l);
    }
}

fn sim_tcp() -> (Proc, String) {
    let mut c = wip()
        .args(["sim", "--listen", "127.0.0.1:0", "--guard-ms"])
        .arg(GUARD_MS.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = lines(c.stdout.take().unwrap());
    let addr = wait_for(&out, "listening on ");
    (Proc(c), addr)
}

fn sim_pty() -> (Proc, String) {
    let mut c = wip()
        .args(["sim", "--pty", "--guard-ms"])
        .arg(GUARD_MS.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = lines(c.stdout.take().unwrap());
    let path = wait_for(&out, "pty ");
    (Proc(c), path)
}

/// Starts `wip tap ARGS --check -o FILE`; its stderr comes line by line.
fn tap(args: &[&str], file: &Path) -> (Proc, Receiver<String>) {
    let mut c = wip()
        .arg("tap")
        .args(args)
        .args(["--check", "--guard-ms"])
        .arg(GUARD_MS.to_string())
        .arg("-o")
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = lines(c.stderr.take().unwrap());
    (Proc(c), err)
}

/// Waits for the tap to end; its exit code.
fn exit_code(p: &mut Proc) -> Option<i32> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        if let Some(s) = p.0.try_wait().unwrap() {
            return s.code();
        }
        assert!(std::time::Instant::now() < deadline, "wip tap did not end");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A transport that keeps a copy of every byte written and read.
struct Logged<T> {
    io: T,
    sent: Arc<Mutex<Vec<u8>>>,
    got: Arc<Mutex<Vec<u8>>>,
}

impl<T: Read> Read for Logged<T> {
    fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
        let n = self.io.read(b)?;
        self.got.lock().unwrap().extend_from_slice(&b[..n]);
        Ok(n)
    }
}

impl<T: Write> Write for Logged<T> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = self.io.write(b)?;
        self.sent.lock().unwrap().extend_from_slice(&b[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.io.flush()
    }
}

impl<T: Transport> Transport for Logged<T> {
    fn set_read_timeout(&mut self, timeout: Duration) -> std::io::Result<()> {
        self.io.set_read_timeout(timeout)
    }
}

/// A TCP server on loopback that echoes the first `limit` bytes it gets
/// and reads the rest without answering; its port.
fn echo_server(limit: usize) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = l.accept() {
            let mut buf = [0u8; 4096];
            let mut left = limit;
            while let Ok(n) = s.read(&mut buf) {
                let k = n.min(left);
                left -= k;
                if n == 0 || s.write_all(&buf[..k]).is_err() {
                    break;
                }
            }
        }
    });
    port
}

/// The payload: DLE, ETX and `+++` inside.
const PAYLOAD: &[u8] = b"GET / HTTP/1.0\r\n\x10\x03+++\x10\x10 [ETX] \\x03\r\n";

/// A session through the tap: the client sends and gets what is logged.
fn session<T: Transport>(io: T) -> (Vec<u8>, Vec<u8>) {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let got = Arc::new(Mutex::new(Vec::new()));
    let logged = Logged {
        io,
        sent: Arc::clone(&sent),
        got: Arc::clone(&got),
    };
    let cfg = ClientConfig {
        guard: Duration::from_millis(GUARD_MS),
        default_timeout: Duration::from_secs(10),
        ..ClientConfig::default()
    };
    let mut c = Client::new(logged, &DIALECT, cfg);
    let port = echo_server(PAYLOAD.len());
    c.command("AT+CMEE=1").unwrap();
    c.command("AT+WIPCFG=1").unwrap();
    c.command("AT+WIPBR=1,6").unwrap();
    c.command("AT+WIPBR=4,6,0").unwrap();
    c.command(&format!("AT+WIPCREATE=2,1,\"127.0.0.1\",{port}"))
        .unwrap();
    c.wait_urc(Duration::from_secs(10), |u| {
        u.line.text.starts_with("+WIPREADY")
    })
    .unwrap();
    let mut d = c.data("AT+WIPDATA=2,1,1").unwrap();
    d.send(PAYLOAD).unwrap();
    let mut echoed = Vec::new();
    while echoed.len() < PAYLOAD.len() {
        match d.recv(Duration::from_secs(10)).unwrap() {
            Some(DataEvent::Data(b)) => echoed.extend_from_slice(&b),
            other => panic!("{other:?} after {echoed:?}"),
        }
    }
    assert_eq!(echoed, PAYLOAD);
    let left = d.leave().unwrap();
    assert_eq!(left.final_code, Final::Ok);
    c.command("AT+WIPCLOSE=2,1").unwrap();
    // The sim answers at once; give the tap's reader time to see it all.
    std::thread::sleep(Duration::from_millis(200));
    drop(c);
    let s = sent.lock().unwrap().clone();
    let g = got.lock().unwrap().clone();
    (s, g)
}

/// What the host sent, rebuilt from the transcript: each command and its
/// CR, the `>>` payloads and the `+++`.
fn host_bytes(events: &[Event]) -> Vec<u8> {
    let mut v = Vec::new();
    for e in events {
        match e {
            Event::Command { text, .. } => {
                v.extend_from_slice(text.as_bytes());
                v.push(b'\r');
            }
            Event::HostData(b) => v.extend_from_slice(b),
            Event::Escape { .. } => v.extend_from_slice(b"+++"),
            _ => {}
        }
    }
    v
}

fn modem_payload(events: &[Event]) -> Vec<u8> {
    let mut v = Vec::new();
    for e in events {
        if let Event::ModemData(b) = e {
            v.extend_from_slice(b);
        }
    }
    v
}

/// The bytes the modem sent in data mode: between `CONNECT` and the `OK`
/// that answers `+++`.
fn data_mode_bytes(got: &[u8]) -> Vec<u8> {
    let text = got;
    let start = text
        .windows(11)
        .position(|w| w == b"\r\nCONNECT\r\n")
        .unwrap()
        + 11;
    let rest = &text[start..];
    let end = rest.windows(6).rposition(|w| w == b"\r\nOK\r\n").unwrap();
    // The last OK is that of AT+WIPCLOSE; the one before ends data mode.
    let before = &rest[..end];
    let end = before.windows(6).rposition(|w| w == b"\r\nOK\r\n").unwrap();
    before[..end].to_vec()
}

fn check_transcript(file: &Path, sent: &[u8], got: &[u8]) {
    let text = std::fs::read_to_string(file).unwrap();
    let v = wip().arg("verify").arg(file).output().unwrap();
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}\n{text}",
        String::from_utf8_lossy(&v.stdout)
    );
    let events: Vec<Event> = wip_transcript::parse_str(&text)
        .unwrap()
        .into_iter()
        .map(|e| e.value)
        .collect();
    assert_eq!(
        String::from_utf8_lossy(&host_bytes(&events)),
        String::from_utf8_lossy(sent),
        "{text}"
    );
    assert_eq!(host_bytes(&events), sent);
    assert_eq!(modem_payload(&events), data_mode_bytes(got), "{text}");
    // The escaped payload is visible as it crossed the wire.
    assert!(
        text.contains("[DLE][DLE][DLE][ETX]+++[DLE][DLE][DLE][DLE] \\[ETX] \\\\x03\\r\\n"),
        "{text}"
    );
    assert!(text.contains("\n+++  // guard "), "{text}");
    // (`wip sim` may announce data left to read; that URC is not counted.)
    let modem_lines: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::ModemLine { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .filter(|l| !l.starts_with("+WIPDATA:"))
        .collect();
    assert_eq!(
        modem_lines,
        [
            "OK",
            "OK",
            "OK",
            "OK",
            "OK",
            "+WIPREADY: 2,1",
            "CONNECT",
            "OK",
            "OK"
        ],
        "{text}"
    );
}

/// `wip replay` of a staged recording passes; `text` is shown on failure.
fn assert_replays(file: &std::path::Path, text: &str) {
    let out = wip()
        .args(["replay", "--guard-ms"])
        .arg(GUARD_MS.to_string())
        .arg(file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{text}",
        String::from_utf8_lossy(&out.stdout)
    );
}
#[test]
fn tap_over_tcp_records_what_crossed() {
    let d = tmp("tcp");
    let file = d.join("session.at");
    let (_sim, addr) = sim_tcp();
    let (mut tap, err) = tap(&["--listen", "127.0.0.1:0", "--connect", &addr], &file);
    let at = wait_for(&err, "listening on ");
    let s = TcpStream::connect(&at).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
    let (sent, got) = session(s);
    // The host closed the line: the tap closes the transcript and ends.
    assert_eq!(exit_code(&mut tap), Some(0));
    check_transcript(&file, &sent, &got);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.ends_with("# wip tap: end (the host closed the line)\n"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[cfg(unix)]
#[test]
fn tap_over_ptys_records_what_crossed() {
    let d = tmp("pty");
    let file = d.join("session.at");
    let link = d.join("modem");
    let (_sim, dev) = sim_pty();
    let (mut tap, err) = tap(
        &["--device", &dev, "--pty", "--link", link.to_str().unwrap()],
        &file,
    );
    let pty = wait_for(&err, "pty ");
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new(&pty));
    let port = wip_runtime::serial::open(link.to_str().unwrap(), 115_200).unwrap();
    let (sent, got) = session(port);
    // Ctrl-C: the transcript is closed, nothing lost.
    let pid = tap.0.id().to_string();
    let k = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(k.success());
    assert_eq!(exit_code(&mut tap), Some(0));
    check_transcript(&file, &sent, &got);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.ends_with("# wip tap: end (interrupted)\n"), "{text}");
    let _ = std::fs::remove_dir_all(&d);
}

/// A fake modem answers one command with a URC out of range; `--check`
/// reports it at its line while the session is still open.
#[test]
fn a_violation_is_reported_live_at_its_line() {
    let d = tmp("fake");
    let file = d.join("session.at");
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let fake = l.local_addr().unwrap().to_string();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let Ok((mut s, _)) = l.accept() else { return };
        let mut buf = [0u8; 256];
        let mut got = Vec::new();
        while !got.ends_with(b"\r") {
            match s.read(&mut buf) {
                Ok(n) if n > 0 => got.extend_from_slice(&buf[..n]),
                _ => return,
            }
        }
        let _ = s.write_all(b"\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,9\r\n");
        // Stay open until the test has seen the report.
        let _ = done_rx.recv_timeout(WAIT);
    });
    let (mut tap, err) = tap(&["--listen", "127.0.0.1:0", "--connect", &fake], &file);
    let at = wait_for(&err, "listening on ");
    let mut host = TcpStream::connect(&at).unwrap();
    host.write_all(b"AT+WIPCFG=1\r").unwrap();
    let name = file.display().to_string();
    // Line 1 is the tap's header, 2 the command, 3 its OK.
    let report = wait_for(&err, &format!("{name}:4: "));
    assert!(report.contains("+WIPPEERCLOSE"), "{report}");
    assert!(report.contains("1..=8"), "{report}");
    let quoted = err.recv_timeout(WAIT).unwrap();
    assert!(quoted.contains("     4 | +WIPPEERCLOSE: 2,9"), "{quoted}");
    // The line at that number is the offending one.
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.lines()
            .nth(3)
            .unwrap()
            .starts_with("+WIPPEERCLOSE: 2,9"),
        "{text}"
    );
    // The modem's side ends: the transcript is closed, the exit code says
    // a violation was found.
    let _ = done_tx.send(());
    assert_eq!(exit_code(&mut tap), Some(1));
    drop(host);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.ends_with("# wip tap: end (the modem closed the line)\n"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// `--stage` writes the peer's side; the recording then replays against
/// the emulator as it is.
#[test]
fn a_staged_recording_replays() {
    let d = tmp("stage");
    let file = d.join("session.at");
    let (_sim, addr) = sim_tcp();
    let (mut tap, err) = tap(
        &["--listen", "127.0.0.1:0", "--connect", &addr, "--stage"],
        &file,
    );
    let at = wait_for(&err, "listening on ");
    let s = TcpStream::connect(&at).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
    let _ = session(s);
    assert_eq!(exit_code(&mut tap), Some(0));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\n@peer tcp tcp1 listen 127.0.0.1:"),
        "{text}"
    );
    assert!(
        text.contains("\n@expect tcp1 \"GET / HTTP/1.0\\r\\n\"\n"),
        "{text}"
    );
    assert!(
        text.contains("\n@send tcp1 \"GET / HTTP/1.0\\r\\n\"\n"),
        "{text}"
    );
    assert_replays(&file, &text);
    if std::env::var_os("WIP_TAP_SHOW").is_some() {
        eprintln!("{text}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Two TCP UARTs of one modem through the tap: one transcript, one
/// `@channel` each, in the order things happened.
#[test]
fn several_uarts_are_channels() {
    let d = tmp("channels");
    let file = d.join("session.at");
    let (_sim, addr) = sim_tcp();
    let (mut tap, err) = tap(&["--listen", "127.0.0.1:0", "--connect", &addr], &file);
    let at = wait_for(&err, "listening on ");
    let talk = |s: &mut TcpStream, line: &str, want: &str| {
        s.write_all(format!("{line}\r").as_bytes()).unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 256];
        let deadline = std::time::Instant::now() + WAIT;
        while !String::from_utf8_lossy(&got).contains(want) {
            assert!(std::time::Instant::now() < deadline, "no `{want}`");
            if let Ok(n) = s.read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
        }
    };
    let mut u1 = TcpStream::connect(&at).unwrap();
    u1.set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    talk(&mut u1, "AT+WIPCFG=1", "OK\r\n");
    let mut u2 = TcpStream::connect(&at).unwrap();
    u2.set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    talk(&mut u2, "AT+CMEE=1", "OK\r\n");
    talk(&mut u2, "AT+WIPCFG=1", "844\r\n");
    talk(&mut u1, "AT+WIPCFG=3", "OK\r\n");
    drop(u2);
    std::thread::sleep(Duration::from_millis(200));
    drop(u1);
    assert_eq!(exit_code(&mut tap), Some(0));
    let text = std::fs::read_to_string(&file).unwrap();
    let body: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split("  //").next().unwrap())
        .collect();
    assert_eq!(
        body[..8],
        [
            "AT+WIPCFG=1",
            "OK",
            "@channel 2",
            "AT+CMEE=1",
            "OK",
            "AT+WIPCFG=1",
            "+CME ERROR: 844",
            "@channel 1",
        ],
        "{text}"
    );
    let v = wip().arg("verify").arg(&file).output().unwrap();
    assert_eq!(v.status.code(), Some(0), "{text}");
    let _ = std::fs::remove_dir_all(&d);
}

/// Two serial lines tapped at once (two emulated modems on ptys): each is
/// a channel of the one transcript.
#[cfg(unix)]
#[test]
fn several_devices_are_channels() {
    let d = tmp("devices");
    let file = d.join("session.at");
    let (_sim1, dev1) = sim_pty();
    let (_sim2, dev2) = sim_pty();
    let (mut tap, err) = tap(&["--device", &dev1, "--device", &dev2, "--pty"], &file);
    let pty1 = wait_for(&err, "pty ");
    let pty2 = wait_for(&err, "pty ");
    let talk = |port: &mut Box<dyn serialport::SerialPort>, line: &str, want: &str| {
        port.write_all(format!("{line}\r").as_bytes()).unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 256];
        let deadline = std::time::Instant::now() + WAIT;
        while !String::from_utf8_lossy(&got).contains(want) {
            assert!(std::time::Instant::now() < deadline, "no `{want}`");
            if let Ok(n) = port.read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
        }
    };
    let mut p1 = wip_runtime::serial::open(&pty1, 115_200).unwrap();
    let mut p2 = wip_runtime::serial::open(&pty2, 115_200).unwrap();
    talk(&mut p1, "AT+WIPCFG=1", "OK\r\n");
    // The channels are UARTs of one modem to `wip verify`: the second
    // device does what a second UART of the first could.
    talk(&mut p2, "AT+WIPBR=?", "OK\r\n");
    // Started already (without AT+CMEE=1: a bare ERROR).
    talk(&mut p1, "AT+WIPCFG=1", "ERROR\r\n");
    std::thread::sleep(Duration::from_millis(200));
    let pid = tap.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    assert_eq!(exit_code(&mut tap), Some(0));
    let text = std::fs::read_to_string(&file).unwrap();
    let body: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split("  //").next().unwrap())
        .collect();
    assert_eq!(
        body,
        [
            "AT+WIPCFG=1",
            "OK",
            "@channel 2",
            "AT+WIPBR=?",
            "OK",
            "@channel 1",
            "AT+WIPCFG=1",
            "ERROR",
        ],
        "{text}"
    );
    let v = wip().arg("verify").arg(&file).output().unwrap();
    assert_eq!(v.status.code(), Some(0), "{text}");
    let _ = std::fs::remove_dir_all(&d);
}

/// `--stage` with a UDP socket: the datagrams become `@expect` and
/// `@send ... to PORT`, one each however many `>>`/`<<` lines it took, and
/// the recording replays.
#[test]
fn a_staged_udp_recording_replays() {
    let d = tmp("stage-udp");
    let file = d.join("session.at");
    let peer = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = peer.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        for _ in 0..2 {
            if let Ok((n, from)) = peer.recv_from(&mut buf) {
                let _ = peer.send_to(&buf[..n], from);
            }
        }
    });
    let (_sim, addr) = sim_tcp();
    let (mut tap, err) = tap(
        &["--listen", "127.0.0.1:0", "--connect", &addr, "--stage"],
        &file,
    );
    let at = wait_for(&err, "listening on ");
    let mut s = TcpStream::connect(&at).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
    let mut got = Vec::new();
    let mut send = |bytes: &[u8], want: &[u8]| {
        s.write_all(bytes).unwrap();
        let deadline = std::time::Instant::now() + WAIT;
        let mut buf = [0u8; 512];
        while !got.windows(want.len()).any(|w| w == want) {
            assert!(std::time::Instant::now() < deadline, "no {want:?}");
            if let Ok(n) = s.read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
        }
        got.clear();
    };
    send(b"AT+WIPCFG=1\r", b"OK\r\n");
    send(b"AT+WIPBR=1,6\r", b"OK\r\n");
    send(b"AT+WIPBR=4,6,0\r", b"OK\r\n");
    let create = format!("AT+WIPCREATE=1,1,6001,\"127.0.0.1\",{port}\r");
    send(create.as_bytes(), b"+WIPREADY: 1,1\r\n");
    send(b"AT+WIPDATA=1,1,1\r", b"CONNECT\r\n");
    send(b"ping\x03", b"ping\x03");
    // A datagram longer than a `<<` line, with a line feed: cut into
    // several lines both ways.
    let long = format!("{}\n{}", "a".repeat(150), "b".repeat(149));
    let mut dgram = long.clone().into_bytes();
    dgram.push(0x03);
    send(&dgram, &dgram);
    std::thread::sleep(Duration::from_millis(2 * GUARD_MS));
    send(b"+++", b"OK\r\n");
    send(b"AT+WIPCLOSE=1,1\r", b"OK\r\n");
    drop(s);
    assert_eq!(exit_code(&mut tap), Some(0));
    let text = std::fs::read_to_string(&file).unwrap();
    let want = format!("@peer udp udp1 127.0.0.1:{port}\n{}", create.trim_end());
    assert!(text.contains(&want), "{text}");
    assert!(
        text.contains(
            ">> ping[ETX]\n@expect udp1 \"ping\"\n@send udp1 to 6001 \"ping\"\n<< ping[ETX]\n"
        ),
        "{text}"
    );
    let quoted = long.replace('\n', "\\n");
    let send_long = format!("@send udp1 to 6001 \"{quoted}\"\n<< aaa");
    assert!(text.contains(&send_long), "{text}");
    assert!(
        text.contains(&format!("@expect udp1 \"{quoted}\"\n")),
        "{text}"
    );
    assert_eq!(text.matches("@send ").count(), 2, "{text}");
    // The two datagrams, and the `+++` (option 13 at 0, 4.1.3).
    assert_eq!(text.matches("@expect ").count(), 3, "{text}");
    assert!(text.matches("\n<< ").count() > 3, "{text}");
    assert_replays(&file, &text);
    let _ = std::fs::remove_dir_all(&d);
}

/// The delay the tap adds: round trips of a command-sized message to an
/// echo server, directly and through `wip tap --listen --connect`. Run with
/// `cargo test --release -p wip --test tap_cli -- --ignored --nocapture
/// forwarding_latency`.
#[test]
#[ignore = "a measurement, not a check"]
fn forwarding_latency() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let echo = l.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { continue };
            let _ = s.set_nodelay(true);
            std::thread::spawn(move || {
                let mut buf = [0u8; 256];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 || s.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    let rtt = |addr: &str| {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_nodelay(true).unwrap();
        let mut buf = [0u8; 64];
        let mut v: Vec<Duration> = (0..2000)
            .map(|_| {
                let t = std::time::Instant::now();
                s.write_all(b"AT+WIPCFG=1\r").unwrap();
                let mut got = 0;
                while got < 12 {
                    got += s.read(&mut buf).unwrap();
                }
                t.elapsed()
            })
            .collect();
        v.sort();
        (v[v.len() / 2], v[v.len() * 99 / 100])
    };
    let direct = rtt(&echo);
    let d = tmp("latency");
    let (_tap, err) = tap(
        &["--listen", "127.0.0.1:0", "--connect", &echo],
        &d.join("l.at"),
    );
    let at = wait_for(&err, "listening on ");
    let tapped = rtt(&at);
    println!(
        "round trip, median and 99th percentile: direct {direct:?}, through wip tap {tapped:?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// A line that cannot be opened leaves the last session's file as it was
/// (exit 2); a modem address that cannot be reached is an I/O error said
/// on stderr, exit 2, not a quiet end.
#[test]
fn a_line_that_fails_is_an_io_error_and_keeps_the_last_file() {
    let dir = tmp("fails");
    let file = dir.join("last.at");
    std::fs::write(&file, "# the last session\n").unwrap();
    let missing = dir.join("no-such-device");
    let out = wip()
        .args(["tap", "--device"])
        .arg(&missing)
        .args(["--pty", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "# the last session\n"
    );

    // A port nobody listens on: held bound without listening for the
    // whole test, so that a connection to it is refused and no other
    // test's listener is given it meanwhile (a port bound and released
    // can be).
    let held = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    held.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    let closed = held.local_addr().unwrap().as_socket().unwrap();
    let (mut p, err) = tap(
        &["--listen", "127.0.0.1:0", "--connect", &closed.to_string()],
        &dir.join("unreachable.at"),
    );
    let listening = wait_for(&err, "listening on ");
    let addr = listening
        .trim_start_matches("listening on ")
        .trim()
        .to_owned();
    let _host = TcpStream::connect(addr).unwrap();
    let said = wait_for(&err, "wip tap: channel 1: cannot connect to");
    assert!(said.contains(&closed.to_string()), "{said}");
    assert_eq!(exit_code(&mut p), Some(2));
}
