//! The experiments of claim D3: the tabular energy trained by projected
//! subgradient steps.

use super::random_distribution;
use crate::Discrete;
use crate::error::Result;
use crate::train::tabular_variants::{EbganEnergyRun, ebgan_steps_to_band, train_ebgan_energy};
use crate::variants::ebgan::{Energy, Margin};
use rand::RngExt;

/// Points of the trained energy's random pair.
pub(crate) const TRAINING_POINTS: usize = 8;

/// The trained energy's margin `m`.
pub(crate) const TRAINING_MARGIN: f64 = 1.0;

/// Step size of the projected subgradient steps.
pub(crate) const TRAINING_STEP: f64 = 0.05;

/// Fewest steps of the run, whatever the derived entry time.
const MIN_STEPS: usize = 10;

/// D3's trained energy: the random game, the start and the run.
pub(crate) struct EnergyExperiment {
    /// The margin, [`TRAINING_MARGIN`].
    pub(crate) margin: Margin,
    /// `p_data`, random on [`TRAINING_POINTS`] points.
    pub(crate) p: Discrete,
    /// `p_g`, random on the same points.
    pub(crate) q: Discrete,
    /// The start `D_0`, uniform in `[0, 3]` per point.
    pub(crate) start: Energy,
    /// Steps taken: the derived entry time into the band, at least [`MIN_STEPS`].
    pub(crate) steps: usize,
    /// The run.
    pub(crate) run: EbganEnergyRun,
}

/// D3's trained energy, drawn from `rng`: a random pair on
/// [`TRAINING_POINTS`] points, a random start, and projected subgradient
/// steps of size [`TRAINING_STEP`] for as many steps as the derived entry
/// time into the band says.
pub(crate) fn energy_experiment<R: rand::Rng + ?Sized>(rng: &mut R) -> Result<EnergyExperiment> {
    let n = TRAINING_POINTS;
    let (p, q) = (random_distribution(rng, n), random_distribution(rng, n));
    let margin = Margin::new(TRAINING_MARGIN)?;
    let start = Energy::new((0..n).map(|_| 3.0 * rng.random::<f64>()).collect())?;
    let steps = ebgan_steps_to_band(&margin, &p, &q, &start, TRAINING_STEP)?.max(MIN_STEPS);
    let run = train_ebgan_energy(&margin, &p, &q, &start, TRAINING_STEP, steps)?;
    Ok(EnergyExperiment {
        margin,
        p,
        q,
        start,
        steps,
        run,
    })
}
