//! Finite samples never overlap (claim F1): between two samples of one law
//! JSD stays ln 2 at every n while W1 falls like n^-1/2 inside proof F1's
//! bounds; and a discriminator trained on two samples of one law becomes
//! perfect, taking the minimax generator gradient down with it.

use crate::claims::Context;
use crate::divergence::js;
use crate::experiments::rng_for;
use crate::experiments::samples::{
    LAW_P, SALT_NORMALS, SALT_SEPARATION, SALT_UNIFORM, empirical_pair, mean_sample_w1, normal_rng,
    normal_spread_upper, same_law_lower, separation_run, uniform_sample,
};
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Series, Style, render};
use crate::report::{Figure, ReportError};
use rand::RngExt;

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "finite-samples.svg",
        title: "Finite samples never overlap",
        caption: "Left: two samples of n draws from the same law N(0, 1). Their empirical measures never share a point, so JSD is ln 2 at every n (JSD of the laws: 0), while W1 between them (mean of 64 pairs of samples) falls like n^-1/2 between proof F1's bounds on its expectation. Right: a 15-16-1 discriminator trained on 8 + 8 draws of one law in 15 dimensions (the generator is exact): its distance eps to the perfect discriminator falls, the minimax generator gradient falls under Arjovsky and Bottou's bound M eps/(1 - eps), and the non-saturating gradient grows.",
        claims: &[id::F1],
        draw,
    }
}

/// Sample sizes 2^2 .. 2^12.
const SIZES: std::ops::RangeInclusive<u32> = 2..=12;
/// Pairs of samples averaged per size.
const REPLICATES: usize = 64;
/// The separation run of the figure goes further than the check's.
const TARGET: f64 = 1e-3;
/// Its step budget.
const STEPS: usize = 4000;

fn draw(context: &Context) -> Result<String, ReportError> {
    let spread = normal_spread_upper();
    let mut normals = normal_rng(rng_for(context, SALT_NORMALS).random());
    let mut uniforms = rng_for(context, SALT_UNIFORM);
    let (mut w1, mut upper, mut lower, mut jsd) = (vec![], vec![], vec![], vec![]);
    for k in SIZES {
        let n = 1usize << k;
        let x = f64::from(k) * std::f64::consts::LOG10_2;
        let root = (n as f64).sqrt();
        w1.push((
            x,
            mean_sample_w1(&mut normals, LAW_P, LAW_P, n, REPLICATES)?,
        ));
        upper.push((x, std::f64::consts::SQRT_2 * spread / root));
        lower.push((x, same_law_lower(n) / root));
        let (xs, ys) = (
            uniform_sample(&mut uniforms, n),
            uniform_sample(&mut uniforms, n),
        );
        let (p, q, _) = empirical_pair(&xs, &ys)?;
        jsd.push((x, js(&p, &q)?));
    }
    let samples = Panel::new(
        "two samples of one law",
        "log10 n (draws per sample)",
        "nats; W1 in units of the law's scale (log scale)",
    )
    .with(Series::new("JSD(P_n || Q_n) = ln 2", jsd, Style::Line, 1))
    .with(Series::new(
        "W1(P_n, Q_n), mean of 64",
        w1,
        Style::Points,
        0,
    ))
    .with(Series::new(
        "sqrt 2 C / sqrt n (upper bound)",
        upper,
        Style::Dashed,
        0,
    ))
    .with(Series::new(
        "lambda_n / sqrt n (lower bound)",
        lower,
        Style::Dotted,
        0,
    ))
    .log_y()
    .legend_at(Corner::LowerLeft);

    let run = separation_run(rng_for(context, SALT_SEPARATION).random(), TARGET, STEPS)?;
    let series = |f: fn(&crate::experiments::samples::SeparationRecord) -> f64| {
        run.history
            .iter()
            .map(|r| (r.steps as f64, f(r)))
            .collect::<Vec<_>>()
    };
    let discriminator = Panel::new(
        "a discriminator on 8 + 8 draws of one law",
        "discriminator steps",
        "log scale",
    )
    .with(Series::new(
        "eps: distance to the perfect D",
        series(|r| r.epsilon),
        Style::Line,
        2,
    ))
    .with(Series::new(
        "|grad minimax loss|",
        series(|r| r.minimax),
        Style::Line,
        1,
    ))
    .with(Series::new(
        "bound M eps / (1 - eps)",
        series(|r| r.bound),
        Style::Dashed,
        1,
    ))
    .with(Series::new(
        "|grad non-saturating loss|",
        series(|r| r.non_saturating),
        Style::Line,
        0,
    ))
    .log_y()
    .legend_at(Corner::MiddleRight);
    render(figure().title, &[samples, discriminator], 1, 2).map_err(ReportError::Plot)
}
