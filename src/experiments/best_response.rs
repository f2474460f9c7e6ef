//! The experiments of claim F4: exact and damped best responses of the
//! generator against `D*`, and gradient descent on `C(G)` with step sizes on
//! both sides of the largest stable step.
//!
//! For `p_data = (1/2, 1/2)` a softmax generator is one number,
//! `s = u_0 - u_1`, and the F4 proof derives the slope of `C` along it in
//! closed form, [`half_slope`]; the checks compare the library's gradient
//! steps with the recursion `s <- s - 2 eta C'(s)` it gives.

use crate::error::Result;
use crate::measure::Discrete;
use crate::numeric::sigmoid;
use crate::tabular::TabularGenerator;

/// `C'(s)` for `p_data = (1/2, 1/2)` and `p_g = (sigma(s), sigma(-s))`:
/// `sigma(s) sigma(-s) (s - h(s))` with
/// `h(s) = ln((1 + 2 sigma(s)) / (1 + 2 sigma(-s)))` (F4 proof, step 3).
/// Written from the closed form, not from the library's gradient.
pub(crate) fn half_slope(s: f64) -> f64 {
    let (p, q) = (sigmoid(s), sigmoid(-s));
    p * q * (s - ((1.0 + 2.0 * p) / (1.0 + 2.0 * q)).ln())
}

/// The largest stable step for `p_data = (1/2, 1/2)`: `2 / lambda_max = 8`
/// (F4 proof, step 4), and the global boundary there (step 5).
pub(crate) const HALF_BOUNDARY: f64 = 8.0;

/// Largest amplitude searched for the 2-cycle (`s / C'(s)` is above 1e6 there).
const CYCLE_SEARCH_MAX: f64 = 30.0;

/// The amplitude `s* > 0` of the symmetric 2-cycle `s* -> -s* -> s*` of the
/// gradient step of size `eta > 8` on `p_data = (1/2, 1/2)`: the root of
/// `s / C'(s) = eta` (F4 proof, step 6), by bisection on `(0, 30]` to the
/// last bit. `None` when `eta <= 8` (no 2-cycle).
pub(crate) fn two_cycle_amplitude(eta: f64) -> Option<f64> {
    if eta <= HALF_BOUNDARY {
        return None;
    }
    // s - eta C'(s) < 0 just above 0 (C'(s)/s -> 1/8 > 1/eta) and > 0 at the top.
    let (mut low, mut high) = (f64::MIN_POSITIVE, CYCLE_SEARCH_MAX);
    for _ in 0..2000 {
        let mid = 0.5 * (low + high);
        if mid <= low || mid >= high {
            break;
        }
        if mid - eta * half_slope(mid) < 0.0 {
            low = mid;
        } else {
            high = mid;
        }
    }
    Some(0.5 * (low + high))
}

/// The generator of `p_data = (1/2, 1/2)` with `u_0 - u_1 = s`.
pub(crate) fn half_generator(s: f64) -> Result<TabularGenerator> {
    TabularGenerator::new(vec![0.5 * s, -0.5 * s])
}

/// `s_t = u_0 - u_1` along `steps` gradient steps of size `eta` on `C(G)`,
/// `p_data = (1/2, 1/2)`, from `s_0`, taken by the library
/// ([`TabularGenerator::c_of_g_gradient`], [`TabularGenerator::moved`]).
pub(crate) fn half_descent(s0: f64, eta: f64, steps: usize) -> Result<Vec<f64>> {
    let p_data = Discrete::new(vec![0.5, 0.5])?;
    let mut g = half_generator(s0)?;
    let mut out = Vec::with_capacity(steps + 1);
    for t in 0..=steps {
        out.push(g.logits()[0] - g.logits()[1]);
        if t < steps {
            g = g.moved(&g.c_of_g_gradient(&p_data)?, -eta)?;
        }
    }
    Ok(out)
}

/// Start of the gradient runs on `p_data = (1/2, 1/2)`: `p_g = (sigma(2), sigma(-2))`,
/// about (0.88, 0.12).
pub(crate) const HALF_START: f64 = 2.0;

/// Steps of those runs: at the factor 7/8 per step (step 7.5) the proven
/// bound reaches the rounding level within 300 steps; the 2-cycles of
/// steps 9 and 12 attract at a factor of at most 0.55 per step (F4 proof,
/// step 6), so they are reached to the last bit as well.
pub(crate) const HALF_STEPS: usize = 400;

/// Steps of the run at the boundary step 8 (sublinear convergence: only the
/// monotone decrease is checked).
pub(crate) const BOUNDARY_STEPS: usize = 2000;

/// Step sizes below or at the boundary (converge) and above it (2-cycle).
pub(crate) const CONVERGING_STEPS: [f64; 3] = [2.0, 7.5, HALF_BOUNDARY];

/// Step sizes above the boundary whose 2-cycle attracts (F4 proof, step 6:
/// up to about 13.65, where `s*` reaches the inflection point of `C`).
pub(crate) const CYCLING_STEPS: [f64; 2] = [9.0, 12.0];

/// The constant mixing weight of the damped best response.
pub(crate) const DAMPING: f64 = 0.1;

/// Rounds of the damped and harmonic best responses: `(1 - 0.1)^400` is
/// about 5e-19, so the damped run sits on its cycle to rounding.
pub(crate) const MIXING_STEPS: usize = 400;
