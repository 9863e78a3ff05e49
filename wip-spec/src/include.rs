//! Shared parts: a spec's `include: [Include(path: "…")]` list, resolved
//! into one flat spec before it is checked.
//!
//! Paths are relative to the including file; includes nest; a cycle is an
//! error; a file reached twice (two vendors' specs both including one
//! base, say) is read once. An `Include(commands: [..])` keeps only those
//! commands of the file (and of what it includes), with the messages
//! (responses, URCs, completion URCs), value sets, option tables and error
//! tables they refer to; an error table with a result line (`+CME ERROR:
//! <code>`) ends any command, so it is always kept. Included items come before
//! the including file's own, in the order of the `include` list.
//!
//! Ids (value sets, option tables, messages, limits, errata), command
//! names and error codes must be unique across files: a duplicate is an
//! error naming both files. Every item keeps the file it came from
//! ([`Origins`]), so that diagnostics point into that file and `wip doc`
//! names the base's source for its items.
//!
//! The same resolution serves every route: files on disk
//! ([`crate::load_file`]), files in memory ([`crate::load_files`]), and
//! any other reader ([`crate::load_with`]).

use crate::diag::{Diagnostic, Diagnostics, Locator};
use crate::model;
use std::collections::{BTreeMap, BTreeSet};

/// A file a spec was assembled from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceFile {
    /// The file's name as resolved (relative to the root spec's directory
    /// as the root was named).
    pub file: String,
    /// Name, version and revision of the spec in it (`"3GPP TS 27.007 base 17.6 rev 1"`).
    pub name: String,
    /// The source document it cites.
    pub source: String,
}

/// Where the items of a spec came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origins {
    /// The files: the root spec first, then every included file in the
    /// order they were read. Just the root for a spec without includes.
    pub files: Vec<SourceFile>,
    /// Index into `files` of the file of each included item, keyed by the
    /// item's path in diagnostics (`commands[+CREG]`, `messages[CregStatus]`,
    /// `value_sets[creg_mode]`, `option_tables[..]`, `errors[3]`,
    /// `limits[..]`, `errata[..]`). Items of the root file are not listed.
    pub items: BTreeMap<String, usize>,
}

impl Origins {
    /// The included file an item (by its path, `commands[+CREG]`) came
    /// from; `None` for an item of the root file.
    pub fn of(&self, item: &str) -> Option<&SourceFile> {
        self.items
            .get(item)
            .filter(|i| **i > 0)
            .and_then(|i| self.files.get(*i))
    }

    /// The file name of an item's origin, the root's when it has none.
    pub(crate) fn index_of(&self, item: &str) -> usize {
        self.items.get(item).copied().unwrap_or(0)
    }
}

/// The file name `rel` names, seen from the file `from`: relative to its
/// directory, with `.` and `..` steps taken (`spec/vendor/x.ron` +
/// `../base.ron` = `spec/base.ron`). An absolute `rel` stays as it is.
pub fn resolve(from: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        return normalize(rel);
    }
    let dir = from.rfind('/').map_or("", |i| &from[..=i]);
    normalize(&format!("{dir}{rel}"))
}

fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// A spec assembled from its files, ready for [`crate::check`].
pub(crate) struct Resolved {
    /// The flat spec.
    pub(crate) spec: model::Spec,
    /// (name, text) of every file, the root first.
    pub(crate) texts: Vec<(String, String)>,
    /// Where the items came from.
    pub(crate) origins: Origins,
}

/// Items of every list, each with the index of its file.
#[derive(Default)]
struct Flat {
    value_sets: Vec<(usize, model::ValueSet)>,
    option_tables: Vec<(usize, model::OptionTable)>,
    commands: Vec<(usize, model::Command)>,
    messages: Vec<(usize, model::Message)>,
    errors: Vec<(usize, model::ErrorCode)>,
    reserved_errors: Vec<(usize, model::ReservedErrors)>,
    limits: Vec<(usize, model::Limit)>,
    errata: Vec<(usize, model::Erratum)>,
    error_tables: Vec<(usize, model::ErrorTable)>,
    /// Prefixes every file names, and whether any names one at all.
    prefixes: Vec<String>,
    any_prefix: bool,
    foreign: Vec<String>,
    error_report: Option<model::ErrorReport>,
}

