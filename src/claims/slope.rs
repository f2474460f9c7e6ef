//! Claim F7: the least-squares loss's slope. The minimax generator gradient
//! against a logistic discriminator fitted towards its optimum vanishes,
//! exponentially in the margin; LSGAN's least-squares affine discriminator
//! gives a gradient of size 1/separation at any separation; at the
//! unrestricted optimum `D*` both criteria are flat on disjoint supports.

use super::{Context, Measurement};
use crate::divergence;
use crate::error::Result;
use crate::experiments::slope::{
    GRID_HALF, HALF_WIDTHS, LOGISTIC_SEPARATIONS, LOGISTIC_STEP, LOGISTIC_STEPS, LSGAN_CENTRE,
    LSGAN_SEPARATIONS, grid_pair, logistic_fit, pair,
};
use crate::numeric::{sigmoid, softplus};
use crate::tol::{self, EPS};
use crate::train::discriminator_steps::escape_interval;
use crate::variants::affine::{Segment, least_squares_fit};
use crate::variants::lsgan::{LsganLabels, lsgan_divergence};

/// Step of the central differences of the minimax loss `-softplus(w theta)`:
/// relative truncation error `h^2 w^2 / 6` (its third derivative is at most
/// `w^2` times its first, `|sigma''| <= sigma(1 - sigma)` for the logits
/// here), below 3e-8 for `w <= 40`; relative rounding error
/// `EPS / (h w)`, below 1e-9.
const FD_STEP: f64 = 1e-5;

/// Relative tolerance of those differences: 30 times the larger of the two
/// errors above.
const FD_REL: f64 = 1e-6;

/// Rounding allowance, in units of `EPS` per step, of the library's margin
/// `w Delta / 2` against the one-dimensional recursion
/// `m <- m + kappa sigma(-m)`: each step rounds a few ulps of `m + kappa`
/// (below 14 here) in either computation, and with `kappa <= 4` the
/// recursion's derivative `1 - kappa sigma(m) sigma(-m)` lies in `[0, 1]`, so
/// errors add up without growing.
const MARGIN_ULPS_PER_STEP: f64 = 8.0;

/// The numbers of ascent steps after which the minimax gradient is checked.
const CHECKED_STEPS: [usize; 4] = [1, 10, 1000, LOGISTIC_STEPS];

/// `|x - y|` in identity-tolerance units.
fn identity_units(x: f64, y: f64) -> f64 {
    (x - y).abs() / (tol::IDENTITY_ABS + tol::IDENTITY_REL * x.abs().max(y.abs()))
}

/// `E f` under a segment by Simpson's rule on its three points (exact for
/// polynomials of degree 3, so for every quadratic loss here).
fn simpson(s: &Segment, f: impl Fn(f64) -> f64) -> f64 {
    let (c, h) = (s.centre(), s.half_width());
    if h == 0.0 {
        f(c)
    } else {
        (f(c - h) + 4.0 * f(c) + f(c + h)) / 6.0
    }
}

