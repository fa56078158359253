"""The symbols every derivation shares, named as in the notes.

Sizes N, D_in, H, C; per-example vectors and matrices as `IndexedBase`
(entries ``W1[h, d]``) for index calculus, and as `MatrixSymbol` for the
matrix forms the NumPy code implements.  σ is an undefined function: its
derivative enters a derivation only through the sigmoid's own (D3).

>>> import sympy as sp
>>> from fcnet.derivations.base import tex
>>> with sp.evaluate(False):   # display order as written
...     print(tex(W1[h, d] * x[d]))
{W^{(1)}_{hd}} x_{d}
"""

from __future__ import annotations

import sympy as sp

from .base import named
from .proofs import index

__all__ = [
    "N",
    "D_in",
    "H",
    "C",
    "i",
    "j",
    "k",
    "c",
    "h",
    "d",
    "n",
    "p",
    "q",
    "sigma",
    "sigma_d",
    "dsigma",
    "sigmoid_exp",
    "x",
    "z",
    "y",
    "yhat",
    "W",
    "a",
    "b",
    "delta",
    "W1",
    "b1",
    "z1",
    "a1",
    "W2",
    "b2",
    "z2",
    "delta1",
    "delta2",
]

#: sizes: batch, inputs, hidden units, classes
N = sp.Symbol("N", integer=True, positive=True)
D_in = named("D_in", r"D_{\mathrm{in}}", integer=True, positive=True)
H = sp.Symbol("H", integer=True, positive=True)
C = sp.Symbol("C", integer=True, positive=True)

#: indices, always ≥ 0: i, j, k, c over classes; h over hidden units; d over inputs; n over examples
i, j, k, c, h, d, n, p, q = index("i", "j", "k", "c", "h", "d", "n", "p", "q")

#: the logistic sigmoid, undefined so that SymPy cannot differentiate it behind our back
sigma = sp.Function("sigma")
#: σ' for display (the derivations replace it by σ(1 − σ), citing D3)
sigma_d = sp.Function("sigma'")


def dsigma(u):
    """σ'(u) = σ(u)(1 − σ(u)), the sigmoid's derivative (D3)."""
    return sigma(u) * (1 - sigma(u))


def sigmoid_exp(u):
    """σ(u) = 1/(1 + e^(−u)), the definition."""
    return 1 / (1 + sp.exp(-u))


def _vec(plain, latex):
    return sp.IndexedBase(named(plain, latex))


# one example (index calculus)
x = _vec("x", "x")
z = _vec("z", "z")
y = _vec("y", "y")
yhat = _vec("ŷ", r"\hat{y}")
W = _vec("W", "W")
a = _vec("a", "a")
b = _vec("b", "b")
delta = _vec("δ", r"\delta")
W1, b1, z1, a1 = _vec("W1", "W^{(1)}"), _vec("b1", "b^{(1)}"), _vec("z1", "z^{(1)}"), _vec("a1", "a^{(1)}")
W2, b2, z2 = _vec("W2", "W^{(2)}"), _vec("b2", "b^{(2)}"), _vec("z2", "z^{(2)}")
delta1, delta2 = _vec("δ1", r"\delta^{(1)}"), _vec("δ2", r"\delta^{(2)}")
