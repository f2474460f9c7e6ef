//! Claim F1: finite samples never overlap. Two samples from continuous laws
//! are disjoint, so their empirical measures sit at the largest JSD for every
//! n and a discriminator separates them; W1 between them converges to W1 of
//! the laws at the n^-1/2 rate.

use gan_theory::Discrete;
use gan_theory::continuous::{Normal, w1_normals};
use gan_theory::critic::Critic;
use gan_theory::divergence::{js, kl, total_variation};
use gan_theory::mlp::{Activation, Mlp};
use gan_theory::nalgebra::DVector;
use gan_theory::optim::{Adam, AnyOptimizer};
use gan_theory::rand::rngs::StdRng;
use gan_theory::rand::{Rng, RngExt, SeedableRng};
use gan_theory::statrs::distribution::{ContinuousCDF, Normal as StatrsNormal};
use gan_theory::statrs::function::erf::erf;
use gan_theory::tol;
use gan_theory::train::wgan::{
    Empirical, GeneratorObjective, generator_gradient, train_standard_discriminator,
};
use gan_theory::transport::Points;
use gan_theory::transport::line::{LineSample, w1};
use std::f64::consts::{FRAC_1_SQRT_2, LN_2, PI, SQRT_2};

/// The empirical measures of `xs` and `ys` on the distinct values of both.
fn empirical_pair(xs: &[f64], ys: &[f64]) -> (Discrete, Discrete) {
    let mut values: Vec<f64> = xs.iter().chain(ys).copied().collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    let count = |sample: &[f64]| -> Vec<f64> {
        values
            .iter()
            .map(|v| sample.iter().filter(|&&s| s == *v).count() as f64)
            .collect()
    };
    (
        Discrete::from_weights(&count(xs)).unwrap(),
        Discrete::from_weights(&count(ys)).unwrap(),
    )
}

/// `n` standard normal draws (Box-Muller on `rand`'s uniforms).
fn normals<R: Rng + ?Sized>(rng: &mut R, n: usize, mean: f64, sd: f64) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let u1 = 1.0 - rng.random::<f64>();
            let u2: f64 = rng.random();
            mean + sd * (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos()
        })
        .collect()
}

/// Two samples of one continuous law (uniform, then normal) never share a
/// point, so JSD = ln 2, KL = +inf, TV = 1 between their empirical measures
/// at every n; a sample that does share a point gets a smaller JSD, so the
/// computation sees overlap when there is some.
///
/// The draws are multiples of 2^-53 (uniform) or functions of two such
/// (normal); the chance that some pair of the 2 x 5558 draws coincides is
/// below 1e-8.
#[test]
fn f1_two_samples_of_one_law_are_disjoint() {
    let mut rng = StdRng::seed_from_u64(0xF1);
    for n in [1, 2, 5, 50, 500, 5000] {
        for normal in [false, true] {
            let draw = |rng: &mut StdRng| -> Vec<f64> {
                if normal {
                    normals(rng, n, 0.0, 1.0)
                } else {
                    (0..n).map(|_| rng.random::<f64>()).collect()
                }
            };
            let (xs, ys) = (draw(&mut rng), draw(&mut rng));
            let (p, q) = empirical_pair(&xs, &ys);
            assert_eq!(p.len(), 2 * n, "no coincidence among 2n draws");
            assert!(
                (js(&p, &q).unwrap() - LN_2).abs() <= tol::IDENTITY_ABS,
                "n = {n}"
            );
            assert_eq!(kl(&p, &q).unwrap(), f64::INFINITY);
            assert_eq!(kl(&q, &p).unwrap(), f64::INFINITY);
            assert!((total_variation(&p, &q).unwrap() - 1.0).abs() <= tol::IDENTITY_ABS);
            if n > 1 {
                // One shared point: mass 1/n in common, JSD below ln 2 by (1/n) ln 2.
                let mut shared = ys.clone();
                shared[0] = xs[0];
                let (p, q) = empirical_pair(&xs, &shared);
                let expected = (1.0 - 1.0 / n as f64) * LN_2;
                assert!(tol::close(js(&p, &q).unwrap(), expected), "n = {n}");
            }
        }
    }
}

