//! Divergences between discrete distributions, in nats unless said otherwise.
//!
//! Serves claims [B1](crate::proofs::b1_kl_divergence), [B2](crate::proofs::b2_js_divergence),
//! [B3](crate::proofs::b3_js_identity), [B4](crate::proofs::b4_maximum_likelihood),
//! [C4](crate::proofs::c4_disjoint_supports), [C5](crate::proofs::c5_weak_convergence),
//! [D5](crate::proofs::d5_f_gan).
//!
//! | function | formula | range |
//! |---|---|---|
//! | [`entropy`] | H(p) = -sum p ln p | [0, ln n] |
//! | [`cross_entropy`] | H(p, q) = -sum p ln q | [H(p), +inf] |
//! | [`kl`] | KL(p ‖ q) = sum p ln(p / q) | [0, +inf] |
//! | [`js`] | JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2 | [0, ln 2] |
//! | [`js_bits`] | JSD / ln 2 | [0, 1] |
//! | [`js_distance`] | sqrt(JSD), a metric | [0, sqrt(ln 2)] |
//! | [`total_variation`] | ½ sum abs(p - q) | [0, 1] |
//! | [`chi2`] | Pearson chi2(p ‖ q) = sum (p - q)² / q | [0, +inf] |
//! | [`hellinger2`] | squared Hellinger ½ sum (sqrt p - sqrt q)² | [0, 1] |
//!
//! Conventions: `0 ln 0 = 0` and `0 ln(0/q) = 0`; KL, cross-entropy and chi2
//! are `+inf` when p puts mass where q has none (that is their true value,
//! returned as such, not a failure). JS is computed term by term from a form
//! whose every term is non-negative, so it is never negative, never NaN, and
//! stays exact for tiny and subnormal entries such as `5e-324`, where the
//! textbook form through m = (p + q)/2 underflows m to 0 and returns inf or NaN
//! (scipy's `jensenshannon` does).
//!
//! Each function checks only that both distributions have the same length;
//! their entries were validated when the [`Discrete`] values were built.

use crate::error::Result;
use crate::measure::{Discrete, same_len};
use crate::numeric::{self, CompensatedSum, x_ln_x, x_ln_x_over_y};
use kernel::{CHUNK, PAD_FROM, as_chunk, js_chunk_fast, kl_chunk_fast, padded};
use std::f64::consts::LN_2;

mod kernel;

/// Not part of the API (hidden, may change): the fast paths' vectorisable
/// logarithm, exported for the `floor/two_ln` benchmark of
/// benches/divergence.rs only.
#[doc(hidden)]
pub use kernel::ln_branchless;

/// Shannon entropy `H(p) = -sum_i p_i ln p_i` in nats, with `0 ln 0 = 0`.
///
/// Checked by claim [B4](crate::proofs::b4_maximum_likelihood).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::entropy};
/// let p = Discrete::uniform(4)?;
/// assert!((entropy(&p) - 4f64.ln()).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn entropy(p: &Discrete) -> f64 {
    // Each -p ln p is >= 0 for p in [0, 1]; rounding can leave the sum an ulp
    // outside [0, ln n], where it is put back (clamp keeps a NaN visible).
    let upper = (p.len() as f64).ln();
    numeric::sum(p.as_slice().iter().map(|&x| -x_ln_x(x))).clamp(0.0, upper)
}

/// Cross-entropy `H(p, q) = -sum_i p_i ln q_i` in nats; `+inf` when some
/// `p_i > 0` has `q_i = 0`.
///
/// # Errors
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::{cross_entropy, entropy, kl}};
/// let p = Discrete::new(vec![0.25, 0.75])?;
/// let q = Discrete::new(vec![0.5, 0.5])?;
/// // H(p, q) = H(p) + KL(p || q)
/// let lhs = cross_entropy(&p, &q)?;
/// assert!((lhs - entropy(&p) - kl(&p, &q)?).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn cross_entropy(p: &Discrete, q: &Discrete) -> Result<f64> {
    // H(p, q) = H(p) + KL(p || q): two non-negative, accurately computed
    // parts, so the result is never below H(p), as it must not be.
    Ok(entropy(p) + kl(p, q)?)
}

