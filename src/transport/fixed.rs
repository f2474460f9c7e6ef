//! Exact fixed-point numbers wide enough for every potential of a transport
//! problem: the integer `k` in `x = k 2^lsb`, two's complement, in `limbs`
//! little-endian `u64` words.
//!
//! Every finite `f64` is a dyadic rational `mantissa 2^exponent`. When every
//! finite cost is a multiple of `2^lsb` (the lowest bit any cost uses) and
//! every potential is a signed sum of costs along a tree path, potentials and
//! reduced costs are integers times `2^lsb`, and their size is bounded by the
//! problem (see [`Format::new`]). Sums and differences are then exact.

use super::cost::decompose;

/// The layout shared by all numbers of one problem.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Format {
    /// Exponent of the unit: a number is `k 2^lsb`.
    pub lsb: i32,
    /// Words per number.
    pub limbs: usize,
}

impl Format {
    /// A format for values that are multiples of `2^lsb` with magnitude below
    /// `2^top` (so `top - lsb` bits of magnitude plus one sign bit).
    pub fn new(lsb: i32, top: i32) -> Self {
        let bits = (top - lsb).max(1) as usize + 1;
        Self {
            lsb,
            limbs: bits.div_ceil(64),
        }
    }

    /// A zeroed vector of `len` numbers.
    pub fn zeros(&self, len: usize) -> Vec<u64> {
        vec![0; len * self.limbs]
    }

    /// Writes the finite `x` (a multiple of `2^lsb`, below `2^top` in
    /// magnitude) into `out`.
    pub fn set_f64(&self, out: &mut [u64], x: f64) {
        out.fill(0);
        let (mantissa, exponent) = decompose(x.abs());
        if mantissa != 0 {
            // Drop trailing zeros: the lowest set bit is at or above lsb.
            let zeros = mantissa.trailing_zeros();
            let (mantissa, exponent) = (mantissa >> zeros, exponent + zeros as i32);
            let offset = (exponent - self.lsb) as usize;
            let (word, shift) = (offset / 64, offset % 64);
            out[word] = mantissa << shift;
            if shift > 0 && word + 1 < out.len() {
                out[word + 1] = mantissa >> (64 - shift);
            }
        }
        if x < 0.0 {
            negate(out);
        }
    }

    /// The `f64` nearest to `x 2^-scale_exponent`, within one unit in the
    /// last place (the words below the top 128 bits only act as a sticky
    /// remainder, which can move the result by one ulp).
    pub fn value(&self, x: &[u64], scale_exponent: i32) -> f64 {
        let negative = is_negative(x);
        let mut magnitude = x.to_vec();
        if negative {
            negate(&mut magnitude);
        }
        let Some(top) = magnitude.iter().rposition(|&w| w != 0) else {
            return 0.0;
        };
        let high = magnitude[top] as u128;
        let (value, base) = if top == 0 {
            (high as f64, 0)
        } else {
            let low = magnitude[top - 1] as u128;
            let sticky = magnitude[..top - 1].iter().any(|&w| w != 0) as u128;
            // Put the sticky bit below the 128 kept bits' rounding position:
            // the lowest kept bit is far below the 53 that survive.
            (((high << 64) | low | sticky) as f64, 64 * (top as i32 - 1))
        };
        let magnitude = ldexp(value, base + self.lsb - scale_exponent);
        if negative { -magnitude } else { magnitude }
    }
}

/// `x 2^e`, with intermediate steps that neither overflow nor underflow early.
pub(crate) fn ldexp(mut x: f64, mut e: i32) -> f64 {
    let step_up = f64::from_bits(((1000 + 1023) as u64) << 52); // 2^1000
    let step_down = f64::from_bits(((-1000 + 1023) as u64) << 52); // 2^-1000
    while e > 1000 {
        x *= step_up;
        e -= 1000;
    }
    while e < -1000 {
        x *= step_down;
        e += 1000;
    }
    // e in [-1000, 1000]: 2^e is a normal number.
    x * f64::from_bits(((e + 1023) as u64) << 52)
}

