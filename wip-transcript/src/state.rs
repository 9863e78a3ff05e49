//! What the modem's state allows: the one description of the state rules
//! that the emulator's core (`wip-sim`) answers by and that `wip verify`
//! checks transcripts against.
//!
//! A command is turned into a [`Request`] (what it asks of the state), and
//! [`check`] tells, from a [`View`] of the state, whether the modem must
//! refuse it and with which code ([`Refusal`]). The emulator's view knows
//! everything; the verifier's view knows only what the transcript showed,
//! and a question it cannot answer (`None`) never refuses: state not shown
//! is unknown, never assumed.

use wip_schema::{rules, Dialect, Form, ParsedCommand, Val};

/// UDP (3.1.1).
pub const UDP: u8 = 1;
/// TCP client, created or spawned by a server (3.1.1).
pub const TCP: u8 = 2;
/// TCP server (3.1.1).
pub const SERVER: u8 = 3;
/// FTP session (5.1.2 mode 4).
pub const FTP: u8 = 4;
/// MMS session (5.1.2 mode 8).
pub const MMS: u8 = 8;

/// The bearer options whose default the manual states, by bearer: what
/// opening a bearer whose stored configuration was freed gives them
/// (4.2.4), the values from the spec's `bearer` table.
/// `WIP_BOPT_GPRS_TIMEOUT` (21, "default: 1200") and
/// `WIP_BOPT_GPRS_ERROR_REPORTING` (28, "default=0") are GPRS options
/// (4.2.3); `WIP_BOPT_IP_DHCP` (23) is "Default: TRUE" in 4.2.6, on the
/// Ethernet bearer. The spec's defaults of 19 and 20 are its own choice
/// (erratum E58), not the manual's, and judge nothing.
pub const BEARER_DEFAULTS_STATED: &[(i64, i64)] = &[(6, 21), (6, 28), (4, 23)];

/// `WIP_NET_OPT_IP_TTL`, option 0 of the IP stack: the default TTL of
/// outgoing packets (4.1.3), which a socket's `WIP_COPT_TTL` reads until
/// written (5.3.7.1).
pub const OPT_IP_TTL: i64 = 0;

/// `WIP_NET_OPT_IP_TOS`, option 1 of the IP stack: the default TOS of
/// outgoing packets (4.1.3), which a socket's `WIP_COPT_TOS` reads until
/// written (5.3.7.1).
pub const OPT_IP_TOS: i64 = 1;

/// `WIP_NET_OPT_TCP_MIN_MSS`, option 4 of the IP stack (4.1.7): a TCP
/// socket's `<send size>` may be at most twice its value (6.2.11.4).
pub const OPT_TCP_MIN_MSS: i64 = 4;

/// `WIP_NET_OPT_SOCK_MAX`, option 6 of the IP stack: how many UDP sockets
/// may exist at a time (9.14: a fourth gets `+CME ERROR: 838` once it is
/// 3; the note of 4.1.3 reserves sockets for UDP only). Taken at the next
/// start of the stack, from the stored configuration (4.1.4).
pub const OPT_SOCK_MAX: i64 = 6;

/// The DATA offline buffer size in bytes, option 15 of the IP stack
/// (4.1.3): what a data offline session's TX buffer holds before
/// `+CME ERROR: 853` ("Data offline buffer full", 6.3.5). Taken at the
/// next start of the stack, from the stored configuration (4.1.4).
pub const OPT_OFFLINE_BUFFER: i64 = 15;

/// The stack options that take effect when written (4.1.7: "Following
/// option values set by +WIPCFG command are taken into consideration at
/// the run time"); the others are taken at the next start of the stack
/// (4.1.4, 9.14: `WIP_NET_OPT_SOCK_MAX` is stored, and the stack stopped
/// and started, before it limits the sockets).
pub const RUN_TIME_STACK_OPTIONS: &[&str] = &[
    "WIP_NET_OPT_IP_TTL",
    "WIP_NET_OPT_IP_TOS",
    "WIP_NET_OPT_IP_FRAG_TIMEO",
    "WIP_NET_OPT_TCP_MAXINITWIN",
    "WIP_NET_OPT_TCP_MIN_MSS",
    "WIP_NET_OPT_DEBUG_PORT",
    "AT_WIP_NET_OPT_PREF_TIMEOUT_VALUE",
    "AT_WIP_NET_OPT_ESC_SEQ_NOT_SENT",
    "AT_WIP_NET_OPT_AUTO_SWITCH",
];

/// A socket or service session: (protocol, index) (3.1.1).
pub type Key = (u8, u8);

/// Whether a protocol number is a service session's (5.1.2 modes 4 to 8).
pub fn is_session(proto: u8) -> bool {
    (4..=8).contains(&proto)
}

