//! The command side of the framer: [`Framer::sent`] and
//! [`Framer::sent_parsed`], told of each command line the host writes.
//!
//! `sent` runs once per command, so its common case is a few dozen
//! integer operations: one 16-byte load of the line finds where its name
//! ends, and `AT` with the name, case aside, is the key of one hash probe,
//! which gives the command and whether anything else must be looked up
//! for it. The data session a line opens, the prompt it awaits and whether
//! it is a test command are looked up only for the commands that have one
//! ([`Traits`], precomputed with the framer); the form of a line, where
//! the command's forms answer differently, by one scan of its
//! discriminating field ([`Selector`]). A line the probe does not
//! find (an unknown name, blanks about it, a long or non-ASCII one) takes
//! the general path.

use super::{prompt, DataSession, Framer, Pending};
use alloc::boxed::Box;
use alloc::vec::Vec;
use wip_schema::classify::InFlight;
use wip_schema::{Dialect, ParsedCommand};

/// How many command lines [`Framer::sent`] remembers the data session of,
/// at most; past that it starts over.
pub const SESSION_CACHE: usize = 16;

impl Framer<'_> {
    /// Tells the framer that a command line (`AT+WIPBR=3,6,11`, without
    /// its CR) was sent: its responses are now expected, and if it can
    /// open a data mode, the session it opens is noted for `CONNECT`.
    /// Where the command's forms answer differently, the responses expected
    /// are those of the line's form, found by its kind and discriminators
    /// ([`wip_schema::form_of_line`]), as [`Framer::sent_parsed`] expects
    /// them: `+WIPCFG: 0,64` answers `AT+WIPCFG?`, not `AT+WIPCFG=1`. A
    /// line whose form cannot be told expects the responses of every form.
    /// Returns the index of the command in the dialect, if known.
    pub fn sent(&mut self, line: &str) -> Option<usize> {
        match head(line.as_bytes()).and_then(|h| self.names.get(h)) {
            Some(&Named {
                command,
                plain: true,
                ..
            }) => {
                // Responses are expected from any form of the command.
                self.expect(InFlight::Command(command), None);
                Some(command)
            }
            Some(&Named {
                command,
                opens_only: true,
                ..
            }) => self.sent_opening(command, line),
            Some(&Named {
                command,
                narrows_only: true,
                head,
                ..
            }) => {
                let picked = self.picked(command, head_tail(line, head));
                let in_flight = self.in_flight_of(command, line, picked);
                self.expect(in_flight, None);
                Some(command)
            }
            Some(n) => self.sent_command(n.command, line, head_tail(line, n.head)),
            None => self.sent_cut(line),
        }
    }

    /// [`Framer::sent`] of a line of a command whose only trait is that
    /// it can open a data mode.
    #[inline(never)]
    fn sent_opening(&mut self, command: usize, line: &str) -> Option<usize> {
        let session = self.session_of(line);
        self.expect(InFlight::Command(command), session);
        Some(command)
    }

    /// [`Framer::sent`] of a line [`Names`] does not find.
    #[cold]
    #[inline(never)]
    fn sent_cut(&mut self, line: &str) -> Option<usize> {
        match cut_command(line.as_bytes()).and_then(|c| self.index.command(c.name)) {
            Some(c) => self.sent_command(c, line, None),
            None => {
                self.expect(InFlight::None, None);
                None
            }
        }
    }

    /// [`Framer::sent`] of a line of a known command: what its traits say
    /// must be looked up is. `tail` is what follows the name, blanks at
    /// its end removed, where [`Names`] matched the line's head (the line
    /// is cut by [`cut_command`] otherwise).
    #[inline(never)]
    fn sent_command(&mut self, c: usize, line: &str, tail: Option<&[u8]>) -> Option<usize> {
        let tail = || tail.or_else(|| cut_command(line.as_bytes()).map(|cut| cut.tail));
        let t = self.traits.get(c).copied().unwrap_or_default();
        // Only a command that can open a data mode needs the engine to
        // parse its line: the outcome of its form is the session `CONNECT`
        // opens.
        let session = if t.opens { self.session_of(line) } else { None };
        // A test command's answers are taken only while its Test form is
        // known to be in flight; its kind is in the line itself.
        let in_flight = match t.test {
            Some(f)
                if tail()
                    .is_some_and(|t| tail_is_test(t).unwrap_or_else(|| is_test_line(line))) =>
            {
                InFlight::Form(c, f)
            }
            // The form, where the command's forms answer differently:
            // a line of another form's answer is then not taken for one
            // (`+WIPCFG: 0,64` after `AT+WIPCFG=1`), as `sent_parsed`
            // does not take it.
            _ if t.narrows => self.narrowed(c, line, tail()),
            _ => InFlight::Command(c),
        };
        self.expect(in_flight, session);
        if t.prompts {
            self.prompt = prompt::Watch::for_line(self.dialect, c, line);
        }
        Some(c)
    }

    /// The form of a line of command `c`, whose forms answer differently,
    /// as [`wip_schema::form_of_line`] finds it: by its [`Selector`] where
    /// the line is plain, else by the engine's cut.
    /// `tail` is what follows the line's name ([`Cut::tail`]), `None`
    /// where the line does not cut.
    #[inline(never)]
    fn narrowed(&self, c: usize, line: &str, tail: Option<&[u8]>) -> InFlight {
        self.in_flight_of(c, line, self.picked(c, tail))
    }

    /// The form command `c`'s [`Selector`] picks for a line whose name is
    /// followed by `tail`; left to the engine without a selector or a
    /// tail.
    #[inline]
    fn picked(&self, c: usize, tail: Option<&[u8]>) -> Picked {
        match (self.selector(c), tail) {
            (Some(s), Some(t)) => s.form_of_tail(t),
            _ => Picked::General,
        }
    }

    /// The [`Selector`] of command `c`, when its forms allow one.
    fn selector(&self, c: usize) -> Option<&Selector> {
        self.selectors.get(c).and_then(Option::as_ref)
    }

    /// What is in flight after a line of command `c` whose form a
    /// [`Selector`] picked, or left to the engine's cut.
    fn in_flight_of(&self, c: usize, line: &str, picked: Picked) -> InFlight {
        let form = match picked {
            Picked::Form(f) => f,
            Picked::General => wip_schema::form_of_line(self.dialect, c, line),
        };
        form.map_or(InFlight::Command(c), |f| InFlight::Form(c, f))
    }

    /// Notes the command in flight and the session its `CONNECT` opens;
    /// no prompt is awaited.
    #[inline]
    fn expect(&mut self, in_flight: InFlight, session: Option<DataSession>) {
        self.next_session = session;
        self.set_pending(Some(Pending {
            in_flight,
            fresh: true,
        }));
        if self.prompt.is_some() {
            self.prompt = None;
        }
    }

    /// The data session a command line opens, parsed by the engine once
    /// per line: a host sends the same few data-mode commands again and
    /// again, so up to [`SESSION_CACHE`] lines are remembered.
    #[inline]
    fn session_of(&mut self, line: &str) -> Option<DataSession> {
        let key = LineKey::of(line.as_bytes());
        match self.sessions.get(&key, line) {
            Some(s) => s,
            None => self.parse_session(key, line),
        }
    }

    /// [`Framer::session_of`] of a line not remembered.
    #[cold]
    #[inline(never)]
    fn parse_session(&mut self, key: LineKey, line: &str) -> Option<DataSession> {
        let s = DataSession::for_line(self.dialect, line);
        self.sessions.insert(key, line, s);
        s
    }

    /// Whether form `form` of command `command` lists outcomes (can open
    /// a data mode).
    fn form_opens(&self, command: usize, form: usize) -> bool {
        wip_schema::command::form(self.dialect, command, form)
            .is_some_and(|f| !f.outcomes.is_empty())
    }

    /// [`Framer::sent`] for a command line the engine already parsed (a
    /// typed request): its form narrows the responses expected to its own,
    /// and its outcome gives the data session without parsing again.
    pub fn sent_parsed(&mut self, p: &ParsedCommand) {
        self.sent_known(p.command, p.form, |f| {
            DataSession::for_command(f.dialect, p)
        });
    }

    /// What [`Framer::sent_parsed`] and [`Framer::sent_form`] share, for a
    /// command whose form is known: its form's responses are expected,
    /// `session` is asked for the data session only where the form lists
    /// outcomes (only such a form opens a data mode), and the form's
    /// prompt, if any, is awaited.
    #[inline]
    fn sent_known(
        &mut self,
        command: usize,
        form: usize,
        session: impl FnOnce(&mut Self) -> Option<DataSession>,
    ) {
        let t = self.traits.get(command).copied().unwrap_or_default();
        let session = if t.opens && self.form_opens(command, form) {
            session(self)
        } else {
            None
        };
        self.expect(InFlight::Form(command, form), session);
        if t.prompts {
            self.prompt = prompt::Watch::for_form(self.dialect, command, form);
        }
    }

    /// [`Framer::sent_parsed`] for a typed request, told by its command
    /// and form (`TypedCommand::COMMAND` and `TypedCommand::FORM`, or the
    /// generated `Request::ids`) and the line it was written as (without
    /// its CR): the responses of the form are expected, and the line is
    /// looked at only where the form can open a data mode, for the session
    /// it opens (parsed once per line, then remembered, as
    /// [`Framer::sent`] remembers it). A host that frames the modem's
    /// bytes itself tells it each typed request it writes without the
    /// request's values being bound or its line searched for its command.
    ///
    /// `line` must be the request's line: the framer expects what the
    /// form answers whatever the line says.
    pub fn sent_form(&mut self, command: usize, form: usize, line: &str) {
        self.sent_known(command, form, |f| f.session_of(line));
    }
}

