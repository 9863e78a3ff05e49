//! Rustdoc text from the spec's prose.
//!
//! The spec quotes the manual, whose `<bid>`, `[ETX]` and `http://` would
//! be read by rustdoc as HTML tags, intra-doc links and bare URLs (each a
//! warning, and the bindings build under `deny(warnings)`), so such spans
//! are put in code spans or escaped. Paragraphs are wrapped so that the
//! checked-in bindings read well in review.

use crate::doc::md::code_spans;
use proc_macro2::TokenStream;
use quote::quote;

/// The widest doc line, not counting the `/// `.
const WIDTH: usize = 92;

/// `#[doc]` attributes for some paragraphs of Markdown (spec text goes
/// through [`prose`] first); empty paragraphs are dropped.
pub(crate) fn attrs<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let lines = lines(paragraphs).into_iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#lines)*)
}

/// The text of the doc lines of some paragraphs, as [`attrs`] writes
/// them: each line with its leading space, an empty line between
/// paragraphs.
pub(crate) fn lines<S: AsRef<str>>(paragraphs: &[S]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs {
        let p = p.as_ref().trim();
        if p.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(wrap(p));
    }
    lines
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") })
        .collect()
}

/// Doc attributes of a variant or field: the paragraphs run together as
/// one, so that a long enum or struct stays short to read.
pub(crate) fn attrs_inline<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let joined: Vec<&str> = paragraphs
        .iter()
        .map(|p| p.as_ref().trim())
        .filter(|p| !p.is_empty())
        .collect();
    attrs(&[joined.join(" ")])
}

/// Spec text as Markdown, ending with a full stop.
pub(crate) fn prose(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        return String::new();
    }
    let mut s = markdown(t);
    if !s.ends_with(['.', '!', '?', ':', ')']) {
        s.push('.');
    }
    s
}

/// A code span; code spans keep their text verbatim and are never split
/// by wrapping.
pub(crate) fn code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// Escapes the spec's prose for rustdoc's Markdown. Code spans are kept as
/// they are: inside backticks nothing is escaped.
pub(crate) fn markdown(text: &str) -> String {
    code_spans(text)
        .into_iter()
        .map(|(code, s)| if code { s.to_string() } else { escape(s) })
        .collect()
}

