//! Command and response lines in the manual's notation, built from the
//! description alone (they need no notes).
//!
//! The manual writes each syntax as `AT+WIPCFG=<mode>[,<opt num>,<value>]`
//! (1.3): parameters in angle brackets, optional ones in square brackets.
//! Both the Markdown reference and the change lists of `wip diff` show
//! forms and messages this way, so a reader sees the line the modem sees.

use wip_schema::{
    Access, Binding, Command, Cond, Dialect, Form, FormKind, Message, Param, Rest, Rule, Ty,
};

/// The syntax of a form: `AT+WIPCFG=2,<opt num>,<value>`, `AT+WIPCFG?`.
///
/// A parameter a form selects with one value is written as that value;
/// optional parameters at the end nest in brackets, grouped as their
/// `Together` rules group them; an optional one in the middle is `[<p>]`.
pub fn form_line(spec: &Dialect, cmd: &Command, form: &Form) -> String {
    match form.kind {
        FormKind::Read => format!("AT{}?", cmd.name),
        FormKind::Test => format!("AT{}=?", cmd.name),
        FormKind::Execute => format!("AT{}", cmd.name),
        FormKind::Action => {
            let values = form
                .options
                .as_ref()
                .filter(|b| b.access != Access::R)
                .map(|b| option_values(spec, b));
            let params = presence_view(&form.params, &form.select);
            let mut list = list(
                &params,
                &form.select,
                &form.rules,
                form.rest.as_ref(),
                values,
            );
            // Left out by the form but kept as an empty field: its comma
            // stays (`AT+CIPSEND=<link_num>,`).
            if let Some(last) = form
                .params
                .iter()
                .skip(params.len())
                .rposition(|p| p.keep_empty)
            {
                list.push_str(&",".repeat(last + 1));
            }
            format!("AT{}={list}", cmd.name)
        }
    }
}

/// The parameters as a form chosen by presence writes them: one it needs
/// given is not in brackets, and the ones it needs left out at the end of
/// the line are not written.
fn presence_view(params: &[Param], select: &[Cond]) -> Vec<Param> {
    let given = |i: usize| select.iter().find(|c| c.param == i).and_then(|c| c.given);
    let mut out: Vec<Param> = params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut p = p.clone();
            if given(i) == Some(true) {
                p.optional = false;
            }
            p
        })
        .collect();
    while out
        .len()
        .checked_sub(1)
        .is_some_and(|i| given(i) == Some(false))
    {
        out.pop();
    }
    out
}

/// The line of a message: `+WIPBR: <bid>,<opt num>,<value>`, or the bare
/// fields for a message without prefix.
pub fn message_line(spec: &Dialect, msg: &Message) -> String {
    let values = msg.options.as_ref().map(|b| option_values(spec, b));
    let list = list(
        &msg.fields,
        &msg.select,
        &msg.rules,
        msg.rest.as_ref(),
        values,
    );
    match &msg.prefix {
        Some(p) if msg.glued => format!("{p}{list}"),
        Some(p) => format!("{p}: {list}"),
        None => list,
    }
}

/// How option values follow the option number: `<value>`, `[<optval>]`
/// when some option takes none, with `[,...]` when some take several.
struct Values {
    name: String,
    may_be_empty: bool,
    may_repeat: bool,
}

fn option_values(spec: &Dialect, b: &Binding) -> Values {
    let read = b.access == Access::R;
    let opts = b
        .tables
        .iter()
        .filter_map(|(_, t)| spec.tables.get(*t))
        .flat_map(|t| t.options.iter());
    let mut name = None;
    let mut may_be_empty = false;
    let mut may_repeat = false;
    for o in opts {
        let (vals, rest) = if read {
            (&o.read, &o.read_rest)
        } else {
            (&o.values, &o.rest)
        };
        if name.is_none() {
            name = vals.first().map(|p| p.name.to_string());
        }
        may_be_empty |= vals.iter().all(|p| p.optional);
        may_repeat |= vals.len() > 1 || rest.is_some();
    }
    Values {
        name: name.unwrap_or_else(|| "value".to_string()),
        may_be_empty,
        may_repeat,
    }
}

/// A selected parameter's single value, if the form fixes it (a string
/// quoted, as on the wire).
fn fixed(select: &[Cond], i: usize) -> Option<String> {
    select
        .iter()
        .find(|c| c.param == i)
        .and_then(|c| match (c.values.as_ref(), c.texts.as_ref()) {
            ([v], []) => Some(v.to_string()),
            ([], [t]) => Some(format!("\"{t}\"")),
            _ => None,
        })
}

