//! Claim B5: quadrature of divergences between statrs densities converges to
//! their closed forms, within the error estimate it reports.
//!
//! For a few fixed pairs of normals and a few drawn from the context's seed,
//! the check integrates KL, squared Hellinger, Pearson χ² and total variation
//! by adaptive Gauss-Kronrod quadrature and compares each with its closed form
//! (tolerance: the quadrature's own error estimate plus the closed form's
//! rounding, [`closed_form_rounding`], and for χ² the effect of the rounding of
//! `ln p`, `ln q` at the nodes, [`chi2_quadrature_rounding`]); it checks that
//! the error falls with the target, and the infinite and bounded cases (KL of
//! a normal against a uniform, χ² of a too-wide normal, JSD of far-apart
//! normals, the mass of a mixture).

use super::{Context, Measurement, rng_for};
use crate::continuous::divergence::kl_integrand;
use crate::continuous::{
    Density, Estimate, Normal, NormalMixture, Quadrature, Uniform, chi2, chi2_normals,
    chi2_quadrature_rounding, closed_form_rounding, gauss_kronrod_15, hellinger2,
    hellinger2_normals, js, kl, kl_normals, kl_uniform_normal, mass, total_variation, tv_normals,
};
use crate::error::Result;
use rand::RngExt;
use std::f64::consts::LN_2;

/// Pairs of normals drawn from the seed, besides the fixed ones.
const RANDOM_PAIRS: usize = 4;

/// Numbers of equal pieces of the fixed composite rule whose errors must fall
/// towards the closed form (the error is 1e-2 with 2 pieces, 2e-11 with 16).
const COMPOSITE_PIECES: [usize; 5] = [2, 4, 8, 16, 32];

/// `N(m, s^2)` as text.
fn label(n: &Normal) -> String {
    format!("N({:.3}, {:.3}^2)", n.mean(), n.sd())
}

/// Quadrature against a closed form: within the estimate plus the rounding
/// plus `data_rounding`, what the rounding of the integrand's inputs can add.
fn against_closed_form(
    what: String,
    est: &Estimate,
    closed: f64,
    data_rounding: f64,
) -> Measurement {
    Measurement::within(
        what,
        est.value,
        closed,
        est.error_estimate + closed_form_rounding(closed) + data_rounding,
    )
}

/// The quadrature for χ²(p || q): the default one, but with a relative
/// target no finer than the relative noise of the integrand's values,
/// [`chi2_quadrature_rounding`]` / (1 + χ²)`. Near `s1^2 = 2 s2^2` that noise
/// exceeds the default 1e-10 (for `s1^2 = (2 - 4e-6) s2^2` it is 9e-10 with
/// equal means, and grows with `(m1 - m2)^2`), and no quadrature can resolve
/// an integral more finely than its integrand is known: asked to, it bisects
/// rounding noise until its budget is spent.
fn chi2_quadrature(p: &Normal, q: &Normal, default: &Quadrature) -> Result<Quadrature> {
    let closed = chi2_normals(p, q);
    if !closed.is_finite() {
        return Ok(*default);
    }
    let noise = chi2_quadrature_rounding(p, q) / (1.0 + closed);
    Quadrature::new(
        default.abs_tol(),
        default.rel_tol().max(noise),
        default.max_intervals(),
    )
}

