"""Argument checks for the building blocks, and the error for a quantity that overflowed.

A block called on its own runs its check before its body (the ``check`` of
`fcnet.core.finite.building_block`); called by a net, which checked its own
arguments at its door, it runs none.  Each check returns the arguments it
converted, by name.  They check what is cheap to check: the kind, dtype and shape of every argument, the
labels (one pass over N integers) and λ, and the logits (one dot product over
the small (C, N) array).  They do not scan the entries of the (H, N) arrays,
which would add a pass per layer to the step: the nets scan X and params once
(`fcnet.core.validate.check_batch`) and check their results
(`fcnet.core.overflow`), and a block called on its own scans its arrays and
its result (`fcnet.core.finite`), so nothing non-finite passes unnoticed.

>>> import numpy as np
>>> check_affine_forward(np.ones((2, 3)), np.ones((4, 5)), np.zeros(2))
Traceback (most recent call last):
...
ValueError: a has shape (4, 5) but W has shape (2, 3); expected a of shape (3, N), one column per example
>>> check_logits(np.array([[1e308], [-1e308]]))
Traceback (most recent call last):
...
fcnet.core.validate.NumericalOverflowError: z[:, 0] spans -1e+308 to 1e+308, too wide for float64 ...
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from .validate import (
    _BLAS,
    NonFiniteError,
    NumericalOverflowError,
    all_finite,
    check_reg,
    check_y,
    first_non_finite_index,
    real_array,
    real_float,
)

__all__ = [
    "NonFiniteError",
    "NumericalOverflowError",
    "real_array",
    "first_non_finite",
    "check_affine_forward",
    "check_affine_backward",
    "check_elementwise",
    "check_elementwise_backward",
    "check_logits",
    "check_softmax",
    "check_ce_forward",
    "check_ce_backward",
    "check_l2_forward",
    "check_l2_backward",
]


def first_non_finite(arr: np.ndarray) -> str:
    """``"nan at index (0, 2)"``: the first non-finite entry of ``arr`` (which must have one)."""
    ix = first_non_finite_index(arr)
    return f"{float(arr[ix])} at index {ix}"


def check_affine_forward(W, a, b, **_):
    """W (H, D), a (D, N), b (H,): returned as floating arrays; O(1)."""
    W = real_array(W, "W", 2, "(H, D), one row per output unit")
    a = real_array(a, "a", 2, "(D, N), one column per example")
    b = real_array(b, "b", 1, "(H,)")
    if a.shape[0] != W.shape[1]:
        raise ValueError(
            f"a has shape {a.shape} but W has shape {W.shape}; expected a of shape ({W.shape[1]}, N), "
            "one column per example"
        )
    if b.shape[0] != W.shape[0]:
        raise ValueError(f"b has shape {b.shape} but W has {W.shape[0]} rows; expected b of shape ({W.shape[0]},)")
    return {"W": W, "a": a, "b": b}


def _cache_tuple(cache, n: int, what: str):
    if not isinstance(cache, tuple | list) or len(cache) != n:
        got = f"a {type(cache).__name__}" + (f" of length {len(cache)}" if isinstance(cache, tuple | list) else "")
        raise TypeError(f"cache is {got}; expected the {what} returned by the forward pass")
    return cache


def check_affine_backward(dout, cache, need_da=True, **_):
    """dout (H, N) against the cache ``(W, a)`` of `affine_forward`."""
    W, a = _cache_tuple(cache, 2, "tuple (W, a)")
    W, a = real_array(W, "cache[0] (W)", 2), real_array(a, "cache[1] (a)", 2)
    dout = real_array(dout, "dout", 2, "(H, N)")
    if dout.shape != (W.shape[0], a.shape[1]):
        raise ValueError(
            f"dout has shape {dout.shape}; expected ({W.shape[0]}, {a.shape[1]}), that of z = W a + b "
            f"for W of shape {W.shape} and a of shape {a.shape}"
        )
    if not isinstance(need_da, bool | np.bool_):
        raise TypeError(f"need_da is {need_da!r}; expected True or False")
    return {"dout": dout, "cache": (W, a)}


def check_elementwise(z, **_):
    """An element-wise activation's input: any shape, real; O(1)."""
    return {"z": real_array(z, "z")}


def check_elementwise_backward(dout, cache, **_):
    """dout against an element-wise activation's cache (an array, or a tuple whose first entry is one)."""
    ref = cache[0] if isinstance(cache, tuple | list) and cache else cache
    if not isinstance(ref, np.ndarray):
        raise TypeError(f"cache is a {type(cache).__name__}; expected the cache returned by the forward pass")
    dout = real_array(dout, "dout")
    if dout.shape != ref.shape:
        raise ValueError(f"dout has shape {dout.shape}; expected {ref.shape}, that of the layer's input z")
    return {"dout": dout}


