//! Claim D4: conditional GANs on a finite label set, pix2pix's L1 term, and a
//! tabular conditional discriminator trained by gradient ascent.

mod common;

use gan_theory::tabular::TabularGenerator;
use gan_theory::train::conditional::{
    AscentSettings, ascend, d_error_bound, descend_generator, generator_gradient,
    generator_objective, largest_generator_step, local_contraction, steps_for_target,
    value_gradient, zero_start,
};
use gan_theory::train::tabular_game::descend_c_of_g;
use gan_theory::variants::conditional::{ConditionalDiscriminator, ConditionalGame, Pix2Pix};
use gan_theory::{Discrete, Discriminator, Error, game, tol};
use proptest::prelude::*;

/// Reference values are given to 19+ digits; the library's value goes
/// through a handful of logs and compensated sums of terms of order 1.
const REFERENCE_REL: f64 = 8.0 * tol::EPS;

/// Central differences of V in one logit with step h: truncation
/// `h^2 abs(V''') / 6 <= h^2 / 24` (the logistic terms have `abs(l''') <= 1/4`
/// per unit mass) and rounding `EPS abs(V) / h`; h = 1e-5 gives about 4e-12 +
/// 4e-11, and 1e-9 leaves margin.
const FD_STEP: f64 = 1e-5;
const FD_TOL: f64 = 1e-9;

/// A distance `abs(D_t - D*)` in `[0, 1]` against its bound: sigmoid of the
/// trained logit, D* and the bound are each within a couple of ulps of 1.
const D_ROUNDING: f64 = 8.0 * tol::EPS;

/// The measured per-step factor of the logit error against the local factor
/// `1 - step w a b/(a+b)`: the factor at step t is `1 - c sigmoid'(xi)` with
/// `xi` within the current error e of l*, and `abs(sigmoid'') <= 0.1`, so it
/// differs from the local one by at most `0.1 c e`; measured where
/// `e <= 1e-4` (c <= 4) that is 4e-5, and the ratio of two rounded errors
/// of size 1e-5 adds about 1e-11.
const RATE_TOL: f64 = 5e-5;

/// Two codes running the same descent (this module's and A5's) differ by a
/// few ulps per step in the logits; near the optimum the descent does not
/// amplify them (step <= 1/L), so after 400 steps the values of C agree to
/// about 400 x 4 EPS x |C| < 1e-12.
const TRAJECTORY_ROUNDING: f64 = 1e-12;

/// With D within 1e-10 of D* at every coordinate (sigmoid' >= 0.01 there),
/// the logits are within 1e-8 of l*, and V, concave with curvature at most
/// 1/4 per unit mass, is within 1e-16 of C; V's own rounding adds about
/// 1e-15. 1e-12 leaves margin.
const VALUE_GAP: f64 = 1e-12;

/// Logit errors below this are rounding (an ulp of logits of order 1 is
/// 2e-16); past it, "the error shrinks at every step" no longer applies.
const ERROR_FLOOR: f64 = 1e-12;

/// L1 of a 3-point, 2-label problem is a sum of 18 products of order 1:
/// rounding of at most 32 ulps.
const L1_ROUNDING: f64 = 32.0 * tol::EPS;

/// Labels, data and generator for the hand cases: p(y) = (0.3, 0.7).
fn reference_game() -> ConditionalGame {
    ConditionalGame::new(
        Discrete::new(vec![0.3, 0.7]).unwrap(),
        vec![
            Discrete::new(vec![0.5, 0.5, 0.0]).unwrap(),
            Discrete::new(vec![0.1, 0.2, 0.7]).unwrap(),
        ],
        vec![
            Discrete::new(vec![0.25, 0.25, 0.5]).unwrap(),
            Discrete::new(vec![0.7, 0.2, 0.1]).unwrap(),
        ],
    )
    .unwrap()
}

fn game_strategy() -> impl Strategy<Value = ConditionalGame> {
    (1usize..=4, 1usize..=8).prop_flat_map(|(labels, points)| {
        (
            common::distribution(labels),
            proptest::collection::vec(common::distribution(points), labels),
            proptest::collection::vec(common::distribution(points), labels),
        )
            .prop_map(|(l, d, g)| ConditionalGame::new(l, d, g).unwrap())
    })
}

fn logits_for(game: &ConditionalGame, values: &[f64]) -> Vec<Vec<f64>> {
    let n = game.point_count();
    (0..game.label_count())
        .map(|y| (0..n).map(|x| values[(y * n + x) % values.len()]).collect())
        .collect()
}

