//! Where recorded events go: the transcript file (one flushed write per
//! line), the live check (`--check`) and the staging directives
//! (`--stage`).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Write};
use std::rc::Rc;
use std::time::Instant;

use wip_schema::Dialect;
use wip_transcript::{Event, Spanned, WriteError, Writer};

use super::record::Recorded;
use super::stage::Stager;
use wip_transcript::verify::{Verifier, Violation};

/// How many written lines are kept to quote them in a violation report.
const RECENT: usize = 4096;

/// The lines written so far: their count and the last ones' text.
#[derive(Debug, Default)]
struct Lines {
    count: usize,
    partial: Vec<u8>,
    recent: VecDeque<(usize, String)>,
}

/// The transcript's output, counting its lines.
struct Counting<W> {
    inner: W,
    lines: Rc<RefCell<Lines>>,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        let mut l = self.lines.borrow_mut();
        for &b in buf.get(..n).unwrap_or_default() {
            if b == b'\n' {
                l.count += 1;
                let text = String::from_utf8_lossy(&l.partial)
                    .trim_end_matches('\r')
                    .to_owned();
                l.partial.clear();
                let no = l.count;
                l.recent.push_back((no, text));
                if l.recent.len() > RECENT {
                    l.recent.pop_front();
                }
            } else {
                l.partial.push(b);
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Options of a sink.
pub struct Options<'d> {
    /// The name the transcript is reported under (`FILE:LINE:`).
    pub name: String,
    /// Verify as the lines are written, with this command set.
    pub check: Option<&'d Dialect>,
    /// Write staging directives.
    pub stage: bool,
    /// Write the time of commands, modem lines and `+++` as comments.
    pub timestamps: bool,
}

/// Writes recorded events; see the [module documentation](self).
pub struct Sink<'d> {
    writer: Writer<Counting<Box<dyn Write + 'd>>>,
    lines: Rc<RefCell<Lines>>,
    verifier: Option<Verifier<'d>>,
    stager: Option<Stager>,
    report: Box<dyn Write + 'd>,
    name: String,
    start: Instant,
    timestamps: bool,
    violations: usize,
    /// The channel of the last line, where comments go.
    channel: String,
}

impl<'d> Sink<'d> {
    /// A sink writing the transcript to `out` and violations to `report`.
    pub fn new(out: Box<dyn Write + 'd>, report: Box<dyn Write + 'd>, o: Options<'d>) -> Self {
        let lines = Rc::new(RefCell::new(Lines::default()));
        Sink {
            writer: Writer::new(Counting {
                inner: out,
                lines: Rc::clone(&lines),
            }),
            lines,
            verifier: o.check.map(Verifier::new),
            stager: o.stage.then(Stager::default),
            report,
            name: o.name,
            start: Instant::now(),
            timestamps: o.timestamps,
            violations: 0,
            channel: wip_transcript::DEFAULT_CHANNEL.to_owned(),
        }
    }

    /// Writes a comment (under the channel of the last line, so that it
    /// switches no channel).
    pub fn comment(&mut self, text: &str) -> io::Result<()> {
        let ev = Recorded {
            channel: self.channel.clone(),
            event: Event::Comment(text.to_owned()),
        };
        self.write(&ev, None)
    }

    /// Writes one recorded event (with the staging directives around it),
    /// checks it, and flushes the file.
    pub fn write(&mut self, rec: &Recorded, at: Option<Instant>) -> io::Result<()> {
        let mut event = rec.event.clone();
        if let (true, Some(at)) = (self.timestamps, at) {
            let t = at.saturating_duration_since(self.start);
            let stamp = format!("t+{}.{:03} s", t.as_secs(), t.subsec_millis());
            match &mut event {
                Event::Command { comment, .. } | Event::ModemLine { comment, .. } => {
                    *comment = Some(stamp)
                }
                Event::Escape { comment } => {
                    *comment = Some(match comment.take() {
                        Some(c) => format!("{c}, {stamp}"),
                        None => stamp,
                    })
                }
                _ => {}
            }
        }
        // With `--stage`, the stager says what to write now (a datagram a
        // peer is sending holds the lines back until its `@send` is known).
        let lines = match self.stager.as_mut() {
            Some(s) => s.stage(&rec.channel, &rec.event, event),
            None => vec![(rec.channel.clone(), event)],
        };
        for (channel, ev) in lines {
            self.line(&channel, ev)?;
        }
        self.writer.flush().map_err(to_io)
    }

    /// Writes one line, or a comment saying why it cannot be written.
    fn line(&mut self, channel: &str, event: Event) -> io::Result<()> {
        channel.clone_into(&mut self.channel);
        match self.writer.write_event(channel, &event) {
            Ok(()) => {}
            Err(WriteError::Io(e)) => return Err(e),
            Err(e) => {
                let text = format!("not written as a line of its own: {e}");
                self.writer
                    .write_event(channel, &Event::Comment(text))
                    .map_err(to_io)?;
                return Ok(());
            }
        }
        // On disk before it is reported.
        self.writer.flush().map_err(to_io)?;
        let line = self.lines.borrow().count;
        if let Some(v) = self.verifier.as_mut() {
            v.event(&Spanned {
                line,
                channel: channel.to_owned(),
                value: event,
            });
            let found = v.take_violations();
            self.report(found)?;
        }
        Ok(())
    }

    fn report(&mut self, found: Vec<Violation>) -> io::Result<()> {
        for v in found {
            self.violations += 1;
            let text = self
                .lines
                .borrow()
                .recent
                .iter()
                .find(|(n, _)| *n == v.line)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            writeln!(self.report, "{}:{}: {}", self.name, v.line, v.message)?;
            writeln!(self.report, "{:>6} | {text}", v.line)?;
        }
        self.report.flush()
    }

    /// Ends the transcript: the live check reports what was left pending.
    pub fn finish(mut self, why: &str) -> io::Result<usize> {
        self.comment(why)?;
        let left = self.stager.as_mut().map(Stager::finish).unwrap_or_default();
        for (channel, ev) in left {
            self.line(&channel, ev)?;
        }
        if let Some(v) = self.verifier.take() {
            let found = v.finish();
            self.report(found)?;
        }
        self.writer.flush().map_err(to_io)?;
        Ok(self.violations)
    }
}

fn to_io(e: WriteError) -> io::Error {
    match e {
        WriteError::Io(e) => e,
        other => io::Error::other(other.to_string()),
    }
}
