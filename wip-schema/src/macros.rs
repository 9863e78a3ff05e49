//! The macros generated bindings expand to: what every generated value
//! set, option table, error enum and enum of requests or messages would
//! otherwise spell out (`ALL`, `from_code`, `name`, the conversions to and
//! from [`Bound`](crate::Bound) ...), written once here, as prost leaves
//! the wire work of its generated messages to `prost::Message`.
//!
//! The generated file keeps the type definitions, with their docs from the
//! spec; an invocation lists what varies per type (variant, code, name),
//! one short entry per variant. The expansions refer to the generated
//! file's `DIALECT`, `Request`, `Response` and `CmeError`, which every
//! generated file defines, and import [`crate::prelude`] in an anonymous
//! `const` block, so that a module's own `Result` alias cannot change
//! their meaning.

/// The inherent `ALL`, `code`, `from_code` and `name` of a generated
/// value-set enum (`#[repr(i64)]`, its codes as discriminants), with
/// `Display` (the source's name) and [`Wire`](crate::typed::Wire) (the
/// code): `Name[count] { Variant "source name", ... }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __value_set {
    ($name:ident[$n:literal] { $($v:ident $s:literal),* $(,)? }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl $name {
                /// Every value, in the order of their codes.
                pub const ALL: [Self; $n] = [$(Self::$v),*];

                /// The code on the wire.
                pub const fn code(self) -> i64 {
                    self as i64
                }

                /// The value of a code; `None` for a code the set does not have.
                pub const fn from_code(code: i64) -> Option<Self> {
                    $(if code == Self::$v as i64 {
                        return Some(Self::$v);
                    })*
                    None
                }

                /// The source's name for the value.
                pub const fn name(self) -> &'static str {
                    match self {
                        $(Self::$v => $s,)*
                    }
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(self.name())
                }
            }

            impl wip::typed::Wire for $name {
                fn to_val(&self) -> wip::Val {
                    wip::Val::Int(self.code())
                }
                fn from_val(v: &wip::Val) -> Option<Self> {
                    v.as_int().and_then(Self::from_code)
                }
                fn from_ref(v: wip::quick::ValRef<'_>) -> Option<Self> {
                    v.as_int().and_then(Self::from_code)
                }
            }
        };
    };
}

/// The methods of the enum of a value set of strings, whose wire form is
/// the quoted string: `Name[count] { Variant "WIRE" "name", ... }`, in the
/// order of their strings.
#[doc(hidden)]
#[macro_export]
macro_rules! __text_set {
    ($name:ident[$n:literal] { $($v:ident $w:literal $s:literal),* $(,)? }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl $name {
                /// Every value, in the order of their strings.
                pub const ALL: [Self; $n] = [$(Self::$v),*];

                /// The string on the wire, without its quotes.
                pub const fn wire(self) -> &'static str {
                    match self {
                        $(Self::$v => $w,)*
                    }
                }

                /// The value of a string (matched case-sensitively); `None`
                /// for a string the set does not have.
                pub fn from_wire(s: &str) -> Option<Self> {
                    match s {
                        $($w => Some(Self::$v),)*
                        _ => None,
                    }
                }

                /// The source's name for the value.
                pub const fn name(self) -> &'static str {
                    match self {
                        $(Self::$v => $s,)*
                    }
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(self.name())
                }
            }

            impl wip::typed::Wire for $name {
                fn to_val(&self) -> wip::Val {
                    wip::Val::Str(self.wire().into())
                }
                fn from_val(v: &wip::Val) -> Option<Self> {
                    v.as_str().and_then(Self::from_wire)
                }
            }
        };
    };
}

/// The enum of the options of one table (declared without discriminants,
/// in the table's order, so that a variant's discriminant is its index):
/// `Name[count] in table_index "table id" { Variant id "NAME", ... }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __option_table {
    ($name:ident[$n:literal] in $ti:literal $tid:literal {
        $($v:ident $id:literal $s:literal),* $(,)?
    }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl $name {
                /// Index of the table in [`DIALECT`].
                pub const TABLE: usize = $ti;

                /// Every option, by number.
                pub const ALL: [Self; $n] = [$(Self::$v),*];

                /// The option number on the wire.
                pub const fn id(self) -> i64 {
                    match self {
                        $(Self::$v => $id,)*
                    }
                }

                /// The option of a number; `None` for a number the table does not have.
                pub const fn from_id(id: i64) -> Option<Self> {
                    $(if id == $id {
                        return Some(Self::$v);
                    })*
                    None
                }

                /// Index of the option in its table in [`DIALECT`].
                pub const fn index(self) -> usize {
                    self as usize
                }

                /// The source's symbolic name of the option.
                pub const fn name(self) -> &'static str {
                    match self {
                        $(Self::$v => $s,)*
                    }
                }

                /// The option alone, as the engine binds the option a command reads.
                pub fn to_bound_option(self) -> wip::BoundOption {
                    wip::BoundOption {
                        table: Self::TABLE,
                        option: self.index(),
                        values: Vec::new(),
                        rest: Vec::new(),
                    }
                }

                /// Never read directly (a message names options with
                /// their values): `None`, the engine decides.
                #[doc(hidden)]
                #[inline]
                pub fn decode_direct_option(
                    c: &mut wip::direct::Cursor<'_>,
                    id: i64,
                ) -> ::core::option::Option<Self> {
                    let _ = (c, id);
                    None
                }

                /// [`Self::decode_direct_option`] for the table of `key`:
                /// `None` too.
                #[doc(hidden)]
                #[inline]
                pub fn decode_direct_keyed(
                    c: &mut wip::direct::Cursor<'_>,
                    key: i64,
                    id: i64,
                ) -> ::core::option::Option<Self> {
                    let _ = (c, key, id);
                    None
                }

                /// The option the engine bound.
                pub fn from_bound_option(o: &wip::BoundOption) -> Result<Self, wip::Error> {
                    match Self::ALL.get(o.option) {
                        Some(v) if o.table == Self::TABLE => Ok(*v),
                        _ => Err(wip::typed::no_such_option(
                            ::core::concat!("option table ", $tid),
                            o,
                        )),
                    }
                }

                /// The option named by a line bound in one pass (see
                /// [`wip::quick`]).
                pub fn from_ref_option(
                    b: &wip::quick::BoundRef<'_>,
                    o: &wip::quick::OptionRef,
                ) -> Result<Self, wip::Error> {
                    let _ = b;
                    match Self::ALL.get(o.option) {
                        Some(v) if o.table == Self::TABLE => Ok(*v),
                        _ => Err(wip::quick::no_such_option(
                            ::core::concat!("option table ", $tid),
                            o,
                        )),
                    }
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(self.name())
                }
            }
        };
    };
}

