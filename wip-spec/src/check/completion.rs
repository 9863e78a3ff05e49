//! Timeouts taken from a parameter (`Command.timeout_from`) and the URC
//! that completes a form after its final result code (`Form.completion`).

use super::{owned, Cx};
use crate::model;
use wip_schema as s;

impl Cx<'_> {
    /// Checks a `timeout_from` against the parameters that may hold it.
    pub(super) fn timeout_from(
        &mut self,
        t: &model::TimeoutFrom,
        params: &[&s::Param],
        field: &str,
    ) -> s::TimeoutFrom {
        match params.iter().find(|p| p.name == t.param.as_str()) {
            None => self.err(
                Some(field),
                format!(
                    "`timeout_from` names `{}`, which is no parameter here",
                    t.param
                ),
            ),
            Some(p) if !matches!(p.ty, s::Ty::Int { .. }) => self.err(
                Some(field),
                format!(
                    "`timeout_from` names `{}`, which is not an integer",
                    t.param
                ),
            ),
            Some(_) => {}
        }
        if t.scale_ms == 0 && t.plus_ms == 0 {
            self.err(
                Some(field),
                "a timeout of 0 ms leaves no time for an answer".into(),
            );
        }
        s::TimeoutFrom {
            param: owned(&t.param),
            scale_ms: t.scale_ms,
            plus_ms: t.plus_ms,
        }
    }

    /// Checks a command's `timeout_from`: some form must have the
    /// parameter.
    pub(super) fn command_timeout_from(
        &mut self,
        c: &model::Command,
        forms: &[s::Form],
    ) -> Option<s::TimeoutFrom> {
        let t = c.timeout_from.as_ref()?;
        let params: Vec<&s::Param> = forms
            .iter()
            .flat_map(|f| f.params.iter())
            .filter(|p| p.name == t.param.as_str())
            .collect();
        Some(self.timeout_from(t, &params, "timeout_from"))
    }

    /// Checks a form's completion: a URC, echoed parameters that the URC
    /// has as fields, conditions on both sides.
    pub(super) fn completion(
        &mut self,
        f: &model::Form,
        params: &[s::Param],
        messages: &[s::Message],
    ) -> (Option<s::Completion>, Option<(String, String)>) {
        let Some(c) = &f.completion else {
            return (None, None);
        };
        let found = messages.iter().position(|m| m.id == c.message);
        let message = found.and_then(|i| messages.get(i));
        match message {
            None => self.err(
                Some("completion"),
                format!("unknown message `{}`", c.message),
            ),
            Some(m) if m.kind == s::MessageKind::Info => self.err(
                Some("completion"),
                format!(
                    "`{}` is an information response; a completion comes as a URC",
                    c.message
                ),
            ),
            _ => {}
        }
        let mut echo = Vec::new();
        for name in &c.echo {
            let Some(pi) = self.index_of(params, name, "completion") else {
                continue;
            };
            match message.and_then(|m| m.fields.iter().position(|x| x.name == name.as_str())) {
                Some(fi) => echo.push((pi, fi)),
                None if message.is_some() => self.err(
                    Some("completion"),
                    format!(
                        "the completion `{}` has no field `{name}` to repeat",
                        c.message
                    ),
                ),
                None => {}
            }
        }
        let when = self.conds(&c.when, params, "completion");
        let fields: Vec<s::Param> = message.map(|m| m.fields.to_vec()).unwrap_or_default();
        let success = if message.is_some() {
            self.conds(&c.success, &fields, "completion")
        } else {
            Vec::new()
        };
        if c.timeout_ms == 0 {
            self.err(
                Some("completion"),
                "a completion timeout of 0 ms leaves no time for the URC".into(),
            );
        }
        let abortable = f
            .prompt
            .as_ref()
            .is_some_and(|p| p.payload.iter().any(|x| x.abort.is_some()));
        if c.unless_aborted && !abortable {
            self.err(
                Some("completion"),
                format!(
                    "`unless_aborted` on the completion `{}`, but form `{}` has no payload with an `abort` byte",
                    c.message, f.name
                ),
            );
        }
        let refs: Vec<&s::Param> = params.iter().collect();
        let timeout_from = c
            .timeout_from
            .as_ref()
            .map(|t| self.timeout_from(t, &refs, "completion"));
        (
            Some(s::Completion {
                message: found.unwrap_or(usize::MAX),
                echo: echo.into(),
                when: when.into(),
                timeout_ms: c.timeout_ms,
                timeout_from,
                before_final: c.before_final,
                success: success.into(),
                unless_aborted: c.unless_aborted,
            }),
            Some((c.section.clone(), c.timeout_doc.clone())),
        )
    }
}
