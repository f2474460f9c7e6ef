//! Shared test support: the library's proptest strategies (from the root
//! crate's `tests/common`) and running the `gan-theory` binary.
#![allow(dead_code)]

#[path = "../../../tests/common/mod.rs"]
mod library;

#[allow(unused_imports)]
pub use library::*;

pub mod binary;
