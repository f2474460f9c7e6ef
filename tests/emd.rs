//! Solver-level tests of the exact Earth Mover distance (`transport::emd`):
//! certificates on random instances, brute force on small ones, the hard
//! cases of the issue (wide-range costs, tiny masses, zeros, ties, n = 1,
//! forbidden arcs) and every bad input.

mod common;

use gan_theory::Error;
use gan_theory::transport::{
    CostMatrix, EmdOptions, Metric, PlanEntry, Points, Transport, emd, emd_with, verify_certificate,
};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Relative agreement of two optimal costs computed in `f64` from the same
/// data by different exact methods: each is a compensated sum of at most
/// `n + m - 1` (or `n m`) rounded products, within a few ulps; 1e-12 leaves
/// three orders of magnitude of headroom and still catches any wrong plan
/// (whose cost differs by at least one cost gap times a mass, far above it).
const COST_REL: f64 = 1e-12;

/// Absolute floor with [`COST_REL`] for costs near zero: a few ulps of the
/// largest product `mass * cost` (masses and costs are at most 10 here).
const COST_ABS: f64 = 1e-13;

/// Absolute slack for costs in the subnormal range: each of the at most 9
/// products of a 3 x 3 plan, in our sum and in the brute force's, may round
/// by half a subnormal unit (2^-1074); 16 units cover both sums.
const SUBNORMAL_SLACK: f64 = 16.0 * 5e-324;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= COST_ABS + COST_REL * a.abs().max(b.abs())
}

fn normalised() -> EmdOptions {
    EmdOptions {
        normalize: true,
        ..EmdOptions::default()
    }
}

/// Every plan entry in range, positive, on a finite arc; at most n + m - 1 of them.
fn assert_plan_shape(t: &Transport, cost: &CostMatrix) {
    assert!(t.plan.len() < cost.rows() + cost.cols());
    for e in &t.plan {
        assert!(e.i < cost.rows() && e.j < cost.cols() && e.mass > 0.0);
        assert!(cost.get(e.i, e.j).is_finite());
    }
}

// ------------------------------------------------------------ strategies

/// Weights with about a third exact zeros, at least one positive.
fn weights(n: usize) -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(prop_oneof![1 => Just(0.0), 2 => 1e-3f64..1.0], n)
        .prop_filter("some mass", |w| w.iter().any(|&x| x > 0.0))
}

/// Costs: continuous values, or small integers (ties and degeneracy).
fn costs(n: usize, m: usize) -> impl Strategy<Value = CostMatrix> {
    prop_oneof![
        proptest::collection::vec(0.0f64..10.0, n * m),
        proptest::collection::vec((0u8..3).prop_map(f64::from), n * m),
    ]
    .prop_map(move |data| CostMatrix::new(n, m, data).unwrap())
}

/// Costs spread over 600 orders of magnitude (log-uniform in [1e-300, 1e300])
/// or over the subnormal range up to 1, with ties.
fn wide_costs(n: usize, m: usize) -> impl Strategy<Value = CostMatrix> {
    prop_oneof![
        proptest::collection::vec((-300.0f64..300.0).prop_map(|e| 10f64.powf(e)), n * m),
        proptest::collection::vec(
            prop_oneof![(-323.0f64..0.0).prop_map(|e| 10f64.powf(e)), Just(5e-324)],
            n * m
        ),
    ]
    .prop_map(move |data| CostMatrix::new(n, m, data).unwrap())
}

fn instance() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, CostMatrix)> {
    (1usize..=12, 1usize..=12).prop_flat_map(|(n, m)| (weights(n), weights(m), costs(n, m)))
}

/// Integer masses with equal totals (at most 6) on at most 3 x 3 points.
fn integer_instance() -> impl Strategy<Value = (Vec<u32>, Vec<u32>, CostMatrix)> {
    (1usize..=3, 1usize..=3).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(0u32..=2, n),
            proptest::collection::vec(0u32..=2, m),
            costs(n, m),
        )
            .prop_map(|(mut p, mut q, c)| {
                let (sp, sq): (u32, u32) = (p.iter().sum(), q.iter().sum());
                // Balance the totals on the lighter side's last entry; keep one unit at least.
                if sp < sq {
                    *p.last_mut().unwrap() += sq - sp;
                } else {
                    *q.last_mut().unwrap() += sp - sq;
                }
                if p.iter().sum::<u32>() == 0 {
                    p[0] = 1;
                    q[0] = 1;
                }
                (p, q, c)
            })
    })
}

/// Costs of a small integer problem with about a quarter of the arcs forbidden.
fn costs_with_forbidden(n: usize, m: usize) -> impl Strategy<Value = CostMatrix> {
    proptest::collection::vec(
        prop_oneof![1 => Just(f64::INFINITY), 3 => 0.0f64..10.0],
        n * m,
    )
    .prop_map(move |data| CostMatrix::new(n, m, data).unwrap())
}

/// The cheapest integer plan, by enumeration (`+inf` when every plan uses a
/// forbidden arc). Transportation problems with
/// integer margins have integer optimal vertices (total unimodularity), so
/// this is the LP optimum.
fn brute_force(p: &[u32], q: &[u32], cost: &CostMatrix) -> f64 {
    fn fill(
        cell: usize,
        row: &mut [u32],
        col: &mut [u32],
        cost: &CostMatrix,
        acc: f64,
        best: &mut f64,
    ) {
        let m = cost.cols();
        if cell == cost.rows() * m {
            if row.iter().all(|&r| r == 0) && col.iter().all(|&c| c == 0) {
                *best = best.min(acc);
            }
            return;
        }
        let (i, j) = (cell / m, cell % m);
        // The last cell of a row must take what the row has left.
        let range = if j + 1 == m {
            row[i]..=row[i]
        } else {
            0..=row[i].min(col[j])
        };
        for x in range {
            if x > col[j] {
                continue;
            }
            row[i] -= x;
            col[j] -= x;
            fill(
                cell + 1,
                row,
                col,
                cost,
                // No mass, no cost (and no 0 * inf on a forbidden arc).
                if x == 0 {
                    acc
                } else {
                    acc + f64::from(x) * cost.get(i, j)
                },
                best,
            );
            row[i] += x;
            col[j] += x;
        }
    }
    let mut best = f64::INFINITY;
    fill(0, &mut p.to_vec(), &mut q.to_vec(), cost, 0.0, &mut best);
    best
}