pub(crate) fn f7(_: &Context) -> Result<Vec<Measurement>> {
    // 1. The logistic fit to point masses.
    let (mut offset_off, mut margin_off, mut fd_off) = (0.0f64, 0.0f64, 0.0f64);
    let mut closed_form_off = 0.0f64;
    let (mut budget_off, mut scaled) = (0.0f64, Vec::new());
    for delta in LOGISTIC_SEPARATIONS {
        let fit = logistic_fit(delta)?;
        let (_, generated) = pair(0.0, delta, 0.0)?;
        let kappa = LOGISTIC_STEP * delta * delta / 2.0;
        let mut m = 0.0f64;
        let mut margins = Vec::with_capacity(fit.len());
        for (t, d) in fit.iter().enumerate() {
            margins.push(m);
            offset_off = offset_off.max(d.offset().abs());
            let library_margin = d.scale() * delta / 2.0;
            let allowance = MARGIN_ULPS_PER_STEP * EPS * (t as f64 + 1.0) * (m + kappa + 1.0);
            margin_off = margin_off.max((library_margin - m).abs() / allowance);
            m += kappa * sigmoid(-m);
        }
        for t in CHECKED_STEPS {
            let d = fit[t];
            let g = d.saturating_gradient(&generated);
            let loss = |theta: f64| -softplus(d.logit(theta));
            let x = generated.centre();
            let numeric = (loss(x + FD_STEP) - loss(x - FD_STEP)) / (2.0 * FD_STEP);
            fd_off = fd_off.max((g - numeric).abs() / (FD_REL * g.abs()));
            // The closed form from the one-dimensional recursion alone.
            let m = margins[t];
            let closed = -(2.0 * m / delta) * sigmoid(-m);
            closed_form_off =
                closed_form_off.max((numeric - closed).abs() / (FD_REL * closed.abs()));
        }
        // After the budget: |g_T| = (2/Delta) ln(y - 1) / y with y = 1 + e^m in
        // the escape interval.
        let last = fit[LOGISTIC_STEPS];
        let g = last.saturating_gradient(&generated).abs();
        let (low, high) = escape_interval(kappa, 1.0, LOGISTIC_STEPS)?;
        let (g_low, g_high) = (
            2.0 / delta * (low - 1.0).ln() / high,
            2.0 / delta * (high - 1.0).ln() / low,
        );
        budget_off = budget_off.max(((g_low - g) / g_low).max((g - g_high) / g_high));
        scaled.push(delta * g);
    }

    // 2. LSGAN: the least-squares affine fit and its generator gradient.
    let labels = LsganLabels::binary_labels();
    let (mut normal_off, mut closed_off, mut fd_ls_off, mut point_off) =
        (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut ls_scaled = Vec::new();
    for h in HALF_WIDTHS {
        for delta in LSGAN_SEPARATIONS {
            let (data, generated) = pair(LSGAN_CENTRE, delta, h)?;
            let fit = least_squares_fit(&labels, &data, &generated)?;
            // Normal equations by Simpson's rule: E_M[(D - y)] = E_M[(D - y) x] = 0.
            let residual = |s: &Segment, y: f64, weight_x: bool| {
                simpson(s, |x| {
                    (fit.value_at(x) - y) * if weight_x { x } else { 1.0 }
                })
            };
            for weight_x in [false, true] {
                let r = 0.5 * residual(&data, labels.b(), weight_x)
                    + 0.5 * residual(&generated, labels.a(), weight_x);
                let scale = LSGAN_CENTRE.abs() + 0.5 * delta + h;
                normal_off =
                    normal_off.max(r.abs() / (tol::IDENTITY_ABS + tol::IDENTITY_REL * scale));
            }
            let g = fit.generator_gradient(&labels, &generated);
            // Closed form (F7 proof, step 4): w = Delta / (Delta^2 + 4 h^2 / 3), g = -w (1/2 + w Delta / 2).
            let w = delta / (delta * delta + 4.0 * h * h / 3.0);
            let predicted = -w * (0.5 + w * delta / 2.0);
            closed_off = closed_off.max(identity_units(g, predicted));
            // Central difference of the generator's loss by Simpson's rule
            // (a quadratic in theta: the difference is exact up to rounding).
            let loss = |shift: f64| -> Result<f64> {
                let moved = generated.moved(shift)?;
                Ok(simpson(&moved, |x| {
                    0.5 * (fit.value_at(x) - labels.c()).powi(2)
                }))
            };
            let step = 1e-3;
            let numeric = (loss(step)? - loss(-step)?) / (2.0 * step);
            fd_ls_off = fd_ls_off.max((g - numeric).abs() / (1e3 * EPS / step));
            if h == 0.0 {
                point_off = point_off.max(identity_units(delta * g, -1.0));
            }
            ls_scaled.push(delta * g.abs());
        }
    }

    // 3. The unrestricted optimum on a grid: JSD and LSGAN's T against the shift.
    let n = 2 * GRID_HALF + 1;
    let mut grid_off = 0.0f64;
    for shift in 0..=3 * n {
        let (p, q) = grid_pair(shift)?;
        let share = shift.min(n) as f64 / n as f64;
        grid_off = grid_off.max(identity_units(
            divergence::js(&p, &q)?,
            share * std::f64::consts::LN_2,
        ));
        grid_off = grid_off.max(identity_units(lsgan_divergence(&p, &q)?, share));
    }

    let list = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:.3e}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Ok(vec![
        Measurement::within(
            format!(
                "logistic D = sigma(w x + beta) fitted by {LOGISTIC_STEPS} ascent steps ({LOGISTIC_STEP}) to point masses at -Delta/2 (generated) and +Delta/2 (data), Delta in {LOGISTIC_SEPARATIONS:?}: max |beta_t| (the fit stays symmetric)"
            ),
            offset_off,
            0.0,
            0.0,
        ),
        Measurement::at_most(
            "same fits: max |w_t Delta/2 - m_t| against the recursion m <- m + (eta Delta^2/2) sigma(-m), in rounding units",
            margin_off,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "same fits after {CHECKED_STEPS:?} steps: max |minimax gradient (library, D held fixed) - central difference of ln(1 - D(theta))| in units of 1e-6 of the gradient"
            ),
            fd_off,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "same fits after {CHECKED_STEPS:?} steps: max |central difference of ln(1 - D(theta)) - (-(2m/Delta) sigma(-m))|, m from the recursion (the logit margin at the generated point: exponentially small in m), in units of 1e-6 of it"
            ),
            closed_form_off,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "after {LOGISTIC_STEPS} steps: largest relative excursion of |minimax gradient| outside [(2/Delta) ln(L - 1)/U, (2/Delta) ln(U - 1)/L], [L, U] the proven interval of 1 + e^m (about 4 ln(kappa T)/(Delta kappa T), to 0 as T grows); Delta |g| = {}",
                list(&scaled)
            ),
            budget_off,
            0.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "LSGAN (labels a = 0, b = c = 1), affine D fitted by least squares to laws centred at {LSGAN_CENTRE} +- Delta/2, half-widths {HALF_WIDTHS:?}, Delta in {LSGAN_SEPARATIONS:?}: max residual of the normal equations by Simpson's rule, in identity-tolerance units"
            ),
            normal_off,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            "same fits: max |generator gradient - (-w (1/2 + w Delta/2))|, w = Delta/(Delta^2 + 4h^2/3), in identity-tolerance units",
            closed_off,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            "same fits: max |generator gradient - central difference of ½ E (D - 1)^2| in units of 1e3 EPS / h (rounding of an exact difference of a quadratic)",
            fd_ls_off,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "point masses: max |Delta g + 1| in identity-tolerance units (the gradient is exactly -1/Delta, for every Delta; Delta |g| = {})",
                list(&ls_scaled)
            ),
            point_off,
            1.0,
            0.0,
        ),
        Measurement::at_most(
            format!(
                "unrestricted D*: uniform laws on {n} grid points shifted by s = 0 .. {}: max deviation of JSD from min(s, n)/n ln 2 and of LSGAN's T = ½ chi2(2 p_g || p_data + p_g) from min(s, n)/n, in identity-tolerance units (both flat once the supports are disjoint)",
                3 * n
            ),
            grid_off,
            1.0,
            0.0,
        ),
    ])
}
