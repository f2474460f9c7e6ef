//! The fast paths of [`kl`](super::kl) and [`js`](super::js): chunks of
//! [`CHUNK`] entries whose terms are computed without branches, with a
//! logarithm of its own ([`ln_normal`]), so that the loops vectorise.
//!
//! Each chunk function returns `None` when some entry is outside what the
//! branch-free terms take (subnormal entries or ratios, a zero `q` against a
//! positive `p`); the caller then takes the careful path of the parent module,
//! entry by entry. Both paths give the same value to about 1e-14 relative
//! (tests/speed_accuracy.rs); which one runs depends only on the input, so
//! the output is deterministic.
//!
//! The two chunk functions are compiled three times: for AVX-512 (with FMA),
//! for AVX2 with FMA, and for the baseline x86-64 (SSE2); the first copy the
//! CPU can run is picked at run time (`multiversion`, which detects the
//! features once). The copies compute the same operations in the same order
//! with the same roundings ([`fused_mul_add`] is fused in all three), so the
//! copy changes the speed only, never a bit of the result.

use super::{SERIES_BELOW, SERIES_TERMS};
use crate::numeric::{CompensatedSum, two_sum};
use multiversion::multiversion;
use std::f64::consts::LN_2;

/// The sums of [`kl_term`](super::kl_term) and of `q - p` over one chunk by
/// [`kl_term_fast`], whose loop vectorises; `None` when some entry needs the
/// careful path. `q - p` is summed exactly per lane (Knuth's two-sum keeps
/// every rounding error). Compiled for several CPUs (see the module
/// documentation), with the same result on each.
#[multiversion(targets("x86_64+avx512f+avx512vl+avx2+fma", "x86_64+avx2+fma"))]
pub(super) fn kl_chunk_fast(p: &[f64; CHUNK], q: &[f64; CHUNK]) -> Option<(f64, f64)> {
    let mut terms = [0.0; CHUNK];
    let mut hard = 0u32;
    for i in 0..CHUNK {
        let (term, easy) = kl_term_fast(p[i], q[i]);
        terms[i] = term;
        hard += u32::from(!easy);
    }
    if hard > 0 {
        return None;
    }
    let mut mass = [0.0; LANES];
    let mut mass_error = [0.0; LANES];
    for (pl, ql) in p.chunks_exact(LANES).zip(q.chunks_exact(LANES)) {
        for j in 0..LANES {
            for v in [ql[j], -pl[j]] {
                let (total, error) = two_sum(mass[j], v);
                mass[j] = total;
                mass_error[j] += error;
            }
        }
    }
    let mut mass_difference = CompensatedSum::new();
    for j in 0..LANES {
        mass_difference.add(mass[j]);
        mass_difference.add(mass_error[j]);
    }
    Some((lane_sum(&terms), mass_difference.value()))
}

/// `1/(k (k - 1))` for `k = 19, 18, ..., 2` (`SERIES_TERMS` terms): the
/// series of [`phi_kl`](super::phi_kl), highest first for Horner (constants, as for
/// [`JS_SERIES`]).
const KL_SERIES: [f64; SERIES_TERMS as usize] = {
    let mut c = [0.0; SERIES_TERMS as usize];
    let mut i = 0;
    while i < SERIES_TERMS {
        let k = SERIES_TERMS + 1 - i;
        c[i as usize] = 1.0 / (k * (k - 1)) as f64;
        i += 1;
    }
    c
};

/// [`kl_term`](super::kl_term) without branches, and whether this entry is one it takes.
///
/// With `r = a/b` and `u = (a - b)/b`: the term is `a ln r - a + b` with the
/// vectorisable logarithm [`ln_normal`], and `b u^2 sum_k (-u)^(k-2)/(k(k-1))`
/// (the series of [`phi_kl`](super::phi_kl)) where `|u| < 1/8`, where the log form
/// cancels; `a = 0` gives `b`. It takes `a = 0`, or `a`, `b` and `r` normal;
/// a chunk with any other entry (a zero `q` against a positive `p`,
/// subnormals) goes the careful way.
///
/// Accuracy: where the log form is used, `|ln r| >= 0.117` is within about
/// one ulp, and `a ln r` and `b - a` cancel by at most a factor 20, so each
/// term is within about 1e-14 relative.
#[inline(always)]
fn kl_term_fast(a: f64, b: f64) -> (f64, bool) {
    let inverse_b = 1.0 / b;
    let r = a * inverse_b;
    let log_form = fused_mul_add(a, ln_normal(r), b - a);
    // a - b is exact where the series is used (a/b within 1/8 of 1).
    let u = (a - b) * inverse_b;
    let mut acc = 0.0;
    for c in KL_SERIES {
        acc = fused_mul_add(acc, -u, c);
    }
    let series = b * (u * u * acc);
    let term = if u.abs() < SERIES_BELOW {
        series
    } else {
        log_form
    };
    let term = if a == 0.0 { b } else { term };
    let term = if term > 0.0 { term } else { 0.0 };
    let easy = (a == 0.0)
        | ((a >= f64::MIN_POSITIVE) & (b >= f64::MIN_POSITIVE) & (r >= f64::MIN_POSITIVE));
    (term, easy)
}

