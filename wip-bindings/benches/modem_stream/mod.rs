//! One realistic WIPsoft modem output stream, built deterministically, and
//! the two decoders the `vs_atat` bench compares on it: the framer with the
//! generated typed decode (`rev009::Urc`, `rev009::Response`, `CmeError`),
//! and atat's `AtDigester` with `#[derive(AtatUrc)]` types for the same
//! URCs. Shared by `benches/vs_atat.rs` and `tests/vs_atat.rs`.

#![allow(dead_code)]

use std::hint::black_box;
use std::ops::Range;

use wip_bindings::rev009::{CmeError, Request, Response, Urc, DIALECT};
use wip_runtime::framer::{OnTyped, OnTypedRef, Slots, Typed};
use wip_runtime::schema::typed::FromMessage;
use wip_runtime::schema::Final;
use wip_runtime::{Event, Framer};

/// The size the stream is grown to.
pub const TARGET: usize = 4 << 20;

/// The stream: the bytes the modem sent, and the command lines the host
/// sent, each with the offset in `bytes` where its answer begins.
pub struct Stream {
    /// Everything the modem sent.
    pub bytes: Vec<u8>,
    /// Every command line the host sent, back to back in the order sent.
    ///
    /// One text rather than a `String` per line: a host hands the framer
    /// the line it has just written, which is in its cache; lines
    /// allocated one by one while the stream was built lie scattered over
    /// the heap, and after a pass over the 4 MB stream each of them was a
    /// cache miss in `Framer::sent_form` that no host pays (4 % of the
    /// bench's samples in `perf`, on the first load of the line).
    pub lines: String,
    /// (offset of its answer in `bytes`, range of its line in `lines`).
    pub commands: Vec<(usize, Range<usize>)>,
    /// The command and form of each command line, as the typed request a
    /// typed host writes it as knows them (`TypedCommand::COMMAND`,
    /// `TypedCommand::FORM`).
    pub forms: Vec<(usize, usize)>,
}

impl Stream {
    /// Command line number `n`.
    pub fn command(&self, n: usize) -> Option<&str> {
        let (_, r) = self.commands.get(n)?;
        self.lines.get(r.clone())
    }

    /// Each command line with the range of `bytes` that answers it (up to
    /// the next command).
    pub fn answers(&self) -> impl Iterator<Item = (&str, Range<usize>)> + '_ {
        let ends = self
            .commands
            .iter()
            .skip(1)
            .map(|c| c.0)
            .chain([self.bytes.len()]);
        self.commands.iter().zip(ends).map(|((start, line), end)| {
            (
                self.lines.get(line.clone()).unwrap_or_default(),
                *start..end,
            )
        })
    }
}

/// A pseudo-random sequence (an LCG), so that the stream is the same on
/// every run.
struct Lcg(u32);

impl Lcg {
    fn next(&mut self, n: u32) -> u32 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (self.0 >> 8) % n
    }
}

fn dump(rng: &mut Lcg, len: usize) -> String {
    (0..len).map(|_| format!("{:02X}", rng.next(256))).collect()
}

/// Builds the stream: a host managing the stack, bearers, sockets, files
/// and pings, with the answers of the commands in flight, URCs of every
/// kind the spec has between and after them, and `+CME ERROR: <n>` codes
/// followed by URCs.
pub fn build() -> Stream {
    build_to(TARGET)
}

