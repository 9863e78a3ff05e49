//! The spec model: serde structs that mirror a `spec/*.ron` file one to one.
//!
//! There is no logic here; [`crate::check`] turns a [`Spec`] into the
//! run-time description ([`wip_schema::Dialect`]) and the notes beside it
//! ([`crate::notes::Notes`]). This is the file format, not a run-time
//! model: nothing downstream reads it. The schema knows AT commands in general (forms, parameters,
//! option tables, responses, unsolicited result codes, error codes, limits,
//! errata), nothing of one modem in particular, so that specs for other
//! modem variants are written with the same words.
//!
//! A `section` string everywhere names the part of the source document an
//! item comes from (`"4.1.3"`), so every fact can be traced back.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The plain enums a spec file names are the description's own types
/// (`wip_schema`), read through its `serde` feature: a form's kind, a data
/// mode and its ETX meaning, an option's access, a message's kind.
pub use wip_schema::{Access, DataMode, EtxMeaning, FormKind, MessageKind};

/// A whole command-set spec: one RON file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Name of the command set (`"WIPsoft"`).
    pub name: String,
    /// Software version the spec describes (`"5.41"`).
    pub version: String,
    /// Revision of the source document (`"009"`).
    pub revision: String,
    /// The source document, as a reference a reader can find.
    pub source: String,
    /// Free text about the spec.
    #[serde(default)]
    pub doc: String,
    /// Command lines whose name starts with this (`"+WIP"`) belong to the
    /// spec and are checked; others (`ATE0`, `AT+CMEE=1`) pass unchecked.
    /// Empty: every command line belongs to the spec.
    #[serde(default)]
    pub command_prefix: String,
    /// Sets of coded values shared by parameters (`protocol`: 1 = UDP …).
    #[serde(default)]
    pub value_sets: Vec<ValueSet>,
    /// Option tables: numbered options with value types and access.
    #[serde(default)]
    pub option_tables: Vec<OptionTable>,
    /// The commands.
    pub commands: Vec<Command>,
    /// Lines the modem sends other than final result codes: information
    /// responses and unsolicited result codes.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// How the modem reports the codes of `errors` (`+CME ERROR: <code>`
    /// after `AT+CMEE=1`), as the docs quote it; absent, they name no
    /// format.
    #[serde(default)]
    pub error_report: Option<ErrorReport>,
    /// Error codes, reported as `error_report` says.
    #[serde(default)]
    pub errors: Vec<ErrorCode>,
    /// Ranges of error codes the source reserves without defining them.
    #[serde(default)]
    pub reserved_errors: Vec<ReservedErrors>,
    /// Numeric limits of the implementation (socket counts, sizes, times).
    #[serde(default)]
    pub limits: Vec<Limit>,
    /// Places where the source contradicts itself, and what the spec decided.
    #[serde(default)]
    pub errata: Vec<Erratum>,
    /// Final result codes beyond the built-in ones (`OK`, `ERROR`,
    /// `+CME ERROR`, `+CMS ERROR`, `CONNECT`, `NO CARRIER`, `BUSY`,
    /// `NO ANSWER`, `NO DIALTONE`): `SEND OK`, `DATA ACCEPT: <length>`.
    #[serde(default)]
    pub finals: Vec<FinalCode>,
    /// The command prefixes of a spec that names several (`["+USO",
    /// "+UDCONF"]`): the spec owns the commands it defines and those
    /// starting with one of these; others pass unchecked. An empty list
    /// owns exactly the commands defined. Not together with
    /// `command_prefix`.
    #[serde(default)]
    pub command_prefixes: Option<Vec<String>>,
    /// Commands of another manual whose names the spec's prefixes would
    /// own (`["+WIPS"]`: the note of 4.1.3 has it sent for options 6 to
    /// 11 and leaves it to the Firmware manual), written without `AT`:
    /// not the spec's, they pass unchecked, as commands of no spec do. A
    /// command the spec defines cannot be one.
    #[serde(default)]
    pub foreign_commands: Vec<String>,
    /// Shared parts: other spec files whose items this one adds to its own
    /// (a 3GPP 27.007/27.005 base under a vendor's commands).
    #[serde(default)]
    pub include: Vec<Include>,
    /// Named error tables (`cme` for `+CME ERROR`, `cms` for `+CMS ERROR`,
    /// a vendor's socket errors). A table `cme` takes the place of
    /// `errors` + `error_report`.
    #[serde(default)]
    pub error_tables: Vec<ErrorTable>,
}

