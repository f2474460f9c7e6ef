//! The registry of claims that `gan-theory verify` checks.
//!
//! Each [`Claim`] has an id from the catalogue (A1, B2, ...), a one-line
//! statement, the path of its written proof in `proofs/`, and a check that
//! computes real numbers and compares them with what the theorem says. A check
//! returns one or more [`Measurement`]s; the claim passes when all of them do.
//!
//! The claims themselves (id, statement, proof, the code they check) are
//! listed once, in [`proofs::CATALOGUE`](crate::proofs::CATALOGUE); the
//! check modules here only measure and compare with the theory. The set-up
//! of each experiment (constants, instances, training runs) lives in the
//! crate's experiments module, which the report's figures read too.
//!
//! Adding a claim takes its proof (`proofs/<ID>-<slug>.md`), its
//! experiment's set-up (in the experiments module) and its check function
//! (here), then two entries: one in the catalogue (`src/proofs.rs`), which
//! lists the proof and the check and gives the id its constant in
//! [`proofs::id`](crate::proofs::id), and one row in the README's claims
//! table, linking the proof and naming the library items the claim checks
//! (`cli/tests/proofs.rs` fails without it). The CLI, the report and the
//! tests pick the claim up from there; [`get`] finds it by id.

pub(crate) mod best_response;
pub(crate) mod conditional;
pub(crate) mod continuous;
pub(crate) mod discriminator_steps;
pub(crate) mod divergence;
pub(crate) mod dynamics;
pub(crate) mod ebgan;
pub(crate) mod fgan;
pub(crate) mod fit;
pub(crate) mod game;
pub(crate) mod lsgan;
pub(crate) mod modes;
pub(crate) mod patchgan;
pub(crate) mod penalty;
pub(crate) mod replicated;
pub(crate) mod samples;
pub(crate) mod segments;
pub(crate) mod slope;
pub mod sweep;
pub(crate) mod training;
pub(crate) mod transport;
pub(crate) mod wgan;

use crate::error::Error;
use serde::Serialize;

// The context, the seeded generators and the random instances are the
// experiments' set-up (`crate::experiments`); the checks and the command line
// name the context here.
pub use crate::experiments::Context;
pub(crate) use crate::experiments::{random_distribution, rng_for};

/// One number a check measured, what the theory says it should be, and how
/// far apart the two may be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    /// What was measured, in a few words ("max |C(G) - (-ln 4 + 2 JSD)| over 1000 pairs").
    pub quantity: String,
    /// The measured value (`+inf` is serialised as the string "inf").
    #[serde(serialize_with = "serialize_f64")]
    pub measured: f64,
    /// The value the claim predicts.
    #[serde(serialize_with = "serialize_f64")]
    pub expected: f64,
    /// The largest accepted |measured - expected|, or the bound measured must
    /// stay below, as [`Comparison`] says (for [`Comparison::Between`], the
    /// larger distance from `expected` to an end of the accepted interval).
    #[serde(serialize_with = "serialize_f64")]
    pub tolerance: f64,
    /// How measured is compared with expected.
    pub comparison: Comparison,
    /// Whether the comparison holds.
    pub passed: bool,
    /// The probability that this measurement fails although the claim and
    /// the code are right: 0 for a deterministic check (an identity, or a
    /// bound with its rounding error accounted for), the derived probability
    /// of the random draw landing outside the acceptance for a statistical
    /// one (its derivation is in the claim's proof). Set with
    /// [`Measurement::with_false_alarm`].
    pub false_alarm: f64,
}

/// How a [`Measurement`] is judged.
///
/// Serialised as `"within"`, `"at_most"`, `"at_least"`, and
/// `{"between": {"low": .., "high": ..}}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// `|measured - expected| <= tolerance` (equal infinities pass).
    Within,
    /// `measured <= expected + tolerance`.
    AtMost,
    /// `measured >= expected - tolerance`.
    AtLeast,
    /// `low <= measured <= high`: a two-sided acceptance interval around
    /// `expected`, not necessarily symmetric (for example the central
    /// 1 - 1e-6 of a scaled chi-square).
    Between {
        /// The smallest accepted value.
        #[serde(serialize_with = "serialize_f64")]
        low: f64,
        /// The largest accepted value.
        #[serde(serialize_with = "serialize_f64")]
        high: f64,
    },
}

impl Measurement {
    fn judged(
        quantity: impl Into<String>,
        measured: f64,
        expected: f64,
        tolerance: f64,
        comparison: Comparison,
    ) -> Self {
        let passed = !measured.is_nan()
            && match comparison {
                Comparison::Within => {
                    (measured.is_infinite() && measured == expected)
                        || (measured - expected).abs() <= tolerance
                }
                Comparison::AtMost => measured <= expected + tolerance,
                Comparison::AtLeast => measured >= expected - tolerance,
                Comparison::Between { low, high } => low <= measured && measured <= high,
            };
        Self {
            quantity: quantity.into(),
            measured,
            expected,
            tolerance,
            comparison,
            passed,
            false_alarm: 0.0,
        }
    }

    /// States the probability that this check fails although the claim and
    /// the code are right (see [`Measurement::false_alarm`]): a statistical
    /// check's derived rate. Measurements are deterministic (rate 0) until
    /// this is called.
    ///
    /// # Panics
    /// If `probability` is not in `[0, 1]`: a rate is a constant of the
    /// check's design, so a wrong one is a bug of the check, not of its input.
    #[must_use]
    pub fn with_false_alarm(mut self, probability: f64) -> Self {
        assert!(
            (0.0..=1.0).contains(&probability),
            "a false-alarm probability is in [0, 1], not {probability}"
        );
        self.false_alarm = probability;
        self
    }

