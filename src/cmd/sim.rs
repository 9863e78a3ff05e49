//! `wip sim`: a WIPsoft modem on the host's TCP/IP stack, served on TCP
//! connections (one UART each) or on a pseudo-terminal.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use wip_sim::config::Route;
use wip_sim::{BindHook, Bound, Sim, SimConfig};

/// Options of `wip sim`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The spec file; the embedded rev 009 spec by default.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// Serve UARTs on this TCP address (`IP:PORT`, or a bare `PORT` on
    /// 127.0.0.1): every connection is one UART of the same modem. An
    /// address that is not loopback needs `--allow-remote`.
    #[arg(long, value_name = "ADDR", required_unless_present = "pty", value_parser = parse_listen)]
    pub listen: Option<SocketAddr>,
    /// Allow `--listen` on an address that is not loopback: whoever reaches
    /// it gets a modem that opens connections, sends datagrams, fetches
    /// URLs, moves files, sends mail and pings from this host. Use it with
    /// `--routed-only` and `--route` on a shared network.
    #[arg(long)]
    pub allow_remote: bool,
    /// Open a pseudo-terminal and print its path, for serial port clients.
    #[arg(long)]
    pub pty: bool,
    /// Log every line in and out, in the transcript format, to stderr.
    #[arg(short, long)]
    pub verbose: bool,
    /// The +++ guard time in milliseconds; the spec's escape_guard_time
    /// (1000 ms) by default.
    #[arg(long, value_name = "MS")]
    pub guard_ms: Option<u64>,
    /// State file of the flash (stored +WIPCFG and +WIPBR configurations).
    #[arg(long, value_name = "FILE")]
    pub flash: Option<PathBuf>,
    /// The address of a started bearer, where local sockets bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub ip: std::net::Ipv4Addr,
    /// Bind local ports the host asks for on ephemeral ports instead;
    /// each is printed on stdout as `port tcp|udp PORT ADDR` (the port the
    /// modem reports, where it really is) once bound.
    #[arg(long)]
    pub ephemeral_ports: bool,
    /// A peer the modem names HOST:PORT is at ADDR: `HOST:PORT=ADDR`
    /// (TCP); prefix with `udp:` for UDP.
    #[arg(long, value_name = "HOST:PORT=ADDR")]
    pub route: Vec<String>,
    /// Reach only routed peers and servers (sockets, FTP, HTTP, SMTP,
    /// POP3, MMS and PING); everything else is unreachable (842).
    #[arg(long)]
    pub routed_only: bool,
}

/// `port tcp 6000 127.0.0.1:44103` on stdout: where a local port of the
/// modem really is. A host that closed its end of stdout loses the line,
/// nothing else.
fn print_bound(b: Bound) {
    let kind = if b.protocol == 1 { "udp" } else { "tcp" };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "port {kind} {} {}", b.port, b.real);
    let _ = out.flush();
}

/// `IP:PORT`, or a bare `PORT` on the loopback address.
fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    if let Ok(port) = s.parse::<u16>() {
        return Ok(SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, port)));
    }
    s.parse()
        .map_err(|_| format!("`{s}` is neither IP:PORT nor PORT"))
}

/// Whether a UART listener on `addr` may start, and what to print: an
/// error for a non-loopback address without `--allow-remote`, else the
/// warning that says what it exposes.
pub fn listen_policy(
    addr: SocketAddr,
    allow_remote: bool,
    cfg: &SimConfig,
) -> Result<Option<String>, String> {
    if addr.ip().is_loopback() {
        return Ok(None);
    }
    if !allow_remote {
        return Err(format!(
            "refusing to listen on {addr}: it is not a loopback address, and whoever reaches it \
             could make this host open connections, send datagrams, fetch URLs, move files, send \
             mail and ping on their behalf; pass --allow-remote to mean it (with --routed-only and \
             --route to limit what the modem reaches), or listen on 127.0.0.1"
        ));
    }
    Ok(Some(format!(
        "warning: UARTs served on {addr} to every host that can reach it; {}",
        cfg.reach()
    )))
}
fn parse_route(s: &str) -> Option<Route> {
    let (udp, s) = match s.strip_prefix("udp:") {
        Some(r) => (true, r),
        None => (false, s.strip_prefix("tcp:").unwrap_or(s)),
    };
    let (name, real) = s.split_once('=')?;
    let (host, port) = name.rsplit_once(':')?;
    Some(Route {
        host: host.to_string(),
        port: port.parse().ok()?,
        real: real.parse().ok()?,
        udp,
    })
}

