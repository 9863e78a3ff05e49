//! Whole-spec attributes: the command prefixes.

use super::*;

#[test]
fn a_prefix_list_is_a_compatible_change_of_what_the_spec_owns() {
    let src = r#"source: "test","#;
    let changes = edit(&[(src, r#"source: "test", command_prefixes: ["+X", "+Y"],"#)]);
    let c = only(&changes, "command_prefixes");
    assert_eq!(c.class, Class::Compatible);
    assert_eq!(c.old.as_deref(), Some("every command"));
    assert_eq!(
        c.new.as_deref(),
        Some("\"+X\", \"+Y\" and the commands defined")
    );
    assert_eq!(changes.len(), 1);
    assert!(edit(&[(src, r#"source: "test", command_prefix: "","#)]).is_empty());
}

#[test]
fn a_foreign_command_is_a_compatible_change_of_what_the_spec_owns() {
    let src = r#"source: "test","#;
    let changes = edit(&[(
        src,
        r#"source: "test", command_prefixes: ["+X"], foreign_commands: ["+XS"],"#,
    )]);
    let c = only(&changes, "command_prefixes");
    assert_eq!(c.class, Class::Compatible);
    assert_eq!(
        c.new.as_deref(),
        Some("\"+X\" and the commands defined, but not \"+XS\"")
    );
}

#[test]
fn accepting_ipv6_is_a_compatible_widening() {
    let from = r#"Param(name: "name", ty: Str(max_len: 32), optional: true),"#;
    let base = edit(&[(
        from,
        r#"Param(name: "name", ty: Host(max_len: 32), optional: true),"#,
    )]);
    assert!(!base.is_empty());
    let old = BASE.replacen(
        from,
        r#"Param(name: "name", ty: Host(max_len: 32), optional: true),"#,
        1,
    );
    let new = BASE.replacen(
        from,
        r#"Param(name: "name", ty: Host(max_len: 32, v6: true), optional: true),"#,
        1,
    );
    let changes = diff(&load(&old), &load(&new));
    let c = only(
        &changes,
        "commands[+XCFG].forms[Action:Set].params[name].type",
    );
    assert_eq!(c.class, Class::Compatible);
    assert_eq!(c.note, "IPv6 addresses accepted too");
}
