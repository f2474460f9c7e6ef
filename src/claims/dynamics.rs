//! Claim E1: the Dirac-GAN (Mescheder, Geiger and Nowozin 2018).

use super::{Context, Measurement, rng_for};
use crate::dynamics::linear::{
    NormalForm, eigenvalue_distance, eigenvalues, eigenvalues_nalgebra, spectral_radius,
};
use crate::dynamics::{GAN_F1_AT_0, Method, Point, Positive, Update, gan_f1, trajectory};
use crate::error::Result;
use crate::experiments::dynamics::{R1_GAMMA, STEP_SIZE, STEPS, simultaneous_run};
use crate::tol::EPS;
use nalgebra::{Complex, Matrix2};

/// Step of the central differences for Jacobians.
pub(crate) const FD_STEP: f64 = 1e-5;

/// Central differences with step `d` err by `d^2/6 |v'''|` (the fields'
/// third derivatives near the equilibrium are below 10 for the parameters
/// used: at most `6 gamma f'(0) |f''(0)| = 0.75 gamma` for consensus, a few
/// `sigma^4 |f''''|` for instance noise) plus rounding `EPS |v| / d` with
/// `|v| <= d` there: about 2e-10 in all; 1e-8 leaves a factor 50.
pub(crate) const FD_JACOBIAN_TOL: f64 = 1e-8;

/// Two evaluations of the same eigenvalue formula (closed form from the
/// matrix, the paper's formula, nalgebra's Schur iteration) each round a
/// handful of operations on numbers of the size of the matrix entries:
/// 16 ulps of `1 + max |entry|`.
pub(crate) const EIGEN_ROUNDING_ULPS: f64 = 16.0;

/// One simultaneous step and the identity's two sides each round about ten
/// operations (the sigmoid, two products, a sum per coordinate, the squared
/// norms) with relative error at most 3 ulps each relative to `|x_{k+1}|^2`
/// (the step is a rotation plus a small outward push, no cancellation):
/// 64 ulps of `|x_{k+1}|^2`.
pub(crate) const GROWTH_ROUNDING_ULPS: f64 = 64.0;

/// Each alternating WGAN step rounds two multiply-adds; the conserved
/// quadratic form then moves by at most about 4 ulps per step, and the
/// errors add up over the run: 8 ulps per step.
pub(crate) const Q_ROUNDING_ULPS_PER_STEP: f64 = 8.0;

/// Per step, the computed `x_{k+1}` is the exact update of the computed
/// `x_k` within about 16 ulps of `|x_k|` per coordinate, and `y = P^-1 x`
/// adds 4 ulps of `|P^-1| |x|`: 64 ulps of `|P^-1| (|x_k| + |x_{k+1}|)` in all.
pub(crate) const CONTRACTION_ROUNDING_ULPS: f64 = 64.0;

/// In the normal-form coordinates the alternating step is a rotation by
/// `alpha = arccos(1 - h^2/2)`, and `theta` is a linear function of them, so
/// it changes sign once per half-turn: after `N` steps, `floor` or `ceil` of
/// `N alpha / pi` times, depending on the starting phase (a count, no rounding).
pub(crate) const SIGN_CHANGE_COUNT_TOL: f64 = 1.0;

/// The methods whose equilibrium eigenvalues are checked, with the point at
/// which their Jacobian is taken (WGAN-GP: just above `psi = 0`, where its
/// field is affine, since it jumps across `psi = 0`).
pub(crate) fn checked_methods() -> Result<Vec<(Method, Point)>> {
    let origin = Point::new(0.0, 0.0);
    Ok(vec![
        (Method::Gan, origin),
        (Method::NonSaturating, origin),
        (Method::wgan(), origin),
        (Method::wgan_clipped(0.5)?, origin),
        (Method::wgan_gp(1.5)?, Point::new(0.0, 1e-3)),
        (Method::instance_noise(0.7)?, origin),
        (Method::instance_noise(2.0)?, origin),
        (Method::r1(0.3)?, origin),
        (Method::r1(3.0)?, origin),
        (Method::r2(0.3)?, origin),
        (Method::consensus(1.0)?, origin),
    ])
}

/// `max |a_ij - b_ij|`.
pub(crate) fn max_entry_gap(a: &Matrix2<f64>, b: &Matrix2<f64>) -> f64 {
    (a - b).abs().max()
}

/// The eigenvalue tolerance for a matrix.
pub(crate) fn eigen_tolerance(m: &Matrix2<f64>) -> f64 {
    EIGEN_ROUNDING_ULPS * EPS * (1.0 + m.abs().max())
}

