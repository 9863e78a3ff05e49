//! `const fn` constructors for the description types.
//!
//! They let a whole [`Dialect`] be written as a `static` that reads like
//! the spec: one line per parameter, error code or condition, a few per
//! form, message or option:
//!
//! ```
//! use wip_schema::*;
//!
//! static D: Dialect = {
//!     const FORMS: &[Form] = &[
//!         Form::action("Set").params(const { &[Param::req("mode", Ty::int(0, 1))] }),
//!         Form::read("Read").responses(&[0]),
//!     ];
//!     const MESSAGES: &[Message] = &[Message::info("mode", Some("+XMODE"))
//!         .fields(const { &[Param::req("mode", Ty::int(0, 1))] })];
//!     Dialect::new("X", "+X")
//!         .commands(const { &[Command::new("+XMODE", 1000, &[], FORMS)] })
//!         .messages(MESSAGES)
//!         .errors(const { &[ErrorCode::new(3, "operation not allowed")] })
//! };
//! assert_eq!(D.command("+xmode").unwrap().1.forms.len(), 2);
//! ```
//!
//! Every list argument is a `&'static` slice and every text a
//! `&'static str`, kept as
//! [`Cow::Borrowed`](alloc::borrow::Cow::Borrowed). A slice of values
//! built by these functions is not promoted to `'static` when it is
//! written inside a call (the values have destructors), so such a list is
//! written as an inline `const { &[...] }` block or as a `const` item, as
//! above; slices of integers, tuples and `Borrowed` texts need neither.
//!
//! The builder methods (`Form::params`, `Message::fields`, ...) take the
//! value and return it with one field set.

use alloc::borrow::Cow::Borrowed;

use crate::payload::{PayloadAfter, PayloadKind, PayloadRule, Prompt};
use crate::types::*;

