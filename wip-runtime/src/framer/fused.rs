//! Framing and typed decode in one pass ([`Framer::feed_typed`], and
//! [`Framer::feed_typed_into`] for a sink of the caller's type,
//! [`OnTyped`]).
//!
//! [`Framer::feed`] frames and classifies each line (its prefix, its field
//! count, which fields are quoted), and a client then reads the fields
//! again into its typed value. [`Framer::feed_typed`] reads a line of the
//! usual shape `+NAME: body` once: the prefix is looked up, with the
//! command in flight, in a small table of the messages the line may be
//! ([`Index::candidates`]), and the generated decoder of each reads the
//! body straight into its typed value. The first that takes the line
//! decides its class, which is the one the classifier gives (see
//! [`Index::candidates`] for why). Any other line, and a line no decoder
//! takes, goes the way of [`Framer::feed`], and is then decoded from the
//! framed line: every event and value is the one [`Framer::feed`] and
//! [`FromMessage::decode_framed`] give.

use core::marker::PhantomData;

use super::{Event, Framer};
use alloc::vec::Vec;
use wip_schema::classify::{Candidates, InFlight, Index};
use wip_schema::typed::FromMessage;
use wip_schema::{Dialect, Error};

/// What [`Framer::feed_typed`] gives: URCs and responses as typed values,
/// every other event as [`Framer::feed`] gives it.
///
/// A line of the usual shape `+NAME: body` is read once: the prefix is
/// looked up, with the command in flight, in a small table of the messages
/// the line may be ([`Index::candidates`]), and the generated decoder of
/// each reads the body straight into its typed value; the first that takes
/// the line decides its class, which is the one the classifier gives. Any
/// other line, and one no decoder takes, is classified as
/// [`Framer::feed`] classifies it and decoded from the framed line.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed<'a, U, R> {
    /// An unsolicited result code ([`Event::Urc`]) and its typed value.
    Urc {
        /// The index of the message it matched in
        /// [`wip_schema::Dialect::messages`].
        message: usize,
        /// The line, without its CR LF framing and the blanks around it.
        line: &'a str,
        /// The typed value; an error when the line is not a message `U`
        /// takes, or does not fit it: a field of the wrong kind (a quoted
        /// integer), a value out of its range, or a rule between fields
        /// broken.
        value: Result<U, Error>,
    },
    /// An information response of the command in flight
    /// ([`Event::Response`]) and its typed value.
    Response {
        /// The index of the command in [`wip_schema::Dialect::commands`].
        command: usize,
        /// The index of the message it matched.
        message: usize,
        /// The line, without its CR LF framing and the blanks around it.
        line: &'a str,
        /// The typed value; an error as for [`Typed::Urc`].
        value: Result<R, Error>,
    },
    /// Any other event (never [`Event::Urc`] or [`Event::Response`]).
    Event(Event<'a>),
}

