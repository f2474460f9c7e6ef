//! Claim D1 (WGAN): the critic's objective and the gradient penalty in closed
//! form, the penalty's exact parameter gradient on MLP critics against finite
//! differences, clipping and its Lipschitz certificate, certified lower
//! bounds on W1, and reproducible WGAN training.

mod common;

use gan_theory::critic::{Critic, clipping_lipschitz_bound};
use gan_theory::mlp::{Activation, Mlp};
use gan_theory::optim::{Adam, AnyOptimizer};
use gan_theory::train::wgan::{
    CriticRecord, CriticSettings, CriticTrainer, Empirical, Lipschitz, Wgan, WganRecord,
    WganSettings, evaluate_critic, exact_w1,
};
use gan_theory::transport::line::w1_histograms;
use gan_theory::transport::{Metric, Points};
use gan_theory::variants::wgan;
use gan_theory::{Discrete, Error, tol};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

/// Step of the central differences: `h^2` truncation (about 1e-10 of the
/// third derivative's size) against `EPS / h` rounding (about 1e-11 of the
/// penalty's size) balance near here.
const FD_STEP: f64 = 1e-5;

/// Accepted `|exact - finite difference|`, relative to `1 + |exact|`: the
/// two error terms above stay below 1e-8 for these small nets; 1e-6 leaves
/// room and still catches any wrong term of the pass (which shows at 1e-2).
const FD_TOLERANCE: f64 = 1e-6;

fn input_batch(rows: usize, dim: usize, seed: u64) -> DMatrix<f64> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    DMatrix::from_fn(rows, dim, |_, _| 2.0 * rng.random::<f64>() - 1.0)
}

/// Largest |exact - central difference| / (1 + |exact|) over all parameters.
fn worst_fd_error(critic: &Critic, x: &DMatrix<f64>, lambda: f64) -> f64 {
    let mut exact = vec![0.0; critic.num_params()];
    critic
        .gradient_penalty(x, lambda, Some(&mut exact))
        .unwrap();
    let mut worst = 0.0f64;
    for (k, &exact) in exact.iter().enumerate() {
        let mut plus = critic.clone();
        plus.params_mut()[k] += FD_STEP;
        let mut minus = critic.clone();
        minus.params_mut()[k] -= FD_STEP;
        let fd = (plus.gradient_penalty(x, lambda, None).unwrap()
            - minus.gradient_penalty(x, lambda, None).unwrap())
            / (2.0 * FD_STEP);
        worst = worst.max((fd - exact).abs() / (1.0 + exact.abs()));
    }
    worst
}

#[test]
fn d1_penalty_gradient_matches_finite_differences() {
    let activations = [
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu { slope: 0.2 },
    ];
    for (case, widths) in [
        vec![1, 8, 1],
        vec![2, 6, 1],
        vec![1, 5, 4, 1],
        vec![2, 4, 3, 1],
        vec![1, 1],
        vec![2, 1],
    ]
    .into_iter()
    .enumerate()
    {
        for (a, &activation) in activations.iter().enumerate() {
            let seed = (10 * case + a) as u64;
            let critic = Critic::new(&widths, activation, seed).unwrap();
            let x = input_batch(7, widths[0], seed + 100);
            let worst = worst_fd_error(&critic, &x, 10.0);
            assert!(
                worst <= FD_TOLERANCE,
                "{widths:?} {activation:?}: worst {worst:e}"
            );
        }
    }
}

/// A critic with every parameter 0 but the listed (index, value) pairs.
fn critic_with(widths: &[usize], activation: Activation, set: &[(usize, f64)]) -> Critic {
    let n: usize = widths.windows(2).map(|w| (w[0] + 1) * w[1]).sum();
    let mut params = vec![0.0; n];
    for &(k, v) in set {
        params[k] = v;
    }
    Critic::from_mlp(Mlp::from_params(widths, activation, DVector::from_vec(params)).unwrap())
        .unwrap()
}

#[test]
fn d1_penalty_value_is_the_mean_of_the_closed_form_term() {
    for (widths, activation) in [
        (vec![1, 8, 1], Activation::Tanh),
        (vec![2, 5, 3, 1], Activation::Relu),
        (vec![3, 4, 1], Activation::LeakyRelu { slope: 0.1 }),
    ] {
        let critic = Critic::new(&widths, activation, 5).unwrap();
        let x = input_batch(9, widths[0], 6);
        let lambda = 7.5;
        let grads = critic.input_gradients(&x).unwrap();
        let expected: f64 = (0..x.nrows())
            .map(|b| {
                let g: Vec<f64> = grads.row(b).iter().copied().collect();
                wgan::gradient_penalty(&g, lambda).unwrap()
            })
            .sum::<f64>()
            / x.nrows() as f64;
        let value = critic.gradient_penalty(&x, lambda, None).unwrap();
        // Two evaluations of the same input gradients (Mlp's tiled kernels
        // against nalgebra's products): a few ulps of the terms apart.
        assert!(
            tol::close_with(value, expected, tol::IDENTITY_REL, tol::IDENTITY_ABS),
            "{value} vs {expected}"
        );
    }
}

