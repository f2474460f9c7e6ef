//! The Jensen-Shannon divergence of two long weight vectors, normalised, on
//! two threads, through the library's `divergence::js` on pieces.
//!
//! Cut the points into pieces `S_1, ..., S_K`, let `P_k`, `Q_k` be the masses
//! of the normalised `p` and `q` on `S_k`, and write
//! `t(a, b) = a ln(2a / (a + b)) + b ln(2b / (a + b))`, so that
//! `JSD(p || q) = 1/2 sum_i t(p_i, q_i)`. For each piece, two distributions
//! on few points:
//!
//! - `h_k`: `p` on `S_k` followed by the single mass `1 - P_k` (the other
//!   pieces merged), against `q` on `S_k` followed by `1 - Q_k`;
//! - `c_k`: `(P_k, 1 - P_k)` against `(Q_k, 1 - Q_k)`;
//!
//! and `C`: `(P_1, ..., P_K)` against `(Q_1, ..., Q_K)`. Then
//! `JSD(h_k) = 1/2 [sum_{S_k} t + t(1 - P_k, 1 - Q_k)]`,
//! `JSD(c_k) = 1/2 [t(P_k, Q_k) + t(1 - P_k, 1 - Q_k)]` and
//! `JSD(C) = 1/2 sum_k t(P_k, Q_k)`, hence exactly
//!
//! `JSD(p || q) = sum_k JSD(h_k) - sum_k JSD(c_k) + JSD(C)`.
//!
//! Each of `h_k`, `c_k`, `C` merges points of `(p, q)`, and merging points
//! never increases an f-divergence, so every term is at most `JSD(p || q)`:
//! the result carries a few ulps of `K JSD(p || q)`, whatever the inputs
//! (there is no cancellation beyond that factor K, at most a few tens).
//!
//! The pieces hold at most [`PIECE`] points, so that the two buffers each
//! thread fills for the library's `Discrete` (which owns its entries) are
//! reused from piece to piece instead of being faulted in fresh for the whole
//! length; the pieces are shared between two threads.
//!
//! Anything unusual (a NaN, negative or infinite entry, totals that are 0 or
//! overflow) makes [`js_of_weights`] return `None`: the caller then takes the
//! library's sequential path, which reports the library's error for the
//! argument and index at fault, or handles the overflow by scaling.

use gan_theory::{Discrete, divergence};
use std::f64::consts::LN_2;

/// The most points per piece: 2^20 (8 MiB per buffer, four buffers in all).
/// Reason: small enough that the buffers' first touch is a small part of the
/// work (the whole vectors would be 160 MB at n = 10^7), large enough that
/// the per-piece overhead (two validations of a handful of numbers, a
/// thread's share of K small divergences) is negligible.
pub(crate) const PIECE: usize = 1 << 20;

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

/// The compensated sum of `xs` without entry `skip`.
fn total_without(xs: &[f64], skip: usize) -> f64 {
    let mut sum = Compensated::default();
    for (k, &x) in xs.iter().enumerate() {
        if k != skip {
            sum.add(x);
        }
    }
    sum.value()
}

/// The distribution `(xs / total, rest / total)`, built in `buffer` (whose
/// allocation is reused).
fn piece_distribution(buffer: Vec<f64>, xs: &[f64], rest: f64, total: f64) -> Option<Discrete> {
    let mut v = buffer;
    v.clear();
    v.extend(xs.iter().map(|x| x / total));
    v.push(rest / total);
    Discrete::new(v).ok()
}

/// One side of the work: `sum_k JSD(h_k) - sum_k JSD(c_k)` over the pieces
/// `ks`, reusing two buffers.
fn pieces_sum(
    (p, q): (&[f64], &[f64]),
    piece: usize,
    ks: std::ops::Range<usize>,
    (pm, qm): (&[f64], &[f64]),
    (tp, tq): (f64, f64),
) -> Option<f64> {
    let (mut bp, mut bq) = (Vec::new(), Vec::new());
    let mut sum = Compensated::default();
    for k in ks {
        let range = k * piece..((k + 1) * piece).min(p.len());
        let (rest_p, rest_q) = (total_without(pm, k), total_without(qm, k));
        let a = piece_distribution(bp, &p[range.clone()], rest_p, tp)?;
        let b = piece_distribution(bq, &q[range], rest_q, tq)?;
        sum.add(divergence::js(&a, &b).ok()?);
        let ca = Discrete::new(vec![pm[k] / tp, rest_p / tp]).ok()?;
        let cb = Discrete::new(vec![qm[k] / tq, rest_q / tq]).ok()?;
        sum.add(-divergence::js(&ca, &cb).ok()?);
        (bp, bq) = (a.into_vec(), b.into_vec());
    }
    Some(sum.value())
}

/// `JSD(p / sum p || q / sum q)` for `p`, `q` of the same length (at least
/// 2), computed on two threads (see the module docs; at least two pieces, at
/// most [`PIECE`] points each); `None` when an entry is not a finite
/// non-negative number or a total is 0 or overflows.
pub(crate) fn js_of_weights(p: &[f64], q: &[f64]) -> Option<f64> {
    let piece = PIECE.min(p.len().div_ceil(2));
    let pieces = p.len().div_ceil(piece);
    let half = pieces / 2;
    let masses_of = |ks: std::ops::Range<usize>| -> Vec<(f64, f64)> {
        ks.map(|k| {
            let range = k * piece..((k + 1) * piece).min(p.len());
            (total(&p[range.clone()]), total(&q[range]))
        })
        .collect()
    };
    let (first, second) = crate::both(true, || masses_of(0..half), || masses_of(half..pieces));
    let (pm, qm): (Vec<f64>, Vec<f64>) = first.into_iter().chain(second).unzip();
    let sum_of = |xs: &[f64]| {
        let mut s = Compensated::default();
        xs.iter().for_each(|&x| s.add(x));
        s.value()
    };
    let (tp, tq) = (sum_of(&pm), sum_of(&qm));
    let usable = |t: f64| t.is_finite() && t > 0.0;
    if !(usable(tp) && usable(tq) && pm.iter().chain(&qm).all(|&m| m >= 0.0)) {
        return None;
    }
    let masses = (&pm[..], &qm[..]);
    let (a, b) = crate::both(
        true,
        || pieces_sum((p, q), piece, 0..half, masses, (tp, tq)),
        || pieces_sum((p, q), piece, half..pieces, masses, (tp, tq)),
    );
    let coarse_p = Discrete::new(pm.iter().map(|m| m / tp).collect()).ok()?;
    let coarse_q = Discrete::new(qm.iter().map(|m| m / tq).collect()).ok()?;
    let coarse = divergence::js(&coarse_p, &coarse_q).ok()?;
    let mut jsd = Compensated::default();
    jsd.add(a?);
    jsd.add(b?);
    jsd.add(coarse);
    // Rounding can leave the result a few ulps outside [0, ln 2].
    Some(jsd.value().clamp(0.0, LN_2))
}
