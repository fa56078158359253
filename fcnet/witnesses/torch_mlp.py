"""The L-layer net in PyTorch, gradients by autograd: the witness for `fcnet.core.mlp`.

Only this module (with `fcnet.witnesses.torch_net`) imports torch.  Each activation
name maps to PyTorch's own function, never to ours, so the witness shares
no code with what it checks.  Weights stay in the notes' (out, in) layout,
which is ``nn.Linear``'s; the batch goes in as ``X.T``, shape (N, D_in).

>>> from fcnet import init_params, mlp_loss_and_grads, norm_rel_error
>>> import numpy as np
>>> params = init_params([3, 4, 4, 2], seed=0, bias_scale=0.5)
>>> X, y = np.random.default_rng(0).standard_normal((3, 5)), np.array([0, 1, 1, 0, 1])
>>> loss_t, grads_t = torch_mlp_loss_and_grads(params, X, y, 0.1, ["gelu", "tanh"])
>>> loss_n, grads_n = mlp_loss_and_grads(params, X, y, 0.1, ["gelu", "tanh"])
>>> abs(loss_t - loss_n) < 1e-14, max(norm_rel_error(grads_t[k], grads_n[k]) for k in params) < 1e-12
(True, True)
"""

from __future__ import annotations

import functools
import importlib

import numpy as np
import torch
import torch.nn.functional as F

from ..core.activations import ACTIVATIONS
from ..core.mlp import _check, compose
from ..core.overflow import guard_result
from ..core.validate import require_loss_args

__all__ = ["TORCH_ACTIVATIONS", "torch_mlp_loss_and_grads"]


def _torch_function(act):
    """PyTorch's function for one `fcnet.core.activations.Activation`, from its dotted name."""
    module, _, name = act.torch.rpartition(".")
    fn = getattr(importlib.import_module(module), name)
    return functools.partial(fn, **act.torch_kwargs) if act.torch_kwargs else fn


#: fcnet's activation names -> PyTorch's functions, read from the registry `ACTIVATIONS`.
TORCH_ACTIVATIONS = {name: _torch_function(act) for name, act in ACTIVATIONS.items()}


@guard_result("loss", "grads", steps=compose)
def torch_mlp_loss_and_grads(params, X, y, reg, activations):
    """`fcnet.mlp_loss_and_grads` computed by PyTorch autograd in float64.

    Parameters
    ----------
    params : dict of ndarray
        ``"Wl"`` (Hₗ, Hₗ₋₁) and ``"bl"`` (Hₗ,) for l = 1 … L.
    X : ndarray, shape (D_in, N)
    y : ndarray of int, shape (N,)
    reg : float
    activations : list of str
        L − 1 names, one per hidden layer.

    Returns
    -------
    loss : float
    grads : dict of ndarray
        Same keys and shapes as ``params``, NumPy float64.
    """
    require_loss_args(y, reg)
    params, X, y, reg = _check(params, X, y, reg, activations)
    t = {k: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for k, v in params.items()}
    L = len(activations) + 1
    h = torch.from_numpy(np.ascontiguousarray(X.T, dtype=np.float64))  # (N, D_in)
    for l in range(1, L + 1):
        h = F.linear(h, t[f"W{l}"], t[f"b{l}"])
        if l < L:
            h = TORCH_ACTIVATIONS[activations[l - 1]](h)
    loss = F.cross_entropy(h, torch.from_numpy(y.astype(np.int64)), reduction="mean")
    loss = loss + 0.5 * reg * sum(t[f"W{l}"].square().sum() for l in range(1, L + 1))
    loss.backward()
    return float(loss.item()), {k: v.grad.detach().numpy().copy() for k, v in t.items()}
