//! The optimal discriminator and the value of the game at it (Goodfellow et
//! al. 2014, Proposition 1 and Theorem 1), on two distributions over five points.
//!
//! `cargo run --release --example optimal_discriminator`

use gan_theory::game::{c_of_g, optimal_discriminator, value};
use gan_theory::{Discrete, Discriminator, divergence};

fn main() -> Result<(), gan_theory::Error> {
    let p_data = Discrete::new(vec![0.05, 0.25, 0.40, 0.25, 0.05])?;
    let p_g = Discrete::new(vec![0.30, 0.30, 0.20, 0.10, 0.10])?;

    // D*(x) = p_data(x) / (p_data(x) + p_g(x)): the best response to a fixed G.
    let d_star = optimal_discriminator(&p_data, &p_g)?;
    println!("  x   p_data   p_g     D*(x)");
    for x in 0..p_data.len() {
        println!(
            "  {x}   {:.3}    {:.3}   {:.4}",
            p_data.as_slice()[x],
            p_g.as_slice()[x],
            d_star.probability(x)
        );
    }

    // At D*, V equals C(G) = -ln 4 + 2 JSD(p_data || p_g).
    let v_star = value(&p_data, &p_g, &d_star)?;
    let jsd = divergence::js(&p_data, &p_g)?;
    println!("\nV(D*, G)          = {v_star:.15}");
    println!("C(G)              = {:.15}", c_of_g(&p_data, &p_g)?);
    println!("-ln 4 + 2 JSD     = {:.15}", -(4.0f64).ln() + 2.0 * jsd);

    // Any other discriminator does worse: the constant 1/2, and D* nudged.
    let half = Discriminator::from_probabilities(vec![0.5; p_data.len()])?;
    let nudged =
        Discriminator::from_logits((0..p_data.len()).map(|x| d_star.logit(x) + 0.3).collect())?;
    println!(
        "V(1/2, G)         = {:.15}  (= -ln 4)",
        value(&p_data, &p_g, &half)?
    );
    println!("V(D* nudged, G)   = {:.15}", value(&p_data, &p_g, &nudged)?);

    // When the generator matches the data, D* = 1/2 everywhere and C(G) = -ln 4.
    let matched = optimal_discriminator(&p_data, &p_data)?;
    println!(
        "\np_g = p_data: D* = {:?}, C(G) = {:.15}",
        matched.probabilities(),
        c_of_g(&p_data, &p_data)?
    );
    Ok(())
}
