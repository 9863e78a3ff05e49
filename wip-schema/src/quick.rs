//! One-pass binding of a modem line already known to be one message (the
//! framer tagged it) into values borrowed from the line: integers parsed
//! in place, strings as slices of the line, nothing allocated.
//!
//! [`bind`] walks the fields once, as the engine's binder takes its first
//! reading: each optional parameter takes the field it fits, or gives way
//! when the fields left are only enough for the mandatory parameters after
//! it. Anything else (a field that does not fit, more values than
//! [`MAX_VALUES`]) gives `None`, and the caller falls back to the full
//! binder, which says why. [`RefReader`] reads the typed fields out of a
//! [`BoundRef`] as [`BoundReader`](crate::typed::BoundReader) reads them
//! out of a [`Bound`](crate::Bound); the generated `from_ref` of each
//! message reads through it.

use crate::error::{Error, ErrorKind};
use crate::fields::{self, Field};
use crate::typed::Wire;
use crate::types::{Access, Binding, Dialect, Message, Param, Rest, Rule, Ty};
use crate::value::Val;
use alloc::format;
use alloc::vec::Vec;

/// The most values (parameters, option values and repeated items
/// together) a line binds without allocating; a line with more goes to
/// the full binder.
pub const MAX_VALUES: usize = 16;

/// A wire value borrowed from the line: [`Val`] without the allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValRef<'a> {
    /// An integer (plain or coded).
    Int(i64),
    /// A string, host, IP address, hex dump or free text (without quotes).
    Str(&'a str),
}

impl<'a> ValRef<'a> {
    /// The integer, if it is one.
    pub fn as_int(self) -> Option<i64> {
        match self {
            ValRef::Int(v) => Some(v),
            ValRef::Str(_) => None,
        }
    }

    /// The string, if it is one.
    pub fn as_str(self) -> Option<&'a str> {
        match self {
            ValRef::Int(_) => None,
            ValRef::Str(s) => Some(s),
        }
    }

    /// The owned value.
    pub fn to_val(self) -> Val {
        match self {
            ValRef::Int(v) => Val::Int(v),
            ValRef::Str(s) => Val::Str(s.into()),
        }
    }
}

/// A run of values in a [`BoundRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: usize,
    len: usize,
}

/// The option a line names and where its values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionRef {
    /// Index of the table in the dialect.
    pub table: usize,
    /// Index of the option in its table.
    pub option: usize,
    values: Span,
    rest: Span,
}

/// The values of one line bound to its message, borrowed from the line:
/// [`Bound`](crate::Bound) without allocation.
#[derive(Debug, Clone)]
pub struct BoundRef<'a> {
    slots: [Option<ValRef<'a>>; MAX_VALUES],
    len: usize,
    params: Span,
    rest: Span,
    option: Option<OptionRef>,
}

impl<'a> BoundRef<'a> {
    fn new() -> Self {
        BoundRef {
            slots: [None; MAX_VALUES],
            len: 0,
            params: Span::default(),
            rest: Span::default(),
            option: None,
        }
    }

    fn span(&self, s: Span) -> &[Option<ValRef<'a>>] {
        self.slots.get(s.start..s.start + s.len).unwrap_or_default()
    }

    /// One value per parameter; `None` when left out or empty.
    pub fn params(&self) -> &[Option<ValRef<'a>>] {
        self.span(self.params)
    }

    /// The option the line names, if it is bound to option tables.
    pub fn option(&self) -> Option<&OptionRef> {
        self.option.as_ref()
    }

    /// The values of the option `o` of this line.
    pub fn option_values(&self, o: &OptionRef) -> &[Option<ValRef<'a>>] {
        self.span(o.values)
    }