/// `x = -x` in two's complement.
pub(crate) fn negate(x: &mut [u64]) {
    let mut carry = 1u64;
    for w in x.iter_mut() {
        let (sum, overflow) = (!*w).overflowing_add(carry);
        *w = sum;
        carry = overflow as u64;
    }
}

/// `x += y`.
#[inline]
pub(crate) fn add_assign(x: &mut [u64], y: &[u64]) {
    let mut carry = false;
    for (a, &b) in x.iter_mut().zip(y) {
        let (s1, c1) = a.overflowing_add(b);
        let (s2, c2) = s1.overflowing_add(carry as u64);
        *a = s2;
        carry = c1 | c2;
    }
}

/// `x -= y`.
#[inline]
pub(crate) fn sub_assign(x: &mut [u64], y: &[u64]) {
    let mut borrow = false;
    for (a, &b) in x.iter_mut().zip(y) {
        let (d1, b1) = a.overflowing_sub(b);
        let (d2, b2) = d1.overflowing_sub(borrow as u64);
        *a = d2;
        borrow = b1 | b2;
    }
}

/// Whether `x < 0`.
#[inline]
pub(crate) fn is_negative(x: &[u64]) -> bool {
    x.last().is_some_and(|&w| w >> 63 == 1)
}

/// Unsigned comparison of two non-negative numbers.
#[inline]
pub(crate) fn cmp_unsigned(x: &[u64], y: &[u64]) -> std::cmp::Ordering {
    for (a, b) in x.iter().rev().zip(y.iter().rev()) {
        if a != b {
            return a.cmp(b);
        }
    }
    std::cmp::Ordering::Equal
}

/// Whether `x = 0`.
#[inline]
pub(crate) fn is_zero(x: &[u64]) -> bool {
    x.iter().all(|&w| w == 0)
}

/// Whether `x < y` (signed).
pub(crate) fn less(x: &[u64], y: &[u64], scratch: &mut [u64]) -> bool {
    scratch.copy_from_slice(x);
    sub_assign(scratch, y);
    is_negative(scratch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_exact_sums() {
        let format = Format::new(-1074, 1030);
        let mut a = format.zeros(1);
        let mut b = format.zeros(1);
        for &x in &[0.0, 1.0, -1.0, 5e-324, -3e-310, 1e-3, 1e32, -1e300, 0.1] {
            format.set_f64(&mut a, x);
            assert_eq!(format.value(&a, 0), x);
        }
        // 1e32 + 1e-3 - 1e32 is exactly 1e-3.
        format.set_f64(&mut a, 1e32);
        format.set_f64(&mut b, 1e-3);
        add_assign(&mut a, &b);
        format.set_f64(&mut b, 1e32);
        sub_assign(&mut a, &b);
        assert_eq!(format.value(&a, 0), 1e-3);
        assert_eq!(format.value(&a, 3), 1e-3 / 8.0);
        let mut scratch = format.zeros(1);
        format.set_f64(&mut b, -2.0);
        assert!(less(&b, &a, &mut scratch));
        assert!(!less(&a, &b, &mut scratch));
    }

    /// `ldexp` scales by any power of two, in steps of 2^1000 beyond
    /// +-1000, exactly while the result is normal, rounding once into the
    /// subnormals and overflowing only where the result does.
    #[test]
    fn ldexp_beyond_a_single_step() {
        let two = |e: i32| 2f64.powi(e);
        assert_eq!(ldexp(two(-100), 1100), two(1000));
        assert_eq!(ldexp(1.5, 1023), 1.5 * two(1023));
        assert_eq!(ldexp(1.0, 1024), f64::INFINITY);
        assert_eq!(ldexp(two(1000), -2074), 5e-324);
        assert_eq!(ldexp(1.0, -1074), 5e-324);
        assert_eq!(ldexp(-3.0, -100), -3.0 * two(-100));
        assert_eq!(ldexp(0.75, 0), 0.75);
        // The Format's value: 2^-1074 read at scale exponent -2000 is 2^926.
        let format = Format::new(-1074, 4);
        let mut one = format.zeros(1);
        format.set_f64(&mut one, 5e-324);
        assert_eq!(format.value(&one, -2000), two(926));
    }
}
