//! Expectations over Gaussian instance noise for the Dirac-GAN.
//!
//! With `x = c + sigma z`, `z ~ N(0, 1)` and `w = psi x`, the instance-noise
//! field needs `E f(w)`, `E f'(w)`, `E x f'(w)`, `E f''(w)`, `E x f''(w)` and
//! `E x^2 f''(w)` for the GAN's `f`, which have no closed form.
//!
//! Quadrature: a composite 10-point Gauss-Legendre rule in `z` on
//! `[-9, 9]` (the mass beyond is `2 Phi(-9) = 2.3e-19`). The integrands are
//! analytic except at the poles of `f'(w) = 1 / (1 + e^w)`, which lie at
//! `Re w = 0`, `|Im w| >= pi`, that is above `z0 = -c / sigma` at height
//! `pi / |psi sigma|`. The panels are chosen so that every pole is at least
//! about five half-widths away from every panel, which bounds the error of
//! each 10-point rule by about `10^-20` of the integrand's size:
//! - width at most 1/2 everywhere (enough when `|psi sigma| <= 2`);
//! - width `1 / |psi sigma|` within `40 / |psi sigma|` of `z0`, where `f'`
//!   goes from 0 to 1 (at most 80 panels);
//! - beyond that, widths growing geometrically by 1.5 away from `z0` until
//!   they reach 1/2, where `f'` is within `e^-40` of 0 or 1 and smooth.
//!
//! The cost is 36 panels for `|psi sigma| <= 2`; beyond, up to 80 more near
//! `z0` and a number growing like `ln |psi sigma|` (never more than a few
//! thousand panels, even for `|psi sigma|` near `f64::MAX`).

use super::method::{gan_f, gan_f1, gan_f2, times};
use crate::numeric::CompensatedSum;
use std::sync::OnceLock;

/// Integration range in the standard normal variable.
const Z_MAX: f64 = 9.0;
/// Widest panel.
const COARSE_WIDTH: f64 = 0.5;
/// `|w|` beyond which `f'(w)` is within `e^-40` of 0 or 1.
const TRANSITION: f64 = 40.0;
/// Growth factor of the panels beyond the transition.
const GROWTH: f64 = 1.5;

/// Expectations over `z ~ N(0, 1)` with `x = c + sigma z`, `w = psi x`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Moments {
    /// `E f(w)`.
    pub f: f64,
    /// `E f'(w)`.
    pub f1: f64,
    /// `E x f'(w)`.
    pub x_f1: f64,
    /// `E f''(w)`.
    pub f2: f64,
    /// `E x f''(w)`.
    pub x_f2: f64,
    /// `E x^2 f''(w)`.
    pub xx_f2: f64,
}

/// The moments for the generated samples (`c = theta`) and for the data
/// (`c = 0`; the data's term `E f(-psi e)` equals `E f(psi e)` because the
/// noise is symmetric).
#[derive(Debug, Clone, Copy)]
pub(super) struct NoiseMoments {
    pub generated: Moments,
    pub data: Moments,
}

impl NoiseMoments {
    pub(super) fn at(theta: f64, psi: f64, sigma: f64) -> Self {
        Self {
            generated: moments(theta, psi, sigma),
            data: moments(0.0, psi, sigma),
        }
    }
}

/// The 10-point Gauss-Legendre nodes and weights on `[-1, 1]`, by Newton's
/// method on the Legendre polynomial `P_10`, largest node first (Tricomi's
/// starting guesses are in that order).
pub(super) fn gauss_legendre_10() -> &'static [(f64, f64); 10] {
    static RULE: OnceLock<[(f64, f64); 10]> = OnceLock::new();
    RULE.get_or_init(|| {
        const N: usize = 10;
        let mut rule = [(0.0, 0.0); N];
        for (i, slot) in rule.iter_mut().enumerate() {
            // Tricomi's initial guess, then Newton to full precision.
            let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (N as f64 + 0.5)).cos();
            let mut derivative = 1.0;
            for _ in 0..100 {
                let (p, dp) = legendre(N, x);
                derivative = dp;
                let dx = p / dp;
                x -= dx;
                if dx.abs() <= 1e-16 {
                    let (_, dp) = legendre(N, x);
                    derivative = dp;
                    break;
                }
            }
            *slot = (x, 2.0 / ((1.0 - x * x) * derivative * derivative));
        }
        rule
    })
}

/// `(P_n(x), P_n'(x))` by the three-term recurrence.
fn legendre(n: usize, x: f64) -> (f64, f64) {
    let (mut previous, mut current) = (1.0, x);
    for k in 2..=n {
        let k = k as f64;
        let next = ((2.0 * k - 1.0) * x * current - (k - 1.0) * previous) / k;
        previous = current;
        current = next;
    }
    let derivative = n as f64 * (x * current - previous) / (x * x - 1.0);
    (current, derivative)
}