/// What receives the values of [`Framer::feed_typed_into`]: a type of the
/// caller's, where [`Framer::feed_typed`] takes a closure.
///
/// Each event reaches exactly one of the three methods, in the order of
/// the stream. A URC or response that the one-pass decode read comes to
/// [`OnTyped::on_urc`] or [`OnTyped::on_response`]; one it left to the
/// classifier (a line of another shape, or of a prefix whose messages
/// need more than their field count told apart) comes to
/// [`OnTyped::on_typed`] as [`Typed::Urc`] or [`Typed::Response`], with
/// `Ok` or `Err` as its decode gave. Which method a value takes is not
/// part of the API: an implementation that overrides `on_urc` or
/// `on_response` must treat the value as `on_typed` treats the matching
/// [`Typed`] with `Ok(value)` (their defaults do just that).
///
/// Why a type rather than a closure: a closure receives its argument
/// packed, and copies a value of `Typed`'s size (120 bytes for `rev009`
/// on x86-64) into its own frame before it reads it; a method reads the
/// value where the framer wrote it, and `on_urc`/`on_response` take the
/// value where its decoder wrote it. That copy, of a value written a
/// moment before, is most of what a closure costs per line (its loads
/// wait for the stores they read to complete).
pub trait OnTyped<U, R> {
    /// One event, with each URC and response typed; every URC and
    /// response that does not come to [`OnTyped::on_urc`] or
    /// [`OnTyped::on_response`] comes here, decoded or not.
    fn on_typed(&mut self, t: Typed<'_, U, R>);

    /// A URC the one-pass decode read without error: by default
    /// [`OnTyped::on_typed`] of [`Typed::Urc`] with `Ok(value)`. Where it
    /// is implemented, the value is read where the decoder wrote it, not
    /// moved into a [`Typed`] first.
    #[inline(always)]
    fn on_urc(&mut self, message: usize, line: &str, value: U) {
        self.on_typed(Typed::Urc {
            message,
            line,
            value: Ok(value),
        })
    }

    /// An information response the one-pass decode read without error:
    /// by default [`OnTyped::on_typed`] of [`Typed::Response`] with
    /// `Ok(value)` (see [`OnTyped::on_urc`]).
    #[inline(always)]
    fn on_response(&mut self, command: usize, message: usize, line: &str, value: R) {
        self.on_typed(Typed::Response {
            command,
            message,
            line,
            value: Ok(value),
        })
    }
}

/// What receives the values of [`Framer::feed_typed_in`]: each URC and
/// response the one-pass decode read is lent where it was decoded, in the
/// caller's [`Slots`], instead of moved.
///
/// Each event reaches exactly one of the three methods, in the order of
/// the stream, as with [`OnTyped`]: a URC or response the one-pass decode
/// read comes to [`OnTypedRef::on_urc`] or [`OnTypedRef::on_response`];
/// one it left to the classifier comes to [`OnTypedRef::on_typed`] as
/// [`Typed::Urc`] or [`Typed::Response`], owned, with `Ok` or `Err` as its
/// decode gave; every other event as [`Typed::Event`].
pub trait OnTypedRef<U, R> {
    /// Every event that does not come to [`OnTypedRef::on_urc`] or
    /// [`OnTypedRef::on_response`].
    fn on_typed(&mut self, t: Typed<'_, U, R>);

    /// A URC the one-pass decode read without error, lent: the next URC of
    /// the same message is decoded over it.
    fn on_urc(&mut self, message: usize, line: &str, value: &U);

    /// An information response of `command` the one-pass decode read
    /// without error, lent as [`OnTypedRef::on_urc`] lends a URC.
    fn on_response(&mut self, command: usize, message: usize, line: &str, value: &R);
}

impl<U, R, T: OnTypedRef<U, R> + ?Sized> OnTypedRef<U, R> for &mut T {
    #[inline(always)]
    fn on_typed(&mut self, t: Typed<'_, U, R>) {
        (**self).on_typed(t)
    }

    #[inline(always)]
    fn on_urc(&mut self, message: usize, line: &str, value: &U) {
        (**self).on_urc(message, line, value)
    }

    #[inline(always)]
    fn on_response(&mut self, command: usize, message: usize, line: &str, value: &R) {
        (**self).on_response(command, message, line, value)
    }
}

/// Where [`Framer::feed_typed_in`] decodes URCs and responses: one value
/// of each message, kept from one line of the message to the next, so
/// that a line is decoded over the last value of its message
/// ([`FromMessage::decode_direct_framed_in`]) and its strings are copied
/// into the buffers that value already has. Once each message's strings
/// have grown to their length, decoding allocates nothing.
///
/// A host keeps one beside its framer; a value it wants to keep, it
/// clones.
#[derive(Debug, Clone)]
pub struct Slots<U, R> {
    urcs: Vec<Option<U>>,
    responses: Vec<Option<R>>,
}

impl<U, R> Default for Slots<U, R> {
    fn default() -> Self {
        Slots {
            urcs: Vec::new(),
            responses: Vec::new(),
        }
    }
}

impl<U, R> Slots<U, R> {
    /// Empty slots: the first value of each message is decoded anew.
    pub fn new() -> Self {
        Self::default()
    }