/// C for the hand case, computed with 40-digit decimal arithmetic from
/// sum_y p(y) sum_x [p ln(p/(p+q)) + q ln(q/(p+q))].
#[test]
fn d4_reference_conditional_value() {
    let g = reference_game();
    let expected = -0.902_495_166_896_659_655_578_17;
    assert!((g.c_of_g() - expected).abs() <= REFERENCE_REL * expected.abs());
    assert!((g.c_of_g_via_js() - expected).abs() <= REFERENCE_REL * expected.abs());
    // The marginals p(x) = (0.22, 0.29, 0.49), q(x) = (0.565, 0.215, 0.22).
    let marginal = -1.249_587_910_122_487_864_403_04;
    assert!((g.marginal_c_of_g() - marginal).abs() <= REFERENCE_REL * marginal.abs());
    // D*(x|y) = p/(p+q): label 0 gives (2/3, 2/3, 0), label 1 (1/8, 1/2, 7/8).
    let d_star = g.d_star();
    let expected_d = [[2.0 / 3.0, 2.0 / 3.0, 0.0], [0.125, 0.5, 0.875]];
    for (row, expected_row) in d_star.iter().zip(expected_d) {
        for (d, e) in row.iter().zip(expected_row) {
            assert!((d.unwrap() - e).abs() <= 2.0 * tol::EPS);
        }
    }
}

/// Labels with `p(y) = 0` contribute 0 to `V`, as documented, even when
/// their own value is `-inf` (D = 0 on the data's point, 1 on the
/// generated one): `V` is then the other label's `ln(1/2) + ln(1/2) = -ln 4`
/// (reference: `ln 4 = 1.386294361119890618834464242916`, from Python's
/// `decimal`), not `0 (-inf)` = NaN. The discriminator has one part per
/// label.
#[test]
fn d4_zero_weight_label_contributes_nothing_even_at_minus_infinity() {
    let (data0, generated0) = (
        Discrete::new(vec![1.0, 0.0]).unwrap(),
        Discrete::new(vec![0.0, 1.0]).unwrap(),
    );
    let half = Discrete::uniform(2).unwrap();
    let g = ConditionalGame::new(
        Discrete::new(vec![0.0, 1.0]).unwrap(),
        vec![data0.clone(), half.clone()],
        vec![generated0.clone(), half],
    )
    .unwrap();
    let wrong = Discriminator::from_probabilities(vec![0.0, 1.0]).unwrap();
    assert_eq!(
        game::value(&data0, &generated0, &wrong).unwrap(),
        f64::NEG_INFINITY
    );
    let d = ConditionalDiscriminator::new(vec![
        wrong,
        Discriminator::from_probabilities(vec![0.5, 0.5]).unwrap(),
    ])
    .unwrap();
    assert_eq!(
        (d.label_count(), g.optimal_discriminator().label_count()),
        (2, 2)
    );
    let v = g.value(&d).unwrap();
    let expected = -1.386_294_361_119_890_618_834_464_242_916;
    assert!(
        (v - expected).abs() <= REFERENCE_REL * expected.abs(),
        "{v}"
    );
}

/// pix2pix's L1 terms weigh each label by `p(y)`, so a label with
/// `p(y) = 0` adds nothing, even where its own `E abs(t - t')` is
/// `2 f64::MAX`, past the largest double: with targets `(-MAX, MAX, 0)`,
/// label 0 (weight 0) has its data at `-MAX` and its generator at `MAX`,
/// label 1 (weight 1) its data at 0 and its generator at `MAX`. Then
/// `L1 = 0 x 2 MAX + 1 x MAX = MAX` and, for the deterministic outputs
/// `(MAX, 1)`, `0 x 2 MAX + 1 x 1 = 1`, both exact in `f64`, not NaN.
#[test]
fn d4_zero_weight_label_adds_nothing_to_l1_past_f64_max() {
    let point = |i| Discrete::point_mass(3, i).unwrap();
    let g = ConditionalGame::new(
        Discrete::new(vec![0.0, 1.0]).unwrap(),
        vec![point(0), point(2)],
        vec![point(1), point(1)],
    )
    .unwrap();
    let pix = Pix2Pix::new(g, vec![-f64::MAX, f64::MAX, 0.0]).unwrap();
    assert_eq!(pix.l1(), f64::MAX);
    assert_eq!(pix.l1_deterministic(&[f64::MAX, 1.0]).unwrap(), 1.0);
}

/// The slope towards the median, `sum_y p(y) (E abs(t - m_y) - E abs(t - t'))`,
/// gets nothing from a label with `p(y) = 0` even where that label's two
/// expectations overflow: its data `(1/2 + EPS, 1/2 + EPS)` on the targets
/// `-MAX` and `MAX` (a sum `1 + 2 EPS`, within `Discrete`'s tolerance) makes
/// both computed expectations pass `f64::MAX` (`2 (1/2 + EPS) MAX` and
/// `4 (1/2 + EPS)^2 MAX`), and 0 times their difference would be NaN. The
/// other label is the documented case `p = (0.2, 0.3, 0.5)` on the targets
/// 0, 1, 2:
/// `E abs(t - 1) - E abs(t - t') = 0.7 - 0.82 = -0.12`.
#[test]
fn d4_zero_weight_label_adds_nothing_to_the_median_slope_past_f64_max() {
    let eps = tol::EPS;
    let wide = Discrete::new(vec![0.5 + eps, 0.5 + eps, 0.0, 0.0, 0.0]).unwrap();
    let p = Discrete::new(vec![0.0, 0.0, 0.2, 0.3, 0.5]).unwrap();
    let g = ConditionalGame::new(
        Discrete::new(vec![0.0, 1.0]).unwrap(),
        vec![wide.clone(), p.clone()],
        vec![wide, p],
    )
    .unwrap();
    let pix = Pix2Pix::new(g, vec![-f64::MAX, f64::MAX, 0.0, 1.0, 2.0]).unwrap();
    let slope = pix.l1_slope_towards_median();
    assert!((slope + 0.12).abs() <= L1_ROUNDING, "{slope}");
}

