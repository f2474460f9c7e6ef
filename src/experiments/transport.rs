//! The experiments of claims C1-C5: WGAN's Example 1, which claim C4
//! checks and the report's Example 1 figure draws.

use crate::Discrete;
use crate::error::Result;
use crate::transport::{CostMatrix, Metric, Points, emd};

/// WGAN's Example 1 discretised: `P_0` uniform on `K` points `(0, z_k)` and
/// `P_theta` on `(theta, z_k)`, `z_k = (k + 1/2)/K`. Returns `W1` from the
/// general solver and the two distributions on the union of the supports.
pub(crate) fn example_1(theta: f64) -> Result<(f64, Discrete, Discrete)> {
    const K: usize = 16;
    let z: Vec<f64> = (0..K).map(|k| (k as f64 + 0.5) / K as f64).collect();
    let segment = |x: f64| Points::new(z.iter().map(|&zk| vec![x, zk]).collect());
    let uniform = vec![1.0 / K as f64; K];
    let cost = CostMatrix::from_points(&segment(0.0)?, &segment(theta)?, Metric::Euclidean)?;
    let w = emd(&uniform, &uniform, &cost)?.cost;
    // On the union of the supports: the same K points when theta = 0, else 2K.
    let (p, q) = if theta == 0.0 {
        (Discrete::uniform(K)?, Discrete::uniform(K)?)
    } else {
        let mut left = vec![1.0; K];
        left.extend(vec![0.0; K]);
        let right: Vec<f64> = left.iter().rev().copied().collect();
        (
            Discrete::from_weights(&left)?,
            Discrete::from_weights(&right)?,
        )
    };
    Ok((w, p, q))
}
