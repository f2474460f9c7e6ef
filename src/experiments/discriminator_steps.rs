//! The experiments of claim F3: `k` exact gradient-ascent steps on a tabular
//! discriminator for a fixed generator, on overlapping supports (D's gap to
//! `D*` contracts geometrically in `k`) and on disjoint ones (D runs to the
//! perfect discriminator; the saturating generator gradient falls with its
//! error, the non-saturating one tends to the gradient of `-H(p_g)`).

use super::full_support;
use crate::error::Result;
use crate::measure::Discrete;
use crate::tabular::TabularDiscriminator;
use rand::RngExt;

/// Points of the overlapping pair.
pub(crate) const OVERLAP_POINTS: usize = 6;

/// Ascent steps on the overlapping pair: the slowest coordinate's proven
/// factor is about 0.9 to 0.99 per step for these pairs and starts, so the
/// gap shrinks by a visible factor while staying far above rounding.
pub(crate) const OVERLAP_STEPS: usize = 60;

/// The ascent step as a fraction of the no-overshoot limit `4 / max(a + b)`
/// (F3 proof, step 1).
pub(crate) const STEP_FRACTION: f64 = 0.9;

/// Largest |logit| of the discriminator's random start.
pub(crate) const START_SPREAD: f64 = 4.0;

/// F3's overlapping pair: `p_data` and `p_g` with full support, a random
/// start, the step and the discriminators after 0, 1, ..., [`OVERLAP_STEPS`]
/// steps (taken by the library: [`TabularDiscriminator::value_gradient`] and
/// [`TabularDiscriminator::moved`]).
pub(crate) struct OverlapRun {
    /// `p_data`, every entry at least a tenth of the uniform mass.
    pub(crate) p_data: Discrete,
    /// `p_g`, likewise.
    pub(crate) p_g: Discrete,
    /// The ascent step `eta`.
    pub(crate) step: f64,
    /// `D_0, D_1, ..., D_K`.
    pub(crate) discriminators: Vec<TabularDiscriminator>,
}

/// Draws F3's overlapping pair and runs the ascent.
pub(crate) fn overlap_run<R: rand::Rng + ?Sized>(rng: &mut R) -> Result<OverlapRun> {
    let p_data = full_support(rng, OVERLAP_POINTS, 0.1);
    let p_g = full_support(rng, OVERLAP_POINTS, 0.1);
    let largest = (0..OVERLAP_POINTS)
        .map(|i| p_data[i] + p_g[i])
        .fold(0.0, f64::max);
    let step = STEP_FRACTION * 4.0 / largest;
    let start: Vec<f64> = (0..OVERLAP_POINTS)
        .map(|_| START_SPREAD * (2.0 * rng.random::<f64>() - 1.0))
        .collect();
    let discriminators = ascend(
        &p_data,
        &p_g,
        TabularDiscriminator::new(start)?,
        step,
        OVERLAP_STEPS,
    )?;
    Ok(OverlapRun {
        p_data,
        p_g,
        step,
        discriminators,
    })
}

/// `steps` exact gradient-ascent steps of size `step` on `V(D, G)` from
/// `start`; every iterate, the start first.
pub(crate) fn ascend(
    p_data: &Discrete,
    p_g: &Discrete,
    start: TabularDiscriminator,
    step: f64,
    steps: usize,
) -> Result<Vec<TabularDiscriminator>> {
    let mut out = Vec::with_capacity(steps + 1);
    let mut d = start;
    for _ in 0..steps {
        let next = d.moved(&d.value_gradient(p_data, p_g)?, step)?;
        out.push(d);
        d = next;
    }
    out.push(d);
    Ok(out)
}

/// Points of each side of the disjoint pair: `p_data` on the first three,
/// `p_g` on the last three.
pub(crate) const SIDE_POINTS: usize = 3;

/// The ascent step on the disjoint pair: `eta (a + b) / 4 <= 1/4`, no overshoot.
pub(crate) const DISJOINT_STEP: f64 = 1.0;

/// The numbers of ascent steps `k` at which the disjoint run is measured.
pub(crate) const CHECKPOINTS: [usize; 5] = [1, 10, 100, 1000, 10_000];

/// F3's disjoint pair: `p_data` on the first [`SIDE_POINTS`] points and the
/// generator on the last ones, both with entries at least a fifth of the
/// uniform mass; the discriminator from `D = 1/2` after each of
/// [`CHECKPOINTS`] steps of [`DISJOINT_STEP`].
pub(crate) struct DisjointRun {
    /// The generator's distribution on its own [`SIDE_POINTS`] points.
    pub(crate) generated: Discrete,
    /// The discriminator's logits on the generator's points after each checkpoint.
    pub(crate) logits: Vec<Vec<f64>>,
}

/// Draws F3's disjoint pair and runs the ascent to the last checkpoint.
pub(crate) fn disjoint_run<R: rand::Rng + ?Sized>(rng: &mut R) -> Result<DisjointRun> {
    let data_side = full_support(rng, SIDE_POINTS, 0.2);
    let generated = full_support(rng, SIDE_POINTS, 0.2);
    let mut a = data_side.as_slice().to_vec();
    a.extend(std::iter::repeat_n(0.0, SIDE_POINTS));
    let mut b = vec![0.0; SIDE_POINTS];
    b.extend_from_slice(generated.as_slice());
    let (p_data, p_g) = (Discrete::new(a)?, Discrete::new(b)?);
    let mut d = TabularDiscriminator::half(2 * SIDE_POINTS)?;
    let mut logits = Vec::with_capacity(CHECKPOINTS.len());
    let mut done = 0;
    for k in CHECKPOINTS {
        for _ in done..k {
            d = d.moved(&d.value_gradient(&p_data, &p_g)?, DISJOINT_STEP)?;
        }
        done = k;
        logits.push(d.logits()[SIDE_POINTS..].to_vec());
    }
    Ok(DisjointRun { generated, logits })
}
