//! Check of claim F1: finite samples never overlap.

use super::{Context, Measurement, rng_for};
use crate::continuous::{Normal, closed_form_rounding, w1_normals};
use crate::divergence::{js, kl, total_variation};
use crate::error::Result;
use crate::experiments::samples::{
    APART_REPLICATES, APART_SIZES, JSD_SIZES, LAW_P, LAW_Q, MAX_STEPS, POINTS, SALT_NORMALS,
    SALT_SEPARATION, SALT_UNIFORM, SAME_REPLICATES, SAME_SIZES, TARGET_EPSILON, empirical_pair,
    jsd_tie_probability, mean_sample_w1, normal_rng, normal_spread_upper, same_law_lower,
    separation_run, uniform_sample,
};
use crate::tol::{self, EPS};
use rand::RngExt;
use std::f64::consts::LN_2;

/// The Gaussian-concentration allowance `sqrt(2 L^2 ln(2 / delta))` for the
/// mean of `replicates` values of `W1(F_n, G_n)` between samples of
/// `N(., s_p^2)` and `N(., s_q^2)`, `L^2 = (s_p^2 + s_q^2) / (n R)` (proof F1,
/// step 3): the mean leaves `[E - t, E + t]` with probability at most
/// `delta`, and each one-sided end with at most `delta / 2`.
fn concentration(sd_p: f64, sd_q: f64, n: usize, replicates: usize) -> f64 {
    let lipschitz_sq = (sd_p * sd_p + sd_q * sd_q) / (n * replicates) as f64;
    (2.0 * lipschitz_sq * (2.0 / tol::FALSE_ALARM).ln()).sqrt()
}

/// Rounding allowance of a mean of sample W1 values of size about `scale`:
/// each W1 sums `n` gaps with at most 32 ulps of relative error (the line
/// solver's bound), and the mean adds `R` more.
fn w1_rounding(scale: f64, replicates: usize) -> f64 {
    (32.0 + replicates as f64) * EPS * scale
}

pub(crate) fn f1(context: &Context) -> Result<Vec<Measurement>> {
    let mut out = Vec::new();
    let mut rng = rng_for(context, SALT_UNIFORM);

    // 1. Disjoint supports for every n, even from one law.
    let tie = jsd_tie_probability();
    let (mut js_off, mut shared, mut kl_finite, mut tv_off) = (0.0f64, 0usize, 0usize, 0.0f64);
    for &n in &JSD_SIZES {
        let (xs, ys) = (uniform_sample(&mut rng, n), uniform_sample(&mut rng, n));
        let (p, q, common) = empirical_pair(&xs, &ys)?;
        shared += common;
        js_off = js_off.max((js(&p, &q)? - LN_2).abs());
        kl_finite += usize::from(kl(&p, &q)?.is_finite()) + usize::from(kl(&q, &p)?.is_finite());
        tv_off = tv_off.max((total_variation(&p, &q)? - 1.0).abs());
    }
    let sizes = "n = 1, 10, ..., 10^4";
    out.push(
        Measurement::within(
            format!("values shared by two samples of U[0, 1) ({sizes}, n each): none"),
            shared as f64,
            0.0,
            0.0,
        )
        .with_false_alarm(tie),
    );
    out.push(
        Measurement::within(
            format!("max |JSD(P_n || Q_n) - ln 2| over {sizes}, P = Q = U[0, 1) (JSD(P || Q) = 0)"),
            js_off,
            0.0,
            tol::IDENTITY_ABS,
        )
        .with_false_alarm(tie),
    );
    out.push(
        Measurement::within(
            format!("KL(P_n || Q_n), KL(Q_n || P_n) finite, count over {sizes} (KL = +inf)"),
            kl_finite as f64,
            0.0,
            0.0,
        )
        .with_false_alarm(tie),
    );
    out.push(
        Measurement::within(
            format!("max |TV(P_n, Q_n) - 1| over {sizes}"),
            tv_off,
            0.0,
            tol::IDENTITY_ABS,
        )
        .with_false_alarm(tie),
    );

    // 2. A discriminator separates the samples; the minimax gradient vanishes.
    let run = separation_run(
        rng_for(context, SALT_SEPARATION).random(),
        TARGET_EPSILON,
        MAX_STEPS,
    )?;
    let last = *run.history.last().expect("the run records step 0");
    out.push(Measurement::at_most(
        format!(
            "MLP D on {POINTS} + {POINTS} draws of U[0, 1)^15 (p_g = p_data): distance eps to the perfect D after {} steps (budget {MAX_STEPS})",
            last.steps
        ),
        last.epsilon,
        TARGET_EPSILON,
        0.0,
    ));
    out.push(Measurement::between(
        "the empirical game's value V(D, G) at that D, in [2 ln(1 - eps), 0] (its supremum -ln 4 + 2 JSD(P_n || Q_n) = 0)",
        last.value,
        0.0,
        2.0 * (-last.epsilon).ln_1p(),
        0.0,
    ));
    let worst_ratio = run
        .history
        .iter()
        .map(|r| r.minimax / r.bound)
        .fold(0.0f64, f64::max);
    out.push(Measurement::at_most(
        "max over the run of ||grad_theta E ln(1 - D(G(z)))|| / (M eps / (1 - eps)) (Arjovsky-Bottou Thm 2.4)",
        worst_ratio,
        1.0,
        tol::IDENTITY_REL,
    ));

    // 3. W1 of the samples converges to W1 of the laws at the n^(-1/2) rate.
    let (p, q) = (
        Normal::new(LAW_P.0, LAW_P.1)?,
        Normal::new(LAW_Q.0, LAW_Q.1)?,
    );
    let exact = w1_normals(&p, &q);
    let spread = normal_spread_upper();
    let mut normals = normal_rng(rng_for(context, SALT_NORMALS).random());
    for &n in &APART_SIZES {
        let mean = mean_sample_w1(&mut normals, LAW_P, LAW_Q, n, APART_REPLICATES)?;
        let bias = (LAW_P.1 + LAW_Q.1) * spread / (n as f64).sqrt();
        let slack = bias
            + concentration(LAW_P.1, LAW_Q.1, n, APART_REPLICATES)
            + w1_rounding(mean, APART_REPLICATES)
            + closed_form_rounding(exact);
        out.push(
            Measurement::between(
                format!(
                    "mean of {APART_REPLICATES} W1(P_n, Q_n), n = {n}, P = N(0, 1), Q = N(0.5, 4): within (s_p + s_q) C / sqrt n + concentration of W1(P, Q) = {exact:.6}"
                ),
                mean,
                exact,
                exact - slack,
                exact + slack,
            )
            .with_false_alarm(tol::FALSE_ALARM),
        );
    }
    for &n in &SAME_SIZES {
        let mean = mean_sample_w1(&mut normals, LAW_P, LAW_P, n, SAME_REPLICATES)?;
        let root = (n as f64).sqrt();
        let t = root * concentration(1.0, 1.0, n, SAME_REPLICATES);
        let (low, high) = (
            same_law_lower(n) - t,
            std::f64::consts::SQRT_2 * spread + t + w1_rounding(root * mean, SAME_REPLICATES),
        );
        out.push(
            Measurement::between(
                format!(
                    "sqrt n x mean of {SAME_REPLICATES} W1(P_n, Q_n), n = {n}, P = Q = N(0, 1) (W1(P, Q) = 0; the rate is exactly n^-1/2)"
                ),
                root * mean,
                2.0 / std::f64::consts::PI.sqrt() * spread,
                low,
                high,
            )
            .with_false_alarm(tol::FALSE_ALARM),
        );
    }
    Ok(out)
}
