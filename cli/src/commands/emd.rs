//! `gan-theory emd`: the exact Earth Mover distance between two mass
//! vectors, over a cost matrix or the distances between support points,
//! with its plan and dual potentials.

use super::files::{Column, invalid, invalid_entry, read_entries, read_matrix, refuse_stdin_twice};
use crate::input::{Entries, Source};
use crate::output::{Failure, emit, plural, write_table};
use clap::Args;
use gan_theory::Error;
use gan_theory::claims;
use gan_theory::transport::{self, CostMatrix, EmdOptions, Metric, Points, Transport};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(
    group(clap::ArgGroup::new("ground").required(true).args(["cost", "xp"])),
    after_help = "Indices from 0: plan entry (i, j) moves mass from entry i of p to entry j \
                  of q, in the text table as in --json; a bad number in --cost, --xp or --xq \
                  is named the same way, index (i, j), then its line and column (from 1).\n\n\
                  Exit status of emd: 0 on success; 1 when the transport solver fails on valid \
                  input (its iteration cap, or a failed optimality certificate) or the output \
                  cannot be written; 2 on bad input or a usage error."
)]
pub(crate) struct EmdArgs {
    /// File with the masses p (rows of the cost matrix): one number per
    /// line, all on one line (commas or whitespace), or one JSON array; `-`
    /// reads standard input.
    #[arg(short = 'p', long, value_name = "FILE")]
    p: PathBuf,
    /// File with the masses q (columns of the cost matrix), in the same form as p.
    #[arg(short = 'q', long, value_name = "FILE")]
    q: PathBuf,
    /// File with the cost matrix: one row per line (commas or whitespace), or
    /// a JSON array of arrays; `inf` forbids an arc.
    #[arg(short = 'c', long, value_name = "FILE", conflicts_with_all = ["xp", "xq", "metric"])]
    cost: Option<PathBuf>,
    /// File with the support points of p, one point per line (coordinates
    /// separated by commas or whitespace), or a JSON array of arrays.
    #[arg(long, value_name = "FILE", requires = "xq")]
    xp: Option<PathBuf>,
    /// File with the support points of q, in the same form as --xp.
    #[arg(long, value_name = "FILE", requires = "xp")]
    xq: Option<PathBuf>,
    /// The ground distance between points (with --xp and --xq; default: euclidean).
    #[arg(short = 'm', long, value_enum, requires = "xp")]
    metric: Option<MetricArg>,
    /// Divide p and q by their totals (without it the totals must agree).
    #[arg(short = 'n', long)]
    normalize: bool,
    #[command(flatten)]
    column: Column,
    /// Print {"cost", "plan": [[i, j, mass], ..], "u", "v"} instead of text.
    #[arg(short = 'j', long)]
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

impl MetricArg {
    fn name(self) -> &'static str {
        match self {
            MetricArg::Euclidean => "Euclidean",
            MetricArg::Sqeuclidean => "squared Euclidean",
            MetricArg::Cityblock => "cityblock",
        }
    }
}

/// Runs `emd`.
pub(crate) fn run(args: &EmdArgs, out: &mut impl Write) -> Result<ExitCode, Failure> {
    refuse_stdin_twice(&[
        ("--p", Some(&args.p)),
        ("--q", Some(&args.q)),
        ("--cost", args.cost.as_ref()),
        ("--xp", args.xp.as_ref()),
        ("--xq", args.xq.as_ref()),
    ])?;
    let p_source = Source::from_arg(&args.p);
    let q_source = Source::from_arg(&args.q);
    let p = load_masses(&p_source, args.column, args.normalize)?;
    let q = load_masses(&q_source, args.column, args.normalize)?;
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
                format!("{} distances between {xp} and {xq}", metric.name()),
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

/// The text output: the cost, what was read, the certificate, and the plan
/// with indices from 0 (as in `--json`).
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
    let rows = t.plan.iter().take(PLAN_LISTED).map(|e| {
        vec![
            e.i.to_string(),
            e.j.to_string(),
            e.mass.to_string(),
            cost.get(e.i, e.j).to_string(),
        ]
    });
    write_table(out, &["from p", "to q", "mass", "cost per unit"], rows)?;
    if t.plan.len() > PLAN_LISTED {
        writeln!(
            out,
            "... {} more entries; --json lists each",
            t.plan.len() - PLAN_LISTED
        )?;
    }
    Ok(())
}

/// Reads masses and checks each entry (finite, non-negative); with
/// `normalize` a zero total is refused here, where the file is known.
fn load_masses(source: &Source, column: Column, normalize: bool) -> Result<Entries, Failure> {
    let entries = read_entries(source, column)?;
    let total = transport::check_masses(entries.values())
        .map_err(|e| Failure::Input(format!("{source}: {}", invalid(&e, &entries))))?;
    if normalize && total == 0.0 {
        return Err(Failure::Input(format!(
            "{source}: all masses are zero, nothing to normalise"
        )));
    }
    Ok(entries)
}

/// Reads a cost matrix of `p.1` rows and `q.1` columns.
fn load_cost(
    source: &Source,
    (p_source, n): (&Source, usize),
    (q_source, m): (&Source, usize),
) -> Result<CostMatrix, Failure> {
    let matrix = read_matrix(source)?;
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
    let matrix = read_matrix(source)?;
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
            "{xp_source} and {xq_source}: the distance from point {row} to point {column} \
             (points counted from 0) overflows"
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
