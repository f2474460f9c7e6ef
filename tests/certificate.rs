//! `transport::verify_certificate` against answers built by hand, each wrong
//! (or right) in exactly one way: a dual-infeasible answer whose plan is
//! feasible and whose gap is zero, potentials just inside and just beyond
//! the dual allowance (relative and subnormal), wrong shapes one at a time,
//! negative, non-finite and out-of-range masses, mass on a forbidden arc.
//!
//! Every answer is on `p = q = (1/2, 1/2)` with the identity plan
//! (`x_00 = x_11 = 1/2`) unless it says otherwise, and its costs are chosen
//! so that `C_00 = u_0 + v_0` and `C_11 = u_1 + v_1` exactly: the marginals
//! are exact and the duality gap is zero, so only the check under test can
//! reject it. Written against the mutants of `src/transport/certificate.rs`
//! that the older tests let survive (see `scripts/mutants.sh`).

use gan_theory::transport::certificate::{
    Certificate, DUAL_ABS, DUAL_ULPS, GAP_SUBNORMAL_UNITS_PER_TERM, GAP_ULPS,
    MARGINAL_ULPS_PER_NODE,
};
use gan_theory::transport::{CostMatrix, PlanEntry, Transport, emd, verify_certificate};

const HALF: [f64; 2] = [0.5, 0.5];

/// The smallest positive subnormal, `2^-1074`.
const SUBNORMAL_UNIT: f64 = 5e-324;

/// The identity plan on two points, half the mass each.
fn identity_plan() -> Vec<PlanEntry> {
    vec![
        PlanEntry {
            i: 0,
            j: 0,
            mass: 0.5,
        },
        PlanEntry {
            i: 1,
            j: 1,
            mass: 0.5,
        },
    ]
}

/// A 2 x 2 cost and an answer on it with the given plan and potentials (the
/// other fields come from a real `emd` answer and are not read by the check).
fn answer(
    cost: [[f64; 2]; 2],
    plan: Vec<PlanEntry>,
    u: [f64; 2],
    v: [f64; 2],
) -> (CostMatrix, Transport) {
    let cost = CostMatrix::from_rows(cost.iter().map(|r| r.to_vec()).collect()).unwrap();
    let mut t = emd(&HALF, &HALF, &cost).unwrap();
    t.plan = plan;
    t.u = u.to_vec();
    t.v = v.to_vec();
    (cost, t)
}

#[test]
fn a_dual_infeasible_answer_with_a_feasible_plan_and_zero_gap_fails() {
    // u_0 + v_1 = 2 > C_01 = 1: the duals are infeasible by 1, yet the plan
    // is feasible and primal = dual = 0, so only the dual scan can see it.
    let cost = [[0.0, 1.0], [1.0, 0.0]];
    let (c, bad) = answer(cost, identity_plan(), [1.0, -1.0], [-1.0, 1.0]);
    let cert = verify_certificate(&HALF, &HALF, &c, &bad);
    assert_eq!(cert.max_marginal_error, 0.0);
    assert_eq!(
        (cert.primal_cost, cert.dual_objective, cert.gap),
        (0.0, 0.0, 0.0)
    );
    assert_eq!(cert.max_dual_violation, 1.0);
    assert!(cert.dual_violation_ratio > 1.0, "{}", cert.summary());
    assert!(!cert.passed);
    // The same plan with zero potentials is optimal and passes.
    let (c, good) = answer(cost, identity_plan(), [0.0, 0.0], [0.0, 0.0]);
    let cert = verify_certificate(&HALF, &HALF, &c, &good);
    assert!(cert.passed, "{}", cert.summary());
    assert_eq!(
        (cert.max_dual_violation, cert.dual_violation_ratio),
        (0.0, 0.0)
    );
}

