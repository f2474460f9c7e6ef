//! Claim E1: the Dirac-GAN of Mescheder, Geiger and Nowozin (2018).

mod common;

use gan_theory::Error;
use gan_theory::dynamics::linear::{
    NormalForm, eigenvalue_distance, eigenvalues, eigenvalues_nalgebra, sorted, spectral_radius,
};
use gan_theory::dynamics::{
    GAN_F1_AT_0, MAX_STEPS, Method, Point, Positive, Update, gan_f1, trajectory,
};
use gan_theory::tol::EPS;
use nalgebra::{Complex, Matrix2, Vector2};
use proptest::prelude::*;

/// Central differences with step d err by d^2/6 |third derivative| (below
/// about 10 on the ranges drawn here, where |theta|, |psi| <= 2 and the
/// parameters are at most 3) plus EPS |v| / d (|v| <= 20): 2e-10 + 5e-10;
/// 1e-8 leaves a factor of about 15.
const FD_STEP: f64 = 1e-5;
const FD_TOL: f64 = 1e-8;

/// Eigenvalues computed in two ways from the same few numbers agree to a
/// few ulps of the matrix's entries: 16 ulps of 1 + max |entry|.
const EIGEN_ULPS: f64 = 16.0;

/// One simultaneous step and the two sides of the growth identity each round
/// about ten operations, with no cancellation: 64 ulps of |x_{k+1}|^2.
const GROWTH_ULPS: f64 = 64.0;

/// Each alternating WGAN step rounds two multiply-adds, moving the invariant
/// by at most about 4 ulps; over a run the errors add: 8 ulps per step.
const Q_ULPS_PER_STEP: f64 = 8.0;

/// Simpson's rule with step s on [-10, 10] errs by 20 s^4 max|g''''| / 180;
/// with s = 1e-4 and |g''''| <= (1 + |psi sigma|)^4 (1 + |x|) <= 1e4 on the
/// cases drawn, about 1e-14; the rule's own rounding over 2e5 terms adds
/// about 1e-13 (compensated sum). 1e-11 leaves a factor of about 100.
const SIMPSON_TOL: f64 = 1e-11;

/// For a slope `s = psi sigma` the instance-noise moments differ from their
/// step-function limits by `(pi^2/6) h'(z0) / s^2 + O(s^-4)`, `h` the density
/// times the integrand's smooth factor (`|h'| <= 1` for the cases used), plus
/// the quadrature's 1e-15: at `s = 1e6`, 1.7e-12; 2e-12 bounds both.
const STEP_LIMIT_TOL: f64 = 2e-12;

/// Near alpha = h f'(0) = 2 the alternating step's two eigenvalues nearly
/// coincide (at -1): a rounding of EPS in the discriminant moves them by
/// about sqrt(4 EPS) = 3e-8, so their modulus is 1 only to 1e-7 there.
const NEAR_DOUBLE_EIGEN_TOL: f64 = 1e-7;

/// A closed form of a handful of operations against its 30-digit value, or
/// a sum that the symmetric quadrature computes to a few roundings: 4 ulps.
const FORMULA_ULPS: f64 = 4.0;

/// The quadrature's error at the equilibrium: rounding of some 360 terms of
/// size at most 1 in compensated sums (about 1e-16) plus the 2e-17 of mass
/// beyond |z| = 9: 1e-15.
const QUADRATURE_TOL: f64 = 1e-15;

/// `P^-1 A P` and its singular values go through a few 2x2 products with
/// entries up to cond(P) |A| < 10: a few ulps of 10, 1e-14.
const NORMAL_FORM_TOL: f64 = 1e-14;

/// Per step of the R1 bound: the computed step is the exact one within
/// about 16 ulps of |x| per coordinate and y = P^-1 x adds 4 ulps of
/// |P^-1| |x|: 64 ulps of |P^-1| (|x_k| + |x_{k+1}|).
const CONTRACTION_ULPS: f64 = 64.0;

/// `x · v` from the computed field: each of its two terms (of size at most
/// |t|) carries the logistic function's 3 roundings and two products', and
/// the sum and `-t tanh(t/2)` a few more: 16 ulps of `1 + |t|`.
const FIELD_IDENTITY_ULPS: f64 = 16.0;

/// Near a double root the eigenvalues are only as good as the discriminant
/// `d = ((p - s)/2)^2 + q r`: forming it rounds terms of size at most
/// `|A|^2` (`|A|` the largest entry) by at most `2 EPS |A|^2` in all, which
/// moves `sqrt(d)` by up to `sqrt(2 EPS) |A|` and the centre by `EPS |A|`
/// (for entries near 1.5, about 3e-8). Twice `sqrt(EPS) |A|` covers both
/// with a little room; the exact eigenvalues of the matrices used are about
/// 1e-8 in size, so a wrong root (as 0.087 was) fails by far.
const NEAR_DOUBLE_ROOT_SQRT_EPS: f64 = 2.0;

/// Every method, with parameters from the given draws.
fn methods(gamma: f64, sigma: f64, c: f64) -> Vec<Method> {
    vec![
        Method::Gan,
        Method::NonSaturating,
        Method::wgan(),
        Method::wgan_clipped(c).unwrap(),
        Method::wgan_gp(gamma).unwrap(),
        Method::instance_noise(sigma).unwrap(),
        Method::r1(gamma).unwrap(),
        Method::r2(gamma).unwrap(),
        Method::consensus(gamma).unwrap(),
    ]
}

fn eigen_tolerance(m: &Matrix2<f64>) -> f64 {
    EIGEN_ULPS * EPS * (1.0 + m.abs().max())
}

/// The equilibrium eigenvalues to many digits (references from Python's
/// `decimal` at 40 digits).
#[test]
fn e1_eigenvalue_reference_values() {
    let cases: [(Method, [Complex<f64>; 2]); 7] = [
        (
            Method::Gan,
            [Complex::new(0.0, 0.5), Complex::new(0.0, -0.5)],
        ),
        (
            Method::wgan(),
            [Complex::new(0.0, 1.0), Complex::new(0.0, -1.0)],
        ),
        (
            Method::r1(0.3).unwrap(),
            [
                Complex::new(-0.15, 0.4769696007084728245763107930116132701273),
                Complex::new(-0.15, -0.4769696007084728245763107930116132701273),
            ],
        ),
        (
            Method::r1(3.0).unwrap(),
            [
                Complex::new(-0.085786437626904951198311275790301921430, 0.0),
                Complex::new(-2.914213562373095048801688724209698078570, 0.0),
            ],
        ),
        (
            Method::instance_noise(2.0).unwrap(),
            [
                Complex::new(-0.1339745962155613532362768292470638165286, 0.0),
                Complex::new(-1.866025403784438646763723170752936183471, 0.0),
            ],
        ),
        (
            Method::instance_noise(0.7).unwrap(),
            [
                Complex::new(-0.1225, 0.4847615393159816262776527861618676871281),
                Complex::new(-0.1225, -0.4847615393159816262776527861618676871281),
            ],
        ),
        (
            Method::wgan_gp(1.5).unwrap(),
            [
                Complex::new(-0.75, 0.6614378277661476476254039384098151064276),
                Complex::new(-0.75, -0.6614378277661476476254039384098151064276),
            ],
        ),
    ];
    for (method, reference) in cases {
        let j = method.equilibrium_jacobian();
        let tolerance = eigen_tolerance(&j);
        for computed in [
            method.closed_form_eigenvalues(),
            eigenvalues(&j),
            eigenvalues_nalgebra(&j),
        ] {
            assert!(
                eigenvalue_distance(&computed, &reference) <= tolerance,
                "{}: {computed:?} vs {reference:?}",
                method.name()
            );
        }
    }
    let consensus = Method::consensus(1.0).unwrap().closed_form_eigenvalues();
    assert_eq!(
        consensus,
        [Complex::new(-0.25, 0.5), Complex::new(-0.25, -0.5)]
    );
}

/// Critical damping (a zero discriminant) is a double root, returned twice
/// with the same bits and no imaginary part, as `eigenvalues` returns one:
/// R1 with gamma = 1 (centre -1/2, product 1/4), WGAN-GP with gamma = 2
/// (centre -1, product 1).
#[test]
fn e1_closed_form_double_roots_at_critical_damping() {
    for (method, root) in [
        (Method::r1(1.0).unwrap(), -0.5),
        (Method::wgan_gp(2.0).unwrap(), -1.0),
    ] {
        let [a, b] = method.closed_form_eigenvalues();
        for z in [a, b] {
            assert_eq!(
                (z.re.to_bits(), z.im.to_bits()),
                (f64::to_bits(root), 0.0f64.to_bits()),
                "{}: {a:?}, {b:?}",
                method.name()
            );
        }
        assert_eq!(eigenvalues(&method.equilibrium_jacobian()), [a, b]);
    }
}

