//! Checks of raw data inside or right after a message's line that
//! `prompt.rs` does not cover: a field glued to its prefix (SIMCom
//! `+IPD<len>`, `glued: true`).

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
