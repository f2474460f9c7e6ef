//! The GAN paper's Figure 1 (Goodfellow et al. 2014) reproduced: p_data,
//! p_g and D over the line as Algorithm 1 trains, against
//! D* = p_data / (p_data + p_g), on A6 (iii)'s setting.

use crate::claims::Context;
use crate::experiments::training::{
    A6_DATA, A6_PHASES, A6_SNAPSHOT_EVERY, A6_SNAPSHOTS, figure_1_run_seeds, figure_1_snapshots,
};
use crate::numeric::sigmoid;
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Reference, Series, Style, render};
use crate::report::{Figure, ReportError};
use crate::train::algorithm1::{Normal1d, Sampler, TrainingRng, Uniform1d};
use crate::transport::line::w1_samples;
use nalgebra::DMatrix;
use rand::SeedableRng;

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "gan-figure-1.svg",
        title: "GAN paper Figure 1: p_g and D as Algorithm 1 trains",
        caption: "Algorithm 1 on A6's Figure 1 setting (p_data = N(2, 0.5^2), z ~ U(0, 1), 1-8-8-1 tanh MLPs, k = 5, m = 64, Adam, non-saturating loss; the first of the claim's two seeded runs), drawn as in the paper. p_g is a Gaussian kernel estimate (bandwidth 0.05) from 10,000 draws of G(z), cut at 2 where it peaks higher (the peak is in the panel title), and D* = p_data / (p_data + p_g) uses the same estimate, drawn where p_data + p_g > 0.01; W1(p_g, p_data) is between those draws and as many of p_data. Look at D*: a 0/1 step while the supports are apart, a dip where the too-narrow p_g exceeds p_data, then close to 1/2 across the data as p_g spreads over it, with D tracking D* where there is mass; the last iterate still wobbles around p_data, and the mixture of the last 10 snapshots (what A6 measures) is closer.",
        claims: &[id::A3, id::A6],
        draw,
    }
}

/// Iterations of Algorithm 1 shown, one panel each, with a word on each.
/// The last panel is the end of the run.
const SHOWN: [(usize, &str); 3] = [(0, "(a)"), (50, "(b)"), (200, "(c)")];
/// Generator draws behind each density estimate.
const KDE_SAMPLES: usize = 10_000;
/// Bandwidth of the Gaussian kernel estimate of p_g.
const BANDWIDTH: f64 = 0.05;
/// D* is drawn where p_data + p_g exceeds this (elsewhere it is 0/0 up to
/// the tails of the kernel).
const D_STAR_FLOOR: f64 = 0.01;
/// The x axis and its grid.
const X_RANGE: (f64, f64) = (-1.0, 4.0);
const GRID: usize = 500;
/// The y axis: room for the legend above D = 1; taller density peaks are cut.
const Y_TOP: f64 = 2.0;
/// Salt of the stream of generator draws behind the density estimates.
const KDE_STREAM: u64 = 0xF16_0001;

fn normal_density(x: f64, mean: f64, sd: f64) -> f64 {
    let u = (x - mean) / sd;
    (-0.5 * u * u).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt())
}

/// The Gaussian kernel estimate with bandwidth [`BANDWIDTH`] of the density
/// of `samples` at each of `xs`.
fn kernel_estimate(samples: &[f64], xs: &[f64]) -> Vec<f64> {
    xs.iter()
        .map(|&x| {
            samples
                .iter()
                .map(|&s| normal_density(x, s, BANDWIDTH))
                .sum::<f64>()
                / samples.len() as f64
        })
        .collect()
}

