//! Globally adaptive Gauss-Kronrod 7-15 quadrature with an error estimate.
//!
//! Serves claim [B5](crate::proofs::b5_continuous_references).
//!
//! One step of the rule on `[a, b]` evaluates the integrand at the 15
//! Kronrod nodes; 7 of them are the Gauss-Legendre nodes. The Kronrod sum `K`
//! is exact for polynomials of degree 22 (23 by symmetry), the Gauss sum `G`
//! for degree 13. `K` is the interval's value, and its error estimate is
//!
//! `e = max(|K - G|, ROUNDING_ULPS_PER_INTERVAL * EPS * Kabs) + N`,
//!
//! `Kabs` being the Kronrod sum of `|f|`. For an integrand that is smooth on
//! the interval, `|K - I|` shrinks like `h^24` and `|G - I|` like `h^14` as the
//! width `h` shrinks, so once the interval resolves the integrand,
//! `|K - I| <= |G - I| / 2` and then `|K - I| <= |K - G|`: the estimate bounds
//! the error of the value returned, usually by many orders of magnitude.
//! The second term accounts for the rounding of the 15-term sum itself. The
//! third, `N`, for the rounding of the nodes' positions: a node near `x` is
//! off by up to half an ulp of `x`, which matters where the integrand varies
//! on a scale not far above `EPS |x|` (a normal of standard deviation
//! `1e-9 |mean|` has its nodes off by up to `1e-7` sd); `N` is the first-order
//! effect `sum_j W_j h |f'(x_j)| delta_j` of the actual displacements
//! `delta_j`, with `f'` estimated from the node values (see
//! `node_rounding_error`).
//!
//! The adaptive driver keeps every interval with its estimate and bisects the
//! one with the largest estimate until the summed estimate is at most
//! `max(abs_tol, rel_tol |I|)`, or the interval budget is spent
//! ([`Error::NotConverged`], naming the estimate reached).
//!
//! Infinite ranges are [`Piece::LeftTail`] and [`Piece::RightTail`],
//! mapped onto `t` in `[0, 1)` by `x = start + scale t / (1 - t)`; the nodes
//! never reach `t = 1`.

use super::twofold::TwoFold;
use crate::error::{Error, Result};
use crate::numeric::CompensatedSum;
use crate::tol::EPS;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The 8 non-negative Gauss-Kronrod 15-point nodes on `[-1, 1]`, largest
/// first; the rule uses them and their negatives. Entries 1, 3, 5 and 7
/// (0-based) are the nodes of the 7-point Gauss-Legendre rule.
///
/// Computed for this crate with 50-digit arithmetic: the Gauss nodes as the
/// roots of the Legendre polynomial `P_7`, the other Kronrod nodes as the
/// roots of the Stieltjes polynomial `E_8` (the monic even polynomial of
/// degree 8 orthogonal to `P_7 x^k` for `k < 8`), and the weights from the
/// moment equations; they agree with the values of QUADPACK's `qk15`.
#[allow(clippy::excessive_precision)] // the published digits, beyond f64 on purpose
pub const KRONROD_NODES: [f64; 8] = [
    0.991_455_371_120_812_639_206_854_697_526_329,
    0.949_107_912_342_758_524_526_189_684_047_851,
    0.864_864_423_359_769_072_789_712_788_640_926,
    0.741_531_185_599_394_439_863_864_773_280_788,
    0.586_087_235_467_691_130_294_144_845_693_013,
    0.405_845_151_377_397_166_906_606_412_076_961,
    0.207_784_955_007_898_467_600_689_403_773_245,
    0.0,
];

/// Kronrod weights of [`KRONROD_NODES`], in the same order (the nodes `x`
/// and `-x` share a weight). Counting the centre once and the others twice,
/// they sum to 2, the length of `[-1, 1]`.
#[allow(clippy::excessive_precision)] // the published digits, beyond f64 on purpose
pub const KRONROD_WEIGHTS: [f64; 8] = [
    0.022_935_322_010_529_224_963_732_008_058_970,
    0.063_092_092_629_978_553_290_700_663_189_204,
    0.104_790_010_322_250_183_839_876_322_541_518,
    0.140_653_259_715_525_918_745_189_590_510_238,
    0.169_004_726_639_267_902_826_583_426_598_550,
    0.190_350_578_064_785_409_913_256_402_421_014,
    0.204_432_940_075_298_892_414_161_999_234_649,
    0.209_482_141_084_727_828_012_999_174_891_714,
];

