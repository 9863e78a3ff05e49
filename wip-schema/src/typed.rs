//! What generated bindings need on top of the engine: conversions between
//! Rust field types and wire values ([`Wire`]), reading typed fields out of
//! a [`Bound`], and parsing or validating one line as one given message.
//!
//! Generated code converts its typed values to a [`Bound`] and back and
//! leaves every check to the engine, so these helpers only move values;
//! their errors arise when a [`Bound`] did not come from the engine (a
//! value too large for its Rust type, a parameter left out).

use crate::bind::{Bound, BoundOption};
use crate::classify;
use crate::command::{check_strings, same_values};
use crate::error::{Error, ErrorKind};
use crate::message::{bind_message, format_message};
use crate::quick::{BoundRef, ValRef};
use crate::types::Dialect;
use crate::value::Val;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A Rust type that carries one wire value: integers, strings, and the
/// enums generated for value sets.
pub trait Wire: Sized {
    /// The value on the wire.
    fn to_val(&self) -> Val;
    /// The Rust value of a wire value; `None` when it does not fit.
    fn from_val(v: &Val) -> Option<Self>;

    /// The Rust value of a wire value borrowed from a line (see
    /// [`crate::quick`]); `None` when it does not fit. Integers and the
    /// enums of value sets convert without allocating.
    fn from_ref(v: ValRef<'_>) -> Option<Self> {
        Self::from_val(&v.to_val())
    }

    /// Appends the wire text of the value to `out`, unquoted: an integer in
    /// decimal, a string as it is. A generated request writes its line
    /// straight into a client's buffer with it; integers, addresses and
    /// strings write without allocating.
    fn write_wire(&self, out: &mut String) {
        match self.to_val() {
            Val::Int(n) => out.push_str(itoa::Buffer::new().format(n)),
            Val::Str(s) => out.push_str(&s),
        }
    }

    /// The Rust value of a dotted IPv4 address read from a line, `text` as
    /// written; `None` when it does not fit. Address types take `ip` as it
    /// is; others read `text` as [`Wire::from_ref`] does.
    fn from_ipv4(ip: core::net::Ipv4Addr, text: &str) -> Option<Self> {
        let _ = ip;
        Self::from_ref(ValRef::Str(text))
    }

    /// Whether [`Wire::from_ref`] of `v` gives a value (a string for a
    /// string, without copying it).
    fn fits_ref(v: ValRef<'_>) -> bool {
        Self::from_ref(v).is_some()
    }

    /// [`Wire::from_ref`] written over `self`, reusing what it holds: a
    /// string is copied into the string's own buffer, not into a new
    /// one. `None`, with `self` as it was, when the value does not fit.
    fn assign_ref(&mut self, v: ValRef<'_>) -> Option<()> {
        *self = Self::from_ref(v)?;
        Some(())
    }
}

/// Whether `v` converts into a value of the type of `field`
/// ([`Wire::fits_ref`]); the field names the type.
#[doc(hidden)]
#[inline(always)]
pub fn fits<T: Wire>(field: &T, v: ValRef<'_>) -> bool {
    let _ = field;
    T::fits_ref(v)
}

macro_rules! wire_int {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn to_val(&self) -> Val {
                Val::Int(i64::from(*self))
            }
            fn from_val(v: &Val) -> Option<Self> {
                v.as_int().and_then(|n| <$t>::try_from(n).ok())
            }
            fn from_ref(v: ValRef<'_>) -> Option<Self> {
                v.as_int().and_then(|n| <$t>::try_from(n).ok())
            }
            fn write_wire(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(*self));
            }
        }
    )*};
}

wire_int!(u8, u16, u32, i8, i16, i32, i64);

impl Wire for String {
    fn to_val(&self) -> Val {
        Val::Str(self.clone())
    }
    fn from_val(v: &Val) -> Option<Self> {
        v.as_str().map(str::to_string)
    }
    fn from_ref(v: ValRef<'_>) -> Option<Self> {
        v.as_str().map(str::to_string)
    }
    fn write_wire(&self, out: &mut String) {
        out.push_str(self);
    }
    fn fits_ref(v: ValRef<'_>) -> bool {
        v.as_str().is_some()
    }
    fn assign_ref(&mut self, v: ValRef<'_>) -> Option<()> {
        let s = v.as_str()?;
        self.clear();
        self.push_str(s);
        Some(())
    }
}

impl Wire for crate::Ranges {
    fn to_val(&self) -> Val {
        Val::Str(self.to_string())
    }
    fn from_val(v: &Val) -> Option<Self> {
        v.as_str().and_then(|s| crate::Ranges::parse(s).ok())
    }
}

fn value_error(ctx: &str, name: &str, message: String) -> Error {
    Error::new(ErrorKind::Value, ctx, Some(name), message)
}

fn convert<T: Wire>(ctx: &str, name: &str, v: &Val) -> Result<T, Error> {
    T::from_val(v).ok_or_else(|| {
        value_error(
            ctx,
            name,
            format!(
                "= {v} does not fit the Rust type `{}`",
                core::any::type_name::<T>()
            ),
        )
    })
}

/// The wire value of a present parameter.
pub fn some<T: Wire>(v: &T) -> Option<Val> {
    Some(v.to_val())
}

/// The wire value of an optional parameter.
pub fn maybe<T: Wire>(v: &Option<T>) -> Option<Val> {
    v.as_ref().map(Wire::to_val)
}

/// The wire value of a parameter fixed by the form (a discriminator, an
/// option number, a key).
pub fn int(v: i64) -> Option<Val> {
    Some(Val::Int(v))
}

