"""Minibatch stochastic gradient descent with momentum, written out.

The update is the one ``torch.optim.SGD(momentum=μ)`` makes (dampening 0,
no Nesterov, no weight decay: the L2 penalty is already in J's gradient)::

    v ← μ v + g        (on the first step v ← g)
    p ← p − lr · v

so that PyTorch can check it step for step (see ``tests/test_optim.py``).

>>> import numpy as np
>>> params = {"w": np.array([1.0, -2.0])}
>>> opt = SGD(params, lr=0.5, momentum=0.5)
>>> opt.step({"w": np.array([2.0, 0.0])})   # v = g = [2, 0];        w = [1 − 1, −2]
>>> opt.step({"w": np.array([2.0, 0.0])})   # v = 0.5·v + g = [3, 0]; w = [0 − 1.5, −2]
>>> params["w"]
array([-1.5, -2. ])
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from ..core.validate import (
    NonFiniteError,
    NumericalOverflowError,
    first_non_finite_index,
    overlap,
    real_float,
    refuse_masked,
)

__all__ = ["SGD"]


class SGD:
    """Minibatch SGD with (heavy-ball) momentum; updates ``params`` in place.

    Parameters
    ----------
    params : dict of ndarray
        The arrays to train, e.g. ``"W1"`` (H, D_in), ``"b1"`` (H,), ...;
        `step` changes them in place, so the caller's dict sees every update.
    lr : float
        The learning rate, > 0.
    momentum : float, default 0.0
        μ in [0, 1); 0 is plain SGD.

    Attributes
    ----------
    velocity : dict of ndarray
        v for each key, created on the first step (empty before).
    """

    def __init__(self, params: dict[str, np.ndarray], lr: float, momentum: float = 0.0):
        if not isinstance(params, dict) or not params:
            raise TypeError(f"params is {type(params).__name__}; expected a non-empty dict of ndarrays")
        for k, p in params.items():
            refuse_masked(p, f"params[{k!r}]")
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                raise TypeError(f"params[{k!r}] is {type(p).__name__}; expected a floating ndarray (updated in place)")
            if not p.flags.writeable:
                raise ValueError(f"params[{k!r}] is read-only; expected a writeable array (updated in place)")
        same = [k for k, p in params.items() if any(p is q for j, q in params.items() if j != k)]
        if same:
            raise ValueError(f"params {same} are one and the same array; expected one array per key")
        keys = list(params)
        for a, b in ((a, b) for n, a in enumerate(keys) for b in keys[n + 1 :]):
            if overlap(params[a], params[b]):
                raise ValueError(
                    f"params[{a!r}] and params[{b!r}] are overlapping views of one buffer; expected one "
                    "array per key: a step would update the shared entries twice"
                )
        for name, value, want in (
            ("lr", lr, "a finite learning rate > 0"),
            ("momentum", momentum, "a number in [0, 1)"),
        ):
            if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
                raise ValueError(f"{name} is {value!r:.80}; expected {want}")
        lr, momentum = real_float(lr, "lr", "a finite learning rate > 0"), real_float(momentum, "momentum", "[0, 1)")
        if not (math.isfinite(lr) and lr > 0):
            raise ValueError(f"lr is {lr!r}; expected a finite learning rate > 0")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum is {momentum!r}; expected a number in [0, 1)")
        self.params = params
        self.lr = float(lr)
        self.momentum = float(momentum)
        self.velocity: dict[str, np.ndarray] = {}

    def step(self, grads: dict[str, np.ndarray]) -> None:
        """Apply one update with the gradients of the current minibatch, all or nothing.

        Every gradient is checked first (keys, shapes, a real floating dtype,
        finite entries), and so is the update's size: if any parameter or
        velocity would overflow its dtype, nothing changes and
        `NumericalOverflowError` names it and ``lr``.

        Parameters
        ----------
        grads : dict of ndarray
            ∂J/∂p for every key p of ``params``, with p's shape.
        """
        self._check(grads)
        mu, lr = self.momentum, self.lr
        for k, p in self.params.items():
            g = grads[k]
            if k not in self.velocity:
                # --8<-- [start:sgd-first-velocity]
                # v ← g   (the first step: a copy, as torch.optim.SGD starts its momentum buffer)
                self.velocity[k] = np.array(g, dtype=p.dtype, copy=True)
                # --8<-- [end:sgd-first-velocity]
            else:
                v = self.velocity[k]
                # --8<-- [start:sgd-velocity]
                # v ← μ v + g   (in place: μv is rounded, then g added, the order torch uses)
                v *= mu
                v += g
                # --8<-- [end:sgd-velocity]
            # --8<-- [start:sgd-update]
            # θ ← θ − lr · v
            p -= lr * self.velocity[k]
            # --8<-- [end:sgd-update]

    def _check(self, grads) -> None:
        """Refuse, before any parameter changes, gradients that are not a finite real match for params."""
        if not isinstance(grads, dict):
            raise TypeError(f"grads is a {type(grads).__name__}; expected a dict with the keys of params")
        if set(grads) != set(self.params):
            raise ValueError(f"grads has keys {sorted(grads)}; expected the keys of params {sorted(self.params)}")
        for k, p in self.params.items():
            g = grads[k]
            refuse_masked(g, f"grads[{k!r}]")
            if not isinstance(g, np.ndarray) or g.dtype.kind != "f":
                got = f"dtype {g.dtype}" if isinstance(g, np.ndarray) else f"a {type(g).__name__}"
                raise TypeError(f"grads[{k!r}] is {got}; expected a real floating ndarray")
            if g.shape != p.shape:
                raise ValueError(f"grads[{k!r}] has shape {g.shape}; expected {p.shape}, that of params[{k!r}]")
            if not p.flags.writeable:
                raise ValueError(f"params[{k!r}] has become read-only; expected a writeable array (updated in place)")
            for j, q in self.params.items():
                if overlap(g, q):  # the update of params[j] would change grads[k] before (or while) it is read
                    raise ValueError(
                        f"grads[{k!r}] shares memory with params[{j!r}]; expected gradients in arrays of their own "
                        "(pass a copy): updating the parameters would change the gradient being applied"
                    )
            top_g, top_p = _largest(g), _largest(p)  # nan or inf when an entry is not finite
            if not math.isfinite(top_g):
                bad = first_non_finite_index(g)
                raise NonFiniteError(f"grads[{k!r}] has a non-finite entry {g[bad]} at index {bad}; expected finite")
            if not math.isfinite(top_p):
                raise NonFiniteError(f"params[{k!r}] has a non-finite entry; SGD cannot step from there")
            # |v'| ≤ μ|v| + |g| and |p'| ≤ |p| + lr·|v'|: both must stay below the dtype's largest float
            v = self.velocity.get(k)
            top_v = self.momentum * _largest(v) + top_g if v is not None else top_g
            limit = float(np.finfo(p.dtype).max) / (1 + 1e-6)  # a margin for the rounding of each operation
            if not (top_v < limit and top_p + self.lr * top_v < limit):
                raise NumericalOverflowError(
                    f"SGD step would overflow params[{k!r}] ({p.dtype}): |p| up to {top_p:.3g}, lr = {self.lr:g} "
                    f"times |v| up to {top_v:.3g}, beyond ±{limit:.3g}; lower lr (training has diverged); "
                    "nothing was changed"
                )


def _largest(a: np.ndarray) -> float:
    """max |a|, NaN or inf when an entry is not finite (max and min propagate NaN); 0 when a is empty."""
    return max(float(a.max()), -float(a.min())) if a.size else 0.0
