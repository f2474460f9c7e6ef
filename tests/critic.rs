//! Claim D1's critic (src/critic.rs) against independent references: the
//! certified Lipschitz bound two-sided against the path norm and the
//! product of Frobenius norms computed plainly in f64 (and exactly on
//! instances where every step is exact), its rounding margin, its ends of
//! the f64 range, subnormal weights and weights far below their layer's
//! largest; the clipping bound, clipping itself, zeroing the output layer;
//! the penalty against its closed form on the network's own input
//! gradients (deeper critics, an activation's kink); the global certificate
//! of a critic with subnormal values.

use gan_theory::critic::{Critic, clipping_lipschitz_bound};
use gan_theory::mlp::{Activation, Mlp};
use gan_theory::variants::wgan;
use nalgebra::{DMatrix, DVector};

/// `f64::EPSILON`, the ulp of 1.
const EPS: f64 = f64::EPSILON;

/// The documented rounding margin of both Lipschitz bounds: 4 ulps per
/// term, over `terms + 2` terms, `terms` the number of parameters (each
/// layer's `n_in n_out` weights and `n_out` biases).
const ULPS_PER_TERM: f64 = 4.0;

/// The factor `1 + 4 (terms + 2) EPS` the bounds are raised by.
fn margin(terms: usize) -> f64 {
    1.0 + ULPS_PER_TERM * (terms as f64 + 2.0) * EPS
}

/// Relative rounding of the plain f64 references below (a sum of at most 16
/// products per entry and layer, at most 5 layers, one square root): under
/// 100 ulps (2.2e-14) for these widths; 1e-13 leaves room, and every wrong
/// term of the bound's computation shows at 1e-3 or more.
const REFERENCE_ROUNDING: f64 = 1e-13;

/// A critic with the given parameters (flat layout of `Mlp`).
fn critic_from(widths: &[usize], activation: Activation, params: Vec<f64>) -> Critic {
    Critic::from_mlp(Mlp::from_params(widths, activation, DVector::from_vec(params)).unwrap())
        .unwrap()
}

/// Layer `l`'s weights as rows `W[o][i]` (layout: each layer's `n_out x n_in`
/// weights row by row, then its `n_out` biases).
fn layer_weights(widths: &[usize], params: &[f64], l: usize) -> Vec<Vec<f64>> {
    let start: usize = widths.windows(2).take(l).map(|p| (p[0] + 1) * p[1]).sum();
    let (n_in, n_out) = (widths[l], widths[l + 1]);
    (0..n_out)
        .map(|o| params[start + o * n_in..start + (o + 1) * n_in].to_vec())
        .collect()
}

