//! Accuracy of the fast paths: the chunked, branch-free JS and KL
//! (src/divergence/kernel.rs), against independent references. (The
//! vectorisable logarithm is private; its test against the standard
//! library's `ln` is a unit test in src/divergence/kernel.rs.)
//!
//! The fast paths run on full chunks of 256 entries; the tests here use
//! vectors long enough to have many chunks, plus a tail. Nothing is timed.

mod common;

use gan_theory::Discrete;
use gan_theory::divergence::{js, kl};
use proptest::prelude::*;

/// Relative agreement asked of JS and KL against a careful reference (issue 7).
///
/// Reason: each fast-path term is within about 1e-14 relative (a few ulps of
/// each logarithm, magnified at most 20 times where the closed forms are
/// used), and the terms are non-negative, so the sum is too; 1e-12 leaves
/// a factor of about 100 and still catches any formula or branch error,
/// which shows at 1e-6 or more.
const REFERENCE_REL: f64 = 1e-12;

/// splitmix64, as in benches/compare/fast_path_reference.py.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Entries of the reference instances: 16 full chunks and a tail of 100.
const N: usize = 4196;

/// Integer weights with total exactly 2^K (K the bit length of their sum),
/// as exact doubles `w 2^-K` that sum to 1 exactly; see the Python script.
fn normalise(weights: &[u64]) -> Vec<f64> {
    let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let k = 128 - total.leading_zeros();
    let power = 1u128 << k;
    let rem = power - total;
    let mut out: Vec<u128> = weights
        .iter()
        .map(|&w| u128::from(w) + rem * u128::from(w) / total)
        .collect();
    let placed: u128 = out.iter().sum();
    *out.last_mut().unwrap() += power - placed;
    let scale = f64::from_bits(u64::from(1023 - k) << 52);
    out.iter()
        .map(|&w| {
            assert!(w < 1 << 53, "weight {w} not exactly representable");
            w as f64 * scale
        })
        .collect()
}

fn weights(rng: &mut SplitMix64, wide: bool, zeros: bool) -> Vec<u64> {
    let mut out: Vec<u64> = (0..N)
        .map(|_| {
            let mut m = rng.next() >> 44;
            if wide {
                m <<= rng.next() % 25;
            }
            if zeros && rng.next() % 8 == 0 {
                m = 0;
            }
            m
        })
        .collect();
    let last = out.last_mut().unwrap();
    *last = (*last).max(1);
    out
}

/// The instance `kind` of benches/compare/fast_path_reference.py.
fn instance(kind: &str) -> (Discrete, Discrete) {
    let seed = match kind {
        "random" => 1,
        "wide" => 2,
        "near" => 3,
        "subnormal" => 4,
        _ => unreachable!("unknown kind"),
    };
    let mut rng = SplitMix64(seed);
    let (p, q) = if kind == "near" {
        let wp = weights(&mut rng, false, true);
        let wq: Vec<u64> = wp
            .iter()
            .map(|&w| {
                if w == 0 {
                    0
                } else {
                    (w + rng.next() % 7).saturating_sub(3).max(1)
                }
            })
            .collect();
        (normalise(&wp), normalise(&wq))
    } else {
        let wide = kind == "wide";
        let mut p = normalise(&weights(&mut rng, wide, true));
        let q = normalise(&weights(&mut rng, wide, false));
        if kind == "subnormal" {
            let zero_slots: Vec<usize> = (0..N).filter(|&i| p[i] == 0.0).collect();
            for (j, &i) in zero_slots.iter().step_by(7).enumerate() {
                p[i] = if j % 2 == 0 { 5e-324 } else { 1e-310 };
            }
        }
        (p, q)
    };
    (Discrete::new(p).unwrap(), Discrete::new(q).unwrap())
}

/// `|got - want| <= REFERENCE_REL * want`, or both infinite.
fn assert_close(what: &str, got: f64, want: f64) {
    if want.is_infinite() {
        assert_eq!(got, want, "{what}");
        return;
    }
    let rel = (got - want).abs() / want;
    assert!(
        rel <= REFERENCE_REL,
        "{what}: got {got:e}, reference {want:e}, relative {rel:e}"
    );
}

