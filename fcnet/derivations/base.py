r"""`Derivation` and `Step`: a derivation as data, rendered as text or LaTeX.

A derivation is an ordered list of steps (a SymPy equation plus one sentence
of prose, its math between dollar signs, see `.prose`), a result with a stable
equation number, the precondition it uses, the NumPy snippet sections that
implement it, and a ``proof`` that `verify` runs: it proves the result exactly
or raises AssertionError.

Printing (LaTeX in fcnet's notation, unicode text) lives in `.printing`;
its helpers `named`, `eq`, `add`, `mul`, `matadd` are re-exported here.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> dfdx = named("df/dx", r"\frac{df}{dx}")
>>> step = Step(sp.Eq(dfdx, 2 * x), "The power rule for $x^2$.")
>>> step.latex()
'\\frac{df}{dx} &= 2 x'
>>> d = Derivation("demo", "D0", "A demo", (step,), sp.Eq(dfdx, 2 * x), proof=lambda: None)
>>> print(d.latex())
\begin{align*}
\intertext{The power rule for $x^2$.}
\frac{df}{dx} &= 2 x
\end{align*}
Result:
\begin{equation}
\begin{aligned}
\frac{df}{dx} &= 2 x
\end{aligned}
\tag{D0}\label{fcnet:demo}
\end{equation}
>>> d.verify()
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .printing import add, eq, matadd, mul, named, pretty, tex
from .prose import latex as _prose_latex
from .prose import text as _prose_text

__all__ = ["Derivation", "Step", "add", "eq", "matadd", "mul", "named", "tex"]


def _equations(expr) -> list:
    """A result as a list of equations (a Tuple holds several)."""
    return list(expr) if isinstance(expr, sp.Tuple | tuple | list) else [expr]


def _line(expr) -> str:
    if isinstance(expr, sp.Eq):
        return f"{tex(expr.lhs)} &= {tex(expr.rhs)}"
    return f"&{tex(expr)}"


def _terms(printed: str) -> list[str]:
    """The top-level terms of a printed sum, each after the first with its sign: ``['a', '+ b', '- c']``."""
    out, depth, start, n = [], 0, 0, 0
    while n < len(printed):
        if printed.startswith((r"\left", r"\right"), n):
            depth += 1 if printed.startswith(r"\left", n) else -1
            n += 5 if printed.startswith(r"\left", n) else 6
            continue
        depth += {"{": 1, "}": -1}.get(printed[n], 0)
        if depth == 0 and n > start and printed.startswith((" + ", " - "), n):
            out.append(printed[start:n].strip())
            start = n + 1
        n += 1
    return [*out, printed[start:].strip()]


def wrap(line: str, per_line: int) -> list[str]:
    r"""An ``lhs &= a + b + c`` line as several, ``per_line`` terms of the sum on each (``&\quad + …`` after the first).

    >>> wrap("f &= a + \\frac{b + c}{2} - d", 2)
    ['f &= a + \\frac{b + c}{2}', '&\\quad - d']
    """
    lhs, sep, rhs = line.partition("&= ")
    terms = _terms(rhs)
    if not sep or per_line <= 0 or len(terms) <= per_line:
        return [line]
    chunks = [" ".join(terms[i : i + per_line]) for i in range(0, len(terms), per_line)]
    return [lhs + sep + chunks[0]] + [r"&\quad " + c for c in chunks[1:]]


@dataclass(frozen=True)
class Step:
    """One step: a SymPy expression or equation and one sentence of prose.

    ``wrap`` > 0 splits a long sum on the right-hand side, that many terms a line.
    """

    expr: sp.Basic
    prose: str
    wrap: int = 0

    def lines(self) -> list[str]:
        """The step as ``align`` lines, ``lhs &= rhs`` then any continuation lines (no line ends)."""
        return wrap(_line(self.expr), self.wrap)

    def latex(self) -> str:
        """The step as ``align`` lines joined by ``\\\\``."""
        return " \\\\\n".join(self.lines())

    def text(self) -> str:
        """The prose, then the expression pretty-printed (unicode)."""
        return f"{_prose_text(self.prose)}\n{pretty(self.expr)}"


@dataclass(frozen=True, eq=False)
class Derivation:
    """A derivation: id, equation number, title, steps, result, proof.

    Parameters
    ----------
    id : str
        Kebab-case anchor readers cite, e.g. ``"softmax-ce-grad"``.
    number : str
        Stable equation number (``"D2"``), from `fcnet.derivations.parts.HEADINGS`.
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

    def result_lines(self) -> list[str]:
        """The result as ``align`` lines, one an equation (no tag, no line ends)."""
        return [_line(e) for e in _equations(self.result)]

    def label(self) -> str:
        r"""The LaTeX label of the result, ``fcnet:<id>``: ``\eqref{fcnet:softmax-ce-grad}`` prints (D2)."""
        return f"fcnet:{self.id}"

    def latex(self) -> str:
        r"""The steps as an amsmath ``align*`` block (each step's prose an ``\intertext``), then the result.

        The result is one ``equation``: its lines in an ``aligned`` block, tagged once with the number
        however many lines it has (as on the site), and labelled `label`.
        """
        out = []
        if self.steps:
            rows = [rf"\intertext{{{_prose_latex(s.prose)}}}" + "\n" + " \\\\\n".join(s.lines()) for s in self.steps]
            out += ["\\begin{align*}", " \\\\\n".join(rows), "\\end{align*}", "Result:"]
        out += ["\\begin{equation}", "\\begin{aligned}", " \\\\\n".join(self.result_lines()), "\\end{aligned}"]
        out += [rf"\tag{{{self.number}}}\label{{{self.label()}}}", "\\end{equation}"]
        return "\n".join(out)

    def text(self) -> str:
        """The derivation as plain text: title, precondition, numbered steps."""
        out = [f"({self.number}) {self.title}   [{self.id}]"]
        if self.precondition:
            out.append(f"Precondition: {_prose_text(self.precondition)}")
        for n, s in enumerate(self.steps, 1):
            out += ["", f"Step {n}. " + s.text()]
        out += ["", f"Result ({self.number}):"]
        out += [pretty(e) for e in _equations(self.result)]
        if self.snippets:
            out += ["", "Implemented in: " + ", ".join(self.snippets)]
        return "\n".join(out)
