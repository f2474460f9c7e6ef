//! Claim D5: the f-GAN table (Nowozin et al. 2016), the variational bound and
//! the GAN's row.

mod common;

use gan_theory::game::sigmoid;
use gan_theory::tol;
use gan_theory::variants::fgan::{Domain, FDivergence};
use gan_theory::{Discrete, Discriminator, Error, divergence, game};
use proptest::prelude::*;
use std::f64::consts::LN_2;

/// Relative tolerance of the Fenchel equality, relative to
/// `abs(u f'(u)) + abs(f(u)) + 1`: each side is a few elementary operations
/// on values of at most that size (an ulp or two each), and `f*` at the
/// rounded `f'(u)` moves by `EPS abs(f'(u)) u`, again a few ulps of the
/// scale; 64 ulps leaves an order of magnitude. A wrong conjugate is off by
/// O(1) of the scale.
const FENCHEL_REL: f64 = 64.0 * tol::EPS;

/// Reference values are given to 19+ digits; the library's value goes
/// through a handful of logs and a compensated sum: a few ulps of values of
/// order 1.
const REFERENCE_REL: f64 = 8.0 * tol::EPS;

/// Central differences with step `h u` have truncation error about
/// `(h u)^2 abs(f''') / 6` and rounding error `EPS abs(f) / (h u)`; for
/// u in [0.05, 20] and h = 1e-6 both stay below 1e-7 relative to the slope's
/// scale `1 + abs(f'(u)) + abs(f(u)) / u`.
const FD_STEP: f64 = 1e-6;
const FD_REL: f64 = 1e-7;

/// `sup_u (t u - f(u))` on a log grid of 20 001 ratios in `[1e-4, 1e4]`
/// misses the supremum by `f''(u*) (du)^2 / 2` with `du = u* (10^(4e-4) - 1)`,
/// about `1e-6 u*^2 f''(u*)`; for the t used here (maximisers u* in [0.1, 10])
/// that is below 1e-4. A wrong conjugate is off by O(1).
const GRID_SUP_TOL: f64 = 1e-4;

/// One elementary evaluation (a log, an exp, a quotient) checked against its
/// leading term where the neglected terms are far below an ulp: a couple of
/// ulps of rounding, four allowed.
const FEW_ULPS: f64 = 4.0 * tol::EPS;

/// A value of size ln(1e300) = 691 rounded to a few ulps: 691 x 4 EPS = 6e-13.
const LOG_SCALE_ROUNDING: f64 = 1e-12;

/// `a e^(-v)` for a tiny mass `a` is evaluated as `e^(ln a - v)`: the
/// exponent, about 110 here, carries the rounding of `ln a` and of the
/// subtraction (a few ulps of 800), which `exp` turns into a relative error
/// of about 800 x 4 EPS = 7e-13; 1e-12 covers it.
const LOG_SCALE_EXP_REL: f64 = 1e-12;

/// `f*(g_f(v))` composed in `f64` loses up to `EPS / (distance of g_f(v) to
/// the domain's end)`; for `abs(v) <= 5` that distance is at least `e^-5`,
/// so the composition is within `150 x` a few ulps of the closed form.
const COMPOSITION_REL: f64 = 1e-12;

fn relative_gap(a: f64, b: f64) -> f64 {
    if a.is_infinite() || b.is_infinite() {
        return if a == b { 0.0 } else { f64::INFINITY };
    }
    (a - b).abs() / (1.0 + a.abs().max(b.abs()))
}

fn named(row: FDivergence, p: &Discrete, q: &Discrete) -> f64 {
    match row {
        FDivergence::KullbackLeibler => divergence::kl(p, q).unwrap(),
        FDivergence::ReverseKl => divergence::kl(q, p).unwrap(),
        FDivergence::Pearson => divergence::chi2(p, q).unwrap(),
        FDivergence::Neyman => divergence::chi2(q, p).unwrap(),
        FDivergence::SquaredHellinger => 2.0 * divergence::hellinger2(p, q).unwrap(),
        FDivergence::JensenShannon => 2.0 * divergence::js(p, q).unwrap(),
        FDivergence::Gan => 2.0 * divergence::js(p, q).unwrap() - 4f64.ln(),
        FDivergence::TotalVariation => divergence::total_variation(p, q).unwrap(),
    }
}

#[test]
fn d5_f_of_one_is_zero_except_for_the_gan() {
    for row in FDivergence::ALL {
        let expected = if row == FDivergence::Gan {
            -(4f64.ln())
        } else {
            0.0
        };
        assert!(
            (row.f(1.0) - expected).abs() <= tol::IDENTITY_ABS,
            "{}: f(1) = {}",
            row.name(),
            row.f(1.0)
        );
        // D_f(P || P) = f(1) for every P.
        let p = Discrete::new(vec![0.25, 0.0, 0.75]).unwrap();
        assert!((row.divergence(&p, &p).unwrap() - expected).abs() <= tol::IDENTITY_ABS);
    }
}

/// p = (0.2, 0.8), q = (0.6, 0.4): every row's D_f to 20 digits (computed
/// with 40-digit decimal arithmetic from the closed forms in the module table).
#[test]
fn d5_reference_divergences() {
    let p = Discrete::new(vec![0.2, 0.8]).unwrap();
    let q = Discrete::new(vec![0.6, 0.4]).unwrap();
    let references = [
        (FDivergence::KullbackLeibler, 0.334_795_286_714_334_309_25),
        (FDivergence::ReverseKl, 0.381_908_500_976_887_691_07),
        (FDivergence::Pearson, 0.666_666_666_666_666_666_67),
        (FDivergence::Neyman, 1.0),
        (FDivergence::SquaredHellinger, 0.175_808_827_073_973_043_55),
        (FDivergence::JensenShannon, 0.172_609_243_471_068_556_46),
        (FDivergence::Gan, -1.213_685_117_648_822_062_37),
        (FDivergence::TotalVariation, 0.4),
    ];
    for (row, expected) in references {
        let d = row.divergence(&p, &q).unwrap();
        assert!(
            (d - expected).abs() <= REFERENCE_REL * expected.abs(),
            "{}: {d} against {expected}",
            row.name()
        );
    }
}

/// Single values of f and f* to 20 digits.
#[test]
fn d5_reference_values_of_f_and_conjugates() {
    let cases = [
        (
            FDivergence::JensenShannon.f(3.0),
            0.523_248_143_764_547_836_52,
        ),
        (FDivergence::Gan.f(3.0), -2.249_340_578_475_233_401_15),
        (
            FDivergence::JensenShannon.conjugate(0.5),
            1.046_175_270_077_873_495_96,
        ),
        (
            FDivergence::Gan.conjugate(-1.0),
            0.458_675_145_387_081_891_02,
        ),
        (
            FDivergence::KullbackLeibler.conjugate(2.0),
            std::f64::consts::E,
        ),
        (
            FDivergence::ReverseKl.conjugate(-0.25),
            0.386_294_361_119_890_618_83,
        ),
        (FDivergence::SquaredHellinger.conjugate(0.5), 1.0),
        (FDivergence::Neyman.conjugate(0.75), 1.0),
        (FDivergence::Pearson.conjugate(2.0), 3.0),
        (FDivergence::TotalVariation.conjugate(-0.5), -0.5),
        // At t = LN_2 (the f64 just below ln 2) the JS conjugate is finite:
        // -ln(2 - e^t) with 2 - e^t = 4.6e-17.
        (
            FDivergence::JensenShannon.conjugate(LN_2),
            37.609_643_155_185_838_426,
        ),
    ];
    for (i, (got, expected)) in cases.into_iter().enumerate() {
        assert!(
            (got - expected).abs() <= REFERENCE_REL * expected.abs(),
            "case {i}: {got} against {expected}"
        );
    }
}

