//! Two runs timed back to back, the order swapped from one pair to the
//! next: on a machine whose speed drifts (a shared VM), the ratio of two
//! runs made a few milliseconds apart is steadier than the ratio of two
//! criterion figures measured seconds apart.

use std::hint::black_box;
use std::time::Instant;

/// What [`ratios`] measured.
pub struct Paired {
    /// The lowest, median and highest ratio `second`'s time / `first`'s
    /// time over the pairs.
    pub ratios: (f64, f64, f64),
    /// The fastest run of `first` and of `second`, in seconds: on a
    /// shared machine the least disturbed runs, so the steadiest figure of
    /// a change to one side.
    pub fastest: (f64, f64),
}

/// The ratio `second`'s time / `first`'s time over `pairs` alternating
/// pairs of runs, and each side's fastest run; `None` without a pair.
pub fn ratios<A, B>(
    pairs: usize,
    mut first: impl FnMut() -> A,
    mut second: impl FnMut() -> B,
) -> Option<Paired> {
    fn time<T>(f: &mut impl FnMut() -> T) -> f64 {
        let t = Instant::now();
        black_box(f());
        t.elapsed().as_secs_f64()
    }
    let mut ratios = Vec::with_capacity(pairs);
    let mut fastest = (f64::INFINITY, f64::INFINITY);
    for i in 0..pairs {
        let (a, b) = if i % 2 == 0 {
            let a = time(&mut first);
            (a, time(&mut second))
        } else {
            let b = time(&mut second);
            (time(&mut first), b)
        };
        fastest = (fastest.0.min(a), fastest.1.min(b));
        if a > 0.0 {
            ratios.push(b / a);
        }
    }
    ratios.sort_by(f64::total_cmp);
    Some(Paired {
        ratios: (
            *ratios.first()?,
            *ratios.get(ratios.len() / 2)?,
            *ratios.last()?,
        ),
        fastest,
    })
}
