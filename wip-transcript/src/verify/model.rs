//! The modem's state as far as a transcript shows it, with the line that
//! established each fact, for messages such as "socket TCP client 3 was
//! closed at line 41". What the transcript has not shown is unknown: the
//! [`View`] answers `None` and [`crate::state::check`] lets it through.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use wip_schema::{Access, Dialect, ParsedCommand, ParsedMessage, Val};

use crate::state::{self, BearerState, Key, Request, SockState, View, Why, MMS, SERVER, TCP, UDP};

/// A fact and where it was established.
#[derive(Debug, Clone)]
struct Fact<T> {
    value: T,
    line: usize,
    /// What happened at that line, as a past participle ("closed",
    /// "assumed closed").
    how: &'static str,
}

impl<T> Fact<T> {
    /// Where it was established, for people: ` (it was closed at line 12)`.
    fn told(&self) -> String {
        format!(" (it was {} at line {})", self.how, self.line)
    }
}

fn fact<T>(value: T, line: usize, how: &'static str) -> Fact<T> {
    Fact { value, line, how }
}

/// The files of an MMS session created in the transcript.
#[derive(Debug, Clone, Default)]
struct MmsFiles {
    /// Each file declared (WIP_MMS_ADD_FILE or WIP_MMS_ADD_FILE_ANY): its
    /// size (`<optval2>`; `None` when not an integer) and the line of the
    /// `OK` that answered its write.
    sizes: Vec<(Option<i64>, usize)>,
    /// The file name and content-id of each (`<optval3>`, `<optval4>`).
    ids: Vec<(Option<String>, Option<String>)>,
    /// The line of the `CONNECT` of each `+WIPFILE` that sent one, in
    /// order: the n-th sent the n-th declared (6.1.5).
    sent: Vec<usize>,
}

/// Option values by (table, option) index, each with where it was
/// established.
type OptionValues = BTreeMap<(usize, usize), Fact<Vec<Val>>>;

/// What the flash holds of the stack's configuration (4.1.4: "Only one
/// IP stack configuration set can be saved into the FLASH memory").
#[derive(Debug, Clone, Default)]
enum Flash {
    /// Not shown: a configuration stored before the transcript may be
    /// there (it outlives a power-on).
    #[default]
    Unknown,
    /// Freed at this line (`AT+WIPCFG=4,0`): a start applies the defaults.
    Free(usize),
    /// Stored (`AT+WIPCFG=4,1`): the values of the configuration then
    /// known, by option id, each with the line of the store.
    Stored(BTreeMap<i64, Fact<i64>>),
}

/// What the flash holds of one bearer's configuration (4.2.4).
#[derive(Debug, Clone)]
enum BearerFlash {
    /// Stored: the option values known then, by (table, option).
    Stored(OptionValues),
    /// Freed at this line: opening the bearer applies its defaults.
    Free(usize),
}

/// The defaults of the IP stack's options (the spec's `stack` option
/// table), by option id: what a start applies with no stored
/// configuration (4.1.4).
fn stack_defaults(d: &Dialect) -> Vec<(i64, i64)> {
    table(d, "stack")
        .map(|(_, t)| {
            t.options
                .iter()
                .filter_map(|o| Some((o.id, int_default(o)?)))
                .collect()
        })
        .unwrap_or_default()
}

/// The option table `id` of the spec, with its index.
fn table<'d>(d: &'d Dialect, id: &str) -> Option<(usize, &'d wip_schema::OptionTable)> {
    d.tables
        .iter()
        .enumerate()
        .find(|(_, t)| t.id.as_ref() == id)
}

/// The integer default of an option's (first) value, if it has one.
fn int_default(o: &wip_schema::Opt) -> Option<i64> {
    match o.values.first()?.default.as_ref()? {
        wip_schema::Lit::Int(v) => Some(*v),
        _ => None,
    }
}

/// The state a transcript established.
#[derive(Debug, Default)]
pub(super) struct Model {
    /// The stack configuration in the flash; kept when the stack stops
    /// or starts, and at a power-on.
    flash: Flash,
    /// What the flash holds of each bearer's configuration (4.2.4):
    /// stored (`AT+WIPBR=6,<bid>,1`) with the option values known then,
    /// or freed (`AT+WIPBR=6,<bid>,0`); opening the bearer applies it. No
    /// entry: not known. Kept as `flash` is.
    bearer_flash: BTreeMap<i64, BearerFlash>,
    /// The values of the stack's configuration known, by option id:
    /// written since the stack started, or applied by its start (the
    /// stored configuration or the defaults, 4.1.4). Kept when the stack
    /// stops, as a store may follow.
    stack_cfg: BTreeMap<i64, Fact<i64>>,
    /// The values in effect while the stack runs of the options taken at
    /// its start ([`state::OPT_SOCK_MAX`], [`state::OPT_OFFLINE_BUFFER`]),
    /// as that start applied them.
    stack_applied: BTreeMap<i64, Fact<i64>>,
    /// From this line on, what is not recorded is known to be absent: the
    /// stack was started or stopped there (or `@assume power-on`).
    baseline: Option<Fact<()>>,
    stack: Option<Fact<bool>>,
    bearers: BTreeMap<i64, Fact<BearerState>>,
    socks: BTreeMap<Key, Fact<SockState>>,
    /// Ranges reserved by TCP servers (5.1.7), by server index.
    ranges: BTreeMap<u8, (u8, u8)>,
    /// Ranges of closed servers whose index was created anew while
    /// sockets they spawned were still open: reserved "till the server
    /// socket and the spawned sockets are closed explicitly" (5.1.7), with
    /// the server's index and those sockets.
    held_ranges: Vec<(u8, (u8, u8), BTreeSet<Key>)>,
    offline: BTreeMap<u8, Fact<bool>>,
    /// The socket mapped on each channel in data mode.
    mapped: BTreeMap<String, Key>,
    /// `+WIPPING:` reports still due, and the last ping accepted; `None`
    /// while unknown (before the baseline, pings may be running).
    pings: Option<(u32, Option<Fact<u32>>)>,
    /// The bytes in the TX buffer of each data offline session (6.3.3),
    /// known from its opening in the transcript; `how` says since when.
    txbuf: BTreeMap<u8, Fact<usize>>,
    /// The transfer of blocks read in progress on each data offline
    /// session (its `<nb_block>` and the next `<num_block>` due, from the
    /// line of its block 1), `None` between transfers; absent while not
    /// known (6.3.2).
    reading: BTreeMap<u8, Option<Fact<(i64, i64)>>>,
    /// The `<datagram size>` of each `+WIPDATA: 1,...` shown on a UDP
    /// socket known to be in a data offline session, in order, whose
    /// blocks have not come yet (6.3.6, E35: the announced size is that of
    /// the dump), by index.
    datagrams: BTreeMap<u8, VecDeque<Fact<i64>>>,
    /// The `<datagram size>` of the `+WIPDATA: 1,...` shown last on each
    /// UDP socket not in a data offline session, until a continuous read
    /// takes it (6.2.6, 9.2), by socket.
    udp_announced: BTreeMap<Key, Fact<i64>>,
    /// The announced size of the transfer of blocks in progress on each
    /// index, when a `+WIPDATA` announced it.
    transfer: BTreeMap<u8, Fact<i64>>,
    /// The requests and `<timeout>` of the one ping in progress, when no
    /// other overlaps it (its reports are then known to be its own), and
    /// its `<interval>`: at least its `<timeout>`, each request is reported
    /// before the next is sent, in order (7.1.1, 7.1.3).
    ping_alone: Option<(u32, Option<i64>, Option<i64>)>,
    /// The `<packet_idx>` reported so far by that ping: one report each
    /// (7.1.3).
    ping_seen: Vec<i64>,
    /// The value written to `WIP_NET_OPT_TCP_MIN_MSS` since the stack
    /// started (4.1.7); unknown before that (a stored configuration
    /// applies at start, 4.1.4).
    min_mss: Option<Fact<i64>>,
    /// `(option, length)` of the values written to options a total of the
    /// spec counts, by socket or session, since it was created (5.3.7.6.4.1).
    written: BTreeMap<Key, Vec<Fact<(i64, usize)>>>,
    /// The values written to the options of a list (a total with a
    /// separator: the MMS recipients, 5.3.7.6.4.2), in order, by socket or
    /// session, since it was created in the transcript (no entry: not
    /// known, as in a log that starts after the creation).
    listed: BTreeMap<Key, Vec<(i64, String)>>,
    /// The files an MMS session declared (WIP_MMS_ADD_FILE or
    /// WIP_MMS_ADD_FILE_ANY, 5.3.7.6) and those its `+WIPFILE` sent, since
    /// it was created in the transcript: each `+WIPFILE` sends the next
    /// declared file (6.1.5).
    mms_files: BTreeMap<Key, MmsFiles>,
    /// How each bearer was last started: `true` in server mode, whose
    /// connection the `+WIPBR: <bid>,<status>,...` URC reports (4.2.2).
    started_as_server: BTreeMap<i64, Fact<bool>>,
    /// The UDP sockets and TCP clients whose `+WIPREADY` came since they
    /// were created: it comes once per creation (5.1.2).
    readied: BTreeMap<Key, Fact<()>>,
    /// The TCP sockets a server spawned (`+WIPACCEPT`), since: announced
    /// by that URC, never by `+WIPREADY` (5.1.2).
    spawned: BTreeMap<Key, Fact<u8>>,
    /// The indexes each TCP server has spawned a socket on since it was
    /// created: one closed is not given again by that server (9.10: a
    /// connection then gets "an accept () immediately followed by an
    /// shutdown()").
    accepted_on: BTreeMap<u8, Vec<u8>>,
    /// The TCP sockets whose `+WIPDATA` came with no `AT+WIPDATA` since:
    /// their peer's close is not told until one is sent (6.2.6).
    announced: BTreeMap<Key, Fact<()>>,
    /// The TCP sockets whose peer closed them (`+WIPPEERCLOSE`) since they
    /// were created or spawned: told once, the socket stays until closed.
    peer_closed: BTreeMap<Key, Fact<()>>,
    /// The indexes whose data offline session a `+WIPFILE` opened (modes 6
    /// to 9, 6.1.5): `AT+WIPDATARW` command 3 "is only supported for
    /// +WIPDATA session" (6.3.3). With each, whether it uploads (modes 6
    /// and 9): the modem then reads no data to the host.
    file_offline: Vec<(u8, bool)>,
    /// The indexes whose data offline session a command opened (an
    /// `AT+WIPDATA` in mode 3, an `AT+WIPFILE` in mode 6 to 9), answered
    /// `OK` before `+WIPDATARW: 1,<idx>` came: it may still come,
    /// unsolicited (6.3.2 lists `<state>` 0 and 1 among the unsolicited
    /// messages). By index, with the line of the `OK`.
    offline_due: BTreeMap<u8, Fact<Key>>,
    /// The indexes a `+WIPDATARW` line was told on since the last
    /// `AT+WIPDATA` or `AT+WIPFILE` on them was sent: a session its answer
    /// showed (open, read or closed) is no session still to open.
    told: BTreeSet<u8>,
    /// The indexes whose data offline session an `AT+WIPDATARW` command 0
    /// or 3 closed, its `+WIPDATARW: 0,<idx>` not told yet: it may come
    /// after the `OK`, once.
    close_due: BTreeSet<u8>,
    /// The index and line of the last `+WIPDATARW: 1,<idx>` since the last
    /// command was sent: the answer of that command told the session open.
    opened_now: Option<(u8, usize)>,
    /// The line of the `+WIPDATARW: 3,...` that answered the command in
    /// flight, once it came: one per command (6.3.3).
    answered_send: Option<usize>,
    /// The sockets used in data mode before their `+WIPREADY` came (a
    /// transcript that does not show it): it cannot come after.
    used_early: BTreeMap<Key, Fact<()>>,
    /// The `<mode>` and line of the last `+WIPFILE` request of each HTTP
    /// session that was accepted and whose status URC has not come yet
    /// (6.1.4: one `+WIPFILE: 5,<index>,<mode>,...` per request).
    http_due: BTreeMap<Key, Fact<i64>>,
    /// The values last written to an option a read must give back: by
    /// scope, table and option index. The stack's options that 4.1.7 says
    /// take effect at run time, since the stack started; a socket's or
    /// session's options, since it was created; a bearer's, since it was
    /// opened.
    set: BTreeMap<(Scope, usize, usize), Fact<Vec<Val>>>,
}

/// The service whose sessions alone answer error `code`, and its
/// `<protocol>`: the codes whose text names a service (10.1: "POP3 ...",
/// "SMTP ...", the MMS errors 890 through 897).
pub(super) fn service_of(code: u32) -> Option<(&'static str, u8)> {
    match code {
        867 | 868 => Some(("POP3", 7)),
        880..=884 => Some(("SMTP", 6)),
        890..=897 => Some(("MMS", MMS)),
        _ => None,
    }
}

/// How a socket came to be used before its `+WIPREADY`: a `+WIPDATA`
/// told data to read on it.
const TOLD_DATA: &str = "told data";

/// How a socket's TTL or TOS came by its value: the stack's default in
/// effect when it was created (4.1.3, 5.3.7.1).
const FROM_STACK: &str = "given the stack's value";

/// Where an option's value lives, when a read must give back what was
/// written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    /// The IP stack (`+WIPCFG`).
    Stack,
    /// A socket or a service session (`+WIPOPT`).
    Sock(Key),
    /// A bearer (`+WIPBR`), by its id.
    Bearer(i64),
}

/// Where an option write or read belongs, when a read must give back
/// what was written: the stack for `+WIPCFG`, a socket or session for
/// `+WIPOPT` (5.3.6 reads back TCP, FTP, HTTP and SMTP options), a bearer
/// for `+WIPBR` (4.2.6 reads back the APN it wrote).
fn option_scope(req: Option<&Request>, message_or_command: &str) -> Option<Scope> {
    match (message_or_command, req) {
        ("+WIPCFG", _) => Some(Scope::Stack),
        ("+WIPOPT", Some(&Request::Opt(key)))
            if matches!(key.0, UDP | TCP | SERVER) || state::is_session(key.0) =>
        {
            Some(Scope::Sock(key))
        }
        ("+WIPBR", Some(&Request::Bearer { bid, cmd: 2 | 3 })) => Some(Scope::Bearer(bid)),
        _ => None,
    }
}