/// The options of a table with their values written (`written`) or read
/// (`read`): `Name: IdEnum written "table id" { Entry = index, ... }`, an
/// entry being `Variant` (no value), `Variant(req field 0)` (one value,
/// the tuple variant's binding named `field`) or `Variant { req a 0, opt b
/// 1, pairs c }` (several), with `index` the option's index in its table.
#[doc(hidden)]
#[macro_export]
macro_rules! __option_values {
    ($name:ident: $ids:ident $access:ident $tid:literal {
        $($v:ident
            $(($tk:ident $tf:ident $($ti:literal)?))?
            $({ $($sk:ident $sf:ident $($si:literal)?),* $(,)? })?
            = $oi:literal),* $(,)?
    }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl $name {
                /// The option.
                pub const fn option(&self) -> $ids {
                    match self {
                        $(Self::$v $(($crate::__wild!($tf)))? $({ $($sf: _),* })? => $ids::$v,)*
                    }
                }

                /// The option number on the wire.
                pub const fn id(&self) -> i64 {
                    self.option().id()
                }

                /// The option and its values, as the engine binds them.
                pub fn to_bound_option(&self) -> wip::BoundOption {
                    let (option, values, rest) = match self {
                        $(Self::$v $(($tf))? $({ $($sf),* })? => {
                            #[allow(unused_mut)]
                            let mut values = Vec::new();
                            #[allow(unused_mut)]
                            let mut rest = Vec::new();
                            $($crate::__put!(values rest; $tk $tf);)?
                            $($($crate::__put!(values rest; $sk $sf);)*)?
                            ($oi, values, rest)
                        })*
                    };
                    wip::BoundOption {
                        table: $ids::TABLE,
                        option,
                        values,
                        rest,
                    }
                }

                /// The option and values the engine bound.
                pub fn from_bound_option(o: &wip::BoundOption) -> Result<Self, wip::Error> {
                    let ctx = ::core::concat!("option table ", $tid);
                    if o.table != $ids::TABLE {
                        return Err(wip::typed::no_such_option(ctx, o));
                    }
                    let r = wip::typed::BoundReader::option_values(
                        &DIALECT,
                        o,
                        $crate::__is_read!($access),
                    );
                    let _ = &r;
                    match o.option {
                        $($oi => Ok(Self::$v
                            $(($crate::__get!(r; $tk $($ti)?)))?
                            $({ $($sf: $crate::__get!(r; $sk $($si)?)),* })?
                        ),)*
                        _ => Err(wip::typed::no_such_option(ctx, o)),
                    }
                }

                /// The option numbered `id` and its values, read by the
                /// cursor `c` at its first value (see [`wip::direct`]);
                /// `None` where the engine decides (an option of a
                /// repeated group, optional values or rules, a value that
                /// does not fit, a number the table does not have).
                #[doc(hidden)]
                #[inline]
                pub fn decode_direct_option(
                    c: &mut wip::direct::Cursor<'_>,
                    id: i64,
                ) -> ::core::option::Option<Self> {
                    Self::decode_direct_for(c, None, id)
                }

                /// [`Self::decode_direct_option`] for the table of `key`:
                /// an option `key` has no access to at all ("-" in the
                /// manual's table) is no line's, and left to the engine.
                #[doc(hidden)]
                #[inline]
                pub fn decode_direct_keyed(
                    c: &mut wip::direct::Cursor<'_>,
                    key: i64,
                    id: i64,
                ) -> ::core::option::Option<Self> {
                    Self::decode_direct_for(c, Some(key), id)
                }

                /// The one body of the two above: the option looked up
                /// once, its access checked where a key picked the table.
                #[inline]
                #[allow(unreachable_code)]
                fn decode_direct_for(
                    c: &mut wip::direct::Cursor<'_>,
                    key: ::core::option::Option<i64>,
                    id: i64,
                ) -> ::core::option::Option<Self> {
                    let oi = $ids::from_id(id)?.index();
                    let opt = DIALECT.tables.get($ids::TABLE)?.options.get(oi)?;
                    if key.is_some() && opt.access_for(key) == wip::Access::None {
                        return None;
                    }
                    let mut vals = [None; wip::direct::OPTION_VALUES];
                    c.option_values(&DIALECT, opt, $crate::__is_read!($access), &mut vals)?;
                    let _ = &vals;
                    match oi {
                        $($oi => Some(Self::$v
                            $(($crate::__direct_value!(vals; $tk $($ti)?)))?
                            $({ $($sf: $crate::__direct_value!(vals; $sk $($si)?)),* })?
                        ),)*
                        _ => None,
                    }
                }

                /// The option and values bound in one pass out of a line
                /// (see [`wip::quick`]).
                pub fn from_ref_option(
                    b: &wip::quick::BoundRef<'_>,
                    o: &wip::quick::OptionRef,
                ) -> Result<Self, wip::Error> {
                    let ctx = ::core::concat!("option table ", $tid);
                    if o.table != $ids::TABLE {
                        return Err(wip::quick::no_such_option(ctx, o));
                    }
                    let r = wip::quick::RefReader::option_values(
                        &DIALECT,
                        b,
                        o,
                        $crate::__is_read!($access),
                    );
                    let _ = &r;
                    match o.option {
                        $($oi => Ok(Self::$v
                            $(($crate::__get!(r; $tk $($ti)?)))?
                            $({ $($sf: $crate::__get!(r; $sk $($si)?)),* })?
                        ),)*
                        _ => Err(wip::quick::no_such_option(ctx, o)),
                    }
                }
            }
        };
    };
}

/// The enum of the option tables a key picks (`+WIPOPT`'s `<protocol>`):
/// `Name "ctx" "key name" { Variant key Table, ... }`.
/// One accessor per option table of a keyed enum:
/// `Name { table Payload [Variant, ...], ... }` gives
/// `fn table(&self) -> Option<&Payload>`, the payload of any of the
/// variants listed.
#[doc(hidden)]
#[macro_export]
macro_rules! __table_getters {
    ($name:ident { $($g:ident $t:ident [$($v:ident),+ $(,)?]),* $(,)? }) => {
        impl $name {
            $(
                #[doc = concat!(
                    "The payload of table `", stringify!($g),
                    "`, whichever key picked it; `None` for another table."
                )]
                #[allow(unreachable_patterns)]
                pub fn $g(&self) -> Option<&$t> {
                    match self {
                        $(Self::$v(v))|+ => Some(v),
                        _ => None,
                    }
                }
            )*
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __keyed_options {
    ($name:ident $ctx:literal $key:literal { $($v:ident $k:literal $t:ident),* $(,)? }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl $name {
                /// The key on the wire.
                pub const fn key(&self) -> i64 {
                    match self {
                        $(Self::$v(_) => $k,)*
                    }
                }

                /// The option number on the wire.
                pub fn id(&self) -> i64 {
                    match self {
                        $(Self::$v(o) => o.id(),)*
                    }
                }

                /// The option and its values, as the engine binds them.
                pub fn to_bound_option(&self) -> wip::BoundOption {
                    match self {
                        $(Self::$v(o) => o.to_bound_option(),)*
                    }
                }

                /// The option numbered `id` of the table `key` picks and
                /// its values, read by the cursor `c` at its first value;
                /// `None` where the engine decides (see the tables'
                /// `decode_direct_option`, and a key of no table).
                #[doc(hidden)]
                #[inline]
                pub fn decode_direct_option(
                    c: &mut wip::direct::Cursor<'_>,
                    key: i64,
                    id: i64,
                ) -> ::core::option::Option<Self> {
                    $(if key == $k {
                        return Some(Self::$v($t::decode_direct_keyed(c, key, id)?));
                    })*
                    None
                }

                /// The option of a key and the option values the engine bound.
                pub fn from_bound_option(key: i64, o: &wip::BoundOption) -> Result<Self, wip::Error> {
                    $(if key == $k {
                        return Ok(Self::$v($t::from_bound_option(o)?));
                    })*
                    Err(wip::typed::no_such_key($ctx, $key, key))
                }

                /// The option of a key and the option values bound in one
                /// pass out of a line (see [`wip::quick`]).
                pub fn from_ref_option(
                    key: i64,
                    b: &wip::quick::BoundRef<'_>,
                    o: &wip::quick::OptionRef,
                ) -> Result<Self, wip::Error> {
                    $(if key == $k {
                        return Ok(Self::$v($t::from_ref_option(b, o)?));
                    })*
                    Err(wip::typed::no_such_key($ctx, $key, key))
                }
            }
        };
    };
}

/// The methods, `Display`, `Error` and [`FromCode`](crate::typed::FromCode)
/// of the error-code enum, whose last variant is `Unknown(u32)`:
/// `Name[count] { #[doc] reserved [(first, last), ...]; Variant code
/// "section", ... }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __error_codes {
    ($name:ident[$n:literal] {
        $(#[$rdoc:meta])*
        reserved [$(($a:literal, $b:literal)),* $(,)?];
        $($v:ident $code:literal $sec:literal),* $(,)?
    }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            $crate::__error_enum_core! {
                $name[$n] {
                    $(#[$rdoc])*
                    reserved [$(($a, $b)),*];
                    $($v $code $sec),*
                }
            }

            impl $name {
                /// The source's text for the code, from [`DIALECT`]; `None` for a
                /// code the spec does not define.
                pub fn text(self) -> Option<&'static str> {
                    match self {
                        Self::Unknown(_) => None,
                        _ => DIALECT.error_text(self.code()),
                    }
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    match self.text() {
                        Some(t) => ::core::write!(f, "+CME ERROR: {}: {}", self.code(), t),
                        None => ::core::write!(f, "+CME ERROR: {}: not defined by the spec", self.code()),
                    }
                }
            }

            impl ::core::error::Error for $name {}
        };
    };
}

