//! The IR as a [`wip_schema::Dialect`]: the run-time form of a spec that
//! the parsing and validation engine works on. Generated bindings embed the
//! same value as a `static`.

use crate::ir;
use std::borrow::Cow;
use wip_schema as s;

fn text(t: &str) -> s::Text {
    Cow::Owned(t.to_string())
}

fn list<T: Clone>(v: Vec<T>) -> s::List<T> {
    Cow::Owned(v)
}

/// Index of a value set by id (specs are checked: ids resolve).
fn set_index(spec: &ir::Spec, id: &str) -> usize {
    spec.value_sets
        .iter()
        .position(|v| v.id == id)
        .unwrap_or(usize::MAX)
}

fn ty(spec: &ir::Spec, t: &ir::Ty) -> s::Ty {
    match t {
        ir::Ty::Int { min, max } => s::Ty::Int {
            min: *min,
            max: *max,
        },
        ir::Ty::Enum { set, allowed } => s::Ty::Enum {
            set: set_index(spec, set),
            allowed: list(allowed.clone()),
        },
        ir::Ty::Str { max_len } => s::Ty::Str { max_len: *max_len },
        ir::Ty::Host { max_len } => s::Ty::Host { max_len: *max_len },
        ir::Ty::Ip => s::Ty::Ip,
        ir::Ty::Hex { max_bytes } => s::Ty::Hex {
            max_bytes: *max_bytes,
        },
        ir::Ty::Text => s::Ty::Text,
    }
}

fn lit(l: &ir::Literal) -> s::Lit {
    match l {
        ir::Literal::Int(v) => s::Lit::Int(*v),
        ir::Literal::Str(v) => s::Lit::Str(text(v)),
    }
}

fn param(spec: &ir::Spec, p: &ir::Param) -> s::Param {
    s::Param {
        name: text(&p.name),
        ty: ty(spec, &p.ty),
        optional: p.optional,
        default: p.default.as_ref().map(lit),
    }
}

fn params(spec: &ir::Spec, ps: &[ir::Param]) -> s::List<s::Param> {
    list(ps.iter().map(|p| param(spec, p)).collect())
}

fn rest(spec: &ir::Spec, r: &Option<ir::Rest>) -> Option<s::Rest> {
    r.as_ref().map(|r| s::Rest {
        name: text(&r.name),
        ty: ty(spec, &r.ty),
        group: r.group,
        max_groups: r.max_groups,
    })
}

fn conds(cs: &[ir::Cond]) -> s::List<s::Cond> {
    list(
        cs.iter()
            .map(|c| s::Cond {
                param: c.param,
                values: list(c.values.clone()),
            })
            .collect(),
    )
}

fn rules(rs: &[ir::Rule]) -> s::List<s::Rule> {
    list(
        rs.iter()
            .map(|r| match r {
                ir::Rule::Order {
                    lesser, greater, ..
                } => s::Rule::Order {
                    lesser: *lesser,
                    greater: *greater,
                },
                ir::Rule::Together { params, .. } => s::Rule::Together(list(params.clone())),
                ir::Rule::AnyOf { params, .. } => s::Rule::AnyOf(list(params.clone())),
                ir::Rule::Require { when, params, .. } => s::Rule::Require {
                    when: conds(when),
                    params: list(params.clone()),
                },
                ir::Rule::Forbid { when, params, .. } => s::Rule::Forbid {
                    when: conds(when),
                    params: list(params.clone()),
                },
                ir::Rule::Reject { when, reason, .. } => s::Rule::Reject {
                    when: conds(when),
                    reason: text(reason),
                },
                ir::Rule::Range {
                    when,
                    param,
                    min,
                    max,
                    ..
                } => s::Rule::Range {
                    when: conds(when),
                    param: *param,
                    min: *min,
                    max: *max,
                },
            })
            .collect(),
    )
}

fn access(a: ir::Access) -> s::Access {
    match a {
        ir::Access::R => s::Access::R,
        ir::Access::W => s::Access::W,
        ir::Access::RW => s::Access::RW,
        ir::Access::None => s::Access::None,
    }
}

fn binding(spec: &ir::Spec, b: &Option<ir::Binding>) -> Option<s::Binding> {
    b.as_ref().map(|b| s::Binding {
        id_param: b.id_param,
        key_param: b.key_param,
        tables: list(
            b.tables
                .iter()
                .map(|(keys, t)| {
                    let idx = spec
                        .option_tables
                        .iter()
                        .position(|x| &x.id == t)
                        .unwrap_or(usize::MAX);
                    (list(keys.clone()), idx)
                })
                .collect(),
        ),
        access: access(b.access),
    })
}

