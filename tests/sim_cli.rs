//! `wip replay` and `wip sim` from the command line: exit codes, the
//! `FILE:LINE: expected …, got …` output, and the emulator's log checked by
//! `wip verify`.

mod common;
use common::listening_address;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn wip() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wip"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wip-sim-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn staged() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/replay");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "at"))
        .collect();
    v.sort();
    v
}

/// Every staged example replays, and what the emulator logged conforms.
#[test]
fn replays_pass_and_the_emulators_log_verifies() {
    let logs = tmp("logs");
    let out = wip()
        .args(["replay", "--guard-ms", "40", "--log-dir"])
        .arg(&logs)
        .args(staged())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let files: Vec<PathBuf> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), staged().len());
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(text.contains("AT+WIPCFG=1\nOK\n"), "{}", f.display());
    }
    let v = wip().arg("verify").args(&files).output().unwrap();
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
    let _ = std::fs::remove_dir_all(&logs);
}

/// What real modems accept, the emulator accepts: the tolerance
/// transcripts replay (E40: a string without quotes; E41: the answer of
/// AT+WIPBR? with its prefix, which the emulator writes bare and replay
/// takes as the same answer). The emulator's log of them verifies.
#[test]
fn the_emulator_answers_the_real_modem_tolerances() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tolerances");
    let files = [
        dir.join("unquoted-string-parameter.at"),
        dir.join("wipbr-read-with-prefix.at"),
    ];
    let logs = tmp("tolerances");
    let out = wip()
        .args(["replay", "--guard-ms", "40", "--log-dir"])
        .arg(&logs)
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The peer closes while `+++` waits for its guard time: +WIPPEERCLOSE
    // comes before the escape's OK (erratum E42). The guard is long enough
    // for the close to reach the emulator before the escape completes.
    let escape = dir.join("urc-between-escape-and-ok.at");
    let out = wip()
        .args(["replay", "--guard-ms", "400", "--log-dir"])
        .arg(&logs)
        .arg(&escape)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let log = std::fs::read_to_string(logs.join("urc-between-escape-and-ok.at")).unwrap();
    assert!(log.contains("+++\n+WIPPEERCLOSE: 2,1\nOK\n"), "{log}");
    assert!(!log.contains("SHUTDOWN"), "{log}");
    let log = std::fs::read_to_string(logs.join("unquoted-string-parameter.at")).unwrap();
    assert!(log.contains("AT+WIPBR=2,6,11,internet\nOK\n"), "{log}");
    assert!(log.contains("+WIPBR: 6,11,\"internet\"\n"), "{log}");
    // A line that differs by more than the prefix still fails.
    let bad = logs.join("bad-read.at");
    std::fs::write(
        &bad,
        "AT+WIPCFG=1\nOK\nAT+WIPBR=1,6\nOK\nAT+WIPBR?\n+WIPBR: 6,1\nOK\n",
    )
    .unwrap();
    let out = wip()
        .args(["replay", "--guard-ms", "40"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&logs);
}

