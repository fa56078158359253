"""The arguments of the finite differences and error measures, checked: what f, x, h, a and b must be.

`fcnet.gradcheck.numerical` calls these before any arithmetic, so that a
bad argument ends in an error naming it, never deep inside NumPy, and f is
called through `checked_function`, which insists on a finite real scalar
and on f leaving its argument as it found it.

>>> import numpy as np
>>> check_step(True)
Traceback (most recent call last):
...
TypeError: h is True (bool); expected a real step > 0
>>> real_pair(np.ones(3), np.ones(1))
Traceback (most recent call last):
...
ValueError: a has shape (3,) but b has shape (1,); expected equal shapes (nothing is broadcast)
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from ..core.validate import NonFiniteError, first_non_finite_index, real_float, refuse_masked

__all__ = ["MAX_EPS", "check_step", "check_point", "checked_function", "real_pair", "describe_point"]

#: The coarsest machine epsilon `numerical_gradient` accepts: float32's is 1.2e-7; float16's, 9.8e-4, leaves
#: the centred difference at best eps^(2/3) ≈ 1e-2 relative error (at h ≈ eps^(1/3) ≈ 0.1), which checks nothing.
MAX_EPS = 1e-6


def check_step(h, name: str = "h") -> float:
    """A positive finite real step as a float (bool refused), or raise naming ``name``."""
    if isinstance(h, bool | np.bool_) or not isinstance(h, Real):
        raise TypeError(f"{name} is {h!r} ({type(h).__name__}); expected a real step > 0")
    try:
        value = float(h)
    except OverflowError:
        value = math.inf
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} is {h!r}; expected a finite step > 0")
    return value


def describe_point(point: np.ndarray, saved: np.ndarray, name: str) -> str:
    """Which perturbed point ``point`` is, for messages: ``"x + h·e(0, 1)"``."""
    moved = np.argwhere(point != saved)
    if len(moved) != 1:
        return name
    ix = tuple(int(i) for i in moved[0])
    return f"{name} {'+' if point[ix] > saved[ix] else '−'} h·e{ix}"


def checked_function(f, saved: np.ndarray, name: str):
    """``f`` wrapped: its value must be a finite real scalar, and f must leave its argument as it found it."""

    def f_checked(point):
        before = point.copy()
        value = f(point)
        if not np.array_equal(point, before):
            ix = tuple(int(i) for i in np.argwhere(point != before)[0])
            raise ValueError(
                f"f changed its argument in place ({name}{list(ix)} went from {before[ix]} to {point[ix]}); "
                f"expected f to leave {name} as it found it (it is perturbed and restored here); {name} is restored"
            )
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
            what = (
                f"an ndarray of shape {value.shape}"
                if isinstance(value, np.ndarray)
                else f"a {type(value).__name__} ({value!r:.60})"
            )
            hint = (
                " (float(...) or .item() turns a one-element array into one)" if isinstance(value, np.ndarray) else ""
            )
            raise TypeError(
                f"f returned {what} at {describe_point(point, saved, name)}; "
                f"expected a real scalar, f(x) -> float{hint}"
            )
        value = real_float(value, f"f's value at {describe_point(point, saved, name)}", "a finite real scalar")
        if not math.isfinite(value):
            raise NonFiniteError(
                f"f returned {value} at {describe_point(point, saved, name)}; expected a finite value: f is not finite "
                "there, so no difference quotient means anything"
            )
        return value

    return f_checked


def check_point(f, x, h, name: str) -> float:
    """Check f, the point x (a writeable, finite, float32-or-better array) and the step; return h as a float."""
    if not callable(f):
        raise TypeError(f"f is a {type(f).__name__}; expected a callable f({name}) -> float")
    refuse_masked(x, name)
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        kind = f"an ndarray of dtype {x.dtype}" if isinstance(x, np.ndarray) else f"a {type(x).__name__}"
        raise TypeError(f"{name} is {kind}; expected a floating ndarray (it is perturbed in place)")
    eps = float(np.finfo(x.dtype).eps)
    if eps > MAX_EPS:
        raise TypeError(
            f"{name} has dtype {x.dtype}, machine epsilon {eps:.1e}: even at the best step h ≈ eps^(1/3) = "
            f"{eps ** (1 / 3):.1e} the centred difference is off by about eps^(2/3) = {eps ** (2 / 3):.0e}, which "
            f"checks nothing; expected float32 or float64 (use {name}.astype(np.float64))"
        )
    if not x.flags.writeable:
        raise ValueError(f"{name} is read-only; expected a writeable array (it is perturbed in place, then restored)")
    h = check_step(h)
    if x.size and not np.isfinite(x).all():
        ix = first_non_finite_index(x)
        raise NonFiniteError(f"{name} has a non-finite entry {x[ix]} at index {ix}; expected a finite point")
    top = float(np.max(np.abs(x), initial=0.0))
    if not top + 2 * h < float(np.finfo(x.dtype).max):
        raise ValueError(
            f"h is {h:g}: {name} ± h leaves {x.dtype}'s range (max |{name}| = {top:.3g}); expected a step that keeps "
            f"{name} ± h finite"
        )
    return h


def real_pair(a, b) -> tuple[np.ndarray, np.ndarray]:
    """a and b as real floating arrays of one shape, or raise: complex, bool, masked or non-numbers are refused.

    Both are float64, or longdouble when either is: nothing beyond float64's range is rounded to inf.
    """
    out = []
    for name, v in (("a", a), ("b", b)):
        refuse_masked(v, name)
        arr = np.asarray(v)
        if arr.dtype.kind not in "fiu":
            hint = " (a real function's gradient is real)" if arr.dtype.kind == "c" else ""
            raise TypeError(f"{name} has dtype {arr.dtype}; expected real numbers{hint}")
        out.append(arr)
    if out[0].shape != out[1].shape:
        raise ValueError(
            f"a has shape {out[0].shape} but b has shape {out[1].shape}; expected equal shapes (nothing is broadcast)"
        )
    dtype = np.result_type(np.float64, *(x.dtype for x in out if x.dtype.kind == "f"))
    return out[0].astype(dtype, copy=False), out[1].astype(dtype, copy=False)
