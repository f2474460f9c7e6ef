//! Checks of training outcomes that are not theorems (A6's Figure-1 run,
//! D1's critics and generator): what a seeded training run reaches is not
//! proved, so one run cannot be judged at a stated false-alarm rate. Each
//! such check runs `r` independently seeded runs instead and accepts when at
//! most `j` of them miss the outcome's criterion. If one run misses with
//! probability at most `pi`, the check fails although training is sound with
//! probability at most `P(Binomial(r, pi) > j)` ([`Replication::false_alarm`]).
//!
//! The per-run bound `pi` is the empirical premise of such a check, and the
//! proofs say so: it is the Clopper-Pearson upper limit, at confidence
//! `1 - CALIBRATION_LEVEL`, of the misses counted in a calibration sweep
//! ([`Calibration`]) over runs that `verify` does not make by default: those
//! of the context seeds from [`CALIBRATION_FIRST_SEED`] on.
//!
//! The runs of one check need not miss equally often (the sweep pools the
//! first and the second runs of every context): if run `k` misses with
//! probability `p_k`, the pooled count is a sum of unequal Bernoulli trials
//! with mean probability `p = mean p_k`, which is more concentrated than
//! `Binomial(n, p)` below its mean (Hoeffding 1956), so the pooled limit
//! still bounds `p`; and the `r` runs' count of misses is more
//! concentrated than `Binomial(r, p)` above its mean too, so
//! `P(more than j miss) <= P(Binomial(r, p) > j)` whenever `j >= r p`
//! (for two runs simply `P(both miss) = p_1 p_2 <= p^2`). Each calibration
//! is a constant next to its check, and an ignored test next to the
//! experiment re-counts it (`cargo test --release --features verify --lib --
//! --ignored calibrate`) and fails when the recount is not consistent with
//! the stated bound: a change of the run that makes it miss more often fails
//! there until the sweep is redone and the constant updated.

use super::Measurement;
use statrs::distribution::{Binomial, DiscreteCDF};

/// The probability that a calibration sweep understates a run's miss
/// probability: the per-run bound is the `1 - CALIBRATION_LEVEL`
/// Clopper-Pearson upper confidence limit of the calibration's count.
pub(crate) const CALIBRATION_LEVEL: f64 = 1e-3;

/// The first context seed of every calibration sweep. `verify` checks seed
/// 2014 by default and the sweeps in the README run seeds below 10^4, so the
/// calibration runs (those of context seeds `10^6, 10^6 + 1, ...`, each
/// with its own derived run seeds) are not the runs that `verify` judges.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const CALIBRATION_FIRST_SEED: u64 = 1_000_000;

/// The count of a calibration sweep: `misses` of `runs` independently
/// seeded runs missed the criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Calibration {
    /// Runs made.
    pub(crate) runs: u64,
    /// Runs that missed.
    pub(crate) misses: u64,
}

impl Calibration {
    /// The upper limit of the per-run miss probability at confidence
    /// `1 - CALIBRATION_LEVEL` (Clopper-Pearson).
    pub(crate) fn miss_bound(self) -> f64 {
        clopper_pearson_upper(self.misses, self.runs, CALIBRATION_LEVEL)
    }
}

/// The exact (Clopper-Pearson) upper confidence limit for a binomial
/// probability after `misses` of `runs`: the `p` at which
/// `P(Binomial(runs, p) <= misses) = level`, by bisection (1 when every run
/// missed or none was made; `1 - level^(1/runs)` when none missed).
pub(crate) fn clopper_pearson_upper(misses: u64, runs: u64, level: f64) -> f64 {
    if runs == 0 || misses >= runs {
        return 1.0;
    }
    // P(X <= misses) falls as p grows; find where it crosses `level`.
    let (mut low, mut high) = (misses as f64 / runs as f64, 1.0);
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        let below = Binomial::new(mid, runs).map_or(0.0, |law| law.cdf(misses));
        if below > level {
            low = mid;
        } else {
            high = mid;
        }
    }
    high
}

/// How a training outcome is replicated: `runs` seeded runs, of which at
/// most `allowed_misses` may miss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Replication {
    /// `r`, the independently seeded runs per check.
    pub(crate) runs: usize,
    /// `j`, how many of them may miss.
    pub(crate) allowed_misses: usize,
}

impl Replication {
    /// `P(Binomial(runs, miss_bound) > allowed_misses)`: the probability
    /// that the check fails although each run misses with probability at
    /// most `miss_bound` (the tail grows with the per-run probability, so the
    /// bound gives a bound).
    pub(crate) fn false_alarm(self, miss_bound: f64) -> f64 {
        let runs = self.runs as u64;
        match Binomial::new(miss_bound.clamp(0.0, 1.0), runs) {
            Ok(law) => law.sf(self.allowed_misses as u64).clamp(0.0, 1.0),
            Err(_) => 1.0,
        }
    }

