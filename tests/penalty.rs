//! Claim F6: where the gradient penalty looks. Every optimal critic has
//! slope 1 along the segments of an optimal plan (Gulrajani et al.'s
//! Proposition 1) and all optimal critics agree there; the penalty's
//! independent pairs are mostly not coupled, and there the optimal critics
//! differ. On the line the penalised objective's optimum has a closed form.

use gan_theory::rand::rngs::StdRng;
use gan_theory::rand::{RngExt, SeedableRng};
use gan_theory::tol::EPS;
use gan_theory::transport::potential::KrPotential;
use gan_theory::transport::{CostMatrix, Metric, Points, emd};

const N: usize = 7;

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

fn masses(rng: &mut StdRng, n: usize) -> Vec<f64> {
    let w: Vec<f64> = (0..n).map(|_| 0.2 + rng.random::<f64>()).collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|x| x / total).collect()
}

fn points(v: &[[f64; 2]]) -> Points {
    Points::new(v.iter().map(|a| a.to_vec()).collect()).unwrap()
}

/// Ulps of the critics' scale an evaluation may be off by (claim F6's
/// `CRITIC_ULPS`: a distance, an addition, the duals' own rounding).
const CRITIC_ULPS: f64 = 64.0;

/// On random plane instances: along every arc of the exact plan the
/// Kantorovich potential rises with slope exactly 1 and the largest and
/// smallest optimal critics `F+`, `F-` coincide; on every pair whose dual is
/// slack they differ somewhere inside the segment; the plan couples at most
/// `(2N - 1) max p max q` of the penalty's independent pairs.
#[test]
fn f6_optimal_critics_agree_exactly_on_coupled_segments() {
    let mut rng = StdRng::seed_from_u64(0xF6);
    for _ in 0..20 {
        let xp: Vec<[f64; 2]> = (0..N).map(|_| [rng.random(), rng.random()]).collect();
        let xq: Vec<[f64; 2]> = (0..N)
            .map(|_| [0.5 + rng.random::<f64>(), 0.5 + rng.random::<f64>()])
            .collect();
        let (p, q) = (masses(&mut rng, N), masses(&mut rng, N));
        let cost = CostMatrix::from_points(&points(&xp), &points(&xq), Metric::Euclidean).unwrap();
        let t = emd(&p, &q, &cost).unwrap();
        let f = KrPotential::new(&points(&xq), &t.v, Metric::Euclidean).unwrap();
        let support: Vec<([f64; 2], f64)> = xp
            .iter()
            .chain(&xq)
            .map(|&s| (s, f.value(&s).unwrap()))
            .collect();
        let upper = |x: [f64; 2]| {
            support
                .iter()
                .map(|&(s, v)| v + dist(x, s))
                .fold(f64::INFINITY, f64::min)
        };
        let lower = |x: [f64; 2]| {
            support
                .iter()
                .map(|&(s, v)| v - dist(x, s))
                .fold(f64::NEG_INFINITY, f64::max)
        };
        let scale = support.iter().map(|s| s.1.abs()).fold(0.0, f64::max) + 3.0;
        let round = CRITIC_ULPS * EPS * scale;
        let along = |i: usize, j: usize, s: f64| {
            let (x, y) = (xp[i], xq[j]);
            [y[0] + s * (x[0] - y[0]), y[1] + s * (x[1] - y[1])]
        };
        let mut coupled = 0.0;
        for e in &t.plan {
            let d = dist(xp[e.i], xq[e.j]);
            let start = f.value(&xq[e.j]).unwrap();
            for l in 0..20 {
                let s = (f64::from(l) + 0.5) / 20.0;
                let x = along(e.i, e.j, s);
                assert!((f.value(&x).unwrap() - start - s * d).abs() <= round);
                assert!(upper(x) - lower(x) <= round);
            }
            coupled += p[e.i] * q[e.j];
        }
        let pmax = p.iter().fold(0.0f64, |m, &v| m.max(v));
        let qmax = q.iter().fold(0.0f64, |m, &v| m.max(v));
        assert!(coupled <= (2 * N - 1) as f64 * pmax * qmax * (1.0 + 1e-12));
        for i in 0..N {
            for j in 0..N {
                if cost.get(i, j) - t.u[i] - t.v[j] > 16.0 * EPS * scale {
                    let widest = (0..20)
                        .map(|l| {
                            let x = along(i, j, (f64::from(l) + 0.5) / 20.0);
                            upper(x) - lower(x)
                        })
                        .fold(0.0, f64::max);
                    assert!(
                        widest > round,
                        "slack pair ({i}, {j}): optimal critics agree"
                    );
                }
            }
        }
    }
}

/// A line instance: points and masses of `p` and `q`.
struct Line {
    x: Vec<f64>,
    y: Vec<f64>,
    p: Vec<f64>,
    q: Vec<f64>,
}