proptest! {
    #![proptest_config(common::config(200))]

    #[test]
    fn certificate_holds_on_random_instances((p, q, cost) in instance()) {
        let t = emd_with(&p, &q, &cost, &normalised()).unwrap();
        assert_plan_shape(&t, &cost);
        prop_assert!(t.certificate.passed, "{}", t.certificate.summary());
        // The independent re-check, on the normalised masses, agrees.
        let (sp, sq): (f64, f64) = (p.iter().sum(), q.iter().sum());
        let pn: Vec<f64> = p.iter().map(|x| x / sp).collect();
        let qn: Vec<f64> = q.iter().map(|x| x / sq).collect();
        let again = verify_certificate(&pn, &qn, &cost, &t);
        prop_assert!(again.passed, "{}", again.summary());
        prop_assert!(close(t.cost, again.primal_cost));
    }

    #[test]
    fn agrees_with_brute_force_on_small_integer_problems((p, q, cost) in integer_instance()) {
        let total: u32 = p.iter().sum();
        let pf: Vec<f64> = p.iter().map(|&x| f64::from(x)).collect();
        let qf: Vec<f64> = q.iter().map(|&x| f64::from(x)).collect();
        let t = emd(&pf, &qf, &cost).unwrap();
        let best = brute_force(&p, &q, &cost);
        prop_assert!(close(t.cost, best), "emd {} brute force {}", t.cost, best);
        // The same problem as distributions: the cost scales by 1 / total.
        let t = emd_with(&pf, &qf, &cost, &normalised()).unwrap();
        prop_assert!(close(t.cost, best / f64::from(total)));
    }

    #[test]
    fn agrees_with_brute_force_on_wide_range_costs(
        (p, q, cost) in integer_instance().prop_flat_map(|(p, q, c)| {
            let (n, m) = (c.rows(), c.cols());
            (Just(p), Just(q), wide_costs(n, m))
        })
    ) {
        // The brute force ranks plans by f64 sums; two plans whose exact
        // costs differ below the rounding of the largest term tie there, and
        // then the f64 costs agree within COST_REL anyway.
        let pf: Vec<f64> = p.iter().map(|&x| f64::from(x)).collect();
        let qf: Vec<f64> = q.iter().map(|&x| f64::from(x)).collect();
        let t = emd(&pf, &qf, &cost).unwrap();
        let best = brute_force(&p, &q, &cost);
        prop_assert!(
            (t.cost - best).abs() <= COST_REL * best.abs() + SUBNORMAL_SLACK,
            "emd {:e} brute force {:e}", t.cost, best
        );
        prop_assert!(t.certificate.passed);
    }

    #[test]
    fn infeasibility_is_decided_exactly_as_brute_force_does(
        (p, q, cost) in integer_instance().prop_flat_map(|(p, q, c)| {
            let (n, m) = (c.rows(), c.cols());
            (Just(p), Just(q), costs_with_forbidden(n, m))
        }),
        scale in prop_oneof![Just(1.0), Just(1e-300), Just(5e-324)],
    ) {
        // Masses scaled down to 1e-300 or to subnormal units: feasibility
        // does not depend on the scale, and the solver decides it exactly.
        let pf: Vec<f64> = p.iter().map(|&x| f64::from(x) * scale).collect();
        let qf: Vec<f64> = q.iter().map(|&x| f64::from(x) * scale).collect();
        let best = brute_force(&p, &q, &cost);
        match emd(&pf, &qf, &cost) {
            Ok(t) => {
                prop_assert!(best.is_finite());
                // Products of subnormal masses round to subnormal units:
                // compare costs only where they are normal numbers.
                if scale >= 1e-300 {
                    prop_assert!(close(t.cost / scale, best), "emd {:e} brute force {}", t.cost, best);
                }
                prop_assert!(t.certificate.passed);
                assert_plan_shape(&t, &cost);
            }
            Err(Error::NoFeasiblePlan { unplaced }) => {
                prop_assert!(best.is_infinite());
                prop_assert!(unplaced > 0.0);
            }
            Err(e) => prop_assert!(false, "{e}"),
        }
    }

    #[test]
    fn transposed_problem_gives_the_same_cost((p, q, cost) in instance()) {
        let forward = emd_with(&p, &q, &cost, &normalised()).unwrap();
        let backward = emd_with(&q, &p, &cost.transpose(), &normalised()).unwrap();
        prop_assert!(close(forward.cost, backward.cost), "{} vs {}", forward.cost, backward.cost);
    }

    #[test]
    fn bad_inputs_are_errors_never_panics(
        p in proptest::collection::vec(prop_oneof![Just(f64::NAN), Just(-1.0), Just(f64::INFINITY), 0.0f64..1.0], 1..5),
        q in proptest::collection::vec(prop_oneof![Just(f64::NAN), Just(-1.0), 0.0f64..1.0], 1..5),
        data in proptest::collection::vec(prop_oneof![Just(f64::NAN), Just(-2.0), Just(f64::INFINITY), 0.0f64..1.0], 1..25),
        rows in 1usize..5,
        normalize in any::<bool>(),
    ) {
        let cols = data.len().div_ceil(rows);
        let mut data = data;
        data.resize(rows * cols, 0.5);
        match CostMatrix::new(rows, cols, data) {
            Ok(cost) => {
                let options = EmdOptions { normalize, ..EmdOptions::default() };
                match emd_with(&p, &q, &cost, &options) {
                    Ok(t) => prop_assert!(t.certificate.passed),
                    Err(e) => prop_assert!(
                        matches!(
                            e,
                            Error::NotANumber { .. }
                                | Error::Infinite { .. }
                                | Error::Negative { .. }
                                | Error::ShapeMismatch { .. }
                                | Error::Unbalanced { .. }
                                | Error::ZeroTotal
                                | Error::NoFeasiblePlan { .. }
                        ),
                        "{e}"
                    ),
                }
            }
            Err(e) => prop_assert!(
                matches!(e, Error::EntryNotANumber { .. } | Error::EntryNegative { .. }),
                "{e}"
            ),
        }
    }
}

