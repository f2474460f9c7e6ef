//! Named tolerances, each with the reason it has the size it has.
//!
//! Tests and `gan-theory verify` take their tolerances from here, so that a
//! tolerance is never a bare number and never widened in one place only.

/// Machine epsilon of `f64`, 2^-52.
pub const EPS: f64 = f64::EPSILON;

/// Units in the last place allowed per entry when checking that a probability
/// vector sums to 1.
///
/// Reason: a vector computed as `w / sum(w)` and printed with round-trip
/// precision sums to 1 within about (1 + log2 n) ulps; a naive left-to-right
/// sum in the producer adds at most n ulps. Four ulps per entry accepts
/// every honestly normalised vector and refuses a vector off by a visible
/// amount (for example decimals rounded to 3 places).
pub const SUM_ULPS_PER_ENTRY: f64 = 4.0;

/// The largest accepted |sum - 1| for a probability vector of length `n`:
/// `SUM_ULPS_PER_ENTRY * n * EPS`.
///
/// # Example
/// ```
/// assert_eq!(gan_theory::tol::sum_tolerance(1), 4.0 * f64::EPSILON);
/// ```
pub fn sum_tolerance(n: usize) -> f64 {
    SUM_ULPS_PER_ENTRY * (n.max(1) as f64) * EPS
}

/// Relative tolerance for identities between two closed-form evaluations in
/// `f64` that go through a handful of logarithms and a compensated sum
/// (for example C(G) = -ln 4 + 2 JSD, KL = cross-entropy - entropy).
///
/// Reason: each side carries a few ulps of rounding per term, and the
/// compensated sums keep the total within a small multiple of `EPS` of the
/// largest term; 1e-12 leaves three orders of magnitude of headroom over that
/// while still catching any formula error (which would show at 1e-3 or more).
pub const IDENTITY_REL: f64 = 1e-12;

/// Absolute floor that goes with [`IDENTITY_REL`] when the compared values
/// are near zero (for example JSD of nearly equal distributions).
///
/// Reason: cancellation in a sum of O(1) terms leaves an absolute error of a
/// few `EPS`, independent of how small the result is.
pub const IDENTITY_ABS: f64 = 1e-13;

/// `|a - b| <= IDENTITY_ABS + IDENTITY_REL * max(|a|, |b|)`, and infinities
/// of the same sign compare equal.
pub fn close(a: f64, b: f64) -> bool {
    close_with(a, b, IDENTITY_REL, IDENTITY_ABS)
}

/// `|a - b| <= abs + rel * max(|a|, |b|)`; equal infinities compare equal; NaN never does.
pub fn close_with(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    if a.is_infinite() || b.is_infinite() {
        return a == b;
    }
    (a - b).abs() <= abs + rel * a.abs().max(b.abs())
}

/// Two-sided standard-normal quantile for a false-alarm probability of 1e-6:
/// a statistical check whose estimate lies within `Z_FALSE_ALARM_1E6` standard
/// errors of its exact mean fails by chance with probability 1e-6 (under the
/// normal approximation, which the checks justify by their sample sizes).
pub const Z_FALSE_ALARM_1E6: f64 = 4.891_638_475_698_5;
