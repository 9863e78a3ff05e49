//! The decoders generated for each message (`FromMessage::decode_direct`)
//! against the engine's decode (`typed::decode_generic`): on lines of
//! every rev 009 message, valid or not (out of range, wrong arity, bad
//! quotes, blanks, non-ASCII), a line the direct decoder reads gives the
//! value the engine gives, and `decode` gives what the engine gives,
//! errors included; so does `decode_framed` of the line cut as the framer
//! cuts it.

#[path = "../benches/modem_stream/mod.rs"]
mod modem_stream;

use proptest::prelude::*;
use std::fmt::Debug;
use wip_bindings::rev009::{Response, Urc, DIALECT};
use wip_runtime::framer::OwnedLine;
use wip_runtime::schema::typed::{decode_generic, decode_generic_framed, FromMessage};
use wip_runtime::schema::{Opt, Ty};
use wip_runtime::{Event, Framer};

/// Whether the generated code has a direct decoder for message `m`: every
/// rev 009 message has one.
fn has_direct(m: usize) -> bool {
    m < DIALECT.messages.len()
}

/// Whether the direct decoder reads the values of option `o` (read
/// values, as every rev 009 option message reports them): one value
/// each, none optional, no repeated group, no rule.
fn reads_option(o: &Opt) -> bool {
    o.read_rest.is_none() && o.rules.is_empty() && o.read.iter().all(|p| !p.optional)
}

/// Whether the direct decoder reads the line `l` of message `m` (valid):
/// its message has a decoder and, for an option, the option one.
fn reads_line(m: usize, l: &str) -> bool {
    let Some(msg) = DIALECT.messages.get(m) else {
        return false;
    };
    match &msg.options {
        None => has_direct(m),
        Some(b) => {
            let int = |i: usize| {
                msg.body(l)
                    .and_then(|body| body.split(',').nth(i))
                    .and_then(|f| f.trim().parse::<i64>().ok())
            };
            let id = int(b.id_param);
            let table = match b.key_param {
                Some(k) => int(k).and_then(|k| b.table_for(Some(k))),
                None => b.table_for(None),
            };
            let opt = table.and_then(|t| {
                DIALECT
                    .tables
                    .get(t)
                    .and_then(|t| t.options.iter().find(|o| Some(o.id) == id))
            });
            opt.is_some_and(reads_option)
        }
    }
}

/// Checks one line as message `m` through `T`; whether the direct decoder
/// read it.
fn check<T: FromMessage + PartialEq + Debug + Clone>(
    m: usize,
    line: &str,
) -> Result<Option<bool>, TestCaseError> {
    if !T::accepts(m) {
        return Ok(None);
    }
    let direct = T::decode_direct(&DIALECT, m, line);
    let generic = decode_generic::<T>(&DIALECT, m, line);
    let read = direct.is_some();
    if let Some(v) = direct {
        prop_assert_eq!(Ok(v), generic.clone(), "{}", line);
    }
    prop_assert_eq!(T::decode(&DIALECT, m, line), generic.clone(), "{}", line);
    // The framer's cut of the line, where the framer could tag it with
    // `m`: its prefix is the message's (none for a message without one;
    // a bare answer written with its command's prefix, E41, is decoded
    // from its body: `a_bare_answer_written_with_the_commands_prefix_decodes`).
    let cut = OwnedLine::parse(line);
    let prefix = DIALECT
        .messages
        .get(m)
        .and_then(|msg| msg.prefix.as_deref());
    if cut.prefix() == prefix {
        let framed = T::decode_direct_framed(&DIALECT, m, line, cut.body());
        prop_assert_eq!(framed.is_some(), read, "{}", line);
        prop_assert_eq!(
            T::decode_framed(&DIALECT, m, line, cut.body()),
            generic,
            "{}",
            line
        );
    }
    Ok(Some(read))
}