proptest! {
    #![proptest_config(common::config(48))]

    /// Eigenvalues of the analytic equilibrium Jacobian (our 2x2 formula and
    /// nalgebra's Schur iteration) against the paper's closed forms, over
    /// random parameters (complex and real cases both occur).
    #[test]
    fn e1_eigenvalues_match_closed_forms(gamma in 0.01f64..4.0, sigma in 0.05f64..3.0, c in 0.1f64..2.0) {
        for method in methods(gamma, sigma, c) {
            let j = method.equilibrium_jacobian();
            let paper = method.closed_form_eigenvalues();
            let tolerance = eigen_tolerance(&j);
            prop_assert!(eigenvalue_distance(&eigenvalues(&j), &paper) <= tolerance, "{}", method.name());
            prop_assert!(eigenvalue_distance(&eigenvalues_nalgebra(&j), &paper) <= tolerance, "{}", method.name());
        }
    }

    /// The analytic Jacobian against central differences at random points
    /// (WGAN-GP away from its jump at psi = 0).
    #[test]
    fn e1_jacobians_analytic_vs_finite_differences(
        theta in -2.0f64..2.0, psi in -2.0f64..2.0,
        gamma in 0.05f64..3.0, sigma in 0.1f64..2.0,
    ) {
        let at = Point::new(theta, psi);
        for method in methods(gamma, sigma, 1.0) {
            if matches!(method, Method::WganGp { .. }) && psi.abs() < 10.0 * FD_STEP {
                continue;
            }
            let gap = (method.jacobian_fd(at, FD_STEP).unwrap() - method.jacobian(at)).abs().max();
            prop_assert!(gap <= FD_TOL, "{} at {at:?}: {gap:e}", method.name());
        }
    }

    /// The field is (-dL_G/dtheta, dL_D/dpsi) of the stated losses.
    #[test]
    fn e1_vector_fields_are_the_gradients_of_the_losses(
        theta in -2.0f64..2.0, psi in -2.0f64..2.0,
        gamma in 0.05f64..3.0, sigma in 0.1f64..2.0,
    ) {
        let d = FD_STEP;
        for method in methods(gamma, sigma, 1.0) {
            if matches!(method, Method::WganGp { .. }) && psi.abs() < 10.0 * d {
                continue;
            }
            let l = |t: f64, p: f64| method.losses(Point::new(t, p));
            let v = method.vector_field(Point::new(theta, psi));
            let v_theta = -(l(theta + d, psi).generator - l(theta - d, psi).generator) / (2.0 * d);
            let v_psi = (l(theta, psi + d).discriminator - l(theta, psi - d).discriminator) / (2.0 * d);
            prop_assert!((v.theta - v_theta).abs() <= FD_TOL, "{}: {} vs {v_theta}", method.name(), v.theta);
            prop_assert!((v.psi - v_psi).abs() <= FD_TOL, "{}: {} vs {v_psi}", method.name(), v.psi);
        }
    }

    /// One simultaneous step of the GAN: |x'|^2 = |x|^2 (1 + h^2 f'(theta psi)^2)
    /// to rounding, strictly larger whenever x != 0 (and f' > 0 is not lost
    /// to underflow, |theta psi| < 30 here).
    #[test]
    fn e1_simultaneous_step_grows_the_norm_exactly(
        theta in -5.0f64..5.0, psi in -5.0f64..5.0, h in 0.001f64..1.0,
    ) {
        prop_assume!(theta.hypot(psi) > 1e-3);
        let x = Point::new(theta, psi);
        let next = Method::Gan.step(Update::Simultaneous, Positive::new(h).unwrap(), x).unwrap();
        let d = gan_f1(theta * psi);
        let predicted = x.norm_squared() * (1.0 + h * h * d * d);
        prop_assert!((next.norm_squared() - predicted).abs() <= GROWTH_ULPS * EPS * next.norm_squared());
        // The increase is visible in f64 wherever it exceeds the rounding
        // (f' underflows towards e^-|theta psi| for large positive theta psi).
        if h * h * d * d > 2.0 * GROWTH_ULPS * EPS {
            prop_assert!(next.norm_squared() > x.norm_squared());
        }
        // WGAN: the factor is exactly 1 + h^2.
        let next = Method::wgan().step(Update::Simultaneous, Positive::new(h).unwrap(), x).unwrap();
        let predicted = x.norm_squared() * (1.0 + h * h);
        prop_assert!((next.norm_squared() - predicted).abs() <= GROWTH_ULPS * EPS * next.norm_squared());
    }

    /// Alternating WGAN steps (discriminator first) conserve
    /// Q = theta^2 + psi^2 + h theta psi, so for h < 2 the distance to the
    /// equilibrium stays within [sqrt(Q/(1 + h/2)), sqrt(Q/(1 - h/2))].
    #[test]
    fn e1_alternating_wgan_conserves_the_quadratic_form(
        theta in -3.0f64..3.0, psi in -3.0f64..3.0, h in 0.01f64..1.9,
    ) {
        prop_assume!(theta.hypot(psi) > 1e-3);
        let steps = 400;
        let run = trajectory(&Method::wgan(), Update::Alternating, Point::new(theta, psi), h, steps).unwrap();
        let q = |p: Point| p.theta * p.theta + p.psi * p.psi + h * p.theta * p.psi;
        let q0 = q(run.points[0]);
        let tolerance = Q_ULPS_PER_STEP * EPS * steps as f64 * (1.0 + h) * (theta * theta + psi * psi);
        for &p in &run.points {
            prop_assert!((q(p) - q0).abs() <= tolerance, "{} vs {q0}", q(p));
            prop_assert!(p.norm_squared() >= q0 / (1.0 + h / 2.0) - tolerance);
            prop_assert!(p.norm_squared() <= q0 / (1.0 - h / 2.0) + tolerance);
        }
    }

    /// Lemma 2.5 (one step each): the alternating update's Jacobian at the
    /// equilibrium has determinant 1, its eigenvalues are on the unit circle
    /// for alpha = h f'(0) <= 2 and one lies outside it for alpha > 2.
    #[test]
    fn e1_alternating_eigenvalues_on_the_unit_circle(h in 0.01f64..8.0) {
        let j = Update::Alternating.equilibrium_jacobian(&Method::Gan, h);
        prop_assert!((j.determinant() - 1.0).abs() <= eigen_tolerance(&j));
        let alpha = h * GAN_F1_AT_0;
        let rho = spectral_radius(&j);
        if alpha <= 2.0 {
            prop_assert!((rho - 1.0).abs() <= NEAR_DOUBLE_EIGEN_TOL, "rho {rho}");
        } else {
            let centre = 1.0 - alpha * alpha / 2.0;
            let expected = centre.abs() + (centre * centre - 1.0).sqrt();
            prop_assert!((rho - expected).abs() <= eigen_tolerance(&j) * expected);
            prop_assert!(rho > 1.0);
        }
    }

    /// WGAN with clipping: |psi_k| <= c after the first step; simultaneous
    /// steps keep |x_k| >= min(|x_0|, c), alternating ones keep
    /// Q_k >= min(Q_0, (1 - h^2/4) c^2): no convergence to the equilibrium.
    #[test]
    fn e1_clipped_wgan_does_not_converge(
        theta in -3.0f64..3.0, psi in -3.0f64..3.0, h in 0.01f64..1.5, c in 0.05f64..2.0,
    ) {
        prop_assume!(theta.hypot(psi) > 1e-3);
        let method = Method::wgan_clipped(c).unwrap();
        let start = Point::new(theta, psi);
        let steps = 300;
        let slack = 1.0 - Q_ULPS_PER_STEP * EPS * steps as f64;
        let run = trajectory(&method, Update::Simultaneous, start, h, steps).unwrap();
        for p in &run.points[1..] {
            prop_assert!(p.psi.abs() <= c);
            prop_assert!(p.norm() >= start.norm().min(c) * slack);
        }
        let run = trajectory(&method, Update::Alternating, start, h, steps).unwrap();
        let q = |p: Point| p.theta * p.theta + p.psi * p.psi + h * p.theta * p.psi;
        let bound = q(start).min((1.0 - h * h / 4.0) * c * c);
        for p in &run.points[1..] {
            prop_assert!(p.psi.abs() <= c);
            prop_assert!(q(*p) >= bound * slack, "{} < {bound}", q(*p));
        }
    }

    /// R1, simultaneous steps with h < gamma / f'(0)^2 (complex eigenvalues):
    /// the distance after N steps is below the bound derived from the
    /// spectral radius rho = sqrt(1 - h gamma + h^2 f'(0)^2) (see the proof).
    #[test]
    fn e1_r1_converges_at_the_spectral_rate(
        gamma in 0.1f64..0.9, h_fraction in 0.05f64..0.9, theta in -0.3f64..0.3, psi in -0.3f64..0.3,
    ) {
        let a = GAN_F1_AT_0;
        let h = h_fraction * gamma / (a * a) / 2.0;
        let start = Point::new(theta, psi);
        prop_assume!(start.norm() > 1e-3);
        let (upper, rho) = r1_upper_bound(gamma, h, start, 300);
        prop_assert!((rho - (1.0 - h * gamma + h * h * a * a).sqrt()).abs() <= EIGEN_ULPS * EPS);
        prop_assert!(rho < 1.0);
        let run = trajectory(&Method::r1(gamma).unwrap(), Update::Simultaneous, start, h, 300).unwrap();
        prop_assert!(run.points[300].norm() <= upper, "{} > {upper}", run.points[300].norm());
    }

    /// Never NaN: fields, Jacobians and losses of every method at extreme
    /// finite points.
    #[test]
    fn e1_no_nan_at_extreme_points(
        theta in prop_oneof![-1e300f64..1e300, -1e3f64..1e3, Just(0.0), Just(f64::MAX)],
        psi in prop_oneof![-1e300f64..1e300, -1e-150f64..1e-150, Just(0.0), Just(-f64::MAX)],
    ) {
        let at = Point::new(theta, psi);
        for method in methods(2.0, 1.5, 1.0) {
            let v = method.vector_field(at);
            prop_assert!(!v.theta.is_nan() && !v.psi.is_nan(), "{} {at:?} {v:?}", method.name());
            prop_assert!(!method.jacobian(at).iter().any(|x| x.is_nan()), "{} {at:?}", method.name());
            let l = method.losses(at);
            prop_assert!(!l.generator.is_nan() && !l.discriminator.is_nan(), "{} {at:?}", method.name());
        }
    }
}

