//! Checks for claims C1-C5: the Earth Mover distance.

use super::{Context, Measurement, random_distribution, rng_for};
use crate::Discrete;
use crate::divergence::{js, kl, total_variation};
use crate::error::Result;
use crate::experiments::transport::{example_1, on_union};
use crate::tol::{self, EPS};
use crate::transport::certificate::MARGINAL_ULPS_PER_NODE;
use crate::transport::line::{LineSample, w1, w1_histograms, wp};
use crate::transport::potential::KrPotential;
use crate::transport::{CostMatrix, Metric, Points, Transport, emd, verify_certificate};
use rand::{Rng, RngExt};
use std::f64::consts::LN_2;

/// Random instances per check: 1 to 12 points on each side, so that a check
/// solves a few hundred small problems in a few milliseconds.
const INSTANCES: usize = 200;

/// The largest error the solver's cost may carry, for `n + m` nodes and
/// costs up to `max_cost`, with plans of total mass 1.
///
/// Reason: the solver's basis is exactly optimal and each plan entry is
/// within [`MARGINAL_ULPS_PER_NODE`] `(n + m)` ulps of the total mass (its
/// certificate's marginal tolerance); at most `n + m - 1` entries, each
/// times a cost at most `max_cost`, so the cost moves by less than
/// `16 (n + m)^2 EPS max_cost`.
pub(crate) fn solver_tolerance(nodes: usize, max_cost: f64) -> f64 {
    MARGINAL_ULPS_PER_NODE * (nodes * nodes) as f64 * EPS * max_cost
}

/// C1's own recomputation of a transport answer's certificate, with plain
/// `f64` arithmetic and compensated sums (not the library's
/// `verify_certificate`, whose verdict it is compared with): each part as
/// a share of its rounding allowance, so at most 1 holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OwnCertificate {
    /// `max |row or column sum of the plan - p_i or q_j|` over the marginal
    /// tolerance `MARGINAL_ULPS_PER_NODE (n + m) EPS max(sum p, sum q)`
    /// (`+inf` for a negative or non-finite mass, or an arc outside the
    /// matrix).
    pub(crate) marginal: f64,
    /// `max (u_i + v_j - C_ij)^+` over finite arcs, each over its allowance
    /// `(DUAL_ULPS + 1) EPS (|u_i| + |v_j|) + EPS |C_ij| + DUAL_ABS`: the
    /// solver's potentials are exact before rounding (`DUAL_ULPS` ulps of
    /// each), and the two roundings here add half an ulp of `|u_i + v_j|` and
    /// of `|u_i + v_j - C_ij|`.
    pub(crate) dual: f64,
    /// `|sum x C - sum p u - sum q v|` over `(GAP_ULPS + 2) EPS (|sum x C| +
    /// sum p |u| + sum q |v|)` plus the marginal errors times the potentials
    /// plus two subnormal units per product (the certificate's allowance,
    /// with two more ulps for the products rounded here).
    pub(crate) gap: f64,
    /// The largest violation `u_i + v_j - C_ij` found (0 when none), for the
    /// comparison with the library certificate.
    pub(crate) max_violation: f64,
    /// The larger of the allowances of the arcs, for that comparison.
    pub(crate) violation_scale: f64,
}

