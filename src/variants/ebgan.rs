//! Energy-based GAN (Zhao et al. 2017) on a finite support, in closed form.
//!
//! Serves claim [D3](crate::proofs::d3_ebgan).
//!
//! The discriminator is an energy `D >= 0` (in the paper an autoencoder's
//! reconstruction error; here any non-negative function, given by its
//! values on the points: an [`Energy`]; [`Energy::from_reconstruction`] builds
//! the paper's `‖Dec(Enc(x)) - x‖` from any reconstruction map). With a margin `m > 0`,
//! `p = p_data` and `q = p_g`:
//!
//! ```text
//! L_D(D) = E_p D + E_q [m - D]^+          (the energy minimises; V in the paper)
//! L_G(D) = E_q D                          (the generator minimises; U in the paper)
//! min_D L_D = m sum_i min(p_i, q_i) = m (1 - TV(p, q))
//! ```
//!
//! Per point, `D ↦ p_i D + q_i [m - D]^+` on `D >= 0` is minimised by `D = 0`
//! where `p_i > q_i`, by `D = m` where `p_i < q_i` (every `D >= m` if
//! `p_i = 0`), and by every `D` in `[0, m]` where `p_i = q_i`
//! ([`best_response_interval`]). So with `p_g = p_data` every energy with
//! values in `[0, m]` on the support is a best response, constant or not; it
//! is the generator's best response (mass on `argmin D`) that forces `D` to
//! be constant on the support at a Nash equilibrium ([`nash_gaps`]).

use crate::error::{Error, Result, check_same_length};
use crate::measure::{Discrete, check_non_negative, same_len};
use crate::numeric;

/// The margin `m > 0` of the hinge `[m - D]^+`.
///
/// Checked by claim [D3](crate::proofs::d3_ebgan).
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::ebgan::{Margin, best_value};
/// // The margin caps the energy's best loss: m (1 - TV) <= m.
/// let m = Margin::new(0.5)?;
/// let p = Discrete::uniform(3)?;
/// assert_eq!(best_value(&m, &p, &p)?, 0.5);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margin(f64);

impl Margin {
    /// A margin `m`, finite and positive.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `m` is NaN, infinite or `<= 0`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::ebgan::Margin;
    /// assert_eq!(Margin::new(1.5)?.value(), 1.5);
    /// for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
    ///     assert!(Margin::new(bad).is_err());
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(m: f64) -> Result<Self> {
        if !(m.is_finite() && m > 0.0) {
            return Err(Error::InvalidParameter {
                name: "m",
                value: m,
                requirement: "the margin must be finite and positive",
            });
        }
        Ok(Self(m))
    }

    /// The value `m`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::ebgan::{Margin, best_response_interval};
    /// let m = Margin::new(3.0)?;
    /// assert_eq!(m.value(), 3.0);
    /// // Where p < q the best energy is exactly m:
    /// assert_eq!(best_response_interval(&m, 0.1, 0.4), (m.value(), m.value()));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn value(&self) -> f64 {
        self.0
    }
}

/// A tabular energy: one finite value `D(x_i) >= 0` per point.
///
/// Checked by claim [D3](crate::proofs::d3_ebgan).
///
/// # Example
/// ```
/// use gan_theory::variants::ebgan::Energy;
/// let d = Energy::new(vec![0.0, 1.5, 2.0])?;
/// assert_eq!(d.values(), &[0.0, 1.5, 2.0]);
/// assert!(Energy::new(vec![0.5, -1.0]).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Energy(Vec<f64>);