/// Whether a `+WIPFILE` `<mode>` opens a data offline session (6 to 9,
/// 6.1.5, 6.3).
pub fn is_offline_file(mode: Option<i64>) -> bool {
    mode.is_some_and(|m| (6..=9).contains(&m))
}

/// Whether a `+WIPFILE` `<mode>` uploads in data offline mode: 6 (FTP
/// upload, SMTP) and 9 (FTP append), 6.1.5.
pub fn is_offline_upload(mode: Option<i64>) -> bool {
    matches!(mode, Some(6 | 9))
}

/// What a command asks of the modem's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `AT+WIPCFG=1` (4.1.2).
    StackStart,
    /// `AT+WIPCFG=0` (4.1.2).
    StackStop,
    /// `AT+WIPCFG=2,...` (4.1.2): needs the stack started.
    StackConfigure {
        /// The option written and its value, when it has one integer
        /// (`WIP_NET_OPT_TCP_MIN_MSS`: [`OPT_TCP_MIN_MSS`]).
        option: Option<(i64, i64)>,
    },
    /// `AT+WIPCFG=4,<store>` (4.1.4): store the stack's configuration in
    /// the flash (`true`), or free the stored one; needs no started stack.
    StackStorage {
        /// 1 stores, 0 frees.
        store: bool,
    },
    /// A `+WIPBR` action on a bearer (4.2.2): which one, and the
    /// bearer command (0 close, 1 open, 2 set, 3 get, 4 start, 5 stop,
    /// 6 store).
    Bearer {
        /// The bearer id.
        bid: i64,
        /// The `<cmd>` of +WIPBR.
        cmd: i64,
    },
    /// `AT+WIPBR=6,<bid>,0` (4.2.4): frees the stored configuration of
    /// bearer `bid`; needs only the stack.
    Stored {
        /// The bearer whose configuration is freed.
        bid: i64,
    },
    /// `AT+WIPCREATE` of a UDP socket or TCP client (5.1.2).
    Create(Key),
    /// `AT+WIPCREATE=3,...`: a TCP server reserving `from..=to` (5.1.7).
    CreateServer {
        /// The server index.
        idx: u8,
        /// First communication index it reserves.
        from: u8,
        /// Last communication index it reserves.
        to: u8,
    },
    /// `AT+WIPCREATE=4..8,...`: a service session (5.1.2).
    CreateSession(Key),
    /// `AT+WIPCLOSE` (5.2.2).
    Close(Key),
    /// `AT+WIPOPT` on a socket or session (5.3.2).
    Opt(Key),
    /// `AT+WIPDATA=<proto>,<idx>,<mode>` (6.2.6).
    Data {
        /// The socket.
        key: Key,
        /// 0 unmap, 1 continuous, 2 transparent, 3 data offline.
        mode: i64,
        /// `<send size>`, when the command gives it (6.2.7).
        send_size: Option<i64>,
    },
    /// `AT+WIPDATARW=<cmd>,<idx>...` (6.3.2): needs a data offline session.
    DataRw {
        /// The session's index.
        idx: u8,
        /// `<command>` (6.3.3): 0 close, 1 write and send, 2 write, 3
        /// write, send and close; `None` for the read and test forms.
        command: Option<i64>,
        /// The bytes of its `<DATA DUMP>` (half its hex digits).
        bytes: usize,
    },
    /// `AT+WIPFILE` on a session (6.1.4).
    File {
        /// The session.
        key: Key,
        /// `<mode>` (6.1.5): 6 to 9 open a data offline session (6.3).
        mode: Option<i64>,
    },
    /// `AT+WIPPING=<host>...` (7.1.2): `<repeat>` requests, each ending
    /// in one `+WIPPING:` report (see [`ping_reports`]).
    Ping {
        /// The reports the ping will send.
        reports: u32,
        /// `<timeout>` in milliseconds (7.1.3, 2000 by default): a report
        /// of a response (`<timeout_expired>` 0) gives a time within it.
        timeout: Option<i64>,
        /// `<interval>` in milliseconds between requests (7.1.3, 2000 by
        /// default): at least `<timeout>`, each request is reported before
        /// the next is sent.
        interval: Option<i64>,
    },
    /// Anything the state does not restrict (reads, tests, other commands).
    Free,
}

fn int_param(form: &Form, p: &ParsedCommand, name: &str) -> Option<i64> {
    let i = form.params.iter().position(|x| x.name == name)?;
    rules::effective_ref(&form.params, &p.values.params, i).and_then(|v| v.as_int())
}

/// The value of parameter `name` as the command line gives it, its
/// default not standing in.
pub(crate) fn given_param(form: &Form, p: &ParsedCommand, name: &str) -> Option<Val> {
    let i = form.params.iter().position(|x| x.name == name)?;
    p.values.params.get(i).cloned().flatten()
}

fn small(v: Option<i64>) -> Option<u8> {
    v.and_then(|v| u8::try_from(v).ok())
}