/// The bearer options the connection itself sets (4.2.3: "valid only
/// once the bearer is connected"): the local, destination, DNS and gateway
/// addresses and the netmask, which a read after the start need not give
/// back as written.
/// The bytes of a `+WIPDATARW` block (6.3.3: "Only 200 data bytes can be
/// read or written at a time").
const BLOCK: usize = 200;

/// The GPRS bearer's id (4.2.3).
const GPRS: i64 = 6;

/// The GPRS CME error codes of 4.2.5.2 (10.2): they come from attaching
/// and activating the PDP context (`+CGATT`, `+CGACT`, `+CGDATA`,
/// `ATD*99`), when `WIP_BOPT_GPRS_ERROR_REPORTING` is 1.
const GPRS_CODES: &[u32] = &[103, 132, 133, 134, 148, 149, 150];

/// "bearer connection failure: WIP_BOPT_GPRS_TIMEOUT time limit expired
/// before GPRS bearer connected" (10.1; 4.2.3 option 21).
const GPRS_TIMEOUT: u32 = 847;

const BEARER_SET_ON_START: &[&str] = &[
    "WIP_BOPT_IP_ADDR",
    "WIP_BOPT_IP_DST_ADDR",
    "WIP_BOPT_IP_DNS1",
    "WIP_BOPT_IP_DNS2",
    "WIP_BOPT_IP_NETMASK",
    "WIP_BOPT_IP_GW",
];

/// The write a command makes to an option that a total counts: its socket
/// or session, table, option number and length.
fn total_write(d: &Dialect, p: &ParsedCommand, req: &Request) -> Option<(Key, usize, i64, usize)> {
    let Request::Opt(key) = *req else {
        return None;
    };
    let form = d.commands.get(p.command)?.forms.get(p.form)?;
    if form.options.as_ref()?.access != Access::W {
        return None;
    }
    let o = p.values.option.as_ref()?;
    let table = d.tables.get(o.table)?;
    let opt = table.options.get(o.option)?;
    if !table.totals.iter().any(|t| t.options.contains(&opt.id)) {
        return None;
    }
    let len = wip_schema::written_len(o.values.first()?.as_ref()?);
    Some((key, o.table, opt.id, len))
}

impl View for Model {
    fn stack(&self) -> Option<bool> {
        self.stack.as_ref().map(|f| f.value)
    }

    fn bearer(&self, bid: i64) -> Option<BearerState> {
        match self.bearers.get(&bid) {
            Some(f) => Some(f.value),
            None => self.baseline.as_ref().map(|_| BearerState::Closed),
        }
    }

    fn any_bearer_started(&self) -> Option<bool> {
        if self
            .bearers
            .values()
            .any(|f| f.value == BearerState::Started)
        {
            return Some(true);
        }
        self.baseline.as_ref().map(|_| false)
    }

    fn socket(&self, key: Key) -> Option<SockState> {
        match self.socks.get(&key) {
            Some(f) => Some(f.value),
            None => self.baseline.as_ref().map(|_| SockState::Absent),
        }
    }

    fn reserved_by(&self, idx: u8) -> Option<Option<u8>> {
        let found = self
            .ranges
            .iter()
            .map(|(s, r)| (*s, *r))
            .chain(self.held_ranges.iter().map(|(s, r, _)| (*s, *r)))
            .find(|(_, (from, to))| (*from..=*to).contains(&idx))
            .map(|(s, _)| s);
        match found {
            Some(s) => Some(Some(s)),
            None => self.baseline.as_ref().map(|_| None),
        }
    }

    fn any_session(&self) -> Option<bool> {
        if self
            .socks
            .iter()
            .any(|(k, f)| state::is_session(k.0) && f.value != SockState::Absent)
        {
            return Some(true);
        }
        self.baseline.as_ref().map(|_| false)
    }

    fn offline(&self, idx: u8) -> Option<bool> {
        match self.offline.get(&idx) {
            Some(f) => Some(f.value),
            None => self.baseline.as_ref().map(|_| false),
        }
    }

    fn tcp_min_mss(&self) -> Option<i64> {
        // Written since the start, or else what the start applied (the
        // stored value, or the default of 4.1.3 when the flash was freed,
        // 4.1.4).
        match &self.min_mss {
            Some(f) => Some(f.value),
            None => self.stack_option(state::OPT_TCP_MIN_MSS),
        }
    }

    fn stack_option(&self, id: i64) -> Option<i64> {
        // Only while the stack runs: its start applied the value.
        if self.stack() != Some(true) {
            return None;
        }
        self.stack_applied.get(&id).map(|f| f.value)
    }

    fn udp_sockets(&self) -> Option<usize> {
        // Every socket is known since the baseline (the stack's start).
        self.baseline.as_ref()?;
        Some(
            self.socks
                .iter()
                .filter(|(k, f)| k.0 == UDP && f.value != SockState::Absent)
                .count(),
        )
    }

    fn offline_buffered(&self, idx: u8) -> Option<usize> {
        self.txbuf.get(&idx).map(|f| f.value)
    }
}

impl Model {
    /// The value in effect of stack option `id` while the stack runs:
    /// written since the start (a run-time option, 4.1.7), or what the
    /// start applied; `None` when not known.
    fn stack_value(&self, d: &Dialect, id: i64) -> Option<Val> {
        if self.stack() != Some(true) {
            return None;
        }
        let (ti, t) = table(d, "stack")?;
        let oi = t.options.iter().position(|o| o.id == id)?;
        self.set
            .get(&(Scope::Stack, ti, oi))?
            .value
            .first()
            .cloned()
    }

    /// Everything but the stack becomes known: empty, since `line`.
    fn reset(&mut self, line: usize, how: &'static str, started: bool) {
        *self = Model {
            baseline: Some(fact((), line, how)),
            stack: Some(fact(started, line, how)),
            pings: Some((0, None)),
            ping_alone: None,
            flash: std::mem::take(&mut self.flash),
            bearer_flash: std::mem::take(&mut self.bearer_flash),
            stack_cfg: std::mem::take(&mut self.stack_cfg),
            ..Model::default()
        };
    }

    /// The stack started at `line`: it applies the stored configuration
    /// when one exists, else the defaults (4.1.4: "Executing
    /// "AT+WIPCFG=1" will apply default parameters when existing", read
    /// with 9.14, where the stored WIP_NET_OPT_SOCK_MAX applies).
    fn apply_stored(&mut self, d: &Dialect) {
        let applied: BTreeMap<i64, Fact<i64>> = match &self.flash {
            Flash::Unknown => BTreeMap::new(),
            Flash::Stored(values) => values.clone(),
            Flash::Free(at) => stack_defaults(d)
                .into_iter()
                .map(|(id, v)| (id, fact(v, *at, "freed to its default")))
                .collect(),
        };
        self.stack_applied = applied.clone();
        // A read gives what the start applied (4.1.6 reads the options).
        if let Some((ti, t)) = table(d, "stack") {
            for (id, f) in &applied {
                if let Some(oi) = t.options.iter().position(|o| o.id == *id) {
                    self.set.insert(
                        (Scope::Stack, ti, oi),
                        fact(vec![Val::Int(f.value)], f.line, f.how),
                    );
                }
            }
        }
        self.stack_cfg = applied;
    }

    /// Bearer `bid` opened: it applies its stored configuration, or, when
    /// that was freed, its defaults (4.2.4: "open bearer <bid> with default
    /// parameters of the bearer when existing"), of the options whose
    /// default the manual states ([`state::BEARER_DEFAULTS_STATED`]).
    fn apply_bearer_flash(&mut self, d: &Dialect, bid: i64) {
        match self.bearer_flash.get(&bid) {
            None => {}
            Some(BearerFlash::Stored(values)) => {
                for ((t, o), f) in values {
                    self.set.insert(
                        (Scope::Bearer(bid), *t, *o),
                        fact(f.value.clone(), f.line, "stored"),
                    );
                }
            }
            Some(&BearerFlash::Free(at)) => {
                let Some((ti, t)) = table(d, "bearer") else {
                    return;
                };
                let stated = state::BEARER_DEFAULTS_STATED
                    .iter()
                    .filter(|&&(b, _)| b == bid)
                    .map(|&(_, id)| id);
                for id in stated {
                    let Some((oi, v)) = t
                        .options
                        .iter()
                        .enumerate()
                        .find(|(_, o)| o.id == id)
                        .and_then(|(oi, o)| Some((oi, int_default(o)?)))
                    else {
                        continue;
                    };
                    self.set.insert(
                        (Scope::Bearer(bid), ti, oi),
                        fact(vec![Val::Int(v)], at, "freed to its default"),
                    );
                }
            }
        }
    }

    fn set_sock(&mut self, key: Key, value: SockState, line: usize, how: &'static str) {
        self.socks.insert(key, fact(value, line, how));
    }

    fn ready_flags(&self, key: Key) -> (bool, bool) {
        match self.socks.get(&key).map(|f| f.value) {
            Some(SockState::Ready { mapped, offline }) => (mapped, offline),
            _ => (false, false),
        }
    }

    /// A command answered `OK` (or `CONNECT`) at `line`: the state it
    /// establishes, as if the answer had been right.
    pub fn accepted(
        &mut self,
        d: &Dialect,
        req: &Request,
        line: usize,
        channel: &str,
        connect: bool,
    ) {
        match *req {
            Request::StackStart => {
                self.reset(line, "started", true);
                self.apply_stored(d);
            }
            Request::StackStorage { store: false } => self.flash = Flash::Free(line),
            // `AT+WIPBR=6,<bid>,1` stores the bearer's configuration: the
            // values a read gives back now (4.2.4).
            Request::Bearer { bid, cmd: 6 } => {
                let known = self
                    .set
                    .iter()
                    .filter(|(k, _)| k.0 == Scope::Bearer(bid))
                    .map(|(k, f)| ((k.1, k.2), fact(f.value.clone(), line, "stored")))
                    .collect();
                self.bearer_flash.insert(bid, BearerFlash::Stored(known));
            }
            Request::Stored { bid } => {
                self.bearer_flash.insert(bid, BearerFlash::Free(line));
            }
            Request::StackStorage { store: true } => {
                let known = self
                    .stack_cfg
                    .iter()
                    .map(|(id, f)| (*id, fact(f.value, line, "stored")))
                    .collect();
                self.flash = Flash::Stored(known);
            }
            Request::StackStop => self.reset(line, "stopped", false),
            Request::Bearer { bid, cmd } => {
                let value = match cmd {
                    0 => BearerState::Closed,
                    1 | 5 => BearerState::Open,
                    4 => BearerState::Started,
                    _ => return,
                };
                let how = match cmd {
                    0 => "closed",
                    1 => "opened",
                    5 => "stopped",
                    _ => "started",
                };
                // Opening applies the stored configuration or the
                // defaults (4.2.4); closing forgets what was written.
                if matches!(cmd, 0 | 1) {
                    self.set.retain(|k, _| k.0 != Scope::Bearer(bid));
                }
                if cmd == 1 {
                    self.apply_bearer_flash(d, bid);
                }
                self.bearers.insert(bid, fact(value, line, how));
            }
            Request::Create(key) | Request::CreateSession(key) => {
                self.drop_due(key);
                self.udp_announced.remove(&key);
                self.written.remove(&key);
                self.listed.insert(key, Vec::new());
                if key.0 == MMS {
                    self.mms_files.insert(key, MmsFiles::default());
                }
                self.http_due.remove(&key);
                self.set.retain(|k, _| k.0 != Scope::Sock(key));
                self.readied.remove(&key);
                self.spawned.remove(&key);
                self.announced.remove(&key);
                self.peer_closed.remove(&key);
                self.used_early.remove(&key);
                // The modem answers OK once the socket or session is open
                // (its +WIPREADY follows).
                let ready = SockState::Ready {
                    mapped: false,
                    offline: false,
                };
                self.set_sock(key, ready, line, "created");
            }
            Request::CreateServer { idx, from, to } => {
                // The old server's range stays reserved while a socket it
                // spawned is open: it is held apart, with those sockets.
                let open: BTreeSet<Key> = self
                    .spawned
                    .iter()
                    .filter(|(k, f)| f.value == idx && !self.held_socket(**k))
                    .map(|(k, _)| *k)
                    .collect();
                // They stay spawned sockets (`spawned`), of the old server:
                // see `of_current`.
                if let (Some(old), false) = (self.ranges.get(&idx).copied(), open.is_empty()) {
                    self.held_ranges.push((idx, old, open));
                }
                self.ranges.insert(idx, (from, to));
                self.accepted_on.insert(idx, Vec::new());
                let ready = SockState::Ready {
                    mapped: false,
                    offline: false,
                };
                self.set_sock((SERVER, idx), ready, line, "created");
            }
            Request::Close(key) => {
                self.drop_due(key);
                self.udp_announced.remove(&key);
                self.written.remove(&key);
                self.listed.remove(&key);
                self.mms_files.remove(&key);
                self.set.retain(|k, _| k.0 != Scope::Sock(key));
                self.readied.remove(&key);
                self.peer_closed.remove(&key);
                self.used_early.remove(&key);
                if self.owns_offline(key) {
                    self.end_offline(key.1, line, "ended by the close of its socket");
                }
                for h in self.held_ranges.iter_mut() {
                    h.2.remove(&key);
                }
                self.held_ranges.retain(|h| !h.2.is_empty());
                let spawner = self.spawned.remove(&key).map(|f| f.value);
                self.set_sock(key, SockState::Absent, line, "closed");
                // 5.1.7: a server's range stays reserved "till the server
                // socket and the spawned sockets are closed explicitly"
                // (E38: the 845 of 9.11).
                let server = match key.0 {
                    SERVER => Some(key.1),
                    _ => spawner,
                };
                if let Some(server) = server {
                    let closed = self.socks.get(&(SERVER, server)).map(|f| f.value)
                        == Some(SockState::Absent);
                    if closed
                        && !self
                            .spawned
                            .iter()
                            .any(|(k, f)| f.value == server && !self.held_socket(*k))
                    {
                        self.ranges.remove(&server);
                    }
                }
                self.mapped.retain(|_, k| *k != key);
            }
            Request::StackConfigure {
                option: Some((id, v)),
            } => {
                if id == state::OPT_TCP_MIN_MSS {
                    self.min_mss = Some(fact(v, line, "set"));
                }
                self.stack_cfg.insert(id, fact(v, line, "written"));
            }
            // A transfer in data mode maps its session on the channel
            // until the data mode ends (`left_data`).
            Request::File { key, .. } if connect => {
                if let Some(files) = self.mms_files.get_mut(&key) {
                    files.sent.push(line);
                }
                let (_, offline) = self.ready_flags(key);
                let value = SockState::Ready {
                    mapped: true,
                    offline,
                };
                self.set_sock(key, value, line, "transferring");
                self.mapped.insert(channel.to_string(), key);
            }
            Request::Data { key, mode, .. } => {
                // Read as dumps from a data offline session (6.3.6), the
                // datagram announced is no continuous read's.
                if mode == 3 {
                    self.udp_announced.remove(&key);
                }
                // Data moved before the socket's +WIPREADY: it cannot
                // come after (5.1.6: "received once the UDP socket is
                // ready for usage").
                let moves = (connect && matches!(mode, 1 | 2)) || (mode == 3 && !connect);
                if moves
                    && matches!(key.0, UDP | TCP)
                    && !self.readied.contains_key(&key)
                    && !self.spawned.contains_key(&key)
                {
                    self.used_early
                        .entry(key)
                        .or_insert_with(|| fact((), line, "used"));
                }
                let (_, offline) = self.ready_flags(key);
                if mode == 0 {
                    let value = SockState::Ready {
                        mapped: false,
                        offline,
                    };
                    self.set_sock(key, value, line, "unmapped");
                    self.mapped.retain(|_, k| *k != key);
                } else if connect && (mode == 1 || mode == 2) {
                    let value = SockState::Ready {
                        mapped: true,
                        offline,
                    };
                    self.set_sock(key, value, line, "mapped");
                    self.mapped.insert(channel.to_string(), key);
                } else if mode == 3 && !connect {
                    // 6.3: the socket is in a data offline session until
                    // `+WIPDATARW: 0,<idx>`; it cannot be mapped meanwhile.
                    let (mapped, _) = self.ready_flags(key);
                    let value = SockState::Ready {
                        mapped,
                        offline: true,
                    };
                    self.set_sock(key, value, line, "put in a data offline session");
                }
            }
            Request::DataRw {
                idx,
                command: Some(command),
                bytes,
            } => match command {
                2 => {
                    if let Some(b) = self.txbuf.get_mut(&idx) {
                        b.value = b.value.saturating_add(bytes);
                    }
                }
                1 | 3 => {
                    if let Some(b) = self.txbuf.get_mut(&idx) {
                        *b = fact(0, line, "the send at line");
                    }
                    if command == 3 {
                        self.closed_by_command(idx, line);
                    }
                }
                0 => self.closed_by_command(idx, line),
                _ => {}
            },
            Request::Ping {
                reports,
                timeout,
                interval,
            } => {
                self.ping_alone = None;
                self.ping_seen.clear();
                if let Some((due, last)) = &mut self.pings {
                    if *due == 0 {
                        self.ping_alone = Some((reports, timeout, interval));
                    }
                    *due = due.saturating_add(reports);
                    *last = Some(fact(reports, line, "started"));
                }
            }
            _ => {}
        }
    }

