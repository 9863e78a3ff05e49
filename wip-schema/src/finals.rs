//! Final result codes a dialect declares beyond the built-in ones (`SEND
//! OK`, `DATA ACCEPT: <length>`), and which final result codes a form may
//! end with.

use crate::bind::{bind_all, Bound, Scope};
use crate::command::write_fields;
use crate::error::{Error, ErrorKind};
use crate::fields;
use crate::result::Final;
use crate::types::{Dialect, FinalRef, Form};
use alloc::format;
use alloc::string::{String, ToString};

impl Final {
    /// Recognizes a final result code in one line (without its CR/LF and
    /// outer blanks): the dialect's own final result codes first (exact
    /// text, or prefix and `:` when they have fields), then the built-in
    /// ones ([`Final::parse`]).
    pub fn parse_in(d: &Dialect, line: &[u8]) -> Option<Final> {
        if !d.finals.is_empty() {
            if let Some((i, f)) = d.finals.iter().enumerate().find(|(_, f)| f.matches(line)) {
                return Some(Final::Custom {
                    index: u16::try_from(i).unwrap_or(u16::MAX),
                    success: f.success,
                });
            }
        }
        Final::parse(line)
    }
}

impl FinalRef {
    /// The reference a final result code answers to.
    pub fn of(f: &Final) -> FinalRef {
        match f {
            Final::Ok => FinalRef::Ok,
            Final::Error => FinalRef::Error,
            Final::CmeError(_) => FinalRef::CmeError,
            Final::CmsError(_) => FinalRef::CmsError,
            Final::Connect => FinalRef::Connect,
            Final::NoCarrier => FinalRef::NoCarrier,
            Final::Busy => FinalRef::Busy,
            Final::NoAnswer => FinalRef::NoAnswer,
            Final::NoDialtone => FinalRef::NoDialtone,
            Final::Custom { index, .. } => FinalRef::Custom(*index),
        }
    }

    /// The built-in final result code a spec names (`"OK"`, `"+CME
    /// ERROR"`, `"BUSY"` ...), if `name` is one.
    pub fn builtin(name: &str) -> Option<FinalRef> {
        Some(match name.trim() {
            "OK" => FinalRef::Ok,
            "ERROR" => FinalRef::Error,
            "+CME ERROR" | "+CME ERROR: <err>" => FinalRef::CmeError,
            "+CMS ERROR" | "+CMS ERROR: <err>" => FinalRef::CmsError,
            "CONNECT" => FinalRef::Connect,
            "NO CARRIER" => FinalRef::NoCarrier,
            "BUSY" => FinalRef::Busy,
            "NO ANSWER" => FinalRef::NoAnswer,
            "NO DIALTONE" => FinalRef::NoDialtone,
            _ => return None,
        })
    }

    /// The final result code as a spec and the manual write it (`OK`,
    /// `+CME ERROR`, `DATA ACCEPT: <length>`).
    pub fn name(&self, d: &Dialect) -> String {
        let s = match self {
            FinalRef::Ok => "OK",
            FinalRef::Error => "ERROR",
            FinalRef::CmeError => "+CME ERROR",
            FinalRef::CmsError => "+CMS ERROR",
            FinalRef::Connect => "CONNECT",
            FinalRef::NoCarrier => "NO CARRIER",
            FinalRef::Busy => "BUSY",
            FinalRef::NoAnswer => "NO ANSWER",
            FinalRef::NoDialtone => "NO DIALTONE",
            FinalRef::Custom(i) => {
                return d
                    .finals
                    .get(usize::from(*i))
                    .map_or_else(|| format!("final result code #{i}"), |f| f.syntax())
            }
        };
        s.to_string()
    }
}

impl Form {
    /// Whether the form may end with this final result code: any when it
    /// lists none.
    pub fn may_end_with(&self, f: &Final) -> bool {
        self.finals.is_empty() || self.finals.contains(&FinalRef::of(f))
    }
}

impl Dialect {
    /// A final result code as the modem writes it (`SEND OK`, `+CME
    /// ERROR: 3`); a declared one with fields as the manual writes it
    /// (`DATA ACCEPT: <length>`).
    pub fn final_text(&self, f: &Final) -> String {
        match f {
            Final::Custom { index, .. } => FinalRef::Custom(*index).name(self),
            other => other.to_string(),
        }
    }
}

