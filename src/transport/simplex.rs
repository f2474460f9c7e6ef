//! The network simplex for the transportation problem, in two phases: a
//! fast phase in `f64`, then an exact phase whose pricing decides the sign
//! of every reduced cost exactly (see the module docs of [`super`]).
//!
//! **Network.** Nodes `0..n` are the rows (supply `p_i`), `n..n+m` the
//! columns (supply `-q_j`), `n+m` an artificial root. Arc `i*m + j` goes from
//! row `i` to column `j` with cost `C_ij`; forbidden arcs (`+inf`) are never
//! priced. Every node starts attached to the root by an artificial arc: a
//! row by `i -> root` of cost 0 carrying `p_i`, a column of positive demand
//! by `root -> j` of cost `M` carrying `q_j`, a column of zero demand by
//! `j -> root` of cost 0. `M` is a power of two at least `2 (n + m) max C`,
//! more than any path of real arcs can save, so the big-M optimum carries no
//! artificial flow when a feasible plan exists. Artificial arcs leave the
//! tree but never re-enter it.
//!
//! **Tree.** Parent pointers, the direction of the arc to the parent, its
//! flow, the size of its subtree, and doubly linked child lists. A pivot
//! finds the apex of the cycle by subtree sizes (an ancestor's is larger),
//! picks the leaving arc, re-roots the subtree cut off
//! along the stem from the entering arc to the leaving arc, and shifts the
//! potentials of the smaller of the two parts the leaving arc separates
//! (potentials matter only up to a constant): O(cycle + smaller part).
//!
//! **Anti-cycling.** The initial tree is strongly feasible (every arc of zero
//! flow points towards the root), and the leaving arc is the last blocking
//! arc met when the cycle is walked from the apex in the direction of the
//! entering arc (Cunningham's rule), which keeps it strongly feasible: no
//! degenerate pivot cycle can repeat.
//!
//! **Flows** are exact fixed-point integers (multiples of the lowest bit of
//! any mass), so the ratio test compares exact values and the tree is
//! strongly feasible exactly, not up to rounding.
//!
//! **Pricing.** Block search: arcs are scanned row by row, in segments of at
//! most one block, from where the last search stopped, and after about
//! `sqrt(n m)` arcs the most negative (margined) reduced cost seen enters.
//! The segment minimum of `C_ij - v_j` is a vectorisable loop.
//!
//! **Phases.** The `f64` phase prices with `f64` potentials; the exact phase
//! prices with exact fixed-point potentials and hands back to the `f64`
//! phase after `n + m` pivots (at most [`HANDBACK_ROUNDS`] times).

use super::cost::{CostMatrix, lowest_set_bit};
use super::fixed::{self, Format};
use crate::error::{Error, Result};

/// No node.
const NONE: usize = usize::MAX;

/// Units of `EPS * (C_ij + |u_i| + |v_j|)` below zero a reduced cost must
/// reach in the `f64` phase to enter the basis.
///
/// Reason: potentials are sums of costs along tree paths (some include
/// `M`), so the `f64` reduced cost of an arc carries the rounding of its
/// three terms plus the drift of the incremental potential updates between
/// two recomputations from the tree (every `n + m` pivots, a random walk of
/// a few dozen ulps); reduced costs closer to zero than this are noise in
/// `f64` and are left to the exact phase, which decides them exactly.
const F64_PRICE_ULPS: f64 = 64.0;

/// Units of `EPS` per unit of `|C| + |u| + |v|` within which the `f64`
/// estimate of a reduced cost in the exact phase may differ from the exact
/// value; beyond it the sign of the estimate is the sign of the value.
///
/// Reason: the estimate rounds the cost (half an ulp), each potential (one
/// ulp: the conversion from the exact number) and two additions (half an ulp
/// each): at most 3 ulps of the largest term; 4 is a safe bound.
const FILTER_ULPS: f64 = 4.0;

/// Absolute slack of the exact phase's filter: a few subnormal units, for
/// scaled costs that underflow.
const FILTER_ABS: f64 = 16.0 * 5e-324;

/// The answer of the solver: basic flows on real arcs, exact potentials rounded.
pub(crate) struct Solved {
    /// `(i, j, mass)` for every basic arc with positive flow.
    pub plan: Vec<(usize, usize, f64)>,
    /// Row potentials `u_i`.
    pub u: Vec<f64>,
    /// Column potentials `v_j`.
    pub v: Vec<f64>,
    /// Pivots in the `f64` phase.
    pub pivots: usize,
    /// Pivots in the exact phase.
    pub exact_pivots: usize,
    /// Exact phases run (each after an `f64` phase).
    #[cfg_attr(not(test), allow(dead_code))]
    pub rounds: usize,
}

/// Solves `min sum C_ij x_ij` subject to row sums `p`, column sums `q`,
/// `x >= 0`, with `x_ij = 0` on forbidden arcs.
///
/// `p` and `q` are validated (finite, non-negative, shapes matching `cost`,
/// totals balanced up to rounding). Flows are exact throughout (fixed-point
/// multiples of the lowest bit of any mass), so the basis is exactly primal
/// feasible and strongly feasible at every pivot.
pub(crate) fn solve(
    p: &[f64],
    q: &[f64],
    cost: &CostMatrix,
    iteration_cap: usize,
) -> Result<Solved> {
    solve_with_handbacks(p, q, cost, iteration_cap, HANDBACK_ROUNDS)
}

/// [`solve`] with the number of rounds after which the exact phase
/// finishes alone (`HANDBACK_ROUNDS` there; tests choose fewer).
fn solve_with_handbacks(
    p: &[f64],
    q: &[f64],
    cost: &CostMatrix,
    iteration_cap: usize,
    handbacks: usize,
) -> Result<Solved> {
    let mut network = Network::new(p, q, cost, iteration_cap);
    // The exact phase hands back to the faster f64 phase after n + m pivots:
    // on wide-range problems it mostly has to pivot huge arcs out of the
    // tree, after which f64 prices well again. After `handbacks` rounds
    // it finishes alone, so that the two phases cannot undo each other's
    // work forever (the exact phase alone terminates: exact pricing on a
    // strongly feasible tree).
    let nodes = p.len() + q.len();
    let mut round = 0;
    let exact = loop {
        network.f64_phase()?;
        let budget = if round < handbacks { nodes } else { usize::MAX };
        round += 1;
        if let Some(exact) = network.exact_phase(budget)? {
            break exact;
        }
        network.recompute_potentials();
    };
    network.check_feasible()?;
    let plan = network.plan();
    let (u, v) = network.duals(exact)?;
    Ok(Solved {
        plan,
        u,
        v,
        pivots: network.pivots,
        exact_pivots: network.exact_pivots,
        rounds: round,
    })
}

