//! The `+++` escape sequence that leaves data mode (manual 6.1.2, 6.2.1,
//! 6.2.4): silence for the guard time, `+++`, silence for the guard time.
//!
//! The host side ([`send_escape`], with the `std` feature) counts the
//! silence from when the bytes have left the port: it drains the port
//! (`flush`, which is `tcdrain` on a serial port) before each wait. The
//! modem side ([`EscapeDetector`]) is for emulators and test modems: it
//! tells the escape from data that merely holds `+++` (`a+++`, `+++a`).
//! It reads no clock: the caller stamps the bytes with a [`Moment`], a
//! [`std::time::Instant`] with `std` or its own tick count as a
//! [`Duration`] without.

use alloc::vec::Vec;
use core::ops::Add;
use core::time::Duration;
#[cfg(feature = "std")]
use std::io::{self, Write};
#[cfg(feature = "std")]
use std::time::Instant;

/// The guard time of the manual: 1 second before and after `+++`.
pub const DEFAULT_GUARD: Duration = Duration::from_secs(1);

/// The escape sequence itself.
pub const ESCAPE: &[u8] = b"+++";

/// Sends `+++` with `guard` of silence before and after, counted from when
/// the bytes have left the port.
#[cfg(feature = "std")]
pub fn send_escape<W: Write + ?Sized>(port: &mut W, guard: Duration) -> io::Result<()> {
    port.flush()?;
    std::thread::sleep(guard);
    port.write_all(ESCAPE)?;
    port.flush()?;
    std::thread::sleep(guard);
    Ok(())
}

/// [`send_escape`] for an async port.
#[cfg(feature = "tokio")]
pub async fn send_escape_async<W>(port: &mut W, guard: Duration) -> io::Result<()>
where
    W: tokio::io::AsyncWrite + Unpin + ?Sized,
{
    use tokio::io::AsyncWriteExt;
    port.flush().await?;
    tokio::time::sleep(guard).await;
    port.write_all(ESCAPE).await?;
    port.flush().await?;
    tokio::time::sleep(guard).await;
    Ok(())
}

/// A point in time on the caller's clock, as [`EscapeDetector`] takes it.
pub trait Moment: Copy + Add<Duration, Output = Self> {
    /// The time from `earlier` to `self`; zero if `earlier` is later.
    fn saturating_since(self, earlier: Self) -> Duration;
}

#[cfg(feature = "std")]
impl Moment for Instant {
    fn saturating_since(self, earlier: Self) -> Duration {
        self.saturating_duration_since(earlier)
    }
}

/// The time since any fixed start (a tick counter, on a host without
/// [`std::time::Instant`]).
impl Moment for Duration {
    fn saturating_since(self, earlier: Self) -> Duration {
        self.saturating_sub(earlier)
    }
}

/// Recognizes `+++` framed by silence in the bytes a host sends, as a
/// modem does.
///
/// Feed it bytes with the time they arrived; it passes data through and
/// holds up to three `+` that follow a silence. They become an escape only
/// if the line then stays silent for the guard time ([`EscapeDetector::poll`]);
/// any other byte first, or a fourth `+`, makes them data.
///
/// With `std`, the time stamps are [`Instant`]s unless told otherwise;
/// without it, name the [`Moment`] (`EscapeDetector<Duration>`).
#[derive(Debug, Clone)]
pub struct EscapeDetector<#[cfg(feature = "std")] T = Instant, #[cfg(not(feature = "std"))] T> {
    guard: Duration,
    last: Option<T>,
    plus: usize,
}

impl<T: Moment> EscapeDetector<T> {
    /// A detector with the given guard time; the line counts as silent
    /// since long before the first byte.
    pub fn new(guard: Duration) -> Self {
        EscapeDetector {
            guard,
            last: None,
            plus: 0,
        }
    }

    /// A detector whose line last carried a byte at `last` (a modem
    /// that has just switched to data mode, say).
    pub fn after(guard: Duration, last: T) -> Self {
        EscapeDetector {
            guard,
            last: Some(last),
            plus: 0,
        }
    }

    fn silent_since_last(&self, now: T) -> bool {
        self.last
            .is_none_or(|t| now.saturating_since(t) >= self.guard)
    }

    /// Takes bytes that arrived at `now`; appends the data among them
    /// (including `+` that turned out to be data) to `out`.
    pub fn feed(&mut self, bytes: &[u8], now: T, out: &mut Vec<u8>) {
        for &b in bytes {
            let silent = self.silent_since_last(now);
            if self.plus > 0 && b == b'+' && self.plus < 3 && !silent {
                self.plus += 1;
            } else {
                if self.plus > 0 {
                    out.extend(core::iter::repeat_n(b'+', self.plus));
                    self.plus = 0;
                }
                if b == b'+' && silent {
                    self.plus = 1;
                } else {
                    out.push(b);
                }
            }
            self.last = Some(now);
        }
    }

