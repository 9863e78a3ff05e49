//! `@match` patterns: a modem line with holes. `{*}` matches any text;
//! `{NAME}` matches any text and captures it, and once captured it only
//! matches the same text again; captured values can be used in the
//! arguments of later directives as `{NAME}`.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    Any,
    Var(String),
}

fn parts(pattern: &str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let name = &rest[open + 1..close];
        let ok = !name.is_empty()
            && (name == "*"
                || name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        if !ok {
            out.push(Part::Lit(rest[..=open].to_string()));
            rest = &rest[open + 1..];
            continue;
        }
        if open > 0 {
            out.push(Part::Lit(rest[..open].to_string()));
        }
        out.push(if name == "*" {
            Part::Any
        } else {
            Part::Var(name.to_string())
        });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Part::Lit(rest.to_string()));
    }
    merge(out)
}

fn merge(v: Vec<Part>) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    for p in v {
        match (out.last_mut(), p) {
            (Some(Part::Lit(a)), Part::Lit(b)) => a.push_str(&b),
            (_, p) => out.push(p),
        }
    }
    out
}

/// Matches `text` against `pattern`; on success the new captures are
/// added to `vars`.
pub fn matches(pattern: &str, text: &str, vars: &mut BTreeMap<String, String>) -> bool {
    let ps = parts(pattern);
    let mut caught = BTreeMap::new();
    if walk(&ps, text, vars, &mut caught) {
        vars.extend(caught);
        true
    } else {
        false
    }
}

fn walk(
    ps: &[Part],
    text: &str,
    vars: &BTreeMap<String, String>,
    caught: &mut BTreeMap<String, String>,
) -> bool {
    let Some((first, rest)) = ps.split_first() else {
        return text.is_empty();
    };
    match first {
        Part::Lit(l) => text
            .strip_prefix(l.as_str())
            .is_some_and(|t| walk(rest, t, vars, caught)),
        Part::Var(name) if vars.contains_key(name) || caught.contains_key(name) => {
            let v = vars
                .get(name)
                .or_else(|| caught.get(name))
                .cloned()
                .unwrap_or_default();
            text.strip_prefix(v.as_str())
                .is_some_and(|t| walk(rest, t, vars, caught))
        }
        Part::Any | Part::Var(_) => {
            // Shortest first: holes are usually followed by a separator.
            let mut ends: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            ends.push(text.len());
            for end in ends {
                let (head, tail) = text.split_at(end);
                if let Part::Var(name) = first {
                    caught.insert(name.clone(), head.to_string());
                }
                if walk(rest, tail, vars, caught) {
                    return true;
                }
                if let Part::Var(name) = first {
                    caught.remove(name);
                }
            }
            false
        }
    }
}

/// Replaces `{NAME}` by captured values in directive arguments.
pub fn substitute(args: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = args.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_and_captures() {
        let mut v = BTreeMap::new();
        assert!(matches("+WIPOPT: 1,0,{port}", "+WIPOPT: 1,0,40213", &mut v));
        assert_eq!(v.get("port").map(String::as_str), Some("40213"));
        assert!(matches("{*}", "anything at all", &mut v));
        assert!(matches("a{port}b", "a40213b", &mut v));
        assert!(!matches("a{port}b", "a1b", &mut v));
        assert!(!matches("+WIPREADY: 1,{*}", "+WIPACCEPT: 1,1", &mut v));
        assert_eq!(substitute("to {port}", &v), "to 40213");
        // Braces that are not holes are literal.
        assert!(matches("{ x }", "{ x }", &mut v));
    }
}
