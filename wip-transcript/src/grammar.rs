//! The pest grammar of one line (`transcript.pest`) and the walk from its
//! parse tree to an [`Event`].

use pest::iterators::Pair;
use pest::Parser;
use pest_derive::Parser;

use crate::error::{EscapeError, ParseErrorKind};
use crate::event::Event;

/// The parser pest derives from `src/transcript.pest`.
#[derive(Parser)]
#[grammar = "transcript.pest"]
pub(crate) struct LineParser;

/// Which rule a line is read with: the state of its channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Outside data mode: commands and modem lines.
    Command,
    /// In data mode (after `CONNECT`): payloads, `+++` and the modem line
    /// that ends it.
    Data,
}

/// Parses one line (without its line end) read in `mode`.
///
/// Returns `Ok(None)` for a blank line.
pub(crate) fn parse_line(line: &str, mode: Mode) -> Result<Option<Event>, ParseErrorKind> {
    let rule = match mode {
        Mode::Command => Rule::command_mode_line,
        Mode::Data => Rule::data_mode_line,
    };
    let top = LineParser::parse(rule, line)
        .map_err(|e| ParseErrorKind::Grammar {
            message: e.variant.message().into_owned(),
        })?
        .next()
        .ok_or_else(|| ParseErrorKind::Grammar {
            message: "empty parse".to_owned(),
        })?;
    for pair in top.into_inner() {
        let event = match pair.as_rule() {
            Rule::EOI => continue,
            Rule::comment_line => Event::Comment(child_text(pair, Rule::comment_text)),
            Rule::directive => directive(pair),
            Rule::command => {
                let (text, comment) = text_and_comment(pair, Rule::command_text);
                Event::Command { text, comment }
            }
            Rule::modem_line => {
                let (text, comment) = text_and_comment(pair, Rule::text);
                Event::ModemLine { text, comment }
            }
            Rule::host_data => Event::HostData(payload_of(pair, line)?),
            Rule::modem_data => Event::ModemData(payload_of(pair, line)?),
            Rule::escape_line => Event::Escape {
                comment: comment_of(pair),
            },
            other => {
                return Err(ParseErrorKind::Grammar {
                    message: format!("unexpected rule {other:?}"),
                })
            }
        };
        return Ok(Some(event));
    }
    Ok(None)
}

/// The text of the first child of `pair` that is a `rule`, or "".
fn child_text(pair: Pair<'_, Rule>, rule: Rule) -> String {
    pair.into_inner()
        .find(|p| p.as_rule() == rule)
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default()
}

/// The trailing comment among the children of `pair`.
fn comment_of(pair: Pair<'_, Rule>) -> Option<String> {
    pair.into_inner()
        .find(|p| p.as_rule() == Rule::trailing_comment)
        .map(|c| child_text(c, Rule::comment_text))
}

/// The text (child `rule`) and the trailing comment of a line.
fn text_and_comment(pair: Pair<'_, Rule>, rule: Rule) -> (String, Option<String>) {
    let mut text = String::new();
    let mut comment = None;
    for child in pair.into_inner() {
        if child.as_rule() == rule {
            text = child.as_str().to_owned();
        } else if child.as_rule() == Rule::trailing_comment {
            comment = Some(child_text(child, Rule::comment_text));
        }
    }
    (text, comment)
}

/// `@name args // comment`.
fn directive(pair: Pair<'_, Rule>) -> Event {
    let mut name = String::new();
    let mut args = String::new();
    let mut comment = None;
    for child in pair.into_inner() {
        match child.as_rule() {
            Rule::directive_name => name = child.as_str().to_owned(),
            Rule::directive_args => args = child.as_str().to_owned(),
            Rule::trailing_comment => comment = Some(child_text(child, Rule::comment_text)),
            _ => {}
        }
    }
    Event::Directive {
        name,
        args,
        comment,
    }
}

/// Decodes the payload child of a `host_data` or `modem_data` pair.
fn payload_of(pair: Pair<'_, Rule>, line: &str) -> Result<Vec<u8>, EscapeError> {
    match pair.into_inner().find(|p| p.as_rule() == Rule::payload) {
        Some(payload) => decode_payload_pair(payload, line),
        None => Ok(Vec::new()),
    }
}

/// Decodes a `payload` pair; columns of errors count in `input`, the text
/// the pair was parsed from.
pub(crate) fn decode_payload_pair(
    payload: Pair<'_, Rule>,
    input: &str,
) -> Result<Vec<u8>, EscapeError> {
    let mut bytes = Vec::with_capacity(payload.as_str().len());
    for piece in payload.into_inner() {
        match piece.as_rule() {
            Rule::etx => bytes.push(0x03),
            Rule::dle => bytes.push(0x10),
            Rule::cr => bytes.push(b'\r'),
            Rule::lf => bytes.push(b'\n'),
            Rule::backslash => bytes.push(b'\\'),
            Rule::bracket => bytes.push(b'['),
            Rule::literal => bytes.extend_from_slice(piece.as_str().as_bytes()),
            Rule::hex_escape => {
                let digits = piece.as_str().get(2..).unwrap_or_default();
                match u8::from_str_radix(digits, 16) {
                    Ok(b) => bytes.push(b),
                    Err(_) => return Err(escape_error(&piece, input)),
                }
            }
            _ => return Err(escape_error(&piece, input)),
        }
    }
    Ok(bytes)
}

/// The error for a malformed escape.
fn escape_error(piece: &Pair<'_, Rule>, input: &str) -> EscapeError {
    EscapeError {
        column: column(input, piece.as_span().start()),
        escape: piece.as_str().to_owned(),
    }
}

/// The 1-based column, in characters, of byte offset `pos` of `line`.
pub(crate) fn column(line: &str, pos: usize) -> usize {
    line.get(..pos).map_or(pos, |s| s.chars().count()) + 1
}
