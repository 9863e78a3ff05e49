//! The emulator core driven directly, with a scripted network: data mode,
//! segmentation, resets, back-pressure, chunking and arbitrary input.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use wip_schema::Dialect;
use wip_sim::flash::Flash;
use wip_sim::modem::{Action, CoreConfig, Modem, UartId, TX_HIGH};
use wip_sim::net::{NetCmd, NetEvent, Peer};

const GUARD: Duration = Duration::from_millis(100);

fn dialect() -> Arc<Dialect> {
    static D: OnceLock<Arc<Dialect>> = OnceLock::new();
    Arc::clone(D.get_or_init(|| Arc::new(wip_sim::default_dialect().unwrap())))
}

/// A modem, a clock, and what came out.
struct Rig {
    m: Modem,
    t: Instant,
    out: Vec<(UartId, Vec<u8>)>,
    net: Vec<NetCmd>,
    credit: usize,
    /// The log events (with `CoreConfig::log`).
    log: Vec<(UartId, wip_transcript::Event)>,
}

impl Rig {
    fn with(cfg: CoreConfig) -> Self {
        let cfg = CoreConfig {
            guard: GUARD,
            ..cfg
        };
        let mut m = Modem::new(dialect(), cfg, Flash::default()).unwrap();
        m.attach(1);
        m.attach(2);
        Rig::of(m)
    }

    /// A rig around a modem already made, its UARTs attached.
    fn of(m: Modem) -> Self {
        Rig {
            m,
            t: Instant::now(),
            out: Vec::new(),
            net: Vec::new(),
            credit: 0,
            log: Vec::new(),
        }
    }

    fn collect(&mut self) {
        for a in self.m.take_actions() {
            match a {
                Action::Uart(u, b) => {
                    let n = b.len();
                    self.out.push((u, b));
                    self.m.written(u, n, self.t);
                }
                Action::Net(c) => self.net.push(c),
                Action::Credit(_, n) => self.credit += n,
                Action::Log(u, e) => self.log.push((u, e)),
            }
        }
    }

    fn feed(&mut self, u: UartId, b: &[u8]) {
        self.m.feed(u, b, self.t);
        self.collect();
    }

    fn wait(&mut self, d: Duration) {
        self.t += d;
        self.m.tick(self.t);
        self.collect();
    }

    fn net_ev(&mut self, ev: NetEvent) {
        self.m.net(ev, self.t);
        self.collect();
    }

    /// Everything UART `u` got since the last call.
    fn take(&mut self, u: UartId) -> String {
        let mut s = Vec::new();
        self.out.retain(|(x, b)| {
            if *x == u {
                s.extend_from_slice(b);
                false
            } else {
                true
            }
        });
        String::from_utf8_lossy(&s).into_owned()
    }

    fn at(&mut self, u: UartId, line: &str) -> String {
        self.feed(u, format!("{line}\r").as_bytes());
        self.wait(Duration::from_millis(1));
        let s = self.take(u);
        s.strip_prefix(&format!("{line}\r"))
            .unwrap_or(&s)
            .to_string()
    }

    /// Answers the last open request of the network.
    fn open_last(&mut self) -> u64 {
        let id = self
            .net
            .iter()
            .rev()
            .find_map(|c| match c {
                NetCmd::OpenUdp { id, .. }
                | NetCmd::Connect { id, .. }
                | NetCmd::Listen { id, .. } => Some(*id),
                _ => None,
            })
            .unwrap();
        self.net_ev(NetEvent::Opened {
            id,
            local_port: 40000,
            peer: None,
        });
        id
    }

    fn sent(&mut self) -> Vec<Vec<u8>> {
        let mut v = Vec::new();
        self.net.retain(|c| match c {
            NetCmd::Send { data, .. } | NetCmd::SendTo { data, .. } => {
                v.push(data.clone());
                false
            }
            _ => true,
        });
        v
    }

    fn up() -> Self {
        Rig::up_with(CoreConfig::default())
    }

    /// Sets a stack option that takes effect at the next start (4.1.7):
    /// stored, and the stack stopped and started again with its bearer,
    /// as 9.14 does.
    fn configure_and_restart(&mut self, opt: u32, value: u32) {
        for line in [
            format!("AT+WIPCFG=2,{opt},{value}"),
            "AT+WIPCFG=4,1".into(),
            "AT+WIPCFG=0".into(),
            "AT+WIPCFG=1".into(),
            "AT+WIPBR=1,6".into(),
            "AT+WIPBR=4,6,0".into(),
        ] {
            assert_eq!(self.at(1, &line), "\r\nOK\r\n", "{line}");
        }
    }

    fn up_with(cfg: CoreConfig) -> Self {
        let mut r = Rig::with(cfg);
        assert_eq!(r.at(1, "AT+CMEE=1"), "\r\nOK\r\n");
        assert_eq!(r.at(1, "AT+WIPCFG=1"), "\r\nOK\r\n");
        assert_eq!(r.at(1, "AT+WIPBR=1,6"), "\r\nOK\r\n");
        assert_eq!(r.at(1, "AT+WIPBR=4,6,0"), "\r\nOK\r\n");
        r
    }

    fn udp(&mut self, idx: u8) -> u64 {
        assert_eq!(
            self.at(1, &format!("AT+WIPCREATE=1,{idx},5000,\"10.0.0.1\",7")),
            ""
        );
        let id = self.open_last();
        assert_eq!(
            self.take(1),
            format!("\r\nOK\r\n\r\n+WIPREADY: 1,{idx}\r\n")
        );
        id
    }

    fn tcp(&mut self, idx: u8) -> u64 {
        assert_eq!(
            self.at(1, &format!("AT+WIPCREATE=2,{idx},\"10.0.0.1\",80")),
            ""
        );
        let id = self.open_last();
        assert_eq!(
            self.take(1),
            format!("\r\nOK\r\n\r\n+WIPREADY: 2,{idx}\r\n")
        );
        id
    }

    fn escape(&mut self, u: UartId) -> String {
        self.wait(GUARD * 2);
        self.feed(u, b"+++");
        self.wait(GUARD * 2);
        self.take(u)
    }
}

#[test]
fn udp_continuous_datagrams_and_escape() {
    let mut r = Rig::up();
    r.at(1, "AT+WIPCFG=2,13,1");
    let id = r.udp(1);
    assert_eq!(r.at(1, "AT+WIPDATA=1,1,1"), "\r\nCONNECT\r\n");
    r.feed(1, b"a\x10\x03b\x10\x10c\x03second");
    assert_eq!(r.sent(), vec![b"a\x03b\x10c".to_vec()]);
    // A datagram from the network: escaped, then ETX (6.2.2.3).
    let from = Peer {
        host: "10.0.0.2".into(),
        port: 9,
    };
    r.net_ev(NetEvent::Datagram {
        id,
        from,
        data: b"x\x03y".to_vec(),
    });
    assert_eq!(r.take(1), "x\x10\x03y\x03");
    // Leaving data mode sends the unsent data as one datagram (6.2.4).
    assert_eq!(r.escape(1), "\r\nOK\r\n");
    assert_eq!(r.sent(), vec![b"second".to_vec()]);
}