/// How far the eigenvalues of a matrix known only to within `entry_error`
/// per entry (a Jacobian by central differences, [`FD_JACOBIAN_TOL`]) may
/// lie from those of the exact matrix `exact` with eigenvalues `closed_form`,
/// plus the rounding of computing them ([`eigen_tolerance`] of `measured`).
///
/// Reason (E1 proof, step 7): the eigenvalues of `[[a, b], [c, d]]` are
/// `t/2 +- y` with `t = a + d` and `y^2 = ((a - d)/2)^2 + b c`. An error of
/// at most `e` per entry moves `t/2` by at most `e` and `y^2` by at most
/// `Delta = e (|a - d| + |b| + |c|) + 2 e^2`; for the square roots,
/// `(y' - y)(y' + y) = y'^2 - y^2` gives `min |y' -+ y| <= min(sqrt(Delta),
/// Delta / |y|)` (the larger factor is at least `|y|`), with `|y|` half the
/// distance between the closed-form eigenvalues. So the pairs differ by at
/// most `e + min(sqrt(Delta), Delta / |y|)`.
pub(crate) fn perturbed_eigen_tolerance(
    exact: &Matrix2<f64>,
    closed_form: &[Complex<f64>; 2],
    measured: &Matrix2<f64>,
    entry_error: f64,
) -> f64 {
    let (a, b, c, d) = (exact[(0, 0)], exact[(0, 1)], exact[(1, 0)], exact[(1, 1)]);
    let e = entry_error;
    let delta = e * ((a - d).abs() + b.abs() + c.abs()) + 2.0 * e * e;
    let half_gap = (closed_form[0] - closed_form[1]).norm() / 2.0;
    let root_shift = if half_gap > 0.0 {
        delta.sqrt().min(delta / half_gap)
    } else {
        delta.sqrt()
    };
    e + root_shift + eigen_tolerance(measured)
}

pub(crate) fn e1(context: &Context) -> Result<Vec<Measurement>> {
    let mut out = Vec::new();
    equilibrium_eigenvalues(&mut out)?;
    wgan_gp_repulsion(&mut out)?;
    step_operators(&mut out)?;
    norm_growth(&mut out)?;
    alternating_oscillation(&mut out)?;
    clipped_wgan(&mut out)?;
    r1_convergence(&mut out)?;
    seeded_runs(context, &mut out)?;
    Ok(out)
}

/// (a) Jacobians by central differences of the library's vector fields
/// against the analytic ones, and the eigenvalues of the finite-difference
/// Jacobians against the paper's closed forms (so that the eigenvalues come
/// from the field the trajectories follow, not from the table they are
/// compared with); the unregularised fields' eigenvalues have no real part.
fn equilibrium_eigenvalues(out: &mut Vec<Measurement>) -> Result<()> {
    let mut worst_own = 0.0f64;
    let mut undamped_real = 0.0f64;
    let mut undamped_share = 0.0f64;
    for (method, at) in checked_methods()? {
        let j = method.equilibrium_jacobian();
        let fd = method.jacobian_fd(at, FD_STEP)?;
        out.push(Measurement::within(
            format!("{method}: max |J_fd - J| at the equilibrium"),
            max_entry_gap(&fd, &j),
            0.0,
            FD_JACOBIAN_TOL,
        ));
        let paper = method.closed_form_eigenvalues();
        out.push(Measurement::within(
            format!(
                "{method}: eigenvalues of J_fd (central differences of the field; nalgebra) vs closed form {} (tolerance: FD error {FD_JACOBIAN_TOL:e} per entry carried to the eigenvalues)",
                show(&paper)
            ),
            eigenvalue_distance(&eigenvalues_nalgebra(&fd), &paper),
            0.0,
            perturbed_eigen_tolerance(&j, &paper, &fd, FD_JACOBIAN_TOL),
        ));
        worst_own =
            worst_own.max(eigenvalue_distance(&eigenvalues(&j), &paper) / eigen_tolerance(&j));
        if matches!(
            method,
            Method::Gan | Method::NonSaturating | Method::Wgan { .. }
        ) {
            // A complex pair's real part is half the trace, which an error of
            // e per entry moves by at most e.
            let [l1, l2] = eigenvalues(&fd);
            let real = l1.re.abs().max(l2.re.abs());
            undamped_real = undamped_real.max(real);
            undamped_share = undamped_share.max(real / (FD_JACOBIAN_TOL + eigen_tolerance(&fd)));
        }
    }
    out.push(Measurement::at_most(
        "max over methods of |eigenvalues of J (our 2x2 formula) - closed form| / tolerance",
        worst_own,
        1.0,
        0.0,
    ));
    out.push(Measurement::at_most(
        format!(
            "GAN, non-saturating GAN, WGAN (plain and clipped): max |Re lambda(J_fd)| / (FD error + rounding) (purely imaginary: no damping; largest |Re lambda| {undamped_real:.1e})"
        ),
        undamped_share,
        1.0,
        0.0,
    ));
    Ok(())
}