#[test]
fn d1_penalty_gradient_is_finite_and_zero_where_the_input_gradient_vanishes() {
    let lambda = 10.0;
    // All-zero weights: f is constant, g = 0, penalty lambda; the exact
    // gradient is 0 (g is a product of at least two weight matrices).
    for widths in [vec![1, 6, 1], vec![2, 4, 3, 1]] {
        for activation in [Activation::Tanh, Activation::Relu] {
            let critic = critic_with(&widths, activation, &[]);
            let x = input_batch(5, widths[0], 1);
            let mut grad = vec![f64::NAN; critic.num_params()];
            let value = critic
                .gradient_penalty(&x, lambda, Some(&mut grad))
                .unwrap();
            assert_eq!(value, lambda);
            assert!(grad.iter().all(|&g| g == 0.0), "{grad:?}");
            assert!(worst_fd_error(&critic, &x, lambda) <= FD_TOLERANCE);
        }
    }
    // Every ReLU unit dead on the batch (biases -5, inputs in [-1, 1]):
    // locally constant f, zero gradient, and finite differences agree.
    let widths = [1, 4, 1];
    let mut set: Vec<(usize, f64)> = (0..4).map(|o| (o, 0.5)).collect();
    set.extend((4..8).map(|o| (o, -5.0)));
    set.extend((8..12).map(|o| (o, 1.0)));
    let critic = critic_with(&widths, Activation::Relu, &set);
    let x = input_batch(6, 1, 2);
    let mut grad = vec![f64::NAN; critic.num_params()];
    assert_eq!(
        critic
            .gradient_penalty(&x, lambda, Some(&mut grad))
            .unwrap(),
        lambda
    );
    assert!(grad.iter().all(|&g| g == 0.0));
    assert!(worst_fd_error(&critic, &x, lambda) <= FD_TOLERANCE);
    // A zero output layer over live tanh units: g = 0 with a cone in the
    // output weights; the convention gives 0, as the central difference does.
    let mut critic = Critic::new(&[2, 5, 1], Activation::Tanh, 3).unwrap();
    critic.zero_output_layer();
    let x = input_batch(4, 2, 3);
    let mut grad = vec![f64::NAN; critic.num_params()];
    critic
        .gradient_penalty(&x, lambda, Some(&mut grad))
        .unwrap();
    assert!(grad.iter().all(|g| g.is_finite()));
    assert!(worst_fd_error(&critic, &x, lambda) <= FD_TOLERANCE);
}

#[test]
fn d1_penalty_term_closed_form_and_convention_at_zero() {
    assert_eq!(wgan::gradient_penalty(&[3.0, 4.0], 10.0).unwrap(), 160.0);
    assert_eq!(
        wgan::gradient_penalty_grad(&[3.0, 4.0], 10.0).unwrap(),
        vec![48.0, 64.0]
    );
    assert_eq!(wgan::gradient_penalty(&[0.0, 0.0], 2.0).unwrap(), 2.0);
    assert_eq!(
        wgan::gradient_penalty_grad(&[0.0, -0.0], 2.0).unwrap(),
        vec![0.0, 0.0]
    );
    // No overflow of the squares, no underflow to a zero norm.
    let big = wgan::gradient_penalty_grad(&[1e300, 1e300], 1.0).unwrap();
    assert!(big.iter().all(|g| g.is_finite() && *g > 0.0));
    let tiny = wgan::gradient_penalty_grad(&[1e-300, 0.0], 1.0).unwrap();
    assert_eq!(tiny, vec![-2.0, 0.0]); // 2 (1e-300 - 1) e_1
    // Central differences of the term in g away from 0.
    let g = [0.3, -1.2, 0.7];
    let exact = wgan::gradient_penalty_grad(&g, 3.0).unwrap();
    for k in 0..3 {
        let (mut plus, mut minus) = (g, g);
        plus[k] += FD_STEP;
        minus[k] -= FD_STEP;
        let fd = (wgan::gradient_penalty(&plus, 3.0).unwrap()
            - wgan::gradient_penalty(&minus, 3.0).unwrap())
            / (2.0 * FD_STEP);
        assert!((fd - exact[k]).abs() <= FD_TOLERANCE * (1.0 + exact[k].abs()));
    }
}

#[test]
fn d1_critic_objective_and_interpolates() {
    let p = Discrete::new(vec![0.25, 0.75]).unwrap();
    let q = Discrete::new(vec![0.5, 0.5]).unwrap();
    let (f_p, f_q) = ([4.0, 0.0], [2.0, -2.0]);
    assert_eq!(wgan::critic_objective(&p, &f_p, &q, &f_q).unwrap(), 1.0);
    assert_eq!(wgan::critic_loss(&p, &f_p, &q, &f_q).unwrap(), -1.0);
    assert_eq!(wgan::generator_loss(&q, &f_q).unwrap(), 0.0);
    let real = Points::new(vec![vec![0.0, 1.0], vec![2.0, 2.0], vec![-1.0, 5.0]]).unwrap();
    let fake = Points::new(vec![vec![4.0, -3.0], vec![2.0, 0.0], vec![3.0, 3.0]]).unwrap();
    let x_hat = wgan::interpolates(&real, &fake, &[0.0, 1.0, 0.5]).unwrap();
    assert_eq!(x_hat.point(0), fake.point(0));
    assert_eq!(x_hat.point(1), real.point(1));
    assert_eq!(x_hat.point(2), &[1.0, 4.0]);
}

/// The critic's values are centred at the midpoint of their range, as
/// documented: a constant critic gets exactly 0 even when the stored masses
/// do not sum to exactly 1 (0.1 + 0.2 + 0.7 and 3 x 1/3 in `f64` are off
/// by about 1e-17, which times a level of 1e300 would be 1e283), and values
/// `±f64::MAX` give `E_p f - E_q f = (MAX - MAX)/2 - (-MAX) = MAX` without
/// overflowing (centre 0); the loss is minus the objective.
#[test]
fn d1_critic_objective_centres_at_the_midpoint_of_the_values() {
    let p = Discrete::new(vec![0.1, 0.2, 0.7]).unwrap();
    let q = Discrete::uniform(3).unwrap();
    for level in [1e300, -3.5, 7e-300] {
        assert_eq!(
            wgan::critic_objective(&p, &[level; 3], &q, &[level; 3]).unwrap(),
            0.0,
            "{level}"
        );
    }
    let half = Discrete::uniform(2).unwrap();
    let point = Discrete::new(vec![1.0]).unwrap();
    assert_eq!(
        wgan::critic_objective(&half, &[f64::MAX, -f64::MAX], &point, &[-f64::MAX]).unwrap(),
        f64::MAX
    );
    // The critic's loss is minus its objective.
    assert_eq!(
        wgan::critic_loss(&half, &[f64::MAX, -f64::MAX], &point, &[-f64::MAX]).unwrap(),
        -f64::MAX
    );
    assert_eq!(
        wgan::critic_loss(&half, &[3.0, 0.0], &point, &[1.0]).unwrap(),
        -0.5
    );
}