/// `second` decoded over the value of `first` (`first_m`'s, as `T`), and
/// into an empty slot: the value is the one `second` decodes to anew where
/// the direct decoder takes it, and the earlier value, untouched, where it
/// does not (`FromMessage::decode_direct_framed_over`,
/// `FromMessage::decode_direct_framed_in`).
fn check_over<T: FromMessage + PartialEq + Debug + Clone>(
    first_m: usize,
    first: &str,
    m: usize,
    second: &str,
) -> Result<(), TestCaseError> {
    if !T::accepts(m) || !T::accepts(first_m) {
        return Ok(());
    }
    let cut = OwnedLine::parse(second);
    let fresh = T::decode_direct_framed(&DIALECT, m, second, cut.body());
    let mut slot = None;
    let took = T::decode_direct_framed_in(&DIALECT, m, second, cut.body(), &mut slot);
    prop_assert_eq!(took, fresh.is_some(), "{}", second);
    prop_assert_eq!(&slot, &fresh, "{}", second);
    let Some(prev) =
        T::decode_direct_framed(&DIALECT, first_m, first, OwnedLine::parse(first).body())
    else {
        return Ok(());
    };
    let mut v = prev.clone();
    let took = T::decode_direct_framed_over(&DIALECT, m, second, cut.body(), &mut v);
    prop_assert_eq!(took, fresh.is_some(), "{} over {}", second, first);
    prop_assert_eq!(v, fresh.unwrap_or(prev), "{} over {}", second, first);
    Ok(())
}

/// Both enums; whether either read the line directly, and whether the
/// engine decoded it.
fn check_both(m: usize, line: &str) -> Result<(bool, bool), TestCaseError> {
    let u = check::<Urc>(m, line)?;
    let r = check::<Response>(m, line)?;
    let ok = if Urc::accepts(m) {
        decode_generic::<Urc>(&DIALECT, m, line).is_ok()
    } else {
        decode_generic::<Response>(&DIALECT, m, line).is_ok()
    };
    Ok((u == Some(true) || r == Some(true), ok))
}

/// Characters that break or bend a line.
const ODD: &[&str] = &[
    ",", "\"", " ", "\t", "\u{b}", "é", "١", "-", "0", "9", "(", ")", ":", "\r", "+", "a", "F",
    "\u{a0}",
];

fn odd(r: u64) -> &'static str {
    ODD.get(r as usize % ODD.len()).copied().unwrap_or(",")
}

/// A string of `len` characters drawn from letters, digits, blanks,
/// commas and non-ASCII.
fn chars(r: u64, len: usize) -> String {
    const POOL: &[char] = &['a', 'Z', '0', '7', ' ', ',', '.', 'é', '€', '-', ':', '\''];
    (0..len)
        .map(|k| {
            let i = (r.rotate_left(k as u32 * 7) ^ k as u64) as usize % POOL.len();
            POOL.get(i).copied().unwrap_or('a')
        })
        .collect()
}

fn int_text(min: i64, max: i64, pick: u32, r: u64) -> String {
    let span = (i128::from(max) - i128::from(min) + 1).max(1);
    let inside = (i128::from(min) + i128::from(r) % span) as i64;
    match pick % 13 {
        0 => min.to_string(),
        1 => max.to_string(),
        2 | 3 => inside.to_string(),
        4 => (i128::from(min) - 1).to_string(),
        5 => (i128::from(max) + 1).to_string(),
        6 => format!("-{}", inside.unsigned_abs()),
        7 => format!("00{inside}"),
        8 => "99999999999999999999".into(),
        9 => format!(" {inside} "),
        10 => format!("\t{inside}\u{b}"),
        11 => format!("\"{inside}\""),
        _ => format!("+{inside}"),
    }
}

