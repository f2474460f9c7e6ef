//! F7: the generator's gradient as the data and the generated laws move
//! apart, against a logistic discriminator fitted for a fixed number of
//! steps and against LSGAN's least-squares affine discriminator.

use crate::claims::Context;
use crate::experiments::slope::{LOGISTIC_STEP, LSGAN_CENTRE, pair};
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Series, Style, render};
use crate::report::{Figure, ReportError};
use crate::variants::affine::{least_squares_fit, logistic_ascent};
use crate::variants::lsgan::LsganLabels;

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "least-squares-slope.svg",
        title: "Generator gradient against the separation of the two laws",
        caption: "The data and the generated law are point masses (or segments of length 1) Delta apart. LSGAN's affine discriminator fitted by least squares gives a generator gradient of exactly 1/Delta for point masses (slope -1 on these axes) and close to it for segments, however long D is trained. A logistic discriminator fitted by gradient ascent (step 0.1) gives the minimax generator a gradient (2m/Delta) sigma(-m) that falls with the training budget and, at a fixed budget, like ln(Delta)/Delta^3. At the unrestricted optimum D* both criteria are constant once the supports are disjoint (JSD = ln 2, LSGAN's T = 1): gradient 0, off this log scale.",
        claims: &[id::F7],
        draw,
    }
}

/// Training budgets of the logistic discriminator drawn.
const BUDGETS: [usize; 3] = [100, 1000, 10_000];

fn draw(_: &Context) -> Result<String, ReportError> {
    let separations: Vec<f64> = (0..=36)
        .map(|k| 10f64.powf(-0.5 + k as f64 / 24.0))
        .collect();
    let labels = LsganLabels::binary_labels();
    let mut panel = Panel::new(
        "",
        "log10 Delta (separation of the two laws)",
        "|d loss / d theta| with D held fixed (log scale)",
    )
    .log_y()
    .legend_at(Corner::LowerLeft);
    for (h, name, style) in [
        (0.0, "LSGAN, affine D, point masses: 1/Delta", Style::Line),
        (0.5, "LSGAN, affine D, segments of length 1", Style::Dashed),
    ] {
        let mut points = Vec::new();
        for &delta in &separations {
            if h > 0.0 && delta <= 2.0 * h {
                continue;
            }
            let (data, generated) = pair(LSGAN_CENTRE, delta, h)?;
            let fit = least_squares_fit(&labels, &data, &generated)?;
            points.push((
                delta.log10(),
                fit.generator_gradient(&labels, &generated).abs(),
            ));
        }
        panel = panel.with(Series::new(name, points, style, 0));
    }
    let mut by_budget = vec![Vec::new(); BUDGETS.len()];
    for &delta in &separations {
        let (data, generated) = pair(0.0, delta, 0.0)?;
        let fit = logistic_ascent(&data, &generated, LOGISTIC_STEP, BUDGETS[BUDGETS.len() - 1])?;
        for (k, &t) in BUDGETS.iter().enumerate() {
            by_budget[k].push((delta.log10(), fit[t].saturating_gradient(&generated).abs()));
        }
    }
    for ((k, points), style) in
        by_budget
            .into_iter()
            .enumerate()
            .zip([Style::Dotted, Style::Dashed, Style::Line])
    {
        panel = panel.with(Series::new(
            format!("minimax, logistic D after {} ascent steps", BUDGETS[k]),
            points,
            style,
            1 + k,
        ));
    }
    render(figure().title, &[panel], 1, 1).map_err(ReportError::Plot)
}