impl Energy {
    /// From values, each finite and `>= 0` (`-0.0` is taken as 0).
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotANumber`], [`Error::Infinite`], [`Error::Negative`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Error, variants::ebgan::Energy};
    /// // -0.0 is stored as +0.0:
    /// let d = Energy::new(vec![-0.0, 2.0])?;
    /// assert!(d.values()[0].is_sign_positive());
    /// assert!(matches!(Energy::new(vec![1.0, -2.0]), Err(Error::Negative { index: 1, .. })));
    /// assert!(matches!(Energy::new(vec![]), Err(Error::Empty)));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(values: Vec<f64>) -> Result<Self> {
        check_non_negative(&values)?;
        Ok(Self(values.into_iter().map(|v| v + 0.0).collect()))
    }

    /// The energy `D(x_i) = f(i)` on the points `0..n`: any non-negative
    /// function, given by its values (an autoencoder's reconstruction error
    /// evaluated at each point, for instance).
    ///
    /// # Errors
    /// As [`Energy::new`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::ebgan::Energy;
    /// // D(x_i) = (i - 1)^2 on 0, 1, 2:
    /// let d = Energy::from_fn(3, |i| (i as f64 - 1.0).powi(2))?;
    /// assert_eq!(d.values(), &[1.0, 0.0, 1.0]);
    /// // A function negative somewhere is not an energy:
    /// assert!(Energy::from_fn(3, |i| 1.0 - i as f64).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn from_fn(n: usize, f: impl FnMut(usize) -> f64) -> Result<Self> {
        Self::new((0..n).map(f).collect())
    }

    /// The paper's autoencoder energy on points `x_0, ..., x_{n-1}` of `R^d`:
    /// `D(x_i) = ‖R(x_i) - x_i‖`, the Euclidean norm of the reconstruction
    /// error, for any reconstruction map `R` (an autoencoder's
    /// `Dec(Enc(x))`). The norm is computed with the coordinates scaled by
    /// their largest magnitude, so it does not overflow unless its value does.
    ///
    /// # Errors
    /// [`Error::Empty`] without points; [`Error::RaggedRow`] when a point's
    /// dimension differs from the first's; [`Error::EntryNotANumber`] or
    /// [`Error::EntryInfinite`] (row = point, column = coordinate) for a bad
    /// coordinate of a point or of its reconstruction;
    /// [`Error::DimensionMismatch`] when a reconstruction has another
    /// dimension than its point; [`Error::Infinite`] when a norm exceeds
    /// `f64::MAX`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::ebgan::Energy;
    /// // Project onto the first axis: the energy is the distance to that axis.
    /// let points = vec![vec![3.0, 4.0], vec![1.0, 0.0]];
    /// let d = Energy::from_reconstruction(&points, |x| vec![x[0], 0.0])?;
    /// assert_eq!(d.values(), &[4.0, 0.0]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn from_reconstruction(
        points: &[Vec<f64>],
        mut reconstruct: impl FnMut(&[f64]) -> Vec<f64>,
    ) -> Result<Self> {
        let dimension = points.first().ok_or(Error::Empty)?.len();
        let mut values = Vec::with_capacity(points.len());
        for (row, x) in points.iter().enumerate() {
            if x.len() != dimension {
                return Err(Error::RaggedRow {
                    row,
                    expected: dimension,
                    found: x.len(),
                });
            }
            check_row(row, x)?;
            let r = reconstruct(x);
            if r.len() != dimension {
                return Err(Error::DimensionMismatch {
                    left: dimension,
                    right: r.len(),
                });
            }
            check_row(row, &r)?;
            values.push(euclidean_distance(x, &r));
        }
        Self::new(values)
    }

    /// The constant energy `gamma` on `n` points.
    ///
    /// # Errors
    /// [`Error::Empty`] for `n = 0`, or as [`Energy::new`] for a bad `gamma`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::ebgan::{Energy, Margin, discriminator_loss};
    /// let d = Energy::constant(3, 0.5)?;
    /// assert_eq!(d.values(), &[0.5; 3]);
    /// // With p_g = p_data, gamma in [0, m] gives L_D = gamma + (m - gamma) = m.
    /// let (m, p) = (Margin::new(2.0)?, Discrete::new(vec![0.5, 0.3, 0.2])?);
    /// assert!((discriminator_loss(&m, &p, &p, &d)? - 2.0).abs() < 1e-15);
    /// assert!(Energy::constant(0, 0.5).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn constant(n: usize, gamma: f64) -> Result<Self> {
        Self::new(vec![gamma; n])
    }

    /// The values.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::ebgan::Energy;
    /// let d = Energy::from_fn(4, |i| 2.0 * i as f64)?;
    /// assert_eq!(d.values(), &[0.0, 2.0, 4.0, 6.0]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn values(&self) -> &[f64] {
        &self.0
    }

    /// Number of points.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::ebgan::Energy;
    /// let d = Energy::constant(5, 1.0)?;
    /// assert_eq!(d.len(), 5);
    /// assert_eq!(d.len(), d.values().len());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: an energy has at least one point.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::ebgan::Energy;
    /// assert!(!Energy::constant(1, 0.0)?.is_empty());
    /// // There is no empty energy to ask about:
    /// assert!(Energy::new(vec![]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The smallest value, `min_i D_i`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::ebgan::{Energy, generator_loss};
    /// let d = Energy::new(vec![3.0, 1.0, 2.0])?;
    /// assert_eq!(d.minimum(), 1.0);
    /// // The generator's best response, all mass on argmin D, attains it:
    /// assert_eq!(generator_loss(&Discrete::point_mass(3, 1)?, &d)?, d.minimum());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn minimum(&self) -> f64 {
        self.0.iter().copied().fold(f64::INFINITY, f64::min)
    }
}

/// Every coordinate finite, else the first offence as a matrix-entry error.
fn check_row(row: usize, x: &[f64]) -> Result<()> {
    for (column, &value) in x.iter().enumerate() {
        if value.is_nan() {
            return Err(Error::EntryNotANumber { row, column });
        }
        if value.is_infinite() {
            return Err(Error::EntryInfinite { row, column, value });
        }
    }
    Ok(())
}

/// `‖x - y‖` for finite vectors, scaled by the largest magnitude so that no
/// intermediate overflows or underflows needlessly (the result is `+inf`
/// only when the distance itself exceeds `f64::MAX`).
fn euclidean_distance(x: &[f64], y: &[f64]) -> f64 {
    let scale = x.iter().chain(y).fold(0.0_f64, |m, v| m.max(v.abs()));
    if scale == 0.0 {
        return 0.0;
    }
    let squares = numeric::sum(
        x.iter()
            .zip(y)
            .map(|(a, b)| (a / scale - b / scale).powi(2)),
    );
    scale * squares.sqrt()
}

fn check_game(p_data: &Discrete, p_g: &Discrete, energy: &Energy) -> Result<()> {
    same_len(p_data, p_g)?;
    check_same_length(p_data.len(), energy.len())
}

/// `L_D(D) = E_p D + E_q [m - D]^+`, the energy's loss (the paper's V).
///
/// Checked by claim [D3](crate::proofs::d3_ebgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::ebgan::{Energy, Margin, discriminator_loss, best_value};
/// let (p, q) = (Discrete::new(vec![0.5, 0.3, 0.2])?, Discrete::new(vec![0.2, 0.3, 0.5])?);
/// let m = Margin::new(2.0)?;
/// let d = Energy::new(vec![0.0, 0.0, 2.0])?;
/// assert!((discriminator_loss(&m, &p, &q, &d)? - 1.4).abs() < 1e-15);
/// assert!((best_value(&m, &p, &q)? - 1.4).abs() < 1e-15);   // m (1 - TV), TV = 0.3
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn discriminator_loss(
    margin: &Margin,
    p_data: &Discrete,
    p_g: &Discrete,
    energy: &Energy,
) -> Result<f64> {
    check_game(p_data, p_g, energy)?;
    let d = energy.values();
    let m = margin.0;
    // E_p D + E_q [m - D]^+ as one compensated sum of non-negative terms.
    let mut terms = Vec::with_capacity(2 * d.len());
    for i in 0..d.len() {
        if p_data[i] > 0.0 {
            terms.push(p_data[i] * d[i]);
        }
        if p_g[i] > 0.0 {
            terms.push(p_g[i] * (m - d[i]).max(0.0));
        }
    }
    Ok(numeric::sum(terms))
}

/// `L_G(D) = E_q D`, the generator's loss (the paper's U).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::ebgan::{Energy, generator_loss};
/// // E_q D = 0.2 * 0 + 0.3 * 1 + 0.5 * 2:
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let d = Energy::new(vec![0.0, 1.0, 2.0])?;
/// assert!((generator_loss(&q, &d)? - 1.3).abs() < 1e-15);
/// assert!(generator_loss(&q, &Energy::constant(2, 1.0)?).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn generator_loss(p_g: &Discrete, energy: &Energy) -> Result<f64> {
    check_same_length(p_g.len(), energy.len())?;
    let d = energy.values();
    Ok(p_g.expect(|i| d[i]))
}

/// A subgradient of `L_D` in `D`: `p_i - q_i` where `D_i < m`, `p_i` where
/// `D_i >= m` (at the kink `D_i = m` the subdifferential is
/// `[p_i - q_i, p_i]`; its right end is taken).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::ebgan::{Energy, Margin, discriminator_loss, discriminator_subgradient};
/// let m = Margin::new(2.0)?;
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let d = [0.5, 1.0, 3.0];
/// let g = discriminator_subgradient(&m, &p, &q, &Energy::new(d.to_vec())?)?;
/// // p - q below the margin, p above it:
/// assert!((g[0] - 0.3).abs() < 1e-15 && g[1] == 0.0 && g[2] == 0.2);
/// // Away from the kinks L_D is linear in each D_i: central differences
/// // (h = 1e-3) agree to 1e-9.
/// let h = 1e-3;
/// for i in 0..3 {
///     let (mut up, mut down) = (d, d);
///     up[i] += h;
///     down[i] -= h;
///     let l_up = discriminator_loss(&m, &p, &q, &Energy::new(up.to_vec())?)?;
///     let l_down = discriminator_loss(&m, &p, &q, &Energy::new(down.to_vec())?)?;
///     assert!(((l_up - l_down) / (2.0 * h) - g[i]).abs() < 1e-9);
/// }
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn discriminator_subgradient(
    margin: &Margin,
    p_data: &Discrete,
    p_g: &Discrete,
    energy: &Energy,
) -> Result<Vec<f64>> {
    check_game(p_data, p_g, energy)?;
    Ok(energy
        .values()
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if d < margin.0 {
                p_data[i] - p_g[i]
            } else {
                p_data[i]
            }
        })
        .collect())
}

/// The set of minimisers of `D ↦ p D + q [m - D]^+` over `D >= 0`, as
/// `(low, high)` (`high` may be `+inf`):
///
/// | case | minimisers |
/// |---|---|
/// | `p > q` | `{0}` |
/// | `0 < p < q` | `{m}` |
/// | `0 = p < q` | `[m, +inf)` |
/// | `p = q > 0` | `[0, m]` |
/// | `p = q = 0` | `[0, +inf)` |
///
/// # Example
/// ```
/// use gan_theory::variants::ebgan::{Margin, best_response_interval};
/// let m = Margin::new(2.0)?;
/// let inf = f64::INFINITY;
/// assert_eq!(best_response_interval(&m, 0.4, 0.1), (0.0, 0.0));
/// assert_eq!(best_response_interval(&m, 0.1, 0.4), (2.0, 2.0));
/// assert_eq!(best_response_interval(&m, 0.0, 0.4), (2.0, inf));
/// assert_eq!(best_response_interval(&m, 0.3, 0.3), (0.0, 2.0));
/// assert_eq!(best_response_interval(&m, 0.0, 0.0), (0.0, inf));
/// // Its low end beats every D on a grid of [0, 4]:
/// let loss = |p: f64, q: f64, d: f64| p * d + q * (2.0 - d).max(0.0);
/// for (p, q) in [(0.4, 0.1), (0.1, 0.4), (0.0, 0.4), (0.3, 0.3)] {
///     let best = loss(p, q, best_response_interval(&m, p, q).0);
///     assert!((0..=400).all(|k| best <= loss(p, q, k as f64 / 100.0) + 1e-15));
/// }
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn best_response_interval(margin: &Margin, p: f64, q: f64) -> (f64, f64) {
    let m = margin.0;
    if p > q {
        (0.0, 0.0)
    } else if p < q {
        if p > 0.0 { (m, m) } else { (m, f64::INFINITY) }
    } else if p > 0.0 {
        (0.0, m)
    } else {
        (0.0, f64::INFINITY)
    }
}

/// The best energy for a fixed generator: at each point the lowest
/// minimiser of `p_i D + q_i [m - D]^+`, that is `m` where `p_i < q_i` and 0
/// elsewhere (ties `p_i = q_i`, where all of `[0, m]` is optimal, go to 0).
///
/// Checked by claim [D3](crate::proofs::d3_ebgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::ebgan::{Margin, best_energy, best_value, discriminator_loss};
/// let m = Margin::new(2.0)?;
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let d = best_energy(&m, &p, &q)?;
/// assert_eq!(d.values(), &[0.0, 0.0, 2.0]);   // m only where p_data < p_g (a tie goes to 0)
/// // It attains min L_D = m (1 - TV(p_data, p_g)) = 2 (1 - 0.3).
/// assert!((discriminator_loss(&m, &p, &q, &d)? - best_value(&m, &p, &q)?).abs() < 1e-15);
/// assert!((best_value(&m, &p, &q)? - 1.4).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn best_energy(margin: &Margin, p_data: &Discrete, p_g: &Discrete) -> Result<Energy> {
    same_len(p_data, p_g)?;
    Ok(Energy(
        p_data
            .as_slice()
            .iter()
            .zip(p_g.as_slice())
            .map(|(&p, &q)| best_response_interval(margin, p, q).0)
            .collect(),
    ))
}