/// The upper bound on |x_N| for simultaneous R1 steps: in the normal-form
/// coordinates y = P^-1 x of the step's Jacobian A = I + hJ,
/// |y_{k+1}| <= rho |y_k| + h |P^-1| |x_k|^3 / 8 + rounding, |x_k| <= |P| |y_k|.
fn r1_upper_bound(gamma: f64, h: f64, start: Point, steps: usize) -> (f64, f64) {
    let method = Method::r1(gamma).unwrap();
    let form = NormalForm::of(&Update::Simultaneous.equilibrium_jacobian(&method, h)).unwrap();
    let (p, inv) = (form.basis.norm(), form.inverse.norm());
    let mut upper = (form.inverse * Vector2::new(start.theta, start.psi)).norm();
    for _ in 0..steps {
        let x = p * upper;
        // |v(x) - Jx| <= |x|^3 / 8 (|f''| <= 1/4, |theta psi| <= |x|^2 / 2).
        upper =
            form.rate * upper + h * inv * x.powi(3) / 8.0 + CONTRACTION_ULPS * EPS * inv * 2.0 * x;
    }
    (p * upper, form.rate)
}

/// R1 with a step above gamma / f'(0)^2 is not locally convergent: the
/// step's spectral radius exceeds 1 and the iterates move away.
#[test]
fn e1_r1_needs_a_small_step() {
    let (gamma, h) = (0.1, 0.5);
    let method = Method::r1(gamma).unwrap();
    let rho = spectral_radius(&Update::Simultaneous.equilibrium_jacobian(&method, h));
    let expected = (1.0 - h * gamma + h * h * GAN_F1_AT_0 * GAN_F1_AT_0).sqrt();
    assert!((rho - expected).abs() <= EIGEN_ULPS * EPS && rho > 1.0);
    let run = trajectory(&method, Update::Simultaneous, Point::new(1e-3, 0.0), h, 200).unwrap();
    assert!(run.points[200].norm() > run.points[0].norm());
}

/// The unregularised GAN never converges under simultaneous steps: along a
/// 2000-step run the identity holds at every step and the norm grows at
/// every step; the final norm squared is the product of the factors.
#[test]
fn e1_gan_simultaneous_run_spirals_out() {
    let h = 0.05;
    let run = trajectory(
        &Method::Gan,
        Update::Simultaneous,
        Point::new(0.3, 0.4),
        h,
        2000,
    )
    .unwrap();
    let mut product = run.points[0].norm_squared();
    for pair in run.points.windows(2) {
        let d = gan_f1(pair[0].theta * pair[0].psi);
        product *= 1.0 + h * h * d * d;
        assert!(pair[1].norm_squared() > pair[0].norm_squared());
    }
    let last = run.points[2000].norm_squared();
    assert!((last - product).abs() <= 2000.0 * GROWTH_ULPS * EPS * last);
}

/// RK4 on the WGAN flow multiplies |x|^2 by exactly
/// |R(i dt)|^2 = 1 - dt^6/72 + dt^8/576 per step (R the RK4 stability
/// polynomial), the continuous flow conserving it.
#[test]
fn e1_rk4_flow_of_wgan_matches_its_stability_polynomial() {
    let dt: f64 = 0.1;
    let steps = 1000;
    let run = trajectory(
        &Method::wgan(),
        Update::Rk4Flow,
        Point::new(1.0, 0.0),
        dt,
        steps,
    )
    .unwrap();
    let factor = 1.0 - dt.powi(6) / 72.0 + dt.powi(8) / 576.0;
    let expected = factor.powi(steps as i32);
    let last = run.points[steps].norm_squared();
    assert!(
        (last - expected).abs() <= steps as f64 * GROWTH_ULPS * EPS,
        "{last} vs {expected}"
    );
    // Reference: 1 - 1e-6/72 + 1e-8/576 = 0.99999998612847222...
    assert!((factor - 0.999999986128472222222222222222).abs() <= FORMULA_ULPS * EPS);
}

/// The RK4 update's Jacobian at the equilibrium is R(hJ), and for the GAN
/// its eigenvalues have modulus |R(i h/2)| < 1 (RK4 damps the rotation
/// slightly, unlike Euler steps, which amplify it).
#[test]
fn e1_rk4_step_jacobian() {
    let h: f64 = 0.2;
    let j = Update::Rk4Flow.equilibrium_jacobian(&Method::Gan, h);
    let w = h * GAN_F1_AT_0;
    let modulus_squared = 1.0 - w.powi(6) / 72.0 + w.powi(8) / 576.0;
    let rho = spectral_radius(&j);
    assert!((rho * rho - modulus_squared).abs() <= eigen_tolerance(&j));
}

/// Instance noise: the quadrature against an independent Simpson rule.
#[test]
fn e1_instance_noise_field_matches_simpson_reference() {
    for (theta, psi, sigma) in [
        (0.5, 1.0, 1.0),
        (-1.2, 0.3, 0.4),
        (0.1, -2.0, 1.5),
        (2.0, 0.7, 2.5),
    ] {
        let method = Method::instance_noise(sigma).unwrap();
        let v = method.vector_field(Point::new(theta, psi));
        let generated = |g: &dyn Fn(f64) -> f64| simpson(|z| g(theta + sigma * z));
        let data = |g: &dyn Fn(f64) -> f64| simpson(|z| g(sigma * z));
        let v_theta = -psi * generated(&|x| gan_f1(psi * x));
        let v_psi = generated(&|x| x * gan_f1(psi * x)) + data(&|x| x * gan_f1(psi * x));
        assert!(
            (v.theta - v_theta).abs() <= SIMPSON_TOL,
            "{} vs {v_theta}",
            v.theta
        );
        assert!((v.psi - v_psi).abs() <= SIMPSON_TOL, "{} vs {v_psi}", v.psi);
    }
}

