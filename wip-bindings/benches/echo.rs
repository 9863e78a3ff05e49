//! 1 MiB of DLE/ETX-dense payload (2 bytes in 7) echoed through `wip sim`
//! in continuous mode: a TCP client socket of the emulator to an echo
//! server on loopback started here, driven by the typed clients over a
//! TCP UART, blocking and async. The figure is the payload sent, which
//! also came back (checked byte for byte as it comes; an echo that differs
//! or stops short fails the bench rather than giving a figure): it is the
//! throughput each way.
//!
//! Two ways for each client: `blocking` and `async` write 4 KiB at a time
//! and read the echo whenever 32 KiB are out (one thread or task, the
//! window of the earlier rounds); `blocking_split` and `async_split` are
//! what `examples/tcp_echo_*.rs` do: the handle split, the whole payload
//! written by one half (a thread, or a future joined with the reader)
//! while the other reads the echo, as much in flight as the line takes.
//!
//! `cargo bench -p wip-bindings --bench echo`

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tokio::io::AsyncWriteExt;
use wip_bindings::rev009::*;
use wip_runtime::basic::Echo;
use wip_runtime::client::{AsyncClient, Client, ClientConfig, DataEvent};
use wip_runtime::transport::Transport;
use wip_sim::config::Route;
use wip_sim::{Sim, SimConfig};

const PAYLOAD: usize = 1 << 20;
/// How much is written before the echo is read.
const WINDOW: usize = 32 << 10;
const T: Duration = Duration::from_secs(10);

/// 1 MiB where 2 bytes in 7 are DLE or ETX.
fn payload() -> Vec<u8> {
    (0..PAYLOAD)
        .map(|i| match i % 7 {
            2 => 0x10,
            5 => 0x03,
            n => b'a' + n as u8,
        })
        .collect()
}

/// Checks that `d`, echoed after `got` bytes, is what was sent there (a
/// figure for a broken echo would mean nothing); gives its length.
fn echoed(data: &[u8], got: usize, d: &[u8]) -> usize {
    assert!(
        data.get(got..got + d.len()) == Some(d),
        "the echo differs from the payload after {got} bytes"
    );
    d.len()
}

fn echo_server() -> Option<SocketAddr> {
    let l = TcpListener::bind("127.0.0.1:0").ok()?;
    let a = l.local_addr().ok()?;
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let _ = s.set_nodelay(true);
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 65536];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 || s.write_all(buf.get(..n).unwrap_or_default()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    Some(a)
}

/// The emulator with a route to the echo server, serving UARTs on TCP.
fn sim() -> Option<(Sim, SocketAddr)> {
    let d = Arc::new(wip_sim::default_dialect().ok()?);
    let cfg = SimConfig {
        guard: Duration::from_millis(50),
        ephemeral_ports: true,
        routed_only: true,
        ..SimConfig::default()
    };
    let sim = Sim::start(d, cfg, None).ok()?;
    sim.add_route(Route {
        host: "10.0.2.1".into(),
        port: 7,
        real: echo_server()?,
        udp: false,
    });
    let uart = sim.listen("127.0.0.1:0".parse().ok()?).ok()?;
    Some((sim, uart))
}

fn cfg() -> ClientConfig {
    ClientConfig {
        guard: Duration::from_millis(60),
        ..ClientConfig::default()
    }
}

/// Starts the stack and the bearer and opens socket 1, typed.
fn setup_blocking<T: Transport>(c: &mut Client<'static, T>) -> Option<()> {
    c.send_basic(&Echo::Off).ok()?;
    c.send(&WipCfgStart::new().ok()?).ok()?;
    c.send(&WipBrOpen::new(BearerId::Gprs).ok()?).ok()?;
    c.send(&WipBrStart::new(BearerId::Gprs, BearerMode::Client).ok()?)
        .ok()?;
    c.send(&WipCreateTcpClient::new(1, "10.0.2.1", 7).ok()?)
        .ok()?;
    c.wait_typed::<WipReady>(T, |_| true).ok()?;
    Some(())
}

