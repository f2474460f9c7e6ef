//! Claims B1-B3: KL, Jensen-Shannon and the JS identity of BrightLamp's note, plus the
//! other divergences (total variation, chi-squared, squared Hellinger).

mod common;

use gan_theory::Discrete;
use gan_theory::divergence::{
    chi2, cross_entropy, entropy, hellinger2, js, js_bits, js_distance, kl, total_variation,
};
use gan_theory::game::c_of_g;
use gan_theory::tol;
use proptest::prelude::*;
use std::f64::consts::LN_2;

/// Reference values for p = (1/2, 1/2), q = (1/4, 3/4), computed with mpmath at 40 digits.
const KL_PQ: f64 = 0.143_841_036_225_890_463_719_609_502_996_913_7;
const KL_QP: f64 = 0.130_812_035_941_136_959_129_201_806_233_717_7;
const JS_PQ: f64 = 0.033_822_075_568_605_230_000_373_598_920_897_57;
const HELLINGER2_PQ: f64 = 0.034_074_173_710_931_713_250_256_800_271_102_63;

fn half_and_quarter() -> (Discrete, Discrete) {
    (
        Discrete::new(vec![0.5, 0.5]).unwrap(),
        Discrete::new(vec![0.25, 0.75]).unwrap(),
    )
}

/// Results below 2.2e-308 are subnormal, spaced 5e-324 apart: a few roundings
/// leave an absolute error of a few such steps, whatever the relative error.
const SUBNORMAL_SLACK: f64 = 4.0 * 5e-324;

/// JSD through entropies, H(m) - (H(p) + H(q))/2, summed term by term in the
/// plain textbook way: an independent formula for the comparison.
fn js_by_entropies(p: &Discrete, q: &Discrete) -> f64 {
    let h = |v: &[f64]| -> f64 { v.iter().filter(|x| **x > 0.0).map(|x| -x * x.ln()).sum() };
    let m: Vec<f64> = p
        .as_slice()
        .iter()
        .zip(q.as_slice())
        .map(|(a, b)| 0.5 * (a + b))
        .collect();
    h(&m) - 0.5 * (h(p.as_slice()) + h(q.as_slice()))
}

#[test]
fn b1_kl_is_not_symmetric() {
    let (p, q) = half_and_quarter();
    let (forward, backward) = (kl(&p, &q).unwrap(), kl(&q, &p).unwrap());
    assert!(tol::close(forward, KL_PQ));
    assert!(tol::close(backward, KL_QP));
    // The two directions differ by far more than their rounding.
    assert!(tol::close(forward - backward, KL_PQ - KL_QP));
    assert!(!tol::close(forward, backward));
}

#[test]
fn b1_kl_infinite_where_q_lacks_mass() {
    let p = Discrete::new(vec![0.5, 0.5, 0.0]).unwrap();
    let q = Discrete::new(vec![0.5, 0.0, 0.5]).unwrap();
    assert_eq!(kl(&p, &q).unwrap(), f64::INFINITY);
    assert_eq!(cross_entropy(&p, &q).unwrap(), f64::INFINITY);
    assert_eq!(chi2(&p, &q).unwrap(), f64::INFINITY);
    // Mass of q where p has none costs nothing infinite: KL(p || r) is finite.
    let r = Discrete::new(vec![0.25, 0.25, 0.5]).unwrap();
    assert!(tol::close(kl(&p, &r).unwrap(), LN_2));
    // The tiniest positive q is enough to make it finite: ln(1/5e-324) = 744.44...
    let tiny = Discrete::new(vec![1.0 - 0.0, 5e-324]).unwrap();
    let point = Discrete::new(vec![0.0, 1.0]).unwrap();
    let d = kl(&point, &tiny).unwrap();
    assert!(tol::close(d, 744.440_071_921_381_2), "{d}");
}

#[test]
fn b1_zero_ln_zero_is_zero() {
    let p = Discrete::new(vec![1.0, 0.0, 0.0]).unwrap();
    assert_eq!(entropy(&p), 0.0);
    assert_eq!(kl(&p, &p).unwrap(), 0.0);
    assert_eq!(js(&p, &p).unwrap(), 0.0);
}

#[test]
fn other_divergences_reference_values() {
    let (p, q) = half_and_quarter();
    assert!(tol::close(js(&p, &q).unwrap(), JS_PQ));
    assert!(tol::close(js_bits(&p, &q).unwrap(), JS_PQ / LN_2));
    assert!(tol::close(js_distance(&p, &q).unwrap(), JS_PQ.sqrt()));
    assert!(tol::close(total_variation(&p, &q).unwrap(), 0.25));
    assert!(tol::close(chi2(&p, &q).unwrap(), 1.0 / 3.0));
    assert!(tol::close(hellinger2(&p, &q).unwrap(), HELLINGER2_PQ));
    assert!(tol::close(entropy(&p), LN_2));
}

