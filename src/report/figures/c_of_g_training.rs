//! C(G) and JSD(p_data || p_g) over training of the tabular game, computed
//! exactly at every step: the generator descends with D = D* at every step
//! (A5's descent), and with D updated by one exact ascent step per generator
//! step (Algorithm 1 with exact expectations). The runs are set up in the
//! experiments (`c_of_g_figure_runs`); this module only plots them.

use crate::claims::Context;
use crate::experiments::training::{
    C_OF_G_FIGURE_ASCENT_STEPS as ASCENT_STEPS, C_OF_G_FIGURE_STEPS as STEPS, CofGFigureRuns,
    c_of_g_figure_runs,
};
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Reference, Series, Style, render};
use crate::report::{Figure, ReportError};
use crate::train::tabular_game::History;

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "c-of-g-training.svg",
        title: "C(G) and JSD(p_data || p_g) over training",
        caption: "A softmax generator on 5 points, p_data = (0.4, 0.3, 0.15, 0.1, 0.05), starting with 0.9 of its mass on the rarest point, descends by steps of 1/L = 2/15 on its logits; every value is exact. Left: C(G) falls to -ln 4, and the markers -ln 4 + 2 JSD sit on the curve (Theorem 1); right: JSD goes to 0 at a linear rate (a straight line on the log scale) both with D = D* at every step (A5's descent) and with D moved by one exact gradient-ascent step (size 1) per generator step, Algorithm 1 with exact expectations and the minimax loss.",
        claims: &[id::A4, id::A5],
        draw,
    }
}

/// Steps shown in the C(G) panel (the rest is flat at -ln 4 to the eye).
const EARLY: usize = 600;
/// Every this many steps a marker of -ln 4 + 2 JSD on the C(G) curve.
const MARK_EVERY: usize = 25;

fn draw(_: &Context) -> Result<String, ReportError> {
    let CofGFigureRuns { optimal, updated } = c_of_g_figure_runs()?;
    let ln4 = 4f64.ln();
    let c_points = |h: &History, last: usize| -> Vec<(f64, f64)> {
        h.c_of_g[..=last]
            .iter()
            .enumerate()
            .map(|(t, &c)| (t as f64, c))
            .collect()
    };
    let identity: Vec<(f64, f64)> = optimal.jsd[..=EARLY]
        .iter()
        .enumerate()
        .step_by(MARK_EVERY)
        .map(|(t, &j)| (t as f64, -ln4 + 2.0 * j))
        .collect();
    let c_panel = Panel::new(
        format!("C(G) = max_D V(D, G), first {EARLY} steps"),
        "generator step (iteration)",
        "C(G) (nats)",
    )
    .with(Series::new(
        "D = D* at every step",
        c_points(&optimal, EARLY),
        Style::Line,
        0,
    ))
    .with(Series::new(
        format!("D updated by {ASCENT_STEPS} ascent step"),
        c_points(&updated, EARLY),
        Style::Dashed,
        1,
    ))
    .with(Series::new(
        "dots: -ln 4 + 2 JSD, D = D* run",
        identity,
        Style::Points,
        2,
    ))
    .reference(Reference::Horizontal {
        name: "-ln 4, the minimum".into(),
        value: -ln4,
    })
    .legend_at(Corner::UpperRight);
    let jsd_points = |h: &History| -> Vec<(f64, f64)> {
        h.jsd
            .iter()
            .enumerate()
            .map(|(t, &j)| (t as f64, j))
            .collect()
    };
    let jsd_panel = Panel::new(
        format!("JSD(p_data || p_g), all {STEPS} steps"),
        "generator step (iteration)",
        "JSD (nats, log scale)",
    )
    .with(Series::new(
        "D = D* at every step",
        jsd_points(&optimal),
        Style::Line,
        0,
    ))
    .with(Series::new(
        format!("D updated by {ASCENT_STEPS} ascent step"),
        jsd_points(&updated),
        Style::Dashed,
        1,
    ))
    .log_y()
    .legend_at(Corner::UpperRight);
    render(figure().title, &[c_panel, jsd_panel], 1, 2).map_err(ReportError::Plot)
}