pub(crate) fn own_certificate(
    p: &[f64],
    q: &[f64],
    cost: &CostMatrix,
    t: &Transport,
) -> OwnCertificate {
    use crate::transport::certificate::{DUAL_ABS, DUAL_ULPS, GAP_ULPS};
    let (n, m) = (p.len(), q.len());
    let refused = OwnCertificate {
        marginal: f64::INFINITY,
        dual: f64::INFINITY,
        gap: f64::INFINITY,
        max_violation: f64::INFINITY,
        violation_scale: 0.0,
    };
    if t.u.len() != n || t.v.len() != m {
        return refused;
    }
    let (mut rows, mut cols) = (vec![Vec::new(); n], vec![Vec::new(); m]);
    let mut products = Vec::new();
    for e in &t.plan {
        if e.i >= n || e.j >= m || !(e.mass >= 0.0 && e.mass.is_finite()) {
            return refused;
        }
        rows[e.i].push(e.mass);
        cols[e.j].push(e.mass);
        products.push(e.mass * cost.get(e.i, e.j));
    }
    let row_errors: Vec<f64> = rows
        .into_iter()
        .zip(p)
        .map(|(r, &x)| crate::numeric::sum(r) - x)
        .collect();
    let col_errors: Vec<f64> = cols
        .into_iter()
        .zip(q)
        .map(|(c, &x)| crate::numeric::sum(c) - x)
        .collect();
    let mass = crate::numeric::sum(p.iter().copied()).max(crate::numeric::sum(q.iter().copied()));
    let marginal_tolerance = MARGINAL_ULPS_PER_NODE * (n + m) as f64 * EPS * mass;
    let marginal = row_errors
        .iter()
        .chain(&col_errors)
        .map(|e| e.abs() / marginal_tolerance)
        .fold(0.0, f64::max);
    let (mut dual, mut max_violation, mut violation_scale) = (0.0f64, 0.0f64, 0.0f64);
    for i in 0..n {
        for j in 0..m {
            let c = cost.get(i, j);
            if !c.is_finite() {
                continue;
            }
            let (u, v) = (t.u[i], t.v[j]);
            let violation = (u + v) - c;
            let allowance =
                (DUAL_ULPS + 1.0) * EPS * (u.abs() + v.abs()) + EPS * c.abs() + DUAL_ABS;
            violation_scale = violation_scale.max(allowance);
            if violation.is_nan() {
                dual = f64::INFINITY;
            } else if violation > 0.0 {
                dual = dual.max(violation / allowance);
                max_violation = max_violation.max(violation);
            }
        }
    }
    let primal = crate::numeric::sum(products);
    let dual_objective = crate::numeric::sum(
        p.iter()
            .zip(&t.u)
            .chain(q.iter().zip(&t.v))
            .map(|(a, b)| a * b),
    );
    let magnitude: f64 = p
        .iter()
        .zip(&t.u)
        .chain(q.iter().zip(&t.v))
        .map(|(a, b)| a * b.abs())
        .sum();
    let residual: f64 = row_errors
        .iter()
        .zip(&t.u)
        .chain(col_errors.iter().zip(&t.v))
        .map(|(r, w)| r.abs() * w.abs())
        .sum();
    let terms = (t.plan.len() + n + m) as f64;
    let gap_tolerance =
        (GAP_ULPS + 2.0) * EPS * (primal.abs() + magnitude) + residual + 2.0 * terms * 5e-324;
    OwnCertificate {
        marginal,
        dual,
        gap: (primal - dual_objective).abs() / gap_tolerance,
        max_violation,
        violation_scale,
    }
}

/// `excess / allowance`, or 0 when there is no excess: how much of its
/// rounding allowance a deviation uses (at most 1 passes).
fn share(excess: f64, allowance: f64) -> f64 {
    if excess <= 0.0 {
        0.0
    } else {
        excess / allowance
    }
}

/// The larger of `a` and `b`, NaN counting as `+inf` (so that it fails).
fn nan_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::INFINITY
    } else {
        a.max(b)
    }
}

/// `n` uniform points in the unit cube of dimension `dim`.
fn random_points<R: Rng + ?Sized>(rng: &mut R, n: usize, dim: usize) -> Result<Points> {
    Points::from_flat(n, dim, (0..n * dim).map(|_| rng.random::<f64>()).collect())
}

/// A random transport problem under a metric: `p` on the points `xp` and
/// `q` on `xq` (1 to 12 of each, in the unit cube of dimension 1 to 3, about
/// a third of the masses 0), with the Euclidean or the cityblock distance.
struct MetricInstance {
    p: Discrete,
    xp: Points,
    q: Discrete,
    xq: Points,
    metric: Metric,
}

fn random_metric_instance<R: Rng + ?Sized>(rng: &mut R) -> Result<MetricInstance> {
    let (n, m) = (rng.random_range(1..=12), rng.random_range(1..=12));
    let dim = rng.random_range(1..=3);
    let metric = if rng.random::<bool>() {
        Metric::Euclidean
    } else {
        Metric::Cityblock
    };
    let (xp, xq) = (random_points(rng, n, dim)?, random_points(rng, m, dim)?);
    let (p, q) = (random_distribution(rng, n), random_distribution(rng, m));
    Ok(MetricInstance {
        p,
        xp,
        q,
        xq,
        metric,
    })
}

