//! Claims A1-A4: the value function, the pointwise lemma, the optimal
//! discriminator (Proposition 1) and the global optimum (Theorem 1).

mod common;

use gan_theory::game::sigmoid;
use gan_theory::game::{
    c_of_g, d_star, optimal_discriminator, pointwise_argmax, pointwise_objective, sample_value,
    value, value_term_variance,
};
use gan_theory::tol::{self, Z_FALSE_ALARM_1E6};
use gan_theory::{Discrete, Discriminator, divergence};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::f64::consts::LN_2;

/// Central finite differences with step h have truncation error h^2/6 |V'''|
/// (|V'''| <= 1/4 per unit mass for the logistic terms) and rounding error
/// about EPS |V| / h; h = 1e-5 gives about 1e-11 + 2e-11: 1e-9 leaves margin.
const FD_STEP: f64 = 1e-5;
const FD_TOL: f64 = 1e-9;

/// a/(a+b) computed in two ways (a quotient, or through the ratio of the
/// smaller to the larger) differs by at most a rounding in each: 2 EPS on a
/// value in [0, 1].
const SHARE_ROUNDING: f64 = 2.0 * tol::EPS;

/// a ln y + b ln(1 - y) goes through two logarithms, two products and a sum,
/// each rounded once (5 ulps); 16 ulps of (a + b)(1 + |f|) leaves margin.
const OBJECTIVE_ROUNDING_ULPS: f64 = 16.0;

/// At l* = ln a - ln b, sigma(-l*) and sigma(l*) are b/(a+b) and a/(a+b)
/// within 2 ulps (a log difference and an exp), so a sigma(-l*) - b sigma(l*)
/// cancels to within 4 EPS of max(a, b) <= 1.
const STATIONARY_ROUNDING: f64 = 4.0 * tol::EPS;

/// Minibatch sizes and replicate counts for the statistical checks of A1.
const MINIBATCH_SIZES: [usize; 3] = [16, 64, 256];
const REPLICATES: usize = 400;

/// A game with a discriminator that is neither optimal nor trivial, fixed for the A1 checks.
fn a1_game() -> (Discrete, Discrete, Discriminator) {
    let p_data = Discrete::from_weights(&[3.0, 1.0, 0.0, 2.0, 4.0]).unwrap();
    let p_g = Discrete::from_weights(&[1.0, 2.0, 3.0, 0.0, 1.0]).unwrap();
    let d = Discriminator::from_probabilities(vec![0.7, 0.35, 0.1, 0.9, 0.55]).unwrap();
    (p_data, p_g, d)
}

#[test]
fn a1_minibatch_estimator_is_unbiased() {
    let (p_data, p_g, d) = a1_game();
    let exact = value(&p_data, &p_g, &d).unwrap();
    let term_variance = value_term_variance(&p_data, &p_g, &d).unwrap();
    let mut rng = StdRng::seed_from_u64(1);
    for m in MINIBATCH_SIZES {
        let estimates: Vec<f64> = (0..REPLICATES)
            .map(|_| sample_value(&p_data, &p_g, &d, m, &mut rng).unwrap().value)
            .collect();
        let mean = estimates.iter().sum::<f64>() / REPLICATES as f64;
        // The mean of R independent estimates has variance sigma^2 / (m R);
        // with m R >= 6400 draws the normal approximation holds, so the check
        // fails by chance with probability 1e-6.
        let bound = Z_FALSE_ALARM_1E6 * (term_variance / (m * REPLICATES) as f64).sqrt();
        assert!(
            (mean - exact).abs() <= bound,
            "m = {m}: mean {mean} vs exact V {exact}, bound {bound}"
        );
    }
}

