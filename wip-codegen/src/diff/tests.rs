//! One test per classification rule, each on a small spec and one edit of
//! it, so that a rule is seen in isolation.

use super::*;

const BASE: &str = r#"
Spec(
    name: "Mini", version: "1.0", revision: "1", source: "test",
    value_sets: [
        ValueSet(id: "proto", section: "1", values: [
            Value(value: 1, name: "UDP"),
            Value(value: 2, name: "TCP"),
        ]),
    ],
    option_tables: [
        OptionTable(id: "sock", title: "socket options", section: "2", options: [
            Opt(id: 0, name: "PORT", access: PerKey({1: R, 2: R}),
                values: [Param(name: "value", ty: Int(min: 0, max: 65535))]),
            Opt(id: 1, name: "TTL", access: All(RW),
                values: [Param(name: "value", ty: Int(min: 0, max: 255), default: Int(64))]),
        ]),
    ],
    commands: [
        Command(name: "+XCFG", title: "Config", section: "3", timeout_ms: 1000, errors: [800],
            forms: [
                Form(kind: Action, name: "Start", section: "3.1",
                    select: [Select(param: "mode", values: [1])],
                    params: [Param(name: "mode", ty: Int(min: 0, max: 4))]),
                Form(kind: Action, name: "Set", section: "3.1",
                    select: [Select(param: "mode", values: [2])],
                    params: [
                        Param(name: "mode", ty: Int(min: 0, max: 4)),
                        Param(name: "ttl", ty: Int(min: 0, max: 255), optional: true, default: Int(64)),
                        Param(name: "name", ty: Str(max_len: 32), optional: true),
                    ]),
                Form(kind: Action, name: "Get", section: "3.1",
                    select: [Select(param: "mode", values: [3])],
                    params: [
                        Param(name: "mode", ty: Int(min: 0, max: 4)),
                        Param(name: "proto", ty: Enum(set: "proto")),
                        Param(name: "opt", ty: Int(min: 0, max: 255)),
                    ],
                    options: OptionBinding(id_param: "opt", key_param: "proto", access: R, tables: [TableRef(keys: [1, 2], table: "sock")]),
                    responses: ["XVal"]),
                Form(kind: Action, name: "Map", section: "3.2",
                    select: [Select(param: "mode", values: [4])],
                    params: [
                        Param(name: "mode", ty: Int(min: 0, max: 4)),
                        Param(name: "kind", ty: Enum(set: "proto", only: [1])),
                        Param(name: "size", ty: Int(min: 1, max: 100), optional: true),
                    ]),
                Form(kind: Test, name: "Test", section: "3.1"),
            ]),
    ],
    messages: [
        Message(id: "XVal", prefix: "+XCFG", kind: Info, section: "3.3",
            fields: [Param(name: "v", ty: Int(min: 0, max: 65535))]),
        Message(id: "XReady", prefix: "+XREADY", kind: Urc, section: "3.4",
            fields: [Param(name: "idx", ty: Int(min: 1, max: 8))]),
    ],
    errors: [
        Error(code: 800, text: "invalid option", section: "4"),
        Error(code: 801, text: "invalid option value", section: "4"),
    ],
    limits: [
        Limit(id: "socks", value: 8, unit: "sockets", doc: "sockets at a time", section: "5"),
        Limit(id: "guard", value: 1000, unit: "ms", doc: "guard time", section: "5"),
    ],
)
"#;

fn load(src: &str) -> Spec {
    match crate::load_str(src, "test.ron") {
        Ok(s) => s,
        Err(d) => panic!("{d}"),
    }
}

/// The changes from BASE to BASE with each `(from, to)` replaced once.
fn edit(edits: &[(&str, &str)]) -> Vec<Change> {
    let mut src = BASE.to_string();
    for (from, to) in edits {
        assert_eq!(
            src.matches(from).count(),
            1,
            "edit target `{from}` must occur once"
        );
        src = src.replacen(from, to, 1);
    }
    diff(&load(BASE), &load(&src))
}