/// What the enums of [`__error_codes!`] and [`__error_table!`] share: `ALL`,
/// `RESERVED`, `from_code`, `code`, `section`, `is_reserved` and
/// `FromCode`: `Name[count] { #[doc] reserved [(first, last), ...];
/// Variant code "section", ... }`. Expands inside their `const _` block.
#[doc(hidden)]
#[macro_export]
macro_rules! __error_enum_core {
    ($name:ident[$n:literal] {
        $(#[$rdoc:meta])*
        reserved [$(($a:literal, $b:literal)),* $(,)?];
        $($v:ident $code:literal $sec:literal),* $(,)?
    }) => {
        impl $name {
            /// Every code the source defines, in the order of their numbers.
            pub const ALL: [Self; $n] = [$(Self::$v),*];

            $(#[$rdoc])*
            pub const RESERVED: &'static [(u32, u32)] = &[$(($a, $b)),*];

            /// The error of a code.
            pub const fn from_code(code: u32) -> Self {
                match code {
                    $($code => Self::$v,)*
                    other => Self::Unknown(other),
                }
            }

            /// The code the error line carries.
            pub const fn code(self) -> u32 {
                match self {
                    $(Self::$v => $code,)*
                    Self::Unknown(code) => code,
                }
            }

            /// The source section that defines the code.
            pub const fn section(self) -> Option<&'static str> {
                match self {
                    $(Self::$v => Some($sec),)*
                    Self::Unknown(_) => None,
                }
            }

            /// Whether a code lies in a range the source reserves.
            pub fn is_reserved(code: u32) -> bool {
                Self::RESERVED.iter().any(|(a, b)| (*a..=*b).contains(&code))
            }
        }

        impl wip::typed::FromCode for $name {
            fn from_code(code: u32) -> Self {
                Self::from_code(code)
            }
            fn text(&self) -> Option<&'static str> {
                Self::text(*self)
            }
        }
    };
}

/// The methods, `Display`, `Error` and `Wire` of the enum of a named error table
/// other than `cme`, whose last variant is `Unknown(u32)`: `Name[count] {
/// #[doc] reserved [(first, last), ...]; display "known" "unknown";
/// Variant code "text" "section", ... }`, the display formats taking the
/// code (and the text).
#[doc(hidden)]
#[macro_export]
macro_rules! __error_table {
    ($name:ident[$n:literal] {
        $(#[$rdoc:meta])*
        reserved [$(($a:literal, $b:literal)),* $(,)?];
        display $known:literal $unknown:literal;
        $($v:ident $code:literal $text:literal $sec:literal),* $(,)?
    }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            $crate::__error_enum_core! {
                $name[$n] {
                    $(#[$rdoc])*
                    reserved [$(($a, $b)),*];
                    $($v $code $sec),*
                }
            }

            impl $name {
                /// The source's text for the code; `None` for a code the
                /// table does not define.
                pub const fn text(self) -> Option<&'static str> {
                    match self {
                        $(Self::$v => Some($text),)*
                        Self::Unknown(_) => None,
                    }
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    match self.text() {
                        Some(t) => ::core::write!(f, $known, self.code(), t),
                        None => ::core::write!(f, $unknown, self.code()),
                    }
                }
            }

            impl ::core::error::Error for $name {}

            impl wip::typed::Wire for $name {
                fn to_val(&self) -> wip::Val {
                    wip::Val::Int(i64::from(self.code()))
                }
                fn from_val(v: &wip::Val) -> Option<Self> {
                    let n = v.as_int()?;
                    u32::try_from(n).ok().map(Self::from_code)
                }
                fn from_ref(v: wip::quick::ValRef<'_>) -> Option<Self> {
                    let n = v.as_int()?;
                    u32::try_from(n).ok().map(Self::from_code)
                }
            }
        };
    };
}

/// The methods, `Display` and `FromStr` of the enum of every typed request
/// (one variant per form, named after its type): `Request { Form, ... }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __request_enum {
    ($name:ident { $($v:ident),* $(,)? }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl $name {
                /// Parses a command line (without its `<CR>`) into the form it
                /// selects, checked as the modem checks it.
                pub fn parse(line: &str) -> Result<Self, wip::Error> {
                    let p = wip::parse_command(&DIALECT, line)?;
                    Self::from_bound(p.command, p.form, &p.values)
                }

                /// The request of values the engine bound to a form.
                pub fn from_bound(command: usize, form: usize, b: &wip::Bound) -> Result<Self, wip::Error> {
                    $(if (command, form)
                        == (<$v as wip::typed::TypedCommand>::COMMAND, <$v as wip::typed::TypedCommand>::FORM)
                    {
                        return <$v as wip::typed::TypedCommand>::from_bound(b).map(Self::$v);
                    })*
                    Err(wip::typed::no_such_form(&DIALECT, command, form))
                }

                /// The indexes of the command and its form in [`DIALECT`]: the
                /// pending command that [`Response::parse`] takes.
                pub const fn ids(&self) -> (usize, usize) {
                    match self {
                        $(Self::$v(_) => (
                            <$v as wip::typed::TypedCommand>::COMMAND,
                            <$v as wip::typed::TypedCommand>::FORM,
                        ),)*
                    }
                }

                /// The values as the engine binds them.
                pub fn to_bound(&self) -> wip::Bound {
                    match self {
                        $(Self::$v(v) => wip::typed::TypedCommand::to_bound(v),)*
                    }
                }

                /// [`TypedCommand::write_checked`](wip::typed::TypedCommand::write_checked)
                /// of the request.
                pub fn write_checked(&self, out: &mut String, b: &mut wip::Bound) -> bool {
                    match self {
                        $(Self::$v(v) => wip::typed::TypedCommand::write_checked(v, out, b),)*
                    }
                }

                /// Whether the request's form checks its values directly
                /// ([`TypedCommand::CHECKED_DIRECTLY`](wip::typed::TypedCommand::CHECKED_DIRECTLY)).
                pub const fn checked_directly(&self) -> bool {
                    match self {
                        $(Self::$v(_) => <$v as wip::typed::TypedCommand>::CHECKED_DIRECTLY,)*
                    }
                }

                /// Checks the values as the modem checks the line.
                pub fn validate(&self) -> Result<(), wip::Error> {
                    let (command, form) = self.ids();
                    wip::validate_command(&DIALECT, command, form, &self.to_bound())
                }

                /// The command line, without its `<CR>`.
                pub fn encode(&self) -> String {
                    let (command, form) = self.ids();
                    wip::format_command(&DIALECT, command, form, &self.to_bound())
                }

                /// The bytes sent: the command line and its `<CR>`.
                pub fn to_bytes(&self) -> Vec<u8> {
                    let mut line = self.encode();
                    line.push('\r');
                    line.into_bytes()
                }

                /// How long to wait for the final result code, in milliseconds.
                pub const fn timeout_ms(&self) -> u32 {
                    match self {
                        $(Self::$v(_) => <$v as wip::typed::TypedCommand>::TIMEOUT_MS,)*
                    }
                }

                /// The data mode the request opens, if it opens one.
                pub fn outcome(&self) -> Option<&'static wip::Outcome> {
                    let (command, form) = self.ids();
                    wip::outcome(
                        &DIALECT,
                        &wip::ParsedCommand {
                            command,
                            form,
                            values: self.to_bound(),
                        },
                    )
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(&self.encode())
                }
            }

            impl FromStr for $name {
                type Err = wip::Error;

                fn from_str(line: &str) -> Result<Self, Self::Err> {
                    Self::parse(line)
                }
            }
        };
    };
}

