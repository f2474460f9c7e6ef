//! `gan-theory verify` (also the run without a command): checks every
//! registered claim, writes the report, and prints one line per claim, or
//! every measurement with `--detail`, or every measurement as JSON.

use crate::commands::sweep;
use crate::input::escape_controls;
use crate::output::{Failure, emit, optional_number, short, write_table, write_wrapped_table};
use clap::Args;
use gan_theory::claims::{self, Claim, Comparison, Context, Outcome};
use gan_theory::report;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;

/// How `verify` reads its one line per claim (in `verify --help`).
const MARGIN_HELP: &str = "\
By default one line per claim: its id, its statement (shortened), ok or FAIL, and its worst \
margin. The margin of a measurement is the share of its allowance it left unused: \
1 - used / allowance, where for |measured - expected| <= tolerance the allowance is the \
tolerance and the use |measured - expected|; for measured <= bound + tolerance (or >= bound - \
tolerance) the allowance is the tolerance and the use how far measured passes the bound (0 on \
the bound's side); for an interval [low, high] around the expected value the allowance is the \
distance from the expected value to the end on measured's side. So 1 means no allowance was \
needed, 0 the edge of the accepted range, a negative value a failure. A claim's worst margin is \
the smallest over its measurements. --detail prints every measurement (two-sided acceptances as \
\"in [low, high]\"); --json prints every measurement, for machines.";

/// `verify`'s exit status (in `--help` and `verify --help`).
pub(crate) const EXIT_STATUS_HELP: &str = "Exit status of verify: 0 when every claim passed and every figure was drawn; \
1 when a claim failed or a figure could not be drawn (the report is still written, \
naming what failed); 2 on a usage error or a report directory that cannot be written.";

#[derive(Args)]
#[command(after_help = format!("{MARGIN_HELP}\n\n{EXIT_STATUS_HELP}"))]
pub(crate) struct VerifyArgs {
    /// Print every measurement of every claim instead of one line per claim.
    #[arg(short = 'd', long, conflicts_with = "json")]
    detail: bool,
    /// Print a JSON array with one object per measurement instead of a table.
    #[arg(short = 'j', long)]
    json: bool,
    /// Seed of every random draw the checks make: a whole number from 0 to 2^64 - 1.
    #[arg(
        short = 's',
        long,
        value_name = "N",
        default_value_t = Context::default().seed,
        value_parser = parse_seed,
        allow_negative_numbers = true
    )]
    seed: u64,
    /// Directory for the report (report.md and figures/*.svg); created if missing.
    #[arg(short = 'o', long, value_name = "DIR", default_value = "report")]
    out: PathBuf,
    /// Run the checks only: no figures, no report.
    #[arg(long, conflicts_with = "out")]
    no_report: bool,
    /// Run every claim once for each seed A to B (both ends included), on
    /// every core, and print per claim how many seeds failed against how many
    /// its stated false-alarm rate allows; no report.
    #[arg(
        long,
        value_name = "A..B",
        value_parser = sweep::parse_seeds,
        conflicts_with_all = ["seed", "out", "detail"]
    )]
    seeds: Option<sweep::SeedRange>,
}

/// `--seed`'s value. (`allow_negative_numbers` lets `--seed -1` reach this
/// message instead of reading as an unknown option `-1`.)
fn parse_seed(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("a seed is a whole number from 0 to {}", u64::MAX))
}

