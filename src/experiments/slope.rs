//! The experiments of claim F7: the generator's gradient as the data and the
//! generated laws move apart on the line, against a logistic discriminator
//! fitted by gradient ascent, against LSGAN's least-squares affine one, and
//! at the unrestricted optimum `D*` on a grid.

use crate::error::Result;
use crate::measure::Discrete;
use crate::variants::affine::{Logistic, Segment, logistic_ascent};

/// The separations `Delta` between the point masses of the logistic fit:
/// the generated point at `-Delta/2`, the data at `+Delta/2`.
pub(crate) const LOGISTIC_SEPARATIONS: [f64; 5] = [0.5, 1.0, 2.0, 4.0, 8.0];

/// The logistic fit's ascent step: `kappa = step Delta^2 / 2 <= 3.2 < 4` for
/// every separation, so the margin's recursion never overshoots (F7 proof,
/// step 2) and its rounding is not amplified.
pub(crate) const LOGISTIC_STEP: f64 = 0.1;

/// Ascent steps of the logistic fit (its training budget).
pub(crate) const LOGISTIC_STEPS: usize = 10_000;

/// Separations of the LSGAN fits (disjoint laws for both half-widths).
pub(crate) const LSGAN_SEPARATIONS: [f64; 4] = [2.0, 4.0, 8.0, 16.0];

/// Half-widths of the LSGAN fits: point masses, then segments of length 1.
pub(crate) const HALF_WIDTHS: [f64; 2] = [0.0, 0.5];

/// The pair at separation `delta` around `centre`: (data, generated) centred
/// at `centre + delta/2` and `centre - delta/2`, both of half-width `h`.
pub(crate) fn pair(centre: f64, delta: f64, h: f64) -> Result<(Segment, Segment)> {
    Ok((
        Segment::new(centre + 0.5 * delta, h)?,
        Segment::new(centre - 0.5 * delta, h)?,
    ))
}

/// Where the LSGAN pairs are centred: away from 0, so that the fit's
/// intercept matters (the gradient does not depend on it, by translation).
pub(crate) const LSGAN_CENTRE: f64 = 1.25;

/// The logistic fit to the point masses at separation `delta` around 0:
/// [`LOGISTIC_STEPS`] steps of [`LOGISTIC_STEP`] from `D = 1/2`.
pub(crate) fn logistic_fit(delta: f64) -> Result<Vec<Logistic>> {
    let (data, generated) = pair(0.0, delta, 0.0)?;
    logistic_ascent(&data, &generated, LOGISTIC_STEP, LOGISTIC_STEPS)
}

/// Points per segment of the grid experiment (odd: `2 GRID_HALF + 1`).
pub(crate) const GRID_HALF: usize = 10;

/// The grid experiment at shift `s` (in grid steps): the generator uniform on
/// grid points `0 ..= 2 GRID_HALF`, the data on `s ..= s + 2 GRID_HALF`, as
/// distributions on `0 ..= s + 2 GRID_HALF`.
pub(crate) fn grid_pair(shift: usize) -> Result<(Discrete, Discrete)> {
    let n = 2 * GRID_HALF + 1;
    let len = shift + n;
    let data: Vec<f64> = (0..len)
        .map(|i| if i >= shift { 1.0 } else { 0.0 })
        .collect();
    let generated: Vec<f64> = (0..len).map(|i| if i < n { 1.0 } else { 0.0 }).collect();
    Ok((
        Discrete::from_weights(&data)?,
        Discrete::from_weights(&generated)?,
    ))
}
