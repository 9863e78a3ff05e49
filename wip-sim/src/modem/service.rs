//! Service sessions (5.1.2 modes 4 to 8) and their file transfers
//! (+WIPFILE, 6.1). The driver speaks the protocols; the core keeps the
//! session's settings and options (5.3), maps a transfer on the UART in
//! data mode as a socket is mapped (a transfer is a socket of the
//! session's protocol and index while it runs), and reports its end.

use std::collections::BTreeMap;
use std::time::Instant;

use wip_schema::{ParsedCommand, Val};

use super::errors::Fin;
use super::mms::MmsMessage;
use super::sockets::{Key, Socket, State};
use super::uart::Mode;
use super::xfer::{Xfer, MAX_GATHERED};
use super::{Action, Modem, UartId};
use crate::names::{self, bound};
use crate::net::{
    FileOutcome, FileReq, FtpOp, FtpReq, FtpSession, HttpMethod, HttpReq, MailSession, NetCmd,
    NetEvent, Peer, Pop3Req, SmtpReq, SockId,
};

/// Protocol numbers of sessions (5.1.2).
pub(super) const FTP: u8 = 4;
/// HTTP.
pub(super) const HTTP: u8 = 5;
/// SMTP.
pub(super) const SMTP: u8 = 6;
/// POP3.
pub(super) const POP3: u8 = 7;
/// MMS.
pub(super) const MMS: u8 = 8;

/// Whether a key is that of a session's transfer.
pub(super) fn is_file(key: Key) -> bool {
    key.0 >= FTP
}

/// FTP_TYPE and FTP_MODE (5.3.7.2).
const FTP_TYPE: i64 = 40;
const FTP_MODE: i64 = 41;
/// WIP_COPT_HTTP_VERSION, WIP_COPT_HTTP_MAXREDIRECT.
const HTTP_VERSION: i64 = 52;
const HTTP_MAXREDIRECT: i64 = 53;

/// A session.
#[derive(Debug)]
pub(super) struct Service {
    pub id: SockId,
    pub owner: UartId,
    pub state: State,
    /// Options of 5.3 by number, from the spec's defaults.
    pub opts: BTreeMap<i64, Val>,
    pub proxy: Option<Peer>,
    pub auth: Option<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// The transfer running.
    pub xfer: Option<SockId>,
    /// A POP3 mailbox: mails, total size, each mail's id and size.
    pub mailbox: (u64, u64, Vec<(u64, u64)>),
    /// Whether the server answered STAT and LIST for it: a read of what
    /// it refused is a list error (864, 5.3.5).
    pub mailbox_known: (bool, bool),
    /// The last status of a mail server (options 60 and 70).
    pub status: (i64, String),
    /// An MMS session's message, and its MMSC URL.
    pub mms: MmsMessage,
    pub mms_url: String,
    /// The MMS being posted (WIP_MMS_DONE), by its driver id.
    pub posting: Option<SockId>,
}

fn pairs(vals: &[Val]) -> Vec<(String, String)> {
    vals.chunks(2)
        .filter_map(|c| match c {
            [a, b] => Some((a.as_str()?.to_string(), b.as_str()?.to_string())),
            _ => None,
        })
        .collect()
}

impl Modem {
    /// The defaults of a session's option table.
    pub(super) fn service_defaults(&self, proto: u8) -> BTreeMap<i64, Val> {
        let mut m = BTreeMap::new();
        let Some(table) = self.session_table(proto) else {
            return m;
        };
        if let Some(t) = self.d.tables.get(table) {
            for o in t.options.iter() {
                if let Some(v) = o.values.first().and_then(|p| p.default.as_ref()) {
                    m.insert(o.id, Val::from(v));
                }
            }
        }
        m
    }

    pub(super) fn session_table(&self, proto: u8) -> Option<usize> {
        let id = match proto {
            FTP => "ftp",
            HTTP => "http",
            6 => "smtp",
            7 => "pop3",
            8 => "mms",
            _ => return None,
        };
        self.d.tables.iter().position(|t| t.id == id)
    }

