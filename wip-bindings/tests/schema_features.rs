//! The schema's multi-vendor features in generated code: the small specs
//! of tests/specs/schema/ compiled through `include_spec!`, their statics
//! equal to the run-time description, and the round-trip properties.

mod common;

#[allow(dead_code)]
mod prefixes {
    wip_macros::include_spec!("../tests/specs/schema/prefixes.ron");
}

use wip_runtime::schema::typed::TypedCommand;

fn runtime_dialect(path: &str) -> wip_runtime::schema::Dialect {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    wip_codegen::load_file(&p).unwrap().dialect
}

#[test]
fn a_prefix_list_survives_generation() {
    assert_eq!(
        prefixes::DIALECT,
        runtime_dialect("../tests/specs/schema/prefixes.ron")
    );
    let d = &prefixes::DIALECT;
    assert!(d.owns("+CMEE") && d.owns("+USOWR") && !d.owns("+CPIN"));
    let forms = common::check_forms(&api!(crate::prefixes), 32);
    assert_eq!(forms.items, 4);
    let messages = common::check_messages(&api!(crate::prefixes), 32);
    assert_eq!(messages.items, 2);
    let create = prefixes::UsocrCreate::new(prefixes::Proto::Tcp).unwrap();
    assert_eq!(create.encode(), "AT+USOCR=6");
    assert_eq!(
        prefixes::Request::parse("AT+CMEE=2").unwrap(),
        prefixes::Request::from(
            prefixes::CmeeSet::new()
                .unwrap()
                .with_n(prefixes::CmeeMode::Verbose)
                .unwrap()
        )
    );
}
