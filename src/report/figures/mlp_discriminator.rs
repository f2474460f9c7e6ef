//! A trained MLP discriminator against D* on 1-D data: A6 (ii)'s pair,
//! whose D* is exactly a 1-1-1 tanh MLP, fitted by L-BFGS on samples.

use crate::claims::Context;
use crate::experiments::training::{A6_MLP_SAMPLES, a6_mlp_fit};
use crate::mlp::Mlp;
use crate::numeric::sigmoid;
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Series, Style, render};
use crate::report::{Figure, ReportError};
use nalgebra::DMatrix;

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "mlp-discriminator.svg",
        title: "A trained MLP discriminator against D* on 1-D data",
        caption: "A6 (ii)'s pair: p_data = N(0, 1) and p_g = p_data exp(-s) with s(x) = 1.5 tanh(1.5 x - 0.5) + d (d normalises p_g), so that D* = sigma(s) is itself a 1-1-1 tanh MLP. The same MLP, fitted by L-BFGS to V on 2000 + 2000 draws (the claim's run), lies on D*: its gap V(D*) - V(D), the density-weighted KL from D* to D, is far below A6's bound chi2_4 quantile / 2N = 8.3e-3, and the error left (bottom) is sampling error, of the order 1/sqrt(N).",
        claims: &[id::A3, id::A6],
        draw,
    }
}

/// The x axis and its grid.
const X_RANGE: (f64, f64) = (-4.0, 4.0);
const GRID: usize = 400;

fn normal_density(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

fn draw(context: &Context) -> Result<String, ReportError> {
    let fit = a6_mlp_fit(context)?;
    let xs: Vec<f64> = (0..=GRID)
        .map(|i| X_RANGE.0 + (X_RANGE.1 - X_RANGE.0) * i as f64 / GRID as f64)
        .collect();
    let grid = DMatrix::from_column_slice(xs.len(), 1, &xs);
    let d_of = |net: &Mlp| -> Result<Vec<f64>, ReportError> {
        Ok(net.predict(&grid)?.iter().map(|&l| sigmoid(l)).collect())
    };
    let d_fitted = d_of(&fit.fitted)?;
    let d_star: Vec<f64> = xs
        .iter()
        .map(|&x| sigmoid(fit.pair.d_star_logit(x)))
        .collect();
    let p_data: Vec<f64> = xs.iter().map(|&x| normal_density(x)).collect();
    // p_g = p_data e^{-s}, s the logit of D*.
    let p_g: Vec<f64> = xs
        .iter()
        .map(|&x| normal_density(x) * (-fit.pair.d_star_logit(x)).exp())
        .collect();
    let zip = |v: &[f64]| {
        xs.iter()
            .copied()
            .zip(v.iter().copied())
            .collect::<Vec<_>>()
    };
    let gap = fit.pair.gap(&fit.fitted)?;
    let gap0 = fit.pair.gap(&fit.start)?;
    let top = Panel::new(
        format!(
            "L-BFGS on {A6_MLP_SAMPLES} + {A6_MLP_SAMPLES} samples: V(D*) - V(D) from {gap0:.3} to {gap:.1e} nats"
        ),
        "x",
        "density (per unit x); D, D*",
    )
    .with(Series::new("p_data = N(0, 1)", zip(&p_data), Style::Dotted, 5))
    .with(Series::new(
        "p_g = p_data exp(-s)",
        zip(&p_g),
        Style::Line,
        2,
    ))
    .with(Series::new(
        "D* = sigma(s), exact",
        zip(&d_star),
        Style::Line,
        3,
    ))
    .with(Series::new(
        "D, the fitted 1-1-1 tanh MLP",
        zip(&d_fitted),
        Style::Dashed,
        0,
    ))
    .x_range(X_RANGE.0, X_RANGE.1)
    .y_range(0.0, 1.0)
    .legend_at(Corner::UpperLeft);
    let difference: Vec<f64> = d_fitted.iter().zip(&d_star).map(|(d, s)| d - s).collect();
    let bottom = Panel::new("its error, D - D*", "x", "D(x) - D*(x) (probability)")
        .with(Series::new(
            "",
            vec![(X_RANGE.0, 0.0), (X_RANGE.1, 0.0)],
            Style::Dotted,
            5,
        ))
        .with(Series::new("", zip(&difference), Style::Line, 0))
        .x_range(X_RANGE.0, X_RANGE.1);
    render(figure().title, &[top, bottom], 2, 1).map_err(ReportError::Plot)
}
