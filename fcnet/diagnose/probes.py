"""The probes: the nets a student's ``loss_and_grads`` is run on, chosen so that the causes differ.

Each cause leaves a different trace on some probe: an error that grows with N
needs N = 1 and N > 1; the penalty's factor needs λ = 0 and λ > 0, and a
penalty on a bias needs non-zero biases; a transposed gradient of a square
weight matrix still has the right shape, so some probes are square.  Those
are the six ordinary probes: the notes' two worked examples and four seeded
random nets, in increasing size, so the first probe that shows an error is a
smallest one.  Three extreme probes test stability apart: a softmax without
the max shift overflows at logits in the hundreds, the log of a shifted
softmax underflows at logits in the thousands, and a sigmoid written as
e^z/(1 + e^z) is nan where it saturates.  Every batch size N
differs from D_in, H and C (but in the notes' second example, N = D_in = 3),
so a sum over the wrong axis has the wrong shape.

>>> [(p.name, p.N, p.reg) for p in PROBES][:3]
[('single', 1, 0.1), ('square', 5, 0.5), ('no-reg', 4, 0.0)]
>>> p = get("logits-thousands")
>>> bool(p.logits.max() < -745), float(get("logits-hundreds").logits.max()) > 709.8   # e^709.8 overflows
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.examples import random_example, second_example, seed_example
from ..core.layers import affine_forward, sigmoid_forward

__all__ = ["Probe", "PROBES", "get"]


@dataclass(frozen=True, eq=False)
class Probe:
    """One call's arguments, and what they are there to show.

    Attributes
    ----------
    name : str
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,); float64.
    X : ndarray, shape (D_in, N)
    y : ndarray of int, shape (N,)
    reg : float
    note : str
        Why this probe is here.
    extreme : bool
        Whether its logits are in the hundreds or thousands.
    """

    name: str
    params: dict
    X: np.ndarray
    y: np.ndarray
    reg: float
    note: str
    extreme: bool = False

    @property
    def N(self) -> int:
        return self.X.shape[1]

    @property
    def sizes(self) -> dict[str, int]:
        """``{"N": …, "D_in": …, "H": …, "C": …}``."""
        (H, D_in), C = self.params["W1"].shape, self.params["b2"].shape[0]
        return {"N": self.N, "D_in": D_in, "H": H, "C": C}

    @property
    def logits(self) -> np.ndarray:
        """z2, shape (C, N)."""
        z1, _ = affine_forward(self.params["W1"], self.X, self.params["b1"])
        a1, _ = sigmoid_forward(z1)
        return affine_forward(self.params["W2"], a1, self.params["b2"])[0]

    def args(self):
        """Fresh copies of ``(params, X, y, reg)``: a call cannot change the probe."""
        return {k: v.copy() for k, v in self.params.items()}, self.X.copy(), self.y.copy(), self.reg

    def describe(self) -> str:
        """``"'seed' (N=2, D_in=3, H=4, C=5, λ=0.5)"``."""
        return f"'{self.name}' (" + ", ".join(f"{k}={v}" for k, v in self.sizes.items()) + f", λ={self.reg:g})"


def _random(name, N, D_in, H, C, reg, seed, note, w2_scale=1.0, b2_scale=1.0, b2_shift=0.0, w1_scale=1.0):
    params, X, y, _ = random_example(N=N, D_in=D_in, H=H, C=C, seed=seed)
    params["W1"] *= w1_scale
    params["b1"] *= w1_scale
    params["W2"] *= w2_scale
    params["b2"] = params["b2"] * b2_scale + b2_shift
    return Probe(name, params, X, y, reg, note, extreme=w2_scale > 1 or w1_scale > 1)


def _example(name, make, note):
    params, X, y, reg = make()
    return Probe(name, params, X, y, reg, note)


#: The probes: the ordinary ones smallest first (by the number of entries in params and X), then the three
#: extreme ones: logits in the hundreds, logits in the thousands, saturated sigmoids.
PROBES = (
    _random("single", 1, 3, 4, 3, 0.1, 11, "N = 1: the batch mean and the bias sum change nothing"),
    _random("square", 5, 3, 3, 3, 0.5, 12, "square W1 and W2: a transposed gradient keeps its shape"),
    _random("no-reg", 4, 5, 3, 2, 0.0, 13, "λ = 0: the penalty and its gradient vanish"),
    _example("seed", seed_example, "the notes' worked example (no gradient reaches layer 1)"),
    _example("second", second_example, "the second worked example (every gradient entry non-zero)"),
    _random("wide", 7, 2, 6, 4, 0.3, 14, "N = 7, D_in < H: wide and non-square"),
    _random(
        "logits-hundreds",
        4,
        3,
        5,
        3,
        0.01,
        3,
        "logits up to 806: e^z overflows without the max shift",
        w2_scale=500.0,
        b2_scale=100.0,
        b2_shift=400.0,
    ),
    _random(
        "logits-thousands",
        3,
        4,
        5,
        2,
        0.01,
        8,
        "logits below −3000: e^z underflows, log ŷ_y is −inf",
        w2_scale=4000.0,
        b2_scale=100.0,
        b2_shift=-3000.0,
    ),
    _random(
        "saturated",
        3,
        4,
        5,
        2,
        0.01,
        8,
        "pre-activations in the thousands: e^(−z1) overflows, a sigmoid written as e^z/(1 + e^z) is nan",
        w1_scale=1000.0,
    ),
)


def get(name: str) -> Probe:
    """The probe called ``name``; KeyError naming the known ones otherwise."""
    for p in PROBES:
        if p.name == name:
            return p
    raise KeyError(f"no probe {name!r}; the probes are {[p.name for p in PROBES]}")