#[test]
fn udp_datagrams_are_cut_at_5904_bytes() {
    let mut r = Rig::up();
    r.udp(2);
    r.at(1, "AT+WIPDATA=1,2,1");
    r.feed(1, &vec![b'z'; 6000]);
    let s = r.sent();
    assert_eq!(s.iter().map(Vec::len).collect::<Vec<_>>(), vec![5904]);
    r.feed(1, b"\x03");
    assert_eq!(r.sent().iter().map(Vec::len).collect::<Vec<_>>(), vec![96]);
}

/// A datagram of exactly the maximum size goes out whole, and the [ETX]
/// written after it ends it: no empty datagram follows (6.2.2.2: data "is
/// collected till an [ETX] character is encountered or the maximum size of
/// the datagram is reached and will be sent as a single datagram"); a lone
/// [ETX] after other data, or alone, still ends a datagram of its own.
#[test]
fn a_full_datagram_and_its_etx_are_one_datagram() {
    let mut r = Rig::up();
    r.udp(2);
    r.at(1, "AT+WIPDATA=1,2,1");
    let mut full = vec![b'z'; 5904];
    full.push(0x03);
    r.feed(1, &full);
    assert_eq!(
        r.sent().iter().map(Vec::len).collect::<Vec<_>>(),
        vec![5904]
    );
    // An escaped [ETX] as its last byte, then the lone one.
    let mut escaped = vec![b'z'; 5903];
    escaped.extend_from_slice(b"\x10\x03\x03");
    r.feed(1, &escaped);
    let s = r.sent();
    assert_eq!(s.iter().map(Vec::len).collect::<Vec<_>>(), vec![5904]);
    assert_eq!(s[0].last(), Some(&0x03));
    // A lone [ETX] with nothing before it is an empty datagram.
    r.feed(1, b"\x03");
    assert_eq!(r.sent(), vec![Vec::<u8>::new()]);
}

#[test]
fn udp_transparent_segmentation() {
    let mut r = Rig::up();
    r.udp(1);
    // 6.2.11.5: chunks of <send size>, the rest after <wait time>.
    assert_eq!(r.at(1, "AT+WIPDATA=1,1,2,8,3"), "\r\nCONNECT\r\n");
    r.feed(1, b"0123456789AB\x03\x10");
    assert_eq!(r.sent(), vec![b"01234567".to_vec()]);
    r.wait(Duration::from_millis(200));
    assert!(r.sent().is_empty());
    r.wait(Duration::from_millis(150));
    assert_eq!(r.sent(), vec![b"89AB\x03\x10".to_vec()]);
    // Segmentation is refused in continuous mode for UDP (6.2.11.5).
    r.escape(1);
    assert_eq!(r.at(1, "AT+WIPDATA=1,1,1,8,3"), "\r\nERROR\r\n");
}

#[test]
fn tcp_segmentation_and_shutdown() {
    let mut r = Rig::up();
    r.tcp(3);
    // More than twice TCP_MIN_MSS (536) is 847 (6.2.11.4).
    assert_eq!(
        r.at(1, "AT+WIPDATA=2,3,1,1073,5"),
        "\r\n+CME ERROR: 847\r\n"
    );
    assert_eq!(r.at(1, "AT+WIPDATA=2,3,1,10,5"), "\r\nCONNECT\r\n");
    r.feed(1, b"12345");
    assert!(r.sent().is_empty());
    r.wait(Duration::from_millis(499));
    assert!(r.sent().is_empty());
    r.wait(Duration::from_millis(2));
    assert_eq!(r.sent(), vec![b"12345".to_vec()]);
    r.feed(1, &[b'x'; 20]);
    assert_eq!(r.sent(), vec![vec![b'x'; 20]]);
    // A lone ETX shuts the sending side down (6.2.2.1); later data is lost.
    r.feed(1, b"tail\x03more");
    assert_eq!(r.sent(), vec![b"tail".to_vec()]);
    assert!(r
        .net
        .iter()
        .any(|c| matches!(c, NetCmd::ShutdownWrite { .. })));
}

#[test]
fn tcp_peer_shutdown_then_peer_close_indication() {
    let mut r = Rig::up();
    let id = r.tcp(1);
    r.at(1, "AT+WIPDATA=2,1,1");
    r.net_ev(NetEvent::Data {
        id,
        data: b"bye".to_vec(),
    });
    r.net_ev(NetEvent::Eof { id });
    assert_eq!(r.take(1), "bye\r\nSHUTDOWN\r\n");
    // +WIPPEERCLOSE once back in AT mode (6.2.11.1), with +++ sent as data.
    assert_eq!(r.escape(1), "\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,1\r\n");
    assert_eq!(r.sent(), vec![b"+++".to_vec()]);
}

#[test]
fn a_peer_closing_while_the_escape_waits_is_told_before_its_ok() {
    // Erratum E42: the close comes after `+++`, before its guard time is
    // over; no SHUTDOWN, and +WIPPEERCLOSE comes before the escape's OK.
    let mut r = Rig::up();
    let id = r.tcp(1);
    r.at(1, "AT+WIPDATA=2,1,1");
    r.wait(GUARD * 2);
    r.feed(1, b"+++");
    r.wait(GUARD / 2);
    r.net_ev(NetEvent::Eof { id });
    assert_eq!(r.take(1), "", "held while the escape waits");
    r.wait(GUARD);
    assert_eq!(r.take(1), "\r\n+WIPPEERCLOSE: 2,1\r\n\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPCLOSE=2,1"), "\r\nOK\r\n");

    // More bytes make the `+++` data: the held SHUTDOWN comes then, and
    // +WIPPEERCLOSE after the OK of a later escape, as before.
    let mut r = Rig::up();
    let id = r.tcp(1);
    r.at(1, "AT+WIPDATA=2,1,1");
    r.wait(GUARD * 2);
    r.feed(1, b"+++");
    r.wait(GUARD / 2);
    r.net_ev(NetEvent::Eof { id });
    assert_eq!(r.take(1), "");
    r.feed(1, b"x");
    assert_eq!(r.take(1), "\r\nSHUTDOWN\r\n");
    assert_eq!(r.escape(1), "\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,1\r\n");
}

