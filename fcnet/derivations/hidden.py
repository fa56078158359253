r"""The chain through the hidden layer (D5), the part the notes truncate.

δ⁽¹⁾ = (W⁽²⁾ᵀδ⁽²⁾) ⊙ σ(z⁽¹⁾) ⊙ (1 − σ(z⁽¹⁾)), ∂CE/∂W⁽¹⁾ = δ⁽¹⁾xᵀ, ∂CE/∂b⁽¹⁾ = δ⁽¹⁾, for one
example with symbolic sizes H, C, D_in and any δ⁽²⁾ = ∂CE/∂z⁽²⁾ (ŷ − y for
cross-entropy, D2).  SymPy differentiates through the whole composition;
σ' enters only through the sigmoid's derivative (D3).

>>> from fcnet.derivations.base import tex
>>> print(tex(result()[0]).replace(r" \odot ", "\n    \\odot "))
\delta^{(1)} = \left(W^{(2)\top} \delta^{(2)}\right)
    \odot \sigma\left(z^{(1)}\right)
    \odot \left(\mathbf{1} - \sigma\left(z^{(1)}\right)\right)
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..core.layers import affine_backward, sigmoid_backward, sigmoid_forward
from .base import Derivation, Step, add, eq, matadd, mul, named
from .notation import W1, W2, C, D_in, H, a1, b1, b2, c, d, delta1, delta2, dsigma, h, p, q, sigma, sigma_d, x, z1, z2
from .parts import heading
from .proofs import assert_zero, numpy_function, settle, sigma_prime, to_indexed

__all__ = ["derivations"]

W2m = named("W2", "W^{(2)}", shape=(C, H))
xm = named("x", "x", shape=(D_in, 1))
delta2m = named("δ2", r"\delta^{(2)}", shape=(C, 1))
delta1m = named("δ1", r"\delta^{(1)}", shape=(H, 1))
s1m = named("σ(z1)", r"\sigma\left(z^{(1)}\right)", shape=(H, 1))
dL_dW1 = named("∂CE/∂W1", r"\frac{\partial \mathrm{CE}}{\partial W^{(1)}}", shape=(H, D_in))
dL_db1 = named("∂CE/∂b1", r"\frac{\partial \mathrm{CE}}{\partial b^{(1)}}", shape=(H, 1))
dL_da1h = named("∂CE/∂a1_h", r"\frac{\partial \mathrm{CE}}{\partial a^{(1)}_{h}}")
dL_dW1hd = named("∂CE/∂W1_hd", r"\frac{\partial \mathrm{CE}}{\partial W^{(1)}_{hd}}")
dL_db1h = named("∂CE/∂b1_h", r"\frac{\partial \mathrm{CE}}{\partial b^{(1)}_{h}}")


def Z1(row):
    """z1_row = Σ_d W1_row,d x_d + b1_row."""
    return add(sp.Sum(W1[row, d] * x[d], (d, 0, D_in - 1)), b1[row])


def backprop(row):
    """Σ_c W2_c,row δ2_c: the gradient reaching a1_row (D4 for the second layer)."""
    return sp.Sum(mul(W2[c, row], delta2[c]), (c, 0, C - 1))


def delta1_index(row, z=None):
    z = z1[row] if z is None else z
    return mul(backprop(row), sigma(z), add(1, -sigma(z)))


def result():
    hadamard = sp.HadamardProduct(W2m.T * delta2m, s1m, matadd(sp.OneMatrix(H, 1), -s1m))
    return sp.Tuple(eq(delta1m, hadamard), eq(dL_dW1, delta1m * xm.T), eq(dL_db1, delta1m))


def _prove():
    # CE depends on the first layer only through z2 = W2 σ(z1) + b2: chain rule with δ2 = ∂CE/∂z2 held fixed
    def loss_through(z1_of):
        z2_c = sp.Sum(W2[c, h] * sigma(z1_of(h)), (h, 0, H - 1)) + b2[c]
        return sp.Sum(delta2[c] * z2_c, (c, 0, C - 1))

    ranges = {p: H, q: D_in}
    expand = loss_through(lambda row: Z1(row).doit())
    d1 = delta1_index(p, Z1(p).doit()).doit()
    by_z1 = settle(sigma_prime(sp.diff(loss_through(lambda row: z1[row]), z1[p]), sigma, dsigma), ranges)
    assert_zero(by_z1 - delta1_index(p).doit(), "δ1_p = ∂L/∂z1_p vs (Σ_c W2_cp δ2_c) σ(z1_p)(1 − σ(z1_p))")
    dW1 = settle(sigma_prime(sp.diff(expand, W1[p, q]), sigma, dsigma), ranges)
    assert_zero(dW1 - d1 * x[q], "∂L/∂W1_pq through the whole chain vs δ1_p x_q")
    db1 = settle(sigma_prime(sp.diff(expand, b1[p]), sigma, dsigma), ranges)
    assert_zero(db1 - d1, "∂L/∂b1_p through the whole chain vs δ1_p")
    bases = {W2m: W2, delta2m: delta2, xm: x, delta1m: delta1, s1m: lambda r, s: sigma(z1[r])}
    expected = (delta1_index(p).doit(), delta1[p] * x[q], delta1[p])
    for (r, s), matrix, want in zip(((p, 0), (p, q), (p, 0)), result(), expected, strict=True):
        assert_zero(to_indexed(matrix.rhs[r, s], bases) - want, f"entry ({r}, {s}) of {matrix.rhs} vs the index form")


def _numeric(rng):
    """Per-example results over a batch vs `sigmoid_backward` and `affine_backward`, and vs `fcnet.loss_and_grads`.

    The net computes W2ᵀδ2 a block of rows at a time (`fcnet.engine.rows`); its dW1 and db1 (λ = 0, H = 7 and
    a batch of 32,767, so that the blocks are 2 rows and the last one short) are compared with SymPy's δ1 on
    every example, summed, with δ2 = (1/N)(Ŷ − Y) from the net's own forward pass.
    """
    n_h, n_c, n_d, n = 4, 5, 3, 6
    W1v, b1v, W2v = rng.normal(size=(n_h, n_d)), rng.normal(size=n_h), rng.normal(size=(n_c, n_h))
    X, dz2 = rng.normal(size=(n_d, n)), rng.normal(size=(n_c, n))
    s1, cache = sigmoid_forward(W1v @ X + b1v[:, None])
    sizes = {H: n_h, C: n_c, D_in: n_d}
    args = tuple(m.subs(sizes) for m in (W2m, delta2m, s1m, xm, delta1m))
    d1_of, dW1_of, db1_of = (numpy_function(args, e.rhs.subs(sizes)) for e in result())
    d1 = np.hstack([d1_of(W2v, dz2[:, [m]], s1[:, [m]], X[:, [m]], None) for m in range(n)])
    dW1 = sum(dW1_of(W2v, dz2[:, [m]], s1[:, [m]], X[:, [m]], d1[:, [m]]) for m in range(n))
    db1 = sum(db1_of(W2v, dz2[:, [m]], s1[:, [m]], X[:, [m]], d1[:, [m]]) for m in range(n))[:, 0]
    _, _, da1 = affine_backward(dz2, (W2v, s1))
    dz1 = sigmoid_backward(da1, cache)
    code_dW1, code_db1, _ = affine_backward(dz1, (W1v, X), need_da=False)
    net_sym, net_code = _net_blocked(rng, n_d, n_c)
    return (
        np.concatenate([d1.ravel(), dW1.ravel(), db1, net_sym]),
        np.concatenate([dz1.ravel(), code_dW1.ravel(), code_db1, net_code]),
    )


def _net_blocked(rng, n_d, n_c):
    """(SymPy's dW1 and db1 summed over the examples, the net's), at a shape where δ1 takes several blocks."""
    from ..core.net import forward, loss_and_grads
    from ..engine.rows import block_rows

    n_h, n = 7, 2**16 // 2 - 1  # block_rows(7, 32767) = 2: blocks of 2, 2, 2 and 1 rows
    assert 1 < block_rows(n_h, n) < n_h
    params = {"W1": rng.normal(size=(n_h, n_d)), "b1": rng.normal(size=n_h)}
    params |= {"W2": rng.normal(size=(n_c, n_h)), "b2": rng.normal(size=n_c)}
    X, y = rng.normal(size=(n_d, n)), rng.integers(0, n_c, n)
    _, grads = loss_and_grads(params, X, y, 0.0)
    dz2 = forward(params, X)
    dz2[y, np.arange(n)] -= 1.0
    dz2 /= n
    s1 = sigmoid_forward(params["W1"] @ X + params["b1"][:, None])[0]
    sizes = {H: n_h, C: n_c, D_in: n_d}
    args = tuple(m.subs(sizes) for m in (W2m, delta2m, s1m, xm, delta1m))
    d1_of = numpy_function(args, result()[0].rhs.subs(sizes))
    W2v = params["W2"]
    d1 = d1_of(W2v, dz2, s1, X, None)  # the per-example formula on every column at once (it is linear in them)
    dW1 = d1 @ X.T  # Σₘ δ1⁽ᵐ⁾ x⁽ᵐ⁾ᵀ
    db1 = d1.sum(axis=1)
    return np.concatenate([dW1.ravel(), db1]), np.concatenate([grads["W1"].ravel(), grads["b1"]])


def derivations() -> list[Derivation]:
    dz1 = named("δ1_h", r"\delta^{(1)}_{h}")
    return [
        Derivation(
            **heading("hidden-layer-grad"),
            steps=(
                Step(eq(z1[h], Z1(h)), r"The first layer, for one example $x$ with $D_{\mathrm{in}}$ entries."),
                Step(eq(a1[h], sigma(z1[h])), "The sigmoid acts on each hidden unit separately."),
                Step(
                    eq(z2[c], add(sp.Sum(mul(W2[c, h], a1[h]), (h, 0, H - 1)), b2[c])),
                    r"The second layer reads the $H$ hidden activations.",
                ),
                Step(
                    eq(dL_da1h, backprop(h)),
                    r"The linear layer's $\partial \mathrm{CE}/\partial a = W^{\top} \delta$ (D4) with "
                    r"$W = W^{(2)}$ and $\delta^{(2)} = \partial \mathrm{CE}/\partial z^{(2)}$ ($\hat{y} - y$ for "
                    r"cross-entropy, D2).",
                ),
                Step(
                    eq(dz1, mul(dL_da1h, sigma_d(z1[h]))),
                    r"$a^{(1)}_h$ depends on $z^{(1)}_h$ alone, so the chain rule has one term: "
                    r"this is $\delta^{(1)}_h = \partial \mathrm{CE}/\partial z^{(1)}_h$.",
                ),
                Step(eq(dz1, delta1_index(h)), r"The sigmoid's derivative $\sigma' = \sigma(1 - \sigma)$ (D3)."),
                Step(
                    eq(dL_dW1hd, mul(delta1[h], x[d])),
                    r"The linear layer's $\partial \mathrm{CE}/\partial W = \delta a^{\top}$ (D4) with $a = x$ and "
                    r"$\delta = \delta^{(1)}$.",
                ),
                Step(
                    eq(dL_db1h, delta1[h]),
                    r"And its $\partial \mathrm{CE}/\partial b = \delta$: the step the notes leave unfinished.",
                ),
            ),
            result=result(),
            snippets=(
                "fcnet/core/layers.py:affine-da",
                "fcnet/core/layers.py:sigmoid-backward",
                "fcnet/core/layers.py:affine-dW",
                "fcnet/core/layers.py:affine-db",
                "fcnet/core/net.py:net-backward",
            ),
            proof=_prove,
            numeric=_numeric,
        )
    ]
