//! Checks of a form's prompt and the payload rules after it (the lowering
//! of `Form.prompt` to [`wip_schema::Prompt`]).

use super::{owned, Cx};
use crate::model;
use crate::notes::PromptNotes;
use wip_schema as s;

impl Cx<'_> {
    /// Checks and lowers the prompt of a form whose parameters are
    /// `params`; `form_section` stands in for a prompt without a section.
    pub(super) fn prompt(
        &mut self,
        p: &model::Prompt,
        params: &[s::Param],
        has_outcomes: bool,
        form_section: &str,
    ) -> (s::Prompt, PromptNotes) {
        let lowered = s::Prompt {
            text: owned(&p.text),
            again_after: p.again_after,
            delay_ms: p.delay_ms,
            payload: Vec::new().into(),
        };
        let marker = lowered.marker();
        if marker.is_empty() {
            self.err(
                Some("prompt"),
                format!(
                    "prompt text {:?} has nothing but line ends and blanks to match",
                    p.text
                ),
            );
        } else if marker.iter().any(|b| matches!(b, b'\r' | b'\n')) {
            self.err(
                Some("prompt"),
                format!(
                    "prompt text {:?} holds a line end after its first character; only leading CR LF are allowed",
                    p.text
                ),
            );
        }
        if has_outcomes {
            self.err(
                Some("prompt"),
                "a form with a prompt cannot also open a data mode (`outcomes`)".into(),
            );
        }
        if p.payload.is_empty() {
            self.err(
                Some("payload"),
                "a prompt needs at least one `Payload(count: ...)` or `Payload(end: ...)`".into(),
            );
        }
        let mut rules = Vec::new();
        for pl in &p.payload {
            let when = self.conds(&pl.when, params, "payload");
            if let Some(kind) = self.payload_kind(pl, params) {
                rules.push(s::PayloadRule {
                    when: when.into(),
                    kind,
                });
            }
        }
        if let Some(i) = p.payload.iter().position(|pl| pl.when.is_empty()) {
            if i + 1 < p.payload.len() {
                self.err(
                    Some("payload"),
                    format!(
                        "payload entry {} has no `when`, so the entries after it never apply",
                        i + 1
                    ),
                );
            }
        }
        let notes = PromptNotes {
            section: p
                .section
                .clone()
                .unwrap_or_else(|| form_section.to_string()),
            doc: p.doc.clone(),
        };
        (
            s::Prompt {
                payload: rules.into(),
                ..lowered
            },
            notes,
        )
    }

    /// One `Payload(...)`: a count parameter or a terminator.
    fn payload_kind(&mut self, pl: &model::Payload, params: &[s::Param]) -> Option<s::PayloadKind> {
        if pl.line {
            self.err(
                Some("payload"),
                "`line: true` is for a message's payload; after a prompt use `count` or `end`"
                    .into(),
            );
        }
        match (&pl.count, pl.end) {
            (Some(_), Some(_)) | (None, None) => {
                self.err(
                    Some("payload"),
                    "a `Payload` takes exactly one of `count` (a parameter) and `end` (a terminator byte)".into(),
                );
                None
            }
            (Some(name), None) => {
                if pl.abort.is_some() || pl.escape.is_some() {
                    self.err(
                        Some("payload"),
                        format!("payload counted by `{name}` cannot have an `abort` or `escape` byte; they need `end`"),
                    );
                }
                if pl.max_len.is_some() {
                    self.err(
                        Some("payload"),
                        format!("payload counted by `{name}` takes no `max_len`: its parameter's range bounds it"),
                    );
                }
                let i = self.index_of(params, name, "payload")?;
                match params.get(i).map(|p| &p.ty) {
                    Some(s::Ty::Int { min, .. }) if *min >= 0 => {
                        Some(s::PayloadKind::Counted { param: i })
                    }
                    _ => {
                        self.err(
                            Some("payload"),
                            format!("`count` names `{name}`, which is not an integer parameter of at least 0"),
                        );
                        None
                    }
                }
            }
            (None, Some(end)) => {
                let bytes = [Some(end), pl.abort, pl.escape];
                let distinct = bytes
                    .iter()
                    .enumerate()
                    .all(|(i, a)| a.is_none() || !bytes.iter().skip(i + 1).any(|b| b == a));
                if !distinct {
                    self.err(
                        Some("payload"),
                        format!(
                            "the `end`, `abort` and `escape` bytes of a payload must differ (end 0x{end:02X})"
                        ),
                    );
                    return None;
                }
                Some(s::PayloadKind::Terminated {
                    end,
                    abort: pl.abort,
                    escape: pl.escape,
                    max_len: pl.max_len,
                })
            }
        }
    }
}

impl Cx<'_> {
    /// Checks and lowers the payload after a message's line: a count
    /// field, or the next line.
    pub(super) fn payload_after(
        &mut self,
        p: &model::Payload,
        fields: &[s::Param],
    ) -> Option<s::PayloadAfter> {
        if !p.when.is_empty()
            || p.end.is_some()
            || p.abort.is_some()
            || p.escape.is_some()
            || p.max_len.is_some()
        {
            self.err(
                Some("payload"),
                "a message's payload takes only `count` (a field) or `line: true`; `when`, `end`, `abort`, `escape` and `max_len` belong to prompts".into(),
            );
        }
        match (&p.count, p.line) {
            (Some(_), true) | (None, false) => {
                self.err(
                    Some("payload"),
                    "a message's `Payload` takes exactly one of `count` (a field) and `line: true`"
                        .into(),
                );
                None
            }
            (None, true) => Some(s::PayloadAfter::Line),
            (Some(name), false) => {
                let i = self.index_of(fields, name, "payload")?;
                match fields.get(i).map(|f| &f.ty) {
                    Some(s::Ty::Int { min, .. }) if *min >= 0 => {
                        Some(s::PayloadAfter::Counted { field: i })
                    }
                    _ => {
                        self.err(
                            Some("payload"),
                            format!("`count` names `{name}`, which is not an integer field of at least 0"),
                        );
                        None
                    }
                }
            }
        }
    }
}
