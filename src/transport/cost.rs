//! Ground costs: a validated cost matrix, given directly or built from
//! support points in R^d with a [`Metric`].
//!
//! Serves claims [C1](crate::proofs::c1_optimal_transport), [C2](crate::proofs::c2_one_dimension),
//! [C3](crate::proofs::c3_kantorovich_rubinstein), [C4](crate::proofs::c4_disjoint_supports).
//!
//! A cost `C_ij >= 0` is the price of moving one unit of mass from point `i`
//! of the first distribution to point `j` of the second. `+inf` is allowed and
//! means the arc is forbidden; NaN and negative costs are refused with the
//! row and column of the entry.
//!
//! # Example
//! ```
//! use gan_theory::transport::{CostMatrix, Metric, Points};
//! let xp = Points::new(vec![vec![0.0, 0.0], vec![3.0, 0.0]])?;
//! let xq = Points::new(vec![vec![0.0, 4.0]])?;
//! let c = CostMatrix::from_points(&xp, &xq, Metric::Euclidean)?;
//! assert_eq!((c.rows(), c.cols()), (2, 1));
//! assert_eq!(c.get(1, 0), 5.0);
//! let sq = CostMatrix::from_points(&xp, &xq, Metric::SquaredEuclidean)?;
//! assert_eq!(sq.get(1, 0), 25.0);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::error::{Error, Result};

/// A distance between points of R^d.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Metric {
    /// `|a - b|_2 = sqrt(sum_k (a_k - b_k)^2)`, computed without overflow or
    /// underflow of the squares. The default: W1 with this cost is the Earth
    /// Mover distance of WGAN.
    #[default]
    Euclidean,
    /// `|a - b|_2^2 = sum_k (a_k - b_k)^2` (W2 squared; not a metric).
    SquaredEuclidean,
    /// `|a - b|_1 = sum_k |a_k - b_k|`.
    Cityblock,
}

impl Metric {
    /// The distance between `a` and `b` (of the same length; a longer slice
    /// is cut to the shorter one's length).
    ///
    /// May be `+inf` when the true value exceeds `f64::MAX`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::transport::Metric;
    /// assert_eq!(Metric::Cityblock.distance(&[0.0, 1.0], &[2.0, -1.0]), 4.0);
    /// // No overflow in the squares: (3, 4) 2^600 is at distance 5 2^600.
    /// let big = 2f64.powi(600);
    /// assert_eq!(Metric::Euclidean.distance(&[0.0, 0.0], &[3.0 * big, 4.0 * big]), 5.0 * big);
    /// ```
    pub fn distance(&self, a: &[f64], b: &[f64]) -> f64 {
        match self {
            Metric::Euclidean => euclidean(a, b),
            Metric::SquaredEuclidean => a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum(),
            Metric::Cityblock => a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum(),
        }
    }
}

/// Euclidean norm of `a - b`: the plain sum of squares when it is safely in
/// range, else rescaled by the largest |a_k - b_k| (as `hypot` does).
fn euclidean(a: &[f64], b: &[f64]) -> f64 {
    let plain: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
    // Squares of differences in [1e-150, 1e150] neither overflow nor lose
    // digits to underflow; outside that range rescale.
    if plain.is_finite() && plain > 1e-290 {
        return plain.sqrt();
    }
    let largest = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    if largest == 0.0 || !largest.is_finite() {
        return largest;
    }
    let scaled: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| {
            let d = (x - y) / largest;
            d * d
        })
        .sum();
    largest * scaled.sqrt()
}

/// `n` points of R^d, all coordinates finite, stored row-major.
///
/// # Example
/// ```
/// use gan_theory::{Error, transport::Points};
/// let x = Points::from_flat(2, 3, vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0])?;
/// assert_eq!((x.len(), x.dim()), (2, 3));
/// assert_eq!(x.point(1), &[3.0, 4.0, 5.0]);
/// let ragged = Points::new(vec![vec![0.0, 1.0], vec![2.0]]).unwrap_err();
/// assert_eq!(ragged, Error::RaggedRow { row: 1, expected: 2, found: 1 });
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    n: usize,
    dim: usize,
    data: Vec<f64>,
}

impl Points {
    /// Points from one row of coordinates each.
    ///
    /// # Errors
    /// [`Error::Empty`] without rows; [`Error::InvalidParameter`] when row 0
    /// has no coordinates; [`Error::RaggedRow`] for a row of another length;
    /// [`Error::EntryNotANumber`] / [`Error::EntryInfinite`] for a bad
    /// coordinate (row = point, column = coordinate).
    pub fn new(rows: Vec<Vec<f64>>) -> Result<Self> {
        let n = rows.len();
        let dim = rows.first().ok_or(Error::Empty)?.len();
        let mut data = Vec::with_capacity(n * dim);
        for (row, coordinates) in rows.iter().enumerate() {
            if coordinates.len() != dim {
                return Err(Error::RaggedRow {
                    row,
                    expected: dim,
                    found: coordinates.len(),
                });
            }
            data.extend_from_slice(coordinates);
        }
        Self::from_flat(n, dim, data)
    }