/// A field for a parameter of type `ty`; `plain` keeps to valid values
/// written plainly.
fn field(ty: &Ty, pick: u32, r: u64, plain: bool) -> String {
    let pick = if plain { pick % 4 } else { pick };
    match ty {
        Ty::Int { min, max } => int_text(*min, *max, pick, r),
        Ty::Enum { allowed, .. } => {
            let v = allowed
                .get(r as usize % allowed.len().max(1))
                .copied()
                .unwrap_or(0);
            match pick % 6 {
                0..=3 => v.to_string(),
                4 => (allowed.last().copied().unwrap_or(0) + 1).to_string(),
                _ => int_text(-3, 30, pick / 6, r),
            }
        }
        Ty::Ip => {
            let [a, b, c, d] = (r as u32).to_be_bytes();
            match pick % 9 {
                0..=3 => format!("\"{a}.{b}.{c}.{d}\""),
                4 => format!("\"0{a}.{b}.{c}.{d}\""),
                5 => format!("\"{a}.{b}.{c}\""),
                6 => format!("{a}.{b}.{c}.{d}"),
                7 => format!("\"{a}.{b}.{c}.{}\"", 200 + u32::from(d)),
                _ => format!(" \"{a}.{b}.{c}.{d} \" "),
            }
        }
        Ty::Hex { max_bytes } => {
            let max = *max_bytes as usize;
            let n = match pick % 8 {
                0 | 1 => (r as usize) % (max + 1),
                2 => max,
                3 => 0,
                4 => max + 1,
                _ => (r as usize) % (max + 2),
            };
            let mut h: String = (0..n)
                .map(|k| format!("{:02X}", (r >> (k % 56)) as u8))
                .collect();
            match pick % 8 {
                5 => h.push('A'),
                6 => h.push_str("g0"),
                7 => h = h.to_lowercase(),
                _ => {}
            }
            format!("\"{h}\"")
        }
        Ty::Str { max_len } => {
            let max = max_len.map_or(40, |m| m as usize);
            let len = match pick % 6 {
                0 | 1 => (r as usize) % (max + 1),
                2 => max,
                3 => max + 1,
                _ => (r as usize) % (max + 3),
            };
            let s = chars(r, len.min(300));
            match pick % 7 {
                5 if !plain => s,
                6 if !plain => format!("\"{s}"),
                _ => format!("\"{s}\""),
            }
        }
        _ => {
            let s = chars(r, (r % 20) as usize);
            match pick % 3 {
                0 => s,
                1 => format!("\"{s}\""),
                _ => format!("{s},\"{s}\""),
            }
        }
    }
}

