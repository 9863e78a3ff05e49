//! The error codes of `+CME ERROR: <n>` as an enum, with the source's
//! text of each and a variant for codes the spec does not define.

use super::names::Cx;
use super::{call, docs, ident, str_lit, Code};
use quote::quote;

/// `pub enum CmeError`.
pub(crate) fn emit(cx: &Cx<'_>) -> Code {
    let errors = cx.spec.errors();
    let notes = &cx.spec.notes;
    let variants = errors.iter().map(|e| {
        let v = ident(&e.notes.rust);
        let group = if e.notes.group.is_empty() {
            String::new()
        } else {
            format!(", group `{}`", e.notes.group)
        };
        let d = docs::attrs_inline(&[
            format!("`{}`: {}", e.code, docs::prose(&e.text)),
            format!("Section {}{group}.", e.notes.section),
        ]);
        quote!(#d #v)
    });
    let reserved_doc = if notes.reserved_errors.is_empty() {
        "Ranges of codes the source reserves without defining them: none.".to_string()
    } else {
        let secs: Vec<String> = notes
            .reserved_errors
            .iter()
            .map(|(a, b, s)| format!("{a}-{b} (section {s})"))
            .collect();
        format!(
            "Ranges of codes the source reserves without defining them: {}.",
            secs.join(", ")
        )
    };
    let reserved = notes
        .reserved_errors
        .iter()
        .map(|(a, b, _)| format!("({a}, {b})"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut pre: Vec<String> = docs::lines(&[reserved_doc])
        .into_iter()
        .map(|l| format!("///{l}"))
        .collect();
    pre.push(format!("reserved [{reserved}];"));
    let entries: Vec<String> = errors
        .iter()
        .map(|e| format!("{} {} {}", e.notes.rust, e.code, str_lit(&e.notes.section)))
        .collect();
    let report = match &notes.error_report {
        Some(r) => {
            let after = r
                .enabled_by
                .as_ref()
                .map(|c| format!(" after {}", docs::code(c)))
                .unwrap_or_default();
            format!(" The modem reports them as {}{after}.", docs::code(&r.line))
        }
        None => String::new(),
    };
    let doc = docs::attrs(&[format!(
        "The error codes that {} defines, and [`CmeError::Unknown`] for any other code.{report}",
        docs::code(&format!(
            "{} {} rev {}",
            notes.name, notes.version, notes.revision
        ))
    )]);
    let mut code = Code::default();
    code.items(quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum CmeError {
            #(#variants,)*
            /// A code the spec does not define.
            Unknown(u32),
        }
    });
    code.text(call(
        "__error_codes",
        &format!("CmeError[{}]", errors.len()),
        &pre,
        &entries,
    ));
    code
}

/// The Rust type of error table `id` other than `cme` (`cms` → `CmsError`).
/// A trailing `Err` or `Error` is not repeated (`tcpip_err` → `TcpipError`).
pub(crate) fn table_type(id: &str) -> String {
    let name = wip_spec::ident::camel(id);
    let stem = name
        .strip_suffix("Error")
        .or_else(|| name.strip_suffix("Err"))
        .filter(|s| !s.is_empty())
        .unwrap_or(&name);
    format!("{stem}Error")
}

/// The variant names of a table's codes, from their texts; a name taken
/// by an earlier code, or `Unknown`, gets the code appended.
fn table_variants(t: &wip_schema::ErrorTable) -> Vec<String> {
    let mut seen: Vec<String> = vec!["Unknown".to_string()];
    t.codes
        .iter()
        .map(|e| {
            let mut v = wip_spec::ident::camel(&e.text);
            if seen.contains(&v) {
                v = format!("{v}{}", e.code);
            }
            seen.push(v.clone());
            v
        })
        .collect()
}

/// `pub enum <Id>Error` for each named error table but `cme`, whose codes
/// are [`emit`]'s.
pub(crate) fn emit_tables(cx: &Cx<'_>) -> Code {
    let mut code = Code::default();
    let spec = cx.spec;
    for (i, t) in spec.dialect.error_tables.iter().enumerate() {
        if t.id.as_ref() == "cme" {
            continue;
        }
        let notes = spec.notes.error_tables.get(i).cloned().unwrap_or_default();
        let name = ident(&table_type(&t.id));
        let names = table_variants(t);
        let section = |j: usize| -> String {
            notes
                .sections
                .get(j)
                .filter(|s| !s.is_empty())
                .cloned()
                .unwrap_or_else(|| notes.section.clone())
        };
        let vs: Vec<proc_macro2::Ident> = names.iter().map(|n| ident(n)).collect();
        let variants = t.codes.iter().enumerate().zip(&vs).map(|((j, e), v)| {
            let d = docs::attrs_inline(&[
                format!("`{}`: {}", e.code, docs::prose(&e.text)),
                format!("Section {}.", section(j)),
            ]);
            quote!(#d #v)
        });
        let report = match &notes.line {
            Some(line) => {
                let after = notes
                    .enabled_by
                    .as_ref()
                    .map(|c| format!(" after {}", docs::code(c)))
                    .unwrap_or_default();
                format!(" The modem reports them as {}{after}.", docs::code(line))
            }
            None => " Fields of messages carry them.".to_string(),
        };
        let doc = docs::attrs(&[format!(
            "The codes of error table {} (section {}), and [`{}::Unknown`] for any other code.{report}",
            docs::code(&t.id),
            notes.section,
            table_type(&t.id)
        )]);
        let (before, after) = match &notes.line {
            Some(line) => match line.split_once("<code>") {
                Some((a, b)) => (a.to_string(), b.to_string()),
                None => (format!("{line} "), String::new()),
            },
            None => (format!("{} error ", t.id), String::new()),
        };
        let esc = |s: &str| s.replace('{', "{{").replace('}', "}}");
        let known = format!("{}{{}}{}: {{}}", esc(&before), esc(&after));
        let unknown = format!(
            "{}{{}}{}: not defined by the spec",
            esc(&before),
            esc(&after)
        );
        code.items(quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variants,)*
                /// A code the spec does not define.
                Unknown(u32),
            }
        });
        let reserved = t
            .reserved
            .iter()
            .map(|(a, b)| format!("({a}, {b})"))
            .collect::<Vec<_>>()
            .join(", ");
        let pre = vec![
            "/// Ranges of codes the source reserves without defining them.".to_string(),
            format!("reserved [{reserved}];"),
            format!("display {} {};", str_lit(&known), str_lit(&unknown)),
        ];
        let entries: Vec<String> = t
            .codes
            .iter()
            .zip(&names)
            .enumerate()
            .map(|(j, (e, v))| {
                format!(
                    "{v} {} {} {}",
                    e.code,
                    str_lit(&e.text),
                    str_lit(&section(j))
                )
            })
            .collect();
        code.text(call(
            "__error_table",
            &format!("{}[{}]", table_type(&t.id), t.codes.len()),
            &pre,
            &entries,
        ));
    }
    code
}