    /// Drops every value kept (and the buffers of its strings).
    pub fn clear(&mut self) {
        self.urcs.clear();
        self.responses.clear();
    }
}

/// The slot of message `message` in `slots`, grown to it the first time.
#[inline(always)]
fn slot<T>(slots: &mut Vec<Option<T>>, message: usize) -> Option<&mut Option<T>> {
    if slots.len() <= message {
        grow(slots, message);
    }
    slots.get_mut(message)
}

#[cold]
#[inline(never)]
fn grow<T>(slots: &mut Vec<Option<T>>, message: usize) {
    slots.resize_with(message.saturating_add(1), || None);
}

/// A closure as an [`OnTyped`].
struct Closure<F>(F);

impl<U, R, F: FnMut(Typed<'_, U, R>)> OnTyped<U, R> for Closure<F> {
    #[inline(always)]
    fn on_typed(&mut self, t: Typed<'_, U, R>) {
        (self.0)(t)
    }
}

impl<U, R, T: OnTyped<U, R> + ?Sized> OnTyped<U, R> for &mut T {
    #[inline(always)]
    fn on_typed(&mut self, t: Typed<'_, U, R>) {
        (**self).on_typed(t)
    }

    #[inline(always)]
    fn on_urc(&mut self, message: usize, line: &str, value: U) {
        (**self).on_urc(message, line, value)
    }

    #[inline(always)]
    fn on_response(&mut self, command: usize, message: usize, line: &str, value: R) {
        (**self).on_response(command, message, line, value)
    }
}

/// Where the framer's line loop sends what it finds: events, and, when
/// [`Sink::FUSES`], the lines it offers to a generated decoder first.
pub(super) trait Sink {
    /// Whether [`Sink::decode`] may take lines: the framer looks up their
    /// candidates only then.
    const FUSES: bool;

    /// One event.
    fn event(&mut self, e: Event<'_>);

    /// Reads `line` (its body at `body`) as message `message`, a URC when
    /// `urc`, else a response of `command`; gives its typed value and
    /// returns `true` when the message's generated decoder takes it.
    fn decode(&mut self, message: usize, urc: bool, command: usize, line: &str, body: &str)
        -> bool;
}

/// The sink of [`Framer::feed`]: events only.
pub(super) struct Events<F>(pub(super) F);

impl<F: FnMut(Event<'_>)> Sink for Events<F> {
    const FUSES: bool = false;

    #[inline(always)]
    fn event(&mut self, e: Event<'_>) {
        (self.0)(e)
    }

    #[inline(always)]
    fn decode(&mut self, _: usize, _: bool, _: usize, _: &str, _: &str) -> bool {
        false
    }
}

/// The sink of [`Framer::feed_typed`].
struct TypedSink<'d, U, R, F> {
    dialect: &'d Dialect,
    f: F,
    types: PhantomData<fn() -> (U, R)>,
}

impl<U: FromMessage, R: FromMessage, F: OnTyped<U, R>> Sink for TypedSink<'_, U, R, F> {
    const FUSES: bool = true;

    /// A URC or response the classifier found is decoded from its framed
    /// line, as [`FromMessage::decode_framed`] does.
    #[inline(always)]
    fn event(&mut self, e: Event<'_>) {
        let d = self.dialect;
        match e {
            Event::Urc { message, line } => self.f.on_typed(Typed::Urc {
                message,
                line: line.text,
                value: U::decode_framed(d, message, line.text, line.body),
            }),
            Event::Response {
                command,
                message,
                line,
            } => self.f.on_typed(Typed::Response {
                command,
                message,
                line: line.text,
                value: R::decode_framed(d, message, line.text, line.body),
            }),
            e => self.f.on_typed(Typed::Event(e)),
        }
    }

    #[inline(always)]
    fn decode(
        &mut self,
        message: usize,
        urc: bool,
        command: usize,
        line: &str,
        body: &str,
    ) -> bool {
        let d = self.dialect;
        if urc {
            let f = &mut self.f;
            U::decode_direct_framed_with(d, message, line, body, |v| f.on_urc(message, line, v))
                .is_some()
        } else {
            let f = &mut self.f;
            R::decode_direct_framed_with(d, message, line, body, |v| {
                f.on_response(command, message, line, v)
            })
            .is_some()
        }
    }
}

/// The sink of [`Framer::feed_typed_in`].
struct InPlaceSink<'d, 's, U, R, F> {
    dialect: &'d Dialect,
    slots: &'s mut Slots<U, R>,
    f: F,
}

impl<U: FromMessage, R: FromMessage, F: OnTypedRef<U, R>> Sink for InPlaceSink<'_, '_, U, R, F> {
    const FUSES: bool = true;

