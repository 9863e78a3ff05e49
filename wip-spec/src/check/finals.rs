//! Declared final result codes (`finals: [FinalCode(...)]`) and the
//! finals each form may end with (`Form.finals`).

use super::{owned, q, Cx};
use crate::ident;
use crate::model;
use crate::notes::FinalNotes;
use std::collections::BTreeSet;
use wip_schema as s;

/// The text of a final result code split into its fixed part and the
/// names of its fields: `DATA ACCEPT: <length>` is `DATA ACCEPT` and
/// `[length]`; `SEND OK` has no fields. `None` when the text is not of
/// that shape.
fn split_text(text: &str) -> Option<(&str, Vec<&str>)> {
    if !text.contains('<') {
        return Some((text, Vec::new()));
    }
    let (head, tail) = text.split_once(':')?;
    let names = tail
        .split(',')
        .map(|f| f.trim().strip_prefix('<')?.strip_suffix('>'))
        .collect::<Option<Vec<&str>>>()?;
    Some((head.trim_end(), names))
}

impl Cx<'_> {
    /// Checks the declared final result codes; their description goes to
    /// `self.finals`, for forms to refer to.
    pub(super) fn finals(&mut self, list: &[model::FinalCode]) -> Vec<FinalNotes> {
        let mut notes = Vec::new();
        let mut texts = BTreeSet::new();
        for f in list {
            self.enter(
                format!("finals[{}]", f.text),
                Some(format!("text: {}", q(&f.text))),
            );
            let (head, names) = match split_text(&f.text) {
                Some(x) => x,
                None => {
                    self.err(
                        Some("text"),
                        format!(
                            "`{}` is neither a fixed line nor `PREFIX: <field>,<field>...`",
                            f.text
                        ),
                    );
                    (f.text.as_str(), Vec::new())
                }
            };
            if head.trim().is_empty() || head != head.trim() {
                self.err(
                    Some("text"),
                    "a final result code needs a text without blanks around it".into(),
                );
            }
            if s::Final::parse(head.as_bytes()).is_some() || s::FinalRef::builtin(head).is_some() {
                self.err(
                    Some("text"),
                    format!("`{head}` is a built-in final result code: list it in a form's `finals` without declaring it"),
                );
            }
            if !texts.insert(head.to_string()) {
                self.err(
                    Some("text"),
                    format!("final result code `{head}` is declared twice"),
                );
            }
            let (params, param_notes) = self.params(&f.fields, "fields");
            let declared: Vec<&str> = params.iter().map(|p| p.name.as_ref()).collect();
            if declared != names {
                self.err(
                    Some("fields"),
                    format!(
                        "the text names the fields [{}], `fields` declares [{}]: they must be the same, in order",
                        names.join(", "),
                        declared.join(", ")
                    ),
                );
            }
            let rust = self.rust_name(&f.rust, format!("{}Final", ident::camel(head)));
            self.finals.push(s::FinalCode {
                text: owned(head),
                success: f.success,
                fields: params.into(),
            });
            notes.push(FinalNotes {
                rust,
                doc: f.doc.clone(),
                section: f.section.clone(),
                fields: param_notes,
            });
            self.leave();
        }
        notes
    }

    /// Resolves the final result codes a form lists: built-in names and
    /// the spec's declared ones, by their text.
    pub(super) fn form_finals(&mut self, f: &model::Form) -> Vec<s::FinalRef> {
        let mut out = Vec::new();
        for name in &f.finals {
            let declared = self
                .finals
                .iter()
                .position(|fc| fc.text == name.as_str() || fc.syntax() == *name);
            let r = match (s::FinalRef::builtin(name), declared) {
                (Some(r), _) => r,
                (None, Some(i)) => s::FinalRef::Custom(u16::try_from(i).unwrap_or(u16::MAX)),
                (None, None) => {
                    self.err(
                        Some("finals"),
                        format!("unknown final result code `{name}`: neither a built-in one (OK, ERROR, +CME ERROR, +CMS ERROR, CONNECT, NO CARRIER, BUSY, NO ANSWER, NO DIALTONE) nor one of the spec's `finals`"),
                    );
                    continue;
                }
            };
            if out.contains(&r) {
                self.err(
                    Some("finals"),
                    format!("final result code `{name}` is listed twice"),
                );
                continue;
            }
            out.push(r);
        }
        if !out.is_empty() && !f.outcomes.is_empty() && !out.contains(&s::FinalRef::Connect) {
            self.err(
                Some("finals"),
                "the form opens data mode (`outcomes`), so `CONNECT` must be among its `finals`"
                    .into(),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::split_text;

    #[test]
    fn texts_split_into_prefix_and_fields() {
        assert_eq!(split_text("SEND OK"), Some(("SEND OK", vec![])));
        assert_eq!(
            split_text("DATA ACCEPT: <length>"),
            Some(("DATA ACCEPT", vec!["length"]))
        );
        assert_eq!(split_text("+X: <a>,<b>"), Some(("+X", vec!["a", "b"])));
        assert_eq!(split_text("X: <a"), None);
        assert_eq!(split_text("X <a>"), None);
    }
}
