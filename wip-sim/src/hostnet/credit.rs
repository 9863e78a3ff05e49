//! A credit window: a reader thread takes credit before it reads and the
//! core gives it back as it consumes, so what waits in between is bounded.

use std::sync::{Condvar, Mutex};

/// Bytes (or datagrams) a reader may still deliver.
#[derive(Debug)]
pub struct Credit {
    state: Mutex<(usize, bool)>,
    cv: Condvar,
}

impl Credit {
    /// A window of `n`.
    pub fn new(n: usize) -> Self {
        Credit {
            state: Mutex::new((n, false)),
            cv: Condvar::new(),
        }
    }

    /// Waits for credit and takes up to `max`; `None` once closed.
    pub fn acquire(&self, max: usize) -> Option<usize> {
        let mut g = self.state.lock().ok()?;
        loop {
            if g.1 {
                return None;
            }
            if g.0 > 0 {
                let n = g.0.min(max);
                g.0 -= n;
                return Some(n);
            }
            g = self.cv.wait(g).ok()?;
        }
    }

    /// Gives credit back.
    pub fn release(&self, n: usize) {
        if let Ok(mut g) = self.state.lock() {
            g.0 = g.0.saturating_add(n);
            self.cv.notify_all();
        }
    }

    /// Wakes every waiter for good.
    pub fn close(&self) {
        if let Ok(mut g) = self.state.lock() {
            g.1 = true;
            self.cv.notify_all();
        }
    }

    /// Whether [`Credit::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.state.lock().map_or(true, |g| g.1)
    }
}
