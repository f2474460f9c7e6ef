//! `gan-theory modes`: trains one method on the 2-D ring or grid for a few
//! seeds and scores mode collapse as PacGAN's code does (modes captured,
//! high-quality fraction, reverse KL of the mode histogram).

use crate::output::{Failure, emit, short, write_table};
use clap::{Args, ValueEnum};
use gan_theory::claims::json_number;
use gan_theory::mlp::Activation;
use gan_theory::train::mixtures::{
    HIGH_QUALITY_RADIUS_SD, MIN_HIGH_QUALITY_PER_MODE, Mixture, ModeMetrics,
};
use gan_theory::train::modes::{Method, ModeRun, Protocol, run as train};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The data set of `--data`.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum DataArg {
    /// 8 Gaussians on the unit circle, sd 0.01.
    Ring,
    /// 25 Gaussians on {-4, -2, 0, 2, 4}^2, sd 0.05.
    Grid,
}

/// The method of `--method`.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum MethodArg {
    /// Minimax GAN (saturating generator loss).
    Gan,
    /// Non-saturating GAN.
    NsGan,
    /// WGAN with gradient penalty.
    WganGp,
    /// Non-saturating GAN with the R1 penalty.
    R1,
}

#[derive(Args)]
#[command(
    after_help = "Seeds 0..N-1 are trained (in parallel), each with its own networks and \
                  streams; the same seed gives the same samples, bit for bit. A sample is high \
                  quality within 3 standard deviations of its nearest centre; a mode is captured \
                  when at least one high-quality sample is nearest to it; reverse KL is \
                  KL(histogram of the high-quality samples' modes || uniform). --json prints \
                  {data, method, protocol: {widths, activation, minibatch, steps, optimizer, \
                  penalty, ...}, definition: {centres, std, samples, high_quality_radius_sd, \
                  min_high_quality_per_mode}, runs: [{seed, modes, high_quality, reverse_kl \
                  (null when no sample is high quality), counts (high-quality samples per \
                  centre)}], summary: {modes, high_quality, reverse_kl: {runs, mean, sd, min, \
                  max}}}."
)]
pub(crate) struct ModesArgs {
    /// The data set.
    #[arg(long, value_enum)]
    data: DataArg,
    /// The training method.
    #[arg(long, value_enum)]
    method: MethodArg,
    /// Seeds to train (0..N-1), at least 1.
    #[arg(long, default_value_t = 1, value_name = "N")]
    seeds: u64,
    /// Iterations of Algorithm 1 (the default protocol's 3000 without it).
    #[arg(long, value_name = "N")]
    steps: Option<usize>,
    /// Writes the first run's final generator samples to FILE, one `x,y` a line.
    #[arg(long, value_name = "FILE")]
    samples: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(short = 'j', long)]
    json: bool,
}

/// Runs `modes`.
pub(crate) fn run(args: &ModesArgs, out: &mut impl Write) -> Result<ExitCode, Failure> {
    if args.seeds == 0 {
        return Err(Failure::Input(
            "--seeds must be at least 1 (the number of seeds to train)".to_string(),
        ));
    }
    let mixture = match args.data {
        DataArg::Ring => Mixture::Ring,
        DataArg::Grid => Mixture::Grid,
    };
    let method = match args.method {
        MethodArg::Gan => Method::Gan,
        MethodArg::NsGan => Method::NsGan,
        MethodArg::WganGp => Method::WganGp,
        MethodArg::R1 => Method::R1,
    };
    let mut protocol = Protocol::default();
    if let Some(steps) = args.steps {
        protocol.steps = steps;
    }
    // The file must be writable before minutes of training are spent.
    let file = match &args.samples {
        Some(path) => Some(std::fs::File::create(path).map_err(|e| {
            Failure::Input(format!("cannot write --samples {}: {e}", path.display()))
        })?),
        None => None,
    };
    let runs = train_seeds(mixture, method, &protocol, args.seeds)?;
    if let (Some(mut file), Some(path)) = (file, &args.samples) {
        let mut text = String::new();
        for [x, y] in &runs[0].1.samples {
            text.push_str(&format!("{x},{y}\n"));
        }
        file.write_all(text.as_bytes()).map_err(|e| {
            Failure::Input(format!("cannot write --samples {}: {e}", path.display()))
        })?;
    }
    let metrics: Vec<(u64, &ModeMetrics)> = runs.iter().map(|(s, r)| (*s, &r.metrics)).collect();
    emit(out, ExitCode::SUCCESS, |out| {
        if args.json {
            let value = report_json(mixture, method, &protocol, &metrics);
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)
        } else {
            write_text(out, mixture, method, &protocol, &metrics)
        }
    })
}

