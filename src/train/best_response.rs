//! The generator's exact best response to the optimal discriminator, iterated
//! with or without damping: the "two-step iteration" that fixes `D*` and then
//! minimises `V(D*, G)` over `G` (claim [F4](crate::proofs::f4_best_response_cycle)).
//!
//! Against a fixed discriminator `D` both generator losses,
//! `E_{p_g}[ln(1 - D)]` and `E_{p_g}[-ln D]`, are linear in `p_g` and
//! decrease in `D`, so a best response is the point mass on `argmax D`
//! ([`best_response`]; claim A8). [`iterate_best_responses`] alternates
//! `D = D*_G` with a move of `p_g` towards that point mass:
//!
//! ```text
//! p_{t+1} = (1 - w_t) p_t + w_t delta_{argmax D*(p_data, p_t)}
//! ```
//!
//! with the weight `w_t` of a [`Mixing`]: 1 (the exact best response), a
//! constant, or `1/(t+2)` (then `p_t` is the running mean of the start and the
//! responses, fictitious play). The F4 proof shows that the first two never
//! settle on `p_data` and that the third converges at the rate `1/t`.

use crate::error::{Error, Result, check_same_length};
use crate::game::{self, Discriminator};
use crate::measure::Discrete;
use crate::train::tabular_game::argmax_d;

/// A generator's best response to the discriminator `d` under either loss:
/// the point mass on the first point where `d` is largest (compared by
/// logit). Ties have other best responses, every distribution on the tied
/// points; this one breaks them towards the lowest index.
///
/// Checked by claim [F4](crate::proofs::f4_best_response_cycle).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, game::optimal_discriminator};
/// use gan_theory::train::best_response::best_response;
/// let p_data = Discrete::new(vec![0.5, 0.5])?;
/// // G on (1, 0): D* = (1/3, 1), so G's best response is the other point.
/// let d = optimal_discriminator(&p_data, &Discrete::new(vec![1.0, 0.0])?)?;
/// assert_eq!(best_response(&d)?.as_slice(), &[0.0, 1.0]);
/// # Ok::<(), gan_theory::Error>(())
/// ```
///
/// # Errors
/// None for a validated discriminator (it has at least one point); the
/// `Result` is that of [`Discrete::point_mass`].
pub fn best_response(d: &Discriminator) -> Result<Discrete> {
    Discrete::point_mass(d.len(), argmax_d(d))
}

/// The weight `w_t` given to the best response at step `t` (counted from 0)
/// in [`iterate_best_responses`].
///
/// Checked by claim [F4](crate::proofs::f4_best_response_cycle).
///
/// # Example
/// ```
/// use gan_theory::train::best_response::Mixing;
/// assert_eq!(Mixing::Full.weight(7), 1.0);
/// assert_eq!(Mixing::Constant(0.1).weight(7), 0.1);
/// assert_eq!(Mixing::Harmonic.weight(0), 0.5);   // 1/(t + 2)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mixing {
    /// `w_t = 1`: `p_g` jumps to the best response (the exact two-step iteration).
    Full,
    /// `w_t = w` for every step, `0 < w <= 1`: a damped best response.
    Constant(f64),
    /// `w_t = 1/(t + 2)`: `p_t` is the mean of the start and the first `t`
    /// responses (fictitious play for the generator).
    Harmonic,
}

impl Mixing {
    /// The weight of the best response at step `t`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::train::best_response::Mixing;
    /// assert_eq!(Mixing::Harmonic.weight(2), 0.25);
    /// ```
    pub fn weight(&self, t: usize) -> f64 {
        match self {
            Mixing::Full => 1.0,
            Mixing::Constant(w) => *w,
            Mixing::Harmonic => 1.0 / (t as f64 + 2.0),
        }
    }
}

/// The result of [`iterate_best_responses`].
#[derive(Debug, Clone, PartialEq)]
pub struct BestResponseRun {
    /// `p_g` at every step, the start first (`steps + 1` entries).
    pub generated: Vec<Discrete>,
    /// The point the best response picked at every step (`steps` entries).
    pub responses: Vec<usize>,
    /// `C(G_t) = max_D V(D, G_t)` at every step (`steps + 1` entries).
    pub c_of_g: Vec<f64>,
}

