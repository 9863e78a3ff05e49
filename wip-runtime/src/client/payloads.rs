//! Raw data after a response or a URC (schema point 5), as the clients
//! deliver it: the framer reports a message's line, then its payload as
//! [`Frame::Payload`]; a response line gets it in
//! [`ReplyLine::payload`](super::ReplyLine::payload), and a URC whose
//! message declares a payload is held back until its payload came, so the
//! queued [`Urc`] always carries it.

use bytes::Bytes;
use wip_schema::Dialect;

use super::{route, Frame, ReplyLine, Routed, Urc};

/// Gives the payload to the last response line (the one it follows).
pub(crate) fn attach(lines: &mut [ReplyLine], payload: Bytes) {
    if let Some(l) = lines.last_mut() {
        l.payload = Some(payload);
    }
}

/// Whether message `m` declares raw data after its line.
fn has_payload(d: &Dialect, m: usize) -> bool {
    d.messages.get(m).is_some_and(|m| m.payload.is_some())
}

/// Routes frames as [`route`] does, but keeps back a URC whose message
/// declares a payload until that payload comes (or any other frame, when
/// the count did not read and no payload follows).
#[derive(Debug, Default)]
pub(crate) struct Router {
    held: Option<Urc>,
}

impl Router {
    /// Routes one frame; `out` gets zero, one or two routed items.
    pub(crate) fn route(
        &mut self,
        d: &Dialect,
        f: Frame,
        awaiting: &mut bool,
        mut out: impl FnMut(Routed),
    ) {
        if let Some(mut u) = self.held.take() {
            if let Frame::Payload(b) = f {
                u.payload = Some(b);
                out(Routed::Urc(u));
                return;
            }
            out(Routed::Urc(u));
        }
        match route(f, awaiting) {
            Routed::Urc(u) if u.message.is_some_and(|m| has_payload(d, m)) => {
                self.held = Some(u);
            }
            r => out(r),
        }
    }
}
