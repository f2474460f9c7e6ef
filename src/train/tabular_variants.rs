//! Tabular discriminators trained on the LSGAN and EBGAN objectives (claims
//! D2, D3), and a tabular generator trained against LSGAN's best response.
//!
//! Serves claims [D2](crate::proofs::d2_lsgan), [D3](crate::proofs::d3_ebgan).
//!
//! Everything here is full-batch, deterministic arithmetic (no sampling, no
//! argmin): the objectives are simple enough that each iterate has a closed
//! form or a derived bound to be checked against.
//!
//! - LSGAN: `L_D` is a separable quadratic, `∂L_D/∂D_i = w_i (D_i - D*_i)`
//!   with `w_i = p_i + q_i`, so a gradient step of size `eta` multiplies the
//!   error of coordinate `i` by exactly `1 - eta w_i`:
//!   `D_t = D* + (1 - eta w)^t (D_0 - D*)` ([`lsgan_iterate`]).
//! - EBGAN: `L_D` is piecewise linear in each coordinate; projected
//!   subgradient steps `D <- max(0, D - eta g)` reach, after a number of steps
//!   [`ebgan_steps_to_band`], a band around a best response where
//!   `0 <= L_D(D_t) - m (1 - TV) <= eta sum_{p_i < q_i} max(q_i - p_i, p_i)²`
//!   ([`ebgan_excess_bound`]); the derivation is in `proofs/D3-ebgan.md`.
//! - LSGAN's generator: exponentiated-gradient (mirror descent) steps on its
//!   loss with `D = D*` recomputed at every step, with `T(p_data, p_g)`
//!   recorded ([`train_lsgan_generator`]).

use crate::error::{Error, Result, check_same_length};
use crate::measure::{Discrete, check_finite, same_len};
use crate::tabular::TabularGenerator;
use crate::tol::EPS;
use crate::variants::ebgan::{self, Energy, Margin};
use crate::variants::lsgan::{self, LsganLabels};

/// Rounding allowance, in units of `EPS * scale` per step, between the LSGAN
/// gradient iteration and its closed form (see [`lsgan_iterate_tolerance`]).
///
/// Reason: one step computes `D - b`, `D - a`, two products, a sum, a
/// product by `eta` and a subtraction, each rounded once (relative error
/// `EPS/2`); with `|D_t| + max(|a|, |b|) <= scale` and `eta w_i < 2`
/// these add up to at most `5.5 EPS scale`, and errors already made are
/// multiplied by `|1 - eta w_i| <= 1`, so they add up over the steps without
/// growing. The closed form's own rounding (`D*`, the power, a product and a
/// sum) is a few `EPS scale` more; 8 per step, with one extra step, covers both.
pub const LSGAN_ROUNDING_ULPS_PER_STEP: f64 = 8.0;

/// Rounding allowance, in units of `EPS (m + max D_0)`, for comparing the
/// EBGAN energy's loss with its derived bound (see [`ebgan_excess_tolerance`]).
///
/// Reason: `L_D` is a compensated sum of at most `2n` non-negative terms of
/// total at most `m + max D_0` (a few ulps), and each iterate carries the
/// rounding of its last step (the band argument resets the position relative
/// to `m` at every step, so it does not accumulate): 16 leaves margin for both.
pub const EBGAN_ROUNDING_ULPS: f64 = 16.0;

/// The largest step for which LSGAN's gradient iteration contracts at every
/// charged point: `2 / max_i (p_i + q_i)` (steps must be strictly smaller).
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
pub fn lsgan_step_limit(p_data: &Discrete, p_g: &Discrete) -> Result<f64> {
    same_len(p_data, p_g)?;
    let max_weight = p_data
        .as_slice()
        .iter()
        .zip(p_g.as_slice())
        .map(|(p, q)| p + q)
        .fold(0.0, f64::max);
    Ok(2.0 / max_weight)
}

