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

import numpy as np

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
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                raise TypeError(f"params[{k!r}] is {type(p).__name__}; expected a floating ndarray (updated in place)")
        if not (isinstance(lr, float | int) and not isinstance(lr, bool) and math.isfinite(lr) and lr > 0):
            raise ValueError(f"lr is {lr!r}; expected a finite learning rate > 0")
        if not (isinstance(momentum, float | int) and not isinstance(momentum, bool) and 0 <= momentum < 1):
            raise ValueError(f"momentum is {momentum!r}; expected a number in [0, 1)")
        self.params = params
        self.lr = float(lr)
        self.momentum = float(momentum)
        self.velocity: dict[str, np.ndarray] = {}

    def step(self, grads: dict[str, np.ndarray]) -> None:
        """Apply one update with the gradients of the current minibatch.

        Parameters
        ----------
        grads : dict of ndarray
            ∂J/∂p for every key p of ``params``, with p's shape.
        """
        if set(grads) != set(self.params):
            raise ValueError(f"grads has keys {sorted(grads)}; expected the keys of params {sorted(self.params)}")
        for k, g in grads.items():
            if np.shape(g) != self.params[k].shape:
                raise ValueError(
                    f"grads[{k!r}] has shape {np.shape(g)}; expected {self.params[k].shape}, that of params[{k!r}]"
                )
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
            # p ← p − lr · v
            p -= lr * self.velocity[k]
            # --8<-- [end:sgd-update]
