//! +WIPPING (7.1): ICMP echo requests, one `+WIPPING` URC each.

use std::time::{Duration, Instant};

use wip_schema::{ParsedCommand, Val};

use super::errors::Fin;
use super::uart::Mode;
use super::{Action, Modem, UartId};
use crate::names::{self, bound};
use crate::net::{NetCmd, NetEvent, PingReq};

/// WIP_NET_OPT_IP_TTL (4.1.3), the default `<ttl>` (7.1.3).
const STACK_TTL: i64 = 0;
/// "error on Ping channel" (10.1, listed by 7.1.5).
const PING_ERROR: u32 = 819;

impl Modem {
    /// AT+WIPPING; `None` while the driver opens its ICMP socket.
    pub(super) fn wipping(&mut self, u: UartId, p: &ParsedCommand) -> Option<Fin> {
        let form = self.d.commands.get(p.command)?.forms.get(p.form)?.clone();
        if form.name != "Ping" {
            return Some(Fin::Ok);
        }
        let b = &p.values;
        // Defaults are the spec's (7.1.3), applied by the engine.
        let int = |name: &str| names::int(&form, b, name);
        let ms = |name: &str| {
            int(name)
                .and_then(|v| u64::try_from(v).ok())
                .map(Duration::from_millis)
        };
        let req = PingReq {
            host: names::string(&form, b, "host")?,
            repeat: int("repeat").and_then(|v| u16::try_from(v).ok())?,
            interval: ms("interval")?,
            timeout: ms("timeout")?,
            size: int("nwrite").and_then(|v| usize::try_from(v).ok())?,
            ttl: int("ttl")
                .or_else(|| Some(self.stack_opt(STACK_TTL)))
                .and_then(|v| u32::try_from(v).ok())?,
        };
        let id = self.new_id();
        self.pings.insert(id, u);
        if let Some(uart) = self.uarts.get_mut(&u) {
            uart.mode = Mode::Busy;
        }
        self.out.push(Action::Net(NetCmd::Ping { id, req }));
        None
    }

    /// Events of pings; the others are given back.
    pub(super) fn ping_event(&mut self, ev: NetEvent, now: Instant) -> Option<NetEvent> {
        let id = match &ev {
            NetEvent::Opened { id, .. }
            | NetEvent::Failed { id, .. }
            | NetEvent::Echo { id, .. }
            | NetEvent::PingDone { id } => *id,
            _ => return Some(ev),
        };
        let Some(&u) = self.pings.get(&id) else {
            return Some(ev);
        };
        match ev {
            NetEvent::Opened { .. } => self.ping_answer(u, Fin::Ok, now),
            NetEvent::Failed { .. } => {
                self.pings.remove(&id);
                self.ping_answer(u, Fin::Cme(PING_ERROR), now);
            }
            NetEvent::Echo {
                idx, timed_out, ms, ..
            } => {
                if let Some(msg) = self.n.msg.ping {
                    let v = vec![
                        Val::Int(i64::from(timed_out)),
                        Val::Int(i64::from(idx)),
                        Val::Int(i64::from(ms.min(65535))),
                    ];
                    let text = self.fmt(msg, &bound(v, None));
                    self.urc(u, text);
                }
            }
            NetEvent::PingDone { .. } => {
                self.pings.remove(&id);
            }
            _ => {}
        }
        None
    }

    fn ping_answer(&mut self, u: UartId, fin: Fin, now: Instant) {
        if let Some(uart) = self.uarts.get_mut(&u) {
            if matches!(uart.mode, Mode::Busy) {
                uart.mode = Mode::At;
            }
        }
        self.finish(u, fin, now);
        self.process(u, now);
    }
}