/// The wire value of a string parameter fixed by the form (a string
/// discriminator, quoted on the wire).
pub fn text(v: &str) -> Option<Val> {
    Some(Val::Str(v.into()))
}

/// The wire values of a repeated group of single values.
pub fn list<T: Wire>(items: &[T]) -> Vec<Val> {
    items.iter().map(Wire::to_val).collect()
}

/// The value of parameter `i`, which must be present.
pub fn required<T: Wire>(
    ctx: &str,
    name: &str,
    vals: &[Option<Val>],
    i: usize,
) -> Result<T, Error> {
    match vals.get(i) {
        Some(Some(v)) => convert(ctx, name, v),
        _ => Err(Error::new(
            ErrorKind::Arity,
            ctx,
            Some(name),
            "is missing".into(),
        )),
    }
}

/// The value of optional parameter `i`, `None` when left out.
pub fn optional<T: Wire>(
    ctx: &str,
    name: &str,
    vals: &[Option<Val>],
    i: usize,
) -> Result<Option<T>, Error> {
    match vals.get(i) {
        Some(Some(v)) => convert(ctx, name, v).map(Some),
        _ => Ok(None),
    }
}

/// The items of a repeated group of single values.
pub fn items<T: Wire>(ctx: &str, name: &str, vals: &[Val]) -> Result<Vec<T>, Error> {
    vals.iter().map(|v| convert(ctx, name, v)).collect()
}

/// The items of a repeated group of pairs (`name, value, name, value`).
pub fn pairs<T: Wire>(ctx: &str, name: &str, vals: &[Val]) -> Result<Vec<(T, T)>, Error> {
    let chunks = vals.chunks_exact(2);
    if !chunks.remainder().is_empty() {
        return Err(Error::new(
            ErrorKind::Arity,
            ctx,
            Some(name),
            format!("has {} items; they come in pairs", vals.len()),
        ));
    }
    chunks
        .map(|c| match c {
            [a, b] => Ok((convert(ctx, name, a)?, convert(ctx, name, b)?)),
            _ => Err(Error::new(
                ErrorKind::Arity,
                ctx,
                Some(name),
                "has an incomplete pair".into(),
            )),
        })
        .collect()
}

/// The items of a repeated group of `N` values each.
pub fn groups<T: Wire, const N: usize>(
    ctx: &str,
    name: &str,
    vals: &[Val],
) -> Result<Vec<[T; N]>, Error> {
    let chunks = vals.chunks_exact(N.max(1));
    if !chunks.remainder().is_empty() {
        return Err(Error::new(
            ErrorKind::Arity,
            ctx,
            Some(name),
            format!("has {} items; they come in groups of {N}", vals.len()),
        ));
    }
    chunks
        .map(|c| {
            let v: Vec<T> = c
                .iter()
                .map(|x| convert(ctx, name, x))
                .collect::<Result<_, _>>()?;
            <[T; N]>::try_from(v).map_err(|_| {
                Error::new(
                    ErrorKind::Arity,
                    ctx,
                    Some(name),
                    format!("has a group of other than {N} items"),
                )
            })
        })
        .collect()
}

/// The wire values of a repeated group of pairs, flattened.
pub fn flatten_pairs<T: Wire>(items: &[(T, T)]) -> Vec<Val> {
    items
        .iter()
        .flat_map(|(a, b)| [a.to_val(), b.to_val()])
        .collect()
}

/// The wire values of a repeated group of `N` values each, flattened.
pub fn flatten_groups<T: Wire, const N: usize>(items: &[[T; N]]) -> Vec<Val> {
    items.iter().flatten().map(Wire::to_val).collect()
}

/// The option values of a [`Bound`] that must have some.
pub fn option<'b>(ctx: &str, b: &'b Bound) -> Result<&'b BoundOption, Error> {
    b.option.as_ref().ok_or_else(|| {
        Error::new(
            ErrorKind::Option,
            ctx,
            None,
            "names no option of its tables".into(),
        )
    })
}