/// The points of `N(m, s^2)` at the quantiles `(k + 1/2)/N`, k < N.
fn quantile_points(m: f64, s: f64, n: usize) -> Vec<f64> {
    let law = StatrsNormal::new(m, s).unwrap();
    (0..n)
        .map(|k| law.inverse_cdf((k as f64 + 0.5) / n as f64))
        .collect()
}

/// Quantile grid of [`f1_w1_normals_is_the_quantile_integral`]: 2^16 points.
const QUANTILES: usize = 1 << 16;

/// `W1(N(m, s^2), P_N) <= s (2 z_N / N + 2 phi(z_N) + 2 z_2N / N)` for the
/// quantile discretisation `P_N` with `N` points, `z_N = Phi^-1(1 - 1/N)`:
/// each interior cell `[k/N, (k+1)/N]` moves its mass less than its quantile
/// range, which telescopes to `(F^-1(1 - 1/N) - F^-1(1/N)) / N`; each end
/// cell moves at most `∫_0^(1/N) |F^-1(u) - m| du + |F^-1(1/(2N)) - m| / N
/// = s (phi(z_N) + z_2N / N)`. With `N = 2^16` this is below `5e-4 s`.
fn quantile_discretisation(s: f64) -> f64 {
    let n = QUANTILES as f64;
    let std = StatrsNormal::new(0.0, 1.0).unwrap();
    let (z, z2) = (
        std.inverse_cdf(1.0 - 1.0 / n),
        std.inverse_cdf(1.0 - 0.5 / n),
    );
    let phi = (-0.5 * z * z).exp() / (2.0 * PI).sqrt();
    s * (2.0 * z / n + 2.0 * phi + 2.0 * z2 / n)
}

/// W1 between normals in closed form, `E |m1 - m2 + (s1 - s2) Z|`, against
/// the exact W1 of their quantile discretisations on 2^16 points (within
/// the discretisation bound), and its special cases exactly.
#[test]
fn f1_w1_normals_is_the_quantile_integral() {
    let pairs = [
        (0.0, 1.0, 0.5, 2.0),
        (0.0, 1.0, 1.5, 0.5),
        (-2.0, 3.0, 1.0, 0.25),
        (0.0, 1.0, 0.0, 2.0),
        (1.0, 1.0, -1.0, 1.0),
    ];
    for (m1, s1, m2, s2) in pairs {
        let exact = w1_normals(&Normal::new(m1, s1).unwrap(), &Normal::new(m2, s2).unwrap());
        let reverse = w1_normals(&Normal::new(m2, s2).unwrap(), &Normal::new(m1, s1).unwrap());
        assert_eq!(exact, reverse, "symmetric");
        let a = LineSample::new(&quantile_points(m1, s1, QUANTILES)).unwrap();
        let b = LineSample::new(&quantile_points(m2, s2, QUANTILES)).unwrap();
        let discrete = w1(&a, &b);
        let allowance = quantile_discretisation(s1) + quantile_discretisation(s2);
        assert!(
            (discrete - exact).abs() <= allowance,
            "({m1}, {s1}) vs ({m2}, {s2}): closed form {exact}, quantile grid {discrete}, allowance {allowance}"
        );
        // Never below |m1 - m2| (the 1-Lipschitz critic x), never above
        // |m1 - m2| + |s1 - s2| sqrt(2/pi) (the triangle inequality).
        let (mu, sigma) = ((m1 - m2).abs(), (s1 - s2).abs());
        assert!(mu <= exact && exact <= mu + sigma * (2.0 / PI).sqrt() + 1e-15);
    }
    let unit = Normal::new(0.0, 1.0).unwrap();
    assert_eq!(w1_normals(&unit, &Normal::new(2.5, 1.0).unwrap()), 2.5);
    let spread = w1_normals(&unit, &Normal::new(0.0, 4.0).unwrap());
    assert!(tol::close(spread, 3.0 * (2.0 / PI).sqrt()));
}

