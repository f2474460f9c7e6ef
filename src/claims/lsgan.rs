//! Claim D2: LSGAN's optimal discriminator, the divergence its generator
//! minimises, and a tabular discriminator trained to D*.

use super::{Context, Measurement, random_distribution, rng_for};
use crate::Discrete;
use crate::error::Result;
use crate::experiments::lsgan::{
    DiscriminatorExperiment, GENERATOR_STEP, GENERATOR_STEPS, TRAINING_POINTS, TRAINING_STEPS,
    discriminator_experiment, generator_run, random_labels,
};
use crate::tol;
use crate::train::tabular_variants::{lsgan_iterate, lsgan_iterate_tolerance};
use crate::variants::lsgan::{
    LsganLabels, chi2_sum_against_twice_generated, discriminator_loss, generator_loss,
    generator_value_at_optimum, half_chi2_twice_generated_against_sum, lsgan_divergence,
    optimal_discriminator, optimal_discriminator_loss,
};
use rand::RngExt;

/// Random pairs per universal check: enough to meet zeros, disjoint supports
/// and single points, in a few milliseconds.
const INSTANCES: usize = 1000;

/// Bound on T_end / T_0 for the generator's run: on this instance T falls to
/// the rounding level (about 1e-28 of its start); 1e-12 says the run
/// converged, not merely that T went down, with room for other platforms'
/// rounding.
const GENERATOR_FINAL_RATIO: f64 = 1e-12;

/// Salt of the claim's random draws.
const SALT: u64 = 0xD2;

/// Labels with `b - c = 1` and `b - a = 2` exactly: `c` a multiple of 1/8 in `[-4, 4]`.
fn random_pearson_labels<R: rand::Rng + ?Sized>(rng: &mut R) -> Result<LsganLabels> {
    let c = f64::from(rng.random_range(-32i32..=32)) / 8.0;
    LsganLabels::new(c - 1.0, c + 1.0, c)
}

/// `|x - y| / (IDENTITY_ABS + IDENTITY_REL max(|x|, |y|))`: at most 1 when
/// `tol::close(x, y)`.
fn identity_ratio(x: f64, y: f64) -> f64 {
    (x - y).abs() / (tol::IDENTITY_ABS + tol::IDENTITY_REL * x.abs().max(y.abs()))
}

