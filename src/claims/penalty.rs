//! Check of claim F6: where the gradient penalty looks.

use super::{Context, Measurement, rng_for};
use crate::error::Result;
use crate::experiments::penalty::{
    GRID, LAMBDA, LINE_INSTANCES, LineInstance, PLANE_INSTANCES, PLANE_POINTS, PlaneInstance,
    Sampling, grid, penalised_objective, penalised_optimum, plane_instance,
};
use crate::tol::{self, EPS};

/// Salt of F6's random draws (see [`rng_for`]).
const SALT: u64 = 0xF6;

/// Ulps of the critics' scale (largest value plus largest distance) that
/// an evaluation of `f`, `F+` or `F-` may be off by: a distance (a few
/// ulps), one addition, and the potential's own rounding (the solver's
/// duals within an ulp each, the c-transform one more subtraction); 64
/// leaves a wide margin over the handful this adds up to, and any error of
/// the code or the claim shows at the size of a distance, 1e-3 or more.
const CRITIC_ULPS: f64 = 64.0;

/// A reduced cost `d_ij - u_i - v_j` at most this many ulps of the scale
/// counts as zero: the arc is tight (the duals are exact rationals rounded
/// once, the cost one rounding).
const TIGHT_ULPS: f64 = 16.0;

/// A quantity "positive beyond rounding" is at least this: far above the
/// `1e-30` that rounding can leave in a square of a unit vector's norm
/// minus 1, and far below the size of the gaps measured (1e-4 and up).
const POSITIVE_FLOOR: f64 = 1e-12;

/// Ulps of `1 + W1` the line objectives may be off by: each adds the
/// `n + m = 12` support terms and, over the `n m = 36` pairs, at most
/// `n + m - 1 = 11` cells each, every term below the objective's scale
/// `1 + W1` (slopes within a factor 2 of 1, masses below 1); 1024 ulps is
/// more than twice that count of one-ulp roundings.
const LINE_ULPS: f64 = 1024.0;

/// Step of the single-slope perturbations of the line optimum.
const STEP: f64 = 1e-3;