impl Request {
    /// Whether the modem answers it `OK` only with its IP stack started
    /// (4.1: every command but the stack's start, the storage of its
    /// configuration and a close refuses a stopped stack).
    pub fn needs_stack(&self) -> bool {
        // A socket's close is answered OK "irrespective of whether the
        // socket is active or not" (5.2.7): no proof either way.
        !matches!(
            self,
            Request::Free | Request::StackStart | Request::StackStorage { .. } | Request::Close(_)
        )
    }

    /// What a parsed command of the dialect asks of the state.
    pub fn of(d: &Dialect, p: &ParsedCommand) -> Request {
        Self::try_of(d, p).unwrap_or(Request::Free)
    }

    fn try_of(d: &Dialect, p: &ParsedCommand) -> Option<Request> {
        let cmd = d.commands.get(p.command)?;
        let form = cmd.forms.get(p.form)?;
        if form.kind != wip_schema::FormKind::Action {
            return Some(Request::Free);
        }
        let int = |name: &str| int_param(form, p, name);
        let first = |names: &[&str]| names.iter().find_map(|n| int(n));
        Some(match (cmd.name.as_ref(), form.name.as_ref()) {
            ("+WIPCFG", "Start") => Request::StackStart,
            ("+WIPCFG", "Stop") => Request::StackStop,
            ("+WIPCFG", "Configure") => Request::StackConfigure {
                option: p.values.option.as_ref().and_then(|o| {
                    let opt = d.tables.get(o.table)?.options.get(o.option)?;
                    let v = o.values.first().cloned().flatten()?.as_int()?;
                    (o.values.len() == 1).then_some((opt.id, v))
                }),
            },
            ("+WIPCFG", "Storage") => Request::StackStorage {
                store: int_param(form, p, "action")? == 1,
            },
            ("+WIPBR", _) => {
                let cmd = p.values.params.first().cloned().flatten()?.as_int()?;
                let bid = p.values.params.get(1).cloned().flatten()?.as_int()?;
                // Freeing a stored configuration needs no open bearer.
                let store = p.values.params.get(2).cloned().flatten();
                if cmd == 6 && store != Some(Val::Int(1)) {
                    return Some(Request::Stored { bid });
                }
                Request::Bearer { bid, cmd }
            }
            ("+WIPCREATE", "Udp") => Request::Create((UDP, small(int("communication index"))?)),
            ("+WIPCREATE", "TcpClient") => {
                Request::Create((TCP, small(int("communication index"))?))
            }
            ("+WIPCREATE", "TcpServer") => Request::CreateServer {
                idx: small(int("server index"))?,
                from: small(int("from idx"))?,
                to: small(int("to idx"))?,
            },
            ("+WIPCREATE", _) => {
                Request::CreateSession((small(int("mode"))?, small(int("index"))?))
            }
            ("+WIPCLOSE", _) => Request::Close((small(int("protocol"))?, small(int("idx"))?)),
            ("+WIPOPT", _) => Request::Opt((
                small(first(&["protocol"]))?,
                small(first(&["idx", "index"]))?,
            )),
            ("+WIPDATA", _) => Request::Data {
                key: (small(int("protocol"))?, small(int("idx"))?),
                mode: int("mode")?,
                // Given, not defaulted: a default follows TCP_MIN_MSS.
                send_size: given_param(form, p, "send size").and_then(|v| v.as_int()),
            },
            ("+WIPDATARW", _) => Request::DataRw {
                idx: small(int("idx"))?,
                command: int("command"),
                bytes: given_param(form, p, "DATA DUMP")
                    .and_then(|v| v.as_str().map(|h| h.len() / 2))
                    .unwrap_or(0),
            },
            ("+WIPFILE", _) => Request::File {
                key: (small(int("protocol"))?, small(int("index"))?),
                mode: int("mode"),
            },
            ("+WIPPING", "Ping") => Request::Ping {
                reports: ping_reports(int("repeat")),
                timeout: int("timeout"),
                interval: int("interval"),
            },
            _ => Request::Free,
        })
    }
}

/// A bearer's state (4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerState {
    /// Not open.
    Closed,
    /// Open, not started.
    Open,
    /// Started.
    Started,
}

/// A socket's or session's state (5.1, 5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SockState {
    /// None with this protocol and index: never created, or closed.
    Absent,
    /// Created; `+WIPREADY` (or the network's refusal) not yet come.
    Opening,
    /// Ready (`+WIPREADY`, `+WIPACCEPT`), possibly closed by its peer.
    Ready {
        /// Mapped on a UART in continuous or transparent mode (6.2).
        mapped: bool,
        /// In a data offline session (6.3).
        offline: bool,
    },
}

