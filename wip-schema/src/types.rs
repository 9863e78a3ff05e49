//! The description of a command set, as plain data.
//!
//! Every list is a `Cow<'static, [T]>` and every text a
//! `Cow<'static, str>`, so generated code writes a whole [`Dialect`] as a
//! `static` (`Cow::Borrowed`), and tools that load a spec at run time build
//! the same types owned (`Cow::Owned`). Parameters refer to each other by
//! their index in the enclosing list; forms and messages refer to messages
//! and option tables by index in the dialect.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A `'static` or owned string.
pub type Text = Cow<'static, str>;
/// A `'static` or owned list.
pub type List<T> = Cow<'static, [T]>;

/// A whole command set.
#[derive(Debug, Clone, PartialEq)]
pub struct Dialect {
    /// Name and revision, for messages (`"WIPsoft 5.41 rev 009"`).
    pub name: Text,
    /// Command lines whose name starts with this belong to the dialect;
    /// others (`ATE0`, `AT+CMEE=1`) are not checked. Empty: all do.
    pub command_prefix: Text,
    /// Coded value sets, referred to by [`Ty::Enum`].
    pub value_sets: List<ValueSet>,
    /// Option tables.
    pub tables: List<OptionTable>,
    /// Commands.
    pub commands: List<Command>,
    /// Information responses and URCs.
    pub messages: List<Message>,
    /// Error codes with their texts, sorted by code.
    pub errors: List<ErrorCode>,
    /// Final result codes the spec declares beyond the built-in ones
    /// (`SEND OK`, `DATA ACCEPT: <length>`), referred to by
    /// [`crate::Final::Custom`] and [`FinalRef::Custom`].
    pub finals: List<FinalCode>,
    /// The command prefixes of a dialect that names several (`+USO`,
    /// `+UDCONF`). When set, the dialect owns the commands it defines and
    /// those starting with one of these, and [`Dialect::command_prefix`]
    /// is not consulted; an empty list owns exactly the commands defined.
    /// `None`: the single [`Dialect::command_prefix`] says.
    pub command_prefixes: Option<List<Text>>,
    /// Commands of another manual that the prefixes would own (`+WIPS`,
    /// without `AT`): the dialect does not own them, and they pass
    /// unchecked ([`Dialect::owns`]).
    pub foreign_commands: List<Text>,
    /// Named error tables, when the spec names them (`cme`, `cms`, a
    /// vendor's); empty for a spec with one plain `errors` list, whose
    /// codes are [`Dialect::errors`]. A table `cme` is also in
    /// [`Dialect::errors`].
    pub error_tables: List<ErrorTable>,
}

/// A named table of error codes.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorTable {
    /// Identifier (`"cme"`, `"cms"`).
    pub id: Text,
    /// The final result prefix that carries its codes (`"+CMS ERROR"`),
    /// if any.
    pub line_prefix: Option<Text>,
    /// Codes with their texts, sorted by code.
    pub codes: List<ErrorCode>,
    /// Reserved ranges (first, last), accepted without a text.
    pub reserved: List<(u32, u32)>,
    /// The line may carry a code's text instead of its number (`+CME
    /// ERROR: SIM not inserted` after `AT+CMEE=2`).
    pub verbose: bool,
}

impl ErrorTable {
    /// Whether `code` is one of the table's, or in a reserved range.
    pub fn accepts(&self, code: u32) -> bool {
        self.codes.iter().any(|e| e.code == code)
            || self.reserved.iter().any(|(a, b)| (*a..=*b).contains(&code))
    }

    /// The code whose text this is, without regard to ASCII case or outer
    /// blanks, when the table's line may carry texts ([`ErrorTable::verbose`]).
    pub fn code_of_text(&self, text: &str) -> Option<u32> {
        let text = text.trim();
        self.codes
            .iter()
            .find(|e| self.verbose && e.text.eq_ignore_ascii_case(text))
            .map(|e| e.code)
    }
}

/// A set of named values: integers (`1` = UDP), or strings quoted on the
/// wire (`"REC UNREAD"`).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueSet {
    /// Identifier.
    pub id: Text,
    /// (value, name) pairs, sorted by value; empty for a set of strings.
    pub values: List<(i64, Text)>,
    /// (string, name) pairs of a set of strings, sorted by string (the
    /// text between the quotes, matched case-sensitively); empty for a set
    /// of integers.
    pub texts: List<(Text, Text)>,
}