/// A named table of error codes (written `ErrorTable(...)`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorTable {
    /// Identifier (`"cme"`, `"cms"`); `"cme"` is the table of
    /// `+CME ERROR: <code>`, `"cms"` that of `+CMS ERROR: <code>`.
    pub id: String,
    /// The final result line that carries a code, `<code>` standing for
    /// the number (`"+CMS ERROR: <code>"`); absent for a table only
    /// fields refer to.
    #[serde(default)]
    pub line: Option<String>,
    /// The command line that turns the report on (`"AT+CMEE=1"`).
    #[serde(default)]
    pub enabled_by: Option<String>,
    /// Source section.
    #[serde(default)]
    pub section: String,
    /// The codes.
    #[serde(default)]
    pub errors: Vec<ErrorCode>,
    /// Ranges of codes the source reserves (accepted, without a text).
    #[serde(default)]
    pub reserved: Vec<ReservedErrors>,
    /// Adds these codes to a table of this id from an included file.
    #[serde(default)]
    pub extend: bool,
    /// The command line after which the line carries a code's text
    /// instead of its number (27.007 9.1: `"AT+CMEE=2"` gives `+CME ERROR:
    /// SIM not inserted`).
    #[serde(default)]
    pub verbose_by: Option<String>,
}

/// A final result code the spec declares (written `FinalCode(...)`): a
/// line that ends a command as `OK` and `ERROR` do.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FinalCode {
    /// The line as the manual writes it: `"SEND OK"`, or with fields
    /// `"DATA ACCEPT: <length>"` (a prefix, `: `, and one `<name>` per
    /// field, comma-separated).
    pub text: String,
    /// Whether it reports success (`SEND OK`) or a failure (`SEND FAIL`).
    pub success: bool,
    /// The fields named in `text`, in order.
    #[serde(default)]
    pub fields: Vec<Param>,
    /// Rust name of its constant and type; derived from the text when
    /// absent.
    #[serde(default)]
    pub rust: Option<String>,
    /// What it means.
    #[serde(default)]
    pub doc: String,
    /// Source section.
    pub section: String,
}

/// A spec file included by another (written `Include(path: "…")`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Include {
    /// The file, relative to the including one.
    pub path: String,
    /// When given, only these commands of the file are taken, with the
    /// messages, value sets and option tables they refer to.
    #[serde(default)]
    pub commands: Option<Vec<String>>,
}

/// A named set of coded values: all integers (`1` = UDP), or all strings,
/// quoted on the wire (`"REC UNREAD"`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ValueSet {
    /// Identifier used by [`Type::Enum`] (`"protocol"`).
    pub id: String,
    /// Rust type name; derived from `id` when absent.
    #[serde(default)]
    pub rust: Option<String>,
    /// What the values mean.
    #[serde(default)]
    pub doc: String,
    /// Source section.
    pub section: String,
    /// The values, each with its name.
    pub values: Vec<Value>,
}

/// One coded value of a [`ValueSet`].
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Value {
    /// The number on the wire, or the string (quoted on the wire, matched
    /// case-sensitively).
    pub value: Coded,
    /// The source's name for it (`"UDP"`, `"TCP client"`).
    pub name: String,
    /// Rust variant name; derived from `name` when absent.
    #[serde(default)]
    pub rust: Option<String>,
    /// Longer description.
    #[serde(default)]
    pub doc: String,
}

