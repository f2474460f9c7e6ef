//! Claim F2: low-dimensional supports. Uniform laws on two unit segments
//! of the plane that cross at one point are mutually singular (JSD = ln 2,
//! KL = +inf, TV = 1), while W1 between them is continuous in the angle and
//! the offset, with closed forms.

use gan_theory::Discrete;
use gan_theory::divergence::{js, kl, total_variation};
use gan_theory::tol::{self, EPS};
use gan_theory::transport::certificate::MARGINAL_ULPS_PER_NODE;
use gan_theory::transport::line::{LineSample, w1};
use gan_theory::transport::{CostMatrix, Metric, Points, emd};
use gan_theory::variants::wgan::lipschitz_on_points;
use std::collections::BTreeMap;
use std::f64::consts::{FRAC_PI_2, LN_2, PI, SQRT_2};

/// `P`'s point `(t - 1/2, 0)` and its image under the rotation by `phi`
/// about the pivot `(a, 0)`.
fn rotated(t: f64, phi: f64, a: f64) -> [f64; 2] {
    let tau = t - 0.5 - a;
    [a + tau * phi.cos(), tau * phi.sin()]
}

fn midpoints(k: usize) -> Vec<f64> {
    (0..k).map(|i| (i as f64 + 0.5) / k as f64).collect()
}

fn points(v: &[[f64; 2]]) -> Points {
    Points::new(v.iter().map(|a| a.to_vec()).collect()).unwrap()
}

/// The exact solver's W1 between the `k`-point discretisations.
fn discrete_w1(phi: f64, a: f64, k: usize) -> f64 {
    let t = midpoints(k);
    let xp: Vec<[f64; 2]> = t.iter().map(|&s| [s - 0.5, 0.0]).collect();
    let xq: Vec<[f64; 2]> = t.iter().map(|&s| rotated(s, phi, a)).collect();
    let cost = CostMatrix::from_points(&points(&xp), &points(&xq), Metric::Euclidean).unwrap();
    let mass = vec![1.0 / k as f64; k];
    emd(&mass, &mass, &cost).unwrap().cost
}

/// The solver's rounding on `n + m` nodes with costs below `sqrt 5`.
fn solver_rounding(k: usize) -> f64 {
    MARGINAL_ULPS_PER_NODE * (4 * k * k) as f64 * EPS * 5f64.sqrt() + 64.0 * EPS
}

/// Proof F2, step 3: for `phi <= pi/2` (any pivot) and for an end pivot
/// (any `phi <= pi`), `W1 = 2 sin(phi/2) mean |tau|` on the discretisations,
/// certified without the solver by the critic `f = |tau| sin(phi/2)` on `P`,
/// `-|tau| sin(phi/2)` on `Q`, 1-Lipschitz on the supports, whose gain
/// equals the rotation plan's cost; the exact solver agrees. Past pi/2 with
/// the pivot strictly inside, that critic is no longer 1-Lipschitz.
#[test]
fn f2_rotated_segments_w1_closed_form_with_certificate() {
    let k = 24;
    let t = midpoints(k);
    for (phi, a, closed) in [
        (PI / 12.0, 0.0, true),
        (PI / 5.0, -0.3, true),
        (FRAC_PI_2, 0.2, true),
        (FRAC_PI_2, 0.5, true),
        (3.0 * PI / 4.0, 0.5, true),
        (PI, -0.5, true),
        (2.0 * PI / 3.0, 0.2, false),
        (5.0 * PI / 6.0, -0.3, false),
    ] {
        let s = (0.5 * phi).sin();
        let taus: Vec<f64> = t.iter().map(|&x| x - 0.5 - a).collect();
        let mut support: Vec<[f64; 2]> = t.iter().map(|&x| [x - 0.5, 0.0]).collect();
        support.extend(t.iter().map(|&x| rotated(x, phi, a)));
        let mut f: Vec<f64> = taus.iter().map(|tau| tau.abs() * s).collect();
        f.extend(taus.iter().map(|tau| -tau.abs() * s));
        let lipschitz = lipschitz_on_points(&points(&support), &f, Metric::Euclidean).unwrap();
        let form = 2.0 * s * taus.iter().map(|tau| tau.abs()).sum::<f64>() / k as f64;
        if closed {
            assert!(
                lipschitz <= 1.0 + 1e-12,
                "phi = {phi}, a = {a}: K = {lipschitz}"
            );
            let gain = (f[..k].iter().sum::<f64>() - f[k..].iter().sum::<f64>()) / k as f64;
            assert!(tol::close(gain, form));
            let w = discrete_w1(phi, a, k);
            assert!(
                (w - form).abs() <= solver_rounding(k),
                "phi = {phi}, a = {a}: {w} vs {form}"
            );
        } else {
            assert!(
                lipschitz > 1.0 + 1e-3,
                "phi = {phi}, a = {a}: K = {lipschitz}"
            );
            assert!(
                discrete_w1(phi, a, k) < form,
                "the rotation plan is not optimal there"
            );
        }
    }
}