/// `min_D L_D = m sum_i min(p_i, q_i)`, which is `m (1 - TV(p, q))`.
///
/// Checked by claim [D3](crate::proofs::d3_ebgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::total_variation};
/// use gan_theory::variants::ebgan::{Energy, Margin, best_value, discriminator_loss};
/// let m = Margin::new(2.0)?;
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let best = best_value(&m, &p, &q)?;
/// // m sum_i min(p_i, q_i) = 2 (0.2 + 0.3 + 0.2) = m (1 - TV):
/// assert!((best - 1.4).abs() < 1e-15);
/// assert!((best - 2.0 * (1.0 - total_variation(&p, &q)?)).abs() < 1e-15);
/// // No energy does better (a few constant ones here):
/// for gamma in [0.0, 0.5, 1.0, 2.0, 3.0] {
///     assert!(discriminator_loss(&m, &p, &q, &Energy::constant(3, gamma)?)? >= best - 1e-15);
/// }
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn best_value(margin: &Margin, p_data: &Discrete, p_g: &Discrete) -> Result<f64> {
    same_len(p_data, p_g)?;
    let overlap = numeric::sum(
        p_data
            .as_slice()
            .iter()
            .zip(p_g.as_slice())
            .map(|(&p, &q)| p.min(q)),
    );
    Ok(margin.0 * overlap.clamp(0.0, 1.0))
}