/// A coded value as a spec writes it: an integer (`1`) or a string
/// (`"UDP"`), quoted on the wire.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Coded {
    /// An integer, unquoted on the wire.
    Int(i64),
    /// A string, quoted on the wire.
    Str(String),
}

impl std::fmt::Display for Coded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Coded::Int(v) => write!(f, "{v}"),
            Coded::Str(s) => write!(f, "{s:?}"),
        }
    }
}

/// The type of a parameter, a response field or an option value.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub enum Type {
    /// An unquoted decimal integer within `min..=max`.
    Int {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// A value taken from a [`ValueSet`] (an unquoted integer, or a quoted
    /// string for a set of strings), optionally restricted to some of its
    /// values.
    Enum {
        /// The value set's id.
        set: String,
        /// When not empty, only these values are allowed here.
        #[serde(default)]
        only: Vec<Coded>,
    },
    /// A quoted string of at most `max_len` characters.
    Str {
        /// Maximum length in characters; no limit when absent.
        #[serde(default)]
        max_len: Option<u32>,
    },
    /// A quoted host: a dotted-decimal IPv4 address or a DNS name, and
    /// with `v6: true` an IPv6 address too.
    Host {
        /// Maximum length in characters; no limit when absent.
        #[serde(default)]
        max_len: Option<u32>,
        /// IPv6 addresses are accepted too.
        #[serde(default)]
        v6: bool,
    },
    /// A quoted dotted-decimal IPv4 address.
    Ip,
    /// A quoted hexadecimal dump of at most `max_bytes` bytes.
    Hex {
        /// Maximum number of bytes (twice as many hex digits).
        max_bytes: u32,
    },
    /// Unquoted free text running to the end of the line (messages only).
    Text,
    /// A quoted IPv4 (dotted) or IPv6 address. (`Ip` cannot take a
    /// `v6: true` field: RON needs `Ip` written bare to stay valid.)
    IpAny,
    /// An unquoted error code of the named error table (`Code(table:
    /// "tcpip_err")`): one of its codes or reserved ranges.
    Code {
        /// The error table's id.
        table: String,
        /// A value taken besides the table's codes: the success a result
        /// field reports as 0 (`Code(table: "cme", success: 0)`, 4.2.3
        /// `+WIPBR: <bid>,<status>`).
        #[serde(default)]
        success: Option<i64>,
    },
    /// An unquoted list of integers and ranges in parentheses, `(0-31,99)`:
    /// the values a parameter takes, as a test-command answer lists them
    /// (fields of `test: true` messages only).
    Ranges,
    /// One unquoted field that is not an integer (SIMCom `+CLIENT:`'s
    /// `<client_IP>:<port>`, `10.0.0.2:5000`): no comma or quote, no blank
    /// at either end.
    Token,
    /// A quoted field whose content is as many bytes as the earlier
    /// integer field `len` of the same message says, whatever they are
    /// (`"`, commas, CR, LF): u-blox `+USORD: <socket>,<length>,"<data>"`
    /// is `Counted(len: "length")`. Message fields only.
    Counted {
        /// The name of the count field.
        len: String,
    },
}

/// A literal value, for defaults.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Literal {
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
}

