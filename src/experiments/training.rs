//! The experiments of claims A5-A9: their instances, constants and
//! training runs, which the claims' checks measure and the report's figures
//! draw.

use super::{Context, full_support, rng_for};
use crate::Discriminator;
use crate::error::{Error, Result};
use crate::measure::Discrete;
use crate::mlp::{Activation, Mlp};
use crate::numeric::sigmoid;
use crate::optim::Adam;
use crate::tabular::{TabularDiscriminator, TabularGenerator};
use crate::tol;
use crate::train::algorithm1::{Algorithm1, Normal1d, Sampler, Settings, TrainingRng, Uniform1d};
use crate::train::inner_max::{InnerMaxSettings, MlpInnerProblem, TanhTiltedPair, maximise_value};
use crate::train::tabular_game::{
    C_OF_G_LOGIT_SMOOTHNESS, DescentRun, DiscriminatorPolicy, GeneratorLoss, GeneratorRun, History,
    SgdRun, descend_c_of_g, linear_loss_smoothness, local_log_contraction, train_discriminator_sgd,
    train_generator,
};
use crate::transport::line::w1_samples;
use nalgebra::DMatrix;
use rand::SeedableRng;

/// Generator steps of the D-optimal descent of A5 and of A8's runs: enough
/// for the derived O(1/T) bounds to be small (below 1e-3 in JSD, a few 1e-2
/// in the mass left off argmax D), in milliseconds.
pub(crate) const DESCENT_STEPS: usize = 20_000;

/// The data distribution on 5 points of A6 (i), A8 and the report's C(G)
/// figure: a mode at the first point, a long tail.
pub(crate) fn five_point_data() -> Result<Discrete> {
    Discrete::new(vec![0.4, 0.3, 0.15, 0.1, 0.05])
}

/// The generator's step in A5's descent (in its logits): `1/L`, with `L`
/// the smoothness constant of C(G) in the logits.
pub(crate) const A5_STEP: f64 = 1.0 / C_OF_G_LOGIT_SMOOTHNESS;

/// Points of A5's descent.
pub(crate) const A5_POINTS: usize = 6;

/// A5's descent: `p_data` on [`A5_POINTS`] points drawn from `rng`, every
/// entry at least `0.1 / A5_POINTS` (the descent needs full support); the
/// generator starts uniform and descends C(G), `D = D*` at
/// every step, [`DESCENT_STEPS`] steps of [`A5_STEP`]. Returns the data and
/// the run.
pub(crate) fn a5_descent<R: rand::Rng + ?Sized>(rng: &mut R) -> Result<(Discrete, DescentRun)> {
    let p_data = full_support(rng, A5_POINTS, 0.1);
    let start = TabularGenerator::uniform(A5_POINTS)?;
    let run = descend_c_of_g(&p_data, &start, A5_STEP, DESCENT_STEPS)?;
    Ok((p_data, run))
}

/// Distance from the optimum, along the slowest direction of the Hessian,
/// at which A5's slow-mode run starts (in the logits): small enough that the
/// nonlinear terms change the measured rate by at most 1.3e-4 of itself,
/// large enough that after the window the error (1e-9) is far above rounding
/// (see [`A5_SLOW_MODE_RATE_REL`]).
pub(crate) const A5_SLOW_MODE_START: f64 = 1e-6;

/// Factor by which A5's slow-mode run lets the JSD fall.
pub(crate) const A5_SLOW_MODE_WINDOW: f64 = 1e6;

/// Cap on the steps of A5's slow-mode run (its predicted count is at most
/// about 5300 for the data drawn; the cap keeps a wrong prediction from
/// running long).
pub(crate) const A5_SLOW_MODE_MAX_STEPS: usize = 200_000;

