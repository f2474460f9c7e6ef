//! The Jensen-Shannon divergence of two long weight vectors, normalised, on
//! two threads, through the library's `divergence::js` on two halves.
//!
//! Split the points into `S1` (the first half) and `S2`, let `P1`, `P2` be
//! the masses of the normalised `p` on them (`Q1`, `Q2` for `q`), and write
//! `t(a, b) = a ln(2a / (a + b)) + b ln(2b / (a + b))`, so that
//! `JSD(p || q) = 1/2 sum_i t(p_i, q_i)`. Three distributions on fewer points:
//!
//! - `h1`: `p` on `S1` followed by the single mass `P2` (against `q` on `S1`, `Q2`),
//! - `h2`: the single mass `P1` followed by `p` on `S2` (against `Q1`, `q` on `S2`),
//! - `c`: `(P1, P2)` against `(Q1, Q2)`,
//!
//! have `JSD(h1) = 1/2 [sum_S1 t + t(P2, Q2)]`, `JSD(h2) = 1/2 [t(P1, Q1) +
//! sum_S2 t]` and `JSD(c) = 1/2 [t(P1, Q1) + t(P2, Q2)]`, hence exactly
//!
//! `JSD(p || q) = JSD(h1) + JSD(h2) - JSD(c)`.
//!
//! Each of `h1`, `h2`, `c` merges points of `(p, q)`, and merging points never
//! increases an f-divergence, so all three are at most `JSD(p || q)`: the
//! subtraction cannot cancel, and the result carries a few ulps of
//! `JSD(p || q)` (each of the three is within a few ulps of itself). The
//! halves are computed on two threads.
//!
//! Anything unusual (a NaN, negative or infinite entry, totals that are 0 or
//! overflow) makes [`js_of_weights`] return `None`: the caller then takes the
//! library's sequential path, which reports the library's error for the
//! argument and index at fault, or handles the overflow by scaling.

use gan_theory::{Discrete, divergence};
use std::f64::consts::LN_2;

/// Entries per block of the totals: each block is summed in 8 lanes of 8
/// plain additions (vectorised), so a block's relative error is at most
/// 8 units of roundoff; blocks are then added with compensation.
const BLOCK: usize = 64;

/// Neumaier's compensated sum.
#[derive(Default)]
struct Compensated {
    sum: f64,
    carry: f64,
}

impl Compensated {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.carry += if self.sum.abs() >= x.abs() {
            (self.sum - t) + x
        } else {
            (x - t) + self.sum
        };
        self.sum = t;
    }

    fn value(&self) -> f64 {
        self.sum + self.carry
    }
}

/// The sum of `xs`, to about 8 ulps of the sum of their absolute values
/// (NaN if an entry is NaN).
fn total(xs: &[f64]) -> f64 {
    let mut sum = Compensated::default();
    for block in xs.chunks(BLOCK) {
        let mut lanes = [0.0f64; 8];
        let mut eights = block.chunks_exact(8);
        for eight in &mut eights {
            for (lane, x) in lanes.iter_mut().zip(eight) {
                *lane += x;
            }
        }
        let mut b = lanes.iter().sum::<f64>();
        for x in eights.remainder() {
            b += x;
        }
        sum.add(b);
    }
    sum.value()
}

/// `xs / total` with `pad / total` before (`pad_first`) or after them: a
/// probability vector when `pad` is the mass of the other half.
fn padded(xs: &[f64], total: f64, pad: f64, pad_first: bool) -> Option<Discrete> {
    let mut v = Vec::with_capacity(xs.len() + 1);
    if pad_first {
        v.push(pad / total);
    }
    v.extend(xs.iter().map(|x| x / total));
    if !pad_first {
        v.push(pad / total);
    }
    Discrete::new(v).ok()
}

/// `JSD(p / sum p || q / sum q)` for `p`, `q` of the same length (at least
/// 2), computed on two threads (see the module docs); `None` when an entry is
/// not a finite non-negative number or a total is 0 or overflows.
pub(crate) fn js_of_weights(p: &[f64], q: &[f64]) -> Option<f64> {
    let k = p.len() / 2;
    let ((p1, q1), (p2, q2)) = crate::both(
        true,
        || (total(&p[..k]), total(&q[..k])),
        || (total(&p[k..]), total(&q[k..])),
    );
    let (tp, tq) = (p1 + p2, q1 + q2);
    let usable = |t: f64| t.is_finite() && t > 0.0;
    if !(usable(tp) && usable(tq) && p1 >= 0.0 && p2 >= 0.0 && q1 >= 0.0 && q2 >= 0.0) {
        return None;
    }
    let (first, second) = crate::both(
        true,
        || {
            let a = padded(&p[..k], tp, p2, false)?;
            let b = padded(&q[..k], tq, q2, false)?;
            divergence::js(&a, &b).ok()
        },
        || {
            let a = padded(&p[k..], tp, p1, true)?;
            let b = padded(&q[k..], tq, q1, true)?;
            divergence::js(&a, &b).ok()
        },
    );
    let coarse_p = Discrete::new(vec![p1 / tp, p2 / tp]).ok()?;
    let coarse_q = Discrete::new(vec![q1 / tq, q2 / tq]).ok()?;
    let coarse = divergence::js(&coarse_p, &coarse_q).ok()?;
    // Rounding can leave the difference an ulp outside [0, ln 2].
    Some((first? + second? - coarse).clamp(0.0, LN_2))
}