/// Proof F2, step 5: the `K` midpoints of a unit segment are at
/// `W1 = 1/(4K)` from its uniform law. Checked through finer midpoint
/// discretisations, which converge to the law: the `K M`-point one is at
/// exactly `1/(4K)` for even `M` (the fine points of a coarse cell lie at
/// mean distance a quarter of the cell from its midpoint) and at
/// `(1 - 1/M^2)/(4K)` for odd `M`, both tending to `1/(4K)`.
#[test]
fn f2_discretisation_error_is_one_over_four_k() {
    for k in [1, 3, 8, 32] {
        for m in [2, 3, 8, 9, 64, 65] {
            let coarse = LineSample::new(&midpoints(k)).unwrap();
            let fine = LineSample::new(&midpoints(k * m)).unwrap();
            let odd = if m % 2 == 1 {
                1.0 / (m * m) as f64
            } else {
                0.0
            };
            let expected = 0.25 * (1.0 - odd) / k as f64;
            assert!(tol::close(w1(&coarse, &fine), expected), "K = {k}, M = {m}");
        }
    }
}

/// Mass of the segment `from`-`to` in each square cell of side `h` (grid
/// corner `offset`): exact, cutting the segment at every grid line.
fn cells(from: [f64; 2], to: [f64; 2], h: f64, offset: [f64; 2]) -> BTreeMap<(i64, i64), f64> {
    let mut cuts = vec![0.0, 1.0];
    for axis in 0..2 {
        let (a, b) = (from[axis], to[axis]);
        if a == b {
            continue;
        }
        let lines = ((a.min(b) - offset[axis]) / h).ceil() as i64
            ..=((a.max(b) - offset[axis]) / h).floor() as i64;
        cuts.extend(
            lines
                .map(|i| (offset[axis] + i as f64 * h - a) / (b - a))
                .filter(|t| *t > 0.0 && *t < 1.0),
        );
    }
    cuts.sort_by(f64::total_cmp);
    let mut out = BTreeMap::new();
    for w in cuts.windows(2) {
        let tm = 0.5 * (w[0] + w[1]);
        let x = [
            from[0] + tm * (to[0] - from[0]),
            from[1] + tm * (to[1] - from[1]),
        ];
        let cell = (
            ((x[0] - offset[0]) / h).floor() as i64,
            ((x[1] - offset[1]) / h).floor() as i64,
        );
        *out.entry(cell).or_insert(0.0) += w[1] - w[0];
    }
    out
}

/// `P` and `Q` (given by its end points) binned on cells of side `h`.
fn binned(q_from: [f64; 2], q_to: [f64; 2], h: f64) -> (Discrete, Discrete) {
    let offset = [0.38 * h, 0.24 * h];
    let mut both: BTreeMap<(i64, i64), (f64, f64)> = BTreeMap::new();
    for (c, m) in cells([-0.5, 0.0], [0.5, 0.0], h, offset) {
        both.entry(c).or_default().0 += m;
    }
    for (c, m) in cells(q_from, q_to, h, offset) {
        both.entry(c).or_default().1 += m;
    }
    let (p, q): (Vec<f64>, Vec<f64>) = both.values().copied().unzip();
    (
        Discrete::from_weights(&p).unwrap(),
        Discrete::from_weights(&q).unwrap(),
    )
}

