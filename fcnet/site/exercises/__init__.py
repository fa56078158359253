"""Exercises with checked answers, three to five per page, from "by hand" to "derive".

Every answer is computed when the page is built (`Exercise.answer`): numbers
by fcnet, formulas by SymPy (imported inside the functions that need it), and
``tests/test_exercises.py`` checks each one independently, by PyTorch
autograd, finite differences or exact arithmetic.  A page shows its
exercises with `exercises_html` (a notebook: pass it to `fcnet.site.show`);
each answer folds open (`pymdownx.details`).

>>> [len(exercises(page)) for page in PAGES]
[5, 5, 5, 5, 5, 4, 4, 4]
>>> exercises("nowhere")
Traceback (most recent call last):
...
ValueError: page is 'nowhere'; expected one of ['forward', 'loss', 'backprop', 'numerical-gradient', ...]
"""

from __future__ import annotations

import html

from ..markup import folded_html, inline_html
from . import backprop, bench, deeper, forward, gradchecks, loss, numerical, training
from .base import LEVELS, Answer, Exercise

__all__ = ["Answer", "Exercise", "LEVELS", "PAGES", "EXERCISES", "exercises", "exercises_html"]

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


def exercises_html(page: str, heading: str | None = "Exercises") -> str:
    """The page's exercises as HTML: a numbered list, each answer in a ``<details>`` block (Material's look).

    Parameters
    ----------
    page : str
        A key of `PAGES`.
    heading : str or None, default "Exercises"
        An ``<h2 id="exercises">`` above the list; None for none.
    """
    items = []
    for ex in exercises(page):
        answer = ex.answer()
        level = html.escape(ex.level.capitalize())
        items.append(
            f'<li id="ex-{ex.id}" data-exercise="{ex.id}" data-level="{ex.level}">'
            f"<p><strong>{level}.</strong> {inline_html(ex.question)}</p>"
            f"{folded_html('success', 'Answer', answer.text)}</li>"
        )
    head = f'<h2 id="exercises">{html.escape(heading)}</h2>' if heading else ""
    return f'<section class="fcnet-exercises" data-page="{page}">{head}<ol>{"".join(items)}</ol></section>'
