//! Test-command answers (`AT+X=?` → `+X: (0-6),(0-1)`): messages marked
//! `test: true`, their `Ranges` fields, and the Test forms that list them.

use super::{q, Cx};
use crate::model;
use crate::model::FormKind;
use wip_schema as s;

impl Cx<'_> {
    /// Checks one message: a `Ranges` list only in a test answer, and a
    /// test answer is an information response with a prefix.
    pub(super) fn test_answer(
        &mut self,
        m: &model::Message,
        fields: &[s::Param],
        rest: Option<&s::Rest>,
    ) {
        if !m.test {
            let ranges = fields
                .iter()
                .find(|f| f.ty == s::Ty::Ranges)
                .map(|f| format!("field `{}`", f.name))
                .or_else(|| {
                    rest.filter(|r| r.ty == s::Ty::Ranges)
                        .map(|r| format!("the repeated group `{}`", r.name))
                });
            if let Some(what) = ranges {
                self.err(
                    Some("fields"),
                    format!("{what} is a `Ranges` list, which only a test-command answer holds: mark the message `test: true`"),
                );
            }
            return;
        }
        if m.kind != s::MessageKind::Info {
            self.err(
                Some("kind"),
                format!(
                    "a test-command answer comes only in answer to `AT{}=?`: its kind is Info, not {:?}",
                    m.prefix.as_deref().unwrap_or("+X"),
                    m.kind
                ),
            );
        }
        if m.prefix.is_none() {
            self.err(
                Some("prefix"),
                "a test-command answer carries its command's prefix (`+X: (0-1)`)".into(),
            );
        }
    }

    /// Each test answer is listed by the Test form of the command its
    /// prefix names, and by no other form.
    pub(super) fn test_answers(&mut self, messages: &[s::Message], commands: &[s::Command]) {
        for c in commands {
            for f in c.forms.iter() {
                let wrong: Vec<&s::Message> = f
                    .responses
                    .iter()
                    .filter_map(|&i| messages.get(i))
                    .filter(|m| {
                        m.test
                            && (f.kind != FormKind::Test
                                || !m
                                    .prefix
                                    .as_deref()
                                    .is_some_and(|p| p.eq_ignore_ascii_case(&c.name)))
                    })
                    .collect();
                for m in wrong {
                    self.enter(
                        format!("commands[{}]", c.name),
                        Some(format!("name: {}", q(&c.name))),
                    );
                    self.enter(
                        format!("forms[{}]", f.name),
                        Some(format!("name: {}", q(&f.name))),
                    );
                    let why = if f.kind == FormKind::Test {
                        format!(
                            "`{}` is a test answer of {}, not of AT{}=?",
                            m.id,
                            m.prefix.as_deref().unwrap_or("no prefix"),
                            c.name
                        )
                    } else {
                        format!(
                            "`{}` is a test-command answer (`test: true`): only the Test form lists it, not this {:?} form",
                            m.id, f.kind
                        )
                    };
                    self.err(Some("responses"), why);
                    self.leave();
                    self.leave();
                }
            }
        }
        for (i, m) in messages.iter().enumerate() {
            if !m.test {
                continue;
            }
            let listed = commands.iter().any(|c| {
                c.forms
                    .iter()
                    .any(|f| f.kind == FormKind::Test && f.responses.contains(&i))
            });
            if listed {
                continue;
            }
            let prefix = m.prefix.as_deref().unwrap_or("");
            let owner = commands
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(prefix));
            let why = match owner {
                None => format!(
                    "test answer `{}` has the prefix {prefix}, but no command {prefix} with a Test form answers it",
                    m.id
                ),
                Some(c) if !c.forms.iter().any(|f| f.kind == FormKind::Test) => format!(
                    "test answer `{}`: command {prefix} has no Test form to answer it; add `Form(kind: Test, ..., responses: [\"{}\"])`",
                    m.id, m.id
                ),
                Some(_) => format!(
                    "test answer `{}` is listed by no Test form; add it to the `responses` of the Test form of {prefix}",
                    m.id
                ),
            };
            self.enter(
                format!("messages[{}]", m.id),
                Some(format!("id: {}", q(&m.id))),
            );
            self.err(Some("test"), why);
            self.leave();
        }
    }
}