    /// The measurement of a criterion `value >= threshold` over the runs'
    /// `values` (one per run; NaN for a run that stopped, which counts as a
    /// miss): measured is the `(runs - allowed_misses)`-th largest value, which
    /// is at least `threshold` exactly when at most `allowed_misses` runs miss.
    /// Its false-alarm probability is [`Replication::false_alarm`] at
    /// `calibration`'s bound.
    pub(crate) fn at_least(
        self,
        quantity: impl Into<String>,
        values: &[f64],
        threshold: f64,
        calibration: Calibration,
    ) -> Measurement {
        let measured = self.order_statistic(values, true);
        Measurement::at_least(quantity, measured, threshold, 0.0)
            .with_false_alarm(self.false_alarm(calibration.miss_bound()))
    }

    /// As [`Replication::at_least`] for a criterion `value <= threshold`:
    /// measured is the `(runs - allowed_misses)`-th smallest value.
    pub(crate) fn at_most(
        self,
        quantity: impl Into<String>,
        values: &[f64],
        threshold: f64,
        calibration: Calibration,
    ) -> Measurement {
        let measured = self.order_statistic(values, false);
        Measurement::at_most(quantity, measured, threshold, 0.0)
            .with_false_alarm(self.false_alarm(calibration.miss_bound()))
    }

    /// As [`Replication::at_least`] for a criterion
    /// `low <= value <= high`: measured is the value of the
    /// `(runs - allowed_misses)`-th run by distance from the interval (the
    /// runs inside it first, at distance 0, in order), so that it lies in the
    /// interval exactly when at most `allowed_misses` runs miss.
    pub(crate) fn between(
        self,
        quantity: impl Into<String>,
        values: &[f64],
        expected: f64,
        (low, high): (f64, f64),
        calibration: Calibration,
    ) -> Measurement {
        let distance = |v: f64| {
            if v.is_nan() {
                f64::INFINITY
            } else {
                (low - v).max(v - high).max(0.0)
            }
        };
        let mut ranked: Vec<f64> = values.to_vec();
        ranked.sort_by(|a, b| distance(*a).total_cmp(&distance(*b)));
        let measured = self.pick(&ranked);
        Measurement::between(quantity, measured, expected, low, high)
            .with_false_alarm(self.false_alarm(calibration.miss_bound()))
    }

    /// The `(runs - allowed_misses)`-th best of `values`, the best being the
    /// largest (`larger_is_better`) or the smallest; NaN ranks last.
    fn order_statistic(self, values: &[f64], larger_is_better: bool) -> f64 {
        let mut ranked: Vec<f64> = values.to_vec();
        ranked.sort_by(|a, b| match (a.is_nan(), b.is_nan()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            (false, false) if larger_is_better => b.total_cmp(a),
            (false, false) => a.total_cmp(b),
        });
        self.pick(&ranked)
    }

    /// Entry `runs - allowed_misses - 1` of the ranked values; NaN when
    /// fewer values than runs were given (a run missing counts as a miss).
    fn pick(self, ranked: &[f64]) -> f64 {
        debug_assert_eq!(ranked.len(), self.runs, "one value per run");
        let needed = self.runs.saturating_sub(self.allowed_misses).max(1);
        ranked.get(needed - 1).copied().unwrap_or(f64::NAN)
    }
}

/// A calibration sweep, for the ignored `calibrate_*` tests: runs `judge`
/// for the context seeds `CALIBRATION_FIRST_SEED ..` (`contexts` of them,
/// on every core). `judge` returns, for each of `names` (the criteria), one
/// `(value, missed)` per run; the sweep returns each criterion's count.
/// Prints its progress, every miss and each count with a summary of the
/// values on stderr.
#[cfg(test)]
pub(crate) fn calibrate(
    names: &[&str],
    contexts: u64,
    judge: impl Fn(&super::Context) -> Vec<Vec<(f64, bool)>> + Sync,
) -> Vec<Calibration> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};
    let next = AtomicU64::new(0);
    let results = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= contexts {
                        break;
                    }
                    let seed = CALIBRATION_FIRST_SEED + i;
                    let outcome = judge(&super::Context { seed });
                    assert_eq!(outcome.len(), names.len(), "one list per criterion");
                    for (name, runs) in names.iter().zip(&outcome) {
                        if runs.iter().any(|&(_, missed)| missed) {
                            eprintln!("{name}: context {seed} missed: {runs:?}");
                        }
                    }
                    if (i + 1) % 100 == 0 {
                        eprintln!("{} contexts done", i + 1);
                    }
                    results.lock().expect("no panic").push(outcome);
                }
            });
        }
    });
    let results = results.into_inner().expect("no panic");
    names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let values: Vec<(f64, bool)> = results.iter().flat_map(|o| o[k].clone()).collect();
            let runs = values.len() as u64;
            let misses = values.iter().filter(|(_, missed)| *missed).count() as u64;
            let mut sorted: Vec<f64> = values.iter().map(|(v, _)| *v).collect();
            sorted.sort_by(f64::total_cmp);
            let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize];
            eprintln!(
                "{name}: {misses} of {runs} runs missed; values: min {:.4e}, 0.1% {:.4e}, median {:.4e}, 99.9% {:.4e}, max {:.4e}",
                at(0.0),
                at(0.001),
                at(0.5),
                at(0.999),
                at(1.0)
            );
            Calibration { runs, misses }
        })
        .collect()
}