    fn push(&mut self, v: Option<ValRef<'a>>) -> bool {
        match self.slots.get_mut(self.len) {
            Some(slot) => {
                *slot = v;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    /// The owned values, as the engine's binder gives them.
    pub fn to_bound(&self) -> crate::Bound {
        let owned = |s: &[Option<ValRef<'a>>]| -> Vec<Option<Val>> {
            s.iter().map(|v| v.map(ValRef::to_val)).collect()
        };
        let items = |s: &[Option<ValRef<'a>>]| -> Vec<Val> {
            s.iter().flatten().map(|v| v.to_val()).collect()
        };
        crate::Bound {
            params: owned(self.params()),
            rest: items(self.span(self.rest)),
            option: self.option.map(|o| crate::BoundOption {
                table: o.table,
                option: o.option,
                values: owned(self.span(o.values)),
                rest: items(self.span(o.rest)),
            }),
        }
    }
}

/// Binds the body of a line (what follows `PREFIX:`) to message `m`;
/// `None` when the line needs the full binder (a field that does not fit
/// its type, a broken rule, too many values), which then says why.
pub fn bind<'a>(d: &Dialect, m: &Message, body: &'a str) -> Option<BoundRef<'a>> {
    let mut out = BoundRef::new();
    if let ([p], None, None) = (m.fields.as_ref(), &m.rest, &m.options) {
        if p.ty == Ty::Text {
            out.push(Some(ValRef::Str(body)));
            out.params = Span { start: 0, len: 1 };
            return m.select.is_empty().then_some(out);
        }
    }
    let mut fields = fields::iter(body);
    if let Some(n) = crate::message::text_last(m) {
        // The other fields, then free text to the end of the line.
        let head = m.fields.get(..n).unwrap_or_default();
        let start = out.len;
        list(d, body, head, &mut fields, &mut out)?;
        match fields.rest() {
            Some(t) => out.push(Some(ValRef::Str(t))).then_some(())?,
            None if m.fields.last().is_some_and(|p| p.optional) => out.push(None).then_some(())?,
            None => return None,
        }
        out.params = Span {
            start,
            len: out.len - start,
        };
        let params = out.params;
        return (m.select.is_empty()
            && rules_hold(d, &m.fields, out.span(params), &m.rules, false))
        .then_some(out);
    }
    out.params = list(d, body, &m.fields, &mut fields, &mut out)?;
    let params = out.params;
    let int = |out: &BoundRef<'_>, i: usize| {
        out.span(params)
            .get(i)
            .copied()
            .flatten()
            .and_then(ValRef::as_int)
    };
    let field = |out: &BoundRef<'a>, i: usize| out.span(params).get(i).copied().flatten();
    if !m.select.iter().all(|c| match field(&out, c.param) {
        Some(ValRef::Int(v)) => c.values.contains(&v),
        Some(ValRef::Str(t)) => c.has_text(t),
        None => false,
    }) {
        return None;
    }
    match &m.options {
        Some(b) => {
            let (table, oi) = pick_option(d, b, |i| int(&out, i))?;
            let opt = d.tables.get(table).and_then(|t| t.options.get(oi))?;
            // An option the key has no access to at all is no line's:
            // left to the engine, which says so.
            let key = b.key_param.and_then(|k| int(&out, k));
            if key.is_some() && opt.access_for(key) == Access::None {
                return None;
            }
            let is_read = b.access == Access::R;
            let (values, rest) = if is_read {
                (&opt.read, opt.read_rest.as_ref())
            } else {
                (&opt.values, opt.rest.as_ref())
            };
            let vs = list(d, body, values, &mut fields, &mut out)?;
            let rs = items(d, body, rest, &mut fields, &mut out)?;
            // Read values keep only the format rules of written ones.
            let rules_ok = if is_read {
                !opt.reads_as_written() || rules_hold(d, values, out.span(vs), &opt.rules, true)
            } else {
                rules_hold(d, values, out.span(vs), &opt.rules, false)
            };
            if !rules_ok {
                return None;
            }
            out.option = Some(OptionRef {
                table,
                option: oi,
                values: vs,
                rest: rs,
            });
        }
        None => out.rest = items(d, body, m.rest.as_ref(), &mut fields, &mut out)?,
    }
    rules_hold(d, &m.fields, out.span(params), &m.rules, false).then_some(out)
}

/// The table and option a line names, as [`crate::bind::pick_option`]
/// finds them.
fn pick_option(
    d: &Dialect,
    b: &Binding,
    int: impl Fn(usize) -> Option<i64>,
) -> Option<(usize, usize)> {
    let id = int(b.id_param)?;
    let table = match b.key_param {
        None => b.tables.first()?.1,
        Some(k) => {
            let key = int(k)?;
            b.tables.iter().find(|(keys, _)| keys.contains(&key))?.1
        }
    };
    let option = d
        .tables
        .get(table)?
        .options
        .iter()
        .position(|o| o.id == id)?;
    Some((table, option))
}

