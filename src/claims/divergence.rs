//! Checks for claims B1-B3: KL, Jensen-Shannon and the JS identity of BrightLamp's note.

use super::{Context, Measurement, random_distribution, rng_for};
use crate::Discrete;
use crate::divergence::{js, js_distance, kl, total_variation};
use crate::error::Result;
use crate::game::c_of_g;
use crate::tol;
use rand::RngExt;
use std::f64::consts::LN_2;

/// Random instances per universal check (see `game::INSTANCES`).
const INSTANCES: usize = 1000;

pub(crate) fn b1(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, 11);
    let (mut worst_pinsker, mut worst_self) = (f64::INFINITY, 0.0f64);
    for _ in 0..INSTANCES {
        let n = rng.random_range(1..=12);
        let (p, q) = (
            random_distribution(&mut rng, n),
            random_distribution(&mut rng, n),
        );
        let tv = total_variation(&p, &q)?;
        worst_pinsker = worst_pinsker.min(kl(&p, &q)? - 2.0 * tv * tv);
        worst_self = worst_self.max(kl(&p, &p)?);
    }
    let p = Discrete::new(vec![0.5, 0.5])?;
    let q = Discrete::new(vec![0.25, 0.75])?;
    let no_mass = Discrete::new(vec![1.0, 0.0])?;
    Ok(vec![
        Measurement::at_least(
            format!(
                "min KL(p || q) - 2 TV^2 over {INSTANCES} random pairs (Pinsker: KL > 0 when p != q)"
            ),
            worst_pinsker,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::within("max KL(p || p)", worst_self, 0.0, 0.0),
        // Asymmetry: reference values from 40-digit arithmetic, (1/2) ln(4/3) and
        // (3/4) ln(3/2) - (1/4) ln 2.
        Measurement::within(
            "KL(p || q) for p = (1/2, 1/2), q = (1/4, 3/4)",
            kl(&p, &q)?,
            0.143_841_036_225_890_463_719_609_502_996_913_7,
            tol::IDENTITY_ABS,
        ),
        Measurement::within(
            "KL(q || p) for the same pair: differs from KL(p || q)",
            kl(&q, &p)?,
            0.130_812_035_941_136_959_129_201_806_233_717_7,
            tol::IDENTITY_ABS,
        ),
        Measurement::within(
            "KL((1/2, 1/2) || (1, 0)): p has mass where q has none",
            kl(&p, &no_mass)?,
            f64::INFINITY,
            0.0,
        ),
    ])
}

pub(crate) fn b2(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, 12);
    let (mut worst_asym, mut worst_disjoint, mut worst_triangle) =
        (0.0f64, 0.0f64, f64::NEG_INFINITY);
    // Slack of the bounds TV^2/2 <= JSD <= ln 2 (1 - sum min(p, q)): their
    // smallest margin over the instances (never below 0 if the claim holds).
    let (mut worst_lower, mut worst_upper) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..INSTANCES {
        let n = rng.random_range(2..=12);
        let (p, q, r) = (
            random_distribution(&mut rng, n),
            random_distribution(&mut rng, n),
            random_distribution(&mut rng, n),
        );
        let d = js(&p, &q)?;
        worst_asym = worst_asym.max((d - js(&q, &p)?).abs());
        let tv = total_variation(&p, &q)?;
        let overlap: f64 = p
            .as_slice()
            .iter()
            .zip(q.as_slice())
            .map(|(a, b)| a.min(*b))
            .sum();
        worst_lower = worst_lower.min(d - tv * tv / 2.0);
        worst_upper = worst_upper.min(LN_2 * (1.0 - overlap) - d);
        worst_triangle =
            worst_triangle.max(js_distance(&p, &r)? - js_distance(&p, &q)? - js_distance(&q, &r)?);
        // Split the support into two halves: disjoint distributions.
        let k = rng.random_range(1..n);
        let left: Vec<f64> = (0..n)
            .map(|i| if i < k { 1.0 + i as f64 } else { 0.0 })
            .collect();
        let right: Vec<f64> = (0..n)
            .map(|i| if i >= k { 1.0 + i as f64 } else { 0.0 })
            .collect();
        let (a, b) = (
            Discrete::from_weights(&left)?,
            Discrete::from_weights(&right)?,
        );
        worst_disjoint = worst_disjoint.max((js(&a, &b)? - LN_2).abs());
    }
    let tiny = js(
        &Discrete::new(vec![1e-300, 1.0])?,
        &Discrete::new(vec![0.0, 1.0])?,
    )?;
    Ok(vec![
        Measurement::within(
            format!("max |JSD(p||q) - JSD(q||p)| over {INSTANCES} pairs"),
            worst_asym,
            0.0,
            0.0,
        ),
        Measurement::at_least(
            "min JSD - TV^2/2 (Pinsker on both halves: JSD = 0 only for p = q)",
            worst_lower,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_least(
            "min ln 2 (1 - sum min(p, q)) - JSD (JSD <= ln 2, = ln 2 only for disjoint supports)",
            worst_upper,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            "max |JSD - ln 2| for disjoint supports",
            worst_disjoint,
            0.0,
            tol::IDENTITY_ABS,
        ),
        Measurement::at_most(
            "max sqrt(JSD(p,r)) - sqrt(JSD(p,q)) - sqrt(JSD(q,r)) (triangle inequality)",
            worst_triangle,
            0.0,
            tol::IDENTITY_ABS.sqrt(),
        ),
        Measurement::within(
            "JSD((1e-300, 1), (0, 1)) / 1e-300: expected ln 2 / 2 (scipy gives inf for 5e-324)",
            tiny / 1e-300,
            LN_2 / 2.0,
            tol::IDENTITY_REL,
        ),
    ])
}

pub(crate) fn b3(context: &Context) -> Result<Vec<Measurement>> {
    let mut rng = rng_for(context, 13);
    let mut worst = 0.0f64;
    for _ in 0..INSTANCES {
        let n = rng.random_range(1..=12);
        let (q, p) = (
            random_distribution(&mut rng, n),
            random_distribution(&mut rng, n),
        );
        worst = worst.max((js(&q, &p)? - (c_of_g(&q, &p)? / 2.0 + LN_2)).abs());
    }
    Ok(vec![Measurement::at_most(
        format!("max |JSD(q||p) - (V(D*)/2 + ln 2)| over {INSTANCES} random pairs"),
        worst,
        0.0,
        tol::IDENTITY_ABS,
    )])
}