/// The type of a value on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Unquoted integer in `min..=max`.
    Int {
        /// Smallest.
        min: i64,
        /// Largest.
        max: i64,
    },
    /// Unquoted integer from value set number `set`, limited to `allowed`.
    Enum {
        /// Index of the value set in [`Dialect::value_sets`].
        set: usize,
        /// Allowed values, sorted.
        allowed: List<i64>,
    },
    /// Quoted string.
    Str {
        /// Maximum length in characters.
        max_len: Option<u32>,
    },
    /// Quoted DNS name or dotted IPv4 address.
    Host {
        /// Maximum length in characters.
        max_len: Option<u32>,
    },
    /// Quoted dotted IPv4 address.
    Ip,
    /// Quoted hexadecimal dump.
    Hex {
        /// Maximum bytes.
        max_bytes: u32,
    },
    /// The rest of the line, unquoted and unsplit.
    Text,
    /// Quoted DNS name, dotted IPv4 address or IPv6 address.
    HostAny {
        /// Maximum length in characters.
        max_len: Option<u32>,
    },
    /// Quoted dotted IPv4 or IPv6 address.
    IpAny,
    /// Quoted string from the value set of strings number `set`, limited
    /// to `allowed` (matched case-sensitively).
    StrEnum {
        /// Index of the value set in [`Dialect::value_sets`].
        set: usize,
        /// Allowed strings, sorted.
        allowed: List<Text>,
    },
    /// Unquoted error code of error table number `table` in
    /// [`Dialect::error_tables`].
    Code {
        /// Index of the table; `None`: the dialect's own codes
        /// ([`Dialect::errors`], the `+CME ERROR` codes).
        table: Option<usize>,
        /// A value taken besides the table's codes (a success reported as
        /// 0).
        success: Option<i64>,
    },
    /// Unquoted list of integers and ranges in parentheses (`(0-31,99)`),
    /// as test-command answers write the values a parameter takes; read
    /// as a [`crate::Ranges`].
    Ranges,
    /// One unquoted field that is not an integer (`10.0.0.2:5000`): no
    /// comma, quote or line end, no blank at either end.
    Token,
    /// A quoted field whose content is as many bytes as integer field
    /// `len_field` of the same message says, whatever they are (`"`, commas,
    /// CR, LF included): u-blox `+USORD: <socket>,<length>,"<data>"`. A
    /// content of twice as many hex digits is accepted too (the modem's
    /// hex mode). The framer reads it by count; see [`crate::payload`].
    Counted {
        /// Index of the field holding the byte count.
        len_field: usize,
    },
}

impl Ty {
    /// Whether values of this type are unquoted integers on the wire.
    pub fn is_integer(&self) -> bool {
        matches!(self, Ty::Int { .. } | Ty::Enum { .. } | Ty::Code { .. })
    }

    /// How a value of this type looks on the wire, which tells two lines
    /// of one prefix and field count apart: `Some(false)` bare (integers,
    /// codes, tokens), `Some(true)` quoted (strings, hosts, addresses, hex
    /// dumps, strings of a set), `None` either (free text). A list of
    /// ranges is bare.
    pub fn quoted(&self) -> Option<bool> {
        match self {
            Ty::Int { .. } | Ty::Enum { .. } | Ty::Code { .. } | Ty::Token | Ty::Ranges => {
                Some(false)
            }
            Ty::Str { .. }
            | Ty::Host { .. }
            | Ty::Ip
            | Ty::Hex { .. }
            | Ty::HostAny { .. }
            | Ty::IpAny
            | Ty::StrEnum { .. }
            | Ty::Counted { .. } => Some(true),
            Ty::Text => None,
        }
    }
}

/// A literal value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lit {
    /// Integer.
    Int(i64),
    /// String.
    Str(Text),
}

/// A parameter, field or option value.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The source's name (`"opt num"`).
    pub name: Text,
    /// Type.
    pub ty: Ty,
    /// May be left out at the end or left empty in the middle.
    pub optional: bool,
    /// Value when left out.
    pub default: Option<Lit>,
    /// Left out, its field is still written, empty: the manual's
    /// `AT+CIPSEND=<link_num>,[<length>]` is sent `AT+CIPSEND=0,`, where
    /// otherwise a trailing left-out value is not written at all.
    pub keep_empty: bool,
}

/// A repeated trailing group.
#[derive(Debug, Clone, PartialEq)]
pub struct Rest {
    /// The source's name.
    pub name: Text,
    /// Type of each item.
    pub ty: Ty,
    /// Items per group.
    pub group: u32,
    /// Maximum groups.
    pub max_groups: Option<u32>,
}

/// A condition: the value of parameter `param` is one of `values`, or,
/// with `given`, the parameter is given (or left out) whatever its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cond {
    /// Index of the parameter.
    pub param: usize,
    /// Accepted values, sorted; empty for a presence test.
    pub values: List<i64>,
    /// A presence test: `Some(true)` holds when the parameter is given,
    /// `Some(false)` when it is left out or left empty (`AT+X=0,`). Its
    /// default does not count as given.
    pub given: Option<bool>,
    /// Accepted strings (quoted on the wire), sorted; a condition on a
    /// string parameter lists these instead of `values`.
    pub texts: List<Text>,
}

impl Cond {
    /// Whether the condition holds for a parameter that is `present` (given
    /// in the line) with the value `value` (its default standing in when
    /// left out).
    pub fn holds_for(&self, present: bool, value: Option<&crate::Val>) -> bool {
        match (self.given, value) {
            (Some(g), _) => present == g,
            (None, Some(crate::Val::Int(v))) => self.values.contains(v),
            (None, Some(crate::Val::Str(s))) => self.texts.iter().any(|t| t == s),
            (None, None) => false,
        }
    }

    /// Whether a string value satisfies the condition's strings.
    pub fn has_text(&self, s: &str) -> bool {
        self.texts.iter().any(|t| t == s)
    }
}