def check_logits(z, n_sum: int = 1) -> np.ndarray:
    """Logits z (C, N), C ≥ 1: finite, and no column so wide that z − max z (or a sum of n_sum losses) overflows.

    One dot product over z when every |z| ≲ 1e154; the exact look at each column only beyond that.
    """
    z = real_array(z, "z", 2, "(C, N), one column of class scores per example")
    if z.shape[0] == 0:
        raise ValueError(f"z has shape {z.shape}: C=0 classes; expected at least one row")
    if z.size == 0 or (z.dtype in _BLAS and math.isfinite(float(np.vdot(z, z)))):
        return z  # every |z| ≤ √max ≈ 1.3e154: no difference or sum of N losses can overflow
    if not np.isfinite(z).all():
        raise NonFiniteError(f"z has a non-finite entry {first_non_finite(z)}; expected finite logits")
    big = np.finfo(z.dtype).max
    top, bottom = z.max(axis=0), z.min(axis=0)
    with np.errstate(over="ignore"):
        spread = top - bottom  # −log ŷ ≤ spread + log C for every class
    worst = int(np.argmax(spread))
    if not spread[worst] + math.log(z.shape[0]) <= big / (2 * n_sum):
        raise NumericalOverflowError(
            f"z[:, {worst}] spans {float(bottom[worst]):.3g} to {float(top[worst]):.3g}, too wide for {z.dtype} "
            f"(±{big:.3g}{f' over a mean of {n_sum} columns' if n_sum > 1 else ''}): log ŷ = z − max z − "
            "log Σ e^(z − max z) would overflow; scale the logits down"
        )
    return z


def check_softmax(z, **_):
    """The logits of `fcnet.softmax` and `fcnet.log_softmax` (`check_logits`)."""
    return {"z": check_logits(z)}


def check_ce_forward(z, y, **_):
    """Logits z (C, N), N ≥ 1, and labels y (N,) in [0, C); returns them checked."""
    z = real_array(z, "z", 2, "(C, N), one column of class scores per example")
    if z.shape[1] == 0:
        raise ValueError(f"z has shape {z.shape}: an empty batch (N=0); expected at least one column")
    z = check_logits(z, n_sum=z.shape[1])
    return {"z": z, "y": check_y(y, z.shape[1], z.shape[0])}


def check_ce_backward(dout, cache, **_):
    """dout a finite real scalar; the cache ``(probs, y)`` of `softmax_ce_forward`."""
    probs, y = _cache_tuple(cache, 2, "tuple (probs, y)")
    probs = real_array(probs, "cache[0] (probs)", 2)
    if not isinstance(y, np.ndarray) or y.shape != (probs.shape[1],) or y.dtype.kind not in "iu":
        raise TypeError(
            f"cache[1] (y) is not integer labels of shape ({probs.shape[1]},); expected the cache of softmax_ce_forward"
        )
    if isinstance(dout, np.ndarray) and dout.ndim == 0:
        dout = dout[()]
    if (
        isinstance(dout, bool | np.bool_)
        or not isinstance(dout, Real)
        or not math.isfinite(real_float(dout, "dout", "a finite real number, ∂J/∂loss"))
    ):
        raise TypeError(f"dout is {dout!r}; expected a finite real number, ∂J/∂loss (1.0 for the loss itself)")
    return {"dout": float(dout), "cache": (probs, y)}


def check_l2_forward(weights, reg, **_):
    """A sequence of weight arrays, and λ a finite real ≥ 0."""
    if isinstance(weights, np.ndarray) or not isinstance(weights, list | tuple):
        raise TypeError(
            f"weights is a {type(weights).__name__}; expected a list or tuple of weight matrices, e.g. (W1, W2)"
        )
    return {"weights": [real_array(W, f"weights[{i}]") for i, W in enumerate(weights)], "reg": check_reg(reg)}


def check_l2_backward(W, reg, **_):
    """One weight array and λ."""
    return {"W": real_array(W, "W"), "reg": check_reg(reg)}


def check_penalty(penalty: float, weights, reg: float) -> float:
    """The L2 penalty, refused unless finite: a weight is not finite (NonFiniteError), or Σ‖W‖² overflowed.

    λ = 0 gives 0 whatever the weights (where ½λ Σ‖W‖² computes 0 · inf = nan).
    """
    if math.isfinite(penalty):
        return penalty
    for i, W in enumerate(weights):
        if not all_finite(W):
            raise NonFiniteError(f"weights[{i}] has a non-finite entry {first_non_finite(W)}; expected finite values")
    if reg == 0:
        return 0.0
    largest = max(float(np.max(np.abs(W), initial=0.0)) for W in weights)
    raise NumericalOverflowError(
        f"the L2 penalty ½λ Σ‖W‖² is {penalty}: Σ‖W‖² overflowed {np.result_type(*weights)} although the "
        f"weights are finite (largest |entry| {largest:.3g})"
    )
