//! The fast paths of KL and JS (src/divergence/kernel.rs) against the
//! careful paths, on the same distributions.
//!
//! `kl` and `js` take the branch-free path on every full chunk of 256
//! entries, and on a tail of at least 64 entries (padded with zeros), when
//! every entry of it is one the fast terms take: zero or normal entries with
//! a normal ratio (and, for KL, no zero `q` against a positive `p`). A chunk
//! with any other entry goes the careful way, entry by entry.
//!
//! So each instance here holds a slot in every chunk and in the tail where
//! both distributions are 0: as it is, every chunk is fast. Putting the same
//! subnormal `2^-1074` into that slot of both distributions sends every
//! chunk (and the tail) the careful way while leaving KL and JS unchanged
//! (the pair adds exactly 0 to both, and nothing to the sums). The entries
//! reach every branch of the fast terms: nearly equal pairs (the series,
//! `|u| < 1/8`), far pairs (the logarithms), ratios near 1e+-250, zeros of
//! `p` (KL's `a = 0`), zeros of either side (JS's `y = 0`).

use gan_theory::Discrete;
use gan_theory::divergence::{js, kl};

/// Relative agreement of the fast and the careful path on one input.
///
/// Reason: each fast term is within about 1e-14 relative of the exact term
/// (kernel.rs: a few ulps of each logarithm, magnified at most 20 times by
/// cancellation where the closed forms are used), each careful term within
/// a few ulps; both sums add non-negative terms (a chunk's 8 lanes of 32
/// terms add at most 32 ulps), and KL's mass correction is exact to an ulp.
/// So the two agree to about 2e-14; 1e-13 leaves a factor of 5 and is far
/// below what a wrong formula, branch or coefficient gives.
const FAST_CAREFUL_REL: f64 = 1e-13;

/// Entries per chunk of the fast paths (kernel.rs `CHUNK`).
const CHUNK: usize = 256;

/// The smallest tail that is padded to a chunk and taken fast (kernel.rs `PAD_FROM`).
const PAD_FROM: usize = 64;

/// splitmix64: a fixed, portable stream of pseudo-random numbers.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// How the two distributions relate at each entry.
#[derive(Clone, Copy)]
enum Mix {
    /// Nearly equal entries, far entries, zeros of `p` (never a zero `q`
    /// against a positive `p`): KL and JS are finite.
    Finite,
    /// As `Finite`, plus zeros of `q` against positive `p` (JS only).
    WithZerosOfQ,
}

/// Weights of `p` and `q` on `n` entries, 0 in both at `slot`s.
fn weights(n: usize, mix: Mix, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = SplitMix64(seed);
    let (mut p, mut q) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        if is_slot(i) {
            p.push(0.0);
            q.push(0.0);
            continue;
        }
        let a = 0.05 + rng.uniform();
        let kinds = match mix {
            Mix::Finite => 6,
            Mix::WithZerosOfQ => 7,
        };
        let b = match rng.next() % kinds {
            // Within 1/8 of each other (the series) or within 1/2 (careful KL's phi).
            0 => a * (1.0 + 0.2 * (rng.uniform() - 0.5)),
            1 => a * (1.0 + (rng.uniform() - 0.5)),
            // Far apart (the logarithms), both ways.
            2 => a * (2.0 + 30.0 * rng.uniform()),
            3 => a / (2.0 + 30.0 * rng.uniform()),
            // Ratios near 1e-250 and 1e250: still normal.
            4 => a * 1e-250 * (1.0 + rng.uniform()),
            // A zero of p against a positive q.
            5 => {
                p.push(0.0);
                q.push(a);
                continue;
            }
            // A zero of q against a positive p.
            _ => 0.0,
        };
        if rng.next() % 2 == 0 {
            p.push(a);
            q.push(b);
        } else {
            p.push(b);
            q.push(a);
        }
    }
    (p, q)
}

/// One slot per chunk (its first entry), and the first entry of the tail.
fn is_slot(i: usize) -> bool {
    i % CHUNK == 0
}

