"""How derivations print: fcnet's notation in LaTeX (amsmath only) and in unicode text.

`named` makes a symbol whose LaTeX differs from its text name (``∂CE/∂z_k``
prints as ``\\frac{\\partial \\mathrm{CE}}{\\partial z_{k}}``); `add`, `mul` and
`matadd` build sums and products that print in the order written; `tex`
and `pretty` print with both.

>>> import sympy as sp
>>> a, b = sp.symbols("a b")
>>> tex(add(b, a)), tex(b + a)
('b + a', 'a + b')
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode

__all__ = ["LATEX_NAMES", "add", "eq", "matadd", "mul", "named", "pretty", "tex"]

#: Symbol -> the LaTeX printed for it (filled by `named`).
LATEX_NAMES: dict[sp.Basic, str] = {}


def named(plain: str, latex: str, shape: tuple | None = None, **assumptions):
    """A symbol printed as ``plain`` in text and as ``latex`` in LaTeX.

    With ``shape=(rows, columns)`` it is a `sympy.MatrixSymbol`.
    """
    s = sp.MatrixSymbol(plain, *shape) if shape is not None else sp.Symbol(plain, **assumptions)
    LATEX_NAMES[s] = latex
    return s


class _Printer(LatexPrinter):
    """SymPy's LaTeX with fcnet's notation (amsmath only, no amssymb).

    Kronecker's delta prints as Iverson's bracket ``[i = k]``, so it never
    collides with the error signals δ; a vector of ones as ``\\mathbf{1}``;
    a diagonal matrix as ``\\operatorname{diag}``; a transpose as ``^{\\top}``
    (``W^{(2)\\top}`` for a layer's matrix); the entry-wise product as ``\\odot``;
    sums and products built with ``evaluate=False`` keep the order they were written in.
    """

    def _written(self, expr, print_):
        # made by `add` or `mul`: print in the written order; otherwise SymPy's usual order
        saved, self._settings["order"] = self._settings["order"], "none" if id(expr) in _WRITTEN else None
        try:
            return print_(expr)
        finally:
            self._settings["order"] = saved

    def _print_Add(self, expr, order=None):
        return self._written(expr, lambda e: super(_Printer, self)._print_Add(e, order=self.order or "lex"))

    def _print_Mul(self, expr):
        return self._written(expr, super()._print_Mul)

    def _print_KroneckerDelta(self, expr, exp=None):
        i, j = (self._print(a) for a in expr.args)
        out = f"[{i} = {j}]"
        return f"{out}^{{{exp}}}" if exp else out

    def _print_Function(self, expr, exp=None):
        # an undefined function (σ, f, f_2) as f(x, y), with plain parentheses
        if not isinstance(expr, AppliedUndef):
            return super()._print_Function(expr, exp)
        name = {"sigma": r"\sigma", "sigma'": r"\sigma'"}.get(expr.func.__name__)
        name = name or self._print(sp.Symbol(expr.func.__name__))
        out = rf"{name}\left({', '.join(self._print(a) for a in expr.args)}\right)"
        return f"{out}^{{{exp}}}" if exp else out

    def _print_Derivative(self, expr):
        # primes for a function of one variable: f'(x), f''(x), f'''(x), f^{(4)}(x)
        f = expr.expr
        if not (isinstance(f, AppliedUndef) and len(f.args) == 1 and len(expr.variable_count) == 1):
            return super()._print_Derivative(expr)
        (var, order), arg = expr.variable_count[0], f.args[0]
        if var != arg:
            return super()._print_Derivative(expr)
        marks = "'" * order if order <= 3 else f"^{{({order})}}"
        name = {"sigma": r"\sigma"}.get(f.func.__name__) or self._print(sp.Symbol(f.func.__name__))
        return rf"{name}{marks}\left({self._print(arg)}\right)"

    def _print_MatAdd(self, expr):
        if id(expr) not in _WRITTEN:
            return super()._print_MatAdd(expr)
        out = self._print(expr.args[0])
        for term in expr.args[1:]:
            t = self._print(term)
            out += f" - {t[1:].lstrip()}" if t.startswith("-") else f" + {t}"
        return out

    def _print_Sum(self, expr):
        # a sum over several indices as nested sums, outermost first, instead of one \substack
        if len(expr.limits) == 1:
            return super()._print_Sum(expr)
        out = super()._print_Sum(sp.Sum(expr.function, expr.limits[0]))
        for var, lo, hi in expr.limits[1:]:
            out = rf"\sum_{{{self._print(var)}={self._print(lo)}}}^{{{self._print(hi)}}} {out}"
        return out

    def _print_Indexed(self, expr):
        # W_{pq} for one-letter indices, W_{p,q-1} otherwise
        idx = [self._print(ix) for ix in expr.indices]
        sep = "" if all(len(t) == 1 for t in idx) else ","
        base = self._print(expr.base)
        if "^" in base or "_" in base:  # W^{(1)}_{hd}, braced whole so that a square is not a double superscript
            return f"{{{base}_{{{sep.join(idx)}}}}}"
        return f"{base}_{{{sep.join(idx)}}}"

    def _print_Transpose(self, expr):
        # the notation's transpose: x^{\top}; a layer's W^{(2)} as W^{(2)\top}, one superscript
        base = self._print(expr.arg)
        if re.fullmatch(r"[A-Za-z]\^\{\([0-9a-z]\)\}", base):
            return base[:-1] + r"\top}"
        if re.fullmatch(r"[A-Za-z]|\\[A-Za-z]+|\\hat\{[A-Za-z]\}", base):
            return base + r"^{\top}"
        return rf"\left({base}\right)^{{\top}}"

    def _print_HadamardProduct(self, expr):
        # ⊙ for the entry-wise product (SymPy prints \circ)
        return r" \odot ".join(self.parenthesize(a, PRECEDENCE["Pow"], strict=True) for a in expr.args)

    def _print_OneMatrix(self, expr):
        return r"\mathbf{1}"

    def _print_DiagMatrix(self, expr):
        return rf"\operatorname{{diag}}\left({self._print(expr.args[0])}\right)"


class _Pretty(PrettyPrinter):
    """SymPy's unicode pretty-printer, with sums and products in the order written."""

    def _print_Add(self, expr, order=None):
        return super()._print_Add(expr, order="none" if id(expr) in _WRITTEN else order)

    def _print_HadamardProduct(self, expr):
        from sympy.matrices.expressions import HadamardProduct, MatAdd, MatMul

        return self._print_seq(
            expr.args, None, None, " ⊙ ", parenthesize=lambda x: isinstance(x, MatAdd | MatMul | HadamardProduct)
        )

    def _print_Mul(self, product):
        saved, self._settings["order"] = self._settings["order"], "none" if id(product) in _WRITTEN else None
        try:
            return super()._print_Mul(product)
        finally:
            self._settings["order"] = saved


def pretty(expr) -> str:
    """``expr`` as unicode text, one or more lines (whatever stdout's encoding; the command line spells it for it)."""
    # SymPy picks its glyph tables once, from stdout's encoding: an ASCII stdout would leave no glyph for a big Σ
    was = pretty_use_unicode(True)
    try:
        return _Pretty({"use_unicode": True, "wrap_line": False}).doprint(expr)
    finally:
        pretty_use_unicode(was)


def tex(expr) -> str:
    """LaTeX of ``expr`` in fcnet's notation, with `named` symbols' display names.

    >>> import sympy as sp
    >>> i, k = sp.symbols("i k")
    >>> tex(sp.KroneckerDelta(i, k))
    '[i = k]'
    """
    return _Printer({"symbol_names": LATEX_NAMES}).doprint(expr)


def eq(lhs, rhs) -> sp.Eq:
    """``lhs = rhs`` as an unevaluated `sympy.Eq` (matrix expressions too)."""
    return sp.Eq(lhs, rhs, evaluate=False)


#: id -> expression, for the sums and products made by `add` and `mul` (kept alive so ids stay unique)
_WRITTEN: dict[int, sp.Basic] = {}


def _written(expr):
    _WRITTEN[id(expr)] = expr
    return expr


def add(*terms) -> sp.Add:
    """A sum printed in the order written (unevaluated; ``doit`` evaluates it)."""
    return _written(sp.Add(*terms, evaluate=False))


def mul(*factors) -> sp.Mul:
    """A product printed in the order written (unevaluated; ``doit`` evaluates it)."""
    return _written(sp.Mul(*factors, evaluate=False))


def matadd(*terms) -> sp.MatAdd:
    """A sum of matrix expressions printed in the order written."""
    return _written(sp.MatAdd(*terms, evaluate=False))
