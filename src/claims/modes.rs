//! Check for claim G1: on the 2-D ring, the non-saturating GAN trained with
//! the R1 penalty keeps the modes that the same GAN without it drops.
//!
//! What a training run reaches is not a theorem: each outcome is judged over
//! [`G1_PAIRS`] independently seeded pairs (ns-gan and r1 from the same
//! seed), of which at most a stated number may miss
//! ([`G1_MODES_REPLICATION`], [`G1_KL_REPLICATION`]),
//! with the false-alarm probability derived from a calibrated per-pair miss
//! bound ([`crate::claims::replicated`]).

use super::replicated::{Calibration, Replication};
use super::{Context, Measurement};
use crate::error::Result;
use crate::experiments::modes::{G1_PAIRS, G1Pair, g1_pairs, g1_run_seeds};

/// Modes (of 8) that the R1 run must capture: all but one. A design choice
/// (the claim is that R1 keeps the modes; one mode may hold no sample within
/// 3 sd after the reduced protocol's 1000 iterations), not a fit to the
/// runs; how often one run falls short is calibrated ([`G1_CALIBRATION`]).
pub const R1_MIN_MODES: f64 = 7.0;

/// How much lower (in nats) the R1 run's reverse KL of the mode histogram
/// must be than the ns-gan run's from the same seed: a hundredth of a nat,
/// a design choice (lower, not a tie: with the penalty switched off the two
/// runs are the same run, bit for bit, and the difference is exactly 0).
/// Its per-pair rate is calibrated.
pub const KL_MARGIN: f64 = 0.01;

/// How G1 judges the R1 runs' modes over its pairs: at most 8 of the 10 may
/// miss. A pair misses with probability at most about 0.32 (the
/// calibration's bound), so the check fails although training is sound with
/// probability at most `P(Binomial(10, 0.32) > 8)`, 2.8e-4; a generator that
/// does not learn (frozen, or ascending its loss) keeps no mode in any pair.
pub const G1_MODES_REPLICATION: Replication = Replication {
    runs: G1_PAIRS,
    allowed_misses: 8,
};

/// How G1 judges the reverse-KL gap over its pairs: at most 6 of the 10 may
/// miss. A pair misses with probability at most about 0.12, so the check
/// fails although training is sound with probability at most
/// `P(Binomial(10, 0.12) > 6)`, 2.8e-5; with the penalty switched off every
/// pair misses (the gap is exactly 0).
pub const G1_KL_REPLICATION: Replication = Replication {
    runs: G1_PAIRS,
    allowed_misses: 6,
};

/// The calibration of G1's outcomes: of the pairs that `verify` would train
/// for the context seeds `CALIBRATION_FIRST_SEED ..` ([`G1_PAIRS`] per
/// context), how many missed each criterion (`calibrate_g1_pairs` re-counts
/// them).
#[derive(Debug, Clone, Copy)]
pub struct G1Calibration {
    /// Pairs whose R1 run captured fewer than [`R1_MIN_MODES`] modes.
    pub r1_modes: Calibration,
    /// Pairs whose reverse-KL gap (ns-gan minus r1) was below [`KL_MARGIN`].
    pub kl_gap: Calibration,
}

/// See [`G1Calibration`].
pub const G1_CALIBRATION: G1Calibration = G1Calibration {
    r1_modes: Calibration {
        runs: 400,
        misses: 101,
    },
    kl_gap: Calibration {
        runs: 400,
        misses: 28,
    },
};

/// The modes the R1 run captured, per pair (NaN for a diverged pair).
fn r1_modes(pairs: &[Option<G1Pair>]) -> Vec<f64> {
    pairs
        .iter()
        .map(|p| p.as_ref().map_or(f64::NAN, |p| p.r1.metrics.modes as f64))
        .collect()
}

/// The reverse KL of a run for the comparison: a run with no high-quality
/// sample (KL undefined) counts as `ln 8`, the largest value the KL takes
/// (all high-quality samples on one mode).
fn comparable_kl(run: &crate::train::modes::ModeRun) -> f64 {
    run.metrics.reverse_kl.unwrap_or(8f64.ln())
}

/// The reverse-KL gap `KL(ns) - KL(r1)` per pair (NaN for a diverged pair: a miss).
fn kl_gaps(pairs: &[Option<G1Pair>]) -> Vec<f64> {
    pairs
        .iter()
        .map(|p| {
            p.as_ref()
                .map_or(f64::NAN, |p| comparable_kl(&p.ns) - comparable_kl(&p.r1))
        })
        .collect()
}

pub(crate) fn g1(context: &Context) -> Result<Vec<Measurement>> {
    let pairs = g1_pairs(&g1_run_seeds(context))?;
    let r = G1_PAIRS;
    let (j, k) = (
        G1_MODES_REPLICATION.allowed_misses,
        G1_KL_REPLICATION.allowed_misses,
    );
    Ok(vec![
        G1_MODES_REPLICATION.at_least(
            format!(
                "ring, r1 (gamma = 1): modes captured of 8 that at least {} of {r} seeds reach (at most {j} may miss)",
                r - j
            ),
            &r1_modes(&pairs),
            R1_MIN_MODES,
            G1_CALIBRATION.r1_modes,
        ),
        G1_KL_REPLICATION.at_least(
            format!(
                "ring: reverse KL of ns-gan minus that of r1 from the same seed, reached by at least {} of {r} pairs (at most {k} may miss)",
                r - k
            ),
            &kl_gaps(&pairs),
            KL_MARGIN,
            G1_CALIBRATION.kl_gap,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::{G1_CALIBRATION, KL_MARGIN, R1_MIN_MODES, kl_gaps, r1_modes};
    use crate::claims::replicated::{calibrate, consistent};
    use crate::experiments::modes::{g1_pairs, g1_run_seeds};

    /// Re-counts [`G1_CALIBRATION`]: every pair of G1 for the calibration
    /// contexts, each outcome judged as the check judges it.
    #[test]
    #[ignore = "calibration sweep: 400 G1 pairs (about 1.5 minutes on 2 cores)"]
    fn calibrate_g1_pairs() {
        let contexts = 40;
        let names = ["G1 r1 modes", "G1 reverse-KL gap"];
        let count = calibrate(&names, contexts, |context| {
            let pairs = g1_pairs(&g1_run_seeds(context)).expect("training runs");
            let modes = r1_modes(&pairs);
            let gaps = kl_gaps(&pairs);
            vec![
                modes
                    .iter()
                    .map(|&v| (v, v.is_nan() || v < R1_MIN_MODES))
                    .collect(),
                gaps.iter()
                    .map(|&v| (v, v.is_nan() || v < KL_MARGIN))
                    .collect(),
            ]
        });
        eprintln!("{count:?}");
        let stated = [G1_CALIBRATION.r1_modes, G1_CALIBRATION.kl_gap];
        for ((name, recount), stated) in names.iter().zip(&count).zip(stated) {
            assert!(
                consistent(*recount, stated),
                "{name}: {recount:?} vs {stated:?}"
            );
        }
    }
}