// ------------------------------------------------------------ wide-range costs

/// A 7 x 7 instance with costs in [1e-3, 1] and above 1e32, where `ot.emd2`
/// (POT 0.9, Bonneel's network simplex in f64) returns 0.3292424029832811.
/// Generated by `benches/compare/pot_emd.py` (numpy seed 1 of its
/// wide-range family); the reference 0.2699932874342461 is HiGHS
/// (`scipy.optimize.linprog`) on the same data, and both HiGHS and POT give
/// it (to the last digit or one ulp) once the 1e32 entries are replaced by
/// 1e3, which no optimal plan uses either.
fn pot_fails_here() -> (Vec<f64>, Vec<f64>, CostMatrix) {
    let p = vec![
        0.05420368486062077,
        0.1966264808511977,
        0.09117502874822828,
        0.22782220678916534,
        0.14614702121223297,
        0.16212562849835904,
        0.12189994904019599,
    ];
    let q = vec![
        0.07816095493219195,
        0.10006553325397077,
        0.23803198793933947,
        0.0508992004714561,
        0.2499937962305174,
        0.191831749941348,
        0.09101677723117617,
    ];
    let c = vec![
        vec![
            0.4026362238885175,
            1.7870969415548012e+32,
            0.4322267487774062,
            1.8023641611345303e+32,
            1.1913239260572004e+32,
            0.8112743521062991,
            1.8552269742870704e+32,
        ],
        vec![
            0.5446692896684556,
            1.8765370964165807e+32,
            0.9971411901186279,
            0.24421546430632712,
            0.2962342556626958,
            0.07419007239096598,
            1.719909383508693e+32,
        ],
        vec![
            1.8355692165002742e+32,
            0.8479983706337296,
            1.2152181671629737e+32,
            1.639331380066588e+32,
            1.8050548331450098e+32,
            0.6659842463619607,
            1.1505248304211775e+32,
        ],
        vec![
            1.4822123881993366e+32,
            0.8406846036089424,
            0.12546033251547983,
            0.36600726350855894,
            0.44939630934448427,
            1.673459887152939e+32,
            1.9190886196338223e+32,
        ],
        vec![
            0.2042415440873966,
            0.2848064889441311,
            1.6603553805205236e+32,
            0.3140478588199377,
            0.577699716252952,
            0.9726899756197547,
            0.7345904610737034,
        ],
        vec![
            1.0627179225707684e+32,
            0.76026850053958,
            1.1645072664741014e+32,
            1.375146996496642e+32,
            0.690630155447081,
            0.18882474256546833,
            0.07808380850053875,
        ],
        vec![
            1.3962561622169865e+32,
            0.21383099534033434,
            0.13369629754678725,
            0.39349177601258245,
            0.786085292596959,
            1.633159946036558e+32,
            0.7697717599091665,
        ],
    ];
    (p, q, CostMatrix::from_rows(c).unwrap())
}

#[test]
fn wide_range_costs_reach_the_lp_optimum_where_pot_does_not() {
    const HIGHS: f64 = 0.2699932874342461;
    const POT: f64 = 0.3292424029832811;
    let (p, q, cost) = pot_fails_here();
    let t = emd(&p, &q, &cost).unwrap();
    assert!(close(t.cost, HIGHS), "{} against HiGHS {}", t.cost, HIGHS);
    assert!(!close(t.cost, POT));
    assert!(t.certificate.passed);
}

/// Replaces every entry above `threshold` by `with`.
fn replace_large(cost: &CostMatrix, threshold: f64, with: f64) -> CostMatrix {
    let data = cost
        .as_slice()
        .iter()
        .map(|&c| if c > threshold { with } else { c })
        .collect();
    CostMatrix::new(cost.rows(), cost.cols(), data).unwrap()
}

/// A random n x n wide-range instance: each arc costs in [1e-3, 1] or in
/// [1e32, 2e32] with probability 1/2, except that row 0 and column 0 are
/// cheap and hold half of the mass each, which makes a plan without 1e32
/// arcs possible (rows send to column 0, row 0 serves the other columns),
/// and a random permutation of cheap arcs adds cheap alternatives.
fn wide_range_instance(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>, CostMatrix) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut data: Vec<f64> = (0..n * n)
        .map(|_| {
            if rng.random::<f64>() < 0.5 {
                1e32 * (1.0 + rng.random::<f64>())
            } else {
                1e-3 + rng.random::<f64>()
            }
        })
        .collect();
    let mut perm: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        perm.swap(i, rng.random_range(0..=i));
    }
    for i in 0..n {
        data[i * n + perm[i]] = 1e-3 + rng.random::<f64>();
    }
    for k in 0..n {
        data[k] = 1e-3 + rng.random::<f64>();
        data[k * n] = 1e-3 + rng.random::<f64>();
    }
    let mass = |rng: &mut StdRng| -> Vec<f64> {
        let mut w: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        w[0] = w[1..].iter().sum::<f64>().max(1.0);
        w
    };
    let (p, q) = (mass(&mut rng), mass(&mut rng));
    (p, q, CostMatrix::new(n, n, data).unwrap())
}