/// Potentials `u = (2, 2 - d)`, `v = (2, 2 + d)` on `C = [[4, 4], [8, 4]]`:
/// `u_0 + v_1 - C_01 = d` exactly, on a scale `|u_0| + |v_1| = 4 + d`.
fn violated_by(d: f64) -> (CostMatrix, Transport) {
    answer(
        [[4.0, 4.0], [8.0, 4.0]],
        identity_plan(),
        [2.0, 2.0 - d],
        [2.0, 2.0 + d],
    )
}

#[test]
fn the_relative_dual_allowance_is_dual_ulps_of_the_potentials() {
    // The allowance is DUAL_ULPS * EPS * (|u_i| + |v_j|) + DUAL_ABS; at the
    // scale 4 its relative part is DUAL_ULPS * EPS * 4 = 2^-49, a multiple
    // of ulp(2) = 2^-51, so d can sit exactly on it and one ulp beyond.
    let edge = DUAL_ULPS * f64::EPSILON * 4.0;
    let ulp2 = 2f64.powi(-51);
    let (c, t) = violated_by(edge);
    let cert = verify_certificate(&HALF, &HALF, &c, &t);
    assert_eq!(cert.max_dual_violation, edge);
    assert!(
        cert.passed && cert.dual_violation_ratio <= 1.0,
        "{}",
        cert.summary()
    );
    // The ratio is d over the allowance: just under 1 at the edge.
    assert!(cert.dual_violation_ratio > 1.0 - 1e-9, "{}", cert.summary());
    let (c, t) = violated_by(edge + ulp2);
    let cert = verify_certificate(&HALF, &HALF, &c, &t);
    assert_eq!(cert.max_dual_violation, edge + ulp2);
    assert!(
        !cert.passed && cert.dual_violation_ratio > 1.0,
        "{}",
        cert.summary()
    );
    assert_eq!(cert.gap, 0.0);
}

#[test]
fn the_absolute_dual_allowance_is_dual_abs_for_subnormal_potentials() {
    // u = (s, -s), v = (-s, s) on the zero cost: u_0 + v_1 = 2 s, whose
    // relative allowance underflows to 0, so DUAL_ABS = 4 subnormal units
    // alone decides: s = 2 units passes (ratio exactly 1), s = 3 fails.
    let zero = [[0.0, 0.0], [0.0, 0.0]];
    let at = DUAL_ABS / 2.0;
    assert_eq!(at, 2.0 * SUBNORMAL_UNIT);
    let (c, t) = answer(zero, identity_plan(), [at, -at], [-at, at]);
    let cert = verify_certificate(&HALF, &HALF, &c, &t);
    assert_eq!(cert.max_dual_violation, DUAL_ABS);
    assert_eq!(cert.dual_violation_ratio, 1.0);
    assert!(cert.passed, "{}", cert.summary());
    let beyond = at + SUBNORMAL_UNIT;
    let (c, t) = answer(zero, identity_plan(), [beyond, -beyond], [-beyond, beyond]);
    let cert = verify_certificate(&HALF, &HALF, &c, &t);
    assert_eq!(cert.max_dual_violation, 2.0 * beyond);
    assert_eq!(cert.dual_violation_ratio, 1.5);
    assert!(!cert.passed, "{}", cert.summary());
}

#[test]
fn the_dual_violation_is_measured_without_rounding_in_the_sum() {
    // u_0 + v_1 = 1 + 2^-60 rounds to 1 = C_01; the exact excess 2^-60 is
    // what max_dual_violation reports (well inside its allowance).
    let tiny = 2f64.powi(-60);
    let (c, t) = answer(
        [[1.0, 1.0], [1.0, tiny]],
        identity_plan(),
        [1.0, 0.0],
        [0.0, tiny],
    );
    let cert = verify_certificate(&HALF, &HALF, &c, &t);
    assert_eq!(cert.max_dual_violation, tiny);
    assert!(cert.dual_violation_ratio > 0.0 && cert.dual_violation_ratio < 1.0);
    assert!(cert.passed, "{}", cert.summary());
}

