"""The derivatives of the deeper nets' activations: tanh, ReLU, GELU, softplus.

Each is derived from the activation's definition, proved by SymPy, and
implemented by the ``*-backward`` section of `fcnet.core.activations`; the
sigmoid's derivative is D3 (``sigmoid-grad``).

>>> [d.id for d in derivations()]
['tanh-grad', 'relu-grad', 'gelu-grad', 'softplus-grad']
>>> all(d.verify() for d in derivations())
True
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .base import Derivation, Step, named
from .notation import sigmoid_exp
from .parts import heading
from .proofs import assert_zero

__all__ = ["derivations"]

#: one pre-activation, a real number
z = sp.Symbol("z", real=True)


def _deq(lhs, rhs):
    """An unevaluated equation, printed as written."""
    return sp.Eq(lhs, rhs, evaluate=False)


def _numeric(derivative, activation: str, modules=("numpy",)):
    """``numeric(rng) -> (from_result, from_code)`` on z ~ 2·N(0, 1), shape (4, 6)."""

    def numeric(rng):
        from ..core.activations import ACTIVATIONS

        forward, backward = ACTIVATIONS[activation].forward, ACTIVATIONS[activation].backward
        zs = 2.0 * rng.standard_normal((4, 6))
        from_result = np.broadcast_to(sp.lambdify(z, derivative, modules=list(modules))(zs), zs.shape)
        return np.asarray(from_result, dtype=np.float64), backward(np.ones_like(zs), forward(zs)[1])

    return numeric


def _tanh() -> Derivation:
    ez, emz = sp.exp(z), sp.exp(-z)
    with sp.evaluate(False):
        tanh_def = (ez - emz) / (ez + emz)
    dtanh = named("tanh'(z)", r"\tanh'(z)")
    with sp.evaluate(False):
        quotient = ((ez + emz) * (ez + emz) - (ez - emz) * (ez - emz)) / (ez + emz) ** 2
        split = 1 - ((ez - emz) / (ez + emz)) ** 2
    result = _deq(dtanh, 1 - sp.tanh(z) ** 2)

    def proof():
        assert_zero(sp.diff(tanh_def, z) - quotient, "the quotient rule on (e^z − e^−z)/(e^z + e^−z)")
        assert_zero(quotient - split, "splitting the quotient")
        assert_zero(sp.diff(sp.tanh(z), z) - result.rhs, "tanh'(z) = 1 − tanh²(z)")
        assert_zero(sp.tanh(z).rewrite(sp.exp) - tanh_def, "the definition of tanh")

    return Derivation(
        **heading("tanh-grad"),
        steps=(
            Step(_deq(sp.tanh(z), tanh_def), "The definition."),
            Step(
                _deq(sp.Derivative(sp.tanh(z), z), quotient),
                r"The quotient rule, with $(e^z)' = e^z$ and $(e^{-z})' = -e^{-z}$.",
            ),
            Step(_deq(dtanh, split), "Divide both terms of the numerator by the denominator."),
        ),
        result=result,
        precondition="",
        snippets=("fcnet/core/activations.py:tanh-forward", "fcnet/core/activations.py:tanh-backward"),
        proof=proof,
        numeric=_numeric(result.rhs, "tanh"),
    )


def _relu() -> Derivation:
    relu_def = sp.Piecewise((z, z > 0), (0, True))
    drelu = named("ReLU'(z)", r"\operatorname{ReLU}'(z)")
    pieces = sp.Piecewise((1, z > 0), (0, z < 0))
    result = _deq(drelu, sp.Piecewise((1, z > 0), (0, True)))

    def proof():
        pos, neg = sp.Symbol("p", positive=True), sp.Symbol("m", negative=True)
        for u, want in ((pos, 1), (neg, 0)):
            assert_zero(
                sp.diff(sp.Max(0, z), z).subs(z, u) - want, f"d max(0, z)/dz at z = {u} ({'> 0' if want else '< 0'})"
            )
            assert_zero(sp.diff(relu_def, z).subs(z, u) - want, f"the piecewise derivative at z = {u}")
            assert_zero(result.rhs.subs(z, u) - want, f"the result at z = {u}")
        if result.rhs.subs(z, 0) != 0:
            raise AssertionError("the result must take the convention ReLU'(0) = 0 (PyTorch's)")

    return Derivation(
        **heading("relu-grad"),
        steps=(
            Step(_deq(sp.Max(0, z), relu_def), "The definition, one linear piece on each side of 0."),
            Step(
                _deq(drelu, pieces), r"Each piece is linear: slope 1 for $z > 0$, slope 0 for $z < 0$; at 0 we take 0."
            ),
        ),
        result=result,
        precondition=r"$z \ne 0$: ReLU has a kink at 0 and no derivative there; "
        r"fcnet, like PyTorch, takes $\operatorname{ReLU}'(0) = 0$, one of its subgradients.",
        snippets=("fcnet/core/activations.py:relu-forward", "fcnet/core/activations.py:relu-backward"),
        proof=proof,
        numeric=_numeric(result.rhs, "relu"),
    )


def _gelu() -> Derivation:
    Phi = sp.Function("Phi")
    cdf = (1 + sp.erf(z / sp.sqrt(2))) / 2
    pdf = sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi)
    dgelu = named("GELU'(z)", r"\operatorname{GELU}'(z)")
    result = _deq(dgelu, cdf + z * pdf)

    def proof():
        assert_zero(sp.diff(z * Phi(z), z) - (Phi(z) + z * sp.Derivative(Phi(z), z)), "the product rule")
        assert_zero(sp.diff(cdf, z) - pdf, "Φ'(z) = φ(z): erf'(u) = (2/√π)e^{−u²} and the chain rule with u = z/√2")
        assert_zero(sp.diff(z * cdf, z) - result.rhs, "GELU'(z) = Φ(z) + z φ(z)")

    return Derivation(
        **heading("gelu-grad"),
        steps=(
            Step(
                _deq(named("GELU(z)", r"\operatorname{GELU}(z)"), z * Phi(z)),
                r"The definition, $\Phi$ the standard normal CDF.",
            ),
            Step(_deq(Phi(z), cdf), r"$\Phi$ by the error function."),
            Step(_deq(dgelu, Phi(z) + z * sp.Derivative(Phi(z), z)), "The product rule."),
            Step(
                _deq(sp.Derivative(Phi(z), z), pdf),
                r"$\operatorname{erf}'(u) = \frac{2}{\sqrt{\pi}} e^{-u^2}$, times "
                r"$\frac{du}{dz} = \frac{1}{\sqrt{2}}$: "
                r"the normal density $\phi(z)$.",
            ),
        ),
        result=result,
        precondition="",
        snippets=("fcnet/core/activations.py:gelu-forward", "fcnet/core/activations.py:gelu-backward"),
        proof=proof,
        numeric=_numeric(result.rhs, "gelu", modules=({"erf": np.vectorize(math.erf)}, "numpy")),
    )


def _softplus() -> Derivation:
    ez = sp.exp(z)
    softplus_def = sp.log(1 + ez)
    dsoftplus = named("softplus'(z)", r"\operatorname{softplus}'(z)")
    chain = ez / (1 + ez)
    result = _deq(dsoftplus, sigmoid_exp(z))

    def proof():
        assert_zero(sp.diff(softplus_def, z) - chain, "the chain rule on log(1 + e^z)")
        assert_zero(chain - result.rhs, "dividing e^z/(1 + e^z) above and below by e^z")
        # the forward pass computes log(e^0 + e^z) as max(0, z) + log(1 + e^{−|z|}): the same function on each side of 0
        for u in (sp.Symbol("p", positive=True), sp.Symbol("m", negative=True)):
            stable = sp.Max(0, u) + sp.log(1 + sp.exp(-sp.Abs(u)))
            assert_zero(sp.expand_log(stable - softplus_def.subs(z, u), force=True), f"the stable form at z = {u}")

    return Derivation(
        **heading("softplus-grad"),
        steps=(
            Step(_deq(named("softplus(z)", r"\operatorname{softplus}(z)"), softplus_def), "The definition."),
            Step(
                _deq(sp.Derivative(softplus_def, z), chain),
                r"The chain rule: $(\log u)' = u'/u$ with $u = 1 + e^z$.",
            ),
            Step(
                _deq(dsoftplus, result.rhs),
                r"Divide above and below by $e^z$: the result is the sigmoid $\sigma(z)$ of D3.",
            ),
        ),
        result=result,
        precondition="",
        snippets=("fcnet/core/activations.py:softplus-forward", "fcnet/core/activations.py:softplus-backward"),
        proof=proof,
        numeric=_numeric(result.rhs, "softplus"),
    )


def derivations() -> list[Derivation]:
    """D9 tanh-grad, D10 relu-grad, D11 gelu-grad, D12 softplus-grad."""
    return [_tanh(), _relu(), _gelu(), _softplus()]