/// Weights of the 7-point Gauss-Legendre rule, for the nodes
/// `KRONROD_NODES[1]`, `[3]`, `[5]` and the centre `[7]`.
#[allow(clippy::excessive_precision)] // the published digits, beyond f64 on purpose
pub const GAUSS_WEIGHTS: [f64; 4] = [
    0.129_484_966_168_869_693_270_611_432_679_082,
    0.279_705_391_489_276_667_901_467_771_423_780,
    0.381_830_050_505_118_944_950_369_775_488_975,
    0.417_959_183_673_469_387_755_102_040_816_327,
];

/// Units of `EPS` times the integral of `|f|` charged per interval for the
/// rounding of the rule's own sums: 50, as in QUADPACK.
///
/// Reason: the 15 products and their sum each round by at most one ulp of
/// the largest partial sum, which is at most `Kabs`; 50 leaves room for the
/// integrand's own rounding.
pub const ROUNDING_ULPS_PER_INTERVAL: f64 = 50.0;

/// One application of the Gauss-Kronrod 7-15 pair on `[a, b]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuleResult {
    /// The 15-point Kronrod sum.
    pub kronrod: f64,
    /// The 7-point Gauss sum.
    pub gauss: f64,
    /// The Kronrod sum of `|f|`.
    pub kronrod_abs: f64,
}

/// Applies the Gauss-Kronrod 7-15 pair to `f` on `[a, b]` (15 evaluations).
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Example
/// ```
/// use gan_theory::continuous::gauss_kronrod_15;
/// // Exact for polynomials of degree up to 22:
/// let r = gauss_kronrod_15(|x| x.powi(22), 0.0, 1.0);
/// assert!((r.kronrod - 1.0 / 23.0).abs() < 1e-16);
/// // The Gauss sum only up to degree 13; for x^22 it is off:
/// assert!((r.gauss - 1.0 / 23.0).abs() > 1e-6);
/// ```
pub fn gauss_kronrod_15<F: FnMut(f64) -> f64>(mut f: F, a: f64, b: f64) -> RuleResult {
    let centre = 0.5 * (a + b);
    let half = 0.5 * (b - a);
    let f_centre = f(centre);
    let mut kronrod = KRONROD_WEIGHTS[7] * f_centre;
    let mut gauss = GAUSS_WEIGHTS[3] * f_centre;
    let mut kronrod_abs = KRONROD_WEIGHTS[7] * f_centre.abs();
    for j in 0..7 {
        let dx = half * KRONROD_NODES[j];
        let (left, right) = (f(centre - dx), f(centre + dx));
        kronrod += KRONROD_WEIGHTS[j] * (left + right);
        kronrod_abs += KRONROD_WEIGHTS[j] * (left.abs() + right.abs());
        if j % 2 == 1 {
            gauss += GAUSS_WEIGHTS[j / 2] * (left + right);
        }
    }
    RuleResult {
        kronrod: kronrod * half,
        gauss: gauss * half,
        kronrod_abs: kronrod_abs * half.abs(),
    }
}

/// A piece of the real line to integrate over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Piece {
    /// The finite interval `[a, b]`, `a <= b`.
    Finite {
        /// Left end.
        a: f64,
        /// Right end.
        b: f64,
    },
    /// `(-inf, end]`, through `x = end - scale t / (1 - t)`, `t` in `[0, 1)`.
    LeftTail {
        /// Right end.
        end: f64,
        /// Length scale of the substitution (`x` is `scale` from `end` at `t = 1/2`).
        scale: f64,
    },
    /// `[start, +inf)`, through `x = start + scale t / (1 - t)`, `t` in `[0, 1)`.
    RightTail {
        /// Left end.
        start: f64,
        /// Length scale of the substitution.
        scale: f64,
    },
}

