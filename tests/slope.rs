//! Claim F7: the generator's gradient as the two laws move apart, against a
//! logistic discriminator fitted towards its optimum (vanishes) and against
//! LSGAN's least-squares affine one (1/separation); at the unrestricted
//! optimum both criteria are flat on disjoint supports.

mod common;

use gan_theory::tol;
use gan_theory::variants::affine::{Affine, Logistic, Segment, least_squares_fit, logistic_ascent};
use gan_theory::variants::lsgan::{LsganLabels, lsgan_divergence};
use gan_theory::{Discrete, divergence};
use proptest::prelude::*;

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `E f` under a segment by Simpson's rule (exact for cubics).
fn simpson(s: &Segment, f: impl Fn(f64) -> f64) -> f64 {
    let (c, h) = (s.centre(), s.half_width());
    (f(c - h) + 4.0 * f(c) + f(c + h)) / 6.0
}

proptest! {
    #![proptest_config(common::config(256))]

    /// The least-squares fit solves the normal equations (by Simpson's rule)
    /// and no nearby affine D has a smaller loss.
    #[test]
    fn f7_least_squares_fit_solves_the_normal_equations(
        cd in -5.0f64..5.0, cg in -5.0f64..5.0, hd in 0.0f64..2.0, hg in 0.0f64..2.0,
        a in -2.0f64..2.0, b in -2.0f64..2.0, dw in -0.1f64..0.1, db in -0.1f64..0.1
    ) {
        prop_assume!((a - b).abs() > 0.1 && ((cd - cg).abs() > 0.01 || hd + hg > 0.01));
        let labels = LsganLabels::new(a, b, 0.0).unwrap();
        let (data, fake) = (Segment::new(cd, hd).unwrap(), Segment::new(cg, hg).unwrap());
        let fit = least_squares_fit(&labels, &data, &fake).unwrap();
        for weight in [false, true] {
            let r = 0.5 * simpson(&data, |x| (fit.value_at(x) - b) * if weight { x } else { 1.0 })
                + 0.5 * simpson(&fake, |x| (fit.value_at(x) - a) * if weight { x } else { 1.0 });
            prop_assert!(r.abs() < 1e-11, "{r}");
        }
        let moved = Affine::new(fit.slope() + dw, fit.intercept() + db).unwrap();
        prop_assert!(moved.discriminator_loss(&labels, &data, &fake)
            >= fit.discriminator_loss(&labels, &data, &fake) - 1e-14);
    }

    /// The generator gradients with D held fixed: on a segment the minimax
    /// one is the mean of the point-mass gradients -w sigma(w x + beta)
    /// (composite Simpson, 2000 panels: error below 1e-11 here), and
    /// LSGAN's is the derivative of its loss (central difference of a
    /// quadratic, exact up to rounding).
    #[test]
    fn f7_generator_gradients_are_the_derivatives_of_the_losses(
        w in -5.0f64..5.0, beta in -3.0f64..3.0, c in -3.0f64..3.0, h in 0.0f64..1.5
    ) {
        let fake = Segment::new(c, h).unwrap();
        let d = Logistic::new(w, beta).unwrap();
        let pointwise = |x: f64| -w * logistic(w * x + beta);
        let mean = if h == 0.0 {
            pointwise(c)
        } else {
            let n = 2000;
            let (lo, step) = (c - h, 2.0 * h / n as f64);
            let mut total = pointwise(lo) + pointwise(c + h);
            for k in 1..n {
                total += pointwise(lo + k as f64 * step) * if k % 2 == 1 { 4.0 } else { 2.0 };
            }
            total * step / 3.0 / (2.0 * h)
        };
        prop_assert!((d.saturating_gradient(&fake) - mean).abs() < 1e-10 * (1.0 + mean.abs()),
            "{} vs {mean}", d.saturating_gradient(&fake));
        prop_assert!((d.non_saturating_gradient(&fake) - (-w - mean)).abs() < 1e-10 * (1.0 + w.abs()));
        let labels = LsganLabels::binary_labels();
        let affine = Affine::new(w, beta).unwrap();
        let loss = |shift: f64| simpson(&fake.moved(shift).unwrap(), |x| 0.5 * (affine.value_at(x) - 1.0).powi(2));
        let numeric = (loss(1e-3) - loss(-1e-3)) / 2e-3;
        prop_assert!((affine.generator_gradient(&labels, &fake) - numeric).abs() < 1e-9 * (1.0 + numeric.abs()));
    }
}