/// A generator that ignores its label and draws from the data's marginal
/// reaches the unconditional optimum -ln 4, and a conditional D still sees it.
#[test]
fn d4_label_ignoring_generator_is_caught() {
    let g = ConditionalGame::new(
        Discrete::new(vec![0.5, 0.5]).unwrap(),
        vec![
            Discrete::new(vec![1.0, 0.0]).unwrap(),
            Discrete::new(vec![0.0, 1.0]).unwrap(),
        ],
        vec![Discrete::new(vec![0.5, 0.5]).unwrap(); 2],
    )
    .unwrap();
    assert!((g.marginal_c_of_g() + 4f64.ln()).abs() <= tol::IDENTITY_ABS);
    // Each label: ln(2/3) + (1/2) ln(1/3).
    let expected = (2f64 / 3.0).ln() - 0.5 * 3f64.ln();
    assert!((g.c_of_g() - expected).abs() <= tol::IDENTITY_ABS);
}

/// When the labels carry no information (every p(.|y) equal, every q(.|y)
/// equal), the conditional and the marginal games coincide.
#[test]
fn d4_uninformative_labels_give_the_marginal_game() {
    let p = Discrete::new(vec![0.1, 0.6, 0.3]).unwrap();
    let q = Discrete::new(vec![0.5, 0.0, 0.5]).unwrap();
    let g = ConditionalGame::new(
        Discrete::new(vec![0.2, 0.3, 0.5]).unwrap(),
        vec![p.clone(); 3],
        vec![q.clone(); 3],
    )
    .unwrap();
    let unconditional = game::c_of_g(&p, &q).unwrap();
    assert!((g.c_of_g() - unconditional).abs() <= tol::IDENTITY_ABS);
    assert!((g.marginal_c_of_g() - unconditional).abs() <= tol::IDENTITY_ABS);
}

/// Equality in C >= C(marginals) holds exactly when the label's posterior
/// given x agrees under data and generator, also with informative labels and
/// different marginals: posterior r(0|x) = (1, 1/2, 0), p(x) = (0.2, 0.4, 0.4),
/// q(x) = (0.4, 0, 0.6), both giving p(y) = (0.4, 0.6).
#[test]
fn d4_equal_posteriors_give_equality() {
    let g = ConditionalGame::new(
        Discrete::new(vec![0.4, 0.6]).unwrap(),
        vec![
            Discrete::new(vec![0.5, 0.5, 0.0]).unwrap(),
            Discrete::from_weights(&[0.0, 1.0, 2.0]).unwrap(),
        ],
        vec![
            Discrete::new(vec![1.0, 0.0, 0.0]).unwrap(),
            Discrete::new(vec![0.0, 0.0, 1.0]).unwrap(),
        ],
    )
    .unwrap();
    assert!((g.c_of_g() - g.marginal_c_of_g()).abs() <= tol::IDENTITY_ABS);
    // ... although the generator is far from the data (C = -1.055, not -ln 4 = -1.386).
    assert!(g.c_of_g() > -(4f64.ln()) + 0.3);
    // Changing one posterior breaks the equality: C - C(marginals) = 0.0908.
    let other = g
        .with_generated(vec![
            Discrete::new(vec![0.5, 0.0, 0.5]).unwrap(),
            Discrete::new(vec![0.0, 0.0, 1.0]).unwrap(),
        ])
        .unwrap();
    assert!(other.c_of_g() > other.marginal_c_of_g() + 0.09);
}

#[test]
fn d4_value_gradient_matches_finite_differences() {
    let g = reference_game();
    let logits = vec![vec![0.3, -1.1, 2.0], vec![-0.4, 0.9, 1.5]];
    let gradient = value_gradient(&g, &logits).unwrap();
    let value = |l: &Vec<Vec<f64>>| {
        g.value(&ConditionalDiscriminator::from_logits(l.clone()).unwrap())
            .unwrap()
    };
    for y in 0..2 {
        for x in 0..3 {
            let mut up = logits.clone();
            let mut down = logits.clone();
            up[y][x] += FD_STEP;
            down[y][x] -= FD_STEP;
            let fd = (value(&up) - value(&down)) / (2.0 * FD_STEP);
            assert!(
                (fd - gradient[y][x]).abs() <= FD_TOL,
                "({y}, {x}): {fd} against {}",
                gradient[y][x]
            );
        }
    }
}