/// [`build`], grown to `target` bytes only (whole cycles).
pub fn build_to(target: usize) -> Stream {
    let mut rng = Lcg(0x5EED_1234);
    let mut s = Stream {
        bytes: Vec::with_capacity(target + 4096),
        lines: String::new(),
        commands: Vec::new(),
        forms: Vec::new(),
    };
    let step = |s: &mut Stream, cmd: String, lines: &[String]| {
        match Request::parse(&cmd) {
            Ok(r) => s.forms.push(r.ids()),
            Err(e) => panic!("the bench's command {cmd:?} is no typed request: {e}"),
        }
        let at = s.lines.len();
        s.lines.push_str(&cmd);
        s.commands.push((s.bytes.len(), at..s.lines.len()));
        for l in lines {
            s.bytes.extend_from_slice(b"\r\n");
            s.bytes.extend_from_slice(l.as_bytes());
            s.bytes.extend_from_slice(b"\r\n");
        }
    };
    let ok = || "OK".to_string();
    let mut cycle = 0u32;
    while s.bytes.len() < target {
        let idx = 1 + rng.next(8);
        let port = 1024 + rng.next(60_000);
        let size = 1 + rng.next(1460);
        if cycle % 16 == 0 {
            let mut lines: Vec<String> = [
                (0, 64),
                (1, 0),
                (2, 60),
                (3, 0),
                (4, 536),
                (5, 0),
                (15, 2048),
                (16, 64),
                (17, 12),
            ]
            .iter()
            .map(|(o, v)| format!("+WIPCFG: {o},{v}"))
            .collect();
            lines.push(ok());
            step(&mut s, "AT+WIPCFG?".into(), &lines);
            step(
                &mut s,
                "AT+WIPCFG=3".into(),
                &["WIPsoft v202 on Open AT OS v312".into(), ok()],
            );
        }
        step(
            &mut s,
            "AT+WIPBR=3,6,11".into(),
            &["+WIPBR: 6,11,\"internet.example\"".into(), ok()],
        );
        step(
            &mut s,
            "AT+WIPBR?".into(),
            &[
                "6,1".into(),
                "5,0".into(),
                ok(),
                format!("+WIPDATA: 2,{idx},{size}"),
            ],
        );
        // A server start (GSM, which takes one: 4.2.7.1, erratum E50),
        // its connection reported by the +WIPBR URC.
        step(
            &mut s,
            "AT+WIPBR=4,5,1,\"wip\",\"secret\"".into(),
            &[
                ok(),
                format!(
                    "+WIPBR: 5,0,\"10.{}.{}.2\",\"10.0.0.1\",\"8.8.8.8\",\"8.8.4.4\"",
                    rng.next(256),
                    rng.next(256)
                ),
            ],
        );
        step(
            &mut s,
            format!("AT+WIPCREATE=2,{idx},\"10.0.0.1\",{port}"),
            &[ok(), format!("+WIPREADY: 2,{idx}")],
        );
        step(
            &mut s,
            format!("AT+WIPCREATE=1,{idx},{port},\"192.168.1.2\",1357"),
            &[
                ok(),
                format!("+WIPREADY: 1,{idx}"),
                format!("+WIPDATA: 1,{idx},{size},\"192.168.1.2\",1357"),
            ],
        );
        step(
            &mut s,
            format!("AT+WIPCREATE=3,{},80,{idx},8", 1 + rng.next(4)),
            &[ok(), format!("+WIPACCEPT: {},{idx}", 1 + rng.next(4))],
        );
        step(
            &mut s,
            format!("AT+WIPDATA=2,{idx},3"),
            &[
                format!("+WIPDATARW: 1,{idx}"),
                ok(),
                format!("+WIPDATARW: 2,{idx},2,1,\"{}\"", dump(&mut rng, 200)),
                format!("+WIPDATARW: 2,{idx},2,2,\"{}\"", dump(&mut rng, 40)),
            ],
        );
        step(
            &mut s,
            format!("AT+WIPDATARW=1,{idx},\"30313233343536373839\""),
            &[
                format!("+WIPDATARW: 3,{idx},10"),
                ok(),
                format!("+WIPPEERCLOSE: 2,{idx}"),
            ],
        );
        step(
            &mut s,
            format!("AT+WIPOPT=2,{idx},1,8"),
            &["+WIPOPT: 2,8,20".into(), ok()],
        );
        step(
            &mut s,
            "AT+WIPPING=\"192.168.0.1\"".into(),
            &[
                ok(),
                format!("+WIPPING: 0,{},{}", rng.next(10), rng.next(1000)),
                format!("+WIPPING: 1,{},0", rng.next(10)),
            ],
        );
        step(
            &mut s,
            "AT+WIPFILE=4,1,2,\"http://example.com/upload\"".into(),
            &[
                ok(),
                "+WIPFILE: 5,1,2,201,\"Created\"".into(),
                format!("+WIPFILE: 8,1,{}", rng.next(100_000)),
            ],
        );
        step(
            &mut s,
            format!("AT+WIPCLOSE=2,{idx}"),
            &[
                "+CME ERROR: 831".into(),
                format!("+WIPPEERCLOSE: 1,{idx}"),
                format!("+WIPREADY: 1,{idx}"),
            ],
        );
        step(
            &mut s,
            format!("AT+WIPCREATE=2,{idx},\"10.0.0.1\",80"),
            &[
                format!("+CME ERROR: {}", [800, 803, 830, 840][rng.next(4) as usize]),
                format!("+WIPDATA: 2,{idx},{size}"),
            ],
        );
        cycle += 1;
    }
    s
}