/// A random [`MetricInstance`] with its cost matrix and the solver's answer.
struct SolvedInstance {
    instance: MetricInstance,
    cost: CostMatrix,
    t: Transport,
}

/// Draws a [`MetricInstance`] and solves it.
fn random_solved_instance<R: Rng + ?Sized>(rng: &mut R) -> Result<SolvedInstance> {
    let instance = random_metric_instance(rng)?;
    let cost = CostMatrix::from_points(&instance.xp, &instance.xq, instance.metric)?;
    let t = emd(instance.p.as_slice(), instance.q.as_slice(), &cost)?;
    Ok(SolvedInstance { instance, cost, t })
}

/// The cost of the best permutation of `k` rows to `k` columns, by trying all
/// `k!` of them (Heap's algorithm): with masses `1/k` on both sides an
/// optimal plan is a permutation (Birkhoff), so this is W1 by brute force.
fn assignment_by_brute_force(cost: &CostMatrix) -> f64 {
    let k = cost.rows();
    let mut perm: Vec<usize> = (0..k).collect();
    let mut counters = vec![0; k];
    let value = |perm: &[usize]| -> f64 {
        perm.iter()
            .enumerate()
            .map(|(i, &j)| cost.get(i, j))
            .sum::<f64>()
            / k as f64
    };
    let mut best = value(&perm);
    let mut i = 0;
    while i < k {
        if counters[i] < i {
            let swap = if i % 2 == 0 { 0 } else { counters[i] };
            perm.swap(swap, i);
            best = best.min(value(&perm));
            counters[i] += 1;
            i = 0;
        } else {
            counters[i] = 0;
            i += 1;
        }
    }
    best
}