pub(crate) fn check_b5(context: &Context) -> Result<Vec<Measurement>> {
    let quadrature = Quadrature::default();
    let mut pairs = vec![
        (Normal::new(0.0, 1.0)?, Normal::new(1.0, 2.0)?),
        (Normal::new(0.5, 0.3)?, Normal::new(-1.0, 1.5)?),
        (Normal::new(2.0, 1.2)?, Normal::new(0.0, 1.0)?),
        // s1^2 = (2 - 8.6e-4) s2^2: χ² = 8.6e51 with condition number 1.9e6
        // (noise 1.7e-9), the pair on which `verify --seed 411801` failed
        // when the closed form lost its margin's digits.
        (
            Normal::new(-1.198_309_921_525_275_7e-1, 1.847_717_109_761_596_5)?,
            Normal::new(1.955_540_771_276_664_8e-1, 1.306_697_179_554_895_2)?,
        ),
    ];
    let mut rng = rng_for(context, 15);
    for _ in 0..RANDOM_PAIRS {
        let p = Normal::new(rng.random_range(-2.0..2.0), rng.random_range(0.5..2.0))?;
        let q = Normal::new(rng.random_range(-2.0..2.0), rng.random_range(0.5..2.0))?;
        pairs.push((p, q));
    }

    let mut measurements = Vec::new();
    for (p, q) in &pairs {
        let names = format!("{} || {}", label(p), label(q));
        let results = [
            ("KL", kl(p, q, &quadrature)?, kl_normals(p, q), 0.0),
            (
                "H^2",
                hellinger2(p, q, &quadrature)?,
                hellinger2_normals(p, q),
                0.0,
            ),
            (
                "chi2",
                chi2(p, q, &chi2_quadrature(p, q, &quadrature)?)?,
                chi2_normals(p, q),
                chi2_quadrature_rounding(p, q),
            ),
            (
                "TV",
                total_variation(p, q, &quadrature)?,
                tv_normals(p, q),
                0.0,
            ),
        ];
        for (what, est, closed, data_rounding) in results {
            measurements.push(against_closed_form(
                format!("{what}({names}): quadrature vs closed form"),
                &est,
                closed,
                data_rounding,
            ));
        }
    }

    // Convergence: a fixed composite Gauss-Kronrod rule on n equal pieces of
    // [-30, 30] (all but 1e-60 of both masses) approaches the closed form as
    // n doubles, down to rounding.
    let (p, q) = (Normal::new(0.3, 0.7)?, Normal::new(-1.1, 1.6)?);
    let exact = kl_normals(&p, &q);
    let composite_error = |n: usize| {
        let h = 60.0 / n as f64;
        let sum: f64 = (0..n)
            .map(|i| {
                let a = -30.0 + i as f64 * h;
                gauss_kronrod_15(|x| kl_integrand(p.ln_pdf(x), q.ln_pdf(x)), a, a + h).kronrod
            })
            .sum();
        (sum - exact).abs()
    };
    let mut previous = composite_error(COMPOSITE_PIECES[0]);
    for &n in &COMPOSITE_PIECES[1..] {
        let error = composite_error(n);
        measurements.push(Measurement::at_most(
            format!(
                "|KL composite rule - closed form| for {} || {} with {n} pieces \
                 (at most the error with {} pieces, or rounding)",
                label(&p),
                label(&q),
                n / 2
            ),
            error,
            previous.max(closed_form_rounding(exact)),
            0.0,
        ));
        previous = error;
    }
    measurements.push(Measurement::at_most(
        format!(
            "|KL composite rule - closed form| with {} pieces: down to rounding",
            COMPOSITE_PIECES[COMPOSITE_PIECES.len() - 1]
        ),
        previous,
        closed_form_rounding(exact),
        0.0,
    ));
    let tight = Quadrature::new(0.0, 1e-12, 4000)?;
    let est = kl(&p, &q, &tight)?;
    measurements.push(Measurement::at_most(
        "adaptive KL at rel_tol 1e-12: |quadrature - closed form|",
        (est.value - exact).abs(),
        tight.target(est.value) + closed_form_rounding(exact),
        0.0,
    ));

    // Infinite and bounded cases.
    let standard = Normal::standard();
    let uniform = Uniform::new(-50.0, 50.0)?;
    measurements.push(Measurement::within(
        "KL(N(0, 1) || U(-50, 50)): the normal has mass where the uniform has none",
        kl(&standard, &uniform, &quadrature)?.value,
        f64::INFINITY,
        0.0,
    ));
    let short = Uniform::new(-1.0, 2.0)?;
    measurements.push(against_closed_form(
        "KL(U(-1, 2) || N(0, 1)): quadrature vs closed form".to_string(),
        &kl(&short, &standard, &quadrature)?,
        kl_uniform_normal(&short, &standard),
        0.0,
    ));
    measurements.push(Measurement::within(
        "chi2(N(0, 2^2) || N(0, 1)): s1^2 >= 2 s2^2, so p^2/q does not decay",
        chi2(&Normal::new(0.0, 2.0)?, &standard, &quadrature)?.value,
        f64::INFINITY,
        0.0,
    ));
    let far = js(&standard, &Normal::new(80.0, 1.0)?, &quadrature)?;
    measurements.push(against_closed_form(
        "JSD(N(0, 1) || N(80, 1)) in nats: overlap below e^-800, so ln 2".to_string(),
        &far,
        LN_2,
        0.0,
    ));
    let mixture = NormalMixture::from_weights(
        &[2.0, 1.0, 5.0],
        vec![
            Normal::new(-4.0, 0.05)?,
            Normal::new(0.0, 1.0)?,
            Normal::new(30.0, 6.0)?,
        ],
    )?;
    measurements.push(against_closed_form(
        "mass of a three-component normal mixture".to_string(),
        &mass(&mixture, &quadrature)?,
        1.0,
        0.0,
    ));
    Ok(measurements)
}
