//! The WGAN critic as a small MLP: weight clipping and the gradient penalty with its exact parameter gradient (claim D1). Filled in by issue 5.
