//! One test per classification rule, each on a small spec and one edit of
//! it, so that a rule is seen in isolation.

mod base;
mod errtables;
mod items;
mod params;

use super::*;

pub(super) const BASE: &str = r#"
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

pub(super) fn load(src: &str) -> Spec {
    match crate::load_str(src, "test.ron") {
        Ok(s) => s,
        Err(d) => panic!("{d}"),
    }
}

/// The changes from BASE to BASE with each `(from, to)` replaced once.
pub(super) fn edit(edits: &[(&str, &str)]) -> Vec<Change> {
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
pub(super) fn only<'a>(changes: &'a [Change], path: &str) -> &'a Change {
    let hits: Vec<&Change> = changes.iter().filter(|c| c.path == path).collect();
    assert_eq!(
        hits.len(),
        1,
        "one change at {path} expected, got {changes:#?}"
    );
    hits[0]
}

pub(super) fn paths(changes: &[Change]) -> Vec<&str> {
    changes.iter().map(|c| c.path.as_str()).collect()
}

pub(super) const SET_TTL: &str = "commands[+XCFG].forms[Action:Set].params[ttl]";
