//! Modem lines: tell an information response from a URC, parse it, and
//! format values back into a line.

use crate::bind::{bind_all, Bound, Failure, Scope};
use crate::classify::{self, Class, InFlight, Index};
use crate::command::{selects, write_fields};
use crate::error::{Error, ErrorKind};
use crate::fields::{self, Field};
use crate::types::{Access, Dialect, FormKind, Message, Ty};
use crate::value::Val;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

/// A modem line matched to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedMessage {
    /// Index of the message in the dialect.
    pub message: usize,
    /// The values.
    pub values: Bound,
    /// True when it answered the pending command, false for a URC.
    pub solicited: bool,
}

/// The command a modem line may be answering: (command, form) indexes.
pub type Pending = Option<(usize, usize)>;

/// Parses one modem line (without its `<CR><LF>`), not a final result
/// code: [`Index::classify`] tells which message it is (a response of the
/// pending form, or a URC), and the engine binds its fields. Builds the
/// index for this one line: callers that parse many lines keep an
/// [`Index`] and call [`parse_message_with`].
pub fn parse_message(d: &Dialect, line: &str, pending: Pending) -> Result<ParsedMessage, Error> {
    parse_message_with(d, &Index::new(d), line, pending)
}

/// [`parse_message`] with an index built once from the same dialect.
pub fn parse_message_with(
    d: &Dialect,
    index: &Index,
    line: &str,
    pending: Pending,
) -> Result<ParsedMessage, Error> {
    let in_flight = match pending {
        Some((c, f)) => InFlight::Form(c, f),
        None => InFlight::None,
    };
    parse_message_in(d, index, line, in_flight)
}

/// [`parse_message_with`] for what is in flight as far as it is known: a
/// form, or only a command (its line did not parse, so any response of
/// any of its forms may answer it), or nothing.
pub fn parse_message_in(
    d: &Dialect,
    index: &Index,
    line: &str,
    in_flight: InFlight,
) -> Result<ParsedMessage, Error> {
    let parts = index.unglue(classify::parts(line.as_bytes()));
    let hit = match index.classify(in_flight, &parts) {
        Class::Response(m) => Some((m, true)),
        Class::Urc(m) => Some((m, false)),
        Class::Unknown => None,
    };
    if let Some((mi, solicited)) = hit {
        // A bare response written with the command's prefix (E41) binds
        // its body.
        let prefixed = solicited && index.prefixed_bare(in_flight, &parts) == Some(mi);
        let bound = d
            .messages
            .get(mi)
            .and_then(|m| {
                let body = match prefixed {
                    true => core::str::from_utf8(parts.body).ok()?,
                    false => m.body(line)?,
                };
                Some((m, body))
            })
            .map(|(m, body)| bind_message(d, m, body));
        if let Some(Ok(values)) = bound {
            return Ok(ParsedMessage {
                message: mi,
                values,
                solicited,
            });
        }
    }
    Err(explain(d, line, in_flight))
}

