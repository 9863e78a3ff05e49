//! Stand-in items for a spec that does not compile.
//!
//! When `include_spec!` reports a broken spec it still expands to items, so
//! that code using the bindings gets the spec's own errors and not a
//! cascade of unresolved names (thiserror-impl's `fallback.rs` does the
//! same for a derive whose attributes are wrong).
//!
//! - `DIALECT` and `CmeError`, which every generated file has,
//!   come from the generator itself, run on a spec with no commands, so
//!   they have their real types and methods.
//! - When the file still parses as a spec, every type named after one of
//!   its items gets a stub: value sets and option tables as enums of their
//!   values and options, forms and messages as empty structs.
//! - `Request`, `Response` and `Urc` are enums with one variant per stub
//!   form or message (none when the file does not parse), as in generated
//!   code, without its methods.

use super::{dialect_static, errors, ident, names::Cx};
use crate::check;
use crate::ident as names;
use crate::model::{self, MessageKind};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// A spec with no commands: what generated code always has.
const EMPTY: &str =
    r#"Spec(name: "Fallback", version: "0", revision: "0", source: "", commands: [])"#;

/// The Rust source of stand-in items for a spec that does not compile;
/// `src` is its text (empty when it could not be read). Never fails: what
/// cannot be made is left out.
pub fn fallback(src: &str) -> String {
    let fixed = crate::load_str(EMPTY, "fallback")
        .ok()
        .and_then(|spec| {
            let cx = Cx::new(&spec).ok()?;
            let dialect = dialect_static::emit(&spec);
            let errors = errors::emit(&cx).unformatted();
            Some(format!("{dialect}\n{errors}"))
        })
        .unwrap_or_default();
    let spec = check::parse(src, "").ok();
    let stubs = stubs(spec.as_ref());
    format!("{fixed}\n{stubs}")
}

/// A type name as the checker derives it: the spec's `rust:` override, or
/// the name in `UpperCamelCase`.
fn type_name(given: &Option<String>, name: &str) -> String {
    given.clone().unwrap_or_else(|| names::camel(name))
}

/// One stub per type the spec names, and `Request`, `Response` and `Urc`
/// across them; names that are invalid or taken twice (the spec's problems
/// may be exactly that) are skipped.
fn stubs(spec: Option<&model::Spec>) -> TokenStream {
    // The generator's own names, which the spec's must not take.
    let mut taken: BTreeSet<String> = ["DIALECT", "Request", "Response", "Urc", "CmeError"]
        .into_iter()
        .map(String::from)
        .collect();
    let mut fresh = |name: &str| names::is_valid(name) && taken.insert(name.to_string());
    let mut items = Vec::new();
    let (mut requests, mut responses, mut urcs) = (Vec::new(), Vec::new(), Vec::new());
    let value_sets = spec.map_or(&[][..], |s| &s.value_sets);
    let tables = spec.map_or(&[][..], |s| &s.option_tables);
    let commands = spec.map_or(&[][..], |s| &s.commands);
    let messages = spec.map_or(&[][..], |s| &s.messages);
    for vs in value_sets {
        let name = type_name(&vs.rust, &vs.id);
        if fresh(&name) {
            let values = vs.values.iter().map(|v| type_name(&v.rust, &v.name));
            items.push(unit_enum(&name, values));
        }
    }
    for t in tables {
        let name = type_name(&t.rust, &t.id);
        if fresh(&name) {
            let options = t.options.iter().map(|o| type_name(&o.rust, &o.name));
            items.push(unit_enum(&name, options));
        }
        for payload in ["Value", "Reading"] {
            let name = format!("{name}{payload}");
            if fresh(&name) {
                items.push(unit_enum(&name, std::iter::empty()));
            }
        }
    }
    for c in commands {
        let cmd = type_name(&c.rust, &c.name);
        for f in &c.forms {
            let name = format!("{cmd}{}", f.name);
            if fresh(&name) {
                items.push(structure(&name));
                requests.push(name);
            }
        }
    }
    for m in messages {
        if fresh(&m.id) {
            items.push(structure(&m.id));
            if m.kind != MessageKind::Urc {
                responses.push(m.id.clone());
            }
            if m.kind != MessageKind::Info {
                urcs.push(m.id.clone());
            }
        }
    }
    let across = [
        ("Request", requests),
        ("Response", responses),
        ("Urc", urcs),
    ]
    .into_iter()
    .map(|(name, variants)| {
        let name = ident(name);
        let variants = variants.iter().map(|v| ident(v));
        quote! {
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            #[allow(dead_code)]
            pub enum #name { #(#variants(#variants),)* }
        }
    });
    quote!(#(#items)* #(#across)*)
}

/// An enum of unit variants, each name once.
fn unit_enum(name: &str, variants: impl Iterator<Item = String>) -> TokenStream {
    let mut seen = BTreeSet::new();
    let variants: Vec<_> = variants
        .filter(|v| names::is_valid(v) && seen.insert(v.clone()))
        .map(|v| ident(&v))
        .collect();
    let name = ident(name);
    quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[allow(dead_code)]
        pub enum #name { #(#variants,)* }
    }
}