#[test]
fn nan_potentials_are_an_infinite_violation() {
    let (c, t) = answer(
        [[0.0, 1.0], [1.0, 0.0]],
        identity_plan(),
        [f64::NAN, 0.0],
        [0.0, 0.0],
    );
    let cert = verify_certificate(&HALF, &HALF, &c, &t);
    assert_eq!(cert.dual_violation_ratio, f64::INFINITY);
    assert!(!cert.passed);
}

#[test]
fn each_wrong_length_alone_is_refused() {
    let cost = [[0.0, 1.0], [1.0, 0.0]];
    let (c, t) = answer(cost, identity_plan(), [0.0, 0.0], [0.0, 0.0]);
    assert!(verify_certificate(&HALF, &HALF, &c, &t).passed);
    // One potential too many (or too few), on one side only.
    for u_len in [1, 3] {
        let mut bad = t.clone();
        bad.u.resize(u_len, 0.0);
        assert!(
            !verify_certificate(&HALF, &HALF, &c, &bad).passed,
            "u of length {u_len}"
        );
    }
    for v_len in [1, 3] {
        let mut bad = t.clone();
        bad.v.resize(v_len, 0.0);
        assert!(
            !verify_certificate(&HALF, &HALF, &c, &bad).passed,
            "v of length {v_len}"
        );
    }
    // A cost with one row or one column too many for p and q.
    let rows3 =
        CostMatrix::from_rows(vec![vec![0.0, 1.0], vec![1.0, 0.0], vec![1.0, 1.0]]).unwrap();
    assert!(!verify_certificate(&HALF, &HALF, &rows3, &t).passed);
    let cols3 = CostMatrix::from_rows(vec![vec![0.0, 1.0, 1.0], vec![1.0, 0.0, 1.0]]).unwrap();
    assert!(!verify_certificate(&HALF, &HALF, &cols3, &t).passed);
}

#[test]
fn a_plan_with_negative_mass_is_refused_even_with_exact_marginals_and_zero_gap() {
    // x = [[0.6, -0.1], [-0.1, 0.6]] has the right marginals and costs
    // -0.2 < 0, the optimum; u = (-0.2, -0.2), v = 0 are dual feasible with
    // the same objective, so only the sign check can refuse it.
    let plan = vec![
        PlanEntry {
            i: 0,
            j: 0,
            mass: 0.6,
        },
        PlanEntry {
            i: 0,
            j: 1,
            mass: -0.1,
        },
        PlanEntry {
            i: 1,
            j: 0,
            mass: -0.1,
        },
        PlanEntry {
            i: 1,
            j: 1,
            mass: 0.6,
        },
    ];
    let (c, t) = answer([[0.0, 1.0], [1.0, 0.0]], plan, [-0.2, -0.2], [0.0, 0.0]);
    let cert = verify_certificate(&HALF, &HALF, &c, &t);
    assert!(!cert.passed);
    assert_eq!(cert.max_marginal_error, f64::INFINITY);
}

#[test]
fn non_finite_and_out_of_range_entries_are_refused() {
    let cost = [[0.0, 1.0], [1.0, 0.0]];
    for (i, j, mass) in [
        (0, 0, f64::NAN),
        (0, 0, f64::INFINITY),
        (2, 0, 0.0),
        (0, 2, 0.0),
    ] {
        let mut plan = identity_plan();
        plan.push(PlanEntry { i, j, mass });
        let (c, t) = answer(cost, plan, [0.0, 0.0], [0.0, 0.0]);
        let cert = verify_certificate(&HALF, &HALF, &c, &t);
        assert!(!cert.passed, "entry ({i}, {j}, {mass})");
        assert_eq!(
            cert.max_marginal_error,
            f64::INFINITY,
            "entry ({i}, {j}, {mass})"
        );
    }
}