impl Flat {
    fn append(&mut self, o: Flat) {
        self.value_sets.extend(o.value_sets);
        self.option_tables.extend(o.option_tables);
        self.commands.extend(o.commands);
        self.messages.extend(o.messages);
        self.errors.extend(o.errors);
        self.reserved_errors.extend(o.reserved_errors);
        self.limits.extend(o.limits);
        self.errata.extend(o.errata);
        self.error_tables.extend(o.error_tables);
        self.prefixes.extend(o.prefixes);
        self.any_prefix |= o.any_prefix;
        self.foreign.extend(o.foreign);
        if self.error_report.is_none() {
            self.error_report = o.error_report;
        }
    }

    fn own(&mut self, file: usize, s: &model::Spec) {
        fn tag<T: Clone>(file: usize, v: &[T]) -> Vec<(usize, T)> {
            v.iter().cloned().map(|x| (file, x)).collect()
        }
        self.value_sets.extend(tag(file, &s.value_sets));
        self.option_tables.extend(tag(file, &s.option_tables));
        self.commands.extend(tag(file, &s.commands));
        self.messages.extend(tag(file, &s.messages));
        self.errors.extend(tag(file, &s.errors));
        self.reserved_errors.extend(tag(file, &s.reserved_errors));
        self.limits.extend(tag(file, &s.limits));
        self.errata.extend(tag(file, &s.errata));
        self.error_tables.extend(tag(file, &s.error_tables));
        if !s.command_prefix.is_empty() {
            self.prefixes.push(s.command_prefix.clone());
            self.any_prefix = true;
        }
        if let Some(list) = &s.command_prefixes {
            self.prefixes.extend(list.iter().cloned());
            self.any_prefix = true;
        }
        self.foreign.extend(s.foreign_commands.iter().cloned());
    }
}

/// Reads the files a spec includes; `read` gets a resolved file name.
pub(crate) struct Loader<'r> {
    read: &'r dyn Fn(&str) -> Result<String, String>,
    texts: Vec<(String, String)>,
    specs: Vec<(String, String)>,
    stack: Vec<String>,
    done: BTreeSet<String>,
    diags: Vec<Diagnostic>,
}

