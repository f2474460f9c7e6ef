//! C(G) and JSD(p_data || p_g) over training of the tabular game, computed
//! exactly at every step: the generator descends with D = D* at every step
//! (A5's descent), and with D updated by one exact ascent step per generator
//! step (Algorithm 1 with exact expectations).

use crate::claims::Context;
use crate::experiments::training::five_point_data;
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Reference, Series, Style, render};
use crate::report::{Figure, ReportError};
use crate::tabular::{TabularDiscriminator, TabularGenerator};
use crate::train::tabular_game::{
    C_OF_G_LOGIT_SMOOTHNESS, DiscriminatorPolicy, GeneratorLoss, History, descend_c_of_g,
    train_generator,
};

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

/// Generator steps of both runs.
const STEPS: usize = 6000;
/// Steps shown in the C(G) panel (the rest is flat at -ln 4 to the eye).
const EARLY: usize = 600;
/// Every this many steps a marker of -ln 4 + 2 JSD on the C(G) curve.
const MARK_EVERY: usize = 25;
/// Mass the starting generator puts on the data's rarest point.
const START_MASS: f64 = 0.9;
/// Discriminator ascent steps per generator step, and their size.
const ASCENT_STEPS: usize = 1;
const ASCENT_STEP: f64 = 1.0;

fn draw(_: &Context) -> Result<String, ReportError> {
    let p_data = five_point_data()?;
    let n = p_data.len();
    // Logits 0 everywhere but ln(START_MASS (n - 1) / (1 - START_MASS)) on the last point.
    let mut logits = vec![0.0; n];
    logits[n - 1] = (START_MASS * (n - 1) as f64 / (1.0 - START_MASS)).ln();
    let start = TabularGenerator::new(logits)?;
    let step = 1.0 / C_OF_G_LOGIT_SMOOTHNESS;
    let optimal = descend_c_of_g(&p_data, &start, step, STEPS)?.history;
    let updated = train_generator(
        &p_data,
        &start,
        &DiscriminatorPolicy::Ascent {
            start: TabularDiscriminator::half(n)?,
            steps: ASCENT_STEPS,
            step: ASCENT_STEP,
        },
        GeneratorLoss::Saturating,
        step,
        STEPS,
    )?
    .history;
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
