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