    /// A URC or response the classifier found is decoded from its framed
    /// line into a value of its own, as [`TypedSink`] does.
    //
    // Written out as in `TypedSink`, not shared through a function that
    // returns the `Typed`: a `Typed` returned from a callee, even an
    // inlined one, was copied before `on_typed` read it (the `vs_atat`
    // bench 3-10 % slower).
    #[inline(always)]
    fn event(&mut self, e: Event<'_>) {
        let d = self.dialect;
        match e {
            Event::Urc { message, line } => self.f.on_typed(Typed::Urc {
                message,
                line: line.text,
                value: U::decode_framed(d, message, line.text, line.body),
            }),
            Event::Response {
                command,
                message,
                line,
            } => self.f.on_typed(Typed::Response {
                command,
                message,
                line: line.text,
                value: R::decode_framed(d, message, line.text, line.body),
            }),
            e => self.f.on_typed(Typed::Event(e)),
        }
    }

    #[inline(always)]
    fn decode(
        &mut self,
        message: usize,
        urc: bool,
        command: usize,
        line: &str,
        body: &str,
    ) -> bool {
        let d = self.dialect;
        if urc {
            let Some(s) = slot(&mut self.slots.urcs, message) else {
                return false;
            };
            if !U::decode_direct_framed_in(d, message, line, body, s) {
                return false;
            }
            if let Some(v) = s {
                self.f.on_urc(message, line, v);
            }
        } else {
            let Some(s) = slot(&mut self.slots.responses, message) else {
                return false;
            };
            if !R::decode_direct_framed_in(d, message, line, body, s) {
                return false;
            }
            if let Some(v) = s {
                self.f.on_response(command, message, line, v);
            }
        }
        true
    }
}

/// The [`Index::candidates`] already looked up, by prefix key and what is
/// in flight: a small direct-mapped table, one per framer.
#[derive(Debug, Clone)]
pub(super) struct Plans {
    slots: Vec<Plan>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    key: u128,
    in_flight: InFlight,
    candidates: Candidates,
}

/// How many plans a framer keeps (a power of two).
const PLAN_SLOTS: usize = 128;

impl Default for Plans {
    fn default() -> Self {
        Plans {
            // Key 0 is no prefix's: every slot starts empty.
            slots: alloc::vec![
                Plan {
                    key: 0,
                    in_flight: InFlight::None,
                    candidates: Candidates::default(),
                };
                PLAN_SLOTS
            ],
        }
    }
}

impl Plans {
    /// The candidates of a prefix key while `in_flight` is in flight:
    /// looked for in its own slot, then in the other slot of its pair
    /// (two frequent prefixes whose keys hash to one slot then do not
    /// push each other out).
    #[inline(always)]
    pub(super) fn get(&mut self, index: &Index, key: u128, in_flight: InFlight) -> Candidates {
        let at = Self::slot(key, in_flight);
        if let Some(p) = self
            .slots
            .get(at)
            .filter(|p| p.key == key && p.in_flight == in_flight)
        {
            return p.candidates;
        }
        self.miss(index, key, in_flight, at)
    }

    #[inline(never)]
    fn miss(&mut self, index: &Index, key: u128, in_flight: InFlight, at: usize) -> Candidates {
        let alt = at ^ 1;
        if let Some(p) = self
            .slots
            .get(alt)
            .filter(|p| p.key == key && p.in_flight == in_flight)
        {
            return p.candidates;
        }
        let candidates = index.candidates(in_flight, key);
        // Its own slot while that is free (key 0 is no prefix's), else
        // the other one of the pair.
        let free = self.slots.get(at).is_some_and(|p| p.key == 0);
        if let Some(p) = self.slots.get_mut(if free { at } else { alt }) {
            *p = Plan {
                key,
                in_flight,
                candidates,
            };
        }
        candidates
    }