    /// Checks the silence at `now`: returns true once `+++` has been
    /// followed by the guard time. `+` held without a full escape become
    /// data in `out` once the guard time has passed.
    pub fn poll(&mut self, now: T, out: &mut Vec<u8>) -> bool {
        if self.plus == 0 || !self.silent_since_last(now) {
            return false;
        }
        let escaped = self.plus == 3;
        if !escaped {
            out.extend(core::iter::repeat_n(b'+', self.plus));
        }
        self.plus = 0;
        escaped
    }

    /// Gives up what is held: the number of `+` taken but neither given
    /// as data nor taken as an escape yet (the line leaves data mode
    /// another way, and its owner decides what they were).
    pub fn take_held(&mut self) -> usize {
        core::mem::take(&mut self.plus)
    }

    /// Whether a whole `+++` is held, waiting for the guard time that
    /// follows it: the line is leaving data mode unless more bytes come.
    pub fn escape_pending(&self) -> bool {
        self.plus == 3
    }

    /// When [`EscapeDetector::poll`] can next change its answer, if `+` are
    /// held.
    pub fn deadline(&self) -> Option<T> {
        match (self.plus, self.last) {
            (0, _) | (_, None) => None,
            (_, Some(t)) => Some(t + self.guard),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: Duration = Duration::from_millis(100);

    fn at<T: Moment>(base: T, ms: u64) -> T {
        base + Duration::from_millis(ms)
    }

    // The detector's own clock: any start will do.
    const T0: Duration = Duration::from_secs(7);

    #[test]
    fn held_plus_signs_can_be_taken() {
        let mut d = EscapeDetector::new(G);
        let mut out = Vec::new();
        d.feed(b"++", T0, &mut out);
        assert!(out.is_empty());
        assert_eq!(d.take_held(), 2);
        // Nothing is held any more: the guard time gives nothing.
        assert!(!d.poll(at(T0, 500), &mut out));
        assert!(out.is_empty());
        assert_eq!(d.take_held(), 0);
    }

    fn framed_by_silence<T: Moment + PartialEq + core::fmt::Debug>(t: T) {
        let mut d = EscapeDetector::new(G);
        let mut out = Vec::new();
        d.feed(b"data", t, &mut out);
        d.feed(b"+++", at(t, 150), &mut out);
        assert!(!d.poll(at(t, 200), &mut out));
        assert!(d.escape_pending());
        assert_eq!(d.deadline(), Some(at(t, 250)));
        assert!(d.poll(at(t, 250), &mut out));
        assert!(!d.escape_pending());
        assert_eq!(out, b"data");
    }

    #[test]
    fn escape_framed_by_silence() {
        framed_by_silence(T0);
    }

    #[cfg(feature = "std")]
    #[test]
    fn escape_framed_by_silence_in_instants() {
        framed_by_silence(Instant::now());
    }

    #[test]
    fn pluses_one_by_one_still_escape() {
        let t = T0;
        let mut d = EscapeDetector::new(G);
        let mut out = Vec::new();
        d.feed(b"+", at(t, 0), &mut out);
        d.feed(b"+", at(t, 10), &mut out);
        d.feed(b"+", at(t, 20), &mut out);
        assert!(d.poll(at(t, 120), &mut out));
        assert!(out.is_empty());
    }

    #[test]
    fn data_before_is_data() {
        // `a+++`: no silence before the escape.
        let t = T0;
        let mut d = EscapeDetector::new(G);
        let mut out = Vec::new();
        d.feed(b"a+++", t, &mut out);
        assert!(!d.poll(at(t, 500), &mut out));
        assert_eq!(out, b"a+++");
    }

    #[test]
    fn data_after_is_data() {
        // `+++a`: the silence after the escape is broken.
        let t = T0;
        let mut d = EscapeDetector::new(G);
        let mut out = Vec::new();
        d.feed(b"++", at(t, 200), &mut out);
        assert!(!d.escape_pending(), "two pluses are not an escape yet");
        d.feed(b"+", at(t, 200), &mut out);
        assert!(d.escape_pending());
        d.feed(b"a", at(t, 250), &mut out);
        assert!(!d.escape_pending(), "the escape became data");
        assert!(!d.poll(at(t, 500), &mut out));
        assert_eq!(out, b"+++a");
        // And so are four pluses, and two followed by silence.
        let mut out = Vec::new();
        d.feed(b"++++", at(t, 1000), &mut out);
        assert!(!d.poll(at(t, 2000), &mut out));
        d.feed(b"++", at(t, 3000), &mut out);
        assert!(!d.poll(at(t, 4000), &mut out));
        assert_eq!(out, b"++++++");
    }

    #[cfg(feature = "std")]
    #[test]
    fn host_side_drains_and_waits() {
        struct Port(Vec<&'static str>);
        impl Write for Port {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.push(if b == ESCAPE { "+++" } else { "?" });
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                self.0.push("drain");
                Ok(())
            }
        }
        let mut p = Port(Vec::new());
        let start = Instant::now();
        send_escape(&mut p, Duration::from_millis(20)).unwrap();
        assert!(start.elapsed() >= Duration::from_millis(40));
        assert_eq!(p.0, vec!["drain", "+++", "drain"]);
    }
}