#[test]
fn b2_js_tiny_and_subnormal_entries() {
    // scipy.spatial.distance.jensenshannon([5e-324, 1], [0, 1]) returns inf:
    // m = (p + q)/2 underflows to 0 and p ln(p/m) becomes inf.
    let cases: [(Vec<f64>, Vec<f64>, f64); 5] = [
        // p_i > 0 = q_i contributes p_i ln 2 / 2; expected values to 16 digits.
        (vec![5e-324, 1.0], vec![0.0, 1.0], 0.0), // ln2/2 * 5e-324 rounds to 0
        (
            vec![1e-310, 1.0],
            vec![0.0, 1.0],
            3.465_735_902_799_726_5e-311,
        ),
        (
            vec![1e-300, 1.0],
            vec![0.0, 1.0],
            3.465_735_902_799_726_5e-301,
        ),
        (vec![5e-324, 0.0, 1.0], vec![0.0, 5e-324, 1.0], 0.0),
        // Disjoint supports where one side is subnormal: still exactly ln 2.
        (vec![5e-324, 1.0], vec![1.0, 0.0], LN_2),
    ];
    for (p, q, expected) in cases {
        let (p, q) = (Discrete::new(p).unwrap(), Discrete::new(q).unwrap());
        for d in [js(&p, &q).unwrap(), js(&q, &p).unwrap()] {
            assert!(d.is_finite() && d >= 0.0, "{d}");
            // The subnormal results have ~13 significant bits left at 1e-311: absolute
            // comparison at the subnormal spacing, relative otherwise.
            assert!(
                (d - expected).abs() <= SUBNORMAL_SLACK + tol::IDENTITY_REL * expected,
                "{d} vs {expected}"
            );
        }
        let b = js_bits(&p, &q).unwrap();
        assert!((0.0..=1.0).contains(&b));
    }
    // Masses left by softmax underflow: exp(-740) and smaller, on many points.
    let n = 1000;
    let w: Vec<f64> = (0..n).map(|i| (-(i as f64) * 0.75).exp()).collect();
    let p = Discrete::from_weights(&w).unwrap();
    let q = Discrete::from_weights(&w.iter().rev().copied().collect::<Vec<_>>()).unwrap();
    let d = js(&p, &q).unwrap();
    assert!(d.is_finite() && (0.0..=LN_2).contains(&d));
    assert!(tol::close(d, js_by_entropies(&p, &q)), "{d}");
}

