//! The comparison of `Framer::feed_typed` (framing, classification and
//! typed decode in one pass) with `Framer::feed` then `decode_framed` of
//! each URC and response, over random sessions of a dialect: lines of
//! every message with values in and next to their ranges, lines of every
//! prefix with fields of any kind, echoes, final result codes, under every
//! command in flight, fed whole and in small reads. Shared by the tests of
//! rev 009 (`wip-bindings/tests/fused.rs`) and of the vendor specs
//! (`tests/vendor-bindings/tests/fused.rs`).

#![allow(dead_code)]

use std::fmt::Debug;

use wip_runtime::framer::{OnTyped, OnTypedRef, OwnedEvent, Slots, Typed};
use wip_runtime::schema::typed::{parse_message_as, FromMessage};
use wip_runtime::schema::{Dialect, Ty};
use wip_runtime::{Event, Framer};

/// One thing either path gave, owned: a URC or response with its class,
/// line and typed value (errors by their message), or another event.
#[derive(Debug, Clone, PartialEq)]
pub enum Got<U, R> {
    Urc(usize, String, Result<U, String>),
    Response(usize, usize, String, Result<R, String>),
    Other(OwnedEvent),
}

fn owned_typed<U, R>(e: Typed<'_, U, R>) -> Got<U, R> {
    match e {
        Typed::Urc {
            message,
            line,
            value,
        } => Got::Urc(message, line.to_string(), value.map_err(|e| e.to_string())),
        Typed::Response {
            command,
            message,
            line,
            value,
        } => Got::Response(
            command,
            message,
            line.to_string(),
            value.map_err(|e| e.to_string()),
        ),
        Typed::Event(e) => Got::Other(e.to_owned_event()),
    }
}

/// The decode of a tagged line from the body the framer cut, checked
/// against the engine's full binder of the whole line and against the
/// generated decode of the whole line: all three read the same value or
/// fail with the same error.
fn framed<T: FromMessage + PartialEq + Debug>(
    d: &Dialect,
    message: usize,
    text: &str,
    body: &str,
) -> Result<T, String> {
    let framed = T::decode_framed(d, message, text, body).map_err(|e| e.to_string());
    let full = parse_message_as(d, message, text)
        .and_then(|b| T::from_message(message, &b))
        .map_err(|e| e.to_string());
    assert_eq!(framed, full, "framed against the full binder: {text:?}");
    let whole = T::decode(d, message, text).map_err(|e| e.to_string());
    assert_eq!(whole, framed, "whole line against framed: {text:?}");
    framed
}