/// The panel ends for `x = c + sigma z`, `w = psi x` (see the module docs).
fn breakpoints(centre: f64, psi: f64, sigma: f64) -> Vec<f64> {
    let coarse = (2.0 * Z_MAX / COARSE_WIDTH).round() as usize;
    let mut points: Vec<f64> = (0..=coarse)
        .map(|k| -Z_MAX + k as f64 * COARSE_WIDTH)
        .collect();
    let slope = (psi * sigma).abs();
    let z0 = -centre / sigma;
    if slope > 1.0 / COARSE_WIDTH && z0.is_finite() {
        // Width 1/slope within TRANSITION/slope of z0 (subnormal guard: the
        // width is never below the smallest normal number).
        let width = (1.0 / slope).max(f64::MIN_POSITIVE);
        points.push(z0);
        for k in 1..=(TRANSITION as usize) {
            let d = k as f64 * width;
            points.push(z0 - d);
            points.push(z0 + d);
        }
        let mut d = TRANSITION * width;
        while d < 2.0 * COARSE_WIDTH {
            d *= GROWTH;
            points.push(z0 - d);
            points.push(z0 + d);
        }
    }
    points.retain(|z| (-Z_MAX..=Z_MAX).contains(z));
    points.sort_by(f64::total_cmp);
    points.dedup();
    points
}

