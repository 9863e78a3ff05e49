//! ICMP echo (+WIPPING, 7.1) on the host's stack: an unprivileged ICMP
//! datagram socket where the system allows one (`net.ipv4.ping_group_range`),
//! else a raw socket (root or CAP_NET_RAW); neither: the core answers 819.

use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use crate::net::{NetEvent, PingReq, SockId};

/// How often a waiting ping looks whether it was stopped.
const POLL: Duration = Duration::from_millis(50);
/// ICMP header size.
const HEADER: usize = 8;

/// An ICMP socket and whether the kernel gives it IP headers (raw).
pub(super) struct IcmpSocket {
    sock: Socket,
    raw: bool,
    /// The identifier of a raw socket's requests (a datagram socket's is
    /// set by the kernel, which also filters the replies).
    ident: u16,
}

impl IcmpSocket {
    /// An ICMP socket: datagram first, raw when that is not allowed.
    pub(super) fn open(ttl: u32, ident: u16) -> std::io::Result<IcmpSocket> {
        let (sock, raw) = match Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::ICMPV4)) {
            Ok(s) => (s, false),
            Err(dgram) => match Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::ICMPV4)) {
                Ok(s) => (s, true),
                // EPERM/EACCES of both: the datagram socket's error says
                // why (ping_group_range), not the raw one's.
                Err(_) => return Err(dgram),
            },
        };
        if ttl > 0 {
            sock.set_ttl_v4(ttl)?;
        }
        Ok(IcmpSocket { sock, raw, ident })
    }

    /// Connects to the target, so that the socket reads only what comes
    /// from it (a raw socket sees every ICMP packet of the host otherwise).
    pub(super) fn connect(&self, to: Ipv4Addr) -> std::io::Result<()> {
        self.sock
            .connect(&SockAddr::from(SocketAddr::V4(SocketAddrV4::new(to, 0))))
    }

    fn send(&self, seq: u16, size: usize) -> std::io::Result<()> {
        let payload = size.saturating_sub(HEADER);
        let mut pkt = Vec::with_capacity(HEADER + payload);
        pkt.extend_from_slice(&[8, 0, 0, 0]);
        pkt.extend_from_slice(&self.ident.to_be_bytes());
        pkt.extend_from_slice(&seq.to_be_bytes());
        pkt.extend((0..payload).map(|i| (i % 256) as u8));
        let sum = checksum(&pkt);
        if let Some(c) = pkt.get_mut(2..4) {
            c.copy_from_slice(&sum.to_be_bytes());
        }
        self.sock.send(&pkt).map(drop)
    }

    /// Waits until `until` for the echo reply of `seq`; false when none
    /// came (or the ping was stopped).
    fn wait_reply(&self, seq: u16, until: Instant, stop: &AtomicBool) -> bool {
        let mut buf = [0u8; 2048];
        loop {
            if stop.load(Ordering::SeqCst) {
                return false;
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            let _ = self.sock.set_read_timeout(Some(left.min(POLL)));
            let n = match (&self.sock).read(&mut buf) {
                Ok(n) => n,
                Err(_) => continue,
            };
            if self.is_reply(buf.get(..n).unwrap_or_default(), seq) {
                return true;
            }
        }
    }

    fn is_reply(&self, bytes: &[u8], seq: u16) -> bool {
        let icmp = if self.raw {
            let ihl = bytes.first().map_or(0, |b| usize::from(b & 0x0f) * 4);
            bytes.get(ihl..).unwrap_or_default()
        } else {
            bytes
        };
        let (Some(&kind), Some(s)) = (icmp.first(), icmp.get(6..8)) else {
            return false;
        };
        let id_ok = !self.raw || icmp.get(4..6) == Some(&self.ident.to_be_bytes()[..]);
        kind == 0 && id_ok && s == seq.to_be_bytes()
    }
}

/// The Internet checksum (RFC 1071).
pub(super) fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for pair in data.chunks(2) {
        let hi = u32::from(pair.first().copied().unwrap_or(0));
        let lo = u32::from(pair.get(1).copied().unwrap_or(0));
        sum += (hi << 8) | lo;
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Runs one +WIPPING: `req.repeat` requests, one every `req.interval`, each
/// reported by a [`NetEvent::Echo`], then [`NetEvent::PingDone`]. A target
/// that did not resolve (`None`) times out every request without sending.
pub(super) fn run(
    sock: Option<IcmpSocket>,
    id: SockId,
    target: Option<Ipv4Addr>,
    req: &PingReq,
    lost: &[u16],
    stop: &AtomicBool,
    sink: &Arc<dyn Fn(NetEvent) + Send + Sync>,
) {
    let start = Instant::now();
    for idx in 0..req.repeat {
        let due = start + req.interval * u32::from(idx);
        while Instant::now() < due {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(due.saturating_duration_since(Instant::now()).min(POLL));
        }
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let sent = Instant::now();
        let until = sent + req.timeout;
        let answered = match (&sock, target) {
            (Some(s), Some(_)) if !lost.contains(&idx) && s.send(idx, req.size).is_ok() => {
                s.wait_reply(idx, until, stop)
            }
            // Not resolved, not routed, refused by the stack (no route) or
            // lost by a staged network: reported once its timeout is over.
            _ => {
                while Instant::now() < until && !stop.load(Ordering::SeqCst) {
                    std::thread::sleep(until.saturating_duration_since(Instant::now()).min(POLL));
                }
                false
            }
        };
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let ms = if answered {
            u32::try_from(sent.elapsed().as_millis()).unwrap_or(u32::MAX)
        } else {
            0
        };
        sink(NetEvent::Echo {
            id,
            idx,
            timed_out: !answered,
            ms,
        });
    }
    sink(NetEvent::PingDone { id });
}

#[cfg(test)]
mod tests {
    use super::checksum;

    #[test]
    fn checksum_of_rfc1071_example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        let d = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(checksum(&d), !0xddf2);
        assert_eq!(checksum(&[]), 0xffff);
    }
}
