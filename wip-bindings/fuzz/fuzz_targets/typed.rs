//! The framer and the generated typed decode of rev 009 on arbitrary
//! bytes after arbitrary commands: no panic; every URC and response the
//! framer tags decodes in one pass (`decode_framed`, from the body the
//! framer cut) exactly as the engine's full binder decodes its text, errors
//! included; the typed values are the same whether the bytes come whole
//! or one byte at a time; and `Framer::feed_typed` (framing, classification
//! and typed decode in one pass) gives every event, class and value the
//! two passes give, as does `Framer::feed_typed_into` through the methods
//! of an `OnTyped`, `Framer::feed_typed_buffered` with the host
//! keeping its reads, and `Framer::feed_typed_in` (each value decoded over
//! the last of its message and lent), whole and buffered.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wip_bindings::rev009::{Response, Urc, DIALECT};
use wip_runtime::framer::{Line, OnTyped, OnTypedRef, Slots, Typed as OnePass};
use wip_runtime::schema::typed::{parse_message_as, FromMessage};
use wip_runtime::schema::Error;
use wip_runtime::{Event, Framer};

/// Commands whose answers the modem's bytes may hold (each form with
/// responses, a data session, a payload-carrying answer).
const COMMANDS: &[&str] = &[
    "AT+WIPCFG?",
    "AT+WIPCFG=3",
    "AT+WIPBR=3,6,11",
    "AT+WIPBR?",
    "AT+WIPBR=4,5,1,\"wip\",\"secret\"",
    "AT+WIPCREATE=2,1,\"10.0.0.1\",80",
    "AT+WIPCREATE=3,1,80,1,8",
    "AT+WIPDATA=2,1,3",
    "AT+WIPDATARW=1,1,\"3031\"",
    "AT+WIPOPT=2,1,1,8",
    "AT+WIPPING=\"192.168.0.1\"",
    "AT+WIPFILE=4,1,2,\"http://example.com/upload\"",
    "AT+WIPCLOSE=2,1",
];

/// What one tagged line decoded to.
#[derive(Debug, PartialEq)]
enum Typed {
    Urc(Result<Urc, Error>),
    Response(Result<Response, Error>),
}

fn full<T: FromMessage>(message: usize, text: &str) -> Result<T, Error> {
    T::from_message(message, &parse_message_as(&DIALECT, message, text)?)
}

/// The one-pass decode of a tagged line, checked against the full binder
/// and against the re-classifying `decode`.
fn checked<T: FromMessage + PartialEq + std::fmt::Debug>(
    message: usize,
    line: &Line<'_>,
) -> Result<T, Error> {
    let framed = T::decode_framed(&DIALECT, message, line.text, line.body);
    assert_eq!(framed, full::<T>(message, line.text), "{}", line.text);
    assert_eq!(
        T::decode(&DIALECT, message, line.text),
        framed,
        "{}",
        line.text
    );
    framed
}

/// The input as steps: a command index (anything past `COMMANDS` sends
/// nothing), a length byte, then that many bytes the modem sent.
fn steps(mut rest: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    while let [action, len, tail @ ..] = rest {
        let (chunk, next) = tail.split_at(usize::from(*len).min(tail.len()));
        out.push((*action, chunk));
        rest = next;
    }
    out
}

/// Plays the steps to a new framer: each command sent, each read given to
/// `feed` whole or one byte at a time.
fn play(steps: &[(u8, &[u8])], bytewise: bool, mut feed: impl FnMut(&mut Framer<'_>, &[u8])) {
    let mut f = Framer::new(&DIALECT);
    for &(action, bytes) in steps {
        if let Some(c) = COMMANDS.get(usize::from(action)) {
            f.sent(c);
        }
        for b in bytes.chunks(if bytewise { 1 } else { bytes.len().max(1) }) {
            feed(&mut f, b);
        }
    }
}

fn run(steps: &[(u8, &[u8])], bytewise: bool) -> Vec<Typed> {
    let mut out = Vec::new();
    let mut sink = |e: Event<'_>| match e {
        Event::Urc { message, line } => out.push(Typed::Urc(checked(message, &line))),
        Event::Response { message, line, .. } => out.push(Typed::Response(checked(message, &line))),
        _ => {}
    };
    play(steps, bytewise, |f, b| f.feed(b, &mut sink));
    out
}

/// Every event, as the two paths are compared: URCs and responses with
/// their class and typed value, the rest by their debug text.
#[derive(Debug, PartialEq)]
enum Seen {
    Urc(usize, Result<Urc, Error>),
    Response(usize, usize, Result<Response, Error>),
    Other(String),
}

