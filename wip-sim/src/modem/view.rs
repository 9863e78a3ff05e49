//! The core's state as a [`View`]: the state rules of
//! [`wip_transcript::state`] (the ones `wip verify` checks transcripts
//! against) decide which commands the state refuses, and with which code.

use wip_transcript::state::{self, BearerState, Key, SockState, View};

use super::sockets::{State, SERVER, TCP, UDP};
use super::Modem;

impl View for Modem {
    fn stack(&self) -> Option<bool> {
        Some(self.started)
    }

    fn bearer(&self, bid: i64) -> Option<BearerState> {
        Some(match self.bearers.open.get(&bid) {
            None => BearerState::Closed,
            Some(b) if b.started.is_some() => BearerState::Started,
            Some(_) => BearerState::Open,
        })
    }

    fn any_bearer_started(&self) -> Option<bool> {
        Some(self.bearers.any_started())
    }

    fn socket(&self, key: Key) -> Option<SockState> {
        let ready = |mapped: bool, offline: bool| SockState::Ready { mapped, offline };
        let of = |s: State, mapped: bool, offline: bool| match s {
            State::Opening => SockState::Opening,
            State::Open => ready(mapped, offline),
        };
        Some(match key.0 {
            UDP | TCP => match self.socks.get(key) {
                None => SockState::Absent,
                Some(s) => of(s.state, s.mapped.is_some(), s.offline.is_some()),
            },
            SERVER => match self.socks.servers.get(&key.1) {
                None => SockState::Absent,
                Some(s) => of(s.state, false, false),
            },
            p if state::is_session(p) => match self.services.get(&key) {
                None => SockState::Absent,
                Some(s) => {
                    let offline = self.socks.get(key).is_some_and(|x| x.offline.is_some());
                    of(s.state, false, offline)
                }
            },
            _ => SockState::Absent,
        })
    }

    fn reserved_by(&self, idx: u8) -> Option<Option<u8>> {
        Some(self.socks.reserved(idx).map(|r| r.server))
    }

    fn any_session(&self) -> Option<bool> {
        Some(!self.services.is_empty())
    }

    fn offline(&self, idx: u8) -> Option<bool> {
        Some(self.socks.offline_on(idx).is_some())
    }

    fn tcp_min_mss(&self) -> Option<i64> {
        self.started.then(|| self.stack_opt(state::OPT_TCP_MIN_MSS))
    }

    fn stack_option(&self, id: i64) -> Option<i64> {
        self.started.then(|| self.stack_opt(id))
    }

    fn udp_sockets(&self) -> Option<usize> {
        Some(self.socks.count(UDP))
    }

    fn offline_buffered(&self, idx: u8) -> Option<usize> {
        Some(
            self.socks
                .offline_on(idx)
                .and_then(|(_, s)| s.offline.as_ref())
                .map_or(0, |o| o.tx.len()),
        )
    }
}
