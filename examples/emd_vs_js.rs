//! The Earth Mover distance against the Jensen-Shannon divergence as two point
//! masses approach each other (Arjovsky et al. 2017, Example 1): W1 shrinks
//! with the distance, JSD stays ln 2 until the supports meet.
//!
//! `cargo run --release --example emd_vs_js`

use gan_theory::transport::line::{LineSample, w1};
use gan_theory::transport::{CostMatrix, Metric, Points, emd};
use gan_theory::{Discrete, divergence};

fn main() -> Result<(), gan_theory::Error> {
    println!("  theta       W1(delta_0, delta_theta)   JSD (nats)");
    for theta in [1.0, 0.5, 0.1, 0.01, 1e-6, 0.0] {
        let distance = w1(&LineSample::new(&[0.0])?, &LineSample::new(&[theta])?);
        // On the union of the supports: one point when theta = 0, else two.
        let jsd = if theta == 0.0 {
            divergence::js(&Discrete::point_mass(1, 0)?, &Discrete::point_mass(1, 0)?)?
        } else {
            divergence::js(&Discrete::point_mass(2, 0)?, &Discrete::point_mass(2, 1)?)?
        };
        println!("  {theta:<10}  {distance:<25}  {jsd:.6}");
    }

    // The exact solver on points in the plane: its plan, cost and dual certificate.
    let xp = Points::new(vec![vec![0.0, 0.0], vec![0.0, 1.0], vec![0.0, 2.0]])?;
    let xq = Points::new(vec![vec![3.0, 0.0], vec![3.0, 1.0], vec![3.0, 2.0]])?;
    let cost = CostMatrix::from_points(&xp, &xq, Metric::Euclidean)?;
    let third = [1.0 / 3.0; 3];
    let t = emd(&third, &third, &cost)?;
    println!("\nthree points moved 3 to the right: W1 = {}", t.cost);
    for e in &t.plan {
        println!("  move {:.4} from p[{}] to q[{}]", e.mass, e.i, e.j);
    }
    let dual: f64 = third.iter().zip(&t.u).map(|(a, u)| a * u).sum::<f64>()
        + third.iter().zip(&t.v).map(|(b, v)| b * v).sum::<f64>();
    println!("  dual value sum p u + sum q v = {dual} (equal: the plan is optimal)");
    Ok(())
}