/// Binds the fields of a declared final result code (`DATA ACCEPT: 12`)
/// against their types; a final result code without fields binds none.
pub fn bind_final(d: &Dialect, index: usize, line: &str) -> Result<Bound, Error> {
    let Some(fc) = d.finals.get(index) else {
        return Err(Error::new(
            ErrorKind::UnknownMessage,
            &format!("`{line}`"),
            None,
            format!("is no final result code #{index} of {}", d.name),
        ));
    };
    let ctx = fc.text.to_string();
    let line = line.trim();
    if fc.fields.is_empty() {
        return if line == fc.text {
            Ok(Bound::default())
        } else {
            Err(Error::new(
                ErrorKind::UnknownMessage,
                &format!("`{line}`"),
                None,
                format!("is not `{}`", fc.text),
            ))
        };
    }
    let body = line
        .strip_prefix(fc.text.as_ref())
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix(':'))
        .map(str::trim_start)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownMessage,
                &format!("`{line}`"),
                None,
                format!("does not start with `{}:`", fc.text),
            )
        })?;
    let fs = fields::split(body)
        .map_err(|e| Error::new(ErrorKind::Syntax, &ctx, None, e.to_string()))?;
    let scope = Scope {
        d,
        context: ctx,
        check_access: false,
        bare_strings: false,
        quoted_ints: false,
        in_options: false,
        rules: &[],
    };
    bind_all(&scope, &fc.fields, None, None, &[], &fs, 0).map_err(|f| f.error)
}

/// Formats a declared final result code from its values (`DATA ACCEPT:
/// 12`).
pub fn format_final(d: &Dialect, index: usize, b: &Bound) -> String {
    let Some(fc) = d.finals.get(index) else {
        return String::new();
    };
    let mut line = String::from(fc.text.as_ref());
    if !fc.fields.is_empty() {
        line.push_str(": ");
        write_fields(&mut line, d, &fc.fields, b, true);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{FinalCode, Param, Ty};

    static FINALS: &[FinalCode] = &[
        FinalCode::new("SEND OK", true),
        FinalCode::new("SEND FAIL", false),
        FinalCode::new("DATA ACCEPT", true)
            .fields(const { &[Param::req("length", Ty::int(1, 1460))] }),
    ];

    fn d() -> Dialect {
        Dialect::new("X", "+CIP").finals(FINALS)
    }

    #[test]
    fn the_dialects_finals_come_first_then_the_built_in_ones() {
        let d = d();
        assert_eq!(
            Final::parse_in(&d, b"SEND OK"),
            Some(Final::Custom {
                index: 0,
                success: true
            })
        );
        assert_eq!(
            Final::parse_in(&d, b"SEND FAIL"),
            Some(Final::Custom {
                index: 1,
                success: false
            })
        );
        assert_eq!(
            Final::parse_in(&d, b"DATA ACCEPT: 12"),
            Some(Final::Custom {
                index: 2,
                success: true
            })
        );
        assert_eq!(Final::parse_in(&d, b"DATA ACCEPTED"), None);
        assert_eq!(Final::parse_in(&d, b"SEND OKAY"), None);
        assert_eq!(Final::parse_in(&d, b"BUSY"), Some(Final::Busy));
        assert_eq!(
            Final::parse(b"SEND OK"),
            None,
            "dialect-free parsing is unchanged"
        );
        assert!(Final::Custom {
            index: 1,
            success: false
        }
        .is_error());
        assert!(!Final::Custom {
            index: 0,
            success: true
        }
        .is_error());
    }

    #[test]
    fn fields_are_typed_and_formatted_back() {
        let d = d();
        let b = bind_final(&d, 2, "DATA ACCEPT: 12").unwrap();
        assert_eq!(b.params, [Some(crate::Val::Int(12))]);
        assert_eq!(format_final(&d, 2, &b), "DATA ACCEPT: 12");
        let e = bind_final(&d, 2, "DATA ACCEPT: 0").unwrap_err();
        assert_eq!(e.param.as_deref(), Some("length"));
        assert_eq!(
            d.final_text(&Final::Custom {
                index: 2,
                success: true
            }),
            "DATA ACCEPT: <length>"
        );
        assert_eq!(d.final_text(&Final::CmeError(Some(3))), "+CME ERROR: 3");
    }

    #[test]
    fn a_form_ends_with_what_it_lists_or_anything() {
        let any = Form::action("A");
        assert!(any.may_end_with(&Final::NoCarrier));
        let close = Form::action("Close").finals(&[FinalRef::Ok, FinalRef::CmeError]);
        assert!(close.may_end_with(&Final::CmeError(Some(4))));
        assert!(!close.may_end_with(&Final::NoCarrier));
        assert_eq!(FinalRef::builtin("+CMS ERROR"), Some(FinalRef::CmsError));
        assert_eq!(FinalRef::builtin("SEND OK"), None);
    }
}