/// What [`Framer::sent`] looks up per command.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Traits {
    /// A form of it can open a data mode.
    opens: bool,
    /// A form of it declares a prompt.
    prompts: bool,
    /// Its Test form, when that lists test answers.
    test: Option<usize>,
    /// Its forms do not all list the same responses: the form of a line
    /// is looked up ([`wip_schema::form_of_line`]) to expect its own.
    narrows: bool,
}

/// The [`Traits`] of each command of `dialect`, by index.
pub(super) fn traits(dialect: &Dialect) -> Vec<Traits> {
    dialect
        .commands
        .iter()
        .enumerate()
        .map(|(i, c)| Traits {
            narrows: c.forms.iter().any(|f| {
                c.forms
                    .first()
                    .is_some_and(|g| !same_responses(&f.responses, &g.responses))
            }),
            opens: c.forms.iter().any(|f| !f.outcomes.is_empty()),
            prompts: wip_schema::payload::command_prompts(dialect, i),
            test: c.forms.iter().position(|f| {
                f.kind == wip_schema::FormKind::Test
                    && f.responses
                        .iter()
                        .any(|&m| dialect.messages.get(m).is_some_and(|m| m.test))
            }),
        })
        .collect()
}

/// How the form of a plain line of a command is found without the
/// engine's cut: every action form of the command is selected by values
/// of one integer parameter, at the same place (`AT+WIPCFG=<mode>`,
/// `AT+WIPOPT=<protocol>,<idx>,<action>`), or the command has one action
/// form that selects nothing (`AT+WIPDATA`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Selector {
    /// The index of the discriminating field.
    at: usize,
    /// (value, form), sorted by value; each value selects one form.
    forms: Vec<(i64, usize)>,
    /// The form of each value from 0 up to the largest below 64 that
    /// selects one, by value: what most lines are looked up in.
    dense: Vec<Option<usize>>,
    /// The command's one action form, when it selects nothing: every
    /// action line is it.
    single: Option<usize>,
    /// The Read, Test and Execute forms, when there is one of each kind.
    read: Option<usize>,
    test: Option<usize>,
    execute: Option<usize>,
}