proptest! {
    #![proptest_config(common::config(256))]

    #[test]
    fn b1_kl_non_negative_and_zero_iff_equal((p, q) in common::pair()) {
        prop_assert_eq!(kl(&p, &p).unwrap(), 0.0);
        let d = kl(&p, &q).unwrap();
        let tv = total_variation(&p, &q).unwrap();
        // Pinsker: KL >= 2 TV^2, so KL > 0 whenever p != q.
        prop_assert!(d >= 2.0 * tv * tv - tol::IDENTITY_ABS, "KL {d}, TV {tv}");
    }

    #[test]
    fn b1_kl_equals_cross_entropy_minus_entropy((p, q) in common::pair()) {
        // Cross-entropy by its definition, not the library's (which is H + KL).
        let ce = common::cross_entropy_by_definition(&p, &q);
        let d = kl(&p, &q).unwrap();
        if ce.is_infinite() {
            prop_assert_eq!(d, f64::INFINITY);
            prop_assert_eq!(cross_entropy(&p, &q).unwrap(), f64::INFINITY);
        } else {
            prop_assert!(tol::close(d, ce - entropy(&p)), "KL {d} vs H(p,q)-H(p) {}", ce - entropy(&p));
            prop_assert!(tol::close(cross_entropy(&p, &q).unwrap(), ce));
        }
    }

    #[test]
    fn b2_js_symmetric_and_bounded((p, q) in common::pair()) {
        let d = js(&p, &q).unwrap();
        prop_assert_eq!(d, js(&q, &p).unwrap());
        prop_assert!((0.0..=LN_2).contains(&d));
        prop_assert_eq!(js(&p, &p).unwrap(), 0.0);
        // JSD >= TV^2 / 2 (Pinsker on both halves): zero only when p = q.
        let tv = total_variation(&p, &q).unwrap();
        prop_assert!(d >= tv * tv / 2.0 - tol::IDENTITY_ABS);
    }

    #[test]
    fn b2_js_is_ln2_iff_supports_disjoint((p, q) in common::pair()) {
        let d = js(&p, &q).unwrap();
        let overlap: f64 = p.as_slice().iter().zip(q.as_slice()).map(|(a, b)| a.min(*b)).sum();
        if overlap == 0.0 {
            prop_assert!(tol::close(d, LN_2), "disjoint but JSD = {d}");
        } else {
            // ln 2 - JSD = (1/2) sum (p+q) h(p/(p+q)) >= ln 2 * sum min(p, q) > 0,
            // since the binary entropy h(t) >= 2 t ln 2 on [0, 1/2].
            prop_assert!(LN_2 - d >= LN_2 * overlap - tol::IDENTITY_ABS, "overlap {overlap}, JSD {d}");
        }
    }

    #[test]
    fn b2_js_distance_triangle_inequality((p, q, r) in common::triple()) {
        let pr = js_distance(&p, &r).unwrap();
        let pq = js_distance(&p, &q).unwrap();
        let qr = js_distance(&q, &r).unwrap();
        // sqrt of a value with absolute error IDENTITY_ABS has error <= sqrt(IDENTITY_ABS).
        prop_assert!(pr <= pq + qr + tol::IDENTITY_ABS.sqrt(), "{pr} > {pq} + {qr}");
    }

    #[test]
    fn b2_js_matches_reference((p, q) in common::pair()) {
        let d = js(&p, &q).unwrap();
        let reference = js_by_entropies(&p, &q);
        prop_assert!(tol::close(d, reference), "{d} vs {reference}");
        prop_assert!(tol::close(js_bits(&p, &q).unwrap(), reference / LN_2));
    }

    #[test]
    fn b3_js_identity_with_value_at_d_star((q, p) in common::pair()) {
        // BrightLamp's note: JSD(q || p) = V(D*)/2 + ln 2, V(D) = E_q ln D + E_p ln(1 - D):
        // V(D*) is C(G) with p_data = q and p_g = p.
        let v_star = c_of_g(&q, &p).unwrap();
        prop_assert!(tol::close(js(&q, &p).unwrap(), v_star / 2.0 + LN_2));
    }

    #[test]
    fn divergence_inequalities((p, q) in common::pair()) {
        let tv = total_variation(&p, &q).unwrap();
        let h2 = hellinger2(&p, &q).unwrap();
        let d = kl(&p, &q).unwrap();
        let c2 = chi2(&p, &q).unwrap();
        // H^2 <= TV <= sqrt(2) H (Le Cam), KL <= ln(1 + chi2).
        prop_assert!(h2 <= tv + tol::IDENTITY_ABS);
        prop_assert!(tv <= (2.0 * h2).sqrt() + tol::IDENTITY_ABS.sqrt());
        prop_assert!(d <= (1.0 + c2).ln() + tol::IDENTITY_ABS || c2.is_infinite());
        prop_assert!((0.0..=1.0).contains(&tv) && (0.0..=1.0).contains(&h2) && c2 >= 0.0);
    }
}

#[test]
fn mismatched_lengths_are_errors() {
    let p = Discrete::uniform(2).unwrap();
    let q = Discrete::uniform(3).unwrap();
    let expected = gan_theory::Error::LengthMismatch { left: 2, right: 3 };
    assert_eq!(kl(&p, &q), Err(expected.clone()));
    assert_eq!(js(&p, &q), Err(expected.clone()));
    assert_eq!(chi2(&p, &q), Err(expected));
}

#[test]
fn bad_probability_vectors_are_refused() {
    use gan_theory::Error;
    assert_eq!(Discrete::new(vec![]), Err(Error::Empty));
    assert_eq!(
        Discrete::new(vec![0.5, f64::NAN]),
        Err(Error::NotANumber { index: 1 })
    );
    assert_eq!(
        Discrete::new(vec![f64::INFINITY, 0.5]),
        Err(Error::Infinite {
            index: 0,
            value: f64::INFINITY
        })
    );
    assert_eq!(
        Discrete::new(vec![1.5, -0.5]),
        Err(Error::Negative {
            index: 1,
            value: -0.5
        })
    );
    assert!(matches!(
        Discrete::new(vec![0.5, 0.4]),
        Err(Error::SumNotOne { .. })
    ));
    assert_eq!(Discrete::from_weights(&[0.0, 0.0]), Err(Error::ZeroTotal));
    // Huge weights do not overflow the total.
    let p = Discrete::from_weights(&[f64::MAX, f64::MAX]).unwrap();
    assert_eq!(p.as_slice(), &[0.5, 0.5]);
    // One ulp off per entry is accepted: 0.1 + 0.2 + 0.7 != 1 in binary.
    assert!(Discrete::new(vec![0.1, 0.2, 0.7]).is_ok());
}