#[test]
fn mass_on_a_forbidden_arc_is_refused_and_an_empty_entry_there_is_not() {
    let inf = f64::INFINITY;
    let cost = [[0.0, inf], [1.0, 0.0]];
    // An entry of zero mass on the forbidden arc (0, 1) moves nothing.
    let mut plan = identity_plan();
    plan.push(PlanEntry {
        i: 0,
        j: 1,
        mass: 0.0,
    });
    let (c, t) = answer(cost, plan, [0.0, 0.0], [0.0, 0.0]);
    let cert = verify_certificate(&HALF, &HALF, &c, &t);
    assert!(cert.passed, "{}", cert.summary());
    assert_eq!(cert.primal_cost, 0.0);
    // Positive mass there: the plan is refused outright.
    let plan = vec![
        PlanEntry {
            i: 0,
            j: 1,
            mass: 0.5,
        },
        PlanEntry {
            i: 1,
            j: 0,
            mass: 0.5,
        },
    ];
    let (c, t) = answer(cost, plan, [0.0, 0.0], [0.0, 0.0]);
    let cert = verify_certificate(&HALF, &HALF, &c, &t);
    assert!(!cert.passed);
    assert_eq!(cert.max_marginal_error, f64::INFINITY);
}

#[test]
fn the_marginal_tolerance_scales_with_the_nodes_and_the_total_mass() {
    // p = (2, 2), q = (2, 1, 1): total mass 4 on 2 + 3 nodes, so the
    // tolerance is MARGINAL_ULPS_PER_NODE * 5 * EPS * 4 = 320 EPS = 160 ulps
    // of 2. Moving delta more than x_00 should breaks row 0 and column 0 by
    // delta alone (zero costs on the plan and zero potentials keep the gap 0).
    let (p, q) = ([2.0, 2.0], [2.0, 1.0, 1.0]);
    let tolerance = MARGINAL_ULPS_PER_NODE * 5.0 * f64::EPSILON * 4.0;
    let ulp2 = 2f64.powi(-51);
    assert_eq!(tolerance, 160.0 * ulp2);
    let cost = CostMatrix::from_rows(vec![vec![0.0, 1.0, 1.0], vec![1.0, 0.0, 0.0]]).unwrap();
    let mut t = emd(&p, &q, &cost).unwrap();
    (t.u, t.v) = (vec![0.0; 2], vec![0.0; 3]);
    for (extra_ulps, passes) in [(160.0, true), (161.0, false)] {
        t.plan = vec![
            PlanEntry {
                i: 0,
                j: 0,
                mass: 2.0 + extra_ulps * ulp2,
            },
            PlanEntry {
                i: 1,
                j: 1,
                mass: 1.0,
            },
            PlanEntry {
                i: 1,
                j: 2,
                mass: 1.0,
            },
        ];
        let cert = verify_certificate(&p, &q, &cost, &t);
        assert_eq!(cert.mass_total, 4.0);
        assert_eq!(cert.marginal_tolerance, tolerance);
        assert_eq!(cert.max_marginal_error, extra_ulps * ulp2);
        assert_eq!(cert.passed, passes, "{extra_ulps} ulps: {}", cert.summary());
    }
}

#[test]
fn products_are_exact_so_tiny_costs_keep_a_zero_gap() {
    // Costs near 2e-21 against masses 1/4 and 3/4: each product mass * cost
    // must be formed exactly. (A product formed through mass + cost, which
    // rounds to mass, would lose the cost entirely.)
    let (c0, c1) = (3.0 * 2f64.powi(-70), 5.0 * 2f64.powi(-71));
    let masses = [0.25, 0.75];
    let cost = CostMatrix::from_rows(vec![vec![c0, 1.0], vec![1.0, c1]]).unwrap();
    let mut t = emd(&masses, &masses, &cost).unwrap();
    t.plan = vec![
        PlanEntry {
            i: 0,
            j: 0,
            mass: 0.25,
        },
        PlanEntry {
            i: 1,
            j: 1,
            mass: 0.75,
        },
    ];
    // Split each diagonal cost between u and v, so that the dual sums
    // other products than the primal does.
    (t.u, t.v) = (vec![c0 / 2.0, c1 / 2.0], vec![c0 / 2.0, c1 / 2.0]);
    let cert = verify_certificate(&masses, &masses, &cost, &t);
    let exact = 0.25 * c0 + 0.75 * c1; // exact: few significant bits
    assert_eq!(cert.primal_cost, exact);
    assert_eq!(cert.dual_objective, exact);
    assert!(cert.passed && cert.gap == 0.0, "{}", cert.summary());
}

