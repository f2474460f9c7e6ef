//! Claim G1's experiment: the non-saturating GAN and the same GAN with the
//! R1 penalty trained from the same seeds on the 2-D ring, in a reduced
//! protocol that fits `verify`'s budget; and the report figure's runs.

use super::{Context, replicate_seeds};
use crate::error::{Error, Result};
use crate::mlp::Activation;
use crate::train::mixtures::{EVALUATION_SAMPLES, Mixture};
use crate::train::modes::{Method, ModeRun, Protocol, run};

/// Independently seeded pairs (ns-gan, r1) that one check of G1 trains.
pub(crate) const G1_PAIRS: usize = 10;

/// Salt of G1's run seeds.
const G1_RUN_SALT: u64 = 0x61_0DE5;

/// G1's reduced protocol: the default protocol's optimiser, activation,
/// `k = 1` and penalty weights, with three hidden layers of 16 units,
/// `m = 64` and 1000 iterations (about 0.1 s a run on one core).
pub(crate) fn g1_protocol() -> Protocol {
    Protocol {
        generator_widths: vec![2, 16, 16, 16, 2],
        discriminator_widths: vec![2, 16, 16, 16, 1],
        activation: Activation::Relu,
        minibatch: 64,
        steps: 1000,
        evaluation_samples: EVALUATION_SAMPLES,
        ..Protocol::default()
    }
}

/// The report figure's protocol: G1's, with three hidden layers of 32 units
/// and 2000 iterations (about 0.4 s a run), so that the samples gather on the
/// centres enough to be seen.
pub(crate) fn figure_protocol() -> Protocol {
    Protocol {
        generator_widths: vec![2, 32, 32, 32, 2],
        discriminator_widths: vec![2, 32, 32, 32, 1],
        steps: 2000,
        ..g1_protocol()
    }
}

/// The seeds of G1's [`G1_PAIRS`] pairs for `context`; the first is the
/// pair the report's figure draws.
pub(crate) fn g1_run_seeds(context: &Context) -> Vec<u64> {
    replicate_seeds(context, G1_RUN_SALT, G1_PAIRS)
}

/// One pair: ns-gan and r1 from the same seed (the same initial networks
/// and the same data and noise streams up to the penalty's draws).
#[derive(Debug, Clone)]
pub(crate) struct G1Pair {
    /// The non-saturating GAN.
    pub(crate) ns: ModeRun,
    /// The non-saturating GAN with the R1 penalty.
    pub(crate) r1: ModeRun,
}

/// One method's run in G1's protocol; `None` when it diverged.
///
/// # Errors
/// Any error of training other than divergence.
pub(crate) fn g1_run(method: Method, seed: u64) -> Result<Option<ModeRun>> {
    protocol_run(method, &g1_protocol(), seed)
}

/// One method's run on the ring in `protocol`; `None` when it diverged.
///
/// # Errors
/// Any error of training other than divergence.
pub(crate) fn protocol_run(
    method: Method,
    protocol: &Protocol,
    seed: u64,
) -> Result<Option<ModeRun>> {
    match run(Mixture::Ring, method, protocol, seed, |_| {}) {
        Ok(r) => Ok(Some(r)),
        Err(Error::NotConverged { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The pairs of `seeds`, trained on every core (each pair is independent,
/// so the result does not depend on the threads); a pair with a diverged
/// run is `None`.
///
/// # Errors
/// Any error of training other than divergence.
pub(crate) fn g1_pairs(seeds: &[u64]) -> Result<Vec<Option<G1Pair>>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Result<Option<G1Pair>>)>> = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(seeds.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= seeds.len() {
                        break;
                    }
                    let pair = (|| {
                        let ns = g1_run(Method::NsGan, seeds[i])?;
                        let r1 = g1_run(Method::R1, seeds[i])?;
                        Ok(ns.zip(r1).map(|(ns, r1)| G1Pair { ns, r1 }))
                    })();
                    if let Ok(mut results) = results.lock() {
                        results.push((i, pair));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().map_err(|_| Error::NotConverged {
        what: "G1",
        detail: "a training thread panicked".to_string(),
    })?;
    if results.len() != seeds.len() {
        return Err(Error::NotConverged {
            what: "G1",
            detail: "a training thread panicked".to_string(),
        });
    }
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, pair)| pair).collect()
}
