//! Claim B5: quadrature of divergences between statrs densities converges to
//! their closed forms, within the error estimate it reports.

mod common;

use gan_theory::Error;
use gan_theory::continuous::divergence::{
    chi2_integrand, cross_entropy_integrand, entropy_integrand, hellinger2_integrand, js_integrand,
    kl_integrand, tv_integrand,
};
use gan_theory::continuous::quadrature::{GAUSS_WEIGHTS, KRONROD_NODES, KRONROD_WEIGHTS};
use gan_theory::continuous::{
    CLOSED_FORM_REL, Density, Estimate, Normal, NormalMixture, Piece, Quadrature, Uniform, chi2,
    chi2_normals, chi2_quadrature_rounding, closed_form_rounding, cross_entropy, entropy,
    entropy_normal, entropy_uniform, gauss_kronrod_15, hellinger2, hellinger2_normals,
    integrate_pair, js, kl, kl_normals, kl_uniform_normal, mass, total_variation, tv_normals,
};
use proptest::prelude::*;
use std::f64::consts::LN_2;

/// Rounding of one application of the 15-point rule to a monomial on
/// [-1, 1]: 15 products of a weight (< 0.21) and a value (<= 1), summed;
/// each step rounds by at most one ulp of a partial sum below 2, so the total
/// stays below 15 * 2 * EPS ≈ 7e-15; 1e-14 leaves a little room.
const RULE_ROUNDING: f64 = 1e-14;

/// Smallest error a rule must show on a polynomial beyond its degree of
/// exactness for the exactness test to be meaningful: the Kronrod error on
/// x^24 is 5.7e-9 (computed in 50-digit arithmetic), the Gauss error on
/// x^14 larger still; 1e-10 sits far above rounding and below both.
const BEYOND_EXACTNESS: f64 = 1e-10;

/// Ulps by which a node or weight computed here in f64 (Newton on P_7) may
/// differ from the 35-digit constants: Newton's last step and the recurrence
/// for P_7 each round by a few ulps.
const NEWTON_ULPS: f64 = 8.0;

/// Proptest cases per property: enough random pairs to sample the parameter
/// box, few enough to keep this file to a few seconds in release.
const CASES: u32 = 48;

/// |quadrature - closed form| may be at most the quadrature's own error
/// estimate plus the closed form's rounding (`closed_form_rounding`).
fn agrees(est: &Estimate, closed: f64) -> bool {
    if closed.is_infinite() {
        return est.value == closed;
    }
    (est.value - closed).abs() <= est.error_estimate + closed_form_rounding(closed)
}

/// As [`agrees`], for χ² between normals, allowing also for what the
/// rounding of `ln p` and `ln q` at the nodes moves the integral by
/// (`chi2_quadrature_rounding`), which the quadrature's estimate cannot see.
fn agrees_chi2(est: &Estimate, p: &Normal, q: &Normal) -> bool {
    let closed = chi2_normals(p, q);
    if closed.is_infinite() {
        return est.value == closed;
    }
    (est.value - closed).abs()
        <= est.error_estimate + closed_form_rounding(closed) + chi2_quadrature_rounding(p, q)
}

fn describe(what: &str, est: &Estimate, closed: f64) -> String {
    format!(
        "{what}: quadrature {} ± {:e} ({} intervals), closed form {closed}, difference {:e}",
        est.value,
        est.error_estimate,
        est.intervals,
        (est.value - closed).abs()
    )
}

fn normal(mean: f64, sd: f64) -> Normal {
    Normal::new(mean, sd).expect("test parameters are valid")
}

// ---------------------------------------------------------------------------
// The Gauss-Kronrod rule

#[test]
fn b5_gauss_kronrod_is_exact_to_degree_22() {
    for k in 0..=22 {
        let rule = gauss_kronrod_15(|x| x.powi(k), -1.0, 1.0);
        let exact = if k % 2 == 0 {
            2.0 / (k + 1) as f64
        } else {
            0.0
        };
        assert!(
            (rule.kronrod - exact).abs() <= RULE_ROUNDING,
            "Kronrod on x^{k}: {} vs {exact}",
            rule.kronrod
        );
        if k <= 13 {
            assert!(
                (rule.gauss - exact).abs() <= RULE_ROUNDING,
                "Gauss on x^{k}: {} vs {exact}",
                rule.gauss
            );
        }
    }
    // Beyond the degrees of exactness the rules are visibly off, so the
    // checks above would catch a wrong digit in a node or weight.
    let k24 = gauss_kronrod_15(|x| x.powi(24), -1.0, 1.0);
    assert!((k24.kronrod - 2.0 / 25.0).abs() > BEYOND_EXACTNESS);
    let g14 = gauss_kronrod_15(|x| x.powi(14), -1.0, 1.0);
    assert!((g14.gauss - 2.0 / 15.0).abs() > BEYOND_EXACTNESS);
    // On another interval the rule scales: integral of x^22 over [1, 3].
    let shifted = gauss_kronrod_15(|x| x.powi(22), 1.0, 3.0);
    let exact = (3f64.powi(23) - 1.0) / 23.0;
    assert!((shifted.kronrod - exact).abs() <= RULE_ROUNDING * exact);
}

