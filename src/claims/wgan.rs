//! Check for claim D1: a trained MLP critic (clipping; gradient penalty)
//! certifies a lower bound on W1 close to the exact value, on a 1-D sample
//! case and a discrete case in the plane; a WGAN generator moves from a
//! disjoint start, where the minimax GAN's generator gradient vanishes.
//!
//! What a training run reaches is not a theorem: each training outcome is
//! judged over [`D1_RUNS`] independently seeded runs, at most one of which
//! may miss, with the false-alarm probability derived from a calibrated
//! per-run miss bound ([`crate::claims::replicated`]). The theorems (the
//! certificate never exceeds W1; the gradient's closed form) are checked on
//! every run, deterministically.

use super::replicated::{Calibration, Replication};
use super::{Context, Measurement};
use crate::error::Result;
use crate::tol::EPS;
// The experiments live in `experiments::wgan`, where the report's figure
// reads them too.
use crate::experiments::wgan::{
    CRITIC_CASES, CRITIC_STEPS, D1_RUNS, D1Run, STANDARD_D_STEPS, START_SHIFT, WGAN_ITERATIONS,
    d1_run, d1_run_seeds,
};

/// The fraction of W1 a trained critic's certified bound must reach, per
/// case of [`CRITIC_CASES`] (penalty and clipping on the line, then in the
/// plane): what "close to the exact value" means here, a design choice,
/// not a fit to the runs. Three quarters, but half for clipping in the
/// plane: a critic clipped at 0.05 is nearly linear and cannot bend to the
/// piecewise-linear optimal potential of scattered points (the capacity
/// limit of clipping that Gulrajani et al. 2017, Section 3, describe),
/// while between the two normals of the line case the optimal potential is
/// linear on the bulk. How often one run falls short is calibrated
/// ([`D1_CALIBRATION`]), and the check's rate derived from it.
pub const CRITIC_RATIO_FLOOR: [f64; 4] = [0.75, 0.75, 0.75, 0.5];

/// Exact W1 at the end of the WGAN run must be at most this fraction of W1
/// at the start (10): the generator has covered at least three quarters of
/// the way to the data. A design choice; its per-run rate is calibrated.
/// This alone does not set WGAN apart: Adam's steps do not shrink with the
/// gradient, and the minimax generator trained with the same Adam from the
/// same start also ends near 0.1 of the start (measured in review); the
/// contrast is in the gradients' sizes, checked below.
pub const W1_END_FRACTION: f64 = 0.25;

/// The minimax generator gradient's norm against the trained discriminator
/// must be below this to count as vanished: five orders of magnitude below
/// the size of W1's gradient, `|dW1/db| = 1`, which the WGAN generator's
/// normalised gradient matches. A design choice; its per-run rate is
/// calibrated. Against the untrained discriminator the norm is about 3e-3 to
/// 6e-3 (seeds 1, 7, 2014), so the criterion fails unless D is trained.
pub const VANISHED_GRADIENT: f64 = 1e-5;

/// Accepted distance of the normalised WGAN generator gradient from
/// `|dW1/db| = 1`: a quarter, a design choice (the clipped critic is close to
/// linear on [-1, 11] but its tanh units bend a little, so its slope on
/// p_g's support differs from its steepest slope `K_support` between support
/// points). Its per-run rate is calibrated.
pub const WGAN_GRADIENT_TOLERANCE: f64 = 0.25;

/// How D1 judges each training outcome over its [`D1_RUNS`] runs: at most
/// one may miss, so the check fails although training is sound only when
/// both miss, with probability at most the square of the per-run bound.
pub const D1_REPLICATION: Replication = Replication {
    runs: D1_RUNS,
    allowed_misses: 1,
};

/// The calibration of D1's training outcomes: of the runs that `verify`
/// would make for the context seeds `CALIBRATION_FIRST_SEED ..` (D1_RUNS per
/// context), how many missed each criterion (`calibrate_d1_runs` re-counts
/// them).
#[derive(Debug, Clone, Copy)]
pub struct D1Calibration {
    /// Per critic case, the runs whose certified / W1 fell below the floor.
    pub critics: [Calibration; 4],
    /// Runs whose WGAN generator ended above [`W1_END_FRACTION`] of the start.
    pub w1_end: Calibration,
    /// Runs whose minimax gradient was not below [`VANISHED_GRADIENT`].
    pub vanished: Calibration,
    /// Runs whose normalised WGAN gradient was more than
    /// [`WGAN_GRADIENT_TOLERANCE`] from 1.
    pub wasserstein: Calibration,
}

/// See [`D1Calibration`].
pub const D1_CALIBRATION: D1Calibration = D1Calibration {
    critics: [
        Calibration {
            runs: 4000,
            misses: 0,
        },
        Calibration {
            runs: 4000,
            misses: 0,
        },
        Calibration {
            runs: 4000,
            misses: 14,
        },
        Calibration {
            runs: 4000,
            misses: 5,
        },
    ],
    w1_end: Calibration {
        runs: 4000,
        misses: 0,
    },
    vanished: Calibration {
        runs: 4000,
        misses: 0,
    },
    wasserstein: Calibration {
        runs: 4000,
        misses: 0,
    },
};

