"""Input validation: every public entry point checks its arguments here.

A bad argument raises ``ValueError`` (wrong shape, value or key) or
``TypeError`` (wrong kind of object) whose message names the argument, what
was seen and what was expected, so nothing fails deep inside NumPy and
nothing is silently wrong.

>>> import numpy as np
>>> check_X(np.zeros((3, 0)))
Traceback (most recent call last):
...
ValueError: X has shape (3, 0): an empty batch (N=0); expected at least one column (one example per column)
"""

from __future__ import annotations

import math
import sys
from numbers import Real

import numpy as np

from .params import KEYS

__all__ = [
    "NonFiniteError",
    "NumericalOverflowError",
    "check_params",
    "check_X",
    "check_y",
    "check_reg",
    "check_batch",
    "require_loss_args",
    "refuse_masked",
    "real_float",
    "overlap",
]


class NonFiniteError(ValueError):
    """An argument (or a result) that must be finite has a NaN or ±inf entry; the message names it."""


class NumericalOverflowError(NonFiniteError, FloatingPointError):
    """A quantity computed from finite input is not finite: it overflowed the floating-point range.

    The message names the quantity.  Also a `FloatingPointError`, as NumPy's
    ``np.errstate(over="raise")`` would raise, and a `ValueError`.
    """


def refuse_masked(value, name: str) -> None:
    """Raise `TypeError` naming ``name`` when ``value`` is a masked array: fcnet would compute on its hidden entries.

    O(1); NumPy's ``numpy.ma`` is not imported for it (no masked array exists before it is).

    >>> refuse_masked(np.ma.array([0, 1, -1], mask=[0, 0, 1]), "y")
    Traceback (most recent call last):
    ...
    TypeError: y is a masked array (numpy.ma.MaskedArray); expected a plain ndarray: ...
    """
    ma = sys.modules.get("numpy.ma")
    if ma is not None and isinstance(value, ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array (numpy.ma.MaskedArray); expected a plain ndarray: fcnet computes on every "
            f"entry, the masked ones too (pass {name}.filled(value), or drop the masked entries)"
        )


def real_float(value, name: str, expected: str) -> float:
    """``float(value)``, or `ValueError` naming ``name`` for a Python integer beyond the float range.

    >>> real_float(10**400, "reg", "a finite real number >= 0")
    Traceback (most recent call last):
    ...
    ValueError: reg is an integer of 1329 bits (about 1e400), beyond float64's ±1.8e+308; expected a finite real ...
    """
    try:
        return float(value)
    except OverflowError:
        value = int(value)
        raise ValueError(
            f"{name} is an integer of {value.bit_length()} bits (about {'-' if value < 0 else ''}"
            f"1e{math.floor(math.log10(abs(value)))}), beyond float64's ±{np.finfo(np.float64).max:.2g}; "
            f"expected {expected}"
        ) from None


def overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """True when ``a`` and ``b`` share an element in memory; an overlap too costly to decide counts as one.

    >>> x = np.zeros(6)
    >>> overlap(x[:4], x[3:]), overlap(x[::2], x[1::2]), overlap(x, np.zeros(6))
    (True, False, False)
    """
    if not np.may_share_memory(a, b):  # O(1): the two memory ranges do not meet
        return False
    try:
        return bool(np.shares_memory(a, b, max_work=100_000))  # exact for interleaved views (x[::2], x[1::2])
    except np.exceptions.TooHardError:
        return True


def real_array(value, name: str, ndim: int | None = None, layout: str = "") -> np.ndarray:
    """``value`` as a real floating ndarray (integers become float64), or raise naming ``name``.

    O(1) for a floating ndarray: kind, dtype and number of dimensions only, no entry is read.
    A masked array is refused (`refuse_masked`).
    """
    refuse_masked(value, name)
    if isinstance(value, np.ndarray):
        arr = value
    else:
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} could not be read as an array ({exc}); expected a real ndarray") from None
    if arr.dtype.kind not in "fiu":  # b, c, U, S, O, V, M, m are refused
        raise TypeError(f"{name} has dtype {arr.dtype}; expected a real floating (or integer) array")
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} has shape {arr.shape}; expected a {ndim}-D array" + (f" of shape {layout}" if layout else "")
        )
    return arr


