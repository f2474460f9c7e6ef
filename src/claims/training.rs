//! Checks for claims A5-A9: convergence, Algorithm 1 on small MLPs, the
//! non-saturating loss, mode collapse and the size of a generator step.

use super::{Claim, Context, Measurement, random_distribution, rng_for};
use crate::error::Result;
use crate::game::{self, non_saturating_loss_grad, saturating_loss_grad};
use crate::measure::Discrete;
use crate::numeric::sigmoid;
use crate::tabular::{TabularDiscriminator, TabularGenerator};
use crate::tol::{self, EPS};
use crate::train::tabular_game::{
    C_OF_G_LOGIT_SMOOTHNESS, DiscriminatorPolicy, GeneratorLoss, collapse_bounds, descend_c_of_g,
    descent_bound, fannes_bound, linear_loss_smoothness, probe_generator_steps, sgd_stationary_gap,
    train_discriminator_sgd, train_generator,
};
use crate::{Discriminator, divergence};
use rand::RngExt;

/// Random segments for the convexity check of A5: enough to meet zeros,
/// disjoint supports and nearly equal pairs, in a few milliseconds.
const SEGMENTS: usize = 1000;

/// Generator steps of the D-optimal descent of A5 and of A8's runs: enough
/// for the derived O(1/T) bounds to be small (below 1e-3 in JSD, a few 1e-2
/// in the mass left off argmax D), in milliseconds.
const DESCENT_STEPS: usize = 20_000;

/// The training claims A5-A9.
pub(super) fn claims() -> Vec<Claim> {
    vec![
        Claim {
            id: "A5",
            statement: "C(G) is convex in p_g; with D optimal at every step, small gradient steps on G drive JSD to 0 and C(G) to -ln 4",
            proof: "proofs/A5-convergence.md",
            check: a5,
        },
        Claim {
            id: "A6",
            statement: "Algorithm 1: a discriminator trained by SGD on minibatches approaches D*",
            proof: "proofs/A6-algorithm1.md",
            check: a6,
        },
        Claim {
            id: "A7",
            statement: "As D(G(z)) -> 0 the saturating loss's gradient in the logit vanishes, the non-saturating one tends to -1; with D* fixed, grad E_pg[-ln D*] = grad [KL(p_g||p_data) - 2 JSD] and grad E_pg[ln(1 - D*)] = grad 2 JSD",
            proof: "proofs/A7-non-saturating.md",
            check: a7,
        },
        Claim {
            id: "A8",
            statement: "Against a fixed D the generator collapses onto argmax D (entropy -> 0); with D kept optimal it does not",
            proof: "proofs/A8-helvetica.md",
            check: a8,
        },
        Claim {
            id: "A9",
            statement: "A large G step can lower V against the old D* and still raise C(G); small steps lower C(G)",
            proof: "proofs/A9-step-size.md",
            check: a9,
        },
    ]
}

/// A distribution with every entry at least `floor / n` of the total: weights
/// uniform in `[floor, 1]`.
pub(crate) fn full_support<R: rand::Rng + ?Sized>(rng: &mut R, n: usize, floor: f64) -> Discrete {
    let w: Vec<f64> = (0..n)
        .map(|_| floor + (1.0 - floor) * rng.random::<f64>())
        .collect();
    Discrete::from_weights(&w).expect("positive finite weights")
}

