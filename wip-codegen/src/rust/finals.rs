//! One typed value per final result code the spec declares (`SEND OK`,
//! `DATA ACCEPT: <length>`): its fields typed, its [`wip_schema::Final`]
//! as `CODE` (see `TypedFinal`), parsed from and formatted to its line.

use super::fields::{self, Plan};
use super::names::Cx;
use super::{call, docs, ident, new_line, Code};
use quote::quote;
use wip_spec::notes::{Noted, ParamRef};

/// Every declared final result code; nothing for a spec that declares none.
pub(crate) fn emit(cx: &Cx<'_>) -> Result<Code, String> {
    let d = &cx.spec.dialect;
    let mut code = Code::default();
    for (i, (f, n)) in d.finals.iter().zip(&cx.spec.notes.finals).enumerate() {
        let params: Vec<ParamRef<'_>> = f
            .fields
            .iter()
            .zip(&n.fields)
            .map(|(item, notes)| Noted { item, notes })
            .collect();
        let plan: Plan = fields::plan(cx.spec, &params, &[], None, None, &[])
            .map_err(|e| format!("final result code `{}`: {e}", f.text))?;
        let name = ident(&n.rust);
        let what = if f.success {
            "A final result code that reports success"
        } else {
            "A final result code that reports a failure"
        };
        let doc = docs::attrs(&[
            docs::code(&f.syntax()),
            docs::prose(&n.doc),
            format!(
                "{what}, section {}. A reply ends with it as with `OK` or `ERROR`; its [`wip_runtime::schema::Final`] is `<{} as TypedFinal>::CODE`.",
                n.section, n.rust
            ),
        ]);
        let decl = plan.decl(&name);
        code.items(quote! {
            #doc
            #decl
        });
        code.text(call(
            "__typed_final",
            &format!("{}: {i} {}", n.rust, f.success),
            &new_line(&plan.new_args()),
            &plan.wire_entries(),
        ));
    }
    Ok(code)
}
