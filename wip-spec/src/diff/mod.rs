//! Semantic differences between two specs, classed by what they do to host
//! applications already in the field (`wip diff`).
//!
//! Items are matched by identity, never by position in the file: commands
//! by name, forms by kind and name, parameters and fields by name (a
//! different index is a position change), messages by id, options by table
//! and number, coded values by set and value, errors by code, limits by id.
//!
//! A change is [`Class::Breaking`] when an application written against the
//! old spec may fail against the new one: something removed, a range,
//! length or set of values narrowed, a type or position changed, an
//! optional parameter made mandatory, a default changed (an application
//! that leaves the parameter out silently gets another behaviour), an
//! access lost, a new constraint on calls that were valid. Everything else
//! is [`Class::Compatible`]: additions, widenings, lifted constraints,
//! renamed labels whose wire value is the same.
//!
//! Documentation is not compared: doc texts, titles, sections and errata
//! change the reference (`docs/reference.md`), whose own diff shows them,
//! not the wire. Sections are still reported with every change so that a
//! reviewer can look the change up in the manual.
//!
//! The output is deterministic: changes come in the order of the spec's
//! sections (value sets, option tables, commands, messages, errors,
//! reserved errors, error tables, finals, limits), and within a list in the new spec's order,
//! with removed items where the old spec had them.

mod base;
mod commands;
mod errtables;
mod finals;
mod params;
mod prompt;
mod render;
mod rules;
mod tables;
#[cfg(test)]
mod tests;

pub use render::{json, text, JSON_FORMAT};

use crate::Spec;
use serde::Serialize;

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The item exists only in the new spec.
    Added,
    /// The item exists only in the old spec.
    Removed,
    /// The item exists in both, with a different attribute.
    Changed,
}

/// Whether host applications written for the old spec keep working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// They may fail.
    Breaking,
    /// They keep working.
    Compatible,
}

/// One semantic change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: Kind,
    /// Breaking or compatible.
    pub class: Class,
    /// The item, as a logical path (`commands[+WIPFILE].forms[Action:Ftp].params[mode].type`);
    /// unique in a change list.
    pub path: String,
    /// The old item or attribute, as text; none when added.
    pub old: Option<String>,
    /// The new item or attribute, as text; none when removed.
    pub new: Option<String>,
    /// Why it is classed so (`values added: 6, 7, 9`).
    pub note: String,
    /// Manual sections of the old and the new item, without repeats.
    pub sections: Vec<String>,
}

impl Change {
    /// Whether the change breaks host applications.
    pub fn is_breaking(&self) -> bool {
        self.class == Class::Breaking
    }
}

/// The changes from `old` to `new`.
pub fn diff(old: &Spec, new: &Spec) -> Vec<Change> {
    let mut out = Out {
        old,
        new,
        changes: Vec::new(),
    };
    base::prefixes(&mut out);
    tables::value_sets(&mut out);
    tables::option_tables(&mut out);
    commands::commands(&mut out);
    commands::messages(&mut out);
    tables::errors(&mut out);
    errtables::error_tables(&mut out);
    finals::finals(&mut out);
    tables::limits(&mut out);
    base::origins(&mut out);
    out.changes
}

/// Whether a change list holds a breaking change.
pub fn has_breaking(changes: &[Change]) -> bool {
    changes.iter().any(Change::is_breaking)
}

/// The two specs and the changes found so far.
pub(crate) struct Out<'a> {
    pub(crate) old: &'a Spec,
    pub(crate) new: &'a Spec,
    pub(crate) changes: Vec<Change>,
}

/// A change being built: what and where; [`Out::push`] finishes it.
pub(crate) struct Entry {
    pub(crate) kind: Kind,
    pub(crate) class: Class,
    pub(crate) path: String,
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
    pub(crate) note: String,
}

impl Out<'_> {
    /// Records a change with the sections of its old and new item.
    pub(crate) fn push(&mut self, e: Entry, old_section: &str, new_section: &str) {
        let mut sections = Vec::new();
        for s in [old_section, new_section] {
            if !s.is_empty() && !sections.iter().any(|x: &String| x == s) {
                sections.push(s.to_string());
            }
        }
        self.changes.push(Change {
            kind: e.kind,
            class: e.class,
            path: e.path,
            old: e.old,
            new: e.new,
            note: e.note,
            sections,
        });
    }

    /// Records an item only the new spec has.
    pub(crate) fn added(&mut self, path: String, class: Class, new: String, note: &str, sec: &str) {
        let e = Entry {
            kind: Kind::Added,
            class,
            path,
            old: None,
            new: Some(new),
            note: note.to_string(),
        };
        self.push(e, "", sec);
    }

    /// Records an item only the old spec has; removals always break.
    pub(crate) fn removed(&mut self, path: String, old: String, note: &str, sec: &str) {
        self.removed_as(path, Class::Breaking, old, note, sec);
    }

    /// Records a removal with its class given (a lifted constraint is one).
    pub(crate) fn removed_as(
        &mut self,
        path: String,
        class: Class,
        old: String,
        note: &str,
        sec: &str,
    ) {
        let e = Entry {
            kind: Kind::Removed,
            class,
            path,
            old: Some(old),
            new: None,
            note: note.to_string(),
        };
        self.push(e, sec, "");
    }

    /// Records a changed text attribute, if `old` and `new` differ.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn if_changed(
        &mut self,
        path: String,
        class: Class,
        old: &str,
        new: &str,
        note: &str,
        old_sec: &str,
        new_sec: &str,
    ) {
        if old != new {
            self.changed(
                path,
                class,
                old.to_string(),
                new.to_string(),
                note,
                old_sec,
                new_sec,
            );
        }
    }

    /// Records a changed attribute.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn changed(
        &mut self,
        path: String,
        class: Class,
        old: String,
        new: String,
        note: &str,
        old_sec: &str,
        new_sec: &str,
    ) {
        let e = Entry {
            kind: Kind::Changed,
            class,
            path,
            old: Some(old),
            new: Some(new),
            note: note.to_string(),
        };
        self.push(e, old_sec, new_sec);
    }
}

/// The keys of a list, for [`merge_order`].
fn ids<T>(list: &[T], key: impl Fn(&T) -> String) -> Vec<String> {
    list.iter().map(key).collect()
}

/// The item of a list with this key.
fn find<'a, T>(list: &'a [T], key: impl Fn(&T) -> String, k: &str) -> Option<&'a T> {
    list.iter().find(|x| key(x) == k)
}

/// The keys of two lists in one order: the new list's, with keys only the
/// old list has placed after the key that preceded them there.
pub(crate) fn merge_order<K: PartialEq + Clone>(old: &[K], new: &[K]) -> Vec<K> {
    let mut out: Vec<K> = new.to_vec();
    let mut anchor: Option<usize> = None; // index in `out` after which to insert
    for k in old {
        match out.iter().position(|x| x == k) {
            Some(i) => anchor = Some(i),
            None => {
                let at = anchor.map_or(0, |i| i + 1);
                out.insert(at, k.clone());
                anchor = Some(at);
            }
        }
    }
    out
}
