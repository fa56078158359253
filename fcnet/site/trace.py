"""Every intermediate of one forward and backward pass, by fcnet's own layers.

`fcnet.loss_and_grads` returns the loss and the parameter gradients only;
the figures and exercises also need what lies between: z⁽¹⁾, a⁽¹⁾, z⁽²⁾, Ŷ,
each example's cross-entropy, and the backward signals ∂J/∂Z⁽²⁾, ∂J/∂A⁽¹⁾,
∂J/∂Z⁽¹⁾.  `net_trace` takes them from `fcnet.core.net.net_steps`, which
composes the building blocks `fcnet.loss_and_grads` runs, so a change in the
layers changes every figure.

>>> import fcnet
>>> t = net_trace(*fcnet.seed_example())
>>> t.z1[:, 0], round(t.loss, 6)
(array([17., 17., 17., 17.]), 35.609438)
>>> float(t.dz2[3, 0])   # (ŷ₃ − 1)/N = (0.2 − 1)/2
-0.4
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.losses import log_softmax
from ..core.net import net_steps
from ..core.validate import check_batch

__all__ = ["NetTrace", "net_trace"]


@dataclass(frozen=True)
class NetTrace:
    """One pass of the notes' two-layer net, everything kept.

    Attributes
    ----------
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).
    X : ndarray, shape (D_in, N)
    y : ndarray of int, shape (N,)
    reg : float
    z1, a1 : ndarray, shape (H, N)
        Z⁽¹⁾ = W⁽¹⁾X + b⁽¹⁾1ᵀ and A⁽¹⁾ = σ(Z⁽¹⁾).
    z2, probs : ndarray, shape (C, N)
        Z⁽²⁾ and Ŷ = softmax(Z⁽²⁾).
    ce : ndarray, shape (N,)
        CE⁽ⁿ⁾ = −log ŷ⁽ⁿ⁾ of the true class, example by example.
    loss : float
        J = mean(ce) + ½λ(‖W⁽¹⁾‖²_F + ‖W⁽²⁾‖²_F).
    dz2 : ndarray, shape (C, N)
        ∂J/∂Z⁽²⁾ = (1/N)(Ŷ − Y).
    da1, dz1 : ndarray, shape (H, N)
        ∂J/∂A⁽¹⁾ = W⁽²⁾ᵀ ∂J/∂Z⁽²⁾ and ∂J/∂Z⁽¹⁾ = ∂J/∂A⁽¹⁾ ⊙ σ'(Z⁽¹⁾).
    grads : dict of ndarray
        ∂J/∂p for every parameter, as `fcnet.loss_and_grads` returns them.
    """

    params: dict
    X: np.ndarray
    y: np.ndarray
    reg: float
    z1: np.ndarray
    a1: np.ndarray
    z2: np.ndarray
    probs: np.ndarray
    ce: np.ndarray
    loss: float
    dz2: np.ndarray
    da1: np.ndarray
    dz1: np.ndarray
    grads: dict

    @property
    def N(self) -> int:
        """The number of examples (columns of X)."""
        return self.X.shape[1]


def net_trace(params: dict, X: np.ndarray, y: np.ndarray, reg: float) -> NetTrace:
    """Run the two-layer net forward and backward and keep every intermediate.

    Parameters
    ----------
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).
    X : ndarray, shape (D_in, N)
    y : ndarray of int, shape (N,)
    reg : float

    Returns
    -------
    trace : NetTrace
    """
    s = net_steps(params, X, y, reg)
    params, X, y, reg = check_batch(params, X, y, reg)  # the arrays net_steps read (checked, so O(1) now)
    ce = -log_softmax(s["z2"])[y, np.arange(X.shape[1])]
    kept = ("z1", "a1", "z2", "probs", "loss", "dz2", "da1", "dz1", "grads")
    return NetTrace(params, X, y, reg, ce=ce, **{k: s[k] for k in kept})
