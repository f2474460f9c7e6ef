//! Claim F3: `k` discriminator steps per generator step. On overlapping
//! supports D's gap to `D*` contracts geometrically in `k` and the
//! generator's gradient approaches that of `2 JSD`; on disjoint supports the
//! saturating gradient falls with D's error (Theorem 2.4 of Arjovsky and
//! Bottou) while the non-saturating one tends to the gradient of `-H(p_g)`.

use super::{Context, Measurement, rng_for};
use crate::error::Result;
use crate::experiments::discriminator_steps::{
    CHECKPOINTS, DISJOINT_STEP, DisjointRun, OVERLAP_STEPS, OverlapRun, disjoint_run, overlap_run,
};
use crate::game::Discriminator;
use crate::numeric::sigmoid;
use crate::tabular::TabularGenerator;
use crate::tol::EPS;
use crate::train::discriminator_steps::{
    ascent_factor_bounds, contraction_factor, gradient_gap_bound, non_saturating_limit,
    non_saturating_limit_bound, rejection_bound, saturating_gradient_bound,
};

/// Salt of the claim's random draws.
const SALT: u64 = 0xF3;

/// Rounding allowance of one ascent step, in units of `EPS` times
/// `|l_t| + |l_t+1| + |ln a| + |ln b| + step (a + b)`: the step adds an
/// increment computed to a few ulps of its size (at most `step (a + b)`) and
/// rounds the sum (half an ulp of `|l_t+1|`); the errors `e = l - l*` carry
/// the error of `l* = ln a - ln b` (an ulp of each logarithm) into both
/// `e_t` and `e_t+1`, and forming them rounds once more. Each part is below
/// 2 units; 8 leaves a factor 2 over their sum.
const ASCENT_ROUNDING_ULPS: f64 = 8.0;

/// Rounding allowance on the generator gradients' distance, in units of
/// `EPS`: both gradients are `p (f - E_p f)` with `|f| <= |l| + 1`, formed
/// to a few ulps of `|f|` per entry; 64 units of `EPS (max |l| + 1)` covers
/// them with room.
const GRADIENT_ROUNDING_ULPS: f64 = 64.0;

/// Rounding allowance on the logits after [`CHECKPOINTS`]' last count of
/// disjoint ascent steps: each step rounds a few ulps of `|l| + 1` (below
/// 12 for these runs), so 10^4 steps move a logit by at most about
/// `10^4 * 4 * 13 EPS`, about 1.2e-10; `ln y = softplus(-l)` inherits it.
const DISJOINT_ROUNDING: f64 = 1e-9;

pub(crate) fn f3(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, SALT);
    let OverlapRun {
        p_data,
        p_g,
        step,
        discriminators,
    } = overlap_run(&mut rng)?;
    let n = p_data.len();
    let target: Vec<f64> = (0..n).map(|i| p_data[i].ln() - p_g[i].ln()).collect();
    let error = |k: usize, i: usize| discriminators[k].logits()[i] - target[i];

    // 1. The per-step factor of every logit's error, two-sided.
    let mut worst_factor = 0.0f64;
    for k in 0..OVERLAP_STEPS {
        for i in 0..n {
            let (l, next) = (
                discriminators[k].logits()[i],
                discriminators[k + 1].logits()[i],
            );
            let (e, e_next) = (error(k, i), error(k + 1, i));
            let (low, high) = ascent_factor_bounds(p_data[i], p_g[i], step, l)?;
            let (from, to) = ((low * e).min(high * e), (low * e).max(high * e));
            let allowance = ASCENT_ROUNDING_ULPS
                * EPS
                * (l.abs()
                    + next.abs()
                    + p_data[i].ln().abs()
                    + p_g[i].ln().abs()
                    + step * (p_data[i] + p_g[i]));
            let outside = (from - e_next).max(e_next - to).max(0.0);
            worst_factor = worst_factor.max(outside / allowance);
        }
    }

    // 2. After K steps: within rho^K of the start, coordinate by coordinate.
    let mut worst_contraction = 0.0f64;
    for i in 0..n {
        let rho = contraction_factor(p_data[i], p_g[i], step, discriminators[0].logits()[i])?;
        // Each step's rounding (as in 1, with |l_t| <= max(|l_0|, |l*|): the
        // iterates stay between l_0 and l*) is carried on with a factor below 1.
        let l0 = discriminators[0].logits()[i];
        let per_step = ASCENT_ROUNDING_ULPS
            * EPS
            * (2.0 * l0.abs().max(target[i].abs())
                + p_data[i].ln().abs()
                + p_g[i].ln().abs()
                + step * (p_data[i] + p_g[i]));
        let bound =
            rho.powi(OVERLAP_STEPS as i32) * error(0, i).abs() + OVERLAP_STEPS as f64 * per_step;
        worst_contraction = worst_contraction.max(error(OVERLAP_STEPS, i).abs() / bound);
    }

    // 3. The saturating generator gradient against D_k and that of 2 JSD.
    let g = TabularGenerator::from_distribution(&p_g)?;
    let jsd_gradient = g.c_of_g_gradient(&p_data)?;
    let mut worst_gap = 0.0f64;
    let (mut first_gap, mut last_gap) = (0.0, 0.0);
    for (k, d) in discriminators.iter().enumerate() {
        let gradient = g.saturating_gradient(&d.discriminator())?;
        let gap = distance(&gradient, &jsd_gradient);
        let largest_error = (0..n).map(|i| error(k, i).abs()).fold(0.0, f64::max);
        let largest_logit = d.logits().iter().map(|l| l.abs()).fold(0.0, f64::max);
        let bound = gradient_gap_bound(&p_g, largest_error)
            + GRADIENT_ROUNDING_ULPS * EPS * (largest_logit + 1.0);
        worst_gap = worst_gap.max(gap / bound);
        if k == 0 {
            first_gap = gap;
        }
        last_gap = gap;
    }

    let mut out = vec![
        Measurement::at_most(
            format!(
                "overlapping supports, {n} points, step {step:.3} = 0.9 * 4 / max(a + b), {OVERLAP_STEPS} ascent steps from random logits in [-4, 4]: largest excursion of (l_t+1 - l*) outside [1 - eta (a+b) max s, 1 - eta (a+b) min s] (l_t - l*), s = sigma sigma' between l_t and l*, in rounding units"
            ),
            worst_factor,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "same run: max_i |l_K - l*| / (rho_i^K |l_0 - l*|), rho_i = 1 - eta (a_i + b_i) min(s(l_0), s(l*)) (geometric in k = {OVERLAP_STEPS}; rounding allowance)"
            ),
            worst_contraction,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "same run, every k: |grad_u E_pg ln(1 - D_k) - grad_u 2 JSD|_2 / (2 |p_g|_2 max_i |l_k - l*| + rounding) (from {first_gap:.3e} at k = 0 to {last_gap:.3e} at k = {OVERLAP_STEPS})"
            ),
            worst_gap,
            1.0,
            0.0,
        ),
    ];
    out.extend(disjoint(&mut rng)?);
    Ok(out)
}

