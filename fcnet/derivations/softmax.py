r"""Softmax and cross-entropy: the Jacobian (D1) and ∂CE/∂z = ŷ − y (D2).

Both for a symbolic number of classes C, in index notation (`Sum`,
`KroneckerDelta`), and again explicitly for C = 2..6.

>>> from fcnet.derivations.base import tex
>>> print(tex(ce_result()))
\frac{\partial \mathrm{CE}}{\partial z_{k}} = \hat{y}_{k} - y_{k}
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..core.losses import softmax_ce_backward, softmax_ce_forward
from .base import Derivation, Step, add, eq, matadd, mul, named
from .notation import C, i, j, k, y, yhat, z
from .parts import heading
from .proofs import assert_zero, settle

__all__ = ["derivations"]

#: Σⱼ e^(zⱼ), the softmax's denominator
S = sp.Sum(sp.exp(z[j]), (j, 0, C - 1))
#: Σ_i y_i, which the precondition sets to 1
SY = sp.Sum(y[i], (i, 0, C - 1))
KD = sp.KroneckerDelta
CE = named("CE", r"\mathrm{CE}")
dyhat_dz = named("∂ŷ_i/∂z_k", r"\frac{\partial \hat{y}_{i}}{\partial z_{k}}")
dlogyhat_dz = named("∂log ŷ_i/∂z_k", r"\frac{\partial \log \hat{y}_{i}}{\partial z_{k}}")
dCE_dz = named("∂CE/∂z_k", r"\frac{\partial \mathrm{CE}}{\partial z_{k}}")
jacobian = named("∂ŷ/∂z", r"\frac{\partial \hat{y}}{\partial z}")
yhat_vec = named("ŷ", r"\hat{y}", shape=(C, 1))


def softmax_z(u):
    """ŷᵤ = e^(zᵤ) / Σⱼ e^(zⱼ)."""
    return sp.exp(z[u]) / S


def expand_yhat(expr):
    """Write every ŷᵤ in ``expr`` as e^(zᵤ) / Σⱼ e^(zⱼ)."""
    return expr.replace(lambda e: isinstance(e, sp.Indexed) and e.base == yhat, lambda e: softmax_z(e.indices[0]))


def _explicit(n_classes: int):
    """z_0..z_{C−1}, ŷ as a list, and e^{z_j} = E_j: substituting makes everything rational."""
    zs = sp.symbols(f"z0:{n_classes}", real=True)
    Es = sp.symbols(f"E0:{n_classes}", positive=True)
    yh = [sp.exp(u) / sum(sp.exp(v) for v in zs) for u in zs]
    to_E = {u: sp.log(e) for u, e in zip(zs, Es, strict=True)}
    return zs, yh, to_E


def _rational_zero(expr, to_E, what):
    left = sp.cancel(sp.together(expr.subs(to_E)))
    if left != 0:
        raise AssertionError(f"{what}: the difference is {left}, not 0")


def _jacobian_entry():
    return mul(yhat[i], add(KD(i, k), -yhat[k]))


def _prove_jacobian():
    raw = sp.diff(softmax_z(i), z[k])  # quotient rule, by SymPy
    assert_zero(
        settle(raw, {k: C}) - expand_yhat(_jacobian_entry()).doit(), "∂ŷ_i/∂z_k vs ŷ_i([i=k] − ŷ_k), symbolic C"
    )
    matrix_entry = jacobian_result().rhs[i, k].subs({yhat_vec[i, 0]: yhat[i], yhat_vec[k, 0]: yhat[k]})
    assert_zero(matrix_entry - _jacobian_entry().doit(), "(diag(ŷ) − ŷŷᵀ)_ik vs the index form")
    for n_classes in range(2, 7):
        zs, yh, to_E = _explicit(n_classes)
        expected = sp.diag(*yh) - sp.Matrix(yh) * sp.Matrix(yh).T
        for (r, col), v in np.ndenumerate(np.array(sp.Matrix(yh).jacobian(zs) - expected, dtype=object)):
            _rational_zero(v, to_E, f"C={n_classes}: Jacobian entry ({r}, {col})")


def jacobian_result():
    return eq(jacobian, matadd(sp.DiagMatrix(yhat_vec), -yhat_vec * yhat_vec.T))


def _numeric_jacobian(rng):
    """Jᵀ(−y ⊘ ŷ) per column, the CE gradient through the Jacobian, vs the code's."""
    n_classes, n = 5, 7
    Z, labels = rng.normal(size=(n_classes, n)), rng.integers(0, n_classes, size=n)
    Y = np.eye(n_classes)[:, labels]
    entry = sp.lambdify(
        (z, C, i, k),
        expand_yhat(_jacobian_entry()).doit(),
        modules=[{"KroneckerDelta": lambda a, b: float(a == b)}, "numpy"],
    )
    probs = sp.lambdify((z, C, i), softmax_z(i))
    grad = np.array(
        [
            sum(entry(Z, n_classes, r, col) * -Y[r] / probs(Z, n_classes, r) for r in range(n_classes))
            for col in range(n_classes)
        ]
    )
    _, cache = softmax_ce_forward(Z, labels)
    return grad, n * softmax_ce_backward(1.0, cache)


def _general():
    """∂CE/∂z_k for any y: ŷ_k Σ_i y_i − y_k."""
    return add(mul(yhat[k], SY), -y[k])