/// The distributions as they are (every chunk fast) and with the same
/// subnormal in every slot (every chunk careful).
fn fast_and_careful(n: usize, mix: Mix, seed: u64) -> [(Discrete, Discrete); 2] {
    let (p, q) = weights(n, mix, seed);
    let (p, q) = (
        Discrete::from_weights(&p).unwrap(),
        Discrete::from_weights(&q).unwrap(),
    );
    let with_subnormals = |d: &Discrete| {
        let mut v = d.as_slice().to_vec();
        for (i, x) in v.iter_mut().enumerate() {
            if is_slot(i) {
                assert_eq!(*x, 0.0);
                *x = 5e-324;
            }
        }
        Discrete::new(v).unwrap()
    };
    let careful = (with_subnormals(&p), with_subnormals(&q));
    [(p, q), careful]
}

/// Lengths: one chunk; chunks with a tail taken fast (padded) or careful;
/// the tail at exactly PAD_FROM and one below.
fn lengths() -> [usize; 6] {
    [
        CHUNK,
        3 * CHUNK + 100,
        2 * CHUNK + 10,
        CHUNK + PAD_FROM,
        CHUNK + PAD_FROM - 1,
        PAD_FROM,
    ]
}

fn assert_agree(what: &str, n: usize, fast: f64, careful: f64) {
    assert!(fast.is_finite() && fast > 0.0, "{what}, n = {n}: {fast}");
    assert!(
        (fast - careful).abs() <= FAST_CAREFUL_REL * careful,
        "{what}, n = {n}: fast path {fast:e}, careful path {careful:e}, relative {:e}",
        (fast - careful).abs() / careful
    );
}

#[test]
fn kl_fast_path_agrees_with_the_careful_path() {
    for (k, n) in lengths().into_iter().enumerate() {
        for seed in 0..4u64 {
            let [(p, q), (pc, qc)] = fast_and_careful(n, Mix::Finite, 100 * k as u64 + seed);
            // (Not KL(q || p): p has zeros against a positive q.)
            assert_agree("KL(p || q)", n, kl(&p, &q).unwrap(), kl(&pc, &qc).unwrap());
        }
    }
}

#[test]
fn js_fast_path_agrees_with_the_careful_path() {
    for (k, n) in lengths().into_iter().enumerate() {
        for seed in 0..4u64 {
            for mix in [Mix::Finite, Mix::WithZerosOfQ] {
                let [(p, q), (pc, qc)] = fast_and_careful(n, mix, 100 * k as u64 + seed);
                assert_agree("JS", n, js(&p, &q).unwrap(), js(&pc, &qc).unwrap());
                assert_agree("JS swapped", n, js(&q, &p).unwrap(), js(&qc, &pc).unwrap());
            }
        }
    }
}

#[test]
fn nearly_equal_distributions_keep_their_tiny_divergence_on_the_fast_path() {
    // Every entry within 1/8 of its partner: only the series runs. q moves a
    // mass d (exactly) from every other entry of p to the next, so both sum
    // to the same total exactly and KL = sum p ln(p/q), about sum d^2/(2 p),
    // and JS about sum d^2/(8 p): about 1e-20, which must not cancel to 0
    // or to noise.
    for d in [2f64.powi(-40)] {
        for n in [CHUNK, 2 * CHUNK + PAD_FROM] {
            let mut rng = SplitMix64(7);
            let mut p = vec![0.0; n];
            for i in (0..n).filter(|&i| !is_slot(i)) {
                p[i] = 0.5 + rng.uniform();
            }
            let p = Discrete::from_weights(&p).unwrap().as_slice().to_vec();
            let mut q = p.clone();
            let movable: Vec<usize> = (0..n).filter(|&i| !is_slot(i)).collect();
            for pair in movable.chunks_exact(2) {
                q[pair[0]] += d;
                q[pair[1]] -= d;
            }
            let moved: Vec<usize> = movable.chunks_exact(2).flatten().copied().collect();
            let second_order = common_sum(moved.iter().map(|&i| d * d / (2.0 * p[i])));
            let [(p, q), (pc, qc)] = {
                let (p, q) = (Discrete::new(p).unwrap(), Discrete::new(q).unwrap());
                let sub = |d: &Discrete| {
                    let mut v = d.as_slice().to_vec();
                    (0..n).filter(|&i| is_slot(i)).for_each(|i| v[i] = 5e-324);
                    Discrete::new(v).unwrap()
                };
                let careful = (sub(&p), sub(&q));
                [(p, q), careful]
            };
            let (fast, careful) = (kl(&p, &q).unwrap(), kl(&pc, &qc).unwrap());
            assert!(
                (careful - second_order).abs() <= SECOND_ORDER_REL * second_order,
                "KL {careful:e} against {second_order:e}"
            );
            assert_agree("KL, nearly equal", n, fast, careful);
            let (fast, careful) = (js(&p, &q).unwrap(), js(&pc, &qc).unwrap());
            let second_order = second_order / 4.0;
            assert!(
                (careful - second_order).abs() <= SECOND_ORDER_REL * second_order,
                "JS {careful:e} against {second_order:e}"
            );
            assert_agree("JS, nearly equal", n, fast, careful);
        }
    }
}

