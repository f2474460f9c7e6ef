//! `gan-theory`: the divergences and the GAN quantities of two distributions
//! read from files, and the verification of every registered claim.
//!
//! ```text
//! gan-theory divergence --p FILE --q FILE [--normalize] [--json]
//! gan-theory emd --p FILE --q FILE (--cost FILE | --xp FILE --xq FILE [--metric M]) [--normalize] [--json]
//! gan-theory w1 --u FILE --v FILE [--u-weights FILE] [--v-weights FILE] [--json]
//! gan-theory verify [--json] [--seed N] [--out DIR | --no-report]
//! gan-theory [--json] [--seed N] [--out DIR | --no-report]   (same as `gan-theory verify`)
//! ```
//!
//! Exit codes: 0 success (for `verify`: every claim passed), 1 a claim failed
//! or the output could not be written, 2 bad input or usage. Bad input gives
//! one line on stderr, `gan-theory: <file>: <position>: <problem>`, and
//! nothing on stdout; so does a usage error, `gan-theory: <problem> (see
//! gan-theory --help)`. `--help` and `--version` print to stdout.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand};
use gan_theory::claims::{self, Claim, Comparison, Context, Outcome};

use gan_theory::transport::line::{self, LineSample};
use gan_theory::transport::{self, CostMatrix, EmdOptions, Metric, Points, Transport};
use gan_theory::{Discrete, Error, divergence, game, report};
use gan_theory_cli::input::{
    Entries, MatrixEntries, Source, escape_controls, parse_matrix, parse_vector,
};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Serialize, Serializer};
use std::io::{self, BufWriter, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gan-theory",
    version,
    about = "States, proves and numerically verifies the theory of GANs. \
             Without a command, runs `verify` (its options may be given alone).",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// `verify`'s options, for the run without a command.
    #[command(flatten)]
    verify: VerifyArgs,
}

#[derive(Subcommand)]
enum Command {
    /// KL, JSD, total variation, chi2, Hellinger, C(G) and D* of two distributions p and q.
    Divergence(DivergenceArgs),
    /// The exact Earth Mover distance (optimal transport cost) with its plan and dual potentials.
    Emd(EmdArgs),
    /// W1 (Earth Mover distance) between two samples on the line, optionally weighted.
    W1(W1Args),
    /// Runs the check of every registered claim and reports each measurement (the default command).
    Verify(VerifyArgs),
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("ground").required(true).args(["cost", "xp"])))]
struct EmdArgs {
    /// File with the masses p (rows of the cost matrix): numbers separated by
    /// commas, whitespace or newlines, or one JSON array; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    p: PathBuf,
    /// File with the masses q (columns of the cost matrix), in the same form as p.
    #[arg(long, value_name = "FILE")]
    q: PathBuf,
    /// File with the cost matrix: one row per line (commas or whitespace), or
    /// a JSON array of arrays; `inf` forbids an arc.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["xp", "xq", "metric"])]
    cost: Option<PathBuf>,
    /// File with the support points of p, one point per line (coordinates
    /// separated by commas or whitespace), or a JSON array of arrays.
    #[arg(long, value_name = "FILE", requires = "xq")]
    xp: Option<PathBuf>,
    /// File with the support points of q, in the same form as --xp.
    #[arg(long, value_name = "FILE", requires = "xp")]
    xq: Option<PathBuf>,
    /// The ground distance between points (with --xp and --xq; default: euclidean).
    #[arg(long, value_enum, requires = "xp")]
    metric: Option<MetricArg>,
    /// Divide p and q by their totals (without it the totals must agree).
    #[arg(long)]
    normalize: bool,
    /// Print {"cost", "plan": [[i, j, mass], ..], "u", "v"} instead of text.
    #[arg(long)]
    json: bool,
}

/// `--metric`'s values.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MetricArg {
    /// |x - y|_2
    Euclidean,
    /// |x - y|_2^2
    Sqeuclidean,
    /// |x - y|_1
    Cityblock,
}