    /// +WIPCREATE of a session; `None` when the answer waits for the
    /// network.
    pub(super) fn create_service(
        &mut self,
        u: UartId,
        form: &wip_schema::Form,
        b: &wip_schema::Bound,
    ) -> Option<Option<Fin>> {
        Some(self.create_service_inner(u, form, b))
    }

    pub(super) fn create_service_inner(
        &mut self,
        u: UartId,
        form: &wip_schema::Form,
        b: &wip_schema::Bound,
    ) -> Option<Fin> {
        let proto = names::int(form, b, "mode")? as u8;
        if !matches!(proto, FTP | HTTP | SMTP | POP3 | MMS) {
            return Some(Fin::Cme(834));
        }
        let idx = names::int(form, b, "index")? as u8;
        let proxy = names::string(form, b, "server").map(|host| Peer {
            host,
            port: names::int(form, b, "peer port")
                .and_then(|p| u16::try_from(p).ok())
                .unwrap_or(80),
        });
        let auth = names::string(form, b, "username").zip(names::string(form, b, "password"));
        let id = self.new_id();
        let svc = Service {
            id,
            owner: u,
            state: State::Opening,
            opts: self.service_defaults(proto),
            proxy: proxy.clone(),
            auth,
            headers: pairs(&b.rest),
            xfer: None,
            mailbox: (0, 0, Vec::new()),
            mailbox_known: (true, true),
            status: (0, String::new()),
            mms: MmsMessage {
                priority: 1,
                ..MmsMessage::default()
            },
            mms_url: names::string(form, b, "url").unwrap_or_default(),
            posting: None,
        };
        self.services.insert((proto, idx), svc);
        if proto == FTP {
            let session = FtpSession {
                server: Peer {
                    host: names::string(form, b, "server")?,
                    port: names::int(form, b, "peer port")
                        .and_then(|p| u16::try_from(p).ok())
                        .unwrap_or(21),
                },
                user: names::string(form, b, "username")?,
                password: names::string(form, b, "password")?,
                account: names::string(form, b, "account"),
            };
            if let Some(uart) = self.uarts.get_mut(&u) {
                uart.mode = Mode::Busy;
            }
            self.out.push(Action::Net(NetCmd::OpenFtp { id, session }));
            return None;
        }
        if proto == SMTP || proto == POP3 {
            let session = MailSession {
                server: Peer {
                    host: names::string(form, b, "server")?,
                    port: names::int(form, b, "peer port")
                        .and_then(|p| u16::try_from(p).ok())
                        .unwrap_or(if proto == SMTP { 25 } else { 110 }),
                },
                auth: names::string(form, b, "username").zip(names::string(form, b, "password")),
                pop3: proto == POP3,
            };
            if let Some(uart) = self.uarts.get_mut(&u) {
                uart.mode = Mode::Busy;
            }
            self.out.push(Action::Net(NetCmd::OpenMail { id, session }));
            return None;
        }
        match proxy {
            // The proxy must be reachable (and allowed).
            Some(peer) => {
                if let Some(uart) = self.uarts.get_mut(&u) {
                    uart.mode = Mode::Busy;
                }
                self.out.push(Action::Net(NetCmd::Probe { id, peer }));
                None
            }
            None => {
                self.service_opened((proto, idx));
                Some(Fin::Ok)
            }
        }
    }

