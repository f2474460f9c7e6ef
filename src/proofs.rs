//! The written proofs of the claims, one module per claim.
//!
//! Each proof lives in `proofs/<ID>-<slug>.md` at the crate root, where it
//! reads as plain Markdown (GitHub renders its math), and is included here
//! as the documentation of one module, so that `cargo doc` renders it with
//! the rest of the API. The formulas are typeset by KaTeX, loaded from a CDN
//! by the crate's `katex-header.html`:
//!
//! ```text
//! RUSTDOCFLAGS="--html-in-header $(pwd)/katex-header.html" cargo doc --no-deps --lib
//! ```
//!
//! docs.rs passes the same header (see `[package.metadata.docs.rs]` in
//! `Cargo.toml`). Without it, the formulas show as their LaTeX source.
//!
//! Every proof has the same parts: the statement with its domains and
//! conventions, the sources (the paper, and what the user's seed notes say
//! or get wrong), the derivation step by step, and the tests that check the
//! claim numerically, including its entry in `gan-theory verify`. Rust code
//! blocks in a proof run as doctests.

pub mod a1_value_function {
    #![doc = include_str!("../proofs/A1-value-function.md")]
}

pub mod a2_pointwise_lemma {
    #![doc = include_str!("../proofs/A2-pointwise-lemma.md")]
}

pub mod a3_optimal_discriminator {
    #![doc = include_str!("../proofs/A3-optimal-discriminator.md")]
}

pub mod a4_global_optimum {
    #![doc = include_str!("../proofs/A4-global-optimum.md")]
}

pub mod b1_kl_divergence {
    #![doc = include_str!("../proofs/B1-kl-divergence.md")]
}

pub mod b2_js_divergence {
    #![doc = include_str!("../proofs/B2-js-divergence.md")]
}

pub mod b3_js_identity {
    #![doc = include_str!("../proofs/B3-js-identity.md")]
}

pub mod b4_maximum_likelihood {
    #![doc = include_str!("../proofs/B4-maximum-likelihood.md")]
}

pub mod b5_continuous_references {
    #![doc = include_str!("../proofs/B5-continuous-references.md")]
}

pub mod c1_optimal_transport {
    #![doc = include_str!("../proofs/C1-optimal-transport.md")]
}

pub mod c2_one_dimension {
    #![doc = include_str!("../proofs/C2-one-dimension.md")]
}

pub mod c3_kantorovich_rubinstein {
    #![doc = include_str!("../proofs/C3-kantorovich-rubinstein.md")]
}

pub mod c4_disjoint_supports {
    #![doc = include_str!("../proofs/C4-disjoint-supports.md")]
}

pub mod c5_weak_convergence {
    #![doc = include_str!("../proofs/C5-weak-convergence.md")]
}

pub mod a5_convergence {
    #![doc = include_str!("../proofs/A5-convergence.md")]
}

pub mod a6_algorithm1 {
    #![doc = include_str!("../proofs/A6-algorithm1.md")]
}

pub mod a7_non_saturating {
    #![doc = include_str!("../proofs/A7-non-saturating.md")]
}

pub mod a8_helvetica {
    #![doc = include_str!("../proofs/A8-helvetica.md")]
}

pub mod a9_step_size {
    #![doc = include_str!("../proofs/A9-step-size.md")]
}

pub mod d2_lsgan {
    #![doc = include_str!("../proofs/D2-lsgan.md")]
}

pub mod d3_ebgan {
    #![doc = include_str!("../proofs/D3-ebgan.md")]
}

pub mod d4_conditional_gan {
    #![doc = include_str!("../proofs/D4-conditional-gan.md")]
}

pub mod d5_f_gan {
    #![doc = include_str!("../proofs/D5-f-gan.md")]
}

pub mod e1_dirac_gan {
    #![doc = include_str!("../proofs/E1-dirac-gan.md")]
}

pub mod d1_wgan {
    #![doc = include_str!("../proofs/D1-wgan.md")]
}
