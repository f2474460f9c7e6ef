// The front page is README as the build script prepares it for rustdoc:
// figures embedded, proof links to the proof modules (see build.rs).
#![doc = include_str!(concat!(env!("OUT_DIR"), "/README.md"))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "verify")]
pub mod claims;
pub mod continuous;
pub mod critic;
pub mod divergence;
pub mod dynamics;
pub mod error;
#[cfg(feature = "verify")]
pub(crate) mod experiments;
pub mod game;
#[cfg(feature = "report")]
pub(crate) mod math;
pub mod measure;
pub mod mlp;
pub(crate) mod numeric;
pub mod optim;
pub mod proofs;
#[cfg(feature = "report")]
pub mod report;
pub mod sources;
pub mod tabular;
pub mod tol;
pub mod train;
pub mod transport;
pub mod variants;

/// The optimisation crate whose traits the training problems implement
/// (for example [`train::inner_max::MlpInnerProblem`]), re-exported for the
/// same reason.
pub use argmin;
pub use error::{Error, Result};
pub use game::Discriminator;
pub use measure::Discrete;
/// The linear-algebra crate of the public signatures (MLP weights, training data),
/// re-exported so that a dependent never has to match its version by hand.
pub use nalgebra;
/// The random-number crate of the public signatures (samplers, seeded training),
/// re-exported so that a dependent never has to match its version by hand.
pub use rand;
/// The statistics crate behind [`continuous::Normal::as_statrs`] and
/// [`continuous::Uniform::as_statrs`], re-exported for the same reason.
pub use statrs;