/// `E g(z)`, `z ~ N(0, 1)`, by Simpson's rule on [-10, 10] with 2e5 intervals.
fn simpson(g: impl Fn(f64) -> f64) -> f64 {
    let n = 200_000;
    let s = 20.0 / n as f64;
    let weight = |i: usize| match i {
        0 => 1.0,
        i if i == n => 1.0,
        i if i % 2 == 1 => 4.0,
        _ => 2.0,
    };
    let density = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let terms = (0..=n).map(|i| {
        let z = -10.0 + i as f64 * s;
        weight(i) * g(z) * density(z)
    });
    common::sum(terms) * s / 3.0
}

/// Instance noise: symmetric noise gives v_theta = -psi/2 exactly at theta = 0,
/// and for a steep discriminator (psi sigma = 1e6) f' is nearly a step:
/// E f'(w) -> Phi(z0), E x f'(w) -> theta Phi(z0) - sigma phi(z0), z0 = -theta/sigma
/// (references from erfc in double precision, sigma = 1/2, the data term
/// -sigma phi(0) included in v_psi).
#[test]
fn e1_instance_noise_limits() {
    for (psi, sigma) in [(0.3, 1.0), (4.0, 2.0), (1e6, 0.5)] {
        let v = Method::instance_noise(sigma)
            .unwrap()
            .vector_field(Point::new(0.0, psi));
        assert!(
            (v.theta + psi / 2.0).abs() <= FORMULA_ULPS * EPS * psi,
            "{} vs {}",
            v.theta,
            -psi / 2.0
        );
    }
    let (psi, sigma) = (2e6, 0.5);
    let references = [
        (-0.7, 0.9192433407662289, -0.917805211554949),
        (0.0, 0.5, -0.3989422804014327),
        (0.3, 0.2742531177500736, -0.2838075063215941),
        (1.1, 0.01390344751349861, -0.2019146443589836),
    ];
    for (theta, mean_f1, v_psi) in references {
        let v = Method::instance_noise(sigma)
            .unwrap()
            .vector_field(Point::new(theta, psi));
        assert!(
            (v.theta / -psi - mean_f1).abs() <= STEP_LIMIT_TOL,
            "theta {theta}: {}",
            v.theta / -psi
        );
        assert!(
            (v.psi - v_psi).abs() <= STEP_LIMIT_TOL,
            "theta {theta}: {}",
            v.psi
        );
    }
}

/// R1 and R2 coincide on the Dirac-GAN (grad_x D = psi everywhere); the
/// clipped and unclipped WGAN have the same field; the analytic Jacobian at
/// the origin is the equilibrium Jacobian.
#[test]
fn e1_equivalent_fields() {
    let (r1, r2) = (Method::r1(0.7).unwrap(), Method::r2(0.7).unwrap());
    let clipped = Method::wgan_clipped(0.2).unwrap();
    for (theta, psi) in [(0.3, -1.2), (2.0, 0.5), (-0.1, 0.0)] {
        let p = Point::new(theta, psi);
        assert_eq!(r1.vector_field(p), r2.vector_field(p));
        assert_eq!(Method::wgan().vector_field(p), clipped.vector_field(p));
    }
    for method in methods(0.8, 0.6, 0.3) {
        let gap = (method.jacobian(Point::new(0.0, 0.0)) - method.equilibrium_jacobian())
            .abs()
            .max();
        assert!(gap <= QUADRATURE_TOL, "{}: {gap:e}", method.name());
    }
}

/// WGAN-GP: where |theta| + gamma |psi| < gamma g0 and psi != 0, every step
/// moves |psi| up (the penalty's pull towards |psi| = g0 beats the game), so
/// trajectories starting there leave the region instead of converging.
#[test]
fn e1_wgan_gp_is_repelled_from_the_equilibrium() {
    let (gamma, h) = (1.0, 0.05);
    let method = Method::wgan_gp(gamma).unwrap();
    let inside = |p: Point| p.theta.abs() + gamma * p.psi.abs() < gamma;
    for start in [
        Point::new(0.01, 1e-6),
        Point::new(-0.5, -1e-3),
        Point::new(0.2, 0.3),
    ] {
        let run = trajectory(&method, Update::Simultaneous, start, h, 400).unwrap();
        let mut left = false;
        for pair in run.points.windows(2) {
            if !inside(pair[0]) {
                left = true;
                break;
            }
            assert!(pair[1].psi.abs() > pair[0].psi.abs(), "{:?}", pair);
        }
        assert!(left, "from {start:?} the run stayed in the region");
    }
}

/// Trajectories record start plus one point per step, each the update of
/// the previous one; the runs are reproducible bit for bit.
#[test]
fn e1_trajectories_are_recorded() {
    let h = Positive::new(0.1).unwrap();
    for update in [Update::Simultaneous, Update::Alternating, Update::Rk4Flow] {
        for method in methods(0.5, 0.8, 0.4) {
            let start = Point::new(0.8, -0.3);
            let run = trajectory(&method, update, start, 0.1, 20).unwrap();
            assert_eq!(run.points.len(), 21);
            assert_eq!(run.points[0], start);
            assert_eq!(
                (run.update, run.method, run.step_size),
                (update, method, 0.1)
            );
            for pair in run.points.windows(2) {
                assert_eq!(method.step(update, h, pair[0]).unwrap(), pair[1]);
            }
            assert_eq!(trajectory(&method, update, start, 0.1, 20).unwrap(), run);
        }
    }
    // Zero steps: just the start.
    let run = trajectory(
        &Method::Gan,
        Update::Alternating,
        Point::new(1.0, 2.0),
        0.1,
        0,
    )
    .unwrap();
    assert_eq!(run.points, vec![Point::new(1.0, 2.0)]);
}

/// Bad input gives typed errors, never a panic or NaN.
#[test]
fn e1_bad_input_is_a_typed_error() {
    let invalid = |r: Result<Method, Error>, expected: &str| match r {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, expected),
        other => panic!("expected InvalidParameter({expected}), got {other:?}"),
    };
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        invalid(Method::r1(bad), "gamma");
        invalid(Method::r2(bad), "gamma");
        invalid(Method::consensus(bad), "gamma");
        invalid(Method::wgan_gp(bad), "gamma");
        invalid(Method::wgan_gp_with_target(1.0, bad), "g0");
        invalid(Method::instance_noise(bad), "sigma");
        invalid(Method::wgan_clipped(bad), "c");
        assert!(matches!(
            Positive::new(bad),
            Err(Error::InvalidParameter { .. })
        ));
        let run = trajectory(
            &Method::Gan,
            Update::Simultaneous,
            Point::new(1.0, 0.0),
            bad,
            3,
        );
        assert!(matches!(
            run,
            Err(Error::InvalidParameter {
                name: "step_size",
                ..
            })
        ));
        assert!(matches!(
            Method::Gan.jacobian_fd(Point::new(0.0, 0.0), bad),
            Err(Error::InvalidParameter { name: "step", .. })
        ));
    }
    for start in [Point::new(f64::NAN, 0.0), Point::new(0.0, f64::INFINITY)] {
        let run = trajectory(&Method::Gan, Update::Simultaneous, start, 0.1, 3);
        assert!(
            matches!(run, Err(Error::InvalidParameter { .. })),
            "{run:?}"
        );
    }
    let run = trajectory(
        &Method::Gan,
        Update::Simultaneous,
        Point::new(1.0, 0.0),
        0.1,
        MAX_STEPS + 1,
    );
    assert!(matches!(
        run,
        Err(Error::InvalidParameter { name: "steps", .. })
    ));
    // A run that overflows is reported, not recorded as inf or NaN.
    let run = trajectory(
        &Method::wgan(),
        Update::Simultaneous,
        Point::new(1e300, 1e300),
        1e10,
        10,
    );
    assert!(matches!(run, Err(Error::NotConverged { .. })), "{run:?}");
}

/// The normal form makes the step's norm equal to its spectral radius:
/// |P^-1 A P|_2 = rho, for complex and real eigenvalues.
#[test]
fn e1_normal_form_norm_is_the_spectral_radius() {
    for (gamma, h) in [(0.5, 0.1), (3.0, 0.2), (0.3, 1.0)] {
        let a = Update::Simultaneous.equilibrium_jacobian(&Method::r1(gamma).unwrap(), h);
        let form = NormalForm::of(&a).unwrap();
        let b = form.inverse * a * form.basis;
        let norm = b.singular_values().max();
        assert!(
            (norm - form.rate).abs() <= NORMAL_FORM_TOL,
            "gamma {gamma}: {norm} vs {}",
            form.rate
        );
        assert!((form.rate - spectral_radius(&a)).abs() <= FORMULA_ULPS * EPS);
    }
    // A repeated eigenvalue (gamma = 2 f'(0) = 1): no such basis.
    let a = Method::r1(1.0).unwrap().equilibrium_jacobian();
    assert_eq!(NormalForm::of(&a), None);
}