#[test]
fn another_sockets_urc_during_the_escape_comes_after_its_ok() {
    // Only the mapped socket's own close comes before the escape's OK
    // (erratum E42); the indication of another socket's data that came
    // meanwhile is given once back in AT mode (9.2), whether the mapped
    // peer closed or not.
    for close in [false, true] {
        let mut r = Rig::up();
        let id = r.tcp(1);
        let other = r.tcp(2);
        r.at(1, "AT+WIPDATA=2,1,1");
        r.wait(GUARD * 2);
        r.feed(1, b"+++");
        r.wait(GUARD / 4);
        r.net_ev(NetEvent::Data {
            id: other,
            data: b"12345".to_vec(),
        });
        r.wait(GUARD / 4);
        if close {
            r.net_ev(NetEvent::Eof { id });
        }
        r.wait(GUARD);
        let want = if close {
            "\r\n+WIPPEERCLOSE: 2,1\r\n\r\nOK\r\n\r\n+WIPDATA: 2,2,5\r\n"
        } else {
            "\r\nOK\r\n\r\n+WIPDATA: 2,2,5\r\n"
        };
        assert_eq!(r.take(1), want, "peer closed: {close}");
    }
}

#[test]
fn tcp_reset_while_mapped_is_etx_and_843() {
    let mut r = Rig::up();
    let id = r.tcp(1);
    r.at(1, "AT+WIPDATA=2,1,2");
    r.net_ev(NetEvent::Data {
        id,
        data: b"last".to_vec(),
    });
    r.net_ev(NetEvent::Reset { id });
    assert_eq!(r.take(1), "last\x03\r\n+CME ERROR: 843\r\n");
    assert_eq!(r.at(1, "AT+WIPDATA=2,1,1"), "\r\n+CME ERROR: 843\r\n");
    assert_eq!(r.at(1, "AT+WIPCLOSE=2,1"), "\r\nOK\r\n");
}

#[test]
fn indications_once_until_read() {
    let mut r = Rig::up();
    let id = r.tcp(1);
    r.net_ev(NetEvent::Data {
        id,
        data: b"ab".to_vec(),
    });
    r.net_ev(NetEvent::Data {
        id,
        data: b"cd".to_vec(),
    });
    r.net_ev(NetEvent::Eof { id });
    // One indication; the peer close waits until the data is read (6.2.6).
    assert_eq!(r.take(1), "\r\n+WIPDATA: 2,1,2\r\n");
    assert_eq!(
        r.at(1, "AT+WIPDATA=2,1,1"),
        "\r\nCONNECT\r\nabcd\r\nSHUTDOWN\r\n"
    );
    r.at(1, "AT+WIPCFG=2,13,1");
    assert_eq!(r.escape(1), "\r\nOK\r\n\r\n+WIPPEERCLOSE: 2,1\r\n");
    let u = r.udp(4);
    let p = |port| Peer {
        host: "10.0.0.9".into(),
        port,
    };
    // Channel 1 is in data mode on socket 1: the URCs of socket 4 wait.
    r.at(1, "AT+WIPDATA=2,1,1");
    r.net_ev(NetEvent::Datagram {
        id: u,
        from: p(1),
        data: vec![1; 10],
    });
    r.net_ev(NetEvent::Datagram {
        id: u,
        from: p(2),
        data: vec![2; 20],
    });
    assert_eq!(r.take(1), "");
    assert_eq!(
        r.escape(1),
        "\r\nOK\r\n\r\n+WIPDATA: 1,4,10,\"10.0.0.9\",1\r\n"
    );
    assert_eq!(r.at(1, "AT+WIPDATA=1,4,2"), "\r\nCONNECT\r\n\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}");
}

#[test]
fn one_uart_per_socket_and_unmapping_from_another() {
    let mut r = Rig::up();
    r.udp(1);
    assert_eq!(r.at(1, "AT+WIPDATA=1,1,1"), "\r\nCONNECT\r\n");
    r.at(2, "AT+CMEE=1");
    assert_eq!(r.at(2, "AT+WIPDATA=1,1,1"), "\r\n+CME ERROR: 831\r\n");
    assert_eq!(r.at(2, "AT+WIPDATA=1,1,0"), "\r\nOK\r\n");
    assert_eq!(r.take(1), "\r\nOK\r\n");
    assert_eq!(r.at(2, "AT+WIPDATA=1,1,0"), "\r\n+CME ERROR: 831\r\n");
}

#[test]
fn offline_buffer_full_is_853() {
    let mut r = Rig::up();
    r.configure_and_restart(15, 10);
    r.udp(1);
    assert_eq!(
        r.at(1, "AT+WIPDATA=1,1,3"),
        "\r\n+WIPDATARW: 1,1\r\n\r\nOK\r\n"
    );
    assert_eq!(r.at(1, "AT+WIPDATARW=2,1,\"3031323334\""), "\r\nOK\r\n");
    assert_eq!(
        r.at(1, "AT+WIPDATARW=2,1,\"303132333435\""),
        "\r\n+CME ERROR: 853\r\n"
    );
    assert_eq!(
        r.at(1, "AT+WIPDATARW=3,1,\"\""),
        "\r\n+WIPDATARW: 3,1,5\r\n\r\n+WIPDATARW: 0,1\r\n\r\nOK\r\n"
    );
    assert_eq!(r.sent(), vec![b"01234".to_vec()]);
}

/// Writes `data` in a data offline session, 200 bytes a command (6.3.3),
/// the last block with `<command>` 1; gives the answer to the last.
fn offline_write(r: &mut Rig, idx: u8, data: &[u8]) -> String {
    let blocks: Vec<&[u8]> = data.chunks(200).collect();
    for (i, b) in blocks.iter().enumerate() {
        let cmd = if i + 1 == blocks.len() { 1 } else { 2 };
        let hex = wip_runtime::hexdump::encode(b);
        let answer = r.at(1, &format!("AT+WIPDATARW={cmd},{idx},\"{hex}\""));
        if cmd == 1 {
            return answer;
        }
        assert_eq!(answer, "\r\nOK\r\n");
    }
    String::new()
}