/// Assembles the spec `root` (its text `text`, parsed as `spec`) with the
/// files it includes, read through `read`.
pub(crate) fn assemble(
    root: &str,
    text: &str,
    spec: model::Spec,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Resolved, Diagnostics> {
    let mut l = Loader {
        read,
        texts: vec![(root.to_string(), text.to_string())],
        specs: vec![(
            format!("{} {} rev {}", spec.name, spec.version, spec.revision),
            spec.source.clone(),
        )],
        stack: vec![root.to_string()],
        done: BTreeSet::new(),
        diags: Vec::new(),
    };
    let flat = l.flatten(0, &spec);
    let mut origins = Origins {
        files: l
            .texts
            .iter()
            .zip(&l.specs)
            .map(|((file, _), (name, source))| SourceFile {
                file: file.clone(),
                name: name.clone(),
                source: source.clone(),
            })
            .collect(),
        items: BTreeMap::new(),
    };
    let flat = l.unique(flat, &mut origins);
    if !l.diags.is_empty() {
        return Err(Diagnostics {
            file: root.to_string(),
            items: l.diags,
        });
    }
    fn untag<T>(v: Vec<(usize, T)>) -> Vec<T> {
        v.into_iter().map(|(_, x)| x).collect()
    }
    /// The names in order, each once without regard to case.
    fn unique_names(names: Vec<String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in names {
            if !out.iter().any(|x| x.eq_ignore_ascii_case(&n)) {
                out.push(n);
            }
        }
        out
    }
    let prefixes = unique_names(flat.prefixes);
    let foreign = unique_names(flat.foreign);
    let out = model::Spec {
        command_prefix: String::new(),
        command_prefixes: flat.any_prefix.then_some(prefixes),
        foreign_commands: foreign,
        value_sets: untag(flat.value_sets),
        option_tables: untag(flat.option_tables),
        commands: untag(flat.commands),
        messages: untag(flat.messages),
        error_report: spec.error_report.clone().or(flat.error_report),
        errors: untag(flat.errors),
        reserved_errors: untag(flat.reserved_errors),
        limits: untag(flat.limits),
        errata: untag(flat.errata),
        error_tables: untag(flat.error_tables),
        include: Vec::new(),
        ..spec
    };
    Ok(Resolved {
        spec: out,
        texts: l.texts,
        origins,
    })
}

impl Loader<'_> {
    /// A problem in file number `file`, located by anchors in its text.
    fn err(&mut self, file: usize, anchors: &[String], path: String, message: String) {
        let (name, location) = match self.texts.get(file) {
            Some((name, text)) => (name.clone(), Locator::new(text).find(anchors)),
            None => (String::new(), None),
        };
        self.diags.push(Diagnostic {
            location,
            path,
            message,
            file: Some(name),
        });
    }

    fn name(&self, file: usize) -> String {
        self.texts
            .get(file)
            .map(|(n, _)| n.clone())
            .unwrap_or_default()
    }

    fn flatten(&mut self, file: usize, spec: &model::Spec) -> Flat {
        let mut flat = Flat::default();
        let from = self.name(file);
        for (n, inc) in spec.include.iter().enumerate() {
            let path = format!("include[{n}]");
            let anchors = vec!["include:".to_string(), format!("\"{}\"", inc.path)];
            let child = resolve(&from, &inc.path);
            if let Some(at) = self.stack.iter().position(|s| *s == child) {
                let mut cycle: Vec<String> = self.stack.get(at..).unwrap_or_default().to_vec();
                cycle.push(child.clone());
                self.err(
                    file,
                    &anchors,
                    path,
                    format!("include cycle: {}", cycle.join(" includes ")),
                );
                continue;
            }
            if self.done.contains(&child) {
                continue;
            }
            let text = match (self.read)(&child) {
                Ok(t) => t,
                Err(e) => {
                    self.err(
                        file,
                        &anchors,
                        path,
                        format!("cannot read included spec {child}: {e}"),
                    );
                    continue;
                }
            };
            let parsed = match crate::check::parse(&text, &child) {
                Ok(s) => s,
                Err(d) => {
                    self.diags.extend(d.items.into_iter().map(|mut i| {
                        i.file = Some(child.clone());
                        i
                    }));
                    continue;
                }
            };
            let index = self.texts.len();
            self.texts.push((child.clone(), text));
            self.specs.push((
                format!("{} {} rev {}", parsed.name, parsed.version, parsed.revision),
                parsed.source.clone(),
            ));
            self.stack.push(child.clone());
            let mut sub = self.flatten(index, &parsed);
            self.stack.pop();
            self.done.insert(child);
            if let Some(keep) = &inc.commands {
                sub = self.only(file, &anchors, &path, sub, keep, spec);
            }
            flat.append(sub);
        }
        flat.own(file, spec);
        flat
    }

    /// Keeps the commands named in `keep` and what they refer to; an
    /// error table stays also when the including file `by` refers to it.
    fn only(
        &mut self,
        file: usize,
        anchors: &[String],
        path: &str,
        mut flat: Flat,
        keep: &[String],
        by: &model::Spec,
    ) -> Flat {
        for k in keep {
            if !flat
                .commands
                .iter()
                .any(|(_, c)| c.name.eq_ignore_ascii_case(k))
            {
                let mut a = anchors.to_vec();
                a.push(format!("\"{k}\""));
                self.err(
                    file,
                    &a,
                    format!("{path}.commands"),
                    format!("the included files define no command `{k}`"),
                );
            }
        }
        flat.commands
            .retain(|(_, c)| keep.iter().any(|k| c.name.eq_ignore_ascii_case(k)));
        let mut messages: BTreeSet<&str> = BTreeSet::new();
        let mut sets: BTreeSet<String> = BTreeSet::new();
        let mut tables: BTreeSet<&str> = BTreeSet::new();
        // Error tables the kept items, or the including file, refer to.
        let mut codes: BTreeSet<String> = spec_codes(by);
        for (_, c) in &flat.commands {
            codes.extend(c.errors_table.iter().cloned());
            for f in &c.forms {
                messages.extend(f.responses.iter().map(String::as_str));
                messages.extend(f.urcs.iter().map(String::as_str));
                // The URC that completes the form is part of its answer.
                messages.extend(f.completion.iter().map(|c| c.message.as_str()));
                params_sets(&f.params, f.rest.as_ref(), &mut sets);
                params_codes(&f.params, f.rest.as_ref(), &mut codes);
                if let Some(b) = &f.options {
                    tables.extend(b.tables.iter().map(|t| t.table.as_str()));
                }
            }
        }
        flat.messages
            .retain(|(_, m)| messages.contains(m.id.as_str()));
        for (_, m) in &flat.messages {
            params_sets(&m.fields, m.rest.as_ref(), &mut sets);
            params_codes(&m.fields, m.rest.as_ref(), &mut codes);
            if let Some(b) = &m.options {
                tables.extend(b.tables.iter().map(|t| t.table.as_str()));
            }
        }
        let tables: BTreeSet<String> = tables.into_iter().map(str::to_string).collect();
        flat.option_tables.retain(|(_, t)| tables.contains(&t.id));
        for (_, t) in &flat.option_tables {
            for o in &t.options {
                params_sets(&o.values, o.rest.as_ref(), &mut sets);
                params_codes(&o.values, o.rest.as_ref(), &mut codes);
                if let Some(r) = &o.read {
                    params_sets(r, None, &mut sets);
                    params_codes(r, None, &mut codes);
                }
            }
        }
        flat.value_sets.retain(|(_, v)| sets.contains(&v.id));
        // A table with a result line (`+CME ERROR: <code>`) is a final
        // result code any command may end with: it stays. A table only
        // fields refer to stays when a kept item refers to it.
        flat.error_tables
            .retain(|(_, t)| t.line.is_some() || codes.contains(&t.id));
        let names: BTreeSet<String> = flat
            .commands
            .iter()
            .map(|(_, c)| c.name.clone())
            .chain(flat.messages.iter().map(|(_, m)| m.id.clone()))
            .collect();
        flat.errata
            .retain(|(_, e)| e.items.is_empty() || e.items.iter().any(|i| names.contains(i)));
        flat
    }

    /// Drops the later of two items of one key from different files,
    /// reporting both files; records the file of every item.
    fn unique(&mut self, mut flat: Flat, origins: &mut Origins) -> Flat {
        fn keep<T>(
            l: &mut Loader<'_>,
            origins: &mut Origins,
            list: Vec<(usize, T)>,
            what: &str,
            list_name: &str,
            key: impl Fn(&T) -> (String, String),
        ) -> Vec<(usize, T)> {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            let mut out = Vec::new();
            for (file, item) in list {
                let (k, anchor) = key(&item);
                let segment = format!("{list_name}[{k}]");
                match seen.get(&k.to_ascii_uppercase()) {
                    Some(first) if *first != file => {
                        let (a, b) = (l.name(*first), l.name(file));
                        l.err(
                            file,
                            &[format!("{list_name}:"), anchor],
                            segment,
                            format!("duplicate {what} `{k}`: defined in {a} and in {b}"),
                        );
                    }
                    _ => {
                        seen.insert(k.to_ascii_uppercase(), file);
                        origins.items.entry(segment).or_insert(file);
                        out.push((file, item));
                    }
                }
            }
            out
        }
        let q = |s: &str| format!("\"{s}\"");
        flat.value_sets = keep(
            self,
            origins,
            flat.value_sets,
            "value set",
            "value_sets",
            |v| (v.id.clone(), format!("id: {}", q(&v.id))),
        );
        flat.option_tables = keep(
            self,
            origins,
            flat.option_tables,
            "option table",
            "option_tables",
            |t| (t.id.clone(), format!("id: {}", q(&t.id))),
        );
        flat.commands = keep(self, origins, flat.commands, "command", "commands", |c| {
            (c.name.clone(), format!("name: {}", q(&c.name)))
        });
        flat.messages = keep(self, origins, flat.messages, "message", "messages", |m| {
            (m.id.clone(), format!("id: {}", q(&m.id)))
        });
        flat.errors = keep(self, origins, flat.errors, "error code", "errors", |e| {
            (e.code.to_string(), format!("code: {},", e.code))
        });
        flat.limits = keep(self, origins, flat.limits, "limit", "limits", |x| {
            (x.id.clone(), format!("id: {}", q(&x.id)))
        });
        flat.errata = keep(self, origins, flat.errata, "erratum", "errata", |x| {
            (x.id.clone(), format!("id: {}", q(&x.id)))
        });
        flat.error_tables = self.extend_tables(flat.error_tables, origins);
        flat
    }

    /// Error tables: a table with `extend: true` adds its codes to the
    /// table of its id from another file; any other repeat is a duplicate.
    fn extend_tables(
        &mut self,
        list: Vec<(usize, model::ErrorTable)>,
        origins: &mut Origins,
    ) -> Vec<(usize, model::ErrorTable)> {
        let mut out: Vec<(usize, model::ErrorTable)> = Vec::new();
        for (file, t) in list {
            let segment = format!("error_tables[{}]", t.id);
            match out.iter_mut().find(|(_, x)| x.id == t.id) {
                Some((first, base)) if *first != file => {
                    if t.extend {
                        base.errors.extend(t.errors);
                        base.reserved.extend(t.reserved);
                    } else {
                        let (a, b) = (self.name(*first), self.name(file));
                        self.err(
                            file,
                            &["error_tables:".to_string(), format!("id: \"{}\"", t.id)],
                            segment,
                            format!(
                                "duplicate error table `{}`: defined in {a} and in {b} (write `extend: true` to add codes to it)",
                                t.id
                            ),
                        );
                    }
                }
                _ => {
                    origins.items.entry(segment).or_insert(file);
                    out.push((file, t));
                }
            }
        }
        out
    }
}

