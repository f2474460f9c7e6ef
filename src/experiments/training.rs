//! The experiments of claims A5-A9: their instances, constants and
//! training runs, which the claims' checks measure and the report's figures
//! draw.

use super::{Context, full_support, replicate_seeds, rng_for};
use crate::Discriminator;
use crate::critic::Critic;
use crate::error::{Error, Result};
use crate::measure::Discrete;
use crate::mlp::{Activation, Mlp};
use crate::numeric::sigmoid;
use crate::optim::Adam;
use crate::tabular::{TabularDiscriminator, TabularGenerator};
use crate::train::algorithm1::{Algorithm1, Normal1d, Settings, Uniform1d};
use crate::train::inner_max::{InnerMaxSettings, MlpInnerProblem, TanhTiltedPair, maximise_value};
use crate::train::tabular_game::{
    C_OF_G_LOGIT_SMOOTHNESS, DescentRun, DiscriminatorPolicy, GeneratorLoss, GeneratorRun, History,
    SgdRun, descend_c_of_g, linear_loss_smoothness, local_log_contraction, train_discriminator_sgd,
    train_generator,
};
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
    /// The starts tried, the last of which converged (1 when the first did).
    pub(crate) starts: u64,
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
                    starts: attempt + 1,
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

/// Snapshots of G averaged in A6 (iii): one every
/// [`A6_SNAPSHOT_EVERY`] iterations over the end of the last phase.
pub(crate) const A6_SNAPSHOTS: usize = 10;

/// Iterations between two snapshots of G in A6 (iii).
pub(crate) const A6_SNAPSHOT_EVERY: usize = 50;

/// Independently seeded Figure-1 runs that one check of A6 (iii) makes (the
/// claim's check says how many may miss, and why).
pub(crate) const A6_RUNS: usize = 2;

/// Salt of the seeds of A6 (iii)'s runs.
const A6_RUN_SALT: u64 = 0xA6_F161;

/// The seeds of A6 (iii)'s [`A6_RUNS`] runs for `context`; the first is the
/// run the report's Figure 1 draws.
pub(crate) fn figure_1_run_seeds(context: &Context) -> Vec<u64> {
    replicate_seeds(context, A6_RUN_SALT, A6_RUNS)
}

/// Noise values at which A6 (iii) evaluates each generator: the midpoints
/// `(i + 1/2) / A6_GRID` of `A6_GRID` equal cells of `[0, 1]`. Coupling
/// `z ~ U(0, 1)` with the midpoint of its cell moves `G(z)` by at most
/// `Lip(G) |z - midpoint|`, whose mean is `Lip(G) / (4 A6_GRID)`: so the law
/// of `G` on the grid is within that of `p_g` in W1 (the allowance
/// [`Figure1Numbers::allowance`]), a few 1e-4 for the Lipschitz bounds of
/// the trained generators (a few).
pub(crate) const A6_GRID: usize = 4096;

/// Per-term rounding of [`w1_to_normal`], relative to `(|s| + 1) sd` for a
/// point at `s` standard deviations from the mean: each term combines
/// `erfc`, `erfc_inv` and `exp` (statrs and std, accurate to a few ulps,
/// about 1e-15) in a handful of operations; 1e-13 leaves a factor of about
/// 100.
const W1_TO_NORMAL_TERM_ROUNDING: f64 = 1e-13;