/// `|| |W_1|^T ... |W_L|^T 1 ||_2`, plainly in f64 (moderate values only).
fn path_norm(widths: &[usize], params: &[f64]) -> f64 {
    let mut v = vec![1.0];
    for l in (0..widths.len() - 1).rev() {
        let w = layer_weights(widths, params, l);
        v = (0..widths[l])
            .map(|i| (0..widths[l + 1]).map(|o| w[o][i].abs() * v[o]).sum())
            .collect();
    }
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// `prod_l ||W_l||_F`, plainly in f64 (moderate values only).
fn frobenius_product(widths: &[usize], params: &[f64]) -> f64 {
    (0..widths.len() - 1)
        .map(|l| {
            layer_weights(widths, params, l)
                .iter()
                .flatten()
                .map(|x| x * x)
                .sum::<f64>()
                .sqrt()
        })
        .product()
}

/// Random critics of several shapes: the bound is the smaller of the two
/// norms (here the path norm, well below the Frobenius product, which is
/// checked, so that the path norm is what the test sees) within the plain
/// computation's rounding below and the documented margin above.
#[test]
fn lipschitz_bound_is_the_path_norm_within_its_margin() {
    for (case, widths) in [
        vec![2, 8, 6, 1],
        vec![1, 4, 4, 4, 1],
        vec![3, 5, 1],
        vec![1, 16, 1],
        vec![4, 3, 7, 2, 1],
    ]
    .into_iter()
    .enumerate()
    {
        let critic = Critic::new(&widths, Activation::Tanh, 40 + case as u64).unwrap();
        let params = critic.params();
        let path = path_norm(&widths, params);
        let frobenius = frobenius_product(&widths, params);
        assert!(
            path * 1.001 < frobenius,
            "{widths:?}: {path} vs {frobenius}"
        );
        let bound = critic.lipschitz_bound();
        let high = path * margin(critic.num_params()) * (1.0 + REFERENCE_ROUNDING);
        assert!(
            bound >= path * (1.0 - REFERENCE_ROUNDING) && bound <= high,
            "{widths:?}: {bound} vs path norm {path}"
        );
        // Each layer's weights times a power of two: both norms are
        // homogeneous of degree 1 in every layer, and the bound rescales the
        // layers by exact powers of two, so it is the same bound times
        // 2^(sum of the shifts), exactly (in the normal range), however far
        // the weights are from 1.
        let layers = widths.len() - 1;
        for shifts in [
            vec![-990, 980, 0, 0, 0],
            vec![600, -700, 50, -3, 1],
            vec![-200, -300, -400, -20, -2],
            vec![1000, -990, 1, 1, 1],
        ] {
            let mut scaled = params.to_vec();
            let mut offset = 0;
            for (l, &s) in shifts.iter().take(layers).enumerate() {
                let n = widths[l] * widths[l + 1];
                for w in &mut scaled[offset..offset + n] {
                    *w *= 2f64.powi(s);
                }
                offset += n + widths[l + 1];
            }
            let total: i32 = shifts.iter().take(layers).sum();
            let rescaled = critic_from(&widths, Activation::Tanh, scaled).lipschitz_bound();
            assert_eq!(
                rescaled,
                bound * 2f64.powi(total),
                "{widths:?}, shifts {shifts:?}"
            );
        }
    }
}

/// Instances where both norms are computed exactly: all weights `±1` on
/// `[4, 2, 2, 1]` (path norm `2 * 2 * ||1_4|| = 8`, every step exact; the
/// Frobenius product `sqrt(8) * 2 * sqrt(2)` rounds above 8, so the path
/// norm is the smaller), and `f(x) = 3 x_1 - 4 x_2` (both norms 5, exact).
/// The bound is the exact value times the documented margin, which is
/// exact too (8 (1 + m EPS) and 5 (1 + 20 EPS) are doubles): no tolerance.
#[test]
fn lipschitz_bound_carries_exactly_the_documented_margin() {
    let widths = [4, 2, 2, 1];
    let mut params = Vec::new();
    for (l, pair) in widths.windows(2).enumerate() {
        for k in 0..pair[0] * pair[1] {
            params.push(if (k + l) % 3 == 0 { -1.0 } else { 1.0 });
        }
        params.extend(std::iter::repeat_n(0.25, pair[1]));
    }
    assert_eq!(path_norm(&widths, &params), 8.0);
    assert!(frobenius_product(&widths, &params) > 8.0);
    let critic = critic_from(&widths, Activation::Relu, params);
    assert_eq!(critic.num_params(), 19);
    assert_eq!(critic.lipschitz_bound(), 8.0 * margin(19));
    assert!(8.0 * margin(19) > 8.0 * margin(18));

    let linear = critic_from(&[2, 1], Activation::Tanh, vec![3.0, -4.0, 0.5]);
    assert_eq!(linear.lipschitz_bound(), 5.0 * margin(3));
    assert!(5.0 * margin(3) > 5.0 * margin(2));
}

/// When the two norms agree exactly, the computed ones may differ by a
/// rounding, and the bound takes the smaller: on `[1, 3, 1]` with all
/// weights 1 the path norm is exactly 3, while the Frobenius product
/// `fl(sqrt 3)^2` is `3 - 4.4e-16`. The bound is that product times the
/// margin (one rounding of the same product as here), below 3 times it.
#[test]
fn lipschitz_bound_takes_the_smaller_of_two_equal_norms() {
    let widths = [1, 3, 1];
    let params = vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0];
    assert_eq!(path_norm(&widths, &params), 3.0);
    let frobenius = frobenius_product(&widths, &params);
    assert!(frobenius < 3.0 && frobenius > 3.0 * (1.0 - EPS));
    let critic = critic_from(&widths, Activation::Tanh, params);
    let bound = critic.lipschitz_bound();
    assert!(bound >= frobenius && bound <= frobenius * margin(10));
    assert!(bound < 3.0 * margin(10));
}