/// Relative tolerance, on both sides, of the slow-mode run's measured
/// log-contraction per step against the predicted `2 ln(1 - eta lambda_1)`.
///
/// Reason (A5 proof, "the linear rate"): started at distance `eps` along the
/// slowest eigenvector, the error stays along it up to relative terms of
/// order `mu = K3 eps / (2 rho lambda_1)` (the gradient's Taylor remainder,
/// `K3 <= 6.2` the bound on the third derivative of C in the logits, summed
/// over the geometric run), and the excess is `lambda_1 |delta|^2 / 2` up to
/// `xi = K3 |delta| / (3 lambda_1)`; the log of the JSD ratio over the window
/// is then off by at most `4 mu + 2 xi` out of `ln(1e6) = 13.8`. For
/// `eps = 1e-6`, `lambda_1 >= min p_data / 2 >= 0.0098` (A5's data has
/// entries at least `0.1 / 5.1`) and `rho >= 0.97`, this is at most 1.3e-4;
/// rounding adds 1e-7 (the error at the window's end, 1e-9, is 1e6 times
/// the softmax's relative rounding). 1e-3 leaves a factor 7; halving or
/// doubling the predicted eigenvalue is off by 1/2 or 1.
pub(crate) const A5_SLOW_MODE_RATE_REL: f64 = 1e-3;

/// A5's slow-mode run, measured.
pub(crate) struct SlowModeRun {
    /// The library's prediction [`local_log_contraction`] at [`A5_STEP`].
    pub(crate) predicted: f64,
    /// Steps taken: enough, by the prediction, for the JSD to fall by
    /// [`A5_SLOW_MODE_WINDOW`] (at most [`A5_SLOW_MODE_MAX_STEPS`]).
    pub(crate) steps: usize,
    /// JSD at the start and after the steps.
    pub(crate) jsd: (f64, f64),
}

/// A5's linear rate measured where it is exact: the descent of C with `D =
/// D*` started at `ln p_data + eps v_1`, with `v_1` the unit eigenvector of
/// the Hessian `(diag(p_data) - p_data p_data^T) / 2` for its smallest
/// non-zero eigenvalue and `eps` = [`A5_SLOW_MODE_START`], for as many steps
/// as the prediction says the JSD needs to fall by [`A5_SLOW_MODE_WINDOW`].
pub(crate) fn a5_slow_mode_run(p_data: &Discrete) -> Result<SlowModeRun> {
    let a = p_data.as_slice();
    let n = a.len();
    let hessian = DMatrix::from_fn(n, n, |r, c| {
        (if r == c { a[r] } else { 0.0 } - a[r] * a[c]) / 2.0
    });
    let eigen = nalgebra::SymmetricEigen::new(hessian);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| eigen.eigenvalues[i].total_cmp(&eigen.eigenvalues[j]));
    // order[0] is the common shift of the logits (eigenvalue 0).
    let slowest = eigen.eigenvectors.column(order[1.min(n - 1)]);
    let logits: Vec<f64> = (0..n)
        .map(|i| a[i].ln() + A5_SLOW_MODE_START * slowest[i])
        .collect();
    let predicted = local_log_contraction(p_data, A5_STEP)?;
    let wanted = A5_SLOW_MODE_WINDOW.ln() / -predicted;
    let steps = if wanted.is_finite() && wanted > 0.0 {
        (wanted.ceil() as usize).clamp(1, A5_SLOW_MODE_MAX_STEPS)
    } else {
        A5_SLOW_MODE_MAX_STEPS
    };
    let run = descend_c_of_g(p_data, &TabularGenerator::new(logits)?, A5_STEP, steps)?;
    let jsd = &run.history.jsd;
    Ok(SlowModeRun {
        predicted,
        steps,
        jsd: (jsd[0], *jsd.last().expect("at least the start")),
    })
}

/// Fewest and most points carrying the large equal masses of A5's symmetric
/// instance (drawn from the seed).
pub(crate) const A5_SYMMETRIC_POINTS: std::ops::RangeInclusive<usize> = 2..=8;

/// Range of `log10` of the tiny mass of A5's symmetric instance (drawn
/// from the seed): far below the `3 / (4 eta T)` the generator's mass on
/// that point reaches after [`DESCENT_STEPS`] steps, so that the run stays
/// in the `O(1/T)` regime throughout.
pub(crate) const A5_TINY_MASS_LOG10: std::ops::Range<f64> = -14.0..-9.0;

