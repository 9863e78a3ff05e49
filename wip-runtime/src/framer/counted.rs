//! A quoted field read by count (schema point 5, [`Ty::Counted`]): u-blox
//! `+USORD: <socket>,<length>,"<data>"`, where the data may hold `"`,
//! commas, CR and LF. When a line starts with the prefix of a message that
//! has such a field, the framer reads the line up to the field's opening
//! quote, takes `<length>` bytes raw (or twice as many hex digits, the
//! modem's hex mode), then the closing quote and the rest of the line. It
//! reports the line with the field empty (`+USORD: 3,16,""`), classified as
//! usual, then the content as one [`Event::Payload`]. The bytes are
//! gathered whole before the events, so they do not depend on the chunking.

use super::{Event, FrameError, Framer};
use alloc::vec::Vec;
use wip_schema::{Dialect, Ty};

/// The prefix of a message with a counted field, and where its fields are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Site {
    /// `+USORD`.
    prefix: Vec<u8>,
    /// Index of the counted field.
    field: usize,
    /// Index of its count field.
    len_field: usize,
}

/// The sites of a dialect: one per prefix and field position.
pub(super) fn sites(d: &Dialect) -> Vec<Site> {
    let mut out: Vec<Site> = Vec::new();
    for m in d.messages.iter() {
        let Some(prefix) = m.prefix.as_deref() else {
            continue;
        };
        for (field, f) in m.fields.iter().enumerate() {
            if let Ty::Counted { len_field } = f.ty {
                let s = Site {
                    prefix: prefix.as_bytes().to_vec(),
                    field,
                    len_field,
                };
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// A counted field being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Taking {
    /// The line up to and with the opening quote.
    head: Vec<u8>,
    /// The count.
    n: usize,
    /// Content bytes still to take.
    left: usize,
    /// The content (up to the line limit).
    got: Vec<u8>,
    /// More content than the line limit: dropped, with one error.
    over: bool,
    /// The content was extended to twice the count (hex mode).
    hex: bool,
    /// Past the content: the closing quote and the rest of the line,
    /// gathered up to the line feed.
    tail: Option<Vec<u8>>,
    /// The rest of the line is longer than the line limit: the line is
    /// reported as too long (its content still comes).
    tail_over: bool,
}

/// What the start of a line is.
pub(super) enum Head {
    /// Not a line with a counted field (or its count does not read).
    No,
    /// Could be one: more bytes are needed.
    Partial,
    /// The header ends at this offset of the line (just past the opening
    /// quote), with this count.
    At(usize, usize),
}

/// Finds the opening quote of a site's counted field in `line` (the line
/// so far), before any line feed.
fn head(site: &Site, line: &[u8]) -> Head {
    let p = site.prefix.as_slice();
    if line.len() < p.len() {
        return if p.starts_with(line) {
            Head::Partial
        } else {
            Head::No
        };
    }
    if !line.starts_with(p) {
        return Head::No;
    }
    let mut i = p.len();
    // `:` then blanks.
    match line.get(i) {
        None => return Head::Partial,
        Some(b':') => i += 1,
        Some(_) => return Head::No,
    }
    let body_start = {
        while matches!(line.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    };
    let mut field = 0;
    let mut quoted = false;
    while let Some(&b) = line.get(i) {
        match b {
            b'\n' | b'\r' => return Head::No,
            b'"' if !quoted && field == site.field => {
                let body = line.get(body_start..i).unwrap_or_default();
                let n = core::str::from_utf8(body)
                    .ok()
                    .and_then(|b| wip_schema::payload::counted_len(b, site.len_field));
                return match n {
                    Some(n) => Head::At(i + 1, n),
                    None => Head::No,
                };
            }
            b'"' => quoted = !quoted,
            b',' if !quoted => field += 1,
            // Something other than blanks or the opening quote starts the
            // field.
            _ if !quoted && field == site.field && !matches!(b, b' ' | b'\t') => {
                return Head::No;
            }
            _ => {}
        }
        i += 1;
    }
    Head::Partial
}

impl Framer<'_> {
    /// At a line start (the partial line in `buf` then `rest`): begins
    /// reading a counted field when the line is one. Returns the bytes of
    /// `rest` used, `None` when the line is not one.
    pub(super) fn match_counted<F: FnMut(Event<'_>)>(
        &mut self,
        rest: &[u8],
        sink: &mut F,
    ) -> Option<usize> {
        if self.sites.is_empty() || self.discarding {
            return None;
        }
        let first = self.buf.first().or(rest.first()).copied();
        if first != Some(b'+') {
            return None;
        }
        // Only up to the first line feed matters.
        let upto = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        let mut line = self.buf.clone();
        line.extend_from_slice(rest.get(..upto).unwrap_or_default());
        let mut partial = false;
        // A header past the line limit is an overlong line, as when its
        // bytes come one by one and are held as a partial line (which
        // holds at most `max_line` bytes before the opening quote).
        let longest = self.cfg.max_line.saturating_add(1);
        for site in &self.sites {
            match head(site, &line) {
                Head::No => {}
                Head::At(end, _) if end > longest => {}
                Head::Partial => partial = true,
                Head::At(end, n) => {
                    let used = end.saturating_sub(self.buf.len());
                    line.truncate(end);
                    self.buf.clear();
                    self.taking = Some(Taking {
                        head: line,
                        n,
                        left: n,
                        got: Vec::new(),
                        over: false,
                        hex: false,
                        tail: None,
                        tail_over: false,
                    });
                    return Some(used);
                }
            }
        }
        if partial && upto == rest.len() && rest.last() != Some(&b'\n') {
            // The header may still come: keep the bytes, as a partial line.
            self.stash(rest, &mut super::fused::Events(&mut *sink));
            return Some(rest.len());
        }
        None
    }

    /// Takes bytes of the counted field being read; returns how many.
    pub(super) fn feed_counted<F: FnMut(Event<'_>)>(&mut self, rest: &[u8], sink: &mut F) -> usize {
        let max = self.cfg.max_line;
        let Some(mut t) = self.taking.take() else {
            return 0;
        };
        let mut used = 0;
        loop {
            let Some(bytes) = rest.get(used..).filter(|r| !r.is_empty()) else {
                self.taking = Some(t);
                return used;
            };
            if let Some(tail) = t.tail.as_mut() {
                match memchr::memchr(b'\n', bytes) {
                    // However the rest of the line comes, past the limit it
                    // is over (not kept in part).
                    None => {
                        if tail.len() + bytes.len() <= max {
                            tail.extend_from_slice(bytes);
                        } else {
                            t.tail_over = true;
                        }
                        self.taking = Some(t);
                        return used + bytes.len();
                    }
                    Some(off) => {
                        if tail.len() + off <= max {
                            tail.extend_from_slice(bytes.get(..off).unwrap_or_default());
                        } else {
                            t.tail_over = true;
                        }
                        self.finish_counted(t, sink);
                        return used + off + 1;
                    }
                }
            }
            if t.left > 0 {
                let k = t.left.min(bytes.len());
                let piece = bytes.get(..k).unwrap_or_default();
                if t.got.len() + k > max {
                    t.over = true;
                } else {
                    t.got.extend_from_slice(piece);
                }
                t.left -= k;
                used += k;
                continue;
            }
            // The content is taken: its closing quote, or in hex mode
            // more hex digits.
            let b = bytes.first().copied().unwrap_or(b'"');
            if b != b'"'
                && !t.hex
                && !t.over
                && b.is_ascii_hexdigit()
                && t.got.iter().all(u8::is_ascii_hexdigit)
            {
                t.hex = true;
                t.left = t.n;
                continue;
            }
            t.tail = Some(Vec::new());
            if b == b'"' {
                used += 1;
            }
        }
    }

    /// Reports the line with its counted field empty (or that it is too
    /// long), then the content.
    fn finish_counted<F: FnMut(Event<'_>)>(&mut self, t: Taking, sink: &mut F) {
        if t.tail_over {
            sink(Event::Error(FrameError::LineTooLong {
                max: self.cfg.max_line,
            }));
        } else {
            let mut line = t.head;
            line.push(b'"');
            line.extend_from_slice(&t.tail.unwrap_or_default());
            self.line(&line, &mut super::fused::Events(&mut *sink));
        }
        if t.over {
            sink(Event::Error(FrameError::LineTooLong {
                max: self.cfg.max_line,
            }));
        } else {
            sink(Event::Payload(&t.got));
        }
    }
}
