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

#[allow(dead_code)]
mod ipv6 {
    wip_macros::include_spec!("../tests/specs/schema/ipv6.ron");
}

#[test]
fn v6_capable_parameters_take_ip_addr_and_v4_only_ones_stay_ipv4() {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    assert_eq!(
        ipv6::DIALECT,
        runtime_dialect("../tests/specs/schema/ipv6.ron")
    );
    let v6: Ipv6Addr = "2001:104::104:0:0".parse().unwrap();
    let send = ipv6::UsostSend::new(3, IpAddr::V6(v6), 17).unwrap();
    assert_eq!(send.encode(), "AT+USOST=3,\"2001:104::104:0:0\",17");
    let connect = ipv6::UsocoConnect::new(0, v6, 80).unwrap();
    assert_eq!(connect.encode(), "AT+USOCO=0,\"2001:104::104:0:0\",80");
    assert_eq!(
        ipv6::Request::parse("AT+USOCO=0,\"2001:104::104:0:0\",80").unwrap(),
        ipv6::Request::from(connect)
    );
    let u = ipv6::Urc::parse("+UUSORF: 3,\"2001:db8::1\",17").unwrap();
    assert_eq!(
        u,
        ipv6::Urc::UusorfData(ipv6::UusorfData {
            socket: 3,
            remote_ip: IpAddr::V6("2001:db8::1".parse().unwrap()),
            remote_port: 17
        })
    );
    assert!(ipv6::Urc::parse("+UUSORF: 3,\"2001:db8:::1\",17").is_err());
    // A v4-only parameter keeps Ipv4Addr; a v6 text is refused there.
    let peer: fn(Ipv4Addr) -> _ = ipv6::XpeerSet::new;
    assert!(peer(Ipv4Addr::LOCALHOST).is_ok());
    assert!(ipv6::Request::parse("AT+XPEER=\"::1\"").is_err());
    let forms = common::check_forms(&api!(crate::ipv6), 64);
    assert_eq!(forms.items, 3);
    let messages = common::check_messages(&api!(crate::ipv6), 64);
    assert_eq!(messages.items, 1);
}

#[allow(dead_code)]
mod tables {
    wip_macros::include_spec!("../tests/specs/schema/error-tables.ron");
}

#[test]
fn named_error_tables_survive_generation() {
    assert_eq!(
        tables::DIALECT,
        runtime_dialect("../tests/specs/schema/error-tables.ron")
    );
    let d = &tables::DIALECT;
    let (cms, t) = d.error_table("cms").unwrap();
    assert!(t.accepts(513) && t.accepts(42) && !t.accepts(999));
    let (_, cmgf) = d.command("+CMGF").unwrap();
    assert_eq!((cmgf.errors_table, cmgf.errors_complete), (Some(cms), true));
    // A field of a named table: the table's enum, which the engine checks
    // against the table.
    let u = tables::Urc::parse("+CIPOPEN: 1,11").unwrap();
    assert_eq!(
        u,
        tables::Urc::CipopenResult(tables::CipopenResult {
            link_num: 1,
            err: tables::TcpipError::DnsParseFailed
        })
    );
    assert_eq!(tables::TcpipError::DnsParseFailed.code(), 11);
    assert_eq!(
        tables::TcpipError::DnsParseFailed.to_string(),
        "tcpip_err error 11: DNS parse failed"
    );
    assert_eq!(u.format(), "+CIPOPEN: 1,11");
    let e = tables::Urc::parse("+CIPOPEN: 1,12")
        .unwrap_err()
        .to_string();
    assert!(e.contains("is not a code of error table tcpip_err"), "{e}");
    // A code the table does not define is kept, and refused on the wire.
    assert_eq!(
        tables::TcpipError::from_code(12),
        tables::TcpipError::Unknown(12)
    );
    assert!(tables::CipopenResult::new(1, tables::TcpipError::Unknown(12)).is_err());
    assert!(tables::CipopenResult::new(1, tables::TcpipError::OperationSucceeded).is_ok());
    // `cms`, extended by this spec, is an enum too.
    assert_eq!(
        tables::CmsError::from_code(513),
        tables::CmsError::ManufacturerSpecific
    );
    assert_eq!(
        tables::CmsError::from_code(42),
        tables::CmsError::Unknown(42)
    );
    assert!(tables::CmsError::is_reserved(42) && !tables::CmsError::is_reserved(999));
    // A result field that is 0 on success, else a code of its table
    // (`Code(table, success: 0)`).
    assert!(tables::Urc::parse("+XOPEN: 1,0").is_ok());
    assert!(tables::Urc::parse("+XOPEN: 1,563").is_ok());
    let e = tables::Urc::parse("+XOPEN: 1,5").unwrap_err().to_string();
    assert!(
        e.contains("is not 0 (success) or a code of error table xopen_err"),
        "{e}"
    );
    let messages = common::check_messages(&api!(crate::tables), 32);
    assert_eq!(messages.items, 3);
    // The `cme` table is the spec's error codes, as CmeError.
    assert_eq!(
        tables::CmeError::from_code(4).text(),
        Some("operation not supported")
    );
}