fn distance(x: &[f64], y: &[f64]) -> f64 {
    x.iter()
        .zip(y)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        .sqrt()
}

fn norm(x: &[f64]) -> f64 {
    x.iter().map(|a| a * a).sum::<f64>().sqrt()
}

fn disjoint(rng: &mut rand::rngs::StdRng) -> Result<Vec<Measurement>> {
    let DisjointRun { generated, logits } = disjoint_run(rng)?;
    let g = TabularGenerator::from_distribution(&generated)?;
    let limit = non_saturating_limit(&generated)?;
    let limit_norm = norm(&limit);
    let (mut worst_theorem, mut worst_rejection, mut worst_limit) = (0.0f64, 0.0f64, 0.0f64);
    let (mut saturating, mut non_saturating) = (Vec::new(), Vec::new());
    let mut last_bound = f64::NAN;
    for (k, l) in CHECKPOINTS.iter().zip(&logits) {
        let d = Discriminator::from_logits(l.clone())?;
        let epsilon = l.iter().map(|&x| sigmoid(x)).fold(0.0, f64::max);
        let sat = norm(&g.saturating_gradient(&d)?);
        worst_theorem = worst_theorem.max(sat / saturating_gradient_bound(&generated, epsilon));
        for (&x, &b) in l.iter().zip(generated.as_slice()) {
            worst_rejection =
                worst_rejection.max(sigmoid(x) / rejection_bound(b, DISJOINT_STEP, *k));
        }
        let ns = g.non_saturating_gradient(&d)?;
        let bound = non_saturating_limit_bound(&generated, DISJOINT_STEP, *k)? + DISJOINT_ROUNDING;
        worst_limit = worst_limit.max(distance(&ns, &limit) / bound);
        saturating.push(sat);
        non_saturating.push(norm(&ns));
        last_bound = bound;
    }
    let k_last = *CHECKPOINTS.last().expect("checkpoints");
    let ns_last = *non_saturating.last().expect("checkpoints");
    Ok(vec![
        Measurement::at_most(
            format!(
                "disjoint supports (3 data points, 3 generator points), D from 1/2, k in {CHECKPOINTS:?} ascent steps: max |grad_u E_pg ln(1 - D_k)|_2 / (|p_g|_2 eps/(1 - eps)), eps = max D_k on p_g's points (Arjovsky-Bottou Thm 2.4; norms {})",
                fmt_list(&saturating)
            ),
            worst_theorem,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            "same runs: max_j D_k(x_j) / (2 / (4 + eta b_j k)) (D runs to the perfect discriminator at rate 1/k)",
            worst_rejection,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "same runs: max_k |grad_u E_pg[-ln D_k] - p_g (ln p_g - E ln p_g)|_2 / (its bound, O(ln k / k), + rounding) (the non-saturating gradient tends to grad -H(p_g); norms {})",
                fmt_list(&non_saturating)
            ),
            worst_limit,
            1.0,
            0.0,
        ),
        Measurement::at_least(
            format!(
                "same run at k = {k_last}: |grad_u E_pg[-ln D_k]|_2 (does not vanish: at least |grad H(p_g)|_2 = {limit_norm:.4} minus the bound {last_bound:.2e})"
            ),
            ns_last,
            limit_norm - last_bound,
            0.0,
        ),
    ])
}

fn fmt_list(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| format!("{v:.2e}"))
        .collect::<Vec<_>>()
        .join(", ")
}
