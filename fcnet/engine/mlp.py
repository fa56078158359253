"""The L-layer net's step in reused arrays: the memory-saving twin of `fcnet.core.mlp.mlp_steps`.

Every array of the step comes from a `fcnet.engine.Workspace` (GELU alone
allocates, for its erf); ∂J/∂aₗ and δₗ share an array, and the layer's
output aₗ, dead by then, is the activation's scratch.  Its arguments are
checked by the door that calls it (`fcnet.mlp_loss_and_grads`).
"""

from __future__ import annotations

import numpy as np

from ..core.losses import l2_forward
from ..core.params import mlp_keys
from . import inplace
from .workspace import as_workspace

__all__ = ["mlp_forward", "mlp_loss_and_grads"]


def _arrays(params, X, activations, workspace, backward: bool) -> dict:
    """The step's arrays from ``workspace`` (a new one for a plain call): zₗ and aₗ, and for the backward
    pass ∂J/∂aₗ, λWₗ (one array for every layer's in turn) and the gradients it returns."""
    L, N = len(activations) + 1, X.shape[1]
    rows = [params[f"W{l}"].shape[0] for l in range(1, L + 1)]
    temporaries = {f"z{l}": (rows[l - 1], N) for l in range(1, L + 1)}
    temporaries |= {f"a{l}": (rows[l - 1], N) for l in range(1, L)}
    outputs = {}
    if backward:
        temporaries |= {f"da{l}": (rows[l - 1], N) for l in range(1, L)}
        temporaries["exp_z"] = (rows[-1], N)  # e^{z_L − max z_L} for the loss
        temporaries |= {f"reg_W{l}": params[f"W{l}"].shape for l in range(1, L + 1)}
        outputs = {f"d{k}{l}": params[f"{k}{l}"].shape for l in range(1, L + 1) for k in "Wb"}
    else:  # the forward pass returns ŷ, written over z_L: an output, so that it keeps no hidden array alive
        outputs = {f"z{L}": temporaries.pop(f"z{L}")}
    dtype = np.result_type(X, *params.values())
    return as_workspace(workspace).take(dtype, temporaries, outputs, {f"reg_W{l}": "reg_W1" for l in range(2, L + 1)})


def _forward(params, X, activations, arrays):
    """Logits, the activation caches and the hidden zₗ, into ``arrays``."""
    L = len(activations) + 1
    a, caches, zs = X, [], []
    for l, name in enumerate(activations, start=1):
        z = inplace.affine(params[f"W{l}"], a, params[f"b{l}"], out=arrays[f"z{l}"])  # zₗ = Wₗ aₗ₋₁ + bₗ
        a, cache = inplace.ACTIVATIONS[name][0](z, out=arrays[f"a{l}"])  # aₗ = fₗ(zₗ)
        caches.append(cache), zs.append(z)
    zL = inplace.affine(params[f"W{L}"], a, params[f"b{L}"], out=arrays[f"z{L}"])  # z_L = W_L a_{L−1} + b_L
    return zL, caches, zs


def mlp_forward(params, X, activations):
    """ŷ (C, N), written over z_L, and the hidden pre-activations [z₁, …, z₍L−1₎]."""
    zL, _, zs = _forward(params, X, activations, _arrays(params, X, activations, None, backward=False))
    logp = inplace.log_softmax(zL, out=zL, scratch=None)
    return np.exp(logp, out=logp), zs


def mlp_loss_and_grads(params, X, y, reg, activations, workspace=None):
    """J and its gradients, every array of the step from ``workspace`` (a new one of its own when None)."""
    L = len(activations) + 1
    arrays = _arrays(params, X, activations, workspace, backward=True)
    zL, caches, _ = _forward(params, X, activations, arrays)
    data_loss, probs = inplace.softmax_ce(zL, y, out=zL, scratch=arrays["exp_z"])
    loss = data_loss + l2_forward([params[f"W{l}"] for l in range(1, L + 1)], reg)
    grads = {}
    dz = inplace.softmax_ce_backward(probs, y, out=probs)  # δ_L = (1/N)(Ŷ − Y), over Ŷ       (C, N)
    for l in range(L, 0, -1):
        a_prev, W = (X if l == 1 else arrays[f"a{l - 1}"]), params[f"W{l}"]
        dW = np.matmul(dz, a_prev.T, out=arrays[f"dW{l}"])  # δₗ aₗ₋₁ᵀ
        grads[f"b{l}"] = np.sum(dz, axis=1, out=arrays[f"db{l}"])  # Σₙ δₗ
        dW += np.multiply(reg, W, out=arrays[f"reg_W{l}"])  # + λWₗ
        grads[f"W{l}"] = dW
        if l > 1:
            da = np.matmul(W.T, dz, out=arrays[f"da{l - 1}"])  # Wₗᵀ δₗ
            backward = inplace.ACTIVATIONS[activations[l - 2]][1]
            # δₗ₋₁ = (Wₗᵀ δₗ) ⊙ f'ₗ₋₁(zₗ₋₁), over Wₗᵀ δₗ; aₗ₋₁ is not needed after: scratch
            dz = backward(da, caches[l - 2], out=da, scratch=arrays[f"a{l - 1}"])
    return loss, {k: grads[k] for k in mlp_keys(L)}
