#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod claims;
pub mod continuous;
pub mod divergence;
pub mod error;
pub mod game;
pub mod io;
pub mod measure;
pub mod numeric;
pub mod proofs;
pub mod tol;
pub mod train;

pub use error::{Error, Result};
pub use game::Discriminator;
pub use measure::Discrete;
