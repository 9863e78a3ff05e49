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
        // A command's list names codes of its table, `cme` by default.
        let own = c
            .errors_table
            .or_else(|| d.error_table("cme").map(|(i, _)| i));
        if !c.errors_complete || own != table || c.errors.contains(&code) {
            return;
        }
        let list: Vec<String> = c.errors.iter().map(u32::to_string).collect();
        self.report(
            line,
            format!(
                "`{}`: AT{} does not answer error {code} of table {} (its list is complete: {})",
                text.trim(),
                c.name,
                table_name(t),
                list.join(", ")
            ),
        );
    }
}
