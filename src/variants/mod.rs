//! The game's variants after Goodfellow et al. 2014, in closed form: what each
//! objective's best discriminator (critic, energy) is for a fixed generator, and
//! which divergence the generator then minimises.
//!
//! Serves claims [D1](crate::proofs::d1_wgan), [D2](crate::proofs::d2_lsgan),
//! [D3](crate::proofs::d3_ebgan), [D4](crate::proofs::d4_conditional_gan),
//! [D5](crate::proofs::d5_f_gan).
//!
//! - [`affine`]: restricted discriminators on the line, a logistic one and
//!   LSGAN's least-squares affine one, and the generator gradients they give
//!   as the two laws move apart (claim F7).
//! - [`wgan`]: the Wasserstein critic's objective and losses, the gradient
//!   penalty's interpolates and term, the optimal critic on the line and the
//!   certified lower bound on W1 (claim D1).
//! - [`lsgan`]: least squares with labels (a, b, c); D* and the generator's
//!   value ½ chi2(2 p_g ‖ p_data + p_g) (claim D2).
//! - [`ebgan`]: an energy with a margin m; the best energy, m (1 - TV) and the
//!   Nash equilibria (claim D3).
//! - [`conditional`]: conditional GANs on a finite label set and pix2pix (claim D4).
//! - [`fgan`]: f-divergences, their conjugates and output activations (claim D5).
//! - [`patchgan`]: pix2pix's patch ("Markovian") discriminator on small binary
//!   images: its optimum and value depend only on the position-averaged
//!   window distributions (claim F5).
//!
//! Everything here is deterministic arithmetic on [`Discrete`](crate::Discrete)
//! distributions; models and training live in the layers above.

pub mod affine;
pub mod conditional;
pub mod ebgan;
pub mod fgan;
pub mod lsgan;
pub mod patchgan;
pub mod wgan;