fn check_step(step: f64, limit: f64) -> Result<()> {
    if !(step.is_finite() && step > 0.0 && step < limit) {
        return Err(Error::InvalidParameter {
            name: "step",
            value: step,
            requirement: "must be positive and below the contraction limit (2 / max(p_i + q_i) for LSGAN)",
        });
    }
    Ok(())
}

/// A record of LSGAN discriminator training.
#[derive(Debug, Clone, PartialEq)]
pub struct LsganDiscriminatorRun {
    /// The final scores `D_T`.
    pub scores: Vec<f64>,
    /// `L_D(D_t)` for `t = 0..=T`.
    pub loss: Vec<f64>,
    /// `max_i |D_t,i - D*_i|` over the points with `p_i + q_i > 0`, for `t = 0..=T`.
    pub max_error: Vec<f64>,
    /// The scores `D_t` for `t = 0..=T` (one row per step, for figures).
    pub history: Vec<Vec<f64>>,
}

/// Full-batch gradient descent on LSGAN's discriminator loss from `start`:
/// `D_{t+1} = D_t - step ∇L_D(D_t)`, `steps` times.
///
/// At points with `p_i + q_i = 0` the gradient is 0 and the score stays at
/// its start.
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::NotANumber`] or [`Error::Infinite`]
/// for a bad start; [`Error::InvalidParameter`] unless
/// `0 < step < lsgan_step_limit(p, q)`; [`Error::NotConverged`] if an
/// iterate overflows `f64` (possible only for starts near `f64::MAX`).
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::train::tabular_variants::{lsgan_iterate, train_lsgan_discriminator};
/// use gan_theory::variants::lsgan::LsganLabels;
/// let (p, q) = (Discrete::new(vec![0.5, 0.3, 0.2])?, Discrete::new(vec![0.2, 0.3, 0.5])?);
/// let labels = LsganLabels::chi2_labels();
/// let run = train_lsgan_discriminator(&labels, &p, &q, &[0.0; 3], 0.5, 100)?;
/// let closed = lsgan_iterate(&labels, &p, &q, &[0.0; 3], 0.5, 100)?;
/// assert!(run.scores.iter().zip(&closed).all(|(x, y)| (x - y).abs() < 1e-13));
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn train_lsgan_discriminator(
    labels: &LsganLabels,
    p_data: &Discrete,
    p_g: &Discrete,
    start: &[f64],
    step: f64,
    steps: usize,
) -> Result<LsganDiscriminatorRun> {
    check_step(step, lsgan_step_limit(p_data, p_g)?)?;
    check_same_length(p_data.len(), start.len())?;
    check_finite(start)?;
    let optimum = lsgan::optimal_discriminator(labels, p_data, p_g)?;
    let charged: Vec<bool> = (0..start.len()).map(|i| p_data[i] + p_g[i] > 0.0).collect();
    let max_error = |d: &[f64]| {
        d.iter()
            .zip(&optimum)
            .zip(&charged)
            .filter(|(_, c)| **c)
            .map(|((x, y), _)| (x - y).abs())
            .fold(0.0, f64::max)
    };
    let mut d = start.to_vec();
    let mut run = LsganDiscriminatorRun {
        scores: Vec::new(),
        loss: vec![lsgan::discriminator_loss(labels, p_data, p_g, &d)?],
        max_error: vec![max_error(&d)],
        history: vec![d.clone()],
    };
    for _ in 0..steps {
        let gradient = lsgan::discriminator_loss_gradient(labels, p_data, p_g, &d)?;
        for (x, g) in d.iter_mut().zip(&gradient) {
            *x -= step * g;
        }
        // In exact arithmetic |D_t - D*| never grows; in f64 a start within
        // a factor 2 of f64::MAX can overflow the gradient. Stop rather than
        // carry inf (and then NaN) on.
        if d.iter().any(|x| !x.is_finite()) {
            return Err(Error::NotConverged {
                what: "LSGAN discriminator training",
                detail: format!(
                    "an iterate overflowed f64 after {} steps; start closer to the labels",
                    run.loss.len()
                ),
            });
        }
        run.loss
            .push(lsgan::discriminator_loss(labels, p_data, p_g, &d)?);
        run.max_error.push(max_error(&d));
        run.history.push(d.clone());
    }
    run.scores = d;
    Ok(run)
}

/// The closed form of the LSGAN gradient iteration after `t` steps:
/// `D_t,i = D*_i + (1 - step (p_i + q_i))^t (D_0,i - D*_i)`.
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// As [`train_lsgan_discriminator`].
pub fn lsgan_iterate(
    labels: &LsganLabels,
    p_data: &Discrete,
    p_g: &Discrete,
    start: &[f64],
    step: f64,
    t: usize,
) -> Result<Vec<f64>> {
    check_step(step, lsgan_step_limit(p_data, p_g)?)?;
    check_same_length(p_data.len(), start.len())?;
    check_finite(start)?;
    let optimum = lsgan::optimal_discriminator(labels, p_data, p_g)?;
    Ok((0..start.len())
        .map(|i| {
            let weight = p_data[i] + p_g[i];
            if weight > 0.0 {
                let factor = (1.0 - step * weight).powf(t as f64);
                // Halved and doubled (exact in binary) so that start - D*
                // cannot overflow for starts near f64::MAX.
                optimum[i] + 2.0 * (factor * (0.5 * start[i] - 0.5 * optimum[i]))
            } else {
                start[i]
            }
        })
        .collect())
}

/// How far the computed iteration may be from [`lsgan_iterate`] after `t`
/// steps: `LSGAN_ROUNDING_ULPS_PER_STEP (t + 1) EPS scale` with
/// `scale = max_i |D_0,i| + 3 max(|a|, |b|)`, a bound on
/// `|D_t| + max(|a|, |b|)` (`|D_t - D*| <= |D_0 - D*|` and `|D*| <= max(|a|, |b|)`).
pub fn lsgan_iterate_tolerance(labels: &LsganLabels, start: &[f64], t: usize) -> f64 {
    let start_max = start.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    let label_max = labels.a().abs().max(labels.b().abs());
    // The factor first, then one product per part of the scale: the scale
    // itself overflows for starts or labels near f64::MAX, and an infinite
    // tolerance would let any iterate pass.
    let factor = LSGAN_ROUNDING_ULPS_PER_STEP * (t as f64 + 1.0) * EPS;
    factor * start_max + (3.0 * factor) * label_max
}

/// A record of EBGAN energy training.
#[derive(Debug, Clone, PartialEq)]
pub struct EbganEnergyRun {
    /// The final energy `D_T`.
    pub energy: Energy,
    /// `L_D(D_t)` for `t = 0..=T`.
    pub loss: Vec<f64>,
    /// The energies' values `D_t` for `t = 0..=T` (one row per step, for figures).
    pub history: Vec<Vec<f64>>,
}

/// Projected subgradient descent on EBGAN's energy loss from `start`:
/// `D_{t+1} = max(0, D_t - step g_t)` with the subgradient of
/// [`ebgan::discriminator_subgradient`], `steps` times.
///
/// Checked by claim [D3](crate::proofs::d3_ebgan).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] unless `step` is
/// finite and positive.
pub fn train_ebgan_energy(
    margin: &Margin,
    p_data: &Discrete,
    p_g: &Discrete,
    start: &Energy,
    step: f64,
    steps: usize,
) -> Result<EbganEnergyRun> {
    check_positive_step(step)?;
    let mut energy = start.clone();
    let mut loss = vec![ebgan::discriminator_loss(margin, p_data, p_g, &energy)?];
    let mut history = vec![energy.values().to_vec()];
    for _ in 0..steps {
        let g = ebgan::discriminator_subgradient(margin, p_data, p_g, &energy)?;
        let next: Vec<f64> = energy
            .values()
            .iter()
            .zip(&g)
            .map(|(d, g)| (d - step * g).max(0.0))
            .collect();
        energy = Energy::new(next)?;
        loss.push(ebgan::discriminator_loss(margin, p_data, p_g, &energy)?);
        history.push(energy.values().to_vec());
    }
    Ok(EbganEnergyRun {
        energy,
        loss,
        history,
    })
}

fn check_positive_step(step: f64) -> Result<()> {
    if !(step.is_finite() && step > 0.0) {
        return Err(Error::InvalidParameter {
            name: "step",
            value: step,
            requirement: "must be finite and positive",
        });
    }
    Ok(())
}

/// The bound `eta sum_{i: p_i < q_i} s_i²`, `s_i = max(q_i - p_i, p_i)`, on
/// `L_D(D_t) - m (1 - TV(p, q))` for every `t >= ebgan_steps_to_band(..)`.
///
/// Checked by claim [D3](crate::proofs::d3_ebgan).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] for a bad step.
pub fn ebgan_excess_bound(p_data: &Discrete, p_g: &Discrete, step: f64) -> Result<f64> {
    same_len(p_data, p_g)?;
    check_positive_step(step)?;
    Ok(step
        * crate::numeric::sum(
            p_data
                .as_slice()
                .iter()
                .zip(p_g.as_slice())
                .filter(|(p, q)| p < q)
                .map(|(&p, &q)| (q - p).max(p).powi(2)),
        ))
}

/// A number of projected subgradient steps after which every coordinate is
/// in its band (so [`ebgan_excess_bound`] holds from then on), derived per
/// coordinate in `proofs/D3-ebgan.md`; one step is added for rounding.
/// Saturates at `usize::MAX` for absurd ratios.
///
/// Checked by claim [D3](crate::proofs::d3_ebgan).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] for a bad step.
pub fn ebgan_steps_to_band(
    margin: &Margin,
    p_data: &Discrete,
    p_g: &Discrete,
    start: &Energy,
    step: f64,
) -> Result<usize> {
    same_len(p_data, p_g)?;
    check_same_length(p_data.len(), start.len())?;
    check_positive_step(step)?;
    let m = margin.value();
    let steps_for = |distance: f64, speed: f64| -> f64 {
        if distance <= 0.0 {
            0.0
        } else {
            (distance / (step * speed)).ceil()
        }
    };
    let mut worst = 0.0_f64;
    for (i, &d0) in start.values().iter().enumerate() {
        let (p, q) = (p_data[i], p_g[i]);
        let needed = if p < q {
            let rise = q - p;
            let half_width = step * rise.max(p);
            let from_below = steps_for(m - half_width - d0, rise);
            let from_above = if p > 0.0 {
                steps_for(d0 - m - half_width, p)
            } else {
                0.0
            };
            from_below.max(from_above)
        } else if p > q {
            // Every step lowers D by at least step (p - q) until it is 0.
            steps_for(d0, p - q)
        } else if p > 0.0 {
            steps_for(d0 - m, p)
        } else {
            0.0
        };
        worst = worst.max(needed);
    }
    // f64 -> usize saturates; + 1 for rounding.
    Ok((worst as usize).saturating_add(1))
}

/// `EBGAN_ROUNDING_ULPS EPS (m + max D_0)`: the rounding allowance on top
/// of [`ebgan_excess_bound`].
pub fn ebgan_excess_tolerance(margin: &Margin, start: &Energy) -> f64 {
    let start_max = start.values().iter().fold(0.0_f64, |m, &x| m.max(x));
    // One product per part: m + max D_0 overflows for values near f64::MAX,
    // and an infinite tolerance would let any loss pass.
    let factor = EBGAN_ROUNDING_ULPS * EPS;
    factor * margin.value() + factor * start_max
}

/// A record of LSGAN generator training against the best response.
#[derive(Debug, Clone, PartialEq)]
pub struct LsganGeneratorRun {
    /// The final generator.
    pub generator: TabularGenerator,
    /// `T(p_data, p_g,t) = ½ chi2(2 p_g ‖ p_data + p_g)` for `t = 0..=T`.
    pub divergence: Vec<f64>,
    /// The generator's loss at the best response, `L_G(D*_t)`, for `t = 0..=T`.
    pub objective: Vec<f64>,
    /// For each step `t = 0..T-1`, the first-order rate of change of
    /// `L_G(D*)` along it, `d/d eta L_G(D*) = -Cov_q(g, h)` at `eta = 0`, with
    /// `g` the cost the step follows and `h` the true gradient
    /// ([`lsgan::generator_value_gradient_in_p_g`]); `<= 0` means the step
    /// starts downhill.
    pub slope: Vec<f64>,
    /// The generator's distribution `p_g,t` for `t = 0..=T` (one row per step, for figures).
    pub history: Vec<Vec<f64>>,
}

/// The generator trained against LSGAN's best response: at every step
/// `D = D*(p_data, p_g)` is recomputed in closed form and held fixed, and
/// the generator takes an exponentiated-gradient (mirror descent) step on
/// its loss, `p_g,i <- p_g,i exp(-step ½ (D*_i - c)²) / Z` (a move of the
/// logits by `-step` times the loss's gradient in `p_g`).
///
/// Whether this lowers `T` depends on the labels: with `c` at or beyond the
/// real label (`(b - a)(D* - c) <= 0`, as in [`LsganLabels::binary_labels`])
/// each step lowers `L_G(D*)` to first order; with `c` between `a` and `b`
/// (as in [`LsganLabels::chi2_labels`]) it can raise it. See
/// `proofs/D2-lsgan.md`.
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] unless `step` is
/// finite and positive.
pub fn train_lsgan_generator(
    labels: &LsganLabels,
    p_data: &Discrete,
    start: &TabularGenerator,
    step: f64,
    steps: usize,
) -> Result<LsganGeneratorRun> {
    check_positive_step(step)?;
    check_same_length(p_data.len(), start.len())?;
    let mut generator = start.clone();
    let record = |g: &TabularGenerator| -> Result<(f64, f64)> {
        let q = g.distribution();
        Ok((
            lsgan::lsgan_divergence(p_data, &q)?,
            lsgan::generator_value_at_optimum(labels, p_data, &q)?,
        ))
    };
    let (t0, v0) = record(&generator)?;
    let mut run = LsganGeneratorRun {
        generator: generator.clone(),
        divergence: vec![t0],
        objective: vec![v0],
        // Grown step by step: `steps` is the caller's, and reserving it up
        // front would abort on a huge count before the first step could fail.
        slope: Vec::new(),
        history: vec![generator.distribution().into_vec()],
    };
    for _ in 0..steps {
        let q = generator.distribution();
        let d_star = lsgan::optimal_discriminator(labels, p_data, &q)?;
        let cost = lsgan::generator_loss_gradient_in_p_g(labels, &d_star)?;
        let true_gradient = lsgan::generator_value_gradient_in_p_g(labels, p_data, &q)?;
        run.slope.push(-covariance(&q, &cost, &true_gradient));
        generator = generator.moved(&cost, -step)?;
        let (t, v) = record(&generator)?;
        run.divergence.push(t);
        run.objective.push(v);
        run.history.push(generator.distribution().into_vec());
    }
    run.generator = generator;
    Ok(run)
}

/// `Cov_q(f, g) = E_q[(f - E_q f)(g - E_q g)]`, over the points with `q_i > 0`.
fn covariance(q: &Discrete, f: &[f64], g: &[f64]) -> f64 {
    let (mean_f, mean_g) = (q.expect(|i| f[i]), q.expect(|i| g[i]));
    q.expect(|i| (f[i] - mean_f) * (g[i] - mean_g))
}
