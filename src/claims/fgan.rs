//! Check for claim D5: the f-GAN table (Nowozin et al. 2016), its variational
//! bound and the GAN's row.

use super::{Context, Measurement, random_distribution, rng_for};
use crate::error::Result;
use crate::tol;
use crate::variants::fgan::FDivergence;
use crate::{Discrete, divergence, game};
use rand::RngExt;

/// Random pairs of distributions (with zeros) per universal check.
const INSTANCES: usize = 600;
/// Random ratios u per row for the Fenchel equality.
const RATIOS: usize = 400;
/// The ratios are log-uniform in `[1e-8, 1e8]` (wider ranges, down to
/// subnormals and up to 1e300, are covered by the tests).
const LOG10_RATIO_RANGE: f64 = 8.0;

/// Relative tolerance of the Fenchel equality `f*(f'(u)) = u f'(u) - f(u)`,
/// relative to `abs(u f'(u)) + abs(f(u)) + 1`.
///
/// Reason: each side is two or three elementary operations on values of at
/// most that size, each within an ulp or two, and `f*` is evaluated at a
/// rounded `f'(u)`: the argument's error `EPS abs(f'(u))` moves `f*` by
/// `EPS abs(f'(u)) u`, again a few ulps of the scale. 64 ulps leaves an
/// order of magnitude over that; a wrong conjugate is off by O(1) of the scale.
pub(crate) const FENCHEL_REL: f64 = 64.0 * tol::EPS;

/// The divergence each row's `D_f` must equal, from the crate's own
/// divergence module (independent code).
pub(crate) fn named_divergence(row: FDivergence, p: &Discrete, q: &Discrete) -> Result<f64> {
    Ok(match row {
        FDivergence::KullbackLeibler => divergence::kl(p, q)?,
        FDivergence::ReverseKl => divergence::kl(q, p)?,
        FDivergence::Pearson => divergence::chi2(p, q)?,
        FDivergence::Neyman => divergence::chi2(q, p)?,
        FDivergence::SquaredHellinger => 2.0 * divergence::hellinger2(p, q)?,
        FDivergence::JensenShannon => 2.0 * divergence::js(p, q)?,
        FDivergence::Gan => 2.0 * divergence::js(p, q)? - 4f64.ln(),
        FDivergence::TotalVariation => divergence::total_variation(p, q)?,
    })
}

/// `abs(a - b) / (1 + max(abs a, abs b))`, 0 for equal infinities and `+inf`
/// when only one side is infinite.
fn relative_gap(a: f64, b: f64) -> f64 {
    if a.is_infinite() || b.is_infinite() {
        return if a == b { 0.0 } else { f64::INFINITY };
    }
    (a - b).abs() / (1.0 + a.abs().max(b.abs()))
}

pub(crate) fn d5(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, 55);
    let ln4 = 4f64.ln();

    // f(1) for every row.
    let mut worst_f_one = 0.0f64;
    for row in FDivergence::ALL {
        let expected = if row == FDivergence::Gan { -ln4 } else { 0.0 };
        worst_f_one = worst_f_one.max((row.f(1.0) - expected).abs());
    }

    // Fenchel equality at random u > 0 (TV's f' at u = 1 is the subgradient 0).
    let mut worst_fenchel = 0.0f64;
    for row in FDivergence::ALL {
        for _ in 0..RATIOS {
            let u = 10f64.powf(LOG10_RATIO_RANGE * (2.0 * rng.random::<f64>() - 1.0));
            let slope = row.derivative(u);
            let rhs = u * slope - row.f(u);
            let lhs = row.conjugate(slope);
            let scale = (u * slope).abs() + row.f(u).abs() + 1.0;
            worst_fenchel = worst_fenchel.max((lhs - rhs).abs() / scale);
        }
    }

    // The bound, for random T, for T near T*, and at T*; D_f against the named divergences.
    let mut worst_excess = f64::NEG_INFINITY;
    let mut worst_tight = 0.0f64;
    let mut worst_named = 0.0f64;
    let mut worst_gan = 0.0f64;
    for _ in 0..INSTANCES {
        let n = rng.random_range(1..=8);
        let (p, q) = (
            random_distribution(&mut rng, n),
            random_distribution(&mut rng, n),
        );
        for row in FDivergence::ALL {
            let d = row.divergence(&p, &q)?;
            let t_star = row.optimal_critic(&p, &q)?;
            worst_tight = worst_tight.max(relative_gap(row.variational_bound(&p, &q, &t_star)?, d));
            worst_named = worst_named.max(relative_gap(d, named_divergence(row, &p, &q)?));
            let random_critic: Vec<f64> = (0..n)
                .map(|_| row.activation(10.0 * rng.random::<f64>() - 5.0))
                .collect();
            let near_optimum: Vec<f64> = t_star
                .iter()
                .map(|&t| {
                    let nudged = t + 1e-3 * (2.0 * rng.random::<f64>() - 1.0);
                    if t.is_finite() { nudged } else { t }
                })
                .collect();
            for critic in [&random_critic, &near_optimum] {
                let bound = row.variational_bound(&p, &q, critic)?;
                if d.is_finite() && bound.is_finite() {
                    worst_excess = worst_excess.max((bound - d) / (1.0 + d.abs()));
                } else if bound == f64::INFINITY && d.is_finite() {
                    worst_excess = f64::INFINITY;
                }
            }
        }
        let gan = FDivergence::Gan.divergence(&p, &q)?;
        worst_gan = worst_gan
            .max((gan - (2.0 * divergence::js(&p, &q)? - ln4)).abs())
            .max((gan - game::c_of_g(&p, &q)?).abs());
    }

    Ok(vec![
        Measurement::within(
            "max |f(1) - f(1) expected| over the 8 rows (0, and -ln 4 for the GAN)",
            worst_f_one,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            format!(
                "max |f*(f'(u)) - (u f'(u) - f(u))| / scale, {RATIOS} log-uniform u in [1e-8, 1e8] per row (tolerance 64 ulps)"
            ),
            worst_fenchel,
            0.0,
            FENCHEL_REL,
        ),
        Measurement::at_most(
            format!(
                "max (E_P T - E_Q f*(T) - D_f) / (1 + D_f) over {INSTANCES} random pairs x 8 rows, T = g_f(random v) and T = T* + 1e-3 noise"
            ),
            worst_excess,
            0.0,
            tol::IDENTITY_REL,
        ),
        Measurement::at_most(
            "max |bound(T*) - D_f| / (1 + D_f) (infinite D_f must give an infinite bound)",
            worst_tight,
            0.0,
            tol::IDENTITY_REL,
        ),
        Measurement::at_most(
            "max |D_f - named divergence| / (1 + |.|): KL, KL(Q||P), chi2(P||Q), chi2(Q||P), 2 Hellinger^2, 2 JSD, 2 JSD - ln 4, TV",
            worst_named,
            0.0,
            tol::IDENTITY_REL,
        ),
        Measurement::at_most(
            "max |D_GAN - (2 JSD - ln 4)| and |D_GAN - C(G)|",
            worst_gan,
            0.0,
            tol::IDENTITY_ABS,
        ),
    ])
}
