"""The worked examples evaluated exactly: the fourth witness.

Inputs become exact rationals (every float64 is one), exponentials stay
symbolic, and the gradients are the derived matrix forms (D6) with the
example's matrices substituted once; nothing is rounded until the final
evaluation to `DIGITS` significant digits, by interval arithmetic (mpmath's
``iv``, ~200 bits), so every printed digit is certified.

>>> from fcnet import seed_example
>>> loss, grads = exact_loss_and_grads(*seed_example())
>>> str(sp.N(loss, 20))
'35.609437912434100375'
>>> grads["b1"].is_zero_matrix   # every row of W2 is equal: no signal reaches layer 1
True
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from mpmath import iv

from ..core.params import KEYS
from ..derivations import batch
from ..derivations.notation import C, D_in, H, N

__all__ = ["DIGITS", "evaluate", "exact_loss_and_grads", "exact_decimals", "sympy_witness"]

#: significant digits of the decimal strings
DIGITS = 40


def _rational(a) -> sp.ImmutableMatrix:
    a = np.atleast_2d(np.asarray(a, dtype=np.float64))
    return sp.ImmutableMatrix(a.shape[0], a.shape[1], [sp.Rational(float(v)) for v in a.ravel()])


def _times(a, b):
    # a product of two big expressions is left unevaluated (SymPy's Mul.flatten would spend
    # seconds looking for exponentials to merge); a product with a rational is evaluated, so
    # exact zeros (the seed example's W2ᵀ(Ŷ − Y)) stay exactly zero
    return a * b if a.is_Rational or b.is_Rational else sp.Mul(a, b, evaluate=False)


def _matmul(A: sp.Matrix, B: sp.Matrix) -> sp.Matrix:
    return sp.Matrix(A.rows, B.cols, lambda r, c: sp.Add(*(_times(A[r, m], B[m, c]) for m in range(A.cols))))


def evaluate(expr, values: dict):
    """A matrix expression with explicit matrices for its symbols, by plain matrix arithmetic.

    SymPy's own ``as_explicit`` goes through symbolic `Sum` objects and
    partial fractions (minutes on these examples); this walks the tree once.
    """
    if isinstance(expr, sp.MatrixSymbol):
        return sp.Matrix(values[expr])
    if isinstance(expr, sp.OneMatrix):
        return sp.ones(*expr.shape)
    if isinstance(expr, sp.Transpose):
        return evaluate(expr.arg, values).T
    if isinstance(expr, sp.MatAdd):
        parts = [evaluate(a, values) for a in expr.args]
        return sum(parts[1:], parts[0])
    if isinstance(expr, sp.MatMul):
        scalar, matrices = expr.as_coeff_matrices()
        out = evaluate(matrices[0], values)
        for m in matrices[1:]:
            out = _matmul(out, evaluate(m, values))
        return (scalar.xreplace(values) if scalar.free_symbols else scalar) * out
    if isinstance(expr, sp.HadamardProduct):
        parts = [evaluate(a, values) for a in expr.args]
        out = parts[0]
        for m in parts[1:]:
            out = sp.Matrix(out.rows, out.cols, lambda r, c, m=m, out=out: _times(out[r, c], m[r, c]))
        return out
    raise TypeError(f"expr is a {type(expr).__name__}; expected a matrix expression of fcnet's derivations")


def exact_loss_and_grads(params, X, y, reg):
    """J and its gradients as exact SymPy expressions.

    Parameters
    ----------
    params : dict of ndarray
        ``"W1"`` (H, D_in), ``"b1"`` (H,), ``"W2"`` (C, H), ``"b2"`` (C,).
    X : ndarray, shape (D_in, N)
    y : ndarray of int, shape (N,)
    reg : float

    Returns
    -------
    loss : sympy expression
    grads : dict of sympy Matrix
        Same keys and shapes as ``params`` (biases as columns, (H, 1) and (C, 1)).
    """
    W1, W2, Xr = _rational(params["W1"]), _rational(params["W2"]), _rational(X)
    b1, b2 = _rational(params["b1"]).T, _rational(params["b2"]).T
    lam, n = sp.Rational(float(reg)), Xr.shape[1]
    # forward: Z1 = W1 X + b1 1ᵀ, A1 = σ(Z1), Z2 = W2 A1 + b2 1ᵀ, exactly
    Z1 = W1 * Xr + b1 * sp.ones(1, n)
    A1 = Z1.applyfunc(lambda t: 1 / (1 + sp.exp(-t)))
    Z2 = W2 * A1 + b2 * sp.ones(1, n)
    # ŷ_r = e^{z_r} / Σ_c e^{z_c} = 1 / Σ_c e^{z_c − z_r}: equal logits give exactly 1/C
    n_c = Z2.shape[0]
    Yhat = sp.ImmutableMatrix(n_c, n, lambda r, m: 1 / sum(sp.exp(Z2[c, m] - Z2[r, m]) for c in range(n_c)))
    sums = [sum(sp.exp(Z2[c, m]) for c in range(n_c)) for m in range(n)]
    Y = sp.ImmutableMatrix(n_c, n, lambda r, m: int(r == int(y[m])))
    # J = (1/N) Σₙ (log Σ_c e^{Z2_cn} − Z2_{yₙ n}) + ½λ(‖W1‖² + ‖W2‖²)
    data = sum(sp.log(sums[m]) - Z2[int(y[m]), m] for m in range(n)) / n
    loss = data + lam / 2 * (sum(w**2 for w in W1) + sum(w**2 for w in W2))
    # the derived matrix forms (D6), sizes and matrices substituted once
    sizes = {N: n, D_in: Xr.shape[0], H: W1.shape[0], C: W2.shape[0]}
    values = {batch.Delta2: Yhat - Y, batch.A1: A1, batch.X: Xr, batch.W1: W1, batch.W2: W2}
    values = {m.subs(sizes): v for m, v in values.items()} | {batch.lam: lam}
    grads = {}
    for key, e in zip(("W2", "b2", "W1", "b1"), batch.result(), strict=True):
        grads[key] = evaluate(e.rhs.xreplace({batch.Delta1: batch.delta1_matrix()}).subs(sizes), values)
    return loss, {k: grads[k] for k in KEYS}


def _enclose(expr, memo: dict):
    """An mpmath interval guaranteed to contain the exact value of ``expr`` (shared subtrees once)."""
    if expr in memo:
        return memo[expr]
    if expr.is_Rational:
        out = iv.mpf(int(expr.p)) / int(expr.q)
    elif isinstance(expr, sp.Add):
        out = sum((_enclose(a, memo) for a in expr.args), iv.mpf(0))
    elif isinstance(expr, sp.Mul):
        out = iv.mpf(1)
        for a in expr.args:
            out = out * _enclose(a, memo)
    elif isinstance(expr, sp.Pow) and expr.exp.is_Integer:
        base, n = _enclose(expr.base, memo), int(expr.exp)
        out = base ** abs(n) if n >= 0 else 1 / base ** abs(n)
    elif isinstance(expr, sp.exp):
        out = iv.exp(_enclose(expr.args[0], memo))
    elif isinstance(expr, sp.log):
        out = iv.log(_enclose(expr.args[0], memo))
    else:
        raise TypeError(f"expr has a {type(expr).__name__}; expected rationals, +, ×, integer powers, exp and log")
    memo[expr] = out
    return out


def _decimal(expr, digits: int, memo: dict) -> str:
    if expr == 0:
        return "0"  # exactly zero, by construction
    value = _enclose(expr, memo)
    mid, width = value.mid, value.delta
    # the interval is ~10^-60 wide: every printed digit is certain (barring a tie at the last one)
    if not width <= abs(mid) * mpmath.mpf(10) ** (-digits - 5):
        raise ArithmeticError(f"{expr} is known only to ±{width}; raise the working precision")
    with mpmath.workprec(iv.prec):
        return mpmath.nstr(mpmath.mpf(mid), digits, strip_zeros=False, min_fixed=-mpmath.inf, max_fixed=mpmath.inf)


def exact_decimals(loss, grads, digits: int = DIGITS):
    """The exact values as decimal strings of ``digits`` significant digits.

    Evaluated by interval arithmetic at 3.3 × ``digits`` + 40 bits (mpmath's
    ``iv``), so each string is a certified rounding, not a float's guess.
    """
    memo: dict = {}
    as_str = lambda e: _decimal(e, digits, memo)  # noqa: E731
    saved, iv.prec = iv.prec, int(3.33 * digits) + 64
    try:
        return as_str(loss), {k: [[as_str(v) for v in g.row(r)] for r in range(g.rows)] for k, g in grads.items()}
    finally:
        iv.prec = saved


def sympy_witness(params, X, y, reg):
    """``(loss, grads, exact)``: float64 values, and the decimal strings in ``exact``."""
    loss, grads = exact_loss_and_grads(params, X, y, reg)
    loss_str, grads_str = exact_decimals(loss, grads)
    # the parameters' own shapes: biases as flat lists, like the other witnesses' JSON
    grads_str = {k: np.array(v, dtype=object).reshape(np.shape(params[k])).tolist() for k, v in grads_str.items()}
    floats = {k: np.array(v, dtype=np.float64) for k, v in grads_str.items()}
    return float(loss_str), floats, {"digits": DIGITS, "loss": loss_str, "grads": grads_str}