/// A5's instance for the `O(1/T)` rate, where the rate is attained and the
/// radius `R` of the bound is known before the run: `p_data` with `m` equal
/// masses and one tiny mass `a_s` (last), `m` and `a_s` drawn from `rng`;
/// the generator starts uniform on the `m + 1` points and descends C with
/// `D = D*`, [`DESCENT_STEPS`] steps of [`A5_STEP`]. Returns `m`, the data
/// and the run.
pub(crate) fn a5_symmetric_run<R: rand::Rng + ?Sized>(
    rng: &mut R,
) -> Result<(usize, Discrete, DescentRun)> {
    use rand::RngExt;
    let m = rng.random_range(A5_SYMMETRIC_POINTS);
    let tiny = 10f64.powf(rng.random_range(A5_TINY_MASS_LOG10));
    let mut weights = vec![(1.0 - tiny) / m as f64; m];
    weights.push(tiny);
    let p_data = Discrete::from_weights(&weights)?;
    let run = descend_c_of_g(
        &p_data,
        &TabularGenerator::uniform(m + 1)?,
        A5_STEP,
        DESCENT_STEPS,
    )?;
    Ok((m, p_data, run))
}

/// Generator steps of the report's C(G) figure.
pub(crate) const C_OF_G_FIGURE_STEPS: usize = 6000;

/// Mass the C(G) figure's starting generator puts on the data's rarest point.
pub(crate) const C_OF_G_FIGURE_START_MASS: f64 = 0.9;

/// Discriminator ascent steps per generator step in the C(G) figure's
/// second run.
pub(crate) const C_OF_G_FIGURE_ASCENT_STEPS: usize = 1;

/// Size of those ascent steps.
pub(crate) const C_OF_G_FIGURE_ASCENT_STEP: f64 = 1.0;

/// The two runs the report's C(G) figure draws (claims A4 and A5).
pub(crate) struct CofGFigureRuns {
    /// A5's descent: `D = D*` at every step.
    pub(crate) optimal: History,
    /// `D` moved by [`C_OF_G_FIGURE_ASCENT_STEPS`] exact gradient-ascent
    /// steps per generator step (Algorithm 1 with exact expectations and the
    /// minimax loss).
    pub(crate) updated: History,
}

/// The C(G) figure's runs, both at A5's step [`A5_STEP`] for
/// [`C_OF_G_FIGURE_STEPS`] steps on [`five_point_data`], from a generator
/// with [`C_OF_G_FIGURE_START_MASS`] of its mass on the rarest point. They
/// differ from A5's check ([`a5_descent`]) for the picture: the data is fixed
/// (the figure is the same for every seed) and the start far from it (from
/// A5's uniform start C(G) has little to fall), and the second run shows the
/// same game with D no longer optimal.
pub(crate) fn c_of_g_figure_runs() -> Result<CofGFigureRuns> {
    let p_data = five_point_data()?;
    let n = p_data.len();
    // Logits 0 everywhere but ln(mass (n - 1) / (1 - mass)) on the last point.
    let mut logits = vec![0.0; n];
    logits[n - 1] =
        (C_OF_G_FIGURE_START_MASS * (n - 1) as f64 / (1.0 - C_OF_G_FIGURE_START_MASS)).ln();
    let start = TabularGenerator::new(logits)?;
    let optimal = descend_c_of_g(&p_data, &start, A5_STEP, C_OF_G_FIGURE_STEPS)?.history;
    let updated = train_generator(
        &p_data,
        &start,
        &DiscriminatorPolicy::Ascent {
            start: TabularDiscriminator::half(n)?,
            steps: C_OF_G_FIGURE_ASCENT_STEPS,
            step: C_OF_G_FIGURE_ASCENT_STEP,
        },
        GeneratorLoss::Saturating,
        A5_STEP,
        C_OF_G_FIGURE_STEPS,
    )?
    .history;
    Ok(CofGFigureRuns { optimal, updated })
}

