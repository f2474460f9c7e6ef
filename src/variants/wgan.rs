//! Filled in by the wgan work (issue 5).
