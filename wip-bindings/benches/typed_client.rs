//! The typed client's overhead over the string client: 10,000 commands
//! against a modem in memory (a `Read + Write` that answers each command
//! line from a script, no threads), sent as strings with
//! `Client::command` and as generated requests with `Client::send`.
//!
//! The same for the async client (`client_async/…`): the same modem
//! behind `AsyncRead + AsyncWrite`, on a current-thread runtime.
//!
//! `cargo bench -p wip-bindings --bench typed_client`

use std::collections::VecDeque;
use std::hint::black_box;
use std::io::{self, Read, Write};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

mod paired;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use wip_bindings::rev009::*;
use wip_runtime::client::{AsyncClient, Client, ClientConfig};
use wip_runtime::schema::typed::TypedCommand;
use wip_runtime::transport::NonBlocking;

/// Commands per iteration.
const COMMANDS: usize = 10_000;

/// The answers of the script, in the order the commands are sent.
const ANSWERS: [&[u8]; 4] = [
    b"\r\n6,1\r\n\r\n5,0\r\n\r\nOK\r\n",
    b"\r\n+WIPBR: 6,11,\"internet\"\r\n\r\nOK\r\n",
    b"\r\nOK\r\n",
    b"\r\nOK\r\n",
];

/// A modem in memory: each command line it hears must be the next of the
/// script, and is answered with the script's bytes.
struct Modem {
    lines: Vec<Vec<u8>>,
    next: usize,
    heard: Vec<u8>,
    out: VecDeque<u8>,
    wrong: usize,
}

impl Write for Modem {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.heard.extend_from_slice(buf);
        while let Some(end) = memchr_cr(&self.heard) {
            let n = self.next % self.lines.len();
            if self.heard.get(..end) != self.lines.get(n).map(Vec::as_slice) {
                self.wrong += 1;
            }
            self.heard.drain(..=end);
            self.out
                .extend(ANSWERS.get(n).copied().unwrap_or(b"\r\nERROR\r\n"));
            self.next += 1;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn memchr_cr(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\r')
}

impl Read for Modem {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out.is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let n = buf.len().min(self.out.len());
        for (d, s) in buf.iter_mut().zip(self.out.drain(..n)) {
            *d = s;
        }
        Ok(n)
    }
}

struct Requests {
    br_read: WipBrRead,
    br_get: WipBrGetOption,
    create: WipCreateTcpClient,
    close: WipCloseClose,
}

fn requests() -> Option<Requests> {
    Some(Requests {
        br_read: WipBrRead::new().ok()?,
        br_get: WipBrGetOption::new(BearerId::Gprs, BearerOption::GprsApn).ok()?,
        create: WipCreateTcpClient::new(1, "10.0.0.1", 80).ok()?,
        close: WipCloseClose::new(Protocol::TcpClient, 1).ok()?,
    })
}

fn client(lines: &[String]) -> Client<'static, NonBlocking<Modem>> {
    let modem = Modem {
        lines: lines.iter().map(|l| l.clone().into_bytes()).collect(),
        next: 0,
        heard: Vec::new(),
        out: VecDeque::new(),
        wrong: 0,
    };
    Client::new(NonBlocking(modem), &DIALECT, ClientConfig::default())
}

/// Sends `COMMANDS` command lines as strings; returns the lines answered.
fn run_string(c: &mut Client<'static, NonBlocking<Modem>>, lines: &[String]) -> usize {
    let mut got = 0;
    for i in 0..COMMANDS {
        if let Some(l) = lines.get(i % lines.len()) {
            if let Ok(r) = c.command(l) {
                got += r.lines.len();
            }
        }
    }
    got
}

/// Sends `COMMANDS` generated requests; returns the typed responses.
fn run_typed(c: &mut Client<'static, NonBlocking<Modem>>, r: &Requests) -> usize {
    let mut got = 0;
    for i in 0..COMMANDS {
        got += match i % 4 {
            0 => c
                .send(&r.br_read)
                .map_or(0, |a| black_box(a.responses).len()),
            1 => c
                .send(&r.br_get)
                .map_or(0, |a| black_box(a.responses).len()),
            2 => c
                .send(&r.create)
                .map_or(0, |a| black_box(a.responses).len()),
            _ => c.send(&r.close).map_or(0, |a| black_box(a.responses).len()),
        };
    }
    got
}

/// The modem behind `AsyncRead + AsyncWrite`: a read with nothing to give
/// waits until the next write answers.
#[derive(Clone)]
struct AsyncModem(Arc<Mutex<(Modem, Option<Waker>)>>);