/// The ends of the range on `f(x) = w x`, whose Lipschitz constant is `|w|`:
/// the bound is `|w| (1 + 16 EPS)` (2 terms) wherever that is a normal double (exact
/// for `|w|` a power of two times 1 or 1.5), `+inf` only above `f64::MAX`,
/// and `f64::MIN_POSITIVE` (the least value allowed) below the normal range.
#[test]
fn lipschitz_bound_at_the_ends_of_the_range() {
    let bound = |w: f64| critic_from(&[1, 1], Activation::Tanh, vec![w, 0.0]).lipschitz_bound();
    for w in [
        2f64.powi(1023),
        -1.5 * 2f64.powi(1023),
        1.5 * 2f64.powi(-1022),
        -1.5 * 2f64.powi(-1021),
        f64::MIN_POSITIVE,
        1.5,
        -0.75,
    ] {
        let expected = w.abs() * margin(2);
        assert!(expected.is_finite() && expected >= f64::MIN_POSITIVE);
        assert_eq!(bound(w), expected, "w = {w:e}");
    }
    assert_eq!(bound(f64::MAX), f64::INFINITY);
    for w in [5e-324, -1e-310, 2f64.powi(-1023), f64::MIN_POSITIVE / 3.0] {
        assert_eq!(bound(w), f64::MIN_POSITIVE, "w = {w:e}");
    }
    // Subnormal weights in a deeper critic: f(x) = w2 relu(w1 x), slope
    // w1 w2 = 1e-10 (normal), within one rounding and the margin.
    for (w1, w2) in [(1e-310, 1e300), (5e-324, 1e300), (1e300, -1e-310)] {
        let critic = critic_from(&[1, 1, 1], Activation::Relu, vec![w1, 0.0, w2, 0.0]);
        let slope = (w1 * w2).abs();
        let b = critic.lipschitz_bound();
        assert!(
            b >= slope * (1.0 - EPS) && b <= slope * margin(4) * (1.0 + EPS),
            "{w1:e} {w2:e}: {b:e} vs {slope:e}"
        );
    }
}

/// `prod_l c sqrt(n_{l-1} n_l)` times the margin: exactly where every
/// factor is exact, within the plain product's rounding elsewhere.
#[test]
fn clipping_bound_is_the_product_of_the_largest_frobenius_norms() {
    // [4, 4, 1] at c = 1/2: (0.5 * 4) (0.5 * 2) = 2, terms 16 + 4 + 4 + 1.
    assert_eq!(
        clipping_lipschitz_bound(&[4, 4, 1], 0.5).unwrap(),
        2.0 * margin(25)
    );
    // [4, 1] at c = 1: 2, terms 4 + 1.
    assert_eq!(
        clipping_lipschitz_bound(&[4, 1], 1.0).unwrap(),
        2.0 * margin(5)
    );
    // [1, 16, 4, 1] at c = 2: (2 * 4) (2 * 8) (2 * 2) = 512, terms 32 + 68 + 5.
    assert_eq!(
        clipping_lipschitz_bound(&[1, 16, 4, 1], 2.0).unwrap(),
        512.0 * margin(105)
    );
    for (widths, c) in [
        (vec![1, 16, 1], 0.1),
        (vec![2, 8, 8, 1], 0.3),
        (vec![3, 5, 7, 1], 0.01),
    ] {
        let terms: usize = widths.windows(2).map(|p| (p[0] + 1) * p[1]).sum();
        let plain: f64 = widths
            .windows(2)
            .map(|p| c * ((p[0] * p[1]) as f64).sqrt())
            .product();
        let bound = clipping_lipschitz_bound(&widths, c).unwrap();
        assert!(
            bound >= plain * (1.0 - REFERENCE_ROUNDING)
                && bound <= plain * margin(terms) * (1.0 + REFERENCE_ROUNDING),
            "{widths:?} {c}: {bound} vs {plain}"
        );
    }
    // The ends of the range: c^2 below the normal range is raised to the
    // least normal double (never to a subnormal below the true value);
    // c^2 above f64::MAX is +inf.
    assert_eq!(
        clipping_lipschitz_bound(&[1, 1, 1], 1e-200).unwrap(),
        f64::MIN_POSITIVE
    );
    assert_eq!(
        clipping_lipschitz_bound(&[1, 1], 5e-324).unwrap(),
        f64::MIN_POSITIVE
    );
    assert_eq!(
        clipping_lipschitz_bound(&[1, 1, 1], 1e200).unwrap(),
        f64::INFINITY
    );
    // Every clipped critic is within it.
    let mut critic = Critic::new(&[2, 8, 8, 1], Activation::Relu, 5).unwrap();
    critic.params_mut().iter_mut().for_each(|w| *w *= 100.0);
    critic.clip(0.3).unwrap();
    assert!(critic.lipschitz_bound() <= clipping_lipschitz_bound(&[2, 8, 8, 1], 0.3).unwrap());
}

