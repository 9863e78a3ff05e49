//! A credit window: a reader thread takes credit before it reads and the
//! core gives it back as it consumes, so what waits in between is bounded.

use std::sync::{Condvar, Mutex};

/// The window's state under its lock.
#[derive(Debug)]
struct State {
    /// Credit left.
    left: usize,
    closed: bool,
    /// Threads waiting in [`Credit::acquire`]: only then does a release
    /// wake anyone (a wake is a system call, and most releases find the
    /// reader busy reading).
    waiting: usize,
}

/// Bytes (or datagrams) a reader may still deliver.
#[derive(Debug)]
pub struct Credit {
    state: Mutex<State>,
    cv: Condvar,
}

impl Credit {
    /// A window of `n`.
    pub fn new(n: usize) -> Self {
        Credit {
            state: Mutex::new(State {
                left: n,
                closed: false,
                waiting: 0,
            }),
            cv: Condvar::new(),
        }
    }

    /// Waits for credit and takes up to `max`; `None` once closed.
    pub fn acquire(&self, max: usize) -> Option<usize> {
        let mut g = self.state.lock().ok()?;
        loop {
            if g.closed {
                return None;
            }
            if g.left > 0 {
                let n = g.left.min(max);
                g.left -= n;
                return Some(n);
            }
            g.waiting += 1;
            let woken = self.cv.wait(g);
            g = woken.ok()?;
            g.waiting -= 1;
        }
    }

    /// Gives credit back.
    pub fn release(&self, n: usize) {
        if n == 0 {
            return;
        }
        if let Ok(mut g) = self.state.lock() {
            g.left = g.left.saturating_add(n);
            if g.waiting > 0 {
                self.cv.notify_all();
            }
        }
    }

    /// Wakes every waiter for good.
    pub fn close(&self) {
        if let Ok(mut g) = self.state.lock() {
            g.closed = true;
            self.cv.notify_all();
        }
    }

    /// Whether [`Credit::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.state.lock().map_or(true, |g| g.closed)
    }
}

#[cfg(test)]
mod tests {
    use super::Credit;
    use std::sync::Arc;

    #[test]
    fn a_waiting_reader_is_woken_by_a_release_and_by_close() {
        let c = Arc::new(Credit::new(3));
        assert_eq!(c.acquire(5), Some(3));
        let (tx, rx) = std::sync::mpsc::channel();
        let c2 = Arc::clone(&c);
        let t = std::thread::spawn(move || {
            let _ = tx.send(c2.acquire(10));
            c2.acquire(10)
        });
        // Whether the thread waits already or not, it gets this credit.
        c.release(4);
        c.release(0);
        assert_eq!(rx.recv().unwrap(), Some(4));
        // Then it waits, until the window is closed.
        c.close();
        assert_eq!(t.join().unwrap(), None);
        assert!(c.is_closed());
    }
}