/// One thing the host does: tell the framer a command was sent, or feed a
/// range of the stream.
#[derive(Debug, Clone)]
pub enum Op {
    /// Command number `n` of [`Stream::commands`] was sent.
    Sent(usize),
    /// The bytes of this range arrived in one read.
    Feed(Range<usize>),
}

/// The reads a host sees when the port delivers `chunk` bytes at a time
/// (`None`: as much as there is): cut at every multiple of `chunk` and at
/// every command, since a host sends its next command between two reads.
pub fn ops(s: &Stream, chunk: Option<usize>) -> Vec<Op> {
    let mut out = Vec::new();
    for (n, (_, answer)) in s.answers().enumerate() {
        out.push(Op::Sent(n));
        let (mut at, end) = (answer.start, answer.end);
        while at < end {
            let next = match chunk {
                Some(c) => ((at / c) + 1) * c,
                None => end,
            }
            .min(end);
            out.push(Op::Feed(at..next));
            at = next;
        }
    }
    out
}

/// What a decoder found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// URCs decoded into typed values.
    pub urcs: usize,
    /// Information responses (wip: lines; atat: the text before a final
    /// `OK`, one per command) decoded.
    pub responses: usize,
    /// `OK` and other final result codes that are not errors.
    pub finals: usize,
    /// `+CME ERROR: <n>` and `ERROR`.
    pub errors: usize,
    /// Lines that matched no typed value, or did not decode.
    pub failures: usize,
}

impl Counts {
    /// Counts an event other than a URC or response line, as every run
    /// counts it; a `+CME ERROR` code is typed as `CmeError` when `typed`.
    #[inline(always)]
    fn other(&mut self, e: Event<'_>, typed: bool) {
        match e {
            Event::Final(Final::CmeError(code)) => {
                if typed {
                    black_box(code.map(CmeError::from_code));
                } else {
                    black_box(code);
                }
                self.errors += 1;
            }
            Event::Final(Final::Error) => self.errors += 1,
            Event::Final(_) => self.finals += 1,
            _ => self.failures += 1,
        }
    }
}

