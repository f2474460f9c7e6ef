//! Claims C1-C5: the Earth Mover distance on the line, its theorems on
//! disjoint supports (WGAN's Example 1) and weak convergence.

mod common;

use gan_theory::Discrete;
use gan_theory::divergence::{js, kl, total_variation};
use gan_theory::tol;
use gan_theory::transport::line::{LineSample, w1, w1_histograms, w1_samples, wp, wp_samples};
use proptest::prelude::*;
use std::f64::consts::LN_2;

/// Relative agreement of two O(n) sums of the same non-negative terms
/// computed in different orders (line W1 by CDFs against the brute-force
/// CDF integral, or against the quantile integral): each side carries a few
/// roundings per term and compensated sums, so 1e-12 leaves three orders of
/// magnitude over the rounding while catching any wrong term (which moves the
/// sum by at least the smallest gap times 1/(n m), far above 1e-12 here).
const LINE_REL: f64 = 1e-12;

/// Absolute floor for [`LINE_REL`] when the distance is 0 or tiny: rounding
/// of the gaps between values of size up to 100 (the strategies' range),
/// `100 * EPS` per term, times the at most 100 terms.
const LINE_ABS: f64 = 1e4 * tol::EPS;

/// Values on the line: a coarse grid (many ties) or continuous values.
fn values(max_len: usize) -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        proptest::collection::vec((-8i32..8).prop_map(|k| f64::from(k) * 0.5), 1..max_len),
        proptest::collection::vec(-100.0f64..100.0, 1..max_len),
    ]
}

/// Values with relative weights (some zero, at least one positive).
fn weighted(max_len: usize) -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    values(max_len).prop_flat_map(|v| {
        let n = v.len();
        (
            Just(v),
            proptest::collection::vec(prop_oneof![1 => Just(0.0), 3 => 0.01f64..10.0], n)
                .prop_filter("some weight", |w| w.iter().any(|&x| x > 0.0)),
        )
    })
}

/// `F(x) = (sum of weights of values <= x) / (total weight)`, by counting.
fn cdf(values: &[f64], weights: &[f64], x: f64) -> f64 {
    let total: f64 = weights.iter().sum();
    let below: f64 = values
        .iter()
        .zip(weights)
        .filter(|(v, _)| **v <= x)
        .map(|(_, w)| w)
        .sum();
    below / total
}

/// `integral |F_u - F_v|` by evaluating both CDFs between every two
/// consecutive points of the merged samples: the definition, in O(n^2).
fn cdf_integral(u: &[f64], uw: &[f64], v: &[f64], vw: &[f64]) -> f64 {
    let mut points: Vec<f64> = u.iter().chain(v).copied().collect();
    points.sort_by(f64::total_cmp);
    points
        .windows(2)
        .map(|pair| (cdf(u, uw, pair[0]) - cdf(v, vw, pair[0])).abs() * (pair[1] - pair[0]))
        .sum()
}

