//! Rules on parameters, fields and their constraints.

use super::*;

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

/// The values of an option the modem sends when it is read follow the
/// rules of what the modem sends: a new optional value, or one made
/// optional, gives lines the old spec refuses (breaking); for an option
/// the host only writes they stay compatible.
#[test]
fn values_of_an_option_read_are_judged_as_the_modem_sends_them() {
    // PORT is read only (R): an optional value added breaks.
    let read_only = edit(&[(
        "values: [Param(name: \"value\", ty: Int(min: 0, max: 65535))]),",
        "values: [Param(name: \"value\", ty: Int(min: 0, max: 65535)), Param(name: \"more\", ty: Int(min: 0, max: 9), optional: true)]),",
    )]);
    let p = "option_tables[sock].options[0].values[more]";
    assert_eq!(only(&read_only, p).class, Class::Breaking);
    // TTL is read and written (RW): the stricter class, breaking.
    let read_write = edit(&[(
        "values: [Param(name: \"value\", ty: Int(min: 0, max: 255), default: Int(64))]),",
        "values: [Param(name: \"value\", ty: Int(min: 0, max: 255), default: Int(64)), Param(name: \"more\", ty: Int(min: 0, max: 9), optional: true)]),",
    )]);
    let p = "option_tables[sock].options[1].values[more]";
    assert_eq!(read_write.len(), 1, "{read_write:?}");
    assert_eq!(only(&read_write, p).class, Class::Breaking);
    // Written only (W) on both sides: compatible, as for a command's
    // parameters.
    let w = BASE.replace(
        "Opt(id: 1, name: \"TTL\", access: All(RW),",
        "Opt(id: 1, name: \"TTL\", access: All(W),",
    );
    let w_more = w.replace(
        "values: [Param(name: \"value\", ty: Int(min: 0, max: 255), default: Int(64))]),",
        "values: [Param(name: \"value\", ty: Int(min: 0, max: 255), default: Int(64)), Param(name: \"more\", ty: Int(min: 0, max: 9), optional: true)]),",
    );
    let write_only = diff(&load(&w), &load(&w_more));
    assert_eq!(
        only(&write_only, p).class,
        Class::Compatible,
        "{write_only:?}"
    );
}

/// A rule that holds always names no condition.
#[test]
fn a_rule_without_condition_is_named_without_when() {
    let c = edit(&[(
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                    ]),",
        "Param(name: \"size\", ty: Int(min: 1, max: 100), optional: true),
                    ],
                    rules: [Range(when: [], param: \"size\", min: 1, max: 50, section: \"3.2\")]),",
    )]);
    assert_eq!(
        paths(&c),
        vec!["commands[+XCFG].forms[Action:Map].rules[range size 1-50]"],
        "{c:?}"
    );
}
