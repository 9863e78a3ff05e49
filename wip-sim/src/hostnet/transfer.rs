//! What a file transfer's thread shares with the driver: the host's upload
//! data as it comes, the credit window of the download, and the stop flag
//! of +WIPCLOSE, a stack stop or the emulator's stop.

use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use super::credit::Credit;
use super::Shared;
use crate::net::{NetEvent, SockId};

/// How often a transfer waiting for the host looks whether it was stopped.
const POLL: Duration = Duration::from_millis(50);

/// Upload data from the host.
#[derive(Debug)]
pub(super) enum Chunk {
    /// Bytes (unescaped).
    Data(Vec<u8>),
    /// The host ended the data (ETX, or `+++` in transparent mode).
    End,
}

/// The transfer's side.
pub(super) struct Xfer {
    pub id: SockId,
    pub rx: mpsc::Receiver<Chunk>,
    pub credit: Arc<Credit>,
    pub stop: Arc<AtomicBool>,
    /// The connection the transfer reads or writes, shut down when it is
    /// stopped so that no thread waits out a server's timeout.
    pub conn: Arc<Mutex<Option<TcpStream>>>,
}

impl Xfer {
    /// Registers the connection to shut down on a stop.
    pub fn watch(&self, s: &TcpStream) {
        if let (Ok(mut slot), Ok(c)) = (self.conn.lock(), s.try_clone()) {
            *slot = Some(c);
        }
        if self.stopped() {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// The host's next upload data; `None` once stopped.
    pub fn next(&self) -> Option<Chunk> {
        loop {
            if self.stopped() {
                return None;
            }
            match self.rx.recv_timeout(POLL) {
                Ok(c) => return Some(c),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Forgets the connection: the copy held for a stop would keep it open
    /// (an FTP upload ends when its data connection closes).
    pub fn unwatch(&self) {
        if let Ok(mut slot) = self.conn.lock() {
            slot.take();
        }
    }

    /// Hands downloaded bytes to the core as its credit allows; false once
    /// stopped.
    pub fn deliver(&self, sh: &Shared, data: &[u8]) -> bool {
        let mut rest = data;
        while !rest.is_empty() {
            let Some(n) = self.credit.acquire(rest.len()) else {
                return false;
            };
            let (now, later) = rest.split_at(n.min(rest.len()));
            (sh.sink)(NetEvent::Data {
                id: self.id,
                data: now.to_vec(),
            });
            rest = later;
        }
        !self.stopped()
    }
}