#[test]
fn wide_range_costs_give_the_plan_that_avoids_the_huge_arcs() {
    // An optimal plan never puts mass w on a 1e32 arc: moving w along any
    // cheap path instead costs at most 2 n w. So the optimum equals the
    // optimum with those arcs forbidden, or priced at 1e3 (a well-scaled
    // problem that f64 pricing solves reliably).
    let mut exact_pivots = 0;
    for (n, seed) in [(5usize, 1u64), (12, 2), (40, 3), (150, 4)] {
        let (p, q, cost) = wide_range_instance(n, seed);
        let exact = emd_with(&p, &q, &cost, &normalised()).unwrap();
        let forbidden = emd_with(
            &p,
            &q,
            &replace_large(&cost, 1e31, f64::INFINITY),
            &normalised(),
        )
        .unwrap();
        let moderate = emd_with(&p, &q, &replace_large(&cost, 1e31, 1e3), &normalised()).unwrap();
        assert!(
            close(exact.cost, forbidden.cost),
            "n = {n}: {} vs {}",
            exact.cost,
            forbidden.cost
        );
        assert!(
            close(exact.cost, moderate.cost),
            "n = {n}: {} vs {}",
            exact.cost,
            moderate.cost
        );
        assert!(exact.certificate.passed);
        exact_pivots += exact.exact_pivots;
    }
    // On these instances f64 pricing alone stops short of the optimum: the
    // exact phase had to pivot (so this test exercises it).
    assert!(exact_pivots > 0);
}

#[test]
fn forced_huge_arc_does_not_blur_the_small_decisions() {
    // Row n and column n are joined by a forced 1e32 arc (their only other
    // arcs cost 2e32), so the tree's potentials are near 1e32; the plan on
    // the small block must still be the optimal plan of the small block alone.
    // Its cost cannot show this (1e32 + 0.3 rounds to 1e32); the plan does.
    for (n, seed) in [(6usize, 5u64), (30, 6), (100, 7)] {
        let (p, q, small) = wide_range_instance(n, seed);
        let small = replace_large(&small, 1e31, 1.5);
        let (sp, sq): (f64, f64) = (p.iter().sum(), q.iter().sum());
        let pn: Vec<f64> = p.iter().map(|x| 0.5 * x / sp).chain([0.5]).collect();
        let qn: Vec<f64> = q.iter().map(|x| 0.5 * x / sq).chain([0.5]).collect();
        let mut data = Vec::new();
        for i in 0..=n {
            for j in 0..=n {
                data.push(match (i == n, j == n) {
                    (false, false) => small.get(i, j),
                    (true, true) => 1e32,
                    _ => 2e32,
                });
            }
        }
        let big = CostMatrix::new(n + 1, n + 1, data).unwrap();
        let t = emd(&pn, &qn, &big).unwrap();
        let alone = emd(&pn[..n], &qn[..n], &small).unwrap();
        let block: Vec<PlanEntry> = t
            .plan
            .iter()
            .copied()
            .filter(|e| e.i < n && e.j < n)
            .collect();
        let block_cost: f64 = block.iter().map(|e| e.mass * small.get(e.i, e.j)).sum();
        assert!(
            close(block_cost, alone.cost),
            "n = {n}: block {block_cost} vs alone {}",
            alone.cost
        );
        assert!(t.certificate.passed);
    }
}

// ------------------------------------------------------------ masses

/// W1 between masses on points of the line, by the CDF formula: an
/// independent reference for the solver with the cost |x_i - x_j|.
fn w1_on_line(points: &[f64], p: &[f64], q: &[f64]) -> f64 {
    let mut difference = 0.0;
    let mut total = 0.0;
    for k in 0..points.len() - 1 {
        difference += p[k] - q[k];
        total += difference.abs() * (points[k + 1] - points[k]);
    }
    total
}

fn line_cost(points: &[f64]) -> CostMatrix {
    let x = Points::new(points.iter().map(|&t| vec![t]).collect()).unwrap();
    CostMatrix::from_points(&x, &x, Metric::Euclidean).unwrap()
}

#[test]
fn tiny_and_subnormal_masses_are_solved_to_their_own_scale() {
    let points = [0.0, 1.0, 3.0, 7.0];
    let cost = line_cost(&points);
    let (p, q) = ([0.25, 0.25, 0.5, 0.0], [0.0, 0.5, 0.0, 0.5]);
    let reference = w1_on_line(&points, &p, &q);
    // The whole problem scaled to 1e-300, and to subnormal masses (multiples
    // of 2^-1074 are exact down there): the cost scales with it.
    for scale in [1e-300, 5e-324 * 1024.0] {
        let ps: Vec<f64> = p.iter().map(|x| x * scale).collect();
        let qs: Vec<f64> = q.iter().map(|x| x * scale).collect();
        let t = emd(&ps, &qs, &cost).unwrap();
        assert!(t.certificate.passed);
        assert!(
            close(t.cost / scale, reference),
            "scale {scale:e}: {}",
            t.cost / scale
        );
    }
    // Softmax underflow: logits 0, -700, -745, -800 give 1, ~1e-304, 5e-324, 0.
    let logits = [0.0f64, -700.0, -745.0, -800.0];
    let p: Vec<f64> = logits.iter().map(|l| l.exp()).collect();
    assert!(p[2] > 0.0 && p[3] == 0.0);
    let q = [0.0, 0.0, 0.0, 1.0];
    let t = emd(&p, &q, &cost).unwrap();
    assert!(t.certificate.passed);
    assert_eq!(t.cost, 7.0); // 1 * 7 + 1e-304 * 6 + ...: the tiny masses are below an ulp of 7
    // Each tiny row sends its mass to column 3 (the only demand).
    for e in &t.plan {
        assert_eq!(e.j, 3);
    }
}