/// Why a line is no message the pending form may return nor a URC: the
/// failure of the message that bound furthest among those of its prefix,
/// or that it is unknown.
fn explain(d: &Dialect, line: &str, in_flight: InFlight) -> Error {
    let (responses, pending_command): (Vec<usize>, Option<usize>) = match in_flight {
        InFlight::Form(c, f) => (
            d.commands
                .get(c)
                .and_then(|cmd| cmd.forms.get(f))
                .map(|f| f.responses.to_vec())
                .unwrap_or_default(),
            Some(c),
        ),
        InFlight::Command(c) => (d.command_responses(c), Some(c)),
        InFlight::None => (Vec::new(), None),
    };
    let mut order: Vec<usize> = responses.clone();
    order.extend(
        d.messages
            .iter()
            .enumerate()
            .filter(|(i, m)| m.is_urc() && m.prefix.is_some() && !responses.contains(i))
            .map(|(i, _)| i),
    );
    if let Some(e) = misplaced_test_answer(d, line, in_flight) {
        return e;
    }
    // The body after the pending command's own prefix, cut as the
    // classifier cuts it for E41 ([`Index::prefixed_bare`]).
    let parts = classify::parts(line.as_bytes());
    let prefixed_body = pending_command
        .and_then(|c| d.commands.get(c))
        .filter(|c| {
            parts
                .prefix
                .is_some_and(|p| p.eq_ignore_ascii_case(c.name.as_bytes()))
        })
        .and_then(|_| core::str::from_utf8(parts.body).ok());
    let mut best: Option<Failure> = None;
    let mut prefixed = false;
    for mi in order {
        let Some(m) = d.messages.get(mi) else {
            continue;
        };
        // A bare response written with its command's prefix (E41,
        // `+WIPBR: 3,1` for `<bid>,<state>`): its fault is in the body.
        let body = match (m.prefix.is_none(), prefixed_body) {
            (true, Some(b)) => b,
            _ => match m.body(line) {
                Some(b) => b,
                None => continue,
            },
        };
        prefixed |= m.prefix.is_some();
        if let Err(e) = bind_message(d, m, body) {
            best = Some(match best {
                Some(b) if b.pos >= e.pos => b,
                _ => e,
            })
        }
    }
    match best {
        Some(b) if prefixed || !responses.is_empty() => with_selectors(d, b.error),
        _ => {
            let what = match pending_command.and_then(|c| d.commands.get(c)) {
                Some(c) => format!("is neither a response AT{} may return nor a URC", c.name),
                None => "is not a URC (no command is pending)".to_string(),
            };
            Error::new(ErrorKind::UnknownMessage, &format!("`{line}`"), None, what)
        }
    }
}

/// A line that no message of its prefix selects (`+WIPFILE: 9,1`): the
/// error names the values of the selecting field that the messages of
/// that prefix take together (`5, 8`), or says that the field is missing.
fn with_selectors(d: &Dialect, mut e: Error) -> Error {
    let Some(param) = e.param.clone() else {
        return e;
    };
    let Some(got) = e
        .message
        .strip_prefix("= ")
        .and_then(|m| m.strip_suffix(&format!(" selects no {} line", e.context)))
        .map(str::to_string)
    else {
        return e;
    };
    let mut values: Vec<String> = Vec::new();
    for m in d
        .messages
        .iter()
        .filter(|m| m.prefix.as_deref() == Some(e.context.as_str()))
    {
        for c in m.select.iter() {
            if m.fields
                .get(c.param)
                .is_some_and(|f| f.name.as_ref() == param)
            {
                values.extend(c.values.iter().map(|v| v.to_string()));
                values.extend(c.texts.iter().map(|t| format!("\"{t}\"")));
            }
        }
    }
    values.sort_by(|a, b| match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    });
    values.dedup();
    if values.is_empty() {
        return e;
    }
    let list = values.join(", ");
    e.message = if got == "nothing" {
        format!("is missing: a {} line gives one of {list}", e.context)
    } else {
        format!(
            "= {got} selects no {} line (a {} line gives one of {list})",
            e.context, e.context
        )
    };
    e
}

/// A test-command answer (`+CGATT: (0,1)`) that came while another form of
/// its command was in flight (`AT+CGATT?`): said so, rather than why it is
/// no read answer.
fn misplaced_test_answer(d: &Dialect, line: &str, in_flight: InFlight) -> Option<Error> {
    let (c, form) = match in_flight {
        InFlight::Form(c, f) => (c, Some(f)),
        InFlight::Command(c) => (c, None),
        InFlight::None => return None,
    };
    let cmd = d.commands.get(c)?;
    let during = match form.and_then(|f| cmd.forms.get(f)).map(|f| f.kind) {
        Some(FormKind::Test) => return None,
        Some(FormKind::Read) => format!("AT{}?", cmd.name),
        Some(FormKind::Action) => format!("AT{}=…", cmd.name),
        Some(FormKind::Execute) | None => format!("AT{}", cmd.name),
    };
    let fits = cmd
        .forms
        .iter()
        .filter(|f| f.kind == FormKind::Test)
        .flat_map(|f| f.responses.iter())
        .filter_map(|&mi| d.messages.get(mi))
        .any(|m| m.test && m.body(line).is_some_and(|b| bind_message(d, m, b).is_ok()));
    fits.then(|| {
        Error::new(
            ErrorKind::UnknownMessage,
            &format!("`{line}`"),
            None,
            format!(
                "is the answer to the test command AT{}=?, not to {during}",
                cmd.name
            ),
        )
    })
}

