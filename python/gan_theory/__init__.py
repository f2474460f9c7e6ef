r"""gan_theory: the exact estimators of the gan-theory crate, from Python.

Drop-in replacements (same arguments, defaults and return types as the function they
replace; where the semantics differ, the docstring says so):

- :func:`emd`, :func:`emd2` for POT's ``ot.emd``, ``ot.emd2``: the exact Earth Mover
  distance, by a network simplex whose flows are exact and whose reduced costs are checked
  in exact arithmetic, so it stays optimal when the costs span many orders of magnitude
  (POT's issue 229), and whose answer is certified (primal feasible, dual feasible, zero gap)
  before it is returned;
- :func:`wasserstein_distance` for ``scipy.stats.wasserstein_distance`` (W1 on the line);
- :func:`jensenshannon` for ``scipy.spatial.distance.jensenshannon``, exact on tiny and
  subnormal entries where scipy returns inf or NaN.

The crate's own API, which validates and never normalises silently: :func:`emd_certified`
(cost, sparse plan, duals and certificate), :func:`kl`, :func:`js`, :func:`tv`,
:func:`chi2`, :func:`hellinger`, :func:`d_star`, :func:`value`, :func:`c_of_g`, and
:func:`verify`, which runs every claim of the crate and returns its measurements.

Every function converts its inputs with ``numpy.asarray(x, dtype=float64)`` (float64 arrays
are read in place, without a copy, when contiguous; the cost matrix ``M`` is copied once, into
the solver's own matrix, as are the distributions of the validated API), computes with the GIL
released, and raises ``ValueError`` with the library's message, naming the argument, for bad
input: NaN, infinite or negative entries, empty inputs, wrong shapes, masses that do not
balance, probability vectors that do not sum to 1. It never returns a number for such input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple, TypedDict, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _native

__version__: str = _native.__version__

__all__ = [
    "Certificate",
    "Measurement",
    "Transport",
    "c_of_g",
    "chi2",
    "d_star",
    "emd",
    "emd2",
    "emd_certified",
    "hellinger",
    "jensenshannon",
    "js",
    "kl",
    "tv",
    "value",
    "verify",
    "wasserstein_distance",
]

# numpy dtype kinds read as real numbers: bool, signed and unsigned integers, floats.
_REAL_KINDS = "biuf"


def _real_array(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """``x`` as a float64 array (no copy when it already is one); ValueError otherwise."""
    try:
        array = np.asarray(x)
        if array.dtype.kind not in _REAL_KINDS and array.dtype.kind != "O":
            raise ValueError(f"expected real numbers, got dtype {array.dtype}")
        return np.asarray(array, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name}: cannot be read as real numbers ({e})") from None


def _vector(x: ArrayLike, name: str) -> NDArray[np.float64]:
    array = _real_array(x, name)
    if array.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {array.shape}")
    return array


def _matrix(x: ArrayLike, name: str) -> NDArray[np.float64]:
    array = _real_array(x, name)
    if array.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D array, got shape {array.shape}")
    return array


# --------------------------------------------------------------------------------------
# Optimal transport
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Certificate:
    r"""The re-check of an optimal transport answer, from scratch (the crate's ``Certificate``).

    A plan :math:`x` and potentials :math:`(u, v)` prove each other optimal when

    1. :math:`x` is primal feasible: :math:`x \ge 0`, :math:`\sum_j x_{ij} = a_i`,
       :math:`\sum_i x_{ij} = b_j`, no mass on a forbidden (``+inf``) arc;
    2. :math:`(u, v)` is dual feasible: :math:`u_i + v_j \le M_{ij}` on every finite arc;
    3. the gap is zero: :math:`\sum_{ij} x_{ij} M_{ij} = \sum_i a_i u_i + \sum_j b_j v_j`.

    Each is checked in floating point with a tolerance relative to the problem's own scales
    (a few ulps; see the crate's ``transport::certificate``). ``passed`` is always True on a
    returned answer: a failing one raises instead.
    """

    mass_total: float
    """max(sum a, sum b): the scale of the marginal errors."""
    max_marginal_error: float
    """max over rows and columns of |row sum - a_i|, |column sum - b_j|."""
    marginal_tolerance: float
    """16 (n + m) eps mass_total."""
    max_dual_violation: float
    """max(u_i + v_j - M_ij, 0) over finite arcs."""
    dual_violation_ratio: float
    """The largest ratio of an arc's violation to its allowance (at most 1 passes)."""
    primal_cost: float
    """sum_ij x_ij M_ij (compensated)."""
    dual_objective: float
    """sum_i a_i u_i + sum_j b_j v_j (compensated)."""
    gap: float
    """|primal_cost - dual_objective|."""
    gap_tolerance: float
    """The allowed gap (a few ulps of the problem's scale)."""
    passed: bool
    """All three checks hold."""


@dataclass(frozen=True, eq=False)
class Transport:
    r"""An optimal transport plan with its cost, dual potentials and certificate.

    The plan is sparse: mass ``masses[k]`` moves from row ``rows[k]`` to column ``cols[k]``
    (at most n + m - 1 entries, sorted by row then column); :meth:`dense_plan` gives the
    n x m matrix. ``u`` and ``v`` satisfy :math:`u_i + v_j \le M_{ij}` on every finite arc,
    with equality where mass moves, and :math:`\sum_i a_i u_i + \sum_j b_j v_j` equals
    ``cost`` (strong duality). With a metric cost, :math:`f(x) = \min_j (d(x, y_j) - v_j)`
    is a 1-Lipschitz Kantorovich-Rubinstein potential of W1.
    """

    cost: float
    """sum_ij x_ij M_ij, the optimal cost."""
    rows: NDArray[np.int64]
    """Row index of each plan entry."""
    cols: NDArray[np.int64]
    """Column index of each plan entry."""
    masses: NDArray[np.float64]
    """Mass of each plan entry (positive)."""
    u: NDArray[np.float64]
    """Row potentials."""
    v: NDArray[np.float64]
    """Column potentials."""
    certificate: Certificate
    """The check of this answer (it passed)."""
    pivots: int
    """Pivots of the network simplex in floating point."""
    exact_pivots: int
    """Pivots in exact arithmetic (usually 0: floating point was right)."""
    shape: Tuple[int, int]
    """(n, m): the shape of the cost matrix."""

    def dense_plan(self) -> NDArray[np.float64]:
        """The plan as a dense ``shape`` matrix (mostly zeros)."""
        plan = np.zeros(self.shape)
        plan[self.rows, self.cols] = self.masses
        return plan


def _solve(
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    M: NDArray[np.float64],
    *,
    normalize: bool = False,
    max_iterations: Optional[int] = None,
    dense: bool = False,
) -> Dict[str, Any]:
    return _native.emd(a, b, M, normalize, max_iterations, dense)


def _pot_histograms(
    a: ArrayLike, b: ArrayLike, M: ArrayLike, check_marginals: bool
) -> Tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """POT's argument handling: an empty a or b is uniform; without check_marginals, b is
    rescaled to a's total as POT does. Everything else is validated by the library."""
    costs = _matrix(M, "M")
    n, m = costs.shape
    rows = _vector(a, "a")
    cols = _vector(b, "b")
    if len(rows) == 0 and n > 0:
        rows = np.full(n, 1.0 / n)
    if len(cols) == 0 and m > 0:
        cols = np.full(m, 1.0 / m)
    if not check_marginals:
        with np.errstate(all="ignore"):
            total_a, total_b = rows.sum(), cols.sum()
            if np.isfinite(total_a) and np.isfinite(total_b) and total_b > 0:
                cols = cols * (total_a / total_b)
    return rows, cols, costs


def _centered(
    u: NDArray[np.float64], v: NDArray[np.float64], a: NDArray[np.float64], b: NDArray[np.float64]
) -> Tuple[NDArray[np.float64], NDArray[np.float64]]:
    """POT's ``center_ot_dual``: u + c, v - c with c = (b.v - a.u) / (sum a + sum b)."""
    c = (b @ v - a @ u) / (a.sum() + b.sum())
    return u + c, v - c


def _pot_log(
    solved: Dict[str, Any], a: NDArray[np.float64], b: NDArray[np.float64], center_dual: bool
) -> Dict[str, Any]:
    u, v = solved["u"], solved["v"]
    if center_dual:
        u, v = _centered(u, v, a, b)
    return {"cost": solved["cost"], "u": u, "v": v, "warning": None, "result_code": 1}


def emd(
    a: ArrayLike,
    b: ArrayLike,
    M: ArrayLike,
    numItermax: int = 100000,
    log: bool = False,
    center_dual: bool = True,
    numThreads: Union[int, str] = 1,
    check_marginals: bool = True,
    potentials_init: Optional[Tuple[ArrayLike, ArrayLike]] = None,
) -> Union[NDArray[np.float64], Tuple[NDArray[np.float64], Dict[str, Any]]]:
    r"""The optimal transport plan, exactly: a drop-in for POT's ``ot.emd``.

    .. math::
        \gamma^\star = \arg\min_{\gamma \ge 0} \sum_{ij} \gamma_{ij} M_{ij}
        \quad\text{s.t.}\quad \gamma \mathbf 1 = a,\ \gamma^T \mathbf 1 = b.

    Parameters
    ----------
    a : (ns,) array-like
        Source histogram (uniform if an empty list, as in POT).
    b : (nt,) array-like
        Target histogram (uniform if an empty list, as in POT).
    M : (ns, nt) array-like
        Cost matrix, entries in [0, +inf]; ``+inf`` forbids an arc.
    numItermax : int, default 100000
        Accepted for compatibility, not used: the solver's own pivot cap,
        1e6 + 1000 (ns + nt), applies, and reaching it raises ValueError.
    log : bool, default False
        If True, also return a dict with ``cost``, the duals ``u`` and ``v``,
        ``warning`` (None) and ``result_code`` (1, optimal), as POT does.
    center_dual : bool, default True
        If True, shift the duals as POT's ``center_ot_dual`` does
        (``u + c``, ``v - c`` with :math:`c = (b^T v - a^T u) / (\sum a + \sum b)`).
    numThreads : int or "max", default 1
        Accepted for compatibility, ignored (as in POT, whose solver no longer threads).
    check_marginals : bool, default True
        If False, ``b`` is first rescaled to the total of ``a``, as POT does.
    potentials_init : tuple, optional
        Accepted for compatibility, ignored (a warm start changes the time, not the answer).

    Returns
    -------
    gamma : (ns, nt) ndarray of float64
        The optimal plan (a basic solution: at most ns + nt - 1 positive entries).
    log : dict
        Only if ``log`` is True.

    Differences from POT
    --------------------
    - The answer is optimal in exact arithmetic and certified (primal and dual feasible,
      zero gap) before it is returned; POT prices in floating point and returns a
      sub-optimal plan when the costs span many orders of magnitude (on the 5 x 5 instance
      of POT's issue 229, costs from 1.5e-3 to 1e32, POT 0.9.7 returns 88.509 where the
      optimum is 57.543), or warns and returns a partial answer when its iteration cap is
      reached. Here a failure raises ValueError; no returned plan is sub-optimal.
    - Masses whose totals differ by more than 4 ulps per entry raise ValueError; POT accepts
      totals that agree to 6 decimals and silently rescales ``b`` to the total of ``a``.
      Normalise them yourself (``b = b / b.sum() * a.sum()``) if that is what you mean.
    - NaN, infinite or negative masses, NaN or negative costs, wrong shapes and empty inputs
      raise ValueError naming the argument and the entry.
    - One problem at a time (``b`` is 1-D), numpy arrays only, the plan always float64.
    """
    rows, cols, costs = _pot_histograms(a, b, M, check_marginals)
    solved = _solve(rows, cols, costs, dense=True)
    plan: NDArray[np.float64] = solved["plan"]
    if log:
        return plan, _pot_log(solved, rows, cols, center_dual)
    return plan


def emd2(
    a: ArrayLike,
    b: ArrayLike,
    M: ArrayLike,
    processes: int = 1,
    numItermax: int = 100000,
    log: bool = False,
    return_matrix: bool = False,
    center_dual: bool = True,
    numThreads: Union[int, str] = 1,
    check_marginals: bool = True,
    potentials_init: Optional[Tuple[ArrayLike, ArrayLike]] = None,
) -> Union[float, List[Any]]:
    r"""The exact Earth Mover distance: a drop-in for POT's ``ot.emd2``.

    .. math::
        W_M(a, b) = \min_{\gamma \ge 0,\ \gamma \mathbf 1 = a,\ \gamma^T \mathbf 1 = b}
        \sum_{ij} \gamma_{ij} M_{ij},

    which is W1 when M holds the distances between the points of the two distributions.

    Parameters are those of :func:`emd`, plus ``processes`` (accepted, ignored, as in POT)
    and ``return_matrix`` (if True, the log holds the plan as ``"G"``).

    Returns
    -------
    cost : float
        The optimal cost, computed as :math:`\sum_{ij} \gamma_{ij} M_{ij}` with compensated
        products and sums.
    [cost, log] : list
        If ``log`` or ``return_matrix`` is True, as POT returns.

    Differences from POT: see :func:`emd` (exact and certified, unbalanced masses refused
    rather than rescaled, bad input raises ValueError, ``b`` is 1-D).
    """
    rows, cols, costs = _pot_histograms(a, b, M, check_marginals)
    solved = _solve(rows, cols, costs, dense=return_matrix)
    cost = float(solved["cost"])
    if log or return_matrix:
        out = _pot_log(solved, rows, cols, center_dual)
        if return_matrix:
            out["G"] = solved["plan"]
        return [cost, out]
    return cost


def emd_certified(
    a: ArrayLike,
    b: ArrayLike,
    M: ArrayLike,
    *,
    normalize: bool = False,
    max_iterations: Optional[int] = None,
) -> Transport:
    r"""The exact Earth Mover distance with its sparse plan, duals and certificate.

    Solves

    .. math::
        \min_{x \ge 0} \sum_{ij} M_{ij} x_{ij} \quad\text{s.t.}\quad
        \sum_j x_{ij} = a_i,\ \sum_i x_{ij} = b_j

    and its dual :math:`\max_{u, v} \sum_i a_i u_i + \sum_j b_j v_j` subject to
    :math:`u_i + v_j \le M_{ij}` on every finite arc. The plan is optimal in exact
    arithmetic for the given data (flows are exact fixed-point integers; reduced costs are
    re-checked exactly), whatever the spread of the costs (``1e-3`` next to ``1e32``) or of
    the masses (subnormal, zero); the answer is certified before it is returned.

    Parameters
    ----------
    a : (n,) array-like
        Masses of the rows: finite, non-negative, not empty.
    b : (m,) array-like
        Masses of the columns, with the same total as ``a`` within 4 ulps per entry.
    M : (n, m) array-like
        Costs in [0, +inf]; ``+inf`` forbids an arc.
    normalize : bool, default False
        Divide ``a`` and ``b`` by their totals first (then they need not balance); the plan,
        cost and certificate refer to the normalised masses.
    max_iterations : int, optional
        Pivot cap (default 1e6 + 1000 (n + m)); reaching it raises ValueError.

    Returns
    -------
    Transport
        ``cost``, the plan as ``rows``, ``cols``, ``masses``, the duals ``u`` and ``v``,
        the ``certificate``, and the pivot counts.

    Raises
    ------
    ValueError
        For bad input (the library's message, naming the argument), unbalanced masses, no
        feasible plan (mass that can only move along forbidden arcs), or the pivot cap.
    """
    a = _vector(a, "a")
    b = _vector(b, "b")
    M = _matrix(M, "M")
    if max_iterations is not None and (not isinstance(max_iterations, (int, np.integer)) or max_iterations < 0):
        raise ValueError(f"max_iterations: expected a non-negative integer, got {max_iterations!r}")
    solved = _solve(a, b, M, normalize=normalize, max_iterations=max_iterations)
    return Transport(
        cost=float(solved["cost"]),
        rows=solved["rows"],
        cols=solved["cols"],
        masses=solved["masses"],
        u=solved["u"],
        v=solved["v"],
        certificate=Certificate(**solved["certificate"]),
        pivots=int(solved["pivots"]),
        exact_pivots=int(solved["exact_pivots"]),
        shape=(int(M.shape[0]), int(M.shape[1])),
    )


def wasserstein_distance(
    u_values: ArrayLike,
    v_values: ArrayLike,
    u_weights: Optional[ArrayLike] = None,
    v_weights: Optional[ArrayLike] = None,
) -> np.float64:
    r"""W1 between two distributions on the line: a drop-in for
    ``scipy.stats.wasserstein_distance``.

    .. math::
        W_1(u, v) = \int_{-\infty}^{+\infty} \lvert F_u(x) - F_v(x) \rvert \, dx,

    with :math:`F_u` the CDF of the sample ``u_values``, each value weighted by its weight
    divided by the sum of the weights (``1/n`` without weights), as scipy does. Computed
    after an O(n) radix sort of the values, with the exact integer CDF difference between
    unweighted samples; from 65536 values the two samples are sorted on two threads.

    Returns
    -------
    numpy.float64
        As scipy.

    Differences from scipy: NaN or infinite values, and NaN, infinite or negative weights,
    raise ValueError (scipy returns NaN for NaN values); so do empty samples, weights of
    another length, and weights that are all zero (as scipy does).
    """
    u = _vector(u_values, "u_values")
    v = _vector(v_values, "v_values")
    uw = None if u_weights is None else _vector(u_weights, "u_weights")
    vw = None if v_weights is None else _vector(v_weights, "v_weights")
    return np.float64(_native.w1_samples(u, v, uw, vw))


def jensenshannon(
    p: ArrayLike,
    q: ArrayLike,
    base: Optional[float] = None,
    *,
    axis: int = 0,
    keepdims: bool = False,
) -> Union[np.float64, NDArray[np.float64]]:
    r"""The Jensen-Shannon distance: a drop-in for ``scipy.spatial.distance.jensenshannon``.

    .. math::
        \sqrt{\frac{\mathrm{JSD}(p \Vert q)}{\ln \mathrm{base}}}, \qquad
        \mathrm{JSD}(p \Vert q) = \tfrac12 \mathrm{KL}(p \Vert m) + \tfrac12 \mathrm{KL}(q \Vert m),
        \quad m = \tfrac12 (p + q),

    in nats without ``base``. As scipy documents, ``p`` and ``q`` are first normalised to
    sum 1 (along ``axis``), so weights or counts are fine. Each term is computed as
    :math:`x \ln\frac{2}{1+r} + y \ln\frac{2r}{1+r}` with :math:`r = y/x \le 1` (a series
    where x and y nearly agree), which is never negative and stays exact for tiny and
    subnormal entries, where scipy's form through :math:`m` underflows and returns inf
    (for example ``p = [5e-324, 0.25, 0.75]``, ``q = [0, 0.75, 0.25]``, whose distance is
    0.3617...), and accurate for nearly equal inputs, where scipy's two sums cancel and it
    returns noise or NaN. From 65536 entries the sum runs on two threads, over pieces
    :math:`S_k` of the points, through the exact identity
    :math:`\mathrm{JSD}(p \Vert q) = \sum_k \mathrm{JSD}(h_k) - \sum_k \mathrm{JSD}(c_k)
    + \mathrm{JSD}(C)`, with :math:`h_k` the points of :math:`S_k` plus one point holding the
    mass of the others, :math:`c_k` the two masses of :math:`S_k` and of the others, and
    :math:`C` the masses of the pieces: every term is at most the JSD (each merges points),
    so the sum does not cancel.

    Returns
    -------
    numpy.float64, or an ndarray for inputs of more than one dimension
        As scipy.

    Differences from scipy: NaN, infinite or negative entries, empty inputs, all-zero
    inputs, a ``base`` that is not finite, positive and other than 1, and inputs of
    different lengths raise ValueError (scipy returns NaN or a meaningless number); with
    more than one dimension, ``p`` and ``q`` must have the same number of dimensions.
    For the divergence itself, without normalisation, see :func:`js`.
    """
    p = _real_array(p, "p")
    q = _real_array(q, "q")
    if p.ndim == 0 or q.ndim == 0:
        raise ValueError(f"p and q must be arrays, got shapes {p.shape} and {q.shape}")
    if p.ndim != q.ndim:
        raise ValueError(f"p and q must have the same number of dimensions, got shapes {p.shape} and {q.shape}")
    if base is not None:
        base = float(base)
    p_last = np.moveaxis(p, axis, -1)
    q_last = np.moveaxis(q, axis, -1)
    if p.ndim == 1:
        distance = np.float64(_native.js_distance_normalised(p_last, q_last, base))
        return np.expand_dims(distance, axis) if keepdims else distance
    if p_last.shape[-1] != q_last.shape[-1]:
        raise ValueError(
            f"lengths differ: {p_last.shape[-1]} entries against {q_last.shape[-1]} along axis {axis}"
        )
    p_last, q_last = np.broadcast_arrays(p_last, q_last)
    out = np.empty(p_last.shape[:-1])
    for index in np.ndindex(out.shape):
        out[index] = _native.js_distance_normalised(p_last[index], q_last[index], base)
    return np.expand_dims(out, axis) if keepdims else out


# --------------------------------------------------------------------------------------
# Divergences and the GAN game, on validated distributions
# --------------------------------------------------------------------------------------


def kl(p: ArrayLike, q: ArrayLike) -> float:
    r"""Kullback-Leibler divergence in nats,

    .. math:: \mathrm{KL}(p \Vert q) = \sum_i p_i \ln \frac{p_i}{q_i} \in [0, +\infty],

    with :math:`0 \ln 0 = 0`; ``+inf`` where p has mass that q lacks (its true value).
    ``p`` and ``q`` must be probability vectors (finite, non-negative, summing to 1 within
    4 ulps per entry): they are validated, never normalised. ValueError otherwise.
    """
    return _native.kl(_vector(p, "p"), _vector(q, "q"))


def js(p: ArrayLike, q: ArrayLike) -> float:
    r"""Jensen-Shannon divergence in nats (not its square root),

    .. math::
        \mathrm{JSD}(p \Vert q) = \tfrac12 \mathrm{KL}(p \Vert m) + \tfrac12 \mathrm{KL}(q \Vert m),
        \quad m = \tfrac12 (p + q), \qquad 0 \le \mathrm{JSD} \le \ln 2,

    with :math:`\ln 2` exactly when the supports are disjoint; exact on subnormal entries.
    ``p`` and ``q`` must be probability vectors (validated, never normalised; ValueError
    otherwise). In bits: ``js(p, q) / math.log(2)``; scipy's distance: :func:`jensenshannon`.
    """
    return _native.js(_vector(p, "p"), _vector(q, "q"))


def tv(p: ArrayLike, q: ArrayLike) -> float:
    r"""Total variation distance,

    .. math:: \mathrm{TV}(p, q) = \tfrac12 \sum_i \lvert p_i - q_i \rvert \in [0, 1].

    ``p`` and ``q`` must be probability vectors (validated, never normalised).
    """
    return _native.tv(_vector(p, "p"), _vector(q, "q"))


def chi2(p: ArrayLike, q: ArrayLike) -> float:
    r"""Pearson chi-squared divergence,

    .. math:: \chi^2(p \Vert q) = \sum_i \frac{(p_i - q_i)^2}{q_i} \in [0, +\infty],

    terms with :math:`p_i = q_i = 0` being 0, and ``+inf`` where p has mass that q lacks.
    ``p`` and ``q`` must be probability vectors (validated, never normalised).
    """
    return _native.chi2(_vector(p, "p"), _vector(q, "q"))


def hellinger(p: ArrayLike, q: ArrayLike) -> float:
    r"""The squared Hellinger distance (an f-divergence; the crate's ``hellinger2``),

    .. math:: H^2(p, q) = \tfrac12 \sum_i \left(\sqrt{p_i} - \sqrt{q_i}\right)^2 \in [0, 1].

    The Hellinger distance itself is ``math.sqrt(hellinger(p, q))``.
    ``p`` and ``q`` must be probability vectors (validated, never normalised).
    """
    return _native.hellinger(_vector(p, "p"), _vector(q, "q"))


def d_star(p_data: ArrayLike, p_g: ArrayLike) -> NDArray[np.float64]:
    r"""The optimal discriminator of Proposition 1 (Goodfellow et al. 2014),

    .. math:: D^\star(x) = \frac{p_\mathrm{data}(x)}{p_\mathrm{data}(x) + p_g(x)},

    per point, computed through ratios so that subnormal masses give the right value.
    NaN where both masses are 0 (D* is undetermined there: V does not depend on it).
    ``p_data`` and ``p_g`` must be probability vectors (validated, never normalised).
    """
    return _native.d_star(_vector(p_data, "p_data"), _vector(p_g, "p_g"))


def value(p_data: ArrayLike, p_g: ArrayLike, d: ArrayLike) -> float:
    r"""The value function of the GAN game on a finite support,

    .. math:: V(D, G) = \sum_x p_\mathrm{data}(x) \ln D(x) + \sum_x p_g(x) \ln(1 - D(x)),

    with :math:`0 \ln 0 = 0` (a point without mass contributes nothing). ``d`` holds the
    discriminator's values :math:`D(x) \in [0, 1]`; ``p_data`` and ``p_g`` must be
    probability vectors (validated, never normalised). ``-inf`` when D is 0 where p_data
    has mass, or 1 where p_g has mass. At ``d = d_star(p_data, p_g)``, V equals
    :func:`c_of_g`.
    """
    return _native.value(_vector(p_data, "p_data"), _vector(p_g, "p_g"), _vector(d, "d"))


def c_of_g(p_data: ArrayLike, p_g: ArrayLike) -> float:
    r"""The generator's criterion, :math:`C(G) = \max_D V(D, G) = V(D^\star, G)`.

    Theorem 1 of Goodfellow et al. (2014):

    .. math:: C(G) = -\ln 4 + 2\, \mathrm{JSD}(p_\mathrm{data} \Vert p_g) \in [-\ln 4, 0],

    minimal, :math:`-\ln 4`, exactly when :math:`p_g = p_\mathrm{data}`. Evaluated directly
    from D* (not through the identity, which ``verify`` checks against it). ``p_data`` and
    ``p_g`` must be probability vectors (validated, never normalised).
    """
    return _native.c_of_g(_vector(p_data, "p_data"), _vector(p_g, "p_g"))


# --------------------------------------------------------------------------------------
# The claims
# --------------------------------------------------------------------------------------


class Measurement(TypedDict):
    """One measurement of one claim, as :func:`verify` returns it."""

    claim: str
    """Catalogue id ("A1", ..., "E1")."""
    statement: str
    """The claim in one line."""
    proof: str
    """Path of its written proof in the repository (proofs/...)."""
    quantity: str
    """What was measured."""
    measured: float
    """The measured value."""
    expected: float
    """The value the claim predicts (or the bound)."""
    tolerance: float
    """The largest accepted |measured - expected|, or the allowance on the bound."""
    comparison: Optional[str]
    """"within", "at_most", "at_least" or "between" (None for a check that stopped)."""
    low: Optional[float]
    """Lower end of the accepted interval for "between", else None."""
    high: Optional[float]
    """Upper end of the accepted interval for "between", else None."""
    passed: bool
    """Whether the comparison holds."""
    false_alarm: float
    """Probability that this check fails although claim and code are right (0 when
    deterministic)."""
    error: Optional[str]
    """The error that stopped the claim's check (then the other numbers are NaN), else None."""


def verify(seed: int = 2014, ids: Optional[Sequence[str]] = None) -> List[Measurement]:
    """Runs the crate's claims (what ``gan-theory verify`` runs) and returns every
    measurement, one dict per measurement, in catalogue order.

    Parameters
    ----------
    seed : int, default 2014
        Seed of every random draw (the same seed gives the same numbers); 0 <= seed < 2**64.
    ids : sequence of str, optional
        Only these claims ("A1", "C1", ...); unknown ids raise ValueError.

    Returns
    -------
    list of Measurement
        A claim passes when all its measurements do:
        ``all(m["passed"] for m in verify())`` is the verdict of the whole catalogue.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**64:
        raise ValueError(f"seed: expected an integer in [0, 2**64), got {seed!r}")
    if ids is not None:
        if isinstance(ids, str):
            ids = [ids]
        ids = [str(i) for i in ids]
    return _native.verify(int(seed), ids)
