//! Why the non-saturating loss: the gradient of each generator loss with
//! respect to D's logit as D(G(z)) goes to 0 (Goodfellow et al. 2014, Section 3).

use crate::claims::Context;
use crate::game::{non_saturating_loss_grad, saturating_loss_grad};
use crate::numeric::sigmoid;
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Series, Style, render};
use crate::report::{Figure, ReportError};

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "generator-gradients.svg",
        title: "Generator-loss gradients as D(G(z)) goes to 0",
        caption: "The magnitude of d loss / d logit for the saturating loss ln(1 - D(G(z))), which equals D(G(z)) and vanishes as the discriminator rejects the sample, and for the non-saturating loss -ln D(G(z)), which tends to 1. Early in training D(G(z)) is near 0, which is why the paper trains G on the second.",
        claims: &[id::A7],
        draw,
    }
}

fn draw(_: &Context) -> Result<String, ReportError> {
    // Logits from -30 to 5: D(G(z)) from about 1e-13 to 0.99.
    let logits: Vec<f64> = (0..=350).map(|k| -30.0 + 0.1 * k as f64).collect();
    let x = |l: f64| sigmoid(l).log10();
    let saturating = logits
        .iter()
        .map(|&l| (x(l), saturating_loss_grad(l).abs()))
        .collect();
    let non_saturating = logits
        .iter()
        .map(|&l| (x(l), non_saturating_loss_grad(l).abs()))
        .collect();
    let panel = Panel::new(
        "",
        "log10 D(G(z))",
        "|d loss / d logit of D(G(z))| (log scale)",
    )
    .with(Series::new(
        "saturating: ln(1 - D(G(z)))",
        saturating,
        Style::Line,
        1,
    ))
    .with(Series::new(
        "non-saturating: -ln D(G(z))",
        non_saturating,
        Style::Dashed,
        0,
    ))
    .log_y()
    .legend_at(Corner::LowerRight);
    render(figure().title, &[panel], 1, 1).map_err(ReportError::Plot)
}