/// A6 (i): the tabular discriminator's setting.
pub(crate) fn a6_tabular_game() -> Result<(Discrete, Discrete)> {
    Ok((
        five_point_data()?,
        Discrete::new(vec![0.1, 0.2, 0.3, 0.2, 0.2])?,
    ))
}

/// SGD settings of A6 (i): step 1 and minibatches of 64; 2000 steps make the
/// start's share of the gap `(1 - step h_min)^{2T}`, below e^-160, negligible.
pub(crate) const A6_SGD_STEP: f64 = 1.0;

/// Minibatch size of A6 (i) (Algorithm 1's m).
pub(crate) const A6_SGD_BATCH: usize = 64;

/// SGD steps of A6 (i).
pub(crate) const A6_SGD_STEPS: usize = 2000;

/// A6 (i)'s run: [`A6_SGD_STEPS`] minibatch SGD steps of the tabular
/// discriminator from `D = 1/2` on [`a6_tabular_game`], with the context's
/// seed. Returns the game and the run.
pub(crate) fn a6_tabular_run(context: &Context) -> Result<(Discrete, Discrete, SgdRun)> {
    let (p_data, p_g) = a6_tabular_game()?;
    let mut rng = rng_for(context, 6);
    let run = train_discriminator_sgd(
        &p_data,
        &p_g,
        &TabularDiscriminator::half(p_data.len())?,
        A6_SGD_STEP,
        A6_SGD_BATCH,
        A6_SGD_STEPS,
        &mut rng,
    )?;
    Ok((p_data, p_g, run))
}

/// A6 (ii): the pair `p_data = N(0, 1)`, `p_g = p_data e^{-s}` with
/// `s = 1.5 tanh(1.5 x - 0.5) + d`, whose `D*` is a 1-1-1 tanh MLP.
pub(crate) fn a6_mlp_pair() -> Result<TanhTiltedPair> {
    TanhTiltedPair::new(1.5, 1.5, -0.5)
}

/// Samples per side for A6 (ii): the expected gap `k / (2N)` is 1e-3 for
/// the 4 parameters, a hundredth of the gap of `D = 1/2`.
pub(crate) const A6_MLP_SAMPLES: usize = 2000;

/// A6 (ii)'s discriminator: the 1-1-1 tanh MLP at its seeded start and
/// after L-BFGS on [`A6_MLP_SAMPLES`] draws of each side of [`a6_mlp_pair`].
pub(crate) struct MlpFit {
    /// The pair of laws.
    pub(crate) pair: TanhTiltedPair,
    /// The network before fitting.
    pub(crate) start: Mlp,
    /// The maximiser of V over the samples.
    pub(crate) fitted: Mlp,
}

