//! What the emulator looks up in the dialect, by name, once: commands,
//! messages and option tables. Nothing here re-types a range or an option:
//! values come from the spec through the engine.

use wip_schema::{rules, Bound, BoundOption, Dialect, Form, Opt, Val};

use crate::SimError;

/// Indexes of the messages the emulator sends.
#[derive(Debug, Clone, Copy)]
pub struct Messages {
    /// `+WIPCFG: <opt num>,<value>` (4.1.2).
    pub cfg_option: usize,
    /// A version text line (4.1.2).
    pub cfg_version: usize,
    /// `+WIPBR: <bid>,<opt num>,<value>` (4.2.2).
    pub br_option: usize,
    /// `<bid>,<state>` (4.2.2).
    pub br_state: usize,
    /// `+WIPBR: <bid>,<status>,...` (4.2.2).
    pub br_status: usize,
    /// `+WIPREADY` (5.1.2).
    pub ready: usize,
    /// `+WIPACCEPT` (5.1.2).
    pub accept: usize,
    /// `+WIPPEERCLOSE` (5.2.2).
    pub peer_close: usize,
    /// `+WIPOPT: <protocol>,<optnum>,<optval>` (5.3.2).
    pub opt_value: usize,
    /// `+WIPDATA` of UDP (6.2.6).
    pub data_udp: usize,
    /// `+WIPDATA` of TCP (6.2.6).
    pub data_tcp: usize,
    /// `+WIPDATARW: <state>,<idx>` (6.3.2); absent in specs before rev 009.
    pub rw_session: Option<usize>,
    /// `+WIPDATARW: 3,<idx>,<size>` (6.3.2).
    pub rw_sent: Option<usize>,
    /// `+WIPDATARW: 2,<idx>,<nb>,<num>,"<dump>"` (6.3.2).
    pub rw_data: Option<usize>,
    /// `+WIPPING: <timeout expired>,<packet idx>,<response time>` (7.1.2).
    pub ping: Option<usize>,
    /// `+WIPFILE: 5,<index>,<mode>,<status>,"<reason>"` (6.1.4).
    pub file_http: Option<usize>,
    /// `+WIPFILE: 8,<index>,<size>` (6.1.9).
    pub file_mms: Option<usize>,
}

/// Indexes of the option tables.
#[derive(Debug, Clone, Copy)]
pub struct Tables {
    /// Stack options (+WIPCFG, 4.1.3).
    pub stack: usize,
    /// Bearer options (+WIPBR, 4.2.3).
    pub bearer: usize,
    /// Socket options (+WIPOPT, 5.3.7.1).
    pub socket: usize,
}

/// Everything looked up once.
#[derive(Debug, Clone, Copy)]
pub struct Names {
    /// Messages.
    pub msg: Messages,
    /// Tables.
    pub table: Tables,
}

fn message(d: &Dialect, id: &str) -> Option<usize> {
    d.messages.iter().position(|m| m.id == id)
}

fn need(d: &Dialect, id: &str) -> Result<usize, SimError> {
    message(d, id).ok_or_else(|| SimError::MissingInSpec(format!("message {id}")))
}

fn table(d: &Dialect, id: &str) -> Result<usize, SimError> {
    d.tables
        .iter()
        .position(|t| t.id == id)
        .ok_or_else(|| SimError::MissingInSpec(format!("option table {id}")))
}

impl Names {
    /// Looks everything up; a spec without the basic socket commands is an
    /// error, one without `+WIPDATARW` only loses data offline sessions.
    pub fn resolve(d: &Dialect) -> Result<Names, SimError> {
        for c in [
            "+WIPCFG",
            "+WIPBR",
            "+WIPCREATE",
            "+WIPCLOSE",
            "+WIPOPT",
            "+WIPDATA",
        ] {
            if d.command(c).is_none() {
                return Err(SimError::MissingInSpec(format!("command {c}")));
            }
        }
        Ok(Names {
            msg: Messages {
                cfg_option: need(d, "WipCfgOption")?,
                cfg_version: need(d, "WipCfgVersionLine")?,
                br_option: need(d, "WipBrOption")?,
                br_state: need(d, "WipBrState")?,
                br_status: need(d, "WipBrStatus")?,
                ready: need(d, "WipReady")?,
                accept: need(d, "WipAccept")?,
                peer_close: need(d, "WipPeerClose")?,
                opt_value: need(d, "WipOptValue")?,
                data_udp: need(d, "WipDataUdp")?,
                data_tcp: need(d, "WipDataTcp")?,
                rw_session: message(d, "WipDataRwSession"),
                rw_sent: message(d, "WipDataRwSent"),
                rw_data: message(d, "WipDataRwData"),
                ping: message(d, "WipPing"),
                file_http: message(d, "WipFileHttpStatus"),
                file_mms: message(d, "WipFileMmsSize"),
            },
            table: Tables {
                stack: table(d, "stack")?,
                bearer: table(d, "bearer")?,
                socket: table(d, "socket")?,
            },
        })
    }
}

/// The position of a parameter of a form, by its name in the spec.
pub fn param_pos(form: &Form, name: &str) -> Option<usize> {
    form.params.iter().position(|p| p.name == name)
}

/// The value of a parameter (its default when left out), by name.
pub fn value(form: &Form, b: &Bound, name: &str) -> Option<Val> {
    param_pos(form, name).and_then(|i| rules::effective(&form.params, &b.params, i))
}

/// An integer parameter, by name.
pub fn int(form: &Form, b: &Bound, name: &str) -> Option<i64> {
    param_pos(form, name)
        .and_then(|i| rules::effective_ref(&form.params, &b.params, i))
        .and_then(|v| v.as_int())
}

/// A string parameter, by name.
pub fn string(form: &Form, b: &Bound, name: &str) -> Option<String> {
    param_pos(form, name)
        .and_then(|i| rules::effective_ref(&form.params, &b.params, i))
        .and_then(|v| v.as_str().map(str::to_string))
}

/// The first value of the option a line names, or its default.
pub fn option_value(d: &Dialect, o: &BoundOption) -> Option<Val> {
    let opt = option(d, o.table, o.option)?;
    rules::effective(&opt.values, &o.values, 0)
}

/// An option of a table, by indexes.
pub fn option(d: &Dialect, table: usize, option: usize) -> Option<&Opt> {
    d.tables.get(table)?.options.get(option)
}

/// The index of option number `id` in a table.
pub fn option_index(d: &Dialect, table: usize, id: i64) -> Option<usize> {
    d.tables.get(table)?.options.iter().position(|o| o.id == id)
}

/// A message's values: fields, then one option value.
pub fn bound(params: Vec<Val>, option: Option<(usize, usize, Val)>) -> Bound {
    Bound {
        params: params.into_iter().map(Some).collect(),
        rest: Vec::new(),
        option: option.map(|(table, option, v)| BoundOption {
            table,
            option,
            values: vec![Some(v)],
            rest: Vec::new(),
        }),
    }
}
