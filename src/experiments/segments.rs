//! The experiments of claim F2 (low-dimensional supports): two uniform laws
//! on unit segments of the plane that cross at one point, their exact W1 on
//! discretisations, and their JSD, KL and TV on grids of square cells.
//! Claim F2's check measures them; the report's low-dimensional-supports
//! figure draws the same configurations.
//!
//! `P` is uniform on the segment from `(-1/2, 0)` to `(1/2, 0)`; `Q(phi, a)`
//! is `P` rotated by the angle `phi` about its point `z = (a, 0)`,
//! `|a| <= 1/2`: for `0 < phi < pi` the two segments cross at `z` and
//! nowhere else. [`Shifted`](Config::Shifted) is `P` moved by `delta` along
//! its own line (the aligned, overlapping case).

use crate::Discrete;
use crate::error::Result;
use crate::transport::{CostMatrix, Metric, Points, emd};
use std::collections::BTreeMap;

/// A second segment against `P`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Config {
    /// `P` rotated by `phi` about `(a, 0)`.
    Rotated {
        /// The angle, in `[0, pi]`.
        phi: f64,
        /// The pivot's offset along `P`, in `[-1/2, 1/2]`.
        a: f64,
    },
    /// `P` moved by `(delta, 0)`: the same line.
    Shifted {
        /// The shift along the line.
        delta: f64,
    },
}

impl Config {
    /// The point of `Q` with parameter `t` in `[0, 1]` (the image of `P`'s
    /// point `(t - 1/2, 0)`).
    pub(crate) fn q_point(self, t: f64) -> [f64; 2] {
        match self {
            Config::Rotated { phi, a } => {
                let tau = t - 0.5 - a;
                [a + tau * phi.cos(), tau * phi.sin()]
            }
            Config::Shifted { delta } => [t - 0.5 + delta, 0.0],
        }
    }

    /// `Q`'s endpoints (parameters 0 and 1).
    pub(crate) fn q_ends(self) -> ([f64; 2], [f64; 2]) {
        (self.q_point(0.0), self.q_point(1.0))
    }
}

/// `P`'s point with parameter `t`.
pub(crate) fn p_point(t: f64) -> [f64; 2] {
    [t - 0.5, 0.0]
}

/// The parameters `(k + 1/2) / K` of the discretisation with `K` points:
/// the midpoints of `K` equal pieces, each carrying mass `1/K`.
pub(crate) fn midpoints(k: usize) -> Vec<f64> {
    (0..k).map(|i| (i as f64 + 0.5) / k as f64).collect()
}

/// `W1(P_K, Q_K)` by the exact solver, `P_K` and `Q_K` the discretisations
/// with `k` points.
///
/// # Errors
/// As [`emd`].
pub(crate) fn discrete_w1(config: Config, k: usize) -> Result<f64> {
    let t = midpoints(k);
    let xp = Points::new(t.iter().map(|&s| p_point(s).to_vec()).collect())?;
    let xq = Points::new(t.iter().map(|&s| config.q_point(s).to_vec()).collect())?;
    let cost = CostMatrix::from_points(&xp, &xq, Metric::Euclidean)?;
    let mass = vec![1.0 / k as f64; k];
    Ok(emd(&mass, &mass, &cost)?.cost)
}

/// The closed form of `W1(P, Q)` where one is known (proof F2, steps 3 and
/// 4), else `None`: `|delta|` for a shift; for a rotation
/// `2 sin(phi/2) (1/4 + a^2)` when `phi <= pi/2` or the pivot is an end
/// (`|a| = 1/2`), and `cos(phi/2) / 2` for the pivot at the centre and
/// `phi >= pi/2`.
pub(crate) fn closed_form_w1(config: Config) -> Option<f64> {
    let mean_distance = match config {
        Config::Rotated { a, .. } => 0.25 + a * a,
        Config::Shifted { .. } => 0.0,
    };
    rotation_form(config, mean_distance)
}

/// The closed form of `W1(P_K, Q_K)` for the discretisations with `k` points
/// where one is known: [`closed_form_w1`] with the mean distance from `P`'s
/// points to the pivot, `1/4 + a^2`, replaced by the discrete one,
/// `mean_k |t_k - 1/2 - a|`.
pub(crate) fn closed_form_discrete_w1(config: Config, k: usize) -> Option<f64> {
    let mean_distance = match config {
        Config::Rotated { a, .. } => {
            midpoints(k)
                .iter()
                .map(|t| (t - 0.5 - a).abs())
                .sum::<f64>()
                / k as f64
        }
        Config::Shifted { .. } => 0.0,
    };
    rotation_form(config, mean_distance)
}

