//! Optimal transport: the exact Earth Mover distance on discrete
//! distributions (plan, dual potentials and a certificate of optimality),
//! ground costs, the one-dimensional fast paths and the
//! Kantorovich-Rubinstein potential (claims C1-C5).
//!
//! Serves claims [C1](crate::proofs::c1_optimal_transport), [C2](crate::proofs::c2_one_dimension),
//! [C3](crate::proofs::c3_kantorovich_rubinstein), [C4](crate::proofs::c4_disjoint_supports),
//! [C5](crate::proofs::c5_weak_convergence).
//!
//! # The problem
//!
//! Given masses $p \in \mathbb R_{\ge 0}^n$, $q \in \mathbb R_{\ge 0}^m$ with
//! equal totals and a cost matrix $C \in [0, +\infty]^{n \times m}$
//! ([`CostMatrix`], from a matrix or from points with a [`Metric`]),
//! [`emd`] solves
//!
//! $$\min_{x \ge 0} \sum_{ij} C_{ij} x_{ij} \quad \text{subject to} \quad \sum_j x_{ij} = p_i, \quad \sum_i x_{ij} = q_j,$$
//!
//! with $x_{ij} = 0$ where $C_{ij} = +\infty$ (a forbidden arc), and its dual
//!
//! $$\max_{u, v} \sum_i p_i u_i + \sum_j q_j v_j \quad \text{subject to} \quad u_i + v_j \le C_{ij} \text{ on every finite arc.}$$
//!
//! The answer ([`Transport`]) holds the cost, the plan as sparse entries
//! `(i, j, mass)`, and potentials `u`, `v` with `u_i + v_j = C_ij` on every
//! arc that carries mass (complementary slackness), so that
//! `sum p u + sum q v` equals the cost. Rows and columns of zero mass get
//! feasible potentials too. With a metric cost, `u` and `-v` give the
//! Kantorovich-Rubinstein potential of W1.
//!
//! The [`Certificate`] ([`verify_certificate`]) re-checks the three
//! conditions (marginals, dual feasibility, zero gap) within tolerances
//! relative to the problem's scales; [`emd`] returns an error rather than an
//! answer whose certificate fails, and an error when its iteration cap is
//! reached: it never returns a sub-optimal plan silently.
//!
//! # The solver
//!
//! A network simplex of our own (module `simplex`): an artificial root with
//! big-M arcs as the starting basis, block-search pricing over about
//! `sqrt(n m)` arcs, a strongly feasible spanning tree with Cunningham's
//! leaving-arc rule against cycling on degenerate problems (ties, all-equal
//! costs, zero masses).
//!
//! **Flows are exact.** Every finite mass is an integer multiple of `2^f`,
//! `f` the lowest binary digit used by any mass, and every flow of a basis
//! is a signed sum of masses. Flows are kept as exact fixed-point integers
//! (two 64-bit words for masses like `rand() / sum`, seventeen when
//! subnormal masses sit next to masses near 1), so ratio tests compare exact
//! values, the tree stays strongly feasible exactly, and the totals are made
//! exactly equal first (their rounding-level difference goes to the largest
//! column mass).
//!
//! **Costs in two phases.**
//!
//! 1. **`f64` phase.** Potentials and reduced costs `C_ij - u_i - v_j` in
//!    `f64`; an arc enters only if its reduced cost is below
//!    `-64 EPS (C_ij + |u_i| + |v_j|)`, beyond its own rounding noise.
//! 2. **Exact phase.** Every finite cost is an integer multiple of `2^e`,
//!    `e` the lowest binary digit used by any cost, and every potential is a
//!    signed sum of costs along a tree path (at most one of them the big-M
//!    cost `M = 2^k >= 2 (n + m) max C`). So potentials and reduced costs are
//!    exact in a fixed-point integer of `log2(16 M) - e + 1` bits (two 64-bit
//!    words for costs in `[1e-4, 2]` and n up to thousands, three for costs
//!    from `1e-3` to `1e32`). The exact phase computes the potentials of the
//!    tree exactly, re-prices every arc (an `f64` estimate with a proven
//!    error bound decides the sign of most reduced costs; the others are
//!    computed exactly) and pivots, with exact potential updates, until no
//!    exact reduced cost is negative. On well-scaled problems it finds
//!    nothing to do; on wide-range ones it does the work `f64` cannot, and
//!    after `n + m` pivots it hands back to the `f64` phase (once the huge
//!    arcs are out of the tree, `f64` prices well again), until a full exact
//!    pass finds no negative reduced cost.
//!
//! The potentials hold no `M` at the end: no artificial arc carries flow
//! at the big-M optimum of a feasible problem, and an arc of zero flow
//! points towards the root (strong feasibility), so every subtree hanging
//! from the root does so on a cost-0 arc and its top has potential 0. The
//! exact potentials are rounded once to `f64`.
//!
//! **Guarantee.** The returned plan is an optimal basic solution *in exact
//! rational arithmetic* for the given data (when the totals differ by
//! rounding, for the data with that difference added to the largest
//! `q_j`), whatever the spread of the
//! costs (`1e-3` next to `1e32`, subnormal costs, ties) or of the masses
//! (`1e-300`, subnormal, zero): every flow is exact before it is rounded
//! once to the nearest `f64`, and every finite arc's reduced cost is
//! non-negative exactly. A solver that prices in `f64` alone goes wrong
//! there: with potentials near `1e32` its reduced costs carry an error near
//! `1e16` and the small costs vanish from them (POT's `ot.emd2` misses the
//! optimum on 66 of 70 such instances in `benches/compare/pot_emd.py`).
//! Whether a feasible plan exists is decided exactly too: mass of `5e-324`
//! that can only use forbidden arcs is an error. The reported cost is
//! `sum x_ij C_ij` with compensated products (its own rounding only: when a
//! `1e32` arc carries mass, the small costs are below its last digit, and
//! the plan, not the cost, shows them). The reported potentials are the
//! exact ones rounded to nearest, so their dual feasibility holds within
//! one ulp of each.
//!
//! **Cost and memory.** The cost matrix is the only O(n m) storage (8 n m
//! bytes; building it from points allocates it once); the solver adds
//! O(n + m) words, so on a 24 GiB machine n = m goes to about 55 000 (the
//! matrix takes 22.5 GiB). Time grows about like `n^3` for random
//! Euclidean instances: n = 1000 takes tens of milliseconds, n = 5000 about
//! two seconds on one core; pricing reads the cost rows in a vectorised
//! loop, and a pivot costs its cycle plus the smaller part of the tree.
//!
//! **Masses.** `p` and `q` are anything that reads as `&[f64]`
//! (`&impl AsRef<[f64]>`): a slice, an array, a `Vec`, or the same
//! [`Discrete`](crate::Discrete) a divergence takes. They must be finite and non-negative; their totals
//! must agree within 4 ulps per entry of the larger total (else
//! [`Error::Unbalanced`]), unless
//! [`EmdOptions::normalize`] asks to divide each by its total. When mass can
//! only move along forbidden arcs, [`Error::NoFeasiblePlan`].
//!
//! # Example
//! ```
//! use gan_theory::transport::{CostMatrix, Metric, Points, emd};
//! // Two points on the line at 0 and 1 against two at 2 and 3, equal masses:
//! // every unit moves by 2.
//! let xp = Points::new(vec![vec![0.0], vec![1.0]])?;
//! let xq = Points::new(vec![vec![2.0], vec![3.0]])?;
//! let cost = CostMatrix::from_points(&xp, &xq, Metric::Euclidean)?;
//! let t = emd(&[0.5, 0.5], &[0.5, 0.5], &cost)?;
//! assert_eq!(t.cost, 2.0);
//! assert!(t.certificate.passed);
//! // The duals certify it: u_i + v_j <= C_ij, and sum p u + sum q v = cost.
//! let dual = 0.5 * (t.u[0] + t.u[1]) + 0.5 * (t.v[0] + t.v[1]);
//! assert!((dual - 2.0).abs() < 1e-15);
//! # Ok::<(), gan_theory::Error>(())
//! ```

