//! Numerical building blocks: compensated sums and log-space helpers.
//!
//! Internal to the crate. The two functions a user of the game needs,
//! [`sigmoid`] and [`softplus`], are re-exported by [`crate::game`].
//!
//! Everything here is total on its documented domain: no NaN is produced from
//! valid input, and `0 ln 0` is taken as 0 wherever an entropy-like sum needs it.

/// Neumaier's compensated sum (an improved Kahan sum).
///
/// The error is about `2 EPS * sum |x_i|`, independent of the number of terms,
/// where a naive sum can lose `n EPS`.
///
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
/// use gan_theory::game::softplus;
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
/// use gan_theory::game::sigmoid;
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

/// `(s, e)` with `s = fl(a + b)` and `a + b = s + e` exactly (Knuth's
/// TwoSum), without branches; `e` is 0 when it is not finite (an infinite
/// or overflowing sum), so that it never turns a sum into NaN.
#[inline(always)]
pub(crate) fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let b_part = s - a;
    let a_part = s - b_part;
    let e = (a - a_part) + (b - b_part);
    (s, if e.is_finite() { e } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::{CompensatedSum, ln_share, sum, two_sum};
    use crate::tol::close;

    #[test]
    fn compensated_sum_keeps_what_a_naive_sum_loses() {
        let mut s = CompensatedSum::new();
        for x in [1.0, 1e100, 1.0, -1e100] {
            s.add(x);
        }
        assert_eq!(s.value(), 2.0);
        assert_eq!(sum([1.0, f64::NEG_INFINITY]), f64::NEG_INFINITY); // not NaN
        assert_eq!(sum([f64::MAX, f64::MAX]), f64::INFINITY); // overflow
    }

    #[test]
    fn compensated_sum_of_infinities_is_not_nan() {
        // Neumaier's correction (sum - t) + x is inf - inf once t overflows.
        assert_eq!(sum([1.0, f64::INFINITY]), f64::INFINITY);
        assert_eq!(sum([f64::NEG_INFINITY]), f64::NEG_INFINITY);
        assert_eq!(sum([f64::MAX, f64::MAX]), f64::INFINITY);
    }

    #[test]
    fn ln_share_on_tiny_inputs() {
        // The documented strength: tiny and subnormal a or b.
        const TINIEST: f64 = 5e-324;
        const LN_2: f64 = std::f64::consts::LN_2;
        assert_eq!(ln_share(TINIEST, 0.0), 0.0);
        assert!(close(ln_share(TINIEST, 1.0), TINIEST.ln()));
        assert!(close(ln_share(1.0, TINIEST), -TINIEST));
        assert!(close(ln_share(TINIEST, TINIEST), -LN_2));
        assert!(close(ln_share(f64::MAX, f64::MAX), -LN_2));
    }

    #[test]
    fn ln_share_when_the_sum_overflows() {
        // ln(1e308 / 2.5e308) = ln 0.4; a + b overflows, the ratio does not.
        let reference = -0.916_290_731_874_155_065_183_527_211_8;
        let got = ln_share(1e308, 1.5e308);
        assert!(close(got, reference), "{got}");
    }

    #[test]
    fn ln_share_is_accurate_at_the_extremes() {
        assert_eq!(ln_share(1.0, 0.0), 0.0);
        assert!((ln_share(1e308, 1.5e308) - 0.4f64.ln()).abs() < 1e-15); // a + b overflows
        assert!((ln_share(5e-324, 1.0) - 5e-324f64.ln()).abs() < 1e-12); // subnormal a
    }

    #[test]
    fn two_sum_is_exact() {
        assert_eq!(two_sum(1.0, 1e-17), (1.0, 1e-17));
        assert_eq!(two_sum(9007199254740992.0, 1.0), (9007199254740992.0, 1.0));
        assert_eq!(two_sum(f64::MAX, f64::MAX), (f64::INFINITY, 0.0));
    }
}