/// The methods shared by the enums of messages (`Urc`, `Response`), and
/// [`FromMessage`](crate::typed::FromMessage) for them; `what` names the
/// kind in errors.
#[doc(hidden)]
#[macro_export]
macro_rules! __message_enum_methods {
    ($name:ident $what:literal { $($v:ident),* }) => {
        impl $name {
            /// Whether message `message` of [`DIALECT`] is one of this enum's.
            pub const fn accepts(message: usize) -> bool {
                false $(|| message == <$v as wip::typed::TypedMessage>::MESSAGE)*
            }

            /// The value of a message the engine bound.
            pub fn from_bound(message: usize, b: &wip::Bound) -> Result<Self, wip::Error> {
                $(if message == <$v as wip::typed::TypedMessage>::MESSAGE {
                    return <$v as wip::typed::TypedMessage>::from_bound(b).map(Self::$v);
                })*
                Err(wip::typed::no_such_message(&DIALECT, message, $what))
            }

            /// Index of the message in [`DIALECT`].
            pub const fn message(&self) -> usize {
                // `*self`: an enum without variants (a spec without URCs)
                // matches no arm.
                match *self {
                    $(Self::$v(_) => <$v as wip::typed::TypedMessage>::MESSAGE,)*
                }
            }

            /// The values as the engine binds them.
            pub fn to_bound(&self) -> wip::Bound {
                match *self {
                    $(Self::$v(ref v) => wip::typed::TypedMessage::to_bound(v),)*
                }
            }

            /// The line, without its `<CR><LF>` framing.
            pub fn format(&self) -> String {
                wip::format_message(&DIALECT, self.message(), &self.to_bound())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.format())
            }
        }

        impl wip::typed::FromMessage for $name {
            fn accepts(message: usize) -> bool {
                Self::accepts(message)
            }
            fn from_message(message: usize, b: &wip::Bound) -> Result<Self, wip::Error> {
                Self::from_bound(message, b)
            }
            fn from_ref(
                message: usize,
                b: &wip::quick::BoundRef<'_>,
            ) -> Option<Result<Self, wip::Error>> {
                $(if message == <$v as wip::typed::TypedMessage>::MESSAGE {
                    return <$v as wip::typed::FromMessage>::from_ref(message, b)
                        .map(|r| r.map(Self::$v));
                })*
                None
            }
            #[inline]
            fn decode_direct(
                d: &wip::Dialect,
                message: usize,
                line: &str,
            ) -> Option<Self> {
                $(if message == <$v as wip::typed::TypedMessage>::MESSAGE {
                    return <$v as wip::typed::FromMessage>::decode_direct(d, message, line)
                        .map(Self::$v);
                })*
                let _ = (d, line);
                None
            }
            #[inline]
            fn decode_direct_framed(
                d: &wip::Dialect,
                message: usize,
                line: &str,
                body: &str,
            ) -> Option<Self> {
                <Self as wip::typed::FromMessage>::decode_direct_framed_with(
                    d, message, line, body, |v| v,
                )
            }
            /// The variant's generated decoder, its value given to `k` in
            /// the variant's own arm (see
            /// [`FromMessage::decode_direct_framed_with`](wip::typed::FromMessage::decode_direct_framed_with)).
            #[inline]
            fn decode_direct_framed_with<T>(
                d: &wip::Dialect,
                message: usize,
                line: &str,
                body: &str,
                k: impl FnOnce(Self) -> T,
            ) -> Option<T> {
                $(if message == <$v as wip::typed::TypedMessage>::MESSAGE {
                    return match <$v as wip::typed::FromMessage>::decode_direct_framed(
                        d, message, line, body,
                    ) {
                        Some(v) => Some(k(Self::$v(v))),
                        None => None,
                    };
                })*
                let _ = (d, line, body, k);
                None
            }
            /// The variant's generated decoder written over the variant's
            /// value where `value` holds the message's variant (reusing
            /// its strings), else decoded anew (see
            /// [`FromMessage::decode_direct_framed_over`](wip::typed::FromMessage::decode_direct_framed_over)).
            #[inline]
            fn decode_direct_framed_over(
                d: &wip::Dialect,
                message: usize,
                line: &str,
                body: &str,
                value: &mut Self,
            ) -> bool {
                $(if message == <$v as wip::typed::TypedMessage>::MESSAGE {
                    #[allow(irrefutable_let_patterns)]
                    if let Self::$v(v) = value {
                        return <$v as wip::typed::FromMessage>::decode_direct_framed_over(
                            d, message, line, body, v,
                        );
                    }
                    return match <$v as wip::typed::FromMessage>::decode_direct_framed(
                        d, message, line, body,
                    ) {
                        Some(v) => {
                            *value = Self::$v(v);
                            true
                        }
                        None => false,
                    };
                })*
                let _ = (d, line, body, value);
                false
            }
            /// [`Self::decode`] of a line the framer cut (see
            /// [`FromMessage::decode_framed`](wip::typed::FromMessage::decode_framed)).
            //
            // Left to the compiler to inline: since the framer's general
            // path went out of line, the `vs_atat` bench runs fewer
            // instructions and is faster with it inlined into its caller.
            #[inline]
            #[allow(unused_labels)]
            fn decode_framed(
                d: &wip::Dialect,
                message: usize,
                line: &str,
                body: &str,
            ) -> Result<Self, wip::Error> {
                'engine: {
                    $(if message == <$v as wip::typed::TypedMessage>::MESSAGE {
                        match <$v as wip::typed::FromMessage>::decode_direct_framed(
                            d, message, line, body,
                        ) {
                            Some(v) => return Ok(Self::$v(v)),
                            None => break 'engine,
                        }
                    })*
                }
                wip::typed::decode_generic_framed(d, message, line, body)
            }
            /// The variant's generated decoder, its value put straight
            /// into the variant; the engine for a line it leaves.
            #[inline]
            #[allow(unused_labels)]
            fn decode(d: &wip::Dialect, message: usize, line: &str) -> Result<Self, wip::Error> {
                'engine: {
                    $(if message == <$v as wip::typed::TypedMessage>::MESSAGE {
                        match <$v as wip::typed::FromMessage>::decode_direct(d, message, line) {
                            Some(v) => return Ok(Self::$v(v)),
                            None => break 'engine,
                        }
                    })*
                }
                wip::typed::decode_generic(d, message, line)
            }
        }
    };
}

/// The methods of the enums of every URC (`Urc`) and every information
/// response (`Response`), one variant per message, named after its type:
/// `Urc { Message, ... } Response { Message, ... }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __message_enums {
    (Urc { $($u:ident),* $(,)? } Response { $($r:ident),* $(,)? }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl Urc {
                /// Parses one modem line (without its `<CR><LF>`) as an
                /// unsolicited result code.
                pub fn parse(line: &str) -> Result<Self, wip::Error> {
                    let p = wip::parse_message(&DIALECT, line, None)?;
                    Self::from_bound(p.message, &p.values)
                }
            }

            impl FromStr for Urc {
                type Err = wip::Error;

                fn from_str(line: &str) -> Result<Self, Self::Err> {
                    Self::parse(line)
                }
            }

            impl Response {
                /// Parses one modem line (without its `<CR><LF>`) as a
                /// response of the pending command, given by
                /// [`Request::ids`]; a URC is an error here. The ids name
                /// the form, not its values: whether the line repeats the
                /// values the command gave (`+WIPBR: 6,11,...` for
                /// `AT+WIPBR=3,6,11`) is not checked here (nor by the
                /// clients' `send`); `wip_schema::check_echo` and
                /// `wip verify` check it.
                pub fn parse(line: &str, pending: (usize, usize)) -> Result<Self, wip::Error> {
                    let p = wip::parse_message(&DIALECT, line, Some(pending))?;
                    if !p.solicited {
                        return Err(wip::typed::not_a_response(&DIALECT, pending, line));
                    }
                    Self::from_bound(p.message, &p.values)
                }
            }

            $crate::__message_enum_methods!(Urc "URC" { $($u),* });
            $crate::__message_enum_methods!(Response "response" { $($r),* });
        };
    };
}

