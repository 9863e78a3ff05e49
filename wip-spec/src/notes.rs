//! The notes kept beside the description of a command set: what the
//! manual says about each item (documentation text, sections, titles) and
//! what the Rust emitter names it, keyed by the same ids as
//! [`wip_schema::Dialect`] (indices into its commands, forms, parameters,
//! messages, option tables, options, value sets and error codes).
//!
//! The notes hold nothing the description holds: a parameter's name, type
//! and default are in the [`wip_schema::Param`], its Rust name, text and
//! section in its [`ParamNotes`] at the same index. [`Spec`] bundles the
//! two, and its views ([`Noted`]) pair each item with its notes, so that
//! `wip doc`, `wip diff` and the emitters read one value.

use crate::model::{Erratum, ErrorReport, Limit};
use std::ops::Deref;
use wip_schema as s;

/// A checked spec: the run-time description and the notes beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The description every run-time tool reads.
    pub dialect: s::Dialect,
    /// What the description lacks: texts, sections, Rust names, metadata.
    pub notes: Notes,
}

/// The notes of a whole command set; every list has the length and order
/// of the matching list of the [`s::Dialect`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Notes {
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
    /// Notes of [`s::Dialect::value_sets`].
    pub value_sets: Vec<ValueSetNotes>,
    /// Notes of [`s::Dialect::tables`].
    pub tables: Vec<TableNotes>,
    /// Notes of [`s::Dialect::commands`].
    pub commands: Vec<CommandNotes>,
    /// Notes of [`s::Dialect::messages`].
    pub messages: Vec<MessageNotes>,
    /// Notes of [`s::Dialect::errors`].
    pub errors: Vec<ErrorNotes>,
    /// How error codes are reported, when the spec says.
    pub error_report: Option<ErrorReport>,
    /// Reserved error ranges (first, last, section), sorted.
    pub reserved_errors: Vec<(u32, u32, String)>,
    /// Limits, in the spec's order.
    pub limits: Vec<Limit>,
    /// Errata, in the spec's order.
    pub errata: Vec<Erratum>,
    /// Notes of [`s::Dialect::finals`].
    pub finals: Vec<FinalNotes>,
    /// The files the spec was assembled from and where each included item
    /// came from.
    pub origins: crate::include::Origins,
    /// Notes of [`s::Dialect::error_tables`].
    pub error_tables: Vec<ErrorTableNotes>,
}

/// Notes of a named error table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorTableNotes {
    /// The line that carries a code (`"+CMS ERROR: <code>"`), if any.
    pub line: Option<String>,
    /// The command line that turns the report on.
    pub enabled_by: Option<String>,
    /// Source section.
    pub section: String,
    /// Source section of each code, in the table's order.
    pub sections: Vec<String>,
    /// The command after which the line carries texts (`"AT+CMEE=2"`).
    pub verbose_by: Option<String>,
}

/// Notes of a declared final result code.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FinalNotes {
    /// Rust name (a constant in `SCREAMING_CASE` is derived from it).
    pub rust: String,
    /// Description.
    pub doc: String,
    /// Source section.
    pub section: String,
    /// Notes of the fields.
    pub fields: Vec<ParamNotes>,
}

/// Notes of a value set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValueSetNotes {
    /// Rust type name.
    pub rust: String,
    /// Description.
    pub doc: String,
    /// Source section.
    pub section: String,
    /// Notes of its values, in the set's order (its integers, or its
    /// strings for a set of strings).
    pub values: Vec<ValueNotes>,
}

/// Notes of a coded value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValueNotes {
    /// Rust variant name.
    pub rust: String,
    /// Description.
    pub doc: String,
}

/// Notes of a parameter, field or option value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParamNotes {
    /// Rust field name.
    pub rust: String,
    /// Description.
    pub doc: String,
    /// Source section, when it differs from the enclosing item's.
    pub section: Option<String>,
}

/// Notes of a repeated trailing group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RestNotes {
    /// Rust field name.
    pub rust: String,
    /// Description.
    pub doc: String,
}