/// A rule across parameters (indexes into the enclosing list).
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `greater >= lesser`.
    Order {
        /// Smaller one.
        lesser: usize,
        /// Larger one.
        greater: usize,
    },
    /// All or none given.
    Together(List<usize>),
    /// At least one given.
    AnyOf(List<usize>),
    /// Given when the conditions hold.
    Require {
        /// Conditions.
        when: List<Cond>,
        /// Parameters.
        params: List<usize>,
    },
    /// Not given when the conditions hold.
    Forbid {
        /// Conditions.
        when: List<Cond>,
        /// Parameters.
        params: List<usize>,
    },
    /// Refused when the conditions hold.
    Reject {
        /// Conditions.
        when: List<Cond>,
        /// Why.
        reason: Text,
    },
    /// Narrower range when the conditions hold.
    Range {
        /// Conditions.
        when: List<Cond>,
        /// Parameter.
        param: usize,
        /// Smallest.
        min: i64,
        /// Largest.
        max: i64,
    },
    /// A format the value must have when the conditions hold: what a
    /// table states in prose beyond its range column (a URL's scheme, a
    /// code's number of digits).
    Format {
        /// Conditions.
        when: List<Cond>,
        /// Parameter.
        param: usize,
        /// The format.
        format: Format,
    },
}

/// The shape of a value beyond its type ([`Rule::Format`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// A string matching a pattern: `#` stands for one or more ASCII
    /// digits, `#{lo-hi}` for digits whose value lies in `lo..=hi`, `*`
    /// for one or more characters, anything else for itself (ASCII
    /// letters in either case): `http://*`, `#/#/# #:#:#`, `*/*`,
    /// `#{1-12}/#{1-31}/# #{0-23}:#{0-59}:#{0-59}`.
    Pattern(Text),
    /// Only ASCII digits, `min..=max` of them: a string of digits, or an
    /// integer written with that many digits.
    Digits {
        /// Fewest digits.
        min: u32,
        /// Most digits.
        max: u32,
    },
}

impl Format {
    /// Whether a value has this format (an integer's decimal digits for
    /// [`Format::Digits`]; a [`Format::Pattern`] takes strings only).
    pub fn matches(&self, v: &crate::value::Val) -> bool {
        use crate::value::Val;
        match (self, v) {
            (Format::Digits { min, max }, Val::Int(i)) => {
                let n = i
                    .unsigned_abs()
                    .checked_ilog10()
                    .unwrap_or(0)
                    .saturating_add(1);
                *i >= 0 && (*min..=*max).contains(&n)
            }
            (Format::Digits { min, max }, Val::Str(s)) => {
                let n = u32::try_from(s.chars().count()).unwrap_or(u32::MAX);
                s.bytes().all(|b| b.is_ascii_digit()) && (*min..=*max).contains(&n)
            }
            (Format::Pattern(p), Val::Str(s)) => pattern_matches(p.as_bytes(), s.as_bytes()),
            _ => false,
        }
    }

    /// The format in words, for messages and documentation: `of the form
    /// http://…`, `written with 3 digits`.
    pub fn describe(&self) -> String {
        match self {
            Format::Pattern(p) => {
                // `#{1-12}` shows as `{1-12}`, a number in that range.
                let mut shown = String::new();
                let mut ranged = false;
                let mut plain = false;
                let mut rest: &str = p;
                while let Some(c) = rest.chars().next() {
                    rest = rest.get(c.len_utf8()..).unwrap_or_default();
                    match c {
                        '#' => match pattern_range(rest.as_bytes()) {
                            Some((lo, hi, after)) => {
                                shown.push_str(&format!("{{{lo}-{hi}}}"));
                                ranged = true;
                                rest = rest.get(rest.len() - after.len()..).unwrap_or_default();
                            }
                            None => {
                                shown.push('N');
                                plain = true;
                            }
                        },
                        '*' => shown.push('…'),
                        c => shown.push(c),
                    }
                }
                let mut legend = Vec::new();
                if plain {
                    legend.push("N: digits");
                }
                if ranged {
                    legend.push("{a-b}: a number from a to b");
                }
                if p.contains('*') {
                    legend.push("…: any text");
                }
                if legend.is_empty() {
                    format!("of the form `{shown}`")
                } else {
                    format!("of the form `{shown}` ({})", legend.join(", "))
                }
            }
            Format::Digits { min, max } if min == max => format!("written with {min} digits"),
            Format::Digits { min, max } => format!("written with {min} to {max} digits"),
        }
    }
}

/// Whether `s` matches pattern `p` (see [`Format::Pattern`]); patterns are
/// short, so the backtracking stays small.
fn pattern_matches(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((b'#', rest)) => {
            // `#{lo-hi}`: digits whose value lies in `lo..=hi`.
            let (range, rest) = match pattern_range(rest) {
                Some((lo, hi, after)) => (Some((lo, hi)), after),
                None => (None, rest),
            };
            let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
            (1..=n).rev().any(|k| {
                let fits = match range {
                    Some((lo, hi)) => s
                        .get(..k)
                        .and_then(|d| core::str::from_utf8(d).ok())
                        .and_then(|d| d.parse::<u64>().ok())
                        .is_some_and(|v| (lo..=hi).contains(&v)),
                    None => true,
                };
                fits && s.get(k..).is_some_and(|t| pattern_matches(rest, t))
            })
        }
        Some((b'*', rest)) => {
            (1..=s.len()).any(|k| s.get(k..).is_some_and(|t| pattern_matches(rest, t)))
        }
        Some((c, rest)) => s
            .split_first()
            .is_some_and(|(b, t)| b.eq_ignore_ascii_case(c) && pattern_matches(rest, t)),
    }
}