/// Kullback-Leibler divergence `KL(p || q) = sum_i p_i ln(p_i / q_i)` in nats.
///
/// `+inf` exactly when some `p_i > 0` has `q_i = 0`; otherwise finite and
/// `>= 0`, with 0 only for `p = q`. Each term is taken in the form
/// `p ln(p/q) - p + q`, which is non-negative, so terms of opposite sign do
/// not cancel when p is close to q; the sum of the added `q - p` (zero up to
/// the inputs' rounding) is subtracted again at the end.
///
/// Checked by claims [B1](crate::proofs::b1_kl_divergence),
/// [B4](crate::proofs::b4_maximum_likelihood), [C4](crate::proofs::c4_disjoint_supports),
/// [D5](crate::proofs::d5_f_gan).
///
/// # Errors
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::kl};
/// let p = Discrete::new(vec![0.5, 0.5])?;
/// let q = Discrete::new(vec![1.0, 0.0])?;
/// assert_eq!(kl(&p, &q)?, f64::INFINITY);               // p has mass where q has none
/// assert!((kl(&q, &p)? - std::f64::consts::LN_2).abs() < 1e-16);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn kl(p: &Discrete, q: &Discrete) -> Result<f64> {
    same_len(p, q)?;
    Ok(kl_slices(p.as_slice(), q.as_slice()))
}

/// KL on raw slices of equal length whose entries are valid probabilities.
///
/// Full chunks go through [`kl_chunk_fast`], and so does a tail of at least
/// [`PAD_FROM`] entries, padded with zeros; the other chunks and a shorter
/// tail go through [`kl_term`] one entry at a time.
fn kl_slices(p: &[f64], q: &[f64]) -> f64 {
    let mut terms = CompensatedSum::new();
    // sum q - sum p: zero for exactly normalised inputs; subtracting it makes
    // the result sum p ln(p/q) itself, whatever rounding the inputs carry.
    let mut mass_difference = CompensatedSum::new();
    let mut p_chunks = p.chunks_exact(CHUNK);
    let mut q_chunks = q.chunks_exact(CHUNK);
    for (pc, qc) in p_chunks.by_ref().zip(q_chunks.by_ref()) {
        let (pc, qc) = (as_chunk(pc), as_chunk(qc));
        let (chunk_terms, chunk_mass) = match kl_chunk_fast(pc, qc) {
            Some(sums) => sums,
            None => match kl_sums_careful(pc, qc) {
                Some(sums) => sums,
                None => return f64::INFINITY,
            },
        };
        terms.add(chunk_terms);
        mass_difference.add(chunk_mass);
    }
    let (p_tail, q_tail) = (p_chunks.remainder(), q_chunks.remainder());
    let fast_tail = if p_tail.len() >= PAD_FROM {
        kl_chunk_fast(&padded(p_tail), &padded(q_tail))
    } else {
        None
    };
    match fast_tail.or_else(|| kl_sums_careful(p_tail, q_tail)) {
        Some((tail_terms, tail_mass)) => {
            terms.add(tail_terms);
            mass_difference.add(tail_mass);
        }
        None => return f64::INFINITY,
    }
    (terms.value() - mass_difference.value()).clamp(0.0, f64::INFINITY)
}

/// Compensated sums of [`kl_term`] and of `q - p` over two slices; `None`
/// when some `p_i > 0` has `q_i = 0` (KL is then `+inf`).
fn kl_sums_careful(p: &[f64], q: &[f64]) -> Option<(f64, f64)> {
    let mut terms = CompensatedSum::new();
    let mut mass_difference = CompensatedSum::new();
    for (&a, &b) in p.iter().zip(q) {
        if a > 0.0 && b == 0.0 {
            return None;
        }
        terms.add(kl_term(a, b));
        mass_difference.add(b);
        mass_difference.add(-a);
    }
    Some((terms.value(), mass_difference.value()))
}

/// `a ln(a/b) - a + b >= 0`, the generalised KL term, with `0 ln 0 = 0`;
/// `b > 0` whenever `a > 0` (the caller returns +inf otherwise).
#[inline]
fn kl_term(a: f64, b: f64) -> f64 {
    if a == 0.0 {
        return b;
    }
    let r = a / b;
    let term = if (0.5..=2.0).contains(&r) {
        // b phi(u) with u = (a - b)/b (a - b exact here, by Sterbenz) and
        // phi(u) = (1 + u) ln(1 + u) - u, which cancels for small u.
        b * phi_kl((a - b) / b)
    } else if r.is_normal() {
        // a ln r - a + b: no r ln r, which overflows for r above ~2.4e305.
        a * r.ln() - a + b
    } else {
        // The ratio overflowed or went subnormal: logs first.
        x_ln_x_over_y(a, b) - a + b
    };
    term.clamp(0.0, f64::INFINITY)
}

