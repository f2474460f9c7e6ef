//! `game` at its edges and by exact reference: the optimal discriminator off
//! both supports (1/2, as documented), on one support only (0 or 1), and the
//! exact variance of one term pair of the minibatch estimator
//! (`value_term_variance`) against a two-pass variance computed here with the
//! independent Shewchuk sum of `common`, including its `+inf` cases.
//! Written against the mutants of `src/game.rs` that the older tests let
//! survive (see `scripts/mutants.sh`).

mod common;

use gan_theory::game::{optimal_discriminator, value, value_term_variance};
use gan_theory::{Discrete, Discriminator};

/// Agreement of two two-pass variances of the same values (at most 6 points
/// a side): each deviation `f_i - mean` is off by at most `EPS (|f_i| +
/// |mean|) <= 2 EPS F` with `F = max |f_i|`, so its square by at most about
/// `4 EPS F^2 + EPS F^2`; the weighted sums and the mean add an ulp or two
/// of `F^2` each. 16 `EPS F^2` per side, 32 for the pair, covers both
/// computations with room, and is far below the smallest variance used here.
const VARIANCE_ULPS_OF_MAX_SQUARE: f64 = 32.0;

/// D* = sigma(ln a - ln b) at a point where both have mass: the two
/// logarithms, their difference and the logistic each round once, a few
/// ulps of a value in (0, 1); 8 EPS bounds it.
const INTERIOR_ROUNDING: f64 = 8.0 * f64::EPSILON;

#[test]
fn off_both_supports_the_optimal_discriminator_is_one_half() {
    // Points: data only, both (3 : 1), neither, generator only, neither.
    let p_data = Discrete::new(vec![0.25, 0.75, 0.0, 0.0, 0.0]).unwrap();
    let p_g = Discrete::new(vec![0.0, 0.25, 0.0, 0.75, 0.0]).unwrap();
    let d = optimal_discriminator(&p_data, &p_g).unwrap();
    assert_eq!(d.probability(0), 1.0);
    assert!((d.probability(1) - 0.75).abs() <= INTERIOR_ROUNDING);
    for off in [2, 4] {
        assert_eq!(d.probability(off), 0.5, "point {off}");
        assert_eq!(d.logit(off), 0.0, "point {off}");
    }
    assert_eq!(d.probability(3), 0.0);
    // Swapping the players swaps D* and 1 - D*, and 1/2 stays.
    let swapped = optimal_discriminator(&p_g, &p_data).unwrap();
    assert_eq!(swapped.probability(0), 0.0);
    assert_eq!(swapped.probability(3), 1.0);
    assert_eq!(swapped.probability(2), 0.5);
    assert!((swapped.probability(1) - 0.25).abs() <= INTERIOR_ROUNDING);
}

/// Two-pass variance of `f` under `p`, with the Shewchuk sum; `+inf` when
/// the mean is `-inf` (a point of positive mass where `f = -inf`).
fn variance(p: &Discrete, f: impl Fn(usize) -> f64) -> f64 {
    let mass = |g: &dyn Fn(usize) -> f64| {
        common::sum((0..p.len()).filter(|&i| p[i] > 0.0).map(|i| p[i] * g(i)))
    };
    let mean = mass(&f);
    if mean == f64::NEG_INFINITY {
        return f64::INFINITY;
    }
    mass(&|i| (f(i) - mean) * (f(i) - mean))
}

#[test]
fn value_term_variance_is_the_exact_variance_of_both_terms() {
    let games = [
        (
            vec![3.0, 1.0, 0.0, 2.0, 4.0],
            vec![1.0, 2.0, 3.0, 0.0, 1.0],
            vec![0.7, 0.35, 0.1, 0.9, 0.55],
        ),
        (
            vec![1.0, 1.0, 1.0],
            vec![5.0, 0.0, 1.0],
            vec![0.02, 0.5, 0.97],
        ),
        (
            vec![0.0, 1.0, 9.0, 1.0, 0.0, 4.0],
            vec![2.0, 2.0, 1.0, 0.0, 1.0, 1.0],
            vec![0.3, 0.999, 0.4, 0.6, 0.01, 0.75],
        ),
    ];
    for (data, generated, probabilities) in games {
        let p_data = Discrete::from_weights(&data).unwrap();
        let p_g = Discrete::from_weights(&generated).unwrap();
        let d = Discriminator::from_probabilities(probabilities).unwrap();
        let real = variance(&p_data, |i| d.ln_d(i));
        let fake = variance(&p_g, |i| d.ln_one_minus_d(i));
        // Both sides vary, so a sum cannot pass for a difference or a product.
        assert!(real > 1e-3 && fake > 1e-3, "{real} {fake}");
        let largest = (0..d.len())
            .map(|i| d.ln_d(i).powi(2).max(d.ln_one_minus_d(i).powi(2)))
            .fold(0.0, f64::max);
        let tolerance = VARIANCE_ULPS_OF_MAX_SQUARE * f64::EPSILON * largest;
        let got = value_term_variance(&p_data, &p_g, &d).unwrap();
        assert!(
            (got - (real + fake)).abs() <= tolerance,
            "{got} vs {real} + {fake} (tolerance {tolerance})"
        );
    }
}

