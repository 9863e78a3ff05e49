//! The Rust types of address parameters: `Ip` parameters are
//! [`core::net::Ipv4Addr`], `IpAny` ones (IPv4 or IPv6) a
//! [`core::net::IpAddr`], `Host` parameters a [`Host`] (an address or a
//! name). All are in `core`, so bindings keep building without std.

use crate::quick::ValRef;
use crate::typed::Wire;
use crate::value::Val;
use alloc::string::{String, ToString};
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::str::FromStr;

/// An IPv4 address in dotted decimal, written without the formatting
/// machinery: a client binds the address of every request it sends.
fn dotted(ip: &Ipv4Addr) -> Val {
    let mut s = String::with_capacity(15);
    write_dotted(ip, &mut s);
    Val::Str(s)
}

/// [`dotted`] appended to `out`.
fn write_dotted(ip: &Ipv4Addr, out: &mut String) {
    for (i, o) in ip.octets().iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(itoa::Buffer::new().format(*o));
    }
}

impl Wire for Ipv4Addr {
    fn to_val(&self) -> Val {
        dotted(self)
    }
    fn from_val(v: &Val) -> Option<Self> {
        v.as_str().and_then(|s| Ipv4Addr::from_str(s).ok())
    }
    fn from_ref(v: ValRef<'_>) -> Option<Self> {
        v.as_str().and_then(|s| Ipv4Addr::from_str(s).ok())
    }
    fn write_wire(&self, out: &mut String) {
        write_dotted(self, out);
    }
    fn from_ipv4(ip: Ipv4Addr, _text: &str) -> Option<Self> {
        Some(ip)
    }
}

impl Wire for IpAddr {
    fn to_val(&self) -> Val {
        match self {
            IpAddr::V4(ip) => dotted(ip),
            IpAddr::V6(ip) => Val::Str(ip.to_string()),
        }
    }
    fn from_val(v: &Val) -> Option<Self> {
        v.as_str().and_then(|s| IpAddr::from_str(s).ok())
    }
    fn write_wire(&self, out: &mut String) {
        match self {
            IpAddr::V4(ip) => write_dotted(ip, out),
            IpAddr::V6(ip) => {
                use core::fmt::Write;
                let _ = write!(out, "{ip}");
            }
        }
    }
    fn from_ipv4(ip: Ipv4Addr, _text: &str) -> Option<Self> {
        Some(IpAddr::V4(ip))
    }
}

/// A host parameter: a dotted IPv4 address, an IPv6 address (where the
/// parameter accepts one: `Host(v6: true)`) or a host name. A name that
/// reads as an address is kept as the address, so that a host converts to
/// one value only (`"10.0.0.1".into()` is `Host::Ip`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host {
    /// An IPv4 address.
    Ip(Ipv4Addr),
    /// A host name, resolved by the modem.
    Name(String),
    /// An IPv6 address.
    Ip6(Ipv6Addr),
}

impl From<Ipv6Addr> for Host {
    fn from(ip: Ipv6Addr) -> Self {
        Host::Ip6(ip)
    }
}

impl From<IpAddr> for Host {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(a) => Host::Ip(a),
            IpAddr::V6(a) => Host::Ip6(a),
        }
    }
}

/// The address a text reads as, if any: IPv4, or IPv6 when it has a `:`.
fn address(s: &str) -> Option<Host> {
    if let Ok(ip) = Ipv4Addr::from_str(s) {
        return Some(Host::Ip(ip));
    }
    if s.contains(':') {
        if let Ok(ip) = Ipv6Addr::from_str(s) {
            return Some(Host::Ip6(ip));
        }
    }
    None
}

impl From<Ipv4Addr> for Host {
    fn from(ip: Ipv4Addr) -> Self {
        Host::Ip(ip)
    }
}

impl From<&str> for Host {
    fn from(s: &str) -> Self {
        address(s).unwrap_or_else(|| Host::Name(s.to_string()))
    }
}

impl From<String> for Host {
    fn from(s: String) -> Self {
        address(&s).unwrap_or(Host::Name(s))
    }
}

impl From<&String> for Host {
    fn from(s: &String) -> Self {
        Host::from(s.as_str())
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(ip) => ip.fmt(f),
            Host::Name(n) => f.write_str(n),
            Host::Ip6(ip) => ip.fmt(f),
        }
    }
}

impl Wire for Host {
    fn to_val(&self) -> Val {
        match self {
            // Dotted decimal without the formatting machinery: a client
            // binds the address of every request it sends.
            Host::Ip(ip) => dotted(ip),
            other => Val::Str(other.to_string()),
        }
    }
    fn from_val(v: &Val) -> Option<Self> {
        v.as_str().map(Host::from)
    }
    fn from_ref(v: ValRef<'_>) -> Option<Self> {
        v.as_str().map(Host::from)
    }
    fn write_wire(&self, out: &mut String) {
        match self {
            Host::Ip(ip) => write_dotted(ip, out),
            Host::Name(n) => out.push_str(n),
            Host::Ip6(ip) => {
                use core::fmt::Write;
                let _ = write!(out, "{ip}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_names_round_trip_through_wire_values() {
        let ip = Ipv4Addr::new(192, 168, 1, 7);
        assert_eq!(ip.to_val(), Val::Str("192.168.1.7".into()));
        for a in [
            [0, 0, 0, 0],
            [10, 0, 0, 1],
            [255, 255, 255, 255],
            [1, 20, 199, 9],
        ] {
            let ip = Ipv4Addr::from(a);
            let v = Val::Str(ip.to_string());
            assert_eq!(ip.to_val(), v);
            assert_eq!(IpAddr::V4(ip).to_val(), v);
            assert_eq!(Host::Ip(ip).to_val(), v);
        }
        assert_eq!(Ipv4Addr::from_val(&ip.to_val()), Some(ip));
        assert_eq!(Ipv4Addr::from_val(&Val::Str("example.com".into())), None);
        assert_eq!(Ipv4Addr::from_val(&Val::Int(3)), None);
        assert_eq!(Host::from("10.0.0.1"), Host::Ip(Ipv4Addr::new(10, 0, 0, 1)));
        let v6: Ipv6Addr = "2001:104::104:0:0".parse().unwrap();
        assert_eq!(Host::from("2001:104::104:0:0"), Host::Ip6(v6));
        assert_eq!(Host::from(v6).to_string(), "2001:104::104:0:0");
        assert_eq!(
            IpAddr::from_val(&Val::Str("::1".into())),
            Some(IpAddr::V6(Ipv6Addr::LOCALHOST))
        );
        assert_eq!(
            IpAddr::from_val(&Val::Str("10.0.0.1".into())).map(|a| a.is_ipv4()),
            Some(true)
        );
        let name = Host::from("ftp.example.com");
        assert_eq!(name, Host::Name("ftp.example.com".into()));
        assert_eq!(Host::from_val(&name.to_val()), Some(name));
    }
}