/// Below this |u| (or |t| in JS), the series replace the closed forms: the
/// closed forms lose about `EPS / |u|` relative accuracy to cancellation,
/// and at `|u| = 1/8` the series need at most 18 terms to reach `EPS`.
const SERIES_BELOW: f64 = 0.125;
/// Terms of the series: `(1/8)^18 < EPS / 100`.
const SERIES_TERMS: i32 = 18;

/// `phi(u) = (1 + u) ln(1 + u) - u >= 0` for `u >= -1/2`, accurate to a few
/// ulps relative, also for tiny `u`:
/// `phi(u) = sum_{k>=2} (-u)^k / (k (k-1))` when `|u| < 1/8`.
#[inline]
fn phi_kl(u: f64) -> f64 {
    if u.abs() >= SERIES_BELOW {
        return (1.0 + u) * u.ln_1p() - u;
    }
    // Horner from the last term: sum_{k=2}^{K} (-u)^(k-2) / (k (k-1)), times u^2.
    let mut acc = 0.0;
    for k in (2..=SERIES_TERMS + 1).rev() {
        let k = f64::from(k);
        acc = acc * (-u) + 1.0 / (k * (k - 1.0));
    }
    u * u * acc
}

/// Jensen-Shannon divergence `JSD(p || q) = ½ KL(p || m) + ½ KL(q || m)`,
/// `m = (p + q) / 2`, in nats: symmetric, in `[0, ln 2]`, 0 iff `p = q`,
/// `ln 2` iff the supports are disjoint.
///
/// Never NaN, never negative, finite for every valid input including
/// subnormal entries.
///
/// Checked by claims [B2](crate::proofs::b2_js_divergence), [B3](crate::proofs::b3_js_identity),
/// [C4](crate::proofs::c4_disjoint_supports), [C5](crate::proofs::c5_weak_convergence),
/// [D5](crate::proofs::d5_f_gan).
///
/// # Errors
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::js};
/// // The worked example of Theorem 1: JSD = (ln 2)/2.
/// let p_data = Discrete::new(vec![0.5, 0.5, 0.0])?;
/// let p_g = Discrete::new(vec![0.0, 0.5, 0.5])?;
/// assert!((js(&p_data, &p_g)? - std::f64::consts::LN_2 / 2.0).abs() < 1e-16);
/// // Subnormal entries: scipy's jensenshannon gives inf here.
/// let p = Discrete::new(vec![5e-324, 1.0])?;
/// let q = Discrete::new(vec![0.0, 1.0])?;
/// let d = js(&p, &q)?;
/// assert!(d.is_finite() && d >= 0.0 && d < 1e-320);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn js(p: &Discrete, q: &Discrete) -> Result<f64> {
    same_len(p, q)?;
    Ok(js_slices(p.as_slice(), q.as_slice()))
}

/// JSD on raw slices of equal length whose entries are valid probabilities.
///
/// Full chunks of [`CHUNK`] entries go through [`js_chunk_fast`], and so
/// does a tail of at least [`PAD_FROM`] entries, padded with zeros; a chunk
/// with an entry the fast path does not take (subnormal entries or ratios),
/// and a shorter tail, go through [`js_term`] one entry at a time.
fn js_slices(p: &[f64], q: &[f64]) -> f64 {
    let mut s = CompensatedSum::new();
    let mut p_chunks = p.chunks_exact(CHUNK);
    let mut q_chunks = q.chunks_exact(CHUNK);
    for (pc, qc) in p_chunks.by_ref().zip(q_chunks.by_ref()) {
        let (pc, qc) = (as_chunk(pc), as_chunk(qc));
        s.add(js_chunk_fast(pc, qc).unwrap_or_else(|| js_sum_careful(pc, qc)));
    }
    let (p_tail, q_tail) = (p_chunks.remainder(), q_chunks.remainder());
    let tail = if p_tail.len() >= PAD_FROM {
        js_chunk_fast(&padded(p_tail), &padded(q_tail))
    } else {
        None
    };
    s.add(tail.unwrap_or_else(|| js_sum_careful(p_tail, q_tail)));
    // Rounding can leave the sum an ulp above ln 2; clamp keeps a NaN visible.
    (0.5 * s.value()).clamp(0.0, LN_2)
}

