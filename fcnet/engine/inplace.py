"""The core's formulas written into arrays the caller gives: no array is allocated per call.

Each function computes what the block of the same name in `fcnet.core`
computes, by the same NumPy operations in the same order, but with ``out=``
and in-place operators, so that the engine's nets (`fcnet.engine.net`,
`fcnet.engine.mlp`) can lay a whole step out in one `fcnet.engine.Workspace`.
The results are those of the core's blocks bit for bit
(``tests/test_engine.py``).  Nothing here checks its arguments: the public
doors (`fcnet.loss_and_grads`, `fcnet.mlp_loss_and_grads`) checked them.

>>> import numpy as np
>>> from fcnet.core.layers import sigmoid_forward
>>> z = np.array([[-800.0, -1.0, 0.0, 2.0]])
>>> with np.errstate(over="ignore"):   # e^{800} overflows; the far tail is recomputed as e^z
...     a = sigmoid(z.copy(), out=np.empty_like(z))
>>> bool(np.array_equal(a, sigmoid_forward(z)[0]))
True
"""

from __future__ import annotations

import math

import numpy as np

from ..core.activations import _erf
from ..core.layers import far_tail

__all__ = ["ACTIVATIONS", "affine", "sigmoid", "sigmoid_backward", "log_softmax", "softmax_ce_backward"]


def affine(W, a, b, out):
    """z = W a + b 1ᵀ into ``out`` (H, N)."""
    z = np.matmul(W, a, out=out)
    z += b[:, None]
    return z


def sigmoid(z, out):
    """σ(z) into ``out`` (may be ``z``): 1 / (1 + e^(−z)) step by step in one array, e^z in the far tail."""
    z0 = far_tail(z.dtype)
    tail = None
    if z.size and z.min() < z0:  # read before ``out`` (which may be z) is written
        where = z < z0
        tail = where, np.exp(z[where])
    a = np.negative(z, out=out)  # −z
    np.exp(a, out=a)  # e^{−z}
    a += 1  # 1 + e^{−z}
    np.divide(1, a, out=a)  # 1 / (1 + e^{−z})
    if tail is not None:
        a[tail[0]] = tail[1]
    return a


def sigmoid_backward(dout, a, out, scratch):
    """dout ⊙ σ(z)(1 − σ(z)) into ``out`` (may be ``dout``); ``scratch`` (may be ``a``) receives 1 − σ(z)."""
    dz = np.multiply(dout, a, out=out)  # ∂J/∂a ⊙ σ(z)
    dz *= np.subtract(1, a, out=scratch)  # ⊙ (1 − σ(z))
    return dz


def tanh(z, out):
    return np.tanh(z, out=out)


def tanh_backward(dout, a, out, scratch):
    grad = np.multiply(a, a, out=scratch)  # tanh²(z)
    np.subtract(1, grad, out=grad)  # 1 − tanh²(z)
    return np.multiply(dout, grad, out=out)


def relu(z, out):
    return np.maximum(z, 0.0, out=out)


def relu_backward(dout, a, out, scratch):
    return np.multiply(dout, np.greater(a, 0, out=scratch), out=out)


def gelu(z, out):
    """z Φ(z) into ``out`` (not ``z``); Φ(z) is computed entry by entry and allocates (NumPy has no erf)."""
    cdf = 0.5 * (1.0 + _erf(z * math.sqrt(0.5)))
    return np.multiply(z, cdf, out=out), (z, cdf)


def gelu_backward(dout, cache, out, scratch):
    z, cdf = cache
    zc = np.clip(z, -40.0, 40.0)
    pdf = np.exp(-0.5 * zc * zc) / math.sqrt(2.0 * math.pi)
    return np.multiply(dout, cdf + z * pdf, out=out)


def softplus(z, out):
    return np.logaddexp(0.0, z, out=out), z


def softplus_backward(dout, z, out, scratch):
    return np.multiply(dout, sigmoid(z, out=scratch), out=out)


def _same(forward):
    """A forward pass whose cache is its result."""

    def cached(z, out):
        a = forward(z, out)
        return a, a

    return cached


#: name -> (forward, backward): ``a, cache = forward(z, out)`` and ``dz = backward(da, cache, out, scratch)``,
#: the in-place twins of `fcnet.core.activations.ACTIVATIONS`
ACTIVATIONS = {
    "sigmoid": (_same(sigmoid), sigmoid_backward),
    "tanh": (_same(tanh), tanh_backward),
    "relu": (_same(relu), relu_backward),
    "gelu": (gelu, gelu_backward),
    "softplus": (softplus, softplus_backward),
}


def log_softmax(z, out, scratch):
    """log ŷ = (z − max z) − log Σ e^(z − max z) into ``out`` (may be ``z``); ``scratch`` receives the exponentials."""
    logp = np.subtract(z, z.max(axis=0, keepdims=True), out=out)
    logp -= np.log(np.exp(logp, out=scratch).sum(axis=0, keepdims=True))
    return logp


def softmax_ce(z, y, out, scratch):
    """The mean cross-entropy, and ŷ written into ``out`` (may be ``z``)."""
    logp = log_softmax(z, out, scratch)
    loss = -logp[y, np.arange(z.shape[1])].mean()
    return float(loss), np.exp(logp, out=logp)


def softmax_ce_backward(probs, y, out):
    """δ = (Ŷ − Y)/N into ``out`` (may be ``probs``): 1 subtracted at each column's label, then the mean's 1/N."""
    N = probs.shape[1]
    dz = out if out is probs else np.copyto(out, probs) or out
    dz[y, np.arange(N)] -= 1
    dz /= N
    return dz