/// The error for option values of a table or option a typed value does
/// not hold (a [`BoundOption`] of another table, or of an option without
/// the access the type is for).
pub fn no_such_option(ctx: &str, o: &BoundOption) -> Error {
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

/// The error for a key value (a protocol, say) that picks no option table.
pub fn no_such_key(ctx: &str, name: &str, key: i64) -> Error {
    Error::new(
        ErrorKind::Option,
        ctx,
        Some(name),
        format!("= {key} picks no option table"),
    )
}

/// The error for a line that parsed as another form than the one asked for.
pub fn wrong_form(d: &Dialect, expected: (usize, usize), got: (usize, usize), line: &str) -> Error {
    let name = |(c, f): (usize, usize)| {
        d.commands
            .get(c)
            .map(|cmd| {
                let form = cmd.forms.get(f).map_or("?", |x| x.name.as_ref());
                format!("{} {form}", cmd.name)
            })
            .unwrap_or_default()
    };
    Error::new(
        ErrorKind::NoSuchForm,
        &name(expected),
        None,
        format!("`{line}` is a {} command line", name(got)),
    )
}

/// The error for a modem line that parsed as another message than the one
/// asked for.
pub fn wrong_message(d: &Dialect, expected: usize, got: usize, line: &str) -> Error {
    let id = |m: usize| d.messages.get(m).map_or("?", |m| m.id.as_ref());
    Error::new(
        ErrorKind::UnknownMessage,
        id(expected),
        None,
        format!("`{line}` is a {} line", id(got)),
    )
}

/// The error for a (command, form) pair that names no form of a typed
/// request enum.
pub fn no_such_form(d: &Dialect, command: usize, form: usize) -> Error {
    let ctx = d
        .commands
        .get(command)
        .map_or_else(|| format!("command #{command}"), |c| c.name.to_string());
    Error::new(
        ErrorKind::NoSuchForm,
        &ctx,
        None,
        format!("has no typed form #{form}"),
    )
}

/// The error for a message index that names no variant of a typed enum
/// of messages (`what` is "URC" or "response").
pub fn no_such_message(d: &Dialect, message: usize, what: &str) -> Error {
    let ctx = d
        .messages
        .get(message)
        .map_or_else(|| format!("message #{message}"), |m| m.id.to_string());
    Error::new(
        ErrorKind::UnknownMessage,
        &ctx,
        None,
        format!("is not a {what}"),
    )
}

/// The error for a modem line that is a URC where a response of the
/// pending command was asked for.
pub fn not_a_response(d: &Dialect, pending: (usize, usize), line: &str) -> Error {
    let what = d.commands.get(pending.0).map_or_else(
        || "is not a response of the pending command".to_string(),
        |c| format!("is not a response AT{} may return", c.name),
    );
    Error::new(ErrorKind::UnknownMessage, &format!("`{line}`"), None, what)
}

/// Parses one modem line as message number `message` of the dialect,
/// whatever command is pending: the typed value of one message parses its
/// own lines only.
pub fn parse_message_as(d: &Dialect, message: usize, line: &str) -> Result<Bound, Error> {
    let Some(m) = d.messages.get(message) else {
        return Err(Error::new(
            ErrorKind::UnknownMessage,
            "",
            None,
            format!("the dialect has no message #{message}"),
        ));
    };
    // A bare response written with the prefix of a command it answers
    // (E41: `+WIPBR: 6,1` for `6,1`) is read from its body, as the framer
    // cuts it.
    let prefixed_bare = match (m.prefix.is_none(), classify::parts(line.as_bytes())) {
        (true, parts) => parts
            .prefix
            .filter(|p| {
                d.commands.iter().any(|c| {
                    p.eq_ignore_ascii_case(c.name.as_bytes())
                        && c.forms.iter().any(|f| f.responses.contains(&message))
                })
            })
            .and_then(|_| core::str::from_utf8(parts.body).ok()),
        (false, _) => None,
    };
    let Some(body) = prefixed_bare.or_else(|| m.body(line)) else {
        let what = m.prefix.as_deref().unwrap_or(m.id.as_ref());
        return Err(Error::new(
            ErrorKind::UnknownMessage,
            &format!("`{line}`"),
            None,
            format!("is not a {what} line"),
        ));
    };
    bind_message(d, m, body).map_err(|f| f.error)
}

/// Checks the values of a message exactly as the other side would parse
/// them: the line they format to must parse back to the same values.
pub fn validate_message(d: &Dialect, message: usize, b: &Bound) -> Result<(), Error> {
    let ctx = d
        .messages
        .get(message)
        .map_or_else(String::new, crate::message::context);
    match d.messages.get(message) {
        Some(m) => check_strings(d, &ctx, &m.fields, m.rest.as_ref(), b)?,
        None => check_strings(d, &ctx, &[], None, b)?,
    }
    let line = format_message(d, message, b);
    let parsed = parse_message_as(d, message, &line)?;
    if !same_values(&parsed, b) {
        return Err(Error::new(
            ErrorKind::Arity,
            &ctx,
            None,
            format!("values are ambiguous on the wire: `{line}` reads back differently"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_convert_within_their_type() {
        assert_eq!(u8::from_val(&Val::Int(255)), Some(255));
        assert_eq!(u8::from_val(&Val::Int(256)), None);
        assert_eq!(i8::from_val(&Val::Int(-128)), Some(-128));
        assert_eq!(u16::from_val(&Val::Str("1".into())), None);
        assert_eq!(7u32.to_val(), Val::Int(7));
        assert_eq!(String::from("a").to_val(), Val::Str("a".into()));
    }

    #[test]
    fn fields_are_read_by_index() {
        let vals = vec![Some(Val::Int(3)), None, Some(Val::Int(300))];
        assert_eq!(required::<u8>("+X", "a", &vals, 0), Ok(3));
        assert_eq!(optional::<u8>("+X", "b", &vals, 1), Ok(None));
        let e = required::<u8>("+X", "c", &vals, 2).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Value);
        assert_eq!(e.param.as_deref(), Some("c"));
        assert_eq!(
            required::<u8>("+X", "d", &vals, 5).unwrap_err().kind,
            ErrorKind::Arity
        );
    }

    #[test]
    fn groups_round_trip() {
        let vals = vec![
            Val::Str("a".into()),
            Val::Str("b".into()),
            Val::Str("c".into()),
            Val::Str("d".into()),
        ];
        let p: Vec<(String, String)> = pairs("+X", "h", &vals).unwrap();
        assert_eq!(p, vec![("a".into(), "b".into()), ("c".into(), "d".into())]);
        assert_eq!(flatten_pairs(&p), vals);
        let g: Vec<[String; 2]> = groups("+X", "h", &vals).unwrap();
        assert_eq!(flatten_groups(&g), vals);
        assert!(pairs::<String>("+X", "h", &vals[..3]).is_err());
        assert!(groups::<String, 3>("+X", "h", &vals).is_err());
    }
}

/// Reads the typed fields of a request, message or option out of the
/// values the engine bound: `r.req("peer IP", 2)?` is parameter 2, which
/// must be present; errors name the command, message or option (`ctx`) and
/// the parameter.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    ctx: &'a str,
    vals: &'a [Option<Val>],
    rest: &'a [Val],
}

impl<'a> Reader<'a> {
    /// A reader of the parameters and repeated group of `b`, whose errors
    /// name `ctx`.
    pub fn new(ctx: &'a str, b: &'a Bound) -> Self {
        Reader {
            ctx,
            vals: &b.params,
            rest: &b.rest,
        }
    }

    /// A reader of the values of an option, whose errors name `ctx`.
    pub fn option(ctx: &'a str, o: &'a BoundOption) -> Self {
        Reader {
            ctx,
            vals: &o.values,
            rest: &o.rest,
        }
    }

    /// Parameter `i`, which must be present.
    pub fn req<T: Wire>(&self, name: &str, i: usize) -> Result<T, Error> {
        required(self.ctx, name, self.vals, i)
    }

    /// Optional parameter `i`.
    pub fn opt<T: Wire>(&self, name: &str, i: usize) -> Result<Option<T>, Error> {
        optional(self.ctx, name, self.vals, i)
    }

    /// The repeated group, one value each.
    pub fn items<T: Wire>(&self, name: &str) -> Result<Vec<T>, Error> {
        items(self.ctx, name, self.rest)
    }

    /// The repeated group, two values each.
    pub fn pairs<T: Wire>(&self, name: &str) -> Result<Vec<(T, T)>, Error> {
        pairs(self.ctx, name, self.rest)
    }

    /// The repeated group, `N` values each.
    pub fn groups<T: Wire, const N: usize>(&self, name: &str) -> Result<Vec<[T; N]>, Error> {
        groups(self.ctx, name, self.rest)
    }
}

/// Reads the typed fields of a request, a message or an option out of
/// the values the engine bound, naming the command, message or option and
/// each parameter from the description (`r.req(2)?` is parameter 2, which
/// must be present): what the code the engine's macros generate reads
/// through.
#[derive(Debug, Clone, Copy)]
pub struct BoundReader<'a> {
    inner: Reader<'a>,
    ctx: &'a str,
    params: &'a [crate::types::Param],
    rest: &'a str,
    option: Option<&'a BoundOption>,
}

impl<'a> BoundReader<'a> {
    fn with(
        ctx: &'a str,
        params: &'a [crate::types::Param],
        rest: Option<&'a crate::types::Rest>,
        b: &'a Bound,
    ) -> Self {
        BoundReader {
            inner: Reader::new(ctx, b),
            ctx,
            params,
            rest: rest.map_or("values", |r| r.name.as_ref()),
            option: b.option.as_ref(),
        }
    }

    /// A reader of `b`, bound to form `form` of command `command` of `d`.
    pub fn form(d: &'a Dialect, command: usize, form: usize, b: &'a Bound) -> Self {
        let c = d.commands.get(command);
        let f = c.and_then(|c| c.forms.get(form));
        BoundReader::with(
            c.map_or("command", |c| c.name.as_ref()),
            f.map_or(&[][..], |f| f.params.as_ref()),
            f.and_then(|f| f.rest.as_ref()),
            b,
        )
    }

    /// A reader of `b`, bound to message `message` of `d`.
    pub fn message(d: &'a Dialect, message: usize, b: &'a Bound) -> Self {
        let m = d.messages.get(message);
        BoundReader::with(
            m.map_or("message", |m| m.prefix.as_deref().unwrap_or(m.id.as_ref())),
            m.map_or(&[][..], |m| m.fields.as_ref()),
            m.and_then(|m| m.rest.as_ref()),
            b,
        )
    }

    /// A reader of `b`, the fields of declared final result code `index`
    /// of `d` (`DATA ACCEPT: <length>`).
    pub fn final_code(d: &'a Dialect, index: usize, b: &'a Bound) -> Self {
        let f = d.finals.get(index);
        BoundReader::with(
            f.map_or("final result code", |f| f.text.as_ref()),
            f.map_or(&[][..], |f| f.fields.as_ref()),
            None,
            b,
        )
    }

    /// A reader of `o`, an option of `d`: its values read (`read`) or
    /// written.
    pub fn option_values(d: &'a Dialect, o: &'a BoundOption, read: bool) -> Self {
        let opt = d.tables.get(o.table).and_then(|t| t.options.get(o.option));
        let (ctx, params, rest) = match opt {
            Some(x) if read => (x.name.as_ref(), x.read.as_ref(), x.read_rest.as_ref()),
            Some(x) => (x.name.as_ref(), x.values.as_ref(), x.rest.as_ref()),
            None => ("option", &[][..], None),
        };
        BoundReader {
            inner: Reader::option(ctx, o),
            ctx,
            params,
            rest: rest.map_or("values", |r| r.name.as_ref()),
            option: None,
        }
    }

    fn name(&self, i: usize) -> &'a str {
        self.params.get(i).map_or("value", |p| p.name.as_ref())
    }

    /// Value `i`, which must be present.
    pub fn req<T: Wire>(&self, i: usize) -> Result<T, Error> {
        self.inner.req(self.name(i), i)
    }

    /// Optional value `i`.
    pub fn opt<T: Wire>(&self, i: usize) -> Result<Option<T>, Error> {
        self.inner.opt(self.name(i), i)
    }

    /// The repeated group, one value each.
    pub fn items<T: Wire>(&self) -> Result<Vec<T>, Error> {
        self.inner.items(self.rest)
    }

    /// The repeated group, two values each.
    pub fn pairs<T: Wire>(&self) -> Result<Vec<(T, T)>, Error> {
        self.inner.pairs(self.rest)
    }

    /// The repeated group, `N` values each.
    pub fn groups<T: Wire, const N: usize>(&self) -> Result<Vec<[T; N]>, Error> {
        self.inner.groups(self.rest)
    }

    /// The option values, which a line bound to option tables must have.
    pub fn option(&self) -> Result<&'a BoundOption, Error> {
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

/// The wire values of an option with one value.
pub fn one<T: Wire>(v: &T) -> Vec<Option<Val>> {
    Vec::from([Some(v.to_val())])
}

/// A typed value of one of a spec's messages chosen by its index: the
/// generated `Response` and `Urc` enums.
pub trait FromMessage: Sized {
    /// Whether message `message` of the dialect is one of this type's.
    fn accepts(message: usize) -> bool;

    /// The value of message `message` with the values the engine bound.
    fn from_message(message: usize, b: &Bound) -> Result<Self, Error>;

    /// The value of message `message` with the values bound in one pass
    /// out of its line ([`crate::quick`]); `None` for a type that reads
    /// [`Bound`]s only, or a message not of this type. Generated types
    /// implement it.
    fn from_ref(message: usize, b: &BoundRef<'_>) -> Option<Result<Self, Error>> {
        let _ = (message, b);
        None
    }

    /// The value of `line`, message `message` of `d`, read by the decoder
    /// generated for the message ([`crate::direct`]); `None` where it
    /// does not decide (a message or a line it leaves to the engine, a
    /// value that does not fit, another dialect than the type's), and for
    /// a type without generated decoders. Where it gives a value,
    /// [`decode_generic`] gives the same one.
    fn decode_direct(d: &Dialect, message: usize, line: &str) -> Option<Self> {
        let _ = (d, message, line);
        None
    }

    /// [`FromMessage::decode_direct`] of a line the framer cut: `body` is
    /// the line's body as the framer found it (the part of `line` after
    /// its prefix, colon and blanks; the whole line without a prefix), so
    /// that the prefix is not read again. The generated decoders read a
    /// message without a prefix from `body` (the whole line, or what
    /// follows the command's prefix in a bare answer written with it,
    /// E41), and cut `line` again only where `body` opens with a blank or
    /// a non-ASCII character.
    ///
    /// For a line the framer tagged with `message`, other than such a bare
    /// answer written with a prefix, it gives what
    /// [`FromMessage::decode_direct`] gives for `line`.
    fn decode_direct_framed(d: &Dialect, message: usize, line: &str, body: &str) -> Option<Self> {
        Self::decode_direct(d, message, framed_text(d, message, line, body))
    }

    /// [`FromMessage::decode_direct_framed`] with its value given to `k`
    /// where it is built: `Some` of what `k` returns when the generated
    /// decoder takes the line, `None` (and `k` not called) where
    /// [`FromMessage::decode_direct_framed`] gives `None`.
    ///
    /// The generated enums call `k` in the arm of the variant, with the
    /// variant's value: the value is not returned through an `Option` and
    /// copied, and where `k` is inlined, what it does with the value
    /// (dropping it, say) is compiled for that variant alone.
    #[inline]
    fn decode_direct_framed_with<T>(
        d: &Dialect,
        message: usize,
        line: &str,
        body: &str,
        k: impl FnOnce(Self) -> T,
    ) -> Option<T> {
        Self::decode_direct_framed(d, message, line, body).map(k)
    }

    /// [`FromMessage::decode_direct_framed`] written over `value`, reusing
    /// what it holds (the buffers of its strings): `true` when the
    /// generated decoder takes the line, `value` then equal to what
    /// [`FromMessage::decode_direct_framed`] gives; `false`, with `value`
    /// as it was, where that gives `None`.
    ///
    /// A host that looks at each value where it lies and lets it go (see
    /// wip-runtime's `Framer::feed_typed_in`) decodes every line of a
    /// message into the same value, and allocates nothing once its strings
    /// have grown to their length. Generated types implement it in place;
    /// by default the value is decoded anew and moved over `value`.
    #[inline]
    fn decode_direct_framed_over(
        d: &Dialect,
        message: usize,
        line: &str,
        body: &str,
        value: &mut Self,
    ) -> bool {
        match Self::decode_direct_framed(d, message, line, body) {
            Some(v) => {
                *value = v;
                true
            }
            None => false,
        }
    }

    /// [`FromMessage::decode_direct_framed_over`] of the value in `slot`,
    /// or decoded into the empty `slot`: `true` when the generated decoder
    /// takes the line (`slot` then holds its value), `false`, with `slot`
    /// as it was, otherwise.
    #[inline]
    fn decode_direct_framed_in(
        d: &Dialect,
        message: usize,
        line: &str,
        body: &str,
        slot: &mut Option<Self>,
    ) -> bool {
        match slot {
            Some(v) => Self::decode_direct_framed_over(d, message, line, body, v),
            None => match Self::decode_direct_framed(d, message, line, body) {
                Some(v) => {
                    *slot = Some(v);
                    true
                }
                None => false,
            },
        }
    }

    /// [`FromMessage::decode`] of a line the framer tagged with `message`
    /// and cut into its body (`Line::body` of wip-runtime's framer,
    /// `OwnedLine::body` of a kept line): the generated decoder reads the
    /// fields from `body` without comparing the prefix again
    /// ([`FromMessage::decode_direct_framed`]); a line it leaves is decoded
    /// by [`decode_generic`] from `line`, with the same errors as
    /// [`FromMessage::decode`].
    #[inline]
    fn decode_framed(d: &Dialect, message: usize, line: &str, body: &str) -> Result<Self, Error> {
        match Self::decode_direct_framed(d, message, line, body) {
            Some(v) => Ok(v),
            None => decode_generic_framed(d, message, line, body),
        }
    }

    /// Decodes one modem line already known to be message `message` (the
    /// framer tagged it): its fields are read once, not classified again.
    ///
    /// The decoder generated for the message reads the line field by field
    /// straight into the typed value ([`FromMessage::decode_direct`]); a
    /// line it leaves to the engine is decoded by [`decode_generic`], which
    /// also says what is wrong with a line that does not decode.
    #[inline]
    fn decode(d: &Dialect, message: usize, line: &str) -> Result<Self, Error> {
        match Self::decode_direct(d, message, line) {
            Some(v) => Ok(v),
            None => decode_generic(d, message, line),
        }
    }
}

/// [`FromMessage::decode`] by the engine alone, without the generated
/// decoders: the fields are bound in one pass into values borrowed from
/// the line ([`crate::quick::bind`]) and read into the typed value, so a
/// line of numbers allocates nothing; a line that needs the engine's full
/// binder (options past [`crate::quick::MAX_VALUES`] values, a field that
/// does not fit) gets it, with its error.
pub fn decode_generic<T: FromMessage>(d: &Dialect, message: usize, line: &str) -> Result<T, Error> {
    // A bare message is read as the engine reads it: from the body of the
    // bare answer written with its command's prefix (E41), else the line.
    let Some((m, body)) = d.messages.get(message).and_then(|m| match m.prefix {
        None => Some((m, bare_line(d, message, line))),
        Some(_) => Some((m, m.body(line)?)),
    }) else {
        let b = parse_message_as(d, message, line)?;
        return T::from_message(message, &b);
    };
    if let Some(Some(Ok(v))) = crate::quick::bind(d, m, body).map(|b| T::from_ref(message, &b)) {
        return Ok(v);
    }
    if let Some(r) = with_scratch(|b| {
        crate::message::bind_quick(d, m, body, b).then(|| T::from_message(message, b))
    }) {
        return r;
    }
    let b = parse_message_as(d, message, line)?;
    T::from_message(message, &b)
}

/// [`decode_generic`] of a line the framer tagged with `message` and cut
/// into `body`: a message without a prefix is decoded from the body, which
/// is the whole line, or what follows the command's prefix in a bare
/// answer written with it (E41: `+WIPBR: 6,1` for `6,1`); any other from
/// the line.
pub fn decode_generic_framed<T: FromMessage>(
    d: &Dialect,
    message: usize,
    line: &str,
    body: &str,
) -> Result<T, Error> {
    decode_generic(d, message, framed_text(d, message, line, body))
}

/// What message `message` is read from in `line`, which the framer cut
/// into `body`: the line, or for a bare message [`bare_text`].
fn framed_text<'a>(d: &Dialect, message: usize, line: &'a str, body: &'a str) -> &'a str {
    match d.messages.get(message) {
        Some(m) if m.prefix.is_none() => bare_text(d, message, line, body),
        _ => line,
    }
}

/// What bare message `message` (one without a prefix) is read from in
/// `line`, which the framer cut into `body`: the body where the line is
/// that message written with the prefix of a command that has it among its
/// responses (E41: `+WIPBR: 6,1` for `6,1`), else the whole line (a line
/// the framer found no prefix in, or free text that happens to open like
/// one: `+FOO: x` answering `AT+WIPCFG=3` is all text), as
/// [`parse_message_as`] reads it.
#[inline]
pub fn bare_text<'a>(d: &Dialect, message: usize, line: &'a str, body: &'a str) -> &'a str {
    if body.len() == line.len() {
        return line;
    }
    prefixed_bare(d, message, line, body).unwrap_or(line)
}

/// [`bare_text`] of a whole line, cut as the framer cuts it: what bare
/// message `message` is read from in `line`.
#[inline]
pub fn bare_line<'a>(d: &Dialect, message: usize, line: &'a str) -> &'a str {
    if !line.starts_with('+') {
        return line;
    }
    let parts = classify::parts(line.as_bytes());
    let body = line
        .get(line.len().saturating_sub(parts.body.len())..)
        .unwrap_or(line);
    bare_text(d, message, line, body)
}