/// An upper bound on `C = ∫ sqrt(Phi (1 - Phi)) dz` (about 1.6147): the
/// integrand is even and decreasing on `z >= 0`, so the left Riemann sum on
/// `[0, 8]` with step 1/128 is above its integral there; the tail beyond 8 is
/// below 2e-8, and statrs' `erf` (1e-10 accurate) moves the sum by less than
/// 1e-8. Proof F1, step 4.
fn spread_upper() -> f64 {
    let h = 1.0 / 128.0;
    let sum: f64 = (0..1024)
        .map(|k| {
            let e = erf(k as f64 * h * FRAC_1_SQRT_2);
            h * (0.25 * (1.0 - e * e)).max(0.0).sqrt()
        })
        .sum();
    2.0 * sum + 1e-7
}

/// The bound of proof F1, step 5: `sqrt n E W1(F_n, G_n) >= ∫ 2^(3/2) v /
/// sqrt(2/n + 12 (1 - 1/n) v) dz` for two samples of N(0, 1), by a right
/// Riemann sum (the integrand decreases in |z|) minus statrs' rounding.
fn same_law_lower(n: usize) -> f64 {
    let (h, n) = (1.0 / 128.0, n as f64);
    let sum: f64 = (1..=1024)
        .map(|k| {
            let e = erf(k as f64 * h * FRAC_1_SQRT_2);
            let v = (0.25 * (1.0 - e * e)).max(0.0);
            h * 2.0 * SQRT_2 * v / (2.0 / n + 12.0 * (1.0 - 1.0 / n) * v).sqrt()
        })
        .sum();
    2.0 * sum - 1e-7
}

/// False-alarm probability of each statistical assertion below (fixed seed:
/// the test is deterministic, and a failure would have had this chance).
const DELTA: f64 = 1e-6;

/// `sqrt(2 (s_p^2 + s_q^2) ln(2/delta) / (n R))`: Gaussian concentration of
/// the mean of `R` values of `W1(F_n, G_n)` (proof F1, step 3).
fn concentration(sd_p: f64, sd_q: f64, n: usize, replicates: usize) -> f64 {
    (2.0 * (sd_p * sd_p + sd_q * sd_q) * (2.0 / DELTA).ln() / (n * replicates) as f64).sqrt()
}

/// W1 between samples of N(0, 1) and N(1/2, 4) is within
/// `(s_p + s_q) C / sqrt n` plus concentration of the closed form; between
/// two samples of N(0, 1), `sqrt n` times its mean stays between proof F1's
/// lower and upper bounds: the rate is n^-1/2, not faster, not slower.
#[test]
fn f1_w1_between_samples_converges_at_root_n() {
    let mut rng = StdRng::seed_from_u64(0x0F13);
    let c = spread_upper();
    assert!((1.6147..1.6200).contains(&c), "C = {c}");
    let exact = w1_normals(
        &Normal::new(0.0, 1.0).unwrap(),
        &Normal::new(0.5, 2.0).unwrap(),
    );
    for n in [64, 1024, 16384] {
        let (x, y) = (
            normals(&mut rng, n, 0.0, 1.0),
            normals(&mut rng, n, 0.5, 2.0),
        );
        let w = w1(&LineSample::new(&x).unwrap(), &LineSample::new(&y).unwrap());
        let slack = 3.0 * c / (n as f64).sqrt() + concentration(1.0, 2.0, n, 1);
        assert!(
            (w - exact).abs() <= slack,
            "n = {n}: {w} vs {exact} +- {slack}"
        );
    }
    let replicates = 64;
    for n in [16, 256, 4096] {
        let mean = (0..replicates)
            .map(|_| {
                let (x, y) = (
                    normals(&mut rng, n, 0.0, 1.0),
                    normals(&mut rng, n, 0.0, 1.0),
                );
                w1(&LineSample::new(&x).unwrap(), &LineSample::new(&y).unwrap())
            })
            .sum::<f64>()
            / f64::from(replicates);
        let root = (n as f64).sqrt();
        let t = root * concentration(1.0, 1.0, n, replicates as usize);
        let scaled = root * mean;
        assert!(
            same_law_lower(n) - t <= scaled && scaled <= SQRT_2 * c + t,
            "n = {n}: sqrt n W1 = {scaled}"
        );
    }
}