/// Runs `verify`.
pub(crate) fn run(args: &VerifyArgs, out: &mut impl Write) -> Result<ExitCode, Failure> {
    if let Some(range) = args.seeds {
        return sweep::run(range, args.json, out);
    }
    let context = Context { seed: args.seed };
    let claims = claims::all();
    let figures = if args.no_report {
        Vec::new()
    } else {
        report::figures::all()
    };
    // The bar draws on stderr only when it is a terminal.
    let progress = ProgressBar::new((claims.len() + figures.len()) as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let outcomes: Vec<Outcome> = claims
        .iter()
        .map(|claim| {
            progress.set_message(format!("checking {}", claim.id));
            let outcome = run_claim(claim, &context);
            progress.inc(1);
            outcome
        })
        .collect();
    let drawn: Vec<report::Drawn> = figures
        .iter()
        .map(|figure| {
            progress.set_message(format!("drawing {}", figure.file));
            let drawn = figure.render(&context);
            progress.inc(1);
            drawn
        })
        .collect();
    progress.finish_and_clear();
    let written = if args.no_report {
        None
    } else {
        let written = report::write(&args.out, &context, &outcomes, &drawn).map_err(|e| {
            // The path is the user's: its control characters stay escaped
            // so that the refusal is one line.
            let message = e.to_string();
            Failure::Input(format!(
                "cannot write the report: {}",
                escape_controls(&message)
            ))
        })?;
        Some(written)
    };
    let figure_failures: Vec<String> = drawn
        .iter()
        .filter_map(|d| {
            d.svg
                .as_ref()
                .err()
                .map(|e| format!("{}: {e}", d.figure.file))
        })
        .collect();
    let rows = rows(&outcomes);
    let all_passed = outcomes.iter().all(|o| o.passed);
    let code = if all_passed && figure_failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    for failure in &figure_failures {
        let _ = writeln!(io::stderr(), "gan-theory: figure not drawn: {failure}");
    }
    emit(out, code, |out| {
        if args.json {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            return writeln!(out);
        }
        if args.detail {
            write_detail(out, &rows)?;
        } else {
            write_claims(out, &outcomes)?;
        }
        if let Some(w) = &written {
            writeln!(
                out,
                "report: {} ({} figures; the same as Markdown: {})",
                escape_controls(&w.index.display().to_string()),
                w.figures.len(),
                escape_controls(&w.page.display().to_string()),
            )?;
        }
        write_summary(out, &outcomes)
    })
}

/// Runs one check; a check that panics fails with the panic's message
/// instead of taking the whole report down.
pub(crate) fn run_claim(claim: &Claim, context: &Context) -> Outcome {
    panic::catch_unwind(AssertUnwindSafe(|| claim.run(context))).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Outcome {
            id: claim.id,
            claim: claim.statement,
            proof: claim.proof,
            measurements: Vec::new(),
            error: Some(format!("the check panicked: {message}")),
            passed: false,
        }
    })
}

/// One row of `--json` and `--detail`: one measurement, or the error that
/// stopped a check.
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    claim: &'a str,
    proof: &'a str,
    quantity: Option<&'a str>,
    #[serde(serialize_with = "optional_number")]
    measured: Option<f64>,
    #[serde(serialize_with = "optional_number")]
    expected: Option<f64>,
    #[serde(serialize_with = "optional_number")]
    tolerance: Option<f64>,
    comparison: Option<Comparison>,
    /// The probability that this row fails although the claim and the code
    /// are right (0 for a deterministic check, and for a check that stopped).
    false_alarm: f64,
    passed: bool,
    error: Option<&'a str>,
}

/// The error that stopped a check, or its lack of any measurement.
fn outcome_error(outcome: &Outcome) -> Option<&str> {
    match (&outcome.error, outcome.measurements.is_empty()) {
        (Some(error), _) => Some(error),
        (None, true) => Some("the check returned no measurement"),
        (None, false) => None,
    }
}

fn rows(outcomes: &[Outcome]) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for outcome in outcomes {
        if let Some(error) = outcome_error(outcome) {
            rows.push(Row {
                id: outcome.id,
                claim: outcome.claim,
                proof: outcome.proof,
                quantity: None,
                measured: None,
                expected: None,
                tolerance: None,
                comparison: None,
                false_alarm: 0.0,
                passed: false,
                error: Some(error),
            });
            continue;
        }
        for m in &outcome.measurements {
            rows.push(Row {
                id: outcome.id,
                claim: outcome.claim,
                proof: outcome.proof,
                quantity: Some(&m.quantity),
                measured: Some(m.measured),
                expected: Some(m.expected),
                tolerance: Some(m.tolerance),
                comparison: Some(m.comparison),
                false_alarm: m.false_alarm,
                passed: m.passed,
                error: None,
            });
        }
    }
    rows
}