    /// `n` points of dimension `dim`, point `i` at `data[i * dim .. (i + 1) * dim]`.
    ///
    /// # Errors
    /// [`Error::Empty`] when `n = 0`; [`Error::InvalidParameter`] when
    /// `dim = 0` or `n * dim` overflows; [`Error::LengthMismatch`] when
    /// `data.len() != n * dim`; then the coordinate errors of [`Points::new`].
    pub fn from_flat(n: usize, dim: usize, data: Vec<f64>) -> Result<Self> {
        if n == 0 {
            return Err(Error::Empty);
        }
        if dim == 0 {
            return Err(Error::InvalidParameter {
                name: "dim",
                value: 0.0,
                requirement: "points need at least one coordinate",
            });
        }
        let len = n.checked_mul(dim).ok_or(Error::InvalidParameter {
            name: "n * dim",
            value: f64::INFINITY,
            requirement: "the number of coordinates must fit in memory",
        })?;
        crate::error::check_same_length(len, data.len())?;
        if let Some(k) = data.iter().position(|x| !x.is_finite()) {
            let (row, column) = (k / dim, k % dim);
            return Err(if data[k].is_nan() {
                Error::EntryNotANumber { row, column }
            } else {
                Error::EntryInfinite {
                    row,
                    column,
                    value: data[k],
                }
            });
        }
        Ok(Self { n, dim, data })
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: there is at least one point.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Dimension of the space.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Coordinates of point `i` (panics if `i >= len()`, like slice indexing).
    pub fn point(&self, i: usize) -> &[f64] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }
}

/// A `rows x cols` matrix of ground costs `C_ij` in `[0, +inf]`, row-major;
/// `+inf` marks a forbidden arc.
///
/// Construction also records what the solver needs to know about the
/// entries (the largest finite cost, the lowest binary digit used by any
/// cost, whether an arc is forbidden), so a solve does not scan them again.
///
/// Checked by claims [C1](crate::proofs::c1_optimal_transport),
/// [C2](crate::proofs::c2_one_dimension), [C3](crate::proofs::c3_kantorovich_rubinstein),
/// [C4](crate::proofs::c4_disjoint_supports).
///
/// # Example
/// ```
/// use gan_theory::{Error, transport::CostMatrix};
/// let c = CostMatrix::from_rows(vec![vec![0.0, 1.0, f64::INFINITY], vec![2.0, 0.5, 3.0]])?;
/// assert_eq!(c.get(1, 2), 3.0);
/// assert_eq!(c.transpose().get(2, 1), 3.0);
/// let bad = CostMatrix::new(1, 2, vec![0.0, -1.0]).unwrap_err();
/// assert_eq!(bad, Error::EntryNegative { row: 0, column: 1, value: -1.0 });
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CostMatrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
    /// The largest finite entry (0 when there is none).
    max_finite: f64,
    /// The smallest positive finite entry (`+inf` when there is none).
    min_positive: f64,
    /// Exponent of the lowest set bit over all finite non-zero entries
    /// (every finite entry is an integer multiple of 2^lowest_bit); 0 when
    /// every finite entry is 0.
    lowest_bit: i32,
    /// Whether some entry is `+inf`.
    has_forbidden: bool,
}

impl CostMatrix {
    /// A matrix from its entries in row-major order: `C_ij = data[i * cols + j]`.
    ///
    /// # Errors
    /// [`Error::Empty`] when `rows` or `cols` is 0;
    /// [`Error::LengthMismatch`] when `data.len() != rows * cols`;
    /// [`Error::EntryNotANumber`] or [`Error::EntryNegative`] naming the
    /// first bad entry (`-inf` is negative; `+inf` is allowed).
    pub fn new(rows: usize, cols: usize, data: Vec<f64>) -> Result<Self> {
        if rows == 0 || cols == 0 {
            return Err(Error::Empty);
        }
        let len = rows.checked_mul(cols).ok_or(Error::InvalidParameter {
            name: "rows * cols",
            value: f64::INFINITY,
            requirement: "the number of entries must fit in memory",
        })?;
        crate::error::check_same_length(len, data.len())?;
        let mut max_finite = 0.0f64;
        let mut min_positive = f64::INFINITY;
        let mut lowest_bit = i32::MAX;
        let mut has_forbidden = false;
        for (k, &c) in data.iter().enumerate() {
            if c.is_nan() || c < 0.0 {
                let (row, column) = (k / cols, k % cols);
                return Err(if c.is_nan() {
                    Error::EntryNotANumber { row, column }
                } else {
                    Error::EntryNegative {
                        row,
                        column,
                        value: c,
                    }
                });
            }
            if c == f64::INFINITY {
                has_forbidden = true;
            } else if c > 0.0 {
                max_finite = max_finite.max(c);
                min_positive = min_positive.min(c);
                lowest_bit = lowest_bit.min(lowest_set_bit(c));
            }
        }
        if lowest_bit == i32::MAX {
            lowest_bit = 0;
        }
        Ok(Self {
            rows,
            cols,
            data,
            max_finite,
            min_positive,
            lowest_bit,
            has_forbidden,
        })
    }