#[test]
fn value_term_variance_is_infinite_exactly_when_v_is_minus_infinity() {
    let p_data = Discrete::new(vec![0.5, 0.5, 0.0]).unwrap();
    let p_g = Discrete::new(vec![0.0, 0.5, 0.5]).unwrap();
    // D = 0 where the data has mass: ln D = -inf there.
    let blind = Discriminator::from_probabilities(vec![0.0, 0.5, 0.5]).unwrap();
    assert_eq!(value(&p_data, &p_g, &blind).unwrap(), f64::NEG_INFINITY);
    assert_eq!(
        value_term_variance(&p_data, &p_g, &blind).unwrap(),
        f64::INFINITY
    );
    // D = 1 where the generator has mass: ln(1 - D) = -inf there.
    let fooled = Discriminator::from_probabilities(vec![0.5, 0.5, 1.0]).unwrap();
    assert_eq!(value(&p_data, &p_g, &fooled).unwrap(), f64::NEG_INFINITY);
    assert_eq!(
        value_term_variance(&p_data, &p_g, &fooled).unwrap(),
        f64::INFINITY
    );
    // D = 0 and D = 1 only where nobody has mass (point 2 for the data,
    // point 0 for the generator): finite, and equal to the reference.
    let edges = Discriminator::from_probabilities(vec![1.0, 0.25, 0.0]).unwrap();
    let got = value_term_variance(&p_data, &p_g, &edges).unwrap();
    let expected =
        variance(&p_data, |i| edges.ln_d(i)) + variance(&p_g, |i| edges.ln_one_minus_d(i));
    assert!(got.is_finite() && got > 0.0);
    let largest = 4f64.ln().powi(2);
    assert!((got - expected).abs() <= VARIANCE_ULPS_OF_MAX_SQUARE * f64::EPSILON * largest);
}

#[test]
fn a_discriminator_has_as_many_points_as_values_and_is_never_empty() {
    for d in [
        Discriminator::from_probabilities(vec![0.25, 1.0, 0.0]).unwrap(),
        Discriminator::from_logits(vec![0.0, f64::INFINITY, -3.0]).unwrap(),
    ] {
        assert_eq!(d.len(), 3);
        assert!(!d.is_empty());
    }
    let one = Discriminator::from_logits(vec![f64::NEG_INFINITY]).unwrap();
    assert_eq!(one.len(), 1);
    assert!(!one.is_empty());
}

#[test]
fn the_generator_losses_cost_a_point_ln_one_minus_d_or_minus_ln_d() {
    use gan_theory::game::GeneratorLoss;
    // D = 1/4 and 3/4: ln(1 - D) = ln 3/4, ln 1/4 and -ln D = ln 4, ln 4/3,
    // exactly the discriminator's own ln(1 - D) and ln D, and within
    // LOG_ROUNDING of the logarithms computed here.
    let d = Discriminator::from_probabilities(vec![0.25, 0.75]).unwrap();
    let (saturating, non_saturating) = (GeneratorLoss::Saturating, GeneratorLoss::NonSaturating);
    for (i, one_minus_d, d_i) in [(0, 0.75f64, 0.25f64), (1, 0.25, 0.75)] {
        let cost = saturating.point_cost(&d, i);
        assert_eq!(cost, d.ln_one_minus_d(i));
        assert!((cost - one_minus_d.ln()).abs() <= LOG_ROUNDING * cost.abs());
        let cost = non_saturating.point_cost(&d, i);
        assert_eq!(cost, -d.ln_d(i));
        assert!((cost + d_i.ln()).abs() <= LOG_ROUNDING * cost.abs());
    }
    // The non-saturating loss is the default (Goodfellow et al., Section 3).
    assert_eq!(GeneratorLoss::default(), non_saturating);
}

/// `ln(1 - D)` by `ln_1p(-D)` against `ln` of the rounded `1 - D` (exact
/// here), each within an ulp or so of the true logarithm: 4 EPS relative.
const LOG_ROUNDING: f64 = 4.0 * f64::EPSILON;
