"""Exercises for the Deeper nets page: counting, the sigmoid's bound, two activations derived."""

from __future__ import annotations

import numpy as np

from ....core.activations import ACTIVATIONS
from ....core.params import init_params
from ..base import Answer, num

SIZES = [6, 8, 8, 5, 4]  # the page's net against PyTorch


def _param_count():
    params = init_params(SIZES)
    P = sum(p.size for p in params.values())
    terms = " + ".join(f"{o} \\cdot {i} + {o}" for i, o in zip(SIZES[:-1], SIZES[1:]))
    return Answer(P, rf"Each layer \(l\) has \(H_l H_{{l-1}} + H_l\) numbers: \({terms} = {P}\).")


def _sigmoid_bound():
    import sympy as sp

    s = sp.Symbol("s")
    peak = sp.maximum(s * (1 - s), s, sp.Interval(0, 1))
    grid = np.linspace(-8, 8, 16001)[None, :]
    sig = ACTIVATIONS["sigmoid"]
    measured = float(sig.backward(np.ones_like(grid), sig.forward(grid)[1]).max())
    bound9 = float(peak) ** 9
    text = (
        r"\(\sigma' = \sigma (1 - \sigma)\) (D3) is \(a (1 - a)\) with \(a = \sigma(z) \in (0, 1)\), a parabola "
        rf"whose maximum is \({sp.latex(peak)}\), at \(a = 1/2\), i.e. \(z = 0\) (fcnet's `sigmoid_backward` on a "
        rf"grid: \({num(measured, 6)}\)). Nine sigmoid layers multiply the backward signal by nine such factors, "
        rf"at most \((1/4)^9 = {num(bound9)}\): the weights would have to make up a factor of \(4^9 \approx "
        r"2.6 \times 10^5\) for the first layer to learn at the last one's pace."
    )
    return Answer((peak, measured, bound9), text)


def _tanh_from_sigmoid():
    import sympy as sp

    z = sp.Symbol("z", real=True)

    def sigma(u):
        return 1 / (1 + sp.exp(-u))

    identity = sp.simplify((2 * sigma(2 * z) - 1 - sp.tanh(z)).rewrite(sp.exp)) == 0
    derived = 4 * sigma(2 * z) * (1 - sigma(2 * z))  # d/dz [2σ(2z) − 1] = 2 · 2 σ'(2z)
    matches_d9 = sp.simplify((derived - (1 - sp.tanh(z) ** 2)).rewrite(sp.exp)) == 0
    text = (
        r"\(2\sigma(2z) - 1 = \frac{2 - (1 + e^{-2z})}{1 + e^{-2z}} = \frac{1 - e^{-2z}}{1 + e^{-2z}} = \tanh z\) "
        r"(multiply above and below by \(e^{z}\)). The chain rule and D3: \(\tanh' z = 2 \cdot 2\, \sigma'(2z) = "
        r"4 \sigma(2z)(1 - \sigma(2z))\), and SymPy confirms that this is D9's \(1 - \tanh^2 z\). So tanh is a "
        r"sigmoid stretched to \((-1, 1)\), with slope 1 at 0 instead of 1/4."
    )
    return Answer((identity, matches_d9, sp.lambdify(z, derived, "numpy")), text)


def _leaky_relu():
    import sympy as sp

    z, alpha = sp.Symbol("z", real=True), sp.Symbol("alpha", positive=True)
    f = sp.Piecewise((z, z > 0), (alpha * z, True))
    d = sp.diff(f, z)
    slopes = (d.subs(z, 1), d.subs(z, -1))

    def backward(dout, zs, a):
        # ∂J/∂z = ∂J/∂a ⊙ f'(z),  f'(z) = 1 if z > 0 else α
        return dout * np.where(zs > 0, 1.0, a)

    text = (
        rf"Two linear pieces, so the derivative is their slopes: \({slopes[0]}\) for \(z > 0\) and "
        rf"\({sp.latex(slopes[1])}\) for \(z < 0\) (none at the kink; like ReLU, take one side there). In the "
        r"notes' style: `dz = dout * np.where(z > 0, 1.0, alpha)`. Unlike ReLU, a unit with \(z < 0\) still passes "
        r"a fraction \(\alpha\) of the gradient back, so it cannot die."
    )
    return Answer((slopes, backward), text)


def _gelu_limits():
    import sympy as sp

    from ....derivations import get

    d11 = get("gelu-grad")
    rhs = d11.result.rhs
    (z,) = rhs.free_symbols
    at0, plus, minus = rhs.subs(z, 0), sp.limit(rhs, z, sp.oo), sp.limit(rhs, z, -sp.oo)
    gelu = ACTIVATIONS["gelu"]
    zs = np.array([[0.0, 10.0, -10.0]])
    ours = gelu.backward(np.ones_like(zs), gelu.forward(zs)[1]).ravel()
    shown = ", ".join(rf"\({num(v, 6)}\)" for v in ours)
    text = (
        rf"From {d11.number}: \(\operatorname{{GELU}}'(0) = {sp.latex(at0)}\) (only \(\Phi(0) = 1/2\) survives), and "
        rf"\(\operatorname{{GELU}}'(z) \to {sp.latex(plus)}\) as \(z \to \infty\), \(\to {sp.latex(minus)}\) as "
        rf"\(z \to -\infty\): ReLU's slopes, rounded off. fcnet's `gelu_backward` at 0, 10, −10: "
        rf"{shown}."
    )
    return Answer(((at0, plus, minus), ours), text)