fn owned_split<U, R>(d: &Dialect, e: Event<'_>) -> Got<U, R>
where
    U: FromMessage + PartialEq + Debug,
    R: FromMessage + PartialEq + Debug,
{
    match e {
        Event::Urc { message, line } => Got::Urc(
            message,
            line.text.to_string(),
            framed(d, message, line.text, line.body),
        ),
        Event::Response {
            command,
            message,
            line,
        } => Got::Response(
            command,
            message,
            line.text.to_string(),
            framed(d, message, line.text, line.body),
        ),
        e => Got::Other(e.to_owned_event()),
    }
}

/// Data events merged, so that two lists compare whatever the cuts.
fn merged<U, R>(v: Vec<Got<U, R>>) -> Vec<Got<U, R>> {
    let mut out: Vec<Got<U, R>> = Vec::with_capacity(v.len());
    for g in v {
        match (out.last_mut(), g) {
            (Some(Got::Other(OwnedEvent::Data(a))), Got::Other(OwnedEvent::Data(b))) => {
                a.extend_from_slice(&b)
            }
            (_, g) => out.push(g),
        }
    }
    out
}

/// What one path gave, in order.
pub type Gots<U, R> = Vec<Got<U, R>>;

/// What the host does: send a command line, or read bytes.
#[derive(Debug, Clone)]
pub enum Step {
    Sent(String),
    Read(Vec<u8>),
}

/// What `Framer::feed_typed_into` gave, through each method of
/// [`OnTyped`]: the values its decoders took come through `on_urc` and
/// `on_response`, every other event through `on_typed`.
struct IntoSink<U, R> {
    got: Vec<Got<U, R>>,
    /// How many values came through `on_urc` and `on_response`.
    direct: usize,
}

impl<U, R> IntoSink<U, R> {
    /// A sink that has been given nothing yet.
    fn new() -> Self {
        IntoSink {
            got: Vec::new(),
            direct: 0,
        }
    }
}

impl<U, R> OnTyped<U, R> for IntoSink<U, R> {
    fn on_typed(&mut self, t: Typed<'_, U, R>) {
        self.got.push(owned_typed(t));
    }

    fn on_urc(&mut self, message: usize, line: &str, value: U) {
        self.direct += 1;
        self.got
            .push(Got::Urc(message, line.to_string(), Ok(value)));
    }

    fn on_response(&mut self, command: usize, message: usize, line: &str, value: R) {
        self.direct += 1;
        self.got
            .push(Got::Response(command, message, line.to_string(), Ok(value)));
    }
}

/// [`IntoSink`] given the values `Framer::feed_typed_in` lends: each is
/// cloned where it lies and taken as `on_urc`/`on_response` take theirs.
impl<U: Clone, R: Clone> OnTypedRef<U, R> for IntoSink<U, R> {
    fn on_typed(&mut self, t: Typed<'_, U, R>) {
        OnTyped::on_typed(self, t);
    }

    fn on_urc(&mut self, message: usize, line: &str, value: &U) {
        OnTyped::on_urc(self, message, line, value.clone());
    }

    fn on_response(&mut self, command: usize, message: usize, line: &str, value: &R) {
        OnTyped::on_response(self, command, message, line, value.clone());
    }
}

/// `Framer::feed_typed_in` over `steps` (reads cut as in [`both`]), with a
/// framer and slots of its own; where `buffered`,
/// `Framer::feed_typed_in_buffered` with a read buffer the host keeps
/// ([`play_kept`]).
fn run_in<U, R>(d: &Dialect, steps: &[Step], piece: Option<usize>, buffered: bool) -> Gots<U, R>
where
    U: FromMessage + Clone,
    R: FromMessage + Clone,
{
    let mut c = IntoSink::new();
    let mut slots = Slots::new();
    if buffered {
        play_kept(d, steps, piece, |f, kept| {
            f.feed_typed_in_buffered(kept, &mut slots, &mut c)
        });
    } else {
        play(d, steps, piece, |f, p| {
            f.feed_typed_in(p, &mut slots, &mut c)
        });
    }
    c.got
}

/// Both paths over `steps`, each read cut into pieces of `piece` bytes
/// (`None`: whole), each path with a framer of its own. The fused path
/// is also taken through `Framer::feed_typed_into` with an [`OnTyped`]
/// of its own methods, and through `Framer::feed_typed_in` (each value
/// decoded over the last of its message), which must give what the
/// closure got.
pub fn both<U, R>(d: &Dialect, steps: &[Step], piece: Option<usize>) -> (Gots<U, R>, Gots<U, R>)
where
    U: FromMessage + PartialEq + Debug + Clone,
    R: FromMessage + PartialEq + Debug + Clone,
{
    let (mut a, mut b) = (Vec::new(), Vec::new());
    play(d, steps, piece, |f, p| {
        f.feed_typed(p, |e| a.push(owned_typed(e)))
    });
    play(d, steps, piece, |f, p| {
        f.feed(p, |e| b.push(owned_split(d, e)))
    });
    let a = merged(a);
    assert_eq!(
        merged(run_into::<U, R>(d, steps, piece).got),
        a,
        "feed_typed_into against feed_typed"
    );
    assert_eq!(
        merged(run_buffered::<U, R>(d, steps, piece)),
        a,
        "feed_typed_buffered against feed_typed"
    );
    assert_eq!(
        merged(run_in::<U, R>(d, steps, piece, false)),
        a,
        "feed_typed_in against feed_typed"
    );
    assert_eq!(
        merged(run_in::<U, R>(d, steps, piece, true)),
        a,
        "feed_typed_in_buffered against feed_typed"
    );
    (a, merged(b))
}

/// Plays `steps` to a framer of its own: each command line told with
/// `Framer::sent`, each read cut into pieces of `piece` bytes (`None`:
/// whole) and given to `read`.
fn play<'d>(
    d: &'d Dialect,
    steps: &[Step],
    piece: Option<usize>,
    mut read: impl FnMut(&mut Framer<'d>, &[u8]),
) {
    let mut f = Framer::new(d);
    for step in steps {
        match step {
            Step::Sent(line) => {
                f.sent(line);
            }
            Step::Read(bytes) => {
                for p in bytes.chunks(piece.unwrap_or(bytes.len()).max(1)) {
                    read(&mut f, p);
                }
            }
        }
    }
}

/// `Framer::feed_typed_buffered` over `steps` (reads cut as in [`both`]),
/// with a framer of its own and a read buffer the host keeps: each read
/// is appended to it, and what the framer used dropped from its front.
fn run_buffered<U, R>(d: &Dialect, steps: &[Step], piece: Option<usize>) -> Gots<U, R>
where
    U: FromMessage,
    R: FromMessage,
{
    let mut c = IntoSink::new();
    play_kept(d, steps, piece, |f, kept| {
        f.feed_typed_buffered(kept, &mut c)
    });
    c.got
}

/// [`play`] with a read buffer the host keeps: each read is appended to
/// it, given to `feed`, and what `feed` says the framer used dropped from
/// its front.
fn play_kept<'d>(
    d: &'d Dialect,
    steps: &[Step],
    piece: Option<usize>,
    mut feed: impl FnMut(&mut Framer<'d>, &[u8]) -> usize,
) {
    let mut kept: Vec<u8> = Vec::new();
    play(d, steps, piece, |f, p| {
        kept.extend_from_slice(p);
        let used = feed(f, &kept);
        assert!(used <= kept.len(), "used {used} of {}", kept.len());
        kept.drain(..used);
    });
}

/// `Framer::feed_typed_into` over `steps` (reads cut as in [`both`]),
/// with a framer of its own.
fn run_into<U, R>(d: &Dialect, steps: &[Step], piece: Option<usize>) -> IntoSink<U, R>
where
    U: FromMessage,
    R: FromMessage,
{
    let mut c = IntoSink::new();
    play(d, steps, piece, |f, p| f.feed_typed_into(p, &mut c));
    c
}

/// How many values `Framer::feed_typed_into` gave over `steps` through
/// `on_urc` and `on_response` (read where their decoders wrote them), and
/// how many typed values it gave in all.
pub fn direct_values<U, R>(d: &Dialect, steps: &[Step], piece: Option<usize>) -> (usize, usize)
where
    U: FromMessage,
    R: FromMessage,
{
    let c = run_into::<U, R>(d, steps, piece);
    let values = c
        .got
        .iter()
        .filter(|g| matches!(g, Got::Urc(_, _, Ok(_)) | Got::Response(_, _, _, Ok(_))))
        .count();
    (c.direct, values)
}

/// A pseudo-random sequence (an LCG), so that the sessions are the same
/// on every run.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// Field texts of every kind: integers in and out of every range, signed,
/// blank around, quoted strings, hex dumps (even and odd), addresses,
/// lists, commas in quotes, empty fields, text that is not ASCII.
pub const FIELDS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "5",
    "8",
    "11",
    "201",
    "65536",
    "4294967296",
    "99999999999999999999",
    "-1",
    " 2",
    "2 ",
    "\t3",
    "",
    "\"\"",
    "\"abc\"",
    "\"a,b\"",
    "\"0A1B\"",
    "\"0A1\"",
    "\"10.0.0.1\"",
    "\"192.168.001.2\"",
    "(1-2)",
    "(0,1)",
    "é",
    "\"é\"",
    "abc",
];

