//! The MLP's gradients against central finite differences, its fast tanh
//! against `f64::tanh`, the flat parameter round trip, and the optimisers
//! against hand-computed steps.

mod common;

use gan_theory::Error;
use gan_theory::mlp::{Activation, Mlp, Tape, tanh};
use gan_theory::optim::{Adam, AnyOptimizer, Optimizer, Sgd};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

/// Largest distance, in ulps of the exact value, allowed between
/// [`tanh`] and `f64::tanh`.
///
/// Reason: the method's own error is the Padé approximant's (below 0.01
/// ulp), the reduction's rounding (about 1 ulp of `r`), and the rounding of
/// the numerator, denominator and division (1-2 ulps); `f64::tanh` (the
/// platform's libm) is itself within about 1 ulp. Four ulps covers both with
/// a little room; a wrong coefficient or reduction shows up as thousands of ulps.
const TANH_ULPS: f64 = 4.0;

/// Ulps between two finite values, measured in the spacing at `exact`
/// (the spacing of the smallest normal below it).
fn ulps(value: f64, exact: f64) -> f64 {
    let spacing = f64::EPSILON * exact.abs().max(f64::MIN_POSITIVE);
    (value - exact).abs() / spacing
}

#[test]
fn tanh_matches_std_on_a_dense_grid() {
    let mut worst: f64 = 0.0;
    // Every 1e-4 on [-21, 21]: the reduction's branches points k = 0..58,
    // the small-argument range and saturation.
    for i in -210_000..=210_000 {
        let x = i as f64 * 1e-4;
        worst = worst.max(ulps(tanh(x), x.tanh()));
    }
    // Geometric grid towards 0, where tanh x ~ x - x^3/3 and relative accuracy matters.
    let mut x = 1.0;
    while x > 1e-300 {
        for s in [x, -x] {
            worst = worst.max(ulps(tanh(s), s.tanh()));
        }
        x *= 0.93;
    }
    assert!(worst <= TANH_ULPS, "worst error {worst} ulps");
}

#[test]
fn tanh_at_the_extremes() {
    assert_eq!(tanh(0.0).to_bits(), 0.0f64.to_bits());
    assert_eq!(tanh(-0.0).to_bits(), (-0.0f64).to_bits());
    assert_eq!(tanh(5e-324), 5e-324);
    assert_eq!(tanh(f64::MAX), 1.0);
    assert_eq!(tanh(f64::NEG_INFINITY), -1.0);
    assert_eq!(tanh(f64::INFINITY), 1.0);
    assert_eq!(tanh(19.5), 1.0);
    assert!(tanh(f64::NAN).is_nan());
    // Odd, exactly.
    for i in 1..1000 {
        let x = i as f64 * 0.0173;
        assert_eq!(tanh(-x), -tanh(x));
    }
}

/// The derivative `1 - tanh^2`, which the backward pass reads off the
/// stored output, against a central difference of [`tanh`] itself.
#[test]
fn tanh_derivative_is_one_minus_tanh_squared() {
    // Central difference, h = 1e-5: truncation h^2/6 |tanh'''| <= 2e-11,
    // rounding EPS / h = 2e-11 (times the few ulps of tanh).
    const H: f64 = 1e-5;
    const TOL: f64 = 1e-9;
    for i in -400..=400 {
        let x = i as f64 * 0.01;
        let t = tanh(x);
        let numeric = (tanh(x + H) - tanh(x - H)) / (2.0 * H);
        assert!((numeric - (1.0 - t * t)).abs() <= TOL, "x = {x}");
    }
}

/// Step of the central differences, relative to `max(1, |theta|)`.
const FD_STEP: f64 = 1e-5;

/// Allowed |analytic - numeric| / (1 + |analytic|) for the gradient checks.
///
/// Reason: for tanh the central difference's truncation error is
/// `h^2/6 |L'''|`, about 1e-10 for these small networks with O(1) weights and
/// inputs, and its rounding error `EPS |L| / h` about 1e-10; piecewise-affine
/// activations have no truncation error away from their kinks. 1e-7 leaves a
/// factor of 1000; a wrong backward formula is off by O(1).
const FD_TOL: f64 = 1e-7;