/// Notes of an option table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableNotes {
    /// Rust type name.
    pub rust: String,
    /// Title.
    pub title: String,
    /// Source section.
    pub section: String,
    /// Notes of its options, in the table's order.
    pub options: Vec<OptNotes>,
    /// Source sections of its totals, in order.
    pub totals: Vec<String>,
}

/// Notes of an option.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptNotes {
    /// Rust variant name.
    pub rust: String,
    /// Description.
    pub doc: String,
    /// Source section.
    pub section: String,
    /// Notes of the values written.
    pub values: Vec<ParamNotes>,
    /// Notes of the group after the values written.
    pub rest: Option<RestNotes>,
    /// Notes of the values read.
    pub read: Vec<ParamNotes>,
    /// Notes of the group after the values read.
    pub read_rest: Option<RestNotes>,
    /// Source section of each rule.
    pub rules: Vec<String>,
}

/// Notes of a command.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommandNotes {
    /// Rust name prefix.
    pub rust: String,
    /// Title.
    pub title: String,
    /// Source section.
    pub section: String,
    /// Description.
    pub doc: String,
    /// Where the timeout comes from.
    pub timeout_doc: String,
    /// Source section of the error codes.
    pub errors_section: Option<String>,
    /// Notes of its forms.
    pub forms: Vec<FormNotes>,
}

/// Notes of a form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormNotes {
    /// Rust type name (command prefix + form name).
    pub rust: String,
    /// Source section.
    pub section: String,
    /// Description.
    pub doc: String,
    /// Notes of the parameters.
    pub params: Vec<ParamNotes>,
    /// Notes of the repeated group.
    pub rest: Option<RestNotes>,
    /// Source section of each rule.
    pub rules: Vec<String>,
    /// Source section of each data-mode outcome.
    pub outcomes: Vec<String>,
    /// Source section and timeout text of the completion, if any.
    pub completion: Option<(String, String)>,
    /// Notes of the prompt, when the form has one.
    pub prompt: Option<PromptNotes>,
}

/// Notes of a form's prompt.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PromptNotes {
    /// Source section.
    pub section: String,
    /// Description.
    pub doc: String,
}

/// Notes of a message (its Rust type name is its id).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MessageNotes {
    /// Source section.
    pub section: String,
    /// Description.
    pub doc: String,
    /// Notes of the fields.
    pub fields: Vec<ParamNotes>,
    /// Notes of the repeated group.
    pub rest: Option<RestNotes>,
    /// Source section of each rule.
    pub rules: Vec<String>,
}

/// Notes of an error code.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorNotes {
    /// Rust variant name.
    pub rust: String,
    /// Source section.
    pub section: String,
    /// Which table of the source it comes from.
    pub group: String,
}

/// An item of the description with its notes. It dereferences to the
/// item, so `p.ty` reads the description and `p.notes.rust` the notes.
#[derive(Debug)]
pub struct Noted<'a, T, N> {
    /// The item of the description.
    pub item: &'a T,
    /// Its notes.
    pub notes: &'a N,
}

impl<T, N> Clone for Noted<'_, T, N> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, N> Copy for Noted<'_, T, N> {}

impl<T, N> Deref for Noted<'_, T, N> {
    type Target = T;

    fn deref(&self) -> &T {
        self.item
    }
}

/// A command with its notes.
pub type CommandRef<'a> = Noted<'a, s::Command, CommandNotes>;
/// A form with its notes.
pub type FormRef<'a> = Noted<'a, s::Form, FormNotes>;
/// A message with its notes.
pub type MessageRef<'a> = Noted<'a, s::Message, MessageNotes>;
/// A parameter with its notes.
pub type ParamRef<'a> = Noted<'a, s::Param, ParamNotes>;
/// A repeated group with its notes.
pub type RestRef<'a> = Noted<'a, s::Rest, RestNotes>;
/// An option table with its notes.
pub type TableRef<'a> = Noted<'a, s::OptionTable, TableNotes>;
/// An option with its notes.
pub type OptRef<'a> = Noted<'a, s::Opt, OptNotes>;
/// A value set with its notes.
pub type ValueSetRef<'a> = Noted<'a, s::ValueSet, ValueSetNotes>;
/// An error code with its notes.
pub type ErrorRef<'a> = Noted<'a, s::ErrorCode, ErrorNotes>;