/// What the state is, as far as it is known; `None` answers "unknown".
pub trait View {
    /// Whether the IP stack is started (4.1).
    fn stack(&self) -> Option<bool>;
    /// The state of a bearer (4.2).
    fn bearer(&self, bid: i64) -> Option<BearerState>;
    /// Whether some bearer is started.
    fn any_bearer_started(&self) -> Option<bool>;
    /// The state of a socket or session.
    fn socket(&self, key: Key) -> Option<SockState>;
    /// The TCP server whose range reserves communication index `idx`
    /// (5.1.7), `Some(None)` when none does.
    fn reserved_by(&self, idx: u8) -> Option<Option<u8>>;
    /// Whether any service session exists (5.1.1: one at a time).
    fn any_session(&self) -> Option<bool>;
    /// Whether a data offline session is open on index `idx` (6.3).
    fn offline(&self, idx: u8) -> Option<bool>;
    /// The value of `WIP_NET_OPT_TCP_MIN_MSS` (4.1.7) while the stack runs.
    fn tcp_min_mss(&self) -> Option<i64>;
    /// The value in effect of a stack option taken at the start of the
    /// stack ([`OPT_SOCK_MAX`], [`OPT_OFFLINE_BUFFER`]) while it runs.
    fn stack_option(&self, id: i64) -> Option<i64> {
        let _ = id;
        None
    }
    /// How many UDP sockets exist.
    fn udp_sockets(&self) -> Option<usize> {
        None
    }
    /// The bytes in the TX buffer of the data offline session on index
    /// `idx` (6.3.3: written with `<command>` 2, not sent yet).
    fn offline_buffered(&self, idx: u8) -> Option<usize> {
        let _ = idx;
        None
    }
}

/// Why the state refuses a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The IP stack is stopped.
    StackStopped,
    /// The IP stack is already started.
    StackStarted,
    /// The bearer is not open.
    BearerNotOpen(i64),
    /// The bearer is already open.
    BearerOpen(i64),
    /// The bearer is open but not started.
    BearerNotStarted(i64),
    /// A bearer is already started (4.2.7.1: one at a time).
    BearerStarted,
    /// No bearer is started.
    NoBearerStarted,
    /// A socket or session with this protocol and index exists.
    InUse(Key),
    /// A server's range reserves this communication index (5.1.7).
    Reserved {
        /// The server.
        server: u8,
        /// The index.
        idx: u8,
    },
    /// The socket or session does not exist, or is not ready.
    NotReady(Key),
    /// The socket is not mapped on a UART.
    NotMapped(Key),
    /// The socket is mapped, or in a data offline session.
    Busy(Key),
    /// A service session exists (5.1.1: one at a time).
    SessionExists,
    /// No data offline session on this index.
    NoOffline(u8),
    /// A data offline session is open on this index (6.3).
    OfflineOpen(u8),
    /// As many UDP sockets as `WIP_NET_OPT_SOCK_MAX` allows exist (9.14).
    SockMax {
        /// The option's value in effect.
        max: i64,
    },
    /// The data would take the data offline session's TX buffer past the
    /// buffer size, option 15 (4.1.3, 6.3.5).
    OfflineBufferFull {
        /// The session's index.
        idx: u8,
        /// The bytes already in the buffer.
        buffered: usize,
        /// The bytes of the command's `<DATA DUMP>`.
        bytes: usize,
        /// The buffer size in effect.
        size: i64,
    },
    /// A TCP `<send size>` more than twice `WIP_NET_OPT_TCP_MIN_MSS`
    /// (6.2.11.4).
    SendSize {
        /// The `<send size>` asked for.
        size: i64,
        /// The value of `WIP_NET_OPT_TCP_MIN_MSS`.
        mss: i64,
    },
}

/// A command the modem must refuse in this state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The `+CME ERROR` code the emulator answers (10.1).
    pub code: u32,
    /// The state that refuses it.
    pub why: Why,
}

fn refuse(code: u32, why: Why) -> Result<(), Refusal> {
    Err(Refusal { code, why })
}

/// Error code of a ping the stack cannot send (10.1, listed by 7.1.5).
pub const PING_ERROR: u32 = 819;

/// The `+WIPPING:` reports a ping sends: 7.1.1 sends one "each time a
/// PING echo event is received or a timeout expires", so one per request,
/// `<repeat>` of them (7.1.3, 1 by default). A report is a ping's: with no
/// ping in progress (all reports of the pings accepted have come) none is
/// due. The manual names no error for a ping sent while another runs, so a
/// second one is accepted and adds its own reports.
pub fn ping_reports(repeat: Option<i64>) -> u32 {
    repeat.and_then(|r| u32::try_from(r).ok()).unwrap_or(1)
}