proptest! {
    #![proptest_config(common::config(128))]

    #[test]
    fn c2_w1_equals_the_cdf_integral((u, uw) in weighted(40), (v, vw) in weighted(40)) {
        let ones = |n: usize| vec![1.0; n];
        let unweighted = w1_samples(&u, None, &v, None).unwrap();
        let expected = cdf_integral(&u, &ones(u.len()), &v, &ones(v.len()));
        prop_assert!(tol::close_with(unweighted, expected, LINE_REL, LINE_ABS), "{unweighted} {expected}");
        let with_weights = w1_samples(&u, Some(&uw), &v, Some(&vw)).unwrap();
        let expected = cdf_integral(&u, &uw, &v, &vw);
        prop_assert!(tol::close_with(with_weights, expected, LINE_REL, LINE_ABS), "{with_weights} {expected}");
    }

    #[test]
    fn c2_quantile_w1_equals_cdf_w1((u, uw) in weighted(40), (v, vw) in weighted(40)) {
        for (a, b) in [(None, None), (Some(&uw[..]), None), (Some(&uw[..]), Some(&vw[..]))] {
            let by_cdf = w1_samples(&u, a, &v, b).unwrap();
            let by_quantile = wp_samples(1.0, &u, a, &v, b).unwrap();
            prop_assert!(tol::close_with(by_cdf, by_quantile, LINE_REL, LINE_ABS), "{by_cdf} {by_quantile}");
        }
    }

    #[test]
    fn c2_w1_is_symmetric_and_moves_with_translation(u in values(40), v in values(40), shift in -50.0f64..50.0) {
        let forward = w1_samples(&u, None, &v, None).unwrap();
        prop_assert_eq!(forward, w1_samples(&v, None, &u, None).unwrap());
        let moved: Vec<f64> = u.iter().map(|x| x + shift).collect();
        let w = w1_samples(&u, None, &moved, None).unwrap();
        // Each x + shift rounds by half an ulp of 150, so the gaps differ from
        // |shift| by that much.
        prop_assert!((w - shift.abs()).abs() <= 150.0 * tol::EPS, "{w} {shift}");
    }

    #[test]
    fn c2_histograms_equal_weighted_samples(points in values(30), seed in any::<u64>()) {
        let n = points.len();
        let weights = |salt: u64| -> Vec<f64> {
            (0..n as u64).map(|i| ((seed ^ salt).wrapping_mul(i + 1) % 7) as f64).collect()
        };
        let (wp_, wq) = (weights(0x51), weights(0xA3));
        prop_assume!(wp_.iter().any(|&x| x > 0.0) && wq.iter().any(|&x| x > 0.0));
        let (p, q) = (Discrete::from_weights(&wp_).unwrap(), Discrete::from_weights(&wq).unwrap());
        let by_histograms = w1_histograms(&points, &p, &q).unwrap();
        let by_samples = w1_samples(&points, Some(p.as_slice()), &points, Some(q.as_slice())).unwrap();
        prop_assert!(tol::close_with(by_histograms, by_samples, LINE_REL, LINE_ABS), "{by_histograms} {by_samples}");
    }

    #[test]
    fn c2_wp_of_equal_sizes_pairs_sorted_values(
        (u, v) in (1usize..40).prop_flat_map(|n| (proptest::collection::vec(-100.0f64..100.0, n),
                                                  proptest::collection::vec(-100.0f64..100.0, n))),
        order in prop_oneof![Just(1.0), Just(2.0), 1.0f64..4.0],
    ) {
        // Equal masses 1/n: the quantile functions pair the i-th smallest values.
        let (mut a, mut b) = (u.clone(), v.clone());
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        let mean: f64 = a.iter().zip(&b).map(|(x, y)| (x - y).abs().powf(order)).sum::<f64>() / a.len() as f64;
        let expected = mean.powf(1.0 / order);
        let got = wp_samples(order, &u, None, &v, None).unwrap();
        prop_assert!(tol::close_with(got, expected, LINE_REL, LINE_ABS), "{got} {expected}");
    }
}

#[test]
fn c2_scipy_documented_values() {
    // scipy.stats.wasserstein_distance's documentation examples.
    assert_eq!(
        w1_samples(&[0.0, 1.0, 3.0], None, &[5.0, 6.0, 8.0], None),
        Ok(5.0)
    );
    assert_eq!(
        w1_samples(
            &[0.0, 1.0],
            Some(&[3.0, 1.0]),
            &[0.0, 1.0],
            Some(&[2.0, 2.0])
        ),
        Ok(0.25)
    );
    let w = w1_samples(
        &[3.4, 3.9, 7.5, 7.8],
        Some(&[1.4, 0.9, 3.1, 7.2]),
        &[4.5, 1.4],
        Some(&[3.2, 3.5]),
    )
    .unwrap();
    assert!(tol::close(w, 4.078_133_143_804_786_1), "{w}");
}

