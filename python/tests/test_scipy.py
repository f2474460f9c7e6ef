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

# The smallest positive float64 (a subnormal): the unit in which a JSD that underflows is
# rounded. An exact JSD rounded to the nearest multiple of it, then halved, is within one unit.
TINY = 5e-324


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
    assert gt.jensenshannon([1.0, 0.0], [0.5, 0.5]) == pytest.approx(0.46450140402245893, rel=1e-15)
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
        assert scipy_js([1e308, 1e308], [1e308, 0.0]) != pytest.approx(expected, rel=1e-3)
    assert gt.jensenshannon([1e308, 1e308], [1e308, 0.0]) == pytest.approx(expected, rel=1e-15)


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
    assert gt.wasserstein_distance([0, 1, 3], [5, 6, 8]) == pytest.approx(5.0, rel=1e-15)
    assert gt.wasserstein_distance([0, 1], [0, 1], [3, 1], [2, 2]) == pytest.approx(0.25, rel=1e-15)
    assert gt.wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2],
                                   [3.2, 3.5]) == pytest.approx(4.0781331438047861, rel=1e-14)


def test_wasserstein_distance_strided_input():
    rng = np.random.default_rng(7)
    u, v = rng.normal(size=(2, 1000))
    assert gt.wasserstein_distance(u[::2], v[::-1]) == pytest.approx(scipy_w1(u[::2], v[::-1]), rel=REL)
