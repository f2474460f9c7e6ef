//! Checks for claims A1-A4: the value function, the pointwise lemma,
//! Proposition 1 and Theorem 1.

use super::{Context, Measurement, random_distribution, rng_for};
use crate::error::Result;
use crate::experiments::game::{A1_BATCH_SIZES, A1_REPLICATES, a1_game};
use crate::game::{
    c_of_g, d_star, optimal_discriminator, pointwise_argmax, pointwise_objective, sample_value,
    value, value_term_variance,
};
use crate::tol;
use crate::{Discrete, Discriminator, divergence};
use rand::RngExt;

/// Random instances per universal check: enough to hit zeros, disjoint
/// supports and near-equal pairs, while the whole check stays in milliseconds.
const INSTANCES: usize = 1000;

pub(crate) fn a1(context: &Context) -> Result<Vec<Measurement>> {
    let (p_data, p_g, d) = a1_game()?;
    let exact = value(&p_data, &p_g, &d)?;
    let sigma2 = value_term_variance(&p_data, &p_g, &d)?;
    let fourth_cumulant = |p: &Discrete, f: &dyn Fn(usize) -> f64| {
        let mean = p.expect(f);
        let m2 = p.expect(|i| (f(i) - mean).powi(2));
        p.expect(|i| (f(i) - mean).powi(4)) - 3.0 * m2 * m2
    };
    let k4 =
        fourth_cumulant(&p_data, &|i| d.ln_d(i)) + fourth_cumulant(&p_g, &|i| d.ln_one_minus_d(i));
    // Each estimate is the mean of m terms Y = ln D(x) + ln(1 - D(z)), x ~
    // p_data, z ~ p_g independent, so the mean of the replicates is the mean
    // of m R independent Y's, each within spread_bound of the mean V.
    let support_range = |p: &Discrete, f: &dyn Fn(usize) -> f64| {
        p.support()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
                (lo.min(y), hi.max(y))
            })
    };
    let (real_low, real_high) = support_range(&p_data, &|i| d.ln_d(i));
    let (fake_low, fake_high) = support_range(&p_g, &|i| d.ln_one_minus_d(i));
    let spread_bound = (real_high + fake_high - exact).max(exact - real_low - fake_low);
    let mut rng = rng_for(context, 1);
    let mut out = Vec::new();
    let r = A1_REPLICATES as f64;
    for m in A1_BATCH_SIZES {
        let mf = m as f64;
        let estimates = (0..A1_REPLICATES)
            .map(|_| sample_value(&p_data, &p_g, &d, m, &mut rng).map(|e| e.value))
            .collect::<Result<Vec<f64>>>()?;
        let mean = estimates.iter().sum::<f64>() / r;
        let n = mf * r;
        let sd = (sigma2 / n).sqrt();
        let allowance = bernstein_allowance(n, sigma2, spread_bound, tol::FALSE_ALARM);
        out.push(Measurement::within(
            format!("mean of {A1_REPLICATES} minibatch estimates, m = {m} (expected: exact V; tolerance: Bernstein's bound for {n} bounded terms at false alarm 1e-6, {:.2} sd)", allowance / sd),
            mean,
            exact,
            allowance,
        ).with_false_alarm(tol::FALSE_ALARM));
        // Empirical variance times m / sigma^2 should be 1: the standard error is
        // sigma / sqrt(m). Its spread: Var = 2/(R-1) + excess kurtosis / R, judged
        // against the central 1 - 1e-6 of the matching scaled chi-square.
        let spread = estimates.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (r - 1.0);
        let sigma2_m = sigma2 / mf;
        let excess_kurtosis = k4 / (mf.powi(3) * sigma2_m * sigma2_m);
        let (low, high) = tol::variance_ratio_bounds(2.0 / (r - 1.0) + excess_kurtosis / r);
        let ratio = spread / sigma2_m;
        let quantity = format!(
            "replicate variance x m / sigma^2, m = {m} (1 iff the standard error is sigma/sqrt(m); accepted in [{low:.3}, {high:.3}], false alarm 1e-6)"
        );
        out.push(
            Measurement::between(quantity, ratio, 1.0, low, high)
                .with_false_alarm(tol::FALSE_ALARM),
        );
    }
    Ok(out)
}

/// The half-width `t` at which Bernstein's inequality bounds the chance that
/// the mean of `n` independent terms with variance `variance`, each within
/// `spread` of their mean, misses the mean by `t` or more:
/// `2 exp(-n t^2 / (2 variance + 2 spread t / 3)) = false_alarm`, solved for
/// `t` (A1 proof, step 5b). A bound, not an approximation: it holds for
/// every sample size.
pub(crate) fn bernstein_allowance(n: f64, variance: f64, spread: f64, false_alarm: f64) -> f64 {
    let l = (2.0 / false_alarm).ln();
    let linear = 2.0 * spread * l / 3.0;
    (linear + (linear * linear + 8.0 * n * l * variance).sqrt()) / (2.0 * n)
}

