//! The Rust types of address parameters: `Ip` parameters are
//! [`core::net::Ipv4Addr`], `Host` parameters a [`Host`] (an address or a
//! name). Both are in `core`, so bindings keep building without std.

use crate::quick::ValRef;
use crate::typed::Wire;
use crate::value::Val;
use alloc::string::{String, ToString};
use core::fmt;
use core::net::Ipv4Addr;
use core::str::FromStr;

impl Wire for Ipv4Addr {
    fn to_val(&self) -> Val {
        Val::Str(self.to_string())
    }
    fn from_val(v: &Val) -> Option<Self> {
        v.as_str().and_then(|s| Ipv4Addr::from_str(s).ok())
    }
    fn from_ref(v: ValRef<'_>) -> Option<Self> {
        v.as_str().and_then(|s| Ipv4Addr::from_str(s).ok())
    }
}

/// A host parameter: a dotted IPv4 address or a host name. A name that
/// reads as an address is kept as the address, so that a host converts to
/// one value only (`"10.0.0.1".into()` is `Host::Ip`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host {
    /// An IPv4 address.
    Ip(Ipv4Addr),
    /// A host name, resolved by the modem.
    Name(String),
}

impl From<Ipv4Addr> for Host {
    fn from(ip: Ipv4Addr) -> Self {
        Host::Ip(ip)
    }
}

impl From<&str> for Host {
    fn from(s: &str) -> Self {
        match Ipv4Addr::from_str(s) {
            Ok(ip) => Host::Ip(ip),
            Err(_) => Host::Name(s.to_string()),
        }
    }
}

impl From<String> for Host {
    fn from(s: String) -> Self {
        match Ipv4Addr::from_str(&s) {
            Ok(ip) => Host::Ip(ip),
            Err(_) => Host::Name(s),
        }
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
        }
    }
}

impl Wire for Host {
    fn to_val(&self) -> Val {
        Val::Str(self.to_string())
    }
    fn from_val(v: &Val) -> Option<Self> {
        v.as_str().map(Host::from)
    }
    fn from_ref(v: ValRef<'_>) -> Option<Self> {
        v.as_str().map(Host::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_names_round_trip_through_wire_values() {
        let ip = Ipv4Addr::new(192, 168, 1, 7);
        assert_eq!(ip.to_val(), Val::Str("192.168.1.7".into()));
        assert_eq!(Ipv4Addr::from_val(&ip.to_val()), Some(ip));
        assert_eq!(Ipv4Addr::from_val(&Val::Str("example.com".into())), None);
        assert_eq!(Ipv4Addr::from_val(&Val::Int(3)), None);
        assert_eq!(Host::from("10.0.0.1"), Host::Ip(Ipv4Addr::new(10, 0, 0, 1)));
        let name = Host::from("ftp.example.com");
        assert_eq!(name, Host::Name("ftp.example.com".into()));
        assert_eq!(Host::from_val(&name.to_val()), Some(name));
    }
}