pub(crate) fn c1(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, 31);
    let (mut marginal, mut dual, mut gap) = (0.0f64, 0.0f64, 0.0f64);
    let (mut self_distance, mut asymmetry, mut triangle) = (0.0f64, 0.0f64, 0.0f64);
    let mut separation = f64::INFINITY;
    let (mut perturbed, mut forged_passed) = (0usize, 0usize);
    for _ in 0..INSTANCES {
        let SolvedInstance {
            instance:
                MetricInstance {
                    p,
                    xp,
                    q,
                    xq,
                    metric,
                },
            cost,
            t,
        } = random_solved_instance(&mut rng)?;
        let (n, m, dim) = (xp.len(), xq.len(), xp.dim());
        // The certificate recomputed here (not by the library's
        // verify_certificate), each part against its allowance.
        let own = own_certificate(p.as_slice(), q.as_slice(), &cost, &t);
        marginal = nan_max(marginal, own.marginal);
        dual = nan_max(dual, own.dual);
        gap = nan_max(gap, own.gap);
        // The library's certificate must refuse an answer whose duals are
        // infeasible although the gap is zero: u_i += d / p_i, u_k -= d / p_k
        // leaves sum p u unchanged and raises u_i + v_j above C_ij by d / p_i
        // on the arcs where row i's mass moves.
        let charged: Vec<usize> = (0..n).filter(|&i| p[i] > 0.0).collect();
        if let [i, k, ..] = charged[..] {
            let d = 1e-6 * kr_scale(&t, dim);
            let mut forged = t.clone();
            forged.u[i] += d / p[i];
            forged.u[k] -= d / p[k];
            perturbed += 1;
            forged_passed +=
                usize::from(verify_certificate(p.as_slice(), q.as_slice(), &cost, &forged).passed);
        }
        // Symmetry: the reversed problem has the transposed cost.
        let back = emd(q.as_slice(), p.as_slice(), &cost.transpose())?;
        let allowance = solver_tolerance(n + m, cost.max_finite());
        asymmetry = asymmetry.max(share((t.cost - back.cost).abs(), allowance));
        // Metric axioms on one support of k points: W(r, r) = 0, the triangle
        // inequality, and W(a, b) >= (min distance) TV(a, b) > 0 for a != b.
        let k = rng.random_range(2..=10);
        let x = random_points(&mut rng, k, dim)?;
        let c = CostMatrix::from_points(&x, &x, metric)?;
        let (a, b, r) = (
            random_distribution(&mut rng, k),
            random_distribution(&mut rng, k),
            random_distribution(&mut rng, k),
        );
        let w = |s: &Discrete, t: &Discrete| emd(s.as_slice(), t.as_slice(), &c).map(|t| t.cost);
        let allowance = solver_tolerance(2 * k, c.max_finite());
        self_distance = self_distance.max(w(&r, &r)?);
        triangle = triangle.max(share(w(&a, &r)? - w(&a, &b)? - w(&b, &r)?, 3.0 * allowance));
        let closest = (0..k)
            .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| c.get(i, j))
            .fold(f64::INFINITY, f64::min);
        separation = separation.min(w(&a, &b)? - closest * total_variation(&a, &b)? + allowance);
    }
    // Optimality against brute force: uniform masses on k <= 6 points each.
    let mut brute = 0.0f64;
    for _ in 0..50 {
        let k = rng.random_range(1..=6);
        let (xp, xq) = (
            random_points(&mut rng, k, 2)?,
            random_points(&mut rng, k, 2)?,
        );
        let cost = CostMatrix::from_points(&xp, &xq, Metric::Euclidean)?;
        let uniform = vec![1.0 / k as f64; k];
        let t = emd(&uniform, &uniform, &cost)?;
        let by_hand = assignment_by_brute_force(&cost);
        brute = brute.max(share(
            (t.cost - by_hand).abs(),
            solver_tolerance(2 * k, cost.max_finite()),
        ));
    }
    Ok(vec![
        Measurement::at_most(
            format!(
                "max marginal error / its tolerance over {INSTANCES} random plans (recomputed here, not by the library's certificate)"
            ),
            marginal,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            "max dual violation u_i + v_j - C_ij / its allowance (recomputed)",
            dual,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            "max |primal - dual| / its tolerance (strong duality; recomputed)",
            gap,
            1.0,
            0.0,
        ),
        Measurement::within(
            format!(
                "answers with duals made infeasible by 1e-6 of the scale at zero gap that verify_certificate passes, of {perturbed}"
            ),
            forged_passed as f64,
            0.0,
            0.0,
        ),
        Measurement::at_most(
            "max |W(p, q) - W(q, p) with C^T| / the solver's rounding bound",
            asymmetry,
            1.0,
            0.0,
        ),
        Measurement::within("max W(r, r)", self_distance, 0.0, 0.0),
        Measurement::at_most(
            "max (W(a, r) - W(a, b) - W(b, r))^+ / rounding bound (triangle inequality)",
            triangle,
            1.0,
            0.0,
        ),
        Measurement::at_least(
            "min W(a, b) - (min distance) TV(a, b) plus rounding (W > 0 for a != b)",
            separation,
            0.0,
            0.0,
        ),
        Measurement::at_most(
            "max |W1 - best of k! permutations| / rounding bound, 50 uniform k x k instances, k <= 6",
            brute,
            1.0,
            0.0,
        ),
    ])
}

pub(crate) fn c2(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, 32);
    let (mut worst_w1, mut worst_w2) = (0.0f64, 0.0f64);
    for _ in 0..INSTANCES {
        let k = rng.random_range(1..=12);
        // Points on the line, some repeated (ties).
        let xs: Vec<f64> = (0..k)
            .map(|_| (rng.random_range(-20..20) as f64) * 0.25)
            .collect();
        let (p, q) = (
            random_distribution(&mut rng, k),
            random_distribution(&mut rng, k),
        );
        let points = Points::from_flat(k, 1, xs.clone())?;
        let distance = CostMatrix::from_points(&points, &points, Metric::Euclidean)?;
        let general = emd(p.as_slice(), q.as_slice(), &distance)?.cost;
        let line = w1_histograms(&xs, &p, &q)?;
        worst_w1 = worst_w1.max(share(
            (general - line).abs(),
            solver_tolerance(2 * k, distance.max_finite()),
        ));
        // W2^2: the solver with cost |x - y|^2 against the quantile integral.
        let squared = CostMatrix::from_points(&points, &points, Metric::SquaredEuclidean)?;
        let general = emd(p.as_slice(), q.as_slice(), &squared)?.cost;
        let (a, b) = (
            LineSample::weighted(&xs, &p)?,
            LineSample::weighted(&xs, &q)?,
        );
        let quantile = wp(2.0, &a, &b)?.powi(2);
        // The quantile side: the square of a square root, and up to 2k steps
        // each rounded: 16 k EPS of the largest squared cost on top.
        let rounding = solver_tolerance(2 * k, squared.max_finite())
            + 16.0 * k as f64 * EPS * squared.max_finite();
        worst_w2 = worst_w2.max(share((general - quantile).abs(), rounding));
    }
    // The CDF formula against a closed form: n points k and n points k + 1/2.
    let n = 100_000;
    let a = LineSample::new(&(0..n).map(|k| k as f64).collect::<Vec<_>>())?;
    let b = LineSample::new(&(0..n).map(|k| k as f64 + 0.5).collect::<Vec<_>>())?;
    Ok(vec![
        Measurement::at_most(
            format!(
                "max |general solver - integral |F_p - F_q|| / rounding bound, {INSTANCES} histograms on the line"
            ),
            worst_w1,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            "max |solver with |x - y|^2 - W2^2 by quantiles| / rounding bound",
            worst_w2,
            1.0,
            0.0,
        ),
        Measurement::within(
            "W1 of 0..n-1 against 1/2..n-1/2, n = 100000 (exact: 1/2)",
            w1(&a, &b),
            0.5,
            0.0,
        ),
    ])
}