/// A plain sum of positive terms (at most 576 of them, each rounded once:
/// well within 1e-12 relative).
fn common_sum(terms: impl Iterator<Item = f64>) -> f64 {
    terms.sum()
}

/// KL and JS of entries moved by `d` against their second-order terms
/// `d^2/(2 p)` and `d^2/(8 p)`: the next order is smaller by `d/p`, at most
/// 2^-40 / 2.6e-3, about 3.5e-10, so 1e-9 bounds the truncation (and the
/// rounding of both sides).
const SECOND_ORDER_REL: f64 = 1e-9;

#[test]
fn a_zero_of_q_against_positive_p_in_a_fast_chunk_makes_kl_infinite() {
    // In a full chunk, in a padded tail and in a short tail.
    for (n, at) in [
        (2 * CHUNK, CHUNK + 17),
        (CHUNK + 100, CHUNK + 50),
        (CHUNK + 10, CHUNK + 5),
        (CHUNK, 255),
    ] {
        let (mut p, mut q) = weights(n, Mix::Finite, 11);
        p[at] = 1.0;
        q[at] = 0.0;
        let (p, q) = (
            Discrete::from_weights(&p).unwrap(),
            Discrete::from_weights(&q).unwrap(),
        );
        assert_eq!(kl(&p, &q).unwrap(), f64::INFINITY, "n = {n}, zero at {at}");
        // JS stays finite there: the entry adds p ln 2 / 2.
        let j = js(&p, &q).unwrap();
        assert!(j.is_finite() && j > 0.0);
    }
}

#[test]
fn a_chunk_that_is_all_zeros_of_q_against_positive_p_makes_kl_infinite() {
    // Every entry of the second chunk is p > 0 = q (none of them a fast
    // entry), the first chunk is ordinary: KL is +inf, never a finite sum.
    let n = 2 * CHUNK;
    let (mut p, mut q) = weights(n, Mix::Finite, 5);
    for i in CHUNK..n {
        p[i] = 1.0 + i as f64;
        q[i] = 0.0;
    }
    let (p, q) = (
        Discrete::from_weights(&p).unwrap(),
        Discrete::from_weights(&q).unwrap(),
    );
    assert_eq!(kl(&p, &q).unwrap(), f64::INFINITY);
}

/// Knuth's two-sum: `a + b` rounded, and its rounding error, exactly.
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// Accumulators per chunk of KL's mass difference (kernel.rs `LANES`).
const LANES: usize = 8;

