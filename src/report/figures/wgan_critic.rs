//! A trained WGAN critic's estimate against the exact W1 (claim D1), on D1's
//! settings and seed: the critic's objective `E_p f - E_q f` and the
//! certified lower bound `(E_p f - E_q f) / K_support` per training step, for
//! the gradient penalty and for weight clipping, against `W1(p, q)` from the
//! exact solver; then D1's WGAN run from a disjoint start, with the exact W1
//! over generator steps and the generator's gradient against the minimax
//! GAN's along the same run.

use crate::claims::Context;
use crate::experiments::wgan::{
    CLIP, LAMBDA, STANDARD_D_STEPS, START_SHIFT, d1_run_seeds, grid, line_case,
    minimax_gradient_norm, observed_wgan_from_disjoint_start, trained_critic,
    trained_standard_discriminator,
};
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Reference, Series, Style, render};
use crate::report::{Figure, ReportError};
use crate::train::wgan::{CriticRecord, Lipschitz, WganRecord, pushforward};

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "wgan-critic.svg",
        title: "The estimate of a trained WGAN critic against the exact W1",
        caption: "Top: D1's critics (32 tanh units, 300 Adam steps on minibatches of 64) between 64 draws of N(0, 1) and 64 of N(1.5, 0.5^2); legends give the values after the last step. The certified bound (E_p f - E_q f) / K_support rises to just below the exact W1 and never above it, while the penalised critic's raw objective overshoots W1 and the clipped critic's is W1 shrunk by its small Lipschitz constant K. Bottom: D1's WGAN (clipping) moving p_g from 10 away from p_data: the exact W1 falls at a steady rate (Adam's steps are about its rate long whatever the gradient's size) and the critic's gradient keeps its size (about 1 once divided by K), while the minimax GAN's generator gradient, against a discriminator trained for 1000 steps at the same generator, is about 1e-6 until p_g comes close to p_data; near p_data the nearly linear clipped critic sees little more than the difference of the means, its bound drops to about 0 and W1 stops falling.",
        claims: &[id::D1],
        draw,
    }
}

/// The minimax GAN's gradient is measured every this many WGAN iterations
/// (each measurement trains a standard discriminator for
/// [`STANDARD_D_STEPS`] steps).
const GRADIENT_EVERY: usize = 25;

/// Top of the critic panels, as a multiple of W1: room for the penalty's
/// raw objective, which overshoots W1 by about 10%.
const ESTIMATE_CEILING: f64 = 1.25;

/// The gradient panel's range: the minimax gradient starts near 1e-6 (D1
/// measures it there); the decades below leave the lower right to the legend.
const GRADIENT_FLOOR: f64 = 1e-9;
/// Above the normalised WGAN gradient, about 1.
const GRADIENT_CEILING: f64 = 10.0;

/// A WGAN history and the minimax GAN's `(iteration, ||grad||)` along it.
type GeneratorRun = (Vec<WganRecord>, Vec<(f64, f64)>);

/// D1's own WGAN run from the disjoint start, with the minimax GAN's
/// gradient measured at the same generators every [`GRADIENT_EVERY`]
/// iterations, against a standard discriminator trained as D1 trains it
/// at the start.
fn generator_run(seed: u64) -> Result<GeneratorRun, ReportError> {
    let (data, noise) = (grid()?, grid()?);
    let mut minimax = Vec::new();
    let run = observed_wgan_from_disjoint_start(seed, |k, run| {
        if k % GRADIENT_EVERY == 0 {
            let fake = pushforward(run.generator(), &noise)?;
            let d = trained_standard_discriminator(&data, &fake, seed)?;
            let norm = minimax_gradient_norm(run.generator(), &noise, &d)?;
            minimax.push((k as f64, norm));
        }
        Ok(())
    })?;
    Ok((run.history, minimax))
}

/// `(first + k, value(records[k]))`: a critic record is taken after its
/// step (the first after step 1), a WGAN record before the generator's step
/// (the first after 0 generator steps).
fn curve<R>(records: &[R], first: usize, value: impl Fn(&R) -> f64) -> Vec<(f64, f64)> {
    records
        .iter()
        .enumerate()
        .map(|(k, r)| ((first + k) as f64, value(r)))
        .collect()
}

