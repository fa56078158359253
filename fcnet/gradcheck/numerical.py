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
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["numerical_gradient", "numerical_gradients", "rel_error", "norm_rel_error"]


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Centred-difference gradient of a scalar function, one entry at a time.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``; it is called with ``x`` itself, modified in place.
    x : ndarray, any shape, floating dtype
        The point; every entry is restored exactly before returning.
    h : float, default 1e-5
        The step, > 0.

    Returns
    -------
    grad : ndarray, same shape as x
        (f(x + h eᵢ) − f(x − h eᵢ)) / 2h for every index i.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        kind = f"an ndarray of dtype {x.dtype}" if isinstance(x, np.ndarray) else f"a {type(x).__name__}"
        raise TypeError(f"x is {kind}; expected a floating ndarray (it is perturbed in place)")
    if not (isinstance(h, float | int) and np.isfinite(h) and h > 0):
        raise ValueError(f"h is {h!r}; expected a finite step > 0")
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        try:
            # --8<-- [start:centred-difference]
            # ∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / 2h,  error f'''(x) h²/6 + O(h⁴)
            x[ix] = old + h
            f_plus = f(x)
            x[ix] = old - h
            f_minus = f(x)
            grad[ix] = (f_plus - f_minus) / (2 * h)
            # --8<-- [end:centred-difference]
        finally:
            x[ix] = old
    return grad


def numerical_gradients(loss: Callable[[dict], float], params: dict[str, np.ndarray], h: float = 1e-5):
    """`numerical_gradient` for every array of a parameter dict.

    Parameters
    ----------
    loss : callable
        ``loss(params) -> float``.
    params : dict of ndarray
        Perturbed in place one entry at a time, and restored.

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
    return {k: numerical_gradient(lambda _: loss(params), params[k], h) for k in params}


def rel_error(a, b) -> float:
    """CS231n's entry-wise relative error, max |a − b| / max(1e-8, |a| + |b|).

    Good below 1e-7 in float64.  It explodes on entries that are zero or
    tiny in both (round-off over round-off), so fcnet gates on
    `norm_rel_error` and reports this one beside it.

    >>> print(f"{rel_error([1.0, 2.0], [1.0, 2.0 + 4e-9]):.1e}")
    1.0e-09
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    # --8<-- [start:rel-error]
    # max_i |aᵢ − bᵢ| / max(1e-8, |aᵢ| + |bᵢ|)
    err = np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))
    # --8<-- [end:rel-error]
    return float(err)


def norm_rel_error(a, b) -> float:
    """Norm-relative error ‖a − b‖ / max(‖a‖, ‖b‖), 0 when both are zero.

    >>> print(f"{norm_rel_error([3.0, 4.0], [3.0, 4.0 + 5e-9]):.1e}")
    1.0e-09
    >>> norm_rel_error([0.0], [0.0])
    0.0
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; expected equal shapes")
    # --8<-- [start:norm-rel-error]
    # ‖a − b‖ / max(‖a‖, ‖b‖)
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    err = np.linalg.norm(a - b) / scale if scale > 0 else 0.0
    # --8<-- [end:norm-rel-error]
    return float(err)