#[test]
fn d4_training_bound_holds_at_every_step_and_value_never_falls() {
    let g = reference_game();
    let run = ascend(
        &g,
        &zero_start(&g),
        AscentSettings::largest_safe_step(&g, 3000),
    )
    .unwrap();
    assert_eq!(run.history.len(), 3001);
    for r in &run.history {
        assert!(
            r.max_excess_over_bound <= D_ROUNDING,
            "step {}: excess {}",
            r.step,
            r.max_excess_over_bound
        );
    }
    for pair in run.history.windows(2) {
        assert!(pair[1].value >= pair[0].value - tol::IDENTITY_ABS);
    }
    // The value approaches C from below.
    let last = run.history.last().unwrap();
    assert!(last.value <= run.c_of_g + tol::IDENTITY_ABS);
    // One-sided coordinates (x = 2 of label 0: p = 0 < q) converge only as O(1/t):
    // D must be close to 0 but its bound is what it is.
    let step = AscentSettings::largest_safe_step(&g, 0).step;
    let bound = d_error_bound(0.3, 0.0, 0.5, step, 3000, 0.0).unwrap();
    let d = run.discriminator().label(0).probability(2);
    // The bound is 1/(2 + 3000 c/2) with c = step 0.3 0.5 = 1.07: about 6e-4.
    assert!(d <= bound + D_ROUNDING && bound < 1e-3);
}

/// The largest safe step must satisfy the bound's premise
/// `step w (a + b) <= 4` at every coordinate as `d_error_bound` evaluates
/// it; with `w = 0.75`, `a + b = 0.5 + 0.2` the rounded `4 / (w (a + b))`
/// times `w (a + b)` is an ulp above 4, and that coordinate used to lose its bound (so
/// `ascend`'s record silently left it out of the check).
#[test]
fn d4_largest_safe_step_keeps_every_coordinate_bounded() {
    let g = ConditionalGame::new(
        Discrete::new(vec![0.25, 0.75]).unwrap(),
        vec![
            Discrete::new(vec![0.1, 0.6, 0.3]).unwrap(),
            Discrete::new(vec![0.5, 0.3, 0.2]).unwrap(),
        ],
        vec![
            Discrete::new(vec![0.3, 0.3, 0.4]).unwrap(),
            Discrete::new(vec![0.2, 0.3, 0.5]).unwrap(),
        ],
    )
    .unwrap();
    let step = AscentSettings::largest_safe_step(&g, 0).step;
    for y in 0..2 {
        for x in 0..3 {
            let (w, a, b) = (g.labels()[y], g.data()[y][x], g.generated()[y][x]);
            assert!(
                d_error_bound(w, a, b, step, 0, 0.0).is_some(),
                "({y}, {x}): step {step} w (a + b) = {}",
                step * w * (a + b)
            );
        }
    }
    // Still the largest such step up to rounding: within a few ulps of
    // 4 / max w (a + b), the maximum at (1, 0).
    let unrounded = 4.0 / (0.75 * (0.5 + 0.2));
    assert!(step <= unrounded && step >= unrounded * (1.0 - 4.0 * tol::EPS));
}

/// With `p = q` at a coordinate, the start `l_0 = 0 = l*` and the largest
/// safe step (`c = step w (a + b) = 4`), the contraction factor is
/// `1 - c sigmoid'(0) = 0`: the bound at t = 0 is the start's error, 0, and
/// must not be `0 x ln 0` = NaN (which the run's record then silently
/// dropped from its maximum). Nor may a one-sided bound from a start logit
/// beyond 709.78, where `e^l0` overflows.
#[test]
fn d4_error_bound_at_the_start_is_never_nan() {
    assert_eq!(d_error_bound(1.0, 0.5, 0.5, 4.0, 0, 0.0), Some(0.0));
    assert_eq!(d_error_bound(1.0, 0.5, 0.5, 4.0, 1, 0.0), Some(0.0));
    // One-sided, from a start logit already far on the right side: e^800
    // overflows, and the bound 1/(1 + e^800 + ...) is 0, not inf/inf = NaN.
    assert_eq!(d_error_bound(1.0, 1.0, 0.0, 1.0, 5, 800.0), Some(0.0));
    assert_eq!(d_error_bound(1.0, 0.0, 1.0, 1.0, 5, -800.0), Some(0.0));
    let half = Discrete::new(vec![0.5, 0.5]).unwrap();
    let g = ConditionalGame::new(
        Discrete::new(vec![1.0]).unwrap(),
        vec![half.clone()],
        vec![half],
    )
    .unwrap();
    let settings = AscentSettings::largest_safe_step(&g, 3);
    assert_eq!(settings.step, 4.0);
    let run = ascend(&g, &zero_start(&g), settings).unwrap();
    for r in &run.history {
        // Finite: every coordinate entered the maximum (none was NaN).
        assert!(r.max_excess_over_bound.is_finite(), "{r:?}");
        assert!(r.max_excess_over_bound <= D_ROUNDING, "{r:?}");
    }
}