/// A parameter of a command form, a field of a message, or a value of an
/// option.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// The source's name, without angle brackets (`"opt num"`).
    pub name: String,
    /// Rust field name; derived from `name` when absent.
    #[serde(default)]
    pub rust: Option<String>,
    /// Its type.
    pub ty: Type,
    /// Whether it may be left out (at the end) or left empty (in the middle).
    #[serde(default)]
    pub optional: bool,
    /// The value used when it is left out.
    #[serde(default)]
    pub default: Option<Literal>,
    /// What it means.
    #[serde(default)]
    pub doc: String,
    /// Source section, when it differs from the enclosing item's.
    #[serde(default)]
    pub section: Option<String>,
    /// Left out, its field is still written, empty: the manual's
    /// `AT+CIPSEND=<link_num>,[<length>]` is sent `AT+CIPSEND=0,`. Without
    /// it a trailing parameter left out is not written at all. Only for an
    /// optional parameter without a default.
    #[serde(default, skip_serializing_if = "is_false")]
    pub keep_empty: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A repeated trailing group of values (`[,<header list>[…]]`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rest {
    /// The source's name for the list.
    pub name: String,
    /// Rust field name; derived from `name` when absent.
    #[serde(default)]
    pub rust: Option<String>,
    /// Type of each item.
    pub ty: Type,
    /// Items come in groups of this many (2 for name/value pairs).
    #[serde(default = "one")]
    pub group: u32,
    /// Maximum number of groups; unbounded when absent.
    #[serde(default)]
    pub max_groups: Option<u32>,
    /// What the items mean.
    #[serde(default)]
    pub doc: String,
}

fn one() -> u32 {
    1
}

/// A condition on the integer value of a named parameter or field, or,
/// with `given`, on whether it is given at all.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Select {
    /// The parameter's name.
    pub param: String,
    /// The values that satisfy the condition (integers, or strings for a
    /// string parameter); empty with `given`.
    #[serde(default)]
    pub values: Vec<Coded>,
    /// A presence test instead of values: `given: true` holds when the
    /// parameter is in the line, `given: false` when it is left out or
    /// left empty (`AT+X=0,`); a default does not count as given.
    #[serde(default)]
    pub given: Option<bool>,
}

/// What a command form leads to when its conditions hold.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Conditions on the form's parameters; all must hold.
    #[serde(default)]
    pub when: Vec<Select>,
    /// The data mode entered.
    pub data: DataMode,
    /// The meaning of a lone ETX, for [`DataMode::Continuous`].
    #[serde(default)]
    pub etx: Option<EtxMeaning>,
    /// The session only carries data from the host to the modem (an
    /// upload): the modem sends no payload, so a final result code it
    /// sends in the session is the modem leaving data mode by itself (a
    /// file cut at its declared size, 6.1.9), not data. For
    /// [`DataMode::Continuous`] and [`DataMode::Transparent`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub upload: bool,
    /// Source section.
    pub section: String,
}

/// A rule across the parameters of a form (or the values of an option).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub enum Rule {
    /// `greater` must be at least `lesser`.
    Order {
        /// The parameter that must not be larger.
        lesser: String,
        /// The parameter that must not be smaller.
        greater: String,
        /// Source section.
        section: String,
    },
    /// All or none of these parameters are given.
    Together {
        /// The parameters.
        params: Vec<String>,
        /// Source section.
        section: String,
    },
    /// At least one of these parameters is given.
    AnyOf {
        /// The parameters.
        params: Vec<String>,
        /// Source section.
        section: String,
    },
    /// When the conditions hold, these parameters must be given.
    Require {
        /// Conditions; all must hold.
        when: Vec<Select>,
        /// The parameters required.
        params: Vec<String>,
        /// Source section.
        section: String,
    },
    /// When the conditions hold, these parameters must not be given.
    Forbid {
        /// Conditions; all must hold.
        when: Vec<Select>,
        /// The parameters forbidden.
        params: Vec<String>,
        /// Source section.
        section: String,
    },
    /// The combination is not allowed at all.
    Reject {
        /// Conditions; all must hold.
        when: Vec<Select>,
        /// Why.
        reason: String,
        /// Source section.
        section: String,
    },
    /// When the conditions hold, an integer parameter has a narrower range.
    Range {
        /// Conditions; all must hold.
        when: Vec<Select>,
        /// The parameter.
        param: String,
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
        /// Source section.
        section: String,
    },
    /// A format the value must have (when the conditions hold), stated by
    /// the source in prose rather than in a range column: a URL's scheme,
    /// a code's number of digits.
    Format {
        /// Conditions; all must hold. None: always.
        #[serde(default)]
        when: Vec<Select>,
        /// The parameter.
        param: String,
        /// The format.
        format: Format,
        /// Source section.
        section: String,
    },
}