/// How errors name a message: its prefix (`+WIPBR`), or for a message
/// without one its fields (`the <bid>,<state> line`), as people read it in
/// the manual; never its identifier in the spec.
pub(crate) fn context(m: &Message) -> String {
    match m.prefix.as_deref() {
        Some(p) => p.to_string(),
        None => {
            let names: Vec<String> = m.fields.iter().map(|f| format!("<{}>", f.name)).collect();
            format!("the {} line", names.join(","))
        }
    }
}

pub(crate) fn bind_message(d: &Dialect, m: &Message, body: &str) -> Result<Bound, Failure> {
    let ctx = context(m);
    let scope = Scope {
        d,
        context: ctx,
        check_access: false,
        bare_strings: false,
        quoted_ints: false,
        in_options: false,
        rules: &m.rules,
    };
    if m.fields.len() == 1 && m.fields.first().is_some_and(|f| f.ty == Ty::Text) {
        return Ok(Bound {
            params: vec![Some(Val::Str(body.to_string()))],
            ..Bound::default()
        });
    }
    if let Some(n) = text_last(m) {
        return bind_text_last(&scope, m, n, body);
    }
    let fs: Vec<Field<'_>> = fields::split(body).map_err(|e| Failure {
        pos: 0,
        error: Error::new(ErrorKind::Syntax, &scope.context, None, e.in_fields()),
    })?;
    let probe = crate::types::Form {
        kind: crate::types::FormKind::Action,
        name: m.id.clone(),
        select: m.select.clone(),
        params: m.fields.clone(),
        rest: None,
        options: None,
        rules: m.rules.clone(),
        responses: Default::default(),
        urcs: Default::default(),
        echo: Default::default(),
        outcomes: Default::default(),
        finals: Default::default(),
        completion: None,
        prompt: None,
    };
    if !selects(&probe, &fs) {
        // Name the field that tells this message from its siblings; the
        // caller merges the values each sibling takes.
        let cond = m.select.iter().find(|c| match fs.get(c.param) {
            Some(Field::Bare(t)) => !t.parse::<i64>().is_ok_and(|v| c.values.contains(&v)),
            Some(Field::Quoted(t)) => !c.has_text(t),
            _ => true,
        });
        let (param, got) = match cond {
            Some(c) => (
                m.fields.get(c.param).map(|p| p.name.to_string()),
                fs.get(c.param)
                    .map_or_else(|| "nothing".to_string(), |f| f.to_string()),
            ),
            None => (None, body.to_string()),
        };
        return Err(Failure {
            pos: 0,
            error: Error::new(
                ErrorKind::Value,
                &scope.context,
                param.as_deref(),
                format!("= {got} selects no {} line", scope.context),
            ),
        });
    }
    let bound = bind_all(
        &scope,
        &m.fields,
        m.rest.as_ref(),
        m.options.as_ref(),
        &m.rules,
        &fs,
        0,
    )?;
    match crate::payload::check_counted(&m.fields, &bound) {
        Ok(()) => Ok(bound),
        Err((field, why)) => Err(Failure {
            pos: field,
            error: Error::new(
                ErrorKind::Value,
                &scope.context,
                m.fields.get(field).map(|p| p.name.as_ref()),
                why,
            ),
        }),
    }
}

/// The number of fields before free text that ends a message after other
/// fields (`+CLIENT: <link>,<text>`); `None` for any other message (a
/// message of free text alone takes the whole body).
pub(crate) fn text_last(m: &Message) -> Option<usize> {
    match m.fields.split_last() {
        Some((last, head)) if last.ty == Ty::Text && !head.is_empty() => Some(head.len()),
        _ => None,
    }
}

