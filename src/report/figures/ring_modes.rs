//! G1: samples of the four methods' generators over the ring's 8 centres,
//! trained from the claim's first seed in a protocol between G1's reduced
//! one and the command's default.

use crate::claims::Context;
use crate::experiments::modes::{figure_protocol, g1_run_seeds, protocol_run};
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Series, Style, render};
use crate::report::{Figure, ReportError};
use crate::train::mixtures::Mixture;
use crate::train::modes::Method;

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "ring-modes.svg",
        title: "Mode collapse on the 2-D ring: generator samples over the 8 centres",
        caption: "G and D with three hidden layers of 32 ReLU units, minibatch 64, Adam 1e-3 (0.5, 0.999), 2000 iterations, k = 1, WGAN-GP lambda = 0.1, R1 gamma = 1, the seed of G1's first pair for every method: 2500 samples of each final generator (the first 500 drawn) and the 8 centres of the ring (sd 0.01, so a sample counts as high quality within 0.03 of its centre). The legends give PacGAN's metrics: modes captured, the high-quality fraction and the reverse KL of the mode histogram against uniform. One seed, one run per method: BENCHMARKS.md gives the spread over ten seeds of the command's default protocol, and claim G1 what holds across seeds.",
        claims: &[id::G1],
        draw,
    }
}

/// Samples drawn per panel (of the 2500 scored).
const DRAWN: usize = 500;

fn draw(context: &Context) -> Result<String, ReportError> {
    let seed = g1_run_seeds(context)[0];
    let centres: Vec<(f64, f64)> = Mixture::Ring
        .centres()
        .iter()
        .map(|c| (c[0], c[1]))
        .collect();
    let protocol = figure_protocol();
    let steps = protocol.steps;
    let mut panels = Vec::new();
    for method in Method::ALL {
        let mut panel = Panel::new(
            format!("{} after {steps} iterations", method.name()),
            "x_1",
            "x_2",
        )
        .equal_scales()
        .x_range(-1.6, 1.6)
        .y_range(-1.6, 1.6)
        .legend_at(Corner::LowerRight);
        match protocol_run(method, &protocol, seed)? {
            Some(run) => {
                let m = &run.metrics;
                let kl = m
                    .reverse_kl
                    .map_or("undefined".to_string(), |kl| format!("{kl:.2}"));
                let points = run.samples[..DRAWN.min(run.samples.len())]
                    .iter()
                    .map(|x| (x[0], x[1]))
                    .collect();
                panel = panel.with(Series::new(
                    format!(
                        "samples: {} of 8 modes, {:.0}% high quality, reverse KL {kl}",
                        m.modes,
                        100.0 * m.high_quality
                    ),
                    points,
                    Style::Points,
                    0,
                ));
            }
            None => {
                panel = panel.with(Series::new("diverged", Vec::new(), Style::Points, 0));
            }
        }
        panels.push(panel.with(Series::new("centres", centres.clone(), Style::Points, 1)));
    }
    render(figure().title, &panels, 2, 2).map_err(ReportError::Plot)
}
