//! `wip sim`: a WIPsoft modem on the host's TCP/IP stack, served on TCP
//! connections (one UART each) or on a pseudo-terminal.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use wip_sim::config::Route;
use wip_sim::{Sim, SimConfig};

/// Options of `wip sim`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The spec file; the embedded rev 009 spec by default.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// Serve UARTs on this TCP address: every connection is one UART of the
    /// same modem.
    #[arg(long, value_name = "ADDR", required_unless_present = "pty")]
    pub listen: Option<SocketAddr>,
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
    /// Bind local ports the host asks for on ephemeral ports instead.
    #[arg(long)]
    pub ephemeral_ports: bool,
    /// A peer the modem names HOST:PORT is at ADDR: `HOST:PORT=ADDR`
    /// (TCP); prefix with `udp:` for UDP.
    #[arg(long, value_name = "HOST:PORT=ADDR")]
    pub route: Vec<String>,
    /// Reach only routed peers; everything else is unreachable (842).
    #[arg(long)]
    pub routed_only: bool,
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
pub fn guard(spec: &wip_spec::ir::Spec, ms: Option<u64>) -> Duration {
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
    let d = Arc::new(wip_spec::dialect::dialect(&spec));
    let cfg = SimConfig {
        guard: guard(&spec, a.guard_ms),
        flash: a.flash.clone(),
        host_ip: a.ip,
        ephemeral_ports: a.ephemeral_ports,
        routed_only: a.routed_only,
        routes,
        dns: SimConfig::host_dns(),
        ..SimConfig::from_spec(&spec)
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
}
