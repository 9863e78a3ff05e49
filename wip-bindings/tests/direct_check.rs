//! The generated check and line of simple forms
//! (`TypedCommand::write_checked`) against the engine's
//! (`checked_line`, `format_command`), on random values of every form of
//! rev 009: whenever the generated check passes, the engine's passes with
//! the same line, byte for byte; whenever it fails on a form checked
//! directly, the engine's fails too (and names the fault, which a client
//! then reports).

use proptest::prelude::*;
use wip_bindings::rev009::{Request, DIALECT};
use wip_runtime::schema::{self as wip, Bound, FormKind, Ty, Val};

/// A small generator of values, seeded by proptest.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn int_near(&mut self, min: i64, max: i64) -> i64 {
        match self.below(8) {
            0 => min.saturating_sub(self.below(3) as i64),
            1 => max.saturating_add(self.below(3) as i64),
            2 => self.next() as i64,
            _ => {
                let span = (max as i128 - min as i128 + 1).clamp(1, u64::MAX as i128) as u64;
                (min as i128 + i128::from(self.below(span))) as i64
            }
        }
    }
    fn text(&mut self, max: usize) -> String {
        const CHARS: &[u8] = b"abcxyz019.-_:/ \"\r\n,=+@";
        let n = self.below(max as u64 + 3) as usize;
        (0..n)
            .map(|_| {
                // Mostly plain characters, now and then one AT strings
                // cannot carry.
                let i = if self.below(12) == 0 {
                    self.below(CHARS.len() as u64)
                } else {
                    self.below(14)
                };
                char::from(CHARS.get(i as usize).copied().unwrap_or(b'a'))
            })
            .collect()
    }
    fn ipv4(&mut self) -> String {
        let o: Vec<String> = (0..4).map(|_| self.below(300).to_string()).collect();
        o.join(".")
    }
    fn value(&mut self, ty: &Ty) -> Val {
        match ty {
            Ty::Int { min, max } => Val::Int(self.int_near(*min, *max)),
            Ty::Enum { allowed, .. } => {
                let k = self.below(allowed.len() as u64 + 2) as usize;
                Val::Int(allowed.get(k).copied().unwrap_or(k as i64 + 100))
            }
            Ty::Str { max_len } => {
                let m = max_len.map_or(40, |m| m as usize + 2);
                // Now and then the start a format rule asks for (an MMS
                // server's `http://`).
                // Now and then only digits (a POP3 mail id).
                if self.below(4) == 0 {
                    let n = 1 + self.below(12);
                    return Val::Str((0..n).map(|_| self.below(10).to_string()).collect());
                }
                let start = if self.below(3) == 0 { "http://" } else { "" };
                Val::Str(format!("{start}{}", self.text(m)))
            }
            Ty::Ip | Ty::IpAny => Val::Str(self.ipv4()),
            Ty::Host { max_len } | Ty::HostAny { max_len } => {
                if self.below(2) == 0 {
                    Val::Str(self.ipv4())
                } else {
                    Val::Str(self.text(max_len.map_or(40, |m| m as usize + 2)))
                }
            }
            _ => Val::Str(self.text(8)),
        }
    }
}

/// Every form of the dialect, by indexes.
fn forms() -> Vec<(usize, usize)> {
    DIALECT
        .commands
        .iter()
        .enumerate()
        .flat_map(|(c, cmd)| (0..cmd.forms.len()).map(move |f| (c, f)))
        .collect()
}