/// The error tables a spec's own items refer to.
fn spec_codes(s: &model::Spec) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for c in &s.commands {
        out.extend(c.errors_table.iter().cloned());
        for f in &c.forms {
            params_codes(&f.params, f.rest.as_ref(), &mut out);
        }
    }
    for m in &s.messages {
        params_codes(&m.fields, m.rest.as_ref(), &mut out);
    }
    for t in &s.option_tables {
        for o in &t.options {
            params_codes(&o.values, o.rest.as_ref(), &mut out);
            if let Some(r) = &o.read {
                params_codes(r, None, &mut out);
            }
        }
    }
    // A table the file extends is one it refers to.
    out.extend(
        s.error_tables
            .iter()
            .filter(|t| t.extend)
            .map(|t| t.id.clone()),
    );
    out
}

/// The error tables the parameters of a list refer to (`Code(table: ..)`).
fn params_codes(params: &[model::Param], rest: Option<&model::Rest>, out: &mut BTreeSet<String>) {
    for ty in params.iter().map(|p| &p.ty).chain(rest.map(|r| &r.ty)) {
        if let model::Type::Code { table, .. } = ty {
            out.insert(table.clone());
        }
    }
}

/// The value sets the parameters of a list refer to.
fn params_sets(params: &[model::Param], rest: Option<&model::Rest>, out: &mut BTreeSet<String>) {
    for ty in params.iter().map(|p| &p.ty).chain(rest.map(|r| &r.ty)) {
        if let model::Type::Enum { set, .. } = ty {
            out.insert(set.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_against_the_including_file() {
        assert_eq!(resolve("spec/ublox.ron", "base.ron"), "spec/base.ron");
        assert_eq!(resolve("spec/v/x.ron", "../base.ron"), "spec/base.ron");
        assert_eq!(resolve("x.ron", "./a/b.ron"), "a/b.ron");
        assert_eq!(resolve("x.ron", "../b.ron"), "../b.ron");
        assert_eq!(resolve("../s/x.ron", "../b.ron"), "../b.ron");
        assert_eq!(resolve("/a/b/x.ron", "../../../c.ron"), "/c.ron");
        assert_eq!(resolve("spec/x.ron", "/etc/base.ron"), "/etc/base.ron");
    }
}