impl Piece {
    fn validate(&self) -> Result<()> {
        let finite = |name, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(Error::InvalidParameter {
                    name,
                    value: v,
                    requirement: "an end of a piece must be finite",
                })
            }
        };
        let positive_scale = |v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(Error::InvalidParameter {
                    name: "scale",
                    value: v,
                    requirement: "a tail's scale must be finite and > 0",
                })
            }
        };
        match *self {
            Piece::Finite { a, b } => {
                finite("a", a)?;
                finite("b", b)?;
                if a > b {
                    return Err(Error::InvalidParameter {
                        name: "b",
                        value: b,
                        requirement: "b must be >= a",
                    });
                }
                Ok(())
            }
            Piece::LeftTail { end, scale } => {
                finite("end", end)?;
                positive_scale(scale)
            }
            Piece::RightTail { start, scale } => {
                finite("start", start)?;
                positive_scale(scale)
            }
        }
    }

    /// The piece as a range of `t` and the substitution `x(t)`.
    fn chart(&self) -> (f64, f64, Chart) {
        match *self {
            Piece::Finite { a, b } => (a, b, Chart::Identity),
            Piece::LeftTail { end, scale } => (
                0.0,
                1.0,
                Chart::Tail {
                    origin: end,
                    step: -scale,
                },
            ),
            Piece::RightTail { start, scale } => (
                0.0,
                1.0,
                Chart::Tail {
                    origin: start,
                    step: scale,
                },
            ),
        }
    }
}

/// One node of the rule as evaluated: its position `t` (as rounded), the
/// integrand there (Jacobian included), and a bound on how far, in units of
/// `t`, the rounding of `x(t)` moved the point the integrand saw.
#[derive(Debug, Clone, Copy, Default)]
struct Node {
    t: f64,
    value: f64,
    chart_displacement: f64,
}

/// The error that the rounding of the node positions causes on `[t0, t1]`,
/// to first order: `sum_j W_j h |g'(t_j)| delta_j`, with `h` the half-width,
/// `W_j` the Kronrod weights and `delta_j` how far the evaluated node lies
/// from the exact `centre + h xi_j`.
///
/// The exact centre and half-width are formed in double-word arithmetic, so
/// `delta_j` is the actual displacement (the rounding of the centre and of
/// `centre ± h xi_j`), up to `EPS h` for the rounding of the offsets `h xi_j`
/// and of this computation; far from 0 it is up to half an ulp of `x`, which
/// near `x = 1e100` is 1e84. `|g'|` is estimated by the steeper of the
/// chords to the two neighbouring nodes, which overestimates it except
/// near a maximum of `|g'|`, where it falls short by a few percent at the
/// resolutions the error target demands.
fn node_rounding_error(nodes: &mut [Node; 15], t0: f64, t1: f64) -> f64 {
    nodes.sort_by(|a, b| a.t.total_cmp(&b.t));
    let centre = TwoFold::sum(t0, t1).scale(0.5);
    let half = 0.5 * (t1 - t0);
    let mut error = 0.0;
    for (i, node) in nodes.iter().enumerate() {
        // Sorted, the nodes run -xi_0 .. -xi_6, 0, xi_6 .. xi_0.
        let (weight, offset) = if i <= 7 {
            (KRONROD_WEIGHTS[i], -KRONROD_NODES[i])
        } else {
            (KRONROD_WEIGHTS[14 - i], KRONROD_NODES[14 - i])
        };
        let displacement = (((node.t - centre.hi) - centre.lo) - half * offset).abs()
            + EPS * half
            + node.chart_displacement;
        let chord = |a: &Node, b: &Node| ((b.value - a.value) / (b.t - a.t)).abs();
        let left = if i > 0 {
            chord(&nodes[i - 1], node)
        } else {
            0.0
        };
        let right = if i < 14 {
            chord(node, &nodes[i + 1])
        } else {
            0.0
        };
        let slope = left.max(right);
        if slope.is_finite() {
            error += weight * half * slope * displacement;
        }
    }
    error
}

/// A substitution `x(t)` with its Jacobian.
#[derive(Debug, Clone, Copy)]
enum Chart {
    Identity,
    /// `x = origin + step t / (1 - t)`, `dx/dt = |step| / (1 - t)^2`.
    Tail {
        origin: f64,
        step: f64,
    },
}