/// The `{lo-hi}` after a `#` of a pattern, and the pattern after it;
/// `None` when `p` does not open with a well-formed one.
pub fn pattern_range(p: &[u8]) -> Option<(u64, u64, &[u8])> {
    let inner = p.strip_prefix(b"{")?;
    let end = inner.iter().position(|&b| b == b'}')?;
    let (range, after) = (inner.get(..end)?, inner.get(end + 1..)?);
    let dash = range.iter().position(|&b| b == b'-')?;
    let num = |d: &[u8]| {
        (!d.is_empty() && d.iter().all(u8::is_ascii_digit))
            .then(|| core::str::from_utf8(d).ok()?.parse::<u64>().ok())
            .flatten()
    };
    let lo = num(range.get(..dash)?)?;
    let hi = num(range.get(dash + 1..)?)?;
    (lo <= hi).then_some((lo, hi, after))
}

/// Read or write access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub enum Access {
    /// Read only.
    R,
    /// Write only.
    W,
    /// Both.
    RW,
    /// Neither.
    None,
}

impl Access {
    /// Whether this access grants `want` (`RW` grants both).
    pub fn grants(self, want: Access) -> bool {
        match want {
            Access::R => matches!(self, Access::R | Access::RW),
            Access::W => matches!(self, Access::W | Access::RW),
            Access::RW => self == Access::RW,
            Access::None => true,
        }
    }
}

/// Access of an option: for every key, or per key value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessSpec {
    /// Same for every key.
    All(Access),
    /// (key, access) pairs; keys not listed have none.
    PerKey(List<(i64, Access)>),
}

impl AccessSpec {
    /// Whether some key has `want` (every key, for [`AccessSpec::All`]).
    pub fn any_grants(&self, want: Access) -> bool {
        match self {
            AccessSpec::All(a) => a.grants(want),
            AccessSpec::PerKey(m) => m.iter().any(|(_, a)| a.grants(want)),
        }
    }
}

/// Option values typed by tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// Index of the option number parameter.
    pub id_param: usize,
    /// Index of the key parameter.
    pub key_param: Option<usize>,
    /// (key values, table index); without a key parameter, one entry with
    /// no key.
    pub tables: List<(List<i64>, usize)>,
    /// Read (values are the option's read values) or write.
    pub access: Access,
}

impl Binding {
    /// The index of the table for a key value (or of the only table,
    /// without a key).
    pub fn table_for(&self, key: Option<i64>) -> Option<usize> {
        match key {
            None => self.tables.first().map(|(_, t)| *t),
            Some(k) => self
                .tables
                .iter()
                .find(|(keys, _)| keys.contains(&k))
                .map(|(_, t)| *t),
        }
    }

    /// The table a line binds with the key value it gives (`None`: the
    /// key parameter's value is not known): none without a key where the
    /// binding has a key parameter.
    pub fn table_of_line(&self, key: Option<i64>) -> Option<usize> {
        match (self.key_param, key) {
            (Some(_), None) => None,
            (None, _) => self.table_for(None),
            (Some(_), k) => self.table_for(k),
        }
    }
}

/// An option table.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionTable {
    /// Identifier.
    pub id: Text,
    /// Options sorted by number.
    pub options: List<Opt>,
    /// Limits on what the values written to several of its options add
    /// up to, in one socket or session.
    pub totals: List<Total>,
}

/// A limit on what the values written to several options of one socket or
/// session add up to (5.3.7.6.4.1: at most 12 recipients in To, Cc and Bcc,
/// each list under 250 characters with the `/TYPE=PLMN` the modem adds to
/// phone numbers). Every write adds a value; the modem refuses the write
/// that would pass the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    /// Numbers of the options whose values count together, sorted.
    pub options: List<i64>,
    /// Most values written in all.
    pub max_count: Option<u32>,
    /// Most characters of the list the modem keeps: every value, the
    /// suffix its option adds, and the separator between two values.
    pub max_len: Option<u32>,
    /// `(option, text the modem appends to each of its values)`.
    pub suffixes: List<(i64, Text)>,
    /// What the modem puts between two values of the list.
    pub separator: Text,
}

impl Total {
    /// Characters a value of `len` characters written to option `opt`
    /// takes in the list, its suffix included.
    fn entry_len(&self, opt: i64, len: usize) -> usize {
        len.saturating_add(self.suffix(opt).chars().count())
    }

    /// The text the modem appends to each value of option `opt` in the
    /// list (`/TYPE=PLMN`); empty for an option without one.
    pub fn suffix(&self, opt: i64) -> &str {
        self.suffixes
            .iter()
            .find(|(o, _)| *o == opt)
            .map_or("", |(_, t)| t.as_ref())
    }

    /// Whether writing a value of `len` characters to option `opt`, after
    /// the values `written` (`(option, length)` of each earlier write to
    /// any option), stays within the limit; else what it would pass.
    pub fn admits(&self, written: &[(i64, usize)], opt: i64, len: usize) -> Result<(), String> {
        if !self.options.contains(&opt) {
            return Ok(());
        }
        let mine: Vec<(i64, usize)> = written
            .iter()
            .copied()
            .filter(|(o, _)| self.options.contains(o))
            .collect();
        let opts = self
            .options
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let count = mine.len().saturating_add(1);
        if let Some(max) = self.max_count {
            if count > usize::try_from(max).unwrap_or(usize::MAX) {
                return Err(format!(
                    "would make {count} values of options {opts} in all, at most {max}"
                ));
            }
        }
        if let Some(max) = self.max_len {
            let sep = self.separator.chars().count();
            let total = mine
                .iter()
                .map(|(o, l)| self.entry_len(*o, *l).saturating_add(sep))
                .fold(self.entry_len(opt, len), usize::saturating_add);
            if total > usize::try_from(max).unwrap_or(usize::MAX) {
                let suffixes: Vec<String> = self
                    .suffixes
                    .iter()
                    .map(|(o, t)| format!("{t:?} after each of option {o}"))
                    .collect();
                let with = if suffixes.is_empty() {
                    String::new()
                } else {
                    format!(", with {}", suffixes.join(" and "))
                };
                return Err(format!(
                    "would make the list of options {opts} {total} characters long{with}, at most {max}"
                ));
            }
        }
        Ok(())
    }
}

