//! What the emulator core asks of the network and what it hears back.
//!
//! The core names peers as the host does (`"www.sierrawireless.com"`, 80)
//! and never sees a real socket: the driver ([`crate::hostnet`]) resolves
//! names through its routes and maps local ports, so the same core runs on
//! the real network, on loopback with staged peers, or in a unit test.

/// A socket of the driver; the core picks the numbers.
pub type SockId = u64;

/// A peer as the modem names it: host (name or dotted address) and port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Peer {
    /// Host name or dotted IPv4 address.
    pub host: String,
    /// Port.
    pub port: u16,
}

/// IP options applied to a real socket (5.3.7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpOpts {
    /// WIP_COPT_TTL.
    pub ttl: u32,
    /// WIP_COPT_TOS.
    pub tos: u32,
    /// WIP_COPT_NODELAY (TCP only).
    pub nodelay: bool,
}

/// One +WIPPING (7.1): its parameters, with the spec's defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PingReq {
    /// Host name or dotted address.
    pub host: String,
    /// Requests to send (`<repeat>`).
    pub repeat: u16,
    /// Time between requests (`<interval>`).
    pub interval: std::time::Duration,
    /// Time after which a request is lost (`<timeout>`).
    pub timeout: std::time::Duration,
    /// Size of a request, ICMP header included (`<nwrite>`).
    pub size: usize,
    /// IP time to live (`<ttl>`).
    pub ttl: u32,
}

/// An HTTP method of +WIPFILE (6.1.4): modes 1 and 7 GET, 2 PUT, 3 DELETE,
/// 4 POST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// GET: the body is downloaded.
    Get,
    /// PUT: the host's data is the body.
    Put,
    /// DELETE: the response body is downloaded.
    Delete,
    /// POST: the host's data is the body.
    Post,
}

impl HttpMethod {
    /// Whether the host sends the body (else the response body is
    /// downloaded).
    pub fn uploads(self) -> bool {
        matches!(self, HttpMethod::Put | HttpMethod::Post)
    }

    /// The method's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Post => "POST",
        }
    }
}

/// One HTTP request of a session (5.1.2 mode 5 and +WIPFILE, 6.1.4), with
/// the session's settings (5.3.7.3) it is made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReq {
    /// The method.
    pub method: HttpMethod,
    /// The URL (`http://host[:port]/path`, or a path for the proxy).
    pub url: String,
    /// The proxy of the session (`<server>`, `<peer port>` of 5.1.2).
    pub proxy: Option<Peer>,
    /// Basic authentication for the proxy (the session's user/password).
    pub proxy_auth: Option<(String, String)>,
    /// Basic authentication for the server (+WIPFILE's user/password).
    pub auth: Option<(String, String)>,
    /// Header fields: the session's, then the request's.
    pub headers: Vec<(String, String)>,
    /// HTTP/1.1 (WIP_COPT_HTTP_VERSION 1), else HTTP/1.0.
    pub http11: bool,
    /// Redirects followed at most (WIP_COPT_HTTP_MAXREDIRECT).
    pub max_redirect: u32,
}

/// An FTP session (5.1.2 mode 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtpSession {
    /// The server and its port.
    pub server: Peer,
    /// `<username>`.
    pub user: String,
    /// `<password>`.
    pub password: String,
    /// `<account>`, for a server that asks for one.
    pub account: Option<String>,
}

/// What an FTP transfer does (6.1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FtpOp {
    /// Download (RETR): modes 1 and 7.
    Get,
    /// Upload (STOR): modes 2 and 6.
    Put,
    /// Append (APPE): modes 5 and 9.
    Append,
}

/// One FTP transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtpReq {
    /// The session ([`NetCmd::OpenFtp`]).
    pub session: SockId,
    /// What to do.
    pub op: FtpOp,
    /// The file, with its path.
    pub path: String,
    /// FTP_TYPE binary (else ASCII), 5.3.7.2.
    pub binary: bool,
    /// FTP_MODE passive (else active), 5.3.7.2.
    pub passive: bool,
}

/// An SMTP (5.1.2 mode 6) or POP3 (mode 7) session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSession {
    /// The server and its port.
    pub server: Peer,
    /// `<username>`, `<password>`: authentication, when given.
    pub auth: Option<(String, String)>,
    /// POP3, else SMTP.
    pub pop3: bool,
}

/// A mail to send (+WIPFILE 6.1.4 mode 2), with the options of 5.3.7.4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpReq {
    /// The session ([`NetCmd::OpenMail`]).
    pub session: SockId,
    /// WIP_COPT_SMTP_SENDER.
    pub sender: String,
    /// WIP_COPT_SMTP_SENDERNAME.
    pub sender_name: String,
    /// WIP_COPT_SMTP_REC, a list.
    pub to: String,
    /// WIP_COPT_SMTP_CC_REC, a list.
    pub cc: String,
    /// WIP_COPT_SMTP_BCC_REC, a list.
    pub bcc: String,
    /// WIP_COPT_SMTP_SUBJ.
    pub subject: String,
    /// WIP_COPT_SMTP_FORMAT_HEADER: the emulator writes the header.
    pub format_header: bool,
}

