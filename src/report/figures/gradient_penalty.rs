//! Where the gradient penalty looks (claim F6): on a discrete instance in
//! the plane, the optimal plan's segments, where every optimal critic rises
//! with slope 1, against the segments between independent draws that the
//! penalty samples, where the smallest and the largest optimal critic part.

use crate::claims::Context;
use crate::experiments::penalty::{PlaneInstance, plane_instance};
use crate::experiments::rng_for;
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Series, Style, render};
use crate::report::{Figure, ReportError};

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "gradient-penalty.svg",
        title: "Where the gradient penalty looks",
        caption: "Left: p (8 points) and q (8 points) in the plane with the exact optimal plan's segments (solid) and three uncoupled pairs (dotted), which the gradient penalty samples as often as coupled ones. Right: the gap between the largest and the smallest optimal critic, F+ - F-, along those segments: 0 along the coupled segment, where every optimal critic rises with slope 1 (Gulrajani et al.'s Proposition 1), positive inside the uncoupled ones (back to 0 where they cross a coupled segment), so there optimality fixes neither the critic nor its gradient.",
        claims: &[id::F6],
        draw,
    }
}

/// Salt of the figure's instance.
const SALT: u64 = 0xF6_F1;
/// Points along a segment.
const STEPS: usize = 60;

/// `(t, F+(x_t) - F-(x_t))` along the segment `x_t = y_j + t (x_i - y_j)`:
/// the spread of the optimal critics' values there.
fn spread(inst: &PlaneInstance, i: usize, j: usize) -> Vec<(f64, f64)> {
    (0..=STEPS)
        .map(|k| {
            let t = k as f64 / STEPS as f64;
            let x = inst.interpolate(i, j, t);
            (t, inst.upper(x) - inst.lower(x))
        })
        .collect()
}

/// Uncoupled pairs shown: those where the optimal critics part most.
const SHOWN: usize = 3;

fn draw(context: &Context) -> Result<String, ReportError> {
    let inst = plane_instance(&mut rng_for(context, SALT))?;
    let n = inst.xp.len();
    let point = |a: [f64; 2]| (a[0], a[1]);
    let coupled = |i: usize, j: usize| inst.plan.iter().any(|e| e.i == i && e.j == j);
    let mut uncoupled: Vec<(usize, usize, f64)> = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .filter(|&(i, j)| !coupled(i, j))
        .map(|(i, j)| {
            let widest = spread(&inst, i, j).iter().fold(0.0f64, |m, p| m.max(p.1));
            (i, j, widest)
        })
        .collect();
    uncoupled.sort_by(|a, b| b.2.total_cmp(&a.2));
    uncoupled.truncate(SHOWN);

    let mut plane = Panel::new("the plan and three of the penalty's pairs", "x", "y")
        .equal_scales()
        .legend_at(Corner::LowerRight);
    for (k, e) in inst.plan.iter().enumerate() {
        plane = plane.with(Series::new(
            if k == 0 { "coupled (plan)" } else { "" },
            vec![point(inst.xq[e.j]), point(inst.xp[e.i])],
            Style::Line,
            5,
        ));
    }
    let mut critics = Panel::new(
        "spread of the optimal critics along a segment",
        "t (x_t = y + t (x - y))",
        "F+(x_t) - F-(x_t)",
    )
    .legend_at(Corner::UpperRight);
    let e = inst.plan[0];
    critics = critics.with(Series::new(
        "a coupled pair: 0",
        spread(&inst, e.i, e.j),
        Style::Line,
        5,
    ));
    for (k, &(i, j, _)) in uncoupled.iter().enumerate() {
        plane = plane.with(Series::new(
            if k == 0 { "uncoupled pairs" } else { "" },
            vec![point(inst.xq[j]), point(inst.xp[i])],
            Style::Dotted,
            2 + k,
        ));
        critics = critics.with(Series::new(
            format!("uncoupled pair {}", k + 1),
            spread(&inst, i, j),
            Style::Dashed,
            2 + k,
        ));
    }
    plane = plane
        .with(Series::new(
            "p",
            inst.xp.iter().map(|&a| point(a)).collect(),
            Style::Points,
            0,
        ))
        .with(Series::new(
            "q",
            inst.xq.iter().map(|&a| point(a)).collect(),
            Style::Points,
            1,
        ));
    render(figure().title, &[plane, critics], 1, 2).map_err(ReportError::Plot)
}
