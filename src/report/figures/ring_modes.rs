//! G1: samples of the four methods' generators over the ring's 8 centres,
//! trained in G1's reduced protocol from the claim's first seed.

use crate::claims::Context;
use crate::experiments::modes::{g1_protocol, g1_run, g1_run_seeds};
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
        caption: "G1's reduced protocol (G and D with three hidden layers of 32 ReLU units, minibatch 64, Adam 1e-3 (0.5, 0.999), 2000 iterations, k = 1), the same seed for every method: 2500 samples of each final generator (the first 500 drawn) and the 8 centres of the ring (sd 0.01, so a sample counts as high quality within 0.03 of its centre). The legends give PacGAN's metrics: modes captured, the high-quality fraction and the reverse KL of the mode histogram against uniform. The non-saturating GAN piles its samples on a few centres; with the R1 penalty the same GAN spreads over all eight.",
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
    let steps = g1_protocol().steps;
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
        match g1_run(method, seed)? {
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