pub(crate) fn d2(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, SALT);
    let mut worst_expansion = 0.0_f64;
    let mut worst_min_loss = 0.0_f64;
    let mut worst_affine = 0.0_f64;
    let mut worst_pearson = 0.0_f64;
    let mut smallest_gain = f64::INFINITY;
    for _ in 0..INSTANCES {
        let n = rng.random_range(1..=12);
        let (p, q) = (
            random_distribution(&mut rng, n),
            random_distribution(&mut rng, n),
        );
        let labels = random_labels(&mut rng)?;
        let d_star = optimal_discriminator(&labels, &p, &q)?;
        let best = discriminator_loss(&labels, &p, &q, &d_star)?;
        // L_D(D* + e) = L_D(D*) + ½ sum (p_i + q_i) e_i², exactly.
        let e: Vec<f64> = (0..n).map(|_| 2.0 * rng.random::<f64>() - 1.0).collect();
        let moved: Vec<f64> = d_star.iter().zip(&e).map(|(x, y)| x + y).collect();
        let quadratic = 0.5 * crate::numeric::sum((0..n).map(|i| (p[i] + q[i]) * e[i] * e[i]));
        let perturbed = discriminator_loss(&labels, &p, &q, &moved)?;
        worst_expansion = worst_expansion.max(identity_ratio(perturbed - best, quadratic));
        smallest_gain = smallest_gain.min(perturbed - best);
        worst_min_loss = worst_min_loss.max(identity_ratio(
            best,
            optimal_discriminator_loss(&labels, &p, &q)?,
        ));
        let at_optimum = generator_loss(&labels, &p, &q, &d_star)?;
        worst_affine = worst_affine.max(identity_ratio(
            at_optimum,
            generator_value_at_optimum(&labels, &p, &q)?,
        ));
        let affine = labels.optimum_offset() + labels.optimum_scale() * lsgan_divergence(&p, &q)?;
        worst_affine = worst_affine.max(identity_ratio(at_optimum, affine));
        let pearson_labels = random_pearson_labels(&mut rng)?;
        let d_pearson = optimal_discriminator(&pearson_labels, &p, &q)?;
        worst_pearson = worst_pearson.max(identity_ratio(
            generator_loss(&pearson_labels, &p, &q, &d_pearson)?,
            half_chi2_twice_generated_against_sum(&p, &q)?,
        ));
    }

    // Goodfellow's worked example (A4): the usual reading of the paper's
    // chi2(p_data + p_g || 2 p_g) is infinite there, the LSGAN value is 1/2.
    let example_p = Discrete::new(vec![0.5, 0.5, 0.0])?;
    let example_q = Discrete::new(vec![0.0, 0.5, 0.5])?;
    let labels = LsganLabels::chi2_labels();
    let d_example = optimal_discriminator(&labels, &example_p, &example_q)?;
    let example_value = generator_loss(&labels, &example_p, &example_q, &d_example)?;
    let catalogue_reading = chi2_sum_against_twice_generated(&example_p, &example_q)?;

    let mut out = vec![
        Measurement::at_most(
            format!(
                "max over {INSTANCES} random pairs and labels of |L_D(D* + e) - L_D(D*) - ½ sum (p+q) e²| in units of the identity tolerance (D* is the unique minimiser)"
            ),
            worst_expansion,
            1.0,
            0.0,
        ),
        Measurement::at_least(
            "smallest L_D(D* + e) - L_D(D*) over the same perturbations (no perturbation does better)",
            smallest_gain,
            0.0,
            0.0,
        ),
        Measurement::at_most(
            "max |L_D(D*) - ½ (b - a)² sum pq/(p+q)| in identity-tolerance units",
            worst_min_loss,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            "max |L_G(D*) - [((a+b)/2 - c)² + ((b-a)/2)² T]| and vs the defining sum, in identity-tolerance units",
            worst_affine,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            "labels with b - c = 1, b - a = 2: max |L_G(D*) - ½ chi2(2 p_g || p_data + p_g)| in identity-tolerance units",
            worst_pearson,
            1.0,
            0.0,
        ),
        Measurement::within(
            "L_G(D*) on p_data = (1/2, 1/2, 0), p_g = (0, 1/2, 1/2), labels (-1, 1, 0) (expected 1/2, while chi2(p_data + p_g || 2 p_g) is +inf there)",
            example_value,
            0.5,
            tol::IDENTITY_ABS,
        ),
        Measurement::within(
            "chi2(p_data + p_g || 2 p_g), usual convention, same example (the catalogue's reading: +inf, not 2 L_G(D*) = 1)",
            catalogue_reading,
            f64::INFINITY,
            0.0,
        ),
    ];
    out.extend(d2_training(&mut rng)?);
    Ok(out)
}

fn d2_training(rng: &mut rand::rngs::StdRng) -> Result<Vec<Measurement>> {
    let DiscriminatorExperiment {
        labels,
        p,
        q,
        start,
        step,
        run,
    } = discriminator_experiment(rng)?;
    let closed = lsgan_iterate(&labels, &p, &q, &start, step, TRAINING_STEPS)?;
    let off = run
        .scores
        .iter()
        .zip(&closed)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    let tolerance = lsgan_iterate_tolerance(&labels, &start, TRAINING_STEPS);
    let largest_error_rise = run
        .max_error
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::NEG_INFINITY, f64::max);

    let gen_run = generator_run()?;
    let largest_rise = gen_run
        .divergence
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::NEG_INFINITY, f64::max);
    let steepest_slope = gen_run
        .slope
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let (t0, t_end) = (
        gen_run.divergence[0],
        *gen_run.divergence.last().expect("at least the start"),
    );
    Ok(vec![
        Measurement::at_most(
            format!(
                "trained tabular D ({TRAINING_STEPS} gradient steps, {TRAINING_POINTS} points, random labels): max |D_T - (D* + (1 - eta w)^T (D_0 - D*))| (rounding bound)"
            ),
            off,
            tolerance,
            0.0,
        ),
        Measurement::at_most(
            "same run: largest one-step rise of max |D_t - D*| (each coordinate's error is multiplied by 1 - eta w_i in (0, 1); rounding bound per step)",
            largest_error_rise,
            lsgan_iterate_tolerance(&labels, &start, 1),
            0.0,
        ),
        Measurement::at_most(
            "generator against D* (binary labels, c = b): largest first-order rate d/d eta L_G(D*) = -Cov_q(g, h) over the steps (theory: <= 0, Chebyshev's sum inequality)",
            steepest_slope,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            format!(
                "generator against D* (binary labels, mirror step {GENERATOR_STEP}, {GENERATOR_STEPS} steps, 6 points): largest one-step rise of T (observed descent)"
            ),
            largest_rise,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            format!(
                "same run: T at the end / T at the start (T_0 = {t0:.4}; observed convergence to the rounding level)"
            ),
            t_end / t0,
            GENERATOR_FINAL_RATIO,
            0.0,
        ),
    ])
}
