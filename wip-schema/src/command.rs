//! Command lines: parse one into a form and its values, format values back
//! into a line, and validate values on construction.

use crate::bind::{bind_all, Bound, BoundOption, Failure, Scope};
use crate::error::{Error, ErrorKind};
use crate::fields::{self, CommandKind, Field};
use crate::rules;
use crate::types::{Access, Binding, Dialect, Form, FormKind, Outcome, Param, Ty};
use crate::value::Val;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A command line matched to its form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedCommand {
    /// Index of the command in the dialect.
    pub command: usize,
    /// Index of the form in the command.
    pub form: usize,
    /// The values.
    pub values: Bound,
}

fn kind_of(k: CommandKind) -> FormKind {
    match k {
        CommandKind::Action => FormKind::Action,
        CommandKind::Read => FormKind::Read,
        CommandKind::Test => FormKind::Test,
        CommandKind::Execute => FormKind::Execute,
    }
}

fn syntax_name(k: FormKind) -> &'static str {
    match k {
        FormKind::Action => "action (=)",
        FormKind::Read => "read (?)",
        FormKind::Test => "test (=?)",
        FormKind::Execute => "execute",
    }
}

/// Where a command line that a modem accepts departs from the manual's
/// letter (the spec's tolerances).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Leniency {
    /// A string parameter was sent without its quotes (erratum E40:
    /// `AT+WIPBR=2,6,11,internet`, answered OK by a WISMO228).
    pub bare_strings: bool,
    /// An integer option value was sent in quotes (erratum E08: the
    /// manual's own `AT+WIPBR=2,4,23,"1"`, 4.2.6).
    pub quoted_ints: bool,
}

/// Parses a command line sent by the host (without its `<CR>`), as a
/// modem takes it: what real modems accept beyond the manual's letter
/// (a string parameter without quotes) is accepted too.
pub fn parse_command(d: &Dialect, line: &str) -> Result<ParsedCommand, Error> {
    parse_command_noting(d, line).map(|(p, _)| p)
}

/// [`parse_command`], telling where the line departs from the manual's
/// letter. A line valid to the letter binds exactly as under
/// [`parse_command_strict`].
pub fn parse_command_noting(d: &Dialect, line: &str) -> Result<(ParsedCommand, Leniency), Error> {
    let bare = Leniency {
        bare_strings: true,
        quoted_ints: false,
    };
    match parse_in(d, line, Leniency::default()) {
        Ok(p) => Ok((p, Leniency::default())),
        Err(strict) => match parse_in(d, line, bare) {
            Ok(p) => Ok((p, bare)),
            // Taken as a string, the bare text breaks something else (its
            // length): that is the line's real fault.
            Err(lax) if strict.kind == ErrorKind::Type && lax.kind != ErrorKind::Type => Err(lax),
            Err(lax) => {
                let quoted = Leniency {
                    bare_strings: true,
                    quoted_ints: true,
                };
                match parse_in(d, line, quoted) {
                    // Which tolerance it took: the quoted integer alone,
                    // or both.
                    Ok(p) => {
                        let only = Leniency {
                            bare_strings: false,
                            quoted_ints: true,
                        };
                        let bare_strings = parse_in(d, line, only).is_err();
                        Ok((
                            p,
                            Leniency {
                                bare_strings,
                                quoted_ints: true,
                            },
                        ))
                    }
                    Err(q) if strict.kind == ErrorKind::Type && q.kind != ErrorKind::Type => Err(q),
                    Err(_) if strict.kind == ErrorKind::Type && lax.kind != ErrorKind::Type => {
                        Err(lax)
                    }
                    Err(_) => Err(strict),
                }
            }
        },
    }
}

/// Parses a command line by the manual's letter only: every string
/// parameter quoted.
pub fn parse_command_strict(d: &Dialect, line: &str) -> Result<ParsedCommand, Error> {
    parse_in(d, line, Leniency::default())
}