/// The one change at `path`, asserting there is exactly one.
fn only<'a>(changes: &'a [Change], path: &str) -> &'a Change {
    let hits: Vec<&Change> = changes.iter().filter(|c| c.path == path).collect();
    assert_eq!(
        hits.len(),
        1,
        "one change at {path} expected, got {changes:#?}"
    );
    hits[0]
}

fn paths(changes: &[Change]) -> Vec<&str> {
    changes.iter().map(|c| c.path.as_str()).collect()
}

const SET_TTL: &str = "commands[+XCFG].forms[Action:Set].params[ttl]";

#[test]
fn identical_specs_have_no_change() {
    assert!(diff(&load(BASE), &load(BASE)).is_empty());
}

#[test]
fn narrowed_range_breaks() {
    let c = edit(&[(
        "Param(name: \"ttl\", ty: Int(min: 0, max: 255)",
        "Param(name: \"ttl\", ty: Int(min: 0, max: 128)",
    )]);
    let ch = only(&c, &format!("{SET_TTL}.type"));
    assert_eq!((ch.kind, ch.class), (Kind::Changed, Class::Breaking));
    assert_eq!(ch.old.as_deref(), Some("integer 0-255"));
    assert_eq!(ch.new.as_deref(), Some("integer 0-128"));
    assert_eq!(ch.sections, vec!["3.1".to_string()]);
    assert_eq!(c.len(), 1);
}

#[test]
fn shifted_range_breaks() {
    let c = edit(&[(
        "Param(name: \"ttl\", ty: Int(min: 0, max: 255)",
        "Param(name: \"ttl\", ty: Int(min: 1, max: 300)",
    )]);
    assert_eq!(only(&c, &format!("{SET_TTL}.type")).class, Class::Breaking);
}

#[test]
fn widened_range_is_compatible() {
    let c = edit(&[(
        "Param(name: \"ttl\", ty: Int(min: 0, max: 255)",
        "Param(name: \"ttl\", ty: Int(min: 0, max: 1000)",
    )]);
    let ch = only(&c, &format!("{SET_TTL}.type"));
    assert_eq!(ch.class, Class::Compatible);
    assert!(!has_breaking(&c));
}

#[test]
fn optional_made_mandatory_breaks_and_back_is_compatible() {
    let to_mandatory = edit(&[(
        "Param(name: \"name\", ty: Str(max_len: 32), optional: true)",
        "Param(name: \"name\", ty: Str(max_len: 32))",
    )]);
    let p = "commands[+XCFG].forms[Action:Set].params[name].optional";
    assert_eq!(only(&to_mandatory, p).class, Class::Breaking);
    // From a spec where <size> is mandatory back to BASE, where it is optional.
    let src = BASE.replacen(
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true)",
        "Param(name: \"size\", ty: Int(min: 1, max: 100))",
        1,
    );
    let back = diff(&load(&src), &load(BASE));
    let p = "commands[+XCFG].forms[Action:Map].params[size].optional";
    let ch = only(&back, p);
    assert_eq!(ch.class, Class::Compatible);
    assert_eq!(
        (ch.old.as_deref(), ch.new.as_deref()),
        (Some("false"), Some("true"))
    );
}

#[test]
fn type_change_breaks() {
    // The default 64 would not fit a string: drop it on both sides.
    let mut src = BASE.replacen(
        "Param(name: \"ttl\", ty: Int(min: 0, max: 255), optional: true, default: Int(64))",
        "Param(name: \"ttl\", ty: Int(min: 0, max: 255), optional: true)",
        1,
    );
    let old = load(&src);
    src = src.replacen(
        "Param(name: \"ttl\", ty: Int(min: 0, max: 255), optional: true)",
        "Param(name: \"ttl\", ty: Str(max_len: 3), optional: true)",
        1,
    );
    let c = diff(&old, &load(&src));
    let ch = only(&c, &format!("{SET_TTL}.type"));
    assert_eq!(ch.class, Class::Breaking);
    assert_eq!(ch.note, "type changed");
    assert_eq!(ch.new.as_deref(), Some("string (max 3)"));
}