def _prove_ce():
    log_softmax = z[i] - sp.log(S)
    assert_zero(sp.expand_log(sp.log(softmax_z(i)), force=True) - log_softmax, "log ŷ_i = z_i − log Σ e^{z_j}")
    ce = -sp.Sum(y[i] * log_softmax, (i, 0, C - 1))
    raw = settle(sp.diff(ce, z[k]), {k: C})  # the chain rule, by SymPy
    general = _general().doit()
    assert_zero(raw - expand_yhat(general), "∂CE/∂z_k vs ŷ_k Σy − y_k, symbolic C")
    result = general.subs(SY, 1)  # the precondition, used
    if result != ce_result().rhs.doit():
        raise AssertionError(f"substituting Σy = 1 gave {result}, not ŷ_k − y_k")
    if sp.simplify(general - result - yhat[k] * (SY - 1)) != 0:
        raise AssertionError("without Σy = 1 the gradient should differ by ŷ_k(Σy − 1)")
    for n_classes in range(2, 7):
        zs, yh, to_E = _explicit(n_classes)
        ys = sp.symbols(f"y0:{n_classes}")
        ce_explicit = -sum(t * sp.log(p) for t, p in zip(ys, yh, strict=True))
        on_simplex = {ys[-1]: 1 - sum(ys[:-1])}  # Σy = 1
        for kk in range(n_classes):
            g = sp.diff(ce_explicit, zs[kk])
            _rational_zero(g - (yh[kk] * sum(ys) - ys[kk]), to_E, f"C={n_classes}, k={kk}: general ŷ_k Σy − y_k")
            _rational_zero(
                (g - (yh[kk] - ys[kk])).subs(on_simplex), to_E, f"C={n_classes}, k={kk}: ŷ_k − y_k given Σy = 1"
            )


def _numeric_ce(rng):
    n_classes, n = 6, 9
    Z, labels = rng.normal(size=(n_classes, n)), rng.integers(0, n_classes, size=n)
    Y = np.eye(n_classes)[:, labels]
    f = sp.lambdify((z, y, C, k), expand_yhat(ce_result().rhs))
    _, cache = softmax_ce_forward(Z, labels)
    return np.array([f(Z, Y, n_classes, kk) for kk in range(n_classes)]), n * softmax_ce_backward(1.0, cache)


def ce_result():
    return eq(dCE_dz, add(yhat[k], -y[k]))


def derivations() -> list[Derivation]:
    softmax_def = eq(yhat[i], sp.exp(z[i]) / S)
    quotient = eq(dyhat_dz, add(sp.exp(z[i]) * KD(i, k) / S, -sp.exp(z[i]) * sp.exp(z[k]) / S**2))
    ce_def = eq(CE, -sp.Sum(mul(y[i], sp.log(yhat[i])), (i, 0, C - 1)))
    log_def = eq(sp.log(yhat[i]), add(z[i], -sp.log(S)))
    chain = eq(dCE_dz, -sp.Sum(mul(y[i], add(KD(i, k), -yhat[k])), (i, 0, C - 1)))
    jac = Derivation(
        **heading("softmax-jacobian"),
        steps=(
            Step(softmax_def, r"Softmax turns the $C$ logits $z$ into probabilities $\hat{y}$."),
            Step(
                quotient,
                r"Quotient rule: $e^{z_i}$ depends on $z_k$ only when $i = k$ ($[i = k]$ is 1 then, else 0), "
                r"the sum always, through $e^{z_k}$.",
            ),
            Step(eq(dyhat_dz, _jacobian_entry()), "Each fraction is a softmax output again."),
        ),
        result=jacobian_result(),
        snippets=(),  # no code forms the Jacobian: D2 uses it, and fcnet's code implements D2
        proof=_prove_jacobian,
        numeric=_numeric_jacobian,
    )
    ce = Derivation(
        **heading("softmax-ce-grad"),
        steps=(
            Step(ce_def, r"Cross-entropy of the target distribution $y$ against the softmax output $\hat{y}$."),
            Step(log_def, "The log of the softmax splits into the logit minus the log of the sum."),
            Step(jacobian_result(), r"The softmax Jacobian (D1): entry $(i, k)$ is $\hat{y}_i([i = k] - \hat{y}_k)$."),
            Step(
                eq(dlogyhat_dz, add(KD(i, k), -yhat[k])),
                r"Differentiating, the sum contributes $e^{z_k} / \sum_j e^{z_j} = \hat{y}_k$ (the Jacobian D1 "
                r"divided by $\hat{y}_i$).",
            ),
            Step(chain, "Chain rule through the sum over classes."),
            Step(
                eq(dCE_dz, _general()),
                r"The bracket $[i = k]$ picks out $y_k$; this holds for any $y$, and is the answer without the "
                r"precondition.",
            ),
            Step(eq(SY, 1), r"The precondition: $y$ is a probability vector (a one-hot label is one)."),
        ),
        result=ce_result(),
        precondition=r"the target $y$ sums to one, $\sum_i y_i = 1$ (true for a one-hot label); "
        r"for any other $y$ the gradient is $\hat{y}_k \sum_i y_i - y_k$",
        snippets=("fcnet/core/losses.py:softmax-ce-backward",),
        proof=_prove_ce,
        numeric=_numeric_ce,
    )
    return [jac, ce]