/// One line of message `m`: its prefix, then one field per parameter,
/// some dropped or added, then edits at byte positions.
fn line(m: usize, picks: &[(u32, u64)], edits: &[(u8, u16, u64)], plain: bool) -> String {
    let Some(msg) = DIALECT.messages.get(m) else {
        return String::new();
    };
    let mut out = String::new();
    let head = picks.first().map_or(0, |p| p.0);
    if let Some(p) = &msg.prefix {
        out.push_str(p);
        out.push_str(match (plain, head % 5) {
            (true, _) | (_, 0 | 1) => ": ",
            (_, 2) => ":",
            (_, 3) => " :\t",
            _ => ": \u{b}",
        });
    }
    let n = msg.fields.len();
    let count = if plain {
        n
    } else {
        match head % 7 {
            0 if n > 0 => n - 1,
            1 => n + 1,
            _ => n,
        }
    };
    // A message bound to option tables: its key picks a table, its option
    // number one of the table's options, whose read values follow.
    let mut table = msg
        .options
        .as_ref()
        .and_then(|b| b.tables.first())
        .map(|(_, t)| *t);
    let mut opt: Option<&Opt> = None;
    let mut fields: Vec<String> = (0..count)
        .map(|i| {
            let (pick, r) = picks.get(i + 1).copied().unwrap_or((0, i as u64 * 31));
            let b = msg.options.as_ref();
            if let Some(b) = b.filter(|b| b.key_param == Some(i) && pick % 8 != 7) {
                let (keys, t) = b.tables.get(r as usize % b.tables.len().max(1))?;
                table = Some(*t);
                return Some(keys.get(pick as usize % keys.len().max(1))?.to_string());
            }
            if b.is_some_and(|b| b.id_param == i) && pick % 8 != 7 {
                let t = DIALECT.tables.get(table?)?;
                let o = t.options.get(r as usize % t.options.len().max(1))?;
                opt = Some(o);
                return Some(o.id.to_string());
            }
            Some(match msg.fields.get(i) {
                Some(p) => field(&p.ty, pick, r, plain),
                None => field(&Ty::Int { min: 0, max: 9 }, pick, r, plain),
            })
        })
        .collect::<Option<_>>()
        .unwrap_or_default();
    if let Some(o) = opt {
        let rest = o.read_rest.iter().flat_map(|r| {
            let groups = picks.last().map_or(1, |p| p.0 % 3) as usize * r.group.max(1) as usize;
            std::iter::repeat_n(&r.ty, groups)
        });
        for (k, ty) in o.read.iter().map(|p| &p.ty).chain(rest).enumerate() {
            let (pick, r) = picks
                .get(n + 1 + k)
                .copied()
                .unwrap_or((k as u32, k as u64 * 131 + 7));
            fields.push(field(ty, pick, r, plain));
        }
    }
    out.push_str(&fields.join(if plain || head % 3 != 0 { "," } else { ", " }));
    if !plain {
        for (kind, at, r) in edits {
            let mut at = usize::from(*at) % (out.len() + 1);
            while !out.is_char_boundary(at) {
                at -= 1;
            }
            match kind % 4 {
                0 => out.insert_str(at, odd(*r)),
                1 => {
                    if let Some(c) = out.get(at..).and_then(|s| s.chars().next()) {
                        out.replace_range(at..at + c.len_utf8(), "");
                    }
                }
                2 => out.truncate(at),
                _ => out.push_str(odd(*r)),
            }
        }
    }
    out
}

fn message() -> impl Strategy<Value = usize> {
    0..DIALECT.messages.len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Any line: where the direct decoder gives a value, the engine gives
    /// the same; `decode` always gives what the engine gives.
    #[test]
    fn direct_decode_agrees_with_the_engine(
        m in message(),
        picks in prop::collection::vec((any::<u32>(), any::<u64>()), 0..12),
        edits in prop::collection::vec((any::<u8>(), any::<u16>(), any::<u64>()), 0..3),
    ) {
        let l = line(m, &picks, &edits, false);
        check_both(m, &l)?;
    }

    /// A line decoded over the value of a valid line of the same message
    /// (or of another) gives the value it decodes to anew, and leaves the
    /// value as it was where the direct decoder does not take it.
    #[test]
    fn decoding_over_a_value_is_decoding_anew(
        m in message(),
        other in message(),
        same in any::<bool>(),
        first_picks in prop::collection::vec((any::<u32>(), any::<u64>()), 0..12),
        picks in prop::collection::vec((any::<u32>(), any::<u64>()), 0..12),
        edits in prop::collection::vec((any::<u8>(), any::<u16>(), any::<u64>()), 0..3),
    ) {
        let first_m = if same { m } else { other };
        let first = line(first_m, &first_picks, &[], true);
        let second = line(m, &picks, &edits, false);
        check_over::<Urc>(first_m, &first, m, &second)?;
        check_over::<Response>(first_m, &first, m, &second)?;
    }

    /// Valid lines written plainly: the direct decoder reads every one the
    /// engine decodes, for every message it has a decoder for.
    #[test]
    fn direct_decode_reads_plain_lines(
        m in message(),
        picks in prop::collection::vec((any::<u32>(), any::<u64>()), 0..12),
    ) {
        let l = line(m, &picks, &[], true);
        let (read, ok) = check_both(m, &l)?;
        if reads_line(m, &l) {
            prop_assert_eq!(read, ok, "{}", l);
        } else {
            prop_assert!(!read, "{}", l);
        }
    }
}