/// Builder methods that set one field of a struct in a `const fn`. The
/// old value is swapped out and forgotten rather than dropped (a `const
/// fn` cannot run destructors); it is always a borrowed or absent value.
macro_rules! setters {
    ($T:ident; $($(#[$doc:meta])* $name:ident($arg:ident: $argty:ty) => $field:ident = $val:expr;)*) => {
        impl $T {
            $(
                $(#[$doc])*
                #[must_use]
                // One form for every field, `Option` or not.
                #[allow(clippy::mem_replace_option_with_some)]
                pub const fn $name(mut self, $arg: $argty) -> Self {
                    core::mem::forget(core::mem::replace(&mut self.$field, $val));
                    self
                }
            )*
        }
    };
}

const fn text(t: Option<&'static str>) -> Option<Text> {
    match t {
        Some(t) => Some(Borrowed(t)),
        None => None,
    }
}

impl Dialect {
    /// A dialect with a name and a command prefix, and nothing in it yet.
    pub const fn new(name: &'static str, command_prefix: &'static str) -> Self {
        Dialect {
            name: Borrowed(name),
            command_prefix: Borrowed(command_prefix),
            value_sets: Borrowed(&[]),
            tables: Borrowed(&[]),
            commands: Borrowed(&[]),
            messages: Borrowed(&[]),
            errors: Borrowed(&[]),
            finals: Borrowed(&[]),
            command_prefixes: None,
            foreign_commands: Borrowed(&[]),
            error_tables: Borrowed(&[]),
        }
    }
}

setters! {
    Dialect;
    /// With these value sets.
    value_sets(v: &'static [ValueSet]) => value_sets = Borrowed(v);
    /// With these option tables.
    tables(v: &'static [OptionTable]) => tables = Borrowed(v);
    /// With these commands.
    commands(v: &'static [Command]) => commands = Borrowed(v);
    /// With these messages.
    messages(v: &'static [Message]) => messages = Borrowed(v);
    /// With these error codes (sorted by code).
    errors(v: &'static [ErrorCode]) => errors = Borrowed(v);
    /// With these declared final result codes.
    finals(v: &'static [FinalCode]) => finals = Borrowed(v);
    /// With a list of command prefixes (see [`Dialect::command_prefixes`]).
    command_prefixes(v: &'static [Text]) => command_prefixes = Some(Borrowed(v));
    /// With the commands of another manual the prefixes would own (see
    /// [`Dialect::foreign_commands`]).
    foreign_commands(v: &'static [Text]) => foreign_commands = Borrowed(v);
    /// With these named error tables.
    error_tables(v: &'static [ErrorTable]) => error_tables = Borrowed(v);
}

impl ValueSet {
    /// A value set: `(value, name)` pairs sorted by value, written
    /// `(1, Borrowed("UDP"))`.
    pub const fn new(id: &'static str, values: &'static [(i64, Text)]) -> Self {
        ValueSet {
            id: Borrowed(id),
            values: Borrowed(values),
            texts: Borrowed(&[]),
        }
    }

    /// A value set of strings: `(string, name)` pairs sorted by string,
    /// written `(Borrowed("UDP"), Borrowed("UDP"))`.
    pub const fn texts(id: &'static str, texts: &'static [(Text, Text)]) -> Self {
        ValueSet {
            id: Borrowed(id),
            values: Borrowed(&[]),
            texts: Borrowed(texts),
        }
    }
}

impl Ty {
    /// [`Ty::Int`] in `min..=max`.
    pub const fn int(min: i64, max: i64) -> Self {
        Ty::Int { min, max }
    }

    /// [`Ty::Enum`]: a value of value set number `set`, one of `allowed`
    /// (sorted).
    pub const fn set(set: usize, allowed: &'static [i64]) -> Self {
        Ty::Enum {
            set,
            allowed: Borrowed(allowed),
        }
    }

    /// [`Ty::StrEnum`]: a string of the value set of strings number `set`,
    /// one of `allowed` (sorted).
    pub const fn text_set(set: usize, allowed: &'static [Text]) -> Self {
        Ty::StrEnum {
            set,
            allowed: Borrowed(allowed),
        }
    }

    /// [`Ty::Str`] of at most `max_len` characters.
    pub const fn string(max_len: Option<u32>) -> Self {
        Ty::Str { max_len }
    }

    /// [`Ty::Host`] of at most `max_len` characters.
    pub const fn host(max_len: Option<u32>) -> Self {
        Ty::Host { max_len }
    }

    /// [`Ty::HostAny`] of at most `max_len` characters.
    pub const fn host_any(max_len: Option<u32>) -> Self {
        Ty::HostAny { max_len }
    }

    /// [`Ty::Hex`] of at most `max_bytes` bytes.
    pub const fn hex(max_bytes: u32) -> Self {
        Ty::Hex { max_bytes }
    }
}

impl Lit {
    /// [`Lit::Str`].
    pub const fn str(s: &'static str) -> Self {
        Lit::Str(Borrowed(s))
    }
}

impl Param {
    /// A parameter that must be given.
    pub const fn req(name: &'static str, ty: Ty) -> Self {
        Param {
            name: Borrowed(name),
            ty,
            optional: false,
            default: None,
            keep_empty: false,
        }
    }

    /// An optional parameter without a default.
    pub const fn opt(name: &'static str, ty: Ty) -> Self {
        Param {
            name: Borrowed(name),
            ty,
            optional: true,
            default: None,
            keep_empty: false,
        }
    }

    /// An optional parameter that stands for `default` when left out.
    pub const fn opt_or(name: &'static str, ty: Ty, default: Lit) -> Self {
        Param {
            name: Borrowed(name),
            ty,
            optional: true,
            default: Some(default),
            keep_empty: false,
        }
    }
}

setters! {
    Param;
    /// With a value when left out.
    default(v: Lit) => default = Some(v);
}

impl Param {
    /// Left out, its field is still written, empty (`AT+CIPSEND=0,`).
    #[must_use]
    pub const fn keep_empty(mut self) -> Self {
        self.keep_empty = true;
        self
    }
}

impl Rest {
    /// A repeated trailing group of `group` items of type `ty`, at most
    /// `max_groups` times.
    pub const fn new(name: &'static str, ty: Ty, group: u32, max_groups: Option<u32>) -> Self {
        Rest {
            name: Borrowed(name),
            ty,
            group,
            max_groups,
        }
    }
}

impl Cond {
    /// Parameter number `param` has one of `values` (sorted).
    pub const fn new(param: usize, values: &'static [i64]) -> Self {
        Cond {
            param,
            values: Borrowed(values),
            given: None,
            texts: Borrowed(&[]),
        }
    }

    /// Parameter number `param` is one of the strings `texts` (sorted).
    pub const fn texts(param: usize, texts: &'static [Text]) -> Self {
        Cond {
            param,
            values: Borrowed(&[]),
            given: None,
            texts: Borrowed(texts),
        }
    }

    /// Parameter number `param` is given (`true`) or left out (`false`).
    pub const fn given(param: usize, given: bool) -> Self {
        Cond {
            param,
            values: Borrowed(&[]),
            given: Some(given),
            texts: Borrowed(&[]),
        }
    }
}

impl Rule {
    /// [`Rule::Order`]: parameter `greater` is at least parameter `lesser`.
    pub const fn order(lesser: usize, greater: usize) -> Self {
        Rule::Order { lesser, greater }
    }

    /// [`Rule::Together`]: all or none of `params` given.
    pub const fn together(params: &'static [usize]) -> Self {
        Rule::Together(Borrowed(params))
    }

    /// [`Rule::AnyOf`]: at least one of `params` given.
    pub const fn any_of(params: &'static [usize]) -> Self {
        Rule::AnyOf(Borrowed(params))
    }

    /// [`Rule::Require`]: `params` given when all of `when` hold.
    pub const fn require(when: &'static [Cond], params: &'static [usize]) -> Self {
        Rule::Require {
            when: Borrowed(when),
            params: Borrowed(params),
        }
    }

    /// [`Rule::Forbid`]: `params` not given when all of `when` hold.
    pub const fn forbid(when: &'static [Cond], params: &'static [usize]) -> Self {
        Rule::Forbid {
            when: Borrowed(when),
            params: Borrowed(params),
        }
    }

    /// [`Rule::Reject`]: refused, for `reason`, when all of `when` hold.
    pub const fn reject(when: &'static [Cond], reason: &'static str) -> Self {
        Rule::Reject {
            when: Borrowed(when),
            reason: Borrowed(reason),
        }
    }

    /// [`Rule::Range`]: parameter `param` in `min..=max` when all of
    /// `when` hold.
    pub const fn range(when: &'static [Cond], param: usize, min: i64, max: i64) -> Self {
        Rule::Range {
            when: Borrowed(when),
            param,
            min,
            max,
        }
    }

    /// [`Rule::Format`]: parameter `param` has `format` when all of
    /// `when` hold.
    pub const fn format(when: &'static [Cond], param: usize, format: Format) -> Self {
        Rule::Format {
            when: Borrowed(when),
            param,
            format,
        }
    }
}

impl Format {
    /// [`Format::Pattern`]: `#` digits, `*` any text, the rest itself.
    pub const fn pattern(p: &'static str) -> Self {
        Format::Pattern(Borrowed(p))
    }

    /// [`Format::Digits`]: `min..=max` ASCII digits.
    pub const fn digits(min: u32, max: u32) -> Self {
        Format::Digits { min, max }
    }
}

impl AccessSpec {
    /// Read only, for every key.
    pub const R: AccessSpec = AccessSpec::All(Access::R);
    /// Write only, for every key.
    pub const W: AccessSpec = AccessSpec::All(Access::W);
    /// Read and write, for every key.
    pub const RW: AccessSpec = AccessSpec::All(Access::RW);
    /// Neither, for every key.
    pub const NONE: AccessSpec = AccessSpec::All(Access::None);

    /// [`AccessSpec::PerKey`]: `(key, access)` pairs.
    pub const fn per_key(keys: &'static [(i64, Access)]) -> Self {
        AccessSpec::PerKey(Borrowed(keys))
    }
}

impl Binding {
    /// Option values after parameter `id_param` (the option number),
    /// typed by `tables`: `(key values, table index)` pairs, written
    /// `(Borrowed(&[1, 2]), 0)`; one pair with no key values when there is
    /// no key parameter.
    pub const fn new(
        id_param: usize,
        key_param: Option<usize>,
        tables: &'static [(List<i64>, usize)],
        access: Access,
    ) -> Self {
        Binding {
            id_param,
            key_param,
            tables: Borrowed(tables),
            access,
        }
    }
}

impl OptionTable {
    /// An option table; `options` sorted by number.
    pub const fn new(id: &'static str, options: &'static [Opt]) -> Self {
        OptionTable {
            id: Borrowed(id),
            options: Borrowed(options),
            totals: Borrowed(&[]),
        }
    }
}

setters! {
    OptionTable;
    /// With these totals across options.
    totals(v: &'static [Total]) => totals = Borrowed(v);
}

impl Total {
    /// A total over `options` (sorted), with no limit yet.
    pub const fn new(options: &'static [i64]) -> Self {
        Total {
            options: Borrowed(options),
            max_count: None,
            max_len: None,
            suffixes: Borrowed(&[]),
            separator: Borrowed(""),
        }
    }
}

impl Total {
    /// At most this many values in all.
    #[must_use]
    pub const fn max_count(mut self, v: u32) -> Self {
        self.max_count = Some(v);
        self
    }

    /// At most this many characters in the list the modem keeps.
    #[must_use]
    pub const fn max_len(mut self, v: u32) -> Self {
        self.max_len = Some(v);
        self
    }
}

setters! {
    Total;
    /// `(option, suffix)`: what the modem appends to each value of an option.
    suffixes(v: &'static [(i64, Text)]) => suffixes = Borrowed(v);
    /// What the modem puts between two values.
    separator(v: &'static str) => separator = Borrowed(v);
}

impl Opt {
    /// Option number `id`, read and written ([`AccessSpec::RW`]) with the
    /// same `values`, without rules or repeated groups.
    pub const fn new(id: i64, name: &'static str, values: &'static [Param]) -> Self {
        Opt {
            id,
            name: Borrowed(name),
            values: Borrowed(values),
            rest: None,
            read: Borrowed(values),
            read_rest: None,
            read_repeats: false,
            read_error: None,
            rules: Borrowed(&[]),
            access: AccessSpec::RW,
        }
    }
}

setters! {
    Opt;
    /// With other values read than written.
    read(v: &'static [Param]) => read = Borrowed(v);
    /// With a repeated group after the values written.
    rest(v: Rest) => rest = Some(v);
    /// With a repeated group after the values read.
    read_rest(v: Rest) => read_rest = Some(v);
    /// With rules across the values written.
    rules(v: &'static [Rule]) => rules = Borrowed(v);
    /// With this access.
    access(v: AccessSpec) => access = v;
}

impl Opt {
    /// Reading answers several lines.
    #[must_use]
    pub const fn read_repeats(mut self) -> Self {
        self.read_repeats = true;
        self
    }

    /// Reading is always answered with error `code`.
    #[must_use]
    pub const fn read_error(mut self, code: u32) -> Self {
        self.read_error = Some(code);
        self
    }
}

impl Outcome {
    /// Data mode `data` entered when all of `when` hold.
    pub const fn new(when: &'static [Cond], data: DataMode, etx: Option<EtxMeaning>) -> Self {
        Outcome {
            when: Borrowed(when),
            data,
            etx,
            upload: false,
        }
    }

    /// The session only carries data from the host (an upload): see
    /// [`Outcome::upload`].
    #[must_use]
    pub const fn upload(mut self) -> Self {
        self.upload = true;
        self
    }
}

impl Command {
    /// A command; `errors` sorted.
    pub const fn new(
        name: &'static str,
        timeout_ms: u32,
        errors: &'static [u32],
        forms: &'static [Form],
    ) -> Self {
        Command {
            name: Borrowed(name),
            timeout_ms,
            errors: Borrowed(errors),
            forms: Borrowed(forms),
            errors_table: None,
            errors_complete: false,
            also_errors: Borrowed(&[]),
            timeout_from: None,
        }
    }
}

setters! {
    Command;
    /// With the timeout taken from a parameter.
    timeout_from(v: TimeoutFrom) => timeout_from = Some(v);
    /// With the codes it may answer beyond `errors`, sorted.
    also_errors(codes: &'static [u32]) => also_errors = Borrowed(codes);
}

impl TimeoutFrom {
    /// `value * scale_ms + plus_ms` milliseconds, from parameter `param`.
    pub const fn new(param: &'static str, scale_ms: u32, plus_ms: u32) -> Self {
        TimeoutFrom {
            param: Borrowed(param),
            scale_ms,
            plus_ms,
        }
    }
}

impl Completion {
    /// Completed by message `message`, whose fields repeat form parameters
    /// as `(param, field)` pairs, within `timeout_ms` of the final result
    /// code.
    pub const fn new(message: usize, echo: &'static [(usize, usize)], timeout_ms: u32) -> Self {
        Completion {
            message,
            echo: Borrowed(echo),
            when: Borrowed(&[]),
            timeout_ms,
            timeout_from: None,
            before_final: false,
            success: Borrowed(&[]),
            unless_aborted: false,
        }
    }

    /// It may also come before the final result code.
    #[must_use]
    pub const fn before_final(mut self) -> Self {
        self.before_final = true;
        self
    }

    /// It does not come when the host aborted the payload.
    #[must_use]
    pub const fn unless_aborted(mut self) -> Self {
        self.unless_aborted = true;
        self
    }
}

setters! {
    Completion;
    /// Only when these conditions on the form's parameters hold.
    when(v: &'static [Cond]) => when = Borrowed(v);
    /// With the wait taken from a parameter.
    timeout_from(v: TimeoutFrom) => timeout_from = Some(v);
    /// Success when these conditions on the URC's fields hold.
    success(v: &'static [Cond]) => success = Borrowed(v);
}

impl Form {
    /// A form of this kind without parameters, responses or outcomes.
    pub const fn new(kind: FormKind, name: &'static str) -> Self {
        Form {
            kind,
            name: Borrowed(name),
            select: Borrowed(&[]),
            params: Borrowed(&[]),
            rest: None,
            options: None,
            rules: Borrowed(&[]),
            responses: Borrowed(&[]),
            urcs: Borrowed(&[]),
            echo: Borrowed(&[]),
            outcomes: Borrowed(&[]),
            finals: Borrowed(&[]),
            completion: None,
            prompt: None,
        }
    }

    /// `AT+X=...`: [`Form::new`] of [`FormKind::Action`].
    pub const fn action(name: &'static str) -> Self {
        Form::new(FormKind::Action, name)
    }

    /// `AT+X?`: [`Form::new`] of [`FormKind::Read`].
    pub const fn read(name: &'static str) -> Self {
        Form::new(FormKind::Read, name)
    }

    /// `AT+X=?`: [`Form::new`] of [`FormKind::Test`].
    pub const fn test(name: &'static str) -> Self {
        Form::new(FormKind::Test, name)
    }

    /// `AT+X`: [`Form::new`] of [`FormKind::Execute`].
    pub const fn execute(name: &'static str) -> Self {
        Form::new(FormKind::Execute, name)
    }
}

setters! {
    Form;
    /// With discriminators.
    select(v: &'static [Cond]) => select = Borrowed(v);
    /// With parameters.
    params(v: &'static [Param]) => params = Borrowed(v);
    /// With a repeated trailing group.
    rest(v: Rest) => rest = Some(v);
    /// With option values after the parameters.
    options(v: Binding) => options = Some(v);
    /// With rules.
    rules(v: &'static [Rule]) => rules = Borrowed(v);
    /// With the indexes of the messages it may answer.
    responses(v: &'static [usize]) => responses = Borrowed(v);
    /// With the indexes of the URCs it may lead to.
    urcs(v: &'static [usize]) => urcs = Borrowed(v);
    /// With the indexes of the parameters its responses repeat.
    echo(v: &'static [usize]) => echo = Borrowed(v);
    /// With data-mode outcomes, first match wins.
    outcomes(v: &'static [Outcome]) => outcomes = Borrowed(v);
    /// With the final result codes it may end with.
    finals(v: &'static [FinalRef]) => finals = Borrowed(v);
    /// With the URC that completes it later.
    completion(v: Completion) => completion = Some(v);
    /// With a prompt and the payload after it.
    prompt(v: Prompt) => prompt = Some(v);
}

impl Prompt {
    /// A prompt `text` with its payload rules, no repeat and no delay.
    pub const fn new(text: &'static str, payload: &'static [PayloadRule]) -> Self {
        Prompt {
            text: Borrowed(text),
            again_after: None,
            delay_ms: 0,
            payload: Borrowed(payload),
        }
    }

    /// Prompting again after each `byte` the host writes.
    #[must_use]
    pub const fn again_after(mut self, byte: u8) -> Self {
        self.again_after = Some(byte);
        self
    }

    /// Waiting `ms` milliseconds after the prompt before writing.
    #[must_use]
    pub const fn delay_ms(mut self, ms: u32) -> Self {
        self.delay_ms = ms;
        self
    }
}

impl PayloadRule {
    /// Exactly as many bytes as parameter `param` says, when all of
    /// `when` hold.
    pub const fn counted(when: &'static [Cond], param: usize) -> Self {
        PayloadRule {
            when: Borrowed(when),
            kind: PayloadKind::Counted { param },
        }
    }

    /// Bytes up to `end`, with an optional abort and escape byte, when all
    /// of `when` hold.
    pub const fn terminated(
        when: &'static [Cond],
        end: u8,
        abort: Option<u8>,
        escape: Option<u8>,
    ) -> Self {
        Self::terminated_up_to(when, end, abort, escape, None)
    }

    /// [`PayloadRule::terminated`] of a payload of at most `max_len` data
    /// bytes (terminator and escape bytes not counted).
    pub const fn terminated_max(
        when: &'static [Cond],
        end: u8,
        abort: Option<u8>,
        escape: Option<u8>,
        max_len: u32,
    ) -> Self {
        Self::terminated_up_to(when, end, abort, escape, Some(max_len))
    }

    const fn terminated_up_to(
        when: &'static [Cond],
        end: u8,
        abort: Option<u8>,
        escape: Option<u8>,
        max_len: Option<u32>,
    ) -> Self {
        PayloadRule {
            when: Borrowed(when),
            kind: PayloadKind::Terminated {
                end,
                abort,
                escape,
                max_len,
            },
        }
    }
}

impl Ty {
    /// [`Ty::Counted`]: a quoted field of as many bytes as field
    /// `len_field` says.
    pub const fn counted(len_field: usize) -> Self {
        Ty::Counted { len_field }
    }
}

impl Message {
    /// A message of this kind, with `prefix` before `:` (none for a bare
    /// line), without fields.
    pub const fn new(kind: MessageKind, id: &'static str, prefix: Option<&'static str>) -> Self {
        Message {
            id: Borrowed(id),
            prefix: text(prefix),
            kind,
            select: Borrowed(&[]),
            fields: Borrowed(&[]),
            rest: None,
            options: None,
            rules: Borrowed(&[]),
            payload: None,
            test: false,
            glued: false,
        }
    }

    /// [`Message::new`] of [`MessageKind::Info`]: only in answer to a
    /// command.
    pub const fn info(id: &'static str, prefix: Option<&'static str>) -> Self {
        Message::new(MessageKind::Info, id, prefix)
    }

    /// [`Message::new`] of [`MessageKind::Urc`]: only unsolicited.
    pub const fn urc(id: &'static str, prefix: Option<&'static str>) -> Self {
        Message::new(MessageKind::Urc, id, prefix)
    }

    /// [`Message::new`] of [`MessageKind::Both`].
    pub const fn both(id: &'static str, prefix: Option<&'static str>) -> Self {
        Message::new(MessageKind::Both, id, prefix)
    }
}

setters! {
    Message;
    /// With discriminators.
    select(v: &'static [Cond]) => select = Borrowed(v);
    /// With fields.
    fields(v: &'static [Param]) => fields = Borrowed(v);
    /// With a repeated trailing group.
    rest(v: Rest) => rest = Some(v);
    /// With option values after the fields.
    options(v: Binding) => options = Some(v);
    /// With rules.
    rules(v: &'static [Rule]) => rules = Borrowed(v);
}

impl Message {
    /// An answer to a test command (sets its `test` field).
    #[must_use]
    pub const fn test(mut self) -> Self {
        self.test = true;
        self
    }

    /// With raw data after its line.
    #[must_use]
    pub const fn payload(mut self, v: PayloadAfter) -> Self {
        self.payload = Some(v);
        self
    }

    /// With its one integer field glued to its prefix (`+IPD5`).
    #[must_use]
    pub const fn glued(mut self) -> Self {
        self.glued = true;
        self
    }
}

impl ErrorCode {
    /// An error code and its text.
    pub const fn new(code: u32, text: &'static str) -> Self {
        ErrorCode {
            code,
            text: Borrowed(text),
        }
    }
}

impl Command {
    /// Its `errors` name codes of error table number `t`.
    #[must_use]
    pub const fn errors_table(mut self, t: usize) -> Self {
        self.errors_table = Some(t);
        self
    }

    /// Whether its `errors` list is complete.
    #[must_use]
    pub const fn errors_complete(mut self, v: bool) -> Self {
        self.errors_complete = v;
        self
    }
}

impl ErrorTable {
    /// A named table: codes sorted, reserved ranges `(first, last)`.
    pub const fn new(
        id: &'static str,
        line_prefix: Option<&'static str>,
        codes: &'static [ErrorCode],
        reserved: &'static [(u32, u32)],
    ) -> Self {
        ErrorTable {
            id: Borrowed(id),
            line_prefix: text(line_prefix),
            codes: Borrowed(codes),
            reserved: Borrowed(reserved),
            verbose: false,
        }
    }

    /// Its line may carry a code's text instead of its number.
    #[must_use]
    pub const fn verbose(mut self, v: bool) -> Self {
        self.verbose = v;
        self
    }
}
impl FinalCode {
    /// A declared final result code without fields (`SEND OK`); with
    /// [`FinalCode::fields`], `text` is the prefix before `:`.
    pub const fn new(text: &'static str, success: bool) -> Self {
        FinalCode {
            text: Borrowed(text),
            success,
            fields: Borrowed(&[]),
        }
    }
}

setters! {
    FinalCode;
    /// With fields after `text:`.
    fields(v: &'static [Param]) => fields = Borrowed(v);
}