/// A typed request of one command form: its `new`, the
/// [`TypedCommand`](crate::typed::TypedCommand) impl (conversions to and
/// from [`Bound`](crate::Bound)), `Display` (the line), `FromStr` (parsing
/// a line) and `From` for the enum of every request:
///
/// ```text
/// Name in Request: command, form, timeout_ms -> Answer {
///     new(field: Type, ...);
///     with(with_field(field i: Type, after outer j), ...; rest with_group(group): pairs Type);
///     (entry), ...
/// }
/// ```
///
/// `-> Answer` names the form's response type (left out: it lists none,
/// [`NoResponse`](crate::answer::NoResponse)). Without `with(...)`, `new`
/// takes every field and checks the whole request; with it (a form with
/// optional parameters), `new` takes the required fields, checking each
/// value, and each `with_field` setter sets one optional field, checking
/// its value and, with `after outer j`, that the parameter it is nested in
/// is set. With `; rest with_group(group): pairs Type` (or `items Type`)
/// last in `with(...)`, the repeated group starts empty and its setter
/// sets it.
///
/// with one entry per parameter of the form, in order (see [`__wire!`]),
/// and the repeated group last.
#[doc(hidden)]
#[macro_export]
macro_rules! __typed_command {
    ($name:ident in $all:ident: $c:literal, $f:literal, $t:literal {
        $($body:tt)*
    }) => {
        $crate::__typed_command! {
            $name in $all: $c, $f, $t -> $crate::answer::NoResponse { $($body)* }
        }
    };
    ($name:ident in $all:ident: $c:literal, $f:literal, $t:literal -> $resp:ty {
        $(direct($($d:tt)*);)?
        new($($arg:ident: $aty:ty),* $(,)?);
        $($e:tt),* $(,)?
    }) => {
        $crate::__typed_command! {
            $name in $all: $c, $f, $t -> $resp {
                $(direct($($d)*);)?
                new($($arg: $aty),*);
                checked();
                $($e),*
            }
        }
    };
    ($name:ident in $all:ident: $c:literal, $f:literal, $t:literal -> $resp:ty {
        $(direct($($d:tt)*);)?
        new($($arg:ident: $aty:ty),* $(,)?);
        with(
            $($set:ident($oarg:ident $oi:literal: $oty:ty $(, after $outer:ident $ou:literal)?)),* $(,)?
            $(; rest $rset:ident($rarg:ident): $rk:ident $rty:ty)?
        );
        $($e:tt),* $(,)?
    }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl $name {
                /// Builds the request from its required parameters, each
                /// checked against its range; the optional ones start left
                /// out (set them with the `with_` methods). Rules across
                /// parameters are checked by `validate`, which sending
                /// runs.
                #[allow(clippy::too_many_arguments)]
                pub fn new($($arg: $aty),*) -> Result<Self, wip::Error> {
                    let v = Self {
                        $($arg: ::core::convert::Into::into($arg),)*
                        $($oarg: None,)*
                        $($rarg: ::core::default::Default::default(),)?
                    };
                    v.check_required()?;
                    Ok(v)
                }

                $($crate::__typed_command!(@rest $rset $rarg $rk $rty);)?

                $(
                    #[doc = concat!(
                        "Sets the optional field `", stringify!($oarg),
                        "`, checked against its range; an error names the parameter."
                    )]
                    pub fn $set(mut self, $oarg: $oty) -> Result<Self, wip::Error> {
                        let $oarg = ::core::convert::Into::into($oarg);
                        $crate::answer::check_param(&DIALECT, $c, $f, $oi, &$oarg)?;
                        $(if self.$outer.is_none() {
                            return Err($crate::answer::nested_unset(&DIALECT, $c, $f, $oi, $ou));
                        })?
                        self.$oarg = Some($oarg);
                        Ok(self)
                    }
                )*

                fn check_required(&self) -> Result<(), wip::Error> {
                    let b = wip::typed::TypedCommand::to_bound(self);
                    $crate::answer::check_bound(&DIALECT, $c, $f, &b.params)
                }
            }
            $crate::__typed_command!(@impls $name in $all: $c, $f, $t -> $resp {
                $($arg, )* $($oarg, )* $($rarg, )?; $($e),*
            } $(direct($($d)*))?);
        };
    };
    (@rest $set:ident $f:ident pairs $t:ty) => {
        #[doc = concat!(
            "Sets the repeated group `", stringify!($f),
            "` (empty until set) to these pairs, in order; their values are \
             checked when the request is sent."
        )]
        pub fn $set<N: Into<$t>, V: Into<$t>>(
            mut self,
            $f: impl IntoIterator<Item = (N, V)>,
        ) -> Self {
            self.$f = $f.into_iter().map(|(n, v)| (n.into(), v.into())).collect();
            self
        }
    };
    (@rest $set:ident $f:ident items $t:ty) => {
        #[doc = concat!(
            "Sets the repeated group `", stringify!($f),
            "` (empty until set) to these items, in order; their values are \
             checked when the request is sent."
        )]
        pub fn $set<I: Into<$t>>(mut self, $f: impl IntoIterator<Item = I>) -> Self {
            self.$f = $f.into_iter().map(Into::into).collect();
            self
        }
    };
    ($name:ident in $all:ident: $c:literal, $f:literal, $t:literal -> $resp:ty {
        $(direct($($d:tt)*);)?
        new($($arg:ident: $aty:ty),* $(,)?);
        checked();
        $($e:tt),* $(,)?
    }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl $name {
                /// Builds the request, checked as the modem checks the line:
                /// ranges, lengths, option tables and rules across parameters.
                #[allow(clippy::too_many_arguments)]
                pub fn new($($arg: $aty),*) -> Result<Self, wip::Error> {
                    let v = Self { $($arg: ::core::convert::Into::into($arg)),* };
                    v.validate()?;
                    Ok(v)
                }
            }
            $crate::__typed_command!(@impls $name in $all: $c, $f, $t -> $resp {
                $($arg, )*; $($e),*
            } $(direct($($d)*))?);
        };
    };
    (@impls $name:ident in $all:ident: $c:literal, $f:literal, $t:literal -> $resp:ty {
        $($arg:ident, )*; $($e:tt),*
    } $(direct($p:literal $(, $d:tt)* $(,)?))?) => {
            impl wip::typed::TypedCommand for $name {
                const COMMAND: usize = $c;
                const FORM: usize = $f;
                const TIMEOUT_MS: u32 = $t;
                type Response = $resp;
                type Error = CmeError;

                fn dialect() -> &'static wip::Dialect {
                    &DIALECT
                }

                fn to_bound(&self) -> wip::Bound {
                    let Self { $($arg),* } = self;
                    #[allow(unused_mut)]
                    let mut b = wip::Bound::of(Vec::new());
                    $($crate::__wire!(b; $e);)*
                    b
                }

                fn to_bound_into(&self, b: &mut wip::Bound) {
                    let Self { $($arg),* } = self;
                    b.params.clear();
                    b.rest.clear();
                    b.option = None;
                    $($crate::__wire!(b; $e);)*
                }

                $(
                    const CHECKED_DIRECTLY: bool = true;

                    fn write_checked(&self, out: &mut String, b: &mut wip::Bound) -> bool {
                        let _ = &b;
                        let start = out.len();
                        out.push_str($p);
                        #[allow(unused_mut, unused_variables)]
                        let mut kept = out.len();
                        #[allow(unused_mut, unused_variables)]
                        let mut items = 0usize;
                        let ok = true $(&& $crate::__direct!(self out kept items b; $d))*;
                        out.truncate(if ok { kept } else { start });
                        ok
                    }
                )?

                fn from_bound(b: &wip::Bound) -> Result<Self, wip::Error> {
                    let r = wip::typed::BoundReader::form(&DIALECT, $c, $f, b);
                    let _ = &r;
                    $($crate::__unwire!(r; $e);)*
                    Ok(Self { $($arg),* })
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(&wip::typed::TypedCommand::encode(self))
                }
            }

            impl FromStr for $name {
                type Err = wip::Error;

                fn from_str(line: &str) -> Result<Self, wip::Error> {
                    <Self as wip::typed::TypedCommand>::parse(line)
                }
            }

            impl From<$name> for $all {
                fn from(v: $name) -> Self {
                    Self::$name(v)
                }
            }
    };
}

/// A typed information response or URC: its `new`, the
/// [`TypedMessage`](crate::typed::TypedMessage) and
/// [`FromMessage`](crate::typed::FromMessage) impls, `Display` (the line)
/// and `FromStr` (parsing a line): `Name: message { new(...); (entry), ...
/// }`, as [`__typed_command!`].
///
/// A `direct(prefix) { (item), ...; (rule), ... }` section after it gives
/// the message's decoder of lines ([`__direct_decoder!`]).
#[doc(hidden)]
#[macro_export]
macro_rules! __typed_message {
    ($name:ident: $m:literal {
        new($($arg:ident: $aty:ty),* $(,)?);
        $($e:tt),* $(,)?
    } $($direct:tt)*) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl $name {
                /// Builds the message, checked as its parser checks the line.
                #[allow(clippy::too_many_arguments)]
                pub fn new($($arg: $aty),*) -> Result<Self, wip::Error> {
                    let v = Self { $($arg: ::core::convert::Into::into($arg)),* };
                    v.validate()?;
                    Ok(v)
                }
            }

            impl wip::typed::TypedMessage for $name {
                const MESSAGE: usize = $m;

                fn dialect() -> &'static wip::Dialect {
                    &DIALECT
                }

                fn to_bound(&self) -> wip::Bound {
                    let Self { $($arg),* } = self;
                    #[allow(unused_mut)]
                    let mut b = wip::Bound::of(Vec::new());
                    $($crate::__wire!(b; $e);)*
                    b
                }

                fn from_bound(b: &wip::Bound) -> Result<Self, wip::Error> {
                    let r = wip::typed::BoundReader::message(&DIALECT, $m, b);
                    let _ = &r;
                    $($crate::__unwire!(r; $e);)*
                    Ok(Self { $($arg),* })
                }
            }

            impl wip::typed::FromMessage for $name {
                fn accepts(message: usize) -> bool {
                    message == $m
                }

                fn from_message(message: usize, b: &wip::Bound) -> Result<Self, wip::Error> {
                    if message != $m {
                        return Err(wip::typed::no_such_message(
                            &DIALECT,
                            message,
                            "message of this type",
                        ));
                    }
                    <Self as wip::typed::TypedMessage>::from_bound(b)
                }

                fn from_ref(
                    message: usize,
                    b: &wip::quick::BoundRef<'_>,
                ) -> Option<Result<Self, wip::Error>> {
                    fn read(b: &wip::quick::BoundRef<'_>) -> Result<$name, wip::Error> {
                        let r = wip::quick::RefReader::message(&DIALECT, $m, b);
                        let _ = &r;
                        $($crate::__unwire_ref!(r; $e);)*
                        Ok($name { $($arg),* })
                    }
                    (message == $m).then(|| read(b))
                }

                $crate::__direct_decoder! { $m { $($arg),* } $($direct)* }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(&wip::typed::TypedMessage::format(self))
                }
            }

            impl FromStr for $name {
                type Err = wip::Error;

                fn from_str(line: &str) -> Result<Self, wip::Error> {
                    <Self as wip::typed::TypedMessage>::parse(line)
                }
            }
        };
    };
}

