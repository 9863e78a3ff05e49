//! The replay directives (`docs/transcript-directives.md`, "Replay"),
//! parsed from the arguments of a directive line.

use wip_transcript::decode_payload;

/// A replay directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    /// `@peer udp NAME HOST:PORT [echo]`
    UdpPeer {
        /// Peer name.
        name: String,
        /// As the modem names it.
        host: String,
        /// As the modem names it.
        port: u16,
        /// Sends every datagram back.
        echo: bool,
    },
    /// `@peer tcp NAME listen HOST:PORT [echo]`
    TcpListen {
        /// Peer name.
        name: String,
        /// As the modem names it.
        host: String,
        /// As the modem names it.
        port: u16,
        /// Sends every byte back.
        echo: bool,
    },
    /// `@peer tcp NAME connect PORT [as HOST:PORT]`
    TcpConnect {
        /// Peer name.
        name: String,
        /// The modem's local port.
        port: u16,
        /// How the modem names the peer.
        as_peer: Option<(String, u16)>,
    },
    /// `@route HOST:PORT modem PORT`: TCP connections to HOST:PORT reach
    /// the modem's own server on PORT.
    Route {
        /// As the modem names it.
        host: String,
        /// As the modem names it.
        port: u16,
        /// The modem's TCP server port.
        modem_port: u16,
    },
    /// `@send NAME [to PORT] "PAYLOAD"`
    Send {
        /// Peer name.
        name: String,
        /// For UDP: the modem's local port to send to.
        to: Option<u16>,
        /// The bytes.
        data: Vec<u8>,
    },
    /// `@expect NAME "PAYLOAD"`
    Expect {
        /// Peer name.
        name: String,
        /// The bytes.
        data: Vec<u8>,
    },
    /// `@shutdown NAME`
    Shutdown(String),
    /// `@close NAME`
    Close(String),
    /// `@reset NAME`
    Reset(String),
    /// `@expect-closed NAME`
    ExpectClosed(String),
    /// `@match PATTERN`
    Match(String),
    /// `@skip [REASON]`
    Skip,
    /// `@resume`
    Resume,
    /// `@flash stack OPT VALUE`
    FlashStack(i64, i64),
    /// `@flash bearer BID OPT VALUE` (a quoted value is a string)
    FlashBearer(i64, i64, crate::flash::Stored),
    /// `@wait MS`
    Wait(u64),
    /// `@server KIND NAME HOST:PORT [USER PASSWORD]`: a server of a
    /// service the modem knows as HOST:PORT (`-` for the server of HTTP
    /// URLs that name none).
    Server {
        /// Its protocol.
        kind: super::servers::Kind,
        /// Its name.
        name: String,
        /// As the modem names it.
        host: String,
        /// As the modem names it.
        port: u16,
        /// The only user it lets in.
        login: Option<(String, String)>,
    },
    /// `@ping HOST [lose N...]`: pings of HOST reach this machine's
    /// loopback; the network loses the echo requests of the indexes given.
    Ping(String, Vec<u16>),
    /// `@file NAME PATH "CONTENT"`: a file the FTP server holds.
    File(String, String, Vec<u8>),
    /// `@answer NAME METHOD PATH STATUS "BODY"`: what an HTTP server
    /// answers.
    Answer(String, String, String, u16, Vec<u8>),
    /// `@mail NAME N "CONTENT"`: mail N of a POP3 mailbox.
    Mail(String, usize, Vec<u8>),
    /// `@expect-file NAME PATH "CONTENT"`: the FTP server holds exactly it.
    ExpectFile(String, String, Vec<u8>),
    /// `@expect-request NAME METHOD PATH "BODY"`: the HTTP server got it.
    ExpectRequest(String, String, String, Vec<u8>),
    /// `@expect-mail NAME "CONTENT"`: the SMTP server's next mail.
    ExpectMail(String, Vec<u8>),
}

fn host_port(s: &str) -> Result<(String, u16), String> {
    let (h, p) = s
        .rsplit_once(':')
        .ok_or_else(|| format!("`{s}` is not HOST:PORT"))?;
    let port = p.parse().map_err(|_| format!("`{p}` is not a port"))?;
    if h.is_empty() {
        return Err(format!("`{s}` has no host"));
    }
    Ok((h.to_string(), port))
}