/// WGAN-GP's field jumps across `psi = 0`; where `|theta| + gamma |psi| <
/// gamma g0` every step increases `|psi|`, so a run started there next to the
/// equilibrium leaves that region instead of converging.
fn wgan_gp_repulsion(out: &mut Vec<Measurement>) -> Result<()> {
    let (gamma, h, steps) = (1.0, 0.05, 400);
    let method = Method::wgan_gp(gamma)?;
    let inside = |p: &Point| p.theta.abs() + gamma * p.psi.abs() < gamma;
    let run = trajectory(
        &method,
        Update::Simultaneous,
        Point::new(0.01, 1e-6),
        h,
        steps,
    )?;
    let inside_steps = run.points.iter().take_while(|p| inside(p)).count();
    let not_repelled = run.points[..inside_steps.min(steps)]
        .iter()
        .zip(&run.points[1..])
        .filter(|(p, next)| next.psi.abs() <= p.psi.abs())
        .count();
    out.push(Measurement::within(
        "WGAN-GP (gamma = 1, g0 = 1), simultaneous h = 0.05 from (0.01, 1e-6): steps inside |theta| + gamma |psi| < gamma g0 at which |psi| did not grow",
        not_repelled as f64,
        0.0,
        0.0,
    ));
    out.push(Measurement::at_most(
        "WGAN-GP: steps the run stays in that neighbourhood of the equilibrium (of 400)",
        inside_steps as f64,
        steps as f64,
        0.0,
    ));
    Ok(())
}

/// The update maps' Jacobians at the equilibrium: the formulas of
/// [`Update::equilibrium_jacobian`] against central differences of the maps,
/// and their spectral radii against the paper's Lemmas (simultaneous:
/// `|1 ± i h f'(0)| > 1`; alternating: on the unit circle for `h f'(0) <= 2`).
fn step_operators(out: &mut Vec<Measurement>) -> Result<()> {
    let h = 0.1;
    let a = GAN_F1_AT_0;
    let mut worst = 0.0f64;
    for method in [Method::Gan, Method::r1(0.5)?, Method::consensus(1.0)?] {
        for update in [Update::Simultaneous, Update::Alternating, Update::Rk4Flow] {
            let fd = step_jacobian_fd(&method, update, h)?;
            worst = worst.max(max_entry_gap(&fd, &update.equilibrium_jacobian(&method, h)));
        }
    }
    out.push(Measurement::within(
        "max |dF_h/dx (central differences) - formula| over GAN, R1, consensus and the three updates",
        worst,
        0.0,
        FD_JACOBIAN_TOL,
    ));
    let simultaneous = Update::Simultaneous.equilibrium_jacobian(&Method::Gan, h);
    let expected = [Complex::new(1.0, h * a), Complex::new(1.0, -h * a)];
    out.push(Measurement::within(
        "GAN, simultaneous h = 0.1: eigenvalues of the step vs 1 ± i h f'(0) (modulus sqrt(1 + h^2/4) > 1)",
        eigenvalue_distance(&eigenvalues(&simultaneous), &expected),
        0.0,
        eigen_tolerance(&simultaneous),
    ));
    for h in [0.1, 3.9, 5.0] {
        // Lemma 2.5 with one step each: 1 - alpha^2/2 ± sqrt((1 - alpha^2/2)^2 - 1), alpha = h f'(0).
        let alternating = Update::Alternating.equilibrium_jacobian(&Method::Gan, h);
        let alpha = h * a;
        let centre = Complex::new(1.0 - alpha * alpha / 2.0, 0.0);
        let root = Complex::new((1.0 - alpha * alpha / 2.0).powi(2) - 1.0, 0.0).sqrt();
        let expected = [centre + root, centre - root];
        out.push(Measurement::within(
            format!("GAN, alternating h = {h}: eigenvalues of the step vs Lemma 2.5's closed form"),
            eigenvalue_distance(&eigenvalues(&alternating), &expected),
            0.0,
            eigen_tolerance(&alternating),
        ));
    }
    Ok(())
}

