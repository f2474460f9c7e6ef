//! Claim F5: a patch discriminator with shared weights and averaged losses
//! plays Goodfellow's game on the position-averaged window distributions:
//! its optimum is the pattern-level `D*`, its value `-ln 4 + 2 JSD` of those
//! averages, minimal for every generator that matches them, whatever its
//! images.

use super::{Context, Measurement, rng_for};
use crate::error::Result;
use crate::experiments::patchgan::{SHAPES, matched_game, parity_game, random_game, stripes_game};
use crate::numeric::softplus;
use crate::tol;
use crate::variants::patchgan::PatchGame;
use rand::RngExt;

/// Salt of the claim's random draws.
const SALT: u64 = 0xF5;

/// Random games per shape of [`SHAPES`].
const GAMES_PER_SHAPE: usize = 4;

/// Random perturbations of `D*` per random game.
const PERTURBATIONS: usize = 3;

/// Random games with matched windows and different images.
const MATCHED_GAMES: usize = 8;

/// `|x - y|` in units of the identity tolerance of the larger of `|x|`, `|y|`
/// and `scale` (the size of the terms summed; see [`tol::IDENTITY_REL`]).
fn identity_units(x: f64, y: f64, scale: f64) -> f64 {
    (x - y).abs() / (tol::IDENTITY_ABS + tol::IDENTITY_REL * x.abs().max(y.abs()).max(scale))
}

/// `V(D*) - V(D)` from the averaged window distributions `P`, `Q`, in closed
/// form: `sum_w (P(w) + Q(w)) KL(Bernoulli(D*(w)) || Bernoulli(D(w)))`,
/// written with the logits (F5 proof, step 1). Only patterns where both have
/// mass may be perturbed; `perturbed` is `l* + e` there.
fn gap_closed_form(game: &PatchGame, perturbed: &[f64]) -> Result<f64> {
    let p = game.averaged_windows(game.data())?;
    let q = game.averaged_windows(game.generated())?;
    let mut total = 0.0;
    for w in 0..game.patterns() {
        let (a, b) = (p[w], q[w]);
        if a > 0.0 && b > 0.0 {
            let (star, l) = (a.ln() - b.ln(), perturbed[w]);
            // D* ln(D*/D) + (1 - D*) ln((1 - D*)/(1 - D)), with
            // ln sigma(x) = -softplus(-x) and D* = a/(a+b):
            total += a * (softplus(-l) - softplus(-star)) + b * (softplus(l) - softplus(star));
        }
    }
    Ok(total)
}

