//! Claim D3: EBGAN's best energy, m (1 - TV), the Nash equilibrium, the
//! subgradient, bad input, and the trained tabular energy.

mod common;

use gan_theory::divergence::total_variation;
use gan_theory::tol::{self, EPS};
use gan_theory::train::tabular_variants::{
    ebgan_excess_bound, ebgan_excess_tolerance, ebgan_steps_to_band, train_ebgan_energy,
};
use gan_theory::variants::ebgan::{
    Energy, Margin, best_energy, best_response_interval, best_value, discriminator_loss,
    discriminator_subgradient, generator_loss, nash_gaps,
};
use gan_theory::{Discrete, Error};
use proptest::prelude::*;

/// Central differences of a function that is linear on the interval
/// `[D - h, D + h]` are exact but for rounding, about `EPS |L| / h` with
/// `|L| <= 3m <= 12` and h = 1e-6: 3e-9; 1e-7 leaves margin.
const FD_STEP: f64 = 1e-6;
const FD_TOL: f64 = 1e-7;

/// Rounding of a gap (a difference of two compensated sums of non-negative
/// terms of total at most `3m`, `m <= 4`): a few ulps of 12; 64 EPS * 12 leaves margin.
const GAP_ROUNDING: f64 = 64.0 * EPS * 12.0;

/// A pair on 1 to 12 points with a margin in [0.1, 4] and an energy in [0, 2m].
fn game() -> impl Strategy<Value = (Discrete, Discrete, Margin, Energy)> {
    (1usize..=12, 0.1f64..4.0).prop_flat_map(|(n, m)| {
        (
            common::distribution(n),
            common::distribution(n),
            Just(Margin::new(m).unwrap()),
            proptest::collection::vec(0.0..2.0 * m, n).prop_map(|v| Energy::new(v).unwrap()),
        )
    })
}

#[test]
fn d3_bad_input_gives_typed_errors() {
    for m in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            Margin::new(m),
            Err(Error::InvalidParameter { name: "m", .. })
        ));
    }
    assert_eq!(Energy::new(vec![]), Err(Error::Empty));
    assert_eq!(
        Energy::new(vec![1.0, -0.5]),
        Err(Error::Negative {
            index: 1,
            value: -0.5
        })
    );
    assert_eq!(
        Energy::new(vec![f64::NAN]),
        Err(Error::NotANumber { index: 0 })
    );
    assert!(matches!(
        Energy::new(vec![0.0, f64::INFINITY]),
        Err(Error::Infinite { index: 1, .. })
    ));
    assert_eq!(Energy::new(vec![-0.0]).unwrap().values()[0].to_bits(), 0);
    let m = Margin::new(1.0).unwrap();
    let p = Discrete::new(vec![0.5, 0.5]).unwrap();
    let q = Discrete::new(vec![1.0, 0.0, 0.0]).unwrap();
    let e2 = Energy::constant(2, 0.5).unwrap();
    assert!(matches!(
        discriminator_loss(&m, &p, &q, &e2),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        generator_loss(&q, &e2),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        best_value(&m, &p, &q),
        Err(Error::LengthMismatch { .. })
    ));
    for step in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            train_ebgan_energy(&m, &p, &p, &e2, step, 3),
            Err(Error::InvalidParameter { .. })
        ));
    }
    // Energies near f64::MAX: the loss is computed without overflow or NaN.
    let huge = Energy::new(vec![f64::MAX, f64::MAX]).unwrap();
    let r = Discrete::new(vec![0.5, 0.5]).unwrap();
    assert_eq!(
        discriminator_loss(&m, &r, &r, &huge).unwrap(),
        f64::MAX * 0.5 + f64::MAX * 0.5
    );
}