/// Central differences of the update map at the equilibrium.
pub(crate) fn step_jacobian_fd(method: &Method, update: Update, h: f64) -> Result<Matrix2<f64>> {
    let h = Positive::new(h)?;
    let d = FD_STEP;
    let map = |p: Point| method.step(update, h, p);
    let (tp, tm) = (map(Point::new(d, 0.0))?, map(Point::new(-d, 0.0))?);
    let (pp, pm) = (map(Point::new(0.0, d))?, map(Point::new(0.0, -d))?);
    Ok(Matrix2::new(
        (tp.theta - tm.theta) / (2.0 * d),
        (pp.theta - pm.theta) / (2.0 * d),
        (tp.psi - tm.psi) / (2.0 * d),
        (pp.psi - pm.psi) / (2.0 * d),
    ))
}

/// The largest relative defect of the identity
/// `|x_{k+1}|^2 = |x_k|^2 (1 + h^2 f'(theta_k psi_k)^2)` along a run, in
/// units of its rounding allowance, and the number of steps at which the
/// norm strictly increased.
pub(crate) fn growth_identity_defect(
    points: &[Point],
    h: f64,
    f1: impl Fn(f64) -> f64,
) -> (f64, usize) {
    let mut worst = 0.0f64;
    let mut increased = 0;
    for pair in points.windows(2) {
        let (x, next) = (pair[0], pair[1]);
        let d = f1(x.theta * x.psi);
        let predicted = x.norm_squared() * (1.0 + h * h * d * d);
        let defect = (next.norm_squared() - predicted).abs()
            / (GROWTH_ROUNDING_ULPS * EPS * next.norm_squared());
        worst = worst.max(defect);
        if next.norm_squared() > x.norm_squared() {
            increased += 1;
        }
    }
    (worst, increased)
}

/// (b) The exact per-step growth of `theta^2 + psi^2` for the unregularised
/// GAN and for WGAN under simultaneous steps.
fn norm_growth(out: &mut Vec<Measurement>) -> Result<()> {
    let (h, steps) = (STEP_SIZE, STEPS);
    let run = simultaneous_run(&Method::Gan)?;
    let (defect, increased) = growth_identity_defect(&run.points, h, gan_f1);
    out.push(Measurement::at_most(
        format!("GAN, simultaneous h = {h}, {steps} steps: max | |x_{{k+1}}|^2 - |x_k|^2 (1 + h^2 f'(theta_k psi_k)^2) | / (64 ulps of |x_{{k+1}}|^2)"),
        defect,
        1.0,
        0.0,
    ));
    out.push(Measurement::within(
        format!(
            "GAN, simultaneous: steps at which theta^2 + psi^2 strictly increased (of {steps})"
        ),
        increased as f64,
        steps as f64,
        0.0,
    ));
    let run = simultaneous_run(&Method::wgan())?;
    let (defect, increased) = growth_identity_defect(&run.points, h, |_| 1.0);
    out.push(Measurement::at_most(
        format!("WGAN, simultaneous h = {h}, {steps} steps: max defect of |x_{{k+1}}|^2 = (1 + h^2) |x_k|^2 / (64 ulps)"),
        defect,
        1.0,
        0.0,
    ));
    out.push(Measurement::within(
        format!(
            "WGAN, simultaneous: steps at which theta^2 + psi^2 strictly increased (of {steps})"
        ),
        increased as f64,
        steps as f64,
        0.0,
    ));
    Ok(())
}

/// The quadratic form `theta^2 + psi^2 + h a theta psi` that alternating
/// steps of the linear field `(-a psi, a theta)` conserve (discriminator first).
pub(crate) fn alternating_invariant(p: Point, h: f64, a: f64) -> f64 {
    p.theta * p.theta + p.psi * p.psi + h * a * p.theta * p.psi
}

/// `(min_k Q_k, min(Q_0, (1 - h^2/4) c^2))` along an alternating run of the
/// WGAN clipped at `c` from `start` with step `h`: the smallest conserved
/// quadratic form and the floor the proof puts under it.
fn clipped_invariant_floor(points: &[Point], start: Point, h: f64, c: f64) -> (f64, f64) {
    let q_min = points
        .iter()
        .map(|&p| alternating_invariant(p, h, 1.0))
        .fold(f64::INFINITY, f64::min);
    let bound = alternating_invariant(start, h, 1.0).min((1.0 - h * h / 4.0) * c * c);
    (q_min, bound)
}

/// `max_k |Q_k - q0| / q0` along a run of alternating steps of size `h`.
fn invariant_drift(points: &[Point], h: f64, q0: f64) -> f64 {
    points
        .iter()
        .map(|&p| (alternating_invariant(p, h, 1.0) - q0).abs() / q0)
        .fold(0.0, f64::max)
}