/// `(P_7(x), P_7'(x))` by the three-term recurrence.
fn legendre_7(x: f64) -> (f64, f64) {
    let (mut previous, mut current) = (1.0, x);
    for n in 1..7 {
        let n = n as f64;
        let next = ((2.0 * n + 1.0) * x * current - n * previous) / (n + 1.0);
        previous = current;
        current = next;
    }
    let derivative = 7.0 * (x * current - previous) / (x * x - 1.0);
    (current, derivative)
}

#[test]
fn b5_gauss_nodes_are_legendre_roots() {
    for (i, &node) in [KRONROD_NODES[1], KRONROD_NODES[3], KRONROD_NODES[5]]
        .iter()
        .enumerate()
    {
        // Newton from the classical first guess cos(pi (i + 3/4) / (n + 1/2)).
        let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / 7.5).cos();
        for _ in 0..20 {
            let (p, dp) = legendre_7(x);
            x -= p / dp;
        }
        assert!(
            (x - node).abs() <= NEWTON_ULPS * f64::EPSILON,
            "root {x} vs node {node}"
        );
        let (_, dp) = legendre_7(x);
        let weight = 2.0 / ((1.0 - x * x) * dp * dp);
        assert!(
            (weight - GAUSS_WEIGHTS[i]).abs() <= NEWTON_ULPS * f64::EPSILON,
            "weight {weight} vs {}",
            GAUSS_WEIGHTS[i]
        );
    }
    // The centre: P_7(0) = 0, weight 2/P_7'(0)^2 = 512/1225.
    assert_eq!(KRONROD_NODES[7], 0.0);
    assert!((GAUSS_WEIGHTS[3] - 512.0 / 1225.0).abs() <= f64::EPSILON);
    // Both weight sets integrate 1 over [-1, 1] to 2.
    let kronrod_total = 2.0 * KRONROD_WEIGHTS[..7].iter().sum::<f64>() + KRONROD_WEIGHTS[7];
    let gauss_total = 2.0 * GAUSS_WEIGHTS[..3].iter().sum::<f64>() + GAUSS_WEIGHTS[3];
    assert!((kronrod_total - 2.0).abs() <= RULE_ROUNDING);
    assert!((gauss_total - 2.0).abs() <= RULE_ROUNDING);
}

#[test]
fn b5_quadrature_budget_exhaustion_is_not_converged() {
    // sqrt|x| has a kink at 0 the rule cannot resolve in 3 intervals at 1e-14.
    let q = Quadrature::new(0.0, 1e-14, 3).unwrap();
    match q.integrate(|x: f64| x.abs().sqrt(), -1.0, 1.0) {
        Err(Error::NotConverged { detail, .. }) => {
            assert!(detail.contains("error estimate"), "{detail}")
        }
        other => panic!("expected NotConverged, got {other:?}"),
    }
    // NaN from the integrand is reported, not returned.
    let nan = Quadrature::default().integrate(|x: f64| (x - 0.5).ln(), 0.0, 1.0);
    assert!(matches!(nan, Err(Error::NotConverged { .. })));
    // With enough budget the same kink converges, within its estimate:
    // integral of sqrt|x| over [-1, 1] is 4/3.
    let q = Quadrature::new(0.0, 1e-10, 2000).unwrap();
    let est = q.integrate(|x: f64| x.abs().sqrt(), -1.0, 1.0).unwrap();
    assert!((est.value - 4.0 / 3.0).abs() <= est.error_estimate);
    // And so the actual error meets the requested target.
    assert!((est.value - 4.0 / 3.0).abs() <= q.target(4.0 / 3.0));
}

#[test]
fn b5_adaptive_error_falls_with_tolerance() {
    let p = normal(0.3, 0.7);
    let q = normal(-1.1, 1.6);
    let exact = kl_normals(&p, &q);
    let mut previous_target = f64::INFINITY;
    for digits in 2..=12 {
        let rel_tol = 10f64.powi(-digits);
        let quadrature = Quadrature::new(0.0, rel_tol, 4000).unwrap();
        let est = kl(&p, &q, &quadrature).unwrap();
        let target = quadrature.target(exact);
        assert!(agrees(&est, exact), "{}", describe("KL", &est, exact));
        // The actual error is bounded by a target that falls tenfold per step.
        assert!(
            (est.value - exact).abs() <= target + closed_form_rounding(exact),
            "{}",
            describe("KL against its target", &est, exact)
        );
        assert!(target < previous_target);
        previous_target = target;
    }
    // A fixed composite Gauss-Kronrod rule on n equal pieces of [-30, 30]
    // (17 sd of q, so all but 1e-60 of both masses): its error falls as n
    // grows, down to the rounding floor.
    let integrand = |x: f64| kl_integrand(p.ln_pdf(x), q.ln_pdf(x));
    let composite = |n: usize| {
        let h = 60.0 / n as f64;
        (0..n)
            .map(|i| {
                let a = -30.0 + i as f64 * h;
                gauss_kronrod_15(integrand, a, a + h).kronrod
            })
            .sum::<f64>()
    };
    let errors: Vec<f64> = [2, 4, 8, 16, 32, 64]
        .iter()
        .map(|&n| (composite(n) - exact).abs())
        .collect();
    let floor = closed_form_rounding(exact);
    for pair in errors.windows(2) {
        assert!(
            pair[1] < pair[0] || pair[1] <= floor,
            "composite errors {errors:?} do not fall"
        );
    }
    assert!(
        errors[errors.len() - 1] <= floor,
        "composite errors {errors:?}"
    );
}