pub mod certificate;
pub mod cost;
mod fixed;
pub mod line;
pub mod potential;
mod simplex;

pub use certificate::{Certificate, verify_certificate};
pub use cost::{CostMatrix, Metric, Points};

use crate::error::{Error, Result};
use crate::numeric::CompensatedSum;

/// One entry of a transport plan: `mass` moves from row `i` to column `j`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanEntry {
    /// Row (point of the first distribution).
    pub i: usize,
    /// Column (point of the second distribution).
    pub j: usize,
    /// Mass moved, positive.
    pub mass: f64,
}

/// An optimal transport plan with its cost, dual potentials and certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Transport {
    /// `sum_ij x_ij C_ij`, the optimal cost (products and sum compensated).
    pub cost: f64,
    /// The entries of the plan with positive mass, sorted by `(i, j)`; at
    /// most `n + m - 1` of them (a basic solution).
    pub plan: Vec<PlanEntry>,
    /// Row potentials: `u_i + v_j <= C_ij` on every finite arc, with equality
    /// where mass moves.
    pub u: Vec<f64>,
    /// Column potentials.
    pub v: Vec<f64>,
    /// The check of this answer by [`verify_certificate`] (it passed).
    pub certificate: Certificate,
    /// Pivots of the network simplex in its `f64` phase.
    pub pivots: usize,
    /// Pivots in its exact phase (usually 0: the `f64` phase was right).
    pub exact_pivots: usize,
}