/// Every URC and response of the benchmark's stream is read by the direct
/// decoder where its message has one, with the engine's value.
#[test]
fn the_stream_is_read_directly() {
    let s = modem_stream::build_to(64 << 10);
    let mut f = Framer::new(&DIALECT);
    let (mut direct, mut lines) = (0, 0);
    let mut last = std::collections::HashMap::<usize, Option<Urc>>::new();
    for op in modem_stream::ops(&s, Some(256)) {
        match op {
            modem_stream::Op::Sent(n) => {
                f.sent(s.command(n).expect("a command of the stream"));
            }
            modem_stream::Op::Feed(r) => f.feed(s.bytes.get(r).unwrap_or_default(), |e| {
                let (m, text, body) = match e {
                    Event::Urc { message, line } | Event::Response { message, line, .. } => {
                        (message, line.text, line.body)
                    }
                    _ => return,
                };
                lines += 1;
                // The body the framer cut is the one the decoder reads.
                assert_eq!(
                    DIALECT.messages.get(m).and_then(|msg| msg.body(text)),
                    Some(body),
                    "{text}"
                );
                assert_eq!(
                    Urc::decode_framed(&DIALECT, m, text, body),
                    Urc::decode(&DIALECT, m, text)
                );
                assert_eq!(
                    Response::decode_framed(&DIALECT, m, text, body),
                    Response::decode(&DIALECT, m, text)
                );
                // Over the last value of its message, as
                // `Framer::feed_typed_in` decodes it.
                let slot = last.entry(m).or_insert(None);
                let took = Urc::decode_direct_framed_in(&DIALECT, m, text, body, slot);
                assert_eq!(
                    slot.clone().filter(|_| took),
                    Urc::decode_direct_framed(&DIALECT, m, text, body)
                );
                let (read, ok) = check_both(m, text).unwrap();
                assert!(ok, "{text}");
                assert_eq!(read, reads_line(m, text), "{text}");
                direct += usize::from(read);
            }),
        }
    }
    assert!(
        lines > 1000 && direct > lines * 3 / 4,
        "{direct} of {lines}"
    );
}

/// Errors come from the engine, with its words.
#[test]
fn lines_the_direct_decoder_refuses_keep_the_engines_errors() {
    for (m, l) in [
        (5, "+WIPREADY: 2,9"),
        (5, "+WIPREADY: 2"),
        (5, "+WIPREADY: 2,1,"),
        (
            4,
            "+WIPBR: 6,0,\"10.0.0.256\",\"10.0.0.1\",\"8.8.8.8\",\"8.8.4.4\"",
        ),
        // A <status> that is neither 0 nor an error code (4.2.3).
        (
            4,
            "+WIPBR: 1,5,\"0.0.0.0\",\"0.0.0.0\",\"0.0.0.0\",\"0.0.0.0\"",
        ),
        (15, "+WIPDATARW: 2,1,2,3,\"00\""),
        (15, "+WIPDATARW: 2,1,2,1,\"0\""),
        (7, "+WIPPEERCLOSE: 3,5"),
        (9, "+WIPFILE: 5,1,2,20,\"x\""),
    ] {
        let u = Urc::decode(&DIALECT, m, l);
        assert_eq!(Urc::decode_direct(&DIALECT, m, l), None, "{l}");
        assert!(u.is_err(), "{l}");
        assert_eq!(u, decode_generic::<Urc>(&DIALECT, m, l));
    }
    // Option values: out of range, too long, an option the table lacks, a
    // value too many or missing.
    for (m, l) in [
        (2, "+WIPBR: 6,21,299"),
        (2, "+WIPBR: 6,12,5"),
        (2, "+WIPBR: 6,99,1"),
        (2, "+WIPBR: 6,6,1,1"),
        (2, "+WIPBR: 6,6"),
        (2, "+WIPBR: 3,6,1"),
        (2, "+WIPBR: 6,15,\"10.0.0.256\""),
        (0, "+WIPCFG: 99,1"),
        (8, "+WIPOPT: 9,8,20"),
        (8, "+WIPOPT: 2,8,-1"),
        (0, "+WIPCFG: 0,-1"),
    ] {
        let r = Response::decode(&DIALECT, m, l);
        assert_eq!(Response::decode_direct(&DIALECT, m, l), None, "{l}");
        assert!(r.is_err(), "{l}");
        assert_eq!(r, decode_generic::<Response>(&DIALECT, m, l));
    }
    let want = wip_bindings::rev009::WipBrOption::new(
        wip_bindings::rev009::BearerId::Gprs,
        wip_bindings::rev009::BearerOptionReading::GprsApn("internet".into()),
    )
    .map(Response::WipBrOption)
    .ok();
    assert!(want.is_some());
    assert!(Response::decode_direct(&DIALECT, 8, "+WIPOPT: 2,8,20").is_some());
    assert_eq!(
        Response::decode_direct(&DIALECT, 2, "+WIPBR: 6,11,\"internet\""),
        want
    );
    // The rules hold where they apply.
    assert!(Urc::decode_direct(&DIALECT, 7, "+WIPPEERCLOSE: 2,5").is_some());
    assert!(Urc::decode_direct(&DIALECT, 9, "+WIPFILE: 5,1,2,200,\"OK\"").is_some());
}