/// Reference values: 60-digit mpmath on the exact doubles, printed by
/// `benches/compare/fast_path_reference.py` (quoted to 25 digits).
const REFERENCES: [(&str, f64, f64, f64); 4] = [
    (
        "random",
        0.1434588084557973217872923,
        0.6504486131442448003817871,
        f64::INFINITY,
    ),
    (
        "wide",
        0.5911241090968363361405346,
        8.269541554698625749676514,
        f64::INFINITY,
    ),
    (
        "near",
        4.543414596740005321987535e-11,
        1.812679135529566111890605e-10,
        1.82209524643073779567478e-10,
    ),
    (
        "subnormal",
        0.1418657458159992817261593,
        0.6323639354887868241992459,
        f64::INFINITY,
    ),
];

#[test]
fn fast_js_and_kl_match_mpmath_on_dyadic_instances() {
    for (kind, js_ref, kl_pq_ref, kl_qp_ref) in REFERENCES {
        let (p, q) = instance(kind);
        assert_close(&format!("{kind} js"), js(&p, &q).unwrap(), js_ref);
        assert_close(&format!("{kind} js(q, p)"), js(&q, &p).unwrap(), js_ref);
        assert_close(&format!("{kind} kl(p, q)"), kl(&p, &q).unwrap(), kl_pq_ref);
        assert_close(&format!("{kind} kl(q, p)"), kl(&q, &p).unwrap(), kl_qp_ref);
    }
}

#[test]
fn instances_are_the_scripts() {
    // The first entries the script prints, so a drift in the generator shows
    // here rather than as an accuracy failure.
    let (p, _) = instance("random");
    assert_eq!(
        &p.as_slice()[..3],
        &[0.00031761638820171356, 0.000544348731637001, 0.0]
    );
    let (p, _) = instance("wide");
    assert_eq!(p.as_slice()[0], 4.997746660961866e-10);
    let (p, _) = instance("subnormal");
    assert_eq!(p.as_slice()[0], 5e-324);
}

/// `v / 256` repeated 256 times: every entry of `v` becomes 256 entries
/// (exact: a power of two), and the vector has only full chunks.
fn spread(v: &Discrete) -> Discrete {
    let mut out = Vec::with_capacity(256 * v.len());
    for &x in v.as_slice() {
        out.extend(std::iter::repeat_n(x / 256.0, 256));
    }
    Discrete::new(out).unwrap()
}

/// Two distributions on the same 1 to 63 points, with zeros.
fn short_pair() -> impl Strategy<Value = (Discrete, Discrete)> {
    (1usize..=63).prop_flat_map(|n| (common::distribution(n), common::distribution(n)))
}

proptest! {
    #![proptest_config(common::config(48))]

    /// Each JS and KL term is homogeneous of degree 1, so spreading both
    /// vectors over 256 copies leaves JS and KL unchanged: the spread pair
    /// runs the fast path (full chunks), the original (fewer than 64
    /// entries, too short to be padded to a chunk) the careful per-entry path.
    #[test]
    fn fast_path_agrees_with_careful_path((p, q) in short_pair()) {
        let (sp, sq) = (spread(&p), spread(&q));
        for (careful, fast) in [
            (js(&p, &q).unwrap(), js(&sp, &sq).unwrap()),
            (kl(&p, &q).unwrap(), kl(&sp, &sq).unwrap()),
            (kl(&q, &p).unwrap(), kl(&sq, &sp).unwrap()),
        ] {
            if careful.is_infinite() || careful == 0.0 {
                prop_assert_eq!(fast, careful);
            } else {
                prop_assert!((fast - careful).abs() <= REFERENCE_REL * careful,
                    "fast {:e} careful {:e}", fast, careful);
            }
        }
        // Symmetric bit for bit, zero on equal arguments, at most ln 2.
        prop_assert_eq!(js(&sp, &sq).unwrap(), js(&sq, &sp).unwrap());
        prop_assert_eq!(js(&sp, &sp).unwrap(), 0.0);
        prop_assert_eq!(kl(&sp, &sp).unwrap(), 0.0);
        prop_assert!(js(&sp, &sq).unwrap() <= std::f64::consts::LN_2);
    }
}
