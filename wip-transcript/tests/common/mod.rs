//! Helpers shared by the test files.
#![allow(dead_code)]

use wip_transcript::{parse_str, Event, ParseError, Reader};

/// Parses and keeps (line, channel, event); panics on any error.
pub fn events(text: &str) -> Vec<(usize, String, Event)> {
    parse_str(text)
        .unwrap()
        .into_iter()
        .map(|s| (s.line, s.channel, s.value))
        .collect()
}

/// The events alone.
pub fn values(text: &str) -> Vec<Event> {
    events(text).into_iter().map(|(_, _, e)| e).collect()
}

/// The single event of a one-line transcript.
pub fn one(text: &str) -> Event {
    let mut v = values(text);
    assert_eq!(v.len(), 1, "{text:?} gave {v:?}");
    v.remove(0)
}

/// Every item of the reader, errors included.
pub fn all(text: &str) -> Vec<Result<(usize, String, Event), ParseError>> {
    Reader::new(text.as_bytes())
        .map(|r| r.map(|s| (s.line, s.channel, s.value)))
        .collect()
}

pub fn cmd(text: &str) -> Event {
    Event::Command {
        text: text.into(),
        comment: None,
    }
}

pub fn cmd_c(text: &str, c: &str) -> Event {
    Event::Command {
        text: text.into(),
        comment: Some(c.into()),
    }
}

pub fn modem(text: &str) -> Event {
    Event::ModemLine {
        text: text.into(),
        comment: None,
    }
}

pub fn modem_c(text: &str, c: &str) -> Event {
    Event::ModemLine {
        text: text.into(),
        comment: Some(c.into()),
    }
}

pub fn host(b: &[u8]) -> Event {
    Event::HostData(b.to_vec())
}

pub fn dev(b: &[u8]) -> Event {
    Event::ModemData(b.to_vec())
}

pub fn escape() -> Event {
    Event::Escape { comment: None }
}

pub fn directive(name: &str, args: &str) -> Event {
    Event::Directive {
        name: name.into(),
        args: args.into(),
        comment: None,
    }
}

pub fn comment(text: &str) -> Event {
    Event::Comment(text.into())
}

/// Wraps lines in a data-mode preamble and returns only the events after it.
pub fn in_data_mode(lines: &str) -> Vec<Event> {
    let text = format!("AT+WIPDATA=2,1,1\nCONNECT\n{lines}");
    let mut v = values(&text);
    assert_eq!(v[..2], [cmd("AT+WIPDATA=2,1,1"), modem("CONNECT")]);
    v.split_off(2)
}