impl tokio::io::AsyncWrite for AsyncModem {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = g.0.write(buf);
        if let Some(w) = g.1.take() {
            w.wake();
        }
        Poll::Ready(n)
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl tokio::io::AsyncRead for AsyncModem {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = buf.remaining().min(g.0.out.len());
        if n == 0 {
            g.1 = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let (a, b) = g.0.out.as_slices();
        let first = n.min(a.len());
        buf.put_slice(a.get(..first).unwrap_or_default());
        buf.put_slice(b.get(..n - first).unwrap_or_default());
        g.0.out.drain(..n);
        Poll::Ready(Ok(()))
    }
}

fn async_client(lines: &[String]) -> (AsyncClient<AsyncModem>, AsyncModem) {
    let modem = AsyncModem(Arc::new(Mutex::new((
        Modem {
            lines: lines.iter().map(|l| l.clone().into_bytes()).collect(),
            next: 0,
            heard: Vec::new(),
            out: VecDeque::new(),
            wrong: 0,
        },
        None,
    ))));
    let (c, _urcs) = AsyncClient::new(modem.clone(), &DIALECT, ClientConfig::default());
    (c, modem)
}

async fn run_string_async(c: &mut AsyncClient<AsyncModem>, lines: &[String]) -> usize {
    let mut got = 0;
    for i in 0..COMMANDS {
        if let Some(l) = lines.get(i % lines.len()) {
            if let Ok(r) = c.command(l).await {
                got += r.lines.len();
            }
        }
    }
    got
}

async fn run_typed_async(c: &mut AsyncClient<AsyncModem>, r: &Requests) -> usize {
    let mut got = 0;
    for i in 0..COMMANDS {
        got += match i % 4 {
            0 => c
                .send(&r.br_read)
                .await
                .map_or(0, |a| black_box(a.responses).len()),
            1 => c
                .send(&r.br_get)
                .await
                .map_or(0, |a| black_box(a.responses).len()),
            2 => c
                .send(&r.create)
                .await
                .map_or(0, |a| black_box(a.responses).len()),
            _ => c
                .send(&r.close)
                .await
                .map_or(0, |a| black_box(a.responses).len()),
        };
    }
    got
}

/// The typed / string ratio over alternating pairs of runs (see
/// `paired`), printed before criterion's figures.
fn paired(label: &str, string: impl FnMut() -> usize, typed: impl FnMut() -> usize) {
    const PAIRS: usize = 31;
    if let Some(p) = paired::ratios(PAIRS, string, typed) {
        let (lo, mid, hi) = p.ratios;
        let (s, t) = p.fastest;
        println!(
            "{label}: typed / string over {PAIRS} alternating pairs of {COMMANDS} commands: \
             median {mid:.3}, lowest {lo:.3}, highest {hi:.3}; fastest runs: string {:.0} ns, \
             typed {:.0} ns a command ({:.3})",
            s * 1e9 / COMMANDS as f64,
            t * 1e9 / COMMANDS as f64,
            if s > 0.0 { t / s } else { f64::NAN }
        );
    }
}

fn typed_client_async(c: &mut Criterion) {
    let Some(r) = requests() else {
        eprintln!("the requests do not build");
        return;
    };
    let lines = vec![
        r.br_read.encode(),
        r.br_get.encode(),
        r.create.encode(),
        r.close.encode(),
    ];
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        eprintln!("no runtime");
        return;
    };
    let ((mut s, sm), (mut t, tm)) =
        rt.block_on(async { (async_client(&lines), async_client(&lines)) });
    let (a, b) = rt.block_on(async {
        (
            run_string_async(&mut s, &lines).await,
            run_typed_async(&mut t, &r).await,
        )
    });
    let wrong = |m: &AsyncModem| m.0.lock().map_or(usize::MAX, |g| g.0.wrong);
    println!(
        "async string: {a} lines, typed: {b} responses, wrong lines heard: {} / {}",
        wrong(&sm),
        wrong(&tm)
    );
    paired(
        "async",
        || rt.block_on(run_string_async(&mut s, &lines)),
        || rt.block_on(run_typed_async(&mut t, &r)),
    );
    let mut g = c.benchmark_group("client_async");
    g.throughput(Throughput::Elements(COMMANDS as u64));
    g.bench_function(BenchmarkId::new("string", COMMANDS), |b| {
        b.iter(|| rt.block_on(run_string_async(&mut s, &lines)))
    });
    g.bench_function(BenchmarkId::new("typed", COMMANDS), |b| {
        b.iter(|| rt.block_on(run_typed_async(&mut t, &r)))
    });
    g.finish();
}

fn typed_client(c: &mut Criterion) {
    let Some(r) = requests() else {
        eprintln!("the requests do not build");
        return;
    };
    let lines = vec![
        r.br_read.encode(),
        r.br_get.encode(),
        r.create.encode(),
        r.close.encode(),
    ];
    // Both clients get every answer: 3 response lines per 4 commands.
    let mut s = client(&lines);
    let mut t = client(&lines);
    let (a, b) = (run_string(&mut s, &lines), run_typed(&mut t, &r));
    println!(
        "string: {a} lines, typed: {b} responses, wrong lines heard: {} / {}",
        s.get_mut().0.wrong,
        t.get_mut().0.wrong
    );
    paired(
        "blocking",
        || run_string(&mut s, &lines),
        || run_typed(&mut t, &r),
    );
    let mut g = c.benchmark_group("client");
    g.throughput(Throughput::Elements(COMMANDS as u64));
    g.bench_function(BenchmarkId::new("string", COMMANDS), |b| {
        b.iter(|| run_string(&mut s, &lines))
    });
    g.bench_function(BenchmarkId::new("typed", COMMANDS), |b| {
        b.iter(|| run_typed(&mut t, &r))
    });
    g.finish();
}

criterion_group!(benches, typed_client, typed_client_async);
criterion_main!(benches);