/// Binds a message whose last field is free text: its other fields one
/// by one, then the text, which takes the rest of the line, commas and
/// quotes included; left out when no comma follows the other fields.
fn bind_text_last(scope: &Scope<'_>, m: &Message, n: usize, body: &str) -> Result<Bound, Failure> {
    let syntax = |e: fields::FieldError| Failure {
        pos: 0,
        error: Error::new(ErrorKind::Syntax, &scope.context, None, e.in_fields()),
    };
    let mut it = fields::iter(body);
    let mut head: Vec<Field<'_>> = Vec::with_capacity(n);
    for _ in 0..n {
        match it.next() {
            Some(f) => head.push(f.map_err(syntax)?),
            None => break,
        }
    }
    let text = if head.len() == n { it.rest() } else { None };
    let params = m.fields.get(..n).unwrap_or_default();
    let mut b = bind_all(scope, params, None, None, &[], &head, 0)?;
    let last = m.fields.last();
    match (text, last) {
        (None, Some(p)) if !p.optional => {
            return Err(Failure {
                pos: n,
                error: Error::new(
                    ErrorKind::Arity,
                    &scope.context,
                    Some(&p.name),
                    "is missing (free text after the other fields)".into(),
                ),
            })
        }
        _ => b.params.push(text.map(|t| Val::Str(t.to_string()))),
    }
    let probe = |c: &crate::types::Cond| {
        let v = b.params.get(c.param).and_then(Option::as_ref);
        c.holds_for(v.is_some(), v)
    };
    if !m.select.iter().all(probe) {
        return Err(Failure {
            pos: 0,
            error: Error::new(
                ErrorKind::Value,
                &scope.context,
                None,
                format!("= {body} selects no {} line", scope.context),
            ),
        });
    }
    if !m.rules.is_empty() {
        if let Err(msg) = crate::rules::check(scope.d, &m.fields, &b.params, &m.rules) {
            return Err(scope.fail(n + 1, ErrorKind::Rule, None, msg));
        }
    }
    Ok(b)
}

/// Formats a message line from its values.
pub fn format_message(d: &Dialect, message: usize, b: &Bound) -> String {
    let Some(m) = d.messages.get(message) else {
        return String::new();
    };
    let read = m.options.as_ref().is_none_or(|o| o.access == Access::R);
    let mut line = String::with_capacity(64);
    if let Some(p) = &m.prefix {
        line.push_str(p);
        // A glued field follows its prefix at once (`+IPD5`).
        if !m.glued {
            line.push_str(": ");
        }
    }
    write_fields(&mut line, d, &m.fields, b, read);
    line
}

