//! The checked IR: a spec with every reference resolved, every Rust
//! identifier decided and every collection in a deterministic order.
//!
//! Built only by [`crate::check`]; everything downstream (Rust emission,
//! Markdown, diffs, the transcript verifier) reads this and never the raw
//! [`crate::model`].

pub use crate::model::{
    Access, AccessSpec, DataMode, ErrorReport, EtxMeaning, FormKind, Literal, MessageKind,
};

/// A checked spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// Name of the command set.
    pub name: String,
    /// Software version.
    pub version: String,
    /// Revision of the source document.
    pub revision: String,
    /// The source document.
    pub source: String,
    /// Free text.
    pub doc: String,
    /// Command names starting with this belong to the spec.
    pub command_prefix: String,
    /// Value sets, sorted by id.
    pub value_sets: Vec<ValueSet>,
    /// Option tables, sorted by id.
    pub option_tables: Vec<OptionTable>,
    /// Commands, in the spec's order.
    pub commands: Vec<Command>,
    /// Messages, in the spec's order.
    pub messages: Vec<Message>,
    /// How error codes are reported, when the spec says.
    pub error_report: Option<ErrorReport>,
    /// Error codes, sorted by code.
    pub errors: Vec<ErrorCode>,
    /// Reserved error ranges, sorted.
    pub reserved_errors: Vec<(u32, u32, String)>,
    /// Limits, in the spec's order.
    pub limits: Vec<Limit>,
    /// Errata, in the spec's order.
    pub errata: Vec<Erratum>,
}

/// A set of coded values.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueSet {
    /// Identifier.
    pub id: String,
    /// Rust type name.
    pub rust: String,
    /// Description.
    pub doc: String,
    /// Source section.
    pub section: String,
    /// Values, sorted by value.
    pub values: Vec<Value>,
}

/// A coded value.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// Number on the wire.
    pub value: i64,
    /// The source's name.
    pub name: String,
    /// Rust variant name.
    pub rust: String,
    /// Description.
    pub doc: String,
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Integer in `min..=max`.
    Int {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// Coded value of a set; `allowed` lists the values allowed here,
    /// sorted (all of the set's when not restricted).
    Enum {
        /// Value set id.
        set: String,
        /// Allowed values.
        allowed: Vec<i64>,
    },
    /// Quoted string.
    Str {
        /// Maximum length in characters.
        max_len: Option<u32>,
    },
    /// Quoted host name or IPv4 address.
    Host {
        /// Maximum length in characters.
        max_len: Option<u32>,
    },
    /// Quoted dotted IPv4 address.
    Ip,
    /// Quoted hex dump.
    Hex {
        /// Maximum bytes.
        max_bytes: u32,
    },
    /// Free text to the end of the line.
    Text,
}

impl Ty {
    /// Whether values of this type are integers on the wire.
    pub fn is_integer(&self) -> bool {
        matches!(self, Ty::Int { .. } | Ty::Enum { .. })
    }
}

/// A parameter, field or option value.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The source's name.
    pub name: String,
    /// Rust field name.
    pub rust: String,
    /// Type.
    pub ty: Ty,
    /// May be left out or left empty.
    pub optional: bool,
    /// Value used when left out.
    pub default: Option<Literal>,
    /// Description.
    pub doc: String,
    /// Source section, when it differs from the enclosing item's.
    pub section: Option<String>,
}

/// A repeated trailing group.
#[derive(Debug, Clone, PartialEq)]
pub struct Rest {
    /// The source's name.
    pub name: String,
    /// Rust field name.
    pub rust: String,
    /// Type of each item.
    pub ty: Ty,
    /// Items per group.
    pub group: u32,
    /// Maximum groups.
    pub max_groups: Option<u32>,
    /// Description.
    pub doc: String,
}

/// A condition on the value of the parameter at index `param`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cond {
    /// Index of the parameter in its list.
    pub param: usize,
    /// Values that satisfy it, sorted.
    pub values: Vec<i64>,
}

