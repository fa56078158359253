"""The two-layer net's step in reused arrays: the memory-saving twin of `fcnet.core.net.net_steps`.

The plain composition keeps a new array for every result.  This one keeps
a step's memory near the least its arrays need: one (H, N) array holds z1,
then σ(z1) over it, then δ1 over σ(z1); W2ᵀ δ2 is computed a block of rows
at a time (`fcnet.engine.rows`), so it never takes a second (H, N) array;
and every array comes from a `fcnet.engine.Workspace`, so a training loop
that passes one allocates nothing after its first step.  Its arguments are
checked by the door that calls it (`fcnet.loss_and_grads`).
"""

from __future__ import annotations

import numpy as np

from ..core.losses import l2_forward
from . import inplace
from .rows import block_rows, row_blocks
from .workspace import Workspace, as_workspace

__all__ = ["forward", "loss_and_grads"]


def _forward(params, X, arrays):
    """z2 into ``arrays["z2"]``, σ(z1) left in ``arrays["z1"]``."""
    z1 = inplace.affine(params["W1"], X, params["b1"], out=arrays["z1"])  # z1 = W1 X + b1      (H, N)
    a1 = inplace.sigmoid(z1, out=z1)  # a1 = σ(z1), over z1                                      (H, N)
    z2 = inplace.affine(params["W2"], a1, params["b2"], out=arrays["z2"])  # z2 = W2 a1 + b2   (C, N)
    return a1, z2


def forward(params, X) -> np.ndarray:
    """ŷ (C, N), written over z2; the (H, N) array is let go on return."""
    (H, _), (C, N) = params["W1"].shape, (params["W2"].shape[0], X.shape[1])
    arrays = Workspace.for_one_call().take(np.result_type(X, *params.values()), {"z1": (H, N)}, {"z2": (C, N)})
    _, z2 = _forward(params, X, arrays)
    logp = inplace.log_softmax(z2, out=z2, scratch=None)
    return np.exp(logp, out=logp)


def loss_and_grads(params, X, y, reg, workspace: Workspace | None = None):
    """J and its gradients, every array of the step from ``workspace`` (a new one of its own when None)."""
    (H, D_in), (C, N) = params["W1"].shape, (params["W2"].shape[0], X.shape[1])
    # --8<-- [start:net-arrays]
    # the step's arrays: one (H, N), two (C, N), a block of rows of W2ᵀ δ2 and the gradients; an array takes the
    # next role when its last is done
    arrays = as_workspace(workspace).take(
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
    W1, W2 = params["W1"], params["W2"]
    a1, z2 = _forward(params, X, arrays)
    data_loss, probs = inplace.softmax_ce(z2, y, out=z2, scratch=arrays["exp_z2"])
    loss = data_loss + l2_forward((W1, W2), reg)
    # --8<-- [start:engine-backward]
    dz2 = inplace.softmax_ce_backward(probs, y, out=probs)  # δ2 = (1/N)(Ŷ − Y), over Ŷ              (C, N)
    dW2 = np.matmul(dz2, a1.T, out=arrays["dW2"])  # δ2 a1ᵀ
    db2 = np.sum(dz2, axis=1, out=arrays["db2"])  # Σₙ δ2
    # δ1 = (W2ᵀ δ2) ⊙ σ(z1)(1 − σ(z1))   (H, N), written over σ(z1), whose last use was dW2.  A block of rows
    # (hidden units) at a time, so that W2ᵀ δ2 takes a (rows, N) array and never a second (H, N) one
    for rows, da1 in row_blocks(H, arrays["da1"]):
        np.matmul(W2[:, rows].T, dz2, out=da1)  # rows of W2ᵀ δ2: the columns `rows` of W2, transposed, times δ2
        a1[rows] = inplace.sigmoid_backward(da1, a1[rows], out=da1, scratch=a1[rows])  # ⊙ σ(z1)(1 − σ(z1))
    dz1 = a1  # δ1, in σ(z1)'s array
    dW1 = np.matmul(dz1, X.T, out=arrays["dW1"])  # δ1 Xᵀ
    db1 = np.sum(dz1, axis=1, out=arrays["db1"])  # Σₙ δ1
    dW1 += np.multiply(reg, W1, out=arrays["reg_W1"])  # + λW1
    dW2 += np.multiply(reg, W2, out=arrays["reg_W2"])  # + λW2
    # --8<-- [end:engine-backward]
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