/// 6.3.1: a TCP socket sends at most 5840 bytes (the spec's
/// `offline_tcp_buffer`) of one data offline TX buffer; "over this size
/// data are lost but no error is returned".
#[test]
fn offline_tcp_data_beyond_the_limit_is_lost() {
    let spec = wip_spec::default_spec().unwrap();
    let limit = spec.limit("offline_tcp_buffer").unwrap().value;
    assert_eq!(limit, 5840);
    assert_eq!(CoreConfig::default().offline_tcp_buffer, Some(5840));
    let mut r = Rig::up();
    // The buffer itself may hold more (option 15, up to 32000).
    r.configure_and_restart(15, 8000);
    r.tcp(1);
    r.udp(2);
    assert_eq!(
        r.at(1, "AT+WIPDATA=2,1,3"),
        "\r\n+WIPDATARW: 1,1\r\n\r\nOK\r\n"
    );
    let data: Vec<u8> = (0..6100u32).map(|i| (i % 251) as u8).collect();
    assert_eq!(
        offline_write(&mut r, 1, &data),
        "\r\n+WIPDATARW: 3,1,6100\r\n\r\nOK\r\n"
    );
    assert_eq!(r.sent(), vec![data[..5840].to_vec()]);
    // The limit is of one buffer: the next one goes out too.
    assert_eq!(
        offline_write(&mut r, 1, b"next"),
        "\r\n+WIPDATARW: 3,1,4\r\n\r\nOK\r\n"
    );
    assert_eq!(r.sent(), vec![b"next".to_vec()]);
    // A UDP socket is not concerned.
    assert_eq!(
        r.at(1, "AT+WIPDATARW=0,1"),
        "\r\n+WIPDATARW: 0,1\r\n\r\nOK\r\n"
    );
    assert_eq!(
        r.at(1, "AT+WIPDATA=1,2,3"),
        "\r\n+WIPDATARW: 1,2\r\n\r\nOK\r\n"
    );
    assert_eq!(
        offline_write(&mut r, 2, &data[..5900]),
        "\r\n+WIPDATARW: 3,2,5900\r\n\r\nOK\r\n"
    );
    assert_eq!(r.sent(), vec![data[..5900].to_vec()]);
}

/// The limit is the configuration's, not a constant of the core.
#[test]
fn offline_tcp_limit_comes_from_the_configuration() {
    for (limit, sent) in [(Some(3), &b"abc"[..]), (None, &b"abcdef"[..])] {
        let mut r = Rig::up_with(CoreConfig {
            offline_tcp_buffer: limit,
            ..CoreConfig::default()
        });
        r.tcp(1);
        r.at(1, "AT+WIPDATA=2,1,3");
        assert_eq!(
            offline_write(&mut r, 1, b"abcdef"),
            "\r\n+WIPDATARW: 3,1,6\r\n\r\nOK\r\n"
        );
        assert_eq!(r.sent(), vec![sent.to_vec()]);
    }
}

#[test]
fn host_flooding_a_socket_is_held_back() {
    let mut r = Rig::up();
    let id = r.tcp(1);
    r.at(1, "AT+WIPDATA=2,1,2");
    r.credit = 0;
    let chunk = vec![7u8; 64 * 1024];
    for _ in 0..8 {
        r.feed(1, &chunk);
    }
    // Past TX_HIGH bytes in flight, the UART's credit is not given back.
    let inflight: usize = r.sent().iter().map(Vec::len).sum();
    assert!(inflight > TX_HIGH);
    assert!(r.credit < inflight, "credit {} of {inflight}", r.credit);
    r.net_ev(NetEvent::Sent { id, n: inflight });
    assert_eq!(r.credit, inflight);
}

#[test]
fn refusals_use_the_manuals_codes() {
    let mut r = Rig::up();
    assert_eq!(r.at(1, "AT+WIPCFG=1"), "\r\n+CME ERROR: 844\r\n");
    assert_eq!(r.at(1, "AT+WIPCFG=2,0,300"), "\r\n+CME ERROR: 801\r\n");
    assert_eq!(r.at(1, "AT+WIPCFG=2,99,1"), "\r\n+CME ERROR: 800\r\n");
    assert_eq!(r.at(1, "AT+WIPCREATE=1,9,80"), "\r\n+CME ERROR: 830\r\n");
    // A range given backwards is a bad index (5.1.7; 5.1.5 lists 830, not
    // 801).
    assert_eq!(
        r.at(1, "AT+WIPCREATE=3,1,80,6,5"),
        "\r\n+CME ERROR: 830\r\n"
    );
    // An option number past the spec's range is no option (800), as one
    // inside it that no table defines.
    assert_eq!(r.at(1, "AT+WIPCFG=2,256,0"), "\r\n+CME ERROR: 800\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=3,6,256"), "\r\n+CME ERROR: 800\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=3,6,29"), "\r\n+CME ERROR: 800\r\n");
    // Codes 6.2.9 does not list for +WIPDATA (erratum E53): an index out
    // of range is 830 as for the other commands, a value 801.
    assert_eq!(r.at(1, "AT+WIPDATA=2,9,1"), "\r\n+CME ERROR: 830\r\n");
    assert_eq!(r.at(1, "AT+WIPDATA=2,1,4"), "\r\n+CME ERROR: 801\r\n");
    // A session that is not active (5.2.7).
    assert_eq!(r.at(1, "AT+WIPFILE=4,1,1,\"f\""), "\r\n+CME ERROR: 831\r\n");
    assert_eq!(
        r.at(1, "AT+WIPPING=\"10.0.0.1\",1,1,1,1501"),
        "\r\n+CME ERROR: 801\r\n"
    );
    assert_eq!(r.at(1, "AT+WIPCLOSE=4,1"), "\r\n+CME ERROR: 831\r\n");
    assert_eq!(r.at(1, "AT+WIPOPT=1,1,1,8"), "\r\n+CME ERROR: 830\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=1,6"), "\r\n+CME ERROR: 804\r\n");
    assert_eq!(r.at(1, "AT+WIPCREATE?"), "\r\nERROR\r\n");
    assert_eq!(r.at(1, "AT+WIPDATARW?"), "\r\nOK\r\n");
    // 6.1.4: the read command answers OK.
    assert_eq!(r.at(1, "AT+WIPFILE?"), "\r\nOK\r\n");
    // 5.1.2, 5.1.5: an FTP session with a port and no password is short
    // of a parameter (851), as it is without the port.
    assert_eq!(
        r.at(1, "AT+WIPCREATE=4,1,\"ftp.example.com\",21,\"admin\""),
        "\r\n+CME ERROR: 851\r\n"
    );
    assert_eq!(
        r.at(1, "AT+WIPCREATE=4,1,\"ftp.example.com\",\"admin\""),
        "\r\n+CME ERROR: 851\r\n"
    );
    assert_eq!(r.at(1, "AT+WIPCREATE=?"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+CMEE=0"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPCFG=1"), "\r\nERROR\r\n");
    assert_eq!(r.at(1, "ATE0"), "\r\nOK\r\n");
    r.feed(1, b"AT\r");
    assert_eq!(r.take(1), "\r\nOK\r\n");
}