/// The shape of a value beyond its type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub enum Format {
    /// A string matching a pattern: `#` one or more digits, `#{lo-hi}`
    /// digits whose value lies in `lo..=hi`, `*` one or more characters,
    /// anything else itself (letters in either case): `Pattern("http://*")`,
    /// `Pattern("#{1-12}/#{1-31}/#")`.
    Pattern(String),
    /// Only digits, `min..=max` of them (a string, or an integer's decimal
    /// digits): `Digits(min: 3, max: 3)`.
    Digits {
        /// Fewest digits.
        min: u32,
        /// Most digits.
        max: u32,
    },
}

/// How option values are typed by an option table: the option number is
/// one parameter, the values follow it, and an optional key parameter
/// (a protocol, say) picks the table.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptionBinding {
    /// The parameter holding the option number.
    pub id_param: String,
    /// The parameter whose value picks the table, if several.
    #[serde(default)]
    pub key_param: Option<String>,
    /// Which table for which key values.
    pub tables: Vec<TableRef>,
    /// Whether the form reads or writes the option; the values that follow
    /// the option number are the option's read or write values.
    pub access: Access,
}

/// A table chosen by key values.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableRef {
    /// Key values; empty when the binding has no key parameter.
    #[serde(default)]
    pub keys: Vec<i64>,
    /// The option table's id.
    pub table: String,
}

/// The access of an option: the same for every key, or one per key value.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub enum AccessSpec {
    /// The same for every key.
    All(Access),
    /// Per key value (for a table shared by several protocols); keys not
    /// listed have no access.
    PerKey(BTreeMap<i64, Access>),
}

/// A table of numbered options.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptionTable {
    /// Identifier used by [`TableRef`].
    pub id: String,
    /// Rust type name prefix; derived from `id` when absent.
    #[serde(default)]
    pub rust: Option<String>,
    /// Title.
    pub title: String,
    /// Source section.
    pub section: String,
    /// The options.
    pub options: Vec<Opt>,
    /// Limits on what the values written to several options of one socket
    /// or session add up to.
    #[serde(default)]
    pub totals: Vec<Total>,
}

/// A limit on what the values written to several options of one socket or
/// session add up to, stated by the source in prose: a count of values, or
/// the length of the list the modem keeps, with the text it adds to each
/// value. At least one of `max_count` and `max_len`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Total {
    /// Numbers of the options whose written values count together.
    pub options: Vec<i64>,
    /// Most values written in all.
    #[serde(default)]
    pub max_count: Option<u32>,
    /// Most characters in the list: every value, its option's suffix, and
    /// `separator` between two values.
    #[serde(default)]
    pub max_len: Option<u32>,
    /// Text the modem appends to each value of an option (`{81: "/TYPE=PLMN"}`).
    #[serde(default)]
    pub suffixes: BTreeMap<i64, String>,
    /// What the modem puts between two values of the list.
    #[serde(default)]
    pub separator: String,
    /// Source section.
    pub section: String,
}

/// One numbered option.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Opt {
    /// The option number.
    pub id: i64,
    /// The source's symbolic name (`"WIP_NET_OPT_IP_TTL"`).
    pub name: String,
    /// Rust variant name; derived from `name` when absent.
    #[serde(default)]
    pub rust: Option<String>,
    /// What it does.
    #[serde(default)]
    pub doc: String,
    /// Source section, when it differs from the table's.
    #[serde(default)]
    pub section: Option<String>,
    /// The values written (and read, unless `read` says otherwise).
    #[serde(default)]
    pub values: Vec<Param>,
    /// A repeated group after `values`.
    #[serde(default)]
    pub rest: Option<Rest>,
    /// The values read, when they differ from those written.
    #[serde(default)]
    pub read: Option<Vec<Param>>,
    /// Reading may answer several lines, one value each.
    #[serde(default)]
    pub read_repeats: bool,
    /// Reading is always answered with this error code (an option the
    /// table lists but the modem does not implement).
    #[serde(default)]
    pub read_error: Option<u32>,
    /// Rules across the values.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Who may read or write it.
    pub access: AccessSpec,
}

