//! Cost of the exact Earth Mover distance and of W1 on the line.
//!
//! `cargo bench --bench transport -- emd --warm-up-time 1`
//!
//! `emd/n`: n points uniform in the unit square on each side, random
//! masses normalised to 1, Euclidean cost (built outside the timing); the
//! time is one full solve, certificate included. The same configuration is
//! timed for POT's `ot.emd2` by `benches/compare/compare.py`.
//!
//! `w1_samples/n`: n draws of N(0, 1) against n draws of N(0.5, 1), n in
//! {10^4, 10^5, 10^6} (the configuration `benches/compare/compare.py` gives
//! POT's `ot.wasserstein_1d` and scipy's `wasserstein_distance`).
//! `wp_samples/n`: the same draws, W2 through the quantile functions.
//! `w1_histograms/n`: two random histograms on n random points of [0, 1].

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gan_theory::Discrete;
use gan_theory::transport::line::{w1_histograms, w1_samples, wp_samples};
use gan_theory::transport::{CostMatrix, Metric, Points, emd};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;
use std::time::Duration;

/// The bench instance: points and masses from a fixed seed.
fn instance(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>, CostMatrix) {
    let mut rng = StdRng::seed_from_u64(seed);
    let points = |rng: &mut StdRng| -> Points {
        let data = (0..2 * n).map(|_| rng.random::<f64>()).collect();
        Points::from_flat(n, 2, data).expect("finite coordinates")
    };
    let (xp, xq) = (points(&mut rng), points(&mut rng));
    let masses = |rng: &mut StdRng| -> Vec<f64> {
        let w: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let total: f64 = w.iter().sum();
        w.iter().map(|x| x / total).collect()
    };
    let (p, q) = (masses(&mut rng), masses(&mut rng));
    let cost = CostMatrix::from_points(&xp, &xq, Metric::Euclidean).expect("finite distances");
    (p, q, cost)
}

fn bench_emd(c: &mut Criterion) {
    let mut group = c.benchmark_group("emd");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for n in [100usize, 500, 1000, 2000] {
        let (p, q, cost) = instance(n, n as u64);
        group.throughput(Throughput::Elements((n * n) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| emd(black_box(&p), black_box(&q), black_box(&cost)).expect("balanced"))
        });
    }
    group.finish();
}

/// n draws of N(mean, 1) by Box-Muller.
fn normal_sample(n: usize, mean: f64, rng: &mut StdRng) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let (a, b): (f64, f64) = (rng.random(), rng.random());
            mean + (-2.0 * (1.0 - a).ln()).sqrt() * (std::f64::consts::TAU * b).cos()
        })
        .collect()
}

fn bench_w1_samples(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    let sizes = [10_000usize, 100_000, 1_000_000];
    let samples: Vec<(usize, Vec<f64>, Vec<f64>)> = sizes
        .iter()
        .map(|&n| {
            (
                n,
                normal_sample(n, 0.0, &mut rng),
                normal_sample(n, 0.5, &mut rng),
            )
        })
        .collect();
    let mut group = c.benchmark_group("w1_samples");
    group.sample_size(10);
    for (n, u, v) in &samples {
        group.throughput(Throughput::Elements(2 * *n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), n, |b, _| {
            b.iter(|| w1_samples(black_box(u), None, black_box(v), None).expect("finite samples"))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("wp_samples");
    group.sample_size(10);
    for (n, u, v) in samples.iter().filter(|(n, _, _)| *n != 100_000) {
        group.throughput(Throughput::Elements(2 * *n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), n, |b, _| {
            b.iter(|| {
                wp_samples(2.0, black_box(u), None, black_box(v), None).expect("finite samples")
            })
        });
    }
    group.finish();
}

fn bench_w1_histograms(c: &mut Criterion) {
    let mut group = c.benchmark_group("w1_histograms");
    group.sample_size(10);
    let mut rng = StdRng::seed_from_u64(2);
    for n in [10_000usize, 1_000_000] {
        let points: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let mut weights = || -> Vec<f64> { (0..n).map(|_| rng.random::<f64>()).collect() };
        let (p, q) = (weights(), weights());
        let p = Discrete::from_weights(&p).expect("positive weights");
        let q = Discrete::from_weights(&q).expect("positive weights");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| w1_histograms(black_box(&points), &p, &q).expect("same lengths"))
        });
    }
    group.finish();
}

/// Short warm-up and measurement, so that the whole `cargo bench` takes a
/// few minutes (command-line options such as `--warm-up-time` still win).
fn short() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = short();
    targets = bench_emd, bench_w1_samples, bench_w1_histograms
}
criterion_main!(benches);