#[test]
fn connection_failures_are_842() {
    let mut r = Rig::up();
    r.at(1, "AT+WIPCREATE=2,1,\"10.0.0.1\",80");
    let id = match r.net.last() {
        Some(NetCmd::Connect { id, .. }) => *id,
        other => panic!("{other:?}"),
    };
    r.net_ev(NetEvent::Failed {
        id,
        error: wip_sim::net::NetError::Unreachable,
    });
    assert_eq!(r.take(1), "\r\n+CME ERROR: 842\r\n");
    // The index is free again.
    r.tcp(1);
}

/// Runs a data session with the host's bytes cut into chunks.
fn session(chunks: &[&[u8]]) -> (Vec<Vec<u8>>, String) {
    let mut r = Rig::up();
    r.at(1, "AT+WIPCFG=2,13,1");
    r.udp(1);
    r.at(1, "AT+WIPDATA=1,1,1");
    for c in chunks {
        r.feed(1, c);
    }
    let out = r.escape(1);
    (r.sent(), out)
}

const STREAM: &[u8] = b"ab\x10\x03cd\x03\x10\x10\x10\x03\x03ef+++\x10+g\x03h";

#[test]
fn every_split_gives_the_same_datagrams() {
    let whole = session(&[STREAM]);
    assert_eq!(whole.0[0], b"ab\x03cd".to_vec());
    for i in 0..=STREAM.len() {
        for j in i..=STREAM.len() {
            let got = session(&[&STREAM[..i], &STREAM[i..j], &STREAM[j..]]);
            assert_eq!(got, whole, "split at {i}, {j}");
        }
    }
    let ones: Vec<&[u8]> = STREAM.chunks(1).collect();
    assert_eq!(session(&ones), whole);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever the host sends, in AT mode or in data mode, the core does
    /// not panic and answers within bounds.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000), gaps in proptest::collection::vec(0u64..300, 0..10)) {
        let mut r = Rig::up();
        let id = r.tcp(1);
        r.at(1, "AT+WIPDATA=2,1,1");
        let n = gaps.len().max(1);
        for (k, c) in bytes.chunks(bytes.len() / n + 1).enumerate() {
            r.feed(1, c);
            r.feed(2, c);
            r.wait(Duration::from_millis(gaps.get(k).copied().unwrap_or(0)));
            r.net_ev(NetEvent::Data { id, data: c.to_vec() });
        }
        r.wait(GUARD * 3);
        let total: usize = r.out.iter().map(|(_, b)| b.len()).sum();
        prop_assert!(total < 64 * 1024);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The `+++` escape and the data around it come out as a detector fed
    /// one byte at a time finds them, however the bytes are chunked: the
    /// core takes whole chunks at once where that gives the same result.
    #[test]
    fn data_mode_matches_a_byte_by_byte_detector(
        chunks in proptest::collection::vec(
            (proptest::collection::vec(prop_oneof![Just(b'+'), Just(b'+'), Just(b'a')], 0..8),
             prop_oneof![Just(0u64), Just(30), Just(150)]),
            0..12),
    ) {
        let mut r = Rig::up();
        r.at(1, "AT+WIPCFG=2,13,1");
        r.tcp(1);
        r.feed(1, b"AT+WIPDATA=2,1,2\r");
        let mut det = wip_runtime::guard::EscapeDetector::after(GUARD, r.t);
        prop_assert_eq!(r.take(1), "AT+WIPDATA=2,1,2\r\r\nCONNECT\r\n");
        let mut want = Vec::new();
        let mut escaped = false;
        for (chunk, gap) in &chunks {
            r.feed(1, chunk);
            for b in chunk {
                det.feed(std::slice::from_ref(b), r.t, &mut want);
            }
            r.wait(Duration::from_millis(*gap));
            if det.poll(r.t, &mut want) {
                escaped = true;
                break;
            }
        }
        let got: Vec<u8> = r.sent().concat();
        prop_assert_eq!(got, want);
        prop_assert_eq!(r.take(1).contains("OK"), escaped);
    }
}

#[test]
fn stopping_the_stack_ends_other_uarts_data_mode() {
    let mut r = Rig::up();
    r.udp(1);
    assert_eq!(r.at(2, "AT+WIPDATA=1,1,1"), "\r\nCONNECT\r\n");
    assert_eq!(r.at(1, "AT+WIPCFG=0"), "\r\nOK\r\n");
    // Continuous mode: an ETX ends the communication first, as on a reset
    // (6.2.5), so that the host can tell the code from payload.
    assert_eq!(r.take(2), "\x03\r\nERROR\r\n");
    assert!(r.net.iter().any(|c| matches!(c, NetCmd::Close { .. })));
    assert_eq!(r.at(1, "AT+WIPBR=1,6"), "\r\n+CME ERROR: 803\r\n");
}

#[test]
fn stopping_the_stack_ends_transparent_mode_without_an_etx() {
    let mut r = Rig::up();
    r.udp(1);
    r.at(2, "AT+CMEE=1");
    assert_eq!(r.at(2, "AT+WIPDATA=1,1,2"), "\r\nCONNECT\r\n");
    assert_eq!(r.at(1, "AT+WIPCFG=0"), "\r\nOK\r\n");
    assert_eq!(r.take(2), "\r\n+CME ERROR: 852\r\n");
}

