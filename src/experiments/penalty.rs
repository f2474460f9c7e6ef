//! The experiments of claim F6 (where the gradient penalty looks): discrete
//! instances in the plane with their exact plan and Kantorovich potential,
//! the smallest and largest optimal critics, and discrete instances on the
//! line where the penalised critic objective's optimum has a closed form.
//! Claim F6's check measures them; the report's gradient-penalty figure
//! draws the same instances.

use crate::error::{Error, Result};
use crate::experiments::full_support;
use crate::transport::potential::KrPotential;
use crate::transport::{CostMatrix, Metric, PlanEntry, Points, emd};
use rand::{Rng, RngExt};

/// The penalty weight of Gulrajani et al. (2017).
pub(crate) const LAMBDA: f64 = 10.0;
/// Points of each distribution of a plane instance.
pub(crate) const PLANE_POINTS: usize = 8;
/// Plane instances per check.
pub(crate) const PLANE_INSTANCES: usize = 16;
/// Interpolation weights `t = (l + 1/2) / GRID` per segment at which the
/// critics are evaluated: the penalty's `t ~ U[0, 1]` on a midpoint grid.
pub(crate) const GRID: usize = 32;
/// Points of each distribution of a line instance.
pub(crate) const LINE_POINTS: usize = 6;
/// Line instances per check.
pub(crate) const LINE_INSTANCES: usize = 16;
/// The smallest mass of a point relative to the uniform `1/n`: masses are
/// weights uniform in `[MASS_FLOOR, 1]`, normalised.
const MASS_FLOOR: f64 = 0.2;

fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// A discrete instance in the plane: `p` on `xp` (uniform in `[0, 1]^2`), `q`
/// on `xq` (uniform in `[1/2, 3/2]^2`), Euclidean cost, with its exact plan,
/// duals and Kantorovich potential.
#[derive(Debug, Clone)]
pub(crate) struct PlaneInstance {
    /// Support of `p`.
    pub(crate) xp: Vec<[f64; 2]>,
    /// Support of `q`.
    pub(crate) xq: Vec<[f64; 2]>,
    /// Masses of `p`.
    pub(crate) p: Vec<f64>,
    /// Masses of `q`.
    pub(crate) q: Vec<f64>,
    /// `W1(p, q)`.
    pub(crate) w1: f64,
    /// The exact solver's optimal plan (a basic solution).
    pub(crate) plan: Vec<PlanEntry>,
    /// Reduced costs `d(x_i, y_j) - u_i - v_j >= 0`, row-major: 0 on the
    /// plan's arcs (complementary slackness).
    pub(crate) reduced: Vec<f64>,
    /// `f(x) = min_j (d(x, y_j) - v_j)` (claim C3).
    pub(crate) critic: KrPotential,
    /// `f` at the support points, `xp` then `xq`: every optimal critic's
    /// values there are these (for this dual), and the smallest and largest
    /// optimal critics extend them.
    values: Vec<f64>,
}