/// Entries per chunk of the fast paths: the per-lane sums of a chunk add
/// `CHUNK / LANES = 32` terms (relative error at most 32 EPS, all terms
/// being non-negative), and chunks are added with a compensated sum.
pub(super) const CHUNK: usize = 256;

/// Independent accumulators per chunk: one vector register of f64 on AVX-512.
const LANES: usize = 8;

/// A tail of at least this many entries is padded with zeros to a full
/// chunk and takes the fast path (a pair of zeros adds 0 to JS, KL and the
/// mass difference); a shorter one is cheaper entry by entry.
pub(super) const PAD_FROM: usize = CHUNK / 4;

/// `x` followed by zeros, as a full chunk (`x.len() <= CHUNK`).
pub(super) fn padded(x: &[f64]) -> [f64; CHUNK] {
    let mut out = [0.0; CHUNK];
    out[..x.len()].copy_from_slice(x);
    out
}

/// A slice of `CHUNK` entries as an array (the compiler then knows the trip count).
pub(super) fn as_chunk(x: &[f64]) -> &[f64; CHUNK] {
    x.try_into().expect("chunks_exact yields CHUNK entries")
}

/// Sum of [`js_term`](super::js_term) over one chunk by [`js_term_fast`], whose loop
/// vectorises; `None` when some entry needs the careful path. Compiled for
/// several CPUs (see the module documentation), with the same result on each.
#[multiversion(targets("x86_64+avx512f+avx512vl+avx2+fma", "x86_64+avx2+fma"))]
pub(super) fn js_chunk_fast(p: &[f64; CHUNK], q: &[f64; CHUNK]) -> Option<f64> {
    let mut terms = [0.0; CHUNK];
    let mut hard = 0u32;
    for i in 0..CHUNK {
        let (term, easy) = js_term_fast(p[i], q[i]);
        terms[i] = term;
        hard += u32::from(!easy);
    }
    (hard == 0).then(|| lane_sum(&terms))
}

/// Sum of a chunk in [`LANES`] independent accumulators (a vector add per
/// step), then across the lanes.
#[inline(always)]
fn lane_sum(terms: &[f64; CHUNK]) -> f64 {
    let mut sums = [0.0; LANES];
    for lane in terms.chunks_exact(LANES) {
        for j in 0..LANES {
            sums[j] += lane[j];
        }
    }
    sums.iter().sum()
}

/// `1/(k (2k - 1))` for `k = 9, 8, ..., 1` (`SERIES_TERMS / 2` terms): the
/// series of [`js_term`](super::js_term) in `t^2`, highest first for Horner. (Constants,
/// not computed in the loop: that keeps the loop body straight-line code
/// the vectoriser takes.)
const JS_SERIES: [f64; (SERIES_TERMS / 2) as usize] = {
    let mut c = [0.0; (SERIES_TERMS / 2) as usize];
    let mut i = 0;
    while i < SERIES_TERMS / 2 {
        let k = SERIES_TERMS / 2 - i;
        c[i as usize] = 1.0 / (k * (2 * k - 1)) as f64;
        i += 1;
    }
    c
};

