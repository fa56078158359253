"""The linear (affine) layer z = W a + b (D4): ∂CE/∂W = δ aᵀ, ∂CE/∂b = δ, ∂CE/∂a = Wᵀδ.

Index notation with symbolic sizes, written with the first layer's (W is H × D_in,
a has D_in entries), and δ = ∂CE/∂z is whatever the layers above send down.
Nothing depends on the sizes: for the second layer read (C, H) for (H, D_in).

>>> derivations()[0].verify()
True
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..core.layers import affine_backward
from .base import Derivation, Step, add, eq, mul, named
from .notation import D_in, H, W, a, b, d, delta, h, p, q
from .parts import heading
from .proofs import assert_zero, numpy_function, settle, to_indexed

__all__ = ["derivations", "chain"]

KD = sp.KroneckerDelta
Wm = named("W", "W", shape=(H, D_in))
am = named("a", "a", shape=(D_in, 1))
deltam = named("δ", r"\delta", shape=(H, 1))
dL_dW = named("∂CE/∂W", r"\frac{\partial \mathrm{CE}}{\partial W}", shape=(H, D_in))
dL_db = named("∂CE/∂b", r"\frac{\partial \mathrm{CE}}{\partial b}", shape=(H, 1))
dL_da = named("∂CE/∂a", r"\frac{\partial \mathrm{CE}}{\partial a}", shape=(D_in, 1))
dL_dWpq = named("∂CE/∂W_pq", r"\frac{\partial \mathrm{CE}}{\partial W_{pq}}")
dL_dbp = named("∂CE/∂b_p", r"\frac{\partial \mathrm{CE}}{\partial b_{p}}")
dL_daq = named("∂CE/∂a_q", r"\frac{\partial \mathrm{CE}}{\partial a_{q}}")
dzh_dWpq = named("∂z_h/∂W_pq", r"\frac{\partial z_{h}}{\partial W_{pq}}")

#: z_h = Σ_d W_hd a_d + b_h (h a row of W, d a column: as for the first layer, a hidden unit and an input)
z_h = add(sp.Sum(W[h, d] * a[d], (d, 0, D_in - 1)), b[h])


def chain(variable):
    """∂CE/∂variable by the chain rule: Σ_h δ_h ∂z_h/∂variable, δ = ∂CE/∂z held fixed."""
    return sp.diff(sp.Sum(delta[h] * z_h, (h, 0, H - 1)), variable)


def index_results():
    return (
        eq(dL_dWpq, mul(delta[p], a[q])),
        eq(dL_dbp, delta[p]),
        eq(dL_daq, sp.Sum(mul(W[h, q], delta[h]), (h, 0, H - 1))),
    )


def result():
    return sp.Tuple(eq(dL_dW, deltam * am.T), eq(dL_db, deltam), eq(dL_da, Wm.T * deltam))


def _prove():
    ranges = {p: H, q: D_in}
    assert_zero(settle(sp.diff(z_h, W[p, q]), ranges) - KD(h, p) * a[q], "∂z_h/∂W_pq = [h = p] a_q")
    bases = {Wm: W, am: a, deltam: delta}
    for variable, by_index, (r, s), matrix in zip(
        (W[p, q], b[p], a[q]), index_results(), ((p, q), (p, 0), (q, 0)), result(), strict=True
    ):
        assert_zero(
            settle(chain(variable), ranges) - by_index.rhs.doit(), f"chain rule for {variable} vs the index form"
        )
        entry = to_indexed(matrix.rhs[r, s], bases)
        assert_zero(entry - by_index.rhs.doit(), f"entry ({r}, {s}) of {matrix.rhs} vs the index form")


def _numeric(rng):
    """Per-example results summed over a batch, vs `affine_backward` (which sums by the matrix product)."""
    n_h, n_d, n = 4, 3, 5
    Wv, A, dout = rng.normal(size=(n_h, n_d)), rng.normal(size=(n_d, n)), rng.normal(size=(n_h, n))
    subs = {H: n_h, D_in: n_d}
    fs = [numpy_function((Wm.subs(subs), am.subs(subs), deltam.subs(subs)), e.rhs.subs(subs)) for e in result()]
    cols = [(A[:, [m]], dout[:, [m]]) for m in range(n)]
    dW = sum(fs[0](Wv, x, g) for x, g in cols)
    db = sum(fs[1](Wv, x, g) for x, g in cols)[:, 0]
    da = np.hstack([fs[2](Wv, x, g) for x, g in cols])
    ours = np.concatenate([dW.ravel(), db, da.ravel()])
    return ours, np.concatenate([np.ravel(g) for g in affine_backward(dout, (Wv, A))])


def derivations() -> list[Derivation]:
    return [
        Derivation(
            **heading("linear-grad"),
            steps=(
                Step(
                    eq(named("z_h", "z_{h}"), z_h),
                    r"One example through one layer, $z = Wa + b$, written with the first layer's sizes: "
                    r"$W$ is $H \times D_{\mathrm{in}}$, $a$ has $D_{\mathrm{in}}$ entries, $z$ and $b$ have $H$. "
                    r"Nothing below depends on the sizes: for $W^{(2)}$, which is $C \times H$, read $C$ for $H$ "
                    r"and $H$ for $D_{\mathrm{in}}$.",
                ),
                Step(
                    eq(dL_dWpq, sp.Sum(mul(delta[h], dzh_dWpq), (h, 0, H - 1))),
                    r"Chain rule: $\mathrm{CE}$ depends on $W$ only through $z$; "
                    r"$\delta_h = \partial \mathrm{CE}/\partial z_h$ is the gradient sent down from above.",
                ),
                Step(
                    eq(dzh_dWpq, mul(KD(h, p), a[q])),
                    r"Only row $h = p$ of $W$ enters $z_h$, and in it only the term $d = q$, with coefficient $a_q$.",
                ),
                *(
                    Step(e, s)
                    for e, s in zip(
                        index_results(),
                        (
                            r"The bracket picks out $h = p$.",
                            r"$b_p$ enters $z_p$ alone, with coefficient 1.",
                            r"$a_q$ enters every $z_h$, through $W_{hq}$.",
                        ),
                        strict=True,
                    )
                ),
            ),
            result=result(),
            snippets=(
                "fcnet/core/layers.py:affine-dW",
                "fcnet/core/layers.py:affine-db",
                "fcnet/core/layers.py:affine-da",
            ),
            proof=_prove,
            numeric=_numeric,
        )
    ]