#[test]
fn position_change_breaks() {
    let c = edit(&[(
        "Param(name: \"ttl\", ty: Int(min: 0, max: 255), optional: true, default: Int(64)),
                        Param(name: \"name\", ty: Str(max_len: 32), optional: true),",
        "Param(name: \"name\", ty: Str(max_len: 32), optional: true),
                        Param(name: \"ttl\", ty: Int(min: 0, max: 255), optional: true, default: Int(64)),",
    )]);
    let ch = only(&c, &format!("{SET_TTL}.position"));
    assert_eq!(
        (ch.class, ch.old.as_deref(), ch.new.as_deref()),
        (Class::Breaking, Some("2"), Some("3"))
    );
    assert_eq!(
        only(
            &c,
            "commands[+XCFG].forms[Action:Set].params[name].position"
        )
        .class,
        Class::Breaking
    );
    assert_eq!(c.len(), 2);
}

#[test]
fn added_parameter_is_compatible_when_optional_and_breaks_when_mandatory() {
    let optional = edit(&[(
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),",
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                        Param(name: \"wait\", ty: Int(min: 1, max: 9), optional: true),",
    )]);
    let p = "commands[+XCFG].forms[Action:Map].params[wait]";
    let ch = only(&optional, p);
    assert_eq!((ch.kind, ch.class), (Kind::Added, Class::Compatible));
    let mandatory = edit(&[(
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),",
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                        Param(name: \"wait\", ty: Int(min: 1, max: 9)),",
    )]);
    assert_eq!(only(&mandatory, p).class, Class::Breaking);
}

#[test]
fn removed_parameter_breaks() {
    let c = edit(&[(
        "Param(name: \"name\", ty: Str(max_len: 32), optional: true),",
        "",
    )]);
    let ch = only(&c, "commands[+XCFG].forms[Action:Set].params[name]");
    assert_eq!((ch.kind, ch.class), (Kind::Removed, Class::Breaking));
    assert_eq!(ch.old.as_deref(), Some("<name>: string (max 32), optional"));
}

#[test]
fn string_length_narrowed_breaks_and_widened_is_compatible() {
    let p = "commands[+XCFG].forms[Action:Set].params[name].type";
    let narrow = edit(&[("ty: Str(max_len: 32)", "ty: Str(max_len: 16)")]);
    assert_eq!(only(&narrow, p).class, Class::Breaking);
    let wide = edit(&[("ty: Str(max_len: 32)", "ty: Str()")]);
    let ch = only(&wide, p);
    assert_eq!(ch.class, Class::Compatible);
    assert_eq!(ch.new.as_deref(), Some("string"));
}

#[test]
fn changed_default_breaks_added_default_is_compatible() {
    let changed = edit(&[(
        "optional: true, default: Int(64)),",
        "optional: true, default: Int(32)),",
    )]);
    let ch = only(&changed, &format!("{SET_TTL}.default"));
    assert_eq!(
        (ch.class, ch.old.as_deref(), ch.new.as_deref()),
        (Class::Breaking, Some("64"), Some("32"))
    );
    let removed = edit(&[("optional: true, default: Int(64)),", "optional: true),")]);
    assert_eq!(
        only(&removed, &format!("{SET_TTL}.default")).class,
        Class::Breaking
    );
    let added = edit(&[(
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true)",
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true, default: Int(10))",
    )]);
    let ch = only(
        &added,
        "commands[+XCFG].forms[Action:Map].params[size].default",
    );
    assert_eq!(ch.class, Class::Compatible);
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
fn restricted_enum_narrowed_breaks_widened_is_compatible() {
    let p = "commands[+XCFG].forms[Action:Map].params[kind].type";
    let wide = edit(&[("only: [1]", "only: [1, 2]")]);
    let ch = only(&wide, p);
    assert_eq!(
        (ch.class, ch.note.as_str()),
        (Class::Compatible, "values added: 2")
    );
    assert_eq!(ch.old.as_deref(), Some("enum proto {1}"));
    let narrow = edit(&[("only: [1]", "only: [2]")]);
    assert_eq!(only(&narrow, p).class, Class::Breaking);
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
    let unlisted = diff(
        &load(&BASE.replacen("errors: [800],", "errors: [800, 801],", 1)),
        &load(BASE),
    );
    assert_eq!(
        only(&unlisted, "commands[+XCFG].errors[801]").class,
        Class::Breaking
    );
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
fn message_fields_follow_the_same_rules() {
    let c = edit(&[(
        "fields: [Param(name: \"idx\", ty: Int(min: 1, max: 8))]",
        "fields: [Param(name: \"idx\", ty: Int(min: 1, max: 4))]",
    )]);
    assert_eq!(
        only(&c, "messages[XReady].fields[idx].type").class,
        Class::Breaking
    );
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
fn narrowed_discriminator_breaks() {
    let c = edit(&[(
        "select: [Select(param: \"mode\", values: [4])]",
        "select: [Select(param: \"mode\", values: [4]), Select(param: \"kind\", values: [1])]",
    )]);
    assert_eq!(
        only(&c, "commands[+XCFG].forms[Action:Map].select[kind]").class,
        Class::Breaking
    );
}

#[test]
fn new_rule_breaks_only_where_old_calls_meet_it() {
    let rules = "params: [
                        Param(name: \"mode\", ty: Int(min: 0, max: 4)),
                        Param(name: \"kind\", ty: Enum(set: \"proto\", only: [1])),";
    // kind=1 was valid: forbidding size there breaks.
    let old_values = edit(&[(
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                    ]),",
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                    ],
                    rules: [Forbid(when: [Select(param: \"kind\", values: [1])], params: [\"size\"], section: \"3.2\")]),",
    )]);
    let p = "commands[+XCFG].forms[Action:Map].rules[forbid size when kind=1]";
    assert_eq!(only(&old_values, p).class, Class::Breaking);
    // kind=2 is new: the rule speaks of new calls only.
    let new_values = edit(&[
        (rules, &rules.replace("only: [1]", "only: [1, 2]")),
        (
            "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                    ]),",
            "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                    ],
                    rules: [Forbid(when: [Select(param: \"kind\", values: [2])], params: [\"size\"], section: \"3.2\")]),",
        ),
    ]);
    let ch = only(
        &new_values,
        "commands[+XCFG].forms[Action:Map].rules[forbid size when kind=2]",
    );
    assert_eq!((ch.kind, ch.class), (Kind::Added, Class::Compatible));
    assert!(!has_breaking(&new_values));
}

/// BASE with a Together rule on the Map form.
fn with_together_rule() -> Spec {
    load(&BASE.replacen(
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                    ]),",
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                    ],
                    rules: [Together(params: [\"kind\", \"size\"], section: \"3.2\")]),",
        1,
    ))
}

#[test]
fn removed_rule_is_compatible_and_unconditional_new_rule_breaks() {
    let with_rule = with_together_rule();
    let base = load(BASE);
    let lifted = diff(&with_rule, &base);
    let ch = only(
        &lifted,
        "commands[+XCFG].forms[Action:Map].rules[together: kind, size]",
    );
    assert_eq!((ch.kind, ch.class), (Kind::Removed, Class::Compatible));
    let added = diff(&base, &with_rule);
    assert_eq!(
        only(
            &added,
            "commands[+XCFG].forms[Action:Map].rules[together: kind, size]"
        )
        .class,
        Class::Breaking
    );
}

#[test]
fn new_outcome_for_valid_calls_breaks() {
    let c = edit(&[(
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                    ]),",
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                    ],
                    outcomes: [Outcome(when: [Select(param: \"kind\", values: [1])], data: Transparent, section: \"3.2\")]),",
    )]);
    let ch = only(
        &c,
        "commands[+XCFG].forms[Action:Map].outcomes[when kind=1: Transparent]",
    );
    assert_eq!((ch.kind, ch.class), (Kind::Added, Class::Breaking));
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