/// Binds `params` to the next fields; the span of their values.
fn list<'a>(
    d: &Dialect,
    body: &'a str,
    params: &[Param],
    fields: &mut fields::Fields<'a>,
    out: &mut BoundRef<'a>,
) -> Option<Span> {
    let start = out.len;
    // The fields left matter only where an optional parameter may give
    // way to the mandatory ones after it.
    let mut left = if params.iter().any(|p| p.optional) {
        fields.remaining()
    } else {
        0
    };
    for (i, p) in params.iter().enumerate() {
        if p.optional
            && left
                <= params
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .filter(|q| !q.optional)
                    .count()
        {
            out.push(None).then_some(())?;
            continue;
        }
        let f = match fields.next() {
            None if p.optional => {
                out.push(None).then_some(())?;
                continue;
            }
            Some(Ok(f)) => f,
            _ => return None,
        };
        left = left.saturating_sub(1);
        let v = match f {
            Field::Empty if p.optional => None,
            Field::Empty => return None,
            f => Some(fit(d, body, &p.ty, f)?),
        };
        out.push(v).then_some(())?;
    }
    Some(Span {
        start,
        len: out.len - start,
    })
}

/// The repeated group: every field left, each of its type, in whole
/// groups; without a group, no field may be left.
fn items<'a>(
    d: &Dialect,
    body: &'a str,
    rest: Option<&Rest>,
    fields: &mut fields::Fields<'a>,
    out: &mut BoundRef<'a>,
) -> Option<Span> {
    let start = out.len;
    let Some(r) = rest else {
        return fields.next().is_none().then_some(Span { start, len: 0 });
    };
    for f in fields {
        let v = fit(d, body, &r.ty, f.ok()?)?;
        out.push(Some(v)).then_some(())?;
    }
    let n = out.len - start;
    let group = r.group.max(1) as usize;
    (n % group == 0 && r.max_groups.is_none_or(|m| n / group <= m as usize))
        .then_some(Span { start, len: n })
}

/// The value of a field that fits its type, as the binder finds it.
pub(crate) fn fit<'a>(d: &Dialect, body: &'a str, ty: &Ty, f: Field<'a>) -> Option<ValRef<'a>> {
    match (ty, f) {
        (_, Field::Empty) => None,
        (Ty::Int { .. } | Ty::Enum { .. }, Field::Bare(s)) => {
            let n = crate::value::parse_int(s)?;
            crate::value::int_fits(ty, n).then_some(ValRef::Int(n))
        }
        // An error code: one of its table's (or the success value), as the
        // engine checks it.
        (Ty::Code { .. }, Field::Bare(s)) => {
            let n = crate::value::parse_int(s)?;
            crate::value::check_value(d, ty, &crate::value::Val::Int(n))
                .is_ok()
                .then_some(ValRef::Int(n))
        }
        // Free text keeps the quotes of a quoted field.
        (Ty::Text, Field::Quoted(t)) => Some(ValRef::Str(with_quotes(body, t)?)),
        (Ty::Text, Field::Bare(t)) => Some(ValRef::Str(t)),
        (Ty::Ranges, Field::Bare(t)) if crate::Ranges::is_valid(t) => Some(ValRef::Str(t)),
        (Ty::Token, Field::Bare(t)) if crate::value::is_token(t) => Some(ValRef::Str(t)),
        (
            Ty::Str { .. }
            | Ty::Counted { .. }
            | Ty::Host { .. }
            | Ty::Ip
            | Ty::Hex { .. }
            | Ty::StrEnum { .. },
            Field::Quoted(s),
        ) if crate::value::text_fits(d, ty, s) => Some(ValRef::Str(s)),
        _ => None,
    }
}

/// The quoted field `t` with its quotes, cut from `body`, of which `t` is
/// a slice between two quotes.
fn with_quotes<'a>(body: &'a str, t: &str) -> Option<&'a str> {
    let start = (t.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
    let quoted = body.get(start.checked_sub(1)?..start + t.len() + 1)?;
    (quoted.starts_with('"') && quoted.ends_with('"') && quoted.len() >= 2).then_some(quoted)
}

