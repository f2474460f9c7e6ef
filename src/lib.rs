#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod claims;
pub mod continuous;
pub mod critic;
pub mod divergence;
pub mod dynamics;
pub mod error;
pub mod game;
pub mod io;
pub mod measure;
pub mod mlp;
pub mod numeric;
pub mod optim;
pub mod proofs;
pub mod report;
pub mod tabular;
pub mod tol;
pub mod train;
pub mod transport;
pub mod variants;

pub use error::{Error, Result};
pub use game::Discriminator;
pub use measure::Discrete;