/// The JS conjugate `-ln(2 - e^t)` is about `t` near 0; formed as
/// `-ln 2 + (ln 2 - ...)` it lost all relative accuracy there (0 at
/// t = -1e-20). References to 25 digits (mpmath, 400 digits, with the f64
/// value of each t), on both sides of the switch at t = 0.4.
#[test]
fn d5_js_conjugate_keeps_relative_accuracy_near_zero() {
    let js = FDivergence::JensenShannon;
    let references = [
        (-1e-20, -9.999_999_999_999_999_451_432_715e-21),
        (1e-10, 1.000_000_000_100_000_036_442_197e-10),
        (-1e-300, -1.000_000_000_000_000_025_059_092e-300),
        (-5e-324, -4.940_656_458_412_465_441_765_688e-324),
        (0.3, 0.430_565_720_567_268_688_743_270_4),
        (-0.3, -0.230_462_128_530_472_665_979_403_4),
        (0.4, 0.676_928_807_547_905_545_337_636_4),
        (0.41, 0.706_876_568_992_703_333_996_993_2),
    ];
    for (t, expected) in references {
        let got = js.conjugate(t);
        assert!(
            (got - expected).abs() <= REFERENCE_REL * expected.abs(),
            "f*({t}) = {got}, expected {expected}"
        );
    }
}

#[test]
fn d5_conjugates_are_infinite_outside_their_domains() {
    let outside = [
        (FDivergence::ReverseKl, 0.0),
        (FDivergence::ReverseKl, 1.0),
        (FDivergence::Neyman, 1.0 + 1e-15),
        (FDivergence::SquaredHellinger, 1.0),
        (FDivergence::JensenShannon, 0.7),
        (FDivergence::Gan, 0.0),
        (FDivergence::TotalVariation, 0.5000001),
        (FDivergence::TotalVariation, -0.5000001),
        (FDivergence::KullbackLeibler, f64::INFINITY),
    ];
    for (row, t) in outside {
        assert_eq!(row.conjugate(t), f64::INFINITY, "{} at {t}", row.name());
        assert!(!row.in_conjugate_domain(t));
    }
    // Neyman's right end is included: the supremum 2 is approached as u -> inf.
    assert_eq!(FDivergence::Neyman.conjugate(1.0), 2.0);
    // The JS domain ends at the true ln 2, above the f64 LN_2.
    assert!(FDivergence::JensenShannon.in_conjugate_domain(LN_2));
    assert!(!FDivergence::JensenShannon.in_conjugate_domain(LN_2 + f64::EPSILON));
}

/// Subnormal, tiny, huge and infinite arguments: no NaN anywhere, and the
/// values that are known in closed form come out right.
#[test]
fn d5_extreme_arguments_never_give_nan() {
    let us = [
        0.0,
        5e-324,
        1e-310,
        1e-300,
        1e-20,
        1.0,
        1e20,
        1e300,
        f64::MAX,
        f64::INFINITY,
    ];
    let ts = [
        f64::NEG_INFINITY,
        -f64::MAX,
        -1e300,
        -745.0,
        -40.0,
        -1e-300,
        -5e-324,
        0.0,
        5e-324,
        0.5,
        LN_2,
        1.0,
        700.0,
        1e300,
        f64::INFINITY,
    ];
    for row in FDivergence::ALL {
        for &u in &us {
            assert!(!row.f(u).is_nan(), "{} f({u})", row.name());
            assert!(!row.derivative(u).is_nan(), "{} f'({u})", row.name());
        }
        for &t in &ts {
            assert!(!row.conjugate(t).is_nan(), "{} f*({t})", row.name());
            if t.is_finite() {
                assert!(!row.activation(t).is_nan(), "{} g({t})", row.name());
                assert!(
                    !row.activated_conjugate(t).is_nan(),
                    "{} f*(g({t}))",
                    row.name()
                );
            }
        }
        assert_eq!(row.f(-1.0), f64::INFINITY);
        assert!(row.f(f64::NAN).is_nan() && row.conjugate(f64::NAN).is_nan());
    }
    // Closed forms at the extremes.
    let kl = FDivergence::KullbackLeibler;
    assert_eq!(kl.conjugate(1e6), f64::INFINITY); // e^(t-1) overflows to inf, not NaN
    assert_eq!(kl.conjugate(f64::NEG_INFINITY), 0.0);
    assert_eq!(kl.f(5e-324), 5e-324 * 5e-324f64.ln());
    assert!((kl.f(1e300) / (1e300 * 1e300f64.ln()) - 1.0).abs() < FEW_ULPS);
    // Neyman's f for huge u is about u, where (1 - u)^2 would overflow.
    assert!((FDivergence::Neyman.f(1e300) / 1e300 - 1.0).abs() < FEW_ULPS);
    // GAN and JS conjugates for very negative t: -ln(1 - e^t) ~ e^t.
    let t = -700.0f64;
    assert!((FDivergence::Gan.conjugate(t) / t.exp() - 1.0).abs() < FEW_ULPS);
    assert!((FDivergence::JensenShannon.conjugate(t) + LN_2 - t.exp() / 2.0).abs() < 1e-300);
    // JS and GAN f for subnormal and huge u keep their leading terms.
    assert!((FDivergence::JensenShannon.f(5e-324) - LN_2).abs() < FEW_ULPS);
    let u = 1e300f64;
    let expected = (u + 1.0) * LN_2 - 1.0 - u.ln(); // f_JS(u) = (u+1) ln 2 - 1 - ln u + O(1/u)
    assert!((FDivergence::JensenShannon.f(u) / expected - 1.0).abs() < FEW_ULPS);
    assert!((FDivergence::Gan.f(u) - (-1.0 - u.ln())).abs() < LOG_SCALE_ROUNDING);
    // Slopes at infinity.
    assert_eq!(FDivergence::Gan.derivative(f64::INFINITY), 0.0);
    assert_eq!(FDivergence::JensenShannon.derivative(f64::INFINITY), LN_2);
    assert_eq!(FDivergence::ReverseKl.derivative(0.0), f64::NEG_INFINITY);
}