/// Proof F2, steps 6-7: binned on cells of side `h`, crossing segments have
/// `ln 2 - 2 sqrt 2 ln 2 h / sin phi <= JSD_h <= ln 2`, infinite KL both
/// ways and `TV_h >= 1 - 2 sqrt 2 h / sin phi`: the laws' own JSD is ln 2,
/// KL infinite, TV 1. Overlapping aligned segments (a shift by delta along
/// the line) have `JSD = |delta| ln 2`, approached from below within
/// `4 sqrt 2 ln 2 h`.
#[test]
fn f2_crossing_segments_are_mutually_singular() {
    for phi in [PI / 10.0, PI / 3.0, FRAC_PI_2, 0.9 * PI] {
        for a in [0.0, -0.25, 0.5] {
            for h in [1.0 / 32.0, 1.0 / 128.0, 1.0 / 512.0] {
                let (p, q) = binned(rotated(0.0, phi, a), rotated(1.0, phi, a), h);
                let shared = 2.0 * SQRT_2 * h / phi.sin();
                let j = js(&p, &q).unwrap();
                assert!(j <= LN_2 + tol::IDENTITY_ABS);
                assert!(
                    j >= LN_2 * (1.0 - shared) - tol::IDENTITY_ABS,
                    "phi {phi} a {a} h {h}: {j}"
                );
                assert_eq!(kl(&p, &q).unwrap(), f64::INFINITY);
                assert_eq!(kl(&q, &p).unwrap(), f64::INFINITY);
                assert!(total_variation(&p, &q).unwrap() >= 1.0 - shared - tol::IDENTITY_ABS);
            }
        }
    }
    for delta in [0.1, 0.5, 0.9] {
        for h in [1.0 / 32.0, 1.0 / 512.0] {
            let (p, q) = binned([delta - 0.5, 0.0], [delta + 0.5, 0.0], h);
            let j = js(&p, &q).unwrap();
            let exact = delta * LN_2;
            assert!(
                j <= exact + tol::IDENTITY_ABS
                    && j >= exact - 4.0 * SQRT_2 * LN_2 * h - tol::IDENTITY_ABS
            );
            assert!(kl(&p, &q).unwrap().is_infinite());
        }
    }
}

/// W1 is continuous in the angle and the offset: along a path through every
/// region (closed form or not), each step of `W1(P_K, Q_K)` is at most the
/// mean displacement of `Q_K`'s points (W1 is 1-Lipschitz in each argument).
#[test]
fn f2_w1_is_lipschitz_in_angle_and_offset() {
    let k = 16;
    let path: Vec<(f64, f64)> = (0..=16)
        .map(|i| (PI * f64::from(i) / 16.0, 0.15))
        .chain((1..=10).map(|i| (PI, 0.15 - 0.065 * f64::from(i))))
        .collect();
    let values: Vec<f64> = path
        .iter()
        .map(|&(phi, a)| discrete_w1(phi, a, k))
        .collect();
    for (i, w) in path.windows(2).enumerate() {
        let moved: f64 = midpoints(k)
            .iter()
            .map(|&t| {
                let (y1, y2) = (rotated(t, w[0].0, w[0].1), rotated(t, w[1].0, w[1].1));
                (y1[0] - y2[0]).hypot(y1[1] - y2[1])
            })
            .sum::<f64>()
            / k as f64;
        assert!((values[i + 1] - values[i]).abs() <= moved + 2.0 * solver_rounding(k));
    }
    assert!(values[0].abs() <= solver_rounding(k), "phi = 0: Q = P");
}