#[test]
fn d1_interpolates_stay_between_their_ends() {
    use rand::{RngExt, SeedableRng};
    // t x + (1 - t) x rounded to the ulp above x here (two rounded products).
    let x = -7.073797891779958;
    let point = Points::new(vec![vec![x, 1.0]]).unwrap();
    let x_hat = wgan::interpolates(&point, &point, &[0.4043860793070725]).unwrap();
    assert_eq!(x_hat.point(0), &[x, 1.0]);
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let n = 2000;
    let a: Vec<Vec<f64>> = (0..n)
        .map(|_| vec![20.0 * rng.random::<f64>() - 10.0])
        .collect();
    let mut b: Vec<Vec<f64>> = (0..n)
        .map(|_| vec![20.0 * rng.random::<f64>() - 10.0])
        .collect();
    // Every other pair is a point with itself.
    for i in (0..n).step_by(2) {
        b[i] = a[i].clone();
    }
    let e: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    let (real, fake) = (Points::new(a).unwrap(), Points::new(b).unwrap());
    let x_hat = wgan::interpolates(&real, &fake, &e).unwrap();
    for i in 0..n {
        let (lo, hi) = (
            real.point(i)[0].min(fake.point(i)[0]),
            real.point(i)[0].max(fake.point(i)[0]),
        );
        assert!((lo..=hi).contains(&x_hat.point(i)[0]), "pair {i}");
    }
}

#[test]
fn d1_clipping_bounds_every_parameter_and_the_lipschitz_constant() {
    for (widths, c) in [(vec![1, 16, 1], 0.05), (vec![2, 8, 8, 1], 0.3)] {
        let mut critic = Critic::new(&widths, Activation::Tanh, 9).unwrap();
        critic.clip(c).unwrap();
        assert!(critic.params().iter().all(|w| w.abs() <= c));
        // Parameters inside the box are kept as they are.
        let before = critic.params().to_vec();
        critic.clip(c).unwrap();
        assert_eq!(critic.params(), &before[..]);
        let by_clipping = clipping_lipschitz_bound(&widths, c).unwrap();
        assert!(critic.lipschitz_bound() <= by_clipping * (1.0 + BOUND_ROUNDING));
    }
}

/// Rounding allowed for sums of a few tens of terms of size up to about 10
/// (expectations, W1 through the CDFs, the slopes of the optimal critic):
/// each carries a few ulps of its largest term, far below 1e-12.
const SUM_ROUNDING: f64 = 1e-12;

/// Pairs closer than this are skipped when measuring slopes: the forward
/// pass's rounding (about 1e-16 of |f|) divided by a tiny distance could
/// exceed the exact slope; at 1e-3 it stays below 1e-12 of it.
const MIN_PAIR_DISTANCE: f64 = 1e-3;

/// The certified bound must also be useful: within this factor of the
/// steepest input gradient seen (products of layer norms of these small
/// random nets overestimate by a few times, not by orders of magnitude).
const NOT_VACUOUS_FACTOR: f64 = 50.0;

/// Rounding allowed when comparing two upper bounds each computed in f64
/// (sums of a few hundred non-negative terms): 1e-12 relative.
const BOUND_ROUNDING: f64 = 1e-12;

#[test]
fn d1_lipschitz_bound_is_sound() {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    for (case, (widths, activation)) in [
        (vec![1, 16, 1], Activation::Tanh),
        (vec![2, 8, 6, 1], Activation::Relu),
        (vec![3, 5, 1], Activation::LeakyRelu { slope: 0.3 }),
        (vec![1, 4, 4, 4, 1], Activation::Tanh),
    ]
    .into_iter()
    .enumerate()
    {
        let critic = Critic::new(&widths, activation, case as u64).unwrap();
        let bound = critic.lipschitz_bound();
        let d = widths[0];
        let a = input_batch(200, d, 100 + case as u64);
        let b = DMatrix::from_fn(200, d, |i, k| a[(i, k)] + 0.5 * (rng.random::<f64>() - 0.5));
        let (fa, fb) = (critic.values(&a).unwrap(), critic.values(&b).unwrap());
        let mut steepest = 0.0f64;
        for i in 0..200 {
            let dist = (0..d)
                .map(|k| (a[(i, k)] - b[(i, k)]).powi(2))
                .sum::<f64>()
                .sqrt();
            if dist > MIN_PAIR_DISTANCE {
                steepest = steepest.max((fa[i] - fb[i]).abs() / dist);
            }
        }
        let grads = critic.input_gradients(&a).unwrap();
        let largest_gradient = (0..200).map(|i| grads.row(i).norm()).fold(0.0f64, f64::max);
        assert!(steepest <= bound, "{widths:?}: {steepest} > {bound}");
        assert!(
            largest_gradient <= bound,
            "{widths:?}: {largest_gradient} > {bound}"
        );
        // Not vacuous: the bound is within a moderate factor of what is seen.
        assert!(bound < NOT_VACUOUS_FACTOR * largest_gradient);
    }
}

/// `|f(a) - f(b)| / |a - b|` for two inputs of a critic.
fn measured_slope(critic: &Critic, a: &[f64], b: &[f64]) -> f64 {
    let x = DMatrix::from_row_slice(2, a.len(), &[a, b].concat());
    let f = critic.values(&x).unwrap();
    let distance = a
        .iter()
        .zip(b)
        .map(|(u, v)| (u - v).powi(2))
        .sum::<f64>()
        .sqrt();
    (f[0] - f[1]).abs() / distance
}