/// `steps` rounds of the two-step iteration: `D = D*(p_data, p_t)`, then
/// `p_{t+1} = (1 - w_t) p_t + w_t best_response(D)` with `w_t` from `mixing`.
///
/// Checked by claim [F4](crate::proofs::f4_best_response_cycle).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] for a constant
/// weight outside `(0, 1]`.
///
/// # Example
/// For `p_data = (1/2, 1/2)` the exact best responses alternate between the
/// two point masses and `C(G)` stays at `-ln 4 + (3/2) ln(4/3)`, while
/// fictitious play approaches `p_data`:
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::train::best_response::{Mixing, iterate_best_responses};
/// let p_data = Discrete::new(vec![0.5, 0.5])?;
/// let start = Discrete::new(vec![0.9, 0.1])?;
/// let run = iterate_best_responses(&p_data, &start, Mixing::Full, 4)?;
/// assert_eq!(run.responses, vec![1, 0, 1, 0]);
/// let on_cycle = -4f64.ln() + 1.5 * (4.0f64 / 3.0).ln();
/// assert!(run.c_of_g[1..].iter().all(|c| (c - on_cycle).abs() < 1e-15));
/// let play = iterate_best_responses(&p_data, &start, Mixing::Harmonic, 1000)?;
/// assert!((play.generated[1000][0] - 0.5).abs() <= 0.5 / 1001.0 + 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn iterate_best_responses(
    p_data: &Discrete,
    start: &Discrete,
    mixing: Mixing,
    steps: usize,
) -> Result<BestResponseRun> {
    check_same_length(p_data.len(), start.len())?;
    if let Mixing::Constant(w) = mixing {
        if !(w > 0.0 && w <= 1.0) {
            return Err(Error::InvalidParameter {
                name: "mixing weight",
                value: w,
                requirement: "must lie in (0, 1]",
            });
        }
    }
    let mut p = start.clone();
    let mut generated = Vec::with_capacity(steps + 1);
    let mut responses = Vec::with_capacity(steps);
    let mut c_of_g = Vec::with_capacity(steps + 1);
    for t in 0..=steps {
        c_of_g.push(game::c_of_g(p_data, &p)?);
        generated.push(p.clone());
        if t == steps {
            break;
        }
        let d_star = game::optimal_discriminator(p_data, &p)?;
        let response = argmax_d(&d_star);
        responses.push(response);
        p = p.mix(&Discrete::point_mass(p.len(), response)?, mixing.weight(t))?;
    }
    Ok(BestResponseRun {
        generated,
        responses,
        c_of_g,
    })
}

/// The largest step size for which gradient descent on `C(G)` in the
/// generator's softmax logits (with `D = D*` at every step, as in
/// [`descend_c_of_g`](crate::train::tabular_game::descend_c_of_g)) is stable
/// at `p_g = p_data`: `2 / lambda_max`, with `lambda_max` the largest
/// eigenvalue of the Hessian `(diag(p_data) - p_data p_data^T) / 2` of `C` in
/// the logits there. Below it the error along every direction shrinks by
/// `|1 - step lambda_k|` per step near `p_data`; above it the error along the
/// top eigenvector grows by `step lambda_max - 1 > 1` per step, so `p_data`
/// repels (F4 proof). For `p_data = (1/2, 1/2)` it is 8, and the F4 proof
/// shows that there every start converges for steps up to 8.
///
/// Checked by claim [F4](crate::proofs::f4_best_response_cycle).
///
/// # Errors
/// [`Error::InvalidParameter`] when `p_data` has a zero entry (no interior
/// optimum) or a single point (no direction to move in).
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::train::best_response::largest_stable_step;
/// assert!((largest_stable_step(&Discrete::new(vec![0.5, 0.5])?)? - 8.0).abs() < 1e-12);
/// // On n equal masses lambda_max = 1/(2n): the boundary is 4n.
/// assert!((largest_stable_step(&Discrete::uniform(5)?)? - 20.0).abs() < 1e-12);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn largest_stable_step(p_data: &Discrete) -> Result<f64> {
    let a = p_data.as_slice();
    if let Some(i) = a.iter().position(|&x| x == 0.0) {
        return Err(Error::InvalidParameter {
            name: "zero-mass index of p_data",
            value: i as f64,
            requirement: "p_data must be positive everywhere",
        });
    }
    if a.len() < 2 {
        return Err(Error::InvalidParameter {
            name: "points of p_data",
            value: a.len() as f64,
            requirement: "at least 2",
        });
    }
    let n = a.len();
    let hessian = nalgebra::DMatrix::from_fn(n, n, |r, c| {
        (if r == c { a[r] } else { 0.0 } - a[r] * a[c]) / 2.0
    });
    let lambda_max = nalgebra::SymmetricEigen::new(hessian)
        .eigenvalues
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    Ok(2.0 / lambda_max)
}