#[test]
fn a1_standard_error_shrinks_as_one_over_sqrt_m() {
    let (p_data, p_g, d) = a1_game();
    let (_, var_real, k4_real) = common::cumulants(&p_data, |i| d.ln_d(i));
    let (_, var_fake, k4_fake) = common::cumulants(&p_g, |i| d.ln_one_minus_d(i));
    let mut rng = StdRng::seed_from_u64(2);
    let r = REPLICATES as f64;
    for m in MINIBATCH_SIZES {
        let mf = m as f64;
        let estimates: Vec<_> = (0..REPLICATES)
            .map(|_| sample_value(&p_data, &p_g, &d, m, &mut rng).unwrap())
            .collect();
        // (1) The spread of the estimates across replicates is sigma^2 / m.
        let sigma2_m = (var_real + var_fake) / mf;
        let mean = estimates.iter().map(|e| e.value).sum::<f64>() / r;
        let spread = estimates
            .iter()
            .map(|e| (e.value - mean).powi(2))
            .sum::<f64>()
            / (r - 1.0);
        // Var(S^2 / sigma_m^2) = 2/(R-1) + excess kurtosis / R, with the estimator's
        // excess kurtosis (k4_real + k4_fake) / (m^3 sigma_m^4) from its cumulants;
        // the bounds hold the central 1 - 1e-6 of the matching scaled chi-square.
        let excess_kurtosis = (k4_real + k4_fake) / (mf.powi(3) * sigma2_m * sigma2_m);
        let (low, high) = tol::variance_ratio_bounds(2.0 / (r - 1.0) + excess_kurtosis / r);
        let ratio = spread / sigma2_m;
        assert!(
            (low..=high).contains(&ratio),
            "m = {m}: replicate variance / (sigma^2/m) = {ratio}, outside [{low}, {high}]"
        );
        // (2) The reported standard error squared is unbiased for sigma^2 / m:
        // se^2 = s_real^2/m + s_fake^2/m with unbiased sample variances, each of
        // variance sigma^4 (2/(m-1) + kappa/m).
        // The mean of R such se^2 is itself a variance estimate with mean sigma^2/m:
        // the same scaled chi-square bounds apply, with its exact relative variance.
        let se2_mean = estimates.iter().map(|e| e.std_error.powi(2)).sum::<f64>() / r;
        let var_s2 = |v: f64, k4: f64| v * v * (2.0 / (mf - 1.0) + k4 / (v * v * mf));
        let var_se2_mean = (var_s2(var_real, k4_real) + var_s2(var_fake, k4_fake)) / (mf * mf) / r;
        let (low, high) = tol::variance_ratio_bounds(var_se2_mean / (sigma2_m * sigma2_m));
        let ratio = se2_mean / sigma2_m;
        assert!(
            (low..=high).contains(&ratio),
            "m = {m}: mean se^2 / (sigma^2/m) = {ratio}, outside [{low}, {high}]"
        );
    }
}