#[test]
fn d1_lipschitz_bound_holds_for_tiny_and_huge_weights() {
    // f(x) = w x: the squares of the Frobenius norm underflowed to 0 (a
    // bound of 0 against a slope of w) or overflowed to +inf.
    for w in [1e-150, 1e-160, 1e-170, 1e-200, 1e-300, 1e150, 1e160, 1e200] {
        let critic = critic_with(&[1, 1], Activation::Tanh, &[(0, w)]);
        let slope = measured_slope(&critic, &[0.0], &[1.0]);
        let bound = critic.lipschitz_bound();
        assert!(
            slope <= bound && bound.is_finite(),
            "w = {w:e}: {slope:e} > {bound:e}"
        );
        let critic = critic_with(&[2, 1], Activation::Relu, &[(0, w), (1, -w)]);
        let slope = measured_slope(&critic, &[0.0, 0.0], &[1.0, -1.0]);
        let bound = critic.lipschitz_bound();
        assert!(
            slope <= bound && bound.is_finite(),
            "w = {w:e}: {slope:e} > {bound:e}"
        );
    }
    // f(x) = w relu(w x): slope w^2 = 1e-160, whose product of two
    // rounded-to-subnormal squares came out 6e-6 below it.
    let w = 1e-80;
    let critic = critic_with(&[1, 1, 1], Activation::Relu, &[(0, w), (2, w)]);
    let slope = measured_slope(&critic, &[1.0], &[2.0]);
    assert!(slope > 0.0 && slope <= critic.lipschitz_bound());
    // A slope beyond f64 (1e400) is bounded by +inf, never by a finite number.
    let critic = critic_with(&[1, 1, 1], Activation::Tanh, &[(0, 1e200), (2, 1e200)]);
    assert_eq!(critic.lipschitz_bound(), f64::INFINITY);
    // A critic whose output weights are all 0 is constant: bound 0.
    let mut critic = Critic::new(&[2, 5, 1], Activation::Tanh, 3).unwrap();
    critic.zero_output_layer();
    assert_eq!(critic.lipschitz_bound(), 0.0);
    // A NaN written into the parameters gives no bound (it gave 0 once the
    // layers were rescaled, as max() skips NaN).
    for bad in [f64::NAN, f64::INFINITY] {
        let mut critic = Critic::new(&[2, 5, 1], Activation::Tanh, 3).unwrap();
        critic.params_mut().iter_mut().for_each(|w| *w = bad);
        assert_eq!(critic.lipschitz_bound(), f64::INFINITY);
    }
}

#[test]
fn d1_certified_estimate_of_a_critic_with_huge_weights_is_a_bound_not_an_error() {
    // Finite values, but no Lipschitz bound in f64: the global certificate is
    // the trivial W1 >= 0, and the support's own constant still certifies.
    let (p, q) = line_sets();
    let critic = critic_with(&[1, 1, 1], Activation::Tanh, &[(0, 1e200), (2, 1e200)]);
    let w1 = exact_w1(&p, &q).unwrap();
    let e = evaluate_critic(&critic, &p, &q, w1).unwrap();
    assert_eq!(e.global_lipschitz_bound, f64::INFINITY);
    assert_eq!(e.globally_certified, 0.0);
    assert!(e.certified <= w1 && e.certified.is_finite());
    assert_eq!(wgan::certified_estimate(-3.0, f64::INFINITY).unwrap(), 0.0);
}

#[test]
fn d1_two_values_at_one_point_have_no_finite_lipschitz_constant() {
    // Points 0, 0, 1 with values 1, 0, 0: at distance 0 the values differ, so
    // no K makes them K-Lipschitz. The measured constant was 1 (pairs at
    // distance 0 skipped), and with p on the first point and q on the second
    // it certified 1 against W1 = 0.
    let line = [0.0, 0.0, 1.0];
    let values = [1.0, 0.0, 0.0];
    let points = Points::new(line.iter().map(|&x| vec![x]).collect()).unwrap();
    let on_points = wgan::lipschitz_on_points(&points, &values, Metric::Euclidean).unwrap();
    assert_eq!(on_points, f64::INFINITY);
    assert_eq!(
        wgan::lipschitz_on_line(&line, &values).unwrap(),
        f64::INFINITY
    );
    let p = Discrete::new(vec![1.0, 0.0, 0.0]).unwrap();
    let q = Discrete::new(vec![0.0, 1.0, 0.0]).unwrap();
    let w1 = w1_histograms(&line, &p, &q).unwrap();
    let objective = wgan::critic_objective(&p, &values, &q, &values).unwrap();
    assert_eq!((w1, objective), (0.0, 1.0));
    assert!(wgan::certified_estimate(objective, on_points).unwrap() <= w1);
    // On the line the O(n log n) pass agrees with the pairs: a tie sorted
    // first hid the steep pair (1, 5) behind the flat one (0, 1).
    let (line, values) = ([0.0, 1.0, 1.0, 3.0], [0.0, 0.0, 0.0, 5.0]);
    let points = Points::new(line.iter().map(|&x| vec![x]).collect()).unwrap();
    assert_eq!(
        wgan::lipschitz_on_line(&line, &values).unwrap(),
        wgan::lipschitz_on_points(&points, &values, Metric::Euclidean).unwrap()
    );
    let (line, values) = ([0.0, 1.0, 1.0], [0.0, 0.0, 5.0]);
    assert_eq!(
        wgan::lipschitz_on_line(&line, &values).unwrap(),
        f64::INFINITY
    );
    // Copies of a point with one value, a single point, -0 against +0: finite.
    assert_eq!(
        wgan::lipschitz_on_line(&[2.0, 2.0, 0.0], &[1.0, 1.0, 0.0]).unwrap(),
        0.5
    );
    assert_eq!(wgan::lipschitz_on_line(&[3.0], &[7.0]).unwrap(), 0.0);
    assert_eq!(
        wgan::lipschitz_on_line(&[-0.0, 0.0, 1.0], &[2.0, 2.0, 0.0]).unwrap(),
        2.0
    );
}

#[test]
fn d1_a_nearly_constant_critic_does_not_certify_above_w1() {
    // The stored masses 0.1 + 0.9 and 0.3 + 0.7 sum to 1 + 2.8e-17 and
    // 1 - 5.6e-17. A critic 1 + [0, eps] has K = eps on points 0, 1; taking
    // E_p f - E_q f at the level 1 turned that difference of totals into an
    // objective of eps, and a certificate of 1 against W1 = 0.2.
    let points = [0.0, 1.0];
    let p = Discrete::new(vec![0.1, 0.9]).unwrap();
    let q = Discrete::new(vec![0.3, 0.7]).unwrap();
    let f = [1.0, 1.0 + f64::EPSILON];
    let w1 = w1_histograms(&points, &p, &q).unwrap();
    let objective = wgan::critic_objective(&p, &f, &q, &f).unwrap();
    let k = wgan::lipschitz_on_line(&points, &f).unwrap();
    assert_eq!(k, f64::EPSILON);
    let certified = wgan::certified_estimate(objective, k).unwrap();
    assert!(certified <= w1 + SUM_ROUNDING, "{certified} > {w1}");
    // A constant critic has objective 0 exactly, whatever the totals.
    assert_eq!(
        wgan::critic_objective(&p, &[3.0, 3.0], &q, &[3.0, 3.0]).unwrap(),
        0.0
    );
}

