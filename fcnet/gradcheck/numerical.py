"""Finite differences and the error measures every check in fcnet uses.

Define once, import everywhere: tests, docs and the command line all call
these, nobody copies them.

>>> import numpy as np
>>> w = np.array([1.0, 2.0])
>>> f2 = lambda w: np.log(w[0] + w[1]) + w[0] ** 2 * w[1]   # the notes' toy f2
>>> g = numerical_gradient(f2, w)
>>> exact = np.array([1 / 3 + 2 * 1 * 2, 1 / 3 + 1 ** 2])
>>> bool(rel_error(g, exact) < 1e-9), w   # x is restored exactly
(True, array([1., 2.]))
>>> numerical_gradient(lambda w: w ** 2, w)
Traceback (most recent call last):
...
TypeError: f returned an ndarray of shape (2,) at x + h·e(0,); expected a real scalar, f(x) -> float (float(...) ...
>>> norm_rel_error([np.nan], [1.0])   # a NaN is never close to anything
inf
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..core.validate import NumericalOverflowError, overlap
from .arguments import check_point, checked_function, real_pair

__all__ = ["numerical_gradient", "numerical_gradients", "rel_error", "norm_rel_error"]


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Centred-difference gradient of a scalar function, one entry at a time.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``: a real finite scalar (a Python or NumPy number, or a
        0-d array).  It is called with ``x`` itself, modified in place, and must
        not change it.
    x : ndarray, any shape, float32 or float64
        The point, finite; every entry is restored exactly before returning,
        also when f raises or changes x.
    h : real, default 1e-5
        The step, finite and > 0 (any real number but a bool).  A step below
        the spacing of the floats near x is lost to rounding and gives 0.

    Returns
    -------
    grad : ndarray, same shape as x
        (f(x + h eᵢ) − f(x − h eᵢ)) / 2h for every index i.

    Raises
    ------
    TypeError
        f is not callable or returns something other than a real scalar; x is
        not a float32/float64 array (float16 is too coarse, see
        `fcnet.gradcheck.arguments.MAX_EPS`); h is not a real number.
    ValueError
        h is not finite and > 0, or x ± h leaves the float range; x is read-only;
        f changed x.  `NonFiniteError` (a ValueError) when x or a value of f is
        not finite, `NumericalOverflowError` when a difference quotient overflows.
    """
    return _numerical_gradient(f, x, h, "x")


def _numerical_gradient(f, x, h, name: str) -> np.ndarray:
    h = check_point(f, x, h, name)
    saved = x.copy()
    f = checked_function(f, saved, name)
    grad = np.zeros(x.shape)  # the quotients are Python floats: float64 here, cast to x's dtype once checked
    try:
        for ix in np.ndindex(x.shape):
            old = x[ix]
            # --8<-- [start:centred-difference]
            # ∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / 2h,  error f'''(x) h²/6 + O(h⁴)
            x[ix] = old + h
            f_plus = f(x)
            x[ix] = old - h
            f_minus = f(x)
            grad[ix] = (f_plus - f_minus) / (2 * h)
            # --8<-- [end:centred-difference]
            x[ix] = old
    finally:
        x[...] = saved  # bit for bit, whatever f did or raised
    top = np.finfo(x.dtype).max
    if grad.size and not np.max(np.abs(grad)) <= top:  # nan or inf, or beyond x's dtype
        ix = tuple(int(i) for i in np.argwhere(~(np.abs(grad) <= top))[0])
        raise NumericalOverflowError(
            f"the centred difference (f({name} + h·e{ix}) − f({name} − h·e{ix})) / 2h = {grad[ix]:.3g} overflowed "
            f"{x.dtype} (h={h:g}) although both values of f are finite; use a larger h or scale f down"
        )
    return grad.astype(x.dtype, copy=False)


