//! Claim D3: EBGAN's best energy, its value m (1 - TV), the Nash
//! equilibrium, and a tabular energy trained by projected subgradient steps.

use super::{Context, Measurement, random_distribution, rng_for};
use crate::divergence::total_variation;
use crate::error::Result;
use crate::experiments::ebgan::{
    EnergyExperiment, TRAINING_MARGIN, TRAINING_POINTS, TRAINING_STEP, energy_experiment,
};
use crate::tol;
use crate::train::tabular_variants::{ebgan_excess_bound, ebgan_excess_tolerance};
use crate::variants::ebgan::{
    Energy, Margin, best_energy, best_value, discriminator_loss, nash_gaps,
};
use rand::RngExt;

/// Random instances per universal check: enough to meet zeros, disjoint
/// supports and single points, in a few milliseconds.
const INSTANCES: usize = 1000;

/// Random energies compared with the best one per instance.
const RIVALS: usize = 4;

/// Units of `EPS m` allowed for `(energy gap + generator gap) - m TV`.
///
/// Reason: with energies in `[0, 2m]`, `L_D` is a compensated sum of
/// non-negative products of size at most `3m` in all (each product and
/// `m - D` rounded once: about 2 ulps of `3m`), the best value likewise at
/// most `m`, `E_q D` at most `2m`, `min D` exact, and `m TV` a few ulps of
/// `m`: about `16 EPS m` in all. 64 leaves a factor 4. (The former
/// tolerance, `1e-9` on the ratio to `m TV`, covered only pairs with TV above
/// about 1e-5, which a random pair is not guaranteed to have.)
const GAP_ROUNDING_ULPS: f64 = 64.0;

/// Salt of the claim's random draws.
const SALT: u64 = 0xD3;

/// `|x - y| / (IDENTITY_ABS + IDENTITY_REL max(|x|, |y|))`: at most 1 when
/// `tol::close(x, y)`.
fn identity_ratio(x: f64, y: f64) -> f64 {
    (x - y).abs() / (tol::IDENTITY_ABS + tol::IDENTITY_REL * x.abs().max(y.abs()))
}