#[test]
fn d1_a_critic_with_subnormal_values_does_not_certify_above_w1() {
    // f(x) = -w x with w near 1e-320: its values are subnormal, the products
    // mass x value in the expectations rounded to multiples of 2^-1074, and
    // divided by the equally tiny K the certificate rose up to 0.7% above W1.
    let (p, q) = line_sets();
    let w1 = exact_w1(&p, &q).unwrap();
    for w in [2.5e-323, 7e-322, 3e-321, 1e-320, 1e-318] {
        for sign in [1.0, -1.0] {
            let critic = critic_with(&[1, 1], Activation::Tanh, &[(0, -sign * w)]);
            let e = evaluate_critic(&critic, &p, &q, w1).unwrap();
            assert!(
                e.certified <= w1 + SUM_ROUNDING * (1.0 + w1),
                "w = {w:e}: {} > {w1}",
                e.certified
            );
            assert!(e.globally_certified <= w1 + SUM_ROUNDING * (1.0 + w1));
        }
    }
}

proptest! {
    #![proptest_config(common::config(24))]

    #[test]
    fn d1_optimal_critic_on_line_attains_w1((p, q) in common::pair(), seed in 0u64..1000) {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let points: Vec<f64> = (0..p.len()).map(|_| 10.0 * rng.random::<f64>() - 5.0).collect();
        let f = wgan::optimal_critic_on_line(&points, &p, &q).unwrap();
        let w1 = w1_histograms(&points, &p, &q).unwrap();
        let gap = wgan::critic_objective(&p, &f, &q, &f).unwrap();
        // Both sides are sums of n terms of size up to 10: rounding only.
        prop_assert!((gap - w1).abs() <= SUM_ROUNDING * (1.0 + w1), "{gap} vs {w1}");
        prop_assert!(wgan::lipschitz_on_line(&points, &f).unwrap() <= 1.0 + SUM_ROUNDING);
    }

    #[test]
    fn d1_certified_estimate_never_exceeds_w1(seed in 0u64..1_000_000, penalty in proptest::bool::ANY) {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let n = rng.random_range(2..12);
        let p_values: Vec<f64> = (0..n).map(|_| 4.0 * rng.random::<f64>() - 2.0).collect();
        let q_values: Vec<f64> = (0..n + 1).map(|_| 4.0 * rng.random::<f64>()).collect();
        let (p, q) = (Empirical::on_line(&p_values).unwrap(), Empirical::on_line(&q_values).unwrap());
        let lipschitz = if penalty {
            Lipschitz::GradientPenalty { lambda: 10.0 }
        } else {
            Lipschitz::Clipping { c: 0.5 }
        };
        let critic = Critic::new(&[1, 8, 1], Activation::Tanh, seed).unwrap();
        let opt = Adam::new(0.02, 0.5, 0.9, 1e-8, critic.num_params()).unwrap();
        let settings = CriticSettings { minibatch: 16, lipschitz, seed };
        let mut trainer = CriticTrainer::new(critic, opt.into(), p, q, settings).unwrap();
        let history = trainer.run(40).unwrap();
        for r in &history {
            // Rounding of the two compensated expectations and of W1.
            prop_assert!(r.certified <= r.w1 + SUM_ROUNDING * (1.0 + r.w1), "{r:?}");
        }
        let e = trainer.estimate().unwrap();
        prop_assert!(e.globally_certified <= e.w1 + SUM_ROUNDING * (1.0 + e.w1));
        prop_assert!(e.certified >= e.globally_certified - SUM_ROUNDING * (1.0 + e.w1) || e.objective < 0.0);
    }
}

fn line_sets() -> (Empirical, Empirical) {
    (
        Empirical::on_line(&[-1.0, -0.2, 0.3, 0.9, 1.4]).unwrap(),
        Empirical::on_line(&[2.0, 2.5, 3.1, 4.0]).unwrap(),
    )
}

fn critic_run(lipschitz: Lipschitz) -> (Vec<CriticRecord>, Vec<f64>) {
    let (p, q) = line_sets();
    let critic = Critic::new(&[1, 8, 1], Activation::Tanh, 4).unwrap();
    let opt = Adam::new(0.01, 0.5, 0.9, 1e-8, critic.num_params()).unwrap();
    let settings = CriticSettings {
        minibatch: 8,
        lipschitz,
        seed: 77,
    };
    let mut trainer = CriticTrainer::new(critic, opt.into(), p, q, settings).unwrap();
    let history = trainer.run(30).unwrap();
    (history, trainer.critic().params().to_vec())
}

fn wgan_run() -> (Vec<WganRecord>, Vec<f64>) {
    let (data, _) = line_sets();
    let noise = Empirical::on_line(&[-0.5, 0.0, 0.5]).unwrap();
    let g = Mlp::from_params(&[1, 1], Activation::Tanh, DVector::from_vec(vec![1.0, 5.0])).unwrap();
    let critic = Critic::new(&[1, 8, 1], Activation::Tanh, 4).unwrap();
    let c_opt = Adam::new(0.01, 0.0, 0.9, 1e-8, critic.num_params()).unwrap();
    let g_opt = Adam::new(0.05, 0.5, 0.9, 1e-8, 2).unwrap();
    let settings = WganSettings {
        minibatch: 8,
        critic_steps: 3,
        lipschitz: Lipschitz::GradientPenalty { lambda: 10.0 },
        seed: 5,
    };
    let mut run = Wgan::new(critic, g, c_opt.into(), g_opt.into(), data, noise, settings).unwrap();
    let history = run.run(20).unwrap();
    (history, run.generator().params().as_slice().to_vec())
}