/// For the ReLUs: a coordinate whose one-sided differences disagree by more
/// than this has a kink within one step, where the derivative is not defined
/// by any difference; it is skipped (and counted). Affine pieces give equal
/// one-sided differences to rounding (`EPS |L| / h`, about 1e-10).
const KINK_GAP: f64 = 1e-6;

/// A network, a batch, output weights `c` (the loss is `L = sum c . y`).
#[derive(Debug, Clone)]
struct Case {
    net: Mlp,
    x: DMatrix<f64>,
    c: DMatrix<f64>,
}

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Tanh),
        Just(Activation::Relu),
        (0.01f64..0.5).prop_map(|slope| Activation::LeakyRelu { slope }),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(1usize..6, 2..5),
        activation(),
        any::<u64>(),
        1usize..6,
    )
        .prop_flat_map(|(widths, act, seed, batch)| {
            let net = Mlp::new(&widths, act, seed).unwrap();
            let (n_in, n_out) = (net.input_dim(), net.output_dim());
            (
                Just(net),
                proptest::collection::vec(-2.0f64..2.0, batch * n_in),
                proptest::collection::vec(-1.0f64..1.0, batch * n_out),
            )
                .prop_map(move |(net, x, c)| Case {
                    net,
                    x: DMatrix::from_vec(batch, n_in, x),
                    c: DMatrix::from_vec(batch, n_out, c),
                })
        })
}

fn loss(net: &Mlp, x: &DMatrix<f64>, c: &DMatrix<f64>) -> f64 {
    net.predict(x).unwrap().component_mul(c).sum()
}

/// Compares `analytic` with central differences of `f` in each coordinate
/// of `point`; returns the number of coordinates skipped at a kink.
fn check_gradient(
    point: &[f64],
    analytic: &[f64],
    smooth: bool,
    f: impl Fn(&[f64]) -> f64,
) -> usize {
    let mut skipped = 0;
    let f0 = f(point);
    for j in 0..point.len() {
        let h = FD_STEP * point[j].abs().max(1.0);
        let at = |delta: f64| {
            let mut p = point.to_vec();
            p[j] += delta;
            f(&p)
        };
        let (up, down) = (at(h), at(-h));
        if !smooth && ((up - f0) - (f0 - down)).abs() / h > KINK_GAP {
            skipped += 1;
            continue;
        }
        let numeric = (up - down) / (2.0 * h);
        let a = analytic[j];
        assert!(
            (a - numeric).abs() <= FD_TOL * (1.0 + a.abs()),
            "coordinate {j}: analytic {a}, numeric {numeric}"
        );
    }
    skipped
}

proptest! {
    #![proptest_config(common::config(64))]

    /// dL/d params and dL/d input from the backward pass equal central
    /// differences of the forward pass, for random shapes, activations,
    /// batches and loss weights.
    #[test]
    fn gradients_match_finite_differences(case in case()) {
        let Case { net, x, c } = case;
        let mut tape = Tape::new();
        net.forward(&x, &mut tape).unwrap();
        let mut grad = vec![0.0; net.num_params()];
        let mut dx = DMatrix::zeros(0, 0);
        net.backward(&mut tape, &c, Some(&mut grad[..]), Some(&mut dx)).unwrap();
        let smooth = net.activation() == Activation::Tanh;

        let widths = net.widths().to_vec();
        let activation = net.activation();
        let skipped_params = check_gradient(net.params().as_slice(), &grad, smooth, |p| {
            let moved = Mlp::from_params(&widths, activation, DVector::from_column_slice(p)).unwrap();
            loss(&moved, &x, &c)
        });
        let skipped_inputs = check_gradient(x.as_slice(), dx.as_slice(), smooth, |p| {
            loss(&net, &DMatrix::from_column_slice(x.nrows(), x.ncols(), p), &c)
        });
        // A kink within 1e-5 of a pre-activation is rare; skipping more than a
        // few coordinates would mean the check tests nothing.
        prop_assert!(skipped_params + skipped_inputs <= 2);
    }

    /// Parameters out to a vector and back give the same network, bit for bit.
    #[test]
    fn flat_parameters_round_trip(case in case()) {
        let net = case.net;
        let copy = Mlp::from_params(net.widths(), net.activation(), net.params().clone()).unwrap();
        prop_assert_eq!(&copy, &net);
        let (a, b) = (net.predict(&case.x).unwrap(), copy.predict(&case.x).unwrap());
        prop_assert!(a.iter().zip(b.iter()).all(|(u, v)| u.to_bits() == v.to_bits()));
    }
}