/// Whether the state makes the modem refuse `req`, and how. Only known
/// state refuses: a view that answers `None` lets the command through.
pub fn check(v: &impl View, req: &Request) -> Result<(), Refusal> {
    let stopped = v.stack() == Some(false);
    match *req {
        Request::Free => Ok(()),
        Request::StackStart if v.stack() == Some(true) => refuse(844, Why::StackStarted),
        Request::StackStart => Ok(()),
        Request::StackStop | Request::StackConfigure { .. } if stopped => {
            refuse(852, Why::StackStopped)
        }
        Request::StackStop | Request::StackConfigure { .. } | Request::StackStorage { .. } => {
            Ok(())
        }
        Request::Bearer { .. } | Request::Stored { .. } if stopped => {
            refuse(803, Why::StackStopped)
        }
        Request::Stored { .. } => Ok(()),
        Request::Bearer { bid, cmd } => {
            let state = v.bearer(bid);
            match cmd {
                1 if matches!(state, Some(BearerState::Open | BearerState::Started)) => {
                    refuse(804, Why::BearerOpen(bid))
                }
                0 | 2..=6 if state == Some(BearerState::Closed) => {
                    refuse(803, Why::BearerNotOpen(bid))
                }
                4 if v.any_bearer_started() == Some(true) => refuse(803, Why::BearerStarted),
                5 if state == Some(BearerState::Open) => refuse(803, Why::BearerNotStarted(bid)),
                _ => Ok(()),
            }
        }
        Request::Create(_) | Request::CreateServer { .. } | Request::CreateSession(_)
            if stopped =>
        {
            refuse(803, Why::StackStopped)
        }
        Request::Create(_) | Request::CreateServer { .. } | Request::CreateSession(_)
            if v.any_bearer_started() == Some(false) =>
        {
            refuse(803, Why::NoBearerStarted)
        }
        Request::Create(key) => {
            if key.0 == TCP {
                if let Some(Some(server)) = v.reserved_by(key.1) {
                    return refuse(845, Why::Reserved { server, idx: key.1 });
                }
            }
            if let Some(SockState::Opening | SockState::Ready { .. }) = v.socket(key) {
                return refuse(840, Why::InUse(key));
            }
            // 9.14: WIP_NET_OPT_SOCK_MAX at 3, "an attempt to create a
            // fourth socket returns error" 838; it counts UDP sockets (the
            // note of 4.1.3 reserves sockets for UDP only, erratum E16).
            match (key.0 == UDP, v.udp_sockets(), v.stack_option(OPT_SOCK_MAX)) {
                (true, Some(n), Some(max)) if i64::try_from(n).unwrap_or(i64::MAX) >= max => {
                    refuse(838, Why::SockMax { max })
                }
                _ => Ok(()),
            }
        }
        Request::CreateServer { idx, from, to } => {
            if matches!(
                v.socket((SERVER, idx)),
                Some(SockState::Opening | SockState::Ready { .. })
            ) {
                return refuse(840, Why::InUse((SERVER, idx)));
            }
            for i in from..=to {
                if let Some(Some(server)) = v.reserved_by(i) {
                    return refuse(845, Why::Reserved { server, idx: i });
                }
                if matches!(
                    v.socket((TCP, i)),
                    Some(SockState::Opening | SockState::Ready { .. })
                ) {
                    return refuse(845, Why::InUse((TCP, i)));
                }
            }
            Ok(())
        }
        Request::CreateSession(key) => match v.any_session() {
            Some(true) => match v.socket(key) {
                Some(SockState::Opening | SockState::Ready { .. }) => refuse(840, Why::InUse(key)),
                _ => refuse(840, Why::SessionExists),
            },
            _ => Ok(()),
        },
        Request::Close(_) | Request::Opt(_) | Request::File { .. } if stopped => {
            refuse(803, Why::StackStopped)
        }
        // 5.2.7 gives 831 for the close of an inactive FTP, HTTP, SMTP or
        // POP3 session; an MMS close is answered OK either way (9.9,
        // erratum E12).
        Request::Close(key)
            if is_session(key.0) && key.0 != MMS && v.socket(key) == Some(SockState::Absent) =>
        {
            refuse(831, Why::NotReady(key))
        }
        Request::Close(_) => Ok(()),
        Request::Opt(key) if v.socket(key) == Some(SockState::Absent) => {
            refuse(830, Why::NotReady(key))
        }
        Request::Opt(_) => Ok(()),
        Request::File { key, mode } => match v.socket(key) {
            Some(SockState::Absent | SockState::Opening) => refuse(831, Why::NotReady(key)),
            // A session transferring in data mode on a UART (3: one UART
            // at a time) takes no other transfer meanwhile.
            Some(SockState::Ready { mapped: true, .. }) => refuse(831, Why::Busy(key)),
            // A data offline session (modes 6 to 9) opens only where none
            // is open on the index, as for `AT+WIPDATA` mode 3 (6.3).
            _ if is_offline_file(mode) && v.offline(key.1) == Some(true) => {
                refuse(831, Why::OfflineOpen(key.1))
            }
            _ => Ok(()),
        },
        Request::Data { .. } if stopped => refuse(803, Why::StackStopped),
        Request::Data {
            key,
            mode,
            send_size,
        } => match v.socket(key) {
            Some(SockState::Absent | SockState::Opening) => refuse(831, Why::NotReady(key)),
            Some(SockState::Ready { mapped, offline }) => {
                if mode == 0 && !mapped {
                    refuse(831, Why::NotMapped(key))
                } else if mode != 0 && (mapped || offline) {
                    refuse(831, Why::Busy(key))
                } else if mode == 3 && v.offline(key.1) == Some(true) {
                    refuse(831, Why::OfflineOpen(key.1))
                } else {
                    send_size_fits(v, key, mode, send_size)
                }
            }
            None => send_size_fits(v, key, mode, send_size),
        },
        Request::DataRw { idx, .. } if v.offline(idx) == Some(false) => {
            refuse(831, Why::NoOffline(idx))
        }
        // 6.3.5: 853 "Data offline buffer full", the buffer of option 15
        // (4.1.3) holding the data written and not sent (6.3.3).
        Request::DataRw {
            idx,
            command: Some(1..=3),
            bytes,
        } => match (v.offline_buffered(idx), v.stack_option(OPT_OFFLINE_BUFFER)) {
            (Some(buffered), Some(size))
                if i64::try_from(buffered.saturating_add(bytes)).unwrap_or(i64::MAX) > size =>
            {
                refuse(
                    853,
                    Why::OfflineBufferFull {
                        idx,
                        buffered,
                        bytes,
                        size,
                    },
                )
            }
            _ => Ok(()),
        },
        Request::DataRw { .. } => Ok(()),
        Request::Ping { .. } if stopped => refuse(PING_ERROR, Why::StackStopped),
        Request::Ping { .. } if v.any_bearer_started() == Some(false) => {
            refuse(PING_ERROR, Why::NoBearerStarted)
        }
        Request::Ping { .. } => Ok(()),
    }
}

