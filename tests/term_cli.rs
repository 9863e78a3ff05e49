//! `wip term` in a real terminal: the test holds the controller side of a
//! pseudo-terminal, runs `wip term` on the other side against `wip sim`,
//! types keys and reads the screen. No terminal multiplexer is needed.

#![cfg(unix)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serialport::SerialPort;

const GUARD_MS: u64 = 50;
/// Generous: the machine may be busy.
const WAIT: Duration = Duration::from_secs(30);

fn wip() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wip"))
}

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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
    let addr = common::listening_address(&mut c);
    (Proc(c), addr)
}

/// The screen as text: what the program wrote, without escape sequences.
fn plain(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
            }
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A terminal with `wip term` in it.
struct Term {
    keys: serialport::TTYPort,
    screen: Arc<Mutex<Vec<u8>>>,
    child: Proc,
    /// Where the next `expect` starts looking in the plain screen.
    seen: usize,
}

impl Term {
    fn start(args: &[&str]) -> Term {
        let (controller, device) = wip_runtime::serial::pty_pair().unwrap();
        let path = device.name().unwrap();
        let tty = || {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
                .unwrap()
        };
        let child = wip()
            .arg("term")
            .args(args)
            .env("TERM", "xterm")
            .env_remove("NO_COLOR")
            .stdin(tty())
            .stdout(tty())
            .stderr(tty())
            .spawn()
            .unwrap();
        drop(device);
        let screen = Arc::new(Mutex::new(Vec::new()));
        let mut reader = controller.try_clone_native().unwrap();
        let mut answer = controller.try_clone_native().unwrap();
        let shared = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        let got = &buf[..n];
                        // The line editor asks where the cursor is.
                        if got.windows(4).any(|w| w == b"\x1b[6n") {
                            let _ = answer.write_all(b"\x1b[1;1R");
                        }
                        shared.lock().unwrap().extend_from_slice(got);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                    Err(_) => break,
                }
            }
        });
        Term {
            keys: controller,
            screen,
            child: Proc(child),
            seen: 0,
        }
    }

    fn plain(&self) -> String {
        plain(&self.screen.lock().unwrap())
    }

    fn raw(&self) -> Vec<u8> {
        self.screen.lock().unwrap().clone()
    }

    /// Types keys one at a time, each once the previous one has shown.
    ///
    /// rustyline, while it also prints for another thread (its external
    /// printer), handles keys that reach it together one per wake-up, so a
    /// burst of keys would wait for the next one; a person typing does not
    /// hit this, and pasted text comes as one bracketed paste.
    fn keys(&mut self, k: &str) {
        for c in k.chars() {
            let before = self.screen.lock().unwrap().len();
            let mut b = [0u8; 4];
            self.keys
                .write_all(c.encode_utf8(&mut b).as_bytes())
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(2);
            while self.screen.lock().unwrap().len() == before && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }

    /// Waits until the screen shows `text` after what was already seen.
    fn expect(&mut self, text: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let s = self.plain();
            if let Some(i) = s.get(self.seen..).and_then(|t| t.find(text)) {
                let at = self.seen + i;
                self.seen = at + text.len();
                let end = s[self.seen..].find('\n').map_or(s.len(), |e| self.seen + e);
                return s[at..end].to_string();
            }
            assert!(
                Instant::now() < deadline,
                "`{text}` not on the screen:\n{}\nraw: {:?}",
                s.get(self.seen..).unwrap_or_default(),
                String::from_utf8_lossy(&self.raw())
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types a line and waits for its prompt to come back.
    fn line(&mut self, l: &str) {
        self.keys(l);
        self.expect(l);
        self.keys("\r");
    }
}

/// A TCP peer on loopback: echoes what it gets until told to close.
fn peer() -> (u16, mpsc::Sender<()>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let Ok((mut s, _)) = l.accept() else { return };
        s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
        let mut buf = [0u8; 1024];
        loop {
            if rx.try_recv().is_ok() {
                return;
            }
            match s.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    // `wip sim` passes `+++` on to the peer as data; it is
                    // not echoed, so that the session stays as typed.
                    let data: Vec<u8> = buf[..n].to_vec();
                    if data != b"+++" {
                        let _ = s.write_all(&data);
                    }
                }
                Err(_) => {}
            }
        }
    });
    (port, tx)
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wip-term-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn term_completes_refuses_decodes_and_records() {
    let d = tmp("session");
    let rec = d.join("session.at");
    let (_sim, addr) = sim_tcp();
    let target = format!("tcp:{addr}");
    let guard = GUARD_MS.to_string();
    let mut t = Term::start(&[
        &target,
        "--guard-ms",
        &guard,
        "--record",
        rec.to_str().unwrap(),
    ]);
    t.expect("at> ");

    // Completion of a command name: the three +WIPC commands are offered.
    t.keys("AT+WIPC\t\t");
    t.expect("+WIPCFG  IP Stack Handling");
    std::thread::sleep(Duration::from_millis(200));
    let offered = t.plain();
    for name in [
        "+WIPCREATE  Service Creation",
        "+WIPCLOSE  Closing a Service",
    ] {
        assert!(offered.contains(name), "{offered}");
    }
    t.keys("\x15"); // Ctrl-U: clear the line
                    // The hint shows the form's syntax and the range of the parameter.
    t.keys("AT+WIPCREATE=2,");
    t.expect(
        "AT+WIPCREATE=2,<communication index>,<peer IP>,<peer port>  <communication index>: 1..=8",
    );
    t.keys("\x15");

    // An out-of-range value is refused with its range, and not sent.
    t.line("AT+WIPCREATE=2,9,\"127.0.0.1\",80");
    t.expect("refused: +WIPCREATE <communication index> = 9 is outside 1..=8");

    t.line("AT+WIPCFG=1");
    t.expect("OK");
    t.line("AT+WIPBR=1,6");
    t.expect("OK");
    t.line("AT+WIPBR=4,6,0");
    t.expect("OK");
    let (port, close) = peer();
    t.line(&format!("AT+WIPCREATE=2,1,\"127.0.0.1\",{port}"));
    // A URC is shown decoded, its coded value named from the spec.
    let ready = t.expect("+WIPREADY: 2,1");
    assert!(
        ready.contains("-- URC 5.1.2: mode 2 (TCP client), index 1"),
        "{ready}"
    );

    // Data mode: typed lines go out as payload, the peer's come back.
    t.line("AT+WIPDATA=2,1,1");
    t.expect("CONNECT");
    t.expect("data mode");
    t.expect("data> ");
    t.line("hello there");
    t.expect("<< hello there\\r\\n");
    // A file goes out escaped (DLE before DLE and ETX), as it crosses.
    let file = d.join("payload.bin");
    std::fs::write(&file, b"a\x10b\x03c\r\n").unwrap();
    t.line(&format!(":send {}", file.display()));
    t.expect("<< a[DLE][DLE]b[DLE][ETX]c\\r\\n");
    t.line("+++");
    t.expect("+++ guard");
    t.expect("OK");

    // The peer closes: the URC comes decoded.
    close.send(()).unwrap();
    let closed = t.expect("+WIPPEERCLOSE: 2,1");
    assert!(
        closed
            .contains("protocol 2 (TCP client), idx 1: A socket or session was closed by its peer"),
        "{closed}"
    );
    t.line("AT+WIPCLOSE=2,1");
    t.expect("OK");
    // History: Up brings the last line back (an escape sequence is one
    // key, written at once).
    t.keys.write_all(b"\x1b[A").unwrap();
    t.expect("at> AT+WIPCLOSE=2,1");
    t.keys("\x15");
    // Colour, since the output is a terminal.
    assert!(t.raw().windows(5).any(|w| w == b"\x1b[32m"));
    t.keys("\x04"); // Ctrl-D
    let deadline = Instant::now() + WAIT;
    while t.child.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "wip term did not end");
        std::thread::sleep(Duration::from_millis(20));
    }

    let text = std::fs::read_to_string(&rec).unwrap();
    assert!(!text.contains("AT+WIPCREATE=2,9"), "{text}");
    assert!(
        text.contains("\n>> hello there\\r\\n\n<< hello there\\r\\n\n"),
        "{text}"
    );
    assert!(
        text.contains("\n>> a[DLE][DLE]b[DLE][ETX]c\\r\\n\n"),
        "{text}"
    );
    assert!(
        text.contains("\n<< a[DLE][DLE]b[DLE][ETX]c\\r\\n\n"),
        "{text}"
    );
    assert!(text.contains("\n+++  // guard "), "{text}");
    assert!(text.ends_with("# wip term: end (left)\n"), "{text}");
    let v = wip().arg("verify").arg(&rec).output().unwrap();
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}\n{text}",
        String::from_utf8_lossy(&v.stdout)
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// Lines from a pipe: each waits for its answer; a refused line is sent
/// when forced with `!`; no colour, since the output is not a terminal.
#[test]
fn piped_lines_wait_for_answers_and_are_not_coloured() {
    let d = tmp("piped");
    let rec = d.join("piped.at");
    let (_sim, addr) = sim_tcp();
    let mut c = wip()
        .arg("term")
        .arg(format!("tcp:{addr}"))
        .arg("--record")
        .arg(&rec)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = c.stdin.take().unwrap();
    input
        .write_all(b"AT+WIPCFG=1\nAT+WIPCREATE=2,9,\"a\",1\nAT+CMEE=1\n!AT+WIPCREATE=2,9,\"a\",1\n")
        .unwrap();
    drop(input);
    let out = c.wait_with_output().unwrap();
    // Leaving at the end of the input is no error.
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'), "{text:?}");
    let lines: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(lines[0], "OK", "{text}");
    assert_eq!(
        lines[1], "refused: +WIPCREATE <communication index> = 9 is outside 1..=8",
        "{text}"
    );
    assert_eq!(lines[4], "OK", "{text}");
    assert!(
        lines[5].starts_with("+CME ERROR: 830  -- error 830: "),
        "{text}"
    );
    let recorded = std::fs::read_to_string(&rec).unwrap();
    assert!(
        recorded.contains("AT+CMEE=1  // ") && recorded.contains("\nAT+WIPCREATE=2,9,\"a\",1  // "),
        "{recorded}"
    );
    let v = wip().arg("verify").arg(&rec).output().unwrap();
    assert_eq!(v.status.code(), Some(0), "{recorded}");
    let _ = std::fs::remove_dir_all(&d);
}

/// A recording that cannot be written is refused before the session (exit
/// 2); a modem that closes the line under the session is an I/O error
/// (exit 2, said on stderr).
#[test]
fn term_refuses_an_unwritable_recording_and_reports_a_lost_line() {
    let d = tmp("errors");
    let (_sim, addr) = sim_tcp();
    let out = wip()
        .arg("term")
        .arg(format!("tcp:{addr}"))
        .arg("--record")
        .arg(d.join("no-such-dir").join("x.at"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot record to"));

    // A modem that accepts, then hangs up.
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Some(Ok(c)) = l.incoming().next() {
            std::thread::sleep(Duration::from_millis(200));
            drop(c);
        }
    });
    let mut c = wip()
        .arg("term")
        .arg(format!("tcp:127.0.0.1:{port}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = c.stdin.take().unwrap();
    std::thread::sleep(Duration::from_millis(600));
    let _ = input.write_all(b"AT\n");
    drop(input);
    let out = c.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&d);
}