/// A mail to retrieve (+WIPFILE 6.1.4 modes 1, 3, 7, 8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pop3Req {
    /// The session ([`NetCmd::OpenMail`]).
    pub session: SockId,
    /// The mail id.
    pub mail: String,
    /// Deleted once retrieved.
    pub delete: bool,
}

/// A file transfer of a session (+WIPFILE, 6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileReq {
    /// An HTTP request.
    Http(HttpReq),
    /// An FTP transfer.
    Ftp(FtpReq),
    /// A mail sent.
    Smtp(SmtpReq),
    /// A mail retrieved.
    Pop3(Pop3Req),
    /// An MMS posted to the MMSC (5.1.2 mode 8): the `m-send-req` PDU.
    Mms {
        /// The WAP proxy or gateway (`<server>`, `<peer port>`).
        proxy: Peer,
        /// The MMSC URL (`<url>`).
        url: String,
        /// The encoded message.
        pdu: Vec<u8>,
    },
}

/// How a file transfer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// An HTTP response: its status code and reason phrase, as the server
    /// sent them.
    Http(u16, String),
    /// Done.
    Done,
    /// Failed: the `+CME ERROR` code of 10.1.
    Error(u32),
    /// The MMSC's answer to an MMS: its HTTP status and body (the
    /// `m-send-conf`).
    Mms(u16, Vec<u8>),
}

/// A request to the network driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetCmd {
    /// Bind a UDP socket on a local port (any when `None`); answered by
    /// [`NetEvent::Opened`] or [`NetEvent::Failed`].
    OpenUdp {
        /// The socket.
        id: SockId,
        /// The modem's local port.
        local_port: Option<u16>,
        /// Where datagrams go by default, resolved now (5.1.1).
        peer: Option<Peer>,
        /// IP options.
        opts: IpOpts,
    },
    /// Connect a TCP client; answered by `Opened` or `Failed`.
    Connect {
        /// The socket.
        id: SockId,
        /// The peer.
        peer: Peer,
        /// IP options.
        opts: IpOpts,
    },
    /// Listen on a local TCP port; answered by `Opened` or `Failed`.
    Listen {
        /// The socket.
        id: SockId,
        /// The modem's local port.
        port: u16,
        /// IP options, inherited by accepted connections.
        opts: IpOpts,
    },
    /// Keep an accepted connection ([`NetEvent::Accepted`]) and start
    /// reading it.
    Adopt {
        /// The connection.
        id: SockId,
        /// IP options.
        opts: IpOpts,
    },
    /// Send bytes on a TCP connection; [`NetEvent::Sent`] tells when they
    /// left.
    Send {
        /// The socket.
        id: SockId,
        /// The bytes.
        data: Vec<u8>,
    },
    /// Send one UDP datagram (to the socket's peer when `to` is `None`).
    SendTo {
        /// The socket.
        id: SockId,
        /// The destination.
        to: Option<Peer>,
        /// The datagram.
        data: Vec<u8>,
    },
    /// Shut down the sending side of a TCP connection (6.2.2.1).
    ShutdownWrite {
        /// The socket.
        id: SockId,
    },
    /// Close a socket (an accepted connection not adopted is accepted then
    /// shut down, 5.1.7).
    Close {
        /// The socket.
        id: SockId,
    },
    /// The core has taken `n` bytes (TCP) or datagrams (UDP) of what the
    /// socket received: the reader may read that much more.
    Consumed {
        /// The socket.
        id: SockId,
        /// Bytes or datagrams.
        n: usize,
    },
    /// Send ICMP echo requests; answered by [`NetEvent::Opened`] (the
    /// requests go out: `OK`) or [`NetEvent::Failed`] (no ICMP socket),
    /// then one [`NetEvent::Echo`] per request and [`NetEvent::PingDone`].
    /// [`NetCmd::Close`] stops it.
    Ping {
        /// The ping.
        id: SockId,
        /// What to send.
        req: PingReq,
    },
    /// Connect and log in to an FTP server; answered by
    /// [`NetEvent::Opened`] or [`NetEvent::Failed`] with the manual's code.
    /// [`NetCmd::Close`] ends the session.
    OpenFtp {
        /// The session.
        id: SockId,
        /// Where and who.
        session: FtpSession,
    },
    /// Connect (and log in) to an SMTP or POP3 server; answered by
    /// [`NetEvent::Opened`] (a POP3 server's [`NetEvent::Mailbox`] first)
    /// or [`NetEvent::Failed`] with the manual's code.
    OpenMail {
        /// The session.
        id: SockId,
        /// Where and who.
        session: MailSession,
    },
    /// Delete a mail of a POP3 session (POP3_DELETE_MAIL, 5.3.6).
    Pop3Delete {
        /// The session.
        id: SockId,
        /// The mail id.
        mail: u32,
    },
    /// Check that a service's server (an HTTP proxy) is allowed and
    /// reachable: a TCP connection is made and closed. Answered by
    /// [`NetEvent::Opened`] or [`NetEvent::Failed`].
    Probe {
        /// The session.
        id: SockId,
        /// The server.
        peer: Peer,
    },
    /// Start a file transfer; answered by [`NetEvent::FileReady`] (data
    /// may flow: [`NetCmd::Send`] to upload, ended by
    /// [`NetCmd::ShutdownWrite`]; [`NetEvent::Data`] downloaded, given
    /// back with [`NetCmd::Consumed`]) or at once by [`NetEvent::FileDone`].
    /// [`NetCmd::Close`] aborts it.
    File {
        /// The transfer.
        id: SockId,
        /// What to transfer.
        req: FileReq,
    },
    /// Apply IP options.
    SetOpts {
        /// The socket.
        id: SockId,
        /// The options.
        opts: IpOpts,
    },
}

