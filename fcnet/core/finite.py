"""A building block called on its own: no RuntimeWarning, and a clear error for anything not finite.

`building_block` decorates each public layer, activation and loss
(`fcnet.affine_forward`, `fcnet.softmax`, `fcnet.core.activations.gelu_backward`, …).
Called directly, a block

1. scans its array arguments, one dot product each (`fcnet.core.validate.all_finite`):
   a NaN or ±inf raises `NonFiniteError` naming the argument and the index
   (its scalars, ``reg`` and ``dout``, the block checks itself);
2. runs under ``np.errstate(all="ignore")``, so NumPy warns of nothing;
3. scans what it returns: a non-finite array or float, from input just found
   finite, overflowed, and `NumericalOverflowError` names the block and the quantity
   (as do the errors of the block's own checks, e.g. logits too wide for softmax).

Inside a net guarded by `fcnet.core.overflow.guard_result`, which scans X and
the parameters first and the result after, the blocks skip all of this
(`guarded_calls` tells them): the step pays no pass per layer.  A block that
another block calls (`softmax` calls `log_softmax`) is not checked twice either.

>>> import numpy as np
>>> from fcnet import affine_forward
>>> affine_forward(np.full((2, 3), 1e308), np.ones((3, 4)), np.zeros(2))
Traceback (most recent call last):
...
fcnet.core.validate.NumericalOverflowError: affine_forward: z = W a + b is not finite (inf at index (0, 0)); ...
>>> affine_forward(np.ones((2, 3)), np.array([[1.0], [np.nan], [0.0]]), np.zeros(2))
Traceback (most recent call last):
...
fcnet.core.validate.NonFiniteError: affine_forward: a has a non-finite entry nan at index (1, 0); expected finite values
"""

from __future__ import annotations

import functools
import inspect
import math
from contextlib import contextmanager
from contextvars import ContextVar
from numbers import Real

import numpy as np

from .guards import first_non_finite
from .validate import NonFiniteError, NumericalOverflowError, all_finite

__all__ = ["building_block", "guarded_calls"]

#: True while a guarded net (or a block) runs: the blocks it calls check nothing themselves
_GUARDED: ContextVar[bool] = ContextVar("fcnet_guarded", default=False)

#: arguments that are no input of the formula: where results go, labels (checked by dtype) and flags
_NOT_INPUTS = frozenset({"out", "scratch", "y", "need_da"})


@contextmanager
def guarded_calls():
    """Within this block the building blocks skip their own checks: the caller checks input and result."""
    token = _GUARDED.set(True)
    try:
        yield
    finally:
        _GUARDED.reset(token)


def _arrays(value, name: str):
    """``(name, array)`` for each floating array in an argument: an array, a cache or list of them, nested lists."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and value.ndim > 0:  # a 0-d array is a scalar: the block checks it
            yield name, value
    elif isinstance(value, list | tuple):
        if any(isinstance(v, np.ndarray) for v in value):  # a cache (W, a) or weights [W1, W2]: entry by entry
            for i, v in enumerate(value):
                yield from _arrays(v, f"{name}[{i}]")
            return
        try:
            arr = np.asarray(value)  # nested lists of numbers; anything else is the block's to refuse
        except (TypeError, ValueError):
            return
        if arr.dtype.kind == "f":
            yield name, arr


def _not_finite(value) -> str | None:
    """``"inf at index (0, 3)"`` for a non-finite float array or float, else None."""
    if isinstance(value, np.ndarray):
        return None if value.dtype.kind != "f" or all_finite(value) else first_non_finite(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return None


def _overflow_message(block: str, quantity: str, detail: str, value, inputs, scalars, written) -> str:
    """The message for ``quantity`` of ``block``, not finite; the sizes of the inputs not overwritten by the call."""
    dtype = value.dtype if isinstance(value, np.ndarray) else np.dtype(np.float64)
    kept = [(n, a) for n, a in inputs if not any(np.may_share_memory(a, w) for w in written)]
    sizes = [f"{name} {float(np.max(np.abs(arr), initial=0.0)):.3g}" for name, arr in kept]
    sizes += [f"{name} {float(v):.3g}" for name, v in scalars]
    return (
        f"{block}: {quantity} is not finite ({detail}); its inputs are finite, so it overflowed {dtype}'s range "
        f"(±{np.finfo(dtype).max:.3g}).  Largest |entries| of the input: {', '.join(sizes)}"
    )


def building_block(*quantities: str | None, check):
    """Decorator: a public block checks its input and its result when it is not called from a guarded net.

    ``quantities`` name the parts of the result, e.g. ``("z = W a + b", None)`` for
    ``(z, cache)``: None for a part not checked (a cache).  A single name is the whole result.
    ``check`` is the block's argument check (`fcnet.core.guards`): called with the block's
    arguments by name, it returns those it converted, by name.
    """

    def decorate(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def block(*args, **kwargs):
            if _GUARDED.get():
                return fn(*args, **kwargs)
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                return fn(*args, **kwargs)  # Python's own message for a wrong call
            named = [(k, v) for k, v in bound.arguments.items() if k not in _NOT_INPUTS]
            inputs = [pair for k, v in named for pair in _arrays(v, k)]
            for name, arr in inputs:
                if not all_finite(arr):
                    raise NonFiniteError(
                        f"{fn.__name__}: {name} has a non-finite entry {first_non_finite(arr)}; expected finite values"
                    )
            try:
                bound.arguments.update(check(**bound.arguments))
                with guarded_calls(), np.errstate(all="ignore"):
                    out = fn(*bound.args, **bound.kwargs)
            except NonFiniteError as exc:  # the block's own check (wide logits, an overflowed penalty): say whose
                raise type(exc)(f"{fn.__name__}: {exc}") from None
            parts = zip(quantities, out) if len(quantities) > 1 else [(quantities[0], out)]
            for quantity, value in parts:
                if quantity is not None and (detail := _not_finite(value)):
                    scalars = [(k, v) for k, v in named if isinstance(v, Real) and not isinstance(v, bool)]
                    written = [a for k in ("out", "scratch") for _, a in _arrays(bound.arguments.get(k), k)]
                    message = _overflow_message(fn.__name__, quantity, detail, value, inputs, scalars, written)
                    raise NumericalOverflowError(message)
            return out

        return block

    return decorate
