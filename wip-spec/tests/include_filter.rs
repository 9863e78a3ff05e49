//! `Include(commands: [..])` keeps, of the included file, the commands it
//! names and what they refer to: the completion URC of a kept form, the
//! error tables of kept fields and commands; an error table with a result
//! line (`+CME ERROR: <code>`) ends any command and always stays.

use wip_spec::load_files;

const BASE: &str = r#"Spec(
    name: "Base", version: "1", revision: "1", source: "test fixture after SIM7600 17.2.13",
    command_prefixes: ["+X"],
    error_tables: [
        ErrorTable(id: "cme", line: "+CME ERROR: <code>", section: "9.2",
            errors: [Error(code: 3, text: "operation not allowed", section: "9.2.1")]),
        ErrorTable(id: "open_err", section: "2", errors: [Error(code: 0, text: "ok", section: "2")]),
        ErrorTable(id: "cfg_err", section: "3", errors: [Error(code: 1, text: "bad", section: "3")]),
        ErrorTable(id: "note_err", section: "4", errors: [Error(code: 2, text: "odd", section: "4")]),
    ],
    commands: [
        Command(name: "+XOPEN", title: "Open", section: "2", timeout_ms: 1000,
            forms: [
                // OK now; the outcome later as +XOPEN: <id>,<err>. The URC is
                // named only as the completion.
                Form(kind: Action, name: "Open", section: "2",
                    params: [Param(name: "id", ty: Int(min: 0, max: 9))],
                    completion: Completion(message: "XopenDone", echo: ["id"], timeout_ms: 5000, section: "2")),
            ]),
        Command(name: "+XCFG", title: "Configure", section: "3", timeout_ms: 1000,
            forms: [
                Form(kind: Action, name: "Set", section: "3",
                    params: [Param(name: "code", ty: Code(table: "cfg_err"))]),
            ]),
    ],
    messages: [
        Message(id: "XopenDone", prefix: "+XOPEN", kind: Urc, section: "2",
            fields: [Param(name: "id", ty: Int(min: 0, max: 9)), Param(name: "err", ty: Code(table: "open_err"))]),
    ],
)"#;

const VENDOR: &str = r#"Spec(
    name: "Vendor", version: "1", revision: "1", source: "test fixture",
    command_prefixes: ["+Y"],
    include: [Include(path: "base.ron", commands: ["+XOPEN"])],
    commands: [
        Command(name: "+YPING", title: "Ping", section: "5", timeout_ms: 1000,
            forms: [Form(kind: Action, name: "Ping", section: "5", params: [Param(name: "n", ty: Int(min: 1, max: 9))])]),
    ],
)"#;

fn tables(s: &wip_spec::Spec) -> Vec<String> {
    s.dialect
        .error_tables
        .iter()
        .map(|t| t.id.to_string())
        .collect()
}

#[test]
fn a_kept_form_keeps_its_completion_urc_and_the_error_tables_it_needs() {
    let spec = load_files("vendor.ron", &[("vendor.ron", VENDOR), ("base.ron", BASE)])
        .unwrap_or_else(|d| panic!("{d}"));
    let d = &spec.dialect;
    assert!(d.messages.iter().any(|m| m.id == "XopenDone"));
    let (_, open) = d.command("+XOPEN").unwrap();
    let done = open.forms[0].completion.as_ref().unwrap();
    assert_eq!(d.messages[done.message].id, "XopenDone");
    assert!(d.command("+XCFG").is_none());
    // cme ends any command; open_err is the completion URC's; cfg_err
    // belongs to a command left out; note_err to nothing.
    assert_eq!(tables(&spec), ["cme", "open_err"]);
}

#[test]
fn an_error_table_the_including_file_refers_to_stays() {
    let vendor = VENDOR.replace(
        "params: [Param(name: \"n\", ty: Int(min: 1, max: 9))]",
        "params: [Param(name: \"n\", ty: Code(table: \"note_err\"))]",
    );
    assert_ne!(vendor, VENDOR);
    let spec = load_files("vendor.ron", &[("vendor.ron", &vendor), ("base.ron", BASE)])
        .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(tables(&spec), ["cme", "open_err", "note_err"]);
}