fn list(
    params: &[Param],
    select: &[Cond],
    rules: &[Rule],
    rest: Option<&Rest>,
    values: Option<Values>,
) -> String {
    let item = |i: usize, p: &Param| match fixed(select, i) {
        Some(v) => v,
        None => format!("<{}>", p.name),
    };
    // Segments in order, each optional or not; an optional one opens a
    // bracket. It nests in the bracket before it (a,b[,c[,d]]) where a
    // rule gives it only with the one before (`Forbid` when that one is
    // not given: 7.1.2, 4.2.2), or where its place follows from theirs
    // (option values, a repeated group); else the brackets before it
    // close first (a[,b][,c]), as the manual writes parameters that may
    // be given alone (5.1.2 modes 6 and 7).
    let mut segs: Vec<(String, bool)> = Vec::new();
    // Per segment: it nests in the bracket before it.
    let mut nested: Vec<bool> = Vec::new();
    // Segments whose comma is written outside their bracket (`<a>,[<b>]`):
    // the first parameter of each is kept as an empty field.
    let mut comma_outside: Vec<bool> = Vec::new();
    // The trailing optional run: everything after the last mandatory one.
    let tail_start = params
        .iter()
        .rposition(|p| !p.optional)
        .map_or(0, |i| i + 1);
    for (i, p) in params.iter().enumerate().take(tail_start) {
        let text = if p.optional {
            format!("[{}]", item(i, p))
        } else {
            item(i, p)
        };
        segs.push((text, false));
        comma_outside.push(false);
        nested.push(false);
    }
    let mut prev: Option<usize> = None;
    // The parameters of the last segment.
    let mut last: Vec<usize> = Vec::new();
    for (i, p) in params.iter().enumerate().skip(tail_start) {
        let joined = prev.is_some_and(|j| together(rules, j, i));
        match segs.last_mut() {
            Some((text, true)) if joined => {
                text.push(',');
                text.push_str(&item(i, p));
                last.push(i);
            }
            _ => {
                segs.push((item(i, p), true));
                comma_outside.push(p.keep_empty);
                nested.push(last.iter().any(|&h| only_with(rules, h, i)));
                last = vec![i];
            }
        }
        prev = Some(i);
    }
    if let Some(v) = values {
        let more = if v.may_repeat { "[,...]" } else { "" };
        segs.push((format!("<{}>{more}", v.name), v.may_be_empty));
        nested.push(true);
    }
    if let Some(r) = rest {
        segs.push((format!("<{}>[,...]", r.name), true));
        nested.push(true);
    }
    let mut out = String::new();
    let mut open = 0;
    for (n, (text, optional)) in segs.iter().enumerate() {
        let outside = comma_outside.get(n).copied().unwrap_or(false);
        if *optional && !nested.get(n).copied().unwrap_or(true) {
            out.push_str(&"]".repeat(open));
            open = 0;
        }
        if n > 0 && outside {
            out.push(',');
        }
        if *optional {
            out.push('[');
            open += 1;
        }
        if n > 0 && !outside {
            out.push(',');
        }
        out.push_str(text);
    }
    out.push_str(&"]".repeat(open));
    out
}

/// Whether a rule gives parameter `b` only with `a`: `b` is forbidden
/// when `a` is not given (the nested brackets of 7.1.2 and 4.2.2).
fn only_with(rules: &[Rule], a: usize, b: usize) -> bool {
    rules.iter().any(|r| match r {
        Rule::Forbid { when, params } => {
            params.contains(&b)
                && when.len() == 1
                && when.iter().all(|c| c.param == a && c.given == Some(false))
        }
        _ => false,
    })
}

fn together(rules: &[Rule], a: usize, b: usize) -> bool {
    rules.iter().any(|r| match r {
        Rule::Together(params) => params.contains(&a) && params.contains(&b),
        _ => false,
    })
}

/// A short text of a type: `integer 0-255`, `enum file_mode {1, 2, 5}`,
/// `string (max 64)`. An enum lists its values only where it is restricted
/// to some of its set's, so that a change to the set shows once, on the set.
pub fn ty_short(spec: &Dialect, ty: &Ty) -> String {
    match ty {
        Ty::Counted { len_field } => format!("counted bytes (count: field {})", len_field + 1),
        Ty::Int { min, max } => format!("integer {min}-{max}"),
        Ty::Enum { set: i, allowed } => {
            let set = spec.value_sets.get(*i).map_or("", |s| s.id.as_ref());
            if is_whole_set(spec, *i, allowed) {
                format!("enum {set}")
            } else {
                let vals: Vec<String> = allowed.iter().map(i64::to_string).collect();
                format!("enum {set} {{{}}}", vals.join(", "))
            }
        }
        Ty::Str { max_len: None } => "string".to_string(),
        Ty::Str { max_len: Some(n) } => format!("string (max {n})"),
        Ty::Host { max_len: None } => "host".to_string(),
        Ty::Host { max_len: Some(n) } => format!("host (max {n})"),
        Ty::Ip => "IPv4 address".to_string(),
        Ty::HostAny { max_len: None } => "host or IPv6".to_string(),
        Ty::HostAny { max_len: Some(n) } => format!("host or IPv6 (max {n})"),
        Ty::IpAny => "IPv4 or IPv6 address".to_string(),
        // The table and the success value, so that two codes differ in
        // their text when they differ (`error code of sock, or 0`).
        Ty::Code { table, success } => {
            let of = match table.and_then(|t| spec.error_tables.get(t)) {
                Some(t) => format!("error code of {}", t.id),
                None => "error code".to_string(),
            };
            match success {
                Some(v) => format!("{of}, or {v}"),
                None => of,
            }
        }
        Ty::Hex { max_bytes } => format!("quoted hex dump (max {max_bytes} bytes)"),
        Ty::Text => "text".to_string(),
        Ty::Ranges => "list of ranges".to_string(),
        Ty::Token => "token".to_string(),
        Ty::StrEnum { set: i, allowed } => {
            let set = spec.value_sets.get(*i).map_or("", |s| s.id.as_ref());
            let whole = spec
                .value_sets
                .get(*i)
                .is_some_and(|s| s.texts.len() == allowed.len());
            if whole {
                format!("string enum {set}")
            } else {
                let vals: Vec<String> = allowed.iter().map(|v| format!("{v:?}")).collect();
                format!("string enum {set} {{{}}}", vals.join(", "))
            }
        }
    }
}

/// Whether `allowed` is every value of the set (the parameter is not
/// restricted to some of them).
pub fn is_whole_set(spec: &Dialect, set: usize, allowed: &[i64]) -> bool {
    spec.value_sets.get(set).is_some_and(|s| {
        s.values.len() == allowed.len() && s.values.iter().all(|v| allowed.contains(&v.0))
    })
}