/// Whether the rules across parameters hold (only the format rules with
/// `formats_only`), as the engine checks them. Rules other than formats
/// read integers and presence only, so strings stand in empty unless a
/// format rule reads them.
fn rules_hold(
    d: &Dialect,
    params: &[Param],
    vals: &[Option<ValRef<'_>>],
    rules: &[Rule],
    formats_only: bool,
) -> bool {
    if rules.is_empty() {
        return true;
    }
    let formats = rules.iter().any(|r| matches!(r, Rule::Format { .. }));
    if formats_only && !formats {
        return true;
    }
    let owned: [Option<Val>; MAX_VALUES] = core::array::from_fn(|i| {
        vals.get(i).copied().flatten().map(|v| match v {
            ValRef::Int(n) => Val::Int(n),
            ValRef::Str(s) if formats => Val::Str(s.into()),
            ValRef::Str(_) => Val::Str(alloc::string::String::new()),
        })
    });
    let vals = owned.get(..vals.len().min(MAX_VALUES)).unwrap_or_default();
    if formats_only {
        crate::rules::check_formats(d, params, vals, rules).is_ok()
    } else {
        crate::rules::check(d, params, vals, rules).is_ok()
    }
}

/// Reads the typed fields of a message or option out of a [`BoundRef`],
/// naming the message or option and each parameter in errors, as
/// [`BoundReader`](crate::typed::BoundReader) reads a [`Bound`](crate::Bound).
#[derive(Debug, Clone, Copy)]
pub struct RefReader<'r, 'a> {
    ctx: &'r str,
    params: &'r [Param],
    rest_name: &'r str,
    vals: &'r [Option<ValRef<'a>>],
    rest: &'r [Option<ValRef<'a>>],
    option: Option<&'r OptionRef>,
    bound: &'r BoundRef<'a>,
}

impl<'r, 'a> RefReader<'r, 'a> {
    /// A reader of `b`, bound to message `message` of `d`.
    pub fn message(d: &'r Dialect, message: usize, b: &'r BoundRef<'a>) -> Self {
        let m = d.messages.get(message);
        RefReader {
            ctx: m.map_or("message", |m| m.prefix.as_deref().unwrap_or(m.id.as_ref())),
            params: m.map_or(&[][..], |m| m.fields.as_ref()),
            rest_name: m
                .and_then(|m| m.rest.as_ref())
                .map_or("values", |r| r.name.as_ref()),
            vals: b.params(),
            rest: b.span(b.rest),
            option: b.option.as_ref(),
            bound: b,
        }
    }

    /// A reader of the values of option `o` of `b`, an option of `d`: its
    /// values read (`read`) or written.
    pub fn option_values(
        d: &'r Dialect,
        b: &'r BoundRef<'a>,
        o: &'r OptionRef,
        read: bool,
    ) -> Self {
        let opt = d.tables.get(o.table).and_then(|t| t.options.get(o.option));
        let (ctx, params, rest) = match opt {
            Some(x) if read => (x.name.as_ref(), x.read.as_ref(), x.read_rest.as_ref()),
            Some(x) => (x.name.as_ref(), x.values.as_ref(), x.rest.as_ref()),
            None => ("option", &[][..], None),
        };
        RefReader {
            ctx,
            params,
            rest_name: rest.map_or("values", |r| r.name.as_ref()),
            vals: b.span(o.values),
            rest: b.span(o.rest),
            option: None,
            bound: b,
        }
    }

    /// The line's values, to read an option's with.
    pub fn bound(&self) -> &'r BoundRef<'a> {
        self.bound
    }

    fn name(&self, i: usize) -> &'r str {
        self.params.get(i).map_or("value", |p| p.name.as_ref())
    }

    fn convert<T: Wire>(&self, name: &str, v: ValRef<'_>) -> Result<T, Error> {
        T::from_ref(v).ok_or_else(|| {
            Error::new(
                ErrorKind::Value,
                self.ctx,
                Some(name),
                format!(
                    "= {} does not fit the Rust type `{}`",
                    v.to_val(),
                    core::any::type_name::<T>()
                ),
            )
        })
    }

    /// Value `i` converted; the parameter is named only in the error.
    fn convert_at<T: Wire>(&self, i: usize, v: ValRef<'_>) -> Result<T, Error> {
        match T::from_ref(v) {
            Some(t) => Ok(t),
            None => self.convert(self.name(i), v),
        }
    }

    /// Value `i`, which must be present.
    pub fn req<T: Wire>(&self, i: usize) -> Result<T, Error> {
        match self.vals.get(i) {
            Some(Some(v)) => self.convert_at(i, *v),
            _ => Err(Error::new(
                ErrorKind::Arity,
                self.ctx,
                Some(self.name(i)),
                "is missing".into(),
            )),
        }
    }

    /// Optional value `i`.
    pub fn opt<T: Wire>(&self, i: usize) -> Result<Option<T>, Error> {
        match self.vals.get(i) {
            Some(Some(v)) => self.convert_at(i, *v).map(Some),
            _ => Ok(None),
        }
    }

    fn owned_rest(&self) -> Vec<Val> {
        self.rest.iter().flatten().map(|v| v.to_val()).collect()
    }

    /// The repeated group, one value each.
    pub fn items<T: Wire>(&self) -> Result<Vec<T>, Error> {
        self.rest
            .iter()
            .flatten()
            .map(|v| self.convert(self.rest_name, *v))
            .collect()
    }

    /// The repeated group, two values each.
    pub fn pairs<T: Wire>(&self) -> Result<Vec<(T, T)>, Error> {
        crate::typed::pairs(self.ctx, self.rest_name, &self.owned_rest())
    }

    /// The repeated group, `N` values each.
    pub fn groups<T: Wire, const N: usize>(&self) -> Result<Vec<[T; N]>, Error> {
        crate::typed::groups(self.ctx, self.rest_name, &self.owned_rest())
    }

    /// The option values, which a line bound to option tables must have.
    pub fn option(&self) -> Result<&'r OptionRef, Error> {
        self.option.ok_or_else(|| {
            Error::new(
                ErrorKind::Option,
                self.ctx,
                None,
                "names no option of its tables".into(),
            )
        })
    }
}