/// Largest relative distance allowed between `kl` and the reference
/// `sum p ln_1p((p - q) / q)` when `q` is `p` rescaled by `1 - delta`.
///
/// Reason: each reference term has a few ulps of relative error (`p - q` is
/// exact by Sterbenz, then one division and `ln_1p`), so the reference is
/// within about `10 EPS` relative; `kl` sums the generalised terms
/// `p ln(p/q) - p + q` (of order `delta^2 p`, tiny) and subtracts the
/// compensated mass difference `sum q - sum p = -delta`, so it is within a
/// few ulps relative too. 1e-9 leaves a wide margin, and a `kl` that dropped
/// or added the mass difference would be off by 100% (0 or `2 delta`).
const RESCALED_KL_REL: f64 = 1e-9;

/// KL between a distribution and the same one rescaled by `1 - delta`, with
/// `delta` as large as the accepted sum tolerance allows: the entries sum to
/// 1 only up to rounding, and `kl` still returns `sum p ln(p/q)` itself
/// (about `delta`), not 0 (as a KL that ignored the masses' rounding would)
/// or `2 delta`. Short vectors take the careful path, 1000 entries the
/// chunked fast path.
#[test]
fn b1_kl_of_a_rescaled_distribution_is_its_log_ratio() {
    for n in [3usize, 5, 1000] {
        let delta = 0.4 * tol::sum_tolerance(n);
        let p: Vec<f64> = (0..n).map(|i| (i % 7 + 1) as f64).collect();
        let total: f64 = p.iter().sum();
        let p: Vec<f64> = p.iter().map(|x| x / total).collect();
        let q: Vec<f64> = p.iter().map(|x| x * (1.0 - delta)).collect();
        let reference: f64 = p
            .iter()
            .zip(&q)
            .map(|(&a, &b)| a * ((a - b) / b).ln_1p())
            .sum();
        let (pd, qd) = (Discrete::new(p).unwrap(), Discrete::new(q).unwrap());
        let got = kl(&pd, &qd).unwrap();
        assert!(
            (got - reference).abs() <= RESCALED_KL_REL * reference,
            "n = {n}: kl {got:e}, sum p ln(p/q) {reference:e} (delta {delta:e})"
        );
        // And the other way: sum q ln(q/p) = (1 - delta) ln(1 - delta) < 0 is
        // clamped to 0.
        assert_eq!(kl(&qd, &pd).unwrap(), 0.0, "n = {n}");
    }
}

/// Largest relative error allowed for `chi2` against a 40-digit reference.
///
/// Reason: the result goes through a handful of roundings (one subtraction,
/// one square, one division, a compensated sum), each of half an ulp:
/// within 4 ulps. A wrong branch is off by far more (+inf, or 2e308).
const CHI2_REL: f64 = 4.0 * f64::EPSILON;

/// chi^2 past the overflow of `d / q`: for `q = 2^-1074` and `d = 1e-15`
/// the ratio overflows while `d^2 / q` is about 2.02e293, which `chi2`
/// returns (not +inf); a common zero of `p` and `q` adds nothing (it is not
/// "p has mass q lacks"). Reference from Python's `decimal` at 40 digits:
/// `(1e-15 - 2^-1074)^2 / 2^-1074 + (fl(1 - 1e-15) - 1)^2` =
/// 2.024022533073106498e293 (the inputs as the f64 values written).
#[test]
fn chi2_past_the_ratio_overflow_and_at_common_zeros() {
    const REFERENCE: f64 = 2.024_022_533_073_106_5e293;
    let p = Discrete::new(vec![1e-15, 1.0 - 1e-15, 0.0]).unwrap();
    let q = Discrete::new(vec![5e-324, 1.0, 0.0]).unwrap();
    let d = chi2(&p, &q).unwrap();
    assert!((d - REFERENCE).abs() <= CHI2_REL * REFERENCE, "{d:e}");
    let p = Discrete::new(vec![0.75, 0.25, 0.0]).unwrap();
    let q = Discrete::new(vec![0.5, 0.5, 0.0]).unwrap();
    assert!((chi2(&p, &q).unwrap() - 0.25).abs() <= CHI2_REL * 0.25);
}