/// [`js_term`](super::js_term) without branches, and whether this entry is one it takes.
///
/// With `x >= y` the larger and smaller entry, `r = y/x` and `s = x + y`,
/// the term is `x ln(2/(1+r)) + y ln(2r/(1+r))`, taken as
/// `x (ln 2 - ln(1+r)) + y (ln 2 - ln(1+r) + ln r)` with the vectorisable
/// logarithm [`ln_normal`] (the two logarithms and `t = (x - y)/s` share one
/// division). Where `t < 1/8` the two products cancel, and the series in
/// `t^2` of [`js_term`](super::js_term) replaces them; `y = 0` gives `x ln 2`. It takes
/// `y = 0`, or `y` and `r` normal; entries outside that (subnormal entries,
/// ratios below 2.2e-308) are rare, and their chunk goes the careful way.
///
/// Accuracy: `ln(1+r)` of the rounded `1 + r` is off by at most EPS
/// absolute, and both bracketed logarithms are at least 0.117 in size where
/// the log form is used (`t >= 1/8`), so each is within a few EPS relative;
/// the two products cancel by at most a factor 9 there. Each term is thus
/// within about 1e-14 relative, and so is the sum of these non-negative terms.
#[inline(always)]
fn js_term_fast(a: f64, b: f64) -> (f64, bool) {
    let (x, y) = if a >= b { (a, b) } else { (b, a) };
    let r = y / x;
    let (k_r, f_r) = ln_reduce(r);
    let (k_1pr, f_1pr) = ln_reduce(1.0 + r);
    // One division for f_r/(2 + f_r), f_1pr/(2 + f_1pr) and (x - y)/s.
    let (d_r, d_1pr) = (2.0 + f_r, 2.0 + f_1pr);
    let s = x + y;
    let d_both = d_r * d_1pr;
    let inverse = 1.0 / (d_both * s);
    let ln_r = ln_finish(k_r, f_r, f_r * (d_1pr * s) * inverse);
    let ln_1pr = ln_finish(k_1pr, f_1pr, f_1pr * (d_r * s) * inverse);
    let ln_big = LN_2 - ln_1pr;
    let ln_small = ln_big + ln_r;
    let log_form = fused_mul_add(x, ln_big, y * ln_small);
    let t = (x - y) * d_both * inverse;
    let t2 = t * t;
    let mut acc = 0.0;
    for c in JS_SERIES {
        acc = fused_mul_add(acc, t2, c);
    }
    let series = 0.5 * s * t2 * acc;
    let term = if t < SERIES_BELOW { series } else { log_form };
    let term = if y == 0.0 { x * LN_2 } else { term };
    let term = if term > 0.0 { term } else { 0.0 };
    let easy = (y == 0.0) | ((y >= f64::MIN_POSITIVE) & (r >= f64::MIN_POSITIVE));
    (term, easy)
}

/// `ln 2` split in two: `LN2_HI` keeps the top 21 bits of the mantissa, so
/// that `k * LN2_HI` is exact for every exponent `k` of an `f64`;
/// `LN2_LO` is the rest of the true `ln 2` (including the part beyond
/// `std::f64::consts::LN_2`, 2.319046813846299558e-17).
const LN2_HI: f64 = f64::from_bits(std::f64::consts::LN_2.to_bits() & !0xffff_ffff);
const LN2_LO: f64 = (std::f64::consts::LN_2 - LN2_HI) + 2.319_046_813_846_299_558e-17;

/// Bits of `sqrt(1/2)`: subtracting them from the bits of `x` puts the
/// exponent `k` with `x = m 2^k`, `m` in `[sqrt(1/2), sqrt(2))`, in the top bits.
const SQRT_HALF_BITS: u64 = 0x3fe6_a09e_667f_3bcd;
const MANTISSA_MASK: u64 = (1 << 52) - 1;

/// `ln x` for a positive, normal, finite `x`, without branches (or calls, in
/// the chunk functions' FMA copies), so that loops over it vectorise; within
/// about 1 ulp of the true value.
///
/// Write `x = m 2^k` with `m` in `[sqrt(1/2), sqrt(2))` (integer arithmetic
/// on the bits, [`ln_reduce`]), `f = m - 1` (exact, by Sterbenz) and
/// `s = f / (2 + f)`, so that `ln m = 2 atanh(s) = 2 s + 2 s^3/3 + 2 s^5/5 + ...`
/// with `s^2 <= 0.0295`. Since `2 s = f - s f` and `s f = f^2/2 - s f^2/2`,
/// `ln m = f - f^2/2 + s (f^2/2 + R)` with `R = sum_{j>=1} 2 s^(2j) / (2j + 1)`
/// ([`ln_finish`]), `R = z Q(z)` with `z = s^2` and `Q` a polynomial of
/// degree 6 ([`LN_Q`]) off by less than 0.02 ulp of `ln m`. `f` is exact and
/// the correction is small, so the rounding errors stay within about one
/// ulp; `k ln 2` is added in two parts, the first exact.
///
/// For any other input the result is finite or NaN but meaningless; callers
/// select it away (see [`ln_branchless`] for the total version).
#[inline(always)]
pub(crate) fn ln_normal(x: f64) -> f64 {
    let (k, f) = ln_reduce(x);
    ln_finish(k, f, f / (2.0 + f))
}