fn pair<'a, T, N>(item: &'a T, notes: &'a N) -> Noted<'a, T, N> {
    Noted { item, notes }
}

fn zip<'a, T, N>(items: &'a [T], notes: &'a [N]) -> Vec<Noted<'a, T, N>> {
    items.iter().zip(notes).map(|(i, n)| pair(i, n)).collect()
}

fn rest<'a>(r: &'a Option<s::Rest>, n: &'a Option<RestNotes>) -> Option<RestRef<'a>> {
    match (r, n) {
        (Some(r), Some(n)) => Some(pair(r, n)),
        _ => None,
    }
}

/// A parameter list with its notes.
pub fn params<'a>(ps: &'a [s::Param], notes: &'a [ParamNotes]) -> Vec<ParamRef<'a>> {
    zip(ps, notes)
}

impl Spec {
    /// The value sets, in the description's order.
    pub fn value_sets(&self) -> Vec<ValueSetRef<'_>> {
        zip(&self.dialect.value_sets, &self.notes.value_sets)
    }

    /// The value set at an index of [`s::Dialect::value_sets`].
    pub fn value_set(&self, i: usize) -> Option<ValueSetRef<'_>> {
        Some(pair(
            self.dialect.value_sets.get(i)?,
            self.notes.value_sets.get(i)?,
        ))
    }

    /// The option tables, in the description's order.
    pub fn tables(&self) -> Vec<TableRef<'_>> {
        zip(&self.dialect.tables, &self.notes.tables)
    }

    /// The option table at an index of [`s::Dialect::tables`].
    pub fn table(&self, i: usize) -> Option<TableRef<'_>> {
        Some(pair(self.dialect.tables.get(i)?, self.notes.tables.get(i)?))
    }

    /// The option table with this id.
    pub fn table_by_id(&self, id: &str) -> Option<TableRef<'_>> {
        self.tables().into_iter().find(|t| t.id == id)
    }

    /// The commands, in the spec's order.
    pub fn commands(&self) -> Vec<CommandRef<'_>> {
        zip(&self.dialect.commands, &self.notes.commands)
    }

    /// The command of this name, compared without case.
    pub fn command(&self, name: &str) -> Option<CommandRef<'_>> {
        self.commands()
            .into_iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The messages, in the spec's order.
    pub fn messages(&self) -> Vec<MessageRef<'_>> {
        zip(&self.dialect.messages, &self.notes.messages)
    }

    /// The message at an index of [`s::Dialect::messages`].
    pub fn message_at(&self, i: usize) -> Option<MessageRef<'_>> {
        Some(pair(
            self.dialect.messages.get(i)?,
            self.notes.messages.get(i)?,
        ))
    }

    /// The message with this id.
    pub fn message(&self, id: &str) -> Option<MessageRef<'_>> {
        self.messages().into_iter().find(|m| m.id == id)
    }

    /// The error codes, sorted by code.
    pub fn errors(&self) -> Vec<ErrorRef<'_>> {
        zip(&self.dialect.errors, &self.notes.errors)
    }

    /// The error code.
    pub fn error(&self, code: u32) -> Option<ErrorRef<'_>> {
        self.errors().into_iter().find(|e| e.code == code)
    }

    /// The limit with this id.
    pub fn limit(&self, id: &str) -> Option<&Limit> {
        self.notes.limits.iter().find(|l| l.id == id)
    }

    /// The id of the value set at an index (empty when out of range).
    pub fn set_id(&self, set: usize) -> &str {
        self.dialect.value_sets.get(set).map_or("", |v| &v.id)
    }

    /// The id of the option table at an index (empty when out of range).
    pub fn table_id(&self, table: usize) -> &str {
        self.dialect.tables.get(table).map_or("", |t| &t.id)
    }

    /// The id of the message at an index (empty when out of range).
    pub fn message_id(&self, m: usize) -> &str {
        self.dialect.messages.get(m).map_or("", |m| &m.id)
    }

    /// The name of a coded value, `"1 (UDP)"` style, for messages.
    pub fn describe_value(&self, set: usize, value: i64) -> String {
        match self
            .dialect
            .value_sets
            .get(set)
            .and_then(|s| s.values.iter().find(|(v, _)| *v == value))
        {
            Some((_, name)) => format!("{value} ({name})"),
            None => value.to_string(),
        }
    }
}