#[test]
fn a_mismatch_is_reported_with_file_and_line_and_exit_1() {
    let d = tmp("bad");
    let f = d.join("bad.at");
    std::fs::write(
        &f,
        "AT+WIPCFG=1\nOK\nAT+WIPCFG=1   // already started\nOK\n",
    )
    .unwrap();
    let out = wip()
        .args(["replay", "--guard-ms", "40"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        s.trim(),
        format!("{}:4: expected `OK`, got `ERROR`", f.display())
    );
    let missing = wip()
        .args(["replay"])
        .arg(d.join("missing.at"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&d);
}

/// `wip sim --listen`: each TCP connection is a UART of one modem.
#[test]
fn sim_serves_uarts_on_tcp() {
    let mut child = wip()
        .args(["sim", "--listen", "127.0.0.1:0", "--guard-ms", "50", "-v"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = listening_address(&mut child);
    let talk = |s: &mut std::net::TcpStream, line: &str, want: &str| {
        s.write_all(format!("{line}\r").as_bytes()).unwrap();
        let mut got = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut buf = [0u8; 256];
        while !String::from_utf8_lossy(&got).contains(want) && Instant::now() < deadline {
            if let Ok(n) = s.read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
        }
        String::from_utf8_lossy(&got).into_owned()
    };
    let mut u1 = std::net::TcpStream::connect(&addr).unwrap();
    u1.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut u2 = std::net::TcpStream::connect(&addr).unwrap();
    u2.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    assert_eq!(
        talk(&mut u1, "AT+WIPCFG=1", "OK\r\n"),
        "AT+WIPCFG=1\r\r\nOK\r\n"
    );
    // The same modem on the second UART: the stack is already started.
    assert_eq!(
        talk(&mut u2, "AT+CMEE=1", "OK\r\n"),
        "AT+CMEE=1\r\r\nOK\r\n"
    );
    assert_eq!(
        talk(&mut u2, "AT+WIPCFG=1", "844\r\n"),
        "AT+WIPCFG=1\r\r\n+CME ERROR: 844\r\n"
    );
    drop((u1, u2));
    child.kill().unwrap();
    let _ = child.wait();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(
        log.contains("AT+WIPCFG=1\nOK\n@channel 2\nAT+CMEE=1\nOK\nAT+WIPCFG=1\n+CME ERROR: 844\n"),
        "{log}"
    );
    // What `-v` logs is a transcript that conforms.
    let d = tmp("verbose");
    let f = d.join("sim.at");
    std::fs::write(&f, &log).unwrap();
    let v = wip().arg("verify").arg(&f).output().unwrap();
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// `wip sim --pty`: a pseudo-terminal for serial port clients.
#[cfg(unix)]
#[test]
fn sim_serves_a_pseudo_terminal() {
    let mut child = wip()
        .args(["sim", "--pty", "--guard-ms", "50"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let path = first.trim().strip_prefix("pty ").unwrap().to_string();
    let mut port = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .unwrap();
    port.write_all(b"AT+WIPCFG=1\r").unwrap();
    // Read on a thread, so that a silent emulator fails the test in time.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut got = Vec::new();
        let mut buf = [0u8; 64];
        while !got.ends_with(b"OK\r\n") {
            match port.read(&mut buf) {
                Ok(n) if n > 0 => got.extend_from_slice(&buf[..n]),
                _ => break,
            }
        }
        let _ = tx.send(got);
    });
    let got = rx.recv_timeout(Duration::from_secs(5));
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(got.unwrap(), b"AT+WIPCFG=1\r\r\nOK\r\n");
}

/// Nobody else's relay: `wip sim` refuses a UART listener on an address
/// that is not loopback unless told `--allow-remote`, and then says what
/// it exposes.
#[test]
fn sim_refuses_a_remote_listener_without_allow_remote() {
    let out = wip()
        .args(["sim", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing was served");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0") && err.contains("--allow-remote"),
        "{err}"
    );
    let mut child = wip()
        .args([
            "sim",
            "--listen",
            "0.0.0.0:0",
            "--allow-remote",
            "--routed-only",
            "--route",
            "ftp.example.com:21=127.0.0.1:2121",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(first.starts_with("listening on 0.0.0.0:"), "{first}");
    assert!(
        err.contains("warning: UARTs served on 0.0.0.0:0 to every host that can reach it")
            && err.contains("the modem reaches only ftp.example.com:21 (tcp)"),
        "{err}"
    );
}

/// With `--routed-only`, a peer no `--route` names is refused (842) and a
/// routed one is reached.
#[test]
fn sim_routed_only_refuses_a_peer_not_routed() {
    let peer = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let route = format!("allowed.example:80={}", peer.local_addr().unwrap());
    let mut child = wip()
        .args(["sim", "--listen", "0", "--routed-only", "--route", &route])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = listening_address(&mut child);
    assert!(
        addr.starts_with("127.0.0.1:"),
        "a bare port is loopback: {addr}"
    );
    let mut u = std::net::TcpStream::connect(&addr).unwrap();
    u.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut talk = |line: &str, want: &str| {
        u.write_all(format!("{line}\r").as_bytes()).unwrap();
        let mut got = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut buf = [0u8; 256];
        while !String::from_utf8_lossy(&got).contains(want) && Instant::now() < deadline {
            if let Ok(n) = u.read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
        }
        String::from_utf8_lossy(&got).into_owned()
    };
    for line in [
        "ATE0",
        "AT+CMEE=1",
        "AT+WIPCFG=1",
        "AT+WIPBR=1,6",
        "AT+WIPBR=4,6,0",
    ] {
        assert!(talk(line, "OK\r\n").ends_with("OK\r\n"), "{line}");
    }
    let refused = talk("AT+WIPCREATE=2,1,\"127.0.0.1\",9", "\r\n+CME ERROR");
    assert!(refused.contains("+CME ERROR: 842"), "{refused}");
    // Services too: an HTTP proxy no route names.
    let refused = talk("AT+WIPCREATE=5,1,\"proxy.example\",8080", "\r\n+CME ERROR");
    assert!(refused.contains("+CME ERROR: 842"), "{refused}");
    let reached = talk("AT+WIPCREATE=2,1,\"allowed.example\",80", "+WIPREADY");
    assert!(reached.contains("OK\r\n\r\n+WIPREADY: 2,1"), "{reached}");
    child.kill().unwrap();
    let _ = child.wait();
}

/// A file that is not UTF-8 is a malformed line at its line and column,
/// exit 1, as `wip verify` reports it; not an I/O error.
#[test]
fn replay_reports_a_file_that_is_not_utf8_at_its_line() {
    let dir = tmp("not-utf8");
    let f = dir.join("latin1.at");
    std::fs::write(&f, b"AT\nOK\n# caf\xe9\n").unwrap();
    let out = wip()
        .args(["replay", "--guard-ms", "40"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim_end(),
        format!(
            "{}:3: malformed line: column 6: not valid UTF-8",
            f.display()
        )
    );
    let verify = wip().arg("verify").arg(&f).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&verify.stdout), stdout);
}