/// Both gradients at once or one at a time, and a tape reused across batch
/// sizes, give identical numbers.
#[test]
fn backward_options_and_tape_reuse_agree() {
    let net = Mlp::new(&[2, 7, 5, 3], Activation::Tanh, 11).unwrap();
    let x = DMatrix::from_fn(9, 2, |i, j| (i as f64 - 4.0) * 0.3 + j as f64);
    let c = DMatrix::from_fn(9, 3, |i, j| ((i * 3 + j) as f64).sin());
    let mut fresh = Tape::new();
    net.forward(&x, &mut fresh).unwrap();
    let (mut g_both, mut dx_both) = (vec![0.0; net.num_params()], DMatrix::zeros(9, 2));
    net.backward(&mut fresh, &c, Some(&mut g_both[..]), Some(&mut dx_both))
        .unwrap();

    let mut reused = Tape::new();
    net.forward(&DMatrix::from_element(4, 2, 0.5), &mut reused)
        .unwrap();
    net.forward(&x, &mut reused).unwrap();
    let mut g_only = vec![0.0; net.num_params()];
    net.backward(&mut reused, &c, Some(&mut g_only[..]), None)
        .unwrap();
    let mut dx_only = DMatrix::zeros(1, 1);
    net.backward(&mut reused, &c, None, Some(&mut dx_only))
        .unwrap();
    assert_eq!(g_only, g_both);
    assert_eq!(dx_only, dx_both);
    assert_eq!((Tape::new().batch(), reused.batch()), (0, 9));

    // The same tape for a network of another shape and the same batch size:
    // it is resized, and gives what a fresh tape gives.
    let other = Mlp::new(&[2, 3, 3], Activation::Relu, 12).unwrap();
    let y = other.forward(&x, &mut reused).unwrap().clone();
    assert_eq!(y, other.predict(&x).unwrap());
    let mut g_other = vec![0.0; other.num_params()];
    other
        .backward(&mut reused, &c, Some(&mut g_other[..]), None)
        .unwrap();
    let mut fresh = Tape::new();
    other.forward(&x, &mut fresh).unwrap();
    let mut g_fresh = vec![0.0; other.num_params()];
    other
        .backward(&mut fresh, &c, Some(&mut g_fresh[..]), None)
        .unwrap();
    assert_eq!(g_other, g_fresh);
}

#[test]
fn initialisation_is_seeded_and_within_pytorch_bounds() {
    let a = Mlp::new(&[3, 32, 1], Activation::Tanh, 5).unwrap();
    assert_eq!(a, Mlp::new(&[3, 32, 1], Activation::Tanh, 5).unwrap());
    assert_ne!(a, Mlp::new(&[3, 32, 1], Activation::Tanh, 6).unwrap());
    assert_eq!(a.num_params(), 4 * 32 + 33);
    let p = a.params().as_slice();
    // First layer: 3 inputs, bound 1/sqrt(3); second: 32 inputs, bound 1/sqrt(32).
    assert!(p[..128].iter().all(|w| w.abs() <= 1.0 / 3f64.sqrt()));
    assert!(p[128..].iter().all(|w| w.abs() <= 1.0 / 32f64.sqrt()));
    // Not degenerate: the first layer uses most of its range.
    let largest = p[..128].iter().fold(0.0f64, |m, w| m.max(w.abs()));
    assert!(largest > 0.5 / 3f64.sqrt());
}

