"""The L-layer perceptron: the two-layer net's layers, repeated.

    a₀ = X,  zₗ = Wₗ aₗ₋₁ + bₗ,  aₗ = fₗ(zₗ)  (l = 1 … L−1),  z_L = W_L a_{L−1} + b_L,  ŷ = softmax(z_L)
    J  = (1/N) Σₙ CE(y⁽ⁿ⁾, ŷ⁽ⁿ⁾) + ½λ Σₗ ‖Wₗ‖²_F

``activations`` names f₁ … f₍L−1₎, one per hidden layer, from
`fcnet.core.activations.ACTIVATIONS`; L weight matrices need L − 1 names.
Everything is composed from `fcnet.core.layers`, `fcnet.core.activations` and
`fcnet.core.losses`: no formula is written twice.  The notes' net is the case
``activations=["sigmoid"]`` and gives the very same floats:

>>> import numpy as np
>>> from fcnet import loss_and_grads, second_example
>>> params, X, y, reg = second_example()
>>> loss, grads = mlp_loss_and_grads(params, X, y, reg, ["sigmoid"])
>>> loss_2, grads_2 = loss_and_grads(params, X, y, reg)
>>> loss == loss_2 and all(np.array_equal(grads[k], grads_2[k]) for k in params)
True
>>> mlp_loss_and_grads(params, X, y, reg, ["relu", "tanh"])
Traceback (most recent call last):
...
ValueError: params has 2 weight matrices ['W1', 'W2'] but activations has 2 names ['relu', 'tanh']; expected 1 name ...
"""

from __future__ import annotations

import re

import numpy as np

from .activations import ACTIVATIONS, get_activation
from .layers import affine_backward, affine_forward
from .losses import l2_backward, l2_forward, softmax, softmax_ce_backward, softmax_ce_forward
from .overflow import guard_result
from .params import mlp_keys
from .validate import check_batch, require_loss_args
from .workspace import Workspace, as_workspace

__all__ = ["mlp_forward", "mlp_loss_and_grads"]


def _check(params, X, y, reg, activations):
    """Check the names, their count against params' W keys, then the batch."""
    if isinstance(activations, str) or not isinstance(activations, list | tuple):
        raise TypeError(
            f"activations is a {type(activations).__name__} ({activations!r}); "
            "expected a list of names, one per hidden layer, e.g. ['relu', 'tanh']"
        )
    for i, name in enumerate(activations):
        try:
            get_activation(name)
        except ValueError as exc:
            raise ValueError(f"activations[{i}]: {exc}") from None
    if isinstance(params, dict):
        weights = sorted((k for k in params if re.fullmatch(r"W\d+", str(k))), key=lambda k: int(k[1:]))
        if len(weights) != len(activations) + 1:
            want = len(weights) - 1
            raise ValueError(
                f"params has {len(weights)} weight matrices {weights} but activations has "
                f"{len(activations)} names {list(activations)}; expected {want} name{'s' * (want != 1)} "
                f"(one per hidden layer) for {len(weights)} weight matrices, or params with keys "
                f"W1..W{len(activations) + 1}, b1..b{len(activations) + 1}"
            )
    return check_batch(params, X, y, reg, keys=mlp_keys(len(activations) + 1))


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


def _forward(params, X, activations, buf):
    """Forward pass on checked input into the arrays ``buf``: logits, affine caches, activation caches, zₗ."""
    L = len(activations) + 1
    a, affines, acts, zs = X, [], [], []
    # --8<-- [start:mlp-forward]
    for l, name in enumerate(activations, start=1):
        f_forward = ACTIVATIONS[name].forward
        z, affine = affine_forward(params[f"W{l}"], a, params[f"b{l}"], out=buf[f"z{l}"])  # zₗ = Wₗ aₗ₋₁ + bₗ   (Hₗ, N)
        a, act = f_forward(z, out=buf[f"a{l}"])  # aₗ = fₗ(zₗ)                                             (Hₗ, N)
        affines.append(affine), acts.append(act), zs.append(z)
    zL, affine = affine_forward(params[f"W{L}"], a, params[f"b{L}"], out=buf[f"z{L}"])  # z_L = W_L a_{L−1} + b_L (C, N)
    affines.append(affine)
    # --8<-- [end:mlp-forward]
    return zL, affines, acts, zs