#[test]
fn clipping_bound_rejects_bad_widths_and_bounds() {
    for widths in [vec![], vec![2], vec![3, 0, 1], vec![0, 1]] {
        assert!(
            clipping_lipschitz_bound(&widths, 0.1).is_err(),
            "{widths:?}"
        );
    }
    for c in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        assert!(clipping_lipschitz_bound(&[2, 1], c).is_err(), "{c}");
    }
}

/// Clipping is the entrywise clamp to `[-c, c]`, written out here: entries
/// inside stay, entries beyond either end move to that end.
#[test]
fn clip_clamps_each_parameter_to_its_nearer_end() {
    let widths = [2, 3, 1];
    let params = vec![
        -3.0, -0.1, 0.0, 0.05, 2.0, -0.2, 0.1, -0.099, 1e300, -1e-300, 0.3, -5.0, 0.07,
    ];
    let c = 0.1;
    let mut critic = critic_from(&widths, Activation::Relu, params.clone());
    critic.clip(c).unwrap();
    for (k, (&w, &before)) in critic.params().iter().zip(&params).enumerate() {
        let expected = if before > c {
            c
        } else if before < -c {
            -c
        } else {
            before
        };
        assert_eq!(w, expected, "parameter {k}: {before}");
    }
    for c in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(critic.clip(c).is_err(), "{c}");
    }
}

/// Zeroing the output layer sets exactly its `n_{L-1}` weights and its bias
/// to 0 (the last `n_{L-1} + 1` parameters) and keeps every other.
#[test]
fn zero_output_layer_zeroes_exactly_the_output_layer() {
    for widths in [
        vec![2, 1],
        vec![3, 1],
        vec![2, 6, 1],
        vec![1, 5, 4, 1],
        vec![2, 3, 4, 5, 1],
    ] {
        let n: usize = widths.windows(2).map(|p| (p[0] + 1) * p[1]).sum();
        let params: Vec<f64> = (0..n).map(|k| k as f64 + 1.0).collect();
        let mut critic = critic_from(&widths, Activation::Tanh, params.clone());
        critic.zero_output_layer();
        let kept = n - (widths[widths.len() - 2] + 1);
        assert_eq!(&critic.params()[..kept], &params[..kept], "{widths:?}");
        assert!(
            critic.params()[kept..].iter().all(|&w| w == 0.0),
            "{widths:?}"
        );
        let x = DMatrix::from_element(2, widths[0], 0.5);
        assert_eq!(critic.values(&x).unwrap(), vec![0.0, 0.0]);
    }
}