/// 6.2.11.4: "an attempt … to set data packet size more than twice the
/// value of WIP_NET_OPT_TCP_MIN_MSS using +WIPDATA command results in
/// +CME ERROR: 847", for a TCP socket mapped in continuous or transparent
/// mode with its `<send size>` given (erratum E05 adds 847 to 6.2.9).
fn send_size_fits(v: &impl View, key: Key, mode: i64, size: Option<i64>) -> Result<(), Refusal> {
    match (size, v.tcp_min_mss()) {
        (Some(size), Some(mss)) if key.0 == TCP && matches!(mode, 1 | 2) => {
            if size > mss.saturating_mul(2) {
                refuse(847, Why::SendSize { size, mss })
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

/// The code the emulator answers a `+WIPFILE` of an MMS session that
/// names another file than the next one declared (850, "invalid channel
/// option or parameter value"; the manual gives none: erratum E60).
pub const MMS_FILE_NOT_NEXT: u32 = 850;

/// Whether the identifiers a `+WIPFILE` of an MMS session gives
/// (`<filename>`, `<content-id>`) name the file declared with them
/// (`WIP_MMS_ADD_FILE`'s file name and content-id): 6.1.5, "the identifier
/// matching the identifier specified in WIPOPT", the files sent "in the
/// order" declared. Each identifier given (not empty) must be the
/// declared one; giving none names no other file.
pub fn names_declared_file(
    declared: (Option<&str>, Option<&str>),
    given: (Option<&str>, Option<&str>),
) -> bool {
    fn same(d: Option<&str>, g: Option<&str>) -> bool {
        let d = d.filter(|s| !s.is_empty());
        g.filter(|s| !s.is_empty()).is_none_or(|g| d == Some(g))
    }
    same(declared.0, given.0) && same(declared.1, given.1)
}

/// The name of a protocol (3.1.1), from the dialect's `protocol` set.
pub fn protocol_name(d: &Dialect, proto: u8) -> String {
    d.value_sets
        .iter()
        .find(|s| s.id == "protocol")
        .and_then(|s| s.values.iter().find(|(v, _)| *v == i64::from(proto)))
        .map_or_else(|| format!("protocol {proto}"), |(_, n)| n.to_string())
}

/// "socket TCP client 3", "FTP session 1", "TCP server 2".
pub fn key_name(d: &Dialect, key: Key) -> String {
    let proto = protocol_name(d, key.0);
    if is_session(key.0) {
        format!("{proto} session {}", key.1)
    } else if key.0 == SERVER {
        format!("{proto} {}", key.1)
    } else {
        format!("socket {proto} {}", key.1)
    }
}

/// The name of a bearer (4.2.3), from the dialect's `bearer` set.
pub fn bearer_name(d: &Dialect, bid: i64) -> String {
    d.value_sets
        .iter()
        .find(|s| s.id == "bearer")
        .and_then(|s| s.values.iter().find(|(v, _)| *v == bid))
        .map_or_else(|| format!("{bid}"), |(_, n)| n.to_string())
}

/// A bearer id from its number or its name in the dialect (`6`, `GPRS`);
/// `None` for a word that is neither, and for a number that the dialect's
/// `bearer` set does not list (3 of WIPsoft, N/A in 4.2.3). A dialect
/// without a `bearer` set takes any number.
pub fn bearer_id(d: &Dialect, word: &str) -> Option<i64> {
    let set = d.value_sets.iter().find(|s| s.id == "bearer");
    match (word.parse::<i64>(), set) {
        (Ok(n), Some(set)) => set.values.iter().any(|(v, _)| *v == n).then_some(n),
        (Ok(n), None) => Some(n),
        (Err(_), set) => set?
            .values
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(word))
            .map(|(v, _)| *v),
    }
}

/// A value of a message field, as an index.
pub fn field_u8(v: Option<&Option<Val>>) -> Option<u8> {
    field_int(v).and_then(|v| u8::try_from(v).ok())
}

/// A value of a message field, as an integer.
pub fn field_int(v: Option<&Option<Val>>) -> Option<i64> {
    v.cloned().flatten().and_then(|v| v.as_int())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Knows nothing.
    struct Unknown;

    impl View for Unknown {
        fn stack(&self) -> Option<bool> {
            None
        }
        fn bearer(&self, _: i64) -> Option<BearerState> {
            None
        }
        fn any_bearer_started(&self) -> Option<bool> {
            None
        }
        fn socket(&self, _: Key) -> Option<SockState> {
            None
        }
        fn reserved_by(&self, _: u8) -> Option<Option<u8>> {
            None
        }
        fn any_session(&self) -> Option<bool> {
            None
        }
        fn offline(&self, _: u8) -> Option<bool> {
            None
        }
        fn tcp_min_mss(&self) -> Option<i64> {
            None
        }
    }

    /// A started stack with GPRS started, UDP socket 1 and TCP client 5
    /// ready and `WIP_NET_OPT_TCP_MIN_MSS` at 600, nothing else.
    struct Known;

    impl View for Known {
        fn stack(&self) -> Option<bool> {
            Some(true)
        }
        fn bearer(&self, bid: i64) -> Option<BearerState> {
            Some(if bid == 6 {
                BearerState::Started
            } else {
                BearerState::Closed
            })
        }
        fn any_bearer_started(&self) -> Option<bool> {
            Some(true)
        }
        fn socket(&self, key: Key) -> Option<SockState> {
            Some(if key == (UDP, 1) || key == (TCP, 5) {
                SockState::Ready {
                    mapped: false,
                    offline: false,
                }
            } else {
                SockState::Absent
            })
        }
        fn reserved_by(&self, _: u8) -> Option<Option<u8>> {
            Some(None)
        }
        fn any_session(&self) -> Option<bool> {
            Some(false)
        }
        fn offline(&self, _: u8) -> Option<bool> {
            Some(false)
        }
        fn tcp_min_mss(&self) -> Option<i64> {
            Some(600)
        }
    }

    fn requests() -> Vec<Request> {
        let mut v = vec![
            Request::StackStart,
            Request::StackStop,
            Request::StackConfigure { option: None },
            Request::StackStorage { store: true },
            Request::StackStorage { store: false },
            Request::Stored { bid: 6 },
            Request::Ping {
                reports: 1,
                timeout: None,
                interval: None,
            },
            Request::Free,
            Request::DataRw {
                idx: 1,
                command: Some(1),
                bytes: 2,
            },
            Request::CreateServer {
                idx: 1,
                from: 1,
                to: 4,
            },
        ];
        for cmd in 0..=6 {
            v.push(Request::Bearer { bid: 6, cmd });
            v.push(Request::Bearer { bid: 5, cmd });
        }
        for key in [(UDP, 1), (TCP, 1), (SERVER, 1), (4, 1), (8, 2)] {
            v.push(Request::Create(key));
            v.push(Request::CreateSession(key));
            v.push(Request::Close(key));
            v.push(Request::Opt(key));
            v.push(Request::File { key, mode: Some(1) });
            v.push(Request::File { key, mode: Some(6) });
            for mode in 0..=3 {
                for send_size in [None, Some(1460)] {
                    v.push(Request::Data {
                        key,
                        mode,
                        send_size,
                    });
                }
            }
        }
        v
    }

    /// [`Known`], with 3 UDP sockets, `WIP_NET_OPT_SOCK_MAX` at 3 (9.14),
    /// a buffer size of 300 bytes and 200 bytes buffered on index 1.
    struct Full;

    impl View for Full {
        fn stack(&self) -> Option<bool> {
            Known.stack()
        }
        fn bearer(&self, bid: i64) -> Option<BearerState> {
            Known.bearer(bid)
        }
        fn any_bearer_started(&self) -> Option<bool> {
            Known.any_bearer_started()
        }
        fn socket(&self, key: Key) -> Option<SockState> {
            Known.socket(key)
        }
        fn reserved_by(&self, idx: u8) -> Option<Option<u8>> {
            Known.reserved_by(idx)
        }
        fn any_session(&self) -> Option<bool> {
            Known.any_session()
        }
        fn offline(&self, idx: u8) -> Option<bool> {
            Some(idx == 1)
        }
        fn tcp_min_mss(&self) -> Option<i64> {
            Known.tcp_min_mss()
        }
        fn stack_option(&self, id: i64) -> Option<i64> {
            match id {
                OPT_SOCK_MAX => Some(3),
                OPT_OFFLINE_BUFFER => Some(300),
                _ => None,
            }
        }
        fn udp_sockets(&self) -> Option<usize> {
            Some(3)
        }
        fn offline_buffered(&self, idx: u8) -> Option<usize> {
            (idx == 1).then_some(200)
        }
    }

    /// 9.14: with WIP_NET_OPT_SOCK_MAX at 3 a fourth UDP socket gets 838
    /// (a TCP client does not count); 6.3.5: the buffer of option 15 full
    /// gets 853, data that fits it does not.
    #[test]
    fn sock_max_and_the_offline_buffer_refuse_past_their_values() {
        let create = |key| check(&Full, &Request::Create(key)).map_err(|r| r.code);
        assert_eq!(create((UDP, 4)), Err(838));
        assert_eq!(create((UDP, 1)), Err(840), "in use comes first");
        assert_eq!(create((TCP, 2)), Ok(()));
        let rw = |command, bytes| {
            check(
                &Full,
                &Request::DataRw {
                    idx: 1,
                    command: Some(command),
                    bytes,
                },
            )
            .map_err(|r| r.code)
        };
        assert_eq!(rw(2, 100), Ok(()));
        assert_eq!(rw(2, 101), Err(853));
        assert_eq!(rw(1, 101), Err(853));
        assert_eq!(rw(0, 0), Ok(()));
        // Unknown state refuses nothing.
        assert_eq!(check(&Known, &Request::Create((UDP, 4))), Ok(()));
    }

    #[test]
    fn a_ping_sends_one_report_per_request() {
        assert_eq!(ping_reports(None), 1);
        assert_eq!(ping_reports(Some(3)), 3);
        assert_eq!(ping_reports(Some(65535)), 65535);
        assert_eq!(ping_reports(Some(-1)), 1);
    }

    #[test]
    fn state_not_known_refuses_nothing() {
        for r in requests() {
            assert_eq!(check(&Unknown, &r), Ok(()), "{r:?}");
        }
    }

    #[test]
    fn known_state_refuses_with_the_emulators_codes() {
        let code = |r: Request| check(&Known, &r).err().map(|e| e.code);
        assert_eq!(code(Request::StackStart), Some(844));
        assert_eq!(code(Request::StackStop), None);
        assert_eq!(code(Request::Bearer { bid: 6, cmd: 1 }), Some(804));
        assert_eq!(code(Request::Bearer { bid: 5, cmd: 4 }), Some(803));
        assert_eq!(code(Request::Create((UDP, 1))), Some(840));
        assert_eq!(code(Request::Create((TCP, 1))), None);
        assert_eq!(code(Request::Close((4, 1))), Some(831));
        assert_eq!(code(Request::Close((TCP, 1))), None, "5.2.7: OK either way");
        assert_eq!(code(Request::Close((MMS, 1))), None, "9.9, erratum E12");
        assert_eq!(code(Request::Opt((TCP, 2))), Some(830));
        assert_eq!(
            code(Request::Data {
                key: (UDP, 1),
                mode: 0,
                send_size: None,
            }),
            Some(831)
        );
        assert_eq!(
            code(Request::Data {
                key: (UDP, 1),
                mode: 1,
                send_size: None,
            }),
            None
        );
        // 6.2.11.4: TCP_MIN_MSS is 600 in this view, so 1200 passes and
        // 1201 is refused; UDP and the data offline mode are not concerned.
        let data = |key, mode, size| Request::Data {
            key,
            mode,
            send_size: Some(size),
        };
        assert_eq!(code(data((TCP, 5), 1, 1200)), None);
        assert_eq!(code(data((TCP, 5), 1, 1201)), Some(847));
        assert_eq!(code(data((TCP, 5), 2, 1460)), Some(847));
        assert_eq!(code(data((TCP, 5), 3, 1460)), None);
        assert_eq!(code(data((UDP, 1), 1, 1460)), None);
        assert_eq!(
            code(Request::DataRw {
                idx: 1,
                command: Some(0),
                bytes: 0
            }),
            Some(831)
        );
        assert_eq!(
            code(Request::File {
                key: (4, 1),
                mode: Some(1)
            }),
            Some(831)
        );
        assert_eq!(
            code(Request::Ping {
                reports: 2,
                timeout: Some(1000),
                interval: Some(2000),
            }),
            None
        );
    }
}