/// What a [`Selector`] makes of a line.
enum Picked {
    /// The form [`wip_schema::form_of_line`] gives (none when it gives
    /// none).
    Form(Option<usize>),
    /// Not a plain line: the engine cuts it.
    General,
}

impl Selector {
    /// The selector of a command, when its forms allow one.
    fn of(c: &wip_schema::Command) -> Option<Selector> {
        use wip_schema::FormKind;
        let only = |kind: FormKind| {
            let mut of = c.forms.iter().enumerate().filter(|(_, f)| f.kind == kind);
            match (of.next(), of.next()) {
                (Some((i, _)), None) => Some(Some(i)),
                (None, _) => Some(None),
                _ => None,
            }
        };
        // One action form that selects nothing: every action line is it.
        if let Some(Some(i)) = only(FormKind::Action) {
            if c.forms.get(i).is_some_and(|f| f.select.is_empty()) {
                return Some(Selector {
                    at: 0,
                    forms: Vec::new(),
                    dense: Vec::new(),
                    single: Some(i),
                    read: only(FormKind::Read)?,
                    test: only(FormKind::Test)?,
                    execute: only(FormKind::Execute)?,
                });
            }
        }
        let mut at = None;
        let mut forms = Vec::new();
        for (i, f) in c.forms.iter().enumerate() {
            if f.kind != FormKind::Action {
                continue;
            }
            let [cond] = &f.select[..] else {
                return None;
            };
            if cond.given.is_some() || !cond.texts.is_empty() || cond.values.is_empty() {
                return None;
            }
            if *at.get_or_insert(cond.param) != cond.param {
                return None;
            }
            forms.extend(cond.values.iter().map(|&v| (v, i)));
        }
        forms.sort_unstable();
        if forms.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0)) {
            return None;
        }
        // As `form_of_line`, which looks no further than eight fields.
        let at = at.filter(|&a| a < 8)?;
        let small = forms
            .iter()
            .filter_map(|&(v, _)| usize::try_from(v).ok())
            .filter(|&v| v < 64);
        let mut dense = alloc::vec![None; small.max().map_or(0, |m| m + 1)];
        for &(v, f) in &forms {
            if let Some(d) = usize::try_from(v).ok().and_then(|v| dense.get_mut(v)) {
                *d = Some(f);
            }
        }
        Some(Selector {
            dense,
            at,
            forms,
            single: None,
            read: only(FormKind::Read)?,
            test: only(FormKind::Test)?,
            execute: only(FormKind::Execute)?,
        })
    }

    /// The form of a line whose name is followed by `tail` ([`Cut::tail`],
    /// blanks at its end removed), when the line is plain: nothing but
    /// `?`, `=?` or `=` and fields after the name, no quote before the
    /// discriminating field, and that field digits alone between blanks.
    #[inline]
    fn form_of_tail(&self, tail: &[u8]) -> Picked {
        let args = match tail {
            b"" => return Picked::Form(self.execute),
            b"?" => return Picked::Form(self.read),
            b"=?" => return Picked::Form(self.test),
            [b'=', args @ ..] => args,
            _ => return Picked::General,
        };
        if let Some(f) = self.single {
            // `= ?` (blanks about the `?`) is the test command.
            return match args.contains(&b'?') {
                true => Picked::General,
                false => Picked::Form(Some(f)),
            };
        }
        // The discriminating field, `at` commas in with no quote before
        // it, read in one pass: blanks, 1 to 18 digits, blanks, then a
        // comma or the end.
        let mut bytes = args.iter();
        let mut commas = 0;
        while commas < self.at {
            match bytes.next() {
                Some(b'"') | None => return Picked::General,
                Some(b',') => commas += 1,
                Some(_) => {}
            }
        }
        let mut v: i64 = 0;
        let mut digits = 0;
        let mut after = false;
        for &b in bytes {
            match b {
                b'0'..=b'9' if !after && digits < 18 => {
                    v = v * 10 + i64::from(b - b'0');
                    digits += 1;
                }
                b' ' | b'\t' => after = digits > 0,
                b',' => break,
                _ => return Picked::General,
            }
        }
        if digits == 0 {
            return Picked::General;
        }
        let form = match usize::try_from(v).ok().and_then(|i| self.dense.get(i)) {
            Some(&f) => f,
            None => self
                .forms
                .binary_search_by_key(&v, |&(v, _)| v)
                .ok()
                .and_then(|i| self.forms.get(i))
                .map(|&(_, f)| f),
        };
        Picked::Form(form)
    }
}