fn parse_in(d: &Dialect, line: &str, tolerate: Leniency) -> Result<ParsedCommand, Error> {
    let Some(cl) = fields::command_line(line) else {
        return Err(Error::new(
            ErrorKind::NotACommand,
            "",
            None,
            format!("`{line}` is not an AT command line"),
        ));
    };
    let Some((ci, cmd)) = d.command(cl.name) else {
        return Err(Error::new(
            ErrorKind::UnknownCommand,
            &format!("AT{}", cl.name),
            None,
            format!("is not a command of {}", d.name),
        ));
    };
    let ctx = cmd.name.to_string();
    if let (CommandKind::Action, Some(junk)) = (cl.kind, cl.args.strip_prefix('?')) {
        // `AT+WIPCFG?1`: split as an action so that it is refused, not
        // taken as the read command.
        return Err(Error::new(
            ErrorKind::Syntax,
            &ctx,
            None,
            format!(
                "has `{}` after its `?`: the read command AT{}? takes nothing after it",
                junk.trim(),
                cmd.name
            ),
        ));
    }
    let kind = kind_of(cl.kind);
    if kind != FormKind::Action {
        return match cmd.forms.iter().position(|f| f.kind == kind) {
            Some(fi) => Ok(ParsedCommand {
                command: ci,
                form: fi,
                values: Bound::default(),
            }),
            None => Err(Error::new(
                ErrorKind::NoSuchForm,
                &ctx,
                None,
                format!("has no {} form", syntax_name(kind)),
            )),
        };
    }
    let fs = fields::split(cl.args).map_err(|e| {
        let start = fields::offset_in(line, cl.args).unwrap_or(0);
        Error::new(ErrorKind::Syntax, &ctx, None, e.in_line(start))
    })?;
    let actions: Vec<(usize, &Form)> = cmd
        .forms
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == FormKind::Action)
        .collect();
    if actions.is_empty() {
        return Err(Error::new(
            ErrorKind::NoSuchForm,
            &ctx,
            None,
            "has no action (=) form".into(),
        ));
    }
    let candidates: Vec<(usize, &Form)> = actions
        .iter()
        .copied()
        .filter(|(_, f)| selects(f, &fs))
        .collect();
    if candidates.is_empty() {
        return Err(no_form(d, &ctx, &actions, &fs));
    }
    let mut scope = Scope {
        d,
        context: ctx,
        check_access: true,
        bare_strings: tolerate.bare_strings,
        quoted_ints: tolerate.quoted_ints,
        in_options: false,
        rules: &[],
    };
    let mut best: Option<Failure> = None;
    for (fi, f) in candidates {
        scope.rules = &f.rules;
        match bind_all(
            &scope,
            &f.params,
            f.rest.as_ref(),
            f.options.as_ref(),
            &f.rules,
            &fs,
            0,
        ) {
            Ok(values) if !given_hold(f, &values) => {
                let e = Failure {
                    pos: 0,
                    error: Error::new(
                        ErrorKind::NoSuchForm,
                        &scope.context,
                        None,
                        "matches no form".into(),
                    ),
                };
                best = Some(match best {
                    Some(b) if b.pos >= e.pos => b,
                    _ => e,
                })
            }
            Ok(values) => {
                return Ok(ParsedCommand {
                    command: ci,
                    form: fi,
                    values,
                })
            }
            Err(e) => {
                best = Some(match best {
                    Some(b) if b.pos >= e.pos => b,
                    _ => e,
                })
            }
        }
    }
    Err(best.map_or_else(
        || {
            Error::new(
                ErrorKind::NoSuchForm,
                &scope.context,
                None,
                "matches no form".into(),
            )
        },
        |b| b.error,
    ))
}

/// The form of command `command` that a command line selects by its kind
/// (`AT+X?`, `AT+X=?`, `AT+X`, `AT+X=…`) and, for an action, by the
/// discriminators of its forms alone (`AT+WIPCFG=3` is `Version`), without
/// binding its values (nor reading the fields after the last
/// discriminator); `None` when no form or several fit, or when a
/// discriminator lies past the eighth field. Cheap enough for each line a
/// host sends: nothing is allocated.
pub fn form_of_line(d: &Dialect, command: usize, line: &str) -> Option<usize> {
    const MOST: usize = 8;
    let cl = fields::command_line(line)?;
    let cmd = d.commands.get(command)?;
    let kind = match cl.kind {
        CommandKind::Action => FormKind::Action,
        CommandKind::Read => FormKind::Read,
        CommandKind::Test => FormKind::Test,
        CommandKind::Execute => FormKind::Execute,
    };
    let mut fs = [Field::Empty; MOST];
    let mut n = 0;
    if kind == FormKind::Action {
        // Only the fields up to the last discriminator are cut: a long
        // string or hex dump after them is not read.
        let upto = cmd
            .forms
            .iter()
            .flat_map(|f| f.select.iter().map(|c| c.param + 1))
            .max()
            .unwrap_or(0);
        if upto > MOST {
            return None;
        }
        for (slot, f) in fs.iter_mut().zip(fields::iter(cl.args).take(upto)) {
            *slot = f.ok()?;
            n += 1;
        }
    }
    let fs = fs.get(..n)?;
    let mut found = None;
    for (i, f) in cmd.forms.iter().enumerate() {
        if f.kind == kind && (kind != FormKind::Action || selects(f, fs)) {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        }
    }
    found
}