/// Checks that a response repeats the parameters its command declares it
/// echoes (`AT+WIPBR=3,6,11` is answered by `+WIPBR: 6,11,...`): each field
/// named like an echoed parameter must hold the value the command gave.
pub fn check_echo(
    d: &Dialect,
    command: &crate::command::ParsedCommand,
    response: &ParsedMessage,
) -> Result<(), Error> {
    let Some(f) = d
        .commands
        .get(command.command)
        .and_then(|c| c.forms.get(command.form))
    else {
        return Ok(());
    };
    let Some(m) = d.messages.get(response.message) else {
        return Ok(());
    };
    for &i in f.echo.iter() {
        let Some(p) = f.params.get(i) else { continue };
        let Some(fi) = m.fields.iter().position(|x| x.name == p.name) else {
            continue;
        };
        let asked = crate::rules::effective_ref(&f.params, &command.values.params, i);
        let got = response.values.params.get(fi).and_then(Option::as_ref);
        if let (Some(a), Some(g)) = (asked.as_deref(), got) {
            if a != g {
                let ctx = context(m);
                return Err(Error::new(
                    ErrorKind::Value,
                    &ctx,
                    Some(&p.name),
                    format!("= {g} does not answer the command, which gave {a}"),
                ));
            }
        }
    }
    // The echo of an option write (E07) gives the values written.
    let writes = f.options.as_ref().is_some_and(|o| o.access == Access::W);
    if let (true, Some(w), Some(r)) = (writes, &command.values.option, &response.values.option) {
        if (w.table, w.option) == (r.table, r.option) && !w.values.is_empty() {
            let given = w.values.iter().flatten();
            let echoed = r.values.iter().flatten();
            if given.clone().ne(echoed.clone()) {
                let show = |v: &mut dyn Iterator<Item = &crate::Val>| {
                    v.map(ToString::to_string).collect::<Vec<_>>().join(",")
                };
                let opt = d.tables.get(r.table).and_then(|t| t.options.get(r.option));
                let ctx = match opt {
                    Some(o) => format!("{} option {} ({})", context(m), o.id, o.name),
                    None => context(m),
                };
                return Err(Error::new(
                    ErrorKind::Value,
                    &ctx,
                    None,
                    format!(
                        "echoes {}, but the command wrote {}",
                        show(&mut echoed.clone()),
                        show(&mut given.clone())
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Binds the fields of a message line into `out` in one pass, without
/// collecting the fields or cloning the description, and reusing the
/// strings `out` already holds: the reading the engine's binder takes
/// first (each optional parameter taking the field it fits, or giving way
/// when the mandatory parameters after it need the fields left). Returns
/// `false` when the line needs more than that (options, a repeated group,
/// a field that does not fit, a discriminator or rule that fails), and
/// then the caller binds it the full way, which explains any error; `out`
/// is left in an unspecified state.
pub(crate) fn bind_quick(d: &Dialect, m: &Message, body: &str, out: &mut Bound) -> bool {
    if let ([p], None, None) = (m.fields.as_ref(), &m.rest, &m.options) {
        if p.ty == Ty::Text {
            out.rest.clear();
            out.option = None;
            out.params.truncate(1);
            if out.params.is_empty() {
                out.params.push(None);
            }
            return match out.params.first_mut() {
                Some(slot) => {
                    set_str(slot, body);
                    m.select.is_empty()
                }
                None => false,
            };
        }
    }
    let mut fields = fields::iter(body);
    if let Some(n) = text_last(m) {
        let head = m.fields.get(..n).unwrap_or_default();
        if !quick_list(d, head, &mut fields, &mut out.params) {
            return false;
        }
        match fields.rest() {
            Some(t) => {
                out.params.push(None);
                if let Some(slot) = out.params.last_mut() {
                    set_str(slot, t);
                }
            }
            None if m.fields.last().is_some_and(|p| p.optional) => out.params.push(None),
            None => return false,
        }
        out.rest.clear();
        out.option = None;
        return m.select.is_empty()
            && (m.rules.is_empty()
                || crate::rules::check(d, &m.fields, &out.params, &m.rules).is_ok());
    }
    if !quick_list(d, &m.fields, &mut fields, &mut out.params) {
        return false;
    }
    let selected = m.select.iter().all(|c| match out.params.get(c.param) {
        Some(Some(Val::Int(v))) => c.values.contains(v),
        Some(Some(Val::Str(s))) => c.has_text(s),
        _ => false,
    });
    if !selected {
        return false;
    }
    match &m.options {
        Some(b) => {
            let mut o = out.option.take().unwrap_or(crate::bind::BoundOption {
                table: 0,
                option: 0,
                values: Vec::new(),
                rest: Vec::new(),
            });
            let ok = quick_option(d, b, &out.params, &mut fields, &mut o);
            out.option = Some(o);
            out.rest.clear();
            if !ok {
                return false;
            }
        }
        None => {
            out.option = None;
            if !quick_rest(d, m.rest.as_ref(), &mut fields, &mut out.rest) {
                return false;
            }
        }
    }
    m.rules.is_empty() || crate::rules::check(d, &m.fields, &out.params, &m.rules).is_ok()
}

/// The option values after the parameters, as the binder reads them for
/// a message (access is not checked: a write may be echoed).
fn quick_option(
    d: &Dialect,
    b: &crate::types::Binding,
    vals: &[Option<Val>],
    fields: &mut fields::Fields<'_>,
    o: &mut crate::bind::BoundOption,
) -> bool {
    let Ok((table, oi)) = crate::bind::pick_option(d, b, vals) else {
        return false;
    };
    let Some(opt) = d.tables.get(table).and_then(|t| t.options.get(oi)) else {
        return false;
    };
    // An option the key has no access to at all: the binder says why.
    let key = b
        .key_param
        .and_then(|k| vals.get(k).cloned().flatten())
        .and_then(|v| v.as_int());
    if key.is_some() && opt.access_for(key) == Access::None {
        return false;
    }
    let is_read = b.access == Access::R;
    let (values, rest) = if is_read {
        (&opt.read, opt.read_rest.as_ref())
    } else {
        (&opt.values, opt.rest.as_ref())
    };
    o.table = table;
    o.option = oi;
    quick_list(d, values, fields, &mut o.values)
        && quick_rest(d, rest, fields, &mut o.rest)
        && if is_read {
            !opt.reads_as_written()
                || crate::rules::check_formats(d, values, &o.values, &opt.rules).is_ok()
        } else {
            crate::rules::check(d, values, &o.values, &opt.rules).is_ok()
        }
}

/// Binds `params` to the next fields, into `slots`, as the binder's first
/// reading does: each optional parameter takes the field it fits, or gives
/// way when the fields left are only enough for the mandatory parameters
/// after it. `false` for anything else.
fn quick_list(
    d: &Dialect,
    params: &[crate::types::Param],
    fields: &mut fields::Fields<'_>,
    slots: &mut Vec<Option<Val>>,
) -> bool {
    slots.truncate(params.len());
    while slots.len() < params.len() {
        slots.push(None);
    }
    // The fields left matter only where an optional parameter may give
    // way to the mandatory ones after it.
    let mut left = if params.iter().any(|p| p.optional) {
        fields.remaining()
    } else {
        0
    };
    for (i, (p, slot)) in params.iter().zip(slots.iter_mut()).enumerate() {
        if p.optional
            && left
                <= params
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .filter(|q| !q.optional)
                    .count()
        {
            *slot = None;
            continue;
        }
        let f = match fields.next() {
            None if p.optional => {
                *slot = None;
                continue;
            }
            Some(Ok(f)) => f,
            _ => return false,
        };
        left = left.saturating_sub(1);
        match f {
            Field::Empty if p.optional => *slot = None,
            Field::Empty => return false,
            f => {
                if !fit_into(d, &p.ty, f, slot) {
                    return false;
                }
            }
        }
    }
    true
}

/// The repeated group: every field left, each of its type, in whole
/// groups; without a group, no field may be left.
fn quick_rest(
    d: &Dialect,
    rest: Option<&crate::types::Rest>,
    fields: &mut fields::Fields<'_>,
    items: &mut Vec<Val>,
) -> bool {
    let Some(r) = rest else {
        items.clear();
        return fields.next().is_none();
    };
    let mut n = 0;
    for f in fields {
        let Ok(f) = f else { return false };
        if items.len() <= n {
            items.push(Val::Int(0));
        }
        let Some(item) = items.get_mut(n) else {
            return false;
        };
        let mut slot = Some(core::mem::replace(item, Val::Int(0)));
        if !fit_into(d, &r.ty, f, &mut slot) {
            return false;
        }
        if let Some(v) = slot {
            *item = v;
        }
        n += 1;
    }
    items.truncate(n);
    let group = r.group.max(1) as usize;
    n % group == 0 && r.max_groups.is_none_or(|m| n / group <= m as usize)
}

/// Sets `slot` to the string `s`, reusing the string it holds.
fn set_str(slot: &mut Option<Val>, s: &str) {
    match slot {
        Some(Val::Str(old)) => {
            old.clear();
            old.push_str(s);
        }
        _ => *slot = Some(Val::Str(s.to_string())),
    }
}

/// [`crate::value::fit`] for a field that fits its type, into `slot`;
/// `false` when it does not (the binder then says why).
fn fit_into(d: &Dialect, ty: &Ty, f: Field<'_>, slot: &mut Option<Val>) -> bool {
    match (ty, f) {
        (_, Field::Empty) => false,
        (Ty::Code { .. }, Field::Bare(s)) => match crate::value::parse_int(s) {
            Some(n) if crate::value::check_value(d, ty, &Val::Int(n)).is_ok() => {
                *slot = Some(Val::Int(n));
                true
            }
            _ => false,
        },
        (Ty::Int { .. } | Ty::Enum { .. }, Field::Bare(s)) => match crate::value::parse_int(s) {
            Some(n) if crate::value::int_fits(ty, n) => {
                *slot = Some(Val::Int(n));
                true
            }
            _ => false,
        },
        (Ty::Ranges, Field::Bare(s)) if crate::Ranges::is_valid(s) => {
            set_str(slot, s);
            true
        }
        (Ty::Token, Field::Bare(s)) if crate::value::is_token(s) => {
            set_str(slot, s);
            true
        }
        (Ty::Text, f) => {
            set_str(slot, f.text());
            // A quoted field keeps its quotes as text.
            if let (Field::Quoted(t), Some(Val::Str(s))) = (f, slot.as_mut()) {
                s.clear();
                s.push('"');
                s.push_str(t);
                s.push('"');
            }
            true
        }
        (
            Ty::Str { .. }
            | Ty::Counted { .. }
            | Ty::Host { .. }
            | Ty::Ip
            | Ty::Hex { .. }
            | Ty::HostAny { .. }
            | Ty::IpAny
            | Ty::StrEnum { .. },
            Field::Quoted(s),
        ) if crate::value::text_fits(d, ty, s) => {
            set_str(slot, s);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Command, Form, Message, Param, Ty};

    /// Free text after an integer, optional or not, and a token.
    static D: Dialect = {
        const MESSAGES: &[Message] = &[
            Message::urc("Client", Some("+CLIENT")).fields(
                const {
                    &[
                        Param::req("link", Ty::int(0, 9)),
                        Param::req("server", Ty::int(0, 3)),
                        Param::req("client", Ty::Token),
                    ]
                },
            ),
            Message::urc("Note", Some("+XNOTE")).fields(
                const {
                    &[
                        Param::req("code", Ty::int(0, 99)),
                        Param::req("text", Ty::Text),
                    ]
                },
            ),
            Message::urc("Maybe", Some("+XMAYBE")).fields(
                const {
                    &[
                        Param::req("code", Ty::int(0, 99)),
                        Param::opt("text", Ty::Text),
                    ]
                },
            ),
        ];
        Dialect::new("T", "+X")
            .commands(
                const {
                    &[Command::new(
                        "+XQ",
                        1000,
                        &[],
                        const { &[Form::execute("Q")] },
                    )]
                },
            )
            .messages(MESSAGES)
    };

    fn parse(line: &str) -> Result<ParsedMessage, Error> {
        parse_message(&D, line, None)
    }

    /// The values of a line, the same from the binder, its quick reading
    /// and the borrowing one.
    fn both_ways(line: &str) -> Vec<Option<Val>> {
        let p = parse(line).unwrap();
        let m = &D.messages[p.message];
        let body = m.body(line).unwrap();
        let mut quick = Bound::default();
        assert!(bind_quick(&D, m, body, &mut quick), "{line}");
        assert_eq!(quick.params, p.values.params, "{line}");
        let fast = crate::quick::bind(&D, m, body).unwrap();
        assert_eq!(fast.to_bound().params, p.values.params, "{line}");
        p.values.params
    }

    #[test]
    fn free_text_takes_the_rest_of_the_line() {
        let s = |t: &str| Some(Val::Str(t.into()));
        assert_eq!(
            both_ways(r#"+XNOTE: 7,a, "b,c", d"#),
            vec![Some(Val::Int(7)), s(r#"a, "b,c", d"#)]
        );
        assert_eq!(both_ways("+XNOTE: 7,"), vec![Some(Val::Int(7)), s("")]);
        assert_eq!(both_ways("+XMAYBE: 7"), vec![Some(Val::Int(7)), None]);
        let e = parse("+XNOTE: 7").unwrap_err().to_string();
        assert!(e.contains("text") && e.contains("missing"), "{e}");
        let e = parse("+XNOTE: x,y").unwrap_err().to_string();
        assert!(e.contains("code"), "{e}");
        let p = parse(r#"+XNOTE: 7,a, "b,c""#).unwrap();
        assert_eq!(
            format_message(&D, p.message, &p.values),
            r#"+XNOTE: 7,a, "b,c""#
        );
    }

    #[test]
    fn a_token_is_one_bare_word_that_is_not_an_integer() {
        let s = |t: &str| Some(Val::Str(t.into()));
        assert_eq!(
            both_ways("+CLIENT: 1,0,10.0.0.2:5000"),
            vec![Some(Val::Int(1)), Some(Val::Int(0)), s("10.0.0.2:5000")]
        );
        let p = parse("+CLIENT: 1,0,10.0.0.2:5000").unwrap();
        assert_eq!(
            format_message(&D, p.message, &p.values),
            "+CLIENT: 1,0,10.0.0.2:5000"
        );
        let e = parse("+CLIENT: 1,0,5000").unwrap_err().to_string();
        assert!(e.contains("client") && e.contains("integer"), "{e}");
        let e = parse(r#"+CLIENT: 1,0,"10.0.0.2:5000""#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("client") && e.contains("quoted"), "{e}");
    }
}
