//! The Kantorovich-Rubinstein potential: a 1-Lipschitz f built from the dual
//! potentials of a metric cost, with E_p f - E_q f = W1.
//!
//! Serves claim [C3](crate::proofs::c3_kantorovich_rubinstein).
//!
//! **Duality.** For a cost $C_{ij} = d(x_i, y_j)$ given by a metric $d$,
//! the exact solver returns duals $u, v$ with $u_i + v_j \le C_{ij}$ for
//! every arc and $\sum_i p_i u_i + \sum_j q_j v_j = W_1(p, q)$. From $v$ alone
//! we build, for every $x$ of the space,
//!
//! $$f(x) = \min_j \bigl(d(x, y_j) - v_j\bigr).$$
//!
//! - $f$ is 1-Lipschitz: each $x \mapsto d(x, y_j) - v_j$ is (triangle
//!   inequality), and a minimum of 1-Lipschitz functions is.
//! - $f(x_i) \ge u_i$ (dual feasibility) and $f(y_j) \le d(y_j, y_j) - v_j = -v_j$, so
//!   $E_p f - E_q f \ge \sum_i p_i u_i + \sum_j q_j v_j = W_1$.
//! - Any 1-Lipschitz $g$ has $E_p g - E_q g = \sum_{ij} \gamma_{ij} (g(x_i) - g(y_j)) \le \sum_{ij} \gamma_{ij} d(x_i, y_j)$
//!   for every plan $\gamma$, so $E_p g - E_q g \le W_1$.
//!
//! Hence $E_p f - E_q f = W_1$: $f$ attains the maximum in
//! $W_1 = \max_{\lVert g \rVert_L \le 1} E_p g - E_q g$ (proof C3). This $f$ is the
//! $c$-transform of $v$; it is the critic WGAN's discriminator approximates.
//!
//! Only metrics qualify: [`Metric::Euclidean`] and [`Metric::Cityblock`]
//! ([`Metric::SquaredEuclidean`] breaks the triangle inequality).
//!
//! # Example
//! ```
//! use gan_theory::transport::{CostMatrix, Metric, Points, emd};
//! use gan_theory::transport::potential::KrPotential;
//! let (a, b) = (vec![vec![0.0, 0.0], vec![0.0, 1.0]], vec![vec![2.0, 0.0], vec![2.0, 1.0]]);
//! let (xp, xq) = (Points::new(a.clone())?, Points::new(b.clone())?);
//! let (p, q) = ([0.5, 0.5], [0.5, 0.5]);
//! let cost = CostMatrix::from_points(&xp, &xq, Metric::Euclidean)?;
//! let transport = emd(&p, &q, &cost)?;
//! let f = KrPotential::new(&xq, &transport.v, Metric::Euclidean)?;
//! let gap = f.expectation(&xp, &p)? - f.expectation(&xq, &q)?;
//! assert!((gap - transport.cost).abs() < 1e-12); // E_p f - E_q f = W1 = 2
//! let support = Points::new(a.into_iter().chain(b).collect())?;
//! assert!(f.lipschitz_constant(&support)? <= 1.0 + 1e-12);
//! // Evaluable anywhere: f is 1-Lipschitz off the support as well.
//! let (far, near) = (f.value(&[10.0, -3.0])?, f.value(&[2.0, 0.5])?);
//! assert!((far - near).abs() <= (8.0f64.powi(2) + 3.5f64.powi(2)).sqrt() + 1e-12);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::error::{Error, Result, check_same_length};
use crate::numeric::CompensatedSum;
use crate::transport::cost::{Metric, Points};

/// `f(x) = min_j (d(x, y_j) - v_j)`: the c-transform of the duals `v` on the
/// support points `y` of the second distribution, for a metric `d`.
///
/// Checked by claim [C3](crate::proofs::c3_kantorovich_rubinstein).
///
/// # Example
/// ```
/// use gan_theory::transport::{CostMatrix, Metric, Points, emd};
/// use gan_theory::transport::potential::KrPotential;
/// // delta_0 against delta_3 on the line: W1 = 3, and f(x) = |x - 3| - v_0.
/// let (x, y) = (Points::new(vec![vec![0.0]])?, Points::new(vec![vec![3.0]])?);
/// let t = emd(&[1.0], &[1.0], &CostMatrix::from_points(&x, &y, Metric::Euclidean)?)?;
/// let f = KrPotential::new(&y, &t.v, Metric::Euclidean)?;
/// assert!((f.value(&[0.0])? - f.value(&[3.0])? - 3.0).abs() < 1e-15);   // E_p f - E_q f = W1
/// assert!(KrPotential::new(&y, &t.v, Metric::SquaredEuclidean).is_err()); // not a metric
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct KrPotential {
    anchors: Points,
    offsets: Vec<f64>,
    metric: Metric,
}