/// Whether the discriminators of a form hold for these fields. A presence
/// test counts an empty field (`AT+X=0,`) as left out; the values bound
/// are tested again once the line is bound ([`given_hold`]).
pub(crate) fn selects(f: &Form, fs: &[Field<'_>]) -> bool {
    f.select.iter().all(|c| match (c.given, fs.get(c.param)) {
        (Some(g), field) => g == field.is_some_and(|x| !x.is_empty()),
        (None, Some(Field::Bare(s))) => s.parse::<i64>().is_ok_and(|v| c.values.contains(&v)),
        (None, Some(Field::Quoted(s))) => c.has_text(s),
        _ => false,
    })
}

/// Whether the presence tests among a form's discriminators hold for the
/// values bound.
fn given_hold(f: &Form, b: &Bound) -> bool {
    f.select.iter().all(|c| match c.given {
        Some(g) => g == b.params.get(c.param).is_some_and(|v| v.is_some()),
        None => true,
    })
}

/// The error for a line no action form selects: name the discriminator,
/// its value and the values that select a form.
fn no_form(d: &Dialect, ctx: &str, actions: &[(usize, &Form)], fs: &[Field<'_>]) -> Error {
    // The discriminator whose field is wrong first.
    let mut positions: Vec<usize> = actions
        .iter()
        .flat_map(|(_, f)| {
            f.select
                .iter()
                .filter(|c| c.given.is_none())
                .map(|c| c.param)
        })
        .collect();
    positions.sort_unstable();
    positions.dedup();
    for p in positions {
        let mut values: Vec<i64> = actions
            .iter()
            .flat_map(|(_, f)| {
                f.select
                    .iter()
                    .filter(|c| c.param == p && c.given.is_none())
                    .flat_map(|c| c.values.iter().copied())
            })
            .collect();
        values.sort_unstable();
        values.dedup();
        let param: Option<&Param> = actions.iter().find_map(|(_, f)| f.params.get(p));
        let pname = param.map(|x| x.name.to_string());
        let ty = param
            .map(|x| x.ty.clone())
            .unwrap_or(Ty::Int { min: 0, max: 0 });
        let mut texts: Vec<&str> = actions
            .iter()
            .flat_map(|(_, f)| {
                f.select
                    .iter()
                    .filter(|c| c.param == p && c.given.is_none())
                    .flat_map(|c| c.texts.iter().map(|t| t.as_ref()))
            })
            .collect();
        texts.sort_unstable();
        texts.dedup();
        let mut allowed: Vec<String> = crate::value::fold_runs(
            &values,
            |v| d.describe(&ty, v) == v.to_string(),
            |v| d.describe(&ty, v),
            |a, b| format!("{a}..={b}"),
        );
        allowed.extend(texts.iter().map(|t| match &ty {
            Ty::StrEnum { set, .. } => d.describe_text(*set, t),
            _ => format!("\"{t}\""),
        }));
        let ok = match fs.get(p) {
            Some(Field::Bare(s)) => s.parse::<i64>().is_ok_and(|v| values.contains(&v)),
            Some(Field::Quoted(s)) => texts.contains(s),
            _ => false,
        };
        if ok {
            continue;
        }
        // Parameters before the discriminator left out too: the first of
        // them is what is missing (`AT+WIPOPT=` lacks its <protocol>
        // first).
        if fs.get(p).is_none_or(Field::is_empty) {
            if let Some(e) = first_missing(d, ctx, actions, fs, p) {
                return e;
            }
        }
        let msg = match fs.get(p) {
            // A quoted value where only integers select a form: the
            // quoting is the fault (the value may be one of those allowed).
            Some(Field::Quoted(s)) if texts.is_empty() => {
                return Error::new(
                    ErrorKind::Type,
                    ctx,
                    pname.as_deref(),
                    format!(
                        "is \"{s}\", a quoted string, where an integer is expected (one of {})",
                        allowed.join(", ")
                    ),
                );
            }
            None => format!("is missing (one of {} expected)", allowed.join(", ")),
            Some(Field::Empty) => format!("is empty (one of {} expected)", allowed.join(", ")),
            Some(f) => format!("= {f} selects no form (allowed: {})", allowed.join(", ")),
        };
        return Error::new(ErrorKind::NoSuchForm, ctx, pname.as_deref(), msg);
    }
    Error::new(ErrorKind::NoSuchForm, ctx, None, "matches no form".into())
}

/// The error for the first parameter before position `p` (a
/// discriminator) that every action form has and the line leaves out or
/// leaves empty, when there is one.
fn first_missing(
    d: &Dialect,
    ctx: &str,
    actions: &[(usize, &Form)],
    fs: &[Field<'_>],
    p: usize,
) -> Option<Error> {
    let (i, param) = (0..p).find_map(|i| {
        let param = actions.first()?.1.params.get(i)?;
        let all = actions
            .iter()
            .all(|(_, f)| f.params.get(i).is_some_and(|x| x.name == param.name));
        (all && fs.get(i).is_none_or(Field::is_empty)).then_some((i, param))
    })?;
    let how = if fs.get(i).is_some() {
        "is empty"
    } else {
        "is missing"
    };
    Some(Error::new(
        ErrorKind::Arity,
        ctx,
        Some(&param.name),
        format!("{how} ({} expected)", d.allowed(&param.ty)),
    ))
}

fn encode(out: &mut String, ty: &Ty, v: &Val) {
    match (ty, v) {
        (Ty::Text | Ty::Ranges | Ty::Token, Val::Str(s)) => out.push_str(s),
        (_, Val::Int(n)) => out.push_str(itoa::Buffer::new().format(*n)),
        (_, Val::Str(s)) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
    }
}

/// Writes the fields of bound values to `out`, comma-separated, trailing
/// absent ones left out, but for one the spec keeps as an empty field
/// ([`Param::keep_empty`]).
pub(crate) fn write_fields(
    out: &mut String,
    d: &Dialect,
    params: &[Param],
    b: &Bound,
    read_values: bool,
) {
    let start = out.len();
    // The length of `out` after the last value written: absent values
    // at the end are cut back to it.
    let mut kept = start;
    let mut items: usize = 0;
    let mut put = |out: &mut String, ty: &Ty, v: Option<&Val>, keep_empty: bool| {
        if items > 0 {
            out.push(',');
        }
        items += 1;
        if let Some(v) = v {
            encode(out, ty, v);
            kept = out.len();
        } else if keep_empty {
            kept = out.len();
        }
    };
    for (p, v) in params
        .iter()
        .zip(b.params.iter().chain(core::iter::repeat(&None)))
    {
        put(out, &p.ty, v.as_ref(), p.keep_empty);
    }
    if let Some(o) = &b.option {
        if let Some(opt) = d.tables.get(o.table).and_then(|t| t.options.get(o.option)) {
            let (vals, rest) = if read_values {
                (&opt.read, &opt.read_rest)
            } else {
                (&opt.values, &opt.rest)
            };
            for (p, v) in vals
                .iter()
                .zip(o.values.iter().chain(core::iter::repeat(&None)))
            {
                put(out, &p.ty, v.as_ref(), p.keep_empty);
            }
            if let Some(r) = rest {
                for v in o.rest.iter() {
                    put(out, &r.ty, Some(v), false);
                }
            }
        }
    }
    for v in b.rest.iter() {
        put(out, &Ty::Str { max_len: None }, Some(v), false);
    }
    out.truncate(kept);
}

/// Formats a command line (without `<CR>`) from a form and its values.
pub fn format_command(d: &Dialect, command: usize, form: usize, b: &Bound) -> String {
    let mut line = String::with_capacity(64);
    format_command_into(&mut line, d, command, form, b);
    line
}

/// [`format_command`] appended to `out`: a client formats into the buffer
/// it writes from.
pub fn format_command_into(out: &mut String, d: &Dialect, command: usize, form: usize, b: &Bound) {
    let Some(cmd) = d.commands.get(command) else {
        return;
    };
    let Some(f) = cmd.forms.get(form) else {
        return;
    };
    out.push_str("AT");
    out.push_str(&cmd.name);
    match f.kind {
        FormKind::Read => out.push('?'),
        FormKind::Test => out.push_str("=?"),
        FormKind::Execute => {}
        FormKind::Action => {
            let read = f.options.as_ref().is_some_and(|o| o.access == Access::R);
            out.push('=');
            write_fields(out, d, &f.params, b, read);
        }
    }
}

/// Checks values for a form exactly as the modem side would parse them:
/// the line they format to must parse back to this form and these values.
pub fn validate_command(d: &Dialect, command: usize, form: usize, b: &Bound) -> Result<(), Error> {
    checked_line(d, command, form, b).map(|_| ())
}

/// The command line of values for a form, once they are checked as
/// [`validate_command`] checks them: what a client sends, formatted once.
///
/// Values of a form without option tables, repeated group or free text
/// are checked as they are (each against its type, the required ones
/// present, the form's discriminators and rules holding, no earlier form
/// taking the line), since such a line parses back field by field; the
/// line is then formatted once, for the wire. Anything else, and any
/// value that fails, is formatted and parsed back, which names the fault.
pub fn checked_line(d: &Dialect, command: usize, form: usize, b: &Bound) -> Result<String, Error> {
    if values_hold(d, command, form, b) {
        return Ok(format_command(d, command, form, b));
    }
    reparsed_line(d, command, form, b)
}

/// [`checked_line`] appended to `out` (nothing appended on error): a
/// client formats into the buffer it writes from, with no line of its own.
pub fn checked_line_into(
    out: &mut String,
    d: &Dialect,
    command: usize,
    form: usize,
    b: &Bound,
) -> Result<(), Error> {
    if values_hold(d, command, form, b) {
        format_command_into(out, d, command, form, b);
        return Ok(());
    }
    out.push_str(&reparsed_line(d, command, form, b)?);
    Ok(())
}

/// [`checked_line`] by formatting the values and parsing the line back.
fn reparsed_line(d: &Dialect, command: usize, form: usize, b: &Bound) -> Result<String, Error> {
    let ctx = d
        .commands
        .get(command)
        .map_or_else(String::new, |c| c.name.to_string());
    match self::form(d, command, form) {
        Some(f) => {
            check_selectors(d, &ctx, f, b)?;
            check_strings(d, &ctx, &f.params, f.rest.as_ref(), b)?;
        }
        None => check_strings(d, &ctx, &[], None, b)?,
    }
    let line = format_command(d, command, form, b);
    let parsed = parse_command(d, &line)?;
    if parsed.form != form || parsed.command != command {
        return Err(Error::new(
            ErrorKind::NoSuchForm,
            &ctx,
            None,
            format!("values select another form: `{line}`"),
        ));
    }
    if !same_values(&parsed.values, b) {
        return Err(Error::new(
            ErrorKind::Arity,
            &ctx,
            None,
            format!("values are ambiguous on the wire: `{line}` reads back differently"),
        ));
    }
    Ok(line)
}

/// Checks that the values given to a form's selector parameters are the
/// form's (`<command>` 1, 2 or 3 for a `+WIPDATARW` write, 6.3.3): a value
/// of another form is named with the form's values, rather than by the
/// fields its line then has too many of.
fn check_selectors(d: &Dialect, ctx: &str, f: &Form, b: &Bound) -> Result<(), Error> {
    for c in f.select.iter() {
        if c.given.is_some() || c.values.is_empty() {
            continue;
        }
        let Some(p) = f.params.get(c.param) else {
            continue;
        };
        if let Some(&Val::Int(v)) =
            crate::rules::effective_ref(&f.params, &b.params, c.param).as_deref()
        {
            if !c.values.contains(&v) {
                let allowed = c
                    .values
                    .iter()
                    .map(|x| d.describe(&p.ty, *x))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(Error::new(
                    ErrorKind::Value,
                    ctx,
                    Some(&p.name),
                    format!(
                        "= {} is not one of {allowed}, the values of this form ({})",
                        d.describe(&p.ty, v),
                        f.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Whether values of a form surely parse back from their line to this
/// form and these values, as [`checked_line`] would find by parsing it;
/// `false` when only parsing can tell (or tell why not).
fn values_hold(d: &Dialect, command: usize, form: usize, b: &Bound) -> bool {
    let Some((cmd, f)) = d
        .commands
        .get(command)
        .and_then(|c| Some((c, c.forms.get(form)?)))
    else {
        return false;
    };
    // The line must name this command and no earlier one of that name.
    if d.command(&cmd.name).is_none_or(|(ci, _)| ci != command) {
        return false;
    }
    if f.kind != FormKind::Action {
        // A form without values is the first of its syntax.
        return b.params.iter().all(Option::is_none)
            && b.rest.is_empty()
            && b.option.is_none()
            && cmd.forms.iter().position(|x| x.kind == f.kind) == Some(form);
    }
    if f.rest.is_some() || !b.rest.is_empty() || b.params.len() > f.params.len() {
        return false;
    }
    match (&f.options, &b.option) {
        (None, None) => {}
        (Some(binding), Some(o)) if option_holds(d, binding, &b.params, o) => {}
        _ => return false,
    }
    let val = |i: usize| b.params.get(i).and_then(Option::as_ref);
    let present = |i: usize| b.params.get(i).is_some_and(Option::is_some);
    let selected = |x: &Form| {
        x.select
            .iter()
            .all(|c| c.holds_for(present(c.param), val(c.param)))
    };
    // An earlier action form that the line selects could take it.
    let shadowed = cmd
        .forms
        .iter()
        .take(form)
        .any(|x| x.kind == FormKind::Action && selected(x));
    if shadowed || !selected(f) {
        return false;
    }
    for (i, p) in f.params.iter().enumerate() {
        match b.params.get(i).and_then(Option::as_ref) {
            // Free text is written bare: its commas would cut it.
            Some(_) if p.ty == Ty::Text => return false,
            Some(Val::Str(s)) if s.contains(['"', '\r', '\n']) => return false,
            Some(v) if crate::value::check_value(d, &p.ty, v).is_err() => return false,
            Some(_) => {}
            None if !p.optional => return false,
            None => {}
        }
    }
    rules::check(d, &f.params, &b.params, &f.rules).is_ok()
}

/// Whether the option values of a form bound to option tables surely parse
/// back as they are: the option is the one the parameters name (table by
/// the key, option by its number), the form may write or read it, and its
/// values hold as [`values_hold`] checks parameters (a read names the
/// option only; a repeated group is left to parsing).
fn option_holds(d: &Dialect, binding: &Binding, params: &[Option<Val>], o: &BoundOption) -> bool {
    if crate::bind::pick_option(d, binding, params) != Ok((o.table, o.option)) {
        return false;
    }
    let Some((table, opt)) = d
        .tables
        .get(o.table)
        .and_then(|t| Some((t, t.options.get(o.option)?)))
    else {
        return false;
    };
    let key = binding
        .key_param
        .and_then(|k| params.get(k).and_then(Option::as_ref))
        .and_then(Val::as_int);
    if !opt.access_for(key).grants(binding.access) || !o.rest.is_empty() {
        return false;
    }
    if binding.access == Access::R {
        return o.values.iter().all(Option::is_none);
    }
    if opt.rest.is_some() || o.values.iter().skip(opt.values.len()).any(Option::is_some) {
        return false;
    }
    for (i, p) in opt.values.iter().enumerate() {
        match o.values.get(i).and_then(Option::as_ref) {
            Some(_) if p.ty == Ty::Text => return false,
            Some(Val::Str(s)) if s.contains(['"', '\r', '\n']) => return false,
            Some(v) if crate::value::check_value(d, &p.ty, v).is_err() => return false,
            Some(_) => {}
            None if !p.optional => return false,
            None => {}
        }
    }
    if rules::check(d, &opt.values, &o.values, &opt.rules).is_err() {
        return false;
    }
    // One value alone may pass a total across options.
    match o.values.first().and_then(Option::as_ref) {
        Some(v) => table
            .totals_admit(&[], opt.id, crate::types::written_len(v))
            .is_ok(),
        None => true,
    }
}

/// Absent trailing values and explicit `None`s compare equal.
pub(crate) fn same_values(a: &Bound, b: &Bound) -> bool {
    let trim = |v: &[Option<Val>]| {
        let mut v = v.to_vec();
        while v.last().is_some_and(|x| x.is_none()) {
            v.pop();
        }
        v
    };
    let opt = |o: &Option<crate::bind::BoundOption>| {
        o.as_ref()
            .map(|o| (o.table, o.option, trim(&o.values), o.rest.clone()))
    };
    trim(&a.params) == trim(&b.params) && a.rest == b.rest && opt(&a.option) == opt(&b.option)
}

/// AT strings cannot carry a double quote or a line end. The error names
/// the parameter (from `params`) or the repeated group (`rest`) of a value
/// it can place; an option's values are named by the option (`+WIPOPT
/// option 66 (WIP_COPT_SMTP_SUBJ)`) and their own parameter.
pub(crate) fn check_strings(
    d: &Dialect,
    ctx: &str,
    params: &[Param],
    rest: Option<&crate::Rest>,
    b: &Bound,
) -> Result<(), Error> {
    let bad = |v: &Val| matches!(v, Val::Str(s) if s.contains(['"', '\r', '\n']));
    let refuse = |ctx: &str, name: Option<&str>, v: &Val| {
        let s = match v {
            Val::Str(s) => s.escape_debug().to_string(),
            _ => String::new(),
        };
        Err(Error::new(
            ErrorKind::Value,
            ctx,
            name,
            format!(
                "value \"{s}\" holds a double quote or a line end, which AT strings cannot carry"
            ),
        ))
    };
    let named = b
        .params
        .iter()
        .enumerate()
        .filter_map(|(i, v)| Some((params.get(i).map(|p| &*p.name), v.as_ref()?)))
        .chain(b.rest.iter().map(|v| (rest.map(|r| &*r.name), v)));
    for (name, v) in named {
        if bad(v) {
            return refuse(ctx, name, v);
        }
    }
    if let Some(o) = &b.option {
        let opt = d.tables.get(o.table).and_then(|t| t.options.get(o.option));
        let octx = match opt {
            Some(opt) => format!("{ctx} option {} ({})", opt.id, opt.name),
            None => ctx.to_string(),
        };
        // Written values, or read ones where the line reads them.
        let names = |i: usize| {
            opt.and_then(|opt| {
                opt.values
                    .get(i)
                    .filter(|_| o.values.len() == opt.values.len())
                    .or_else(|| opt.read.get(i))
                    .map(|p| &*p.name)
            })
        };
        for (i, v) in o.values.iter().enumerate() {
            if let Some(v) = v.as_ref().filter(|v| bad(v)) {
                return refuse(&octx, names(i), v);
            }
        }
        let rest_name = opt.and_then(|opt| opt.rest.as_ref().or(opt.read_rest.as_ref()));
        for v in &o.rest {
            if bad(v) {
                return refuse(&octx, rest_name.map(|r| &*r.name), v);
            }
        }
    }
    Ok(())
}

/// The data-mode outcome of a parsed command, if it opens one.
pub fn outcome<'d>(d: &'d Dialect, p: &ParsedCommand) -> Option<&'d Outcome> {
    let f = d.commands.get(p.command)?.forms.get(p.form)?;
    f.outcomes
        .iter()
        .find(|o| rules::holds(&f.params, &p.values.params, &o.when))
}

/// A form of a command, by indexes.
pub fn form(d: &Dialect, command: usize, form: usize) -> Option<&Form> {
    d.commands.get(command)?.forms.get(form)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Command, Cond, Form, Param, Rule, Ty};

    /// Two action forms told apart by their first value (the first one
    /// with a free-text field), one with an optional value in the middle
    /// and a rule, and a read form.
    static D: Dialect = {
        const FORMS: &[Form] = &[
            Form::action("Note")
                .select(const { &[Cond::new(0, &[1])] })
                .params(
                    const {
                        &[
                            Param::req("mode", Ty::int(0, 9)),
                            Param::req("text", Ty::Text),
                        ]
                    },
                ),
            Form::action("Open")
                .select(const { &[Cond::new(0, &[2, 3])] })
                .params(
                    const {
                        &[
                            Param::req("mode", Ty::int(0, 9)),
                            Param::opt("host", Ty::Ip),
                            Param::req("min", Ty::int(0, 99)),
                            Param::opt("max", Ty::int(0, 99)),
                            Param::opt("name", Ty::string(Some(4))),
                        ]
                    },
                )
                .rules(const { &[Rule::order(2, 3)] }),
            Form::read("Read"),
        ];
        Dialect::new("X", "+X").commands(const { &[Command::new("+XO", 1000, &[], FORMS)] })
    };

    fn int(n: i64) -> Option<Val> {
        Some(Val::Int(n))
    }

    fn s(t: &str) -> Option<Val> {
        Some(Val::Str(t.into()))
    }

    #[test]
    fn values_that_hold_parse_back_to_their_line() {
        let cases: &[(usize, Vec<Option<Val>>)] = &[
            (1, vec![int(2), s("10.0.0.1"), int(5), int(7), s("ab")]),
            (1, vec![int(3), None, int(5)]),
            (1, vec![int(3), None, int(5), None, s("")]),
            (1, vec![int(3), None, int(5), int(4)]),
            (1, vec![int(3), s("10.0.0"), int(5)]),
            (1, vec![int(3), None, None]),
            (1, vec![int(1), None, int(5)]),
            (1, vec![int(2), None, int(5), None, s("abcde")]),
            (1, vec![int(2), None, int(5), None, s("a\"b")]),
            (1, vec![int(2), None, s("5")]),
            (0, vec![int(1), s("free, text")]),
            (2, vec![]),
            (2, vec![int(1)]),
        ];
        let mut fast = 0;
        for (form, vals) in cases {
            let b = Bound::of(vals.clone());
            let full = reparsed_line(&D, 0, *form, &b);
            if values_hold(&D, 0, *form, &b) {
                fast += 1;
                assert_eq!(full, Ok(format_command(&D, 0, *form, &b)), "{vals:?}");
            }
            assert_eq!(checked_line(&D, 0, *form, &b), full, "{vals:?}");
        }
        // The valid lines of forms without free text take the fast path.
        assert_eq!(fast, 4);
    }

    /// A command whose action forms write (`=1,<key>,<opt>,…`) and read
    /// (`=2,<key>,<opt>`) options of two tables picked by `<key>`.
    static O: Dialect = {
        use crate::types::{Access, AccessSpec, Binding, Opt, OptionTable, Total};
        use alloc::borrow::Cow::Borrowed;
        const SET: Binding = Binding::new(
            2,
            Some(1),
            &[(Borrowed(&[1]), 0), (Borrowed(&[2]), 1)],
            Access::W,
        );
        const GET: Binding = Binding::new(
            2,
            Some(1),
            &[(Borrowed(&[1]), 0), (Borrowed(&[2]), 1)],
            Access::R,
        );
        const PARAMS: &[Param] = &[
            Param::req("mode", Ty::int(0, 9)),
            Param::req("key", Ty::int(0, 9)),
            Param::req("opt", Ty::int(0, 99)),
        ];
        const FORMS: &[Form] = &[
            Form::action("Set")
                .select(const { &[Cond::new(0, &[1])] })
                .params(PARAMS)
                .options(SET),
            Form::action("Get")
                .select(const { &[Cond::new(0, &[2])] })
                .params(PARAMS)
                .options(GET),
        ];
        const A: &[Opt] = &[
            Opt::new(1, "NUM", const { &[Param::req("n", Ty::int(0, 100))] }),
            Opt::new(
                2,
                "NAME",
                const {
                    &[
                        Param::req("name", Ty::string(Some(4))),
                        Param::opt("n", Ty::int(0, 5)),
                    ]
                },
            ),
            Opt::new(3, "RO", const { &[Param::req("n", Ty::int(0, 100))] }).access(AccessSpec::R),
            Opt::new(
                4,
                "PAIR",
                const {
                    &[
                        Param::req("min", Ty::int(0, 100)),
                        Param::opt("max", Ty::int(0, 100)),
                    ]
                },
            )
            .rules(const { &[Rule::order(0, 1)] }),
        ];
        const B: &[Opt] = &[
            Opt::new(1, "TEXT", const { &[Param::req("t", Ty::Text)] }),
            Opt::new(2, "LIST", const { &[Param::req("s", Ty::string(None))] })
                .access(AccessSpec::per_key(&[(2, Access::RW)])),
        ];
        const TABLES: &[OptionTable] = &[
            OptionTable::new("a", A),
            OptionTable::new("b", B).totals(const { &[Total::new(&[2]).max_len(3)] }),
        ];
        Dialect::new("X", "+X")
            .tables(TABLES)
            .commands(const { &[Command::new("+XP", 1000, &[], FORMS)] })
    };

    #[test]
    fn option_values_that_hold_parse_back_to_their_line() {
        let pool = [
            None,
            int(0),
            int(5),
            int(200),
            s("ab"),
            s("a\"b"),
            s("abcdef"),
        ];
        let (mut fast, mut all) = (0, 0);
        for form in 0..2 {
            for mode in 1..=2 {
                for key in [None, int(1), int(2), int(3)] {
                    for id in [None, int(1), int(2), int(3), int(4), int(9)] {
                        for (table, option) in [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1)] {
                            for a in &pool {
                                for b in &pool {
                                    let bound = Bound {
                                        params: vec![int(mode), key.clone(), id.clone()],
                                        rest: Vec::new(),
                                        option: Some(crate::bind::BoundOption {
                                            table,
                                            option,
                                            values: vec![a.clone(), b.clone()],
                                            rest: Vec::new(),
                                        }),
                                    };
                                    let full = reparsed_line(&O, 0, form, &bound);
                                    if values_hold(&O, 0, form, &bound) {
                                        fast += 1;
                                        assert_eq!(
                                            full,
                                            Ok(format_command(&O, 0, form, &bound)),
                                            "{bound:?}"
                                        );
                                    }
                                    // Free text written is left to parsing.
                                    if full.is_ok() && (form, table, option) != (0, 1, 0) {
                                        all += 1;
                                    }
                                    assert_eq!(
                                        checked_line(&O, 0, form, &bound),
                                        full,
                                        "{bound:?}"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
        // Every request the full check takes, free text aside, is checked
        // directly.
        assert!(fast > 0);
        assert_eq!(fast, all);
    }
}