/// A resolved rule; parameters are indexes into the enclosing list.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `params[greater] >= params[lesser]`.
    Order {
        /// Index of the smaller one.
        lesser: usize,
        /// Index of the larger one.
        greater: usize,
        /// Source section.
        section: String,
    },
    /// All or none present.
    Together {
        /// Indexes.
        params: Vec<usize>,
        /// Source section.
        section: String,
    },
    /// At least one present.
    AnyOf {
        /// Indexes.
        params: Vec<usize>,
        /// Source section.
        section: String,
    },
    /// Present when the conditions hold.
    Require {
        /// Conditions.
        when: Vec<Cond>,
        /// Indexes.
        params: Vec<usize>,
        /// Source section.
        section: String,
    },
    /// Absent when the conditions hold.
    Forbid {
        /// Conditions.
        when: Vec<Cond>,
        /// Indexes.
        params: Vec<usize>,
        /// Source section.
        section: String,
    },
    /// Not allowed when the conditions hold.
    Reject {
        /// Conditions.
        when: Vec<Cond>,
        /// Why.
        reason: String,
        /// Source section.
        section: String,
    },
    /// Narrower range when the conditions hold.
    Range {
        /// Conditions.
        when: Vec<Cond>,
        /// Index.
        param: usize,
        /// Smallest.
        min: i64,
        /// Largest.
        max: i64,
        /// Source section.
        section: String,
    },
}

/// Option values typed by tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// Index of the option number parameter.
    pub id_param: usize,
    /// Index of the key parameter.
    pub key_param: Option<usize>,
    /// (key values, table id), keys sorted; keys empty without a key param.
    pub tables: Vec<(Vec<i64>, String)>,
    /// Read or write.
    pub access: Access,
}

impl Binding {
    /// The table for a key value (or the only table, without a key).
    pub fn table_for(&self, key: Option<i64>) -> Option<&str> {
        match key {
            None => self.tables.first().map(|(_, t)| t.as_str()),
            Some(k) => self
                .tables
                .iter()
                .find(|(keys, _)| keys.contains(&k))
                .map(|(_, t)| t.as_str()),
        }
    }
}

/// A data-mode outcome of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Conditions.
    pub when: Vec<Cond>,
    /// Data mode.
    pub data: DataMode,
    /// Meaning of a lone ETX.
    pub etx: Option<EtxMeaning>,
    /// Source section.
    pub section: String,
}

/// An option table.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionTable {
    /// Identifier.
    pub id: String,
    /// Rust type name.
    pub rust: String,
    /// Title.
    pub title: String,
    /// Source section.
    pub section: String,
    /// Options sorted by number.
    pub options: Vec<Opt>,
}

impl OptionTable {
    /// The option with this number.
    pub fn option(&self, id: i64) -> Option<&Opt> {
        self.options.iter().find(|o| o.id == id)
    }
}

/// An option.
#[derive(Debug, Clone, PartialEq)]
pub struct Opt {
    /// Number.
    pub id: i64,
    /// Symbolic name.
    pub name: String,
    /// Rust variant name.
    pub rust: String,
    /// Description.
    pub doc: String,
    /// Source section.
    pub section: String,
    /// Values written.
    pub values: Vec<Param>,
    /// Repeated group after the values written.
    pub rest: Option<Rest>,
    /// Values read (the written ones unless the spec says otherwise).
    pub read: Vec<Param>,
    /// Repeated group after the values read.
    pub read_rest: Option<Rest>,
    /// Reading answers several lines.
    pub read_repeats: bool,
    /// Rules across the values written.
    pub rules: Vec<Rule>,
    /// Access.
    pub access: AccessSpec,
}

impl Opt {
    /// The access for a key value (or for every key).
    pub fn access_for(&self, key: Option<i64>) -> Access {
        match (&self.access, key) {
            (AccessSpec::All(a), _) => *a,
            (AccessSpec::PerKey(m), Some(k)) => m.get(&k).copied().unwrap_or(Access::None),
            (AccessSpec::PerKey(_), None) => Access::None,
        }
    }
}

/// Whether `have` grants what `want` asks (`RW` grants both).
pub fn grants(have: Access, want: Access) -> bool {
    match want {
        Access::R => matches!(have, Access::R | Access::RW),
        Access::W => matches!(have, Access::W | Access::RW),
        Access::RW => have == Access::RW,
        Access::None => true,
    }
}

/// A command.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// Name after `AT`.
    pub name: String,
    /// Rust name prefix.
    pub rust: String,
    /// Title.
    pub title: String,
    /// Source section.
    pub section: String,
    /// Description.
    pub doc: String,
    /// Timeout in milliseconds.
    pub timeout_ms: u32,
    /// Where the timeout comes from.
    pub timeout_doc: String,
    /// Error codes, sorted.
    pub errors: Vec<u32>,
    /// Source section of the errors.
    pub errors_section: Option<String>,
    /// Forms, in the spec's order.
    pub forms: Vec<Form>,
}

