//! The experiments of claims C1-C5: WGAN's Example 1, which claim C4
//! checks and the report's Example 1 figure draws, and the union of two
//! point sets on which C4 and C5 compare distributions with divergences.

use crate::Discrete;
use crate::error::Result;
use crate::transport::{CostMatrix, Metric, Points, emd};

/// The uniform distributions on the point lists `a` and `b` (each point
/// listed once per unit of weight), written on the union of the two lists:
/// a point of `b` equal to one of `a` (every coordinate `==`) is the same
/// support point. So whether the supports overlap is decided by the points
/// themselves, not by how the vectors are built.
pub(crate) fn on_union(a: &[Vec<f64>], b: &[Vec<f64>]) -> Result<(Discrete, Discrete)> {
    let mut union: Vec<&Vec<f64>> = Vec::new();
    let mut ia = Vec::with_capacity(a.len());
    for point in a {
        let i = union.iter().position(|y| *y == point).unwrap_or_else(|| {
            union.push(point);
            union.len() - 1
        });
        ia.push(i);
    }
    let mut ib = Vec::with_capacity(b.len());
    for point in b {
        let i = union.iter().position(|y| *y == point).unwrap_or_else(|| {
            union.push(point);
            union.len() - 1
        });
        ib.push(i);
    }
    let weights = |indices: &[usize]| {
        let mut w = vec![0.0; union.len()];
        for &i in indices {
            w[i] += 1.0;
        }
        w
    };
    Ok((
        Discrete::from_weights(&weights(&ia))?,
        Discrete::from_weights(&weights(&ib))?,
    ))
}

/// WGAN's Example 1 discretised: `P_0` uniform on `K` points `(0, z_k)` and
/// `P_theta` on `(theta, z_k)`, `z_k = (k + 1/2)/K`. Returns `W1` from the
/// general solver and the two distributions on the union of the supports
/// ([`on_union`]: `K` points when `theta = 0`, else `2K`).
pub(crate) fn example_1(theta: f64) -> Result<(f64, Discrete, Discrete)> {
    const K: usize = 16;
    let z: Vec<f64> = (0..K).map(|k| (k as f64 + 0.5) / K as f64).collect();
    let segment = |x: f64| -> Vec<Vec<f64>> { z.iter().map(|&zk| vec![x, zk]).collect() };
    let uniform = vec![1.0 / K as f64; K];
    let (left, right) = (segment(0.0), segment(theta));
    let cost = CostMatrix::from_points(
        &Points::new(left.clone())?,
        &Points::new(right.clone())?,
        Metric::Euclidean,
    )?;
    let w = emd(&uniform, &uniform, &cost)?.cost;
    let (p, q) = on_union(&left, &right)?;
    Ok((w, p, q))
}