/// `W1` between the equal-weight law of `points` and `N(mean, sd^2)`, with
/// a bound on its rounding error: `(W1, rounding)`.
///
/// On the line `W1 = int_0^1 |Q_n(u) - Q(u)| du` for the quantile functions
/// (C2). With the points sorted, `Q_n = x_(i)` on `((i - 1)/n, i/n]`, and
/// with `u = Phi(t)`, `Q(u) = mean + sd t`, the cell's share is
/// `sd int_{t_a}^{t_b} |s - t| phi(t) dt` with `s = (x_(i) - mean) / sd`,
/// `t_a = Phi^-1((i - 1)/n)`, `t_b = Phi^-1(i/n)`. Since
/// `int (s - t) phi(t) dt = s Phi(t) + phi(t)`, each share is exact in
/// closed form, split at `t = s` where `s` lies inside the cell; no
/// sampling, no quadrature.
///
/// # Errors
/// [`Error::Empty`] for no points; [`Error::NotANumber`] /
/// [`Error::Infinite`] for a non-finite point; [`Error::InvalidParameter`]
/// for a non-finite mean or a non-positive or non-finite sd.
pub(crate) fn w1_to_normal(points: &[f64], mean: f64, sd: f64) -> Result<(f64, f64)> {
    use statrs::distribution::{Continuous, ContinuousCDF, Normal};
    if points.is_empty() {
        return Err(Error::Empty);
    }
    if let Some(index) = points.iter().position(|x| x.is_nan()) {
        return Err(Error::NotANumber { index });
    }
    if let Some(index) = points.iter().position(|x| x.is_infinite()) {
        return Err(Error::Infinite {
            index,
            value: points[index],
        });
    }
    if !(mean.is_finite() && sd.is_finite() && sd > 0.0) {
        return Err(Error::InvalidParameter {
            name: "sd",
            value: sd,
            requirement: "a finite mean and a finite sd > 0",
        });
    }
    let standard = Normal::standard();
    let phi = |t: f64| {
        if t.is_finite() { standard.pdf(t) } else { 0.0 }
    };
    let mut sorted = points.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let cell = 1.0 / n as f64;
    let (mut total, mut largest_s) = (0.0, 0.0f64);
    let mut t_a = f64::NEG_INFINITY;
    for (i, &x) in sorted.iter().enumerate() {
        let (u_a, u_b) = (i as f64 * cell, (i + 1) as f64 * cell);
        let t_b = if i + 1 == n {
            f64::INFINITY
        } else {
            standard.inverse_cdf(u_b)
        };
        let s = (x - mean) / sd;
        largest_s = largest_s.max(s.abs());
        // int_{t_a}^{t_b} (s - t) phi(t) dt = s (u_b - u_a) + phi(t_b) - phi(t_a).
        let share = if s >= t_b {
            s * (u_b - u_a) + phi(t_b) - phi(t_a)
        } else if s <= t_a {
            -(s * (u_b - u_a) + phi(t_b) - phi(t_a))
        } else {
            let u_s = standard.cdf(s);
            (s * (u_s - u_a) + phi(s) - phi(t_a)) - (s * (u_b - u_s) + phi(t_b) - phi(s))
        };
        total += sd * share;
        t_a = t_b;
    }
    let rounding = n as f64 * W1_TO_NORMAL_TERM_ROUNDING * (largest_s + 1.0) * sd;
    Ok((total, rounding))
}

/// What one run of A6 (iii) measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Figure1Numbers {
    /// W1 of the untrained generator's law.
    pub(crate) w1_start: f64,
    /// W1 of the last iterate's law.
    pub(crate) w1_last: f64,
    /// W1 of the mixture of the last [`A6_SNAPSHOTS`] snapshots' laws, as
    /// evaluated on the noise grid (within [`Figure1Numbers::allowance`] of
    /// the mixture's own W1).
    pub(crate) w1_end: f64,
    /// `|w1_end - W1(mixture, p_data)|` is at most this (always, not with
    /// some probability): the grid's share, the mean over the snapshots of
    /// `Lip(G_s) / (4 A6_GRID)` with `Lip` [`Critic::lipschitz_bound`], plus
    /// the rounding of [`w1_to_normal`].
    pub(crate) allowance: f64,
    /// Mean and sd of the mixture on the grid.
    pub(crate) mean: f64,
    pub(crate) sd: f64,
    /// Mean of V_hat over the last 200 iterations.
    pub(crate) value: f64,
    /// D at the data's mean after training.
    pub(crate) d_at_mean: f64,
}

/// The W1 of the best point mass: `delta_mu` at the median of
/// `N(mu, sd^2)`, at distance `E|X - mu| = sd sqrt(2/pi)`. A run of A6
/// (iii) meets its criterion when its mixture is provably closer than this.
pub(crate) fn point_mass_w1() -> f64 {
    A6_DATA.1 * (2.0 / std::f64::consts::PI).sqrt()
}

impl Figure1Numbers {
    /// The largest W1 the mixture's law can have: `w1_end + allowance`.
    pub(crate) fn w1_end_bound(&self) -> f64 {
        self.w1_end + self.allowance
    }
}

/// The law of the equal mixture of `generators` on the noise grid: every
/// `G_s((i + 1/2) / A6_GRID)`; its W1 to `p_data` (by [`w1_to_normal`]),
/// the allowance (grid and rounding), its mean and sd.
fn figure_1_w1(generators: &[Mlp]) -> Result<(f64, f64, f64, f64)> {
    let grid = DMatrix::from_fn(A6_GRID, 1, |i, _| (i as f64 + 0.5) / A6_GRID as f64);
    let mut y = Vec::with_capacity(A6_GRID * generators.len());
    let mut grid_share = 0.0;
    for g in generators {
        y.extend(g.predict(&grid)?.iter().copied());
        let lipschitz = Critic::from_mlp(g.clone())?.lipschitz_bound();
        grid_share += lipschitz / (4.0 * A6_GRID as f64) / generators.len() as f64;
    }
    let (w1, rounding) = w1_to_normal(&y, A6_DATA.0, A6_DATA.1)?;
    let m = y.len() as f64;
    let mean = y.iter().sum::<f64>() / m;
    let sd = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / m).sqrt();
    Ok((w1, grid_share + rounding, mean, sd))
}