/// A one-sided coordinate converges only as O(1/t), so a target of 0 is
/// never met: the count must be the cap, also for caps above 2^63 (the
/// doubling search used to wrap round to 0 and never end).
#[test]
fn d4_steps_for_target_stops_at_any_cap() {
    let g = ConditionalGame::new(
        Discrete::new(vec![1.0]).unwrap(),
        vec![Discrete::new(vec![1.0, 0.0]).unwrap()],
        vec![Discrete::new(vec![0.0, 1.0]).unwrap()],
    )
    .unwrap();
    for cap in [0, 1, 1000, (1usize << 63) + 1, usize::MAX] {
        assert_eq!(steps_for_target(&g, 0.0, cap), cap);
    }
}

#[test]
fn d4_training_reaches_d_star_in_the_steps_the_bound_asks_for() {
    // All masses positive: every coordinate has a finite D*.
    let g = ConditionalGame::new(
        Discrete::new(vec![0.25, 0.75]).unwrap(),
        vec![
            Discrete::new(vec![0.5, 0.3, 0.2]).unwrap(),
            Discrete::new(vec![0.05, 0.15, 0.8]).unwrap(),
        ],
        vec![
            Discrete::new(vec![0.2, 0.3, 0.5]).unwrap(),
            Discrete::new(vec![0.6, 0.3, 0.1]).unwrap(),
        ],
    )
    .unwrap();
    const TARGET: f64 = 1e-10;
    let steps = steps_for_target(&g, TARGET, 1_000_000);
    assert!(steps < 1_000_000);
    let run = ascend(
        &g,
        &zero_start(&g),
        AscentSettings::largest_safe_step(&g, steps),
    )
    .unwrap();
    assert!(run.history.last().unwrap().max_d_error <= TARGET);
    // Within 1/2 of those steps the bound is not yet met everywhere: the count is not padded.
    let step = AscentSettings::largest_safe_step(&g, 0).step;
    let mut worst_half = 0.0f64;
    for y in 0..2 {
        for x in 0..3 {
            let (w, a, b) = (g.labels()[y], g.data()[y][x], g.generated()[y][x]);
            worst_half = worst_half.max(d_error_bound(w, a, b, step, steps / 2, 0.0).unwrap());
        }
    }
    assert!(worst_half > TARGET);
    // The trained value is C(G) up to rounding.
    assert!((run.history.last().unwrap().value - g.c_of_g()).abs() <= VALUE_GAP);
}

#[test]
fn d4_training_rate_approaches_the_local_factor() {
    let g = ConditionalGame::new(
        Discrete::new(vec![1.0]).unwrap(),
        vec![Discrete::new(vec![0.8, 0.2]).unwrap()],
        vec![Discrete::new(vec![0.3, 0.7]).unwrap()],
    )
    .unwrap();
    let settings = AscentSettings {
        step: 1.0,
        steps: 400,
    };
    // Follow coordinate x = 0 step by step (ascend records only summaries).
    let target = (0.8f64 / 0.3).ln();
    let mut errors = Vec::new();
    for t in 0..=settings.steps {
        let run = ascend(
            &g,
            &zero_start(&g),
            AscentSettings {
                steps: t,
                ..settings
            },
        )
        .unwrap();
        errors.push((run.logits[0][0] - target).abs());
    }
    let local = local_contraction(1.0, 0.8, 0.3, settings.step).unwrap();
    let t = errors.iter().position(|&e| e <= 1e-4).unwrap();
    let measured = errors[t + 1] / errors[t];
    assert!(
        (measured - local).abs() <= RATE_TOL,
        "{measured} against {local}"
    );
    // No overshoot: the error shrinks at every step until it reaches rounding.
    for pair in errors.windows(2).filter(|pair| pair[0] > ERROR_FLOOR) {
        assert!(pair[1] <= pair[0]);
    }
}

#[test]
fn d4_training_is_deterministic() {
    let g = reference_game();
    let settings = AscentSettings::largest_safe_step(&g, 500);
    let a = ascend(&g, &zero_start(&g), settings).unwrap();
    let b = ascend(&g, &zero_start(&g), settings).unwrap();
    assert_eq!(a, b);
}

fn pix2pix_reference(generated: Vec<Discrete>) -> Pix2Pix {
    let game = ConditionalGame::new(
        Discrete::new(vec![0.5, 0.5]).unwrap(),
        vec![
            Discrete::new(vec![0.25, 0.5, 0.25]).unwrap(),
            Discrete::new(vec![0.5, 0.25, 0.25]).unwrap(),
        ],
        generated,
    )
    .unwrap();
    Pix2Pix::new(game, vec![-1.0, 0.0, 2.0]).unwrap()
}

