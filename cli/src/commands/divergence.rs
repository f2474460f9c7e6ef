//! `gan-theory divergence`: KL, JSD, total variation, chi2, Hellinger, C(G)
//! and D* of two distributions read from files.

use super::files::{Column, invalid, read_entries, refuse_stdin_twice};
use crate::input::Source;
use crate::output::{Failure, emit, number, numbers_or_null, write_table};
use clap::Args;
use gan_theory::{Discrete, divergence, game};
use serde::Serialize;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(
    after_help = "D* is listed entry by entry, from entry 0 (in --json too); a vector file holds \
                  one number per line, all its numbers on one line, or one JSON array. A bad \
                  number is named by its index (from 0) and its line and column (from 1): \
                  `index 1 (line 1, column 6)`."
)]
pub(crate) struct DivergenceArgs {
    /// File with p (the data distribution): one number per line, all on one
    /// line (commas or whitespace), or one JSON array; `-` reads standard input.
    #[arg(short = 'p', long, value_name = "FILE")]
    p: PathBuf,
    /// File with q (the generator's distribution), in the same form as p.
    #[arg(short = 'q', long, value_name = "FILE")]
    q: PathBuf,
    /// Rescale non-negative weights or counts to sum to 1 (without it the
    /// entries must already sum to 1).
    #[arg(short = 'n', long)]
    normalize: bool,
    #[command(flatten)]
    column: Column,
    /// Print one JSON object instead of a table.
    #[arg(short = 'j', long)]
    json: bool,
}

/// Runs `divergence`.
pub(crate) fn run(args: &DivergenceArgs, out: &mut impl Write) -> Result<ExitCode, Failure> {
    refuse_stdin_twice(&[("--p", Some(&args.p)), ("--q", Some(&args.q))])?;
    let p_source = Source::from_arg(&args.p);
    let q_source = Source::from_arg(&args.q);
    let p = load(&p_source, args.column, args.normalize)?;
    let q = load(&q_source, args.column, args.normalize)?;
    if p.len() != q.len() {
        return Err(Failure::Input(format!(
            "{p_source} has {} entries but {q_source} has {}: p and q must have the same length",
            p.len(),
            q.len()
        )));
    }
    // The lengths agree, so no library call below can fail; should one
    // anyway, it is reported like bad input rather than unwrapped.
    let report = Divergences::compute(&p, &q).map_err(|e| Failure::Input(e.to_string()))?;
    let names = (p_source.to_string(), q_source.to_string());
    emit(out, ExitCode::SUCCESS, |out| {
        if args.json {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)
        } else {
            report.write_table(out, &names)
        }
    })
}

/// Reads, parses and validates one distribution; every error names the source
/// and, when it concerns one entry, the entry's line and column.
fn load(source: &Source, column: Column, normalize: bool) -> Result<Discrete, Failure> {
    let entries = read_entries(source, column)?;
    let validated = if normalize {
        Discrete::from_weights(entries.values())
    } else {
        Discrete::new(entries.values().to_vec())
    };
    validated.map_err(|e| Failure::Input(format!("{source}: {}", invalid(&e, &entries))))
}

/// Everything `divergence` reports, in the order (and with the JSON keys) it is printed.
#[derive(Serialize)]
struct Divergences {
    #[serde(serialize_with = "number")]
    kl_pq: f64,
    #[serde(serialize_with = "number")]
    kl_qp: f64,
    #[serde(serialize_with = "number")]
    js: f64,
    #[serde(serialize_with = "number")]
    js_bits: f64,
    #[serde(serialize_with = "number")]
    tv: f64,
    #[serde(serialize_with = "number")]
    chi2: f64,
    #[serde(serialize_with = "number")]
    hellinger: f64,
    #[serde(serialize_with = "number")]
    c_g: f64,
    #[serde(serialize_with = "numbers_or_null")]
    d_star: Vec<Option<f64>>,
}

/// How many D* values the table lists before it summarises them instead.
const D_STAR_LISTED: usize = 12;

impl Divergences {
    fn compute(p: &Discrete, q: &Discrete) -> gan_theory::Result<Self> {
        Ok(Self {
            kl_pq: divergence::kl(p, q)?,
            kl_qp: divergence::kl(q, p)?,
            js: divergence::js(p, q)?,
            js_bits: divergence::js_bits(p, q)?,
            tv: divergence::total_variation(p, q)?,
            chi2: divergence::chi2(p, q)?,
            hellinger: divergence::hellinger2(p, q)?,
            c_g: game::c_of_g(p, q)?,
            d_star: game::d_star(p, q)?,
        })
    }

    fn write_table(&self, out: &mut impl Write, (p, q): &(String, String)) -> io::Result<()> {
        let n = self.d_star.len();
        let entries = if n == 1 { "entry" } else { "entries" };
        writeln!(
            out,
            "p = {p}, q = {q}, {n} {entries} (p plays p_data, q plays p_g)"
        )?;
        writeln!(out)?;
        let rows = [
            (
                "KL(p || q)",
                self.kl_pq,
                "Kullback-Leibler divergence, nats",
            ),
            ("KL(q || p)", self.kl_qp, "the same, reversed"),
            (
                "JSD (nats)",
                self.js,
                "Jensen-Shannon divergence, in [0, ln 2]",
            ),
            ("JSD (bits)", self.js_bits, "JSD / ln 2, in [0, 1]"),
            ("TV", self.tv, "total variation, 1/2 sum |p - q|"),
            (
                "chi2(p || q)",
                self.chi2,
                "Pearson chi-squared, sum (p - q)^2 / q",
            ),
            ("Hellinger^2", self.hellinger, "1/2 sum (sqrt p - sqrt q)^2"),
            ("C(G)", self.c_g, "max_D V(D, G) = -ln 4 + 2 JSD"),
        ];
        let table = rows
            .iter()
            .map(|(name, value, meaning)| {
                vec![name.to_string(), value.to_string(), meaning.to_string()]
            })
            .chain([self.d_star_row()]);
        write_table(out, &["quantity", "value", "meaning"], table)
    }

    /// D* = p / (p + q): every value for short vectors, a summary for long ones.
    fn d_star_row(&self) -> Vec<String> {
        let determined: Vec<f64> = self.d_star.iter().flatten().copied().collect();
        let undetermined = self.d_star.len() - determined.len();
        if self.d_star.len() <= D_STAR_LISTED {
            let listing: Vec<String> = self
                .d_star
                .iter()
                .map(|d| d.map_or("-".to_string(), |x| x.to_string()))
                .collect();
            let meaning = if undetermined > 0 {
                "p / (p + q) per entry, from entry 0; - where p = q = 0"
            } else {
                "p / (p + q) per entry, from entry 0"
            };
            vec!["D*".to_string(), listing.join(" "), meaning.to_string()]
        } else {
            let low = determined.iter().copied().fold(f64::INFINITY, f64::min);
            let high = determined.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            vec![
                "D*".to_string(),
                format!("{low} .. {high}"),
                format!(
                    "range of p / (p + q) over {} entries{}; --json lists each",
                    self.d_star.len(),
                    if undetermined > 0 {
                        format!(", {undetermined} undetermined (p = q = 0)")
                    } else {
                        String::new()
                    }
                ),
            ]
        }
    }
}