/// 4.1.7: only the options it lists take effect when written at run time;
/// `WIP_NET_OPT_SOCK_MAX` (6) is taken at the next start, from the stored
/// configuration (9.14 stores it and restarts the stack before the fourth
/// UDP socket is refused).
#[test]
fn sock_max_written_at_run_time_waits_for_the_next_start() {
    let mut r = Rig::up();
    assert_eq!(r.at(1, "AT+WIPCFG=2,6,3"), "\r\nOK\r\n");
    assert!(r.at(1, "AT+WIPCFG?").contains("+WIPCFG: 6,3\r\n"));
    for i in 1..=4 {
        r.udp(i);
    }
    for i in 1..=4 {
        assert_eq!(r.at(1, &format!("AT+WIPCLOSE=1,{i}")), "\r\nOK\r\n");
    }
    // Not stored: the restart brings the default back, and 4 sockets fit.
    assert_eq!(r.at(1, "AT+WIPCFG=0"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPCFG=1"), "\r\nOK\r\n");
    assert!(r.at(1, "AT+WIPCFG?").contains("+WIPCFG: 6,8\r\n"));
    assert_eq!(r.at(1, "AT+WIPBR=1,6"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=4,6,0"), "\r\nOK\r\n");
    for i in 1..=4 {
        r.udp(i);
    }
}

/// Stored configurations survive in the flash file (4.1.4, 4.2.4, 9.14).
#[test]
fn flash_file_keeps_stored_configurations() {
    let path = std::env::temp_dir().join(format!("wip-sim-flash-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let boot = |path: &std::path::Path| {
        let cfg = CoreConfig {
            guard: GUARD,
            ..CoreConfig::default()
        };
        let mut m = Modem::new(dialect(), cfg, Flash::open(path).unwrap()).unwrap();
        m.attach(1);
        Rig::of(m)
    };
    let mut r = boot(&path);
    r.at(1, "AT+WIPCFG=1");
    r.at(1, "AT+WIPCFG=2,6,3");
    assert_eq!(r.at(1, "AT+WIPCFG=4,1"), "\r\nOK\r\n");
    r.at(1, "AT+WIPBR=1,6");
    r.at(1, "AT+WIPBR=2,6,11,\"my apn\"");
    assert_eq!(r.at(1, "AT+WIPBR=6,6,1"), "\r\nOK\r\n");
    drop(r);
    // Power on again with the same file.
    let mut r = boot(&path);
    r.at(1, "AT+CMEE=1");
    r.at(1, "AT+WIPCFG=1");
    assert!(r.at(1, "AT+WIPCFG?").contains("+WIPCFG: 6,3\r\n"));
    r.at(1, "AT+WIPBR=1,6");
    assert_eq!(
        r.at(1, "AT+WIPBR=3,6,11"),
        "\r\n+WIPBR: 6,11,\"my apn\"\r\n\r\nOK\r\n"
    );
    r.at(1, "AT+WIPBR=4,6,0");
    for i in 1..=3 {
        r.udp(i);
    }
    assert_eq!(r.at(1, "AT+WIPCREATE=1,4,80"), "\r\n+CME ERROR: 838\r\n");
    // Freed: the defaults come back at the next start.
    assert_eq!(r.at(1, "AT+WIPCFG=4,0"), "\r\nOK\r\n");
    r.at(1, "AT+WIPCFG=0");
    r.at(1, "AT+WIPCFG=1");
    assert!(r.at(1, "AT+WIPCFG?").contains("+WIPCFG: 6,8\r\n"));
    let _ = std::fs::remove_file(&path);
}

/// A flash file edited by hand cannot put values the spec forbids into
/// the modem: they are ignored and the defaults stay.
#[test]
fn invalid_stored_values_are_ignored() {
    let data = wip_sim::flash::FlashData {
        stack: Some([(4, 99_999), (6, 3), (12, -1)].into_iter().collect()),
        ..Default::default()
    };
    let cfg = CoreConfig {
        guard: GUARD,
        ..CoreConfig::default()
    };
    let mut m = Modem::new(dialect(), cfg, Flash::in_memory(data)).unwrap();
    m.attach(1);
    let mut r = Rig::of(m);
    r.at(1, "AT+WIPCFG=1");
    let all = r.at(1, "AT+WIPCFG?");
    assert!(all.contains("+WIPCFG: 4,536\r\n"), "{all}");
    assert!(all.contains("+WIPCFG: 6,3\r\n"), "{all}");
    assert!(all.contains("+WIPCFG: 12,0\r\n"), "{all}");
}

/// A socket closed from another UART while it was opening: the creating
/// command fails, and the socket the network opens late is closed.
#[test]
fn closing_a_socket_that_is_opening() {
    let mut r = Rig::up();
    r.at(1, "AT+WIPCREATE=2,1,\"10.0.0.1\",80");
    let id = match r.net.last() {
        Some(NetCmd::Connect { id, .. }) => *id,
        other => panic!("{other:?}"),
    };
    assert_eq!(r.at(2, "AT+WIPCLOSE=2,1"), "\r\nOK\r\n");
    assert_eq!(r.take(1), "\r\n+CME ERROR: 839\r\n");
    r.net.clear();
    r.net_ev(NetEvent::Opened {
        id,
        local_port: 1,
        peer: None,
    });
    assert_eq!(r.net, vec![NetCmd::Close { id }]);
    assert_eq!(r.take(1), "");
}

/// What the modem reports stays within the spec's ranges: a datagram larger
/// than 5904 bytes is cut, and WIP_COPT_NREAD reads at most 65535.
#[test]
fn reports_stay_in_range() {
    let mut r = Rig::up();
    let u = r.udp(1);
    let from = Peer {
        host: "10.0.0.2".into(),
        port: 9,
    };
    r.net_ev(NetEvent::Datagram {
        id: u,
        from,
        data: vec![b'a'; 9000],
    });
    assert_eq!(r.take(1), "\r\n+WIPDATA: 1,1,5904,\"10.0.0.2\",9\r\n");
    let id = r.tcp(1);
    r.net_ev(NetEvent::Data {
        id,
        data: vec![b'b'; 70_000],
    });
    r.take(1);
    assert_eq!(
        r.at(1, "AT+WIPOPT=2,1,1,6"),
        "\r\n+WIPOPT: 2,6,65535\r\n\r\nOK\r\n"
    );
}

/// +WIPPING takes the defaults of 7.1.3 (TTL from WIP_NET_OPT_IP_TTL),
/// answers OK once the driver has its ICMP socket, 819 when it has none,
/// and gives one URC per request.
#[test]
fn ping_defaults_results_and_refusal() {
    use wip_sim::net::PingReq;
    let mut r = Rig::up();
    assert_eq!(r.at(1, "AT+WIPCFG=2,0,33"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPPING=\"192.168.0.1\""), "");
    let (id, req) = r
        .net
        .iter()
        .find_map(|c| match c {
            NetCmd::Ping { id, req } => Some((*id, req.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        req,
        PingReq {
            host: "192.168.0.1".into(),
            repeat: 1,
            interval: Duration::from_millis(2000),
            timeout: Duration::from_millis(2000),
            size: 64,
            ttl: 33,
        }
    );
    r.net_ev(NetEvent::Opened {
        id,
        local_port: 0,
        peer: None,
    });
    assert_eq!(r.take(1), "\r\nOK\r\n");
    r.net_ev(NetEvent::Echo {
        id,
        idx: 0,
        timed_out: false,
        ms: 224,
    });
    r.net_ev(NetEvent::PingDone { id });
    assert_eq!(r.take(1), "\r\n+WIPPING: 0,0,224\r\n");
    r.net.clear();
    assert_eq!(r.at(1, "AT+WIPPING=\"h\",2,10,20,30,40"), "");
    let (id, req) = r
        .net
        .iter()
        .find_map(|c| match c {
            NetCmd::Ping { id, req } => Some((*id, req.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!((req.repeat, req.size, req.ttl), (2, 30, 40));
    r.net_ev(NetEvent::Failed {
        id,
        error: wip_sim::net::NetError::Creation,
    });
    assert_eq!(r.take(1), "\r\n+CME ERROR: 819\r\n");
}

#[test]
fn nested_optional_parameters_come_only_with_the_one_before() {
    let mut r = Rig::up();
    // 7.1.2: "[<repeat>,<interval>,[<timeout>,...]]": no timeout without
    // an interval.
    assert_eq!(r.at(1, "AT+WIPPING=\"10.0.0.1\",,,500"), "\r\nERROR\r\n");
    // 5.1.2: "[<server>[,<peer port>]]": no proxy port without a proxy.
    assert_eq!(r.at(1, "AT+WIPCREATE=5,1,,8080"), "\r\nERROR\r\n");
    // 4.2.2: "[,<login>,<password>,[<caller identity>]]".
    assert_eq!(r.at(1, "AT+WIPBR=4,5,1,,,\"0612345678\""), "\r\nERROR\r\n");
    // Half of a bracket of parameters that go together: a syntax error
    // where the command has no code for a wrong count (7.1.2
    // "[<repeat>,<interval>...]", 4.2.2 "[,<login>,<password>...]")...
    assert_eq!(r.at(1, "AT+WIPPING=\"10.0.0.1\",2"), "\r\nERROR\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=4,5,1,\"login\""), "\r\nERROR\r\n");
    // 5.1.2 (erratum E20): a UDP socket with neither a local port nor a
    // peer has too few parameters.
    assert_eq!(r.at(1, "AT+WIPCREATE=1,1"), "\r\n+CME ERROR: 851\r\n");
    // ...and 851 where it has one (5.1.5).
    assert_eq!(
        r.at(1, "AT+WIPCREATE=6,1,\"smtp.example.com\",25,\"user\""),
        "\r\n+CME ERROR: 851\r\n"
    );
}

/// WIP_COPT_BOUND (5.3.7.1, erratum E47): TRUE for a UDP socket created with
/// its peer, FALSE for one created with a local port alone (footnote 2),
/// whatever the table's default.
#[test]
fn udp_bound_follows_the_peer_given_at_creation() {
    let mut r = Rig::up();
    r.udp(1);
    assert_eq!(
        r.at(1, "AT+WIPOPT=1,1,1,3"),
        "\r\n+WIPOPT: 1,3,1\r\n\r\nOK\r\n"
    );
    // An option number past the spec's range: no such option (5.3.5).
    assert_eq!(r.at(1, "AT+WIPOPT=1,1,1,256"), "\r\n+CME ERROR: 800\r\n");
    assert_eq!(r.at(1, "AT+WIPCREATE=1,2,5001"), "");
    r.open_last();
    assert_eq!(r.take(1), "\r\nOK\r\n\r\n+WIPREADY: 1,2\r\n");
    assert_eq!(
        r.at(1, "AT+WIPOPT=1,2,1,3"),
        "\r\n+WIPOPT: 1,3,0\r\n\r\nOK\r\n"
    );
}

/// +WIPDATA with the IP stack stopped answers 803, the code of 10.1 for
/// the stack's state (erratum E53).
#[test]
fn wipdata_with_the_stack_stopped_is_803() {
    let mut r = Rig::with(CoreConfig::default());
    assert_eq!(r.at(1, "AT+CMEE=1"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPDATA=1,1,1"), "\r\n+CME ERROR: 803\r\n");
}

/// 4.1.2: `AT+WIPCFG=3` answers the version text in the manual's two
/// lines, `WIPsoft v<release> on ...` then the build date and time and the
/// WIPlib and WIPsoft versions, the same on every run.
#[test]
fn the_version_text_has_the_manuals_two_lines() {
    let mut r = Rig::up();
    let out = r.at(1, "AT+WIPCFG=3");
    let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "WIPsoft v5.41 on Open AT OS v0.0",
            concat!(
                "Feb 18 2011 00:00:00 WIPlib:wip-sim-",
                env!("CARGO_PKG_VERSION"),
                " WIPsoft:v5.41"
            ),
            "OK"
        ]
    );
}

/// 4.2.2: a bearer started in server mode reports its connection in an
/// unsolicited `+WIPBR: <bid>,<status>,...`, which comes after the start's
/// `OK`, not before it.
#[test]
fn a_server_start_reports_its_connection_after_ok() {
    let mut r = Rig::up();
    // One bearer started at a time (4.2.7.1): GPRS, started by `up`, first
    // stops.
    assert_eq!(r.at(1, "AT+WIPBR=5,6"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=1,5"), "\r\nOK\r\n");
    let out = r.at(1, "AT+WIPBR=4,5,1,\"login\",\"secret\"");
    let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.first(), Some(&"OK"), "{out:?}");
    assert_eq!(lines.len(), 2, "{out:?}");
    assert!(
        lines.get(1).is_some_and(|l| l.starts_with("+WIPBR: 5,0,")),
        "{out:?}"
    );
}

/// 6.2.6, 6.3: in a DATA offline session a TCP peer's close is told once
/// what it sent is shown (`+WIPPEERCLOSE` after its `+WIPDATARW` blocks),
/// not held until the session ends; and a URC raised while a command is
/// answered comes after the command's final result code.
#[test]
fn an_offline_session_tells_the_peers_close() {
    let mut r = Rig::up();
    let id = r.tcp(1);
    assert_eq!(
        r.at(1, "AT+WIPDATA=2,1,3"),
        "\r\n+WIPDATARW: 1,1\r\n\r\nOK\r\n"
    );
    r.net_ev(NetEvent::Data {
        id,
        data: b"zz".to_vec(),
    });
    r.net_ev(NetEvent::Eof { id });
    assert_eq!(
        r.take(1),
        "\r\n+WIPDATA: 2,1,2\r\n\r\n+WIPDATARW: 2,1,1,1,\"7A7A\"\r\n\r\n+WIPPEERCLOSE: 2,1\r\n"
    );
    // Told once: closing the session adds nothing, and no URC comes
    // between its lines.
    assert_eq!(
        r.at(1, "AT+WIPDATARW=0,1"),
        "\r\n+WIPDATARW: 0,1\r\n\r\nOK\r\n"
    );
}

/// 6.2.11.2: "+CME ERROR:3 will be received when GPRS bearer is used; no
/// response is received when GSM bearer is used".
#[test]
fn ato_is_refused_with_gprs_and_unanswered_with_gsm() {
    let mut r = Rig::up();
    assert_eq!(r.at(1, "ATO"), "\r\n+CME ERROR: 3\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=5,6"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=1,5"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=2,5,2,\"0612345678\""), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=4,5,0"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "ATO"), "");
    // The UART still takes commands.
    assert_eq!(r.at(1, "AT"), "\r\nOK\r\n");
}

/// A lone [ETX] ends a datagram both ways, an empty one too ("the
/// behavior is symmetrical", 6.2.2.3): an empty datagram received is a
/// lone [ETX] on the UART, and a lone [ETX] from the host sends one; a
/// data offline send of an empty dump is an empty datagram as well.
#[test]
fn empty_datagrams_both_ways() {
    let mut r = Rig::up();
    let id = r.udp(1);
    assert_eq!(r.at(1, "AT+WIPDATA=1,1,1"), "\r\nCONNECT\r\n");
    r.feed(1, b"abc\x03\x03");
    assert_eq!(r.sent(), vec![b"abc".to_vec(), Vec::<u8>::new()]);
    let from = Peer {
        host: "10.0.0.2".into(),
        port: 9,
    };
    r.net_ev(NetEvent::Datagram {
        id,
        from,
        data: Vec::new(),
    });
    assert_eq!(r.take(1), "\x03");
    assert_eq!(r.escape(1), "\r\nOK\r\n");
    // The +++ itself went as data (option 13 at 0, 4.1.3).
    assert_eq!(r.sent(), vec![b"+++".to_vec()]);
    assert_eq!(
        r.at(1, "AT+WIPDATA=1,1,3"),
        "\r\n+WIPDATARW: 1,1\r\n\r\nOK\r\n"
    );
    assert_eq!(
        r.at(1, "AT+WIPDATARW=1,1,\"\""),
        "\r\n+WIPDATARW: 3,1,0\r\n\r\nOK\r\n"
    );
    assert_eq!(r.sent(), vec![Vec::<u8>::new()]);
}

/// A string too long for a channel's parameter or option is 850, "invalid
/// channel option or parameter value (for example, HTTP user name too
/// long)" (10.1, erratum E55); a bearer option too long stays 801.
#[test]
fn a_channel_value_too_long_is_850() {
    let mut r = Rig::up();
    let name = "f".repeat(129);
    assert_eq!(
        r.at(1, &format!("AT+WIPFILE=4,1,1,\"{name}\"")),
        "\r\n+CME ERROR: 850\r\n"
    );
    let mail = format!("{}@example.com", "a".repeat(240));
    assert_eq!(
        r.at(1, &format!("AT+WIPOPT=8,1,2,82,\"{mail}\"")),
        "\r\n+CME ERROR: 850\r\n"
    );
    // 240 digits alone fit, but not with the `/TYPE=PLMN` the list adds
    // to a phone number (5.3.7.6.4.1).
    let phone = "1".repeat(240);
    assert_eq!(
        r.at(1, &format!("AT+WIPOPT=8,1,2,81,\"{phone}\"")),
        "\r\n+CME ERROR: 850\r\n"
    );
    let apn = "a".repeat(97);
    assert_eq!(
        r.at(1, &format!("AT+WIPBR=2,6,11,\"{apn}\"")),
        "\r\n+CME ERROR: 801\r\n"
    );
    // Within the length, the value goes on to the state checks (no
    // session: 831).
    assert_eq!(r.at(1, "AT+WIPFILE=4,1,1,\"f\""), "\r\n+CME ERROR: 831\r\n");
}

/// A `+++` the host sent within its guard time when a reset ends the
/// session is logged as the host's data (it was sent in data mode), not
/// lost from the transcript; it goes to no socket.
#[test]
fn plus_signs_held_when_a_reset_ends_the_session_are_logged() {
    let mut r = Rig::up_with(CoreConfig {
        log: true,
        ..CoreConfig::default()
    });
    let id = r.tcp(1);
    assert_eq!(r.at(1, "AT+WIPDATA=2,1,2"), "\r\nCONNECT\r\n");
    r.wait(GUARD * 2);
    r.feed(1, b"+++");
    r.wait(GUARD / 4);
    r.net_ev(NetEvent::Reset { id });
    assert_eq!(r.take(1), "\x03\r\n+CME ERROR: 843\r\n");
    assert!(
        r.log
            .iter()
            .any(|(u, e)| *u == 1 && *e == wip_transcript::Event::HostData(b"+++".to_vec())),
        "{:?}",
        r.log
    );
    assert_eq!(r.sent(), Vec::<Vec<u8>>::new());
}

/// The command line prefix is `AT` or `at` (V.250 5.2.1): `At` or `aT`
/// starts no command, and gets no answer (nor a line in the log).
#[test]
fn a_mixed_case_prefix_is_no_command() {
    let mut r = Rig::with(CoreConfig {
        log: true,
        ..CoreConfig::default()
    });
    assert_eq!(r.at(1, "At+WIPCFG=3"), "");
    assert_eq!(r.at(1, "aT"), "");
    assert!(r.log.is_empty(), "{:?}", r.log);
    assert_eq!(r.at(1, "at"), "\r\nOK\r\n");
}

/// What comes before the prefix is no part of the command line (what is
/// left of data the modem stopped taking, line noise), as a modem waits
/// for `AT`: the command runs from its `AT`, and the log has the command
/// line alone.
#[test]
fn bytes_before_the_prefix_are_ignored() {
    let mut r = Rig::with(CoreConfig {
        log: true,
        ..CoreConfig::default()
    });
    assert_eq!(r.at(1, "xy\x03AT+CMEE=1"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "noise at"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "no prefix"), "");
    let commands: Vec<_> = r
        .log
        .iter()
        .filter_map(|(_, e)| match e {
            wip_transcript::Event::Command { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(commands, ["AT+CMEE=1", "at"]);
}

/// E58: WIP_BOPT_IP_SETDNS and WIP_BOPT_IP_SETGW read 1 until written (the
/// emulator resolves names and routes through the host), the spec's
/// default where 4.2.3 gives none.
#[test]
fn setdns_and_setgw_read_the_specs_default() {
    let mut r = Rig::with(CoreConfig::default());
    assert_eq!(r.at(1, "AT+WIPCFG=1"), "\r\nOK\r\n");
    assert_eq!(r.at(1, "AT+WIPBR=1,6"), "\r\nOK\r\n");
    assert_eq!(
        r.at(1, "AT+WIPBR=3,6,19"),
        "\r\n+WIPBR: 6,19,1\r\n\r\nOK\r\n"
    );
    assert_eq!(
        r.at(1, "AT+WIPBR=3,6,20"),
        "\r\n+WIPBR: 6,20,1\r\n\r\nOK\r\n"
    );
    assert_eq!(r.at(1, "AT+WIPBR=2,6,19,0"), "\r\nOK\r\n");
    assert_eq!(
        r.at(1, "AT+WIPBR=3,6,19"),
        "\r\n+WIPBR: 6,19,0\r\n\r\nOK\r\n"
    );
}
