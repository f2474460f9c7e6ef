//! The experiments behind the claims: for each claim, its instances,
//! constants and training runs, written once. The claim's check in
//! `claims` runs them and compares what they measure with the theory; the
//! report's figures draw the very same runs.

pub(crate) mod conditional;
pub(crate) mod dynamics;
pub(crate) mod ebgan;
pub(crate) mod game;
pub(crate) mod lsgan;
pub(crate) mod training;
pub(crate) mod transport;
pub(crate) mod wgan;