#[test]
fn d4_pix2pix_reference_values() {
    // G(0) = -1, G(1) = 2 deterministically.
    let pix = pix2pix_reference(vec![
        Discrete::point_mass(3, 0).unwrap(),
        Discrete::point_mass(3, 2).unwrap(),
    ]);
    // (1/2)(1/4 0 + 1/2 1 + 1/4 3) + (1/2)(1/2 3 + 1/4 2 + 1/4 0) = 5/8 + 1 = 13/8.
    assert!((pix.l1() - 13.0 / 8.0).abs() <= tol::IDENTITY_ABS);
    assert_eq!(pix.median_generator(), vec![0.0, -1.0]);
    // (1/2)(3/4) + (1/2)(1) = 7/8.
    assert!((pix.min_l1() - 7.0 / 8.0).abs() <= tol::IDENTITY_ABS);
    assert!((pix.l1_slope_towards_median() + 5.0 / 16.0).abs() <= tol::IDENTITY_ABS);
    // The objective is the sum of its parts, and lambda = 0 is the cGAN.
    let d = pix.game().optimal_discriminator();
    for lambda in [0.0, 0.5, 100.0] {
        let total = pix.objective(&d, lambda).unwrap();
        let parts = pix.game().value(&d).unwrap() + lambda * pix.l1();
        assert_eq!(total, parts);
        let at_best = pix.objective_at_optimal_discriminator(lambda).unwrap();
        assert!((at_best - total).abs() <= tol::IDENTITY_ABS);
    }
    assert_eq!(
        pix.objective(&d, 0.0).unwrap(),
        pix.game().value(&d).unwrap()
    );
}

/// At p_g = p_data, moving mass s towards the median lowers C + lambda L1
/// for every lambda > 0 when s is small: the cGAN term grows only as s^2.
#[test]
fn d4_pix2pix_data_is_not_optimal_for_positive_lambda() {
    let data = vec![
        Discrete::new(vec![0.25, 0.5, 0.25]).unwrap(),
        Discrete::new(vec![0.5, 0.25, 0.25]).unwrap(),
    ];
    let at_data = pix2pix_reference(data.clone());
    let slope = at_data.l1_slope_towards_median();
    assert!(slope < 0.0);
    let moved = |s: f64| {
        pix2pix_reference(vec![
            data[0]
                .mix(&Discrete::point_mass(3, 1).unwrap(), s)
                .unwrap(),
            data[1]
                .mix(&Discrete::point_mass(3, 0).unwrap(), s)
                .unwrap(),
        ])
    };
    // L1 is linear in q: its finite difference is the slope, up to rounding.
    for s in [1e-3, 0.1, 0.5] {
        let fd = (moved(s).l1() - at_data.l1()) / s;
        assert!((fd - slope).abs() <= L1_ROUNDING / s);
    }
    for lambda in [0.01f64, 1.0, 10.0] {
        let s = 1e-4 * lambda.min(1.0);
        let change = moved(s).objective_at_optimal_discriminator(lambda).unwrap()
            - at_data.objective_at_optimal_discriminator(lambda).unwrap();
        assert!(
            change < 0.5 * lambda * s * slope,
            "lambda {lambda}: change {change}"
        );
    }
    // At lambda = 0 nothing beats p_g = p_data: C is at its minimum -ln 4.
    let c_moved = moved(1e-3).objective_at_optimal_discriminator(0.0).unwrap();
    assert!(c_moved > at_data.objective_at_optimal_discriminator(0.0).unwrap());
}

/// Targets of opposite signs near `f64::MAX` are finite and valid, and so
/// are L1 (here 1e308), its minimum and its slope, though `t_j - t_k`
/// alone overflows: no `+inf`, and no `inf - inf` = NaN in the slope or the
/// generator's gradient.
#[test]
fn d4_pix2pix_with_targets_near_f64_max_stays_finite() {
    let half = Discrete::new(vec![0.5, 0.5]).unwrap();
    let g = ConditionalGame::new(
        Discrete::new(vec![1.0]).unwrap(),
        vec![half.clone()],
        vec![half.clone()],
    )
    .unwrap();
    let pix = Pix2Pix::new(g, vec![-1e308, 1e308]).unwrap();
    // L1 = 2 x 1/4 x 2e308; the median is -1e308 and E abs(t - m) = 1/2 x 2e308.
    assert!(
        (pix.l1() - 1e308).abs() <= L1_ROUNDING * 1e308,
        "{}",
        pix.l1()
    );
    assert_eq!(pix.median_generator(), vec![-1e308]);
    assert!((pix.min_l1() - 1e308).abs() <= L1_ROUNDING * 1e308);
    let slope = pix.l1_slope_towards_median();
    assert!(slope.abs() <= L1_ROUNDING * 1e308, "{slope}");
    let gradient = generator_gradient(&pix, 1.0, &[vec![0.0, 0.0]]).unwrap();
    assert!(gradient[0].iter().all(|x| x.is_finite()), "{gradient:?}");
    // The same at +-f64::MAX itself: L1 = f64::MAX, representable.
    let g = pix.game().clone();
    let pix = Pix2Pix::new(g, vec![-f64::MAX, f64::MAX]).unwrap();
    assert!((pix.l1() - f64::MAX).abs() <= L1_ROUNDING * f64::MAX);
    assert!(!pix.l1_slope_towards_median().is_nan());
}

