"""`Derivation` and `Step`: a derivation as data, rendered as text or LaTeX.

A derivation is an ordered list of steps (a SymPy equation plus one sentence
of prose), a result with a stable equation number, the precondition it uses,
the NumPy snippet sections that implement it, and a ``proof`` that `verify`
runs: it proves the result exactly or raises AssertionError.

Printing (LaTeX in fcnet's notation, unicode text) lives in `.printing`;
its helpers `named`, `eq`, `add`, `mul`, `matadd` are re-exported here.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> dfdx = named("df/dx", r"\\frac{df}{dx}")
>>> step = Step(sp.Eq(dfdx, 2 * x), "The power rule.")
>>> step.latex()
'\\\\frac{df}{dx} &= 2 x'
>>> d = Derivation("demo", "D0", "A demo", (step,), sp.Eq(dfdx, 2 * x), proof=lambda: None)
>>> print(d.latex())
\\begin{align}
\\frac{df}{dx} &= 2 x \\notag\\\\
\\frac{df}{dx} &= 2 x \\tag{D0}
\\end{align}
>>> d.verify()
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .printing import add, eq, matadd, mul, named, pretty, tex

__all__ = ["Derivation", "Step", "add", "eq", "matadd", "mul", "named", "tex"]


def _equations(expr) -> list:
    """A result as a list of equations (a Tuple holds several)."""
    return list(expr) if isinstance(expr, sp.Tuple | tuple | list) else [expr]


def _line(expr) -> str:
    if isinstance(expr, sp.Eq):
        return f"{tex(expr.lhs)} &= {tex(expr.rhs)}"
    return f"&{tex(expr)}"


@dataclass(frozen=True)
class Step:
    """One step: a SymPy expression or equation and one sentence of prose."""

    expr: sp.Basic
    prose: str

    def latex(self) -> str:
        """The step as an ``align`` line, ``lhs &= rhs`` (no line end)."""
        return _line(self.expr)

    def text(self) -> str:
        """The prose, then the expression pretty-printed (unicode)."""
        return f"{self.prose}\n{pretty(self.expr)}"


@dataclass(frozen=True, eq=False)
class Derivation:
    """A derivation: id, equation number, title, steps, result, proof.

    Parameters
    ----------
    id : str
        Kebab-case anchor readers cite, e.g. ``"softmax-ce-grad"``.
    number : str
        Stable equation number, assigned in the source (``"D2"``).
    title : str
    steps : tuple of Step
    result : sympy Eq, or Tuple of Eq
        What the derivation proves; rendered last, with ``\\tag{number}``.
    precondition : str
        Prose; ``""`` if none.
    snippets : tuple of str
        ``"fcnet/<file>.py:<section>"`` refs of the code that implements it.
    proof : callable
        ``proof() -> None``; raises AssertionError if the result fails.
    numeric : callable, optional
        ``numeric(rng) -> (from_result, from_code)``: the result lambdified
        to NumPy and the fcnet code on the same random inputs (tests compare
        them with `fcnet.norm_rel_error`).
    """

    id: str
    number: str
    title: str
    steps: tuple
    result: sp.Basic
    precondition: str = ""
    snippets: tuple = ()
    proof: Callable[[], None] | None = None
    numeric: Callable | None = None

    def verify(self) -> bool:
        """Prove the result exactly: True, or AssertionError with details."""
        if self.proof is None:
            raise AssertionError(f"derivation {self.id!r} has no proof")
        self.proof()
        return True

    def latex(self) -> str:
        """An amsmath ``align`` block: the steps, then the result tagged."""
        lines = [s.latex() + r" \notag" for s in self.steps]
        eqs = _equations(self.result)
        lines += [_line(e) + r" \notag" for e in eqs[:-1]]
        lines.append(_line(eqs[-1]) + rf" \tag{{{self.number}}}")
        return "\\begin{align}\n" + "\\\\\n".join(lines) + "\n\\end{align}"

    def text(self) -> str:
        """The derivation as plain text: title, precondition, numbered steps."""
        out = [f"({self.number}) {self.title}   [{self.id}]"]
        if self.precondition:
            out.append(f"Precondition: {self.precondition}")
        for n, s in enumerate(self.steps, 1):
            out += ["", f"Step {n}. " + s.text()]
        out += ["", f"Result ({self.number}):"]
        out += [pretty(e) for e in _equations(self.result)]
        if self.snippets:
            out += ["", "Implemented in: " + ", ".join(self.snippets)]
        return "\n".join(out)