/// `(k, f)` with `x = (1 + f) 2^k`, `1 + f` in `[sqrt(1/2), sqrt(2))`, for a
/// positive normal `x`; `k` as an `f64`. See [`ln_normal`].
#[inline(always)]
pub(crate) fn ln_reduce(x: f64) -> (f64, f64) {
    let shifted = x.to_bits().wrapping_sub(SQRT_HALF_BITS);
    // Arithmetic shift: the exponent relative to sqrt(1/2), with its sign.
    let k = ((shifted as i64) >> 52) as f64;
    let m = f64::from_bits((shifted & MANTISSA_MASK) + SQRT_HALF_BITS);
    (k, m - 1.0)
}

/// `k ln 2 + ln(1 + f)` from [`ln_reduce`]'s `(k, f)` and `s = f / (2 + f)`,
/// which the caller computes (so that several logarithms can share one
/// division). See [`ln_normal`].
#[inline(always)]
pub(crate) fn ln_finish(k: f64, f: f64, s: f64) -> f64 {
    let z = s * s;
    let mut r = 0.0;
    for c in LN_Q {
        r = fused_mul_add(r, z, c);
    }
    r *= z;
    let half_f2 = 0.5 * f * f;
    fused_mul_add(
        k,
        LN2_HI,
        f - (half_f2 - fused_mul_add(s, half_f2 + r, k * LN2_LO)),
    )
}

/// `Q(z) = R(z)/z = sum_{j>=1} 2 z^(j-1) / (2j + 1)` on `[0, 0.02944]` (the
/// range of `z = s^2` in [`ln_normal`]) by a polynomial of degree 6, highest
/// coefficient first for Horner: a Chebyshev fit, close to minimax, with
/// largest error 3.1e-16, printed by
/// `benches/compare/fast_path_reference.py --ln-coefficients`. Its error
/// reaches `ln m` multiplied by `s z <= 0.0051`, below 0.02 ulp; the
/// truncated Taylor series would need 10 terms for the same.
const LN_Q: [f64; 7] = [
    0.14616449685043406,
    0.15331721600556042,
    0.18182889125261723,
    0.2222221113479508,
    0.28571428625975487,
    0.39999999999899505,
    0.666666666666667,
];

/// `a b + c` with one rounding, on every CPU: one FMA instruction in the
/// chunk functions' AVX2 and AVX-512 copies; elsewhere (their baseline copy,
/// which runs on a CPU without FMA, and [`ln_branchless`]) a call that computes
/// the same correctly rounded value (with the FMA instruction where the CPU
/// has one, in software otherwise). So the results do not depend on the CPU.
#[inline(always)]
pub(crate) fn fused_mul_add(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c)
}

