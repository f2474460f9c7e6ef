//! The experiments of claim D2: LSGAN's random labels, the tabular
//! discriminator trained by gradient steps and the generator trained
//! against `D*`.

use super::random_distribution;
use crate::Discrete;
use crate::error::Result;
use crate::tabular::TabularGenerator;
use crate::train::tabular_variants::{
    LsganDiscriminatorRun, LsganGeneratorRun, lsgan_step_limit, train_lsgan_discriminator,
    train_lsgan_generator,
};
use crate::variants::lsgan::LsganLabels;
use rand::RngExt;

/// Gradient steps of the trained discriminator (step `0.9 / max w`, so the
/// slowest coordinate contracts by `1 - 0.9 w_min / w_max` per step): the
/// check compares the iterate with its closed form after this many steps,
/// long enough for rounding to accumulate and for a wrong factor to show.
pub(crate) const TRAINING_STEPS: usize = 400;

/// Points of the trained discriminator's random pair.
pub(crate) const TRAINING_POINTS: usize = 8;

/// Mirror-descent steps of the generator trained against D* (binary labels):
/// enough for T to reach the rounding level on the 6-point instance.
pub(crate) const GENERATOR_STEPS: usize = 2000;

/// Mirror-descent step size of the generator: small enough that every step
/// lowers `T` on the instance used (the first-order descent of the proof).
pub(crate) const GENERATOR_STEP: f64 = 1.0;

/// Random labels: `a`, `b`, `c` in `[-3, 3]`, redrawn until `a != b`.
pub(crate) fn random_labels<R: rand::Rng + ?Sized>(rng: &mut R) -> Result<LsganLabels> {
    loop {
        let [a, b, c] = [0, 1, 2].map(|_| 6.0 * rng.random::<f64>() - 3.0);
        if a != b {
            return LsganLabels::new(a, b, c);
        }
    }
}

/// D2's trained discriminator: the random game, the start, the step and the run.
pub(crate) struct DiscriminatorExperiment {
    /// The random labels.
    pub(crate) labels: LsganLabels,
    /// `p_data`, random on [`TRAINING_POINTS`] points.
    pub(crate) p: Discrete,
    /// `p_g`, random on the same points.
    pub(crate) q: Discrete,
    /// The start `D_0`, uniform in `[-2, 2]` per point.
    pub(crate) start: Vec<f64>,
    /// The step `eta`.
    pub(crate) step: f64,
    /// [`TRAINING_STEPS`] gradient steps from `start`.
    pub(crate) run: LsganDiscriminatorRun,
}

/// D2's trained discriminator, drawn from `rng`: a random pair on
/// [`TRAINING_POINTS`] points, random labels and start, and [`TRAINING_STEPS`]
/// gradient steps of size `0.9 / max w`.
pub(crate) fn discriminator_experiment<R: rand::Rng + ?Sized>(
    rng: &mut R,
) -> Result<DiscriminatorExperiment> {
    let n = TRAINING_POINTS;
    let (p, q) = (random_distribution(rng, n), random_distribution(rng, n));
    let labels = random_labels(rng)?;
    let start: Vec<f64> = (0..n).map(|_| 4.0 * rng.random::<f64>() - 2.0).collect();
    // eta w_i in (0, 0.9]: every factor 1 - eta w_i lies in [0.1, 1), so each
    // coordinate's error shrinks monotonically.
    let step = 0.9 * lsgan_step_limit(&p, &q)? / 2.0;
    let run = train_lsgan_discriminator(&labels, &p, &q, &start, step, TRAINING_STEPS)?;
    Ok(DiscriminatorExperiment {
        labels,
        p,
        q,
        start,
        step,
        run,
    })
}

/// D2's trained generator: against D*, binary labels, from uniform on 6
/// points, on a fixed target (the descent of T is observed, not proved, so
/// it is reported for this one instance whatever the seed), by
/// [`GENERATOR_STEPS`] mirror steps of size [`GENERATOR_STEP`].
pub(crate) fn generator_run() -> Result<LsganGeneratorRun> {
    let p_data = Discrete::new(vec![0.05, 0.1, 0.15, 0.2, 0.22, 0.28])?;
    train_lsgan_generator(
        &LsganLabels::binary_labels(),
        &p_data,
        &TabularGenerator::uniform(6)?,
        GENERATOR_STEP,
        GENERATOR_STEPS,
    )
}
