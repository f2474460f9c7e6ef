//! The training layer: the only part of the crate that uses argmin (stub).