proptest! {
    #![proptest_config(common::config(64))]

    /// The non-saturating field points inwards: x · v = -t tanh(t/2) <= 0 with
    /// t = theta psi (the GAN's field is orthogonal to x), so its flow never
    /// moves away from the equilibrium although its linearisation rotates.
    #[test]
    fn e1_non_saturating_field_points_inwards(theta in -4.0f64..4.0, psi in -4.0f64..4.0) {
        let x = Point::new(theta, psi);
        let t = theta * psi;
        let v = Method::NonSaturating.vector_field(x);
        let inner = theta * v.theta + psi * v.psi;
        let expected = -t * (0.5 * t).tanh();
        let tolerance = FIELD_IDENTITY_ULPS * EPS * (1.0 + t.abs());
        prop_assert!((inner - expected).abs() <= tolerance);
        prop_assert!(inner <= tolerance);
        let gan = Method::Gan.vector_field(x);
        prop_assert!((theta * gan.theta + psi * gan.psi).abs() <= tolerance);
    }
}

/// Instance noise so wide that `theta + sigma z` overflows on the
/// quadrature's nodes (`sigma` near `f64::MAX / 9`, or `theta` near
/// `f64::MAX`): the field, Jacobian and losses may overflow to ±inf but are
/// never NaN (they were: `0 · inf` at `psi = 0`, `inf - inf` between the
/// nodes at `z = ±9`).
#[test]
fn e1_instance_noise_wider_than_the_float_range_is_never_nan() {
    let extremes = [0.0, 1e-300, 0.5, 1e10, 1e300, f64::MAX];
    for sigma in [1.0, 1e300, 1e307, f64::MAX] {
        let method = Method::instance_noise(sigma).unwrap();
        for &theta in &extremes {
            for &psi in &extremes {
                for at in [
                    Point::new(theta, psi),
                    Point::new(-theta, psi),
                    Point::new(theta, -psi),
                ] {
                    let v = method.vector_field(at);
                    assert!(
                        !v.theta.is_nan() && !v.psi.is_nan(),
                        "sigma {sigma:e} {at:?}: {v:?}"
                    );
                    let j = method.jacobian(at);
                    assert!(!j.iter().any(|x| x.is_nan()), "sigma {sigma:e} {at:?}: {j}");
                    let l = method.losses(at);
                    assert!(
                        !l.generator.is_nan() && !l.discriminator.is_nan(),
                        "sigma {sigma:e} {at:?}: {l:?}"
                    );
                }
            }
        }
    }
}

/// Penalty weights near the top of the float range: the eigenvalues at the
/// equilibrium are finite and negative (about `-gamma` and `-k / gamma`,
/// `k = f'(0)^2` for R1, 1 for WGAN-GP), from the closed form and from the
/// matrix; squaring `gamma` used to overflow and give `+inf` (an unstable
/// eigenvalue) and `-inf`.
#[test]
fn e1_huge_penalty_eigenvalues_do_not_overflow() {
    /// Both routes round a handful of operations on exactly scaled numbers.
    const RELATIVE: f64 = 8.0 * EPS;
    for gamma in [1e160, 1e300, f64::MAX / 2.0] {
        for (method, k) in [
            (Method::r1(gamma).unwrap(), 0.25),
            (Method::wgan_gp(gamma).unwrap(), 1.0),
        ] {
            let expected = [-k / gamma, -gamma];
            for (route, [hi, lo]) in [
                ("closed form", method.closed_form_eigenvalues()),
                ("matrix", eigenvalues(&method.equilibrium_jacobian())),
            ] {
                for (z, e) in [(hi, expected[0]), (lo, expected[1])] {
                    assert!(
                        z.im == 0.0 && ((z.re - e) / e).abs() <= RELATIVE,
                        "{method} {route}: {z} vs {e:e}"
                    );
                }
            }
        }
    }
}

/// Instance noise wide enough that `f''(0) sigma^2` overflows: the closed
/// form's eigenvalues are `-inf` and `-0` (the true ones are beyond the
/// float range and about `-a^2 / (|b| sigma^2)`), never NaN.
#[test]
fn e1_huge_noise_closed_form_is_never_nan() {
    for sigma in [1e160, 1e300, f64::MAX] {
        let [hi, lo] = Method::instance_noise(sigma)
            .unwrap()
            .closed_form_eigenvalues();
        assert!(
            hi.re <= 0.0 && hi.re.is_finite() && hi.im == 0.0,
            "{sigma:e}: {hi}"
        );
        assert!(
            lo.re == f64::NEG_INFINITY && lo.im == 0.0,
            "{sigma:e}: {lo}"
        );
    }
}

/// Central differences whose shifted points leave the float range are a
/// typed error, not a Jacobian of NaN.
#[test]
fn e1_jacobian_fd_beyond_the_float_range_is_an_error() {
    for (at, step) in [
        (Point::new(f64::MAX, 0.0), 1e300),
        (Point::new(-f64::MAX, 0.0), 1e300),
        (Point::new(0.0, f64::MAX), 1e300),
        (Point::new(0.0, -f64::MAX), 1e300),
    ] {
        for method in methods(1.0, 1.0, 1.0) {
            match method.jacobian_fd(at, step) {
                Err(Error::InvalidParameter { .. }) => {}
                other => panic!("{method} at {at:?}: {other:?}"),
            }
        }
    }
    // Where the shifted points are finite the differences are finite.
    let j = Method::Gan
        .jacobian_fd(Point::new(1e300, 1e-300), 1e290)
        .unwrap();
    assert!(j.iter().all(|x| !x.is_nan()), "{j}");
}

/// The scaling by a power of two near the largest entry is skipped for the
/// zero matrix (there is no such power): its eigenvalues are 0, 0, not NaN;
/// and it leaves tiny and huge matrices' eigenvalues exact where they are
/// representable.
#[test]
fn eigenvalues_of_zero_tiny_and_huge_matrices() {
    let zero = eigenvalues(&Matrix2::zeros());
    assert!(
        zero.iter().all(|z| z.re == 0.0 && z.im == 0.0),
        "zero matrix: {zero:?}"
    );
    for scale in [1e-300, 5e-324, 1e300, f64::MAX / 2.0] {
        let [a, b] = eigenvalues(&Matrix2::new(scale, 0.0, 0.0, -scale));
        assert_eq!(
            (a.re, a.im, b.re, b.im),
            (scale, 0.0, -scale, 0.0),
            "scale {scale:e}"
        );
    }
}

/// Matrices `t B` with small integer `B` and `t` a power of two so tiny or
/// huge that `det(t B) = t^2 det B` underflows to 0 or overflows to ±inf
/// (or NaN, inf - inf): the small root comes from the scaled entries, and
/// since every step is exact on these numbers the eigenvalues are `t` times
/// the integer eigenvalues of `B` (trace and determinant by hand) exactly.
/// Off-diagonal entries make `q r` matter, and both signs of the small
/// root occur.
#[test]
fn eigenvalues_of_tiny_and_huge_non_diagonal_matrices() {
    // (B, its eigenvalues): trace 1, det -6; trace 5, det 4; trace 5, det 6.
    let cases = [
        ([1.0, 2.0, 3.0, 0.0], [3.0, -2.0]),
        ([3.0, 1.0, 2.0, 2.0], [4.0, 1.0]),
        ([0.0, -2.0, 3.0, 5.0], [3.0, 2.0]),
    ];
    for t in [2f64.powi(-1000), 2f64.powi(1020), 5e-324] {
        for ([p, q, r, s], [hi, lo]) in cases {
            let m = Matrix2::new(p * t, q * t, r * t, s * t);
            let det = m[(0, 0)] * m[(1, 1)] - m[(0, 1)] * m[(1, 0)];
            assert!(!det.is_normal(), "{t:e}: det {det:e} is representable");
            let [a, b] = eigenvalues(&m);
            assert_eq!(
                (a.re, a.im, b.re, b.im),
                (hi * t, 0.0, lo * t, 0.0),
                "t {t:e}, B {:?}",
                [p, q, r, s]
            );
        }
    }
}

