//! Modem lines against the rev 009 dialect, with any command pending:
//! classification never panics, and what parses formats back to a line
//! that parses to the same message and values.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn dialect() -> &'static wip_schema::Dialect {
    static D: OnceLock<wip_schema::Dialect> = OnceLock::new();
    D.get_or_init(|| match wip_codegen::default_spec() {
        Ok(s) => s.dialect.clone(),
        Err(e) => panic!("embedded spec: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let Ok(line) = std::str::from_utf8(rest) else { return };
    let d = dialect();
    let forms: Vec<(usize, usize)> = d
        .commands
        .iter()
        .enumerate()
        .flat_map(|(c, cmd)| (0..cmd.forms.len()).map(move |f| (c, f)))
        .collect();
    let pending = forms.get(sel as usize).copied();
    if let Ok(m) = wip_schema::parse_message(d, line, pending) {
        let back = wip_schema::format_message(d, m.message, &m.values);
        match wip_schema::parse_message(d, &back, pending) {
            Ok(again) => {
                assert_eq!(again.values, m.values, "{line} -> {back}");
            }
            Err(e) => panic!("{line} -> {back}: {e}"),
        }
    }
});
