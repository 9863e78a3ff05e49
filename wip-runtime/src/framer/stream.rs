//! The data mode half of [`Framer::feed`]: payload, marks, and the CR LF
//! framed indications that may interrupt it (see the module `data`).

use super::data::{
    escaped_line, indication, EscapedLine, Escaping, Indication, MAX_ESCAPED_URC, MAX_INDICATION,
};
use super::{to_line, Event, Framer};
use crate::escape::{DLE, ETX};
use crate::result::Final;
use wip_schema::classify::{self, Class, InFlight};

const CR: u8 = b'\r';

impl Framer<'_> {
    /// Data mode: consumes payload until the chunk ends or command mode
    /// comes back; returns the bytes used (0 when held bytes were resolved
    /// and the input must be looked at again).
    pub(super) fn feed_data<F: FnMut(Event<'_>)>(&mut self, input: &[u8], sink: &mut F) -> usize {
        if self.buf.is_empty() {
            self.scan_data(input, sink)
        } else {
            self.resolve_held(input, sink)
        }
    }

    /// What may interrupt the data now: (final result codes, SHUTDOWN).
    fn watching(&self) -> (bool, bool) {
        match self.data.as_ref() {
            Some(d) => (
                d.escaped || d.after_etx || d.shut || d.session.upload,
                d.session.watches_shutdown(),
            ),
            None => (false, false),
        }
    }

    /// The host sent `+++` ([`Framer::escape_sent`]): URCs may come before
    /// the final result code (erratum E42). An ETX that ends a transfer
    /// ([`Framer::etx_sent`]) does not count.
    fn escaped(&self) -> bool {
        self.data.as_ref().is_some_and(|d| d.plus_escaped)
    }

    /// What the bytes at a CR (`at`) begin: [`indication`], and after the
    /// host's `+++` a URC of the dialect framed by CR LF (erratum E42: a
    /// URC that became due meanwhile, a peer's close, comes before the
    /// `OK` of the escape).
    fn look(&self, at: &[u8], finals: bool, shutdown: bool) -> Indication {
        let found = indication(at, finals, shutdown);
        if found != Indication::No || !self.escaped() {
            return found;
        }
        match escaped_line(at) {
            EscapedLine::Line(len) => {
                let line = at.get(2..len.saturating_sub(2)).unwrap_or_default();
                let parts = self.index.unglue(classify::parts(line));
                match self.index.classify(InFlight::None, &parts) {
                    Class::Urc(message) => Indication::Urc(message, len),
                    _ => Indication::No,
                }
            }
            EscapedLine::More => Indication::More,
            EscapedLine::No => Indication::No,
        }
    }

    /// Gives the URC [`Framer::look`] found (`framed`: its line with the
    /// CR LF around it). A line that is not UTF-8 is never one.
    fn emit_urc<F: FnMut(Event<'_>)>(&self, message: usize, framed: &[u8], sink: &mut F) {
        let line = framed
            .get(2..framed.len().saturating_sub(2))
            .unwrap_or_default();
        let parts = self.index.unglue(classify::parts(line));
        if let Some(l) = to_line(line, &parts) {
            sink(Event::Urc { message, line: l });
        }
    }

    /// How many bytes may be held undecided at a CR.
    fn hold_max(&self) -> usize {
        if self.escaped() {
            MAX_ESCAPED_URC
        } else {
            MAX_INDICATION
        }
    }

    fn end_data<F: FnMut(Event<'_>)>(&mut self, f: Final, sink: &mut F) {
        self.data = None;
        self.set_pending(None);
        self.buf.clear();
        sink(Event::Final(f));
    }

    /// The peer shut its side: no data comes any more (see
    /// `DataState::shut`).
    fn set_shut(&mut self) {
        if let Some(d) = self.data.as_mut() {
            d.shut = true;
        }
    }

    fn set_after_etx(&mut self, v: bool) {
        if let Some(d) = self.data.as_mut() {
            d.after_etx = v;
        }
    }

    /// Decides the held bytes with the help of the new input.
    fn resolve_held<F: FnMut(Event<'_>)>(&mut self, input: &[u8], sink: &mut F) -> usize {
        let old = self.buf.len();
        let max = self.hold_max();
        let take = input.len().min(max.saturating_sub(old));
        self.buf
            .extend_from_slice(input.get(..take).unwrap_or_default());
        let (finals, shutdown) = self.watching();
        let found = match self.look(&self.buf, finals, shutdown) {
            // Held bytes never reach the limit undecided; be safe.
            Indication::More if self.buf.len() >= max => Indication::No,
            other => other,
        };
        match found {
            Indication::More => input.len(),
            Indication::Urc(message, len) => {
                let held = core::mem::take(&mut self.buf);
                self.set_after_etx(false);
                self.emit_urc(message, held.get(..len).unwrap_or_default(), sink);
                self.buf = held;
                self.buf.clear();
                len.saturating_sub(old)
            }
            Indication::Final(f, len) => {
                self.end_data(f, sink);
                len.saturating_sub(old)
            }
            Indication::Shutdown(len) => {
                self.buf.clear();
                self.set_after_etx(false);
                self.set_shut();
                sink(Event::Shutdown);
                len.saturating_sub(old)
            }
            Indication::No => {
                let mut held = core::mem::take(&mut self.buf);
                held.truncate(old);
                self.set_after_etx(false);
                // The CR is payload; what followed it is looked at again,
                // then the whole input (nothing of it was used).
                sink(Event::Data(held.get(..1).unwrap_or_default()));
                self.feed_sink(
                    held.get(1..).unwrap_or_default(),
                    &mut super::fused::Events(sink as &mut dyn FnMut(Event<'_>)),
                );
                0
            }
        }
    }

    fn scan_data<F: FnMut(Event<'_>)>(&mut self, input: &[u8], sink: &mut F) -> usize {
        let Some(d) = self.data.as_ref() else {
            return 0;
        };
        match d.session.escaping {
            Escaping::Transparent => self.scan_transparent(input, sink),
            Escaping::Continuous => self.scan_continuous(input, sink),
        }
    }

    fn scan_transparent<F: FnMut(Event<'_>)>(&mut self, input: &[u8], sink: &mut F) -> usize {
        let (finals, _) = self.watching();
        if !finals {
            sink(Event::Data(input));
            return input.len();
        }
        let mut start = 0;
        let mut from = 0;
        while let Some(off) = input.get(from..).and_then(|s| memchr::memchr(CR, s)) {
            let cr = from + off;
            let at = input.get(cr..).unwrap_or_default();
            match self.look(at, true, false) {
                Indication::Final(f, len) => {
                    emit(sink, input.get(start..cr));
                    self.end_data(f, sink);
                    return cr + len;
                }
                Indication::Urc(message, len) => {
                    emit(sink, input.get(start..cr));
                    self.emit_urc(message, at.get(..len).unwrap_or_default(), sink);
                    start = cr + len;
                    from = start;
                }
                Indication::More => {
                    emit(sink, input.get(start..cr));
                    self.buf.extend_from_slice(at);
                    return input.len();
                }
                Indication::No | Indication::Shutdown(_) => from = cr + 1,
            }
        }
        emit(sink, input.get(start..));
        input.len()
    }

    fn scan_continuous<F: FnMut(Event<'_>)>(&mut self, input: &[u8], sink: &mut F) -> usize {
        let mut start = 0;
        loop {
            let rest = input.get(start..).unwrap_or_default();
            let cr = memchr::memchr(CR, rest).map(|o| start + o);
            let seg = input
                .get(start..cr.unwrap_or(input.len()))
                .unwrap_or_default();
            self.unescape(seg, sink);
            let Some(cr) = cr else {
                return input.len();
            };
            let (finals, shutdown) = self.watching();
            let escaped_cr = self
                .data
                .as_ref()
                .is_some_and(|d| d.unescaper.pending_dle());
            let at = input.get(cr..).unwrap_or_default();
            let found = if escaped_cr || !(finals || shutdown) {
                Indication::No
            } else {
                self.look(at, finals, shutdown)
            };
            match found {
                Indication::Final(f, len) => {
                    self.end_data(f, sink);
                    return cr + len;
                }
                Indication::Urc(message, len) => {
                    self.set_after_etx(false);
                    self.emit_urc(message, at.get(..len).unwrap_or_default(), sink);
                    start = cr + len;
                }
                Indication::Shutdown(len) => {
                    self.set_after_etx(false);
                    self.set_shut();
                    sink(Event::Shutdown);
                    start = cr + len;
                }
                Indication::More => {
                    self.buf.extend_from_slice(at);
                    return input.len();
                }
                Indication::No => {
                    self.unescape(input.get(cr..cr + 1).unwrap_or_default(), sink);
                    start = cr + 1;
                }
            }
        }
    }

    /// Unescapes payload, turning lone ETX into [`Event::EndOfData`]. The
    /// payload before the first DLE or ETX is given as it lies in the
    /// input; the rest, unescaped in bulk, from a buffer of the framer's,
    /// one event per run between marks.
    fn unescape<F: FnMut(Event<'_>)>(&mut self, seg: &[u8], sink: &mut F) {
        let Some(d) = self.data.as_mut() else {
            return;
        };
        let meaning = d.session.etx;
        let mut rest = seg;
        while !rest.is_empty() {
            if !d.unescaper.pending_dle() {
                let plain = memchr::memchr2(DLE, ETX, rest).unwrap_or(rest.len());
                if let (Some(run), Some(after)) = (rest.get(..plain), rest.get(plain..)) {
                    if !run.is_empty() {
                        d.after_etx = false;
                        sink(Event::Data(run));
                        rest = after;
                        continue;
                    }
                }
            }
            d.unescaped.clear();
            let r = d.unescaper.unescape_into(rest, &mut d.unescaped);
            if !d.unescaped.is_empty() {
                d.after_etx = false;
                sink(Event::Data(&d.unescaped));
            }
            if r.etx {
                d.after_etx = true;
                sink(Event::EndOfData(meaning));
            }
            rest = rest.get(r.used.max(1)..).unwrap_or_default();
        }
    }
}

fn emit<F: FnMut(Event<'_>)>(sink: &mut F, data: Option<&[u8]>) {
    if let Some(d) = data.filter(|d| !d.is_empty()) {
        sink(Event::Data(d));
    }
}