impl From<MetricArg> for Metric {
    fn from(metric: MetricArg) -> Self {
        match metric {
            MetricArg::Euclidean => Metric::Euclidean,
            MetricArg::Sqeuclidean => Metric::SquaredEuclidean,
            MetricArg::Cityblock => Metric::Cityblock,
        }
    }
}

#[derive(Args)]
struct W1Args {
    /// File with the sample u: numbers separated by commas, whitespace or
    /// newlines, or one JSON array; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    u: PathBuf,
    /// File with the sample v, in the same form as u.
    #[arg(long, value_name = "FILE")]
    v: PathBuf,
    /// Relative weights of u's values, one per value (normalised to sum to 1,
    /// as scipy.stats.wasserstein_distance does); without it each value has mass 1/n.
    #[arg(long, value_name = "FILE")]
    u_weights: Option<PathBuf>,
    /// Relative weights of v's values, as for --u-weights.
    #[arg(long, value_name = "FILE")]
    v_weights: Option<PathBuf>,
    /// Print {"w1": ...} instead of a sentence.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct DivergenceArgs {
    /// File with p (the data distribution): numbers separated by commas,
    /// whitespace or newlines, or one JSON array; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    p: PathBuf,
    /// File with q (the generator's distribution), in the same form as p.
    #[arg(long, value_name = "FILE")]
    q: PathBuf,
    /// Rescale non-negative weights or counts to sum to 1 (without it the
    /// entries must already sum to 1).
    #[arg(long)]
    normalize: bool,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
#[command(
    after_help = "Exit status of verify: 0 when every claim passed and every figure was drawn; \
    1 when a claim failed or a figure could not be drawn (the report is still written, \
    naming what failed); 2 on a usage error or a report directory that cannot be written."
)]
struct VerifyArgs {
    /// Print a JSON array with one object per measurement instead of a table.
    #[arg(long)]
    json: bool,
    /// Seed of every random draw the checks make: a whole number from 0 to 2^64 - 1.
    #[arg(
        long,
        value_name = "N",
        default_value_t = Context::default().seed,
        value_parser = parse_seed,
        allow_negative_numbers = true
    )]
    seed: u64,
    /// Directory for the report (report.md and figures/*.svg); created if missing.
    #[arg(long, value_name = "DIR", default_value = "report")]
    out: PathBuf,
    /// Run the checks only: no figures, no report.
    #[arg(long, conflicts_with = "out")]
    no_report: bool,
}

impl Default for VerifyArgs {
    fn default() -> Self {
        Self {
            json: false,
            seed: Context::default().seed,
            out: PathBuf::from("report"),
            no_report: false,
        }
    }
}

