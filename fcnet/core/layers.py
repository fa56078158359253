"""Layers as forward/backward pairs: the affine map and the sigmoid.

Each ``*_forward`` returns ``out, cache``; the matching ``*_backward(dout,
cache)`` turns the upstream gradient ``dout = ∂J/∂out`` into the gradients of
the layer's inputs.  Batches are columns, as in the notes: ``a`` is (D, N).
Each body is the formula and the NumPy lines that compute it, a new array per
result; the memory-saving versions that write into reused arrays are
`fcnet.engine.inplace`, tested equal to these.

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

from .finite import building_block
from .guards import check_affine_backward, check_affine_forward, check_elementwise, check_elementwise_backward

__all__ = ["affine_forward", "affine_backward", "sigmoid_forward", "sigmoid_backward", "into", "far_tail"]


def into(out: np.ndarray | None, value: np.ndarray) -> np.ndarray:
    """``value`` copied into ``out`` (and ``out`` returned), or ``value`` itself when ``out`` is None.

    The public blocks keep NumPy's ``out=`` convention with this one line; the engine computes in place itself.
    """
    if out is None:
        return value
    out[...] = value
    return out


def far_tail(dtype) -> float:
    """z₀ = 1 − log(largest float): −708.8 in float64, −87.7 in float32; below it e^(−z) overflows or nearly."""
    return 1.0 - float(np.log(np.finfo(dtype).max))


@building_block("z = W a + b", None, check=check_affine_forward)
def affine_forward(W: np.ndarray, a: np.ndarray, b: np.ndarray, *, out: np.ndarray | None = None):
    """Forward pass of z = W a + b for a batch of columns.

    Parameters
    ----------
    W : ndarray, shape (H, D)
        Weights, one row per output unit.
    a : ndarray, shape (D, N)
        Inputs, one column per example.
    b : ndarray, shape (H,)
        Bias, added to every column.
    out : ndarray, shape (H, N), optional
        Where to write z; a new array when None.

    Returns
    -------
    z : ndarray, shape (H, N)
    cache : tuple
        ``(W, a)``, what `affine_backward` needs.
    """
    # --8<-- [start:affine-forward]
    # z = W a + b 1ᵀ   (b[:, None] is b as a column, broadcast across the N columns)
    z = W @ a + b[:, None]
    # --8<-- [end:affine-forward]
    return into(out, z), (W, a)


@building_block("dW = dout aᵀ", "db = Σₙ dout", "da = Wᵀ dout", check=check_affine_backward)
def affine_backward(dout: np.ndarray, cache, need_da: bool = True, *, out=None):
    """Backward pass of z = W a + b for a batch.

    Parameters
    ----------
    dout : ndarray, shape (H, N)
        Upstream gradient ∂J/∂z.
    cache : tuple
        ``(W, a)`` saved by `affine_forward`.
    need_da : bool, default True
        Whether to compute ∂J/∂a; the first layer's input X needs none.
    out : tuple of 3 ndarrays or None, optional
        ``(dW, db, da)``: where to write each gradient, None for a new array
        (NumPy's convention for several outputs).

    Returns
    -------
    dW : ndarray, shape (H, D)
    db : ndarray, shape (H,)
    da : ndarray, shape (D, N), or None when ``need_da`` is False
    """
    W, a = cache
    dW_out, db_out, da_out = (None, None, None) if out is None else out
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
        da = into(da_out, da)
    return into(dW_out, dW), into(db_out, db), da


@building_block("a = σ(z)", None, check=check_elementwise)
def sigmoid_forward(z: np.ndarray, *, out: np.ndarray | None = None):
    """Element-wise logistic sigmoid, exact for any finite z.

    Parameters
    ----------
    z : ndarray, shape (H, N)
    out : ndarray, shape (H, N), optional
        Where to write σ(z); may be ``z`` itself.  A new array when None.

    Returns
    -------
    a : ndarray, shape (H, N)
        σ(z), in [0, 1].
    cache : ndarray, shape (H, N)
        ``a`` itself: the derivative needs only σ(z).
    """
    # --8<-- [start:sigmoid-forward]
    # σ(z) = 1 / (1 + e^{−z});  far below 0 (z < z₀ ≈ −709 in float64) e^{−z} overflows and that gives 0,
    # but there 1 + e^z rounds to 1, so σ(z) = e^z / (1 + e^z) is e^z to the last bit
    a = np.where(z < far_tail(z.dtype), np.exp(z), 1 / (1 + np.exp(-z)))
    # --8<-- [end:sigmoid-forward]
    a = into(out, a)
    return a, a


@building_block("dz = dout ⊙ σ(z)(1 − σ(z))", check=check_elementwise_backward)
def sigmoid_backward(
    dout: np.ndarray, cache: np.ndarray, *, out: np.ndarray | None = None, scratch: np.ndarray | None = None
) -> np.ndarray:
    """Backward pass of a = σ(z).

    Parameters
    ----------
    dout : ndarray, shape (H, N)
        Upstream gradient ∂J/∂a.
    cache : ndarray, shape (H, N)
        σ(z), saved by `sigmoid_forward`.
    out : ndarray, shape (H, N), optional
        Where to write dz; may be ``dout`` itself.  A new array when None.
    scratch : ndarray, shape (H, N), optional
        An array the call may overwrite (the engine's signature); this version needs none.

    Returns
    -------
    dz : ndarray, shape (H, N)
    """
    a = cache
    # --8<-- [start:sigmoid-backward]
    # ∂J/∂z = ∂J/∂a ⊙ σ'(z),  σ'(z) = σ(z) (1 − σ(z))
    dz = dout * a * (1 - a)
    # --8<-- [end:sigmoid-backward]
    return into(out, dz)