/// Sign changes of `theta` along a run (exact zeros skipped).
pub(crate) fn theta_sign_changes(points: &[Point]) -> usize {
    let signs: Vec<bool> = points
        .iter()
        .filter(|p| p.theta != 0.0)
        .map(|p| p.theta > 0.0)
        .collect();
    signs.windows(2).filter(|w| w[0] != w[1]).count()
}

/// (c) Alternating WGAN steps: the invariant, the bounds it gives on the
/// distance to the equilibrium, and the rotation by `arccos(1 - h^2/2)` per step.
fn alternating_oscillation(out: &mut Vec<Measurement>) -> Result<()> {
    let (h, steps) = (0.1, 2000);
    let run = trajectory(
        &Method::wgan(),
        Update::Alternating,
        Point::new(1.0, 0.0),
        h,
        steps,
    )?;
    let q0 = alternating_invariant(run.points[0], h, 1.0);
    let drift = invariant_drift(&run.points, h, q0);
    let q_tolerance = Q_ROUNDING_ULPS_PER_STEP * EPS * steps as f64;
    out.push(Measurement::within(
        "WGAN, alternating h = 0.1, 2000 steps: max |Q_k - Q_0| / Q_0, Q = theta^2 + psi^2 + h theta psi",
        drift,
        0.0,
        q_tolerance,
    ));
    let (low, high) = run
        .points
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), p| {
            (lo.min(p.norm_squared()), hi.max(p.norm_squared()))
        });
    out.push(Measurement::at_least(
        "WGAN, alternating: min_k |x_k|^2 (not converging), bound Q_0 / (1 + h/2)",
        low,
        q0 / (1.0 + h / 2.0) * (1.0 - q_tolerance),
        0.0,
    ));
    out.push(Measurement::at_most(
        "WGAN, alternating: max_k |x_k|^2 (bounded), bound Q_0 / (1 - h/2)",
        high,
        q0 / (1.0 - h / 2.0) * (1.0 + q_tolerance),
        0.0,
    ));
    let angle = (1.0 - h * h / 2.0).acos();
    out.push(Measurement::within(
        "WGAN, alternating: sign changes of theta in 2000 steps vs 2000 arccos(1 - h^2/2) / pi",
        theta_sign_changes(&run.points) as f64,
        steps as f64 * angle / std::f64::consts::PI,
        SIGN_CHANGE_COUNT_TOL,
    ));
    Ok(())
}

/// (c') WGAN with clipping never approaches the equilibrium: simultaneous
/// steps keep `|x_k| >= min(|x_0|, c)`, alternating ones keep
/// `Q_k >= min(Q_0, (1 - h^2/4) c^2)`, and `|psi_k| <= c` throughout.
fn clipped_wgan(out: &mut Vec<Measurement>) -> Result<()> {
    let (c, h, steps) = (0.5, 0.1, 2000);
    let method = Method::wgan_clipped(c)?;
    let start = Point::new(2.0, 0.0);
    let rounding = Q_ROUNDING_ULPS_PER_STEP * EPS * steps as f64;
    let run = trajectory(&method, Update::Simultaneous, start, h, steps)?;
    let max_psi = run.points.iter().map(|p| p.psi.abs()).fold(0.0, f64::max);
    out.push(Measurement::at_most(
        "clipped WGAN (c = 0.5), simultaneous: max |psi_k|",
        max_psi,
        c,
        0.0,
    ));
    let closest = run
        .points
        .iter()
        .map(|p| p.norm())
        .fold(f64::INFINITY, f64::min);
    out.push(Measurement::at_least(
        "clipped WGAN, simultaneous, 2000 steps from (2, 0): min_k |x_k|, bound min(|x_0|, c)",
        closest,
        start.norm().min(c) * (1.0 - rounding),
        0.0,
    ));
    let run = trajectory(&method, Update::Alternating, start, h, steps)?;
    let (q_min, bound) = clipped_invariant_floor(&run.points, start, h, c);
    out.push(Measurement::at_least(
        "clipped WGAN, alternating, 2000 steps from (2, 0): min_k Q_k, bound min(Q_0, (1 - h^2/4) c^2)",
        q_min,
        bound * (1.0 - rounding),
        0.0,
    ));
    Ok(())
}