impl OptionTable {
    /// The first of its totals that a write of `len` characters to option
    /// `opt`, after `written`, would pass (see [`Total::admits`]).
    pub fn totals_admit(
        &self,
        written: &[(i64, usize)],
        opt: i64,
        len: usize,
    ) -> Result<(), String> {
        self.totals
            .iter()
            .try_for_each(|t| t.admits(written, opt, len))
    }
}

/// The length a written value counts for in a [`Total`]: a string's
/// characters, an integer's decimal digits.
pub fn written_len(v: &crate::value::Val) -> usize {
    match v {
        crate::value::Val::Str(s) => s.chars().count(),
        crate::value::Val::Int(i) => i.to_string().len(),
    }
}

/// A numbered option.
#[derive(Debug, Clone, PartialEq)]
pub struct Opt {
    /// Number.
    pub id: i64,
    /// Symbolic name.
    pub name: Text,
    /// Values written.
    pub values: List<Param>,
    /// Repeated group after the values written.
    pub rest: Option<Rest>,
    /// Values read.
    pub read: List<Param>,
    /// Repeated group after the values read.
    pub read_rest: Option<Rest>,
    /// Reading answers several lines.
    pub read_repeats: bool,
    /// Reading is always answered with this error code: the option is in
    /// the table but not implemented (WIPsoft's `WIP_COPT_HTTP_HEADER`,
    /// 5.3.7.3: "attempt to read this option will result in +CME ERROR:
    /// 834").
    pub read_error: Option<u32>,
    /// Rules across the values written.
    pub rules: List<Rule>,
    /// Access.
    pub access: AccessSpec,
}

impl Opt {
    /// Whether the values read are the values written, so that the rules
    /// on a value's own shape ([`Rule::Format`]) hold of them too.
    pub fn reads_as_written(&self) -> bool {
        self.read.len() == self.values.len()
            && self
                .read
                .iter()
                .zip(self.values.iter())
                .all(|(r, w)| r.name == w.name)
    }

    /// The access for a key value.
    pub fn access_for(&self, key: Option<i64>) -> Access {
        match (&self.access, key) {
            (AccessSpec::All(a), _) => *a,
            (AccessSpec::PerKey(m), Some(k)) => m
                .iter()
                .find(|(x, _)| *x == k)
                .map_or(Access::None, |(_, a)| *a),
            (AccessSpec::PerKey(_), None) => Access::None,
        }
    }
}

/// The four AT syntaxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub enum FormKind {
    /// `AT+X=...`
    Action,
    /// `AT+X?`
    Read,
    /// `AT+X=?`
    Test,
    /// `AT+X`
    Execute,
}

/// How data moves in a data session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub enum DataMode {
    /// After `CONNECT`, DLE/ETX escaping.
    Continuous,
    /// After `CONNECT`, every byte is data.
    Transparent,
    /// No `CONNECT`; hex dumps in AT commands.
    HexDump,
}

/// Meaning of a lone ETX in continuous mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub enum EtxMeaning {
    /// Datagram boundary; stays in data mode.
    EndOfDatagram,
    /// Shutdown of the sending side; stays in data mode.
    Shutdown,
    /// End of transfer; back to command mode.
    EndOfData,
}

/// A data-mode outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Conditions.
    pub when: List<Cond>,
    /// Mode entered.
    pub data: DataMode,
    /// Meaning of a lone ETX.
    pub etx: Option<EtxMeaning>,
    /// The session only carries data from the host to the modem (an
    /// upload): the modem sends no payload, so a final result code it
    /// sends in the session ends data mode (a file cut at its declared
    /// size, 6.1.9).
    pub upload: bool,
}

/// A command.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// Name after `AT` (`"+WIPCFG"`).
    pub name: Text,
    /// Timeout for the final result, in milliseconds.
    pub timeout_ms: u32,
    /// Error codes it lists, sorted.
    pub errors: List<u32>,
    /// Forms.
    pub forms: List<Form>,
    /// Index in [`Dialect::error_tables`] of the table `errors` names
    /// codes of; `None`: [`Dialect::errors`].
    pub errors_table: Option<usize>,
    /// `errors` is the complete list of the codes it may answer, with
    /// `also_errors`.
    pub errors_complete: bool,
    /// Codes of the same table it may answer beyond `errors` (the list of
    /// its section): the general codes, and those an erratum adds. Sorted.
    pub also_errors: List<u32>,
    /// The timeout taken from a parameter instead of `timeout_ms`, in
    /// the forms that have it.
    pub timeout_from: Option<TimeoutFrom>,
}

