//! Algorithm 1 of Goodfellow et al. (2014): k discriminator steps on
//! minibatches, then one generator step, with a training history.