pub(crate) fn a2(_: &Context) -> Result<Vec<Measurement>> {
    // Maximise on a grid of 10^4 + 1 points and compare with a/(a+b).
    const GRID: usize = 10_000;
    let mut worst_offset = 0.0f64;
    let mut worst_excess = f64::NEG_INFINITY;
    for (a, b) in [
        (1.0, 1.0),
        (1.0, 3.0),
        (0.2, 0.05),
        (0.0, 1.0),
        (2.0, 0.0),
        (1e-3, 0.7),
    ] {
        let best = pointwise_argmax(a, b)?;
        let f_best = pointwise_objective(a, b, best);
        let (mut arg, mut top) = (0.0, f64::NEG_INFINITY);
        for k in 0..=GRID {
            let y = k as f64 / GRID as f64;
            let f = pointwise_objective(a, b, y);
            if f > top {
                (arg, top) = (y, f);
            }
        }
        worst_offset = worst_offset.max((arg - best).abs());
        worst_excess = worst_excess.max(top - f_best);
    }
    Ok(vec![
        Measurement::at_most(
            "max |grid argmax - a/(a+b)| over 6 (a, b) pairs (tolerance: half a grid step)",
            worst_offset,
            0.0,
            0.5 / GRID as f64,
        ),
        Measurement::at_most(
            "max (best grid value - f(a/(a+b))) (never above 0, up to rounding)",
            worst_excess,
            0.0,
            tol::IDENTITY_ABS,
        ),
    ])
}

pub(crate) fn a3(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, 3);
    let mut worst_gain = f64::NEG_INFINITY;
    let mut worst_half = 0.0f64;
    for _ in 0..INSTANCES {
        let n = rng.random_range(1..=12);
        let (p_data, p_g) = (
            random_distribution(&mut rng, n),
            random_distribution(&mut rng, n),
        );
        let v_star = value(&p_data, &p_g, &optimal_discriminator(&p_data, &p_g)?)?;
        let other =
            Discriminator::from_probabilities((0..n).map(|_| rng.random::<f64>()).collect())?;
        worst_gain = worst_gain.max(value(&p_data, &p_g, &other)? - v_star);
        for d in d_star(&p_data, &p_data)?.into_iter().flatten() {
            worst_half = worst_half.max((d - 0.5).abs());
        }
    }
    Ok(vec![
        Measurement::at_most(
            format!("max V(D) - V(D*) over {INSTANCES} random (p_data, p_g, D)"),
            worst_gain,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::within("max |D* - 1/2| where p_g = p_data", worst_half, 0.0, 0.0),
    ])
}

pub(crate) fn a4(context: &Context) -> Result<Vec<Measurement>> {
    let p_data = Discrete::new(vec![0.5, 0.5, 0.0])?;
    let p_g = Discrete::new(vec![0.0, 0.5, 0.5])?;
    let worked = c_of_g(&p_data, &p_g)?;
    let mut rng = rng_for(context, 4);
    let (mut worst_identity, mut worst_floor, mut worst_pinsker) = (0.0f64, 0.0f64, f64::INFINITY);
    for _ in 0..INSTANCES {
        let n = rng.random_range(1..=12);
        let (p, q) = (
            random_distribution(&mut rng, n),
            random_distribution(&mut rng, n),
        );
        let c = c_of_g(&p, &q)?;
        let jsd = divergence::js(&p, &q)?;
        worst_identity = worst_identity.max((c - (-(4f64.ln()) + 2.0 * jsd)).abs());
        worst_floor = worst_floor.max((c_of_g(&p, &p)? + 4f64.ln()).abs());
        let tv = divergence::total_variation(&p, &q)?;
        worst_pinsker = worst_pinsker.min(c + 4f64.ln() - tv * tv);
    }
    Ok(vec![
        Measurement::within(
            "C(G) for p_data = (1/2, 1/2, 0), p_g = (0, 1/2, 1/2) (expected -ln 2)",
            worked,
            -std::f64::consts::LN_2,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            format!("max |C(G) - (-ln 4 + 2 JSD)| over {INSTANCES} random pairs"),
            worst_identity,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            "max |C(G) + ln 4| when p_g = p_data",
            worst_floor,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_least(
            "min (C(G) + ln 4 - TV^2): C(G) > -ln 4 whenever p_g != p_data",
            worst_pinsker,
            0.0,
            tol::IDENTITY_ABS,
        ),
    ])
}
