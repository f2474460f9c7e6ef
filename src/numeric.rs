//! Numerical building blocks: compensated sums and log-space helpers.
//!
//! Everything here is total on its documented domain: no NaN is produced from
//! valid input, and `0 ln 0` is taken as 0 wherever an entropy-like sum needs it.

/// Neumaier's compensated sum (an improved Kahan sum).
///
/// The error is about `2 EPS * sum |x_i|`, independent of the number of terms,
/// where a naive sum can lose `n EPS`.
///
/// # Example
/// ```
/// use gan_theory::numeric::{CompensatedSum, sum};
/// let mut s = CompensatedSum::new();
/// for x in [1.0, 1e100, 1.0, -1e100] { s.add(x); }
/// assert_eq!(s.value(), 2.0);
/// assert_eq!(sum([1.0, f64::NEG_INFINITY]), f64::NEG_INFINITY);   // not NaN
/// assert_eq!(sum([f64::MAX, f64::MAX]), f64::INFINITY);           // overflow
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    /// An empty sum (0).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one term.
    ///
    /// An infinite term, or a total that overflows, makes the sum infinite
    /// (the compensation, `inf - inf`, would be NaN and is not formed);
    /// `+inf` and `-inf` together give NaN, as they should.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if t.is_finite() {
            if self.sum.abs() >= x.abs() {
                self.compensation += (self.sum - t) + x;
            } else {
                self.compensation += (x - t) + self.sum;
            }
        }
        self.sum = t;
    }

    /// The sum so far, with its compensation applied.
    #[inline]
    pub fn value(&self) -> f64 {
        if self.sum.is_finite() {
            self.sum + self.compensation
        } else {
            self.sum
        }
    }
}

/// Compensated sum of a sequence; see [`CompensatedSum`].
pub fn sum<I: IntoIterator<Item = f64>>(values: I) -> f64 {
    let mut s = CompensatedSum::new();
    for v in values {
        s.add(v);
    }
    s.value()
}

/// `softplus(x) = ln(1 + e^x)`, accurate for every `x` and never overflowing.
///
/// `softplus(-inf) = 0`, `softplus(+inf) = +inf`.
///
/// # Example
/// ```
/// use gan_theory::numeric::softplus;
/// assert_eq!(softplus(1000.0), 1000.0);            // no overflow
/// assert!((softplus(-40.0) - 4.248354255291589e-18).abs() < 1e-30);
/// assert!((softplus(0.0) - std::f64::consts::LN_2).abs() < 1e-16);
/// ```
#[inline]
pub fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        // x + ln(1 + e^-x): e^-x <= 1 cannot overflow.
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// The logistic function `sigma(x) = 1 / (1 + e^-x)`, without overflow.
///
/// # Example
/// ```
/// use gan_theory::numeric::sigmoid;
/// assert_eq!(sigmoid(0.0), 0.5);
/// assert_eq!(sigmoid(f64::INFINITY), 1.0);
/// assert_eq!(sigmoid(-800.0), 0.0);
/// ```
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// `ln(a / (a + b))` for `a > 0`, `b >= 0`, accurate when either is tiny,
/// subnormal or huge: through the ratio of the smaller to the larger, so that
/// `a + b` is never formed (it can overflow, or round `a` away).
///
/// Returns 0 when `b = 0`.
///
/// # Example
/// ```
/// use gan_theory::numeric::ln_share;
/// assert_eq!(ln_share(1.0, 0.0), 0.0);
/// assert!((ln_share(1e308, 1.5e308) - 0.4f64.ln()).abs() < 1e-15);   // a + b overflows
/// assert!((ln_share(5e-324, 1.0) - 5e-324f64.ln()).abs() < 1e-12);    // subnormal a
/// ```
#[inline]
pub fn ln_share(a: f64, b: f64) -> f64 {
    debug_assert!(a > 0.0 && b >= 0.0);
    if b <= a {
        // a/(a+b) = 1/(1 + b/a) with b/a in [0, 1].
        -(b / a).ln_1p()
    } else {
        // a/(a+b) = r/(1 + r) with r = a/b in (0, 1).
        let r = a / b;
        if r >= f64::MIN_POSITIVE {
            r.ln() - r.ln_1p()
        } else {
            // r is subnormal and has lost precision: take logs first.
            a.ln() - b.ln() - r.ln_1p()
        }
    }
}

/// `x ln x` with the convention `0 ln 0 = 0`.
#[inline]
pub fn x_ln_x(x: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x * x.ln() }
}

/// `x ln(x / y)` for `x, y >= 0`, with `0 ln(0/y) = 0` and `x ln(x/0) = +inf`
/// for `x > 0`. Computed through logarithms when the ratio would overflow or
/// underflow, so it is finite whenever the true value is.
#[inline]
pub fn x_ln_x_over_y(x: f64, y: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    if y == 0.0 {
        return f64::INFINITY;
    }
    let r = x / y;
    if r.is_normal() {
        x * r.ln()
    } else {
        x * (x.ln() - y.ln())
    }
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

/// `ln x` for a positive, normal, finite `x`, without branches or calls, so
/// that loops over it vectorise; within about 1 ulp of the true value.
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

/// `a b + c`, fused (one rounding) when the target has FMA instructions,
/// else a multiply and an add (`f64::mul_add` without hardware FMA is a slow
/// library call); results differ in the last bits between the two builds.
#[inline(always)]
pub(crate) fn fused_mul_add(a: f64, b: f64, c: f64) -> f64 {
    if cfg!(target_feature = "fma") {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `ln x` without branches or library calls, so that a loop over it
/// vectorises (the standard library's `ln` is a call that does not);
/// within about 1 ulp of the true value for every positive `x`, subnormals included.
///
/// Special values as for `f64::ln`: `ln 0 = -inf`, `ln(+inf) = +inf`, NaN
/// for negative or NaN `x`. See the crate's divergences for its use: Jensen-Shannon
/// and KL on long vectors take two logarithms per entry.
///
/// # Example
/// ```
/// use gan_theory::numeric::ln_branchless;
/// for x in [1e-300, 0.1, 1.0, 2.0, 1e300, 5e-324] {
///     let (fast, libm) = (ln_branchless(x), x.ln());
///     assert!((fast - libm).abs() <= 2.0 * f64::EPSILON * libm.abs().max(1.0));
/// }
/// assert_eq!(ln_branchless(0.0), f64::NEG_INFINITY);
/// assert!(ln_branchless(-1.0).is_nan());
/// ```
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
