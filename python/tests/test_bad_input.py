"""Every bad input raises ValueError with the library's message (naming the argument), never
a crash or a number: NaN, infinite, negative, empty, wrong shape, unbalanced, not summing to 1,
lengths that differ, out of range, unreadable."""

import numpy as np
import pytest

import gan_theory as gt

NAN, INF = float("nan"), float("inf")
GOOD = [0.5, 0.5]
M2 = [[0.0, 1.0], [1.0, 0.0]]

# (call, the message's start or a fragment of it)
EMD_CASES = [
    (lambda f: f([0.5, NAN], GOOD, M2), "a: index 1 is NaN"),
    (lambda f: f(GOOD, [INF, 0.5], M2), "b: index 0 is infinite"),
    (lambda f: f([1.5, -0.5], GOOD, M2), "a: index 1 is negative"),
    (lambda f: f(GOOD, [0.5, 0.6], M2), "masses do not balance"),
    (lambda f: f(GOOD, GOOD, [[0.0, NAN], [1.0, 0.0]]), "M: row 0, column 1 is NaN"),
    (lambda f: f(GOOD, GOOD, [[0.0, -1.0], [1.0, 0.0]]), "M: row 0, column 1 is negative"),
    (lambda f: f(GOOD, GOOD, [[0.0, 1.0, 2.0], [1.0, 0.0, 2.0]]), "the cost matrix is 2 x 3"),
    (lambda f: f(GOOD, GOOD, [0.0, 1.0]), "M: expected a 2-D array"),
    (lambda f: f([[0.5, 0.5]], GOOD, M2), "a: expected a 1-D array"),
    (lambda f: f([], [], np.zeros((0, 2))), "a: no entries"),
    (lambda f: f(GOOD, GOOD, [["x", "y"], ["z", "w"]]), "M: cannot be read as real numbers"),
    (lambda f: f(GOOD, [0.5 + 1j, 0.5], M2), "b: cannot be read as real numbers"),
    (lambda f: f(GOOD, [None, 0.5], M2), "b: index 0 is NaN"),  # None reads as NaN
    (lambda f: f(GOOD, [[0.5], [0.5, 0.0]], M2), "b: cannot be read as real numbers"),
    (lambda f: f([1.0, 0.0], GOOD, [[1.0, INF], [INF, 3.0]]), "no feasible transport plan"),
]


@pytest.mark.parametrize("solver", [gt.emd, gt.emd2, gt.emd_certified])
@pytest.mark.parametrize("case, message", EMD_CASES)
def test_transport_refuses(solver, case, message):
    with pytest.raises(ValueError) as e:
        case(solver)
    assert message in str(e.value)


def test_emd_certified_refuses_empty_histograms_and_bad_options():
    with pytest.raises(ValueError, match="a: no entries"):
        gt.emd_certified([], [], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="max_iterations"):
        gt.emd_certified(GOOD, GOOD, M2, max_iterations=-1)
    with pytest.raises(ValueError, match="cap"):
        rng = np.random.default_rng(0)
        gt.emd_certified(np.full(50, 0.02), np.full(50, 0.02), rng.random((50, 50)), max_iterations=1)


W1_CASES = [
    (lambda: gt.wasserstein_distance([], [1.0]), "u_values: no entries"),
    (lambda: gt.wasserstein_distance([1.0], [NAN]), "v_values: index 0 is NaN"),
    (lambda: gt.wasserstein_distance([1.0, INF], [1.0]), "u_values: index 1 is infinite"),
    (lambda: gt.wasserstein_distance([1.0, 2.0], [1.0], [1.0, -1.0]), "u_weights: index 1 is negative"),
    (lambda: gt.wasserstein_distance([1.0, 2.0], [1.0], [1.0]), "u_values and u_weights: lengths differ"),
    (lambda: gt.wasserstein_distance([1.0], [1.0], None, [0.0]), "v_weights: all weights are zero"),
    (lambda: gt.wasserstein_distance([1.0], [1.0], None, [NAN]), "v_weights: index 0 is NaN"),
    (lambda: gt.wasserstein_distance([[1.0]], [1.0]), "u_values: expected a 1-D array"),
]