/// The [`Selector`] of each command of `dialect`, by index.
pub(super) fn selectors(dialect: &Dialect) -> Vec<Option<Selector>> {
    dialect.commands.iter().map(Selector::of).collect()
}

/// Whether two forms list the same responses, in any order.
fn same_responses(a: &[usize], b: &[usize]) -> bool {
    a.len() == b.len() && a.iter().all(|m| b.contains(m)) && b.iter().all(|m| a.contains(m))
}

/// A command in [`Names`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Named {
    /// `AT` and the name in ASCII upper case, as [`head`] reads it.
    upper: [u64; 2],
    /// The bits of `upper` a line must match: all but the case bit of
    /// each letter.
    strict: [u64; 2],
    /// Its index in the dialect; `usize::MAX` marks an empty slot.
    command: usize,
    /// Nothing but the command in flight is to be noted for it (its
    /// [`Traits`] are the default).
    plain: bool,
    /// Its only trait is that it can open a data mode.
    opens_only: bool,
    /// Its only trait is that its forms answer differently
    /// ([`Traits::narrows`]).
    narrows_only: bool,
    /// The length of `AT` and the name: where a line's tail starts when
    /// its head matched.
    head: u8,
}

/// The commands of a dialect by name, for the common case of
/// [`Framer::sent`]: `AT` and the name, case aside, hashed. Names past 14
/// bytes, or with a byte that is not ASCII or is a blank or control, are
/// not kept (their lines take the general path); a dialect with a NUL in
/// a name keeps none, since [`wip_schema::classify::key`] reads a NUL at
/// a name's end as padding. The first command of a name is kept, as
/// [`wip_schema::classify::Index::command`] finds it. Open addressing, at
/// most half full: a lookup is about one multiply and one compare.
#[derive(Debug, Clone, Default)]
pub(super) struct Names {
    /// A power of two long; empty when no name is kept.
    slots: Vec<Named>,
    /// log2 of `slots.len()`.
    bits: u32,
}