/// Why a command stopped.
enum Failure {
    /// Bad input: one line on stderr, exit code 2.
    Input(String),
    /// Writing the output failed for another reason than a closed pipe.
    Output(io::Error),
    /// A computation failed on valid input (a solver's iteration cap or a
    /// failed certificate): one line on stderr, exit code 1.
    Computation(String),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return refuse_usage(error),
    };
    let command = cli.command.unwrap_or(Command::Verify(cli.verify));
    let mut out = BufWriter::new(io::stdout().lock());
    let result = match command {
        Command::Divergence(args) => run_divergence(&args, &mut out),
        Command::Emd(args) => run_emd(&args, &mut out),
        Command::W1(args) => run_w1(&args, &mut out),
        Command::Verify(args) => run_verify(&args, &mut out),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Input(message)) => {
            // If stderr itself is gone there is nobody left to tell.
            let _ = writeln!(io::stderr(), "gan-theory: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Output(error)) => {
            let _ = writeln!(io::stderr(), "gan-theory: cannot write the output: {error}");
            ExitCode::FAILURE
        }
        Err(Failure::Computation(message)) => {
            let _ = writeln!(io::stderr(), "gan-theory: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `--seed`'s value. (`allow_negative_numbers` lets `--seed -1` reach this
/// message instead of reading as an unknown option `-1`.)
fn parse_seed(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("a seed is a whole number from 0 to {}", u64::MAX))
}

/// Help and version are printed as clap prints them. A usage error becomes
/// one line on stderr, `gan-theory: <problem> (see gan-theory ... --help)`,
/// exit code 2: clap's message with its lists and tips folded into the line,
/// without the usage block that `--help` shows anyway.
fn refuse_usage(mut error: clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        error.exit();
    }
    error.remove(ContextKind::Usage);
    // What the user typed goes into the message: keep it on one line.
    let escaped: Vec<(ContextKind, ContextValue)> = error
        .context()
        .filter_map(|(kind, value)| Some((kind, escape_context(value)?)))
        .collect();
    for (kind, value) in escaped {
        error.insert(kind, value);
    }
    let message = one_line(&error.render().to_string());
    // If stderr itself is gone there is nobody left to tell.
    let _ = writeln!(
        io::stderr(),
        "gan-theory: {message} (see {} --help)",
        command_named()
    );
    ExitCode::from(2)
}

/// `value` with control characters escaped, when it holds text.
fn escape_context(value: &ContextValue) -> Option<ContextValue> {
    let escape = |text: &str| escape_controls(text).into_owned();
    Some(match value {
        ContextValue::String(text) => ContextValue::String(escape(text)),
        ContextValue::Strings(texts) => {
            ContextValue::Strings(texts.iter().map(|t| escape(t)).collect())
        }
        ContextValue::StyledStr(text) => ContextValue::StyledStr(escape(&text.to_string()).into()),
        ContextValue::StyledStrs(texts) => ContextValue::StyledStrs(
            texts
                .iter()
                .map(|t| escape(&t.to_string()).into())
                .collect(),
        ),
        _ => return None,
    })
}

/// Folds clap's rendering of an error (`error: <problem>`, indented list
/// items and `tip:` lines, then `For more information, ...`) into one line:
/// `<problem>: <item>, <item>; <tip>`.
fn one_line(rendered: &str) -> String {
    let mut lines = rendered.lines();
    let first = lines.next().unwrap_or_default();
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
    for line in lines {
        let line = line.trim();
        if line.starts_with("For more information") || line.starts_with("Usage:") {
            break;
        }
        if line.is_empty() {
            continue;
        }
        if let Some(tip) = line.strip_prefix("tip: ") {
            message.push_str("; ");
            message.push_str(tip);
        } else {
            message.push_str(if message.ends_with(':') { " " } else { ", " });
            message.push_str(line);
        }
    }
    message
}

/// `gan-theory divergence` when the command line names a subcommand (the
/// first word that is not an option), else `gan-theory`: where `--help`
/// explains what went wrong.
fn command_named() -> String {
    let first_word = std::env::args_os()
        .skip(1)
        .find(|arg| !arg.to_string_lossy().starts_with('-'));
    let subcommand = first_word.and_then(|word| {
        Cli::command()
            .get_subcommands()
            .find(|s| *s.get_name() == *word)
            .map(|s| s.get_name().to_string())
    });
    match subcommand {
        Some(name) => format!("gan-theory {name}"),
        None => "gan-theory".to_string(),
    }
}

/// Writes the output with `write` and flushes it. A reader that closed the
/// pipe early (`gan-theory verify | head -1`) is not an error: the command
/// ends quietly with the exit code it had earned.
fn emit<W: Write>(
    out: &mut W,
    code: ExitCode,
    write: impl FnOnce(&mut W) -> io::Result<()>,
) -> Result<ExitCode, Failure> {
    match write(out).and_then(|()| out.flush()) {
        Ok(()) => Ok(code),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(error) => Err(Failure::Output(error)),
    }
}

// ---------------------------------------------------------------- divergence

fn run_divergence(args: &DivergenceArgs, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let p_source = Source::from_arg(&args.p);
    let q_source = Source::from_arg(&args.q);
    if p_source == Source::Stdin && q_source == Source::Stdin {
        return Err(Failure::Input(
            "--p and --q cannot both be '-': standard input can be read only once".to_string(),
        ));
    }
    let p = load(&p_source, args.normalize)?;
    let q = load(&q_source, args.normalize)?;
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
fn load(source: &Source, normalize: bool) -> Result<Discrete, Failure> {
    let entries = source
        .read_text()
        .and_then(|text| parse_vector(&text))
        .map_err(|e| Failure::Input(format!("{source}: {e}")))?;
    let validated = if normalize {
        Discrete::from_weights(entries.values())
    } else {
        Discrete::new(entries.values().to_vec())
    };
    validated.map_err(|e| Failure::Input(format!("{source}: {}", invalid(&e, &entries))))
}

/// The message for a vector the library refused, with 1-based positions.
fn invalid(error: &Error, entries: &Entries) -> String {
    let position = error.index().and_then(|i| entries.position(i));
    match (position, error) {
        (Some(at), Error::NotANumber { .. }) => format!("{at}: NaN is not allowed"),
        (Some(at), Error::Infinite { value, .. }) => {
            format!("{at}: infinite value ({value}) is not allowed")
        }
        (Some(at), Error::Negative { value, .. }) => {
            format!("{at}: negative value ({value}) is not allowed")
        }
        (Some(at), other) => format!("{at}: {other}"),
        (None, Error::SumNotOne { .. }) => format!("{error}; pass --normalize to rescale"),
        (None, other) => other.to_string(),
    }
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
        let mut table: Vec<[String; 3]> = rows
            .iter()
            .map(|(name, value, meaning)| {
                [name.to_string(), value.to_string(), meaning.to_string()]
            })
            .collect();
        table.push(self.d_star_row());
        write_table(out, &["quantity", "value", "meaning"], &[None; 3], &table)
    }

    /// D* = p / (p + q): every value for short vectors, a summary for long ones.
    fn d_star_row(&self) -> [String; 3] {
        let determined: Vec<f64> = self.d_star.iter().flatten().copied().collect();
        let undetermined = self.d_star.len() - determined.len();
        let listing = |values: &[Option<f64>]| -> String {
            let shown: Vec<String> = values
                .iter()
                .map(|d| d.map_or("-".to_string(), |x| x.to_string()))
                .collect();
            shown.join(" ")
        };
        if self.d_star.len() <= D_STAR_LISTED {
            let meaning = if undetermined > 0 {
                "p / (p + q) per entry; - where p = q = 0"
            } else {
                "p / (p + q) per entry"
            };
            ["D*".to_string(), listing(&self.d_star), meaning.to_string()]
        } else {
            let low = determined.iter().copied().fold(f64::INFINITY, f64::min);
            let high = determined.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            [
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

/// An `f64` as JSON: a number, or "inf", "-inf", "nan".
fn number<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    claims::json_number(*x).serialize(s)
}

/// Numbers as JSON, `null` for `None`.
fn numbers_or_null<S: Serializer>(values: &[Option<f64>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(values.iter().map(|v| v.map(claims::json_number)))
}

/// `Some(x)` as a JSON number (see [`number`]), `None` as `null`.
fn optional_number<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    x.map(claims::json_number).serialize(s)
}

// ---------------------------------------------------------------- emd

fn run_emd(args: &EmdArgs, out: &mut impl Write) -> Result<ExitCode, Failure> {
    refuse_stdin_twice(&[
        ("--p", Some(&args.p)),
        ("--q", Some(&args.q)),
        ("--cost", args.cost.as_ref()),
        ("--xp", args.xp.as_ref()),
        ("--xq", args.xq.as_ref()),
    ])?;
    let p_source = Source::from_arg(&args.p);
    let q_source = Source::from_arg(&args.q);
    let p = load_masses(&p_source, args.normalize)?;
    let q = load_masses(&q_source, args.normalize)?;
    let (cost, cost_name) = match (&args.cost, &args.xp, &args.xq) {
        (Some(path), _, _) => {
            let source = Source::from_arg(path);
            (
                load_cost(&source, (&p_source, p.len()), (&q_source, q.len()))?,
                source.to_string(),
            )
        }
        (None, Some(xp), Some(xq)) => {
            let (xp, xq) = (Source::from_arg(xp), Source::from_arg(xq));
            let points_p = load_points(&xp, &p_source, p.len())?;
            let points_q = load_points(&xq, &q_source, q.len())?;
            let metric = args.metric.unwrap_or(MetricArg::Euclidean);
            let cost = cost_from_points((&xp, &points_p), (&xq, &points_q), metric.into())?;
            (
                cost,
                format!("{} distances between {xp} and {xq}", metric_name(metric)),
            )
        }
        // clap requires --cost or both --xp and --xq.
        _ => {
            return Err(Failure::Input(
                "give --cost FILE, or --xp FILE and --xq FILE".to_string(),
            ));
        }
    };
    let options = EmdOptions {
        normalize: args.normalize,
        ..EmdOptions::default()
    };
    let transport = transport::emd_with(p.values(), q.values(), &cost, &options)
        .map_err(|e| solver_failure(e, &p_source, &q_source, &cost_name))?;
    let names = [p_source.to_string(), q_source.to_string(), cost_name];
    emit(out, ExitCode::SUCCESS, |out| {
        if args.json {
            serde_json::to_writer(&mut *out, &emd_json(&transport))?;
            writeln!(out)
        } else {
            write_emd(out, &transport, &cost, &names)
        }
    })
}

/// `{"cost": .., "plan": [[i, j, mass], ..], "u": [..], "v": [..]}`, indices from 0.
fn emd_json(t: &Transport) -> serde_json::Value {
    // `+ 0.0` writes a potential of -0.0 as 0.
    let numbers = |xs: &[f64]| {
        xs.iter()
            .map(|&x| claims::json_number(x + 0.0))
            .collect::<Vec<_>>()
    };
    serde_json::json!({
        "cost": claims::json_number(t.cost),
        "plan": t
            .plan
            .iter()
            .map(|e| serde_json::json!([e.i, e.j, claims::json_number(e.mass)]))
            .collect::<Vec<_>>(),
        "u": numbers(&t.u),
        "v": numbers(&t.v),
    })
}

/// How many plan entries the text output lists before it summarises.
const PLAN_LISTED: usize = 20;

fn write_emd(
    out: &mut impl Write,
    t: &Transport,
    cost: &CostMatrix,
    [p, q, cost_name]: &[String; 3],
) -> io::Result<()> {
    writeln!(out, "EMD = {}", t.cost)?;
    writeln!(
        out,
        "p = {p} ({} entries), q = {q} ({} entries), cost: {cost_name}",
        t.u.len(),
        t.v.len()
    )?;
    writeln!(
        out,
        "certified: marginal error {:e}, dual violation {:e}, duality gap {:e}",
        t.certificate.max_marginal_error, t.certificate.max_dual_violation, t.certificate.gap
    )?;
    writeln!(out)?;
    let rows: Vec<[String; 4]> = t
        .plan
        .iter()
        .take(PLAN_LISTED)
        .map(|e| {
            [
                (e.i + 1).to_string(),
                (e.j + 1).to_string(),
                e.mass.to_string(),
                cost.get(e.i, e.j).to_string(),
            ]
        })
        .collect();
    write_table(
        out,
        &["from p", "to q", "mass", "cost per unit"],
        &[None; 4],
        &rows,
    )?;
    if t.plan.len() > PLAN_LISTED {
        writeln!(
            out,
            "... {} more entries; --json lists each",
            t.plan.len() - PLAN_LISTED
        )?;
    }
    Ok(())
}

fn metric_name(metric: MetricArg) -> &'static str {
    match metric {
        MetricArg::Euclidean => "Euclidean",
        MetricArg::Sqeuclidean => "squared Euclidean",
        MetricArg::Cityblock => "cityblock",
    }
}

/// Reads masses and checks each entry (finite, non-negative); with
/// `normalize` a zero total is refused here, where the file is known.
fn load_masses(source: &Source, normalize: bool) -> Result<Entries, Failure> {
    let entries = read_entries(source)?;
    let total = transport::check_masses(entries.values())
        .map_err(|e| Failure::Input(format!("{source}: {}", invalid(&e, &entries))))?;
    if normalize && total == 0.0 {
        return Err(Failure::Input(format!(
            "{source}: all masses are zero, nothing to normalise"
        )));
    }
    Ok(entries)
}

/// Reads and parses a matrix; errors name the source and the position.
fn read_matrix_from(source: &Source) -> Result<MatrixEntries, Failure> {
    source
        .read_text()
        .and_then(|text| parse_matrix(&text))
        .map_err(|e| Failure::Input(format!("{source}: {e}")))
}

/// The message for a matrix entry the library refused, with 1-based positions.
fn invalid_entry(error: &Error, matrix: &MatrixEntries) -> String {
    let at = |row: usize, column: usize| matrix.position(row * matrix.cols() + column);
    match *error {
        Error::EntryNotANumber { row, column } => match at(row, column) {
            Some(at) => format!("{at}: NaN is not allowed"),
            None => error.to_string(),
        },
        Error::EntryInfinite { row, column, value } => match at(row, column) {
            Some(at) => format!("{at}: infinite value ({value}) is not allowed"),
            None => error.to_string(),
        },
        Error::EntryNegative { row, column, value } => match at(row, column) {
            Some(at) => format!("{at}: negative value ({value}) is not allowed"),
            None => error.to_string(),
        },
        _ => error.to_string(),
    }
}

/// Reads a cost matrix of `p.1` rows and `q.1` columns.
fn load_cost(
    source: &Source,
    (p_source, n): (&Source, usize),
    (q_source, m): (&Source, usize),
) -> Result<CostMatrix, Failure> {
    let matrix = read_matrix_from(source)?;
    if (matrix.rows(), matrix.cols()) != (n, m) {
        return Err(Failure::Input(format!(
            "{source}: the cost matrix is {} x {}, but {p_source} has {n} {} and {q_source} has {m}: \
             it needs one row per entry of p and one column per entry of q",
            matrix.rows(),
            matrix.cols(),
            plural(n, "entry", "entries"),
        )));
    }
    CostMatrix::new(matrix.rows(), matrix.cols(), matrix.values().to_vec())
        .map_err(|e| Failure::Input(format!("{source}: {}", invalid_entry(&e, &matrix))))
}

/// Reads one point per line for the masses of `masses_source` (`count` of them).
fn load_points(source: &Source, masses_source: &Source, count: usize) -> Result<Points, Failure> {
    let matrix = read_matrix_from(source)?;
    if matrix.rows() != count {
        return Err(Failure::Input(format!(
            "{masses_source} has {count} {} but {source} has {} {}: one point per mass",
            plural(count, "entry", "entries"),
            matrix.rows(),
            plural(matrix.rows(), "point", "points")
        )));
    }
    Points::from_flat(matrix.rows(), matrix.cols(), matrix.values().to_vec())
        .map_err(|e| Failure::Input(format!("{source}: {}", invalid_entry(&e, &matrix))))
}

/// The cost matrix between two point sets.
fn cost_from_points(
    (xp_source, xp): (&Source, &Points),
    (xq_source, xq): (&Source, &Points),
    metric: Metric,
) -> Result<CostMatrix, Failure> {
    if xp.dim() != xq.dim() {
        return Err(Failure::Input(format!(
            "{xp_source} holds points of dimension {} but {xq_source} of dimension {}",
            xp.dim(),
            xq.dim()
        )));
    }
    CostMatrix::from_points(xp, xq, metric).map_err(|e| match e {
        Error::EntryInfinite { row, column, .. } => Failure::Input(format!(
            "{xp_source} and {xq_source}: the distance from point {} to point {} overflows",
            row + 1,
            column + 1
        )),
        other => Failure::Input(format!("{xp_source} and {xq_source}: {other}")),
    })
}

/// The message for an error of the solver.
fn solver_failure(error: Error, p: &Source, q: &Source, cost: &str) -> Failure {
    match error {
        Error::Unbalanced { .. } => {
            Failure::Input(format!("{p} and {q}: {error}; pass --normalize to rescale"))
        }
        Error::NoFeasiblePlan { .. } => Failure::Input(format!("{cost}: {error}")),
        Error::IterationLimit { .. } | Error::CertificateFailed { .. } => {
            Failure::Computation(format!("the transport solver failed: {error}"))
        }
        other => Failure::Input(other.to_string()),
    }
}

// ---------------------------------------------------------------- w1

fn run_w1(args: &W1Args, out: &mut impl Write) -> Result<ExitCode, Failure> {
    let named = [
        ("--u", Some(&args.u)),
        ("--v", Some(&args.v)),
        ("--u-weights", args.u_weights.as_ref()),
        ("--v-weights", args.v_weights.as_ref()),
    ];
    refuse_stdin_twice(&named)?;
    let u = load_sample(&args.u, args.u_weights.as_ref())?;
    let v = load_sample(&args.v, args.v_weights.as_ref())?;
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

/// Refuses a command line on which more than one file is `-`: standard
/// input can be read only once.
fn refuse_stdin_twice(named: &[(&str, Option<&PathBuf>)]) -> Result<(), Failure> {
    let dashes: Vec<&str> = named
        .iter()
        .filter(|(_, path)| path.is_some_and(|p| Source::from_arg(p) == Source::Stdin))
        .map(|(flag, _)| *flag)
        .collect();
    if dashes.len() > 1 {
        return Err(Failure::Input(format!(
            "{} cannot {} be '-': standard input can be read only once",
            dashes.join(" and "),
            if dashes.len() == 2 { "both" } else { "all" }
        )));
    }
    Ok(())
}

/// A sample read for `w1`, and how to name it in the output.
struct LoadedSample {
    sample: LineSample,
    description: String,
}

/// Reads and parses a vector; errors name the source and the position.
fn read_entries(source: &Source) -> Result<Entries, Failure> {
    source
        .read_text()
        .and_then(|text| parse_vector(&text))
        .map_err(|e| Failure::Input(format!("{source}: {e}")))
}

/// Reads a sample and its optional weights; every error names the file that
/// holds the bad entry and its position.
fn load_sample(values: &PathBuf, weights: Option<&PathBuf>) -> Result<LoadedSample, Failure> {
    let source = Source::from_arg(values);
    let entries = read_entries(&source)?;
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
    let weight_entries = read_entries(&weight_source)?;
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

/// `singular` for 1, else `plural`.
fn plural(n: usize, singular: &'static str, plural: &'static str) -> &'static str {
    if n == 1 { singular } else { plural }
}

// ---------------------------------------------------------------- verify

fn run_verify(args: &VerifyArgs, out: &mut impl Write) -> Result<ExitCode, Failure> {
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
            writeln!(out)
        } else {
            write_verify_table(out, &rows)?;
            if let Some(w) = &written {
                writeln!(
                    out,
                    "report: {} ({} figures)",
                    escape_controls(&w.page.display().to_string()),
                    w.figures.len()
                )?;
            }
            write_summary(out, &outcomes)
        }
    })
}

/// Runs one check; a check that panics fails with the panic's message
/// instead of taking the whole report down.
fn run_claim(claim: &Claim, context: &Context) -> Outcome {
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

/// One line of the verify report: one measurement, or the error that stopped a check.
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
    passed: bool,
    error: Option<&'a str>,
}

fn rows(outcomes: &[Outcome]) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for outcome in outcomes {
        if outcome.error.is_some() || outcome.measurements.is_empty() {
            rows.push(Row {
                id: outcome.id,
                claim: outcome.claim,
                proof: outcome.proof,
                quantity: None,
                measured: None,
                expected: None,
                tolerance: None,
                comparison: None,
                passed: false,
                error: Some(
                    outcome
                        .error
                        .as_deref()
                        .unwrap_or("the check returned no measurement"),
                ),
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
                passed: m.passed,
                error: None,
            });
        }
    }
    rows
}