#[test]
fn zero_mass_bins_get_feasible_small_duals() {
    let mut rng = StdRng::seed_from_u64(11);
    let n = 30;
    let cost = CostMatrix::new(n, n, (0..n * n).map(|_| rng.random::<f64>()).collect()).unwrap();
    let p: Vec<f64> = (0..n)
        .map(|i| if i % 3 == 0 { 0.0 } else { rng.random::<f64>() })
        .collect();
    let q: Vec<f64> = (0..n)
        .map(|j| if j % 4 == 1 { 0.0 } else { rng.random::<f64>() })
        .collect();
    let t = emd_with(&p, &q, &cost, &normalised()).unwrap();
    assert!(t.certificate.passed);
    // Dual feasibility on every arc, zero-mass rows and columns included
    // (the certificate's own rounding allowance), and no big-M left in the
    // potentials: every potential is within (n + m) max C of zero.
    for i in 0..n {
        for j in 0..n {
            let slack = t.u[i] + t.v[j] - cost.get(i, j);
            assert!(
                slack <= 4.0 * f64::EPSILON * (t.u[i].abs() + t.v[j].abs()),
                "({i}, {j}): {slack:e}"
            );
        }
    }
    let bound = 2.0 * n as f64 * cost.max_finite();
    assert!(t.u.iter().chain(&t.v).all(|x| x.abs() <= bound));
    for e in &t.plan {
        assert!(p[e.i] > 0.0 && q[e.j] > 0.0);
    }
}

#[test]
fn ties_and_all_equal_costs() {
    // All costs equal: every plan is optimal and costs c times the mass.
    for &c in &[0.0, 1.0, 0.1] {
        let n = 40;
        let cost = CostMatrix::new(n, n, vec![c; n * n]).unwrap();
        let p = vec![1.0 / n as f64; n];
        let t = emd(&p, &p, &cost).unwrap();
        assert!(close(t.cost, c), "{c}: {}", t.cost);
        assert!(t.certificate.passed);
    }
    // 0/1 costs with uniform masses (massively degenerate): the cost is the
    // mass that cannot stay on a zero arc. With C = 1 - identity it is 0.
    let n = 50;
    let data = (0..n * n)
        .map(|k| if k / n == k % n { 0.0 } else { 1.0 })
        .collect();
    let cost = CostMatrix::new(n, n, data).unwrap();
    let p = vec![1.0 / n as f64; n];
    let t = emd(&p, &p, &cost).unwrap();
    assert_eq!(t.cost, 0.0);
    assert_eq!(t.plan.len(), n);
}

#[test]
fn one_point_on_either_side() {
    let cost = CostMatrix::from_rows(vec![vec![2.0, 3.0, 5.0]]).unwrap();
    let t = emd(&[1.0], &[0.5, 0.25, 0.25], &cost).unwrap();
    assert!(close(t.cost, 1.0 + 0.75 + 1.25));
    assert_eq!(t.plan.len(), 3);
    let t = emd(&[0.5, 0.25, 0.25], &[1.0], &cost.transpose()).unwrap();
    assert!(close(t.cost, 3.0));
    let single = CostMatrix::from_rows(vec![vec![4.5]]).unwrap();
    let t = emd(&[2.0], &[2.0], &single).unwrap();
    assert_eq!((t.cost, t.plan.len()), (9.0, 1));
    assert_eq!(t.u[0] + t.v[0], 4.5);
    // Zero total: nothing moves, and the duals are still feasible.
    let t = emd(&[0.0], &[0.0], &single).unwrap();
    assert_eq!((t.cost, t.plan.len()), (0.0, 0));
    assert!(t.u[0] + t.v[0] <= 4.5);
}

// ------------------------------------------------------------ forbidden arcs

