//! Algorithm 1 of Goodfellow et al. 2014 on one dimension: 1-8-8-1 tanh MLPs,
//! data N(2, 0.5^2), noise U(0, 1), k = 5 discriminator steps per generator
//! step, Adam (learning rate 2e-3), the non-saturating generator loss. Prints
//! the exact W1 between generator samples and data samples as training
//! proceeds: it falls from about 2 to a few tenths and keeps wandering: the
//! last iterate of Algorithm 1 circles the equilibrium (see claim A6).
//!
//! `cargo run --release --example train_1d_gan`

use gan_theory::mlp::{Activation, Mlp};
use gan_theory::optim::Adam;
use gan_theory::train::algorithm1::{Algorithm1, GeneratorLoss, Normal1d, Settings, Uniform1d};
use gan_theory::transport::line::w1_samples;
use nalgebra::DMatrix;

const SEED: u64 = 2014;

fn main() -> Result<(), gan_theory::Error> {
    let d = Mlp::new(&[1, 8, 8, 1], Activation::Tanh, SEED)?;
    let g = Mlp::new(&[1, 8, 8, 1], Activation::Tanh, SEED + 1)?;
    let settings = Settings {
        minibatch: 64,
        discriminator_steps: 5,
        loss: GeneratorLoss::NonSaturating,
        seed: SEED,
        w1_samples: None,
    };
    let (d_opt, g_opt) = (
        Adam::with_defaults(2e-3, d.num_params())?,
        Adam::with_defaults(2e-3, g.num_params())?,
    );
    let mut run = Algorithm1::new(
        d,
        g,
        d_opt.into(),
        g_opt.into(),
        Normal1d::new(2.0, 0.5)?,
        Uniform1d::new(0.0, 1.0)?,
        settings,
    )?;

    // A fixed grid of noise values and normal quantiles stand in for samples.
    let n = 2000;
    let z = DMatrix::from_fn(n, 1, |i, _| (i as f64 + 0.5) / n as f64);
    let data: Vec<f64> = (0..n)
        .map(|i| 2.0 + 0.5 * normal_quantile((i as f64 + 0.5) / n as f64))
        .collect();
    println!(" iteration   V(D, G)   W1(p_g, p_data)");
    for block in 0..=10 {
        let records = if block == 0 {
            Vec::new()
        } else {
            run.run(200)?
        };
        let generated = run.generator().predict(&z)?;
        let w1 = w1_samples(generated.as_slice(), None, &data, None)?;
        let v = records
            .last()
            .map_or("-".to_string(), |r| format!("{:.4}", r.value));
        println!(" {:>9}   {v:>7}   {w1:.4}", run.iterations());
    }
    println!(
        "
(at the equilibrium V = -ln 4 = {:.4})",
        -(4.0f64).ln()
    );
    Ok(())
}

/// The standard normal quantile by bisection on erfc (accurate enough for a demo).
fn normal_quantile(p: f64) -> f64 {
    let cdf = |x: f64| 0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2);
    let (mut lo, mut hi) = (-10.0, 10.0);
    for _ in 0..80 {
        let mid = 0.5 * (lo + hi);
        if cdf(mid) < p { lo = mid } else { hi = mid }
    }
    0.5 * (lo + hi)
}
