//! Lays out the items the emitters build as tokens (type definitions with
//! their docs, the `DIALECT` static) the way prettyplease and rustfmt do,
//! without parsing them into a syntax tree first: `wip generate` spent
//! most of its time in that parse.
//!
//! The items the generator writes have a few shapes only (attributes,
//! `enum` and `struct` bodies, `use` trees, nested calls and arrays), so
//! the layout is a greedy one: a group is written on one line when it fits
//! in [`WIDTH`] columns, else one element a line. Only whitespace is
//! chosen here; the tokens are written as they are, so the text means what
//! the tokens do.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// The widest line, as prettyplease's margin.
const WIDTH: usize = 100;
/// One level of indentation.
const INDENT: usize = 4;

/// The source text of some items.
pub(crate) fn items(tokens: TokenStream) -> String {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut p = Printer::default();
    p.items(&tts, 0);
    p.out
}

#[derive(Default)]
struct Printer {
    out: String,
    col: usize,
    /// Columns that must stay free after the tokens being written (the
    /// comma a list puts after an element).
    reserve: usize,
}

fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

/// The token trees of `tts` split at top-level `sep`, the separators
/// dropped (a trailing one makes no empty part).
fn split(tts: &[TokenTree], sep: char) -> Vec<&[TokenTree]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, t) in tts.iter().enumerate() {
        if is_punct(Some(t), sep) {
            parts.push(&tts[start..i]);
            start = i + 1;
        }
    }
    if start < tts.len() {
        parts.push(&tts[start..]);
    }
    parts
}

fn has_top(tts: &[TokenTree], c: char) -> bool {
    tts.iter().any(|t| is_punct(Some(t), c))
}

/// The text of a doc attribute's string literal, if `tts` is `doc = "..."`
/// of one line.
fn doc_text(tts: &[TokenTree]) -> Option<String> {
    let [TokenTree::Ident(i), TokenTree::Punct(eq), TokenTree::Literal(l)] = tts else {
        return None;
    };
    if i != "doc" || eq.as_char() != '=' {
        return None;
    }
    let lit = l.to_string();
    let text = match lit.strip_prefix('r') {
        Some(raw) => {
            let hashes = raw.len() - raw.trim_start_matches('#').len();
            let fence = "#".repeat(hashes);
            raw.strip_prefix(&format!("{fence}\""))?
                .strip_suffix(&format!("\"{fence}"))?
                .to_string()
        }
        None => unescape(lit.strip_prefix('"')?.strip_suffix('"')?)?,
    };
    (!text.contains(['\n', '\r'])).then_some(text)
}

