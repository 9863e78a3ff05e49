//! Lists of integers and ranges in parentheses, as test-command answers
//! write them (3GPP TS 27.007 syntax rows: `+CSQ: (0-31,99),(0-7,99)`, `+CGATT:
//! (0,1)`): the value type of a [`crate::Ty::Ranges`] field.
//!
//! On the wire a list is `(` items `)`, the items separated by commas, each
//! an integer (`99`) or an inclusive range `a-b` (`0-31`), `a <= b`;
//! integers may be negative (`-1`, `-5--1`). A list keeps its items in the
//! order written, so that a line formats back exactly as it came.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

/// A parenthesised list of integers and inclusive ranges: `(0-31,99)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Ranges {
    /// `(first, last)` of each item in the order written; a single
    /// integer `n` is `(n, n)`.
    items: Vec<(i64, i64)>,
}

/// Why a text is not a list of ranges.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangesError {
    /// The text does not start with `(` and end with `)`.
    #[error("not enclosed in parentheses")]
    NotParenthesised,
    /// `()`: a list of nothing.
    #[error("an empty list")]
    Empty,
    /// An item is neither an integer nor `a-b`.
    #[error("item `{0}` is neither an integer nor a range `a-b`")]
    Item(String),
    /// A range whose first value is above its last.
    #[error("range {0}-{1} runs backwards")]
    Backwards(i64, i64),
}

impl Ranges {
    /// A list of `(first, last)` items, each `first <= last`, in the order
    /// they are to be written; `None` when it is empty or a range runs
    /// backwards.
    pub fn new(items: Vec<(i64, i64)>) -> Option<Self> {
        (!items.is_empty() && items.iter().all(|(a, b)| a <= b)).then_some(Ranges { items })
    }

    /// The list of one range `first..=last`; `None` when `first > last`.
    pub fn range(first: i64, last: i64) -> Option<Self> {
        Ranges::new(alloc::vec![(first, last)])
    }

    /// The list of these integers, each its own item (`(0,1)`); `None`
    /// when there is none.
    pub fn values(values: &[i64]) -> Option<Self> {
        Ranges::new(values.iter().map(|&v| (v, v)).collect())
    }

    /// Reads `(0-31,99)`. Blanks around the items are allowed.
    pub fn parse(s: &str) -> Result<Self, RangesError> {
        let inner = s
            .trim()
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .ok_or(RangesError::NotParenthesised)?;
        if inner.trim().is_empty() {
            return Err(RangesError::Empty);
        }
        let items = inner
            .split(',')
            .map(|item| {
                let t = item.trim();
                let bad = || RangesError::Item(t.into());
                let (first, rest) = integer(t).ok_or_else(bad)?;
                let last = match rest.strip_prefix('-') {
                    None if rest.is_empty() => first,
                    Some(r) => match integer(r) {
                        Some((n, "")) => n,
                        _ => return Err(bad()),
                    },
                    None => return Err(bad()),
                };
                if first > last {
                    return Err(RangesError::Backwards(first, last));
                }
                Ok((first, last))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Ranges { items })
    }

    /// Whether a text is a list of ranges, as [`Ranges::parse`] finds.
    pub fn is_valid(s: &str) -> bool {
        Ranges::parse(s).is_ok()
    }

    /// The items, `(first, last)` each, in the order written.
    pub fn items(&self) -> &[(i64, i64)] {
        &self.items
    }

    /// Whether `n` is one of the values the list gives.
    pub fn contains(&self, n: i64) -> bool {
        self.items.iter().any(|(a, b)| (*a..=*b).contains(&n))
    }

    /// The smallest value listed.
    pub fn lowest(&self) -> Option<i64> {
        self.items.iter().map(|(a, _)| *a).min()
    }

    /// The largest value listed.
    pub fn highest(&self) -> Option<i64> {
        self.items.iter().map(|(_, b)| *b).max()
    }

    /// The values listed outside `min..=max`, as items of the list that
    /// reach out of it: empty when every value lies inside.
    pub fn outside(&self, min: i64, max: i64) -> Vec<(i64, i64)> {
        self.items
            .iter()
            .copied()
            .filter(|(a, b)| *a < min || *b > max)
            .collect()
    }
}

/// The values the action forms of command `command` accept in their
/// parameter named `name` (`<socket>` of `AT+USOCL=`), as `(lowest,
/// highest)`: what a test answer's list of that parameter should lie in.
/// `None` when no action form has an integer parameter of that name.
pub fn declared(d: &crate::Dialect, command: usize, name: &str) -> Option<(i64, i64)> {
    use crate::types::{FormKind, Ty};
    let c = d.commands.get(command)?;
    c.forms
        .iter()
        .filter(|f| f.kind == FormKind::Action)
        .flat_map(|f| f.params.iter())
        .filter(|p| p.name == name)
        .filter_map(|p| match &p.ty {
            Ty::Int { min, max } => Some((*min, *max)),
            Ty::Enum { allowed, .. } => Some((*allowed.first()?, *allowed.last()?)),
            _ => None,
        })
        .reduce(|(a, b), (x, y)| (a.min(x), b.max(y)))
}

/// A leading decimal integer (optional `-`) and the text after it.
fn integer(s: &str) -> Option<(i64, &str)> {
    let digits_from = usize::from(s.starts_with('-'));
    let len = s
        .get(digits_from..)?
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    if len == 0 {
        return None;
    }
    let end = digits_from + len;
    Some((s.get(..end)?.parse().ok()?, s.get(end..)?))
}

impl fmt::Display for Ranges {
    /// `(0-31,99)`, without blanks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (n, (a, b)) in self.items.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            if a == b {
                write!(f, "{a}")?;
            } else {
                write!(f, "{a}-{b}")?;
            }
        }
        f.write_str(")")
    }
}