/// How far a pair (energy, generator) is from a Nash equilibrium: the
/// energy's gap `L_D(D) - min L_D` and the generator's gap
/// `E_q D - min_i D_i` (a generator of unlimited capacity best responds by
/// putting its mass on `argmin D`). Both are `>= 0` up to rounding, and the
/// pair is a Nash equilibrium iff both are 0: by the proof of claim D3 that
/// holds iff `p_g = p_data`, `D = gamma` on the support for some `gamma` in
/// `[0, m]`, and `D >= gamma` off it.
///
/// Checked by claim [D3](crate::proofs::d3_ebgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::total_variation};
/// use gan_theory::variants::ebgan::{Energy, Margin, best_energy, nash_gaps};
/// let m = Margin::new(2.0)?;
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// // p_g = p_data with a constant energy gamma in [0, m]: a Nash equilibrium.
/// let at_nash = nash_gaps(&m, &p, &p, &Energy::constant(3, 1.0)?)?;
/// assert_eq!((at_nash.energy, at_nash.generator), (0.0, 0.0));
/// // Away from p_data the gaps add up to at least m TV, whatever the energy.
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let gaps = nash_gaps(&m, &p, &q, &best_energy(&m, &p, &q)?)?;
/// assert!(gaps.energy + gaps.generator >= 2.0 * total_variation(&p, &q)?);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn nash_gaps(
    margin: &Margin,
    p_data: &Discrete,
    p_g: &Discrete,
    energy: &Energy,
) -> Result<NashGaps> {
    let energy_gap =
        discriminator_loss(margin, p_data, p_g, energy)? - best_value(margin, p_data, p_g)?;
    let generator_gap = generator_loss(p_g, energy)? - energy.minimum();
    Ok(NashGaps {
        energy: energy_gap,
        generator: generator_gap,
    })
}

/// The two best-response gaps of [`nash_gaps`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::ebgan::{Energy, Margin, nash_gaps};
/// // p_g = p_data and D = (0, 1, 2) in [0, m]: the energy already best
/// // responds (L_D = 0.7 + 1.3 = m), but the generator would move all its
/// // mass to argmin D = 0, gaining E_q D - 0 = 0.7. Not a Nash equilibrium.
/// let m = Margin::new(2.0)?;
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let gaps = nash_gaps(&m, &p, &p, &Energy::new(vec![0.0, 1.0, 2.0])?)?;
/// assert!(gaps.energy.abs() < 1e-15);
/// assert!((gaps.generator - 0.7).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NashGaps {
    /// `L_D(D) - min_D' L_D(D')`: what the energy gains by best responding.
    pub energy: f64,
    /// `E_q D - min_i D_i`: what the generator gains by best responding.
    pub generator: f64,
}
