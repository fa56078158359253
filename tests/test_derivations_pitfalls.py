"""SymPy pitfalls the derivations avoid, pinned: if SymPy changes, these tell us.

In SymPy 1.14 the matrix calculus of `MatrixSymbol` silently returns 0 for
the derivative of log or exp of a trace, and of a sum of traces.  That is
why fcnet's derivations differentiate indexed or explicit element-wise
expressions.  If a test here fails, SymPy's behaviour changed: check the
new answers and update this file (and the docs that mention the pitfall).
"""

import pytest
import sympy as sp

X = sp.MatrixSymbol("X", 3, 3)
E = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"x{i}{j}"))  # the same matrix, entry by entry


def _elementwise(f):
    """∂f/∂X entry by entry on an explicit 3 × 3 matrix: the right answer."""
    value = f(E)
    return sp.Matrix(3, 3, lambda i, j: sp.diff(value, E[i, j]))


@pytest.mark.parametrize(
    "name, f_matrix, f_explicit, expected",
    [
        ("log(tr X)", lambda M: sp.log(sp.Trace(M)), lambda M: sp.log(M.trace()), lambda M: sp.eye(3) / M.trace()),
        (
            "exp(tr X)",
            lambda M: sp.exp(sp.Trace(M)),
            lambda M: sp.exp(M.trace()),
            lambda M: sp.exp(M.trace()) * sp.eye(3),
        ),
        (
            "tr X + tr X²",
            lambda M: sp.Trace(M) + sp.Trace(M * M),
            lambda M: M.trace() + (M * M).trace(),
            lambda M: sp.eye(3) + 2 * M.T,
        ),
    ],
    ids=["log-trace", "exp-trace", "sum-of-traces"],
)
def test_matrixsymbol_derivative_is_silently_zero(name, f_matrix, f_explicit, expected):
    wrong = sp.diff(f_matrix(X), X)
    assert wrong == sp.ZeroMatrix(3, 3), (
        f"SymPy now differentiates {name} by MatrixSymbol to {wrong}: the pitfall is gone, update this file"
    )
    right = _elementwise(f_explicit)
    assert sp.simplify(right - expected(E)) == sp.zeros(3, 3)
    assert right != sp.zeros(3, 3)  # so the 0 above is wrong, not a coincidence


def test_matrixsymbol_derivative_of_a_single_trace_still_works():
    # the pitfall is specific: one bare trace (or of a product) is differentiated correctly
    assert sp.diff(sp.Trace(X), X) == sp.Identity(3)
    assert sp.diff(sp.Trace(X * X), X) == 2 * X.T