/// How much of its allowance a measurement left unused (see `verify
/// --help`): 1 when it needed none (measured at the expected value, or on the
/// right side of a bound), 0 on the edge of the accepted range, negative
/// outside (`-inf` when no allowance was given and some was needed); `None`
/// when the measurement is NaN.
fn margin(measured: f64, expected: f64, tolerance: f64, comparison: Comparison) -> Option<f64> {
    let (used, allowance) = match comparison {
        Comparison::Within if measured.is_infinite() && measured == expected => (0.0, tolerance),
        Comparison::Within => ((measured - expected).abs(), tolerance),
        Comparison::AtMost => ((measured - expected).max(0.0), tolerance),
        Comparison::AtLeast => ((expected - measured).max(0.0), tolerance),
        Comparison::Between { high, .. } if measured >= expected => {
            (measured - expected, high - expected)
        }
        Comparison::Between { low, .. } => (expected - measured, expected - low),
    };
    if measured.is_nan() || used.is_nan() {
        None
    } else if used == 0.0 {
        Some(1.0)
    } else if allowance > 0.0 {
        Some(1.0 - used / allowance)
    } else {
        Some(f64::NEG_INFINITY)
    }
}

/// The smallest margin of a claim's measurements; `None` when none has one.
fn worst_margin(outcome: &Outcome) -> Option<f64> {
    outcome
        .measurements
        .iter()
        .filter_map(|m| margin(m.measured, m.expected, m.tolerance, m.comparison))
        .reduce(f64::min)
}

/// A margin as the tables show it: three decimals, or "-" when there is none.
fn show_margin(margin: Option<f64>) -> String {
    match margin {
        Some(x) if x.is_finite() && x.abs() < 1e3 => format!("{x:.3}"),
        Some(x) => short(x),
        None => "-".to_string(),
    }
}

/// How many characters of a claim's statement the one-line view keeps.
const STATEMENT_WIDTH: usize = 64;

/// `text` cut to `width` characters, ending in "..." when it was cut.
fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(3)).collect();
    format!("{}...", kept.trim_end())
}

/// The default view: one line per claim, then the errors that stopped a check.
fn write_claims(out: &mut impl Write, outcomes: &[Outcome]) -> io::Result<()> {
    if outcomes.is_empty() {
        return writeln!(out, "No claim is registered yet.");
    }
    let rows = outcomes.iter().map(|o| {
        let error = outcome_error(o).is_some();
        vec![
            o.id.to_string(),
            shorten(o.claim, STATEMENT_WIDTH),
            if o.passed { "ok" } else { "FAIL" }.to_string(),
            if error {
                "error".to_string()
            } else {
                show_margin(worst_margin(o))
            },
        ]
    });
    write_table(out, &["id", "claim", "result", "worst margin"], rows)?;
    for outcome in outcomes {
        if let Some(error) = outcome_error(outcome) {
            writeln!(out, "{}: error: {error}", outcome.id)?;
        }
    }
    Ok(())
}

/// Widths at which the `--detail` table wraps a claim's statement and a
/// quantity, so that a row fits a wide terminal.
const CLAIM_WIDTH: u16 = 36;
const QUANTITY_WIDTH: u16 = 44;

