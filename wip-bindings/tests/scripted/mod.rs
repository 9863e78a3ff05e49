//! The far end of a loopback socket, for tests whose modem is a script:
//! the pair of streams and the modem's reading of one command line.

use std::io::Read;
use std::net::{TcpListener, TcpStream};

use wip_runtime::transport;

/// A host stream (set up by [`transport::tcp`], as an app would) and the
/// modem's end of the same loopback connection.
pub fn pair() -> (TcpStream, TcpStream) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = transport::tcp(l.local_addr().unwrap()).unwrap();
    let (modem, _) = l.accept().unwrap();
    (host, modem)
}

/// One command line as the modem reads it, up to and with its CR.
pub fn read_line(s: &mut TcpStream) -> Vec<u8> {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while !line.ends_with(b"\r") {
        s.read_exact(&mut b).unwrap();
        line.push(b[0]);
    }
    line
}