impl<'a> ValueSetRef<'a> {
    /// The values with their notes: (value, name, notes).
    pub fn values(&self) -> Vec<(i64, &'a str, &'a ValueNotes)> {
        let item: &'a s::ValueSet = self.item;
        item.values
            .iter()
            .zip(&self.notes.values)
            .map(|((v, name), n)| (*v, name.as_ref(), n))
            .collect()
    }

    /// The strings of a set of strings with their notes: (string, name,
    /// notes); empty for a set of integers.
    pub fn texts(&self) -> Vec<(&'a str, &'a str, &'a ValueNotes)> {
        let item: &'a s::ValueSet = self.item;
        item.texts
            .iter()
            .zip(self.notes.values.iter().skip(item.values.len()))
            .map(|((v, name), n)| (v.as_ref(), name.as_ref(), n))
            .collect()
    }
}

impl<'a> TableRef<'a> {
    /// The options, sorted by number.
    pub fn options(&self) -> Vec<OptRef<'a>> {
        let item: &'a s::OptionTable = self.item;
        zip(&item.options, &self.notes.options)
    }

    /// The option with this number.
    pub fn option(&self, id: i64) -> Option<OptRef<'a>> {
        self.options().into_iter().find(|o| o.id == id)
    }
}

impl<'a> OptRef<'a> {
    /// The values written.
    pub fn values(&self) -> Vec<ParamRef<'a>> {
        let item: &'a s::Opt = self.item;
        zip(&item.values, &self.notes.values)
    }

    /// The values read.
    pub fn read(&self) -> Vec<ParamRef<'a>> {
        let item: &'a s::Opt = self.item;
        zip(&item.read, &self.notes.read)
    }

    /// The group after the values written.
    pub fn rest(&self) -> Option<RestRef<'a>> {
        let item: &'a s::Opt = self.item;
        rest(&item.rest, &self.notes.rest)
    }

    /// The group after the values read.
    pub fn read_rest(&self) -> Option<RestRef<'a>> {
        let item: &'a s::Opt = self.item;
        rest(&item.read_rest, &self.notes.read_rest)
    }
}

impl<'a> CommandRef<'a> {
    /// The forms, in the spec's order.
    pub fn forms(&self) -> Vec<FormRef<'a>> {
        let item: &'a s::Command = self.item;
        zip(&item.forms, &self.notes.forms)
    }

    /// The action forms.
    pub fn action_forms(&self) -> Vec<FormRef<'a>> {
        self.forms()
            .into_iter()
            .filter(|f| f.kind == s::FormKind::Action)
            .collect()
    }

    /// The form of a non-action kind.
    pub fn form_of_kind(&self, kind: s::FormKind) -> Option<FormRef<'a>> {
        self.forms().into_iter().find(|f| f.kind == kind)
    }
}

impl<'a> FormRef<'a> {
    /// The parameters.
    pub fn params(&self) -> Vec<ParamRef<'a>> {
        let item: &'a s::Form = self.item;
        zip(&item.params, &self.notes.params)
    }

    /// The repeated group.
    pub fn rest(&self) -> Option<RestRef<'a>> {
        let item: &'a s::Form = self.item;
        rest(&item.rest, &self.notes.rest)
    }
}

impl<'a> MessageRef<'a> {
    /// The fields.
    pub fn fields(&self) -> Vec<ParamRef<'a>> {
        let item: &'a s::Message = self.item;
        zip(&item.fields, &self.notes.fields)
    }

    /// The repeated group.
    pub fn rest(&self) -> Option<RestRef<'a>> {
        let item: &'a s::Message = self.item;
        rest(&item.rest, &self.notes.rest)
    }
}