impl Chart {
    /// A bound, in units of `t`, on how far the rounding of `x(t)` moves the
    /// point at which the integrand is evaluated: 0 for the identity; for a
    /// tail, the roundings of `origin + step (t / (1 - t))`, at most
    /// `EPS (|x| + |x - origin|)`, divided by the Jacobian `dx/dt`.
    fn displacement(self, x: f64, jacobian: f64) -> f64 {
        match self {
            Chart::Identity => 0.0,
            Chart::Tail { origin, .. } => EPS * (x.abs() + (x - origin).abs()) / jacobian,
        }
    }

    fn point_and_jacobian(self, t: f64) -> (f64, f64) {
        match self {
            Chart::Identity => (t, 1.0),
            Chart::Tail { origin, step } => {
                let u = 1.0 - t;
                (origin + step * (t / u), step.abs() / (u * u))
            }
        }
    }
}

/// The result of a quadrature.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The estimate of the integral (or of the divergence); `+inf` when it is infinite.
    pub value: f64,
    /// The estimated bound on `|value - exact|` (0 for an infinite value).
    pub error_estimate: f64,
    /// Intervals in the final partition.
    pub intervals: usize,
    /// Integrand evaluations spent.
    pub evaluations: usize,
}

/// Accuracy targets and budget of the adaptive quadrature.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Example
/// ```
/// use gan_theory::continuous::{Piece, Quadrature};
/// let q = Quadrature::new(0.0, 1e-12, 200)?;
/// // The integral of exp(-x^2) over the real line is sqrt(pi):
/// let pieces = [
///     Piece::LeftTail { end: 0.0, scale: 1.0 },
///     Piece::RightTail { start: 0.0, scale: 1.0 },
/// ];
/// let est = q.integrate_pieces(|x| (-x * x).exp(), &pieces)?;
/// let exact = std::f64::consts::PI.sqrt();
/// assert!(est.error_estimate <= 1e-12 * exact);
/// assert!((est.value - exact).abs() <= est.error_estimate);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quadrature {
    abs_tol: f64,
    rel_tol: f64,
    max_intervals: usize,
}

impl Default for Quadrature {
    /// `abs_tol = 1e-14`, `rel_tol = 1e-10`, at most 2000 intervals.
    fn default() -> Self {
        Self {
            abs_tol: 1e-14,
            rel_tol: 1e-10,
            max_intervals: 2000,
        }
    }
}