/// Widths at which the verify table wraps a claim's statement and a quantity,
/// so that a row fits a wide terminal.
const CLAIM_WIDTH: usize = 36;
const QUANTITY_WIDTH: usize = 44;

fn write_verify_table(out: &mut impl Write, rows: &[Row<'_>]) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No claim is registered yet.");
    }
    let mut table = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        // A claim's id and statement head its first row only.
        let first_of_claim = i == 0 || rows[i - 1].id != row.id;
        if first_of_claim && i > 0 {
            table.push(Default::default()); // a blank line between claims
        }
        let (id, claim) = if first_of_claim {
            (row.id, row.claim)
        } else {
            ("", "")
        };
        let show = |x: Option<f64>| x.map_or("-".to_string(), short);
        let expected = match (row.comparison, row.expected) {
            (Some(c), Some(e)) => format!("{} {}", comparison_sign(c), short(e)),
            _ => "-".to_string(),
        };
        let quantity = match (row.quantity, row.error) {
            (Some(q), _) => q.to_string(),
            (None, Some(e)) => format!("error: {e}"),
            (None, None) => "-".to_string(),
        };
        table.push([
            id.to_string(),
            claim.to_string(),
            quantity,
            show(row.measured),
            expected,
            show(row.tolerance),
            if row.passed { "ok" } else { "FAIL" }.to_string(),
        ]);
    }
    write_table(
        out,
        &[
            "id",
            "claim",
            "quantity",
            "measured",
            "expected",
            "tolerance",
            "pass",
        ],
        &[
            None,
            Some(CLAIM_WIDTH),
            Some(QUANTITY_WIDTH),
            None,
            None,
            None,
            None,
        ],
        &table,
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
    writeln!(out)
}