struct Network<'a> {
    n: usize,
    m: usize,
    cost: &'a CostMatrix,
    /// Costs are multiplied by `2^-scale_exponent` in the `f64` phase, so
    /// that `M` and the potentials stay far from overflow.
    scale_exponent: i32,
    scale: f64,
    /// `M = 2^m_exponent` (unscaled).
    m_exponent: i32,
    /// Whether column `j`'s artificial arc is `root -> j` of cost `M` (`q_j > 0`).
    big_column: Vec<bool>,
    parent: Vec<usize>,
    /// The arc to the parent: `i * m + j` for a real arc, `n * m + x` for
    /// the artificial arc of node `x`.
    pred: Vec<usize>,
    /// Whether the arc to the parent points from the node to the parent.
    up: Vec<bool>,
    /// Exact flow on the arc to the parent, in the mass format (`kf` words per node).
    flow: Vec<u64>,
    masses: Format,
    /// Number of nodes in the subtree of each node (itself included).
    size: Vec<usize>,
    first_child: Vec<usize>,
    next_sibling: Vec<usize>,
    prev_sibling: Vec<usize>,
    /// Potentials in `f64` (scaled): the reduced cost of arc `a -> b` is
    /// `c + pi_a - pi_b`; `u_i = -pi_i` and `v_j = pi_{n+j}`.
    pi: Vec<f64>,
    /// `pi_j - PRICE * |pi_j|` for each column: pricing compares
    /// `C_ij (1 + PRICE) - key_j + pi_i + PRICE |pi_i|` with 0, that is the
    /// reduced cost against `-PRICE (C_ij + |pi_i| + |pi_j|)`, in one
    /// vectorisable row minimum.
    column_key: Vec<f64>,
    /// Scratch: the stem of a pivot, its old arcs and flows, the moved subtree, delta.
    stem: Vec<usize>,
    stem_arcs: Vec<(usize, bool)>,
    stem_flows: Vec<u64>,
    delta: Vec<u64>,
    moved: Vec<usize>,
    stack: Vec<usize>,
    /// Whether the `f64` phase may shift the smaller part of the tree
    /// (see [`SPREAD_FOR_SMALLER_SIDE`]).
    smaller_side: bool,
    /// Pricing state.
    next_row: usize,
    next_col: usize,
    block: usize,
    pivots: usize,
    exact_pivots: usize,
    cap: usize,
}

/// Largest ratio of the largest to the smallest positive cost for which the
/// `f64` phase may shift the rest of the tree instead of the cut subtree.
///
/// Reason: that moves the root's potential, and with it every potential, by
/// up to a few costs between two recomputations from the tree; with costs of
/// similar size this costs nothing, but with costs spread over many orders
/// of magnitude the small ones would drown in the shift. 2^26 keeps the
/// rounding of such a shift below 2^-26 of the smallest cost.
const SPREAD_FOR_SMALLER_SIDE: f64 = 67_108_864.0;

/// Rounds of `f64` phase then exact phase (of `n + m` exact pivots at most)
/// before the exact phase runs to the end alone.
///
/// Reason: log-uniform costs over 600 orders of magnitude (n = 1000) take
/// six rounds, costs from 1e-3 to 1e32 one or two; sixteen leaves room, and
/// a bound is needed because `f64` pricing may pivot on an arc whose exact
/// reduced cost is not negative.
const HANDBACK_ROUNDS: usize = 16;

/// Pivots per node after which one `f64` phase stops and leaves the rest
/// to the exact phase.
///
/// Reason: random Euclidean instances need about 7 pivots per node and
/// wide-range ones about 30; the `f64` phase is a heuristic for speed, and
/// this bounds the time it can waste if rounding ever made it cycle.
const F64_PIVOTS_PER_NODE: usize = 200;

/// The relative margin of the `f64` phase's pricing: `F64_PRICE_ULPS * EPS`.
const PRICE: f64 = F64_PRICE_ULPS * f64::EPSILON;

impl<'a> Network<'a> {
    fn new(p: &[f64], q: &[f64], cost: &'a CostMatrix, cap: usize) -> Self {
        let (n, m) = (p.len(), q.len());
        let nodes = n + m + 1;
        let root = n + m;
        // M = 2^m_exponent >= 2 (n + m) max C: 2^(floor(log2 maxC) + 1) > maxC.
        let max_cost = cost.max_finite();
        let m_exponent = if max_cost > 0.0 {
            floor_log2(max_cost) + 1 + ceil_log2(2 * (n + m))
        } else {
            0
        };
        // Keep 8 M (the largest magnitude a potential or a reduced cost can
        // reach) below 2^1020 in the f64 phase.
        let scale_exponent = (m_exponent + 3 - 1020).max(0);
        let scale = fixed::ldexp(1.0, -scale_exponent);
        let big_m = fixed::ldexp(1.0, m_exponent - scale_exponent);

        // Flows are signed sums of masses: multiples of the lowest bit of any
        // mass, at most the larger total (below 2^(log2 max + log2 count + 1)).
        let positive = || p.iter().chain(q).copied().filter(|&x| x > 0.0);
        let lsb = positive().map(lowest_set_bit).min().unwrap_or(0);
        let top = positive().map(floor_log2).max().unwrap_or(0) + ceil_log2(n + m) + 2;
        let masses = Format::new(lsb, top);
        let kf = masses.limbs;

        let mut net = Self {
            n,
            m,
            cost,
            scale_exponent,
            scale,
            m_exponent,
            big_column: q.iter().map(|&x| x > 0.0).collect(),
            parent: vec![root; nodes],
            pred: (0..nodes).map(|x| n * m + x).collect(),
            up: vec![true; nodes],
            flow: masses.zeros(nodes),
            masses,
            size: vec![1; nodes],
            first_child: vec![NONE; nodes],
            next_sibling: vec![NONE; nodes],
            prev_sibling: vec![NONE; nodes],
            pi: vec![0.0; nodes],
            column_key: vec![0.0; m],
            stem: Vec::new(),
            stem_arcs: Vec::new(),
            stem_flows: Vec::new(),
            delta: masses.zeros(1),
            moved: Vec::new(),
            stack: Vec::new(),
            smaller_side: cost.max_finite() <= SPREAD_FOR_SMALLER_SIDE * cost.min_positive(),
            next_row: 0,
            next_col: 0,
            block: ((n as f64 * m as f64).sqrt() as usize).max(10),
            pivots: 0,
            exact_pivots: 0,
            cap,
        };
        net.parent[root] = NONE;
        net.size[root] = nodes;
        for x in (0..root).rev() {
            net.link(x, root);
            let mass = if x < n { p[x] } else { q[x - n] };
            masses.set_f64(&mut net.flow[x * kf..(x + 1) * kf], mass);
            if x >= n && net.big_column[x - n] {
                net.up[x] = false;
                net.pi[x] = big_m;
            }
        }
        net.balance_exactly();
        net.refresh_column_keys();
        net
    }

