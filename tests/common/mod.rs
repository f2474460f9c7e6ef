//! Shared test support: proptest strategies for distributions and exact moments.
#![allow(dead_code)]

use gan_theory::{Discrete, Discriminator};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Property tests run with a fixed seed, so every run checks the same cases.
pub fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(2014),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Weights on `n` points of which about a third are exactly 0, at least one positive.
fn weights(n: usize) -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(prop_oneof![1 => Just(0.0), 2 => 1e-3f64..1.0], n)
        .prop_filter("some mass", |w| w.iter().any(|&x| x > 0.0))
}

/// A distribution on `n` points, with zeros.
pub fn distribution(n: usize) -> impl Strategy<Value = Discrete> {
    weights(n).prop_map(|w| Discrete::from_weights(&w).unwrap())
}

/// Two distributions on the same support of 1 to 12 points, with zeros.
pub fn pair() -> impl Strategy<Value = (Discrete, Discrete)> {
    (1usize..=12).prop_flat_map(|n| (distribution(n), distribution(n)))
}

/// Three distributions on the same support of 1 to 12 points, with zeros.
pub fn triple() -> impl Strategy<Value = (Discrete, Discrete, Discrete)> {
    (1usize..=12).prop_flat_map(|n| (distribution(n), distribution(n), distribution(n)))
}

/// Two distributions and a discriminator strictly inside (0, 1) on 1 to 12 points.
pub fn game() -> impl Strategy<Value = (Discrete, Discrete, Discriminator)> {
    (1usize..=12).prop_flat_map(|n| {
        (
            distribution(n),
            distribution(n),
            proptest::collection::vec(0.01f64..0.99, n)
                .prop_map(|d| Discriminator::from_probabilities(d).unwrap()),
        )
    })
}

/// Exact `(mean, variance, fourth cumulant)` of `f(i)` for `i ~ p`.
pub fn cumulants(p: &Discrete, f: impl Fn(usize) -> f64) -> (f64, f64, f64) {
    let mean = p.expect(&f);
    let m2 = p.expect(|i| (f(i) - mean).powi(2));
    let m4 = p.expect(|i| (f(i) - mean).powi(4));
    (mean, m2, m4 - 3.0 * m2 * m2)
}

/// Cross-entropy by its definition, `-sum p ln q` (compensated), `+inf` where
/// `p > 0 = q`: independent of the library's `cross_entropy`, which is
/// `H(p) + KL(p || q)`, so that KL can be checked against it.
pub fn cross_entropy_by_definition(p: &Discrete, q: &Discrete) -> f64 {
    let mut terms = Vec::new();
    for (&a, &b) in p.as_slice().iter().zip(q.as_slice()) {
        if a > 0.0 {
            if b == 0.0 {
                return f64::INFINITY;
            }
            terms.push(-a * b.ln());
        }
    }
    sum(terms)
}

/// The sum of `values`, as a reference independent of the library's
/// compensated sum: Shewchuk's exact partials (the algorithm of Python's
/// `math.fsum`), so the result is within an ulp of the exact sum. Any
/// non-finite term makes it the plain sum (an infinity, or NaN for
/// `inf - inf`), as for the library's.
pub fn sum<I: IntoIterator<Item = f64>>(values: I) -> f64 {
    let mut partials: Vec<f64> = Vec::new();
    let mut special = 0.0;
    for value in values {
        if !value.is_finite() {
            special += value;
            continue;
        }
        let mut x = value;
        let mut kept = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let high = x + y;
            let low = y - (high - x);
            if low != 0.0 {
                partials[kept] = low;
                kept += 1;
            }
            x = high;
        }
        partials.truncate(kept);
        partials.push(x);
    }
    if special != 0.0 || special.is_nan() {
        return special;
    }
    // Largest partial last: add from the smallest up.
    partials.iter().sum()
}
