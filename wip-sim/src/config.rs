//! Settings of an emulator run.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

/// How the emulator is set up; the modem itself is configured with AT
/// commands.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The `+++` guard time (6.2.4): 1 s in the manual; tests use less.
    pub guard: Duration,
    /// Where stored configurations live (`AT+WIPCFG=4,1`, `AT+WIPBR=6`);
    /// in memory only when `None`.
    pub flash: Option<PathBuf>,
    /// The address a started bearer has: local sockets bind to it and
    /// `WIP_BOPT_IP_ADDR` reads it back (4.2.3).
    pub host_ip: std::net::Ipv4Addr,
    /// Bind every local port the host asks for on an ephemeral port of the
    /// host instead (the modem still reports the port it was asked for);
    /// lets examples use ports 80 or 1234 without privileges or clashes.
    pub ephemeral_ports: bool,
    /// Resolve only names and addresses given in [`SimConfig::routes`];
    /// everything else is unreachable (842). Replay and tests use it so
    /// that no traffic leaves the loopback.
    pub routed_only: bool,
    /// Where the modem's peers really are: `(host, port)` as the host
    /// names it in AT commands, to a socket address of this machine.
    pub routes: Vec<Route>,
    /// How long a TCP connect may take before 842 (5.1.5).
    pub connect_timeout: Duration,
    /// How long a service's server may keep the emulator waiting (a
    /// read, a write): the spec's timeout of +WIPFILE, 60 s.
    pub service_timeout: Duration,
    /// DNS servers a started bearer reports (4.2.3 options 17 and 18).
    pub dns: [std::net::Ipv4Addr; 2],
    /// Largest datagram of UDP continuous mode: the spec's `udp_datagram`
    /// limit (6.2.2.2 footnote).
    pub max_datagram: usize,
    /// Most bytes of one data offline TX buffer a TCP socket sends: the
    /// spec's `offline_tcp_buffer` limit (6.3.1); the bytes beyond are lost
    /// without an error. `None`: all are sent.
    pub offline_tcp_buffer: Option<usize>,
    /// Told of each local port of the modem the emulator binds on the
    /// host, with where it really is: with
    /// [`SimConfig::ephemeral_ports`] the only way a host outside the
    /// process learns the real port of a TCP server or UDP socket.
    pub on_bind: Option<BindHook>,
}

/// A local port of the modem bound on the host (see [`SimConfig::on_bind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// 1 for a UDP socket, 3 for a TCP server (the `<protocol>` of
    /// +WIPCREATE, 5.1).
    pub protocol: u8,
    /// The port the modem was asked for and reports.
    pub port: u16,
    /// Where the socket really is on the host.
    pub real: std::net::SocketAddr,
}

/// The function [`SimConfig::on_bind`] calls, from the emulator's network
/// threads.
#[derive(Clone)]
pub struct BindHook(pub std::sync::Arc<dyn Fn(Bound) + Send + Sync>);

impl std::fmt::Debug for BindHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BindHook(..)")
    }
}

/// A peer of the modem staged on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The host as the modem's commands and indications name it.
    pub host: String,
    /// The port as the modem names it.
    pub port: u16,
    /// Where it really is.
    pub real: std::net::SocketAddr,
    /// A UDP peer (else TCP): the two may share a name and port.
    pub udp: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            guard: wip_runtime::guard::DEFAULT_GUARD,
            flash: None,
            host_ip: std::net::Ipv4Addr::LOCALHOST,
            ephemeral_ports: false,
            routed_only: false,
            routes: Vec::new(),
            connect_timeout: Duration::from_secs(8),
            service_timeout: Duration::from_secs(60),
            dns: [std::net::Ipv4Addr::UNSPECIFIED; 2],
            max_datagram: 5904,
            offline_tcp_buffer: embedded_limit("offline_tcp_buffer"),
            on_bind: None,
        }
    }
}

impl SimConfig {
    /// The defaults the spec gives: the `+++` guard time
    /// (`escape_guard_time`) and the largest datagram (`udp_datagram`).
    pub fn from_spec(spec: &wip_spec::Spec) -> Self {
        let mut c = SimConfig::default();
        if let Some(ms) = spec
            .limit("escape_guard_time")
            .and_then(|l| u64::try_from(l.value).ok())
        {
            c.guard = Duration::from_millis(ms);
        }
        if let Some(n) = spec
            .limit("udp_datagram")
            .and_then(|l| usize::try_from(l.value).ok())
        {
            c.max_datagram = n;
        }
        if let Some(ms) = spec
            .dialect
            .commands
            .iter()
            .find(|c| c.name == "+WIPFILE")
            .map(|c| c.timeout_ms)
        {
            c.service_timeout = Duration::from_millis(u64::from(ms));
        }
        if let Some(n) = spec
            .limit("offline_tcp_buffer")
            .and_then(|l| usize::try_from(l.value).ok())
        {
            c.offline_tcp_buffer = Some(n);
        }
        c
    }

    /// What the emulated modem may reach, in words, for a warning: the
    /// routed peers only, or any host.
    pub fn reach(&self) -> String {
        let routes: Vec<String> = self
            .routes
            .iter()
            .map(|r| {
                let kind = if r.udp { "udp" } else { "tcp" };
                format!("{}:{} ({kind})", r.host, r.port)
            })
            .collect();
        if self.routed_only {
            if routes.is_empty() {
                "the modem reaches no peer (--routed-only without routes)".into()
            } else {
                format!("the modem reaches only {}", routes.join(", "))
            }
        } else {
            "the modem reaches any host this machine reaches (sockets, FTP, HTTP, SMTP, POP3, \
             MMS, PING); --routed-only limits it to the --route peers"
                .into()
        }
    }

    /// The IPv4 name servers of `/etc/resolv.conf`, the host's, for a
    /// bearer to report; 0.0.0.0 where there are none.
    pub fn host_dns() -> [std::net::Ipv4Addr; 2] {
        let mut out = [std::net::Ipv4Addr::UNSPECIFIED; 2];
        let text = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
        let found = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("nameserver"))
            .filter_map(|a| a.trim().parse::<std::net::Ipv4Addr>().ok());
        for (slot, a) in out.iter_mut().zip(found) {
            *slot = a;
        }
        out
    }
}

/// A limit of the embedded spec, by its id; the spec is read once.
pub(crate) fn embedded_limit(id: &str) -> Option<usize> {
    static LIMITS: OnceLock<Vec<(String, i64)>> = OnceLock::new();
    LIMITS
        .get_or_init(|| {
            wip_spec::default_spec()
                .map(|s| {
                    s.notes
                        .limits
                        .iter()
                        .map(|l| (l.id.to_string(), l.value))
                        .collect()
                })
                .unwrap_or_default()
        })
        .iter()
        .find(|(name, _)| name == id)
        .and_then(|(_, v)| usize::try_from(*v).ok())
}
