//! The 2-D Gaussian-mixture benchmarks of mode collapse (the ring of
//! Metz et al. 2016 and the grid of Srivastava et al. 2017 / Lin et al. 2018)
//! and their metrics, as the public code of PacGAN (Lin, Khetan, Fanti, Oh,
//! "PacGAN: The power of two samples in generative adversarial networks",
//! 2018; its `synthetic_data_experiments`) defines them.
//!
//! Serves claim [G1](crate::proofs::g1_mode_collapse).
//!
//! **Data.** [`Mixture::Ring`]: 8 equally weighted Gaussians with centres
//! `c_i = (cos(2 pi i / 8), sin(2 pi i / 8))`, `i = 0..7`, tabulated with
//! `cos(pi / 4) = sin(pi / 4) = 1/sqrt 2` rounded to `f64` (eight distinct
//! points: the angle step is `2 pi / 8`, not the `2 pi / 7` that
//! `linspace(0, 2 pi, 8)` gives, which puts centres 0 and 7 on one point),
//! each with covariance `0.01^2 I`. [`Mixture::Grid`]: 25 Gaussians with
//! centres `(i, j)` for `i, j` in `{-4, -2, 0, 2, 4}` (`i` the outer loop),
//! covariance `0.05^2 I`.
//!
//! **Metrics** of `n` generated samples `x_1..x_n` (PacGAN evaluates
//! `n = 2500`, [`EVALUATION_SAMPLES`]): each sample goes to its nearest centre
//! `k(x) = argmin_k d_k(x)` (the first on a tie), where
//!
//! ```text
//! d_k(x) = sqrt((x_1 - c_k1)^2 / s^2 + (x_2 - c_k2)^2 / s^2)     (distance in standard deviations)
//! ```
//!
//! and is *high quality* when `d_k(x) < 3` ([`HIGH_QUALITY_RADIUS_SD`]).
//! With `h_k` the high-quality samples at centre `k` and `K` the centres:
//!
//! - `modes` = `#{k : h_k >= 1}` ([`MIN_HIGH_QUALITY_PER_MODE`]: PacGAN's
//!   code counts the centres with a non-zero count),
//! - `high_quality` = `sum_k h_k / n`,
//! - `reverse_kl` = `KL(p || u) = sum_{k : p_k > 0} p_k ln(K p_k)` with
//!   `p_k = h_k / sum_j h_j` (the mode histogram of the high-quality samples)
//!   and `u` uniform on the `K` centres; undefined (`None`) when no sample is
//!   high quality.
//!
//! The assignment, the counts `h_k`, `modes` and `high_quality` are a fixed
//! sequence of correctly rounded IEEE operations (`+ - * / sqrt`) on the
//! samples as given, so anyone recomputing them from a file of the samples
//! (written in Rust's shortest round-trip format) gets the same numbers, bit
//! for bit; `reverse_kl` adds one `ln` per occupied centre, which C libraries
//! may round differently in the last place.
//!
//! # Example
//! ```
//! use gan_theory::train::mixtures::{Mixture, evaluate};
//! let ring = Mixture::Ring;
//! // One sample on each centre: 8 modes, all high quality, KL 0.
//! let m = evaluate(ring, &ring.centres())?;
//! assert_eq!((m.modes, m.high_quality, m.reverse_kl), (8, 1.0, Some(0.0)));
//! // All on one centre: 1 mode, KL ln 8.
//! let m = evaluate(ring, &[[1.0, 0.0]; 10])?;
//! assert_eq!(m.modes, 1);
//! assert!((m.reverse_kl.unwrap() - 8f64.ln()).abs() < 1e-15);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::train::algorithm1::{Sampler, TrainingRng};
use nalgebra::DMatrix;
use rand::RngExt;

/// The number of generated samples PacGAN's code scores
/// (`num_log_figure_sample = 2500`).
pub const EVALUATION_SAMPLES: usize = 2500;

/// A sample is high quality when it lies within this many standard
/// deviations of its nearest centre (PacGAN's `dis_thre = 3`).
pub const HIGH_QUALITY_RADIUS_SD: f64 = 3.0;

/// A centre counts as a captured mode when at least this many high-quality
/// samples are assigned to it (PacGAN's code: a non-zero count).
pub const MIN_HIGH_QUALITY_PER_MODE: usize = 1;

/// One of the two benchmark mixtures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mixture {
    /// 8 Gaussians on the unit circle, standard deviation 0.01.
    Ring,
    /// 25 Gaussians on `{-4, -2, 0, 2, 4}^2`, standard deviation 0.05.
    Grid,
}

impl Mixture {
    /// The name used on the command line and in JSON (`ring`, `grid`).
    pub fn name(self) -> &'static str {
        match self {
            Mixture::Ring => "ring",
            Mixture::Grid => "grid",
        }
    }

    /// The mixture of a name (`ring`, `grid`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for any other name.
    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "ring" => Ok(Mixture::Ring),
            "grid" => Ok(Mixture::Grid),
            _ => Err(Error::InvalidParameter {
                name: "data",
                value: f64::NAN,
                requirement: "the data set must be ring or grid",
            }),
        }
    }

    /// The centres `c_k`, in PacGAN's order.
    ///
    /// # Example
    /// ```
    /// use gan_theory::train::mixtures::Mixture;
    /// let ring = Mixture::Ring.centres();
    /// assert_eq!(ring.len(), 8);
    /// assert_eq!(ring[0], [1.0, 0.0]);
    /// assert_eq!(Mixture::Grid.centres()[1], [-4.0, -2.0]);
    /// ```
    pub fn centres(self) -> Vec<[f64; 2]> {
        match self {
            Mixture::Ring => {
                // cos and sin of i pi / 4, exactly as tabulated (h is the
                // f64 nearest 1/sqrt 2): no call to a platform's sin and cos,
                // whose last bits differ between C libraries.
                let h = std::f64::consts::FRAC_1_SQRT_2;
                vec![
                    [1.0, 0.0],
                    [h, h],
                    [0.0, 1.0],
                    [-h, h],
                    [-1.0, 0.0],
                    [-h, -h],
                    [0.0, -1.0],
                    [h, -h],
                ]
            }
            Mixture::Grid => {
                let values = [-4.0, -2.0, 0.0, 2.0, 4.0];
                values
                    .iter()
                    .flat_map(|&i| values.iter().map(move |&j| [i, j]))
                    .collect()
            }
        }
    }

    /// The standard deviation `s` of every component.
    pub fn sd(self) -> f64 {
        match self {
            Mixture::Ring => 0.01,
            Mixture::Grid => 0.05,
        }
    }
}