/// `ln x` without branches, so that a loop over it vectorises (the standard
/// library's `ln` is a call that does not) where it is compiled with FMA,
/// as in the divergences' own loops (elsewhere its fused multiply-adds are
/// calls: the same bits, more slowly); within about 1 ulp of the true value
/// for every positive `x`, subnormals included. The same bits on every CPU.
///
/// Special values as for `f64::ln`: `ln 0 = -inf`, `ln(+inf) = +inf`, NaN
/// for negative or NaN `x`. See the crate's divergences for its use: Jensen-Shannon
/// and KL on long vectors take two logarithms per entry.
#[inline]
pub fn ln_branchless(x: f64) -> f64 {
    // Subnormals: scale by 2^54 into the normal range, take 54 off the exponent.
    const SCALE: f64 = (1u64 << 54) as f64;
    let subnormal = x < f64::MIN_POSITIVE;
    let (scaled, extra) = if subnormal {
        (x * SCALE, -54.0)
    } else {
        (x, 0.0)
    };
    let (k, f) = ln_reduce(scaled);
    let value = ln_finish(k + extra, f, f / (2.0 + f));
    if x == 0.0 {
        f64::NEG_INFINITY
    } else if x < 0.0 || x.is_nan() {
        f64::NAN
    } else if x == f64::INFINITY {
        f64::INFINITY
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::super::{js_sum_careful, js_term, kl_sums_careful, kl_term};
    use super::{
        CHUNK, LN2_HI, LN2_LO, js_chunk_fast, js_term_fast, kl_chunk_fast, kl_term_fast,
        ln_branchless, padded,
    };

    /// Relative agreement of a fast term, or a fast chunk's sum, with the
    /// careful one on the same entries.
    ///
    /// Reason: the fast terms are within about 1e-14 relative of the exact
    /// terms (see [`kl_term_fast`] and [`js_term_fast`]: a few ulps of each
    /// logarithm, magnified at most 20 times by cancellation), the careful
    /// ones within a few ulps; the chunk adds non-negative terms (at most 32
    /// ulps in a lane). 1e-13 leaves a factor of 5 (as tests/fast_paths.rs).
    const FAST_REL: f64 = 1e-13;

    /// Agreement of the two mass differences `sum q - sum p`, relative to
    /// the entries' total: the fast one is exact per lane (two-sum) and
    /// compensated across lanes, the careful one a compensated sum; each is
    /// within about an ulp of the total, so 1 EPS. A dropped or sign-flipped
    /// entry (at least 1e-4 here) is off by far more.
    const MASS_REL: f64 = f64::EPSILON;

    /// `(p, q)` entries of every kind the fast KL terms take, cycling with
    /// the index: nearly equal (the series), far apart (the logarithms),
    /// `p = 0` (the term is `q`), both 0, ratios near 1e-250 and 1e+250.
    fn easy_kl_pair(i: usize) -> (f64, f64) {
        let x = 1e-4 * (1.0 + (i % 13) as f64);
        match i % 6 {
            0 => (x, x * (1.0 + 1e-3 * (i % 5) as f64)),
            1 => (x, 3.7 * x),
            2 => (0.0, x),
            3 => (0.0, 0.0),
            4 => (1e-150, 1e100 * x),
            _ => (1e100 * x, 1e-150),
        }
    }

    /// The same for JS, which also takes a zero on either side alone.
    fn easy_js_pair(i: usize) -> (f64, f64) {
        match i % 7 {
            6 => (1e-4 * (i % 3) as f64, 0.0),
            _ => easy_kl_pair(i),
        }
    }

    fn chunk(pair: impl Fn(usize) -> (f64, f64)) -> ([f64; CHUNK], [f64; CHUNK]) {
        let (mut p, mut q) = ([0.0; CHUNK], [0.0; CHUNK]);
        for i in 0..CHUNK {
            (p[i], q[i]) = pair(i);
        }
        (p, q)
    }

    fn close(fast: f64, careful: f64) -> bool {
        (fast - careful).abs() <= FAST_REL * careful.abs()
    }

    /// Each fast term agrees with the careful term and says it takes the
    /// entry; a chunk of such entries takes the fast path (`Some`), and its
    /// sums agree with the careful sums. Without this, a fast path that never
    /// ran (every chunk `None`) would pass every other test, the careful path
    /// giving the same values.
    #[test]
    fn easy_chunks_take_the_fast_path_and_agree_with_the_careful_one() {
        for i in 0..CHUNK {
            let (a, b) = easy_kl_pair(i);
            let (term, easy) = kl_term_fast(a, b);
            assert!(
                easy && close(term, kl_term(a, b)),
                "KL term ({a:e}, {b:e}): {term:e}, {easy}"
            );
            let (a, b) = easy_js_pair(i);
            let (term, easy) = js_term_fast(a, b);
            assert!(
                easy && close(term, js_term(a, b)),
                "JS term ({a:e}, {b:e}): {term:e}, {easy}"
            );
        }
        let (p, q) = chunk(easy_kl_pair);
        let (terms, mass) = kl_chunk_fast(&p, &q).expect("an easy chunk takes the fast path");
        let (careful_terms, careful_mass) = kl_sums_careful(&p, &q).unwrap();
        assert!(
            close(terms, careful_terms),
            "KL chunk: {terms:e} against {careful_terms:e}"
        );
        let total: f64 = p.iter().chain(&q).sum();
        assert!(
            (mass - careful_mass).abs() <= MASS_REL * total,
            "{mass:e} against {careful_mass:e}"
        );
        let (p, q) = chunk(easy_js_pair);
        let sum = js_chunk_fast(&p, &q).expect("an easy chunk takes the fast path");
        assert!(close(sum, js_sum_careful(&p, &q)), "JS chunk: {sum:e}");
    }

    /// One entry the fast terms do not take, anywhere in an easy chunk,
    /// sends the whole chunk the careful way (`None`).
    #[test]
    fn one_hard_entry_sends_the_chunk_the_careful_way() {
        // KL: q = 0 against p > 0, a subnormal p or q, a subnormal ratio.
        let hard_kl = [(0.5, 0.0), (1e-310, 0.5), (0.5, 1e-310), (1e-300, 1e10)];
        // JS: a subnormal smaller entry, a subnormal ratio.
        let hard_js = [(0.5, 1e-310), (1e-310, 0.5), (1e-300, 1e10)];
        for at in [0, 77, CHUNK - 1] {
            for &(a, b) in &hard_kl {
                assert!(!kl_term_fast(a, b).1, "KL ({a:e}, {b:e})");
                let (mut p, mut q) = chunk(easy_kl_pair);
                (p[at], q[at]) = (a, b);
                assert_eq!(kl_chunk_fast(&p, &q), None, "KL ({a:e}, {b:e}) at {at}");
            }
            for &(a, b) in &hard_js {
                assert!(!js_term_fast(a, b).1, "JS ({a:e}, {b:e})");
                let (mut p, mut q) = chunk(easy_js_pair);
                (p[at], q[at]) = (a, b);
                assert_eq!(js_chunk_fast(&p, &q), None, "JS ({a:e}, {b:e}) at {at}");
            }
        }
    }

    /// A tail is padded with zeros to a full chunk (a pair of zeros adds
    /// nothing to either divergence).
    #[test]
    fn tails_are_padded_with_zeros() {
        let tail = [0.25, 0.5, 0.125];
        let chunk = padded(&tail);
        assert_eq!(&chunk[..3], &tail);
        assert!(chunk[3..].iter().all(|&x| x == 0.0 && x.is_sign_positive()));
    }

    /// `ln 2 - LN2_HI` from Python's `decimal` at 60 digits
    /// (`Decimal(2).ln() - Decimal(LN2_HI)` = 4.7493250390316723212145817656...e-7),
    /// rounded to the nearest `f64`.
    const LN2_LO_REFERENCE: f64 = 4.749_325_039_031_672_6e-7;

    /// The split of `ln 2` that [`ln_finish`](super::ln_finish) relies on:
    /// `k LN2_HI` is exact for every exponent `k` of an `f64` (its fused
    /// residual is 0), and `LN2_LO` is the rest of the true `ln 2`.
    #[test]
    fn ln2_split_is_exact_and_complete() {
        for k in -1075..=1024 {
            let k = f64::from(k);
            assert_eq!(k.mul_add(LN2_HI, -(k * LN2_HI)), 0.0, "k = {k}");
        }
        assert_eq!(LN2_LO, LN2_LO_REFERENCE);
    }

    /// Largest distance, in ulps of the result, allowed between `ln_branchless`
    /// and the standard library's `ln`.
    ///
    /// Reason: ours is within about 1 ulp of the true value (atanh series
    /// truncated far below an ulp, exact reduction, one rounding of `f - f^2/2`
    /// dominating), the library's within 1 ulp; 2 ulps bounds their distance.
    const LN_ULPS: f64 = 2.0;

    /// splitmix64, as in benches/compare/fast_path_reference.py.
    fn splitmix64(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    #[test]
    fn ln_branchless_within_two_ulps_of_the_library() {
        let mut state = 7;
        let check = |x: f64| {
            let (ours, libm) = (ln_branchless(x), x.ln());
            // One ulp of the result; at least the spacing at the smallest
            // normal, for results near 0 (x near 1).
            let ulp = (libm.abs() * f64::EPSILON).max(f64::MIN_POSITIVE);
            assert!(
                (ours - libm).abs() <= LN_ULPS * ulp,
                "ln({x:e}): {ours:e} against {libm:e}"
            );
        };
        for _ in 0..200_000 {
            // Every positive finite double, subnormals included, by its bits.
            let x = f64::from_bits(splitmix64(&mut state) % 0x7ff0_0000_0000_0000);
            if x > 0.0 {
                check(x);
            }
            // Near 1, where ln x is small and relative accuracy is hardest.
            let u = (splitmix64(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
            check(1.0 + (u - 0.5) * 1e-3);
        }
        for x in [
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            1.0,
            2.0,
            0.5,
            std::f64::consts::SQRT_2,
        ] {
            check(x);
        }
        assert_eq!(ln_branchless(1.0), 0.0);
        assert_eq!(ln_branchless(0.0), f64::NEG_INFINITY);
        assert_eq!(ln_branchless(f64::INFINITY), f64::INFINITY);
        assert!(ln_branchless(-1.0).is_nan() && ln_branchless(f64::NAN).is_nan());
    }
}
