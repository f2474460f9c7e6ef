//! Claim F4: the generator's exact best responses to `D*` cycle; damped ones
//! cycle too unless the damping vanishes; gradient steps converge up to the
//! largest stable step and fall onto a 2-cycle above it.

use super::{Context, Measurement, rng_for};
use crate::error::Result;
use crate::experiments::best_response::{
    BOUNDARY_STEPS, CONVERGING_STEPS, CYCLING_STEPS, DAMPING, HALF_BOUNDARY, HALF_START,
    HALF_STEPS, MIXING_STEPS, half_descent, half_slope, two_cycle_amplitude,
};
use crate::experiments::full_support;
use crate::measure::Discrete;
use crate::numeric::sigmoid;
use crate::tabular::TabularGenerator;
use crate::tol::{self, EPS};
use crate::train::best_response::{Mixing, iterate_best_responses, largest_stable_step};
use rand::RngExt;

/// Random games of the exact best-response check.
const GAMES: usize = 200;

/// Best-response rounds per random game.
const ROUNDS: usize = 12;

/// Salt of the claim's random draws.
const SALT: u64 = 0xF4;

/// Rounding allowance, in units of `EPS`, of one gradient step on
/// `p_data = (1/2, 1/2)` against the closed-form recursion
/// `s - 2 eta C'(s)`: the library forms the softmax (a few ulps of each
/// mass), `ln(1 - D*)` through `ln_share` (a few ulps of a number of size
/// at most `|s| + ln 3`), the centred gradient (cancellation leaves a few
/// ulps of `|ln(1 - D*)|`, below `|s| + 2`) and multiplies by `eta`; the
/// closed form is as accurate. Each term is well below 16 ulps of
/// `|s| + eta (|s| + 2)`; 64 leaves a factor 4.
const ONE_STEP_ULPS: f64 = 64.0;

/// Below this `|s_t|` the one-step ratio `|s_t+1| / |s_t|` is not checked:
/// one step's rounding is at most `ONE_STEP_ULPS EPS (|s| + eta (|s| + 2))`,
/// about 3e-13 for steps up to 8, which at `|s| = 1e-10` blurs the ratio by
/// 3e-3. The runs at steps 2 and 7.5 contract by at most 7/8 per step, well
/// clear of 1 at that blur; the run at step 8 converges sublinearly and stays
/// above 1e-3 for its 2000 steps, where the blur is 3e-10.
const RATIO_FLOOR: f64 = 1e-10;

/// Allowance on the damped and harmonic runs' deviations `p_g(0) - 1/2`:
/// each mixing step rounds at most 2 ulps of numbers at most 1, and the
/// recursion multiplies earlier errors by `1 - w <= 1`, so after `t` steps
/// the error is at most `2 t EPS`; 400 steps give `800 EPS`, about 1.8e-13.
const MIXING_ROUNDING: f64 = 2.0 * MIXING_STEPS as f64 * EPS;

/// Allowance on the amplitude of the 2-cycles against the root of
/// `s / C'(s) = eta`: the runs contract onto the cycle by at most 0.55 per
/// step (F4 proof, step 6), so after 400 steps the distance left is
/// rounding, a few ulps of `s* <= 2` amplified by `1 / (1 - 0.55)`; the
/// bisection root is exact to an ulp. 1e-12 is far above both and far below
/// any error in the gradient (a wrong factor moves `s*` by 1e-2 or more).
const CYCLE_TOL: f64 = 1e-12;

/// Points of the random `p_data` of the local-boundary check.
const BOUNDARY_POINTS: usize = 5;

/// Start of the local-boundary runs: the deviation along the top
/// eigenvector, in the logits.
const BOUNDARY_DEVIATIONS: [f64; 2] = [1e-4, 1e-9];

/// Steps of the local-boundary runs: the deviation changes by `0.8^40` (about
/// 1e-4) or `1.2^40` (about 1.5e3), staying below 2e-6 in the logits.
const BOUNDARY_RUN: usize = 40;

/// Relative allowance on the per-step factor of the local-boundary runs
/// against `1 - eta lambda_max`: the gradient's second-order Taylor term,
/// of relative size (third derivative / lambda_max) |deviation|, is below
/// 1e-3 for deviations below 1e-4 and these `p_data` (entries at least a
/// fifth of the uniform mass, third derivatives of C below 12, A7 proof,
/// lambda_max at least 1/(4 n) = 0.05), and the factor is a geometric mean
/// over the run, so rounding (1e-16 of deviations of 1e-9) is negligible.
const NEAR_OPTIMUM_REL: f64 = 1e-3;

