"""Element-wise activations as forward/backward pairs, and their registry.

Every pair has the shape of `fcnet.layers.sigmoid_forward` /
`fcnet.layers.sigmoid_backward` (which this module reuses for
``"sigmoid"``): ``a, cache = f_forward(z)`` and ``dz = f_backward(da,
cache)``, where ``dz = da ⊙ f'(z)``.  `ACTIVATIONS` maps a name to its pair;
`fcnet.mlp` looks the hidden layers' activations up there.

The fourth activation is GELU in its exact form, z·Φ(z) with Φ the standard
normal CDF.  It was chosen over leaky ReLU because its derivative
Φ(z) + z·φ(z) is a real derivation (product rule plus the fundamental
theorem of calculus), where leaky ReLU's would only repeat ReLU's case split.
NumPy has no erf, so Φ uses `math.erf` entry by entry: exact to an ulp
(matching PyTorch's ``F.gelu(approximate="none")``), but 6–7× slower than
``np.tanh`` (≈ 0.15 s per million entries on this machine), which is fine
for a teaching net; the benchmarks time the notes' sigmoid net.

>>> import numpy as np
>>> z = np.array([[-2.0, 0.0, 3.0]])
>>> [ACTIVATIONS[name][0](z)[0].round(4).tolist() for name in ("sigmoid", "tanh", "relu", "gelu")]
[[[0.1192, 0.5, 0.9526]], [[-0.964, 0.0, 0.9951]], [[0.0, 0.0, 3.0]], [[-0.0455, 0.0, 2.996]]]
>>> relu_backward(np.ones_like(z), relu_forward(z)[1])   # ReLU'(0) = 0, as in PyTorch
array([[0., 0., 1.]])
>>> get_activation("swish")
Traceback (most recent call last):
...
ValueError: activation 'swish' is unknown; expected one of ['sigmoid', 'tanh', 'relu', 'gelu']
"""

from __future__ import annotations

import math

import numpy as np

from .layers import sigmoid_backward, sigmoid_forward

__all__ = [
    "ACTIVATIONS",
    "get_activation",
    "tanh_forward",
    "tanh_backward",
    "relu_forward",
    "relu_backward",
    "gelu_forward",
    "gelu_backward",
]


def tanh_forward(z: np.ndarray):
    """Element-wise tanh.

    Parameters
    ----------
    z : ndarray, shape (H, N)

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
    return a, a


def tanh_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """Backward pass of a = tanh(z): ``dout`` (H, N) and the cache tanh(z) (H, N) -> dz (H, N)."""
    a = cache
    # --8<-- [start:tanh-backward]
    # ∂J/∂z = ∂J/∂a ⊙ tanh'(z),  tanh'(z) = 1 − tanh²(z)
    dz = dout * (1.0 - a * a)
    # --8<-- [end:tanh-backward]
    return dz


def relu_forward(z: np.ndarray):
    """Element-wise rectified linear unit.

    Parameters
    ----------
    z : ndarray, shape (H, N)

    Returns
    -------
    a : ndarray, shape (H, N)
        max(z, 0).
    cache : ndarray of bool, shape (H, N)
        The mask z > 0, which is all the derivative needs.
    """
    # --8<-- [start:relu-forward]
    # a = max(z, 0)
    a = np.maximum(z, 0.0)
    # --8<-- [end:relu-forward]
    return a, z > 0


def relu_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """Backward pass of a = max(z, 0): ``dout`` (H, N) and the mask z > 0 (H, N) -> dz (H, N)."""
    positive = cache
    # --8<-- [start:relu-backward]
    # ∂J/∂z = ∂J/∂a ⊙ ReLU'(z),  ReLU'(z) = 1 if z > 0 else 0   (at the kink z = 0 we take 0, as PyTorch does)
    dz = dout * positive
    # --8<-- [end:relu-backward]
    return dz


def _erf(x: np.ndarray) -> np.ndarray:
    """`math.erf` entry by entry (NumPy has no erf), in x's dtype."""
    # --8<-- [start:erf]
    # erf(x) = (2/√π) ∫₀ˣ e^{−t²} dt, by the C library's erf for each entry
    out = np.fromiter(map(math.erf, x.ravel().tolist()), dtype=x.dtype, count=x.size).reshape(x.shape)
    # --8<-- [end:erf]
    return out


def gelu_forward(z: np.ndarray):
    """Element-wise GELU, exact form z·Φ(z).

    Parameters
    ----------
    z : ndarray, shape (H, N)

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
    return a, (z, cdf)


def gelu_backward(dout: np.ndarray, cache) -> np.ndarray:
    """Backward pass of a = z·Φ(z): ``dout`` (H, N) and the cache ``(z, Φ(z))`` -> dz (H, N)."""
    z, cdf = cache
    # --8<-- [start:gelu-backward]
    # ∂J/∂z = ∂J/∂a ⊙ GELU'(z),  GELU'(z) = Φ(z) + z φ(z),  φ(z) = e^{−z²/2} / √(2π)
    # (z clipped to ±40 inside φ only: z φ(z) is 0 in float64 beyond |z| ≈ 38, and z² stays finite)
    zc = np.clip(z, -40.0, 40.0)
    pdf = np.exp(-0.5 * zc * zc) / math.sqrt(2.0 * math.pi)
    dz = dout * (cdf + z * pdf)
    # --8<-- [end:gelu-backward]
    return dz


#: name -> (forward, backward); the hidden layers of `fcnet.mlp` use these names.
ACTIVATIONS = {
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "relu": (relu_forward, relu_backward),
    "gelu": (gelu_forward, gelu_backward),
}


def get_activation(name: str):
    """The ``(forward, backward)`` pair registered as ``name``.

    Raises
    ------
    ValueError
        When ``name`` is not a key of `ACTIVATIONS`; the message lists them.
    """
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation {name!r} is unknown; expected one of {list(ACTIVATIONS)}")
    return ACTIVATIONS[name]