    /// `|measured - expected| <= tolerance`.
    pub fn within(
        quantity: impl Into<String>,
        measured: f64,
        expected: f64,
        tolerance: f64,
    ) -> Self {
        Self::judged(quantity, measured, expected, tolerance, Comparison::Within)
    }

    /// `measured <= bound + tolerance`.
    pub fn at_most(quantity: impl Into<String>, measured: f64, bound: f64, tolerance: f64) -> Self {
        Self::judged(quantity, measured, bound, tolerance, Comparison::AtMost)
    }

    /// `measured >= bound - tolerance`.
    pub fn at_least(
        quantity: impl Into<String>,
        measured: f64,
        bound: f64,
        tolerance: f64,
    ) -> Self {
        Self::judged(quantity, measured, bound, tolerance, Comparison::AtLeast)
    }

    /// `low <= measured <= high`, the theory predicting `expected` inside
    /// the interval; `tolerance` is set to the larger of `high - expected`
    /// and `expected - low`.
    pub fn between(
        quantity: impl Into<String>,
        measured: f64,
        expected: f64,
        low: f64,
        high: f64,
    ) -> Self {
        let tolerance = (high - expected).max(expected - low);
        Self::judged(
            quantity,
            measured,
            expected,
            tolerance,
            Comparison::Between { low, high },
        )
    }
}

fn serialize_f64<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    crate::claims::json_number(*x).serialize(s)
}

/// A JSON value for an `f64`: a number when finite, the strings `"inf"`,
/// `"-inf"` or `"nan"` otherwise (JSON has no such numbers).
pub fn json_number(x: f64) -> serde_json::Value {
    if x.is_finite() {
        serde_json::json!(x)
    } else if x.is_nan() {
        serde_json::json!("nan")
    } else if x > 0.0 {
        serde_json::json!("inf")
    } else {
        serde_json::json!("-inf")
    }
}

/// A claim of the catalogue with its check.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    /// Catalogue id: "A1", "B5", ...
    pub id: &'static str,
    /// The statement in one line.
    pub statement: &'static str,
    /// Path of the written proof, relative to the crate root.
    pub proof: &'static str,
    /// Computes the measurements.
    pub check: fn(&Context) -> Result<Vec<Measurement>, Error>,
}

/// The largest total false-alarm probability a `verify` run may have: the
/// sum of [`Measurement::false_alarm`] over every measurement of every claim.
/// By the union bound, a run in which the code and every claim are right
/// fails with at most this probability, so a failing row is evidence against
/// the claim or the code at this level.
pub const SUITE_FALSE_ALARM_BUDGET: f64 = 1e-3;

/// The outcome of running one claim's check.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Catalogue id.
    pub id: &'static str,
    /// The statement in one line.
    pub claim: &'static str,
    /// Path of the written proof.
    pub proof: &'static str,
    /// What was measured; empty when the check itself failed.
    pub measurements: Vec<Measurement>,
    /// The error that stopped the check, if any.
    pub error: Option<String>,
    /// True when the check ran and every measurement passed.
    pub passed: bool,
}

impl Outcome {
    /// The claim's stated false-alarm probability: the sum of its
    /// measurements' (a union bound on the probability that a right claim,
    /// rightly coded, fails this run). 0 when the check stopped with an error.
    pub fn false_alarm(&self) -> f64 {
        self.measurements.iter().map(|m| m.false_alarm).sum()
    }
}

impl Claim {
    /// Runs the check. A check that returns an error, or no measurement, fails.
    pub fn run(&self, context: &Context) -> Outcome {
        let (measurements, error) = match (self.check)(context) {
            Ok(m) => (m, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        let passed =
            error.is_none() && !measurements.is_empty() && measurements.iter().all(|m| m.passed);
        Outcome {
            id: self.id,
            claim: self.statement,
            proof: self.proof,
            measurements,
            error,
            passed,
        }
    }
}

/// Every registered claim, in catalogue order: each entry of
/// [`proofs::CATALOGUE`](crate::proofs::CATALOGUE) with its check.
pub fn all() -> Vec<Claim> {
    crate::proofs::CATALOGUE
        .iter()
        .zip(crate::proofs::CHECKS)
        .map(|entry| Claim {
            id: entry.0.id,
            statement: entry.0.statement,
            proof: entry.0.proof,
            check: *entry.1,
        })
        .collect()
}

/// The registered claim with catalogue id `id` (one of the constants of
/// [`proofs::id`](crate::proofs::id), "A1" ... "E1"), or `None` for an id
/// the catalogue does not list.
pub fn get(id: &str) -> Option<Claim> {
    all().into_iter().find(|claim| claim.id == id)
}

#[cfg(test)]
mod tests {
    use super::{Comparison, Measurement};

    /// A two-sided acceptance passes inside its interval, ends included,
    /// and fails beyond either end or on NaN.
    #[test]
    fn between_accepts_exactly_its_interval() {
        let judge = |x: f64| Measurement::between("ratio", x, 1.0, 0.7, 1.4);
        for inside in [0.7, 0.7001, 1.0, 1.3999, 1.4] {
            assert!(judge(inside).passed, "{inside}");
        }
        for outside in [0.6999, 1.4001, f64::NAN, f64::INFINITY] {
            assert!(!judge(outside).passed, "{outside}");
        }
        let m = judge(1.0);
        assert_eq!(
            m.comparison,
            Comparison::Between {
                low: 0.7,
                high: 1.4
            }
        );
        // The larger distance from the expected value to an end.
        assert_eq!(m.tolerance, (1.4f64 - 1.0).max(1.0 - 0.7));
    }
}
