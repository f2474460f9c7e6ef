//! Check of claim F2: low-dimensional supports.

use super::transport::solver_tolerance;
use super::{Context, Measurement};
use crate::divergence::{js, kl, total_variation};
use crate::error::Result;
use crate::experiments::segments::{
    Config, binned, closed_form_discrete_w1, closed_form_w1, crossing_shared_mass, discrete_w1,
    midpoints,
};
use crate::tol::{self, EPS};
use std::f64::consts::{FRAC_PI_2, LN_2, PI, SQRT_2};

/// Points per segment of the discretisations the exact solver compares.
pub(crate) const K: usize = 32;

/// Cell sides of the binned divergences: 1/16, 1/64, 1/256.
pub(crate) const CELLS: [f64; 3] = [1.0 / 16.0, 1.0 / 64.0, 1.0 / 256.0];

/// Configurations with a closed form of W1 (proof F2, steps 3-4): every
/// angle up to pi/2 at several pivots, the end pivot up to pi, the centre
/// pivot beyond pi/2, and shifts along the line.
fn closed_form_configs() -> Vec<Config> {
    let mut out = Vec::new();
    for phi in [PI / 12.0, PI / 4.0, FRAC_PI_2] {
        for a in [-0.5, -0.3, 0.0, 0.2, 0.5] {
            out.push(Config::Rotated { phi, a });
        }
    }
    for phi in [3.0 * PI / 4.0, PI] {
        out.push(Config::Rotated { phi, a: 0.5 });
    }
    for phi in [2.0 * PI / 3.0, 5.0 * PI / 6.0] {
        out.push(Config::Rotated { phi, a: 0.0 });
    }
    for delta in [0.25, 0.5, 1.5] {
        out.push(Config::Shifted { delta });
    }
    out
}

/// A path through the configurations, crossing every region (closed form
/// or not): the angle from 0 to pi at the pivot 0.3, then the pivot from
/// 0.3 down to -1/2 at the angle pi.
fn continuity_path() -> Vec<Config> {
    let mut out: Vec<Config> = (0..=12)
        .map(|i| Config::Rotated {
            phi: PI * f64::from(i) / 12.0,
            a: 0.3,
        })
        .collect();
    out.extend((1..=8).map(|i| Config::Rotated {
        phi: PI,
        a: 0.3 - 0.1 * f64::from(i),
    }));
    out
}

/// `mean_k |y_k(c1) - y_k(c2)|`: the cost of moving each point of
/// `Q_K(c1)` to the point of `Q_K(c2)` with the same parameter, an upper
/// bound on `W1(Q_K(c1), Q_K(c2))`, hence on `|W1(P_K, Q_K(c1)) - W1(P_K, Q_K(c2))|`.
fn pointwise_move(c1: Config, c2: Config, k: usize) -> f64 {
    midpoints(k)
        .iter()
        .map(|&t| {
            let (y1, y2) = (c1.q_point(t), c2.q_point(t));
            (y1[0] - y2[0]).hypot(y1[1] - y2[1])
        })
        .sum::<f64>()
        / k as f64
}