impl Quadrature {
    /// Targets `error_estimate <= max(abs_tol, rel_tol |value|)` with at most
    /// `max_intervals` intervals.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when a tolerance is negative or not finite,
    /// both are 0, or `max_intervals` is 0.
    pub fn new(abs_tol: f64, rel_tol: f64, max_intervals: usize) -> Result<Self> {
        for (name, value) in [("abs_tol", abs_tol), ("rel_tol", rel_tol)] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::InvalidParameter {
                    name,
                    value,
                    requirement: "must be finite and >= 0",
                });
            }
        }
        if abs_tol == 0.0 && rel_tol == 0.0 {
            return Err(Error::InvalidParameter {
                name: "rel_tol",
                value: rel_tol,
                requirement: "abs_tol and rel_tol cannot both be 0",
            });
        }
        if max_intervals == 0 {
            return Err(Error::InvalidParameter {
                name: "max_intervals",
                value: 0.0,
                requirement: "must be at least 1",
            });
        }
        Ok(Self {
            abs_tol,
            rel_tol,
            max_intervals,
        })
    }

    /// The absolute tolerance.
    pub fn abs_tol(&self) -> f64 {
        self.abs_tol
    }

    /// The relative tolerance.
    pub fn rel_tol(&self) -> f64 {
        self.rel_tol
    }

    /// The interval budget.
    pub fn max_intervals(&self) -> usize {
        self.max_intervals
    }

    /// The error target for an integral of value `value`: `max(abs_tol, rel_tol |value|)`.
    pub fn target(&self, value: f64) -> f64 {
        self.abs_tol.max(self.rel_tol * value.abs())
    }

    /// Integrates `f` over the finite interval `[a, b]`.
    ///
    /// # Errors
    /// As [`Quadrature::integrate_pieces`].
    pub fn integrate<F: FnMut(f64) -> f64>(&self, f: F, a: f64, b: f64) -> Result<Estimate> {
        self.integrate_pieces(f, &[Piece::Finite { a, b }])
    }

    /// Integrates `f` over the union of `pieces` (which should not overlap).
    ///
    /// If `f` is `+inf` or `-inf` at a node, the result is that infinity with
    /// error estimate 0: meant for integrands that are infinite on a set of
    /// positive length, such as `p ln(p/q)` where `q = 0 < p`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a piece with a non-finite end, `a > b`
    /// or a non-positive scale; [`Error::NotConverged`] when `f` is NaN at a
    /// node, when both infinities occur, or when the interval budget is spent
    /// before the error target is met (the message gives the estimate reached).
    pub fn integrate_pieces<F: FnMut(f64) -> f64>(
        &self,
        mut f: F,
        pieces: &[Piece],
    ) -> Result<Estimate> {
        for piece in pieces {
            piece.validate()?;
        }
        let mut watch = Watch::default();
        let mut intervals = Vec::new();
        for piece in pieces {
            let (t0, t1, chart) = piece.chart();
            if t1 > t0 {
                intervals.push(Interval::new(&mut f, &mut watch, chart, t0, t1));
            }
        }
        let mut queue: BinaryHeap<Ranked> = intervals
            .iter()
            .enumerate()
            .map(|(index, interval)| Ranked::new(index, interval))
            .collect();
        // Running sums steer the loop; the result always comes from exact
        // (compensated) sums, recomputed when the running ones say "done".
        let (mut running_value, mut running_error) = plain_sums(&intervals);
        loop {
            if let Some(infinite) = watch.verdict()? {
                return Ok(Estimate {
                    value: infinite,
                    error_estimate: 0.0,
                    intervals: intervals.len(),
                    evaluations: watch.evaluations,
                });
            }
            if running_error <= self.target(running_value) {
                let estimate = exact_estimate(&intervals, watch.evaluations);
                if estimate.error_estimate <= self.target(estimate.value) {
                    return Ok(estimate);
                }
                (running_value, running_error) = (estimate.value, estimate.error_estimate);
            }
            let worst = if intervals.len() < self.max_intervals {
                pop_splittable(&mut queue, &intervals)
            } else {
                None
            };
            let Some(worst) = worst else {
                let estimate = exact_estimate(&intervals, watch.evaluations);
                return Err(self.not_converged(&estimate));
            };
            let old = intervals[worst];
            let middle = 0.5 * (old.t0 + old.t1);
            let left = Interval::new(&mut f, &mut watch, old.chart, old.t0, middle);
            let right = Interval::new(&mut f, &mut watch, old.chart, middle, old.t1);
            running_value += left.value + right.value - old.value;
            running_error += left.error + right.error - old.error;
            intervals[worst] = left;
            queue.push(Ranked::new(worst, &left));
            queue.push(Ranked::new(intervals.len(), &right));
            intervals.push(right);
        }
    }

    fn not_converged(&self, estimate: &Estimate) -> Error {
        Error::NotConverged {
            what: "adaptive Gauss-Kronrod quadrature",
            detail: format!(
                "error estimate {:e} above the target {:e} with {} intervals \
                 (budget {}, {} evaluations); value so far {}",
                estimate.error_estimate,
                self.target(estimate.value),
                estimate.intervals,
                self.max_intervals,
                estimate.evaluations,
                estimate.value
            ),
        }
    }
}

/// Plain sums of the intervals' values and error estimates.
fn plain_sums(intervals: &[Interval]) -> (f64, f64) {
    intervals
        .iter()
        .fold((0.0, 0.0), |(v, e), iv| (v + iv.value, e + iv.error))
}

