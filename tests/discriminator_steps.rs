//! Claim F3: k gradient steps on a tabular discriminator. Overlapping
//! supports: the logit errors contract geometrically in k and the saturating
//! generator gradient approaches that of 2 JSD. Disjoint supports: D runs to
//! the perfect discriminator, the saturating gradient falls with its error
//! (Theorem 2.4 of Arjovsky and Bottou), the non-saturating one tends to the
//! gradient of -H(p_g).

mod common;

use gan_theory::tabular::{TabularDiscriminator, TabularGenerator};
use gan_theory::tol::EPS;
use gan_theory::train::discriminator_steps::{
    ascent_factor_bounds, contraction_factor, escape_interval, gradient_gap_bound,
    non_saturating_limit, non_saturating_limit_bound, rejection_bound, saturating_gradient_bound,
};
use gan_theory::{Discrete, Discriminator};
use proptest::prelude::*;

/// Rounding allowance of one ascent step, in units of `EPS` times
/// `|l_t| + |l_t+1| + |ln a| + |ln b| + step (a + b)` (derived with the F3
/// check's constant of the same name).
const ASCENT_ROUNDING_ULPS: f64 = 8.0;

fn full_support(n: usize) -> impl Strategy<Value = Discrete> {
    proptest::collection::vec(0.05f64..1.0, n).prop_map(|w| Discrete::from_weights(&w).unwrap())
}

/// Two full-support distributions on 2 to 8 points, a start in [-6, 6] per
/// logit and a step fraction of the no-overshoot limit.
fn overlapping() -> impl Strategy<Value = (Discrete, Discrete, Vec<f64>, f64)> {
    (2usize..=8).prop_flat_map(|n| {
        (
            full_support(n),
            full_support(n),
            proptest::collection::vec(-6.0f64..6.0, n),
            0.05f64..=1.0,
        )
    })
}

fn norm(x: &[f64]) -> f64 {
    x.iter().map(|a| a * a).sum::<f64>().sqrt()
}

fn distance(x: &[f64], y: &[f64]) -> f64 {
    x.iter()
        .zip(y)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        .sqrt()
}

proptest! {
    #![proptest_config(common::config(128))]

    /// Every step multiplies each logit's error by a factor inside the
    /// curvature interval; after k steps the error is within rho^k of the start;
    /// the saturating gradient is within 2 |p_g| max|e_k| of grad 2 JSD.
    #[test]
    fn f3_logit_errors_contract_geometrically_and_the_gradient_follows(
        (p, q, start, fraction) in overlapping()
    ) {
        let n = p.len();
        let step = fraction * 4.0 / (0..n).map(|i| p[i] + q[i]).fold(0.0, f64::max);
        let target: Vec<f64> = (0..n).map(|i| p[i].ln() - q[i].ln()).collect();
        let g = TabularGenerator::from_distribution(&q).unwrap();
        let jsd_gradient = g.c_of_g_gradient(&p).unwrap();
        let mut d = TabularDiscriminator::new(start.clone()).unwrap();
        let steps = 80;
        for _ in 0..steps {
            let next = d.moved(&d.value_gradient(&p, &q).unwrap(), step).unwrap();
            for i in 0..n {
                let (l, l_next) = (d.logits()[i], next.logits()[i]);
                let (e, e_next) = (l - target[i], l_next - target[i]);
                let (low, high) = ascent_factor_bounds(p[i], q[i], step, l).unwrap();
                prop_assert!(0.0 <= low && low <= high && high < 1.0);
                let allowance = ASCENT_ROUNDING_ULPS * EPS
                    * (l.abs() + l_next.abs() + p[i].ln().abs() + q[i].ln().abs() + step * (p[i] + q[i]));
                let (from, to) = ((low * e).min(high * e), (low * e).max(high * e));
                prop_assert!(from - allowance <= e_next && e_next <= to + allowance,
                    "point {i}: {e} -> {e_next}, factor interval [{low}, {high}]");
            }
            let largest_error = (0..n).map(|i| (next.logits()[i] - target[i]).abs()).fold(0.0, f64::max);
            let gap = distance(&g.saturating_gradient(&next.discriminator()).unwrap(), &jsd_gradient);
            prop_assert!(gap <= gradient_gap_bound(&q, largest_error) + 1e-13, "{gap}");
            d = next;
        }
        for i in 0..n {
            let rho = contraction_factor(p[i], q[i], step, start[i]).unwrap();
            let bound = rho.powi(steps) * (start[i] - target[i]).abs() + 1e-12;
            prop_assert!((d.logits()[i] - target[i]).abs() <= bound);
        }
    }

    /// The escape interval contains 1 + e^{-l_k} for the logit of a point
    /// only the generator charges, for every rate and k.
    #[test]
    fn f3_escape_interval_contains_the_iterates(b in 0.01f64..1.0, step in 0.1f64..8.0) {
        let p = Discrete::new(vec![1.0, 0.0]).unwrap();
        let q = Discrete::new(vec![0.0, 1.0]).unwrap();
        // Scale p_g's mass at the point by b through the step: the recursion
        // only sees step b.
        let mut d = TabularDiscriminator::half(2).unwrap();
        for k in 1..=3000usize {
            d = d.moved(&d.value_gradient(&p, &q).unwrap(), step * b).unwrap();
            if k % 300 == 0 || k < 5 {
                let y = 1.0 + (-d.logits()[1]).exp();
                let (low, high) = escape_interval(b, step, k).unwrap();
                let slack = 1e-12 * y;
                prop_assert!(low - slack <= y && y <= high + slack, "k {k}: {low} <= {y} <= {high}");
                prop_assert!(d.probability(1) <= rejection_bound(b, step, k) * (1.0 + 1e-12));
            }
        }
    }
}