/// Eight draws against eight from U[0, 1)^15 (p_g = p_data, identity
/// generator): a 15-16-1 tanh discriminator trained by minibatch steps gets
/// within eps = 1e-2 of the perfect one, and the minimax generator gradient
/// is then at most Arjovsky and Bottou's `M eps / (1 - eps)`, below 3e-2
/// (`M = sqrt(mean(|z|^2 + 1))` bounds the generator's Jacobian in its
/// parameters). The generator is the identity, so `noise` is also the
/// generated sample.
#[test]
fn f1_discriminator_separates_one_law_and_minimax_gradient_vanishes() {
    const DIM: usize = 15;
    const N: usize = 8;
    let mut rng = StdRng::seed_from_u64(0x0F12);
    let mut cube = || {
        let values: Vec<f64> = (0..N * DIM).map(|_| rng.random::<f64>()).collect();
        Empirical::uniform(&Points::from_flat(N, DIM, values).unwrap()).unwrap()
    };
    let (data, noise) = (cube(), cube());
    let mut identity = vec![0.0; DIM * DIM + DIM];
    for k in 0..DIM {
        identity[k * DIM + k] = 1.0;
    }
    let generator =
        Mlp::from_params(&[DIM, DIM], Activation::Tanh, DVector::from_vec(identity)).unwrap();
    let mut d = Mlp::new(&[DIM, 16, 1], Activation::Tanh, 7).unwrap();
    let mut opt: AnyOptimizer = Adam::new(0.05, 0.9, 0.999, 1e-8, d.num_params())
        .unwrap()
        .into();
    let sigmoid = |l: f64| 1.0 / (1.0 + (-l).exp());
    let norm = |g: Vec<f64>| g.iter().map(|x| x * x).sum::<f64>().sqrt();
    let m = ((0..N)
        .map(|i| noise.points().row(i).norm_squared() + 1.0)
        .sum::<f64>()
        / N as f64)
        .sqrt();
    let mut eps = 1.0;
    for round in 0..400u64 {
        train_standard_discriminator(&mut d, &mut opt, &data, &noise, 25, N, round).unwrap();
        let (real, fake) = (
            d.predict(data.points()).unwrap(),
            d.predict(noise.points()).unwrap(),
        );
        let grads = Critic::from_mlp(d.clone())
            .unwrap()
            .input_gradients(noise.points())
            .unwrap();
        eps = (0..N)
            .map(|i| {
                let prob = sigmoid(fake[i]);
                (1.0 - sigmoid(real[i]))
                    .max(prob)
                    .max(prob * (1.0 - prob) * grads.row(i).norm())
            })
            .fold(0.0, f64::max);
        if eps <= 1e-2 {
            break;
        }
    }
    assert!(
        eps <= 1e-2,
        "the discriminator did not separate the samples: eps = {eps}"
    );
    let minimax =
        norm(generator_gradient(&generator, &noise, GeneratorObjective::Minimax(&d)).unwrap());
    assert!(
        minimax <= m * eps / (1.0 - eps),
        "{minimax} above Thm 2.4's bound"
    );
}
