"""jensenshannon and wasserstein_distance against scipy's (random instances, fixed seeds), and
scipy's failures on tiny, subnormal and huge entries, where ours must be right."""

import math
import warnings

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon as scipy_js
from scipy.stats import wasserstein_distance as scipy_w1

import gan_theory as gt

# The agreement the issue asks for. Both compute the same sums in float64; scipy's textbook
# form loses a few ulps per term (ln of a quotient, then a difference), ours a few ulps in
# all: relative differences stay near 1e-14 on these inputs, far below this.
REL = 1e-9

# The library's closed forms against a long-double reference: a few ulps per term, summed
# with compensation; 1e-12 leaves three orders of magnitude (the crate's tol::close).
CLOSE = 1e-12

# The smallest positive float64 (a subnormal): the unit in which a JSD that underflows is
# rounded. An exact JSD rounded to the nearest multiple of it, then halved, is within one unit.
TINY = 5e-324

LN2 = math.log(2.0)


@pytest.mark.parametrize("seed", range(20))
def test_jensenshannon_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 2000))
    p, q = rng.random(n), rng.random(n)
    p[rng.random(n) < 0.3] = 0.0  # zeros: KL terms 0 ln 0
    p[0] += 0.5
    base = [None, 2.0, math.e, 10.0][seed % 4]
    ours = gt.jensenshannon(p, q, base)
    assert type(ours) is np.float64
    assert ours == pytest.approx(scipy_js(p, q, base), rel=REL, abs=1e-15)


def test_jensenshannon_scipys_doc_examples():
    assert gt.jensenshannon([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], 2.0) == 1.0
    assert gt.jensenshannon([1.0, 0.0], [0.5, 0.5]) == pytest.approx(0.46450140402245893, rel=1e-15, abs=0)
    assert gt.jensenshannon([1.0, 0.0, 0.0], [1.0, 0.0, 0.0]) == 0.0
    a = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
    b = np.array([[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]])
    for axis in (0, 1, -1):
        for keepdims in (False, True):
            ours = gt.jensenshannon(a, b, axis=axis, keepdims=keepdims)
            theirs = scipy_js(a, b, axis=axis, keepdims=keepdims)
            assert ours.shape == theirs.shape
            np.testing.assert_allclose(ours, theirs, rtol=REL)
    assert gt.jensenshannon([1.0, 0.0], [0.5, 0.5], keepdims=True).shape == (1,)


@pytest.mark.parametrize("p, q", [
    ([5e-324, 0.25, 0.75], [0.0, 0.75, 0.25]),
    ([0.25, 5e-324, 0.75], [0.75, 0.0, 0.25]),
    ([0.5, 0.5, 5e-324, 5e-324], [0.5, 0.5, 0.0, 0.0]),
])
def test_jensenshannon_finite_where_scipy_returns_inf(p, q):
    # A subnormal entry against 0: scipy's m = (p + q)/2 underflows to 0 and rel_entr(p, 0)
    # is inf, so one entry of mass 5e-324 turns a distance of order 0.3 into inf. The true
    # distance is that of the other entries (the subnormal ones add at most 2 * 5e-324 ln 2
    # to the JSD), which scipy computes correctly once they are dropped.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert scipy_js(p, q) == np.inf
    keep = [i for i, x in enumerate(p) if x != 5e-324]
    expected = scipy_js(np.array(p)[keep], np.array(q)[keep])
    ours = gt.jensenshannon(p, q)
    assert math.isfinite(ours)
    assert ours == pytest.approx(expected, rel=REL, abs=1e-15)


@pytest.mark.parametrize("p, q, jsd", [
    # JSD = (1/2) sum of x ln 2 over entries with mass on one side only: here 1/2 5e-324 ln 2.
    ([5e-324, 1.0], [0.0, 1.0], 0.5 * 5e-324 * math.log(2)),
    ([5e-324, 0.5, 0.5], [0.0, 0.5, 0.5], 0.5 * 5e-324 * math.log(2)),
    ([1e-320, 1.0], [0.0, 1.0], 0.5 * 1e-320 * math.log(2)),
])
def test_jensenshannon_tiny_divergences(p, q, jsd):
    # scipy returns inf for the first two; ours is finite, and its JSD (the square of the
    # distance) is the exact value rounded to the subnormal grid, so within a unit of it.
    ours = gt.jensenshannon(p, q)
    assert math.isfinite(ours)
    assert abs(ours**2 - jsd) <= TINY
    assert abs(gt.js(p, q) - jsd) <= TINY