/// A value of `ty` in its range, or next to it.
fn value(rng: &mut Lcg, ty: &Ty) -> String {
    let pick = |rng: &mut Lcg, v: &[i64]| v[rng.next(v.len())];
    match ty {
        Ty::Int { min, max } => {
            let v = [
                *min,
                *max,
                min.saturating_add(1),
                min.saturating_sub(1),
                max.saturating_add(1),
            ];
            match rng.next(3) {
                0 => pick(rng, &v).to_string(),
                _ => (min + (rng.next(1000) as i64).min(max - min)).to_string(),
            }
        }
        Ty::Enum { allowed, .. } if !allowed.is_empty() && rng.next(8) != 0 => {
            pick(rng, allowed).to_string()
        }
        Ty::StrEnum { allowed, .. } if !allowed.is_empty() && rng.next(8) != 0 => {
            format!("\"{}\"", allowed[rng.next(allowed.len())])
        }
        Ty::Str { .. } | Ty::Host { .. } | Ty::HostAny { .. } => {
            ["\"abc\"", "\"Created\"", "\"a,b\"", "\"\""][rng.next(4)].to_string()
        }
        Ty::Ip | Ty::IpAny => format!(
            "\"{}.{}.{}.{}\"",
            rng.next(300),
            rng.next(256),
            rng.next(256),
            rng.next(256)
        ),
        Ty::Hex { max_bytes } => {
            let n = match rng.next(4) {
                0 => *max_bytes as usize + 1,
                1 => 3,
                _ => rng.next(*max_bytes as usize + 1),
            };
            let mut h: String = (0..n).map(|i| format!("{:02X}", (i * 37) % 256)).collect();
            if rng.next(10) == 0 {
                h.push('G');
            }
            format!("\"{h}\"")
        }
        Ty::Ranges => ["(0-2)", "(0,1)", "(1-8),(0-255)"][rng.next(3)].to_string(),
        _ => FIELDS[rng.next(FIELDS.len())].to_string(),
    }
}

