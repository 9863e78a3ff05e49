//! Markdown pieces: escaping, anchors, and the wording of types, values,
//! rules and data modes that every part of the reference shares.

use wip_schema::{Cond, DataMode, Dialect, EtxMeaning, Lit, Outcome, Param, Rule, Ty};

/// Prose from the spec, made safe for Markdown: `<opt num>` becomes a code
/// span (as the manual sets parameters apart), any other `<` or `>` an
/// entity, so that no text is taken for an HTML tag. Code spans the text
/// already has are kept as they are: nothing inside backticks is escaped.
pub fn prose(text: &str) -> String {
    code_spans(text)
        .into_iter()
        .map(|(code, s)| if code { s.to_string() } else { plain(s) })
        .collect()
}

/// Splits text into code spans (`true`) and the text between them, as
/// CommonMark reads it: a run of n backticks opens a span that the next run
/// of exactly n backticks closes; a run that nothing closes is text.
pub fn code_spans(text: &str) -> Vec<(bool, &str)> {
    let bytes = text.as_bytes();
    let run = |at: usize| bytes.iter().skip(at).take_while(|&&b| b == b'`').count();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while let Some(&b) = bytes.get(i) {
        if b != b'`' {
            i += 1;
            continue;
        }
        let n = run(i);
        let mut j = i + n;
        let mut close = None;
        while let Some(&c) = bytes.get(j) {
            if c == b'`' {
                let m = run(j);
                if m == n {
                    close = Some(j);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        match close {
            // Backticks are ASCII, so these are character boundaries.
            Some(j) => {
                if start < i {
                    out.push((false, text.get(start..i).unwrap_or_default()));
                }
                out.push((true, text.get(i..j + n).unwrap_or_default()));
                i = j + n;
                start = i;
            }
            None => i += n,
        }
    }
    if start < text.len() {
        out.push((false, text.get(start..).unwrap_or_default()));
    }
    out
}

/// [`prose`] of text without code spans.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    // Where the last code span ended, so that `<CR><LF>` stays one span:
    // two spans side by side would read as a double backtick.
    let mut span_end = usize::MAX;
    while let Some(i) = rest.find('<') {
        out.push_str(&gt(&rest[..i]));
        let after = &rest[i + 1..];
        match after.find(['<', '>']) {
            Some(j) if after.as_bytes().get(j) == Some(&b'>') && is_name(&after[..j]) => {
                if i == 0 && span_end == out.len() {
                    out.pop();
                } else {
                    out.push('`');
                }
                out.push('<');
                out.push_str(&after[..j]);
                out.push_str(">`");
                span_end = out.len();
                rest = &after[j + 1..];
            }
            _ => {
                out.push_str("&lt;");
                rest = after;
            }
        }
    }
    out.push_str(&gt(rest));
    out
}

/// Whether the text between `<` and `>` reads as a parameter name
/// (`opt num`, `CR`), not as a comparison (`< b and c >`).
fn is_name(inner: &str) -> bool {
    !inner.is_empty()
        && inner.len() <= 40
        && !inner.starts_with(char::is_whitespace)
        && !inner.ends_with(char::is_whitespace)
}

fn gt(s: &str) -> String {
    s.replace('>', "&gt;")
}

/// A table cell: prose with `|` escaped.
pub fn cell(text: &str) -> String {
    prose(text).replace('|', "\\|")
}

/// A code span for a table cell.
pub fn code_cell(text: &str) -> String {
    format!("`{}`", text.replace('|', "\\|"))
}

/// The anchor id of a name: lowercase letters and digits, `-` between.
pub fn slug(prefix: &str, name: &str) -> String {
    let mut s = String::from(prefix);
    let mut dash = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash {
            s.push('-');
            dash = true;
        }
    }
    while s.ends_with('-') {
        s.pop();
    }
    s
}

/// An anchor line before a heading.
pub fn anchor(id: &str) -> String {
    format!("<a id=\"{id}\"></a>\n")
}

/// `§4.1.3`.
pub fn sec(s: &str) -> String {
    format!("§{s}")
}

/// A literal as the wire carries it.
pub fn literal(l: &Lit) -> String {
    match l {
        Lit::Int(v) => v.to_string(),
        Lit::Str(s) => format!("\"{s}\""),
    }
}

/// A type in words, with the coded values it allows and a link to their
/// set: `[protocol](#set-protocol): 1 UDP, 2 TCP client`.
pub fn ty_long(d: &Dialect, ty: &Ty) -> String {
    match ty {
        Ty::Counted { .. } => {
            "quoted bytes of any value, as many as its count field says (read by count, not up to the next `\"`)".to_string()
        }
        Ty::Int { min, max } => format!("integer {min}-{max}"),
        Ty::Enum { set, allowed } => {
            let names: Vec<String> = allowed
                .iter()
                .map(|v| {
                    let name = d
                        .value_sets
                        .get(*set)
                        .and_then(|s| s.values.iter().find(|x| x.0 == *v))
                        .map(|x| x.1.as_ref())
                        .unwrap_or("");
                    format!("{v} {name}").trim_end().to_string()
                })
                .collect();
            let set = d.value_sets.get(*set).map_or("", |s| s.id.as_ref());
            format!("[{set}](#{}): {}", slug("set-", set), names.join(", "))
        }
        Ty::Str { max_len } => with_max("quoted string", *max_len, "characters"),
        Ty::Host { max_len } => {
            with_max("quoted host name or IPv4 address", *max_len, "characters")
        }
        Ty::Ip => "quoted IPv4 address".to_string(),
        Ty::HostAny { max_len } => with_max(
            "quoted host name, IPv4 or IPv6 address",
            *max_len,
            "characters",
        ),
        Ty::IpAny => "quoted IPv4 or IPv6 address".to_string(),
        Ty::Code { table, success } => {
            let code = match table.and_then(|t| d.error_tables.get(t)) {
                Some(t) => format!("error code of table `{}`", t.id),
                None => "error code".to_string(),
            };
            match success {
                Some(v) => format!("{v} (success) or {code}"),
                None => code,
            }
        }
        Ty::Hex { max_bytes } => format!("quoted hex dump of at most {max_bytes} bytes"),
        Ty::Text => "free text to the end of the line".to_string(),
        Ty::Ranges => "list of integers and ranges in parentheses, e.g. `(0-31,99)`".to_string(),
        Ty::Token => "unquoted word, not an integer".to_string(),
        Ty::StrEnum { set, allowed } => {
            let names: Vec<String> = allowed
                .iter()
                .map(|v| {
                    let name = d
                        .value_sets
                        .get(*set)
                        .and_then(|s| s.texts.iter().find(|x| x.0 == *v))
                        .map(|x| x.1.as_ref())
                        .filter(|n| *n != v.as_ref())
                        .unwrap_or("");
                    format!("\"{v}\" {name}").trim_end().to_string()
                })
                .collect();
            let set = d.value_sets.get(*set).map_or("", |s| s.id.as_ref());
            format!(
                "[{set}](#{}) (quoted): {}",
                slug("set-", set),
                names.join(", ")
            )
        }
    }
}

fn with_max(what: &str, max: Option<u32>, unit: &str) -> String {
    match max {
        Some(n) => format!("{what}, at most {n} {unit}"),
        None => what.to_string(),
    }
}

fn name(params: &[Param], i: usize) -> String {
    params
        .get(i)
        .map_or_else(|| format!("#{i}"), |p| format!("`<{}>`", p.name))
}

fn names(params: &[Param], ix: &[usize]) -> String {
    let v: Vec<String> = ix.iter().map(|&i| name(params, i)).collect();
    match v.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `<mode>` = 1, `<bid>` in 1, 2, 11: conditions in words.
pub fn conds(params: &[Param], when: &[Cond]) -> String {
    let v: Vec<String> = when
        .iter()
        .map(|c| {
            match c.given {
                Some(true) => return format!("{} is given", name(params, c.param)),
                Some(false) => return format!("{} is left out", name(params, c.param)),
                None => {}
            }
            let mut vals: Vec<String> = c.values.iter().map(i64::to_string).collect();
            vals.extend(c.texts.iter().map(|t| format!("\"{t}\"")));
            match vals.as_slice() {
                [one] => format!("{} = {one}", name(params, c.param)),
                _ => format!("{} in {}", name(params, c.param), vals.join(", ")),
            }
        })
        .collect();
    v.join(" and ")
}

/// A rule in words, with its section (from the notes).
pub fn rule(params: &[Param], r: &Rule, section: &str) -> String {
    let (text, section) = match r {
        Rule::Order { lesser, greater } => (
            format!(
                "{} is at least {}",
                name(params, *greater),
                name(params, *lesser)
            ),
            section,
        ),
        Rule::Together(p) => (
            format!("{} are given together or not at all", names(params, p)),
            section,
        ),
        Rule::AnyOf(p) => (
            format!("at least one of {} is given", names(params, p)),
            section,
        ),
        Rule::Require { when, params: p } => (
            format!(
                "when {}: {} must be given",
                conds(params, when),
                names(params, p)
            ),
            section,
        ),
        Rule::Forbid { when, params: p } => (
            format!(
                "when {}: {} must not be given",
                conds(params, when),
                names(params, p)
            ),
            section,
        ),
        Rule::Reject { when, reason } => (
            format!("when {}: refused, {}", conds(params, when), prose(reason)),
            section,
        ),
        Rule::Range {
            when,
            param,
            min,
            max,
        } => (
            format!(
                "when {}: {} is {min}-{max}",
                conds(params, when),
                name(params, *param)
            ),
            section,
        ),
        Rule::Format {
            when,
            param,
            format,
        } if when.is_empty() => (
            format!("{} is {}", name(params, *param), format.describe()),
            section,
        ),
        Rule::Format {
            when,
            param,
            format,
        } => (
            format!(
                "when {}: {} is {}",
                conds(params, when),
                name(params, *param),
                format.describe()
            ),
            section,
        ),
    };
    format!("{text} ({})", sec(section))
}

/// A data-mode outcome in words, with its section (from the notes).
pub fn outcome(params: &[Param], o: &Outcome, section: &str) -> String {
    let mode = match o.data {
        DataMode::Continuous => "continuous data mode after CONNECT",
        DataMode::Transparent => "continuous transparent data mode after CONNECT (only +++ leaves)",
        DataMode::HexDump => "DATA offline session: data as hex dumps in +WIPDATARW, no CONNECT",
    };
    let etx = match o.etx {
        None => "",
        Some(EtxMeaning::EndOfDatagram) => "; a lone ETX ends a datagram",
        Some(EtxMeaning::Shutdown) => "; a lone ETX shuts the sending side down",
        Some(EtxMeaning::EndOfData) => "; ETX ends the transfer",
    };
    let up = if o.upload {
        "; an upload: the modem sends no data, and a final result code it sends ends the session"
    } else {
        ""
    };
    let when = if o.when.is_empty() {
        String::new()
    } else {
        format!("when {}: ", conds(params, &o.when))
    };
    format!("{when}{mode}{etx}{up} ({})", sec(section))
}

/// A sort key for section numbers: `4.1.3` → [4, 1, 3], so that 10 comes
/// after 9.
pub fn section_key(s: &str) -> Vec<u32> {
    s.split('.')
        .map(|p| p.trim().parse().unwrap_or(0))
        .collect()
}

/// `10 s`, `500 ms`.
pub fn duration(ms: u32) -> String {
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}