_BLAS = (np.dtype(np.float64), np.dtype(np.float32))


def all_finite(arr: np.ndarray) -> bool:
    """True when every entry of a real array is finite: one pass that copies nothing, an exact scan only if needed.

    The pass is Σx², a BLAS dot product (threaded, and 4× faster than ``arr.sum()`` here) when ``arr`` is
    contiguous in either order, else ``arr.sum()`` (``np.vdot`` would copy a strided view).  Either is finite
    unless an entry is NaN or ±inf, or the pass itself overflows (|x| ≳ 1e154); then the entries are looked at.

    >>> all_finite(np.ones((3, 2))), all_finite(np.array([1.0, np.nan])), all_finite(np.full(2, 1e200))
    (True, False, True)
    >>> all_finite(np.ones((4, 4))[::2].T), all_finite(np.array([[1.0, np.inf]]).T)
    (True, False)
    """
    if arr.size == 0:
        return True
    flat = arr if arr.flags.c_contiguous else arr.T if arr.flags.f_contiguous else None
    with np.errstate(all="ignore"):  # non-BLAS dtypes (float16, longdouble) would warn of the overflow
        total = float(np.vdot(flat, flat)) if flat is not None else float(arr.sum())
    if math.isfinite(total):
        return True
    return bool(np.isfinite(arr).all())


def first_non_finite_index(arr: np.ndarray) -> tuple[int, ...]:
    """The index of the first NaN or ±inf entry of ``arr``, in C order (``arr`` must have one).

    >>> first_non_finite_index(np.array([[1.0, 2.0], [np.inf, np.nan]]))
    (1, 0)
    """
    return tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])


def _as_real_array(value, name: str) -> np.ndarray:
    """`real_array`, and every entry finite, or raise naming ``name``."""
    arr = real_array(value, name)
    if not all_finite(arr):
        bad = first_non_finite_index(arr)
        raise NonFiniteError(f"{name} has a non-finite entry {float(arr[bad])} at index {bad}; expected finite values")
    return arr


def check_X(X, name: str = "X") -> np.ndarray:
    """Check a batch ``X`` of shape (D_in, N), one example per column."""
    X = _as_real_array(X, name)
    if X.ndim != 2:
        raise ValueError(f"{name} has shape {X.shape}; expected a 2-D array of shape (D_in, N), one example per column")
    if X.shape[1] == 0:
        raise ValueError(
            f"{name} has shape {X.shape}: an empty batch (N=0); expected at least one column (one example per column)"
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name} has shape {X.shape}: D_in=0 input features; expected at least one row")
    return X


def check_params(params, keys: tuple[str, ...] = KEYS) -> dict[str, np.ndarray]:
    """Check that ``params`` is a dict with exactly ``keys``; weights 2-D, biases 1-D."""
    if not isinstance(params, dict):
        raise TypeError(f"params is a {type(params).__name__}; expected a dict with keys {list(keys)}")
    missing = [k for k in keys if k not in params]
    extra = [k for k in params if k not in keys]
    if missing or extra:
        raise ValueError(
            f"params has keys {sorted(params)}; expected exactly {list(keys)}"
            + (f" (missing {missing})" if missing else "")
            + (f" (unexpected {extra})" if extra else "")
        )
    out = {}
    for k in keys:
        arr = _as_real_array(params[k], f"params[{k!r}]")
        want = 2 if k.startswith("W") else 1
        if arr.ndim != want:
            kind = "a weight matrix (rows, columns)" if want == 2 else "a bias vector (rows,)"
            raise ValueError(f"params[{k!r}] has shape {arr.shape}; expected {want}-D, {kind}")
        out[k] = arr
    # consecutive layers must chain: W_l is (rows_l, rows_{l-1}), b_l is (rows_l,)
    n_layers = len(keys) // 2
    for l in range(1, n_layers + 1):
        W, b = out[f"W{l}"], out[f"b{l}"]
        if b.shape[0] != W.shape[0]:
            raise ValueError(
                f"params['b{l}'] has shape {b.shape} but params['W{l}'] has {W.shape[0]} rows; "
                f"expected b{l} of shape ({W.shape[0]},)"
            )
        if l > 1:
            prev = out[f"W{l - 1}"].shape[0]
            if W.shape[1] != prev:
                raise ValueError(
                    f"params['W{l}'] has shape {W.shape} but params['W{l - 1}'] has {prev} rows; "
                    f"expected W{l} of shape ({W.shape[0]}, {prev})"
                )
    return out