/// A struct with no fields.
fn structure(name: &str) -> TokenStream {
    let name = ident(name);
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[allow(dead_code)]
        pub struct #name {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(src: &str) -> Vec<String> {
        let file: syn::File = syn::parse_str(&fallback(src)).expect("the fallback parses");
        file.items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Struct(s) => Some(s.ident.to_string()),
                syn::Item::Enum(e) => Some(e.ident.to_string()),
                syn::Item::Static(s) => Some(s.ident.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn unreadable_spec_gives_the_fixed_items() {
        let names = items("Spec(name: ");
        for fixed in ["DIALECT", "Request", "Response", "Urc", "CmeError"] {
            assert!(names.iter().any(|n| n == fixed), "{fixed} in {names:?}");
        }
    }

    #[test]
    fn a_spec_that_parses_gives_its_names() {
        // Parses, but does not check: the range is empty, the message unknown.
        let src = r#"Spec(name: "B", version: "1", revision: "1", source: "",
            value_sets: [ValueSet(id: "file mode", section: "1",
                values: [Value(value: 1, name: "read"), Value(value: 2, name: "write", rust: "Put")])],
            option_tables: [OptionTable(id: "sock", rust: "SocketOption", title: "t", section: "2",
                options: [Opt(id: 0, name: "PORT", access: All(RW), values: [])])],
            commands: [Command(name: "+XA", title: "A", section: "1", timeout_ms: 1,
                forms: [Form(kind: Action, name: "Set", section: "1",
                    params: [Param(name: "n", ty: Int(min: 5, max: 1))],
                    responses: ["Nope"])])],
            messages: [Message(id: "XaLine", prefix: "+XA", kind: Info, section: "1"),
                       Message(id: "Request", prefix: "+XB", kind: Info, section: "1"),
                       Message(id: "not valid", prefix: "+XC", kind: Info, section: "1")],
        )"#;
        assert!(crate::load_str(src, "b.ron").is_err());
        let names = items(src);
        for n in [
            "FileMode",
            "SocketOption",
            "SocketOptionValue",
            "SocketOptionReading",
            "XaSet",
            "XaLine",
            "Request",
        ] {
            assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
        }
        // A name the generator takes, or one that is no identifier, is not
        // stubbed a second time.
        assert_eq!(names.iter().filter(|n| *n == "Request").count(), 1);
        assert!(!names.iter().any(|n| n.contains(' ')));
        assert_eq!(variants(src, "FileMode"), ["Read", "Put"]);
        assert_eq!(variants(src, "SocketOption"), ["Port"]);
        assert_eq!(variants(src, "Request"), ["XaSet"]);
        assert_eq!(variants(src, "Response"), ["XaLine"]);
        assert!(variants(src, "Urc").is_empty());
    }

    #[test]
    fn nothing_known_gives_empty_enums() {
        assert!(variants("", "Request").is_empty());
        assert!(variants("", "Urc").is_empty());
    }

    fn variants(src: &str, name: &str) -> Vec<String> {
        let file: syn::File = syn::parse_str(&fallback(src)).expect("the fallback parses");
        let found = file.items.iter().find_map(|i| match i {
            syn::Item::Enum(e) if e.ident == name => Some(e),
            _ => None,
        });
        let e = found.unwrap_or_else(|| panic!("no enum {name}"));
        e.variants.iter().map(|v| v.ident.to_string()).collect()
    }
}
