"""The reference on a probe, taken apart: what each term of the loss and of each gradient is.

The reference is fcnet's plain two-layer net (`fcnet.core.net.net_steps`, float64), which keeps
every intermediate.  To name a cause the diagnoser also needs its pieces: the data term and
the penalty term of each gradient, the bias gradients reduced in other ways than the sum, and
layer 1's gradients with the wrong σ' students write.  `reference` computes them from the
net's intermediates, and the roundoff scale of each gradient: the same sums
taken over absolute values, which bounds what any correct float64 evaluation
can differ by.

>>> from fcnet.diagnose.probes import get
>>> ref = reference(get("seed"))
>>> round(ref.loss, 6), bool(abs(ref.data["W1"]).max() < 1e-20)   # the notes' example: nothing reaches layer 1
(35.609438, True)
>>> list(ref.variants["W1"])[:3], list(ref.variants["b2"])
(['σ(1 − σ)', 'σ', '1 − σ'], ['sum', 'first column', 'last column'])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.layers import sigmoid_forward
from ..core.net import net_steps

__all__ = ["Reference", "reference", "SIGMOID_PRIMES"]

#: σ' as students write it, from z and a = σ(z): the right one first.
SIGMOID_PRIMES = {
    "σ(1 − σ)": lambda z, a: a * (1 - a),
    "σ": lambda z, a: a,
    "1 − σ": lambda z, a: 1 - a,
    "1 (σ' left out)": lambda z, a: np.ones_like(a),
    "z1(1 − z1)": lambda z, a: z * (1 - z),
    "σ(a1)(1 − σ(a1))": lambda z, a: sigmoid_forward(a)[0] * (1 - sigmoid_forward(a)[0]),
    "1 − σ²": lambda z, a: 1 - a * a,
}


@dataclass(frozen=True)
class Reference:
    """The reference loss and gradients on one probe, and their pieces.

    Attributes
    ----------
    loss : float
    grads : dict of ndarray
        The net's gradients on the probe (``net_steps``; ``fcnet.loss_and_grads`` gives the same).
    loss_parts : dict of float
        ``"data"`` the mean cross-entropy, ``"reg"`` ½λ(‖W1‖² + ‖W2‖²), ``"bias"`` ½λ(‖b1‖² + ‖b2‖²).
    loss_scale : float
        The size of the terms the loss sums: its roundoff scale.
    data : dict of ndarray
        The data term of each gradient (the gradient of the mean cross-entropy).
    penalty : dict of ndarray
        λW for a weight, λb for a bias (the term a penalty on that bias would add).
    variants : dict of dict of (ndarray, float)
        key -> name -> ``(term, noise)``: a data term students compute (for W1 and b1: with
        each σ' of `SIGMOID_PRIMES`; for the biases: also one column instead of the sum), the
        right one too (``"σ(1 − σ)"``, ``"sum"``, ``""`` for W2), and its roundoff scale.
    scale : dict of float
        The roundoff scale of each gradient: the norm of its sums over absolute values.
    """

    loss: float
    grads: dict
    loss_parts: dict
    loss_scale: float
    data: dict
    penalty: dict
    variants: dict
    scale: dict


def _columns(delta: np.ndarray, abs_delta: np.ndarray) -> dict[str, tuple[np.ndarray, float]]:
    # ∂J/∂b = Σₙ δ⁽ⁿ⁾; students also return one column, the first or the last
    picks = {"sum": lambda d: d.sum(axis=1), "first column": lambda d: d[:, 0], "last column": lambda d: d[:, -1]}
    return {k: (pick(delta).copy(), float(np.linalg.norm(pick(abs_delta)))) for k, pick in picks.items()}


def reference(probe) -> Reference:
    """The reference on ``probe`` (a `fcnet.diagnose.probes.Probe`), taken apart."""
    params, X, y, reg = probe.args()
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    steps = net_steps(params, X, y, reg)
    z1, a1, z2, delta2, da1 = (steps[k] for k in ("z1", "a1", "z2", "dz2", "da1"))  # δ2 = (1/N)(Ŷ − Y)
    abs_da1 = np.abs(W2).T @ np.abs(delta2)
    variants = {
        "W1": {},
        "b1": {},
        "W2": {"": (delta2 @ a1.T, float(np.linalg.norm(np.abs(delta2) @ a1.T)))},
        "b2": _columns(delta2, np.abs(delta2)),
    }
    for name, prime in SIGMOID_PRIMES.items():
        g = prime(z1, a1)
        delta1, abs_delta1 = da1 * g, abs_da1 * np.abs(g)
        variants["W1"][name] = (delta1 @ X.T, float(np.linalg.norm(abs_delta1 @ np.abs(X).T)))
        for k, v in _columns(delta1, abs_delta1).items():
            variants["b1"][name if k == "sum" else f"{name}, {k}"] = v
    right = {"W1": "σ(1 − σ)", "b1": "σ(1 − σ)", "W2": "", "b2": "sum"}
    data = {k: variants[k][right[k]][0] for k in right}
    penalty = {k: reg * params[k] for k in params}
    scale = {k: variants[k][right[k]][1] + (float(np.linalg.norm(penalty[k])) if k[0] == "W" else 0.0) for k in right}
    loss_parts = {
        "data": float(steps["data_loss"]),
        "reg": 0.5 * reg * float(np.vdot(W1, W1) + np.vdot(W2, W2)),
        "bias": 0.5 * reg * float(np.vdot(b1, b1) + np.vdot(b2, b2)),
    }
    loss_scale = float(np.abs(z2).max() + sum(loss_parts.values()))
    return Reference(float(steps["loss"]), steps["grads"], loss_parts, loss_scale, data, penalty, variants, scale)
