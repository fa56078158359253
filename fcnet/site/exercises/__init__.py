"""Exercises with checked answers, three to five per page from "by hand" to "derive", and code to write.

Every answer is computed when the page is built (`Exercise.answer`): numbers
by fcnet, formulas by SymPy (imported inside the functions that need it),
in `answers`, a module per page that is imported only when an answer is asked
for (so a page rendered with ``answers=False`` loads none); and
``tests/test_exercises.py`` checks each one independently, by PyTorch
autograd, finite differences or exact arithmetic.  A page shows its
exercises with `exercises_html` (a notebook: pass it to `fcnet.site.show`); each answer folds
open (`pymdownx.details`).

>>> [len(exercises(page)) for page in PAGES]
[5, 3, 8, 5, 5, 5, 4, 4]
>>> exercises("nowhere")
Traceback (most recent call last):
...
ValueError: page is 'nowhere'; expected one of ['forward', 'loss', 'backprop', 'numerical-gradient', ...]
"""

from __future__ import annotations

import html
import re

from ..markup import block_html, folded_html
from . import backprop, bench, deeper, forward, gradchecks, loss, numerical, training
from .base import LEVELS, Answer, Exercise

__all__ = [
    "Answer",
    "Exercise",
    "LEVELS",
    "PAGES",
    "EXERCISES",
    "check",
    "exercises",
    "exercises_html",
    "without_answers",
]

_MODULES = (forward, loss, backprop, numerical, deeper, gradchecks, training, bench)

#: The pages with exercises, in reading order: the page's path under ``docs/`` without its suffix.
PAGES = tuple(m.PAGE for m in _MODULES)

#: id -> `Exercise`, every page's, in reading order.
EXERCISES = {ex.id: ex for m in _MODULES for ex in m.EXERCISES}


def exercises(page: str) -> list[Exercise]:
    """The exercises of ``page`` (a key of `PAGES`), in order."""
    if page not in PAGES:
        raise ValueError(f"page is {page!r}; expected one of {list(PAGES)}")
    return [ex for ex in EXERCISES.values() if ex.page == page]


_PARAGRAPH = "<p>"


def _question_html(level: str, question: str) -> str:
    """The question's blocks (a paragraph first, then perhaps code to complete), the level in bold before it."""
    blocks = block_html(question)
    if not blocks.startswith(_PARAGRAPH):
        raise ValueError(f"a question starts with a paragraph; this one starts {blocks[:40]!r}")
    return f"{_PARAGRAPH}<strong>{level}.</strong> {blocks[len(_PARAGRAPH) :]}"


def exercises_html(page: str, heading: str | None = "Exercises", answers: bool = True) -> str:
    """The page's exercises as HTML: a numbered list, each answer in a ``<details>`` block (Material's look).

    Parameters
    ----------
    page : str
        A key of `PAGES`.
    heading : str or None, default "Exercises"
        An ``<h2 id="exercises">`` above the list; None for none.
    answers : bool, default True
        False: the questions alone, no answer computed or written (the answer-free site).
    """
    items = []
    for ex in exercises(page):
        level = html.escape(ex.level.capitalize())
        folded = ""
        if answers:
            folded = folded_html("success", "Answer", ex.answer().text)
        items.append(
            f'<li id="ex-{ex.id}" data-exercise="{ex.id}" data-level="{ex.level}">'
            f"{_question_html(level, ex.question)}{folded}</li>"
        )
    head = f'<h2 id="exercises">{html.escape(heading)}</h2>' if heading else ""
    return f'<section class="fcnet-exercises" data-page="{page}">{head}<ol>{"".join(items)}</ol></section>'


_EXERCISES_CALL = re.compile(r"\b(exercises_html)\(([^()]*)\)")


def without_answers(text: str) -> str:
    """A notebook page's text with every ``exercises_html(...)`` call asking for no answers: the page as the
    answer-free site builds it (``FCNET_ANSWERS=0``, docs/hooks/site_hooks.py).

    Raises ValueError when a call is left that the rewrite cannot read (a nested parenthesis): better no
    page than one with the answers in it.

    >>> without_answers('show(exercises_html("backprop", heading=None))')
    'show(exercises_html("backprop", heading=None, answers=False))'
    >>> without_answers('show(exercises_html(pages("backprop")))')
    Traceback (most recent call last):
    ...
    ValueError: 1 exercises_html/markdown call(s) could not be rewritten without answers
    """
    out = _EXERCISES_CALL.sub(
        lambda m: f"{m.group(1)}({m.group(2)}{', ' * bool(m.group(2).strip())}answers=False)", text
    )
    left = len(re.findall(r"\bexercises_(?:html|markdown)\(", out)) - out.count("answers=False)")
    if left:
        raise ValueError(f"{left} exercises_html/markdown call(s) could not be rewritten without answers")
    return out


def __getattr__(name: str):
    # `check` loads the core's building blocks only when a reader runs one
    if name == "check":
        from .checks import check

        return check
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