#[test]
fn d1_training_is_reproducible_bit_for_bit() {
    for lipschitz in [
        Lipschitz::Clipping { c: 0.1 },
        Lipschitz::GradientPenalty { lambda: 10.0 },
    ] {
        let (a, pa) = critic_run(lipschitz);
        let (b, pb) = critic_run(lipschitz);
        assert_eq!(a, b);
        assert_eq!(pa, pb);
        assert!(a.iter().all(|r| r.certified <= r.w1));
    }
    let (a, ga) = wgan_run();
    let (b, gb) = wgan_run();
    assert_eq!(a, b);
    assert_eq!(ga, gb);
    // The generator moved: its shift is no longer the starting 5.
    assert_ne!(ga[1], 5.0);
}

#[test]
fn d1_bad_input_gives_typed_errors() {
    let mut critic = Critic::new(&[2, 4, 1], Activation::Tanh, 1).unwrap();
    for c in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            critic.clip(c),
            Err(Error::InvalidParameter { name: "c", .. })
        ));
    }
    assert!(matches!(
        clipping_lipschitz_bound(&[2], 0.1),
        Err(Error::InvalidParameter { .. })
    ));
    let x = input_batch(3, 2, 1);
    for lambda in [-1.0, f64::NAN] {
        assert!(matches!(
            critic.gradient_penalty(&x, lambda, None),
            Err(Error::InvalidParameter { name: "lambda", .. })
        ));
    }
    assert_eq!(
        critic.gradient_penalty(&input_batch(3, 3, 1), 1.0, None),
        Err(Error::LengthMismatch { left: 3, right: 2 })
    );
    assert_eq!(
        critic.gradient_penalty(&DMatrix::zeros(0, 2), 1.0, None),
        Err(Error::Empty)
    );
    let mut bad = x.clone();
    bad[(1, 0)] = f64::NAN;
    assert_eq!(
        critic.gradient_penalty(&bad, 1.0, None),
        Err(Error::EntryNotANumber { row: 1, column: 0 })
    );
    let mut short = vec![0.0; 3];
    assert!(matches!(
        critic.gradient_penalty(&x, 1.0, Some(&mut short)),
        Err(Error::LengthMismatch { .. })
    ));
    let two_outputs = Mlp::new(&[2, 3, 2], Activation::Tanh, 1).unwrap();
    assert!(matches!(
        Critic::from_mlp(two_outputs),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        wgan::gradient_penalty(&[], 1.0),
        Err(Error::Empty)
    ));
    assert_eq!(
        wgan::gradient_penalty(&[1.0, f64::INFINITY], 1.0),
        Err(Error::Infinite {
            index: 1,
            value: f64::INFINITY
        })
    );
    let pts = Points::new(vec![vec![0.0], vec![1.0]]).unwrap();
    assert!(matches!(
        wgan::interpolates(&pts, &pts, &[0.5, 1.5]),
        Err(Error::OutOfRange { index: 1, .. })
    ));
    assert!(matches!(
        wgan::certified_estimate(1.0, -1.0),
        Err(Error::InvalidParameter { .. })
    ));
    let p = Discrete::uniform(2).unwrap();
    assert_eq!(
        wgan::critic_objective(&p, &[1.0], &p, &[1.0, 2.0]),
        Err(Error::LengthMismatch { left: 1, right: 2 })
    );
    // Training set-up.
    let (p, q) = line_sets();
    let critic = Critic::new(&[1, 4, 1], Activation::Tanh, 1).unwrap();
    let opt: AnyOptimizer = Adam::with_defaults(0.01, critic.num_params())
        .unwrap()
        .into();
    let zero_batch = CriticSettings {
        minibatch: 0,
        lipschitz: Lipschitz::Clipping { c: 0.1 },
        seed: 0,
    };
    assert!(matches!(
        CriticTrainer::new(
            critic.clone(),
            opt.clone(),
            p.clone(),
            q.clone(),
            zero_batch
        ),
        Err(Error::InvalidParameter {
            name: "minibatch",
            ..
        })
    ));
    let bad_clip = CriticSettings {
        minibatch: 4,
        lipschitz: Lipschitz::Clipping { c: -0.1 },
        seed: 0,
    };
    assert!(matches!(
        CriticTrainer::new(critic.clone(), opt.clone(), p.clone(), q.clone(), bad_clip),
        Err(Error::InvalidParameter { name: "c", .. })
    ));
    let plane = Empirical::uniform(&Points::new(vec![vec![0.0, 0.0]]).unwrap()).unwrap();
    let ok = CriticSettings {
        minibatch: 4,
        lipschitz: Lipschitz::Clipping { c: 0.1 },
        seed: 0,
    };
    assert!(CriticTrainer::new(critic.clone(), opt.clone(), plane.clone(), q.clone(), ok).is_err());
    assert!(matches!(
        exact_w1(&p, &plane),
        Err(Error::DimensionMismatch { left: 1, right: 2 })
    ));
    let g = Mlp::new(&[1, 1], Activation::Tanh, 0).unwrap();
    let g_opt: AnyOptimizer = Adam::with_defaults(0.01, 2).unwrap().into();
    let no_critic_steps = WganSettings {
        minibatch: 4,
        critic_steps: 0,
        lipschitz: Lipschitz::GradientPenalty { lambda: 1.0 },
        seed: 0,
    };
    assert!(matches!(
        Wgan::new(critic, g, opt, g_opt, p, q, no_critic_steps),
        Err(Error::InvalidParameter {
            name: "critic_steps",
            ..
        })
    ));
}