fn blocking(c: &mut Criterion, data: &[u8]) {
    let Some((_sim, uart)) = sim() else {
        eprintln!("the emulator did not start");
        return;
    };
    let Ok(s) = TcpStream::connect(uart) else {
        return;
    };
    let _ = s.set_nodelay(true);
    let _ = s.set_read_timeout(Some(Duration::from_millis(5)));
    let mut client = Client::new(s, &DIALECT, cfg());
    if setup_blocking(&mut client).is_none() {
        eprintln!("setup failed");
        return;
    }
    let Some(Ok(mut h)) = WipDataMap::new(Protocol::TcpClient, 1, DataMode::Continuous)
        .ok()
        .map(|m| client.data_typed(&m))
    else {
        eprintln!("no CONNECT");
        return;
    };
    let mut g = c.benchmark_group("echo");
    g.throughput(Throughput::Bytes(PAYLOAD as u64));
    g.sample_size(10);
    g.bench_function("blocking", |b| {
        b.iter(|| {
            let (mut sent, mut got) = (0, 0);
            while got < PAYLOAD {
                if sent < PAYLOAD && sent - got < WINDOW {
                    let end = (sent + 4096).min(PAYLOAD);
                    if h.send(data.get(sent..end).unwrap_or_default()).is_err() {
                        break;
                    }
                    sent = end;
                    continue;
                }
                match h.recv(T) {
                    Ok(Some(DataEvent::Data(d))) => got += echoed(data, got, &d),
                    Ok(Some(_)) | Ok(None) | Err(_) => break,
                }
            }
            assert_eq!(got, PAYLOAD, "the echo stopped short");
            got
        })
    });
    g.bench_function("blocking_split", |b| {
        b.iter(|| {
            let Ok((mut rx, mut tx)) = h.split() else {
                panic!("the handle did not split");
            };
            let got = std::thread::scope(|s| {
                let writer = s.spawn(move || tx.write_all(data).and_then(|()| tx.flush()));
                let mut got = 0;
                while got < PAYLOAD {
                    match rx.recv(T) {
                        Ok(Some(DataEvent::Data(d))) => got += echoed(data, got, &d),
                        Ok(Some(_)) | Ok(None) | Err(_) => break,
                    }
                }
                assert!(matches!(writer.join(), Ok(Ok(()))), "the writer failed");
                got
            });
            assert_eq!(got, PAYLOAD, "the echo stopped short");
            got
        })
    });
    g.finish();
    let _ = h.leave();
}

async fn setup_async<IO>(c: &mut AsyncClient<IO>) -> Option<()>
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + 'static,
{
    c.send_basic(&Echo::Off).await.ok()?;
    c.send(&WipCfgStart::new().ok()?).await.ok()?;
    c.send(&WipBrOpen::new(BearerId::Gprs).ok()?).await.ok()?;
    c.send(&WipBrStart::new(BearerId::Gprs, BearerMode::Client).ok()?)
        .await
        .ok()?;
    c.send(&WipCreateTcpClient::new(1, "10.0.2.1", 7).ok()?)
        .await
        .ok()?;
    Some(())
}

fn asynchronous(c: &mut Criterion, data: &[u8]) {
    let Ok(rt) = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    else {
        return;
    };
    let Some((_sim, uart)) = sim() else {
        return;
    };
    let Some(mut client) = rt.block_on(async {
        let s = tokio::net::TcpStream::connect(uart).await.ok()?;
        let _ = s.set_nodelay(true);
        let (mut client, mut urcs) = AsyncClient::new(s, &DIALECT, cfg());
        setup_async(&mut client).await?;
        tokio::time::timeout(T, urcs.next_typed::<WipReady>(|_| true))
            .await
            .ok()??
            .ok()?;
        Some(client)
    }) else {
        eprintln!("async setup failed");
        return;
    };
    let mut g = c.benchmark_group("echo");
    g.throughput(Throughput::Bytes(PAYLOAD as u64));
    g.sample_size(10);
    rt.block_on(async {
        let Some(map) = WipDataMap::new(Protocol::TcpClient, 1, DataMode::Continuous).ok() else {
            return;
        };
        let Ok(mut h) = client.data_typed(&map).await else {
            eprintln!("no CONNECT");
            return;
        };
        g.bench_function("async", |b| {
            b.iter(|| {
                tokio::task::block_in_place(|| {
                    tokio::runtime::Handle::current().block_on(async {
                        let (mut sent, mut got) = (0, 0);
                        while got < PAYLOAD {
                            if sent < PAYLOAD && sent - got < WINDOW {
                                let end = (sent + 4096).min(PAYLOAD);
                                if h.send(data.get(sent..end).unwrap_or_default())
                                    .await
                                    .is_err()
                                {
                                    break;
                                }
                                sent = end;
                                continue;
                            }
                            match h.recv(T).await {
                                Ok(Some(DataEvent::Data(d))) => got += echoed(data, got, &d),
                                Ok(Some(_)) | Ok(None) | Err(_) => break,
                            }
                        }
                        assert_eq!(got, PAYLOAD, "the echo stopped short");
                        got
                    })
                })
            })
        });
        g.bench_function("async_split", |b| {
            b.iter(|| {
                tokio::task::block_in_place(|| {
                    tokio::runtime::Handle::current().block_on(async {
                        let (mut rx, mut tx) = h.split();
                        let write = async {
                            tx.write_all(data).await?;
                            tx.flush().await
                        };
                        let (sent, got) = tokio::join!(write, async {
                            let mut got = 0;
                            while got < PAYLOAD {
                                match rx.recv(T).await {
                                    Ok(Some(DataEvent::Data(d))) => got += echoed(data, got, &d),
                                    Ok(Some(_)) | Ok(None) | Err(_) => break,
                                }
                            }
                            got
                        });
                        assert!(sent.is_ok(), "the writer failed");
                        assert_eq!(got, PAYLOAD, "the echo stopped short");
                        got
                    })
                })
            })
        });
        let _ = h.leave().await;
    });
    g.finish();
}

fn echo(c: &mut Criterion) {
    let data = payload();
    blocking(c, &data);
    asynchronous(c, &data);
}

criterion_group!(benches, echo);
criterion_main!(benches);