    #[inline(always)]
    fn slot(key: u128, in_flight: InFlight) -> usize {
        let f = match in_flight {
            InFlight::None => 0u64,
            InFlight::Command(c) => (c as u64) << 1 | 1,
            InFlight::Form(c, f) => (c as u64) << 17 ^ (f as u64) << 1,
        };
        // `as u64` keeps the low half of the key on purpose.
        let x = (key as u64) ^ ((key >> 64) as u64).rotate_left(21) ^ f.rotate_left(40);
        let h = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PLAN_SLOTS.trailing_zeros());
        usize::try_from(h).unwrap_or(0)
    }
}

impl Framer<'_> {
    /// Feeds one chunk of bytes from the modem; `sink` receives what it
    /// completes, in order, as [`Framer::feed`] gives it, with each URC and
    /// information response decoded into `U` or `R` (a spec's `Urc` and
    /// `Response` enums, or any [`FromMessage`] type).
    ///
    /// A line of the usual shape (`+NAME: body`) is framed, classified and
    /// decoded in one pass: its prefix and the command in flight name the
    /// messages it can be ([`Index::candidates`]), and the generated decoder
    /// of each reads its fields straight into the typed value; the events and values
    /// are those of [`Framer::feed`] followed by
    /// [`FromMessage::decode_framed`] of each URC and response, for any
    /// chunking of the stream.
    ///
    /// A host that counts nanoseconds gives the values to a type of its
    /// own instead ([`Framer::feed_typed_into`], [`OnTyped`]): the same
    /// events and values, without the copy of each into the closure.
    pub fn feed_typed<U: FromMessage, R: FromMessage>(
        &mut self,
        chunk: &[u8],
        sink: impl FnMut(Typed<'_, U, R>),
    ) {
        self.feed_typed_into(chunk, &mut Closure(sink));
    }

    /// [`Framer::feed_typed`] with the values given to a type of the
    /// caller's ([`OnTyped`]), which reads each where the framer wrote it:
    /// the events, and the values with their classes and lines, are those
    /// [`Framer::feed_typed`] gives for the same bytes, in the same order.
    ///
    /// ```
    /// use wip_runtime::framer::{OnTyped, Typed};
    /// use wip_runtime::schema::answer::NoResponse;
    /// use wip_runtime::schema::{Dialect, Final};
    /// use wip_runtime::{Event, Framer};
    ///
    /// /// Counts what the modem said; the typed values are those of any
    /// /// `FromMessage` types (a spec's generated `Urc` and `Response`).
    /// #[derive(Default)]
    /// struct Tally {
    ///     values: usize,
    ///     finals: usize,
    /// }
    ///
    /// impl<U, R> OnTyped<U, R> for Tally {
    ///     fn on_typed(&mut self, t: Typed<'_, U, R>) {
    ///         match t {
    ///             Typed::Event(Event::Final(Final::Ok)) => self.finals += 1,
    ///             Typed::Urc { value: Ok(_), .. } | Typed::Response { value: Ok(_), .. } => {
    ///                 self.values += 1
    ///             }
    ///             _ => {}
    ///         }
    ///     }
    ///
    ///     // The values the generated decoders read come here, each where
    ///     // its decoder wrote it.
    ///     fn on_urc(&mut self, _message: usize, _line: &str, _value: U) {
    ///         self.values += 1;
    ///     }
    ///
    ///     fn on_response(&mut self, _command: usize, _message: usize, _line: &str, _value: R) {
    ///         self.values += 1;
    ///     }
    /// }
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// // The rev 009 spec's dialect; a host uses its generated `DIALECT`,
    /// // `Urc` and `Response` (`wip_bindings::rev009`).
    /// let dialect: Dialect = wip_spec::default_spec()?.dialect;
    /// let mut framer = Framer::new(&dialect);
    /// let mut tally = Tally::default();
    /// framer.feed_typed_into::<NoResponse, NoResponse>(b"\r\nOK\r\n\r\nOK\r\n", &mut tally);
    /// assert_eq!((tally.values, tally.finals), (0, 2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn feed_typed_into<U: FromMessage, R: FromMessage>(
        &mut self,
        chunk: &[u8],
        sink: &mut (impl OnTyped<U, R> + ?Sized),
    ) {
        let mut s = TypedSink {
            dialect: self.dialect,
            f: sink,
            types: PhantomData,
        };
        self.feed_sink(chunk, &mut s);
    }

    /// [`Framer::feed_typed_into`] for a caller that keeps its read buffer
    /// (a `BytesMut`, a ring a UART's DMA fills): a line the buffer ends
    /// inside of is left there instead of copied into the framer, and
    /// returns how many bytes it used. The caller drops those and gives the
    /// rest again, with the bytes that follow them, to the next call.
    ///
    /// The events and values are those [`Framer::feed_typed_into`] gives
    /// for the same stream, however it is cut; only a line that waits in
    /// plain command mode is left (one that outgrows
    /// [`FramerConfig::max_line`](super::FramerConfig) is not, and data,
    /// payloads and prompts are always used whole).
    pub fn feed_typed_buffered<U: FromMessage, R: FromMessage>(
        &mut self,
        buf: &[u8],
        sink: &mut (impl OnTyped<U, R> + ?Sized),
    ) -> usize {
        let mut s = TypedSink {
            dialect: self.dialect,
            f: sink,
            types: PhantomData,
        };
        self.feed_sink_keep::<_, true>(buf, &mut s)
    }

    /// [`Framer::feed_typed_into`] with each URC and response the one-pass
    /// decode reads decoded over the last value of its message in `slots`
    /// ([`Slots`]) and lent to the sink ([`OnTypedRef`]): no value is
    /// moved, and a line's strings are copied into buffers the slot's
    /// value already has. The events and values are those
    /// [`Framer::feed_typed_into`] gives for the same bytes, in the same
    /// order.
    ///
    /// ```
    /// use wip_runtime::framer::{OnTypedRef, Slots, Typed};
    /// use wip_runtime::schema::answer::NoResponse;
    /// use wip_runtime::schema::{Dialect, Final};
    /// use wip_runtime::{Event, Framer};
    ///
    /// /// Counts what the modem said, looking at each value where it lies.
    /// #[derive(Default)]
    /// struct Tally {
    ///     values: usize,
    ///     finals: usize,
    /// }
    ///
    /// impl<U, R> OnTypedRef<U, R> for Tally {
    ///     fn on_typed(&mut self, t: Typed<'_, U, R>) {
    ///         match t {
    ///             Typed::Event(Event::Final(Final::Ok)) => self.finals += 1,
    ///             Typed::Urc { value: Ok(_), .. } | Typed::Response { value: Ok(_), .. } => {
    ///                 self.values += 1
    ///             }
    ///             _ => {}
    ///         }
    ///     }
    ///
    ///     fn on_urc(&mut self, _message: usize, _line: &str, _value: &U) {
    ///         self.values += 1;
    ///     }
    ///
    ///     fn on_response(&mut self, _command: usize, _message: usize, _line: &str, _value: &R) {
    ///         self.values += 1;
    ///     }
    /// }
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let dialect: Dialect = wip_spec::default_spec()?.dialect;
    /// let mut framer = Framer::new(&dialect);
    /// let mut slots = Slots::<NoResponse, NoResponse>::new();
    /// let mut tally = Tally::default();
    /// framer.feed_typed_in(b"\r\nOK\r\n\r\nOK\r\n", &mut slots, &mut tally);
    /// assert_eq!((tally.values, tally.finals), (0, 2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn feed_typed_in<U: FromMessage, R: FromMessage>(
        &mut self,
        chunk: &[u8],
        slots: &mut Slots<U, R>,
        sink: &mut (impl OnTypedRef<U, R> + ?Sized),
    ) {
        let mut s = InPlaceSink {
            dialect: self.dialect,
            slots,
            f: sink,
        };
        self.feed_sink(chunk, &mut s);
    }

    /// [`Framer::feed_typed_in`] for a caller that keeps its read buffer,
    /// as [`Framer::feed_typed_buffered`] is for
    /// [`Framer::feed_typed_into`]: returns how many bytes it used.
    pub fn feed_typed_in_buffered<U: FromMessage, R: FromMessage>(
        &mut self,
        buf: &[u8],
        slots: &mut Slots<U, R>,
        sink: &mut (impl OnTypedRef<U, R> + ?Sized),
    ) -> usize {
        let mut s = InPlaceSink {
            dialect: self.dialect,
            slots,
            f: sink,
        };
        self.feed_sink_keep::<_, true>(buf, &mut s)
    }
}
