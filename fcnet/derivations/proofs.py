"""Proof tools shared by the derivation families: exact, or an AssertionError.

SymPy differentiates a `Sum` over a symbolic range into Kronecker deltas and
sums them out, guarding each result with a `Piecewise` on the index range
(``k <= C - 1``).  `settle` removes those guards when the index is known to
lie in its range, so results read as they do on paper.

>>> import sympy as sp
>>> C = sp.Symbol("C", integer=True, positive=True)
>>> j, k = sp.symbols("j k", integer=True, nonnegative=True)
>>> z = sp.IndexedBase("z")
>>> settle(sp.diff(sp.Sum(z[j] ** 2, (j, 0, C - 1)), z[k]), {k: C})
2*z[k]
>>> assert_zero(sp.sin(k) ** 2 + sp.cos(k) ** 2 - 1, "Pythagoras")
"""

from __future__ import annotations

import sympy as sp

__all__ = ["settle", "assert_zero", "sigma_prime", "index", "to_indexed", "numpy_function"]


def index(*names: str):
    """Integer index symbols ≥ 0: ``i, j = index("i", "j")``."""
    out = sp.symbols(names, integer=True, nonnegative=True)
    return out[0] if len(names) == 1 else out


def _holds(cond, ranges: dict) -> bool:
    """Whether ``cond`` is true for every index k in 0..ranges[k] − 1."""
    for part in cond.args if isinstance(cond, sp.And) else (cond,):
        if part is sp.true:
            continue
        ok = False
        for k, size in ranges.items():
            # k = size − 1 − m with m ≥ 0 an integer encodes k ≤ size − 1; k ≥ 0 is k's assumption
            m = sp.Dummy("m", integer=True, nonnegative=True)
            if part.subs(k, size - 1 - m) is sp.true:
                ok = True
                break
        if not ok:
            return False
    return True


def settle(expr, ranges: dict):
    """``doit`` the sums and drop the range guards that hold.

    Parameters
    ----------
    expr : sympy expression
    ranges : dict
        Index symbol -> its size: the index runs over 0..size − 1.
    """

    def unguard(e):
        pieces = e.args
        if len(pieces) == 2 and pieces[1].cond is sp.true and _holds(pieces[0].cond, ranges):
            return pieces[0].expr
        return e

    for _ in range(10):
        new = expr.doit().replace(lambda e: isinstance(e, sp.Piecewise), unguard)
        if new == expr:
            break
        expr = new
    return expr


def sigma_prime(expr, sigma, dsigma):
    """Replace every σ'(u) in ``expr`` by ``dsigma(u)`` (citing the sigmoid's derivative)."""

    def is_dsigma(e):
        return (
            isinstance(e, sp.Derivative) and isinstance(e.expr, sp.core.function.AppliedUndef) and e.expr.func == sigma
        )

    def repl_subs(e):
        if isinstance(e, sp.Subs) and is_dsigma(e.expr):
            (var,), (val,) = e.variables, e.point
            return dsigma(e.expr.expr.args[0].subs(var, val))
        return e

    expr = expr.replace(lambda e: isinstance(e, sp.Subs), repl_subs)
    return expr.replace(is_dsigma, lambda e: dsigma(e.expr.args[0]))


def to_indexed(expr, bases: dict):
    """Entries of matrix symbols as `Indexed`: ``M[r, 0] -> m[r]`` for a column, ``M[r, s] -> m[r, s]``.

    Summation variables SymPy invents (``_i_1``) are renamed to plain
    indices not otherwise used, so sums compare equal to hand-written ones.

    Parameters
    ----------
    bases : dict
        MatrixSymbol -> IndexedBase, or a function ``(row, column) -> entry``.
    """
    from sympy.matrices.expressions.matexpr import MatrixElement

    def entry(e):
        base = bases[e.parent]
        if not isinstance(base, sp.IndexedBase):
            return base(e.i, e.j)
        return base[e.i] if e.parent.shape[1] == 1 else base[e.i, e.j]

    expr = expr.replace(lambda e: isinstance(e, MatrixElement) and e.parent in bases, entry)
    spare = index("i", "j", "c", "h", "d", "n", "r", "s")

    def rename(e):
        (var, lo, hi), *rest = e.limits
        if rest or not isinstance(var, sp.Dummy):
            return e
        new = next(v for v in spare if v not in e.atoms(sp.Symbol))
        return sp.Sum(e.function.xreplace({var: new}), (new, lo, hi))

    return expr.replace(lambda e: isinstance(e, sp.Sum), rename)


def _pull(expr):
    """Nest multi-index sums and move factors that do not depend on the index out."""
    if not expr.args:
        return expr
    if not isinstance(expr, sp.Sum):
        return expr.func(*(_pull(a) for a in expr.args))
    *inner, (var, lo, hi) = expr.limits
    body = sp.expand(_pull(sp.Sum(expr.function, *inner) if inner else expr.function))
    terms = []
    for term in sp.Add.make_args(body):
        factors = sp.Mul.make_args(term)
        outside = [f for f in factors if var not in f.free_symbols]
        inside = [f for f in factors if var in f.free_symbols]
        terms.append(sp.Mul(*outside) * sp.Sum(sp.Mul(*inside), (var, lo, hi)))
    return sp.Add(*terms)


def _rename(expr, depth: int = 0):
    if isinstance(expr, sp.Sum) and len(expr.limits) == 1:
        (var, lo, hi), new = expr.limits[0], sp.Symbol(f"_s{depth}", integer=True, nonnegative=True)
        return sp.Sum(_rename(expr.function, depth + 1).xreplace({var: new}), (new, lo, hi))
    if not expr.args:
        return expr
    return expr.func(*(_rename(a, depth) for a in expr.args))


def canonical_sums(expr):
    """Sums in a normal form, so that equal sums written differently compare equal.

    Each sum over several indices becomes nested sums over one; factors that
    do not depend on a sum's index move out of it; then each summation
    variable is renamed by how many sums enclose it (Σ_i f(i) and Σ_c f(c)
    both become ``Sum(f(_s0), _s0)``).
    """
    return _rename(_pull(expr))


def assert_zero(expr, what: str) -> None:
    """Raise AssertionError naming ``what`` unless ``expr`` is identically 0.

    First the cheap exact test: sums in normal form (`canonical_sums`), then
    ``expand``; if that leaves terms, ``simplify`` decides.
    """
    if sp.expand(canonical_sums(expr)) == 0:
        return
    left = sp.simplify(expr)
    if left != 0:  # the same sum may be written with different summation variables
        left = sp.simplify(canonical_sums(left))
    if left != 0:
        raise AssertionError(f"{what}: the difference simplifies to {left}, not 0")


def numpy_function(args, expr, **kwargs):
    """``sympy.lambdify`` with matrix symbols renamed to valid identifiers first (σ(z1) is not one)."""
    rename = {m: sp.MatrixSymbol(f"arg{n}", *m.shape) for n, m in enumerate(args) if isinstance(m, sp.MatrixSymbol)}
    return sp.lambdify([rename.get(m, m) for m in args], expr.xreplace(rename), **kwargs)
