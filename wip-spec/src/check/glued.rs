//! Checks of raw data inside or right after a message's line that
//! `prompt.rs` does not cover: a field glued to its prefix (SIMCom
//! `+IPD<len>`, `glued: true`) and a quoted field read by count (u-blox
//! `+USORD: <socket>,<length>,"<data>"`, `Counted(len: "length")`).

use super::Cx;
use crate::model;
use wip_schema as s;

impl Cx<'_> {
    /// Checks `glued: true`: the message has a prefix and exactly one
    /// field, an integer of at least 0, and no repeated group or option
    /// values. Gives whether the lowered message is glued.
    pub(super) fn glued(&mut self, m: &model::Message, fields: &[s::Param]) -> bool {
        if !m.glued {
            return false;
        }
        if m.prefix.is_none() {
            self.err(
                Some("glued"),
                "`glued: true` glues the field to the prefix, but the message has no `prefix`"
                    .into(),
            );
            return false;
        }
        let one_int = matches!(
            fields,
            [s::Param { ty: s::Ty::Int { min, .. }, optional: false, .. }] if *min >= 0
        );
        if !one_int || m.rest.is_some() || m.options.is_some() {
            self.err(
                Some("glued"),
                format!(
                    "`glued: true` needs exactly one field, a mandatory integer of at least 0 (the digits after `{}`), and no `rest` or `options`; the message has {} field(s)",
                    m.prefix.as_deref().unwrap_or_default(),
                    fields.len()
                ),
            );
            return false;
        }
        true
    }
}

impl Cx<'_> {
    /// Resolves the count field of each `Counted(len: …)` field of a
    /// message: it must name an earlier field of the message, a mandatory
    /// integer of at least 0; the error names both.
    pub(super) fn counted(&mut self, m: &model::Message, fields: &mut [s::Param]) {
        for (i, p) in m.fields.iter().enumerate() {
            let model::Type::Counted { len } = &p.ty else {
                continue;
            };
            let found = m.fields.iter().take(i).position(|q| &q.name == len);
            let ok = found
                .and_then(|j| fields.get(j).map(|f| (j, f)))
                .filter(|(_, f)| matches!(f.ty, s::Ty::Int { min, .. } if min >= 0) && !f.optional);
            match (found, ok) {
                (_, Some((j, _))) => {
                    if let Some(f) = fields.get_mut(i) {
                        f.ty = s::Ty::Counted { len_field: j };
                    }
                }
                (None, _) => self.err(
                    Some("fields"),
                    format!(
                        "`{}` is `Counted(len: \"{len}\")`, but no field before it is named `{len}`",
                        p.name
                    ),
                ),
                (Some(_), None) => self.err(
                    Some("fields"),
                    format!(
                        "`{}` is `Counted(len: \"{len}\")`, but `{len}` is not a mandatory integer field of at least 0",
                        p.name
                    ),
                ),
            }
        }
    }
}
