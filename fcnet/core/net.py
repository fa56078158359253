"""The notes' two-layer net: the layers composed, forward then backward.

    z1 = W1 X + b1,  a1 = σ(z1),  z2 = W2 a1 + b2,  ŷ = softmax(z2)
    J  = (1/N) Σₙ CE(y⁽ⁿ⁾, ŷ⁽ⁿ⁾) + ½λ(‖W1‖² + ‖W2‖²)

>>> from fcnet import seed_example
>>> params, X, y, reg = seed_example()
>>> loss, grads = loss_and_grads(params, X, y, reg)
>>> import math   # ŷ is uniform (every row of W2 equal), so CE = log 5; ½λ(‖W1‖² + ‖W2‖²) = ¼(56 + 80)
>>> math.isclose(loss, math.log(5) + 34, rel_tol=1e-15)
True
>>> sorted(grads) == sorted(params) and all(grads[k].shape == params[k].shape for k in params)
True
"""

from __future__ import annotations

import numpy as np

from .blocks import block_rows, row_blocks
from .layers import affine_backward, affine_forward, sigmoid_backward, sigmoid_forward
from .losses import l2_backward, l2_forward, softmax, softmax_ce_backward, softmax_ce_forward
from .overflow import guard_result
from .validate import check_batch, require_loss_args
from .workspace import Workspace, as_workspace

__all__ = ["forward", "loss_and_grads"]


def _forward(params, X, buf):
    """Forward pass on checked input into the buffers ``buf``; returns the logits and the layer caches."""
    # --8<-- [start:net-forward]
    z1, affine1 = affine_forward(params["W1"], X, params["b1"], out=buf["z1"])  # z1 = W1 X + b1          (H, N)
    a1, sigmoid1 = sigmoid_forward(z1, out=z1)  # a1 = σ(z1), over z1                                 (H, N)
    z2, affine2 = affine_forward(params["W2"], a1, params["b2"], out=buf["z2"])  # z2 = W2 a1 + b2         (C, N)
    # --8<-- [end:net-forward]
    return z2, (affine1, sigmoid1, affine2)


@guard_result("probs")
def forward(params: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """Class probabilities ŷ = softmax(W2 σ(W1 X + b1) + b2).

    Parameters
    ----------
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).
    X : ndarray, shape (D_in, N)
        One example per column.

    Returns
    -------
    probs : ndarray, shape (C, N)
        Each column sums to 1.
    """
    params, X, _, _ = check_batch(params, X)
    (H, _), (C, N) = params["W1"].shape, (params["W2"].shape[0], X.shape[1])
    # z2 (then ŷ over it) is returned: an output, so that it keeps no (H, N) array alive
    buf = Workspace.for_one_call().take(np.result_type(X, *params.values()), {"z1": (H, N)}, {"z2": (C, N)})
    z2, _ = _forward(params, X, buf)
    return softmax(z2, out=z2)


@guard_result("loss", "grads")
def loss_and_grads(
    params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, reg: float, *, workspace: Workspace | None = None
):
    """Loss J and its gradient with respect to every parameter.

    Parameters
    ----------
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).
    X : ndarray, shape (D_in, N)
        One example per column.
    y : ndarray of int, shape (N,)
        Class labels in [0, C).
    reg : float
        L2 strength λ ≥ 0 on W1 and W2.
    workspace : fcnet.Workspace, optional
        Reuse its buffers for every array of the step, the returned gradients
        included, which the next call with this workspace overwrites.  None
        (the default) allocates, and returns gradients of your own.

    Returns
    -------
    loss : float
        J = (1/N) Σₙ CE⁽ⁿ⁾ + ½λ(‖W1‖²_F + ‖W2‖²_F).
    grads : dict of ndarray
        ∂J/∂p for each key p of ``params``, with p's shape.

    Raises
    ------
    NumericalOverflowError
        When the input is finite but the loss or a gradient is not; the message
        names the first quantity that overflowed.
    """
    require_loss_args(y, reg)
    params, X, y, reg = check_batch(params, X, y, reg)
    (H, D_in), (C, N) = params["W1"].shape, (params["W2"].shape[0], X.shape[1])
    # --8<-- [start:net-arrays]
    # the step's arrays: one (H, N), two (C, N), a block of rows of W2ᵀ δ2 and the gradients; an array takes the
    # next role when its last is done
    buf = as_workspace(workspace).take(
        np.result_type(X, *params.values()),
        temporaries={
            "z1": (H, N),  # z1, then σ(z1) over it, then δ1 over it, then λW1
            "z2": (C, N),  # z2, then log ŷ, ŷ, δ2, then λW2
            "exp_z2": (C, N),  # e^{z2 − max z2} for the loss
            "da1": (block_rows(H, N), N),  # W2ᵀ δ2, a block of rows at a time
            "reg_W1": (H, D_in),
            "reg_W2": (C, H),
        },
        outputs={"dW1": (H, D_in), "db1": (H,), "dW2": (C, H), "db2": (C,)},
        shared={"reg_W1": "z1", "da1": "exp_z2", "reg_W2": "z2"},
    )
    # --8<-- [end:net-arrays]
    z2, (affine1, sigmoid1, affine2) = _forward(params, X, buf)
    data_loss, ce = softmax_ce_forward(z2, y, out=z2, scratch=buf["exp_z2"])
    loss = data_loss + l2_forward((params["W1"], params["W2"]), reg)

    # --8<-- [start:net-backward]
    dz2 = softmax_ce_backward(1.0, ce, out=z2)  # δ2 = (1/N)(Ŷ − Y), over Ŷ                   (C, N)
    dW2, db2, _ = affine_backward(dz2, affine2, need_da=False, out=(buf["dW2"], buf["db2"], None))  # δ2 a1ᵀ, Σₙ δ2
    # δ1 = (W2ᵀ δ2) ⊙ σ(z1)(1 − σ(z1))   (H, N), written over σ(z1), whose last use was dW2.  A block of rows
    # (hidden units) at a time, so that W2ᵀ δ2 takes a (rows, N) array da1 and never a second (H, N) one
    a1, W2 = sigmoid1, params["W2"]
    for rows, da1 in row_blocks(H, buf["da1"]):
        np.matmul(W2[:, rows].T, dz2, out=da1)  # rows of W2ᵀ δ2: the columns `rows` of W2, transposed, times δ2
        a1[rows] = sigmoid_backward(da1, a1[rows], out=da1, scratch=a1[rows])  # ⊙ σ(z1)(1 − σ(z1)), those rows
    dz1 = a1  # δ1, in σ(z1)'s array
    dW1, db1, _ = affine_backward(dz1, affine1, need_da=False, out=(buf["dW1"], buf["db1"], None))  # δ1 Xᵀ, Σₙ δ1
    dW1 += l2_backward(params["W1"], reg, out=buf["reg_W1"])  # + λW1
    dW2 += l2_backward(W2, reg, out=buf["reg_W2"])  # + λW2
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    # --8<-- [end:net-backward]
    return loss, grads