/// [`bare_text`] of a line cut after a prefix: `body` when the prefix is
/// the name of a command that has `message` among its responses.
#[cold]
#[inline(never)]
fn prefixed_bare<'a>(d: &Dialect, message: usize, line: &str, body: &'a str) -> Option<&'a str> {
    let head = line.get(..line.len().checked_sub(body.len())?)?;
    let prefix = head.trim_end_matches(|c: char| c == ':' || c.is_ascii_whitespace());
    d.commands
        .iter()
        .any(|c| {
            prefix.eq_ignore_ascii_case(c.name.as_ref())
                && c.forms.iter().any(|f| f.responses.contains(&message))
        })
        .then_some(body)
}

/// Runs `f` with the values bound last on this thread, to bind the next
/// line into without allocating; a fresh [`Bound`] without std or when
/// `f` runs inside itself.
#[cfg(feature = "std")]
fn with_scratch<R>(f: impl FnOnce(&mut Bound) -> Option<R>) -> Option<R> {
    std::thread_local! {
        static SCRATCH: core::cell::RefCell<Bound> = core::cell::RefCell::new(Bound::default());
    }
    let mut f = Some(f);
    let r = SCRATCH
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut b) => f.take().and_then(|f| f(&mut b)),
            Err(_) => None,
        })
        .ok()
        .flatten();
    match (r, f) {
        (Some(r), _) => Some(r),
        (None, Some(f)) => f(&mut Bound::default()),
        (None, None) => None,
    }
}