/// p = (0.5, 0.3, 0.2), q = (0.2, 0.3, 0.5), m = 2: TV = 0.3, the best energy
/// is (0, 0, 2) (the tie at the middle point goes to 0), V = 2 * 0.7 = 1.4.
#[test]
fn d3_reference_values() {
    let p = Discrete::new(vec![0.5, 0.3, 0.2]).unwrap();
    let q = Discrete::new(vec![0.2, 0.3, 0.5]).unwrap();
    let m = Margin::new(2.0).unwrap();
    let best = best_energy(&m, &p, &q).unwrap();
    assert_eq!(best.values(), &[0.0, 0.0, 2.0]);
    let close = |x: f64, y: f64| (x - y).abs() <= 4.0 * EPS;
    assert!(close(discriminator_loss(&m, &p, &q, &best).unwrap(), 1.4));
    assert!(close(best_value(&m, &p, &q).unwrap(), 1.4));
    // The generator pays E_q D = 0.5 * 2 = 1 against it; its gap is 1 >= m TV = 0.6.
    let gaps = nash_gaps(&m, &p, &q, &best).unwrap();
    assert!(close(gaps.energy, 0.0) && close(gaps.generator, 1.0));
    // D = 1 everywhere: L_D = 0.5 + 0.3 + 0.2 + (0.2 + 0.3 + 0.5) = 2, gap 0.6 = m TV.
    let one = Energy::constant(3, 1.0).unwrap();
    let gaps = nash_gaps(&m, &p, &q, &one).unwrap();
    assert!(close(gaps.energy, 0.6) && gaps.generator == 0.0);
    // The minimisers per point.
    assert_eq!(best_response_interval(&m, 0.5, 0.2), (0.0, 0.0));
    assert_eq!(best_response_interval(&m, 0.2, 0.5), (2.0, 2.0));
    assert_eq!(best_response_interval(&m, 0.0, 0.5), (2.0, f64::INFINITY));
    assert_eq!(best_response_interval(&m, 0.3, 0.3), (0.0, 2.0));
    assert_eq!(best_response_interval(&m, 0.0, 0.0), (0.0, f64::INFINITY));
}

/// At the kink `D_i = m` the subgradient takes the right end `p_i` of the
/// subdifferential `[p_i - q_i, p_i]`, as documented; just below it, `p_i -
/// q_i`. The entries are differences of dyadic numbers, exact in `f64`. A
/// built energy is never empty (documented: "Always false").
#[test]
fn d3_subgradient_takes_the_right_end_at_the_margin() {
    let p = Discrete::new(vec![0.5, 0.25, 0.25]).unwrap();
    let q = Discrete::new(vec![0.125, 0.375, 0.5]).unwrap();
    let m = Margin::new(2.0).unwrap();
    let energy = Energy::new(vec![2.0, 1.5, 3.0]).unwrap();
    assert!(!energy.is_empty());
    let g = discriminator_subgradient(&m, &p, &q, &energy).unwrap();
    assert_eq!(g, [0.5, 0.25 - 0.375, 0.25]);
}

/// p = (1/3, 1/6, 1/2), q = (1/7, 4/7, 2/7), m = pi: TV = 17/42, so
/// V = 25 pi / 42; the best energy is m at the middle point only, where the
/// generator pays 4 pi / 7 (reference values from 30-digit arithmetic).
#[test]
fn d3_reference_values_to_many_digits() {
    let p = Discrete::from_weights(&[2.0, 1.0, 3.0]).unwrap();
    let q = Discrete::from_weights(&[1.0, 4.0, 2.0]).unwrap();
    let m = Margin::new(std::f64::consts::PI).unwrap();
    let within = |x: f64, y: f64| (x - y).abs() <= 8.0 * EPS * y.abs();
    let v = best_value(&m, &p, &q).unwrap();
    assert!(within(v, 1.869_995_627_136_781_689_561), "{v}");
    let best = best_energy(&m, &p, &q).unwrap();
    assert_eq!(best.values(), &[0.0, std::f64::consts::PI, 0.0]);
    let loss = discriminator_loss(&m, &p, &q, &best).unwrap();
    assert!(within(loss, 1.869_995_627_136_781_689_561), "{loss}");
    let tv = total_variation(&p, &q).unwrap();
    assert!(
        within(m.value() * tv, 1.271_597_026_453_011_548_902),
        "{tv}"
    );
    let paid = generator_loss(&q, &best).unwrap();
    assert!(within(paid, 1.795_195_802_051_310_421_979), "{paid}");
    // An energy given as a function of the point.
    let quadratic = Energy::from_fn(3, |i| (i * i) as f64).unwrap();
    assert_eq!(quadratic.values(), &[0.0, 1.0, 4.0]);
    assert!(Energy::from_fn(2, |i| -(i as f64) - 1.0).is_err());
}

