//! +WIPPING (7.1) on the host's stack: echo requests to loopback answered,
//! and, inside a network namespace this test makes, to an address that
//! never answers. No packet leaves the machine: 127.0.0.0/8, or addresses
//! of the namespace.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use wip_sim::config::Route;
use wip_sim::{Sim, SimConfig, UartHandle};

fn sim() -> Sim {
    let d = Arc::new(wip_sim::default_dialect().unwrap());
    let cfg = SimConfig {
        guard: Duration::from_millis(50),
        ephemeral_ports: true,
        routed_only: true,
        ..SimConfig::default()
    };
    Sim::start(d, cfg, None).unwrap()
}

/// Reads until `want` shows (`secs` at most); everything read.
fn expect(u: &UartHandle, want: &str, secs: u64) -> String {
    let mut got = Vec::new();
    let until = Instant::now() + Duration::from_secs(secs);
    while !String::from_utf8_lossy(&got).contains(want) {
        let left = until.saturating_duration_since(Instant::now());
        match u.recv_timeout(left) {
            Some(b) => got.extend_from_slice(&b),
            None => panic!("no {want:?} in {:?}", String::from_utf8_lossy(&got)),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

fn started(sim: &Sim) -> UartHandle {
    let u = sim.attach_memory();
    for line in [
        "ATE0",
        "AT+CMEE=1",
        "AT+WIPCFG=1",
        "AT+WIPBR=1,6",
        "AT+WIPBR=4,6,0",
    ] {
        u.send(format!("{line}\r").as_bytes());
        expect(&u, "OK\r\n", 5);
    }
    u
}

/// The `+WIPPING` lines of a UART's output, as (timeout flag, index, ms).
fn results(text: &str) -> Vec<(u8, u16, u32)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("+WIPPING: "))
        .map(|l| {
            let v: Vec<&str> = l.split(',').collect();
            (
                v[0].parse().unwrap(),
                v[1].parse().unwrap(),
                v[2].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn ping_loopback_and_a_name_routed_to_it() {
    let mut sim = sim();
    sim.add_route(Route {
        host: "192.168.0.1".into(),
        port: 0,
        real: "127.0.0.1:0".parse().unwrap(),
        udp: false,
    });
    let u = started(&sim);
    // repeat 3, interval 200 ms, timeout 1000 ms, 100-byte packets, TTL 5
    u.send(b"AT+WIPPING=\"192.168.0.1\",3,200,1000,100,5\r");
    let t0 = Instant::now();
    let out = expect(&u, "+WIPPING: 0,2,", 10);
    assert!(out.starts_with("\r\nOK\r\n"), "{out}");
    let r = results(&out);
    assert_eq!(
        r.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(),
        [(0, 0), (0, 1), (0, 2)]
    );
    assert!(r.iter().all(|x| x.2 < 1000), "{r:?}");
    // One request every 200 ms.
    assert!(
        t0.elapsed() >= Duration::from_millis(400),
        "{:?}",
        t0.elapsed()
    );
    // Defaults of 7.1.3: one request; 127.0.0.1 is its own route here.
    sim.add_route(Route {
        host: "127.0.0.1".into(),
        port: 0,
        real: "127.0.0.1:0".parse().unwrap(),
        udp: false,
    });
    u.send(b"AT+WIPPING=\"127.0.0.1\"\r");
    let out = expect(&u, "+WIPPING: 0,0,", 5);
    assert_eq!(results(&out).len(), 1, "{out}");
    // Routed only: a name no route gives is never pinged; each request
    // times out (7.1.6 shows +WIPPING: 1,0,0 for such a host).
    u.send(b"AT+WIPPING=\"www.sierrawireless.com\",2,100,300\r");
    let t0 = Instant::now();
    let out = expect(&u, "+WIPPING: 1,1,0", 5);
    assert_eq!(results(&out), [(1, 0, 0), (1, 1, 0)], "{out}");
    assert!(t0.elapsed() >= Duration::from_millis(300));
    // Out of the spec's ranges: refused, nothing sent.
    u.send(b"AT+WIPPING=\"127.0.0.1\",0\r");
    let out = expect(&u, "ERROR", 5);
    assert!(out.contains("+CME ERROR: 801"), "{out}");
    // A stop of the stack ends a ping that runs: no URC after it.
    u.send(b"AT+WIPPING=\"127.0.0.1\",50,100\r");
    expect(&u, "+WIPPING: 0,0,", 5);
    u.send(b"AT+WIPCFG=0\r");
    expect(&u, "OK\r\n", 5);
    std::thread::sleep(Duration::from_millis(400));
    assert!(u.recv_timeout(Duration::from_millis(100)).is_none());
    // Without a started stack: 819 (error on Ping channel).
    u.send(b"AT+WIPPING=\"127.0.0.1\"\r");
    assert!(expect(&u, "ERROR", 5).contains("+CME ERROR: 819"));
    sim.stop();
    assert_eq!(sim.threads(), 0);
}

const INNER: &str = "WIP_PING_NETNS_INNER";

/// An address that never answers: inside a network namespace made here,
/// 198.18.0.2 is routed to the namespace's own loopback, which drops it
/// (no such local address, no forwarding). Needs root and `ip`; skipped
/// with a reason otherwise.
#[test]
fn ping_an_address_that_never_answers_in_a_namespace() {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    if !root {
        eprintln!("skipped: network namespaces need root");
        return;
    }
    let ns = format!("wipsim-ping-{}", std::process::id());
    if !Command::new("ip")
        .args(["netns", "add", &ns])
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: `ip netns add` is not available");
        return;
    }
    let ip = |args: &[&str]| {
        let mut a = vec!["netns", "exec", &ns, "ip"];
        a.extend_from_slice(args);
        Command::new("ip")
            .args(&a)
            .status()
            .is_ok_and(|s| s.success())
    };
    let set_up =
        ip(&["link", "set", "lo", "up"]) && ip(&["route", "add", "198.18.0.2/32", "dev", "lo"]);
    let exe = std::env::current_exe().unwrap();
    let out = set_up.then(|| {
        Command::new("ip")
            .args(["netns", "exec", &ns])
            .arg(exe)
            .args([
                "--exact",
                "inner_ping_in_namespace",
                "--ignored",
                "--nocapture",
            ])
            .env(INNER, "1")
            .output()
            .unwrap()
    });
    let _ = Command::new("ip").args(["netns", "del", &ns]).status();
    let out = out.expect("namespace set up");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("1 passed"), "{text}");
}

/// Run by the test above inside its namespace.
#[test]
#[ignore = "run inside a network namespace by ping_an_address_that_never_answers_in_a_namespace"]
fn inner_ping_in_namespace() {
    assert_eq!(
        std::env::var(INNER).as_deref(),
        Ok("1"),
        "not in the namespace"
    );
    let mut sim = {
        let d = Arc::new(wip_sim::default_dialect().unwrap());
        // Not routed only: the namespace has no way out.
        Sim::start(d, SimConfig::default(), None).unwrap()
    };
    let u = started(&sim);
    u.send(b"AT+WIPPING=\"198.18.0.2\",2,500,400\r");
    let t0 = Instant::now();
    let out = expect(&u, "+WIPPING: 1,1,", 5);
    assert_eq!(results(&out), [(1, 0, 0), (1, 1, 0)], "{out}");
    assert!(
        t0.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t0.elapsed()
    );
    // The namespace's loopback answers.
    u.send(b"AT+WIPPING=\"127.0.0.1\",1,100,1000\r");
    let out = expect(&u, "+WIPPING: ", 5);
    assert_eq!(
        results(&out).first().map(|r| (r.0, r.1)),
        Some((0, 0)),
        "{out}"
    );
    sim.stop();
}