impl KrPotential {
    /// The potential of the duals `v` (one per point of `anchors`, the
    /// support of q) for the cost `metric`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for [`Metric::SquaredEuclidean`] (not a
    /// metric); [`Error::LengthMismatch`] when `v` has another length than
    /// `anchors`; [`Error::NotANumber`] / [`Error::Infinite`] for a bad dual.
    pub fn new(anchors: &Points, v: &[f64], metric: Metric) -> Result<Self> {
        if metric == Metric::SquaredEuclidean {
            return Err(Error::InvalidParameter {
                name: "metric",
                value: f64::NAN,
                requirement: "Kantorovich-Rubinstein needs a metric cost: Euclidean or Cityblock, not SquaredEuclidean",
            });
        }
        check_same_length(anchors.len(), v.len())?;
        for (index, &value) in v.iter().enumerate() {
            if value.is_nan() {
                return Err(Error::NotANumber { index });
            }
            if value.is_infinite() {
                return Err(Error::Infinite { index, value });
            }
        }
        Ok(Self {
            anchors: anchors.clone(),
            offsets: v.to_vec(),
            metric,
        })
    }

    /// Dimension of the space.
    pub fn dim(&self) -> usize {
        self.anchors.dim()
    }

    /// `f(x)`, for any `x` of R^d.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `x` does not have `dim()` coordinates.
    pub fn value(&self, x: &[f64]) -> Result<f64> {
        if x.len() != self.dim() {
            return Err(Error::DimensionMismatch {
                left: x.len(),
                right: self.dim(),
            });
        }
        Ok(self.value_unchecked(x))
    }

    fn value_unchecked(&self, x: &[f64]) -> f64 {
        (0..self.anchors.len())
            .map(|j| self.metric.distance(x, self.anchors.point(j)) - self.offsets[j])
            .fold(f64::INFINITY, f64::min)
    }

    /// `f` at every point of `points`.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`].
    pub fn values(&self, points: &Points) -> Result<Vec<f64>> {
        self.check_dim(points)?;
        Ok((0..points.len())
            .map(|i| self.value_unchecked(points.point(i)))
            .collect())
    }

    /// `E f = sum_i masses_i f(points_i)` (compensated; zero masses skipped).
    /// `masses` as for [`emd`](super::emd): a slice, a vector or a
    /// [`Discrete`](crate::Discrete).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`], [`Error::LengthMismatch`].
    pub fn expectation<M>(&self, points: &Points, masses: &M) -> Result<f64>
    where
        M: AsRef<[f64]> + ?Sized,
    {
        let masses = masses.as_ref();
        self.check_dim(points)?;
        check_same_length(points.len(), masses.len())?;
        let mut sum = CompensatedSum::new();
        for (i, &m) in masses.iter().enumerate() {
            if m != 0.0 {
                sum.add(m * self.value_unchecked(points.point(i)));
            }
        }
        Ok(sum.value())
    }

    /// The largest `|f(a) - f(b)| / d(a, b)` over pairs of `points` at
    /// positive distance (0 for a single point): the Lipschitz constant of
    /// `f` restricted to those points. At most 1 up to rounding.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`].
    pub fn lipschitz_constant(&self, points: &Points) -> Result<f64> {
        self.over_pairs(points, |df, d| if d > 0.0 { df / d } else { 0.0 })
    }

    /// The largest `|f(a) - f(b)| - d(a, b)` over pairs of `points`: at most 0
    /// in exact arithmetic, rounding only above it (a few ulps of the
    /// largest `|v_j|` and distance; 0 for fewer than two points). An
    /// absolute measure, so that close points do not magnify rounding the way
    /// the ratio does.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`].
    pub fn lipschitz_excess(&self, points: &Points) -> Result<f64> {
        self.over_pairs(points, |df, d| df - d)
    }

    fn over_pairs(&self, points: &Points, score: impl Fn(f64, f64) -> f64) -> Result<f64> {
        let values = self.values(points)?;
        let mut worst = f64::NEG_INFINITY;
        for a in 0..points.len() {
            for b in a + 1..points.len() {
                let d = self.metric.distance(points.point(a), points.point(b));
                worst = worst.max(score((values[a] - values[b]).abs(), d));
            }
        }
        Ok(if worst == f64::NEG_INFINITY {
            0.0
        } else {
            worst
        })
    }

    fn check_dim(&self, points: &Points) -> Result<()> {
        if points.dim() != self.dim() {
            return Err(Error::DimensionMismatch {
                left: points.dim(),
                right: self.dim(),
            });
        }
        Ok(())
    }
}