#[test]
fn d1_a_minibatch_too_large_for_memory_is_an_error_not_a_panic() {
    // 2m rows of samples cannot fit in one Vec: the buffers' allocation
    // panicked with a capacity overflow.
    let (p, q) = line_sets();
    let huge = usize::MAX / 4;
    let critic = Critic::new(&[1, 4, 1], Activation::Tanh, 1).unwrap();
    let opt: AnyOptimizer = Adam::with_defaults(0.01, critic.num_params())
        .unwrap()
        .into();
    let settings = CriticSettings {
        minibatch: huge,
        lipschitz: Lipschitz::Clipping { c: 0.1 },
        seed: 0,
    };
    assert!(matches!(
        CriticTrainer::new(critic.clone(), opt.clone(), p.clone(), q.clone(), settings),
        Err(Error::InvalidParameter {
            name: "minibatch",
            ..
        })
    ));
    let g = Mlp::new(&[1, 1], Activation::Tanh, 0).unwrap();
    let g_opt: AnyOptimizer = Adam::with_defaults(0.01, 2).unwrap().into();
    let settings = WganSettings {
        minibatch: huge,
        critic_steps: 1,
        lipschitz: Lipschitz::Clipping { c: 0.1 },
        seed: 0,
    };
    assert!(matches!(
        Wgan::new(critic, g, opt, g_opt, p, q, settings),
        Err(Error::InvalidParameter {
            name: "minibatch",
            ..
        })
    ));
}

/// A constant critic gets exactly 0, "however large the constant"
/// (`critic_objective`'s documented convention), even when the stored
/// masses' totals differ from 1 by the few ulps `Discrete::new` accepts
/// (`tol::sum_tolerance(2)` = 8 EPS): here 1 + 4 EPS against 1 - 4 EPS, on
/// points of their own. The levels run from the smallest subnormals (whose
/// halves round) to `-f64::MAX` and `f64::MAX` (whose sum overflows).
#[test]
fn d1_a_constant_critic_gets_exactly_zero_at_every_level() {
    let eps = f64::EPSILON;
    let tiny = f64::from_bits(1); // 2^-1074
    let p = Discrete::new(vec![0.5, 0.5 + 4.0 * eps]).unwrap();
    let q = Discrete::new(vec![0.25, 0.75 - 4.0 * eps, 0.0]).unwrap();
    let even = Discrete::uniform(2).unwrap();
    let one = Discrete::point_mass(1, 0).unwrap();
    let levels = [
        0.0,
        1.0,
        -3.0,
        1e300,
        f64::MAX,
        -f64::MAX,
        tiny,
        3.0 * tiny,
        -3.0 * tiny,
        f64::MIN_POSITIVE,
    ];
    for level in levels {
        for (a, b) in [(&p, &q), (&q, &p), (&even, &one), (&one, &even)] {
            let (f_a, f_b) = (vec![level; a.len()], vec![level; b.len()]);
            let objective = wgan::critic_objective(a, &f_a, b, &f_b).unwrap();
            assert_eq!(objective, 0.0, "level {level:e}");
        }
    }
}

/// Values near `f64::MAX` do not overflow ("halves first"): f = MAX at p's
/// point and MAX / 2 at q's gives E_p f - E_q f = MAX / 2 exactly (every
/// step is exact: halving, and differences of multiples of MAX / 4).
#[test]
fn d1_critic_objective_near_the_top_of_the_range() {
    let one = Discrete::point_mass(1, 0).unwrap();
    let max = f64::MAX;
    assert_eq!(
        wgan::critic_objective(&one, &[max], &one, &[max / 2.0]).unwrap(),
        max / 2.0
    );
    assert_eq!(
        wgan::critic_objective(&one, &[-max / 2.0], &one, &[-max]).unwrap(),
        max / 2.0
    );
}

/// The documented centring: the result is `E_p (f - c) - E_q (f - c)` with
/// `c` the midpoint of the values' range, so masses whose totals are off 1
/// (here 1 + 4 EPS and 1 - 4 EPS, accepted by `Discrete::new`) multiply only
/// the spread of `f`, not its level. Reference values from Python
/// `fractions` (sum p_i (f_i - c) - sum q_i (f_i - c) on the stored masses);
/// every step of the library's computation is exact on these inputs, so the
/// comparisons are exact:
/// - f = (L, L + 1) on both, L = 10^6, c = L + 1/2: -0.25 + 4 EPS
///   (the uncentred E_p f - E_q f would be -0.25 + (8 L + 8) EPS);
/// - f = (0, 2) on p's points and (1, 3, 5) on q's, c = 5/2: exactly -1
///   (uncentred: -1 + 5 * 2^-50).
#[test]
fn d1_critic_objective_is_centred_at_the_midpoint() {
    let eps = f64::EPSILON;
    let p = Discrete::new(vec![0.5, 0.5 + 4.0 * eps]).unwrap();
    let q = Discrete::new(vec![0.25, 0.75 - 4.0 * eps]).unwrap();
    let level = 1e6;
    let f = [level, level + 1.0];
    assert_eq!(
        wgan::critic_objective(&p, &f, &q, &f).unwrap(),
        -0.25 + 4.0 * eps
    );
    let q = Discrete::new(vec![0.5, 0.5 - 4.0 * eps, 0.0]).unwrap();
    assert_eq!(
        wgan::critic_objective(&p, &[0.0, 2.0], &q, &[1.0, 3.0, 5.0]).unwrap(),
        -1.0
    );
}

/// The losses' signs and levels (module docs): the critic descends
/// `-(E_p f - E_q f)`, the generator `-E_q f`, which is not centred (a shift
/// of `f` by `c` shifts it by `-c`). Dyadic masses and integer values: the
/// expectations are exact.
#[test]
fn d1_critic_and_generator_losses() {
    let p = Discrete::new(vec![0.25, 0.75]).unwrap();
    let q = Discrete::uniform(2).unwrap();
    // E_p f - E_q f = (0.75 * 8) - (0.5 * 8) = 2, and its opposite for f reversed.
    assert_eq!(
        wgan::critic_loss(&p, &[0.0, 8.0], &q, &[0.0, 8.0]),
        Ok(-2.0)
    );
    assert_eq!(wgan::critic_loss(&p, &[8.0, 0.0], &q, &[8.0, 0.0]), Ok(2.0));
    let q3 = Discrete::new(vec![0.25, 0.5, 0.25]).unwrap();
    // -E_q f = -(0.25 * 0 + 0.5 * 2 + 0.25 * 4) = -2; shifted by 10: -12.
    assert_eq!(wgan::generator_loss(&q3, &[0.0, 2.0, 4.0]), Ok(-2.0));
    assert_eq!(wgan::generator_loss(&q3, &[10.0, 12.0, 14.0]), Ok(-12.0));
    assert_eq!(wgan::generator_loss(&q3, &[-4.0, -4.0, 0.0]), Ok(3.0));
}

