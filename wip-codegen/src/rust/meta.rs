//! `pub static META`: what the runtime's framer needs to know about each
//! command (its timeout, the lines it may answer, whether it can open a
//! data mode) and the URCs, as `::wip_runtime::meta` describes them.
//! Short names are imported inside the initializer's block, as for
//! `DIALECT`.

use crate::ir::{self, DataMode, EtxMeaning, MessageKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The field counts of a message line: `(min, max)`, `max` `None` when
/// unbounded; `None` for a free-text line.
pub(crate) fn arity(spec: &ir::Spec, m: &ir::Message) -> Option<(usize, Option<usize>)> {
    if m.fields.len() == 1 && m.fields.first().is_some_and(|f| f.ty == ir::Ty::Text) {
        return None;
    }
    let mandatory = m.fields.iter().filter(|f| !f.optional).count();
    let all = m.fields.len();
    if m.rest.is_some() {
        return Some((mandatory, None));
    }
    let Some(b) = &m.options else {
        return Some((mandatory, Some(all)));
    };
    let read = b.access == ir::Access::R;
    let mut min = usize::MAX;
    let mut max = Some(0usize);
    for (_, t) in &b.tables {
        let Some(t) = spec.option_table(t) else {
            continue;
        };
        for o in &t.options {
            let (vals, rest) = if read {
                (&o.read, &o.read_rest)
            } else {
                (&o.values, &o.rest)
            };
            min = min.min(vals.iter().filter(|p| !p.optional).count());
            max = match (max, rest.is_some()) {
                (Some(m), false) => Some(m.max(vals.len())),
                _ => None,
            };
        }
    }
    if min == usize::MAX {
        min = 0;
    }
    Some((mandatory + min, max.map(|x| all + x)))
}

fn shape(spec: &ir::Spec, m: &ir::Message) -> TokenStream {
    let prefix = m.prefix.as_deref();
    let opt_prefix = match prefix {
        Some(p) => quote!(Some(#p)),
        None => quote!(None),
    };
    match (arity(spec, m), prefix) {
        (None, _) => quote!(LineShape::free_text(#opt_prefix)),
        (Some((min, Some(max))), Some(p)) if min == max => {
            let n = super::index(min);
            quote!(LineShape::exact(#p, #n))
        }
        (Some((min, Some(max))), Some(p)) => {
            let (min, max) = (super::index(min), super::index(max));
            quote!(LineShape::prefixed(#p, #min, #max))
        }
        (Some((min, Some(max))), None) => {
            let (min, max) = (super::index(min), super::index(max));
            quote!(LineShape::bare(#min, #max))
        }
        (Some((min, None)), _) => {
            let min = super::index(min);
            quote! {
                LineShape { prefix: #opt_prefix, min_fields: #min, max_fields: None, text: false }
            }
        }
    }
}

/// The runtime's data mode of a command. The runtime tells two kinds of
/// session apart: those whose lone ETX ends the transfer (`File`) and
/// those where it marks a datagram or a shutdown (`Socket`); a command
/// with no `CONNECT` outcome (hex dumps only, or none) has `None`.
fn data_mode(c: &ir::Command) -> TokenStream {
    let connects: Vec<&ir::Outcome> = c
        .forms
        .iter()
        .flat_map(|f| f.outcomes.iter())
        .filter(|o| matches!(o.data, DataMode::Continuous | DataMode::Transparent))
        .collect();
    if connects.is_empty() {
        quote!(DataMode::None)
    } else if connects
        .iter()
        .any(|o| o.etx == Some(EtxMeaning::EndOfData))
    {
        quote!(DataMode::File)
    } else {
        quote!(DataMode::Socket)
    }
}

/// `pub static META`.
pub(crate) fn emit(spec: &ir::Spec) -> TokenStream {
    let commands = spec.commands.iter().map(|c| {
        let name = &c.name;
        let mut ids: Vec<&str> = Vec::new();
        for f in &c.forms {
            for r in &f.responses {
                if !ids.contains(&r.as_str()) {
                    ids.push(r);
                }
            }
        }
        let shapes = ids
            .iter()
            .filter_map(|id| spec.message(id))
            .map(|m| shape(spec, m));
        let timeout = super::u32_lit(c.timeout_ms);
        let dm = data_mode(c);
        quote! {
            CommandMeta {
                name: #name,
                responses: &[#(#shapes),*],
                timeout_ms: #timeout,
                data_mode: #dm,
            }
        }
    });
    let urcs = spec
        .messages
        .iter()
        .filter(|m| matches!(m.kind, MessageKind::Urc | MessageKind::Both) && m.prefix.is_some())
        .map(|m| shape(spec, m));
    quote! {
        /// What the runtime's framer needs to know: per command its
        /// timeout, the response lines it may return and whether it can
        /// open a data mode; and the unsolicited result codes, told apart
        /// from responses by prefix and field count.
        pub static META: ::wip_runtime::meta::Dialect = {
            #[allow(unused_imports)]
            use ::core::option::Option::{None, Some};
            use ::wip_runtime::meta::*;
            Dialect {
                commands: &[#(#commands),*],
                urcs: &[#(#urcs),*],
            }
        };
    }
}
