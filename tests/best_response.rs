//! Claim F4: the generator's exact best responses to D* cycle; damped with
//! a constant weight they still cycle, with weights 1/(t+2) they converge;
//! gradient steps on C(G) converge up to the largest stable step and fall
//! onto a 2-cycle above it.

mod common;

use gan_theory::tabular::TabularGenerator;
use gan_theory::tol::{self, EPS};
use gan_theory::train::best_response::{
    Mixing, best_response, iterate_best_responses, largest_stable_step,
};
use gan_theory::{Discrete, divergence, game};
use proptest::prelude::*;

/// `sigma(x)`, written out (independent of the library's).
fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `C'(s)` for `p_data = (1/2, 1/2)`, `p_g = (sigma(s), sigma(-s))`, from
/// the closed form of the F4 proof (step 3), not from the library.
fn half_slope(s: f64) -> f64 {
    let (p, q) = (logistic(s), logistic(-s));
    p * q * (s - ((1.0 + 2.0 * p) / (1.0 + 2.0 * q)).ln())
}

/// `s = u_0 - u_1` after `steps` library gradient steps of size `eta` on
/// `C(G)` for `p_data = (1/2, 1/2)`, from `s0`.
fn half_descent(s0: f64, eta: f64, steps: usize) -> Vec<f64> {
    let p_data = Discrete::new(vec![0.5, 0.5]).unwrap();
    let mut g = TabularGenerator::new(vec![0.5 * s0, -0.5 * s0]).unwrap();
    let mut out = vec![s0];
    for _ in 0..steps {
        g = g.moved(&g.c_of_g_gradient(&p_data).unwrap(), -eta).unwrap();
        out.push(g.logits()[0] - g.logits()[1]);
    }
    out
}

/// One gradient step on `p_data = (1/2, 1/2)` agrees with the closed-form
/// recursion `s - 2 eta C'(s)` to 64 ulps of `|s| + eta (|s| + 2)` (the
/// rounding allowance of the F4 check, derived there).
const ONE_STEP_ULPS: f64 = 64.0;

/// `JSD(p_data || delta_i)` in closed form (F4 proof, step 1).
fn jsd_to_point_mass(a: f64) -> f64 {
    let ln2 = std::f64::consts::LN_2;
    let middle = if a > 0.0 {
        a * (2.0 * a / (1.0 + a)).ln()
    } else {
        0.0
    };
    0.5 * ((1.0 - a) * ln2 + middle + (2.0 / (1.0 + a)).ln())
}

proptest! {
    #![proptest_config(common::config(256))]

    /// From t = 1 on, the exact best responses are point masses, never the
    /// previous one, never p_data (when it has two support points or more),
    /// and C(G_t) is the closed form at that point mass.
    #[test]
    fn f4_exact_best_responses_are_point_masses_that_never_reach_p_data(
        (p_data, start) in common::pair()
    ) {
        prop_assume!(p_data.support().count() >= 2);
        let run = iterate_best_responses(&p_data, &start, Mixing::Full, 8).unwrap();
        for t in 1..=8 {
            let i = run.responses[t - 1];
            prop_assert_eq!(&run.generated[t], &Discrete::point_mass(p_data.len(), i).unwrap());
            if t >= 2 {
                prop_assert_ne!(run.responses[t - 1], run.responses[t - 2]);
            }
            let expected = -(4f64.ln()) + 2.0 * jsd_to_point_mass(p_data[i]);
            prop_assert!(tol::close(run.c_of_g[t], expected), "{} vs {expected}", run.c_of_g[t]);
            prop_assert!(divergence::js(&p_data, &run.generated[t]).unwrap() > 0.0);
        }
    }

    /// The best response to any discriminator is the point mass on its
    /// largest value: no distribution does better under either loss.
    #[test]
    fn f4_best_response_minimises_both_losses((_, p, d) in common::game()) {
        let response = best_response(&d).unwrap();
        for loss in [game::GeneratorLoss::Saturating, game::GeneratorLoss::NonSaturating] {
            let cost = |q: &Discrete| q.expect(|i| loss.point_cost(&d, i));
            prop_assert!(cost(&response) <= cost(&p) + 1e-15);
        }
    }

    /// Gradient steps up to 8 on p_data = (1/2, 1/2) shrink |s| at every step
    /// from every start, and each step is the closed-form recursion.
    #[test]
    fn f4_gradient_steps_up_to_8_shrink_the_distance_from_every_start(
        s0 in -12.0f64..12.0, eta in 0.1f64..=8.0
    ) {
        prop_assume!(s0.abs() > 1e-3);
        let s = half_descent(s0, eta, 200);
        for w in s.windows(2) {
            let predicted = w[0] - 2.0 * eta * half_slope(w[0]);
            let allowance = ONE_STEP_ULPS * EPS * (w[0].abs() + eta * (w[0].abs() + 2.0));
            prop_assert!((w[1] - predicted).abs() <= allowance, "{} vs {predicted}", w[1]);
            if w[0].abs() > 1e-10 {
                prop_assert!(w[1].abs() < w[0].abs(), "{} -> {} at step {eta}", w[0], w[1]);
            }
        }
    }
}

