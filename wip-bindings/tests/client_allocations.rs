//! What the blocking client allocates per command, counted by a global
//! allocator, against a modem in memory (the `typed_client` bench's): a
//! typed request allocates no more than the string command line, except
//! what its typed responses own (a `String` field). Counts, not time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::VecDeque;
use std::io::{self, Read, Write};

use wip_bindings::rev009::*;
use wip_runtime::client::{Client, ClientConfig};
use wip_runtime::schema::typed::TypedCommand;
use wip_runtime::transport::NonBlocking;

/// Counts the allocations (and reallocations) of each thread.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the thread's counter may be gone while it exits.
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Answers each command line with the next answer, in turn.
struct Modem {
    answers: Vec<&'static [u8]>,
    next: usize,
    heard: Vec<u8>,
    out: VecDeque<u8>,
}

impl Write for Modem {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.heard.extend_from_slice(buf);
        while let Some(end) = self.heard.iter().position(|&b| b == b'\r') {
            self.heard.drain(..=end);
            let a = self.answers.get(self.next % self.answers.len());
            self.out.extend(a.copied().unwrap_or(b"\r\nERROR\r\n"));
            self.next += 1;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
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

fn client(answer: &'static [u8]) -> Client<'static, NonBlocking<Modem>> {
    let modem = Modem {
        answers: vec![answer],
        next: 0,
        heard: Vec::with_capacity(256),
        out: VecDeque::with_capacity(256),
    };
    Client::new(NonBlocking(modem), &DIALECT, ClientConfig::default())
}

/// Commands sent per count, after as many to warm up.
const ROUNDS: u64 = 200;

/// Allocations per command of `req` sent typed, and sent as its line,
/// both answered with `answer` (in hundredths).
fn per_command<C: TypedCommand>(req: &C, answer: &'static [u8]) -> (u64, u64) {
    let line = req.encode();
    let (mut t, mut s) = (client(answer), client(answer));
    let mut typed = || {
        let a = t.send(req).unwrap();
        assert_eq!(a.final_code, wip_runtime::Final::Ok);
    };
    for _ in 0..ROUNDS {
        typed();
    }
    let before = allocations();
    for _ in 0..ROUNDS {
        typed();
    }
    let typed = allocations() - before;
    let mut string = || {
        s.command(&line).unwrap();
    };
    for _ in 0..ROUNDS {
        string();
    }
    let before = allocations();
    for _ in 0..ROUNDS {
        string();
    }
    let string = allocations() - before;
    (typed * 100 / ROUNDS, string * 100 / ROUNDS)
}

#[test]
fn typed_commands_allocate_no_more_than_string_commands() {
    // No response: nothing at all, typed or not.
    let close = WipCloseClose::new(Protocol::TcpClient, 1).unwrap();
    assert_eq!(per_command(&close, b"\r\nOK\r\n"), (0, 0));
    let create = WipCreateTcpClient::new(1, "10.0.0.1", 80).unwrap();
    assert_eq!(per_command(&create, b"\r\nOK\r\n"), (0, 0));
    // Two responses of numbers: the typed vector, as the string client's
    // vector of lines.
    let read = WipBrRead::new().unwrap();
    assert_eq!(
        per_command(&read, b"\r\n6,1\r\n\r\n5,0\r\n\r\nOK\r\n"),
        (100, 100)
    );
    // A response with a string: the vector, and the typed value's String.
    let get = WipBrGetOption::new(BearerId::Gprs, BearerOption::GprsApn).unwrap();
    assert_eq!(
        per_command(&get, b"\r\n+WIPBR: 6,11,\"internet\"\r\n\r\nOK\r\n"),
        (200, 100)
    );
}
