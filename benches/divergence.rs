//! Cost of the divergence estimators and of the value-function estimator.
//!
//! `cargo bench --bench divergence -- js --warm-up-time 1`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gan_theory::Discrete;
use gan_theory::divergence::{js, kl};
use gan_theory::game::estimate_value;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;

/// Two random distributions on n points (uniform weights, then normalised).
fn random_pair(n: usize, seed: u64) -> (Discrete, Discrete) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut draw = || -> Vec<f64> { (0..n).map(|_| rng.random::<f64>()).collect() };
    let (a, b) = (draw(), draw());
    (
        Discrete::from_weights(&a).expect("positive weights"),
        Discrete::from_weights(&b).expect("positive weights"),
    )
}

fn bench_js(c: &mut Criterion) {
    let mut group = c.benchmark_group("js");
    for n in [1_000usize, 1_000_000, 10_000_000] {
        let (p, q) = random_pair(n, 1);
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1_000_000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| js(black_box(&p), black_box(&q)).expect("same length"))
        });
    }
    group.finish();
}

fn bench_kl(c: &mut Criterion) {
    let mut group = c.benchmark_group("kl");
    for n in [1_000usize, 1_000_000] {
        let (p, q) = random_pair(n, 2);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| kl(black_box(&p), black_box(&q)).expect("same length"))
        });
    }
    group.finish();
}

fn bench_value_estimator(c: &mut Criterion) {
    let mut group = c.benchmark_group("value_estimator");
    let mut rng = StdRng::seed_from_u64(3);
    for m in [64usize, 1_024, 65_536] {
        let real: Vec<f64> = (0..m).map(|_| rng.random_range(-4.0..4.0)).collect();
        let fake: Vec<f64> = (0..m).map(|_| rng.random_range(-4.0..4.0)).collect();
        group.throughput(Throughput::Elements(2 * m as u64));
        group.bench_with_input(BenchmarkId::from_parameter(m), &m, |b, _| {
            b.iter(|| estimate_value(black_box(&real), black_box(&fake)).expect("m >= 2"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_js, bench_kl, bench_value_estimator);
criterion_main!(benches);