/// p_data = (1/2, 1/2): the exact best responses alternate (0, 1), (1, 0), ...
/// and C(G) stays at -ln 4 + (3/2) ln(4/3) > -ln 4.
#[test]
fn f4_half_cycle_alternates_and_c_stays_on_the_cycle() {
    let half = Discrete::new(vec![0.5, 0.5]).unwrap();
    let run = iterate_best_responses(
        &half,
        &Discrete::new(vec![0.3, 0.7]).unwrap(),
        Mixing::Full,
        10,
    )
    .unwrap();
    assert_eq!(run.responses, vec![0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    let on_cycle = -(4f64.ln()) + 1.5 * (4.0f64 / 3.0).ln();
    for c in &run.c_of_g[1..] {
        assert!((c - on_cycle).abs() <= tol::IDENTITY_ABS, "{c}");
    }
    assert!(on_cycle > -(4f64.ln()) + 0.4);
}

/// A constant weight w: |p_g(0) - 1/2| tends to w / (2 (2 - w)), the sides
/// alternate; the distance to that amplitude shrinks by 1 - w per round.
#[test]
fn f4_constant_damping_cycles_with_amplitude_w_over_2_2_minus_w() {
    let half = Discrete::new(vec![0.5, 0.5]).unwrap();
    let start = Discrete::new(vec![0.95, 0.05]).unwrap();
    for w in [0.05, 0.2, 0.5, 0.9] {
        let run = iterate_best_responses(&half, &start, Mixing::Constant(w), 600).unwrap();
        let amplitude = w / (2.0 * (2.0 - w));
        let e0 = (0.45f64 - amplitude).abs();
        for (t, p) in run.generated.iter().enumerate() {
            let e = ((p[0] - 0.5).abs() - amplitude).abs();
            let bound = (1.0 - w).powi(t as i32) * e0 + 2.0 * (t as f64 + 1.0) * EPS;
            assert!(e <= bound, "w = {w}, t = {t}: {e} > {bound}");
        }
        let (last, before) = (run.generated[600][0] - 0.5, run.generated[599][0] - 0.5);
        assert!(last * before < 0.0, "w = {w}: the sides alternate");
    }
    assert!(iterate_best_responses(&half, &start, Mixing::Constant(0.0), 1).is_err());
}

/// Weights 1/(t + 2): (t + 1) |p_g(0) - 1/2| <= 1/2 at every round.
#[test]
fn f4_harmonic_weights_converge_as_one_over_t() {
    let half = Discrete::new(vec![0.5, 0.5]).unwrap();
    for start in [0.0, 0.3, 0.999] {
        let start = Discrete::new(vec![start, 1.0 - start]).unwrap();
        let run = iterate_best_responses(&half, &start, Mixing::Harmonic, 2000).unwrap();
        for (t, p) in run.generated.iter().enumerate() {
            let scaled = (t as f64 + 1.0) * (p[0] - 0.5).abs();
            assert!(scaled <= 0.5 + 1e-9, "t = {t}: {scaled}");
        }
    }
}

/// The root of s / C'(s) = eta by bisection (F4 proof, step 6).
fn two_cycle_amplitude(eta: f64) -> f64 {
    let (mut low, mut high) = (1e-12, 30.0);
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if mid - eta * half_slope(mid) < 0.0 {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// Steps above 8 (and below about 13.65): p_data repels, and the iterates
/// fall onto the 2-cycle s* -> -s* with s* / C'(s*) = eta, from near p_data
/// and from far away.
#[test]
fn f4_gradient_steps_above_8_fall_onto_the_two_cycle() {
    for eta in [8.5, 10.0, 12.0, 13.0] {
        let star = two_cycle_amplitude(eta);
        for s0 in [1e-6, -0.5, 3.0] {
            let s = half_descent(s0, eta, 3000);
            let (last, before) = (s[3000], s[2999]);
            assert!(
                (last.abs() - star).abs() < 1e-9,
                "eta {eta}, s0 {s0}: {last} vs {star}"
            );
            assert!(last * before < 0.0);
        }
    }
}

/// At 8 itself the runs still converge, sublinearly: |s| shrinks every step.
#[test]
fn f4_boundary_step_converges_slowly() {
    let s = half_descent(1.0, 8.0, 5000);
    assert!(s.windows(2).all(|w| w[1].abs() < w[0].abs()));
    assert!(s[5000].abs() < 0.02 && s[5000].abs() > 1e-4, "{}", s[5000]);
}

/// For random p_data the largest stable step 2 / lambda_max separates
/// shrinking from growing deviations along the top eigenvector, at the
/// predicted factor 1 - eta lambda_max.
#[test]
fn f4_largest_stable_step_separates_shrinking_from_growing() {
    let data = [
        vec![0.5, 0.5],
        vec![0.6, 0.3, 0.1],
        vec![0.1, 0.2, 0.3, 0.4],
        vec![0.3, 0.05, 0.25, 0.15, 0.25],
    ];
    for a in data {
        let p_data = Discrete::new(a.clone()).unwrap();
        let boundary = largest_stable_step(&p_data).unwrap();
        let n = a.len();
        let h = gan_theory::nalgebra::DMatrix::from_fn(n, n, |r, c| {
            (if r == c { a[r] } else { 0.0 } - a[r] * a[c]) / 2.0
        });
        let eigen = gan_theory::nalgebra::SymmetricEigen::new(h);
        let top = eigen.eigenvalues.imax();
        assert!((boundary - 2.0 / eigen.eigenvalues[top]).abs() < 1e-12 * boundary);
        let v: Vec<f64> = eigen.eigenvectors.column(top).iter().copied().collect();
        let optimum: Vec<f64> = a.iter().map(|x| x.ln()).collect();
        for multiple in [0.9, 1.1] {
            let eta = multiple * boundary;
            let mut g = TabularGenerator::new(optimum.clone())
                .unwrap()
                .moved(&v, 1e-8)
                .unwrap();
            for _ in 0..30 {
                g = g.moved(&g.c_of_g_gradient(&p_data).unwrap(), -eta).unwrap();
            }
            let c: f64 = g
                .logits()
                .iter()
                .zip(&optimum)
                .zip(&v)
                .map(|((u, o), x)| (u - o) * x)
                .sum();
            let factor = (c / 1e-8).abs().powf(1.0 / 30.0);
            assert!(
                (factor - (2.0 * multiple - 1.0)).abs() < 1e-3,
                "{a:?}, {multiple}: {factor}"
            );
        }
    }
    assert!(largest_stable_step(&Discrete::new(vec![1.0, 0.0]).unwrap()).is_err());
    assert!(largest_stable_step(&Discrete::new(vec![1.0]).unwrap()).is_err());
}
