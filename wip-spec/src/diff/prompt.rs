//! Changes of a form's prompt and payload rules. A change breaks hosts:
//! a new prompt needs a payload they do not write, a removed one leaves
//! them waiting, and another prompt text or delimiter changes the bytes;
//! only a payload limit raised leaves what they write valid.

use super::params::List;
use super::rules::conds_text;
use super::{Class, Out};
use crate::notes::{FormRef, MessageRef};
use wip_schema::{PayloadAfter, PayloadKind, Prompt};

/// A prompt as one line of text: its text, repeat and delay, and its
/// payload rules with their conditions.
fn text(p: &Prompt, l: &List) -> String {
    text_limited(p, l, true)
}

/// [`text`], with the payloads' `max_len` left out unless `limits`.
fn text_limited(p: &Prompt, l: &List, limits: bool) -> String {
    let mut s = format!("{:?}", p.text.as_ref());
    if let Some(b) = p.again_after {
        s.push_str(&format!(" again after 0x{b:02X}"));
    }
    if p.delay_ms != 0 {
        s.push_str(&format!(" delay {} ms", p.delay_ms));
    }
    for r in p.payload.iter() {
        let how = match r.kind {
            PayloadKind::Counted { param } => format!(
                "count <{}>",
                l.params.get(param).map_or("?", |x| x.name.as_ref())
            ),
            PayloadKind::Terminated {
                end,
                abort,
                escape,
                max_len,
            } => {
                let mut t = format!("end 0x{end:02X}");
                if let Some(m) = max_len.filter(|_| limits) {
                    t.push_str(&format!(" max {m}"));
                }
                if let Some(a) = abort {
                    t.push_str(&format!(" abort 0x{a:02X}"));
                }
                if let Some(e) = escape {
                    t.push_str(&format!(" escape 0x{e:02X}"));
                }
                t
            }
        };
        if r.when.is_empty() {
            s.push_str(&format!("; {how}"));
        } else {
            s.push_str(&format!("; when {}: {how}", conds_text(&r.when, l)));
        }
    }
    s
}

fn section<'a>(f: &'a FormRef<'_>) -> &'a str {
    f.notes
        .prompt
        .as_ref()
        .map_or(f.notes.section.as_str(), |n| n.section.as_str())
}

/// Compares the prompts of two versions of a form.
pub(super) fn prompt(
    out: &mut Out,
    p: &str,
    (a, ol): (&FormRef, &List),
    (b, nl): (&FormRef, &List),
) {
    let here = format!("{p}.prompt");
    match (&a.prompt, &b.prompt) {
        (None, None) => {}
        (Some(x), None) => out.removed(
            here,
            text(x, ol),
            "no longer answers with a prompt",
            section(a),
        ),
        (None, Some(y)) => out.added(
            here,
            Class::Breaking,
            text(y, nl),
            "answers with a prompt; hosts must write a payload",
            section(b),
        ),
        (Some(x), Some(y)) => {
            // Only payload limits raised (or lifted): what hosts write
            // still fits (compatible); one lowered refuses it.
            let (class, note) = if text_limited(x, ol, false) == text_limited(y, nl, false)
                && limits_raised(x, y)
            {
                (Class::Compatible, "payload limit raised")
            } else {
                (Class::Breaking, "prompt or payload changed")
            };
            out.if_changed(
                here,
                class,
                &text(x, ol),
                &text(y, nl),
                note,
                section(a),
                section(b),
            )
        }
    }
}

/// Whether each payload rule of `new` takes at least what the same rule
/// of `old` took (no limit being the highest).
fn limits_raised(old: &Prompt, new: &Prompt) -> bool {
    let limit = |r: &wip_schema::PayloadRule| match r.kind {
        PayloadKind::Terminated { max_len, .. } => max_len.map_or(u64::MAX, u64::from),
        PayloadKind::Counted { .. } => u64::MAX,
    };
    old.payload.len() == new.payload.len()
        && old
            .payload
            .iter()
            .zip(new.payload.iter())
            .all(|(a, b)| limit(b) >= limit(a))
}

/// Compares the raw data after two versions of a message's line; any
/// change breaks hosts, which read the bytes after the line by it.
pub(super) fn payload_after(
    out: &mut Out,
    p: &str,
    (a, os): (&MessageRef, &str),
    (b, ns): (&MessageRef, &str),
) {
    let text = |m: &MessageRef| -> Option<String> {
        m.payload.map(|x| match x {
            PayloadAfter::Counted { field } => format!(
                "count <{}>",
                m.fields.get(field).map_or("?", |f| f.name.as_ref())
            ),
            PayloadAfter::Line => "line".to_string(),
        })
    };
    let here = format!("{p}.payload");
    match (text(a), text(b)) {
        (None, None) => {}
        (Some(x), None) => out.removed(here, x, "no raw data follows the line any more", os),
        (None, Some(y)) => out.added(here, Class::Breaking, y, "raw data follows the line", ns),
        (Some(x), Some(y)) => out.if_changed(
            here,
            Class::Breaking,
            &x,
            &y,
            "raw data after the line changed",
            os,
            ns,
        ),
    }
}

/// A message's field glued to its prefix (`+IPD5`) or not: the line's
/// shape changes, so hosts break either way.
pub(super) fn glued(
    out: &mut Out,
    p: &str,
    (a, os): (&MessageRef, &str),
    (b, ns): (&MessageRef, &str),
) {
    let text = |g: bool| if g { "glued" } else { "after `: `" };
    out.if_changed(
        format!("{p}.glued"),
        Class::Breaking,
        text(a.glued),
        text(b.glued),
        "the field now follows the prefix differently",
        os,
        ns,
    );
}