def test_jensenshannon_right_where_scipys_normalisation_overflows():
    # scipy divides by sum(p) = inf and gets p = 0: a silent wrong number (0.5887...).
    # p is (1/2, 1/2) and q is (1, 0), whose distance is scipy's on the normalised inputs.
    expected = scipy_js([0.5, 0.5], [1.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert scipy_js([1e308, 1e308], [1e308, 0.0]) != pytest.approx(expected, rel=1e-3, abs=0)
    assert gt.jensenshannon([1e308, 1e308], [1e308, 0.0]) == pytest.approx(expected, rel=1e-15, abs=0)


@pytest.mark.parametrize("seed", range(20))
def test_wasserstein_distance_equals_scipy(seed):
    rng = np.random.default_rng(100 + seed)
    n, m = int(rng.integers(1, 3000)), int(rng.integers(1, 3000))
    u, v = rng.normal(size=n), rng.normal(0.5, 2.0, size=m)
    if seed % 3 == 1:  # ties
        u, v = np.round(u, 1), np.round(v, 1)
    uw = rng.random(n) if seed % 2 else None
    vw = rng.random(m) if seed % 4 == 1 else None
    ours = gt.wasserstein_distance(u, v, uw, vw)
    assert type(ours) is np.float64
    assert ours == pytest.approx(scipy_w1(u, v, uw, vw), rel=REL, abs=1e-15)


def test_wasserstein_distance_scipys_doc_examples():
    assert gt.wasserstein_distance([0, 1, 3], [5, 6, 8]) == pytest.approx(5.0, rel=1e-15, abs=0)
    assert gt.wasserstein_distance([0, 1], [0, 1], [3, 1], [2, 2]) == pytest.approx(0.25, rel=1e-15, abs=0)
    assert gt.wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2],
                                   [3.2, 3.5]) == pytest.approx(4.0781331438047861, rel=1e-14, abs=0)


def test_wasserstein_distance_strided_input():
    rng = np.random.default_rng(7)
    u, v = rng.normal(size=(2, 1000))
    assert gt.wasserstein_distance(u[::2], v[::-1]) == pytest.approx(scipy_w1(u[::2], v[::-1]), rel=REL, abs=0)


# From 2^16 entries jensenshannon sums K pieces on two threads, through the exact identity
# JSD(p || q) = sum_k JSD(h_k) - sum_k JSD(c_k) + JSD(C) (python/src/halves.rs). Each term is
# within a few ulps of its exact value and at most JSD(p || q), so the two paths differ by a
# few ulps of K JSD (K <= 3 here: under 100 ulps = 2.2e-14); 1e-12 is ample. The inputs are integer counts whose totals
# are powers of 2, so that both paths normalise them exactly and only the identity is tested
# (the JSD of nearly equal distributions moves by 1e-9 relative with the last bit of a total).
HALVES_REL = 1e-12


def counts_with_total_power_of_2(w, at=-1):
    """Integer weights, entry `at` raised so that the total is a power of 2 (exact sums)."""
    total = 2.0 ** math.ceil(math.log2(w.sum() + 1))
    w[at] += total - w.sum()
    return w, total