def numerical_gradients(loss: Callable[[dict], float], params: dict[str, np.ndarray], h: float = 1e-5):
    """`numerical_gradient` for every array of a parameter dict.

    Parameters
    ----------
    loss : callable
        ``loss(params) -> float``.
    params : dict of ndarray
        Perturbed in place one entry at a time, and restored.
    h : real, default 1e-5

    Returns
    -------
    grads : dict of ndarray
        Same keys and shapes as ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> p = {"w": np.array([3.0]), "v": np.array([[1.0, -2.0]])}
    >>> g = numerical_gradients(lambda p: float(p["w"][0] * np.sum(p["v"] ** 2)), p)
    >>> np.round(g["w"], 6), np.round(g["v"], 6)
    (array([5.]), array([[  6., -12.]]))
    """
    if not callable(loss):
        raise TypeError(f"loss is a {type(loss).__name__}; expected a callable loss(params) -> float")
    if not isinstance(params, dict) or not params:
        raise TypeError(f"params is a {type(params).__name__}; expected a non-empty dict of floating ndarrays")
    keys = list(params)
    for a, b in ((a, b) for n, a in enumerate(keys) for b in keys[n + 1 :]):
        if isinstance(params[a], np.ndarray) and isinstance(params[b], np.ndarray) and overlap(params[a], params[b]):
            raise ValueError(
                f"params[{a!r}] and params[{b!r}] share memory (one array, or overlapping views of one buffer); "
                "expected one array per key: a step in one would move the other, and both would get the total "
                "derivative"
            )
    return {k: _numerical_gradient(lambda _: loss(params), params[k], h, f"params[{k!r}]") for k in params}


def rel_error(a, b) -> float:
    """CS231n's entry-wise relative error, max |a − b| / max(1e-8, |a| + |b|).

    Good below 1e-7 in float64.  It explodes on entries that are zero or
    tiny in both (round-off over round-off), so fcnet gates on
    `norm_rel_error` and reports this one beside it.  Shapes must be equal;
    a NaN or ±inf entry on either side gives inf (never a pass); 0 for empty
    arrays.

    >>> print(f"{rel_error([1.0, 2.0], [1.0, 2.0 + 4e-9]):.1e}")
    1.0e-09
    >>> rel_error([1e308], [-1e308])   # |a − b| and |a| + |b| overflow; their ratio does not
    1.0
    """
    a, b = real_pair(a, b)
    if a.size == 0:
        return 0.0
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return math.inf
    # entries so large that |aᵢ| + |bᵢ| could overflow: halve both (the ratio is unchanged; the floor is far below)
    huge = np.maximum(np.abs(a), np.abs(b)) > np.finfo(a.dtype).max / 4
    if huge.any():
        a, b = np.where(huge, a / 2, a), np.where(huge, b / 2, b)
    # --8<-- [start:rel-error]
    # max_i |aᵢ − bᵢ| / max(1e-8, |aᵢ| + |bᵢ|)
    err = np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))
    # --8<-- [end:rel-error]
    return float(err)


def norm_rel_error(a, b) -> float:
    """Norm-relative error ‖a − b‖_F / max(‖a‖_F, ‖b‖_F), 0 when both are zero.

    Computed on a/m and b/m, m the largest |entry|: the ratio is the same,
    and no square overflows (2e154) or underflows (1e-170) on the way.  Shapes
    must be equal; a NaN or ±inf entry on either side gives inf (never a pass).

    >>> print(f"{norm_rel_error([3.0, 4.0], [3.0, 4.0 + 5e-9]):.1e}")
    1.0e-09
    >>> norm_rel_error([0.0], [0.0]), norm_rel_error([2e154], [1e154]), norm_rel_error([1e-170], [3e-170])
    (0.0, 0.5, 0.6666666666666667)
    """
    a, b = real_pair(a, b)
    if a.size == 0:
        return 0.0
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return math.inf
    s = max(np.max(np.abs(a)), np.max(np.abs(b)))  # in a's dtype: a longdouble beyond float64 stays finite
    if s == 0:
        return 0.0
    # --8<-- [start:norm-rel-error]
    # ‖a − b‖_F / max(‖a‖_F, ‖b‖_F), on a/s and b/s (s = max |entry|, so every entry is at most 1: no square overflows)
    a, b = a / s, b / s
    err = np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b))
    # --8<-- [end:norm-rel-error]
    return float(err)
