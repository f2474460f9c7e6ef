//! Double-word arithmetic for the closed forms: a value as an unevaluated sum
//! `hi + lo` of two doubles, `|lo| <= ulp(hi)/2`, which carries about 106 bits.
//!
//! Only what the closed forms need: exact sums and products of doubles
//! (Knuth's two-sum and the fused multiply-add), their sums, a quotient and a
//! logarithm, each with a relative (for `ln`, absolute) error of order
//! `EPS^2` rather than `EPS`.

/// `hi + lo`, the unevaluated sum of two doubles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TwoFold {
    pub(crate) hi: f64,
    pub(crate) lo: f64,
}

impl TwoFold {
    /// `a` exactly.
    pub(crate) fn from(a: f64) -> Self {
        Self { hi: a, lo: 0.0 }
    }

    /// `a + b` exactly (Knuth's two-sum; no condition on the magnitudes).
    pub(crate) fn sum(a: f64, b: f64) -> Self {
        let hi = a + b;
        let b_part = hi - a;
        let lo = (a - (hi - b_part)) + (b - b_part);
        Self { hi, lo }
    }

    /// `a b` exactly (the fused multiply-add gives the rounding error of the
    /// product; exact unless it underflows, which the closed forms' ranges exclude).
    pub(crate) fn product(a: f64, b: f64) -> Self {
        let hi = a * b;
        Self {
            hi,
            lo: a.mul_add(b, -hi),
        }
    }

    /// The double nearest `hi + lo`.
    pub(crate) fn value(self) -> f64 {
        self.hi + self.lo
    }

    /// `self + other`, to a relative error of a few `EPS^2` of the result
    /// (high and low parts are each added exactly, so cancellation between
    /// the high parts costs nothing).
    pub(crate) fn add(self, other: Self) -> Self {
        let high = Self::sum(self.hi, other.hi);
        let low = Self::sum(self.lo, other.lo);
        let first = Self::sum(high.hi, high.lo + low.hi);
        Self::sum(first.hi, first.lo + low.lo)
    }

    /// `-self`, exactly.
    pub(crate) fn neg(self) -> Self {
        Self {
            hi: -self.hi,
            lo: -self.lo,
        }
    }

    /// `self * 2^k` for a power of two `scale`, exactly (barring over- and underflow).
    pub(crate) fn scale(self, scale: f64) -> Self {
        Self {
            hi: self.hi * scale,
            lo: self.lo * scale,
        }
    }

    /// `self * other`, to a relative error of a few `EPS^2`.
    pub(crate) fn mul(self, other: Self) -> Self {
        let high = Self::product(self.hi, other.hi);
        let lo = high.lo + (self.hi * other.lo + self.lo * other.hi);
        Self::sum(high.hi, lo)
    }

    /// `self / other`, to a relative error of a few `EPS^2`: the quotient of
    /// the high parts, corrected by the exactly computed remainder.
    pub(crate) fn div(self, other: Self) -> Self {
        let q = self.hi / other.hi;
        // self.hi - q other.hi is exact in one fma (the remainder of a rounded
        // quotient is representable).
        let remainder = (-q).mul_add(other.hi, self.hi);
        let lo = (remainder + self.lo - q * other.lo) / other.hi;
        Self::sum(q, lo)
    }

    /// `ln(self)` for `self > 0`, to an absolute error of a few `EPS` times
    /// `EPS`-relative terms (about `1e-16` whatever the size of the logarithm,
    /// where a rounded `ln` is off by half an ulp of the result, `3e-14` near
    /// `ln 1e-200`).
    ///
    /// One Newton step from `y = ln(hi)`: `ln(x) = y + ln(x e^-y)`, and
    /// `x e^-y = 1 + c` with `|c|` a few `EPS`, so `ln(1 + c) = c` to `EPS^2`.
    /// `c` is formed with an fma; its error is that of `e^-y` (under one ulp
    /// in the platform's `exp`), an absolute `EPS` in the result.
    pub(crate) fn ln(self) -> Self {
        let y = self.hi.ln();
        let e = (-y).exp();
        let c = self.hi.mul_add(e, -1.0) + self.lo * e;
        Self::sum(y, c)
    }
}

#[cfg(test)]
mod tests {
    use super::TwoFold;

    #[test]
    fn sum_and_product_are_exact() {
        let s = TwoFold::sum(1.0, 1e-20);
        assert_eq!((s.hi, s.lo), (1.0, 1e-20));
        let third = 1.0 / 3.0;
        let p = TwoFold::product(third, 3.0);
        // 3 * fl(1/3) = 1 - 2^-54 exactly.
        assert_eq!(p.hi, 1.0);
        assert_eq!(p.lo, -(2f64.powi(-54)));
    }

    #[test]
    fn quotient_and_logarithm_carry_more_than_a_double() {
        // 1/3 as a double-word: 3 q - 1 is below 1e-32.
        let q = TwoFold::from(1.0).div(TwoFold::from(3.0));
        let back = q.mul(TwoFold::from(3.0)).add(TwoFold::from(-1.0));
        assert!(back.value().abs() < 1e-31, "{back:?}");
        // ln of the double nearest 1e-200, as hi + lo from mpmath at 300 bits:
        // the double-word value is within 1e-15 (a rounded ln is off by up to
        // half an ulp, 2.8e-14, here 2.2e-14).
        let l = TwoFold::from(1e-200).ln();
        let (reference_hi, reference_lo) = (-460.517_018_598_809_16, 2.208_094_265_724_106_6e-14);
        let error = (l.hi - reference_hi) + (l.lo - reference_lo);
        assert!(error.abs() < 1e-15, "{l:?}");
    }
}