impl PlaneInstance {
    /// The support points, `xp` then `xq`.
    fn support(&self) -> impl Iterator<Item = ([f64; 2], f64)> + '_ {
        self.xp
            .iter()
            .chain(&self.xq)
            .copied()
            .zip(self.values.iter().copied())
    }

    /// `F+(x) = min_s (f(s) + d(x, s))` over the support points: the largest
    /// 1-Lipschitz function with the critic's values on the supports (an
    /// optimal critic).
    pub(crate) fn upper(&self, x: [f64; 2]) -> f64 {
        self.support()
            .map(|(s, v)| v + distance(x, s))
            .fold(f64::INFINITY, f64::min)
    }

    /// `F-(x) = max_s (f(s) - d(x, s))`: the smallest such function.
    pub(crate) fn lower(&self, x: [f64; 2]) -> f64 {
        self.support()
            .map(|(s, v)| v - distance(x, s))
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// The gradients of `F+` and `F-` at `x` where they are differentiable:
    /// the unit vector from the minimising anchor to `x`, and from `x` to
    /// the maximising anchor.
    pub(crate) fn extreme_gradients(&self, x: [f64; 2]) -> ([f64; 2], [f64; 2]) {
        let (mut best_up, mut up_at) = (f64::INFINITY, x);
        let (mut best_low, mut low_at) = (f64::NEG_INFINITY, x);
        for (s, v) in self.support() {
            let d = distance(x, s);
            if v + d < best_up {
                (best_up, up_at) = (v + d, s);
            }
            if v - d > best_low {
                (best_low, low_at) = (v - d, s);
            }
        }
        let unit = |from: [f64; 2], to: [f64; 2]| {
            let d = distance(from, to);
            [(to[0] - from[0]) / d, (to[1] - from[1]) / d]
        };
        (unit(up_at, x), unit(x, low_at))
    }

    /// `||grad F_mid(x)||` for the midpoint critic `F_mid = (F+ + F-)/2`,
    /// also optimal: `|(g+ + g-)/2|` with the two unit gradients.
    pub(crate) fn midpoint_gradient_norm(&self, x: [f64; 2]) -> f64 {
        let (a, b) = self.extreme_gradients(x);
        0.5 * (a[0] + b[0]).hypot(a[1] + b[1])
    }

    /// The point `y_j + t (x_i - y_j)` of the segment from `y_j` to `x_i`.
    pub(crate) fn interpolate(&self, i: usize, j: usize, t: f64) -> [f64; 2] {
        let (x, y) = (self.xp[i], self.xq[j]);
        [y[0] + t * (x[0] - y[0]), y[1] + t * (x[1] - y[1])]
    }

    /// `d(x_i, y_j)`.
    pub(crate) fn length(&self, i: usize, j: usize) -> f64 {
        distance(self.xp[i], self.xq[j])
    }

    /// The largest absolute value and the largest distance the critics
    /// combine: the scale of their rounding.
    pub(crate) fn scale(&self) -> f64 {
        let values = self.values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        values + 2.0 * std::f64::consts::SQRT_2 * 1.5
    }
}

/// Draws a plane instance and solves it exactly.
///
/// # Errors
/// As [`emd`] and [`KrPotential::new`].
pub(crate) fn plane_instance<R: Rng + ?Sized>(rng: &mut R) -> Result<PlaneInstance> {
    let n = PLANE_POINTS;
    let mut cloud = |shift: f64| -> Vec<[f64; 2]> {
        (0..n)
            .map(|_| [shift + rng.random::<f64>(), shift + rng.random::<f64>()])
            .collect()
    };
    let (xp, xq) = (cloud(0.0), cloud(0.5));
    let p = full_support(rng, n, MASS_FLOOR).into_vec();
    let q = full_support(rng, n, MASS_FLOOR).into_vec();
    let to_points = |v: &[[f64; 2]]| Points::new(v.iter().map(|a| a.to_vec()).collect());
    let (pp, pq) = (to_points(&xp)?, to_points(&xq)?);
    let cost = CostMatrix::from_points(&pp, &pq, Metric::Euclidean)?;
    let t = emd(&p, &q, &cost)?;
    let reduced = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .map(|(i, j)| cost.get(i, j) - t.u[i] - t.v[j])
        .collect();
    let critic = KrPotential::new(&pq, &t.v, Metric::Euclidean)?;
    let mut values = critic.values(&pp)?;
    values.extend(critic.values(&pq)?);
    Ok(PlaneInstance {
        xp,
        xq,
        p,
        q,
        w1: t.cost,
        plan: t.plan,
        reduced,
        critic,
        values,
    })
}

/// The interpolation weights of [`GRID`].
pub(crate) fn grid() -> impl Iterator<Item = f64> {
    (0..GRID).map(|l| (l as f64 + 0.5) / GRID as f64)
}

// ---------------------------------------------------------------------------
// On the line: the penalised objective's optimum in closed form.
// ---------------------------------------------------------------------------

/// A discrete instance on the line: `p` on `x` (uniform in `[0, 1]`), `q` on
/// `y` (uniform in `[1/2, 3/2]`).
#[derive(Debug, Clone)]
pub(crate) struct LineInstance {
    /// Support of `p`.
    pub(crate) x: Vec<f64>,
    /// Support of `q`.
    pub(crate) y: Vec<f64>,
    /// Masses of `p`.
    pub(crate) p: Vec<f64>,
    /// Masses of `q`.
    pub(crate) q: Vec<f64>,
}