def check_y(y, N: int, C: int) -> np.ndarray:
    """Check integer labels ``y`` of shape (N,) with values in [0, C)."""
    refuse_masked(y, "y")
    y = y if isinstance(y, np.ndarray) else np.asarray(y)
    if y.dtype.kind not in "iu":  # bool, float, complex, str, object ... are not labels
        if y.dtype.kind == "f" and y.size and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            raise TypeError(f"y has dtype {y.dtype}; expected integer class labels (use y.astype(int))")
        raise TypeError(f"y has dtype {y.dtype}; expected integer class labels in [0, {C})")
    if y.shape != (N,):
        raise ValueError(f"y has shape {y.shape}; expected ({N},), one label per column of X")
    if y.size and (y.min() < 0 or y.max() >= C):
        bad = int(y[(y < 0) | (y >= C)][0])
        raise ValueError(f"y contains label {bad}; expected labels in [0, {C}) for C={C} classes")
    return y.astype(np.intp, copy=False)


def check_reg(reg) -> float:
    """Check the L2 strength ``reg`` (λ): a finite real number ≥ 0."""
    if isinstance(reg, bool) or not isinstance(reg, Real | np.floating | np.integer):
        raise TypeError(f"reg is a {type(reg).__name__} ({reg!r}); expected a real number >= 0")
    reg = real_float(reg, "reg", "a finite real number >= 0")
    if not math.isfinite(reg) or reg < 0:
        raise ValueError(f"reg is {reg!r}; expected a finite real number >= 0")
    return reg


def check_batch(params, X, y=None, reg=None, keys: tuple[str, ...] = KEYS):
    """Check a whole call: params, X (D_in, N), and optionally y and reg.

    Returns the checked ``(params, X, y, reg)``; ``y`` and ``reg`` stay
    ``None`` when not given.
    """
    params = check_params(params, keys)
    X = check_X(X)
    W1 = params["W1"]
    if W1.shape[1] != X.shape[0]:
        raise ValueError(
            f"params['W1'] has shape {W1.shape} but X has D_in={X.shape[0]} rows; "
            f"expected W1 of shape ({W1.shape[0]}, {X.shape[0]})"
        )
    C = params[keys[-2]].shape[0]
    if y is not None:
        y = check_y(y, X.shape[1], C)
    if reg is not None:
        reg = check_reg(reg)
    return params, X, y, reg


def require_loss_args(y, reg) -> None:
    """A loss needs labels and λ: refuse ``None`` for either (`check_batch` skips them when None).

    >>> require_loss_args(None, 0.5)
    Traceback (most recent call last):
    ...
    TypeError: y is None; expected integer class labels of shape (N,), one per column of X ...
    """
    if y is None:
        raise TypeError(
            "y is None; expected integer class labels of shape (N,), one per column of X "
            "(forward(params, X) needs none)"
        )
    if reg is None:
        raise TypeError("reg is None; expected the L2 strength λ, a real number >= 0 (0.0 for no penalty)")