/// The logistic fit to two point masses stays symmetric, its margin grows
/// without bound, the minimax gradient vanishes (exponentially in the
/// margin) while the non-saturating one grows.
#[test]
fn f7_logistic_fit_runs_to_the_perfect_discriminator_and_the_minimax_gradient_vanishes() {
    for delta in [0.5, 1.0, 3.0, 6.0] {
        let (data, fake) = (
            Segment::point(delta / 2.0).unwrap(),
            Segment::point(-delta / 2.0).unwrap(),
        );
        let fit = logistic_ascent(&data, &fake, 0.1, 20_000).unwrap();
        let mut previous = f64::INFINITY;
        for t in [100, 1000, 10_000, 20_000] {
            let d = fit[t];
            assert_eq!(d.offset(), 0.0);
            let m = d.scale() * delta / 2.0;
            let g = d.saturating_gradient(&fake);
            assert!(tol::close_with(
                g,
                -(2.0 * m / delta) * logistic(-m),
                1e-12,
                0.0
            ));
            assert!(g.abs() <= (2.0 * m / delta) * (-m).exp());
            // m sigma(-m) falls once m passes its maximum near m = 1.28.
            if m > 1.3 {
                assert!(g.abs() < previous, "{delta}, {t}");
                previous = g.abs();
            }
            assert!(d.non_saturating_gradient(&fake).abs() > 2.0 * m / delta * 0.5);
        }
        assert!(
            fit[20_000].value(&data, &fake).unwrap() > fit[10_000].value(&data, &fake).unwrap()
        );
        assert!(fit[20_000].value(&data, &fake).unwrap() < 0.0);
    }
    assert!(
        logistic_ascent(
            &Segment::new(1.0, 0.5).unwrap(),
            &Segment::point(0.0).unwrap(),
            0.1,
            1
        )
        .is_err()
    );
}

/// Relative tolerance against the 50-digit references below: `sigma(l)`
/// takes an `exp` (within 1 ulp), an addition and a division, the
/// non-saturating gradient then `1 - sigma` (no cancellation: `sigma < 0.1`
/// there) and a product by `w`; the logits themselves are exact (small
/// integers and halves). At most 6 roundings of relative size `EPS / 2`
/// each, with a 1 ulp `exp`: 8 ulps allowed.
const LOGISTIC_REL: f64 = 8.0 * tol::EPS;

/// The logistic discriminator's parts against independent references
/// (Python's `decimal` at 50 digits, `1 / (1 + exp(-l))`): the parameters
/// read back as given, `D(x) = sigma(w x + beta)` at logits -4, -1/2 and 5,
/// `D = 1/2` everywhere at the ascent's start `w = beta = 0`, and the
/// non-saturating gradient on a point mass, `-w (1 - sigma(w c + beta))`,
/// with `w`, `c` and `beta` all away from 0 and 1 so that the point mass's
/// closed form is checked on its own (the segment one is checked above).
#[test]
fn f7_logistic_probability_offset_and_point_mass_gradient_match_references() {
    let d = Logistic::new(2.0, -1.0).unwrap();
    assert_eq!((d.scale(), d.offset()), (2.0, -1.0));
    for (x, reference) in [
        (-1.5, 0.017_986_209_962_091_56),
        (0.25, 0.377_540_668_798_145_46),
        (3.0, 0.993_307_149_075_715_2),
    ] {
        let p = d.probability(x);
        assert!(tol::close_with(p, reference, LOGISTIC_REL, 0.0), "{x}: {p}");
    }
    let start = logistic_ascent(
        &Segment::point(1.0).unwrap(),
        &Segment::point(-2.0).unwrap(),
        0.1,
        0,
    )
    .unwrap()[0];
    for x in [-3.0, 0.0, 7.5] {
        assert_eq!(start.probability(x), 0.5);
    }
    // w = 1.5, beta = 0.5 at the point -2: logit -2.5,
    // -1.5 (1 - sigma(-2.5)) = -1.386212729968134... .
    let g = Logistic::new(1.5, 0.5)
        .unwrap()
        .non_saturating_gradient(&Segment::point(-2.0).unwrap());
    assert!(
        tol::close_with(g, -1.386_212_729_968_134_6, LOGISTIC_REL, 0.0),
        "{g}"
    );
}

