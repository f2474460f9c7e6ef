//! `gan-theory w1`: the Earth Mover distance between two samples on the
//! line, optionally weighted.

use super::files::{Column, invalid, read_entries, refuse_stdin_twice};
use crate::input::{Entries, Source};
use crate::output::{Failure, emit, plural};
use clap::Args;
use gan_theory::transport::line::{self, LineSample};
use gan_theory::{Discrete, Error, claims};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(
    after_help = "A bad number is named by its index (from 0, as in the library) and its line \
                  and column (from 1): `index 1 (line 1, column 6)` is the second number of its \
                  file, written at line 1, column 6."
)]
pub(crate) struct W1Args {
    /// File with the sample u: one number per line, all on one line (commas
    /// or whitespace), or one JSON array; `-` reads standard input.
    #[arg(short = 'u', long, value_name = "FILE")]
    u: PathBuf,
    /// File with the sample v, in the same form as u.
    #[arg(short = 'v', long, value_name = "FILE")]
    v: PathBuf,
    /// Relative weights of u's values, one per value (normalised to sum to 1,
    /// as scipy.stats.wasserstein_distance does); without it each value has mass 1/n.
    #[arg(long, value_name = "FILE")]
    u_weights: Option<PathBuf>,
    /// Relative weights of v's values, as for --u-weights.
    #[arg(long, value_name = "FILE")]
    v_weights: Option<PathBuf>,
    #[command(flatten)]
    column: Column,
    /// Print {"w1": ...} instead of a sentence.
    #[arg(short = 'j', long)]
    json: bool,
}

/// Runs `w1`.
pub(crate) fn run(args: &W1Args, out: &mut impl Write) -> Result<ExitCode, Failure> {
    refuse_stdin_twice(&[
        ("--u", Some(&args.u)),
        ("--v", Some(&args.v)),
        ("--u-weights", args.u_weights.as_ref()),
        ("--v-weights", args.v_weights.as_ref()),
    ])?;
    let u = load_sample(&args.u, args.u_weights.as_ref(), args.column)?;
    let v = load_sample(&args.v, args.v_weights.as_ref(), args.column)?;
    let w1 = line::w1(&u.sample, &v.sample);
    emit(out, ExitCode::SUCCESS, |out| {
        if args.json {
            serde_json::to_writer(
                &mut *out,
                &serde_json::json!({ "w1": claims::json_number(w1) }),
            )?;
            writeln!(out)
        } else {
            writeln!(out, "W1 = {w1}")?;
            writeln!(out, "u: {}", u.description)?;
            writeln!(out, "v: {}", v.description)?;
            writeln!(
                out,
                "(the Earth Mover distance on the line: the integral of |F_u - F_v|)"
            )
        }
    })
}

/// A sample read for `w1`, and how to name it in the output.
struct LoadedSample {
    sample: LineSample,
    description: String,
}

/// Reads a sample and its optional weights; every error names the file that
/// holds the bad entry and its position.
fn load_sample(
    values: &PathBuf,
    weights: Option<&PathBuf>,
    column: Column,
) -> Result<LoadedSample, Failure> {
    let source = Source::from_arg(values);
    let entries = read_entries(&source, column)?;
    let refused = |e: Error, source: &Source, entries: &Entries| {
        Failure::Input(format!("{source}: {}", invalid(&e, entries)))
    };
    let n = entries.len();
    let Some(weights) = weights else {
        let sample =
            LineSample::new(entries.values()).map_err(|e| refused(e, &source, &entries))?;
        return Ok(LoadedSample {
            sample,
            description: format!("{source}, {n} {}", plural(n, "value", "values")),
        });
    };
    let weight_source = Source::from_arg(weights);
    let weight_entries = read_entries(&weight_source, column)?;
    if weight_entries.len() != n {
        return Err(Failure::Input(format!(
            "{source} has {n} {} but {weight_source} has {} {}: one weight per value",
            plural(n, "value", "values"),
            weight_entries.len(),
            plural(weight_entries.len(), "weight", "weights")
        )));
    }
    let masses = Discrete::from_weights(weight_entries.values())
        .map_err(|e| refused(e, &weight_source, &weight_entries))?;
    // The lengths agree, so every error left concerns a value.
    let sample = LineSample::weighted(entries.values(), &masses)
        .map_err(|e| refused(e, &source, &entries))?;
    Ok(LoadedSample {
        sample,
        description: format!(
            "{source}, {n} {} weighted by {weight_source}",
            plural(n, "value", "values")
        ),
    })
}
