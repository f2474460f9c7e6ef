//! The certificate of an optimal transport plan, re-checked from scratch.
//!
//! Serves claim [C1](crate::proofs::c1_optimal_transport).
//!
//! A plan `x` and potentials `(u, v)` prove each other optimal when
//!
//! 1. `x` is **primal feasible**: `x_ij >= 0`, no mass on a forbidden arc,
//!    `sum_j x_ij = p_i` and `sum_i x_ij = q_j`;
//! 2. `(u, v)` is **dual feasible**: `u_i + v_j <= C_ij` on every finite arc;
//! 3. the **duality gap** is zero: `sum_ij x_ij C_ij = sum_i p_i u_i + sum_j q_j v_j`.
//!
//! For any feasible plan `y`, `sum y C >= sum y (u + v) = sum p u + sum q v`
//! (weak duality), so 1-3 make `x` a cheapest plan. [`verify_certificate`]
//! checks the three in floating point, with tolerances relative to the
//! problem's own scales (below); it does not trust the solver.

use super::Transport;
use super::cost::CostMatrix;
use crate::numeric::{CompensatedSum, two_sum};

/// Units in the last place of the total mass, per node (row or column),
/// allowed for the error of a marginal.
///
/// Reason: the solver's flows are exact and each plan entry is rounded once
/// (half an ulp of itself), a marginal's compensated sum adds about one ulp
/// of the total, and the balance check lets the two totals differ by
/// `SUM_ULPS_PER_ENTRY` = 4 ulps per entry, which the solver adds to the
/// largest column. 16 ulps per node covers the sum of these with room.
pub const MARGINAL_ULPS_PER_NODE: f64 = 16.0;

/// Units of `EPS` per unit of `|u_i| + |v_j|` that `u_i + v_j` may exceed `C_ij`.
///
/// Reason: the solver's potentials are exact rational numbers (dual
/// feasible exactly); the reported `u_i` and `v_j` are each rounded to the
/// nearest `f64` (within one ulp), so the rounded sum can exceed `C_ij` by
/// up to one ulp of each.
pub const DUAL_ULPS: f64 = 2.0;

/// Absolute allowance for the dual check: a few subnormal units, for
/// potentials so small that their ulps are subnormal.
pub const DUAL_ABS: f64 = 4.0 * 5e-324;

/// Units of `EPS` of `sum x C + sum p |u| + sum q |v|` allowed for the
/// duality gap, on top of the marginal errors' exact contribution
/// `sum_i |r_i| |u_i| + sum_j |s_j| |v_j|`.
///
/// Reason: on the arcs carrying mass `C_ij = u_i + v_j` holds exactly for
/// the exact potentials and within an ulp of each for the rounded ones, so
/// `sum x C - sum x (u + v)` is at most two ulps of `sum x (|u| + |v|)`;
/// the products and the compensated sums add about one ulp each. 8 is a
/// safe bound.
pub const GAP_ULPS: f64 = 8.0;

/// Subnormal units per product allowed for the duality gap, on top of
/// [`GAP_ULPS`]: a product `x_ij C_ij` or `p_i u_i` whose value is subnormal
/// is rounded to a multiple of `2^-1074`, an absolute error that no relative
/// allowance covers (costs and potentials near `1e-320`).
pub const GAP_SUBNORMAL_UNITS_PER_TERM: f64 = 2.0;

/// The numbers behind the verdict of [`verify_certificate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    /// `max(sum p, sum q)`: the scale of the marginal errors.
    pub mass_total: f64,
    /// `max` over rows and columns of `|sum_j x_ij - p_i|`, `|sum_i x_ij - q_j|`
    /// (`+inf` when the plan names an arc outside the matrix, a negative or
    /// non-finite mass, or mass on a forbidden arc).
    pub max_marginal_error: f64,
    /// [`MARGINAL_ULPS_PER_NODE`] `* (n + m) * EPS * mass_total`.
    pub marginal_tolerance: f64,
    /// `max(u_i + v_j - C_ij, 0)` over finite arcs, computed without rounding
    /// error in the sum.
    pub max_dual_violation: f64,
    /// The largest ratio of an arc's violation to its allowance
    /// `DUAL_ULPS * EPS * (|u_i| + |v_j|) + DUAL_ABS`; at most 1 passes.
    pub dual_violation_ratio: f64,
    /// `sum_ij x_ij C_ij` (products and sum compensated).
    pub primal_cost: f64,
    /// `sum_i p_i u_i + sum_j q_j v_j` (products and sum compensated).
    pub dual_objective: f64,
    /// `|primal_cost - dual_objective|`.
    pub gap: f64,
    /// The allowed gap: [`GAP_ULPS`] `* EPS * (primal + sum p |u| + sum q |v|)`
    /// plus the marginal errors times the potentials, plus
    /// [`GAP_SUBNORMAL_UNITS_PER_TERM`] subnormal units per product.
    pub gap_tolerance: f64,
    /// All three checks hold and every number is finite.
    pub passed: bool,
}