/// Trains the seeds `0..seeds` on every core; returns the runs in seed order.
fn train_seeds(
    mixture: Mixture,
    method: Method,
    protocol: &Protocol,
    seeds: u64,
) -> Result<Vec<(u64, ModeRun)>, Failure> {
    let per_run = protocol.steps.max(1) as u64;
    let progress = ProgressBar::new(seeds * per_run).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} iterations {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    progress.set_message(format!("{} on the {}", method.name(), mixture.name()));
    let results: Mutex<Vec<(u64, gan_theory::Result<ModeRun>)>> = Mutex::new(Vec::new());
    let next = AtomicU64::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(seeds as usize);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let seed = next.fetch_add(1, Ordering::Relaxed);
                    if seed >= seeds {
                        break;
                    }
                    let outcome = train(mixture, method, protocol, seed, |i| {
                        if i % 100 == 0 {
                            progress.inc(100);
                        }
                    });
                    if let Ok(mut results) = results.lock() {
                        results.push((seed, outcome));
                    }
                }
            });
        }
    });
    progress.finish_and_clear();
    let mut results = results
        .into_inner()
        .map_err(|_| Failure::Computation("a training thread panicked".to_string()))?;
    results.sort_by_key(|(seed, _)| *seed);
    results
        .into_iter()
        .map(|(seed, outcome)| {
            outcome
                .map(|r| (seed, r))
                .map_err(|e| Failure::Computation(format!("seed {seed}: {e}")))
        })
        .collect()
}

/// The protocol as JSON.
fn protocol_json(method: Method, p: &Protocol) -> Value {
    let activation = match p.activation {
        Activation::Tanh => "tanh".to_string(),
        Activation::Relu => "relu".to_string(),
        Activation::LeakyRelu { slope } => format!("leaky_relu({slope})"),
    };
    let penalty = match method {
        Method::WganGp => {
            json!({"name": "gradient penalty (||grad D(x_hat)|| - 1)^2", "weight": p.gp_lambda})
        }
        Method::R1 => json!({"name": "R1 (gamma/2) ||grad D(x_real)||^2", "weight": p.r1_gamma}),
        Method::Gan | Method::NsGan => Value::Null,
    };
    json!({
        "algorithm": "Algorithm 1 (k discriminator steps, one generator step), Adam on both",
        "noise": "N(0, I_2)",
        "generator_widths": p.generator_widths,
        "discriminator_widths": p.discriminator_widths,
        "activation": activation,
        "minibatch": p.minibatch,
        "steps": p.steps,
        "discriminator_steps": p.discriminator_steps,
        "optimizer": {"name": "adam", "learning_rate": p.learning_rate, "beta1": p.beta1, "beta2": p.beta2, "epsilon": 1e-8},
        "penalty": penalty,
    })
}

/// Mean, standard deviation (n - 1), min and max of `values`.
fn summary(values: &[f64]) -> Value {
    if values.is_empty() {
        return json!({"runs": 0});
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = if values.len() > 1 {
        (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    json!({"runs": values.len(), "mean": json_number(mean), "sd": json_number(sd),
           "min": json_number(min), "max": json_number(max)})
}

/// The whole report as JSON (the shape issue 16 states).
fn report_json(
    mixture: Mixture,
    method: Method,
    protocol: &Protocol,
    runs: &[(u64, &ModeMetrics)],
) -> Value {
    let modes: Vec<f64> = runs.iter().map(|(_, m)| m.modes as f64).collect();
    let quality: Vec<f64> = runs.iter().map(|(_, m)| m.high_quality).collect();
    let kl: Vec<f64> = runs.iter().filter_map(|(_, m)| m.reverse_kl).collect();
    json!({
        "data": mixture.name(),
        "method": method.name(),
        "protocol": protocol_json(method, protocol),
        "definition": {
            "centres": mixture.centres(),
            "std": mixture.sd(),
            "samples": protocol.evaluation_samples,
            "high_quality_radius_sd": HIGH_QUALITY_RADIUS_SD,
            "min_high_quality_per_mode": MIN_HIGH_QUALITY_PER_MODE,
        },
        "runs": runs.iter().map(|(seed, m)| json!({
            "seed": seed,
            "modes": m.modes,
            "high_quality": m.high_quality,
            "reverse_kl": m.reverse_kl,
            "counts": m.counts,
        })).collect::<Vec<_>>(),
        "summary": {
            "modes": summary(&modes),
            "high_quality": summary(&quality),
            "reverse_kl": summary(&kl),
        },
    })
}

/// The report as a table and a summary line.
fn write_text(
    out: &mut impl Write,
    mixture: Mixture,
    method: Method,
    protocol: &Protocol,
    runs: &[(u64, &ModeMetrics)],
) -> std::io::Result<()> {
    let k = mixture.centres().len();
    writeln!(
        out,
        "{} on the {} ({k} modes), {} iterations, {} samples scored per seed",
        method.name(),
        mixture.name(),
        protocol.steps,
        protocol.evaluation_samples
    )?;
    write_table(
        out,
        &["seed", "modes", "high quality", "reverse KL"],
        runs.iter().map(|(seed, m)| {
            vec![
                seed.to_string(),
                format!("{}/{k}", m.modes),
                short(m.high_quality),
                m.reverse_kl.map_or("undefined".to_string(), short),
            ]
        }),
    )?;
    let n = runs.len() as f64;
    let mean_modes = runs.iter().map(|(_, m)| m.modes as f64).sum::<f64>() / n;
    let mean_quality = runs.iter().map(|(_, m)| m.high_quality).sum::<f64>() / n;
    writeln!(
        out,
        "mean over {} seeds: {} modes, {} high quality",
        runs.len(),
        short(mean_modes),
        short(mean_quality)
    )
}