impl Names {
    const EMPTY: usize = usize::MAX;

    pub(super) fn new(dialect: &Dialect, traits: &[Traits]) -> Names {
        if dialect.commands.iter().any(|c| c.name.contains('\0')) {
            return Names::default();
        }
        let len = (dialect.commands.len() * 2).next_power_of_two().max(2);
        let empty = Named {
            upper: [0; 2],
            strict: [0; 2],
            command: Self::EMPTY,
            plain: false,
            opens_only: false,
            narrows_only: false,
            head: 0,
        };
        let mut m = Names {
            slots: alloc::vec![empty; len],
            bits: len.trailing_zeros(),
        };
        for (c, command) in dialect.commands.iter().enumerate() {
            let name = command.name.as_bytes();
            if name.len() > 14 || !name.iter().all(|&b| b > b' ' && b < 0x7f) {
                continue;
            }
            let mut at = [0u8; 16];
            for (d, s) in at.iter_mut().zip(b"AT".iter().chain(name)) {
                *d = s.to_ascii_uppercase();
            }
            let (lo, hi) = load16(&at);
            let letters = |x: u64| {
                let mut s = [0u8; 8];
                for (d, b) in s.iter_mut().zip(x.to_le_bytes()) {
                    *d = if b.is_ascii_uppercase() { !0x20 } else { 0xff };
                }
                u64::from_le_bytes(s)
            };
            let t = traits.get(c).copied().unwrap_or_default();
            let named = Named {
                upper: [lo, hi],
                strict: [letters(lo), letters(hi)],
                command: c,
                narrows_only: t
                    == Traits {
                        narrows: true,
                        ..Traits::default()
                    },
                head: u8::try_from(name.len() + 2).unwrap_or(u8::MAX),
                plain: t == Traits::default(),
                opens_only: t
                    == Traits {
                        opens: true,
                        ..Traits::default()
                    },
            };
            let mut i = m.slot(lo & CASELESS, hi & CASELESS);
            while let Some(s) = m.slots.get_mut(i) {
                if s.command == Self::EMPTY {
                    *s = named;
                    break;
                }
                if s.upper == named.upper {
                    break;
                }
                i = (i + 1) & (len - 1);
            }
        }
        m
    }

