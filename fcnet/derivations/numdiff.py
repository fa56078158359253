"""Numerical differentiation: the notes' toy functions (D7) and the error of a difference quotient (D8).

D7: f2(w1, w2) = log(w1 + w2) + w1² w2 and f1 = cos w1 cos w2 + σ(w2),
with exact gradients at the notes' point (1, 2).  D8: Taylor expansion shows
the centred difference errs by f'''(x) h²/6 + O(h⁴), the one-sided one by
f''(x) h/2 + O(h²).

>>> round(float(toy_f2(np.array([1.0, 2.0]))), 10)   # log 3 + 1² · 2 (fcnet.gradcheck.toy.f2)
3.0986122887
>>> toy_result()[0].rhs.T   # ∇f2(1, 2), exactly
Matrix([[13/3, 4/3]])
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..gradcheck.numerical import numerical_gradient
from ..gradcheck.toy import f1 as toy_f1
from ..gradcheck.toy import f2 as toy_f2
from .base import Derivation, Step, add, eq, mul, named
from .notation import sigma, sigmoid_exp
from .parts import heading
from .proofs import assert_zero

__all__ = ["derivations", "exact_toy_gradients", "toy_f1", "toy_f2"]

w1, w2 = sp.symbols("w_1 w_2", real=True)
point = {w1: 1, w2: 2}
f1s, f2s = sp.Function("f_1"), sp.Function("f_2")
F2 = add(sp.log(w1 + w2), mul(w1**2, w2))
F1 = add(mul(sp.cos(w1), sp.cos(w2)), sigma(w2))
grad_f2 = sp.Matrix([add(1 / (w1 + w2), mul(2, w1, w2)), add(1 / (w1 + w2), w1**2)])
grad_f1 = sp.Matrix([-sp.sin(w1) * sp.cos(w2), add(-sp.cos(w1) * sp.sin(w2), mul(sigma(w2), add(1, -sigma(w2))))])
nabla_f2 = named("∇f2(1, 2)", r"\nabla f_2(1, 2)")
nabla_f1 = named("∇f1(1, 2)", r"\nabla f_1(1, 2)")
nabla_f2w = named("∇f2", r"\nabla f_2(w_1, w_2)")
nabla_f1w = named("∇f1", r"\nabla f_1(w_1, w_2)")


def as_exp(expr):
    return sp.sympify(expr).replace(sigma, sp.Lambda(w2, sigmoid_exp(w2)))


def toy_result():
    one, two = sp.Integer(1), sp.Integer(2)
    at_point = sp.Matrix(
        [-sp.sin(one) * sp.cos(two), add(-sp.cos(one) * sp.sin(two), mul(sigma(two), add(1, -sigma(two))))]
    )
    return sp.Tuple(eq(nabla_f2, sp.Matrix([sp.Rational(13, 3), sp.Rational(4, 3)])), eq(nabla_f1, at_point))


def exact_toy_gradients() -> dict[str, np.ndarray]:
    """D7's exact gradients at (1, 2), rounded once to float64: ``{"f1": (2,), "f2": (2,)}``.

    >>> exact_toy_gradients()["f2"]   # (13/3, 4/3)
    array([4.33333333, 1.33333333])
    """
    at_point = {str(e.lhs): e.rhs for e in toy_result()}
    return {
        name: np.array(as_exp(at_point[key]).evalf(30), dtype=np.float64).ravel()
        for name, key in (("f1", "∇f1(1, 2)"), ("f2", "∇f2(1, 2)"))
    }


def _prove_toy():
    for F, grad, (_, at_point), name in (
        (F2, grad_f2, toy_result()[0].args, "f2"),
        (F1, grad_f1, toy_result()[1].args, "f1"),
    ):
        raw = sp.Matrix([sp.diff(as_exp(F.doit()), w) for w in (w1, w2)])
        for r in range(2):
            assert_zero(raw[r] - as_exp(grad[r].doit()), f"∂{name}/∂w{r + 1}: SymPy vs the stated gradient")
            assert_zero(raw[r].subs(point) - as_exp(at_point[r].doit()), f"∂{name}/∂w{r + 1} at (1, 2)")


def _numeric_toy(rng):
    """`numerical_gradient` at h = 1e-3 vs the exact gradient plus its predicted error h²/6 ∂³f/∂wᵢ³ (D8).

    The remainder is O(h⁴) ≈ 1e-12 · f⁽⁵⁾/120 and round-off ≈ 1e-16 |f| / h ≈ 1e-13:
    the two agree to ~1e-13, where the uncorrected gradient would be off by ~1e-7.
    """
    step, ours, code = 1e-3, [], []
    for F, fn in ((F2, toy_f2), (F1, toy_f1)):
        expr = as_exp(F.doit())
        exact = sp.lambdify((w1, w2), [sp.diff(expr, w) + step**2 / 6 * sp.diff(expr, w, 3) for w in (w1, w2)])
        for _ in range(3):
            w = rng.uniform(0.5, 2.0, size=2)
            ours.append(np.array(exact(*w), dtype=float))
            code.append(numerical_gradient(fn, w.copy(), h=step))
    return np.concatenate(ours), np.concatenate(code)


x, h = sp.symbols("x h", real=True)
f = sp.Function("f")
centred = named("centred", r"\frac{f(x + h) - f(x - h)}{2h}")
forward = named("forward", r"\frac{f(x + h) - f(x)}{h}")
fprime = sp.Derivative(f(x), x)


def _taylor(sign, order):
    return (
        sum((sign * h) ** m / sp.factorial(m) * sp.Derivative(f(x), (x, m)) for m in range(1, order))
        + f(x)
        + sp.O(h**order)
    )


def error_result():
    return sp.Tuple(
        eq(add(centred, -fprime), add(h**2 / 6 * sp.Derivative(f(x), (x, 3)), sp.O(h**4))),
        eq(add(forward, -fprime), add(h / 2 * sp.Derivative(f(x), (x, 2)), sp.O(h**2))),
    )


def _prove_error():
    c_expr = (f(x + h) - f(x - h)) / (2 * h) - fprime
    o_expr = (f(x + h) - f(x)) / h - fprime
    for expr, stated, order, nxt, name in (
        (c_expr, error_result()[0].rhs, 4, 5, "centred"),
        (o_expr, error_result()[1].rhs, 2, 3, "one-sided"),
    ):
        got = expr.series(h, 0, order).doit()
        want = stated.doit()
        if got.getO() != want.getO():
            raise AssertionError(f"{name}: the remainder is {got.getO()}, not {want.getO()}")
        assert_zero(got.removeO() - want.removeO(), f"{name} difference: leading error term")
        # the stated order is sharp: the next term is not zero for a general f
        following = expr.series(h, 0, order + 1).doit().removeO() - got.removeO()
        if following == 0 or sp.Derivative(f(x), (x, nxt)) not in following.atoms(sp.Derivative):
            raise AssertionError(f"{name}: the h^{order - 1}... term vanished: {following}")


def _numeric_error(rng):
    """On cubics (centred) and quadratics (one-sided) the leading term is the whole error: only round-off is left.

    With h = 1/4 (exact in binary) the errors are ~1e-2 and the round-off ~1e-16 / h, so they agree to ~1e-14.
    """
    step = 0.25
    d2, d3 = sp.symbols("d2 d3")
    leading = [
        e.rhs.removeO().doit().subs({sp.Derivative(f(x), (x, 3)): d3, sp.Derivative(f(x), (x, 2)): d2})
        for e in error_result()
    ]
    centred_err, forward_err = (sp.lambdify((h, d2, d3), e) for e in leading)
    ours, code = [], []
    for _ in range(4):
        cubic, x0 = np.polynomial.Polynomial(rng.normal(size=4)), rng.uniform(-1, 1)
        quadratic = np.polynomial.Polynomial(rng.normal(size=3))
        ours += [centred_err(step, 0.0, cubic.deriv(3)(x0)), forward_err(step, quadratic.deriv(2)(x0), 0.0)]
        code += [numerical_gradient(lambda v, p=cubic: float(p(v[0])), np.array([x0]), h=step)[0] - cubic.deriv()(x0)]
        code += [(quadratic(x0 + step) - quadratic(x0)) / step - quadratic.deriv()(x0)]
    return np.array(ours), np.array(code)


def derivations() -> list[Derivation]:
    toy = Derivation(
        **heading("numdiff-toy"),
        steps=(
            Step(eq(f2s(w1, w2), F2), "The notes' second toy function."),
            Step(
                eq(nabla_f2w, grad_f2),
                r"Differentiate term by term: $\frac{d}{du} \log u = \frac{1}{u}$, and $w_1^2 w_2$ is a monomial.",
            ),
            Step(eq(f1s(w1, w2), F1), r"The notes' first toy function (its code computes it, then returns $f_2$)."),
            Step(
                eq(nabla_f1w, grad_f1),
                r"Product rule for the cosines; the sigmoid's derivative $\sigma(1 - \sigma)$ (D3). "
                r"The result: both gradients at the notes' point $(1, 2)$.",
            ),
        ),
        result=toy_result(),
        precondition=r"$w_1 + w_2 > 0$, so that $\log(w_1 + w_2)$ is defined",
        snippets=("fcnet/gradcheck/numerical.py:centred-difference",),
        proof=_prove_toy,
        numeric=_numeric_toy,
    )
    error = Derivation(
        **heading("numdiff-error"),
        steps=(
            Step(eq(f(add(x, h)), _taylor(1, 6)), r"Taylor's theorem about $x$, for $f$ smooth enough.", wrap=4),
            Step(eq(f(add(x, -h)), _taylor(-1, 6)), r"The same with $-h$: the odd powers change sign.", wrap=4),
            Step(
                eq(
                    centred,
                    add(
                        fprime,
                        h**2 / 6 * sp.Derivative(f(x), (x, 3)),
                        h**4 / 120 * sp.Derivative(f(x), (x, 5)),
                        sp.O(h**6),
                    ),
                ),
                r"Subtracting, the even powers cancel; dividing by $2h$ leaves $f'$ and even powers of $h$.",
            ),
            Step(
                eq(
                    forward,
                    add(
                        fprime, h / 2 * sp.Derivative(f(x), (x, 2)), h**2 / 6 * sp.Derivative(f(x), (x, 3)), sp.O(h**3)
                    ),
                ),
                r"The one-sided quotient keeps every power: its error starts at $h$.",
            ),
        ),
        result=error_result(),
        precondition=r"$f$ has continuous derivatives up to the order used (five for the centred remainder)",
        snippets=("fcnet/gradcheck/numerical.py:centred-difference",),
        proof=_prove_error,
        numeric=_numeric_error,
    )
    return [toy, error]