/// Subnormal and tiny masses: D_f stays finite where it is, `+inf` only
/// where the true value exceeds `f64::MAX`, and the bound stays tight.
#[test]
fn d5_subnormal_masses() {
    let p = Discrete::new(vec![5e-324, 1.0]).unwrap();
    let q = Discrete::new(vec![0.5, 0.5]).unwrap();
    let tiny = Discrete::new(vec![1e-300, 1.0]).unwrap();
    for (a, b) in [(&p, &q), (&q, &p), (&tiny, &q), (&q, &tiny)] {
        for row in FDivergence::ALL {
            let d = row.divergence(a, b).unwrap();
            assert!(!d.is_nan());
            assert!(
                relative_gap(d, named(row, a, b)) <= tol::IDENTITY_REL,
                "{}: {d} against {}",
                row.name(),
                named(row, a, b)
            );
            let t_star = row.optimal_critic(a, b).unwrap();
            let bound = row.variational_bound(a, b, &t_star).unwrap();
            // Where p and q are both positive but f'(p/q) overflows f64
            // (reverse KL's -q/p = -1e323, Neyman's 1 - (q/p)^2 = -1e646
            // against p = 5e-324) or rounds
            // onto the open end of dom f* (Hellinger's 1 - sqrt(q/p) = 1 -
            // 3e-162), T* is not representable: the bound stays valid but
            // cannot be tight.
            let overflowed = t_star
                .iter()
                .zip(a.as_slice().iter().zip(b.as_slice()))
                .any(|(&t, (&pa, &pb))| {
                    pa > 0.0 && pb > 0.0 && (t.is_infinite() || !row.in_conjugate_domain(t))
                });
            if overflowed {
                // Only the rows whose f' is a power of the ratio (or tends to
                // the domain's end as one) can leave f64: not the logarithmic
                // KL, JS and GAN rows, nor the bounded TV.
                assert!(
                    matches!(
                        row,
                        FDivergence::ReverseKl
                            | FDivergence::Pearson
                            | FDivergence::Neyman
                            | FDivergence::SquaredHellinger
                    ),
                    "{}: T* not representable",
                    row.name()
                );
                assert!(bound <= d, "{}: bound {bound} above {d}", row.name());
                continue;
            }
            assert!(
                relative_gap(bound, d) <= tol::IDENTITY_REL,
                "{}: bound {bound} against {d}",
                row.name()
            );
        }
    }
    // Neyman from q to a subnormal p: (0.5)^2 / 5e-324 exceeds f64::MAX.
    assert_eq!(
        FDivergence::Neyman.divergence(&p, &q).unwrap(),
        f64::INFINITY
    );
    // KL(q || p) = 0.5 ln(0.5 / 5e-324) + 0.5 ln(0.5 / 1), finite.
    let expected = 0.5 * (0.5f64.ln() - 5e-324f64.ln()) + 0.5 * 0.5f64.ln();
    let kl = FDivergence::KullbackLeibler.divergence(&q, &p).unwrap();
    assert!((kl - expected).abs() <= REFERENCE_REL * expected);
}

#[test]
fn d5_total_variation_subgradient_at_one() {
    let tv = FDivergence::TotalVariation;
    assert_eq!(tv.derivative(1.0), 0.0);
    assert_eq!(tv.derivative(1.0 + 1e-15), 0.5);
    assert_eq!(tv.derivative(1.0 - 1e-15), -0.5);
    // Every subgradient s in [-1/2, 1/2] satisfies f*(s) = 1 s - f(1).
    for s in [-0.5, -0.25, 0.0, 0.3, 0.5] {
        assert_eq!(tv.conjugate(s), s - tv.f(1.0));
    }
    // Where p = q, T* = 0.
    let p = Discrete::new(vec![0.5, 0.5]).unwrap();
    assert_eq!(tv.optimal_critic(&p, &p).unwrap(), vec![0.0, 0.0]);
}

#[test]
fn d5_conjugate_is_the_supremum_on_a_grid() {
    const GRID: usize = 20_000;
    let ratios: Vec<f64> = (0..=GRID)
        .map(|k| 10f64.powf(-4.0 + 8.0 * k as f64 / GRID as f64))
        .collect();
    for row in FDivergence::ALL {
        // t = f'(u0) for u0 in [0.1, 10], away from TV's kink.
        for u0 in [0.1, 0.5, 2.0, 10.0] {
            let t = row.derivative(u0);
            let sup = ratios
                .iter()
                .map(|&u| t * u - row.f(u))
                .fold(f64::NEG_INFINITY, f64::max);
            let exact = row.conjugate(t);
            assert!(
                sup <= exact + tol::IDENTITY_ABS * (1.0 + exact.abs()),
                "{}: grid sup {sup} above f*({t}) = {exact}",
                row.name()
            );
            assert!(
                sup >= exact - GRID_SUP_TOL,
                "{}: grid sup {sup} far below f*({t}) = {exact}",
                row.name()
            );
        }
    }
}

#[test]
fn d5_derivative_matches_finite_differences() {
    for row in FDivergence::ALL {
        for u in [0.05, 0.3, 0.7, 1.5, 4.0, 20.0] {
            let h = FD_STEP * u;
            let fd = (row.f(u + h) - row.f(u - h)) / (2.0 * h);
            let d = row.derivative(u);
            let scale = 1.0 + d.abs() + row.f(u).abs() / u;
            assert!(
                (fd - d).abs() <= FD_REL * scale,
                "{} at {u}: {fd} against {d}",
                row.name()
            );
        }
    }
}

#[test]
fn d5_activation_maps_into_the_domain() {
    for row in FDivergence::ALL {
        for k in -300..=300 {
            let v = k as f64 / 10.0;
            let t = row.activation(v);
            assert!(row.in_conjugate_domain(t), "{}: g({v}) = {t}", row.name());
            if v.abs() <= 5.0 {
                let composed = row.conjugate(t);
                let closed = row.activated_conjugate(v);
                assert!(
                    (composed - closed).abs() <= COMPOSITION_REL * (1.0 + closed.abs()),
                    "{} at {v}: {composed} against {closed}",
                    row.name()
                );
            }
        }
        // Far out the closed form stays finite, except where the true value
        // (e^799 for KL, e^800 - 1 for Hellinger) exceeds f64::MAX.
        let far = row.activated_conjugate(800.0);
        match row {
            FDivergence::KullbackLeibler | FDivergence::SquaredHellinger => {
                assert_eq!(far, f64::INFINITY)
            }
            _ => assert!(far.is_finite(), "{}: {far}", row.name()),
        }
        assert!(row.activated_conjugate(-800.0).is_finite());
    }
    // Reverse KL: -e^(-v) rounds to -0 for v > 745, outside t < 0; the closed form does not care.
    assert_eq!(FDivergence::ReverseKl.activation(800.0), -0.0);
    assert_eq!(FDivergence::ReverseKl.activated_conjugate(800.0), 799.0);
}