/// A command and all its forms.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    /// The command name as sent after `AT` (`"+WIPCFG"`).
    pub name: String,
    /// Rust type name prefix; derived from `name` when absent.
    #[serde(default)]
    pub rust: Option<String>,
    /// Title from the source.
    pub title: String,
    /// Source section.
    pub section: String,
    /// Description.
    #[serde(default)]
    pub doc: String,
    /// How long a host waits for the final result code, in milliseconds.
    pub timeout_ms: u32,
    /// Where the timeout comes from, when not from the source.
    #[serde(default)]
    pub timeout_doc: String,
    /// Error codes the command may answer.
    #[serde(default)]
    pub errors: Vec<u32>,
    /// Source section of the error list.
    #[serde(default)]
    pub errors_section: Option<String>,
    /// The forms: one per action discriminator value set, plus read and test.
    pub forms: Vec<Form>,
    /// The error table `errors` names codes of; the `cme` table (or the
    /// spec's `errors`) when absent.
    #[serde(default)]
    pub errors_table: Option<String>,
    /// `errors` is the complete list: `wip verify` reports any other code
    /// of its table in a final result of this command (but those of
    /// `also_errors`).
    #[serde(default)]
    pub errors_complete: bool,
    /// Codes of the same table the command may answer beyond `errors` (the
    /// list of its section): the general codes its section does not list,
    /// and those an erratum adds. Named apart so that `errors` stays the
    /// source's list.
    #[serde(default)]
    pub also_errors: Vec<u32>,
    /// The timeout taken from a parameter, in the forms that have it
    /// (`timeout_ms` in the others).
    #[serde(default)]
    pub timeout_from: Option<TimeoutFrom>,
}

/// A timeout taken from a parameter (written `TimeoutFrom(...)`): `value *
/// scale_ms + plus_ms` milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimeoutFrom {
    /// The integer parameter that holds it.
    pub param: String,
    /// Milliseconds per unit of the parameter (1000 when it is in seconds).
    #[serde(default = "one_u32")]
    pub scale_ms: u32,
    /// Milliseconds added: the time the modem takes beyond it.
    #[serde(default)]
    pub plus_ms: u32,
}

fn one_u32() -> u32 {
    1
}

/// The URC that brings a command's real outcome after its final result
/// code (written `Completion(...)`): `OK` now, `+CIPOPEN: <link>,<err>`
/// when the connection is up.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Completion {
    /// The id of the URC's message.
    pub message: String,
    /// Parameters the URC repeats in fields of the same name: the URC of
    /// this request, not of another one.
    #[serde(default)]
    pub echo: Vec<String>,
    /// Conditions on the form's parameters; it completes only when they
    /// hold.
    #[serde(default)]
    pub when: Vec<Select>,
    /// How long a host waits for it after the final result code.
    pub timeout_ms: u32,
    /// The wait taken from a parameter of the form instead.
    #[serde(default)]
    pub timeout_from: Option<TimeoutFrom>,
    /// Where the wait comes from, when not from the source.
    #[serde(default)]
    pub timeout_doc: String,
    /// Whether it may also come before the final result code.
    #[serde(default)]
    pub before_final: bool,
    /// Conditions on the URC's fields that mean success (`err` = 0).
    #[serde(default)]
    pub success: Vec<Select>,
    /// Source section.
    pub section: String,
    /// It does not come when the host aborted the payload after the
    /// prompt (the form's payload has an `abort` byte): SIMCom
    /// `+CIPSEND` cancelled with ESC sends nothing and reports nothing.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unless_aborted: bool,
}