/// One syntax of a command.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// Kind.
    pub kind: FormKind,
    /// Name in the command.
    pub name: Text,
    /// Discriminators.
    pub select: List<Cond>,
    /// Parameters.
    pub params: List<Param>,
    /// Repeated trailing group.
    pub rest: Option<Rest>,
    /// Option values after the parameters.
    pub options: Option<Binding>,
    /// Rules.
    pub rules: List<Rule>,
    /// Indexes of the messages it may answer before its final result.
    pub responses: List<usize>,
    /// Indexes of the URCs it may lead to.
    pub urcs: List<usize>,
    /// Indexes of the parameters its responses repeat in fields of the
    /// same name.
    pub echo: List<usize>,
    /// Data-mode outcomes, first match wins.
    pub outcomes: List<Outcome>,
    /// The final result codes it may end with; empty: any (no check).
    pub finals: List<FinalRef>,
    /// The URC that brings the real outcome later (`OK` now,
    /// `+CIPOPEN: <link>,<err>` when the connection is up).
    pub completion: Option<Completion>,
    /// The prompt its line is answered with, and the payload the host
    /// writes after it (see [`crate::payload`]).
    pub prompt: Option<crate::payload::Prompt>,
}

/// Response, URC or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub enum MessageKind {
    /// Only in answer to a command.
    Info,
    /// Only unsolicited.
    Urc,
    /// Either.
    Both,
}

/// A line the modem sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Identifier.
    pub id: Text,
    /// Prefix before `:`; none for a bare line.
    pub prefix: Option<Text>,
    /// Kind.
    pub kind: MessageKind,
    /// Discriminators among messages with the same prefix.
    pub select: List<Cond>,
    /// Fields.
    pub fields: List<Param>,
    /// Repeated trailing group.
    pub rest: Option<Rest>,
    /// Option values after the fields.
    pub options: Option<Binding>,
    /// Rules.
    pub rules: List<Rule>,
    /// Raw data that follows its line (see [`crate::payload::PayloadAfter`]).
    pub payload: Option<crate::payload::PayloadAfter>,
    /// An answer to a test command (`AT+X=?` → `+X: (0-6),(0-1)`): matched
    /// only while a [`FormKind::Test`] form that lists it is in flight, so
    /// it never takes a read answer or a URC of the same prefix.
    pub test: bool,
    /// Its one integer field follows the prefix with no colon or blank
    /// (SIMCom `+IPD<len>`: `+IPD5`); see [`crate::classify::Index::unglue`].
    pub glued: bool,
}

impl Message {
    /// Whether it may come unsolicited.
    pub fn is_urc(&self) -> bool {
        matches!(self.kind, MessageKind::Urc | MessageKind::Both)
    }

    /// The part of `line` after `PREFIX:`, or the whole line without a
    /// prefix; `None` when the line does not start with the prefix.
    pub fn body<'a>(&self, line: &'a str) -> Option<&'a str> {
        crate::direct::body(self.prefix.as_deref(), self.glued, line)
    }
}

/// An error code.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCode {
    /// Code.
    pub code: u32,
    /// Text.
    pub text: Text,
}

impl Dialect {
    /// This dialect without its rules across parameters (of forms and of
    /// option values) nor its totals across options: a line that breaks
    /// only those parses against it, so that the rule it breaks can be
    /// found, or the line judged as if it were right.
    pub fn without_rules(&self) -> Dialect {
        let mut lax = self.clone();
        let mut cmds = lax.commands.to_vec();
        for c in &mut cmds {
            let mut forms = c.forms.to_vec();
            for f in &mut forms {
                f.rules = Vec::new().into();
            }
            c.forms = forms.into();
        }
        lax.commands = cmds.into();
        let mut tables = lax.tables.to_vec();
        for t in &mut tables {
            let mut opts = t.options.to_vec();
            for o in &mut opts {
                o.rules = Vec::new().into();
            }
            t.options = opts.into();
            t.totals = Vec::new().into();
        }
        lax.tables = tables.into();
        lax
    }

    /// The command of this name, without regard to case.
    pub fn command(&self, name: &str) -> Option<(usize, &Command)> {
        self.commands
            .iter()
            .enumerate()
            .find(|(_, c)| c.name.eq_ignore_ascii_case(name))
    }

    /// Whether a command name is in the dialect's namespace: the dialect
    /// defines it, or it starts with one of the dialect's prefixes (without
    /// regard to case). Without a prefix list, with the single
    /// [`Dialect::command_prefix`], where an empty prefix owns every name.
    /// A name of [`Dialect::foreign_commands`] is never owned.
    pub fn owns(&self, name: &str) -> bool {
        fn starts(name: &str, prefix: &str) -> bool {
            name.get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        }
        if self
            .foreign_commands
            .iter()
            .any(|f| f.eq_ignore_ascii_case(name))
        {
            return false;
        }
        match &self.command_prefixes {
            None => starts(name, &self.command_prefix) || self.command(name).is_some(),
            Some(list) => list.iter().any(|p| starts(name, p)) || self.command(name).is_some(),
        }
    }

    /// The error table of this id.
    pub fn error_table(&self, id: &str) -> Option<(usize, &ErrorTable)> {
        self.error_tables
            .iter()
            .enumerate()
            .find(|(_, t)| t.id == id)
    }

