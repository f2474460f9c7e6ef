//! Low-dimensional supports (claim F2): two unit segments of the plane that
//! cross at one point. JSD stays ln 2 for every angle, W1 moves with the
//! angle and the crossing point.

use crate::claims::Context;
use crate::divergence::js;
use crate::experiments::segments::{Config, binned, closed_form_w1, discrete_w1, p_point};
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Reference, Series, Style, render};
use crate::report::{Figure, ReportError};
use std::f64::consts::{LN_2, PI};

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "crossing-segments.svg",
        title: "Segments that cross: JSD is blind, W1 is not",
        caption: "Left: P uniform on a unit segment, Q the same segment turned by phi about its point at offset a (shown for phi = pi/4, a = 0.3 and phi = 2 pi/3, a = -0.2). Right: W1(P, Q) against the angle for three crossing points, from the exact solver on 32-point discretisations (markers, within 1/64 of the laws' value) and in closed form where one exists (lines); the binned JSD (cells of side 1/256) is ln 2 up to the crossing cells for every phi > 0 and 0 at phi = 0.",
        claims: &[id::F2],
        draw,
    }
}

/// Points per segment for the exact solver.
const K: usize = 32;
/// Angles from 0 to pi in this many steps.
const ANGLES: usize = 24;
/// The binned JSD's cell side.
const CELL: f64 = 1.0 / 256.0;

fn draw(_: &Context) -> Result<String, ReportError> {
    let segment = |c: Config| {
        let (a, b) = c.q_ends();
        vec![(a[0], a[1]), (b[0], b[1])]
    };
    let shown = [
        (
            Config::Rotated {
                phi: PI / 4.0,
                a: 0.3,
            },
            "Q: phi = pi/4, a = 0.3",
            0,
        ),
        (
            Config::Rotated {
                phi: 2.0 * PI / 3.0,
                a: -0.2,
            },
            "Q: phi = 2 pi/3, a = -0.2",
            2,
        ),
    ];
    let (p0, p1) = (p_point(0.0), p_point(1.0));
    let mut sketch = Panel::new("the two laws", "x", "y")
        .with(Series::new(
            "P",
            vec![(p0[0], p0[1]), (p1[0], p1[1])],
            Style::Line,
            1,
        ))
        .x_range(-0.8, 0.8)
        .y_range(-0.3, 1.0)
        .equal_scales()
        .legend_at(Corner::UpperLeft);
    for (config, name, colour) in shown {
        sketch = sketch.with(Series::new(name, segment(config), Style::Line, colour));
    }

    let mut w1 = Panel::new(
        "W1 and JSD against the angle",
        "phi (radians)",
        "W1 (length units); JSD (nats)",
    )
    .reference(Reference::Horizontal {
        name: "ln 2".into(),
        value: LN_2,
    })
    .y_range(-0.02, 1.55)
    .legend_at(Corner::UpperLeft);
    for (a, colour) in [(0.5, 0), (0.3, 2), (0.0, 3)] {
        let (mut solver, mut closed, mut jsd) = (vec![], vec![], vec![]);
        for i in 0..=ANGLES {
            let phi = PI * i as f64 / ANGLES as f64;
            let config = Config::Rotated { phi, a };
            solver.push((phi, discrete_w1(config, K)?));
            if let Some(w) = closed_form_w1(config) {
                closed.push((phi, w));
            }
            if a == 0.3 && i > 0 && i < ANGLES {
                let (p, q) = binned(config, CELL)?;
                jsd.push((phi, js(&p, &q)?));
            }
        }
        w1 = w1
            .with(Series::new(
                format!("W1, a = {a} (dots: solver, line: closed form)"),
                solver,
                Style::Points,
                colour,
            ))
            .with(Series::new("", closed, Style::Line, colour));
        if !jsd.is_empty() {
            w1 = w1.with(Series::new(
                "binned JSD, a = 0.3, phi > 0",
                jsd,
                Style::Dashed,
                1,
            ));
        }
    }
    let (p, q) = binned(Config::Rotated { phi: 0.0, a: 0.3 }, CELL)?;
    w1 = w1.with(Series::new(
        "binned JSD at phi = 0 (Q = P)",
        vec![(0.0, js(&p, &q)?)],
        Style::Points,
        1,
    ));
    render(figure().title, &[sketch, w1], 1, 2).map_err(ReportError::Plot)
}