impl Seen {
    /// What the one pass gave, as the paths are compared.
    fn of(e: OnePass<'_, Urc, Response>) -> Seen {
        match e {
            OnePass::Urc { message, value, .. } => Seen::Urc(message, value),
            OnePass::Response {
                command,
                message,
                value,
                ..
            } => Seen::Response(command, message, value),
            OnePass::Event(e) => Seen::Other(format!("{e:?}")),
        }
    }
}

fn run_split(steps: &[(u8, &[u8])], bytewise: bool) -> Vec<Seen> {
    let mut out = Vec::new();
    let mut sink = |e: Event<'_>| {
        out.push(match e {
            Event::Urc { message, line } => Seen::Urc(
                message,
                Urc::decode_framed(&DIALECT, message, line.text, line.body),
            ),
            Event::Response {
                command,
                message,
                line,
            } => Seen::Response(
                command,
                message,
                Response::decode_framed(&DIALECT, message, line.text, line.body),
            ),
            e => Seen::Other(format!("{e:?}")),
        })
    };
    play(steps, bytewise, |f, b| f.feed(b, &mut sink));
    out
}

fn run_fused(steps: &[(u8, &[u8])], bytewise: bool) -> Vec<Seen> {
    let mut out = Vec::new();
    let mut sink = |e: OnePass<'_, Urc, Response>| out.push(Seen::of(e));
    play(steps, bytewise, |f, b| f.feed_typed(b, &mut sink));
    out
}

/// The one pass again, with the values given to the methods of an
/// `OnTyped` (`Framer::feed_typed_into`).
struct IntoSink(Vec<Seen>);

impl OnTyped<Urc, Response> for IntoSink {
    fn on_typed(&mut self, e: OnePass<'_, Urc, Response>) {
        self.0.push(Seen::of(e))
    }

    fn on_urc(&mut self, message: usize, _: &str, value: Urc) {
        self.0.push(Seen::Urc(message, Ok(value)));
    }

    fn on_response(&mut self, command: usize, message: usize, _: &str, value: Response) {
        self.0.push(Seen::Response(command, message, Ok(value)));
    }
}

fn run_into(steps: &[(u8, &[u8])], bytewise: bool) -> Vec<Seen> {
    let mut sink = IntoSink(Vec::new());
    play(steps, bytewise, |f, b| f.feed_typed_into(b, &mut sink));
    sink.0
}

/// The one pass with the host keeping its reads
/// (`Framer::feed_typed_buffered`): each piece appended to its buffer, what
/// the framer used dropped, the line in progress given again.
fn run_buffered(steps: &[(u8, &[u8])], bytewise: bool) -> Vec<Seen> {
    let mut sink = IntoSink(Vec::new());
    let mut kept: Vec<u8> = Vec::new();
    play(steps, bytewise, |f, b| {
        kept.extend_from_slice(b);
        let used = f.feed_typed_buffered(&kept, &mut sink);
        assert!(used <= kept.len());
        kept.drain(..used);
    });
    sink.0
}

impl OnTypedRef<Urc, Response> for IntoSink {
    fn on_typed(&mut self, e: OnePass<'_, Urc, Response>) {
        self.0.push(Seen::of(e))
    }

    fn on_urc(&mut self, message: usize, _: &str, value: &Urc) {
        self.0.push(Seen::Urc(message, Ok(value.clone())));
    }

    fn on_response(&mut self, command: usize, message: usize, _: &str, value: &Response) {
        self.0
            .push(Seen::Response(command, message, Ok(value.clone())));
    }
}

/// The one pass decoding in place (`Framer::feed_typed_in`), or with the
/// host keeping its reads (`Framer::feed_typed_in_buffered`).
fn run_in(steps: &[(u8, &[u8])], bytewise: bool, buffered: bool) -> Vec<Seen> {
    let mut sink = IntoSink(Vec::new());
    let mut slots = Slots::new();
    let mut kept: Vec<u8> = Vec::new();
    play(steps, bytewise, |f, b| {
        if buffered {
            kept.extend_from_slice(b);
            let used = f.feed_typed_in_buffered(&kept, &mut slots, &mut sink);
            assert!(used <= kept.len());
            kept.drain(..used);
        } else {
            f.feed_typed_in(b, &mut slots, &mut sink);
        }
    });
    sink.0
}

fuzz_target!(|data: &[u8]| {
    let steps = steps(data);
    let whole = run(&steps, false);
    let bytewise = run(&steps, true);
    assert_eq!(whole, bytewise);
    for bytewise in [false, true] {
        let fused = run_fused(&steps, bytewise);
        assert_eq!(fused, run_split(&steps, bytewise));
        assert_eq!(run_into(&steps, bytewise), fused);
        assert_eq!(run_buffered(&steps, bytewise), fused);
        assert_eq!(run_in(&steps, bytewise, false), fused);
        assert_eq!(run_in(&steps, bytewise, true), fused);
    }
});
