//! Training the WGAN critic and generator (claim D1). Filled in by issue 5.
