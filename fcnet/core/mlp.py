"""The L-layer perceptron: the two-layer net's layers, repeated.

    a₀ = X,  zₗ = Wₗ aₗ₋₁ + bₗ,  aₗ = fₗ(zₗ)  (l = 1 … L−1),  z_L = W_L a_{L−1} + b_L,  ŷ = softmax(z_L)
    J  = (1/N) Σₙ CE(y⁽ⁿ⁾, ŷ⁽ⁿ⁾) + ½λ Σₗ ‖Wₗ‖²_F

``activations`` names f₁ … f₍L−1₎, one per hidden layer, from
`fcnet.core.activations.ACTIVATIONS`; L weight matrices need L − 1 names.
`mlp_steps` composes `fcnet.core.layers`, `fcnet.core.activations` and
`fcnet.core.losses`, a new array for every result; the public doors check
their arguments once and run the engine's version (`fcnet.engine.mlp`), tested
equal to it.  The notes' net is the case
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

from ..engine import mlp as engine
from ..engine.workspace import Workspace
from .activations import ACTIVATIONS, get_activation
from .layers import affine_backward, affine_forward
from .losses import l2_backward, l2_forward, softmax, softmax_ce_backward, softmax_ce_forward
from .overflow import guard_result
from .params import mlp_keys
from .validate import check_batch, require_loss_args

__all__ = ["compose", "mlp_forward", "mlp_loss_and_grads", "mlp_steps"]


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


def compose(params, X, y, reg, activations, steps: dict | None = None) -> dict:
    """The L-layer net on checked arguments, a new array for every result (the forward pass alone when y is None).

    Returns ``steps`` (a new dict when None), filled with every intermediate in the order it is computed:
    ``"zl"``, ``"al"``, …, then ``"probs"``, and with labels ``"data_loss"``, ``"penalty"``, ``"loss"``,
    ``"dzl"`` (δₗ, from l = L down) and ``"grads"``.  `fcnet.core.overflow` reads that order to name the first
    quantity that overflowed, also when a block raised before the end.
    """
    L = len(activations) + 1
    a, caches, steps = X, [], {} if steps is None else steps
    # --8<-- [start:mlp-forward]
    for l, name in enumerate(activations, start=1):
        z, affine = affine_forward(params[f"W{l}"], a, params[f"b{l}"])  # zₗ = Wₗ aₗ₋₁ + bₗ         (Hₗ, N)
        a, act = ACTIVATIONS[name].forward(z)  # aₗ = fₗ(zₗ)                                     (Hₗ, N)
        caches.append((affine, act)), steps.update({f"z{l}": z, f"a{l}": a})
    zL, affine = affine_forward(params[f"W{L}"], a, params[f"b{L}"])  # z_L = W_L a_{L−1} + b_L    (C, N)
    caches.append((affine, None))
    # --8<-- [end:mlp-forward]
    steps[f"z{L}"] = zL
    if y is None:
        steps["probs"] = softmax(zL)
        return steps
    steps["data_loss"], ce = softmax_ce_forward(zL, y)
    steps["probs"] = ce[0]
    steps["penalty"] = l2_forward([params[f"W{l}"] for l in range(1, L + 1)], reg)
    steps["loss"] = steps["data_loss"] + steps["penalty"]
    grads = {}
    # --8<-- [start:mlp-backward]
    dz = softmax_ce_backward(1.0, ce)  # δ_L = (1/N)(Ŷ − Y)                                   (C, N)
    for l in range(L, 0, -1):
        steps[f"dz{l}"] = dz  # δₗ, kept with the other intermediates
        dW, db, da = affine_backward(dz, caches[l - 1][0], need_da=l > 1)  # δₗ aₗ₋₁ᵀ, Σₙ δₗ, Wₗᵀ δₗ
        grads[f"W{l}"] = dW + l2_backward(params[f"W{l}"], reg)  # + λWₗ
        grads[f"b{l}"] = db
        if l > 1:  # δₗ₋₁ = (Wₗᵀ δₗ) ⊙ f'ₗ₋₁(zₗ₋₁)                                          (Hₗ₋₁, N)
            dz = ACTIVATIONS[activations[l - 2]].backward(da, caches[l - 2][1])
    # --8<-- [end:mlp-backward]
    steps["grads"] = {k: grads[k] for k in mlp_keys(L)}
    return steps


@guard_result("probs", "zs", steps=compose)
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
    probs, zs = engine.mlp_forward(params, X, activations)
    return (probs, zs) if return_pre_activations else probs


@guard_result("loss", "grads", steps=compose)
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
    return engine.mlp_loss_and_grads(params, X, y, reg, activations, workspace)


@guard_result("steps", steps=compose)
def mlp_steps(params, X, y, reg, activations) -> dict:
    """Every intermediate of the L-layer net, each in an array of its own: the plain composition of the blocks.

    Parameters
    ----------
    params, X, y, reg, activations
        As in `mlp_loss_and_grads`; ``y`` and ``reg`` None for the forward pass alone.

    Returns
    -------
    steps : dict
        ``"zl"`` and ``"al"`` (Hₗ, N) for every hidden layer, ``"zL"`` and ``"probs"`` (C, N), and with ``y``
        the ``"loss"`` and ``"grads"`` (a dict with ``params``' keys).

    >>> from fcnet import second_example
    >>> params, X, y, reg = second_example()
    >>> loss, grads = mlp_loss_and_grads(params, X, y, reg, ["sigmoid"])
    >>> mlp_steps(params, X, y, reg, ["sigmoid"])["loss"] == loss
    True
    """
    params, X, y, reg = _check(params, X, y, reg, activations)
    return compose(params, X, y, reg, list(activations))