impl Transport {
    /// The plan as a dense row-major `n x m` matrix (mostly zeros).
    ///
    /// # Example
    /// ```
    /// use gan_theory::transport::{CostMatrix, emd};
    /// let cost = CostMatrix::from_rows(vec![vec![0.0, 1.0], vec![1.0, 0.0]])?;
    /// let t = emd(&[0.5, 0.5], &[0.25, 0.75], &cost)?;
    /// // A quarter of the mass crosses over at cost 1; the rest stays.
    /// assert_eq!(t.dense_plan(), vec![vec![0.25, 0.25], vec![0.0, 0.5]]);
    /// assert_eq!(t.cost, 0.25);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn dense_plan(&self) -> Vec<Vec<f64>> {
        let mut dense = vec![vec![0.0; self.v.len()]; self.u.len()];
        for e in &self.plan {
            dense[e.i][e.j] += e.mass;
        }
        dense
    }
}

/// Options of [`emd_with`].
///
/// # Example
/// ```
/// use gan_theory::transport::{CostMatrix, EmdOptions, emd_with};
/// let cost = CostMatrix::from_rows(vec![vec![0.0, 1.0]])?;
/// let options = EmdOptions { normalize: true, ..EmdOptions::default() };
/// // Totals 2 and 4 become distributions (1) and (1/4, 3/4).
/// let t = emd_with(&[2.0], &[1.0, 3.0], &cost, &options)?;
/// assert_eq!(t.cost, 0.75);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmdOptions {
    /// Divide `p` and `q` by their totals before solving (so they need not
    /// balance). The plan, the cost and the certificate then refer to the
    /// normalised masses. Default: no.
    pub normalize: bool,
    /// Cap on the number of pivots; reaching it is
    /// [`Error::IterationLimit`]. Default (`None`): `1e6 + 1000 (n + m)`
    /// for an `n x m` problem, far above the few times `n + m` pivots a
    /// network simplex with block pricing needs (a guard against a bug or a
    /// pathological instance).
    pub max_iterations: Option<usize>,
}

/// The default pivot cap for an `n x m` problem: `1e6 + 1000 (n + m)`.
///
/// A network simplex with block pricing typically needs a few times `n + m`
/// pivots; the cap is a guard against a bug or a pathological instance, far
/// above any count seen.
pub(crate) fn default_iteration_cap(n: usize, m: usize) -> usize {
    1_000_000usize.saturating_add((n.saturating_add(m)).saturating_mul(1000))
}

