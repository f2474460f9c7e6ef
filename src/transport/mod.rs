//! Optimal transport: the exact Earth Mover distance on discrete
//! distributions (plan, dual potentials and a certificate of optimality),
//! ground costs, the one-dimensional fast paths and the
//! Kantorovich-Rubinstein potential (claims C1-C5).

pub mod line;
pub mod potential;
