"""Element-wise activations as forward/backward pairs, and their registry.

Every pair has the shape of `fcnet.core.layers.sigmoid_forward` /
`fcnet.core.layers.sigmoid_backward` (which this module reuses for
``"sigmoid"``): ``a, cache = f_forward(z)`` and ``dz = f_backward(da,
cache)``, where ``dz = da ⊙ f'(z)``.  `ACTIVATIONS` maps a name to its
`Activation` record (the pair, PyTorch's function and the derivation's id);
`fcnet.core.mlp` looks the hidden layers' activations up there.

The fourth activation is GELU in its exact form, z·Φ(z) with Φ the standard
normal CDF.  It was chosen over leaky ReLU because its derivative
Φ(z) + z·φ(z) is a real derivation (product rule plus the fundamental
theorem of calculus), where leaky ReLU's would only repeat ReLU's case split.
NumPy has no erf, so Φ uses `math.erf` entry by entry: exact to an ulp
(matching PyTorch's ``F.gelu(approximate="none")``), but a Python call per
entry, far slower than ``np.tanh``; fine for a teaching net (the benchmarks
time the notes' sigmoid net).

Softplus, log(1 + e^z), is the smooth ReLU; its derivative is the notes'
sigmoid, so its backward pass reuses `fcnet.core.layers.sigmoid_forward`.

>>> import numpy as np
>>> z = np.array([[-2.0, 0.0, 3.0]])
>>> for name, act in ACTIVATIONS.items():
...     print(f"{name:9}", act.forward(z)[0].round(4).tolist())
sigmoid   [[0.1192, 0.5, 0.9526]]
tanh      [[-0.964, 0.0, 0.9951]]
relu      [[0.0, 0.0, 3.0]]
gelu      [[-0.0455, 0.0, 2.996]]
softplus  [[0.1269, 0.6931, 3.0486]]
>>> relu_backward(np.ones_like(z), relu_forward(z)[1])   # ReLU'(0) = 0, as in PyTorch
array([[0., 0., 1.]])
>>> get_activation("swish")
Traceback (most recent call last):
...
ValueError: activation 'swish' is unknown; expected one of ['sigmoid', 'tanh', 'relu', ...]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .finite import building_block
from .guards import check_elementwise, check_elementwise_backward
from .layers import into, sigmoid_backward, sigmoid_forward

__all__ = [
    "Activation",
    "ACTIVATIONS",
    "get_activation",
    "tanh_forward",
    "tanh_backward",
    "relu_forward",
    "relu_backward",
    "gelu_forward",
    "gelu_backward",
    "softplus_forward",
    "softplus_backward",
]


@building_block("a = tanh(z)", None, check=check_elementwise)
def tanh_forward(z: np.ndarray, *, out: np.ndarray | None = None):
    """Element-wise tanh.

    Parameters
    ----------
    z : ndarray, shape (H, N)
    out : ndarray, shape (H, N), optional
        Where to write tanh(z).  A new array when None.

    Returns
    -------
    a : ndarray, shape (H, N)
        tanh(z), in [−1, 1].
    cache : ndarray, shape (H, N)
        ``a`` itself: the derivative needs only tanh(z).
    """
    # --8<-- [start:tanh-forward]
    # a = tanh(z) = (e^z − e^{−z}) / (e^z + e^{−z})
    a = np.tanh(z)
    # --8<-- [end:tanh-forward]
    a = into(out, a)
    return a, a


@building_block("dz = dout ⊙ (1 − tanh²(z))", check=check_elementwise_backward)
def tanh_backward(dout: np.ndarray, cache: np.ndarray, *, out=None, scratch=None) -> np.ndarray:
    """Backward pass of a = tanh(z): ``dout`` (H, N) and the cache tanh(z) (H, N) -> dz (H, N).

    ``out`` (may be ``dout``) and ``scratch`` are as in `fcnet.core.layers.sigmoid_backward`.
    """
    a = cache
    # --8<-- [start:tanh-backward]
    # ∂J/∂z = ∂J/∂a ⊙ tanh'(z),  tanh'(z) = 1 − tanh²(z)
    dz = dout * (1 - a * a)
    # --8<-- [end:tanh-backward]
    return into(out, dz)


@building_block("a = max(z, 0)", None, check=check_elementwise)
def relu_forward(z: np.ndarray, *, out: np.ndarray | None = None):
    """Element-wise rectified linear unit.

    Parameters
    ----------
    z : ndarray, shape (H, N)
    out : ndarray, shape (H, N), optional
        Where to write max(z, 0).  A new array when None.

    Returns
    -------
    a : ndarray, shape (H, N)
        max(z, 0).
    cache : ndarray, shape (H, N)
        ``a`` itself: a > 0 exactly where z > 0, which is all the derivative needs.
    """
    # --8<-- [start:relu-forward]
    # a = max(z, 0)
    a = np.maximum(z, 0.0)
    # --8<-- [end:relu-forward]
    a = into(out, a)
    return a, a


@building_block("dz = dout ⊙ [z > 0]", check=check_elementwise_backward)
def relu_backward(dout: np.ndarray, cache: np.ndarray, *, out=None, scratch=None) -> np.ndarray:
    """Backward pass of a = max(z, 0): ``dout`` (H, N) and the cache a (H, N) -> dz (H, N).

    ``out`` (may be ``dout``) and ``scratch`` are as in `fcnet.core.layers.sigmoid_backward`.
    """
    a = cache
    # --8<-- [start:relu-backward]
    # ∂J/∂z = ∂J/∂a ⊙ ReLU'(z),  ReLU'(z) = 1 if z > 0 else 0, i.e. 1 where a > 0   (at the kink z = 0 we take 0,
    # as PyTorch does)
    dz = dout * (a > 0)
    # --8<-- [end:relu-backward]
    return into(out, dz)


def _erf(x: np.ndarray) -> np.ndarray:
    """`math.erf` entry by entry (NumPy has no erf), in x's dtype."""
    # --8<-- [start:erf]
    # erf(x) = (2/√π) ∫₀ˣ e^{−t²} dt, by the C library's erf for each entry
    out = np.fromiter(map(math.erf, x.ravel().tolist()), dtype=x.dtype, count=x.size).reshape(x.shape)
    # --8<-- [end:erf]
    return out