/// Raw outputs far below 0 are finite critics, but reverse KL's `-e^(-v)`
/// and Neyman's and Hellinger's `1 - e^(-v)` overflow for `v < -709.78`,
/// and Neyman's `f*(g(v)) = 2 - 2 e^(-v/2)` for `v < -1419.6`: the bound
/// must never be NaN (Neyman's `p (-inf) - q (-inf)`), must stay below
/// `D_f`, and must be finite where its true value is (a tiny mass times
/// `e^800`).
#[test]
fn d5_activated_bound_with_very_negative_outputs_is_never_nan() {
    let p = Discrete::new(vec![0.5, 0.5]).unwrap();
    let q = Discrete::new(vec![0.25, 0.75]).unwrap();
    for row in FDivergence::ALL {
        let d = row.divergence(&p, &q).unwrap();
        for v0 in [-710.0, -800.0, -1430.0, -1500.0, -1e300, -f64::MAX] {
            let bound = row.activated_bound(&p, &q, &[v0, 0.0]).unwrap();
            assert!(!bound.is_nan(), "{} at v = {v0}: NaN", row.name());
            assert!(bound <= d, "{} at v = {v0}: {bound} above {d}", row.name());
        }
    }
    // p = (1e-300, 1), q = (1/2, 1/2), v = (-800, 0): each bound to 25
    // digits (mpmath, 40 digits, with the f64 value of 1e-300).
    let p = Discrete::new(vec![1e-300, 1.0]).unwrap();
    let q = Discrete::new(vec![0.5, 0.5]).unwrap();
    let references = [
        (FDivergence::ReverseKl, -2.726_374_572_112_566_635_685_25e47),
        (
            FDivergence::SquaredHellinger,
            -2.726_374_572_112_566_635_685_25e47,
        ),
        (FDivergence::Neyman, 5.221_469_689_764_143_950_588_763e173),
    ];
    for (row, expected) in references {
        let bound = row.activated_bound(&p, &q, &[-800.0, 0.0]).unwrap();
        assert!(
            (bound - expected).abs() <= LOG_SCALE_EXP_REL * expected.abs(),
            "{}: {bound} against {expected}",
            row.name()
        );
    }
    // Neyman with both products beyond f64::MAX: the term x (2q - p x) has
    // the sign of 2q - p x, x = e^(-v/2). Here p x = e^(715 - 744.4) << 2q,
    // the term is about 2 e^715 > f64::MAX, and D_f is +inf too.
    let p = Discrete::new(vec![5e-324, 1.0]).unwrap();
    let q = Discrete::new(vec![1.0, 0.0]).unwrap();
    let neyman = FDivergence::Neyman;
    assert_eq!(neyman.divergence(&p, &q).unwrap(), f64::INFINITY);
    assert_eq!(
        neyman.activated_bound(&p, &q, &[-1430.0, 0.0]).unwrap(),
        f64::INFINITY
    );
    // ... and at v = -1500, p x = e^(750 - 744.4) > 2q: the term is -inf.
    assert_eq!(
        neyman.activated_bound(&p, &q, &[-1500.0, 0.0]).unwrap(),
        f64::NEG_INFINITY
    );
}

/// Hellinger's `T* = 1 - sqrt(q/p)` is within an ulp of the open end 1 of
/// its domain when `q/p < 1e-32`; rounded onto 1 it made the bound `-inf`
/// though `D_f` is finite. Rounded inward, the bound is `D_f` up to
/// rounding (the entry's error, at most EPS/2, times `p <= 1`, plus
/// `q f*(1 - EPS/2) = q 2^53`, here 1e-40 x 9e15).
#[test]
fn d5_hellinger_t_star_near_the_domain_end_stays_tight() {
    let row = FDivergence::SquaredHellinger;
    let p = Discrete::new(vec![0.5, 0.5]).unwrap();
    let q = Discrete::new(vec![1e-40, 1.0]).unwrap();
    let t_star = row.optimal_critic(&p, &q).unwrap();
    assert!(row.in_conjugate_domain(t_star[0]), "{t_star:?}");
    let d = row.divergence(&p, &q).unwrap();
    let bound = row.variational_bound(&p, &q, &t_star).unwrap();
    assert!(
        relative_gap(bound, d) <= tol::IDENTITY_REL,
        "{bound} vs {d}"
    );
    assert!(bound <= d + tol::IDENTITY_REL * (1.0 + d));
}

#[test]
fn d5_gan_row_is_goodfellows_game() {
    let p = Discrete::new(vec![0.1, 0.4, 0.0, 0.5]).unwrap();
    let q = Discrete::new(vec![0.3, 0.0, 0.3, 0.4]).unwrap();
    let gan = FDivergence::Gan;
    // D_f = C(G) = 2 JSD - ln 4.
    let d = gan.divergence(&p, &q).unwrap();
    assert!((d - game::c_of_g(&p, &q).unwrap()).abs() <= tol::IDENTITY_ABS);
    assert!((d - (2.0 * divergence::js(&p, &q).unwrap() - 4f64.ln())).abs() <= tol::IDENTITY_ABS);
    // T* = ln D*, D* = p/(p+q): Proposition 1.
    let t_star = gan.optimal_critic(&p, &q).unwrap();
    for (&t, d_star) in t_star.iter().zip(game::d_star(&p, &q).unwrap()) {
        let d_star = d_star.unwrap();
        if d_star == 0.0 {
            assert_eq!(t, f64::NEG_INFINITY);
        } else {
            assert!((t - d_star.ln()).abs() <= FEW_ULPS * (1.0 + t.abs()));
        }
    }
    // The activated bound with D = sigmoid(v) is V(D, G).
    let v = [0.3, -1.2, 2.0, 0.0];
    let bound = gan.activated_bound(&p, &q, &v).unwrap();
    let d = Discriminator::from_probabilities(v.iter().map(|&x| sigmoid(x)).collect()).unwrap();
    assert!((bound - game::value(&p, &q, &d).unwrap()).abs() <= tol::IDENTITY_ABS);
}

#[test]
fn d5_infinite_divergences_and_slopes_at_infinity() {
    let p = Discrete::new(vec![0.5, 0.5, 0.0]).unwrap();
    let q = Discrete::new(vec![0.5, 0.0, 0.5]).unwrap();
    // Both directions have a point with mass on one side only.
    for row in [FDivergence::KullbackLeibler, FDivergence::Pearson] {
        assert_eq!(row.divergence(&p, &q).unwrap(), f64::INFINITY);
    }
    for row in [FDivergence::ReverseKl, FDivergence::Neyman] {
        assert_eq!(row.divergence(&p, &q).unwrap(), f64::INFINITY);
    }
    // Finite rows: the q = 0 point contributes p f'(inf), the p = 0 point q f(0).
    let hellinger = FDivergence::SquaredHellinger.divergence(&p, &q).unwrap();
    assert!((hellinger - 1.0).abs() <= tol::IDENTITY_ABS); // 0.5 x 1 + 0.5 x 1
    let js = FDivergence::JensenShannon.divergence(&p, &q).unwrap();
    assert!((js - LN_2).abs() <= tol::IDENTITY_ABS); // 0.5 ln 2 + 0.5 ln 2
    let tv = FDivergence::TotalVariation.divergence(&p, &q).unwrap();
    assert!((tv - 0.5).abs() <= tol::IDENTITY_ABS);
    // The bound is tight there too, through infinite entries of T*.
    for row in FDivergence::ALL {
        let t_star = row.optimal_critic(&p, &q).unwrap();
        let bound = row.variational_bound(&p, &q, &t_star).unwrap();
        assert!(relative_gap(bound, row.divergence(&p, &q).unwrap()) <= tol::IDENTITY_REL);
    }
    // A critic above f'(inf) where q = 0 is not admissible.
    let critic = [0.0, 10.0, 0.0];
    assert_eq!(
        FDivergence::TotalVariation
            .variational_bound(&p, &q, &critic)
            .unwrap(),
        f64::NEG_INFINITY
    );
}