pub(crate) fn f5(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, SALT);
    let ln4 = 4f64.ln();
    let (mut worst_value, mut worst_gap, mut smallest_gap) = (0.0f64, 0.0f64, f64::INFINITY);
    let (mut worst_chain, mut games) = (f64::NEG_INFINITY, 0usize);
    for shape in SHAPES {
        for _ in 0..GAMES_PER_SHAPE {
            let game = random_game(&mut rng, shape)?;
            games += 1;
            let d_star = game.optimal_discriminator()?;
            let best = game.value(&d_star)?;
            let c = game.c_of_g()?;
            worst_value = worst_value.max(identity_units(best, c, ln4));
            let star_logits: Vec<f64> = (0..game.patterns()).map(|w| d_star.logit(w)).collect();
            for _ in 0..PERTURBATIONS {
                let moved: Vec<f64> = star_logits
                    .iter()
                    .map(|&l| {
                        if l.is_finite() {
                            l + 4.0 * rng.random::<f64>() - 2.0
                        } else {
                            l
                        }
                    })
                    .collect();
                let value = game.value(&crate::Discriminator::from_logits(moved.clone())?)?;
                let gap = gap_closed_form(&game, &moved)?;
                worst_gap = worst_gap.max(identity_units(best - value, gap, best.abs()));
                smallest_gap = smallest_gap.min(best - value);
            }
            let (per_position, image) = (game.per_position_c_of_g()?, game.image_c_of_g()?);
            let slack = tol::IDENTITY_ABS + tol::IDENTITY_REL * ln4;
            worst_chain = worst_chain.max((c - per_position).max(per_position - image) / slack);
        }
    }

    // Matched windows, different images.
    let (mut worst_matched, mut smallest_image_excess) = (0.0f64, f64::INFINITY);
    for _ in 0..MATCHED_GAMES {
        let t: f64 = rng.random();
        let game = matched_game(&mut rng, t)?;
        worst_matched = worst_matched.max(identity_units(game.c_of_g()?, -ln4, ln4));
        worst_matched = worst_matched.max(identity_units(game.per_position_c_of_g()?, -ln4, ln4));
        // 2 JSD >= TV^2 = (1 - t)^2 (Pinsker on both halves, F5 proof step 4).
        smallest_image_excess =
            smallest_image_excess.min((game.image_c_of_g()? + ln4) / ((1.0 - t) * (1.0 - t)));
    }

    let parity = parity_game()?;
    let stripes = stripes_game()?;
    let fixed = [
        ("parity: patch C", parity.c_of_g()?, -ln4),
        (
            "parity: per-position C",
            parity.per_position_c_of_g()?,
            -ln4,
        ),
        ("parity: image C", parity.image_c_of_g()?, 0.0),
        (
            "parity: V(D*) by enumeration",
            parity.value(&parity.optimal_discriminator()?)?,
            -ln4,
        ),
        ("stripes: patch C", stripes.c_of_g()?, -ln4),
        (
            "stripes: per-position C",
            stripes.per_position_c_of_g()?,
            0.0,
        ),
        ("stripes: image C", stripes.image_c_of_g()?, 0.0),
        (
            "stripes: V(D*) by enumeration",
            stripes.value(&stripes.optimal_discriminator()?)?,
            -ln4,
        ),
    ];
    let worst_fixed = fixed
        .iter()
        .map(|(_, x, y)| identity_units(*x, *y, ln4))
        .fold(0.0, f64::max);
    let listed = fixed
        .iter()
        .map(|(name, x, _)| format!("{name} {x:.6}"))
        .collect::<Vec<_>>()
        .join("; ");

    Ok(vec![
        Measurement::at_most(
            format!(
                "{games} random patch games (3x3 images with 2x2 windows; 2x3 with 1x2; 3x4 with 2x2; 3x3 with 3x2): max |V(D*) by enumeration over images and windows - (-ln 4 + 2 JSD(averaged windows))| in identity-tolerance units"
            ),
            worst_value,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "same games, {PERTURBATIONS} random perturbations of D*'s finite logits each: max |V(D*) - V(D) by enumeration - sum_w (P + Q)(w) KL(Bern D*(w) || Bern D(w))| in identity-tolerance units"
            ),
            worst_gap,
            1.0,
            0.0,
        ),
        Measurement::at_least(
            "same perturbations: smallest V(D*) - V(D) (D* is the maximiser)",
            smallest_gap,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            "same games: largest violation of C_patch <= C_per-position <= C_image, in identity-tolerance units (averaging positions, then cutting windows, lose information)",
            worst_chain,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "{MATCHED_GAMES} random games (1 - t) parity pair + t common random part, t uniform: max |C_patch + ln 4| and |C_per-position + ln 4| in identity-tolerance units (the patch game at its minimum)"
            ),
            worst_matched,
            1.0,
            0.0,
        ),
        Measurement::at_least(
            "same games: smallest (C_image + ln 4) / (1 - t)^2 (the images differ: 2 JSD >= TV^2 = (1 - t)^2)",
            smallest_image_excess,
            1.0,
            tol::IDENTITY_REL,
        ),
        Measurement::at_most(
            format!(
                "fixed games (expected -ln 4 = {:.6} or 0): {listed}; max deviation in identity-tolerance units",
                -ln4
            ),
            worst_fixed,
            1.0,
            0.0,
        ),
    ])
}
