//! The crate's one error type.
//!
//! Constructors validate and return these errors; evaluation on validated
//! values does not fail (apart from the cheap shape check that two vectors
//! have the same length). Every variant that concerns one entry of a vector
//! names its index (0-based), so a caller can point at the bad entry.

use std::fmt;

/// Why an input was refused.
///
/// # Example
/// ```
/// use gan_theory::{Discrete, Error};
/// let err = Discrete::new(vec![0.5, -0.25, 0.75]).unwrap_err();
/// assert_eq!(err, Error::Negative { index: 1, value: -0.25 });
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The vector has no entries.
    Empty,
    /// Entry `index` is NaN.
    NotANumber {
        /// 0-based position of the entry.
        index: usize,
    },
    /// Entry `index` is +inf or -inf.
    Infinite {
        /// 0-based position of the entry.
        index: usize,
        /// The infinite value.
        value: f64,
    },
    /// Entry `index` is negative.
    Negative {
        /// 0-based position of the entry.
        index: usize,
        /// The negative value.
        value: f64,
    },
    /// Entry `index` lies outside the closed interval `[low, high]`.
    OutOfRange {
        /// 0-based position of the entry.
        index: usize,
        /// The value found.
        value: f64,
        /// Lower end of the allowed interval.
        low: f64,
        /// Upper end of the allowed interval.
        high: f64,
    },
    /// A probability vector does not sum to 1 within `tolerance`.
    SumNotOne {
        /// The (compensated) sum of the entries.
        sum: f64,
        /// The largest accepted |sum - 1| for a vector of this length.
        tolerance: f64,
    },
    /// Weights to be normalised are all zero.
    ZeroTotal,
    /// Two vectors that must have the same length do not.
    LengthMismatch {
        /// Length of the first vector.
        left: usize,
        /// Length of the second vector.
        right: usize,
    },
    /// A scalar parameter is invalid (for example a non-positive standard deviation).
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What it must satisfy.
        requirement: &'static str,
    },
    /// A numerical procedure did not reach its accuracy target.
    NotConverged {
        /// What did not converge.
        what: &'static str,
        /// Details: the accuracy reached, the budget spent.
        detail: String,
    },
    /// Row `row` of a matrix (or of a set of points) has another length than row 0.
    RaggedRow {
        /// 0-based index of the row.
        row: usize,
        /// Entries in row 0.
        expected: usize,
        /// Entries in this row.
        found: usize,
    },
    /// A cost matrix does not have one row per entry of p and one column per entry of q.
    ShapeMismatch {
        /// Rows of the matrix.
        rows: usize,
        /// Columns of the matrix.
        cols: usize,
        /// Rows required (the length of p).
        expected_rows: usize,
        /// Columns required (the length of q).
        expected_cols: usize,
    },
    /// The entry at `row`, `column` of a matrix is NaN.
    EntryNotANumber {
        /// 0-based row.
        row: usize,
        /// 0-based column.
        column: usize,
    },
    /// The entry at `row`, `column` of a matrix is infinite where it must be
    /// finite (a point coordinate, or a distance that overflows `f64`).
    EntryInfinite {
        /// 0-based row.
        row: usize,
        /// 0-based column.
        column: usize,
        /// The infinite value.
        value: f64,
    },
    /// The entry at `row`, `column` of a matrix is negative.
    EntryNegative {
        /// 0-based row.
        row: usize,
        /// 0-based column.
        column: usize,
        /// The negative value.
        value: f64,
    },
    /// Two sets of points live in spaces of different dimension.
    DimensionMismatch {
        /// Dimension of the first set.
        left: usize,
        /// Dimension of the second set.
        right: usize,
    },
    /// The total masses of two marginals differ by more than `tolerance`.
    Unbalanced {
        /// Total mass of the first marginal (p).
        left: f64,
        /// Total mass of the second marginal (q).
        right: f64,
        /// The largest accepted |left - right|.
        tolerance: f64,
    },
    /// No transport plan exists: some mass can only move along forbidden
    /// (`+inf` cost) arcs.
    NoFeasiblePlan {
        /// How much mass cannot be placed on allowed arcs.
        unplaced: f64,
    },
    /// An iterative solver reached its iteration cap before its optimality test held.
    IterationLimit {
        /// What stopped.
        what: &'static str,
        /// The cap.
        limit: usize,
    },
    /// A computed answer failed its own certificate of correctness.
    CertificateFailed {
        /// Which check failed, with the numbers.
        detail: String,
    },
}