#[cfg(not(feature = "std"))]
fn with_scratch<R>(f: impl FnOnce(&mut Bound) -> Option<R>) -> Option<R> {
    f(&mut Bound::default())
}

/// A typed error-code enum (the generated `CmeError`), unknown codes kept;
/// `u32` stands for the code alone, where no command set types it.
pub trait FromCode: Sized + core::fmt::Debug {
    /// The value of an error code.
    fn from_code(code: u32) -> Self;

    /// What the command set's source says the code means (`"stack
    /// already started"`); `None` for a code it does not define, and for
    /// a bare `u32`.
    fn text(&self) -> Option<&'static str> {
        None
    }
}

impl FromCode for u32 {
    fn from_code(code: u32) -> Self {
        code
    }
}

/// A typed request of one command form, as generated bindings define
/// them: the generated type holds the typed fields and converts them to
/// and from the engine's [`Bound`]; everything else (validating, encoding,
/// parsing, the data session) is provided here, once, from the command
/// set's description.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a typed request",
    label = "a typed request (a generated form's type) is needed here",
    note = "a generated `new` checks its arguments and returns a `Result`: send what is inside it, `client.send(&Form::new(…)?)`"
)]
pub trait TypedCommand: Sized {
    /// Index of the command in [`TypedCommand::dialect`].
    const COMMAND: usize;
    /// Index of the form in its command.
    const FORM: usize;
    /// How long to wait for the final result code, in milliseconds.
    const TIMEOUT_MS: u32;
    /// Whether the form's values are checked and its line written by
    /// generated code ([`TypedCommand::write_checked`]), the engine
    /// being left the values that fail.
    const CHECKED_DIRECTLY: bool = false;