#[test]
fn d5_bad_input_is_a_typed_error() {
    let p = Discrete::new(vec![0.5, 0.5]).unwrap();
    let q = Discrete::new(vec![0.25, 0.25, 0.5]).unwrap();
    let kl = FDivergence::KullbackLeibler;
    assert_eq!(
        kl.divergence(&p, &q),
        Err(Error::LengthMismatch { left: 2, right: 3 })
    );
    assert!(matches!(
        kl.optimal_critic(&p, &q),
        Err(Error::LengthMismatch { .. })
    ));
    assert_eq!(
        kl.variational_bound(&p, &p, &[0.0]),
        Err(Error::LengthMismatch { left: 2, right: 1 })
    );
    assert_eq!(
        kl.variational_bound(&p, &p, &[0.0, f64::NAN]),
        Err(Error::NotANumber { index: 1 })
    );
    assert_eq!(
        kl.activated_bound(&p, &p, &[f64::INFINITY, 0.0]),
        Err(Error::Infinite {
            index: 0,
            value: f64::INFINITY
        })
    );
}

/// A random critic: raw values in [-6, 6] (often outside the domain), or
/// the activation of such a value.
fn critic(n: usize) -> impl Strategy<Value = (Vec<f64>, bool)> {
    (proptest::collection::vec(-6.0f64..6.0, n), any::<bool>())
}

proptest! {
    #![proptest_config(common::config(192))]

    #[test]
    fn d5_fenchel_equality(exponent in -300.0f64..300.0) {
        let u = 10f64.powf(exponent);
        for row in FDivergence::ALL {
            let slope = row.derivative(u);
            let (a, b) = (u * slope, row.f(u));
            // Past about 1e154 some f overflow (Pearson's (u - 1)^2): skip those.
            if !(a.is_finite() && b.is_finite()) {
                continue;
            }
            // Hellinger's f'(u) = 1 - 1/sqrt(u) rounds to 1, the open end of
            // dom f*, once 1/sqrt(u) < EPS/2: f*(f'(u)) is then +inf in f64
            // (activated_conjugate is the way to evaluate there). Only there.
            if !row.in_conjugate_domain(slope) {
                prop_assert!(row == FDivergence::SquaredHellinger && u > 1e31,
                    "{} at u = {u}: f'(u) = {slope} outside dom f*", row.name());
                continue;
            }
            let lhs = row.conjugate(slope);
            let scale = a.abs() + b.abs() + 1.0;
            prop_assert!((lhs - (a - b)).abs() <= FENCHEL_REL * scale,
                "{} at u = {u}: f*(f'(u)) = {lhs}, u f'(u) - f(u) = {}", row.name(), a - b);
        }
    }

    #[test]
    fn d5_fenchel_young_inequality(u in 0.0f64..50.0, t in -50.0f64..50.0) {
        // f(u) + f*(t) >= u t for every u >= 0 and t: the conjugate is an upper envelope.
        for row in FDivergence::ALL {
            let lhs = row.f(u) + row.conjugate(t);
            let scale = 1.0 + row.f(u).abs() + (u * t).abs();
            prop_assert!(lhs >= u * t - tol::IDENTITY_REL * scale,
                "{}: f({u}) + f*({t}) = {lhs} < {}", row.name(), u * t);
        }
    }

    #[test]
    fn d5_bound_is_below_the_divergence(
        ((p, q), (raw, activate)) in common::pair().prop_flat_map(|(p, q)| {
            let n = p.len();
            (Just((p, q)), critic(n))
        })
    ) {
        for row in FDivergence::ALL {
            let t: Vec<f64> = if activate {
                raw.iter().map(|&v| row.activation(v)).collect()
            } else {
                raw.clone()
            };
            let bound = row.variational_bound(&p, &q, &t).unwrap();
            let d = row.divergence(&p, &q).unwrap();
            prop_assert!(!bound.is_nan());
            prop_assert!(bound <= d + tol::IDENTITY_REL * (1.0 + d.abs()),
                "{}: bound {bound} above D_f {d}", row.name());
            if activate {
                let via_activation = row.activated_bound(&p, &q, &raw).unwrap();
                prop_assert!(via_activation <= d + tol::IDENTITY_REL * (1.0 + d.abs()));
            }
        }
    }

    #[test]
    fn d5_bound_is_tight_at_t_star((p, q) in common::pair()) {
        for row in FDivergence::ALL {
            let t_star = row.optimal_critic(&p, &q).unwrap();
            let bound = row.variational_bound(&p, &q, &t_star).unwrap();
            let d = row.divergence(&p, &q).unwrap();
            prop_assert!(relative_gap(bound, d) <= tol::IDENTITY_REL,
                "{}: bound at T* {bound}, D_f {d}", row.name());
        }
    }

    #[test]
    fn d5_divergences_match_the_named_ones((p, q) in common::pair()) {
        for row in FDivergence::ALL {
            let d = row.divergence(&p, &q).unwrap();
            prop_assert!(relative_gap(d, named(row, &p, &q)) <= tol::IDENTITY_REL,
                "{}: {d} against {}", row.name(), named(row, &p, &q));
        }
    }

    #[test]
    fn d5_divergence_is_the_sum_of_q_f_of_ratios((p, q) in common::pair()) {
        // D_f is sum q f(p/q) with the row's own f where q > 0, plus
        // p f'(inf) where q = 0 < p.
        for row in FDivergence::ALL {
            let direct = common::sum(
                p.as_slice().iter().zip(q.as_slice()).map(|(&a, &b)| {
                    if b > 0.0 {
                        b * row.f(a / b)
                    } else if a > 0.0 {
                        a * row.slope_at_infinity()
                    } else {
                        0.0
                    }
                }),
            );
            let d = row.divergence(&p, &q).unwrap();
            prop_assert!(relative_gap(d, direct) <= tol::IDENTITY_REL,
                "{}: {d} against {direct}", row.name());
        }
    }
}