impl Command {
    /// The action forms.
    pub fn action_forms(&self) -> impl Iterator<Item = &Form> {
        self.forms.iter().filter(|f| f.kind == FormKind::Action)
    }

    /// The form of a non-action kind.
    pub fn form_of_kind(&self, kind: FormKind) -> Option<&Form> {
        self.forms.iter().find(|f| f.kind == kind)
    }
}

/// A form of a command.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// Kind.
    pub kind: FormKind,
    /// Name in its command.
    pub name: String,
    /// Rust type name (command prefix + form name).
    pub rust: String,
    /// Source section.
    pub section: String,
    /// Description.
    pub doc: String,
    /// Discriminators.
    pub select: Vec<Cond>,
    /// Parameters.
    pub params: Vec<Param>,
    /// Repeated trailing group.
    pub rest: Option<Rest>,
    /// Option values after the parameters.
    pub options: Option<Binding>,
    /// Rules.
    pub rules: Vec<Rule>,
    /// Information responses (message ids).
    pub responses: Vec<String>,
    /// URCs it may lead to (message ids).
    pub urcs: Vec<String>,
    /// Indexes of the parameters its responses repeat.
    pub echo: Vec<usize>,
    /// Data-mode outcomes, first match wins.
    pub outcomes: Vec<Outcome>,
}

/// A message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Identifier (also the Rust type name).
    pub id: String,
    /// Prefix.
    pub prefix: Option<String>,
    /// Kind.
    pub kind: MessageKind,
    /// Source section.
    pub section: String,
    /// Description.
    pub doc: String,
    /// Discriminators among messages with the same prefix.
    pub select: Vec<Cond>,
    /// Fields.
    pub fields: Vec<Param>,
    /// Repeated trailing group.
    pub rest: Option<Rest>,
    /// Option values after the fields.
    pub options: Option<Binding>,
    /// Rules.
    pub rules: Vec<Rule>,
}

impl Message {
    /// Whether the message may be sent unsolicited.
    pub fn is_urc(&self) -> bool {
        matches!(self.kind, MessageKind::Urc | MessageKind::Both)
    }
}

/// An error code.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCode {
    /// Code.
    pub code: u32,
    /// Text.
    pub text: String,
    /// Rust variant name.
    pub rust: String,
    /// Source section.
    pub section: String,
    /// Group.
    pub group: String,
}

/// A limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// Identifier.
    pub id: String,
    /// Value.
    pub value: i64,
    /// Unit.
    pub unit: String,
    /// Description.
    pub doc: String,
    /// Source section.
    pub section: String,
}

/// An erratum.
#[derive(Debug, Clone, PartialEq)]
pub struct Erratum {
    /// Identifier.
    pub id: String,
    /// Sections.
    pub sections: Vec<String>,
    /// Items concerned.
    pub items: Vec<String>,
    /// The contradiction.
    pub issue: String,
    /// The decision.
    pub decision: String,
}

impl Spec {
    /// The command of this name, compared without case.
    pub fn command(&self, name: &str) -> Option<&Command> {
        self.commands
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The message with this id.
    pub fn message(&self, id: &str) -> Option<&Message> {
        self.messages.iter().find(|m| m.id == id)
    }

    /// The value set with this id.
    pub fn value_set(&self, id: &str) -> Option<&ValueSet> {
        self.value_sets.iter().find(|v| v.id == id)
    }

    /// The option table with this id.
    pub fn option_table(&self, id: &str) -> Option<&OptionTable> {
        self.option_tables.iter().find(|t| t.id == id)
    }

    /// The error code.
    pub fn error(&self, code: u32) -> Option<&ErrorCode> {
        self.errors.iter().find(|e| e.code == code)
    }

    /// The limit with this id.
    pub fn limit(&self, id: &str) -> Option<&Limit> {
        self.limits.iter().find(|l| l.id == id)
    }

    /// The name of a coded value, `"1 (UDP)"` style, for messages.
    pub fn describe_value(&self, set: &str, value: i64) -> String {
        match self
            .value_set(set)
            .and_then(|s| s.values.iter().find(|v| v.value == value))
        {
            Some(v) => format!("{value} ({})", v.name),
            None => value.to_string(),
        }
    }
}
