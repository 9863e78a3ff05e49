//! Command dispatch, the basic commands (`ATE`, `AT+CMEE`), the IP stack
//! (+WIPCFG, 4.1) and the bearers (+WIPBR, 4.2).

use std::collections::BTreeMap;
use std::time::Instant;

use wip_schema::{parse_command, FormKind, ParsedCommand, Val};

use wip_transcript::state::{self, Request, RUN_TIME_STACK_OPTIONS};

use super::errors::{refusal, Fin};
use super::{Modem, UartId};
use crate::flash::Stored;
use crate::names::{self, bound};

/// An open bearer (4.2).
#[derive(Debug, Clone, Default)]
pub(super) struct Bearer {
    /// Options set with `AT+WIPBR=2` (or from its stored configuration).
    pub opts: BTreeMap<i64, Val>,
    /// The mode it was started in.
    pub started: Option<i64>,
}

/// The open bearers, by id.
#[derive(Debug, Clone, Default)]
pub(super) struct Bearers {
    pub open: BTreeMap<i64, Bearer>,
}

impl Bearers {
    pub fn any_started(&self) -> bool {
        self.open.values().any(|b| b.started.is_some())
    }
}

/// The emulated MAC address read by WIP_BOPT_IP_MAC (a locally
/// administered one).
const MAC: &str = "02:00:00:00:00:01";

impl Modem {
    /// The stack options of the spec with their defaults (4.1.3).
    pub(super) fn stack_defaults(&self) -> BTreeMap<i64, i64> {
        let mut m = BTreeMap::new();
        if let Some(t) = self.d.tables.get(self.n.table.stack) {
            for o in t.options.iter() {
                let v = o
                    .values
                    .first()
                    .and_then(|p| p.default.as_ref())
                    .and_then(|l| Val::from(l).as_int())
                    .unwrap_or(0);
                m.insert(o.id, v);
            }
        }
        m
    }

    /// Whether `v` is a value option `id` of a table may take.
    fn valid_opt(&self, table: usize, id: i64, v: &Val) -> bool {
        names::option_index(&self.d, table, id)
            .and_then(|i| names::option(&self.d, table, i))
            .and_then(|o| o.values.first())
            .is_some_and(|p| wip_schema::value::check_value(&self.d, &p.ty, v).is_ok())
    }

    /// A stack option in force, by number.
    pub(super) fn stack_opt(&self, id: i64) -> i64 {
        self.stack_live.get(&id).copied().unwrap_or(0)
    }