    /// The typed information responses of this form: the struct of the one
    /// message it lists, an enum of its own when it lists several, or
    /// [`NoResponse`](crate::answer::NoResponse) when it lists none.
    /// Plain data, so that an async client's answer can cross threads.
    type Response: FromMessage + Send;
    /// The typed error codes of `+CME ERROR: <code>`.
    type Error: FromCode;

    /// The command set the form belongs to.
    fn dialect() -> &'static Dialect;

    /// The values as the engine binds them.
    fn to_bound(&self) -> Bound;

    /// [`TypedCommand::to_bound`] into `b`, reusing its buffers: a client
    /// binds every request it sends into the same values. Generated
    /// requests implement it without allocating for their integers.
    fn to_bound_into(&self, b: &mut Bound) {
        *b = self.to_bound();
    }

    /// The request of values the engine bound to this form.
    fn from_bound(b: &Bound) -> Result<Self, Error>;

    /// Appends the command line (without its `<CR>`) to `out` and gives
    /// `true` when the values hold as they are: the line is then exactly
    /// what [`crate::command::checked_line`] gives for
    /// [`TypedCommand::to_bound`]. Gives `false`, with `out` as it was,
    /// when they may not: the caller then checks and formats through
    /// the engine, which names the fault. `b` is scratch: the values may
    /// be bound into it (to check rules across parameters), or not.
    ///
    /// Generated requests of forms whose parameters are all simple (no
    /// option table, repeated group or free text) implement it with their
    /// ranges, lengths and value sets as constants; the others keep this
    /// default, which gives `false`.
    fn write_checked(&self, out: &mut String, b: &mut Bound) -> bool {
        let _ = (out, b);
        false
    }

