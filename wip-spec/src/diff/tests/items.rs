//! Rules on whole items: values, options, access, errors, messages, forms,
//! commands, limits, and what is not compared.

use super::*;

#[test]
fn identical_specs_have_no_change() {
    assert!(diff(&load(BASE), &load(BASE)).is_empty());
}

#[test]
fn removed_value_breaks_added_value_is_compatible() {
    let added = edit(&[(
        "Value(value: 2, name: \"TCP\"),",
        "Value(value: 2, name: \"TCP\"),\n            Value(value: 3, name: \"SCTP\"),",
    )]);
    let ch = only(&added, "value_sets[proto].values[3]");
    assert_eq!(
        (ch.kind, ch.class, ch.new.as_deref()),
        (Kind::Added, Class::Compatible, Some("3 (SCTP)"))
    );
    // Parameters that take the whole set do not repeat the set's change.
    assert_eq!(paths(&added), vec!["value_sets[proto].values[3]"]);

    // Removing 2 needs the option binding's key 2 gone too.
    let removed = edit(&[
        ("            Value(value: 2, name: \"TCP\"),\n", ""),
        ("PerKey({1: R, 2: R})", "PerKey({1: R})"),
        (
            "TableRef(keys: [1, 2], table: \"sock\")",
            "TableRef(keys: [1], table: \"sock\")",
        ),
    ]);
    let ch = only(&removed, "value_sets[proto].values[2]");
    assert_eq!((ch.kind, ch.class), (Kind::Removed, Class::Breaking));
    assert_eq!(
        only(
            &removed,
            "commands[+XCFG].forms[Action:Get].options.tables[2]"
        )
        .class,
        Class::Breaking
    );
    assert_eq!(
        only(&removed, "option_tables[sock].options[0].access").class,
        Class::Breaking
    );
}

#[test]
fn renamed_value_is_compatible_but_its_rust_name_breaks() {
    let c = edit(&[(
        "Value(value: 2, name: \"TCP\"),",
        "Value(value: 2, name: \"TCP client\"),",
    )]);
    assert_eq!(
        only(&c, "value_sets[proto].values[2].name").class,
        Class::Compatible
    );
    assert_eq!(
        only(&c, "value_sets[proto].values[2].rust").class,
        Class::Breaking
    );
}