    /// The slot of a line head's bits other than case.
    #[inline]
    fn slot(&self, lo: u64, hi: u64) -> usize {
        let h = (lo ^ hi.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits);
        usize::try_from(h).unwrap_or(0)
    }

    /// The command of a line's head ([`head`]), in any ASCII case.
    #[inline]
    fn get(&self, (lo, hi): (u64, u64)) -> Option<&Named> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = self.slot(lo & CASELESS, hi & CASELESS);
        // At most half full: an empty slot ends every probe.
        loop {
            let s = self.slots.get(i)?;
            if s.command == Self::EMPTY {
                return None;
            }
            let [ulo, uhi] = s.upper;
            let [slo, shi] = s.strict;
            if ((lo ^ ulo) & slo) | ((hi ^ uhi) & shi) == 0 {
                return Some(s);
            }
            i = (i + 1) & mask;
        }
    }
}

/// A command line's key in the session cache: its length, its first 32
/// bytes and its last 16, read as words (zero past the end of a shorter
/// line). A line of up to 48 bytes is all in its key, so it is told apart
/// by integer compares alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LineKey {
    words: [u64; 6],
    len: usize,
}

impl LineKey {
    #[inline]
    fn of(line: &[u8]) -> LineKey {
        let (a, b) = load16(line);
        let (c, d) = load16(line.get(16..).unwrap_or_default());
        let (e, f) = match line.last_chunk::<16>() {
            Some(t) => {
                let t = u128::from_le_bytes(*t);
                // The `as u64` casts keep each half on purpose.
                (t as u64, (t >> 64) as u64)
            }
            None => (0, 0),
        };
        LineKey {
            words: [a, b, c, d, e, f],
            len: line.len(),
        }
    }

    /// Whether every byte of the line is in the key.
    #[inline]
    fn whole(&self) -> bool {
        self.len <= 48
    }

    /// `==`, as integer operations rather than a call to `memcmp`.
    #[inline]
    fn same(&self, other: &LineKey) -> bool {
        let diff = self
            .words
            .iter()
            .zip(&other.words)
            .fold(0, |d, (a, b)| d | (a ^ b));
        diff == 0 && self.len == other.len
    }

    /// The key's slot among `1 << bits`.
    #[inline]
    fn slot(&self, bits: u32) -> usize {
        let [a, b, c, d, e, f] = self.words;
        let x = a
            ^ b.rotate_left(11)
            ^ c.rotate_left(23)
            ^ d.rotate_left(37)
            ^ e.rotate_left(43)
            ^ f.rotate_left(53)
            ^ self.len as u64;
        usize::try_from(x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)).unwrap_or(0)
    }
}

/// The data sessions of the command lines [`Framer::sent`] has parsed:
/// an open-addressing table of `1 << BITS` slots, at most
/// [`SESSION_CACHE`] of them full (then emptied), so that a lookup is one
/// probe or a few.
#[derive(Debug, Clone, Default)]
pub(super) struct Sessions {
    /// Empty until the first line is kept.
    slots: Vec<Option<Kept>>,
    full: usize,
}