impl FromStr for Ranges {
    type Err = RangesError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ranges::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    #[test]
    fn reads_and_writes_back_the_manuals_lists() {
        for s in [
            "(0-31,99)",
            "(0,1)",
            "(0-4,10-11)",
            "(0-2)",
            "(7)",
            "(-5--1,3)",
        ] {
            let r = Ranges::parse(s).unwrap();
            assert_eq!(r.to_string(), s);
        }
        let r = Ranges::parse("(0-31,99)").unwrap();
        assert_eq!(r.items(), &[(0, 31), (99, 99)]);
        assert!(r.contains(0) && r.contains(31) && r.contains(99));
        assert!(!r.contains(32) && !r.contains(98) && !r.contains(-1));
        assert_eq!((r.lowest(), r.highest()), (Some(0), Some(99)));
        assert_eq!(
            Ranges::parse(" ( 0 - 3 , 5 ) "),
            Err(RangesError::Item("0 - 3".into()))
        );
        assert_eq!(Ranges::parse("( 0-3 , 5 )").unwrap().to_string(), "(0-3,5)");
    }

    #[test]
    fn refuses_what_is_no_list() {
        assert_eq!(Ranges::parse("0-3"), Err(RangesError::NotParenthesised));
        assert_eq!(Ranges::parse("(0-3"), Err(RangesError::NotParenthesised));
        assert_eq!(Ranges::parse("()"), Err(RangesError::Empty));
        assert_eq!(Ranges::parse("(0-)"), Err(RangesError::Item("0-".into())));
        assert_eq!(Ranges::parse("(0,,1)"), Err(RangesError::Item("".into())));
        assert_eq!(Ranges::parse("(a)"), Err(RangesError::Item("a".into())));
        assert_eq!(Ranges::parse("(5-1)"), Err(RangesError::Backwards(5, 1)));
        assert_eq!(
            Ranges::parse("(99999999999999999999)"),
            Err(RangesError::Item("99999999999999999999".into()))
        );
    }

    #[test]
    fn built_lists() {
        assert_eq!(Ranges::values(&[0, 1]).unwrap().to_string(), "(0,1)");
        assert_eq!(Ranges::range(0, 6).unwrap().to_string(), "(0-6)");
        assert_eq!(Ranges::range(6, 0), None);
        assert_eq!(Ranges::new(vec![]), None);
        let r = Ranges::parse("(0-1024)").unwrap();
        assert_eq!(r.outside(1, 1024), vec![(0, 1024)]);
        assert!(r.outside(0, 1024).is_empty());
    }
}