    /// Why the modem must refuse this option write: it passes a total
    /// across options with the values written before (5.3.7.6.4.1).
    pub fn total_breach(&self, d: &Dialect, p: &ParsedCommand, req: &Request) -> Option<String> {
        let (key, table, opt, len) = total_write(d, p, req)?;
        let t = d.tables.get(table)?;
        let facts = self
            .written
            .get(&key)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let written: Vec<(i64, usize)> = facts.iter().map(|f| f.value).collect();
        let msg = t.totals_admit(&written, opt, len).err()?;
        let lines: Vec<String> = facts.iter().map(|f| f.line.to_string()).collect();
        let before = if lines.is_empty() {
            String::new()
        } else {
            format!(
                ", with the values written at line{} {}",
                if lines.len() == 1 { "" } else { "s" },
                lines.join(", ")
            )
        };
        let name = t
            .options
            .iter()
            .find(|o| o.id == opt)
            .map_or("", |o| o.name.as_ref());
        Some(format!("option {opt} ({name}) {msg}{before}"))
    }

    /// Where the value in effect of a stack option taken at the start came
    /// from: ` (stored at line 7, applied by the start at line 11)`.
    fn applied_at(&self, id: i64) -> String {
        match (self.stack_applied.get(&id), self.stack.as_ref()) {
            (Some(f), Some(s)) => format!(
                " ({} at line {}, applied by the start at line {})",
                f.how, f.line, s.line
            ),
            _ => String::new(),
        }
    }

    /// An option write answered `OK`: the values a read must give back.
    fn remember_option(&mut self, d: &Dialect, p: &ParsedCommand, req: &Request, line: usize) {
        let Some(cmd) = d.commands.get(p.command) else {
            return;
        };
        let writes = cmd
            .forms
            .get(p.form)
            .and_then(|f| f.options.as_ref())
            .is_some_and(|o| o.access == Access::W);
        let (Some(scope), true, Some(o)) = (
            option_scope(Some(req), &cmd.name),
            writes,
            p.values.option.as_ref(),
        ) else {
            return;
        };
        let Some(opt) = d.tables.get(o.table).and_then(|t| t.options.get(o.option)) else {
            return;
        };
        if scope == Scope::Stack && matches!(opt.id, state::OPT_IP_TTL | state::OPT_IP_TOS) {
            // The stack's default TTL or TOS changed: whether the sockets
            // that exist take it (4.1.7: "take effect at once") or keep
            // theirs, the manual does not say; their reads are no longer
            // judged.
            self.set
                .retain(|(sc, _, _), f| !(matches!(sc, Scope::Sock(_)) && f.how == FROM_STACK));
        }
        if scope == Scope::Stack && !state::RUN_TIME_STACK_OPTIONS.contains(&opt.name.as_ref()) {
            // Taken at the next start (4.1.7): what a read gives until
            // then, the value applied or the one written, is not known.
            self.set.remove(&(scope, o.table, o.option));
            return;
        }
        // A write that adds to a list (5.3.7.6.4.2: the MMS recipients, read
        // back whole), an option read in another shape than written, and a
        // bearer's address the connection sets are not read back as
        // written.
        let adds = d
            .tables
            .get(o.table)
            .is_some_and(|t| t.totals.iter().any(|tot| tot.options.contains(&opt.id)));
        if adds
            || !opt.reads_as_written()
            || (matches!(scope, Scope::Bearer(_))
                && BEARER_SET_ON_START.contains(&opt.name.as_ref()))
        {
            return;
        }
        let values: Option<Vec<Val>> = o.values.iter().cloned().collect();
        match values {
            Some(v) if o.rest.is_empty() => {
                self.set
                    .insert((scope, o.table, o.option), fact(v, line, "written"));
            }
            _ => {
                self.set.remove(&(scope, o.table, o.option));
            }
        }
    }

    /// A socket or session created at `line` (its command answered): what
    /// a read of its options gives before any write. A session's options
    /// read their defaults (5.3.7.2 to 5.3.7.6). `WIP_COPT_SND_LOWAT` and
    /// `WIP_COPT_NODELAY` read their defaults (5.3.7.1: 1024 and 0, from
    /// the spec); `WIP_COPT_BOUND` of a UDP socket reads 1 when it was
    /// created with a peer, 0 without (5.3.7.1 footnote 2, erratum E47).
    /// A socket's `WIP_COPT_PORT`, `WIP_COPT_PEER_PORT` and
    /// `WIP_COPT_PEER_STRADDR` read the local port, peer port and numeric
    /// peer address it was created with (5.1.1, 5.3.6).
    /// A socket's `WIP_COPT_TTL` and `WIP_COPT_TOS` read the stack's
    /// default TTL and TOS of outgoing packets in effect when it was
    /// created (`WIP_NET_OPT_IP_TTL` and `WIP_NET_OPT_IP_TOS`, 4.1.3; 64
    /// and 0 both, as 5.3.7.1 gives them), when that value is known: the
    /// start applied it (a stored configuration, or the defaults after
    /// `AT+WIPCFG=4,0`) or it was written since.
    pub fn created(&mut self, d: &Dialect, p: &ParsedCommand, req: &Request, line: usize) {
        let key = match *req {
            Request::Create(key) | Request::CreateSession(key) => key,
            Request::CreateServer { idx, .. } => (SERVER, idx),
            _ => return,
        };
        let session = state::is_session(key.0);
        // The value the creation gave a parameter, by its name.
        let form = d.commands.get(p.command).and_then(|c| c.forms.get(p.form));
        let given = |name: &str| -> Option<&Val> {
            let i = form?.params.iter().position(|x| x.name.as_ref() == name)?;
            p.values.params.get(i)?.as_ref()
        };
        let peer = given("peer IP").is_some();
        let (stack_ttl, stack_tos) = (
            self.stack_value(d, state::OPT_IP_TTL),
            self.stack_value(d, state::OPT_IP_TOS),
        );
        // The option table of the protocol, as +WIPOPT binds it (5.3.7).
        let k = Some(i64::from(key.0));
        let Some(ti) = d
            .commands
            .iter()
            .find(|c| c.name.as_ref() == "+WIPOPT")
            .and_then(|c| {
                c.forms
                    .iter()
                    .find_map(|f| f.options.as_ref()?.table_for(k))
            })
        else {
            return;
        };
        if let Some(table) = d.tables.get(ti) {
            for (oi, opt) in table.options.iter().enumerate() {
                if opt.access_for(k) == Access::None {
                    continue;
                }
                let default = || match opt.values.first().and_then(|v| v.default.as_ref()) {
                    Some(wip_schema::Lit::Int(v)) => Some(Val::Int(*v)),
                    Some(wip_schema::Lit::Str(v)) => Some(Val::Str(v.to_string())),
                    None => None,
                };
                // A session's options that it reads and writes, of one
                // value, read back as written and not added to: their
                // defaults (5.3.7.2 to 5.3.7.6; 5.3.4 stores none).
                let adds = table.totals.iter().any(|t| t.options.contains(&opt.id));
                // Not a size the modem may set for itself (9.6 reads
                // WIP_COPT_SND_BUFSIZE as `<sender buffer size>`, erratum
                // E63).
                let sized = opt.values.first().is_some_and(
                    |p| matches!(p.ty, wip_schema::Ty::Int { max, .. } if max > 65_535),
                );
                let plain = !sized
                    && opt.access_for(Some(i64::from(key.0))) == Access::RW
                    && opt.values.len() == 1
                    && opt.rest.is_none()
                    && opt.reads_as_written()
                    && !adds;
                let value = match opt.name.as_ref() {
                    _ if session && plain => default(),
                    "WIP_COPT_SND_LOWAT" | "WIP_COPT_NODELAY" => default(),
                    // Of three values, the first with a default ("Mixed=0
                    // default", 5.3.7.6): a read before any write gives it
                    // (the type and start mean nothing for Mixed).
                    "WIP_MMS_MULTIPART_TYPE" if session => default(),
                    "WIP_COPT_BOUND" if key.0 == UDP => Some(Val::Int(i64::from(peer))),
                    // A socket is assigned the local port it was created
                    // on, and connected to the peer it was created with
                    // (5.1.1); a peer named by a DNS name reads as an
                    // address not known here.
                    "WIP_COPT_PORT" if !session => given("local port").cloned(),
                    "WIP_COPT_PEER_PORT" if !session => given("peer port").cloned(),
                    "WIP_COPT_PEER_STRADDR" if !session => given("peer IP")
                        .filter(|v| matches!(v, Val::Str(t) if wip_schema::value::is_ipv4(t)))
                        .cloned(),
                    "WIP_COPT_TTL" if !session => stack_ttl.clone(),
                    "WIP_COPT_TOS" if !session => stack_tos.clone(),
                    _ => None,
                };
                let Some(value) = value else {
                    continue;
                };
                let how = match opt.name.as_ref() {
                    "WIP_COPT_TTL" | "WIP_COPT_TOS" => FROM_STACK,
                    _ => "created with",
                };
                self.set
                    .insert((Scope::Sock(key), ti, oi), fact(vec![value], line, how));
            }
        }
    }