/// The cases of [`closed_form_w1`], `mean_distance` the mean distance from
/// `P`'s points to the pivot.
fn rotation_form(config: Config, mean_distance: f64) -> Option<f64> {
    match config {
        Config::Shifted { delta } => Some(delta.abs()),
        Config::Rotated { phi, a } => {
            let half = 0.5 * phi;
            if phi <= std::f64::consts::FRAC_PI_2 || a.abs() == 0.5 {
                Some(2.0 * half.sin() * mean_distance)
            } else if a == 0.0 {
                // Q is also P rotated by pi - phi about its centre.
                Some(2.0 * half.cos() * mean_distance)
            } else {
                None
            }
        }
    }
}

/// Mass of a segment per square cell of side `h` of the grid with corner
/// `offset`: cell `(i, j)` is `[o_x + i h, o_x + (i+1) h) x [o_y + j h, o_y + (j+1) h)`.
///
/// The segment from `from` to `to` is cut at every grid line it crosses;
/// each piece lies in one cell and carries its share of the length (the
/// law is uniform on the segment), the cell found at the piece's midpoint.
pub(crate) fn cell_masses(
    from: [f64; 2],
    to: [f64; 2],
    h: f64,
    offset: [f64; 2],
) -> BTreeMap<(i64, i64), f64> {
    let mut cuts = vec![0.0, 1.0];
    for axis in 0..2 {
        let (start, end) = (from[axis], to[axis]);
        if start == end {
            continue;
        }
        let (low, high) = (start.min(end), start.max(end));
        let first = ((low - offset[axis]) / h).ceil() as i64;
        let last = ((high - offset[axis]) / h).floor() as i64;
        for i in first..=last {
            let t = (offset[axis] + i as f64 * h - start) / (end - start);
            if t > 0.0 && t < 1.0 {
                cuts.push(t);
            }
        }
    }
    cuts.sort_by(f64::total_cmp);
    let mut masses = BTreeMap::new();
    for pair in cuts.windows(2) {
        let (t0, t1) = (pair[0], pair[1]);
        if t1 <= t0 {
            continue;
        }
        let tm = 0.5 * (t0 + t1);
        let point = [
            from[0] + tm * (to[0] - from[0]),
            from[1] + tm * (to[1] - from[1]),
        ];
        let cell = (
            ((point[0] - offset[0]) / h).floor() as i64,
            ((point[1] - offset[1]) / h).floor() as i64,
        );
        *masses.entry(cell).or_insert(0.0) += t1 - t0;
    }
    masses
}

/// The grid's corner, in units of the cell side: irrational-looking
/// fractions, so that no end or crossing point of the configurations sits on
/// a cell boundary (the bounds of proof F2 do not need it; it keeps the
/// binned values from depending on how a boundary point is assigned).
pub(crate) const GRID_OFFSET: [f64; 2] = [0.381_966_011_250_105, 0.236_067_977_499_79];

/// `P` and `Q(config)` binned on the grid of cells of side `h`: two
/// distributions on the union of the cells either charges.
///
/// # Errors
/// As [`Discrete::from_weights`] (none arise: the masses are positive lengths).
pub(crate) fn binned(config: Config, h: f64) -> Result<(Discrete, Discrete)> {
    let offset = [GRID_OFFSET[0] * h, GRID_OFFSET[1] * h];
    let p = cell_masses(p_point(0.0), p_point(1.0), h, offset);
    let (q_from, q_to) = config.q_ends();
    let q = cell_masses(q_from, q_to, h, offset);
    let mut cells: BTreeMap<(i64, i64), (f64, f64)> = BTreeMap::new();
    for (cell, mass) in p {
        cells.entry(cell).or_insert((0.0, 0.0)).0 += mass;
    }
    for (cell, mass) in q {
        cells.entry(cell).or_insert((0.0, 0.0)).1 += mass;
    }
    let (pw, qw): (Vec<f64>, Vec<f64>) = cells.values().copied().unzip();
    Ok((Discrete::from_weights(&pw)?, Discrete::from_weights(&qw)?))
}

/// Proof F2's bound on `ln 2 - JSD_h` for segments of length 1 whose lines
/// cross at the angle `phi`: `2 sqrt 2 ln 2 h / sin phi` (the cells both
/// laws charge hold at most `2 sqrt 2 h / sin phi` of each).
pub(crate) fn crossing_shared_mass(phi: f64, h: f64) -> f64 {
    2.0 * std::f64::consts::SQRT_2 * h / phi.sin()
}
