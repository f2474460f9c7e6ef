//! Cost of one Algorithm-1 iteration and of the MLP's forward and backward passes.
//!
//! `cargo bench --bench mlp -- algorithm1 --warm-up-time 1`
//!
//! The `modes/step` setting is `gan-theory modes`' default protocol (claim
//! G1): the non-saturating GAN on the 2-D ring, G `[2, 64, 64, 64, 2]` and D
//! `[2, 64, 64, 64, 1]` with ReLU, m = 128, k = 1, Adam(1e-3, 0.5, 0.999),
//! z ~ N(0, I_2). `benches/compare/torch_modes.py` times it side by side
//! with the same iteration in PyTorch. Throughput: the minibatch, 128 samples.
//!
//! The `algorithm1/step` setting is issue 4's: D and G both 1-32-32-1 with
//! tanh, m = 64, k = 1, SGD with momentum 0.9 and learning rate 0.05, the
//! non-saturating loss, p_data = N(2, 0.5^2), z ~ U(0, 1). The same iteration
//! in PyTorch is timed by `benches/compare/compare.py` (through
//! `torch_algorithm1.py`). Throughput: the minibatch, 64 samples.
//!
//! The kernels run the CPU's best of three copies (AVX-512, AVX2 with FMA,
//! baseline x86-64), picked at run time; the default build is as fast as a
//! build for the native CPU (see `gan_theory::mlp`, "Speed", and
//! BENCHMARKS.md).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gan_theory::mlp::{Activation, Mlp, Tape};
use gan_theory::optim::Sgd;
use gan_theory::train::algorithm1::{Algorithm1, GeneratorLoss, Normal1d, Settings, Uniform1d};
use gan_theory::train::mixtures::Mixture;
use gan_theory::train::modes::{Method, ModeTrainer, Protocol};
use nalgebra::DMatrix;
use std::hint::black_box;
use std::time::Duration;

fn bench_algorithm1(c: &mut Criterion) {
    let d = Mlp::new(&[1, 32, 32, 1], Activation::Tanh, 1).expect("valid widths");
    let g = Mlp::new(&[1, 32, 32, 1], Activation::Tanh, 2).expect("valid widths");
    let d_opt = Sgd::new(0.05, 0.9, d.num_params()).expect("valid SGD");
    let g_opt = Sgd::new(0.05, 0.9, g.num_params()).expect("valid SGD");
    let settings = Settings {
        minibatch: 64,
        discriminator_steps: 1,
        loss: GeneratorLoss::NonSaturating,
        seed: 3,
        w1_samples: None,
    };
    let mut run = Algorithm1::new(
        d,
        g,
        d_opt.into(),
        g_opt.into(),
        Normal1d::new(2.0, 0.5).expect("valid normal"),
        Uniform1d::new(0.0, 1.0).expect("valid uniform"),
        settings,
    )
    .expect("consistent shapes");
    let mut group = c.benchmark_group("algorithm1");
    group.throughput(Throughput::Elements(64));
    group.bench_function("step", |b| b.iter(|| black_box(run.step().expect("step"))));
    group.finish();
}

fn bench_modes(c: &mut Criterion) {
    let protocol = Protocol::default();
    let mut trainer =
        ModeTrainer::new(Mixture::Ring, Method::NsGan, &protocol, 3).expect("valid protocol");
    let mut group = c.benchmark_group("modes");
    group.throughput(Throughput::Elements(protocol.minibatch as u64));
    group.bench_function("step", |b| b.iter(|| trainer.step().expect("step")));
    group.finish();
}

fn batch(n: usize) -> DMatrix<f64> {
    DMatrix::from_fn(n, 1, |i, _| -2.0 + 4.0 * i as f64 / n as f64)
}

fn bench_mlp(c: &mut Criterion) {
    let net = Mlp::new(&[1, 32, 32, 1], Activation::Tanh, 1).expect("valid widths");
    let x = batch(64);
    let mut tape = Tape::new();
    let mut group = c.benchmark_group("mlp_1_32_32_1_batch_64");
    group.throughput(Throughput::Elements(64));
    group.bench_function("forward", |b| {
        b.iter(|| black_box(net.forward(black_box(&x), &mut tape).expect("shape")[0]))
    });
    let ones = DMatrix::from_element(64, 1, 1.0);
    let mut grad = vec![0.0; net.num_params()];
    let mut dx = DMatrix::zeros(64, 1);
    net.forward(&x, &mut tape).expect("shape");
    group.bench_function("backward_params", |b| {
        b.iter(|| {
            net.backward(&mut tape, &ones, Some(&mut grad[..]), None)
                .expect("shape");
            black_box(grad[0])
        })
    });
    group.bench_function("backward_input", |b| {
        b.iter(|| {
            net.backward(&mut tape, &ones, None, Some(&mut dx))
                .expect("shape");
            black_box(dx[0])
        })
    });
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
    targets = bench_algorithm1, bench_modes, bench_mlp
}
criterion_main!(benches);