/// Whether a calibration sweep's `recount` is consistent with the stated
/// `calibration`'s bound: the recount may differ (a build with other
/// floating-point contractions draws other runs), but a recount with
/// `P(Binomial(runs, bound) >= misses) < CALIBRATION_LEVEL` says that runs
/// now miss more often than the stated bound allows.
#[cfg(test)]
pub(crate) fn consistent(recount: Calibration, calibration: Calibration) -> bool {
    let bound = calibration.miss_bound();
    recount.misses == 0
        || Binomial::new(bound, recount.runs)
            .is_ok_and(|law| law.sf(recount.misses - 1) >= CALIBRATION_LEVEL)
}

#[cfg(test)]
mod tests {
    use super::{Calibration, Replication, clopper_pearson_upper};

    #[test]
    fn clopper_pearson_limits() {
        // No miss: 1 - level^(1/n).
        let n = 4000;
        let expected = 1.0 - 1e-3f64.powf(1.0 / n as f64);
        assert!((clopper_pearson_upper(0, n, 1e-3) - expected).abs() < 1e-12);
        // 10 of 4000 at 1e-3: the p with P(Bin(4000, p) <= 10) = 1e-3,
        // 0.006022839337522765 (scipy.stats.beta.ppf(1 - 1e-3, 11, 3990)).
        let upper = clopper_pearson_upper(10, 4000, 1e-3);
        assert!((upper - 0.006_022_839_337_522_765).abs() < 1e-10, "{upper}");
        assert_eq!(clopper_pearson_upper(3, 3, 1e-3), 1.0);
        assert_eq!(clopper_pearson_upper(0, 0, 1e-3), 1.0);
    }

    #[test]
    fn replicated_false_alarm_is_the_binomial_tail() {
        let best_of_two = Replication {
            runs: 2,
            allowed_misses: 1,
        };
        // Both runs miss: pi^2.
        assert!((best_of_two.false_alarm(0.01) - 1e-4).abs() < 1e-15);
        let two_of_three = Replication {
            runs: 3,
            allowed_misses: 1,
        };
        // 3 pi^2 (1 - pi) + pi^3.
        let pi: f64 = 0.01;
        let tail = 3.0 * pi * pi * (1.0 - pi) + pi.powi(3);
        assert!((two_of_three.false_alarm(pi) - tail).abs() < 1e-15);
        assert_eq!(best_of_two.false_alarm(0.0), 0.0);
    }

    #[test]
    fn the_order_statistic_passes_exactly_when_few_enough_runs_miss() {
        let calibration = Calibration {
            runs: 1000,
            misses: 0,
        };
        let best_of_two = Replication {
            runs: 2,
            allowed_misses: 1,
        };
        let judge = |values: [f64; 2]| {
            best_of_two
                .at_least("ratio", &values, 0.75, calibration)
                .passed
        };
        assert!(judge([0.9, 0.1]));
        assert!(judge([0.1, 0.9]));
        assert!(judge([f64::NAN, 0.8]));
        assert!(!judge([0.7, 0.74]));
        assert!(!judge([f64::NAN, f64::NAN]));
        let at_most =
            |values: [f64; 2]| best_of_two.at_most("W1", &values, 0.4, calibration).passed;
        assert!(at_most([0.5, 0.3]));
        assert!(!at_most([0.5, f64::NAN]));
        let between = |values: [f64; 2]| {
            best_of_two
                .between("g", &values, 1.0, (0.75, 1.25), calibration)
                .passed
        };
        assert!(between([0.1, 0.8]));
        assert!(between([1.2, 9.0]));
        assert!(!between([1.3, 0.7]));
        // Two of three: the second best.
        let two_of_three = Replication {
            runs: 3,
            allowed_misses: 1,
        };
        let m = two_of_three.at_least("ratio", &[0.9, 0.1, 0.8], 0.75, calibration);
        assert_eq!(m.measured, 0.8);
        assert!(m.passed);
        let m = two_of_three.at_least("ratio", &[0.9, 0.1, 0.7], 0.75, calibration);
        assert!(!m.passed);
        // The stated rate: the binomial tail at the calibration's bound.
        let pi = calibration.miss_bound();
        let tail = 3.0 * pi * pi * (1.0 - pi) + pi.powi(3);
        assert!(
            (m.false_alarm - tail).abs() < 1e-15,
            "{} vs {tail}",
            m.false_alarm
        );
    }
}
