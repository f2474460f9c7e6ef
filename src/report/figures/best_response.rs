//! F4: the two-step iteration on p_data = (1/2, 1/2). Left: p_g(0) along
//! exact, damped and averaged best responses and along gradient steps on
//! C(G); right: where gradient steps end, against the step size (converging
//! up to 8, a 2-cycle above it).

use crate::claims::Context;
use crate::experiments::best_response::{
    DAMPING, HALF_BOUNDARY, HALF_START, half_descent, half_slope, two_cycle_amplitude,
};
use crate::measure::Discrete;
use crate::numeric::sigmoid;
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Reference, Series, Style, render};
use crate::report::{Figure, ReportError};
use crate::train::best_response::{Mixing, iterate_best_responses};

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "best-response-cycle.svg",
        title: "Best responses cycle, small steps converge (p_data = (1/2, 1/2))",
        caption: "Left: the generator's mass on point 0 when it plays its exact best response to D* (it jumps between the two point masses forever), the best response mixed in with weight 0.1 (a smaller cycle, amplitude w/(2(2 - w))), with weights 1/(t+2) (converges as 1/t), and gradient steps on C(G) of size 7.5 (converges) and 9 (a 2-cycle). Right: the last 4 of 600 gradient steps from p_g(0) = sigma(2) for each step size: one point up to the boundary 2/lambda_max = 8, the two points of the cycle s* / C'(s*) = eta above it (curve), which stops attracting near 13.65.",
        claims: &[id::F4],
        draw,
    }
}

/// Rounds drawn in the left panel.
const ROUNDS: usize = 24;
/// Steps of each run of the right panel, and how many of the last are drawn.
const RUN: usize = 600;
const LAST: usize = 4;

fn draw(_: &Context) -> Result<String, ReportError> {
    let half = Discrete::new(vec![0.5, 0.5])?;
    let start = Discrete::new(vec![sigmoid(HALF_START), sigmoid(-HALF_START)])?;
    let mass = |mixing: Mixing| -> Result<Vec<(f64, f64)>, ReportError> {
        Ok(iterate_best_responses(&half, &start, mixing, ROUNDS)?
            .generated
            .iter()
            .enumerate()
            .map(|(t, p)| (t as f64, p[0]))
            .collect())
    };
    let gradient = |eta: f64| -> Result<Vec<(f64, f64)>, ReportError> {
        Ok(half_descent(HALF_START, eta, ROUNDS)?
            .iter()
            .enumerate()
            .map(|(t, &s)| (t as f64, sigmoid(s)))
            .collect())
    };
    let left = Panel::new(
        "p_g(0) along the iterations",
        "round or generator step t",
        "p_g(0) (probability)",
    )
    .with(Series::new(
        "exact best response",
        mass(Mixing::Full)?,
        Style::Points,
        1,
    ))
    .with(Series::new(
        format!("best response mixed in, weight {DAMPING}"),
        mass(Mixing::Constant(DAMPING))?,
        Style::Line,
        3,
    ))
    .with(Series::new(
        "weights 1/(t+2)",
        mass(Mixing::Harmonic)?,
        Style::Dashed,
        2,
    ))
    .with(Series::new(
        "gradient steps, eta = 7.5",
        gradient(7.5)?,
        Style::Line,
        0,
    ))
    .with(Series::new(
        "gradient steps, eta = 9",
        gradient(9.0)?,
        Style::Dashed,
        4,
    ))
    .reference(Reference::Horizontal {
        name: "p_data(0) = 1/2".into(),
        value: 0.5,
    })
    .y_range(-0.02, 1.3)
    .legend_at(Corner::UpperRight);

    let mut ends = Vec::new();
    for k in 1..=170 {
        let eta = 0.1 * k as f64;
        let s = half_descent(HALF_START, eta, RUN)?;
        ends.extend(s[RUN - LAST..].iter().map(|&x| (eta, sigmoid(x))));
    }
    let mut upper = Vec::new();
    let mut lower = Vec::new();
    for k in 0..=110 {
        let eta = HALF_BOUNDARY + 0.05 * k as f64;
        let star = if k == 0 {
            0.0
        } else {
            two_cycle_amplitude(eta).unwrap_or(0.0)
        };
        debug_assert!(k == 0 || (star / half_slope(star) - eta).abs() < 1e-6 * eta);
        upper.push((eta, sigmoid(star)));
        lower.push((eta, sigmoid(-star)));
    }
    let right = Panel::new(
        format!("where {RUN} gradient steps end"),
        "step size eta",
        "p_g(0) at the last steps",
    )
    .with(Series::new(
        format!("last {LAST} iterates"),
        ends,
        Style::Points,
        0,
    ))
    .with(Series::new(
        "2-cycle: s* / C'(s*) = eta",
        upper,
        Style::Line,
        1,
    ))
    .with(Series::new("", lower, Style::Line, 1))
    .reference(Reference::Vertical {
        name: "2 / lambda_max = 8".into(),
        value: HALF_BOUNDARY,
    })
    .y_range(-0.02, 1.3)
    .legend_at(Corner::UpperLeft);
    render(figure().title, &[left, right], 1, 2).map_err(ReportError::Plot)
}