    /// A matrix from its rows.
    ///
    /// # Errors
    /// [`Error::Empty`] without rows or with an empty row 0;
    /// [`Error::RaggedRow`]; then the entry errors of [`CostMatrix::new`].
    pub fn from_rows(rows: Vec<Vec<f64>>) -> Result<Self> {
        let n = rows.len();
        let m = rows.first().ok_or(Error::Empty)?.len();
        let mut data = Vec::with_capacity(n * m);
        for (row, entries) in rows.iter().enumerate() {
            if entries.len() != m {
                return Err(Error::RaggedRow {
                    row,
                    expected: m,
                    found: entries.len(),
                });
            }
            data.extend_from_slice(entries);
        }
        Self::new(n, m, data)
    }

    /// `C_ij = metric(xp_i, xq_j)`.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when the points live in different
    /// dimensions; [`Error::EntryInfinite`] when a distance overflows `f64`
    /// (it would otherwise read as a forbidden arc).
    pub fn from_points(xp: &Points, xq: &Points, metric: Metric) -> Result<Self> {
        if xp.dim() != xq.dim() {
            return Err(Error::DimensionMismatch {
                left: xp.dim(),
                right: xq.dim(),
            });
        }
        let (n, m) = (xp.len(), xq.len());
        let mut data = Vec::with_capacity(n * m);
        for i in 0..n {
            let a = xp.point(i);
            data.extend((0..m).map(|j| metric.distance(a, xq.point(j))));
        }
        if let Some(k) = data.iter().position(|c| c.is_infinite()) {
            return Err(Error::EntryInfinite {
                row: k / m,
                column: k % m,
                value: data[k],
            });
        }
        Self::new(n, m, data)
    }

    /// Number of rows (points of the first distribution).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (points of the second distribution).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// `C_ij` (panics if out of range, like slice indexing).
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }

    /// Row `i`: `C_i0, ..., C_i(cols-1)`.
    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// All entries, row-major.
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// The transposed matrix, `C^T_ji = C_ij`: the cost of the reversed problem.
    pub fn transpose(&self) -> Self {
        let (n, m) = (self.rows, self.cols);
        let mut data = vec![0.0; n * m];
        for i in 0..n {
            for (j, &c) in self.row(i).iter().enumerate() {
                data[j * n + i] = c;
            }
        }
        Self {
            rows: m,
            cols: n,
            data,
            ..*self
        }
    }

    /// The largest finite entry (0 when there is none).
    pub fn max_finite(&self) -> f64 {
        self.max_finite
    }

    /// The smallest positive finite entry (`+inf` when there is none).
    pub fn min_positive(&self) -> f64 {
        self.min_positive
    }

    /// Whether some arc is forbidden (`+inf`).
    pub fn has_forbidden(&self) -> bool {
        self.has_forbidden
    }

    /// Every finite entry is an integer multiple of `2^lowest_bit()`.
    pub(crate) fn lowest_bit(&self) -> i32 {
        self.lowest_bit
    }
}

/// The exponent `e` of the lowest set bit of a finite `x > 0`: `x = k 2^e` with `k` odd.
pub(crate) fn lowest_set_bit(x: f64) -> i32 {
    let (mantissa, exponent) = decompose(x);
    exponent + mantissa.trailing_zeros() as i32
}

/// `x = mantissa * 2^exponent` exactly, for finite `x >= 0` (`mantissa < 2^53`).
pub(crate) fn decompose(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    }
}

#[cfg(test)]
mod tests {
    use super::{decompose, lowest_set_bit};

    /// `x = k 2^e` with `k` odd: the exponent of the lowest set bit, for
    /// normal and subnormal `x`.
    #[test]
    fn lowest_set_bit_and_decompose() {
        assert_eq!(lowest_set_bit(1.0), 0);
        assert_eq!(lowest_set_bit(0.75), -2);
        assert_eq!(lowest_set_bit(6.0), 1);
        assert_eq!(lowest_set_bit(2f64.powi(1000)), 1000);
        assert_eq!(lowest_set_bit(5e-324), -1074);
        assert_eq!(lowest_set_bit(3.0 * 5e-324), -1074);
        assert_eq!(decompose(1.0), (1 << 52, -52));
        assert_eq!(decompose(5e-324), (1, -1074));
        assert_eq!(decompose(0.0), (0, -1074));
    }
}