    /// Checks the values as the modem checks the line (after a change to a
    /// field): ranges, lengths, option tables and rules across parameters.
    fn validate(&self) -> Result<(), Error> {
        crate::command::validate_command(
            Self::dialect(),
            Self::COMMAND,
            Self::FORM,
            &self.to_bound(),
        )
    }

    /// The command line, without its `<CR>`.
    fn encode(&self) -> String {
        crate::command::format_command(Self::dialect(), Self::COMMAND, Self::FORM, &self.to_bound())
    }

    /// The bytes sent: the command line and its `<CR>`.
    fn to_bytes(&self) -> Vec<u8> {
        let mut line = self.encode();
        line.push('\r');
        line.into_bytes()
    }

    /// Parses a command line (without its `<CR>`) of this form.
    fn parse(line: &str) -> Result<Self, Error> {
        let d = Self::dialect();
        let p = crate::command::parse_command(d, line)?;
        if (p.command, p.form) != (Self::COMMAND, Self::FORM) {
            return Err(wrong_form(
                d,
                (Self::COMMAND, Self::FORM),
                (p.command, p.form),
                line,
            ));
        }
        Self::from_bound(&p.values)
    }

    /// The request as the engine's parsed command line.
    fn parsed(&self) -> crate::command::ParsedCommand {
        crate::command::ParsedCommand {
            command: Self::COMMAND,
            form: Self::FORM,
            values: self.to_bound(),
        }
    }

    /// The data mode the request opens, if it opens one.
    fn outcome(&self) -> Option<&'static crate::types::Outcome> {
        crate::command::outcome(Self::dialect(), &self.parsed())
    }
}

/// A typed information response or URC, as generated bindings define them;
/// parsing, formatting and validating are provided here from the command
/// set's description.
pub trait TypedMessage: Sized {
    /// Index of the message in [`TypedMessage::dialect`].
    const MESSAGE: usize;

    /// The command set the message belongs to.
    fn dialect() -> &'static Dialect;

    /// The values as the engine binds them.
    fn to_bound(&self) -> Bound;

    /// [`TypedCommand::to_bound`] into `b`, reusing its buffers: a client
    /// binds every request it sends into the same values. Generated
    /// requests implement it without allocating for their integers.
    fn to_bound_into(&self, b: &mut Bound) {
        *b = self.to_bound();
    }

    /// The message of values the engine bound to it.
    fn from_bound(b: &Bound) -> Result<Self, Error>;

