//! Rust identifiers derived from the names a spec uses.
//!
//! The source's names (`"opt num"`, `"TCP client"`, `"+WIPCFG"`) become
//! `snake_case` field names and `UpperCamelCase` type and variant names.

/// Splits a name into lowercase alphanumeric words.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            // A lower-to-upper step starts a new word (`WipCfg` → wip, cfg).
            if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            cur.push(c.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `"opt num"` → `opt_num`; a leading digit gets a `v` prefix and Rust
/// keywords get a trailing `_`.
pub fn snake(name: &str) -> String {
    let mut s = words(name).join("_");
    if s.is_empty() {
        s.push('x');
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'v');
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

/// `"TCP client"` → `TcpClient`; a leading digit gets a `V` prefix.
pub fn camel(name: &str) -> String {
    let mut s = String::new();
    for w in words(name) {
        let mut cs = w.chars();
        if let Some(first) = cs.next() {
            s.push(first.to_ascii_uppercase());
            s.extend(cs);
        }
    }
    if s.is_empty() {
        s.push('X');
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// Whether `s` is usable as a Rust identifier as written in a spec's
/// `rust:` override.
pub fn is_valid(s: &str) -> bool {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    cs.all(|c| c.is_ascii_alphanumeric() || c == '_') && !is_keyword(s) && s != "_"
}

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_names() {
        assert_eq!(snake("opt num"), "opt_num");
        assert_eq!(snake("local IP"), "local_ip");
        assert_eq!(snake("content-id"), "content_id");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("3gpp"), "v3gpp");
        assert_eq!(camel("TCP client"), "TcpClient");
        assert_eq!(camel("+WIPCFG"), "Wipcfg");
        assert_eq!(camel("WipCfg"), "WipCfg");
        assert_eq!(camel("HTTP 1.0"), "Http10");
        assert_eq!(
            camel("bearer connection failure : line busy"),
            "BearerConnectionFailureLineBusy"
        );
    }

    #[test]
    fn validates_overrides() {
        assert!(is_valid("WipCfg"));
        assert!(is_valid("opt_num"));
        assert!(!is_valid("9x"));
        assert!(!is_valid("a-b"));
        assert!(!is_valid("type"));
        assert!(!is_valid(""));
    }
}
