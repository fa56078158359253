r"""Batch mean and L2 regularisation (D6): the matrix forms the NumPy code uses.

J = (1/N) Σₙ CE⁽ⁿ⁾ + ½λ(‖W⁽¹⁾‖_F² + ‖W⁽²⁾‖_F²) over a batch X of N columns gives

    ∂J/∂W⁽²⁾ = (1/N) Δ⁽²⁾A⁽¹⁾ᵀ + λW⁽²⁾,   ∂J/∂b⁽²⁾ = (1/N) Δ⁽²⁾1,
    ∂J/∂W⁽¹⁾ = (1/N) Δ⁽¹⁾Xᵀ + λW⁽¹⁾,     ∂J/∂b⁽¹⁾ = (1/N) Δ⁽¹⁾1,

with Δ⁽²⁾ = Ŷ − Y and Δ⁽¹⁾ = (W⁽²⁾ᵀΔ⁽²⁾) ⊙ A⁽¹⁾ ⊙ (1 − A⁽¹⁾).  Proved in index notation
for symbolic N, D_in, H, C by differentiating through the whole batch.

>>> from fcnet.derivations.base import tex
>>> print(tex(result()[0]))
\frac{\partial J}{\partial W^{(2)}} = \frac{1}{N} \Delta^{(2)} A^{(1)\top} + \lambda W^{(2)}
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..core.layers import affine_forward, sigmoid_forward
from ..core.losses import softmax
from ..core.net import loss_and_grads
from .base import Derivation, Step, add, eq, matadd, mul, named
from .notation import C, D_in, H, N, c, d, dsigma, h, n, p, q, sigma
from .parts import heading
from .proofs import assert_zero, numpy_function, settle, sigma_prime, to_indexed

__all__ = ["derivations", "result", "delta1_matrix"]

lam = named("λ", r"\lambda", nonnegative=True)
J = named("J", "J")
CEn = named("CE(n)", r"\mathrm{CE}^{(n)}")
norm1 = named("‖W1‖²", r"\lVert W^{(1)} \rVert_F^{2}")
norm2 = named("‖W2‖²", r"\lVert W^{(2)} \rVert_F^{2}")
# index calculus: one IndexedBase per matrix, entries M[row, column]
Xi, W1i, b1i, W2i, b2i = (
    sp.IndexedBase(named(s, t))
    for s, t in (("X", "X"), ("W1", "W^{(1)}"), ("b1", "b^{(1)}"), ("W2", "W^{(2)}"), ("b2", "b^{(2)}"))
)
D2i, D1i, A1i, Z2i = (
    sp.IndexedBase(named(s, t))
    for s, t in (("Δ2", r"\Delta^{(2)}"), ("Δ1", r"\Delta^{(1)}"), ("A1", "A^{(1)}"), ("Z2", "Z^{(2)}"))
)
# matrix forms
X = named("X", "X", shape=(D_in, N))
W1 = named("W1", "W^{(1)}", shape=(H, D_in))
W2 = named("W2", "W^{(2)}", shape=(C, H))
A1 = named("A1", "A^{(1)}", shape=(H, N))
Yhat = named("Ŷ", r"\hat{Y}", shape=(C, N))
Y = named("Y", "Y", shape=(C, N))
Delta2 = named("Δ2", r"\Delta^{(2)}", shape=(C, N))
Delta1 = named("Δ1", r"\Delta^{(1)}", shape=(H, N))
ones = sp.OneMatrix(N, 1)
grads = {
    k: named(f"∂J/∂{k}", rf"\frac{{\partial J}}{{\partial {t}}}", shape=s)
    for k, t, s in (
        ("W2", "W^{(2)}", (C, H)),
        ("b2", "b^{(2)}", (C, 1)),
        ("W1", "W^{(1)}", (H, D_in)),
        ("b1", "b^{(1)}", (H, 1)),
    )
}


def Z1(row, col):
    """Z1_row,col = Σ_d W1_row,d X_d,col + b1_row."""
    return sp.Sum(W1i[row, d] * Xi[d, col], (d, 0, D_in - 1)) + b1i[row]


def Z2(row, col):
    """Z2_row,col = Σ_h W2_row,h σ(Z1_h,col) + b2_row."""
    return sp.Sum(W2i[row, h] * sigma(Z1(h, col)), (h, 0, H - 1)) + b2i[row]


def delta1_index(row, col):
    """Δ1_row,col = (Σ_c W2_c,row Δ2_c,col) σ(Z1)(1 − σ(Z1)), D5 for example col."""
    return sp.Sum(W2i[c, row] * D2i[c, col], (c, 0, C - 1)) * dsigma(Z1(row, col))


def delta1_matrix():
    return sp.HadamardProduct(W2.T * Delta2, A1, matadd(sp.OneMatrix(H, N), -A1))


def _penalty():
    sq = lambda M, rows, cols: sp.Sum(sp.Sum(M[h, d] ** 2, (d, 0, cols - 1)), (h, 0, rows - 1))  # noqa: E731
    return lam / 2 * (sq(W1i, H, D_in) + sq(W2i, C, H))


def result():
    inv_n = 1 / N
    return sp.Tuple(
        eq(grads["W2"], matadd(inv_n * Delta2 * A1.T, lam * W2)),
        eq(grads["b2"], inv_n * Delta2 * ones),
        eq(grads["W1"], matadd(inv_n * Delta1 * X.T, lam * W1)),
        eq(grads["b1"], inv_n * Delta1 * ones),
    )


def _prove():
    # chain rule over the batch: ∂J/∂θ = (1/N) Σ_n Σ_c Δ2_cn ∂Z2_cn/∂θ + ∂(penalty)/∂θ, Δ2 = ∂CE⁽ⁿ⁾/∂Z2 (D2) held fixed
    surrogate = sp.Sum(sp.Sum(D2i[c, n] * Z2(c, n), (c, 0, C - 1)), (n, 0, N - 1)) / N + _penalty()
    ranges = {p: H, q: D_in}
    expected = {
        W2i[p, q]: sp.Sum(D2i[p, n] * sigma(Z1(q, n)), (n, 0, N - 1)) / N + lam * W2i[p, q],
        b2i[p]: sp.Sum(D2i[p, n], (n, 0, N - 1)) / N,
        W1i[p, q]: sp.Sum(delta1_index(p, n) * Xi[q, n], (n, 0, N - 1)) / N + lam * W1i[p, q],
        b1i[p]: sp.Sum(delta1_index(p, n), (n, 0, N - 1)) / N,
    }
    bases = {
        X: Xi,
        W1: W1i,
        W2: W2i,
        Delta2: D2i,
        A1: lambda r, s: sigma(Z1(r, s)),
        Delta1: lambda r, s: delta1_index(r, s),
    }
    for (variable, want), matrix, (r, s) in zip(
        expected.items(), result(), ((p, q), (p, 0), (p, q), (p, 0)), strict=True
    ):
        rng = {p: C, q: H} if variable.base in (W2i, b2i) else ranges
        got = settle(sigma_prime(sp.diff(surrogate, variable), sigma, dsigma), rng)
        assert_zero(got - want, f"∂J/∂{variable} through the whole batch vs the index form")
        assert_zero(to_indexed(matrix.rhs[r, s], bases) - want, f"entry ({r}, {s}) of {matrix.rhs} vs the index form")
    entry = to_indexed(delta1_matrix()[p, n], bases)
    assert_zero(entry - delta1_index(p, n), "Δ1 = (W2ᵀΔ2) ⊙ A1 ⊙ (1 − A1), entry (p, n)")


def _numeric(rng):
    """The matrix forms on a random batch vs `fcnet.loss_and_grads`."""
    n_d, n_h, n_c, n = 3, 4, 5, 6
    params = {
        "W1": rng.normal(size=(n_h, n_d)),
        "b1": rng.normal(size=n_h),
        "W2": rng.normal(size=(n_c, n_h)),
        "b2": rng.normal(size=n_c),
    }
    Xv, labels, reg = rng.normal(size=(n_d, n)), rng.integers(0, n_c, size=n), 0.3
    A1v, _ = sigmoid_forward(affine_forward(params["W1"], Xv, params["b1"])[0])
    D2v = softmax(affine_forward(params["W2"], A1v, params["b2"])[0]) - np.eye(n_c)[:, labels]
    sizes = {N: n, D_in: n_d, H: n_h, C: n_c}
    args = [m.subs(sizes) for m in (Delta2, A1, X, W1, W2)] + [lam]
    values = (D2v, A1v, Xv, params["W1"], params["W2"], reg)
    ours = []
    for e in result():
        f = numpy_function(args, e.rhs.xreplace({Delta1: delta1_matrix()}).subs(sizes))
        ours.append(np.ravel(f(*values)))
    _, code = loss_and_grads(params, Xv, labels, reg)
    return np.concatenate(ours), np.concatenate([np.ravel(code[k]) for k in ("W2", "b2", "W1", "b1")])


def derivations() -> list[Derivation]:
    return [
        Derivation(
            **heading("batch-mean-l2"),
            steps=(
                Step(
                    eq(
                        J,
                        add(
                            mul(sp.UnevaluatedExpr(1 / N), sp.Sum(CEn, (n, 0, N - 1))),
                            mul(sp.UnevaluatedExpr(lam / 2), add(norm1, norm2)),
                        ),
                    ),
                    r"The loss: the mean cross-entropy over the $N$ columns of $X$, "
                    "plus the L2 penalty on the weights (biases unregularised).",
                ),
                Step(
                    eq(norm2, sp.Sum(sp.Sum(W2i[c, h] ** 2, (h, 0, H - 1)), (c, 0, C - 1))),
                    r"The squared Frobenius norm: every entry squared, summed (likewise for $W^{(1)}$).",
                ),
                Step(
                    eq(Delta2, matadd(Yhat, -Y)),
                    r"Column $n$ of $\Delta^{(2)}$ is $\hat{y}^{(n)} - y^{(n)}$, the gradient of $\mathrm{CE}^{(n)}$ "
                    r"with respect "
                    r"to column $n$ of $Z^{(2)}$ (D2), $Y$ the one-hot labels; only $\mathrm{CE}^{(n)}$ depends on "
                    r"that column.",
                ),
                Step(
                    eq(Delta1, delta1_matrix()),
                    r"Column by column, the chain through the hidden layer (D5), $A^{(1)} = \sigma(Z^{(1)})$.",
                ),
                Step(
                    eq(
                        named(
                            "∂R/∂W2_pq",
                            r"\frac{\partial}{\partial W^{(2)}_{pq}} \frac{\lambda}{2} \lVert W^{(2)} \rVert_F^{2}",
                        ),
                        lam * W2i[p, q],
                    ),
                    r"Only the entry $W^{(2)}_{pq}$ of the sum depends on $W^{(2)}_{pq}$, and the $\frac{1}{2}$ "
                    r"cancels the 2 of the square.",
                ),
                Step(
                    eq(
                        named("∂J/∂W2_pq", r"\frac{\partial J}{\partial W^{(2)}_{pq}}"),
                        add(
                            mul(sp.UnevaluatedExpr(1 / N), sp.Sum(mul(D2i[p, n], A1i[q, n]), (n, 0, N - 1))),
                            lam * W2i[p, q],
                        ),
                    ),
                    r"Each example adds its own $\delta a^{\top}$ (D4) and the mean divides by $N$.",
                ),
                Step(
                    eq(
                        named("∂J/∂b2_p", r"\frac{\partial J}{\partial b^{(2)}_{p}}"),
                        mul(sp.UnevaluatedExpr(1 / N), sp.Sum(D2i[p, n], (n, 0, N - 1))),
                    ),
                    r"$b^{(2)}$ reaches every column, so its gradient sums them: a product with a vector of ones "
                    r"$\mathbf{1}$.",
                ),
            ),
            result=result(),
            precondition=r"every label is one-hot (D2's $\sum_i y_i = 1$, column by column)",
            snippets=(
                "fcnet/core/losses.py:softmax-ce-backward",
                "fcnet/core/layers.py:affine-dW",
                "fcnet/core/layers.py:affine-db",
                "fcnet/core/losses.py:l2-backward",
                "fcnet/core/net.py:net-backward",
            ),
            proof=_prove,
            numeric=_numeric,
        )
    ]