@building_block("a = z Φ(z)", None, check=check_elementwise)
def gelu_forward(z: np.ndarray, *, out: np.ndarray | None = None):
    """Element-wise GELU, exact form z·Φ(z).

    Parameters
    ----------
    z : ndarray, shape (H, N)
    out : ndarray, shape (H, N), optional
        Where to write z·Φ(z); not ``z`` (the cache keeps it).  A new array when None.

    Returns
    -------
    a : ndarray, shape (H, N)
        z·Φ(z), Φ the standard normal CDF.
    cache : tuple
        ``(z, Φ(z))``, both (H, N).
    """
    # --8<-- [start:gelu-forward]
    # Φ(z) = ½(1 + erf(z/√2)),  GELU(z) = z Φ(z)
    cdf = 0.5 * (1.0 + _erf(z * math.sqrt(0.5)))
    a = z * cdf
    # --8<-- [end:gelu-forward]
    return into(out, a), (z, cdf)


@building_block("dz = dout ⊙ (Φ(z) + z φ(z))", check=check_elementwise_backward)
def gelu_backward(dout: np.ndarray, cache, *, out=None, scratch=None) -> np.ndarray:
    """Backward pass of a = z·Φ(z): ``dout`` (H, N) and the cache ``(z, Φ(z))`` -> dz (H, N).

    ``out`` may be ``dout``; ``scratch`` is accepted for the common signature and not used (GELU allocates).
    """
    z, cdf = cache
    # --8<-- [start:gelu-backward]
    # ∂J/∂z = ∂J/∂a ⊙ GELU'(z),  GELU'(z) = Φ(z) + z φ(z),  φ(z) = e^{−z²/2} / √(2π)
    # (z clipped to ±40 inside φ only: z φ(z) is 0 in float64 beyond |z| ≈ 38, and z² stays finite)
    zc = np.clip(z, -40.0, 40.0)
    pdf = np.exp(-0.5 * zc * zc) / math.sqrt(2.0 * math.pi)
    dz = dout * (cdf + z * pdf)
    # --8<-- [end:gelu-backward]
    return into(out, dz)