    /// An option read (`+WIPCFG: <opt>,<value>`, `+WIPOPT:
    /// <protocol>,<opt>,<value>`) that differs from what the transcript
    /// wrote since (4.1.6 and 5.3.6 read back what they wrote).
    pub fn read_back(
        &self,
        d: &Dialect,
        m: &ParsedMessage,
        pending: Option<(&Request, &ParsedCommand)>,
    ) -> Option<String> {
        // The answer of a read: a write's echo (E07) gives the new value,
        // remembered only once the write is answered.
        let (req, p) = pending?;
        let reads = d
            .commands
            .get(p.command)
            .and_then(|c| c.forms.get(p.form))
            .is_some_and(|f| f.options.as_ref().is_none_or(|o| o.access != Access::W));
        if !reads || !m.solicited {
            return None;
        }
        let pending = Some(req);
        let msg = d.messages.get(m.message)?;
        let scope = option_scope(pending, msg.prefix.as_deref()?)?;
        let o = m.values.option.as_ref()?;
        if let Some(why) = self.gsm_address_unset(d, scope, o) {
            return Some(why);
        }
        if let Scope::Sock(key) = scope {
            if let Some(why) = self.list_read(d, key, o.table, o.option, &o.values) {
                return Some(why);
            }
        }
        let written = self.set.get(&(scope, o.table, o.option))?;
        // A read that leaves values out at its end (`+WIPOPT: 8,92,0` for an
        // option of three values: the type and start of a Mixed multipart
        // mean nothing) is compared on the values it gives. One that leaves
        // a value out in the middle is not judged.
        let present = o.values.iter().take_while(|v| v.is_some()).count();
        if o.values.iter().skip(present).any(Option::is_some) {
            return None;
        }
        let read: Vec<Val> = o.values.iter().take(present).flatten().cloned().collect();
        let written_part = written.value.get(..read.len().min(written.value.len()));
        if read == written.value || (read.len() < o.values.len() && written_part == Some(&read[..]))
        {
            return None;
        }
        let opt = d.tables.get(o.table)?.options.get(o.option)?;
        let show = |v: &[Val]| {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        let whose = match scope {
            Scope::Stack => "the stack's".to_string(),
            Scope::Sock(key) => format!("{}'s", state::key_name(d, key)),
            Scope::Bearer(bid) => format!("bearer {bid}'s"),
        };
        let sections = match scope {
            Scope::Stack => "4.1.6",
            Scope::Sock(_) => "5.3.6",
            Scope::Bearer(_) => "4.2.6",
        };
        let rule = match (written.how, opt.name.as_ref()) {
            ("created with", "WIP_COPT_BOUND") => {
                "a UDP socket reads it 1 when created with a peer, 0 without, 5.3.7.1, erratum E47"
                    .to_string()
            }
            ("created with", "WIP_COPT_PORT" | "WIP_COPT_PEER_PORT" | "WIP_COPT_PEER_STRADDR") => {
                "a socket is assigned the local port and connected to the peer it was created with, \
                 5.1.1, 5.3.6"
                    .to_string()
            }
            (FROM_STACK, _) => {
                "a socket takes the stack's default TTL and TOS of outgoing packets in effect \
                 when it is created, WIP_NET_OPT_IP_TTL and WIP_NET_OPT_IP_TOS, 4.1.3, 5.3.7.1, erratum E65"
                    .to_string()
            }
            ("created with", _) => format!(
                "an option reads its default until written, {}",
                match scope {
                    Scope::Sock(key) if state::is_session(key.0) => "5.3.7.2 to 5.3.7.6",
                    _ => "5.3.7.1",
                }
            ),
            ("stored", _) if matches!(scope, Scope::Bearer(_)) => {
                "opening a bearer applies its stored configuration, 4.2.4".to_string()
            }
            ("freed to its default", _) if matches!(scope, Scope::Bearer(_)) => {
                "opening a bearer whose stored configuration was freed applies its defaults, 4.2.4; \
                 the default is the manual's (4.2.3, 4.2.6)"
                    .to_string()
            }
            ("stored" | "freed to its default", _) => "a start applies the stored configuration, or the defaults when the flash holds none, 4.1.4".to_string(),
            _ => format!("a read gives back the value written, {sections}"),
        };
        Some(format!(
            "option {} ({}) reads {}, but {whose} was {} {} at line {} ({rule})",
            opt.id,
            opt.name,
            show(&read),
            written.how,
            show(&written.value),
            written.line
        ))
    }

    /// The bearers the transcript shows open or started: number, how and
    /// the line of the fact.
    pub fn open_bearers(&self) -> Vec<(i64, &'static str, usize)> {
        self.bearers
            .iter()
            .filter(|(_, f)| f.value != BearerState::Closed)
            .map(|(bid, f)| (*bid, f.how, f.line))
            .collect()
    }

    /// A command answered `OK` that the known state did not refuse: where
    /// the transcript had not shown the stack (a log from the middle of a
    /// session), an answer only a started stack gives shows it started,
    /// so that a start is then refused with 844.
    pub fn shown_started(&mut self, req: &Request, line: usize) {
        if self.stack.is_none() && req.needs_stack() {
            self.stack = Some(fact(true, line, "shown started by the answer"));
        }
    }

    /// Whether the data offline session open on `key`'s index is known to
    /// be `key`'s: a socket put in one by `AT+WIPDATA` mode 3, a session by
    /// its `+WIPFILE` (another protocol may use the same index).
    fn owns_offline(&self, key: Key) -> bool {
        self.ready_flags(key).1
            || (state::is_session(key.0) && self.file_offline.iter().any(|o| o.0 == key.1))
    }

    /// The data offline session of index `idx` ends with its socket or
    /// session (the modem then answers 831 to `AT+WIPDATARW` on it, and a
    /// new one may open), silently.
    fn end_offline(&mut self, idx: u8, line: usize, how: &'static str) {
        if self.offline.get(&idx).is_some_and(|f| f.value) {
            self.offline.insert(idx, fact(false, line, how));
            self.txbuf.remove(&idx);
            self.reading.remove(&idx);
            self.forget_datagrams(idx);
            self.file_offline.retain(|o| o.0 != idx);
        }
    }

    /// The size the last `+WIPDATA` announced of the next datagram of UDP
    /// socket `key`, with its line, for the continuous read that takes it.
    pub fn take_announced_size(&mut self, key: Key) -> Option<(i64, usize)> {
        self.udp_announced.remove(&key).map(|f| (f.value, f.line))
    }

    /// The datagrams announced on index `idx` and the transfer in
    /// progress there are forgotten (its session ended or opened anew).
    fn forget_datagrams(&mut self, idx: u8) {
        self.datagrams.remove(&idx);
        self.transfer.remove(&idx);
    }

    /// A send (`AT+WIPDATARW` command 1 or 3) answered `OK` before its
    /// `+WIPDATARW: 3,<idx>,<size>` came: the report may still come,
    /// unsolicited (6.3.2 lists it among the unsolicited messages), for up
    /// to what the buffer held and the command added. Call before
    /// [`Model::accepted`] empties the buffer; `keep_unreported` after.
    pub fn unreported_send(&self, req: &Request) -> Option<(u8, usize)> {
        match *req {
            Request::DataRw {
                idx,
                command: Some(1 | 3),
                bytes,
            } => self
                .txbuf
                .get(&idx)
                .map(|b| (idx, b.value.saturating_add(bytes))),
            _ => None,
        }
    }

    /// See [`Model::unreported_send`].
    pub fn keep_unreported(&mut self, (idx, held): (u8, usize), line: usize) {
        if let Some(b) = self.txbuf.get_mut(&idx) {
            *b = fact(held, line, "the send not yet reported at line");
        }
    }

    /// Sets which line told the send of the command in flight on the
    /// channel a message is checked for (see [`Model::answered_send`]).
    pub fn set_answered_send(&mut self, line: Option<usize>) {
        self.answered_send = line;
    }

    /// The line of the `+WIPDATARW: 3,...` that answered the command in
    /// flight, after a message was checked.
    pub fn answered_send(&self) -> Option<usize> {
        self.answered_send
    }

    /// A command line was sent, whatever its answer: an `AT+WIPDATA` on a
    /// socket lets its peer's close be told (6.2.6: "unless AT+WIPDATA has
    /// been sent").
    pub fn sent(&mut self, req: &Request) {
        self.opened_now = None;
        if let Request::Data { key, .. } | Request::Close(key) = *req {
            self.announced.remove(&key);
        }
        match *req {
            Request::Data { key, .. } | Request::File { key, .. } => {
                self.told.remove(&key.1);
            }
            // Using the session shows the command that opened it did,
            // its opening not told (`late_open`).
            Request::DataRw { idx, .. } => self.late_open(idx),
            _ => {}
        }
    }

    /// Why a `+WIPFILE` of MMS session `key` does not name the next file
    /// declared (6.1.5, erratum E60); `None` when it does, gives no
    /// identifier, or the declarations are not known.
    fn mms_mismatch(&self, d: &Dialect, p: &ParsedCommand, key: Key) -> Option<String> {
        if key.0 != MMS {
            return None;
        }
        let files = self.mms_files.get(&key)?;
        let n = files.sent.len();
        let (name, cid) = files.ids.get(n)?;
        let at = files.sizes.get(n)?.1;
        let form = d.commands.get(p.command)?.forms.get(p.form)?;
        let given = |param: &str| {
            state::given_param(form, p, param).and_then(|v| v.as_str().map(str::to_string))
        };
        let (gname, gcid) = (given("filename"), given("content-id"));
        if state::names_declared_file(
            (name.as_deref(), cid.as_deref()),
            (gname.as_deref(), gcid.as_deref()),
        ) {
            return None;
        }
        let shown = |v: &Option<String>| match v.as_deref() {
            Some(s) if !s.is_empty() => format!("\"{s}\""),
            _ => "none".to_string(),
        };
        Some(format!(
            "file {} declared for MMS session {} (its option write answered at line {at}) is the \
             one this +WIPFILE sends, with file name {} and content-id {}: the identifiers given \
             name another (6.1.5: \"the identifier matching the identifier specified in WIPOPT\", \
             in the order declared; the modem refuses it: +CME ERROR: {}, erratum E60)",
            n + 1,
            key.1,
            shown(name),
            shown(cid),
            state::MMS_FILE_NOT_NEXT
        ))
    }

    /// Why an `AT+WIPDATARW` answered `OK` could not be: command 3 (send
    /// the TX buffer) on a session a `+WIPFILE` opened, where 6.3.3 says
    /// "This command is only supported for +WIPDATA session".
    pub fn datarw_refused(&self, d: &Dialect, p: &ParsedCommand, req: &Request) -> Option<String> {
        match *req {
            // The n-th +WIPFILE sends the n-th file declared, and names it
            // (or gives no identifier): 6.1.5, erratum E60.
            Request::File { key, .. } if self.mms_mismatch(d, p, key).is_some() => {
                self.mms_mismatch(d, p, key)
            }
            // An MMS session sends its declared files in order, one per
            // +WIPFILE: with none left, the modem refuses (831, as the
            // emulator answers; 6.1.5).
            Request::File { key, .. }
                if self
                    .mms_files
                    .get(&key)
                    .is_some_and(|f| f.sent.len() >= f.sizes.len()) =>
            {
                let (declared, sent) = self
                    .mms_files
                    .get(&key)
                    .map_or((0, 0), |f| (f.sizes.len(), f.sent.len()));
                Some(format!(
                    "no declared file is left to send: the MMS session declared {declared} with \
                     WIP_MMS_ADD_FILE or WIP_MMS_ADD_FILE_ANY and +WIPFILE sent {sent} (6.1.5, 5.3.7.6; \
                     the modem refuses it: +CME ERROR: 831)"
                ))
            }
            Request::DataRw {
                idx,
                command: Some(3),
                ..
            } if self.offline(idx) == Some(true)
                && self.file_offline.iter().any(|o| o.0 == idx) =>
            {
                let at = self.offline.get(&idx).map_or(0, |f| f.line);
                Some(format!(
                    "the data offline session of index {idx} (opened at line {at}) is a +WIPFILE \
                     transfer's: <command> 3 \"is only supported for +WIPDATA session\" (6.3.3)"
                ))
            }
            _ => None,
        }
    }

    /// A command refused (`ERROR`, `+CME ERROR`) at `line` after its answer
    /// told a data offline session open: a refused command opens nothing
    /// (6.3), so the line and the refusal contradict each other. The
    /// session is taken as not opened.
    pub fn refused(&mut self, req: &Request, line: usize) -> Option<String> {
        let idx = match *req {
            Request::File { key, mode } if state::is_offline_file(mode) => key.1,
            Request::Data { key, mode: 3, .. } => key.1,
            _ => return None,
        };
        let at = self.opened_now.filter(|o| o.0 == idx).map(|o| o.1)?;
        self.opened_now = None;
        self.offline
            .insert(idx, fact(false, line, "not opened, its command refused"));
        self.txbuf.remove(&idx);
        self.reading.remove(&idx);
        self.file_offline.retain(|o| o.0 != idx);
        Some(format!(
            "its answer told the data offline session of index {idx} open at line {at}, and a refused command opens no session (6.3)"
        ))
    }

    /// Why a `+WIPFILE: 8,<index>,<size>` cannot report `size` for the
    /// MMS session `key`: it comes when the file being sent was truncated
    /// to its declared size, and gives "the size of the data that will be
    /// included in the MMS file" (6.1.9), so that declared size. Judged
    /// only in a session the transcript created and declared its files in.
    fn mms_size_kept(&self, key: Key, size: Option<i64>) -> Option<String> {
        let files = self.mms_files.get(&key)?;
        let Some(&sent) = files.sent.last() else {
            return Some(format!(
                "no +WIPFILE sent a file of MMS session {} since it was created: +WIPFILE: 8 reports \
                 the size kept of a file truncated to its declared size (6.1.9)",
                key.1
            ));
        };
        let &(declared, at) = files.sizes.get(files.sent.len().checked_sub(1)?)?;
        let (declared, size) = (declared?, size?);
        (size != declared).then(|| {
            format!(
                "the file sent after the CONNECT at line {sent} was declared {declared} bytes long (its \
                 option write answered at line {at}): data past that is truncated, and +WIPFILE: 8 \
                 reports the size kept, {declared} (6.1.9)"
            )
        })
    }

    /// Whether spawned socket `key` belongs to an earlier creation of its
    /// server's index, whose range it holds (`held_ranges`).
    fn held_socket(&self, key: Key) -> bool {
        self.held_ranges.iter().any(|h| h.2.contains(&key))
    }

    /// An option write of an MMS session that broke the spec was answered
    /// `OK`: whether it declared a file is not known, so its files are not
    /// counted any more.
    pub fn forget_files(&mut self, req: &Request) {
        if let Request::Opt(key) = *req {
            self.mms_files.remove(&key);
        }
    }

    /// An option write answered `OK` at `line`: what it adds to the totals.
    pub fn wrote(&mut self, d: &Dialect, p: &ParsedCommand, req: &Request, line: usize) {
        self.remember_option(d, p, req, line);
        let writes = d
            .commands
            .get(p.command)
            .and_then(|c| c.forms.get(p.form))
            .and_then(|f| f.options.as_ref())
            .is_some_and(|o| o.access == Access::W);
        if let (Request::Opt(key), Some(o), true) = (req, p.values.option.as_ref(), writes) {
            let declares = d
                .tables
                .get(o.table)
                .and_then(|t| t.options.get(o.option))
                .is_some_and(|opt| {
                    matches!(
                        opt.name.as_ref(),
                        "WIP_MMS_ADD_FILE" | "WIP_MMS_ADD_FILE_ANY"
                    )
                });
            if let Some(files) = self.mms_files.get_mut(key).filter(|_| declares) {
                // <optval2> is the size of both (5.3.7.6).
                let size = state::field_int(o.values.get(1));
                files.sizes.push((size, line));
                let text = |i: usize| {
                    o.values
                        .get(i)
                        .cloned()
                        .flatten()
                        .and_then(|v| v.as_str().map(str::to_string))
                };
                files.ids.push((text(2), text(3)));
            }
        }
        // Which command opens an index's data offline session (6.1.5:
        // +WIPFILE modes 6 to 9; 6.2.6: +WIPDATA mode 3).
        let mode = || {
            let form = d.commands.get(p.command)?.forms.get(p.form)?;
            let i = form.params.iter().position(|x| x.name.as_ref() == "mode")?;
            state::field_int(p.values.params.get(i))
        };
        let opened = match *req {
            Request::File { key, mode } if state::is_offline_file(mode) => {
                if !self.file_offline.iter().any(|o| o.0 == key.1) {
                    self.file_offline
                        .push((key.1, state::is_offline_upload(mode)));
                }
                Some(key)
            }
            Request::Data { key, mode: 3, .. } => {
                self.file_offline.retain(|o| o.0 != key.1);
                Some(key)
            }
            _ => None,
        };
        // A session its answer did not show (open, read or closed) may
        // still be told open, once.
        if let Some(key) = opened.filter(|k| !self.told.contains(&k.1)) {
            self.offline_due.insert(key.1, fact(key, line, "answered"));
        }
        if let Request::File {
            key: key @ (5, _), ..
        } = *req
        {
            if let Some(mode) = mode() {
                self.http_due.insert(key, fact(mode, line, "requested"));
            }
        }
        if let Request::Bearer { bid, cmd: 4 } = *req {
            // `AT+WIPBR=4,<bid>,<mode>,...`: mode 1 is a server (4.2.2).
            let server = state::field_int(p.values.params.get(2)) == Some(1);
            let how = if server {
                "started as a server"
            } else {
                "started as a client"
            };
            self.started_as_server.insert(bid, fact(server, line, how));
        }
        if let Some((key, _, opt, len)) = total_write(d, p, req) {
            self.written
                .entry(key)
                .or_default()
                .push(fact((opt, len), line, "written"));
            let text = p
                .values
                .option
                .as_ref()
                .and_then(|o| o.values.first()?.as_ref()?.as_str().map(str::to_string));
            if let (Some(list), Some(text)) = (self.listed.get_mut(&key), text) {
                list.push((opt, text));
            }
        }
    }

    /// Why a read of an option of a list (a total with a separator: the
    /// MMS recipients) is not the list the transcript wrote since the
    /// socket or session was created: every value written to the options
    /// of that total, each with its option's suffix, joined by the
    /// separator ("the complete TO or CC or BCC recipient list",
    /// 5.3.7.6.4.2).
    fn list_read(
        &self,
        d: &Dialect,
        key: Key,
        table: usize,
        option: usize,
        read: &[Option<Val>],
    ) -> Option<String> {
        let list = self.listed.get(&key)?;
        let t = d.tables.get(table)?;
        let opt = t.options.get(option)?;
        let total = t
            .totals
            .iter()
            .find(|tot| !tot.separator.is_empty() && tot.options.contains(&opt.id))?;
        let got = read.first()?.as_ref()?.as_str()?;
        let want = list
            .iter()
            .filter(|(o, _)| total.options.contains(o))
            .map(|(o, v)| format!("{v}{}", total.suffix(*o)))
            .collect::<Vec<_>>()
            .join(total.separator.as_ref());
        (got != want).then(|| {
            format!(
                "option {} ({}) reads \"{got}\", but the list the transcript wrote to options {} of {} since it was created is \"{want}\" (a read gives the complete list, each value with its suffix, 5.3.7.6.4.2)",
                opt.id,
                opt.name,
                total
                    .options
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                state::key_name(d, key)
            )
        })
    }

    /// The modem accepted at `line` what this state refuses: the state
    /// was not what the transcript showed, and the following lines are
    /// judged as if the answer had been right.
    pub fn repair(&mut self, why: &Why, line: usize) {
        const SHOWN: &str = "shown open by the answer";
        let ready = SockState::Ready {
            mapped: false,
            offline: false,
        };
        match *why {
            Why::StackStopped => {
                // The stack was started unseen: what else happened then
                // is unknown.
                self.baseline = None;
                self.stack = None;
            }
            Why::BearerNotOpen(b) | Why::BearerNotStarted(b) => {
                self.baseline = None;
                self.bearers.remove(&b);
            }
            Why::NoBearerStarted => self.baseline = None,
            Why::NotReady(key) => self.set_sock(key, ready, line, SHOWN),
            Why::NoOffline(idx) => {
                self.offline.insert(idx, fact(true, line, SHOWN));
            }
            // The option is not what the transcript showed.
            Why::SendSize { .. } => {
                self.min_mss = None;
                self.stack_applied.remove(&state::OPT_TCP_MIN_MSS);
            }
            Why::SockMax { .. } => {
                self.stack_applied.remove(&state::OPT_SOCK_MAX);
            }
            Why::OfflineBufferFull { .. } => {
                self.stack_applied.remove(&state::OPT_OFFLINE_BUFFER);
            }
            Why::StackStarted
            | Why::BearerOpen(_)
            | Why::BearerStarted
            | Why::InUse(_)
            | Why::Reserved { .. }
            | Why::NotMapped(_)
            | Why::Busy(_)
            | Why::SessionExists
            | Why::OfflineOpen(_) => {}
        }
    }

    /// The data mode of `channel` ended at `line`: its socket is unmapped.
    pub fn left_data(&mut self, channel: &str, line: usize) {
        if let Some(key) = self.mapped.remove(channel) {
            if let Some(SockState::Ready { offline, .. }) = self.socks.get(&key).map(|f| f.value) {
                let value = SockState::Ready {
                    mapped: false,
                    offline,
                };
                self.set_sock(key, value, line, "unmapped");
            }
        }
    }

    /// A modem line of the spec: the state it shows, and the violation
    /// when the state makes it impossible. `held_from`: the line since
    /// which the channel's URCs may have been held (the `CONNECT` of a
    /// data mode it has just left).
    pub fn message(
        &mut self,
        d: &Dialect,
        m: &ParsedMessage,
        line: usize,
        pending: Option<&Request>,
        held_from: Option<usize>,
    ) -> Option<String> {
        let id = d.messages.get(m.message)?.id.as_ref();
        let f = &m.values.params;
        let key = || Some((state::field_u8(f.first())?, state::field_u8(f.get(1))?));
        if id.starts_with("WipDataRw") {
            if let Some(idx) = state::field_u8(f.get(1)) {
                self.told.insert(idx);
            }
        }
        match id {
            "WipReady" => {
                let key = key()?;
                let why = self.gone(d, key).or_else(|| {
                    if let Some(s) = self.spawned.get(&key) {
                        return Some(format!(
                            "{} was spawned by TCP server {} at line {}: a spawned socket is announced by +WIPACCEPT; +WIPREADY answers an AT+WIPCREATE (5.1.2)",
                            state::key_name(d, key),
                            s.value,
                            s.line
                        ));
                    }
                    if let Some(u) = self.used_early.get(&key) {
                        let what = if u.how == TOLD_DATA {
                            "had data to read told by +WIPDATA"
                        } else {
                            "was used in data mode"
                        };
                        return Some(format!(
                            "{} {what} at line {} already: +WIPREADY comes once the socket is ready for usage, before (5.1.6)",
                            state::key_name(d, key),
                            u.line
                        ));
                    }
                    if let Some(twice) = self.readied.get(&key) {
                        return Some(format!(
                            "{} was already made ready at line {} (+WIPREADY comes once per creation, 5.1.2)",
                            state::key_name(d, key),
                            twice.line,
                        ));
                    }
                    // A TCP client's peer closes a connection made: its
                    // +WIPREADY ("once the TCP client is ready", 5.1.6)
                    // came before, or never comes.
                    if let Some(c) = self.peer_closed.get(&key) {
                        return Some(format!(
                            "the peer of {} closed it at line {} already: +WIPREADY comes once the socket is ready for usage, before (5.1.6)",
                            state::key_name(d, key),
                            c.line
                        ));
                    }
                    None
                });
                self.readied.insert(key, fact((), line, "made ready"));
                let (mapped, offline) = self.ready_flags(key);
                let value = SockState::Ready { mapped, offline };
                self.set_sock(key, value, line, "made ready");
                why
            }
            "WipAccept" => {
                let server = state::field_u8(f.first())?;
                let idx = state::field_u8(f.get(1))?;
                let why = self.accept_refused(d, server, idx, held_from);
                let value = SockState::Ready {
                    mapped: false,
                    offline: false,
                };
                self.set_sock((TCP, idx), value, line, "spawned");
                self.spawned
                    .insert((TCP, idx), fact(server, line, "spawned"));
                self.peer_closed.remove(&(TCP, idx));
                self.announced.remove(&(TCP, idx));
                if let Some(on) = self.accepted_on.get_mut(&server) {
                    on.push(idx);
                }
                self.readied.remove(&(TCP, idx));
                why
            }
            // A line of the answer to AT+WIPBR? (4.2.2): an open bearer
            // and its state, as the transcript left them.
            "WipBrState" => {
                let bid = state::field_int(f.first())?;
                let started = state::field_int(f.get(1))? == 1;
                let name = state::bearer_name(d, bid);
                match self.bearer(bid)? {
                    BearerState::Closed => Some(format!(
                        "{}: AT+WIPBR? lists the open bearers (4.2.2)",
                        self.explain(d, &Why::BearerNotOpen(bid))
                    )),
                    BearerState::Open if started => Some(format!(
                        "<state> = 1 (started), but bearer {name} is open and not started{}",
                        self.bearers.get(&bid).map(Fact::told).unwrap_or_default()
                    )),
                    BearerState::Started if !started => Some(format!(
                        "<state> = 0 (stopped), but bearer {name} is started{}",
                        self.bearers.get(&bid).map(Fact::told).unwrap_or_default()
                    )),
                    _ => None,
                }
            }
            // A bearer started in server mode reports its connection
            // (4.2.2: "if <mode>=1, unsolicited response"); no other
            // bearer does.
            "WipBrStatus" => {
                let bid = state::field_int(f.first())?;
                if matches!(pending, Some(&Request::Bearer { bid: b, cmd: 4 }) if b == bid) {
                    return None;
                }
                let name = state::bearer_name(d, bid);
                match self.bearer(bid)? {
                    BearerState::Started => {
                        let start = self.started_as_server.get(&bid)?;
                        (!start.value).then(|| {
                            format!(
                                "bearer {name} was {} at line {}: only a bearer started as a server (<mode> 1) reports its connection this way (4.2.2)",
                                start.how, start.line
                            )
                        })
                    }
                    BearerState::Closed | BearerState::Open => Some(format!(
                        "{}: only a bearer started as a server reports its connection this way (4.2.2)",
                        self.explain(d, &Why::BearerNotStarted(bid))
                    )),
                }
            }
            "WipPeerClose" => {
                // A session's +WIPPEERCLOSE follows its +WIPCLOSE (5.2.7),
                // and a peer may close a socket while the host closes it:
                // its URC may follow the OK.
                // Once: a second one, or one of a session known never to
                // have been created, names what is gone.
                let key = key()?;
                if let Some(a) = self.announced.get(&key).filter(|_| key.0 == TCP) {
                    return Some(format!(
                        "the +WIPDATA at line {} announced data of {}, and no AT+WIPDATA was sent since: \
                         its peer's close is not told before one is (6.2.6)",
                        a.line,
                        state::key_name(d, key)
                    ));
                }
                // Any protocol of 5.2.3's table may be told, a UDP
                // socket's and a TCP server's included: the URC shares the
                // table of +WIPCLOSE, and no section says which protocols
                // never get one, so none is refused for its protocol.
                match self.socks.get(&key) {
                    // After the host's own +WIPCLOSE the URC may come for
                    // any socket or session (5.2.1: "an unsolicited event
                    // is generated" when one is closed; 5.2.7 names FTP's,
                    // erratum E62), once.
                    Some(f) if f.value == SockState::Absent && f.how == "closed" => {
                        self.set_sock(key, SockState::Absent, line, "closed by its peer");
                        None
                    }
                    // A TCP socket's peer closes it once; the socket stays
                    // until the host closes it (5.2.7).
                    _ if key.0 == TCP && self.peer_closed.contains_key(&key) => {
                        let at = self.peer_closed.get(&key).map_or(0, |f| f.line);
                        Some(format!(
                            "the peer of {} closed it at line {at} already: +WIPPEERCLOSE tells it once",
                            state::key_name(d, key)
                        ))
                    }
                    _ if key.0 == TCP
                        && self.socket(key).is_some_and(|s| s != SockState::Absent) =>
                    {
                        self.peer_closed
                            .insert(key, fact((), line, "closed by its peer"));
                        None
                    }
                    // A session's peer close ends it (the server ended
                    // it, or an MMS sent, E12): a new one may be created.
                    _ if state::is_session(key.0)
                        && self.socket(key) != Some(SockState::Absent) =>
                    {
                        if self.owns_offline(key) {
                            self.end_offline(key.1, line, "ended with its session");
                        }
                        self.set_sock(key, SockState::Absent, line, "closed by its peer");
                        None
                    }
                    _ => self.gone(d, key),
                }
            }
            // A socket's data indication, an HTTP session's status (6.1.6)
            // and an MMS session's size (6.1.7) name a socket or session
            // that exists.
            "WipFileHttpStatus" => {
                let key = key()?;
                if let Some(why) = self.gone(d, key) {
                    return Some(why);
                }
                let mode = state::field_int(f.get(2))?;
                match self.http_due.remove(&key) {
                    Some(due) if due.value != mode => Some(format!(
                        "<mode> = {mode}, but the request of HTTP session {} at line {} was mode {} (6.1.4: the status of that request)",
                        key.1, due.line, due.value
                    )),
                    Some(_) => None,
                    // Judged only of a session the transcript created.
                    None if self.socks.get(&key).is_some_and(|f| f.value != SockState::Absent) => {
                        Some(format!(
                            "no +WIPFILE request of HTTP session {} awaits its status (6.1.4: one status per request, after it)",
                            key.1
                        ))
                    }
                    None => None,
                }
            }
            "WipDataUdp" | "WipDataTcp" | "WipFileMmsSize" => {
                let key = key()?;
                if id == "WipFileMmsSize" {
                    if let Some(why) = self.mms_size_kept(key, state::field_int(f.get(2))) {
                        return Some(why);
                    }
                }
                // In a data offline session the data is shown as it comes
                // (6.3): no AT+WIPDATA is due before the peer's close.
                // A session not shown closed may be open (a log from its
                // middle): the indications are then not sequenced.
                let offline = self.ready_flags(key).1 || self.offline(key.1) != Some(false);
                if let (Some(a), false, "WipDataUdp" | "WipDataTcp") =
                    (self.announced.get(&key), offline, id)
                {
                    return Some(format!(
                        "the +WIPDATA at line {} announced data of {}, and no AT+WIPDATA read it since: \
                         the next indication is sent once the first datagram or packet has been read \
                         (6.2.6, cautions)",
                        a.line,
                        state::key_name(d, key)
                    ));
                }
                // A TCP connection's data comes before its peer's close:
                // none is told after it.
                if let (Some(c), "WipDataTcp") = (self.peer_closed.get(&key), id) {
                    return Some(format!(
                        "the peer of {} closed it at line {}: a TCP peer sends no data after its close, \
                         and data received before it is told before it (6.2.6)",
                        state::key_name(d, key),
                        c.line
                    ));
                }
                // Data told before the socket's +WIPREADY: that cannot
                // come after (5.1.6), as for data moved in data mode.
                if matches!(id, "WipDataUdp" | "WipDataTcp")
                    && matches!(key.0, UDP | TCP)
                    && !self.readied.contains_key(&key)
                    && !self.spawned.contains_key(&key)
                {
                    self.used_early
                        .entry(key)
                        .or_insert_with(|| fact((), line, TOLD_DATA));
                }
                if matches!(id, "WipDataUdp" | "WipDataTcp") && !offline {
                    self.announced.insert(key, fact((), line, "announced"));
                }
                if id == "WipDataUdp" && !offline {
                    match state::field_int(f.get(2)) {
                        Some(size) => self
                            .udp_announced
                            .insert(key, fact(size, line, "announced")),
                        None => self.udp_announced.remove(&key),
                    };
                }
                // A datagram on a UDP socket in a data offline session is
                // dumped as it comes: its blocks hold the size announced
                // (6.3.6, E35). A TCP count "might not be reliable" (6.2.6).
                if id == "WipDataUdp" && self.ready_flags(key).1 {
                    if let Some(size) = state::field_int(f.get(2)) {
                        self.datagrams.entry(key.1).or_default().push_back(fact(
                            size,
                            line,
                            "announced",
                        ));
                    }
                }
                self.gone(d, key)
            }
            // A +WIPFILE in data offline mode opens its session on its own
            // index and answers on it (6.3.6: `AT+WIPFILE=4,2,7` answered
            // `+WIPDATARW: 2,2,...`).
            "WipDataRwData" | "WipDataRwSent" | "WipDataRwSession" if m.solicited => {
                let idx = state::field_u8(f.get(1))?;
                match pending {
                    Some(Request::File { key: (_, own), .. }) if *own != idx => Some(format!(
                        "<idx> = {idx} does not answer the command, whose session index is {own} (6.3.6)"
                    )),
                    Some(&Request::DataRw { command, bytes, .. }) => {
                        let why = self
                            .datarw_answer(id, f, idx, command, bytes)
                            .or_else(|| self.offline_line(id, f, line));
                        if id == "WipDataRwSent" {
                            self.answered_send.get_or_insert(line);
                        }
                        why
                    }
                    // Only a data offline mode (6 to 9) opens a session and
                    // answers with +WIPDATARW (6.3, 6.1.5).
                    Some(&Request::File { mode, .. }) if !state::is_offline_file(mode) => {
                        Some(format!(
                            "`+WIPDATARW` answers an AT+WIPFILE in <mode> {}: only modes 6 to 9 open a data offline session (6.3, 6.1.5)",
                            mode.map_or_else(|| "?".to_string(), |m| m.to_string())
                        ))
                    }
                    Some(&Request::Data { mode, .. }) if mode != 3 && id == "WipDataRwSession" => {
                        Some(format!(
                            "`+WIPDATARW` answers an AT+WIPDATA in <mode> {mode}: only mode 3 opens a data offline session (6.3, 6.2.7)"
                        ))
                    }
                    // An upload reads no data to the host (6.1.5).
                    Some(&Request::File { mode, .. })
                        if id == "WipDataRwData" && state::is_offline_upload(mode) =>
                    {
                        Some(upload_reads_nothing(idx, mode))
                    }
                    // The +WIPFILE starts a transfer of its own.
                    Some(Request::File { .. }) => {
                        self.reading.entry(idx).or_insert(None);
                        self.offline_line(id, f, line)
                    }
                    _ => self.offline_line(id, f, line),
                }
            }
            // A block of data, or the size sent, of a data offline session
            // (6.3.2), unsolicited: the session is open on that index.
            "WipDataRwData" | "WipDataRwSent" => {
                let idx = state::field_u8(f.get(1))?;
                self.late_open(idx);
                // Sent while an AT+WIPDATARW with no answer of this kind
                // is in flight on the same index (the Close form lists
                // none, so the line came as unsolicited): what it does
                // not send cannot be reported (6.3.3).
                let in_flight = match pending {
                    Some(&Request::DataRw {
                        idx: own,
                        command,
                        bytes,
                    }) if own == idx && id == "WipDataRwSent" => {
                        self.datarw_answer(id, f, idx, command, bytes)
                    }
                    // With no write in flight on its index, a size sent is
                    // at most what the TX buffer held (6.3.3), which it
                    // empties.
                    _ if id == "WipDataRwSent" => {
                        let size = state::field_int(f.get(2))?;
                        let why = self.txbuf.get(&idx).and_then(|held| {
                            (usize::try_from(size).ok()? > held.value).then(|| {
                                format!(
                                    "<size> = {size}, more than the TX buffer held: {} byte{} written with <command> 2 since {} {} (6.3.3)",
                                    held.value,
                                    if held.value == 1 { "" } else { "s" },
                                    held.how,
                                    held.line
                                )
                            })
                        });
                        if let Some(b) = self.txbuf.get_mut(&idx) {
                            *b = fact(0, line, "the send at line");
                        }
                        why
                    }
                    _ => None,
                };
                // The report of the send of a command 3 may come after the
                // session it closed (6.3.2: unsolicited), before its close.
                let closing = id == "WipDataRwSent" && self.close_due.contains(&idx);
                in_flight
                    .or_else(|| {
                        (self.offline(idx) == Some(false) && !closing)
                            .then(|| self.explain(d, &Why::NoOffline(idx)))
                    })
                    .or_else(|| self.offline_line(id, f, line))
            }
            "WipPing" => {
                let (due, last) = self.pings.as_mut()?;
                if *due > 0 {
                    *due -= 1;
                    let (requests, timeout, interval) = self.ping_alone?;
                    let int = |i: usize| state::field_int(f.get(i));
                    let (expired, packet, time) = (int(0)?, int(1)?, int(2)?);
                    let at = last.as_ref().map(|f| f.line).unwrap_or_default();
                    if packet >= i64::from(requests) {
                        return Some(format!(
                            "<packet_idx> = {packet}, but the ping accepted at line {at} sends {requests} request{}, numbered from 0 (7.1.3)",
                            if requests == 1 { "" } else { "s" }
                        ));
                    }
                    if self.ping_seen.contains(&packet) {
                        return Some(format!(
                            "<packet_idx> = {packet} was reported already by the ping accepted at line {at}: one report per request (7.1.1, 7.1.3)"
                        ));
                    }
                    // With an interval no shorter than the timeout, each
                    // request's response or timeout comes before the next
                    // request is sent: the reports come in order.
                    let later = self.ping_seen.iter().copied().filter(|&p| p > packet).max();
                    if let (Some(later), Some(t), Some(i)) = (later, timeout, interval) {
                        if i >= t {
                            self.ping_seen.push(packet);
                            return Some(format!(
                                "<packet_idx> = {packet} is reported after request {later}, but the ping accepted at line {at} \
                                 sends a request every {i} ms, no sooner than its <timeout> of {t} ms: each request is reported, \
                                 by its response or its timeout, before the next is sent (7.1.1, 7.1.3)"
                            ));
                        }
                    }
                    self.ping_seen.push(packet);
                    if let Some(t) = timeout.filter(|&t| expired == 0 && time > t) {
                        return Some(format!(
                            "<response_time> = {time} ms with <timeout_expired> 0 (a response before <timeout>, 7.1.3), but the ping accepted at line {at} has a <timeout> of {t} ms"
                        ));
                    }
                    return None;
                }
                // Judged as if a ping had been running: none is due after.
                Some(match last {
                    Some(f) => format!(
                        "no ping is in progress: the {} request{} of the ping {} at line {} \
                         had {} report{} (one per request, 7.1.1)",
                        f.value,
                        if f.value == 1 { "" } else { "s" },
                        f.how,
                        f.line,
                        if f.value == 1 { "its" } else { "their" },
                        if f.value == 1 { "" } else { "s" },
                    ),
                    None => self.since_baseline(
                        "no ping is in progress (a report follows a ping's request, 7.1.1)".into(),
                    ),
                })
            }
            // A session opens only in the answer of the command that opens
            // it (6.3: "DATA offline session starts when AT+WIPDATA command
            // is used with mode (3) or when AT+WIPFILE command is used with
            // mode (6, 7, 8 or 9)"), or after its `OK`, unsolicited (6.3.2),
            // once; one known not open cannot close.
            "WipDataRwSession" => {
                let open = state::field_int(f.first())? == 1;
                let idx = state::field_u8(f.get(1))?;
                let opener = match pending {
                    Some(Request::Data { mode: 3, .. }) => true,
                    Some(&Request::File { mode, .. }) => state::is_offline_file(mode),
                    _ => false,
                } || (open && self.offline_due.remove(&idx).is_some());
                if open && !opener {
                    return Some(format!(
                        "a data offline session on index {idx} opens only in the answer of AT+WIPDATA=<protocol>,{idx},3 or of an AT+WIPFILE in mode 6 to 9 (6.3), or after that command's OK, once (6.3.2)"
                    ));
                }
                if !open {
                    self.late_open(idx);
                    if self.close_due.remove(&idx) {
                        return None;
                    }
                }
                if !open && self.offline(idx) == Some(false) {
                    return Some(self.explain(d, &Why::NoOffline(idx)));
                }
                self.offline_line(id, f, line)
            }
            _ => None,
        }
    }

    /// A block of data read (`+WIPDATARW: 2,<idx>,<nb_block>,<num_block>,…`,
    /// 6.3.2): the blocks of a transfer come numbered from 1 to
    /// `<nb_block>`, in order (6.3.6: 2,1 then 2,2). Checked once the
    /// transcript showed where a transfer starts.
    fn block(&mut self, f: &[Option<Val>], line: usize) -> Option<String> {
        let int = |i: usize| state::field_int(f.get(i));
        let idx = state::field_u8(f.get(1))?;
        if self
            .file_offline
            .iter()
            .any(|&(i, upload)| i == idx && upload)
        {
            return Some(upload_reads_nothing(idx, None));
        }
        let (nb, num) = (int(2)?, int(3)?);
        let why = match self.reading.get(&idx) {
            None => None,
            Some(None) if num != 1 => Some(format!(
                "block {num} of {nb}, but no transfer is in progress on index {idx}: the blocks of a transfer are numbered from 1 (6.3.2)"
            )),
            Some(None) => None,
            Some(Some(due)) => {
                let (nb0, next) = due.value;
                (nb != nb0 || num != next).then(|| {
                    format!(
                        "block {num} of {nb}, but block {next} of {nb0} is due (the transfer's block 1 came at line {}, 6.3.2)",
                        due.line
                    )
                })
            }
        };
        // 6.3.3: "DATA received are displayed by 200 byte block if
        // received data buffer to display is bigger than 200 bytes": each
        // block but the last holds 200 bytes.
        let dump = match f.get(4) {
            Some(Some(Val::Str(s))) => Some(s.len() / 2),
            _ => None,
        };
        let why = why.or_else(|| {
            let bytes = dump.filter(|&n| num < nb && n != BLOCK)?;
            Some(format!(
                "block {num} of {nb} holds {bytes} bytes: data is shown in blocks of {BLOCK} bytes, only the last may hold fewer (6.3.3)"
            ))
        });
        let why = why.or_else(|| self.datagram_size(idx, nb, num, dump));
        // Judged on as if it were right.
        let started = match self.reading.get(&idx) {
            Some(Some(due)) if num > 1 => due.line,
            _ => line,
        };
        let state = (num < nb).then(|| fact((nb, num + 1), started, "started"));
        self.reading.insert(idx, state);
        why
    }

    /// Why block `num` of `nb` of a transfer on index `idx`, holding
    /// `dump` bytes, does not fit the datagram a `+WIPDATA` announced: the
    /// transfer of a datagram announced on a UDP socket in a data offline
    /// session holds the size announced (6.3.6, E35), shown in blocks of
    /// 200 bytes (6.3.3): `<nb_block>` is the size over 200, rounded up,
    /// and the last block holds the rest.
    fn datagram_size(&mut self, idx: u8, nb: i64, num: i64, dump: Option<usize>) -> Option<String> {
        if num == 1 {
            let next = self.datagrams.get_mut(&idx).and_then(VecDeque::pop_front);
            match next {
                Some(size) => self.transfer.insert(idx, size),
                None => self.transfer.remove(&idx),
            };
        }
        let size = self.transfer.get(&idx)?.clone();
        let block = i64::try_from(BLOCK).unwrap_or(i64::MAX);
        let blocks = (size.value.max(1) + block - 1) / block;
        if nb != blocks {
            self.transfer.remove(&idx);
            return Some(format!(
                "<nb_block> = {nb}, but the +WIPDATA at line {} announced a datagram of {} bytes: \
                 {blocks} block{} of at most {BLOCK} bytes (6.3.3, 6.3.6)",
                size.line,
                size.value,
                if blocks == 1 { "" } else { "s" }
            ));
        }
        if num < nb {
            return None;
        }
        self.transfer.remove(&idx);
        let bytes = i64::try_from(dump?).ok()?;
        let total = (nb - 1).saturating_mul(block).saturating_add(bytes);
        (total != size.value).then(|| {
            format!(
                "the blocks hold {total} bytes, but the +WIPDATA at line {} announced a datagram of {} bytes: \
                 the announced size is that of the dump (6.3.6, E35)",
                size.line, size.value
            )
        })
    }

    /// Why a `+WIPDATARW` line cannot answer `AT+WIPDATARW=<command>,<idx>`
    /// carrying `bytes` (6.3.3): no command opens a session; command 0
    /// closes and 2 only adds to the TX buffer, so neither sends; a size
    /// sent is at most what the buffer held (6.3.6: 200 + 200 + 2 bytes
    /// give 402).
    fn datarw_answer(
        &self,
        id: &str,
        f: &[Option<Val>],
        idx: u8,
        command: Option<i64>,
        bytes: usize,
    ) -> Option<String> {
        let command = command?;
        let int = |i: usize| state::field_int(f.get(i));
        match id {
            "WipDataRwSession" if int(0)? == 1 => Some(format!(
                "AT+WIPDATARW with <command> {command} opens no session: `+WIPDATARW: 1,{idx}` answers the command that opens one (6.3.2)"
            )),
            "WipDataRwSent" if command == 0 => Some(
                "<command> 0 closes the session and sends nothing (6.3.3)".into(),
            ),
            "WipDataRwSent" if command == 2 => Some(
                "<command> 2 adds data to the TX buffer, but the buffer is not sent (6.3.3)".into(),
            ),
            "WipDataRwSent" if self.answered_send.is_some() => Some(format!(
                "the answer reported the send at line {} already: one `+WIPDATARW: 3,<idx>,<size>` \
                 answers an AT+WIPDATARW that sends (6.3.3)",
                self.answered_send.unwrap_or_default()
            )),
            "WipDataRwSent" => {
                let held = self.txbuf.get(&idx)?;
                let size = int(2)?;
                let most = held.value.saturating_add(bytes);
                (usize::try_from(size).ok()? > most).then(|| {
                    format!(
                        "<size> = {size}, more than the TX buffer held: {} byte{} written with <command> 2 since {} {}, and {bytes} with this command (6.3.3, 6.3.6)",
                        held.value,
                        if held.value == 1 { "" } else { "s" },
                        held.how,
                        held.line
                    )
                })
            }
            _ => None,
        }
    }

    /// `AT+WIPDATARW` command 0 (close) or 3 (send and close) answered `OK`
    /// at `line` (6.3.3): the session is closed, whether or not its
    /// `+WIPDATARW: 0,<idx>` came in the answer; one that did not may still
    /// come, unsolicited (6.3.2), once.
    fn closed_by_command(&mut self, idx: u8, line: usize) {
        if self.offline(idx) == Some(true) {
            self.end_offline(idx, line, "closed by the command answered");
            self.close_due.insert(idx);
        }
    }

    /// The socket or session `key` closed or created anew: a data offline
    /// session its command opened and that was not told yet will not be.
    fn drop_due(&mut self, key: Key) {
        if self.offline_due.get(&key.1).is_some_and(|f| f.value == key) {
            self.offline_due.remove(&key.1);
        }
    }

    /// A block, a send report or the close of the data offline session of
    /// `idx` after the `OK` of the command that opened it, the session's
    /// opening not told (the manual's `+WIPFILE` download in 6.3.6 shows
    /// none): the command opened it.
    fn late_open(&mut self, idx: u8) {
        if self.offline(idx) == Some(true) {
            return;
        }
        if let Some(due) = self.offline_due.remove(&idx) {
            self.offline
                .insert(idx, fact(true, due.line, "opened by the command answered"));
            self.txbuf.insert(
                idx,
                fact(
                    0,
                    due.line,
                    "the session opened by the command answered at line",
                ),
            );
            self.reading.insert(idx, None);
        }
    }

    /// A `+WIPDATARW` line that opens or closes a data offline session
    /// (`<state>` 1 or 0, 6.3.2) notes it; nothing refuses it.
    fn offline_line(&mut self, id: &str, f: &[Option<Val>], line: usize) -> Option<String> {
        if id == "WipDataRwData" {
            return self.block(f, line);
        }
        if id == "WipDataRwSession" {
            let open = state::field_int(f.first())? == 1;
            let idx = state::field_u8(f.get(1))?;
            if let Some(at) = self.offline.get(&idx).filter(|f| open && f.value) {
                return Some(format!(
                    "the data offline session of index {idx} is open already (it was opened at line {}): \
                     `+WIPDATARW: 1,{idx}` tells its opening once (6.3.2)",
                    at.line
                ));
            }
            let how = if open { "opened" } else { "closed" };
            self.offline.insert(idx, fact(open, line, how));
            if open {
                self.opened_now = Some((idx, line));
            }
            self.forget_datagrams(idx);
            if open {
                self.txbuf
                    .insert(idx, fact(0, line, "the session opened at line"));
                self.reading.insert(idx, None);
            } else {
                self.txbuf.remove(&idx);
                self.reading.remove(&idx);
                self.file_offline.retain(|o| o.0 != idx);
                // The socket of the session is free to be mapped again.
                let keys: Vec<Key> = self
                    .socks
                    .iter()
                    .filter(|(k, f)| {
                        k.1 == idx && matches!(f.value, SockState::Ready { offline: true, .. })
                    })
                    .map(|(k, _)| *k)
                    .collect();
                for key in keys {
                    let (mapped, _) = self.ready_flags(key);
                    let value = SockState::Ready {
                        mapped,
                        offline: false,
                    };
                    self.set_sock(key, value, line, "left its data offline session");
                }
            }
        }
        None
    }

    /// Why TCP server `server` cannot have spawned TCP socket `idx`
    /// (`+WIPACCEPT: <server>,<idx>`): the server is known absent, `idx`
    /// is outside the range of communication indexes it was created with
    /// (5.1.3), or a TCP socket known open holds `idx` (a server spawns on
    /// a free index of its range, and refuses the connection when none is
    /// left, 5.1.7).
    fn accept_refused(
        &self,
        d: &Dialect,
        server: u8,
        idx: u8,
        held_from: Option<usize>,
    ) -> Option<String> {
        let skey = (SERVER, server);
        // Held while the channel was in data mode, the URC may tell of a
        // connection accepted before the server was closed (by another
        // channel) meanwhile.
        let closed_since_held = held_from.is_some_and(|from| {
            self.socks
                .get(&skey)
                .is_some_and(|f| f.value == SockState::Absent && f.line > from)
        });
        if let Some(why) = self.gone(d, skey).filter(|_| !closed_since_held) {
            return Some(format!("the accepting server is not open: {why}"));
        }
        if let Some(&(from, to)) = self.ranges.get(&server) {
            if !(from..=to).contains(&idx) {
                return Some(format!(
                    "{}{} spawns sockets on communication indexes {from} to {to} only (5.1.3, \
                     5.1.7): it cannot accept a connection on index {idx}",
                    state::key_name(d, skey),
                    self.last(skey),
                ));
            }
        }
        match self.socket((TCP, idx)) {
            Some(SockState::Absent)
                if self
                    .accepted_on
                    .get(&server)
                    .is_some_and(|on| on.contains(&idx)) =>
            {
                Some(format!(
                    "{} spawned a socket on index {idx} before, and it was closed since{}: a server does not give a \
                     closed index again, it accepts a connection and shuts it down at once when no \
                     index of its range is left (9.10, 5.1.7)",
                    state::key_name(d, skey),
                    self.last((TCP, idx)),
                ))
            }
            Some(SockState::Absent) | None => None,
            Some(_) => Some(format!(
                "{} is in use{}: a server spawns a socket only on a free index of its range, \
                 and refuses the connection when none is left (5.1.7)",
                state::key_name(d, (TCP, idx)),
                self.last((TCP, idx)),
            )),
        }
    }

    /// Why an error code answered to `req` states something about the
    /// modem's state that the transcript shows false: 844 "stack already
    /// started" with the stack known stopped, 852 "IP stack not
    /// initialized" with it known started (4.1.5), 840 "already active" for
    /// a socket known absent, and 845 for an index no server is
    /// known to reserve nor socket to hold (5.1.5, 5.1.7). Other codes
    /// (memory, the network, a state the transcript cannot show) pass.
    pub fn code_contradicted(&self, d: &Dialect, req: &Request, code: u32) -> Option<String> {
        let stack = self.stack.as_ref();
        let stack_at = || stack.map(Fact::told).unwrap_or_default();
        match code {
            844 if stack.is_some_and(|f| !f.value) => {
                Some(format!("the IP stack is stopped{}", stack_at()))
            }
            852 if stack.is_some_and(|f| f.value) => {
                Some(format!("the IP stack is started{}", stack_at()))
            }
            c if GPRS_CODES.contains(&c) || c == GPRS_TIMEOUT => {
                let Request::Bearer { bid, cmd } = *req else {
                    return None;
                };
                // "If timer expires before GPRS bearer connects, error 847
                // is returned" (4.2.3 option 21): only a start connects it
                // (opening "only consists in associating the IP protocol
                // stack with the specified bearer", 4.2.7.1).
                if c == GPRS_TIMEOUT && bid == GPRS && cmd != 4 {
                    return Some(format!(
                        "`<cmdtype>` {cmd} connects nothing: 847 comes from WIP_BOPT_GPRS_TIMEOUT \
                         expiring before the GPRS bearer connected, which only a start (`<cmdtype>` 4) \
                         does (4.2.3 option 21, 4.2.7.1)"
                    ));
                }
                if bid != GPRS {
                    return Some(format!(
                        "bearer {} is not GPRS: the GPRS error codes come from attaching to GPRS and \
                         activating its PDP context (4.2.5.2), and 847 from WIP_BOPT_GPRS_TIMEOUT \
                         expiring before the GPRS bearer connected (4.2.3, 10.1)",
                        state::bearer_name(d, bid)
                    ));
                }
                let line = self.gprs_reporting_off(d)?;
                (c != GPRS_TIMEOUT).then(|| {
                    format!(
                        "WIP_BOPT_GPRS_ERROR_REPORTING (option 28) of bearer GPRS was written 0 at \
                         line {line}: the modem then reports the WIPsoft generic error, not the GPRS \
                         CME errors (4.2.3)"
                    )
                })
            }
            840 => {
                // A session: 840 when one is active (5.1.1, 9.15). A
                // session the host closed may still be closing: an FTP or
                // MMS one until its +WIPPEERCLOSE, which follows the OK
                // (5.2.7, erratum E12); an HTTP, SMTP or POP3 one for a
                // time the manual does not give (5.2.1: "an unsolicited
                // event is generated" at a close). Not judged meanwhile.
                let key = match *req {
                    Request::Create(key) => key,
                    Request::CreateServer { idx, .. } => (SERVER, idx),
                    Request::CreateSession(_) => return self.no_session_active(d),
                    _ => return None,
                };
                (self.socket(key) == Some(SockState::Absent)).then(|| {
                    let what = format!("{} is not active", state::key_name(d, key));
                    match self.socks.contains_key(&key) {
                        true => format!("{what}{}", self.last(key)),
                        false => self.since_baseline(what),
                    }
                })
            }
            // "no more free socket" (10.1): WIP_NET_OPT_SOCK_MAX UDP
            // sockets exist (9.14). Judged where the limit the stack
            // applied at its start and every UDP socket since are known.
            838 => {
                let Request::Create((UDP, _)) = *req else {
                    return None;
                };
                // Judged only with UDP sockets alone: whether TCP sockets
                // and sessions count against the limit too, the manual
                // does not settle (4.1.3's note reserves the sockets for
                // UDP, 5.1.7 counts every socket of the stack).
                // A session the host closed may still be closing (see 840).
                let others = self.socks.iter().any(|(k, f)| {
                    k.0 != UDP
                        && (f.value != SockState::Absent
                            || (state::is_session(k.0) && f.how == "closed"))
                });
                if others {
                    return None;
                }
                let n = self.udp_sockets()?;
                let max = self.stack_option(state::OPT_SOCK_MAX)?;
                (i64::try_from(n).unwrap_or(i64::MAX) < max).then(|| {
                    format!(
                        "{n} UDP socket(s) exist and WIP_NET_OPT_SOCK_MAX is {max}{}: a free socket remains \
                         (838 once as many UDP sockets as the option allows exist, 9.14; 4.1.3)",
                        self.applied_at(state::OPT_SOCK_MAX)
                    )
                })
            }
            845 => {
                let (from, to) = match *req {
                    Request::Create((TCP, idx)) => (idx, idx),
                    Request::CreateServer { from, to, .. } => (from, to),
                    // 10.1: a client socket "already reserved/opened by TCP
                    // server/client": TCP indexes only (5.1.7); a UDP
                    // socket or a session has indexes of its own.
                    Request::Create(key) | Request::CreateSession(key) => {
                        return Some(format!(
                            "{} is no TCP socket: 845 is a TCP communication index reserved by a TCP \
                             server or held by a TCP client (10.1, 5.1.7)",
                            state::key_name(d, key)
                        ));
                    }
                    _ => return None,
                };
                let free = (from..=to).all(|i| {
                    self.reserved_by(i) == Some(None)
                        && self.socket((TCP, i)) == Some(SockState::Absent)
                });
                free.then(|| {
                    self.since_baseline(format!(
                        "no TCP server reserves and no TCP socket holds communication index{} {}",
                        if from == to { "" } else { "es" },
                        if from == to {
                            from.to_string()
                        } else {
                            format!("{from} to {to}")
                        }
                    ))
                })
            }
            // A server's refusal of a login (10.1: "username rejected by
            // server", "password rejected by server", "authentication
            // error"): +WIPCREATE lists them for the sessions that log in
            // to a server (5.1.3: FTP, HTTP, SMTP and POP3 take a username
            // and password); a UDP or TCP socket gives none.
            c @ (861 | 862 | 865) => {
                let key = match *req {
                    Request::Create(key) => key,
                    Request::CreateServer { idx, .. } => (SERVER, idx),
                    _ => return None,
                };
                matches!(key.0, UDP | TCP | SERVER).then(|| {
                    format!(
                        "{} logs in to no server: {c} is a login's refusal, of the sessions created with a \
                         username and password (5.1.3, 10.1, erratum E64)",
                        state::key_name(d, key)
                    )
                })
            }
            // Codes whose text names a service (10.1: "SMTP ...", "POP3
            // ...", the MMS errors 890 through 897) answer a transfer on a
            // session of that service only.
            c if service_of(c).is_some() => {
                let (&Request::File { key, .. }, Some((service, proto))) = (req, service_of(c))
                else {
                    return None;
                };
                (key.0 != proto).then(|| {
                    format!(
                        "the transfer is on {}: {c} is an error of {service} sessions (10.1)",
                        state::key_name(d, key)
                    )
                })
            }
            // "Data offline buffer filled": a buffer only a data offline
            // session has; without one the command answers 831 (6.3).
            853 => {
                let Request::DataRw { idx, .. } = *req else {
                    return None;
                };
                (self.offline(idx) == Some(false)).then(|| {
                    let at = self
                        .offline
                        .get(&idx)
                        .map(Fact::told)
                        .unwrap_or_default();
                    self.since_baseline(format!(
                        "no data offline session is open on index {idx}{at}, so it has no buffer to fill: \
                         the modem answers 831 (6.3)"
                    ))
                })
            }
            _ => None,
        }
    }

    /// The line where the transcript wrote `WIP_BOPT_GPRS_ERROR_REPORTING`
    /// 0 on the GPRS bearer, when it is known to be 0 still (4.2.3: the
    /// GPRS CME errors are then not reported).
    fn gprs_reporting_off(&self, d: &Dialect) -> Option<usize> {
        let (t, table) = table(d, "bearer")?;
        let o = table
            .options
            .iter()
            .position(|o| o.name.as_ref() == "WIP_BOPT_GPRS_ERROR_REPORTING")?;
        let f = self.set.get(&(Scope::Bearer(GPRS), t, o))?;
        (f.value.first() == Some(&Val::Int(0))).then_some(f.line)
    }

    /// Why a read of a GSM bearer's address cannot give what it gave:
    /// "For GSM bearer, the options WIP_BOPT_IP_ADDR and
    /// WIP_BOPT_IP_DST_ADDR will display valid addresses only when the
    /// bearer is started and connected, else it will display an address
    /// 0.0.0.0" (4.2.7.1); judged while the bearer is known open and not
    /// started.
    fn gsm_address_unset(
        &self,
        d: &Dialect,
        scope: Scope,
        o: &wip_schema::bind::BoundOption,
    ) -> Option<String> {
        let Scope::Bearer(bid) = scope else {
            return None;
        };
        if Some(bid) != state::bearer_id(d, "GSM") {
            return None;
        }
        let opt = d.tables.get(o.table)?.options.get(o.option)?;
        if !matches!(
            opt.name.as_ref(),
            "WIP_BOPT_IP_ADDR" | "WIP_BOPT_IP_DST_ADDR"
        ) {
            return None;
        }
        let f = self.bearers.get(&bid)?;
        if f.value != BearerState::Open {
            return None;
        }
        match o.values.first() {
            Some(Some(Val::Str(v))) if v != "0.0.0.0" => Some(format!(
                "{} of the GSM bearer reads \"{v}\", but it reads \"0.0.0.0\" until the bearer is started and connected (4.2.7.1; it was {} at line {})",
                opt.name, f.how, f.line
            )),
            _ => None,
        }
    }

    /// Why a socket cannot be named by a URC: it is known absent.
    fn gone(&self, d: &Dialect, key: Key) -> Option<String> {
        (self.socket(key) == Some(SockState::Absent)).then(|| self.explain(d, &Why::NotReady(key)))
    }

    fn since_baseline(&self, what: String) -> String {
        match &self.baseline {
            Some(b) => format!(
                "{what} (none since the IP stack was {} at line {})",
                b.how, b.line
            ),
            None => what,
        }
    }

    /// Why 840 for a session creation contradicts the state: no service
    /// session is active (known since the baseline), and none the host
    /// closed may still be closing: each one the host closed has told its
    /// end by `+WIPPEERCLOSE` (5.2.7, erratum E12). An HTTP, SMTP or POP3
    /// session the host closed is never judged so.
    fn no_session_active(&self, d: &Dialect) -> Option<String> {
        if self.any_session() != Some(false) {
            return None;
        }
        let sessions = || self.socks.iter().filter(|(k, _)| state::is_session(k.0));
        let closing = sessions().any(|(_, f)| f.value == SockState::Absent && f.how == "closed");
        if closing {
            return None;
        }
        Some(match sessions().max_by_key(|(_, f)| f.line) {
            None => self.since_baseline(
                "no service session is active, and none was created (one at a time, 5.1.1)".into(),
            ),
            Some((&k, f)) => format!(
                "no service session is active: the last, {}, was {} at line {} (one at a time, 5.1.1; \
                 a session is gone once its +WIPPEERCLOSE came, 5.2.7)",
                state::key_name(d, k),
                f.how,
                f.line
            ),
        })
    }

    /// ` (it was created at line 11)`: the last fact about a socket.
    fn last(&self, key: Key) -> String {
        self.socks.get(&key).map(Fact::told).unwrap_or_default()
    }

    /// The state that refuses, for people, with the line that set it.
    pub fn explain(&self, d: &Dialect, why: &Why) -> String {
        let stack = || match &self.stack {
            Some(f) => format!("the IP stack was {} at line {}", f.how, f.line),
            None => "the IP stack is stopped".to_string(),
        };
        let sock = |key: Key| -> String {
            let name = state::key_name(d, key);
            match self.socks.get(&key) {
                Some(f) if f.value == SockState::Opening => {
                    format!("{name} was {} at line {} and is not ready", f.how, f.line)
                }
                Some(f) => format!("{name} was {} at line {}", f.how, f.line),
                None => self.since_baseline(format!("{name} does not exist")),
            }
        };
        let bearer = |bid: i64| -> String {
            let name = format!("bearer {}", state::bearer_name(d, bid));
            match self.bearers.get(&bid) {
                Some(f) => format!("{name} was {} at line {}", f.how, f.line),
                None => self.since_baseline(format!("{name} is not open")),
            }
        };
        match why {
            Why::StackStopped | Why::StackStarted => stack(),
            Why::BearerNotOpen(b) | Why::BearerOpen(b) | Why::BearerNotStarted(b) => bearer(*b),
            Why::BearerStarted => match self
                .bearers
                .iter()
                .find(|(_, f)| f.value == BearerState::Started)
            {
                Some((b, _)) => bearer(*b),
                None => "a bearer is started".into(),
            },
            Why::NoBearerStarted => self.since_baseline("no bearer is started".into()),
            Why::InUse(key) | Why::NotReady(key) => sock(*key),
            Why::NotMapped(key) => format!(
                "{} is not mapped on a UART{}",
                state::key_name(d, *key),
                self.last(*key)
            ),
            // The reason the state gives: a data offline session still
            // open is cited as such, not the last event of the socket
            // (leaving data mode with `+++` does not close it).
            Why::Busy(key) => match (self.ready_flags(*key), self.offline.get(&key.1)) {
                ((_, true), Some(f)) if f.value => format!(
                    "{} is in a data offline session (it was {} at line {}, and not closed since)",
                    state::key_name(d, *key),
                    f.how,
                    f.line
                ),
                ((true, false), _) => format!(
                    "{} is mapped on a UART{}",
                    state::key_name(d, *key),
                    self.last(*key)
                ),
                _ => format!(
                    "{} is mapped on a UART or in a data offline session{}",
                    state::key_name(d, *key),
                    self.last(*key)
                ),
            },
            Why::Reserved { server, idx } => {
                let skey = (SERVER, *server);
                // A range held by the server's earlier creation: its
                // sockets, and no open server behind it.
                if let Some((_, (from, to), socks)) = self
                    .held_ranges
                    .iter()
                    .find(|(s, (from, to), _)| s == server && (*from..=*to).contains(idx))
                {
                    let open: Vec<String> = socks.iter().map(|k| k.1.to_string()).collect();
                    return format!(
                        "communication index {idx} is reserved by the range {from} to {to} of {} \
                         as it was before its index was created anew: a socket that server spawned \
                         is still open (index {}), and the range stays reserved until the spawned \
                         sockets are closed too (5.1.7)",
                        state::key_name(d, skey),
                        open.join(", ")
                    );
                }
                let open: Vec<String> = self
                    .spawned
                    .iter()
                    .filter(|(k, f)| f.value == *server && !self.held_socket(**k))
                    .map(|(k, _)| k.1.to_string())
                    .collect();
                let still = match self.socket(skey) {
                    Some(SockState::Absent) if !open.is_empty() => format!(
                        ", and a socket it spawned is still open (index {}): the range stays \
                         reserved until the spawned sockets are closed too (5.1.7)",
                        open.join(", ")
                    ),
                    _ => String::new(),
                };
                format!(
                    "communication index {idx} is reserved by {}{}{still}",
                    state::key_name(d, skey),
                    self.last(skey)
                )
            }
            Why::SessionExists => match self
                .socks
                .iter()
                .find(|(k, f)| state::is_session(k.0) && f.value != SockState::Absent)
            {
                Some((k, _)) => format!("{} (one session at a time, 5.1.1)", sock(*k)),
                None => "a session exists (one at a time, 5.1.1)".into(),
            },
            Why::NoOffline(idx) => match self.offline.get(idx) {
                Some(f) => format!(
                    "the data offline session on index {idx} was {} at line {}",
                    f.how, f.line
                ),
                None => {
                    self.since_baseline(format!("no data offline session is open on index {idx}"))
                }
            },
            Why::OfflineOpen(idx) => match self.offline.get(idx) {
                Some(f) => format!(
                    "the data offline session on index {idx} was {} at line {}",
                    f.how, f.line
                ),
                None => format!("a data offline session is open on index {idx}"),
            },
            Why::SockMax { max } => {
                let open: Vec<String> = self
                    .socks
                    .iter()
                    .filter(|(k, f)| k.0 == UDP && f.value != SockState::Absent)
                    .map(|(k, _)| k.1.to_string())
                    .collect();
                format!(
                    "{} UDP socket(s) exist (index {}) and WIP_NET_OPT_SOCK_MAX is {max}{}: no more UDP socket can be created (9.14)",
                    open.len(),
                    open.join(", "),
                    self.applied_at(state::OPT_SOCK_MAX)
                )
            }
            Why::OfflineBufferFull {
                idx,
                buffered,
                bytes,
                size,
            } => format!(
                "the data offline session on index {idx} holds {buffered} byte(s) not sent, and {bytes} more would pass the buffer size of {size} bytes (+WIPCFG option 15{}, 4.1.3, 6.3.5)",
                self.applied_at(state::OPT_OFFLINE_BUFFER)
            ),
            Why::SendSize { size, mss } => {
                let at = match &self.min_mss {
                    Some(f) => format!(", {} at line {}", f.how, f.line),
                    None => self.applied_at(state::OPT_TCP_MIN_MSS),
                };
                format!(
                    "<send size> {size} is more than twice WIP_NET_OPT_TCP_MIN_MSS = {mss}{at} (6.2.11.4)"
                )
            }
        }
    }

    /// Takes an `@assume` directive; the error says what it expects.
    pub fn assume(&mut self, d: &Dialect, args: &str, line: usize) -> Result<(), String> {
        const STARTED: &str = "assumed started";
        let words: Vec<&str> = args.split_whitespace().collect();
        let digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
        let key = |w: &str| -> Option<Key> {
            let (p, i) = w.split_once(',')?;
            Some((p.trim().parse().ok()?, i.trim().parse().ok()?))
        };
        let ready = SockState::Ready {
            mapped: false,
            offline: false,
        };
        match words.as_slice() {
            ["power-on"] => self.reset(line, "assumed stopped (power-on)", false),
            ["stack", "started"] => self.stack = Some(fact(true, line, "assumed started")),
            ["stack", "stopped"] => self.reset(line, "assumed stopped", false),
            ["bearer", b, s] => {
                let bid = state::bearer_id(d, b).ok_or_else(|| {
                    let known: Vec<String> = d
                        .value_sets
                        .iter()
                        .find(|s| s.id == "bearer")
                        .map(|s| s.values.iter().map(|(v, n)| format!("{v} {n}")).collect())
                        .unwrap_or_default();
                    format!(
                        "`{b}` is not a bearer of {} (its bearers: {})",
                        d.name,
                        known.join(", ")
                    )
                })?;
                let value = match *s {
                    "open" => BearerState::Open,
                    "started" => BearerState::Started,
                    "closed" => BearerState::Closed,
                    _ => return Err(usage()),
                };
                let how = match value {
                    BearerState::Open => "assumed open",
                    BearerState::Started => "assumed started",
                    BearerState::Closed => "assumed closed",
                };
                self.bearers.insert(bid, fact(value, line, how));
                if value != BearerState::Closed {
                    self.stack = Some(fact(true, line, STARTED));
                }
            }
            ["socket", k, s] => {
                // The protocol and index as +WIPCLOSE takes them, checked
                // as written (`2,256` too): the engine's own check names
                // the parameter and its range.
                let (p, i) = k.split_once(',').ok_or_else(usage)?;
                let (p, i) = (p.trim(), i.trim());
                if !digits(p) || !digits(i) {
                    return Err(usage());
                }
                in_spec(d, &format!("AT+WIPCLOSE={p},{i}"))?;
                let key = key(k).ok_or_else(usage)?;
                let value = match *s {
                    "ready" => ready,
                    "opening" => SockState::Opening,
                    "closed" => SockState::Absent,
                    "offline" => SockState::Ready {
                        mapped: false,
                        offline: true,
                    },
                    _ => return Err(usage()),
                };
                let how = match *s {
                    "ready" => "assumed ready",
                    "opening" => "assumed opening",
                    "closed" => "assumed closed",
                    _ => "assumed in a data offline session",
                };
                if value != SockState::Absent {
                    self.stack = Some(fact(true, line, STARTED));
                }
                if let SockState::Ready { offline: true, .. } = value {
                    self.offline.insert(key.1, fact(true, line, "assumed open"));
                }
                self.set_sock(key, value, line, how);
            }
            ["server", i, range] => {
                let (from, to) = range.split_once('-').ok_or_else(usage)?;
                if !digits(i) || !digits(from) || !digits(to) {
                    return Err(usage());
                }
                // As +WIPCREATE of a TCP server takes them (5.1.7): the
                // server index, and a range of communication indexes,
                // checked as written.
                in_spec(d, &format!("AT+WIPCREATE=3,{i},1,{from},{to}"))?;
                let idx: u8 = i.parse().map_err(|_| usage())?;
                let from: u8 = from.parse().map_err(|_| usage())?;
                let to: u8 = to.parse().map_err(|_| usage())?;
                self.ranges.insert(idx, (from, to));
                self.set_sock((SERVER, idx), ready, line, "assumed created");
                self.stack = Some(fact(true, line, STARTED));
            }
            _ => return Err(usage()),
        }
        Ok(())
    }
}

/// Checks the values of an `@assume` as the command `line` would carry
/// them, when the dialect has that command (other command sets are taken
/// as they come).
fn in_spec(d: &Dialect, line: &str) -> Result<(), String> {
    let name = wip_schema::fields::command_line(line)
        .map(|c| c.name.to_string())
        .unwrap_or_default();
    if d.command(&name).is_none() {
        return Ok(());
    }
    wip_schema::parse_command(d, line).map(|_| ()).map_err(|e| {
        let what = match &e.param {
            Some(p) => format!("<{p}> {}", e.message),
            None => e.message.clone(),
        };
        format!("`@assume`: {what}, as {} takes it", e.context)
    })
}

fn usage() -> String {
    "`@assume` takes `power-on`, `stack started|stopped`, `bearer BID open|started|closed`, \
     `socket PROTO,IDX ready|opening|offline|closed` or `server IDX FROM-TO`"
        .into()
}

/// Why a block of data read (`+WIPDATARW: 2,...`) cannot come in the data
/// offline session of index `idx`, an upload (`AT+WIPFILE` in `<mode>` 6
/// or 9): the host writes its data with `AT+WIPDATARW`, and the modem
/// reads none to it (6.1.5: 6 and 9 upload, 7 and 8 download and
/// display).
fn upload_reads_nothing(idx: u8, mode: Option<i64>) -> String {
    let which = mode.map_or_else(|| "6 or 9".to_string(), |m| m.to_string());
    format!(
        "the data offline session of index {idx} uploads (AT+WIPFILE <mode> {which}): the host writes \
         its data with AT+WIPDATARW, and no data is read to it (6.1.5: modes 6 and 9 upload, 7 and 8 \
         download and display)"
    )
}