fn comparison_sign(comparison: Comparison) -> &'static str {
    match comparison {
        Comparison::Within => "=",
        Comparison::AtMost => "<=",
        Comparison::AtLeast => ">=",
    }
}

/// A number in a few significant digits for the verify table (the JSON
/// output carries every digit).
fn short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    if (1e-3..1e5).contains(&x.abs()) {
        let fixed = format!("{:.*}", significant_decimals(x), x);
        let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
        trimmed.to_string()
    } else {
        // 4 significant digits, without trailing zeros: 5e-5, 2.653e-5.
        let scientific = format!("{x:.3e}");
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exponent}")
    }
}

/// Decimals that give `x` (with 1e-3 <= |x| < 1e5) six significant digits.
fn significant_decimals(x: f64) -> usize {
    let magnitude = x.abs().log10().floor() as i32; // -3 ..= 4
    (5 - magnitude).max(0) as usize
}

// ---------------------------------------------------------------- tables

/// Writes `rows` under `header` in left-aligned columns two spaces apart.
/// A cell longer than its column's entry in `max_widths` is wrapped at
/// spaces onto further lines of the same row.
fn write_table<const N: usize>(
    out: &mut impl Write,
    header: &[&str; N],
    max_widths: &[Option<usize>; N],
    rows: &[[String; N]],
) -> io::Result<()> {
    let header = header.map(str::to_string);
    let wrapped: Vec<[Vec<&str>; N]> = std::iter::once(&header)
        .chain(rows)
        .map(|row| std::array::from_fn(|c| wrap(&row[c], max_widths[c])))
        .collect();
    let mut widths = [0; N];
    for row in &wrapped {
        for (width, lines) in widths.iter_mut().zip(row) {
            for line in lines {
                *width = (*width).max(line.chars().count());
            }
        }
    }
    for row in &wrapped {
        let height = row.iter().map(Vec::len).max().unwrap_or(1);
        for i in 0..height {
            let mut line = String::new();
            for (lines, width) in row.iter().zip(widths) {
                let cell = lines.get(i).copied().unwrap_or("");
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', width + 2 - cell.chars().count()));
            }
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    Ok(())
}

/// Splits `text` into lines of at most `max_width` characters, breaking at
/// spaces (a single word longer than that stays whole on its own line).
fn wrap(text: &str, max_width: Option<usize>) -> Vec<&str> {
    let Some(max_width) = max_width else {
        return vec![text];
    };
    let mut lines = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > max_width {
        // The last space within the first max_width + 1 characters, else the first space at all.
        let limit = rest
            .char_indices()
            .nth(max_width + 1)
            .map_or(rest.len(), |(i, _)| i);
        let Some(cut) = rest[..limit].rfind(' ').or_else(|| rest.find(' ')) else {
            break;
        };
        lines.push(rest[..cut].trim_end());
        rest = rest[cut..].trim_start();
    }
    lines.push(rest);
    lines
}
