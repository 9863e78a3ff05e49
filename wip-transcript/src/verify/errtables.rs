//! Error codes checked against named error tables: `+CMS ERROR: <n>`
//! against the table whose line it is, and a command's complete error
//! list (`errors_complete`).

use super::Verifier;
use wip_schema::{Dialect, ErrorTable, Final};

/// The table of a final result's code, with the code: `+CME ERROR` is
/// the table `cme` (or the spec's plain `errors`, `None`), `+CMS ERROR`
/// the table whose line it is.
fn table_of(d: &Dialect, f: &Final) -> Option<(Option<usize>, u32)> {
    match f {
        Final::CmeError(Some(code)) => Some((d.error_table("cme").map(|(i, _)| i), *code)),
        Final::CmsError(Some(code)) => Some((Some(d.error_table_of_line("+CMS ERROR")?.0), *code)),
        _ => None,
    }
}

fn table_name(t: Option<&ErrorTable>) -> &str {
    t.map_or("cme", |t| t.id.as_ref())
}

impl Verifier<'_> {
    /// A `+CME ERROR` that carries no number: one of the `cme` table's
    /// texts when the table says its line may carry them (`verbose_by:
    /// "AT+CMEE=2"`), else a violation.
    pub(super) fn cme_text(&mut self, line: usize, text: &str) {
        let d = self.d;
        let said = text.trim().split_once(':').map_or("", |(_, t)| t.trim());
        match d.error_table("cme") {
            Some((_, t)) if t.verbose => {
                if t.code_of_text(said).is_none() {
                    self.report(
                        line,
                        format!(
                            "`{}`: \"{said}\" is not the text of a code of error table cme of {}",
                            text.trim(),
                            d.name
                        ),
                    );
                }
            }
            _ => self.report(line, format!("`{text}`: the error code is not a number")),
        }
    }

    /// Reports a `+CMS ERROR` code outside its table, and a code outside a
    /// command's complete list of its table.
    pub(super) fn table_errors(
        &mut self,
        line: usize,
        text: &str,
        f: &Final,
        command: Option<usize>,
    ) {
        let d = self.d;
        let Some((table, code)) = table_of(d, f) else {
            return;
        };
        let t = table.and_then(|i| d.error_tables.get(i));
        if matches!(f, Final::CmsError(_)) && t.is_some_and(|t| !t.accepts(code)) {
            self.report(
                line,
                format!(
                    "`{}`: error code {code} is not in error table {} of {}",
                    text.trim(),
                    table_name(t),
                    d.name
                ),
            );
            return;
        }
        let Some(c) = command.and_then(|i| d.commands.get(i)) else {
            return;
        };
        // A code its table does not define is reported as such, once.
        let defined = match t {
            Some(t) => t.accepts(code),
            None => d.error_text(code).is_some(),
        };
        if !defined {
            return;
        }
        // A command's list names codes of its table, `cme` by default.
        let own = c
            .errors_table
            .or_else(|| d.error_table("cme").map(|(i, _)| i));
        if !c.errors_complete
            || own != table
            || c.errors.contains(&code)
            || c.also_errors.contains(&code)
        {
            return;
        }
        let list: Vec<String> = c.errors.iter().map(u32::to_string).collect();
        let also: Vec<String> = c.also_errors.iter().map(u32::to_string).collect();
        let also = if also.is_empty() {
            String::new()
        } else {
            format!("; beyond it: {}", also.join(", "))
        };
        self.report(
            line,
            format!(
                "`{}`: AT{} does not answer error {code} of table {} (its list is complete: {}{also})",
                text.trim(),
                c.name,
                table_name(t),
                list.join(", ")
            ),
        );
    }
}