/// A bare answer written with its command's prefix (E41: `+WIPBR: 6,1`
/// for the `<bid>,<state>` of `AT+WIPBR?`), which the framer tags as the
/// bare message with the body after the prefix, decodes from that body
/// like the bare line, through the generated decoder and the engine's.
#[test]
fn a_bare_answer_written_with_the_commands_prefix_decodes() {
    use wip_bindings::rev009::{BearerId, BearerState, WipBrState};
    use wip_bindings::traits::TypedMessage;

    let mut f = Framer::new(&DIALECT);
    f.sent("AT+WIPBR?");
    let mut got = Vec::new();
    f.feed(b"\r\n+WIPBR: 6,1\r\n\r\n5,0\r\n\r\nOK\r\n", |e| {
        if let Event::Response { message, line, .. } = e {
            got.push(Response::decode_framed(
                &DIALECT, message, line.text, line.body,
            ));
            got.push(
                WipBrState::decode_framed(&DIALECT, message, line.text, line.body)
                    .map(Response::WipBrState),
            );
            got.push(decode_generic_framed::<Response>(
                &DIALECT, message, line.text, line.body,
            ));
        }
    });
    let state = |bid, state| Ok(Response::WipBrState(WipBrState { bid, state }));
    let gprs = state(BearerId::Gprs, BearerState::Started);
    let gsm = state(BearerId::Gsm, BearerState::Stopped);
    assert_eq!(
        got,
        vec![
            gprs.clone(),
            gprs.clone(),
            gprs,
            gsm.clone(),
            gsm.clone(),
            gsm
        ]
    );
    // The whole line, as `decode` and `parse` take it, is read the same
    // way (the framer tags it with the bare message).
    let m = DIALECT
        .messages
        .iter()
        .position(|m| m.id == "WipBrState")
        .unwrap();
    let want = Ok(WipBrState {
        bid: BearerId::Gprs,
        state: BearerState::Started,
    });
    assert_eq!(WipBrState::parse("+WIPBR: 6,1"), want);
    assert_eq!(WipBrState::decode(&DIALECT, m, "+WIPBR: 6,1"), want);
    assert_eq!(WipBrState::parse("6,1"), want);
    // Another command's prefix is no E41 answer.
    assert!(WipBrState::parse("+WIPCFG: 6,1").is_err());
    assert!(Response::decode(&DIALECT, m, "+WIPCFG: 6,1").is_err());
}