/// At an activation's kink the penalty uses `f'` as the network does:
/// `f(x) = relu_or_leaky(x - 1/2)` at `x = 1/2` has `z = 0` exactly, where
/// `f'` is 0 for ReLU and the slope for leaky ReLU (documented), so
/// `grad_x f` is that and `P = lambda (f' - 1)^2` in closed form, also
/// equal to the closed-form term of the network's own input gradient.
#[test]
fn penalty_at_a_kink_uses_the_documented_derivative() {
    let lambda = 4.0;
    for (activation, derivative) in [
        (Activation::Relu, 0.0),
        (Activation::LeakyRelu { slope: 0.25 }, 0.25),
    ] {
        let critic = critic_from(&[1, 1, 1], activation, vec![1.0, -0.5, 1.0, 0.0]);
        let x = DMatrix::from_row_slice(2, 1, &[0.5, 0.5]);
        let g = critic.input_gradients(&x).unwrap();
        assert_eq!(g[(0, 0)], derivative);
        let expected = lambda * (derivative - 1.0) * (derivative - 1.0);
        assert_eq!(
            wgan::gradient_penalty(&[g[(0, 0)]], lambda).unwrap(),
            expected
        );
        assert_eq!(
            critic.gradient_penalty(&x, lambda, None).unwrap(),
            expected,
            "{activation:?}"
        );
    }
}

/// A layer of subnormal weights under a running vector with a small entry:
/// on `[1, 2, 2, 1]` (ReLU) with `W_3 = (1, 2^-1000)`, `W_2 = diag(s, s)`,
/// `s = 2^-1074`, and `W_1 = (2^1000, 2^1000)^T`, `f(x) = s 2^1000 (1 +
/// 2^-1000) relu(x)`: path norm `2^-74 (1 + 2^-1000)`, which rounds to
/// `2^-74`, half the Frobenius product `(s sqrt 2)(2^1000 sqrt 2)`. The bound
/// is `2^-74` times the margin, exactly. Every product on the way is normal
/// when `W_2` is rescaled by its own binary exponent (`s` to 1); rescaled by
/// anything smaller (`s` to `2^-51` or `2^-128`), the product with the entry
/// `2^-1000` falls below the normal range and the path norm is given up.
#[test]
fn lipschitz_bound_over_a_layer_of_subnormal_weights() {
    let s = 2f64.powi(-1074);
    let params = vec![
        // layer 1: W (2 x 1), biases
        2f64.powi(1000),
        2f64.powi(1000),
        0.0,
        0.0,
        // layer 2: W (2 x 2), biases
        s,
        0.0,
        0.0,
        s,
        0.0,
        0.0,
        // layer 3: W (1 x 2), bias
        1.0,
        2f64.powi(-1000),
        0.0,
    ];
    let critic = critic_from(&[1, 2, 2, 1], Activation::Relu, params);
    assert_eq!(critic.lipschitz_bound(), 2f64.powi(-74) * margin(13));
}

/// The certificate on values of subnormal size: `f(x) = -2^-60 x` on `p`
/// uniform on `{0, 1} 2^-970` and `q` uniform on `{2, 3} 2^-970` has values
/// `-{0, 1, 2, 3} 2^-1030` (subnormal, exact), objective `E_p f - E_q f =
/// 2^-60 W1 = 2^-1029` (`W1 = 2^-969`) and global bound `2^-60 (1 + 16 EPS)`,
/// so the global certificate is `W1 / (1 + 16 EPS)` within the one rounding
/// of the division: the values are rescaled into the normal range and the
/// bound alike, and neither overflows (the bound times `2^1029` is about
/// `2^969`). The same at scale 1 (no rescaling) for comparison.
#[test]
fn global_certificate_of_subnormal_values_is_the_closed_form() {
    use gan_theory::train::wgan::{Empirical, evaluate_critic, exact_w1};
    for scale in [0, -970] {
        let x = |k: f64| k * 2f64.powi(scale);
        let p = Empirical::on_line(&[x(0.0), x(1.0)]).unwrap();
        let q = Empirical::on_line(&[x(2.0), x(3.0)]).unwrap();
        let critic = critic_from(&[1, 1], Activation::Tanh, vec![-(2f64.powi(-60)), 0.0]);
        let w1 = exact_w1(&p, &q).unwrap();
        assert_eq!(w1, x(2.0));
        let e = evaluate_critic(&critic, &p, &q, w1).unwrap();
        assert_eq!(e.objective, x(2.0) * 2f64.powi(-60));
        assert_eq!(e.global_lipschitz_bound, 2f64.powi(-60) * margin(2));
        let expected = w1 / margin(2);
        assert!(
            e.globally_certified >= expected * (1.0 - EPS)
                && e.globally_certified <= expected * (1.0 + EPS),
            "scale 2^{scale}: {:e} vs {expected:e}",
            e.globally_certified
        );
    }
}