/// The paper's autoencoder energy ‖R(x) - x‖ for a few reconstruction maps,
/// and its bad inputs.
#[test]
fn d3_autoencoder_energy() {
    let points = vec![vec![3.0, 4.0], vec![0.0, 0.0], vec![-1.0, 2.0]];
    let identity = Energy::from_reconstruction(&points, |x| x.to_vec()).unwrap();
    assert_eq!(identity.values(), &[0.0, 0.0, 0.0]);
    let zero = Energy::from_reconstruction(&points, |_| vec![0.0, 0.0]).unwrap();
    assert_eq!(zero.values()[0], 5.0);
    assert!((zero.values()[2] - 5f64.sqrt()).abs() <= EPS * 5f64.sqrt());
    // Huge coordinates: the distance 5e300 is computed without overflow.
    let huge = Energy::from_reconstruction(&[vec![3e300, 4e300]], |_| vec![0.0, 0.0]).unwrap();
    assert!((huge.values()[0] - 5e300).abs() <= 4.0 * EPS * 5e300);
    assert!(matches!(
        Energy::from_reconstruction(&[vec![f64::MAX, 0.0]], |_| vec![-f64::MAX, 0.0]),
        Err(Error::Infinite { index: 0, .. })
    ));
    assert_eq!(
        Energy::from_reconstruction(&[], |x| x.to_vec()),
        Err(Error::Empty)
    );
    assert_eq!(
        Energy::from_reconstruction(&[vec![1.0, 2.0], vec![1.0]], |x| x.to_vec()),
        Err(Error::RaggedRow {
            row: 1,
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        Energy::from_reconstruction(&[vec![1.0, f64::NAN]], |x| x.to_vec()),
        Err(Error::EntryNotANumber { row: 0, column: 1 })
    );
    assert_eq!(
        Energy::from_reconstruction(&[vec![1.0, 2.0]], |_| vec![1.0]),
        Err(Error::DimensionMismatch { left: 2, right: 1 })
    );
    assert!(matches!(
        Energy::from_reconstruction(&[vec![1.0, 2.0]], |_| vec![f64::INFINITY, 0.0]),
        Err(Error::EntryInfinite {
            row: 0,
            column: 0,
            ..
        })
    ));
}

proptest! {
    #![proptest_config(common::config(256))]

    /// min_D L_D = m (1 - TV), reached by the best energy and by every energy
    /// drawn from the per-point minimisers; no energy does better.
    #[test]
    fn d3_best_value_is_m_one_minus_tv((p, q, m, rival) in game(), picks in
        proptest::collection::vec(0.0f64..1.0, 12)) {
        let mv = m.value();
        let best = best_energy(&m, &p, &q).unwrap();
        let value = discriminator_loss(&m, &p, &q, &best).unwrap();
        let tv = total_variation(&p, &q).unwrap();
        prop_assert!(tol::close(value, mv * (1.0 - tv)), "{value} vs {}", mv * (1.0 - tv));
        prop_assert!(tol::close(value, best_value(&m, &p, &q).unwrap()));
        prop_assert!(discriminator_loss(&m, &p, &q, &rival).unwrap() >= value - GAP_ROUNDING);
        // Any selection from the minimiser intervals is optimal too.
        let chosen: Vec<f64> = (0..p.len()).map(|i| {
            let (low, high) = best_response_interval(&m, p[i], q[i]);
            low + picks[i] * (high.min(low + mv) - low)
        }).collect();
        let chosen = Energy::new(chosen).unwrap();
        prop_assert!(tol::close(discriminator_loss(&m, &p, &q, &chosen).unwrap(), value));
    }

    /// The best-response gaps add up to at least m TV(p, q), with equality for
    /// constant energies in [0, m]: no equilibrium unless p_g = p_data.
    #[test]
    fn d3_gaps_are_at_least_m_tv((p, q, m, energy) in game(), level in 0.0f64..1.0) {
        let tv = total_variation(&p, &q).unwrap();
        let gaps = nash_gaps(&m, &p, &q, &energy).unwrap();
        prop_assert!(gaps.energy >= -GAP_ROUNDING && gaps.generator >= 0.0);
        prop_assert!(gaps.energy + gaps.generator >= m.value() * tv - GAP_ROUNDING,
            "{gaps:?} vs m TV = {}", m.value() * tv);
        let constant = Energy::constant(p.len(), level * m.value()).unwrap();
        let gaps = nash_gaps(&m, &p, &q, &constant).unwrap();
        prop_assert!(gaps.generator.abs() <= GAP_ROUNDING);
        prop_assert!((gaps.energy - m.value() * tv).abs() <= GAP_ROUNDING);
    }

    /// The equilibria: with p_g = p_data, D = gamma on the support and
    /// D >= gamma off it, both gaps vanish and V = m. Every D in [0, m] on the
    /// support is a best response of the energy, but unless it is constant
    /// there the generator gains by moving to argmin D.
    #[test]
    fn d3_equilibrium_is_constant_energy_on_the_support(
        (p, _, m, _) in game(), gamma in 0.0f64..1.0,
        extra in proptest::collection::vec(0.0f64..1.0, 12),
    ) {
        let mv = m.value();
        let gamma = gamma * mv;
        let values: Vec<f64> = (0..p.len())
            .map(|i| if p[i] > 0.0 { gamma } else { gamma + extra[i] * mv })
            .collect();
        let equilibrium = Energy::new(values).unwrap();
        let gaps = nash_gaps(&m, &p, &p, &equilibrium).unwrap();
        prop_assert!(gaps.energy.abs() <= GAP_ROUNDING && gaps.generator.abs() <= GAP_ROUNDING,
            "{gaps:?}");
        prop_assert!(tol::close(discriminator_loss(&m, &p, &p, &equilibrium).unwrap(), mv));
        prop_assert!(tol::close(generator_loss(&p, &equilibrium).unwrap(), gamma));
        // Non-constant on the support, still in [0, m]: the energy best responds,
        // the generator does not (gap >= p_j (D_j - min D)).
        let varied: Vec<f64> = (0..p.len()).map(|i| extra[i] * mv).collect();
        let min = varied.iter().copied().fold(f64::INFINITY, f64::min);
        let varied = Energy::new(varied).unwrap();
        let gaps = nash_gaps(&m, &p, &p, &varied).unwrap();
        prop_assert!(gaps.energy.abs() <= GAP_ROUNDING);
        for j in p.support() {
            prop_assert!(gaps.generator >= p[j] * (varied.values()[j] - min) - GAP_ROUNDING);
        }
    }

    /// The subgradient against central differences away from the kinks at 0
    /// and m, where L_D is linear in each coordinate; E_q D is linear in q.
    #[test]
    fn d3_subgradient_matches_finite_differences((p, q, m, energy) in game()) {
        let g = discriminator_subgradient(&m, &p, &q, &energy).unwrap();
        let d = energy.values();
        for i in 0..d.len() {
            if d[i] <= 2.0 * FD_STEP || (d[i] - m.value()).abs() <= 2.0 * FD_STEP {
                continue;
            }
            let at = |x: f64| {
                let mut v = d.to_vec();
                v[i] = x;
                discriminator_loss(&m, &p, &q, &Energy::new(v).unwrap()).unwrap()
            };
            let fd = (at(d[i] + FD_STEP) - at(d[i] - FD_STEP)) / (2.0 * FD_STEP);
            prop_assert!((fd - g[i]).abs() <= FD_TOL, "{fd} vs {}", g[i]);
        }
        // E_q D is linear in q: moving q to p changes it by sum (p - q) D.
        let change = generator_loss(&p, &energy).unwrap() - generator_loss(&q, &energy).unwrap();
        let linear = common::sum((0..d.len()).map(|i| (p[i] - q[i]) * d[i]));
        prop_assert!((change - linear).abs() <= GAP_ROUNDING);
    }
}

proptest! {
    #![proptest_config(common::config(64))]

    /// Projected subgradient steps: from the derived entry time on, the excess
    /// L_D(D_t) - m (1 - TV) stays in [0, eta sum_(p<q) max(q - p, p)^2], and
    /// coordinates with p > q are exactly 0.
    #[test]
    fn d3_trained_energy_reaches_best_value_within_bound(
        (p, q, m, start) in game(), step in 0.01f64..0.5
    ) {
        let entry = ebgan_steps_to_band(&m, &p, &q, &start, step).unwrap();
        prop_assume!(entry <= 20_000);
        let run = train_ebgan_energy(&m, &p, &q, &start, step, entry + 50).unwrap();
        prop_assert_eq!(run.history.len(), entry + 51);
        prop_assert_eq!(run.history.last().unwrap().as_slice(), run.energy.values());
        let best = best_value(&m, &p, &q).unwrap();
        let bound = ebgan_excess_bound(&p, &q, step).unwrap();
        let tolerance = ebgan_excess_tolerance(&m, &start);
        for (t, loss) in run.loss.iter().enumerate().skip(entry) {
            let excess = loss - best;
            prop_assert!(excess >= -tolerance, "t = {t}: excess {excess}");
            prop_assert!(excess <= bound + tolerance, "t = {t}: excess {excess} > bound {bound}");
        }
        for i in 0..p.len() {
            if p[i] > q[i] {
                prop_assert_eq!(run.energy.values()[i], 0.0);
            }
        }
    }
}

/// With a small step the bound is small: eta = 1e-3 on the reference pair
/// gives L_D within 1e-3 * (0.3^2) = 9e-5 of m (1 - TV) = 1.4.
#[test]
fn d3_trained_energy_reference_case() {
    let p = Discrete::new(vec![0.5, 0.3, 0.2]).unwrap();
    let q = Discrete::new(vec![0.2, 0.3, 0.5]).unwrap();
    let m = Margin::new(2.0).unwrap();
    let start = Energy::new(vec![3.0, 3.0, 0.0]).unwrap();
    let step = 1e-3;
    let bound = ebgan_excess_bound(&p, &q, step).unwrap();
    assert!((bound - 9e-5).abs() <= 4.0 * EPS * 9e-5);
    let entry = ebgan_steps_to_band(&m, &p, &q, &start, step).unwrap();
    let run = train_ebgan_energy(&m, &p, &q, &start, step, entry).unwrap();
    // The derived rounding allowance: a few ulps of m + max D_0 = 5 in L_D
    // and in the iterates.
    let rounding = ebgan_excess_tolerance(&m, &start);
    let excess = run.loss.last().unwrap() - 1.4;
    assert!(
        (-rounding..=bound + rounding).contains(&excess),
        "{excess} vs {bound}"
    );
    let d = run.energy.values();
    assert_eq!(d[0], 0.0);
    assert!((0.0..=2.0).contains(&d[1]));
    // In the band [m - eta s, m + eta s], s = max(q - p, p) = 0.3.
    assert!((d[2] - 2.0).abs() <= step * 0.3 + rounding);
}

/// Margins and energies near f64::MAX are valid; the rounding allowance
/// `16 EPS (m + max D_0)` must stay finite there (it was `+inf`, which
/// lets any loss pass), and the trained energy must meet its bound with it.
#[test]
fn d3_huge_margin_keeps_a_finite_tolerance() {
    let p = Discrete::new(vec![0.5, 0.3, 0.2, 0.0]).unwrap();
    let q = Discrete::new(vec![0.2, 0.3, 0.0, 0.5]).unwrap();
    let m = Margin::new(1e308).unwrap();
    let start = Energy::constant(4, 1e308).unwrap();
    let tolerance = ebgan_excess_tolerance(&m, &start);
    // 16 EPS (1e308 + 1e308), the sum written as 2e307 x 10.
    let expected = (16.0 * EPS * 2e307) * 10.0;
    assert!(
        (tolerance - expected).abs() <= 4.0 * EPS * expected,
        "{tolerance}"
    );
    let step = 1e306;
    let entry = ebgan_steps_to_band(&m, &p, &q, &start, step).unwrap();
    let run = train_ebgan_energy(&m, &p, &q, &start, step, entry).unwrap();
    let excess = run.loss.last().unwrap() - best_value(&m, &p, &q).unwrap();
    let bound = ebgan_excess_bound(&p, &q, step).unwrap();
    assert!(
        (-tolerance..=bound + tolerance).contains(&excess),
        "{excess} vs {bound}"
    );
}

/// An energy has its points: `len` counts them and `is_empty` is false
/// (there is no empty energy).
#[test]
fn d3_energy_has_its_points() {
    for n in [1usize, 3] {
        let energy = Energy::constant(n, 0.5).unwrap();
        assert_eq!((energy.len(), energy.is_empty()), (n, false));
    }
    let energy = Energy::new(vec![0.0, 2.0]).unwrap();
    assert_eq!((energy.len(), energy.is_empty()), (2, false));
}