/// [`FromMessage::decode_direct`](crate::typed::FromMessage::decode_direct)
/// of message `$m`, read from its line in one pass with a
/// [`Cursor`](crate::direct::Cursor): `$m { fields } direct(prefix) {
/// items; rules }` (nothing without the `direct` part), where the prefix
/// is a string, `glued` and a string, or `none` (a bare line); `fields`
/// are the fields of the typed value, in order, and each item reads the
/// next field of the line into a local named `p<i>`, converted into the
/// typed field after `=>` if any:
///
/// - `(int p lo hi)`: an unquoted integer in `lo..=hi`;
/// - `(set p [a | b])`: an unquoted integer, one of these (the values of a
///   value set a parameter allows, or a discriminator's);
/// - `(str p)`, `(str p n)`: a quoted string, of at most `n` characters;
/// - `(hex p n)`: a quoted hex dump of at most `n` bytes;
/// - `(ip p)`: a quoted dotted IPv4 address;
/// - `(code p i)`: an error code of parameter `i`'s table (or its success
///   value), read as an integer;
/// - `(fit p i)`: any field, fitted by the engine to parameter `i`;
/// - `(all p)`: the whole body (a message of one free-text field);
/// - `(tail p)`: free text to the end of the line (the last field).
///
/// Rules name the locals of integers: `(order lesser greater)`, `(range p
/// lo hi if q [a | b] ...)`, `(digits p lo hi if ...)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_decoder {
    ($m:literal { $($arg:ident),* }) => {};
    ($m:literal { $($arg:ident),* } direct($($pre:tt)*) {
        $($item:tt),* $(,)?
        $(; $($rule:tt),* $(,)?)?
    }) => {
        #[inline]
        fn decode_direct(
            d: &wip::Dialect,
            message: usize,
            line: &str,
        ) -> ::core::option::Option<Self> {
            let body = $crate::__direct_body!(d $m line; $($pre)*)?;
            <Self as wip::typed::FromMessage>::decode_direct_framed(d, message, line, body)
        }

        #[inline]
        fn decode_direct_framed(
            d: &wip::Dialect,
            message: usize,
            line: &str,
            body: &str,
        ) -> ::core::option::Option<Self> {
            $crate::__direct_read!(d message line body c; $m ($($pre)*) [$($item),*] [$($($rule),*)?]);
            // Only a line that passed every check converts its values (and
            // allocates its strings).
            $($crate::__direct_conv!($item);)*
            Some(Self { $($arg),* })
        }

        #[inline]
        fn decode_direct_framed_over(
            d: &wip::Dialect,
            message: usize,
            line: &str,
            body: &str,
            value: &mut Self,
        ) -> bool {
            let mut over = || -> ::core::option::Option<()> {
                $crate::__direct_read!(d message line body c; $m ($($pre)*) [$($item),*] [$($($rule),*)?]);
                // Every value is converted, and every string known to
                // fit, before the first field is written: a line that
                // does not decode leaves the value as it was.
                $($crate::__direct_conv_over!(value; $item);)*
                $($crate::__direct_put!(value; $item);)*
                Some(())
            };
            over().is_some()
        }
    };
}

/// The reading and checking of a [`__direct_decoder!`]: gives up
/// (`return None`) unless `message` is `m` of this dialect and the line's
/// fields, read through the cursor `c` into the locals the items name,
/// pass every item's check and every rule.
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_read {
    ($d:ident $message:ident $line:ident $body:ident $c:ident;
        $m:literal ($($pre:tt)*) [$($item:tt),*] [$($rule:tt),*]) => {
        if $message != $m || !::core::ptr::eq($d, &DIALECT) {
            return None;
        }
        #[allow(unused_mut)]
        let mut $c = $crate::__direct_framed!($d $m $line $body; $($pre)*)?;
        $($crate::__direct_item!($c $m; $item);)*
        if !$c.finish() {
            return None;
        }
        $($crate::__direct_rule!($rule);)*
    };
}

/// [`__direct_conv!`] for [`FromMessage::decode_direct_framed_over`](crate::typed::FromMessage::decode_direct_framed_over):
/// a string is not converted but checked to fit its field, which
/// [`__direct_put!`] then writes over.
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_conv_over {
    ($v:ident; (str $p:ident $($n:literal)? $(=> $f:ident)?)) => {
        $crate::__direct_fits!($v $p $($f)?);
    };
    ($v:ident; (hex $p:ident $n:literal $(=> $f:ident)?)) => {
        $crate::__direct_fits!($v $p $($f)?);
    };
    ($v:ident; (all $p:ident $(=> $f:ident)?)) => {
        $crate::__direct_fits!($v $p $($f)?);
    };
    ($v:ident; (tail $p:ident $(=> $f:ident)?)) => {
        $crate::__direct_fits!($v $p $($f)?);
    };
    ($v:ident; $item:tt) => {
        $crate::__direct_conv!($item);
    };
}

/// Whether the string local `p` fits the field `f` of `v`, if any (gives
/// up where it does not).
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_fits {
    ($v:ident $p:ident) => {
        let _ = &$p;
    };
    ($v:ident $p:ident $f:ident) => {
        if !wip::typed::fits(&$v.$f, wip::quick::ValRef::Str($p)) {
            return None;
        }
    };
}

/// Writes the field an item of a [`__direct_decoder!`] read over the one
/// in `v`: a string into the field's own buffer, any other value as
/// [`__direct_conv_over!`] converted it.
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_put {
    ($v:ident; (str $p:ident $($n:literal)? => $f:ident)) => {
        wip::typed::Wire::assign_ref(&mut $v.$f, wip::quick::ValRef::Str($p))?;
    };
    ($v:ident; (hex $p:ident $n:literal => $f:ident)) => {
        wip::typed::Wire::assign_ref(&mut $v.$f, wip::quick::ValRef::Str($p))?;
    };
    ($v:ident; (all $p:ident => $f:ident)) => {
        wip::typed::Wire::assign_ref(&mut $v.$f, wip::quick::ValRef::Str($p))?;
    };
    ($v:ident; (tail $p:ident => $f:ident)) => {
        wip::typed::Wire::assign_ref(&mut $v.$f, wip::quick::ValRef::Str($p))?;
    };
    ($v:ident; (int $p:ident $lo:literal $hi:literal $(=> $f:ident)?)) => {
        $($v.$f = $f;)?
    };
    ($v:ident; (set $p:ident [$($x:literal)|+] $(=> $f:ident)?)) => {
        $($v.$f = $f;)?
    };
    ($v:ident; (code $p:ident $i:literal $(=> $f:ident)?)) => {
        $($v.$f = $f;)?
    };
    ($v:ident; (ip $p:ident $(=> $f:ident)?)) => {
        $($v.$f = $f;)?
    };
    ($v:ident; (fit $p:ident $i:literal $(=> $f:ident)?)) => {
        $($v.$f = $f;)?
    };
    ($v:ident; (option $p:ident $ty:ident $(by $k:ident)? => $f:ident)) => {
        $v.$f = $f;
    };
    ($v:ident; ($kind:ident $p:ident $($x:literal)?)) => {};
}

/// The body of `line` after the prefix of a [`__direct_decoder!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_body {
    // A bare message: the whole line, or the body of the bare answer
    // written with its command's prefix (E41), as the engine reads it.
    ($d:ident $m:literal $line:ident; none) => {
        ::core::option::Option::Some(wip::typed::bare_line($d, $m, $line))
    };
    ($d:ident $m:literal $line:ident; glued $p:literal) => {
        wip::direct::body(Some($p), true, $line)
    };
    ($d:ident $m:literal $line:ident; $p:literal) => {
        wip::direct::body(Some($p), false, $line)
    };
}

/// The cursor of a [`__direct_decoder!`] at the first field of a line the
/// framer cut into `body` (see [`wip::direct::Cursor::framed`]).
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_framed {
    // A message without a prefix is read from the body the framer cut
    // where that is what follows the command's prefix in a bare answer
    // written with it (E41, `+WIPBR: 6,1`), else from the whole line.
    ($d:ident $m:literal $line:ident $body:ident; none) => {
        ::core::option::Option::Some(wip::direct::Cursor::new(wip::typed::bare_text(
            $d, $m, $line, $body,
        )))
    };
    ($d:ident $m:literal $line:ident $body:ident; glued $p:literal) => {
        wip::direct::Cursor::framed(Some($p), true, $line, $body)
    };
    ($d:ident $m:literal $line:ident $body:ident; $p:literal) => {
        wip::direct::Cursor::framed(Some($p), false, $line, $body)
    };
}