proptest! {
    #![proptest_config(common::config(128))]

    #[test]
    fn a1_value_same_from_probabilities_and_logits((p_data, p_g, d) in common::game()) {
        let logits: Vec<f64> = (0..d.len()).map(|i| d.logit(i)).collect();
        let same = Discriminator::from_logits(logits).unwrap();
        let a = value(&p_data, &p_g, &d).unwrap();
        let b = value(&p_data, &p_g, &same).unwrap();
        prop_assert!(tol::close(a, b), "{a} vs {b}");
        // And against the textbook sum, term by term.
        let naive: f64 = (0..d.len())
            .map(|i| {
                let y = d.probability(i);
                p_data[i] * y.ln() + p_g[i] * (1.0 - y).ln()
            })
            .sum();
        prop_assert!(tol::close(a, naive), "{a} vs naive {naive}");
    }

    #[test]
    fn a2_pointwise_maximiser_is_a_over_a_plus_b(
        a in prop_oneof![1 => Just(0.0), 4 => 1e-6f64..10.0],
        b in prop_oneof![1 => Just(0.0), 4 => 1e-6f64..10.0],
        y in 0.0f64..=1.0,
    ) {
        prop_assume!(a + b > 0.0);
        let best = pointwise_argmax(a, b).unwrap();
        prop_assert!((best - a / (a + b)).abs() <= SHARE_ROUNDING);
        let f_best = pointwise_objective(a, b, best);
        let f_y = pointwise_objective(a, b, y);
        // f'' = -a/y^2 - b/(1-y)^2 <= -(a + b), so f(y*) - f(y) >= (a+b)(y - y*)^2 / 2.
        // Rounding: a few EPS of each O((a+b) |ln y|) term.
        // (f(y) is -inf at y = 0 or 1 when a or b > 0: then the bound holds outright.)
        let finite_f_y = if f_y.is_finite() { f_y.abs() } else { 0.0 };
        let rounding = OBJECTIVE_ROUNDING_ULPS * tol::EPS * (a + b) * (1.0 + f_best.abs() + finite_f_y);
        prop_assert!(
            f_best - f_y >= (a + b) * (y - best).powi(2) / 2.0 - rounding,
            "a={a} b={b} y={y}: f(y*)={f_best} f(y)={f_y}"
        );
    }

    #[test]
    fn a3_optimal_discriminator_beats_every_other((p_data, p_g, d) in common::game()) {
        let best = optimal_discriminator(&p_data, &p_g).unwrap();
        let v_star = value(&p_data, &p_g, &best).unwrap();
        let v = value(&p_data, &p_g, &d).unwrap();
        // V(D*) - V(D) = sum_x (a + b) KL(Bernoulli(D*(x)) || Bernoulli(D(x))) >= 0,
        // with equality only where D = D* on the union of the supports.
        let gap: f64 = (0..d.len())
            .map(|i| {
                let (a, b) = (p_data[i], p_g[i]);
                let (s, t) = (best.probability(i), d.probability(i));
                let kl_bern = |s: f64, t: f64| {
                    let x = if s > 0.0 { s * (s / t).ln() } else { 0.0 };
                    let y = if s < 1.0 { (1.0 - s) * ((1.0 - s) / (1.0 - t)).ln() } else { 0.0 };
                    x + y
                };
                (a + b) * kl_bern(s, t)
            })
            .sum();
        prop_assert!(v <= v_star + tol::IDENTITY_ABS, "V(D) = {v} > V(D*) = {v_star}");
        prop_assert!(tol::close(v_star - v, gap), "gap {} vs {gap}", v_star - v);
    }

    #[test]
    fn a3_value_is_stationary_at_d_star((p_data, p_g) in common::pair()) {
        let star = optimal_discriminator(&p_data, &p_g).unwrap();
        let logits: Vec<f64> = (0..star.len()).map(|i| star.logit(i)).collect();
        let v_star = value(&p_data, &p_g, &star).unwrap();
        for i in 0..logits.len() {
            if !(p_data[i] > 0.0 && p_g[i] > 0.0) {
                continue; // the logit is +-inf (or irrelevant) there
            }
            let shifted = |h: f64| {
                let mut l = logits.clone();
                l[i] += h;
                value(&p_data, &p_g, &Discriminator::from_logits(l).unwrap()).unwrap()
            };
            let (up, down) = (shifted(FD_STEP), shifted(-FD_STEP));
            let slope = (up - down) / (2.0 * FD_STEP);
            prop_assert!(slope.abs() <= FD_TOL, "dV/dl_{i} = {slope}");
            // And analytically: dV/dl = a sigma(-l) - b sigma(l) = 0 at l*.
            let analytic = p_data[i] * sigmoid(-logits[i]) - p_g[i] * sigmoid(logits[i]);
            prop_assert!(analytic.abs() <= STATIONARY_ROUNDING);
            // A strict maximum: moving either way lowers V.
            prop_assert!(up < v_star && down < v_star);
        }
    }

    #[test]
    fn a3_d_star_is_one_half_where_distributions_agree((p, q) in common::pair()) {
        let same = d_star(&p, &p).unwrap();
        for (i, d) in same.iter().enumerate() {
            if p[i] > 0.0 {
                prop_assert_eq!(*d, Some(0.5));
            } else {
                prop_assert_eq!(*d, None);
            }
        }
        // Where two different distributions agree on a point, D* is 1/2 there too,
        // and elsewhere it is p/(p+q).
        let mixed = d_star(&p, &q).unwrap();
        for i in 0..p.len() {
            match mixed[i] {
                None => prop_assert!(p[i] == 0.0 && q[i] == 0.0),
                Some(d) if p[i] == q[i] => prop_assert_eq!(d, 0.5),
                Some(d) => prop_assert!((d - p[i] / (p[i] + q[i])).abs() <= SHARE_ROUNDING),
            }
        }
    }

    #[test]
    fn a4_c_of_g_equals_minus_ln4_plus_2jsd((p_data, p_g) in common::pair()) {
        let c = c_of_g(&p_data, &p_g).unwrap();
        let jsd = divergence::js(&p_data, &p_g).unwrap();
        prop_assert!(tol::close(c, -4f64.ln() + 2.0 * jsd), "C(G) = {c}, JSD = {jsd}");
        // C(G) is V at D*, and D* is a maximiser: C(G) = V(D*, G).
        let v_star = value(&p_data, &p_g, &optimal_discriminator(&p_data, &p_g).unwrap()).unwrap();
        prop_assert!(tol::close(c, v_star), "C(G) = {c}, V(D*) = {v_star}");
    }

    #[test]
    fn a4_minimum_only_at_p_g_equals_p_data((p_data, p_g) in common::pair()) {
        let ln4 = 4f64.ln();
        prop_assert!(tol::close(c_of_g(&p_data, &p_data).unwrap(), -ln4));
        // C(G) + ln 4 = 2 JSD >= TV^2 (Pinsker on each half of the JSD), so
        // C(G) > -ln 4 whenever p_g differs from p_data.
        let c = c_of_g(&p_data, &p_g).unwrap();
        let tv = divergence::total_variation(&p_data, &p_g).unwrap();
        prop_assert!(c + ln4 >= tv * tv - tol::IDENTITY_ABS, "C+ln4 = {}, TV = {tv}", c + ln4);
    }
}

