"""Layers as forward/backward pairs: the affine map and the sigmoid.

Each ``*_forward`` returns ``out, cache``; the matching ``*_backward(dout,
cache)`` turns the upstream gradient ``dout = ∂J/∂out`` into the gradients of
the layer's inputs.  Batches are columns, as in the notes: ``a`` is (D, N).

>>> import numpy as np
>>> W, a, b = np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]]), np.array([0.5])
>>> z, cache = affine_forward(W, a, b)
>>> z
array([[11.5]])
>>> dW, db, da = affine_backward(np.ones_like(z), cache)
>>> dW, db, da.ravel()
(array([[3., 4.]]), array([1.]), array([1., 2.]))
>>> s, cache = sigmoid_forward(np.array([[0.0, 1e4, -1e4]]))
>>> s
array([[0.5, 1. , 0. ]])
"""

from __future__ import annotations

import numpy as np

from .guards import check_affine_backward, check_affine_forward, check_elementwise, check_elementwise_backward

__all__ = ["affine_forward", "affine_backward", "sigmoid_forward", "sigmoid_backward"]


def affine_forward(W: np.ndarray, a: np.ndarray, b: np.ndarray):
    """Forward pass of z = W a + b for a batch of columns.

    Parameters
    ----------
    W : ndarray, shape (H, D)
        Weights, one row per output unit.
    a : ndarray, shape (D, N)
        Inputs, one column per example.
    b : ndarray, shape (H,)
        Bias, added to every column.

    Returns
    -------
    z : ndarray, shape (H, N)
    cache : tuple
        ``(W, a)``, what `affine_backward` needs.
    """
    W, a, b = check_affine_forward(W, a, b)
    # --8<-- [start:affine-forward]
    # z = W a + b 1ᵀ   (b is broadcast across the N columns, in place: no np.matlib, no second (H, N) array)
    z = W @ a
    z += b[:, None]
    # --8<-- [end:affine-forward]
    return z, (W, a)


def affine_backward(dout: np.ndarray, cache, need_da: bool = True):
    """Backward pass of z = W a + b for a batch.

    Parameters
    ----------
    dout : ndarray, shape (H, N)
        Upstream gradient ∂J/∂z.
    cache : tuple
        ``(W, a)`` saved by `affine_forward`.
    need_da : bool, default True
        Whether to compute ∂J/∂a; the first layer's input X needs none.

    Returns
    -------
    dW : ndarray, shape (H, D)
    db : ndarray, shape (H,)
    da : ndarray, shape (D, N), or None when ``need_da`` is False
    """
    dout, W, a = check_affine_backward(dout, cache, need_da)
    # --8<-- [start:affine-dW]
    # ∂J/∂W = (∂J/∂z) aᵀ   (dout is ∂J/∂z, a column per example: the product sums their N outer products)
    dW = dout @ a.T
    # --8<-- [end:affine-dW]
    # --8<-- [start:affine-db]
    # ∂J/∂b = (∂J/∂z) 1   (b reaches every column, so its gradient sums them)
    db = dout.sum(axis=1)
    # --8<-- [end:affine-db]
    da = None
    if need_da:
        # --8<-- [start:affine-da]
        # ∂J/∂a = Wᵀ (∂J/∂z)
        da = W.T @ dout
        # --8<-- [end:affine-da]
    return dW, db, da


def sigmoid_forward(z: np.ndarray):
    """Element-wise logistic sigmoid, stable for any finite z.

    Parameters
    ----------
    z : ndarray, shape (H, N)

    Returns
    -------
    a : ndarray, shape (H, N)
        σ(z), in [0, 1].
    cache : ndarray, shape (H, N)
        ``a`` itself: the derivative needs only σ(z).
    """
    z = check_elementwise(z)
    # --8<-- [start:sigmoid-forward]
    # σ(z) = 1 / (1 + e^{−z}): exp, +1 and reciprocal in place on one (H, N) buffer
    a = np.negative(z, out=np.empty_like(z, dtype=np.result_type(z, 1.0)))
    with np.errstate(over="ignore"):  # e^{−z} is inf for z < −709.78 (float64), so a = 1/(1 + inf) = 0 ...
        np.exp(a, out=a)
    a += 1.0
    np.reciprocal(a, out=a)
    # ... but there σ(z) = e^{z}/(1 + e^{z}) = e^{z} (1 + e^{z} rounds to 1): recompute that far tail as e^{z}
    tail_start = 1.0 - np.log(np.finfo(a.dtype).max)  # −708.78 in float64, −87.7 in float32
    if a.size and z.min() < tail_start:
        tail = z < tail_start
        a[tail] = np.exp(z[tail])
    # --8<-- [end:sigmoid-forward]
    return a, a


def sigmoid_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """Backward pass of a = σ(z).

    Parameters
    ----------
    dout : ndarray, shape (H, N)
        Upstream gradient ∂J/∂a.
    cache : ndarray, shape (H, N)
        σ(z), saved by `sigmoid_forward`.

    Returns
    -------
    dz : ndarray, shape (H, N)
    """
    dout = check_elementwise_backward(dout, cache)
    a = cache
    # --8<-- [start:sigmoid-backward]
    # ∂J/∂z = ∂J/∂a ⊙ σ'(z),  σ'(z) = σ(z) (1 − σ(z))
    dz = 1.0 - a
    dz *= a
    dz *= dout
    # --8<-- [end:sigmoid-backward]
    return dz
