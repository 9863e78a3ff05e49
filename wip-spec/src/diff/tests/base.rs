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