    pub(super) fn service_opened(&mut self, key: Key) {
        let Some(s) = self.services.get_mut(&key) else {
            return;
        };
        s.state = State::Open;
        let u = s.owner;
        if key.0 == FTP || key.0 == MMS {
            // An FTP session answers OK alone (6.1.8, 9.4); so does an MMS
            // session in 9.9 (erratum E31).
            return;
        }
        let text = self.fmt(
            self.n.msg.ready,
            &bound(
                vec![Val::Int(i64::from(key.0)), Val::Int(i64::from(key.1))],
                None,
            ),
        );
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.urcs.push_front((text, None));
        }
    }

    /// +WIPCLOSE of a session. Whether the close of one that is not active
    /// is refused (831 for FTP, HTTP, SMTP and POP3, 5.2.7; OK for MMS,
    /// erratum E12) is decided before, by `state::check`: here it is OK.
    pub(super) fn close_service(&mut self, key: Key, t: Instant) -> Fin {
        self.end_service(key, t, true)
    }

    /// Ends session `key`; `tell`: with the `+WIPPEERCLOSE` that 5.2.7
    /// gives an FTP session closed by `+WIPCLOSE` (a stack stop, which the
    /// manual gives no URC, ends it silently, as it ends sockets).
    fn end_service(&mut self, key: Key, t: Instant, tell: bool) -> Fin {
        let Some(s) = self.services.remove(&key) else {
            return Fin::Ok;
        };
        if let Some(x) = s.xfer {
            self.abort_xfer(x, t);
        }
        // A deletion still waiting for the server (another UART closes the
        // session) is not answered by it now: 863.
        self.pop3_deleted(s.id, false, t);
        self.out.push(Action::Net(NetCmd::Close { id: s.id }));
        if key.0 == FTP && tell && self.uarts.contains_key(&s.owner) {
            // 5.2.7: +WIPPEERCLOSE once the FTP session is closed: after
            // the OK on the UART that closed it, at once on another idle
            // one (the owner's next command would show it after its own
            // answer, as if a new session had closed).
            let text = self.fmt(
                self.n.msg.peer_close,
                &bound(
                    vec![Val::Int(i64::from(key.0)), Val::Int(i64::from(key.1))],
                    None,
                ),
            );
            self.urc(s.owner, text);
        }
        Fin::Ok
    }

    /// Every session ends (stack stop), without URCs.
    pub(super) fn close_services(&mut self, t: Instant) {
        let keys: Vec<Key> = self.services.keys().copied().collect();
        for k in keys {
            let _ = self.end_service(k, t, false);
        }
    }

    /// Ends a transfer whose session is closed: a UART in its data mode
    /// is back in AT mode with OK, as for a socket closed (5.2); one still
    /// waiting for the transfer to start gets 831.
    pub(super) fn abort_xfer(&mut self, x: SockId, t: Instant) {
        let Some(xf) = self.xfers.remove(&x) else {
            return;
        };
        if let Some(m) = self.socks.get(xf.key).and_then(|s| s.mapped) {
            // A continuous-mode download ends with [ETX] ("the end of the
            // file is marked by [ETX] character", 6.1.5), also when
            // another UART's +WIPCLOSE cuts it: the host then knows the
            // final result code is no file data.
            if !xf.upload && !xf.transparent && !xf.offline {
                self.modem_data(m, vec![wip_runtime::escape::ETX]);
            }
            self.leave_data(m, t, Some(Fin::Ok));
        }
        self.socks.remove(xf.key);
        self.out.push(Action::Net(NetCmd::Close { id: x }));
        let waiting = self
            .uarts
            .get(&xf.uart)
            .is_some_and(|uart| matches!(uart.mode, Mode::Busy));
        if waiting && !xf.detached {
            self.unbusy(xf.uart);
            self.finish(xf.uart, Fin::Cme(831), t);
            self.process(xf.uart, t);
        }
    }

    /// +WIPOPT of a session (5.3.7.2 to 5.3.7.6).
    pub(super) fn service_opt(
        &mut self,
        u: UartId,
        p: &ParsedCommand,
        form: &wip_schema::Form,
        key: Key,
    ) -> Fin {
        let b = &p.values;
        let Some(o) = &b.option else {
            return Fin::Cme(800);
        };
        let Some(opt) = names::option(&self.d, o.table, o.option).cloned() else {
            return Fin::Cme(800);
        };
        let Some(s) = self.services.get(&key).filter(|s| s.state == State::Open) else {
            return Fin::Cme(830);
        };
        let head = vec![Val::Int(i64::from(key.0)), Val::Int(opt.id)];
        if form.name == "Get" {
            // An option the spec says is not implemented (5.3.7.3: option
            // 54) answers its error.
            if let Some(code) = opt.read_error {
                return Fin::Cme(code);
            }
            let mail = |v: u64| Val::Int(i64::try_from(v).unwrap_or(i64::MAX));
            match (key.0, opt.id) {
                (POP3, 71 | 72) if !s.mailbox_known.0 => return Fin::Cme(864),
                (POP3, 73) if !s.mailbox_known.1 => return Fin::Cme(864),
                _ => {}
            }
            let values: Vec<Vec<Val>> = match (key.0, opt.id) {
                (SMTP, 60) | (POP3, 70) => {
                    vec![vec![Val::Int(s.status.0), Val::Str(s.status.1.clone())]]
                }
                (POP3, 71) => vec![vec![mail(s.mailbox.0)]],
                (POP3, 72) => vec![vec![mail(s.mailbox.1)]],
                (POP3, 73) => s
                    .mailbox
                    .2
                    .iter()
                    .map(|(n, size)| vec![Val::Str(format!("{n},{size}"))])
                    .collect(),
                // 5.3.7.6.4.2: a read of a phone or mail option gives the
                // whole list of its kind, phone entries with /TYPE=PLMN.
                (MMS, 81..=86) => {
                    let list = match opt.id {
                        81 | 82 => &s.mms.to,
                        83 | 84 => &s.mms.cc,
                        _ => &s.mms.bcc,
                    };
                    vec![vec![Val::Str(list.join(";"))]]
                }
                (MMS, 92) if s.mms.related.is_some() => {
                    let (ty, start) = s.mms.related.clone().unwrap_or_default();
                    vec![vec![Val::Int(1), Val::Str(ty), Val::Str(start)]]
                }
                _ => vec![vec![s
                    .opts
                    .get(&opt.id)
                    .cloned()
                    .unwrap_or_else(|| unset_value(&opt))]],
            };
            for v in values {
                let mb = wip_schema::Bound {
                    params: head.iter().cloned().map(Some).collect(),
                    rest: Vec::new(),
                    option: Some(wip_schema::BoundOption {
                        table: o.table,
                        option: o.option,
                        values: v.into_iter().map(Some).collect(),
                        rest: Vec::new(),
                    }),
                };
                let text = self.fmt(self.n.msg.opt_value, &mb);
                self.line(u, &text);
            }
            return Fin::Ok;
        }
        if key.0 == MMS {
            return self.mms_opt(u, key, o);
        }
        if (key.0, opt.id) == (POP3, 74) {
            // 5.3.6: the deletion is echoed (erratum E07).
            let id = s.id;
            let Some(v) = names::option_value(&self.d, o) else {
                return Fin::Cme(801);
            };
            let mail = v.as_int().and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
            // The answer waits for the server's (`pop3_deleted`): the
            // echo and OK once the mail is deleted, 863 (protocol delete
            // error, 5.3.5) when the server refuses.
            self.out.push(Action::Net(NetCmd::Pop3Delete { id, mail }));
            let mb = bound(head, Some((o.table, o.option, v)));
            let text = self.fmt(self.n.msg.opt_value, &mb);
            self.deleting.insert(id, (u, text));
            if let Some(uart) = self.uarts.get_mut(&u) {
                uart.mode = Mode::Busy;
            }
            return Fin::Ok;
        }
        let Some(v) = names::option_value(&self.d, o) else {
            return Fin::Cme(801);
        };
        if let Some(s) = self.services.get_mut(&key) {
            s.opts.insert(opt.id, v);
        }
        Fin::Ok
    }

    pub(super) fn opt_int(&self, key: Key, id: i64) -> Option<i64> {
        self.services.get(&key)?.opts.get(&id)?.as_int()
    }

    /// +WIPFILE (6.1); `None` when the answer waits for the network.
    pub(super) fn wipfile(&mut self, u: UartId, p: &ParsedCommand, t: Instant) -> Option<Fin> {
        let Some(form) = self
            .d
            .commands
            .get(p.command)
            .and_then(|c| c.forms.get(p.form))
            .cloned()
        else {
            return Some(Fin::Error);
        };
        if form.name == "Read" {
            // 6.1.4: the read command answers OK.
            return Some(Fin::Ok);
        }
        self.wipfile_inner(u, p, &form, t)
            .unwrap_or(Some(Fin::Cme(801)))
    }

    pub(super) fn wipfile_inner(
        &mut self,
        u: UartId,
        p: &ParsedCommand,
        form: &wip_schema::Form,
        t: Instant,
    ) -> Option<Option<Fin>> {
        let form = form.clone();
        let b = &p.values;
        let proto = names::int(&form, b, "protocol")? as u8;
        let idx = names::int(&form, b, "index")? as u8;
        let mode = names::int(&form, b, "mode")?;
        let key = (proto, idx);
        let Some(s) = self.services.get(&key).filter(|s| s.state == State::Open) else {
            return Some(Some(Fin::Cme(831)));
        };
        if s.xfer.is_some() || self.socks.get(key).is_some() {
            return Some(Some(Fin::Cme(831)));
        }
        let (req, upload, offline) = match proto {
            HTTP => {
                let method = match mode {
                    1 | 7 => HttpMethod::Get,
                    2 => HttpMethod::Put,
                    3 => HttpMethod::Delete,
                    _ => HttpMethod::Post,
                };
                let mut headers = s.headers.clone();
                headers.extend(pairs(&b.rest));
                let req = HttpReq {
                    method,
                    url: names::string(&form, b, "filename")?,
                    proxy: s.proxy.clone(),
                    proxy_auth: s.auth.clone(),
                    auth: names::string(&form, b, "username")
                        .zip(names::string(&form, b, "password")),
                    headers,
                    http11: self.opt_int(key, HTTP_VERSION).unwrap_or(1) == 1,
                    max_redirect: self
                        .opt_int(key, HTTP_MAXREDIRECT)
                        .and_then(|v| u32::try_from(v).ok())
                        .unwrap_or(8),
                };
                (FileReq::Http(req), method.uploads(), mode == 7)
            }
            FTP => {
                let op = match mode {
                    1 | 7 => FtpOp::Get,
                    5 | 9 => FtpOp::Append,
                    _ => FtpOp::Put,
                };
                let req = FtpReq {
                    session: s.id,
                    op,
                    path: names::string(&form, b, "filename")?,
                    binary: self.opt_int(key, FTP_TYPE) == Some(1),
                    passive: self.opt_int(key, FTP_MODE) != Some(0),
                };
                (FileReq::Ftp(req), op != FtpOp::Get, mode >= 6)
            }
            SMTP => {
                let text = |id: i64| {
                    s.opts
                        .get(&id)
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                };
                let req = SmtpReq {
                    session: s.id,
                    sender: text(61),
                    sender_name: text(62),
                    to: text(63),
                    cc: text(64),
                    bcc: text(65),
                    subject: text(66),
                    format_header: self.opt_int(key, 67) != Some(0),
                };
                (FileReq::Smtp(req), true, mode == 6)
            }
            POP3 => {
                let req = Pop3Req {
                    session: s.id,
                    mail: names::string(&form, b, "filename")?,
                    delete: mode == 3 || mode == 8,
                };
                (FileReq::Pop3(req), false, mode >= 7)
            }
            MMS => {
                let given = (
                    names::string(&form, b, "filename"),
                    names::string(&form, b, "content-id"),
                );
                return Some(self.mms_file(u, key, given, t));
            }
            _ => return Some(Some(Fin::Cme(834))),
        };
        let transparent = names::int(&form, b, "dle_mode") == Some(1);
        let id = self.new_id();
        let opts = self.default_opts();
        let mut sock = Socket::new(id, u, opts);
        sock.state = State::Opening;
        self.socks.insert(key, sock);
        self.xfers.insert(
            id,
            Xfer {
                key,
                uart: u,
                mode,
                offline,
                upload,
                transparent,
                detached: false,
                outcome: None,
                gathered: Vec::new(),
                opened: false,
            },
        );
        if let Some(s) = self.services.get_mut(&key) {
            s.xfer = Some(id);
        }
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.mode = Mode::Busy;
        }
        self.out.push(Action::Net(NetCmd::File { id, req }));
        Some(None)
    }

    /// The session whose connection is `id`.
    fn service_of(&self, id: SockId) -> Option<Key> {
        self.services
            .iter()
            .find(|(_, s)| s.id == id)
            .map(|(k, _)| *k)
    }

    /// Events of sessions and transfers; the others are given back.
    pub(super) fn service_event(&mut self, ev: NetEvent, t: Instant) -> Option<NetEvent> {
        match ev {
            NetEvent::Opened { id, .. } | NetEvent::Failed { id, .. }
                if self.service_of(id).is_some() =>
            {
                let key = self.service_of(id)?;
                let u = self.services.get(&key)?.owner;
                if let Some(uart) = self.uarts.get_mut(&u) {
                    if matches!(uart.mode, Mode::Busy) {
                        uart.mode = Mode::At;
                    }
                }
                match ev {
                    NetEvent::Failed { error, .. } => {
                        self.services.remove(&key);
                        self.finish(u, Fin::Cme(error.code()), t);
                    }
                    _ => {
                        self.service_opened(key);
                        self.finish(u, Fin::Ok, t);
                    }
                }
                self.process(u, t);
                None
            }
            // The server ended a session (an FTP server's close while
            // idle): it is gone, and its owner told as after +WIPCLOSE
            // (5.2.7); a new session may be created.
            NetEvent::Eof { id } | NetEvent::Reset { id } if self.service_of(id).is_some() => {
                let key = self.service_of(id)?;
                let _ = self.end_service(key, t, true);
                None
            }
            NetEvent::Mailbox {
                id,
                count,
                size,
                listing,
                stat_ok,
                list_ok,
            } => {
                if let Some(s) = self.services.values_mut().find(|s| s.id == id) {
                    s.mailbox = (count, size, listing);
                    s.mailbox_known = (stat_ok, list_ok);
                }
                None
            }
            NetEvent::Status { id, code, text } => {
                if let Some(s) = self.services.values_mut().find(|s| s.id == id) {
                    s.status = (i64::from(code), text);
                }
                None
            }
            NetEvent::FileReady { id } => {
                self.file_ready(id, t);
                None
            }
            NetEvent::Deleted { id, ok } => {
                self.pop3_deleted(id, ok, t);
                None
            }
            NetEvent::FileDone { id, outcome }
                if self.services.values().any(|s| s.posting == Some(id)) =>
            {
                self.mms_posted(id, &outcome, t);
                None
            }
            NetEvent::FileDone { id, outcome } => {
                self.file_done(id, outcome, t);
                None
            }
            NetEvent::Data { id, data } if self.xfers.get(&id).is_some_and(|x| x.offline) => {
                let n = data.len();
                if let Some(x) = self.xfers.get_mut(&id) {
                    if x.gathered.len() + n <= MAX_GATHERED {
                        x.gathered.extend_from_slice(&data);
                    } else {
                        x.outcome = Some(FileOutcome::Error(836));
                    }
                }
                self.out.push(Action::Net(NetCmd::Consumed { id, n }));
                None
            }
            ev => Some(ev),
        }
    }
}

