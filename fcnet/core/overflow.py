"""The nets' result guard: no RuntimeWarning, and a clear error naming what overflowed.

`guard_result` wraps the nets' public doors (`fcnet.loss_and_grads`,
`fcnet.forward`, the L-layer pair and the PyTorch twins).  It runs the call
under ``np.errstate(all="ignore")``, with the building blocks' own checks off
(`fcnet.core.finite.guarded_calls`): the step pays no pass per layer.  Then it
checks the result, the loss with `math.isfinite` and each array with one dot
product (`all_finite`).  The input was checked finite first (`check_batch`),
so a non-finite result means that something overflowed: the guard then runs
the net's plain composition (`fcnet.core.mlp.compose`), which keeps every
intermediate, and names the first one that is not finite.

>>> import numpy as np
>>> from fcnet import loss_and_grads, seed_example
>>> params, X, y, reg = seed_example()
>>> params["W2"] = np.full((5, 4), 1e308)
>>> loss_and_grads(params, X, y, reg)
Traceback (most recent call last):
...
fcnet.core.validate.NumericalOverflowError: loss_and_grads: z2 = W2 a1 + b2 is not finite (inf at index (0, 0)) ...
"""

from __future__ import annotations

import functools
import inspect
import math
import re

import numpy as np

from .finite import guarded_calls
from .guards import NonFiniteError, NumericalOverflowError, first_non_finite
from .params import mlp_keys
from .validate import all_finite, check_batch

__all__ = ["guard_result", "overflow_message"]


def _bad_output(value, name):
    """The name of the first non-finite part of a result (a float, an array, or a dict/list of them), else None."""
    if isinstance(value, dict):
        return next((b for k, v in value.items() if (b := _bad_output(v, f"{name}[{k!r}]"))), None)
    if isinstance(value, list | tuple):
        return next((b for i, v in enumerate(value) if (b := _bad_output(v, f"{name}[{i}]"))), None)
    if isinstance(value, np.ndarray):
        return None if all_finite(value) else f"{name} ({first_non_finite(value)})"
    return None if math.isfinite(value) else f"{name} ({value})"


def guard_result(*names: str, steps):
    """Decorator: call under ``np.errstate(all="ignore")`` and refuse a non-finite result.

    ``names`` name the parts of the result: ``("loss", "grads")`` for a
    ``(loss, grads)`` pair, ``("probs",)`` for one array.  The wrapped function
    takes ``params, X`` (and ``y, reg, activations`` if it has them).  ``steps``
    is the net's plain composition, ``steps(params, X, y, reg, activations, trace)``
    filling the dict ``trace`` with its intermediates in order (`fcnet.core.mlp.compose`).
    """

    def decorate(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def guarded(*args, **kwargs):
            with guarded_calls(), np.errstate(all="ignore"):  # the building blocks inside check nothing themselves
                try:
                    out = fn(*args, **kwargs)
                except NonFiniteError as exc:  # non-finite input (overflow_message raises it again), or a block's
                    bad = str(exc)
                else:
                    parts = zip(names, out) if isinstance(out, tuple) else [(names[0], out)]
                    bad = next((b for n, v in parts if (b := _bad_output(v, n))), None)
                    if bad is None:
                        return out
                message = overflow_message(fn.__name__, bad, steps, **signature.bind(*args, **kwargs).arguments)
            raise NumericalOverflowError(message)

        return guarded

    return decorate


def _describe(key: str, activations: list[str]) -> str:
    """What the intermediate ``key`` of `fcnet.core.mlp.compose` is, as a formula: ``"z2 = W2 a1 + b2"``."""
    kind, l = re.fullmatch(r"([a-z_]+?)(\d*)", key).groups()
    L, l = len(activations) + 1, int(l or 0)
    formulas = {
        "z": lambda: f"z{l} = W{l} {f'a{l - 1}' if l > 1 else 'X'} + b{l}",
        "a": lambda: f"a{l} = {activations[l - 1]}(z{l})",
        "probs": lambda: f"ŷ = softmax(z{L})",
        "data_loss": lambda: "the mean cross-entropy",
        "penalty": lambda: "the L2 penalty ½λ Σ‖Wₗ‖²",
        "loss": lambda: "J = cross-entropy + ½λ Σ‖Wₗ‖²",
        "dz": lambda: f"δ{L} = (Ŷ − Y)/N" if l == L else f"δ{l} = (W{l + 1}ᵀ δ{l + 1}) ⊙ {activations[l - 1]}'(z{l})",
    }
    return formulas[kind]()


def _first_bad_step(steps, params, X, y, reg, activations):
    """``(quantity, detail, raised)`` for the first intermediate of the plain net that is not finite, else None."""
    trace: dict = {}
    try:
        steps(params, X, y, reg, activations, trace)
    except NonFiniteError as exc:  # a block's own check: an earlier quantity overflowed, or its message says what
        raised = str(exc)
    else:
        raised = None
    for key, value in trace.items():
        if key != "grads" and not (all_finite(value) if isinstance(value, np.ndarray) else math.isfinite(value)):
            detail = first_non_finite(value) if isinstance(value, np.ndarray) else str(value)
            return _describe(key, activations), detail, False
    return (None, raised, True) if raised else None


def overflow_message(function: str, bad: str, steps, params, X, y=None, reg=None, activations=("sigmoid",), **_) -> str:
    """The message for a non-finite result ``bad`` of ``function`` on checked-finite input."""
    activations = list(activations)
    params, X, y, reg = check_batch(params, X, y, reg, keys=mlp_keys(len(activations) + 1))
    with guarded_calls(), np.errstate(all="ignore"):
        found = _first_bad_step(steps, params, X, y, reg, activations)
    dtype = np.result_type(*params.values(), X)
    if found and found[2]:
        what = found[1]  # the building block's own message names the quantity
    else:
        where = f"{found[0]} is not finite ({found[1]})" if found else f"{bad} is not finite"
        inputs = "params, X and reg are" if reg is not None else "params and X are"
        what = f"{where} although {inputs} finite: it overflowed {dtype}'s range (±{np.finfo(dtype).max:.3g})"
    sizes = ", ".join(f"params[{k!r}] {float(np.max(np.abs(v))):.3g}" for k, v in params.items() if v.size)
    reg_text = f", reg {reg:g}" if reg is not None else ""
    return f"{function}: {what}.  Largest |entries| of the input: {sizes}, X {float(np.max(np.abs(X))):.3g}{reg_text}"