/// The F3 disjoint setting: data on 3 points, the generator on 3 others.
fn disjoint_run(generated: &[f64], step: f64, checkpoints: &[usize]) -> Vec<Vec<f64>> {
    let mut a = vec![0.5, 0.3, 0.2];
    a.extend([0.0; 3]);
    let mut b = vec![0.0; 3];
    b.extend_from_slice(generated);
    let (p, q) = (Discrete::new(a).unwrap(), Discrete::new(b).unwrap());
    let mut d = TabularDiscriminator::half(6).unwrap();
    let mut out = Vec::new();
    let mut done = 0;
    for &k in checkpoints {
        for _ in done..k {
            d = d.moved(&d.value_gradient(&p, &q).unwrap(), step).unwrap();
        }
        done = k;
        out.push(d.logits()[3..].to_vec());
    }
    out
}

/// Disjoint supports: the saturating gradient obeys Theorem 2.4's bound and
/// vanishes with D's error; the non-saturating one converges to grad -H(p_g)
/// within its bound, so its norm stays near |grad H(p_g)| > 0.
#[test]
fn f3_disjoint_supports_saturating_vanishes_non_saturating_does_not() {
    let checkpoints = [1, 3, 10, 30, 100, 300, 1000, 3000, 10_000, 30_000];
    for (generated, step) in [
        ([0.7, 0.2, 0.1], 1.0),
        ([0.4, 0.35, 0.25], 3.0),
        ([0.9, 0.05, 0.05], 0.3),
    ] {
        let q = Discrete::new(generated.to_vec()).unwrap();
        let g = TabularGenerator::from_distribution(&q).unwrap();
        let limit = non_saturating_limit(&q).unwrap();
        let mut previous_saturating = f64::INFINITY;
        for (k, logits) in checkpoints
            .iter()
            .zip(disjoint_run(&generated, step, &checkpoints))
        {
            let d = Discriminator::from_logits(logits.clone()).unwrap();
            let epsilon = (0..3).map(|j| d.probability(j)).fold(0.0, f64::max);
            let saturating = norm(&g.saturating_gradient(&d).unwrap());
            assert!(
                saturating <= saturating_gradient_bound(&q, epsilon),
                "k {k}"
            );
            if *k >= 100 {
                assert!(
                    saturating < previous_saturating,
                    "k {k}: falls with D's error"
                );
            }
            previous_saturating = saturating;
            let ns = g.non_saturating_gradient(&d).unwrap();
            let bound = non_saturating_limit_bound(&q, step, *k).unwrap() + 1e-9;
            assert!(
                distance(&ns, &limit) <= bound,
                "k {k}: {} > {bound}",
                distance(&ns, &limit)
            );
        }
        // At the last checkpoint: Theorem 2.4 with eps from the 1/k rate of D.
        let smallest = generated.iter().copied().fold(1.0, f64::min);
        let eps = rejection_bound(smallest, step, 30_000);
        assert!(
            previous_saturating <= saturating_gradient_bound(&q, eps),
            "{previous_saturating}"
        );
        assert!(saturating_gradient_bound(&q, eps) < 1e-2);
        let last = disjoint_run(&generated, step, &[30_000]).pop().unwrap();
        let ns = norm(
            &g.non_saturating_gradient(&Discriminator::from_logits(last).unwrap())
                .unwrap(),
        );
        assert!(
            (ns - norm(&limit)).abs() < 0.01 * norm(&limit),
            "{ns} vs {}",
            norm(&limit)
        );
    }
}

/// The limit is the gradient of -H in the softmax logits: central differences
/// of sum p ln p.
#[test]
fn f3_non_saturating_limit_is_the_gradient_of_minus_entropy() {
    let q = Discrete::new(vec![0.5, 0.3, 0.15, 0.05]).unwrap();
    let u: Vec<f64> = q.as_slice().iter().map(|x| x.ln()).collect();
    let neg_entropy = |u: &[f64]| -TabularGenerator::new(u.to_vec()).unwrap().entropy();
    let limit = non_saturating_limit(&q).unwrap();
    let h = 1e-5;
    for j in 0..4 {
        let (mut plus, mut minus) = (u.clone(), u.clone());
        plus[j] += h;
        minus[j] -= h;
        let numeric = (neg_entropy(&plus) - neg_entropy(&minus)) / (2.0 * h);
        assert!(
            (numeric - limit[j]).abs() < 1e-9,
            "{j}: {numeric} vs {}",
            limit[j]
        );
    }
    assert!(non_saturating_limit(&Discrete::new(vec![1.0, 0.0]).unwrap()).is_err());
}

/// The bounds refuse what their proofs do not cover.
#[test]
fn f3_bounds_refuse_their_excluded_cases() {
    assert!(ascent_factor_bounds(0.5, 0.0, 1.0, 0.0).is_err());
    assert!(ascent_factor_bounds(0.5, 0.5, 4.5, 0.0).is_err()); // overshoot
    assert!(ascent_factor_bounds(1.5, 1.0, 1.0, 0.0).is_err()); // a + b > 2
    assert!(escape_interval(0.0, 1.0, 5).is_err());
    assert!(non_saturating_limit_bound(&Discrete::uniform(2).unwrap(), 1.0, 0).is_err());
}