/// `sorted` puts the larger imaginary part first, then the larger real
/// part, and leaves an ordered or tied pair as it is (hand-made pairs).
#[test]
fn sorted_orders_by_imaginary_then_real_part() {
    let c = Complex::new;
    let cases = [
        // (input, expected)
        ([c(0.0, 1.0), c(0.0, -1.0)], [c(0.0, 1.0), c(0.0, -1.0)]),
        ([c(0.0, -1.0), c(0.0, 1.0)], [c(0.0, 1.0), c(0.0, -1.0)]),
        ([c(5.0, -2.0), c(-7.0, 3.0)], [c(-7.0, 3.0), c(5.0, -2.0)]),
        ([c(2.0, 0.0), c(1.0, 0.0)], [c(2.0, 0.0), c(1.0, 0.0)]),
        ([c(1.0, 0.0), c(2.0, 0.0)], [c(2.0, 0.0), c(1.0, 0.0)]),
        ([c(-3.0, 0.5), c(4.0, 0.5)], [c(4.0, 0.5), c(-3.0, 0.5)]),
        ([c(1.0, 1.0), c(1.0, 1.0)], [c(1.0, 1.0), c(1.0, 1.0)]),
    ];
    for (input, expected) in cases {
        assert_eq!(sorted(input), expected, "{input:?}");
    }
}

/// `eigenvalue_distance` on hand-computed pairs (dyadic and 3-4-5 numbers,
/// so every difference and modulus is exact): the larger `|a_i - b_j|` of
/// the better of the two matchings, whichever of them that is; 0 for the
/// same multiset in either order; symmetric.
#[test]
fn eigenvalue_distance_is_the_better_matching_on_hand_computed_pairs() {
    let c = Complex::new;
    let cases = [
        // Same multiset, either order.
        (
            [c(0.0, 1.0), c(0.0, -1.0)],
            [c(0.0, 1.0), c(0.0, -1.0)],
            0.0,
        ),
        (
            [c(0.0, 1.0), c(0.0, -1.0)],
            [c(0.0, -1.0), c(0.0, 1.0)],
            0.0,
        ),
        // Crossed matching wins: |i - 1.5i| = 0.5, |-i - (0.25 - i)| = 0.25;
        // straight would be |i - (0.25 - i)| = sqrt(4.0625) > 2.
        (
            [c(0.0, 1.0), c(0.0, -1.0)],
            [c(0.25, -1.0), c(0.0, 1.5)],
            0.5,
        ),
        // The same pair swapped: the straight matching wins with 0.5.
        (
            [c(0.0, 1.0), c(0.0, -1.0)],
            [c(0.0, 1.5), c(0.25, -1.0)],
            0.5,
        ),
        // Straight: |0 - (3 + 4i)| = 5, |10 - 10| = 0; crossed 10 and sqrt(65).
        (
            [c(0.0, 0.0), c(10.0, 0.0)],
            [c(3.0, 4.0), c(10.0, 0.0)],
            5.0,
        ),
        // Crossed: |0 - 0| = 0, |10 - (13 + 4i)| = 5; straight 13.6 and 10.
        (
            [c(0.0, 0.0), c(10.0, 0.0)],
            [c(13.0, 4.0), c(0.0, 0.0)],
            5.0,
        ),
        // Real pairs: straight max(1, 2) = 2, crossed max(6, 3) = 6.
        (
            [c(2.0, 0.0), c(-1.0, 0.0)],
            [c(3.0, 0.0), c(-3.0, 0.0)],
            2.0,
        ),
    ];
    for (a, b, expected) in cases {
        assert_eq!(eigenvalue_distance(&a, &b), expected, "{a:?} {b:?}");
        assert_eq!(eigenvalue_distance(&b, &a), expected, "{b:?} {a:?}");
    }
}

/// The normal form of triangular and diagonal matrices with distinct real
/// eigenvalues (the `q = 0` branches): `P^-1 A P` is the diagonal of the
/// eigenvalues found by hand (the diagonal entries), `P P^-1 = I`, and the
/// rate is the larger modulus; a diagonal matrix keeps the axes.
#[test]
fn normal_form_of_triangular_and_diagonal_matrices() {
    // (A, its eigenvalues larger first)
    let cases = [
        (Matrix2::new(2.0, 0.0, 1.0, -1.0), [2.0, -1.0]),
        (Matrix2::new(-3.0, 0.0, 0.5, 0.25), [0.25, -3.0]),
        (Matrix2::new(0.5, 2.0, 0.0, -0.75), [0.5, -0.75]),
        (Matrix2::new(3.0, 0.0, 0.0, -1.0), [3.0, -1.0]),
    ];
    for (a, [l1, l2]) in cases {
        let form = NormalForm::of(&a).unwrap();
        let d = form.inverse * a * form.basis;
        let expected = Matrix2::new(l1, 0.0, 0.0, l2);
        assert!(
            (d - expected).abs().max() <= NORMAL_FORM_TOL,
            "{a}: P^-1 A P = {d}"
        );
        assert!(
            (form.basis * form.inverse - Matrix2::identity())
                .abs()
                .max()
                <= NORMAL_FORM_TOL,
            "{a}"
        );
        assert_eq!(form.rate, l1.abs().max(l2.abs()), "{a}");
    }
    let form = NormalForm::of(&Matrix2::new(3.0, 0.0, 0.0, -1.0)).unwrap();
    assert_eq!(form.basis, Matrix2::identity());
}

/// `Point::is_finite` needs both coordinates finite.
#[test]
fn point_is_finite_needs_both_coordinates() {
    assert!(Point::new(1.0, -2.0).is_finite());
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert!(!Point::new(bad, 0.0).is_finite());
        assert!(!Point::new(0.0, bad).is_finite());
        assert!(!Point::new(bad, bad).is_finite());
    }
}

/// The short names for reports, as listed in `Method::name`'s match.
#[test]
fn method_names() {
    let names = [
        (Method::Gan, "GAN"),
        (Method::NonSaturating, "non-saturating GAN"),
        (Method::wgan(), "WGAN"),
        (Method::wgan_clipped(0.5).unwrap(), "WGAN (clipped)"),
        (Method::wgan_gp(1.0).unwrap(), "WGAN-GP"),
        (Method::instance_noise(1.0).unwrap(), "instance noise"),
        (Method::r1(1.0).unwrap(), "R1"),
        (Method::r2(1.0).unwrap(), "R2"),
        (Method::consensus(1.0).unwrap(), "consensus optimisation"),
    ];
    for (method, name) in names {
        assert_eq!(method.name(), name);
    }
    // Display: the name with the parameters.
    for (method, text) in [
        (Method::Gan, "GAN"),
        (Method::wgan(), "WGAN"),
        (
            Method::wgan_clipped(0.5).unwrap(),
            "WGAN (clipped to c = 0.5)",
        ),
        (
            Method::wgan_gp_with_target(2.0, 0.5).unwrap(),
            "WGAN-GP (gamma = 2, g0 = 0.5)",
        ),
        (
            Method::instance_noise(0.25).unwrap(),
            "instance noise (sigma = 0.25)",
        ),
        (Method::r1(0.3).unwrap(), "R1 (gamma = 0.3)"),
        (Method::r2(0.3).unwrap(), "R2 (gamma = 0.3)"),
        (
            Method::consensus(0.5).unwrap(),
            "consensus optimisation (gamma = 0.5)",
        ),
    ] {
        assert_eq!(method.to_string(), text);
    }
}

/// WGAN-GP's field at and beside `psi = 0` (gamma = 2, g0 = 1/2, theta =
/// 1/4, all exact): `sign 0 = 0` there, so the penalty pulls nothing and
/// `v = (-psi, theta)`; just above and below, the pull is `psi -+ g0` and
/// `v_psi` is `theta + gamma g0 = 5/4` and `theta - gamma g0 = -3/4` (the
/// tiny `psi` is absorbed by the rounding): the documented jump of
/// `2 gamma g0 = 2`.
#[test]
fn wgan_gp_field_at_and_beside_psi_zero() {
    let method = Method::wgan_gp_with_target(2.0, 0.5).unwrap();
    for psi in [0.0, -0.0] {
        let v = method.vector_field(Point::new(0.25, psi));
        assert_eq!((v.theta, v.psi), (0.0, 0.25), "psi {psi}");
    }
    let above = method.vector_field(Point::new(0.25, 1e-300));
    assert_eq!((above.theta, above.psi), (-1e-300, 1.25));
    let below = method.vector_field(Point::new(0.25, -1e-300));
    assert_eq!((below.theta, below.psi), (1e-300, -0.75));
}