#[test]
fn removed_option_breaks_added_option_is_compatible() {
    let removed = edit(&[(
        "            Opt(id: 1, name: \"TTL\", access: All(RW),
                values: [Param(name: \"value\", ty: Int(min: 0, max: 255), default: Int(64))]),\n",
        "",
    )]);
    let ch = only(&removed, "option_tables[sock].options[1]");
    assert_eq!((ch.kind, ch.class), (Kind::Removed, Class::Breaking));
    let added = edit(&[(
        "Opt(id: 1, name: \"TTL\"",
        "Opt(id: 2, name: \"TOS\", access: All(RW), values: [Param(name: \"value\", ty: Int(min: 0, max: 255))]),
            Opt(id: 1, name: \"TTL\"",
    )]);
    let ch = only(&added, "option_tables[sock].options[2]");
    assert_eq!((ch.kind, ch.class), (Kind::Added, Class::Compatible));
    assert_eq!(
        ch.new.as_deref(),
        Some("2 TOS (RW): <value>: integer 0-255")
    );
}

#[test]
fn lost_access_breaks_gained_access_is_compatible() {
    let p = "option_tables[sock].options[1].access";
    let lost = edit(&[(
        "Opt(id: 1, name: \"TTL\", access: All(RW)",
        "Opt(id: 1, name: \"TTL\", access: All(R)",
    )]);
    let ch = only(&lost, p);
    assert_eq!(
        (ch.class, ch.old.as_deref(), ch.new.as_deref()),
        (Class::Breaking, Some("RW"), Some("R"))
    );
    let swapped = edit(&[(
        "Opt(id: 1, name: \"TTL\", access: All(RW)",
        "Opt(id: 1, name: \"TTL\", access: PerKey({1: RW, 2: RW})",
    )]);
    assert_eq!(
        only(&swapped, p).class,
        Class::Breaking,
        "keys a per-key access leaves out lose access"
    );
    let gained = edit(&[("PerKey({1: R, 2: R})", "PerKey({1: RW, 2: R})")]);
    let ch = only(&gained, "option_tables[sock].options[0].access");
    assert_eq!(
        (ch.class, ch.new.as_deref()),
        (Class::Compatible, Some("1: RW, 2: R"))
    );
    let per_key_lost = edit(&[("PerKey({1: R, 2: R})", "PerKey({1: R, 2: W})")]);
    assert_eq!(
        only(&per_key_lost, "option_tables[sock].options[0].access").class,
        Class::Breaking
    );
}

#[test]
fn removed_error_breaks_added_error_is_compatible() {
    let removed = edit(&[(
        "        Error(code: 801, text: \"invalid option value\", section: \"4\"),\n",
        "",
    )]);
    let ch = only(&removed, "errors[801]");
    assert_eq!(
        (ch.kind, ch.class, ch.old.as_deref()),
        (
            Kind::Removed,
            Class::Breaking,
            Some("801 invalid option value")
        )
    );
    let added = edit(&[("errors: [800],", "errors: [800, 801],")]);
    let ch = only(&added, "commands[+XCFG].errors[801]");
    assert_eq!((ch.kind, ch.class), (Kind::Added, Class::Compatible));
    // Leaving a command's list that is not complete is documentation.
    let unlisted = diff(
        &load(&BASE.replacen("errors: [800],", "errors: [800, 801],", 1)),
        &load(BASE),
    );
    assert_eq!(
        only(&unlisted, "commands[+XCFG].errors[801]").class,
        Class::Compatible
    );
    // From a complete list the code is refused after the command now.
    let complete = BASE.replacen("errors: [800],", "errors: [800], errors_complete: true,", 1);
    let unlisted = diff(
        &load(&complete.replacen("errors: [800],", "errors: [800, 801],", 1)),
        &load(&complete),
    );
    assert_eq!(
        only(&unlisted, "commands[+XCFG].errors[801]").class,
        Class::Breaking
    );
    // A code answered beyond a complete list: dropping it breaks, adding
    // it does not, and moving it from the list to beyond it changes
    // nothing a host sees.
    let beyond = complete.replacen(
        "errors_complete: true,",
        "errors_complete: true, also_errors: [801],",
        1,
    );
    let dropped = diff(&load(&beyond), &load(&complete));
    assert_eq!(
        only(&dropped, "commands[+XCFG].also_errors[801]").class,
        Class::Breaking
    );
    let added = diff(&load(&complete), &load(&beyond));
    assert_eq!(
        only(&added, "commands[+XCFG].also_errors[801]").class,
        Class::Compatible
    );
    let moved = diff(
        &load(&complete.replacen("errors: [800],", "errors: [800, 801],", 1)),
        &load(&beyond),
    );
    assert!(
        moved.iter().all(|c| c.class == Class::Compatible),
        "{moved:#?}"
    );
    assert_eq!(moved.len(), 2, "{moved:#?}");
}

#[test]
fn changed_error_text_is_compatible_but_renames_its_rust_variant() {
    let c = edit(&[(
        "text: \"invalid option value\"",
        "text: \"bad option value\"",
    )]);
    assert_eq!(only(&c, "errors[801].text").class, Class::Compatible);
    assert_eq!(only(&c, "errors[801].rust").class, Class::Breaking);
}

#[test]
fn removed_message_breaks_added_message_is_compatible() {
    let urc = "        Message(id: \"XReady\", prefix: \"+XREADY\", kind: Urc, section: \"3.4\",
            fields: [Param(name: \"idx\", ty: Int(min: 1, max: 8))]),\n";
    let removed = edit(&[(urc, "")]);
    let ch = only(&removed, "messages[XReady]");
    assert_eq!((ch.kind, ch.class), (Kind::Removed, Class::Breaking));
    assert_eq!(ch.old.as_deref(), Some("URC: +XREADY: <idx>"));
    let back = diff(&load(&BASE.replacen(urc, "", 1)), &load(BASE));
    assert_eq!(only(&back, "messages[XReady]").class, Class::Compatible);
}

#[test]
fn message_kind_widened_is_compatible_narrowed_breaks() {
    let p = "messages[XVal].kind";
    let wide = edit(&[(
        "Message(id: \"XVal\", prefix: \"+XCFG\", kind: Info",
        "Message(id: \"XVal\", prefix: \"+XCFG\", kind: Both",
    )]);
    assert_eq!(only(&wide, p).class, Class::Compatible);
    let other = edit(&[(
        "kind: Urc, section: \"3.4\"",
        "kind: Info, section: \"3.4\"",
    )]);
    assert_eq!(only(&other, "messages[XReady].kind").class, Class::Breaking);
}

#[test]
fn removed_form_and_command_break_added_ones_are_compatible() {
    let form = "                Form(kind: Action, name: \"Start\", section: \"3.1\",
                    select: [Select(param: \"mode\", values: [1])],
                    params: [Param(name: \"mode\", ty: Int(min: 0, max: 4))]),\n";
    let removed = edit(&[(form, "")]);
    let ch = only(&removed, "commands[+XCFG].forms[Action:Start]");
    assert_eq!(
        (ch.kind, ch.class, ch.old.as_deref()),
        (Kind::Removed, Class::Breaking, Some("AT+XCFG=1"))
    );
    let back = diff(&load(&BASE.replacen(form, "", 1)), &load(BASE));
    assert_eq!(
        only(&back, "commands[+XCFG].forms[Action:Start]").class,
        Class::Compatible
    );
}

#[test]
fn new_response_is_compatible_and_removed_one_breaks() {
    let c = edit(&[(
        "responses: [\"XVal\"]),",
        "responses: [\"XVal\"], urcs: [\"XReady\"]),",
    )]);
    assert_eq!(
        only(&c, "commands[+XCFG].forms[Action:Get].urcs[XReady]").class,
        Class::Compatible
    );
    let back = diff(
        &load(&BASE.replacen(
            "responses: [\"XVal\"]),",
            "responses: [\"XVal\"], urcs: [\"XReady\"]),",
            1,
        )),
        &load(BASE),
    );
    assert_eq!(
        only(&back, "commands[+XCFG].forms[Action:Get].urcs[XReady]").class,
        Class::Breaking
    );
}

#[test]
fn new_echo_is_compatible_and_a_dropped_one_breaks() {
    let with = BASE.replacen(
        "responses: [\"XVal\"]),",
        "responses: [\"XVal\"], echo: [\"proto\"]),",
        1,
    );
    let c = diff(&load(BASE), &load(&with));
    assert_eq!(
        only(&c, "commands[+XCFG].forms[Action:Get].echo[proto]").class,
        Class::Compatible
    );
    let back = diff(&load(&with), &load(BASE));
    assert_eq!(
        only(&back, "commands[+XCFG].forms[Action:Get].echo[proto]").class,
        Class::Breaking
    );
}

#[test]
fn longer_timeout_breaks_shorter_is_compatible() {
    let p = "commands[+XCFG].timeout_ms";
    assert_eq!(
        only(&edit(&[("timeout_ms: 1000", "timeout_ms: 5000")]), p).class,
        Class::Breaking
    );
    assert_eq!(
        only(&edit(&[("timeout_ms: 1000", "timeout_ms: 500")]), p).class,
        Class::Compatible
    );
}

#[test]
fn lowered_limit_breaks_raised_is_compatible_and_times_always_break() {
    assert_eq!(
        only(
            &edit(&[("value: 8, unit", "value: 4, unit")]),
            "limits[socks].value"
        )
        .class,
        Class::Breaking
    );
    assert_eq!(
        only(
            &edit(&[("value: 8, unit", "value: 16, unit")]),
            "limits[socks].value"
        )
        .class,
        Class::Compatible
    );
    assert_eq!(
        only(
            &edit(&[("value: 1000, unit", "value: 500, unit")]),
            "limits[guard].value"
        )
        .class,
        Class::Breaking
    );
    let removed = edit(&[("        Limit(id: \"socks\", value: 8, unit: \"sockets\", doc: \"sockets at a time\", section: \"5\"),\n", "")]);
    assert_eq!(only(&removed, "limits[socks]").class, Class::Breaking);
}

#[test]
fn documentation_is_not_compared() {
    let c = edit(&[
        (
            "title: \"Config\", section: \"3\"",
            "title: \"Configuration\", section: \"3.9\", doc: \"Configures.\"",
        ),
        (
            "Limit(id: \"socks\", value: 8, unit: \"sockets\", doc: \"sockets at a time\"",
            "Limit(id: \"socks\", value: 8, unit: \"sockets\", doc: \"open sockets\"",
        ),
        ("source: \"test\"", "source: \"another\", doc: \"text\""),
    ]);
    assert!(c.is_empty(), "{c:#?}");
}

#[test]
fn option_binding_key_changes_are_classed() {
    let c = edit(&[
        (
            "TableRef(keys: [1, 2], table: \"sock\")",
            "TableRef(keys: [1], table: \"sock\")",
        ),
        ("PerKey({1: R, 2: R})", "PerKey({1: R})"),
    ]);
    let ch = only(&c, "commands[+XCFG].forms[Action:Get].options.tables[2]");
    assert_eq!(
        (ch.kind, ch.class, ch.old.as_deref()),
        (Kind::Removed, Class::Breaking, Some("sock"))
    );
}

#[test]
fn order_follows_the_new_spec_with_removed_items_where_they_were() {
    assert_eq!(
        merge_order(&["a", "b", "c"], &["a", "c", "d"]),
        vec!["a", "b", "c", "d"]
    );
    assert_eq!(merge_order(&["x", "a"], &["a"]), vec!["x", "a"]);
    assert_eq!(merge_order::<&str>(&[], &[]), Vec::<&str>::new());
    // The same inputs always give the same list.
    let a = edit(&[(
        "Value(value: 2, name: \"TCP\"),",
        "Value(value: 2, name: \"TCP\"),\n            Value(value: 3, name: \"SCTP\"),",
    )]);
    let b = edit(&[(
        "Value(value: 2, name: \"TCP\"),",
        "Value(value: 2, name: \"TCP\"),\n            Value(value: 3, name: \"SCTP\"),",
    )]);
    assert_eq!(a, b);
}