/// Compensated sum of [`js_term`] over two slices.
fn js_sum_careful(p: &[f64], q: &[f64]) -> f64 {
    numeric::sum(p.iter().zip(q).map(|(&a, &b)| js_term(a, b)))
}

/// `a ln(2a/(a+b)) + b ln(2b/(a+b)) >= 0` for `a, b >= 0`.
///
/// Written with the larger entry as `x` and `r = y/x` in `[0, 1]`:
/// `x ln(2/(1+r)) + y ln(2r/(1+r))`, where each logarithm is taken in the form
/// that keeps its relative accuracy (`ln_1p` near 1, logs of the entries when
/// `r` is subnormal). The term equals `(a+b)(ln 2 - h(a/(a+b)))` with h the
/// binary entropy, so it is non-negative; rounding can push it a few ulps
/// below 0 when `a` and `b` are nearly equal, and it is clamped there.
#[inline]
pub(crate) fn js_term(a: f64, b: f64) -> f64 {
    let (x, y) = if a >= b { (a, b) } else { (b, a) };
    if x == 0.0 {
        return 0.0;
    }
    if y == 0.0 {
        return x * LN_2;
    }
    // Nearly equal entries: with s = x + y and t = (x - y)/s (x - y exact by
    // Sterbenz), the term is (s/2) [(1+t) ln(1+t) + (1-t) ln(1-t)]
    // = (s/2) sum_{k>=1} t^(2k) / (k (2k - 1)): no cancellation, and a JSD of
    // 1e-33 between distributions that differ in the last bit stays 1e-33.
    let s = x + y;
    let t = (x - y) / s;
    if t < SERIES_BELOW {
        let t2 = t * t;
        let mut acc = 0.0;
        for k in (1..=SERIES_TERMS / 2).rev() {
            let k = f64::from(k);
            acc = acc * t2 + 1.0 / (k * (2.0 * k - 1.0));
        }
        return 0.5 * s * t2 * acc;
    }
    let r = y / x;
    // ln(2x/(x+y)) = ln(2/(1+r)) = -ln(1 + (r-1)/2); r - 1 is exact for r >= 1/2.
    let ln_big = -(0.5 * (r - 1.0)).ln_1p();
    // ln(2y/(x+y)) = ln(2r/(1+r)).
    let ln_small = if r >= 0.5 {
        ((r - 1.0) / (1.0 + r)).ln_1p()
    } else if r >= f64::MIN_POSITIVE {
        (2.0 * r).ln() - r.ln_1p()
    } else {
        // r is subnormal (or would be): ln(2y/(x+y)) = ln 2 + ln y - ln(x+y).
        LN_2 + y.ln() - (x + y).ln()
    };
    (x * ln_big + y * ln_small).clamp(0.0, f64::INFINITY)
}

/// Jensen-Shannon divergence in bits: `JSD / ln 2`, in `[0, 1]`.
///
/// BrightLamp's note (claim B2) says "JS is in [0, 1]": that holds in bits; in nats the range is `[0, ln 2]`.
///
/// Checked by claim [B2](crate::proofs::b2_js_divergence).
///
/// # Errors
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::js_bits};
/// let p = Discrete::new(vec![1.0, 0.0])?;
/// let q = Discrete::new(vec![0.0, 1.0])?;
/// assert_eq!(js_bits(&p, &q)?, 1.0);   // disjoint supports: exactly 1 bit
/// assert_eq!(js_bits(&p, &p)?, 0.0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn js_bits(p: &Discrete, q: &Discrete) -> Result<f64> {
    Ok((js(p, q)? / LN_2).clamp(0.0, 1.0))
}

/// The Jensen-Shannon distance `sqrt(JSD)` (nats), a metric on distributions
/// (Endres and Schindelin 2003). This is what scipy's `jensenshannon` returns.
///
/// Checked by claim [B2](crate::proofs::b2_js_divergence).
///
/// # Errors
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::js_distance};
/// let p = Discrete::new(vec![1.0, 0.0, 0.0])?;
/// let q = Discrete::new(vec![0.0, 1.0, 0.0])?;
/// let r = Discrete::new(vec![0.5, 0.5, 0.0])?;
/// // Disjoint supports: sqrt(ln 2).
/// assert!((js_distance(&p, &q)? - 2f64.ln().sqrt()).abs() < 1e-15);
/// // A metric: the triangle inequality through the midpoint r.
/// assert!(js_distance(&p, &q)? <= js_distance(&p, &r)? + js_distance(&r, &q)?);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn js_distance(p: &Discrete, q: &Discrete) -> Result<f64> {
    Ok(js(p, q)?.sqrt())
}