fn message_index(spec: &ir::Spec, id: &str) -> usize {
    spec.messages
        .iter()
        .position(|m| m.id == id)
        .unwrap_or(usize::MAX)
}

/// Builds the run-time dialect of a checked spec.
pub fn dialect(spec: &ir::Spec) -> s::Dialect {
    s::Dialect {
        name: text(&format!(
            "{} {} rev {}",
            spec.name, spec.version, spec.revision
        )),
        command_prefix: text(&spec.command_prefix),
        value_sets: list(
            spec.value_sets
                .iter()
                .map(|v| s::ValueSet {
                    id: text(&v.id),
                    values: list(v.values.iter().map(|x| (x.value, text(&x.name))).collect()),
                })
                .collect(),
        ),
        tables: list(
            spec.option_tables
                .iter()
                .map(|t| s::OptionTable {
                    id: text(&t.id),
                    options: list(
                        t.options
                            .iter()
                            .map(|o| s::Opt {
                                id: o.id,
                                name: text(&o.name),
                                values: params(spec, &o.values),
                                rest: rest(spec, &o.rest),
                                read: params(spec, &o.read),
                                read_rest: rest(spec, &o.read_rest),
                                read_repeats: o.read_repeats,
                                rules: rules(&o.rules),
                                access: match &o.access {
                                    ir::AccessSpec::All(a) => s::AccessSpec::All(access(*a)),
                                    ir::AccessSpec::PerKey(m) => s::AccessSpec::PerKey(list(
                                        m.iter().map(|(k, a)| (*k, access(*a))).collect(),
                                    )),
                                },
                            })
                            .collect(),
                    ),
                })
                .collect(),
        ),
        commands: list(
            spec.commands
                .iter()
                .map(|c| s::Command {
                    name: text(&c.name),
                    timeout_ms: c.timeout_ms,
                    errors: list(c.errors.clone()),
                    forms: list(
                        c.forms
                            .iter()
                            .map(|f| s::Form {
                                kind: match f.kind {
                                    ir::FormKind::Action => s::FormKind::Action,
                                    ir::FormKind::Read => s::FormKind::Read,
                                    ir::FormKind::Test => s::FormKind::Test,
                                    ir::FormKind::Execute => s::FormKind::Execute,
                                },
                                name: text(&f.name),
                                select: conds(&f.select),
                                params: params(spec, &f.params),
                                rest: rest(spec, &f.rest),
                                options: binding(spec, &f.options),
                                rules: rules(&f.rules),
                                responses: list(
                                    f.responses.iter().map(|m| message_index(spec, m)).collect(),
                                ),
                                urcs: list(f.urcs.iter().map(|m| message_index(spec, m)).collect()),
                                echo: list(f.echo.clone()),
                                outcomes: list(
                                    f.outcomes
                                        .iter()
                                        .map(|o| s::Outcome {
                                            when: conds(&o.when),
                                            data: match o.data {
                                                ir::DataMode::Continuous => s::DataMode::Continuous,
                                                ir::DataMode::Transparent => {
                                                    s::DataMode::Transparent
                                                }
                                                ir::DataMode::HexDump => s::DataMode::HexDump,
                                            },
                                            etx: o.etx.map(|e| match e {
                                                ir::EtxMeaning::EndOfDatagram => {
                                                    s::EtxMeaning::EndOfDatagram
                                                }
                                                ir::EtxMeaning::Shutdown => s::EtxMeaning::Shutdown,
                                                ir::EtxMeaning::EndOfData => {
                                                    s::EtxMeaning::EndOfData
                                                }
                                            }),
                                        })
                                        .collect(),
                                ),
                            })
                            .collect(),
                    ),
                })
                .collect(),
        ),
        messages: list(
            spec.messages
                .iter()
                .map(|m| s::Message {
                    id: text(&m.id),
                    prefix: m.prefix.as_deref().map(text),
                    kind: match m.kind {
                        ir::MessageKind::Info => s::MessageKind::Info,
                        ir::MessageKind::Urc => s::MessageKind::Urc,
                        ir::MessageKind::Both => s::MessageKind::Both,
                    },
                    select: conds(&m.select),
                    fields: params(spec, &m.fields),
                    rest: rest(spec, &m.rest),
                    options: binding(spec, &m.options),
                    rules: rules(&m.rules),
                })
                .collect(),
        ),
        errors: list(
            spec.errors
                .iter()
                .map(|e| s::ErrorCode {
                    code: e.code,
                    text: text(&e.text),
                })
                .collect(),
        ),
    }
}