    /// The error table whose final result line starts with `prefix`
    /// (`"+CMS ERROR"`).
    pub fn error_table_of_line(&self, prefix: &str) -> Option<(usize, &ErrorTable)> {
        self.error_tables
            .iter()
            .enumerate()
            .find(|(_, t)| t.line_prefix.as_deref() == Some(prefix))
    }

    /// The text of an error code.
    pub fn error_text(&self, code: u32) -> Option<&str> {
        // Sorted by code (see `errors`); a list that is not still finds
        // its codes, by a scan.
        match self.errors.binary_search_by_key(&code, |e| e.code) {
            Ok(i) => self.errors.get(i),
            Err(_) => self.errors.iter().find(|e| e.code == code),
        }
        .map(|e| e.text.as_ref())
    }

    /// `"1 (UDP)"`: a value with its name, when the type names it.
    pub fn describe(&self, ty: &Ty, v: i64) -> String {
        if let Ty::Enum { set, .. } = ty {
            if let Some(n) = self
                .value_sets
                .get(*set)
                .and_then(|s| s.values.iter().find(|(x, _)| *x == v))
            {
                return format!("{v} ({})", n.1);
            }
        }
        v.to_string()
    }

    /// `"\"TCP\" (TCP client)"`: a string of a value set of strings, quoted,
    /// with its name when it differs from the string.
    pub fn describe_text(&self, set: usize, v: &str) -> String {
        match self
            .value_sets
            .get(set)
            .and_then(|s| s.texts.iter().find(|(x, _)| x == v))
        {
            Some((_, n)) if n != v => format!("\"{v}\" ({n})"),
            _ => format!("\"{v}\""),
        }
    }

    /// The allowed values of a type, for messages: `1..=8`, or
    /// `0 (stop), 1 (start)`, or `a string of at most 64 characters`.
    pub fn allowed(&self, ty: &Ty) -> String {
        match ty {
            Ty::Int { min, max } => format!("{min}..={max}"),
            Ty::Enum { allowed, .. } => crate::value::fold_runs(
                allowed,
                |v| self.describe(ty, v) == v.to_string(),
                |v| self.describe(ty, v),
                |a, b| format!("{a}..={b}"),
            )
            .join(", "),
            Ty::Str { max_len: Some(m) } => format!("a quoted string of at most {m} characters"),
            Ty::Str { max_len: None } => "a quoted string".into(),
            Ty::Host { max_len: Some(m) } => {
                format!("a quoted host name or IPv4 address of at most {m} characters")
            }
            Ty::Host { max_len: None } => "a quoted host name or IPv4 address".into(),
            Ty::Ip => "a quoted dotted IPv4 address".into(),
            Ty::HostAny { max_len: Some(m) } => {
                format!("a quoted host name, IPv4 or IPv6 address of at most {m} characters")
            }
            Ty::HostAny { max_len: None } => "a quoted host name, IPv4 or IPv6 address".into(),
            Ty::IpAny => "a quoted IPv4 or IPv6 address".into(),
            Ty::Code { table, success } => {
                let code = match table.and_then(|t| self.error_tables.get(t)) {
                    Some(t) => format!("a code of error table {}", t.id),
                    None => "an error code".into(),
                };
                match success {
                    Some(s) => format!("{s} (success) or {code}"),
                    None => code,
                }
            }
            Ty::Hex { max_bytes } => format!("a quoted hex dump of at most {max_bytes} bytes"),
            Ty::Text => "text".into(),
            Ty::Ranges => "a list of integers and ranges in parentheses, such as (0-31,99)".into(),
            Ty::Token => "an unquoted word that is not an integer".into(),
            Ty::Counted { .. } => "a quoted string of as many bytes as its count says".into(),
            Ty::StrEnum { set, allowed } => allowed
                .iter()
                .map(|v| self.describe_text(*set, v))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// A final result code a spec declares (`SEND OK`, `DATA ACCEPT:
/// <length>`): a line that ends a command as `OK` and `ERROR` do.
#[derive(Debug, Clone, PartialEq)]
pub struct FinalCode {
    /// The whole line (`"SEND OK"`) when there are no fields; with fields,
    /// the prefix before `:` (`"DATA ACCEPT"`).
    pub text: Text,
    /// Whether it reports success (`SEND OK`) or a failure (`SEND FAIL`).
    pub success: bool,
    /// Fields after `text:`; empty for a fixed line.
    pub fields: List<Param>,
}

impl FinalCode {
    /// Whether `line` (without CR/LF and outer blanks) is this final
    /// result code: the same text, or the prefix followed by `:` when it
    /// has fields. Fields are not checked here (see
    /// [`crate::finals::bind_final`]).
    pub fn matches(&self, line: &[u8]) -> bool {
        let t = self.text.as_bytes();
        if self.fields.is_empty() {
            return line == t;
        }
        line.strip_prefix(t)
            .is_some_and(|rest| rest.trim_ascii_start().first() == Some(&b':'))
    }

    /// The line as the manual writes it: `DATA ACCEPT: <length>`.
    pub fn syntax(&self) -> String {
        if self.fields.is_empty() {
            return self.text.to_string();
        }
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|p| format!("<{}>", p.name))
            .collect();
        format!("{}: {}", self.text, fields.join(","))
    }
}

/// A final result code a form may end with: a built-in one (any code of
/// `+CME ERROR`/`+CMS ERROR`) or one the spec declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FinalRef {
    /// `OK`.
    Ok,
    /// `ERROR`.
    Error,
    /// `+CME ERROR: <err>`, any code.
    CmeError,
    /// `+CMS ERROR: <err>`, any code.
    CmsError,
    /// `CONNECT`.
    Connect,
    /// `NO CARRIER`.
    NoCarrier,
    /// `BUSY`.
    Busy,
    /// `NO ANSWER`.
    NoAnswer,
    /// `NO DIALTONE`.
    NoDialtone,
    /// Final result code number `n` of [`Dialect::finals`].
    Custom(u16),
}

/// A timeout taken from a parameter: `value * scale_ms + plus_ms`
/// milliseconds (a `<timeout>` in seconds, plus a margin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutFrom {
    /// The parameter's name, in the forms that have it.
    pub param: Text,
    /// Milliseconds per unit of the parameter (1000 for seconds).
    pub scale_ms: u32,
    /// Milliseconds added (the time the modem takes beyond it).
    pub plus_ms: u32,
}

