//! Command lines against the rev 009 dialect: parsing never panics, and
//! whatever parses formats back to a line that parses to the same values.
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
    let Ok(s) = std::str::from_utf8(data) else { return };
    let line = format!("AT+WIP{s}");
    let d = dialect();
    if let Ok(p) = wip_schema::parse_command(d, &line) {
        let back = wip_schema::format_command(d, p.command, p.form, &p.values);
        match wip_schema::parse_command(d, &back) {
            Ok(again) => assert_eq!(again, p, "{line} -> {back}"),
            Err(e) => panic!("{line} -> {back}: {e}"),
        }
    }
});