#[test]
fn invalid_shapes_are_refused() {
    assert!(matches!(
        Mlp::new(&[3], Activation::Tanh, 0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        Mlp::new(&[3, 0, 1], Activation::Relu, 0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(Activation::leaky_relu(1.0).is_err());
    assert!(Activation::leaky_relu(0.0).is_err()); // slope 0 is a ReLU, slope 1 linear
    assert!(Activation::leaky_relu(f64::MIN_POSITIVE).is_ok());
    assert!(Activation::leaky_relu(1.0 - f64::EPSILON / 2.0).is_ok());
    assert!(Activation::leaky_relu(f64::NAN).is_err());
    assert!(Mlp::new(&[1, 2, 1], Activation::LeakyRelu { slope: -0.1 }, 0).is_err());
    let net = Mlp::new(&[2, 4, 1], Activation::Tanh, 0).unwrap();
    let mut tape = Tape::new();
    assert_eq!(
        net.forward(&DMatrix::zeros(5, 3), &mut tape).unwrap_err(),
        Error::LengthMismatch { left: 3, right: 2 }
    );
    assert_eq!(
        net.forward(&DMatrix::zeros(0, 2), &mut tape).unwrap_err(),
        Error::Empty
    );
    net.forward(&DMatrix::zeros(5, 2), &mut tape).unwrap();
    assert!(
        net.backward(&mut tape, &DMatrix::zeros(4, 1), None, None)
            .is_err()
    );
    let mut short = [0.0; 3];
    assert!(
        net.backward(&mut tape, &DMatrix::zeros(5, 1), Some(&mut short[..]), None)
            .is_err()
    );
    let other = Mlp::new(&[2, 3, 1], Activation::Tanh, 0).unwrap();
    assert!(
        other
            .backward(&mut tape, &DMatrix::zeros(5, 1), None, None)
            .is_err()
    );
    let mut params = net.params().clone();
    params[1] = f64::NAN;
    assert_eq!(
        Mlp::from_params(&[2, 4, 1], Activation::Tanh, params).unwrap_err(),
        Error::NotANumber { index: 1 }
    );
}

/// Rounding of a handful of operations on O(1) numbers.
const STEP_TOL: f64 = 1e-15;

/// SGD with momentum on `f(theta) = a theta^2 / 2` (gradient `a theta`):
/// `v1 = g0`, `theta1 = theta0 - lr g0`, `v2 = mu v1 + g1`, `theta2 = theta1 - lr v2`.
#[test]
fn sgd_momentum_first_steps_by_hand() {
    let (a, lr, mu) = (3.0, 0.1, 0.9);
    let mut sgd = Sgd::new(lr, mu, 1).unwrap();
    let mut theta = [2.0];
    {
        let g = [a * theta[0]];
        sgd.step(&mut theta, &g).unwrap();
    }
    // g0 = 6, v1 = 6, theta1 = 2 - 0.6 = 1.4
    assert!((theta[0] - 1.4).abs() <= STEP_TOL);
    assert!((sgd.velocity()[0] - 6.0).abs() <= STEP_TOL);
    {
        let g = [a * theta[0]];
        sgd.step(&mut theta, &g).unwrap();
    }
    // g1 = 4.2, v2 = 5.4 + 4.2 = 9.6, theta2 = 1.4 - 0.96 = 0.44
    assert!((theta[0] - 0.44).abs() <= STEP_TOL);
    assert!((sgd.velocity()[0] - 9.6).abs() <= STEP_TOL);
}

/// Heavy ball on a quadratic is the linear recursion
/// `theta_{t+1} = (1 + mu - lr a) theta_t - mu theta_{t-1}`: run it
/// independently for 50 steps beside the optimiser, and check convergence to 0
/// (the recursion's roots have modulus `sqrt(mu) < 1`).
/// The two forms round differently at each step; 50 contracting steps on
/// O(1) values accumulate at most a few hundred EPS.
const RECURSION_TOL: f64 = 1e-13;

#[test]
fn sgd_momentum_follows_the_heavy_ball_recursion() {
    let (a, lr, mu) = (2.0, 0.2, 0.5);
    let mut sgd = Sgd::new(lr, mu, 1).unwrap();
    let mut theta = [1.0];
    let (mut prev, mut cur) = (1.0, 1.0 - lr * a);
    {
        let g = [a * theta[0]];
        sgd.step(&mut theta, &g).unwrap();
    }
    for _ in 0..50 {
        assert!((theta[0] - cur).abs() <= RECURSION_TOL);
        {
            let g = [a * theta[0]];
            sgd.step(&mut theta, &g).unwrap();
        }
        (prev, cur) = (cur, (1.0 + mu - lr * a) * cur - mu * prev);
    }
    assert!(theta[0].abs() < 1e-6);
}

/// Adam's first step is `-lr sign(g)` (up to eps): `m1 / (1 - b1) = g`,
/// `v1 / (1 - b2) = g^2`. The second step by hand on `f = theta^2 / 2`.
#[test]
fn adam_first_steps_by_hand() {
    let (lr, b1, b2, eps) = (0.1, 0.9, 0.999, 1e-8);
    let mut adam = Adam::new(lr, b1, b2, eps, 2).unwrap();
    let mut theta = [1.0, -3.0];
    let g0 = theta;
    adam.step(&mut theta, &g0).unwrap();
    let first = |g: f64| lr * g / (g.abs() + eps);
    assert!((theta[0] - (1.0 - first(1.0))).abs() <= STEP_TOL);
    assert!((theta[1] - (-3.0 - first(-3.0))).abs() <= STEP_TOL);
    let g1 = theta;
    let t0 = theta;
    adam.step(&mut theta, &g1).unwrap();
    for j in 0..2 {
        let m = b1 * (1.0 - b1) * g0[j] + (1.0 - b1) * g1[j];
        let v = b2 * (1.0 - b2) * g0[j] * g0[j] + (1.0 - b2) * g1[j] * g1[j];
        let m_hat = m / (1.0 - b1 * b1);
        let v_hat = v / (1.0 - b2 * b2);
        let expected = t0[j] - lr * m_hat / (v_hat.sqrt() + eps);
        assert!((theta[j] - expected).abs() <= STEP_TOL, "{j}");
    }
    assert_eq!(adam.steps(), 2);
}

/// Adam minimises a badly scaled quadratic.
#[test]
fn adam_converges_on_a_quadratic() {
    let scales = [1.0, 100.0];
    let mut opt: AnyOptimizer = Adam::with_defaults(0.05, 2).unwrap().into();
    let mut theta = [1.0, 1.0];
    for _ in 0..2000 {
        let g = [scales[0] * theta[0], scales[1] * theta[1]];
        opt.step(&mut theta, &g).unwrap();
    }
    assert!(theta.iter().all(|t| t.abs() < 1e-3), "{theta:?}");
}

#[test]
fn optimiser_parameters_are_validated() {
    assert!(Sgd::new(0.0, 0.9, 1).is_err());
    assert!(Sgd::new(f64::INFINITY, 0.9, 1).is_err());
    assert!(Sgd::new(0.1, 1.0, 1).is_err());
    assert!(Sgd::new(0.1, -0.1, 1).is_err());
    assert!(Adam::new(0.1, 0.9, 1.0, 1e-8, 1).is_err());
    assert!(Adam::new(0.1, 0.9, 0.999, 0.0, 1).is_err());
    let mut sgd = Sgd::new(0.1, 0.0, 2).unwrap();
    assert_eq!(
        sgd.step(&mut [0.0; 3], &[0.0; 3]).unwrap_err(),
        Error::LengthMismatch { left: 3, right: 2 }
    );
}

/// The MLP written plainly, one loop per formula of `src/mlp.rs`, in the
/// summation order its documentation states: a forward sum and the input
/// gradient in the order of the summed index, starting from the bias (or 0),
/// one fused multiply-add per term; the bias gradient, and a weight gradient
/// of a layer with one input or one output, in 8 interleaved partial sums
/// over the batch (lanes `b mod 8`, reduced as `(l0+l4 + l2+l6) + (l1+l5 +
/// l3+l7)`, then the tail summed in order); any other weight gradient in the
/// order of the batch. The kernels (tiled, vectorised, picked per CPU) must
/// give these numbers bit for bit: that is what makes training reproducible
/// on every machine, and a kernel that summed in another order, or a layer
/// that took the other gradient path, would change the bits (and A6's
/// figure) without failing a finite-difference check.
mod plain {
    use gan_theory::mlp::{Activation, tanh};

    /// `a[i][b]`: unit `i` of sample `b` at `i * batch + b` (a column-major
    /// batch-by-width matrix, as the tape's).
    pub struct Pass {
        pub output: Vec<f64>,
        pub param_grad: Vec<f64>,
        pub input_grad: Vec<f64>,
    }

    fn lanes(acc: [f64; 8], tail: f64) -> f64 {
        let a = [
            acc[0] + acc[4],
            acc[1] + acc[5],
            acc[2] + acc[6],
            acc[3] + acc[7],
        ];
        (a[0] + a[2]) + (a[1] + a[3]) + tail
    }

    fn interleaved_sum(x: &[f64]) -> f64 {
        let full = x.len() - x.len() % 8;
        let mut acc = [0.0; 8];
        for (b, &v) in x[..full].iter().enumerate() {
            acc[b % 8] += v;
        }
        lanes(acc, x[full..].iter().sum())
    }

    fn interleaved_dot(x: &[f64], y: &[f64]) -> f64 {
        let full = x.len() - x.len() % 8;
        let mut acc = [0.0; 8];
        for b in 0..full {
            acc[b % 8] = x[b].mul_add(y[b], acc[b % 8]);
        }
        lanes(acc, (full..x.len()).map(|b| x[b] * y[b]).sum())
    }

    fn activate(f: Activation, z: f64) -> f64 {
        match f {
            Activation::Tanh => tanh(z),
            Activation::Relu => {
                if z < 0.0 {
                    0.0
                } else {
                    z
                }
            }
            Activation::LeakyRelu { slope } => {
                if z < 0.0 {
                    slope * z
                } else {
                    z
                }
            }
        }
    }

    fn slope_at(f: Activation, a: f64) -> f64 {
        match f {
            Activation::Tanh => 1.0 - a * a,
            Activation::Relu => {
                if a > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu { slope } => {
                if a > 0.0 {
                    1.0
                } else {
                    slope
                }
            }
        }
    }

    /// Forward and backward for `L = sum c . output`.
    pub fn pass(
        widths: &[usize],
        f: Activation,
        params: &[f64],
        x: &[f64],
        c: &[f64],
        batch: usize,
    ) -> Pass {
        let layers = widths.len() - 1;
        let mut offsets = vec![0];
        for l in 0..layers {
            offsets.push(offsets[l] + widths[l] * widths[l + 1] + widths[l + 1]);
        }
        let weight = |l: usize, o: usize, i: usize| params[offsets[l] + o * widths[l] + i];
        let bias = |l: usize, o: usize| params[offsets[l] + widths[l] * widths[l + 1] + o];
        let mut values = vec![x.to_vec()];
        for l in 0..layers {
            let (n_in, n_out) = (widths[l], widths[l + 1]);
            let mut z = vec![0.0; n_out * batch];
            for o in 0..n_out {
                for b in 0..batch {
                    let mut acc = bias(l, o);
                    for i in 0..n_in {
                        acc = weight(l, o, i).mul_add(values[l][i * batch + b], acc);
                    }
                    z[o * batch + b] = if l + 1 < layers {
                        activate(f, acc)
                    } else {
                        acc
                    };
                }
            }
            values.push(z);
        }
        let mut param_grad = vec![0.0; offsets[layers]];
        let mut delta = c.to_vec();
        for l in (0..layers).rev() {
            let (n_in, n_out) = (widths[l], widths[l + 1]);
            let a = &values[l];
            for o in 0..n_out {
                let delta_o = &delta[o * batch..(o + 1) * batch];
                param_grad[offsets[l] + n_in * n_out + o] = interleaved_sum(delta_o);
                for i in 0..n_in {
                    let a_i = &a[i * batch..(i + 1) * batch];
                    param_grad[offsets[l] + o * n_in + i] = if n_in == 1 || n_out == 1 {
                        interleaved_dot(delta_o, a_i)
                    } else {
                        (0..batch).fold(0.0, |acc, b| delta_o[b].mul_add(a_i[b], acc))
                    };
                }
            }
            let mut below = vec![0.0; n_in * batch];
            for i in 0..n_in {
                for b in 0..batch {
                    let mut acc = 0.0;
                    for o in 0..n_out {
                        acc = weight(l, o, i).mul_add(delta[o * batch + b], acc);
                    }
                    below[i * batch + b] = if l > 0 {
                        acc * slope_at(f, a[i * batch + b])
                    } else {
                        acc
                    };
                }
            }
            delta = below;
        }
        Pass {
            output: values.pop().unwrap(),
            param_grad,
            input_grad: delta,
        }
    }
}

fn same_bits(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            g.to_bits() == w.to_bits(),
            "{what}[{k}]: {g:e} from the kernels, {w:e} by the stated order"
        );
    }
}

/// Forward, parameter and input gradients equal [`plain::pass`] bit for
/// bit, over shapes that reach every path of the kernels: a layer with one
/// input and one with one output (the dot-product path), wide layers (the
/// transpose's 4-row blocks, several register tiles of 4 rows), batches
/// that are not multiples of any tile width (1, 3, 19, 37), every activation.
#[test]
fn kernels_sum_in_the_documented_order_bit_for_bit() {
    let shapes: [&[usize]; 4] = [&[1, 9, 9, 1], &[3, 5, 2], &[2, 17, 6, 3], &[4, 1, 4]];
    let activations = [
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu { slope: 0.2 },
    ];
    for (s, widths) in shapes.iter().enumerate() {
        for (a, &f) in activations.iter().enumerate() {
            for batch in [1, 3, 19, 37] {
                let net = Mlp::new(widths, f, (100 * s + 10 * a + batch) as u64).unwrap();
                let (n_in, n_out) = (net.input_dim(), net.output_dim());
                let x = DMatrix::from_fn(batch, n_in, |b, i| {
                    ((3 * b + 7 * i) as f64 * 0.37).sin() * 2.0
                });
                let c =
                    DMatrix::from_fn(batch, n_out, |b, o| ((5 * b + 3 * o) as f64 * 0.61).cos());
                let mut tape = Tape::new();
                let output = net.forward(&x, &mut tape).unwrap().clone();
                let mut grad = vec![0.0; net.num_params()];
                let mut dx = DMatrix::zeros(batch, n_in);
                net.backward(&mut tape, &c, Some(&mut grad[..]), Some(&mut dx))
                    .unwrap();
                let want = plain::pass(
                    widths,
                    f,
                    net.params().as_slice(),
                    x.as_slice(),
                    c.as_slice(),
                    batch,
                );
                let case = format!("widths {widths:?}, {f:?}, batch {batch}");
                same_bits(&format!("output ({case})"), output.as_slice(), &want.output);
                same_bits(
                    &format!("parameter gradient ({case})"),
                    &grad,
                    &want.param_grad,
                );
                same_bits(
                    &format!("input gradient ({case})"),
                    dx.as_slice(),
                    &want.input_grad,
                );
            }
        }
    }
}

/// At a kink (a pre-activation exactly 0) the backward pass takes the
/// derivative from the left, as PyTorch does (`relu`: 0, `leaky_relu`: the
/// slope); the forward pass keeps a zero's sign and passes NaN through.
#[test]
fn kinks_and_signed_zeros_follow_the_stated_conventions() {
    // [1, 1, 1]: z = 0 x + 0 = 0 for every x; output = 3 a + 0.
    for (f, left) in [
        (Activation::Relu, 0.0),
        (Activation::LeakyRelu { slope: 0.25 }, 0.25),
    ] {
        let net =
            Mlp::from_params(&[1, 1, 1], f, DVector::from_vec(vec![0.0, 0.0, 3.0, 0.0])).unwrap();
        let mut tape = Tape::new();
        net.forward(&DMatrix::from_element(1, 1, 1.5), &mut tape)
            .unwrap();
        let mut grad = vec![0.0; 4];
        net.backward(
            &mut tape,
            &DMatrix::from_element(1, 1, 1.0),
            Some(&mut grad[..]),
            None,
        )
        .unwrap();
        // dL/dw1 = 3 f'(0) x, dL/db1 = 3 f'(0), dL/dw2 = a = 0, dL/db2 = 1.
        assert_eq!(grad, vec![3.0 * left * 1.5, 3.0 * left, 0.0, 1.0], "{f:?}");
    }
    // [1, 1, 1] with z = -x: at x = 0, z = -0; the output layer 1 * a - 0
    // shows the zero's sign (-0 + -0 = -0, +0 + -0 = +0).
    for f in [
        Activation::Relu,
        Activation::LeakyRelu { slope: 0.25 },
        Activation::Tanh,
    ] {
        let net = Mlp::from_params(
            &[1, 1, 1],
            f,
            DVector::from_vec(vec![-1.0, -0.0, 1.0, -0.0]),
        )
        .unwrap();
        let y = net.predict(&DMatrix::from_element(1, 1, 0.0)).unwrap()[(0, 0)];
        assert!(
            y == 0.0 && y.is_sign_negative(),
            "{f:?}: f(-0) gave {y:e}, not -0"
        );
        let y = net.predict(&DMatrix::from_element(1, 1, f64::NAN)).unwrap()[(0, 0)];
        assert!(y.is_nan(), "{f:?}: f(NaN) gave {y}, not NaN");
    }
}