fn draw(context: &Context) -> Result<String, ReportError> {
    // The first of the claim's runs.
    let seed = d1_run_seeds(context)[0];
    let (p, q) = line_case(seed)?;
    let penalised =
        trained_critic(&p, &q, Lipschitz::GradientPenalty { lambda: LAMBDA }, seed)?.history;
    let clipped = trained_critic(&p, &q, Lipschitz::Clipping { c: CLIP }, seed)?.history;
    let w1 = penalised[0].w1;
    let last = |h: &[CriticRecord]| *h.last().expect("CRITIC_STEPS > 0");
    let (gp_end, clip_end) = (last(&penalised), last(&clipped));
    let reference = || Reference::Horizontal {
        name: format!("exact W1 = {w1:.3}"),
        value: w1,
    };
    let penalty_panel = Panel::new(
        format!("gradient penalty, lambda = {LAMBDA}"),
        "critic step",
        "estimate of W1 (length units)",
    )
    .with(Series::new(
        format!("E_p f - E_q f = {:.3}", gp_end.objective),
        curve(&penalised, 1, |r| r.objective),
        Style::Dotted,
        0,
    ))
    .with(Series::new(
        format!(
            "(E_p f - E_q f) / K = {:.3} (K = {:.3})",
            gp_end.certified, gp_end.lipschitz
        ),
        curve(&penalised, 1, |r| r.certified),
        Style::Line,
        0,
    ))
    .reference(reference())
    .y_range(0.0, ESTIMATE_CEILING * w1)
    .legend_at(Corner::LowerRight);
    let clipping_panel = Panel::new(
        format!("weight clipping, c = {CLIP}"),
        "critic step",
        "estimate of W1 (length units)",
    )
    .with(Series::new(
        format!("E_p f - E_q f = {:.3}", clip_end.objective),
        curve(&clipped, 1, |r| r.objective),
        Style::Dotted,
        1,
    ))
    .with(Series::new(
        format!(
            "(E_p f - E_q f) / K = {:.3} (K = {:.3})",
            clip_end.certified, clip_end.lipschitz
        ),
        curve(&clipped, 1, |r| r.certified),
        Style::Line,
        1,
    ))
    .reference(reference())
    .y_range(0.0, ESTIMATE_CEILING * w1)
    .legend_at(Corner::MiddleRight);

    let (history, minimax) = generator_run(seed)?;
    let end = history.last().expect("WGAN_ITERATIONS > 0");
    let w1_panel = Panel::new(
        format!("WGAN (clipping), p_g starting {START_SHIFT} away"),
        "generator steps taken",
        "W1(p_data, p_g) (length units)",
    )
    .with(Series::new(
        format!("exact W1: {:.2} to {:.3}", history[0].w1, end.w1),
        curve(&history, 0, |r| r.w1),
        Style::Line,
        5,
    ))
    .with(Series::new(
        "critic's certified bound",
        curve(&history, 0, |r| r.certified),
        Style::Dotted,
        1,
    ))
    .legend_at(Corner::UpperRight);
    let gradient_panel = Panel::new(
        "generator's gradient along the same run",
        "generator steps taken",
        "||grad of G's loss|| (log scale)",
    )
    .log_y()
    .y_range(GRADIENT_FLOOR, GRADIENT_CEILING)
    .with(Series::new(
        "WGAN: ||grad E f(G(z))|| / K",
        curve(&history, 0, |r| r.generator_grad_norm / r.lipschitz),
        Style::Line,
        1,
    ))
    .with(Series::new(
        format!("minimax GAN, D trained {STANDARD_D_STEPS} steps at each point"),
        minimax,
        Style::Line,
        3,
    ))
    .legend_at(Corner::LowerRight);
    render(
        figure().title,
        &[penalty_panel, clipping_panel, w1_panel, gradient_panel],
        2,
        2,
    )
    .map_err(ReportError::Plot)
}