/// Relative tolerance for the second ascent iterate against its 60-digit
/// reference: the logits `3.75` and `-2.5` of the first iterate are exact,
/// each `sigma` is within 2 ulps (an `exp` within 1 ulp, then a sum and a
/// quotient), and the update adds a product and a sum (the scale: positive
/// terms, no cancellation) or a difference of the two `sigma`s whose
/// condition number is `(s_1 + s_2) / |s_1 - s_2| < 2` (the offset): below
/// 6 ulps either way, 8 allowed.
const ASCENT_REL: f64 = 8.0 * tol::EPS;

/// Gradient ascent on `V` from `w = beta = 0` for the asymmetric pair of
/// point masses `x = 3` (data), `y = -2` (generated) with step 1/2: the first
/// step is exact (`D = 1/2` at both points, so `dV/dw = (x - y) / 2` and
/// `dV/dbeta = 0`: `w = 1.25`, `beta = 0`), the second matches the
/// recursion `w += step (x sigma(-l_x) - y sigma(l_y))`,
/// `beta += step (sigma(-l_x) - sigma(l_y))` run in Python's `decimal` at
/// 60 digits (where `beta` leaves 0, unlike on the symmetric pairs above).
/// A step that is 0, negative or not finite is refused, as documented.
#[test]
fn f7_logistic_ascent_steps_match_a_high_precision_recursion() {
    let (data, fake) = (Segment::point(3.0).unwrap(), Segment::point(-2.0).unwrap());
    let fit = logistic_ascent(&data, &fake, 0.5, 2).unwrap();
    assert_eq!(fit.len(), 3);
    assert_eq!((fit[0].scale(), fit[0].offset()), (0.0, 0.0));
    assert_eq!((fit[1].scale(), fit[1].offset()), (1.25, 0.0));
    let (w, beta) = (fit[2].scale(), fit[2].offset());
    assert!(
        tol::close_with(w, 1.360_324_234_886_282, ASCENT_REL, 0.0),
        "{w}"
    );
    assert!(
        tol::close_with(beta, -0.026_440_405_055_608_97, ASCENT_REL, 0.0),
        "{beta}"
    );
    for step in [0.0, -0.5, f64::INFINITY, f64::NAN] {
        assert!(logistic_ascent(&data, &fake, step, 1).is_err(), "{step}");
    }
}

/// Relative tolerance for LSGAN's affine losses and fit against exact
/// rationals: each is a handful (at most 8) of roundings of numbers below
/// 10 with no cancellation beyond a factor 2 (the fit's intercept
/// `3/4 - 45/118`): 8 ulps.
const AFFINE_REL: f64 = 8.0 * tol::EPS;

