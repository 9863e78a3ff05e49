//! Named threads, counted while they run: closing a socket or stopping the
//! emulator must leave none of its threads behind, and the count is how a
//! test tells.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Starts threads and counts those still running.
#[derive(Debug, Clone, Default)]
pub struct Threads(Arc<AtomicUsize>);

/// Counts one thread until dropped, as the thread ends or its start fails.
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Threads {
    /// Starts `f` on a thread named `name` (names show in `top -H` and in
    /// profiles).
    pub fn spawn(&self, name: &str, f: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
        self.0.fetch_add(1, Ordering::SeqCst);
        let running = Running(Arc::clone(&self.0));
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let _running = running;
                f();
            })
            .map(drop)
    }

    /// How many of the threads started are still running.
    pub fn running(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::Threads;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    #[test]
    fn counts_threads_until_they_end() {
        let t = Threads::default();
        let (tx, rx) = mpsc::channel::<()>();
        t.spawn("waits", move || {
            let _ = rx.recv();
        })
        .unwrap();
        assert_eq!(t.running(), 1);
        drop(tx);
        let until = Instant::now() + Duration::from_secs(5);
        while t.running() > 0 {
            assert!(Instant::now() < until);
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}