impl Error {
    /// The 0-based index of the offending entry, when the error concerns one entry.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, Error};
    /// // The first bad entry is named, by its 0-based index:
    /// let err = Discrete::new(vec![0.5, f64::NAN, -1.0]).unwrap_err();
    /// assert_eq!(err.index(), Some(1));
    /// assert_eq!(Discrete::new(vec![0.5, 0.5, -0.5]).unwrap_err().index(), Some(2));
    /// // Errors about the whole input name no entry:
    /// assert_eq!(Discrete::new(vec![0.5, 0.4]).unwrap_err().index(), None);
    /// assert!(matches!(Discrete::uniform(0), Err(Error::Empty)));
    /// assert_eq!(Error::Empty.index(), None);
    /// ```
    pub fn index(&self) -> Option<usize> {
        match *self {
            Error::NotANumber { index }
            | Error::Infinite { index, .. }
            | Error::Negative { index, .. }
            | Error::OutOfRange { index, .. } => Some(index),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Empty => write!(f, "no entries"),
            Error::NotANumber { index } => write!(f, "index {index} is NaN"),
            Error::Infinite { index, value } => write!(f, "index {index} is infinite ({value})"),
            Error::Negative { index, value } => write!(f, "index {index} is negative ({value})"),
            Error::OutOfRange {
                index,
                value,
                low,
                high,
            } => write!(f, "index {index} is {value}, outside [{low}, {high}]"),
            Error::SumNotOne { sum, tolerance } => write!(
                f,
                "entries sum to {sum}, off from 1 by {:e} (tolerance {tolerance:e})",
                sum - 1.0
            ),
            Error::ZeroTotal => write!(f, "all weights are zero, nothing to normalise"),
            Error::LengthMismatch { left, right } => {
                write!(f, "lengths differ: {left} entries against {right}")
            }
            Error::InvalidParameter {
                name,
                value,
                requirement,
            } => write!(f, "parameter {name} = {value} is invalid: {requirement}"),
            Error::NotConverged { what, detail } => write!(f, "{what} did not converge: {detail}"),
            Error::RaggedRow {
                row,
                expected,
                found,
            } => write!(f, "row {row} has {found} entries, row 0 has {expected}"),
            Error::ShapeMismatch {
                rows,
                cols,
                expected_rows,
                expected_cols,
            } => write!(
                f,
                "the cost matrix is {rows} x {cols}, but p has {expected_rows} entries and q has {expected_cols}"
            ),
            Error::EntryNotANumber { row, column } => {
                write!(f, "row {row}, column {column} is NaN")
            }
            Error::EntryInfinite { row, column, value } => {
                write!(f, "row {row}, column {column} is infinite ({value})")
            }
            Error::EntryNegative { row, column, value } => {
                write!(f, "row {row}, column {column} is negative ({value})")
            }
            Error::DimensionMismatch { left, right } => write!(
                f,
                "dimensions differ: points in dimension {left} against points in dimension {right}"
            ),
            Error::Unbalanced {
                left,
                right,
                tolerance,
            } => write!(
                f,
                "masses do not balance: p sums to {left}, q sums to {right}, apart by {:e} (tolerance {tolerance:e}); normalise them to compare distributions",
                (left - right).abs()
            ),
            Error::NoFeasiblePlan { unplaced } => write!(
                f,
                "no feasible transport plan: mass {unplaced:e} can only move along forbidden (+inf cost) arcs"
            ),
            Error::IterationLimit { what, limit } => {
                write!(
                    f,
                    "{what} stopped at its cap of {limit} iterations before optimality"
                )
            }
            Error::CertificateFailed { detail } => {
                write!(f, "the answer failed its certificate: {detail}")
            }
        }
    }
}

impl std::error::Error for Error {}

/// `Err(LengthMismatch { left, right })` unless `left == right`: the one
/// shape check that evaluation on validated values performs.
pub(crate) fn check_same_length(left: usize, right: usize) -> Result<()> {
    if left != right {
        return Err(Error::LengthMismatch { left, right });
    }
    Ok(())
}

/// Shorthand for `Result<T, gan_theory::Error>`.
pub type Result<T> = std::result::Result<T, Error>;