/// The value of the body of a string literal; `None` for an escape this
/// does not know (the attribute is then written as it is).
fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            'u' => {
                let rest: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let hex = rest.strip_prefix('{')?;
                out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The text of tokens on one line.
fn flat(tts: &[TokenTree]) -> String {
    let mut p = Printer::default();
    p.flat(tts);
    p.out
}

impl Printer {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
        self.col += s.len();
    }

    fn newline(&mut self, indent: usize) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        self.out.push('\n');
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.col = indent;
    }

    /// Attributes (`#[...]`, doc attributes as `///` lines) at the start
    /// of `tts`, each on a line of its own; the rest.
    fn attrs<'t>(&mut self, mut tts: &'t [TokenTree], indent: usize) -> &'t [TokenTree] {
        while let [TokenTree::Punct(p), TokenTree::Group(g), rest @ ..] = tts {
            if p.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
                break;
            }
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            match doc_text(&inner) {
                Some(text) => self.push(&format!("///{text}")),
                None => self.push(&format!("#[{}]", flat(&inner))),
            }
            self.newline(indent);
            tts = rest;
        }
        tts
    }

    /// Items or statements, one after the other, each from a new line.
    fn items(&mut self, tts: &[TokenTree], indent: usize) {
        let mut rest = tts;
        let mut first = true;
        while !rest.is_empty() {
            if !first {
                self.newline(indent);
            }
            first = false;
            rest = self.attrs(rest, indent);
            let mut end = rest.len();
            let mut saw_eq = false;
            for (i, t) in rest.iter().enumerate() {
                match t {
                    TokenTree::Punct(p) if p.as_char() == ';' => {
                        end = i + 1;
                        break;
                    }
                    TokenTree::Punct(p) if p.as_char() == '=' => saw_eq = true,
                    TokenTree::Group(g)
                        if g.delimiter() == Delimiter::Brace
                            && !saw_eq
                            && !is_punct(rest.get(i + 1), ';') =>
                    {
                        end = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            let (item, tail) = rest.split_at(end);
            self.seq(item, indent, true);
            rest = tail;
        }
        if !tts.is_empty() {
            self.newline(0);
            self.out.truncate(self.out.trim_end_matches(' ').len());
        }
    }

    /// A list of elements, one a line, each followed by a comma.
    fn list(&mut self, tts: &[TokenTree], indent: usize, commas: bool) {
        let parts = split(tts, ',');
        for (i, part) in parts.iter().enumerate() {
            self.newline(indent);
            let part = self.attrs(part, indent);
            let comma = commas || i + 1 < parts.len();
            let saved = self.reserve;
            self.reserve = usize::from(comma);
            self.seq(part, indent, false);
            self.reserve = saved;
            if comma {
                self.push(",");
            }
        }
    }

    /// Tokens from the current column, groups broken where they do not
    /// fit; a method chain that does not fit has a call a line.
    fn seq(&mut self, tts: &[TokenTree], indent: usize, item: bool) {
        let dots: Vec<usize> = tts
            .iter()
            .enumerate()
            .filter(|(i, t)| *i > 0 && is_punct(Some(t), '.'))
            .map(|(i, _)| i)
            .collect();
        if let Some(&first) = dots.first() {
            if self.col + flat(tts).len() + self.reserve > WIDTH {
                let saved = self.reserve;
                self.reserve = 0;
                self.seq(&tts[..first], indent, item);
                self.reserve = saved;
                let ends = dots.iter().skip(1).copied().chain([tts.len()]);
                for (start, end) in dots.iter().copied().zip(ends) {
                    self.newline(indent + INDENT);
                    self.seq(&tts[start..end], indent + INDENT, false);
                }
                return;
            }
        }
        let mut prev: Option<&TokenTree> = None;
        for (i, t) in tts.iter().enumerate() {
            if space_between(i.checked_sub(2).and_then(|j| tts.get(j)), prev, t) {
                self.push(" ");
            }
            match t {
                TokenTree::Group(g) => {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    self.group(g.delimiter(), &inner, &tts[i + 1..], prev, indent, item);
                }
                _ => self.push(&t.to_string()),
            }
            prev = Some(t);
        }
    }

    fn group(
        &mut self,
        delim: Delimiter,
        inner: &[TokenTree],
        after: &[TokenTree],
        prev: Option<&TokenTree>,
        indent: usize,
        item: bool,
    ) {
        let (open, close) = match delim {
            Delimiter::Parenthesis => ("(", ")"),
            Delimiter::Bracket => ("[", "]"),
            Delimiter::Brace => ("{", "}"),
            Delimiter::None => ("", ""),
        };
        let use_tree = is_punct(prev, ':');
        let attrs = has_top(inner, '#');
        let flat_inner = flat(inner);
        let flat_text = match delim {
            Delimiter::Brace if !inner.is_empty() && !use_tree => format!("{{ {flat_inner} }}"),
            _ => format!("{open}{flat_inner}{close}"),
        };
        // What must follow on the same line: up to the next separator or
        // group (which can break in its turn).
        let tail_end = after
            .iter()
            .position(|t| {
                is_punct(Some(t), ',')
                    || is_punct(Some(t), ';')
                    || is_punct(Some(t), '=')
                    || matches!(t, TokenTree::Group(_))
            })
            .map_or(after.len(), |p| p + 1);
        let tail = flat(&after[..tail_end]).len();
        let must_break = match delim {
            Delimiter::Brace => !use_tree && !inner.is_empty() && (item || attrs),
            _ => false,
        };
        let can_break = !inner.is_empty()
            && match delim {
                // `[T; N]` and `[x; n]` have no elements to put on lines.
                Delimiter::Bracket | Delimiter::Parenthesis => !has_top(inner, ';'),
                Delimiter::Brace => true,
                Delimiter::None => false,
            };
        if !must_break && (!can_break || self.col + flat_text.len() + tail + self.reserve <= WIDTH)
        {
            self.push(&flat_text);
            return;
        }
        let hug = matches!(delim, Delimiter::Parenthesis | Delimiter::Bracket)
            && !has_top(inner, ',')
            && matches!(inner.last(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace);
        if hug {
            // `f(const {` ... `})`: one block argument hugs the parentheses.
            self.push(open);
            let saved = self.reserve;
            self.reserve = 1;
            self.seq(inner, indent, false);
            self.reserve = saved;
            self.push(close);
            return;
        }
        self.push(open);
        let deeper = indent + INDENT;
        match delim {
            Delimiter::Brace if has_top(inner, ';') => {
                self.newline(deeper);
                self.items(inner, deeper);
                // `items` ends with a newline at column 0.
                self.out.pop();
            }
            Delimiter::Brace if item || attrs => self.list(inner, deeper, true),
            Delimiter::Brace => {
                self.newline(deeper);
                self.seq(inner, deeper, false);
            }
            _ => {
                // A trailing comma after every element, but one that would
                // make a parenthesized expression a tuple.
                let call = matches!(prev, Some(TokenTree::Ident(_)));
                let commas = delim == Delimiter::Bracket || call || has_top(inner, ',');
                self.list(inner, deeper, commas);
            }
        }
        self.newline(indent);
        self.push(close);
    }

    /// Tokens on one line.
    fn flat(&mut self, tts: &[TokenTree]) {
        let mut prev: Option<&TokenTree> = None;
        for (i, t) in tts.iter().enumerate() {
            if space_between(i.checked_sub(2).and_then(|j| tts.get(j)), prev, t) {
                self.push(" ");
            }
            match t {
                TokenTree::Group(g) => {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    let text = flat(&inner);
                    let s = match g.delimiter() {
                        Delimiter::Parenthesis => format!("({text})"),
                        Delimiter::Bracket => format!("[{text}]"),
                        Delimiter::Brace if text.is_empty() || is_punct(prev, ':') => {
                            format!("{{{text}}}")
                        }
                        Delimiter::Brace => format!("{{ {text} }}"),
                        Delimiter::None => text,
                    };
                    self.push(&s);
                }
                _ => self.push(&t.to_string()),
            }
            prev = Some(t);
        }
    }
}

const KEYWORDS: [&str; 12] = [
    "pub", "use", "static", "const", "as", "in", "impl", "dyn", "for", "mut", "enum", "struct",
];

/// Whether a space goes between two tokens on a line (`before` is the
/// token before `prev`).
fn space_between(before: Option<&TokenTree>, prev: Option<&TokenTree>, t: &TokenTree) -> bool {
    let Some(prev) = prev else { return false };
    // The second colon of a `::`.
    if before.is_some_and(|b| is_colon_pair(b, prev)) {
        return false;
    }
    match (prev, t) {
        (TokenTree::Punct(p), _) => match p.as_char() {
            // `a, b`, `a; b`, `a = b`, `a: T`, `=>`
            ',' | ';' | '=' => !matches!(t, TokenTree::Punct(q) if q.as_char() == '>'),
            ':' => p.spacing() == Spacing::Alone && !is_colon_pair(prev, t),
            '>' => {
                matches!(t, TokenTree::Ident(_) | TokenTree::Literal(_))
                    || matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
                    || matches!(t, TokenTree::Punct(q) if q.as_char() == '=')
            }
            _ => false,
        },
        (_, TokenTree::Punct(q)) => match q.as_char() {
            '=' => true,
            // `::` starting a path after a keyword: `use ::core`.
            ':' => {
                q.spacing() == Spacing::Joint
                    && matches!(prev, TokenTree::Ident(i) if KEYWORDS.contains(&i.to_string().as_str()))
            }
            '&' | '\'' | '#' => true,
            _ => false,
        },
        (TokenTree::Ident(i), TokenTree::Group(g)) => {
            g.delimiter() == Delimiter::Brace || KEYWORDS.contains(&i.to_string().as_str())
        }
        (_, TokenTree::Group(g)) => g.delimiter() == Delimiter::Brace,
        (TokenTree::Group(_), TokenTree::Ident(_) | TokenTree::Literal(_)) => true,
        _ => true,
    }
}

/// Whether `prev` and `t` are the two colons of a `::`.
fn is_colon_pair(prev: &TokenTree, t: &TokenTree) -> bool {
    matches!(prev, TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
        && matches!(t, TokenTree::Punct(q) if q.as_char() == ':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn pretty(t: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(t).unwrap())
    }

    #[test]
    fn type_definitions_read_as_prettyplease_writes_them() {
        let t = quote! {
            /// A value set.
            ///
            /// Section `4.2`, "quoted" \ text.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
            #[repr(i64)]
            pub enum BearerId {
                /// UART1: `1`.
                Uart1 = 1,
                Gsm = -5,
            }
            pub use ::wip_runtime::schema::typed::{TypedCommand as _, TypedMessage as _};
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
            pub struct WipCfgStop;
            pub struct S {
                /// `<a>`.
                pub a: ::core::option::Option<u8>,
                pub b: Vec<(String, String)>,
                pub c: ::wip_runtime::schema::prelude::Vec<[u8; 3]>,
            }
            pub enum V {
                /// A value.
                Login(::wip_runtime::schema::prelude::String),
                /// Several.
                Multi {
                    /// `<a>`.
                    a: u8,
                    b: ::core::option::Option<u16>,
                },
                Unit,
            }
        };
        assert_eq!(items(t.clone()), pretty(t));
    }

    #[test]
    fn long_expressions_break_one_element_a_line() {
        let t = quote! {
            pub static D: ::x::Dialect = {
                #[allow(unused_imports)]
                use ::core::option::Option::{None, Some};
                const A: &[Opt] = &[
                    Opt::new(0, "WIP_BOPT_LOGIN", const { &[Param::req("value", Ty::string(Some(64)))] }),
                    Opt::new(24, "WIP_BOPT_IP_MAC_WITH_A_LONGER_NAME", const { &[Param::req("value", Ty::string(Some(32)))] }).access(AccessSpec::R),
                ];
                Dialect::new("x", "+WIP").tables(&[A])
            };
        };
        let text = items(t.clone());
        assert!(text.lines().all(|l| l.len() <= WIDTH), "{text}");
        // The same tokens, so the same items.
        let back: syn::File = syn::parse_str(&text).unwrap();
        let orig: syn::File = syn::parse2(t).unwrap();
        assert_eq!(
            pretty(quote::ToTokens::to_token_stream(&back)),
            pretty(quote::ToTokens::to_token_stream(&orig))
        );
        assert!(
            text.contains("        Opt::new(\n            24,\n"),
            "{text}"
        );
        assert!(
            text.contains("    use ::core::option::Option::{None, Some};\n"),
            "{text}"
        );
    }

    #[test]
    fn long_types_break_in_their_groups() {
        let t = quote! {
            pub struct S {
                pub headers: ::wip_runtime::schema::prelude::Vec<(::wip_runtime::schema::prelude::String, ::wip_runtime::schema::prelude::String)>,
            }
        };
        assert_eq!(
            items(t),
            "pub struct S {\n    pub headers: ::wip_runtime::schema::prelude::Vec<(\n        \
             ::wip_runtime::schema::prelude::String,\n        \
             ::wip_runtime::schema::prelude::String,\n    )>,\n}\n"
        );
    }

    #[test]
    fn unknown_escapes_keep_the_attribute() {
        assert_eq!(
            unescape(r#"a \"b\" \\ \u{e9}"#).as_deref(),
            Some("a \"b\" \\ é")
        );
        assert_eq!(unescape(r"\q"), None);
    }
}