#[test]
fn c2_line_refuses_bad_input() {
    use gan_theory::Error;
    assert_eq!(w1_samples(&[], None, &[1.0], None), Err(Error::Empty));
    assert_eq!(
        w1_samples(&[0.0, f64::NAN], None, &[1.0], None),
        Err(Error::NotANumber { index: 1 })
    );
    assert_eq!(
        w1_samples(&[0.0], None, &[1.0, f64::NEG_INFINITY], None),
        Err(Error::Infinite {
            index: 1,
            value: f64::NEG_INFINITY
        })
    );
    assert_eq!(
        w1_samples(&[0.0, 1.0], Some(&[1.0, -1.0]), &[1.0], None),
        Err(Error::Negative {
            index: 1,
            value: -1.0
        })
    );
    assert_eq!(
        w1_samples(&[0.0, 1.0], Some(&[0.0, 0.0]), &[1.0], None),
        Err(Error::ZeroTotal)
    );
    assert_eq!(
        w1_samples(&[0.0, 1.0], Some(&[1.0]), &[1.0], None),
        Err(Error::LengthMismatch { left: 2, right: 1 })
    );
    let a = LineSample::new(&[0.0]).unwrap();
    for order in [0.5, f64::NAN, f64::INFINITY, -1.0] {
        assert!(matches!(
            wp(order, &a, &a),
            Err(Error::InvalidParameter { .. })
        ));
    }
    // Values spanning more than f64::MAX: the gaps overflow, W1 does not.
    let wide = [-f64::MAX, f64::MAX];
    assert_eq!(w1_samples(&wide, None, &[0.0], None), Ok(f64::MAX));
    assert_eq!(w1_samples(&wide, None, &[-f64::MAX], None), Ok(f64::MAX));
    assert_eq!(
        w1_samples(&wide, Some(&[1.0, 1.0]), &[-f64::MAX], None),
        Ok(f64::MAX)
    );
    assert_eq!(w1_samples(&wide, None, &wide, None), Ok(0.0));
    assert_eq!(wp_samples(2.0, &wide, None, &[0.0], None), Ok(f64::MAX));
    // ... and W1 itself past f64::MAX is +inf.
    assert_eq!(
        w1_samples(&[-f64::MAX], None, &[f64::MAX], None),
        Ok(f64::INFINITY)
    );
    assert_eq!(
        wp_samples(3.0, &[-f64::MAX], None, &[f64::MAX], None),
        Ok(f64::INFINITY)
    );
}

#[test]
fn c2_w1_large_samples_against_a_closed_form() {
    // u = 0, 1, ..., n-1 and v = u + 1/2 (given in reverse order): the CDFs
    // differ, by 1/n, only on the n gaps (k, k + 1/2), so W1 = n (1/n) (1/2) = 1/2
    // exactly, whatever n; the sorted pairs (k, k + 1/2) give W2 = 1/2 too.
    for n in [1usize, 2, 255, 256, 257, 100_000] {
        let u: Vec<f64> = (0..n).map(|k| k as f64).collect();
        let v: Vec<f64> = (0..n).rev().map(|k| k as f64 + 0.5).collect();
        let a = LineSample::new(&u).unwrap();
        let b = LineSample::new(&v).unwrap();
        assert_eq!(w1(&a, &b), 0.5, "n = {n}");
        assert_eq!(wp(2.0, &a, &b), Ok(0.5), "n = {n}");
    }
}

/// The supports of P_0 = delta_0 and P_theta = delta_theta as distributions
/// on the two points {0, theta} (one point when theta = 0).
fn two_diracs(theta: f64) -> (Discrete, Discrete) {
    if theta == 0.0 {
        (Discrete::uniform(1).unwrap(), Discrete::uniform(1).unwrap())
    } else {
        (
            Discrete::point_mass(2, 0).unwrap(),
            Discrete::point_mass(2, 1).unwrap(),
        )
    }
}

#[test]
fn c5_dirac_sequence_converges_in_w1_not_in_jsd() {
    for n in [1u32, 2, 10, 1000, 1_000_000] {
        let x = 1.0 / f64::from(n);
        let w = w1_samples(&[x], None, &[0.0], None).unwrap();
        assert_eq!(w, x, "W1(delta_1/n, delta_0) = 1/n");
        let (p, q) = two_diracs(x);
        assert_eq!(js(&p, &q).unwrap(), LN_2, "JSD stays ln 2 at n = {n}");
        assert_eq!(total_variation(&p, &q).unwrap(), 1.0);
        assert_eq!(kl(&p, &q).unwrap(), f64::INFINITY);
    }
    let (p, q) = two_diracs(0.0);
    assert_eq!(js(&p, &q).unwrap(), 0.0, "at the limit itself JSD is 0");
}