/// `JSD(p_data || delta_i)` in closed form (F4 proof, step 1):
/// `(1/2) [(1 - a) ln 2 + a ln(2a/(1 + a)) + ln(2/(1 + a))]`, `a = p_data(i)`.
fn jsd_to_point_mass(a: f64) -> f64 {
    let ln2 = std::f64::consts::LN_2;
    let middle = if a > 0.0 {
        a * (2.0 * a / (1.0 + a)).ln()
    } else {
        0.0
    };
    0.5 * ((1.0 - a) * ln2 + middle + (2.0 / (1.0 + a)).ln())
}

/// A random `p_data` on 2 to 8 points with at least two positive entries
/// (about a third of the entries 0).
fn random_data<R: rand::Rng + ?Sized>(rng: &mut R) -> Discrete {
    loop {
        let n = rng.random_range(2..=8);
        let p = super::random_distribution(rng, n);
        if p.support().count() >= 2 {
            return p;
        }
    }
}

pub(crate) fn f4(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, SALT);
    let ln4 = 4f64.ln();

    // 1. Exact best responses on random games.
    let (mut not_point_mass, mut repeated, mut worst_closed_form) = (0usize, 0usize, 0.0f64);
    let mut smallest_excess = f64::INFINITY;
    let mut smallest_predicted = f64::INFINITY;
    for _ in 0..GAMES {
        let p_data = random_data(&mut rng);
        let start = super::random_distribution(&mut rng, p_data.len());
        let run = iterate_best_responses(&p_data, &start, Mixing::Full, ROUNDS)?;
        for t in 1..=ROUNDS {
            let p = &run.generated[t];
            let i = run.responses[t - 1];
            if p[i] != 1.0 {
                not_point_mass += 1;
            }
            if t >= 2 && run.responses[t - 1] == run.responses[t - 2] {
                repeated += 1;
            }
            let predicted = -ln4 + 2.0 * jsd_to_point_mass(p_data[i]);
            worst_closed_form = worst_closed_form.max(
                (run.c_of_g[t] - predicted).abs()
                    / (tol::IDENTITY_ABS + tol::IDENTITY_REL * predicted.abs()),
            );
            smallest_excess = smallest_excess.min(run.c_of_g[t] + ln4);
        }
        // The smallest excess any point mass can have on this p_data.
        let best_point = p_data
            .as_slice()
            .iter()
            .map(|&a| 2.0 * jsd_to_point_mass(a))
            .fold(f64::INFINITY, f64::min);
        smallest_predicted = smallest_predicted.min(best_point);
    }

    // 2. p_data = (1/2, 1/2): the 2-cycle of the exact best responses.
    let half = Discrete::new(vec![0.5, 0.5])?;
    let start = Discrete::new(vec![0.9, 0.1])?;
    let exact = iterate_best_responses(&half, &start, Mixing::Full, ROUNDS)?;
    let off_pattern = exact
        .responses
        .iter()
        .enumerate()
        .filter(|(t, r)| **r != (t + 1) % 2)
        .count();
    let on_cycle = -ln4 + 1.5 * (4.0f64 / 3.0).ln();
    let cycle_c = exact.c_of_g[1..]
        .iter()
        .map(|c| (c - on_cycle).abs())
        .fold(0.0, f64::max);

    // 3. Damped best responses with a constant weight, and fictitious play.
    let damped = iterate_best_responses(&half, &start, Mixing::Constant(DAMPING), MIXING_STEPS)?;
    let deviation = |p: &Discrete| p[0] - 0.5;
    let amplitude = DAMPING / (2.0 * (2.0 - DAMPING));
    let (d_last, d_before) = (
        deviation(&damped.generated[MIXING_STEPS]),
        deviation(&damped.generated[MIXING_STEPS - 1]),
    );
    let e0 = (deviation(&start).abs() - amplitude).abs();
    let damped_bound = (1.0 - DAMPING).powi(MIXING_STEPS as i32) * e0 + MIXING_ROUNDING;
    let damped_off = (d_last.abs() - amplitude)
        .abs()
        .max((d_before.abs() - amplitude).abs());
    let harmonic = iterate_best_responses(&half, &start, Mixing::Harmonic, MIXING_STEPS)?;
    let harmonic_worst = harmonic
        .generated
        .iter()
        .enumerate()
        .map(|(t, p)| (t as f64 + 1.0) * deviation(p).abs())
        .fold(0.0, f64::max);

    // 4. Gradient steps on p_data = (1/2, 1/2): the library's steps against
    // the closed-form recursion, monotone convergence up to the boundary,
    // the 2-cycle above it.
    let mut worst_step = 0.0f64;
    let mut largest_ratio = 0.0f64;
    let mut converged_off = 0.0f64;
    for eta in CONVERGING_STEPS {
        let steps = if eta == HALF_BOUNDARY {
            BOUNDARY_STEPS
        } else {
            HALF_STEPS
        };
        let s = half_descent(HALF_START, eta, steps)?;
        for w in s.windows(2) {
            let predicted = w[0] - 2.0 * eta * half_slope(w[0]);
            let scale = w[0].abs() + eta * (w[0].abs() + 2.0);
            worst_step = worst_step.max((w[1] - predicted).abs() / (ONE_STEP_ULPS * EPS * scale));
            if w[0].abs() > RATIO_FLOOR {
                largest_ratio = largest_ratio.max(w[1].abs() / w[0].abs());
            }
        }
        if eta < HALF_BOUNDARY {
            // Proven factor (F4 proof, step 5): max(eta/4 - 1, 1 - eta sigma(s0) sigma(-s0)).
            let factor =
                (eta / 4.0 - 1.0).max(1.0 - eta * sigmoid(HALF_START) * sigmoid(-HALF_START));
            let bound = HALF_START * factor.powi(HALF_STEPS as i32);
            let floor = ONE_STEP_ULPS * EPS * 2.0 * eta / (1.0 - factor);
            converged_off = converged_off.max(s[HALF_STEPS].abs() / (bound + floor));
        }
    }
    let (mut cycle_off, mut cycle_sign) = (0.0f64, f64::NEG_INFINITY);
    let mut amplitudes = Vec::new();
    for eta in CYCLING_STEPS {
        let s = half_descent(HALF_START, eta, HALF_STEPS)?;
        let star = two_cycle_amplitude(eta).expect("eta > 8");
        amplitudes.push(star);
        for w in s.windows(2) {
            let predicted = w[0] - 2.0 * eta * half_slope(w[0]);
            let scale = w[0].abs() + eta * (w[0].abs() + 2.0);
            worst_step = worst_step.max((w[1] - predicted).abs() / (ONE_STEP_ULPS * EPS * scale));
        }
        let (last, before) = (s[HALF_STEPS], s[HALF_STEPS - 1]);
        cycle_off = cycle_off.max((last.abs() - star).abs().max((before.abs() - star).abs()));
        cycle_sign = cycle_sign.max(last * before);
        // From next to p_data the deviation grows: p_data repels.
    }
    let from_near = half_descent(1e-6, CYCLING_STEPS[0], HALF_STEPS)?;
    let repelled = from_near[HALF_STEPS].abs();

    // 5. The local boundary 2 / lambda_max on a random p_data with full support.
    let p_data = full_support(&mut rng, BOUNDARY_POINTS, 0.2);
    let boundary = largest_stable_step(&p_data)?;
    let lambda_max = 2.0 / boundary;
    let a = p_data.as_slice();
    let n = a.len();
    let hessian = nalgebra::DMatrix::from_fn(n, n, |r, c| {
        (if r == c { a[r] } else { 0.0 } - a[r] * a[c]) / 2.0
    });
    let eigen = nalgebra::SymmetricEigen::new(hessian);
    let top = eigen.eigenvalues.imax();
    let v: Vec<f64> = eigen.eigenvectors.column(top).iter().copied().collect();
    let optimum: Vec<f64> = a.iter().map(|x| x.ln()).collect();
    let mut factor_off = 0.0f64;
    let mut factors = Vec::new();
    for (multiple, deviation0) in [0.9, 1.1].into_iter().zip(BOUNDARY_DEVIATIONS) {
        let eta = multiple * boundary;
        let mut g = TabularGenerator::new(optimum.clone())?.moved(&v, deviation0)?;
        let project = |g: &TabularGenerator| -> f64 {
            g.logits()
                .iter()
                .zip(&optimum)
                .zip(&v)
                .map(|((u, o), vi)| (u - o) * vi)
                .sum()
        };
        let c0 = project(&g);
        for _ in 0..BOUNDARY_RUN {
            g = g.moved(&g.c_of_g_gradient(&p_data)?, -eta)?;
        }
        let c_end = project(&g);
        // Signed geometric-mean factor: (c_end / c0)^(1/T), negative for an even T
        // only if the sign pattern is broken; the sign alternates every step.
        let ratio = c_end / c0;
        let measured = -(ratio.abs().powf(1.0 / BOUNDARY_RUN as f64));
        let predicted = 1.0 - eta * lambda_max;
        factors.push((measured, predicted));
        factor_off = factor_off.max(((measured - predicted) / predicted).abs());
        if ratio < 0.0 {
            // An even number of sign flips must leave the sign unchanged.
            factor_off = f64::INFINITY;
        }
    }

    Ok(vec![
        Measurement::within(
            format!(
                "exact best responses on {GAMES} random p_data (2-8 points, zeros included), {ROUNDS} rounds each: iterates t >= 1 that are not a point mass"
            ),
            not_point_mass as f64,
            0.0,
            0.0,
        ),
        Measurement::within(
            "same runs: rounds whose best response repeats the previous one (the response to delta_i is never delta_i)",
            repeated as f64,
            0.0,
            0.0,
        ),
        Measurement::at_most(
            "same runs: max |C(G_t) - (-ln 4 + 2 JSD(p_data || delta_i))| against the closed form (1/2)[(1 - a_i) ln 2 + a_i ln(2 a_i/(1 + a_i)) + ln(2/(1 + a_i))], in identity-tolerance units",
            worst_closed_form,
            1.0,
            0.0,
        ),
        Measurement::at_least(
            "same runs: smallest C(G_t) + ln 4 = 2 JSD(p_data || p_t) (never p_data: at least 2 JSD to the nearest point mass)",
            smallest_excess,
            smallest_predicted,
            tol::IDENTITY_ABS,
        ),
        Measurement::within(
            format!(
                "p_data = (1/2, 1/2), p_g from (0.9, 0.1): best responses off the pattern (0, 1), (1, 0), (0, 1), ... in {ROUNDS} rounds"
            ),
            off_pattern as f64,
            0.0,
            0.0,
        ),
        Measurement::within(
            "same: max |C(G_t) - (-ln 4 + (3/2) ln(4/3))| on the cycle",
            cycle_c,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            format!(
                "damped best responses, constant weight {DAMPING}, after {MIXING_STEPS} rounds: max over the last two of ||p_g(0) - 1/2| - w/(2(2 - w))| (the cycle's amplitude; bound (1 - w)^t |e_0| + rounding)"
            ),
            damped_off,
            damped_bound,
            0.0,
        ),
        Measurement::at_most(
            "same run: p_g(0) - 1/2 at the last round times at the round before (negative: the cycle flips sides every round)",
            d_last * d_before,
            -(amplitude * amplitude) / 2.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "weights 1/(t+2) (fictitious play), {MIXING_STEPS} rounds: max_t (t + 1) |p_g(0) - 1/2| (converges as 1/(2(t+1)))"
            ),
            harmonic_worst,
            0.5,
            MIXING_ROUNDING * (MIXING_STEPS as f64 + 1.0),
        ),
        Measurement::at_most(
            format!(
                "gradient steps on C(G), p_data = (1/2, 1/2), steps {CONVERGING_STEPS:?} and {CYCLING_STEPS:?}: max |s_t+1 - (s_t - 2 eta C'(s_t))| against the closed-form slope, in units of {ONE_STEP_ULPS} ulps of |s| + eta(|s| + 2)"
            ),
            worst_step,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "steps {CONVERGING_STEPS:?} (at most 2/lambda_max = 8): largest |s_t+1| / |s_t| (the distance to p_data shrinks at every step)"
            ),
            largest_ratio,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "steps 2 and 7.5: |s_{HALF_STEPS}| / (|s_0| max(eta/4 - 1, 1 - eta sigma(s_0) sigma(-s_0))^{HALF_STEPS} + rounding floor) (linear convergence at the proven factor)"
            ),
            converged_off,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "steps {CYCLING_STEPS:?} (above 8): max over the last two steps of ||s_t| - s*| with s* the root of s / C'(s) = eta ({:.6}, {:.6})",
                amplitudes[0], amplitudes[1]
            ),
            cycle_off,
            0.0,
            CYCLE_TOL,
        ),
        Measurement::at_most(
            "same runs: s_T s_T-1 (negative: the 2-cycle alternates sides)",
            cycle_sign,
            0.0,
            0.0,
        ),
        Measurement::at_least(
            format!(
                "step 9 from s_0 = 1e-6 (next to p_data): |s_{HALF_STEPS}| (p_data repels; the run ends on the 2-cycle, s* = {:.6})",
                amplitudes[0]
            ),
            repelled,
            amplitudes[0],
            CYCLE_TOL,
        ),
        Measurement::at_most(
            format!(
                "random p_data on {BOUNDARY_POINTS} points, 2/lambda_max = {boundary:.3}: relative error of the per-step factor along the top eigenvector at 0.9 and 1.1 times it ({:.4} vs {:.4}; {:.4} vs {:.4}: shrinks below, grows above)",
                factors[0].0, factors[0].1, factors[1].0, factors[1].1
            ),
            factor_off,
            0.0,
            NEAR_OPTIMUM_REL,
        ),
    ])
}