/// How the penalty draws its interpolates `t x + (1 - t) y`, `t ~ U[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sampling {
    /// `x ~ p` and `y ~ q` independently (WGAN-GP).
    Independent,
    /// `(x, y)` from an optimal plan `gamma`.
    Coupled,
    /// `(x, y)` with probability `gamma(x, y) |x - y| / W1`: the plan's
    /// pairs weighted by their length.
    LengthBiased,
}

/// The cells of a line instance: the sorted support points `z_0 < ... <
/// z_N`, the lengths `l_k = z_(k+1) - z_k` and `h_k = F_q - F_p` on
/// `(z_k, z_(k+1))`, where `E_p f - E_q f = sum_k h_k (f(z_(k+1)) - f(z_k))`.
#[derive(Debug, Clone)]
pub(crate) struct Cells {
    /// The sorted support points.
    pub(crate) points: Vec<f64>,
    /// `z_(k+1) - z_k`.
    pub(crate) lengths: Vec<f64>,
    /// `F_q - F_p` on each cell.
    pub(crate) h: Vec<f64>,
}

impl LineInstance {
    /// Draws a line instance.
    pub(crate) fn draw<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let n = LINE_POINTS;
        let x = (0..n).map(|_| rng.random::<f64>()).collect();
        let y = (0..n).map(|_| 0.5 + rng.random::<f64>()).collect();
        let p = full_support(rng, n, MASS_FLOOR).into_vec();
        let q = full_support(rng, n, MASS_FLOOR).into_vec();
        Self { x, y, p, q }
    }

    /// The cells (see [`Cells`]); equal points merge.
    pub(crate) fn cells(&self) -> Cells {
        let mut events: Vec<(f64, f64)> = self
            .x
            .iter()
            .zip(&self.p)
            .map(|(&x, &m)| (x, -m))
            .chain(self.y.iter().zip(&self.q).map(|(&y, &m)| (y, m)))
            .collect();
        events.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (mut points, mut h, mut lengths) = (Vec::new(), Vec::new(), Vec::new());
        let mut running = 0.0;
        for (k, &(z, m)) in events.iter().enumerate() {
            running += m;
            if k + 1 < events.len() && events[k + 1].0 == z {
                continue;
            }
            points.push(z);
            if let Some(next) = events.get(k + 1) {
                lengths.push(next.0 - z);
                h.push(running);
            }
        }
        Cells { points, lengths, h }
    }

    /// The exact optimal plan and `W1` (cost `|x - y|`).
    ///
    /// # Errors
    /// As [`emd`].
    pub(crate) fn plan(&self) -> Result<(Vec<PlanEntry>, f64)> {
        let to_points = |v: &[f64]| Points::new(v.iter().map(|&a| vec![a]).collect());
        let cost = CostMatrix::from_points(
            &to_points(&self.x)?,
            &to_points(&self.y)?,
            Metric::Euclidean,
        )?;
        let t = emd(&self.p, &self.q, &cost)?;
        Ok((t.plan, t.cost))
    }

    /// The pairs the penalty draws, `(i, j, probability)`.
    ///
    /// # Errors
    /// As [`LineInstance::plan`].
    pub(crate) fn pairs(&self, sampling: Sampling) -> Result<Vec<(usize, usize, f64)>> {
        Ok(match sampling {
            Sampling::Independent => (0..self.x.len())
                .flat_map(|i| (0..self.y.len()).map(move |j| (i, j)))
                .map(|(i, j)| (i, j, self.p[i] * self.q[j]))
                .collect(),
            Sampling::Coupled => self
                .plan()?
                .0
                .into_iter()
                .map(|e| (e.i, e.j, e.mass))
                .collect(),
            Sampling::LengthBiased => {
                let (plan, w1) = self.plan()?;
                plan.into_iter()
                    .map(|e| (e.i, e.j, e.mass * (self.x[e.i] - self.y[e.j]).abs() / w1))
                    .collect()
            }
        })
    }

    /// The density `rho_k` of the interpolates on each cell, for the pairs
    /// `(i, j, probability)` the penalty draws: the sum over the pairs whose
    /// segment covers the cell of `probability / |x - y|` (a pair of equal
    /// points puts its interpolate on a point, which the optimum ignores:
    /// proof F6, step 5).
    pub(crate) fn density(&self, cells: &Cells, pairs: &[(usize, usize, f64)]) -> Vec<f64> {
        let mut rho = vec![0.0; cells.lengths.len()];
        for &(i, j, w) in pairs {
            let (a, b) = (self.x[i].min(self.y[j]), self.x[i].max(self.y[j]));
            if b == a {
                continue;
            }
            for (k, r) in rho.iter_mut().enumerate() {
                if a <= cells.points[k] && cells.points[k + 1] <= b {
                    *r += w / (b - a);
                }
            }
        }
        rho
    }
}