/// The runs of consecutive points where `keep` holds, one series each
/// (the first named `name`), so that a line is not drawn across a gap.
fn segments(
    points: impl Iterator<Item = ((f64, f64), bool)>,
    name: &str,
    style: Style,
    colour: usize,
) -> Vec<Series> {
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (p, keep) in points {
        match (keep, runs.last_mut()) {
            (true, Some(run)) => run.push(p),
            (false, Some(run)) if !run.is_empty() => runs.push(Vec::new()),
            _ => {}
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .enumerate()
        .map(|(k, r)| Series::new(if k == 0 { name } else { "" }, r, style, colour))
        .collect()
}

fn draw(context: &Context) -> Result<String, ReportError> {
    // The panels' iterations, and those of the generators A6 averages: the
    // last A6_SNAPSHOTS, A6_SNAPSHOT_EVERY apart, ending at the last iteration.
    let total: usize = A6_PHASES.iter().map(|&(_, n)| n).sum();
    let averaged: Vec<usize> = (0..A6_SNAPSHOTS)
        .map(|k| total - k * A6_SNAPSHOT_EVERY)
        .collect();
    let shown: Vec<(usize, &str)> = SHOWN.iter().copied().chain([(total, "(d)")]).collect();
    let mut at: Vec<usize> = shown.iter().map(|&(t, _)| t).collect();
    at.extend(&averaged);
    // The first of the claim's runs.
    let snapshots = figure_1_snapshots(figure_1_run_seeds(context)[0], &at)?;
    let xs: Vec<f64> = (0..=GRID)
        .map(|i| X_RANGE.0 + (X_RANGE.1 - X_RANGE.0) * i as f64 / GRID as f64)
        .collect();
    let grid = DMatrix::from_column_slice(xs.len(), 1, &xs);
    let p_data: Vec<f64> = xs
        .iter()
        .map(|&x| normal_density(x, A6_DATA.0, A6_DATA.1))
        .collect();
    let mut rng = TrainingRng::seed_from_u64(context.seed ^ KDE_STREAM);
    // p_g of the equal mixture of the averaged generators, an equal share of
    // the draws from each.
    let mut mixture = Vec::with_capacity(KDE_SAMPLES);
    for (_, _, g) in snapshots.iter().filter(|(t, ..)| averaged.contains(t)) {
        let mut z = DMatrix::zeros(KDE_SAMPLES / A6_SNAPSHOTS, 1);
        Uniform1d::new(0.0, 1.0)?.sample_into(&mut rng, &mut z);
        mixture.extend(g.predict(&z)?.iter().copied());
    }
    let mut data = DMatrix::zeros(mixture.len(), 1);
    Normal1d::new(A6_DATA.0, A6_DATA.1)?.sample_into(&mut rng, &mut data);
    let w1_mixture = w1_samples(&mixture, None, data.as_slice(), None)?;
    let mut panels = Vec::new();
    for &(t, letter) in &shown {
        let Some((_, d, g)) = snapshots.iter().find(|(s, ..)| *s == t) else {
            continue;
        };
        let mut z = DMatrix::zeros(KDE_SAMPLES, 1);
        Uniform1d::new(0.0, 1.0)?.sample_into(&mut rng, &mut z);
        let samples = g.predict(&z)?;
        let mut data = DMatrix::zeros(KDE_SAMPLES, 1);
        Normal1d::new(A6_DATA.0, A6_DATA.1)?.sample_into(&mut rng, &mut data);
        let w1 = w1_samples(samples.as_slice(), None, data.as_slice(), None)?;
        let p_g = kernel_estimate(samples.as_slice(), &xs);
        let peak = p_g.iter().copied().fold(0.0, f64::max);
        let mut title = format!("{letter} iteration {t}, W1 = {w1:.2}");
        if peak > Y_TOP {
            title.push_str(&format!(", p_g peak {peak:.1}"));
        }
        if t == total {
            title.push_str(&format!("; last {A6_SNAPSHOTS} G mixed: {w1_mixture:.2}"));
        }
        let d_x: Vec<f64> = d.predict(&grid)?.iter().map(|&l| sigmoid(l)).collect();
        let zip = |v: &[f64]| {
            xs.iter()
                .copied()
                .zip(v.iter().copied())
                .collect::<Vec<_>>()
        };
        let named = |name: &'static str| if t == 0 { name } else { "" };
        let mut panel = Panel::new(title, "x", "density (per unit x); D, D*")
            .with(Series::new(
                named("p_data = N(2, 0.5^2)"),
                zip(&p_data),
                Style::Dotted,
                5,
            ))
            .with(Series::new(
                named("p_g (kernel estimate)"),
                zip(&p_g),
                Style::Line,
                2,
            ))
            .with(Series::new(
                named("D(x), the MLP discriminator"),
                zip(&d_x),
                Style::Dashed,
                0,
            ));
        let d_star = xs.iter().zip(p_data.iter().zip(&p_g)).map(|(&x, (a, b))| {
            let total = a + b;
            ((x, a / total), total > D_STAR_FLOOR)
        });
        for s in segments(
            d_star,
            named("D* = p_data / (p_data + p_g)"),
            Style::Line,
            3,
        ) {
            panel = panel.with(s);
        }
        if t == total {
            panel = panel.reference(Reference::Horizontal {
                name: "1/2, D* where p_g = p_data".into(),
                value: 0.5,
            });
        }
        panels.push(
            panel
                .x_range(X_RANGE.0, X_RANGE.1)
                .y_range(0.0, Y_TOP)
                .legend_at(Corner::UpperRight),
        );
    }
    render(figure().title, &panels, 2, 2).map_err(ReportError::Plot)
}
