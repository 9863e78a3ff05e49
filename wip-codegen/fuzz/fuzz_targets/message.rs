//! Modem lines against the rev 009 dialect and the 27.007/27.005 base (whose
//! test forms answer lists in parentheses), with any command pending:
//! classification never panics, the classifier counts the fields the
//! splitter finds, and what parses formats back to a line that parses to
//! the same message and values.
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

fn base() -> &'static wip_schema::Dialect {
    static D: OnceLock<wip_schema::Dialect> = OnceLock::new();
    D.get_or_init(|| {
        let src = include_str!("../../../spec/3gpp-27007-27005.ron");
        match wip_codegen::load_str(src, "3gpp-27007-27005.ron") {
            Ok(s) => s.dialect,
            Err(e) => panic!("base spec: {e}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let Ok(line) = std::str::from_utf8(rest) else { return };
    let parts = wip_schema::classify::parts(line.as_bytes());
    if let Ok(body) = std::str::from_utf8(parts.body) {
        if let Ok(fields) = wip_schema::fields::split(body) {
            assert_eq!(fields.len(), parts.fields, "{line}");
        }
    }
    let d = if sel & 0x80 == 0 { dialect() } else { base() };
    let forms: Vec<(usize, usize)> = d
        .commands
        .iter()
        .enumerate()
        .flat_map(|(c, cmd)| (0..cmd.forms.len()).map(move |f| (c, f)))
        .collect();
    let pending = forms.get(usize::from(sel & 0x7f)).copied();
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