/// A path carried by a weight far below its layer's largest: on `[1, 2, 1]`
/// (ReLU) with `W_1 = (w, 2^1000)^T` and `W_2 = (1, 0)`, `f(x) = relu(w x)`
/// (the unit behind the weight `2^1000` has output weight 0): Lipschitz
/// constant and path norm `|w|`, Frobenius product `sqrt(w^2 + 2^2000) =
/// 2^1000` (in f64). Relative to `2^1000` the weight is `|w| 2^-1000`: from
/// `w = 2^-22` on (the least normal double, exact) the path norm is used,
/// exactly; below, the product is subnormal (few bits left, or 0 for
/// `w = 1e-300`, where the bound was 0) and the bound is the Frobenius
/// product. Zero weights (the 0 output weight, and the products with the 0
/// entry of the running vector) leave the path norm in use.
#[test]
fn lipschitz_bound_when_the_path_goes_through_a_relatively_tiny_weight() {
    let big = 2f64.powi(1000);
    let critic = |w: f64| {
        critic_from(
            &[1, 2, 1],
            Activation::Relu,
            vec![w, big, 0.0, 0.0, 1.0, 0.0, 0.0],
        )
    };
    for w in [2f64.powi(-22), -2f64.powi(-22), 1.5 * 2f64.powi(-10), 0.75] {
        assert_eq!(
            critic(w).lipschitz_bound(),
            w.abs() * margin(7),
            "w = {w:e}"
        );
    }
    for w in [1e-300, -1.1 * 2f64.powi(-23), 3.3e-200, 1e-320] {
        let critic = critic(w);
        let bound = critic.lipschitz_bound();
        // The critic is not constant: its slope on x > 0 (or x < 0) is |w|.
        let side = w.signum();
        let x = DMatrix::from_row_slice(2, 1, &[side, 2.0 * side]);
        let f = critic.values(&x).unwrap();
        assert!(f[1] - f[0] > 0.0, "w = {w:e}");
        assert!(
            bound >= big && bound <= big * margin(7),
            "w = {w:e}: {bound:e}"
        );
    }
}

/// Relative difference allowed between the penalty and its closed form on
/// the network's own input gradients: two evaluations of the same products
/// (the penalty pass's nalgebra products against `Mlp`'s backward pass), a
/// few ulps of each of the batch's terms apart; 1e-12 leaves room, while a
/// wrong activation (another unit pattern in a deeper layer) moves it by
/// 1e-3 or more.
const SAME_GRADIENTS: f64 = 1e-12;

/// The penalty's value is the mean of `lambda (||g_b|| - 1)^2` over the
/// input gradients `g_b` the network's backward pass gives (an evaluation
/// independent of the penalty pass), on critics with two and three hidden
/// layers: there the hidden activations' values (not only their slopes)
/// decide the next layer's units.
#[test]
fn penalty_is_the_closed_form_on_deep_critics() {
    let lambda = 3.0;
    for (case, widths) in [vec![2, 6, 5, 1], vec![1, 8, 8, 1], vec![3, 5, 4, 4, 1]]
        .into_iter()
        .enumerate()
    {
        for activation in [
            Activation::Tanh,
            Activation::Relu,
            Activation::LeakyRelu { slope: 0.2 },
        ] {
            let critic = Critic::new(&widths, activation, 70 + case as u64).unwrap();
            let d = widths[0];
            let x = DMatrix::from_fn(24, d, |b, i| 2.0 * ((b * d + i) as f64 * 0.731).sin());
            let g = critic.input_gradients(&x).unwrap();
            let expected = (0..x.nrows())
                .map(|b| {
                    let row: Vec<f64> = g.row(b).iter().copied().collect();
                    wgan::gradient_penalty(&row, lambda).unwrap()
                })
                .sum::<f64>()
                / x.nrows() as f64;
            let value = critic.gradient_penalty(&x, lambda, None).unwrap();
            assert!(
                (value - expected).abs() <= SAME_GRADIENTS * expected,
                "{widths:?} {activation:?}: {value} vs {expected}"
            );
        }
    }
}
