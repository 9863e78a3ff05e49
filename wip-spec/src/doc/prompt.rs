//! A form's prompt and payload in words, for the reference and the
//! generated docs.

use super::md::conds;
use wip_schema::{Dialect, Param, PayloadAfter, PayloadKind, Prompt};

fn byte(b: u8) -> String {
    format!("0x{b:02X}")
}

/// `prompt "@" (wait 50 ms), then <length> bytes`: the prompt text as the
/// modem sends it (escaped), and each payload rule.
pub fn describe(_d: &Dialect, params: &[Param], p: &Prompt) -> String {
    let mut extra = Vec::new();
    if let Some(b) = p.again_after {
        extra.push(format!("again after each {} written", byte(b)));
    }
    if p.delay_ms != 0 {
        extra.push(format!("wait {} ms before writing", p.delay_ms));
    }
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(" ({})", extra.join("; "))
    };
    let rules: Vec<String> = p
        .payload
        .iter()
        .map(|r| {
            let how = match r.kind {
                PayloadKind::Counted { param } => format!(
                    "exactly `<{}>` bytes",
                    params.get(param).map_or("?", |x| x.name.as_ref())
                ),
                PayloadKind::Terminated {
                    end,
                    abort,
                    escape,
                    max_len,
                } => {
                    let mut s = format!("bytes ended by {}", byte(end));
                    if let Some(m) = max_len {
                        s.push_str(&format!(", at most {m} of them"));
                    }
                    if let Some(a) = abort {
                        s.push_str(&format!(", {} aborts", byte(a)));
                    }
                    if let Some(e) = escape {
                        s.push_str(&format!(", {} escapes the next byte", byte(e)));
                    }
                    s
                }
            };
            if r.when.is_empty() {
                how
            } else {
                format!("when {}: {how}", conds(params, &r.when))
            }
        })
        .collect();
    format!(
        "prompt `{:?}`{extra}, then the payload: {}",
        p.text.as_ref(),
        rules.join("; otherwise ")
    )
}

/// The raw data after a message's line, in words.
pub fn after(fields: &[Param], p: PayloadAfter) -> String {
    match p {
        PayloadAfter::Counted { field } => format!(
            "Then `<{}>` raw bytes (any value, CR LF and `OK` included), then CR LF.",
            fields.get(field).map_or("?", |f| f.name.as_ref())
        ),
        PayloadAfter::Line => {
            "Then exactly one line of raw text (even empty or reading `OK`), not classified.".into()
        }
    }
}

/// A message whose field is glued to its prefix, in words:
/// ``Its `<len>` follows `+IPD` at once: `+IPD<len>`, no colon or blank.``
pub fn glued(m: &wip_schema::Message) -> String {
    let prefix = m.prefix.as_deref().unwrap_or_default();
    let field = m.fields.first().map_or("?", |f| f.name.as_ref());
    format!("Its `<{field}>` follows `{prefix}` at once: `{prefix}<{field}>`, no colon or blank.")
}
