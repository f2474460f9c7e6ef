//! Check for claim D1: a trained MLP critic (clipping; gradient penalty)
//! certifies a lower bound on W1 close to the exact value, on a 1-D sample
//! case and a discrete case in the plane; a WGAN generator moves from a
//! disjoint start, where the minimax GAN's generator gradient vanishes.

use super::{Context, Measurement};
use crate::error::Result;
use crate::tol::EPS;
use crate::train::wgan::Lipschitz;
// The experiments live in `experiments::wgan`, where the report's figure
// reads them too.
use crate::experiments::wgan::{
    CLIP, CRITIC_STEPS, LAMBDA, STANDARD_D_STEPS, START_SHIFT, WGAN_ITERATIONS, discrete_case,
    gradients_at_disjoint_start, line_case, trained_critic, wgan_from_disjoint_start,
};

/// Shortfall allowed below W1, as a fraction of W1, for each critic: the
/// optimisation budget (300 steps) and the certificate's division by the
/// steepest slope between support points (which exceeds the mean slope the
/// penalty controls) leave the certified bound below W1. Fitted, not
/// derived: chosen from the spread of certified / W1 over the seeds 1..40
/// of this check, with a margin for other seeds; never widened to make a
/// seed pass. In brackets the (worst, median, best) over seeds 1..40, then
/// over seeds 1..600 (rerun in review): one seed of the 600, 514, falls
/// below its tolerance (gradient penalty in the plane, 0.791), a false-alarm
/// rate of about 1 in 600 for the whole check.
///
/// Gradient penalty, 1-D samples (0.835, 0.928, 0.973; 0.835, 0.928,
/// 0.979): 0.20.
pub const GP_LINE_SHORTFALL: f64 = 0.20;
/// Clipping, 1-D samples (0.979, 0.998, 0.999; 0.953, 0.998, 0.999): 0.05. Clipping at 0.05
/// keeps the critic nearly linear, and the optimal critic between these two
/// normals is linear but for the far right tail.
pub const CLIP_LINE_SHORTFALL: f64 = 0.05;
/// Gradient penalty, discrete case in the plane (0.841, 0.950, 0.980;
/// 0.791 at seed 514, 0.951, 0.994): 0.20.
pub const GP_DISCRETE_SHORTFALL: f64 = 0.20;
/// Clipping, discrete case in the plane (0.617, 0.920, 0.964; 0.605, 0.922,
/// 0.981): 0.45. The
/// nearly linear clipped critic cannot bend to the piecewise-linear optimal
/// potential of scattered points: the capacity limit of clipping that
/// Gulrajani et al. (2017, Section 3) describe.
pub const CLIP_DISCRETE_SHORTFALL: f64 = 0.45;

/// Rounding allowed above W1 for a certified bound: the exact W1 and the two
/// compensated expectations each carry a few ulps of their largest term; 64
/// ulps of (W1 + the largest |f| on the support) covers them with room.
fn rounding_allowance(w1: f64, largest_value: f64) -> f64 {
    64.0 * EPS * (w1 + largest_value)
}

/// Exact W1 at the end must be at most this fraction of W1 at the start (10):
/// "substantially". Over seeds 1..40 the end value was 0.001 to 0.19 of the
/// start (median 0.06; over seeds 1..600, 0.001 to 0.235 at seed 508, median
/// 0.066): the generator oscillates around the data with steps of about its
/// rate. This alone does not set WGAN apart: Adam's steps do not shrink with
/// the gradient, and the minimax generator trained with the same Adam from
/// the same start also ends near 0.1 of the start (measured in review); the
/// contrast is in the gradients' sizes, checked below.
pub const W1_END_FRACTION: f64 = 0.25;

/// The minimax generator gradient's norm against that discriminator must be
/// below this: over seeds 1..40 it was 4.2e-7 to 2.2e-6 after 1000 Adam
/// steps (the logits on the generated points reach about -11, and
/// sigma(-11) = 1.7e-5 multiplies a saturated tanh layer's small slope;
/// over seeds 1..600, 3.2e-7 to 2.4e-6), against a normalised WGAN gradient
/// of about 0.8. It fails unless D is trained: against the same
/// discriminator untrained the norm is 3e-3 to 6e-3, after 10 steps about
/// 1.2e-3, after 100 steps 7e-6 to 1.2e-5 (seeds 1, 7, 2014).
pub const VANISHED_GRADIENT: f64 = 1e-5;