@pytest.mark.parametrize("n", [2**16, 2**16 + 1, 100_003, 2**18, 2**21 + 3])
@pytest.mark.parametrize("kind", ["random", "zeros", "subnormal", "nearly equal", "disjoint"])
def test_jensenshannon_on_two_threads_equals_one_thread(n, kind):
    rng = np.random.default_rng(n)
    p, q = rng.integers(1, 2**20, n).astype(float), rng.integers(1, 2**20, n).astype(float)
    if kind == "zeros":
        p[rng.random(n) < 0.3] = 0.0
        q[rng.random(n) < 0.3] = 0.0
    elif kind == "nearly equal":
        q = p + rng.integers(-1, 2, n)
    elif kind == "disjoint":
        p[n // 3:] = 0.0
        q[: n // 3] = 0.0
    tiny = rng.random(n) < 0.01
    tiny[0] = tiny[-1] = False
    if kind == "subnormal":
        p[tiny] = q[tiny] = 0.0
    p, tp = counts_with_total_power_of_2(p, at=0)
    q, tq = counts_with_total_power_of_2(q)
    if kind == "subnormal":  # entries that normalise to 5e-324, against zeros: below the
        p[tiny] = tp * 5e-324  # last bit of the total, which stays tp
    assert p.sum() == tp and q.sum() == tq
    ours = gt.jensenshannon(p, q)
    assert ours == pytest.approx(math.sqrt(gt.js(p / tp, q / tq)), rel=HALVES_REL, abs=0)
    if kind == "disjoint":
        assert ours == math.sqrt(LN2)
    if kind in ("random", "zeros", "disjoint"):  # well conditioned, and no underflow in m
        assert ours == pytest.approx(scipy_js(p, q), rel=REL, abs=0)


# The JSD of q = p (1 + 1e-9 noise) hangs on the last bits of p - q: rounding each entry of
# the normalised inputs once (1.1e-16 relative) moves the JSD by at most 2 sqrt(JSD E), E the
# JSD-weighted energy of the roundings (E <= eps^2/8 = 6e-33), that is by 4.4e-7 of a JSD of
# 1.2e-19 here; jensenshannon normalises (as scipy does), so it is held to 1e-6.
NORMALISATION_SENSITIVITY = 1e-6


@pytest.mark.parametrize("n", [1000, 2**16])
def test_jensenshannon_right_where_scipy_cancels_on_nearly_equal_inputs(n):
    # scipy's rel_entr(p, m) + rel_entr(q, m) cancels to first order, leaving the rounding of
    # m = (p + q)/2 as large as the JSD itself (40% off, or a negative sum and NaN). The
    # reference is the JSD of the given vectors from the series
    # t = (s/2) tau^2 (1 + tau^2/6 + tau^4/15 + ...), tau = (x - y)/(x + y), without
    # cancellation (x - y exact in float64, the rest in long double); |tau| < 1e-8, so the
    # next term, tau^6/28, is below 1e-49 of the first. js (validated, not normalising) is
    # held to CLOSE, jensenshannon (normalising) to NORMALISATION_SENSITIVITY.
    rng = np.random.default_rng(n)
    p = rng.random(n)
    q = p * (1 + 1e-9 * rng.standard_normal(n))
    p, q = p / p.sum(), q / q.sum()
    x, y = p.astype(np.longdouble), q.astype(np.longdouble)
    s, tau = x + y, (p - q).astype(np.longdouble) / (x + y)
    t2 = tau * tau
    jsd = float((s / 2 * t2 * (1 + t2 / 6 + t2 * t2 / 15)).sum() / 2)
    assert gt.js(p, q) == pytest.approx(jsd, rel=CLOSE, abs=0)
    assert gt.jensenshannon(p, q) ** 2 == pytest.approx(jsd, rel=NORMALISATION_SENSITIVITY, abs=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = scipy_js(p, q)
    assert not theirs**2 == pytest.approx(jsd, rel=0.01, abs=0)
    print(f"nearly equal, n = {n}: JSD {jsd!r}, ours {gt.js(p, q)!r}, scipy's {theirs**2!r}")


def test_jensenshannon_long_bad_input_names_the_entry():
    p, q = np.full(100_000, 1.0), np.full(100_000, 2.0)
    p[70_000] = np.nan
    with pytest.raises(ValueError, match="p: index 70000 is NaN"):
        gt.jensenshannon(p, q)
    p[70_000], q[99_999] = 1.0, -1.0
    with pytest.raises(ValueError, match="q: index 99999 is negative"):
        gt.jensenshannon(p, q)


def test_jensenshannon_long_input_whose_total_overflows():
    # The total of p overflows: the library's normalisation scales by the largest entry.
    p, q = np.full(100_000, 1e308), np.ones(100_000)
    q[0] = 3.0
    expected = math.sqrt(gt.js(np.full(100_000, 1e-5), q / q.sum()))
    assert gt.jensenshannon(p, q) == pytest.approx(expected, rel=HALVES_REL, abs=0)