JS_CASES = [
    (lambda: gt.jensenshannon([1.0, NAN], GOOD), "p: index 1 is NaN"),
    (lambda: gt.jensenshannon(GOOD, [-1.0, 2.0]), "q: index 0 is negative"),
    (lambda: gt.jensenshannon(GOOD, [INF, 2.0]), "q: index 0 is infinite"),
    (lambda: gt.jensenshannon([0.0, 0.0], GOOD), "p: all weights are zero"),
    (lambda: gt.jensenshannon([], []), "p: no entries"),
    (lambda: gt.jensenshannon(GOOD, [1.0, 1.0, 1.0]), "lengths differ: 2 entries against 3"),
    (lambda: gt.jensenshannon(GOOD, GOOD, base=1.0), "parameter base = 1 is invalid"),
    (lambda: gt.jensenshannon(GOOD, GOOD, base=-2.0), "parameter base = -2 is invalid"),
    (lambda: gt.jensenshannon(GOOD, GOOD, base=NAN), "parameter base = NaN is invalid"),
    (lambda: gt.jensenshannon(0.5, 0.5), "p and q must be arrays"),
    (lambda: gt.jensenshannon([GOOD], GOOD), "same number of dimensions"),
    (lambda: gt.jensenshannon([GOOD, GOOD], [[1.0, 2.0, 3.0]] * 2, axis=1), "lengths differ"),
    (lambda: gt.jensenshannon([GOOD, [0.5, NAN]], [GOOD, GOOD], axis=1), "p: index 1 is NaN"),
    (lambda: gt.jensenshannon(GOOD, GOOD, axis=1), "out of bounds"),
]

CRATE_CASES = [
    (lambda: gt.kl([0.5, 0.6], GOOD), "p: entries sum to 1.1"),
    (lambda: gt.js(GOOD, [0.25, 0.25]), "q: entries sum to 0.5"),
    (lambda: gt.tv([1.0, NAN], GOOD), "p: index 1 is NaN"),
    (lambda: gt.chi2(GOOD, [1.5, -0.5]), "q: index 1 is negative"),
    (lambda: gt.hellinger([], []), "p: no entries"),
    (lambda: gt.kl(GOOD, [1.0, 0.0, 0.0]), "lengths differ: 2 entries against 3"),
    (lambda: gt.c_of_g([INF, 0.0], GOOD), "p_data: index 0 is infinite"),
    (lambda: gt.d_star(GOOD, [0.5, 0.4]), "p_g: entries sum to"),
    (lambda: gt.value(GOOD, GOOD, [0.5, 1.5]), "d: index 1 is 1.5, outside [0, 1]"),
    (lambda: gt.value(GOOD, GOOD, [0.5, NAN]), "d: index 1 is NaN"),
    (lambda: gt.value(GOOD, GOOD, [0.5]), "lengths differ"),
    (lambda: gt.js(np.array(GOOD).reshape(2, 1), GOOD), "p: expected a 1-D array"),
    (lambda: gt.verify(-1), "seed"),
    (lambda: gt.verify(1.5), "seed"),
    (lambda: gt.verify(ids=["Z9"]), 'no claim "Z9"'),
]


@pytest.mark.parametrize("case, message", W1_CASES + JS_CASES + CRATE_CASES)
def test_refuses(case, message):
    with pytest.raises(ValueError) as e:
        case()
    assert message in str(e.value)


def test_a_panic_becomes_runtime_error_and_the_interpreter_lives_on():
    # No input is known to make the library panic; this hook panics on purpose, inside the
    # same wrapper (GIL released, catch_unwind) every function goes through.
    from gan_theory import _native

    with pytest.raises(RuntimeError, match="internal error.*on purpose"):
        _native._panic_for_tests("on purpose")
    assert gt.js([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.log(2), rel=1e-15, abs=0)