/// Accepted distance of the normalised WGAN generator gradient from 1: the
/// clipped critic is close to linear on [-1, 11] but its tanh units bend a
/// little, so its slope on p_g's support differs from its steepest slope
/// K_support between support points. The measured 0.822 is the same for
/// every seed 1..600: 300 steps at rate 0.01 drive 96 of the 97 parameters
/// to +-c (only the output bias is free), with sign patterns that differ
/// from seed to seed but the same slope on these points.
pub const WGAN_GRADIENT_TOLERANCE: f64 = 0.25;

pub(crate) fn d1(context: &Context) -> Result<Vec<Measurement>> {
    let seed = context.seed;
    let mut out = Vec::new();
    let cases = [
        ("1-D samples", line_case(seed)?),
        ("discrete in the plane", discrete_case(seed)?),
    ];
    for (name, (p, q)) in &cases {
        for (method, lipschitz, shortfall) in [
            (
                "gradient penalty",
                Lipschitz::GradientPenalty { lambda: LAMBDA },
                if p.dim() == 1 {
                    GP_LINE_SHORTFALL
                } else {
                    GP_DISCRETE_SHORTFALL
                },
            ),
            (
                "clipping",
                Lipschitz::Clipping { c: CLIP },
                if p.dim() == 1 {
                    CLIP_LINE_SHORTFALL
                } else {
                    CLIP_DISCRETE_SHORTFALL
                },
            ),
        ] {
            let trained = trained_critic(p, q, lipschitz, seed)?;
            let (e, largest) = (trained.estimate, trained.largest_value);
            out.push(Measurement::at_most(
                format!(
                    "{name}, {method}: certified (E_p f - E_q f) / K_support, at most the exact W1 = {:.6} (rounding allowance)",
                    e.w1
                ),
                e.certified,
                e.w1,
                rounding_allowance(e.w1, largest),
            ));
            out.push(Measurement::at_least(
                format!(
                    "{name}, {method}: certified / W1 after {CRITIC_STEPS} steps (optimisation budget)"
                ),
                e.certified / e.w1,
                1.0,
                shortfall,
            ));
            out.push(Measurement::at_most(
                format!("{name}, {method}: (E_p f - E_q f) / global Lipschitz bound, at most W1"),
                e.globally_certified,
                e.w1,
                rounding_allowance(e.w1, largest),
            ));
        }
    }

    let run = wgan_from_disjoint_start(seed)?;
    let (history, start, end) = (run.history, run.start_w1, run.end_w1);
    let worst_excess = history
        .iter()
        .map(|r| r.certified - r.w1)
        .fold(f64::NEG_INFINITY, f64::max);
    out.push(Measurement::at_most(
        format!(
            "WGAN (clipping) from p_g = p_data + {START_SHIFT}: exact W1 after {WGAN_ITERATIONS} iterations / W1 at the start"
        ),
        end / start,
        W1_END_FRACTION,
        0.0,
    ));
    out.push(Measurement::at_most(
        "WGAN run: max over iterations of certified critic estimate - exact W1 (rounding allowance)",
        worst_excess,
        0.0,
        rounding_allowance(start, start),
    ));
    let gradients = gradients_at_disjoint_start(seed)?;
    let (minimax, bound, wasserstein) = (gradients.minimax, gradients.bound, gradients.wasserstein);
    out.push(Measurement::at_most(
        format!(
            "||grad_theta E ln(1 - D(G(z)))|| at the disjoint start, D trained {STANDARD_D_STEPS} steps (vanishes)"
        ),
        minimax,
        VANISHED_GRADIENT,
        0.0,
    ));
    out.push(Measurement::at_most(
        "the same gradient against Arjovsky-Bottou Thm 2.4's bound M eps / (1 - eps)",
        minimax,
        bound,
        0.0,
    ));
    out.push(Measurement::within(
        "||grad_theta E f(G(z))|| / K_support against a clipped critic at the same start; |dW1/db| = 1 (the W1 gradient does not vanish)",
        wasserstein,
        1.0,
        WGAN_GRADIENT_TOLERANCE,
    ));
    Ok(out)
}