#[test]
fn b5_tv_closed_form_matches_reference_values() {
    // TV(N(0, 1), N(2 sqrt(2) x, 1)) = erf(x); erf to 25 digits from mpmath.
    // (statrs 0.19's erf is off by about 1e-11 at these points, which is
    // why the closed forms carry their own.)
    let reference = [
        (0.5, 0.520_499_877_813_046_537_682_746_7),
        (1.0, 0.842_700_792_949_714_869_341_220_6),
        (1.5, 0.966_105_146_475_310_727_066_976_3),
        (2.0, 0.995_322_265_018_952_734_162_069_3),
        (3.0, 0.999_977_909_503_001_414_558_627_2),
    ];
    let p = normal(0.0, 1.0);
    for (x, erf_x) in reference {
        let q = normal(2.0 * std::f64::consts::SQRT_2 * x, 1.0);
        let tv = tv_normals(&p, &q);
        assert!(
            (tv - erf_x).abs() <= closed_form_rounding(erf_x),
            "TV at erf({x}): {tv} vs {erf_x}"
        );
    }
    // Unequal variances, equal means: TV(N(0, 1), N(0, 4)) from mpmath,
    // with the crossings at ±sqrt(8 ln 2 / 3).
    let tv = tv_normals(&p, &normal(0.0, 2.0));
    let reference = 0.322_674_568_834_768_664_752_204_9;
    assert!(
        (tv - reference).abs() <= closed_form_rounding(reference),
        "{tv}"
    );
}