/// Plays `ops` to the framer: each command sent as a typed host sends it
/// (its line, with the command and form its request type names,
/// [`Framer::sent_form`]), each read given to `feed` with the framer
/// (inlined into each caller, so that the callers measured are as if
/// written out).
#[inline(always)]
fn drive(
    s: &Stream,
    ops: &[Op],
    framer: &mut Framer<'_>,
    feed: impl FnMut(&mut Framer<'_>, &[u8]),
) {
    drive_as::<false>(s, ops, framer, feed);
}

/// [`drive`], each command told by its line alone ([`Framer::sent`], as a
/// host that writes command lines tells it) where `LINES`.
#[inline(always)]
fn drive_as<const LINES: bool>(
    s: &Stream,
    ops: &[Op],
    framer: &mut Framer<'_>,
    mut feed: impl FnMut(&mut Framer<'_>, &[u8]),
) {
    drive_ranges_as::<LINES>(s, ops, framer, |f, r| {
        feed(f, s.bytes.get(r).unwrap_or_default())
    });
}

/// [`drive`], each read given as its range of [`Stream::bytes`].
#[inline(always)]
fn drive_ranges(
    s: &Stream,
    ops: &[Op],
    framer: &mut Framer<'_>,
    feed: impl FnMut(&mut Framer<'_>, Range<usize>),
) {
    drive_ranges_as::<false>(s, ops, framer, feed);
}

/// [`drive_ranges`], each command told by its line alone where `LINES`.
#[inline(always)]
fn drive_ranges_as<const LINES: bool>(
    s: &Stream,
    ops: &[Op],
    framer: &mut Framer<'_>,
    mut feed: impl FnMut(&mut Framer<'_>, Range<usize>),
) {
    for op in ops {
        match op {
            Op::Sent(n) => {
                if let Some(line) = s.command(*n) {
                    if LINES {
                        framer.sent(line);
                    } else if let Some(&(command, form)) = s.forms.get(*n) {
                        framer.sent_form(command, form, line);
                    }
                }
            }
            Op::Feed(r) => feed(framer, r.clone()),
        }
    }
}

/// The framer with the generated typed decode, in one pass
/// ([`Framer::feed_typed_in`]): every URC decoded into `rev009::Urc`, every
/// information response into `rev009::Response`, every `+CME ERROR` into
/// `CmeError`; each value decoded over the last one of its message (the
/// pass's own [`Slots`], empty at its start) and looked at where it lies.
#[inline(never)]
pub fn run_wip(s: &Stream, ops: &[Op], framer: &mut Framer<'_>) -> Counts {
    let mut c = Counts::default();
    let mut slots = Slots::new();
    drive(s, ops, framer, |f, bytes| {
        f.feed_typed_in(bytes, &mut slots, &mut c)
    });
    c
}

/// [`run_wip`] with each command told by its line alone
/// ([`Framer::sent`]): the framer finds its command and form in it, as for
/// a host that writes command lines rather than typed requests.
#[inline(never)]
pub fn run_wip_lines(s: &Stream, ops: &[Op], framer: &mut Framer<'_>) -> Counts {
    let mut c = Counts::default();
    let mut slots = Slots::new();
    drive_as::<true>(s, ops, framer, |f, bytes| {
        f.feed_typed_in(bytes, &mut slots, &mut c)
    });
    c
}

/// [`run_wip`] with each value decoded anew and moved to the sink
/// ([`Framer::feed_typed_into`]): a value of its own for every line.
#[inline(never)]
pub fn run_wip_owned(s: &Stream, ops: &[Op], framer: &mut Framer<'_>) -> Counts {
    let mut c = Counts::default();
    drive(s, ops, framer, |f, bytes| f.feed_typed_into(bytes, &mut c));
    c
}

/// [`run_wip`] with the reads kept in the host's buffer
/// ([`Framer::feed_typed_in_buffered`]): a line a read ends inside of is
/// left there and given again with the next read.
#[inline(never)]
pub fn run_wip_buffered(s: &Stream, ops: &[Op], framer: &mut Framer<'_>) -> Counts {
    let mut c = Counts::default();
    let mut slots = Slots::new();
    let mut kept: Option<usize> = None;
    drive_ranges(s, ops, framer, |f, r| {
        let start = kept.take().unwrap_or(r.start);
        let bytes = s.bytes.get(start..r.end).unwrap_or_default();
        let used = f.feed_typed_in_buffered(bytes, &mut slots, &mut c);
        if used < bytes.len() {
            kept = Some(start + used);
        }
    });
    c
}

/// [`run_wip`] with a closure for sink ([`Framer::feed_typed`]), as a host
/// writes it first: each value is moved into the closure's frame before it
/// is looked at (see [`OnTyped`]).
#[inline(never)]
pub fn run_wip_closure(s: &Stream, ops: &[Op], framer: &mut Framer<'_>) -> Counts {
    let mut c = Counts::default();
    let mut on = |e: Typed<'_, Urc, Response>| OnTyped::on_typed(&mut c, e);
    drive(s, ops, framer, |f, bytes| f.feed_typed(bytes, &mut on));
    c
}

/// The typed values of [`run_wip`], counted: each side's value is looked
/// at where its decoder left it (`ref`), not moved into a local first.
impl OnTyped<Urc, Response> for Counts {
    #[inline]
    fn on_typed(&mut self, e: Typed<'_, Urc, Response>) {
        match e {
            Typed::Urc {
                value: Ok(ref u), ..
            } => {
                black_box(u);
                self.urcs += 1;
            }
            Typed::Response {
                value: Ok(ref r), ..
            } => {
                black_box(r);
                self.responses += 1;
            }
            Typed::Urc { .. } | Typed::Response { .. } => self.failures += 1,
            Typed::Event(e) => self.other(e, true),
        }
    }

    #[inline]
    fn on_urc(&mut self, _: usize, _: &str, u: Urc) {
        black_box(&u);
        self.urcs += 1;
    }

    #[inline]
    fn on_response(&mut self, _: usize, _: usize, _: &str, r: Response) {
        black_box(&r);
        self.responses += 1;
    }
}

/// The typed values of [`run_wip`], counted where they lie.
impl OnTypedRef<Urc, Response> for Counts {
    #[inline]
    fn on_typed(&mut self, e: Typed<'_, Urc, Response>) {
        OnTyped::on_typed(self, e)
    }

    #[inline]
    fn on_urc(&mut self, _: usize, _: &str, u: &Urc) {
        black_box(u);
        self.urcs += 1;
    }

    #[inline]
    fn on_response(&mut self, _: usize, _: usize, _: &str, r: &Response) {
        black_box(r);
        self.responses += 1;
    }
}

/// The framer, then the generated typed decode of each line it framed
/// (two passes: [`Framer::feed`], then `decode_framed` of each URC and
/// response), as a client that keeps the framed lines decodes them.
#[inline(never)]
pub fn run_split(s: &Stream, ops: &[Op], framer: &mut Framer<'_>) -> Counts {
    let mut c = Counts::default();
    let mut on = |e: Event<'_>| match e {
        Event::Urc { message, line } => {
            // Each side's value is looked at where its decoder
            // left it (`ref`), not moved into a local first.
            match Urc::decode_framed(&DIALECT, message, line.text, line.body) {
                Ok(ref u) => {
                    black_box(u);
                    c.urcs += 1;
                }
                Err(_) => c.failures += 1,
            }
        }
        Event::Response { message, line, .. } => {
            match Response::decode_framed(&DIALECT, message, line.text, line.body) {
                Ok(ref r) => {
                    black_box(r);
                    c.responses += 1;
                }
                Err(_) => c.failures += 1,
            }
        }
        e => c.other(e, true),
    };
    drive(s, ops, framer, |f, bytes| f.feed(bytes, &mut on));
    c
}

/// The framer alone on the same reads, for the share of the typed decode
/// in [`run_wip`]: every event counted as `run_wip` counts it, no line
/// decoded (a URC or response line counts as decoded).
#[inline(never)]
pub fn run_framer(s: &Stream, ops: &[Op], framer: &mut Framer<'_>) -> Counts {
    let mut c = Counts::default();
    let mut on = |e: Event<'_>| match e {
        Event::Urc { ref line, .. } => {
            black_box(line);
            c.urcs += 1;
        }
        Event::Response { ref line, .. } => {
            black_box(line);
            c.responses += 1;
        }
        e => c.other(e, false),
    };
    drive(s, ops, framer, |f, bytes| f.feed(bytes, &mut on));
    c
}

/// A floor under any line decoder, not a decoder: the whole stream cut at
/// its line feeds (the framer's own search), CRs dropped, each non-empty
/// line checked for UTF-8 when `utf8` (as the framer checks each line it
/// gives as text); returns the lines found. No command is tracked, no line
/// classified or decoded.
#[inline(never)]
pub fn run_lines(bytes: &[u8], utf8: bool) -> usize {
    let mut n = 0;
    let mut rest = bytes;
    while let Some(end) = wip_runtime::schema::classify::find_byte(b'\n', rest) {
        let raw = rest.get(..end).unwrap_or_default();
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if !line.is_empty() && (!utf8 || std::str::from_utf8(black_box(line)).is_ok()) {
            n += 1;
        }
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    n
}

/// The same URCs as atat users declare them: one type per prefix, serde
/// fields, optional trailing fields where one prefix carries several
/// messages.
pub mod atat_types {
    use atat::atat_derive::{AtatResp, AtatUrc};
    use atat::heapless::String;

    /// `+WIPBR: <bid>,<status>,<local IP>,<remote IP>,<DNS1>,<DNS2>`.
    #[derive(Clone, Debug, AtatResp)]
    pub struct WipBr {
        pub bid: u8,
        pub status: u16,
        pub local: Option<String<64>>,
        pub remote: Option<String<16>>,
        pub dns1: Option<String<16>>,
        pub dns2: Option<String<16>>,
    }

    /// `+WIPREADY: <mode>,<index>`.
    #[derive(Clone, Debug, AtatResp)]
    pub struct WipReady {
        pub mode: u8,
        pub index: u8,
    }

    /// `+WIPACCEPT: <server index>,<communication idx>`.
    #[derive(Clone, Debug, AtatResp)]
    pub struct WipAccept {
        pub server: u8,
        pub index: u8,
    }

    /// `+WIPPEERCLOSE: <protocol>,<idx>`.
    #[derive(Clone, Debug, AtatResp)]
    pub struct WipPeerClose {
        pub protocol: u8,
        pub index: u8,
    }

    /// `+WIPFILE: 5,...` and `+WIPFILE: 8,...`.
    #[derive(Clone, Debug, AtatResp)]
    pub struct WipFile {
        pub kind: u8,
        pub index: u8,
        pub a: u32,
        pub code: Option<u16>,
        pub reason: Option<String<32>>,
    }

    /// `+WIPDATA: 1,...` and `+WIPDATA: 2,...`.
    #[derive(Clone, Debug, AtatResp)]
    pub struct WipData {
        pub mode: u8,
        pub index: u8,
        pub size: u16,
        pub peer: Option<String<16>>,
        pub port: Option<u16>,
    }

    /// `+WIPDATARW: <state>,<idx>[,...]`.
    #[derive(Clone, Debug, AtatResp)]
    pub struct WipDataRw {
        pub state: u8,
        pub index: u8,
        pub a: Option<u16>,
        pub b: Option<u16>,
        pub dump: Option<String<512>>,
    }

    /// `+WIPPING: <timeout_expired>,<packet_idx>,<response_time>`.
    #[derive(Clone, Debug, AtatResp)]
    pub struct WipPing {
        pub expired: u8,
        pub packet: u16,
        pub time: u16,
    }

    /// The URCs of the stream, with inline strings as atat types hold
    /// them.
    #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
    #[derive(Clone, Debug, AtatUrc)]
    pub enum Urc {
        #[at_urc("+WIPBR")]
        WipBr(WipBr),
        #[at_urc("+WIPREADY")]
        WipReady(WipReady),
        #[at_urc("+WIPACCEPT")]
        WipAccept(WipAccept),
        #[at_urc("+WIPPEERCLOSE")]
        WipPeerClose(WipPeerClose),
        #[at_urc("+WIPFILE")]
        WipFile(WipFile),
        #[at_urc("+WIPDATARW")]
        WipDataRw(WipDataRw),
        #[at_urc("+WIPDATA")]
        WipData(WipData),
        #[at_urc("+WIPPING")]
        WipPing(WipPing),
    }
}

/// The ingress buffer of the atat side, as an application sizes it.
pub const ATAT_BUF: usize = 4096;

/// atat's ingress loop (`Ingress::advance` of atat 0.25) over a fixed
/// buffer: each read is copied in, `AtDigester::digest` is called until it
/// consumes nothing, URCs are parsed with the derived `AtatUrc`; a full
/// buffer is cleared, as `Ingress::read_from` does.
pub struct AtatSide {
    digester: atat::digest::AtDigester<atat_types::Urc>,
    buf: Vec<u8>,
    pos: usize,
}

impl Default for AtatSide {
    fn default() -> Self {
        AtatSide {
            digester: atat::digest::AtDigester::new(),
            buf: vec![0; ATAT_BUF],
            pos: 0,
        }
    }
}

impl AtatSide {
    fn advance(&mut self, c: &mut Counts) {
        use atat::digest::{DigestResult, Digester};
        use atat::AtatUrc;
        while self.pos > 0 {
            let Some(filled) = self.buf.get(..self.pos) else {
                return;
            };
            let (res, swallowed) = self.digester.digest(filled);
            match res {
                DigestResult::Urc(line) => match atat_types::Urc::parse(line) {
                    Some(ref u) => {
                        black_box(u);
                        c.urcs += 1;
                    }
                    None => c.failures += 1,
                },
                DigestResult::Response(Ok([])) => c.finals += 1,
                DigestResult::Response(Ok(r)) => {
                    black_box(r);
                    c.responses += 1;
                }
                DigestResult::Response(Err(_)) => c.errors += 1,
                DigestResult::Prompt(_) | DigestResult::None => {}
            }
            if swallowed == 0 {
                break;
            }
            self.buf.copy_within(swallowed..self.pos, 0);
            self.pos -= swallowed;
        }
    }

    /// Feeds the stream read by read.
    pub fn run(&mut self, s: &Stream, ops: &[Op]) -> Counts {
        let mut c = Counts::default();
        self.pos = 0;
        for op in ops {
            let Op::Feed(r) = op else { continue };
            let mut bytes = s.bytes.get(r.clone()).unwrap_or_default();
            while !bytes.is_empty() {
                if self.pos == self.buf.len() {
                    self.pos = 0;
                }
                let room = self.buf.len() - self.pos;
                let n = room.min(bytes.len());
                let (now, later) = bytes.split_at(n);
                if let Some(dst) = self.buf.get_mut(self.pos..self.pos + n) {
                    dst.copy_from_slice(now);
                }
                self.pos += n;
                bytes = later;
                self.advance(&mut c);
            }
        }
        c
    }
}

/// The chunk sizes benched, `None` for reads as large as the answers.
pub const CHUNKS: [Option<usize>; 5] = [Some(16), Some(64), Some(256), Some(4096), None];

/// The name of a chunk size in bench ids.
pub fn chunk_name(c: Option<usize>) -> String {
    c.map_or_else(|| "whole".to_string(), |n| n.to_string())
}