    /// Runs one command line.
    pub(super) fn exec(&mut self, u: UartId, text: &str, t: Instant) {
        // URCs raised while the line is answered (a peer's close found by
        // +WIPDATARW) come after its final result code.
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.answering = true;
        }
        self.exec_line(u, text, t);
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.answering = false;
        }
        self.flush_urcs(u);
    }

    fn exec_line(&mut self, u: UartId, text: &str, t: Instant) {
        let Some(cl) = wip_schema::fields::command_line(text) else {
            return;
        };
        let name = cl.name.to_ascii_uppercase();
        if !self.d.owns(&name) || name.is_empty() {
            // 6.2.11.2: "no response is received when GSM bearer is used"
            // (+CME ERROR: 3 with GPRS, from `basic`).
            let gsm = self
                .bearers
                .open
                .get(&5)
                .is_some_and(|b| b.started.is_some());
            if name == "O" && cl.kind == wip_schema::fields::CommandKind::Execute && gsm {
                return;
            }
            let fin = self.basic(u, &name, cl.kind, cl.args);
            self.finish(u, fin, t);
            return;
        }
        let p = match parse_command(&self.d, text) {
            Ok(p) => p,
            Err(e) => {
                let fin = refusal(&self.d, text, &e);
                self.finish(u, fin, t);
                return;
            }
        };
        let Some(cmd) = self.d.commands.get(p.command) else {
            return;
        };
        let cname = cmd.name.to_string();
        let kind = cmd.forms.get(p.form).map(|f| f.kind);
        if kind == Some(FormKind::Test) {
            self.finish(u, Fin::Ok, t);
            return;
        }
        if kind == Some(FormKind::Read) && cname == "+WIPDATARW" {
            // 6.3.2: the read command answers OK.
            self.finish(u, Fin::Ok, t);
            return;
        }
        // What the state refuses, by the rules `wip verify` checks too.
        if let Err(r) = state::check(self, &Request::of(&self.d, &p)) {
            self.finish(u, Fin::Cme(r.code), t);
            return;
        }
        let fin = match cname.as_str() {
            "+WIPCFG" => Some(self.wipcfg(u, &p, t)),
            "+WIPBR" => Some(self.wipbr(u, &p)),
            "+WIPCREATE" => self.wipcreate(u, &p, t),
            "+WIPCLOSE" => Some(self.wipclose(u, &p, t)),
            "+WIPOPT" => {
                let fin = self.wipopt(u, &p);
                // WIP_MMS_DONE answers once the MMSC has (5.3.7.6).
                let waits = self
                    .uarts
                    .get(&u)
                    .is_some_and(|x| matches!(x.mode, super::uart::Mode::Busy));
                (!waits).then_some(fin)
            }
            "+WIPDATA" => self.wipdata(u, &p, t),
            "+WIPDATARW" => Some(self.wipdatarw(u, &p, t)),
            "+WIPPING" => self.wipping(u, &p),
            "+WIPFILE" => self.wipfile(u, &p, t),
            // A command of another spec the emulator does not know: a
            // clear refusal, never a fake success.
            _ => Some(Fin::Cme(834)),
        };
        if let Some(fin) = fin {
            self.finish(u, fin, t);
        }
    }

    /// Commands outside the dialect: `AT`, `ATE0`/`ATE1`, `AT+CMEE`,
    /// `ATZ`, `ATO`; anything else is `ERROR`.
    fn basic(
        &mut self,
        u: UartId,
        name: &str,
        kind: wip_schema::fields::CommandKind,
        args: &str,
    ) -> Fin {
        use wip_schema::fields::CommandKind as K;
        let Some(uart) = self.uarts.get_mut(&u) else {
            return Fin::Error;
        };
        match (name, kind) {
            ("", K::Execute) => Fin::Ok,
            ("E" | "E0", K::Execute) => {
                uart.echo = false;
                Fin::Ok
            }
            ("E1", K::Execute) => {
                uart.echo = true;
                Fin::Ok
            }
            ("Z", K::Execute) => {
                uart.echo = true;
                uart.cmee = false;
                Fin::Ok
            }
            // 6.2.11.2: ATO does not go back to data mode; +WIPDATA does.
            // With a GSM bearer started it gets no answer at all (`exec`).
            ("O", K::Execute) => Fin::Cme(3),
            ("+CMEE", K::Action) => match args.trim() {
                "0" => {
                    uart.cmee = false;
                    Fin::Ok
                }
                "1" | "2" => {
                    uart.cmee = true;
                    Fin::Ok
                }
                _ => Fin::Error,
            },
            ("+CMEE", K::Read) => {
                let v = u8::from(uart.cmee);
                self.line(u, &format!("+CMEE: {v}"));
                Fin::Ok
            }
            ("+CMEE", K::Test) => {
                self.line(u, "+CMEE: (0,1)");
                Fin::Ok
            }
            _ => Fin::Error,
        }
    }

    fn form_name(&self, p: &ParsedCommand) -> String {
        self.d
            .commands
            .get(p.command)
            .and_then(|c| c.forms.get(p.form))
            .map_or_else(String::new, |f| f.name.to_string())
    }

    // ---------------------------------------------------------- +WIPCFG 4.1

    fn wipcfg(&mut self, u: UartId, p: &ParsedCommand, t: Instant) -> Fin {
        match self.form_name(p).as_str() {
            "Stop" => {
                self.stop_stack(t);
                Fin::Ok
            }
            "Start" => {
                // 4.1.4: the stored configuration applies when it exists.
                let mut opts = self.stack_defaults();
                if let Some(stored) = &self.flash.data.stack {
                    for (k, v) in stored {
                        // A state file edited by hand cannot put a value
                        // the spec forbids into the stack.
                        if opts.contains_key(k)
                            && self.valid_opt(self.n.table.stack, *k, &Val::Int(*v))
                        {
                            opts.insert(*k, *v);
                        }
                    }
                }
                self.stack_live = opts.clone();
                self.stack_opts = opts;
                self.started = true;
                Fin::Ok
            }
            "Configure" => {
                let Some(o) = &p.values.option else {
                    return Fin::Cme(800);
                };
                let opt = names::option(&self.d, o.table, o.option);
                let v = names::option_value(&self.d, o).and_then(|v| v.as_int());
                match (opt, v) {
                    (Some(opt), Some(v)) => {
                        // 4.1.7: only the options it lists take effect
                        // at run time; the others at the next start, from
                        // the stored configuration (9.14).
                        if RUN_TIME_STACK_OPTIONS.contains(&opt.name.as_ref()) {
                            self.stack_live.insert(opt.id, v);
                        }
                        self.stack_opts.insert(opt.id, v);
                        Fin::Ok
                    }
                    _ => Fin::Cme(801),
                }
            }
            "Version" => {
                // The two lines of 4.1.2 (`WIPsoft vXX.YY.ZZ on Open AT OS
                // vA.B`, then build date and time and the WIPlib and
                // WIPsoft versions), with the spec's release for WIPsoft's
                // and a fixed date (the manual's), so that the output does
                // not depend on when the emulator was built. There is no
                // Open AT OS under the emulator: its version reads 0.0, in
                // the format a host parses; the WIPlib version names the
                // emulator.
                let release = version_of(&self.d.name);
                let lines = [
                    format!("WIPsoft v{release} on Open AT OS v0.0"),
                    format!(
                        "Feb 18 2011 00:00:00 WIPlib:wip-sim-{} WIPsoft:v{release}",
                        env!("CARGO_PKG_VERSION")
                    ),
                ];
                for l in lines {
                    let text = self.fmt(self.n.msg.cfg_version, &bound(vec![Val::Str(l)], None));
                    self.line(u, &text);
                }
                Fin::Ok
            }
            "Storage" => {
                let store = p.values.params.get(1).cloned().flatten() == Some(Val::Int(1));
                let before = self.flash.data.stack.clone();
                self.flash.data.stack = store.then(|| self.stack_opts.clone());
                if self.flash.save().is_err() {
                    self.flash.data.stack = before;
                    return Fin::Cme(if store { 820 } else { 821 });
                }
                Fin::Ok
            }
            "Read" => {
                let table = self.n.table.stack;
                let opts: Vec<(i64, i64)> = self.stack_opts.iter().map(|(k, v)| (*k, *v)).collect();
                for (id, v) in opts {
                    let Some(oi) = names::option_index(&self.d, table, id) else {
                        continue;
                    };
                    let b = bound(vec![Val::Int(id)], Some((table, oi, Val::Int(v))));
                    let text = self.fmt(self.n.msg.cfg_option, &b);
                    self.line(u, &text);
                }
                Fin::Ok
            }
            _ => Fin::Error,
        }
    }

    /// Stops the stack: every socket is closed and every bearer closed.
    /// Other UARTs in data mode, or waiting for a socket to open, get
    /// 852 (IP stack not initialized): their socket is gone. In continuous
    /// mode an ETX comes first, as when a socket is reset (6.2.5): the end
    /// of the communication, which tells the host that a final result code
    /// follows; in continuous transparent mode nothing can mark it.
    fn stop_stack(&mut self, t: Instant) {
        let others: Vec<(UartId, bool)> = self
            .uarts
            .iter()
            .filter_map(|(k, x)| match x.mode {
                super::uart::Mode::Data(_) => Some((*k, true)),
                super::uart::Mode::Busy => Some((*k, false)),
                super::uart::Mode::At => None,
            })
            .collect();
        for (k, data) in others {
            if data {
                let continuous = self
                    .uarts
                    .get_mut(&k)
                    .and_then(super::uart::Uart::session)
                    .is_some_and(|s| !s.transparent);
                if continuous {
                    self.modem_data(k, vec![wip_runtime::escape::ETX]);
                }
                self.leave_data(k, t, Some(Fin::Cme(852)));
            } else if let Some(x) = self.uarts.get_mut(&k) {
                x.mode = super::uart::Mode::At;
                self.finish(k, Fin::Cme(852), t);
            }
        }
        self.close_services(t);
        for id in std::mem::take(&mut self.pings).into_keys() {
            self.out
                .push(super::Action::Net(crate::net::NetCmd::Close { id }));
        }
        for id in self.socks.clear() {
            self.out
                .push(super::Action::Net(crate::net::NetCmd::Close { id }));
        }
        self.bearers.open.clear();
        self.started = false;
    }

    // ----------------------------------------------------------- +WIPBR 4.2

    fn wipbr(&mut self, u: UartId, p: &ParsedCommand) -> Fin {
        let form = self.form_name(p);
        if form == "Read" {
            let rows: Vec<(i64, bool)> = self
                .bearers
                .open
                .iter()
                .map(|(k, b)| (*k, b.started.is_some()))
                .collect();
            for (bid, started) in rows {
                let b = bound(vec![Val::Int(bid), Val::Int(i64::from(started))], None);
                let text = self.fmt(self.n.msg.br_state, &b);
                self.line(u, &text);
            }
            return Fin::Ok;
        }
        let bid = p
            .values
            .params
            .get(1)
            .cloned()
            .flatten()
            .and_then(|v| v.as_int())
            .unwrap_or(0);
        match form.as_str() {
            "Open" => {
                // 4.2.4: opened with its stored configuration.
                let opts = self
                    .flash
                    .data
                    .bearers
                    .get(&bid)
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| (*k, Val::from(v)))
                            .filter(|(k, v)| self.valid_opt(self.n.table.bearer, *k, v))
                            .collect()
                    })
                    .unwrap_or_default();
                self.bearers.open.insert(
                    bid,
                    Bearer {
                        opts,
                        started: None,
                    },
                );
                Fin::Ok
            }
            "Close" => match self.bearers.open.remove(&bid) {
                Some(_) => Fin::Ok,
                None => Fin::Cme(803),
            },
            "SetOption" => {
                let Some(o) = &p.values.option else {
                    return Fin::Cme(800);
                };
                let id = names::option(&self.d, o.table, o.option).map(|o| o.id);
                let v = o.values.first().cloned().flatten();
                let Some(b) = self.bearers.open.get_mut(&bid) else {
                    return Fin::Cme(803);
                };
                if let (Some(id), Some(v)) = (id, v) {
                    b.opts.insert(id, v);
                }
                Fin::Ok
            }
            "GetOption" => self.bearer_get(u, bid, p),
            "Start" => {
                let mode = p
                    .values
                    .params
                    .get(2)
                    .cloned()
                    .flatten()
                    .and_then(|v| v.as_int())
                    .unwrap_or(0);
                if let Some(b) = self.bearers.open.get_mut(&bid) {
                    b.started = Some(mode);
                }
                if mode == 1 {
                    // A server start reports its connection (4.2.2) in an
                    // unsolicited response: after the command's `OK`, as
                    // every URC raised while a line is answered (`exec`).
                    let addrs = [15, 16, 17, 18].map(|o| self.bearer_ip(bid, o));
                    let mut vals = vec![Val::Int(bid), Val::Int(0)];
                    vals.extend(addrs.into_iter().map(Val::Str));
                    let text = self.fmt(self.n.msg.br_status, &bound(vals, None));
                    self.urc(u, text);
                }
                Fin::Ok
            }
            "Stop" => match self.bearers.open.get_mut(&bid) {
                Some(b) if b.started.is_some() => {
                    b.started = None;
                    Fin::Ok
                }
                _ => Fin::Cme(803),
            },
            "Storage" => {
                let store = p.values.params.get(2).cloned().flatten() == Some(Val::Int(1));
                let before = self.flash.data.bearers.clone();
                if store {
                    let Some(b) = self.bearers.open.get(&bid) else {
                        return Fin::Cme(803);
                    };
                    let m = b.opts.iter().map(|(k, v)| (*k, Stored::from(v))).collect();
                    self.flash.data.bearers.insert(bid, m);
                } else {
                    self.flash.data.bearers.remove(&bid);
                }
                if self.flash.save().is_err() {
                    self.flash.data.bearers = before;
                    return Fin::Cme(if store { 820 } else { 821 });
                }
                Fin::Ok
            }
            _ => Fin::Error,
        }
    }

    /// The name of a bearer option, from the spec.
    fn bearer_opt_name(&self, id: i64) -> String {
        names::option_index(&self.d, self.n.table.bearer, id)
            .and_then(|i| names::option(&self.d, self.n.table.bearer, i))
            .map_or_else(String::new, |o| o.name.to_string())
    }

    /// An address option of a bearer: 0.0.0.0 until it is started (4.2.3
    /// cautions), then the value set, else the host's.
    fn bearer_ip(&self, bid: i64, id: i64) -> String {
        let Some(b) = self.bearers.open.get(&bid) else {
            return "0.0.0.0".into();
        };
        if b.started.is_none() {
            return "0.0.0.0".into();
        }
        if let Some(Val::Str(s)) = b.opts.get(&id) {
            return s.clone();
        }
        match self.bearer_opt_name(id).as_str() {
            "WIP_BOPT_IP_DNS1" => self.cfg.dns[0].clone(),
            "WIP_BOPT_IP_DNS2" => self.cfg.dns[1].clone(),
            "WIP_BOPT_IP_NETMASK" => "255.0.0.0".into(),
            _ => self.cfg.host_ip.clone(),
        }
    }

    fn bearer_get(&mut self, u: UartId, bid: i64, p: &ParsedCommand) -> Fin {
        let Some(o) = &p.values.option else {
            return Fin::Cme(800);
        };
        let Some(opt) = names::option(&self.d, o.table, o.option).cloned() else {
            return Fin::Cme(800);
        };
        let Some(b) = self.bearers.open.get(&bid) else {
            return Fin::Cme(803);
        };
        let ty = opt.values.first().map(|p| p.ty.clone());
        let v = match (opt.name.as_ref(), ty) {
            ("WIP_BOPT_IP_MAC", _) => Val::Str(MAC.into()),
            (_, Some(wip_schema::Ty::Ip)) => Val::Str(self.bearer_ip(bid, opt.id)),
            (_, ty) => b.opts.get(&opt.id).cloned().unwrap_or_else(|| {
                let def = opt
                    .values
                    .first()
                    .and_then(|p| p.default.as_ref())
                    .map(Val::from);
                def.unwrap_or(match ty {
                    Some(wip_schema::Ty::Int { min, .. }) => Val::Int(min),
                    Some(wip_schema::Ty::Enum { allowed, .. }) => {
                        Val::Int(allowed.first().copied().unwrap_or(0))
                    }
                    _ => Val::Str(String::new()),
                })
            }),
        };
        let b = bound(
            vec![Val::Int(bid), Val::Int(opt.id)],
            Some((o.table, o.option, v)),
        );
        let text = self.fmt(self.n.msg.br_option, &b);
        self.line(u, &text);
        Fin::Ok
    }
}

/// The release in a spec's name (`5.41` of `WIPsoft 5.41 rev 009`): its
/// first word that starts with a digit, else the whole name.
fn version_of(name: &str) -> &str {
    name.split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(name)
}

#[cfg(test)]
mod version_tests {
    use super::version_of;

    #[test]
    fn the_release_is_read_from_the_spec_name() {
        assert_eq!(version_of("WIPsoft 5.41 rev 009"), "5.41");
        assert_eq!(version_of("Vendor modem"), "Vendor modem");
    }
}
