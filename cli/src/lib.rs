//! The `gan-theory` command line: reading the user's files, and the commands
//! `verify`, `divergence`, `emd` and `w1`. The math is the `gan-theory` library;
//! this crate only reads, calls and prints.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod input;