/// The variational bound's documented conventions at points without mass
/// (each the limit of the per-point term `p t - q f*(t)`):
/// - a point with p = q = 0 contributes nothing, whatever T is there (even
///   a T outside dom f*, which would be inadmissible where q = 0 < p);
/// - a point with p = 0 contributes no `p t` (`0 x -inf = 0`), and one
///   with q = 0 no `q f*(t)` (`0 x inf = 0`, here reverse KL's f*(0));
/// - a point with p > 0 and t = -inf contributes -inf, and so does the
///   bound, even where `q f*(-inf)` is -inf too (reverse KL: f*(-inf) =
///   -f(0) = -inf).
///
/// Reverse KL with T = -1 where p = q = 1/2: p t - q f*(t) = -1/2 - 1/2
/// (-1 - ln 1) = 0, so the bounds below are exactly 0 and 1.
#[test]
fn d5_bound_conventions_at_points_without_mass() {
    let rkl = FDivergence::ReverseKl;
    let p = Discrete::new(vec![0.5, 0.5, 0.0]).unwrap();
    let q = Discrete::new(vec![0.5, 0.5, 0.0]).unwrap();
    for t in [5.0, 0.0, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(
            rkl.variational_bound(&p, &q, &[-1.0, -1.0, t]).unwrap(),
            0.0,
            "{t}"
        );
    }
    // q = 0 < p with T = 0 = f'(inf), admissible; f*(0) = +inf has no mass.
    let p = Discrete::new(vec![0.5, 0.5]).unwrap();
    let q = Discrete::new(vec![1.0, 0.0]).unwrap();
    // 0.5 (-2) - 1 f*(-2) = -1 - (-1 - ln 2) = ln 2, two roundings.
    let bound = rkl.variational_bound(&p, &q, &[-2.0, 0.0]).unwrap();
    assert!((bound - LN_2).abs() <= FEW_ULPS * LN_2, "{bound}");
    // p = 0 < q with T = -inf: KL's f*(-inf) = -f(0) = 0, no p t term.
    let kl = FDivergence::KullbackLeibler;
    let p = Discrete::new(vec![0.0, 1.0]).unwrap();
    let q = Discrete::new(vec![1.0, 0.0]).unwrap();
    assert_eq!(
        kl.variational_bound(&p, &q, &[f64::NEG_INFINITY, 1.0])
            .unwrap(),
        1.0
    );
    // p > 0 and T = -inf: -inf, with q f*(-inf) = -inf as well.
    let one = Discrete::new(vec![1.0]).unwrap();
    assert_eq!(
        rkl.variational_bound(&one, &one, &[f64::NEG_INFINITY])
            .unwrap(),
        f64::NEG_INFINITY
    );
}

/// `q f*(t)` and `q f*(g_f(v))` where `f*` alone overflows but the
/// product does not (documented: "the products through ln p, ln q where
/// one alone would overflow ... finite wherever its value is"). The
/// generator's mass q = 1e-300 sits where the data has none, so the bound
/// is `-q f*(.)` there plus the other point's term. References: mpmath at
/// 40 digits with the f64 value of 1e-300:
/// - KL, variational bound, p = (1/2, 1/2), T = (720, 0):
///   360 - q e^719 - e^-1 = -1810224708037.616824996487;
/// - activated bounds, p = (0, 1), v = (V, 0):
///   KL, V = 720: -q e^719 - e^-1 = -1810224708397.616824996487;
///   squared Hellinger, V = 720: -q (e^720 - 1) = -4920700930263.815841216398;
///   Neyman, V = -1430: -q (2 - 2 e^715) = 66310844132.93628849507329;
///   Pearson, V = 1e160: -q V (V/4 + 1) = -25000000000000000952.89768.
#[test]
fn d5_conjugate_terms_that_overflow_alone() {
    let q = Discrete::new(vec![1e-300, 1.0]).unwrap();
    let close = |x: f64, y: f64, rel: f64| (x - y).abs() <= rel * y.abs();
    let kl = FDivergence::KullbackLeibler;
    let half = Discrete::uniform(2).unwrap();
    let bound = kl.variational_bound(&half, &q, &[720.0, 0.0]).unwrap();
    let expected = -1_810_224_708_037.616_824_996_487;
    assert!(close(bound, expected, LOG_SCALE_EXP_REL), "{bound}");
    let p = Discrete::new(vec![0.0, 1.0]).unwrap();
    let cases = [
        (
            kl,
            720.0,
            -1_810_224_708_397.616_824_996_487,
            LOG_SCALE_EXP_REL,
        ),
        (
            FDivergence::SquaredHellinger,
            720.0,
            -4_920_700_930_263.815_841_216_398,
            LOG_SCALE_EXP_REL,
        ),
        (
            FDivergence::Neyman,
            -1430.0,
            66_310_844_132.936_288_495_073_29,
            LOG_SCALE_EXP_REL,
        ),
        (
            FDivergence::Pearson,
            1e160,
            -25_000_000_000_000_000_952.897_68,
            FEW_ULPS,
        ),
    ];
    for (row, v, expected, rel) in cases {
        let bound = row.activated_bound(&p, &q, &[v, 0.0]).unwrap();
        assert!(
            close(bound, expected, rel),
            "{}: {bound} against {expected}",
            row.name()
        );
    }
}

/// Where q = 0 < p the optimal critic is `f'(inf)`, the slope at infinity
/// (documented: T* = f'(p/q), admissible up to `slope_at_infinity`), and
/// the bound there is tight: on disjoint supports p = (1, 0), q = (0, 1),
/// T* = (f'(inf), f'(0)) and E_P T* - E_Q f*(T*) = f'(inf) + f(0) = D_f,
/// exactly for the rows whose f'(inf) and f(0) are exact (squared
/// Hellinger: 1 + 1 = 2; Neyman: 1 + inf; total variation: 1/2 + 1/2 = 1;
/// Pearson: inf + 1, reverse KL: 0 + inf).
#[test]
fn d5_optimal_critic_where_only_p_has_mass_is_the_slope_at_infinity() {
    let p = Discrete::new(vec![1.0, 0.0]).unwrap();
    let q = Discrete::new(vec![0.0, 1.0]).unwrap();
    for row in FDivergence::ALL {
        let t_star = row.optimal_critic(&p, &q).unwrap();
        assert_eq!(t_star[0], row.slope_at_infinity(), "{}", row.name());
    }
    let hellinger = FDivergence::SquaredHellinger;
    let t_star = hellinger.optimal_critic(&p, &q).unwrap();
    assert_eq!(t_star, vec![1.0, f64::NEG_INFINITY]);
    assert_eq!(hellinger.divergence(&p, &q).unwrap(), 2.0);
    assert_eq!(hellinger.variational_bound(&p, &q, &t_star).unwrap(), 2.0);
    let tv = FDivergence::TotalVariation;
    let t_star = tv.optimal_critic(&p, &q).unwrap();
    assert_eq!(tv.variational_bound(&p, &q, &t_star).unwrap(), 1.0);
}

/// `Domain::contains` honours the documented ends: a closed end belongs to
/// the domain, an open one does not (so no open domain contains -inf or
/// +inf), and nothing beyond either end does. Table: KL and Pearson R,
/// reverse KL and GAN t < 0, Neyman t <= 1, Hellinger t < 1, JS t < ln 2,
/// TV [-1/2, 1/2].
#[test]
fn d5_domain_contains_its_closed_ends_only() {
    for row in FDivergence::ALL {
        let d = row.conjugate_domain();
        assert_eq!(d.contains(d.low), d.low_closed, "{} low", row.name());
        assert_eq!(d.contains(d.high), d.high_closed, "{} high", row.name());
        assert!(!d.contains(f64::NEG_INFINITY), "{}", row.name());
        assert!(!d.contains(f64::INFINITY), "{}", row.name());
        if d.high.is_finite() {
            assert!(!d.contains(d.high + 1.0), "{}", row.name());
            assert!(d.contains(d.high - 1.0), "{}", row.name());
        }
        if d.low.is_finite() {
            assert!(!d.contains(d.low - 1.0), "{}", row.name());
        }
    }
    let tv = FDivergence::TotalVariation.conjugate_domain();
    assert!(tv.contains(-0.5) && tv.contains(0.5) && tv.contains(0.0));
    assert!(!tv.contains(-0.75) && !tv.contains(0.75));
}