    /// Makes the exact totals equal: the difference `sum p - sum q` (a
    /// rounding-level amount, checked by the caller) is added, exactly, to
    /// the largest column mass, where it is relatively smallest. Without
    /// this the excess would have to travel to the root through some
    /// column, or stay at a row.
    fn balance_exactly(&mut self) {
        let (n, m, kf) = (self.n, self.m, self.masses.limbs);
        let mut difference = self.masses.zeros(1);
        for x in 0..n + m {
            let f = &self.flow[x * kf..(x + 1) * kf];
            if x < n {
                fixed::add_assign(&mut difference, f);
            } else {
                fixed::sub_assign(&mut difference, f);
            }
        }
        if fixed::is_zero(&difference) {
            return;
        }
        let largest = (n..n + m).max_by(|&x, &y| {
            fixed::cmp_unsigned(
                &self.flow[x * kf..(x + 1) * kf],
                &self.flow[y * kf..(y + 1) * kf],
            )
        });
        if let Some(x) = largest {
            let f = &mut self.flow[x * kf..(x + 1) * kf];
            fixed::add_assign(f, &difference);
            if fixed::is_negative(f) {
                // Cannot happen after the caller's balance check (the
                // difference is a few ulps of the total); keep flows valid.
                f.fill(0);
            }
        }
    }

    fn root(&self) -> usize {
        self.n + self.m
    }

    /// Whether node `x`'s artificial arc is `root -> x` of cost `M`.
    fn artificial_is_big(&self, x: usize) -> bool {
        x >= self.n && x < self.n + self.m && self.big_column[x - self.n]
    }

    /// The scaled `f64` cost of arc `arc`.
    fn arc_cost(&self, arc: usize) -> f64 {
        if arc < self.n * self.m {
            self.cost.as_slice()[arc] * self.scale
        } else if self.artificial_is_big(arc - self.n * self.m) {
            fixed::ldexp(1.0, self.m_exponent - self.scale_exponent)
        } else {
            0.0
        }
    }

    fn refresh_column_keys(&mut self) {
        let n = self.n;
        for (key, &v) in self.column_key.iter_mut().zip(&self.pi[n..n + self.m]) {
            *key = v - PRICE * v.abs();
        }
    }

    // ------------------------------------------------------------ tree

    fn link(&mut self, x: usize, parent: usize) {
        self.parent[x] = parent;
        let first = self.first_child[parent];
        self.next_sibling[x] = first;
        self.prev_sibling[x] = NONE;
        if first != NONE {
            self.prev_sibling[first] = x;
        }
        self.first_child[parent] = x;
    }

    fn unlink(&mut self, x: usize) {
        let (prev, next) = (self.prev_sibling[x], self.next_sibling[x]);
        if prev != NONE {
            self.next_sibling[prev] = next;
        } else {
            self.first_child[self.parent[x]] = next;
        }
        if next != NONE {
            self.prev_sibling[next] = prev;
        }
    }

    /// The nodes of the subtree of `top`, parents before children.
    fn preorder(&mut self, top: usize, out: &mut Vec<usize>) {
        self.preorder_without(top, NONE, out);
    }

    /// The nodes of the subtree of `top` outside the subtree of `skip`.
    fn preorder_without(&mut self, top: usize, skip: usize, out: &mut Vec<usize>) {
        out.clear();
        self.stack.clear();
        self.stack.push(top);
        while let Some(x) = self.stack.pop() {
            out.push(x);
            let mut c = self.first_child[x];
            while c != NONE {
                if c != skip {
                    self.stack.push(c);
                }
                c = self.next_sibling[c];
            }
        }
    }

    /// Adds `shift` to the `f64` potential of every node of the subtree of
    /// `top` outside the subtree of `skip` (one depth-first walk).
    fn shift_potentials(&mut self, top: usize, skip: usize, shift: f64) {
        let (n, m) = (self.n, self.m);
        self.stack.clear();
        self.stack.push(top);
        while let Some(x) = self.stack.pop() {
            let value = self.pi[x] + shift;
            self.pi[x] = value;
            if x >= n && x < n + m {
                self.column_key[x - n] = value - PRICE * value.abs();
            }
            let mut c = self.first_child[x];
            while c != NONE {
                if c != skip {
                    self.stack.push(c);
                }
                c = self.next_sibling[c];
            }
        }
    }

    fn in_tree(&self, i: usize, j: usize) -> bool {
        let arc = i * self.m + j;
        self.pred[i] == arc || self.pred[self.n + j] == arc
    }

    fn flow_of(&self, x: usize) -> &[u64] {
        let kf = self.masses.limbs;
        &self.flow[x * kf..(x + 1) * kf]
    }