/// The GAN's objective `L = f(psi theta) + f(0)`, `f(t) = -ln(1 + e^-t)`,
/// against hand values: at `theta psi = 0`, `2 f(0) = -ln 4`; at
/// `theta psi = ln 3`, `f = -ln(4/3)` and `L = -ln(8/3)`; the
/// non-saturating generator's `-f(-t)` is `ln(1 + e^t) = ln 4` there.
/// (`ln 3` rounded moves `f` by at most its half ulp, `f' <= 1`: within
/// FORMULA_ULPS.)
#[test]
fn gan_losses_against_hand_values() {
    let close = |x: f64, y: f64| (x - y).abs() <= FORMULA_ULPS * EPS * y.abs();
    let at_zero = Method::Gan.losses(Point::new(0.0, 0.0));
    let ln4 = 4f64.ln();
    assert!(close(at_zero.generator, -ln4) && close(at_zero.discriminator, -ln4));
    let at = Point::new(3f64.ln(), 1.0);
    let expected = -(8.0f64 / 3.0).ln();
    for method in [Method::Gan, Method::NonSaturating] {
        let l = method.losses(at);
        assert!(close(l.discriminator, expected), "{method}: {l:?}");
    }
    assert!(close(Method::Gan.losses(at).generator, expected));
    let ns = Method::NonSaturating.losses(at).generator;
    assert!(close(ns, ln4), "{ns} vs ln 4");
}

/// Roots of a discriminant formed exactly: three roundings (the centre,
/// `sqrt(d)`, their sum or difference), each at most half an ulp of a number
/// no larger than the larger root, so 1.5 EPS |larger root| at most; 4
/// leaves room.
const EXACT_DISCRIMINANT_ULPS: f64 = 4.0;

/// Both roots small against the entries (about 1e-8 where q = 1), with the
/// discriminant formed exactly: (p - s)/2 is a power of two, so its square
/// is exact, q r = r, and q r lies within a factor 2 of -((p - s)/2)^2, so
/// their sum is exact (Sterbenz). Then `centre ∓ sqrt(d)` errs by at most
/// `EXACT_DISCRIMINANT_ULPS` ulps of the larger root, while `det / big`
/// would carry det's rounding, EPS |p s| / |big|, millions of times more;
/// so the switch between the two (`big^2 <= |p s| + |q r|`) is checked
/// where it matters, on matrices found by search for it (references from
/// Python's `fractions` and `decimal` at 60 digits, from the same binary
/// entries).
#[test]
fn small_roots_with_an_exact_discriminant_use_the_difference() {
    let cases: [([f64; 4], [f64; 2]); 2] = [
        (
            [
                6.103630883095715e-05,
                1.0,
                -3.7252902393565535e-09,
                -6.103400366904285e-05,
            ],
            [
                8.8405820363778889848066831e-9,
                -6.5354201220808429101777668e-9,
            ],
        ),
        (
            [
                0.00012207095956518106,
                1.0,
                -1.4901160452361802e-08,
                -0.00012206966543481894,
            ],
            [
                2.7877303046018908832985647e-8,
                -2.6583172683901332350346666e-8,
            ],
        ),
    ];
    for ([p, q, r, s], exact) in cases {
        let half_gap = (p - s) / 2.0;
        assert_eq!(
            half_gap,
            f64::exp2(half_gap.log2().round()),
            "not a power of two"
        );
        assert!(q == 1.0 && (0.5..=2.0).contains(&(-r / (half_gap * half_gap))));
        let [a, b] = eigenvalues(&Matrix2::new(p, q, r, s));
        let tolerance = EXACT_DISCRIMINANT_ULPS * EPS * exact[0].abs().max(exact[1].abs());
        for (z, root) in [(a, exact[0]), (b, exact[1])] {
            assert!(
                z.im == 0.0 && (z.re - root).abs() <= tolerance,
                "{z} vs {root} (tolerance {tolerance:e})"
            );
        }
    }
}

/// Matrices whose eigenvalues nearly coincide near 0 while the entries are
/// near 1 (found by search: `d` rounds to exactly 0 and the centre to a few
/// ulps): the eigenvalues against their exact values (mpmath at 60 digits
/// from the same binary entries) within the discriminant's sensitivity. The
/// small root used to be `det / centre`, `det`'s rounding of about 1e-16
/// divided by a centre of 1e-15: 0.087 for a root of 1.4e-8.
#[test]
fn eigenvalues_near_a_double_root_at_zero() {
    let c = Complex::new;
    let cases = [
        (
            Matrix2::new(
                1.2036035716732456,
                -1.5318456800629878,
                0.9456968000099281,
                -1.2036035716732507,
            ),
            [
                c(1.3536041714612041e-08, 0.0),
                c(-1.3536046821637954e-08, 0.0),
            ],
        ),
        (
            Matrix2::new(
                0.9192235490166655,
                -0.9325412806013174,
                0.9060960095213535,
                -0.9192235490166571,
            ),
            [
                c(4.163336342344337e-15, 9.61169368299264e-09),
                c(4.163336342344337e-15, -9.61169368299264e-09),
            ],
        ),
        (
            Matrix2::new(
                0.8071692718006893,
                -1.1352667590113477,
                0.5738935172440256,
                -0.8071692718006805,
            ),
            [
                c(9.068470036988268e-09, 0.0),
                c(-9.068461266226373e-09, 0.0),
            ],
        ),
    ];
    for (m, exact) in cases {
        let tolerance = NEAR_DOUBLE_ROOT_SQRT_EPS * EPS.sqrt() * m.abs().max();
        let computed = eigenvalues(&m);
        assert!(
            eigenvalue_distance(&computed, &exact) <= tolerance,
            "{m}: {computed:?} vs {exact:?}"
        );
        let schur = eigenvalues_nalgebra(&m);
        assert!(
            eigenvalue_distance(&schur, &exact) <= tolerance,
            "{m}: nalgebra {schur:?} vs {exact:?}"
        );
    }
}

/// A multiple of the identity, or a triangular matrix with equal diagonal
/// entries, has the double eigenvalue `a` (d = 0): it comes out exactly,
/// twice, and NormalForm::of refuses it. (For 1.6348606582851883 and about
/// 9% of all `a`, `a^2 / a` rounds to a neighbour of `a`; the small root was
/// that quotient, so `a I` had two eigenvalues an ulp apart and a normal
/// form.) Tiny and huge `a` go through the scaling, exact for them.
#[test]
fn a_double_eigenvalue_is_exact() {
    for a in [1.6348606582851883, 1.5910995829313177, -1.7141294836112024] {
        for scale in [1.0, 2f64.powi(-1000), 2f64.powi(1000)] {
            let a = a * scale;
            for m in [
                Matrix2::new(a, 0.0, 0.0, a),
                Matrix2::new(a, 0.75 * scale, 0.0, a),
                Matrix2::new(a, 0.0, -3.0 * scale, a),
            ] {
                let [x, y] = eigenvalues(&m);
                assert_eq!((x.re, x.im, y.re, y.im), (a, 0.0, a, 0.0), "{m}");
                assert_eq!(NormalForm::of(&m), None, "{m}");
            }
        }
    }
}

/// Two roots small against the entries, taken as `m -+ sqrt(d)`:
/// `t [[1 + 2^-11, 1], [-1 - 2^-11 + 2^-21, -1]]` has trace `t 2^-11` and
/// determinant `-t^2 2^-21` (by hand), so eigenvalues `t 2^-10` and
/// `-t 2^-11`; every step is exact on these dyadic numbers, for `t` a power
/// of two (1, 4, tiny, huge).
#[test]
fn small_roots_of_a_matrix_with_large_entries_are_exact() {
    let (e, f) = (2f64.powi(-11), 2f64.powi(-21));
    for t in [1.0, 4.0, 2f64.powi(-1000), 2f64.powi(1000)] {
        let m = Matrix2::new((1.0 + e) * t, t, (-1.0 - e + f) * t, -t);
        let [a, b] = eigenvalues(&m);
        assert_eq!(
            (a.re, a.im, b.re, b.im),
            (2.0 * e * t, 0.0, -e * t, 0.0),
            "t {t:e}"
        );
    }
}