/// `--detail`: every measurement, a claim's id and statement on its first row.
fn write_detail(out: &mut impl Write, rows: &[Row<'_>]) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No claim is registered yet.");
    }
    let mut table = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        // A claim's id and statement head its first row only.
        let first_of_claim = i == 0 || rows[i - 1].id != row.id;
        if first_of_claim && i > 0 {
            table.push(vec![String::new(); 8]); // a blank line between claims
        }
        let (id, claim) = if first_of_claim {
            (row.id, row.claim)
        } else {
            ("", "")
        };
        let show = |x: Option<f64>| x.map_or("-".to_string(), short);
        let (expected, tolerance, margin) = match (row.comparison, row.measured, row.expected) {
            (Some(c), Some(m), Some(e)) => {
                let t = row.tolerance.unwrap_or(f64::NAN);
                let (expected, tolerance) = match c {
                    Comparison::Within => (format!("= {}", short(e)), short(t)),
                    Comparison::AtMost => (format!("<= {}", short(e)), short(t)),
                    Comparison::AtLeast => (format!(">= {}", short(e)), short(t)),
                    Comparison::Between { low, high } => {
                        (format!("in [{}, {}]", short(low), short(high)), "-".into())
                    }
                };
                (expected, tolerance, show_margin(margin(m, e, t, c)))
            }
            _ => ("-".to_string(), "-".to_string(), "-".to_string()),
        };
        let quantity = match (row.quantity, row.error) {
            (Some(q), _) => q.to_string(),
            (None, Some(e)) => format!("error: {e}"),
            (None, None) => "-".to_string(),
        };
        table.push(vec![
            id.to_string(),
            claim.to_string(),
            quantity,
            show(row.measured),
            expected,
            tolerance,
            margin,
            if row.passed { "ok" } else { "FAIL" }.to_string(),
        ]);
    }
    write_wrapped_table(
        out,
        &[
            "id",
            "claim",
            "quantity",
            "measured",
            "expected",
            "tolerance",
            "margin",
            "pass",
        ],
        &[None, Some(CLAIM_WIDTH), Some(QUANTITY_WIDTH)],
        table,
    )
}

fn write_summary(out: &mut impl Write, outcomes: &[Outcome]) -> io::Result<()> {
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| o.id)
        .collect();
    let passed = outcomes.len() - failed.len();
    write!(out, "{passed} of {} claims passed", outcomes.len())?;
    if !failed.is_empty() {
        write!(out, "; failed: {}", failed.join(", "))?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "false-alarm probability of this run: {} (sum of every row's stated rate; budget {})",
        short(suite_false_alarm(outcomes)),
        short(claims::SUITE_FALSE_ALARM_BUDGET)
    )
}

/// The sum of every measurement's stated false-alarm probability: by the
/// union bound, the probability that this run fails although every claim
/// and the code are right.
pub(crate) fn suite_false_alarm(outcomes: &[Outcome]) -> f64 {
    outcomes.iter().map(Outcome::false_alarm).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_measure_the_allowance_left() {
        let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-12);
        assert!(close(margin(1.0, 1.0, 0.1, Comparison::Within), 1.0));
        assert!(close(margin(1.05, 1.0, 0.1, Comparison::Within), 0.5));
        assert!(close(margin(1.2, 1.0, 0.1, Comparison::Within), -1.0));
        assert!(close(margin(1.0, 1.0, 0.0, Comparison::Within), 1.0));
        assert_eq!(
            margin(1.5, 1.0, 0.0, Comparison::Within),
            Some(f64::NEG_INFINITY)
        );
        assert!(close(
            margin(f64::INFINITY, f64::INFINITY, 0.0, Comparison::Within),
            1.0
        ));
        // measured <= 0 + 1e-12: a quarter of the allowance used.
        assert!(close(
            margin(0.25e-12, 0.0, 1e-12, Comparison::AtMost),
            0.75
        ));
        // On the right side of the bound: no allowance needed.
        assert!(close(margin(-5e-5, 0.0, 1e-13, Comparison::AtMost), 1.0));
        assert!(close(margin(1.5, 2.0, 2.0, Comparison::AtLeast), 0.75));
        assert!(close(margin(3.0, 2.0, 0.0, Comparison::AtLeast), 1.0));
        let between = Comparison::Between {
            low: 0.5,
            high: 2.0,
        };
        assert!(close(margin(1.0, 1.0, 1.0, between), 1.0));
        assert!(close(margin(1.5, 1.0, 1.0, between), 0.5));
        assert!(close(margin(0.75, 1.0, 1.0, between), 0.5));
        assert!(close(margin(0.25, 1.0, 1.0, between), -0.5));
        assert_eq!(margin(f64::NAN, 1.0, 1.0, between), None);
        assert_eq!(show_margin(None), "-");
        assert_eq!(show_margin(Some(0.5)), "0.500");
        assert_eq!(show_margin(Some(f64::NEG_INFINITY)), "-inf");
    }

    #[test]
    fn statements_are_shortened_to_fit() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("a statement too long", 10), "a state...");
        assert_eq!(shorten("ééééééééééé", 5).chars().count(), 5);
    }
}