impl Modem {
    /// The server answered a POP3 deletion (option 74): the UART that
    /// asked gets the echo and OK (5.3.6, erratum E07), or 863 (5.3.5).
    fn pop3_deleted(&mut self, id: SockId, ok: bool, t: Instant) {
        let Some((u, echo)) = self.deleting.remove(&id) else {
            return;
        };
        let waiting = self
            .uarts
            .get(&u)
            .is_some_and(|x| matches!(x.mode, Mode::Busy));
        if !waiting {
            // The UART was answered another way meanwhile (the stack
            // stopped).
            return;
        }
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.mode = Mode::At;
        }
        if ok {
            self.line(u, &echo);
            self.finish(u, Fin::Ok, t);
        } else {
            self.finish(u, Fin::Cme(863), t);
        }
        self.process(u, t);
    }
}

/// What a read of an option no value was written to gives: an empty
/// string for an option of text, 0 for a number (its read value's type,
/// 5.3.7).
fn unset_value(opt: &wip_schema::Opt) -> Val {
    let first = opt.read.first().or_else(|| opt.values.first());
    match first.map(|p| &p.ty) {
        Some(wip_schema::Ty::Int { .. } | wip_schema::Ty::Enum { .. }) | None => Val::Int(0),
        Some(_) => Val::Str(String::new()),
    }
}
