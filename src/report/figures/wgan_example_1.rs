//! WGAN's Example 1 (Arjovsky et al. 2017): P_0 on the segment {0} x [0, 1],
//! P_theta on {theta} x [0, 1]. W1 = |theta| moves with theta; JS, KL and TV
//! jump at theta = 0 and are flat elsewhere, so they give no gradient.

use crate::claims::Context;
use crate::divergence::{js, kl, total_variation};
use crate::experiments::transport::example_1;
use crate::proofs::id;
use crate::report::plot::{Panel, Reference, Series, Style, render};
use crate::report::{Figure, ReportError};

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "wgan-example-1.svg",
        title: "WGAN Example 1: divergences between two parallel segments",
        caption: "P_0 is uniform on {0} x [0, 1] and P_theta on {theta} x [0, 1] (16 points each; W1 from the exact Earth Mover solver). W1 = |theta| shrinks smoothly as the segments meet; JS stays ln 2, TV stays 1 and KL is +inf for every theta != 0, and all three drop to 0 only at theta = 0.",
        claims: &[id::C4, id::D1],
        draw,
    }
}

/// Grid points on each side of theta = 0.
const STEPS: usize = 40;

fn draw(_: &Context) -> Result<String, ReportError> {
    let mut w1 = Vec::new();
    let (mut js_left, mut js_right, mut tv_left, mut tv_right) = (vec![], vec![], vec![], vec![]);
    for k in 0..=2 * STEPS {
        let theta = (k as f64 - STEPS as f64) / STEPS as f64;
        let (w, p, q) = example_1(theta)?;
        w1.push((theta, w));
        if theta == 0.0 {
            continue;
        }
        let (j, t) = (js(&p, &q)?, total_variation(&p, &q)?);
        debug_assert!(kl(&p, &q)?.is_infinite());
        if theta < 0.0 {
            js_left.push((theta, j));
            tv_left.push((theta, t));
        } else {
            js_right.push((theta, j));
            tv_right.push((theta, t));
        }
    }
    let (p0, q0) = (example_1(0.0)?.1, example_1(0.0)?.2);
    let at_zero = (0.0, js(&p0, &q0)?);
    let kl_at_zero = kl(&p0, &q0)?;
    let panel = Panel::new(
        "",
        "theta (horizontal offset of P_theta)",
        "divergence (nats; W1 in length units)",
    )
    .with(Series::new(
        "W1(P_0, P_theta) = |theta|",
        w1,
        Style::Line,
        0,
    ))
    .with(Series::new("JS(P_0, P_theta)", js_left, Style::Line, 1))
    .with(Series::new("", js_right, Style::Line, 1))
    .with(Series::new("TV(P_0, P_theta)", tv_left, Style::Dashed, 2))
    .with(Series::new("", tv_right, Style::Dashed, 2))
    .with(Series::new(
        "JS = TV = KL = 0 at theta = 0",
        vec![at_zero, (0.0, kl_at_zero)],
        Style::Points,
        3,
    ))
    .reference(Reference::Horizontal {
        name: "ln 2 (JS of disjoint supports)".into(),
        value: std::f64::consts::LN_2,
    })
    .y_range(-0.05, 1.3);
    let title = figure().title;
    let note = format!("{title} (KL = +inf for theta != 0)");
    render(&note, &[panel], 1, 1).map_err(ReportError::Plot)
}