/// A command line and the session it opens.
#[derive(Debug, Clone)]
struct Kept {
    key: LineKey,
    /// The line, compared when the key does not hold all of it.
    line: Box<str>,
    session: Option<DataSession>,
}

impl Sessions {
    /// log2 of the number of slots, twice [`SESSION_CACHE`].
    const BITS: u32 = 5;
    const SLOTS: usize = 1 << Self::BITS;

    /// The session of a line kept, if it is.
    #[inline]
    fn get(&self, key: &LineKey, line: &str) -> Option<Option<DataSession>> {
        let i = key.slot(Self::BITS);
        match self.slots.get(i)?.as_ref()? {
            k if k.key.same(key) && key.whole() => Some(k.session),
            _ => self.probe(i, key, line),
        }
    }

    /// [`Sessions::get`] past the first slot, or of a long line.
    #[inline(never)]
    fn probe(&self, mut i: usize, key: &LineKey, line: &str) -> Option<Option<DataSession>> {
        // At most half full: an empty slot ends every probe.
        for _ in 0..Self::SLOTS {
            let k = self.slots.get(i)?.as_ref()?;
            if k.key.same(key) && (key.whole() || *k.line == *line) {
                return Some(k.session);
            }
            i = (i + 1) & (Self::SLOTS - 1);
        }
        None
    }

    /// Keeps a line not kept yet.
    fn insert(&mut self, key: LineKey, line: &str, session: Option<DataSession>) {
        if self.full >= SESSION_CACHE || self.slots.len() != Self::SLOTS {
            self.slots.clear();
            self.slots.resize(Self::SLOTS, None);
            self.full = 0;
        }
        let mut i = key.slot(Self::BITS);
        for _ in 0..Self::SLOTS {
            if let Some(s) = self.slots.get_mut(i) {
                if s.is_none() {
                    *s = Some(Kept {
                        key,
                        line: line.into(),
                        session,
                    });
                    self.full += 1;
                    return;
                }
            }
            i = (i + 1) & (Self::SLOTS - 1);
        }
    }
}

/// The first 16 bytes of `b` as two little-endian words, zero past its
/// end when it is shorter: overlapping loads rather than a copy.
fn load16(b: &[u8]) -> (u64, u64) {
    if let Some(c) = b.first_chunk::<16>() {
        let x = u128::from_le_bytes(*c);
        // The `as u64` casts keep each half on purpose.
        return (x as u64, (x >> 64) as u64);
    }
    let n = b.len();
    if let (Some(lo), Some(hi)) = (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        // Bytes 8.. are the top `n - 8` bytes of the last eight.
        let top = (u64::from_le_bytes(*hi) >> 8) >> (8 * 15usize.saturating_sub(n));
        return (u64::from_le_bytes(*lo), top);
    }
    let lo = match (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        (Some(lo), Some(hi)) => {
            let top = u64::from(u32::from_le_bytes(*hi)) >> (8 * 8usize.saturating_sub(n));
            u64::from(u32::from_le_bytes(*lo)) | top << 32
        }
        _ => b.iter().rev().fold(0, |a, &x| a << 8 | u64::from(x)),
    };
    (lo, 0)
}

const EACH: u64 = u64::from_le_bytes([1; 8]);
const HIGH: u64 = EACH * 0x80;
const LOW: u64 = EACH * 0x7f;
/// The bits of each byte but the one ASCII case sets.
const CASELESS: u64 = !(EACH * 0x20);

/// Bit 7 set in each byte of `x` that is `=` or `?`, and nowhere else.
/// The two differ in bit 1 only; no carry crosses a byte (each sum is at
/// most `0xfe`).
fn stops(x: u64) -> u64 {
    let y = (x | (EACH * 2)) ^ (EACH * u64::from(b'?'));
    !(((y & LOW) + LOW) | y) & HIGH
}

/// All ones in the bytes below the lowest one that has bit 7 set in `s`
/// (all ones when none has).
fn below(s: u64) -> u64 {
    ((s & s.wrapping_neg()) >> 7).wrapping_sub(1)
}