pub(crate) fn f2(_: &Context) -> Result<Vec<Measurement>> {
    let mut out = Vec::new();
    // The cost of any plan between the discretisations is at most sqrt 5
    // (the farthest two points of the configurations), so the solver's
    // rounding is below `solver_tolerance(2K, sqrt 5)`; a closed form's own
    // rounding (a sine and a mean of K terms) is a few ulps of 1.
    let rounding = solver_tolerance(2 * K, 5f64.sqrt()) + 64.0 * EPS;
    // Proof F2, step 5: W1(P, P_K) = W1(Q, Q_K) = 1/(4K).
    let discretisation = 0.5 / K as f64;

    let (mut discrete_off, mut continuous_off) = (0.0f64, 0.0f64);
    let configs = closed_form_configs();
    for &config in &configs {
        let w = discrete_w1(config, K)?;
        let exact_k = closed_form_discrete_w1(config, K).expect("a closed-form configuration");
        let exact = closed_form_w1(config).expect("a closed-form configuration");
        discrete_off = discrete_off.max((w - exact_k).abs());
        continuous_off = continuous_off.max((w - exact).abs());
    }
    out.push(Measurement::within(
        format!(
            "max |W1(P_K, Q_K) - closed form on the discretisations| over {} configurations, K = {K} (exact solver)",
            configs.len()
        ),
        discrete_off,
        0.0,
        rounding,
    ));
    out.push(Measurement::within(
        "max |W1(P_K, Q_K) - W1(P, Q)| over the same configurations (W1(P, Q) in closed form: 2 sin(phi/2) (1/4 + a^2), ...), at most W1(P, P_K) + W1(Q, Q_K) = 1/(2K)",
        continuous_off,
        0.0,
        discretisation + rounding,
    ));

    // Beyond the closed forms: the pivot off the centre and the angle past pi/2.
    let (mut below, mut above) = (f64::INFINITY, f64::INFINITY);
    let mut count = 0;
    for phi in [2.0 * PI / 3.0, 5.0 * PI / 6.0, PI] {
        for a in [-0.3, 0.1, 0.3] {
            let config = Config::Rotated { phi, a };
            let w = discrete_w1(config, K)?;
            let s = (0.5 * phi).sin();
            // Lower: the linear critic along the means' difference, |m_P - m_Q| = 2 |a| sin(phi/2).
            // Upper: the rotation plan, 2 sin(phi/2) (1/4 + a^2).
            let (low, high) = (2.0 * a.abs() * s, 2.0 * s * (0.25 + a * a));
            below = below.min(w - (low - discretisation));
            above = above.min((high + discretisation) - w);
            count += 1;
        }
    }
    out.push(Measurement::at_least(
        format!(
            "min over {count} configurations without a closed form (phi > pi/2, pivot off the centre) of W1(P_K, Q_K) - (|m_P - m_Q| - 1/(2K))"
        ),
        below,
        0.0,
        rounding,
    ));
    out.push(Measurement::at_least(
        "min over the same configurations of (rotation plan's cost 2 sin(phi/2)(1/4 + a^2) + 1/(2K)) - W1(P_K, Q_K)",
        above,
        0.0,
        rounding,
    ));

    // Continuity: along a path through every region, each step of W1 is at
    // most the cost of moving Q's points.
    let path = continuity_path();
    let values: Vec<f64> = path
        .iter()
        .map(|&c| discrete_w1(c, K))
        .collect::<Result<_>>()?;
    let mut worst = 0.0f64;
    for (i, pair) in path.windows(2).enumerate() {
        let step = (values[i + 1] - values[i]).abs() - pointwise_move(pair[0], pair[1], K);
        worst = worst.max(step);
    }
    out.push(Measurement::at_most(
        format!(
            "max over {} steps of a path in (phi, a) of |W1 step| - mean displacement of Q's points (W1 is 1-Lipschitz in Q: continuous in the angle and the offset)",
            path.len() - 1
        ),
        worst,
        0.0,
        2.0 * rounding,
    ));

    // JSD, KL, TV of the continuous laws, binned on finer and finer cells.
    let (mut js_gap, mut js_excess, mut kl_finite, mut tv_gap) =
        (f64::INFINITY, f64::NEG_INFINITY, 0usize, f64::INFINITY);
    let mut crossings = 0;
    for phi in [PI / 12.0, PI / 4.0, FRAC_PI_2, 5.0 * PI / 6.0] {
        for a in [0.0, 0.3, 0.5] {
            for &h in &CELLS {
                let (p, q) = binned(Config::Rotated { phi, a }, h)?;
                let shared = crossing_shared_mass(phi, h);
                let j = js(&p, &q)?;
                // Proof F2, step 6: ln 2 - LN_2 shared <= JSD_h <= ln 2.
                js_gap = js_gap.min(j - (LN_2 - LN_2 * shared));
                js_excess = js_excess.max(j - LN_2);
                kl_finite +=
                    usize::from(kl(&p, &q)?.is_finite()) + usize::from(kl(&q, &p)?.is_finite());
                tv_gap = tv_gap.min(total_variation(&p, &q)? - (1.0 - shared));
                crossings += 1;
            }
        }
    }
    out.push(Measurement::at_least(
        format!(
            "crossing segments, {crossings} (phi, a, h) with cells h = 1/16 .. 1/256: min of JSD_h - (ln 2 - 2 sqrt 2 ln 2 h / sin phi) (JSD = ln 2)"
        ),
        js_gap,
        0.0,
        tol::IDENTITY_ABS,
    ));
    out.push(Measurement::at_most(
        "the same: max of JSD_h - ln 2 (binning never raises JSD)",
        js_excess,
        0.0,
        tol::IDENTITY_ABS,
    ));
    out.push(Measurement::within(
        "the same: binned KL(P || Q), KL(Q || P) finite, count (KL = +inf)",
        kl_finite as f64,
        0.0,
        0.0,
    ));
    out.push(Measurement::at_least(
        "the same: min of TV_h - (1 - 2 sqrt 2 h / sin phi) (TV = 1)",
        tv_gap,
        0.0,
        tol::IDENTITY_ABS,
    ));

    // The aligned case: the same line, overlapping; JSD = |delta| ln 2 < ln 2.
    let mut aligned_off = 0.0f64;
    for delta in [0.25, 0.5] {
        for &h in &CELLS {
            let (p, q) = binned(Config::Shifted { delta }, h)?;
            let exact = delta * LN_2;
            // Proof F2, step 7: 0 <= JSD - JSD_h <= 4 sqrt 2 ln 2 h.
            let j = js(&p, &q)?;
            let allowance = 4.0 * SQRT_2 * LN_2 * h;
            aligned_off = aligned_off.max((j - (exact - 0.5 * allowance)).abs() - 0.5 * allowance);
        }
    }
    out.push(Measurement::at_most(
        "aligned segments (Q = P + (delta, 0), delta = 1/4, 1/2): max over h of the distance of JSD_h from [|delta| ln 2 - 4 sqrt 2 ln 2 h, |delta| ln 2] (JSD < ln 2: the supports overlap)",
        aligned_off,
        0.0,
        tol::IDENTITY_ABS,
    ));
    let (p, q) = binned(Config::Rotated { phi: 0.0, a: 0.3 }, CELLS[0])?;
    out.push(Measurement::within(
        "phi = 0 (Q = P): JSD_h = 0; any phi > 0 gives ln 2 (JSD jumps where W1 is continuous)",
        js(&p, &q)?,
        0.0,
        tol::IDENTITY_ABS,
    ));
    Ok(out)
}