@guard_result("probs", "zs")
def mlp_forward(params, X, activations, *, return_pre_activations: bool = False):
    """Class probabilities ŷ = softmax(z_L) of the L-layer net.

    Parameters
    ----------
    params : dict of ndarray
        ``"Wl"`` (Hₗ, Hₗ₋₁) and ``"bl"`` (Hₗ,) for l = 1 … L, H₀ = D_in, H_L = C.
    X : ndarray, shape (D_in, N)
    activations : list of str
        L − 1 names from `fcnet.core.activations.ACTIVATIONS`.
    return_pre_activations : bool, default False
        Also return the hidden pre-activations [z₁, …, z₍L−1₎].

    Returns
    -------
    probs : ndarray, shape (C, N)
    zs : list of ndarray, shapes (Hₗ, N)
        Only when ``return_pre_activations`` is True.
    """
    params, X, _, _ = _check(params, X, None, None, activations)
    zL, _, _, zs = _forward(params, X, activations, _arrays(params, X, activations, None, backward=False))
    probs = softmax(zL, out=zL)
    return (probs, zs) if return_pre_activations else probs


@guard_result("loss", "grads")
def mlp_loss_and_grads(params, X, y, reg, activations, *, workspace: Workspace | None = None):
    """Loss J of the L-layer net and its gradient with respect to every parameter.

    Parameters
    ----------
    params : dict of ndarray
        ``"Wl"`` (Hₗ, Hₗ₋₁) and ``"bl"`` (Hₗ,) for l = 1 … L, H₀ = D_in, H_L = C.
    X : ndarray, shape (D_in, N)
    y : ndarray of int, shape (N,)
        Class labels in [0, C).
    reg : float
        L2 strength λ ≥ 0 on every Wₗ (biases unregularised).
    activations : list of str
        L − 1 names from `fcnet.core.activations.ACTIVATIONS`, one per hidden layer.
    workspace : fcnet.Workspace, optional
        As in `fcnet.loss_and_grads`: every array of the step, the returned
        gradients included, lives in it and is overwritten by the next call
        with it (GELU alone still allocates, for its erf).

    Returns
    -------
    loss : float
        J = (1/N) Σₙ CE⁽ⁿ⁾ + ½λ Σₗ ‖Wₗ‖²_F.
    grads : dict of ndarray
        ∂J/∂p for each key p of ``params``, with p's shape.
    """
    require_loss_args(y, reg)
    params, X, y, reg = _check(params, X, y, reg, activations)
    L = len(activations) + 1
    buf = _arrays(params, X, activations, workspace, backward=True)
    zL, affines, acts, _ = _forward(params, X, activations, buf)
    data_loss, ce = softmax_ce_forward(zL, y, out=zL, scratch=buf["exp_z"])
    loss = data_loss + l2_forward([params[f"W{l}"] for l in range(1, L + 1)], reg)

    grads = {}
    # --8<-- [start:mlp-backward]
    dz = softmax_ce_backward(1.0, ce, out=zL)  # δ_L = (1/N)(Ŷ − Y), over Ŷ                   (C, N)
    for l in range(L, 0, -1):
        out = buf[f"dW{l}"], buf[f"db{l}"], buf.get(f"da{l - 1}")
        dW, db, da = affine_backward(dz, affines[l - 1], need_da=l > 1, out=out)  # δₗ aₗ₋₁ᵀ, Σₙ δₗ, Wₗᵀ δₗ
        dW += l2_backward(params[f"W{l}"], reg, out=buf[f"reg_W{l}"])  # + λWₗ
        grads[f"W{l}"] = dW
        grads[f"b{l}"] = db
        if l > 1:
            f_backward = ACTIVATIONS[activations[l - 2]].backward
            # δₗ₋₁ = (Wₗᵀ δₗ) ⊙ f'ₗ₋₁(zₗ₋₁)   (Hₗ₋₁, N), over Wₗᵀ δₗ; aₗ₋₁ is not needed after: scratch
            dz = f_backward(da, acts[l - 2], out=da, scratch=buf[f"a{l - 1}"])
    # --8<-- [end:mlp-backward]
    return loss, {k: grads[k] for k in mlp_keys(L)}
