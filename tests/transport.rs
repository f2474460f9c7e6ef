//! Claims C1-C5: the Earth Mover distance on the line, its theorems on
//! disjoint supports (WGAN's Example 1) and weak convergence.

mod common;

use gan_theory::Discrete;
use gan_theory::divergence::{js, kl, total_variation};
use gan_theory::tol;
use gan_theory::transport::certificate::MARGINAL_ULPS_PER_NODE;
use gan_theory::transport::line::{LineSample, w1, w1_histograms, w1_samples, wp, wp_samples};
use gan_theory::transport::potential::KrPotential;
use gan_theory::transport::{CostMatrix, Metric, Points, Transport, emd, verify_certificate};
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

/// Relative rounding of W1 between unweighted samples of equal size: the
/// distances of the sorted pairs are summed plainly in blocks of 32 before a
/// compensated total (`transport::line`), each block within 32 ulps of its sum.
const SORTED_PAIRS_ULPS: f64 = 32.0;

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
    fn c2_equal_sizes_pairing_equals_the_cdf_merge(
        (u, v) in (1usize..300).prop_flat_map(|n| (
            proptest::collection::vec(-100.0f64..100.0, n),
            proptest::collection::vec(prop_oneof![(-8i32..8).prop_map(|k| f64::from(k) * 0.5), -100.0f64..100.0], n),
        ))
    ) {
        // Unweighted samples of equal size take the sorted-pairs path; equal
        // weights take the CDF merge. Both are W1.
        let ones = vec![1.0; u.len()];
        let paired = w1_samples(&u, None, &v, None).unwrap();
        let merged = w1_samples(&u, Some(&ones), &v, Some(&ones)).unwrap();
        prop_assert!(tol::close_with(paired, merged, LINE_REL, LINE_ABS), "{paired} {merged}");
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
        // |shift| by that much; the sorted pairs of equal sizes are summed
        // plainly in blocks (SORTED_PAIRS_ULPS).
        let bound = 150.0 * tol::EPS + SORTED_PAIRS_ULPS * tol::EPS * shift.abs();
        prop_assert!((w - shift.abs()).abs() <= bound, "{w} {shift}");
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

#[test]
fn c2_w1_is_finite_near_f64_max_for_unweighted_samples() {
    // Regression: the unweighted paths summed n (high - low) or
    // n m (high - low) before dividing, and returned +inf for these finite W1.
    // u = (1e308, -1e308) against v = (0, 1, 3): the CDFs differ by 1/2 on
    // (-1e308, 0) and (3, 1e308), by 1/6 on (0, 1) and by 1/6 on (1, 3), so
    // W1 = 1e308 - 3/2 + 1/6 + 1/3 = 1e308 - 1, which rounds to 1e308.
    let unequal = w1_samples(&[1e308, -1e308], None, &[0.0, 1.0, 3.0], None).unwrap();
    assert!(tol::close(unequal, 1e308), "unequal sizes: {unequal:e}");
    // Equal sizes: every value of u is 1.5e308 above every value of v.
    let equal = w1_samples(&[1e308, 1e308], None, &[-5e307, -5e307], None).unwrap();
    assert!(tol::close(equal, 1.5e308), "equal sizes: {equal:e}");
    // The same with explicit weights goes through the weighted path.
    let weights = [0.5, 0.5];
    let weighted = w1_samples(
        &[1e308, 1e308],
        Some(&weights),
        &[-5e307, -5e307],
        Some(&weights),
    )
    .unwrap();
    assert!(tol::close(weighted, 1.5e308), "weighted: {weighted:e}");
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

// ------------------------------------------------------------ the general solver

/// The largest error the solver's cost may carry for `nodes = n + m` and
/// costs up to `max_cost`, masses of total 1.
///
/// Reason: the solver's basis is exactly optimal; each plan entry is within
/// `MARGINAL_ULPS_PER_NODE (n + m)` ulps of the total mass (its certificate's
/// marginal tolerance) and there are fewer than `n + m` entries, each times a
/// cost at most `max_cost`.
fn solver_tolerance(nodes: usize, max_cost: f64) -> f64 {
    MARGINAL_ULPS_PER_NODE * (nodes * nodes) as f64 * tol::EPS * max_cost
}

/// `n` points of dimension `dim` with coordinates in [0, 1).
fn points(n: usize, dim: usize) -> impl Strategy<Value = Points> {
    proptest::collection::vec(0.0f64..1.0, n * dim)
        .prop_map(move |data| Points::from_flat(n, dim, data).unwrap())
}

/// A metric for W1.
fn metric() -> impl Strategy<Value = Metric> {
    prop_oneof![Just(Metric::Euclidean), Just(Metric::Cityblock)]
}

/// Two distributions with their support points: 1 to 10 points each, dimension 1 to 3.
fn instance() -> impl Strategy<Value = (Discrete, Points, Discrete, Points)> {
    (1usize..=10, 1usize..=10, 1usize..=3).prop_flat_map(|(n, m, dim)| {
        (
            common::distribution(n),
            points(n, dim),
            common::distribution(m),
            points(m, dim),
        )
    })
}

/// Three distributions on one set of 2 to 8 points.
fn triple_on_points() -> impl Strategy<Value = (Discrete, Discrete, Discrete, Points)> {
    (2usize..=8, 1usize..=3).prop_flat_map(|(k, dim)| {
        (
            common::distribution(k),
            common::distribution(k),
            common::distribution(k),
            points(k, dim),
        )
    })
}

fn solve(
    p: &Discrete,
    xp: &Points,
    q: &Discrete,
    xq: &Points,
    metric: Metric,
) -> (CostMatrix, Transport) {
    let cost = CostMatrix::from_points(xp, xq, metric).unwrap();
    let t = emd(p.as_slice(), q.as_slice(), &cost).unwrap();
    (cost, t)
}

proptest! {
    #![proptest_config(common::config(96))]

    #[test]
    fn c1_certificate_on_random_instances((p, xp, q, xq) in instance(), metric in metric()) {
        let (cost, t) = solve(&p, &xp, &q, &xq, metric);
        let cert = verify_certificate(p.as_slice(), q.as_slice(), &cost, &t);
        prop_assert!(cert.passed, "{}", cert.summary());
        // And by hand: marginals, dual feasibility, zero gap.
        let dense = t.dense_plan();
        for (i, row) in dense.iter().enumerate() {
            let sent: f64 = row.iter().sum();
            prop_assert!((sent - p[i]).abs() <= cert.marginal_tolerance, "row {i}: {sent} vs {}", p[i]);
        }
        for j in 0..q.len() {
            let received: f64 = dense.iter().map(|row| row[j]).sum();
            prop_assert!((received - q[j]).abs() <= cert.marginal_tolerance, "column {j}");
        }
        let scale = t.u.iter().chain(&t.v).fold(cost.max_finite(), |a, x| a.max(x.abs()));
        for i in 0..p.len() {
            for j in 0..q.len() {
                // Reason: the exact potentials are feasible; each is rounded
                // once (an ulp of the scale each) and their sum once more.
                prop_assert!(t.u[i] + t.v[j] <= cost.get(i, j) + 4.0 * tol::EPS * scale);
            }
        }
        let dual: f64 = p.as_slice().iter().zip(&t.u).map(|(a, b)| a * b).sum::<f64>()
            + q.as_slice().iter().zip(&t.v).map(|(a, b)| a * b).sum::<f64>();
        prop_assert!((dual - t.cost).abs() <= solver_tolerance(p.len() + q.len(), scale) + cert.gap_tolerance);
    }

    #[test]
    fn c1_symmetry_with_transposed_cost((p, xp, q, xq) in instance(), metric in metric()) {
        let (cost, forward) = solve(&p, &xp, &q, &xq, metric);
        let backward = emd(q.as_slice(), p.as_slice(), &cost.transpose()).unwrap();
        let allowance = solver_tolerance(p.len() + q.len(), cost.max_finite());
        prop_assert!((forward.cost - backward.cost).abs() <= allowance, "{} {}", forward.cost, backward.cost);
        // Built from the reversed points, the cost matrix is the transpose.
        let (_, reversed) = solve(&q, &xq, &p, &xp, metric);
        prop_assert!((forward.cost - reversed.cost).abs() <= allowance);
    }

    #[test]
    fn c1_metric_axioms((a, b, _, x) in triple_on_points(), metric in metric()) {
        let cost = CostMatrix::from_points(&x, &x, metric).unwrap();
        let w = |s: &Discrete, t: &Discrete| emd(s.as_slice(), t.as_slice(), &cost).unwrap().cost;
        prop_assert_eq!(w(&a, &a), 0.0);
        let allowance = solver_tolerance(2 * a.len(), cost.max_finite());
        prop_assert!(w(&a, &b) >= 0.0);
        // W(a, b) >= (smallest distance between distinct points) TV(a, b) > 0 when a != b.
        let k = a.len();
        let closest = (0..k)
            .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| cost.get(i, j))
            .fold(f64::INFINITY, f64::min);
        let tv = total_variation(&a, &b).unwrap();
        prop_assert!(w(&a, &b) >= closest * tv - allowance, "{} < {closest} {tv}", w(&a, &b));
    }

    #[test]
    fn c1_triangle_inequality((a, b, c, x) in triple_on_points(), metric in metric()) {
        let cost = CostMatrix::from_points(&x, &x, metric).unwrap();
        let w = |s: &Discrete, t: &Discrete| emd(s.as_slice(), t.as_slice(), &cost).unwrap().cost;
        let allowance = 3.0 * solver_tolerance(2 * a.len(), cost.max_finite());
        prop_assert!(w(&a, &c) <= w(&a, &b) + w(&b, &c) + allowance);
    }

    #[test]
    fn c1_optimal_against_brute_force_permutations(
        (xp, xq) in (1usize..=6).prop_flat_map(|k| (points(k, 2), points(k, 2)))
    ) {
        let k = xp.len();
        let cost = CostMatrix::from_points(&xp, &xq, Metric::Euclidean).unwrap();
        let uniform = vec![1.0 / k as f64; k];
        let t = emd(&uniform, &uniform, &cost).unwrap();
        let best = permutations(k)
            .iter()
            .map(|perm| perm.iter().enumerate().map(|(i, &j)| cost.get(i, j)).sum::<f64>() / k as f64)
            .fold(f64::INFINITY, f64::min);
        prop_assert!((t.cost - best).abs() <= solver_tolerance(2 * k, cost.max_finite()), "{} {best}", t.cost);
    }

    #[test]
    fn c2_line_equals_general_solver(
        (p, q, xs) in (1usize..=12).prop_flat_map(|k| (
            common::distribution(k),
            common::distribution(k),
            proptest::collection::vec(prop_oneof![(-8i32..8).prop_map(|k| f64::from(k) * 0.5), -10.0f64..10.0], k),
        ))
    ) {
        let k = xs.len();
        let x = Points::from_flat(k, 1, xs.clone()).unwrap();
        let distance = CostMatrix::from_points(&x, &x, Metric::Euclidean).unwrap();
        let general = emd(p.as_slice(), q.as_slice(), &distance).unwrap().cost;
        let line = w1_histograms(&xs, &p, &q).unwrap();
        prop_assert!((general - line).abs() <= solver_tolerance(2 * k, distance.max_finite()) + LINE_ABS, "{general} {line}");
        // W2^2 with the cost |x - y|^2 against the quantile formula.
        let squared = CostMatrix::from_points(&x, &x, Metric::SquaredEuclidean).unwrap();
        let general = emd(p.as_slice(), q.as_slice(), &squared).unwrap().cost;
        let (a, b) = (LineSample::weighted(&xs, &p).unwrap(), LineSample::weighted(&xs, &q).unwrap());
        let quantile = wp(2.0, &a, &b).unwrap().powi(2);
        // Reason: up to 2k quantile steps, each rounded against the largest
        // squared cost, on top of the solver's bound.
        let rounding = solver_tolerance(2 * k, squared.max_finite()) + 16.0 * k as f64 * tol::EPS * squared.max_finite();
        prop_assert!((general - quantile).abs() <= rounding, "{general} {quantile}");
    }

    #[test]
    fn c3_kr_potential_is_1_lipschitz_and_tight(
        (p, xp, q, xq) in instance(),
        metric in metric(),
        probes in proptest::collection::vec(-1.0f64..2.0, 24),
    ) {
        let (_, t) = solve(&p, &xp, &q, &xq, metric);
        let f = KrPotential::new(&xq, &t.v, metric).unwrap();
        let dim = xp.dim();
        let scale = t.u.iter().chain(&t.v).fold(dim as f64, |a, x| a.max(x.abs()));
        let tight = f.expectation(&xp, p.as_slice()).unwrap() - f.expectation(&xq, q.as_slice()).unwrap();
        prop_assert!((tight - t.cost).abs() <= kr_tolerance(p.len() + q.len(), scale), "{tight} {}", t.cost);
        // 1-Lipschitz on the support and at points around it.
        let mut all: Vec<Vec<f64>> = Vec::new();
        for set in [&xp, &xq] {
            all.extend((0..set.len()).map(|i| set.point(i).to_vec()));
        }
        all.extend(probes.chunks(dim).take(24 / 3).map(<[f64]>::to_vec));
        let cloud = Points::new(all).unwrap();
        prop_assert!(f.lipschitz_excess(&cloud).unwrap() <= LIPSCHITZ_ULPS * tol::EPS * scale);
        // On the support, f meets the dual potentials where mass moves:
        // f(x_i) = u_i for p_i > 0 and f(y_j) = -v_j for q_j > 0.
        for e in &t.plan {
            let at_x = f.value(xp.point(e.i)).unwrap();
            let at_y = f.value(xq.point(e.j)).unwrap();
            prop_assert!((at_x - t.u[e.i]).abs() <= kr_tolerance(p.len() + q.len(), scale));
            prop_assert!((at_y + t.v[e.j]).abs() <= kr_tolerance(p.len() + q.len(), scale));
        }
    }
}

/// Units of `EPS` of the scale (largest potential or distance) by which
/// `|f(a) - f(b)|` may exceed `d(a, b)`.
///
/// Reason: each f value rounds a distance (a few ulps for a square root of a
/// sum of squares) and a subtraction; two of them and a third distance carry
/// about 8 ulps; 32 leaves room.
const LIPSCHITZ_ULPS: f64 = 32.0;

/// Allowed `|E_p f - E_q f - W1|` and `|f(x_i) - u_i|`: exact in exact
/// arithmetic; in `f64`, two f values' rounding ([`LIPSCHITZ_ULPS`] each),
/// and the solver's cost bound.
fn kr_tolerance(nodes: usize, scale: f64) -> f64 {
    2.0 * LIPSCHITZ_ULPS * tol::EPS * scale + solver_tolerance(nodes, scale)
}

/// Every permutation of `0..k`, by insertion.
fn permutations(k: usize) -> Vec<Vec<usize>> {
    let mut all = vec![Vec::new()];
    for item in 0..k {
        all = all
            .into_iter()
            .flat_map(|perm: Vec<usize>| {
                (0..=perm.len()).map(move |at| {
                    let mut longer = perm.clone();
                    longer.insert(at, item);
                    longer
                })
            })
            .collect();
    }
    all
}

#[test]
fn c3_potential_refuses_squared_euclidean() {
    use gan_theory::Error;
    let x = Points::new(vec![vec![0.0], vec![1.0]]).unwrap();
    assert!(matches!(
        KrPotential::new(&x, &[0.0, 0.0], Metric::SquaredEuclidean),
        Err(Error::InvalidParameter { name: "metric", .. })
    ));
    assert_eq!(
        KrPotential::new(&x, &[0.0], Metric::Euclidean),
        Err(Error::LengthMismatch { left: 2, right: 1 })
    );
    let f = KrPotential::new(&x, &[0.0, 0.0], Metric::Euclidean).unwrap();
    assert_eq!(
        f.value(&[0.5, 0.5]),
        Err(Error::DimensionMismatch { left: 2, right: 1 })
    );
    // min(|x - 0|, |x - 1|) at 3: 2.
    assert_eq!(f.value(&[3.0]), Ok(2.0));
}

/// WGAN's Example 1 with `Z` uniform on `K` points: W1 by the general
/// solver on the two segments, and the two distributions on the union of
/// the supports (one set of `K` points when theta = 0).
fn example_1(theta: f64) -> (f64, Discrete, Discrete) {
    const K: usize = 16;
    let segment = |x: f64| {
        Points::new(
            (0..K)
                .map(|k| vec![x, (k as f64 + 0.5) / K as f64])
                .collect(),
        )
        .unwrap()
    };
    let cost = CostMatrix::from_points(&segment(0.0), &segment(theta), Metric::Euclidean).unwrap();
    let uniform = vec![1.0 / K as f64; K];
    let w = emd(&uniform, &uniform, &cost).unwrap().cost;
    if theta == 0.0 {
        return (
            w,
            Discrete::uniform(K).unwrap(),
            Discrete::uniform(K).unwrap(),
        );
    }
    let mut left = vec![1.0; K];
    left.extend(vec![0.0; K]);
    let right: Vec<f64> = left.iter().rev().copied().collect();
    (
        w,
        Discrete::from_weights(&left).unwrap(),
        Discrete::from_weights(&right).unwrap(),
    )
}

#[test]
fn c4_wgan_example1_table() {
    println!(
        "{:>8}  {:>8}  {:>10}  {:>6}  {:>4}",
        "theta", "W1", "JSD", "KL", "TV"
    );
    for theta in [
        -2.0, -1.0, -0.5, -0.125, -1e-3, 0.0, 1e-3, 0.125, 0.5, 1.0, 2.0,
    ] {
        let (w, p, q) = example_1(theta);
        let (jsd, kl_pq, kl_qp, tv) = (
            js(&p, &q).unwrap(),
            kl(&p, &q).unwrap(),
            kl(&q, &p).unwrap(),
            total_variation(&p, &q).unwrap(),
        );
        println!("{theta:>8}  {w:>8}  {jsd:>10.7}  {kl_pq:>6}  {tv:>4}");
        // The horizontal plan's sixteen terms |theta|/16 are exact in binary.
        assert!(
            tol::close(w, f64::abs(theta)),
            "W1 = {w} at theta = {theta}"
        );
        if theta == 0.0 {
            assert_eq!((jsd, kl_pq, kl_qp, tv), (0.0, 0.0, 0.0, 0.0));
        } else {
            assert_eq!(jsd, LN_2, "theta = {theta}");
            assert_eq!((kl_pq, kl_qp), (f64::INFINITY, f64::INFINITY));
            assert_eq!(tv, 1.0);
        }
    }
}

#[test]
fn c4_w1_gradient_is_sign_theta_jsd_gradient_is_zero() {
    const STEP: f64 = 1e-3;
    // Reason: theta +- STEP and the two values each round by an ulp of 2,
    // divided by 2 STEP.
    const FD_ROUNDING: f64 = 8.0 * tol::EPS / STEP;
    for theta in [-1.5, -0.5, -0.01, 0.01, 0.5, 1.5] {
        let (w_plus, p_plus, q_plus) = example_1(theta + STEP);
        let (w_minus, p_minus, q_minus) = example_1(theta - STEP);
        let w_slope = (w_plus - w_minus) / (2.0 * STEP);
        let js_slope =
            (js(&p_plus, &q_plus).unwrap() - js(&p_minus, &q_minus).unwrap()) / (2.0 * STEP);
        assert!(
            (w_slope - f64::signum(theta)).abs() <= FD_ROUNDING,
            "dW1 = {w_slope} at {theta}"
        );
        assert_eq!(js_slope, 0.0, "dJSD at {theta}");
    }
    // Across theta = 0 W1 is continuous, JSD jumps by ln 2.
    let (w_small, p, q) = example_1(1e-9);
    assert!(w_small <= 1e-9 * (1.0 + tol::IDENTITY_REL));
    assert_eq!(js(&p, &q).unwrap(), LN_2);
}

#[test]
fn c2_zero_mass_points_carry_nothing() {
    // A point of zero weight, even far away and last in order, moves nothing.
    for order in [1.0, 2.0, 3.5] {
        let w = wp_samples(order, &[0.0, 1e6], Some(&[3.0, 0.0]), &[0.0], None).unwrap();
        assert_eq!(w, 0.0, "order {order}");
        let w = wp_samples(
            order,
            &[-1e6, 0.0, 1e6],
            Some(&[0.0, 0.1, 0.0]),
            &[1.0],
            None,
        )
        .unwrap();
        // powf and its inverse root round, a few ulps.
        assert!(tol::close(w, 1.0), "order {order}: {w}");
    }
    let w = w1_samples(&[-1e6, 0.0, 1e6], Some(&[0.0, 0.1, 0.0]), &[1.0], None).unwrap();
    assert_eq!(w, 1.0);
}

proptest! {
    /// One input convention: the `Discrete` that the divergences take goes to
    /// `emd`, `verify_certificate` and `KrPotential::expectation` as it is,
    /// with the same answer, to the bit, as its probabilities as a slice.
    #[test]
    fn discrete_goes_where_masses_go((p, q) in common::pair()) {
        let n = p.len();
        let xs: Vec<Vec<f64>> = (0..n).map(|i| vec![i as f64]).collect();
        let points = Points::new(xs).unwrap();
        let cost = CostMatrix::from_points(&points, &points, Metric::Euclidean).unwrap();
        let by_distribution = emd(&p, &q, &cost).unwrap();
        let by_slice = emd(p.as_slice(), q.as_slice(), &cost).unwrap();
        prop_assert_eq!(&by_distribution, &by_slice);
        prop_assert!(verify_certificate(&p, &q, &cost, &by_distribution).passed);
        let f = KrPotential::new(&points, &by_distribution.v, Metric::Euclidean).unwrap();
        prop_assert_eq!(
            f.expectation(&points, &p).unwrap().to_bits(),
            f.expectation(&points, p.as_slice()).unwrap().to_bits()
        );
        prop_assert!(js(&p, &q).unwrap() >= 0.0);
    }
}

/// Relative error allowed for the Euclidean distance: one rounding in each
/// difference, the division by the largest, the squares' sum and the square
/// root, each half an ulp and not all at once: 2 ulps (a wrong difference
/// or scaling is off by a factor).
const EUCLIDEAN_REL: f64 = 2.0 * f64::EPSILON;

/// The Euclidean metric far outside the range where squares are safe (the
/// rescaled sum): |(3, 1) - (1, 0)| = sqrt 5 at scales 1e200 and 1e-200,
/// within 2 ulps (one rounding in each difference, the division by the
/// largest, the squares' sum and the square root, all relative).
#[test]
fn euclidean_distance_at_extreme_scales() {
    for scale in [1e200, 1e-200, 1.0] {
        let d = Metric::Euclidean.distance(&[3.0 * scale, scale], &[scale, 0.0]);
        let exact = 5f64.sqrt() * scale;
        assert!(
            (d - exact).abs() <= EUCLIDEAN_REL * exact,
            "scale {scale:e}: {d:e} against {exact:e}"
        );
    }
}

/// The accessors of points and cost matrices say what was given.
#[test]
fn points_and_cost_matrix_accessors() {
    let points = Points::new(vec![vec![0.0, 1.0], vec![2.0, 3.0], vec![4.0, 5.0]]).unwrap();
    assert_eq!(
        (points.len(), points.dim(), points.is_empty()),
        (3, 2, false)
    );
    let inf = f64::INFINITY;
    let cost = CostMatrix::new(2, 3, vec![0.0, 2.0, inf, 0.5, 0.0, 7.0]).unwrap();
    assert_eq!(
        (cost.min_positive(), cost.max_finite(), cost.has_forbidden()),
        (0.5, 7.0, true)
    );
    let zeros = CostMatrix::new(1, 2, vec![0.0, 0.0]).unwrap();
    assert_eq!(
        (
            zeros.min_positive(),
            zeros.max_finite(),
            zeros.has_forbidden()
        ),
        (inf, 0.0, false)
    );
}

/// A line sample keeps its values sorted and its masses beside them.
#[test]
fn line_sample_accessors() {
    let plain = LineSample::new(&[2.5, -1.0, 0.0, 7.0]).unwrap();
    assert_eq!((plain.len(), plain.is_empty()), (4, false));
    assert_eq!(plain.sorted_values(), &[-1.0, 0.0, 2.5, 7.0]);
    assert_eq!(plain.masses(), None);
    let weights = Discrete::new(vec![0.5, 0.25, 0.0, 0.25]).unwrap();
    let weighted = LineSample::weighted(&[3.0, -2.0, 9.0, 1.0], &weights).unwrap();
    assert_eq!(weighted.sorted_values(), &[-2.0, 1.0, 3.0, 9.0]);
    assert_eq!(weighted.masses(), Some(&[0.25, 0.25, 0.5, 0.0][..]));
}

/// Relative agreement of W1 at scale 1e299 with 1e299 times W1 at scale 1:
/// scaling rounds each value once (half an ulp), and each side sums about
/// 200 terms compensatedly and divides once, so they agree to about 1e-15;
/// 1e-12 leaves a wide margin, and an overflow gives +inf.
const W1_SCALE_REL: f64 = 1e-12;

/// W1 is linear in the scale: two samples about 1e305 apart (100 and 99
/// points), where the unweighted merge's area (the integer CDF difference,
/// up to n m = 9900, times the gaps) would pass f64::MAX, give 1e299 times
/// W1 of the same samples at scale 1, within 1e-12 relative (a few
/// roundings on each side; scaling by 1e299 rounds each value once).
#[test]
fn w1_of_widely_spread_samples_of_unequal_sizes() {
    let a: Vec<f64> = (0..100).map(|i| (i as f64 * 0.37).sin()).collect();
    let b: Vec<f64> = (0..99).map(|i| (i as f64 * 0.71).cos() + 1e6).collect();
    let at = |scale: f64, v: &[f64]| {
        LineSample::new(&v.iter().map(|x| x * scale).collect::<Vec<_>>()).unwrap()
    };
    let reference = 1e299 * w1(&at(1.0, &a), &at(1.0, &b));
    let wide = w1(&at(1e299, &a), &at(1e299, &b));
    assert!(
        (wide - reference).abs() <= W1_SCALE_REL * reference,
        "{wide:e} against {reference:e}"
    );
}

/// `-0.0` is stored as `0.0` (LineSample's docs): its sorting key is that
/// of `+0.0`, so the sorted values never show a negative zero.
#[test]
fn negative_zero_is_stored_as_zero() {
    let unweighted = LineSample::new(&[1.0, -0.0, -1.0]).unwrap();
    let weighted =
        LineSample::weighted(&[-0.0, 1.0], &Discrete::from_weights(&[1.0, 1.0]).unwrap()).unwrap();
    for (sample, at) in [(&unweighted, 1), (&weighted, 0)] {
        let zero = sample.sorted_values()[at];
        assert_eq!(zero.to_bits(), 0.0f64.to_bits(), "{zero:?}");
    }
}

/// A point of zero mass after the last point of positive mass adds nothing
/// to W_p, even where the masses' running sum ends an ulp short of 1: with
/// relative weights 14, 13, 19, 15, 5 the compensated sum of the five
/// probabilities is 1 - 2^-53 (found by search), and without the rule that
/// the cumulative mass is exactly 1 from the last positive point on, that
/// missing ulp would become a sliver of the quantile function at the
/// far point (W1 about 1e6 * 1.1e-16). Identical masses elsewhere: W_p = 0
/// exactly.
#[test]
fn zero_mass_points_at_the_end_leave_no_sliver() {
    let weights = [14.0, 13.0, 19.0, 15.0, 5.0];
    let values = [0.0, 1.0, 2.0, 3.0, 4.0];
    let near = LineSample::weighted(&values, &Discrete::from_weights(&weights).unwrap()).unwrap();
    let far = LineSample::weighted(
        &[0.0, 1.0, 2.0, 3.0, 4.0, 1e6],
        &Discrete::from_weights(&[14.0, 13.0, 19.0, 15.0, 5.0, 0.0]).unwrap(),
    )
    .unwrap();
    for order in [1.0, 2.0] {
        assert_eq!(wp(order, &far, &near).unwrap(), 0.0, "order {order}");
    }
}

/// A zero-mass point is a step of zero width of the quantile function: it
/// must not count as the largest distance that W_p's terms are divided by.
/// Here it would be 1e10 away while the one real distance is 1, and
/// (1e-10)^40 underflows: the answer would be 0 instead of W_40 = 1.
#[test]
fn zero_width_steps_do_not_set_the_scale_of_wp() {
    let a =
        LineSample::weighted(&[-1e10, 0.0], &Discrete::from_weights(&[0.0, 1.0]).unwrap()).unwrap();
    let b = LineSample::new(&[1.0]).unwrap();
    assert_eq!(wp(40.0, &a, &b).unwrap(), 1.0);
}

/// KrPotential's pair scores by hand. Anchors 0 and 3 on the line with
/// duals 0 and 1: f(x) = min(|x|, |x - 3| - 1), so f(0) = 0, f(2) = 0,
/// f(5) = 1 (all exact). Over the points {0, 2, 5} the ratios
/// |f(a) - f(b)| / d(a, b) are 0/2, 1/5 and 1/3, so the Lipschitz constant
/// is 1/3 (one division, correctly rounded: exact comparison), also with a
/// second copy of the point 2 (a pair at distance 0 counts 0); the excesses
/// |f(a) - f(b)| - d(a, b) are -2, -4 and -2, so the excess is -2 (a point
/// is not paired with itself, which would give 0). A single point has no
/// pair: 0 for both. Points of another dimension are refused.
#[test]
fn kr_potential_pair_scores_by_hand() {
    let line = |xs: &[f64]| Points::new(xs.iter().map(|&x| vec![x]).collect()).unwrap();
    let f = KrPotential::new(&line(&[0.0, 3.0]), &[0.0, 1.0], Metric::Euclidean).unwrap();
    assert_eq!(
        f.values(&line(&[0.0, 2.0, 5.0])).unwrap(),
        vec![0.0, 0.0, 1.0]
    );
    assert_eq!(
        f.lipschitz_constant(&line(&[0.0, 2.0, 2.0, 5.0])).unwrap(),
        1.0 / 3.0
    );
    assert_eq!(
        f.lipschitz_constant(&line(&[0.0, 2.0, 5.0])).unwrap(),
        1.0 / 3.0
    );
    assert_eq!(f.lipschitz_excess(&line(&[0.0, 2.0, 5.0])).unwrap(), -2.0);
    assert_eq!(f.lipschitz_excess(&line(&[2.0, 0.0, 5.0])).unwrap(), -2.0);
    assert_eq!(f.lipschitz_constant(&line(&[5.0])).unwrap(), 0.0);
    assert_eq!(f.lipschitz_excess(&line(&[5.0])).unwrap(), 0.0);
    let plane = Points::new(vec![vec![0.0, 0.0], vec![1.0, 1.0]]).unwrap();
    for result in [
        f.lipschitz_constant(&plane),
        f.lipschitz_excess(&plane),
        f.values(&plane).map(|_| 0.0),
        f.expectation(&plane, &[0.5, 0.5]),
    ] {
        assert!(
            matches!(
                result,
                Err(gan_theory::Error::DimensionMismatch { left: 2, right: 1 })
            ),
            "{result:?}"
        );
    }
}