/// Random values for form `f` of command `c`: constants kept now and then
/// at the form's own value so that its request can be built.
fn values(g: &mut Gen, c: usize, f: usize) -> Bound {
    let Some(form) = wip::command::form(&DIALECT, c, f) else {
        return Bound::default();
    };
    let params = form
        .params
        .iter()
        .map(|p| {
            if p.optional && g.below(3) == 0 {
                None
            } else {
                Some(g.value(&p.ty))
            }
        })
        .collect();
    let mut b = Bound::of(params);
    // A form bound to option tables: one option of its first table, its
    // number in the id parameter, its values random.
    if let Some(binding) = &form.options {
        let Some(&(_, table)) = binding.tables.first() else {
            return b;
        };
        let Some(t) = DIALECT.tables.get(table) else {
            return b;
        };
        let option = g.below(t.options.len() as u64 + 1) as usize;
        let Some(o) = t.options.get(option) else {
            return b;
        };
        if let Some(id) = b.params.get_mut(binding.id_param) {
            *id = Some(Val::Int(o.id));
        }
        let values = if g.below(4) == 0 {
            Vec::new()
        } else {
            o.values.iter().map(|p| Some(g.value(&p.ty))).collect()
        };
        b.option = Some(wip::BoundOption {
            table,
            option,
            values,
            rest: Vec::new(),
        });
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn the_generated_check_agrees_with_the_engine(form in 0usize..1000, seed in 1u64..) {
        let all = forms();
        let Some(&(c, f)) = all.get(form % all.len()) else {
            return Ok(());
        };
        let mut g = Gen(seed);
        let b = values(&mut g, c, f);
        // Values the typed request cannot hold (an integer past its Rust
        // type, a constant of another form) make no request.
        let Ok(req) = Request::from_bound(c, f, &b) else {
            return Ok(());
        };
        let bound = req.to_bound();
        let engine = wip::command::checked_line(&DIALECT, c, f, &bound);
        let mut line = String::from("kept ");
        let mut scratch = Bound::default();
        let direct = req.write_checked(&mut line, &mut scratch);
        if direct {
            prop_assert!(req.checked_directly());
            let written = line.strip_prefix("kept ").unwrap_or_default();
            prop_assert_eq!(engine.as_deref().ok(), Some(written), "{:?}", req);
            prop_assert_eq!(written, wip::format_command(&DIALECT, c, f, &bound));
        } else {
            prop_assert_eq!(line.as_str(), "kept ");
            if req.checked_directly() {
                prop_assert!(engine.is_err(), "{:?}: the engine takes {:?}", req, engine);
            }
        }
    }
}

/// The forms of rev 009 checked directly include those a host app sends
/// most (the bench's `AT+WIPCREATE=2,…`, `AT+WIPCLOSE=…` and the read of
/// a bearer option `AT+WIPBR=3,…`), and each
/// one's generated check passes for values the engine takes.
#[test]
fn common_forms_are_checked_directly() {
    use wip_bindings::rev009::*;
    let create = WipCreateTcpClient::new(1, "10.0.0.1", 80).ok();
    let close = WipCloseClose::new(Protocol::TcpClient, 1).ok();
    let read = WipBrRead::new().ok();
    let get = WipBrGetOption::new(BearerId::Gprs, BearerOption::GprsApn).ok();
    let reqs: Vec<Request> = [
        create.map(Request::from),
        close.map(Request::from),
        read.map(Request::from),
        get.map(Request::from),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert_eq!(reqs.len(), 4);
    for r in &reqs {
        assert!(r.checked_directly(), "{r:?}");
        let mut line = String::new();
        assert!(r.write_checked(&mut line, &mut Bound::default()), "{r:?}");
        assert_eq!(line, r.encode());
    }
    let n = forms()
        .iter()
        .filter(|(c, f)| {
            wip::command::form(&DIALECT, *c, *f).is_some_and(|x| x.kind == FormKind::Action)
        })
        .count();
    assert!(n > 0);
    // A value out of range is left to the engine, which names it.
    let bad = WipCloseClose {
        protocol: Protocol::TcpServer,
        idx: 7,
    };
    let mut line = String::new();
    assert!(!wip::typed::TypedCommand::write_checked(
        &bad,
        &mut line,
        &mut Bound::default()
    ));
    assert!(line.is_empty());
    let e = wip::typed::TypedCommand::validate(&bad).map(|_| ());
    assert!(e.is_err_and(|e| e.to_string().contains("idx")));
}

/// The random values above reach both sides of every directly checked
/// form: values the generated check takes, and values it leaves to the
/// engine, which refuses them too.
#[test]
fn random_values_reach_both_outcomes_of_every_direct_form() {
    let all = forms();
    let mut seen = vec![(false, false, false); all.len()];
    for seed in 1..40_000u64 {
        let i = (seed as usize) % all.len();
        let (Some(&(c, f)), Some(s)) = (all.get(i), seen.get_mut(i)) else {
            continue;
        };
        let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let Ok(req) = Request::from_bound(c, f, &values(&mut g, c, f)) else {
            continue;
        };
        s.0 |= req.checked_directly();
        let mut line = String::new();
        if req.write_checked(&mut line, &mut Bound::default()) {
            s.1 = true;
        } else if req.checked_directly() {
            s.2 = true;
            let engine = wip::command::checked_line(&DIALECT, c, f, &req.to_bound());
            assert!(engine.is_err(), "{req:?}: the engine takes {engine:?}");
        }
    }
    let direct: Vec<_> = seen.iter().filter(|s| s.0).collect();
    assert!(
        direct.len() >= 30,
        "{} forms checked directly",
        direct.len()
    );
    for (k, s) in all.iter().zip(&seen) {
        if s.0 {
            assert!(s.1, "form {k:?}: no values the generated check takes");
            let form = wip::command::form(&DIALECT, k.0, k.1);
            let has_values = form.is_some_and(|f| !f.params.is_empty());
            // Fields whose every typed value holds: value sets, and the
            // option a form reads (its type lists the readable ones).
            let fixed = form.is_some_and(|f| {
                f.params.iter().enumerate().all(|(i, p)| {
                    matches!(p.ty, Ty::Enum { .. })
                        || f.options.as_ref().is_some_and(|o| o.id_param == i)
                })
            });
            if has_values && !fixed {
                assert!(s.2, "form {k:?}: no values left to the engine");
            }
        }
    }
}