#[test]
fn a2_pointwise_maximiser_for_huge_weights() {
    // a + b overflows f64 here; the maximiser a/(a+b) = 1/2.7 does not.
    let y = pointwise_argmax(1e308, 1.7e308).unwrap();
    assert!((y - 1.0 / 2.7).abs() <= SHARE_ROUNDING, "{y}");
    assert!((pointwise_argmax(1.7e308, 1e308).unwrap() - 1.7 / 2.7).abs() <= SHARE_ROUNDING);
}

#[test]
// The reference values are written out in decimal on purpose, beside LN_2.
#[allow(clippy::approx_constant)]
fn a4_worked_example() {
    // p_data = (1/2, 1/2, 0), p_g = (0, 1/2, 1/2): JSD = (ln 2)/2, C(G) = -ln 4 + ln 2 = -ln 2.
    let p_data = Discrete::new(vec![0.5, 0.5, 0.0]).unwrap();
    let p_g = Discrete::new(vec![0.0, 0.5, 0.5]).unwrap();
    let jsd = divergence::js(&p_data, &p_g).unwrap();
    assert!(tol::close(
        jsd,
        0.346_573_590_279_972_654_708_616_060_729_088_3
    ));
    assert!(tol::close(jsd, LN_2 / 2.0));
    let c = c_of_g(&p_data, &p_g).unwrap();
    assert!(tol::close(
        c,
        -0.693_147_180_559_945_309_417_232_121_458_176_6
    ));
    assert_eq!(
        d_star(&p_data, &p_g).unwrap(),
        vec![Some(1.0), Some(0.5), Some(0.0)]
    );
}