pub(crate) fn f6(context: &Context) -> Result<Vec<Measurement>> {
    let mut out = Vec::new();
    let mut rng = rng_for(context, SALT);

    // In the plane: the exact plan, the potential, the extreme optimal critics.
    let (mut prop1, mut agree) = (0.0f64, 0.0f64);
    let (mut plan_share_ratio, mut plan_share_total) = (0.0f64, 0.0);
    let (mut undetermined_missed, mut nontight_pairs) = (0usize, 0usize);
    let (mut mid_gap, mut mid_penalty_min) = (0.0f64, f64::INFINITY);
    let (mut below_one, mut samples) = (0.0, 0.0);
    for _ in 0..PLANE_INSTANCES {
        let inst: PlaneInstance = plane_instance(&mut rng)?;
        let scale = inst.scale();
        let round = CRITIC_ULPS * EPS * scale;
        let n = PLANE_POINTS;
        // Prop. 1: slope 1 along every coupled segment; all optimal critics agree there.
        let mut plan_share = 0.0;
        for e in &inst.plan {
            let d = inst.length(e.i, e.j);
            let start = inst.critic.value(&inst.interpolate(e.i, e.j, 0.0))?;
            for t in grid() {
                let x = inst.interpolate(e.i, e.j, t);
                prop1 = prop1.max((inst.critic.value(&x)? - start - t * d).abs() / round);
                agree = agree.max((inst.upper(x) - inst.lower(x)) / round);
            }
            plan_share += inst.p[e.i] * inst.q[e.j];
        }
        let pmax = inst.p.iter().fold(0.0f64, |m, &v| m.max(v));
        let qmax = inst.q.iter().fold(0.0f64, |m, &v| m.max(v));
        plan_share_ratio = plan_share_ratio.max(plan_share / ((2 * n - 1) as f64 * pmax * qmax));
        plan_share_total += plan_share;
        // Independent pairs: where the dual is slack, optimal critics differ.
        let mut penalty = 0.0;
        for i in 0..n {
            for j in 0..n {
                let w = inst.p[i] * inst.q[j];
                let mut widest = 0.0f64;
                for t in grid() {
                    let x = inst.interpolate(i, j, t);
                    widest = widest.max(inst.upper(x) - inst.lower(x));
                    let norm = inst.midpoint_gradient_norm(x);
                    penalty += w * (norm - 1.0).powi(2) / GRID as f64;
                    if norm < 1.0 - POSITIVE_FLOOR.sqrt() {
                        below_one += w / GRID as f64;
                    }
                    samples += w / GRID as f64;
                }
                if inst.reduced[i * n + j] > TIGHT_ULPS * EPS * scale {
                    nontight_pairs += 1;
                    undetermined_missed += usize::from(widest <= round);
                }
            }
        }
        mid_penalty_min = mid_penalty_min.min(penalty);
        // The midpoint critic is optimal too: E_p F_mid - E_q F_mid = W1.
        let mid = |x: [f64; 2]| 0.5 * (inst.upper(x) + inst.lower(x));
        let gain: f64 = (0..n).map(|i| inst.p[i] * mid(inst.xp[i])).sum::<f64>()
            - (0..n).map(|j| inst.q[j] * mid(inst.xq[j])).sum::<f64>();
        mid_gap = mid_gap.max((gain - inst.w1).abs() / round);
    }
    let instances =
        format!("{PLANE_INSTANCES} instances of {PLANE_POINTS} + {PLANE_POINTS} points");
    out.push(Measurement::at_most(
        format!(
            "{instances}: max over coupled segments (plan arcs) and t of |f(y + t (x - y)) - f(y) - t |x - y||, in rounding units (Prop. 1: slope 1)"
        ),
        prop1,
        0.0,
        1.0,
    ));
    out.push(Measurement::at_most(
        "the same: max of F+ - F- (largest minus smallest optimal critic) on coupled segments, in rounding units (every optimal critic agrees there)",
        agree,
        0.0,
        1.0,
    ));
    out.push(Measurement::at_most(
        format!(
            "share of the penalty's independent pairs that are coupled (mean {:.3}), max over instances of share / ((n + m - 1) max p max q)",
            plan_share_total / PLANE_INSTANCES as f64
        ),
        plan_share_ratio,
        1.0,
        tol::IDENTITY_REL,
    ));
    out.push(Measurement::within(
        format!(
            "independent pairs with slack duals ({nontight_pairs} pairs): those on which F+ = F- at every t (optimal critics determined), count"
        ),
        undetermined_missed as f64,
        0.0,
        0.0,
    ));
    out.push(Measurement::at_most(
        "max over instances of |E_p F_mid - E_q F_mid - W1| in rounding units, F_mid = (F+ + F-)/2 (an optimal critic)",
        mid_gap,
        0.0,
        1.0,
    ));
    out.push(Measurement::at_least(
        format!(
            "min over instances of E (||grad F_mid(x_hat)|| - 1)^2 at the penalty's interpolates (0 for F+ and F-, norm 1 a.e.); ||grad F_mid|| < 1 on {:.1}% of them",
            100.0 * below_one / samples
        ),
        mid_penalty_min,
        POSITIVE_FLOOR,
        0.0,
    ));

    // On the line: the penalised optimum in closed form.
    let (mut identity, mut perturbed, mut lower_gap, mut upper_gap, mut biased_off) = (
        0.0f64,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::INFINITY,
        0.0f64,
    );
    let (mut ratio_independent, mut ratio_coupled) = (0.0, 0.0);
    let mut bounded_at_data = 0usize;
    for _ in 0..LINE_INSTANCES {
        let inst = LineInstance::draw(&mut rng);
        let (plan, w1) = inst.plan()?;
        let floor = w1 + w1 * w1 / (4.0 * LAMBDA);
        let round = LINE_ULPS * EPS * (1.0 + w1);
        // The penalty at the data points alone (no interpolates between):
        // no density on any cell, so the supremum is +inf (an error here).
        bounded_at_data += usize::from(penalised_optimum(&inst, &[], LAMBDA).is_ok());
        for sampling in [
            Sampling::Independent,
            Sampling::Coupled,
            Sampling::LengthBiased,
        ] {
            let pairs = inst.pairs(sampling)?;
            let (value, slopes) = penalised_optimum(&inst, &pairs, LAMBDA)?;
            let by_definition = penalised_objective(&inst, &pairs, LAMBDA, &slopes);
            identity = identity.max((value - by_definition).abs() / round);
            // No change of one slope (a step either way, or the other sign) does better.
            for k in 0..slopes.len() {
                for candidate in [slopes[k] + STEP, slopes[k] - STEP, -slopes[k]] {
                    let mut moved = slopes.clone();
                    moved[k] = candidate;
                    let v = penalised_objective(&inst, &pairs, LAMBDA, &moved);
                    perturbed = perturbed.max((v - by_definition) / round);
                }
            }
            // Bracket: W1 + W1^2/(4 lambda) <= optimum <= W1 + sum (gamma d)^2 / (4 lambda w).
            let weight = |i: usize, j: usize| {
                pairs
                    .iter()
                    .find(|e| e.0 == i && e.1 == j)
                    .map_or(0.0, |e| e.2)
            };
            let relaxed: f64 = plan
                .iter()
                .map(|e| {
                    let d = (inst.x[e.i] - inst.y[e.j]).abs();
                    (e.mass * d).powi(2) / weight(e.i, e.j)
                })
                .sum();
            let ceiling = w1 + relaxed / (4.0 * LAMBDA);
            lower_gap = lower_gap.min((value - floor) / round);
            upper_gap = upper_gap.min((ceiling - value) / round);
            let excess = (value - w1) / (w1 * w1 / (4.0 * LAMBDA));
            match sampling {
                Sampling::Independent => ratio_independent += excess / LINE_INSTANCES as f64,
                Sampling::Coupled => ratio_coupled += excess / LINE_INSTANCES as f64,
                Sampling::LengthBiased => {
                    biased_off = biased_off.max((value - floor).abs() / round)
                }
            }
        }
    }
    let line = format!("{LINE_INSTANCES} line instances of 6 + 6 points, lambda = {LAMBDA}");
    out.push(Measurement::at_most(
        format!(
            "{line}: max |closed-form optimum W1 + sum l h^2 / (4 lambda rho) - the objective by its definition at the closed-form critic|, rounding units (independent, coupled, length-biased sampling)"
        ),
        identity,
        0.0,
        2.0,
    ));
    out.push(Measurement::at_most(
        "the same: max gain of the objective from changing one slope of that critic (by 1e-3 either way, or its sign), rounding units (it is the maximum)",
        perturbed,
        0.0,
        2.0,
    ));
    out.push(Measurement::at_least(
        "min of (optimum - (W1 + W1^2 / (4 lambda))), rounding units: every sampling overshoots W1 by at least W1^2/(4 lambda)",
        lower_gap,
        0.0,
        2.0,
    ));
    out.push(Measurement::at_least(
        "min of (W1 + sum_plan (gamma d)^2 / (4 lambda w) - optimum), rounding units: the relaxation's ceiling",
        upper_gap,
        0.0,
        2.0,
    ));
    out.push(Measurement::at_most(
        format!(
            "length-biased coupled sampling: max |optimum - (W1 + W1^2 / (4 lambda))|, rounding units (overshoot / (W1^2/4 lambda): independent {ratio_independent:.2}, coupled {ratio_coupled:.2}, length-biased 1)"
        ),
        biased_off,
        0.0,
        2.0,
    ));
    out.push(Measurement::within(
        "the penalty at the data points only (the note's suggestion): instances where the penalised objective stays bounded, count (sup = +inf: nothing constrains f between the points)",
        bounded_at_data as f64,
        0.0,
        0.0,
    ));
    Ok(out)
}