/// Command lines of `d`: each command's test, read and bare forms and a
/// write of small values, `AT`, and a command of no spec.
pub fn commands(d: &Dialect) -> Vec<String> {
    let mut out = vec!["AT".to_string(), "AT+BOGUS=1".to_string()];
    for c in d.commands.iter() {
        let name = c.name.as_ref() as &str;
        for tail in ["=?", "?", "", "=1", "=1,1", "=2,1,1"] {
            out.push(format!("AT{name}{tail}"));
        }
    }
    out
}

/// A random line of `d`: a message with values of its fields' types (in
/// range or next to it, sometimes a field too many or too few), a prefix
/// of the dialect with fields of any kind, another prefix, no prefix, a
/// final result code, or an `AT` line (an echo, or text that looks like
/// one), with blanks and separators varied.
pub fn line(rng: &mut Lcg, d: &Dialect, prefixes: &[&str], commands: &[String]) -> String {
    match rng.next(24) {
        0 => return ["OK", "ERROR", "+CME ERROR: 831", "+CME ERROR: 3"][rng.next(4)].into(),
        1 => return "Some free text, v2.1".into(),
        2 => return commands[rng.next(commands.len())].clone(),
        _ => {}
    }
    let sep = [": ", ":", ":  ", " : ", ":\t", ": "][rng.next(6)];
    if rng.next(2) == 0 && !d.messages.is_empty() {
        let m = &d.messages[rng.next(d.messages.len())];
        let mut fields: Vec<String> = m.fields.iter().map(|f| value(rng, &f.ty)).collect();
        match rng.next(10) {
            0 => {
                fields.pop();
            }
            1 => fields.push(value(rng, &Ty::Int { min: 0, max: 9 })),
            _ => {}
        }
        let body = fields.join(",");
        return match &m.prefix {
            Some(p) if m.glued => format!("{p}{body}"),
            Some(p) => format!("{p}{sep}{body}"),
            None => body,
        };
    }
    let n = rng.next(8);
    let fields: Vec<&str> = (0..n).map(|_| FIELDS[rng.next(FIELDS.len())]).collect();
    let body = fields.join(",");
    let prefix = match rng.next(12) {
        0 => return body,
        1 => "+WIPFOO",
        _ => prefixes[rng.next(prefixes.len())],
    };
    format!("{prefix}{sep}{body}")
}

/// What the random sessions of [`compare`] gave, by kind.
#[derive(Debug, Default)]
pub struct Tally {
    pub urcs: usize,
    pub urcs_ok: usize,
    pub responses: usize,
    pub responses_ok: usize,
    pub echoes: usize,
}

/// `rounds` random sessions of `d`, each compared between the two paths
/// whole and in small reads; panics at the first difference.
pub fn compare<U, R>(d: &Dialect, seed: u64, rounds: usize) -> Tally
where
    U: FromMessage + PartialEq + Debug + Clone,
    R: FromMessage + PartialEq + Debug + Clone,
{
    let mut prefixes: Vec<&str> = d
        .messages
        .iter()
        .filter_map(|m| m.prefix.as_deref())
        .collect();
    prefixes.extend(d.commands.iter().map(|c| c.name.as_ref()));
    prefixes.sort_unstable();
    prefixes.dedup();
    let commands = commands(d);
    let mut rng = Lcg(seed);
    let mut t = Tally::default();
    for round in 0..rounds {
        // A session: commands in flight (none before the first), each
        // answered by random lines.
        let mut steps = Vec::new();
        for _ in 0..12 {
            if rng.next(6) != 0 {
                steps.push(Step::Sent(commands[rng.next(commands.len())].clone()));
            }
            let mut bytes = Vec::new();
            for _ in 0..1 + rng.next(6) {
                bytes.extend_from_slice(b"\r\n");
                bytes.extend_from_slice(line(&mut rng, d, &prefixes, &commands).as_bytes());
                bytes.extend_from_slice(b"\r\n");
            }
            steps.push(Step::Read(bytes));
        }
        let piece = [None, Some(1), Some(5), Some(64)][round % 4];
        let (fused, split) = both::<U, R>(d, &steps, piece);
        assert_eq!(fused, split, "round {round}, reads of {piece:?}");
        for g in &fused {
            match g {
                Got::Urc(_, _, v) => {
                    t.urcs += 1;
                    t.urcs_ok += usize::from(v.is_ok());
                }
                Got::Response(_, _, _, v) => {
                    t.responses += 1;
                    t.responses_ok += usize::from(v.is_ok());
                }
                Got::Other(OwnedEvent::Echo(_)) => t.echoes += 1,
                Got::Other(_) => {}
            }
        }
    }
    t
}