pub(crate) fn c3(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, 33);
    let (mut worst_gap, mut worst_excess) = (0.0f64, 0.0f64);
    for _ in 0..INSTANCES {
        let SolvedInstance { instance: x, t, .. } = random_solved_instance(&mut rng)?;
        let (n, m, dim) = (x.xp.len(), x.xq.len(), x.xp.dim());
        let f = KrPotential::new(&x.xq, &t.v, x.metric)?;
        let scale = kr_scale(&t, dim);
        let tight = f.expectation(&x.xp, x.p.as_slice())? - f.expectation(&x.xq, x.q.as_slice())?;
        worst_gap = worst_gap.max(share((tight - t.cost).abs(), kr_tolerance(n + m, scale)));
        // 1-Lipschitz on the support and on random points of the cube around it.
        let extra = random_points(&mut rng, 8, dim)?;
        let mut all: Vec<Vec<f64>> = Vec::new();
        for set in [&x.xp, &x.xq, &extra] {
            all.extend((0..set.len()).map(|i| set.point(i).to_vec()));
        }
        let excess = f.lipschitz_excess(&Points::new(all)?)?;
        worst_excess = worst_excess.max(share(excess, LIPSCHITZ_ULPS * EPS * scale));
    }
    Ok(vec![
        Measurement::at_most(
            format!("max |E_p f - E_q f - W1| / rounding bound over {INSTANCES} instances"),
            worst_gap,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            "max (|f(a) - f(b)| - d(a, b))^+ / rounding bound, support and random points",
            worst_excess,
            1.0,
            0.0,
        ),
    ])
}

/// The magnitude against which f's rounding is measured: the largest dual
/// and the largest distance in the unit cube of dimension `dim` (at most `dim`).
fn kr_scale(t: &Transport, dim: usize) -> f64 {
    t.v.iter()
        .chain(&t.u)
        .fold(dim as f64, |acc, x| acc.max(x.abs()))
}

/// Units of `EPS` of [`kr_scale`] allowed above 0 for `|f(a) - f(b)| - d(a, b)`.
///
/// Reason: `f(a) = d(a, y_k) - v_k` rounds the distance (a few ulps for a
/// square root of a sum of squares) and the subtraction; the difference of
/// two such values, less a third distance, carries about 8 ulps of the scale;
/// 32 leaves room.
pub(crate) const LIPSCHITZ_ULPS: f64 = 32.0;

/// The allowed `|E_p f - E_q f - W1|`.
///
/// Reason: exact arithmetic gives equality; in `f64` each `f` value carries
/// [`LIPSCHITZ_ULPS`] ulps of the scale, the expectations add one ulp each, and
/// the duals satisfy `u_i + v_j <= C_ij` only up to their rounding (a few ulps),
/// while the solver's cost carries [`solver_tolerance`].
pub(crate) fn kr_tolerance(nodes: usize, scale: f64) -> f64 {
    2.0 * LIPSCHITZ_ULPS * EPS * scale + solver_tolerance(nodes, scale)
}

/// The step of the central differences in C4.
const STEP: f64 = 1e-3;