/// The penalty weight must be finite and `>= 0` (documented error
/// `InvalidParameter { name: "lambda" }` otherwise), for the penalty and
/// its gradient alike: negative finite weights and both infinities are
/// refused; 0 is a weight (no penalty).
#[test]
fn d1_gradient_penalty_refuses_negative_or_infinite_weights() {
    for lambda in [
        -1.0,
        -1e-300,
        -f64::MAX,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ] {
        assert!(
            matches!(
                wgan::gradient_penalty(&[3.0, 4.0], lambda),
                Err(Error::InvalidParameter { name: "lambda", .. })
            ),
            "{lambda}"
        );
        assert!(
            matches!(
                wgan::gradient_penalty_grad(&[3.0, 4.0], lambda),
                Err(Error::InvalidParameter { name: "lambda", .. })
            ),
            "{lambda}"
        );
    }
    assert_eq!(wgan::gradient_penalty(&[3.0, 4.0], 0.0), Ok(0.0));
    assert_eq!(
        wgan::gradient_penalty_grad(&[3.0, 4.0], 0.0),
        Ok(vec![0.0, 0.0])
    );
    assert_eq!(wgan::gradient_penalty(&[3.0, 4.0], 1.0), Ok(16.0));
}

/// Where the two CDFs agree the optimal critic is flat (documented: slope
/// sign(F_q - F_p) = 0 there), whichever side the CDFs leave it by. Dyadic
/// masses, integer points: the CDF gaps and the values are exact.
/// - p = (1/2, 1/2, 0), q = (1/2, 0, 1/2) on 0, 1, 2: F_p = F_q on [0, 1),
///   F_p > F_q on [1, 2): f = (0, 0, -1).
/// - The same with p and q exchanged: f = (0, 0, 1).
/// - p = (1/4, 1/4, 1/4, 1/4), q = (0, 1/2, 0, 1/2) on 0, 1, 3, 6:
///   F_p - F_q = 1/4, 0, 1/4 on [0, 1), [1, 3), [3, 6): f = (0, -1, -1, -4).
#[test]
fn d1_optimal_critic_is_flat_where_the_cdfs_agree() {
    let p = Discrete::new(vec![0.5, 0.5, 0.0]).unwrap();
    let q = Discrete::new(vec![0.5, 0.0, 0.5]).unwrap();
    let points = [0.0, 1.0, 2.0];
    assert_eq!(
        wgan::optimal_critic_on_line(&points, &p, &q).unwrap(),
        vec![0.0, 0.0, -1.0]
    );
    assert_eq!(
        wgan::optimal_critic_on_line(&points, &q, &p).unwrap(),
        vec![0.0, 0.0, 1.0]
    );
    let p = Discrete::uniform(4).unwrap();
    let q = Discrete::new(vec![0.0, 0.5, 0.0, 0.5]).unwrap();
    let points = [0.0, 1.0, 3.0, 6.0];
    assert_eq!(
        wgan::optimal_critic_on_line(&points, &p, &q).unwrap(),
        vec![0.0, -1.0, -1.0, -4.0]
    );
}

/// `lipschitz_on_points` takes the largest slope over every pair, including
/// pairs with the first point: on the line points 0, 10, 1 with values
/// 0, 0, 5 the slopes are 0 (first, second), 5 (first, third) and 5/9
/// (second, third), so K = 5, as `lipschitz_on_line` finds too.
#[test]
fn d1_lipschitz_on_points_takes_pairs_with_the_first_point() {
    let line = [0.0, 10.0, 1.0];
    let values = [0.0, 0.0, 5.0];
    let points = Points::new(line.iter().map(|&x| vec![x]).collect()).unwrap();
    for metric in [Metric::Euclidean, Metric::Cityblock] {
        assert_eq!(
            wgan::lipschitz_on_points(&points, &values, metric).unwrap(),
            5.0
        );
    }
    assert_eq!(wgan::lipschitz_on_line(&line, &values).unwrap(), 5.0);
    // The steep pair last: (first, fourth).
    let line = [0.0, 10.0, 20.0, 0.5];
    let values = [0.0, 0.0, 0.0, 1.0];
    let points = Points::new(line.iter().map(|&x| vec![x]).collect()).unwrap();
    assert_eq!(
        wgan::lipschitz_on_points(&points, &values, Metric::Euclidean).unwrap(),
        2.0
    );
}

/// `certified_estimate` is `objective / lipschitz`, 0 for a constant critic
/// (`lipschitz = 0`) or no finite constant (`+inf`), and refuses a negative
/// or NaN constant and a non-finite objective (documented errors).
#[test]
fn d1_certified_estimate_divides_or_certifies_zero() {
    assert_eq!(wgan::certified_estimate(2.0, 3.0), Ok(2.0 / 3.0));
    assert_eq!(wgan::certified_estimate(-3.0, 2.0), Ok(-1.5));
    assert_eq!(wgan::certified_estimate(6.0, 0.5), Ok(12.0));
    for objective in [0.0, 1e-300, -2.0] {
        assert_eq!(wgan::certified_estimate(objective, 0.0), Ok(0.0));
        assert_eq!(wgan::certified_estimate(objective, f64::INFINITY), Ok(0.0));
    }
    for lipschitz in [-1.0, -f64::MIN_POSITIVE, f64::NEG_INFINITY, f64::NAN] {
        assert!(matches!(
            wgan::certified_estimate(1.0, lipschitz),
            Err(Error::InvalidParameter {
                name: "lipschitz",
                ..
            })
        ));
    }
    for objective in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
        assert!(matches!(
            wgan::certified_estimate(objective, 1.0),
            Err(Error::InvalidParameter {
                name: "objective",
                ..
            })
        ));
    }
}