#[test]
fn d4_bad_input_is_a_typed_error() {
    let two = Discrete::new(vec![0.5, 0.5]).unwrap();
    let three = Discrete::new(vec![0.2, 0.3, 0.5]).unwrap();
    // One data distribution for two labels.
    assert_eq!(
        ConditionalGame::new(two.clone(), vec![three.clone()], vec![three.clone()]),
        Err(Error::LengthMismatch { left: 2, right: 1 })
    );
    // Ragged points.
    assert_eq!(
        ConditionalGame::new(
            two.clone(),
            vec![three.clone(), three.clone()],
            vec![three.clone(), two.clone()]
        ),
        Err(Error::LengthMismatch { left: 3, right: 2 })
    );
    let g = ConditionalGame::new(
        two.clone(),
        vec![three.clone(), three.clone()],
        vec![three.clone(), three.clone()],
    )
    .unwrap();
    let d = ConditionalDiscriminator::from_logits(vec![vec![0.0; 2]; 2]).unwrap();
    assert!(matches!(g.value(&d), Err(Error::LengthMismatch { .. })));
    assert_eq!(
        ConditionalDiscriminator::from_logits(vec![vec![0.0, f64::NAN]]),
        Err(Error::NotANumber { index: 1 })
    );
    assert_eq!(ConditionalDiscriminator::new(vec![]), Err(Error::Empty));
    assert!(matches!(
        ConditionalDiscriminator::new(vec![
            Discriminator::from_logits(vec![0.0]).unwrap(),
            Discriminator::from_logits(vec![0.0, 1.0]).unwrap()
        ]),
        Err(Error::LengthMismatch { .. })
    ));
    // pix2pix: targets of the wrong length or not finite, lambda negative or NaN.
    assert!(matches!(
        Pix2Pix::new(g.clone(), vec![0.0, 1.0]),
        Err(Error::LengthMismatch { .. })
    ));
    assert_eq!(
        Pix2Pix::new(g.clone(), vec![0.0, f64::NAN, 1.0]),
        Err(Error::NotANumber { index: 1 })
    );
    let pix = Pix2Pix::new(g.clone(), vec![0.0, 1.0, 2.0]).unwrap();
    for lambda in [-1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            pix.objective_at_optimal_discriminator(lambda),
            Err(Error::InvalidParameter { name: "lambda", .. })
        ));
    }
    assert!(matches!(
        pix.l1_deterministic(&[0.0, f64::INFINITY]),
        Err(Error::Infinite { index: 1, .. })
    ));
    // Training: bad step, bad start.
    for step in [0.0, -1.0, f64::NAN] {
        assert!(matches!(
            ascend(&g, &zero_start(&g), AscentSettings { step, steps: 1 }),
            Err(Error::InvalidParameter { name: "step", .. })
        ));
    }
    assert_eq!(
        ascend(
            &g,
            &[vec![0.0; 3], vec![0.0, f64::INFINITY, 0.0]],
            AscentSettings {
                step: 1.0,
                steps: 1
            }
        ),
        Err(Error::Infinite {
            index: 1,
            value: f64::INFINITY
        })
    );
    assert!(matches!(
        ascend(
            &g,
            &[vec![0.0; 3]],
            AscentSettings {
                step: 1.0,
                steps: 1
            }
        ),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(local_contraction(0.0, 0.5, 0.5, 1.0).is_err());
}

#[test]
fn d4_generator_gradient_matches_finite_differences() {
    let pix = pix2pix_reference(vec![Discrete::uniform(3).unwrap(); 2]);
    let logits = vec![vec![0.4, -0.7, 1.1], vec![-1.3, 0.2, 0.5]];
    for lambda in [0.0, 0.7] {
        let gradient = generator_gradient(&pix, lambda, &logits).unwrap();
        for y in 0..2 {
            for x in 0..3 {
                let mut up = logits.clone();
                let mut down = logits.clone();
                up[y][x] += FD_STEP;
                down[y][x] -= FD_STEP;
                let fd = (generator_objective(&pix, lambda, &up).unwrap()
                    - generator_objective(&pix, lambda, &down).unwrap())
                    / (2.0 * FD_STEP);
                assert!(
                    (fd - gradient[y][x]).abs() <= FD_TOL,
                    "lambda {lambda}, ({y}, {x}): {fd} against {}",
                    gradient[y][x]
                );
            }
        }
    }
}

/// With lambda = 0 each label's block is A5's D-optimal descent with step
/// p(y) x step: the conditional run must match `descend_c_of_g` (independent
/// code) label by label, and never increase its objective.
#[test]
fn d4_cgan_generator_descent_is_a5_per_label() {
    let g = ConditionalGame::new(
        Discrete::new(vec![0.25, 0.75]).unwrap(),
        vec![
            Discrete::new(vec![0.5, 0.3, 0.2]).unwrap(),
            Discrete::new(vec![0.05, 0.15, 0.8]).unwrap(),
        ],
        vec![Discrete::uniform(3).unwrap(); 2],
    )
    .unwrap();
    let pix = Pix2Pix::new(g.clone(), vec![0.0, 1.0, 2.0]).unwrap();
    let step = largest_generator_step(&pix, 0.0).unwrap();
    const STEPS: usize = 400;
    let run = descend_generator(&pix, 0.0, step, STEPS).unwrap();
    let per_label: Vec<Vec<f64>> = (0..2)
        .map(|y| {
            let w = g.labels()[y];
            descend_c_of_g(
                &g.data()[y],
                &TabularGenerator::uniform(3).unwrap(),
                w * step,
                STEPS,
            )
            .unwrap()
            .history
            .c_of_g
        })
        .collect();
    for (t, (c0, c1)) in per_label[0].iter().zip(&per_label[1]).enumerate() {
        let expected = 0.25 * c0 + 0.75 * c1;
        assert!(
            (run.c_of_g[t] - expected).abs() <= TRAJECTORY_ROUNDING,
            "step {t}: {} against {expected}",
            run.c_of_g[t]
        );
    }
    for pair in run.objective.windows(2) {
        assert!(pair[1] <= pair[0] + tol::IDENTITY_ABS);
    }
}

/// Trained with lambda > 0, the generator ends strictly below the pix2pix
/// objective of p_g = p_data (item 4 of the proof, reached by training), and
/// its L1 lies between the median's and the data's.
#[test]
fn d4_trained_pix2pix_generator_beats_the_data() {
    let data = vec![
        Discrete::new(vec![0.25, 0.5, 0.25]).unwrap(),
        Discrete::new(vec![0.5, 0.25, 0.25]).unwrap(),
    ];
    let at_data = pix2pix_reference(data.clone());
    const LAMBDA: f64 = 1.0;
    let step = largest_generator_step(&at_data, LAMBDA).unwrap();
    let run = descend_generator(&at_data, LAMBDA, step, 2000).unwrap();
    for pair in run.objective.windows(2) {
        assert!(pair[1] <= pair[0] + tol::IDENTITY_ABS);
    }
    let data_objective = at_data.objective_at_optimal_discriminator(LAMBDA).unwrap();
    let last = *run.objective.last().unwrap();
    assert!(last < data_objective, "{last} against {data_objective}");
    let l1 = *run.l1.last().unwrap();
    assert!(at_data.min_l1() < l1 && l1 < at_data.l1());
    assert!(*run.c_of_g.last().unwrap() > -(4f64.ln()));
}

proptest! {
    #![proptest_config(common::config(128))]

    #[test]
    fn d4_c_identities(g in game_strategy()) {
        let c = g.c_of_g();
        prop_assert!((c - g.c_of_g_via_js()).abs() <= tol::IDENTITY_ABS);
        prop_assert!((c - g.value(&g.optimal_discriminator()).unwrap()).abs() <= tol::IDENTITY_ABS);
        let joint = game::c_of_g(&g.joint_data(), &g.joint_generated()).unwrap();
        prop_assert!((c - joint).abs() <= tol::IDENTITY_ABS);
        prop_assert!((-(4f64.ln())..=0.0).contains(&c));
    }

    #[test]
    fn d4_d_star_maximises_the_conditional_value(
        g in game_strategy(),
        values in proptest::collection::vec(-6.0f64..6.0, 32),
    ) {
        let other = ConditionalDiscriminator::from_logits(logits_for(&g, &values)).unwrap();
        let best = g.value(&g.optimal_discriminator()).unwrap();
        prop_assert!(g.value(&other).unwrap() <= best + tol::IDENTITY_ABS);
    }

    #[test]
    fn d4_conditional_c_is_at_least_the_marginal_c(g in game_strategy()) {
        prop_assert!(g.c_of_g() >= g.marginal_c_of_g() - tol::IDENTITY_ABS,
            "conditional {} below marginal {}", g.c_of_g(), g.marginal_c_of_g());
    }

    #[test]
    fn d4_l1_is_minimised_by_the_conditional_median(
        g in game_strategy(),
        targets in proptest::collection::vec(-3.0f64..3.0, 8),
        outputs in proptest::collection::vec(-4.0f64..4.0, 4),
    ) {
        let n = g.point_count();
        let labels = g.label_count();
        let pix = Pix2Pix::new(g, targets[..n].to_vec()).unwrap();
        let best = pix.min_l1();
        prop_assert!(pix.l1() >= best - tol::IDENTITY_ABS);
        prop_assert!(pix.l1_deterministic(&outputs[..labels]).unwrap() >= best - tol::IDENTITY_ABS);
        for &t in &targets[..n] {
            prop_assert!(pix.l1_deterministic(&vec![t; labels]).unwrap() >= best - tol::IDENTITY_ABS);
        }
        prop_assert!(pix.l1_slope_towards_median() <= tol::IDENTITY_ABS);
    }

    #[test]
    fn d4_trained_discriminator_stays_within_its_bound(g in game_strategy()) {
        let run = ascend(&g, &zero_start(&g), AscentSettings::largest_safe_step(&g, 300)).unwrap();
        for r in &run.history {
            prop_assert!(r.max_excess_over_bound <= D_ROUNDING);
        }
    }
}