/// One item of a [`__direct_decoder!`]: reads the next field through the
/// cursor `c` into the local `p` and checks it; [`__direct_conv!`]
/// converts it into the typed field once every check has passed.
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_item {
    ($c:ident $m:literal; (int $p:ident $lo:literal $hi:literal $(=> $f:ident)?)) => {
        let $p = $c.int()?;
        if !($lo..=$hi).contains(&$p) {
            return None;
        }
    };
    ($c:ident $m:literal; (set $p:ident [$($v:literal)|+] $(=> $f:ident)?)) => {
        let $p = $c.int()?;
        if !matches!($p, $($v)|+) {
            return None;
        }
    };
    ($c:ident $m:literal; (str $p:ident $($n:literal)? $(=> $f:ident)?)) => {
        let $p = $c.string($crate::__direct_max!($($n)?))?;
    };
    ($c:ident $m:literal; (hex $p:ident $n:literal $(=> $f:ident)?)) => {
        let $p = $c.hex($n)?;
    };
    ($c:ident $m:literal; (ip $p:ident $(=> $f:ident)?)) => {
        let $p = $c.ipv4()?;
    };
    ($c:ident $m:literal; (code $p:ident $i:literal $(=> $f:ident)?)) => {
        let $p = $c.int()?;
        if !wip::direct::code(&DIALECT, &DIALECT.messages.get($m)?.fields.get($i)?.ty, $p) {
            return None;
        }
    };
    ($c:ident $m:literal; (fit $p:ident $i:literal $(=> $f:ident)?)) => {
        let $p = {
            let ty = &DIALECT.messages.get($m)?.fields.get($i)?.ty;
            $c.fit(&DIALECT, ty)?
        };
    };
    ($c:ident $m:literal; (option $p:ident $ty:ident => $f:ident)) => {
        let $p = $c.int()?;
        let $f = $ty::decode_direct_option(&mut $c, $p)?;
    };
    ($c:ident $m:literal; (option $p:ident $ty:ident by $k:ident => $f:ident)) => {
        let $p = $c.int()?;
        let $f = $ty::decode_direct_option(&mut $c, $k, $p)?;
    };
    ($c:ident $m:literal; (all $p:ident $(=> $f:ident)?)) => {
        let $p = $c.all();
    };
    ($c:ident $m:literal; (tail $p:ident $(=> $f:ident)?)) => {
        let $p = $c.tail()?;
    };
}

/// Converts the local an item of a [`__direct_decoder!`] read into its
/// typed field, if it has one (gives up where the value does not fit).
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_conv {
    ((int $p:ident $lo:literal $hi:literal $(=> $f:ident)?)) => {
        $(let $f = wip::typed::Wire::from_ref(wip::quick::ValRef::Int($p))?;)?
    };
    ((set $p:ident [$($v:literal)|+] $(=> $f:ident)?)) => {
        $(let $f = wip::typed::Wire::from_ref(wip::quick::ValRef::Int($p))?;)?
    };
    ((code $p:ident $i:literal $(=> $f:ident)?)) => {
        $(let $f = wip::typed::Wire::from_ref(wip::quick::ValRef::Int($p))?;)?
    };
    ((str $p:ident $($n:literal)? $(=> $f:ident)?)) => {
        $crate::__direct_str!($p $($f)?);
    };
    ((hex $p:ident $n:literal $(=> $f:ident)?)) => {
        $crate::__direct_str!($p $($f)?);
    };
    ((ip $p:ident $(=> $f:ident)?)) => {
        $(let $f = wip::typed::Wire::from_ipv4($p.0, $p.1)?;)?
        let _ = &$p;
    };
    ((fit $p:ident $i:literal $(=> $f:ident)?)) => {
        $(let $f = wip::typed::Wire::from_ref($p)?;)?
        let _ = &$p;
    };
    ((option $p:ident $ty:ident $(by $k:ident)? => $f:ident)) => {};
    ((all $p:ident $(=> $f:ident)?)) => {
        $crate::__direct_str!($p $($f)?);
    };
    ((tail $p:ident $(=> $f:ident)?)) => {
        $crate::__direct_str!($p $($f)?);
    };
}

/// Value `i` of the option values `vals` a direct reader read, converted
/// into its typed field; anything but a required value gives up.
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_value {
    ($vals:ident; req $i:literal) => {
        wip::typed::Wire::from_ref((*$vals.get($i)?)?)?
    };
    ($vals:ident; $k:ident $($i:literal)?) => {
        return None
    };
}

/// The length limit of a `str` item: `Some(n)`, or `None` without one.
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_max {
    () => {
        ::core::option::Option::None
    };
    ($n:literal) => {
        ::core::option::Option::Some($n)
    };
}

/// Converts the string local `p` into the typed field `f`, if any.
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_str {
    ($p:ident) => {
        let _ = &$p;
    };
    ($p:ident $f:ident) => {
        let $f = wip::typed::Wire::from_ref(wip::quick::ValRef::Str($p))?;
    };
}

/// One rule of a [`__direct_decoder!`] over the integer locals: gives up
/// (`return None`) where the rule is broken.
#[doc(hidden)]
#[macro_export]
macro_rules! __direct_rule {
    ((order $a:ident $b:ident)) => {
        if $b < $a {
            return None;
        }
    };
    ((range $p:ident $lo:literal $hi:literal $(if $q:ident [$($v:literal)|+])*)) => {
        if true $(&& matches!($q, $($v)|+))* && !($lo..=$hi).contains(&$p) {
            return None;
        }
    };
    ((digits $p:ident $lo:literal $hi:literal $(if $q:ident [$($v:literal)|+])*)) => {
        if true $(&& matches!($q, $($v)|+))* && !wip::direct::digits($p, $lo, $hi) {
            return None;
        }
    };
}

/// The impls of a generated final result code the spec declares:
/// `$name: $i` is its type and its index in `Dialect::finals`, `$ok`
/// whether it reports success; the entries are those of
/// [`__typed_message!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __typed_final {
    ($name:ident: $i:literal $ok:literal {
        new($($arg:ident: $aty:ty),* $(,)?);
        $($e:tt),* $(,)?
    }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            impl $name {
                /// Builds the final result code, checked as its parser
                /// checks the line.
                #[allow(clippy::too_many_arguments)]
                pub fn new($($arg: $aty),*) -> Result<Self, wip::Error> {
                    let v = Self { $($arg: ::core::convert::Into::into($arg)),* };
                    <Self as wip::typed::TypedFinal>::parse(&wip::typed::TypedFinal::format(&v))?;
                    Ok(v)
                }
            }

            impl wip::typed::TypedFinal for $name {
                const FINAL: u16 = $i;
                const SUCCESS: bool = $ok;

                fn dialect() -> &'static wip::Dialect {
                    &DIALECT
                }

                fn to_bound(&self) -> wip::Bound {
                    let Self { $($arg),* } = self;
                    #[allow(unused_mut)]
                    let mut b = wip::Bound::of(Vec::new());
                    $($crate::__wire!(b; $e);)*
                    b
                }

                fn from_bound(b: &wip::Bound) -> Result<Self, wip::Error> {
                    let r = wip::typed::BoundReader::final_code(&DIALECT, $i, b);
                    let _ = &r;
                    $($crate::__unwire!(r; $e);)*
                    Ok(Self { $($arg),* })
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(&wip::typed::TypedFinal::format(self))
                }
            }

            impl FromStr for $name {
                type Err = wip::Error;

                fn from_str(line: &str) -> Result<Self, wip::Error> {
                    <Self as wip::typed::TypedFinal>::parse(line)
                }
            }
        };
    };
}