pub(crate) fn d3(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, SALT);
    let mut worst_value = 0.0_f64;
    let mut smallest_rival_gap = f64::INFINITY;
    let mut worst_equilibrium = 0.0_f64;
    let mut worst_any_in_band = 0.0_f64;
    let mut smallest_generator_ratio = f64::INFINITY;
    let mut smallest_gap_ratio = f64::INFINITY;
    let mut worst_constant_ratio = 0.0_f64;
    for _ in 0..INSTANCES {
        let n = rng.random_range(1..=12);
        let (p, q) = (
            random_distribution(&mut rng, n),
            random_distribution(&mut rng, n),
        );
        let margin = Margin::new(0.1 + 4.0 * rng.random::<f64>())?;
        let m = margin.value();
        let best = best_energy(&margin, &p, &q)?;
        let value = discriminator_loss(&margin, &p, &q, &best)?;
        let tv_form = m * (1.0 - total_variation(&p, &q)?);
        worst_value = worst_value
            .max(identity_ratio(value, tv_form))
            .max(identity_ratio(value, best_value(&margin, &p, &q)?));
        let tv = total_variation(&p, &q)?;
        for _ in 0..RIVALS {
            let rival = Energy::new((0..n).map(|_| 2.0 * m * rng.random::<f64>()).collect())?;
            smallest_rival_gap =
                smallest_rival_gap.min(discriminator_loss(&margin, &p, &q, &rival)? - value);
            if tv > 0.0 {
                let gaps = nash_gaps(&margin, &p, &q, &rival)?;
                smallest_gap_ratio =
                    smallest_gap_ratio.min((gaps.energy + gaps.generator - m * tv) / m);
            }
        }
        if tv > 0.0 {
            // A constant energy in [0, m] attains the bound.
            let constant = Energy::constant(n, m * rng.random::<f64>())?;
            let gaps = nash_gaps(&margin, &p, &q, &constant)?;
            worst_constant_ratio =
                worst_constant_ratio.max((gaps.energy + gaps.generator - m * tv).abs() / m);
        }

        // An equilibrium: p_g = p_data, D = gamma on the support, >= gamma off it.
        let gamma = m * rng.random::<f64>();
        let on_support: Vec<bool> = p.as_slice().iter().map(|&x| x > 0.0).collect();
        let equilibrium = Energy::new(
            on_support
                .iter()
                .map(|&s| {
                    if s {
                        gamma
                    } else {
                        gamma + m * rng.random::<f64>()
                    }
                })
                .collect(),
        )?;
        let gaps = nash_gaps(&margin, &p, &p, &equilibrium)?;
        let v = discriminator_loss(&margin, &p, &p, &equilibrium)?;
        worst_equilibrium = worst_equilibrium
            .max(gaps.energy.abs() / (tol::IDENTITY_ABS + tol::IDENTITY_REL * m))
            .max(gaps.generator.abs() / (tol::IDENTITY_ABS + tol::IDENTITY_REL * m))
            .max(identity_ratio(v, m));

        // p_g = p_data and D anywhere in [0, m] on the support, with the
        // values 0 and m both taken when the support has two points: the
        // energy best responds, the generator does not.
        let support: Vec<usize> = p.support().collect();
        let mut values: Vec<f64> = (0..n).map(|_| m * rng.random::<f64>()).collect();
        let spread = support.len() >= 2;
        if spread {
            values[support[0]] = 0.0;
            values[support[1]] = m;
        }
        let varied = Energy::new(values)?;
        let gaps = nash_gaps(&margin, &p, &p, &varied)?;
        worst_any_in_band =
            worst_any_in_band.max(gaps.energy.abs() / (tol::IDENTITY_ABS + tol::IDENTITY_REL * m));
        if spread {
            // E_p D - min D >= p_j (D_j - 0) = p_j m at the point j with D_j = m.
            smallest_generator_ratio =
                smallest_generator_ratio.min((gaps.generator - p[support[1]] * m) / m);
        }
    }
    let mut out = vec![
        Measurement::at_most(
            format!(
                "max over {INSTANCES} random pairs and margins of |L_D(best energy) - m (1 - TV)| (and vs m sum min(p, q)), identity-tolerance units"
            ),
            worst_value,
            1.0,
            0.0,
        ),
        Measurement::at_least(
            format!(
                "smallest L_D(random energy in [0, 2m]) - L_D(best energy), {RIVALS} per pair (no energy does better; ties where p = q differ by rounding)"
            ),
            smallest_rival_gap,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_least(
            "smallest (energy gap + generator gap - m TV) / m over the random energies, p_g != p_data (theory: >= 0, so no equilibrium unless p_g = p_data; rounding 64 EPS)",
            smallest_gap_ratio,
            0.0,
            GAP_ROUNDING_ULPS * tol::EPS,
        ),
        Measurement::at_most(
            "max |energy gap + generator gap - m TV| / m for constant energies gamma in [0, m] (the bound is attained; rounding 64 EPS)",
            worst_constant_ratio,
            0.0,
            GAP_ROUNDING_ULPS * tol::EPS,
        ),
        Measurement::at_most(
            "p_g = p_data, D = gamma on the support (gamma uniform in [0, m]), D >= gamma off it: max of |energy gap|, |generator gap|, |V - m| in identity-tolerance units (a Nash equilibrium with V = m)",
            worst_equilibrium,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            "p_g = p_data, D non-constant in [0, m] on the support: max |energy gap| in identity-tolerance units (every such D is a best response)",
            worst_any_in_band,
            1.0,
            0.0,
        ),
        Measurement::at_least(
            "same energies: smallest (generator gap - m p_j) / m at the point j with D_j = m (theory: >= 0, so not an equilibrium; rounding 64 EPS)",
            smallest_generator_ratio,
            0.0,
            GAP_ROUNDING_ULPS * tol::EPS,
        ),
    ];
    out.extend(d3_training(&mut rng)?);
    Ok(out)
}

fn d3_training(rng: &mut rand::rngs::StdRng) -> Result<Vec<Measurement>> {
    let EnergyExperiment {
        margin,
        p,
        q,
        start,
        steps,
        run,
    } = energy_experiment(rng)?;
    let step = TRAINING_STEP;
    let excess = *run.loss.last().expect("at least the start") - best_value(&margin, &p, &q)?;
    let bound = ebgan_excess_bound(&p, &q, step)?;
    let tolerance = ebgan_excess_tolerance(&margin, &start);
    Ok(vec![
        Measurement::at_most(
            format!(
                "trained energy (projected subgradient, step {step}, {steps} steps = the derived entry time, {TRAINING_POINTS} points, m = {TRAINING_MARGIN}): L_D(D_T) - m (1 - TV), bound eta sum_(p<q) max(q - p, p)^2 = {bound:.3e}"
            ),
            excess,
            bound,
            tolerance,
        ),
        Measurement::at_least(
            "same run: L_D(D_T) - m (1 - TV) (no energy beats the best value)",
            excess,
            0.0,
            tolerance,
        ),
    ])
}