#[test]
fn the_summary_names_every_number() {
    // The dual-infeasible answer above: marginal tolerance 16 (2 + 2) EPS,
    // violation 1 against an allowance of 2 EPS (1 + 1) = 2^-50, gap
    // tolerance 8 EPS (sum p |u| + sum q |v| = 2) = 16 EPS.
    let (c, bad) = answer(
        [[0.0, 1.0], [1.0, 0.0]],
        identity_plan(),
        [1.0, -1.0],
        [-1.0, 1.0],
    );
    let cert = verify_certificate(&HALF, &HALF, &c, &bad);
    assert_eq!(
        cert.summary(),
        "marginal error 0e0 (tolerance 1.4210854715202004e-14), dual violation 1e0 \
         (1125899906842624.000 of its allowance), primal 0e0, dual 0e0, gap 0e0 \
         (tolerance 3.552713678800501e-15)"
    );
}

#[test]
fn every_violated_arc_is_seen_whatever_the_signs_and_sizes() {
    // (u_0, v_1, C_01) with u_0 + v_1 - C_01 = 1/4 or more, exactly: the
    // cheap screen before the exact sum must never skip a violated arc,
    // whatever the signs and sizes of u_0, v_1 and C_01. The plan is the
    // identity with C_00 = u_0 + v_0 and C_11 = u_1 + v_1,
    // so the marginals are exact and the gap is 0 (v_0 = 1 - u_0 and
    // u_1 = 1 - v_1 put 1 on the diagonal, whatever the signs).
    for (u0, v1, c01) in [
        (1.0, 1.0, 1.0),
        (3.0, -1.0, 1.0),
        (-1.0, 3.0, 1.0),
        (0.5, 0.75, 1.0),
        (0.25, 0.0, 0.0),
        (-2.0, 4.0, 1.75),
        (1e6, -1e6 + 0.5, 0.25),
        (4.0, 4.0, 0.5),
    ] {
        let violation = (u0 + v1) - c01;
        assert!(violation >= 0.25, "({u0}, {v1}, {c01})");
        let cost = [[1.0, c01], [1e9, 1.0]];
        let (c, t) = answer(cost, identity_plan(), [u0, 1.0 - v1], [1.0 - u0, v1]);
        let cert = verify_certificate(&HALF, &HALF, &c, &t);
        assert_eq!(cert.gap, 0.0, "({u0}, {v1}, {c01})");
        assert_eq!(cert.max_dual_violation, violation, "({u0}, {v1}, {c01})");
        assert!(!cert.passed, "({u0}, {v1}, {c01}): {}", cert.summary());
    }
}

/// The identity plan on `C = [[1, 9], [9, 1]]` with `u = (1, 1 - 2 g)`,
/// `v = 0`: dual feasible, primal 1, dual `1 - g`, so the gap is `g`
/// exactly (for `g` a multiple of EPS); `sum p |u| + sum q |v| = 1 - g`.
fn gap_of(g: f64) -> Certificate {
    let (c, t) = answer(
        [[1.0, 9.0], [9.0, 1.0]],
        identity_plan(),
        [1.0, 1.0 - 2.0 * g],
        [0.0, 0.0],
    );
    verify_certificate(&HALF, &HALF, &c, &t)
}