/// One syntax of a command.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Which syntax.
    pub kind: FormKind,
    /// Name of the form, unique in its command (`"Start"`); the Rust type
    /// is the command's name followed by it.
    pub name: String,
    /// Source section.
    pub section: String,
    /// Description.
    #[serde(default)]
    pub doc: String,
    /// Discriminators: values of leading parameters that select this form
    /// among the command's action forms.
    #[serde(default)]
    pub select: Vec<Select>,
    /// The parameters, in order.
    #[serde(default)]
    pub params: Vec<Param>,
    /// A repeated trailing group.
    #[serde(default)]
    pub rest: Option<Rest>,
    /// Option values that follow the parameters, typed by an option table.
    #[serde(default)]
    pub options: Option<OptionBinding>,
    /// Rules across parameters.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Ids of the information responses it may return before its final
    /// result code.
    #[serde(default)]
    pub responses: Vec<String>,
    /// Ids of the unsolicited result codes it may lead to later.
    #[serde(default)]
    pub urcs: Vec<String>,
    /// Parameters its information responses repeat: a response field of
    /// the same name must carry the value the command gave
    /// (`AT+WIPBR=3,6,11` is answered by `+WIPBR: 6,11,...`).
    #[serde(default)]
    pub echo: Vec<String>,
    /// Data modes it may open; none means it ends with a plain final
    /// result code.
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
    /// The final result codes it may end with: built-in ones by name
    /// (`"OK"`, `"ERROR"`, `"+CME ERROR"`, `"+CMS ERROR"`, `"CONNECT"`,
    /// `"NO CARRIER"`, `"BUSY"`, `"NO ANSWER"`, `"NO DIALTONE"`) and the
    /// spec's `finals` by their text. Empty: any final result code.
    #[serde(default)]
    pub finals: Vec<String>,
    /// The URC that completes it after its final result code.
    #[serde(default)]
    pub completion: Option<Completion>,
    /// The prompt the modem answers its line with, and the raw payload the
    /// host writes after it (27.005 `+CMGS`: `\r\n> `, then text ended by
    /// Ctrl-Z); none means no prompt.
    #[serde(default)]
    pub prompt: Option<Prompt>,
}

/// A prompt and the payload the host writes after it (written
/// `Prompt(...)` in a spec).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    /// The prompt as the modem sends it (`"\r\n> "`, `"@"`, `">"`); it is
    /// matched at a line start without its leading CR LF and trailing
    /// blanks.
    pub text: String,
    /// The modem prompts again after each of these bytes the host writes
    /// (27.005: 0x0D).
    #[serde(default)]
    pub again_after: Option<u8>,
    /// How long the host waits after the prompt before writing, in
    /// milliseconds.
    #[serde(default)]
    pub delay_ms: u32,
    /// How the payload is delimited: the first entry whose `when` holds
    /// applies.
    pub payload: Vec<Payload>,
    /// Source section, when it differs from the form's.
    #[serde(default)]
    pub section: Option<String>,
    /// What the prompt and payload are.
    #[serde(default)]
    pub doc: String,
}

/// How a payload is delimited (written `Payload(...)` in a spec): by a
/// count parameter (`count`) or by a terminator byte (`end`, with an
/// optional `abort` and `escape` byte).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// Conditions on the form's parameters; all must hold. Empty: always.
    #[serde(default)]
    pub when: Vec<Select>,
    /// The integer parameter that holds the byte count.
    #[serde(default)]
    pub count: Option<String>,
    /// The byte that ends the payload (Ctrl-Z: 0x1A).
    #[serde(default)]
    pub end: Option<u8>,
    /// The byte that aborts the payload (ESC: 0x1B).
    #[serde(default)]
    pub abort: Option<u8>,
    /// The byte that makes the next byte data (SIMCom: ETX, 0x03).
    #[serde(default)]
    pub escape: Option<u8>,
    /// With `end` only: the most data bytes the payload may hold (its
    /// terminator and escape bytes not counted; Quectel `AT+QISEND=<id>`:
    /// 1460).
    #[serde(default)]
    pub max_len: Option<u32>,
    /// After a message only: the payload is exactly the next line.
    #[serde(default)]
    pub line: bool,
}

