//! The experiments of claims A1-A4: A1's fixed game and the minibatch
//! sizes at which its check estimates the value function.

use crate::error::Result;
use crate::{Discrete, Discriminator};

/// A1's game: `p_data` and `p_g` on 5 points (each with a zero) and a fixed
/// discriminator strictly inside `(0, 1)`.
pub(crate) fn a1_game() -> Result<(Discrete, Discrete, Discriminator)> {
    Ok((
        Discrete::from_weights(&[3.0, 1.0, 0.0, 2.0, 4.0])?,
        Discrete::from_weights(&[1.0, 2.0, 3.0, 0.0, 1.0])?,
        Discriminator::from_probabilities(vec![0.7, 0.35, 0.1, 0.9, 0.55])?,
    ))
}

/// Minibatch estimates of `V` drawn per minibatch size in A1.
pub(crate) const A1_REPLICATES: usize = 400;

/// A1's minibatch sizes `m`.
pub(crate) const A1_BATCH_SIZES: [usize; 2] = [16, 256];
