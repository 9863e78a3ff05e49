//! The names the generator derives, checked for collisions before any code
//! is written.
//!
//! The checker already keeps the spec's own type names apart; the
//! generator adds the types of option values (`StackOptionValue`,
//! `SocketOptionReading`), one enum per keyed option binding
//! (`WipOptSetOption`), the enums across the spec (`Request`, `Response`,
//! `Urc`, `CmeError`) and the static `DIALECT`.

use crate::diag::Diagnostic;
use std::collections::{BTreeMap, BTreeSet};
use wip_schema::{Access, Ty};
use wip_spec::notes::TableRef;
use wip_spec::Spec;

/// Who holds an option binding: a command form or a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Form,
    Message,
}

/// Which typed value of a table a binding carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Payload {
    /// The option alone: a form that reads an option names it.
    Id,
    /// The values written.
    Value,
    /// The values read (a response to a read, or an echo).
    Reading,
}

/// The payload of a binding, as the engine binds it: a form that reads
/// names the option only, a message with read access carries read values,
/// everything else carries the values written.
pub(crate) fn payload(owner: Owner, access: Access) -> Payload {
    match (owner, access) {
        (Owner::Form, Access::R) => Payload::Id,
        (Owner::Message, Access::R) => Payload::Reading,
        _ => Payload::Value,
    }
}

/// The Rust type of a table's payload.
pub(crate) fn table_type(table: &TableRef, p: Payload) -> String {
    let rust = &table.notes.rust;
    match p {
        Payload::Id => rust.clone(),
        Payload::Value => format!("{rust}Value"),
        Payload::Reading => format!("{rust}Reading"),
    }
}

/// The enum of a keyed binding.
pub(crate) fn keyed_type(owner_rust: &str) -> String {
    format!("{owner_rust}Option")
}

/// The variant of a keyed binding's enum for one key value: the value's
/// name in its set, or `K<n>` for a plain integer key.
pub(crate) fn key_variant(spec: &Spec, key_ty: Option<&Ty>, key: i64) -> String {
    if let Some(Ty::Enum { set, .. }) = key_ty {
        if let Some(v) = spec
            .value_set(*set)
            .and_then(|s| s.values().into_iter().find(|v| v.0 == key))
        {
            return v.2.rust.clone();
        }
    }
    if key < 0 {
        format!("KMinus{}", key.unsigned_abs())
    } else {
        format!("K{key}")
    }
}

/// The spec with what the generator needs to know across items.
pub(crate) struct Cx<'a> {
    /// The spec.
    pub spec: &'a Spec,
    /// Table ids and the payload types some binding needs, besides `Id`,
    /// which every table has.
    pub payloads: BTreeSet<(String, Payload)>,
}

impl<'a> Cx<'a> {
    /// Collects the payload types and checks every type name for
    /// collisions.
    pub(crate) fn new(spec: &'a Spec) -> Result<Self, Vec<Diagnostic>> {
        let mut payloads = BTreeSet::new();
        let d = &spec.dialect;
        let bindings = d
            .commands
            .iter()
            .flat_map(|c| c.forms.iter())
            .filter_map(|f| Some((Owner::Form, f.options.as_ref()?)))
            .chain(
                d.messages
                    .iter()
                    .filter_map(|m| Some((Owner::Message, m.options.as_ref()?))),
            );
        for (owner, b) in bindings {
            let p = payload(owner, b.access);
            if p != Payload::Id {
                for (_, t) in b.tables.iter() {
                    payloads.insert((spec.table_id(*t).to_string(), p));
                }
            }
        }
        let cx = Cx { spec, payloads };
        let diags = cx.collisions();
        if diags.is_empty() {
            Ok(cx)
        } else {
            Err(diags)
        }
    }

    fn collisions(&self) -> Vec<Diagnostic> {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut diags = Vec::new();
        let mut add = |name: String, what: String| {
            if let Some(prev) = seen.get(&name) {
                diags.push(Diagnostic {
                    location: None,
                    path: String::new(),
                    message: format!(
                        "the generated Rust name `{name}` is used by both {prev} and {what}; give one a `rust:` name"
                    ),
                    file: None,
                });
            } else {
                seen.insert(name, what);
            }
        };
        for n in ["DIALECT", "Request", "Response", "Urc", "CmeError"] {
            add(n.to_string(), format!("the generated item `{n}`"));
        }
        for n in super::IMPORTED.iter() {
            add(
                n.to_string(),
                format!("the name `{n}` the generated code imports"),
            );
        }
        for s in self.spec.value_sets() {
            add(s.notes.rust.clone(), format!("value set `{}`", s.id));
        }
        for t in self.spec.tables() {
            add(t.notes.rust.clone(), format!("option table `{}`", t.id));
            for (id, p) in &self.payloads {
                if *id == t.id {
                    add(
                        table_type(&t, *p),
                        format!("the option values of table `{}`", t.id),
                    );
                }
            }
        }
        for c in self.spec.commands() {
            for f in c.forms() {
                add(
                    f.notes.rust.clone(),
                    format!("form `{}` of {}", f.name, c.name),
                );
                if f.responses.len() > 1 {
                    add(
                        format!("{}Response", f.notes.rust),
                        format!("the responses of form `{}` of {}", f.name, c.name),
                    );
                }
                if f.options.as_ref().is_some_and(|b| b.key_param.is_some()) {
                    add(
                        keyed_type(&f.notes.rust),
                        format!("the options of form `{}` of {}", f.name, c.name),
                    );
                }
            }
        }
        for m in self.spec.dialect.messages.iter() {
            add(m.id.to_string(), format!("message `{}`", m.id));
            if m.options.as_ref().is_some_and(|b| b.key_param.is_some()) {
                add(
                    keyed_type(&m.id),
                    format!("the options of message `{}`", m.id),
                );
            }
        }
        for (f, n) in self.spec.dialect.finals.iter().zip(&self.spec.notes.finals) {
            add(n.rust.clone(), format!("final result code `{}`", f.text));
        }
        for e in self.spec.errors() {
            if e.notes.rust == "Unknown" {
                add(
                    format!("CmeError::{}", e.notes.rust),
                    format!("error code {}", e.code),
                );
            }
        }
        for t in self.spec.dialect.error_tables.iter() {
            if t.id.as_ref() != "cme" {
                add(
                    super::errors::table_type(&t.id),
                    format!("the codes of error table `{}`", t.id),
                );
            }
        }
        add(
            "CmeError::Unknown".to_string(),
            "the variant for codes the spec does not know".to_string(),
        );
        diags.sort();
        diags
    }
}