/// Fits A6 (ii)'s discriminator for `context`'s seed (the run the claim measures).
pub(crate) fn a6_mlp_fit(context: &Context) -> Result<MlpFit> {
    let pair = a6_mlp_pair()?;
    let mut rng = rng_for(context, 61);
    let (real, fake) = (
        pair.sample_data(&mut rng, A6_MLP_SAMPLES),
        pair.sample_generated(&mut rng, A6_MLP_SAMPLES),
    );
    let mut stopped_short = None;
    for attempt in 0..A6_MLP_STARTS {
        // Attempt 0 is the context's seed itself; later ones are other seeded draws.
        let seed = context
            .seed
            .wrapping_add(attempt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let start = Mlp::new(&[1, 1, 1], Activation::Tanh, seed)?;
        let problem = MlpInnerProblem::new(start.clone(), real.clone(), fake.clone())?;
        match maximise_value(&problem, problem.start(), &InnerMaxSettings::default()) {
            Ok(found) => {
                return Ok(MlpFit {
                    pair,
                    start,
                    fitted: problem.network(&found.parameters)?,
                });
            }
            Err(e @ Error::NotConverged { .. }) => stopped_short = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(stopped_short.expect("A6_MLP_STARTS >= 1"))
}

/// Seeded initialisations A6 (ii) tries in turn: V is not concave in the
/// MLP's parameters, and from some starts (seeds 51, 78, 149, 190, 209, 251
/// of 1..300 with one start) L-BFGS stalls on a tanh plateau far from the
/// maximum and reports `NotConverged`. The first start whose fit reaches the
/// gradient target is used; a fit that converges is never replaced.
pub(crate) const A6_MLP_STARTS: u64 = 4;

/// A6 (iii), the GAN paper's Figure 1 setting: `p_data = N(2, 0.5^2)`,
/// noise `z ~ U(0, 1)`, G maps it to the line. Both networks are 1-8-8-1
/// tanh MLPs; Algorithm 1 with `m = 64`, `k = 5`, the non-saturating loss and
/// Adam, in phases of (learning rate, iterations). Chosen (not tuned against
/// the threshold) for speed and stability: with `k = 1` and the paper's SGD
/// the generator collapses to a near point mass (see the A6 proof).
pub(crate) const A6_PHASES: [(f64, usize); 2] = [(2e-3, 1000), (5e-4, 1000)];

/// Discriminator steps per iteration in A6 (iii).
pub(crate) const A6_K: usize = 5;

/// Hidden width of both networks in A6 (iii).
pub(crate) const A6_WIDTH: usize = 8;

/// Data law of A6 (iii): mean and standard deviation.
pub(crate) const A6_DATA: (f64, f64) = (2.0, 0.5);

/// Samples per side of the W1 estimate in A6 (iii); with `n = 1e5` the DKW
/// allowance below is about 0.08, a quarter of the threshold.
pub(crate) const A6_W1_SAMPLES: usize = 100_000;

/// What A6 (iii) measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Figure1Numbers {
    pub(crate) w1_start: f64,
    /// W1 of the last iterate's p_g.
    pub(crate) w1_last: f64,
    /// W1 of the mixture of the last snapshots' p_g.
    pub(crate) w1_end: f64,
    /// `|W1_hat - W1| <= allowance` except with probability `FALSE_ALARM`.
    pub(crate) allowance: f64,
    pub(crate) mean: f64,
    pub(crate) sd: f64,
    /// Mean of V_hat over the last 200 iterations.
    pub(crate) value: f64,
    /// D at the data's mean after training.
    pub(crate) d_at_mean: f64,
}

/// Snapshots of G averaged in A6 (iii): one every
/// [`A6_SNAPSHOT_EVERY`] iterations over the end of the last phase.
pub(crate) const A6_SNAPSHOTS: usize = 10;

/// Iterations between two snapshots of G in A6 (iii).
pub(crate) const A6_SNAPSHOT_EVERY: usize = 50;

/// W1 between `A6_W1_SAMPLES` draws of the equal mixture of the generators'
/// laws (`G_s(z)`, an equal share of the draws from each) and as many draws
/// of `p_data`, with the DKW allowance, and the mean and sd of the
/// generated draws.
fn figure_1_w1(generators: &[Mlp], seed: u64) -> Result<(f64, f64, f64, f64)> {
    let n = A6_W1_SAMPLES;
    let share = n / generators.len();
    let mut rng = TrainingRng::seed_from_u64(seed);
    let mut x = DMatrix::zeros(n, 1);
    Normal1d::new(A6_DATA.0, A6_DATA.1)?.sample_into(&mut rng, &mut x);
    let mut y = Vec::with_capacity(n);
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    // p_g lives on the union of the G_s([0, 1]); each range from a grid of
    // 10^4 + 1 noise values.
    let grid = DMatrix::from_fn(10_001, 1, |i, _| i as f64 / 10_000.0);
    for g in generators {
        let mut z = DMatrix::zeros(share, 1);
        Uniform1d::new(0.0, 1.0)?.sample_into(&mut rng, &mut z);
        y.extend(g.predict(&z)?.iter().copied());
        let range = g.predict(&grid)?;
        low = low.min(range.min());
        high = high.max(range.max());
    }
    let w1 = w1_samples(&y, None, x.as_slice(), None)?;
    // DKW: sup |F_n - F| <= eps on each side except with probability
    // FALSE_ALARM / 2; then |W1_hat - W1| <= eps (length of p_g's range + 14 sd
    // of p_data, whose mass beyond 7 sd, 2.6e-12, adds nothing visible).
    let m = y.len().min(n) as f64;
    let eps = ((4.0 / tol::FALSE_ALARM).ln() / (2.0 * m)).sqrt();
    let allowance = eps * ((high - low) + 14.0 * A6_DATA.1);
    let mean = y.iter().sum::<f64>() / m;
    let sd = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (m - 1.0)).sqrt();
    Ok((w1, allowance, mean, sd))
}

/// A6 (iii)'s discriminator and generator before training, for seed `seed`.
fn figure_1_start(seed: u64) -> Result<(Mlp, Mlp)> {
    let widths = [1, A6_WIDTH, A6_WIDTH, 1];
    let d = Mlp::new(
        &widths,
        Activation::Tanh,
        seed.wrapping_mul(2).wrapping_add(1),
    )?;
    let g = Mlp::new(
        &widths,
        Activation::Tanh,
        seed.wrapping_mul(2).wrapping_add(2),
    )?;
    Ok((d, g))
}

/// The Algorithm 1 run of phase `phase` of A6 (iii) (learning rate
/// `A6_PHASES[phase].0`, fresh Adam states), continuing from `d` and `g`.
fn figure_1_phase(
    d: Mlp,
    g: Mlp,
    seed: u64,
    phase: usize,
) -> Result<Algorithm1<Mlp, Mlp, Normal1d, Uniform1d>> {
    let rate = A6_PHASES[phase].0;
    let settings = Settings {
        minibatch: 64,
        discriminator_steps: A6_K,
        loss: GeneratorLoss::NonSaturating,
        seed: seed.wrapping_add(phase as u64),
        w1_samples: None,
    };
    let (d_opt, g_opt) = (
        Adam::with_defaults(rate, d.num_params())?,
        Adam::with_defaults(rate, g.num_params())?,
    );
    Algorithm1::new(
        d,
        g,
        d_opt.into(),
        g_opt.into(),
        Normal1d::new(A6_DATA.0, A6_DATA.1)?,
        Uniform1d::new(0.0, 1.0)?,
        settings,
    )
}

/// The discriminator and generator of the run [`figure_1_numbers`] measures
/// (same seed, same phases, step for step), after each iteration count in
/// `at`, for the report's Figure 1. Counts beyond the run's total
/// (the sum of [`A6_PHASES`]' iterations) are left out; 0 is the untrained pair.
pub(crate) fn figure_1_snapshots(seed: u64, at: &[usize]) -> Result<Vec<(usize, Mlp, Mlp)>> {
    let (mut d, mut g) = figure_1_start(seed)?;
    let mut out = Vec::new();
    if at.contains(&0) {
        out.push((0, d.clone(), g.clone()));
    }
    let mut done = 0;
    for (phase, &(_, iterations)) in A6_PHASES.iter().enumerate() {
        if at.iter().all(|&t| t <= done) {
            break;
        }
        let mut run = figure_1_phase(d, g, seed, phase)?;
        for _ in 0..iterations {
            run.step()?;
            done += 1;
            if at.contains(&done) {
                out.push((done, run.discriminator().clone(), run.generator().clone()));
            }
        }
        (d, g) = run.into_models();
    }
    Ok(out)
}

/// Runs A6 (iii) for seed `seed`.
pub(crate) fn figure_1_numbers(seed: u64) -> Result<Figure1Numbers> {
    let (mut d, mut g) = figure_1_start(seed)?;
    let monitor_seed = seed ^ 0xA6A6_A6A6;
    let (w1_start, ..) = figure_1_w1(std::slice::from_ref(&g), monitor_seed)?;
    let mut values = Vec::new();
    let mut snapshots = Vec::new();
    for (phase, &(_, iterations)) in A6_PHASES.iter().enumerate() {
        let mut run = figure_1_phase(d, g, seed, phase)?;
        let last_phase = phase + 1 == A6_PHASES.len();
        let averaged = if last_phase {
            A6_SNAPSHOTS * A6_SNAPSHOT_EVERY
        } else {
            0
        };
        values.extend(run.run(iterations - averaged)?.into_iter().map(|r| r.value));
        if last_phase {
            for _ in 0..A6_SNAPSHOTS {
                values.extend(run.run(A6_SNAPSHOT_EVERY)?.into_iter().map(|r| r.value));
                snapshots.push(run.generator().clone());
            }
        }
        (d, g) = run.into_models();
    }
    let (w1_last, ..) = figure_1_w1(std::slice::from_ref(&g), monitor_seed)?;
    let (w1_end, allowance, mean, sd) = figure_1_w1(&snapshots, monitor_seed)?;
    let tail = &values[values.len().saturating_sub(200)..];
    let d_at_mean = sigmoid(d.predict(&DMatrix::from_element(1, 1, A6_DATA.0))?[0]);
    Ok(Figure1Numbers {
        w1_start,
        w1_last,
        w1_end,
        allowance,
        mean,
        sd,
        value: tail.iter().sum::<f64>() / tail.len() as f64,
        d_at_mean,
    })
}

/// A8's game: a data distribution and a fixed discriminator whose favourite
/// point (index 2) is not the data's mode.
pub(crate) fn a8_game() -> Result<(Discrete, Discriminator)> {
    Ok((
        five_point_data()?,
        Discriminator::from_logits(vec![0.0, 1.0, 3.0, -1.0, 0.5])?,
    ))
}

/// A8's generator against its fixed D with `loss`: the per-point costs, the
/// step `1/L` and the run of [`DESCENT_STEPS`] steps from the uniform start
/// (shared by the claim and the report's mode-collapse figure).
pub(crate) fn a8_fixed_d_run(loss: GeneratorLoss) -> Result<(Vec<f64>, f64, GeneratorRun)> {
    let (p_data, d) = a8_game()?;
    let n = p_data.len();
    let costs: Vec<f64> = (0..n).map(|i| loss.point_cost(&d, i)).collect();
    let step = 1.0 / linear_loss_smoothness(&costs);
    let run = train_generator(
        &p_data,
        &TabularGenerator::uniform(n)?,
        &DiscriminatorPolicy::Fixed(d),
        loss,
        step,
        DESCENT_STEPS,
    )?;
    Ok((costs, step, run))
}

/// A8's generator with `D = D*` recomputed before every step: A5's descent
/// on C(G) at step `1/L` from the uniform start, [`DESCENT_STEPS`] steps
/// (shared by the claim and the report's mode-collapse figure).
pub(crate) fn a8_optimal_d_run() -> Result<(f64, DescentRun)> {
    let p_data = five_point_data()?;
    let start = TabularGenerator::uniform(p_data.len())?;
    Ok((
        A5_STEP,
        descend_c_of_g(&p_data, &start, A5_STEP, DESCENT_STEPS)?,
    ))
}

/// A9's game: `p_data = (1/2, 1/2)`, `G0` with `p_g = (0.3, 0.7)`.
pub(crate) fn a9_game() -> Result<(Discrete, TabularGenerator)> {
    Ok((
        Discrete::new(vec![0.5, 0.5])?,
        TabularGenerator::from_distribution(&Discrete::new(vec![0.3, 0.7])?)?,
    ))
}

/// A9's large step size (in G's logits), far beyond `2 / L`.
pub(crate) const A9_LARGE_STEP: f64 = 30.0;

/// A9's small step sizes, all below `2 / C_OF_G_CURVATURE = 4.62`, the
/// range where the descent lemma guarantees a decrease of C: from far below
/// to near its end, where the guarantee `eta (1 - L eta / 2) |grad|^2` is
/// smallest relative to the step.
pub(crate) const A9_SMALL_STEPS: [f64; 8] = [1e-3, 1e-2, 0.05, 0.1, 0.25, 1.0, 2.0, 4.0];