/// Validates masses: every entry finite and non-negative. Returns the
/// (compensated) total.
///
/// Checked by claim [C1](crate::proofs::c1_optimal_transport).
///
/// # Errors
/// [`Error::Empty`], then [`Error::NotANumber`], [`Error::Infinite`] or
/// [`Error::Negative`] with the index of the first bad entry.
///
/// # Example
/// ```
/// use gan_theory::{Error, transport::check_masses};
/// assert_eq!(check_masses(&[0.25, 0.0, 0.75])?, 1.0);
/// assert_eq!(check_masses(&[1.0, -2.0]), Err(Error::Negative { index: 1, value: -2.0 }));
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn check_masses(masses: &[f64]) -> Result<f64> {
    crate::measure::check_non_negative(masses)?;
    Ok(crate::numeric::sum(masses.iter().copied()))
}

/// The exact Earth Mover distance between masses `p` and `q` under `cost`,
/// with default options (no normalisation): see the module docs.
///
/// `p` and `q` are slices, arrays, vectors or [`Discrete`](crate::Discrete)
/// distributions (`&impl AsRef<[f64]>`), validated by [`check_masses`].
///
/// Checked by claims [C1](crate::proofs::c1_optimal_transport),
/// [C2](crate::proofs::c2_one_dimension), [C3](crate::proofs::c3_kantorovich_rubinstein),
/// [C4](crate::proofs::c4_disjoint_supports).
///
/// # Errors
/// See [`emd_with`].
///
/// # Example
/// ```
/// use gan_theory::{Error, transport::{CostMatrix, emd}};
/// let cost = CostMatrix::from_rows(vec![vec![1.0, f64::INFINITY], vec![f64::INFINITY, 3.0]])?;
/// assert_eq!(emd(&[0.5, 0.5], &[0.5, 0.5], &cost)?.cost, 2.0);
/// // Row 0 may only go to column 0, which can take half of its mass.
/// assert!(matches!(emd(&[1.0, 0.0], &[0.5, 0.5], &cost), Err(Error::NoFeasiblePlan { .. })));
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn emd<P, Q>(p: &P, q: &Q, cost: &CostMatrix) -> Result<Transport>
where
    P: AsRef<[f64]> + ?Sized,
    Q: AsRef<[f64]> + ?Sized,
{
    emd_with(p, q, cost, &EmdOptions::default())
}