/// The guard time: the option, else the spec's `escape_guard_time`.
pub fn guard(spec: &wip_spec::Spec, ms: Option<u64>) -> Duration {
    ms.map_or(SimConfig::from_spec(spec).guard, Duration::from_millis)
}

/// Runs until the process is killed; 2 on a usage or set-up error.
pub fn run(a: &Args) -> u8 {
    let (spec, _) = match super::spec::load_or_report(a.spec.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut routes = Vec::new();
    for r in &a.route {
        match parse_route(r) {
            Some(x) => routes.push(x),
            None => {
                eprintln!("wip: bad --route `{r}` (HOST:PORT=IP:PORT)");
                return 2;
            }
        }
    }
    let d = Arc::new(spec.dialect.clone());
    let cfg = SimConfig {
        guard: guard(&spec, a.guard_ms),
        flash: a.flash.clone(),
        host_ip: a.ip,
        ephemeral_ports: a.ephemeral_ports,
        routed_only: a.routed_only,
        routes,
        dns: SimConfig::host_dns(),
        on_bind: a.ephemeral_ports.then(|| BindHook(Arc::new(print_bound))),
        ..SimConfig::from_spec(&spec)
    };
    // Checked before anything starts: a refused address starts nothing.
    let warning = match a
        .listen
        .map(|addr| listen_policy(addr, a.allow_remote, &cfg))
    {
        Some(Err(e)) => {
            eprintln!("wip: {e}");
            return 2;
        }
        Some(Ok(w)) => w,
        None => None,
    };
    let log: Option<Box<dyn Write + Send>> = a
        .verbose
        .then(|| Box::new(std::io::stderr()) as Box<dyn Write + Send>);
    let sim = match Sim::start(d, cfg, log) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wip: {e}");
            return 2;
        }
    };
    // Kept open so that the pseudo-terminal lives while no client is on it.
    let mut _device = None;
    if let Some(addr) = a.listen {
        if let Some(w) = warning {
            eprintln!("wip: {w}");
        }
        match sim.listen(addr) {
            Ok(local) => println!("listening on {local}"),
            Err(e) => {
                eprintln!("wip: cannot listen on {addr}: {e}");
                return 2;
            }
        }
    }
    if a.pty {
        match sim.attach_pty() {
            Ok((name, device)) => {
                println!("pty {name}");
                _device = Some(device);
            }
            Err(e) => {
                eprintln!("wip: {e}");
                return 2;
            }
        }
    }
    let _ = std::io::stdout().flush();
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let r = parse_route("www.example.com:80=127.0.0.1:8080").unwrap();
        assert_eq!(
            (r.host.as_str(), r.port, r.udp),
            ("www.example.com", 80, false)
        );
        assert!(parse_route("udp:10.0.0.1:53=127.0.0.1:5353").unwrap().udp);
        assert!(parse_route("nope").is_none());
    }

    #[test]
    fn listen_addresses() {
        assert_eq!(parse_listen("7000").unwrap().to_string(), "127.0.0.1:7000");
        assert_eq!(parse_listen("[::1]:7").unwrap().to_string(), "[::1]:7");
        assert!(parse_listen("x").is_err());
        let cfg = SimConfig::default();
        let local = parse_listen("127.0.0.2:7000").unwrap();
        assert_eq!(listen_policy(local, false, &cfg), Ok(None));
        let any = parse_listen("0.0.0.0:7000").unwrap();
        assert!(listen_policy(any, false, &cfg)
            .unwrap_err()
            .contains("--allow-remote"));
        let routed = SimConfig {
            routed_only: true,
            routes: vec![parse_route("ftp.example.com:21=127.0.0.1:2121").unwrap()],
            ..SimConfig::default()
        };
        let w = listen_policy(any, true, &routed).unwrap().unwrap();
        assert!(w.contains("only ftp.example.com:21 (tcp)"), "{w}");
        let w = listen_policy(any, true, &cfg).unwrap().unwrap();
        assert!(w.contains("any host"), "{w}");
    }
}