    /// Pivots arc `i -> j` into the tree: exact ratio test, exact flow
    /// change, re-rooting of the cut subtree under the other end of the
    /// entering arc. With `f64_rc` (the entering arc's reduced cost in the
    /// `f64` phase) it shifts the `f64` potentials of the smaller part;
    /// without, it leaves the cut subtree in `self.moved` for the caller.
    /// Returns whether the cut subtree holds the row end `i` of the arc.
    fn pivot(&mut self, i: usize, j: usize, f64_rc: Option<f64>) -> Result<bool> {
        use std::cmp::Ordering::{Greater, Less};
        let kf = self.masses.limbs;
        let (a, b) = (i, self.n + j);
        let (mut x, mut y) = (a, b);
        while x != y {
            if self.size[x] < self.size[y] {
                x = self.parent[x];
            } else {
                y = self.parent[y];
            }
        }
        let apex = x;
        // Flow enters along a -> b and returns from b up to the apex and
        // down to a: arcs pointing up on a's side and down on b's side lose
        // flow. Ties: the last blocking arc from the apex in the direction
        // of a -> b, i.e. the first on a's side (strict), the last on b's
        // side (non-strict, and b's side wins).
        let mut leaving = NONE;
        let mut on_row_side = false;
        let mut x = a;
        while x != apex {
            if self.up[x]
                && (leaving == NONE
                    || fixed::cmp_unsigned(self.flow_of(x), self.flow_of(leaving)) == Less)
            {
                (leaving, on_row_side) = (x, true);
            }
            x = self.parent[x];
        }
        let mut y = b;
        while y != apex {
            if !self.up[y]
                && (leaving == NONE
                    || fixed::cmp_unsigned(self.flow_of(y), self.flow_of(leaving)) != Greater)
            {
                (leaving, on_row_side) = (y, false);
            }
            y = self.parent[y];
        }
        if leaving == NONE {
            return Err(Error::CertificateFailed {
                detail: "network simplex: a cycle without a blocking arc (unbounded)".into(),
            });
        }
        let mut delta = std::mem::take(&mut self.delta);
        delta.copy_from_slice(self.flow_of(leaving));
        if !fixed::is_zero(&delta) {
            let mut x = a;
            while x != apex {
                let f = &mut self.flow[x * kf..(x + 1) * kf];
                if self.up[x] {
                    fixed::sub_assign(f, &delta);
                } else {
                    fixed::add_assign(f, &delta);
                }
                x = self.parent[x];
            }
            let mut y = b;
            while y != apex {
                let f = &mut self.flow[y * kf..(y + 1) * kf];
                if self.up[y] {
                    fixed::add_assign(f, &delta);
                } else {
                    fixed::sub_assign(f, &delta);
                }
                y = self.parent[y];
            }
        }
        let (top, new_parent) = if on_row_side { (a, b) } else { (b, a) };
        let cut = self.size[leaving];
        let root = self.root();
        // Potentials. The cut subtree must move by sigma (so that the
        // entering arc gets reduced cost 0); in the f64 phase the rest moves
        // by -sigma instead when it is smaller. The exact phase gets the cut
        // subtree in `self.moved` and updates it itself.
        let mut moved = std::mem::take(&mut self.moved);
        match f64_rc {
            Some(rc) => {
                let sigma = if on_row_side { -rc } else { rc };
                if !self.smaller_side || 2 * cut <= self.size[root] {
                    self.shift_potentials(leaving, NONE, sigma);
                } else {
                    self.shift_potentials(root, leaving, -sigma);
                }
            }
            None => self.preorder(leaving, &mut moved),
        }
        self.moved = moved;
        // Subtree sizes off the stem: the cut part leaves the ancestors of
        // the leaving node below the apex and joins those of the new parent.
        let mut x = self.parent[leaving];
        while x != apex {
            self.size[x] -= cut;
            x = self.parent[x];
        }
        let mut y = new_parent;
        while y != apex {
            self.size[y] += cut;
            y = self.parent[y];
        }
        // The stem: top, its parent, ..., up to the leaving node.
        self.stem.clear();
        self.stem_arcs.clear();
        self.stem_flows.clear();
        let mut s = top;
        loop {
            self.stem.push(s);
            self.stem_arcs.push((self.pred[s], self.up[s]));
            self.stem_flows
                .extend_from_slice(&self.flow[s * kf..(s + 1) * kf]);
            if s == leaving {
                break;
            }
            s = self.parent[s];
        }
        // Sizes along the reversed stem: s_t keeps its old subtree minus
        // s_(t-1)'s and gains s_(t+1) with its new subtree; the top gets all.
        let last = self.stem.len() - 1;
        let mut above = 0;
        for t in (1..=last).rev() {
            let (s, below) = (self.stem[t], self.stem[t - 1]);
            above += self.size[s] - self.size[below];
            self.size[s] = above;
        }
        self.size[top] = cut;
        for k in 0..self.stem.len() {
            let s = self.stem[k];
            self.unlink(s);
        }
        self.pred[top] = i * self.m + j;
        self.flow[top * kf..(top + 1) * kf].copy_from_slice(&delta);
        self.delta = delta;
        self.up[top] = top == a;
        self.link(top, new_parent);
        for k in 1..self.stem.len() {
            let (s, below) = (self.stem[k], self.stem[k - 1]);
            let (old_arc, old_up) = self.stem_arcs[k - 1];
            self.pred[s] = old_arc;
            self.up[s] = !old_up;
            self.flow[s * kf..(s + 1) * kf].copy_from_slice(&self.stem_flows[(k - 1) * kf..k * kf]);
            self.link(s, below);
        }
        Ok(top == a)
    }

    fn count_pivot(&mut self) -> Result<()> {
        if self.pivots + self.exact_pivots >= self.cap {
            return Err(Error::IterationLimit {
                what: "network simplex",
                limit: self.cap,
            });
        }
        Ok(())
    }

    // ------------------------------------------------------------ f64 phase

    /// `f64` potentials from the tree, root first: removes the drift of
    /// incremental updates.
    fn recompute_potentials(&mut self) {
        let mut order = std::mem::take(&mut self.moved);
        let root = self.root();
        self.preorder(root, &mut order);
        self.pi[root] = 0.0;
        for &x in &order[1..] {
            let c = self.arc_cost(self.pred[x]);
            let parent = self.pi[self.parent[x]];
            self.pi[x] = if self.up[x] { parent - c } else { parent + c };
        }
        self.moved = order;
        self.refresh_column_keys();
    }

    /// Block search for the arc with the most negative margined reduced
    /// cost `rc + PRICE (C + |pi_i| + |pi_j|)`, which must be below 0.
    /// Arcs are scanned in row-major order from where the last search
    /// stopped, in segments of at most one block (rows longer than a block
    /// are cut), until a block's worth has been seen and a candidate found,
    /// or every arc has been seen once.
    fn find_entering(&mut self) -> Option<(usize, usize)> {
        let (n, m) = (self.n, self.m);
        let cost_factor = self.scale * (1.0 + PRICE);
        let segment = m.min(self.block);
        let total = n * m;
        let mut best = 0.0;
        let mut found = None;
        let mut scanned = 0;
        let (mut i, mut j0) = (self.next_row, self.next_col);
        while scanned < total {
            let j1 = (j0 + segment).min(m);
            let row = &self.cost.row(i)[j0..j1];
            let keys = &self.column_key[j0..j1];
            let row_key = self.pi[i] + PRICE * self.pi[i].abs();
            let smallest = row_min(row, keys, cost_factor);
            let low = smallest + row_key;
            if low < best {
                // The same expression as in row_min, so the same bits.
                let position = row
                    .iter()
                    .zip(keys)
                    .position(|(&c, &key)| c * cost_factor - key == smallest);
                if let Some(j) = position {
                    best = low;
                    found = Some((i, j0 + j));
                }
            }
            scanned += j1 - j0;
            j0 = j1;
            if j0 == m {
                j0 = 0;
                i = if i + 1 == n { 0 } else { i + 1 };
            }
            if found.is_some() && scanned >= self.block {
                break;
            }
        }
        (self.next_row, self.next_col) = (i, j0);
        found
    }