/// [`emd`] with options.
///
/// Checked by claim [C1](crate::proofs::c1_optimal_transport).
///
/// # Errors
/// In this order: [`check_masses`]' errors for `p`, then for `q` (the index
/// is the entry's in its own vector); [`Error::InvalidParameter`] when a
/// total overflows `f64`; [`Error::ShapeMismatch`] when `cost`
/// is not `p.len() x q.len()`; [`Error::Unbalanced`] when the totals differ
/// by more than 4 ulps per entry of the larger total (without
/// normalisation), or [`Error::ZeroTotal`] when normalising a zero total;
/// [`Error::NoFeasiblePlan`] when mass cannot avoid forbidden arcs;
/// [`Error::IterationLimit`] at the pivot cap; [`Error::InvalidParameter`]
/// when the optimal cost exceeds `f64::MAX`; [`Error::CertificateFailed`]
/// if the answer does not certify (a bug, reported rather than hidden).
///
/// # Example
/// ```
/// use gan_theory::transport::{CostMatrix, EmdOptions, Metric, Points, emd_with};
/// // Three points on the line against three shifted by 1: W1 = 1.
/// let x = Points::new(vec![vec![0.0], vec![1.0], vec![2.0]])?;
/// let y = Points::new(vec![vec![1.0], vec![2.0], vec![3.0]])?;
/// let cost = CostMatrix::from_points(&x, &y, Metric::Euclidean)?;
/// let options = EmdOptions { normalize: true, max_iterations: Some(100) };
/// let t = emd_with(&[1.0, 1.0, 1.0], &[2.0, 2.0, 2.0], &cost, &options)?;   // totals 3 and 6
/// assert!((t.cost - 1.0).abs() < 1e-15);
/// // Strong duality: sum_i p_i u_i + sum_j q_j v_j = W1 (with the normalised masses).
/// let dual: f64 = t.u.iter().chain(&t.v).map(|w| w / 3.0).sum();
/// assert!((dual - t.cost).abs() < 1e-12);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn emd_with<P, Q>(p: &P, q: &Q, cost: &CostMatrix, options: &EmdOptions) -> Result<Transport>
where
    P: AsRef<[f64]> + ?Sized,
    Q: AsRef<[f64]> + ?Sized,
{
    let (p, q) = (p.as_ref(), q.as_ref());
    let total_p = check_masses(p)?;
    let total_q = check_masses(q)?;
    for (name, total) in [("total of p", total_p), ("total of q", total_q)] {
        if !total.is_finite() {
            return Err(Error::InvalidParameter {
                name,
                value: total,
                requirement: "the total mass must be finite (at most f64::MAX)",
            });
        }
    }
    let (n, m) = (p.len(), q.len());
    if cost.rows() != n || cost.cols() != m {
        return Err(Error::ShapeMismatch {
            rows: cost.rows(),
            cols: cost.cols(),
            expected_rows: n,
            expected_cols: m,
        });
    }
    let (p, q): (Vec<f64>, Vec<f64>) = if options.normalize {
        if total_p == 0.0 || total_q == 0.0 {
            return Err(Error::ZeroTotal);
        }
        (
            p.iter().map(|x| x / total_p).collect(),
            q.iter().map(|x| x / total_q).collect(),
        )
    } else {
        let tolerance =
            crate::tol::SUM_ULPS_PER_ENTRY * (n + m) as f64 * f64::EPSILON * total_p.max(total_q);
        if (total_p - total_q).abs() > tolerance {
            return Err(Error::Unbalanced {
                left: total_p,
                right: total_q,
                tolerance,
            });
        }
        (p.to_vec(), q.to_vec())
    };
    let mass_total =
        crate::numeric::sum(p.iter().copied()).max(crate::numeric::sum(q.iter().copied()));
    let cap = options
        .max_iterations
        .unwrap_or_else(|| default_iteration_cap(n, m));
    let solved = simplex::solve(&p, &q, cost, cap)?;
    let plan: Vec<PlanEntry> = solved
        .plan
        .into_iter()
        .map(|(i, j, mass)| PlanEntry { i, j, mass })
        .collect();
    let mut total = CompensatedSum::new();
    for e in &plan {
        let c = cost.get(e.i, e.j);
        let product = e.mass * c;
        total.add(product);
        total.add(e.mass.mul_add(c, -product));
    }
    let cost_value = total.value();
    if !cost_value.is_finite() {
        // Every arc used is finite, so the optimum itself exceeds f64::MAX:
        // bad input, not a failure of the solver (its certificate would fail
        // on the infinite cost).
        return Err(Error::InvalidParameter {
            name: "optimal cost",
            value: f64::INFINITY,
            requirement: "the optimal cost must be finite (at most f64::MAX); scale the masses or the costs down",
        });
    }
    let mut answer = Transport {
        cost: cost_value,
        plan,
        u: solved.u,
        v: solved.v,
        certificate: Certificate {
            mass_total,
            max_marginal_error: 0.0,
            marginal_tolerance: 0.0,
            max_dual_violation: 0.0,
            dual_violation_ratio: 0.0,
            primal_cost: 0.0,
            dual_objective: 0.0,
            gap: 0.0,
            gap_tolerance: 0.0,
            passed: false,
        },
        pivots: solved.pivots,
        exact_pivots: solved.exact_pivots,
    };
    let certificate = verify_certificate(&p, &q, cost, &answer);
    if !certificate.passed {
        return Err(Error::CertificateFailed {
            detail: certificate.summary(),
        });
    }
    answer.certificate = certificate;
    Ok(answer)
}
