//! Throughput of FTP and HTTP transfers through the emulator, over
//! loopback: a 16 MiB file with every byte value (DLE and ETX among them)
//! down from and up to a real server (libunftp on the file system, or
//! tiny_http), between an in-memory UART and the server, in continuous
//! mode (DLE escaping both ways). The figure counts the file's bytes.
//!
//! `cargo bench -p wip-sim --bench services`

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wip_sim::config::Route;
use wip_sim::{Sim, SimConfig, UartHandle};

const SIZE: usize = 16 << 20;

fn data() -> Vec<u8> {
    (0..SIZE).map(|i| (i * 7 + i / 251) as u8).collect()
}

fn until(u: &UartHandle, tail: &[u8]) -> usize {
    let mut n = 0;
    let mut last = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let b = u
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the emulator answers");
        n += b.len();
        last.extend_from_slice(&b);
        if last.ends_with(tail) {
            return n;
        }
        if last.len() > 4096 {
            last.drain(..last.len() - 64);
        }
    }
}

fn command(u: &UartHandle, line: &str, tail: &str) {
    u.send(format!("{line}\r").as_bytes());
    until(u, tail.as_bytes());
}

fn sim(routes: &[(&str, u16, SocketAddr)]) -> (Sim, UartHandle) {
    let d = Arc::new(wip_sim::default_dialect().unwrap());
    let cfg = SimConfig {
        guard: Duration::from_millis(50),
        routed_only: true,
        ephemeral_ports: true,
        ..SimConfig::default()
    };
    let sim = Sim::start(d, cfg, None).unwrap();
    for (host, port, real) in routes {
        sim.add_route(Route {
            host: (*host).into(),
            port: *port,
            real: *real,
            udp: false,
        });
    }
    let u = sim.attach_memory();
    for l in [
        "ATE0",
        "AT+CMEE=1",
        "AT+WIPCFG=1",
        "AT+WIPBR=1,6",
        "AT+WIPBR=4,6,0",
    ] {
        command(&u, l, "OK\r\n");
    }
    (sim, u)
}

fn upload(u: &UartHandle, wire: &[u8]) {
    for piece in wire.chunks(256 * 1024) {
        u.send(piece);
    }
}

fn http(c: &mut Criterion) {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let addr = server.server_addr().to_ip().unwrap();
    let file = Arc::new(Mutex::new(data()));
    let (s, f) = (Arc::clone(&server), Arc::clone(&file));
    std::thread::spawn(move || {
        for mut req in s.incoming_requests() {
            let mut body = Vec::new();
            let _ = req.as_reader().read_to_end(&mut body);
            let resp = if body.is_empty() {
                tiny_http::Response::from_data(f.lock().unwrap().clone())
            } else {
                tiny_http::Response::from_data(Vec::new())
            };
            let _ = req.respond(resp);
        }
    });
    let (_sim, u) = sim(&[("www.example.com", 80, addr)]);
    command(&u, "AT+WIPCREATE=5,1", "+WIPREADY: 5,1\r\n");
    let mut wire = wip_runtime::escape::escape(&data());
    wire.push(0x03);
    let mut g = c.benchmark_group("http");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Bytes(SIZE as u64));
    g.bench_function("get 16 MiB", |b| {
        b.iter(|| {
            u.send(b"AT+WIPFILE=5,1,1,\"http://www.example.com/f\"\r");
            until(&u, b"+WIPFILE: 5,1,1,200,\"OK\"\r\n");
        })
    });
    g.bench_function("post 16 MiB", |b| {
        b.iter(|| {
            u.send(b"AT+WIPFILE=5,1,4,\"http://www.example.com/f\"\r");
            until(&u, b"CONNECT\r\n");
            upload(&u, &wire);
            until(&u, b"+WIPFILE: 5,1,4,200,\"OK\"\r\n");
        })
    });
    g.finish();
    server.unblock();
}

fn ftp(c: &mut Criterion) {
    let root = std::env::temp_dir().join(format!("wip-sim-bench-ftp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("f.bin"), data()).unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = root.clone();
    let server = libunftp::ServerBuilder::new(Box::new(move || {
        unftp_sbe_fs::Filesystem::new(dir.clone()).unwrap()
    }))
    .build()
    .unwrap();
    rt.spawn(server.listen(addr.to_string()));
    while std::net::TcpStream::connect(addr).is_err() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let (_sim, u) = sim(&[("ftp.example.com", 21, addr)]);
    command(
        &u,
        "AT+WIPCREATE=4,1,\"ftp.example.com\",\"anonymous\",\"x\"",
        "OK\r\n",
    );
    command(&u, "AT+WIPOPT=4,1,2,40,1", "OK\r\n");
    let mut wire = wip_runtime::escape::escape(&data());
    wire.push(0x03);
    let mut g = c.benchmark_group("ftp");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Bytes(SIZE as u64));
    g.bench_function("retr 16 MiB", |b| {
        b.iter(|| {
            u.send(b"AT+WIPFILE=4,1,1,\"f.bin\"\r");
            until(&u, b"\x03\r\nOK\r\n");
        })
    });
    g.bench_function("stor 16 MiB", |b| {
        b.iter(|| {
            u.send(b"AT+WIPFILE=4,1,2,\"up.bin\"\r");
            until(&u, b"CONNECT\r\n");
            upload(&u, &wire);
            until(&u, b"\r\nOK\r\n");
        })
    });
    g.finish();
    rt.shutdown_background();
    let _ = std::fs::remove_dir_all(&root);
}

criterion_group!(benches, http, ftp);
criterion_main!(benches);