impl TimeoutFrom {
    /// The timeout for a parameter value (negative counts as 0; saturates).
    pub fn of(&self, value: i64) -> u32 {
        let v = u64::try_from(value.max(0)).unwrap_or(0);
        let ms = v
            .saturating_mul(u64::from(self.scale_ms))
            .saturating_add(u64::from(self.plus_ms));
        u32::try_from(ms).unwrap_or(u32::MAX)
    }
}

/// The URC that completes a command after its final result code: the
/// real outcome of `AT+CIPOPEN` is `+CIPOPEN: <link>,<err>`, later.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// Index of the URC's message.
    pub message: usize,
    /// (form parameter, message field) pairs that must hold the same
    /// value: the URC of this request, not of another one.
    pub echo: List<(usize, usize)>,
    /// Conditions on the form's parameters; it completes only when they
    /// hold (`<async_connect>` = 1).
    pub when: List<Cond>,
    /// How long to wait for it after the final result code, in ms.
    pub timeout_ms: u32,
    /// The wait taken from a parameter instead, when the form has it.
    pub timeout_from: Option<TimeoutFrom>,
    /// It may also come before the final result code (SIMCom UDP).
    pub before_final: bool,
    /// Conditions on the URC's fields that mean success (`<err>` = 0);
    /// empty: always.
    pub success: List<Cond>,
    /// It does not come when the host aborted the payload after the
    /// prompt (SIMCom `+CIPSEND` cancelled with ESC sends nothing, so no
    /// `+CIPSEND:` follows).
    pub unless_aborted: bool,
}
#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::Cow::Borrowed;

    #[test]
    fn a_prefix_list_owns_its_prefixes_and_the_commands_defined() {
        const CMDS: &[Command] = &[Command::new("+CMEE", 1000, &[], &[])];
        static ONE: Dialect = Dialect::new("x", "+WIP").commands(CMDS);
        static ALL: Dialect = Dialect::new("x", "");
        static LIST: Dialect = Dialect::new("x", "")
            .commands(CMDS)
            .command_prefixes(&[Borrowed("+USO"), Borrowed("+UDCONF")]);
        static NONE: Dialect = Dialect::new("x", "").commands(CMDS).command_prefixes(&[]);
        assert!(ONE.owns("+wipcfg") && ONE.owns("+CMEE") && !ONE.owns("+CREG"));
        assert!(ALL.owns("+CREG") && ALL.owns("+CPIN"));
        assert!(LIST.owns("+USOCR") && LIST.owns("+usowr") && LIST.owns("+UDCONF"));
        assert!(LIST.owns("+cmee") && !LIST.owns("+CREG") && !LIST.owns("+US"));
        assert!(NONE.owns("+CMEE") && !NONE.owns("+CMEEX") && !NONE.owns("+CPIN"));
        // A foreign command the prefix would own is not the dialect's.
        static FOREIGN: Dialect = Dialect::new("x", "+WIP").foreign_commands(&[Borrowed("+WIPS")]);
        assert!(!FOREIGN.owns("+WIPS") && !FOREIGN.owns("+wips"));
        assert!(FOREIGN.owns("+WIPCFG") && FOREIGN.owns("+WIPSX") && FOREIGN.owns("+WIPX"));
    }

    #[test]
    fn patterns_bound_their_digit_runs() {
        use crate::value::Val;
        let date = Format::Pattern(Cow::Borrowed("#{1-12}/#{1-31}/# #{0-23}:#{0-59}:#{0-59}"));
        let ok = |s: &str| date.matches(&Val::Str(s.into()));
        assert!(ok("12/31/2011 23:59:59") && ok("1/1/11 0:0:0") && ok("01/09/2011 00:00:00"));
        for bad in [
            "13/1/2011 0:0:0",
            "0/1/2011 0:0:0",
            "1/32/2011 0:0:0",
            "1/1/2011 24:0:0",
            "1/1/2011 0:60:0",
            "1/1/2011 0:0:99",
            "1/1/ 0:0:0",
        ] {
            assert!(!ok(bad), "{bad}");
        }
        assert_eq!(
            date.describe(),
            "of the form `{1-12}/{1-31}/N {0-23}:{0-59}:{0-59}` (N: digits, {a-b}: a number from a to b)"
        );
        assert_eq!(pattern_range(b"{1-12}x"), Some((1, 12, &b"x"[..])));
        assert_eq!(pattern_range(b"{12-1}"), None);
        assert_eq!(pattern_range(b"{1-12"), None);
    }
}
