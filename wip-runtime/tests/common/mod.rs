//! A scripted modem on the controller side of a pseudo-terminal.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serialport::TTYPort;
use wip_runtime::guard::EscapeDetector;

/// One step of the script.
#[derive(Debug, Clone)]
pub enum Step {
    /// The host must send this command line (then CR); echoed when the
    /// modem has echo on.
    Expect(&'static str),
    /// The modem sends these bytes.
    Send(Vec<u8>),
    /// The host must send exactly these bytes (data mode, as on the wire).
    ExpectData(Vec<u8>),
    /// The host must send `+++` framed by the guard time.
    ExpectEscape,
}

pub use Step::*;

/// `\r\n<line>\r\n`, as the modem frames a response.
pub fn line(s: &str) -> Step {
    Send(format!("\r\n{s}\r\n").into_bytes())
}

struct Modem {
    port: TTYPort,
    rx: Vec<u8>,
    last_rx: Instant,
    deadline: Instant,
}

impl Modem {
    fn read_more(&mut self) -> Result<(), String> {
        if Instant::now() > self.deadline {
            return Err(format!(
                "modem timed out; holding {:?}",
                String::from_utf8_lossy(&self.rx)
            ));
        }
        let mut buf = [0u8; 4096];
        match self.port.read(&mut buf) {
            Ok(0) => Err("port closed".into()),
            Ok(n) => {
                self.rx.extend_from_slice(&buf[..n]);
                self.last_rx = Instant::now();
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => Ok(()),
            Err(e) => Err(format!("read: {e}")),
        }
    }

    fn send(&mut self, b: &[u8]) -> Result<(), String> {
        self.port.write_all(b).map_err(|e| format!("write: {e}"))?;
        self.port.flush().map_err(|e| format!("flush: {e}"))
    }

    fn step(&mut self, step: &Step, echo: bool, guard: Duration) -> Result<(), String> {
        match step {
            Expect(want) => {
                let cr = loop {
                    if let Some(i) = self.rx.iter().position(|&b| b == b'\r') {
                        break i;
                    }
                    self.read_more()?;
                };
                let got: Vec<u8> = self.rx.drain(..=cr).collect();
                let text = String::from_utf8_lossy(&got[..cr]).into_owned();
                if text != *want {
                    return Err(format!("expected {want:?}, got {text:?}"));
                }
                if echo {
                    self.send(&got)?;
                }
                Ok(())
            }
            Send(b) => self.send(b),
            ExpectData(want) => {
                while self.rx.len() < want.len() {
                    self.read_more()?;
                }
                let got: Vec<u8> = self.rx.drain(..want.len()).collect();
                if got != *want {
                    return Err(format!("expected data {want:?}, got {got:?}"));
                }
                Ok(())
            }
            ExpectEscape => {
                let mut det = EscapeDetector::after(guard, self.last_rx);
                let mut data = Vec::new();
                let pending = std::mem::take(&mut self.rx);
                det.feed(&pending, self.last_rx, &mut data);
                loop {
                    let before = self.rx.len();
                    self.read_more()?;
                    let fresh: Vec<u8> = self.rx.drain(before..).collect();
                    det.feed(&fresh, self.last_rx, &mut data);
                    if !data.is_empty() {
                        return Err(format!("data instead of an escape: {data:?}"));
                    }
                    if det.poll(Instant::now(), &mut data) {
                        return Ok(());
                    }
                }
            }
        }
    }
}

/// Runs `script` on `port` in a thread; the result says which step failed.
pub fn spawn(
    port: TTYPort,
    script: Vec<Step>,
    echo: bool,
    guard: Duration,
) -> JoinHandle<Result<(), String>> {
    std::thread::spawn(move || {
        let mut m = Modem {
            port,
            rx: Vec::new(),
            last_rx: Instant::now(),
            deadline: Instant::now() + Duration::from_secs(10),
        };
        for (i, s) in script.iter().enumerate() {
            m.step(s, echo, guard)
                .map_err(|e| format!("step {i} ({s:?}): {e}"))?;
        }
        // Let the host read the last bytes before the port goes away.
        std::thread::sleep(Duration::from_millis(50));
        Ok(())
    })
}

/// The payload the host sends in the session test, with ETX and DLE in it.
pub const UP: &[u8] = b"GET /\x03 with ETX and \x10 DLE\r\n\x10\x03\x03\x10\x10";
/// The payload the modem sends back.
pub const DOWN: &[u8] = b"HTTP/1.0 200 OK\r\n\x10\x03body\x03\x10+++";

/// The session of the done-when scenario: start the stack, open a bearer,
/// create a TCP socket, see `+WIPREADY`, move data with ETX and DLE both
/// ways, leave with `+++`, close.
pub fn session_script() -> Vec<Step> {
    vec![
        Expect("AT+WIPCFG=1"),
        line("OK"),
        Expect("AT+WIPBR=1,6"),
        line("OK"),
        Expect("AT+WIPBR=2,6,11,\"APN name\""),
        line("OK"),
        Expect("AT+WIPBR=4,6,0"),
        line("OK"),
        line("+WIPBR: 6,1,\"10.0.0.2\",\"10.0.0.1\",\"8.8.8.8\",\"8.8.4.4\""),
        Expect("AT+WIPBR=3,6,11"),
        line("+WIPBR: 6,11,\"APN name\""),
        line("OK"),
        Expect("AT+WIPCREATE=2,1,\"127.0.0.1\",80"),
        line("OK"),
        line("+WIPREADY: 2,1"),
        Expect("AT+WIPDATA=2,1,1"),
        line("CONNECT"),
        ExpectData(wip_runtime::escape::escape(UP)),
        Send(wip_runtime::escape::escape(DOWN)),
        ExpectEscape,
        line("OK"),
        Expect("AT+WIPCLOSE=2,1"),
        line("OK"),
    ]
}

/// A TCP session whose peer closes while the host leaves data mode: the
/// modem sends the `+WIPPEERCLOSE` that became due before the `OK` of the
/// escape (erratum E42, as the emulator does).
pub fn peer_close_at_escape_script() -> Vec<Step> {
    vec![
        Expect("AT+WIPDATA=2,1,1"),
        line("CONNECT"),
        Send(b"tail".to_vec()),
        ExpectEscape,
        line("+WIPPEERCLOSE: 2,1"),
        line("OK"),
        Expect("AT+WIPCLOSE=2,1"),
        line("OK"),
    ]
}

/// The rev 009 command set, from the spec (the description generated
/// bindings hold as their `DIALECT` static).
pub fn rev009() -> &'static wip_runtime::Dialect {
    static D: std::sync::OnceLock<wip_runtime::Dialect> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let spec = wip_spec::default_spec().expect("the embedded spec checks");
        spec.dialect.clone()
    })
}

/// The index of a message of rev 009 by id.
pub fn msg(id: &str) -> usize {
    rev009()
        .messages
        .iter()
        .position(|m| m.id == id)
        .expect("a message of rev 009")
}
