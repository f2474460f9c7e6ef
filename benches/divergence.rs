//! Cost of the divergence estimators and of the value-function estimator.
//!
//! `cargo bench --bench divergence -- js --warm-up-time 1`
//!
//! Groups (the id is n, the number of entries, or m, the minibatch size;
//! throughput in entries per second):
//! - `js`, `kl`: n in {10^3, 10^6, 10^7}; `entropy`, `cross_entropy`,
//!   `js_bits`, `js_distance`, `total_variation`, `chi2`, `hellinger2`:
//!   n in {10^3, 10^6}. Two random distributions on n points: uniform(0, 1)
//!   weights, normalised (as `benches/compare/compare.py` draws them for scipy).
//! - `floor`: what bounds JS at n = 10^7. `floor/sum` is a plain sum of
//!   `p_i + q_i` over the same two arrays, in eight lanes (the memory
//!   traffic of JS with no arithmetic: the bandwidth floor); `floor/two_ln`
//!   adds `ln p_i + ln q_i` with the crate's vectorisable logarithm (the
//!   two logarithms per entry that JS needs, with no division and no series).
//! - `value_estimator`: `game::estimate_value` on m real and m fake logits,
//!   m in {64, 1024, 16384, 262144}.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gan_theory::Discrete;
use gan_theory::divergence::ln_branchless;
use gan_theory::divergence::{
    chi2, cross_entropy, entropy, hellinger2, js, js_bits, js_distance, kl, total_variation,
};
use gan_theory::game::estimate_value;
use multiversion::multiversion;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;
use std::time::Duration;

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

type Divergence = fn(&Discrete, &Discrete) -> gan_theory::Result<f64>;

/// One group per divergence, one bench per n, all on the same random pairs.
fn bench_divergences(c: &mut Criterion) {
    let entropy_of_p: Divergence = |p, _| Ok(entropy(p));
    let all: [(&str, Divergence, &[usize]); 9] = [
        ("js", js, &[1_000, 1_000_000, 10_000_000]),
        ("kl", kl, &[1_000, 1_000_000, 10_000_000]),
        ("entropy", entropy_of_p, &[1_000, 1_000_000]),
        ("cross_entropy", cross_entropy, &[1_000, 1_000_000]),
        ("js_bits", js_bits, &[1_000, 1_000_000]),
        ("js_distance", js_distance, &[1_000, 1_000_000]),
        ("total_variation", total_variation, &[1_000, 1_000_000]),
        ("chi2", chi2, &[1_000, 1_000_000]),
        ("hellinger2", hellinger2, &[1_000, 1_000_000]),
    ];
    let pairs: Vec<(usize, (Discrete, Discrete))> = [1_000usize, 1_000_000, 10_000_000]
        .into_iter()
        .map(|n| (n, random_pair(n, 1)))
        .collect();
    for (name, divergence, sizes) in all {
        let mut group = c.benchmark_group(name);
        for (n, (p, q)) in pairs.iter().filter(|(n, _)| sizes.contains(n)) {
            group.throughput(Throughput::Elements(*n as u64));
            if *n >= 1_000_000 {
                group.sample_size(10);
            }
            group.bench_with_input(BenchmarkId::from_parameter(n), n, |b, _| {
                b.iter(|| divergence(black_box(p), black_box(q)).expect("same length"))
            });
        }
        group.finish();
    }
}

/// Sum of `f(p_i) + f(q_i)` in eight independent lanes (so that the adds
/// vectorise, as JS's own sums do), compiled for the same CPUs as JS's
/// chunks (src/divergence/kernel.rs), so that `ln_branchless` is inlined
/// with FMA as it is there.
#[multiversion(targets("x86_64+avx512f+avx512vl+avx2+fma", "x86_64+avx2+fma"))]
fn lane_sum(p: &[f64], q: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut lanes = [0.0; 8];
    for (pc, qc) in p.chunks_exact(8).zip(q.chunks_exact(8)) {
        for j in 0..8 {
            lanes[j] += f(pc[j]) + f(qc[j]);
        }
    }
    lanes.iter().sum()
}

fn bench_floor(c: &mut Criterion) {
    let n = 10_000_000usize;
    let (p, q) = random_pair(n, 1);
    let (p, q) = (p.as_slice(), q.as_slice());
    let mut group = c.benchmark_group("floor");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    group.bench_with_input(BenchmarkId::new("sum", n), &n, |b, _| {
        b.iter(|| lane_sum(black_box(p), black_box(q), |x| x))
    });
    group.bench_with_input(BenchmarkId::new("two_ln", n), &n, |b, _| {
        b.iter(|| lane_sum(black_box(p), black_box(q), ln_branchless))
    });
    group.finish();
}

fn bench_value_estimator(c: &mut Criterion) {
    let mut group = c.benchmark_group("value_estimator");
    let mut rng = StdRng::seed_from_u64(3);
    for m in [64usize, 1_024, 16_384, 262_144] {
        let real: Vec<f64> = (0..m).map(|_| rng.random_range(-4.0..4.0)).collect();
        let fake: Vec<f64> = (0..m).map(|_| rng.random_range(-4.0..4.0)).collect();
        group.throughput(Throughput::Elements(2 * m as u64));
        group.bench_with_input(BenchmarkId::from_parameter(m), &m, |b, _| {
            b.iter(|| estimate_value(black_box(&real), black_box(&fake)).expect("m >= 2"))
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
    targets = bench_divergences, bench_floor, bench_value_estimator
}
criterion_main!(benches);
