"""Softmax, mean cross-entropy and the L2 penalty, with their gradients.

Classes run down the rows: logits ``z`` are (C, N), one column per example.
The loss is J = (1/N) Σₙ CE⁽ⁿ⁾ + ½λ(‖W1‖² + ‖W2‖²), biases unregularised.

>>> import numpy as np
>>> z = np.array([[1000.0, 0.0], [0.0, 0.0]])   # the notes' np.exp(z) would overflow
>>> softmax(z)
array([[1. , 0.5],
       [0. , 0.5]])
>>> loss, cache = softmax_ce_forward(z, np.array([1, 0]))
>>> round(loss, 6)   # (1000 + log 2) / 2
500.346574
>>> softmax_ce_backward(1.0, cache)
array([[ 0.5 , -0.25],
       [-0.5 ,  0.25]])
"""

from __future__ import annotations

import numpy as np

from .finite import building_block
from .guards import (
    check_ce_backward,
    check_ce_forward,
    check_l2_backward,
    check_l2_forward,
    check_penalty,
    check_softmax,
)
from .layers import into

__all__ = ["log_softmax", "softmax", "softmax_ce_forward", "softmax_ce_backward", "l2_forward", "l2_backward"]


@building_block("log ŷ = log_softmax(z)", check=check_softmax)
def log_softmax(z: np.ndarray, *, out: np.ndarray | None = None, scratch: np.ndarray | None = None) -> np.ndarray:
    """Log of the softmax over classes (axis 0), by the log-sum-exp trick.

    Parameters
    ----------
    z : ndarray, shape (C, N)
    out : ndarray, shape (C, N), optional
        Where to write log ŷ; may be ``z`` itself.  A new array when None.
    scratch : ndarray, shape (C, N), optional
        An array the call may overwrite (the engine's signature); this version needs none.

    Returns
    -------
    logp : ndarray, shape (C, N)
        log ŷ; every column's exponentials sum to 1.
    """
    # --8<-- [start:log-softmax]
    # log ŷ_k = z_k − log Σ_j e^{z_j} = (z_k − z_max) − log Σ_j e^{z_j − z_max},  z_max = max_j z_j,
    # so the largest exponent is e⁰ = 1: nothing overflows, and the sum is ≥ 1, so its log is finite
    shifted = z - z.max(axis=0, keepdims=True)  # z − z_max
    logp = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))  # − log Σ_j e^{z_j − z_max}
    # --8<-- [end:log-softmax]
    return into(out, logp)


@building_block("ŷ = softmax(z)", check=check_softmax)
def softmax(z: np.ndarray, *, out: np.ndarray | None = None) -> np.ndarray:
    """Softmax over classes (axis 0): ŷ = exp(log_softmax(z)).

    Parameters
    ----------
    z : ndarray, shape (C, N)
    out : ndarray, shape (C, N), optional
        Where to write ŷ; may be ``z`` itself.  A new array when None.

    Returns
    -------
    probs : ndarray, shape (C, N)
        Each column sums to 1.
    """
    # ŷ = e^{log ŷ}
    return into(out, np.exp(log_softmax(z)))


@building_block("the mean cross-entropy", None, check=check_ce_forward)
def softmax_ce_forward(z: np.ndarray, y: np.ndarray, *, out: np.ndarray | None = None, scratch=None):
    """Mean cross-entropy of softmax(z) against integer labels.

    Parameters
    ----------
    z : ndarray, shape (C, N)
        Logits.
    y : ndarray of int, shape (N,)
        The class of each column, in [0, C).
    out : ndarray, shape (C, N), optional
        Where to keep ŷ for the backward pass; may be ``z`` itself.  A new array when None.
    scratch : ndarray, shape (C, N), optional
        An array the call may overwrite (the engine's signature); this version needs none.

    Returns
    -------
    loss : float
        (1/N) Σₙ −log ŷ⁽ⁿ⁾ at the label yₙ.
    cache : tuple
        ``(probs, y)`` for `softmax_ce_backward`.
    """
    N = z.shape[1]
    # --8<-- [start:softmax-ce-forward]
    logp = log_softmax(z)  # log ŷ, column by column
    # CE⁽ⁿ⁾ = −Σ_k y_k⁽ⁿ⁾ log ŷ_k⁽ⁿ⁾ = −log ŷ_{yₙ}⁽ⁿ⁾ for a one-hot y⁽ⁿ⁾;  the data loss is their mean
    loss = -logp[y, np.arange(N)].mean()
    probs = np.exp(logp)  # ŷ, what the backward pass needs
    # --8<-- [end:softmax-ce-forward]
    return float(loss), (into(out, probs), y)


@building_block("dz = (Ŷ − Y) dout / N", check=check_ce_backward)
def softmax_ce_backward(dout: float, cache, *, out: np.ndarray | None = None) -> np.ndarray:
    """Gradient of the mean cross-entropy with respect to the logits.

    Parameters
    ----------
    dout : float
        Upstream gradient ∂J/∂loss (1.0 when the loss is J's data term).
    cache : tuple
        ``(probs, y)`` saved by `softmax_ce_forward`.
    out : ndarray, shape (C, N), optional
        Where to write dz; may be the cached ``probs`` itself.  A new array when None.

    Returns
    -------
    dz : ndarray, shape (C, N)
        ∂J/∂z = (1/N)(Ŷ − Y) · dout, Y the one-hot labels.
    """
    probs, y = cache
    N = probs.shape[1]
    # --8<-- [start:softmax-ce-backward]
    # ∂CE⁽ⁿ⁾/∂z⁽²⁾ = ŷ⁽ⁿ⁾ − y⁽ⁿ⁾ for column n, and the batch mean divides by N:  ∂J/∂Z⁽²⁾ = (1/N)(Ŷ − Y)
    Y = np.zeros_like(probs)
    Y[y, np.arange(N)] = 1  # one-hot: Y[k, n] = 1 where k = yₙ
    dz = dout * (probs - Y) / N
    # --8<-- [end:softmax-ce-backward]
    return into(out, dz)


@building_block("the L2 penalty ½λ Σ‖W‖²", check=check_l2_forward)
def l2_forward(weights, reg: float) -> float:
    """The L2 penalty ½λ Σ ‖W‖²_F over the given weight matrices.

    Parameters
    ----------
    weights : sequence of ndarray
        The weight matrices (biases are not regularised).
    reg : float
        λ ≥ 0.

    Returns
    -------
    penalty : float
    """
    # --8<-- [start:l2-forward]
    # ½λ(‖W⁽¹⁾‖²_F + ‖W⁽²⁾‖²_F),  ‖W‖²_F = Σ_pq W_pq² (a dot product of W with itself: no W ⊙ W array)
    penalty = 0.5 * reg * sum(float(np.vdot(W, W)) for W in weights)
    # --8<-- [end:l2-forward]
    return check_penalty(penalty, weights, reg)


@building_block("dW = λW", check=check_l2_backward)
def l2_backward(W: np.ndarray, reg: float, *, out: np.ndarray | None = None) -> np.ndarray:
    """Gradient of ½λ‖W‖²_F with respect to W.

    Parameters
    ----------
    W : ndarray, shape (rows, columns)
    reg : float
    out : ndarray, same shape as W, optional
        Where to write λW.  A new array when None.

    Returns
    -------
    dW : ndarray, same shape as W
    """
    # --8<-- [start:l2-backward]
    # ∂(½λ‖W‖²_F)/∂W = λW   (the ½ cancels the 2 of the square)
    dW = reg * W
    # --8<-- [end:l2-backward]
    return into(out, dW)