/// Puts one parameter of a request or message (its fields bound as
/// references) into the [`Bound`](crate::Bound) `b`:
///
/// - `(= 2)`: a value fixed by the form (a discriminator);
/// - `(text "UDP")`: a string fixed by the form (a string discriminator);
/// - `(req field i)`, `(opt field i)`: the field of parameter `i`, which
///   must be present or may be left out;
/// - `(id field Type)`, `(id field Type by k)`: the option number, from
///   the option field (its table picked by the key parameter `k`), which
///   also gives the option values;
/// - `(key field)`: the key that picks the option table;
/// - `(items field)`, `(pairs field)`, `(groups field)`: the repeated group;
/// - `(none)`: a parameter no field gives.
#[doc(hidden)]
#[macro_export]
macro_rules! __wire {
    ($b:ident; (= $v:literal)) => {
        $b.params.push($crate::typed::int($v));
    };
    ($b:ident; (text $v:literal)) => {
        $b.params.push($crate::typed::text($v));
    };
    ($b:ident; (req $f:ident $i:literal)) => {
        $b.params.push($crate::typed::some($f));
    };
    ($b:ident; (opt $f:ident $i:literal)) => {
        $b.params.push($crate::typed::maybe($f));
    };
    ($b:ident; (id $f:ident $($t:tt)*)) => {
        $b.params.push($crate::typed::int($f.id()));
        $b.option = ::core::option::Option::Some($f.to_bound_option());
    };
    ($b:ident; (key $f:ident)) => {
        $b.params.push($crate::typed::int($f.key()));
    };
    ($b:ident; (items $f:ident)) => {
        $b.rest = $crate::typed::list($f);
    };
    ($b:ident; (pairs $f:ident)) => {
        $b.rest = $crate::typed::flatten_pairs($f);
    };
    ($b:ident; (groups $f:ident)) => {
        $b.rest = $crate::typed::flatten_groups($f);
    };
    ($b:ident; (none)) => {
        $b.params.push(::core::option::Option::None);
    };
}

/// One parameter of the generated check and line of a simple form (see
/// [`TypedCommand::write_checked`](crate::typed::TypedCommand::write_checked)):
/// `(lit "2")` a constant in its wire form, `(none)`/`(none keep)` a
/// parameter left out, `(req field how)` and `(opt field keep how)` a
/// field checked and written as `how` says: `int min max`, `one_of [a,
/// b]`, `quoted (Ty)` with the parameter's type (after `Ty::`);
/// `(id_of field one_of [a, b])` the number of the option a form reads;
/// last,
/// `(rules c f)` when the form has rules across parameters, checked by
/// the engine on the values bound into the scratch `b`.
#[doc(hidden)]
#[macro_export]
macro_rules! __direct {
    (@how $o:ident $k:ident $n:ident; $v:expr; int $min:literal $max:literal) => {
        $crate::typed::direct::int($o, &mut $k, &mut $n, $v, $min, $max)
    };
    (@how $o:ident $k:ident $n:ident; $v:expr; one_of [$($a:literal),* $(,)?]) => {
        $crate::typed::direct::one_of($o, &mut $k, &mut $n, $v, &[$($a),*])
    };
    (@how $o:ident $k:ident $n:ident; $v:expr; quoted ($($ty:tt)*)) => {
        $crate::typed::direct::quoted($o, &mut $k, &mut $n, &DIALECT, &$crate::Ty::$($ty)*, $v)
    };
    ($s:ident $o:ident $k:ident $n:ident $b:ident; (lit $t:literal)) => {
        $crate::typed::direct::lit($o, &mut $k, &mut $n, $t)
    };
    ($s:ident $o:ident $k:ident $n:ident $b:ident; (none)) => {
        $crate::typed::direct::none($o, &mut $k, &mut $n, false)
    };
    ($s:ident $o:ident $k:ident $n:ident $b:ident; (none keep)) => {
        $crate::typed::direct::none($o, &mut $k, &mut $n, true)
    };
    ($s:ident $o:ident $k:ident $n:ident $b:ident; (req $f:ident $($how:tt)+)) => {
        $crate::__direct!(@how $o $k $n; &$s.$f; $($how)+)
    };
    ($s:ident $o:ident $k:ident $n:ident $b:ident; (opt $f:ident $keep:literal $($how:tt)+)) => {
        match &$s.$f {
            ::core::option::Option::Some(v) => $crate::__direct!(@how $o $k $n; v; $($how)+),
            ::core::option::Option::None => $crate::typed::direct::none($o, &mut $k, &mut $n, $keep),
        }
    };
    ($s:ident $o:ident $k:ident $n:ident $b:ident; (id_of $f:ident one_of [$($a:literal),* $(,)?])) => {
        $crate::typed::direct::one_of($o, &mut $k, &mut $n, &$s.$f.id(), &[$($a),*])
    };
    ($s:ident $o:ident $k:ident $n:ident $b:ident; (rules $c:literal $f:literal)) => {{
        $crate::typed::TypedCommand::to_bound_into($s, $b);
        $crate::typed::direct::rules(&DIALECT, $c, $f, $b)
    }};
}

/// Reads the field of one entry of [`__wire!`] through the
/// [`BoundReader`](crate::typed::BoundReader) `r` into a local named after
/// the field; entries without a field read nothing.
#[doc(hidden)]
#[macro_export]
macro_rules! __unwire {
    ($r:ident; (= $v:literal)) => {};
    ($r:ident; (text $v:literal)) => {};
    ($r:ident; (req $f:ident $i:literal)) => {
        let $f = $r.req($i)?;
    };
    ($r:ident; (opt $f:ident $i:literal)) => {
        let $f = $r.opt($i)?;
    };
    ($r:ident; (id $f:ident $t:ident)) => {
        let $f = $t::from_bound_option($r.option()?)?;
    };
    ($r:ident; (id $f:ident $t:ident by $k:literal)) => {
        let $f = $t::from_bound_option($r.req($k)?, $r.option()?)?;
    };
    ($r:ident; (key $f:ident)) => {};
    ($r:ident; (items $f:ident)) => {
        let $f = $r.items()?;
    };
    ($r:ident; (pairs $f:ident)) => {
        let $f = $r.pairs()?;
    };
    ($r:ident; (groups $f:ident)) => {
        let $f = $r.groups()?;
    };
    ($r:ident; (none)) => {};
}

/// [`__unwire!`] through the [`RefReader`](crate::quick::RefReader) `r`
/// of a line bound in one pass: the option field reads the option values
/// of the same line.
#[doc(hidden)]
#[macro_export]
macro_rules! __unwire_ref {
    ($r:ident; (id $f:ident $t:ident)) => {
        let $f = $t::from_ref_option($r.bound(), $r.option()?)?;
    };
    ($r:ident; (id $f:ident $t:ident by $k:literal)) => {
        let $f = $t::from_ref_option($r.req($k)?, $r.bound(), $r.option()?)?;
    };
    ($r:ident; $e:tt) => {
        $crate::__unwire!($r; $e);
    };
}

/// `_`, whatever the binding: a pattern that ignores a tuple variant's value.
#[doc(hidden)]
#[macro_export]
macro_rules! __wild {
    ($f:ident) => {
        _
    };
}

/// Whether an option enum holds values read (`read`) or written (`written`).
#[doc(hidden)]
#[macro_export]
macro_rules! __is_read {
    (read) => {
        true
    };
    (written) => {
        false
    };
}

/// Puts the field `f` (a reference) into the parameter values `p` or the
/// repeated group `r`: `req`, `opt`, `items`, `pairs` or `groups`.
#[doc(hidden)]
#[macro_export]
macro_rules! __put {
    ($p:ident $r:ident; req $f:ident) => {
        $p.push($crate::typed::some($f));
    };
    ($p:ident $r:ident; opt $f:ident) => {
        $p.push($crate::typed::maybe($f));
    };
    ($p:ident $r:ident; items $f:ident) => {
        $r = $crate::typed::list($f);
    };
    ($p:ident $r:ident; pairs $f:ident) => {
        $r = $crate::typed::flatten_pairs($f);
    };
    ($p:ident $r:ident; groups $f:ident) => {
        $r = $crate::typed::flatten_groups($f);
    };
}

/// Reads one field through the reader `r`: value `i` (`req i`, `opt i`) or
/// the repeated group (`items`, `pairs`, `groups`).
#[doc(hidden)]
#[macro_export]
macro_rules! __get {
    ($r:ident; req $i:literal) => {
        $r.req($i)?
    };
    ($r:ident; opt $i:literal) => {
        $r.opt($i)?
    };
    ($r:ident; items) => {
        $r.items()?
    };
    ($r:ident; pairs) => {
        $r.pairs()?
    };
    ($r:ident; groups) => {
        $r.groups()?
    };
}

/// The answer type of a form that lists several information responses:
/// the methods of an enum with one variant per message, named after its
/// type (`Name { Message, ... }`), as [`__message_enum_methods!`] gives
/// the spec-wide `Response`.
#[doc(hidden)]
#[macro_export]
macro_rules! __form_response {
    ($name:ident { $($v:ident),* $(,)? }) => {
        const _: () = {
            #[allow(unused_imports)]
            use $crate::prelude::*;

            $crate::__message_enum_methods!($name "response of this form" { $($v),* });
        };
    };
}
