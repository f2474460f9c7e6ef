//! Named tolerances, each with the reason it has the size it has.
//!
//! Tests and `gan-theory verify` take their tolerances from here, so that a
//! tolerance is never a bare number and never widened in one place only.
//!
//! Public on purpose (as statrs keeps its `prec` module): [`sum_tolerance`]
//! defines which vectors [`Discrete::new`](crate::Discrete::new) and
//! [`transport::emd`](crate::transport::emd) accept, and the identity
//! tolerances and [`close`] are the ones every claim is checked with, so a
//! user who re-checks a claim, or compares against the crate, uses the
//! same numbers. Solver tuning constants are not here: they stay private to
//! their solvers.

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

/// Two-sided standard-normal quantile for a false-alarm probability of [`FALSE_ALARM`] = 1e-6:
/// a statistical check whose estimate lies within `Z_FALSE_ALARM_1E6` standard
/// errors of its exact mean fails by chance with probability 1e-6 (under the
/// normal approximation, which the checks justify by their sample sizes).
pub const Z_FALSE_ALARM_1E6: f64 = 4.891_638_475_698_5;

/// The probability with which each statistical check of the crate fails by
/// chance (its false-alarm probability).
pub const FALSE_ALARM: f64 = 1e-6;

/// Acceptance interval for a ratio `S^2 / sigma^2` of a sample variance to the
/// exact variance, when the ratio has mean 1 and variance `ratio_variance`.
///
/// The ratio is approximated by `chi2_nu / nu` with `nu = 2 / ratio_variance`,
/// the scaled chi-square that matches its first two moments (Satterthwaite);
/// the interval holds the central `1 - FALSE_ALARM` of that law. A normal
/// interval would ignore the skewness of a variance estimate and fail about
/// four times as often as it says.
///
/// # Example
/// ```
/// // 399 degrees of freedom: S^2 / sigma^2 of 400 normal draws.
/// let (low, high) = gan_theory::tol::variance_ratio_bounds(2.0 / 399.0);
/// assert!(0.6 < low && low < 0.7 && 1.3 < high && high < 1.45);
/// ```
pub fn variance_ratio_bounds(ratio_variance: f64) -> (f64, f64) {
    use statrs::distribution::{ChiSquared, ContinuousCDF};
    let nu = 2.0 / ratio_variance;
    match ChiSquared::new(nu) {
        Ok(law) => (
            law.inverse_cdf(FALSE_ALARM / 2.0) / nu,
            law.inverse_cdf(1.0 - FALSE_ALARM / 2.0) / nu,
        ),
        // A non-positive or NaN variance: accept nothing.
        Err(_) => (f64::NAN, f64::NAN),
    }
}

/// A bound on the curvature of `C(G)` as a function of the generator's
/// softmax logits: the spectral norm of its Hessian is at most
/// `2 kappa = 0.43243...`, with `kappa = max_{r > 0} (ln(1 + r) - r/(1 + r)) / r
/// = 0.21621...` (at `r = 2.1626`); this constant rounds it up.
///
/// Reason (derived in `proofs/A5-convergence.md`, step 4'): with
/// `p = softmax(u)`, `D*_k = a_k / (a_k + p_k)` and `z = y - E_p y`, the
/// Hessian's quadratic form is
/// `y^T H y = sum_k p_k z_k^2 (D*_k + ln(1 - D*_k) - E_p ln(1 - D*))`.
/// The last term is at most `ln 2` and `Var_p(y) <= 1/2`
/// for a unit `y`, so `y^T H y <= ln(2) / 2 = 0.347`; the first two add
/// `p_k (D*_k + ln(1 - D*_k)) >= -kappa a_k`, and `z_k^2 <= 2`, so
/// `y^T H y >= -2 kappa`. Searches find `1/4` (at `p = a = (1/2, 1/2)`) and
/// `-0.198`: the bound is within a factor 1.8 of the truth, where the
/// catalogue's step-size constant
/// [`C_OF_G_LOGIT_SMOOTHNESS`](crate::train::tabular_game::C_OF_G_LOGIT_SMOOTHNESS)
/// (15/2, a valid but cruder bound) is 30 times above it. Checks that a
/// gradient or a step is right (A5's Lipschitz property test, A9's descent
/// lemma, A5's rate bounds) use this one, so that a gradient wrong by a
/// factor 2 cannot hide under the slack.
pub const C_OF_G_CURVATURE: f64 = 0.4325;