/// The six expectations by the composite rule.
fn moments(centre: f64, psi: f64, sigma: f64) -> Moments {
    let rule = gauss_legendre_10();
    let normal = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
    let mut sums = [CompensatedSum::new(); 6];
    let points = breakpoints(centre, psi, sigma);
    for pair in points.windows(2) {
        let (mid, half) = (0.5 * (pair[0] + pair[1]), 0.5 * (pair[1] - pair[0]));
        for &(node, weight) in rule {
            let z = mid + half * node;
            let density = weight * half * normal * (-0.5 * z * z).exp();
            // x may overflow to ±inf when sigma or the centre is near
            // f64::MAX; psi x, not psi c + psi sigma z, so that w is ±inf
            // there (where f', f'' are 0 or 1), and 0 when psi = 0.
            let x = centre + sigma * z;
            let w = times(psi, x);
            let (d1, d2) = (gan_f1(w), gan_f2(w));
            // f, f'' <= 0 and x^2 f'' <= 0 at every node: their sums cannot
            // meet inf - inf. The first moments take z, not x, for the same
            // reason (x f' changes sign with x).
            let terms = [gan_f(w), d1, z * d1, d2, z * d2, times(x * x, d2)];
            for (sum, term) in sums.iter_mut().zip(terms) {
                sum.add(density * term);
            }
        }
    }
    let [f, f1, z_f1, f2, z_f2, xx_f2] = sums.map(|s| s.value());
    // E x g = c E g + sigma E z g: each product is finite (|E g| <= 1,
    // |E z g| <= E|z| < 1), so the sum is finite or ±inf, never NaN.
    Moments {
        f,
        f1,
        x_f1: centre * f1 + sigma * z_f1,
        f2,
        x_f2: centre * f2 + sigma * z_f2,
        xx_f2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sums of ten terms of size at most 2, each rounded once: 1e-15.
    const RULE_ROUNDING: f64 = 1e-15;

    /// The composite rule's error for a centred integrand of size 1/2 (see
    /// the module docs), plus rounding in the compensated sums: 1e-15.
    const QUADRATURE_TOL: f64 = 1e-15;

    /// The rule integrates polynomials up to degree 19 exactly (to rounding).
    #[test]
    fn gauss_legendre_is_exact_for_degree_19() {
        let rule = gauss_legendre_10();
        for degree in 0..20 {
            let quadrature: f64 = rule.iter().map(|&(x, w)| w * x.powi(degree)).sum();
            let exact = if degree % 2 == 1 {
                0.0
            } else {
                2.0 / (degree as f64 + 1.0)
            };
            assert!(
                (quadrature - exact).abs() < RULE_ROUNDING,
                "degree {degree}"
            );
        }
    }

    /// Symmetry: E f'(psi sigma z) = 1/2 exactly for centred noise.
    #[test]
    fn centred_mean_of_f1_is_one_half() {
        for (psi, sigma) in [(0.3, 1.0), (5.0, 2.0), (1e4, 0.7), (1e200, 1e100)] {
            let m = moments(0.0, psi, sigma);
            assert!((m.f1 - 0.5).abs() < QUADRATURE_TOL, "psi {psi}: {}", m.f1);
        }
    }

    /// The nodes are the roots of P_10, largest first, each within
    /// NODE_ULPS of its tabulated value (Abramowitz and Stegun, table 25.4),
    /// in symmetric pairs; the weights are within WEIGHT_TOL of theirs.
    #[test]
    fn gauss_legendre_nodes_in_order() {
        // Newton stops once its step is at most 1e-16 (an ulp of the
        // largest node), so a node is within a couple of ulps: 4 ulps.
        const NODE_ULPS: f64 = 4.0;
        // The weight 2 / ((1 - x^2) P'(x)^2) amplifies the node's error by
        // |d log w / dx| <= about 40 at x = 0.974, plus its own few
        // roundings: 1e-13 relative.
        const WEIGHT_TOL: f64 = 1e-13;
        let table = [
            (0.973_906_528_517_171_7, 0.066_671_344_308_688_14),
            (0.865_063_366_688_984_5, 0.149_451_349_150_580_6),
            (0.679_409_568_299_024_4, 0.219_086_362_515_982_0),
            (0.433_395_394_129_247_2, 0.269_266_719_309_996_4),
            (0.148_874_338_981_631_2, 0.295_524_224_714_752_9),
        ];
        let rule = gauss_legendre_10();
        for (i, &(x, w)) in table.iter().enumerate() {
            for (k, sign) in [(i, 1.0), (9 - i, -1.0)] {
                let (node, weight) = rule[k];
                assert!(
                    (node - sign * x).abs() <= NODE_ULPS * f64::EPSILON,
                    "node {k}: {node}"
                );
                assert!((weight - w).abs() <= WEIGHT_TOL * w, "weight {k}: {weight}");
            }
        }
    }

    /// The panel layout of the module docs: panels cover exactly [-9, 9],
    /// none is wider than 1/2; for a slope `s = |psi sigma|` of at most 2
    /// they are the 36 halves; beyond, `z0 = -c / sigma` and `z0 ± k / s`
    /// (k <= 40) are panel ends wherever they fall inside [-9, 9], then
    /// ends 1.5 times farther out until the widths reach about 1/2.
    #[test]
    fn panel_layout_follows_the_module_docs() {
        let halves: Vec<f64> = (0..=36).map(|k| -9.0 + 0.5 * k as f64).collect();
        for (c, psi, sigma) in [
            (0.1, 2.0, 1.0),
            (-3.0, 0.5, 4.0),
            (5.0, 1e-3, 2.0),
            (0.0, 0.0, 1.0),
        ] {
            assert_eq!(breakpoints(c, psi, sigma), halves, "{c} {psi} {sigma}");
        }
        for (c, psi, sigma) in [
            (0.3, 1e3, 2.0),
            (-2.0, 50.0, 0.5),
            (100.0, 30.0, 40.0),
            (0.5, 8.0, 1.0),
            (-7.0, 1e6, 1.0),
            (0.25, 40.0, 1.0),
        ] {
            let points = breakpoints(c, psi, sigma);
            assert_eq!((points[0], points[points.len() - 1]), (-9.0, 9.0));
            let slope: f64 = (psi * sigma).abs();
            let z0 = -c / sigma;
            let width = 1.0 / slope;
            for pair in points.windows(2) {
                assert!(pair[0] < pair[1] && pair[1] - pair[0] <= 0.5, "{pair:?}");
            }
            for k in 0..=40 {
                for z in [z0 - k as f64 * width, z0 + k as f64 * width] {
                    if (-9.0..=9.0).contains(&z) {
                        assert!(points.contains(&z), "{c} {psi} {sigma}: {z} missing");
                    }
                }
            }
            // The geometric ends z0 ± 40 width 1.5^j, until the distance
            // reaches 1 (the panel width d / 3 then about 1/2): present
            // inside the range, and nothing else off the grids: no end
            // beyond 1.5 (or the fine band's 40 width) from z0.
            let mut d = 40.0 * width;
            while d < 1.0 {
                d *= 1.5;
                for z in [z0 - d, z0 + d] {
                    if (-9.0..=9.0).contains(&z) {
                        assert!(points.contains(&z), "{c} {psi} {sigma}: {z} missing");
                    }
                }
            }
            for &z in &points {
                if !halves.contains(&z) {
                    let reach = (40.0 * width * (1.0 + 1e-12)).max(1.5);
                    assert!((z - z0).abs() < reach, "{c} {psi} {sigma}: stray end {z}");
                }
            }
        }
    }

    /// The panel count stays bounded for any finite slope (about 3500 at
    /// the largest, from the geometric panels down to 1e-308).
    #[test]
    fn panel_count_is_bounded() {
        for slope in [1e-300, 1.0, 10.0, 1e6, 1e300, f64::MAX] {
            let n = breakpoints(0.1, slope, 1.0).len();
            assert!(n < 4000, "slope {slope}: {n} breakpoints");
        }
    }
}
