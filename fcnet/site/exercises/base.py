r"""`Exercise` and `Answer`, and the number formats answers use.

An exercise's answer is never typed: ``solve()`` computes it with fcnet (or
SymPy, imported inside ``solve``) when the page is built, and returns an
`Answer`: the ``value`` a test checks independently (a number, a tuple, an
array, or a function made from a SymPy result) and the ``text`` the reader
unfolds, written from that value.

>>> ex = Exercise("demo-1", "forward", "by hand", r"What is \(1 + 1\)?", lambda: Answer(2, "Two."))
>>> ex.answer().value, ex.level
(2, 'by hand')
>>> num(2.2981269e-24), num(0.1 + 0.2), vec([0.2, -0.8])
('2.298\\times 10^{-24}', '0.3', '(0.2, -0.8)')
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Answer", "Exercise", "LEVELS", "code_stub", "num", "vec", "code_num"]

#: From recall to derivation, then code: what a reader is asked to do.  A "write code" exercise comes with a
#: check the reader runs on their function (`fcnet.site.exercises.check`).
LEVELS = ("by hand", "compute", "explain", "derive", "write code")


@dataclass(frozen=True)
class Answer:
    """A computed answer: ``value`` for the tests, ``text`` (markdown, ``\\( \\)`` math) for the reader."""

    value: object
    text: str


@dataclass(frozen=True)
class Exercise:
    """One exercise.

    Attributes
    ----------
    id : str
        Unique, stable, prefixed by its page (``"backprop-delta2-by-hand"``); the anchor ``#ex-<id>``.
    page : str
        The page key, as in `fcnet.site.exercises.PAGES`.
    level : str
        One of `LEVELS`.
    question : str
        Markdown with ``\\( \\)`` math.
    solve : callable or str
        ``solve() -> Answer``, computed by fcnet or SymPy; or ``"module:function"``, that function of
        ``fcnet.site.exercises.answers.<module>``, imported only when the answer is asked for.
    uses : tuple of str
        The ids of the derivations the exercise builds on: each is derived on its page or an earlier
        one, in reading order (``tests/test_exercises.py`` checks it).
    """

    id: str
    page: str
    level: str
    question: str
    solve: Callable[[], Answer] | str = field(repr=False)
    uses: tuple[str, ...] = ()

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"exercise {self.id!r} has level {self.level!r}; expected one of {LEVELS}")

    def answer(self) -> Answer:
        """The answer, computed now."""
        solve = self.solve
        if isinstance(solve, str):
            module, _, name = solve.partition(":")
            solve = getattr(importlib.import_module(f"{__package__}.answers.{module}"), name)
        out = solve()
        if not isinstance(out, Answer):
            raise TypeError(f"exercise {self.id!r}: solve() returned {type(out).__name__}; expected an Answer")
        return out


def code_stub(exercise_id: str, signature: str, doc: str) -> str:
    """What a "write code" question ends with: the function to write, and the check to run on it.

    >>> print(code_stub("backprop-write-delta2", "delta2(probs, y)", "dJ/dZ2"))
    <BLANKLINE>
    <BLANKLINE>
    ```python
    from fcnet.site.exercises import check
    <BLANKLINE>
    def delta2(probs, y):
        \"\"\"dJ/dZ2\"\"\"
        ...  # yours
    <BLANKLINE>
    check("backprop-write-delta2", delta2)
    ```
    """
    name = signature.partition("(")[0]
    return (
        f'\n\n```python\nfrom fcnet.site.exercises import check\n\ndef {signature}:\n    """{doc}"""\n'
        f'    ...  # yours\n\ncheck("{exercise_id}", {name})\n```'
    )


def num(x, digits: int = 4) -> str:
    """A number for inline math: ``digits`` significant digits, powers of ten written out."""
    x = float(x)
    if x == 0:
        return "0"
    s = f"{x:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        return rf"{mant}\times 10^{{{int(exp)}}}"
    return s


def vec(values, digits: int = 4) -> str:
    """A vector for inline math, as a tuple of its entries (the prose's way of writing a column)."""
    return "(" + ", ".join(num(v, digits) for v in np.ravel(values)) + ")"


def code_num(x) -> str:
    """A float exactly as Python prints it (shortest round-trip), for a code span."""
    return repr(float(x))
