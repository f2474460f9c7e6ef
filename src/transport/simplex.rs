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
//! flow, the depth, and doubly linked child lists. A pivot finds the apex of
//! the cycle by depth, picks the leaving arc, re-roots the subtree cut off
//! along the stem from the entering arc to the leaving arc, and walks that
//! subtree once to fix depths and potentials: O(cycle + subtree).
//!
//! **Anti-cycling.** The initial tree is strongly feasible (every arc of zero
//! flow points towards the root), and the leaving arc is the last blocking
//! arc met when the cycle is walked from the apex in the direction of the
//! entering arc (Cunningham's rule), which keeps it strongly feasible: no
//! degenerate pivot cycle can repeat.
//!
//! **Pricing.** Block search: rows are scanned from where the last search
//! stopped, and after about `sqrt(n m)` arcs the most negative reduced cost
//! seen enters. The row minimum of `C_ij - v_j` is a vectorisable loop.

use super::cost::CostMatrix;
use super::fixed::{self, Format};
use crate::error::{Error, Result};

/// No node.
const NONE: usize = usize::MAX;

/// Units of `EPS * M` below zero a reduced cost must reach in the `f64`
/// phase to enter the basis.
///
/// Reason: potentials are sums of costs along tree paths and include `M`,
/// so their rounding (and the drift of the incremental updates between two
/// recomputations) is a few `EPS * M`; reduced costs closer to zero than
/// this are noise in `f64` and are left to the exact phase, which decides
/// them exactly.
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
}