/// Upper and lower bounds on `|x_N|` for simultaneous R1 steps from the
/// normal form of the step's Jacobian (see the proof, part (d)), with the
/// largest per-step defect of `| |y_{k+1}| - rho |y_k| | <= h |P^-1| |x_k|^3 / 8`
/// in units of its allowance.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContractionCheck {
    /// The spectral radius `rho` of `I + h J`.
    pub rate: f64,
    /// `|x_N|` measured.
    pub distance: f64,
    /// The derived upper bound on `|x_N|`.
    pub upper: f64,
    /// The derived lower bound on `|x_N|`.
    pub lower: f64,
    /// Max over steps of the per-step defect over its allowance (<= 1 holds).
    pub worst_step: f64,
}

/// The bound of the remainder `|v(x) - J x| <= sup|f''| |theta psi| |x| <= |x|^3 / 8`
/// for the GAN's `f` (`|f''| <= 1/4`, `|theta psi| <= |x|^2/2`).
pub(crate) const GAN_REMAINDER: f64 = 0.125;

/// Runs `steps` simultaneous R1 steps from `start` and checks them against
/// the contraction by the spectral radius.
pub(crate) fn r1_contraction(
    gamma: f64,
    h: f64,
    start: Point,
    steps: usize,
) -> Result<ContractionCheck> {
    let method = Method::r1(gamma)?;
    let a = Update::Simultaneous.equilibrium_jacobian(&method, h);
    let form = NormalForm::of(&a).ok_or(crate::Error::InvalidParameter {
        name: "gamma",
        value: gamma,
        requirement: "the step's Jacobian must have distinct eigenvalues",
    })?;
    let (p_norm, inv_norm) = (form.basis.norm(), form.inverse.norm());
    let run = trajectory(&method, Update::Simultaneous, start, h, steps)?;
    // hypot, not the sum of squares: distances far below 1e-154 stay accurate.
    let y = |p: Point| {
        let y = form.inverse * nalgebra::Vector2::new(p.theta, p.psi);
        y[0].hypot(y[1])
    };
    let rounding = |x: f64, next: f64| CONTRACTION_ROUNDING_ULPS * EPS * inv_norm * (x + next);
    let mut worst_step = 0.0f64;
    for pair in run.points.windows(2) {
        let (x, next) = (pair[0].norm(), pair[1].norm());
        let allowance = h * inv_norm * GAN_REMAINDER * x.powi(3) + rounding(x, next);
        let defect = (y(pair[1]) - form.rate * y(pair[0])).abs();
        worst_step = worst_step.max(defect / allowance);
    }
    // |y_{k+1}| <= rho |y_k| + h |P^-1| |x_k|^3 / 8 + rounding, |x_k| <= |P| |y_k|.
    let (mut upper, mut lower) = (y(start), y(start));
    for _ in 0..steps {
        let x = p_norm * upper;
        let slack = h * inv_norm * GAN_REMAINDER * x.powi(3) + rounding(x, x);
        lower = (form.rate * lower - slack).max(0.0);
        upper = form.rate * upper + slack;
    }
    Ok(ContractionCheck {
        rate: form.rate,
        distance: run.points[steps].norm(),
        upper: p_norm * upper,
        lower: lower / inv_norm,
        worst_step,
    })
}

/// (d) R1 converges at the rate of the spectral radius of its step.
fn r1_convergence(out: &mut Vec<Measurement>) -> Result<()> {
    let (gamma, h, steps) = (R1_GAMMA, STEP_SIZE, 2000);
    let check = r1_contraction(gamma, h, Point::new(0.25, 0.25), steps)?;
    let a = GAN_F1_AT_0;
    let closed_form = (1.0 - h * gamma + h * h * a * a).sqrt();
    out.push(Measurement::within(
        format!("R1 (gamma = {gamma}), simultaneous h = {h}: spectral radius of I + hJ vs sqrt(1 - h gamma + h^2 f'(0)^2)"),
        check.rate,
        closed_form,
        EIGEN_ROUNDING_ULPS * EPS,
    ));
    out.push(Measurement::at_most(
        "R1: max over 2000 steps of | |y_{k+1}| - rho |y_k| | / (h |P^-1| |x_k|^3 / 8 + rounding)",
        check.worst_step,
        1.0,
        0.0,
    ));
    out.push(Measurement::at_most(
        "R1: |x_2000| from (0.25, 0.25), derived upper bound (about rho^2000 |P| |P^-1 x_0|)",
        check.distance,
        check.upper,
        0.0,
    ));
    out.push(Measurement::at_least(
        "R1: |x_2000|, derived lower bound (it converges at rate rho, not faster)",
        check.distance,
        check.lower,
        0.0,
    ));
    let alternating = Update::Alternating.equilibrium_jacobian(&Method::r1(gamma)?, h);
    let [l1, l2] = eigenvalues(&alternating);
    out.push(Measurement::within(
        "R1, alternating h = 0.1: spectral radius of the step vs sqrt(1 - h gamma)",
        l1.norm().max(l2.norm()),
        (1.0 - h * gamma).sqrt(),
        EIGEN_ROUNDING_ULPS * EPS,
    ));
    Ok(())
}