/// Total variation distance `½ sum_i |p_i - q_i|`, in `[0, 1]`.
///
/// Checked by claims [B1](crate::proofs::b1_kl_divergence), [B2](crate::proofs::b2_js_divergence),
/// [C1](crate::proofs::c1_optimal_transport), [C4](crate::proofs::c4_disjoint_supports),
/// [C5](crate::proofs::c5_weak_convergence), [D3](crate::proofs::d3_ebgan),
/// [D5](crate::proofs::d5_f_gan).
///
/// # Errors
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::total_variation};
/// let p = Discrete::new(vec![0.5, 0.5, 0.0])?;
/// let q = Discrete::new(vec![0.0, 0.5, 0.5])?;
/// assert_eq!(total_variation(&p, &q)?, 0.5);   // ½ (0.5 + 0 + 0.5)
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn total_variation(p: &Discrete, q: &Discrete) -> Result<f64> {
    same_len(p, q)?;
    let s = numeric::sum(
        p.as_slice()
            .iter()
            .zip(q.as_slice())
            .map(|(a, b)| (a - b).abs()),
    );
    Ok((0.5 * s).clamp(0.0, 1.0))
}

/// Pearson chi-squared divergence `chi2(p || q) = sum_i (p_i - q_i)² / q_i`.
///
/// Terms with `p_i = q_i = 0` are 0; `+inf` when some `p_i > 0` has `q_i = 0`.
/// A term whose true value exceeds `f64::MAX` (q tinier than about 1e-308
/// against p of order 1) is `+inf` as well: the result overflows `f64`.
///
/// Checked by claim [D5](crate::proofs::d5_f_gan).
///
/// # Errors
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::chi2};
/// let p = Discrete::new(vec![0.75, 0.25])?;
/// let q = Discrete::new(vec![0.5, 0.5])?;
/// // (0.25)² / 0.5 + (0.25)² / 0.5 = 0.25
/// assert!((chi2(&p, &q)? - 0.25).abs() < 1e-15);
/// assert_eq!(chi2(&q, &Discrete::new(vec![1.0, 0.0])?)?, f64::INFINITY);   // p has mass q lacks
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn chi2(p: &Discrete, q: &Discrete) -> Result<f64> {
    same_len(p, q)?;
    let mut s = CompensatedSum::new();
    for (&a, &b) in p.as_slice().iter().zip(q.as_slice()) {
        if b == 0.0 {
            if a > 0.0 {
                return Ok(f64::INFINITY);
            }
            continue;
        }
        let d = a - b;
        // d * (d / b), as d*d can underflow to 0 for tiny d; where d / b
        // overflows, d > f64::MAX * b >= 4e-16 and d*d / b is safe. A term
        // that truly overflows is +inf, and so is the sum (not NaN).
        let ratio = d / b;
        s.add(if ratio.is_finite() {
            d * ratio
        } else {
            d * d / b
        });
    }
    Ok(s.value().clamp(0.0, f64::INFINITY))
}

/// Squared Hellinger distance `½ sum_i (sqrt p_i - sqrt q_i)²`, in `[0, 1]`.
///
/// Checked by claim [D5](crate::proofs::d5_f_gan).
///
/// # Errors
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::hellinger2};
/// let p = Discrete::new(vec![1.0, 0.0])?;
/// let q = Discrete::new(vec![0.5, 0.5])?;
/// // ½ ((1 - sqrt ½)² + (0 - sqrt ½)²) = 1 - sqrt ½
/// assert!((hellinger2(&p, &q)? - (1.0 - 0.5f64.sqrt())).abs() < 1e-15);
/// assert_eq!(hellinger2(&p, &Discrete::new(vec![0.0, 1.0])?)?, 1.0);   // disjoint
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn hellinger2(p: &Discrete, q: &Discrete) -> Result<f64> {
    same_len(p, q)?;
    // (sqrt a - sqrt b)^2 = ((a - b) / (sqrt a + sqrt b))^2: no cancellation
    // when a and b are close (a - b is then exact).
    let s = numeric::sum(p.as_slice().iter().zip(q.as_slice()).map(|(&a, &b)| {
        let d = a - b;
        if d == 0.0 {
            0.0
        } else {
            (d / (a.sqrt() + b.sqrt())).powi(2)
        }
    }));
    Ok((0.5 * s).clamp(0.0, 1.0))
}
