"""The same two-layer net in PyTorch, gradients by autograd: a witness.

Only this module imports torch; ``import fcnet`` works without it.  Modern
API throughout: no ``Variable``, no ``size_average``, no ``pdb``.
``nn.Linear`` stores its weight as (out, in), which is the notes' layout
already: W1 is (H, D_in), W2 is (C, H).  Its input is a row per example,
so the batch goes in as ``X.T``, shape (N, D_in).

>>> from fcnet import seed_example, loss_and_grads
>>> params, X, y, reg = seed_example()
>>> loss_t, grads_t = torch_loss_and_grads(params, X, y, reg)
>>> loss_np, grads_np = loss_and_grads(params, X, y, reg)
>>> abs(loss_t - loss_np) < 1e-12
True
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..core.mlp import compose
from ..core.overflow import guard_result
from ..core.validate import check_batch, require_loss_args

__all__ = ["TwoLayerNet", "torch_loss_and_grads"]


class TwoLayerNet(nn.Module):
    """Linear → sigmoid → linear; the softmax lives in the loss.

    Parameters
    ----------
    D_in, H, C : int
        Input, hidden and class sizes.
    dtype : torch.dtype, default torch.float64
    """

    def __init__(self, D_in: int, H: int, C: int, dtype=torch.float64):
        super().__init__()
        self.fc1 = nn.Linear(D_in, H, dtype=dtype)
        self.fc2 = nn.Linear(H, C, dtype=dtype)

    @classmethod
    def from_params(cls, params: dict[str, np.ndarray]) -> TwoLayerNet:
        """A net holding copies of fcnet's ``params`` (float64)."""
        H, D_in = params["W1"].shape
        net = cls(D_in, H, params["W2"].shape[0])
        with torch.no_grad():
            for layer, i in ((net.fc1, 1), (net.fc2, 2)):
                layer.weight.copy_(torch.from_numpy(np.asarray(params[f"W{i}"], dtype=np.float64)))
                layer.bias.copy_(torch.from_numpy(np.asarray(params[f"b{i}"], dtype=np.float64)))
        return net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits, shape (N, C), for ``x`` of shape (N, D_in)."""
        return self.fc2(torch.sigmoid(self.fc1(x)))

    def loss(self, x: torch.Tensor, y: torch.Tensor, reg: float) -> torch.Tensor:
        """J = mean cross-entropy + ½λ(‖W1‖² + ‖W2‖²), biases unregularised."""
        data = F.cross_entropy(self(x), y, reduction="mean")
        return data + 0.5 * reg * (self.fc1.weight.square().sum() + self.fc2.weight.square().sum())


@guard_result("loss", "grads", steps=compose)
def torch_loss_and_grads(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, reg: float):
    """`fcnet.loss_and_grads` computed by PyTorch autograd in float64.

    Parameters
    ----------
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).
    X : ndarray, shape (D_in, N)
    y : ndarray of int, shape (N,)
    reg : float

    Returns
    -------
    loss : float
    grads : dict of ndarray
        Same keys and shapes as ``params``, as NumPy float64 arrays.
    """
    require_loss_args(y, reg)
    params, X, y, reg = check_batch(params, X, y, reg)
    net = TwoLayerNet.from_params(params)
    x = torch.from_numpy(np.ascontiguousarray(X.T, dtype=np.float64))
    loss = net.loss(x, torch.from_numpy(y.astype(np.int64)), reg)
    loss.backward()
    grads = {
        "W1": net.fc1.weight.grad,
        "b1": net.fc1.bias.grad,
        "W2": net.fc2.weight.grad,
        "b2": net.fc2.bias.grad,
    }
    return float(loss.item()), {k: g.detach().numpy().copy() for k, g in grads.items()}