#[test]
fn forbidden_arcs_carry_no_mass() {
    let inf = f64::INFINITY;
    let cost = CostMatrix::from_rows(vec![vec![inf, 1.0], vec![2.0, inf]]).unwrap();
    let t = emd(&[0.5, 0.5], &[0.5, 0.5], &cost).unwrap();
    assert_eq!(t.cost, 1.5);
    assert_plan_shape(&t, &cost);
    // A random matrix with a third of the arcs forbidden and a cheap
    // permutation kept open: same cost as with those arcs priced at 1e6.
    let mut rng = StdRng::seed_from_u64(12);
    let n = 60;
    let mut data: Vec<f64> = (0..n * n)
        .map(|_| {
            if rng.random::<f64>() < 0.33 {
                inf
            } else {
                rng.random::<f64>()
            }
        })
        .collect();
    for i in 0..n {
        data[i * n + (i * 7) % n] = rng.random::<f64>();
    }
    let cost = CostMatrix::new(n, n, data).unwrap();
    let p: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    let q: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    let t = emd_with(&p, &q, &cost, &normalised());
    let priced = emd_with(&p, &q, &replace_large(&cost, 1e300, 1e6), &normalised()).unwrap();
    match t {
        Ok(t) => {
            assert_plan_shape(&t, &cost);
            assert!(close(t.cost, priced.cost));
        }
        // Infeasible with forbidden arcs: then the priced problem must use a 1e6 arc.
        Err(Error::NoFeasiblePlan { .. }) => assert!(priced.cost > 1e3),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn infeasible_problems_are_errors() {
    let inf = f64::INFINITY;
    let cost = CostMatrix::from_rows(vec![vec![1.0, inf], vec![inf, inf]]).unwrap();
    // Row 1 can go nowhere.
    assert!(matches!(
        emd(&[0.5, 0.5], &[0.5, 0.5], &cost),
        Err(Error::NoFeasiblePlan { .. })
    ));
    // Without mass on row 1 and column 1 it is feasible.
    let t = emd(&[1.0, 0.0], &[1.0, 0.0], &cost).unwrap();
    assert_eq!(t.cost, 1.0);
    // Every arc forbidden.
    let all = CostMatrix::new(2, 2, vec![inf; 4]).unwrap();
    let err = emd(&[0.5, 0.5], &[0.5, 0.5], &all).unwrap_err();
    assert_eq!(err, Error::NoFeasiblePlan { unplaced: 1.0 });
}

// ------------------------------------------------------------ masses that do not balance

/// Without normalisation the totals may differ by `SUM_ULPS_PER_ENTRY = 4`
/// ulps per entry of the larger total, at any scale: for 10 + 10 entries,
/// 80 ulps. A relative mismatch of 20 ulps (the sums' own rounding is a few)
/// is accepted and one of 200 refused, at totals 1e-6, 1 and 1e6.
#[test]
fn balance_tolerance_is_four_ulps_per_entry_at_any_scale() {
    let (n, m) = (10, 10);
    let cost = CostMatrix::new(n, m, vec![1.0; n * m]).unwrap();
    for scale in [1e-6, 1.0, 1e6] {
        let p = vec![scale / n as f64; n];
        let q_with = |ulps: f64| vec![scale * (1.0 + ulps * f64::EPSILON) / m as f64; m];
        let t = emd(&p, &q_with(20.0), &cost);
        assert!(t.is_ok(), "scale {scale:e}, 20 ulps: {t:?}");
        let err = emd(&p, &q_with(200.0), &cost).unwrap_err();
        assert!(
            matches!(err, Error::Unbalanced { .. }),
            "scale {scale:e}, 200 ulps: {err:?}"
        );
    }
}

#[test]
fn unbalanced_masses_are_refused_unless_normalised() {
    let cost = CostMatrix::from_rows(vec![vec![0.0, 1.0], vec![1.0, 0.0]]).unwrap();
    let err = emd(&[0.5, 0.5], &[0.5, 0.6], &cost).unwrap_err();
    assert!(matches!(err, Error::Unbalanced { left: 1.0, right, .. } if right == 0.5 + 0.6));
    let t = emd_with(&[1.0, 1.0], &[0.0, 3.0], &cost, &normalised()).unwrap();
    assert_eq!(t.cost, 0.5);
    // Rounding-level imbalance (a decimal that does not sum to 1 exactly) is accepted.
    let t = emd(&[0.1, 0.2], &[0.3, 0.0], &cost).unwrap();
    assert!(close(t.cost, 0.2));
    assert_eq!(
        emd_with(&[0.0, 0.0], &[1.0, 0.0], &cost, &normalised()).unwrap_err(),
        Error::ZeroTotal
    );
}

// ------------------------------------------------------------ bad input

#[test]
fn every_bad_input_gets_its_typed_error() {
    let cost = CostMatrix::from_rows(vec![vec![0.0, 1.0], vec![1.0, 0.0]]).unwrap();
    let half = [0.5, 0.5];
    assert_eq!(emd(&[], &half, &cost).unwrap_err(), Error::Empty);
    assert_eq!(
        emd(&[0.5, f64::NAN], &half, &cost).unwrap_err(),
        Error::NotANumber { index: 1 }
    );
    assert_eq!(
        emd(&half, &[f64::INFINITY, 0.5], &cost).unwrap_err(),
        Error::Infinite {
            index: 0,
            value: f64::INFINITY
        }
    );
    assert_eq!(
        emd(&half, &[1.5, -0.5], &cost).unwrap_err(),
        Error::Negative {
            index: 1,
            value: -0.5
        }
    );
    assert_eq!(
        emd(&[1.0], &half, &cost).unwrap_err(),
        Error::ShapeMismatch {
            rows: 2,
            cols: 2,
            expected_rows: 1,
            expected_cols: 2
        }
    );
    // Totals beyond f64::MAX.
    let huge = [f64::MAX, f64::MAX];
    assert!(matches!(
        emd(&huge, &huge, &cost).unwrap_err(),
        Error::InvalidParameter {
            name: "total of p",
            ..
        }
    ));
    // Cost matrices.
    assert_eq!(CostMatrix::new(0, 2, vec![]).unwrap_err(), Error::Empty);
    assert_eq!(
        CostMatrix::new(2, 2, vec![0.0; 3]).unwrap_err(),
        Error::LengthMismatch { left: 4, right: 3 }
    );
    assert_eq!(
        CostMatrix::new(2, 2, vec![0.0, 1.0, f64::NAN, 0.0]).unwrap_err(),
        Error::EntryNotANumber { row: 1, column: 0 }
    );
    assert_eq!(
        CostMatrix::new(2, 2, vec![0.0, f64::NEG_INFINITY, 0.0, 0.0]).unwrap_err(),
        Error::EntryNegative {
            row: 0,
            column: 1,
            value: f64::NEG_INFINITY
        }
    );
    assert_eq!(
        CostMatrix::from_rows(vec![vec![0.0, 1.0], vec![1.0]]).unwrap_err(),
        Error::RaggedRow {
            row: 1,
            expected: 2,
            found: 1
        }
    );
    assert_eq!(CostMatrix::from_rows(vec![]).unwrap_err(), Error::Empty);
    assert_eq!(
        CostMatrix::from_rows(vec![vec![]]).unwrap_err(),
        Error::Empty
    );
    // Points.
    assert_eq!(Points::new(vec![]).unwrap_err(), Error::Empty);
    assert!(matches!(
        Points::new(vec![vec![]]).unwrap_err(),
        Error::InvalidParameter { name: "dim", .. }
    ));
    assert_eq!(
        Points::new(vec![vec![0.0, 1.0], vec![0.0, 2.0, 3.0]]).unwrap_err(),
        Error::RaggedRow {
            row: 1,
            expected: 2,
            found: 3
        }
    );
    assert_eq!(
        Points::new(vec![vec![0.0, 1.0], vec![f64::NAN, 2.0]]).unwrap_err(),
        Error::EntryNotANumber { row: 1, column: 0 }
    );
    assert_eq!(
        Points::from_flat(1, 2, vec![0.0, f64::NEG_INFINITY]).unwrap_err(),
        Error::EntryInfinite {
            row: 0,
            column: 1,
            value: f64::NEG_INFINITY
        }
    );
    assert_eq!(
        Points::from_flat(2, 2, vec![0.0; 3]).unwrap_err(),
        Error::LengthMismatch { left: 4, right: 3 }
    );
    let plane = Points::new(vec![vec![0.0, 0.0]]).unwrap();
    let line = Points::new(vec![vec![0.0]]).unwrap();
    assert_eq!(
        CostMatrix::from_points(&plane, &line, Metric::Euclidean).unwrap_err(),
        Error::DimensionMismatch { left: 2, right: 1 }
    );
    // A distance beyond f64::MAX would read as a forbidden arc: refused.
    let far = Points::new(vec![vec![-1e308], vec![1e308]]).unwrap();
    assert!(matches!(
        CostMatrix::from_points(&far, &far, Metric::Euclidean).unwrap_err(),
        Error::EntryInfinite {
            row: 0,
            column: 1,
            ..
        }
    ));
    // The messages name the entry.
    assert_eq!(
        Error::EntryNegative {
            row: 2,
            column: 5,
            value: -1.0
        }
        .to_string(),
        "row 2, column 5 is negative (-1)"
    );
}

#[test]
fn iteration_cap_is_an_error_not_a_suboptimal_answer() {
    let mut rng = StdRng::seed_from_u64(13);
    let n = 30;
    let cost = CostMatrix::new(n, n, (0..n * n).map(|_| rng.random::<f64>()).collect()).unwrap();
    let p = vec![1.0 / n as f64; n];
    let capped = EmdOptions {
        max_iterations: Some(5),
        ..EmdOptions::default()
    };
    assert_eq!(
        emd_with(&p, &p, &cost, &capped).unwrap_err(),
        Error::IterationLimit {
            what: "network simplex",
            limit: 5
        }
    );
}

#[test]
fn certificate_rejects_a_perturbed_answer() {
    let mut rng = StdRng::seed_from_u64(14);
    let n = 8;
    let cost = CostMatrix::new(n, n, (0..n * n).map(|_| rng.random::<f64>()).collect()).unwrap();
    let p: Vec<f64> = (0..n).map(|_| 1.0 / n as f64).collect();
    let t = emd(&p, &p, &cost).unwrap();
    // Moving mass off the plan breaks a marginal.
    let mut off = t.clone();
    off.plan[0].mass *= 0.5;
    assert!(!verify_certificate(&p, &p, &cost, &off).passed);
    // Raising one potential breaks dual feasibility.
    let mut raised = t.clone();
    raised.u[0] += 0.1;
    assert!(!verify_certificate(&p, &p, &cost, &raised).passed);
    // A feasible but non-optimal plan (the identity) has a gap.
    let mut identity = t.clone();
    identity.plan = (0..n)
        .map(|i| PlanEntry {
            i,
            j: i,
            mass: 1.0 / n as f64,
        })
        .collect();
    let identity_cost: f64 = (0..n).map(|i| cost.get(i, i) / n as f64).sum();
    assert!(identity_cost > t.cost + 1e-3);
    let cert = verify_certificate(&p, &p, &cost, &identity);
    assert!(cert.max_marginal_error <= cert.marginal_tolerance);
    assert!(!cert.passed && cert.gap > cert.gap_tolerance);
    // Shapes that do not fit fail, never panic.
    assert!(!verify_certificate(&p[..3], &p, &cost, &t).passed);
}

#[test]
fn metrics_follow_their_formulas() {
    let (a, b) = ([1.0, -2.0, 0.5], [4.0, 2.0, 0.5]);
    assert_eq!(Metric::Euclidean.distance(&a, &b), 5.0);
    assert_eq!(Metric::SquaredEuclidean.distance(&a, &b), 25.0);
    assert_eq!(Metric::Cityblock.distance(&a, &b), 7.0);
    assert_eq!(Metric::default(), Metric::Euclidean);
    // Tiny differences are not lost to underflow of the squares.
    // (3, 4) 2^-600 is at distance 5 2^-600, exactly; same at 2^600.
    for scale in [2f64.powi(-600), 2f64.powi(600)] {
        let d = Metric::Euclidean.distance(&[0.0, 0.0], &[3.0 * scale, 4.0 * scale]);
        assert_eq!(d, 5.0 * scale);
    }
}

/// The `f64` phase does the work on well-scaled problems (`exact_pivots`'s
/// docs: "usually 0: the f64 phase was right"): on random Euclidean
/// instances in the unit square, whose reduced costs are far from the
/// pricing margin of 64 ulps, the exact phase only confirms the optimum,
/// without a pivot, and the `f64` phase needs a few pivots per node (about
/// 7, simplex.rs's docs). A broken `f64` phase (wrong costs, potentials or
/// pricing margin) still ends optimal, because the exact phase repairs it,
/// so only these counts show it. The bound on pivots is the `f64` phase's
/// own cap, F64_PIVOTS_PER_NODE = 200 per node, which it can reach only by
/// failing to converge.
const F64_PHASE_PIVOTS_PER_NODE: usize = 200;

#[test]
fn the_f64_phase_solves_well_scaled_instances_alone() {
    for (n, m, seed) in [
        (5usize, 7usize, 1u64),
        (20, 20, 2),
        (40, 30, 3),
        (60, 60, 4),
    ] {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut cloud = |k: usize| {
            Points::new(
                (0..k)
                    .map(|_| vec![rng.random::<f64>(), rng.random::<f64>()])
                    .collect(),
            )
            .unwrap()
        };
        let (xs, ys) = (cloud(n), cloud(m));
        let cost = CostMatrix::from_points(&xs, &ys, Metric::Euclidean).unwrap();
        let masses = |k: usize, rng: &mut StdRng| -> Vec<f64> {
            let w: Vec<f64> = (0..k).map(|_| 0.1 + rng.random::<f64>()).collect();
            let total: f64 = w.iter().sum();
            w.iter().map(|x| x / total).collect()
        };
        let (p, q) = (masses(n, &mut rng), masses(m, &mut rng));
        let t = emd_with(&p, &q, &cost, &normalised()).unwrap();
        assert_eq!(t.exact_pivots, 0, "{n} x {m}: the exact phase pivoted");
        assert!(t.pivots >= 1, "{n} x {m}: no f64 pivot");
        assert!(
            t.pivots <= F64_PHASE_PIVOTS_PER_NODE * (n + m),
            "{n} x {m}: {} pivots",
            t.pivots
        );
        // The same costs times 2^1015 (exact): M, about 2 (n + m) times the
        // largest cost, would pass 2^1020, so the f64 phase works on costs
        // scaled back down by a power of two (2^-7 here): the same numbers
        // as above up to a power of two, so the same pivots.
        let huge = CostMatrix::new(
            n,
            m,
            cost.as_slice()
                .iter()
                .map(|c| c * f64::exp2(1015.0))
                .collect(),
        )
        .unwrap();
        let scaled = emd_with(&p, &q, &huge, &normalised()).unwrap();
        assert_eq!(
            (scaled.pivots, scaled.exact_pivots),
            (t.pivots, 0),
            "{n} x {m}, costs times 2^1015"
        );
    }
}

/// Wide-range instances (costs in [1e-3, 1] next to [1e32, 2e32], where
/// the exact phase pivots) times 2^905, exactly: M passes 2^1020, so both
/// phases work on costs scaled back down by 2^-2 or 2^-4. Every number they
/// compare is then the unscaled one times a power of two, far from
/// underflow and overflow, so no rounding changes: the same pivots in
/// both phases, the same plan, the potentials and the cost times 2^905.
/// (So the scale reaches every place the exact phase prices a cost.)
#[test]
fn wide_range_instances_near_overflow_solve_as_the_unscaled_ones() {
    let factor = f64::exp2(905.0);
    let mut exact_pivots = 0;
    for (n, seed) in [(12usize, 2u64), (40, 3)] {
        let (p, q, cost) = wide_range_instance(n, seed);
        let t = emd_with(&p, &q, &cost, &normalised()).unwrap();
        let huge =
            CostMatrix::new(n, n, cost.as_slice().iter().map(|c| c * factor).collect()).unwrap();
        let s = emd_with(&p, &q, &huge, &normalised()).unwrap();
        assert_eq!(
            (s.pivots, s.exact_pivots),
            (t.pivots, t.exact_pivots),
            "{n} x {n}"
        );
        assert_eq!(s.plan, t.plan, "{n} x {n}");
        let times = |x: &[f64]| x.iter().map(|w| w * factor).collect::<Vec<f64>>();
        assert_eq!((&s.u, &s.v), (&times(&t.u), &times(&t.v)), "{n} x {n}");
        assert_eq!(s.cost, t.cost * factor, "{n} x {n}");
        exact_pivots += t.exact_pivots;
    }
    assert!(exact_pivots > 0);
}

/// The iteration cap counts the pivots of both phases: on instances where
/// the exact phase pivots too, a cap of exactly the pivots the solve takes
/// lets it finish (the cap is checked before each pivot), and one less is
/// an error. (The solver is deterministic, so the second solve retraces
/// the first.)
#[test]
fn the_iteration_cap_counts_both_phases() {
    let mut checked = 0;
    for (n, seed) in [(12usize, 2u64), (40, 3)] {
        let (p, q, cost) = wide_range_instance(n, seed);
        let free = emd_with(&p, &q, &cost, &normalised()).unwrap();
        if free.exact_pivots == 0 {
            continue;
        }
        checked += 1;
        // It finished under the default cap, which counts both phases:
        // 10^6 + 1000 (n + m) pivots at most.
        let total = free
            .pivots
            .checked_add(free.exact_pivots)
            .filter(|&t| t <= 1_000_000 + 1000 * (2 * n))
            .unwrap_or_else(|| panic!("{} + {} pivots", free.pivots, free.exact_pivots));
        let capped = |cap: usize| EmdOptions {
            max_iterations: Some(cap),
            ..normalised()
        };
        assert!(emd_with(&p, &q, &cost, &capped(total)).is_ok());
        assert_eq!(
            emd_with(&p, &q, &cost, &capped(total - 1)).unwrap_err(),
            Error::IterationLimit {
                what: "network simplex",
                limit: total - 1
            }
        );
    }
    assert!(checked > 0, "no instance made the exact phase pivot");
}

/// Masses balanced only up to rounding (within the four ulps per entry
/// that `emd` accepts): the exact solver adds the difference to the
/// largest column mass (simplex.rs, balance_exactly), so a column of zero
/// demand still receives nothing, whatever its place among the columns. In
/// the second case the masses span more than 64 bits (2^-70 to 1), so the
/// exact flows take two words each.
#[test]
fn a_rounding_level_imbalance_never_reaches_a_zero_demand_column() {
    let below_one = 1.0 - f64::EPSILON / 2.0;
    let tiny = f64::exp2(-70.0);
    let cases: [(Vec<f64>, Vec<f64>); 3] = [
        (vec![1.0], vec![0.0, below_one]),
        (vec![1.0], vec![below_one, 0.0]),
        (vec![1.0, tiny], vec![0.0, tiny, below_one, 0.0]),
    ];
    for (p, q) in cases {
        let cost = CostMatrix::new(p.len(), q.len(), vec![1.0; p.len() * q.len()]).unwrap();
        let t = emd(&p, &q, &cost).unwrap();
        for entry in &t.plan {
            assert!(q[entry.j] > 0.0, "{p:?} -> {q:?}: {:?}", t.plan);
        }
    }
}
