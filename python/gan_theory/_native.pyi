"""Type stubs of the compiled half of gan_theory (python/src/lib.rs). Not public API: call
the functions of the gan_theory package, which convert their arguments and document them.
Every array argument is a float64 numpy array of the stated dimension (any layout); a
library error raises ValueError, an internal panic RuntimeError."""

from typing import Any, Dict, List, Optional

import numpy as np
from numpy.typing import NDArray

__version__: str
__all__ = [
    "__version__",
    "_panic_for_tests",
    "c_of_g",
    "chi2",
    "d_star",
    "emd",
    "hellinger",
    "js",
    "js_distance_normalised",
    "kl",
    "tv",
    "value",
    "verify",
    "w1_samples",
]

def emd(
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    m: NDArray[np.float64],
    normalize: bool = False,
    max_iterations: Optional[int] = None,
    dense: bool = False,
) -> Dict[str, Any]:
    """Keys: cost (float), rows, cols (int64 arrays), masses, u, v (float64 arrays),
    certificate (dict of gan_theory.Certificate's fields), pivots, exact_pivots (int),
    plan (the dense float64 plan if dense, else None)."""
    ...

def w1_samples(
    u_values: NDArray[np.float64],
    v_values: NDArray[np.float64],
    u_weights: Optional[NDArray[np.float64]] = None,
    v_weights: Optional[NDArray[np.float64]] = None,
) -> float: ...
def js_distance_normalised(
    p: NDArray[np.float64], q: NDArray[np.float64], base: Optional[float] = None
) -> float: ...
def kl(p: NDArray[np.float64], q: NDArray[np.float64]) -> float: ...
def js(p: NDArray[np.float64], q: NDArray[np.float64]) -> float: ...
def tv(p: NDArray[np.float64], q: NDArray[np.float64]) -> float: ...
def chi2(p: NDArray[np.float64], q: NDArray[np.float64]) -> float: ...
def hellinger(p: NDArray[np.float64], q: NDArray[np.float64]) -> float: ...
def c_of_g(p_data: NDArray[np.float64], p_g: NDArray[np.float64]) -> float: ...
def d_star(p_data: NDArray[np.float64], p_g: NDArray[np.float64]) -> NDArray[np.float64]: ...
def value(
    p_data: NDArray[np.float64], p_g: NDArray[np.float64], d: NDArray[np.float64]
) -> float: ...
def _panic_for_tests(message: str) -> None:
    """A test hook: panics with the GIL released; raises RuntimeError."""
    ...

def verify(seed: int = 2014, ids: Optional[List[str]] = None) -> List[Any]: ...