    fn f64_phase(&mut self) -> Result<()> {
        let refresh = self.n + self.m;
        let big_m = fixed::ldexp(1.0, self.m_exponent - self.scale_exponent);
        let mut since_refresh = 0;
        let stop_at = self.pivots + F64_PIVOTS_PER_NODE * (self.n + self.m) + 1000;
        while let Some((i, j)) = self.find_entering() {
            if self.pivots >= stop_at {
                break;
            }
            if self.in_tree(i, j) {
                // Only drift can make a tree arc look negative.
                if since_refresh == 0 {
                    break;
                }
                self.recompute_potentials();
                since_refresh = 0;
                continue;
            }
            self.count_pivot()?;
            self.pivots += 1;
            let rc = self.cost.get(i, j) * self.scale + self.pi[i] - self.pi[self.n + j];
            self.pivot(i, j, Some(rc))?;
            since_refresh += 1;
            // Shifting the rest instead of the cut part moves the root's
            // potential away from 0; keep magnitudes near those of costs.
            let root_drift = self.pi[self.root()].abs() > big_m;
            if since_refresh >= refresh || root_drift {
                self.recompute_potentials();
                since_refresh = 0;
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------ exact phase

    /// Re-prices every arc with exact reduced costs and pivots (block
    /// search on the exact values) until none is negative: returns the exact
    /// potentials and their format; or `None` after `budget` pivots.
    fn exact_phase(&mut self, budget: usize) -> Result<Option<(Format, Vec<u64>)>> {
        let start = self.exact_pivots;
        let (n, m) = (self.n, self.m);
        let nodes = n + m + 1;
        let lsb = self.cost.lowest_bit().min(self.m_exponent);
        let format = Format::new(lsb, self.m_exponent + 4);
        let k = format.limbs;
        let mut pi = format.zeros(nodes);
        let mut order = Vec::new();
        self.preorder(self.root(), &mut order);
        let mut c = format.zeros(1);
        let mut value = format.zeros(1);
        for &x in &order[1..] {
            self.exact_arc_cost(&format, self.pred[x], &mut c);
            let parent = self.parent[x];
            value.copy_from_slice(&pi[parent * k..parent * k + k]);
            if self.up[x] {
                fixed::sub_assign(&mut value, &c);
            } else {
                fixed::add_assign(&mut value, &c);
            }
            pi[x * k..x * k + k].copy_from_slice(&value);
        }
        for x in 0..nodes {
            self.pi[x] = format.value(&pi[x * k..x * k + k], self.scale_exponent);
        }
        let max_cost = self.cost.max_finite() * self.scale;
        let largest_column = |pi: &[f64]| pi[n..n + m].iter().fold(0.0f64, |a, &b| a.max(b.abs()));
        let mut column_bound = largest_column(&self.pi);
        let mut rc = format.zeros(1);
        let mut best_rc = format.zeros(1);
        let mut scratch = format.zeros(1);
        let mut best: Option<(usize, usize)> = None;
        let (mut scanned, mut rows_since_pivot) = (0usize, 0usize);
        let mut i = 0;
        loop {
            let row = self.cost.row(i);
            let pi_i = self.pi[i];
            if row_may_enter(
                row,
                &self.pi[n..n + m],
                self.scale,
                pi_i,
                max_cost,
                column_bound,
            ) {
                for (j, &cij) in row.iter().enumerate() {
                    if !cij.is_finite() || !arc_may_enter(cij * self.scale, pi_i, self.pi[n + j]) {
                        continue;
                    }
                    format.set_f64(&mut rc, cij);
                    fixed::add_assign(&mut rc, &pi[i * k..i * k + k]);
                    fixed::sub_assign(&mut rc, &pi[(n + j) * k..(n + j) * k + k]);
                    if fixed::is_negative(&rc)
                        && (best.is_none() || fixed::less(&rc, &best_rc, &mut scratch))
                    {
                        best = Some((i, j));
                        best_rc.copy_from_slice(&rc);
                    }
                }
            }
            scanned += m;
            rows_since_pivot += 1;
            i = if i + 1 == n { 0 } else { i + 1 };
            if let Some((bi, bj)) = best {
                if scanned < self.block && rows_since_pivot < n {
                    continue;
                }
                self.count_pivot()?;
                self.exact_pivots += 1;
                let row_moved = self.pivot(bi, bj, None)?;
                // sigma = -rc if the row's side moved, +rc otherwise.
                if row_moved {
                    fixed::negate(&mut best_rc);
                }
                for idx in 0..self.moved.len() {
                    let x = self.moved[idx];
                    let px = &mut pi[x * k..x * k + k];
                    fixed::add_assign(px, &best_rc);
                    self.pi[x] = format.value(px, self.scale_exponent);
                }
                column_bound = largest_column(&self.pi);
                if self.exact_pivots - start >= budget {
                    return Ok(None);
                }
                best = None;
                scanned = 0;
                rows_since_pivot = 0;
            } else if rows_since_pivot >= n {
                break;
            }
        }
        Ok(Some((format, pi)))
    }

    /// The exact cost of an arc.
    fn exact_arc_cost(&self, format: &Format, arc: usize, out: &mut [u64]) {
        if arc < self.n * self.m {
            format.set_f64(out, self.cost.as_slice()[arc]);
        } else if self.artificial_is_big(arc - self.n * self.m) {
            out.fill(0);
            let offset = (self.m_exponent - format.lsb) as usize;
            out[offset / 64] = 1u64 << (offset % 64);
        } else {
            out.fill(0);
        }
    }

    // ------------------------------------------------------------ answer

    /// At the exact big-M optimum, mass reaches the root from some node and
    /// leaves it to another only if it cannot travel on real arcs: then no
    /// feasible plan exists. (The totals were made equal exactly, so mass
    /// that reaches the root also leaves it.)
    fn check_feasible(&self) -> Result<()> {
        let root = self.root();
        let (mut into, mut out) = (0.0f64, 0.0f64);
        let (mut any_into, mut any_out) = (false, false);
        let mut x = self.first_child[root];
        while x != NONE {
            let f = self.flow_of(x);
            if self.pred[x] >= self.n * self.m && !fixed::is_zero(f) {
                let amount = self.masses.value(f, 0);
                if self.up[x] {
                    (into, any_into) = (into + amount, true);
                } else {
                    (out, any_out) = (out + amount, true);
                }
            }
            x = self.next_sibling[x];
        }
        if any_into && any_out {
            return Err(Error::NoFeasiblePlan {
                unplaced: into.min(out),
            });
        }
        Ok(())
    }

    /// Basic real arcs with positive flow, each flow rounded once to `f64`.
    fn plan(&self) -> Vec<(usize, usize, f64)> {
        let mut plan = Vec::new();
        for x in 0..self.n + self.m {
            let arc = self.pred[x];
            let f = self.flow_of(x);
            if arc < self.n * self.m && !fixed::is_zero(f) {
                plan.push((arc / self.m, arc % self.m, self.masses.value(f, 0)));
            }
        }
        plan.sort_by_key(|&(i, j, _)| (i, j));
        plan
    }

    /// The dual potentials: the exact tree potentials, each rounded once
    /// to `f64`. Returns `(u, v)`.
    ///
    /// They hold no `M`: at the exact big-M optimum of a feasible problem no
    /// artificial arc carries flow (the totals are equal exactly and
    /// [`Self::check_feasible`] passed), and a tree arc of zero flow points
    /// towards the root (strong feasibility), so every arc left at the root
    /// is the cost-0 arc of a row or of a zero-demand column, and the top
    /// of every subtree of the root has potential exactly 0. Arcs between
    /// two subtrees were priced by the exact phase like any other, so the
    /// potentials are dual feasible as they stand. A top of non-zero
    /// potential would be a bug: it is reported, not rounded into the answer.
    fn duals(&self, exact: (Format, Vec<u64>)) -> Result<(Vec<f64>, Vec<f64>)> {
        let (format, pi) = exact;
        let (n, m, k) = (self.n, self.m, format.limbs);
        let mut top = self.first_child[self.root()];
        while top != NONE {
            if !fixed::is_zero(&pi[top * k..top * k + k]) {
                return Err(Error::CertificateFailed {
                    detail: format!(
                        "node {top} hangs from the root on an arc of cost M at the optimum"
                    ),
                });
            }
            top = self.next_sibling[top];
        }
        let u = (0..n)
            .map(|i| -format.value(&pi[i * k..i * k + k], 0))
            .collect();
        let v = (0..m)
            .map(|j| format.value(&pi[(n + j) * k..(n + j) * k + k], 0))
            .collect();
        Ok((u, v))
    }
}

/// The error bound of the exact phase's `f64` estimate
/// `(c + pi_i) - pi_j` of a reduced cost, from the scaled cost `c` and the
/// rounded potentials: `FILTER_ULPS EPS (c + |pi_i| + |pi_j|) + FILTER_ABS`
/// (see [`FILTER_ULPS`]). With the largest cost and the largest column
/// potential it bounds every arc of a row.
fn filter_bound(scaled_cost: f64, pi_i: f64, pi_j: f64) -> f64 {
    FILTER_ULPS * f64::EPSILON * (scaled_cost + pi_i.abs() + pi_j.abs()) + FILTER_ABS
}

/// Whether an arc's exact reduced cost may be negative, from its `f64`
/// estimate: `false` only when the estimate exceeds its error bound, so
/// that the exact value is positive.
fn arc_may_enter(scaled_cost: f64, pi_i: f64, pi_j: f64) -> bool {
    scaled_cost + pi_i - pi_j <= filter_bound(scaled_cost, pi_i, pi_j)
}

/// Whether row `i` (scaled costs `row * scale`, potential `pi_i`) may hold
/// an arc of negative exact reduced cost: the row's smallest estimate
/// against the largest error bound in the row (`max_cost` and
/// `column_bound` bound the row's scaled costs and `|pi_j|`).
fn row_may_enter(
    row: &[f64],
    column_pi: &[f64],
    scale: f64,
    pi_i: f64,
    max_cost: f64,
    column_bound: f64,
) -> bool {
    row_min(row, column_pi, scale) + pi_i <= filter_bound(max_cost, pi_i, column_bound)
}

/// `min_j (row_j * scale - v_j)`, in eight independent lanes so that it vectorises.
#[inline]
fn row_min(row: &[f64], v: &[f64], scale: f64) -> f64 {
    const LANES: usize = 8;
    let mut acc = [f64::INFINITY; LANES];
    let (row_chunks, v_chunks) = (row.chunks_exact(LANES), v.chunks_exact(LANES));
    let (row_rest, v_rest) = (row_chunks.remainder(), v_chunks.remainder());
    for (c, w) in row_chunks.zip(v_chunks) {
        for l in 0..LANES {
            let d = c[l] * scale - w[l];
            acc[l] = if d < acc[l] { d } else { acc[l] };
        }
    }
    let mut low = acc
        .iter()
        .fold(f64::INFINITY, |a, &b| if b < a { b } else { a });
    for (&c, &w) in row_rest.iter().zip(v_rest) {
        let d = c * scale - w;
        low = if d < low { d } else { low };
    }
    low
}

/// `floor(log2 x)` for finite `x > 0`.
fn floor_log2(x: f64) -> i32 {
    let (mantissa, exponent) = super::cost::decompose(x);
    exponent + 63 - mantissa.leading_zeros() as i32
}

/// `ceil(log2 x)` for `x >= 1`.
fn ceil_log2(x: usize) -> i32 {
    (usize::BITS - (x.max(1) - 1).leading_zeros()) as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng, rngs::StdRng};

    /// Costs `[1, 2) 2^k` with `k` uniform in `-1000..1000` (log-uniform
    /// over 600 orders of magnitude, built with exact operations only, so
    /// the same on every machine) and random masses summing to 1: instances
    /// on which `f64` pricing is hopeless and the exact phase does most of
    /// the work.
    fn log_uniform_instance(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>, CostMatrix) {
        let mut rng = StdRng::seed_from_u64(seed);
        let data = (0..n * n)
            .map(|_| fixed::ldexp(1.0 + rng.random::<f64>(), rng.random_range(-1000..1000)))
            .collect();
        let mut masses = || {
            let w: Vec<f64> = (0..n).map(|_| 0.05 + rng.random::<f64>()).collect();
            let total: f64 = w.iter().sum();
            w.iter().map(|x| x / total).collect::<Vec<f64>>()
        };
        let (p, q) = (masses(), masses());
        (p, q, CostMatrix::new(n, n, data).unwrap())
    }

    /// The rule that ends the alternation of the phases: after `handbacks`
    /// rounds of `f64` phase then at most `n + m` exact pivots, the exact
    /// phase finishes alone. A 24 x 24 log-uniform instance takes at least
    /// three rounds under the default rule (four here); allowed two
    /// hand-backs it takes three, one two, none one, and every rule reaches
    /// the same optimum (generic data: a unique optimal plan).
    #[test]
    fn the_exact_phase_finishes_alone_after_the_hand_backs() {
        let (p, q, cost) = log_uniform_instance(24, 1);
        let default = solve(&p, &q, &cost, usize::MAX).unwrap();
        assert!(default.rounds >= 3, "{} rounds", default.rounds);
        for (handbacks, rounds) in [(0, 1), (1, 2), (2, 3), (HANDBACK_ROUNDS, default.rounds)] {
            let solved = solve_with_handbacks(&p, &q, &cost, usize::MAX, handbacks).unwrap();
            assert_eq!(solved.rounds, rounds, "{handbacks} hand-backs");
            assert_eq!(solved.plan, default.plan, "{handbacks} hand-backs");
        }
    }

    /// The exact phase alone, from the first tree (every column on its
    /// artificial arc of cost `M`, every row on its arc of cost 0), reaches
    /// the optimum that the two phases reach: so its exact big-M cost and
    /// its pricing stand on their own, without the `f64` phase's work. The
    /// plan is unique (generic data); the potentials need not be (a plan of
    /// fewer than `2 n - 1` arcs leaves them free between its components),
    /// so they are checked by the certificate.
    #[test]
    fn the_exact_phase_alone_solves_from_the_first_tree() {
        for (n, seed) in [(6, 11), (20, 2)] {
            let (p, q, cost) = log_uniform_instance(n, seed);
            let both = super::super::emd(&p, &q, &cost).unwrap();
            let mut alone = Network::new(&p, &q, &cost, usize::MAX);
            let exact = alone.exact_phase(usize::MAX).unwrap().unwrap();
            assert_eq!(alone.pivots, 0);
            assert!(
                alone.exact_pivots >= 2 * n - 1,
                "{n}: {} pivots",
                alone.exact_pivots
            );
            alone.check_feasible().unwrap();
            let plan: Vec<_> = both.plan.iter().map(|e| (e.i, e.j, e.mass)).collect();
            assert_eq!(alone.plan(), plan, "{n} x {n}");
            let (u, v) = alone.duals(exact).unwrap();
            let answer = super::super::Transport { u, v, ..both };
            let certificate = super::super::verify_certificate(&p, &q, &cost, &answer);
            assert!(certificate.passed, "{n} x {n}: {}", certificate.summary());
        }
    }

    /// The staircase where feasibility costs most: row `i` may go to
    /// columns `i` (cost 0) and `i + 1` (cost `c`), except that the last
    /// row may only go to column 0 (cost `c`). The only feasible plan is the
    /// cyclic shift, of cost `k c`; a plan that sends one unit through the
    /// root costs `M`. So the big-M optimum is feasible only if
    /// `M > k c`, which `M >= 2 (n + m) max C` guarantees; an `M` of a few
    /// `max C` would report no feasible plan. Checked through both phases,
    /// and through the exact phase alone from the first tree (its exact
    /// `M`).
    #[test]
    fn the_big_m_outweighs_the_longest_detour() {
        let (k, c) = (5usize, 1.5);
        let mut data = vec![f64::INFINITY; k * k];
        for i in 0..k - 1 {
            data[i * k + i] = 0.0;
            data[i * k + i + 1] = c;
        }
        data[(k - 1) * k] = c;
        let cost = CostMatrix::new(k, k, data).unwrap();
        let mass = vec![1.0; k];
        let solved = solve(&mass, &mass, &cost, usize::MAX).unwrap();
        let mut expected: Vec<(usize, usize, f64)> = (0..k - 1).map(|i| (i, i + 1, 1.0)).collect();
        expected.insert(0, (k - 1, 0, 1.0));
        expected.sort_by_key(|&(i, j, _)| (i, j));
        assert_eq!(solved.plan, expected);
        let mut alone = Network::new(&mass, &mass, &cost, usize::MAX);
        alone.exact_phase(usize::MAX).unwrap().unwrap();
        alone.check_feasible().unwrap();
        assert_eq!(alone.plan(), expected);
    }

    /// `duals` reports a tree that still hangs a column from the root on
    /// its arc of cost `M` (here: no finite arc, so the exact phase has
    /// nothing to price and the first tree stays), rather than rounding `M`
    /// into the potentials.
    #[test]
    fn duals_refuse_a_root_arc_of_cost_m() {
        let cost = CostMatrix::new(1, 1, vec![f64::INFINITY]).unwrap();
        let mut net = Network::new(&[1.0], &[1.0], &cost, usize::MAX);
        let exact = net.exact_phase(usize::MAX).unwrap().unwrap();
        assert!(matches!(
            net.duals(exact),
            Err(Error::CertificateFailed { .. })
        ));
    }

    /// Exact values on a grid of `2^-GRID`, as `i128`, for the filter's
    /// reference: costs, potentials and reduced costs up to `2^110` units.
    const GRID: i32 = 96;

    fn grid_to_f64(x: i128) -> f64 {
        // `as f64` rounds to nearest once; the power of two is exact.
        fixed::ldexp(x as f64, -GRID)
    }

    fn f64_to_grid(x: f64) -> i128 {
        fixed::ldexp(x, GRID) as i128
    }

    /// A random exact value of `bits` significant bits at most, times a
    /// random power of two, with a random sign if `signed`.
    fn grid_value(rng: &mut StdRng, bits: u32, signed: bool) -> i128 {
        let magnitude = (rng.random::<u128>() >> (128 - bits)) as i128;
        let shifted = magnitude >> rng.random_range(0..bits);
        if signed && rng.random::<bool>() {
            -shifted
        } else {
            shifted
        }
    }

    /// Random arcs `(c, P_i, P_j)`: the cost an `f64` on the grid, the exact
    /// potentials of up to 110 bits (their `f64` roundings are what the
    /// filter sees), and half of the time `P_j` set so that the exact
    /// reduced cost `c + P_i - P_j` is within a few units of the last place
    /// of the largest term, of either sign: where the estimate's rounding
    /// decides.
    fn random_arc(rng: &mut StdRng) -> (i128, i128, i128) {
        let c = f64_to_grid(grid_to_f64(grid_value(rng, 110, false)));
        let pi_i = grid_value(rng, 110, true);
        let mut pi_j = grid_value(rng, 110, true);
        if rng.random::<bool>() {
            let largest = c.abs().max(pi_i.abs()) as f64;
            let ulp = (largest * f64::EPSILON) as i128 + 1;
            pi_j = c + pi_i + rng.random_range(-8 * ulp..=8 * ulp);
        }
        (c, pi_i, pi_j)
    }

    /// The filter's bound is sound: the `f64` estimate of a reduced cost
    /// from the rounded potentials is within `filter_bound` of the exact
    /// value, so an arc of negative exact reduced cost always passes the
    /// filter; and it is useful: an arc whose exact reduced cost exceeds
    /// twice the bound is filtered out.
    #[test]
    fn the_filter_bound_holds_and_filters() {
        let mut rng = StdRng::seed_from_u64(7);
        let (mut negative, mut filtered) = (0, 0);
        for _ in 0..200_000 {
            let (c, pi_i, pi_j) = random_arc(&mut rng);
            let exact = c + pi_i - pi_j;
            let (cf, pif, pjf) = (grid_to_f64(c), grid_to_f64(pi_i), grid_to_f64(pi_j));
            let estimate = f64_to_grid(cf + pif - pjf);
            let bound = fixed::ldexp(filter_bound(cf, pif, pjf), GRID);
            assert!(
                ((estimate - exact) as f64).abs() <= bound,
                "c {c}, pi_i {pi_i}, pi_j {pi_j}: error {} > {bound}",
                estimate - exact
            );
            if exact < 0 {
                negative += 1;
                assert!(arc_may_enter(cf, pif, pjf), "{c} {pi_i} {pi_j}");
            } else if exact as f64 > 2.0 * bound {
                filtered += 1;
                assert!(!arc_may_enter(cf, pif, pjf), "{c} {pi_i} {pi_j}");
            }
        }
        assert!(
            negative > 50_000 && filtered > 50_000,
            "{negative} {filtered}"
        );
    }

    /// The bound's absolute part: a cost scaled into the subnormals rounds
    /// by half a unit (3 units times 2^-1 is 1.5 units, rounded to 2 by
    /// ties-to-even), which the relative part (`4 EPS` times a subnormal,
    /// 0) cannot cover.
    #[test]
    fn the_filter_bound_covers_a_subnormal_scaled_cost() {
        let unit = 5e-324;
        let scaled = 3.0 * unit * 0.5;
        assert_eq!(scaled, 2.0 * unit);
        let error = scaled - 1.5 * unit; // exact: 0.5 unit, as a real number
        assert!(filter_bound(scaled, 0.0, 0.0) >= unit);
        assert!(error <= filter_bound(scaled, 0.0, 0.0));
        assert!(filter_bound(scaled, 0.0, 0.0) <= FILTER_ABS + unit);
    }

    /// The row test is sound: a row holding an arc of negative exact
    /// reduced cost is never skipped, whatever the scale of its costs; and
    /// a row whose every exact reduced cost exceeds twice the row's bound
    /// is skipped.
    #[test]
    fn the_row_filter_skips_only_rows_without_a_negative_arc() {
        let mut rng = StdRng::seed_from_u64(8);
        let (mut kept, mut skipped) = (0, 0);
        for trial in 0..20_000 {
            let len = rng.random_range(1..20);
            let shift = if trial % 2 == 0 {
                0
            } else {
                rng.random_range(1..8)
            };
            let scale = fixed::ldexp(1.0, -shift);
            let pi_i = grid_value(&mut rng, 110, true);
            let (mut row, mut columns, mut exact) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..len {
                let (c, _, pi_j) = random_arc(&mut rng);
                // The row's costs before scaling: c times 2^shift (exact).
                row.push(fixed::ldexp(grid_to_f64(c), shift));
                columns.push(grid_to_f64(pi_j));
                exact.push(c + pi_i - pi_j);
            }
            let pif = grid_to_f64(pi_i);
            let max_cost = row.iter().fold(0.0f64, |a, &b| a.max(b)) * scale;
            let column_bound = columns.iter().fold(0.0f64, |a, &b| a.max(b.abs()));
            let verdict = row_may_enter(&row, &columns, scale, pif, max_cost, column_bound);
            let lowest = *exact.iter().min().unwrap();
            let bound = fixed::ldexp(filter_bound(max_cost, pif, column_bound), GRID);
            if lowest < 0 {
                kept += 1;
                assert!(verdict, "trial {trial}: a negative arc in a skipped row");
            } else if lowest as f64 > 2.0 * bound {
                skipped += 1;
                assert!(!verdict, "trial {trial}: a row without one kept");
            }
        }
        assert!(kept > 5_000 && skipped > 1_000, "{kept} {skipped}");
    }

    /// `in_tree` against the tree itself: before any pivot only artificial
    /// arcs are in it; after the `f64` phase, exactly the real arcs that are
    /// some node's arc to its parent (the phase pivots: its only guard
    /// against drift asks `in_tree`, so a wrong answer would go unseen in
    /// the solver's results).
    #[test]
    fn in_tree_matches_the_parent_arcs() {
        let (n, m) = (3, 4);
        let cost = CostMatrix::new(
            n,
            m,
            vec![
                0.7, 0.2, 0.9, 0.4, //
                0.1, 0.8, 0.3, 0.6, //
                0.5, 0.35, 0.25, 0.95,
            ],
        )
        .unwrap();
        let (p, q) = ([0.25, 0.25, 0.5], [0.125, 0.25, 0.375, 0.25]);
        let mut net = Network::new(&p, &q, &cost, usize::MAX);
        let tree_arcs = |net: &Network| -> Vec<usize> {
            net.pred.iter().copied().filter(|&a| a < n * m).collect()
        };
        assert!(tree_arcs(&net).is_empty());
        net.f64_phase().unwrap();
        let arcs = tree_arcs(&net);
        assert!(net.pivots > 0 && !arcs.is_empty());
        for i in 0..n {
            for j in 0..m {
                assert_eq!(
                    net.in_tree(i, j),
                    arcs.contains(&(i * m + j)),
                    "arc ({i}, {j})"
                );
            }
        }
    }
}
