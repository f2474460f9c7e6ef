//! Dirac-GAN trajectories (Mescheder, Geiger and Nowozin 2018, Figures 1 and
//! 3): simultaneous gradient steps in the `(theta, psi)` plane from one start,
//! for the unregularised GAN, WGAN and the R1 penalty, and their distance to
//! the equilibrium over the steps.

use crate::claims::Context;
use crate::dynamics::{GAN_F1_AT_0, Method};
use crate::experiments::dynamics::{R1_GAMMA, START, STEP_SIZE, STEPS, simultaneous_run};
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Series, Style, render};
use crate::report::{Figure, ReportError};

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "dirac-gan.svg",
        title: "Dirac-GAN: simultaneous gradient steps from (theta, psi) = (1, 0)",
        caption: "E1's Dirac-GAN (data at 0, G a point mass at theta, D(x) = psi x) trained by simultaneous steps of h = 0.1 from (1, 0), as in E1's checks: the continuous flow would circle the equilibrium (0, 0) on the dotted unit circle, but the steps of the unregularised GAN spiral slowly out, those of WGAN spiral out by exactly sqrt(1 + h^2) per step, and R1 (gamma = 0.5) spirals into (0, 0) at the rate sqrt(1 - h gamma + h^2/4) per step (lower right, log scale).",
        claims: &[id::E1],
        draw,
    }
}

/// Room around the data in the trajectory panels, as a share of their extent.
const MARGIN: f64 = 0.05;
/// The x range of a trajectory panel runs to this many times the data's
/// half-width, leaving the right of the panel to the legend.
const LEGEND_ROOM: f64 = 3.2;
/// The distance panel's range: R1 ends near 5e-6; the decades below it leave
/// the lower left to the legend.
const DISTANCE_FLOOR: f64 = 1e-11;
/// Above WGAN's end, 12.
const DISTANCE_CEILING: f64 = 1e2;
/// Points on the dotted unit circle.
const CIRCLE_POINTS: usize = 200;

fn draw(_: &Context) -> Result<String, ReportError> {
    let methods = [
        (Method::Gan, "unregularised GAN", 1),
        (Method::wgan(), "WGAN", 3),
        (Method::r1(R1_GAMMA)?, "R1 penalty, gamma = 0.5", 2),
    ];
    let circle: Vec<(f64, f64)> = (0..=CIRCLE_POINTS)
        .map(|k| {
            let angle = std::f64::consts::TAU * k as f64 / CIRCLE_POINTS as f64;
            (angle.cos(), angle.sin())
        })
        .collect();
    let mut panels = Vec::new();
    let mut distance = Panel::new(
        "distance to the equilibrium",
        "step k (simultaneous updates)",
        "|(theta_k, psi_k)| (log scale)",
    )
    .log_y()
    .y_range(DISTANCE_FLOOR, DISTANCE_CEILING)
    .legend_at(Corner::LowerLeft);
    for (method, name, colour) in methods {
        let run = simultaneous_run(&method)?;
        let path: Vec<(f64, f64)> = run.points.iter().map(|p| (p.theta, p.psi)).collect();
        // The data fill the left of the panel, the legend the right.
        let half_width = path
            .iter()
            .fold(1.0f64, |r, &(t, p)| r.max(t.abs()).max(p.abs()))
            * (1.0 + MARGIN);
        panels.push(
            Panel::new(name, "theta (G's point mass)", "psi (D's slope)")
                .with(Series::new(
                    format!("{STEPS} steps, h = {STEP_SIZE}"),
                    path,
                    Style::Line,
                    colour,
                ))
                .with(Series::new(
                    "flow: |x| = 1",
                    circle.clone(),
                    Style::Dotted,
                    5,
                ))
                .with(Series::new(
                    "start (1, 0)",
                    vec![(START.theta, START.psi)],
                    Style::Points,
                    0,
                ))
                .with(Series::new(
                    "equilibrium",
                    vec![(0.0, 0.0)],
                    Style::Points,
                    4,
                ))
                .x_range(-half_width, LEGEND_ROOM * half_width)
                .y_range(-half_width, half_width)
                .equal_scales()
                .legend_at(Corner::UpperRight),
        );
        let end = run.points[STEPS].norm();
        let end = if end < 1e-2 {
            format!("{end:.1e}")
        } else {
            format!("{end:.3}")
        };
        let law = match method {
            // |x_k| = sqrt(1 + h^2)^k |x_0| exactly for WGAN.
            Method::Wgan { .. } => format!(" = sqrt(1 + h^2)^{STEPS}"),
            _ => String::new(),
        };
        distance = distance.with(Series::new(
            format!("{name}: {end} after {STEPS}{law}"),
            run.points
                .iter()
                .enumerate()
                .map(|(k, p)| (k as f64, p.norm()))
                .collect(),
            Style::Line,
            colour,
        ));
    }
    let a = GAN_F1_AT_0;
    let r1_rate = (1.0 - STEP_SIZE * R1_GAMMA + STEP_SIZE * STEP_SIZE * a * a).sqrt();
    let law = |rate: f64| -> Vec<(f64, f64)> {
        (0..=STEPS)
            .step_by(10)
            .map(|k| (k as f64, START.norm() * rate.powi(k as i32)))
            .collect()
    };
    distance = distance.with(Series::new(
        format!("rho^k, rho = {r1_rate:.4} (R1's rate)"),
        law(r1_rate),
        Style::Dashed,
        5,
    ));
    panels.push(distance);
    render(figure().title, &panels, 2, 2).map_err(ReportError::Plot)
}
