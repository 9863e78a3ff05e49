//! `wip check [SPEC]`: load a spec and report every problem.

use std::path::Path;

/// Checks the spec; prints a summary when clean, the diagnostics otherwise.
pub fn run(path: Option<&Path>) -> u8 {
    match super::spec::load_or_report(path) {
        Ok((spec, name)) => {
            let forms: usize = spec.commands.iter().map(|c| c.forms.len()).sum();
            let options: usize = spec.option_tables.iter().map(|t| t.options.len()).sum();
            println!(
                "{name}: ok: {} {} rev {}: {} commands, {} forms, {} messages, {} option tables ({} options), {} error codes, {} limits, {} errata",
                spec.name,
                spec.version,
                spec.revision,
                spec.commands.len(),
                forms,
                spec.messages.len(),
                spec.option_tables.len(),
                options,
                spec.errors.len(),
                spec.limits.len(),
                spec.errata.len()
            );
            0
        }
        Err(code) => code,
    }
}