/// A small root far below the large one keeps its relative accuracy (the
/// quotient `det / big`, where `m - sign(m) sqrt(d)` would cancel to 0):
/// against mpmath at 50 digits. Here `det` and `big` are exact (products
/// and sums of dyadic numbers), so the quotient is within one rounding and
/// the reference within half an ulp: FORMULA_ULPS relative.
#[test]
fn a_tiny_root_beside_a_large_one_keeps_its_digits() {
    let cases = [
        (
            Matrix2::new(1.0, 1.0, 1.0, 1.0 + 2f64.powi(-52)),
            [2.0, 1.1102230246251565e-16],
        ),
        (
            Matrix2::new(1.0, 1.0, 2f64.powi(-60), 0.0),
            [1.0, -8.673617379884035e-19],
        ),
        (
            Matrix2::new(1.0, 0.0, 0.0, 2f64.powi(-60)),
            [1.0, 2f64.powi(-60)],
        ),
    ];
    for (m, exact) in cases {
        let computed = eigenvalues(&m);
        for (z, e) in computed.iter().zip(exact) {
            assert!(
                z.im == 0.0 && (z.re - e).abs() <= FORMULA_ULPS * EPS * e.abs(),
                "{m}: {computed:?} vs {exact:?}"
            );
        }
    }
}

/// The objectives where both of their terms overflow and the sum is
/// finite (inf - inf, computed from the point scaled by m = max(|theta|,
/// |psi|) = 2^520): exact hand values. WGAN-GP at (2^520, 2^519), g0 = 1:
/// `theta psi - (gamma/2)(|psi| - 1)^2 = 2^1039 - (gamma/2)(2^1038 - 2^520
/// + 1)`; with gamma = 4 -+ 2^-38 that is `±2^999 + 2^521 (1 ± 2^-40) - ...`,
/// `±2^999` to within 2^-477 of it, so exactly `±2^999` in f64. Consensus
/// at (2^520, -2^520): `f(t) + f(0) + (gamma/2)(theta^2 + psi^2) f'(t)^2`
/// with `t = -2^1040`, where `f(t) = t` and `f'(t) = 1` to far below an
/// ulp: `-2^1040 + gamma 2^1040 - ln 2`, with gamma = 1 + 2^-41 exactly
/// `2^999` in f64; and at points with unequal coordinates (below).
#[test]
fn objectives_whose_terms_both_overflow() {
    let m = 2f64.powi(520);
    let tiny = 2f64.powi(-38);
    for (gamma, expected) in [(4.0 - tiny, 2f64.powi(999)), (4.0 + tiny, -2f64.powi(999))] {
        let method = Method::wgan_gp(gamma).unwrap();
        let l = method.losses(Point::new(m, m / 2.0));
        assert_eq!(l.discriminator, expected, "{method}");
        assert_eq!(l.generator, f64::INFINITY, "{method}");
    }
    let method = Method::consensus(1.0 + 2f64.powi(-41)).unwrap();
    let l = method.losses(Point::new(m, -m));
    assert_eq!(l.generator, 2f64.powi(999), "{method}");
    assert_eq!(l.discriminator, f64::NEG_INFINITY, "{method}");
    // Unequal coordinates, m = 2^513, gamma = 5/8: t = -2^1025 and
    // (gamma/2)(theta^2 + psi^2) = (5/16)(5/4) 2^1026 both overflow; the sum
    // is (-1/2 + 25/64) 2^1026 = -7 2^1020 (ln 2 far below its ulp).
    let m = 2f64.powi(513);
    let method = Method::consensus(0.625).unwrap();
    for at in [Point::new(m, -m / 2.0), Point::new(-m / 2.0, m)] {
        let l = method.losses(at);
        assert_eq!(l.generator, -7.0 * 2f64.powi(1020), "{at:?}");
        assert_eq!(l.discriminator, f64::NEG_INFINITY, "{at:?}");
    }
}

/// Matrices with an exactly representable double eigenvalue `c` (checked in
/// exact rational arithmetic: `p + s = 2c`, `p s - q r = c^2`; found by
/// search) for which `d` is exactly 0: the eigenvalues are `c` twice, bit
/// for bit, and NormalForm::of refuses them. (The small root was
/// `det / c`, an ulp below `c` for these, and the normal form then existed
/// with a nearly singular basis.)
#[test]
fn an_exact_double_root_is_returned_twice() {
    let cases = [
        (
            [
                0.4335432318579542,
                1.0,
                -4.277584507474119e-05,
                0.4204625827800619,
            ],
            0.42700290731900803,
        ),
        (
            [
                0.23598377682934973,
                0.125,
                -2.6959333625706578e-17,
                0.23598377315788316,
            ],
            0.23598377499361645,
        ),
        (
            [
                0.8415111564521711,
                8.0,
                -6.454063845137606e-18,
                0.841511142081018,
            ],
            0.8415111492665945,
        ),
    ];
    for ([p, q, r, s], c) in cases {
        let m = Matrix2::new(p, q, r, s);
        let [a, b] = eigenvalues(&m);
        assert_eq!((a.re, a.im, b.re, b.im), (c, 0.0, c, 0.0), "{m}");
        assert_eq!(NormalForm::of(&m), None, "{m}");
    }
}

/// The update maps' equilibrium Jacobians for consensus optimisation
/// (gamma = 1: J = [[-1/4, -1/2], [1/2, -1/4]], both diagonal entries
/// nonzero), h = 1/2, from the documented formulas by hand (all dyadic, so
/// exact): simultaneous `I + hJ = [[7/8, -1/4], [1/4, 7/8]]`; alternating
/// `[[1 + h J11 + h^2 J12 J21, h J12 (1 + h J22)], [h J21, 1 + h J22]] =
/// [[13/16, -7/32], [1/4, 7/8]]`.
#[test]
fn update_jacobians_with_a_nonzero_diagonal() {
    let method = Method::consensus(1.0).unwrap();
    assert_eq!(
        method.equilibrium_jacobian(),
        Matrix2::new(-0.25, -0.5, 0.5, -0.25)
    );
    assert_eq!(
        Update::Simultaneous.equilibrium_jacobian(&method, 0.5),
        Matrix2::new(0.875, -0.25, 0.25, 0.875)
    );
    assert_eq!(
        Update::Alternating.equilibrium_jacobian(&method, 0.5),
        Matrix2::new(0.8125, -0.21875, 0.25, 0.875)
    );
}

/// `steps = MAX_STEPS` is allowed (the bound is inclusive): a run that
/// overflows at its first step then reports the overflow, not the count.
/// (The recording buffer is reserved but never touched beyond two points.)
#[test]
fn max_steps_is_allowed() {
    let run = trajectory(
        &Method::wgan(),
        Update::Simultaneous,
        Point::new(1e300, 1e300),
        1e10,
        MAX_STEPS,
    );
    assert!(matches!(run, Err(Error::NotConverged { .. })), "{run:?}");
}

/// A clipped WGAN step projects `psi` onto `[-c, c]` and nothing else
/// (c = 1, h = 1/2, by hand: `(theta - h psi, psi + h theta)` then the clip):
/// inside the box it is the plain step, beyond either end it is the end.
#[test]
fn clipped_wgan_step_projects_onto_the_box() {
    let method = Method::wgan_clipped(1.0).unwrap();
    let h = Positive::new(0.5).unwrap();
    for update in [Update::Simultaneous, Update::Alternating] {
        for (start, expected_psi) in [((1.0, 0.0), 0.5), ((-4.0, 0.0), -1.0), ((4.0, 0.5), 1.0)] {
            let next = method
                .step(update, h, Point::new(start.0, start.1))
                .unwrap();
            assert_eq!(next.psi, expected_psi, "{update:?} from {start:?}");
        }
    }
}

/// The instance-noise moments depend on the noise only through the slope
/// `s = psi sigma` and `z0 = -theta / sigma` (w = s (z - z0)): scaling
/// `(theta, psi, sigma)` to `(k theta, psi / k, k sigma)` with k = 1000
/// keeps `E f'(w) = v_theta / -psi` at the step-limit references of
/// e1_instance_noise_limits (s = 2e6, sigma = 500 instead of 1/2), within
/// the same STEP_LIMIT_TOL. The panels must then follow the slope, not
/// psi or sigma alone.
#[test]
fn e1_instance_noise_depends_on_the_slope() {
    let (psi, sigma) = (4e3, 500.0);
    let method = Method::instance_noise(sigma).unwrap();
    for (theta, mean_f1) in [
        (-0.7, 0.9192433407662289),
        (0.0, 0.5),
        (0.3, 0.2742531177500736),
        (1.1, 0.01390344751349861),
    ] {
        let v = method.vector_field(Point::new(1000.0 * theta, psi));
        assert!(
            (v.theta / -psi - mean_f1).abs() <= STEP_LIMIT_TOL,
            "theta {theta}: {}",
            v.theta / -psi
        );
    }
}
