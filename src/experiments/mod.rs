//! The experiments behind the claims: for each claim, its instances,
//! constants and training runs, written once. The claim's check in
//! `claims` runs them and compares what they measure with the theory; the
//! report's figures draw the very same runs.

// Some runs (and the constants of the figures' own runs) are drawn only by the
// report's figures: with `verify` alone they are compiled but not called.
#![cfg_attr(not(feature = "report"), allow(dead_code))]

pub(crate) mod best_response;
pub(crate) mod conditional;
pub(crate) mod discriminator_steps;
pub(crate) mod dynamics;
pub(crate) mod ebgan;
pub(crate) mod game;
pub(crate) mod lsgan;
pub(crate) mod modes;
pub(crate) mod patchgan;
pub(crate) mod penalty;
pub(crate) mod samples;
pub(crate) mod segments;
pub(crate) mod slope;
pub(crate) mod training;
pub(crate) mod transport;
pub(crate) mod wgan;

/// Everything a check may depend on: the seed of its random draws.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// Seed for every random number a check draws; the same seed gives the same numbers.
    pub seed: u64,
}

impl Default for Context {
    fn default() -> Self {
        Self { seed: 2014 }
    }
}

/// A random distribution on `n` points for the experiments: about a third of the
/// entries exactly 0, at least one positive.
pub(crate) fn random_distribution<R: rand::Rng + ?Sized>(rng: &mut R, n: usize) -> crate::Discrete {
    use rand::RngExt;
    loop {
        let w: Vec<f64> = (0..n)
            .map(|_| {
                if rng.random::<f64>() < 1.0 / 3.0 {
                    0.0
                } else {
                    rng.random::<f64>()
                }
            })
            .collect();
        if let Ok(p) = crate::Discrete::from_weights(&w) {
            return p;
        }
    }
}

/// A distribution with every entry at least `floor / n` of the total: weights
/// uniform in `[floor, 1]`.
pub(crate) fn full_support<R: rand::Rng + ?Sized>(
    rng: &mut R,
    n: usize,
    floor: f64,
) -> crate::Discrete {
    use rand::RngExt;
    let w: Vec<f64> = (0..n)
        .map(|_| floor + (1.0 - floor) * rng.random::<f64>())
        .collect();
    crate::Discrete::from_weights(&w).expect("positive finite weights")
}

/// Seeded generator for an experiment: the context's seed mixed with a per-claim salt,
/// so that claims draw independent numbers.
pub(crate) fn rng_for(context: &Context, salt: u64) -> rand::rngs::StdRng {
    use rand::SeedableRng;
    rand::rngs::StdRng::seed_from_u64(context.seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// The seeds of `runs` independently seeded runs of one training outcome
/// (A6's Figure-1 run, D1's critics and generator; see
/// `claims::replicated`): `runs` draws of [`rng_for`]`(context, salt)`. The
/// first is the run the report's figures draw.
pub(crate) fn replicate_seeds(context: &Context, salt: u64, runs: usize) -> Vec<u64> {
    use rand::RngExt;
    let mut rng = rng_for(context, salt);
    (0..runs).map(|_| rng.random::<u64>()).collect()
}