fn param_notes(ps: &[ir::Param]) -> Vec<crate::notes::ParamNotes> {
    ps.iter()
        .map(|p| crate::notes::ParamNotes {
            rust: p.rust.clone(),
            doc: p.doc.clone(),
            section: p.section.clone(),
        })
        .collect()
}

fn rest_notes(r: &Option<ir::Rest>) -> Option<crate::notes::RestNotes> {
    r.as_ref().map(|r| crate::notes::RestNotes {
        rust: r.rust.clone(),
        doc: r.doc.clone(),
    })
}

fn rule_sections(rs: &[ir::Rule]) -> Vec<String> {
    rs.iter()
        .map(|r| match r {
            ir::Rule::Order { section, .. }
            | ir::Rule::Together { section, .. }
            | ir::Rule::AnyOf { section, .. }
            | ir::Rule::Require { section, .. }
            | ir::Rule::Forbid { section, .. }
            | ir::Rule::Reject { section, .. }
            | ir::Rule::Range { section, .. } => section.clone(),
        })
        .collect()
}

/// The description and the notes of a checked spec.
pub fn lower(spec: &ir::Spec) -> crate::notes::Spec {
    use crate::notes as n;
    let notes = n::Notes {
        name: spec.name.clone(),
        version: spec.version.clone(),
        revision: spec.revision.clone(),
        source: spec.source.clone(),
        doc: spec.doc.clone(),
        value_sets: spec
            .value_sets
            .iter()
            .map(|v| n::ValueSetNotes {
                rust: v.rust.clone(),
                doc: v.doc.clone(),
                section: v.section.clone(),
                values: v
                    .values
                    .iter()
                    .map(|x| n::ValueNotes {
                        rust: x.rust.clone(),
                        doc: x.doc.clone(),
                    })
                    .collect(),
            })
            .collect(),
        tables: spec
            .option_tables
            .iter()
            .map(|t| n::TableNotes {
                rust: t.rust.clone(),
                title: t.title.clone(),
                section: t.section.clone(),
                options: t
                    .options
                    .iter()
                    .map(|o| n::OptNotes {
                        rust: o.rust.clone(),
                        doc: o.doc.clone(),
                        section: o.section.clone(),
                        values: param_notes(&o.values),
                        rest: rest_notes(&o.rest),
                        read: param_notes(&o.read),
                        read_rest: rest_notes(&o.read_rest),
                        rules: rule_sections(&o.rules),
                    })
                    .collect(),
            })
            .collect(),
        commands: spec
            .commands
            .iter()
            .map(|c| n::CommandNotes {
                rust: c.rust.clone(),
                title: c.title.clone(),
                section: c.section.clone(),
                doc: c.doc.clone(),
                timeout_doc: c.timeout_doc.clone(),
                errors_section: c.errors_section.clone(),
                forms: c
                    .forms
                    .iter()
                    .map(|f| n::FormNotes {
                        rust: f.rust.clone(),
                        section: f.section.clone(),
                        doc: f.doc.clone(),
                        params: param_notes(&f.params),
                        rest: rest_notes(&f.rest),
                        rules: rule_sections(&f.rules),
                        outcomes: f.outcomes.iter().map(|o| o.section.clone()).collect(),
                    })
                    .collect(),
            })
            .collect(),
        messages: spec
            .messages
            .iter()
            .map(|m| n::MessageNotes {
                section: m.section.clone(),
                doc: m.doc.clone(),
                fields: param_notes(&m.fields),
                rest: rest_notes(&m.rest),
                rules: rule_sections(&m.rules),
            })
            .collect(),
        errors: spec
            .errors
            .iter()
            .map(|e| n::ErrorNotes {
                rust: e.rust.clone(),
                section: e.section.clone(),
                group: e.group.clone(),
            })
            .collect(),
        error_report: spec.error_report.clone(),
        reserved_errors: spec.reserved_errors.clone(),
        limits: spec
            .limits
            .iter()
            .map(|l| crate::model::Limit {
                id: l.id.clone(),
                value: l.value,
                unit: l.unit.clone(),
                doc: l.doc.clone(),
                section: l.section.clone(),
            })
            .collect(),
        errata: spec
            .errata
            .iter()
            .map(|e| crate::model::Erratum {
                id: e.id.clone(),
                sections: e.sections.clone(),
                items: e.items.clone(),
                issue: e.issue.clone(),
                decision: e.decision.clone(),
            })
            .collect(),
    };
    n::Spec {
        dialect: dialect(spec),
        notes,
        ir: spec.clone(),
    }
}