/// Why a socket could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetError {
    /// Destination unreachable, refused or timed out (842).
    Unreachable,
    /// The local port is taken or cannot be bound (832).
    BadPort,
    /// Any other failure to create the socket (839).
    Creation,
    /// A service's own refusal: a `+CME ERROR` code of 10.1.
    Code(u32),
}

impl NetError {
    /// The `+CME ERROR` code of 10.1.
    pub fn code(self) -> u32 {
        match self {
            NetError::Unreachable => 842,
            NetError::BadPort => 832,
            NetError::Creation => 839,
            NetError::Code(c) => c,
        }
    }
}

/// What the network driver reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetEvent {
    /// A socket is open (bound, connected or listening) on this local port.
    Opened {
        /// The socket.
        id: SockId,
        /// The real local port when the modem asked for none.
        local_port: u16,
        /// The peer as the modem names it, for a connected socket.
        peer: Option<Peer>,
    },
    /// A socket could not be opened.
    Failed {
        /// The socket.
        id: SockId,
        /// Why.
        error: NetError,
    },
    /// A listener accepted a connection, given the number `id`.
    Accepted {
        /// The listener.
        server: SockId,
        /// The new connection.
        id: SockId,
        /// Its peer, as the modem names it.
        peer: Peer,
        /// The local port.
        local_port: u16,
    },
    /// TCP bytes arrived.
    Data {
        /// The socket.
        id: SockId,
        /// The bytes.
        data: Vec<u8>,
    },
    /// A UDP datagram arrived.
    Datagram {
        /// The socket.
        id: SockId,
        /// Its sender, as the modem names it.
        from: Peer,
        /// The datagram.
        data: Vec<u8>,
    },
    /// Bytes given with [`NetCmd::Send`] have left.
    Sent {
        /// The socket.
        id: SockId,
        /// How many.
        n: usize,
    },
    /// The peer shut down its sending side (a FIN).
    Eof {
        /// The socket.
        id: SockId,
    },
    /// The connection was reset (6.2.5).
    Reset {
        /// The socket.
        id: SockId,
    },
    /// The result of one echo request of a ping (7.1.2).
    Echo {
        /// The ping.
        id: SockId,
        /// The request's index, from 0.
        idx: u16,
        /// No reply came within the timeout.
        timed_out: bool,
        /// The response time in milliseconds (0 on a timeout).
        ms: u32,
    },
    /// A file transfer may start: upload data, or data to download, flows.
    FileReady {
        /// The transfer.
        id: SockId,
    },
    /// A file transfer ended (all its data was reported before).
    FileDone {
        /// The transfer.
        id: SockId,
        /// How.
        outcome: FileOutcome,
    },
    /// What a POP3 mailbox holds (STAT and LIST), for options 71 to 73.
    Mailbox {
        /// The session.
        id: SockId,
        /// Mails.
        count: u64,
        /// Their total size.
        size: u64,
        /// Each mail's id and size.
        listing: Vec<(u64, u64)>,
        /// The server answered STAT: `count` and `size` are known.
        stat_ok: bool,
        /// The server answered LIST: `listing` is known.
        list_ok: bool,
    },
    /// The last status a mail server gave (WIP_COPT_SMTP_STATUS_CODE,
    /// WIP_COPT_POP3_STATUS_CODE, 5.3.7.4 and 5.3.7.5).
    Status {
        /// The session.
        id: SockId,
        /// The reply code (POP3: 0 for +OK, 1 for -ERR).
        code: u16,
        /// The reply line.
        text: String,
    },
    /// The server answered a deletion of [`NetCmd::Pop3Delete`]: `ok`
    /// for `+OK` (the mailbox and the status were reported before), not
    /// for `-ERR` or a broken connection.
    Deleted {
        /// The session.
        id: SockId,
        /// The server deleted the mail.
        ok: bool,
    },
    /// A ping sent all its requests.
    PingDone {
        /// The ping.
        id: SockId,
    },
}