/// Rounding allowed above W1 for a certified bound: the exact W1 and the two
/// compensated expectations each carry a few ulps of their largest term; 64
/// ulps of (W1 + the largest |f| on the support) covers them with room.
fn rounding_allowance(w1: f64, largest_value: f64) -> f64 {
    64.0 * EPS * (w1 + largest_value)
}

/// The per-run values of one training outcome: `value(run)` for each run,
/// NaN for a run that diverged (a miss).
fn per_run(runs: &[Option<D1Run>], value: impl Fn(&D1Run) -> f64) -> Vec<f64> {
    runs.iter()
        .map(|run| run.as_ref().map_or(f64::NAN, &value))
        .collect()
}

/// The largest `value(run)` over the runs that finished (`-inf` if none did).
fn worst(runs: &[Option<D1Run>], value: impl Fn(&D1Run) -> f64) -> f64 {
    runs.iter()
        .flatten()
        .map(value)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// The smallest `value(run)` over the runs that finished (`+inf` if none
/// did): the tolerance of a deterministic row judged over every run.
fn smallest(runs: &[Option<D1Run>], value: impl Fn(&D1Run) -> f64) -> f64 {
    runs.iter()
        .flatten()
        .map(value)
        .fold(f64::INFINITY, f64::min)
}

/// `values` for the description: three digits each, NaN as "diverged".
fn listed(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| {
            if v.is_nan() {
                "diverged".to_string()
            } else {
                format!("{v:.3}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The calibration's per-run bound and the check's rate, for a description.
fn rate(calibration: Calibration) -> String {
    let pi = calibration.miss_bound();
    format!(
        "a run misses with probability <= {pi:.1e} ({} of {} calibration runs missed)",
        calibration.misses, calibration.runs
    )
}

pub(crate) fn d1(context: &Context) -> Result<Vec<Measurement>> {
    let runs = d1_run_seeds(context)
        .into_iter()
        .map(d1_run)
        .collect::<Result<Vec<_>>>()?;
    let r = D1_RUNS;
    let mut out = Vec::new();
    for (k, case) in CRITIC_CASES.iter().enumerate() {
        let (name, method) = (case.name, case.method);
        // Theorem (proof D1, Step 1): whatever the critic, the certificate
        // is at most W1, up to rounding; judged against the smallest of the
        // runs' rounding allowances.
        let allowance = smallest(&runs, |run| {
            let c = &run.critics[k];
            rounding_allowance(c.estimate.w1, c.largest_value)
        });
        out.push(Measurement::at_most(
            format!(
                "{name}, {method}: certified (E_p f - E_q f) / K_support - exact W1, worst of {r} runs (at most 0; rounding allowance)"
            ),
            worst(&runs, |run| {
                let e = &run.critics[k].estimate;
                e.certified - e.w1
            }),
            0.0,
            allowance,
        ));
        out.push(Measurement::at_most(
            format!(
                "{name}, {method}: (E_p f - E_q f) / global Lipschitz bound - W1, worst of {r} runs (at most 0; rounding allowance)"
            ),
            worst(&runs, |run| {
                let e = &run.critics[k].estimate;
                e.globally_certified - e.w1
            }),
            0.0,
            allowance,
        ));
        let ratios = per_run(&runs, |run| {
            let e = &run.critics[k].estimate;
            e.certified / e.w1
        });
        let floor = CRITIC_RATIO_FLOOR[k];
        let calibration = D1_CALIBRATION.critics[k];
        out.push(D1_REPLICATION.at_least(
            format!(
                "{name}, {method}: certified / W1 after {CRITIC_STEPS} steps, the better of {r} seeded runs [{}] (at least {floor}; {})",
                listed(&ratios),
                rate(calibration)
            ),
            &ratios,
            floor,
            calibration,
        ));
    }

    let fractions = per_run(&runs, |run| run.wgan.end_w1 / run.wgan.start_w1);
    out.push(D1_REPLICATION.at_most(
        format!(
            "WGAN (clipping) from p_g = p_data + {START_SHIFT}: exact W1 after {WGAN_ITERATIONS} iterations / W1 at the start, the better of {r} seeded runs [{}] ({})",
            listed(&fractions),
            rate(D1_CALIBRATION.w1_end)
        ),
        &fractions,
        W1_END_FRACTION,
        D1_CALIBRATION.w1_end,
    ));
    out.push(Measurement::at_most(
        format!(
            "WGAN runs: max over iterations of certified critic estimate - exact W1, worst of {r} runs (at most 0; rounding allowance)"
        ),
        worst(&runs, |run| {
            run.wgan
                .history
                .iter()
                .map(|h| h.certified - h.w1)
                .fold(f64::NEG_INFINITY, f64::max)
        }),
        0.0,
        smallest(&runs, |run| {
            rounding_allowance(run.wgan.start_w1, run.wgan.start_w1)
        }),
    ));
    let minimax = per_run(&runs, |run| run.gradients.minimax);
    out.push(D1_REPLICATION.at_most(
        format!(
            "||grad_theta E ln(1 - D(G(z)))|| at the disjoint start, D trained {STANDARD_D_STEPS} steps, the better of {r} seeded runs [{}] (vanished: below {VANISHED_GRADIENT:e}; Arjovsky-Bottou Thm 2.4's M eps / (1 - eps) = [{}]; {})",
            minimax
                .iter()
                .map(|g| format!("{g:.2e}"))
                .collect::<Vec<_>>()
                .join(", "),
            per_run(&runs, |run| run.gradients.bound)
                .iter()
                .map(|g| format!("{g:.2e}"))
                .collect::<Vec<_>>()
                .join(", "),
            rate(D1_CALIBRATION.vanished)
        ),
        &minimax,
        VANISHED_GRADIENT,
        D1_CALIBRATION.vanished,
    ));
    out.push(Measurement::at_most(
        format!(
            "the same gradient against its closed form -E_z sigma(l(x)) l'(x) (z, 1), x = w z + b (Step 7, from the parameters): max |difference| over (w, b), worst of {r} runs (rounding bound)"
        ),
        worst(&runs, |run| run.gradients.closed_form_error),
        0.0,
        smallest(&runs, |run| run.gradients.closed_form_rounding),
    ));
    let wasserstein = per_run(&runs, |run| run.gradients.wasserstein);
    out.push(D1_REPLICATION.between(
        format!(
            "||grad_theta E f(G(z))|| / K_support against a clipped critic at the same start, the better of {r} seeded runs [{}]; |dW1/db| = 1 (the W1 gradient does not vanish; {})",
            listed(&wasserstein),
            rate(D1_CALIBRATION.wasserstein)
        ),
        &wasserstein,
        1.0,
        (1.0 - WGAN_GRADIENT_TOLERANCE, 1.0 + WGAN_GRADIENT_TOLERANCE),
        D1_CALIBRATION.wasserstein,
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{
        CRITIC_RATIO_FLOOR, D1_CALIBRATION, VANISHED_GRADIENT, W1_END_FRACTION,
        WGAN_GRADIENT_TOLERANCE,
    };
    use crate::claims::replicated::{calibrate, consistent};
    use crate::experiments::wgan::{D1_RUNS, d1_run, d1_run_seeds};

    /// Re-counts [`D1_CALIBRATION`]: every run of D1 for the calibration
    /// contexts, each training outcome judged as the check judges it.
    #[test]
    #[ignore = "calibration sweep: 4000 D1 runs (about 20 minutes on 2 cores)"]
    fn calibrate_d1_runs() {
        let contexts = D1_CALIBRATION.w1_end.runs / D1_RUNS as u64;
        let names = [
            "D1 critic, line, penalty",
            "D1 critic, line, clipping",
            "D1 critic, plane, penalty",
            "D1 critic, plane, clipping",
            "D1 WGAN end / start",
            "D1 minimax gradient",
            "D1 WGAN gradient",
        ];
        let count = calibrate(&names, contexts, |context| {
            let runs: Vec<_> = d1_run_seeds(context)
                .into_iter()
                .map(|seed| d1_run(seed).expect("a run either ends or diverges"))
                .collect();
            let judge = |value: &dyn Fn(&crate::experiments::wgan::D1Run) -> f64,
                         meets: &dyn Fn(f64) -> bool| {
                runs.iter()
                    .map(|run| {
                        let v = run.as_ref().map_or(f64::NAN, value);
                        (v, !meets(v))
                    })
                    .collect::<Vec<_>>()
            };
            let mut out: Vec<_> = (0..4)
                .map(|k| {
                    judge(
                        &|run| run.critics[k].estimate.certified / run.critics[k].estimate.w1,
                        &|v| v >= CRITIC_RATIO_FLOOR[k],
                    )
                })
                .collect();
            out.push(judge(&|run| run.wgan.end_w1 / run.wgan.start_w1, &|v| {
                v <= W1_END_FRACTION
            }));
            out.push(judge(&|run| run.gradients.minimax, &|v| {
                v <= VANISHED_GRADIENT
            }));
            out.push(judge(&|run| run.gradients.wasserstein, &|v| {
                (v - 1.0).abs() <= WGAN_GRADIENT_TOLERANCE
            }));
            out
        });
        let stated = [
            D1_CALIBRATION.critics[0],
            D1_CALIBRATION.critics[1],
            D1_CALIBRATION.critics[2],
            D1_CALIBRATION.critics[3],
            D1_CALIBRATION.w1_end,
            D1_CALIBRATION.vanished,
            D1_CALIBRATION.wasserstein,
        ];
        for ((name, recount), stated) in names.iter().zip(&count).zip(stated) {
            assert!(
                consistent(*recount, stated),
                "{name}: {recount:?} vs {stated:?}"
            );
        }
    }
}