/// Solves `min sum C_ij x_ij` subject to row sums `p`, column sums `q`,
/// `x >= 0`, with `x_ij = 0` on forbidden arcs.
///
/// `p` and `q` are validated (finite, non-negative, shapes matching `cost`,
/// totals balanced within `mass_tolerance`), and `mass_tolerance` is the
/// absolute amount of mass below which an unplaced remainder counts as
/// rounding.
pub(crate) fn solve(
    p: &[f64],
    q: &[f64],
    cost: &CostMatrix,
    iteration_cap: usize,
    mass_tolerance: f64,
) -> Result<Solved> {
    let mut network = Network::new(p, q, cost, iteration_cap);
    network.f64_phase()?;
    network.recompute_flows();
    let exact = network.exact_phase()?;
    network.recompute_flows();
    let unplaced = network.unplaced();
    if unplaced > mass_tolerance {
        return Err(Error::NoFeasiblePlan { unplaced });
    }
    let plan = network.plan(mass_tolerance)?;
    let (u, v) = network.duals(exact)?;
    Ok(Solved {
        plan,
        u,
        v,
        pivots: network.pivots,
        exact_pivots: network.exact_pivots,
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
    /// Net supply of each node: `p_i`, `-q_j`, and at the root what balances them.
    supply: Vec<f64>,
    parent: Vec<usize>,
    /// The arc to the parent: `i * m + j` for a real arc, `n * m + x` for
    /// the artificial arc of node `x`.
    pred: Vec<usize>,
    /// Whether the arc to the parent points from the node to the parent.
    up: Vec<bool>,
    /// Flow on the arc to the parent.
    flow: Vec<f64>,
    depth: Vec<usize>,
    first_child: Vec<usize>,
    next_sibling: Vec<usize>,
    prev_sibling: Vec<usize>,
    /// Potentials in `f64` (scaled): the reduced cost of arc `a -> b` is
    /// `c + pi_a - pi_b`; `u_i = -pi_i` and `v_j = pi_{n+j}`.
    pi: Vec<f64>,
    /// Scratch: the stem of a pivot, its old arcs, the moved subtree.
    stem: Vec<usize>,
    stem_arcs: Vec<(usize, f64, bool)>,
    moved: Vec<usize>,
    stack: Vec<usize>,
    /// Pricing state.
    next_row: usize,
    block: usize,
    pivots: usize,
    exact_pivots: usize,
    cap: usize,
}

impl<'a> Network<'a> {
    fn new(p: &[f64], q: &[f64], cost: &'a CostMatrix, cap: usize) -> Self {
        let (n, m) = (p.len(), q.len());
        let nodes = n + m + 1;
        let root = n + m;
        // M = 2^m_exponent >= 2 (n + m) max C: 2^(floor(log2 maxC) + 1) > maxC.
        let max_cost = cost.max_finite();
        let m_exponent = if max_cost > 0.0 {
            let (mantissa, exponent) = super::cost::decompose(max_cost);
            let floor_log2 = exponent + 63 - mantissa.leading_zeros() as i32;
            floor_log2 + 1 + ceil_log2(2 * (n + m))
        } else {
            0
        };
        // Keep 8 M (the largest magnitude a potential or a reduced cost can
        // reach) below 2^1020 in the f64 phase.
        let scale_exponent = (m_exponent + 3 - 1020).max(0);
        let scale = fixed::ldexp(1.0, -scale_exponent);
        let big_m = fixed::ldexp(1.0, m_exponent - scale_exponent);

        let mut supply = Vec::with_capacity(nodes);
        supply.extend_from_slice(p);
        supply.extend(q.iter().map(|&x| -x));
        let total_p = crate::numeric::sum(p.iter().copied());
        let total_q = crate::numeric::sum(q.iter().copied());
        supply.push(total_q - total_p);

        let mut net = Self {
            n,
            m,
            cost,
            scale_exponent,
            scale,
            m_exponent,
            supply,
            parent: vec![root; nodes],
            pred: (0..nodes).map(|x| n * m + x).collect(),
            up: vec![true; nodes],
            flow: vec![0.0; nodes],
            depth: vec![1; nodes],
            first_child: vec![NONE; nodes],
            next_sibling: vec![NONE; nodes],
            prev_sibling: vec![NONE; nodes],
            pi: vec![0.0; nodes],
            stem: Vec::new(),
            stem_arcs: Vec::new(),
            moved: Vec::new(),
            stack: Vec::new(),
            next_row: 0,
            block: ((n as f64 * m as f64).sqrt() as usize).max(10),
            pivots: 0,
            exact_pivots: 0,
            cap,
        };
        net.parent[root] = NONE;
        net.depth[root] = 0;
        for x in (0..root).rev() {
            net.link(x, root);
            if x < n {
                net.flow[x] = p[x];
            } else if q[x - n] > 0.0 {
                net.up[x] = false;
                net.flow[x] = q[x - n];
                net.pi[x] = big_m;
            }
        }
        net
    }

    fn root(&self) -> usize {
        self.n + self.m
    }

    /// Whether node `x`'s artificial arc is `root -> x` of cost `M`.
    fn artificial_is_big(&self, x: usize) -> bool {
        x >= self.n && x < self.n + self.m && self.supply[x] < 0.0
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
        out.clear();
        self.stack.clear();
        self.stack.push(top);
        while let Some(x) = self.stack.pop() {
            out.push(x);
            let mut c = self.first_child[x];
            while c != NONE {
                self.stack.push(c);
                c = self.next_sibling[c];
            }
        }
    }

    fn in_tree(&self, i: usize, j: usize) -> bool {
        let arc = i * self.m + j;
        self.pred[i] == arc || self.pred[self.n + j] == arc
    }

    /// Pivots arc `i -> j` into the tree: ratio test, flow change, re-rooting
    /// of the cut subtree under the other end of the entering arc. Leaves the
    /// moved subtree (parents first) in `self.moved` and returns whether its
    /// top is the row end `i` of the entering arc. Potentials are the caller's.
    fn pivot(&mut self, i: usize, j: usize) -> Result<bool> {
        let (a, b) = (i, self.n + j);
        let (mut x, mut y) = (a, b);
        while x != y {
            if self.depth[x] >= self.depth[y] {
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
        let mut delta = f64::INFINITY;
        let mut leaving = NONE;
        let mut on_row_side = false;
        let mut x = a;
        while x != apex {
            if self.up[x] {
                let d = self.flow[x].max(0.0);
                if d < delta {
                    (delta, leaving, on_row_side) = (d, x, true);
                }
            }
            x = self.parent[x];
        }
        let mut y = b;
        while y != apex {
            if !self.up[y] {
                let d = self.flow[y].max(0.0);
                if d <= delta {
                    (delta, leaving, on_row_side) = (d, y, false);
                }
            }
            y = self.parent[y];
        }
        if leaving == NONE {
            return Err(Error::CertificateFailed {
                detail: "network simplex: a cycle without a blocking arc (unbounded)".into(),
            });
        }
        if delta > 0.0 {
            let mut x = a;
            while x != apex {
                self.flow[x] += if self.up[x] { -delta } else { delta };
                x = self.parent[x];
            }
            let mut y = b;
            while y != apex {
                self.flow[y] += if self.up[y] { delta } else { -delta };
                y = self.parent[y];
            }
        }
        let (top, new_parent) = if on_row_side { (a, b) } else { (b, a) };
        // The stem: top, its parent, ..., up to the leaving node.
        self.stem.clear();
        self.stem_arcs.clear();
        let mut s = top;
        loop {
            self.stem.push(s);
            self.stem_arcs
                .push((self.pred[s], self.flow[s], self.up[s]));
            if s == leaving {
                break;
            }
            s = self.parent[s];
        }
        for k in 0..self.stem.len() {
            let s = self.stem[k];
            self.unlink(s);
        }
        let arc = i * self.m + j;
        self.pred[top] = arc;
        self.flow[top] = delta;
        self.up[top] = top == a;
        self.link(top, new_parent);
        for k in 1..self.stem.len() {
            let (s, below) = (self.stem[k], self.stem[k - 1]);
            let (old_arc, old_flow, old_up) = self.stem_arcs[k - 1];
            self.pred[s] = old_arc;
            self.flow[s] = old_flow;
            self.up[s] = !old_up;
            self.link(s, below);
        }
        let mut moved = std::mem::take(&mut self.moved);
        self.preorder(top, &mut moved);
        for &x in &moved {
            self.depth[x] = self.depth[self.parent[x]] + 1;
        }
        self.moved = moved;
        Ok(top == a)
    }

    // ------------------------------------------------------------ f64 phase

    /// `f64` potentials from the tree, root first: removes the drift of
    /// incremental updates.
    fn recompute_potentials(&mut self) {
        let mut order = std::mem::take(&mut self.moved);
        self.preorder(self.root(), &mut order);
        let root = self.root();
        self.pi[root] = 0.0;
        for &x in &order[1..] {
            let c = self.arc_cost(self.pred[x]);
            let parent = self.pi[self.parent[x]];
            self.pi[x] = if self.up[x] { parent - c } else { parent + c };
        }
        self.moved = order;
    }

    /// Block search for an arc with reduced cost below `-tolerance`.
    fn find_entering(&mut self, tolerance: f64) -> Option<(usize, usize, f64)> {
        let (n, m) = (self.n, self.m);
        let mut best = -tolerance;
        let mut found = None;
        let mut scanned = 0;
        let mut i = self.next_row;
        for _ in 0..n {
            let row = self.cost.row(i);
            let v = &self.pi[n..n + m];
            let low = row_min(row, v, self.scale) + self.pi[i];
            if low < best {
                let target = low - self.pi[i];
                let j = row
                    .iter()
                    .zip(v)
                    .position(|(&c, &vj)| c * self.scale - vj == target)
                    .unwrap_or(0);
                best = low;
                found = Some((i, j, low));
            }
            scanned += m;
            i = if i + 1 == n { 0 } else { i + 1 };
            if found.is_some() && scanned >= self.block {
                break;
            }
        }
        self.next_row = i;
        found
    }

    fn f64_phase(&mut self) -> Result<()> {
        let tolerance = F64_PRICE_ULPS
            * f64::EPSILON
            * fixed::ldexp(1.0, self.m_exponent - self.scale_exponent);
        let refresh = self.n + self.m;
        let mut since_refresh = 0;
        while let Some((i, j, rc)) = self.find_entering(tolerance) {
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
            let row_moved = self.pivot(i, j)?;
            let sigma = if row_moved { -rc } else { rc };
            for k in 0..self.moved.len() {
                let x = self.moved[k];
                self.pi[x] += sigma;
            }
            since_refresh += 1;
            if since_refresh >= refresh {
                self.recompute_potentials();
                since_refresh = 0;
            }
        }
        Ok(())
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

    /// Flows from the tree: the flow on a node's arc to its parent is the net
    /// supply of its subtree, summed leaves first in double-double.
    fn recompute_flows(&mut self) {
        let mut order = std::mem::take(&mut self.moved);
        self.preorder(self.root(), &mut order);
        let mut high = self.supply.clone();
        let mut low = vec![0.0; high.len()];
        for &x in order[1..].iter().rev() {
            let total = high[x] + low[x];
            self.flow[x] = if self.up[x] { total } else { -total };
            let parent = self.parent[x];
            let (s, e) = two_sum(high[parent], high[x]);
            high[parent] = s;
            low[parent] += e + low[x];
        }
        self.moved = order;
    }

    // ------------------------------------------------------------ exact phase

    /// Re-prices every arc with exact reduced costs and pivots until none is
    /// negative. Returns the exact potentials (and their format).
    fn exact_phase(&mut self) -> Result<(Format, Vec<u64>)> {
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
            self.pi[x] = format.to_f64(&pi[x * k..x * k + k], self.scale_exponent);
        }
        let max_cost = self.cost.max_finite() * self.scale;
        let bound = |pi: &[f64]| {
            let largest = pi.iter().fold(0.0f64, |a, &b| a.max(b.abs()));
            FILTER_ULPS * f64::EPSILON * (max_cost + 2.0 * largest) + FILTER_ABS
        };
        let mut filter = bound(&self.pi);
        let mut rc = format.zeros(1);
        let mut quiet_rows = 0;
        let mut i = 0;
        while quiet_rows < n {
            let row = self.cost.row(i);
            let low = row_min(row, &self.pi[n..n + m], self.scale) + self.pi[i];
            let mut pivoted = false;
            if low <= filter {
                for j in 0..m {
                    let cij = row[j];
                    if !cij.is_finite() {
                        continue;
                    }
                    let estimate = cij * self.scale + self.pi[i] - self.pi[n + j];
                    if estimate > filter {
                        continue;
                    }
                    format.set_f64(&mut rc, cij);
                    fixed::add_assign(&mut rc, &pi[i * k..i * k + k]);
                    fixed::sub_assign(&mut rc, &pi[(n + j) * k..(n + j) * k + k]);
                    if !fixed::is_negative(&rc) {
                        continue;
                    }
                    self.count_pivot()?;
                    self.exact_pivots += 1;
                    let row_moved = self.pivot(i, j)?;
                    // sigma = -rc if the row's side moved, +rc otherwise.
                    if row_moved {
                        fixed::negate(&mut rc);
                    }
                    for idx in 0..self.moved.len() {
                        let x = self.moved[idx];
                        let px = &mut pi[x * k..x * k + k];
                        fixed::add_assign(px, &rc);
                        self.pi[x] = format.to_f64(px, self.scale_exponent);
                    }
                    filter = bound(&self.pi);
                    pivoted = true;
                    break;
                }
            }
            if pivoted {
                quiet_rows = 0;
            } else {
                quiet_rows += 1;
                i = if i + 1 == n { 0 } else { i + 1 };
            }
        }
        Ok((format, pi))
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

    /// Mass on artificial arcs: the larger of what they bring to the root
    /// and what they take from it.
    fn unplaced(&self) -> f64 {
        let root = self.root();
        let (mut into, mut out) = (0.0f64, 0.0f64);
        let mut x = self.first_child[root];
        while x != NONE {
            if self.pred[x] >= self.n * self.m {
                let f = self.flow[x].abs();
                if self.up[x] == (self.flow[x] >= 0.0) {
                    into += f;
                } else {
                    out += f;
                }
            }
            x = self.next_sibling[x];
        }
        into.max(out)
    }

    /// Basic real arcs with positive flow; a negative basic flow beyond
    /// `tolerance` means the basis is not primal feasible.
    fn plan(&self, tolerance: f64) -> Result<Vec<(usize, usize, f64)>> {
        let mut plan = Vec::new();
        for x in 0..self.n + self.m {
            let arc = self.pred[x];
            if arc >= self.n * self.m {
                continue;
            }
            let f = self.flow[x];
            if f < -tolerance {
                return Err(Error::CertificateFailed {
                    detail: format!("basic flow {f:e} on arc {arc} is negative"),
                });
            }
            if f > 0.0 {
                plan.push((arc / self.m, arc % self.m, f));
            }
        }
        plan.sort_by_key(|&(i, j, _)| (i, j));
        Ok(plan)
    }

    /// Dual potentials free of `M`: each subtree of the root is shifted by
    /// the largest amount, at most its own top's potential, that keeps every
    /// arc between subtrees dual feasible (Dijkstra over the subtrees, with
    /// exact reduced costs as lengths). Returns `(u, v)` rounded to `f64`.
    fn duals(&mut self, exact: (Format, Vec<u64>)) -> Result<(Vec<f64>, Vec<f64>)> {
        let (format, mut pi) = exact;
        let (n, m, k) = (self.n, self.m, format.limbs);
        let root = self.root();
        let mut tops = Vec::new();
        let mut x = self.first_child[root];
        while x != NONE {
            tops.push(x);
            x = self.next_sibling[x];
        }
        let r = tops.len();
        let mut component = vec![0usize; n + m];
        let mut columns_of: Vec<Vec<usize>> = vec![Vec::new(); r];
        let mut members = Vec::new();
        for (c, &top) in tops.iter().enumerate() {
            self.preorder(top, &mut members);
            for &x in &members {
                component[x] = c;
                if x >= n {
                    columns_of[c].push(x - n);
                }
            }
        }
        let mut shift = format.zeros(r);
        for (c, &top) in tops.iter().enumerate() {
            shift[c * k..c * k + k].copy_from_slice(&pi[top * k..top * k + k]);
        }
        if r > 1 {
            let mut done = vec![false; r];
            let mut scratch = format.zeros(1);
            let mut candidate = format.zeros(1);
            for _ in 0..r {
                let mut best = NONE;
                for c in 0..r {
                    if !done[c]
                        && (best == NONE
                            || fixed::less(
                                &shift[c * k..c * k + k],
                                &shift[best * k..best * k + k],
                                &mut scratch,
                            ))
                    {
                        best = c;
                    }
                }
                done[best] = true;
                for &j in &columns_of[best] {
                    let pj = &pi[(n + j) * k..(n + j) * k + k];
                    for i in 0..n {
                        let target = component[i];
                        let cij = self.cost.get(i, j);
                        if done[target] || !cij.is_finite() {
                            continue;
                        }
                        format.set_f64(&mut candidate, cij);
                        fixed::add_assign(&mut candidate, &pi[i * k..i * k + k]);
                        fixed::sub_assign(&mut candidate, pj);
                        if fixed::is_negative(&candidate) {
                            return Err(Error::CertificateFailed {
                                detail: format!("exact reduced cost of arc ({i}, {j}) is negative"),
                            });
                        }
                        fixed::add_assign(&mut candidate, &shift[best * k..best * k + k]);
                        let current = &shift[target * k..target * k + k];
                        if fixed::less(&candidate, current, &mut scratch) {
                            shift[target * k..target * k + k].copy_from_slice(&candidate);
                        }
                    }
                }
            }
        }
        for x in 0..n + m {
            let c = component[x];
            fixed::sub_assign(&mut pi[x * k..x * k + k], &shift[c * k..c * k + k]);
        }
        let u = (0..n)
            .map(|i| -format.to_f64(&pi[i * k..i * k + k], 0))
            .collect();
        let v = (0..m)
            .map(|j| format.to_f64(&pi[(n + j) * k..(n + j) * k + k], 0))
            .collect();
        Ok((u, v))
    }
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

/// `(s, e)` with `s = fl(a + b)` and `a + b = s + e` exactly (Knuth's TwoSum).
#[inline]
pub(crate) fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, if e.is_finite() { e } else { 0.0 })
}

/// `ceil(log2 x)` for `x >= 1`.
fn ceil_log2(x: usize) -> i32 {
    (usize::BITS - (x.max(1) - 1).leading_zeros()) as i32
}