/// The mixture as a [`Sampler`]: a uniformly drawn centre plus `s` times two
/// standard normals (Box-Muller).
impl Sampler for Mixture {
    fn dim(&self) -> usize {
        2
    }
    fn sample_into(&mut self, rng: &mut TrainingRng, out: &mut DMatrix<f64>) {
        let centres = self.centres();
        let sd = self.sd();
        for row in 0..out.nrows() {
            let k = rng.random_range(0..centres.len());
            let (a, b) = standard_normal_pair(rng);
            out[(row, 0)] = centres[k][0] + sd * a;
            out[(row, 1)] = centres[k][1] + sd * b;
        }
    }
}

/// The standard normal law on `R^d` (the generator's noise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardNormal {
    /// The dimension `d`.
    pub dim: usize,
}

impl Sampler for StandardNormal {
    fn dim(&self) -> usize {
        self.dim
    }
    fn sample_into(&mut self, rng: &mut TrainingRng, out: &mut DMatrix<f64>) {
        for pair in out.as_mut_slice().chunks_mut(2) {
            let (a, b) = standard_normal_pair(rng);
            pair[0] = a;
            if let Some(second) = pair.get_mut(1) {
                *second = b;
            }
        }
    }
}

/// Two independent standard normals by Box-Muller: `u1` uniform on `(0, 1]`,
/// `u2` on `[0, 1)`, `sqrt(-2 ln u1) (cos 2 pi u2, sin 2 pi u2)`.
fn standard_normal_pair(rng: &mut TrainingRng) -> (f64, f64) {
    let u1 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random();
    let radius = (-2.0 * u1.ln()).sqrt();
    let (sin, cos) = (std::f64::consts::TAU * u2).sin_cos();
    (radius * cos, radius * sin)
}

/// The metrics of a set of samples (see the [module documentation](self)).
#[derive(Debug, Clone, PartialEq)]
pub struct ModeMetrics {
    /// Centres holding at least [`MIN_HIGH_QUALITY_PER_MODE`] high-quality samples.
    pub modes: usize,
    /// The fraction of samples within [`HIGH_QUALITY_RADIUS_SD`] standard
    /// deviations of their nearest centre.
    pub high_quality: f64,
    /// `KL(p || uniform)` of the high-quality samples' mode histogram;
    /// `None` when no sample is high quality.
    pub reverse_kl: Option<f64>,
    /// `h_k`, the high-quality samples at each centre (in [`Mixture::centres`]' order).
    pub counts: Vec<usize>,
}

/// Scores `samples` against `mixture` as the [module documentation](self)
/// states.
///
/// # Errors
/// [`Error::Empty`] for no samples; [`Error::EntryNotANumber`] /
/// [`Error::EntryInfinite`] for a non-finite coordinate (row = sample).
///
/// # Example
/// ```
/// use gan_theory::train::mixtures::{Mixture, evaluate};
/// // 0.029 from a ring centre is within 3 sd (0.03); 0.031 is not.
/// let m = evaluate(Mixture::Ring, &[[1.029, 0.0], [0.0, 1.031]])?;
/// assert_eq!((m.modes, m.high_quality), (1, 0.5));
/// assert!(evaluate(Mixture::Ring, &[]).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn evaluate(mixture: Mixture, samples: &[[f64; 2]]) -> Result<ModeMetrics> {
    if samples.is_empty() {
        return Err(Error::Empty);
    }
    let centres = mixture.centres();
    let variance = mixture.sd() * mixture.sd();
    let mut counts = vec![0usize; centres.len()];
    for (row, x) in samples.iter().enumerate() {
        for (column, &value) in x.iter().enumerate() {
            if value.is_nan() {
                return Err(Error::EntryNotANumber { row, column });
            }
            if value.is_infinite() {
                return Err(Error::EntryInfinite { row, column, value });
            }
        }
        let (mut nearest, mut best) = (0, f64::INFINITY);
        for (k, c) in centres.iter().enumerate() {
            let (dx, dy) = (x[0] - c[0], x[1] - c[1]);
            let distance = (dx * dx / variance + dy * dy / variance).sqrt();
            if distance < best {
                (nearest, best) = (k, distance);
            }
        }
        if best < HIGH_QUALITY_RADIUS_SD {
            counts[nearest] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    let modes = counts
        .iter()
        .filter(|&&h| h >= MIN_HIGH_QUALITY_PER_MODE)
        .count();
    let reverse_kl = (total > 0).then(|| {
        let k = centres.len() as f64;
        counts
            .iter()
            .filter(|&&h| h > 0)
            .map(|&h| {
                let p = h as f64 / total as f64;
                p * (k * p).ln()
            })
            .sum::<f64>()
    });
    Ok(ModeMetrics {
        modes,
        high_quality: total as f64 / samples.len() as f64,
        reverse_kl,
        counts,
    })
}