#[test]
fn the_gap_tolerance_is_gap_ulps_of_the_primal_and_the_potentials() {
    // GAP_ULPS * EPS * (primal + sum p |u| + sum q |v|) = 8 EPS (2 - g),
    // just under 16 EPS: a gap of 15 EPS passes, 16 EPS does not.
    assert_eq!(GAP_ULPS, 8.0);
    let cert = gap_of(15.0 * f64::EPSILON);
    assert_eq!((cert.primal_cost, cert.gap), (1.0, 15.0 * f64::EPSILON));
    assert!(cert.passed, "{}", cert.summary());
    let cert = gap_of(16.0 * f64::EPSILON);
    assert_eq!(cert.gap, 16.0 * f64::EPSILON);
    assert!(cert.gap_tolerance < cert.gap && cert.gap_tolerance > 15.0 * f64::EPSILON);
    assert!(!cert.passed, "{}", cert.summary());
}

#[test]
fn marginal_errors_times_the_potentials_are_allowed_in_the_gap() {
    // x_00 = 1/2 + r with r = 64 ulps of 1/2 (within the marginal tolerance
    // 64 EPS), on C_00 = u_0 = 2^20: the primal exceeds the dual by exactly
    // r 2^20 = 2^-28, twice 8 EPS (primal + magnitude) = 8 EPS 2^20 = 2^-29,
    // but within that plus the marginal errors times the potentials, r 2^20.
    let big = 2f64.powi(20);
    let r = 64.0 * 2f64.powi(-54);
    let plan = vec![
        PlanEntry {
            i: 0,
            j: 0,
            mass: 0.5 + r,
        },
        PlanEntry {
            i: 1,
            j: 1,
            mass: 0.5,
        },
    ];
    let (c, t) = answer([[big, big], [big, 1.0]], plan, [big, 1.0], [0.0, 0.0]);
    let cert = verify_certificate(&HALF, &HALF, &c, &t);
    assert_eq!(cert.max_marginal_error, r);
    assert_eq!(cert.gap, r * big);
    let relative_part = GAP_ULPS * f64::EPSILON * (cert.primal_cost + cert.dual_objective);
    assert!(cert.gap > 1.9 * relative_part, "{}", cert.summary());
    assert!(cert.passed, "{}", cert.summary());
}

#[test]
fn subnormal_gaps_are_allowed_two_units_per_term() {
    // Zero costs on the plan, u_0 = -2 g: primal 0, dual -g, gap g. At
    // this scale only GAP_SUBNORMAL_UNITS_PER_TERM units per term (plan
    // entries + n + m = 3 + 2 + 3 = 8 terms, 16 units) allow anything.
    let (p, q) = ([0.5, 0.5], [0.5, 0.25, 0.25]);
    let cost = CostMatrix::from_rows(vec![vec![0.0, 1.0, 1.0], vec![1.0, 0.0, 0.0]]).unwrap();
    let mut t = emd(&p, &q, &cost).unwrap();
    t.plan = vec![
        PlanEntry {
            i: 0,
            j: 0,
            mass: 0.5,
        },
        PlanEntry {
            i: 1,
            j: 1,
            mass: 0.25,
        },
        PlanEntry {
            i: 1,
            j: 2,
            mass: 0.25,
        },
    ];
    assert_eq!(GAP_SUBNORMAL_UNITS_PER_TERM, 2.0);
    for (units, passes) in [(16.0, true), (17.0, false)] {
        let g = units * SUBNORMAL_UNIT;
        (t.u, t.v) = (vec![-2.0 * g, 0.0], vec![0.0; 3]);
        let cert = verify_certificate(&p, &q, &cost, &t);
        assert_eq!((cert.primal_cost, cert.gap), (0.0, g));
        assert_eq!(cert.gap_tolerance, 16.0 * SUBNORMAL_UNIT);
        assert_eq!(cert.passed, passes, "{units} units: {}", cert.summary());
    }
}