#[test]
fn nearly_equal_distributions_of_varied_sizes_keep_the_exact_mass_difference() {
    // KL subtracts sum(q - p) from the sum of the terms p ln(p/q) - p + q;
    // with p and q within 1e-4 of each other KL is about 1e-9, so the
    // rounding errors of summing q - p (about 1e-19 each, ulps of entries
    // up to 1e-2) are visible at 1e-10 relative: the fast path keeps them
    // (two-sum), and must add them, not subtract them.
    let n = 2 * CHUNK;
    let mut rng = SplitMix64(2026);
    let (mut p, mut q) = (vec![0.0; n], vec![0.0; n]);
    for i in (0..n).filter(|&i| !is_slot(i)) {
        // Sizes over three decades, so the partial sums round.
        p[i] = 10f64.powf(-3.0 * rng.uniform());
        q[i] = p[i] * (1.0 + 2e-4 * (rng.uniform() - 0.5));
    }
    let (p, q) = (
        Discrete::from_weights(&p).unwrap().as_slice().to_vec(),
        Discrete::from_weights(&q).unwrap().as_slice().to_vec(),
    );
    // The rounding errors the fast path's per-lane two-sums keep (the
    // instance must make them matter, or this test would test nothing).
    let mut kept_error = 0.0;
    for (pc, qc) in p.chunks_exact(CHUNK).zip(q.chunks_exact(CHUNK)) {
        let mut mass = [0.0; LANES];
        for (pl, ql) in pc.chunks_exact(LANES).zip(qc.chunks_exact(LANES)) {
            for j in 0..LANES {
                for v in [ql[j], -pl[j]] {
                    let (total, error) = two_sum(mass[j], v);
                    mass[j] = total;
                    kept_error += error;
                }
            }
        }
    }
    let sub = |v: &[f64]| {
        let mut v = v.to_vec();
        (0..n).filter(|&i| is_slot(i)).for_each(|i| v[i] = 5e-324);
        Discrete::new(v).unwrap()
    };
    let (pc, qc) = (sub(&p), sub(&q));
    let (p, q) = (Discrete::new(p).unwrap(), Discrete::new(q).unwrap());
    let (fast, careful) = (kl(&p, &q).unwrap(), kl(&pc, &qc).unwrap());
    assert!(
        (1e-10..1e-8).contains(&careful),
        "KL {careful:e}: not the tiny KL this instance is built for"
    );
    // Dropping or negating the kept errors moves KL by |kept_error| or twice it.
    assert!(
        kept_error.abs() > 100.0 * FAST_CAREFUL_REL * careful,
        "two-sum errors {kept_error:e} too small to matter against KL {careful:e}"
    );
    assert_agree("KL, nearly equal, varied sizes", n, fast, careful);
}

#[test]
fn a_subnormal_entry_with_a_normal_ratio_sends_its_js_chunk_the_careful_way() {
    // p and q equal on every entry but one, where they are x = 2^-1027 and
    // y = 2^-1028: both subnormal, their ratio r = 1/2 normal. The fast JS
    // term takes y = 0 or y and r normal only; here its 1/((2 + f_r)(2 + f_1pr)(x + y))
    // overflows (x + y is about 1e-309), so the chunk must go the careful
    // way. JS = (x ln(2x/(x+y)) + y ln(2y/(x+y)))/2 = y ln(32/27)/2, from
    // that one entry alone (the equal entries add exactly 0). The other
    // entries of its chunk are equal normal ones, or all zeros (then every
    // other entry of the chunk is one with y = 0, which the flag takes).
    let (x, y) = (2f64.powi(-1027), 2f64.powi(-1028));
    assert!(x < f64::MIN_POSITIVE && y / x >= f64::MIN_POSITIVE);
    let exact = 0.5 * y * (32.0f64 / 27.0).ln();
    let long = 2 * CHUNK + PAD_FROM;
    // (length, the entry, the entries that hold the mass)
    let cases = [
        (CHUNK, 3, 0..CHUNK),
        (long, long - 1, 0..long),
        (long, CHUNK + 7, 0..CHUNK),
        (long, long - 1, 0..CHUNK),
    ];
    for (n, at, mass) in cases {
        // Equal normal entries (subnormals do not move the sum).
        let mut w = vec![0.0; n];
        w[mass].iter_mut().for_each(|v| *v = 1.0);
        w[at] = 0.0;
        let mut p = Discrete::from_weights(&w).unwrap().as_slice().to_vec();
        let mut q = p.clone();
        p[at] = x;
        q[at] = y;
        let (p, q) = (Discrete::new(p).unwrap(), Discrete::new(q).unwrap());
        for (a, b) in [(&p, &q), (&q, &p)] {
            let j = js(a, b).unwrap();
            assert!(
                (j - exact).abs() <= SUBNORMAL_JS_REL * exact,
                "n = {n}, at {at}: JS {j:e}, exact {exact:e}"
            );
        }
    }
}

/// Relative accuracy of a JS that is one subnormal-sized term, about
/// 3e-311. The careful term of subnormal `x, y` with a normal ratio rounds
/// a few times in the normal range (a few EPS relative) and a few times
/// into the subnormal range (each at most 2^-1075 absolute, 1.7e-13
/// relative at this size), as does the reference `y ln(32/27)/2`; 1e-11
/// bounds both with a wide margin, and a wrong path gives 0, ln 2 or NaN.
const SUBNORMAL_JS_REL: f64 = 1e-11;