/// Free text answering `AT+WIPCFG=3` (the version line, 4.1.2) that
/// opens like a prefixed line (`+FOO: x`, `+`) is all text: only another
/// command's own prefix is cut (E41), and the framed decode reads the
/// whole line as the engine does, through both framer paths.
#[test]
fn free_text_that_opens_like_a_prefix_is_all_text() {
    use wip_bindings::rev009::WipCfgVersionLine;
    use wip_runtime::framer::Typed;

    let bytes = b"\r\n+FOO: x\r\n\r\n+\r\n\r\n+WIPSOFT\r\n\r\n+WIPCFG\r\n\r\nOK\r\n";
    let want: Vec<Result<Response, String>> = ["+FOO: x", "+", "+WIPSOFT", ""]
        .iter()
        .map(|t| {
            Ok(Response::WipCfgVersionLine(WipCfgVersionLine {
                text: t.to_string(),
            }))
        })
        .collect();
    let mut f = Framer::new(&DIALECT);
    f.sent("AT+WIPCFG=3");
    let mut got = Vec::new();
    f.feed(bytes, |e| {
        if let Event::Response { message, line, .. } = e {
            got.push(
                Response::decode_framed(&DIALECT, message, line.text, line.body)
                    .map_err(|e| e.to_string()),
            );
            assert_eq!(
                decode_generic_framed::<Response>(&DIALECT, message, line.text, line.body),
                Response::decode_framed(&DIALECT, message, line.text, line.body),
                "{}",
                line.text
            );
        }
    });
    assert_eq!(got, want);
    let mut f = Framer::new(&DIALECT);
    f.sent("AT+WIPCFG=3");
    let mut typed = Vec::new();
    f.feed_typed(bytes, |e: Typed<'_, Urc, Response>| {
        if let Typed::Response { value, .. } = e {
            typed.push(value.map_err(|e| e.to_string()));
        }
    });
    assert_eq!(typed, want);
    // The whole line, as `decode` takes it, and the engine: the same.
    let m = DIALECT
        .messages
        .iter()
        .position(|m| m.id == "WipCfgVersionLine")
        .unwrap();
    for (line, want) in ["+FOO: x", "+", "+WIPSOFT", "+WIPCFG"].iter().zip(&want) {
        let decoded = Response::decode(&DIALECT, m, line).map_err(|e| e.to_string());
        assert_eq!(&decoded, want, "{line}");
        let engine = decode_generic::<Response>(&DIALECT, m, line).map_err(|e| e.to_string());
        assert_eq!(&engine, want, "{line}");
    }
}

/// An option the protocol has no access to at all ("-" in 5.3.7.1: a TCP
/// server has no peer port, UDP no SND_LOWAT or NODELAY) cannot be read
/// back, so no `+WIPOPT` line carries it: refused by every decode path,
/// while an option the protocol reads decodes.
#[test]
fn an_option_the_protocol_does_not_have_is_refused() {
    let m = DIALECT
        .messages
        .iter()
        .position(|m| m.id == "WipOptValue")
        .unwrap();
    for line in [
        "+WIPOPT: 3,1,80",
        "+WIPOPT: 1,4,100",
        "+WIPOPT: 1,7,1",
        "+WIPOPT: 2,3,1",
    ] {
        let body = OwnedLine::parse(line).body().to_string();
        let generic = decode_generic::<Response>(&DIALECT, m, line);
        assert!(generic.is_err(), "{line}: {generic:?}");
        assert!(
            generic
                .as_ref()
                .err()
                .is_some_and(|e| e.to_string().contains("cannot be read for")),
            "{line}: {generic:?}"
        );
        assert_eq!(Response::decode(&DIALECT, m, line), generic, "{line}");
        assert_eq!(
            Response::decode_framed(&DIALECT, m, line, &body),
            generic,
            "{line}"
        );
    }
    for line in ["+WIPOPT: 2,1,80", "+WIPOPT: 2,4,100", "+WIPOPT: 3,9,10"] {
        assert!(
            decode_generic::<Response>(&DIALECT, m, line).is_ok(),
            "{line}"
        );
    }
}