impl Certificate {
    /// A certificate that fails: the plan or the duals do not fit the problem.
    fn refused() -> Self {
        Self {
            mass_total: f64::INFINITY,
            max_marginal_error: f64::INFINITY,
            marginal_tolerance: 0.0,
            max_dual_violation: f64::INFINITY,
            dual_violation_ratio: f64::INFINITY,
            primal_cost: f64::INFINITY,
            dual_objective: f64::INFINITY,
            gap: f64::INFINITY,
            gap_tolerance: 0.0,
            passed: false,
        }
    }

    /// One line with every number, for error messages.
    pub fn summary(&self) -> String {
        format!(
            "marginal error {:e} (tolerance {:e}), dual violation {:e} ({:.3} of its allowance), \
             primal {:e}, dual {:e}, gap {:e} (tolerance {:e})",
            self.max_marginal_error,
            self.marginal_tolerance,
            self.max_dual_violation,
            self.dual_violation_ratio,
            self.primal_cost,
            self.dual_objective,
            self.gap,
            self.gap_tolerance
        )
    }
}

/// The marginal tolerance for `nodes = n + m` and a total mass.
pub(crate) fn marginal_tolerance(nodes: usize, mass_total: f64) -> f64 {
    MARGINAL_ULPS_PER_NODE * nodes as f64 * f64::EPSILON * mass_total
}

/// `a b` as an unevaluated sum `p + e` (exact, through a fused multiply-add).
#[inline]
fn two_product(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let e = a.mul_add(b, -p);
    (p, if e.is_finite() { e } else { 0.0 })
}

/// Compensated `sum a_k b_k`.
fn dot(pairs: impl Iterator<Item = (f64, f64)>) -> f64 {
    let mut s = CompensatedSum::new();
    for (a, b) in pairs {
        let (p, e) = two_product(a, b);
        s.add(p);
        s.add(e);
    }
    s.value()
}

