"""The nets' result guard: no RuntimeWarning, and a clear error naming what overflowed.

`guard_result` wraps the nets' public entries (`fcnet.loss_and_grads`,
`fcnet.forward`, the L-layer pair and the PyTorch twins).  It runs the call
under ``np.errstate(all="ignore")``, then checks what it returns: the loss
with `math.isfinite`, each array with one dot product (`all_finite`), a small
cost beside the step.  The building blocks the net calls skip their own
checks meanwhile (`fcnet.core.finite.guarded_calls`): the step pays no pass
per layer.  The input was checked finite first (`check_batch`), so a
non-finite result means that something overflowed; the guard then runs the
passes again one stage at a time and raises `NumericalOverflowError` naming
the first quantity that is not finite.

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

import numpy as np

from .activations import ACTIVATIONS
from .finite import guarded_calls
from .guards import NonFiniteError, NumericalOverflowError, first_non_finite
from .layers import affine_backward, affine_forward
from .losses import l2_backward, l2_forward, log_softmax, softmax_ce_backward, softmax_ce_forward
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


def guard_result(*names: str):
    """Decorator: call under ``np.errstate(all="ignore")`` and refuse a non-finite result.

    ``names`` name the parts of the result: ``("loss", "grads")`` for a
    ``(loss, grads)`` pair, ``("probs",)`` for one array.  The wrapped function
    takes ``params, X`` (and ``y, reg, activations`` if it has them).
    """

    def decorate(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def guarded(*args, **kwargs):
            with guarded_calls(), np.errstate(all="ignore"):  # the building blocks inside check nothing themselves
                try:
                    out = fn(*args, **kwargs)
                except (
                    NonFiniteError
                ) as exc:  # non-finite input (overflow_message raises it again), or a building block's
                    bad = str(exc)
                else:
                    parts = zip(names, out) if isinstance(out, tuple) else [(names[0], out)]
                    bad = next((b for n, v in parts if (b := _bad_output(v, n))), None)
                    if bad is None:
                        return out
                message = overflow_message(fn.__name__, bad, **signature.bind(*args, **kwargs).arguments)
            raise NumericalOverflowError(message)

        return guarded

    return decorate


class _Found(Exception):
    """(stage, detail, raised): the first stage whose result is not finite, and whether it raised itself."""


def _stage(names, compute):
    """``compute()``, checking each part named in ``names`` (a str, or a tuple with None for unchecked parts)."""
    try:
        value = compute()
    except NonFiniteError as exc:
        raise _Found(names if isinstance(names, str) else names[0], str(exc), True) from None
    parts = zip(names, value) if isinstance(names, tuple) else [(names, value)]
    for name, v in parts:
        if isinstance(v, np.ndarray) and not all_finite(v):
            raise _Found(name, first_non_finite(v), False)
        if isinstance(v, float) and not math.isfinite(v):
            raise _Found(name, str(v), False)
    return value


def _first_bad_stage(params, X, y, reg, activations):
    """Run the net stage by stage; ``(stage, detail)`` for the first non-finite quantity, else None."""
    L = len(activations) + 1
    try:
        a, a_name, caches = X, "X", []
        for l in range(1, L + 1):
            W, b = params[f"W{l}"], params[f"b{l}"]
            z, affine = _stage((f"z{l} = W{l} {a_name} + b{l}", None), lambda: affine_forward(W, a, b))
            act = None
            if l < L:
                f = ACTIVATIONS[activations[l - 1]]
                a, act = _stage((f"a{l} = {f.name}(z{l})", None), lambda: f.forward(z))
                a_name = f"a{l}"
            caches.append((affine, act))
        if y is None:
            _stage(f"log ŷ = log_softmax(z{L})", lambda: log_softmax(z))
            return None
        ce, cache = _stage(("the mean cross-entropy", None), lambda: softmax_ce_forward(z, y))
        penalty = _stage(
            "the L2 penalty ½λ Σ‖Wₗ‖²", lambda: l2_forward([params[f"W{l}"] for l in range(1, L + 1)], reg)
        )
        _stage("J = cross-entropy + ½λ Σ‖Wₗ‖²", lambda: ce + penalty)
        dz = _stage(f"δ{L} = (Ŷ − Y)/N", lambda: softmax_ce_backward(1.0, cache))
        for l in range(L, 0, -1):
            prev = f"a{l - 1}" if l > 1 else "X"
            names = (f"δ{l} {prev}ᵀ (in ∂J/∂W{l})", f"∂J/∂b{l} = Σₙ δ{l}", f"W{l}ᵀ δ{l}" if l > 1 else None)
            dW, _, da = _stage(names, lambda: affine_backward(dz, caches[l - 1][0], need_da=l > 1))
            reg_W = _stage(f"λW{l}", lambda: l2_backward(params[f"W{l}"], reg))
            _stage(f"∂J/∂W{l} = δ{l} {prev}ᵀ + λW{l}", lambda: dW + reg_W)
            if l > 1:
                f = ACTIVATIONS[activations[l - 2]]
                dz = _stage(f"δ{l - 1} = (W{l}ᵀ δ{l}) ⊙ {f.name}'(z{l - 1})", lambda: f.backward(da, caches[l - 2][1]))
    except _Found as found:
        return found.args
    return None


def overflow_message(function: str, bad: str, params, X, y=None, reg=None, activations=("sigmoid",), **_) -> str:
    """The message for a non-finite result ``bad`` of ``function`` on checked-finite input."""
    activations = list(activations)
    params, X, y, reg = check_batch(params, X, y, reg, keys=mlp_keys(len(activations) + 1))
    found = _first_bad_stage(params, X, y, reg, activations)
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
