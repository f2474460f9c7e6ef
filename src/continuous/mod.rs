//! One-dimensional continuous densities and their divergences by quadrature,
//! checked against closed forms (claim B5).
//!
//! Serves claim [B5](crate::proofs::b5_continuous_references).
//!
//! - [`density`]: the [`Density`] trait and validated [`Normal`], [`Uniform`]
//!   and [`NormalMixture`] densities built on statrs.
//! - [`quadrature`]: globally adaptive Gauss-Kronrod 7-15 quadrature that
//!   reports its own error estimate ([`Quadrature`], [`Estimate`]).
//! - [`divergence`]: entropy, cross-entropy, KL, JS, total variation, Pearson
//!   χ² and squared Hellinger of densities, each integrated in log space.
//! - [`closed_form`]: the references, such as
//!   `KL(N(m1, s1^2) || N(m2, s2^2)) = ln(s2/s1) + (s1^2 + (m1 - m2)^2)/(2 s2^2) - 1/2`.
//!
//! # Example
//! ```
//! use gan_theory::continuous::{chi2, chi2_normals, Normal, Quadrature};
//! let p = Normal::new(0.0, 1.0)?;
//! let q = Normal::new(0.5, 1.2)?;
//! let est = chi2(&p, &q, &Quadrature::default())?;
//! let exact = chi2_normals(&p, &q);
//! assert!((est.value - exact).abs() <= est.error_estimate + 1e-13 * exact);
//! // chi2 is infinite when s1^2 >= 2 s2^2:
//! let wide = Normal::new(0.0, 2.0)?;
//! assert_eq!(chi2(&wide, &p, &Quadrature::default())?.value, f64::INFINITY);
//! # Ok::<(), gan_theory::Error>(())
//! ```

pub mod closed_form;
pub mod density;
pub mod divergence;
pub mod quadrature;
mod twofold;

pub use closed_form::{
    CLOSED_FORM_ABS, CLOSED_FORM_REL, LN_PDF_ROUNDING_ULPS, chi2_normals, chi2_normals_condition,
    chi2_quadrature_rounding, closed_form_rounding, entropy_normal, entropy_uniform,
    hellinger2_normals, kl_normals, kl_uniform_normal, tv_normals, w1_normals,
};
pub use density::{Density, Normal, NormalMixture, Tail, Uniform};
pub use divergence::{
    chi2, cross_entropy, crossings, entropy, hellinger2, integrate_pair, integration_pieces, js,
    kl, mass, total_variation,
};
pub use quadrature::{Estimate, Piece, Quadrature, RuleResult, gauss_kronrod_15};