/// The seeds of one run of A6 (iii), drawn from the run's seed: the
/// discriminator's and the generator's initialisations and each phase's
/// training stream.
struct Figure1Seeds {
    discriminator: u64,
    generator: u64,
    phases: [u64; A6_PHASES.len()],
}

impl Figure1Seeds {
    fn new(seed: u64) -> Self {
        use rand::RngExt;
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        Self {
            discriminator: rng.random(),
            generator: rng.random(),
            phases: std::array::from_fn(|_| rng.random()),
        }
    }
}

/// A6 (iii)'s discriminator and generator before training.
fn figure_1_start(seeds: &Figure1Seeds) -> Result<(Mlp, Mlp)> {
    let widths = [1, A6_WIDTH, A6_WIDTH, 1];
    let d = Mlp::new(&widths, Activation::Tanh, seeds.discriminator)?;
    let g = Mlp::new(&widths, Activation::Tanh, seeds.generator)?;
    Ok((d, g))
}

/// The Algorithm 1 run of phase `phase` of A6 (iii) (learning rate
/// `A6_PHASES[phase].0`, fresh Adam states), continuing from `d` and `g`.
fn figure_1_phase(
    d: Mlp,
    g: Mlp,
    seeds: &Figure1Seeds,
    phase: usize,
) -> Result<Algorithm1<Mlp, Mlp, Normal1d, Uniform1d>> {
    let rate = A6_PHASES[phase].0;
    let settings = Settings {
        minibatch: 64,
        discriminator_steps: A6_K,
        loss: GeneratorLoss::NonSaturating,
        seed: seeds.phases[phase],
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
/// for the run seed `seed` (same phases, step for step), after each
/// iteration count in `at`, for the report's Figure 1. Counts beyond the
/// run's total (the sum of [`A6_PHASES`]' iterations) are left out; 0 is the
/// untrained pair.
pub(crate) fn figure_1_snapshots(seed: u64, at: &[usize]) -> Result<Vec<(usize, Mlp, Mlp)>> {
    let seeds = Figure1Seeds::new(seed);
    let (mut d, mut g) = figure_1_start(&seeds)?;
    let mut out = Vec::new();
    if at.contains(&0) {
        out.push((0, d.clone(), g.clone()));
    }
    let mut done = 0;
    for (phase, &(_, iterations)) in A6_PHASES.iter().enumerate() {
        if at.iter().all(|&t| t <= done) {
            break;
        }
        let mut run = figure_1_phase(d, g, &seeds, phase)?;
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

/// Runs A6 (iii) with the run seed `seed` (one of [`figure_1_run_seeds`]).
///
/// # Errors
/// [`Error::NotConverged`] when training diverges (a NaN loss); the
/// evaluation's errors for a non-finite generator.
pub(crate) fn figure_1_numbers(seed: u64) -> Result<Figure1Numbers> {
    let seeds = Figure1Seeds::new(seed);
    let (mut d, mut g) = figure_1_start(&seeds)?;
    let (w1_start, ..) = figure_1_w1(std::slice::from_ref(&g))?;
    let mut values = Vec::new();
    let mut snapshots = Vec::new();
    for (phase, &(_, iterations)) in A6_PHASES.iter().enumerate() {
        let mut run = figure_1_phase(d, g, &seeds, phase)?;
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
    let (w1_last, ..) = figure_1_w1(std::slice::from_ref(&g))?;
    let (w1_end, allowance, mean, sd) = figure_1_w1(&snapshots)?;
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

#[cfg(test)]
mod tests {
    use super::w1_to_normal;
    use statrs::distribution::{Continuous, ContinuousCDF, Normal};

    /// `int_{-inf}^t Phi = t Phi(t) + phi(t)`.
    fn phi_antiderivative(t: f64) -> f64 {
        let n = Normal::standard();
        t * n.cdf(t) + n.pdf(t)
    }

    /// W1 between the equal-weight law of `points` and `N(mean, sd^2)` by
    /// the other route: `int |F_n(x) - Phi((x - mean)/sd)| dx` in x, with
    /// `int Phi` in closed form and each piece split where `Phi` crosses
    /// the step `k / n`.
    fn w1_by_cdfs(points: &[f64], mean: f64, sd: f64) -> f64 {
        let n = Normal::standard();
        let mut s: Vec<f64> = points.iter().map(|x| (x - mean) / sd).collect();
        s.sort_by(f64::total_cmp);
        let count = s.len() as f64;
        // Left of the first point F_n = 0; right of the last, 1.
        let mut total = phi_antiderivative(s[0]);
        let last = s[s.len() - 1];
        total += n.pdf(last) - last * (1.0 - n.cdf(last));
        for k in 1..s.len() {
            let (a, b) = (s[k - 1], s[k]);
            let c = k as f64 / count;
            // int_a^b (c - Phi) = c (b - a) - (A(b) - A(a)).
            let piece =
                |x: f64, y: f64| c * (y - x) - (phi_antiderivative(y) - phi_antiderivative(x));
            let cross = n.inverse_cdf(c);
            total += if cross <= a {
                -piece(a, b)
            } else if cross >= b {
                piece(a, b)
            } else {
                piece(a, cross) - piece(cross, b)
            };
        }
        sd * total
    }

    #[test]
    fn w1_to_normal_of_one_point_is_the_mean_absolute_deviation() {
        let n = Normal::standard();
        // E|c - X| for X ~ N(mu, sd^2): sd (2 phi(s) + s (2 Phi(s) - 1)).
        for (c, mu, sd) in [
            (2.0, 2.0, 0.5),
            (2.65, 2.0, 0.5),
            (-1.0, 0.0, 3.0),
            (40.0, 2.0, 0.5),
        ] {
            let s: f64 = (c - mu) / sd;
            let exact = sd * (2.0 * n.pdf(s) + s * (2.0 * n.cdf(s) - 1.0));
            let (w1, rounding) = w1_to_normal(&[c], mu, sd).unwrap();
            assert!(
                (w1 - exact).abs() <= rounding + 1e-15 * exact,
                "{c}: {w1} vs {exact}"
            );
        }
        // The best point mass: sd sqrt(2/pi).
        let (w1, _) = w1_to_normal(&[2.0], 2.0, 0.5).unwrap();
        assert!((w1 - 0.5 * (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn w1_to_normal_agrees_with_the_integral_of_the_cdfs() {
        // Points on both sides of the data, ties, and far outliers.
        let mut points: Vec<f64> = (0..997)
            .map(|i| 2.0 + 1.7 * ((i as f64) * 0.618_033_988_75).fract().mul_add(2.0, -1.0))
            .collect();
        points.extend([2.0, 2.0, -30.0, 55.0, 1.25]);
        for (mean, sd) in [(2.0, 0.5), (0.0, 1.0), (3.5, 2.0)] {
            let (w1, rounding) = w1_to_normal(&points, mean, sd).unwrap();
            let other = w1_by_cdfs(&points, mean, sd);
            // Both routes are exact up to rounding; the CDF route sums
            // about 1000 pieces of size up to 60 sd, each to a few ulps.
            let other_rounding = 1000.0 * 60.0 * sd * 1e-14;
            assert!(
                (w1 - other).abs() <= rounding + other_rounding,
                "{mean}, {sd}: {w1} vs {other}"
            );
        }
        // The normal's own quantiles at the M = 1000 cell midpoints are
        // close to it: within a cell Q has slope sd / phi(t), so the cell
        // adds about sd / (4 M^2 phi(t)); summed, sd / (4 M) times the
        // range of t (about 6.2), 7.7e-4, plus the two end cells' tails,
        // each below sd / (M t_end) = 1.6e-4: about 1.1e-3 in all.
        let grid: Vec<f64> = (0..1000)
            .map(|i| 2.0 + 0.5 * Normal::standard().inverse_cdf((i as f64 + 0.5) / 1000.0))
            .collect();
        let (w1, _) = w1_to_normal(&grid, 2.0, 0.5).unwrap();
        assert!(w1 > 0.0 && w1 < 1.5e-3, "{w1}");
    }

    #[test]
    fn w1_to_normal_refuses_bad_input() {
        assert!(w1_to_normal(&[], 0.0, 1.0).is_err());
        assert!(w1_to_normal(&[0.0, f64::NAN], 0.0, 1.0).is_err());
        assert!(w1_to_normal(&[f64::INFINITY], 0.0, 1.0).is_err());
        assert!(w1_to_normal(&[0.0], 0.0, 0.0).is_err());
        assert!(w1_to_normal(&[0.0], f64::NAN, 1.0).is_err());
    }
}
