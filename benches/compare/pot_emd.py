#!/usr/bin/env python3
"""POT's exact EMD (`ot.emd2`, Bonneel's network simplex) against ours: correctness.

The timing side by side is `benches/compare/compare.py` (which takes
`bench_instance` from here: the configuration of `cargo bench --bench
transport -- emd`, n points uniform in the unit square on each side, random
masses normalised to 1, Euclidean cost; numpy draws, not the bench's exact
draws, as the solve time depends on the configuration, not the draw).

Two modes:

  check  (default) writes random instances (with zero masses, ties, rectangles) as
         text, runs `gan-theory emd --p P --q Q --cost C --json`, and compares
         our cost with `ot.emd2` to 1e-9 relative; checks our duals
         (u_i + v_j <= C_ij, sum p u + sum q v = cost).
  wide   the wide-range family: costs in [1e-3, 1] or in [1e32, 2e32], plus
         a random permutation of cheap arcs. Where a plan on cheap arcs
         exists, the optimum uses no 1e32 arc (moving mass w along a cheap
         path costs at most 2 n w, far less than 1e32 w), so replacing 1e32
         by 1e3 leaves the optimum unchanged and makes a well-scaled
         problem: POT and HiGHS agree on it, and it is the reference. On the
         original matrix POT is compared with it, HiGHS
         (scipy.optimize.linprog) too, and ours.

Setup (the venv is not part of the build; CI never runs this):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy scipy pot
    cargo build --release
    /tmp/venv/bin/python benches/compare/pot_emd.py [check|wide]
"""
import json, os, subprocess, sys, tempfile, warnings

import numpy as np
import ot

BIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "release", "gan-theory")
REL = 1e-9  # the agreement the issue asks for (relative)


def bench_instance(rng, n):
    xp, xq = rng.random((n, 2)), rng.random((n, 2))
    p, q = rng.random(n), rng.random(n)
    return p / p.sum(), q / q.sum(), ot.dist(xp, xq, metric="euclidean")


def write(path, array):
    np.savetxt(path, np.atleast_2d(array) if array.ndim == 2 else array[None, :], fmt="%.17g")


def ours(p, q, c):
    with tempfile.TemporaryDirectory() as d:
        paths = [os.path.join(d, name) for name in ("p.txt", "q.txt", "c.txt")]
        write(paths[0], p)
        write(paths[1], q)
        write(paths[2], c)
        out = subprocess.run([BIN, "emd", "--p", paths[0], "--q", paths[1], "--cost", paths[2], "--json"],
                             capture_output=True, text=True)
        if out.returncode != 0:
            return None, out.stderr.strip()
        return json.loads(out.stdout), None


def pot(p, q, c):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(ot.emd2(p, q, c, numItermax=10**9))


def check():
    rng = np.random.default_rng(7)
    worst, failures = 0.0, 0
    for case in range(60):
        n, m = int(rng.integers(1, 60)), int(rng.integers(1, 60))
        p, q = rng.random(n), rng.random(m)
        p[rng.random(n) < 0.2] = 0.0
        q[rng.random(m) < 0.2] = 0.0
        p[0], q[0] = p[0] + 0.1, q[0] + 0.1
        p, q = p / p.sum(), q / q.sum()
        q = q * (p.sum() / q.sum())
        c = rng.random((n, m)) if case % 3 else rng.integers(0, 3, (n, m)).astype(float)  # ties
        reference = pot(p, q, c)
        answer, error = ours(p, q, c)
        if answer is None:
            print(f"case {case}: ours failed: {error}")
            failures += 1
            continue
        rel = abs(answer["cost"] - reference) / max(abs(reference), 1e-300)
        u, v = np.array(answer["u"]), np.array(answer["v"])
        violation = np.max(u[:, None] + v[None, :] - c)
        dual = p @ u + q @ v
        worst = max(worst, rel)
        if rel > REL and abs(answer["cost"] - reference) > 1e-15:
            print(f"case {case} ({n} x {m}): ours {answer['cost']!r} POT {reference!r}")
            failures += 1
        if violation > 1e-14 or abs(dual - answer["cost"]) > 1e-14:
            print(f"case {case}: dual violation {violation:e}, gap {dual - answer['cost']:e}")
            failures += 1
    print(f"check: 60 instances, worst relative difference from POT {worst:.2e}, failures {failures}")
    return failures


def highs(p, q, c):
    from scipy.optimize import linprog
    n, m = c.shape
    rows = np.kron(np.eye(n), np.ones((1, m)))
    cols = np.kron(np.ones((1, n)), np.eye(m))
    res = linprog(c.ravel(), A_eq=np.vstack([rows, cols]), b_eq=np.concatenate([p, q]),
                  bounds=(0, None), method="highs")
    return float(res.fun) if res.status == 0 else None


def wide_instance(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 12))
    c = np.where(rng.random((n, n)) < 0.5, 1e32 * (1 + rng.random((n, n))), 1e-3 + rng.random((n, n)))
    perm = rng.permutation(n)
    for i in range(n):
        c[i, perm[i]] = 1e-3 + rng.random()
    p, q = rng.random(n), rng.random(n)
    return p / p.sum(), q / q.sum(), c


def wide(seeds=range(100)):
    counts = dict(instances=0, pot_wrong=0, highs_wrong=0, highs_failed=0, ours_wrong=0)
    for seed in seeds:
        p, q, c = wide_instance(seed)
        moderate = np.where(c > 1e31, 1e3, c)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plan = ot.emd(p, q, moderate, numItermax=10**9)
        if plan[moderate >= 1e3].sum() > 0:
            continue  # no plan on cheap arcs: the reference argument does not apply
        reference = pot(p, q, moderate)
        check_highs = highs(p, q, moderate)
        assert check_highs is not None and abs(check_highs - reference) <= REL * reference
        counts["instances"] += 1
        got_pot = pot(p, q, c)
        got_highs = highs(p, q, c)
        answer, error = ours(p, q, c)
        bad = lambda x: x is None or abs(x - reference) > REL * reference
        counts["pot_wrong"] += bad(got_pot)
        if got_highs is None:
            counts["highs_failed"] += 1
        else:
            counts["highs_wrong"] += bad(got_highs)
        counts["ours_wrong"] += bad(None if answer is None else answer["cost"])
        if seed == 1 or bad(None if answer is None else answer["cost"]):
            print(f"seed {seed} (n = {len(p)}): reference {reference!r}, POT {got_pot!r}, "
                  f"HiGHS {got_highs!r}, ours {answer['cost'] if answer else error!r}")
    print("wide:", counts)
    return counts["ours_wrong"]


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "check"
    if mode == "check":
        sys.exit(1 if check() else 0)
    elif mode == "wide":
        sys.exit(1 if wide() else 0)
    else:
        sys.exit(f"unknown mode {mode!r}: check or wide (timing: compare.py)")