/// Checks a transport answer against its problem from scratch: primal
/// feasibility, dual feasibility and the duality gap (see the module docs
/// for the formulas and [`Certificate`] for the tolerances).
///
/// `p` and `q` are the masses the plan must move (after normalisation, when
/// the solver was asked to normalise). Shapes that do not fit give a
/// certificate that fails, never a panic.
///
/// Checked by claim [C1](crate::proofs::c1_optimal_transport).
///
/// # Limitation
/// The dual and gap tolerances grow with `|u_i| + |v_j|`, the size of the
/// potentials, because that is the rounding of `u_i + v_j` in `f64`. Adding a
/// constant `K` to every `u_i` and subtracting it from every `v_j` leaves the
/// dual objective unchanged but inflates those tolerances, so a caller who
/// hands in a wrong plan with potentials shifted by `K = 1e15` on a cost of
/// order 1 can pass. The potentials that [`emd`](super::emd) returns are
/// sums of costs along paths of its spanning tree, so this check is tight for
/// its own answers; for answers from elsewhere, compare `gap_tolerance` with
/// the cost's own scale before trusting `passed`.
///
/// # Example
/// ```
/// use gan_theory::transport::{CostMatrix, emd, verify_certificate};
/// let cost = CostMatrix::from_rows(vec![vec![0.0, 2.0], vec![1.0, 0.0]])?;
/// let (p, q) = ([0.5, 0.5], [0.25, 0.75]);
/// let t = emd(&p, &q, &cost)?;
/// // Row 1 can give column 1 only 1/2, so row 0 sends it 1/4 at cost 2.
/// assert_eq!(t.cost, 0.5);
/// let cert = verify_certificate(&p, &q, &cost, &t);
/// assert!(cert.passed && cert.gap <= cert.gap_tolerance);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn verify_certificate<P, Q>(p: &P, q: &Q, cost: &CostMatrix, t: &Transport) -> Certificate
where
    P: AsRef<[f64]> + ?Sized,
    Q: AsRef<[f64]> + ?Sized,
{
    let (p, q) = (p.as_ref(), q.as_ref());
    let (n, m) = (p.len(), q.len());
    if n != cost.rows() || m != cost.cols() || t.u.len() != n || t.v.len() != m {
        return Certificate::refused();
    }
    // Primal feasibility.
    let mut rows = vec![CompensatedSum::new(); n];
    let mut cols = vec![CompensatedSum::new(); m];
    let mut primal = CompensatedSum::new();
    for e in &t.plan {
        if e.i >= n || e.j >= m || !(e.mass >= 0.0 && e.mass.is_finite()) {
            return Certificate::refused();
        }
        let c = cost.get(e.i, e.j);
        if !c.is_finite() && e.mass > 0.0 {
            return Certificate::refused();
        }
        rows[e.i].add(e.mass);
        cols[e.j].add(e.mass);
        if e.mass > 0.0 {
            let (a, b) = two_product(e.mass, c);
            primal.add(a);
            primal.add(b);
        }
    }
    let row_errors: Vec<f64> = rows.iter().zip(p).map(|(s, &x)| s.value() - x).collect();
    let col_errors: Vec<f64> = cols.iter().zip(q).map(|(s, &x)| s.value() - x).collect();
    let max_marginal_error = row_errors
        .iter()
        .chain(&col_errors)
        .fold(0.0f64, |a, &b| a.max(b.abs()));
    let mass_total =
        crate::numeric::sum(p.iter().copied()).max(crate::numeric::sum(q.iter().copied()));
    let marginal_tol = marginal_tolerance(n + m, mass_total);

    // Dual feasibility: u_i + v_j - C_ij without rounding in the sum.
    let (mut max_violation, mut ratio) = (0.0f64, 0.0f64);
    for i in 0..n {
        let ui = t.u[i];
        for (j, &c) in cost.row(i).iter().enumerate() {
            if !c.is_finite() {
                continue;
            }
            let vj = t.v[j];
            let quick = (ui + vj) - c;
            let scale = ui.abs() + vj.abs();
            // Far below zero: no violation whatever the rounding.
            if quick < -4.0 * f64::EPSILON * (scale + c) {
                continue;
            }
            let (s, e) = two_sum(ui, vj);
            let violation = (s - c) + e;
            if violation > 0.0 || violation.is_nan() {
                max_violation = max_violation.max(violation);
                let allowance = DUAL_ULPS * f64::EPSILON * scale + DUAL_ABS;
                ratio = ratio.max(violation / allowance);
                if violation.is_nan() {
                    ratio = f64::INFINITY;
                }
            }
        }
    }

    // Duality gap.
    let primal_cost = primal.value();
    let dual_objective = dot(p.iter().copied().zip(t.u.iter().copied()))
        + dot(q.iter().copied().zip(t.v.iter().copied()));
    let magnitude = crate::numeric::sum(
        p.iter()
            .zip(&t.u)
            .chain(q.iter().zip(&t.v))
            .map(|(a, b)| a * b.abs()),
    );
    let residual_effect = crate::numeric::sum(
        row_errors
            .iter()
            .zip(&t.u)
            .chain(col_errors.iter().zip(&t.v))
            .map(|(r, w)| r.abs() * w.abs()),
    );
    let gap = (primal_cost - dual_objective).abs();
    let terms = (t.plan.len() + n + m) as f64;
    let gap_tolerance = GAP_ULPS * f64::EPSILON * (primal_cost.abs() + magnitude)
        + residual_effect
        + GAP_SUBNORMAL_UNITS_PER_TERM * terms * 5e-324;
    let passed = max_marginal_error <= marginal_tol
        && ratio <= 1.0
        && gap <= gap_tolerance
        && primal_cost.is_finite()
        && dual_objective.is_finite();
    Certificate {
        mass_total,
        max_marginal_error,
        marginal_tolerance: marginal_tol,
        max_dual_violation: max_violation,
        dual_violation_ratio: ratio,
        primal_cost,
        dual_objective,
        gap,
        gap_tolerance,
        passed,
    }
}
