//! `wip check [SPEC]`: load a spec and report every problem.

use std::path::Path;

/// Checks the spec; prints a summary when clean, the diagnostics otherwise.
pub fn run(path: Option<&Path>) -> u8 {
    match super::spec::load_or_report(path) {
        Ok((spec, name)) => {
            let (d, n) = (&spec.dialect, &spec.notes);
            let forms: usize = d.commands.iter().map(|c| c.forms.len()).sum();
            let options: usize = d.tables.iter().map(|t| t.options.len()).sum();
            let line = format!(
                "{name}: ok: {} {} rev {}: {} commands, {} forms, {} messages, {} option tables ({} options), {} error codes, {} limits, {} errata\n",
                n.name,
                n.version,
                n.revision,
                d.commands.len(),
                forms,
                d.messages.len(),
                d.tables.len(),
                options,
                d.errors.len(),
                n.limits.len(),
                n.errata.len()
            );
            super::emit(&line, 0)
        }
        Err(code) => code,
    }
}