#[test]
fn b5_closed_forms_match_high_precision_references() {
    // (m1, s1, m2, s2, KL, chi2, H^2, TV); references from mpmath at 3000
    // bits with these exact f64 inputs. The pairs cover what cancels or
    // over/underflows in a naive evaluation: nearly equal scales, scales at
    // both ends of the accepted range (products of four scales leave f64),
    // ratios of 1e-9 and 1e8 (1 + t rounds to 0 for t = (s1/s2)^2 - 1), the
    // pair of `verify --seed 411801` with s1^2 = (2 - 8.6e-4) s2^2 (chi2's
    // exponent delta^2/(2 s2^2 - s1^2) = 119 needs its margin to full
    // relative accuracy), the double just below sqrt 2 against 1 (margin
    // 2 - s1^2 = 3.5e-16, exact only from the exact square), and a chi2 beyond
    // f64::MAX.
    let below_sqrt_2 = f64::from_bits(std::f64::consts::SQRT_2.to_bits() - 1);
    let cases = [
        (
            0.0,
            1.0,
            0.0,
            1.000_000_000_000_909_5,
            8.271_806_125_517_738_142_305e-25,
            1.654_361_225_101_541_451_436e-24,
            2.067_951_531_380_688_396_217e-25,
            4.401_421_838_684_351_573_681e-13,
        ),
        (
            3e-101,
            1e-100,
            -2e-101,
            3e-100,
            0.668_056_733_112_554_137_602_1,
            1.215_158_121_566_777_914_962,
            0.230_229_462_569_312_895_957_9,
            0.489_992_511_630_653_559_188_1,
        ),
        (
            0.0,
            1e80,
            5e79,
            2e80,
            0.349_397_180_559_945_309_417_2,
            0.566_828_593_572_777_402_601_9,
            0.116_683_562_010_382_298_069_8,
            0.340_335_782_060_892_444_022_5,
        ),
        (
            0.0,
            1e-100,
            0.0,
            1e100,
            460.017_018_598_809_136_799_5,
            7.071_067_811_865_475_215_095e199,
            1.0,
            1.0,
        ),
        (
            0.0,
            1e-9,
            0.0,
            1.0,
            20.223_265_836_946_411_094_38,
            707_106_780.186_547_480_537_9,
            0.999_955_278_640_450_004_204_7,
            0.999_999_994_742_161_223_717_4,
        ),
        (
            0.0,
            1.0,
            0.0,
            1e8,
            17.920_680_743_952_365_522_14,
            70_710_677.118_654_754_207_85,
            0.999_858_578_643_762_690_502_2,
            0.999_999_950_289_306_715_191_2,
        ),
        (
            1e-3,
            7.0,
            -2.0,
            0.5,
            102.868_944_670_384_741_385_6,
            f64::INFINITY,
            0.630_581_262_166_719_073_667_4,
            0.853_289_265_659_208_930_227_9,
        ),
        (
            -1.198_309_921_525_275_7e-1,
            1.847_717_109_761_596_5,
            1.955_540_771_276_664_8e-1,
            1.306_697_179_554_895_2,
            0.182_428_459_355_879_839_421_5,
            8.589_688_862_811_379_184_129e51,
            0.033_699_333_258_788_897_420_15,
            0.179_475_120_563_917_012_290_2,
        ),
        (
            0.0,
            below_sqrt_2,
            0.0,
            1.0,
            0.153_426_409_720_027_256_640_2,
            37_550_245.896_797_591_876,
            0.029_016_456_585_353_145_086_09,
            0.166_064_074_983_512_859_000_8,
        ),
        (
            3.0,
            1.4,
            -3.0,
            1.0,
            18.143_527_763_378_787_008_59,
            // 2.6e391: beyond f64::MAX, so +inf.
            f64::INFINITY,
            0.953_501_046_225_634_127_271_5,
            0.987_774_337_275_547_363_071_1,
        ),
    ];
    for (m1, s1, m2, s2, kl_ref, chi2_ref, h2_ref, tv_ref) in cases {
        let (p, q) = (normal(m1, s1), normal(m2, s2));
        for (what, got, reference) in [
            ("KL", kl_normals(&p, &q), kl_ref),
            ("chi2", chi2_normals(&p, &q), chi2_ref),
            ("H^2", hellinger2_normals(&p, &q), h2_ref),
            ("TV", tv_normals(&p, &q), tv_ref),
        ] {
            let close = if reference.is_infinite() {
                got == reference
            } else {
                (got - reference).abs() <= closed_form_rounding(reference)
            };
            assert!(
                close,
                "{what}(N({m1:e}, {s1:e}^2) || N({m2:e}, {s2:e}^2)) = {got:e}, reference {reference:e}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Quadrature against closed forms for random normals

fn normal_pair() -> impl Strategy<Value = (Normal, Normal)> {
    (-3.0..3.0f64, 0.3..3.0f64, -3.0..3.0f64, 0.3..3.0f64)
        .prop_map(|(m1, s1, m2, s2)| (normal(m1, s1), normal(m2, s2)))
}

/// Pairs with a finite, moderate χ²: 2 s2^2 - s1^2 >= 0.2 s2^2 and
/// |m1 - m2| <= 2 s2, so the exponent delta^2/(2 s2^2 - s1^2) stays below 20.
fn chi2_pair() -> impl Strategy<Value = (Normal, Normal)> {
    (-3.0..3.0f64, 0.3..3.0f64, 0.0..1.34f64, -2.0..2.0f64)
        .prop_map(|(m1, s2, rho, z)| (normal(m1, rho.max(0.05) * s2), normal(m1 + z * s2, s2)))
}

proptest! {
    #![proptest_config(common::config(CASES))]

    #[test]
    fn b5_kl_matches_closed_form((p, q) in normal_pair()) {
        let quadrature = Quadrature::default();
        let est = kl(&p, &q, &quadrature).unwrap();
        let exact = kl_normals(&p, &q);
        prop_assert!(agrees(&est, exact), "{}", describe("KL", &est, exact));
    }

    #[test]
    fn b5_hellinger2_matches_closed_form((p, q) in normal_pair()) {
        let quadrature = Quadrature::default();
        let est = hellinger2(&p, &q, &quadrature).unwrap();
        let exact = hellinger2_normals(&p, &q);
        prop_assert!(agrees(&est, exact), "{}", describe("H^2", &est, exact));
    }

    #[test]
    fn b5_tv_matches_closed_form((p, q) in normal_pair()) {
        let quadrature = Quadrature::default();
        let est = total_variation(&p, &q, &quadrature).unwrap();
        let exact = tv_normals(&p, &q);
        prop_assert!(agrees(&est, exact), "{}", describe("TV", &est, exact));
    }

    #[test]
    fn b5_tv_equal_variance_matches_closed_form(m1 in -3.0..3.0f64, m2 in -3.0..3.0f64, s in 0.3..3.0f64) {
        let (p, q) = (normal(m1, s), normal(m2, s));
        let quadrature = Quadrature::default();
        let est = total_variation(&p, &q, &quadrature).unwrap();
        let exact = tv_normals(&p, &q);
        prop_assert!(agrees(&est, exact), "{}", describe("TV", &est, exact));
    }

    #[test]
    fn b5_chi2_matches_closed_form((p, q) in chi2_pair()) {
        let quadrature = Quadrature::default();
        let est = chi2(&p, &q, &quadrature).unwrap();
        let exact = chi2_normals(&p, &q);
        prop_assert!(exact.is_finite());
        prop_assert!(agrees_chi2(&est, &p, &q), "{}", describe("chi2", &est, exact));
    }

    #[test]
    fn b5_chi2_is_infinite_when_p_is_too_wide(m1 in -3.0..3.0f64, m2 in -3.0..3.0f64, s2 in 0.3..3.0f64, excess in 1.0..3.0f64) {
        // s1^2 = 2 s2^2 * excess >= 2 s2^2: p^2/q does not decay.
        let p = normal(m1, s2 * (2.0 * excess).sqrt());
        let q = normal(m2, s2);
        prop_assert_eq!(chi2_normals(&p, &q), f64::INFINITY);
        prop_assert_eq!(chi2(&p, &q, &Quadrature::default()).unwrap().value, f64::INFINITY);
    }

    #[test]
    fn b5_js_is_bounded_and_symmetric((p, q) in normal_pair()) {
        let quadrature = Quadrature::default();
        let pq = js(&p, &q, &quadrature).unwrap();
        let qp = js(&q, &p, &quadrature).unwrap();
        prop_assert!((pq.value - qp.value).abs() <= pq.error_estimate + qp.error_estimate);
        // Pointwise, with r = min(p, q)/max(p, q), the JS term lies between
        // ln 2 (1 - sqrt r)^2 / 2 and ln 2 (1 - r)/2, the Hellinger and TV
        // terms times ln 2; integrated: ln 2 H^2 <= JSD <= ln 2 TV. Checked
        // on the integral before `js` clamps it to [0, ln 2], so the clamp
        // cannot hide a violation.
        let pq = integrate_pair(&p, &q, js_integrand, &quadrature).unwrap();
        prop_assert!(!pq.value.is_nan());
        let h2 = hellinger2_normals(&p, &q);
        let tv = tv_normals(&p, &q);
        let upper_slack = pq.error_estimate + closed_form_rounding(tv);
        let lower_slack = pq.error_estimate + closed_form_rounding(h2);
        prop_assert!(pq.value <= tv * LN_2 + upper_slack, "JSD {} > ln 2 TV {}", pq.value, tv * LN_2);
        prop_assert!(pq.value >= h2 * LN_2 - lower_slack, "JSD {} < ln 2 H^2 {}", pq.value, h2 * LN_2);
    }

    #[test]
    fn b5_random_mixtures_integrate_to_one(
        parts in proptest::collection::vec((0.01..1.0f64, -10.0..10.0f64, 0.05..5.0f64), 1..5)
    ) {
        let weights: Vec<f64> = parts.iter().map(|c| c.0).collect();
        let components = parts.iter().map(|c| normal(c.1, c.2)).collect();
        let mix = NormalMixture::from_weights(&weights, components).unwrap();
        let m = mass(&mix, &Quadrature::default()).unwrap();
        prop_assert!(agrees(&m, 1.0), "{}", describe("mass", &m, 1.0));
    }

    #[test]
    fn b5_integrands_are_never_nan(
        ln_p in prop_oneof![Just(f64::NEG_INFINITY), Just(f64::INFINITY), -2000.0..800.0f64],
        ln_q in prop_oneof![Just(f64::NEG_INFINITY), Just(f64::INFINITY), -2000.0..800.0f64],
    ) {
        for (name, v) in [
            ("kl", kl_integrand(ln_p, ln_q)),
            ("js", js_integrand(ln_p, ln_q)),
            ("tv", tv_integrand(ln_p, ln_q)),
            ("chi2", chi2_integrand(ln_p, ln_q)),
            ("hellinger2", hellinger2_integrand(ln_p, ln_q)),
        ] {
            prop_assert!(!v.is_nan() && v >= 0.0, "{name}({ln_p}, {ln_q}) = {v}");
        }
        prop_assert!(!cross_entropy_integrand(ln_p, ln_q).is_nan());
        prop_assert!(!entropy_integrand(ln_p).is_nan());
    }
}

// ---------------------------------------------------------------------------
// Infinite divergences, JS limits, other densities

#[test]
fn b5_kl_normal_against_uniform_is_infinite() {
    let quadrature = Quadrature::default();
    let p = normal(0.0, 1.0);
    // Even a uniform covering p's effective support misses p's far tails.
    for (low, high) in [(-1.0, 1.0), (-100.0, 100.0), (5.0, 6.0)] {
        let u = Uniform::new(low, high).unwrap();
        assert_eq!(kl(&p, &u, &quadrature).unwrap().value, f64::INFINITY);
        assert_eq!(
            cross_entropy(&p, &u, &quadrature).unwrap().value,
            f64::INFINITY
        );
        assert_eq!(chi2(&p, &u, &quadrature).unwrap().value, f64::INFINITY);
        // The other way round KL is finite and has a closed form.
        let est = kl(&u, &p, &quadrature).unwrap();
        let exact = kl_uniform_normal(&u, &p);
        assert!(
            agrees(&est, exact),
            "{}",
            describe("KL(U || N)", &est, exact)
        );
    }
    // Uniform against a narrower uniform: mass on (1, 2) where q = 0.
    let wide = Uniform::new(0.0, 2.0).unwrap();
    let narrow = Uniform::new(0.0, 1.0).unwrap();
    assert_eq!(
        kl(&wide, &narrow, &quadrature).unwrap().value,
        f64::INFINITY
    );
    let est = kl(&narrow, &wide, &quadrature).unwrap();
    assert!(
        agrees(&est, LN_2),
        "{}",
        describe("KL(U(0,1) || U(0,2))", &est, LN_2)
    );
    // TV and JS stay finite across disjoint supports.
    let far = Uniform::new(3.0, 4.0).unwrap();
    let tv = total_variation(&narrow, &far, &quadrature).unwrap();
    assert!(agrees(&tv, 1.0));
    let jsd = js(&narrow, &far, &quadrature).unwrap();
    assert!(agrees(&jsd, LN_2));
}

#[test]
fn b5_js_tends_to_ln2_for_far_apart_normals() {
    let quadrature = Quadrature::default();
    let p = normal(0.0, 1.0);
    let mut previous = 0.0;
    for gap in [0.5, 1.0, 2.0, 4.0, 8.0] {
        let q = normal(gap, 1.0);
        let est = js(&p, &q, &quadrature).unwrap();
        assert!(est.value > previous, "JSD must grow with the gap");
        // Below ln 2 TV (see b5_js_is_bounded_and_symmetric), which is below ln 2.
        let tv = tv_normals(&p, &q);
        assert!(est.value <= LN_2 * tv + est.error_estimate + closed_form_rounding(tv));
        previous = est.value;
    }
    // At a gap of 80 sd the overlap is below e^-800: JSD = ln 2 to rounding.
    let est = js(&p, &normal(80.0, 1.0), &quadrature).unwrap();
    assert!(agrees(&est, LN_2), "{}", describe("JSD far", &est, LN_2));
    // And JSD(p || p) = 0.
    let same = js(&p, &p, &quadrature).unwrap();
    assert!(agrees(&same, 0.0));
}

#[test]
fn b5_chi2_near_the_divergence_boundary() {
    // s1^2 = 1.99 s2^2: finite, but p^2/q decays like a normal of sd
    // 1/sqrt(2 (1/1.99 - 1/2)) = 14.1 = 10 s1, so 3e-4 of chi2's integral lies
    // beyond p's effective support (40 s1); the tail pieces integrate it.
    let p = normal(0.0, 1.99f64.sqrt());
    let q = normal(0.1, 1.0);
    let est = chi2(&p, &q, &Quadrature::default()).unwrap();
    let exact = chi2_normals(&p, &q);
    assert!(exact.is_finite() && exact > 1.0);
    assert!(
        agrees_chi2(&est, &p, &q),
        "{}",
        describe("chi2 near boundary", &est, exact)
    );
    // At s1 = sqrt 2 (rounded up by 1.1e-16), s2 = 1 the exact margin
    // 2 s2^2 - s1^2 is -2.7e-16: p^2/q grows, both sides say +inf. (No double
    // squares to exactly 2, so the boundary itself is never met.)
    let edge = normal(0.5, std::f64::consts::SQRT_2);
    let unit = normal(0.0, 1.0);
    assert!(std::f64::consts::SQRT_2.mul_add(std::f64::consts::SQRT_2, -2.0) > 0.0);
    assert_eq!(chi2_normals(&edge, &unit), f64::INFINITY);
    assert_eq!(
        chi2(&edge, &unit, &Quadrature::default()).unwrap().value,
        f64::INFINITY
    );
}

#[test]
fn b5_chi2_near_the_boundary_is_within_its_conditioning() {
    // s1^2 = (1 - c) 2 s2^2 for c from 1e-2 down to 1e-6: chi2's condition
    // number grows like 1/c^2, and the rounding of ln p and ln q at the nodes
    // (which the quadrature's estimate cannot see) moves the integral by up
    // to chi2_quadrature_rounding. The relative target is raised to that
    // noise where it exceeds the default 1e-10 (as the verify entry does);
    // the result must then agree within estimate + closed-form rounding +
    // that allowance, and the allowance must still leave six digits.
    for (closeness, gap) in [
        (1e-2, 1.0),
        (1e-3, 0.3),
        (1e-4, 0.1),
        (1e-5, 0.02),
        (1e-6, 0.01),
    ] {
        let s2 = 1.3;
        let p = normal(0.2, s2 * f64::sqrt(2.0 * (1.0 - closeness)));
        let q = normal(0.2 - gap, s2);
        let exact = chi2_normals(&p, &q);
        let noise = chi2_quadrature_rounding(&p, &q) / (1.0 + exact);
        assert!(
            exact.is_finite() && noise < 1e-6,
            "{closeness}: noise {noise:e}"
        );
        let default = Quadrature::default();
        let quadrature =
            Quadrature::new(default.abs_tol(), default.rel_tol().max(noise), 2000).unwrap();
        let est = chi2(&p, &q, &quadrature).unwrap();
        assert!(
            agrees_chi2(&est, &p, &q),
            "{}",
            describe("chi2 near the boundary", &est, exact)
        );
    }
}

#[test]
fn b5_chi2_at_the_top_of_the_f64_range() {
    // chi2(N(0, 1.4^2) || N(5.314, 1)) = 1.410920215519332872272343e307
    // (mpmath): finite, though most of p^2/q lies in the right tail piece,
    // where the integrand (with the substitution's Jacobian) peaks at a few
    // hundred times the integral; chi2 integrates it scaled by e^-44.
    let (p, q) = (normal(0.0, 1.4), normal(5.314, 1.0));
    let reference = 1.410_920_215_519_332_872_272_343e307;
    let exact = chi2_normals(&p, &q);
    assert!((exact - reference).abs() <= closed_form_rounding(reference));
    let noise = chi2_quadrature_rounding(&p, &q) / (1.0 + exact);
    let default = Quadrature::default();
    let quadrature =
        Quadrature::new(default.abs_tol(), default.rel_tol().max(noise), 2000).unwrap();
    let est = chi2(&p, &q, &quadrature).unwrap();
    assert!(
        agrees_chi2(&est, &p, &q),
        "{}",
        describe("chi2 near f64::MAX", &est, exact)
    );
    // Just beyond: mpmath gives 4.53e308 > f64::MAX, so +inf on both sides
    // (the closed form once gave NaN here, from inf times a negative low part).
    let (p, q) = (
        normal(-1.562_346_723_185_211, 1.277_953_791_529_985_7),
        normal(1.567_372_146_901_657_7, 0.907_463_828_349_457_9),
    );
    assert_eq!(chi2_normals(&p, &q), f64::INFINITY);
    assert_eq!(chi2(&p, &q, &default).unwrap().value, f64::INFINITY);
}

#[test]
fn b5_quadrature_estimate_covers_node_rounding_far_from_the_origin() {
    // sd = 1e-9 |mean| (the smallest relative scale accepted): nodes near the
    // mean are rounded by up to half an ulp of the mean, about 1e-7 sd, and
    // integrals come out off by up to a few 1e-8. The estimate must cover
    // that (its node term), and so a target of 1e-10 cannot be met.
    let loose = Quadrature::new(0.0, 1e-6, 2000).unwrap();
    for mean in [1e100, -5.5e98, 3.7e99, 2.2e97, 1e9] {
        let sd = 1e-9 * f64::abs(mean);
        let (p, q) = (normal(mean, sd), normal(mean, 2.0 * sd));
        for (what, est, exact) in [
            ("KL", kl(&p, &q, &loose).unwrap(), kl_normals(&p, &q)),
            ("mass", mass(&p, &loose).unwrap(), 1.0),
            (
                "TV",
                total_variation(&p, &q, &loose).unwrap(),
                tv_normals(&p, &q),
            ),
            (
                "H^2",
                hellinger2(&p, &q, &loose).unwrap(),
                hellinger2_normals(&p, &q),
            ),
        ] {
            assert!(
                agrees(&est, exact),
                "{}",
                describe(&format!("{what} at mean {mean:e}"), &est, exact)
            );
        }
    }
    let (p, q) = (normal(1e100, 1e91), normal(1e100, 2e91));
    assert!(matches!(
        kl(&p, &q, &Quadrature::default()),
        Err(Error::NotConverged { .. })
    ));
}

#[test]
fn b5_divergences_of_close_normals_keep_relative_accuracy() {
    // KL = 5e-7, H^2 = 1.25e-7, chi2 = 1e-6 here; with a purely relative
    // target the non-negative, cancellation-free integrands (p psi(d),
    // max(p, q) expm1(.)^2, q expm1(d)^2 with d = ln p - ln q) reach 1e-10
    // relative. (Their accuracy is bounded by that of d itself, about
    // EPS |ln p| / |d|: for a shift of 1e-8 sd it is only 1e-8 relative.)
    let quadrature = Quadrature::new(0.0, 1e-10, 2000).unwrap();
    let (p, q) = (normal(0.0, 1.0), normal(1e-3, 1.0));
    for (what, est, exact) in [
        ("KL", kl(&p, &q, &quadrature).unwrap(), kl_normals(&p, &q)),
        (
            "H^2",
            hellinger2(&p, &q, &quadrature).unwrap(),
            hellinger2_normals(&p, &q),
        ),
        (
            "chi2",
            chi2(&p, &q, &quadrature).unwrap(),
            chi2_normals(&p, &q),
        ),
    ] {
        assert!(exact > 0.0 && exact < 1e-5, "{what} = {exact}");
        assert!(
            (est.value - exact).abs() <= est.error_estimate + CLOSED_FORM_REL * exact,
            "{}",
            describe(what, &est, exact)
        );
        // The actual error meets the relative target.
        assert!(
            (est.value - exact).abs() <= quadrature.target(exact) + CLOSED_FORM_REL * exact,
            "{}",
            describe(what, &est, exact)
        );
    }
}

#[test]
fn b5_entropies_match_closed_forms() {
    let quadrature = Quadrature::default();
    for sd in [0.01, 0.5, 1.0, 7.0] {
        let p = normal(2.0, sd);
        let est = entropy(&p, &quadrature).unwrap();
        let exact = entropy_normal(&p);
        assert!(
            agrees(&est, exact),
            "{}",
            describe("h(normal)", &est, exact)
        );
    }
    let u = Uniform::new(-0.5, 3.0).unwrap();
    let est = entropy(&u, &quadrature).unwrap();
    assert!(agrees(&est, entropy_uniform(&u)));
    // Cross-entropy = entropy + KL for normals.
    let (p, q) = (normal(0.0, 1.0), normal(1.0, 0.5));
    let est = cross_entropy(&p, &q, &quadrature).unwrap();
    let exact = entropy_normal(&p) + kl_normals(&p, &q);
    assert!(agrees(&est, exact), "{}", describe("h(p, q)", &est, exact));
}

#[test]
fn b5_mixture_integrates_to_one() {
    let quadrature = Quadrature::default();
    let mix = NormalMixture::from_weights(
        &[2.0, 1.0, 5.0],
        vec![normal(-4.0, 0.05), normal(0.0, 1.0), normal(30.0, 6.0)],
    )
    .unwrap();
    let m = mass(&mix, &quadrature).unwrap();
    assert!(agrees(&m, 1.0), "{}", describe("mass", &m, 1.0));
    // Each density the crate offers integrates to 1.
    for d in [
        &normal(1.0, 1e-3) as &dyn Density,
        &Uniform::new(-2.0, 7.0).unwrap(),
        &mix,
    ] {
        let m = mass(d, &quadrature).unwrap();
        assert!(agrees(&m, 1.0), "{}", describe("mass", &m, 1.0));
    }
    // A mixture of one component is that normal: KL against it is 0.
    let single = NormalMixture::new(vec![1.0], vec![normal(0.5, 2.0)]).unwrap();
    let est = kl(&single, &normal(0.5, 2.0), &quadrature).unwrap();
    assert!(
        agrees(&est, 0.0),
        "{}",
        describe("KL(mix1 || normal)", &est, 0.0)
    );
    // Mixing two normals that share the other's parameters: chi2 and KL of
    // a mixture against a normal are finite, and KL is below the convexity
    // bound sum w_i KL(N_i || q).
    let q = normal(0.0, 2.0);
    let (a, b) = (normal(-1.0, 1.0), normal(1.5, 0.8));
    let mix2 = NormalMixture::new(vec![0.25, 0.75], vec![a, b]).unwrap();
    let est = kl(&mix2, &q, &quadrature).unwrap();
    let bound = 0.25 * kl_normals(&a, &q) + 0.75 * kl_normals(&b, &q);
    assert!(est.value <= bound + est.error_estimate);
    assert!(est.value > 0.0);
}

#[test]
fn b5_bad_parameters_are_errors() {
    let is_invalid = |r: Result<Normal, Error>| matches!(r, Err(Error::InvalidParameter { .. }));
    assert!(is_invalid(Normal::new(0.0, 0.0)));
    assert!(is_invalid(Normal::new(0.0, -1.0)));
    assert!(is_invalid(Normal::new(0.0, f64::NAN)));
    assert!(is_invalid(Normal::new(f64::NAN, 1.0)));
    assert!(is_invalid(Normal::new(f64::INFINITY, 1.0)));
    assert!(is_invalid(Normal::new(0.0, f64::INFINITY)));
    assert!(is_invalid(Normal::new(1e200, 1.0)));
    assert!(is_invalid(Normal::new(1e6, 1e-6))); // below 1e-9 |mean|
    for (low, high) in [
        (1.0, 1.0),
        (2.0, 1.0),
        (f64::NAN, 1.0),
        (0.0, f64::INFINITY),
    ] {
        assert!(matches!(
            Uniform::new(low, high),
            Err(Error::InvalidParameter { .. })
        ));
    }
    let parts = || vec![normal(0.0, 1.0), normal(1.0, 1.0)];
    assert!(matches!(
        NormalMixture::new(vec![0.5, 0.4], parts()),
        Err(Error::SumNotOne { .. })
    ));
    assert!(matches!(
        NormalMixture::new(vec![1.0], parts()),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        NormalMixture::new(vec![1.0, 0.0], parts()),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        NormalMixture::from_weights(&[1.0, -1.0], parts()),
        Err(Error::Negative { index: 1, .. })
    ));
    assert!(matches!(
        NormalMixture::from_weights(&[1.0, f64::NAN], parts()),
        Err(Error::NotANumber { index: 1 })
    ));
    assert!(matches!(
        NormalMixture::new(vec![], vec![]),
        Err(Error::Empty)
    ));
    for (abs, rel, budget) in [
        (-1.0, 1e-6, 10),
        (0.0, 0.0, 10),
        (1e-9, f64::NAN, 10),
        (1e-9, 1e-9, 0),
    ] {
        assert!(matches!(
            Quadrature::new(abs, rel, budget),
            Err(Error::InvalidParameter { .. })
        ));
    }
    let q = Quadrature::default();
    for piece in [
        Piece::Finite { a: 1.0, b: 0.0 },
        Piece::Finite {
            a: 0.0,
            b: f64::INFINITY,
        },
        Piece::RightTail {
            start: 0.0,
            scale: 0.0,
        },
        Piece::LeftTail {
            end: f64::NAN,
            scale: 1.0,
        },
    ] {
        assert!(matches!(
            q.integrate_pieces(|x| x, &[piece]),
            Err(Error::InvalidParameter { .. })
        ));
    }
}