/// The estimate from compensated sums over the intervals.
fn exact_estimate(intervals: &[Interval], evaluations: usize) -> Estimate {
    let mut value = CompensatedSum::new();
    let mut error = CompensatedSum::new();
    for interval in intervals {
        value.add(interval.value);
        error.add(interval.error);
    }
    Estimate {
        value: value.value(),
        error_estimate: error.value(),
        intervals: intervals.len(),
        evaluations,
    }
}

/// The index of the interval with the largest error estimate that can still
/// be bisected; intervals too narrow to split leave the queue for good.
fn pop_splittable(queue: &mut BinaryHeap<Ranked>, intervals: &[Interval]) -> Option<usize> {
    while let Some(ranked) = queue.pop() {
        if intervals[ranked.index].splittable() {
            return Some(ranked.index);
        }
    }
    None
}

/// An interval's index, ordered by its error estimate.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    error: f64,
    index: usize,
}

impl Ranked {
    fn new(index: usize, interval: &Interval) -> Self {
        Self {
            error: interval.error,
            index,
        }
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.error
            .total_cmp(&other.error)
            .then(other.index.cmp(&self.index))
    }
}

/// Non-finite integrand values seen so far, and the evaluation count.
#[derive(Debug, Default)]
struct Watch {
    evaluations: usize,
    nan_at: Option<f64>,
    plus_infinity: bool,
    minus_infinity: bool,
}

impl Watch {
    fn record(&mut self, x: f64, value: f64) {
        self.evaluations += 1;
        if value.is_nan() {
            self.nan_at.get_or_insert(x);
        } else if value == f64::INFINITY {
            self.plus_infinity = true;
        } else if value == f64::NEG_INFINITY {
            self.minus_infinity = true;
        }
    }

    /// `Ok(Some(+-inf))` when the integral is infinite, `Ok(None)` when every
    /// value was finite, an error for NaN or both infinities.
    fn verdict(&self) -> Result<Option<f64>> {
        if let Some(x) = self.nan_at {
            return Err(Error::NotConverged {
                what: "adaptive Gauss-Kronrod quadrature",
                detail: format!("the integrand is NaN at x = {x}"),
            });
        }
        match (self.plus_infinity, self.minus_infinity) {
            (true, true) => Err(Error::NotConverged {
                what: "adaptive Gauss-Kronrod quadrature",
                detail: "the integrand is +inf at one node and -inf at another".to_string(),
            }),
            (true, false) => Ok(Some(f64::INFINITY)),
            (false, true) => Ok(Some(f64::NEG_INFINITY)),
            (false, false) => Ok(None),
        }
    }
}

/// An interval `[t0, t1]` of a chart with the rule's value and error estimate.
#[derive(Debug, Clone, Copy)]
struct Interval {
    chart: Chart,
    t0: f64,
    t1: f64,
    value: f64,
    error: f64,
}

impl Interval {
    fn new<F: FnMut(f64) -> f64>(
        f: &mut F,
        watch: &mut Watch,
        chart: Chart,
        t0: f64,
        t1: f64,
    ) -> Self {
        let mut nodes = [Node::default(); 15];
        let mut filled = 0;
        let rule = gauss_kronrod_15(
            |t| {
                let (x, jacobian) = chart.point_and_jacobian(t);
                let fx = f(x);
                // A zero integrand stays zero whatever the Jacobian; a value
                // that the Jacobian takes beyond f64::MAX is recorded as the
                // infinity it has become.
                let value = if fx == 0.0 { 0.0 } else { fx * jacobian };
                watch.record(x, value);
                nodes[filled] = Node {
                    t,
                    value,
                    chart_displacement: chart.displacement(x, jacobian),
                };
                filled += 1;
                value
            },
            t0,
            t1,
        );
        let rounding = ROUNDING_ULPS_PER_INTERVAL * EPS * rule.kronrod_abs;
        let node_error = node_rounding_error(&mut nodes, t0, t1);
        Self {
            chart,
            t0,
            t1,
            value: rule.kronrod,
            error: (rule.kronrod - rule.gauss).abs().max(rounding) + node_error,
        }
    }

    /// Whether bisection still gives two intervals of positive width in `f64`.
    fn splittable(&self) -> bool {
        let middle = 0.5 * (self.t0 + self.t1);
        self.t0 < middle && middle < self.t1
    }
}
