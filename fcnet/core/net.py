"""The notes' two-layer net: the layers composed, forward then backward.

    z1 = W1 X + b1,  a1 = σ(z1),  z2 = W2 a1 + b2,  ŷ = softmax(z2)
    J  = (1/N) Σₙ CE(y⁽ⁿ⁾, ŷ⁽ⁿ⁾) + ½λ(‖W1‖² + ‖W2‖²)

`net_steps` is the net as a student writes it: each block of
`fcnet.core.layers` and `fcnet.core.losses` called once, a new array for
every result, all of them returned.  `loss_and_grads` and `forward` are the
public doors: they check their arguments once, then run the engine's version
of the same composition (`fcnet.engine.net`), which writes one array over
another to keep a step's memory near the minimum; ``tests/test_engine.py``
proves the two agree.

>>> import math
>>> import numpy as np
>>> from fcnet import seed_example
>>> params, X, y, reg = seed_example()
>>> loss, grads = loss_and_grads(params, X, y, reg)
>>> math.isclose(loss, math.log(5) + 34, rel_tol=1e-15)   # ŷ uniform: CE = log 5; ½λ(‖W1‖² + ‖W2‖²) = ¼(56 + 80)
True
>>> steps = net_steps(params, X, y, reg)
>>> steps["z1"][:, 0]   # every row of W1 is (1, 2, 3) and X's first column (0, 2, 4): 0 + 4 + 12 + b1 = 17
array([17., 17., 17., 17.])
>>> steps["loss"] == loss and all(np.array_equal(steps["grads"][k], grads[k]) for k in grads)
True
"""

from __future__ import annotations

import numpy as np

from ..engine import net as engine
from ..engine.workspace import Workspace
from .layers import affine_backward, affine_forward, sigmoid_backward, sigmoid_forward
from .losses import l2_backward, l2_forward, softmax, softmax_ce_backward, softmax_ce_forward
from .mlp import compose
from .overflow import guard_result
from .validate import check_batch, require_loss_args

__all__ = ["forward", "forward_steps", "loss_and_grads", "net_steps"]


def _steps(params, X, y=None, reg=None) -> dict:
    """The net on checked arguments, each intermediate in an array of its own (the forward pass alone without y)."""
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    # --8<-- [start:net-forward]
    z1, affine1 = affine_forward(W1, X, b1)  # z1 = W1 X + b1                      (H, N)
    a1, sigmoid1 = sigmoid_forward(z1)  # a1 = σ(z1)                               (H, N)
    z2, affine2 = affine_forward(W2, a1, b2)  # z2 = W2 a1 + b2                    (C, N)
    # --8<-- [end:net-forward]
    if y is None:
        return {"z1": z1, "a1": a1, "z2": z2, "probs": softmax(z2)}
    # --8<-- [start:net-loss]
    data_loss, ce = softmax_ce_forward(z2, y)  # (1/N) Σₙ CE⁽ⁿ⁾, and ŷ for the backward pass
    loss = data_loss + l2_forward((W1, W2), reg)  # J = … + ½λ(‖W1‖² + ‖W2‖²)
    # --8<-- [end:net-loss]
    # --8<-- [start:net-backward]
    dz2 = softmax_ce_backward(1.0, ce)  # (D2) δ2 = ∂J/∂z2 = (1/N)(Ŷ − Y)             (C, N)
    dW2, db2, da1 = affine_backward(dz2, affine2)  # (D4) δ2 a1ᵀ, Σₙ δ2 and W2ᵀ δ2   (C, H), (C,), (H, N)
    dz1 = sigmoid_backward(da1, sigmoid1)  # (D5) δ1 = (W2ᵀ δ2) ⊙ σ(z1)(1 − σ(z1))  (H, N)
    dW1, db1, _ = affine_backward(dz1, affine1, need_da=False)  # (D4) δ1 Xᵀ, Σₙ δ1   (H, D_in), (H,)
    dW1 = dW1 + l2_backward(W1, reg)  # (D6) ∂J/∂W1 = δ1 Xᵀ + λW1
    dW2 = dW2 + l2_backward(W2, reg)  # (D6) ∂J/∂W2 = δ2 a1ᵀ + λW2
    # --8<-- [end:net-backward]
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    forward = {"z1": z1, "a1": a1, "z2": z2, "probs": ce[0], "data_loss": data_loss, "loss": loss}
    return forward | {"dz2": dz2, "da1": da1, "dz1": dz1, "grads": grads}


@guard_result("probs", steps=compose)
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
    return engine.forward(params, X)


@guard_result("loss", "grads", steps=compose)
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
        Reuse its arrays for every array of the step, the returned gradients
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
    return engine.loss_and_grads(params, X, y, reg, workspace)


@guard_result("steps", steps=compose)
def forward_steps(params: dict[str, np.ndarray], X: np.ndarray) -> dict[str, np.ndarray]:
    """Every intermediate of the forward pass, each in an array of its own.

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

    >>> from fcnet import seed_example
    >>> params, X, y, reg = seed_example()
    >>> bool(np.array_equal(forward_steps(params, X)["probs"], forward(params, X)))
    True
    """
    params, X, _, _ = check_batch(params, X)
    return _steps(params, X)


@guard_result("steps", steps=compose)
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
        and ``"dz2"`` = δ2 = (1/N)(Ŷ − Y), of shape (C, N); ``"data_loss"`` (the mean cross-entropy) and
        ``"loss"`` (J), floats; ``"grads"`` (a dict with ``params``' keys).  The loss and gradients are those
        of `loss_and_grads` bit for bit when the engine computes W2ᵀ δ2 in one block of rows
        (`fcnet.engine.rows.block_rows`), to round-off otherwise.
    """
    require_loss_args(y, reg)
    params, X, y, reg = check_batch(params, X, y, reg)
    return _steps(params, X, y, reg)