/// A line the modem sends: an information response or a URC.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Identifier, used by forms; also the Rust type name.
    pub id: String,
    /// The prefix before `: ` (`"+WIPBR"`); none for a bare line.
    #[serde(default)]
    pub prefix: Option<String>,
    /// Response, URC or both.
    pub kind: MessageKind,
    /// Source section.
    pub section: String,
    /// Description.
    #[serde(default)]
    pub doc: String,
    /// Field values that tell this message from others with its prefix
    /// and arity.
    #[serde(default)]
    pub select: Vec<Select>,
    /// The fields, in order.
    #[serde(default)]
    pub fields: Vec<Param>,
    /// A repeated trailing group.
    #[serde(default)]
    pub rest: Option<Rest>,
    /// Option values after the fields, typed by an option table.
    #[serde(default)]
    pub options: Option<OptionBinding>,
    /// Rules across fields.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Raw data the modem sends right after the line: `Payload(count:
    /// "<field>")` (that many bytes, then CR LF) or `Payload(line: true)`
    /// (exactly the next line, even empty or reading `OK`).
    #[serde(default)]
    pub payload: Option<Payload>,
    /// An answer to a test command (`AT+X=?` → `+X: (0-6),(0-1)`), listed
    /// by the command's Test form: matched only while that form is in
    /// flight, never as a read answer or a URC of the same prefix.
    #[serde(default)]
    pub test: bool,
    /// The one integer field follows the prefix at once, with no colon or
    /// blank: SIMCom `+IPD<len>` (`+IPD5`) is `prefix: "+IPD", glued:
    /// true` with one `Int` field.
    #[serde(default)]
    pub glued: bool,
}

/// How error codes reach the host (written `ErrorReport(...)` in a spec).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorReport {
    /// The line that carries a code, `<code>` standing for the number:
    /// `"+CME ERROR: <code>"`.
    pub line: String,
    /// The command line that turns the report on, when one must be sent
    /// first: `"AT+CMEE=1"`.
    #[serde(default)]
    pub enabled_by: Option<String>,
}

/// One error code (written `Error(...)` in a spec).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename = "Error")]
pub struct ErrorCode {
    /// The number the error line carries (after `+CME ERROR: `).
    pub code: u32,
    /// The source's text.
    pub text: String,
    /// Rust variant name; derived from `text` when absent.
    #[serde(default)]
    pub rust: Option<String>,
    /// Source section.
    pub section: String,
    /// Which table of the source it comes from (`"general"`, `"gprs"`).
    #[serde(default)]
    pub group: String,
}

/// A range of codes reserved for future use.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReservedErrors {
    /// First reserved code.
    pub from: u32,
    /// Last reserved code.
    pub to: u32,
    /// Source section.
    pub section: String,
}

/// A numeric limit.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// Identifier (`"udp_sockets"`).
    pub id: String,
    /// The number.
    pub value: i64,
    /// Its unit (`"sockets"`, `"bytes"`, `"ms"`).
    pub unit: String,
    /// What it limits.
    pub doc: String,
    /// Source section.
    pub section: String,
}

/// A contradiction in the source and the decision the spec took.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    /// Identifier (`"E01"`).
    pub id: String,
    /// The sections involved.
    pub sections: Vec<String>,
    /// The commands or messages it concerns (`"+WIPCREATE"`).
    #[serde(default)]
    pub items: Vec<String>,
    /// What the source says, and where it disagrees with itself.
    pub issue: String,
    /// What the spec decided, and why.
    pub decision: String,
}
