"""Every intermediate of the two-layer net, each in an array of its own: for the pages, the figures and the bench.

`fcnet.loss_and_grads` writes one array over another to keep its memory
near the minimum (σ(z1) over z1, δ1 over σ(z1), …), so its intermediates are
gone when it returns.  These functions compose the same building blocks in
the same order with a new array for every result, as the notes do, and
return them all.  `net_steps` is also the benchmark's "new array for every
result" step (`fcnet.bench.worker`).  Its gradients are those of
`fcnet.loss_and_grads` bit for bit when δ1 is one block of rows
(`fcnet.core.blocks.block_rows`), and to the last bits otherwise: the step
computes W2ᵀδ2 a block at a time, which the BLAS may round differently.

>>> import numpy as np
>>> from fcnet import loss_and_grads, seed_example
>>> params, X, y, reg = seed_example()
>>> steps = net_steps(params, X, y, reg)
>>> steps["z1"][:, 0]   # every row of W1 is (1, 2, 3) and X's first column (0, 2, 4): 0 + 4 + 12 + b1 = 17
array([17., 17., 17., 17.])
>>> float(steps["dz2"][3, 0])   # (ŷ₃ − 1)/N = (0.2 − 1)/2
-0.4
>>> loss, grads = loss_and_grads(params, X, y, reg)
>>> steps["loss"] == loss and all(np.array_equal(steps["grads"][k], grads[k]) for k in grads)
True
"""

from __future__ import annotations

import numpy as np

from .layers import affine_backward, affine_forward, sigmoid_backward, sigmoid_forward
from .losses import l2_backward, l2_forward, softmax, softmax_ce_backward, softmax_ce_forward
from .validate import check_batch, require_loss_args

__all__ = ["forward_steps", "net_steps"]


def _forward(params, X):
    z1, affine1 = affine_forward(params["W1"], X, params["b1"])
    a1, sigmoid1 = sigmoid_forward(z1)  # a new array: `fcnet.forward` writes σ(z1) over z1
    z2, affine2 = affine_forward(params["W2"], a1, params["b2"])
    return {"z1": z1, "a1": a1, "z2": z2}, (affine1, sigmoid1, affine2)


def forward_steps(params: dict[str, np.ndarray], X: np.ndarray) -> dict[str, np.ndarray]:
    """Every intermediate of the forward pass, by the layers `fcnet.forward` runs, each in an array of its own.

    Parameters
    ----------
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).
    X : ndarray, shape (D_in, N)
        One example per column.

    Returns
    -------
    steps : dict of ndarray
        ``"z1"`` and ``"a1"`` of shape (H, N), ``"z2"`` and ``"probs"`` of shape (C, N).

    >>> from fcnet import forward, seed_example
    >>> params, X, y, reg = seed_example()
    >>> bool(np.array_equal(forward_steps(params, X)["probs"], forward(params, X)))
    True
    """
    params, X, _, _ = check_batch(params, X)
    steps, _ = _forward(params, X)
    return steps | {"probs": softmax(steps["z2"])}


def net_steps(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, reg: float) -> dict:
    """Every intermediate of the forward and the backward pass, each in an array of its own.

    Parameters
    ----------
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).
    X : ndarray, shape (D_in, N)
    y : ndarray of int, shape (N,)
    reg : float

    Returns
    -------
    steps : dict
        ``"z1"``, ``"a1"``, ``"da1"`` = W2ᵀ δ2 and ``"dz1"`` = δ1, of shape (H, N); ``"z2"``, ``"probs"`` = Ŷ
        and ``"dz2"`` = δ2 = (1/N)(Ŷ − Y), of shape (C, N); ``"loss"`` (float) and ``"grads"`` (a dict
        with ``params``' keys), as `fcnet.loss_and_grads` returns them.
    """
    require_loss_args(y, reg)
    params, X, y, reg = check_batch(params, X, y, reg)
    steps, (affine1, sigmoid1, affine2) = _forward(params, X)
    data_loss, ce = softmax_ce_forward(steps["z2"], y)
    loss = data_loss + l2_forward((params["W1"], params["W2"]), reg)
    dz2 = softmax_ce_backward(1.0, ce)
    dW2, db2, da1 = affine_backward(dz2, affine2)
    dz1 = sigmoid_backward(da1, sigmoid1)
    dW1, db1, _ = affine_backward(dz1, affine1, need_da=False)
    dW1 += l2_backward(params["W1"], reg)
    dW2 += l2_backward(params["W2"], reg)
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    return steps | {"probs": ce[0], "loss": loss, "dz2": dz2, "da1": da1, "dz1": dz1, "grads": grads}
