//! The schema's multi-vendor features in generated code: the small specs
//! of tests/specs/schema/ compiled through `include_spec!`, their statics
//! equal to the run-time description, and the round-trip properties.

mod common;

#[allow(dead_code)]
mod prefixes {
    wip_macros::include_spec!("../tests/specs/schema/prefixes.ron");
}

#[allow(dead_code)]
mod on_base {
    wip_macros::include_spec!("../tests/specs/schema/include-vendor.ron");
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

#[test]
fn a_spec_with_shared_parts_generates_its_base_items_too() {
    let path = "../tests/specs/schema/include-vendor.ron";
    assert_eq!(on_base::DIALECT, runtime_dialect(path));
    // The build-script route reads the same three files.
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let (code, inputs) = wip_codegen::build::generate_file_with_inputs(&p).unwrap();
    assert_eq!(inputs.len(), 3);
    assert!(inputs[1].ends_with("parts/base-27007.ron"), "{inputs:?}");
    assert!(code.contains("pub struct CregRead"));
    let forms = common::check_forms(&api!(crate::on_base), 32);
    assert_eq!(forms.items, 5);
    assert_eq!(
        on_base::CmeError::from_code(30).text(),
        Some("no network service")
    );
    assert_eq!(
        on_base::Urc::parse("+CREG: 5").unwrap(),
        on_base::Urc::CregChanged(on_base::CregChanged { stat: 5 })
    );
}