/// A command line cut as [`wip_schema::fields::command_line`] cuts it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cut<'a> {
    /// The name (`+WIPBR` in `AT+WIPBR=3,6,11`).
    pub(super) name: &'a [u8],
    /// What follows the name (`=3,6,11`).
    tail: &'a [u8],
}

#[cfg(test)]
impl Cut<'_> {
    /// Whether the line is a test command (`AT+X=?`); `None` when what
    /// follows its `=` is not ASCII (see [`is_test_line`]).
    pub(super) fn is_test(&self) -> Option<bool> {
        tail_is_test(self.tail)
    }
}

/// Whether a line whose name is followed by `tail` ([`Cut::tail`]) is a
/// test command (`AT+X=?`); `None` when what follows its `=` is not ASCII
/// (see [`is_test_line`]).
fn tail_is_test(tail: &[u8]) -> Option<bool> {
    let Some(a) = tail.strip_prefix(b"=") else {
        return Some(false);
    };
    match a.trim_ascii_start().split_first() {
        Some((b'?', rest)) if rest.trim_ascii().is_empty() => Some(true),
        None => Some(false),
        // Nothing but `?` can start a test command's tail: no need to
        // look at the rest. Unicode trimming (the engine's) would also
        // drop a vertical tab.
        Some((&b, _)) if b.is_ascii() && b != b'?' && b != 0x0b => Some(false),
        _ if !a.is_ascii() => None,
        _ => Some(false),
    }
}

/// What follows the name of a line whose head [`Names`] matched (`head`
/// bytes, `AT` and the name), blanks at its end removed: [`Cut::tail`]
/// without cutting the line again. `None` where the byte after the head
/// is neither `=` nor `?` (a NUL there reads as the head's padding, and
/// [`cut_command`] takes it into the name): the caller cuts the line.
fn head_tail(line: &str, head: u8) -> Option<&[u8]> {
    match line.as_bytes().get(usize::from(head)..)? {
        t @ ([] | [b'=' | b'?', ..]) => Some(t.trim_ascii_end()),
        _ => None,
    }
}

/// The head of a command line as [`Names`] looks it up: its first 16
/// bytes (zero past its end) up to its first `=` or `?`, as two words;
/// `None` when the line is longer and has neither in them.
#[inline]
fn head(line: &[u8]) -> Option<(u64, u64)> {
    let (lo, hi) = load16(line);
    // The zeros padding a short line are neither `=` nor `?`.
    let (sl, sh) = (stops(lo), stops(hi));
    if sl != 0 {
        Some((lo & below(sl), 0))
    } else if sh != 0 {
        Some((lo, hi & below(sh)))
    } else if line.len() <= 16 {
        Some((lo, hi))
    } else {
        None
    }
}

/// Cuts a command line: blanks trimmed, `AT` in any case, then the name
/// (blanks around it ignored) up to `=`, `?` or the end.
pub(super) fn cut_command(line: &[u8]) -> Option<Cut<'_>> {
    let line = line.trim_ascii();
    let (head, from_name) = line.split_at_checked(2)?;
    if !head.eq_ignore_ascii_case(b"AT") {
        return None;
    }
    let end = from_name
        .iter()
        .position(|&b| b == b'=' || b == b'?')
        .unwrap_or(from_name.len());
    let (name, tail) = from_name.split_at_checked(end)?;
    Some(Cut {
        // `AT +X`: blanks are ignored (V.250 5.2.1), as the engine cuts it.
        name: name.trim_ascii(),
        tail,
    })
}

/// Whether a command line is a test command (`AT+X=?`), by the engine's
/// cut; only asked for a line that is not ASCII after its `=`, where
/// blanks other than ASCII ones may surround the `?`.
pub(super) fn is_test_line(line: &str) -> bool {
    wip_schema::fields::command_line(line)
        .is_some_and(|l| l.kind == wip_schema::fields::CommandKind::Test)
}

#[cfg(test)]
mod tests;