/// LSGAN's affine discriminator on two segments, data uniform on `[1, 3]`
/// and generated on `[-1.5, -0.5]`, labels `a = -1/2`, `b = 2`, `c = 3/4`,
/// against exact rationals from Python's `fractions`, computed
/// independently of the closed forms here: the losses through the
/// antiderivative `(w x + k)^3 / (3 w)` of each square, the fit by solving
/// the 2 x 2 normal equations of the mixture's moments. For
/// `D = 1.5 x + 0.25`: discriminator loss 49/32, generator loss 67/32; the
/// least-squares fit is `D = 45/59 x + 87/236`. The parameters read back as
/// given.
#[test]
fn f7_affine_losses_and_fit_match_exact_rationals() {
    let labels = LsganLabels::new(-0.5, 2.0, 0.75).unwrap();
    let (data, fake) = (
        Segment::new(2.0, 1.0).unwrap(),
        Segment::new(-1.0, 0.5).unwrap(),
    );
    let d = Affine::new(1.5, 0.25).unwrap();
    assert_eq!((d.slope(), d.intercept()), (1.5, 0.25));
    let loss = d.discriminator_loss(&labels, &data, &fake);
    assert!(
        tol::close_with(loss, 49.0 / 32.0, AFFINE_REL, 0.0),
        "{loss}"
    );
    let loss = d.generator_loss(&labels, &fake);
    assert!(
        tol::close_with(loss, 67.0 / 32.0, AFFINE_REL, 0.0),
        "{loss}"
    );
    let fit = least_squares_fit(&labels, &data, &fake).unwrap();
    assert!(
        tol::close_with(fit.slope(), 45.0 / 59.0, AFFINE_REL, 0.0),
        "{}",
        fit.slope()
    );
    assert!(
        tol::close_with(fit.intercept(), 87.0 / 236.0, AFFINE_REL, 0.0),
        "{}",
        fit.intercept()
    );
}

/// LSGAN's fitted affine D gives exactly -1/Delta on point masses, and
/// -w (1/2 + w Delta / 2), w = Delta / (Delta^2 + 4 h^2 / 3), on segments,
/// wherever the pair sits.
#[test]
fn f7_lsgan_gradient_decays_like_one_over_separation() {
    let labels = LsganLabels::binary_labels();
    for centre in [-3.0, 0.0, 2.5] {
        for h in [0.0, 0.25, 1.0] {
            for delta in [0.5, 2.0, 8.0, 64.0, 1024.0] {
                let data = Segment::new(centre + delta / 2.0, h).unwrap();
                let fake = Segment::new(centre - delta / 2.0, h).unwrap();
                let fit = least_squares_fit(&labels, &data, &fake).unwrap();
                let g = fit.generator_gradient(&labels, &fake);
                let w = delta / (delta * delta + 4.0 * h * h / 3.0);
                assert!(
                    tol::close_with(g, -w * (0.5 + w * delta / 2.0), 1e-12, 1e-15),
                    "{g}"
                );
                if h == 0.0 {
                    assert!(tol::close_with(delta * g, -1.0, 1e-12, 0.0));
                }
            }
        }
    }
    let p = Segment::point(1.0).unwrap();
    assert!(least_squares_fit(&labels, &p, &p).is_err());
}

/// At the unrestricted optimum: JSD and LSGAN's T grow linearly with the
/// shift while the uniform laws overlap and are constant (ln 2 and 1) once
/// they do not.
#[test]
fn f7_unrestricted_optimum_is_flat_on_disjoint_supports() {
    let n = 9;
    for shift in 0..=3 * n {
        let len = shift + n;
        let data: Vec<f64> = (0..len).map(|i| f64::from(u8::from(i >= shift))).collect();
        let fake: Vec<f64> = (0..len).map(|i| f64::from(u8::from(i < n))).collect();
        let (p, q) = (
            Discrete::from_weights(&data).unwrap(),
            Discrete::from_weights(&fake).unwrap(),
        );
        let share = shift.min(n) as f64 / n as f64;
        assert!(tol::close(
            divergence::js(&p, &q).unwrap(),
            share * std::f64::consts::LN_2
        ));
        assert!(tol::close(lsgan_divergence(&p, &q).unwrap(), share));
    }
}