/// A point at a distance in `[low, high]` from the equilibrium, in a
/// uniformly random direction.
fn random_point<R: rand::Rng + ?Sized>(rng: &mut R, low: f64, high: f64) -> Point {
    use rand::RngExt;
    let radius = low + (high - low) * rng.random::<f64>();
    let angle = std::f64::consts::TAU * rng.random::<f64>();
    Point::new(radius * angle.cos(), radius * angle.sin())
}

/// (b)-(d) again from a start and with parameters drawn from the context's
/// seed: the statements hold for every start and step size, not only for
/// the ones above.
fn seeded_runs(context: &Context, out: &mut Vec<Measurement>) -> Result<()> {
    use rand::RngExt;
    let mut rng = rng_for(context, 0xE1);
    let steps = 500;

    // (b) The growth identity at every step; the norm grows wherever the
    // growth h^2 f'^2 is above the rounding (f' underflows where theta psi
    // is large and positive).
    let (start, h) = (
        random_point(&mut rng, 0.3, 2.0),
        0.02 + 0.3 * rng.random::<f64>(),
    );
    let run = trajectory(&Method::Gan, Update::Simultaneous, start, h, steps)?;
    let (defect, _) = growth_identity_defect(&run.points, h, gan_f1);
    out.push(Measurement::at_most(
        format!(
            "seeded: GAN, simultaneous h = {h:.4} from ({:.3}, {:.3}): max defect of the growth identity / (64 ulps)",
            start.theta, start.psi
        ),
        defect,
        1.0,
        0.0,
    ));
    let missed = run
        .points
        .windows(2)
        .filter(|w| {
            let d = gan_f1(w[0].theta * w[0].psi);
            h * h * d * d > 2.0 * GROWTH_ROUNDING_ULPS * EPS
                && w[1].norm_squared() <= w[0].norm_squared()
        })
        .count();
    out.push(Measurement::within(
        "seeded: GAN, simultaneous: steps with growth above rounding at which the norm did not increase",
        missed as f64,
        0.0,
        0.0,
    ));

    // (c) Alternating WGAN: the invariant and the bounds it gives.
    let (start, h) = (
        random_point(&mut rng, 0.3, 2.0),
        0.05 + 1.5 * rng.random::<f64>(),
    );
    let run = trajectory(&Method::wgan(), Update::Alternating, start, h, steps)?;
    let q0 = alternating_invariant(start, h, 1.0);
    let tolerance =
        Q_ROUNDING_ULPS_PER_STEP * EPS * steps as f64 * (1.0 + h) * start.norm_squared() / q0;
    let drift = invariant_drift(&run.points, h, q0);
    out.push(Measurement::within(
        format!(
            "seeded: WGAN, alternating h = {h:.4} from ({:.3}, {:.3}): max |Q_k - Q_0| / Q_0",
            start.theta, start.psi
        ),
        drift,
        0.0,
        tolerance,
    ));
    let closest = run
        .points
        .iter()
        .map(|p| p.norm_squared())
        .fold(f64::INFINITY, f64::min);
    out.push(Measurement::at_least(
        "seeded: WGAN, alternating: min_k |x_k|^2, bound Q_0 / (1 + h/2)",
        closest,
        q0 / (1.0 + h / 2.0) * (1.0 - tolerance),
        0.0,
    ));

    // (c') Clipped WGAN, alternating: Q_k >= min(Q_0, (1 - h^2/4) c^2).
    let c = 0.1 + rng.random::<f64>();
    let (start, h) = (
        random_point(&mut rng, 0.3, 3.0),
        0.05 + 1.5 * rng.random::<f64>(),
    );
    let run = trajectory(
        &Method::wgan_clipped(c)?,
        Update::Alternating,
        start,
        h,
        steps,
    )?;
    let (q_min, bound) = clipped_invariant_floor(&run.points, start, h, c);
    out.push(Measurement::at_least(
        format!("seeded: clipped WGAN (c = {c:.3}), alternating h = {h:.4}: min_k Q_k, bound min(Q_0, (1 - h^2/4) c^2)"),
        q_min,
        bound * (1.0 - Q_ROUNDING_ULPS_PER_STEP * EPS * steps as f64),
        0.0,
    ));

    // (d) R1 with gamma < 2 f'(0) and h below gamma / f'(0)^2.
    let a = GAN_F1_AT_0;
    let gamma = 0.2 + 0.7 * rng.random::<f64>();
    let h = (0.1 + 0.8 * rng.random::<f64>()) * gamma / (a * a) / 2.0;
    let start = random_point(&mut rng, 0.05, 0.3);
    // Long enough to contract by 1e-100, short enough to stay far from
    // subnormal numbers (where rounding is no longer relative).
    let rate = spectral_radius(&Update::Simultaneous.equilibrium_jacobian(&Method::r1(gamma)?, h));
    let r1_steps = ((1e-100f64.ln() / rate.ln()).ceil() as usize).clamp(1, 2 * steps);
    let check = r1_contraction(gamma, h, start, r1_steps)?;
    out.push(Measurement::at_most(
        format!("seeded: R1 (gamma = {gamma:.3}), h = {h:.4}, rho = {:.5}: max per-step defect / allowance", check.rate),
        check.worst_step,
        1.0,
        0.0,
    ));
    out.push(Measurement::at_most(
        format!("seeded: R1: |x_N| after N = {r1_steps} steps, derived upper bound"),
        check.distance,
        check.upper,
        0.0,
    ));
    out.push(Measurement::at_least(
        format!("seeded: R1: |x_N| after N = {r1_steps} steps, derived lower bound"),
        check.distance,
        check.lower,
        0.0,
    ));
    Ok(())
}