pub(crate) fn c4(_: &Context) -> Result<Vec<Measurement>> {
    let mut rows = Vec::new();
    let (mut kl_finite, mut tv_off) = (0usize, 0.0f64);
    for theta in [-1.0, -0.25, 0.0, 0.25, 1.0] {
        let (w, p, q) = example_1(theta)?;
        rows.push(Measurement::within(
            format!("W1(P_0, P_theta) at theta = {theta} (= |theta|)"),
            w,
            f64::abs(theta),
            tol::IDENTITY_REL * f64::abs(theta),
        ));
        let expected_js = if theta == 0.0 { 0.0 } else { LN_2 };
        rows.push(Measurement::within(
            format!("JSD(P_0, P_theta) at theta = {theta}"),
            js(&p, &q)?,
            expected_js,
            tol::IDENTITY_ABS,
        ));
        if theta != 0.0 {
            kl_finite +=
                usize::from(kl(&p, &q)?.is_finite()) + usize::from(kl(&q, &p)?.is_finite());
            tv_off = tv_off.max((total_variation(&p, &q)? - 1.0).abs());
        }
    }
    // Central differences at theta = 0.5: W1 moves with theta, JSD does not.
    let theta = 0.5;
    let (w_plus, p_plus, q_plus) = example_1(theta + STEP)?;
    let (w_minus, p_minus, q_minus) = example_1(theta - STEP)?;
    let w_slope = (w_plus - w_minus) / (2.0 * STEP);
    let js_slope = (js(&p_plus, &q_plus)? - js(&p_minus, &q_minus)?) / (2.0 * STEP);
    // Reason: theta +- STEP and the two W1 values each round by an ulp of 1,
    // divided by 2 STEP.
    let fd_rounding = 4.0 * EPS / STEP;
    rows.extend([
        Measurement::within(
            "KL(P_0 || P_theta) and KL(P_theta || P_0) finite, count over theta != 0 (KL = +inf)",
            kl_finite as f64,
            0.0,
            0.0,
        ),
        Measurement::within(
            "max |TV(P_0, P_theta) - 1| over theta != 0",
            tv_off,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::within(
            "dW1/dtheta at theta = 1/2 (central difference; = sign(theta))",
            w_slope,
            1.0,
            fd_rounding,
        ),
        Measurement::within(
            "dJSD/dtheta at theta = 1/2 (central difference; vanishes)",
            js_slope,
            0.0,
            fd_rounding,
        ),
    ]);
    Ok(rows)
}

pub(crate) fn c5(_: &Context) -> Result<Vec<Measurement>> {
    let mut worst_w1 = 0.0f64;
    let sizes: Vec<u64> = (0..=20).map(|k| 1u64 << k).collect();
    for &n in &sizes {
        let x = 1.0 / n as f64;
        let w = w1(&LineSample::new(&[x])?, &LineSample::new(&[0.0])?);
        worst_w1 = worst_w1.max((w - x).abs());
    }
    let at_million = w1(&LineSample::new(&[1e-6])?, &LineSample::new(&[0.0])?);
    // JSD and TV on the union of the supports {1/n} and {0}, for every n:
    // whether they overlap is decided by the points themselves.
    let (mut js_off, mut tv_off) = (0.0f64, 0.0f64);
    for &n in &sizes {
        let (p, q) = on_union(&[vec![1.0 / n as f64]], &[vec![0.0]])?;
        js_off = js_off.max((js(&p, &q)? - LN_2).abs());
        tv_off = tv_off.max((total_variation(&p, &q)? - 1.0).abs());
    }
    Ok(vec![
        Measurement::within(
            format!(
                "max |W1(delta_1/n, delta_0) - 1/n| over n = 2^0 .. 2^20 ({} values)",
                sizes.len()
            ),
            worst_w1,
            0.0,
            0.0,
        ),
        Measurement::at_most("W1(delta_1e-6, delta_0): tends to 0", at_million, 1e-6, 0.0),
        Measurement::within(
            "max |JSD(delta_1/n, delta_0) - ln 2| over the same n, on the union of the supports (JSD stays ln 2)",
            js_off,
            0.0,
            0.0,
        ),
        Measurement::within(
            "max |TV(delta_1/n, delta_0) - 1| over the same n, on the union of the supports",
            tv_off,
            0.0,
            0.0,
        ),
    ])
}