/// The quoted payload at the end of `args`, decoded as a transcript payload.
fn payload(args: &str) -> Result<(String, Vec<u8>), String> {
    let start = args
        .find('"')
        .ok_or_else(|| "a quoted payload is expected".to_string())?;
    let end = args
        .rfind('"')
        .filter(|e| *e > start)
        .ok_or_else(|| "the payload's closing quote is missing".to_string())?;
    let head = args[..start].trim().to_string();
    let text = &args[start + 1..end];
    let data = decode_payload(text).map_err(|e| e.to_string())?;
    Ok((head, data))
}

/// A mail of exactly `size` bytes (or its header alone, when larger):
/// lines of `x` of at most 72 bytes with their CRLF.
fn filler(size: usize) -> Vec<u8> {
    let mut m = b"Subject: filler\r\n\r\n".to_vec();
    while m.len() < size {
        let left = size - m.len();
        if left > 72 {
            m.extend(std::iter::repeat_n(b'x', 70));
            m.extend_from_slice(b"\r\n");
        } else if left >= 2 {
            m.extend(std::iter::repeat_n(b'x', left - 2));
            m.extend_from_slice(b"\r\n");
        } else {
            m.push(b'x');
        }
    }
    m
}

/// Parses a directive; `Ok(None)` for a directive that is not replay's
/// (`@channel` and others are left to their tools).
pub fn parse(name: &str, args: &str) -> Result<Option<Directive>, String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let word = |i: usize| words.get(i).copied().unwrap_or_default();
    let one_name = || -> Result<String, String> {
        match words.as_slice() {
            [n] => Ok((*n).to_string()),
            _ => Err(format!("@{name} takes one peer name")),
        }
    };
    Ok(Some(match name {
        "peer" => match (word(0), word(2)) {
            ("udp", _) => {
                let (host, port) = host_port(word(2))?;
                Directive::UdpPeer {
                    name: word(1).to_string(),
                    host,
                    port,
                    echo: word(3) == "echo",
                }
            }
            ("tcp", "listen") => {
                let (host, port) = host_port(word(3))?;
                Directive::TcpListen {
                    name: word(1).to_string(),
                    host,
                    port,
                    echo: word(4) == "echo",
                }
            }
            ("tcp", "connect") => Directive::TcpConnect {
                name: word(1).to_string(),
                port: word(3)
                    .parse()
                    .map_err(|_| format!("`{}` is not a port", word(3)))?,
                as_peer: match (word(4), word(5)) {
                    ("as", hp) => Some(host_port(hp)?),
                    _ => None,
                },
            },
            _ => return Err(format!("unknown peer kind `{args}`")),
        },
        "route" => match (word(1), words.len()) {
            ("modem", 3) => {
                let (host, port) = host_port(word(0))?;
                Directive::Route {
                    host,
                    port,
                    modem_port: word(2)
                        .parse()
                        .map_err(|_| format!("`{}` is not a port", word(2)))?,
                }
            }
            _ => return Err("@route HOST:PORT modem PORT".into()),
        },
        "send" => {
            let (head, data) = payload(args)?;
            let hw: Vec<&str> = head.split_whitespace().collect();
            match hw.as_slice() {
                [n] => Directive::Send {
                    name: (*n).to_string(),
                    to: None,
                    data,
                },
                [n, "to", p] => Directive::Send {
                    name: (*n).to_string(),
                    to: Some(p.parse().map_err(|_| format!("`{p}` is not a port"))?),
                    data,
                },
                _ => return Err("@send NAME [to PORT] \"PAYLOAD\"".into()),
            }
        }
        "expect" => {
            let (head, data) = payload(args)?;
            Directive::Expect {
                name: head.trim().to_string(),
                data,
            }
        }
        "shutdown" => Directive::Shutdown(one_name()?),
        "close" => Directive::Close(one_name()?),
        "reset" => Directive::Reset(one_name()?),
        "expect-closed" => Directive::ExpectClosed(one_name()?),
        "match" => Directive::Match(args.to_string()),
        "server" => {
            use super::servers::Kind;
            let kind = match word(0) {
                "http" => Kind::Http,
                "ftp" => Kind::Ftp,
                "smtp" => Kind::Smtp,
                "pop3" => Kind::Pop3,
                "mmsc" => Kind::Mmsc,
                k => return Err(format!("unknown server kind `{k}`")),
            };
            let (host, port) = host_port(word(2))?;
            Directive::Server {
                kind,
                name: word(1).to_string(),
                host: if host == "-" { String::new() } else { host },
                port,
                login: match (words.get(3), words.get(4)) {
                    (Some(u), Some(p)) => Some((u.to_string(), p.to_string())),
                    _ => None,
                },
            }
        }
        "ping" => match words.as_slice() {
            [host] => Directive::Ping(host.to_string(), Vec::new()),
            [host, "lose", idx @ ..] if !idx.is_empty() => Directive::Ping(
                host.to_string(),
                idx.iter()
                    .map(|i| {
                        i.parse::<u16>()
                            .map_err(|_| format!("`{i}` is not an echo request index (0..=65535)"))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            _ => return Err("usage: @ping HOST [lose N...]".to_string()),
        },
        "mail" if !args.contains('"') => match words.as_slice() {
            [n, i, "size", z] => Directive::Mail(
                n.to_string(),
                i.parse()
                    .map_err(|_| format!("`{i}` is not a mail number"))?,
                filler(z.parse().map_err(|_| format!("`{z}` is not a size"))?),
            ),
            _ => return Err("@mail NAME N \"CONTENT\" | @mail NAME N size BYTES".into()),
        },
        "file" | "expect-file" | "mail" | "answer" | "expect-request" | "expect-mail" => {
            let (head, data) = payload(args)?;
            let hw: Vec<String> = head.split_whitespace().map(str::to_string).collect();
            match (name, hw.as_slice()) {
                ("file", [n, p]) => Directive::File(n.clone(), p.clone(), data),
                ("expect-file", [n, p]) => Directive::ExpectFile(n.clone(), p.clone(), data),
                ("mail", [n, i]) => Directive::Mail(
                    n.clone(),
                    i.parse()
                        .map_err(|_| format!("`{i}` is not a mail number"))?,
                    data,
                ),
                ("answer", [n, m, p, c]) => Directive::Answer(
                    n.clone(),
                    m.clone(),
                    p.clone(),
                    c.parse().map_err(|_| format!("`{c}` is not a status"))?,
                    data,
                ),
                ("expect-request", [n, m, p]) => {
                    Directive::ExpectRequest(n.clone(), m.clone(), p.clone(), data)
                }
                ("expect-mail", [n]) => Directive::ExpectMail(n.clone(), data),
                _ => return Err(format!("bad arguments for @{name}")),
            }
        }
        "skip" => Directive::Skip,
        "resume" => Directive::Resume,
        "wait" => Directive::Wait(word(0).parse().map_err(|_| "@wait MS".to_string())?),
        "flash" => match (word(0), words.len()) {
            ("stack", 3) => Directive::FlashStack(
                word(1)
                    .parse()
                    .map_err(|_| "bad option number".to_string())?,
                word(2).parse().map_err(|_| "bad value".to_string())?,
            ),
            ("bearer", n) if n >= 4 => {
                let rest = words.get(3..).unwrap_or_default().join(" ");
                let v = match rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                    Some(s) => crate::flash::Stored::Str(s.to_string()),
                    None => crate::flash::Stored::Int(
                        rest.parse().map_err(|_| "bad value".to_string())?,
                    ),
                };
                Directive::FlashBearer(
                    word(1).parse().map_err(|_| "bad bearer".to_string())?,
                    word(2)
                        .parse()
                        .map_err(|_| "bad option number".to_string())?,
                    v,
                )
            }
            _ => return Err("@flash stack OPT VALUE | @flash bearer BID OPT VALUE".into()),
        },
        _ => return Ok(None),
    }))
}

#[cfg(test)]
mod tests {
    use super::{parse, Directive};

    #[test]
    fn ping_takes_the_requests_the_network_loses() {
        assert_eq!(
            parse("ping", "10.0.0.1"),
            Ok(Some(Directive::Ping("10.0.0.1".into(), vec![])))
        );
        assert_eq!(
            parse("ping", "10.0.0.1 lose 1 3"),
            Ok(Some(Directive::Ping("10.0.0.1".into(), vec![1, 3])))
        );
        assert!(parse("ping", "10.0.0.1 lose").is_err());
        assert!(parse("ping", "10.0.0.1 lose -1").is_err());
        assert!(parse("ping", "").is_err());
    }

    #[test]
    fn fillers_have_their_size() {
        for n in [0, 1, 20, 21, 22, 93, 94, 95, 1024, 36400] {
            assert_eq!(super::filler(n).len(), n.max(19), "{n}");
        }
    }
}
