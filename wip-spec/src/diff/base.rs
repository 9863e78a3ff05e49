//! Differences in what a spec owns as a whole (its command prefixes and
//! the foreign commands they leave out), and
//! the shared part each changed item comes from.

use super::{Class, Entry, Kind, Out};
use crate::Spec;

/// The command lines a spec owns, as text: `"+WIP"`, or
/// `"+USO", "+UDCONF" and the commands defined`.
fn owned(spec: &Spec) -> String {
    let d = &spec.dialect;
    let owns = owned_by_prefix(spec);
    if d.foreign_commands.is_empty() {
        return owns;
    }
    let list: Vec<String> = d
        .foreign_commands
        .iter()
        .map(|p| format!("\"{p}\""))
        .collect();
    format!("{owns}, but not {}", list.join(", "))
}

/// [`owned`] without the foreign commands.
fn owned_by_prefix(spec: &Spec) -> String {
    let d = &spec.dialect;
    match &d.command_prefixes {
        None if d.command_prefix.is_empty() => "every command".into(),
        None => format!("\"{}\"", d.command_prefix),
        Some(list) if list.is_empty() => "the commands defined".into(),
        Some(list) => {
            let list: Vec<String> = list.iter().map(|p| format!("\"{p}\"")).collect();
            format!("{} and the commands defined", list.join(", "))
        }
    }
}

/// A change of the command prefixes. Compatible: it changes which
/// command lines tools check, not what goes on the wire.
pub(crate) fn prefixes(out: &mut Out<'_>) {
    let (old, new) = (owned(out.old), owned(out.new));
    if old != new {
        let e = Entry {
            kind: Kind::Changed,
            class: Class::Compatible,
            path: "command_prefixes".into(),
            old: Some(old),
            new: Some(new),
            note: "the command lines the spec owns and checks".into(),
        };
        out.push(e, "", "");
    }
}

/// Names the included file (and its source) of every changed item that
/// comes from one, in the change's note.
pub(crate) fn origins(out: &mut Out<'_>) {
    let (old, new) = (&out.old.notes.origins, &out.new.notes.origins);
    for c in &mut out.changes {
        let item = c.path.find(']').map_or(c.path.as_str(), |i| &c.path[..=i]);
        if let Some(o) = new.of(item).or_else(|| old.of(item)) {
            c.note = format!(
                "{}; from {} ({}), after {}",
                c.note, o.name, o.file, o.source
            );
        }
    }
}