/// `a ± b i` for a report line.
fn show(pair: &[Complex<f64>; 2]) -> String {
    let one = |z: &Complex<f64>| {
        if z.im == 0.0 {
            format!("{:.6}", z.re)
        } else {
            format!("{:.6}{:+.6}i", z.re, z.im)
        }
    };
    format!("{{{}, {}}}", one(&pair[0]), one(&pair[1]))
}

#[cfg(test)]
mod tests {
    use super::{FD_JACOBIAN_TOL, checked_methods, eigen_tolerance, perturbed_eigen_tolerance};
    use crate::dynamics::Method;
    use crate::dynamics::linear::{eigenvalue_distance, eigenvalues, eigenvalues_nalgebra};
    use nalgebra::Matrix2;
    use rand::{RngExt, SeedableRng};

    /// The derived tolerance covers every perturbation of at most `e` per
    /// entry of each checked Jacobian (2000 random ones per method and size,
    /// corners of the box included), for the finite-difference error and for
    /// errors a million times larger.
    #[test]
    fn perturbed_eigen_tolerance_covers_every_perturbation() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for (method, _) in checked_methods().unwrap() {
            let j = method.equilibrium_jacobian();
            let paper = method.closed_form_eigenvalues();
            for e in [FD_JACOBIAN_TOL, 1e-2] {
                for k in 0..2000 {
                    let entry = |rng: &mut rand::rngs::StdRng| {
                        if k % 2 == 0 {
                            e * (2.0 * rng.random::<f64>() - 1.0)
                        } else if rng.random::<bool>() {
                            e
                        } else {
                            -e
                        }
                    };
                    let perturbed = j + Matrix2::from_fn(|_, _| entry(&mut rng));
                    let distance = eigenvalue_distance(&eigenvalues_nalgebra(&perturbed), &paper);
                    let tolerance = perturbed_eigen_tolerance(&j, &paper, &perturbed, e);
                    assert!(
                        distance <= tolerance,
                        "{method}, e = {e}: {distance} > {tolerance}"
                    );
                }
            }
        }
    }

    /// A field with a little damping (1e-6, a hundred times the
    /// finite-difference error) fails both the eigenvalue row and the
    /// undamped row that E1 computes from J_fd.
    #[test]
    fn a_damped_gan_field_fails_the_eigenvalue_checks() {
        let j = Method::Gan.equilibrium_jacobian();
        let paper = Method::Gan.closed_form_eigenvalues();
        let damped = j + Matrix2::new(0.0, 0.0, 0.0, -1e-6);
        let distance = eigenvalue_distance(&eigenvalues_nalgebra(&damped), &paper);
        assert!(distance > perturbed_eigen_tolerance(&j, &paper, &damped, FD_JACOBIAN_TOL));
        let [l1, l2] = eigenvalues(&damped);
        let real = l1.re.abs().max(l2.re.abs());
        assert!(real > FD_JACOBIAN_TOL + eigen_tolerance(&damped));
    }
}