/// The penalised objective's optimum on the line (proof F6, step 5):
/// `W1 + (1/(4 lambda)) sum_k l_k h_k^2 / rho_k`, with the maximising
/// slopes `g_k = sign(h_k) (1 + |h_k| / (2 lambda rho_k))` (1 where `h_k = 0`).
///
/// `pairs` are the `(i, j, probability)` the penalty draws
/// ([`LineInstance::pairs`]).
///
/// # Errors
/// [`Error::InvalidParameter`] when the interpolates miss a cell where
/// `h_k != 0` (the supremum is then `+inf`).
pub(crate) fn penalised_optimum(
    instance: &LineInstance,
    pairs: &[(usize, usize, f64)],
    lambda: f64,
) -> Result<(f64, Vec<f64>)> {
    let cells = instance.cells();
    let rho = instance.density(&cells, pairs);
    let (mut value, mut slopes) = (0.0, Vec::with_capacity(rho.len()));
    for ((&l, &h), &r) in cells.lengths.iter().zip(&cells.h).zip(&rho) {
        if h == 0.0 {
            slopes.push(1.0);
            continue;
        }
        if r == 0.0 {
            return Err(Error::InvalidParameter {
                name: "rho",
                value: r,
                requirement: "the interpolates must cover every cell where F_p != F_q",
            });
        }
        value += l * (h.abs() + h * h / (4.0 * lambda * r));
        slopes.push(h.signum() * (1.0 + h.abs() / (2.0 * lambda * r)));
    }
    Ok((value, slopes))
}

/// The penalised objective `E_p f - E_q f - lambda E (|f'(x_hat)| - 1)^2`
/// by its definition, for the piecewise-linear critic with slope
/// `slopes[k]` on cell `k` (and `f = 0` at the leftmost point): `f` at the
/// support points by summing slopes times lengths, the penalty as the mean
/// over the sampled `pairs` (`(i, j, probability)`) of
/// `(1/|x - y|) ∫_x^y (|f'| - 1)^2`.
pub(crate) fn penalised_objective(
    instance: &LineInstance,
    pairs: &[(usize, usize, f64)],
    lambda: f64,
    slopes: &[f64],
) -> f64 {
    let cells = instance.cells();
    let mut f = vec![0.0];
    for (k, &g) in slopes.iter().enumerate() {
        f.push(f[k] + g * cells.lengths[k]);
    }
    let at = |z: f64| f[cells.points.partition_point(|&c| c < z)];
    let gain: f64 = instance
        .x
        .iter()
        .zip(&instance.p)
        .map(|(&x, &m)| m * at(x))
        .sum::<f64>()
        - instance
            .y
            .iter()
            .zip(&instance.q)
            .map(|(&y, &m)| m * at(y))
            .sum::<f64>();
    let mut penalty = 0.0;
    for &(i, j, w) in pairs {
        let (a, b) = (
            instance.x[i].min(instance.y[j]),
            instance.x[i].max(instance.y[j]),
        );
        if b == a {
            continue;
        }
        let inside: f64 = (0..slopes.len())
            .filter(|&k| a <= cells.points[k] && cells.points[k + 1] <= b)
            .map(|k| cells.lengths[k] * (slopes[k].abs() - 1.0).powi(2))
            .sum();
        penalty += w * inside / (b - a);
    }
    gain - lambda * penalty
}