/// Where q = 0 < p the admissible critic values end at `f'(inf)` below and
/// at the domain's lower end above (documented: a critic that is not
/// admissible gets the bound -inf): reverse KL (f'(inf) = 0) refuses
/// T = 1/2 there, total variation ([-1/2, 1/2]) refuses T = -1 and T = 1;
/// the same T at a point where p = q = 0, or T = f'(inf) itself, is fine.
#[test]
fn d5_inadmissible_critic_where_q_is_zero_certifies_nothing() {
    let p = Discrete::new(vec![0.5, 0.5]).unwrap();
    let q = Discrete::new(vec![1.0, 0.0]).unwrap();
    let rkl = FDivergence::ReverseKl;
    assert_eq!(
        rkl.variational_bound(&p, &q, &[-1.0, 0.5]).unwrap(),
        f64::NEG_INFINITY
    );
    let tv = FDivergence::TotalVariation;
    for t in [-1.0, 1.0] {
        assert_eq!(
            tv.variational_bound(&p, &q, &[0.0, t]).unwrap(),
            f64::NEG_INFINITY,
            "{t}"
        );
    }
    // T = 1/2 = f'(inf) where q = 0: 0.5 (0) - 1 f*(0) + 0.5 (1/2) = 1/4.
    assert_eq!(tv.variational_bound(&p, &q, &[0.0, 0.5]).unwrap(), 0.25);
}

/// Neyman's term `p g(v) - q f*(g(v))` with both products beyond f64::MAX
/// but a finite difference: with x = e^(-v/2) the term is
/// x (2q - p x) + (p - 2q), finite when the gap 2q - p x is small. The gap
/// is formed from p x = e^(ln p - v/2), whose exponent (about 0) carries
/// the rounding of ln p and of the subtraction, a few ulps of 715
/// (4 x 715 EPS/2 = 3.2e-13 relative); the gap, 1e-3 of p x, has a
/// relative error 1e3 times that, 3.2e-10, and the final e^(ln |gap| - v/2)
/// adds a few ulps of 709. Hence:
const NEYMAN_GAP_REL: f64 = 1e-9;

/// p = (1.001 e^-715 (the f64 3.019114032068e-311), 1), q = (1/2, 1/2),
/// v = (-1430, 0): p g(v) = p (1 - x^2) and q f*(g(v)) = q (2 - 2x) are
/// both -inf in f64, the term is -3.315542207101743186340725e307 (mpmath,
/// 50 digits, with the f64 inputs) and the other point's is 0.
#[test]
fn d5_neyman_term_with_both_products_beyond_the_range() {
    let p = Discrete::new(vec![3.019114032068e-311, 1.0]).unwrap();
    let q = Discrete::uniform(2).unwrap();
    let bound = FDivergence::Neyman
        .activated_bound(&p, &q, &[-1430.0, 0.0])
        .unwrap();
    let expected = -3.315_542_207_101_743_186_340_725e307;
    assert!(
        (bound - expected).abs() <= NEYMAN_GAP_REL * expected.abs(),
        "{bound}"
    );
}

/// `-0.0` is a `u >= 0` like `+0.0`: `f`, `f'` and `f'(p/q)` at a zero
/// ratio are the documented limits at 0 (`f(0) = +inf` for reverse KL and
/// Neyman, `f'(0) = -inf` for every row but Pearson and total variation,
/// `f'(+inf)` at `q = 0 < p`) whichever the sign of the zero, rather than
/// following `1/-0 = -inf`. (Reverse KL's and Hellinger's `f'(-0)` and
/// Neyman's `f(-0)` had the wrong infinity; `f'(p/-0)` was NaN.)
#[test]
fn d5_negative_zero_is_zero() {
    for f in FDivergence::ALL {
        let name = f.name();
        assert_eq!(f.f(-0.0), f.f(0.0), "{name}");
        assert_eq!(f.derivative(-0.0), f.derivative(0.0), "{name}");
        assert_eq!(
            f.derivative_at_ratio(-0.0, 0.5),
            f.derivative_at_ratio(0.0, 0.5),
            "{name}"
        );
        assert_eq!(
            f.derivative_at_ratio(0.5, -0.0),
            f.derivative_at_ratio(0.5, 0.0),
            "{name}"
        );
    }
    assert_eq!(FDivergence::Neyman.f(-0.0), f64::INFINITY);
    assert_eq!(FDivergence::ReverseKl.f(-0.0), f64::INFINITY);
    for f in [
        FDivergence::ReverseKl,
        FDivergence::SquaredHellinger,
        FDivergence::Neyman,
    ] {
        assert_eq!(f.derivative(-0.0), f64::NEG_INFINITY, "{}", f.name());
    }
}

/// `derivative_at_ratio` is `f'(+inf)`, the slope at infinity, where
/// `q = 0 < p`, for every row, as documented: Hellinger's 1 among them,
/// not the f64 just below 1 that its `1 - sqrt(q/p)` row keeps for tiny
/// positive `q` (`d5_hellinger_t_star_near_the_domain_end_stays_tight`).
#[test]
fn d5_derivative_at_ratio_with_q_zero_is_the_slope_at_infinity() {
    for f in FDivergence::ALL {
        for p in [0.3, 1.0, 5e-324] {
            assert_eq!(
                f.derivative_at_ratio(p, 0.0),
                f.slope_at_infinity(),
                "{} at p = {p}",
                f.name()
            );
        }
    }
}

/// A critic need only be admissible where `p + q > 0` (documented): at a
/// point with no mass under either distribution its value, even one
/// outside dom f* or above `f'(inf)`, changes nothing, for every row.
#[test]
fn d5_critic_value_at_a_massless_point_is_ignored() {
    let p = Discrete::new(vec![0.5, 0.5, 0.0]).unwrap();
    let q = Discrete::new(vec![0.25, 0.75, 0.0]).unwrap();
    for f in FDivergence::ALL {
        let t = f.optimal_critic(&p, &q).unwrap();
        let base = f.variational_bound(&p, &q, &t).unwrap();
        assert!(base.is_finite(), "{}", f.name());
        for outside in [5.0, 1e300, f64::INFINITY, f64::NEG_INFINITY] {
            let moved = [t[0], t[1], outside];
            assert_eq!(
                f.variational_bound(&p, &q, &moved).unwrap(),
                base,
                "{} with {outside}",
                f.name()
            );
        }
    }
}

/// Where `q = 0 < p` the admissible critic values are the closure of dom f*
/// up to `f'(inf)`: for total variation, whose dom f* is the closed
/// `[-1/2, 1/2]`, the end `t = -1/2` is admissible and gives a finite bound,
/// not `-inf`. With `p = (1/2, 1/2)`, `q = (1, 0)` and `T = (1/2, -1/2)`:
/// `E_P T - E_Q T = (1/4 - 1/4) - 1/2 = -1/2` (exact; `f*(t) = t` there).
#[test]
fn d5_total_variation_critic_at_the_closed_low_end_is_admissible() {
    let p = Discrete::new(vec![0.5, 0.5]).unwrap();
    let q = Discrete::new(vec![1.0, 0.0]).unwrap();
    let tv = FDivergence::TotalVariation;
    assert_eq!(tv.variational_bound(&p, &q, &[0.5, -0.5]).unwrap(), -0.5);
    // Just below the end it is not admissible: the bound certifies nothing.
    assert_eq!(
        tv.variational_bound(&p, &q, &[0.5, -0.5f64 - 1e-16])
            .unwrap(),
        f64::NEG_INFINITY
    );
}

