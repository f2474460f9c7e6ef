//! `gan-theory verify --seeds A..B`: every claim once per seed, and per claim
//! how many seeds failed against how many its stated false-alarm rate allows.

use crate::commands::verify::run_claim;
use crate::output::{Failure, emit, short, write_table};
use gan_theory::claims::sweep::{SWEEP_LEVEL, allowed_failures};
use gan_theory::claims::{self, Context, Outcome};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The seeds of a sweep, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SeedRange {
    first: u64,
    last: u64,
}

impl SeedRange {
    fn runs(self) -> u64 {
        self.last - self.first + 1
    }
}

/// `--seeds`'s value: `A..B`, the seeds A to B with both ends included.
pub(crate) fn parse_seeds(text: &str) -> Result<SeedRange, String> {
    let refuse = || {
        format!(
            "seeds are a range A..B of whole numbers from 0 to {}, A <= B (both ends included)",
            u64::MAX
        )
    };
    let (first, last) = text.split_once("..").ok_or_else(refuse)?;
    let first: u64 = first.trim().parse().map_err(|_| refuse())?;
    let last: u64 = last.trim().parse().map_err(|_| refuse())?;
    if first > last || (first == 0 && last == u64::MAX) {
        return Err(refuse());
    }
    Ok(SeedRange { first, last })
}

/// One claim's count over the sweep.
#[derive(Serialize)]
struct ClaimCount {
    id: &'static str,
    /// The claim's stated false-alarm probability per run (the largest any
    /// run stated).
    false_alarm: f64,
    /// How many runs failed this claim.
    failed: u64,
    /// The seeds of those runs, in order.
    failed_seeds: Vec<u64>,
    /// How many false alarms the stated rate predicts: runs x rate.
    expected: f64,
    /// How many failing runs the stated rate allows at the sweep's level.
    allowed: u64,
    /// `failed <= allowed`.
    passed: bool,
}

/// The whole sweep, as `--json` prints it.
#[derive(Serialize)]
struct Sweep {
    first_seed: u64,
    last_seed: u64,
    runs: u64,
    /// The probability with which the sweep calls a right claim wrong.
    level: f64,
    claims: Vec<ClaimCount>,
    /// Runs in which some claim failed, and how many the suite's rate allows.
    runs_failed: u64,
    runs_failed_allowed: u64,
    /// The suite's stated false-alarm probability per run (largest over runs).
    suite_false_alarm: f64,
    passed: bool,
}

/// One seed's run: the seed, and per claim whether it passed and its stated
/// false-alarm rate.
type SeedOutcome = (u64, Vec<(bool, f64)>);

/// Runs every claim for every seed of `range`, on every core, and prints
/// the counts (a table, or JSON).
pub(crate) fn run(range: SeedRange, json: bool, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let claims = claims::all();
    let runs = range.runs();
    let progress = ProgressBar::new(runs).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} seeds {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // Per seed: which claims passed, and each claim's stated rate.
    let results: Mutex<Vec<SeedOutcome>> = Mutex::new(Vec::new());
    let next = AtomicU64::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let offset = next.fetch_add(1, Ordering::Relaxed);
                    if offset >= runs {
                        break;
                    }
                    let context = Context {
                        seed: range.first + offset,
                    };
                    let outcomes: Vec<(bool, f64)> = claims
                        .iter()
                        .map(|claim| {
                            let o: Outcome = run_claim(claim, &context);
                            (o.passed, o.false_alarm())
                        })
                        .collect();
                    if let Ok(mut results) = results.lock() {
                        results.push((context.seed, outcomes));
                    }
                    progress.inc(1);
                }
            });
        }
    });
    progress.finish_and_clear();
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(seed, _)| *seed);

    let mut counts: Vec<ClaimCount> = claims
        .iter()
        .enumerate()
        .map(|(i, claim)| {
            let false_alarm = results.iter().map(|(_, o)| o[i].1).fold(0.0, f64::max);
            let failed_seeds: Vec<u64> = results
                .iter()
                .filter(|(_, o)| !o[i].0)
                .map(|(seed, _)| *seed)
                .collect();
            let allowed = allowed_failures(runs, false_alarm, SWEEP_LEVEL);
            let failed = failed_seeds.len() as u64;
            ClaimCount {
                id: claim.id,
                false_alarm,
                failed,
                failed_seeds,
                expected: runs as f64 * false_alarm,
                allowed,
                passed: failed <= allowed,
            }
        })
        .collect();
    counts.shrink_to_fit();
    let suite_false_alarm = results
        .iter()
        .map(|(_, o)| o.iter().map(|(_, p)| p).sum::<f64>())
        .fold(0.0, f64::max);
    let runs_failed = results
        .iter()
        .filter(|(_, o)| o.iter().any(|(passed, _)| !passed))
        .count() as u64;
    let runs_failed_allowed = allowed_failures(runs, suite_false_alarm, SWEEP_LEVEL);
    let passed = counts.iter().all(|c| c.passed) && runs_failed <= runs_failed_allowed;
    let sweep = Sweep {
        first_seed: range.first,
        last_seed: range.last,
        runs,
        level: SWEEP_LEVEL,
        claims: counts,
        runs_failed,
        runs_failed_allowed,
        suite_false_alarm,
        passed,
    };
    let code = if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    emit(out, code, |out| {
        if json {
            serde_json::to_writer_pretty(&mut *out, &sweep)?;
            return writeln!(out);
        }
        write_sweep(out, &sweep)
    })
}

/// How many failing seeds of a claim the table lists.
const SEEDS_SHOWN: usize = 8;

fn write_sweep(out: &mut impl Write, sweep: &Sweep) -> std::io::Result<()> {
    writeln!(
        out,
        "seeds {} to {} ({} runs); a claim passes when its failing runs are at most what its stated rate allows with probability 1 - {}",
        sweep.first_seed,
        sweep.last_seed,
        sweep.runs,
        short(sweep.level)
    )?;
    let rows = sweep.claims.iter().map(|c| {
        let mut seeds: Vec<String> = c
            .failed_seeds
            .iter()
            .take(SEEDS_SHOWN)
            .map(u64::to_string)
            .collect();
        if c.failed_seeds.len() > SEEDS_SHOWN {
            seeds.push("...".to_string());
        }
        vec![
            c.id.to_string(),
            short(c.false_alarm),
            c.failed.to_string(),
            short(c.expected),
            c.allowed.to_string(),
            if c.passed { "ok" } else { "FAIL" }.to_string(),
            seeds.join(" "),
        ]
    });
    write_table(
        out,
        &[
            "id",
            "rate per run",
            "failed",
            "expected",
            "allowed",
            "result",
            "failing seeds",
        ],
        rows,
    )?;
    writeln!(
        out,
        "runs with a failing claim: {} of {} (the suite's rate {} per run allows {})",
        sweep.runs_failed,
        sweep.runs,
        short(sweep.suite_false_alarm),
        sweep.runs_failed_allowed
    )?;
    writeln!(
        out,
        "{}",
        if sweep.passed {
            "sweep passed"
        } else {
            "sweep FAILED"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::{SeedRange, parse_seeds};

    #[test]
    fn seed_ranges_include_both_ends() {
        assert_eq!(
            parse_seeds("1..150"),
            Ok(SeedRange {
                first: 1,
                last: 150
            })
        );
        assert_eq!(parse_seeds("7..7").map(SeedRange::runs), Ok(1));
        for bad in ["", "5", "5..", "..5", "9..3", "a..b", "-1..4", "1...4"] {
            assert!(parse_seeds(bad).is_err(), "{bad}");
        }
    }
}