/// [`markdown`] of text without code spans.
fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            // A backtick that opens no code span.
            '`' => {
                out.push_str("\\`");
                i += 1;
            }
            '<' => match angle_run(&chars, i) {
                Some(end) => {
                    let s: String = chars.get(i..end).unwrap_or(&[]).iter().collect();
                    out.push_str(&code(&s));
                    i = end;
                }
                None => {
                    out.push_str("&lt;");
                    i += 1;
                }
            },
            '>' => {
                out.push_str("&gt;");
                i += 1;
            }
            '[' | ']' | '*' | '_' if c != '_' || word_edge(&chars, i) => {
                out.push('\\');
                out.push(c);
                i += 1;
            }
            'h' if starts_url(&chars, i) => {
                let end = chars
                    .iter()
                    .skip(i)
                    .position(|x| x.is_whitespace())
                    .map_or(chars.len(), |n| i + n);
                let s: String = chars.get(i..end).unwrap_or(&[]).iter().collect();
                let s = s.trim_end_matches([',', '.', ')', ';']);
                out.push_str(&code(s));
                i += s.chars().count();
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// An underscore at the edge of a word could start or end emphasis.
fn word_edge(chars: &[char], i: usize) -> bool {
    let alnum = |j: Option<usize>| {
        j.and_then(|j| chars.get(j))
            .is_some_and(|c| c.is_alphanumeric())
    };
    !(alnum(i.checked_sub(1)) && alnum(Some(i + 1)))
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest: String = chars.iter().skip(i).take(8).collect();
    rest.starts_with("http://") || rest.starts_with("https://")
}

/// The end of a run of `<...>` groups starting at `i` (`<CR><LF>`), when
/// each group closes on the same line within a few words.
fn angle_run(chars: &[char], mut i: usize) -> Option<usize> {
    let mut end = None;
    while chars.get(i) == Some(&'<') {
        let close = chars
            .iter()
            .skip(i + 1)
            .take(48)
            .position(|&c| c == '>' || c == '<' || c == '`' || c == '\n')
            .map(|n| i + 1 + n)?;
        let blank_inside = chars.get(i + 1).is_some_and(|c| c.is_whitespace());
        if chars.get(close) != Some(&'>') || close == i + 1 || blank_inside {
            break;
        }
        i = close + 1;
        end = Some(i);
    }
    end
}

/// Wraps a paragraph at [`WIDTH`], never inside a code span; a line that
/// would start with a Markdown block marker (`-`, `+`, `#`, `1.`) gets it
/// escaped.
fn wrap(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in words(text) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WIDTH {
            lines.push(std::mem::take(&mut line));
        }
        if line.is_empty() {
            line = block_safe(&word);
        } else {
            line.push(' ');
            line.push_str(&word);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Words separated by blanks, a code span counting as one word.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for (code, part) in code_spans(text) {
        if code {
            cur.push_str(part);
            continue;
        }
        for c in part.chars() {
            if c.is_whitespace() {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            } else {
                cur.push(c);
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn block_safe(word: &str) -> String {
    let numbered = word.len() > 1
        && word.ends_with(['.', ')'])
        && word
            .get(..word.len() - 1)
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()));
    if numbered {
        // `12.` starts an ordered list; `12\.` does not.
        let (n, p) = word.split_at(word.len() - 1);
        return format!("{n}\\{p}");
    }
    let repeated = |c: char| word.chars().all(|x| x == c);
    if word.starts_with('>') || ['#', '-', '=', '+', '*'].into_iter().any(repeated) {
        format!("\\{word}")
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_manual_notation() {
        assert_eq!(markdown("the <bid> of [ETX]"), "the `<bid>` of \\[ETX\\]");
        assert_eq!(markdown("<CR><LF> ends it"), "`<CR><LF>` ends it");
        assert_eq!(markdown("a < b > c"), "a &lt; b &gt; c");
        assert_eq!(
            markdown("starting with http://x.org, then"),
            "starting with `http://x.org`, then"
        );
        assert_eq!(markdown("WIP_NET_OPT and _x"), "WIP_NET_OPT and \\_x");
        assert_eq!(markdown("keep `a<b>` as is"), "keep `a<b>` as is");
        // Nothing inside a code span is escaped, whatever its backticks.
        assert_eq!(markdown("the `>` prompt"), "the `>` prompt");
        assert_eq!(markdown("``a`>b`` and > c"), "``a`>b`` and &gt; c");
        assert_eq!(markdown("a ` b > c"), "a \\` b &gt; c");
    }

    #[test]
    fn wraps_without_block_markers() {
        let long = "word ".repeat(40);
        let lines = wrap(long.trim());
        assert!(lines.len() > 1 && lines.iter().all(|l| l.len() <= WIDTH));
        let lines = wrap(&format!("{} # 12. - x", "a".repeat(WIDTH - 1)));
        assert_eq!(lines.get(1).map(String::as_str), Some("\\# 12. - x"));
        let lines = wrap(&format!("{} 12. x", "a".repeat(WIDTH - 1)));
        assert_eq!(lines.get(1).map(String::as_str), Some("12\\. x"));
        // A code span with a blank inside stays on one line.
        let lines = wrap(&format!("{} `` a` b ``", "a".repeat(WIDTH - 4)));
        assert_eq!(lines.get(1).map(String::as_str), Some("`` a` b ``"));
        let lines = wrap(&format!("{} +WIPCFG x", "a".repeat(WIDTH - 1)));
        assert_eq!(lines.get(1).map(String::as_str), Some("+WIPCFG x"));
    }
}