fn a5(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, 5);
    let (mut worst_jensen, mut worst_midpoint) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for _ in 0..SEGMENTS {
        let n = rng.random_range(1..=12);
        let p_data = random_distribution(&mut rng, n);
        let (p0, p1) = (
            random_distribution(&mut rng, n),
            random_distribution(&mut rng, n),
        );
        let (c0, c1) = (game::c_of_g(&p_data, &p0)?, game::c_of_g(&p_data, &p1)?);
        let t: f64 = rng.random();
        let ct = game::c_of_g(&p_data, &p0.mix(&p1, t)?)?;
        worst_jensen = worst_jensen.max(ct - ((1.0 - t) * c0 + t * c1));
        let cm = game::c_of_g(&p_data, &p0.mix(&p1, 0.5)?)?;
        worst_midpoint = worst_midpoint.max(cm - 0.5 * (c0 + c1));
    }

    let p_data = full_support(&mut rng, 6, 0.1);
    let step = 1.0 / C_OF_G_LOGIT_SMOOTHNESS;
    let run = descend_c_of_g(&p_data, &TabularGenerator::uniform(6)?, step, DESCENT_STEPS)?;
    let ln4 = 4f64.ln();
    let excess0 = run.history.c_of_g[0] + ln4;
    let bound = descent_bound(excess0, step, DESCENT_STEPS, run.ratio_radius);
    let c_end = *run.history.c_of_g.last().expect("at least the start");
    let jsd_end = *run.history.jsd.last().expect("at least the start");
    Ok(vec![
        Measurement::at_most(
            format!(
                "max C(p_t) - [(1-t) C(p_0) + t C(p_1)] over {SEGMENTS} random segments (convexity; rounding allowance)"
            ),
            worst_jensen,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            "max C(midpoint) - mean of the end values, same segments",
            worst_midpoint,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_least(
            format!(
                "smallest decrease of C over {DESCENT_STEPS} D-optimal steps, step 1/L = {step:.4} (descent lemma: >= 0 up to rounding)"
            ),
            run.smallest_decrease,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            format!(
                "JSD(p_data || p_g) after {DESCENT_STEPS} steps from uniform, 6 points (bound: half the O(1/T) rate, R = {:.3}, C_0 + ln 4 = {excess0:.4})",
                run.ratio_radius
            ),
            jsd_end,
            bound / 2.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::within(
            "C(G) after the same run (expected -ln 4; tolerance: the O(1/T) rate bound)",
            c_end,
            -ln4,
            bound + tol::IDENTITY_ABS,
        ),
    ])
}

/// A6 (i): the tabular discriminator's setting.
pub(crate) fn a6_tabular_game() -> Result<(Discrete, Discrete)> {
    Ok((
        Discrete::new(vec![0.4, 0.3, 0.15, 0.1, 0.05])?,
        Discrete::new(vec![0.1, 0.2, 0.3, 0.2, 0.2])?,
    ))
}

/// SGD settings of A6 (i): step 1 and minibatches of 64; 2000 steps make the
/// start's share of the gap `(1 - step h_min)^{2T}`, below e^-160, negligible.
pub(crate) const A6_SGD_STEP: f64 = 1.0;
/// Minibatch size of A6 (i) (Algorithm 1's m).
pub(crate) const A6_SGD_BATCH: usize = 64;
/// SGD steps of A6 (i).
pub(crate) const A6_SGD_STEPS: usize = 2000;

/// The acceptance bound on the final gap `V(D*) - V(D_T)` of the tabular SGD
/// run: the stationary gap's upper `1 - FALSE_ALARM/2` point (scaled
/// chi-square with the predicted mean and variance) plus what is left of the
/// starting gap, `gap_0 (1 - step h_min)^{2T}`.
pub(crate) fn a6_gap_bound(p_data: &Discrete, p_g: &Discrete, gap0: f64) -> Result<(f64, f64)> {
    let predicted = sgd_stationary_gap(p_data, p_g, A6_SGD_STEP, A6_SGD_BATCH)?;
    let (_, high) = tol::variance_ratio_bounds(predicted.variance / predicted.mean.powi(2));
    let h_min = p_data
        .as_slice()
        .iter()
        .zip(p_g.as_slice())
        .map(|(a, b)| a * b / (a + b))
        .fold(f64::INFINITY, f64::min);
    let transient = gap0 * (1.0 - A6_SGD_STEP * h_min).powi(2 * A6_SGD_STEPS as i32);
    Ok((predicted.mean, high * predicted.mean + transient))
}

fn a6(context: &Context) -> Result<Vec<Measurement>> {
    let (p_data, p_g) = a6_tabular_game()?;
    let mut rng = rng_for(context, 6);
    let run = train_discriminator_sgd(
        &p_data,
        &p_g,
        &TabularDiscriminator::half(p_data.len())?,
        A6_SGD_STEP,
        A6_SGD_BATCH,
        A6_SGD_STEPS,
        &mut rng,
    )?;
    let gap0 = run.gap[0];
    let gap = *run.gap.last().expect("at least the start");
    let (mean, bound) = a6_gap_bound(&p_data, &p_g, gap0)?;
    Ok(vec![Measurement::at_most(
        format!(
            "V(D*) - V(D) after {A6_SGD_STEPS} SGD steps (step {A6_SGD_STEP}, m = {A6_SGD_BATCH}) from D = 1/2 (gap {gap0:.4}); predicted stationary mean {mean:.3e}, bound its 1 - 1e-6 point"
        ),
        gap,
        bound,
        0.0,
    )])
}

/// Finite-difference step for A7's gradient identities.
pub(crate) const A7_FD_STEP: f64 = 1e-5;

/// Tolerance of A7's central differences in G's logits.
///
/// Reason (A7 proof): along a logit the third derivative of
/// `KL(p_g || p_data) - 2 JSD` and of `2 JSD` is at most
/// `5 + ln 2 + ln(1/min p_data)`, about 11 for the distributions drawn
/// here (`min p_data >= 0.05/8`), so truncation is at most `11 h^2 / 6`,
/// 2e-10; the divergences are computed to about 50 `EPS` (sums of up to 16
/// terms of size below 6), which the difference quotient turns into
/// `50 EPS / h`, about 1.1e-9. 1e-8 leaves a factor 8.
pub(crate) const A7_FD_TOL: f64 = 1e-8;

/// Random full-support pairs for A7's gradient identities.
const A7_PAIRS: usize = 200;

/// Central difference of `f` in logit `j` of `g`.
pub(crate) fn logit_fd(
    g: &TabularGenerator,
    j: usize,
    f: impl Fn(&Discrete) -> Result<f64>,
) -> Result<f64> {
    let mut e = vec![0.0; g.len()];
    e[j] = 1.0;
    let plus = f(&g.moved(&e, A7_FD_STEP)?.distribution())?;
    let minus = f(&g.moved(&e, -A7_FD_STEP)?.distribution())?;
    Ok((plus - minus) / (2.0 * A7_FD_STEP))
}

/// The largest deviations `(non-saturating identity, saturating identity)`
/// between the analytic gradients against a fixed `D*` and central
/// differences of `KL - 2 JSD` and `2 JSD`, over all logits.
pub(crate) fn a7_identity_errors(p_data: &Discrete, p_g0: &Discrete) -> Result<(f64, f64)> {
    let g = TabularGenerator::from_distribution(p_g0)?;
    let d_star = game::optimal_discriminator(p_data, p_g0)?;
    let non_saturating = g.non_saturating_gradient(&d_star)?;
    let saturating = g.saturating_gradient(&d_star)?;
    let (mut worst_ns, mut worst_s) = (0.0f64, 0.0f64);
    for j in 0..g.len() {
        let kl_minus_2js = logit_fd(&g, j, |p| {
            Ok(divergence::kl(p, p_data)? - 2.0 * divergence::js(p, p_data)?)
        })?;
        let two_js = logit_fd(&g, j, |p| Ok(2.0 * divergence::js(p, p_data)?))?;
        worst_ns = worst_ns.max((non_saturating[j] - kl_minus_2js).abs());
        worst_s = worst_s.max((saturating[j] - two_js).abs());
    }
    Ok((worst_ns, worst_s))
}

fn a7(context: &Context) -> Result<Vec<Measurement>> {
    // D(G(z)) = sigma(l) for logits going to -inf: the saturating gradient
    // is -D (relative rounding 2 EPS), the non-saturating one -(1 - D),
    // computed as -sigma(-l) with an absolute rounding of EPS.
    let (mut worst_saturating, mut worst_non_saturating) = (0.0f64, f64::NEG_INFINITY);
    for l in [-5.0, -10.0, -20.0, -40.0, -80.0] {
        let d = sigmoid(l);
        worst_saturating = worst_saturating.max((saturating_loss_grad(l).abs() / d - 1.0).abs());
        worst_non_saturating =
            worst_non_saturating.max((non_saturating_loss_grad(l) + 1.0).abs() - d);
    }
    let mut rng = rng_for(context, 7);
    let (mut worst_ns, mut worst_s) = (0.0f64, 0.0f64);
    for _ in 0..A7_PAIRS {
        let n = rng.random_range(2..=8);
        let (p_data, p_g) = (
            full_support(&mut rng, n, 0.05),
            full_support(&mut rng, n, 0.05),
        );
        let (ns, s) = a7_identity_errors(&p_data, &p_g)?;
        worst_ns = worst_ns.max(ns);
        worst_s = worst_s.max(s);
    }
    Ok(vec![
        Measurement::at_most(
            "max | |d/dl ln(1 - D)| / D - 1 | over D = sigma(-5) .. sigma(-80): the saturating gradient is -D, vanishing with D (rounding 2 EPS)",
            worst_saturating,
            0.0,
            2.0 * EPS,
        ),
        Measurement::at_most(
            "max |d/dl (-ln D) + 1| - D, same logits: the non-saturating gradient is within D of -1 (rounding EPS)",
            worst_non_saturating,
            0.0,
            EPS,
        ),
        Measurement::at_most(
            format!(
                "max |grad E_pg[-ln D*] - FD grad (KL(p_g||p_data) - 2 JSD)| over {A7_PAIRS} pairs, all logits (FD tolerance)"
            ),
            worst_ns,
            0.0,
            A7_FD_TOL,
        ),
        Measurement::at_most(
            "max |grad E_pg[ln(1 - D*)] - FD grad 2 JSD|, same pairs",
            worst_s,
            0.0,
            A7_FD_TOL,
        ),
    ])
}

/// A8's game: a data distribution and a fixed discriminator whose favourite
/// point (index 2) is not the data's mode.
pub(crate) fn a8_game() -> Result<(Discrete, Discriminator)> {
    Ok((
        Discrete::new(vec![0.4, 0.3, 0.15, 0.1, 0.05])?,
        Discriminator::from_logits(vec![0.0, 1.0, 3.0, -1.0, 0.5])?,
    ))
}

fn a8(_: &Context) -> Result<Vec<Measurement>> {
    let (p_data, d) = a8_game()?;
    let n = p_data.len();
    let start = TabularGenerator::uniform(n)?;
    let mut out = Vec::new();
    for (loss, name) in [
        (GeneratorLoss::Saturating, "saturating"),
        (GeneratorLoss::NonSaturating, "non-saturating"),
    ] {
        let costs: Vec<f64> = (0..n)
            .map(|i| match loss {
                GeneratorLoss::Saturating => d.ln_one_minus_d(i),
                GeneratorLoss::NonSaturating => -d.ln_d(i),
            })
            .collect();
        let step = 1.0 / linear_loss_smoothness(&costs);
        let run = train_generator(
            &p_data,
            &start,
            &DiscriminatorPolicy::Fixed(d.clone()),
            loss,
            step,
            DESCENT_STEPS,
        )?;
        let h = &run.history;
        let best = costs.iter().copied().fold(f64::INFINITY, f64::min);
        let p_min = h.mass_on_argmax_d.iter().copied().fold(1.0, f64::min);
        let (leftover, entropy_bound) = collapse_bounds(
            &costs,
            step,
            DESCENT_STEPS,
            p_min,
            h.generator_loss[0] - best,
        );
        out.push(Measurement::at_most(
            format!("entropy of p_g after {DESCENT_STEPS} {name} steps against a fixed D (start ln 5 = 1.609; bound from the O(1/T) rate, mass left off argmax D <= {leftover:.2e})"),
            *h.entropy.last().expect("start recorded"),
            entropy_bound,
            0.0,
        ));
    }
    // D kept optimal: the A5 descent; its JSD bound keeps p_g near p_data,
    // and Fannes' inequality keeps the entropy near H(p_data).
    let step = 1.0 / C_OF_G_LOGIT_SMOOTHNESS;
    let run = descend_c_of_g(&p_data, &start, step, DESCENT_STEPS)?;
    let excess = descent_bound(
        run.history.c_of_g[0] + 4f64.ln(),
        step,
        DESCENT_STEPS,
        run.ratio_radius,
    );
    // TV^2 <= 2 JSD = C + ln 4 (A4's Pinsker-type bound).
    let tv = excess.sqrt();
    let fannes = fannes_bound(tv, n);
    let h_data = divergence::entropy(&p_data);
    out.push(Measurement::at_least(
        format!("entropy of p_g after {DESCENT_STEPS} steps with D = D* at every step (expected >= H(p_data) = {h_data:.4} minus Fannes' bound at TV <= {tv:.3})"),
        *run.history.entropy.last().expect("start recorded"),
        h_data - fannes,
        0.0,
    ));
    Ok(out)
}

/// A9's game: `p_data = (1/2, 1/2)`, `G0` with `p_g = (0.3, 0.7)`.
pub(crate) fn a9_game() -> Result<(Discrete, TabularGenerator)> {
    Ok((
        Discrete::new(vec![0.5, 0.5])?,
        TabularGenerator::from_distribution(&Discrete::new(vec![0.3, 0.7])?)?,
    ))
}

/// A9's large step size (in G's logits), far beyond `2 / L`.
pub(crate) const A9_LARGE_STEP: f64 = 30.0;

/// A9's small step sizes, all below `2 / C_OF_G_LOGIT_SMOOTHNESS = 0.267`.
pub(crate) const A9_SMALL_STEPS: [f64; 5] = [1e-3, 1e-2, 0.05, 0.1, 0.25];

fn a9(_: &Context) -> Result<Vec<Measurement>> {
    let (p_data, g0) = a9_game()?;
    let mut steps = vec![A9_LARGE_STEP];
    steps.extend(A9_SMALL_STEPS);
    let study = probe_generator_steps(&p_data, &g0, &steps)?;
    let envelope = study
        .gradient
        .iter()
        .zip(&study.c_gradient)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let large = study.probes[0];
    let grad_sq: f64 = study.gradient.iter().map(|x| x * x).sum();
    let l = C_OF_G_LOGIT_SMOOTHNESS;
    // Descent lemma: C(u - eta g) <= C(u) - eta (1 - L eta / 2) |g|^2.
    let worst_guarantee = study.probes[1..]
        .iter()
        .map(|p| (study.c_of_g0 - p.c_of_g) - p.step_size * (1.0 - l * p.step_size / 2.0) * grad_sq)
        .fold(f64::INFINITY, f64::min);
    let smallest_decrease = study.probes[1..]
        .iter()
        .map(|p| study.c_of_g0 - p.c_of_g)
        .fold(f64::INFINITY, f64::min);
    // Bisect for the step size at which C(G1) returns to C(G0).
    let (mut lo, mut hi) = (2.0 / l, A9_LARGE_STEP);
    let rise = |eta: f64| -> Result<f64> {
        Ok(probe_generator_steps(&p_data, &g0, &[eta])?.probes[0].c_of_g - study.c_of_g0)
    };
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if rise(mid)? < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(vec![
        Measurement::at_most(
            "max |grad_u V(D*_G0, G) - grad_u C(G)| at G0 (envelope theorem; rounding)",
            envelope,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_least(
            format!(
                "V(D*_G0, G0) - V(D*_G0, G1) for a step of {A9_LARGE_STEP} (the old D* sees an improvement)"
            ),
            study.c_of_g0 - large.value_against_old_d_star,
            tol::IDENTITY_ABS,
            0.0,
        ),
        Measurement::at_least(
            "C(G1) - C(G0) for the same step (the true criterion got worse); p_data = (1/2, 1/2), p_g0 = (0.3, 0.7)",
            large.c_of_g - study.c_of_g0,
            tol::IDENTITY_ABS,
            0.0,
        ),
        Measurement::at_least(
            "min over steps 1e-3 .. 0.25 (< 2/L) of C(G0) - C(G1)",
            smallest_decrease,
            tol::IDENTITY_ABS,
            0.0,
        ),
        Measurement::at_least(
            "min of [C(G0) - C(G1)] - eta (1 - L eta/2) |grad|^2 over the same steps (descent lemma with L = 7.5)",
            worst_guarantee,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_least(
            "step size at which C(G1) climbs back to C(G0) (bisection; the descent lemma says >= 2/L)",
            lo,
            2.0 / l,
            0.0,
        ),
    ])
}
