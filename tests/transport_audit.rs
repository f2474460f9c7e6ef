//! Regressions found by auditing the transport code on extreme inputs: each
//! test names the behaviour that once failed.

use gan_theory::Discrete;
use gan_theory::Error;
use gan_theory::transport::line::{w1_histograms, w1_samples, wp_samples};
use gan_theory::transport::{CostMatrix, emd};

/// Relative error allowed where the answer is a short compensated sum of a
/// few exactly representable terms, each rounded once (a few ulps).
const FEW_ULPS: f64 = 8.0 * f64::EPSILON;

/// Relative error allowed for W_p of a large order: `x^(1/p)` of a rounded
/// integral and the rounded `2^(-1/p)` factor of the reference each carry an
/// ulp or two; `powf` is within an ulp or so of the exact power.
const POWER_ULPS: f64 = 16.0 * f64::EPSILON;

fn relative_error(got: f64, expected: f64) -> f64 {
    (got - expected).abs() / expected.abs()
}

#[test]
fn w1_histograms_of_points_spanning_beyond_f64_max_is_finite() {
    // Mass 0.1 moves from -1e308 to 1e308: W1 = 0.1 * 2e308 = 2e307, though
    // the gap between the two points overflows f64.
    let p = Discrete::new(vec![0.5, 0.5]).unwrap();
    let q = Discrete::new(vec![0.4, 0.6]).unwrap();
    let got = w1_histograms(&[-1e308, 1e308], &p, &q).unwrap();
    // The weighted-samples path of the same problem: its own code, halving
    // the values like this one.
    let samples = w1_samples(
        &[-1e308, 1e308],
        Some(&[0.5, 0.5]),
        &[-1e308, 1e308],
        Some(&[0.4, 0.6]),
    )
    .unwrap();
    // 0.5 - 0.4 is 0.1 up to its own rounding (an ulp), times 2e308.
    assert!(relative_error(got, 2e307) <= FEW_ULPS, "{got}");
    assert!(
        relative_error(got, samples) <= FEW_ULPS,
        "{got} vs {samples}"
    );
}

#[test]
fn w1_histograms_still_exact_on_ordinary_points() {
    // The halving must not touch ordinary inputs: mass 1/2 moves by 2.
    let p = Discrete::new(vec![0.5, 0.5, 0.0]).unwrap();
    let q = Discrete::new(vec![0.0, 0.5, 0.5]).unwrap();
    assert_eq!(w1_histograms(&[0.0, 1.0, 2.0], &p, &q).unwrap(), 1.0);
}

#[test]
fn wp_of_a_large_order_does_not_overflow() {
    // Point masses at -3 and 3 are 6 apart in every W_p; 6^1000 overflows f64.
    for order in [1.0, 2.0, 700.0, 1000.0, 1e6] {
        let got = wp_samples(order, &[-3.0], None, &[3.0], None).unwrap();
        assert!(
            relative_error(got, 6.0) <= POWER_ULPS,
            "order {order}: {got}"
        );
    }
}

#[test]
fn wp_of_a_large_order_does_not_underflow_to_zero() {
    // u = {0, 4}, v = {0.5, 4} with masses 1/2: the quantile functions
    // differ by 0.5 on half of [0, 1], so W_p = 0.5 * 2^(-1/p), which a
    // power 0.125^2000 (after scaling by 4) would underflow to 0.
    let order = 2000.0;
    let got = wp_samples(order, &[0.0, 4.0], None, &[0.5, 4.0], None).unwrap();
    let expected = 0.5 * 2f64.powf(-1.0 / order);
    assert!(
        relative_error(got, expected) <= POWER_ULPS,
        "{got} vs {expected}"
    );
}

#[test]
fn emd_whose_optimal_cost_exceeds_f64_max_is_bad_input_not_a_solver_failure() {
    // Mass 10 over an arc of cost 1e308: the cost 1e309 is not an f64. This
    // used to come back as CertificateFailed (a solver bug, exit 1 in the CLI).
    let cost = CostMatrix::from_rows(vec![vec![1e308]]).unwrap();
    match emd(&[10.0], &[10.0], &cost) {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "optimal cost"),
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
    // Just below the limit it is solved: mass 1 at cost f64::MAX.
    let cost = CostMatrix::from_rows(vec![vec![f64::MAX]]).unwrap();
    let t = emd(&[1.0], &[1.0], &cost).unwrap();
    assert_eq!(t.cost, f64::MAX);
    assert!(t.certificate.passed);
}