/// The error for option values of a table or option a typed value does
/// not hold, as [`crate::typed::no_such_option`] gives it.
pub fn no_such_option(ctx: &str, o: &OptionRef) -> Error {
    Error::new(
        ErrorKind::Option,
        ctx,
        None,
        format!(
            "has no typed value for option #{} of table #{}",
            o.option, o.table
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Cond, Message, Param, Ty};

    /// Messages with an optional field in the middle, a discriminator, a
    /// rule, free text and a repeated group.
    static D: Dialect = {
        const MESSAGES: &[Message] = &[
            Message::urc("Data", Some("+XD"))
                .select(const { &[Cond::new(0, &[1])] })
                .fields(
                    const {
                        &[
                            Param::req("kind", Ty::int(1, 2)),
                            Param::opt("peer", Ty::Ip),
                            Param::req("size", Ty::int(0, 99)),
                        ]
                    },
                ),
            Message::urc("Block", Some("+XB"))
                .fields(
                    const {
                        &[
                            Param::req("n", Ty::int(1, 9)),
                            Param::req("of", Ty::int(1, 9)),
                        ]
                    },
                )
                .rules(const { &[Rule::order(0, 1)] }),
            Message::urc("Note", Some("+XN")).fields(const { &[Param::req("text", Ty::Text)] }),
        ];
        Dialect::new("X", "+X").messages(MESSAGES)
    };

    fn full(m: usize, body: &str) -> Option<crate::Bound> {
        let msg = D.messages.get(m)?;
        crate::message::bind_message(&D, msg, body).ok()
    }

    fn quick(m: usize, body: &str) -> Option<crate::Bound> {
        bind(&D, D.messages.get(m)?, body).map(|b| b.to_bound())
    }

    #[test]
    fn binds_as_the_full_binder_does() {
        for (m, body) in [
            (0, r#"1,"10.0.0.1",5"#),
            (0, "1,5"),
            (0, "1,,5"),
            (0, " 1 , 5 "),
            (1, "2,3"),
            (2, r#"a, "b", c"#),
        ] {
            assert!(quick(m, body).is_some(), "{body}");
            assert_eq!(quick(m, body), full(m, body), "{body}");
        }
    }

    #[test]
    fn leaves_what_does_not_fit_to_the_full_binder() {
        // Discriminator, range, rule, kind, stray quote, too many fields.
        for (m, body) in [
            (0, "2,5"),
            (0, "1,100"),
            (1, "3,2"),
            (0, r#"1,"x",5"#),
            (1, r#"1,2"3"#),
            (1, "1,2,3"),
        ] {
            assert_eq!(quick(m, body), None, "{body}");
        }
    }

    #[test]
    fn strings_are_slices_of_the_line() {
        let body = String::from(r#"1,"10.0.0.1",5"#);
        let b = bind(&D, &D.messages[0], &body).unwrap();
        let Some(Some(ValRef::Str(ip))) = b.params().get(1).copied() else {
            panic!("{b:?}")
        };
        assert_eq!(ip, "10.0.0.1");
        assert_eq!(ip.as_ptr(), body[3..].as_ptr());
        let r = RefReader::message(&D, 0, &b);
        assert_eq!(r.req::<u8>(2), Ok(5));
        assert_eq!(
            r.opt::<core::net::Ipv4Addr>(1),
            Ok(Some(core::net::Ipv4Addr::new(10, 0, 0, 1)))
        );
        let e = r.req::<u8>(1).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("peer"));
        // Free text keeps the quotes of a quoted field.
        let b = bind(&D, &D.messages[2], r#""quoted""#).unwrap();
        assert_eq!(b.params(), &[Some(ValRef::Str(r#""quoted""#))]);
    }
}