@building_block("a = log(1 + e^z)", None, check=check_elementwise)
def softplus_forward(z: np.ndarray, *, out: np.ndarray | None = None):
    """Element-wise softplus log(1 + e^z), stable for any finite z.

    Parameters
    ----------
    z : ndarray, shape (H, N)
    out : ndarray, shape (H, N), optional
        Where to write softplus(z); not ``z`` (the cache keeps it).  A new array when None.

    Returns
    -------
    a : ndarray, shape (H, N)
        log(1 + e^z), in (0, ∞); ≈ e^z far below 0 and ≈ z far above.
    cache : ndarray, shape (H, N)
        ``z`` itself: the derivative is σ(z).
    """
    # --8<-- [start:softplus-forward]
    # a = softplus(z) = log(1 + e^z) = log(e^0 + e^z)   (logaddexp: max(0, z) + log(1 + e^{−|z|}), no overflow)
    a = np.logaddexp(0.0, z)
    # --8<-- [end:softplus-forward]
    return into(out, a), z


@building_block("dz = dout ⊙ σ(z)", check=check_elementwise_backward)
def softplus_backward(dout: np.ndarray, cache: np.ndarray, *, out=None, scratch=None) -> np.ndarray:
    """Backward pass of a = log(1 + e^z): ``dout`` (H, N) and the cache z (H, N) -> dz (H, N).

    ``out`` (may be ``dout``) and ``scratch`` are as in `fcnet.core.layers.sigmoid_backward`.
    """
    z = cache
    # --8<-- [start:softplus-backward]
    # ∂J/∂z = ∂J/∂a ⊙ softplus'(z),  softplus'(z) = e^z / (1 + e^z) = σ(z)   (the notes' sigmoid, reused)
    dz = dout * sigmoid_forward(z)[0]
    # --8<-- [end:softplus-backward]
    return into(out, dz)


@dataclass(frozen=True)
class Activation:
    """One activation, everything fcnet knows about it in one record.

    Attributes
    ----------
    name : str
        The name the L-layer net's ``activations`` list uses.
    forward, backward : callable
        ``a, cache = forward(z, *, out=None)`` and ``dz = backward(da, cache, *, out=None, scratch=None)``:
        the plain pair; ``out`` is where the result goes (None for a new array), ``scratch`` an array the
        backward pass may overwrite.  The engine's in-place pair is `fcnet.engine.inplace.ACTIVATIONS`.
    torch : str
        The dotted name of PyTorch's function, called as ``fn(z, **torch_kwargs)`` by the torch
        witness (`fcnet.witnesses.torch_mlp`); a string, so that this module needs no torch.
    derivation : str
        The id of the SymPy derivation of its derivative (`fcnet.derivations.get`).
    torch_kwargs : dict
        Keyword arguments for ``torch``.
    """

    name: str
    forward: Callable
    backward: Callable
    torch: str
    derivation: str
    torch_kwargs: dict = field(default_factory=dict)


#: name -> `Activation`: the one list of activations.  The L-layer net, its torch twin, the tests'
#: parametrisation and the deeper-nets page all read it; adding an activation is one record here
#: plus its derivation in `fcnet.derivations.activations`.
ACTIVATIONS = {
    a.name: a
    for a in (
        Activation("sigmoid", sigmoid_forward, sigmoid_backward, "torch.sigmoid", "sigmoid-grad"),
        Activation("tanh", tanh_forward, tanh_backward, "torch.tanh", "tanh-grad"),
        Activation("relu", relu_forward, relu_backward, "torch.relu", "relu-grad"),
        # exact GELU, not PyTorch's tanh approximation
        Activation(
            "gelu", gelu_forward, gelu_backward, "torch.nn.functional.gelu", "gelu-grad", {"approximate": "none"}
        ),
        # exact softplus: PyTorch's default threshold 20 returns z itself above 20, off by e^{−z} ≈ 2e-9 there in
        # float64; from 40 on, log(1 + e^z) rounds to z and σ(z) to 1, so threshold 40 is exact in float64
        Activation(
            "softplus",
            softplus_forward,
            softplus_backward,
            "torch.nn.functional.softplus",
            "softplus-grad",
            {"threshold": 40.0},
        ),
    )
}


def get_activation(name: str) -> Activation:
    """The `Activation` registered as ``name``.

    Raises
    ------
    ValueError
        When ``name`` is not a key of `ACTIVATIONS`; the message lists them.
    """
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation {name!r} is unknown; expected one of {list(ACTIVATIONS)}")
    return ACTIVATIONS[name]
