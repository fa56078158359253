"""The sigmoid's derivative (D3): σ'(z) = σ(z)(1 − σ(z)).

Proved equal to SymPy's raw derivative of 1/(1 + e^(−z)).

>>> derivations()[0].verify()
True
"""

from __future__ import annotations

import sympy as sp

from .base import Derivation, Step, add, eq, mul, named
from .notation import dsigma, sigma, sigmoid_exp
from .parts import heading
from .proofs import assert_zero

__all__ = ["derivations"]

u = sp.Symbol("z", real=True)
dsigma_dz = named("dσ/dz", r"\frac{d\sigma}{dz}")
E = sp.exp(-u)


def as_exp(expr):
    """Replace σ by its definition 1/(1 + e^(−z))."""
    return expr.replace(sigma, sp.Lambda(u, sigmoid_exp(u)))


def _prove():
    raw = sp.diff(sigmoid_exp(u), u)  # SymPy's own derivative
    assert_zero(raw - E / (1 + E) ** 2, "SymPy's raw derivative vs e^{−z}/(1 + e^{−z})²")
    assert_zero(as_exp(1 - sigma(u)) - E / (1 + E), "1 − σ(z) = e^{−z}/(1 + e^{−z})")
    assert_zero(raw - as_exp(dsigma(u)), "σ'(z) vs σ(z)(1 − σ(z))")
    assert_zero(as_exp(result().rhs.doit()) - raw, "the stated result vs the raw derivative")


def _numeric(rng):
    Z, dout = rng.uniform(-8, 8, size=(4, 6)), rng.normal(size=(4, 6))
    f = sp.lambdify(u, as_exp(result().rhs.doit()))
    from ..core.activations import ACTIVATIONS  # the registered pair, which the L-layer net uses

    sigmoid = ACTIVATIONS["sigmoid"]
    return dout * f(Z), sigmoid.backward(dout, sigmoid.forward(Z)[1])


def result():
    return eq(dsigma_dz, mul(sigma(u), add(1, -sigma(u))))


def derivations() -> list[Derivation]:
    return [
        Derivation(
            **heading("sigmoid-grad"),
            steps=(
                Step(eq(sigma(u), sigmoid_exp(u)), "The logistic sigmoid."),
                Step(
                    eq(dsigma_dz, E / (1 + E) ** 2), r"SymPy's raw derivative (the chain rule on $(1 + e^{-z})^{-1}$)."
                ),
                Step(
                    eq(dsigma_dz, mul(sp.UnevaluatedExpr(1 / (1 + E)), sp.UnevaluatedExpr(E / (1 + E)))),
                    "Split the fraction in two.",
                ),
                Step(
                    eq(add(1, -sigma(u)), E / (1 + E)),
                    r"The second factor is $1 - \sigma(z)$, the first is $\sigma(z)$.",
                ),
            ),
            result=result(),
            snippets=("fcnet/core/layers.py:sigmoid-backward",),
            proof=_prove,
            numeric=_numeric,
        )
    ]
