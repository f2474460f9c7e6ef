//! The experiments of claim D4: random conditional games, the fixed games
//! of its worked examples, pix2pix's worked example with its trained
//! generator, and the tabular conditional discriminators trained to D*.

use super::{Context, random_distribution, rng_for};
use crate::Discrete;
use crate::error::Result;
use crate::train::conditional::{
    AscentRun, AscentSettings, GeneratorRun, ascend, descend_generator, largest_generator_step,
    steps_for_target, zero_start,
};
use crate::variants::conditional::{ConditionalGame, Pix2Pix};
use rand::Rng;

/// The trained discriminator must come within this distance of `D*` at every
/// two-sided coordinate after the number of steps its bound says suffices.
/// Far above rounding (1e-16) and far below any visible error.
pub(crate) const TRAINED_TARGET: f64 = 1e-9;

/// Cap on the steps of the trained check (the bound's count for the check's
/// fixed game is in the thousands; the cap only keeps a broken bound from running long).
const MAX_STEPS: usize = 200_000;

/// Ascent steps on the game with zeros (its one-sided coordinates converge
/// only as `O(1/t)`; the bound is checked at every step).
const WITH_ZEROS_STEPS: usize = 2000;

/// Weight of pix2pix's L1 term in the worked example.
pub(crate) const PIX2PIX_LAMBDA: f64 = 1.0;

/// Generator steps of pix2pix's trained generator.
pub(crate) const PIX2PIX_GENERATOR_STEPS: usize = 2000;

/// A random conditional game with `labels` labels on `points` points, zeros included.
pub(crate) fn random_game<R: Rng + ?Sized>(
    rng: &mut R,
    labels: usize,
    points: usize,
) -> Result<ConditionalGame> {
    let label_distribution = random_distribution(rng, labels);
    let data = (0..labels)
        .map(|_| random_distribution(rng, points))
        .collect();
    let generated = (0..labels)
        .map(|_| random_distribution(rng, points))
        .collect();
    ConditionalGame::new(label_distribution, data, generated)
}

/// Two labels, each with its own point, and a generator that ignores the
/// label: it fools the marginal game, not the conditional one.
pub(crate) fn label_ignoring_game() -> Result<ConditionalGame> {
    let labels = Discrete::new(vec![0.5, 0.5])?;
    let data = vec![
        Discrete::new(vec![1.0, 0.0])?,
        Discrete::new(vec![0.0, 1.0])?,
    ];
    let ignoring = vec![Discrete::new(vec![0.5, 0.5])?; 2];
    ConditionalGame::new(labels, data, ignoring)
}

/// Informative labels and different marginals, but equal label posteriors
/// given `x`.
pub(crate) fn equal_posteriors_game() -> Result<ConditionalGame> {
    ConditionalGame::new(
        Discrete::new(vec![0.4, 0.6])?,
        vec![
            Discrete::new(vec![0.5, 0.5, 0.0])?,
            Discrete::from_weights(&[0.0, 1.0, 2.0])?,
        ],
        vec![
            Discrete::new(vec![1.0, 0.0, 0.0])?,
            Discrete::new(vec![0.0, 0.0, 1.0])?,
        ],
    )
}

/// pix2pix's worked example at `p_g = p_data`: two labels, targets
/// `-1, 0, 2`.
pub(crate) fn pix2pix_at_data() -> Result<Pix2Pix> {
    let labels = Discrete::new(vec![0.5, 0.5])?;
    let data = vec![
        Discrete::new(vec![0.25, 0.5, 0.25])?,
        Discrete::new(vec![0.5, 0.25, 0.25])?,
    ];
    Pix2Pix::new(
        ConditionalGame::new(labels, data.clone(), data)?,
        vec![-1.0, 0.0, 2.0],
    )
}

/// A generator trained on `C + lambda L1` ([`PIX2PIX_LAMBDA`]) with `D = D*`,
/// [`PIX2PIX_GENERATOR_STEPS`] steps of the largest safe size, on `pix`.
pub(crate) fn pix2pix_generator_run(pix: &Pix2Pix) -> Result<GeneratorRun> {
    descend_generator(
        pix,
        PIX2PIX_LAMBDA,
        largest_generator_step(pix, PIX2PIX_LAMBDA)?,
        PIX2PIX_GENERATOR_STEPS,
    )
}

/// D4's trained discriminators: gradient ascent from zero logits on two
/// games drawn from the seed.
pub(crate) struct AscentExperiment {
    /// Steps on the positive game: what the bound asks for [`TRAINED_TARGET`].
    pub(crate) positive_steps: usize,
    /// The runs: on the game with zeros, then on the positive one.
    pub(crate) runs: [AscentRun; 2],
}

/// D4's trained discriminators: a game with zeros (one-sided coordinates,
/// `D* = 0` or 1), trained [`WITH_ZEROS_STEPS`] steps, and one with every
/// mass positive (mixed towards uniform), trained for the steps its bound
/// says reach [`TRAINED_TARGET`]; both with the largest safe step.
pub(crate) fn ascent_experiment(context: &Context) -> Result<AscentExperiment> {
    let mut rng = rng_for(context, 45);
    let with_zeros = random_game(&mut rng, 3, 6)?;
    let positive = {
        let g = random_game(&mut rng, 3, 6)?;
        let uniform = Discrete::uniform(6)?;
        let mix = |d: &Discrete| d.mix(&uniform, 0.5);
        ConditionalGame::new(
            g.labels().mix(&Discrete::uniform(3)?, 0.5)?,
            g.data().iter().map(mix).collect::<Result<_>>()?,
            g.generated().iter().map(mix).collect::<Result<_>>()?,
        )?
    };
    let positive_steps = steps_for_target(&positive, TRAINED_TARGET, MAX_STEPS);
    let run = |g: &ConditionalGame, steps: usize| {
        ascend(
            g,
            &zero_start(g),
            AscentSettings::largest_safe_step(g, steps),
        )
    };
    Ok(AscentExperiment {
        positive_steps,
        runs: [
            run(&with_zeros, WITH_ZEROS_STEPS)?,
            run(&positive, positive_steps)?,
        ],
    })
}