impl Line {
    /// Sorted support points, cell lengths, `F_q - F_p` per cell.
    fn cells(&self) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut z: Vec<f64> = self.x.iter().chain(&self.y).copied().collect();
        z.sort_by(f64::total_cmp);
        let cdf = |v: &[f64], m: &[f64], at: f64| -> f64 {
            v.iter()
                .zip(m)
                .filter(|(x, _)| **x <= at)
                .map(|(_, w)| w)
                .sum()
        };
        let lengths = z.windows(2).map(|w| w[1] - w[0]).collect();
        let h = z[..z.len() - 1]
            .iter()
            .map(|&at| cdf(&self.y, &self.q, at) - cdf(&self.x, &self.p, at))
            .collect();
        (z, lengths, h)
    }
}

/// Proof F6, step 5, on random line instances: the supremum over critics of
/// `E_p f - E_q f - lambda E (|f'(x_hat)| - 1)^2`, with `x_hat` between
/// independent draws, is `W1 + sum_k l_k h_k^2 / (4 lambda rho_k)`: the
/// piecewise-linear critic with slopes `sign(h) (1 + |h| / (2 lambda rho))`
/// attains it (objective evaluated pair by pair), no change of one slope
/// does better, and the value lies between `W1 + W1^2 / (4 lambda)` and the
/// relaxation's `W1 + sum_plan (gamma d)^2 / (4 lambda p q)`.
#[test]
fn f6_penalised_optimum_on_the_line() {
    let lambda = 10.0;
    let mut rng = StdRng::seed_from_u64(0x0F61);
    for _ in 0..20 {
        let line = Line {
            x: (0..5).map(|_| rng.random::<f64>()).collect(),
            y: (0..5).map(|_| 0.5 + rng.random::<f64>()).collect(),
            p: masses(&mut rng, 5),
            q: masses(&mut rng, 5),
        };
        let (z, lengths, h) = line.cells();
        let covers = |a: f64, b: f64, k: usize| a.min(b) <= z[k] && z[k + 1] <= a.max(b);
        let rho: Vec<f64> = (0..lengths.len())
            .map(|k| {
                let mut r = 0.0;
                for (i, &x) in line.x.iter().enumerate() {
                    for (j, &y) in line.y.iter().enumerate() {
                        if covers(x, y, k) {
                            r += line.p[i] * line.q[j] / (x - y).abs();
                        }
                    }
                }
                r
            })
            .collect();
        let w1: f64 = lengths.iter().zip(&h).map(|(l, h)| l * h.abs()).sum();
        let optimum: f64 = w1
            + (0..lengths.len())
                .map(|k| lengths[k] * h[k] * h[k] / (4.0 * lambda * rho[k]))
                .sum::<f64>();
        let slopes: Vec<f64> = (0..lengths.len())
            .map(|k| {
                if h[k] == 0.0 {
                    1.0
                } else {
                    h[k].signum() * (1.0 + h[k].abs() / (2.0 * lambda * rho[k]))
                }
            })
            .collect();
        // The objective by its definition: f from the slopes, the penalty pair by pair.
        let objective = |g: &[f64]| -> f64 {
            let mut f = vec![0.0];
            for k in 0..g.len() {
                f.push(f[k] + g[k] * lengths[k]);
            }
            let at = |v: f64| f[z.partition_point(|&c| c < v)];
            let gain: f64 = line
                .x
                .iter()
                .zip(&line.p)
                .map(|(&x, m)| m * at(x))
                .sum::<f64>()
                - line
                    .y
                    .iter()
                    .zip(&line.q)
                    .map(|(&y, m)| m * at(y))
                    .sum::<f64>();
            let mut penalty = 0.0;
            for (i, &x) in line.x.iter().enumerate() {
                for (j, &y) in line.y.iter().enumerate() {
                    let inside: f64 = (0..g.len())
                        .filter(|&k| covers(x, y, k))
                        .map(|k| lengths[k] * (g[k].abs() - 1.0).powi(2))
                        .sum();
                    penalty += line.p[i] * line.q[j] * inside / (x - y).abs();
                }
            }
            gain - lambda * penalty
        };
        let round = 1024.0 * EPS * (1.0 + w1);
        let best = objective(&slopes);
        assert!((best - optimum).abs() <= 2.0 * round, "{best} vs {optimum}");
        for k in 0..slopes.len() {
            for candidate in [slopes[k] + 1e-3, slopes[k] - 1e-3, -slopes[k], 0.0] {
                let mut g = slopes.clone();
                g[k] = candidate;
                assert!(objective(&g) <= best + 2.0 * round);
            }
        }
        // The exact plan for the relaxation's ceiling.
        let pts = |v: &[f64]| Points::new(v.iter().map(|&a| vec![a]).collect()).unwrap();
        let cost =
            CostMatrix::from_points(&pts(&line.x), &pts(&line.y), Metric::Euclidean).unwrap();
        let t = emd(&line.p, &line.q, &cost).unwrap();
        assert!((t.cost - w1).abs() <= round);
        let ceiling = w1
            + t.plan
                .iter()
                .map(|e| (e.mass * cost.get(e.i, e.j)).powi(2) / (line.p[e.i] * line.q[e.j]))
                .sum::<f64>()
                / (4.0 * lambda);
        assert!(w1 + w1 * w1 / (4.0 * lambda) <= optimum + round);
        assert!(optimum <= ceiling + round);
    }
}