/// `Domain::contains` honours open and closed ends as stored: an open low
/// end is excluded (`-1` from `(-1, 1]`, and `-inf` from every
/// `(-inf, ...)` domain of the table), a closed one included.
#[test]
fn d5_domain_ends_open_and_closed() {
    let half_open = Domain {
        low: -1.0,
        high: 1.0,
        low_closed: false,
        high_closed: true,
    };
    assert!(!half_open.contains(-1.0) && half_open.contains(-0.5) && half_open.contains(1.0));
    let closed_low = Domain {
        low_closed: true,
        high_closed: false,
        ..half_open
    };
    assert!(closed_low.contains(-1.0) && !closed_low.contains(1.0));
    for f in FDivergence::ALL {
        let domain = f.conjugate_domain();
        if domain.low == f64::NEG_INFINITY {
            assert!(!domain.low_closed, "{}", f.name());
            assert!(!domain.contains(f64::NEG_INFINITY), "{}", f.name());
        }
    }
}

/// Relative tolerance for a bound of order `b e^(v - 1)` formed as
/// `exp(ln b + v - 1)`: the exponent, about 258, comes from `ln b = -460.5`
/// (within an ulp, 5.7e-14) and one rounded sum (half an ulp of [256, 512),
/// 2.8e-14), an absolute error below 1e-13 that `exp` turns into the same
/// relative error, plus its own ulp; the Pearson row's `(b v)(v/4 + 1)` is
/// two roundings. 4e-13 allowed.
const HUGE_OUTPUT_REL: f64 = 4e-13;

/// The activated bound is finite wherever its value is (documented): a raw
/// output `v` whose conjugate term overflows alone (`e^(v-1)`, `e^v - 1`
/// for `v = 720`, `v (v/4 + 1)` for `v = 4e200`) against the tiny mass
/// `q = 1e-200` gives `-1e-200 e^719 - e^-1`, `-1e-200 (e^720 - 1)` and
/// `-(1e-200 x 4e200)(1e200 + 1)` (p = (1, 0), q = (1, 1e-200), the
/// other output 0); references from Python's `decimal` at 60 digits on the
/// exact doubles.
#[test]
fn d5_activated_bound_with_huge_outputs_against_tiny_masses_is_finite() {
    let p = Discrete::new(vec![1.0, 0.0]).unwrap();
    let q = Discrete::new(vec![1.0, 1e-200]).unwrap();
    for (f, v, expected) in [
        (
            FDivergence::KullbackLeibler,
            720.0,
            -1.810_224_708_397_248_9e112,
        ),
        (
            FDivergence::SquaredHellinger,
            720.0,
            -4.920_700_930_263_815_6e112,
        ),
        (FDivergence::Pearson, 4e200, -3.999_999_999_999_999_7e200),
    ] {
        let bound = f.activated_bound(&p, &q, &[0.0, v]).unwrap();
        assert!(
            (bound - expected).abs() <= HUGE_OUTPUT_REL * expected.abs(),
            "{}: {bound} against {expected}",
            f.name()
        );
    }
}

/// Each row's name, as the docs and the report print them.
#[test]
fn d5_row_names() {
    let names: Vec<&str> = FDivergence::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        [
            "KL",
            "reverse KL",
            "Pearson chi2",
            "Neyman chi2",
            "squared Hellinger",
            "Jensen-Shannon",
            "GAN",
            "total variation"
        ]
    );
}

/// `f'` is defined on `u >= 0` only: a negative `u` or NaN gives NaN in
/// every row.
#[test]
fn d5_derivative_off_the_domain_is_nan() {
    for f in FDivergence::ALL {
        for u in [-1.0, -f64::MIN_POSITIVE, f64::NAN] {
            assert!(f.derivative(u).is_nan(), "{}: f'({u})", f.name());
        }
    }
}

/// Squared Hellinger's optimal critic `1 - sqrt(q/p)` where `q/p` is so
/// small (1e-40) that it rounds onto 1, the open end of the conjugate's
/// domain: it is the largest double below 1, `1 - EPS/2`, exactly.
#[test]
fn d5_hellinger_critic_stays_inside_its_domain() {
    let t = FDivergence::SquaredHellinger.derivative_at_ratio(1.0, 1e-40);
    assert_eq!(t, 1.0 - f64::EPSILON / 2.0);
    assert_eq!(t.to_bits(), 1.0f64.to_bits() - 1);
}

/// `f*(-inf)` for every row, the limit of `f*(t)` as `t -> -inf` by the
/// closed forms: `-f(0)` where `f*` is the conjugate over `u >= 0` (KL's
/// `e^(t-1) -> 0`, reverse KL's `-1 - ln(-t) -> -inf`, Neyman's
/// `2 - 2 sqrt(1 - t) -> -inf`, Hellinger's `t / (1 - t) -> -1`, JS's
/// `-ln(2 - e^t) -> -ln 2`, GAN's `-ln(1 - e^t) -> 0`), and `+inf` for
/// Pearson (`t + t^2/4`) and total variation (`t` on `[-1/2, 1/2]`, `+inf`
/// outside), whose table `f*` is the conjugate of `f` on all of R.
#[test]
fn d5_conjugate_at_minus_infinity_is_the_limit() {
    let expected = [
        (FDivergence::KullbackLeibler, 0.0),
        (FDivergence::ReverseKl, f64::NEG_INFINITY),
        (FDivergence::Pearson, f64::INFINITY),
        (FDivergence::Neyman, f64::NEG_INFINITY),
        (FDivergence::SquaredHellinger, -1.0),
        (FDivergence::JensenShannon, -std::f64::consts::LN_2),
        (FDivergence::Gan, 0.0),
        (FDivergence::TotalVariation, f64::INFINITY),
    ];
    for (f, limit) in expected {
        assert_eq!(f.conjugate(f64::NEG_INFINITY), limit, "{}", f.name());
    }
}

/// Pearson's and Neyman's `(p - q)^2 / w` where `(p - q) / w` overflows but
/// the square does not: `d = 2^-34` over `w = 2^-1064` (subnormal) has
/// `d / w = 2^1030`, past `f64::MAX`, while `d^2 / w = 2^996`. The second
/// point adds `(2^-34)^2 / 1 = 2^-68`, below half an ulp of `2^996`, so
/// both divergences are `2^996` exactly.
#[test]
fn d5_pearson_and_neyman_where_the_ratio_overflows() {
    let (d, w) = (f64::exp2(-34.0), f64::exp2(-1064.0));
    let p = Discrete::new(vec![d, 1.0 - d]).unwrap();
    let q = Discrete::new(vec![w, 1.0]).unwrap();
    assert_eq!(
        FDivergence::Pearson.divergence(&p, &q).unwrap(),
        f64::exp2(996.0)
    );
    assert_eq!(
        FDivergence::Neyman.divergence(&q, &p).unwrap(),
        f64::exp2(996.0)
    );
}