    /// Checks the values as the parser checks the line (after a change to
    /// a field).
    fn validate(&self) -> Result<(), Error> {
        validate_message(Self::dialect(), Self::MESSAGE, &self.to_bound())
    }

    /// The line, without its `<CR><LF>` framing.
    fn format(&self) -> String {
        format_message(Self::dialect(), Self::MESSAGE, &self.to_bound())
    }

    /// Parses one modem line (without its `<CR><LF>`) as this message.
    fn parse(line: &str) -> Result<Self, Error> {
        let b = parse_message_as(Self::dialect(), Self::MESSAGE, line)?;
        Self::from_bound(&b)
    }
}

/// A typed final result code a spec declares (`SEND OK`, `DATA ACCEPT:
/// <length>`), as generated bindings define them: its fields typed,
/// parsing and formatting provided here from the command set's
/// description.
pub trait TypedFinal: Sized {
    /// Index of the final result code in [`Dialect::finals`].
    const FINAL: u16;
    /// Whether it reports success.
    const SUCCESS: bool;
    /// The [`crate::Final`] the framer and the engine give for it.
    const CODE: crate::Final = crate::Final::Custom {
        index: Self::FINAL,
        success: Self::SUCCESS,
    };

    /// The command set it belongs to.
    fn dialect() -> &'static Dialect;

    /// The values as the engine binds them.
    fn to_bound(&self) -> Bound;

    /// [`TypedCommand::to_bound`] into `b`, reusing its buffers: a client
    /// binds every request it sends into the same values. Generated
    /// requests implement it without allocating for their integers.
    fn to_bound_into(&self, b: &mut Bound) {
        *b = self.to_bound();
    }

    /// The final result code of values the engine bound to it.
    fn from_bound(b: &Bound) -> Result<Self, Error>;

    /// Parses the line (without its `<CR><LF>`) as this final result code.
    fn parse(line: &str) -> Result<Self, Error> {
        let b = crate::finals::bind_final(Self::dialect(), usize::from(Self::FINAL), line)?;
        Self::from_bound(&b)
    }

    /// The line, without its `<CR><LF>` framing.
    fn format(&self) -> String {
        crate::finals::format_final(Self::dialect(), usize::from(Self::FINAL), &self.to_bound())
    }
}

/// A typed request whose real outcome comes after its final result code
/// as a URC (`OK` now, `+CIPOPEN: <link>,<err>` when the connection is
/// up): generated for every form with a `completion`.
pub trait TypedCompletion: TypedCommand {
    /// The typed URC that completes it.
    type Completion: FromMessage;
}

/// What the generated [`TypedCommand::write_checked`] of a simple form
/// runs for each of its parameters (see `__direct!`): each writes its
/// field's separator and value into the line, keeps track of where the
/// line ends once trailing absent values are cut (as
/// [`crate::command::format_command`] cuts them), and gives `false` for
/// a value the engine's check would refuse.
#[doc(hidden)]
pub mod direct {
    use super::Wire;
    use crate::types::{Dialect, Ty};
    use crate::value::Val;
    use alloc::string::String;

    fn sep(out: &mut String, items: &mut usize) {
        if *items > 0 {
            out.push(',');
        }
        *items += 1;
    }

    /// A constant of the form, already in its wire form.
    #[inline]
    pub fn lit(out: &mut String, kept: &mut usize, items: &mut usize, text: &str) -> bool {
        sep(out, items);
        out.push_str(text);
        *kept = out.len();
        true
    }

    /// A value left out: an empty field, kept only when the spec keeps it.
    #[inline]
    pub fn none(out: &mut String, kept: &mut usize, items: &mut usize, keep: bool) -> bool {
        sep(out, items);
        if keep {
            *kept = out.len();
        }
        true
    }

    /// An integer in `min..=max`.
    #[inline]
    pub fn int<T: Wire>(
        out: &mut String,
        kept: &mut usize,
        items: &mut usize,
        v: &T,
        min: i64,
        max: i64,
    ) -> bool {
        let Val::Int(n) = v.to_val() else {
            return false;
        };
        if n < min || n > max {
            return false;
        }
        sep(out, items);
        out.push_str(itoa::Buffer::new().format(n));
        *kept = out.len();
        true
    }

    /// An integer of a value set, one of `allowed`.
    #[inline]
    pub fn one_of<T: Wire>(
        out: &mut String,
        kept: &mut usize,
        items: &mut usize,
        v: &T,
        allowed: &[i64],
    ) -> bool {
        let Val::Int(n) = v.to_val() else {
            return false;
        };
        if !allowed.contains(&n) {
            return false;
        }
        sep(out, items);
        out.push_str(itoa::Buffer::new().format(n));
        *kept = out.len();
        true
    }

    /// The rules across parameters of form `form` of command `command`
    /// hold for the values bound in `b`.
    #[inline]
    pub fn rules(d: &Dialect, command: usize, form: usize, b: &crate::Bound) -> bool {
        d.commands
            .get(command)
            .and_then(|c| c.forms.get(form))
            .is_some_and(|f| crate::rules::check(d, &f.params, &b.params, &f.rules).is_ok())
    }

    /// A quoted value of type `ty` (a string, host or address).
    #[inline]
    pub fn quoted<T: Wire>(
        out: &mut String,
        kept: &mut usize,
        items: &mut usize,
        d: &Dialect,
        ty: &Ty,
        v: &T,
    ) -> bool {
        sep(out, items);
        out.push('"');
        let start = out.len();
        v.write_wire(out);
        if !crate::value::quoted_holds(d, ty, out.get(start..).unwrap_or_default()) {
            return false;
        }
        out.push('"');
        *kept = out.len();
        true
    }
}