/// Step and tolerance for the loss derivatives: |f'''| <= 1/4 for softplus, so
/// central differences with h = 1e-5 have truncation error below 1e-11, and
/// rounding of losses up to 40 in size adds about 40 EPS / h < 1e-9.
const LOSS_FD_STEP: f64 = 1e-5;
const LOSS_FD_TOL: f64 = 2e-9;

proptest! {
    #![proptest_config(common::config(256))]

    #[test]
    fn generator_loss_gradients_match_finite_differences(logit in -40.0f64..40.0) {
        use gan_theory::game::{non_saturating_loss, non_saturating_loss_grad, saturating_loss, saturating_loss_grad};
        let fd = |f: fn(f64) -> f64| (f(logit + LOSS_FD_STEP) - f(logit - LOSS_FD_STEP)) / (2.0 * LOSS_FD_STEP);
        prop_assert!((fd(saturating_loss) - saturating_loss_grad(logit)).abs() <= LOSS_FD_TOL);
        prop_assert!((fd(non_saturating_loss) - non_saturating_loss_grad(logit)).abs() <= LOSS_FD_TOL);
        // The losses are ln(1 - D) and -ln D with D = sigma(logit); the naive forms
        // are accurate only where their argument does not cancel (D <= 1/2 for
        // ln(1 - D), D >= 1/2 for ln D), so each is compared there.
        let d = sigmoid(logit);
        prop_assert!(d > 0.5 || tol::close(saturating_loss(logit), (1.0 - d).ln()));
        prop_assert!(d < 0.5 || tol::close(non_saturating_loss(logit), -d.ln()));
    }
}

#[test]
fn generator_losses_as_d_of_g_goes_to_zero() {
    use gan_theory::game::{
        non_saturating_loss, non_saturating_loss_grad, saturating_loss, saturating_loss_grad,
    };
    // D(G(z)) = sigma(l) -> 0 as l -> -inf: the saturating gradient -sigma(l)
    // vanishes like D itself, the non-saturating one -sigma(-l) tends to -1.
    // The reference is a central difference of each loss (softplus), not the
    // gradients' own formula (the sigmoid): relative for the saturating loss,
    // whose values are of the size of D (A7 proof: truncation h^2/6 of |L'|
    // with h = 1e-4, rounding 6 EPS / h; 1e-8), absolute for the
    // non-saturating one (values up to 700: rounding 6 EPS 700 / (2h) = 5e-9
    // on top of the truncation 2e-10; 1e-8).
    let fd = |f: fn(f64) -> f64, l: f64| {
        let (plus, minus) = (l + 1e-4, l - 1e-4);
        (f(plus) - f(minus)) / (plus - minus)
    };
    for l in [-5.0, -20.0, -100.0, -700.0] {
        let d = sigmoid(l);
        let (sat, non_sat) = (fd(saturating_loss, l), fd(non_saturating_loss, l));
        assert!((sat / -d - 1.0).abs() <= 1e-8, "{l}: {sat} vs -{d}");
        assert!((saturating_loss_grad(l) / sat - 1.0).abs() <= 1e-8, "{l}");
        assert!((non_sat + (1.0 - d)).abs() <= 1e-8, "{l}: {non_sat}");
        assert!((non_saturating_loss_grad(l) - non_sat).abs() <= 1e-8, "{l}");
    }
    for l in [-800.0, f64::NEG_INFINITY] {
        assert!(saturating_loss(l) <= 0.0 && !saturating_loss(l).is_nan());
        assert_eq!(saturating_loss_grad(l), -0.0);
        assert_eq!(non_saturating_loss_grad(l), -1.0);
        assert!(!non_saturating_loss(l).is_nan());
    }
    // At a logit of -800, -ln D = 800 exactly (no ln 0), and the losses stay finite.
    assert_eq!(non_saturating_loss(-800.0), 800.0);
    assert_eq!(saturating_loss(-800.0), -0.0);
    assert_eq!(non_saturating_loss(f64::NEG_INFINITY), f64::INFINITY);
}
